/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PCP (RFC 6887) and NAT-PMP (RFC 6886) codec tests: requests byte for byte against the RFCs'
 * layouts, responses decoded field by field, every malformation with its exact error, the
 * epoch rule of RFC 6887 8.5, and the default-gateway parsers of src/os/route.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loopback.h"
#include "net/pcp.h"
#include "os/route.h"

static void check_rc(int got, int want, const char *expr, unsigned line)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s == %s (got %s)", expr, rtcpm_pcp_error_name(want), rtcpm_pcp_error_name(got));
    CU_assertImplementation(got == want, line, msg, __FILE__, "", CU_FALSE);
}
#define ASSERT_RC(expr, want) check_rc((expr), (want), #expr, __LINE__)

static int all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    size_t i;
    for (i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

/* Decodes from an exact-size heap copy (ASan sees any read past len). */
static int decode_copy(const uint8_t *msg, size_t len, struct rtcpm_pcp_response *out)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    if (len) memcpy(copy, msg, len);
    rc = rtcpm_pcp_decode_response(copy, len, out);
    free(copy);
    return rc;
}

static int natpmp_copy(const uint8_t *msg, size_t len, struct rtcpm_natpmp_response *out)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    if (len) memcpy(copy, msg, len);
    rc = rtcpm_natpmp_decode_response(copy, len, out);
    free(copy);
    return rc;
}

