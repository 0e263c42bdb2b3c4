/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * static_pm.h — a port manager for a NAT whose port forwarding is configured by hand.
 *
 * One COM object answers IUnknown, IRTCPortManager, IRTCPortManager2 and IRTCPortManager3
 * (QueryInterface between them; one identity). Its mappings come from rules, each saying:
 * for this port type (or any) and these transports, internal address:port (or a range of
 * ports) is forwarded from external address:port (a range of the same size; the k-th
 * internal port is reachable as the k-th external port); optionally only for remote peers
 * in these prefixes.
 *
 * GetMapping / GetMappingEx pick the first rule, in the order added, that matches the port
 * type, the transport (GetMapping: UDP), the remote address (a rule with a remote filter
 * needs a remote inside it; a remote also needs the family of the rule's external address)
 * and still has a free port; they hand out the rule's next free port after the one handed out
 * last (round robin, so a released port is not reused at once while others are free), record
 * the mapping and return new BSTRs (canonical text: "192.0.2.1", "2001:db8::1", RFC 5952).
 * A port is free when neither its internal nor its external side (for that transport) is in a
 * live mapping, so rules may overlap (e.g. one for LAN peers, one for the rest).
 *
 * Results (every method; out parameters are NULL/0 on any failure):
 *   E_POINTER       a NULL out pointer (the non-NULL ones are still cleared)
 *   E_INVALIDARG    port type not 0..4, transport not RTCTR_UDP/TCP/TLS, a port outside
 *                   1..65535 (remote port: 0..65535, 0 = none), an address that is not an
 *                   IP literal (remote: empty = unknown in GetMapping*, required in Update*);
 *                   UpdateRemoteAddress*: a remote of the other address family than the
 *                   live mapping's (it could not reach it; the mapping is left unchanged;
 *                   an IPv4-mapped IPv6 remote counts as IPv4)
 *   RTC_E_PORT_MAPPING_UNAVAILABLE
 *                   GetMapping*: no rule matches, or every matching rule's ports are taken;
 *                   ReleaseMapping* / UpdateRemoteAddress*: no live mapping with that
 *                   transport, internal address:port and external address:port (unknown,
 *                   or already released — a double release fails the same way)
 *   E_OUTOFMEMORY   nothing was recorded
 * The v1/v2 methods act on UDP mappings. Addresses are compared as binary addresses, so
 * "2001:DB8:0::1" names the mapping handed out as "2001:db8::1".
 *
 * Thread safety: any method, from any thread, at any time (RTC calls from its own threads).
 * It aggregates the free-threaded marshaler: another apartment gets the object itself, no proxy.
 */
#ifndef RTCPM_STATIC_PM_H
#define RTCPM_STATIC_PM_H

#include <stddef.h>
#include "rtcpm/platform.h"
#include "rtcpm/rtcpm_idl.h"

RTCPM_EXTERN_C_BEGIN

/* rtcpm_static_rule.port_type: any port type. */
#define RTCPM_PORT_TYPE_ANY (-1)

struct rtcpm_static_rule
{
    int port_type;                /* RTCPT_AUDIO_RTP .. RTCPT_SIP, or RTCPM_PORT_TYPE_ANY */
    LONG transports;              /* RTCTR_UDP | RTCTR_TCP | RTCTR_TLS; 0 means RTCTR_UDP */
    const char *internal_address; /* IP literal, IPv6 with or without brackets */
    LONG internal_port_first;     /* 1..65535 */
    LONG internal_port_last;      /* >= first; 0 means = first (a single port) */
    const char *external_address; /* same family as internal */
    LONG external_port_first;
    LONG external_port_last; /* 0 means first + (size of internal range) - 1 */
    const char *remote;      /* NULL/"" = any remote; else "192.168.0.0/16, 2001:db8::/32"
                                     (a prefix list; a bare address means /32 or /128) */
};

/* A new port manager without rules (every GetMapping fails until rules are added);
 * *out has one reference. E_POINTER, E_OUTOFMEMORY. */
RTCPM_API HRESULT rtcpm_static_pm_create(IRTCPortManager3 **out);

/* Appends one rule. E_INVALIDARG for a bad rule, or when pm is not a static port manager. */
RTCPM_API HRESULT rtcpm_static_pm_add_rule(IRTCPortManager3 *pm, const struct rtcpm_static_rule *rule);
/* The same, with the reason of an E_INVALIDARG in err ("external range 40000-40009 has 10
 * ports, internal range has 20"); err may be NULL. */
RTCPM_API HRESULT rtcpm_static_pm_add_rule_ex(IRTCPortManager3 *pm, const struct rtcpm_static_rule *rule, char *err,
                                              size_t errlen);

/*
 * Appends the rules of an INI file / text (format: README "Static port manager config").
 * All or nothing: on any error no rule is added and err (optional) holds
 * "<name>:<line>: <what is wrong>". Results: S_OK, E_INVALIDARG (bad config or pm),
 * E_POINTER (NULL path/text), HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) / E_ACCESSDENIED /
 * E_FAIL (file cannot be read), E_OUTOFMEMORY.
 */
RTCPM_API HRESULT rtcpm_static_pm_load_file(IRTCPortManager3 *pm, const char *path, char *err, size_t errlen);
RTCPM_API HRESULT rtcpm_static_pm_load_string(IRTCPortManager3 *pm, const char *text, const char *name_for_errors,
                                              char *err, size_t errlen);

/* Mappings handed out and not yet released; -1 when pm is not a static port manager. */
RTCPM_API LONG rtcpm_static_pm_live_mappings(IRTCPortManager3 *pm);
/* Rules added so far; -1 when pm is not a static port manager. */
RTCPM_API LONG rtcpm_static_pm_rule_count(IRTCPortManager3 *pm);

/*
 * The live mappings as text, one line each, sorted by transport, then internal address and
 * port:  "udp sip 192.168.1.10:5060 198.51.100.7:5060 remote 203.0.113.9:5070\n"
 * (transport, port type, internal, external, remote — "remote -" when none; IPv6 in brackets,
 * "[2001:db8::1]:5060"; the remote's port left out when unknown). Like snprintf: writes at most buflen bytes
 * (NUL included; buf may be NULL when buflen is 0) and returns the length the whole text
 * needs, or -1 when pm is not a static port manager or memory ran out.
 */
RTCPM_API LONG rtcpm_static_pm_format_mappings(IRTCPortManager3 *pm, char *buf, size_t buflen);

RTCPM_EXTERN_C_END

#endif /* RTCPM_STATIC_PM_H */
