/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fake_stun_server.c — the fault-injecting STUN server of fake_stun_server.h.
 */
#include "fake_stun_server.h"

#include <stdlib.h>
#include <string.h>

#include "os/os_platform.h"

#define POLL_MS 20 /* how often the thread looks at the stop flag */

uint32_t fake_stun_rng(uint32_t *state)
{
    uint32_t x = *state ? *state : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* ---- answers ---- */

static const char *reason_for(int code)
{
    switch (code)
    {
    case 300: return "Try Alternate";
    case 400: return "Bad Request";
    case 420: return "Unknown Attribute";
    case 500: return "Server Error";
    default: return "Error";
    }
}

static uint16_t success_type(void) { return rtcpm_stun_message_type(STUN_METHOD_BINDING, STUN_CLASS_SUCCESS); }

/* What the server reports for a request from `client`: its source, or the emulated NAT's. */
static rtcpm_addr reported(const struct fake_stun_options *opt, const rtcpm_addr *client)
{
    rtcpm_addr a = opt->mapped_addr.family != RTCPM_AF_NONE ? opt->mapped_addr : *client;
    int port = ((int)client->port + opt->mapped_port_offset) % 65536;
    if (port < 0) port += 65536;
    a.port = (uint16_t)(port ? port : 1);
    return a;
}

/* The right answer, as a good RFC 5389 server gives it (MAPPED-ADDRESS for a classic
 * request, RFC 5389 section 12), with OTHER-ADDRESS when configured. */
static int good_answer_for(const struct fake_stun_options *opt, uint8_t *buf, size_t cap, const stun_txid *txid,
                           const rtcpm_addr *client)
{
    rtcpm_addr mapped = reported(opt, client);
    if (opt->other_address.family == RTCPM_AF_NONE)
    {
        unsigned enc = txid->len == 16 ? STUN_ENCODE_MAPPED : STUN_ENCODE_XOR_MAPPED;
        return rtcpm_stun_encode_binding_success(buf, cap, txid, &mapped, enc, "rtcpm fake", true);
    }
    stun_writer w;
    rtcpm_stun_writer_init(&w, buf, cap, success_type(), txid);
    rtcpm_stun_writer_add_software(&w, "rtcpm fake", 10);
    if (txid->len == 16)
        rtcpm_stun_writer_add_address(&w, STUN_ATTR_MAPPED_ADDRESS, &mapped);
    else
        rtcpm_stun_writer_add_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS, &mapped);
    rtcpm_stun_writer_add_address(&w, STUN_ATTR_OTHER_ADDRESS, &opt->other_address);
    return rtcpm_stun_writer_finish(&w, true);
}

static const struct fake_stun_options plain_options; /* no NAT, no OTHER-ADDRESS */

static int good_answer(uint8_t *buf, size_t cap, const stun_txid *txid, const rtcpm_addr *client)
{
    return good_answer_for(&plain_options, buf, cap, txid, client);
}

/* A right answer but for header byte wrong_header_byte (4..19, see the header). */
static int wrong_txid_answer(const struct fake_stun_options *opt, uint8_t *buf, size_t cap, const stun_txid *txid,
                             const rtcpm_addr *client)
{
    unsigned at = (opt->wrong_header_byte ? opt->wrong_header_byte : 19) - 4; /* 0..15 */
    stun_txid other = *txid;
    if (at >= 16) return -1;
    if (txid->len == 12 && at < 4)
    {
        /* the cookie changed: no cookie, so the 16 bytes after the type and length are the ID */
        static const uint8_t cookie[4] = { 0x21, 0x12, 0xA4, 0x42 };
        other.len = 16;
        memcpy(other.bytes, cookie, 4);
        memcpy(other.bytes + 4, txid->bytes, 12);
    }
    else if (txid->len == 12)
        at -= 4;
    other.bytes[at] ^= 0x5A;
    return good_answer(buf, cap, &other, client);
}

