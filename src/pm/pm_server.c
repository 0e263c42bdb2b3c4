/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_server.c — "host[:port]" servers: syntax and resolution; see pm_server.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm/config.h"
#include "pm/pm_server.h"
#include "os/dns.h"

/* Splits "host[:port]": host text (brackets removed) and port (0 when none). -1 on syntax. */
static int split(const char *text, char *host, size_t cap, uint16_t *port)
{
    const char *colon, *end = text + strlen(text);
    size_t n;
    *port = 0;
    if (text[0] == '[')
    {
        const char *close = strchr(text, ']');
        if (!close) return -1;
        n = (size_t)(close - text - 1);
        colon = close[1] == ':' ? close + 1 : NULL;
        if (!colon && close[1]) return -1;
        if (n >= cap) return -1;
        memcpy(host, text + 1, n);
        host[n] = 0;
    }
    else
    {
        colon = strchr(text, ':');
        if (colon && strchr(colon + 1, ':')) colon = NULL; /* an unbracketed IPv6 literal */
        n = (size_t)((colon ? colon : end) - text);
        if (n >= cap) return -1;
        memcpy(host, text, n);
        host[n] = 0;
    }
    if (colon)
    {
        long v = 0;
        const char *p = colon + 1;
        if (!*p || strlen(p) > 5) return -1;
        for (; *p; p++)
        {
            if (*p < '0' || *p > '9') return -1;
            v = v * 10 + (*p - '0');
        }
        if (v < 1 || v > 65535) return -1;
        *port = (uint16_t)v;
    }
    return 0;
}

static int name_ok(const char *h)
{
    size_t label = 0, total = strlen(h);
    const char *p;
    if (!total || total > 253) return 0;
    for (p = h; *p; p++)
    {
        if (*p == '.')
        {
            if (!label || p[-1] == '-') return 0;
            label = 0;
            continue;
        }
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-')) return 0;
        if (*p == '-' && !label) return 0;
        if (++label > 63) return 0;
    }
    {
        /* the top-level label is never all digits (RFC 3696 2): "1.2.3" is a mistyped address */
        const char *end = h + total - (h[total - 1] == '.'), *last = end;
        while (last > h && last[-1] != '.') last--;
        for (p = last; p < end && *p >= '0' && *p <= '9'; p++)
        {
        }
        if (p == end) return 0;
    }
    return 1;
}

int rtcpm_pm_server_check(const char *text, char *why, size_t whylen)
{
    char host[RTCPM_PMC_SERVER_MAX];
    uint16_t port;
    rtcpm_addr a;
    if (!text || !*text) return rtcpm_cfg_set_err(why, whylen, "empty"), -1;
    if (strlen(text) >= RTCPM_PMC_SERVER_MAX || split(text, host, sizeof(host), &port))
        return rtcpm_cfg_set_err(why, whylen, "'%.80s' is not host[:port] (port 1..65535; IPv6 as [addr]:port)", text),
               -1;
    if (!rtcpm_addr_parse(host, strlen(host), &a))
    {
        if (rtcpm_addr_is_unspecified(&a))
            return rtcpm_cfg_set_err(why, whylen, "'%.80s' is the unspecified address", text), -1;
        return 0;
    }
    if (text[0] == '[' || !name_ok(host))
        return rtcpm_cfg_set_err(why, whylen, "'%.80s' is neither an IP address nor a host name", host), -1;
    return 0;
}

int rtcpm_pm_server_is_literal(const char *text)
{
    char host[RTCPM_PMC_SERVER_MAX];
    uint16_t port;
    rtcpm_addr a;
    return text && strlen(text) < RTCPM_PMC_SERVER_MAX && !split(text, host, sizeof(host), &port) &&
           !rtcpm_addr_parse(host, strlen(host), &a);
}

static enum rtcpm_dns_family dns_family(int family)
{
    return family == RTCPM_AF_INET ? RTCPM_DNS_V4 : family == RTCPM_AF_INET6 ? RTCPM_DNS_V6 : RTCPM_DNS_ANY;
}

/* A name -> its first address of family (port as given). */
static HRESULT resolve_name(const char *host, uint16_t port, int family, rtcpm_addr *out, char *why, size_t whylen)
{
    size_t n = 0;
    int rc = rtcpm_dns_resolve_host(host, dns_family(family), port, out, 1, &n);
    if (rc == RTCPM_DNS_OK && n) return S_OK;
    memset(out, 0, sizeof(*out));
    rtcpm_cfg_set_err(why, whylen, "cannot resolve '%s'%s: %s", host,
                      family == RTCPM_AF_INET    ? " (IPv4)"
                      : family == RTCPM_AF_INET6 ? " (IPv6)"
                                                 : "",
                      rtcpm_dns_error_name(rc));
    return RTC_E_PORT_MAPPING_FAILED;
}

