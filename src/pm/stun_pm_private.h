/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stun_pm_private.h — what the files of the STUN port manager share (the public API is
 * include/rtcpm/stun_pm.h):
 *
 *   stun_pm.c            the COM object, the create functions, the C API
 *   stun_pm_config.c     settings: defaults, checks, the INI sections
 *   stun_pm_servers.c    the address lists: STUN servers (names resolved), local addresses
 *   stun_pm_mapping.c    one mapping: the path of a GetMappingEx (and of a warm-up)
 *   stun_pm_discovery.c  STUN discovery from the probe's socket, the symmetric check
 *   stun_pm_cache.c      the discovery cache and what the NAT looked like (verdicts)
 *   stun_pm_warmup.c     the warm-up / refresh worker
 *   pm_ports.c           (shared with other port managers) claims, ranges, bind probes
 *
 * A call's path: check arguments -> internal address (config or route) -> wait for the
 * warm-up (within the budget) -> a fresh "symmetric" verdict fails at once -> claim + bind
 * a port -> cache hit, or discovery (+ symmetric check) from the bound socket -> close it ->
 * record the mapping (and the RTCP port kept for an RTP mapping) -> new BSTRs.
 *
 * Locks. Two, always taken in this order: the object's `lock`, then the mapping table's own.
 *   pm->lock guards   ports (claims, cursors), cache (discoveries, NAT verdicts), stats,
 *                     last_error, warming, stopping; pm->cond is waited on under it.
 *   no lock needed    set, ftm (immutable once created), worker (written before the object
 *                     is handed out, joined by the last Release), base.table (its own lock).
 * No lock is held while a socket is bound or a STUN transaction runs: a call claims its port
 * under the lock (a claim keeps every other call off it), drops the lock for the network,
 * and takes it again to record the result. Functions marked (locked) below expect pm->lock
 * held; every other function takes it itself when it needs it.
 */
#ifndef RTCPM_PM_STUN_PM_H
#define RTCPM_PM_STUN_PM_H

#include <stddef.h>
#include <stdint.h>
#include "rtcpm/rtcpm.h"
#include "net/addr.h"
#include "net/stun_client.h"
#include "os/lock.h"
#include "os/os_platform.h"
#include "com/ftm.h"
#include "pm/pm_common.h"
#include "pm/pm_ports.h"
#include "pm/pm_server.h"

_Static_assert(RTCPM_STUN_PM_MAX_RANGES <= RTCPM_PM_PORTS_MAX_RANGES, "the port pool cannot hold every range");

#define STUN_PM_WHY_MAX 256 /* a failure's reason (last_error) */

/* ---- settings (stun_pm_config.c) ---- */

/* Everything checked; immutable once the object exists. */
struct stun_pm_settings
{
    rtcpm_addr servers[RTCPM_STUN_PM_MAX_SERVERS];               /* with port, in fallback order; family NONE:
                                                      names[i] resolved when the object is made */
    char names[RTCPM_STUN_PM_MAX_SERVERS][RTCPM_PMC_SERVER_MAX]; /* a server given by name, else "" */
    size_t server_count;
    rtcpm_addr local_v4, local_v6; /* port 0; family NONE = by route */
    uint32_t timeout_ms, server_timeout_ms, rto_ms, retransmissions;
    int classic, symmetric_check, warm_up, tcp;
    uint32_t symmetric_check_age_s, cache_age_s, refresh_s;
    size_t range_count;
    struct rtcpm_pm_port_range ranges[RTCPM_STUN_PM_MAX_RANGES];
};

/* Checks cfg and fills *out. S_OK, or E_INVALIDARG with the reason in err (never NULL). */
HRESULT rtcpm_stun_pm_settings_make(const struct rtcpm_stun_pm_config *cfg, struct stun_pm_settings *out, char *err,
                                    size_t errlen);

/* ---- the address lists (stun_pm_servers.c) ---- */

/* "a:3478, [b]:3479, stun.example.net" -> out[0..*count); a host name goes to names[i]
 * (optional; NULL: names are refused) with out[i] unset. 0, or -1 with "entry 2 '1.2.3' is
 * neither an IP address nor a host name" in err. */
