/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_build.c — SIP requests and responses written. See sip_build.h.
 */
#include <string.h>
#include "sip_build.h"
#include "sip_hdr.h"
#include "text_out.h"

int rtcpm_sip_build_is_token(const char *s)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (!rtcpm_sip_is_token_char(*s)) return 0;
    return 1;
}

int rtcpm_sip_build_is_uri(const char *s)
{
    if (!s || !*s || !strchr(s, ':')) return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || strchr("<>\"", *s)) return 0;
    return 1;
}

/* Call-ID = word ["@" word]: visible characters without the ones that end or confuse a
 * header. */
static int is_call_id(const char *s)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || strchr("<>\",", *s)) return 0;
    return 1;
}

/* Header value text: no CR, LF or other controls but HT (UTF-8 allowed). */
static int is_text(const char *s)
{
    if (!s) return 0;
    for (; *s; s++)
        if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f) return 0;
    return 1;
}

static int is_header_line(const char *s, int with_crlf)
{
    size_t n;
    if (!s) return 0;
    n = strlen(s);
    if (with_crlf)
    {
        if (n < 3 || s[n - 2] != '\r' || s[n - 1] != '\n' || !strchr(s, ':')) return 0;
        return strcspn(s, "\r\n") == n - 2;
    }
    return n && strchr(s, ':') && is_text(s);
}

static int is_media_type(const char *s)
{
    const char *slash;
    size_t i;
    if (!s || !(slash = strchr(s, '/')) || slash == s || !rtcpm_sip_build_is_token(slash + 1)) return 0;
    for (i = 0; s + i < slash; i++)
        if (!rtcpm_sip_is_token_char(s[i])) return 0;
    return 1;
}

static int valid_request(const struct rtcpm_sip_request *r)
{
    if (!r || !rtcpm_sip_build_is_token(r->method) || !rtcpm_sip_build_is_uri(r->request_uri) ||
        !rtcpm_sip_build_is_token(r->via_transport) || !r->via || !r->via->port ||
        !rtcpm_sip_build_is_token(r->branch) ||
        strncmp(r->branch, RTCPM_SIP_BRANCH_COOKIE, strlen(RTCPM_SIP_BRANCH_COOKIE)))
        return 0;
    if (!rtcpm_sip_build_is_uri(r->from_uri) || !rtcpm_sip_build_is_token(r->from_tag) ||
        !rtcpm_sip_build_is_uri(r->to_uri) || (r->to_tag && *r->to_tag && !rtcpm_sip_build_is_token(r->to_tag)) ||
        !is_call_id(r->call_id) || r->cseq < 1 || r->cseq > 0x7fffffffUL)
        return 0;
    if ((r->from_display && !is_text(r->from_display)) || (r->to_display && !is_text(r->to_display))) return 0;
    if ((r->contact_uri && !rtcpm_sip_build_is_uri(r->contact_uri)) ||
        (r->contact_line && !is_header_line(r->contact_line, 1)) || (r->contact_uri && r->contact_line))
        return 0;
    if ((r->auth_line && !is_header_line(r->auth_line, 0)) ||
        (r->user_agent && (!*r->user_agent || !is_text(r->user_agent))))
        return 0;
    return !r->body || is_media_type(r->content_type);
}

/* name-addr with an optional quoted display name (RFC 3261 25.1 quoted-pair for " and \). */
static void put_name_addr(struct text_out *o, const char *header, const char *display, const char *uri, const char *tag)
{
    rtcpm_text_out_put(o, "%s: ", header);
    if (display && *display)
    {
        rtcpm_text_out_put(o, "\"");
        for (; *display; display++)
            rtcpm_text_out_put(o, "%s%c", (*display == '"' || *display == '\\') ? "\\" : "", *display);
        rtcpm_text_out_put(o, "\" ");
    }
    rtcpm_text_out_put(o, "<%s>", uri);
    if (tag && *tag) rtcpm_text_out_put(o, ";tag=%s", tag);
    rtcpm_text_out_put(o, "\r\n");
}