static const uint8_t nonce[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

/* RFC 6887 11.1 MAP request from 192.0.2.33, UDP 30000, suggesting 30000, lifetime 3600. */
static const uint8_t map_request_v4[60] = {
    2,  1, 0, 0, 0,    0,    0x0e, 0x10, /* version, opcode MAP, reserved, lifetime 3600 */
    0,  0, 0, 0, 0,    0,    0,    0,    0, 0,  0xff, 0xff, 192, 0, 2, 33, /* client ::ffff:192.0.2.33 */
    1,  2, 3, 4, 5,    6,    7,    8,    9, 10, 11,   12,                  /* nonce */
    17, 0, 0, 0, 0x75, 0x30, 0x75, 0x30, /* UDP, reserved, internal 30000, external 30000 */
    0,  0, 0, 0, 0,    0,    0,    0,    0, 0,  0xff, 0xff, 0,   0, 0, 0 /* no address: ::ffff:0.0.0.0 */
};

static void test_encode_map_request(void)
{
    struct rtcpm_pcp_request rq;
    uint8_t buf[80];
    memset(&rq, 0, sizeof(rq));
    rq.opcode = RTCPM_PCP_OP_MAP;
    rq.lifetime = 3600;
    rq.client = test_addr("192.0.2.33", 4000);
    memcpy(rq.nonce, nonce, 12);
    rq.protocol = RTCPM_PCP_PROTO_UDP;
    rq.internal_port = rq.external_port = 30000;
    CU_ASSERT_EQUAL(rtcpm_pcp_encode_request(&rq, buf, sizeof(buf)), 60);
    CU_ASSERT_EQUAL(memcmp(buf, map_request_v4, 60), 0);
    ASSERT_RC(rtcpm_pcp_encode_request(&rq, buf, 59), RTCPM_PCP_E_BUFFER);

    /* PREFER_FAILURE: option code 2, length 0 */
    rq.prefer_failure = 1;
    CU_ASSERT_EQUAL(rtcpm_pcp_encode_request(&rq, buf, sizeof(buf)), 64);
    CU_ASSERT_EQUAL(buf[60], 2);
    CU_ASSERT_TRUE(all_zero(buf + 61, 3));

    /* IPv6 client, suggested IPv6 external: both copied as they are */
    rq.prefer_failure = 0;
    rq.client = test_addr("2001:db8::21", 0);
    rq.external = test_addr("2001:db8:ffff::7", 0);
    CU_ASSERT_EQUAL(rtcpm_pcp_encode_request(&rq, buf, sizeof(buf)), 60);
    CU_ASSERT_EQUAL(memcmp(buf + 8, rq.client.bytes, 16), 0);
    CU_ASSERT_EQUAL(memcmp(buf + 44, rq.external.bytes, 16), 0);
    rq.external.family = RTCPM_AF_NONE;
    CU_ASSERT_EQUAL(rtcpm_pcp_encode_request(&rq, buf, sizeof(buf)), 60);
    CU_ASSERT_TRUE(all_zero(buf + 44, 16)); /* an IPv6 client's "no address" is :: */

    rq.client.family = RTCPM_AF_NONE;
    ASSERT_RC(rtcpm_pcp_encode_request(&rq, buf, sizeof(buf)), RTCPM_PCP_E_INVALID_ARG);
    rq.client = test_addr("192.0.2.33", 0);
    rq.opcode = RTCPM_PCP_OP_PEER; /* without a remote peer */
    ASSERT_RC(rtcpm_pcp_encode_request(&rq, buf, sizeof(buf)), RTCPM_PCP_E_INVALID_ARG);
    rq.opcode = 3;
    rq.remote = test_addr("198.51.100.7", 40000);
    ASSERT_RC(rtcpm_pcp_encode_request(&rq, buf, sizeof(buf)), RTCPM_PCP_E_INVALID_ARG);
}

/* RFC 6887 12.1: the MAP fields, then remote peer port | reserved | remote peer IP. */
static void test_encode_peer(void)
{
    struct rtcpm_pcp_request rq, back;
    uint8_t buf[100];
    memset(&rq, 0, sizeof(rq));
    rq.opcode = RTCPM_PCP_OP_PEER;
    rq.lifetime = 120;
    rq.client = test_addr("192.0.2.33", 0);
    memcpy(rq.nonce, nonce, 12);
    rq.protocol = RTCPM_PCP_PROTO_UDP;
    rq.internal_port = 7078;
    rq.external_port = 42320;
    rq.external = test_addr("203.0.113.1", 0);
    rq.remote = test_addr("198.51.100.7", 40000);
    rq.prefer_failure = 1; /* MAP's option alone: not written */
    ASSERT_RC(rtcpm_pcp_encode_request(&rq, buf, 79), RTCPM_PCP_E_BUFFER);
    CU_ASSERT_EQUAL(rtcpm_pcp_encode_request(&rq, buf, sizeof(buf)), 80);
    CU_ASSERT_EQUAL(buf[0], 2);
    CU_ASSERT_EQUAL(buf[1], 2);
    CU_ASSERT_EQUAL(memcmp(buf + 24, nonce, 12), 0);
    CU_ASSERT_EQUAL(buf[36], 17);
    CU_ASSERT_EQUAL(buf[40] << 8 | buf[41], 7078);
    CU_ASSERT_EQUAL(buf[42] << 8 | buf[43], 42320);
    CU_ASSERT_EQUAL(memcmp(buf + 44, "\0\0\0\0\0\0\0\0\0\0\xff\xff\xcb\x00\x71\x01", 16), 0);
    CU_ASSERT_EQUAL(buf[60] << 8 | buf[61], 40000);
    CU_ASSERT_TRUE(all_zero(buf + 62, 2));
    CU_ASSERT_EQUAL(memcmp(buf + 64, "\0\0\0\0\0\0\0\0\0\0\xff\xff\xc6\x33\x64\x07", 16), 0);
    CU_ASSERT_EQUAL(rtcpm_pcp_decode_request(buf, 80, &back), RTCPM_PCP_OK);
    CU_ASSERT_EQUAL(back.opcode, RTCPM_PCP_OP_PEER);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&back.remote, &rq.remote));
    CU_ASSERT_EQUAL(back.prefer_failure, 0);
    ASSERT_RC(rtcpm_pcp_decode_request(buf, 76, &back), RTCPM_PCP_E_SHORT);
}

/* A PEER answer: its remote read back; an error may be the header alone. */
static void test_decode_peer(void)
{
    struct rtcpm_pcp_response rsp, r;
    uint8_t buf[100];
    memset(&rsp, 0, sizeof(rsp));
    rsp.version = 2;
    rsp.opcode = RTCPM_PCP_OP_PEER;
    rsp.lifetime = 120;
    rsp.epoch = 77;
    rsp.map_present = 1;
    rsp.protocol = RTCPM_PCP_PROTO_UDP;
    rsp.internal_port = 7078;
    rsp.external_port = 42320;
    rsp.external = test_addr("203.0.113.1", 0);
    rsp.remote = test_addr("198.51.100.7", 40000);
    CU_ASSERT_EQUAL(rtcpm_pcp_encode_response(&rsp, NULL, 0, buf, sizeof(buf)), 80);
    CU_ASSERT_EQUAL(buf[1], 0x82);
    ASSERT_RC(rtcpm_pcp_decode_response(buf, 80, &r), RTCPM_PCP_OK);
    CU_ASSERT_TRUE(r.map_present);
    CU_ASSERT_EQUAL(r.external_port, 42320);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&r.external, &rsp.external));
    CU_ASSERT_TRUE(rtcpm_addr_equal(&r.remote, &rsp.remote));
    ASSERT_RC(rtcpm_pcp_decode_response(buf, 60, &r), RTCPM_PCP_E_SHORT);
    buf[3] = RTCPM_PCP_NOT_AUTHORIZED;
    ASSERT_RC(rtcpm_pcp_decode_response(buf, 24, &r), RTCPM_PCP_OK);
    CU_ASSERT_FALSE(r.map_present);
    CU_ASSERT_EQUAL(r.result, RTCPM_PCP_NOT_AUTHORIZED);
}

