/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_provision.c — the RTC provisioning document (src/sip/provision.c): Microsoft's
 * documented sample profiles field by field, then the matrix: malformed XML, every missing
 * or duplicate element and attribute, bad values, misplaced <session>, a huge document, NUL
 * bytes, non-UTF-8 — each with its documented RTC_E_* code.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/provision.h"
#include "sip/xml.h"

/* Microsoft's "Profile for PC-PC, PC-Phone, or IM Sessions" (uri without sip:, as written). */
static const char AMUN[] =
    "<provision key=\"de500844-e074-47fd-9e53-a51d63e5f51d\" name=\"Amun\">\n"
    "  <user account=\"1234567\" password=\"notfornow\" uri=\"someone@example.com\" />\n"
    "  <sipsrv addr=\"amun1.sales.example.com\" protocol=\"UDP\" auth=\"digest\" role=\"proxy\">\n"
    "    <session party=\"first\" type=\"pc2pc\" />\n"
    "    <session party=\"first\" type=\"pc2ph\" />\n"
    "    <session party=\"first\" type=\"im\" />\n"
    "  </sipsrv>\n"
    "  <sipsrv addr=\"amun1.sales.example.com\" protocol=\"UDP\" auth=\"digest\" role=\"registrar\" />\n"
    "</provision>\n";

/* Microsoft's phone-phone sample (eDial): accesscontrol, tls, basic, third party. */
static const char EDIAL[] =
    "<provision key=\"ed0fdf0c-cc35-4d8e-bb5d-7125e4618fa2\" name=\"eDial\">\n"
    "  <user account=\"999999\" password=\"RTCRocks!\" uri=\"someone@example.com\" />\n"
    "  <accesscontrol domain=\"mydomain.com\" sig=\"unique signature provided by Microsoft\" />\n"
    "  <sipsrv addr=\"sip.mydomain.com:443\" protocol=\"tls\" auth=\"basic\" role=\"proxy\">\n"
    "    <session party=\"third\" type=\"ph2ph\" />\n"
    "  </sipsrv>\n"
    "  <sipsrv addr=\"sip.mydomain.com:443\" protocol=\"tls\" auth=\"basic\" role=\"registrar\" />\n"
    "</provision>\n";

static struct rtcpm_provision *parse_ok(const char *xml)
{
    struct rtcpm_provision *p = NULL;
    HRESULT hr = rtcpm_provision_parse(xml, strlen(xml), &p);
    if (hr != S_OK) printf("\n  0x%08X for:\n%s\n", (unsigned)hr, xml);
    CU_ASSERT_EQUAL(hr, S_OK);
    return p;
}

static void expect_n(const char *xml, size_t len, HRESULT want)
{
    struct rtcpm_provision *p = (struct rtcpm_provision *)1;
    HRESULT hr = rtcpm_provision_parse(xml, len, &p);
    if (hr != want) printf("\n  got 0x%08X, want 0x%08X for:\n%.*s\n", (unsigned)hr, (unsigned)want, (int)len, xml);
    CU_ASSERT_EQUAL(hr, want);
    if (FAILED(want)) CU_ASSERT_PTR_NULL(p);
    if (SUCCEEDED(want)) CU_ASSERT_PTR_NOT_NULL(p);
    if (p != (struct rtcpm_provision *)1) rtcpm_provision_free(p);
}

static void expect(const char *xml, HRESULT want) { expect_n(xml, strlen(xml), want); }

/* AMUN with the first `from` replaced by `to`. */
static void expect_amun(const char *from, const char *to, HRESULT want)
{
    char buf[4096];
    const char *at = strstr(AMUN, from);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - AMUN), AMUN, to, at + strlen(from));
    expect(buf, want);
}

