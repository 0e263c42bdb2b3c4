/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stun_pm.c — the STUN port manager: one COM object (IRTCPortManager, 2, 3 + FTM) that binds
 * an internal port, learns its external side by a STUN Binding request from that port, and
 * hands the pair to RTC. Behaviour and results: include/rtcpm/stun_pm.h.
 *
 * Locks. `lock` guards the port cursors, the claims, the cache, the NAT verdicts, the
 * counters, last_error and the worker state; the mapping table has its own lock (order:
 * object lock, then table lock). No lock is held while a socket is bound or a STUN
 * transaction runs: a call claims its port under the lock (a claim keeps every other call
 * off it), drops the lock for the network, and takes it again to record the result.
 *
 * A call's path: check arguments -> internal address (config or route) -> wait for the
 * warm-up (within the budget) -> a fresh "symmetric" verdict fails at once -> claim + bind
 * a port -> cache hit, or discovery (+ symmetric check) from the bound socket -> close it ->
 * record the mapping (and the RTCP port kept for an RTP mapping) -> new BSTRs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pm/stun_pm_private.h"
#include "pm/pm_common.h"
#include "pm/mapping_table.h"
#include "pm/config.h"
#include "os/socket.h"
#include "net/stun_client.h"
#include "os/platform.h"
#include "com/com.h"
#include "com/ftm.h"
#include "os/lock.h"
#include "com/log.h"

#define CACHE_MAX     256 /* discoveries kept; the oldest goes first */
#define NAT_MAX       8   /* internal addresses whose NAT behaviour is kept */
#define TRIED_MAX     256 /* ports one call may find bound by others before giving up */
#define OS_PICK_TRIES 16  /* OS-picked ports one call may reject (parity, taken) */
#define WHY_MAX       256

enum proto
{
    PROTO_UDP = 1,
    PROTO_TCP = 2
}; /* port namespaces: TCP and TLS share one */

static int proto_of(LONG transport) { return transport == RTCTR_UDP ? PROTO_UDP : PROTO_TCP; }
static int is_rtp(int type) { return type == RTCPT_AUDIO_RTP || type == RTCPT_VIDEO_RTP; }
static int is_rtcp(int type) { return type == RTCPT_AUDIO_RTCP || type == RTCPT_VIDEO_RTCP; }

/* A port nobody else may take: being probed by a call in flight (rtcp_for 0), or kept for
 * the RTCP mapping (type rtcp_for) that follows an RTP mapping on the port below it. */
struct claim
{
    int proto;
    rtcpm_addr addr;   /* internal address with port */
    int rtcp_for;      /* 0, or the RTCPT_*_RTCP type it is kept for */
    LONG transport;    /* the RTP mapping's transport (rtcp_for only) */
    rtcpm_addr remote; /* the RTP mapping's remote (rtcp_for only; NONE = none given) */
};

/* One UDP discovery: internal address:port -> mapped, learned from server at at_ms. */
struct cache_entry
{
    rtcpm_addr internal, mapped, server;
    uint64_t at_ms;
};

/* UNCHECKED: a check was tried and got no answer; kept like a verdict, so that a second
 * server that is down does not cost every call its budget. */
enum verdict
{
    VERDICT_NONE,
    VERDICT_INDEPENDENT,
    VERDICT_SYMMETRIC,
    VERDICT_UNCHECKED
};

/* What the NAT looked like from one internal address. */
struct nat_info
{
    rtcpm_addr internal; /* port 0 */
    rtcpm_addr external; /* last external address seen (port 0); NONE = unknown */
    uint64_t external_at_ms;
    enum verdict verdict;
    uint64_t verdict_at_ms;
    char verdict_text[200];
};

struct stun_pm
{
    struct pm_object base; /* the interface and the mapping table */
    LONG ref;
    struct com_ftm ftm;
    struct stun_pm_settings set; /* immutable */

    struct rtcpm_lock lock;
    struct rtcpm_cond cond; /* warming or stopping changed */
    uint32_t cursor[RTCPM_STUN_PM_MAX_RANGES];
    struct claim *claims;
    size_t claim_count, claim_cap;
    struct cache_entry cache[CACHE_MAX];
    size_t cache_count;
    struct nat_info nats[NAT_MAX];
    size_t nat_count;
    char last_error[WHY_MAX];
    int warming, stopping;
    rtcpm_thread *worker;
    struct rtcpm_stun_pm_stats stats;
};

static const IRTCPortManager3Vtbl stun_pm_vtbl;

static inline struct stun_pm *impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return CONTAINING_RECORD(iface, struct stun_pm, base.IRTCPortManager3_iface);
}

static struct stun_pm *stun_pm_from(IRTCPortManager3 *iface)
{
    return iface && iface->lpVtbl == &stun_pm_vtbl ? impl_from_IRTCPortManager3(iface) : NULL;
}

static void fmt(char *buf, size_t len, const char *f, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void fmt(char *buf, size_t len, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, len, f, ap);
    va_end(ap);
}

static const char *hostport(const rtcpm_addr *a, char buf[RTCPM_ADDR_HOSTPORT_TEXT_SIZE])
{
    if (rtcpm_addr_format_hostport(a, buf, RTCPM_ADDR_HOSTPORT_TEXT_SIZE) < 0) strcpy(buf, "?");
    return buf;
}

static const char *host(const rtcpm_addr *a, char buf[RTCPM_ADDR_TEXT_SIZE])
{
    if (rtcpm_addr_format(a, buf, RTCPM_ADDR_TEXT_SIZE) < 0) strcpy(buf, "?");
    return buf;
}

static uint64_t ms_left(uint64_t deadline)
{
    uint64_t now = rtcpm_clock_ms();
    return deadline > now ? deadline - now : 0;
}

static int same_port(const rtcpm_addr *a, const rtcpm_addr *b) { return rtcpm_addr_equal(a, b); }

/* ---- settings helpers ---- */

/* The servers of one family, in order. */
static size_t servers_of(const struct stun_pm *pm, int family, rtcpm_addr *out)
{
    size_t i, n = 0;
    for (i = 0; i < pm->set.server_count; i++)
        if (pm->set.servers[i].family == family) out[n++] = pm->set.servers[i];
    return n;
}

static uint32_t server_timeout(const struct stun_pm *pm, size_t servers)
{
    uint32_t t = pm->set.server_timeout_ms;
    if (!t) t = pm->set.timeout_ms / (uint32_t)(servers ? servers : 1);
    return t ? t : 1;
}

static void stun_config(const struct stun_pm *pm, rtcpm_stun_config *cfg, uint32_t deadline_ms)
{
    rtcpm_stun_config_init(cfg);
    cfg->rto_ms = pm->set.rto_ms;
    cfg->max_requests = pm->set.retransmissions + 1;
    cfg->final_wait_rto = 16; /* the deadline ends the wait long before */
    cfg->classic = pm->set.classic != 0;
    cfg->software = "rtcpm";
    cfg->deadline_ms = deadline_ms;
    cfg->tcp_timeout_ms = deadline_ms;
}

/* The range serving (type, transport): the first matching one; an RTCP type without one
 * of its own takes its RTP type's (*in_rtp_range set: odd ports preferred there). */
static int range_for(const struct stun_pm *pm, int type, LONG transport, int *in_rtp_range)
{
    size_t i;
    int pass;
    *in_rtp_range = 0;
    for (pass = 0; pass < 2; pass++)
    {
        int want = pass ? type - 1 : type;
        if (pass && !is_rtcp(type)) break;
        for (i = 0; i < pm->set.range_count; i++)
        {
            const struct stun_pm_range *r = &pm->set.ranges[i];
            if ((r->port_type == want || r->port_type == RTCPM_PORT_TYPE_ANY) && (r->transports & (unsigned)transport))
            {
                *in_rtp_range = pass;
                return (int)i;
            }
        }
    }
    return -1;
}