static void test_request_round_trip(void)
{
    struct rtcpm_pcp_request rq, back;
    uint8_t buf[80];
    int len;
    CU_ASSERT_EQUAL(rtcpm_pcp_decode_request(map_request_v4, 60, &back), RTCPM_PCP_OK);
    CU_ASSERT_EQUAL(back.opcode, RTCPM_PCP_OP_MAP);
    CU_ASSERT_EQUAL(back.lifetime, 3600);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&back.client, &(rtcpm_addr){ { 192, 0, 2, 33 }, 0, 0, RTCPM_AF_INET }));
    CU_ASSERT_EQUAL(memcmp(back.nonce, nonce, 12), 0);
    CU_ASSERT_EQUAL(back.protocol, 17);
    CU_ASSERT_EQUAL(back.internal_port, 30000);
    CU_ASSERT_EQUAL(back.external_port, 30000);
    CU_ASSERT_EQUAL(back.external.family, RTCPM_AF_INET); /* ::ffff:0.0.0.0 unmapped */
    CU_ASSERT_TRUE(all_zero(back.external.bytes, 4));

    memset(&rq, 0, sizeof(rq));
    rq.opcode = RTCPM_PCP_OP_ANNOUNCE;
    rq.client = test_addr("198.18.1.2", 0);
    len = rtcpm_pcp_encode_request(&rq, buf, sizeof(buf));
    CU_ASSERT_EQUAL(len, 24);
    CU_ASSERT_EQUAL(buf[0], 2);
    CU_ASSERT_EQUAL(buf[1], 0);
    CU_ASSERT_EQUAL(rtcpm_pcp_decode_request(buf, (size_t)len, &back), RTCPM_PCP_OK);
    CU_ASSERT_EQUAL(back.opcode, RTCPM_PCP_OP_ANNOUNCE);
    ASSERT_RC(rtcpm_pcp_decode_request(buf, 20, &back), RTCPM_PCP_E_SHORT);
    ASSERT_RC(rtcpm_pcp_decode_request(map_request_v4, 48, &back), RTCPM_PCP_E_SHORT);
    buf[1] = 0x81;
    ASSERT_RC(rtcpm_pcp_decode_request(buf, 24, &back), RTCPM_PCP_E_NOT_RESPONSE);
}

/* A MAP success response: version 2, R|MAP, result 0, lifetime 120, epoch 77, nonce, UDP,
 * internal 30000, assigned 40000 at ::ffff:198.51.100.7. */
static void make_map_response(uint8_t out[60], uint8_t result)
{
    static const uint8_t head[] = { 2, 0x81, 0, 0, 0, 0, 0, 120, 0, 0, 0, 77 };
    memset(out, 0, 60);
    memcpy(out, head, sizeof(head));
    out[3] = result;
    memcpy(out + 24, nonce, 12);
    out[36] = 17;
    out[40] = 0x75;
    out[41] = 0x30;
    out[42] = 0x9c;
    out[43] = 0x40;
    out[54] = out[55] = 0xff;
    out[56] = 198;
    out[57] = 51;
    out[58] = 100;
    out[59] = 7;
}

