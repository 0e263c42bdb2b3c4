/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — canonical network addresses (IPv4 and IPv6), text <-> binary.
 *
 * Pure C11: no sockets, no OS calls, no global state. The socket layer converts
 * rtcpm_addr to and from struct sockaddr_in/_in6; everything above it (mapping table,
 * STUN codec, Contact/SDP output) works on this one type, so IPv6 is never an afterthought.
 *
 * Decisions (documented once, here):
 *  - IPv4 text is strict dotted-quad: exactly four decimal parts 0..255, 1 to 3 digits,
 *    no leading zeros ("01.2.3.4" is rejected: inet_aton would read it as octal, we refuse
 *    to guess), no shorthand ("127.1"), no hex.
 *  - IPv6 text is any RFC 4291 section 2.2 form: full, "::"-compressed (including "::" alone
 *    and a "::" standing for a single group), 1 to 4 hex digits per group in either case,
 *    embedded dotted IPv4 in the last 32 bits ("::ffff:1.2.3.4", "64:ff9b::1.2.3.4").
 *  - Zones ("fe80::1%eth0", "fe80::1%3") are accepted on IPv6 only. The zone is 1 to
 *    RTCPM_ADDR_ZONE_MAX characters from the RFC 3986 "unreserved" set (ALPHA DIGIT - . _ ~).
 *    An all-digit zone is a numeric scope id (0..4294967295) stored as is. A named zone is
 *    stored as its 32-bit FNV-1a hash with the top bit set: the same name always gives the
 *    same scope_id, so equality and hashing work, but the name itself is not kept — a layer
 *    that needs the OS interface index must resolve the name (if_nametoindex) itself.
 *    scope_id 0 means "no zone" ("%0" parses to the same address as no zone).
 *    Percent-encoded zones (RFC 6874 "%25") are not decoded: "%25" is numeric zone 25.
 *  - Brackets: rtcpm_addr_parse accepts an IPv6 literal optionally enclosed in "[...]";
 *    brackets around IPv4 are rejected (RFC 3986 IP-literal is IPv6 only).
 *  - An IPv4-mapped IPv6 address ("::ffff:1.2.3.4", family INET6) and the IPv4 address
 *    ("1.2.3.4", family INET) are distinct: parsing keeps what was written, equality and hash
 *    tell them apart. Call rtcpm_addr_unmap_v4() to canonicalise before comparing when a
 *    dual-stack socket may report either form.
 *  - port 0 means "no port". rtcpm_addr_parse always yields port 0.
 *
 * Parsers never read beyond text[len - 1] and need no NUL terminator; a NUL byte inside the
 * slice is just an invalid character. On failure *out is zeroed (family RTCPM_AF_NONE).
 */
#ifndef RTCPM_NET_ADDR_H
#define RTCPM_NET_ADDR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum rtcpm_addr_family
{
    RTCPM_AF_NONE = 0, /* zero-initialised / unset */
    RTCPM_AF_INET = 4,
    RTCPM_AF_INET6 = 6
};

/*
 * Plain old data, 24 bytes, valid when zero-initialised (family NONE).
 * Invariants kept by every function here: for IPv4 the address is bytes[0..3] (network
 * order) and bytes[4..15] and scope_id are 0; for IPv6 bytes[0..15] in network order.
 * Equality and hashing only look at the significant bytes, so a hand-built value with
 * stray bytes past [3] still compares as expected.
 */
typedef struct rtcpm_addr
{
    uint8_t bytes[16];
    uint32_t scope_id; /* IPv6 zone: numeric index, or FNV-1a(name) | 0x80000000; 0 = none */
    uint16_t port;     /* host byte order; 0 = none */
    uint8_t family;    /* enum rtcpm_addr_family */
} rtcpm_addr;

/* Error codes (all negative; 0 is success). */
enum rtcpm_addr_error
{
    RTCPM_ADDR_OK = 0,
    RTCPM_ADDR_E_INVALID_ARG = -1, /* NULL pointer, or an unset/unknown family to format */
    RTCPM_ADDR_E_EMPTY = -2,       /* nothing to parse (len 0, "[]", host missing before ":port") */
    RTCPM_ADDR_E_SYNTAX = -3,      /* not an IPv4 or IPv6 literal */
    RTCPM_ADDR_E_ZONE = -4,        /* zone on IPv4, empty, too long, bad character, or > 2^32-1 */
    RTCPM_ADDR_E_BRACKET = -5,     /* unbalanced or misplaced '[' ']' */
    RTCPM_ADDR_E_PORT = -6,        /* port missing after ':', not decimal, 0, or > 65535 */
    RTCPM_ADDR_E_BUFFER = -7       /* output buffer too small */
};

/* Longest zone text accepted (Linux IFNAMSIZ is 16, Windows zones are numeric). */
#define RTCPM_ADDR_ZONE_MAX 64

/* Buffer sizes, NUL included, that always suffice for the formatters:
 * 39 ("ffff:...:ffff") + 11 ("%4294967295") + 1; hostport adds "[" "]" ":65535". */
#define RTCPM_ADDR_TEXT_SIZE          51
#define RTCPM_ADDR_HOSTPORT_TEXT_SIZE 59

