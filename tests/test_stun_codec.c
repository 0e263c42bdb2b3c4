/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — STUN codec tests: RFC 5769 vectors, encoder output byte for byte, and every
 * malformation the decoder must refuse, each with its exact error code.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/stun.h"

/* ---- helpers ---- */

static void check_rc(int got, int want, const char *expr, const char *file, unsigned line)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s == %s (got %s = %d)", expr, rtcpm_stun_error_name(want), rtcpm_stun_error_name(got),
             got);
    CU_assertImplementation(got == want, line, msg, file, "", CU_FALSE);
}
#define ASSERT_RC(expr, want) check_rc((expr), (want), #expr, __FILE__, __LINE__)

static int is_all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

/* Decodes from an exact-size heap copy, so a read past len is caught by ASan. */
static int decode_copy(const uint8_t *msg, size_t len, stun_message *out)
{
    uint8_t *copy = malloc(len ? len : 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    if (len) memcpy(copy, msg, len);
    int rc = rtcpm_stun_decode(copy, len, out);
    free(copy);
    return rc;
}

/* Decodes a message that must be rejected: checks the code and that out is all zero. */
static void check_rejected(const uint8_t *msg, size_t len, int want, const char *what, unsigned line)
{
    stun_message m;
    memset(&m, 0xA5, sizeof m);
    int rc = decode_copy(msg, len, &m);
    check_rc(rc, want, what, __FILE__, line);
    CU_ASSERT_TRUE(is_all_zero(&m, sizeof m));
}
#define ASSERT_REJECTED(msg, len, want) check_rejected((msg), (len), (want), #msg, __LINE__)

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

static const uint8_t vector_txid[12] = { 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae };

static stun_txid make_txid(void)
{
    stun_txid t;
    CU_ASSERT_EQUAL(rtcpm_stun_txid_init(&t, vector_txid, sizeof vector_txid), STUN_OK);
    return t;
}

static stun_txid make_rfc3489_txid(void)
{
    static const uint8_t id[16] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10 };
    stun_txid t;
    CU_ASSERT_EQUAL(rtcpm_stun_txid_init(&t, id, sizeof id), STUN_OK);
    return t;
}

static rtcpm_addr addr(const char *hostport)
{
    rtcpm_addr a;
    CU_ASSERT_EQUAL(rtcpm_addr_parse_hostport(hostport, strlen(hostport), &a, 0), 0);
    return a;
}

static void check_addr_text(const rtcpm_addr *a, const char *want, unsigned line)
{
    char text[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    rtcpm_addr_format_hostport(a, text, sizeof text);
    char msg[256];
    snprintf(msg, sizeof msg, "address \"%s\" == \"%s\"", text, want);
    CU_assertImplementation(strcmp(text, want) == 0, line, msg, __FILE__, "", CU_FALSE);
}
#define ASSERT_ADDR(a, want) check_addr_text((a), (want), __LINE__)

/* Starts a writer for a Binding message of the given class with the vector's ID. */
static void begin(stun_writer *w, uint8_t *buf, size_t cap, stun_class cls)
{
    stun_txid t = make_txid();
    ASSERT_RC(rtcpm_stun_writer_init(w, buf, cap, rtcpm_stun_message_type(STUN_METHOD_BINDING, cls), &t), STUN_OK);
}

/* ---- RFC 5769 test vectors (section 2.1, 2.2, 2.3), byte for byte ---- */

/* 2.1 Sample request: SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MESSAGE-INTEGRITY,
 * FINGERPRINT. Padding is 0x20 in the RFC, on purpose. */
static const uint8_t rfc5769_request[108] = {
    0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87,
    0xdf, 0xae, 0x80, 0x22, 0x00, 0x10, 0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x63, 0x6c,
    0x69, 0x65, 0x6e, 0x74, 0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff, 0x80, 0x29, 0x00, 0x08, 0x93, 0x2f,
    0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36, 0x00, 0x06, 0x00, 0x09, 0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76,
    0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14, 0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e,
    0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71, 0xa2, 0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf,
};

/* 2.2 Sample IPv4 response: SOFTWARE, XOR-MAPPED-ADDRESS 192.0.2.1:32853,
 * MESSAGE-INTEGRITY, FINGERPRINT. */
static const uint8_t rfc5769_ipv4_response[80] = {
    0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
    0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
    0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74, 0x89, 0xf9,
    0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7, 0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96,
};

/* 2.3 Sample IPv6 response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
static const uint8_t rfc5769_ipv6_response[92] = {
    0x01, 0x01, 0x00, 0x48, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf,
    0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20, 0x00, 0x20,
    0x00, 0x14, 0x00, 0x02, 0xa1, 0x47, 0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79, 0xbc, 0x25, 0xf4, 0xb5, 0xbe,
    0xd2, 0xb9, 0xd9, 0x00, 0x08, 0x00, 0x14, 0xa3, 0x82, 0x95, 0x4e, 0x4b, 0xe6, 0x7b, 0xf1, 0x17, 0x84, 0xc9, 0x7c,
    0x82, 0x92, 0xc2, 0x75, 0xbf, 0xe3, 0xed, 0x41, 0x80, 0x28, 0x00, 0x04, 0xc8, 0xfb, 0x0b, 0x4c,
};

static void test_crc32_check_value(void)
{
    /* The CRC-32 catalogue check value, and the empty input. */
    CU_ASSERT_EQUAL(rtcpm_stun_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u);
    CU_ASSERT_EQUAL(rtcpm_stun_crc32(NULL, 0), 0u);
    /* The RFC 5769 request's FINGERPRINT, recomputed. */
    CU_ASSERT_EQUAL(rtcpm_stun_crc32(rfc5769_request, 100) ^ STUN_FINGERPRINT_XOR, 0xe57a3bcfu);
}