static void test_sample_amun(void)
{
    struct rtcpm_provision *p = parse_ok(AMUN);
    const struct rtcpm_provision_server *s;
    if (!p) return;
    CU_ASSERT_STRING_EQUAL(p->key, "de500844-e074-47fd-9e53-a51d63e5f51d");
    CU_ASSERT_STRING_EQUAL(p->name, "Amun");
    CU_ASSERT_PTR_NULL(p->expires);
    CU_ASSERT_STRING_EQUAL(p->user_uri, "sip:someone@example.com");
    CU_ASSERT_STRING_EQUAL(p->user_account, "1234567");
    CU_ASSERT_STRING_EQUAL(p->user_password, "notfornow");
    CU_ASSERT_PTR_NULL(p->user_name);
    CU_ASSERT_PTR_NULL(p->user_realm);
    CU_ASSERT_EQUAL(p->allowed_auth_present, 0);
    CU_ASSERT_EQUAL(p->server_count, 2);
    CU_ASSERT_PTR_EQUAL(p->proxy, &p->servers[0]);
    CU_ASSERT_PTR_EQUAL(p->registrar, &p->servers[1]);
    s = &p->servers[0];
    CU_ASSERT_STRING_EQUAL(s->addr, "amun1.sales.example.com");
    CU_ASSERT_STRING_EQUAL(s->host, "amun1.sales.example.com");
    CU_ASSERT_EQUAL(s->port, 0);
    CU_ASSERT_EQUAL(s->is_ip, 0);
    CU_ASSERT_EQUAL(s->transport, RTCTR_UDP);
    CU_ASSERT_EQUAL(s->auth, RTCAU_DIGEST);
    CU_ASSERT_EQUAL(s->role, RTCPM_PROVISION_ROLE_PROXY);
    CU_ASSERT_EQUAL(s->session_count, 3);
    CU_ASSERT_EQUAL(s->sessions[0].party, RTCPM_PROVISION_PARTY_FIRST);
    CU_ASSERT_EQUAL(s->sessions[0].type, RTCSI_PC_TO_PC);
    CU_ASSERT_EQUAL(s->sessions[1].type, RTCSI_PC_TO_PHONE);
    CU_ASSERT_EQUAL(s->sessions[2].type, RTCSI_IM);
    CU_ASSERT_EQUAL(p->servers[1].role, RTCPM_PROVISION_ROLE_REGISTRAR);
    CU_ASSERT_EQUAL(p->servers[1].session_count, 0);
    CU_ASSERT_EQUAL(p->session_capabilities, RTCSI_PC_TO_PC | RTCSI_PC_TO_PHONE | RTCSI_IM);
    CU_ASSERT_EQUAL(p->has_client, 0);
    CU_ASSERT_EQUAL(p->has_provider, 0);
    rtcpm_provision_free(p);
}

static void test_sample_edial(void)
{
    struct rtcpm_provision *p = parse_ok(EDIAL);
    if (!p) return;
    CU_ASSERT_EQUAL(p->server_count, 2);
    CU_ASSERT_STRING_EQUAL(p->servers[0].host, "sip.mydomain.com");
    CU_ASSERT_EQUAL(p->servers[0].port, 443);
    CU_ASSERT_EQUAL(p->servers[0].transport, RTCTR_TLS);
    CU_ASSERT_EQUAL(p->servers[0].auth, RTCAU_BASIC);
    CU_ASSERT_EQUAL(p->servers[0].sessions[0].party, RTCPM_PROVISION_PARTY_THIRD);
    CU_ASSERT_EQUAL(p->session_capabilities, RTCSI_PHONE_TO_PHONE);
    rtcpm_provision_free(p);
}

