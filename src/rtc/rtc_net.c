/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_net.c — where SIP goes and from which address, for registration.c and call.c (worker
 * thread only: name resolution blocks):
 *  - a provisioning server (sipsrv@addr): the IP literal, else RFC 3263 through
 *    src/sip/sip_resolve.h (SRV _sip._udp / _sip._tcp when no port was written);
 *  - a SIP URI's host part, resolved the same way;
 *  - with no port manager, the local address the OS routes from towards the next hop.
 */
#include <string.h>
#include "rtc/rtc_net.h"
#include "os/os_platform.h"
#include "os/socket.h"
#include "sip/sip_resolve.h"

static LONG default_port(LONG transport) { return transport == RTCTR_TLS ? 5061 : 5060; }

HRESULT rtcpm_rtc_resolve_server(const struct rtcpm_provision_server *srv, rtcpm_addr *out)
{
    size_t n = 0;
    HRESULT hr;

    memset(out, 0, sizeof(*out));
    if (srv->is_ip)
    {
        *out = srv->ip;
        out->port = srv->port ? srv->port : (uint16_t)default_port(srv->transport);
        return S_OK;
    }
    hr = rtcpm_sip_resolve(srv->addr, srv->transport, out, 1, &n);
    RTC_TRACE("resolve %s -> %#lx (%u)", srv->addr, (unsigned long)hr, (unsigned)n);
    return SUCCEEDED(hr) && !n ? RTC_E_SIP_DNS_FAIL : hr;
}

HRESULT rtcpm_rtc_uri_hostport(const char *uri, char *buf, size_t len)
{
    const char *p = uri, *end;
    size_t n;

    if (!strncmp(p, "sip:", 4))
        p += 4;
    else if (!strncmp(p, "sips:", 5))
        p += 5;
    else
        return RTC_E_INVALID_SIP_URL;
    /* user part: up to the last '@' before any parameter */
    end = p + strcspn(p, ";?>");
    {
        const char *at = NULL, *q;
        for (q = p; q < end; q++)
            if (*q == '@') at = q;
        if (at) p = at + 1;
    }
    n = (size_t)(end - p);
    if (!n || n >= len) return RTC_E_INVALID_SIP_URL;
    memcpy(buf, p, n);
    buf[n] = 0;
    return S_OK;
}

HRESULT rtcpm_rtc_resolve_uri(const char *uri, LONG transport, rtcpm_addr *out)
{
    char hostport[300];
    size_t n = 0;
    HRESULT hr;

    memset(out, 0, sizeof(*out));
    if (FAILED(hr = rtcpm_rtc_uri_hostport(uri, hostport, sizeof(hostport)))) return hr;
    /* an IP literal needs no resolver: that address, the port written or RFC 3263's */
    if (rtcpm_addr_parse_hostport(hostport, strlen(hostport), out, (uint16_t)default_port(transport)) == RTCPM_ADDR_OK)
        return S_OK;
    hr = rtcpm_sip_resolve(hostport, transport, out, 1, &n);
    RTC_TRACE("resolve %s -> %#lx", hostport, (unsigned long)hr);
    return SUCCEEDED(hr) && !n ? RTC_E_SIP_DNS_FAIL : hr;
}

HRESULT rtcpm_rtc_route_local(const rtcpm_addr *to, rtcpm_addr *out)
{
    int err = 0;

    if (rtcpm_route_local_addr(to, out, &err) < 0)
    {
        memset(out, 0, sizeof(*out));
        return RTC_E_INVALID_ADDRESS_LOCAL;
    }
    out->port = 0;
    return S_OK;
}

HRESULT rtcpm_rtc_acquire(struct driver_set *set, struct host_pm_ref *pm_ref, const struct driver_request *req, int n)
{
    IRTCPortManager *pm = NULL;
    HRESULT hr;

    /* The port manager through a pointer valid in this (the worker's) apartment: a proxy
     * when it lives in the application's STA. */
    if (pm_ref && FAILED(hr = rtcpm_host_pm_ref_get(pm_ref, &pm))) return hr;
    hr = rtcpm_driver_set_acquire(set, pm, req, n);
    if (pm) IRTCPortManager_Release(pm);
    return hr;
}

HRESULT rtcpm_rtc_bind_rtp_pair(const rtcpm_addr *local, rtcpm_socket **rtp, rtcpm_socket **rtcp)
{
    rtcpm_addr a = *local, b = *local;
    uint16_t r;
    int tries;

    *rtp = *rtcp = NULL;
    /* RFC 3550 11: RTP on an even port, RTCP on the next one; try random pairs */
    for (tries = 0; tries < 64; tries++)
    {
        if (rtcpm_random_bytes(&r, sizeof(r)) < 0) break;
        a.port = (uint16_t)(16384 + 2 * (r % 16384)); /* even, 16384..49150 */
        b.port = a.port + 1;
        if (rtcpm_socket_open(rtp, RTCPM_SOCK_UDP, &a, NULL) != RTCPM_SOCK_OK) continue;
        if (rtcpm_socket_open(rtcp, RTCPM_SOCK_UDP, &b, NULL) == RTCPM_SOCK_OK) return S_OK;
        rtcpm_socket_close(*rtp);
        *rtp = NULL;
    }
    return RTC_E_INVALID_ADDRESS_LOCAL;
}
