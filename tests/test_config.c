/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_config.c — the INI reader (events, comments, line endings, exact file:line errors),
 * the shared value parsers, address prefixes, and the static port manager's config: every
 * kind of mistake with its exact message, all-or-nothing loading, the shipped samples.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "com/bstr_util.h"
#include "pm/config.h"
#include "pm/prefix.h"
#include "com/com.h" /* ARRAY_SIZE */

#ifndef RTCPM_SAMPLES_DIR
#error "RTCPM_SAMPLES_DIR must name the samples/ folder"
#endif

/* ---- the reader ---- */

struct events
{
    char log[1024];
    int fail_key_line; /* key callback fails (blaming line 1) on this line */
};

static void ev_add(struct events *ev, const char *fmt, const char *a, const char *b, int line)
{
    size_t n = strlen(ev->log);
    snprintf(ev->log + n, sizeof(ev->log) - n, fmt, a, b, line);
}

static int ev_section(void *ctx, const char *name, const char *arg, struct rtcpm_ini_error *e)
{
    ev_add(ctx, "[%s|%s]@%d ", name, arg, e->line);
    return 0;
}

static int ev_key(void *ctx, const char *key, const char *value, struct rtcpm_ini_error *e)
{
    struct events *ev = ctx;
    ev_add(ev, "%s=<%s>@%d ", key, value, e->line);
    if (e->line == ev->fail_key_line)
    {
        e->line = 1;
        return rtcpm_ini_fail(e, "rejected '%s' from line %d", key, ev->fail_key_line);
    }
    return 0;
}

static int ev_end(void *ctx, struct rtcpm_ini_error *e)
{
    ev_add(ctx, "%s%send@%d ", "", "", e->line);
    return 0;
}

static const struct rtcpm_ini_handler ev_handler = { ev_section, ev_key, ev_end };

static int parse(struct events *ev, const char *text, size_t len, char *err, size_t errlen)
{
    memset(ev->log, 0, sizeof(ev->log));
    return rtcpm_ini_parse(text, len, "t.ini", &ev_handler, ev, err, errlen);
}