static void test_full_profile(void)
{
    struct rtcpm_provision *p = parse_ok(
        "<?xml version=\"1.0\"?>\n"
        "<provision key=\"k&amp;1\" name=\"N\" expires=\"2030-01-01T00:00:00Z\">\n"
        " <user uri=\"SIP:alice@example.com\" account=\"alice\" name=\"Alice &#x00E9;\" password=\"p&lt;w\""
        "  realm=\"example.com\" allowedauth=\"digest, NTLM kerberos\"/>\n"
        " <sipsrv addr=\"[2001:db8::1]:5070\" protocol=\"TCP\" role=\"Registrar\"/>\n"
        " <sipsrv addr=\"198.18.0.1\" protocol=\"udp\" role=\"proxy\"><session party=\"FIRST\" type=\"multiparty\"/>"
        "  <session party=\"first\" type=\"application\"/></sipsrv>\n"
        " <client name=\"c\" banner=\"TRUE\" minver=\"1.0\" curver=\"1.2\" updateuri=\"http://x/\"><data>d&amp;</data>"
        " </client>\n"
        " <provider name=\"P\" homepage=\"h\" helpdesk=\"hd\" personal=\"pe\" calldisplay=\"cd\" idledisplay=\"id\">"
        "<data><x a='1'/></data></provider>\n"
        " <presence/>\n"
        "</provision>");
    if (!p) return;
    CU_ASSERT_STRING_EQUAL(p->key, "k&1");
    CU_ASSERT_STRING_EQUAL(p->expires, "2030-01-01T00:00:00Z");
    CU_ASSERT_STRING_EQUAL(p->user_uri, "sip:alice@example.com");
    CU_ASSERT_STRING_EQUAL(p->user_name, "Alice \xC3\xA9");
    CU_ASSERT_STRING_EQUAL(p->user_password, "p<w");
    CU_ASSERT_STRING_EQUAL(p->user_realm, "example.com");
    CU_ASSERT_EQUAL(p->allowed_auth, RTCAU_DIGEST | RTCAU_NTLM | RTCAU_KERBEROS);
    CU_ASSERT_EQUAL(p->allowed_auth_present, 1);
    CU_ASSERT_STRING_EQUAL(p->servers[0].host, "2001:db8::1");
    CU_ASSERT_EQUAL(p->servers[0].port, 5070);
    CU_ASSERT_EQUAL(p->servers[0].is_ip, 1);
    CU_ASSERT_EQUAL(p->servers[0].ip.family, RTCPM_AF_INET6);
    CU_ASSERT_EQUAL(p->servers[0].ip.port, 5070);
    CU_ASSERT_EQUAL(p->servers[0].transport, RTCTR_TCP);
    CU_ASSERT_EQUAL(p->servers[0].auth, 0);
    CU_ASSERT_PTR_EQUAL(p->registrar, &p->servers[0]);
    CU_ASSERT_PTR_EQUAL(p->proxy, &p->servers[1]);
    CU_ASSERT_EQUAL(p->servers[1].is_ip, 1);
    CU_ASSERT_EQUAL(p->servers[1].ip.family, RTCPM_AF_INET);
    CU_ASSERT_EQUAL(p->servers[1].port, 0);
    CU_ASSERT_EQUAL(p->session_capabilities, RTCSI_MULTIPARTY_IM | RTCSI_APPLICATION);
    CU_ASSERT_EQUAL(p->has_client, 1);
    CU_ASSERT_STRING_EQUAL(p->client_name, "c");
    CU_ASSERT_EQUAL(p->client_banner, 1);
    CU_ASSERT_STRING_EQUAL(p->client_minver, "1.0");
    CU_ASSERT_STRING_EQUAL(p->client_curver, "1.2");
    CU_ASSERT_STRING_EQUAL(p->client_updateuri, "http://x/");
    CU_ASSERT_STRING_EQUAL(p->client_data, "d&");
    CU_ASSERT_STRING_EQUAL(p->provider_name, "P");
    CU_ASSERT_STRING_EQUAL(p->provider_data, "<x a='1'/>");
    CU_ASSERT_STRING_EQUAL(p->provider_uri[RTCPM_PROVISION_URI_HOMEPAGE], "h");
    CU_ASSERT_STRING_EQUAL(p->provider_uri[RTCPM_PROVISION_URI_HELPDESK], "hd");
    CU_ASSERT_STRING_EQUAL(p->provider_uri[RTCPM_PROVISION_URI_PERSONAL], "pe");
    CU_ASSERT_STRING_EQUAL(p->provider_uri[RTCPM_PROVISION_URI_CALLDISPLAY], "cd");
    CU_ASSERT_STRING_EQUAL(p->provider_uri[RTCPM_PROVISION_URI_IDLEDISPLAY], "id");
    rtcpm_provision_free(p);
}