static int port_in_any_range(const struct stun_pm *pm, uint16_t port)
{
    size_t i;
    for (i = 0; i < pm->set.range_count; i++)
        if (port >= pm->set.ranges[i].first && port <= pm->set.ranges[i].last) return 1;
    return 0;
}

/* ---- claims, cache, NAT info (caller holds pm->lock) ---- */

static struct claim *claim_find(struct stun_pm *pm, int proto, const rtcpm_addr *a)
{
    size_t i;
    for (i = 0; i < pm->claim_count; i++)
        if (pm->claims[i].proto == proto && same_port(&pm->claims[i].addr, a)) return &pm->claims[i];
    return NULL;
}

static int claim_add(struct stun_pm *pm, int proto, const rtcpm_addr *a)
{
    if (pm->claim_count == pm->claim_cap)
    {
        size_t cap = pm->claim_cap ? pm->claim_cap * 2 : 16;
        struct claim *grown = realloc(pm->claims, cap * sizeof(*grown));
        if (!grown) return -1;
        pm->claims = grown;
        pm->claim_cap = cap;
    }
    memset(&pm->claims[pm->claim_count], 0, sizeof(pm->claims[0]));
    pm->claims[pm->claim_count].proto = proto;
    pm->claims[pm->claim_count].addr = *a;
    pm->claim_count++;
    return 0;
}

/* Removes the claim (order kept: the oldest RTCP reservation is found first). */
static void claim_remove(struct stun_pm *pm, struct claim *c)
{
    size_t i = (size_t)(c - pm->claims);
    memmove(c, c + 1, (pm->claim_count - i - 1) * sizeof(*c));
    pm->claim_count--;
}

static void claim_drop(struct stun_pm *pm, int proto, const rtcpm_addr *a)
{
    struct claim *c = claim_find(pm, proto, a);
    if (c) claim_remove(pm, c);
}

/* Free: no claim, no live mapping of its port namespace (TCP and TLS share ports). */
static int port_free(struct stun_pm *pm, int proto, const rtcpm_addr *a)
{
    if (claim_find(pm, proto, a)) return 0;
    if (proto == PROTO_UDP) return !rtcpm_mapping_table_find_internal(pm->base.table, RTCTR_UDP, a, NULL);
    return !rtcpm_mapping_table_find_internal(pm->base.table, RTCTR_TCP, a, NULL) &&
           !rtcpm_mapping_table_find_internal(pm->base.table, RTCTR_TLS, a, NULL);
}

static struct cache_entry *cache_find(struct stun_pm *pm, const rtcpm_addr *internal, uint64_t now)
{
    size_t i;
    uint64_t age = (uint64_t)pm->set.cache_age_s * 1000u;
    for (i = 0; i < pm->cache_count; i++)
        if (same_port(&pm->cache[i].internal, internal)) return now - pm->cache[i].at_ms < age ? &pm->cache[i] : NULL;
    return NULL;
}

static void cache_put(struct stun_pm *pm, const rtcpm_addr *internal, const rtcpm_addr *mapped,
                      const rtcpm_addr *server, uint64_t now)
{
    size_t i, slot = pm->cache_count;
    if (!pm->set.cache_age_s) return;
    for (i = 0; i < pm->cache_count; i++)
        if (same_port(&pm->cache[i].internal, internal)) slot = i;
    if (slot == CACHE_MAX)
    {
        slot = 0; /* full: the oldest entry goes */
        for (i = 1; i < CACHE_MAX; i++)
            if (pm->cache[i].at_ms < pm->cache[slot].at_ms) slot = i;
    }
    if (slot == pm->cache_count) pm->cache_count++;
    pm->cache[slot].internal = *internal;
    pm->cache[slot].mapped = *mapped;
    pm->cache[slot].server = *server;
    pm->cache[slot].at_ms = now;
}

/* Drops the entries of one internal address (its NAT changed or turned out symmetric). */
static void cache_purge(struct stun_pm *pm, const rtcpm_addr *internal_host)
{
    size_t i = 0;
    while (i < pm->cache_count)
    {
        if (rtcpm_addr_equal_host(&pm->cache[i].internal, internal_host))
            pm->cache[i] = pm->cache[--pm->cache_count];
        else
            i++;
    }
}

static struct nat_info *nat_get(struct stun_pm *pm, const rtcpm_addr *internal_host, int create)
{
    size_t i, slot;
    for (i = 0; i < pm->nat_count; i++)
        if (rtcpm_addr_equal_host(&pm->nats[i].internal, internal_host)) return &pm->nats[i];
    if (!create) return NULL;
    slot = pm->nat_count;
    if (slot == NAT_MAX)
    {
        slot = 0;
        for (i = 1; i < NAT_MAX; i++)
            if (pm->nats[i].external_at_ms < pm->nats[slot].external_at_ms) slot = i;
    }
    else
        pm->nat_count++;
    memset(&pm->nats[slot], 0, sizeof(pm->nats[slot]));
    pm->nats[slot].internal = *internal_host;
    pm->nats[slot].internal.port = 0;
    return &pm->nats[slot];
}

/* The verdict for an internal address when it is recent enough to skip the check. */
static enum verdict verdict_fresh(struct stun_pm *pm, const rtcpm_addr *internal_host, uint64_t now, char *text,
                                  size_t textlen)
{
    struct nat_info *n = nat_get(pm, internal_host, 0);
    if (!n || n->verdict == VERDICT_NONE || now - n->verdict_at_ms >= (uint64_t)pm->set.symmetric_check_age_s * 1000u)
        return VERDICT_NONE;
    if (text) fmt(text, textlen, "%s", n->verdict_text);
    return n->verdict;
}

/* Records an external address seen from internal_host; a change drops the cache. */
static void nat_saw_external(struct stun_pm *pm, const rtcpm_addr *internal_host, const rtcpm_addr *mapped,
                             uint64_t now)
{
    struct nat_info *n = nat_get(pm, internal_host, 1);
    rtcpm_addr ext = *mapped;
    ext.port = 0;
    if (n->external.family != RTCPM_AF_NONE && !rtcpm_addr_equal(&n->external, &ext))
    {
        char a[RTCPM_ADDR_TEXT_SIZE], b[RTCPM_ADDR_TEXT_SIZE];
        RTCPM_TRACE(RTCPM_LOG_PM, "external address of %s changed from %s to %s: cache dropped", host(internal_host, a),
                    host(&n->external, b), host(&ext, a));
        cache_purge(pm, internal_host);
    }
    n->external = ext;
    n->external_at_ms = now;
}

static void nat_set_verdict(struct stun_pm *pm, const rtcpm_addr *internal_host, enum verdict v, const char *text,
                            uint64_t now)
{
    struct nat_info *n = nat_get(pm, internal_host, 1);
    n->verdict = v;
    n->verdict_at_ms = now;
    fmt(n->verdict_text, sizeof(n->verdict_text), "%s", text);
    if (v == VERDICT_SYMMETRIC) cache_purge(pm, internal_host);
}

/* ---- ports: claim and bind ---- */

/* A claimed, bound internal port (and, for RTP, the next port claimed too). */
struct probe
{
    int proto;
    int pair;            /* port + 1 claimed as well (RTP) */
    rtcpm_addr internal; /* with the port */
    rtcpm_socket *sock;  /* bound to internal */
    int cached;          /* cache hit: no discovery needed */
    rtcpm_addr cached_mapped, cached_server;
};

struct tried
{
    uint16_t port[TRIED_MAX];
    size_t count;
};

static int was_tried(const struct tried *t, uint16_t port)
{
    size_t i;
    for (i = 0; i < t->count; i++)
        if (t->port[i] == port) return 1;
    return 0;
}

