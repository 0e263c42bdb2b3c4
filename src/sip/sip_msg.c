/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_msg.c — SIP requests built, responses and SDP answers parsed. See sip_msg.h.
 */
#include <stdlib.h>
#include <string.h>
#include "sip_msg.h"
#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_parse.h"

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

/* ---- building: the old parameter set over sip_build.c ------------------------------------------ */

int rtcpm_sip_msg_build_request(const struct sip_request_params *p, char *buf, size_t buflen, size_t *written)
{
    struct rtcpm_sip_request r;
    int rc;

    if (written) *written = 0;
    if (!buf || !buflen) return SIP_MSG_E_INVALID;
    buf[0] = 0;
    if (!p) return SIP_MSG_E_INVALID;
    memset(&r, 0, sizeof(r));
    r.method = p->method;
    r.request_uri = p->request_uri;
    r.via_transport = "UDP";
    r.via = p->via;
    r.branch = p->branch;
    r.rport = 1;
    r.from_uri = p->from_uri;
    r.from_tag = p->from_tag;
    r.to_uri = p->to_uri;
    r.to_tag = p->to_tag;
    r.call_id = p->call_id;
    r.cseq = p->cseq > 0x7fffffffUL ? 0 : (uint32_t)p->cseq;
    r.contact_line = p->contact;
    r.contact_expires = -1;
    r.expires = p->expires;
    r.user_agent = p->user_agent;
    r.content_type = p->content_type;
    r.body = p->body;
    rc = rtcpm_sip_build_request(&r, buf, buflen, written);
    return rc == RTCPM_SIP_BUILD_OK         ? SIP_MSG_OK
           : rc == RTCPM_SIP_BUILD_E_BUFFER ? SIP_MSG_E_BUFFER
                                            : SIP_MSG_E_INVALID;
}

/* ---- response parsing: the old fixed-field view over sip_parse.c ------------------------------ */

static int map_parse_error(int rc)
{
    switch (rc)
    {
    case RTCPM_SIP_E_START_LINE: return SIP_MSG_E_NOT_RESPONSE;
    case RTCPM_SIP_E_STATUS: return SIP_MSG_E_STATUS;
    case RTCPM_SIP_E_MISSING: return SIP_MSG_E_MISSING;
    case RTCPM_SIP_E_CSEQ: return SIP_MSG_E_CSEQ;
    case RTCPM_SIP_E_LENGTH: return SIP_MSG_E_LENGTH;
    case RTCPM_SIP_E_TOO_BIG: return SIP_MSG_E_TOO_LONG;
    case RTCPM_SIP_E_NOMEM:
    case RTCPM_SIP_E_INVALID: return SIP_MSG_E_INVALID;
    default: return SIP_MSG_E_HEADER;
    }
}

/* The fields of struct sip_response from a parsed response; SIP_MSG_E_TOO_LONG when one does
 * not fit its buffer. */
static int copy_fields(const struct rtcpm_sip_msg *m, struct sip_response *out)
{
    struct rtcpm_sip_name_addr contact;
    struct rtcpm_sip_span rest = { NULL, 0 };
    size_t hdr = 0;
    int rc;

    out->code = m->status;
    out->cseq = m->cseq;
    out->content_length = m->content_length;
    if (!rtcpm_sip_span_copy(out->reason, sizeof(out->reason), m->reason) ||
        !rtcpm_sip_span_copy(out->via_branch, sizeof(out->via_branch), m->via.branch) ||
        !rtcpm_sip_span_copy(out->via_transport, sizeof(out->via_transport), m->via.transport) ||
        !rtcpm_sip_span_copy(out->call_id, sizeof(out->call_id), m->call_id) ||
        !rtcpm_sip_span_copy(out->cseq_method, sizeof(out->cseq_method), m->cseq_method) ||
        !rtcpm_sip_span_copy(out->to_tag, sizeof(out->to_tag), m->to.tag) ||
        !rtcpm_sip_span_copy(out->content_type, sizeof(out->content_type), m->content_type))
        return SIP_MSG_E_TOO_LONG;
    rc = rtcpm_sip_contact_next(m, &hdr, &rest, &contact);
    if (rc < 0) return SIP_MSG_E_HEADER;
    if (rc > 0 && !contact.star && !rtcpm_sip_span_copy(out->contact_uri, sizeof(out->contact_uri), contact.uri))
        return SIP_MSG_E_TOO_LONG;
    return SIP_MSG_OK;
}

int rtcpm_sip_msg_parse_response(const char *buf, size_t len, struct sip_response *out)
{
    struct rtcpm_sip_msg *m;
    int rc;

    if (!out) return SIP_MSG_E_INVALID;
    memset(out, 0, sizeof(*out));
    out->content_length = -1;
    if (!buf) return SIP_MSG_E_INVALID;
    if ((rc = rtcpm_sip_parse(buf, len, &m))) return map_parse_error(rc);
    rc = m->is_request ? SIP_MSG_E_NOT_RESPONSE : copy_fields(m, out);
    if (rc == SIP_MSG_OK)
    {
        /* the body as a pointer into the caller's datagram */
        out->body = buf + (m->body.p - m->buf);
        out->body_len = m->body.n;
    }
    rtcpm_sip_msg_free(m);
    if (rc != SIP_MSG_OK)
    {
        memset(out, 0, sizeof(*out));
        out->content_length = -1;
    }
    return rc;
}

int rtcpm_sip_msg_domain_uri(const char *uri, char *buf, size_t buflen)
{
    const char *colon, *host, *end, *p;
    size_t scheme_len, host_len;

    if (!buf || !buflen) return SIP_MSG_E_INVALID;
    buf[0] = 0;
    if (!uri || !rtcpm_sip_build_is_uri(uri) || !(colon = strchr(uri, ':')) || colon == uri) return SIP_MSG_E_INVALID;
    scheme_len = (size_t)(colon - uri);
    for (p = uri; p < colon; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) && *p != '+' &&
            *p != '-' && *p != '.')
            return SIP_MSG_E_INVALID;
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
