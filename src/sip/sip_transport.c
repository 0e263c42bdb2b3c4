/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_transport.c — the engine's sockets: one UDP socket per local address (shared by every
 * flow bound there), one TCP connection per local address and peer; sending (TCP: queued
 * while connecting), receiving (TCP: framed by Content-Length), and handing each parsed
 * message to the transaction or call it belongs to. See sip_agent_private.h.
 */
#include <stdlib.h>
#include <string.h>
#include "sip_agent_private.h"

#define UDP_MAX  65507
#define RX_BATCH 64 /* datagrams read per socket per loop, so one socket cannot starve others */

struct tp_pending
{
    struct tp_pending *next;
    size_t len;
    char data[];
};

int rtcpm_sip_tp_reliable(const struct sip_tp *tp) { return tp->transport == RTCTR_TCP; }

const char *rtcpm_sip_tp_via_name(const struct sip_tp *tp) { return tp->transport == RTCTR_TCP ? "TCP" : "UDP"; }

static int shareable(const struct sip_tp *tp, const struct rtcpm_sip_flow *flow)
{
    if (tp->state == TP_FAILED || tp->transport != flow->transport || !flow->local.port) return 0;
    if (!rtcpm_addr_equal(&tp->requested, &flow->local) && !rtcpm_addr_equal(&tp->bound, &flow->local)) return 0;
    return tp->transport == RTCTR_UDP || rtcpm_addr_equal(&tp->remote, &flow->next_hop);
}

static size_t count_tps(const struct rtcpm_sip_agent *a)
{
    const struct sip_tp *tp;
    size_t n = 0;
    for (tp = a->tps; tp; tp = tp->next) n++;
    return n;
}

static void start_connect(struct rtcpm_sip_agent *a, struct sip_tp *tp)
{
    int rc = rtcpm_socket_connect_start(tp->sock, &tp->remote);
    if (rc == RTCPM_SOCK_OK)
        tp->state = TP_READY;
    else if (rc == 1)
    {
        tp->state = TP_CONNECTING;
        tp->connect_deadline = rtcpm_clock_ms() + a->tcp_connect_timeout_ms;
    }
    else
        tp->state = TP_FAILED; /* reported to whoever sends on it */
}

HRESULT rtcpm_sip_tp_acquire(struct rtcpm_sip_agent *a, const struct rtcpm_sip_flow *flow, struct sip_tp **out)
{
    struct sip_tp *tp;
    *out = NULL;
    for (tp = a->tps; tp; tp = tp->next)
    {
        if (shareable(tp, flow))
        {
            tp->refs++;
            *out = tp;
            return S_OK;
        }
    }
    if (count_tps(a) >= AGENT_MAX_SOCKETS) return E_OUTOFMEMORY;
    if (!(tp = calloc(1, sizeof(*tp)))) return E_OUTOFMEMORY;
    tp->transport = flow->transport;
    tp->requested = flow->local;
    tp->remote = flow->next_hop;
    if (rtcpm_socket_open(&tp->sock, flow->transport == RTCTR_TCP ? RTCPM_SOCK_TCP : RTCPM_SOCK_UDP, &flow->local,
                          NULL) != RTCPM_SOCK_OK ||
        rtcpm_socket_local_addr(tp->sock, &tp->bound) != RTCPM_SOCK_OK)
    {
        rtcpm_socket_close(tp->sock);
        free(tp);
        return RTC_E_INVALID_ADDRESS_LOCAL;
    }
    if (tp->transport == RTCTR_TCP) start_connect(a, tp);
    tp->refs = 1;
    tp->next = a->tps;
    a->tps = tp;
    *out = tp;
    rtcpm_sip_agent_wake(a); /* a new socket to poll */
    return S_OK;
}

void rtcpm_sip_tp_release(struct rtcpm_sip_agent *a, struct sip_tp *tp)
{
    if (tp && tp->refs > 0 && --tp->refs == 0) rtcpm_sip_agent_wake(a); /* the worker closes it */
}

static void fail_tp(struct rtcpm_sip_agent *a, struct sip_tp *tp)
{
    struct tp_pending *p;
    tp->state = TP_FAILED;
    while ((p = tp->pending))
    {
        tp->pending = p->next;
        free(p);
    }
    rtcpm_sip_txn_tp_failed(a, tp, RTC_E_SIP_TCP_FAIL);
}