static void test_decode_map_response(void)
{
    struct rtcpm_pcp_response r;
    uint8_t msg[72];
    make_map_response(msg, 0);
    ASSERT_RC(decode_copy(msg, 60, &r), RTCPM_PCP_OK);
    CU_ASSERT_EQUAL(r.version, 2);
    CU_ASSERT_EQUAL(r.opcode, RTCPM_PCP_OP_MAP);
    CU_ASSERT_EQUAL(r.result, RTCPM_PCP_SUCCESS);
    CU_ASSERT_EQUAL(r.lifetime, 120);
    CU_ASSERT_EQUAL(r.epoch, 77);
    CU_ASSERT_TRUE(r.map_present);
    CU_ASSERT_EQUAL(memcmp(r.nonce, nonce, 12), 0);
    CU_ASSERT_EQUAL(r.protocol, 17);
    CU_ASSERT_EQUAL(r.internal_port, 30000);
    CU_ASSERT_EQUAL(r.external_port, 40000);
    {
        rtcpm_addr want = test_addr("198.51.100.7", 0);
        CU_ASSERT_TRUE(rtcpm_addr_equal(&r.external, &want));
    }
    CU_ASSERT_EQUAL(r.option_count, 0);

    /* an unknown option (code 200, 3 bytes of data padded to 4) is kept and skipped */
    memcpy(msg + 60, (const uint8_t[]){ 200, 0, 0, 3, 9, 9, 9, 0 }, 8);
    ASSERT_RC(decode_copy(msg, 68, &r), RTCPM_PCP_OK);
    CU_ASSERT_EQUAL(r.option_count, 1);
    CU_ASSERT_EQUAL(r.options[0].code, 200);
    CU_ASSERT_EQUAL(r.options[0].length, 3);
    /* an option longer than what is left */
    msg[63] = 8;
    ASSERT_RC(decode_copy(msg, 68, &r), RTCPM_PCP_E_OPTION);
    CU_ASSERT_TRUE(all_zero(&r, sizeof(r)));
    /* an option header cut short is also not a multiple of 4 */
    ASSERT_RC(decode_copy(msg, 62, &r), RTCPM_PCP_E_SIZE);
}

static void test_decode_rejects(void)
{
    struct rtcpm_pcp_response r;
    uint8_t msg[1104];
    make_map_response(msg, 0);
    ASSERT_RC(decode_copy(msg, 0, &r), RTCPM_PCP_E_SHORT);
    ASSERT_RC(decode_copy(msg, 20, &r), RTCPM_PCP_E_SHORT); /* a success header without its MAP data */
    ASSERT_RC(decode_copy(msg, 24, &r), RTCPM_PCP_E_SHORT);
    ASSERT_RC(decode_copy(msg, 58, &r), RTCPM_PCP_E_SIZE); /* not a multiple of 4 */
    ASSERT_RC(decode_copy(msg, 56, &r), RTCPM_PCP_E_SHORT);
    memset(msg + 60, 0, sizeof(msg) - 60);
    ASSERT_RC(decode_copy(msg, 1104, &r), RTCPM_PCP_E_SIZE); /* over 1100 */
    msg[60] = 0;                                             /* options: code 0 length 0, ... */
    ASSERT_RC(decode_copy(msg, 1100, &r), RTCPM_PCP_OK);     /* 260 empty options fit exactly */
    CU_ASSERT_EQUAL(r.option_count, 260);
    msg[1] = 0x01; /* R bit clear: a request */
    ASSERT_RC(decode_copy(msg, 60, &r), RTCPM_PCP_E_NOT_RESPONSE);
    msg[1] = 0x82; /* PEER: a success needs 56 bytes of PEER data */
    ASSERT_RC(decode_copy(msg, 60, &r), RTCPM_PCP_E_SHORT);
    msg[1] = 0x83; /* no layout here */
    ASSERT_RC(decode_copy(msg, 60, &r), RTCPM_PCP_E_OPCODE);
    msg[1] = 0x81;
    msg[0] = 3; /* a newer version, not an UNSUPP_VERSION answer */
    ASSERT_RC(decode_copy(msg, 60, &r), RTCPM_PCP_E_VERSION);
    msg[0] = 0; /* NAT-PMP */
    ASSERT_RC(decode_copy(msg, 60, &r), RTCPM_PCP_E_VERSION);
    CU_ASSERT_TRUE(all_zero(&r, sizeof(r)));
}