static HRESULT resolve(const char *text, uint16_t default_port, const char *srv_service, int family, rtcpm_addr *out,
                       char *why, size_t whylen)
{
    char host[RTCPM_PMC_SERVER_MAX];
    uint16_t port;
    memset(out, 0, sizeof(*out));
    if (!text || strlen(text) >= RTCPM_PMC_SERVER_MAX || split(text, host, sizeof(host), &port))
    {
        rtcpm_cfg_set_err(why, whylen, "server '%.80s' is not host[:port]", text ? text : "(null)");
        return RTC_E_PORT_MAPPING_FAILED;
    }
    if (!rtcpm_addr_parse(host, strlen(host), out))
    {
        out->port = port ? port : default_port;
        if (family == RTCPM_AF_NONE || out->family == family) return S_OK;
        rtcpm_cfg_set_err(why, whylen, "server %s is not an %s address", text,
                          family == RTCPM_AF_INET ? "IPv4" : "IPv6");
        memset(out, 0, sizeof(*out));
        return RTC_E_PORT_MAPPING_UNAVAILABLE;
    }
    if (!port && srv_service)
    {
        /* RFC 5389 9: _stun._udp.<domain> SRV when no port is given, else A/AAAA on 3478 */
        struct rtcpm_dns_srv recs[4];
        char name[RTCPM_PMC_SERVER_MAX + 16];
        size_t n = 0, i;
        snprintf(name, sizeof(name), "%s.%s", srv_service, host);
        if (rtcpm_dns_srv(name, recs, 4, &n) == RTCPM_DNS_OK)
            for (i = 0; i < n; i++)
                if (SUCCEEDED(resolve_name(recs[i].target, recs[i].port, family, out, why, whylen))) return S_OK;
    }
    return resolve_name(host, port ? port : default_port, family, out, why, whylen);
}

HRESULT rtcpm_pm_server_resolve(const char *text, uint16_t default_port, int family, rtcpm_addr *out, char *why,
                                size_t whylen)
{
    return resolve(text, default_port, NULL, family, out, why, whylen);
}

HRESULT rtcpm_pm_server_resolve_stun(const char *text, int family, rtcpm_addr *out, char *why, size_t whylen)
{
    return resolve(text, 3478, "_stun._udp", family, out, why, whylen);
}

/* The next comma-separated entry of *p, trimmed, into buf; 0 at the end, -1 when too long. */
static int next_entry(const char **p, char *buf, size_t cap)
{
    const char *s = *p, *e, *end;
    while (*s == ' ' || *s == '\t') s++;
    for (e = s; *e && *e != ','; e++)
    {
    }
    end = e;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t')) end--;
    if (!*s && !*e) return 0;
    if ((size_t)(end - s) >= cap) return -1;
    memcpy(buf, s, (size_t)(end - s));
    buf[end - s] = 0;
    *p = *e ? e + 1 : e;
    return 1;
}

int rtcpm_pm_server_list(const char *text, int one_per_family, char (*out)[RTCPM_PMC_SERVER_MAX], size_t max,
                         size_t *count, char *why, size_t whylen)
{
    char entry[RTCPM_PMC_SERVER_MAX], first_of[2][RTCPM_PMC_SERVER_MAX] = { "", "" };
    const char *p = text;
    size_t n = 0;
    int rc;
    if (count) *count = 0;
    while ((rc = next_entry(&p, entry, sizeof(entry))))
    {
        char sub[200];
        rtcpm_addr a;
        uint16_t port;
        char host[RTCPM_PMC_SERVER_MAX];
        if (rc < 0 || !entry[0] || rtcpm_pm_server_check(entry, sub, sizeof(sub)))
            return rtcpm_cfg_set_err(why, whylen, "entry %u %s", (unsigned)(n + 1),
                                     rc < 0 || !entry[0] ? "is empty or too long" : sub),
                   -1;
        if (n == max) return rtcpm_cfg_set_err(why, whylen, "more than %u servers", (unsigned)max), -1;
        if (one_per_family && !split(entry, host, sizeof(host), &port) && !rtcpm_addr_parse(host, strlen(host), &a))
        {
            char *first = first_of[a.family == RTCPM_AF_INET6];
            if (first[0])
                return rtcpm_cfg_set_err(why, whylen, "two %s servers ('%s' and '%s'): at most one per family",
                                         a.family == RTCPM_AF_INET6 ? "IPv6" : "IPv4", first, entry),
                       -1;
            snprintf(first, RTCPM_PMC_SERVER_MAX, "%s", entry);
        }
        if (out) snprintf(out[n], RTCPM_PMC_SERVER_MAX, "%s", entry);
        n++;
    }
    if (!n) return rtcpm_cfg_set_err(why, whylen, "no server given"), -1;
    if (count) *count = n;
    return 0;
}

int rtcpm_pm_server_pair_check(const char *text, char *why, size_t whylen)
{
    return rtcpm_pm_server_list(text, 1, NULL, 2, NULL, why, whylen);
}

int rtcpm_pm_local_addresses(const char *text, rtcpm_addr *v4, rtcpm_addr *v6, char *why, size_t whylen)
{
    char entry[RTCPM_ADDR_PARSE_TEXT_MAX + 1];
    const char *p = text;
    rtcpm_addr got[2];
    int rc;
    memset(got, 0, sizeof(got));
    while ((rc = next_entry(&p, entry, sizeof(entry))))
    {
        rtcpm_addr a;
        if (rc < 0 || rtcpm_addr_parse(entry, strlen(entry), &a))
            return rtcpm_cfg_set_err(why, whylen, "'%.80s' is not an IP address", rc < 0 ? p : entry), -1;
        if (rtcpm_addr_is_unspecified(&a))
            return rtcpm_cfg_set_err(why, whylen, "'%s' is unspecified: give the host's own address", entry), -1;
        if (got[a.family == RTCPM_AF_INET6].family != RTCPM_AF_NONE)
            return rtcpm_cfg_set_err(why, whylen, "two local %s addresses (at most one per family)",
                                     a.family == RTCPM_AF_INET ? "IPv4" : "IPv6"),
                   -1;
        got[a.family == RTCPM_AF_INET6] = a;
    }
    if (v4) *v4 = got[0];
    if (v6) *v6 = got[1];
    return 0;
}

int rtcpm_pm_local_addresses_check(const char *text, char *why, size_t whylen)
{
    return rtcpm_pm_local_addresses(text, NULL, NULL, why, whylen);
}