static void test_rfc5769_request(void)
{
    stun_message m;
    stun_txid t = make_txid();
    ASSERT_RC(decode_copy(rfc5769_request, sizeof rfc5769_request, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.type, 0x0001);
    CU_ASSERT_EQUAL(m.method, STUN_METHOD_BINDING);
    CU_ASSERT_EQUAL(m.message_class, STUN_CLASS_REQUEST);
    CU_ASSERT_TRUE(m.rfc5389);
    CU_ASSERT_EQUAL(m.txid.len, 12);
    CU_ASSERT_TRUE(rtcpm_stun_txid_equal(&m.txid, &t));
    CU_ASSERT_TRUE(m.has_software);
    CU_ASSERT_EQUAL(m.software_len, 16);
    CU_ASSERT_STRING_EQUAL(m.software, "STUN test client");
    CU_ASSERT_TRUE(m.has_message_integrity);
    CU_ASSERT_EQUAL(m.message_integrity_offset, 76);
    CU_ASSERT_FALSE(m.has_message_integrity_sha256);
    CU_ASSERT_TRUE(m.has_fingerprint);
    CU_ASSERT_EQUAL(m.mapped.family, RTCPM_AF_NONE);
    CU_ASSERT_EQUAL(m.mapped_from, 0);
    CU_ASSERT_EQUAL(m.error_code, 0);
    CU_ASSERT_EQUAL(m.unknown_count, 0); /* PRIORITY (0x0024) is known */
}

static void test_rfc5769_ipv4_response(void)
{
    stun_message m;
    stun_txid t = make_txid();
    ASSERT_RC(decode_copy(rfc5769_ipv4_response, sizeof rfc5769_ipv4_response, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.type, 0x0101);
    CU_ASSERT_EQUAL(m.message_class, STUN_CLASS_SUCCESS);
    CU_ASSERT_EQUAL(m.method, STUN_METHOD_BINDING);
    CU_ASSERT_TRUE(m.rfc5389);
    CU_ASSERT_TRUE(rtcpm_stun_txid_equal(&m.txid, &t));
    CU_ASSERT_EQUAL(m.mapped_from, STUN_ATTR_XOR_MAPPED_ADDRESS);
    CU_ASSERT_EQUAL(m.mapped.family, RTCPM_AF_INET);
    CU_ASSERT_EQUAL(m.mapped.port, 32853);
    ASSERT_ADDR(&m.mapped, "192.0.2.1:32853");
    rtcpm_addr want = addr("192.0.2.1:32853");
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.mapped, &want));
    CU_ASSERT_EQUAL(m.software_len, 11);
    CU_ASSERT_STRING_EQUAL(m.software, "test vector");
    CU_ASSERT_TRUE(m.has_message_integrity);
    CU_ASSERT_EQUAL(m.message_integrity_offset, 48);
    CU_ASSERT_TRUE(m.has_fingerprint);
    CU_ASSERT_EQUAL(m.unknown_count, 0);
}

static void test_rfc5769_ipv6_response(void)
{
    stun_message m;
    ASSERT_RC(decode_copy(rfc5769_ipv6_response, sizeof rfc5769_ipv6_response, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.message_class, STUN_CLASS_SUCCESS);
    CU_ASSERT_EQUAL(m.mapped_from, STUN_ATTR_XOR_MAPPED_ADDRESS);
    CU_ASSERT_EQUAL(m.mapped.family, RTCPM_AF_INET6);
    CU_ASSERT_EQUAL(m.mapped.port, 32853);
    CU_ASSERT_EQUAL(m.mapped.scope_id, 0);
    ASSERT_ADDR(&m.mapped, "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
    rtcpm_addr want = addr("[2001:db8:1234:5678:11:2233:4455:6677]:32853");
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.mapped, &want));
    CU_ASSERT_STRING_EQUAL(m.software, "test vector");
    CU_ASSERT_TRUE(m.has_message_integrity);
    CU_ASSERT_EQUAL(m.message_integrity_offset, 60);
    CU_ASSERT_TRUE(m.has_fingerprint);
}

/* ---- encoder output, against bytes written out by hand ----
 * Header and attributes follow RFC 8489 section 5 and 14 field by field; the FINGERPRINT
 * values were computed outside this code (zlib.crc32 ^ 0x5354554E) so a wrong CRC here
 * cannot hide behind a matching wrong decoder. Padding is zero (ours), not 0x20 (RFC 5769). */

static const uint8_t expected_request[48] = {
    0x00, 0x01, 0x00, 0x1c, /* Binding request, length 28 */
    0x21, 0x12, 0xa4, 0x42, /* magic cookie */
    0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x10, /* SOFTWARE, 16 bytes */
    0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73,
    0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, /* "STUN test client" */
    0x80, 0x28, 0x00, 0x04, 0xcb, 0xd6, 0x2a, 0xf5, /* FINGERPRINT */
};

static const uint8_t expected_ipv4_response[56] = {
    0x01, 0x01, 0x00, 0x24, /* Binding success, length 36 */
    0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80,
    0x22, 0x00, 0x0b, /* SOFTWARE, 11 bytes + 1 pad */
    0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x00, 0x00, 0x20, 0x00, 0x08, /* XOR-MAPPED-ADDRESS */
    0x00, 0x01, 0xa1, 0x47,                         /* IPv4, 32853 ^ 0x2112 */
    0xe1, 0x12, 0xa6, 0x43,                         /* 192.0.2.1 ^ cookie */
    0x80, 0x28, 0x00, 0x04, 0x2e, 0x5b, 0x54, 0x01, /* FINGERPRINT */
};

static const uint8_t expected_ipv6_response[68] = {
    0x01, 0x01, 0x00, 0x30, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
    0x74, 0x6f, 0x72, 0x00, 0x00, 0x20, 0x00, 0x14, /* XOR-MAPPED-ADDRESS, 20 bytes */
    0x00, 0x02, 0xa1, 0x47,                         /* IPv6, port */
    0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79, /* address ^ cookie+txid */
    0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9, 0x80, 0x28, 0x00, 0x04, 0x3b, 0xb2, 0x57, 0x9e,
};

static void test_encode_binding_request(void)
{
    uint8_t buf[128];
    stun_txid t = make_txid();
    int n = rtcpm_stun_encode_binding_request(buf, sizeof buf, &t, "STUN test client", true);
    CU_ASSERT_EQUAL_FATAL(n, (int)sizeof expected_request);
    CU_ASSERT_EQUAL(memcmp(buf, expected_request, sizeof expected_request), 0);

    stun_message m;
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.message_class, STUN_CLASS_REQUEST);
    CU_ASSERT_EQUAL(m.method, STUN_METHOD_BINDING);
    CU_ASSERT_TRUE(rtcpm_stun_txid_equal(&m.txid, &t));
    CU_ASSERT_STRING_EQUAL(m.software, "STUN test client");
    CU_ASSERT_TRUE(m.has_fingerprint);
    CU_ASSERT_FALSE(m.has_message_integrity);

    /* The bare request: header only. */
    n = rtcpm_stun_encode_binding_request(buf, sizeof buf, &t, NULL, false);
    CU_ASSERT_EQUAL_FATAL(n, 20);
    CU_ASSERT_EQUAL(memcmp(buf, expected_request, 2), 0);
    CU_ASSERT_EQUAL(buf[2], 0);
    CU_ASSERT_EQUAL(buf[3], 0);
    CU_ASSERT_EQUAL(memcmp(buf + 4, expected_request + 4, 16), 0);
    ASSERT_RC(decode_copy(buf, 20, &m), STUN_OK);
    CU_ASSERT_FALSE(m.has_fingerprint);
    CU_ASSERT_FALSE(m.has_software);
}

static void test_encode_binding_success_ipv4(void)
{
    uint8_t buf[128];
    stun_txid t = make_txid();
    rtcpm_addr mapped = addr("192.0.2.1:32853");
    int n =
        rtcpm_stun_encode_binding_success(buf, sizeof buf, &t, &mapped, STUN_ENCODE_XOR_MAPPED, "test vector", true);
    CU_ASSERT_EQUAL_FATAL(n, (int)sizeof expected_ipv4_response);
    CU_ASSERT_EQUAL(memcmp(buf, expected_ipv4_response, sizeof expected_ipv4_response), 0);

    /* Same attribute bytes as the RFC 5769 vector (which only adds MESSAGE-INTEGRITY). */
    CU_ASSERT_EQUAL(memcmp(buf + 36, rfc5769_ipv4_response + 36, 12), 0);

    stun_message m;
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.message_class, STUN_CLASS_SUCCESS);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.mapped, &mapped));
    CU_ASSERT_EQUAL(m.mapped_from, STUN_ATTR_XOR_MAPPED_ADDRESS);
    CU_ASSERT_STRING_EQUAL(m.software, "test vector");
    CU_ASSERT_TRUE(m.has_fingerprint);
}

