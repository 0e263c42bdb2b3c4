/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_resolve.h — where to send SIP requests for a server written as "host[:port]" (a
 * provisioning sipsrv@addr, a registrar), RFC 3263 section 4 without NAPTR (the transport
 * is known: the profile names it):
 *  - an IP literal: that address, the port written or 5060 (5061 for TLS);
 *  - a host name with a port: its A/AAAA records, that port;
 *  - a host name without a port: SRV _sip._udp.<host> (UDP) / _sip._tcp.<host> (TCP) /
 *    _sips._tcp.<host> (TLS), each target's addresses in SRV order; no SRV records: the
 *    host's A/AAAA records with 5060 (5061).
 * Blocking (see src/os/dns.h): call it from a worker thread.
 */
#ifndef RTCPM_SRC_SIP_SIP_RESOLVE_H
#define RTCPM_SRC_SIP_SIP_RESOLVE_H

#include <stddef.h>
#include "rtcpm/rtcpm.h"
#include <rtcerr.h>
#include "net/addr.h"

/*
 * Fills out[0..cap) with the candidates, best first; *count = how many. hostport: "host",
 * "host:port", "1.2.3.4:5060", "[2001:db8::1]:5060". transport: RTCTR_UDP, RTCTR_TCP or
 * RTCTR_TLS. S_OK (count >= 1), E_POINTER, E_INVALIDARG (empty, bad port, bad transport),
 * RTC_E_SIP_DNS_FAIL (the name does not resolve, or the resolver failed).
 */
HRESULT rtcpm_sip_resolve(const char *hostport, LONG transport, rtcpm_addr *out, size_t cap, size_t *count);

#endif /* RTCPM_SRC_SIP_SIP_RESOLVE_H */