/* The mode's deliberate answer (for modes that have a bad one). */
static int bad_answer(const struct fake_stun_options *opt, uint8_t *buf, size_t cap, const stun_txid *txid,
                      const rtcpm_addr *client)
{
    stun_writer w;
    switch (opt->mode)
    {
    case FAKE_STUN_WRONG_TXID: return wrong_txid_answer(opt, buf, cap, txid, client);
    case FAKE_STUN_TRUNCATED_ATTR:
    {
        rtcpm_stun_writer_init(&w, buf, cap, success_type(), txid);
        rtcpm_stun_writer_add_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS, client);
        int len = rtcpm_stun_writer_finish(&w, false);
        if (len > 0)
        {
            buf[STUN_HEADER_SIZE + 2] = 0x00; /* the attribute claims 64 bytes */
            buf[STUN_HEADER_SIZE + 3] = 0x40;
        }
        return len;
    }
    case FAKE_STUN_OVERSIZED_ATTR:
    {
        uint8_t v[24] = { 0 };
        size_t alen = client->family == RTCPM_AF_INET ? 4 : 16;
        v[1] = client->family == RTCPM_AF_INET ? 0x01 : 0x02;
        v[2] = (uint8_t)(client->port >> 8);
        v[3] = (uint8_t)client->port;
        memcpy(v + 4, client->bytes, alen);
        rtcpm_stun_writer_init(&w, buf, cap, success_type(), txid);
        rtcpm_stun_writer_add(&w, STUN_ATTR_XOR_MAPPED_ADDRESS, v, 4 + alen + 4);
        return rtcpm_stun_writer_finish(&w, true);
    }
    case FAKE_STUN_NO_ADDRESS:
        rtcpm_stun_writer_init(&w, buf, cap, success_type(), txid);
        rtcpm_stun_writer_add_software(&w, "no address", 10);
        return rtcpm_stun_writer_finish(&w, true);
    case FAKE_STUN_RFC3489:
        return rtcpm_stun_encode_binding_success(buf, cap, txid, client, STUN_ENCODE_MAPPED, NULL, false);
    case FAKE_STUN_ERROR:
        return rtcpm_stun_encode_binding_error(buf, cap, txid, opt->error_code, reason_for(opt->error_code),
                                               "rtcpm fake", true);
    case FAKE_STUN_UNKNOWN_REQUIRED:
    {
        static const uint8_t value[4] = { 1, 2, 3, 4 };
        rtcpm_stun_writer_init(&w, buf, cap, success_type(), txid);
        rtcpm_stun_writer_add_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS, client);
        rtcpm_stun_writer_add(&w, FAKE_STUN_UNKNOWN_ATTR, value, sizeof value);
        return rtcpm_stun_writer_finish(&w, true);
    }
    default: return good_answer(buf, cap, txid, client);
    }
}

/* ---- transport ---- */

struct reply_path
{
    struct fake_stun_server *srv;
    rtcpm_socket *conn; /* TCP connection, or NULL for UDP */
    rtcpm_addr client;
};

static void send_msg(struct reply_path *p, const uint8_t *msg, int len, int from_other)
{
    if (len <= 0) return;
    int rc;
    if (p->conn)
        rc = rtcpm_socket_send_all(p->conn, msg, (size_t)len, 1000);
    else
        rc = rtcpm_socket_sendto(from_other ? p->srv->other : p->srv->sock, msg, (size_t)len, &p->client);
    if (rc == RTCPM_SOCK_OK) p->srv->answers++;
}

/* Sleeps ms in slices, returning early when asked to stop. */
static void pause_ms(struct fake_stun_server *srv, unsigned ms)
{
    uint64_t end = rtcpm_clock_ms() + ms;
    while (!atomic_load(&srv->stop))
    {
        uint64_t now = rtcpm_clock_ms();
        if (now >= end) return;
        unsigned left = (unsigned)(end - now);
        test_sleep_ms(left < POLL_MS ? left : POLL_MS);
    }
}

