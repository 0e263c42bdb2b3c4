/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_addr.c — rtcpm_addr_parse / rtcpm_addr_parse_hostport on arbitrary bytes.
 *
 * Beyond "no crash, no read past the input" (the input is an exact-size heap block):
 *  - a failure returns a known error code and leaves *out all zero;
 *  - a success keeps the rtcpm_addr invariants (addr.h);
 *  - parse -> format -> parse gives back the identical value (every byte), and formatting
 *    that value again gives the identical text (the canonical text is a fixed point);
 *    the same for parse_hostport -> format_hostport -> parse_hostport;
 *  - the formatters need exactly len + 1 bytes: len bytes give RTCPM_ADDR_E_BUFFER and "";
 *  - whatever rtcpm_addr_parse accepts, rtcpm_addr_parse_hostport accepts as the same
 *    address with the default port;
 *  - equal values hash equally; IPv4-mapped values unmap to their last four bytes;
 *  - plain literals (no brackets, zone or port) are accepted exactly when the C library's
 *    inet_pton accepts them, with the same bytes: an independent parser as the oracle.
 *    (glibc also refuses IPv4 leading zeros, as addr.h decides.)
 */
#include <arpa/inet.h>
#include <string.h>

#include "fuzz_check.h"
#include "net/addr.h"

static int is_error_code(int rc)
{
    return rc <= RTCPM_ADDR_E_INVALID_ARG && rc >= RTCPM_ADDR_E_BUFFER &&
           strcmp(rtcpm_addr_error_name(rc), "RTCPM_ADDR_E_?") != 0;
}

static int all_zero(const rtcpm_addr *a)
{
    static const rtcpm_addr zero;
    return memcmp(a, &zero, sizeof zero) == 0;
}

static void check_invariants(const rtcpm_addr *a)
{
    FUZZ_CHECK(a->family == RTCPM_AF_INET || a->family == RTCPM_AF_INET6);
    if (a->family == RTCPM_AF_INET)
    {
        for (int i = 4; i < 16; i++) FUZZ_CHECK(a->bytes[i] == 0);
        FUZZ_CHECK(a->scope_id == 0);
    }
}

typedef int (*format_fn)(const rtcpm_addr *, char *, size_t);
typedef int (*parse_fn)(const char *, size_t, rtcpm_addr *);

static int parse_hostport_no_default(const char *text, size_t len, rtcpm_addr *out)
{
    return rtcpm_addr_parse_hostport(text, len, out, 0);
}

/* Formats a into a fresh exact-size heap string (NUL included) and checks the buffer rules. */
static char *format_exact(format_fn format, const rtcpm_addr *a, size_t max_size, int *len_out)
{
    char big[128];
    int len = format(a, big, sizeof big);
    FUZZ_CHECK(len > 0 && (size_t)len < max_size);
    FUZZ_CHECK(strlen(big) == (size_t)len);

    char *exact = fuzz_alloc((size_t)len + 1);
    FUZZ_CHECK(format(a, exact, (size_t)len + 1) == len);
    FUZZ_CHECK(memcmp(exact, big, (size_t)len + 1) == 0);

    char *short_buf = fuzz_alloc((size_t)len);
    memset(short_buf, 'x', (size_t)len);
    FUZZ_CHECK(format(a, short_buf, (size_t)len) == RTCPM_ADDR_E_BUFFER);
    FUZZ_CHECK(short_buf[0] == '\0');
    free(short_buf);

    *len_out = len;
    return exact;
}

/* value -> text -> value must give the same bytes, and the text is canonical. */
static void check_round_trip(const rtcpm_addr *a, format_fn format, parse_fn parse, size_t max_size)
{
    int len;
    char *text = format_exact(format, a, max_size, &len);

    /* Parse from an exact-size copy without the NUL: parsers take (text, len). */
    char *slice = fuzz_alloc((size_t)len);
    memcpy(slice, text, (size_t)len);
    rtcpm_addr b;
    int rc = parse(slice, (size_t)len, &b);
    if (rc != RTCPM_ADDR_OK)
        fprintf(stderr, "fuzz_addr: \"%s\" does not parse back: %s\n", text, rtcpm_addr_error_name(rc));
    FUZZ_CHECK(rc == RTCPM_ADDR_OK);
    FUZZ_CHECK(memcmp(a, &b, sizeof b) == 0);
    FUZZ_CHECK(rtcpm_addr_equal(a, &b));
    FUZZ_CHECK(rtcpm_addr_hash(a, 0) == rtcpm_addr_hash(&b, 0));
    FUZZ_CHECK(rtcpm_addr_hash(a, 0x9e3779b9u) == rtcpm_addr_hash(&b, 0x9e3779b9u));

    int len2;
    char *text2 = format_exact(format, &b, max_size, &len2);
    FUZZ_CHECK(len2 == len && memcmp(text, text2, (size_t)len) == 0);

    free(text2);
    free(slice);
    free(text);
}