static void test_encode_binding_success_ipv6(void)
{
    uint8_t buf[128];
    stun_txid t = make_txid();
    rtcpm_addr mapped = addr("[2001:db8:1234:5678:11:2233:4455:6677]:32853");
    int n =
        rtcpm_stun_encode_binding_success(buf, sizeof buf, &t, &mapped, STUN_ENCODE_XOR_MAPPED, "test vector", true);
    CU_ASSERT_EQUAL_FATAL(n, (int)sizeof expected_ipv6_response);
    CU_ASSERT_EQUAL(memcmp(buf, expected_ipv6_response, sizeof expected_ipv6_response), 0);
    CU_ASSERT_EQUAL(memcmp(buf + 36, rfc5769_ipv6_response + 36, 24), 0);

    stun_message m;
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.mapped, &mapped));
}

static void test_encode_both_mapped_attributes(void)
{
    uint8_t buf[128];
    stun_txid t = make_txid();
    rtcpm_addr mapped = addr("[2001:db8::5]:3478");
    int n = rtcpm_stun_encode_binding_success(buf, sizeof buf, &t, &mapped, STUN_ENCODE_XOR_MAPPED | STUN_ENCODE_MAPPED,
                                              NULL, false);
    CU_ASSERT_EQUAL_FATAL(n, 20 + 24 + 24);
    /* MAPPED-ADDRESS in the clear after the XOR'ed one. */
    static const uint8_t plain[24] = { 0x00, 0x01, 0x00, 0x14, 0x00, 0x02, 0x0d, 0x96, 0x20, 0x01, 0x0d, 0xb8,
                                       0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    5 };
    CU_ASSERT_EQUAL(memcmp(buf + 44, plain, sizeof plain), 0);
    stun_message m;
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.mapped_from, STUN_ATTR_XOR_MAPPED_ADDRESS);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.mapped, &mapped));

    ASSERT_RC(rtcpm_stun_encode_binding_success(buf, sizeof buf, &t, &mapped, 4, NULL, false), STUN_E_INVALID_ARG);
    rtcpm_addr none = { 0 };
    ASSERT_RC(rtcpm_stun_encode_binding_success(buf, sizeof buf, &t, &none, STUN_ENCODE_MAPPED, NULL, false),
              STUN_E_INVALID_ARG);
}

static void test_encode_binding_error(void)
{
    uint8_t buf[128];
    stun_txid t = make_txid();
    int n = rtcpm_stun_encode_binding_error(buf, sizeof buf, &t, 420, "Unknown Attribute", NULL, true);
    /* header 20 + ERROR-CODE 4+4+17(+3) + FINGERPRINT 8 */
    CU_ASSERT_EQUAL_FATAL(n, 20 + 28 + 8);
    CU_ASSERT_EQUAL(buf[0], 0x01);
    CU_ASSERT_EQUAL(buf[1], 0x11);
    static const uint8_t error_attr[8] = { 0x00, 0x09, 0x00, 0x15, 0x00, 0x00, 0x04, 0x14 };
    CU_ASSERT_EQUAL(memcmp(buf + 20, error_attr, sizeof error_attr), 0);

    stun_message m;
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.message_class, STUN_CLASS_ERROR);
    CU_ASSERT_EQUAL(m.error_code, 420);
    CU_ASSERT_EQUAL(m.error_reason_len, 17);
    CU_ASSERT_STRING_EQUAL(m.error_reason, "Unknown Attribute");

    n = rtcpm_stun_encode_binding_error(buf, sizeof buf, &t, 699, NULL, "srv", false);
    CU_ASSERT_EQUAL_FATAL(n, 20 + 8 + 8);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.error_code, 699);
    CU_ASSERT_EQUAL(m.error_reason_len, 0);
    CU_ASSERT_STRING_EQUAL(m.software, "srv");

    ASSERT_RC(rtcpm_stun_encode_binding_error(buf, sizeof buf, &t, 299, "x", NULL, false), STUN_E_ERROR_CODE_INVALID);
    ASSERT_RC(rtcpm_stun_encode_binding_error(buf, sizeof buf, &t, 700, "x", NULL, false), STUN_E_ERROR_CODE_INVALID);
}

/* RFC 3489: no cookie, a 128-bit transaction ID, MAPPED-ADDRESS. */
static void test_rfc3489_round_trip(void)
{
    uint8_t buf[128];
    stun_txid t = make_rfc3489_txid();
    int n = rtcpm_stun_encode_binding_request(buf, sizeof buf, &t, NULL, false);
    CU_ASSERT_EQUAL_FATAL(n, 20);
    CU_ASSERT_EQUAL(memcmp(buf + 4, t.bytes, 16), 0);

    stun_message m;
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_FALSE(m.rfc5389);
    CU_ASSERT_EQUAL(m.txid.len, 16);
    CU_ASSERT_TRUE(rtcpm_stun_txid_equal(&m.txid, &t));

    rtcpm_addr mapped = addr("198.51.100.7:40000");
    n = rtcpm_stun_encode_binding_success(buf, sizeof buf, &t, &mapped, STUN_ENCODE_MAPPED, NULL, false);
    CU_ASSERT_EQUAL_FATAL(n, 32);
    static const uint8_t attr[12] = { 0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x9c, 0x40, 198, 51, 100, 7 };
    CU_ASSERT_EQUAL(memcmp(buf + 20, attr, sizeof attr), 0);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_FALSE(m.rfc5389);
    CU_ASSERT_EQUAL(m.message_class, STUN_CLASS_SUCCESS);
    CU_ASSERT_EQUAL(m.mapped_from, STUN_ATTR_MAPPED_ADDRESS);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.mapped, &mapped));
}

/* A classic RFC 3489 server answer, written out by hand: MAPPED-ADDRESS, SOURCE-ADDRESS,
 * CHANGED-ADDRESS (the last two are comprehension-required and must be known). */
static void test_rfc3489_classic_server_response(void)
{
    static const uint8_t msg[56] = {
        0x01, 0x01, 0x00, 0x24, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
        0x17, 0x18, 0x19, 0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x13, 0xc4, 198,  19,   1,    10, /* 198.19.1.10:5060 */
        0x00, 0x04, 0x00, 0x08, 0x00, 0x01, 0x0d, 0x96, 198,  19,   1,    1,                    /* source :3478 */
        0x00, 0x05, 0x00, 0x08, 0x00, 0x01, 0x0d, 0x97, 198,  19,   1,    2,                    /* changed :3479 */
    };
    stun_message m;
    ASSERT_RC(decode_copy(msg, sizeof msg, &m), STUN_OK);
    CU_ASSERT_FALSE(m.rfc5389);
    CU_ASSERT_EQUAL(m.txid.len, 16);
    CU_ASSERT_EQUAL(memcmp(m.txid.bytes, msg + 4, 16), 0);
    CU_ASSERT_EQUAL(m.mapped_from, STUN_ATTR_MAPPED_ADDRESS);
    ASSERT_ADDR(&m.mapped, "198.19.1.10:5060");
    CU_ASSERT_EQUAL(m.response_origin_from, STUN_ATTR_SOURCE_ADDRESS);
    ASSERT_ADDR(&m.response_origin, "198.19.1.1:3478");
    CU_ASSERT_EQUAL(m.other_address_from, STUN_ATTR_CHANGED_ADDRESS);
    ASSERT_ADDR(&m.other_address, "198.19.1.2:3479");
    CU_ASSERT_EQUAL(m.unknown_count, 0);
}