int rtcpm_stun_pm_parse_servers(const char *text, rtcpm_addr *out, char (*names)[RTCPM_PMC_SERVER_MAX], size_t *count,
                                char *err, size_t errlen);
/* "192.168.1.10, 2001:db8::10" -> *v4, *v6 (family NONE when not given): at most one per
 * family, never unspecified. 0, or -1 with the reason in err. */
int rtcpm_stun_pm_parse_locals(const char *text, rtcpm_addr *v4, rtcpm_addr *v6, char *err, size_t errlen);
/* Resolves the servers given by name (RFC 5389 9: SRV _stun._udp when no port): S_OK, or
 * E_INVALIDARG with "servers: 'x' does not resolve: ..." in err. */
HRESULT rtcpm_stun_pm_resolve_names(struct stun_pm_settings *set, char *err, size_t errlen);

/* ---- the discovery cache and NAT verdicts (stun_pm_cache.c; every function locked) ---- */

#define STUN_CACHE_MAX 256 /* discoveries kept; the oldest goes first */
#define STUN_NAT_MAX   8   /* internal addresses whose NAT behaviour is kept */

/* What the symmetric check concluded. UNCHECKED: a check was tried and got no answer; kept
 * like a verdict, so that a second server that is down does not cost every call its budget.
 * NONE: no verdict (none kept; from the check: there was nobody to ask). */
enum verdict
{
    VERDICT_NONE,
    VERDICT_INDEPENDENT,
    VERDICT_SYMMETRIC,
    VERDICT_UNCHECKED
};

/* One UDP discovery: internal address:port -> mapped, learned from server at at_ms. */
struct stun_cache_entry
{
    rtcpm_addr internal, mapped, server;
    uint64_t at_ms;
};

/* What the NAT looked like from one internal address. */
struct stun_nat_info
{
    rtcpm_addr internal; /* port 0 */
    rtcpm_addr external; /* last external address seen (port 0); NONE = unknown */
    uint64_t external_at_ms;
    enum verdict verdict;
    uint64_t verdict_at_ms;
    char verdict_text[200];
};

struct stun_cache
{
    uint64_t entry_age_ms;   /* cache-age: how long a discovery is reused (0: never) */
    uint64_t verdict_age_ms; /* symmetric-check-age: how long a verdict or external address holds */
    struct stun_cache_entry entries[STUN_CACHE_MAX];
    size_t count;
    struct stun_nat_info nats[STUN_NAT_MAX];
    size_t nat_count;
};

void rtcpm_stun_cache_init(struct stun_cache *c, uint32_t cache_age_s, uint32_t verdict_age_s);
/* 1 and the mapped address and server of a fresh discovery from internal (with port), else 0. */
int rtcpm_stun_cache_find(const struct stun_cache *c, const rtcpm_addr *internal, uint64_t now, rtcpm_addr *mapped,
                          rtcpm_addr *server);
void rtcpm_stun_cache_put(struct stun_cache *c, const rtcpm_addr *internal, const rtcpm_addr *mapped,
                          const rtcpm_addr *server, uint64_t now);
/* The pm_ports hook (ctx: the struct stun_cache): a UDP port with a fresh discovery that fits. */
uint16_t rtcpm_stun_cache_prefer(void *ctx, const struct rtcpm_pm_ports *ports, const struct rtcpm_pm_port_search *s);
/* The verdict for an internal address when it is recent enough to skip the check (its text
 * into text, optional), else VERDICT_NONE. */
enum verdict rtcpm_stun_cache_verdict(struct stun_cache *c, const rtcpm_addr *internal_host, uint64_t now, char *text,
                                      size_t textlen);
/* A symmetric verdict drops the cache of that address. */
void rtcpm_stun_cache_set_verdict(struct stun_cache *c, const rtcpm_addr *internal_host, enum verdict v,
                                  const char *text, uint64_t now);
/* Records an external address seen from internal_host; a change drops its cache. */
void rtcpm_stun_cache_saw_external(struct stun_cache *c, const rtcpm_addr *internal_host, const rtcpm_addr *mapped,
                                   uint64_t now);
