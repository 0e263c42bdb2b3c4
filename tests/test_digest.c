/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_digest.c — MD5 (RFC 1321's test suite, chunked updates) and digest authentication:
 * RFC 2617 section 3.5's worked example, answers without qop and with MD5-sess computed by
 * hand from the RFC's formulas, the Authorization line byte for byte, challenge parsing
 * (forms, escapes, unknown parameters, stale, auth-int only, other schemes, malformed).
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "sip/digest.h"
#include "sip/md5.h"

static void test_md5_rfc1321(void)
{
    static const struct
    {
        const char *in, *hex;
    } v[] = {
        { "", "d41d8cd98f00b204e9800998ecf8427e" },
        { "a", "0cc175b9c0f1b6a831c399e269772661" },
        { "abc", "900150983cd24fb0d6963f7d28e17f72" },
        { "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
        { "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
        { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f" },
        { "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
          "57edf4a22be3c955ac49da2e2107b67a" },
    };
    char hex[33];
    size_t i;
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
    {
        rtcpm_md5_hex(v[i].in, strlen(v[i].in), hex);
        CU_ASSERT_STRING_EQUAL(hex, v[i].hex);
    }
}

/* The same digest whatever the update boundaries (55, 56, 63, 64, 65 bytes: padding edges). */
static void test_md5_chunks(void)
{
    unsigned char data[300], one[16], split[16];
    size_t len, cut;
    for (len = 0; len < sizeof(data); len++) data[len] = (unsigned char)(len * 7 + 3);
    for (len = 50; len < 140; len++)
    {
        struct rtcpm_md5 c;
        rtcpm_md5_init(&c);
        rtcpm_md5_update(&c, data, len);
        rtcpm_md5_final(&c, one);
        for (cut = 0; cut <= len; cut += 13)
        {
            rtcpm_md5_init(&c);
            rtcpm_md5_update(&c, data, cut);
            rtcpm_md5_update(&c, data + cut, len - cut);
            rtcpm_md5_final(&c, split);
            CU_ASSERT_EQUAL(memcmp(one, split, 16), 0);
        }
    }
}

/* RFC 2617 section 3.5. */
static const char RFC2617_CHALLENGE[] = "Digest\r\n                 realm=\"testrealm@host.com\",\r\n"
                                        "                 qop=\"auth,auth-int\",\r\n"
                                        "                 nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n"
                                        "                 opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

static void test_rfc2617_example(void)
{
    struct rtcpm_digest_challenge c;
    struct rtcpm_digest_answer a = { 0, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", 1, "0a4f113b" };
    char response[33], line[1024];
    size_t n;

    CU_ASSERT_EQUAL(rtcpm_digest_parse_challenge(RFC2617_CHALLENGE, strlen(RFC2617_CHALLENGE), &c), RTCPM_DIGEST_OK);
    CU_ASSERT_STRING_EQUAL(c.realm, "testrealm@host.com");
    CU_ASSERT_STRING_EQUAL(c.nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
    CU_ASSERT_STRING_EQUAL(c.opaque, "5ccc069c403ebaf9f0171e9517f40e41");
    CU_ASSERT_EQUAL(c.has_opaque, 1);
    CU_ASSERT_EQUAL(c.qop_auth, 1);
    CU_ASSERT_EQUAL(c.md5_sess, 0);
    CU_ASSERT_EQUAL(c.stale, 0);
    CU_ASSERT_EQUAL(rtcpm_digest_response(&c, &a, response), RTCPM_DIGEST_OK);
    CU_ASSERT_STRING_EQUAL(response, "6629fae49393a05397450978507c4ef1");
    CU_ASSERT_EQUAL(rtcpm_digest_authorization(&c, &a, line, sizeof(line), &n), RTCPM_DIGEST_OK);
    CU_ASSERT_STRING_EQUAL(line,
                           "Authorization: Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                           "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", "
                           "response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, "
                           "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", qop=auth, nc=00000001, cnonce=\"0a4f113b\"");
    CU_ASSERT_EQUAL(n, strlen(line));
    /* one byte short of the line: a buffer error and nothing half-written */
    CU_ASSERT_EQUAL(rtcpm_digest_authorization(&c, &a, line, n, NULL), RTCPM_DIGEST_E_BUFFER);
    CU_ASSERT_STRING_EQUAL(line, "");
    /* nc is 8LHEX: lowercase */
    a.nc = 0x1a;
    CU_ASSERT_EQUAL(rtcpm_digest_authorization(&c, &a, line, sizeof(line), NULL), RTCPM_DIGEST_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "nc=0000001a, "));
}

/* HA1, HA2 and the response built by hand with MD5 over the RFC 2617 formulas. */
static void hex_of(const char *text, char out[33]) { rtcpm_md5_hex(text, strlen(text), out); }

static void test_no_qop_and_sess(void)
{
    static const char ch[] = "Digest realm=\"sip.example.com\", nonce=\"abc123\"";
    static const char sess[] = "Digest realm=\"sip.example.com\", nonce=\"abc123\", algorithm=MD5-sess, qop=auth";
    struct rtcpm_digest_challenge c;
    struct rtcpm_digest_answer a = { 1, "alice", "secret", "REGISTER", "sip:example.com", 2, "c0ffee" };
    char ha1[33], ha2[33], want[33], got[33], text[256], line[512];

    CU_ASSERT_EQUAL(rtcpm_digest_parse_challenge(ch, strlen(ch), &c), RTCPM_DIGEST_OK);
    CU_ASSERT_EQUAL(c.qop_auth, 0);
    hex_of("alice:sip.example.com:secret", ha1);
    hex_of("REGISTER:sip:example.com", ha2);
    snprintf(text, sizeof(text), "%s:abc123:%s", ha1, ha2);
    hex_of(text, want);
    CU_ASSERT_EQUAL(rtcpm_digest_response(&c, &a, got), RTCPM_DIGEST_OK);
    CU_ASSERT_STRING_EQUAL(got, want);
    CU_ASSERT_EQUAL(rtcpm_digest_authorization(&c, &a, line, sizeof(line), NULL), RTCPM_DIGEST_OK);
    snprintf(text, sizeof(text),
             "Proxy-Authorization: Digest username=\"alice\", realm=\"sip.example.com\", nonce=\"abc123\", "
             "uri=\"sip:example.com\", response=\"%s\", algorithm=MD5",
             want);
    CU_ASSERT_STRING_EQUAL(line, text);

    CU_ASSERT_EQUAL(rtcpm_digest_parse_challenge(sess, strlen(sess), &c), RTCPM_DIGEST_OK);
    CU_ASSERT_EQUAL(c.md5_sess, 1);
    snprintf(text, sizeof(text), "%s:abc123:c0ffee", ha1);
    hex_of(text, ha1);
    snprintf(text, sizeof(text), "%s:abc123:00000002:c0ffee:auth:%s", ha1, ha2);
    hex_of(text, want);
    CU_ASSERT_EQUAL(rtcpm_digest_response(&c, &a, got), RTCPM_DIGEST_OK);
    CU_ASSERT_STRING_EQUAL(got, want);
    CU_ASSERT_EQUAL(rtcpm_digest_authorization(&c, &a, line, sizeof(line), NULL), RTCPM_DIGEST_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "algorithm=MD5-sess, qop=auth, nc=00000002, cnonce=\"c0ffee\""));
}

static void expect_challenge(const char *text, int want)
{
    struct rtcpm_digest_challenge c;
    int rc = rtcpm_digest_parse_challenge(text, strlen(text), &c);
    if (rc != want)
        printf("\n  %s: got %s want %s\n", text, rtcpm_digest_error_name(rc), rtcpm_digest_error_name(want));
    CU_ASSERT_EQUAL(rc, want);
    if (rc) CU_ASSERT_STRING_EQUAL(c.nonce, "");
}

static void test_challenge_forms(void)
{
    struct rtcpm_digest_challenge c;
    static const char odd[] = "digest NONCE = tok123 ,realm=\"a \\\"q\\\" b\",stale=TRUE,Algorithm=md5,"
                              "domain=\"sip:x sip:y\",x-unknown=\"a,b\",nonce=\"second\",qop=\"auth-int, auth\"";
    CU_ASSERT_EQUAL(rtcpm_digest_parse_challenge(odd, strlen(odd), &c), RTCPM_DIGEST_OK);
    CU_ASSERT_STRING_EQUAL(c.nonce, "tok123"); /* the first one counts */
    CU_ASSERT_STRING_EQUAL(c.realm, "a \"q\" b");
    CU_ASSERT_EQUAL(c.stale, 1);
    CU_ASSERT_EQUAL(c.has_algorithm, 1);
    CU_ASSERT_EQUAL(c.qop_auth, 1);
    CU_ASSERT_EQUAL(c.has_opaque, 0);
    expect_challenge("Digest realm=\"r\", nonce=\"n\"", RTCPM_DIGEST_OK);
    expect_challenge("Digest realm=\"\", nonce=\"n\"", RTCPM_DIGEST_OK); /* an empty realm is a realm */
    expect_challenge("Basic realm=\"r\"", RTCPM_DIGEST_E_NOT_DIGEST);
    expect_challenge("NTLM", RTCPM_DIGEST_E_NOT_DIGEST);
    expect_challenge("Digestrealm=\"r\", nonce=\"n\"", RTCPM_DIGEST_E_NOT_DIGEST);
    expect_challenge("", RTCPM_DIGEST_E_NOT_DIGEST);
    expect_challenge("Digest", RTCPM_DIGEST_E_SYNTAX);
    expect_challenge("Digest realm=\"r\"", RTCPM_DIGEST_E_SYNTAX);
    expect_challenge("Digest nonce=\"n\"", RTCPM_DIGEST_E_SYNTAX);
    expect_challenge("Digest realm=\"r\", nonce=\"\"", RTCPM_DIGEST_E_SYNTAX);
    expect_challenge("Digest realm=\"r\" nonce=\"n\"", RTCPM_DIGEST_E_SYNTAX);
    expect_challenge("Digest realm=\"r, nonce=\"n\"", RTCPM_DIGEST_E_SYNTAX);
    expect_challenge("Digest realm=, nonce=\"n\"", RTCPM_DIGEST_E_SYNTAX);
    expect_challenge("Digest =\"r\", nonce=\"n\"", RTCPM_DIGEST_E_SYNTAX);
    expect_challenge("Digest realm=\"r\", nonce=\"n\",", RTCPM_DIGEST_OK); /* a trailing comma */
    expect_challenge("Digest realm=\"a\\", RTCPM_DIGEST_E_SYNTAX);
    expect_challenge("Digest realm=\"a\001\", nonce=\"n\"", RTCPM_DIGEST_E_SYNTAX);
    expect_challenge("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256", RTCPM_DIGEST_E_UNSUPPORTED);
    expect_challenge("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"", RTCPM_DIGEST_E_UNSUPPORTED);
    {
        char big[600];
        snprintf(big, sizeof(big), "Digest realm=\"r\", nonce=\"%0300d\"", 7);
        expect_challenge(big, RTCPM_DIGEST_E_TOO_LONG);
    }
}

static void test_answer_refusals(void)
{
    struct rtcpm_digest_challenge c;
    struct rtcpm_digest_answer a = { 0, "alice", "pw", "REGISTER", "sip:example.com", 1, "cn" };
    char out[33], line[512];
    static const char ch[] = "Digest realm=\"r\", nonce=\"n\", qop=auth";
    CU_ASSERT_EQUAL(rtcpm_digest_parse_challenge(ch, strlen(ch), &c), RTCPM_DIGEST_OK);
    a.username = "al\r\nice";
    CU_ASSERT_EQUAL(rtcpm_digest_response(&c, &a, out), RTCPM_DIGEST_E_INVALID);
    a.username = "al\"i\\ce";
    CU_ASSERT_EQUAL(rtcpm_digest_authorization(&c, &a, line, sizeof(line), NULL), RTCPM_DIGEST_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "username=\"al\\\"i\\\\ce\""));
    a.cnonce = NULL;
    CU_ASSERT_EQUAL(rtcpm_digest_response(&c, &a, out), RTCPM_DIGEST_E_INVALID);
    a.cnonce = "c\"n";
    CU_ASSERT_EQUAL(rtcpm_digest_response(&c, &a, out), RTCPM_DIGEST_E_INVALID);
    a.cnonce = "cn";
    a.password = NULL;
    CU_ASSERT_EQUAL(rtcpm_digest_response(&c, &a, out), RTCPM_DIGEST_E_INVALID);
    CU_ASSERT_EQUAL(rtcpm_digest_parse_challenge(NULL, 3, &c), RTCPM_DIGEST_E_INVALID);
    CU_ASSERT_EQUAL(rtcpm_digest_parse_challenge(ch, 3, NULL), RTCPM_DIGEST_E_INVALID);
}

static CU_TestInfo tests[] = {
    { "md5_rfc1321", test_md5_rfc1321 },
    { "md5_chunks", test_md5_chunks },
    { "rfc2617_example", test_rfc2617_example },
    { "no_qop_and_sess", test_no_qop_and_sess },
    { "challenge_forms", test_challenge_forms },
    { "answer_refusals", test_answer_refusals },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("digest", tests, argc, argv); }
