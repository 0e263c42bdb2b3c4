/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcp_pm.h — the PCP port manager: asks the NAT itself to forward each internal port RTC is
 * handed, with the Port Control Protocol (RFC 6887) or, when the NAT speaks only that, its
 * predecessor NAT-PMP (RFC 6886). Unlike the STUN port manager it works behind a symmetric
 * NAT, and anyone (not just the peer the client sent to first) reaches the mapping.
 *
 * One object answers IUnknown, IRTCPortManager, IRTCPortManager2 and IRTCPortManager3 (QI
 * between them, one identity) and aggregates the free-threaded marshaler on Windows.
 *
 * GetMapping / GetMappingEx (GetMapping = GetMappingEx with UDP):
 *  1. Server, for the remote's family (no remote: the first configured server's, or IPv4):
 *     the configured one of that family (host[:port], default port 5351, at most one per
 *     family; a host name is resolved by the system resolver at every call), else the
 *     default gateway of that family (RFC 6887 8.1) from the OS routing table
 *     (/proc/net/route natively, the IP Helper API on Windows). No server of the remote's
 *     family -> RTC_E_PORT_MAPPING_UNAVAILABLE.
 *  2. Internal address: local_address of the server's family, else the local address the OS
 *     routes towards the server. Internal port: as the STUN port manager picks it (ranges,
 *     round robin, RTP even with port + 1 kept for the RTCP mapping asked next; without a
 *     range the OS picks), held bound while the NAT is asked.
 *  3. A MAP request (version 2, a fresh random 96-bit nonce per mapping, protocol UDP 17 or
 *     TCP 6 (TLS: TCP), internal port = suggested external port = the port handed out,
 *     lifetime lifetime_s) from an ephemeral UDP port of the internal address. Schedule: a
 *     request at 0, then after 250 ms, 500 ms, 1 s, ... (rto_ms, doubling: NAT-PMP's, RFC
 *     6886 3.1) until timeout_ms (default 3000) ends the call. RFC 6887 8.1.1's own schedule
 *     (first retransmission after 3 s) would spend RTC's whole synchronous call on one request.
 *  4. The answer counts only from the server's address and port, with this opcode, nonce,
 *     protocol and internal port. The external address and port returned are the ones the
 *     NAT assigned — not necessarily the suggested port (miniupnpd gives another one even to
 *     PREFER_FAILURE). Result codes: NOT_AUTHORIZED, NO_RESOURCES, USER_EX_QUOTA ->
 *     RTC_E_PORT_MAPPING_UNAVAILABLE; any other error, no answer, an answer without a usable
 *     address -> RTC_E_PORT_MAPPING_FAILED; the reason in rtcpm_pcp_pm_last_error().
 *  5. NAT-PMP: a server that answers PCP with NAT-PMP's UNSUPP_VERSION (or PCP's, in an
 *     older version) is spoken to in NAT-PMP from then on (opcode 0 for the external
 *     address, 1/2 for UDP/TCP mappings; its result codes NOT_AUTHORIZED and NO_RESOURCES ->
 *     RTC_E_PORT_MAPPING_UNAVAILABLE, others FAILED), with the same lifetimes and releases.
 *     protocol forces one of the two.
 *
 *  6. PEER (RFC 6887 12; PCP only): a media mapping (not SIP) asked with a remote address
 *     and port gets, right after its MAP, a PEER request for the same internal port towards
 *     that remote (the MAP's nonce, protocol and lifetime; the MAP's external address and
 *     port suggested), so that the NAT sends the client's own packets to the remote from the
 *     MAP's external port: behind a NAT that picks random ports for outbound flows
 *     (MASQUERADE --random-fully) a client that sends first (RTC answering a call) would
 *     otherwise open a flow from another port that the remote's packets to the MAP's port
 *     then clash with. The PEER never fails the mapping: refused (a NAT without PEER:
 *     UNSUPP_OPCODE), unanswered, or answered with another external side (RTC is told the
 *     MAP's answer all the same), it is reported by rtcpm_pcp_pm_last_event(). It is renewed
 *     and re-created with the MAP, moved by UpdateRemoteAddressEx2 (the old one deleted, one
 *     towards the new remote made; a remote without a port: none) and deleted (lifetime 0)
 *     before the MAP at release. Off by default (peer = 0, INI `peer = off`): the one NAT it was
 *     tried against, Debian's miniupnpd 2.3.1, writes the PEER's rule backwards (README).
 *
 * Lifetime: a worker thread renews every mapping at half its granted lifetime (the same
 * nonce, suggesting the external port it has). ReleaseMapping* deletes the mapping at the
 * NAT (lifetime 0, same nonce; NAT-PMP: lifetime 0) within timeout_ms and returns S_OK once
 * the mapping is gone here, answered or not (an unanswered delete expires at the NAT). The
 * object's last Release deletes every live mapping (within timeout_ms in all).
 *
 * The NAT losing its state (RFC 6887 8.5, 14.1): every answer carries the server's epoch; an
 * epoch that goes back (or advances much more slowly or quickly than our clock), or an
 * unsolicited ANNOUNCE on 224.0.0.1:5350 (or a NAT-PMP address announcement there) saying
 * so, makes the worker re-create every live mapping at once (after a random 0..500 ms: RFC
 * 6887 asks 0..5 s, too slow for a call in progress). A mapping that comes back with another
 * external port cannot be reported to RTC, which holds the old one: it is kept under the old
 * name for RTC and reported by rtcpm_pcp_pm_last_event() (and the pm trace).
 *
 * Results (every method; out parameters are NULL/0 on any failure, nothing is recorded): as
 * the STUN port manager's (include/rtcpm/stun_pm.h), with RTC_E_PORT_MAPPING_FAILED also for
 * no default gateway and no answer from the NAT, RTC_E_PORT_MAPPING_UNAVAILABLE also for
 * the three result codes above.
 * Thread safety: any method, any thread, any time; no lock is held during network I/O.
 *
 * Config file (rtcpm_pcp_pm_create_from_file; README "PCP port manager"):
 *   [pcp]
 *   server = 198.18.1.1         ; default: the default gateway; host[:port], port 5351;
 *                               ; at most one per family: 198.18.1.1, [fd00::1]
 *   local-address = 198.18.1.2  ; default: by route towards the server; one per family
 *   protocol = auto             ; auto (PCP, NAT-PMP fallback) | pcp | nat-pmp
 *   lifetime = 7200             ; s asked for (the NAT clamps it), renewed at half-life
 *   timeout = 3000              ; ms, budget of one GetMapping* / ReleaseMapping* call
 *   rto = 250                   ; ms, first retransmission (then doubling)
 *   announce = on               ; listen for ANNOUNCE on 224.0.0.1:<announce-port>
 *   announce-port = 5350
 *   [ports audio-rtp]           ; as the STUN port manager's (include/rtcpm/port_range.h)
 *   range = 30000-30099
 */
#ifndef RTCPM_PCP_PM_H
#define RTCPM_PCP_PM_H

#include <stddef.h>
#include "rtcpm/platform.h"
#include "rtcpm/rtcpm_idl.h"
#include "rtcpm/port_range.h"

RTCPM_EXTERN_C_BEGIN

enum rtcpm_pcp_pm_protocol
{
    RTCPM_PCP_PM_AUTO = 0,  /* PCP; NAT-PMP when the server answers UNSUPP_VERSION */
    RTCPM_PCP_PM_PCP = 1,   /* PCP only */
    RTCPM_PCP_PM_NATPMP = 2 /* NAT-PMP only */
};

struct rtcpm_pcp_pm_config
{
    const char *server;        /* NULL/"": the default gateway; "host[:port]" (port 5351), or
                                  one per family: "198.18.1.1, [fd00::1]" */
    const char *local_address; /* NULL/"": by route towards the server; one per family */
    LONG protocol;             /* enum rtcpm_pcp_pm_protocol */
    LONG lifetime_s;           /* 7200: asked for, 1..604800 */
    LONG timeout_ms;           /* 3000: budget of one call, 1..600000 */
    LONG rto_ms;               /* 250: first retransmission, 1..60000 */
    LONG announce;             /* 1: listen for ANNOUNCE; 0: no */
    LONG announce_port;        /* 5350: where ANNOUNCE is listened for, 1..65535 */
    LONG peer;                 /* 0: no PEER; 1: a PEER beside each media MAP with a remote (step 6) */
    LONG range_count;
    struct rtcpm_port_range ranges[RTCPM_PM_MAX_RANGES];
};

/* The defaults above (the gateway, every port picked by the OS). */
RTCPM_API void rtcpm_pcp_pm_config_init(struct rtcpm_pcp_pm_config *cfg);

/* A PCP port manager with the defaults and server (NULL: the default gateway). E_POINTER
 * for NULL out, E_INVALIDARG for a server that does not parse (err says why). */
RTCPM_API HRESULT rtcpm_pcp_pm_create(const char *server, IRTCPortManager3 **out, char *err, size_t errlen);
/* From a filled config (start from rtcpm_pcp_pm_config_init). */
RTCPM_API HRESULT rtcpm_pcp_pm_create_ex(const struct rtcpm_pcp_pm_config *cfg, IRTCPortManager3 **out, char *err,
                                         size_t errlen);
/* From an INI file / text; errors name file:line. Results as rtcpm_stun_pm_create_from_file. */
RTCPM_API HRESULT rtcpm_pcp_pm_create_from_file(const char *path, IRTCPortManager3 **out, char *err, size_t errlen);
RTCPM_API HRESULT rtcpm_pcp_pm_create_from_string(const char *text, const char *name_for_errors, IRTCPortManager3 **out,
                                                  char *err, size_t errlen);
/* Only parses INI text into *cfg (strings point into storage, which must outlive cfg). */
#define RTCPM_PCP_PM_CONFIG_STORAGE (2 * 1025)
RTCPM_API HRESULT rtcpm_pcp_pm_parse_config(const char *text, size_t len, const char *name_for_errors,
                                            struct rtcpm_pcp_pm_config *cfg, char *storage, size_t storage_len,
                                            char *err, size_t errlen);

/* The last GetMapping* failure's reason ("" after a success). S_OK, E_POINTER (NULL buf with
 * buflen), E_INVALIDARG (not a PCP port manager). */
RTCPM_API HRESULT rtcpm_pcp_pm_last_error(IRTCPortManager3 *pm, char *buf, size_t buflen);
/* The last thing that happened behind RTC's back: "epoch reset by 198.18.1.1:5351 (epoch 0
 * after 12): 3 mapping(s) re-created", "udp 198.18.1.2:30000: re-created as external
 * 198.19.1.1:30002, RTC holds 198.19.1.1:30000", a renewal or delete that got no answer.
 * "" when nothing happened yet. Same results as rtcpm_pcp_pm_last_error. */
RTCPM_API HRESULT rtcpm_pcp_pm_last_event(IRTCPortManager3 *pm, char *buf, size_t buflen);
/* "PCP", "NAT-PMP", or "" while no server has answered. NULL when not a PCP port manager. */
RTCPM_API const char *rtcpm_pcp_pm_protocol(IRTCPortManager3 *pm);

RTCPM_API LONG rtcpm_pcp_pm_live_mappings(IRTCPortManager3 *pm); /* -1: not ours */
RTCPM_API LONG rtcpm_pcp_pm_format_mappings(IRTCPortManager3 *pm, char *buf,
                                            size_t buflen); /* the static PM's format */

struct rtcpm_pcp_pm_stats
{
    LONG requests;     /* PCP and NAT-PMP requests sent, retransmissions included */
    LONG mappings;     /* mappings made for GetMapping* */
    LONG renewals;     /* renewals answered with success */
    LONG recreations;  /* mappings re-created after the NAT lost its state */
    LONG epoch_resets; /* times the NAT was seen to have lost its state */
    LONG announces;    /* unsolicited announcements received from the server */
    LONG deletes;      /* deletes answered */
    LONG failures;     /* GetMapping* calls that failed, renewals that got no answer */
    LONG events;       /* rtcpm_pcp_pm_last_event() changes */
};
RTCPM_API HRESULT rtcpm_pcp_pm_get_stats(IRTCPortManager3 *pm, struct rtcpm_pcp_pm_stats *out);

RTCPM_EXTERN_C_END

#endif /* RTCPM_PCP_PM_H */
