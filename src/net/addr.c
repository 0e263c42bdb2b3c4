/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — canonical network addresses. See addr.h for the accepted syntax and the
 * decisions taken; this file implements parsing, comparison, hashing and the builders (the
 * text form is written by addr_format.c).
 */
#include "addr.h"

#include <string.h>

#define FNV32_OFFSET   2166136261u
#define FNV32_PRIME    16777619u
#define ZONE_NAMED_BIT 0x80000000u

/* ---- character classes (locale-independent, unlike <ctype.h>) ---- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* RFC 3986 unreserved: the zone characters we accept. */
static int is_zone_char(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

static const char *find_char(const char *s, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == c) return s + i;
    return NULL;
}

static size_t count_char(const char *s, size_t n, char c)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) count += s[i] == c;
    return count;
}

/* ---- parsing ---- */

/* Strict dotted quad filling out[0..3]; the whole slice must be consumed. */
static int parse_ipv4(const char *s, size_t n, uint8_t out[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++)
    {
        size_t start = i;
        unsigned value = 0;
        while (i < n && is_digit(s[i]) && i - start < 4)
        {
            value = value * 10 + (unsigned)(s[i] - '0');
            i++;
        }
        size_t digits = i - start;
        if (digits == 0 || digits > 3 || value > 255) return RTCPM_ADDR_E_SYNTAX;
        if (digits > 1 && s[start] == '0') return RTCPM_ADDR_E_SYNTAX; /* octal or decimal? refuse to guess */
        out[part] = (uint8_t)value;
        if (part < 3)
        {
            if (i >= n || s[i] != '.') return RTCPM_ADDR_E_SYNTAX;
            i++;
        }
    }
    return i == n ? RTCPM_ADDR_OK : RTCPM_ADDR_E_SYNTAX;
}

/* The groups of an IPv6 text from s[i] on: hex groups separated by ':', at most one "::"
 * (where it stands in groups[] goes to *gap), an embedded IPv4 address as the last 32 bits.
 * RTCPM_ADDR_OK with the count in *count, or RTCPM_ADDR_E_SYNTAX. */
static int read_ipv6_groups(const char *s, size_t n, size_t i, uint16_t groups[8], int *count, int *gap)
{
    int ngroups = 0;

    while (i < n)
    {
        size_t start = i;
        unsigned value = 0;
        int hv;
        while (i < n && (hv = hex_value(s[i])) >= 0 && i - start < 5)
        {
            value = value * 16 + (unsigned)hv;
            i++;
        }
        if (i < n && s[i] == '.')
        {
            /* Embedded IPv4: must be the last 32 bits, after at most 6 groups. */
            if (ngroups > 6) return RTCPM_ADDR_E_SYNTAX;
            uint8_t v4[4];
            if (parse_ipv4(s + start, n - start, v4) != RTCPM_ADDR_OK) return RTCPM_ADDR_E_SYNTAX;
            groups[ngroups++] = (uint16_t)(v4[0] << 8 | v4[1]);
            groups[ngroups++] = (uint16_t)(v4[2] << 8 | v4[3]);
            break;
        }
        size_t digits = i - start;
        if (digits == 0 || digits > 4 || ngroups == 8) return RTCPM_ADDR_E_SYNTAX;
        groups[ngroups++] = (uint16_t)value;
        if (i == n) break;
        if (s[i] != ':') return RTCPM_ADDR_E_SYNTAX;
        i++;
        if (i < n && s[i] == ':')
        {
            if (*gap >= 0) return RTCPM_ADDR_E_SYNTAX; /* a second "::" */
            *gap = ngroups;
            i++;
        }
        else if (i == n)
        {
            return RTCPM_ADDR_E_SYNTAX; /* a lone trailing colon */
        }
    }
    *count = ngroups;
    return RTCPM_ADDR_OK;
}

/* groups[0..ngroups) with the zero groups of "::" at gap (-1: none) into out[0..15]. */
static void expand_ipv6_groups(const uint16_t groups[8], int ngroups, int gap, uint8_t out[16])
{
    uint16_t full[8] = { 0 };
    if (gap < 0)
    {
        memcpy(full, groups, sizeof full);
    }
    else
    {
        int tail = ngroups - gap;
        for (int k = 0; k < gap; k++) full[k] = groups[k];
        for (int k = 0; k < tail; k++) full[8 - tail + k] = groups[gap + k];
    }
    for (int k = 0; k < 8; k++)
    {
        out[2 * k] = (uint8_t)(full[k] >> 8);
        out[2 * k + 1] = (uint8_t)(full[k] & 0xff);
    }
}