static HRESULT send_now(struct rtcpm_sip_agent *a, struct sip_tp *tp, const rtcpm_addr *to, const char *msg, size_t len)
{
    if (tp->transport == RTCTR_UDP) return rtcpm_socket_sendto(tp->sock, msg, len, to) == RTCPM_SOCK_OK ? S_OK : E_FAIL;
    if (rtcpm_socket_send_all(tp->sock, msg, len, 1000) == RTCPM_SOCK_OK) return S_OK;
    tp->state = TP_FAILED; /* the owners hear it from this send's result */
    (void)a;
    return RTC_E_SIP_TCP_FAIL;
}

HRESULT rtcpm_sip_tp_send(struct rtcpm_sip_agent *a, struct sip_tp *tp, const rtcpm_addr *to, const char *msg,
                          size_t len)
{
    struct tp_pending *p, **tail;
    HRESULT hr;
    if (tp->transport == RTCTR_UDP && len > UDP_MAX) return RTC_E_SIP_UDP_SIZE_EXCEEDED;
    if (tp->state == TP_FAILED) return RTC_E_SIP_TCP_FAIL;
    if (tp->state == TP_CONNECTING)
    {
        if (!(p = malloc(sizeof(*p) + len))) return E_OUTOFMEMORY;
        p->next = NULL;
        p->len = len;
        memcpy(p->data, msg, len);
        for (tail = &tp->pending; *tail; tail = &(*tail)->next)
        {
        }
        *tail = p;
        rtcpm_sip_trace(a, 1, 0, "queued until connected", msg, len, &tp->remote);
        return S_OK;
    }
    hr = send_now(a, tp, tp->transport == RTCTR_TCP ? &tp->remote : to, msg, len);
    if (SUCCEEDED(hr)) rtcpm_sip_trace(a, 1, 0, NULL, msg, len, tp->transport == RTCTR_TCP ? &tp->remote : to);
    return hr;
}

/* ---- receiving ---- */

static void on_message(struct rtcpm_sip_agent *a, struct sip_tp *tp, const char *data, size_t len,
                       const rtcpm_addr *from)
{
    struct rtcpm_sip_msg *m;
    int rc = rtcpm_sip_parse(data, len, &m);
    if (rc != RTCPM_SIP_OK)
    {
        rtcpm_sip_trace(a, 0, 1, rtcpm_sip_parse_error_name(rc), data, len, from);
        return;
    }
    rtcpm_sip_trace(a, 0, 0, NULL, data, len, from);
    if (m->is_request)
        rtcpm_sip_call_on_request(a, tp, m, from);
    else if (!rtcpm_sip_txn_on_response(a, tp, m))
        rtcpm_sip_call_on_stray_response(a, tp, m);
    rtcpm_sip_msg_free(m);
}

static void read_udp(struct rtcpm_sip_agent *a, struct sip_tp *tp)
{
    char *buf = a->udp_buf;
    int i;
    for (i = 0; i < RX_BATCH && tp->state != TP_FAILED; i++)
    {
        rtcpm_addr from;
        size_t got;
        int rc = rtcpm_socket_recvfrom(tp->sock, buf, UDP_MAX, &got, &from, 0);
        if (rc == RTCPM_SOCK_E_TRUNCATED)
        {
            rtcpm_sip_trace(a, 0, 1, "datagram too long", buf, 0, &from);
            continue;
        }
        if (rc != RTCPM_SOCK_OK) return;
        /* CRLF keep-alives (RFC 5626) and empty datagrams carry nothing */
        if (got <= 4 && strspn(buf, "\r\n") >= got) continue;
        on_message(a, tp, buf, got, &from);
    }
}

/* Every complete message in the TCP buffer; -1 when the stream is broken. */
static int drain_stream(struct rtcpm_sip_agent *a, struct sip_tp *tp)
{
    for (;;)
    {
        size_t skip, len;
        int rc = rtcpm_sip_frame(tp->rx, tp->rx_len, &skip, &len);
        if (rc == RTCPM_SIP_E_INCOMPLETE)
        {
            memmove(tp->rx, tp->rx + skip, tp->rx_len - skip);
            tp->rx_len -= skip;
            return 0;
        }
        if (rc != RTCPM_SIP_OK)
        {
            rtcpm_sip_trace(a, 0, 1, rtcpm_sip_parse_error_name(rc), tp->rx, tp->rx_len, &tp->remote);
            return -1;
        }
        on_message(a, tp, tp->rx + skip, len, &tp->remote);
        if (tp->state == TP_FAILED || !tp->rx) return 0;
        memmove(tp->rx, tp->rx + skip + len, tp->rx_len - skip - len);
        tp->rx_len -= skip + len;
    }
}