static void test_uri_forms(void)
{
    static const struct
    {
        const char *written, *stored;
    } ok[] = {
        { "alice@example.com", "sip:alice@example.com" },
        { "sip:alice@example.com", "sip:alice@example.com" },
        { "Sip:alice@example.com", "sip:alice@example.com" },
        { "sips:alice@example.com", "sips:alice@example.com" },
        { "sip:example.com", "sip:example.com" },
        { "alice@example.com:5060", "sip:alice@example.com:5060" },
    };
    static const char *const bad[] = { "tel:+15551234",      "sip:",   "sip:@example.com",
                                       "al ice@example.com", "alice@", "http://example.com/",
                                       "alice@exa\"mple.com" };
    char buf[1024];
    size_t i;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
    {
        struct rtcpm_provision *p;
        snprintf(buf, sizeof(buf),
                 "<provision key='k' name='n'><user uri='%s'/><sipsrv addr='a.example'"
                 " protocol='udp' role='registrar'/></provision>",
                 ok[i].written);
        p = parse_ok(buf);
        if (p) CU_ASSERT_STRING_EQUAL(p->user_uri, ok[i].stored);
        rtcpm_provision_free(p);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    {
        snprintf(buf, sizeof(buf),
                 "<provision key='k' name='n'><user uri='%s'/><sipsrv addr='a.example'"
                 " protocol='udp' role='registrar'/></provision>",
                 bad[i]);
        expect(buf, RTC_E_INVALID_SIP_URL);
    }
}

static void test_addr_forms(void)
{
    static const char *const ok[] = { "sip.example.com", "sip.example.com:5061",
                                      "1and1.example",   "example.com.",
                                      "198.18.0.1:5060", "[::1]",
                                      "2001:db8::2",     "localhost" };
    static const char *const bad[] = { "-a.example",        "a-.example",
                                       "a..example",        "1.2.3.999",
                                       "sip.example.com:0", "sip.example.com:65536",
                                       "sip.example.com:x", "[::1",
                                       "a_b.example",       "sip.example.com:5060:1",
                                       "sip example.com" };
    char buf[1024];
    size_t i;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
    {
        snprintf(buf, sizeof(buf),
                 "<provision key='k' name='n'><user uri='a@b'/><sipsrv addr='%s' protocol='udp'"
                 " role='registrar'/></provision>",
                 ok[i]);
        rtcpm_provision_free(parse_ok(buf));
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    {
        snprintf(buf, sizeof(buf),
                 "<provision key='k' name='n'><user uri='a@b'/><sipsrv addr='%s' protocol='udp'"
                 " role='registrar'/></provision>",
                 bad[i]);
        expect(buf, RTC_E_INVALID_PROXY_ADDRESS);
    }
}

static void test_missing(void)
{
    expect("<profile key='k' name='n'/>", RTC_E_PROFILE_NO_PROVISION);
    expect_amun(" key=\"de500844-e074-47fd-9e53-a51d63e5f51d\"", "", RTC_E_PROFILE_NO_KEY);
    expect_amun("key=\"de500844-e074-47fd-9e53-a51d63e5f51d\"", "key=''", RTC_E_PROFILE_NO_KEY);
    expect_amun(" name=\"Amun\"", "", RTC_E_PROFILE_NO_NAME);
    expect("<provision key='k' name='n'><sipsrv addr='a' protocol='udp' role='proxy'/></provision>",
           RTC_E_PROFILE_NO_USER);
    expect_amun(" uri=\"someone@example.com\"", "", RTC_E_PROFILE_NO_USER_URI);
    expect_amun("uri=\"someone@example.com\"", "uri=\"\"", RTC_E_PROFILE_NO_USER_URI);
    expect("<provision key='k' name='n'><user uri='a@b'/></provision>", RTC_E_PROFILE_NO_SERVER);
    expect_amun("addr=\"amun1.sales.example.com\" protocol=\"UDP\" auth=\"digest\" role=\"proxy\"",
                "protocol=\"UDP\" role=\"proxy\"", RTC_E_PROFILE_NO_SERVER_ADDRESS);
    expect_amun("addr=\"amun1.sales.example.com\"", "addr=''", RTC_E_PROFILE_NO_SERVER_ADDRESS);
    expect_amun(" protocol=\"UDP\"", "", RTC_E_PROFILE_NO_SERVER_PROTOCOL);
    expect_amun(" role=\"proxy\"", "", RTC_E_PROFILE_INVALID_SERVER_ROLE);
    expect_amun("party=\"first\" type=\"pc2pc\"", "type=\"pc2pc\"", RTC_E_PROFILE_INVALID_SESSION_PARTY);
    expect_amun("party=\"first\" type=\"pc2pc\"", "party=\"first\"", RTC_E_PROFILE_INVALID_SESSION_TYPE);
    /* optional ones may be missing */
    rtcpm_provision_free(
        parse_ok("<provision key='k' name='n'><user uri='a@b'/><sipsrv addr='a' protocol='udp' role='proxy'/>"
                 "</provision>"));
}

static void test_bad_values(void)
{
    expect_amun("protocol=\"UDP\"", "protocol=\"sctp\"", RTC_E_PROFILE_INVALID_SERVER_PROTOCOL);
    expect_amun("protocol=\"UDP\"", "protocol=\"\"", RTC_E_PROFILE_INVALID_SERVER_PROTOCOL);
    expect_amun("auth=\"digest\"", "auth=\"md5\"", RTC_E_PROFILE_INVALID_SERVER_AUTHMETHOD);
    expect_amun("auth=\"digest\"", "auth=\"\"", RTC_E_PROFILE_INVALID_SERVER_AUTHMETHOD);
    expect_amun("auth=\"digest\"", "auth=\"logon\"", RTC_E_PROFILE_INVALID_SERVER_AUTHMETHOD);
    expect_amun("role=\"proxy\"", "role=\"redirect\"", RTC_E_PROFILE_INVALID_SERVER_ROLE);
    expect_amun("party=\"first\"", "party=\"second\"", RTC_E_PROFILE_INVALID_SESSION_PARTY);
    expect_amun("type=\"pc2pc\"", "type=\"video\"", RTC_E_PROFILE_INVALID_SESSION_TYPE);
    expect_amun("password=\"notfornow\"", "allowedauth=\"digest telepathy\"", RTC_E_INVALID_PROFILE);
    expect_amun("password=\"notfornow\"", "allowedauth=\"\"", RTC_E_INVALID_PROFILE);
    expect_amun("password=\"notfornow\"", "allowedauth=\"0x100\"", RTC_E_INVALID_PROFILE);
    expect_amun("</provision>", "<client banner='maybe'/></provision>", RTC_E_INVALID_PROFILE);
}

static void test_duplicates(void)
{
    expect_amun("</provision>", "<sipsrv addr='b' protocol='udp' role='registrar'/></provision>",
                RTC_E_PROFILE_MULTIPLE_REGISTRARS);
    expect_amun("</provision>", "<user uri='b@c'/></provision>", RTC_E_INVALID_PROFILE);
    expect_amun("</provision>", "<client/><client/></provision>", RTC_E_INVALID_PROFILE);
    expect_amun("</provision>", "<provider/><provider/></provision>", RTC_E_INVALID_PROFILE);
    /* a duplicate attribute is not well-formed XML */
    expect_amun("name=\"Amun\"", "name=\"Amun\" name=\"x\"", RTC_E_MALFORMED_XML);
    expect_amun("role=\"proxy\"", "role=\"proxy\" role=\"registrar\"", RTC_E_MALFORMED_XML);
    /* two proxies are fine: the first is the proxy */
    expect_amun("</provision>", "<sipsrv addr='b' protocol='tcp' role='proxy'/></provision>", S_OK);
}

static void test_misplaced_session(void)
{
    expect_amun("</provision>", "<session party='first' type='im'/></provision>", RTC_E_PROFILE_INVALID_SESSION);
    expect_amun("password=\"notfornow\" uri=\"someone@example.com\" />",
                "password=\"notfornow\" uri=\"someone@example.com\"><session party='first' type='im'/></user>",
                RTC_E_PROFILE_INVALID_SESSION);
}

static void test_malformed(void)
{
    static const char nul[] = "<provision key='k' name='n'>\0<user uri='a@b'/></provision>";
    expect("", RTC_E_MALFORMED_XML);
    expect("not xml", RTC_E_MALFORMED_XML);
    expect_amun("</provision>", "", RTC_E_MALFORMED_XML);
    expect_amun("</provision>", "</Provision>", RTC_E_MALFORMED_XML);
    expect_amun("notfornow", "not&for;now", RTC_E_MALFORMED_XML);
    expect_amun("notfornow", "not<now", RTC_E_MALFORMED_XML);
    expect_amun("Amun", "Am\xE9n", RTC_E_MALFORMED_XML);   /* Latin-1, not UTF-8 */
    expect_amun("Amun", "Am\xC3\xA9n", S_OK);              /* the same in UTF-8 */
    expect_n(nul, sizeof(nul) - 1, RTC_E_MALFORMED_XML);   /* a NUL byte inside */
    expect_n(AMUN, strlen(AMUN) + 1, RTC_E_MALFORMED_XML); /* the terminating NUL counted */
    expect("<!DOCTYPE provision [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><provision key='&x;' name='n'/>",
           RTC_E_MALFORMED_XML);
    expect_amun("</provision>", "</provision><provision/>", RTC_E_MALFORMED_XML);
}

static void test_huge(void)
{
    size_t n = RTCPM_XML_MAX_SIZE + 64, len;
    char *buf = malloc(n + 1);
    struct rtcpm_provision *p;
    /* a big but acceptable document: padding in a comment */
    len = (size_t)snprintf(buf, n, "<provision key='k' name='n'><user uri='a@b'/><!--");
    memset(buf + len, 'x', RTCPM_XML_MAX_SIZE - len - 80);
    len = RTCPM_XML_MAX_SIZE - 80;
    len += (size_t)snprintf(buf + len, n - len, "--><sipsrv addr='a' protocol='udp' role='proxy'/></provision>");
    CU_ASSERT_EQUAL(rtcpm_provision_parse(buf, len, &p), S_OK);
    rtcpm_provision_free(p);
    /* past the limit */
    memset(buf + 40, ' ', n - 40);
    expect_n(buf, n, RTC_E_MALFORMED_XML);
    free(buf);
}

static void test_bad_args(void)
{
    struct rtcpm_provision *p;
    CU_ASSERT_EQUAL(rtcpm_provision_parse(AMUN, strlen(AMUN), NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_provision_parse(NULL, 5, &p), E_POINTER);
    CU_ASSERT_PTR_NULL(p);
    CU_ASSERT_EQUAL(rtcpm_provision_parse(NULL, 0, &p), RTC_E_MALFORMED_XML);
    rtcpm_provision_free(NULL);
    CU_ASSERT_EQUAL(rtcpm_provision_transport_from_name("Tcp"), RTCTR_TCP);
    CU_ASSERT_EQUAL(rtcpm_provision_transport_from_name("x"), 0);
    CU_ASSERT_EQUAL(rtcpm_provision_transport_from_name(NULL), 0);
}

/* The documented values (mingw-w64's rtcerr.h, Microsoft's RTC_E_ constants page). */
static void test_codes(void)
{
    CU_ASSERT_EQUAL((unsigned)RTC_E_MALFORMED_XML, 0x80EE004Cu);
    CU_ASSERT_EQUAL((unsigned)RTC_E_PROFILE_NO_PROVISION, 0x80EE002Fu);
    CU_ASSERT_EQUAL((unsigned)RTC_E_PROFILE_NO_USER_URI, 0x80EE0033u);
    CU_ASSERT_EQUAL((unsigned)RTC_E_PROFILE_NO_SERVER, 0x80EE0034u);
    CU_ASSERT_EQUAL((unsigned)RTC_E_PROFILE_MULTIPLE_REGISTRARS, 0x80EE003Au);
    CU_ASSERT_EQUAL((unsigned)RTC_E_PROFILE_INVALID_SESSION_TYPE, 0x80EE003Du);
}

static CU_TestInfo tests[] = {
    { "sample_amun", test_sample_amun },
    { "sample_edial", test_sample_edial },
    { "full_profile", test_full_profile },
    { "uri_forms", test_uri_forms },
    { "addr_forms", test_addr_forms },
    { "missing", test_missing },
    { "bad_values", test_bad_values },
    { "duplicates", test_duplicates },
    { "misplaced_session", test_misplaced_session },
    { "malformed", test_malformed },
    { "huge", test_huge },
    { "bad_args", test_bad_args },
    { "codes", test_codes },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("provision", tests, argc, argv); }
