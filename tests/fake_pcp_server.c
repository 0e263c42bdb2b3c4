/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fake_pcp_server.c — the fault-injecting PCP / NAT-PMP server of fake_pcp_server.h.
 */
#include "fake_pcp_server.h"

#include <string.h>

#include "os/os_platform.h"

#define POLL_MS 20

static uint32_t rng_next(uint32_t *state)
{
    uint32_t x = *state ? *state : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

static uint32_t epoch_now(struct fake_pcp_server *srv)
{
    return (uint32_t)((rtcpm_clock_ms() - srv->epoch_start_ms) / 1000u) + srv->epoch_base;
}

static rtcpm_addr external_of(const struct fake_pcp_server *srv)
{
    static const uint8_t def[4] = { 198, 51, 100, 7 };
    rtcpm_addr a;
    if (srv->opt.external.family != RTCPM_AF_NONE) return srv->opt.external;
    rtcpm_addr_set_v4(&a, def, 0);
    return a;
}

/* ---- the NAT's table (lock held) ---- */

static void expire(struct fake_pcp_server *srv)
{
    uint64_t now = rtcpm_clock_ms();
    size_t i = 0;
    while (i < srv->map_count)
    {
        if (srv->maps[i].expires_ms <= now)
            srv->maps[i] = srv->maps[--srv->map_count];
        else
            i++;
    }
}

static struct fake_pcp_mapping *find(struct fake_pcp_server *srv, const rtcpm_addr *client, uint8_t proto,
                                     uint16_t internal_port)
{
    size_t i;
    for (i = 0; i < srv->map_count; i++)
        if (srv->maps[i].protocol == proto && srv->maps[i].internal_port == internal_port &&
            rtcpm_addr_equal_host(&srv->maps[i].client, client))
            return &srv->maps[i];
    return NULL;
}

static int external_taken(struct fake_pcp_server *srv, uint8_t proto, uint16_t port)
{
    size_t i;
    for (i = 0; i < srv->map_count; i++)
        if (srv->maps[i].protocol == proto && srv->maps[i].external_port == port) return 1;
    return 0;
}

static uint16_t pick_external(struct fake_pcp_server *srv, uint8_t proto, uint16_t suggested, uint16_t internal)
{
    int p = (suggested ? suggested : internal) + srv->opt.port_offset, i;
    for (i = 0; i < 65536; i++)
    {
        int c = ((p + (i ? 10000 : 0) + i) % 65536 + 65536) % 65536;
        if (c && !external_taken(srv, proto, (uint16_t)c)) return (uint16_t)c;
    }
    return 0;
}

static uint32_t clamp_lifetime(const struct fake_pcp_server *srv, uint32_t want)
{
    uint32_t lo = srv->opt.min_lifetime ? srv->opt.min_lifetime : 1;
    uint32_t hi = srv->opt.max_lifetime ? srv->opt.max_lifetime : 86400;
    return want < lo ? lo : want > hi ? hi : want;
}

/* A MAP (or NAT-PMP map): fills *assigned and *lifetime; returns the PCP result code. */
static uint8_t nat_map(struct fake_pcp_server *srv, const rtcpm_addr *client, int natpmp, uint8_t proto,
                       uint16_t internal, uint16_t suggested, const uint8_t *nonce, uint32_t *lifetime,
                       uint16_t *assigned)
{
    struct fake_pcp_mapping *m;
    expire(srv);
    m = find(srv, client, proto, internal);
    if (m && !natpmp && memcmp(m->nonce, nonce, RTCPM_PCP_NONCE_SIZE)) return RTCPM_PCP_NOT_AUTHORIZED;
    if (!*lifetime)
    {
        *assigned = m ? m->external_port : 0;
        if (m) *m = srv->maps[--srv->map_count];
        return RTCPM_PCP_SUCCESS; /* deleting what is not there succeeds too (RFC 6887 15) */
    }
    *lifetime = clamp_lifetime(srv, *lifetime);
    if (!m)
    {
        if (srv->map_count == FAKE_PCP_MAX_MAPPINGS) return RTCPM_PCP_NO_RESOURCES;
        m = &srv->maps[srv->map_count++];
        memset(m, 0, sizeof(*m));
        m->client = *client;
        m->client.port = 0;
        m->protocol = proto;
        m->internal_port = internal;
        m->natpmp = natpmp;
        if (nonce) memcpy(m->nonce, nonce, RTCPM_PCP_NONCE_SIZE);
        m->external_port = pick_external(srv, proto, suggested, internal);
    }
    m->expires_ms = rtcpm_clock_ms() + (uint64_t)*lifetime * 1000u;
    *assigned = m->external_port;
    return RTCPM_PCP_SUCCESS;
}

/* A PEER: fills *assigned; returns the PCP result code. */
static uint8_t nat_peer(struct fake_pcp_server *srv, const rtcpm_addr *client, const struct rtcpm_pcp_request *rq,
                        uint16_t *assigned)
{
    struct fake_pcp_peer *p = NULL;
    size_t i;
    for (i = 0; i < srv->peer_count && !p; i++)
        if (rtcpm_addr_equal_host(&srv->peers[i].client, client) && srv->peers[i].protocol == rq->protocol &&
            srv->peers[i].internal_port == rq->internal_port && rtcpm_addr_equal(&srv->peers[i].remote, &rq->remote))
            p = &srv->peers[i];
    if (!rq->lifetime)
    {
        *assigned = p ? p->external_port : 0;
        if (p) *p = srv->peers[--srv->peer_count];
        return RTCPM_PCP_SUCCESS;
    }
    if (!p)
    {
        if (srv->peer_count == FAKE_PCP_MAX_PEERS) return RTCPM_PCP_NO_RESOURCES;
        p = &srv->peers[srv->peer_count++];
        memset(p, 0, sizeof(*p));
        p->client = *client;
        p->client.port = 0;
        p->protocol = rq->protocol;
        p->internal_port = rq->internal_port;
        p->remote = rq->remote;
    }
    p->external_port =
        (uint16_t)((rq->external_port ? rq->external_port : rq->internal_port) + srv->opt.peer_port_offset);
    *assigned = p->external_port;
    return RTCPM_PCP_SUCCESS;
}

/* ---- requests ---- */

static void log_request(struct fake_pcp_server *srv, const struct fake_pcp_request_log *e)
{
    if (srv->requests < FAKE_PCP_MAX_LOG) srv->log[srv->requests] = *e;
    srv->requests++;
}

/* 1 when this request is lost on purpose (lock held). */
static int lose(struct fake_pcp_server *srv)
{
    if (srv->opt.fault == FAKE_PCP_SILENT) return 1;
    if (srv->opt.fault == FAKE_PCP_DROP_FIRST) return srv->requests - srv->dropped_from <= srv->opt.count;
    if (srv->opt.fault == FAKE_PCP_LOSS) return rng_next(&srv->rng) % 100 < srv->opt.loss_percent;
    return 0;
}

static void send_to(struct fake_pcp_server *srv, const uint8_t *buf, int len, const rtcpm_addr *to, int other)
{
    if (len > 0 && rtcpm_socket_sendto(other ? srv->other : srv->sock, buf, (size_t)len, to) == RTCPM_SOCK_OK)
        srv->answers++;
}

/* The deliberately bad answer of the fault to a right answer rsp; its length (0: none). */
static int bad_pcp(struct fake_pcp_server *srv, const struct rtcpm_pcp_response *rsp, uint8_t *out, size_t cap,
                   int *other)
{
    struct rtcpm_pcp_response bad = *rsp;
    int len;
    *other = 0;
    switch (srv->opt.fault)
    {
    case FAKE_PCP_WRONG_NONCE: bad.nonce[0] ^= 0x5a; return rtcpm_pcp_encode_response(&bad, NULL, 0, out, cap);
    case FAKE_PCP_WRONG_OPCODE:
        bad.opcode = RTCPM_PCP_OP_ANNOUNCE;
        bad.map_present = 0;
        return rtcpm_pcp_encode_response(&bad, NULL, 0, out, cap);
    case FAKE_PCP_SHORT: len = rtcpm_pcp_encode_response(rsp, NULL, 0, out, cap); return len > 20 ? 20 : len;
    case FAKE_PCP_OVERSIZED:
    {
        static uint8_t pad[1104 - RTCPM_PCP_HEADER_SIZE - RTCPM_PCP_MAP_SIZE];
        return rtcpm_pcp_encode_response(rsp, pad, sizeof(pad), out, cap);
    }
    case FAKE_PCP_OTHER_SOURCE: *other = 1; return rtcpm_pcp_encode_response(rsp, NULL, 0, out, cap);
    default: return 0;
    }
}

static void handle_pcp(struct fake_pcp_server *srv, const struct rtcpm_pcp_request *rq, const rtcpm_addr *from)
{
    struct rtcpm_pcp_response rsp;
    uint8_t out[1200];
    int len, other;
    memset(&rsp, 0, sizeof(rsp));
    rsp.version = RTCPM_PCP_VERSION;
    rsp.opcode = rq->opcode;
    rsp.lifetime = rq->lifetime;
    rsp.epoch = epoch_now(srv);
    if (rq->opcode == RTCPM_PCP_OP_MAP)
    {
        rsp.map_present = 1;
        memcpy(rsp.nonce, rq->nonce, RTCPM_PCP_NONCE_SIZE);
        rsp.protocol = rq->protocol;
        rsp.internal_port = rq->internal_port;
        rsp.external = external_of(srv);
        if (!rtcpm_addr_equal_host(&rq->client, from))
            rsp.result = RTCPM_PCP_ADDRESS_MISMATCH;
        else if (srv->opt.fault == FAKE_PCP_RESULT)
            rsp.result = srv->opt.result;
        else
            rsp.result = nat_map(srv, from, 0, rq->protocol, rq->internal_port, rq->external_port, rq->nonce,
                                 &rsp.lifetime, &rsp.external_port);
        if (rsp.result) rsp.lifetime = 0;
    }
    else if (rq->opcode == RTCPM_PCP_OP_PEER)
    {
        rsp.map_present = 1;
        memcpy(rsp.nonce, rq->nonce, RTCPM_PCP_NONCE_SIZE);
        rsp.protocol = rq->protocol;
        rsp.internal_port = rq->internal_port;
        rsp.external = external_of(srv);
        rsp.remote = rq->remote;
        rsp.lifetime = clamp_lifetime(srv, rq->lifetime);
        if (!rtcpm_addr_equal_host(&rq->client, from))
            rsp.result = RTCPM_PCP_ADDRESS_MISMATCH;
        else if (srv->opt.peer_result)
            rsp.result = srv->opt.peer_result;
        else
            rsp.result = nat_peer(srv, from, rq, &rsp.external_port);
        if (rsp.result || !rq->lifetime) rsp.lifetime = 0;
    }
    else if (rq->opcode == RTCPM_PCP_OP_ANNOUNCE && srv->opt.fault == FAKE_PCP_RESULT)
        rsp.result = srv->opt.result;
    len = bad_pcp(srv, &rsp, out, sizeof(out), &other);
    if (len)
    {
        send_to(srv, out, len, from, other);
        if (!srv->opt.then_right) return;
    }
    send_to(srv, out, rtcpm_pcp_encode_response(&rsp, NULL, 0, out, sizeof(out)), from, 0);
}

static void handle_natpmp(struct fake_pcp_server *srv, const struct rtcpm_natpmp_request *rq, const rtcpm_addr *from)
{
    struct rtcpm_natpmp_response rsp;
    uint8_t out[16];
    memset(&rsp, 0, sizeof(rsp));
    rsp.opcode = rq->opcode;
    rsp.epoch = epoch_now(srv);
    rsp.body_present = 1;
    if (rq->opcode == RTCPM_NATPMP_OP_ADDRESS)
        rsp.external = external_of(srv);
    else
    {
        uint8_t proto = rq->opcode == RTCPM_NATPMP_OP_MAP_UDP ? RTCPM_PCP_PROTO_UDP : RTCPM_PCP_PROTO_TCP;
        rsp.internal_port = rq->internal_port;
        rsp.lifetime = rq->lifetime;
        if (srv->opt.fault == FAKE_PCP_RESULT)
            rsp.result = srv->opt.natpmp_result;
        else if (nat_map(srv, from, 1, proto, rq->internal_port, rq->external_port, NULL, &rsp.lifetime,
                         &rsp.external_port))
            rsp.result = RTCPM_NATPMP_NO_RESOURCES;
        if (rsp.result) rsp.lifetime = 0;
    }
    send_to(srv, out, rtcpm_natpmp_encode_response(&rsp, out, sizeof(out)), from, 0);
}

/* A PCP request to a server that speaks only NAT-PMP (or an older PCP). */
static void refuse_version(struct fake_pcp_server *srv, const rtcpm_addr *from)
{
    uint8_t out[RTCPM_PCP_HEADER_SIZE];
    if (srv->opt.fault == FAKE_PCP_NATPMP_ONLY)
    {
        struct rtcpm_natpmp_response rsp;
        memset(&rsp, 0, sizeof(rsp));
        rsp.result = RTCPM_NATPMP_UNSUPP_VERSION;
        rsp.epoch = epoch_now(srv);
        send_to(srv, out, rtcpm_natpmp_encode_response(&rsp, out, sizeof(out)), from, 0);
    }
    else
    {
        struct rtcpm_pcp_response rsp;
        memset(&rsp, 0, sizeof(rsp));
        rsp.version = 1;
        rsp.opcode = RTCPM_PCP_OP_MAP;
        rsp.result = RTCPM_PCP_UNSUPP_VERSION;
        rsp.epoch = epoch_now(srv);
        send_to(srv, out, rtcpm_pcp_encode_response(&rsp, NULL, 0, out, sizeof(out)), from, 0);
    }
}

static void handle(struct fake_pcp_server *srv, const uint8_t *buf, size_t len, const rtcpm_addr *from)
{
    struct fake_pcp_request_log e;
    struct rtcpm_pcp_request rq;
    struct rtcpm_natpmp_request nq;
    int pcp = len && buf[0] == RTCPM_PCP_VERSION;
    memset(&e, 0, sizeof(e));
    e.from = *from;
    e.at_ms = rtcpm_clock_ms();
    if (pcp ? rtcpm_pcp_decode_request(buf, len, &rq) : rtcpm_natpmp_decode_request(buf, len, &nq)) return;
    e.natpmp = !pcp;
    e.opcode = pcp ? rq.opcode : nq.opcode;
    e.lifetime = pcp ? rq.lifetime : nq.lifetime;
    e.internal_port = pcp ? rq.internal_port : nq.internal_port;
    e.external_port = pcp ? rq.external_port : nq.external_port;
    e.protocol = pcp ? rq.protocol : nq.opcode == 1 ? RTCPM_PCP_PROTO_UDP : nq.opcode == 2 ? RTCPM_PCP_PROTO_TCP : 0;
    if (pcp) memcpy(e.nonce, rq.nonce, RTCPM_PCP_NONCE_SIZE);
    if (pcp) e.external = rq.external, e.remote = rq.remote;
    rtcpm_lock_acquire(&srv->lock);
    log_request(srv, &e);
    if (!lose(srv))
    {
        if (pcp && (srv->opt.fault == FAKE_PCP_NATPMP_ONLY || srv->opt.fault == FAKE_PCP_OLD_VERSION))
            refuse_version(srv, from);
        else if (pcp)
            handle_pcp(srv, &rq, from);
        else
            handle_natpmp(srv, &nq, from);
    }
    rtcpm_lock_release(&srv->lock);
}

static int server_thread(void *arg)
{
    struct fake_pcp_server *srv = arg;
    uint8_t buf[1200];
    while (!atomic_load(&srv->stop))
    {
        rtcpm_addr from;
        size_t got = 0;
        if (rtcpm_socket_recvfrom(srv->sock, buf, sizeof(buf), &got, &from, POLL_MS) == RTCPM_SOCK_OK)
            handle(srv, buf, got, &from);
    }
    return 0;
}

/* ---- API ---- */

int fake_pcp_start(struct fake_pcp_server *srv, const rtcpm_addr *bind_addr, const struct fake_pcp_options *opt,
                   int *os_error)
{
    rtcpm_addr any = *bind_addr;
    int rc;
    memset(srv, 0, sizeof(*srv));
    srv->opt = *opt;
    srv->rng = opt->seed;
    srv->epoch_start_ms = rtcpm_clock_ms();
    srv->epoch_base = opt->uptime ? opt->uptime : 1000;
    atomic_init(&srv->stop, 0);
    rtcpm_lock_init(&srv->lock);
    any.port = 0;
    rc = rtcpm_socket_open(&srv->sock, RTCPM_SOCK_UDP, bind_addr, os_error);
    if (rc == RTCPM_SOCK_OK) rc = rtcpm_socket_open(&srv->other, RTCPM_SOCK_UDP, &any, os_error);
    if (rc == RTCPM_SOCK_OK) rc = rtcpm_socket_local_addr(srv->sock, &srv->addr);
    if (rc == RTCPM_SOCK_OK && test_thread_start(&srv->thread, server_thread, srv)) rc = RTCPM_SOCK_E_OTHER;
    if (rc != RTCPM_SOCK_OK)
    {
        rtcpm_socket_close(srv->sock);
        rtcpm_socket_close(srv->other);
        srv->sock = srv->other = NULL;
        rtcpm_lock_destroy(&srv->lock);
    }
    return rc;
}

void fake_pcp_stop(struct fake_pcp_server *srv)
{
    if (!srv->sock) return;
    atomic_store(&srv->stop, 1);
    if (srv->thread) test_thread_join(srv->thread);
    srv->thread = NULL;
    rtcpm_socket_close(srv->sock);
    rtcpm_socket_close(srv->other);
    srv->sock = srv->other = NULL;
    rtcpm_lock_destroy(&srv->lock);
}

void fake_pcp_set_options(struct fake_pcp_server *srv, const struct fake_pcp_options *opt)
{
    rtcpm_lock_acquire(&srv->lock);
    srv->opt = *opt;
    srv->rng = opt->seed;
    srv->dropped_from = srv->requests;
    rtcpm_lock_release(&srv->lock);
}

void fake_pcp_restart(struct fake_pcp_server *srv)
{
    rtcpm_lock_acquire(&srv->lock);
    srv->map_count = 0;
    srv->peer_count = 0;
    srv->epoch_start_ms = rtcpm_clock_ms();
    srv->epoch_base = 0;
    rtcpm_lock_release(&srv->lock);
}

int fake_pcp_announce(struct fake_pcp_server *srv, const rtcpm_addr *to)
{
    struct rtcpm_pcp_response rsp;
    uint8_t out[RTCPM_PCP_HEADER_SIZE];
    int len;
    memset(&rsp, 0, sizeof(rsp));
    rsp.version = RTCPM_PCP_VERSION;
    rsp.opcode = RTCPM_PCP_OP_ANNOUNCE;
    rtcpm_lock_acquire(&srv->lock);
    rsp.epoch = epoch_now(srv);
    rtcpm_lock_release(&srv->lock);
    len = rtcpm_pcp_encode_response(&rsp, NULL, 0, out, sizeof(out));
    return rtcpm_socket_sendto(srv->sock, out, (size_t)len, to);
}

unsigned fake_pcp_requests(struct fake_pcp_server *srv)
{
    unsigned n;
    rtcpm_lock_acquire(&srv->lock);
    n = srv->requests;
    rtcpm_lock_release(&srv->lock);
    return n;
}

int fake_pcp_request(struct fake_pcp_server *srv, unsigned i, struct fake_pcp_request_log *out)
{
    int ok;
    rtcpm_lock_acquire(&srv->lock);
    ok = i < srv->requests && i < FAKE_PCP_MAX_LOG;
    if (ok) *out = srv->log[i];
    rtcpm_lock_release(&srv->lock);
    if (!ok) memset(out, 0, sizeof(*out));
    return ok;
}

size_t fake_pcp_mapping_count(struct fake_pcp_server *srv)
{
    size_t n;
    rtcpm_lock_acquire(&srv->lock);
    expire(srv);
    n = srv->map_count;
    rtcpm_lock_release(&srv->lock);
    return n;
}

int fake_pcp_find(struct fake_pcp_server *srv, uint8_t protocol, uint16_t internal_port, struct fake_pcp_mapping *out)
{
    size_t i;
    int found = 0;
    rtcpm_lock_acquire(&srv->lock);
    expire(srv);
    for (i = 0; i < srv->map_count && !found; i++)
        if (srv->maps[i].protocol == protocol && srv->maps[i].internal_port == internal_port)
        {
            *out = srv->maps[i];
            found = 1;
        }
    rtcpm_lock_release(&srv->lock);
    return found;
}

size_t fake_pcp_peer_count(struct fake_pcp_server *srv)
{
    size_t n;
    rtcpm_lock_acquire(&srv->lock);
    n = srv->peer_count;
    rtcpm_lock_release(&srv->lock);
    return n;
}

int fake_pcp_peer(struct fake_pcp_server *srv, size_t i, struct fake_pcp_peer *out)
{
    int found;
    rtcpm_lock_acquire(&srv->lock);
    found = i < srv->peer_count;
    if (found) *out = srv->peers[i];
    rtcpm_lock_release(&srv->lock);
    return found;
}
