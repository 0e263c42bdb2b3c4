/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stun_pm_servers.c — the STUN port manager's address lists: the servers ("a:3478, [b]:3479,
 * stun.example.net", host names resolved when the object is made) and the local addresses
 * (at most one per family). The rest of the settings: stun_pm_config.c.
 */
#include <stdio.h>
#include <string.h>
#include "pm/stun_pm_private.h"
#include "pm/config.h"
#include "net/stun_client.h"

/* One entry of the server list, p[0..len): an IP address[:port], or (names given) a host
 * name[:port] that goes to *name, resolved when the object is made. 0, or -1 with err set. */
static int parse_server_entry(const char *p, size_t len, unsigned index, rtcpm_addr *out, char *name, char *err,
                              size_t errlen)
{
    static const uint8_t zero[16];
    int rc = rtcpm_addr_parse_hostport(p, len, out, RTCPM_STUN_DEFAULT_PORT);

    if (name) name[0] = 0;
    if (rc && name && len < RTCPM_PMC_SERVER_MAX)
    {
        char entry[RTCPM_PMC_SERVER_MAX], why[160];
        memcpy(entry, p, len);
        entry[len] = 0;
        if (!rtcpm_pm_server_check(entry, why, sizeof(why)))
        {
            memset(out, 0, sizeof(*out));
            memcpy(name, entry, len + 1);
            rc = 0;
        }
    }
    if (rc)
    {
        rtcpm_cfg_set_err(err, errlen, "entry %u '%.*s' is not an IP address[:port] or a host name[:port] (%s)", index,
                          (int)(len > 80 ? 80 : len), p, rtcpm_addr_error_name(rc));
        return -1;
    }
    if (out->family && !memcmp(out->bytes, zero, out->family == RTCPM_AF_INET ? 4 : 16))
    {
        rtcpm_cfg_set_err(err, errlen, "entry %u '%.*s' is the unspecified address", index, (int)len, p);
        return -1;
    }
    return 0;
}

int rtcpm_stun_pm_parse_servers(const char *text, rtcpm_addr *out, char (*names)[RTCPM_PMC_SERVER_MAX], size_t *count,
                                char *err, size_t errlen)
{
    const char *p = text;
    size_t n = 0;

    *count = 0;
    if (!text || !*text)
    {
        rtcpm_cfg_set_err(err, errlen, "no STUN server given (expected host[:port][,host[:port]...])");
        return -1;
    }
    for (;;)
    {
        const char *e, *end;
        while (*p == ' ' || *p == '\t') p++;
        for (e = p; *e && *e != ','; e++)
        {
        }
        end = e;
        while (end > p && (end[-1] == ' ' || end[-1] == '\t')) end--;
        if (end == p)
        {
            rtcpm_cfg_set_err(err, errlen, "entry %u is empty", (unsigned)(n + 1));
            return -1;
        }
        if (n == RTCPM_STUN_PM_MAX_SERVERS)
        {
            rtcpm_cfg_set_err(err, errlen, "more than %d servers", RTCPM_STUN_PM_MAX_SERVERS);
            return -1;
        }
        if (parse_server_entry(p, (size_t)(end - p), (unsigned)(n + 1), &out[n], names ? names[n] : NULL, err, errlen))
            return -1;
        n++;
        if (!*e) break;
        p = e + 1;
    }
    *count = n;
    return 0;
}

/* "192.168.1.10, 2001:db8::10": at most one address per family. */
int rtcpm_stun_pm_parse_locals(const char *text, rtcpm_addr *v4, rtcpm_addr *v6, char *err, size_t errlen)
{
    const char *p = text;
    memset(v4, 0, sizeof(*v4));
    memset(v6, 0, sizeof(*v6));
    while (p && *p)
    {
        const char *e, *end;
        rtcpm_addr a;
        static const uint8_t zero[16];
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (!*p) break;
        for (e = p; *e && *e != ',' && *e != ' ' && *e != '\t'; e++)
        {
        }
        end = e;
        if (rtcpm_addr_parse(p, (size_t)(end - p), &a))
        {
            rtcpm_cfg_set_err(err, errlen, "local address '%.*s' is not an IP address",
                              (int)(end - p > 80 ? 80 : end - p), p);
            return -1;
        }
        if (!memcmp(a.bytes, zero, a.family == RTCPM_AF_INET ? 4 : 16))
        {
            rtcpm_cfg_set_err(err, errlen, "local address '%.*s' is unspecified: give the host's own address",
                              (int)(end - p), p);
            return -1;
        }
        if ((a.family == RTCPM_AF_INET ? v4 : v6)->family != RTCPM_AF_NONE)
        {
            rtcpm_cfg_set_err(err, errlen, "two local %s addresses (at most one per family)",
                              a.family == RTCPM_AF_INET ? "IPv4" : "IPv6");
            return -1;
        }
        *(a.family == RTCPM_AF_INET ? v4 : v6) = a;
        p = e;
    }
    return 0;
}

HRESULT rtcpm_stun_pm_resolve_names(struct stun_pm_settings *set, char *err, size_t errlen)
{
    size_t i;
    for (i = 0; i < set->server_count; i++)
    {
        char why[200];
        if (!set->names[i][0]) continue;
        if (FAILED(rtcpm_pm_server_resolve_stun(set->names[i], RTCPM_AF_NONE, &set->servers[i], why, sizeof(why))))
        {
            rtcpm_cfg_set_err(err, errlen, "servers: entry %u: %s", (unsigned)(i + 1), why);
            return E_INVALIDARG;
        }
    }
    return S_OK;
}