static void test_decode_errors_and_versions(void)
{
    struct rtcpm_pcp_response r;
    uint8_t msg[60];
    /* a MAP error may come as the header alone (the server could not read the request) */
    make_map_response(msg, RTCPM_PCP_MALFORMED_REQUEST);
    ASSERT_RC(decode_copy(msg, 24, &r), RTCPM_PCP_OK);
    CU_ASSERT_EQUAL(r.result, RTCPM_PCP_MALFORMED_REQUEST);
    CU_ASSERT_FALSE(r.map_present);
    /* with its data: nonce and ports for the client to match */
    make_map_response(msg, RTCPM_PCP_NOT_AUTHORIZED);
    ASSERT_RC(decode_copy(msg, 60, &r), RTCPM_PCP_OK);
    CU_ASSERT_EQUAL(r.result, RTCPM_PCP_NOT_AUTHORIZED);
    CU_ASSERT_TRUE(r.map_present);
    /* an older PCP server: version 1, UNSUPP_VERSION, header only */
    make_map_response(msg, RTCPM_PCP_UNSUPP_VERSION);
    msg[0] = 1;
    ASSERT_RC(decode_copy(msg, 24, &r), RTCPM_PCP_OK);
    CU_ASSERT_EQUAL(r.version, 1);
    CU_ASSERT_EQUAL(r.result, RTCPM_PCP_UNSUPP_VERSION);
    /* a NAT-PMP server's answer to a PCP request: 8 bytes, version 0, result 1 (16 bits) */
    {
        static const uint8_t natpmp_refusal[8] = { 0, 0x80, 0, 1, 0, 0, 0, 42 };
        CU_ASSERT_TRUE(rtcpm_pcp_is_natpmp_unsupported_version(natpmp_refusal, 8));
        CU_ASSERT_FALSE(rtcpm_pcp_is_natpmp_unsupported_version(natpmp_refusal, 3));
        CU_ASSERT_FALSE(rtcpm_pcp_is_natpmp_unsupported_version(msg, 24));
        ASSERT_RC(decode_copy(natpmp_refusal, 8, &r), RTCPM_PCP_E_VERSION);
    }
}

static void test_response_round_trip(void)
{
    struct rtcpm_pcp_response r, back;
    uint8_t buf[200];
    int len;
    memset(&r, 0, sizeof(r));
    r.version = 2;
    r.opcode = RTCPM_PCP_OP_MAP;
    r.result = RTCPM_PCP_SUCCESS;
    r.lifetime = 7200;
    r.epoch = 123456;
    r.map_present = 1;
    memcpy(r.nonce, nonce, 12);
    r.protocol = 6;
    r.internal_port = 5060;
    r.external_port = 15060;
    r.external = test_addr("2001:db8::7", 0);
    len = rtcpm_pcp_encode_response(&r, NULL, 0, buf, sizeof(buf));
    CU_ASSERT_EQUAL(len, 60);
    ASSERT_RC(rtcpm_pcp_decode_response(buf, (size_t)len, &back), RTCPM_PCP_OK);
    CU_ASSERT_EQUAL(memcmp(&r, &back, sizeof(r)), 0);
    /* the ANNOUNCE miniupnpd multicasts after a restart (seen in the e2e harness) */
    {
        static const uint8_t announce[24] = { 2, 0x80 };
        ASSERT_RC(rtcpm_pcp_decode_response(announce, 24, &back), RTCPM_PCP_OK);
        CU_ASSERT_EQUAL(back.opcode, RTCPM_PCP_OP_ANNOUNCE);
        CU_ASSERT_EQUAL(back.epoch, 0);
    }
}