/* Does `port` suit (parity, pair fits in [first, last]) and is it (and port+1) free? */
static int candidate_ok(struct stun_pm *pm, int proto, const rtcpm_addr *host_addr, uint32_t port, int pair,
                        int odd_only, uint32_t last, const struct tried *tried)
{
    rtcpm_addr a = *host_addr;
    if (port < 1 || port > 65535 || was_tried(tried, (uint16_t)port)) return 0;
    if (pair && ((port & 1) || port + 1 > last)) return 0;
    if (odd_only && !(port & 1)) return 0;
    a.port = (uint16_t)port;
    if (!port_free(pm, proto, &a)) return 0;
    if (pair)
    {
        a.port = (uint16_t)(port + 1);
        if (!port_free(pm, proto, &a)) return 0;
    }
    return 1;
}

/* Claims port (and port + 1 when pair). Caller holds the lock. 0, or -1 out of memory. */
static int claim_ports(struct stun_pm *pm, int proto, const rtcpm_addr *host_addr, uint16_t port, int pair)
{
    rtcpm_addr a = *host_addr;
    a.port = port;
    if (claim_add(pm, proto, &a)) return -1;
    if (pair)
    {
        a.port = (uint16_t)(port + 1);
        if (claim_add(pm, proto, &a))
        {
            a.port = port;
            claim_drop(pm, proto, &a);
            return -1;
        }
    }
    return 0;
}

static void unclaim_ports(struct stun_pm *pm, int proto, const rtcpm_addr *internal, int pair)
{
    rtcpm_addr a = *internal;
    claim_drop(pm, proto, &a);
    if (pair)
    {
        a.port = (uint16_t)(a.port + 1);
        claim_drop(pm, proto, &a);
    }
}

/* A cached UDP port that fits, in range r (or, r NULL, outside every range). Lock held. */
static int pick_cached(struct stun_pm *pm, const rtcpm_addr *host_addr, const struct stun_pm_range *r, int pair,
                       int odd_only, const struct tried *tried, uint64_t now)
{
    size_t i;
    uint64_t age = (uint64_t)pm->set.cache_age_s * 1000u;
    for (i = 0; i < pm->cache_count; i++)
    {
        const struct cache_entry *c = &pm->cache[i];
        uint16_t p = c->internal.port;
        if (now - c->at_ms >= age || !rtcpm_addr_equal_host(&c->internal, host_addr)) continue;
        if (r ? (p < r->first || p > r->last) : port_in_any_range(pm, p)) continue;
        if (candidate_ok(pm, PROTO_UDP, host_addr, p, pair, odd_only, r ? r->last : 65535, tried)) return p;
    }
    return 0;
}

/* The next fitting port of range `ri`, round robin (the caller claims it), or 0 when none
 * is free. Lock held. */
static int pick_in_range(struct stun_pm *pm, int ri, int proto, const rtcpm_addr *host_addr, int pair, int prefer_odd,
                         const struct tried *tried)
{
    const struct stun_pm_range *r = &pm->set.ranges[ri];
    uint32_t size = (uint32_t)r->last - r->first + 1, k;
    int pass;
    for (pass = prefer_odd ? 0 : 1; pass < 2; pass++)
        for (k = 0; k < size; k++)
        {
            uint32_t off = (pm->cursor[ri] + k) % size;
            if (candidate_ok(pm, proto, host_addr, r->first + off, pair, pass == 0, r->last, tried))
            {
                pm->cursor[ri] = (off + (pair ? 2 : 1)) % size;
                return (int)(r->first + off);
            }
        }
    return 0;
}

/* Opens the probe socket; RTCPM_SOCK_E_ADDR_IN_USE when someone holds the port. For a
 * pair, port + 1 is bound and closed again, only to see that it is free. */
static int bind_probe(struct probe *p, int *os_error)
{
    int rc =
        rtcpm_socket_open(&p->sock, p->proto == PROTO_UDP ? RTCPM_SOCK_UDP : RTCPM_SOCK_TCP, &p->internal, os_error);
    if (rc == RTCPM_SOCK_OK && p->pair)
    {
        rtcpm_socket *next;
        rtcpm_addr a = p->internal;
        a.port = (uint16_t)(a.port + 1);
        rc = rtcpm_socket_open(&next, p->proto == PROTO_UDP ? RTCPM_SOCK_UDP : RTCPM_SOCK_TCP, &a, os_error);
        rtcpm_socket_close(next);
        if (rc != RTCPM_SOCK_OK)
        {
            rtcpm_socket_close(p->sock);
            p->sock = NULL;
        }
    }
    return rc;
}

static void probe_close(struct probe *p)
{
    if (p->proto == PROTO_TCP)
        rtcpm_socket_close_abort(p->sock);
    else
        rtcpm_socket_close(p->sock);
    p->sock = NULL;
}

/* Fills p->cached from the cache. Lock held. */
static void probe_check_cache(struct stun_pm *pm, struct probe *p, uint64_t now)
{
    struct cache_entry *c = p->proto == PROTO_UDP ? cache_find(pm, &p->internal, now) : NULL;
    p->cached = c != NULL;
    if (c)
    {
        p->cached_mapped = c->mapped;
        p->cached_server = c->server;
    }
}

/* bind_probe; once bound, p->cached from the cache (takes the lock: caller must not hold it). */
static int bind_probe_check_cache(struct stun_pm *pm, struct probe *p, int *os_error)
{
    int rc = bind_probe(p, os_error);
    if (rc == RTCPM_SOCK_OK)
    {
        rtcpm_lock_acquire(&pm->lock);
        probe_check_cache(pm, p, rtcpm_clock_ms());
        rtcpm_lock_release(&pm->lock);
    }
    return rc;
}

/*
 * Claims and binds an internal port for (type, transport) on host_addr. S_OK with p filled;
 * RTC_E_PORT_MAPPING_UNAVAILABLE (no free port), RTC_E_PORT_MAPPING_FAILED (bind error),
 * E_OUTOFMEMORY; why says which.
 */