/* 1 and the external address (port 0) last seen from internal_host when still fresh, else 0. */
int rtcpm_stun_cache_external(struct stun_cache *c, const rtcpm_addr *internal_host, uint64_t now, rtcpm_addr *out);
/* rtcpm_stun_pm_describe_nat's text (snprintf-like). */
LONG rtcpm_stun_cache_describe(const struct stun_cache *c, uint64_t now, char *buf, size_t buflen);

/* ---- the object (stun_pm.c) ---- */

struct stun_pm
{
    struct pm_object base; /* the interface and the mapping table */
    LONG ref;
    struct com_ftm ftm;
    struct stun_pm_settings set; /* immutable */
    rtcpm_thread *worker;        /* the warm-up / refresh thread, or NULL */

    struct rtcpm_lock lock;
    struct rtcpm_cond cond;      /* warming or stopping changed */
    struct rtcpm_pm_ports ports; /* lives under lock */
    struct stun_cache cache;
    struct rtcpm_stun_pm_stats stats;
    char last_error[STUN_PM_WHY_MAX];
    int warming, stopping;
};

/* ---- one mapping (stun_pm_mapping.c) ---- */

/* A mapping being made: the first five fields from the caller, the rest by make_mapping. */
struct stun_call
{
    int type;
    LONG transport;
    rtcpm_addr remote; /* family NONE: none given */
    uint64_t deadline;
    int background; /* the worker: cancellable, forces the symmetric check, records no mapping */

    int tcp;                  /* TCP or TLS */
    rtcpm_addr internal_host; /* port 0 */
    rtcpm_addr servers[RTCPM_STUN_PM_MAX_SERVERS];
    size_t server_count; /* of the call's family, in order */
};

/* Makes one mapping into *m (recorded in the table unless call->background). S_OK, or the
 * failure with the reason in why. */
HRESULT rtcpm_stun_pm_make_mapping(struct stun_pm *pm, struct stun_call *call, struct rtcpm_mapping *m, char *why,
                                   size_t whylen);

/* ---- discovery (stun_pm_discovery.c; no lock held) ---- */

/* The configured servers of one family, in order, into out; their count. */
size_t rtcpm_stun_pm_servers_of(const struct stun_pm *pm, int family, rtcpm_addr *out);
/* The external side of the probe's port by STUN (UDP: + the symmetric check, + the cache),
 * into *mapped. S_OK, or RTC_E_PORT_MAPPING_FAILED / E_OUTOFMEMORY with why. TCP closes
 * the probe's socket. */
HRESULT rtcpm_stun_pm_discover(struct stun_pm *pm, const struct stun_call *call, struct rtcpm_pm_probe *p,
                               rtcpm_addr *mapped, char *why, size_t whylen);
/* The external address learned over UDP for the call's internal address (TCP "preserve"):
 * known, or discovered now from an OS-picked UDP port. Port 0. */
HRESULT rtcpm_stun_pm_external_host(struct stun_pm *pm, const struct stun_call *call, rtcpm_addr *out, char *why,
                                    size_t whylen);

/* ---- the warm-up / refresh worker (stun_pm_warmup.c) ---- */

/* Starts the worker when the settings ask for one (pm->warming set while it warms up). */
void rtcpm_stun_pm_worker_start(struct stun_pm *pm);
/* Stops and joins it (the object is going away). */
void rtcpm_stun_pm_worker_stop(struct stun_pm *pm);
/* 1 once the object is being destroyed (ctx: the struct stun_pm): a STUN wait's cancel hook. */
int rtcpm_stun_pm_worker_cancelled(void *ctx);
/* Waits while the first warm-up runs, until deadline (UINT64_MAX: no limit). 1 when it
 * still runs. */
int rtcpm_stun_pm_wait_warm_up(struct stun_pm *pm, uint64_t deadline);

/* ---- small helpers ---- */

static inline uint64_t stun_pm_ms_left(uint64_t deadline)
{
    uint64_t now = rtcpm_clock_ms();
    return deadline > now ? deadline - now : 0;
}

#endif /* RTCPM_PM_STUN_PM_H */
