/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_server.h — the server a port manager talks to, as a user writes it: "host[:port]",
 * where host is an IP literal (IPv6 in brackets when a port follows) or a DNS name.
 * The syntax is checked when the config is loaded; the name is resolved (src/os/dns: the
 * system's resolver) when a call needs it — a name that does not resolve fails that call
 * with the reason — or, for the STUN port manager, when the object is made.
 */
#ifndef RTCPM_PM_PM_SERVER_H
#define RTCPM_PM_PM_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"
#include "rtcpm/rtcpm.h"

#define RTCPM_PMC_SERVER_MAX 270 /* a 253-character name, ':', a port, NUL */

/* 0 when text is "host[:port]" (host: an IP literal other than the unspecified address, or
 * a DNS name of letters, digits, '-' and '.', labels of 1..63, at most 253 in all); else -1
 * with the reason in why. */
int rtcpm_pm_server_check(const char *text, char *why, size_t whylen);

/* "a, b": at most max entries (1..8), each as rtcpm_pm_server_check says; with
 * one_per_family, no two IP literals of one family (one server per family). Into out[]
 * (optional) as written; *count (optional) how many. 0 or -1 with the reason. */
int rtcpm_pm_server_list(const char *text, int one_per_family, char (*out)[RTCPM_PMC_SERVER_MAX], size_t max,
                         size_t *count, char *why, size_t whylen);
/* The check of a key holding at most one server per family (two entries). */
int rtcpm_pm_server_pair_check(const char *text, char *why, size_t whylen);

/* "192.168.1.10, fd00::10": at most one local address per family, none unspecified; into
 * *v4 / *v6 (optional; family NONE when not given). 0 or -1 with the reason. */
int rtcpm_pm_local_addresses(const char *text, rtcpm_addr *v4, rtcpm_addr *v6, char *why, size_t whylen);
int rtcpm_pm_local_addresses_check(const char *text, char *why, size_t whylen);

/* 1 when text names its host by an IP literal. */
int rtcpm_pm_server_is_literal(const char *text);

/*
 * The server's address: an IP literal as it is (default_port unless a port is written); a
 * name resolved (family RTCPM_AF_INET / _INET6, or RTCPM_AF_NONE for the first the resolver
 * gives). S_OK, or RTC_E_PORT_MAPPING_FAILED with "cannot resolve 'x': ..." in why.
 */
HRESULT rtcpm_pm_server_resolve(const char *text, uint16_t default_port, int family, rtcpm_addr *out, char *why,
                                size_t whylen);
/* The same for a STUN server (RFC 5389 9): a name without a port is looked up as the SRV
 * records of _stun._udp.<name> (in their RFC 2782 order), else as A/AAAA with port 3478. */
HRESULT rtcpm_pm_server_resolve_stun(const char *text, int family, rtcpm_addr *out, char *why, size_t whylen);

#endif /* RTCPM_PM_PM_SERVER_H */
