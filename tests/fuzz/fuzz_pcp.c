/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_pcp.c — the PCP (RFC 6887) decoders on arbitrary bytes: rtcpm_pcp_decode_response
 * (what the PCP port manager reads from the network, also from 224.0.0.1:5350) and
 * rtcpm_pcp_decode_request (the fake server's side).
 *
 * Beyond "no crash, no read past the input":
 *  - a failure leaves the whole response zeroed; a success agrees with the bytes: length a
 *    multiple of 4 and at most 1100, R bit set, opcode MAP, PEER or ANNOUNCE (or a
 *    header-only UNSUPP_VERSION of another version), MAP / PEER data present exactly when a
 *    MAP / PEER has room for it, a success never without it, options that tile the rest;
 *  - decode -> encode (with the message's own option bytes) -> decode gives the same fields,
 *    and the same bytes wherever the encoder writes something else than reserved zeros;
 *  - a NAT-PMP "unsupported version" answer is never taken for PCP;
 *  - a decoded request re-encodes (ANNOUNCE / MAP / PEER, PREFER_FAILURE kept for MAP) and
 *    decodes the same.
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
    struct rtcpm_pcp_response r, back;
    uint8_t *out;
    size_t body, data_size;
    int len, rc = rtcpm_pcp_decode_response(data, size, &r);
    if (rtcpm_pcp_is_natpmp_unsupported_version(data, size)) FUZZ_CHECK(rc != RTCPM_PCP_OK);
    if (rc != RTCPM_PCP_OK)
    {
        FUZZ_CHECK(rc < 0 && zeroed(&r, sizeof(r)));
        return;
    }
    FUZZ_CHECK(size % 4 == 0 && size <= RTCPM_PCP_MAX_MESSAGE && size >= RTCPM_PCP_HEADER_SIZE);
    FUZZ_CHECK((data[1] & 0x80) && r.opcode == (data[1] & 0x7f) && r.result == data[3]);
    if (r.version != RTCPM_PCP_VERSION)
    {
        FUZZ_CHECK(r.result == RTCPM_PCP_UNSUPP_VERSION && r.version == data[0] && !r.map_present);
        return;
    }
    FUZZ_CHECK(r.opcode == RTCPM_PCP_OP_MAP || r.opcode == RTCPM_PCP_OP_PEER || r.opcode == RTCPM_PCP_OP_ANNOUNCE);
    data_size = r.opcode == RTCPM_PCP_OP_MAP    ? RTCPM_PCP_MAP_SIZE
                : r.opcode == RTCPM_PCP_OP_PEER ? RTCPM_PCP_PEER_SIZE
                                                : 0;
    FUZZ_CHECK(r.map_present == (data_size && size >= RTCPM_PCP_HEADER_SIZE + data_size));
    if (data_size && !r.map_present) FUZZ_CHECK(r.result != 0 && size == 24);
    if (r.opcode != RTCPM_PCP_OP_PEER) FUZZ_CHECK(r.remote.family == RTCPM_AF_NONE);
    body = RTCPM_PCP_HEADER_SIZE + (r.map_present ? data_size : 0u);
    out = fuzz_alloc(size);
    len = rtcpm_pcp_encode_response(&r, data + body, size - body, out, size);
    FUZZ_CHECK(len == (int)size);
    FUZZ_CHECK(rtcpm_pcp_decode_response(out, size, &back) == RTCPM_PCP_OK);
    FUZZ_CHECK(memcmp(&r, &back, sizeof(r)) == 0);
    /* the same bytes, but for reserved fields (and the mapped-address prefix of an IPv4) */
    FUZZ_CHECK(memcmp(out, data, 2) == 0 && memcmp(out + 3, data + 3, 9) == 0);
    if (r.map_present)
        FUZZ_CHECK(memcmp(out + 24, data + 24, 13) == 0 && memcmp(out + 40, data + 40, 4) == 0 &&
                   memcmp(out + 56, data + 56, 4) == 0);
    if (r.map_present && r.opcode == RTCPM_PCP_OP_PEER)
        FUZZ_CHECK(memcmp(out + 60, data + 60, 2) == 0 && memcmp(out + 76, data + 76, 4) == 0);
    FUZZ_CHECK(memcmp(out + body, data + body, size - body) == 0);
    FUZZ_CHECK(rtcpm_pcp_encode_response(&r, data + body, size - body, out, size - 1) == RTCPM_PCP_E_BUFFER);
    free(out);
}

static void check_request(const uint8_t *data, size_t size)
{
    struct rtcpm_pcp_request q, back;
    uint8_t out[RTCPM_PCP_HEADER_SIZE + RTCPM_PCP_PEER_SIZE];
    int len, rc = rtcpm_pcp_decode_request(data, size, &q);
    if (rc != RTCPM_PCP_OK)
    {
        FUZZ_CHECK(zeroed(&q, sizeof(q)));
        return;
    }
    FUZZ_CHECK(q.opcode == RTCPM_PCP_OP_MAP || q.opcode == RTCPM_PCP_OP_PEER || q.opcode == RTCPM_PCP_OP_ANNOUNCE);
    if (q.opcode != RTCPM_PCP_OP_MAP) FUZZ_CHECK(!q.prefer_failure);
    FUZZ_CHECK(q.client.family == RTCPM_AF_INET || q.client.family == RTCPM_AF_INET6);
    len = rtcpm_pcp_encode_request(&q, out, sizeof(out));
    FUZZ_CHECK(len > 0);
    FUZZ_CHECK(rtcpm_pcp_decode_request(out, (size_t)len, &back) == RTCPM_PCP_OK);
    /* an IPv4 client's all-zero external reads back as 0.0.0.0 either way */
    if (q.external.family == RTCPM_AF_INET6 && zeroed(q.external.bytes, 16) && q.client.family == RTCPM_AF_INET)
        q.external = back.external;
    FUZZ_CHECK(memcmp(&q, &back, sizeof(q)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_response(data, size);
    check_request(data, size);
    return 0;
}
