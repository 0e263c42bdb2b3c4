/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — address parsing and formatting tests: RFC 4291 input forms, RFC 5952 output,
 * host:port forms, zones, equality and hashing, buffer limits, reads bounded by len.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/addr.h"

/* ---- helpers ---- */

/* Parses from an exact-size heap copy (no NUL after it), so ASan sees any read past len. */
static int parse_exact(const char *text, size_t len, rtcpm_addr *out)
{
    char *copy = malloc(len ? len : 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    memcpy(copy, text, len);
    int rc = rtcpm_addr_parse(copy, len, out);
    free(copy);
    return rc;
}

static int parse_hostport_exact(const char *text, size_t len, rtcpm_addr *out, uint16_t default_port)
{
    char *copy = malloc(len ? len : 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    memcpy(copy, text, len);
    int rc = rtcpm_addr_parse_hostport(copy, len, out, default_port);
    free(copy);
    return rc;
}

static int is_zero(const rtcpm_addr *a)
{
    static const rtcpm_addr zero;
    return memcmp(a, &zero, sizeof zero) == 0;
}

static void check_rc(int got, int want, const char *what, unsigned line)
{
    char msg[256];
    snprintf(msg, sizeof msg, "\"%s\": %s expected, got %s", what, rtcpm_addr_error_name(want),
             rtcpm_addr_error_name(got));
    CU_assertImplementation(got == want, line, msg, __FILE__, "", CU_FALSE);
}

static void check_text(const char *got, const char *want, const char *input, unsigned line)
{
    char msg[256];
    snprintf(msg, sizeof msg, "\"%s\" formats as \"%s\", expected \"%s\"", input, got, want);
    CU_assertImplementation(strcmp(got, want) == 0, line, msg, __FILE__, "", CU_FALSE);
}

static rtcpm_addr parsed(const char *text)
{
    rtcpm_addr a;
    check_rc(rtcpm_addr_parse(text, strlen(text), &a), RTCPM_ADDR_OK, text, __LINE__);
    return a;
}

/* ---- good literals and their canonical text ---- */

static const struct
{
    const char *input;
    const char *canonical;
    int family;
} good[] = {
    /* IPv4 */
    { "0.0.0.0", "0.0.0.0", RTCPM_AF_INET },
    { "255.255.255.255", "255.255.255.255", RTCPM_AF_INET },
    { "192.0.2.1", "192.0.2.1", RTCPM_AF_INET },
    { "198.18.0.10", "198.18.0.10", RTCPM_AF_INET },
    { "10.0.0.0", "10.0.0.0", RTCPM_AF_INET },
    /* IPv6, RFC 4291 2.2 forms */
    { "::", "::", RTCPM_AF_INET6 },
    { "0:0:0:0:0:0:0:0", "::", RTCPM_AF_INET6 },
    { "::1", "::1", RTCPM_AF_INET6 },
    { "0:0:0:0:0:0:0:1", "::1", RTCPM_AF_INET6 },
    { "0000:0000:0000:0000:0000:0000:0000:0001", "::1", RTCPM_AF_INET6 },
    { "1::", "1::", RTCPM_AF_INET6 },
    { "1:0:0:0:0:0:0:0", "1::", RTCPM_AF_INET6 },
    { "2001:DB8::1", "2001:db8::1", RTCPM_AF_INET6 },
    { "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1", RTCPM_AF_INET6 },
    { "2001:db8::0:1", "2001:db8::1", RTCPM_AF_INET6 },
    { "2001:0db8::0001", "2001:db8::1", RTCPM_AF_INET6 },
    { "2001:db8:aaaa:bbbb:cccc:dddd:eeee:AAAA", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa", RTCPM_AF_INET6 },
    { "FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RTCPM_AF_INET6 },
    /* RFC 5952 4.2.2: a single zero group is not compressed */
    { "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", RTCPM_AF_INET6 },
    { "2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1", RTCPM_AF_INET6 },
    { "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", RTCPM_AF_INET6 },
    { "::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8", RTCPM_AF_INET6 },
    /* RFC 5952 4.2.3: longest run, the first one on a tie */
    { "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", RTCPM_AF_INET6 },
    { "2001:0:0:1:0:0:0:1", "2001:0:0:1::1", RTCPM_AF_INET6 },
    { "1:0:0:0:1:0:0:0", "1::1:0:0:0", RTCPM_AF_INET6 },
    { "0:0:1:0:0:0:0:1", "0:0:1::1", RTCPM_AF_INET6 },
    { "::1:0:0:0:0:0:0", "0:1::", RTCPM_AF_INET6 },
    { "2001:db8:1234:5678:11:2233:4455:6677", "2001:db8:1234:5678:11:2233:4455:6677", RTCPM_AF_INET6 },
    /* embedded IPv4; only IPv4-mapped is printed dotted (RFC 5952 5) */
    { "::ffff:192.0.2.1", "::ffff:192.0.2.1", RTCPM_AF_INET6 },
    { "::FFFF:c000:0201", "::ffff:192.0.2.1", RTCPM_AF_INET6 },
    { "0:0:0:0:0:ffff:192.0.2.1", "::ffff:192.0.2.1", RTCPM_AF_INET6 },
    { "::ffff:0.0.0.0", "::ffff:0.0.0.0", RTCPM_AF_INET6 },
    { "::192.0.2.1", "::c000:201", RTCPM_AF_INET6 },
    { "64:ff9b::192.0.2.33", "64:ff9b::c000:221", RTCPM_AF_INET6 },
    { "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304", RTCPM_AF_INET6 },
    /* brackets and numeric zones */
    { "[::1]", "::1", RTCPM_AF_INET6 },
    { "[2001:db8::1]", "2001:db8::1", RTCPM_AF_INET6 },
    { "fe80::1%3", "fe80::1%3", RTCPM_AF_INET6 },
    { "[fe80::1%3]", "fe80::1%3", RTCPM_AF_INET6 },
    { "fe80::1%003", "fe80::1%3", RTCPM_AF_INET6 },
    { "fe80::1%0", "fe80::1", RTCPM_AF_INET6 },
    { "fe80::1%4294967295", "fe80::1%4294967295", RTCPM_AF_INET6 },
    { "fe80::1%eth0", "fe80::1%3887175460", RTCPM_AF_INET6 },
    { "[fe80::1%eth0]", "fe80::1%3887175460", RTCPM_AF_INET6 },
};

static void test_good_literals(void)
{
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    {
        rtcpm_addr a, again;
        char text[RTCPM_ADDR_TEXT_SIZE];
        size_t len = strlen(good[i].input);

        check_rc(parse_exact(good[i].input, len, &a), RTCPM_ADDR_OK, good[i].input, __LINE__);
        CU_ASSERT_EQUAL(a.family, good[i].family);
        CU_ASSERT_EQUAL(a.port, 0);
        int n = rtcpm_addr_format(&a, text, sizeof text);
        CU_ASSERT_EQUAL(n, (int)strlen(good[i].canonical));
        check_text(text, good[i].canonical, good[i].input, __LINE__);

        /* The canonical text reads back as the same address. */
        check_rc(parse_exact(text, strlen(text), &again), RTCPM_ADDR_OK, text, __LINE__);
        CU_ASSERT_TRUE(rtcpm_addr_equal(&a, &again));
        CU_ASSERT_EQUAL(rtcpm_addr_hash(&a, 0), rtcpm_addr_hash(&again, 0));
    }
}

static void test_ipv4_bytes(void)
{
    rtcpm_addr a = parsed("192.0.2.1");
    static const uint8_t want[16] = { 192, 0, 2, 1 };
    CU_ASSERT_EQUAL(memcmp(a.bytes, want, 16), 0); /* bytes[4..15] are zero */
    CU_ASSERT_EQUAL(a.scope_id, 0);

    a = parsed("2001:db8::ff00:42:8329");
    static const uint8_t want6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29 };
    CU_ASSERT_EQUAL(memcmp(a.bytes, want6, 16), 0);
}

/* ---- bad literals ---- */

static const struct
{
    const char *input;
    int error;
} bad[] = {
    { "", RTCPM_ADDR_E_EMPTY },
    /* IPv4: strict dotted quad */
    { "1.2.3", RTCPM_ADDR_E_SYNTAX },
    { "1.2.3.4.5", RTCPM_ADDR_E_SYNTAX },
    { "256.1.1.1", RTCPM_ADDR_E_SYNTAX },
    { "1.2.3.256", RTCPM_ADDR_E_SYNTAX },
    { "01.2.3.4", RTCPM_ADDR_E_SYNTAX }, /* leading zero: octal to inet_aton */
    { "1.2.3.04", RTCPM_ADDR_E_SYNTAX },
    { "1.2.3.00", RTCPM_ADDR_E_SYNTAX },
    { "1..2.3", RTCPM_ADDR_E_SYNTAX },
    { ".1.2.3", RTCPM_ADDR_E_SYNTAX },
    { "1.2.3.", RTCPM_ADDR_E_SYNTAX },
    { "1.2.3.4 ", RTCPM_ADDR_E_SYNTAX },
    { " 1.2.3.4", RTCPM_ADDR_E_SYNTAX },
    { "1.2.3.-1", RTCPM_ADDR_E_SYNTAX },
    { "0x1.2.3.4", RTCPM_ADDR_E_SYNTAX },
    { "1234.1.1.1", RTCPM_ADDR_E_SYNTAX },
    { "127.1", RTCPM_ADDR_E_SYNTAX },
    { "localhost", RTCPM_ADDR_E_SYNTAX },
    { "1.2.3.4%eth0", RTCPM_ADDR_E_ZONE },
    { "1.2.3.4%1", RTCPM_ADDR_E_ZONE },
    { "[1.2.3.4]", RTCPM_ADDR_E_SYNTAX },
    /* IPv6 */
    { ":", RTCPM_ADDR_E_SYNTAX },
    { ":::", RTCPM_ADDR_E_SYNTAX },
    { "1:::2", RTCPM_ADDR_E_SYNTAX },
    { "1::2::3", RTCPM_ADDR_E_SYNTAX },
    { ":1::", RTCPM_ADDR_E_SYNTAX },
    { ":1:2:3:4:5:6:7", RTCPM_ADDR_E_SYNTAX },
    { "1::2:", RTCPM_ADDR_E_SYNTAX },
    { "1:2:3:4:5:6:7:8:", RTCPM_ADDR_E_SYNTAX },
    { "1:2:3:4:5:6:7:8:9", RTCPM_ADDR_E_SYNTAX },
    { "1:2:3:4:5:6:7", RTCPM_ADDR_E_SYNTAX },
    { "1:2:3:4:5:6:7:8::", RTCPM_ADDR_E_SYNTAX },
    { "::1:2:3:4:5:6:7:8", RTCPM_ADDR_E_SYNTAX },
    { "1:2:3:4::5:6:7:8", RTCPM_ADDR_E_SYNTAX },
    { "12345::", RTCPM_ADDR_E_SYNTAX },
    { "::12345", RTCPM_ADDR_E_SYNTAX },
    { "g::", RTCPM_ADDR_E_SYNTAX },
    { "::-1", RTCPM_ADDR_E_SYNTAX },
    { "::ffff:1.2.3", RTCPM_ADDR_E_SYNTAX },
    { "::ffff:1.2.3.256", RTCPM_ADDR_E_SYNTAX },
    { "::ffff:01.2.3.4", RTCPM_ADDR_E_SYNTAX },
    { "1:2:3:4:5:6:7:1.2.3.4", RTCPM_ADDR_E_SYNTAX },
    { "::1.2.3.4:5", RTCPM_ADDR_E_SYNTAX },
    { "::1.2.3.4.5", RTCPM_ADDR_E_SYNTAX },
    { "::a1.2.3.4", RTCPM_ADDR_E_SYNTAX },
    { "1.2.3.4::", RTCPM_ADDR_E_SYNTAX },
    { "1:2:3:4:5:6:7:8%", RTCPM_ADDR_E_ZONE },
    /* zones */
    { "fe80::1%", RTCPM_ADDR_E_ZONE },
    { "fe80::1%eth 0", RTCPM_ADDR_E_ZONE },
    { "fe80::1%eth0:1", RTCPM_ADDR_E_ZONE },
    { "fe80::1%e%1", RTCPM_ADDR_E_ZONE },
    { "fe80::1%4294967296", RTCPM_ADDR_E_ZONE },
    { "fe80::1%99999999999999999999", RTCPM_ADDR_E_ZONE },
    { "fe80::1%eth0/64", RTCPM_ADDR_E_ZONE },
    { "%eth0", RTCPM_ADDR_E_SYNTAX },
    { "::1/128", RTCPM_ADDR_E_SYNTAX },
    /* brackets */
    { "[::1", RTCPM_ADDR_E_BRACKET },
    { "::1]", RTCPM_ADDR_E_BRACKET },
    { "[]", RTCPM_ADDR_E_EMPTY },
    { "[", RTCPM_ADDR_E_BRACKET },
    { "[[::1]]", RTCPM_ADDR_E_BRACKET },
    { "[::1]:5060", RTCPM_ADDR_E_BRACKET }, /* a port is for rtcpm_addr_parse_hostport */
    { "[%eth0]", RTCPM_ADDR_E_SYNTAX },
    { "[::1%]", RTCPM_ADDR_E_ZONE },
};

static void test_bad_literals(void)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
        rtcpm_addr a;
        memset(&a, 0xA5, sizeof a);
        check_rc(parse_exact(bad[i].input, strlen(bad[i].input), &a), bad[i].error, bad[i].input, __LINE__);
        CU_ASSERT_TRUE(is_zero(&a)); /* never half-filled */
    }
}

static void test_embedded_nul_and_slices(void)
{
    rtcpm_addr a;
    char text[RTCPM_ADDR_TEXT_SIZE];

    /* A NUL inside the slice is a bad character, not an end. */
    check_rc(parse_exact("1.2.3.4\0", 8, &a), RTCPM_ADDR_E_SYNTAX, "1.2.3.4\\0", __LINE__);
    check_rc(parse_exact("::1\0", 4, &a), RTCPM_ADDR_E_SYNTAX, "::1\\0", __LINE__);

    /* Only len bytes count: the rest of the buffer is not looked at. */
    check_rc(parse_exact("1.2.3.45", 7, &a), RTCPM_ADDR_OK, "1.2.3.4|5", __LINE__);
    rtcpm_addr_format(&a, text, sizeof text);
    check_text(text, "1.2.3.4", "1.2.3.4|5", __LINE__);
    check_rc(parse_exact("::1234", 3, &a), RTCPM_ADDR_OK, "::1|234", __LINE__);
    rtcpm_addr_format(&a, text, sizeof text);
    check_text(text, "::1", "::1|234", __LINE__);
    check_rc(parse_exact("fe80::1%eth0", 9, &a), RTCPM_ADDR_OK, "fe80::1%e|th0", __LINE__);
    CU_ASSERT_EQUAL(a.scope_id, parsed("fe80::1%e").scope_id);
    check_rc(parse_exact("[::1]", 4, &a), RTCPM_ADDR_E_BRACKET, "[::1|]", __LINE__);

    /* Every prefix of every good input parses or fails without reading past its end. */
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        for (size_t len = 0; len <= strlen(good[i].input); len++)
        {
            int rc = parse_exact(good[i].input, len, &a);
            CU_ASSERT(rc == RTCPM_ADDR_OK || rc < 0);
            if (rc != RTCPM_ADDR_OK) CU_ASSERT_TRUE(is_zero(&a));
        }

    /* NULL text is only acceptable with len 0. */
    check_rc(rtcpm_addr_parse(NULL, 0, &a), RTCPM_ADDR_E_EMPTY, "NULL,0", __LINE__);
    check_rc(rtcpm_addr_parse(NULL, 3, &a), RTCPM_ADDR_E_INVALID_ARG, "NULL,3", __LINE__);
    check_rc(rtcpm_addr_parse("::1", 3, NULL), RTCPM_ADDR_E_INVALID_ARG, "out NULL", __LINE__);
    check_rc(rtcpm_addr_parse_hostport(NULL, 3, &a, 1), RTCPM_ADDR_E_INVALID_ARG, "NULL,3", __LINE__);
    check_rc(rtcpm_addr_parse_hostport("::1", 3, NULL, 1), RTCPM_ADDR_E_INVALID_ARG, "out NULL", __LINE__);
}

/* ---- zones ---- */

/* "[<first>:ffff:ffff:ffff:ffff:ffff:255.255.255.255%zz...z]" with `zone` z's; its length. */
static size_t longest_text(char *out, const char *first, size_t zone)
{
    size_t n = (size_t)sprintf(out, "[%s:ffff:ffff:ffff:ffff:ffff:255.255.255.255%%", first);
    memset(out + n, 'z', zone);
    n += zone;
    out[n++] = ']';
    out[n] = 0;
    return n;
}

static void test_zones(void)
{
    rtcpm_addr eth0 = parsed("fe80::1%eth0"), eth0b = parsed("[fe80::0001%eth0]");
    rtcpm_addr eth1 = parsed("fe80::1%eth1"), none = parsed("fe80::1");
    rtcpm_addr three = parsed("fe80::1%3"), zero = parsed("fe80::1%0");

    /* Named zone: FNV-1a 32 of the name with the top bit set (value from a reference
     * implementation outside this code). */
    CU_ASSERT_EQUAL(eth0.scope_id, 3887175460u);
    CU_ASSERT_EQUAL(eth1.scope_id, 3903953079u);
    CU_ASSERT_TRUE(eth0.scope_id & 0x80000000u);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&eth0, &eth0b));
    CU_ASSERT_EQUAL(rtcpm_addr_hash(&eth0, 7), rtcpm_addr_hash(&eth0b, 7));
    CU_ASSERT_FALSE(rtcpm_addr_equal(&eth0, &eth1));
    CU_ASSERT_FALSE(rtcpm_addr_equal(&eth0, &none));
    CU_ASSERT_FALSE(rtcpm_addr_equal_host(&eth0, &none));

    /* Numeric zone: the index itself; %0 is no zone. */
    CU_ASSERT_EQUAL(three.scope_id, 3);
    CU_ASSERT_FALSE(rtcpm_addr_equal(&three, &none));
    CU_ASSERT_TRUE(rtcpm_addr_equal(&zero, &none));

    /* The longest zone accepted, and one more. */
    char text[8 + RTCPM_ADDR_ZONE_MAX + 2] = "fe80::1%";
    memset(text + 8, 'z', RTCPM_ADDR_ZONE_MAX);
    rtcpm_addr a;
    check_rc(parse_exact(text, 8 + RTCPM_ADDR_ZONE_MAX, &a), RTCPM_ADDR_OK, "64-char zone", __LINE__);
    text[8 + RTCPM_ADDR_ZONE_MAX] = 'z';
    check_rc(parse_exact(text, 8 + RTCPM_ADDR_ZONE_MAX + 1, &a), RTCPM_ADDR_E_ZONE, "65-char zone", __LINE__);

    /* RTCPM_ADDR_PARSE_TEXT_MAX is the longest text accepted: the longest IPv6 text with the
     * longest zone, in brackets; one zone character more, or a fifth digit in a group, and
     * it is refused. */
    char longest[RTCPM_ADDR_PARSE_TEXT_MAX + 8];
    size_t n;
    n = longest_text(longest, "ffff", RTCPM_ADDR_ZONE_MAX);
    CU_ASSERT_EQUAL(n, RTCPM_ADDR_PARSE_TEXT_MAX);
    check_rc(parse_exact(longest, n, &a), RTCPM_ADDR_OK, "longest text", __LINE__);
    CU_ASSERT_EQUAL(a.family, RTCPM_AF_INET6);
    CU_ASSERT_TRUE(a.scope_id & 0x80000000u);
    n = longest_text(longest, "ffff", RTCPM_ADDR_ZONE_MAX + 1);
    check_rc(parse_exact(longest, n, &a), RTCPM_ADDR_E_ZONE, "longest text + 1 zone char", __LINE__);
    n = longest_text(longest, "0ffff", RTCPM_ADDR_ZONE_MAX);
    check_rc(parse_exact(longest, n, &a), RTCPM_ADDR_E_SYNTAX, "five-digit group", __LINE__);

    /* Every unreserved character is allowed in a name. */
    rtcpm_addr b = parsed("fe80::1%Wi-Fi_2.0~x");
    CU_ASSERT_TRUE(b.scope_id & 0x80000000u);
}

