/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcp_pm_private.h — what the files of the PCP port manager share (the public API is
 * include/rtcpm/pcp_pm.h):
 *
 *   pcp_pm.c          the COM object, the create functions, the C API
 *   pcp_pm_config.c   settings: defaults, the [pcp] keys, checks
 *   pcp_pm_mapping.c  one mapping: server, internal port, MAP / NAT-PMP exchange, record;
 *                     one delete
 *   pcp_pm_peer.c     the PEER mapping beside a MAP that has a remote: made, renewed,
 *                     moved (UpdateRemoteAddressEx2) and deleted with it
 *   pcp_pm_worker.c   renewal at half-life, ANNOUNCE, re-creation after the NAT lost state
 *   pm_ports.c        (shared) claims, ranges, RTP/RTCP pairing, bind probes
 *
 * Leases. Beside the mapping table (what RTC was told, keyed as RTC names mappings), the
 * object keeps one lease per live mapping: the nonce, the protocol it was made with, the
 * external side the NAT gives now (which may differ from what RTC was told after a
 * re-creation) and when to renew it.
 *
 * Locks. Two, in this order: pm->lock, then the mapping table's own.
 *   pm->lock guards   ports, leases, server state (protocol, epoch, NAT-PMP external address),
 *                     stats, last_error, last_event, stopping; pm->cond is waited on under it
 *                     (a lease's `busy` going to 0, the worker's wake-ups).
 *   no lock needed    set, ftm (immutable), worker (written before the object is handed out,
 *                     joined by the last Release), base.table (its own lock).
 * No lock is held during network I/O: a lease being renewed is marked busy, and a release
 * waits for that to end before it deletes.
 */
#ifndef RTCPM_PM_PCP_PM_PRIVATE_H
#define RTCPM_PM_PCP_PM_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "com/ftm.h"
#include "net/addr.h"
#include "net/pcp_client.h"
#include "os/lock.h"
#include "os/os_platform.h"
#include "pm/pm_common.h"
#include "pm/pm_ports.h"
#include "pm/pm_server.h"
#include "pm/pm_config.h"
#include "rtcpm/pcp_pm.h"

#define PCP_PM_WHY_MAX 256

/* ---- settings (pcp_pm_config.c) ---- */

struct pcp_pm_settings
{
    char servers[2][RTCPM_PMC_SERVER_MAX]; /* as configured, at most one per family */
    size_t server_count;                   /* 0: the default gateway of the call's family */
    rtcpm_addr local_v4, local_v6;         /* port 0; family NONE = by route */
    int protocol;                          /* enum rtcpm_pcp_pm_protocol */
    uint32_t lifetime_s, timeout_ms, rto_ms;
    int announce;
    uint16_t announce_port;
    int peer; /* PEER beside media MAPs with a remote (pcp_pm_peer.c) */
    size_t range_count;
    struct rtcpm_pm_port_range ranges[RTCPM_PM_MAX_RANGES];
};

HRESULT rtcpm_pcp_pm_settings_make(const struct rtcpm_pcp_pm_config *cfg, struct pcp_pm_settings *out, char *err,
                                   size_t errlen);
/* The object from checked settings (pcp_pm.c). */
HRESULT rtcpm_pcp_pm_create_from_settings(const struct pcp_pm_settings *set, IRTCPortManager3 **out);

/* ---- the object ---- */

enum pcp_proto
{
    PCP_PROTO_UNKNOWN = 0,
    PCP_PROTO_PCP = 1,
    PCP_PROTO_NATPMP = 2
};

/* What is known of the server of one family. A new server starts with nothing known. */
struct pcp_server_state
{
    rtcpm_addr addr; /* with port; family NONE: none yet */
    enum pcp_proto proto;
    struct rtcpm_pcp_epoch epoch;
    rtcpm_addr natpmp_external; /* NAT-PMP opcode 0's answer; NONE: not asked yet */
};

static inline int pcp_family_index(int family) { return family == RTCPM_AF_INET6; }

struct pcp_lease
{
    LONG transport;
    int type;
    uint8_t protocol;    /* RTCPM_PCP_PROTO_UDP / _TCP */
    int natpmp;          /* made with NAT-PMP */
    rtcpm_addr internal; /* with port: the lease's key, with transport */
    rtcpm_addr told;     /* the external side RTC holds (the table's) */
    rtcpm_addr actual;   /* the external side the NAT gives now */
    rtcpm_addr server;   /* who made it */
    uint8_t nonce[RTCPM_PCP_NONCE_SIZE];
    uint32_t lifetime;    /* granted */
    uint64_t renew_at_ms; /* UINT64_MAX: not scheduled */
    uint64_t expires_ms;
    rtcpm_addr peer; /* the remote a PEER mapping is kept towards (with port); NONE: none */
    int peer_live;   /* the NAT answered the last PEER with SUCCESS: delete it with the MAP */
    int busy;        /* the worker (or an update of the remote) is working on it */
    int recreate;    /* due because the NAT lost its state */
    int released;    /* RTC released it while busy: the worker deletes it */
};

