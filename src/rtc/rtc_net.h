/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_net.h — name resolution, local addresses and port mappings for registration.c and
 * call.c (worker thread).
 */
#ifndef RTCPM_SRC_RTC_NET_H
#define RTCPM_SRC_RTC_NET_H

#include "rtc/rtc_private.h"
#include "sip/provision.h"
#include "os/socket.h"

/* The first address to send to for a sipsrv (port: written, else RFC 3263's). S_OK,
 * RTC_E_SIP_DNS_FAIL, E_INVALIDARG. */
HRESULT rtcpm_rtc_resolve_server(const struct rtcpm_provision_server *srv, rtcpm_addr *out);
/* "host[:port]" of a sip:/sips: URI. RTC_E_INVALID_SIP_URL for anything else. */
HRESULT rtcpm_rtc_uri_hostport(const char *uri, char *buf, size_t len);
/* The first address to send to for a URI's host part (RFC 3263). */
HRESULT rtcpm_rtc_resolve_uri(const char *uri, LONG transport, rtcpm_addr *out);
/* The local address (port 0) the OS routes from towards `to`; RTC_E_INVALID_ADDRESS_LOCAL. */
HRESULT rtcpm_rtc_route_local(const rtcpm_addr *to, rtcpm_addr *out);
/* rtcpm_driver_set_acquire with the port manager of pm_ref (NULL: none, local addresses),
 * through a pointer valid on the calling thread. */
HRESULT rtcpm_rtc_acquire(struct driver_set *set, struct host_pm_ref *pm_ref, const struct driver_request *req, int n);

/* Two UDP sockets on local's address: RTP on an even port, RTCP on the next one.
 * S_OK, or RTC_E_INVALID_ADDRESS_LOCAL (no pair could be bound). */
HRESULT rtcpm_rtc_bind_rtp_pair(const rtcpm_addr *local, rtcpm_socket **rtp, rtcpm_socket **rtcp);

#endif /* RTCPM_SRC_RTC_NET_H */