static HRESULT probe_open(struct stun_pm *pm, int type, LONG transport, const rtcpm_addr *host_addr,
                          const rtcpm_addr *remote, struct probe *p, char *why, size_t whylen)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    struct tried *tried;
    int in_rtp_range, ri, os_error = 0, rc;
    uint64_t now;
    HRESULT hr = RTC_E_PORT_MAPPING_UNAVAILABLE;

    memset(p, 0, sizeof(*p));
    p->proto = proto_of(transport);
    p->pair = is_rtp(type);
    ri = range_for(pm, type, transport, &in_rtp_range);
    if (!(tried = calloc(1, sizeof(*tried)))) return E_OUTOFMEMORY;

    /* The RTCP port kept for this media by an RTP mapping comes first: the one whose RTP
     * mapping had the same remote (calls in parallel), else the oldest. */
    if (is_rtcp(type))
    {
        struct claim *found = NULL;
        size_t i;
        rtcpm_lock_acquire(&pm->lock);
        for (i = 0; i < pm->claim_count; i++)
        {
            struct claim *c = &pm->claims[i];
            if (c->rtcp_for != type || c->transport != transport || !rtcpm_addr_equal_host(&c->addr, host_addr))
                continue;
            if (!found) found = c;
            if (remote->family != RTCPM_AF_NONE && rtcpm_addr_equal_host(&c->remote, remote))
            {
                found = c;
                break;
            }
        }
        if (found)
        {
            found->rtcp_for = 0; /* now this call's probe claim */
            p->internal = found->addr;
        }
        rtcpm_lock_release(&pm->lock);
        if (p->internal.family != RTCPM_AF_NONE)
        {
            if (bind_probe_check_cache(pm, p, &os_error) == RTCPM_SOCK_OK)
            {
                free(tried);
                return S_OK;
            }
            rtcpm_lock_acquire(&pm->lock);
            claim_drop(pm, p->proto, &p->internal);
            rtcpm_lock_release(&pm->lock);
            if (tried->count < TRIED_MAX) tried->port[tried->count++] = p->internal.port;
            memset(&p->internal, 0, sizeof(p->internal));
        }
    }

    for (;;)
    {
        int port = 0;
        now = rtcpm_clock_ms();
        rtcpm_lock_acquire(&pm->lock);
        if (p->proto == PROTO_UDP)
            port = pick_cached(pm, host_addr, ri >= 0 ? &pm->set.ranges[ri] : NULL, p->pair, in_rtp_range, tried, now);
        if (!port && ri >= 0) port = pick_in_range(pm, ri, p->proto, host_addr, p->pair, in_rtp_range, tried);
        if (port && claim_ports(pm, p->proto, host_addr, (uint16_t)port, p->pair))
        {
            rtcpm_lock_release(&pm->lock);
            hr = E_OUTOFMEMORY;
            break;
        }
        rtcpm_lock_release(&pm->lock);
        if (!port && ri >= 0)
        {
            const struct stun_pm_range *r = &pm->set.ranges[ri];
            fmt(why, whylen, "no free %s port in %u-%u for %s (%u bound by other programs)",
                p->proto == PROTO_UDP ? "UDP" : "TCP", r->first, r->last, rtcpm_cfg_port_type_name(type),
                (unsigned)tried->count);
            break;
        }
        if (!port) break; /* no range: the OS picks, below */
        p->internal = *host_addr;
        p->internal.port = (uint16_t)port;
        rc = bind_probe_check_cache(pm, p, &os_error);
        if (rc == RTCPM_SOCK_OK)
        {
            free(tried);
            return S_OK;
        }
        rtcpm_lock_acquire(&pm->lock);
        unclaim_ports(pm, p->proto, &p->internal, p->pair);
        rtcpm_lock_release(&pm->lock);
        if (rc != RTCPM_SOCK_E_ADDR_IN_USE)
        {
            char os_text[128];
            fmt(why, whylen, "cannot bind %s %s: %s (%s)", p->proto == PROTO_UDP ? "UDP" : "TCP",
                hostport(&p->internal, a1), rtcpm_sock_error_name(rc),
                rtcpm_os_error_text(os_error, os_text, sizeof(os_text)));
            hr = RTC_E_PORT_MAPPING_FAILED;
            break;
        }
        if (tried->count == TRIED_MAX)
        {
            fmt(why, whylen, "%u ports in a row are bound by other programs", TRIED_MAX);
            break;
        }
        tried->port[tried->count++] = (uint16_t)port;
    }

    if (ri < 0 && hr == RTC_E_PORT_MAPPING_UNAVAILABLE && !why[0])
    {
        /* No range: let the OS pick; keep what does not fit bound until the end, so the OS
         * does not offer it again. */
        rtcpm_socket *held[OS_PICK_TRIES];
        size_t held_count = 0, i;
        rtcpm_addr any = *host_addr;
        any.port = 0;
        for (i = 0; i < OS_PICK_TRIES; i++)
        {
            rtcpm_socket *s;
            rtcpm_addr got;
            int ok;
            rc = rtcpm_socket_open(&s, p->proto == PROTO_UDP ? RTCPM_SOCK_UDP : RTCPM_SOCK_TCP, &any, &os_error);
            if (rc != RTCPM_SOCK_OK || rtcpm_socket_local_addr(s, &got) != RTCPM_SOCK_OK)
            {
                char os_text[128];
                rtcpm_socket_close(s);
                fmt(why, whylen, "cannot bind %s %s: %s (%s)", p->proto == PROTO_UDP ? "UDP" : "TCP",
                    hostport(&any, a1), rtcpm_sock_error_name(rc),
                    rtcpm_os_error_text(os_error, os_text, sizeof(os_text)));
                hr = RTC_E_PORT_MAPPING_FAILED;
                break;
            }
            got.scope_id = host_addr->scope_id;
            rtcpm_lock_acquire(&pm->lock);
            ok = candidate_ok(pm, p->proto, host_addr, got.port, p->pair, 0, 65535, tried) &&
                 !port_in_any_range(pm, got.port);
            if (ok && claim_ports(pm, p->proto, host_addr, got.port, p->pair)) ok = -1;
            rtcpm_lock_release(&pm->lock);
            if (ok < 0)
            {
                rtcpm_socket_close(s);
                hr = E_OUTOFMEMORY;
                break;
            }
            if (ok && p->pair)
            {
                rtcpm_socket *next;
                rtcpm_addr b = got;
                b.port = (uint16_t)(b.port + 1);
                if (rtcpm_socket_open(&next, p->proto == PROTO_UDP ? RTCPM_SOCK_UDP : RTCPM_SOCK_TCP, &b, NULL))
                {
                    rtcpm_lock_acquire(&pm->lock);
                    unclaim_ports(pm, p->proto, &got, 1);
                    rtcpm_lock_release(&pm->lock);
                    ok = 0;
                }
                rtcpm_socket_close(next);
            }
            if (ok)
            {
                p->internal = *host_addr;
                p->internal.port = got.port;
                p->sock = s;
                hr = S_OK;
                break;
            }
            held[held_count++] = s;
        }
        for (i = 0; i < held_count; i++) rtcpm_socket_close(held[i]);
        if (hr == RTC_E_PORT_MAPPING_UNAVAILABLE)
            fmt(why, whylen, "the OS offered %d %s ports on %s, none fitting%s", OS_PICK_TRIES,
                p->proto == PROTO_UDP ? "UDP" : "TCP", host(host_addr, a1),
                p->pair ? " (RTP: even, next port free)" : "");
    }
    free(tried);
    return hr;
}

/* ---- discovery (no lock held) ---- */

static int worker_cancelled(void *ctx)
{
    struct stun_pm *pm = ctx;
    int stop;
    rtcpm_lock_acquire(&pm->lock);
    stop = pm->stopping;
    rtcpm_lock_release(&pm->lock);
    return stop;
}

static void count(struct stun_pm *pm, LONG transactions, LONG requests, LONG checks)
{
    rtcpm_lock_acquire(&pm->lock);
    pm->stats.transactions += transactions;
    pm->stats.requests += requests;
    pm->stats.symmetric_checks += checks;
    rtcpm_lock_release(&pm->lock);
}

/* The reason a discovery failed, for last_error: "no answer from 198.19.1.2:3478 within
 * 3000 ms (7 requests, from udp 192.168.1.10:30000)". */
static void describe_failure(const struct probe *p, const rtcpm_stun_result *res, size_t tried, char *why,
                             size_t whylen)
{
    char server[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], internal[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], text[200], count[32] = "";
    if (res->status == RTCPM_STUN_E_TIMEOUT)
    {
        fmt(text, sizeof(text), "no answer from %s within %llu ms", hostport(&res->server, server),
            (unsigned long long)res->elapsed_ms);
        fmt(count, sizeof(count), "%u request%s, ", (unsigned)res->requests_sent, res->requests_sent == 1 ? "" : "s");
    }
    else
        rtcpm_stun_describe(res, text, sizeof(text));
    fmt(why, whylen, "%s (%sfrom %s %s)%s", text, count, p->proto == PROTO_UDP ? "udp" : "tcp",
        hostport(&p->internal, internal), tried > 1 ? ": the last of the servers tried" : "");
}