struct pcp_pm
{
    struct pm_object base;
    LONG ref;
    struct com_ftm ftm;
    struct pcp_pm_settings set; /* immutable */
    rtcpm_thread *worker;
    rtcpm_socket *announce_sock; /* the worker's (NULL: announce = off, or no socket) */

    struct rtcpm_lock lock;
    struct rtcpm_cond cond;
    struct rtcpm_pm_ports ports;
    struct pcp_lease *leases;
    size_t lease_count, lease_cap;
    struct pcp_server_state srv[2]; /* the IPv4 and the IPv6 server, as last seen */
    struct rtcpm_pcp_pm_stats stats;
    char last_error[PCP_PM_WHY_MAX];
    char last_event[PCP_PM_WHY_MAX];
    int stopping;
};

/* ---- one mapping (pcp_pm_mapping.c; no lock held on entry) ---- */

struct pcp_call
{
    int type;
    LONG transport;
    rtcpm_addr remote; /* family NONE: none */
    uint64_t deadline;
};

/* Makes and records one mapping into *m. S_OK or the failure with why. */
HRESULT rtcpm_pcp_pm_make_mapping(struct pcp_pm *pm, const struct pcp_call *call, struct rtcpm_mapping *m, char *why,
                                  size_t whylen);

/* A MAP or PEER request for lease l: its nonce, protocol and internal side (the rest zero). */
void rtcpm_pcp_pm_lease_request(const struct pcp_lease *l, uint8_t opcode, uint32_t lifetime,
                                struct rtcpm_pcp_request *rq);

/* Asks the NAT for lease l (a new mapping, a renewal or a re-creation: l->nonce and
 * l->actual's port as the suggestion) until deadline; on success l->actual, l->lifetime
 * are updated. S_OK, or the HRESULT of pcp_pm.h with why. Checks the epoch (a loss marks
 * the other leases for re-creation). */
HRESULT rtcpm_pcp_pm_request(struct pcp_pm *pm, struct pcp_lease *l, uint32_t lifetime, uint64_t deadline, char *why,
                             size_t whylen);

/* Removes the lease of (transport, internal) and deletes it at the NAT within deadline
 * (waits while the worker renews it). Reports an unanswered delete as an event. */
void rtcpm_pcp_pm_delete_lease(struct pcp_pm *pm, LONG transport, const rtcpm_addr *internal, uint64_t deadline);

/* (locked) The lease of (transport, internal), or NULL. */
struct pcp_lease *rtcpm_pcp_pm_find_lease(struct pcp_pm *pm, LONG transport, const rtcpm_addr *internal);

/* ---- PEER (pcp_pm_peer.c; no lock held on entry) ---- */

/* 1 when a mapping of port type type (RTCPT_*) with this remote gets a PEER beside its MAP:
 * a media port (not SIP) and a remote with an address and a port. */
int rtcpm_pcp_pm_peer_wanted(LONG type, const rtcpm_addr *remote);

/* After l's MAP (lifetime > 0) succeeded by PCP: creates or renews the PEER mapping towards
 * l->peer on socket s within deadline; lifetime 0: deletes it (when l->peer_live). Never
 * fails the mapping: a refusal or no answer is an event (l->peer_live then 0). */
void rtcpm_pcp_pm_peer_request(struct pcp_pm *pm, rtcpm_socket *s, struct pcp_lease *l, uint32_t lifetime,
                               uint64_t deadline);

/* UpdateRemoteAddressEx2 for the PCP port manager: the table's update, then the PEER moved
 * to the new remote (the old one deleted). */
HRESULT WINAPI rtcpm_pcp_pm_UpdateRemoteAddressEx2(IRTCPortManager3 *iface, BSTR remote_text, LONG remote_port,
                                                   LONG transport, BSTR int_addr, LONG int_port, BSTR ext_addr,
                                                   LONG ext_port);

/* (locked) Sets last_event (and counts it, and traces it). */
void rtcpm_pcp_pm_event(struct pcp_pm *pm, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* (locked) The NAT `server` lost its state: every lease it made is due for re-creation
 * after jitter_ms. */
void rtcpm_pcp_pm_state_lost(struct pcp_pm *pm, const rtcpm_addr *server, const char *how, uint32_t jitter_ms);

/* (locked) Removes the lease (its mapping is gone). */
void rtcpm_pcp_pm_drop_lease(struct pcp_pm *pm, struct pcp_lease *l);

extern const struct rtcpm_pmc_schema rtcpm_pcp_pm_schema;

/* ---- the worker (pcp_pm_worker.c) ---- */

void rtcpm_pcp_pm_worker_start(struct pcp_pm *pm);
void rtcpm_pcp_pm_worker_stop(struct pcp_pm *pm);
/* Wakes the worker (a lease was added or became due). */
void rtcpm_pcp_pm_worker_wake(struct pcp_pm *pm);

static inline uint64_t pcp_pm_ms_left(uint64_t deadline)
{
    uint64_t now = rtcpm_clock_ms();
    return deadline > now ? deadline - now : 0;
}

#endif /* RTCPM_PM_PCP_PM_PRIVATE_H */
