/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_peer.c — the in-process SIP peer and the callback recorder. See sip_peer.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "os/os_platform.h"
#include "sip_peer.h"
#include "loopback.h"

int sip_peer_open(struct sip_peer *p, int tcp)
{
    rtcpm_addr any = test_addr("127.0.0.1", 0);
    memset(p, 0, sizeof(*p));
    p->tcp = tcp;
    if (rtcpm_socket_open(&p->sock, tcp ? RTCPM_SOCK_TCP : RTCPM_SOCK_UDP, &any, NULL)) return -1;
    if (tcp && rtcpm_socket_listen(p->sock, 4)) return -1;
    rtcpm_socket_local_addr(p->sock, &p->addr);
    snprintf(p->tag, sizeof(p->tag), "peer%u", (unsigned)p->addr.port);
    return 0;
}

void sip_peer_close(struct sip_peer *p)
{
    rtcpm_socket_close(p->conn);
    rtcpm_socket_close(p->sock);
    p->conn = p->sock = NULL;
}

static struct rtcpm_sip_msg *recv_tcp(struct sip_peer *p, int timeout_ms)
{
    uint64_t deadline = rtcpm_clock_ms() + (uint64_t)timeout_ms;
    for (;;)
    {
        size_t skip, len;
        struct rtcpm_sip_msg *m = NULL;
        int left = (int)(deadline > rtcpm_clock_ms() ? deadline - rtcpm_clock_ms() : 0);
        if (!p->conn && rtcpm_socket_accept(p->sock, &p->conn, &p->last_from, left)) return NULL;
        if (rtcpm_sip_frame(p->rx, p->rx_len, &skip, &len) == RTCPM_SIP_OK)
        {
            rtcpm_sip_parse(p->rx + skip, len, &m);
            memmove(p->rx, p->rx + skip + len, p->rx_len - skip - len);
            p->rx_len -= skip + len;
            return m;
        }
        if (!left || rtcpm_socket_recv_exact(p->conn, p->rx + p->rx_len, 1, left)) return NULL;
        p->rx_len++;
    }
}

struct rtcpm_sip_msg *sip_peer_recv(struct sip_peer *p, int timeout_ms, uint64_t *at)
{
    struct rtcpm_sip_msg *m = NULL;
    rtcpm_addr from;
    size_t got;
    if (p->tcp)
        m = recv_tcp(p, timeout_ms);
    else if (!rtcpm_socket_recvfrom(p->sock, p->rx, sizeof(p->rx), &got, &from, timeout_ms))
    {
        p->last_from = from; /* a timeout would zero it */
        rtcpm_sip_parse(p->rx, got, &m);
    }
    if (at) *at = rtcpm_clock_ms();
    return m;
}

struct rtcpm_sip_msg *sip_peer_expect(struct sip_peer *p, const char *method, int timeout_ms)
{
    uint64_t deadline = rtcpm_clock_ms() + (uint64_t)timeout_ms;
    for (;;)
    {
        uint64_t now = rtcpm_clock_ms();
        struct rtcpm_sip_msg *m;
        if (now >= deadline) return NULL;
        m = sip_peer_recv(p, (int)(deadline - now), NULL);
        if (m && m->is_request && rtcpm_sip_span_eq(m->method, method)) return m;
        rtcpm_sip_msg_free(m);
    }
}

struct rtcpm_sip_msg *sip_peer_expect_cseq(struct sip_peer *p, const char *method, uint32_t min_cseq, int timeout_ms)
{
    uint64_t deadline = rtcpm_clock_ms() + (uint64_t)timeout_ms;
    for (;;)
    {
        uint64_t now = rtcpm_clock_ms();
        struct rtcpm_sip_msg *m;
        if (now >= deadline) return NULL;
        if ((m = sip_peer_expect(p, method, (int)(deadline - now))) && m->cseq >= min_cseq) return m;
        rtcpm_sip_msg_free(m);
    }
}

void sip_peer_send_raw(struct sip_peer *p, const char *data, size_t len)
{
    if (p->tcp)
        rtcpm_socket_send_all(p->conn, data, len, 1000);
    else
        rtcpm_socket_sendto(p->sock, data, len, &p->last_from);
}

void sip_peer_reply(struct sip_peer *p, const struct rtcpm_sip_msg *req, int code, const char *reason,
                    const char *extra, const char *body)
{
    char out[8192];
    size_t i, n;
    n = (size_t)snprintf(out, sizeof(out), "SIP/2.0 %d %s\r\n", code, reason);
    for (i = 0; i < req->header_count; i++)
    {
        const struct rtcpm_sip_header *h = &req->headers[i];
        if (h->kind == RTCPM_SIP_HDR_VIA || h->kind == RTCPM_SIP_HDR_FROM || h->kind == RTCPM_SIP_HDR_CALL_ID ||
            h->kind == RTCPM_SIP_HDR_CSEQ)
            n += (size_t)snprintf(out + n, sizeof(out) - n, "%.*s: %.*s\r\n", (int)h->name.n, h->name.p,
                                  (int)h->value.n, h->value.p);
        else if (h->kind == RTCPM_SIP_HDR_TO)
            n += (size_t)snprintf(
                out + n, sizeof(out) - n, "To: %.*s%s%s\r\n", (int)h->value.n, h->value.p,
                req->to.tag.n || code == 100 ? "" : ";tag=", req->to.tag.n || code == 100 ? "" : p->tag);
    }
    n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%sContent-Length: %zu\r\n\r\n%s", extra ? extra : "",
                          body ? "Content-Type: application/sdp\r\n" : "", body ? strlen(body) : 0, body ? body : "");
    sip_peer_send_raw(p, out, n);
}