/* UDP: the servers in order from the probe's socket within the deadline. */
static int discover_udp(struct stun_pm *pm, struct probe *p, const rtcpm_addr *servers, size_t n, uint64_t deadline,
                        int cancellable, rtcpm_stun_result *res)
{
    rtcpm_stun_config cfg;
    uint64_t left = ms_left(deadline);
    int rc;

    if (!left)
    {
        memset(res, 0, sizeof(*res));
        res->server = servers[0];
        return res->status = RTCPM_STUN_E_TIMEOUT;
    }
    stun_config(pm, &cfg, server_timeout(pm, n));
    if (cancellable)
    {
        cfg.cancelled = worker_cancelled;
        cfg.cancel_ctx = pm;
    }
    rc = rtcpm_stun_binding_list(p->sock, servers, n, &cfg, (uint32_t)left, res);
    count(pm, (LONG)(res->server_index + 1), (LONG)res->requests_sent, 0);
    return rc;
}

/* TCP: one connection per server, each from the probe's port (closed with RST). */
static int discover_tcp(struct stun_pm *pm, struct probe *p, const rtcpm_addr *servers, size_t n, uint64_t deadline,
                        rtcpm_stun_result *res)
{
    size_t i;
    int rc = RTCPM_STUN_E_TIMEOUT;
    memset(res, 0, sizeof(*res));
    res->server = servers[0];
    for (i = 0; i < n; i++)
    {
        rtcpm_stun_config cfg;
        uint64_t left = ms_left(deadline), cap = server_timeout(pm, n);
        if (!left)
        {
            rc = res->status = RTCPM_STUN_E_TIMEOUT;
            break;
        }
        if (!p->sock && rtcpm_socket_open(&p->sock, RTCPM_SOCK_TCP, &p->internal, NULL) != RTCPM_SOCK_OK)
        {
            rc = res->status = RTCPM_STUN_E_SOCKET;
            res->sock_error = RTCPM_SOCK_E_ADDR_IN_USE;
            break;
        }
        stun_config(pm, &cfg, (uint32_t)(cap < left ? cap : left));
        rc = rtcpm_stun_binding(p->sock, &servers[i], &cfg, res);
        res->server_index = i;
        count(pm, 1, (LONG)res->requests_sent, 0);
        probe_close(p);
        if (rc == RTCPM_STUN_OK) break;
    }
    return rc;
}

/* The second opinion: 1 symmetric, 0 endpoint-independent, -1 no second server to ask,
 * -2 it did not answer (text says which either way). The answering server's OTHER-ADDRESS,
 * else a server after it in the list (those before it have just failed). */
static int symmetric_check(struct stun_pm *pm, struct probe *p, const rtcpm_stun_result *first,
                           const rtcpm_addr *servers, size_t n, uint64_t deadline, int cancellable, char *text,
                           size_t textlen)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], a2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    char m1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], m2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    rtcpm_stun_result *res;
    rtcpm_stun_config cfg;
    rtcpm_addr target;
    uint64_t left = ms_left(deadline), cap = server_timeout(pm, n);
    size_t i;
    int rc, verdict;

    memset(&target, 0, sizeof(target));
    /* RFC 5780 gives OTHER-ADDRESS another IP and port; another port alone still tells a
     * port-dependent (the common symmetric) mapping apart */
    if (first->other_address.family == first->server.family && first->other_address.port &&
        !rtcpm_addr_equal(&first->other_address, &first->server))
        target = first->other_address;
    for (i = first->server_index + 1; target.family == RTCPM_AF_NONE && i < n; i++)
        if (!rtcpm_addr_equal(&servers[i], &first->server)) target = servers[i];
    if (target.family == RTCPM_AF_NONE)
    {
        fmt(text, textlen, "not checked: no other server to ask and no OTHER-ADDRESS from %s",
            hostport(&first->server, a1));
        return -1;
    }
    if (!left)
    {
        fmt(text, textlen, "not checked: no time left to ask %s", hostport(&target, a1));
        return -2;
    }
    if (!(res = malloc(sizeof(*res)))) return -1;
    stun_config(pm, &cfg, (uint32_t)(cap < left ? cap : left));
    if (cancellable)
    {
        cfg.cancelled = worker_cancelled;
        cfg.cancel_ctx = pm;
    }
    rc = rtcpm_stun_binding(p->sock, &target, &cfg, res);
    count(pm, 1, (LONG)res->requests_sent, 1);
    if (rc != RTCPM_STUN_OK)
    {
        char d[160];
        fmt(text, textlen, "not checked: %s", rtcpm_stun_describe(res, d, sizeof(d)));
        free(res);
        return -2;
    }
    hostport(&first->server, a1);
    hostport(&target, a2);
    if (rtcpm_addr_equal(&res->mapped, &first->mapped))
    {
        fmt(text, textlen, "endpoint-independent mapping (%s and %s saw port %u)", a1, a2, first->mapped.port);
        verdict = 0;
    }
    else if (rtcpm_addr_equal_host(&res->mapped, &first->mapped))
    {
        fmt(text, textlen, "symmetric NAT: %s saw port %u, %s saw port %u", a1, first->mapped.port, a2,
            res->mapped.port);
        verdict = 1;
    }
    else
    {
        fmt(text, textlen, "symmetric NAT: %s saw %s, %s saw %s", a1, hostport(&first->mapped, m1), a2,
            hostport(&res->mapped, m2));
        verdict = 1;
    }
    free(res);
    return verdict;
}

/* ---- one mapping ---- */

struct request
{
    int type;
    LONG transport;
    rtcpm_addr remote;
    uint64_t deadline;
    int background; /* the worker: cancellable, forces the symmetric check, records no mapping */
};

/* The internal address for a family: configured, else routed towards its first server. */
static HRESULT internal_host_for(struct stun_pm *pm, int family, const rtcpm_addr *first_server, rtcpm_addr *out,
                                 char *why, size_t whylen)
{
    const rtcpm_addr *conf = family == RTCPM_AF_INET ? &pm->set.local_v4 : &pm->set.local_v6;
    int os_error = 0, rc;
    if (conf->family != RTCPM_AF_NONE)
    {
        *out = *conf;
        return S_OK;
    }
    rc = rtcpm_route_local_addr(first_server, out, &os_error);
    if (rc != RTCPM_SOCK_OK)
    {
        char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], os_text[128];
        fmt(why, whylen, "no local address routes to %s: %s (%s)", hostport(first_server, a1),
            rtcpm_sock_error_name(rc), rtcpm_os_error_text(os_error, os_text, sizeof(os_text)));
        return RTC_E_PORT_MAPPING_FAILED;
    }
    return S_OK;
}

/* Waits while the first warm-up runs, for at most 3/4 of the call's budget: its result (a
 * cached port, the verdict) usually comes within milliseconds, and when it does not (a
 * first server that is down, a machine that is crawling) the last quarter is kept for a
 * discovery of the call's own. Lock not held. */
static void wait_warm_up(struct stun_pm *pm, uint64_t deadline)
{
    deadline -= pm->set.timeout_ms / 4;
    rtcpm_lock_acquire(&pm->lock);
    while (pm->warming)
    {
        uint64_t left = ms_left(deadline);
        if (!left) break;
        rtcpm_cond_wait(&pm->cond, &pm->lock, (long)left);
    }
    rtcpm_lock_release(&pm->lock);
}

/* The external address learned over UDP for internal_host (TCP "preserve"): known, or
 * discovered now from an OS-picked UDP port. */
