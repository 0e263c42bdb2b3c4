/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_msg.c — SIP requests built, responses and SDP answers parsed. See sip_msg.h.
 */
#include <stdlib.h>
#include <string.h>
#include "sip_msg.h"
#include "text_out.h"

const char *rtcpm_sip_msg_error_name(int err)
{
    switch (err)
    {
    case SIP_MSG_OK: return "SIP_MSG_OK";
    case SIP_MSG_E_INVALID: return "SIP_MSG_E_INVALID";
    case SIP_MSG_E_BUFFER: return "SIP_MSG_E_BUFFER";
    case SIP_MSG_E_NOT_RESPONSE: return "SIP_MSG_E_NOT_RESPONSE";
    case SIP_MSG_E_STATUS: return "SIP_MSG_E_STATUS";
    case SIP_MSG_E_HEADER: return "SIP_MSG_E_HEADER";
    case SIP_MSG_E_MISSING: return "SIP_MSG_E_MISSING";
    case SIP_MSG_E_CSEQ: return "SIP_MSG_E_CSEQ";
    case SIP_MSG_E_LENGTH: return "SIP_MSG_E_LENGTH";
    case SIP_MSG_E_TOO_LONG: return "SIP_MSG_E_TOO_LONG";
    case SIP_MSG_E_SDP: return "SIP_MSG_E_SDP";
    }
    return "SIP_MSG_E_?";
}

/* ---- character classes (RFC 3261 section 25.1) ---------------------------------------------- */

static int is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
static int is_token_char(char c) { return is_alnum(c) || (c && strchr("-.!%*_+`'~", c)); }

static int is_token(const char *s)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (!is_token_char(*s)) return 0;
    return 1;
}

/* Call-ID = word ["@" word]: visible characters; we refuse the ones that would end or
 * confuse a header (controls, space, '<' '>' '"' ','). */
static int is_call_id(const char *s)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || strchr("<>\",", *s)) return 0;
    return 1;
}

/* A URI written inside <...>: visible ASCII, no '<' '>' '"' or whitespace. */
static int is_uri(const char *s)
{
    if (!s || !*s || !strchr(s, ':')) return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || strchr("<>\"", *s)) return 0;
    return 1;
}

/* Header value text: no CR, LF or other controls but HT. */
static int is_text(const char *s)
{
    if (!s) return 0;
    for (; *s; s++)
        if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f) return 0;
    return 1;
}

/* A complete header line: one CRLF, at its end. */
static int is_header_line(const char *s)
{
    size_t n;
    if (!s) return 0;
    n = strlen(s);
    if (n < 3 || s[n - 2] != '\r' || s[n - 1] != '\n' || !strchr(s, ':')) return 0;
    return strcspn(s, "\r\n") == n - 2;
}

/* Media type "type/subtype". */
static int is_media_type(const char *s)
{
    const char *slash;
    char type[64];
    size_t n;
    if (!s || !(slash = strchr(s, '/'))) return 0;
    n = (size_t)(slash - s);
    if (!n || n >= sizeof(type)) return 0;
    memcpy(type, s, n);
    type[n] = 0;
    return is_token(type) && is_token(slash + 1);
}

/* ---- building --------------------------------------------------------------------------------- */

