/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stun_pm.h — the STUN port manager: discovers the NAT's external address/port for each
 * mapping RTC asks for, by a STUN Binding request (RFC 5389/8489; RFC 3489 servers too)
 * sent from the very internal port it hands out.
 *
 * One object answers IUnknown, IRTCPortManager, IRTCPortManager2 and IRTCPortManager3 (QI
 * between them, one identity) and aggregates the free-threaded marshaler on Windows. Server
 * unreachable / no answer within the configured time -> RTC_E_PORT_MAPPING_FAILED, never a
 * made-up address; a NAT whose mapping depends on the destination (symmetric) ->
 * RTC_E_PORT_MAPPING_FAILED as well, with the reason available from
 * rtcpm_stun_pm_last_error().
 *
 * GetMapping / GetMappingEx (GetMapping = GetMappingEx with UDP):
 *  1. Internal address: the configured local address of the family, else the local address
 *     the OS routes towards the first STUN server of that family (a UDP connect on a
 *     throw-away socket: no packet). The family is the remote's when a remote is given,
 *     else the first server's.
 *  2. Internal port: from the first configured range matching the port type and transport
 *     (RTCPM_PORT_TYPE_ANY matches every type; an RTCP type without a range of its own uses
 *     its RTP type's range), else one the OS picks. A port is skipped while it is in a live
 *     mapping (TCP and TLS share ports), claimed by a call in flight, or bound by anyone
 *     (the bind fails). Ports go round robin, except that a port whose discovery is still
 *     in the cache (below) is taken first. RTP ports are even, with the next port free too:
 *     that odd port is kept for the RTCP mapping of the same media, transport and internal
 *     address asked next — with several calls at once, the one whose RTP mapping had the
 *     same remote — until the RTP mapping is released.
 *  3. Discovery: the port is bound and a Binding request goes FROM IT to the servers of the
 *     family in the configured order (each at most server_timeout_ms; the next one when a
 *     server fails); the socket is closed again, since RTC binds the internal port itself
 *     (the NAT binding stays for its UDP timeout).
 *  4. Symmetric NAT check (symmetric_check, on by default): the same port asks a second
 *     server — the answering server's RFC 5780 OTHER-ADDRESS when it gives one, else the
 *     next server of the family in the list. Different external addresses or ports mean a
 *     destination-dependent mapping: RTC_E_PORT_MAPPING_FAILED, last error "symmetric NAT:
 *     A saw port X, B saw port Y". The verdict is kept per internal address for
 *     symmetric_check_age_s (0: checked on every discovery). No second server, or no answer
 *     from it within the budget: not checked, the mapping stands.
 *  5. Timeliness: a call never takes much longer than timeout_ms (default 3000; RTC's calls
 *     are synchronous). With warm_up (default) a worker thread does one discovery + check
 *     from the port a SIP/UDP mapping would get, for each server family, right at creation;
 *     a GetMapping* arriving meanwhile waits for it (at most 3/4 of its own budget, keeping
 *     the rest for a discovery of its own) and then usually finds the port in the cache. UDP discoveries are cached for cache_age_s (default 20 s,
 *     keep it below the NAT's UDP timeout, RFC 4787 REQ-5 says >= 2 min, some NATs use 30 s);
 *     a cached port is handed out again without traffic. refresh_s > 0 re-runs the warm-up
 *     every refresh_s (keeps the verdict, the external address and one port's cache entry
 *     current; on a changed external address the cache is dropped).
 *  6. TCP / TLS (SIP over TCP), by `tcp`:
 *     RTCPM_STUN_PM_TCP_STUN (default): STUN over TCP (RFC 5389 7.2.2) from the internal
 *       port, connection closed abortively (RST: no TIME_WAIT keeps RTC from binding the
 *       port). The answer is the mapping of that connection; a NAT with endpoint-independent
 *       TCP mapping (RFC 5382 REQ-1) gives RTC's later connections from the port the same
 *       external port. Not cached, no symmetric check of its own (a fresh symmetric verdict
 *       of the internal address fails it too). The servers must accept TCP (coturn does).
 *     RTCPM_STUN_PM_TCP_PRESERVE: no TCP traffic: the external address learned over UDP for
 *       the internal address (discovered now when not known) and external port = internal
 *       port — "assume a port-preserving NAT" (plain iptables MASQUERADE is one).
 *     RTCPM_STUN_PM_TCP_OFF: TCP/TLS -> RTC_E_PORT_MAPPING_UNAVAILABLE.
 *
 * Results (every method; out parameters are NULL/0 on any failure, nothing is recorded):
 *   E_POINTER       a NULL out pointer
 *   E_INVALIDARG    port type not 0..4, transport not RTCTR_UDP/TCP/TLS, a remote that is
 *                   not an IP literal or a remote port outside 0..65535; Release/Update: a
 *                   port outside 1..65535 or an address that is not an IP literal;
 *                   UpdateRemoteAddress*: a remote of the other address family than the
 *                   live mapping's (mapping unchanged; IPv4-mapped IPv6 counts as IPv4)
 *   RTC_E_PORT_MAPPING_FAILED
 *                   GetMapping*: no answer from any server in time, error/malformed answers
 *                   only, a symmetric NAT, no route to the server, a bind error other than
 *                   "in use", two internal ports reported with one external port
 *                   (last error e.g. "no answer from 198.19.1.2:3478 within 3000 ms (7
 *                   requests, from udp 192.168.1.10:30000)")
 *   RTC_E_PORT_MAPPING_UNAVAILABLE
 *                   GetMapping*: no STUN server of the remote's family, every port of the
 *                   range taken, TCP/TLS with tcp = off; ReleaseMapping* /
 *                   UpdateRemoteAddress*: no live mapping with that transport, internal
 *                   address:port and external address:port (unknown or already released —
 *                   a double release fails the same way, as with the static PM)
 *   E_OUTOFMEMORY   nothing was recorded
 * Thread safety: any method, any thread, any time; no lock is held during network I/O.
 * ReleaseMapping* returns the internal port to its range at once.
 *
 * Config file (rtcpm_stun_pm_create_from_file; README "STUN port manager"):
 *   [stun]
 *   servers = 198.51.100.1:3478, [2001:db8::1]:3478   ; required, tried in this order
 *   local-address = 192.168.1.10                      ; optional, at most one per family
 *   timeout = 3000            ; ms, budget of one GetMapping* call
 *   server-timeout = 0        ; ms per server; 0 = timeout / servers of the family
 *   rto = 250                 ; ms, first retransmission (then doubling)
 *   retransmissions = 6       ; after the first request (the deadline ends them earlier)
 *   classic = off             ; RFC 3489 requests (128-bit ID, no magic cookie)
 *   symmetric-check = on      ; on | off
 *   symmetric-check-age = 300 ; s; 0 = check on every discovery
 *   cache-age = 20            ; s; 0 = no cache
 *   warm-up = on              ; on | off
 *   refresh = 0               ; s; 0 = never
 *   tcp = stun                ; stun | preserve | off
 *   [ports audio-rtp]         ; sip | audio-rtp | audio-rtcp | video-rtp | video-rtcp | any
 *   range = 30000-30099       ; one port or first-last
 *   transport = udp           ; udp | tcp | tls, a list; default udp
 * Errors name the file and line: "stun.ini:3: servers: entry 2 '1.2.3' is not an IP
 * address[:port]".
 */
#ifndef RTCPM_STUN_PM_H
#define RTCPM_STUN_PM_H

#include <stddef.h>
#include "rtcpm/platform.h"
#include "rtcpm/rtcpm_idl.h"
#include "rtcpm/static_pm.h"

RTCPM_EXTERN_C_BEGIN

/* Most servers / ranges one port manager takes. */
#define RTCPM_STUN_PM_MAX_SERVERS 8
#define RTCPM_STUN_PM_MAX_RANGES  16

/* rtcpm_stun_pm_config.tcp: what TCP/TLS mappings do (see the header comment, item 6). */
enum rtcpm_stun_pm_tcp
{
    RTCPM_STUN_PM_TCP_STUN = 0,
    RTCPM_STUN_PM_TCP_PRESERVE = 1,
    RTCPM_STUN_PM_TCP_OFF = 2
};

struct rtcpm_stun_pm_range
{
    LONG port_type;  /* RTCPT_AUDIO_RTP .. RTCPT_SIP, or RTCPM_PORT_TYPE_ANY */
    LONG transports; /* RTCTR_UDP | RTCTR_TCP | RTCTR_TLS; 0 means RTCTR_UDP */
    LONG first;      /* 1..65535 */
    LONG last;       /* >= first; 0 means = first */
};

struct rtcpm_stun_pm_config
{
    const char *servers;         /* required: "host[:port][,host[:port]...]", IP literals or
                                    host names (resolved when the object is made; no port: SRV
                                    _stun._udp.<name>, else A/AAAA on 3478, RFC 5389 9),
                                    IPv6 as [addr]:port, default port 3478 */
    const char *local_addresses; /* NULL/"": by route; else IP literals, one per family */
    LONG timeout_ms;             /* 3000: budget of one GetMapping* call, 1..600000 */
    LONG server_timeout_ms;      /* 0: timeout_ms / servers of the family; else <= timeout */
    LONG rto_ms;                 /* 250: initial retransmission timeout, 1..60000 */
    LONG retransmissions;        /* 6: requests after the first, 0..31 */
    LONG classic;                /* 0: RFC 5389 requests; 1: RFC 3489 requests */
    LONG symmetric_check;        /* 1: on; 0: off */
    LONG symmetric_check_age_s;  /* 300: how long a verdict is kept; 0 = never kept */
    LONG cache_age_s;            /* 20: how long a UDP discovery is reused; 0 = never */
    LONG warm_up;                /* 1: discover on a worker thread at creation; 0: no */
    LONG refresh_s;              /* 0: never; else re-run the warm-up every refresh_s */
    LONG tcp;                    /* enum rtcpm_stun_pm_tcp */
    LONG range_count;            /* used entries of ranges[] */
    struct rtcpm_stun_pm_range ranges[RTCPM_STUN_PM_MAX_RANGES];
};

/* The defaults above (servers NULL, no ranges: the OS picks every port). */
RTCPM_API void rtcpm_stun_pm_config_init(struct rtcpm_stun_pm_config *cfg);

/* Creates a STUN port manager with default settings and the given servers:
 * "host[:port][,host[:port]...]" (IP literals or host names, IPv6 as [addr]:port, default port 3478),
 * tried in that order. E_POINTER for NULL out/servers, E_INVALIDARG for an unparsable list
 * (err, when given, says which entry and why). With the defaults the OS picks every port,
 * warm-up starts at once; "127.0.0.1:3478" alone is a complete configuration. */
RTCPM_API HRESULT rtcpm_stun_pm_create(const char *servers, IRTCPortManager3 **out, char *err, size_t errlen);

/* Creates one from a filled config (start from rtcpm_stun_pm_config_init). E_POINTER,
 * E_INVALIDARG with the reason in err, E_OUTOFMEMORY. */
RTCPM_API HRESULT rtcpm_stun_pm_create_ex(const struct rtcpm_stun_pm_config *cfg, IRTCPortManager3 **out, char *err,
                                          size_t errlen);

/* Creates one from an INI file (server list with fallback order, per port type and
 * transport ranges, timeouts, cache/refresh policy); errors name file:line. Results as
 * rtcpm_static_pm_load_file: E_INVALIDARG (bad config), E_POINTER, file errors
 * (HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND), E_ACCESSDENIED, E_FAIL), E_OUTOFMEMORY. */
RTCPM_API HRESULT rtcpm_stun_pm_create_from_file(const char *path, IRTCPortManager3 **out, char *err, size_t errlen);
/* The same from INI text; name_for_errors (NULL: "<string>") prefixes the messages. */
RTCPM_API HRESULT rtcpm_stun_pm_create_from_string(const char *text, const char *name_for_errors,
                                                   IRTCPortManager3 **out, char *err, size_t errlen);
/* Only parses INI text into *cfg (its strings point into storage, of storage_len >=
 * RTCPM_STUN_PM_CONFIG_STORAGE bytes, which must outlive cfg): for tools and the fuzz target. */
#define RTCPM_STUN_PM_CONFIG_STORAGE 2050
RTCPM_API HRESULT rtcpm_stun_pm_parse_config(const char *text, size_t len, const char *name_for_errors,
                                             struct rtcpm_stun_pm_config *cfg, char *storage, size_t storage_len,
                                             char *err, size_t errlen);

/* Text of the last failure of a GetMapping* call on this object (e.g. "no answer from
 * 198.19.1.2:3478 within 3000 ms", "symmetric NAT: 198.19.1.2:3478 saw port 40001,
 * 198.19.1.4:3479 saw port 40002"); "" when the last call succeeded. S_OK; E_POINTER for a
 * NULL buf (buflen 0 is fine); E_INVALIDARG when pm is not a STUN port manager. */
RTCPM_API HRESULT rtcpm_stun_pm_last_error(IRTCPortManager3 *pm, char *buf, size_t buflen);

/* Live mappings held (-1 when pm is not a STUN port manager). */
RTCPM_API LONG rtcpm_stun_pm_live_mappings(IRTCPortManager3 *pm);

/* The live mappings as text, in the format of rtcpm_static_pm_format_mappings. */
RTCPM_API LONG rtcpm_stun_pm_format_mappings(IRTCPortManager3 *pm, char *buf, size_t buflen);

/* Waits up to timeout_ms (< 0: no limit) for the warm-up to end. S_OK: it ended (or none
 * was configured); S_FALSE: still running; E_INVALIDARG: not a STUN port manager. */
RTCPM_API HRESULT rtcpm_stun_pm_wait_ready(IRTCPortManager3 *pm, LONG timeout_ms);

/* What the NAT looked like at the last discovery, one line per internal address:
 * "127.0.0.1: external 127.0.0.1, endpoint-independent mapping (127.0.0.1:3478 and
 * 127.0.0.2:3479 saw port 40000), 2 s ago" ("mapping behaviour not checked" when no check
 * could be made). snprintf-like; -1 when not a STUN PM. */
RTCPM_API LONG rtcpm_stun_pm_describe_nat(IRTCPortManager3 *pm, char *buf, size_t buflen);

/* Counters since creation. */
struct rtcpm_stun_pm_stats
{
    LONG transactions;     /* STUN transactions started (one per server asked) */
    LONG requests;         /* Binding requests sent, retransmissions included */
    LONG cache_hits;       /* mappings answered from the cache, without traffic */
    LONG symmetric_checks; /* second-server checks made */
    LONG warm_ups;         /* warm-up / refresh passes ended */
    LONG failures;         /* GetMapping* calls that returned a failure */
};
/* S_OK, E_POINTER, E_INVALIDARG (not a STUN port manager). */
RTCPM_API HRESULT rtcpm_stun_pm_get_stats(IRTCPortManager3 *pm, struct rtcpm_stun_pm_stats *out);

RTCPM_EXTERN_C_END

#endif /* RTCPM_STUN_PM_H */