static void test_ini_events(void)
{
    static const char text[] = "\xEF\xBB\xBF# a comment\r\n"
                               "; another\n"
                               "\n"
                               "  [mapping   sip ]   # trailing comment\n"
                               "transport=udp,tcp\r\n"
                               "  internal   =   192.168.1.10:5060 ; inline\n"
                               "empty =\n"
                               "[Plain]\n"
                               "[x y  z]\n"
                               "k = v";
    struct events ev = { "", 0 };
    char err[128] = "unchanged";

    CU_ASSERT_EQUAL(parse(&ev, text, strlen(text), err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(err, "");
    CU_ASSERT_STRING_EQUAL(ev.log, "[mapping|sip]@4 transport=<udp,tcp>@5 internal=<192.168.1.10:5060>@6 empty=<>@7 "
                                   "end@4 [Plain|]@8 end@8 [x|y  z]@9 k=<v>@10 end@9 ");
    /* empty text and comment-only text are fine and call nothing */
    CU_ASSERT_EQUAL(parse(&ev, "", 0, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(ev.log, "");
    CU_ASSERT_EQUAL(parse(&ev, "# only\n\n;this\n", 14, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(ev.log, "");
    /* a reader without callbacks still checks the syntax */
    CU_ASSERT_EQUAL(rtcpm_ini_parse("[a]\nk=v\n", 8, "n", NULL, NULL, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(rtcpm_ini_parse("k=v\n", 4, NULL, NULL, NULL, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "<config>:1: key 'k' outside any section");
}

static void test_ini_errors(void)
{
    static const struct
    {
        const char *text;
        const char *message;
    } cases[] = {
        { "x = 1\n", "t.ini:1: key 'x' outside any section" },
        { "# c\n[a]\njunk\n", "t.ini:3: expected 'key = value' or '[section]', got 'junk'" },
        { "\n\n[a\n", "t.ini:3: section header without ']'" },
        { "[a] b\n", "t.ini:1: text after ']': 'b'" },
        { "[a]\n = 3\n", "t.ini:2: '=' without a key" },
        { "[a]\nke y = 3\n", "t.ini:2: bad key 'ke y'" },
        { "[a]\nk.x = 3\n", "t.ini:2: bad key 'k.x'" },
        { "[]\n", "t.ini:1: bad section name ''" },
        { "[a/b]\n", "t.ini:1: bad section name 'a/b'" },
        { "[a]\r\nk = 1\r\n\r\n[b\r\n", "t.ini:4: section header without ']'" },
    };
    struct events ev = { "", 0 };
    char err[128], small[12];
    char *longline;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++)
    {
        CU_ASSERT_EQUAL(parse(&ev, cases[i].text, strlen(cases[i].text), err, sizeof(err)), -1);
        CU_ASSERT_STRING_EQUAL(err, cases[i].message);
        if (strcmp(err, cases[i].message)) printf("\n    case %u: got \"%s\"\n", (unsigned)i, err);
    }
    /* a NUL byte inside the text */
    CU_ASSERT_EQUAL(parse(&ev, "[a]\nk = v\0w\n", 12, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "t.ini:2: NUL byte in line");
    /* other control characters: a stray CR inside a line or before the CRLF, an ESC, a DEL;
     * a TAB is white space */
    CU_ASSERT_EQUAL(parse(&ev, "[a]\nk = v\rw\n", 12, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "t.ini:2: control character 0x0D in line");
    CU_ASSERT_EQUAL(parse(&ev, "[a]\r\nk = v\r\r\n", 13, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "t.ini:2: control character 0x0D in line");
    CU_ASSERT_EQUAL(parse(&ev, "[a \x1b[31m]\n", 10, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "t.ini:1: control character 0x1B in line");
    CU_ASSERT_EQUAL(parse(&ev, "[a]\nk = v\x7f\n", 11, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "t.ini:2: control character 0x7F in line");
    CU_ASSERT_EQUAL(parse(&ev, "[a]\n\tk\t=\tv\tw\t\n", 14, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(ev.log, "[a|]@1 k=<v\tw>@2 end@1 ");
    /* line length limit: exactly RTCPM_INI_LINE_MAX is fine, one more is not */
    longline = malloc(RTCPM_INI_LINE_MAX + 16);
    CU_ASSERT_PTR_NOT_NULL_FATAL(longline);
    memcpy(longline, "[a]\nk = ", 8);
    memset(longline + 8, 'v', RTCPM_INI_LINE_MAX - 4);
    memcpy(longline + 8 + RTCPM_INI_LINE_MAX - 4, "\n", 1);
    CU_ASSERT_EQUAL(parse(&ev, longline, 8 + RTCPM_INI_LINE_MAX - 4 + 1, err, sizeof(err)), 0);
    memset(longline + 8, 'v', RTCPM_INI_LINE_MAX - 3);
    CU_ASSERT_EQUAL(parse(&ev, longline, 8 + RTCPM_INI_LINE_MAX - 3, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "t.ini:2: line longer than 1024 characters");
    free(longline);
    /* a callback's error names the line it chose; the reader stops there */
    ev.fail_key_line = 3;
    CU_ASSERT_EQUAL(parse(&ev, "[a]\nk1 = 1\nk2 = 2\nk3 = 3\n", 24, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "t.ini:1: rejected 'k2' from line 3");
    CU_ASSERT_STRING_EQUAL(ev.log, "[a|]@1 k1=<1>@2 k2=<2>@3 ");
    /* a short error buffer is truncated, never overrun */
    memset(small, 'X', sizeof(small));
    CU_ASSERT_EQUAL(parse(&ev, "x = 1\n", 6, small, sizeof(small) - 1), -1);
    CU_ASSERT_STRING_EQUAL(small, "t.ini:1: k");
    CU_ASSERT_EQUAL(small[sizeof(small) - 1], 'X');
}

/* ---- values ---- */

static void test_values(void)
{
    struct rtcpm_ini_error e = { 1, "" };
    unsigned mask;
    int type;
    rtcpm_addr a;
    uint16_t first, last;
    char text[RTCPM_ADDR_TEXT_SIZE];

    CU_ASSERT_EQUAL(rtcpm_cfg_transports("udp", &mask, &e), 0);
    CU_ASSERT_EQUAL(mask, RTCTR_UDP);
    CU_ASSERT_EQUAL(rtcpm_cfg_transports(" TLS,udp  tcp ", &mask, &e), 0);
    CU_ASSERT_EQUAL(mask, RTCTR_UDP | RTCTR_TCP | RTCTR_TLS);
    CU_ASSERT_EQUAL(rtcpm_cfg_transports("udp, sctp", &mask, &e), -1);
    CU_ASSERT_STRING_EQUAL(e.text, "unknown transport 'sctp' (expected udp, tcp or tls)");
    CU_ASSERT_EQUAL(mask, 0);
    CU_ASSERT_EQUAL(rtcpm_cfg_transports("tcp,tcp", &mask, &e), -1);
    CU_ASSERT_STRING_EQUAL(e.text, "transport 'tcp' listed twice");
    CU_ASSERT_EQUAL(rtcpm_cfg_transports(" , ", &mask, &e), -1);
    CU_ASSERT_STRING_EQUAL(e.text, "no transport given (expected udp, tcp or tls)");

    CU_ASSERT_EQUAL(rtcpm_cfg_port_type("sip", &type), 0);
    CU_ASSERT_EQUAL(type, RTCPT_SIP);
    CU_ASSERT_EQUAL(rtcpm_cfg_port_type("Audio-RTCP", &type), 0);
    CU_ASSERT_EQUAL(type, RTCPT_AUDIO_RTCP);
    CU_ASSERT_EQUAL(rtcpm_cfg_port_type("video-rtp", &type), 0);
    CU_ASSERT_EQUAL(type, RTCPT_VIDEO_RTP);
    CU_ASSERT_EQUAL(rtcpm_cfg_port_type("any", &type), 0);
    CU_ASSERT_EQUAL(type, -1);
    CU_ASSERT_EQUAL(rtcpm_cfg_port_type("rtp", &type), -1);
    CU_ASSERT_EQUAL(rtcpm_cfg_port_type("", &type), -1);
    CU_ASSERT_STRING_EQUAL(rtcpm_cfg_port_type_name(RTCPT_VIDEO_RTCP), "video-rtcp");
    CU_ASSERT_STRING_EQUAL(rtcpm_cfg_port_type_name(-1), "any");
    CU_ASSERT_STRING_EQUAL(rtcpm_cfg_port_type_name(5), "?");

    CU_ASSERT_EQUAL(rtcpm_cfg_endpoint_range("192.0.2.1:5060", "internal", &a, &first, &last, &e), 0);
    CU_ASSERT_EQUAL(a.family, RTCPM_AF_INET);
    CU_ASSERT_EQUAL(a.port, 0);
    CU_ASSERT_EQUAL(first, 5060);
    CU_ASSERT_EQUAL(last, 5060);
    CU_ASSERT_EQUAL(rtcpm_cfg_endpoint_range("[2001:DB8::1]:1-65535", "external", &a, &first, &last, &e), 0);
    rtcpm_addr_format(&a, text, sizeof(text));
    CU_ASSERT_STRING_EQUAL(text, "2001:db8::1");
    CU_ASSERT_EQUAL(first, 1);
    CU_ASSERT_EQUAL(last, 65535);
    CU_ASSERT_EQUAL(rtcpm_cfg_endpoint_range("[fe80::1%2]:00080", "internal", &a, &first, &last, &e), 0);
    CU_ASSERT_EQUAL(a.scope_id, 2);
    CU_ASSERT_EQUAL(first, 80);

    {
        static const struct
        {
            const char *text;
            const char *message;
        } bad[] = {
            { "", "internal: empty (expected address:port or address:first-last)" },
            { "192.0.2.1", "internal '192.0.2.1': port missing (expected address:port)" },
            { "[2001:db8::1]", "internal '[2001:db8::1]': port missing (expected [address]:port)" },
            { "2001:db8::1:5060",
              "internal '2001:db8::1:5060': an IPv6 address needs brackets, as in [2001:db8::1]:5060" },
            { "[2001:db8::1:5060", "internal '[2001:db8::1:5060': '[' without ']'" },
            { "[192.0.2.1]:5060", "internal '[192.0.2.1]:5060': '192.0.2.1' is not an IP address" },
            { "host.example:5060", "internal 'host.example:5060': 'host.example' is not an IP address" },
            { "192.0.2.1:0", "internal '192.0.2.1:0': bad port '0' (expected 1..65535 or first-last)" },
            { "192.0.2.1:65536", "internal '192.0.2.1:65536': bad port '65536' (expected 1..65535 or first-last)" },
            { "192.0.2.1:30000-", "internal '192.0.2.1:30000-': bad port '30000-' (expected 1..65535 or first-last)" },
            { "192.0.2.1:30000-30010-30020", "internal '192.0.2.1:30000-30010-30020': bad port '30000-30010-30020' "
                                             "(expected 1..65535 or first-last)" },
            { "192.0.2.1:+5", "internal '192.0.2.1:+5': bad port '+5' (expected 1..65535 or first-last)" },
            { "192.0.2.1:30010-30000",
              "internal '192.0.2.1:30010-30000': port range 30010-30000 ends before it starts" },
        };
        size_t i;
        for (i = 0; i < ARRAY_SIZE(bad); i++)
        {
            e.text[0] = 0;
            CU_ASSERT_EQUAL(rtcpm_cfg_endpoint_range(bad[i].text, "internal", &a, &first, &last, &e), -1);
            CU_ASSERT_STRING_EQUAL(e.text, bad[i].message);
            CU_ASSERT_EQUAL(a.family, RTCPM_AF_NONE);
            CU_ASSERT_EQUAL(first, 0);
        }
    }
}

static int in_prefix(const char *prefix, const char *addr)
{
    struct rtcpm_prefix p;
    rtcpm_addr a;
    char err[128];
    CU_ASSERT_EQUAL_FATAL(rtcpm_prefix_parse(prefix, strlen(prefix), &p, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL_FATAL(rtcpm_addr_parse(addr, strlen(addr), &a), 0);
    return rtcpm_prefix_contains(&p, &a);
}

static void test_prefix(void)
{
    static const struct
    {
        const char *text, *message;
    } bad[] = {
        { "192.168.1.1/16", "'192.168.1.1/16' has host bits set (did you mean 192.168.0.0/16?)" },
        { "2001:db8::1/64", "'2001:db8::1/64' has host bits set (did you mean 2001:db8::/64?)" },
        { "::/129", "'::/129': prefix length must be 0..128" },
        { "10.0.0.0/", "'10.0.0.0/': prefix length must be 0..32" },
        { "10.0.0.0/8x", "'10.0.0.0/8x': prefix length must be 0..32" },
        { "fe80::%eth0/64", "'fe80::%eth0/64' is not an address prefix (expected address/length)" },
    };
    struct rtcpm_prefix p;
    char err[128], text[64];
    size_t i;

    CU_ASSERT_TRUE(in_prefix("192.168.1.0/24", "192.168.1.255"));
    CU_ASSERT_FALSE(in_prefix("192.168.1.0/24", "192.168.2.1"));
    CU_ASSERT_TRUE(in_prefix("0.0.0.0/0", "203.0.113.5"));
    CU_ASSERT_FALSE(in_prefix("0.0.0.0/0", "2001:db8::1")); /* families never mix */
    CU_ASSERT_TRUE(in_prefix("172.16.0.0/12", "172.31.255.255"));
    CU_ASSERT_FALSE(in_prefix("172.16.0.0/12", "172.32.0.0"));
    CU_ASSERT_TRUE(in_prefix("203.0.113.5", "203.0.113.5")); /* bare address = /32 */
    CU_ASSERT_FALSE(in_prefix("203.0.113.5", "203.0.113.4"));
    CU_ASSERT_TRUE(in_prefix("2001:db8::/32", "2001:db8:ffff::1"));
    CU_ASSERT_FALSE(in_prefix("2001:db8::/32", "2001:db9::1"));
    CU_ASSERT_TRUE(in_prefix("[2001:db8:0:f000::]/52", "2001:db8:0:ffff::1"));
    CU_ASSERT_FALSE(in_prefix("2001:db8:0:f000::/52", "2001:db8:0:efff::1"));
    CU_ASSERT_TRUE(in_prefix("::/0", "::1"));
    CU_ASSERT_TRUE(in_prefix("fe80::/10", "fe80::1%3")); /* the remote's zone is ignored */

    CU_ASSERT_EQUAL(rtcpm_prefix_parse("2001:DB8::/32", 13, &p, err, sizeof(err)), 0);
    CU_ASSERT_TRUE(rtcpm_prefix_format(&p, text, sizeof(text)) > 0);
    CU_ASSERT_STRING_EQUAL(text, "2001:db8::/32");

    for (i = 0; i < ARRAY_SIZE(bad); i++)
    {
        CU_ASSERT_EQUAL(rtcpm_prefix_parse("2001:DB8::/32", 13, &p, err, sizeof(err)), 0); /* p set before */
        CU_ASSERT_EQUAL(rtcpm_prefix_parse(bad[i].text, strlen(bad[i].text), &p, err, sizeof(err)), -1);
        CU_ASSERT_STRING_EQUAL(err, bad[i].message);
        CU_ASSERT_EQUAL(p.bits, 0);
    }
}

/* ---- the static port manager's sections ---- */

static void test_static_config_errors(void)
{
    static const struct
    {
        const char *text;
        const char *message;
    } cases[] = {
        /* the range example of the issue, on line 7 */
        { "# LAN PC behind the router\n"
          "[mapping sip]\n"
          "internal = 192.168.1.10:5060\n"
          "external = 198.51.100.7:5060\n"
          "[mapping audio-rtp]\n"
          "internal = 192.168.1.10:30000-30019\n"
          "external = 198.51.100.7:40000-40009\n",
          "samples/x.ini:7: external range 40000-40009 has 10 ports, internal range has 20" },
        /* external before internal: still the external line */
        { "[mapping audio-rtp]\nexternal = 198.51.100.7:40000\ninternal = 192.168.1.10:30000-30001\n",
          "samples/x.ini:2: external range 40000-40000 has 1 port, internal range has 2" },
        { "[mapping sip]\ninternal = 192.168.1.10:5060\nexternal = 198.51.100.7:5060\nexpires = 60\n",
          "samples/x.ini:4: unknown key 'expires' in [mapping sip] (expected transport, internal, external or "
          "remote)" },
        { "[mapping sip]\ninternal = 192.168.1.10:5060\nexternal = 198.51.100.7:5060\n[stun]\n",
          "samples/x.ini:4: unknown section [stun] (expected [mapping <port type>])" },
        { "[nat sip]\n", "samples/x.ini:1: unknown section [nat sip] (expected [mapping <port type>])" },
        { "\n[mapping rtp]\n", "samples/x.ini:2: unknown port type 'rtp' (expected sip, audio-rtp, audio-rtcp, "
                               "video-rtp, video-rtcp or any)" },
        { "[mapping]\n",
          "samples/x.ini:1: [mapping] needs a port type: sip, audio-rtp, audio-rtcp, video-rtp, video-rtcp or any" },
        /* missing keys: the section's line, found when the section ends */
        { "[mapping sip]\ninternal = 192.168.1.10:5060\n\n[mapping audio-rtp]\n",
          "samples/x.ini:1: [mapping sip] has no 'external' key" },
        { "[mapping sip]\ninternal = 192.168.1.10:5060\nexternal = 198.51.100.7:5060\n\n[mapping video-rtp]\nexternal "
          "= 198.51.100.7:5062\n",
          "samples/x.ini:5: [mapping video-rtp] has no 'internal' key" },
        { "[mapping sip]\ninternal = 192.168.1.10:5060\nInternal = 192.168.1.10:5061\n",
          "samples/x.ini:3: 'Internal' given twice in this section (first at line 2)" },
        { "[mapping sip]\ntransport = udp, sctp\n",
          "samples/x.ini:2: unknown transport 'sctp' (expected udp, tcp or tls)" },
        { "[mapping sip]\ninternal = 2001:db8::10:5060\n",
          "samples/x.ini:2: internal '2001:db8::10:5060': an IPv6 address needs brackets, as in [2001:db8::1]:5060" },
        { "[mapping sip]\ninternal = 192.168.1.10\n",
          "samples/x.ini:2: internal '192.168.1.10': port missing (expected address:port)" },
        { "[mapping sip]\ninternal = 192.168.1.10:5060\nexternal = [2001:db8::7]:5060\n",
          "samples/x.ini:3: external address 2001:db8::7 is IPv6, internal address 192.168.1.10 is IPv4" },
        { "[mapping sip]\ninternal = 0.0.0.0:5060\nexternal = 198.51.100.7:5060\n",
          "samples/x.ini:2: internal address 0.0.0.0 is unspecified: give the host's own address" },
        { "[mapping audio-rtp]\ninternal = 192.168.1.10:30000-30009\nexternal = 198.51.100.7:65530-65539\n",
          "samples/x.ini:3: external '198.51.100.7:65530-65539': bad port '65530-65539' (expected 1..65535 or "
          "first-last)" },
        { "[mapping sip]\ninternal = 192.168.1.10:5060\nexternal = 198.51.100.7:5060\nremote = 192.168.1.1/24\n",
          "samples/x.ini:4: remote '192.168.1.1/24' has host bits set (did you mean 192.168.1.0/24?)" },
        { "[mapping sip]\ninternal = 192.168.1.10:5060\nexternal = 198.51.100.7:5060\nremote =\n",
          "samples/x.ini:4: remote: empty (leave the key out to match any remote)" },
        { "[mapping sip]\nremote = 2001:db8::/32\ninternal = 192.168.1.10:5060\nexternal = 198.51.100.7:5060\n",
          "samples/x.ini:2: remote 2001:db8::/32 is IPv6 but the external address is IPv4: it could never match" },
        { "transport = udp\n", "samples/x.ini:1: key 'transport' outside any section" },
    };
    IRTCPortManager3 *pm;
    BSTR ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    char err[256];
    size_t i;

    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&pm), S_OK);
    for (i = 0; i < ARRAY_SIZE(cases); i++)
    {
        strcpy(err, "unchanged");
        CU_ASSERT_EQUAL(rtcpm_static_pm_load_string(pm, cases[i].text, "samples/x.ini", err, sizeof(err)),
                        E_INVALIDARG);
        CU_ASSERT_STRING_EQUAL(err, cases[i].message);
        if (strcmp(err, cases[i].message)) printf("\n    case %u: got \"%s\"\n", (unsigned)i, err);
        /* nothing half-applied: the valid sections before the error were not added */
        CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 0);
    }
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(rtcpm_static_pm_load_string(pm, NULL, "x", err, sizeof(err)), E_POINTER);
    pm->lpVtbl->Release(pm);
}

/* Loads append; case does not matter; a bad load in between changes nothing. */
static void test_static_config_append(void)
{
    IRTCPortManager3 *pm;
    BSTR ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    char err[256];

    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_load_string(pm,
                                                "[MAPPING SIP]\nTransport = UDP,TCP\nINTERNAL = 192.168.1.10:5060\n"
                                                "External = 198.51.100.7:5060\n",
                                                NULL, err, sizeof(err)),
                    S_OK);
    CU_ASSERT_STRING_EQUAL(err, "");
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 1);
    CU_ASSERT_EQUAL(rtcpm_static_pm_load_string(pm,
                                                "[mapping video-rtp]\ninternal = 192.168.1.10:32000\n"
                                                "external = 198.51.100.7:42000\n[mapping video-rtcp]\n",
                                                "second.ini", err, sizeof(err)),
                    E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "second.ini:4: [mapping video-rtcp] has no 'internal' key");
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 1);
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, NULL, 0, RTCTR_UDP, RTCPT_VIDEO_RTP, &ia, &ip, &ea, &ep),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(rtcpm_static_pm_load_string(pm,
                                                "[mapping video-rtp]\ninternal = 192.168.1.10:32000\n"
                                                "external = 198.51.100.7:42000\n",
                                                "third.ini", NULL, 0),
                    S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 2);
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, NULL, 0, RTCTR_TCP, RTCPT_SIP, &ia, &ip, &ea, &ep), S_OK);
    CU_ASSERT_EQUAL(ip, 5060);
    SysFreeString(ia);
    SysFreeString(ea);
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, NULL, 0, RTCTR_UDP, RTCPT_VIDEO_RTP, &ia, &ip, &ea, &ep), S_OK);
    CU_ASSERT_BSTR_EQUAL(ia, RTCPM_W("192.168.1.10"));
    CU_ASSERT_EQUAL(ip, 32000);
    CU_ASSERT_BSTR_EQUAL(ea, RTCPM_W("198.51.100.7"));
    CU_ASSERT_EQUAL(ep, 42000);
    SysFreeString(ia);
    SysFreeString(ea);
    pm->lpVtbl->Release(pm);
}

static void expect(IRTCPortManager3 *pm, const char *remote, LONG transport, RTC_PORT_TYPE type, const WCHAR *ia_want,
                   LONG ip_want, const WCHAR *ea_want, LONG ep_want)
{
    BSTR r = rtcpm_bstr_from_cstr(remote), ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, r, 0, transport, type, &ia, &ip, &ea, &ep), S_OK);
    CU_ASSERT_BSTR_EQUAL(ia, ia_want);
    CU_ASSERT_EQUAL(ip, ip_want);
    CU_ASSERT_BSTR_EQUAL(ea, ea_want);
    CU_ASSERT_EQUAL(ep, ep_want);
    SysFreeString(r);
    SysFreeString(ia);
    SysFreeString(ea);
}

/* No mapping for that: RTC_E_PORT_MAPPING_UNAVAILABLE (remote NULL: the NULL BSTR). */
static void expect_none(IRTCPortManager3 *pm, const char *remote, LONG transport, RTC_PORT_TYPE type)
{
    BSTR r = remote ? rtcpm_bstr_from_cstr(remote) : NULL, ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, r, 0, transport, type, &ia, &ip, &ea, &ep),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    SysFreeString(r);
}

/* A shipped sample, loaded, with its six rules; for a peer `remote`, it maps SIP on udp and
 * tcp (5060) and tls (5061) to the same port outside, then audio RTP, audio RTCP, video RTP,
 * video RTCP from internal 30000, 30100, 30200, 30300 to external `media` + the same steps. */
static IRTCPortManager3 *load_sample(const char *file, const char *remote, const WCHAR *lan, const WCHAR *wan,
                                     LONG media)
{
    static const RTC_PORT_TYPE media_types[] = { RTCPT_AUDIO_RTP, RTCPT_AUDIO_RTCP, RTCPT_VIDEO_RTP, RTCPT_VIDEO_RTCP };
    IRTCPortManager3 *pm;
    char path[512], err[256];
    HRESULT hr;
    LONG i;

    snprintf(path, sizeof(path), "%s/%s", RTCPM_SAMPLES_DIR, file);
    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&pm), S_OK);
    hr = rtcpm_static_pm_load_file(pm, path, err, sizeof(err));
    if (hr != S_OK) printf("\n    %s\n", err);
    CU_ASSERT_EQUAL(hr, S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 6);
    expect(pm, remote, RTCTR_UDP, RTCPT_SIP, lan, 5060, wan, 5060);
    expect(pm, remote, RTCTR_TCP, RTCPT_SIP, lan, 5060, wan, 5060);
    expect(pm, remote, RTCTR_TLS, RTCPT_SIP, lan, 5061, wan, 5061);
    for (i = 0; i < 4; i++) expect(pm, remote, RTCTR_UDP, media_types[i], lan, 30000 + 100 * i, wan, media + 100 * i);
    return pm;
}

static void test_sample_ipv4(void)
{
    const WCHAR *lan = RTCPM_W("192.168.1.10"), *wan = RTCPM_W("198.51.100.7");
    IRTCPortManager3 *pm = load_sample("static-nat.ini", "203.0.113.5", lan, wan, 40000);

    expect(pm, "", RTCTR_UDP, RTCPT_AUDIO_RTP, lan, 30001, wan, 40001);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 8);
    /* one SIP port per transport */
    expect_none(pm, NULL, RTCTR_UDP, RTCPT_SIP);
    /* media is UDP only */
    expect_none(pm, NULL, RTCTR_TCP, RTCPT_AUDIO_RTP);
    pm->lpVtbl->Release(pm);
}

static void test_sample_ipv6(void)
{
    IRTCPortManager3 *pm = load_sample("static-nat-ipv6.ini", "2001:db8:2::1", RTCPM_W("fd12:3456:789a:1::10"),
                                       RTCPM_W("2001:db8:1:1::10"), 30000);

    /* an IPv4 peer gets nothing from an IPv6-only config */
    expect_none(pm, "203.0.113.5", RTCTR_UDP, RTCPT_AUDIO_RTP);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 7);
    pm->lpVtbl->Release(pm);
}

/* The example of README "Static port manager config", verbatim. */
static void test_readme_example(void)
{
    static const char text[] =
        "# '#' or ';' starts a comment, anywhere on a line\n"
        "[mapping sip]              ; one section per rule; argument = port type:\n"
        "                           ; sip | audio-rtp | audio-rtcp | video-rtp | video-rtcp | any\n"
        "transport = udp, tcp       ; udp | tcp | tls, a list; default udp\n"
        "internal  = 192.168.1.10:5060\n"
        "external  = 198.51.100.7:5060\n"
        "\n"
        "[mapping audio-rtp]\n"
        "internal  = 192.168.1.10:30000-30099   ; a range: the k-th internal port is\n"
        "external  = 198.51.100.7:40000-40099   ; forwarded from the k-th external port\n"
        "\n"
        "[mapping any]\n"
        "internal  = [2001:db8:1::10]:5060      ; IPv6 in brackets\n"
        "external  = [2001:db8:ffff::7]:5060\n"
        "remote    = 2001:db8:2::/48            ; optional: only for remote peers in these prefixes\n";
    IRTCPortManager3 *pm;
    BSTR ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    char err[256];

    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_load_string(pm, text, "README.md", err, sizeof(err)), S_OK);
    CU_ASSERT_STRING_EQUAL(err, "");
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 3);
    expect(pm, "203.0.113.5", RTCTR_TCP, RTCPT_SIP, RTCPM_W("192.168.1.10"), 5060, RTCPM_W("198.51.100.7"), 5060);
    expect(pm, "203.0.113.5", RTCTR_UDP, RTCPT_AUDIO_RTP, RTCPM_W("192.168.1.10"), 30000, RTCPM_W("198.51.100.7"),
           40000);
    expect(pm, "2001:db8:2:3::4", RTCTR_UDP, RTCPT_VIDEO_RTP, RTCPM_W("2001:db8:1::10"), 5060,
           RTCPM_W("2001:db8:ffff::7"), 5060);
    {
        BSTR r = rtcpm_bstr_from_cstr("2001:db8:3::4"); /* outside the remote filter */
        CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, r, 0, RTCTR_UDP, RTCPT_VIDEO_RTCP, &ia, &ip, &ea, &ep),
                        RTC_E_PORT_MAPPING_UNAVAILABLE);
        SysFreeString(r);
    }
    {
        char listing[512];
        CU_ASSERT_TRUE(rtcpm_static_pm_format_mappings(pm, listing, sizeof(listing)) > 0);
        CU_ASSERT_STRING_EQUAL(listing,
                               "udp audio-rtp 192.168.1.10:30000 198.51.100.7:40000 remote 203.0.113.5\n"
                               "udp video-rtp [2001:db8:1::10]:5060 [2001:db8:ffff::7]:5060 remote [2001:db8:2:3::4]\n"
                               "tcp sip 192.168.1.10:5060 198.51.100.7:5060 remote 203.0.113.5\n");
        /* snprintf-style: the length needed, truncated output */
        CU_ASSERT_EQUAL(
            rtcpm_static_pm_format_mappings(pm, listing, 10),
            (LONG)strlen("udp audio-rtp 192.168.1.10:30000 198.51.100.7:40000 remote 203.0.113.5\n"
                         "udp video-rtp [2001:db8:1::10]:5060 [2001:db8:ffff::7]:5060 remote [2001:db8:2:3::4]\n"
                         "tcp sip 192.168.1.10:5060 198.51.100.7:5060 remote 203.0.113.5\n"));
        CU_ASSERT_STRING_EQUAL(listing, "udp audio");
    }
    pm->lpVtbl->Release(pm);
}