/* ---- host:port ---- */

static const struct
{
    const char *input;
    uint16_t default_port;
    const char *hostport; /* rtcpm_addr_format_hostport of the result */
} good_hostports[] = {
    { "192.0.2.1", 5060, "192.0.2.1:5060" },
    { "192.0.2.1:5061", 5060, "192.0.2.1:5061" },
    { "192.0.2.1:1", 5060, "192.0.2.1:1" },
    { "192.0.2.1:65535", 5060, "192.0.2.1:65535" },
    { "192.0.2.1:05060", 0, "192.0.2.1:5060" },
    { "192.0.2.1", 0, "192.0.2.1" },
    { "[::1]:5060", 3478, "[::1]:5060" },
    { "[::1]", 3478, "[::1]:3478" },
    { "[::1]", 0, "[::1]" },
    { "::1", 5060, "[::1]:5060" },
    { "::1:5060", 7, "[::1:5060]:7" }, /* unbracketed: all of it is the address */
    { "2001:DB8::1", 5060, "[2001:db8::1]:5060" },
    { "[2001:db8:0:0:1:0:0:1]:5060", 0, "[2001:db8::1:0:0:1]:5060" },
    { "[fe80::1%eth0]:5060", 0, "[fe80::1%3887175460]:5060" },
    { "[fe80::1%3]:5060", 0, "[fe80::1%3]:5060" },
    { "fe80::1%3", 5060, "[fe80::1%3]:5060" },
    { "[::ffff:192.0.2.1]:5060", 0, "[::ffff:192.0.2.1]:5060" },
};