static void read_tcp(struct rtcpm_sip_agent *a, struct sip_tp *tp)
{
    size_t cap = RTCPM_SIP_MAX_MESSAGE + 4096, got;
    int rc;
    if (!tp->rx && !(tp->rx = malloc(cap))) return;
    rc = rtcpm_socket_recv_some(tp->sock, tp->rx + tp->rx_len, cap - tp->rx_len, &got);
    if (rc == RTCPM_SOCK_E_TIMEOUT) return;
    if (rc != RTCPM_SOCK_OK)
    {
        rtcpm_sip_trace(a, 0, 1, "connection closed", "", 0, &tp->remote);
        fail_tp(a, tp);
        return;
    }
    tp->rx_len += got;
    if (drain_stream(a, tp) || tp->rx_len == cap) fail_tp(a, tp);
}

static void flush_pending(struct rtcpm_sip_agent *a, struct sip_tp *tp)
{
    struct tp_pending *p;
    while ((p = tp->pending) && tp->state == TP_READY)
    {
        tp->pending = p->next;
        if (FAILED(send_now(a, tp, &tp->remote, p->data, p->len)))
            fail_tp(a, tp);
        else
            rtcpm_sip_trace(a, 1, 0, NULL, p->data, p->len, &tp->remote);
        free(p);
    }
}

static struct sip_tp *tp_of(struct rtcpm_sip_agent *a, const rtcpm_socket *s)
{
    struct sip_tp *tp;
    for (tp = a->tps; tp; tp = tp->next)
        if (tp->sock == s) return tp;
    return NULL;
}

size_t rtcpm_sip_tp_poll_set(struct rtcpm_sip_agent *a, struct rtcpm_poll_item *items, size_t cap)
{
    struct sip_tp *tp;
    size_t n = 0;
    for (tp = a->tps; tp && n < cap; tp = tp->next)
    {
        if (tp->state == TP_FAILED || !tp->refs) continue;
        items[n].sock = tp->sock;
        items[n].want_write = tp->state == TP_CONNECTING;
        n++;
    }
    return n;
}

void rtcpm_sip_tp_ready(struct rtcpm_sip_agent *a, struct rtcpm_poll_item *items, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
    {
        struct sip_tp *tp = tp_of(a, items[i].sock);
        if (!tp || tp->state == TP_FAILED) continue;
        if (tp->state == TP_CONNECTING && items[i].writable)
        {
            if (rtcpm_socket_connect_result(tp->sock) != RTCPM_SOCK_OK)
            {
                rtcpm_sip_trace(a, 0, 1, "TCP connect failed", "", 0, &tp->remote);
                fail_tp(a, tp);
                continue;
            }
            tp->state = TP_READY;
            flush_pending(a, tp);
        }
        if (!items[i].readable || tp->state != TP_READY) continue;
        if (tp->transport == RTCTR_UDP)
            read_udp(a, tp);
        else
            read_tcp(a, tp);
    }
}

static void free_tp(struct sip_tp *tp)
{
    struct tp_pending *p;
    while ((p = tp->pending))
    {
        tp->pending = p->next;
        free(p);
    }
    rtcpm_socket_close(tp->sock); /* TCP: an orderly close; a reset would be an error to the peer */
    free(tp->rx);
    free(tp);
}

void rtcpm_sip_tp_tick(struct rtcpm_sip_agent *a, uint64_t now, uint64_t *next)
{
    struct sip_tp **pp = &a->tps, *tp;
    while ((tp = *pp))
    {
        if (!tp->refs)
        {
            *pp = tp->next;
            free_tp(tp);
            continue;
        }
        if (tp->state == TP_CONNECTING)
        {
            if (now >= tp->connect_deadline)
            {
                rtcpm_sip_trace(a, 0, 1, "TCP connect timed out", "", 0, &tp->remote);
                fail_tp(a, tp);
            }
            else if (tp->connect_deadline < *next)
                *next = tp->connect_deadline;
        }
        pp = &tp->next;
    }
}

void rtcpm_sip_tp_free_all(struct rtcpm_sip_agent *a)
{
    struct sip_tp *tp;
    while ((tp = a->tps))
    {
        a->tps = tp->next;
        free_tp(tp);
    }
}
