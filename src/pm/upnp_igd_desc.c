/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * upnp_igd_desc.c — a UPnP root description (the XML the native UPnP port manager reads from
 * the network) -> the IGD's connection service. The XML itself is parsed by libminiupnpc
 * (parserootdesc: its own minimal XML reader); this is our entry point that feeds it and
 * checks what comes out, and what the fuzz target fuzz_upnp_desc drives. See upnp_igd.h.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <miniupnpc/miniupnpc.h>

#include "pm/config.h"
#include "pm/upnp_igd.h"

#define DESC_MAX (1024 * 1024) /* a root description is a few KiB */

/* http://host[:port]/path, printable ASCII, no spaces. */
static int url_ok(const char *u)
{
    const char *p;
    if (!u || strncmp(u, "http://", 7) || !u[7] || u[7] == '/') return 0;
    if (strlen(u) >= RTCPM_UPNP_URL_MAX) return 0;
    for (p = u; *p; p++)
        if (*p <= ' ' || *p > '~') return 0;
    return 1;
}

static int is_connection(const char *type)
{
    return !strncmp(type, "urn:schemas-upnp-org:service:WANIPConnection:", 45) ||
           !strncmp(type, "urn:schemas-upnp-org:service:WANPPPConnection:", 46);
}

int rtcpm_upnp_igd_parse_desc(const char *xml, size_t len, const char *desc_url, struct rtcpm_upnp_igd_desc *out,
                              char *why, size_t whylen)
{
    struct IGDdatas *data;
    struct UPNPUrls urls;
    const struct IGDdatas_service *svc;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (!xml || !len || len > DESC_MAX || !url_ok(desc_url))
        return rtcpm_cfg_set_err(why, whylen, "no description, over %d bytes, or a bad URL", DESC_MAX), -1;
    if (!(data = calloc(1, sizeof(*data)))) return rtcpm_cfg_set_err(why, whylen, "out of memory"), -1;
    parserootdesc(xml, (int)len, data);
    /* WANIPConnection first, WANPPPConnection otherwise (libminiupnpc files whichever came
     * first as `first`, the other as `second`) */
    svc = is_connection(data->first.servicetype) ? &data->first : NULL;
    if (is_connection(data->second.servicetype) &&
        (!svc || (strstr(data->second.servicetype, "WANIPConnection") && !strstr(svc->servicetype, "WANIPConnection"))))
        svc = &data->second;
    if (!svc || !svc->controlurl[0])
    {
        rtcpm_cfg_set_err(why, whylen, "%s describes no WANIPConnection or WANPPPConnection service", desc_url);
        free(data);
        return -1;
    }
    if (svc == &data->second) data->first = data->second; /* GetUPNPUrls makes first's URL absolute */
    memset(&urls, 0, sizeof(urls));
    GetUPNPUrls(&urls, data, desc_url, 0);
    if (url_ok(urls.controlURL))
    {
        snprintf(out->control_url, sizeof(out->control_url), "%s", urls.controlURL);
        snprintf(out->service_type, sizeof(out->service_type), "%s", data->first.servicetype);
        rc = 0;
    }
    else
        rtcpm_cfg_set_err(why, whylen, "%s: the control URL '%.80s' is not http://host/path", desc_url,
                          urls.controlURL ? urls.controlURL : "");
    FreeUPNPUrls(&urls);
    free(data);
    return rc;
}
