/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_ports.h — the internal ports of a port manager that picks them itself (STUN today, PCP
 * next): configured ranges with round-robin cursors, claims, RTP/RTCP pairing and bind
 * probes. The mapping table says which ports are live; this module keeps every other call
 * off a port while one call probes it, and keeps port + 1 of an RTP mapping for the RTCP
 * mapping that follows it.
 *
 * A call's life:
 *   rtcpm_pm_ports_open     claim a port (RTP: and port + 1), bind it: a probe
 *   ... the owner learns the external side from the bound socket (STUN, PCP) ...
 *   rtcpm_pm_probe_close    the socket goes; the claims stay
 *   rtcpm_pm_ports_settle   (with the mapping recorded in the table, under the lock) the
 *                           probe's claim goes; RTP: port + 1 stays kept for the RTCP call
 *   or rtcpm_pm_ports_abandon when the call fails: socket and claims go
 *   rtcpm_pm_ports_mapping_gone after ReleaseMappingEx: RTP gives its kept port + 1 back
 *
 * Which port: the RTCP port kept for this media by an RTP mapping (the one whose RTP mapping
 * had the same remote, else the oldest), else the owner's preferred port (optional hook),
 * else the next free port of the first range serving (type, transport) — an RTCP type
 * without a range of its own takes its RTP type's, odd ports first — else, with no range,
 * a port the OS picks. RTP wants an even port whose next one is free too (RFC 3550).
 * TCP and TLS share one port namespace.
 *
 * Locking: a struct rtcpm_pm_ports has no lock of its own. It lives under its owner's lock
 * (given to rtcpm_pm_ports_init), which usually guards more state that a pick must see in
 * the same critical section (the STUN cache). Functions marked (locked) expect the caller to
 * hold it; the others take it themselves and never hold it while a socket is bound. The
 * mapping table's own lock is taken inside the owner's (order: owner lock, then table lock).
 */
#ifndef RTCPM_PM_PORTS_H
#define RTCPM_PM_PORTS_H

#include <stddef.h>
#include <stdint.h>
#include "rtcpm/rtcpm.h"
#include "net/addr.h"
#include "os/lock.h"
#include "os/socket.h"
#include "pm/mapping_table.h"

#define RTCPM_PM_PORTS_MAX_RANGES 16  /* ranges one port manager may configure */
#define RTCPM_PM_PORTS_TRIED_MAX  256 /* ports one call may find bound by others before giving up */

/* Port namespaces: UDP, and one for TCP and TLS. */
enum rtcpm_pm_proto
{
    RTCPM_PM_PROTO_UDP = 1,
    RTCPM_PM_PROTO_TCP = 2
};

static inline int rtcpm_pm_proto_of(LONG transport)
{
    return transport == RTCTR_UDP ? RTCPM_PM_PROTO_UDP : RTCPM_PM_PROTO_TCP;
}
static inline int rtcpm_pm_is_rtp(int type) { return type == RTCPT_AUDIO_RTP || type == RTCPT_VIDEO_RTP; }
static inline int rtcpm_pm_is_rtcp(int type) { return type == RTCPT_AUDIO_RTCP || type == RTCPT_VIDEO_RTCP; }

/* A configured range (checked: 1 <= first <= last; an RTP range holds an even/odd pair). */
struct rtcpm_pm_port_range
{
    int port_type;       /* RTCPT_* or RTCPM_PORT_TYPE_ANY */
    unsigned transports; /* RTCTR_* bits, never 0 */
    uint16_t first, last;
};

/* A port nobody else may take: being probed by a call in flight (rtcp_for 0), or kept for
 * the RTCP mapping (type rtcp_for) that follows an RTP mapping on the port below it. */
struct rtcpm_pm_claim
{
    int proto;
    rtcpm_addr addr;   /* internal address with port */
    int rtcp_for;      /* 0, or the RTCPT_*_RTCP type it is kept for */
    LONG transport;    /* the RTP mapping's transport (rtcp_for only) */
    rtcpm_addr remote; /* the RTP mapping's remote (rtcp_for only; NONE = none given) */
};