static void check_value(const rtcpm_addr *a)
{
    check_invariants(a);
    /* The host alone: rtcpm_addr_parse yields port 0, so compare with the port dropped. */
    rtcpm_addr host = *a;
    host.port = 0;
    check_round_trip(&host, rtcpm_addr_format, rtcpm_addr_parse, RTCPM_ADDR_TEXT_SIZE);
    check_round_trip(a, rtcpm_addr_format_hostport, parse_hostport_no_default, RTCPM_ADDR_HOSTPORT_TEXT_SIZE);

    if (rtcpm_addr_is_v4_mapped(a))
    {
        rtcpm_addr v4 = *a;
        FUZZ_CHECK(rtcpm_addr_unmap_v4(&v4) == 1);
        FUZZ_CHECK(v4.family == RTCPM_AF_INET && v4.port == a->port && v4.scope_id == 0);
        FUZZ_CHECK(memcmp(v4.bytes, a->bytes + 12, 4) == 0);
        FUZZ_CHECK(!rtcpm_addr_equal(&v4, a));
    }
}

/* rc and a are what rtcpm_addr_parse made of text. */
static void check_against_inet_pton(const char *text, size_t size, int rc, const rtcpm_addr *a)
{
    char s[64];
    if (size == 0 || size >= sizeof s || memchr(text, '\0', size) || memchr(text, '[', size) ||
        memchr(text, ']', size) || memchr(text, '%', size))
        return;
    memcpy(s, text, size);
    s[size] = '\0';
    int v6 = memchr(text, ':', size) != NULL;
    uint8_t bytes[16];
    int os_ok = inet_pton(v6 ? AF_INET6 : AF_INET, s, bytes) == 1;
    if (os_ok != (rc == RTCPM_ADDR_OK))
        fprintf(stderr, "fuzz_addr: \"%s\": inet_pton %s, rtcpm_addr_parse %s\n", s, os_ok ? "accepts" : "refuses",
                rtcpm_addr_error_name(rc));
    FUZZ_CHECK(os_ok == (rc == RTCPM_ADDR_OK));
    if (os_ok)
    {
        FUZZ_CHECK(a->family == (v6 ? RTCPM_AF_INET6 : RTCPM_AF_INET));
        FUZZ_CHECK(memcmp(a->bytes, bytes, v6 ? 16 : 4) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    rtcpm_addr a, hp;

    int rc = rtcpm_addr_parse(text, size, &a);
    if (rc != RTCPM_ADDR_OK)
    {
        FUZZ_CHECK(is_error_code(rc) && rc != RTCPM_ADDR_E_BUFFER && rc != RTCPM_ADDR_E_PORT);
        FUZZ_CHECK(all_zero(&a));
    }
    else
    {
        FUZZ_CHECK(a.port == 0);
        check_value(&a);
    }
    check_against_inet_pton(text, size, rc, &a);

    static const uint16_t default_ports[] = { 0, 3478 };
    for (size_t i = 0; i < sizeof default_ports / sizeof default_ports[0]; i++)
    {
        int hrc = rtcpm_addr_parse_hostport(text, size, &hp, default_ports[i]);
        if (hrc != RTCPM_ADDR_OK)
        {
            FUZZ_CHECK(is_error_code(hrc) && hrc != RTCPM_ADDR_E_BUFFER);
            FUZZ_CHECK(all_zero(&hp));
            /* a bare literal is also a valid host[:port] */
            FUZZ_CHECK(rc != RTCPM_ADDR_OK);
            continue;
        }
        check_value(&hp);
        if (rc == RTCPM_ADDR_OK)
        {
            FUZZ_CHECK(hp.port == default_ports[i]);
            FUZZ_CHECK(rtcpm_addr_equal_host(&a, &hp));
        }
    }
    return 0;
}