/* One received message. Returns 1 to close a TCP connection afterwards. */
static int handle(struct reply_path *p, const uint8_t *req, size_t len)
{
    struct fake_stun_server *srv = p->srv;
    struct fake_stun_options options;
    const struct fake_stun_options *opt = &options;
    stun_message *m = malloc(sizeof *m);
    if (!m) return 0;
    /* a copy: fake_stun_set_mapped_addr may change the original meanwhile */
    rtcpm_lock_acquire(&srv->lock);
    options = srv->opt;
    rtcpm_lock_release(&srv->lock);
    int rc = rtcpm_stun_decode(req, len, m);
    if (rc < 0 || m->method != STUN_METHOD_BINDING || m->message_class != STUN_CLASS_REQUEST)
    {
        free(m);
        return 0;
    }
    stun_txid txid = m->txid;
    unsigned n = srv->requests++, i, seen = 0;
    for (i = 0; i < n && i < FAKE_STUN_MAX_LOG && !seen; i++)
        seen = rtcpm_stun_txid_equal(&srv->request_txid[i], &txid);
    if (!seen) srv->transactions++;
    if (n < FAKE_STUN_MAX_LOG)
    {
        srv->request_us[n] = rtcpm_clock_us();
        srv->request_txid[n] = txid;
        srv->request_fingerprint[n] = m->has_fingerprint;
    }
    rtcpm_lock_acquire(&srv->lock);
    srv->last_client = p->client;
    rtcpm_lock_release(&srv->lock);
    free(m);

    uint8_t out[1024];
    int out_len;
    switch (opt->mode)
    {
    case FAKE_STUN_SILENT: return 0;
    case FAKE_STUN_CLOSE: return 1;
    case FAKE_STUN_DROP_FIRST:
        if (srv->requests <= opt->count) return 0;
        break;
    case FAKE_STUN_LOSS:
        if (fake_stun_rng(&srv->rng) % 100 < opt->loss_percent) return 0;
        break;
    case FAKE_STUN_DUPLICATE:
        out_len = good_answer_for(opt, out, sizeof out, &txid, &p->client);
        for (unsigned i = 1; i < opt->count; i++) send_msg(p, out, out_len, 0);
        break;
    case FAKE_STUN_DELAY:
        if (srv->requests != 1) return 0;
        pause_ms(srv, opt->delay_ms);
        break;
    case FAKE_STUN_WRONG_TXID:
    case FAKE_STUN_OTHER_SOURCE:
    case FAKE_STUN_TRUNCATED_ATTR:
    case FAKE_STUN_OVERSIZED_ATTR:
    case FAKE_STUN_NO_ADDRESS:
        out_len = bad_answer(opt, out, sizeof out, &txid, &p->client);
        send_msg(p, out, out_len, opt->mode == FAKE_STUN_OTHER_SOURCE);
        if (!opt->then_right) return 0;
        pause_ms(srv, opt->delay_ms);
        break;
    case FAKE_STUN_RFC3489:
    case FAKE_STUN_ERROR:
    case FAKE_STUN_UNKNOWN_REQUIRED:
        out_len = bad_answer(opt, out, sizeof out, &txid, &p->client);
        send_msg(p, out, out_len, 0);
        return 0;
    case FAKE_STUN_NORMAL: break;
    }
    out_len = good_answer_for(opt, out, sizeof out, &txid, &p->client);
    send_msg(p, out, out_len, 0);
    return 0;
}

static void serve_udp(struct fake_stun_server *srv)
{
    uint8_t buf[2048];
    while (!atomic_load(&srv->stop))
    {
        struct reply_path p = { srv, NULL, { { 0 }, 0, 0, 0 } };
        size_t got = 0;
        int rc = rtcpm_socket_recvfrom(srv->sock, buf, sizeof buf, &got, &p.client, POLL_MS);
        if (rc == RTCPM_SOCK_OK) handle(&p, buf, got);
    }
}