static HRESULT external_host_for(struct stun_pm *pm, const rtcpm_addr *internal_host, const rtcpm_addr *servers,
                                 size_t n, uint64_t deadline, rtcpm_addr *out, char *why, size_t whylen)
{
    struct nat_info *info;
    struct probe p;
    rtcpm_stun_result *res;
    uint64_t now = rtcpm_clock_ms();
    int rc;

    rtcpm_lock_acquire(&pm->lock);
    info = nat_get(pm, internal_host, 0);
    if (info && info->external.family != RTCPM_AF_NONE &&
        now - info->external_at_ms < (uint64_t)pm->set.symmetric_check_age_s * 1000u)
    {
        *out = info->external;
        rtcpm_lock_release(&pm->lock);
        return S_OK;
    }
    rtcpm_lock_release(&pm->lock);

    memset(&p, 0, sizeof(p));
    p.proto = PROTO_UDP;
    p.internal = *internal_host;
    p.internal.port = 0;
    if (rtcpm_socket_open(&p.sock, RTCPM_SOCK_UDP, &p.internal, NULL) != RTCPM_SOCK_OK)
    {
        fmt(why, whylen, "cannot bind a UDP socket to learn the external address");
        return RTC_E_PORT_MAPPING_FAILED;
    }
    rtcpm_socket_local_addr(p.sock, &p.internal);
    if (!(res = malloc(sizeof(*res))))
    {
        probe_close(&p);
        return E_OUTOFMEMORY;
    }
    rc = discover_udp(pm, &p, servers, n, deadline, 0, res);
    probe_close(&p);
    if (rc != RTCPM_STUN_OK)
    {
        describe_failure(&p, res, res->server_index + 1, why, whylen);
        free(res);
        return RTC_E_PORT_MAPPING_FAILED;
    }
    *out = res->mapped;
    out->port = 0;
    rtcpm_lock_acquire(&pm->lock);
    nat_saw_external(pm, internal_host, &res->mapped, rtcpm_clock_ms());
    cache_put(pm, &p.internal, &res->mapped, &res->server, rtcpm_clock_ms());
    rtcpm_lock_release(&pm->lock);
    free(res);
    return S_OK;
}

/*
 * Makes one mapping into *m (recorded in the table unless rq->background). Returns S_OK or
 * the failure with the reason in why.
 */
static HRESULT make_mapping(struct stun_pm *pm, const struct request *rq, struct rtcpm_mapping *m, char *why,
                            size_t whylen)
{
    rtcpm_addr servers[RTCPM_STUN_PM_MAX_SERVERS], internal_host, mapped;
    rtcpm_stun_result *res = NULL;
    struct probe p;
    char text[200], a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    size_t n;
    int family = rq->remote.family != RTCPM_AF_NONE ? rq->remote.family : pm->set.servers[0].family;
    int rc, tcp = rq->transport != RTCTR_UDP;
    HRESULT hr;

    memset(m, 0, sizeof(*m));
    memset(&p, 0, sizeof(p));
    if (!(n = servers_of(pm, family, servers)))
    {
        fmt(why, whylen, "no STUN server for %s (remote %s)", family == RTCPM_AF_INET ? "IPv4" : "IPv6",
            host(&rq->remote, a1));
        return RTC_E_PORT_MAPPING_UNAVAILABLE;
    }
    if (tcp && pm->set.tcp == RTCPM_STUN_PM_TCP_OFF)
    {
        fmt(why, whylen, "%s mappings are off (tcp = off)", rtcpm_pm_transport_name(rq->transport));
        return RTC_E_PORT_MAPPING_UNAVAILABLE;
    }
    if (FAILED(hr = internal_host_for(pm, family, &servers[0], &internal_host, why, whylen))) return hr;
    if (!rq->background) wait_warm_up(pm, rq->deadline);

    if (pm->set.symmetric_check && !rq->background)
    {
        enum verdict v;
        rtcpm_lock_acquire(&pm->lock);
        v = verdict_fresh(pm, &internal_host, rtcpm_clock_ms(), text, sizeof(text));
        rtcpm_lock_release(&pm->lock);
        if (v == VERDICT_SYMMETRIC)
        {
            fmt(why, whylen, "%s (seen from %s)", text, host(&internal_host, a1));
            return RTC_E_PORT_MAPPING_FAILED;
        }
    }

    if (FAILED(hr = probe_open(pm, rq->type, rq->transport, &internal_host, &rq->remote, &p, why, whylen))) return hr;

    if (p.cached && !rq->background)
    {
        mapped = p.cached_mapped;
        rtcpm_lock_acquire(&pm->lock);
        pm->stats.cache_hits++;
        rtcpm_lock_release(&pm->lock);
        RTCPM_TRACE(RTCPM_LOG_PM, "cache hit for %s", hostport(&p.internal, text));
    }
    else if (tcp && pm->set.tcp == RTCPM_STUN_PM_TCP_PRESERVE)
    {
        probe_close(&p);
        if (FAILED(hr = external_host_for(pm, &internal_host, servers, n, rq->deadline, &mapped, why, whylen)))
            goto fail;
        mapped.port = p.internal.port;
    }
    else
    {
        if (!(res = malloc(sizeof(*res))))
        {
            hr = E_OUTOFMEMORY;
            goto fail;
        }
        rc = tcp ? discover_tcp(pm, &p, servers, n, rq->deadline, res)
                 : discover_udp(pm, &p, servers, n, rq->deadline, rq->background, res);
        if (rc != RTCPM_STUN_OK)
        {
            describe_failure(&p, res, res->server_index + 1, why, whylen);
            hr = RTC_E_PORT_MAPPING_FAILED;
            goto fail;
        }
        mapped = res->mapped;
        rtcpm_addr_unmap_v4(&mapped);
        if (mapped.family != internal_host.family)
        {
            fmt(why, whylen, "%s reported %s, not an address of the internal address's family",
                hostport(&res->server, text), hostport(&mapped, text + 100));
            hr = RTC_E_PORT_MAPPING_FAILED;
            goto fail;
        }
        rtcpm_lock_acquire(&pm->lock);
        nat_saw_external(pm, &internal_host, &mapped, rtcpm_clock_ms());
        rtcpm_lock_release(&pm->lock);
        if (!tcp && pm->set.symmetric_check)
        {
            enum verdict v;
            rtcpm_lock_acquire(&pm->lock);
            v = rq->background ? VERDICT_NONE : verdict_fresh(pm, &internal_host, rtcpm_clock_ms(), NULL, 0);
            rtcpm_lock_release(&pm->lock);
            if (v == VERDICT_NONE)
            {
                int sym = symmetric_check(pm, &p, res, servers, n, rq->deadline, rq->background, text, sizeof(text));
                RTCPM_TRACE(RTCPM_LOG_PM, "%s: %s", host(&internal_host, a1), text);
                if (sym != -1)
                {
                    rtcpm_lock_acquire(&pm->lock);
                    nat_set_verdict(pm, &internal_host,
                                    sym == 1   ? VERDICT_SYMMETRIC
                                    : sym == 0 ? VERDICT_INDEPENDENT
                                               : VERDICT_UNCHECKED,
                                    text, rtcpm_clock_ms());
                    rtcpm_lock_release(&pm->lock);
                }
                if (sym == 1)
                {
                    fmt(why, whylen, "%s (seen from %s)", text, hostport(&p.internal, a1));
                    hr = RTC_E_PORT_MAPPING_FAILED;
                    goto fail;
                }
            }
        }
        if (!tcp)
        {
            rtcpm_lock_acquire(&pm->lock);
            cache_put(pm, &p.internal, &mapped, &res->server, rtcpm_clock_ms());
            rtcpm_lock_release(&pm->lock);
        }
    }
    probe_close(&p);

    m->internal = p.internal;
    m->external = mapped;
    m->remote = rq->remote;
    m->port_type = (uint8_t)rq->type;
    m->transport = (uint8_t)rq->transport;

    /* Record: the probe claim goes, the mapping comes in, the RTP's next port is kept. */
    rtcpm_lock_acquire(&pm->lock);
    claim_drop(pm, p.proto, &p.internal);
    if (rq->background)
        rc = RTCPM_MT_OK;
    else
        rc = rtcpm_mapping_table_insert(pm->base.table, m);
    if (p.pair)
    {
        rtcpm_addr next = p.internal;
        struct claim *c;
        next.port = (uint16_t)(next.port + 1);
        c = claim_find(pm, p.proto, &next);
        if (c && rc == RTCPM_MT_OK && !rq->background)
        {
            c->rtcp_for = rq->type + 1;
            c->transport = rq->transport;
            c->remote = rq->remote;
        }
        else if (c)
            claim_remove(pm, c);
    }
    rtcpm_lock_release(&pm->lock);
    free(res);
    if (rc == RTCPM_MT_E_DUPLICATE)
    {
        struct rtcpm_mapping other;
        char a2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
        if (rtcpm_mapping_table_find_external(pm->base.table, m->transport, &m->external, &other))
            fmt(why, whylen,
                "external %s is already mapped to internal %s: the NAT or the server reports one "
                "external port for two internal ones",
                hostport(&m->external, text), hostport(&other.internal, a2));
        else
            fmt(why, whylen, "internal or external port of %s taken meanwhile", hostport(&m->internal, text));
        return RTC_E_PORT_MAPPING_FAILED;
    }
    if (rc != RTCPM_MT_OK) return E_OUTOFMEMORY;
    return S_OK;

fail:
    if (p.sock) probe_close(&p);
    rtcpm_lock_acquire(&pm->lock);
    unclaim_ports(pm, p.proto, &p.internal, p.pair);
    rtcpm_lock_release(&pm->lock);
    free(res);
    return hr;
}