const char *sip_peer_header(const struct rtcpm_sip_msg *m, const char *name, char *buf, size_t cap)
{
    size_t i;
    buf[0] = 0;
    for (i = 0; i < m->header_count; i++)
        if (rtcpm_sip_span_ieq(m->headers[i].name, name))
        {
            rtcpm_sip_span_copy(buf, cap, m->headers[i].value);
            break;
        }
    return buf;
}

void sip_peer_flow(const struct sip_peer *p, struct rtcpm_sip_flow *flow, const rtcpm_addr *external)
{
    memset(flow, 0, sizeof(*flow));
    flow->transport = p->tcp ? RTCTR_TCP : RTCTR_UDP;
    flow->local = test_addr("127.0.0.1", 0);
    if (external) flow->external = *external;
    flow->next_hop = p->addr;
}

/* ---- events ---- */

void sip_events_init(struct sip_events *e)
{
    memset(e, 0, sizeof(*e));
    rtcpm_lock_init(&e->lock);
    rtcpm_cond_init(&e->cond);
}

void sip_events_destroy(struct sip_events *e)
{
    rtcpm_cond_destroy(&e->cond);
    rtcpm_lock_destroy(&e->lock);
}

static void push(struct sip_events *e, const struct sip_event *ev)
{
    if (e->hook) e->hook(e, ev); /* before the test can see the event */
    rtcpm_lock_acquire(&e->lock);
    if (e->count < SIP_EVENTS_MAX) e->ev[e->count++] = *ev;
    rtcpm_cond_broadcast(&e->cond);
    rtcpm_lock_release(&e->lock);
}

void sip_events_reg_cb(void *ctx, rtcpm_sip_reg *reg, const struct rtcpm_sip_reg_event *ev)
{
    struct sip_event x;
    (void)reg;
    memset(&x, 0, sizeof(x));
    x.state = ev->state;
    x.status = ev->status_code;
    x.hr = ev->hr;
    x.expires = ev->expires_s;
    snprintf(x.reason, sizeof(x.reason), "%s", ev->reason);
    x.at = rtcpm_clock_ms();
    push(ctx, &x);
}

void sip_events_call_cb(void *ctx, rtcpm_sip_call *call, const struct rtcpm_sip_call_event *ev)
{
    struct sip_event x;
    memset(&x, 0, sizeof(x));
    x.call = call;
    snprintf(x.remote_uri, sizeof(x.remote_uri), "%s", ev->remote_uri ? ev->remote_uri : "");
    snprintf(x.remote_display, sizeof(x.remote_display), "%s", ev->remote_display ? ev->remote_display : "");
    x.is_call = 1;
    x.state = ev->state;
    x.status = ev->status_code;
    x.hr = ev->hr;
    x.by_peer = ev->by_peer;
    snprintf(x.reason, sizeof(x.reason), "%s", ev->reason);
    snprintf(x.content_type, sizeof(x.content_type), "%s", ev->content_type);
    if (ev->body) snprintf(x.body, sizeof(x.body), "%.*s", (int)ev->body_len, ev->body);
    x.at = rtcpm_clock_ms();
    push(ctx, &x);
}

const struct sip_event *sip_events_next(struct sip_events *e, int timeout_ms)
{
    uint64_t deadline = rtcpm_clock_ms() + (uint64_t)timeout_ms;
    const struct sip_event *ev = NULL;
    rtcpm_lock_acquire(&e->lock);
    while (e->read == e->count && rtcpm_clock_ms() < deadline)
        rtcpm_cond_wait(&e->cond, &e->lock, (long)(deadline - rtcpm_clock_ms()));
    if (e->read < e->count) ev = &e->ev[e->read++];
    rtcpm_lock_release(&e->lock);
    return ev;
}

void sip_peer_trace(void *ctx, int sent, int dropped, const char *why, const char *msg, size_t len,
                    const rtcpm_addr *peer)
{
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE] = "?";
    (void)ctx;
    if (!getenv("RTCPM_SIP_TRACE")) return;
    if (peer) rtcpm_addr_format_hostport(peer, a, sizeof(a));
    fprintf(stderr, "[%llu] %s %s %s%s%s\n%.*s\n", (unsigned long long)rtcpm_clock_ms(),
            sent ? "sent to" : "received from", a, dropped ? "(dropped: " : "", dropped ? why : "", dropped ? ")" : "",
            (int)len, msg);
}

int sip_peer_agent_start(unsigned *t1, const char *user_agent, rtcpm_sip_agent **agent, struct sip_events *events)
{
    struct rtcpm_sip_agent_config cfg;
    if (getenv("RTCPM_TEST_T1")) *t1 = (unsigned)atoi(getenv("RTCPM_TEST_T1"));
    memset(&cfg, 0, sizeof(cfg));
    cfg.timers.t1_ms = *t1;
    cfg.timers.t2_ms = 8 * *t1;
    cfg.timers.t4_ms = 2 * *t1;
    cfg.trace = sip_peer_trace;
    cfg.user_agent = user_agent;
    sip_events_init(events);
    return rtcpm_sip_agent_start(&cfg, agent) == S_OK ? 0 : -1;
}

int sip_peer_agent_stop(rtcpm_sip_agent *agent, struct sip_events *events)
{
    HRESULT hr = rtcpm_sip_agent_stop(agent);
    sip_events_destroy(events);
    return hr == S_OK ? 0 : -1;
}
