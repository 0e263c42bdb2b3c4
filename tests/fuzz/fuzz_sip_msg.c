/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_sip_msg.c — rtcpm_sip_parse (src/sip/sip_parse.c) and everything that reads its spans
 * (sip_hdr.c: Contact lists, name-addr, parameters; the old fixed-field view of sip_msg.c;
 * the SDP answer reader; the response builder) on arbitrary bytes.
 *
 * Beyond "no crash, no read past the input" (an exact-size heap block):
 *  - a failure is a known error code and no message;
 *  - a success keeps parse.h's promises: status 100..699 for a response, a token method and a
 *    request-URI for a request, Via/From/To/Call-ID/CSeq present, every span inside the
 *    message's copy, the body exactly Content-Length long when there is one, CSeq's method
 *    equal to a request's method;
 *  - parsing is deterministic: the same bytes give the same fields;
 *  - TCP framing agrees: a complete frame found in the input parses as the message would;
 *  - the old fixed-field API accepts a response the new parser accepts (or says a field is
 *    too long for it), and refuses a request;
 *  - a 200 built for a parsed request parses again, with the request's Call-ID, CSeq and top
 *    Via branch.
 */
#include <string.h>

#include "fuzz_check.h"
#include "sip/sip_build.h"
#include "sip/sip_hdr.h"
#include "sip/sip_msg.h"

static int same_span(struct rtcpm_sip_span a, struct rtcpm_sip_span b)
{
    return a.n == b.n && (!a.n || !memcmp(a.p, b.p, a.n));
}

static int is_error_code(int rc) { return rc < 0 && strcmp(rtcpm_sip_parse_error_name(rc), "RTCPM_SIP_E_?") != 0; }

static void check_span(const struct rtcpm_sip_msg *m, struct rtcpm_sip_span s)
{
    if (!s.n) return;
    FUZZ_CHECK(s.p >= m->buf && s.p + s.n <= m->buf + m->len);
}

static void check_fields(const struct rtcpm_sip_msg *m)
{
    size_t i;
    FUZZ_CHECK(m->header_count <= RTCPM_SIP_MAX_HEADERS);
    for (i = 0; i < m->header_count; i++)
    {
        check_span(m, m->headers[i].name);
        check_span(m, m->headers[i].value);
        FUZZ_CHECK(rtcpm_sip_span_is_token(m->headers[i].name));
    }
    if (m->is_request)
    {
        FUZZ_CHECK(rtcpm_sip_span_is_token(m->method) && m->request_uri.n);
        FUZZ_CHECK(same_span(m->cseq_method, m->method));
    }
    else
        FUZZ_CHECK(m->status >= 100 && m->status <= 699);
    FUZZ_CHECK(m->via_count >= 1 && m->call_id.n && m->from.uri.n && m->to.uri.n && m->cseq_method.n);
    check_span(m, m->via.transport), check_span(m, m->via.host), check_span(m, m->via.branch);
    check_span(m, m->from.uri), check_span(m, m->to.tag), check_span(m, m->call_id), check_span(m, m->body);
    check_span(m, m->content_type);
    if (m->content_length >= 0) FUZZ_CHECK(m->body.n == (size_t)m->content_length);
}

/* Every Contact element and every challenge: no crash, spans inside. */
static void walk_headers(const struct rtcpm_sip_msg *m)
{
    struct rtcpm_sip_name_addr c;
    struct rtcpm_sip_span rest = { NULL, 0 };
    size_t hdr = 0;
    int n = 0;
    while (n++ < 64 && rtcpm_sip_contact_next(m, &hdr, &rest, &c) > 0) check_span(m, c.uri);
}

static void check_same(const struct rtcpm_sip_msg *a, const struct rtcpm_sip_msg *b)
{
    FUZZ_CHECK(a->is_request == b->is_request && a->status == b->status && a->cseq == b->cseq);
    FUZZ_CHECK(a->header_count == b->header_count && a->body.n == b->body.n && same_span(a->call_id, b->call_id));
}

static void check_response_to(const struct rtcpm_sip_msg *req)
{
    static char out[RTCPM_SIP_MAX_MESSAGE + 8192];
    struct rtcpm_sip_msg *resp;
    size_t len;
    int rc = rtcpm_sip_build_response(req, 200, "OK", "fuzztag", "fuzz", out, sizeof(out), &len);
    if (rc != RTCPM_SIP_BUILD_OK) return; /* a value the builder refuses to copy */
    FUZZ_CHECK(rtcpm_sip_parse(out, len, &resp) == RTCPM_SIP_OK);
    FUZZ_CHECK(!resp->is_request && resp->status == 200 && resp->cseq == req->cseq);
    FUZZ_CHECK(same_span(resp->call_id, req->call_id) && same_span(resp->via.branch, req->via.branch));
    rtcpm_sip_msg_free(resp);
}

static void check_old_api(const uint8_t *data, size_t size, const struct rtcpm_sip_msg *m)
{
    struct sip_response r;
    int rc = rtcpm_sip_msg_parse_response((const char *)data, size, &r);
    if (m->is_request)
        FUZZ_CHECK(rc == SIP_MSG_E_NOT_RESPONSE);
    else
    {
        FUZZ_CHECK(rc == SIP_MSG_OK || rc == SIP_MSG_E_TOO_LONG || rc == SIP_MSG_E_HEADER);
        if (rc == SIP_MSG_OK) FUZZ_CHECK(r.code == m->status && r.body_len == m->body.n);
    }
}

static void check_frame(const uint8_t *data, size_t size)
{
    size_t skip, len;
    struct rtcpm_sip_msg *m;
    int rc = rtcpm_sip_frame((const char *)data, size, &skip, &len);
    FUZZ_CHECK(rc == RTCPM_SIP_OK || is_error_code(rc));
    if (rc != RTCPM_SIP_OK) return;
    FUZZ_CHECK(skip + len <= size && len > 0);
    if (rtcpm_sip_parse((const char *)data + skip, len, &m) == RTCPM_SIP_OK)
    {
        check_fields(m);
        FUZZ_CHECK(m->content_length >= 0); /* framing needs it */
        rtcpm_sip_msg_free(m);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rtcpm_sip_msg *m = (struct rtcpm_sip_msg *)1, *again;
    rtcpm_addr rtp, rtcp;
    int rc = rtcpm_sip_parse((const char *)data, size, &m);

    check_frame(data, size);
    if (rc != RTCPM_SIP_OK)
    {
        FUZZ_CHECK(is_error_code(rc) && m == NULL);
        return 0;
    }
    check_fields(m);
    walk_headers(m);
    FUZZ_CHECK(rtcpm_sip_parse((const char *)data, size, &again) == RTCPM_SIP_OK);
    check_same(m, again);
    rtcpm_sip_msg_free(again);
    check_old_api(data, size, m);
    if (m->is_request) check_response_to(m);
    rc = rtcpm_sip_msg_parse_sdp_audio(m->body.p, m->body.n, &rtp, &rtcp);
    if (rc == SIP_MSG_OK) FUZZ_CHECK(rtp.port && rtcp.port && rtp.family == rtcp.family);
    rtcpm_sip_msg_free(m);
    return 0;
}
