/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * prefix.c — see prefix.h.
 */
#include <stdio.h>
#include <string.h>
#include "prefix.h"

static unsigned family_bits(const rtcpm_addr *a) { return a->family == RTCPM_AF_INET ? 32 : 128; }

/* 1 when the first `bits` bits of x and y agree. */
static int same_bits(const uint8_t *x, const uint8_t *y, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;
    if (memcmp(x, y, whole)) return 0;
    if (rest)
    {
        uint8_t mask = (uint8_t)(0xff << (8 - rest));
        if ((x[whole] ^ y[whole]) & mask) return 0;
    }
    return 1;
}

int rtcpm_prefix_parse(const char *text, size_t len, struct rtcpm_prefix *out, char *err, size_t errlen)
{
    const char *slash = memchr(text, '/', len);
    size_t host_len = slash ? (size_t)(slash - text) : len;
    unsigned long bits = 0;
    rtcpm_addr masked;
    char shown[RTCPM_ADDR_TEXT_SIZE];
    size_t i;

    memset(out, 0, sizeof(*out));
    if (err && errlen) err[0] = 0;
    if (rtcpm_addr_parse(text, host_len, &out->base) || out->base.scope_id)
    {
        memset(out, 0, sizeof(*out));
        if (err) snprintf(err, errlen, "'%.*s' is not an address prefix (expected address/length)", (int)len, text);
        return -1;
    }
    if (slash)
    {
        size_t n = len - host_len - 1;
        for (i = 0; i < n; i++)
        {
            char c = slash[1 + i];
            if (c < '0' || c > '9' || i >= 3) break;
            bits = bits * 10 + (unsigned long)(c - '0');
        }
        if (!n || i != n || bits > family_bits(&out->base))
        {
            if (err)
                snprintf(err, errlen, "'%.*s': prefix length must be 0..%u", (int)len, text, family_bits(&out->base));
            memset(out, 0, sizeof(*out));
            return -1;
        }
    }
    else
        bits = family_bits(&out->base);
    out->bits = (unsigned)bits;

    /* clear the host bits and refuse text that had any set */
    masked = out->base;
    for (i = 0; i < 16; i++)
    {
        unsigned lo = (unsigned)i * 8;
        if (lo >= bits)
            masked.bytes[i] = 0;
        else if (lo + 8 > bits)
            masked.bytes[i] &= (uint8_t)(0xff << (8 - (bits - lo)));
    }
    if (memcmp(masked.bytes, out->base.bytes, 16))
    {
        if (err)
        {
            rtcpm_addr_format(&masked, shown, sizeof(shown));
            snprintf(err, errlen, "'%.*s' has host bits set (did you mean %s/%u?)", (int)len, text, shown,
                     (unsigned)bits);
        }
        memset(out, 0, sizeof(*out));
        return -1;
    }
    return 0;
}

int rtcpm_prefix_contains(const struct rtcpm_prefix *p, const rtcpm_addr *a)
{
    if (!p || !a || a->family != p->base.family) return 0;
    return same_bits(p->base.bytes, a->bytes, p->bits);
}

int rtcpm_prefix_format(const struct rtcpm_prefix *p, char *buf, size_t buflen)
{
    char host[RTCPM_ADDR_TEXT_SIZE];
    int n = rtcpm_addr_format(&p->base, host, sizeof(host));
    if (n < 0) return n;
    n = snprintf(buf, buflen, "%s/%u", host, p->bits);
    return n < 0 || (size_t)n >= buflen ? RTCPM_ADDR_E_BUFFER : n;
}