static const struct
{
    const char *input;
    int error;
} bad_hostports[] = {
    { "", RTCPM_ADDR_E_EMPTY },
    { ":5060", RTCPM_ADDR_E_EMPTY },
    { "[]:5060", RTCPM_ADDR_E_EMPTY },
    { "192.0.2.1:", RTCPM_ADDR_E_PORT },
    { "192.0.2.1:0", RTCPM_ADDR_E_PORT },
    { "192.0.2.1:00000", RTCPM_ADDR_E_PORT },
    { "192.0.2.1:65536", RTCPM_ADDR_E_PORT },
    { "192.0.2.1:99999", RTCPM_ADDR_E_PORT },
    { "192.0.2.1:065535", RTCPM_ADDR_E_PORT }, /* more than 5 digits */
    { "192.0.2.1:5060x", RTCPM_ADDR_E_PORT },
    { "192.0.2.1:+5060", RTCPM_ADDR_E_PORT },
    { "192.0.2.1:-1", RTCPM_ADDR_E_PORT },
    { "192.0.2.1: 5060", RTCPM_ADDR_E_PORT },
    { "192.0.2.1:5:6", RTCPM_ADDR_E_SYNTAX },
    { "192.0.2.256:5060", RTCPM_ADDR_E_SYNTAX },
    { "host:5060", RTCPM_ADDR_E_SYNTAX },
    { "192.0.2.1%eth0:5060", RTCPM_ADDR_E_ZONE },
    { "[::1]:", RTCPM_ADDR_E_PORT },
    { "[::1]:0", RTCPM_ADDR_E_PORT },
    { "[::1]:65536", RTCPM_ADDR_E_PORT },
    { "[::1]5060", RTCPM_ADDR_E_SYNTAX },
    { "[::1]]:5060", RTCPM_ADDR_E_BRACKET },
    { "[::1", RTCPM_ADDR_E_BRACKET },
    { "[::1:5060", RTCPM_ADDR_E_BRACKET },
    { "::1]:5060", RTCPM_ADDR_E_BRACKET },
    { "[192.0.2.1]:5060", RTCPM_ADDR_E_SYNTAX },
    { "[[::1]]:5060", RTCPM_ADDR_E_BRACKET },
    { "[fe80::1%]:5060", RTCPM_ADDR_E_ZONE },
    { "[::1]:5060:1", RTCPM_ADDR_E_PORT },
};