/* XOR-MAPPED-ADDRESS wins over MAPPED-ADDRESS whatever the order; 0x8020 is accepted. */
static void test_mapped_address_preference(void)
{
    uint8_t buf[128];
    stun_writer w;
    rtcpm_addr plain = addr("198.18.1.1:1111"), xored = addr("198.19.1.1:2222");
    stun_message m;

    begin(&w, buf, sizeof buf, STUN_CLASS_SUCCESS);
    rtcpm_stun_writer_add_address(&w, STUN_ATTR_MAPPED_ADDRESS, &plain);
    rtcpm_stun_writer_add_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS_OLD, &plain);
    rtcpm_stun_writer_add_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS, &xored);
    int n = rtcpm_stun_writer_finish(&w, false);
    CU_ASSERT_FATAL(n > 0);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.mapped_from, STUN_ATTR_XOR_MAPPED_ADDRESS);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.mapped, &xored));

    begin(&w, buf, sizeof buf, STUN_CLASS_SUCCESS);
    rtcpm_stun_writer_add_address(&w, STUN_ATTR_MAPPED_ADDRESS, &plain);
    rtcpm_stun_writer_add_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS_OLD, &xored);
    n = rtcpm_stun_writer_finish(&w, false);
    CU_ASSERT_FATAL(n > 0);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.mapped_from, STUN_ATTR_XOR_MAPPED_ADDRESS_OLD);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.mapped, &xored));

    /* Duplicates: the first occurrence counts. */
    begin(&w, buf, sizeof buf, STUN_CLASS_SUCCESS);
    rtcpm_stun_writer_add_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS, &xored);
    rtcpm_stun_writer_add_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS, &plain);
    n = rtcpm_stun_writer_finish(&w, false);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.mapped, &xored));
}

/* RFC 5780 attributes and ALTERNATE-SERVER land in their own fields. */
static void test_other_address_and_alternate_server(void)
{
    uint8_t buf[160];
    stun_writer w;
    rtcpm_addr other = addr("[2001:db8::2]:3479"), origin = addr("198.19.1.1:3478");
    rtcpm_addr alt = addr("198.19.1.9:3478"), changed = addr("198.19.1.3:1");
    stun_message m;

    begin(&w, buf, sizeof buf, STUN_CLASS_SUCCESS);
    rtcpm_stun_writer_add_address(&w, STUN_ATTR_CHANGED_ADDRESS, &changed);
    rtcpm_stun_writer_add_address(&w, STUN_ATTR_OTHER_ADDRESS, &other);
    rtcpm_stun_writer_add_address(&w, STUN_ATTR_RESPONSE_ORIGIN, &origin);
    rtcpm_stun_writer_add_address(&w, STUN_ATTR_ALTERNATE_SERVER, &alt);
    int n = rtcpm_stun_writer_finish(&w, true);
    CU_ASSERT_FATAL(n > 0);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.other_address_from, STUN_ATTR_OTHER_ADDRESS);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.other_address, &other));
    CU_ASSERT_EQUAL(m.response_origin_from, STUN_ATTR_RESPONSE_ORIGIN);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.response_origin, &origin));
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.alternate_server, &alt));
    CU_ASSERT_EQUAL(m.mapped.family, RTCPM_AF_NONE);
}

/* ---- malformed messages ---- */

static void test_every_truncation_rejected(void)
{
    const struct
    {
        const uint8_t *msg;
        size_t len;
    } vectors[] = {
        { rfc5769_request, sizeof rfc5769_request },
        { rfc5769_ipv4_response, sizeof rfc5769_ipv4_response },
        { rfc5769_ipv6_response, sizeof rfc5769_ipv6_response },
        { expected_request, sizeof expected_request },
    };
    for (size_t v = 0; v < sizeof vectors / sizeof vectors[0]; v++)
    {
        for (size_t len = 0; len < vectors[v].len; len++)
        {
            int want = len < STUN_HEADER_SIZE ? STUN_E_TOO_SHORT : STUN_E_LENGTH_MISMATCH;
            check_rejected(vectors[v].msg, len, want, "truncated vector", __LINE__);
        }
    }
}

static void test_bad_length_field(void)
{
    uint8_t msg[sizeof rfc5769_ipv4_response + 4];
    memcpy(msg, rfc5769_ipv4_response, sizeof rfc5769_ipv4_response);

    put16(msg + 2, 0x3d); /* not a multiple of 4 */
    ASSERT_REJECTED(msg, sizeof rfc5769_ipv4_response, STUN_E_LENGTH_NOT_ALIGNED);
    put16(msg + 2, 0x40); /* says 4 more than there are */
    ASSERT_REJECTED(msg, sizeof rfc5769_ipv4_response, STUN_E_LENGTH_MISMATCH);
    put16(msg + 2, 0x38); /* says 4 fewer */
    ASSERT_REJECTED(msg, sizeof rfc5769_ipv4_response, STUN_E_LENGTH_MISMATCH);

    /* Trailing bytes after a correct message. */
    put16(msg + 2, 0x3c);
    memset(msg + sizeof rfc5769_ipv4_response, 0, 4);
    ASSERT_REJECTED(msg, sizeof msg, STUN_E_LENGTH_MISMATCH);
}

static void test_not_stun(void)
{
    uint8_t msg[sizeof rfc5769_request];
    memcpy(msg, rfc5769_request, sizeof msg);
    msg[0] |= 0x80; /* e.g. RTP version 2 */
    ASSERT_REJECTED(msg, sizeof msg, STUN_E_NOT_STUN);
    msg[0] = 0x40;
    ASSERT_REJECTED(msg, sizeof msg, STUN_E_NOT_STUN);
}

