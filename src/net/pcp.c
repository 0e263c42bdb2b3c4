/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcp.c — PCP (RFC 6887) and NAT-PMP (RFC 6886) messages; see pcp.h.
 */
#include <stdio.h>
#include <string.h>

#include "net/pcp.h"

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* 128-bit address field: IPv6 as is, IPv4 as ::ffff:a.b.c.d; family NONE as all zeros, or
 * ::ffff:0.0.0.0 when v4_zero (an IPv4 client's "no suggestion", RFC 6887 11.1). */
static void put_addr(uint8_t *p, const rtcpm_addr *a, int v4_zero)
{
    memset(p, 0, 16);
    if (a->family == RTCPM_AF_INET6)
        memcpy(p, a->bytes, 16);
    else if (a->family == RTCPM_AF_INET || v4_zero)
    {
        p[10] = p[11] = 0xff;
        if (a->family == RTCPM_AF_INET) memcpy(p + 12, a->bytes, 4);
    }
}

static void get_addr(const uint8_t *p, rtcpm_addr *out)
{
    rtcpm_addr_set_v6(out, p, 0, 0);
    rtcpm_addr_unmap_v4(out);
}

/* The opcode data's size for a request or response of opcode op (ANNOUNCE: 0); -1: unknown. */
static int body_size(uint8_t op)
{
    return op == RTCPM_PCP_OP_MAP        ? RTCPM_PCP_MAP_SIZE
           : op == RTCPM_PCP_OP_PEER     ? RTCPM_PCP_PEER_SIZE
           : op == RTCPM_PCP_OP_ANNOUNCE ? 0
                                         : -1;
}

/* The PEER fields after the MAP ones: remote peer port 16 | reserved 16 | remote peer IP 128. */
static void put_peer(uint8_t *m, const rtcpm_addr *remote)
{
    put16(m + RTCPM_PCP_MAP_SIZE, remote->port);
    put_addr(m + RTCPM_PCP_MAP_SIZE + 4, remote, 0);
}

static void get_peer(const uint8_t *m, rtcpm_addr *remote)
{
    get_addr(m + RTCPM_PCP_MAP_SIZE + 4, remote);
    remote->port = get16(m + RTCPM_PCP_MAP_SIZE);
}

/* Options: 4-byte headers, data padded to 4; every one must fit. */
static int parse_options(const uint8_t *p, size_t len, size_t *count, struct rtcpm_pcp_option *keep)
{
    size_t off = 0;
    *count = 0;
    while (off < len)
    {
        uint16_t olen;
        size_t padded;
        if (len - off < 4) return RTCPM_PCP_E_OPTION;
        olen = get16(p + off + 2);
        padded = ((size_t)olen + 3u) & ~(size_t)3u;
        if (padded > len - off - 4) return RTCPM_PCP_E_OPTION;
        if (keep && *count < RTCPM_PCP_MAX_OPTIONS)
        {
            keep[*count].code = p[off];
            keep[*count].length = olen;
        }
        (*count)++;
        off += 4 + padded;
    }
    return RTCPM_PCP_OK;
}

int rtcpm_pcp_encode_request(const struct rtcpm_pcp_request *rq, uint8_t *buf, size_t cap)
{
    size_t len = RTCPM_PCP_HEADER_SIZE;
    if (!rq || !buf || body_size(rq->opcode) < 0 ||
        (rq->client.family != RTCPM_AF_INET && rq->client.family != RTCPM_AF_INET6))
        return RTCPM_PCP_E_INVALID_ARG;
    if (rq->opcode == RTCPM_PCP_OP_PEER && (rq->remote.family != RTCPM_AF_INET && rq->remote.family != RTCPM_AF_INET6))
        return RTCPM_PCP_E_INVALID_ARG;
    len += (size_t)body_size(rq->opcode) + (rq->opcode == RTCPM_PCP_OP_MAP && rq->prefer_failure ? 4u : 0u);
    if (cap < len) return RTCPM_PCP_E_BUFFER;
    memset(buf, 0, len);
    buf[0] = RTCPM_PCP_VERSION;
    buf[1] = rq->opcode;
    put32(buf + 4, rq->lifetime);
    put_addr(buf + 8, &rq->client, 0);
    if (rq->opcode != RTCPM_PCP_OP_ANNOUNCE)
    {
        uint8_t *m = buf + RTCPM_PCP_HEADER_SIZE;
        memcpy(m, rq->nonce, RTCPM_PCP_NONCE_SIZE);
        m[12] = rq->protocol;
        put16(m + 16, rq->internal_port);
        put16(m + 18, rq->external_port);
        put_addr(m + 20, &rq->external, rq->client.family == RTCPM_AF_INET);
        if (rq->opcode == RTCPM_PCP_OP_PEER)
            put_peer(m, &rq->remote);
        else if (rq->prefer_failure)
            m[RTCPM_PCP_MAP_SIZE] = RTCPM_PCP_OPTION_PREFER_FAILURE;
    }
    return (int)len;
}

int rtcpm_pcp_decode_request(const uint8_t *buf, size_t len, struct rtcpm_pcp_request *out)
{
    struct rtcpm_pcp_option opts[RTCPM_PCP_MAX_OPTIONS];
    size_t n, body, i;
    int rc;
    if (!out) return RTCPM_PCP_E_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    if (!buf) return RTCPM_PCP_E_INVALID_ARG;
    if (len < RTCPM_PCP_HEADER_SIZE) return RTCPM_PCP_E_SHORT;
    if (len > RTCPM_PCP_MAX_MESSAGE || len % 4) return RTCPM_PCP_E_SIZE;
    if (buf[0] != RTCPM_PCP_VERSION) return RTCPM_PCP_E_VERSION;
    if (buf[1] & 0x80) return RTCPM_PCP_E_NOT_RESPONSE; /* a response where a request belongs */
    if (body_size(buf[1] & 0x7f) < 0) return RTCPM_PCP_E_OPCODE;
    body = (size_t)body_size(buf[1] & 0x7f);
    if (len < RTCPM_PCP_HEADER_SIZE + body) return RTCPM_PCP_E_SHORT;
    rc = parse_options(buf + RTCPM_PCP_HEADER_SIZE + body, len - RTCPM_PCP_HEADER_SIZE - body, &n, opts);
    if (rc) return rc;
    out->opcode = buf[1] & 0x7f;
    out->lifetime = get32(buf + 4);
    get_addr(buf + 8, &out->client);
    if (body)
    {
        const uint8_t *m = buf + RTCPM_PCP_HEADER_SIZE;
        memcpy(out->nonce, m, RTCPM_PCP_NONCE_SIZE);
        out->protocol = m[12];
        out->internal_port = get16(m + 16);
        out->external_port = get16(m + 18);
        get_addr(m + 20, &out->external);
        if (out->opcode == RTCPM_PCP_OP_PEER) get_peer(m, &out->remote);
    }
    for (i = 0; out->opcode == RTCPM_PCP_OP_MAP && i < n && i < RTCPM_PCP_MAX_OPTIONS; i++) /* MAP's alone */
        if (opts[i].code == RTCPM_PCP_OPTION_PREFER_FAILURE) out->prefer_failure = 1;
    return RTCPM_PCP_OK;
}

int rtcpm_pcp_decode_response(const uint8_t *buf, size_t len, struct rtcpm_pcp_response *out)
{
    size_t body = 0;
    int rc;
    if (!out) return RTCPM_PCP_E_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    if (!buf) return RTCPM_PCP_E_INVALID_ARG;
    if (len < 4) return RTCPM_PCP_E_SHORT;
    if (len > RTCPM_PCP_MAX_MESSAGE || len % 4) return RTCPM_PCP_E_SIZE;
    if (buf[0] == RTCPM_NATPMP_VERSION) return RTCPM_PCP_E_VERSION; /* NAT-PMP, not PCP */
    if (!(buf[1] & 0x80)) return RTCPM_PCP_E_NOT_RESPONSE;
    if (len < RTCPM_PCP_HEADER_SIZE) return RTCPM_PCP_E_SHORT;
    if (buf[0] != RTCPM_PCP_VERSION)
    {
        /* an older (or newer) PCP server telling us its version: the header is all */
        if (buf[3] != RTCPM_PCP_UNSUPP_VERSION) return RTCPM_PCP_E_VERSION;
        out->version = buf[0];
        out->opcode = buf[1] & 0x7f;
        out->result = buf[3];
        out->lifetime = get32(buf + 4);
        out->epoch = get32(buf + 8);
        return RTCPM_PCP_OK;
    }
    if (body_size(buf[1] & 0x7f) < 0) return RTCPM_PCP_E_OPCODE;
    if (body_size(buf[1] & 0x7f) > 0)
    {
        size_t need = (size_t)body_size(buf[1] & 0x7f);
        if (len >= RTCPM_PCP_HEADER_SIZE + need)
            body = need;
        else if (len != RTCPM_PCP_HEADER_SIZE || buf[3] == RTCPM_PCP_SUCCESS)
            return RTCPM_PCP_E_SHORT; /* only an error may come without its MAP / PEER data */
    }
    rc = parse_options(buf + RTCPM_PCP_HEADER_SIZE + body, len - RTCPM_PCP_HEADER_SIZE - body, &out->option_count,
                       out->options);
    if (rc)
    {
        memset(out, 0, sizeof(*out));
        return rc;
    }
    out->version = buf[0];
    out->opcode = buf[1] & 0x7f;
    out->result = buf[3];
    out->lifetime = get32(buf + 4);
    out->epoch = get32(buf + 8);
    if (body)
    {
        const uint8_t *m = buf + RTCPM_PCP_HEADER_SIZE;
        out->map_present = 1;
        memcpy(out->nonce, m, RTCPM_PCP_NONCE_SIZE);
        out->protocol = m[12];
        out->internal_port = get16(m + 16);
        out->external_port = get16(m + 18);
        get_addr(m + 20, &out->external);
        if (out->opcode == RTCPM_PCP_OP_PEER) get_peer(m, &out->remote);
    }
    return RTCPM_PCP_OK;
}

int rtcpm_pcp_is_natpmp_unsupported_version(const uint8_t *buf, size_t len)
{
    return buf && len >= 4 && buf[0] == RTCPM_NATPMP_VERSION && buf[1] >= 128 &&
           get16(buf + 2) == RTCPM_NATPMP_UNSUPP_VERSION;
}

int rtcpm_pcp_encode_response(const struct rtcpm_pcp_response *rsp, const uint8_t *extra_options, size_t extra_len,
                              uint8_t *buf, size_t cap)
{
    size_t len = RTCPM_PCP_HEADER_SIZE;
    if (!rsp || !buf || (extra_len && !extra_options)) return RTCPM_PCP_E_INVALID_ARG;
    if (body_size(rsp->opcode) > 0 && rsp->map_present) len += (size_t)body_size(rsp->opcode);
    if (cap < len + extra_len) return RTCPM_PCP_E_BUFFER;
    memset(buf, 0, len);
    buf[0] = rsp->version;
    buf[1] = (uint8_t)(0x80 | rsp->opcode);
    buf[3] = rsp->result;
    put32(buf + 4, rsp->lifetime);
    put32(buf + 8, rsp->epoch);
    if (len > RTCPM_PCP_HEADER_SIZE)
    {
        uint8_t *m = buf + RTCPM_PCP_HEADER_SIZE;
        memcpy(m, rsp->nonce, RTCPM_PCP_NONCE_SIZE);
        m[12] = rsp->protocol;
        put16(m + 16, rsp->internal_port);
        put16(m + 18, rsp->external_port);
        put_addr(m + 20, &rsp->external, 1);
        if (rsp->opcode == RTCPM_PCP_OP_PEER) put_peer(m, &rsp->remote);
    }
    if (extra_len) memcpy(buf + len, extra_options, extra_len);
    return (int)(len + extra_len);
}

/* ---- NAT-PMP ---- */

int rtcpm_natpmp_encode_request(const struct rtcpm_natpmp_request *rq, uint8_t *buf, size_t cap)
{
    if (!rq || !buf || rq->opcode > RTCPM_NATPMP_OP_MAP_TCP) return RTCPM_PCP_E_INVALID_ARG;
    if (rq->opcode == RTCPM_NATPMP_OP_ADDRESS)
    {
        if (cap < 2) return RTCPM_PCP_E_BUFFER;
        buf[0] = RTCPM_NATPMP_VERSION;
        buf[1] = 0;
        return 2;
    }
    if (cap < 12) return RTCPM_PCP_E_BUFFER;
    memset(buf, 0, 12);
    buf[1] = rq->opcode;
    put16(buf + 4, rq->internal_port);
    put16(buf + 6, rq->external_port);
    put32(buf + 8, rq->lifetime);
    return 12;
}

int rtcpm_natpmp_decode_request(const uint8_t *buf, size_t len, struct rtcpm_natpmp_request *out)
{
    if (!out) return RTCPM_PCP_E_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    if (!buf) return RTCPM_PCP_E_INVALID_ARG;
    if (len < 2) return RTCPM_PCP_E_SHORT;
    if (len > RTCPM_PCP_MAX_MESSAGE) return RTCPM_PCP_E_SIZE;
    if (buf[0] != RTCPM_NATPMP_VERSION) return RTCPM_PCP_E_VERSION;
    if (buf[1] >= 128) return RTCPM_PCP_E_NOT_RESPONSE;
    if (buf[1] > RTCPM_NATPMP_OP_MAP_TCP) return RTCPM_PCP_E_OPCODE;
    out->opcode = buf[1];
    if (buf[1] == RTCPM_NATPMP_OP_ADDRESS) return RTCPM_PCP_OK;
    if (len < 12)
    {
        memset(out, 0, sizeof(*out));
        return RTCPM_PCP_E_SHORT;
    }
    out->internal_port = get16(buf + 4);
    out->external_port = get16(buf + 6);
    out->lifetime = get32(buf + 8);
    return RTCPM_PCP_OK;
}

int rtcpm_natpmp_decode_response(const uint8_t *buf, size_t len, struct rtcpm_natpmp_response *out)
{
    uint8_t op;
    size_t need;
    if (!out) return RTCPM_PCP_E_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    if (!buf) return RTCPM_PCP_E_INVALID_ARG;
    if (len < 2) return RTCPM_PCP_E_SHORT;
    if (len > RTCPM_PCP_MAX_MESSAGE) return RTCPM_PCP_E_SIZE;
    if (buf[0] != RTCPM_NATPMP_VERSION) return RTCPM_PCP_E_VERSION;
    if (buf[1] < 128) return RTCPM_PCP_E_NOT_RESPONSE;
    op = (uint8_t)(buf[1] - 128);
    if (op > RTCPM_NATPMP_OP_MAP_TCP) return RTCPM_PCP_E_OPCODE;
    if (len < 8) return RTCPM_PCP_E_SHORT;
    need = op == RTCPM_NATPMP_OP_ADDRESS ? 12 : 16;
    out->opcode = op;
    out->result = get16(buf + 2);
    out->epoch = get32(buf + 4);
    if (len < need)
    {
        if (out->result != RTCPM_NATPMP_SUCCESS) return RTCPM_PCP_OK; /* an error may stop here */
        memset(out, 0, sizeof(*out));
        return RTCPM_PCP_E_SHORT;
    }
    out->body_present = 1;
    if (op == RTCPM_NATPMP_OP_ADDRESS)
        rtcpm_addr_set_v4(&out->external, buf + 8, 0);
    else
    {
        out->internal_port = get16(buf + 8);
        out->external_port = get16(buf + 10);
        out->lifetime = get32(buf + 12);
    }
    return RTCPM_PCP_OK;
}

int rtcpm_natpmp_encode_response(const struct rtcpm_natpmp_response *rsp, uint8_t *buf, size_t cap)
{
    size_t len;
    if (!rsp || !buf || rsp->opcode > RTCPM_NATPMP_OP_MAP_TCP) return RTCPM_PCP_E_INVALID_ARG;
    len = !rsp->body_present ? 8u : rsp->opcode == RTCPM_NATPMP_OP_ADDRESS ? 12u : 16u;
    if (cap < len) return RTCPM_PCP_E_BUFFER;
    memset(buf, 0, len);
    buf[1] = (uint8_t)(128 + rsp->opcode);
    put16(buf + 2, rsp->result);
    put32(buf + 4, rsp->epoch);
    if (rsp->body_present && rsp->opcode == RTCPM_NATPMP_OP_ADDRESS)
    {
        if (rsp->external.family == RTCPM_AF_INET) memcpy(buf + 8, rsp->external.bytes, 4);
    }
    else if (rsp->body_present)
    {
        put16(buf + 8, rsp->internal_port);
        put16(buf + 10, rsp->external_port);
        put32(buf + 12, rsp->lifetime);
    }
    return (int)len;
}

/* ---- names ---- */

const char *rtcpm_pcp_result_name(unsigned result, char buf[20])
{
    static const char *const names[] = { "SUCCESS",           "UNSUPP_VERSION",        "NOT_AUTHORIZED",
                                         "MALFORMED_REQUEST", "UNSUPP_OPCODE",         "UNSUPP_OPTION",
                                         "MALFORMED_OPTION",  "NETWORK_FAILURE",       "NO_RESOURCES",
                                         "UNSUPP_PROTOCOL",   "USER_EX_QUOTA",         "CANNOT_PROVIDE_EXTERNAL",
                                         "ADDRESS_MISMATCH",  "EXCESSIVE_REMOTE_PEERS" };
    if (result < sizeof(names) / sizeof(names[0])) return names[result];
    snprintf(buf, 20, "result %u", result);
    return buf;
}

const char *rtcpm_natpmp_result_name(unsigned result, char buf[20])
{
    static const char *const names[] = { "SUCCESS",         "UNSUPP_VERSION", "NOT_AUTHORIZED",
                                         "NETWORK_FAILURE", "NO_RESOURCES",   "UNSUPP_OPCODE" };
    if (result < sizeof(names) / sizeof(names[0])) return names[result];
    snprintf(buf, 20, "result %u", result);
    return buf;
}

const char *rtcpm_pcp_error_name(int err)
{
    switch (err)
    {
    case RTCPM_PCP_OK: return "RTCPM_PCP_OK";
    case RTCPM_PCP_E_INVALID_ARG: return "RTCPM_PCP_E_INVALID_ARG";
    case RTCPM_PCP_E_BUFFER: return "RTCPM_PCP_E_BUFFER";
    case RTCPM_PCP_E_SHORT: return "RTCPM_PCP_E_SHORT";
    case RTCPM_PCP_E_SIZE: return "RTCPM_PCP_E_SIZE";
    case RTCPM_PCP_E_NOT_RESPONSE: return "RTCPM_PCP_E_NOT_RESPONSE";
    case RTCPM_PCP_E_VERSION: return "RTCPM_PCP_E_VERSION";
    case RTCPM_PCP_E_OPTION: return "RTCPM_PCP_E_OPTION";
    case RTCPM_PCP_E_OPCODE: return "RTCPM_PCP_E_OPCODE";
    default: return "RTCPM_PCP_E_?";
    }
}

/* ---- epoch ---- */

int rtcpm_pcp_epoch_update(struct rtcpm_pcp_epoch *st, uint32_t server_epoch, uint64_t client_ms)
{
    int lost = 0;
    if (st->known)
    {
        int64_t server_delta = (int64_t)server_epoch - (int64_t)st->server;
        int64_t client_delta = (int64_t)(client_ms / 1000u) - (int64_t)(st->client_ms / 1000u);
        if (server_delta < -1)
            lost = 1;
        else if (client_delta + 2 < server_delta - server_delta / 16 ||
                 server_delta + 2 < client_delta - client_delta / 16)
            lost = 1;
    }
    st->known = 1;
    st->server = server_epoch;
    st->client_ms = client_ms;
    return lost;
}