static void test_natpmp(void)
{
    struct rtcpm_natpmp_request rq, back;
    struct rtcpm_natpmp_response r;
    uint8_t buf[20];
    static const uint8_t want_map[12] = { 0, 1, 0, 0, 0x75, 0x30, 0x75, 0x30, 0, 0, 0x0e, 0x10 };
    static const uint8_t addr_rsp[12] = { 0, 128, 0, 0, 0, 0, 1, 0, 198, 19, 1, 1 };
    static const uint8_t map_rsp[16] = { 0, 130, 0, 0, 0, 0, 0, 5, 0x13, 0xc4, 0x3b, 0x16, 0, 0, 0, 60 };
    static const uint8_t err_rsp[8] = { 0, 129, 0, 3, 0, 0, 0, 9 };

    memset(&rq, 0, sizeof(rq));
    CU_ASSERT_EQUAL(rtcpm_natpmp_encode_request(&rq, buf, sizeof(buf)), 2);
    CU_ASSERT_EQUAL(buf[0], 0);
    CU_ASSERT_EQUAL(buf[1], 0);
    rq.opcode = RTCPM_NATPMP_OP_MAP_UDP;
    rq.internal_port = rq.external_port = 30000;
    rq.lifetime = 3600;
    CU_ASSERT_EQUAL(rtcpm_natpmp_encode_request(&rq, buf, sizeof(buf)), 12);
    CU_ASSERT_EQUAL(memcmp(buf, want_map, 12), 0);
    ASSERT_RC(rtcpm_natpmp_decode_request(buf, 12, &back), RTCPM_PCP_OK);
    CU_ASSERT_EQUAL(memcmp(&rq, &back, sizeof(rq)), 0);
    rq.opcode = 3;
    ASSERT_RC(rtcpm_natpmp_encode_request(&rq, buf, sizeof(buf)), RTCPM_PCP_E_INVALID_ARG);

    ASSERT_RC(natpmp_copy(addr_rsp, 12, &r), RTCPM_PCP_OK);
    CU_ASSERT_EQUAL(r.opcode, 0);
    CU_ASSERT_EQUAL(r.epoch, 256);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&r.external, &(rtcpm_addr){ { 198, 19, 1, 1 }, 0, 0, RTCPM_AF_INET }));
    ASSERT_RC(natpmp_copy(map_rsp, 16, &r), RTCPM_PCP_OK);
    CU_ASSERT_EQUAL(r.opcode, RTCPM_NATPMP_OP_MAP_TCP);
    CU_ASSERT_EQUAL(r.internal_port, 5060);
    CU_ASSERT_EQUAL(r.external_port, 15126);
    CU_ASSERT_EQUAL(r.lifetime, 60);
    ASSERT_RC(natpmp_copy(err_rsp, 8, &r), RTCPM_PCP_OK); /* an error may stop after the epoch */
    CU_ASSERT_EQUAL(r.result, RTCPM_NATPMP_NETWORK_FAILURE);
    CU_ASSERT_FALSE(r.body_present);

    ASSERT_RC(natpmp_copy(map_rsp, 15, &r), RTCPM_PCP_E_SHORT); /* a success needs all 16 */
    CU_ASSERT_TRUE(all_zero(&r, sizeof(r)));
    ASSERT_RC(natpmp_copy(addr_rsp, 7, &r), RTCPM_PCP_E_SHORT);
    ASSERT_RC(natpmp_copy(want_map, 12, &r), RTCPM_PCP_E_NOT_RESPONSE);
    {
        uint8_t m[16];
        memcpy(m, map_rsp, 16);
        m[0] = 2;
        ASSERT_RC(natpmp_copy(m, 16, &r), RTCPM_PCP_E_VERSION);
        m[0] = 0;
        m[1] = 131;
        ASSERT_RC(natpmp_copy(m, 16, &r), RTCPM_PCP_E_OPCODE);
    }
    /* the writer: a body-less error is 8 bytes */
    memset(&r, 0, sizeof(r));
    r.opcode = 1;
    r.result = RTCPM_NATPMP_NOT_AUTHORIZED;
    CU_ASSERT_EQUAL(rtcpm_natpmp_encode_response(&r, buf, sizeof(buf)), 8);
}

static void test_names(void)
{
    char b[20];
    CU_ASSERT_STRING_EQUAL(rtcpm_pcp_result_name(2, b), "NOT_AUTHORIZED");
    CU_ASSERT_STRING_EQUAL(rtcpm_pcp_result_name(13, b), "EXCESSIVE_REMOTE_PEERS");
    CU_ASSERT_STRING_EQUAL(rtcpm_pcp_result_name(99, b), "result 99");
    CU_ASSERT_STRING_EQUAL(rtcpm_natpmp_result_name(4, b), "NO_RESOURCES");
    CU_ASSERT_STRING_EQUAL(rtcpm_natpmp_result_name(4000000000u, b), "result 4000000000");
}

