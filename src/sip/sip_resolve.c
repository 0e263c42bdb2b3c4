/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_resolve.c — RFC 3263 section 4 (without NAPTR: the transport is known) over
 * src/os/dns. See sip_resolve.h.
 */
#include <stdio.h>
#include <string.h>
#include "os/dns.h"
#include "sip_host.h"
#include "sip_resolve.h"

#define SRV_MAX 16

/* Each SRV target's addresses in SRV order, until out is full. */
static int resolve_srv(const struct rtcpm_dns_srv *srv, size_t n, rtcpm_addr *out, size_t cap, size_t *count)
{
    size_t i;
    for (i = 0; i < n && *count < cap; i++)
    {
        size_t got = 0;
        if (rtcpm_dns_resolve_host(srv[i].target, RTCPM_DNS_ANY, srv[i].port, out + *count, cap - *count, &got) ==
            RTCPM_DNS_OK)
            *count += got;
    }
    return *count ? 0 : -1;
}

HRESULT rtcpm_sip_resolve(const char *hostport, LONG transport, rtcpm_addr *out, size_t cap, size_t *count)
{
    struct rtcpm_sip_host h;
    uint16_t default_port;
    int rc;

    if (count) *count = 0;
    if (!hostport || !out || !count) return E_POINTER;
    if (!cap || (transport != RTCTR_UDP && transport != RTCTR_TCP && transport != RTCTR_TLS)) return E_INVALIDARG;
    if (rtcpm_sip_host_parse(hostport, strlen(hostport), &h)) return E_INVALIDARG;
    default_port = transport == RTCTR_TLS ? 5061 : 5060;
    if (h.is_ip)
    {
        out[0] = h.ip;
        if (!out[0].port) out[0].port = default_port;
        *count = 1;
        return S_OK;
    }
    if (!h.port)
    {
        struct rtcpm_dns_srv srv[SRV_MAX];
        char name[RTCPM_SIP_HOST_MAX + 16];
        size_t n = 0;
        snprintf(name, sizeof(name), "%s.%s",
                 transport == RTCTR_UDP   ? "_sip._udp"
                 : transport == RTCTR_TCP ? "_sip._tcp"
                                          : "_sips._tcp",
                 h.host);
        if (rtcpm_dns_srv(name, srv, SRV_MAX, &n) == RTCPM_DNS_OK)
            return resolve_srv(srv, n, out, cap, count) ? RTC_E_SIP_DNS_FAIL : S_OK;
    }
    rc = rtcpm_dns_resolve_host(h.host, RTCPM_DNS_ANY, h.port ? h.port : default_port, out, cap, count);
    return rc == RTCPM_DNS_OK ? S_OK : RTC_E_SIP_DNS_FAIL;
}