/* ---- warm-up / refresh worker ---- */

static void warm_up_pass(struct stun_pm *pm)
{
    int families[2] = { pm->set.servers[0].family,
                        pm->set.servers[0].family == RTCPM_AF_INET ? RTCPM_AF_INET6 : RTCPM_AF_INET };
    size_t i;
    for (i = 0; i < 2; i++)
    {
        rtcpm_addr servers[RTCPM_STUN_PM_MAX_SERVERS];
        struct request rq;
        struct rtcpm_mapping m;
        char why[WHY_MAX] = "";
        HRESULT hr;

        if (worker_cancelled(pm)) return;
        if (!servers_of(pm, families[i], servers)) continue;
        memset(&rq, 0, sizeof(rq));
        rq.type = RTCPT_SIP;
        rq.transport = RTCTR_UDP;
        rq.remote.family = (uint8_t)families[i]; /* picks the family only: no address is used */
        rq.deadline = rtcpm_clock_ms() + pm->set.timeout_ms;
        rq.background = 1;
        hr = make_mapping(pm, &rq, &m, why, sizeof(why));
        RTCPM_TRACE(RTCPM_LOG_PM, "warm-up %s: %s", families[i] == RTCPM_AF_INET ? "IPv4" : "IPv6",
                    SUCCEEDED(hr) ? "done" : why);
    }
}

static void worker_main(void *arg)
{
    struct stun_pm *pm = arg;
    int first = 1;

    rtcpm_lock_acquire(&pm->lock);
    for (;;)
    {
        if (pm->stopping) break;
        if (!first || pm->set.warm_up)
        {
            rtcpm_lock_release(&pm->lock);
            warm_up_pass(pm);
            rtcpm_lock_acquire(&pm->lock);
            pm->stats.warm_ups++;
        }
        first = 0;
        pm->warming = 0;
        rtcpm_cond_broadcast(&pm->cond);
        if (!pm->set.refresh_s) break;
        {
            uint64_t next = rtcpm_clock_ms() + (uint64_t)pm->set.refresh_s * 1000u;
            while (!pm->stopping)
            {
                uint64_t left = ms_left(next);
                if (!left) break;
                rtcpm_cond_wait(&pm->cond, &pm->lock, (long)left);
            }
        }
    }
    pm->warming = 0;
    rtcpm_cond_broadcast(&pm->cond);
    rtcpm_lock_release(&pm->lock);
}

/* ---- IUnknown ---- */

static HRESULT WINAPI stun_pm_QueryInterface(IRTCPortManager3 *iface, REFIID riid, void **out)
{
    return rtcpm_pm_query_interface(iface, &impl_from_IRTCPortManager3(iface)->ftm, riid, out);
}

static ULONG WINAPI stun_pm_AddRef(IRTCPortManager3 *iface)
{
    return (ULONG)com_ref_inc(&impl_from_IRTCPortManager3(iface)->ref);
}

static void destroy(struct stun_pm *pm)
{
    if (pm->worker)
    {
        rtcpm_lock_acquire(&pm->lock);
        pm->stopping = 1;
        rtcpm_cond_broadcast(&pm->cond);
        rtcpm_lock_release(&pm->lock);
        rtcpm_thread_join(pm->worker);
    }
    rtcpm_com_ftm_release(&pm->ftm);
    rtcpm_mapping_table_destroy(pm->base.table);
    rtcpm_cond_destroy(&pm->cond);
    rtcpm_lock_destroy(&pm->lock);
    free(pm->claims);
    free(pm);
}