int rtcpm_sip_build_request(const struct rtcpm_sip_request *r, char *buf, size_t buflen, size_t *written)
{
    char via[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    rtcpm_addr sent_by;
    struct text_out o;
    size_t body_len;

    if (written) *written = 0;
    if (!buf || !buflen) return RTCPM_SIP_BUILD_E_INVALID;
    buf[0] = 0;
    if (!valid_request(r)) return RTCPM_SIP_BUILD_E_INVALID;
    sent_by = *r->via;
    sent_by.scope_id = 0; /* a zone means nothing to the peer */
    if (rtcpm_addr_format_hostport(&sent_by, via, sizeof(via)) < 0) return RTCPM_SIP_BUILD_E_INVALID;
    body_len = r->body ? (r->body_len ? r->body_len : strlen(r->body)) : 0;

    rtcpm_text_out_init(&o, buf, buflen);
    rtcpm_text_out_put(&o, "%s %s SIP/2.0\r\n", r->method, r->request_uri);
    rtcpm_text_out_put(&o, "Via: SIP/2.0/%s %s;branch=%s%s\r\n", r->via_transport, via, r->branch,
                       r->rport ? ";rport" : "");
    rtcpm_text_out_put(&o, "Max-Forwards: 70\r\n");
    put_name_addr(&o, "From", r->from_display, r->from_uri, r->from_tag);
    put_name_addr(&o, "To", r->to_display, r->to_uri, r->to_tag);
    rtcpm_text_out_put(&o, "Call-ID: %s\r\n", r->call_id);
    rtcpm_text_out_put(&o, "CSeq: %lu %s\r\n", (unsigned long)r->cseq, r->method);
    if (r->contact_line) rtcpm_text_out_put(&o, "%s", r->contact_line);
    if (r->contact_uri)
    {
        rtcpm_text_out_put(&o, "Contact: <%s>", r->contact_uri);
        if (r->contact_expires >= 0) rtcpm_text_out_put(&o, ";expires=%ld", r->contact_expires);
        rtcpm_text_out_put(&o, "\r\n");
    }
    if (r->expires >= 0) rtcpm_text_out_put(&o, "Expires: %ld\r\n", r->expires);
    if (r->auth_line) rtcpm_text_out_put(&o, "%s\r\n", r->auth_line);
    if (r->user_agent) rtcpm_text_out_put(&o, "User-Agent: %s\r\n", r->user_agent);
    if (r->body) rtcpm_text_out_put(&o, "Content-Type: %s\r\n", r->content_type);
    rtcpm_text_out_put(&o, "Content-Length: %lu\r\n\r\n", (unsigned long)body_len);
    if (r->body) rtcpm_text_out_put(&o, "%.*s", (int)body_len, r->body);
    return rtcpm_text_out_finish(&o, written) ? RTCPM_SIP_BUILD_E_BUFFER : RTCPM_SIP_BUILD_OK;
}

static void put_header_line(struct text_out *o, const char *name, struct rtcpm_sip_span value)
{
    rtcpm_text_out_put(o, "%s: %.*s\r\n", name, (int)value.n, value.p);
}

int rtcpm_sip_build_response(const struct rtcpm_sip_msg *req, int code, const char *reason, const char *to_tag,
                             const char *user_agent, char *buf, size_t buflen, size_t *written)
{
    struct text_out o;
    size_t i;

    if (written) *written = 0;
    if (!buf || !buflen) return RTCPM_SIP_BUILD_E_INVALID;
    buf[0] = 0;
    if (!req || !req->is_request || code < 100 || code > 699 || !reason || !is_text(reason) ||
        (to_tag && *to_tag && !rtcpm_sip_build_is_token(to_tag)) || (user_agent && !is_text(user_agent)))
        return RTCPM_SIP_BUILD_E_INVALID;
    rtcpm_text_out_init(&o, buf, buflen);
    rtcpm_text_out_put(&o, "SIP/2.0 %d %s\r\n", code, reason);
    for (i = 0; i < req->header_count; i++)
    {
        const struct rtcpm_sip_header *h = &req->headers[i];
        switch (h->kind)
        {
        case RTCPM_SIP_HDR_VIA: put_header_line(&o, "Via", h->value); break;
        case RTCPM_SIP_HDR_FROM: put_header_line(&o, "From", h->value); break;
        case RTCPM_SIP_HDR_CALL_ID: put_header_line(&o, "Call-ID", h->value); break;
        case RTCPM_SIP_HDR_CSEQ: put_header_line(&o, "CSeq", h->value); break;
        case RTCPM_SIP_HDR_TO:
            rtcpm_text_out_put(&o, "To: %.*s", (int)h->value.n, h->value.p);
            if (!req->to.tag.n && to_tag && *to_tag && code > 100) rtcpm_text_out_put(&o, ";tag=%s", to_tag);
            rtcpm_text_out_put(&o, "\r\n");
            break;
        default: break;
        }
    }
    if (user_agent && *user_agent) rtcpm_text_out_put(&o, "User-Agent: %s\r\n", user_agent);
    rtcpm_text_out_put(&o, "Content-Length: 0\r\n\r\n");
    return rtcpm_text_out_finish(&o, written) ? RTCPM_SIP_BUILD_E_BUFFER : RTCPM_SIP_BUILD_OK;
}