static void test_hostport(void)
{
    for (size_t i = 0; i < sizeof good_hostports / sizeof good_hostports[0]; i++)
    {
        rtcpm_addr a, again;
        char text[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
        const char *in = good_hostports[i].input;

        check_rc(parse_hostport_exact(in, strlen(in), &a, good_hostports[i].default_port), RTCPM_ADDR_OK, in, __LINE__);
        int n = rtcpm_addr_format_hostport(&a, text, sizeof text);
        CU_ASSERT_EQUAL(n, (int)strlen(good_hostports[i].hostport));
        check_text(text, good_hostports[i].hostport, in, __LINE__);

        /* What we print, we read back. */
        check_rc(parse_hostport_exact(text, strlen(text), &again, 0), RTCPM_ADDR_OK, text, __LINE__);
        CU_ASSERT_TRUE(rtcpm_addr_equal(&a, &again));
    }
    for (size_t i = 0; i < sizeof bad_hostports / sizeof bad_hostports[0]; i++)
    {
        rtcpm_addr a;
        const char *in = bad_hostports[i].input;
        memset(&a, 0xA5, sizeof a);
        check_rc(parse_hostport_exact(in, strlen(in), &a, 5060), bad_hostports[i].error, in, __LINE__);
        CU_ASSERT_TRUE(is_zero(&a));
    }

    /* Slices: the port ends where len says. */
    rtcpm_addr a;
    check_rc(parse_hostport_exact("192.0.2.1:50601", 14, &a, 0), RTCPM_ADDR_OK, "slice", __LINE__);
    CU_ASSERT_EQUAL(a.port, 5060);
    check_rc(parse_hostport_exact("[::1]:5060", 5, &a, 9), RTCPM_ADDR_OK, "slice", __LINE__);
    CU_ASSERT_EQUAL(a.port, 9);
    check_rc(parse_hostport_exact("[::1]:5060", 6, &a, 9), RTCPM_ADDR_E_PORT, "slice", __LINE__);
    for (size_t i = 0; i < sizeof good_hostports / sizeof good_hostports[0]; i++)
        for (size_t len = 0; len <= strlen(good_hostports[i].input); len++)
        {
            int rc = parse_hostport_exact(good_hostports[i].input, len, &a, 1);
            CU_ASSERT(rc == RTCPM_ADDR_OK || rc < 0);
        }
}

/* ---- formatting limits ---- */

static void test_format_buffer_too_small(void)
{
    static const char *const longest[] = {
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295", /* 50: RTCPM_ADDR_TEXT_SIZE - 1 */
        "255.255.255.255",
        "::ffff:255.255.255.255",
        "::",
    };
    for (size_t i = 0; i < sizeof longest / sizeof longest[0]; i++)
    {
        rtcpm_addr a = parsed(longest[i]);
        size_t need = strlen(longest[i]);
        CU_ASSERT(need + 1 <= RTCPM_ADDR_TEXT_SIZE);
        for (size_t buflen = 1; buflen <= need; buflen++)
        {
            char *buf = malloc(buflen);
            CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
            memset(buf, 'x', buflen);
            CU_ASSERT_EQUAL(rtcpm_addr_format(&a, buf, buflen), RTCPM_ADDR_E_BUFFER);
            CU_ASSERT_EQUAL(buf[0], '\0'); /* always terminated, never a truncated address */
            free(buf);
        }
        char *buf = malloc(need + 1);
        CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
        CU_ASSERT_EQUAL(rtcpm_addr_format(&a, buf, need + 1), (int)need);
        CU_ASSERT_STRING_EQUAL(buf, longest[i]);
        free(buf);
        CU_ASSERT_EQUAL(rtcpm_addr_format(&a, NULL, 0), RTCPM_ADDR_E_BUFFER);
    }

    /* The longest host:port fits RTCPM_ADDR_HOSTPORT_TEXT_SIZE exactly. */
    rtcpm_addr a;
    const char *hp = "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295]:65535";
    check_rc(rtcpm_addr_parse_hostport(hp, strlen(hp), &a, 0), RTCPM_ADDR_OK, hp, __LINE__);
    char text[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    CU_ASSERT_EQUAL(rtcpm_addr_format_hostport(&a, text, sizeof text), (int)strlen(hp));
    CU_ASSERT_EQUAL(strlen(hp) + 1, RTCPM_ADDR_HOSTPORT_TEXT_SIZE);
    CU_ASSERT_STRING_EQUAL(text, hp);
    CU_ASSERT_EQUAL(rtcpm_addr_format_hostport(&a, text, sizeof text - 1), RTCPM_ADDR_E_BUFFER);
    CU_ASSERT_EQUAL(text[0], '\0');

    /* Unset or unknown family. */
    rtcpm_addr none = { { 0 }, 0, 0, RTCPM_AF_NONE };
    memset(text, 'x', sizeof text);
    CU_ASSERT_EQUAL(rtcpm_addr_format(&none, text, sizeof text), RTCPM_ADDR_E_INVALID_ARG);
    CU_ASSERT_EQUAL(text[0], '\0');
    none.family = 5;
    CU_ASSERT_EQUAL(rtcpm_addr_format_hostport(&none, text, sizeof text), RTCPM_ADDR_E_INVALID_ARG);
    CU_ASSERT_EQUAL(rtcpm_addr_format(NULL, text, sizeof text), RTCPM_ADDR_E_INVALID_ARG);
    CU_ASSERT_EQUAL(rtcpm_addr_format(&a, NULL, 10), RTCPM_ADDR_E_INVALID_ARG);
}

/* ---- equality, hashing, IPv4-mapped ---- */

static void test_equal_and_hash(void)
{
    static const char *const loopback[] = { "::1", "0:0:0:0:0:0:0:1", "[::1]", "0::0:1", "0000::0001", "::0:0:1" };
    rtcpm_addr first = parsed(loopback[0]);
    for (size_t i = 1; i < sizeof loopback / sizeof loopback[0]; i++)
    {
        rtcpm_addr other = parsed(loopback[i]);
        CU_ASSERT_TRUE(rtcpm_addr_equal(&first, &other));
        CU_ASSERT_EQUAL(rtcpm_addr_hash(&first, 0), rtcpm_addr_hash(&other, 0));
        CU_ASSERT_EQUAL(rtcpm_addr_hash(&first, 12345), rtcpm_addr_hash(&other, 12345));
    }

    rtcpm_addr a, b;
    rtcpm_addr_parse_hostport("[2001:db8::1]:5060", 18, &a, 0);
    rtcpm_addr_parse_hostport("2001:DB8:0:0:0:0:0:1", 20, &b, 5060);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&a, &b));
    CU_ASSERT_EQUAL(rtcpm_addr_hash(&a, 99), rtcpm_addr_hash(&b, 99));
    b.port = 5061;
    CU_ASSERT_FALSE(rtcpm_addr_equal(&a, &b));
    CU_ASSERT_TRUE(rtcpm_addr_equal_host(&a, &b));
    CU_ASSERT_NOT_EQUAL(rtcpm_addr_hash(&a, 0), rtcpm_addr_hash(&b, 0));

    /* The seed matters (a table can randomise), the function stays pure. */
    CU_ASSERT_NOT_EQUAL(rtcpm_addr_hash(&a, 1), rtcpm_addr_hash(&a, 2));
    CU_ASSERT_EQUAL(rtcpm_addr_hash(&a, 1), rtcpm_addr_hash(&a, 1));

    /* Families differ even when the bytes agree. */
    rtcpm_addr v4 = parsed("1.0.0.0"), v6 = parsed("100::");
    CU_ASSERT_EQUAL(memcmp(v4.bytes, v6.bytes, 4), 0);
    CU_ASSERT_FALSE(rtcpm_addr_equal(&v4, &v6));

    /* A hand-built IPv4 value with junk past bytes[3] and a stray scope still matches. */
    rtcpm_addr junk = parsed("192.0.2.1");
    memset(junk.bytes + 4, 0x77, 12);
    junk.scope_id = 9;
    rtcpm_addr clean = parsed("192.0.2.1");
    CU_ASSERT_TRUE(rtcpm_addr_equal(&junk, &clean));
    CU_ASSERT_EQUAL(rtcpm_addr_hash(&junk, 5), rtcpm_addr_hash(&clean, 5));

    /* NULL handling. */
    CU_ASSERT_TRUE(rtcpm_addr_equal(NULL, NULL));
    CU_ASSERT_FALSE(rtcpm_addr_equal(&a, NULL));
    CU_ASSERT_FALSE(rtcpm_addr_equal_host(NULL, &a));

    /* Hashes of many distinct addresses mostly differ in their low bits (a table masks). */
    unsigned buckets[64] = { 0 };
    for (unsigned i = 0; i < 1024; i++)
    {
        uint8_t bytes[4] = { 198, 18, (uint8_t)(i >> 8), (uint8_t)i };
        rtcpm_addr x;
        rtcpm_addr_set_v4(&x, bytes, 5060);
        buckets[rtcpm_addr_hash(&x, 0) & 63]++;
    }
    for (unsigned i = 0; i < 64; i++) CU_ASSERT(buckets[i] > 0 && buckets[i] < 48); /* 16 expected per bucket */
}