static void test_attribute_past_end(void)
{
    uint8_t msg[32] = { 0x00, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42 };
    memcpy(msg + 8, vector_txid, 12);
    /* SOFTWARE claiming 9 bytes: 4 + 12 padded does not fit in the 12 left. */
    put16(msg + 20, STUN_ATTR_SOFTWARE);
    put16(msg + 22, 9);
    ASSERT_REJECTED(msg, sizeof msg, STUN_E_ATTR_OVERRUN);
    /* 8 fits exactly. */
    put16(msg + 22, 8);
    stun_message m;
    ASSERT_RC(decode_copy(msg, sizeof msg, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.software_len, 8);
    /* 0xffff: far past the end. */
    put16(msg + 22, 0xffff);
    ASSERT_REJECTED(msg, sizeof msg, STUN_E_ATTR_OVERRUN);
    /* A second attribute whose header fits but whose value does not. */
    put16(msg + 22, 0);
    put16(msg + 24, STUN_ATTR_XOR_MAPPED_ADDRESS);
    put16(msg + 26, 8);
    ASSERT_REJECTED(msg, sizeof msg, STUN_E_ATTR_OVERRUN);
}

/* A Binding success with one address attribute of the given raw shape. */
static size_t build_address_message(uint8_t *buf, uint16_t type, uint8_t family, uint16_t value_len)
{
    memset(buf, 0, 64);
    put16(buf, 0x0101);
    put32(buf + 4, STUN_MAGIC_COOKIE);
    memcpy(buf + 8, vector_txid, 12);
    put16(buf + 20, type);
    put16(buf + 22, value_len);
    if (value_len >= 2) buf[25] = family;
    size_t len = 24 + ((value_len + 3u) & ~3u);
    put16(buf + 2, (unsigned)(len - 20));
    return len;
}

static void test_address_wrong_length_or_family(void)
{
    static const uint16_t types[] = { STUN_ATTR_XOR_MAPPED_ADDRESS, STUN_ATTR_MAPPED_ADDRESS,
                                      STUN_ATTR_XOR_MAPPED_ADDRESS_OLD, STUN_ATTR_OTHER_ADDRESS };
    uint8_t buf[64];
    stun_message m;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    {
        size_t len;
        len = build_address_message(buf, types[i], 0x01, 8);
        ASSERT_RC(decode_copy(buf, len, &m), STUN_OK);
        len = build_address_message(buf, types[i], 0x02, 20);
        ASSERT_RC(decode_copy(buf, len, &m), STUN_OK);

        len = build_address_message(buf, types[i], 0x01, 12);
        ASSERT_REJECTED(buf, len, STUN_E_ADDRESS_LENGTH);
        len = build_address_message(buf, types[i], 0x01, 7);
        ASSERT_REJECTED(buf, len, STUN_E_ADDRESS_LENGTH);
        len = build_address_message(buf, types[i], 0x02, 8);
        ASSERT_REJECTED(buf, len, STUN_E_ADDRESS_LENGTH);
        len = build_address_message(buf, types[i], 0x02, 24);
        ASSERT_REJECTED(buf, len, STUN_E_ADDRESS_LENGTH);
        len = build_address_message(buf, types[i], 0x01, 2);
        ASSERT_REJECTED(buf, len, STUN_E_ADDRESS_LENGTH);
        len = build_address_message(buf, types[i], 0x00, 0);
        ASSERT_REJECTED(buf, len, STUN_E_ADDRESS_LENGTH);
        len = build_address_message(buf, types[i], 0x03, 8);
        ASSERT_REJECTED(buf, len, STUN_E_ADDRESS_FAMILY);
        len = build_address_message(buf, types[i], 0x00, 8);
        ASSERT_REJECTED(buf, len, STUN_E_ADDRESS_FAMILY);
    }
}

static void test_bad_fingerprint(void)
{
    uint8_t msg[sizeof rfc5769_ipv6_response];

    memcpy(msg, rfc5769_ipv6_response, sizeof msg);
    msg[sizeof msg - 1] ^= 0x01; /* the CRC itself */
    ASSERT_REJECTED(msg, sizeof msg, STUN_E_FINGERPRINT_MISMATCH);

    memcpy(msg, rfc5769_ipv6_response, sizeof msg);
    msg[25] ^= 0x20; /* a SOFTWARE byte covered by the CRC */
    ASSERT_REJECTED(msg, sizeof msg, STUN_E_FINGERPRINT_MISMATCH);

    memcpy(msg, rfc5769_ipv6_response, sizeof msg);
    msg[8] ^= 0x01; /* the transaction ID */
    ASSERT_REJECTED(msg, sizeof msg, STUN_E_FINGERPRINT_MISMATCH);

    /* FINGERPRINT with an 8-byte value. */
    uint8_t buf[40] = { 0 };
    put16(buf, 0x0001);
    put16(buf + 2, 12);
    put32(buf + 4, STUN_MAGIC_COOKIE);
    memcpy(buf + 8, vector_txid, 12);
    put16(buf + 20, STUN_ATTR_FINGERPRINT);
    put16(buf + 22, 8);
    put32(buf + 24, rtcpm_stun_crc32(buf, 20) ^ STUN_FINGERPRINT_XOR);
    ASSERT_REJECTED(buf, 32, STUN_E_ATTR_LENGTH);
}

static void test_fingerprint_not_last(void)
{
    uint8_t buf[64];
    stun_writer w;
    begin(&w, buf, sizeof buf, STUN_CLASS_REQUEST);
    /* A correct FINGERPRINT for the message as it will be, followed by SOFTWARE. */
    uint8_t crc[4] = { 0 };
    rtcpm_stun_writer_add(&w, STUN_ATTR_FINGERPRINT, crc, 4);
    rtcpm_stun_writer_add_software(&w, "late", 4);
    int n = rtcpm_stun_writer_finish(&w, false);
    CU_ASSERT_EQUAL_FATAL(n, 36);
    put32(buf + 24, rtcpm_stun_crc32(buf, 20) ^ STUN_FINGERPRINT_XOR);
    ASSERT_REJECTED(buf, (size_t)n, STUN_E_FINGERPRINT_NOT_LAST);

    /* Two FINGERPRINTs: the first is not last. */
    begin(&w, buf, sizeof buf, STUN_CLASS_REQUEST);
    rtcpm_stun_writer_add(&w, STUN_ATTR_FINGERPRINT, crc, 4);
    n = rtcpm_stun_writer_finish(&w, true);
    CU_ASSERT_EQUAL_FATAL(n, 36);
    ASSERT_REJECTED(buf, (size_t)n, STUN_E_FINGERPRINT_NOT_LAST);
}

static void test_unknown_comprehension_required(void)
{
    uint8_t buf[256];
    stun_writer w;
    stun_message m;
    rtcpm_addr mapped = addr("198.19.1.1:4000");
    const uint8_t value[4] = { 1, 2, 3, 4 };

    begin(&w, buf, sizeof buf, STUN_CLASS_SUCCESS);
    rtcpm_stun_writer_add(&w, 0x7777, value, 4);
    rtcpm_stun_writer_add_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS, &mapped);
    rtcpm_stun_writer_add(&w, 0x0030, value, 3);
    rtcpm_stun_writer_add(&w, 0x7777, value, 0); /* duplicate: listed once */
    rtcpm_stun_writer_add(&w, 0xC001, value, 4); /* comprehension-optional: ignored */
    int n = rtcpm_stun_writer_finish(&w, true);
    CU_ASSERT_FATAL(n > 0);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_DECODE_UNKNOWN_ATTRIBUTES);
    CU_ASSERT_EQUAL(m.unknown_count, 2);
    CU_ASSERT_EQUAL(m.unknown_attributes[0], 0x7777);
    CU_ASSERT_EQUAL(m.unknown_attributes[1], 0x0030);
    CU_ASSERT_FALSE(m.unknown_truncated);
    /* The rest is decoded so the caller can answer 420 or log. */
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.mapped, &mapped));
    CU_ASSERT_TRUE(m.has_fingerprint);

    /* More distinct ones than the list holds. */
    begin(&w, buf, sizeof buf, STUN_CLASS_REQUEST);
    for (unsigned t = 0; t < STUN_MAX_UNKNOWN_ATTRIBUTES + 3; t++)
        rtcpm_stun_writer_add(&w, (uint16_t)(0x4000 + t), NULL, 0);
    n = rtcpm_stun_writer_finish(&w, false);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_DECODE_UNKNOWN_ATTRIBUTES);
    CU_ASSERT_EQUAL(m.unknown_count, STUN_MAX_UNKNOWN_ATTRIBUTES);
    CU_ASSERT_EQUAL(m.unknown_attributes[STUN_MAX_UNKNOWN_ATTRIBUTES - 1], 0x4000 + STUN_MAX_UNKNOWN_ATTRIBUTES - 1);
    CU_ASSERT_TRUE(m.unknown_truncated);
}

