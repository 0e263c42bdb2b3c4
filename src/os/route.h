/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * route.h — the default gateway, from the OS routing table: where PCP and NAT-PMP requests
 * go when no server is configured (RFC 6887 8.1: "the default router"), and what the
 * automatic port manager watches for a change of network.
 *
 * Natively /proc/net/route (IPv4) and /proc/net/ipv6_route (IPv6), which Linux prints from
 * the main routing table; on Windows targets the IP Helper API's GetIpForwardTable2 (also
 * under Wine, which fills it from the host's table of the wineserver's namespace). Of the
 * default routes (prefix length 0) with a next hop, the one with the lowest metric wins.
 * An IPv6 gateway is usually link-local: its scope is the route's interface index.
 *
 * The /proc parsers are pure functions on the file's text, compiled on every target, so
 * their tests run everywhere.
 */
#ifndef RTCPM_OS_ROUTE_H
#define RTCPM_OS_ROUTE_H

#include <stddef.h>

#include "net/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The default gateway of family (RTCPM_AF_INET / RTCPM_AF_INET6) into *out (port 0).
 * RTCPM_SOCK_OK, RTCPM_SOCK_E_UNREACHABLE when there is no default route with a next hop,
 * RTCPM_SOCK_E_INVALID_ARG, RTCPM_SOCK_E_OTHER (the table could not be read; *os_error,
 * optional, says why). */
int rtcpm_route_default_gateway(int family, rtcpm_addr *out, int *os_error);

/* The text of /proc/net/route -> the gateway of the default route with the lowest metric
 * (fields are hexadecimal in the host's byte order: little-endian hosts only). 0, or -1
 * when there is none. */
int rtcpm_route_parse_proc_ipv4(const char *text, size_t len, rtcpm_addr *out);

/* The text of /proc/net/ipv6_route -> the default route's next hop with the lowest metric;
 * scope_id = if_index(interface name) when the gateway is link-local (if_index may be NULL:
 * scope 0). 0, or -1 when there is none. */
int rtcpm_route_parse_proc_ipv6(const char *text, size_t len, unsigned (*if_index)(const char *name), rtcpm_addr *out);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_OS_ROUTE_H */
