/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * upnp_igd_miniupnpc.c — the UPnP IGD natively, through Debian's libminiupnpc (upnp_igd.h):
 * SSDP discovery (upnpDiscover) or the given root description URL, the description fetched
 * with miniwget and read by rtcpm_upnp_igd_parse_desc, then SOAP calls to its control URL.
 *
 * Deliberately not UPNP_GetValidIGD: it ranks an IGD whose external address is private or
 * reserved as "not connected" (miniupnpc 2.2.4 says so of 198.18.0.0/15, the test network's
 * range, and of every carrier-grade NAT), and such an IGD forwards ports all the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <miniupnpc/miniupnpc.h>
#include <miniupnpc/miniwget.h>
#include <miniupnpc/upnpcommands.h>
#include <miniupnpc/upnperrors.h>

#include "com/log.h"
#include "os/lock.h"
#include "pm/config.h"
#include "pm/upnp_igd.h"

struct rtcpm_upnp_igd
{
    struct rtcpm_lock lock; /* one SOAP exchange at a time; guards the fields below */
    char url[RTCPM_UPNP_URL_MAX];
    uint32_t discover_ms;
    char description[128];
    int found;
    struct rtcpm_upnp_igd_desc desc;
    char desc_url[RTCPM_UPNP_URL_MAX];
    rtcpm_addr lan;
};

HRESULT rtcpm_upnp_igd_open(const struct rtcpm_upnp_igd_options *opt, struct rtcpm_upnp_igd **out)
{
    struct rtcpm_upnp_igd *igd = calloc(1, sizeof(*igd));
    *out = NULL;
    if (!igd) return E_OUTOFMEMORY;
    rtcpm_lock_init(&igd->lock);
    if (opt->url) snprintf(igd->url, sizeof(igd->url), "%s", opt->url);
    igd->discover_ms = opt->discover_ms;
    snprintf(igd->description, sizeof(igd->description), "%s", opt->description ? opt->description : "rtcpm");
    *out = igd;
    return S_OK;
}

void rtcpm_upnp_igd_close(struct rtcpm_upnp_igd *igd)
{
    if (!igd) return;
    rtcpm_lock_destroy(&igd->lock);
    free(igd);
}

void rtcpm_upnp_igd_forget(struct rtcpm_upnp_igd *igd)
{
    rtcpm_lock_acquire(&igd->lock);
    igd->found = 0;
    rtcpm_lock_release(&igd->lock);
}

/* Fetches and reads one root description. 0, or -1 with why. (locked) */
static int try_desc(struct rtcpm_upnp_igd *igd, const char *url, unsigned scope, char *why, size_t whylen)
{
    char lan[64] = "";
    int size = 0, status = 0, rc;
    char *xml = miniwget_getaddr(url, &size, lan, sizeof(lan), scope, &status);
    if (!xml || size <= 0)
    {
        free(xml);
        return rtcpm_cfg_set_err(why, whylen, "no description from %s (HTTP status %d)", url, status), -1;
    }
    rc = rtcpm_upnp_igd_parse_desc(xml, (size_t)size, url, &igd->desc, why, whylen);
    free(xml);
    if (rc) return -1;
    if (rtcpm_addr_parse(lan, strlen(lan), &igd->lan)) memset(&igd->lan, 0, sizeof(igd->lan));
    snprintf(igd->desc_url, sizeof(igd->desc_url), "%s", url);
    return 0;
}

/* SSDP, then each answering device's description until one is an IGD. (locked) */
static int discover(struct rtcpm_upnp_igd *igd, char *why, size_t whylen)
{
    int error = 0;
    struct UPNPDev *list = upnpDiscover((int)igd->discover_ms, NULL, NULL, UPNP_LOCAL_PORT_ANY, 0, 2, &error), *d;
    char last[256] = "";
    if (!list)
        return rtcpm_cfg_set_err(why, whylen, "no UPnP device answered SSDP within %lu ms%s",
                                 (unsigned long)igd->discover_ms, error ? " (socket error)" : ""),
               -1;
    for (d = list; d; d = d->pNext)
        if (d->descURL && !try_desc(igd, d->descURL, d->scope_id, last, sizeof(last))) break;
    freeUPNPDevlist(list);
    if (!d) return rtcpm_cfg_set_err(why, whylen, "no Internet Gateway Device among the UPnP devices: %s", last), -1;
    return 0;
}

