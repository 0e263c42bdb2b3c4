/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — network addresses as text: RFC 5952's canonical IPv6 form, dotted quads, zones,
 * "[v6]:port". See addr.h for the decisions; parsing, comparison and the builders are in
 * addr.c.
 */
#include "addr.h"

#include <string.h>

/* A bounded text builder: never overruns, remembers whether anything was cut. */
struct text_out
{
    char buf[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    size_t len;
};

static void put_char(struct text_out *t, char c)
{
    if (t->len < sizeof t->buf - 1) t->buf[t->len] = c;
    t->len++;
}

static void put_str(struct text_out *t, const char *s)
{
    while (*s) put_char(t, *s++);
}

static void put_decimal(struct text_out *t, uint32_t v)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) put_char(t, digits[--n]);
}

static void put_hex16(struct text_out *t, unsigned v)
{
    static const char hex[] = "0123456789abcdef";
    int started = 0;
    for (int shift = 12; shift >= 0; shift -= 4)
    {
        unsigned nibble = (v >> shift) & 0xf;
        if (nibble || started || shift == 0)
        {
            put_char(t, hex[nibble]);
            started = 1;
        }
    }
}

static void put_ipv4(struct text_out *t, const uint8_t b[4])
{
    for (int k = 0; k < 4; k++)
    {
        if (k) put_char(t, '.');
        put_decimal(t, b[k]);
    }
}

/* RFC 5952 section 4 and 5. */
static void put_ipv6(struct text_out *t, const rtcpm_addr *a)
{
    const uint8_t *b = a->bytes;

    if (rtcpm_addr_is_v4_mapped(a))
    {
        put_str(t, "::ffff:");
        put_ipv4(t, b + 12);
        return;
    }

    unsigned groups[8];
    for (int k = 0; k < 8; k++) groups[k] = (unsigned)b[2 * k] << 8 | b[2 * k + 1];

    /* Longest run of zero groups, length >= 2, first one on a tie. */
    int best_start = -1, best_len = 0;
    for (int k = 0; k < 8;)
    {
        if (groups[k] != 0)
        {
            k++;
            continue;
        }
        int start = k;
        while (k < 8 && groups[k] == 0) k++;
        if (k - start > best_len)
        {
            best_start = start;
            best_len = k - start;
        }
    }
    if (best_len < 2)
    {
        best_start = -1;
        best_len = 0;
    }

    for (int k = 0; k < 8; k++)
    {
        if (k == best_start)
        {
            put_str(t, "::");
            k += best_len - 1;
            continue;
        }
        if (k && k != best_start + best_len) put_char(t, ':');
        put_hex16(t, groups[k]);
    }
}

static int put_host(struct text_out *t, const rtcpm_addr *a, int bracket_v6)
{
    if (a->family == RTCPM_AF_INET)
    {
        put_ipv4(t, a->bytes);
        return RTCPM_ADDR_OK;
    }
    if (a->family != RTCPM_AF_INET6) return RTCPM_ADDR_E_INVALID_ARG;
    if (bracket_v6) put_char(t, '[');
    put_ipv6(t, a);
    if (a->scope_id)
    {
        put_char(t, '%');
        put_decimal(t, a->scope_id);
    }
    if (bracket_v6) put_char(t, ']');
    return RTCPM_ADDR_OK;
}

static int emit(const struct text_out *t, char *buf, size_t buflen)
{
    if (t->len >= buflen || t->len >= sizeof t->buf)
    {
        if (buflen) buf[0] = '\0';
        return RTCPM_ADDR_E_BUFFER;
    }
    memcpy(buf, t->buf, t->len);
    buf[t->len] = '\0';
    return (int)t->len;
}

/* The host (hostport: "[v6]" and ":port" when the port is set) into buf. */
static int format_addr(const rtcpm_addr *a, int hostport, char *buf, size_t buflen)
{
    struct text_out t = { { 0 }, 0 };
    if (!buf && buflen) return RTCPM_ADDR_E_INVALID_ARG;
    if (!a || put_host(&t, a, hostport) != RTCPM_ADDR_OK)
    {
        if (buflen) buf[0] = '\0';
        return RTCPM_ADDR_E_INVALID_ARG;
    }
    if (hostport && a->port)
    {
        put_char(&t, ':');
        put_decimal(&t, a->port);
    }
    return emit(&t, buf, buflen);
}

int rtcpm_addr_format(const rtcpm_addr *a, char *buf, size_t buflen) { return format_addr(a, 0, buf, buflen); }

int rtcpm_addr_format_hostport(const rtcpm_addr *a, char *buf, size_t buflen) { return format_addr(a, 1, buf, buflen); }

const char *rtcpm_addr_text(const rtcpm_addr *a, char buf[RTCPM_ADDR_TEXT_SIZE])
{
    if (rtcpm_addr_format(a, buf, RTCPM_ADDR_TEXT_SIZE) < 0) strcpy(buf, "?");
    return buf;
}

const char *rtcpm_addr_hostport_text(const rtcpm_addr *a, char buf[RTCPM_ADDR_HOSTPORT_TEXT_SIZE])
{
    if (rtcpm_addr_format_hostport(a, buf, RTCPM_ADDR_HOSTPORT_TEXT_SIZE) < 0) strcpy(buf, "?");
    return buf;
}
