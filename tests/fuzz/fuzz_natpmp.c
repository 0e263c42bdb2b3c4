/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_natpmp.c — the NAT-PMP (RFC 6886) decoders on arbitrary bytes:
 * rtcpm_natpmp_decode_response (what the PCP port manager reads from a NAT-PMP server and
 * from 224.0.0.1:5350) and rtcpm_natpmp_decode_request (the fake server's side).
 *
 * Beyond "no crash, no read past the input":
 *  - a failure leaves the response zeroed; a success agrees with the bytes (version 0,
 *    128 + opcode 0..2, result and epoch as written); a success result always has its body;
 *    the body is there exactly when the message holds its layout (12 / 16 bytes);
 *  - decode -> encode -> decode gives the same fields and, over the encoded length, the same
 *    bytes but for the reserved ones;
 *  - a decoded request re-encodes to the same fields.
 */
#include <string.h>

#include "fuzz_check.h"
#include "net/pcp.h"

static int zeroed(const void *p, size_t n)
{
    const unsigned char *b = p;
    size_t i;
    for (i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

static void check_response(const uint8_t *data, size_t size)
{
    struct rtcpm_natpmp_response r, back;
    uint8_t out[16];
    size_t need;
    int len, rc = rtcpm_natpmp_decode_response(data, size, &r);
    if (rc != RTCPM_PCP_OK)
    {
        FUZZ_CHECK(rc < 0 && zeroed(&r, sizeof(r)));
        return;
    }
    FUZZ_CHECK(size >= 8 && size <= RTCPM_PCP_MAX_MESSAGE && data[0] == 0 && data[1] == 128 + r.opcode);
    FUZZ_CHECK(r.opcode <= RTCPM_NATPMP_OP_MAP_TCP);
    FUZZ_CHECK(r.result == (unsigned)(data[2] << 8 | data[3]));
    need = r.opcode == RTCPM_NATPMP_OP_ADDRESS ? 12 : 16;
    FUZZ_CHECK(r.body_present == (size >= need));
    if (r.result == RTCPM_NATPMP_SUCCESS) FUZZ_CHECK(r.body_present);
    len = rtcpm_natpmp_encode_response(&r, out, sizeof(out));
    FUZZ_CHECK(len == (int)(r.body_present ? need : 8));
    FUZZ_CHECK(rtcpm_natpmp_decode_response(out, (size_t)len, &back) == RTCPM_PCP_OK);
    FUZZ_CHECK(memcmp(&r, &back, sizeof(r)) == 0);
    FUZZ_CHECK(memcmp(out, data, (size_t)len) == 0); /* a response has no reserved bytes */
    FUZZ_CHECK(rtcpm_natpmp_encode_response(&r, out, (size_t)len - 1) == RTCPM_PCP_E_BUFFER);
}

static void check_request(const uint8_t *data, size_t size)
{
    struct rtcpm_natpmp_request q, back;
    uint8_t out[12];
    int len, rc = rtcpm_natpmp_decode_request(data, size, &q);
    if (rc != RTCPM_PCP_OK)
    {
        FUZZ_CHECK(zeroed(&q, sizeof(q)));
        return;
    }
    len = rtcpm_natpmp_encode_request(&q, out, sizeof(out));
    FUZZ_CHECK(len == (q.opcode ? 12 : 2));
    FUZZ_CHECK(rtcpm_natpmp_decode_request(out, (size_t)len, &back) == RTCPM_PCP_OK);
    FUZZ_CHECK(memcmp(&q, &back, sizeof(q)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_response(data, size);
    check_request(data, size);
    return 0;
}
