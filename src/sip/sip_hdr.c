/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_hdr.c — SIP header values. See sip_hdr.h.
 */
#include <string.h>
#include "sip_hdr.h"

static int is_wsp(char c) { return c == ' ' || c == '\t'; }

static int is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

int rtcpm_sip_is_token_char(char c) { return is_alnum(c) || (c && strchr("-.!%*_+`'~", c)); }

int rtcpm_sip_span_is_token(struct rtcpm_sip_span s)
{
    size_t i;
    if (!s.n) return 0;
    for (i = 0; i < s.n; i++)
        if (!rtcpm_sip_is_token_char(s.p[i])) return 0;
    return 1;
}

struct rtcpm_sip_span rtcpm_sip_span_trim(struct rtcpm_sip_span s)
{
    while (s.n && is_wsp(s.p[0])) s.p++, s.n--;
    while (s.n && is_wsp(s.p[s.n - 1])) s.n--;
    return s;
}

int rtcpm_sip_span_number(struct rtcpm_sip_span s, size_t max_digits, unsigned long long *out)
{
    unsigned long long v = 0;
    size_t i;
    if (!s.n || s.n > max_digits) return -1;
    for (i = 0; i < s.n; i++)
    {
        if (s.p[i] < '0' || s.p[i] > '9') return -1;
        v = v * 10 + (unsigned long long)(s.p[i] - '0');
    }
    *out = v;
    return 0;
}

static struct rtcpm_sip_span sub(struct rtcpm_sip_span s, size_t from, size_t to)
{
    struct rtcpm_sip_span r = { s.p + from, to - from };
    return r;
}

/* Index after the quoted string starting at s.p[i] == '"', or s.n + 1 when unterminated. */
static size_t skip_quoted(struct rtcpm_sip_span s, size_t i)
{
    for (i++; i < s.n; i++)
    {
        if (s.p[i] == '\\')
            i++;
        else if (s.p[i] == '"')
            return i + 1;
    }
    return s.n + 1;
}

int rtcpm_sip_list_next(struct rtcpm_sip_span v, struct rtcpm_sip_span *item, struct rtcpm_sip_span *rest)
{
    size_t i = 0;
    int angle = 0;
    v = rtcpm_sip_span_trim(v);
    if (!v.n) return -1;
    while (i < v.n)
    {
        char c = v.p[i];
        if (c == '"')
        {
            if ((i = skip_quoted(v, i)) > v.n) return -1;
            continue;
        }
        if (c == '<') angle = 1;
        if (c == '>') angle = 0;
        if (c == ',' && !angle) break;
        i++;
    }
    if (angle) return -1;
    *item = rtcpm_sip_span_trim(sub(v, 0, i));
    *rest = i < v.n ? sub(v, i + 1, v.n) : sub(v, v.n, v.n);
    return item->n ? 0 : -1;
}

int rtcpm_sip_param(struct rtcpm_sip_span params, const char *name, struct rtcpm_sip_span *value)
{
    size_t i = 0;
    while (i < params.n)
    {
        size_t start, end, eq;
        if (params.p[i] != ';')
        {
            i = params.p[i] == '"' ? skip_quoted(params, i) : i + 1;
            continue;
        }
        start = ++i;
        for (end = start; end < params.n && params.p[end] != ';';)
            end = params.p[end] == '"' ? skip_quoted(params, end) : end + 1;
        if (end > params.n) end = params.n;
        for (eq = start; eq < end && params.p[eq] != '='; eq++)
        {
        }
        if (rtcpm_sip_span_ieq(rtcpm_sip_span_trim(sub(params, start, eq)), name))
        {
            *value = eq < end ? rtcpm_sip_span_trim(sub(params, eq + 1, end)) : sub(params, end, end);
            return 1;
        }
        i = end;
    }
    return 0;
}

/* "host", "host:port", "[v6]", "[v6]:port" -> host (no brackets) and port. */
static int parse_sent_by(struct rtcpm_sip_span s, struct rtcpm_sip_span *host, uint16_t *port)
{
    size_t i, colon = s.n;
    unsigned long long p;
    *port = 0;
    if (!s.n) return -1;
    if (s.p[0] == '[')
    {
        const char *close = memchr(s.p, ']', s.n);
        if (!close || close == s.p + 1) return -1;
        *host = sub(s, 1, (size_t)(close - s.p));
        i = (size_t)(close - s.p) + 1;
        if (i == s.n) return 0;
        if (s.p[i] != ':') return -1;
        colon = i;
    }
    else
    {
        for (i = 0; i < s.n; i++)
        {
            if (s.p[i] == ':')
                colon = i;
            else if (!is_alnum(s.p[i]) && s.p[i] != '.' && s.p[i] != '-' && s.p[i] != '_')
                return -1;
        }
        *host = sub(s, 0, colon);
        if (!host->n) return -1;
        if (colon == s.n) return 0;
    }
    if (rtcpm_sip_span_number(sub(s, colon + 1, s.n), 5, &p) || !p || p > 65535) return -1;
    *port = (uint16_t)p;
    return 0;
}