static void test_epoch(void)
{
    struct rtcpm_pcp_epoch e;
    memset(&e, 0, sizeof(e));
    CU_ASSERT_EQUAL(rtcpm_pcp_epoch_update(&e, 1000, 50000), 0); /* the first says nothing */
    CU_ASSERT_EQUAL(rtcpm_pcp_epoch_update(&e, 1010, 60000), 0); /* both advanced 10 s */
    CU_ASSERT_EQUAL(rtcpm_pcp_epoch_update(&e, 1009, 60500), 0); /* back by 1 s: tolerated */
    CU_ASSERT_EQUAL(rtcpm_pcp_epoch_update(&e, 1007, 61000), 1); /* back by 2 s: state lost */
    CU_ASSERT_EQUAL(rtcpm_pcp_epoch_update(&e, 0, 62000), 1);    /* a reboot (miniupnpd: 0) */
    CU_ASSERT_EQUAL(rtcpm_pcp_epoch_update(&e, 100, 162000), 0); /* 100 s each */
    /* the server advanced far more slowly than we did: it restarted in between */
    CU_ASSERT_EQUAL(rtcpm_pcp_epoch_update(&e, 110, 262000), 1);
    /* ... or far faster */
    CU_ASSERT_EQUAL(rtcpm_pcp_epoch_update(&e, 500, 272000), 1);
    /* within 1/16 + 2 s */
    CU_ASSERT_EQUAL(rtcpm_pcp_epoch_update(&e, 660, 432000), 0);
    CU_ASSERT_EQUAL(e.server, 660);
}

static const char proc_route[] = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
                                 "lan0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
                                 "wan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
                                 "lan0\t00000000\t010112C6\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
                                 "lan0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n";

static unsigned fake_index(const char *name) { return !strcmp(name, "lan0") ? 7u : 0u; }

static void test_route_parsers(void)
{
    static const char v6[] = "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 "
                             "00000000000000000000000000000000 00000100 00000001 00000000 00000001     lan0\n"
                             "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                             "fe800000000000000000000000000001 00000400 00000002 00000000 00000003     lan0\n"
                             "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                             "20010db8000000000000000000000001 00000800 00000002 00000000 00000003     wan0\n";
    rtcpm_addr gw, want;
    CU_ASSERT_EQUAL(rtcpm_route_parse_proc_ipv4(proc_route, strlen(proc_route), &gw), 0);
    want = test_addr("198.18.1.1", 0); /* the metric-100 route, not the metric-600 one */
    CU_ASSERT_TRUE(rtcpm_addr_equal(&gw, &want));
    CU_ASSERT_EQUAL(rtcpm_route_parse_proc_ipv4(proc_route, 120, &gw), -1); /* header + on-link only */
    CU_ASSERT_EQUAL(gw.family, RTCPM_AF_NONE);
    CU_ASSERT_EQUAL(rtcpm_route_parse_proc_ipv4("", 0, &gw), -1);

    CU_ASSERT_EQUAL(rtcpm_route_parse_proc_ipv6(v6, strlen(v6), fake_index, &gw), 0);
    want = test_addr("fe80::1", 0);
    want.scope_id = 7;
    CU_ASSERT_TRUE(rtcpm_addr_equal(&gw, &want));
    CU_ASSERT_EQUAL(rtcpm_route_parse_proc_ipv6(v6, 150, NULL, &gw), -1);
}

/* The OS path: whatever the table says, a gateway found is a unicast address of the family. */
static void test_default_gateway_here(void)
{
    rtcpm_addr gw;
    int os_error = 0, rc = rtcpm_route_default_gateway(RTCPM_AF_INET, &gw, &os_error);
    CU_ASSERT_TRUE(rc == 0 || rc == -4 /* RTCPM_SOCK_E_UNREACHABLE: no default route */);
    if (rc == 0)
    {
        char text[RTCPM_ADDR_TEXT_SIZE];
        rtcpm_addr_format(&gw, text, sizeof(text));
        printf("\n    default IPv4 gateway here: %s ", text);
        CU_ASSERT_EQUAL(gw.family, RTCPM_AF_INET);
        CU_ASSERT_EQUAL(gw.port, 0);
        CU_ASSERT_FALSE(all_zero(gw.bytes, 4));
    }
    CU_ASSERT_EQUAL(rtcpm_route_default_gateway(5, &gw, NULL), -7 /* RTCPM_SOCK_E_INVALID_ARG */);
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "encode_map_request", test_encode_map_request },
        { "request_round_trip", test_request_round_trip },
        { "encode_peer", test_encode_peer },
        { "decode_peer", test_decode_peer },
        { "decode_map_response", test_decode_map_response },
        { "decode_rejects", test_decode_rejects },
        { "decode_errors_and_versions", test_decode_errors_and_versions },
        { "response_round_trip", test_response_round_trip },
        { "natpmp", test_natpmp },
        { "names", test_names },
        { "epoch", test_epoch },
        { "route_parsers", test_route_parsers },
        { "default_gateway_here", test_default_gateway_here },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("pcp_codec", tests, argc, argv);
}
