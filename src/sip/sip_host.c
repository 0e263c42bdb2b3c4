/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_host.c — host[:port] of a SIP server. See sip_host.h.
 */
#include <string.h>
#include "sip_host.h"

static int is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

int rtcpm_sip_host_is_name(const char *name, size_t len)
{
    size_t i, label = 0;
    int all_digits = 1;
    if (len && name[len - 1] == '.') len--;
    if (!len || len > RTCPM_SIP_HOST_MAX) return 0;
    for (i = 0; i < len; i++)
    {
        char c = name[i];
        if (c == '.')
        {
            if (!label || name[i - 1] == '-') return 0;
            label = 0;
            all_digits = 1;
            continue;
        }
        if (!is_alnum(c) && c != '-') return 0;
        if (c == '-' && !label) return 0;
        if (c < '0' || c > '9') all_digits = 0;
        if (++label > 63) return 0;
    }
    return label && name[len - 1] != '-' && !all_digits;
}

static int parse_port(const char *s, size_t n, uint16_t *port)
{
    unsigned long v = 0;
    size_t i;
    if (!n || n > 5) return -1;
    for (i = 0; i < n; i++)
    {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (!v || v > 65535) return -1;
    *port = (uint16_t)v;
    return 0;
}

static int parse_ip(const char *text, size_t len, struct rtcpm_sip_host *out)
{
    const char *host = text;
    size_t n = len;
    if (rtcpm_addr_parse_hostport(text, len, &out->ip, 0) != RTCPM_ADDR_OK) return -1;
    out->is_ip = 1;
    out->port = out->ip.port;
    if (text[0] == '[')
    {
        host = text + 1;
        n = (size_t)((const char *)memchr(text, ']', len) - host);
    }
    else if (out->ip.family == RTCPM_AF_INET && memchr(text, ':', len))
        n = (size_t)((const char *)memchr(text, ':', len) - text);
    if (n >= sizeof(out->host)) return -1;
    memcpy(out->host, host, n);
    out->host[n] = 0;
    return 0;
}

int rtcpm_sip_host_parse(const char *text, size_t len, struct rtcpm_sip_host *out)
{
    const char *colon;
    size_t n;
    if (!out) return -1;
    memset(out, 0, sizeof(*out));
    if (!text || !len) return -1;
    if (text[0] == '[' || (text[0] >= '0' && text[0] <= '9') || memchr(text, ':', len) != NULL)
    {
        if (!parse_ip(text, len, out)) return 0;
        memset(out, 0, sizeof(*out));
    }
    colon = memchr(text, ':', len);
    n = colon ? (size_t)(colon - text) : len;
    if (!rtcpm_sip_host_is_name(text, n) || (colon && parse_port(colon + 1, len - n - 1, &out->port)))
    {
        memset(out, 0, sizeof(*out));
        return -1;
    }
    if (text[n - 1] == '.') n--;
    memcpy(out->host, text, n);
    out->host[n] = 0;
    return 0;
}