static ULONG WINAPI stun_pm_Release(IRTCPortManager3 *iface)
{
    struct stun_pm *pm = impl_from_IRTCPortManager3(iface);
    LONG ref = com_ref_dec(&pm->ref);
    if (!ref)
    {
        RTCPM_TRACE(RTCPM_LOG_PM, "%p destroyed, %lu live mapping(s) dropped", (void *)pm,
                    (unsigned long)rtcpm_mapping_table_count(pm->base.table));
        destroy(pm);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

/* ---- IRTCPortManager3 (the v1/v2 methods, pm_forward_*, call these with UDP) ---- */

static HRESULT WINAPI stun_pm_GetMappingEx(IRTCPortManager3 *iface, BSTR remote_text, LONG remote_port, LONG transport,
                                           RTC_PORT_TYPE type, BSTR *int_addr, LONG *int_port, BSTR *ext_addr,
                                           LONG *ext_port)
{
    struct stun_pm *pm = impl_from_IRTCPortManager3(iface);
    char why[WHY_MAX] = "";
    struct rtcpm_mapping m;
    struct request rq;
    HRESULT hr;

    if (FAILED(hr = rtcpm_pm_check_get_mapping(remote_text, remote_port, transport, type, int_addr, int_port, ext_addr,
                                               ext_port, &rq.remote)))
        return hr;
    rq.type = (int)type;
    rq.transport = transport;
    rq.deadline = rtcpm_clock_ms() + pm->set.timeout_ms;
    rq.background = 0;

    hr = make_mapping(pm, &rq, &m, why, sizeof(why));
    if (SUCCEEDED(hr) && FAILED(hr = rtcpm_pm_return_mapping(&m, int_addr, int_port, ext_addr, ext_port)))
    {
        struct rtcpm_mapping removed;
        if (rtcpm_mapping_table_remove(pm->base.table, m.transport, &m.internal, &m.external, &removed) ==
                RTCPM_MT_OK &&
            is_rtp(removed.port_type))
        {
            rtcpm_addr next = removed.internal;
            next.port = (uint16_t)(next.port + 1);
            rtcpm_lock_acquire(&pm->lock);
            claim_drop(pm, proto_of(transport), &next);
            rtcpm_lock_release(&pm->lock);
        }
        fmt(why, sizeof(why), "out of memory");
    }
    rtcpm_lock_acquire(&pm->lock);
    fmt(pm->last_error, sizeof(pm->last_error), "%s", SUCCEEDED(hr) ? "" : why);
    if (FAILED(hr)) pm->stats.failures++;
    rtcpm_lock_release(&pm->lock);
    if (FAILED(hr))
        RTCPM_TRACE(RTCPM_LOG_PM, "type %d %s: 0x%08lx %s", (int)type, rtcpm_pm_transport_name(transport),
                    (unsigned long)(ULONG)hr, why);
    else
        RTCPM_TRACE(RTCPM_LOG_PM, "type %d %s: internal port %u -> external port %u", (int)type,
                    rtcpm_pm_transport_name(transport), m.internal.port, m.external.port);
    return hr;
}

static HRESULT WINAPI stun_pm_ReleaseMappingEx(IRTCPortManager3 *iface, LONG transport, BSTR int_addr, LONG int_port,
                                               BSTR ext_addr, LONG ext_port)
{
    struct stun_pm *pm = impl_from_IRTCPortManager3(iface);
    struct rtcpm_mapping removed;
    HRESULT hr = rtcpm_pm_table_release(pm->base.table, transport, int_addr, int_port, ext_addr, ext_port, &removed);
    if (SUCCEEDED(hr) && is_rtp(removed.port_type))
    {
        /* the RTCP port kept for it goes back too, unless its mapping was made */
        rtcpm_addr next = removed.internal;
        struct claim *c;
        next.port = (uint16_t)(next.port + 1);
        rtcpm_lock_acquire(&pm->lock);
        c = claim_find(pm, proto_of(transport), &next);
        if (c && c->rtcp_for == removed.port_type + 1) claim_remove(pm, c);
        rtcpm_lock_release(&pm->lock);
    }
    if (SUCCEEDED(hr))
        RTCPM_TRACE(RTCPM_LOG_PM, "released %s port %ld", rtcpm_pm_transport_name(transport), (long)int_port);
    return hr;
}

static const IRTCPortManager3Vtbl stun_pm_vtbl = {
    stun_pm_QueryInterface,
    stun_pm_AddRef,
    stun_pm_Release,
    rtcpm_pm_forward_GetMapping,
    rtcpm_pm_forward_UpdateRemoteAddress,
    rtcpm_pm_forward_ReleaseMapping,
    rtcpm_pm_forward_UpdateRemoteAddressEx,
    stun_pm_GetMappingEx,
    rtcpm_pm_UpdateRemoteAddressEx2,
    stun_pm_ReleaseMappingEx,
};

/* ---- creation and the C API ---- */

HRESULT rtcpm_stun_pm_create_from_settings(const struct stun_pm_settings *set, IRTCPortManager3 **out)
{
    struct stun_pm *pm;
    HRESULT hr;

    *out = NULL;
    if (!(pm = calloc(1, sizeof(*pm)))) return E_OUTOFMEMORY;
    if (!(pm->base.table = rtcpm_mapping_table_create()))
    {
        free(pm);
        return E_OUTOFMEMORY;
    }
    pm->base.IRTCPortManager3_iface.lpVtbl = &stun_pm_vtbl;
    pm->ref = 1;
    pm->set = *set;
    rtcpm_lock_init(&pm->lock);
    rtcpm_cond_init(&pm->cond);
    if (FAILED(hr = rtcpm_com_ftm_aggregate(&pm->ftm, (IUnknown *)&pm->base.IRTCPortManager3_iface)))
    {
        rtcpm_mapping_table_destroy(pm->base.table);
        rtcpm_cond_destroy(&pm->cond);
        rtcpm_lock_destroy(&pm->lock);
        free(pm);
        return hr;
    }
    if (set->warm_up || set->refresh_s)
    {
        pm->warming = set->warm_up;
        if (rtcpm_thread_start(&pm->worker, worker_main, pm))
        {
            RTCPM_TRACE(RTCPM_LOG_PM, "no worker thread: no warm-up, no refresh");
            pm->warming = 0;
        }
    }
    rtcpm_com_object_created();
    RTCPM_TRACE(RTCPM_LOG_PM, "%p created, %u server(s), %u range(s)", (void *)pm, (unsigned)set->server_count,
                (unsigned)set->range_count);
    *out = &pm->base.IRTCPortManager3_iface;
    return S_OK;
}

HRESULT rtcpm_stun_pm_last_error(IRTCPortManager3 *iface, char *buf, size_t buflen)
{
    struct stun_pm *pm = stun_pm_from(iface);
    if (!buf && buflen) return E_POINTER;
    if (buf && buflen) buf[0] = 0;
    if (!pm) return E_INVALIDARG;
    if (!buf) return buflen ? E_POINTER : S_OK;
    rtcpm_lock_acquire(&pm->lock);
    fmt(buf, buflen, "%s", pm->last_error);
    rtcpm_lock_release(&pm->lock);
    return S_OK;
}

LONG rtcpm_stun_pm_live_mappings(IRTCPortManager3 *iface)
{
    struct stun_pm *pm = stun_pm_from(iface);
    return pm ? (LONG)rtcpm_mapping_table_count(pm->base.table) : -1;
}

LONG rtcpm_stun_pm_format_mappings(IRTCPortManager3 *iface, char *buf, size_t buflen)
{
    struct stun_pm *pm = stun_pm_from(iface);
    return pm ? rtcpm_pm_format_mappings(pm->base.table, buf, buflen) : -1;
}

HRESULT rtcpm_stun_pm_wait_ready(IRTCPortManager3 *iface, LONG timeout_ms)
{
    struct stun_pm *pm = stun_pm_from(iface);
    uint64_t deadline;
    int warming;
    if (!pm) return E_INVALIDARG;
    deadline = timeout_ms < 0 ? UINT64_MAX : rtcpm_clock_ms() + (uint64_t)timeout_ms;
    rtcpm_lock_acquire(&pm->lock);
    while (pm->warming)
    {
        uint64_t left = deadline == UINT64_MAX ? 0 : ms_left(deadline);
        if (deadline != UINT64_MAX && !left) break;
        rtcpm_cond_wait(&pm->cond, &pm->lock, deadline == UINT64_MAX ? -1 : (long)left);
    }
    warming = pm->warming;
    rtcpm_lock_release(&pm->lock);
    return warming ? S_FALSE : S_OK;
}

LONG rtcpm_stun_pm_describe_nat(IRTCPortManager3 *iface, char *buf, size_t buflen)
{
    struct stun_pm *pm = stun_pm_from(iface);
    size_t i, total = 0;
    uint64_t now = rtcpm_clock_ms();
    if (!pm) return -1;
    if (buf && buflen) buf[0] = 0;
    rtcpm_lock_acquire(&pm->lock);
    for (i = 0; i < pm->nat_count; i++)
    {
        const struct nat_info *n = &pm->nats[i];
        char a1[RTCPM_ADDR_TEXT_SIZE], a2[RTCPM_ADDR_TEXT_SIZE], verdict[260];
        int len;
        if (n->verdict == VERDICT_NONE)
            fmt(verdict, sizeof(verdict), "mapping behaviour not checked");
        else
            fmt(verdict, sizeof(verdict), "%s, %llu s ago", n->verdict_text,
                (unsigned long long)((now - n->verdict_at_ms) / 1000u));
        len = snprintf(total < buflen ? buf + total : NULL, total < buflen ? buflen - total : 0,
                       "%s: external %s, %s\n", host(&n->internal, a1),
                       n->external.family != RTCPM_AF_NONE ? host(&n->external, a2) : "unknown", verdict);
        if (len > 0) total += (size_t)len;
    }
    rtcpm_lock_release(&pm->lock);
    return (LONG)total;
}

HRESULT rtcpm_stun_pm_get_stats(IRTCPortManager3 *iface, struct rtcpm_stun_pm_stats *out)
{
    struct stun_pm *pm = stun_pm_from(iface);
    if (!out) return E_POINTER;
    memset(out, 0, sizeof(*out));
    if (!pm) return E_INVALIDARG;
    rtcpm_lock_acquire(&pm->lock);
    *out = pm->stats;
    rtcpm_lock_release(&pm->lock);
    return S_OK;
}
