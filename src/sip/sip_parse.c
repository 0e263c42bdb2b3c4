/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_parse.c — SIP message structure: start line, header lines, body, TCP framing. See
 * sip_parse.h; header values are read by sip_hdr.c.
 */
#include <stdlib.h>
#include <string.h>
#include "sip_hdr.h"
#include "sip_parse.h"

const char *rtcpm_sip_parse_error_name(int err)
{
    static const char *const names[] = { "RTCPM_SIP_OK",        "RTCPM_SIP_E_INVALID", "RTCPM_SIP_E_START_LINE",
                                         "RTCPM_SIP_E_STATUS",  "RTCPM_SIP_E_HEADER",  "RTCPM_SIP_E_MISSING",
                                         "RTCPM_SIP_E_CSEQ",    "RTCPM_SIP_E_LENGTH",  "RTCPM_SIP_E_VIA",
                                         "RTCPM_SIP_E_TOO_BIG", "RTCPM_SIP_E_NOMEM",   "RTCPM_SIP_E_INCOMPLETE" };
    return err <= 0 && -err < (int)(sizeof(names) / sizeof(names[0])) ? names[-err] : "RTCPM_SIP_E_?";
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

int rtcpm_sip_span_ieq(struct rtcpm_sip_span s, const char *lit)
{
    size_t i;
    if (strlen(lit) != s.n) return 0;
    for (i = 0; i < s.n; i++)
        if (lower(s.p[i]) != lower(lit[i])) return 0;
    return 1;
}

int rtcpm_sip_span_eq(struct rtcpm_sip_span s, const char *lit)
{
    return strlen(lit) == s.n && (!s.n || !memcmp(s.p, lit, s.n));
}

int rtcpm_sip_span_copy(char *dst, size_t cap, struct rtcpm_sip_span s)
{
    if (!cap) return 0;
    if (s.n >= cap)
    {
        dst[0] = 0;
        return 0;
    }
    if (s.n) memcpy(dst, s.p, s.n);
    dst[s.n] = 0;
    return 1;
}

int rtcpm_sip_msg_find(const struct rtcpm_sip_msg *msg, enum rtcpm_sip_hdr kind, size_t *i)
{
    for (; *i < msg->header_count; (*i)++)
        if (msg->headers[*i].kind == kind) return (int)(*i)++;
    return -1;
}

static enum rtcpm_sip_hdr header_kind(struct rtcpm_sip_span name)
{
    static const struct
    {
        const char *full, *compact;
        enum rtcpm_sip_hdr kind;
    } names[] = {
        { "via", "v", RTCPM_SIP_HDR_VIA },
        { "from", "f", RTCPM_SIP_HDR_FROM },
        { "to", "t", RTCPM_SIP_HDR_TO },
        { "call-id", "i", RTCPM_SIP_HDR_CALL_ID },
        { "cseq", NULL, RTCPM_SIP_HDR_CSEQ },
        { "contact", "m", RTCPM_SIP_HDR_CONTACT },
        { "expires", NULL, RTCPM_SIP_HDR_EXPIRES },
        { "content-length", "l", RTCPM_SIP_HDR_CONTENT_LENGTH },
        { "content-type", "c", RTCPM_SIP_HDR_CONTENT_TYPE },
        { "www-authenticate", NULL, RTCPM_SIP_HDR_WWW_AUTHENTICATE },
        { "proxy-authenticate", NULL, RTCPM_SIP_HDR_PROXY_AUTHENTICATE },
        { "authorization", NULL, RTCPM_SIP_HDR_AUTHORIZATION },
        { "proxy-authorization", NULL, RTCPM_SIP_HDR_PROXY_AUTHORIZATION },
        { "record-route", NULL, RTCPM_SIP_HDR_RECORD_ROUTE },
        { "route", NULL, RTCPM_SIP_HDR_ROUTE },
        { "max-forwards", NULL, RTCPM_SIP_HDR_MAX_FORWARDS },
    };
    size_t i;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (rtcpm_sip_span_ieq(name, names[i].full) || (names[i].compact && rtcpm_sip_span_ieq(name, names[i].compact)))
            return names[i].kind;
    return RTCPM_SIP_HDR_OTHER;
}

/* End of the line starting at pos: *eol = index of '\n' (or len); the text ends before it
 * (and before a '\r' ahead of it). 0 when there is no '\n'. */
static int line_end(const char *b, size_t len, size_t pos, size_t *text_end, size_t *eol)
{
    const char *nl = memchr(b + pos, '\n', len - pos);
    if (!nl)
    {
        *eol = *text_end = len;
        return 0;
    }
    *eol = (size_t)(nl - b);
    *text_end = *eol > pos && b[*eol - 1] == '\r' ? *eol - 1 : *eol;
    return 1;
}

static int parse_status_line(struct rtcpm_sip_msg *m, struct rtcpm_sip_span line)
{
    unsigned long long code;
    size_t i;
    if (line.n < 11 || (line.n > 11 && line.p[11] != ' ')) return RTCPM_SIP_E_STATUS;
    if (rtcpm_sip_span_number((struct rtcpm_sip_span){ line.p + 8, 3 }, 3, &code) || code < 100 || code > 699)
        return RTCPM_SIP_E_STATUS;
    m->status = (int)code;
    m->reason.p = line.p + (line.n > 11 ? 12 : 11);
    m->reason.n = line.n > 11 ? line.n - 12 : 0;
    for (i = 0; i < m->reason.n; i++)
        if (((unsigned char)m->reason.p[i] < 0x20 && m->reason.p[i] != '\t') || m->reason.p[i] == 0x7f)
            return RTCPM_SIP_E_STATUS;
    return RTCPM_SIP_OK;
}

/* "METHOD SP Request-URI SP SIP/2.0" */
static int parse_request_line(struct rtcpm_sip_msg *m, struct rtcpm_sip_span line)
{
    const char *sp1 = memchr(line.p, ' ', line.n), *sp2;
    size_t i;
    if (!sp1) return RTCPM_SIP_E_START_LINE;
    sp2 = memchr(sp1 + 1, ' ', line.n - (size_t)(sp1 + 1 - line.p));
    if (!sp2 || !rtcpm_sip_span_ieq((struct rtcpm_sip_span){ sp2 + 1, line.n - (size_t)(sp2 + 1 - line.p) }, "SIP/2.0"))
        return RTCPM_SIP_E_START_LINE;
    m->method = (struct rtcpm_sip_span){ line.p, (size_t)(sp1 - line.p) };
    m->request_uri = (struct rtcpm_sip_span){ sp1 + 1, (size_t)(sp2 - sp1 - 1) };
    if (!rtcpm_sip_span_is_token(m->method) || !m->request_uri.n || !memchr(m->request_uri.p, ':', m->request_uri.n))
        return RTCPM_SIP_E_START_LINE;
    for (i = 0; i < m->request_uri.n; i++)
        if ((unsigned char)m->request_uri.p[i] <= 0x20 || m->request_uri.p[i] == 0x7f) return RTCPM_SIP_E_START_LINE;
    m->is_request = 1;
    return RTCPM_SIP_OK;
}

static int parse_start_line(struct rtcpm_sip_msg *m, size_t *pos)
{
    size_t text_end, eol;
    struct rtcpm_sip_span line;
    if (!line_end(m->buf, m->len, 0, &text_end, &eol)) return RTCPM_SIP_E_START_LINE;
    line = (struct rtcpm_sip_span){ m->buf, text_end };
    *pos = eol + 1;
    if (line.n >= 8 && rtcpm_sip_span_ieq((struct rtcpm_sip_span){ line.p, 8 }, "SIP/2.0 "))
        return parse_status_line(m, line);
    return parse_request_line(m, line);
}

/* One header line starting at *pos (not a continuation): unfolds its continuation lines in
 * the copy and records it. *pos moves past it. */
static int parse_header_line(struct rtcpm_sip_msg *m, size_t *pos)
{
    char *b = m->buf;
    size_t text_end, eol, colon, start = *pos;
    struct rtcpm_sip_header *h;
    const char *c;

    if (!line_end(b, m->len, start, &text_end, &eol)) return RTCPM_SIP_E_HEADER;
    /* continuation lines: the line end and the WSP become spaces */
    while (eol + 1 < m->len && (b[eol + 1] == ' ' || b[eol + 1] == '\t'))
    {
        b[eol] = ' ';
        if (text_end < eol) b[text_end] = ' ';
        if (!line_end(b, m->len, eol + 1, &text_end, &eol)) return RTCPM_SIP_E_HEADER;
    }
    *pos = eol + 1;
    if (m->header_count == RTCPM_SIP_MAX_HEADERS) return RTCPM_SIP_E_TOO_BIG;
    if (!(c = memchr(b + start, ':', text_end - start))) return RTCPM_SIP_E_HEADER;
    colon = (size_t)(c - b);
    h = &m->headers[m->header_count++];
    h->name = rtcpm_sip_span_trim((struct rtcpm_sip_span){ b + start, colon - start });
    h->value = rtcpm_sip_span_trim((struct rtcpm_sip_span){ b + colon + 1, text_end - colon - 1 });
    if (!rtcpm_sip_span_is_token(h->name)) return RTCPM_SIP_E_HEADER;
    for (c = h->value.p; c < h->value.p + h->value.n; c++)
        if ((*c != '\t' && (unsigned char)*c < 0x20) || *c == 0x7f) return RTCPM_SIP_E_HEADER;
    h->kind = header_kind(h->name);
    return RTCPM_SIP_OK;
}

static int read_cseq(struct rtcpm_sip_msg *m, struct rtcpm_sip_span v)
{
    const char *sp = memchr(v.p, ' ', v.n);
    unsigned long long n;
    if (!sp) return RTCPM_SIP_E_CSEQ;
    m->cseq_method = rtcpm_sip_span_trim((struct rtcpm_sip_span){ sp, v.n - (size_t)(sp - v.p) });
    if (rtcpm_sip_span_number((struct rtcpm_sip_span){ v.p, (size_t)(sp - v.p) }, 10, &n) || n > 0xffffffffULL ||
        !rtcpm_sip_span_is_token(m->cseq_method))
        return RTCPM_SIP_E_CSEQ;
    m->cseq = (uint32_t)n;
    return RTCPM_SIP_OK;
}

static int read_number(struct rtcpm_sip_span v, long *out)
{
    unsigned long long n;
    if (rtcpm_sip_span_number(v, 10, &n) || n > 0x7fffffffULL) return -1;
    *out = (long)n;
    return 0;
}

/* The first header of each kind the struct holds; later ones are left in headers[]. */
static int read_known(struct rtcpm_sip_msg *m, const struct rtcpm_sip_header *h, unsigned *seen)
{
    struct rtcpm_sip_span item, rest;
    unsigned bit = 1u << h->kind;
    if (*seen & bit) return RTCPM_SIP_OK;
    *seen |= bit;
    switch (h->kind)
    {
    case RTCPM_SIP_HDR_VIA:
        if (rtcpm_sip_list_next(h->value, &item, &rest) || rtcpm_sip_via_parse(item, &m->via)) return RTCPM_SIP_E_VIA;
        return RTCPM_SIP_OK;
    case RTCPM_SIP_HDR_FROM: return rtcpm_sip_name_addr_parse(h->value, &m->from) ? RTCPM_SIP_E_HEADER : 0;
    case RTCPM_SIP_HDR_TO: return rtcpm_sip_name_addr_parse(h->value, &m->to) ? RTCPM_SIP_E_HEADER : 0;
    case RTCPM_SIP_HDR_CALL_ID:
        m->call_id = h->value;
        return h->value.n && !memchr(h->value.p, ' ', h->value.n) ? RTCPM_SIP_OK : RTCPM_SIP_E_HEADER;
    case RTCPM_SIP_HDR_CSEQ: return read_cseq(m, h->value);
    case RTCPM_SIP_HDR_EXPIRES: return read_number(h->value, &m->expires) ? RTCPM_SIP_E_HEADER : 0;
    case RTCPM_SIP_HDR_CONTENT_LENGTH: return read_number(h->value, &m->content_length) ? RTCPM_SIP_E_LENGTH : 0;
    case RTCPM_SIP_HDR_CONTENT_TYPE:
    {
        const char *semi = h->value.n ? memchr(h->value.p, ';', h->value.n) : NULL;
        m->content_type = h->value;
        if (semi) m->content_type.n = (size_t)(semi - h->value.p);
        m->content_type = rtcpm_sip_span_trim(m->content_type);
        return RTCPM_SIP_OK;
    }
    default: return RTCPM_SIP_OK;
    }
}

static int parse_headers(struct rtcpm_sip_msg *m, size_t *pos)
{
    unsigned seen = 0;
    size_t i;
    int rc;
    for (;;)
    {
        if (*pos >= m->len) return RTCPM_SIP_E_HEADER; /* no empty line */
        if (m->buf[*pos] == '\n' || (m->buf[*pos] == '\r' && *pos + 1 < m->len && m->buf[*pos + 1] == '\n'))
        {
            *pos += m->buf[*pos] == '\r' ? 2 : 1;
            break;
        }
        if (m->buf[*pos] == ' ' || m->buf[*pos] == '\t') return RTCPM_SIP_E_HEADER; /* continuation of nothing */
        if ((rc = parse_header_line(m, pos))) return rc;
    }
    for (i = 0; i < m->header_count; i++)
    {
        if (m->headers[i].kind == RTCPM_SIP_HDR_VIA) m->via_count++;
        if ((rc = read_known(m, &m->headers[i], &seen))) return rc;
    }
    if (!m->via_count || !(seen & (1u << RTCPM_SIP_HDR_FROM)) || !(seen & (1u << RTCPM_SIP_HDR_TO)) ||
        !(seen & (1u << RTCPM_SIP_HDR_CALL_ID)) || !(seen & (1u << RTCPM_SIP_HDR_CSEQ)))
        return RTCPM_SIP_E_MISSING;
    if (m->is_request && (m->cseq_method.n != m->method.n || memcmp(m->cseq_method.p, m->method.p, m->method.n)))
        return RTCPM_SIP_E_CSEQ;
    return RTCPM_SIP_OK;
}

int rtcpm_sip_parse(const char *data, size_t len, struct rtcpm_sip_msg **out)
{
    struct rtcpm_sip_msg *m;
    size_t pos = 0, avail;
    int rc;

    if (!out) return RTCPM_SIP_E_INVALID;
    *out = NULL;
    if (!data) return RTCPM_SIP_E_INVALID;
    if (len > RTCPM_SIP_MAX_MESSAGE) return RTCPM_SIP_E_TOO_BIG;
    if (!(m = calloc(1, sizeof(*m)))) return RTCPM_SIP_E_NOMEM;
    if (!(m->buf = malloc(len + 1)))
    {
        free(m);
        return RTCPM_SIP_E_NOMEM;
    }
    memcpy(m->buf, data, len);
    m->buf[len] = 0;
    m->len = len;
    m->expires = m->content_length = -1;
    if (!(rc = parse_start_line(m, &pos)) && !(rc = parse_headers(m, &pos)))
    {
        avail = len - pos;
        if (m->content_length > (long)avail)
            rc = RTCPM_SIP_E_LENGTH;
        else
            m->body =
                (struct rtcpm_sip_span){ m->buf + pos, m->content_length >= 0 ? (size_t)m->content_length : avail };
    }
    if (rc)
    {
        rtcpm_sip_msg_free(m);
        return rc;
    }
    *out = m;
    return RTCPM_SIP_OK;
}

void rtcpm_sip_msg_free(struct rtcpm_sip_msg *msg)
{
    if (!msg) return;
    free(msg->buf);
    free(msg);
}

/* Content-Length's value among the header lines data[0..end), case-insensitive, compact form
 * too; -1 when absent, -2 when malformed. */
static long frame_content_length(const char *data, size_t end)
{
    size_t pos = 0, text_end, eol;
    long value = -1;
    while (pos < end && line_end(data, end, pos, &text_end, &eol))
    {
        const char *c = memchr(data + pos, ':', text_end - pos);
        if (c && data[pos] != ' ' && data[pos] != '\t') /* not a continuation line */
        {
            struct rtcpm_sip_span name =
                rtcpm_sip_span_trim((struct rtcpm_sip_span){ data + pos, (size_t)(c - data) - pos });
            struct rtcpm_sip_span v =
                rtcpm_sip_span_trim((struct rtcpm_sip_span){ c + 1, text_end - (size_t)(c + 1 - data) });
            if (value == -1 && (rtcpm_sip_span_ieq(name, "content-length") || rtcpm_sip_span_ieq(name, "l")) &&
                read_number(v, &value))
                return -2;
        }
        pos = eol + 1;
    }
    return value;
}

int rtcpm_sip_frame(const char *data, size_t len, size_t *skip, size_t *msg_len)
{
    size_t s = 0, i, head_end = 0;
    long cl;
    if (!data || !skip || !msg_len) return RTCPM_SIP_E_INVALID;
    while (s < len && (data[s] == '\r' || data[s] == '\n')) s++;
    *skip = s;
    *msg_len = 0;
    for (i = s; i < len && !head_end; i++)
    {
        if (data[i] != '\n') continue;
        if (i + 1 < len && data[i + 1] == '\n') head_end = i + 2;
        if (i + 2 < len && data[i + 1] == '\r' && data[i + 2] == '\n') head_end = i + 3;
    }
    if (!head_end) return len - s > RTCPM_SIP_MAX_MESSAGE ? RTCPM_SIP_E_TOO_BIG : RTCPM_SIP_E_INCOMPLETE;
    cl = frame_content_length(data + s, head_end - s);
    if (cl < 0) return RTCPM_SIP_E_LENGTH;
    if (head_end - s + (size_t)cl > RTCPM_SIP_MAX_MESSAGE) return RTCPM_SIP_E_TOO_BIG;
    if (len < head_end + (size_t)cl) return RTCPM_SIP_E_INCOMPLETE;
    *msg_len = head_end - s + (size_t)cl;
    return RTCPM_SIP_OK;
}