/* RFC 4291 section 2.2 text (no zone, no brackets) into out[0..15]. */
static int parse_ipv6(const char *s, size_t n, uint8_t out[16])
{
    uint16_t groups[8];
    int ngroups = 0;
    int gap = -1; /* index in groups[] where "::" stands, -1 if none */
    size_t i = 0;

    if (n >= 2 && s[0] == ':' && s[1] == ':')
    {
        gap = 0;
        i = 2;
    }
    else if (n >= 1 && s[0] == ':')
    {
        return RTCPM_ADDR_E_SYNTAX; /* a lone leading colon */
    }
    if (read_ipv6_groups(s, n, i, groups, &ngroups, &gap) != RTCPM_ADDR_OK) return RTCPM_ADDR_E_SYNTAX;

    if (gap < 0 && ngroups != 8) return RTCPM_ADDR_E_SYNTAX;
    if (gap >= 0 && ngroups > 7) return RTCPM_ADDR_E_SYNTAX; /* "::" must stand for at least one group */
    expand_ipv6_groups(groups, ngroups, gap, out);
    return RTCPM_ADDR_OK;
}

static int parse_zone(const char *s, size_t n, uint32_t *scope_id)
{
    if (n == 0 || n > RTCPM_ADDR_ZONE_MAX) return RTCPM_ADDR_E_ZONE;
    int numeric = 1;
    for (size_t i = 0; i < n; i++)
    {
        if (!is_zone_char(s[i])) return RTCPM_ADDR_E_ZONE;
        numeric &= is_digit(s[i]);
    }
    if (numeric)
    {
        uint64_t value = 0;
        for (size_t i = 0; i < n; i++)
        {
            value = value * 10 + (uint64_t)(s[i] - '0');
            if (value > UINT32_MAX) return RTCPM_ADDR_E_ZONE;
        }
        *scope_id = (uint32_t)value;
        return RTCPM_ADDR_OK;
    }
    /* Named zone: a stable hash, top bit set so small interface indexes stay apart. */
    uint32_t h = FNV32_OFFSET;
    for (size_t i = 0; i < n; i++)
    {
        h ^= (uint8_t)s[i];
        h *= FNV32_PRIME;
    }
    *scope_id = h | ZONE_NAMED_BIT;
    return RTCPM_ADDR_OK;
}

/* An IPv6 literal with optional zone, no brackets. */
static int parse_ipv6_with_zone(const char *s, size_t n, rtcpm_addr *out)
{
    const char *pct = find_char(s, n, '%');
    size_t addr_len = pct ? (size_t)(pct - s) : n;
    uint8_t bytes[16];
    uint32_t scope_id = 0;
    int rc;

    if (addr_len == 0) return RTCPM_ADDR_E_EMPTY;
    if ((rc = parse_ipv6(s, addr_len, bytes)) != RTCPM_ADDR_OK) return rc;
    if (pct && (rc = parse_zone(pct + 1, n - addr_len - 1, &scope_id)) != RTCPM_ADDR_OK) return rc;
    rtcpm_addr_set_v6(out, bytes, scope_id, 0);
    return RTCPM_ADDR_OK;
}

/* An IP literal without brackets: IPv6 if it has a colon, IPv4 otherwise. */
static int parse_bare(const char *s, size_t n, rtcpm_addr *out)
{
    if (n == 0) return RTCPM_ADDR_E_EMPTY;
    /* one pass: brackets anywhere, the first '%', a ':' before it */
    const char *pct = NULL;
    int colon = 0;
    for (size_t i = 0; i < n; i++)
    {
        if (s[i] == '[' || s[i] == ']') return RTCPM_ADDR_E_BRACKET;
        if (!pct && s[i] == '%')
            pct = s + i;
        else if (!pct && s[i] == ':')
            colon = 1;
    }
    size_t addr_len = pct ? (size_t)(pct - s) : n;
    if (colon) return parse_ipv6_with_zone(s, n, out);
    uint8_t v4[4];
    int rc = parse_ipv4(s, addr_len, v4);
    if (rc != RTCPM_ADDR_OK) return rc;
    if (pct) return RTCPM_ADDR_E_ZONE; /* zones are an IPv6 notion */
    rtcpm_addr_set_v4(out, v4, 0);
    return RTCPM_ADDR_OK;
}