static void test_unknown_optional_ignored(void)
{
    uint8_t buf[128];
    stun_writer w;
    stun_message m;
    const uint8_t junk[7] = { 9, 9, 9, 9, 9, 9, 9 };

    begin(&w, buf, sizeof buf, STUN_CLASS_REQUEST);
    rtcpm_stun_writer_add(&w, 0x8000, junk, sizeof junk);
    rtcpm_stun_writer_add(&w, 0xFFFF, junk, 1);
    rtcpm_stun_writer_add(&w, STUN_ATTR_ICE_CONTROLLING, junk, 7); /* known optional, any length */
    int n = rtcpm_stun_writer_finish(&w, true);
    CU_ASSERT_FATAL(n > 0);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.unknown_count, 0);
    CU_ASSERT_TRUE(m.has_fingerprint);
}

/* RFC 8489 14.5: after MESSAGE-INTEGRITY only FINGERPRINT (and MI-SHA256) count. */
static void test_attributes_after_integrity_ignored(void)
{
    uint8_t buf[160];
    stun_writer w;
    stun_message m;
    uint8_t hmac[20] = { 0 };
    rtcpm_addr before = addr("198.19.1.1:1"), after = addr("198.19.1.2:2");

    begin(&w, buf, sizeof buf, STUN_CLASS_SUCCESS);
    rtcpm_stun_writer_add_address(&w, STUN_ATTR_MAPPED_ADDRESS, &before);
    rtcpm_stun_writer_add(&w, STUN_ATTR_MESSAGE_INTEGRITY, hmac, 20);
    rtcpm_stun_writer_add_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS, &after);
    rtcpm_stun_writer_add(&w, 0x7777, hmac, 4);
    rtcpm_stun_writer_add_software(&w, "ignored", 7);
    int n = rtcpm_stun_writer_finish(&w, true);
    CU_ASSERT_FATAL(n > 0);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_TRUE(m.has_message_integrity);
    CU_ASSERT_EQUAL(m.message_integrity_offset, 32);
    CU_ASSERT_EQUAL(m.mapped_from, STUN_ATTR_MAPPED_ADDRESS);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&m.mapped, &before));
    CU_ASSERT_EQUAL(m.unknown_count, 0);
    CU_ASSERT_FALSE(m.has_software);
    CU_ASSERT_TRUE(m.has_fingerprint);

    /* MESSAGE-INTEGRITY must be 20 bytes, MESSAGE-INTEGRITY-SHA256 16..32 in steps of 4. */
    begin(&w, buf, sizeof buf, STUN_CLASS_SUCCESS);
    rtcpm_stun_writer_add(&w, STUN_ATTR_MESSAGE_INTEGRITY, hmac, 16);
    n = rtcpm_stun_writer_finish(&w, false);
    ASSERT_REJECTED(buf, (size_t)n, STUN_E_ATTR_LENGTH);
    begin(&w, buf, sizeof buf, STUN_CLASS_SUCCESS);
    rtcpm_stun_writer_add(&w, STUN_ATTR_MESSAGE_INTEGRITY_SHA256, hmac, 18);
    n = rtcpm_stun_writer_finish(&w, false);
    ASSERT_REJECTED(buf, (size_t)n, STUN_E_ATTR_LENGTH);
    begin(&w, buf, sizeof buf, STUN_CLASS_SUCCESS);
    rtcpm_stun_writer_add(&w, STUN_ATTR_MESSAGE_INTEGRITY, hmac, 20);
    rtcpm_stun_writer_add(&w, STUN_ATTR_MESSAGE_INTEGRITY_SHA256, hmac, 20);
    n = rtcpm_stun_writer_finish(&w, true);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_TRUE(m.has_message_integrity_sha256);
    CU_ASSERT_EQUAL(m.message_integrity_sha256_offset, 44);
}

static void test_software_length_limit(void)
{
    static uint8_t buf[1024];
    char text[STUN_TEXT_MAX + 1];
    memset(text, 'a', sizeof text);
    stun_writer w;
    stun_message m;

    begin(&w, buf, sizeof buf, STUN_CLASS_REQUEST);
    rtcpm_stun_writer_add_software(&w, text, STUN_TEXT_MAX);
    int n = rtcpm_stun_writer_finish(&w, true);
    CU_ASSERT_EQUAL_FATAL(n, 20 + 4 + 764 + 8);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.software_len, STUN_TEXT_MAX);
    CU_ASSERT_EQUAL(m.software[STUN_TEXT_MAX], '\0');

    /* Our writer refuses 764 bytes... */
    begin(&w, buf, sizeof buf, STUN_CLASS_REQUEST);
    ASSERT_RC(rtcpm_stun_writer_add_software(&w, text, STUN_TEXT_MAX + 1), STUN_E_SOFTWARE_TOO_LONG);
    ASSERT_RC(rtcpm_stun_writer_finish(&w, false), STUN_E_SOFTWARE_TOO_LONG);
    /* ...and the decoder rejects a peer that sends them. */
    begin(&w, buf, sizeof buf, STUN_CLASS_REQUEST);
    rtcpm_stun_writer_add(&w, STUN_ATTR_SOFTWARE, text, STUN_TEXT_MAX + 1);
    n = rtcpm_stun_writer_finish(&w, true);
    CU_ASSERT_FATAL(n > 0);
    ASSERT_REJECTED(buf, (size_t)n, STUN_E_SOFTWARE_TOO_LONG);
}