HRESULT rtcpm_upnp_igd_find(struct rtcpm_upnp_igd *igd, uint64_t deadline, rtcpm_addr *lan, rtcpm_addr *external,
                            char *what, size_t whatlen, char *why, size_t whylen)
{
    char ext[64] = "";
    int rc;
    (void)deadline; /* libminiupnpc's own timeouts apply */
    memset(lan, 0, sizeof(*lan));
    memset(external, 0, sizeof(*external));
    rtcpm_lock_acquire(&igd->lock);
    if (!igd->found && (igd->url[0] ? try_desc(igd, igd->url, 0, why, whylen) : discover(igd, why, whylen)))
    {
        rtcpm_lock_release(&igd->lock);
        return RTC_E_PORT_MAPPING_FAILED;
    }
    igd->found = 1;
    *lan = igd->lan;
    rtcpm_cfg_set_err(what, whatlen, "%s", igd->desc_url);
    rc = UPNP_GetExternalIPAddress(igd->desc.control_url, igd->desc.service_type, ext);
    rtcpm_lock_release(&igd->lock);
    if (rc || rtcpm_upnp_igd_parse_external(ext, external))
        RTCPM_TRACE(RTCPM_LOG_PM, "GetExternalIPAddress: %d '%s': no usable address", rc, ext);
    return S_OK;
}

static HRESULT add_error(int code, uint16_t ext, char *why, size_t whylen)
{
    const char *name = strupnperror(code);
    rtcpm_cfg_set_err(why, whylen, "AddPortMapping of external port %u: UPnP error %d (%s)", ext, code,
                      name ? name : "no answer or not UPnP");
    /* the IGD will not: not authorized, a conflicting entry, no ports left, ... */
    return code >= 600 && code < 800 ? RTC_E_PORT_MAPPING_UNAVAILABLE : RTC_E_PORT_MAPPING_FAILED;
}

HRESULT rtcpm_upnp_igd_add(struct rtcpm_upnp_igd *igd, int tcp, uint16_t ext, const rtcpm_addr *internal,
                           uint32_t lease_s, uint64_t deadline, uint16_t *got, rtcpm_addr *external, int *upnp_error,
                           char *why, size_t whylen)
{
    char e[8], in[8], client[RTCPM_ADDR_TEXT_SIZE], lease[16], reserved[8] = "";
    int rc;
    (void)deadline;
    *got = 0;
    memset(external, 0, sizeof(*external)); /* GetExternalIPAddress gave it (find) */
    snprintf(e, sizeof(e), "%u", ext);
    snprintf(in, sizeof(in), "%u", internal->port);
    snprintf(lease, sizeof(lease), "%lu", (unsigned long)lease_s);
    rtcpm_addr_format(internal, client, sizeof(client));
    rtcpm_lock_acquire(&igd->lock);
    rc = UPNP_AddPortMapping(igd->desc.control_url, igd->desc.service_type, e, in, client, igd->description,
                             tcp ? "TCP" : "UDP", NULL, lease);
    if (rc == 718) /* ConflictInMappingEntry: an IGDv2 picks another port for us */
    {
        int any = UPNP_AddAnyPortMapping(igd->desc.control_url, igd->desc.service_type, e, in, client, igd->description,
                                         tcp ? "TCP" : "UDP", NULL, lease, reserved);
        if (!any) rc = 0, ext = (uint16_t)atoi(reserved);
    }
    rtcpm_lock_release(&igd->lock);
    *upnp_error = rc;
    if (rc) return add_error(rc, ext, why, whylen);
    *got = ext;
    return S_OK;
}

HRESULT rtcpm_upnp_igd_remove(struct rtcpm_upnp_igd *igd, int tcp, uint16_t ext, uint64_t deadline, char *why,
                              size_t whylen)
{
    char e[8];
    int rc;
    (void)deadline;
    snprintf(e, sizeof(e), "%u", ext);
    rtcpm_lock_acquire(&igd->lock);
    rc = UPNP_DeletePortMapping(igd->desc.control_url, igd->desc.service_type, e, tcp ? "TCP" : "UDP", NULL);
    rtcpm_lock_release(&igd->lock);
    if (!rc) return S_OK;
    rtcpm_cfg_set_err(why, whylen, "DeletePortMapping of external port %u: UPnP error %d (%s)", ext, rc,
                      strupnperror(rc) ? strupnperror(rc) : "no answer");
    return RTC_E_PORT_MAPPING_FAILED;
}