/* "[...]" holding an IPv6 literal (with optional zone). */
static int parse_bracketed(const char *s, size_t n, rtcpm_addr *out)
{
    if (n < 2 || s[0] != '[' || s[n - 1] != ']') return RTCPM_ADDR_E_BRACKET;
    const char *inner = s + 1;
    size_t inner_len = n - 2;
    if (inner_len == 0) return RTCPM_ADDR_E_EMPTY;
    if (find_char(inner, inner_len, '[') || find_char(inner, inner_len, ']')) return RTCPM_ADDR_E_BRACKET;
    const char *pct = find_char(inner, inner_len, '%');
    size_t addr_len = pct ? (size_t)(pct - inner) : inner_len;
    if (!find_char(inner, addr_len, ':')) return RTCPM_ADDR_E_SYNTAX; /* brackets are for IPv6 only */
    return parse_ipv6_with_zone(inner, inner_len, out);
}

int rtcpm_addr_parse(const char *text, size_t len, rtcpm_addr *out)
{
    if (!out) return RTCPM_ADDR_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (!text && len) return RTCPM_ADDR_E_INVALID_ARG;

    int rc = (len > 0 && text[0] == '[') ? parse_bracketed(text, len, out) : parse_bare(text, len, out);
    if (rc != RTCPM_ADDR_OK) memset(out, 0, sizeof *out);
    return rc;
}

/* 1..65535, 1 to 5 decimal digits. */
static int parse_port(const char *s, size_t n, uint16_t *port)
{
    if (n == 0 || n > 5) return RTCPM_ADDR_E_PORT;
    unsigned value = 0;
    for (size_t i = 0; i < n; i++)
    {
        if (!is_digit(s[i])) return RTCPM_ADDR_E_PORT;
        value = value * 10 + (unsigned)(s[i] - '0');
    }
    if (value == 0 || value > 65535) return RTCPM_ADDR_E_PORT;
    *port = (uint16_t)value;
    return RTCPM_ADDR_OK;
}

static int parse_hostport(const char *s, size_t n, rtcpm_addr *out, uint16_t default_port)
{
    uint16_t port = default_port;
    int rc;

    if (n == 0) return RTCPM_ADDR_E_EMPTY;

    if (s[0] == '[')
    {
        const char *close = find_char(s, n, ']');
        if (!close) return RTCPM_ADDR_E_BRACKET;
        size_t host_len = (size_t)(close - s) + 1;
        if ((rc = parse_bracketed(s, host_len, out)) != RTCPM_ADDR_OK) return rc;
        if (host_len < n)
        {
            if (s[host_len] != ':')
                return find_char(s + host_len, n - host_len, ']') ? RTCPM_ADDR_E_BRACKET : RTCPM_ADDR_E_SYNTAX;
            if ((rc = parse_port(s + host_len + 1, n - host_len - 1, &port)) != RTCPM_ADDR_OK) return rc;
        }
    }
    else if (count_char(s, n, ':') == 1)
    {
        /* Exactly one colon: IPv4 host, then port. */
        const char *colon = find_char(s, n, ':');
        size_t host_len = (size_t)(colon - s);
        if ((rc = parse_bare(s, host_len, out)) != RTCPM_ADDR_OK) return rc;
        if ((rc = parse_port(colon + 1, n - host_len - 1, &port)) != RTCPM_ADDR_OK) return rc;
    }
    else
    {
        /* No colon (IPv4) or two and more (a whole IPv6 address, no port). */
        if ((rc = parse_bare(s, n, out)) != RTCPM_ADDR_OK) return rc;
    }
    out->port = port;
    return RTCPM_ADDR_OK;
}

int rtcpm_addr_parse_hostport(const char *text, size_t len, rtcpm_addr *out, uint16_t default_port)
{
    if (!out) return RTCPM_ADDR_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (!text && len) return RTCPM_ADDR_E_INVALID_ARG;

    int rc = parse_hostport(text, len, out, default_port);
    if (rc != RTCPM_ADDR_OK) memset(out, 0, sizeof *out);
    return rc;
}

/* ---- comparison and hashing ---- */

static size_t significant_bytes(const rtcpm_addr *a)
{
    return a->family == RTCPM_AF_INET ? 4 : a->family == RTCPM_AF_INET6 ? 16 : 0;
}