int rtcpm_sip_via_parse(struct rtcpm_sip_span v, struct rtcpm_sip_via *out)
{
    struct rtcpm_sip_span sent_by, params, rport;
    unsigned long long n;
    size_t i, j;

    memset(out, 0, sizeof(*out));
    out->rport = -1;
    v = rtcpm_sip_span_trim(v);
    /* "SIP / 2.0 / UDP": RFC 3261 allows LWS around the slashes; we take the common form */
    if (v.n < 8 || !rtcpm_sip_span_ieq(sub(v, 0, 8), "SIP/2.0/")) return -1;
    for (i = 8; i < v.n && rtcpm_sip_is_token_char(v.p[i]); i++)
    {
    }
    out->transport = sub(v, 8, i);
    if (!out->transport.n || i == v.n || !is_wsp(v.p[i])) return -1;
    while (i < v.n && is_wsp(v.p[i])) i++;
    for (j = i; j < v.n && v.p[j] != ';' && !is_wsp(v.p[j]); j++)
    {
    }
    sent_by = sub(v, i, j);
    while (j < v.n && is_wsp(v.p[j])) j++;
    if (j < v.n && v.p[j] != ';') return -1;
    params = sub(v, j, v.n);
    if (parse_sent_by(sent_by, &out->host, &out->port)) return -1;
    rtcpm_sip_param(params, "branch", &out->branch);
    rtcpm_sip_param(params, "received", &out->received);
    if ((out->has_rport = rtcpm_sip_param(params, "rport", &rport)) && rport.n)
    {
        if (rtcpm_sip_span_number(rport, 5, &n) || n > 65535) return -1;
        out->rport = (long)n;
    }
    return 0;
}

/* Display name before '<': a quoted string (quotes removed) or tokens. */
static struct rtcpm_sip_span display_name(struct rtcpm_sip_span s)
{
    s = rtcpm_sip_span_trim(s);
    if (s.n >= 2 && s.p[0] == '"' && s.p[s.n - 1] == '"') return sub(s, 1, s.n - 1);
    return s;
}

int rtcpm_sip_name_addr_parse(struct rtcpm_sip_span v, struct rtcpm_sip_name_addr *out)
{
    struct rtcpm_sip_span ex;
    unsigned long long n;
    size_t i = 0, gt;

    memset(out, 0, sizeof(*out));
    out->expires = -1;
    v = rtcpm_sip_span_trim(v);
    if (!v.n) return -1;
    if (v.n == 1 && v.p[0] == '*')
    {
        out->star = 1;
        out->uri = v;
        return 0;
    }
    while (i < v.n && v.p[i] != '<') i = v.p[i] == '"' ? skip_quoted(v, i) : i + 1;
    if (i > v.n) return -1;
    if (i < v.n)
    {
        const char *close = memchr(v.p + i, '>', v.n - i);
        if (!close) return -1;
        gt = (size_t)(close - v.p);
        out->display = display_name(sub(v, 0, i));
        out->uri = rtcpm_sip_span_trim(sub(v, i + 1, gt));
        out->params = rtcpm_sip_span_trim(sub(v, gt + 1, v.n));
    }
    else
    {
        /* addr-spec: every ';' after the URI is a header parameter (RFC 3261 section 20) */
        for (i = 0; i < v.n && v.p[i] != ';' && !is_wsp(v.p[i]); i++)
        {
        }
        out->uri = sub(v, 0, i);
        out->params = rtcpm_sip_span_trim(sub(v, i, v.n));
    }
    if (!out->uri.n || memchr(out->uri.p, ' ', out->uri.n)) return -1;
    if (out->params.n && out->params.p[0] != ';') return -1;
    rtcpm_sip_param(out->params, "tag", &out->tag);
    if (rtcpm_sip_param(out->params, "expires", &ex))
    {
        if (rtcpm_sip_span_number(ex, 10, &n) || n > 0x7fffffffULL) return -1;
        out->expires = (long)n;
    }
    return 0;
}

int rtcpm_sip_contact_next(const struct rtcpm_sip_msg *msg, size_t *hdr, struct rtcpm_sip_span *rest,
                           struct rtcpm_sip_name_addr *out)
{
    struct rtcpm_sip_span item;
    while (!rest->n)
    {
        int i = rtcpm_sip_msg_find(msg, RTCPM_SIP_HDR_CONTACT, hdr);
        if (i < 0) return 0;
        *rest = msg->headers[i].value;
    }
    if (rtcpm_sip_list_next(*rest, &item, rest)) return -1;
    return rtcpm_sip_name_addr_parse(item, out) ? -1 : 1;
}