static void serve_tcp_connection(struct fake_stun_server *srv, rtcpm_socket *conn, const rtcpm_addr *peer)
{
    uint8_t buf[2048];
    struct reply_path p = { srv, conn, *peer };
    while (!atomic_load(&srv->stop))
    {
        int rc = rtcpm_socket_recv_exact(conn, buf, STUN_HEADER_SIZE, POLL_MS);
        if (rc == RTCPM_SOCK_E_TIMEOUT) continue;
        if (rc != RTCPM_SOCK_OK) return;
        size_t body = (size_t)buf[2] << 8 | buf[3];
        if (body > sizeof buf - STUN_HEADER_SIZE ||
            rtcpm_socket_recv_exact(conn, buf + STUN_HEADER_SIZE, body, 1000) != RTCPM_SOCK_OK)
            return;
        if (handle(&p, buf, STUN_HEADER_SIZE + body)) return;
    }
}

static void serve_tcp(struct fake_stun_server *srv)
{
    while (!atomic_load(&srv->stop))
    {
        rtcpm_socket *conn = NULL;
        rtcpm_addr peer;
        if (rtcpm_socket_accept(srv->sock, &conn, &peer, POLL_MS) != RTCPM_SOCK_OK) continue;
        srv->connections++;
        serve_tcp_connection(srv, conn, &peer);
        rtcpm_socket_close(conn);
    }
}

static int server_thread(void *arg)
{
    struct fake_stun_server *srv = arg;
    if (srv->opt.transport == RTCPM_SOCK_TCP)
        serve_tcp(srv);
    else
        serve_udp(srv);
    return 0;
}

int fake_stun_start(struct fake_stun_server *srv, const rtcpm_addr *bind_addr, const struct fake_stun_options *opt,
                    int *os_error)
{
    memset(srv, 0, sizeof *srv);
    srv->opt = *opt;
    if (!srv->opt.transport) srv->opt.transport = RTCPM_SOCK_UDP;
    srv->rng = opt->seed;
    atomic_init(&srv->stop, 0);
    atomic_init(&srv->requests, 0);
    atomic_init(&srv->connections, 0);
    rtcpm_lock_init(&srv->lock);

    int rc = rtcpm_socket_open(&srv->sock, srv->opt.transport, bind_addr, os_error);
    if (rc == RTCPM_SOCK_OK && srv->opt.transport == RTCPM_SOCK_UDP)
    {
        rtcpm_addr any_port = *bind_addr;
        any_port.port = 0;
        rc = rtcpm_socket_open(&srv->other, RTCPM_SOCK_UDP, &any_port, os_error);
        if (rc == RTCPM_SOCK_OK) rc = rtcpm_socket_local_addr(srv->other, &srv->other_addr);
    }
    if (rc == RTCPM_SOCK_OK && srv->opt.transport == RTCPM_SOCK_TCP) rc = rtcpm_socket_listen(srv->sock, 4);
    if (rc == RTCPM_SOCK_OK) rc = rtcpm_socket_local_addr(srv->sock, &srv->addr);
    if (rc == RTCPM_SOCK_OK && test_thread_start(&srv->thread, server_thread, srv) != 0) rc = RTCPM_SOCK_E_OTHER;
    if (rc != RTCPM_SOCK_OK)
    {
        rtcpm_socket_close(srv->sock);
        rtcpm_socket_close(srv->other);
        srv->sock = srv->other = NULL;
    }
    return rc;
}

void fake_stun_set_mapped_addr(struct fake_stun_server *srv, const rtcpm_addr *addr)
{
    rtcpm_lock_acquire(&srv->lock);
    srv->opt.mapped_addr = *addr;
    rtcpm_lock_release(&srv->lock);
}

rtcpm_addr fake_stun_last_client(struct fake_stun_server *srv)
{
    rtcpm_addr a;
    rtcpm_lock_acquire(&srv->lock);
    a = srv->last_client;
    rtcpm_lock_release(&srv->lock);
    return a;
}

void fake_stun_stop(struct fake_stun_server *srv)
{
    if (srv->thread)
    {
        atomic_store(&srv->stop, 1);
        test_thread_join(srv->thread);
        srv->thread = NULL;
    }
    rtcpm_socket_close(srv->sock);
    rtcpm_socket_close(srv->other);
    srv->sock = srv->other = NULL;
}