int rtcpm_addr_equal_host(const rtcpm_addr *a, const rtcpm_addr *b)
{
    if (!a || !b) return a == b;
    if (a->family != b->family) return 0;
    if (memcmp(a->bytes, b->bytes, significant_bytes(a)) != 0) return 0;
    /* scope only means something for IPv6; IPv4 values built by hand may carry junk */
    return a->family != RTCPM_AF_INET6 || a->scope_id == b->scope_id;
}

int rtcpm_addr_is_unspecified(const rtcpm_addr *a)
{
    static const uint8_t zero[16];
    return a && significant_bytes(a) && !memcmp(a->bytes, zero, significant_bytes(a));
}

int rtcpm_addr_equal(const rtcpm_addr *a, const rtcpm_addr *b)
{
    if (!a || !b) return a == b;
    return a->port == b->port && rtcpm_addr_equal_host(a, b);
}

/* MurmurHash3's 32-bit block step and finaliser: a word at a time (an IPv4 key is three
 * steps), where byte-wise FNV-1a cost ~100 instructions per key in the mapping table's
 * hottest path. */
static uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

static uint32_t murmur_step(uint32_t h, uint32_t k)
{
    k *= 0xcc9e2d51u;
    k = rotl32(k, 15);
    k *= 0x1b873593u;
    h ^= k;
    h = rotl32(h, 13);
    return h * 5 + 0xe6546b64u;
}

uint32_t rtcpm_addr_hash(const rtcpm_addr *a, uint32_t seed)
{
    uint32_t h = murmur_step(seed, 0x9e3779b9u);
    if (a)
    {
        size_t n = significant_bytes(a);
        h = murmur_step(h, (uint32_t)(n ? a->family : 0) | (uint32_t)a->port << 16);
        for (size_t i = 0; i < n; i += 4)
            h = murmur_step(h, (uint32_t)a->bytes[i] | (uint32_t)a->bytes[i + 1] << 8 |
                                   (uint32_t)a->bytes[i + 2] << 16 | (uint32_t)a->bytes[i + 3] << 24);
        if (a->family == RTCPM_AF_INET6) h = murmur_step(h, a->scope_id);
        h ^= (uint32_t)n;
    }
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* ---- builders and IPv4-mapped handling ---- */

static int is_v4_mapped_bytes(const uint8_t b[16])
{
    static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    return memcmp(b, prefix, sizeof prefix) == 0;
}

void rtcpm_addr_set_v4(rtcpm_addr *out, const uint8_t bytes[4], uint16_t port)
{
    memset(out, 0, sizeof *out);
    out->family = RTCPM_AF_INET;
    memcpy(out->bytes, bytes, 4);
    out->port = port;
}

void rtcpm_addr_set_v6(rtcpm_addr *out, const uint8_t bytes[16], uint32_t scope_id, uint16_t port)
{
    memset(out, 0, sizeof *out);
    out->family = RTCPM_AF_INET6;
    memcpy(out->bytes, bytes, 16);
    out->scope_id = scope_id;
    out->port = port;
}

int rtcpm_addr_is_v4_mapped(const rtcpm_addr *a)
{
    return a && a->family == RTCPM_AF_INET6 && is_v4_mapped_bytes(a->bytes);
}

int rtcpm_addr_unmap_v4(rtcpm_addr *a)
{
    if (!rtcpm_addr_is_v4_mapped(a)) return 0;
    uint8_t v4[4];
    memcpy(v4, a->bytes + 12, 4);
    rtcpm_addr_set_v4(a, v4, a->port);
    return 1;
}

const char *rtcpm_addr_error_name(int err)
{
    switch (err)
    {
    case RTCPM_ADDR_OK: return "RTCPM_ADDR_OK";
    case RTCPM_ADDR_E_INVALID_ARG: return "RTCPM_ADDR_E_INVALID_ARG";
    case RTCPM_ADDR_E_EMPTY: return "RTCPM_ADDR_E_EMPTY";
    case RTCPM_ADDR_E_SYNTAX: return "RTCPM_ADDR_E_SYNTAX";
    case RTCPM_ADDR_E_ZONE: return "RTCPM_ADDR_E_ZONE";
    case RTCPM_ADDR_E_BRACKET: return "RTCPM_ADDR_E_BRACKET";
    case RTCPM_ADDR_E_PORT: return "RTCPM_ADDR_E_PORT";
    case RTCPM_ADDR_E_BUFFER: return "RTCPM_ADDR_E_BUFFER";
    }
    return "RTCPM_ADDR_E_?";
}