static void test_v4_mapped(void)
{
    rtcpm_addr mapped, v4;
    rtcpm_addr_parse_hostport("[::ffff:192.0.2.1]:5060", 23, &mapped, 0);
    rtcpm_addr_parse_hostport("192.0.2.1:5060", 14, &v4, 0);

    /* Kept distinct by parsing... */
    CU_ASSERT_EQUAL(mapped.family, RTCPM_AF_INET6);
    CU_ASSERT_TRUE(rtcpm_addr_is_v4_mapped(&mapped));
    CU_ASSERT_FALSE(rtcpm_addr_is_v4_mapped(&v4));
    CU_ASSERT_FALSE(rtcpm_addr_equal(&mapped, &v4));

    /* ...made equal by unmapping, port kept. */
    CU_ASSERT_EQUAL(rtcpm_addr_unmap_v4(&mapped), 1);
    CU_ASSERT_EQUAL(mapped.family, RTCPM_AF_INET);
    CU_ASSERT_EQUAL(mapped.port, 5060);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&mapped, &v4));
    CU_ASSERT_EQUAL(rtcpm_addr_hash(&mapped, 3), rtcpm_addr_hash(&v4, 3));
    CU_ASSERT_EQUAL(memcmp(&mapped, &v4, sizeof v4), 0); /* same bytes exactly, too */

    /* Not mapped: left alone. */
    rtcpm_addr compat = parsed("::192.0.2.1"), nat64 = parsed("64:ff9b::192.0.2.1");
    rtcpm_addr copy = compat;
    CU_ASSERT_EQUAL(rtcpm_addr_unmap_v4(&compat), 0);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&compat, &copy));
    CU_ASSERT_EQUAL(rtcpm_addr_unmap_v4(&nat64), 0);
    CU_ASSERT_EQUAL(rtcpm_addr_unmap_v4(&v4), 0);
    CU_ASSERT_EQUAL(rtcpm_addr_unmap_v4(NULL), 0);
    CU_ASSERT_FALSE(rtcpm_addr_is_v4_mapped(NULL));
}

