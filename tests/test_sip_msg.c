/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_sip_msg.c — rtcpm-demo's SIP text (src/sip/sip_msg, its parsing now over sip_parse): the exact REGISTER, INVITE, ACK
 * and BYE bytes, refused parameters (header injection), buffer bounds, response parsing
 * (compact forms, folding, bare LF, Via/To/Contact parameters, bodies) and every malformed
 * case, every prefix of a response, the SDP answer's audio address, and the REGISTER domain.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip_msg.h"
#include "loopback.h"
#include "com/com.h" /* ARRAY_SIZE */

#define ASSERT_MSG(expr, want)                                                                                         \
    do {                                                                                                               \
        int rc_ = (expr);                                                                                              \
        if (rc_ != (want))                                                                                             \
            printf("\n  %s: got %s, want %s\n", #expr, rtcpm_sip_msg_error_name(rc_), rtcpm_sip_msg_error_name(want)); \
        CU_ASSERT_EQUAL(rc_, (want));                                                                                  \
    } while (0)

#define ASSERT_TEXT(got, want)                                                                                         \
    do {                                                                                                               \
        if (strcmp((got), (want))) printf("\n  got:\n%s\n  want:\n%s\n", (got), (want));                               \
        CU_ASSERT_STRING_EQUAL((got), (want));                                                                         \
    } while (0)

static const char CONTACT[] = "Contact: <sip:alice@198.19.1.3:15070;transport=udp>\r\n";

static void register_params(struct sip_request_params *p, const rtcpm_addr *via)
{
    *p = (struct sip_request_params){ .method = "REGISTER",
                                      .request_uri = "sip:example.com",
                                      .via = via,
                                      .branch = "z9hG4bK776asdhds",
                                      .from_uri = "sip:alice@example.com",
                                      .from_tag = "1928301774",
                                      .to_uri = "sip:alice@example.com",
                                      .call_id = "a84b4c76e66710@rtcpm",
                                      .cseq = 1,
                                      .contact = CONTACT,
                                      .expires = 3600,
                                      .user_agent = "rtcpm-demo" };
}

static void test_register_text(void)
{
    rtcpm_addr via = test_addr("198.19.1.3", 15070);
    struct sip_request_params p;
    char buf[2048];
    size_t n = 99;
    static const char want[] = "REGISTER sip:example.com SIP/2.0\r\n"
                               "Via: SIP/2.0/UDP 198.19.1.3:15070;branch=z9hG4bK776asdhds;rport\r\n"
                               "Max-Forwards: 70\r\n"
                               "From: <sip:alice@example.com>;tag=1928301774\r\n"
                               "To: <sip:alice@example.com>\r\n"
                               "Call-ID: a84b4c76e66710@rtcpm\r\n"
                               "CSeq: 1 REGISTER\r\n"
                               "Contact: <sip:alice@198.19.1.3:15070;transport=udp>\r\n"
                               "Expires: 3600\r\n"
                               "User-Agent: rtcpm-demo\r\n"
                               "Content-Length: 0\r\n"
                               "\r\n";

    register_params(&p, &via);
    ASSERT_MSG(rtcpm_sip_msg_build_request(&p, buf, sizeof(buf), &n), SIP_MSG_OK);
    ASSERT_TEXT(buf, want);
    CU_ASSERT_EQUAL(n, strlen(want));

    /* Expires 0 is written (a de-registration); < 0 leaves the header out, as does NULL UA */
    p.expires = 0;
    ASSERT_MSG(rtcpm_sip_msg_build_request(&p, buf, sizeof(buf), NULL), SIP_MSG_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\r\nExpires: 0\r\n"));
    p.expires = -1;
    p.user_agent = NULL;
    p.contact = NULL;
    ASSERT_MSG(rtcpm_sip_msg_build_request(&p, buf, sizeof(buf), NULL), SIP_MSG_OK);
    CU_ASSERT_PTR_NULL(strstr(buf, "Expires"));
    CU_ASSERT_PTR_NULL(strstr(buf, "User-Agent"));
    CU_ASSERT_PTR_NULL(strstr(buf, "Contact"));
}

static void test_invite_ack_bye_text(void)
{
    rtcpm_addr via = test_addr("2001:db8::7", 5060);
    struct sip_request_params p;
    char buf[2048];
    size_t n = 0;
    static const char sdp[] = "v=0\r\no=- 1 1 IN IP6 2001:db8::7\r\ns=-\r\nc=IN IP6 2001:db8::7\r\nt=0 0\r\n"
                              "m=audio 40000 RTP/AVP 0\r\n";
    static const char want[] = "INVITE sip:bob@example.net SIP/2.0\r\n"
                               "Via: SIP/2.0/UDP [2001:db8::7]:5060;branch=z9hG4bKnashds8;rport\r\n"
                               "Max-Forwards: 70\r\n"
                               "From: <sip:alice@example.com>;tag=9fxced76sl\r\n"
                               "To: <sip:bob@example.net>\r\n"
                               "Call-ID: 3848276298220188511@rtcpm\r\n"
                               "CSeq: 7 INVITE\r\n"
                               "Contact: <sip:[2001:db8::7]:5060;transport=udp>\r\n"
                               "Content-Type: application/sdp\r\n"
                               "Content-Length: 92\r\n"
                               "\r\n"
                               "v=0\r\no=- 1 1 IN IP6 2001:db8::7\r\ns=-\r\nc=IN IP6 2001:db8::7\r\nt=0 0\r\n"
                               "m=audio 40000 RTP/AVP 0\r\n";

    CU_ASSERT_EQUAL_FATAL(strlen(sdp), 92);
    memset(&p, 0, sizeof(p));
    p.method = "INVITE";
    p.request_uri = "sip:bob@example.net";
    p.via = &via;
    p.branch = "z9hG4bKnashds8";
    p.from_uri = "sip:alice@example.com";
    p.from_tag = "9fxced76sl";
    p.to_uri = "sip:bob@example.net";
    p.call_id = "3848276298220188511@rtcpm";
    p.cseq = 7;
    p.contact = "Contact: <sip:[2001:db8::7]:5060;transport=udp>\r\n";
    p.expires = -1;
    p.content_type = "application/sdp";
    p.body = sdp;
    ASSERT_MSG(rtcpm_sip_msg_build_request(&p, buf, sizeof(buf), &n), SIP_MSG_OK);
    ASSERT_TEXT(buf, want);
    CU_ASSERT_EQUAL(n, strlen(want));

    /* ACK for a 2xx: inside the dialog (remote target, to-tag), no body */
    p.method = "ACK";
    p.request_uri = "sip:peer@198.19.1.2:5060";
    p.branch = "z9hG4bK5ack";
    p.to_tag = "314159";
    p.contact = NULL;
    p.content_type = NULL;
    p.body = NULL;
    ASSERT_MSG(rtcpm_sip_msg_build_request(&p, buf, sizeof(buf), NULL), SIP_MSG_OK);
    ASSERT_TEXT(buf, "ACK sip:peer@198.19.1.2:5060 SIP/2.0\r\n"
                     "Via: SIP/2.0/UDP [2001:db8::7]:5060;branch=z9hG4bK5ack;rport\r\n"
                     "Max-Forwards: 70\r\n"
                     "From: <sip:alice@example.com>;tag=9fxced76sl\r\n"
                     "To: <sip:bob@example.net>;tag=314159\r\n"
                     "Call-ID: 3848276298220188511@rtcpm\r\n"
                     "CSeq: 7 ACK\r\n"
                     "Content-Length: 0\r\n"
                     "\r\n");
    p.method = "BYE";
    p.branch = "z9hG4bKbye1";
    p.cseq = 8;
    ASSERT_MSG(rtcpm_sip_msg_build_request(&p, buf, sizeof(buf), NULL), SIP_MSG_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "BYE sip:peer@198.19.1.2:5060 SIP/2.0\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\r\nCSeq: 8 BYE\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\r\nTo: <sip:bob@example.net>;tag=314159\r\n"));
}

/* Every parameter that could inject a header or break the syntax is refused, and the buffer
 * is then "". */
static void test_build_refuses(void)
{
    rtcpm_addr via = test_addr("198.19.1.3", 15070), noport = test_addr("198.19.1.3", 0);
    struct sip_request_params p;
    char buf[2048];
    size_t n = 5;
    int i;

    for (i = 0;; i++)
    {
        register_params(&p, &via);
        switch (i)
        {
        case 0: p.method = "REG ISTER"; break;
        case 1: p.method = ""; break;
        case 2: p.request_uri = "sip:example.com\r\nX-Evil: 1"; break;
        case 3: p.request_uri = "example.com"; break; /* no scheme */
        case 4: p.request_uri = "sip:a b"; break;
        case 5: p.via = &noport; break;
        case 6: p.via = NULL; break;
        case 7: p.branch = "776asdhds"; break; /* no magic cookie */
        case 8: p.branch = "z9hG4bK;x=1"; break;
        case 9: p.from_uri = "sip:alice@example.com>"; break;
        case 10: p.from_tag = "a\r\nb"; break;
        case 11: p.to_tag = "x y"; break;
        case 12: p.call_id = "a b"; break;
        case 13: p.call_id = "abc\r\n"; break;
        case 14: p.cseq = 0; break;
        case 15: p.cseq = 0x80000000UL; break;
        case 16: p.contact = "Contact: <sip:a@b>"; break; /* no CRLF */
        case 17: p.contact = "Contact: <sip:a@b>\r\nX: y\r\n"; break;
        case 18: p.user_agent = "rtcpm\r\nX: y"; break;
        case 19: p.user_agent = ""; break;
        case 20:
            p.body = "v=0\r\n";
            p.content_type = NULL;
            break;
        case 21:
            p.body = "v=0\r\n";
            p.content_type = "application";
            break;
        default: goto done;
        }
        strcpy(buf, "junk");
        n = 5;
        if (rtcpm_sip_msg_build_request(&p, buf, sizeof(buf), &n) != SIP_MSG_E_INVALID)
            printf("\n  case %d accepted\n", i);
        ASSERT_MSG(rtcpm_sip_msg_build_request(&p, buf, sizeof(buf), &n), SIP_MSG_E_INVALID);
        CU_ASSERT_STRING_EQUAL(buf, "");
        CU_ASSERT_EQUAL(n, 0);
    }
done:
    CU_ASSERT_EQUAL(i, 22);
    ASSERT_MSG(rtcpm_sip_msg_build_request(NULL, buf, sizeof(buf), NULL), SIP_MSG_E_INVALID);
    register_params(&p, &via);
    ASSERT_MSG(rtcpm_sip_msg_build_request(&p, NULL, 10, NULL), SIP_MSG_E_INVALID);
    ASSERT_MSG(rtcpm_sip_msg_build_request(&p, buf, 0, NULL), SIP_MSG_E_INVALID);
}

/* Exactly enough room works; one byte less is SIP_MSG_E_BUFFER with "" left behind. */
static void test_build_buffer_bounds(void)
{
    rtcpm_addr via = test_addr("198.19.1.3", 15070);
    struct sip_request_params p;
    char full[2048], *small;
    size_t n = 0, m = 7;

    register_params(&p, &via);
    ASSERT_MSG(rtcpm_sip_msg_build_request(&p, full, sizeof(full), &n), SIP_MSG_OK);
    small = malloc(n + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(small);
    ASSERT_MSG(rtcpm_sip_msg_build_request(&p, small, n + 1, &m), SIP_MSG_OK);
    CU_ASSERT_EQUAL(m, n);
    CU_ASSERT_STRING_EQUAL(small, full);
    ASSERT_MSG(rtcpm_sip_msg_build_request(&p, small, n, &m), SIP_MSG_E_BUFFER);
    CU_ASSERT_STRING_EQUAL(small, "");
    CU_ASSERT_EQUAL(m, 0);
    ASSERT_MSG(rtcpm_sip_msg_build_request(&p, small, 1, &m), SIP_MSG_E_BUFFER);
    CU_ASSERT_STRING_EQUAL(small, "");
    free(small);
}

/* A 200 OK as sipp's uas scenario sends it. */
static const char OK_200[] = "SIP/2.0 200 OK\r\n"
                             "Via: SIP/2.0/UDP 198.19.1.3:15070;branch=z9hG4bKabc;rport=15070;received=198.19.1.3\r\n"
                             "From: <sip:alice@example.com>;tag=1928301774\r\n"
                             "To: <sip:bob@example.net>;tag=4242SIPpTag011\r\n"
                             "Call-ID: a84b4c76e66710@rtcpm\r\n"
                             "CSeq: 1 INVITE\r\n"
                             "Contact: <sip:peer@198.19.1.2:5060>\r\n"
                             "Content-Type: application/sdp\r\n"
                             "Content-Length: 51\r\n"
                             "\r\n"
                             "v=0\r\nc=IN IP4 198.19.1.2\r\nm=audio 40000 RTP/AVP 0\r\n";

/* Every field of a parsed response on one line, to compare with what the test expects:
 * "<code> <reason>|via <transport> <branch>|call-id ...|cseq ...|to-tag ...|contact ...|
 * type ...|length <Content-Length>|body <body_len bytes>". */
static const char *fields(const struct sip_response *r, char *buf, size_t buflen)
{
    snprintf(buf, buflen, "%d %s|via %s %s|call-id %s|cseq %lu %s|to-tag %s|contact %s|type %s|length %ld|body %.*s",
             r->code, r->reason, r->via_transport, r->via_branch, r->call_id, r->cseq, r->cseq_method, r->to_tag,
             r->contact_uri, r->content_type, r->content_length, (int)r->body_len, r->body ? r->body : "");
    return buf;
}

static void test_parse_200(void)
{
    struct sip_response r;
    char buf[1024];

    ASSERT_MSG(rtcpm_sip_msg_parse_response(OK_200, strlen(OK_200), &r), SIP_MSG_OK);
    ASSERT_TEXT(fields(&r, buf, sizeof(buf)),
                "200 OK|via UDP z9hG4bKabc|call-id a84b4c76e66710@rtcpm|cseq 1 INVITE|to-tag 4242SIPpTag011"
                "|contact sip:peer@198.19.1.2:5060|type application/sdp|length 51"
                "|body v=0\r\nc=IN IP4 198.19.1.2\r\nm=audio 40000 RTP/AVP 0\r\n");
    /* the body points into the datagram, after the empty line */
    CU_ASSERT_PTR_EQUAL(r.body, strstr(OK_200, "\r\n\r\n") + 4);
}

/* Compact forms, odd spacing, folding, bare LF, several Vias, a quoted display name with '<',
 * Contact parameters, and no Content-Length (the body is the rest of the datagram). */
static void test_parse_forms(void)
{
    static const char text[] = "SIP/2.0 180 Ringing\n"
                               "v: SIP/2.0/UDP 198.19.1.3:15070 ;received=1.2.3.4; BRANCH = z9hG4bKtop ;rport,\n"
                               "   SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKsecond\n"
                               "Via: SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKthird\n"
                               "f: \"A\" <sip:alice@example.com>;tag=1\n"
                               "t: \"Bob <the callee>\" <sip:bob@example.net;user=phone>\n"
                               "  ;tag=folded-tag\n"
                               "i: cid\n"
                               "CSEQ  :  99   INVITE\n"
                               "m: sip:bob@198.19.1.2:5062;expires=60\n"
                               "c: application/sdp ; charset=x\n"
                               "X-Unknown: whatever: with colons\n"
                               "\n"
                               "v=0\n";
    /* a To without tag, a Via without branch, an empty reason, extra bytes past Content-Length */
    static const char t2[] = "SIP/2.0 486 \r\nVia: SIP/2.0/UDP h\r\nFrom: <sip:a@b>;tag=1\r\nTo: sip:c@d\r\n"
                             "Call-ID: x\r\nCSeq: 4294967295 BYE\r\nContent-Length: 2\r\n\r\nabcdef";
    struct sip_response r;
    char buf[1024];

    ASSERT_MSG(rtcpm_sip_msg_parse_response(text, strlen(text), &r), SIP_MSG_OK);
    ASSERT_TEXT(fields(&r, buf, sizeof(buf)),
                "180 Ringing|via UDP z9hG4bKtop|call-id cid|cseq 99 INVITE|to-tag folded-tag"
                "|contact sip:bob@198.19.1.2:5062|type application/sdp|length -1|body v=0\n");
    ASSERT_MSG(rtcpm_sip_msg_parse_response(t2, strlen(t2), &r), SIP_MSG_OK);
    ASSERT_TEXT(fields(&r, buf, sizeof(buf)),
                "486 |via UDP |call-id x|cseq 4294967295 BYE|to-tag |contact |type |length 2|body ab");
}

#define HDRS_NO_VIA "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\n"
#define HDRS        "Via: SIP/2.0/UDP h;branch=z9hG4bKx\r\n" HDRS_NO_VIA

static void expect_parse(const char *first, const char *headers, const char *tail, int want)
{
    char text[8192];
    struct sip_response r;
    snprintf(text, sizeof(text), "%s%s%s", first, headers, tail);
    memset(&r, 0x5a, sizeof(r));
    if (rtcpm_sip_msg_parse_response(text, strlen(text), &r) != want) printf("\n  for:\n%s\n", text);
    ASSERT_MSG(rtcpm_sip_msg_parse_response(text, strlen(text), &r), want);
    if (want != SIP_MSG_OK)
    {
        /* a failed parse leaves nothing behind */
        CU_ASSERT_EQUAL(r.code, 0);
        CU_ASSERT_PTR_NULL(r.body);
        CU_ASSERT_STRING_EQUAL(r.via_branch, "");
        CU_ASSERT_EQUAL(r.content_length, -1);
    }
}

struct parse_case
{
    const char *text;
    int want;
};

static void test_parse_malformed(void)
{
    /* the status line, and header lines put before valid headers (the first Via, To, Call-ID
     * and CSeq count) */
    static const struct parse_case before[] = {
        { "SIP/2.0 200 OK\r\n", SIP_MSG_OK },
        { "REGISTER sip:example.com SIP/2.0\r\n", SIP_MSG_E_NOT_RESPONSE },
        { "SIP/3.0 200 OK\r\n", SIP_MSG_E_NOT_RESPONSE },
        { "SIP/2.0 099 Low\r\n", SIP_MSG_E_STATUS },
        { "SIP/2.0 700 High\r\n", SIP_MSG_E_STATUS },
        { "SIP/2.0 20 OK\r\n", SIP_MSG_E_STATUS },
        { "SIP/2.0 200OK\r\n", SIP_MSG_E_STATUS },
        { "SIP/2.0 2x0 OK\r\n", SIP_MSG_E_STATUS },
        { "SIP/2.0 200 O\001K\r\n", SIP_MSG_E_STATUS },
        { "SIP/2.0 200 OK\r\nTo: \"x\" <sip:c@d\r\n", SIP_MSG_E_HEADER },
        { "SIP/2.0 200 OK\r\nCall-ID:   \r\n", SIP_MSG_E_HEADER },
        { "SIP/2.0 200 OK\r\nCSeq: abc INVITE\r\n", SIP_MSG_E_CSEQ },
        { "SIP/2.0 200 OK\r\nCSeq: 1\r\n", SIP_MSG_E_CSEQ },
        { "SIP/2.0 200 OK\r\nCSeq: 4294967296 BYE\r\n", SIP_MSG_E_CSEQ },
        { "SIP/2.0 200 OK\r\nCSeq: 1 IN<VITE\r\n", SIP_MSG_E_CSEQ },
    };
    /* what follows valid headers: more headers, the empty line, the body */
    static const struct parse_case after[] = {
        { "", SIP_MSG_E_HEADER }, /* no empty line */
        { "No colon here\r\n\r\n", SIP_MSG_E_HEADER },
        { ": empty name\r\n\r\n", SIP_MSG_E_HEADER },
        { "Bad Name: x\r\n\r\n", SIP_MSG_E_HEADER },
        /* Content-Length */
        { "Content-Length: 10\r\n\r\n12345", SIP_MSG_E_LENGTH },
        { "Content-Length: -1\r\n\r\n", SIP_MSG_E_LENGTH },
        { "Content-Length: 1x\r\n\r\n1x", SIP_MSG_E_LENGTH },
        { "l: 9999999999\r\n\r\n", SIP_MSG_E_LENGTH },
        { "Content-Length: 5\r\n\r\n12345", SIP_MSG_OK },
    };
    char longv[400];
    char hdr[3000];
    size_t i;

    for (i = 0; i < ARRAY_SIZE(before); i++) expect_parse(before[i].text, HDRS, "\r\n", before[i].want);
    for (i = 0; i < ARRAY_SIZE(after); i++) expect_parse("SIP/2.0 200 OK\r\n", HDRS, after[i].text, after[i].want);
    /* only the top Via is read */
    expect_parse("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\n", HDRS_NO_VIA, "Via: junk\r\n\r\n", SIP_MSG_OK);
    expect_parse("SIP/2.0 200 OK\r\nVia: SIP/2.0 UDP h\r\n", HDRS_NO_VIA, "\r\n", SIP_MSG_E_HEADER);
    expect_parse("SIP/2.0 200 OK\r\nVia: SIP/2.0/ h\r\n", HDRS_NO_VIA, "\r\n", SIP_MSG_E_HEADER);
    expect_parse("", "", "", SIP_MSG_E_NOT_RESPONSE);
    expect_parse("SIP/2.0 200 OK", "", "", SIP_MSG_E_NOT_RESPONSE); /* no line end at all */
    expect_parse("SIP/2.0 200 OK\r\n", " folded: first\r\n", HDRS, SIP_MSG_E_HEADER);
    /* required headers */
    expect_parse("SIP/2.0 200 OK\r\n", "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\n",
                 "\r\n", SIP_MSG_E_MISSING);
    expect_parse("SIP/2.0 200 OK\r\n", "Via: SIP/2.0/UDP h\r\nFrom: <sip:a@b>\r\nTo: <sip:c@d>\r\nCall-ID: x\r\n",
                 "\r\n", SIP_MSG_E_MISSING);
    expect_parse("SIP/2.0 200 OK\r\n", "Via: SIP/2.0/UDP h\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 BYE\r\n", "\r\n",
                 SIP_MSG_E_MISSING);
    /* a field longer than its buffer */
    memset(longv, 'a', sizeof(longv) - 1);
    longv[sizeof(longv) - 1] = 0;
    snprintf(hdr, sizeof(hdr), "Call-ID: %s\r\n", longv);
    expect_parse("SIP/2.0 200 OK\r\n", hdr, HDRS "\r\n", SIP_MSG_E_TOO_LONG);
    snprintf(hdr, sizeof(hdr), "Contact: <sip:%s@b>\r\n", longv);
    expect_parse("SIP/2.0 200 OK\r\n", hdr, HDRS "\r\n", SIP_MSG_E_TOO_LONG);
    snprintf(hdr, sizeof(hdr), "SIP/2.0 200 %s\r\n", longv);
    expect_parse(hdr, HDRS, "\r\n", SIP_MSG_E_TOO_LONG);
    /* longer than the header scratch buffer (2048): fine for a header we do not read ... */
    snprintf(hdr, sizeof(hdr), "X-Long: %s%s%s%s%s%s\r\n", longv, longv, longv, longv, longv, longv);
    expect_parse("SIP/2.0 200 OK\r\n", hdr, HDRS "\r\n", SIP_MSG_OK);
    /* ... and for a parameter of the Via we do not keep, but not for the branch we keep */
    snprintf(hdr, sizeof(hdr), "Via: SIP/2.0/UDP h;x=%s%s%s%s%s%s\r\n", longv, longv, longv, longv, longv, longv);
    expect_parse("SIP/2.0 200 OK\r\n", hdr, HDRS_NO_VIA "\r\n", SIP_MSG_OK);
    snprintf(hdr, sizeof(hdr), "Via: SIP/2.0/UDP h;branch=z9hG4bK%s\r\n", longv);
    expect_parse("SIP/2.0 200 OK\r\n", hdr, HDRS_NO_VIA "\r\n", SIP_MSG_E_TOO_LONG);
    ASSERT_MSG(rtcpm_sip_msg_parse_response(NULL, 5, NULL), SIP_MSG_E_INVALID);
}

/* Every prefix of a valid response that cuts into its headers is refused, and none reads
 * past its end (valgrind / ASan watch the heap copy). */
static void test_parse_prefixes(void)
{
    size_t len = strlen(OK_200), headers = (size_t)(strstr(OK_200, "\r\n\r\n") - OK_200) + 4, i;
    struct sip_response r;
    int ok = 0;

    for (i = 0; i <= len; i++)
    {
        char *copy = malloc(i ? i : 1);
        int rc;
        CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
        memcpy(copy, OK_200, i);
        rc = rtcpm_sip_msg_parse_response(copy, i, &r);
        if (i < headers) CU_ASSERT_NOT_EQUAL(rc, SIP_MSG_OK);
        if (i >= headers && i < len) CU_ASSERT_EQUAL(rc, SIP_MSG_E_LENGTH);
        if (rc == SIP_MSG_OK) ok++;
        free(copy);
    }
    CU_ASSERT_EQUAL(ok, 1);
}

static void expect_sdp(const char *sdp, int want, const char *rtp, const char *rtcp)
{
    rtcpm_addr a, b;
    char ta[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], tb[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    int rc = rtcpm_sip_msg_parse_sdp_audio(sdp, strlen(sdp), &a, &b);
    if (rc != want) printf("\n  for:\n%s\n", sdp);
    ASSERT_MSG(rc, want);
    if (rc != SIP_MSG_OK)
    {
        CU_ASSERT_EQUAL(a.family, RTCPM_AF_NONE);
        CU_ASSERT_EQUAL(b.family, RTCPM_AF_NONE);
        return;
    }
    rtcpm_addr_format_hostport(&a, ta, sizeof(ta));
    rtcpm_addr_format_hostport(&b, tb, sizeof(tb));
    CU_ASSERT_STRING_EQUAL(ta, rtp);
    CU_ASSERT_STRING_EQUAL(tb, rtcp);
}

static void test_sdp_audio(void)
{
    /* sipp's answer in the e2e tests */
    expect_sdp("v=0\r\no=peer 1 1 IN IP4 198.19.1.2\r\ns=-\r\nc=IN IP4 198.19.1.2\r\nt=0 0\r\n"
               "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtcp:40001\r\n",
               SIP_MSG_OK, "198.19.1.2:40000", "198.19.1.2:40001");
    /* media-level c= wins; a=rtcp with its own address (RFC 3605) */
    expect_sdp("v=0\nc=IN IP4 192.0.2.1\nm=audio 5004 RTP/AVP 0\nc=IN IP4 192.0.2.2\n"
               "a=rtcp:6000 IN IP4 192.0.2.3\n",
               SIP_MSG_OK, "192.0.2.2:5004", "192.0.2.3:6000");
    /* no a=rtcp: RTP + 1; IPv6 */
    expect_sdp("v=0\r\nc=IN IP6 2001:db8::2\r\nm=audio 49170 RTP/AVP 0\r\n", SIP_MSG_OK, "[2001:db8::2]:49170",
               "[2001:db8::2]:49171");
    /* video first, then audio; a second audio stream and a later c= are not ours */
    expect_sdp("v=0\nm=video 7000 RTP/AVP 34\nc=IN IP4 192.0.2.9\na=rtcp:9\nm=audio 8000 RTP/AVP 0\n"
               "c=IN IP4 192.0.2.8\nm=audio 9000 RTP/AVP 0\nc=IN IP4 192.0.2.7\na=rtcp:9999\n",
               SIP_MSG_OK, "192.0.2.8:8000", "192.0.2.8:8001");
    expect_sdp("m=audio 8000/2 RTP/AVP 0\r\nc=IN IP4 192.0.2.8\r\n", SIP_MSG_OK, "192.0.2.8:8000", "192.0.2.8:8001");
    /* refused */
    expect_sdp("v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 0 RTP/AVP 0\r\n", SIP_MSG_E_SDP, NULL, NULL);
    expect_sdp("v=0\r\nc=IN IP4 192.0.2.1\r\nm=video 5000 RTP/AVP 34\r\n", SIP_MSG_E_SDP, NULL, NULL);
    expect_sdp("v=0\r\nm=audio 5000 RTP/AVP 0\r\n", SIP_MSG_E_SDP, NULL, NULL);
    expect_sdp("v=0\r\nc=IN IP4 2001:db8::1\r\nm=audio 5000 RTP/AVP 0\r\n", SIP_MSG_E_SDP, NULL, NULL);
    expect_sdp("v=0\r\nc=IN IP6 192.0.2.1\r\nm=audio 5000 RTP/AVP 0\r\n", SIP_MSG_E_SDP, NULL, NULL);
    expect_sdp("v=0\r\nc=IN IP4 example.com\r\nm=audio 5000 RTP/AVP 0\r\n", SIP_MSG_E_SDP, NULL, NULL);
    expect_sdp("v=0\r\nc=IN IP4 224.2.1.1/127\r\nm=audio 5000 RTP/AVP 0\r\n", SIP_MSG_E_SDP, NULL, NULL);
    expect_sdp("v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 65536 RTP/AVP 0\r\n", SIP_MSG_E_SDP, NULL, NULL);
    expect_sdp("v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 65535 RTP/AVP 0\r\n", SIP_MSG_E_SDP, NULL, NULL);
    expect_sdp("v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio x RTP/AVP 0\r\n", SIP_MSG_E_SDP, NULL, NULL);
    expect_sdp("v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 5000 RTP/AVP 0\r\na=rtcp:0\r\n", SIP_MSG_E_SDP, NULL, NULL);
    expect_sdp("v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 5000 RTP/AVP 0\r\na=rtcp:5001 IN IP4\r\n", SIP_MSG_E_SDP, NULL,
               NULL);
    expect_sdp("", SIP_MSG_E_SDP, NULL, NULL);
}

static void test_domain_uri(void)
{
    char buf[64];
    ASSERT_MSG(rtcpm_sip_msg_domain_uri("sip:alice@example.com", buf, sizeof(buf)), SIP_MSG_OK);
    CU_ASSERT_STRING_EQUAL(buf, "sip:example.com");
    ASSERT_MSG(rtcpm_sip_msg_domain_uri("sips:alice@example.com:5061;transport=tls?x=y", buf, sizeof(buf)), SIP_MSG_OK);
    CU_ASSERT_STRING_EQUAL(buf, "sips:example.com:5061");
    ASSERT_MSG(rtcpm_sip_msg_domain_uri("sip:[2001:db8::1]:5060", buf, sizeof(buf)), SIP_MSG_OK);
    CU_ASSERT_STRING_EQUAL(buf, "sip:[2001:db8::1]:5060");
    ASSERT_MSG(rtcpm_sip_msg_domain_uri("sip:alice@", buf, sizeof(buf)), SIP_MSG_E_INVALID);
    CU_ASSERT_STRING_EQUAL(buf, "");
    ASSERT_MSG(rtcpm_sip_msg_domain_uri("alice@example.com", buf, sizeof(buf)), SIP_MSG_E_INVALID);
    ASSERT_MSG(rtcpm_sip_msg_domain_uri(":alice@example.com", buf, sizeof(buf)), SIP_MSG_E_INVALID);
    ASSERT_MSG(rtcpm_sip_msg_domain_uri("sip:alice@example.com", buf, 15), SIP_MSG_E_BUFFER);
    CU_ASSERT_STRING_EQUAL(buf, "");
    ASSERT_MSG(rtcpm_sip_msg_domain_uri("sip:alice@example.com", buf, 16), SIP_MSG_OK);
}

static CU_TestInfo tests[] = {
    { "register_text", test_register_text },
    { "invite_ack_bye_text", test_invite_ack_bye_text },
    { "build_refuses", test_build_refuses },
    { "build_buffer_bounds", test_build_buffer_bounds },
    { "parse_200", test_parse_200 },
    { "parse_forms", test_parse_forms },
    { "parse_malformed", test_parse_malformed },
    { "parse_prefixes", test_parse_prefixes },
    { "sdp_audio", test_sdp_audio },
    { "domain_uri", test_domain_uri },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("sip_msg", tests, argc, argv); }