static void test_error_code_validation(void)
{
    uint8_t buf[1024];
    stun_writer w;
    uint8_t value[4 + STUN_TEXT_MAX + 1];
    memset(value, 'r', sizeof value);
    int n;

    /* class 7, class 2, number 100, too short */
    static const uint8_t bad[][4] = { { 0, 0, 7, 0 }, { 0, 0, 2, 99 }, { 0, 0, 4, 100 } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
        begin(&w, buf, sizeof buf, STUN_CLASS_ERROR);
        rtcpm_stun_writer_add(&w, STUN_ATTR_ERROR_CODE, bad[i], 4);
        n = rtcpm_stun_writer_finish(&w, false);
        ASSERT_REJECTED(buf, (size_t)n, STUN_E_ERROR_CODE_INVALID);
    }
    begin(&w, buf, sizeof buf, STUN_CLASS_ERROR);
    rtcpm_stun_writer_add(&w, STUN_ATTR_ERROR_CODE, bad[0], 3);
    n = rtcpm_stun_writer_finish(&w, false);
    ASSERT_REJECTED(buf, (size_t)n, STUN_E_ERROR_CODE_INVALID);

    /* Reserved bits are ignored: 0xFFFFF8 above the class. */
    static const uint8_t reserved_set[4] = { 0xff, 0xff, 0xfc, 1 };
    begin(&w, buf, sizeof buf, STUN_CLASS_ERROR);
    rtcpm_stun_writer_add(&w, STUN_ATTR_ERROR_CODE, reserved_set, 4);
    n = rtcpm_stun_writer_finish(&w, false);
    stun_message m;
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.error_code, 401);

    /* Reason phrase: 763 bytes fine, 764 rejected. */
    value[0] = 0;
    value[1] = 0;
    value[2] = 5;
    value[3] = 0;
    begin(&w, buf, sizeof buf, STUN_CLASS_ERROR);
    rtcpm_stun_writer_add(&w, STUN_ATTR_ERROR_CODE, value, 4 + STUN_TEXT_MAX);
    n = rtcpm_stun_writer_finish(&w, false);
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.error_code, 500);
    CU_ASSERT_EQUAL(m.error_reason_len, STUN_TEXT_MAX);
    begin(&w, buf, sizeof buf, STUN_CLASS_ERROR);
    rtcpm_stun_writer_add(&w, STUN_ATTR_ERROR_CODE, value, 4 + STUN_TEXT_MAX + 1);
    n = rtcpm_stun_writer_finish(&w, false);
    ASSERT_REJECTED(buf, (size_t)n, STUN_E_REASON_TOO_LONG);

    /* An error response must say which error. */
    begin(&w, buf, sizeof buf, STUN_CLASS_ERROR);
    rtcpm_stun_writer_add_software(&w, "x", 1);
    n = rtcpm_stun_writer_finish(&w, true);
    ASSERT_REJECTED(buf, (size_t)n, STUN_E_ERROR_CODE_MISSING);
}

/* ---- helpers and API contracts ---- */

static void test_message_type_bits(void)
{
    CU_ASSERT_EQUAL(rtcpm_stun_message_type(STUN_METHOD_BINDING, STUN_CLASS_REQUEST), 0x0001);
    CU_ASSERT_EQUAL(rtcpm_stun_message_type(STUN_METHOD_BINDING, STUN_CLASS_INDICATION), 0x0011);
    CU_ASSERT_EQUAL(rtcpm_stun_message_type(STUN_METHOD_BINDING, STUN_CLASS_SUCCESS), 0x0101);
    CU_ASSERT_EQUAL(rtcpm_stun_message_type(STUN_METHOD_BINDING, STUN_CLASS_ERROR), 0x0111);
    CU_ASSERT_EQUAL(rtcpm_stun_message_type(0x003, STUN_CLASS_REQUEST), 0x0003); /* TURN Allocate */
    CU_ASSERT_EQUAL(rtcpm_stun_message_type(0xFFF, STUN_CLASS_ERROR), 0x3FFF);
    CU_ASSERT_EQUAL(rtcpm_stun_message_type(0xFFF, STUN_CLASS_REQUEST), 0x3EEF);
    for (unsigned method = 0; method < 0x1000; method += 0x0FB)
    {
        for (int c = 0; c < 4; c++)
        {
            uint16_t type = rtcpm_stun_message_type((uint16_t)method, (stun_class)c);
            CU_ASSERT_EQUAL(rtcpm_stun_type_method(type), method);
            CU_ASSERT_EQUAL(rtcpm_stun_type_class(type), (stun_class)c);
            CU_ASSERT_EQUAL(type & 0xC000, 0);
        }
    }
}

static void test_indication_decodes(void)
{
    uint8_t buf[64];
    stun_txid t = make_txid();
    stun_writer w;
    ASSERT_RC(rtcpm_stun_writer_init(&w, buf, sizeof buf,
                                     rtcpm_stun_message_type(STUN_METHOD_BINDING, STUN_CLASS_INDICATION), &t),
              STUN_OK);
    int n = rtcpm_stun_writer_finish(&w, true);
    stun_message m;
    ASSERT_RC(decode_copy(buf, (size_t)n, &m), STUN_OK);
    CU_ASSERT_EQUAL(m.message_class, STUN_CLASS_INDICATION);
    CU_ASSERT_EQUAL(m.type, 0x0011);
}

