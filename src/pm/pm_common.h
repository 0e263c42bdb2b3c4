/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_common.h — what every port manager built on the mapping table shares (static, STUN):
 * the checks of RTC's arguments in one order with one set of results, BSTR <-> address,
 * the [out] BSTRs of a successful GetMapping*, ReleaseMapping* / UpdateRemoteAddress* on
 * the table, the text listing of live mappings, and QueryInterface and the IRTCPortManager /
 * IRTCPortManager2 methods of an object whose vtbl is IRTCPortManager3's.
 *
 * Results, as include/rtcpm/static_pm.h documents them for every port manager:
 *   E_POINTER     a NULL out pointer (the non-NULL ones are still cleared first)
 *   E_INVALIDARG  port type not 0..4, transport not RTCTR_UDP/TCP/TLS, a port outside
 *                 1..65535 (remote port: 0..65535, 0 = none), an address that is not an
 *                 IP literal (remote: empty = unknown in GetMapping*, required in Update*);
 *                 Update*: a remote of the other address family than the live mapping's
 *                 (an IPv4-mapped IPv6 remote counts as IPv4)
 *   RTC_E_PORT_MAPPING_UNAVAILABLE  Release/Update of a mapping that is not live (whatever
 *                 the remote's family)
 */
#ifndef RTCPM_PM_COMMON_H
#define RTCPM_PM_COMMON_H

#include <stddef.h>
#include "rtcpm/rtcpm.h"
#include "net/addr.h"
#include "pm/mapping_table.h"
#include "com/ftm.h"

int rtcpm_pm_transport_valid(LONG transport);
int rtcpm_pm_port_valid(LONG port);        /* 1..65535 */
int rtcpm_pm_remote_port_valid(LONG port); /* 0..65535 */
/* "udp" | "tcp" | "tls" | "?" */
const char *rtcpm_pm_transport_name(LONG transport);

/* A BSTR holding an IP literal -> address with `port`. Empty text gives family NONE when
 * allow_empty, E_INVALIDARG otherwise; so does anything that is not an address. */
HRESULT rtcpm_pm_addr_from_bstr(BSTR b, int allow_empty, LONG port, rtcpm_addr *out);

/* GetMapping / GetMappingEx arguments: clears the four outs, then checks them. On S_OK
 * *remote is the remote (family NONE when empty; an IPv4-mapped IPv6 remote as IPv4). */
HRESULT rtcpm_pm_check_get_mapping(BSTR remote_text, LONG remote_port, LONG transport, RTC_PORT_TYPE type,
                                   BSTR *int_addr, LONG *int_port, BSTR *ext_addr, LONG *ext_port, rtcpm_addr *remote);

/* The two sides RTC names a mapping by (ReleaseMapping*, UpdateRemoteAddress*). */
HRESULT rtcpm_pm_mapping_key(LONG transport, BSTR int_addr, LONG int_port, BSTR ext_addr, LONG ext_port, rtcpm_addr *in,
                             rtcpm_addr *ex);

/* New BSTRs (canonical text) and the ports of m into the outs: S_OK, or E_OUTOFMEMORY with
 * the outs left as they were. */
HRESULT rtcpm_pm_return_mapping(const struct rtcpm_mapping *m, BSTR *int_addr, LONG *int_port, BSTR *ext_addr,
                                LONG *ext_port);

/* ReleaseMappingEx on a table: S_OK (a copy of what went in *removed, optional),
 * E_INVALIDARG, RTC_E_PORT_MAPPING_UNAVAILABLE. */
HRESULT rtcpm_pm_table_release(struct rtcpm_mapping_table *t, LONG transport, BSTR int_addr, LONG int_port,
                               BSTR ext_addr, LONG ext_port, struct rtcpm_mapping *removed);

/*
 * The live mappings as text, one line each, sorted by transport, then internal address and
 * port: "udp sip 192.168.1.10:5060 198.51.100.7:5060 remote 203.0.113.9:5070\n" (format of
 * rtcpm_static_pm_format_mappings). snprintf-like; -1 when memory ran out.
 */
LONG rtcpm_pm_format_mappings(struct rtcpm_mapping_table *t, char *buf, size_t buflen);

/* What rtcpm_pm_UpdateRemoteAddressEx2 works on: a port manager object's one interface and its
 * mapping table, kept together in a member of the object (`base` in static_pm and stun_pm). */
struct pm_object
{
    IRTCPortManager3 IRTCPortManager3_iface;
    struct rtcpm_mapping_table *table;
};

/*
 * For a port manager object whose one IRTCPortManager3 vtbl answers all three interfaces.
 *
 * rtcpm_pm_query_interface: IRTCPortManager, IRTCPortManager2 and IRTCPortManager3 (and IUnknown)
 * give iface itself; any other IID goes to the object's free-threaded marshaler.
 *
 * The IRTCPortManager and IRTCPortManager2 methods, to put in the vtbl as they are: each
 * calls the IRTCPortManager3 method of iface's own vtbl with what the older interface
 * cannot say, transport RTCTR_UDP and (IRTCPortManager) remote port 0, none:
 *   GetMapping            -> GetMappingEx(remote, 0, RTCTR_UDP, type, ...)
 *   UpdateRemoteAddress   -> UpdateRemoteAddressEx2(remote, 0, RTCTR_UDP, ...)
 *   ReleaseMapping        -> ReleaseMappingEx(RTCTR_UDP, ...)
 *   UpdateRemoteAddressEx -> UpdateRemoteAddressEx2(remote, remote_port, RTCTR_UDP, ...)
 */
HRESULT rtcpm_pm_query_interface(IRTCPortManager3 *iface, const struct com_ftm *ftm, REFIID riid, void **out);
HRESULT WINAPI rtcpm_pm_forward_GetMapping(IRTCPortManager3 *iface, BSTR remote, RTC_PORT_TYPE type, BSTR *int_addr,
                                           LONG *int_port, BSTR *ext_addr, LONG *ext_port);
HRESULT WINAPI rtcpm_pm_forward_UpdateRemoteAddress(IRTCPortManager3 *iface, BSTR remote, BSTR int_addr, LONG int_port,
                                                    BSTR ext_addr, LONG ext_port);
HRESULT WINAPI rtcpm_pm_forward_ReleaseMapping(IRTCPortManager3 *iface, BSTR int_addr, LONG int_port, BSTR ext_addr,
                                               LONG ext_port);
HRESULT WINAPI rtcpm_pm_forward_UpdateRemoteAddressEx(IRTCPortManager3 *iface, BSTR remote, LONG remote_port,
                                                      BSTR int_addr, LONG int_port, BSTR ext_addr, LONG ext_port);

/* UpdateRemoteAddressEx2 on the table of iface's struct pm_object, to put in the vtbl as it
 * is: S_OK, E_INVALIDARG (also: remote of the other family than the mapping's, the mapping
 * unchanged), RTC_E_PORT_MAPPING_UNAVAILABLE. */
HRESULT WINAPI rtcpm_pm_UpdateRemoteAddressEx2(IRTCPortManager3 *iface, BSTR remote_text, LONG remote_port,
                                               LONG transport, BSTR int_addr, LONG int_port, BSTR ext_addr,
                                               LONG ext_port);

#endif /* RTCPM_PM_COMMON_H */