static void test_load_file_errors(void)
{
    static const char tmp[] = "test_config_tmp.ini";
    static const char missing[] = "no-such-dir/no-such-file.ini";
    IRTCPortManager3 *pm;
    char err[256], want[256];
    FILE *f;

    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_load_file(pm, missing, err, sizeof(err)), HRESULT_FROM_WIN32(2));
    snprintf(want, sizeof(want), "%s: cannot open: ", missing);
    CU_ASSERT_NSTRING_EQUAL(err, want, strlen(want));
    CU_ASSERT_TRUE(strlen(err) > strlen(want)); /* the system's reason follows */
    CU_ASSERT_EQUAL(rtcpm_static_pm_load_file(pm, NULL, err, sizeof(err)), E_POINTER);

    f = fopen(tmp, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("; written by test_config\r\n[mapping audio-rtcp]\r\ninternal = 192.168.1.10:30100-30119\r\n"
          "external = 198.51.100.7:40100-40118\r\n",
          f);
    fclose(f);
    CU_ASSERT_EQUAL(rtcpm_static_pm_load_file(pm, tmp, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err,
                           "test_config_tmp.ini:4: external range 40100-40118 has 19 ports, internal range has 20");
    /* an embedded NUL in a file is caught, not silently cut off */
    f = fopen(tmp, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fwrite("[mapping sip]\ninternal = 192.168.1.10:5060\0\n", 1, 44, f);
    fclose(f);
    CU_ASSERT_EQUAL(rtcpm_static_pm_load_file(pm, tmp, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "test_config_tmp.ini:2: NUL byte in line");
    CU_ASSERT_EQUAL(remove(tmp), 0);
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 0);
    pm->lpVtbl->Release(pm);
}

static CU_TestInfo tests[] = {
    { "ini_events", test_ini_events },
    { "ini_errors", test_ini_errors },
    { "values", test_values },
    { "prefix", test_prefix },
    { "static_config_errors", test_static_config_errors },
    { "static_config_append", test_static_config_append },
    { "sample_ipv4", test_sample_ipv4 },
    { "sample_ipv6", test_sample_ipv6 },
    { "readme_example", test_readme_example },
    { "load_file_errors", test_load_file_errors },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("config", tests, argc, argv); }