static void test_txid_helpers(void)
{
    stun_txid a, b;
    uint8_t bytes[16] = { 0x21, 0x12, 0xa4, 0x42, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

    ASSERT_RC(rtcpm_stun_txid_init(&a, bytes, 12), STUN_OK);
    CU_ASSERT_EQUAL(a.len, 12);
    /* 16 bytes starting with the cookie would read back as RFC 5389: refused. */
    ASSERT_RC(rtcpm_stun_txid_init(&b, bytes, 16), STUN_E_INVALID_ARG);
    CU_ASSERT_EQUAL(b.len, 0);
    ASSERT_RC(rtcpm_stun_txid_init(&b, bytes, 13), STUN_E_INVALID_ARG);
    ASSERT_RC(rtcpm_stun_txid_init(&b, NULL, 12), STUN_E_INVALID_ARG);
    ASSERT_RC(rtcpm_stun_txid_init(NULL, bytes, 12), STUN_E_INVALID_ARG);
    bytes[0] = 0;
    ASSERT_RC(rtcpm_stun_txid_init(&b, bytes, 16), STUN_OK);
    CU_ASSERT_FALSE(rtcpm_stun_txid_equal(&a, &b)); /* different lengths */
    ASSERT_RC(rtcpm_stun_txid_init(&b, bytes, 12), STUN_OK);
    CU_ASSERT_FALSE(rtcpm_stun_txid_equal(&a, &b)); /* differ in byte 0 */
    bytes[0] = 0x21;
    ASSERT_RC(rtcpm_stun_txid_init(&b, bytes, 12), STUN_OK);
    CU_ASSERT_TRUE(rtcpm_stun_txid_equal(&a, &b));
    CU_ASSERT_FALSE(rtcpm_stun_txid_equal(&a, NULL));
    CU_ASSERT_FALSE(rtcpm_stun_txid_equal(NULL, NULL));

    /* The writer refuses an invalid ID too. */
    uint8_t buf[64];
    stun_writer w;
    stun_txid bad = { { 0 }, 11 };
    ASSERT_RC(rtcpm_stun_writer_init(&w, buf, sizeof buf, 0x0001, &bad), STUN_E_INVALID_ARG);
    ASSERT_RC(rtcpm_stun_writer_finish(&w, true), STUN_E_INVALID_ARG);
    ASSERT_RC(rtcpm_stun_encode_binding_request(buf, sizeof buf, NULL, NULL, false), STUN_E_INVALID_ARG);
}

static void test_encoder_buffer_limits(void)
{
    uint8_t buf[sizeof expected_request];
    stun_txid t = make_txid();
    for (size_t cap = 0; cap < sizeof expected_request; cap++)
    {
        uint8_t *exact = malloc(cap ? cap : 1);
        CU_ASSERT_PTR_NOT_NULL_FATAL(exact);
        ASSERT_RC(rtcpm_stun_encode_binding_request(exact, cap, &t, "STUN test client", true), STUN_E_BUFFER_TOO_SMALL);
        free(exact);
    }
    CU_ASSERT_EQUAL(rtcpm_stun_encode_binding_request(buf, sizeof buf, &t, "STUN test client", true), (int)sizeof buf);
    CU_ASSERT_EQUAL(memcmp(buf, expected_request, sizeof buf), 0);
    ASSERT_RC(rtcpm_stun_encode_binding_request(NULL, 100, &t, NULL, false), STUN_E_INVALID_ARG);
}

static void test_writer_contract(void)
{
    uint8_t buf[64];
    stun_writer w;
    begin(&w, buf, sizeof buf, STUN_CLASS_REQUEST);
    /* Sticky error: the first failure is what finish reports. */
    ASSERT_RC(rtcpm_stun_writer_add(&w, 0x8001, NULL, 4), STUN_E_INVALID_ARG);
    ASSERT_RC(rtcpm_stun_writer_add_software(&w, "ok", 2), STUN_E_INVALID_ARG);
    ASSERT_RC(rtcpm_stun_writer_finish(&w, true), STUN_E_INVALID_ARG);

    /* Nothing may be added after finish, and finishing twice is an error. */
    begin(&w, buf, sizeof buf, STUN_CLASS_REQUEST);
    CU_ASSERT_EQUAL(rtcpm_stun_writer_finish(&w, false), 20);
    ASSERT_RC(rtcpm_stun_writer_add_software(&w, "late", 4), STUN_E_INVALID_ARG);
    begin(&w, buf, sizeof buf, STUN_CLASS_REQUEST);
    CU_ASSERT_EQUAL(rtcpm_stun_writer_finish(&w, false), 20);
    ASSERT_RC(rtcpm_stun_writer_finish(&w, false), STUN_E_INVALID_ARG);

    /* Padding is zero and the length field tracks every add. */
    begin(&w, buf, sizeof buf, STUN_CLASS_REQUEST);
    memset(buf + 20, 0xEE, sizeof buf - 20);
    rtcpm_stun_writer_add(&w, 0x8050, "abcde", 5);
    CU_ASSERT_EQUAL(buf[3], 12);
    CU_ASSERT_EQUAL(memcmp(buf + 24, "abcde\0\0\0", 8), 0);

    /* The 16-bit length field bounds a message. */
    static uint8_t big[STUN_HEADER_SIZE + STUN_MAX_ATTRIBUTES_SIZE + 64];
    static uint8_t blob[0xFFFF];
    begin(&w, big, sizeof big, STUN_CLASS_REQUEST);
    ASSERT_RC(rtcpm_stun_writer_add(&w, 0x8050, blob, 0xFFFF), STUN_E_MESSAGE_TOO_LONG);
    begin(&w, big, sizeof big, STUN_CLASS_REQUEST);
    ASSERT_RC(rtcpm_stun_writer_add(&w, 0x8050, blob, STUN_MAX_ATTRIBUTES_SIZE - 4), STUN_OK);
    ASSERT_RC(rtcpm_stun_writer_add(&w, 0x8050, NULL, 0), STUN_E_MESSAGE_TOO_LONG);
}

static void test_decode_arguments(void)
{
    stun_message m;
    ASSERT_RC(rtcpm_stun_decode(rfc5769_request, sizeof rfc5769_request, NULL), STUN_E_INVALID_ARG);
    ASSERT_RC(rtcpm_stun_decode(NULL, 20, &m), STUN_E_INVALID_ARG);
    CU_ASSERT_TRUE(is_all_zero(&m, sizeof m));
}

static void test_error_names(void)
{
    CU_ASSERT_STRING_EQUAL(rtcpm_stun_error_name(STUN_OK), "STUN_OK");
    CU_ASSERT_STRING_EQUAL(rtcpm_stun_error_name(STUN_E_TOO_SHORT), "STUN_E_TOO_SHORT");
    CU_ASSERT_STRING_EQUAL(rtcpm_stun_error_name(STUN_E_FINGERPRINT_MISMATCH), "STUN_E_FINGERPRINT_MISMATCH");
    CU_ASSERT_STRING_EQUAL(rtcpm_stun_error_name(STUN_DECODE_UNKNOWN_ATTRIBUTES), "STUN_DECODE_UNKNOWN_ATTRIBUTES");
    CU_ASSERT_STRING_EQUAL(rtcpm_stun_error_name(-1000), "STUN_E_?");
    /* Every code in the enum has its own name. */
    for (int e = STUN_E_SOFTWARE_TOO_LONG; e <= STUN_DECODE_UNKNOWN_ATTRIBUTES; e++)
    {
        CU_ASSERT_STRING_NOT_EQUAL(rtcpm_stun_error_name(e), "STUN_E_?");
        for (int f = e + 1; f <= STUN_DECODE_UNKNOWN_ATTRIBUTES; f++)
            CU_ASSERT_STRING_NOT_EQUAL(rtcpm_stun_error_name(e), rtcpm_stun_error_name(f));
    }
}

static CU_TestInfo tests[] = {
    { "crc32_check_value", test_crc32_check_value },
    { "rfc5769_request", test_rfc5769_request },
    { "rfc5769_ipv4_response", test_rfc5769_ipv4_response },
    { "rfc5769_ipv6_response", test_rfc5769_ipv6_response },
    { "encode_binding_request", test_encode_binding_request },
    { "encode_binding_success_ipv4", test_encode_binding_success_ipv4 },
    { "encode_binding_success_ipv6", test_encode_binding_success_ipv6 },
    { "encode_both_mapped_attributes", test_encode_both_mapped_attributes },
    { "encode_binding_error", test_encode_binding_error },
    { "rfc3489_round_trip", test_rfc3489_round_trip },
    { "rfc3489_classic_server_response", test_rfc3489_classic_server_response },
    { "mapped_address_preference", test_mapped_address_preference },
    { "other_address_and_alternate_server", test_other_address_and_alternate_server },
    { "every_truncation_rejected", test_every_truncation_rejected },
    { "bad_length_field", test_bad_length_field },
    { "not_stun", test_not_stun },
    { "attribute_past_end", test_attribute_past_end },
    { "address_wrong_length_or_family", test_address_wrong_length_or_family },
    { "bad_fingerprint", test_bad_fingerprint },
    { "fingerprint_not_last", test_fingerprint_not_last },
    { "unknown_comprehension_required", test_unknown_comprehension_required },
    { "unknown_optional_ignored", test_unknown_optional_ignored },
    { "attributes_after_integrity_ignored", test_attributes_after_integrity_ignored },
    { "software_length_limit", test_software_length_limit },
    { "error_code_validation", test_error_code_validation },
    { "message_type_bits", test_message_type_bits },
    { "indication_decodes", test_indication_decodes },
    { "txid_helpers", test_txid_helpers },
    { "encoder_buffer_limits", test_encoder_buffer_limits },
    { "writer_contract", test_writer_contract },
    { "decode_arguments", test_decode_arguments },
    { "error_names", test_error_names },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("stun_codec", tests, argc, argv); }