struct rtcpm_pm_ports
{
    struct rtcpm_lock *lock;                                      /* the owner's: guards everything below */
    struct rtcpm_mapping_table *table;                            /* the owner's live mappings (own lock) */
    struct rtcpm_pm_port_range ranges[RTCPM_PM_PORTS_MAX_RANGES]; /* immutable after init */
    size_t range_count;
    uint32_t cursor[RTCPM_PM_PORTS_MAX_RANGES]; /* next offset to try in each range */
    struct rtcpm_pm_claim *claims;              /* oldest first */
    size_t claim_count, claim_cap;
};

/* One call's search for a port: what it wants and the ports found bound by other programs. */
struct rtcpm_pm_port_search
{
    int type;
    LONG transport;
    int proto;
    int pair;        /* RTP: port + 1 wanted too */
    rtcpm_addr host; /* internal address (its port is ignored) */
    int range;       /* index of the range serving (type, transport); -1: the OS picks */
    int odd_first;   /* RTCP in its RTP type's range: odd ports first */
    uint16_t tried[RTCPM_PM_PORTS_TRIED_MAX];
    size_t tried_count;
};

/* A claimed, bound internal port (RTP: port + 1 claimed as well). */
struct rtcpm_pm_probe
{
    int proto;
    int pair;
    rtcpm_addr internal; /* with the port */
    rtcpm_socket *sock;  /* bound to internal; NULL once closed */
};

/* The owner's preferred port for a search (STUN: one whose external side is cached), asked
 * (locked) before the ranges: a port rtcpm_pm_ports_fits accepts, or 0 for none. */
struct rtcpm_pm_port_prefer
{
    uint16_t (*fn)(void *ctx, const struct rtcpm_pm_ports *ports, const struct rtcpm_pm_port_search *s);
    void *ctx;
};

/* Ranges are copied. S_OK, or E_INVALIDARG for more than RTCPM_PM_PORTS_MAX_RANGES. */
HRESULT rtcpm_pm_ports_init(struct rtcpm_pm_ports *ports, struct rtcpm_lock *lock, struct rtcpm_mapping_table *table,
                            const struct rtcpm_pm_port_range *ranges, size_t range_count);
void rtcpm_pm_ports_destroy(struct rtcpm_pm_ports *ports);

/*
 * Claims and binds an internal port for (type, transport) on host (remote: the call's, to
 * find the RTCP port kept for it; family NONE = none). prefer may be NULL. S_OK with *p
 * filled; RTC_E_PORT_MAPPING_UNAVAILABLE (no free port), RTC_E_PORT_MAPPING_FAILED (bind
 * error), E_OUTOFMEMORY; why says which.
 */
HRESULT rtcpm_pm_ports_open(struct rtcpm_pm_ports *ports, int type, LONG transport, const rtcpm_addr *host,
                            const rtcpm_addr *remote, const struct rtcpm_pm_port_prefer *prefer,
                            struct rtcpm_pm_probe *p, char *why, size_t whylen);

/* Closes the probe's socket (TCP abortively, so the port can be bound again at once). */
void rtcpm_pm_probe_close(struct rtcpm_pm_probe *p);

/* (locked) The probe's call is over: its claim goes. recorded: the mapping now in the
 * table, whose RTP port keeps port + 1 for its RTCP mapping; NULL (nothing recorded): port
 * + 1 goes too. */
void rtcpm_pm_ports_settle(struct rtcpm_pm_ports *ports, const struct rtcpm_pm_probe *p,
                           const struct rtcpm_mapping *recorded);

/* The probe's call failed: its socket closes, its claims go. */
void rtcpm_pm_ports_abandon(struct rtcpm_pm_ports *ports, struct rtcpm_pm_probe *p);

/* A mapping left the table: for RTP the RTCP port kept for it goes back too, unless an
 * RTCP call has taken it meanwhile. */
void rtcpm_pm_ports_mapping_gone(struct rtcpm_pm_ports *ports, const struct rtcpm_mapping *removed);

/* (locked) Does port suit the search (in its range, or outside every range when it has
 * none; parity and room for port + 1; not tried yet) and is it (and port + 1) free?
 * odd_only: only odd ports. */
int rtcpm_pm_ports_fits(const struct rtcpm_pm_ports *ports, const struct rtcpm_pm_port_search *s, uint32_t port,
                        int odd_only);

#endif /* RTCPM_PM_PORTS_H */