int rtcpm_sip_msg_build_request(const struct sip_request_params *p, char *buf, size_t buflen, size_t *written)
{
    char via[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    struct text_out o;
    size_t body_len;

    if (written) *written = 0;
    if (!buf || !buflen) return SIP_MSG_E_INVALID;
    buf[0] = 0;
    if (!p || !is_token(p->method) || !is_uri(p->request_uri) || !p->via || !p->via->port ||
        rtcpm_addr_format_hostport(p->via, via, sizeof(via)) < 0 || !is_token(p->branch) ||
        strncmp(p->branch, SIP_MSG_BRANCH_COOKIE, strlen(SIP_MSG_BRANCH_COOKIE)) || !is_uri(p->from_uri) ||
        !is_token(p->from_tag) || !is_uri(p->to_uri) || (p->to_tag && *p->to_tag && !is_token(p->to_tag)) ||
        !is_call_id(p->call_id) || p->cseq < 1 || p->cseq > 0x7fffffffUL ||
        (p->contact && !is_header_line(p->contact)) ||
        (p->user_agent && (!*p->user_agent || !is_text(p->user_agent))) || (p->body && !is_media_type(p->content_type)))
        return SIP_MSG_E_INVALID;
    body_len = p->body ? strlen(p->body) : 0;

    rtcpm_text_out_init(&o, buf, buflen);
    rtcpm_text_out_put(&o, "%s %s SIP/2.0\r\n", p->method, p->request_uri);
    rtcpm_text_out_put(&o, "Via: SIP/2.0/UDP %s;branch=%s;rport\r\n", via, p->branch);
    rtcpm_text_out_put(&o, "Max-Forwards: 70\r\n");
    rtcpm_text_out_put(&o, "From: <%s>;tag=%s\r\n", p->from_uri, p->from_tag);
    if (p->to_tag && *p->to_tag)
        rtcpm_text_out_put(&o, "To: <%s>;tag=%s\r\n", p->to_uri, p->to_tag);
    else
        rtcpm_text_out_put(&o, "To: <%s>\r\n", p->to_uri);
    rtcpm_text_out_put(&o, "Call-ID: %s\r\n", p->call_id);
    rtcpm_text_out_put(&o, "CSeq: %lu %s\r\n", p->cseq, p->method);
    if (p->contact) rtcpm_text_out_put(&o, "%s", p->contact);
    if (p->expires >= 0) rtcpm_text_out_put(&o, "Expires: %ld\r\n", p->expires);
    if (p->user_agent) rtcpm_text_out_put(&o, "User-Agent: %s\r\n", p->user_agent);
    if (p->body) rtcpm_text_out_put(&o, "Content-Type: %s\r\n", p->content_type);
    rtcpm_text_out_put(&o, "Content-Length: %lu\r\n\r\n", (unsigned long)body_len);
    if (p->body) rtcpm_text_out_put(&o, "%s", p->body);
    return rtcpm_text_out_finish(&o, written) ? SIP_MSG_E_BUFFER : SIP_MSG_OK;
}

/* ---- parsing helpers -------------------------------------------------------------------------- */

/* A slice of the datagram. */
struct span
{
    const char *p;
    size_t n;
};

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static int span_ieq(struct span s, const char *lit)
{
    size_t i, n = strlen(lit);
    if (s.n != n) return 0;
    for (i = 0; i < n; i++)
        if (lower(s.p[i]) != lower(lit[i])) return 0;
    return 1;
}

static int is_wsp(char c) { return c == ' ' || c == '\t'; }

static struct span trim(struct span s)
{
    while (s.n && is_wsp(s.p[0]))
    {
        s.p++;
        s.n--;
    }
    while (s.n && is_wsp(s.p[s.n - 1])) s.n--;
    return s;
}

/* Copies s into dst[cap] (NUL-terminated); 0 when it does not fit. */
static int copy_span(char *dst, size_t cap, struct span s)
{
    if (s.n >= cap) return 0;
    memcpy(dst, s.p, s.n);
    dst[s.n] = 0;
    return 1;
}

/* The next line of buf[pos..len): its text without the line end; *next = after the line end.
 * 0 when no line end follows (the line runs to the end of the buffer). */
static int next_line(const char *buf, size_t len, size_t pos, struct span *line, size_t *next)
{
    size_t i;
    for (i = pos; i < len; i++)
    {
        if (buf[i] == '\n')
        {
            line->p = buf + pos;
            line->n = i - pos;
            if (line->n && line->p[line->n - 1] == '\r') line->n--;
            *next = i + 1;
            return 1;
        }
    }
    line->p = buf + pos;
    line->n = len - pos;
    *next = len;
    return 0;
}

/* Parses up to max_digits (<= 19) decimal digits as the whole span; 0 on anything else. */
static int span_number(struct span s, size_t max_digits, unsigned long long *out)
{
    unsigned long long v = 0;
    size_t i;
    if (!s.n || s.n > max_digits) return 0;
    for (i = 0; i < s.n; i++)
    {
        if (s.p[i] < '0' || s.p[i] > '9') return 0;
        v = v * 10 + (unsigned long long)(s.p[i] - '0');
    }
    *out = v;
    return 1;
}

/* Skips a quoted string starting at s.p[i] == '"'; returns the index after the closing quote,
 * or s.n when it is not closed. */
static size_t skip_quoted(struct span s, size_t i)
{
    for (i++; i < s.n; i++)
    {
        if (s.p[i] == '\\')
        {
            i++;
            continue;
        }
        if (s.p[i] == '"') return i + 1;
    }
    return s.n;
}

/* For From/To/Contact values: the URI and the header parameters after it.
 *   "Bob" <sip:bob@x>;tag=1  ->  uri "sip:bob@x", params ";tag=1"
 *   sip:bob@x;tag=1          ->  uri "sip:bob@x", params ";tag=1" (addr-spec: every ';' is a
 *                                header parameter, RFC 3261 section 20)
 * 0 when '<' has no '>'. */
static int split_name_addr(struct span v, struct span *uri, struct span *params)
{
    size_t i = 0, lt, gt;
    v = trim(v);
    while (i < v.n && v.p[i] != '<')
    {
        if (v.p[i] == '"')
            i = skip_quoted(v, i);
        else
            i++;
    }
    if (i < v.n)
    {
        lt = i;
        for (gt = lt + 1; gt < v.n && v.p[gt] != '>'; gt++)
        {
        }
        if (gt >= v.n) return 0;
        uri->p = v.p + lt + 1;
        uri->n = gt - lt - 1;
        params->p = v.p + gt + 1;
        params->n = v.n - gt - 1;
        *uri = trim(*uri);
        return 1;
    }
    for (i = 0; i < v.n && v.p[i] != ';' && v.p[i] != ',' && !is_wsp(v.p[i]); i++)
    {
    }
    uri->p = v.p;
    uri->n = i;
    params->p = v.p + i;
    params->n = v.n - i;
    return 1;
}

/* The value of ";name=value" among params (stops at ','), trimmed; 0 when absent. */
static int find_param(struct span params, const char *name, struct span *value)
{
    size_t i = 0;
    while (i < params.n && params.p[i] != ',')
    {
        size_t start, eq, end;
        if (params.p[i] != ';')
        {
            i++;
            continue;
        }
        start = ++i;
        for (end = start; end < params.n && params.p[end] != ';' && params.p[end] != ','; end++)
        {
        }
        for (eq = start; eq < end && params.p[eq] != '='; eq++)
        {
        }
        {
            struct span pname = { params.p + start, eq - start };
            if (span_ieq(trim(pname), name))
            {
                value->p = eq < end ? params.p + eq + 1 : params.p + end;
                value->n = eq < end ? end - eq - 1 : 0;
                *value = trim(*value);
                return 1;
            }
        }
        i = end;
    }
    return 0;
}

/* ---- response parsing ------------------------------------------------------------------------- */

enum header_kind
{
    H_OTHER,
    H_VIA,
    H_FROM,
    H_TO,
    H_CALL_ID,
    H_CSEQ,
    H_CONTACT,
    H_CLEN,
    H_CTYPE
};

static enum header_kind header_kind(struct span name)
{
    static const struct
    {
        const char *full, *compact;
        enum header_kind kind;
    } names[] = {
        { "via", "v", H_VIA },
        { "from", "f", H_FROM },
        { "to", "t", H_TO },
        { "call-id", "i", H_CALL_ID },
        { "cseq", NULL, H_CSEQ },
        { "contact", "m", H_CONTACT },
        { "content-length", "l", H_CLEN },
        { "content-type", "c", H_CTYPE },
    };
    size_t i;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (span_ieq(name, names[i].full) || (names[i].compact && span_ieq(name, names[i].compact)))
            return names[i].kind;
    return H_OTHER;
}

struct seen
{
    int via, from, to, call_id, cseq, contact, clen, ctype;
};

static int parse_via(struct span v, struct sip_response *out)
{
    struct span proto, params, branch;
    size_t i;
    /* the top Via is the first value: up to the first ',' */
    for (i = 0; i < v.n && v.p[i] != ','; i++)
    {
    }
    v.n = i;
    v = trim(v);
    if (v.n < 8 || !span_ieq((struct span){ v.p, 8 }, "SIP/2.0/")) return SIP_MSG_E_HEADER;
    for (i = 8; i < v.n && is_token_char(v.p[i]); i++)
    {
    }
    proto.p = v.p + 8;
    proto.n = i - 8;
    if (!proto.n || !copy_span(out->via_transport, sizeof(out->via_transport), proto)) return SIP_MSG_E_HEADER;
    for (; i < v.n && v.p[i] != ';'; i++)
    {
    }
    params.p = v.p + i;
    params.n = v.n - i;
    if (find_param(params, "branch", &branch) && !copy_span(out->via_branch, sizeof(out->via_branch), branch))
        return SIP_MSG_E_TOO_LONG;
    return SIP_MSG_OK;
}

static int parse_cseq(struct span v, struct sip_response *out)
{
    struct span num, method;
    unsigned long long n;
    size_t i;
    v = trim(v);
    for (i = 0; i < v.n && !is_wsp(v.p[i]); i++)
    {
    }
    num.p = v.p;
    num.n = i;
    method.p = v.p + i;
    method.n = v.n - i;
    method = trim(method);
    if (!span_number(num, 10, &n) || n > 0xffffffffULL || !method.n) return SIP_MSG_E_CSEQ;
    for (i = 0; i < method.n; i++)
        if (!is_token_char(method.p[i])) return SIP_MSG_E_CSEQ;
    if (!copy_span(out->cseq_method, sizeof(out->cseq_method), method)) return SIP_MSG_E_CSEQ;
    out->cseq = (unsigned long)n;
    return SIP_MSG_OK;
}

static int handle_header(struct span name, struct span value, struct seen *seen, struct sip_response *out)
{
    struct span uri, params, tag;
    unsigned long long n;
    size_t i;
    int rc;

    switch (header_kind(name))
    {
    case H_VIA:
        if (seen->via++) return SIP_MSG_OK; /* only the top one matters */
        return parse_via(value, out);
    case H_FROM: seen->from++; return SIP_MSG_OK;
    case H_TO:
        if (seen->to++) return SIP_MSG_OK;
        if (!split_name_addr(value, &uri, &params) || !uri.n) return SIP_MSG_E_HEADER;
        if (find_param(params, "tag", &tag) && !copy_span(out->to_tag, sizeof(out->to_tag), tag))
            return SIP_MSG_E_TOO_LONG;
        return SIP_MSG_OK;
    case H_CALL_ID:
        if (seen->call_id++) return SIP_MSG_OK;
        value = trim(value);
        if (!value.n) return SIP_MSG_E_HEADER;
        return copy_span(out->call_id, sizeof(out->call_id), value) ? SIP_MSG_OK : SIP_MSG_E_TOO_LONG;
    case H_CSEQ:
        if (seen->cseq++) return SIP_MSG_OK;
        return parse_cseq(value, out);
    case H_CONTACT:
        if (seen->contact++) return SIP_MSG_OK;
        if (!split_name_addr(value, &uri, &params)) return SIP_MSG_E_HEADER;
        if (uri.n == 1 && uri.p[0] == '*') return SIP_MSG_OK;
        return copy_span(out->contact_uri, sizeof(out->contact_uri), uri) ? SIP_MSG_OK : SIP_MSG_E_TOO_LONG;
    case H_CLEN:
        if (seen->clen++) return SIP_MSG_OK;
        if (!span_number(trim(value), 9, &n)) return SIP_MSG_E_LENGTH;
        out->content_length = (long)n;
        return SIP_MSG_OK;
    case H_CTYPE:
        if (seen->ctype++) return SIP_MSG_OK;
        for (i = 0; i < value.n && value.p[i] != ';'; i++)
        {
        }
        value.n = i;
        rc = copy_span(out->content_type, sizeof(out->content_type), trim(value));
        return rc ? SIP_MSG_OK : SIP_MSG_E_TOO_LONG;
    case H_OTHER: break;
    }
    return SIP_MSG_OK;
}

/* Joins a folded header (first line + continuation lines) into scratch. */
#define HEADER_MAX 2048

static int parse_status_line(struct span line, struct sip_response *out)
{
    struct span reason;
    unsigned long long code;
    size_t i;

    if (line.n < 8 || !span_ieq((struct span){ line.p, 8 }, "SIP/2.0 ")) return SIP_MSG_E_NOT_RESPONSE;
    if (line.n < 11 || !span_number((struct span){ line.p + 8, 3 }, 3, &code) || code < 100 || code > 699)
        return SIP_MSG_E_STATUS;
    if (line.n > 11 && line.p[11] != ' ') return SIP_MSG_E_STATUS;
    reason.p = line.p + (line.n > 11 ? 12 : 11);
    reason.n = line.n > 11 ? line.n - 12 : 0;
    for (i = 0; i < reason.n; i++)
        if (((unsigned char)reason.p[i] < 0x20 && reason.p[i] != '\t') || reason.p[i] == 0x7f) return SIP_MSG_E_STATUS;
    if (!copy_span(out->reason, sizeof(out->reason), reason)) return SIP_MSG_E_TOO_LONG;
    out->code = (int)code;
    return SIP_MSG_OK;
}

int rtcpm_sip_msg_parse_response(const char *buf, size_t len, struct sip_response *out)
{
    struct seen seen;
    struct span line;
    char scratch[HEADER_MAX];
    size_t pos = 0, next, avail;
    int rc, ended = 0;

    if (!out) return SIP_MSG_E_INVALID;
    memset(out, 0, sizeof(*out));
    out->content_length = -1;
    if (!buf) return SIP_MSG_E_INVALID;
    memset(&seen, 0, sizeof(seen));

    if (!next_line(buf, len, 0, &line, &next))
    {
        rc = SIP_MSG_E_NOT_RESPONSE;
        goto fail;
    }
    if ((rc = parse_status_line(line, out))) goto fail;
    pos = next;

    while (pos < len)
    {
        struct span name, value, joined;
        size_t colon, used;
        int overflow = 0;

        if (!next_line(buf, len, pos, &line, &next))
        {
            rc = SIP_MSG_E_HEADER;
            goto fail;
        }
        pos = next;
        if (!line.n)
        {
            ended = 1;
            break;
        }
        if (is_wsp(line.p[0]))
        {
            rc = SIP_MSG_E_HEADER;
            goto fail;
        } /* continuation of nothing */
        for (colon = 0; colon < line.n && line.p[colon] != ':'; colon++)
        {
        }
        if (colon == line.n)
        {
            rc = SIP_MSG_E_HEADER;
            goto fail;
        }
        name = trim((struct span){ line.p, colon });
        if (!name.n)
        {
            rc = SIP_MSG_E_HEADER;
            goto fail;
        }
        {
            size_t i;
            for (i = 0; i < name.n; i++)
                if (!is_token_char(name.p[i]))
                {
                    rc = SIP_MSG_E_HEADER;
                    goto fail;
                }
        }
        value.p = line.p + colon + 1;
        value.n = line.n - colon - 1;
        /* folded lines: SP/HT at the start of the next line continues this header */
        used = 0;
        if (value.n < sizeof(scratch))
        {
            memcpy(scratch, value.p, value.n);
            used = value.n;
        }
        else
            overflow = 1;
        while (pos < len && is_wsp(buf[pos]))
        {
            struct span cont;
            if (!next_line(buf, len, pos, &cont, &next))
            {
                rc = SIP_MSG_E_HEADER;
                goto fail;
            }
            pos = next;
            if (!overflow && used + 1 + cont.n < sizeof(scratch))
            {
                scratch[used++] = ' ';
                memcpy(scratch + used, cont.p, cont.n);
                used += cont.n;
            }
            else
                overflow = 1;
        }
        if (overflow)
        {
            if (header_kind(name) != H_OTHER)
            {
                rc = SIP_MSG_E_TOO_LONG;
                goto fail;
            }
            continue;
        }
        joined.p = scratch;
        joined.n = used;
        if ((rc = handle_header(name, joined, &seen, out))) goto fail;
    }
    if (!ended)
    {
        rc = SIP_MSG_E_HEADER;
        goto fail;
    }
    if (!seen.via || !seen.from || !seen.to || !seen.call_id || !seen.cseq)
    {
        rc = SIP_MSG_E_MISSING;
        goto fail;
    }

    avail = len - pos;
    if (out->content_length >= 0)
    {
        if ((size_t)out->content_length > avail)
        {
            rc = SIP_MSG_E_LENGTH;
            goto fail;
        }
        out->body_len = (size_t)out->content_length;
    }
    else
        out->body_len = avail;
    out->body = buf + pos;
    return SIP_MSG_OK;

fail:
    memset(out, 0, sizeof(*out));
    out->content_length = -1;
    return rc;
}

/* ---- SDP -------------------------------------------------------------------------------------- */

/* "IN IP4 198.51.100.7" / "IN IP6 2001:db8::1" */
static int parse_sdp_address(struct span s, rtcpm_addr *out)
{
    struct span nettype, addrtype, addr;
    size_t i, j;
    s = trim(s);
    for (i = 0; i < s.n && s.p[i] != ' '; i++)
    {
    }
    nettype.p = s.p;
    nettype.n = i;
    for (j = i + 1; j < s.n && s.p[j] != ' '; j++)
    {
    }
    if (i >= s.n) return 0;
    addrtype.p = s.p + i + 1;
    addrtype.n = j - i - 1;
    if (j >= s.n) return 0;
    addr.p = s.p + j + 1;
    addr.n = s.n - j - 1;
    if (!span_ieq(nettype, "IN")) return 0;
    if (rtcpm_addr_parse(addr.p, addr.n, out) != RTCPM_ADDR_OK) return 0;
    if (span_ieq(addrtype, "IP4")) return out->family == RTCPM_AF_INET;
    if (span_ieq(addrtype, "IP6")) return out->family == RTCPM_AF_INET6;
    return 0;
}

static int parse_port(struct span s, uint16_t *port, int allow_zero)
{
    unsigned long long v;
    if (!span_number(s, 5, &v) || v > 65535 || (!v && !allow_zero)) return 0;
    *port = (uint16_t)v;
    return 1;
}

int rtcpm_sip_msg_parse_sdp_audio(const char *body, size_t len, rtcpm_addr *rtp, rtcpm_addr *rtcp)
{
    enum
    {
        BEFORE_MEDIA,
        IN_AUDIO,
        AFTER_AUDIO,
        IN_OTHER
    } where = BEFORE_MEDIA;
    rtcpm_addr session_c, audio_c, rtcp_addr;
    int have_session_c = 0, have_audio_c = 0, have_audio = 0, have_rtcp = 0, have_rtcp_addr = 0;
    uint16_t audio_port = 0, rtcp_port = 0;
    size_t pos = 0, next;
    struct span line;

    if (rtp) memset(rtp, 0, sizeof(*rtp));
    if (rtcp) memset(rtcp, 0, sizeof(*rtcp));
    if (!body || !rtp || !rtcp) return SIP_MSG_E_INVALID;
    memset(&rtcp_addr, 0, sizeof(rtcp_addr));

    while (pos < len)
    {
        struct span v;
        next_line(body, len, pos, &line, &next);
        pos = next;
        if (line.n < 2 || line.p[1] != '=') continue;
        v.p = line.p + 2;
        v.n = line.n - 2;
        switch (line.p[0])
        {
        case 'm':
            if (where == IN_AUDIO) where = AFTER_AUDIO;
            if (where == AFTER_AUDIO) break;
            if (v.n > 6 && !memcmp(v.p, "audio ", 6))
            {
                struct span port = { v.p + 6, 0 };
                size_t i;
                for (i = 6; i < v.n && v.p[i] != ' ' && v.p[i] != '/'; i++)
                {
                }
                port.n = i - 6;
                if (!parse_port(port, &audio_port, 1) || !audio_port) return SIP_MSG_E_SDP;
                have_audio = 1;
                where = IN_AUDIO;
            }
            else
                where = IN_OTHER;
            break;
        case 'c':
            if (where == BEFORE_MEDIA)
            {
                if (!parse_sdp_address(v, &session_c)) return SIP_MSG_E_SDP;
                have_session_c = 1;
            }
            else if (where == IN_AUDIO)
            {
                if (!parse_sdp_address(v, &audio_c)) return SIP_MSG_E_SDP;
                have_audio_c = 1;
            }
            break;
        case 'a':
            if (where == IN_AUDIO && v.n >= 5 && !memcmp(v.p, "rtcp:", 5))
            {
                struct span port = { v.p + 5, 0 }, rest;
                size_t i;
                for (i = 5; i < v.n && v.p[i] != ' '; i++)
                {
                }
                port.n = i - 5;
                if (!parse_port(port, &rtcp_port, 0)) return SIP_MSG_E_SDP;
                have_rtcp = 1;
                rest.p = v.p + i;
                rest.n = v.n - i;
                rest = trim(rest);
                if (rest.n)
                {
                    if (!parse_sdp_address(rest, &rtcp_addr)) return SIP_MSG_E_SDP;
                    have_rtcp_addr = 1;
                }
            }
            break;
        }
    }
    if (!have_audio || (!have_audio_c && !have_session_c)) return SIP_MSG_E_SDP;
    *rtp = have_audio_c ? audio_c : session_c;
    rtp->port = audio_port;
    if (have_rtcp)
    {
        *rtcp = have_rtcp_addr ? rtcp_addr : *rtp;
        rtcp->port = rtcp_port;
    }
    else
    {
        if (audio_port == 65535)
        {
            memset(rtp, 0, sizeof(*rtp));
            return SIP_MSG_E_SDP;
        }
        *rtcp = *rtp;
        rtcp->port = (uint16_t)(audio_port + 1);
    }
    return SIP_MSG_OK;
}

int rtcpm_sip_msg_domain_uri(const char *uri, char *buf, size_t buflen)
{
    const char *colon, *host, *end, *p;
    size_t scheme_len, host_len;

    if (!buf || !buflen) return SIP_MSG_E_INVALID;
    buf[0] = 0;
    if (!uri || !is_uri(uri) || !(colon = strchr(uri, ':')) || colon == uri) return SIP_MSG_E_INVALID;
    scheme_len = (size_t)(colon - uri);
    for (p = uri; p < colon; p++)
        if (!is_alnum(*p) && *p != '+' && *p != '-' && *p != '.') return SIP_MSG_E_INVALID;
    host = colon + 1;
    end = host + strcspn(host, ";?");
    for (p = host; p < end; p++)
        if (*p == '@') host = p + 1;
    host_len = (size_t)(end - host);
    if (!host_len) return SIP_MSG_E_INVALID;
    if (scheme_len + 1 + host_len >= buflen) return SIP_MSG_E_BUFFER;
    memcpy(buf, uri, scheme_len + 1);
    memcpy(buf + scheme_len + 1, host, host_len);
    buf[scheme_len + 1 + host_len] = 0;
    return SIP_MSG_OK;
}