/* Longest text rtcpm_addr_parse accepts, in characters (NUL not counted): "[" + the longest
 * IPv6 text, six 4-digit groups and an IPv4 tail ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
 * 45) + "%" + a zone of RTCPM_ADDR_ZONE_MAX + "]" = 112. Input (BSTRs, strings) is read into
 * a buffer of RTCPM_ADDR_PARSE_TEXT_MAX + 1 bytes: whatever does not fit is no address. The
 * formatters' sizes above are smaller: they print a named zone as its number. */
#define RTCPM_ADDR_PARSE_TEXT_MAX (1 + 45 + 1 + RTCPM_ADDR_ZONE_MAX + 1)

/*
 * Parses an IP literal without port: "192.0.2.1", "2001:db8::1", "[2001:db8::1]",
 * "fe80::1%eth0", "[fe80::1%3]". Returns 0 or a negative rtcpm_addr_error.
 */
int rtcpm_addr_parse(const char *text, size_t len, rtcpm_addr *out);

/*
 * Parses "host[:port]" where host is an IP literal:
 *   "192.0.2.1"            -> port = default_port
 *   "192.0.2.1:5060"       -> port 5060
 *   "[2001:db8::1]:5060"   -> port 5060
 *   "[2001:db8::1]"        -> port = default_port
 *   "2001:db8::1"          -> port = default_port (unbracketed text with two or more colons
 *                             is always a whole IPv6 address: "::1:5060" is the address
 *                             ::1:5060, not ::1 port 5060)
 *   "[fe80::1%eth0]:5060"  -> zone and port
 * A port written in the text is 1..65535, decimal digits only (leading zeros allowed, at
 * most 5 digits). default_port is used as given (0 = "no port").
 */
int rtcpm_addr_parse_hostport(const char *text, size_t len, rtcpm_addr *out, uint16_t default_port);

/*
 * Canonical text, RFC 5952: lowercase hex, leading zeros dropped, the longest run of two or
 * more zero groups replaced by "::" (the first one on a tie), a single zero group never
 * compressed, IPv4-mapped addresses as "::ffff:a.b.c.d". IPv4 as dotted quad. A non-zero
 * scope_id is appended as "%N" (decimal; a named zone prints as its hash number).
 * The port is not printed.
 * Returns the text length (excluding NUL), or RTCPM_ADDR_E_BUFFER if buflen is too small
 * (the buffer then holds "" when buflen > 0), or RTCPM_ADDR_E_INVALID_ARG.
 */
int rtcpm_addr_format(const rtcpm_addr *a, char *buf, size_t buflen);

/*
 * "192.0.2.1:5060", "[2001:db8::1]:5060", "[fe80::1%3]:5060". With port 0 the port is
 * left out ("192.0.2.1", "[2001:db8::1]"), which rtcpm_addr_parse_hostport reads back.
 * Same return convention as rtcpm_addr_format.
 */
int rtcpm_addr_format_hostport(const rtcpm_addr *a, char *buf, size_t buflen);

/* The two texts above for a message: buf, holding "?" when a cannot be printed. */
const char *rtcpm_addr_text(const rtcpm_addr *a, char buf[RTCPM_ADDR_TEXT_SIZE]);
const char *rtcpm_addr_hostport_text(const rtcpm_addr *a, char buf[RTCPM_ADDR_HOSTPORT_TEXT_SIZE]);

/* 1 when family, significant address bytes, scope_id and port are all equal; else 0.
 * Two NULLs are equal; NULL and non-NULL are not. */
int rtcpm_addr_equal(const rtcpm_addr *a, const rtcpm_addr *b);

/* Same as rtcpm_addr_equal but ignores the port. */
int rtcpm_addr_equal_host(const rtcpm_addr *a, const rtcpm_addr *b);

/* Hash over exactly what rtcpm_addr_equal compares (so equal => same hash), port included.
 * seed lets a table randomise itself; the function is pure. */
uint32_t rtcpm_addr_hash(const rtcpm_addr *a, uint32_t seed);

/* Builders: set *out to an IPv4 / IPv6 address (network-order bytes), clearing the rest. */
void rtcpm_addr_set_v4(rtcpm_addr *out, const uint8_t bytes[4], uint16_t port);
void rtcpm_addr_set_v6(rtcpm_addr *out, const uint8_t bytes[16], uint32_t scope_id, uint16_t port);

/* 1 if a is the unspecified address (0.0.0.0 or ::; any port), else 0 (also for no address). */
int rtcpm_addr_is_unspecified(const rtcpm_addr *a);

/* 1 if a is IPv6 in ::ffff:0:0/96 (IPv4-mapped), else 0. */
int rtcpm_addr_is_v4_mapped(const rtcpm_addr *a);

/* If a is IPv4-mapped IPv6, rewrite it in place as the IPv4 address (port kept, scope
 * dropped) and return 1; otherwise leave it alone and return 0. */
int rtcpm_addr_unmap_v4(rtcpm_addr *a);

/* "RTCPM_ADDR_E_SYNTAX" etc. for logs and test messages; "RTCPM_ADDR_E_?" if unknown. */
const char *rtcpm_addr_error_name(int err);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_NET_ADDR_H */