static void test_builders(void)
{
    static const uint8_t b4[4] = { 203, 0, 113, 7 };
    static const uint8_t b6[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    rtcpm_addr a;
    char text[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];

    memset(&a, 0xA5, sizeof a);
    rtcpm_addr_set_v4(&a, b4, 3478);
    rtcpm_addr_format_hostport(&a, text, sizeof text);
    CU_ASSERT_STRING_EQUAL(text, "203.0.113.7:3478");
    CU_ASSERT_EQUAL(a.scope_id, 0);

    rtcpm_addr_set_v6(&a, b6, 2, 5060);
    rtcpm_addr_format_hostport(&a, text, sizeof text);
    CU_ASSERT_STRING_EQUAL(text, "[fe80::1%2]:5060");
    rtcpm_addr p;
    rtcpm_addr_parse_hostport(text, strlen(text), &p, 0);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&a, &p));

    /* Zero-initialised is the unset address. */
    rtcpm_addr zero = { { 0 }, 0, 0, 0 };
    CU_ASSERT_EQUAL(zero.family, RTCPM_AF_NONE);
    CU_ASSERT(sizeof(rtcpm_addr) <= 24);
}

static void test_error_names(void)
{
    CU_ASSERT_STRING_EQUAL(rtcpm_addr_error_name(RTCPM_ADDR_OK), "RTCPM_ADDR_OK");
    CU_ASSERT_STRING_EQUAL(rtcpm_addr_error_name(RTCPM_ADDR_E_ZONE), "RTCPM_ADDR_E_ZONE");
    CU_ASSERT_STRING_EQUAL(rtcpm_addr_error_name(RTCPM_ADDR_E_BUFFER), "RTCPM_ADDR_E_BUFFER");
    CU_ASSERT_STRING_EQUAL(rtcpm_addr_error_name(-99), "RTCPM_ADDR_E_?");
    for (int e = RTCPM_ADDR_E_BUFFER; e <= RTCPM_ADDR_OK; e++)
        CU_ASSERT_STRING_NOT_EQUAL(rtcpm_addr_error_name(e), "RTCPM_ADDR_E_?");
}

static CU_TestInfo tests[] = {
    { "good_literals", test_good_literals },
    { "ipv4_bytes", test_ipv4_bytes },
    { "bad_literals", test_bad_literals },
    { "embedded_nul_and_slices", test_embedded_nul_and_slices },
    { "zones", test_zones },
    { "hostport", test_hostport },
    { "format_buffer_too_small", test_format_buffer_too_small },
    { "equal_and_hash", test_equal_and_hash },
    { "v4_mapped", test_v4_mapped },
    { "builders", test_builders },
    { "error_names", test_error_names },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("addr", tests, argc, argv); }
