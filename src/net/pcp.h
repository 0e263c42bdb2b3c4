/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcp.h — Port Control Protocol (RFC 6887) and NAT-PMP (RFC 6886) messages: the requests a
 * client sends, the responses it reads, and the epoch rule that tells a NAT that lost its
 * state.
 *
 * Pure C11 on byte buffers, like the STUN codec: no sockets, no clock, no randomness (the
 * caller supplies the nonce), no global state. The PCP port manager uses it as a client;
 * the in-process test server (tests/fake_pcp_server.c) uses the response writers to answer,
 * and to answer wrongly on purpose.
 *
 * PCP (all fields network order; every message a multiple of 4 bytes, at most 1100):
 *   request header  version 2 | R=0, opcode | reserved 16 | lifetime 32 | client IP 128
 *   response header version 2 | R=1, opcode | reserved 8 | result 8 | lifetime 32 | epoch 32
 *                   | reserved 96
 *   MAP data        nonce 96 | protocol 8 | reserved 24 | internal port 16 | (suggested /
 *                   assigned) external port 16 | (suggested / assigned) external IP 128
 *   PEER data       the MAP data | remote peer port 16 | reserved 16 | remote peer IP 128
 *                   (RFC 6887 12.1: a mapping for the flow to one remote peer, outbound too)
 *   ANNOUNCE        no data
 *   options         code 8 | reserved 8 | length 16 | data, padded to 4 bytes
 * IPv4 addresses travel as IPv4-mapped IPv6 (::ffff:a.b.c.d); decoding gives them back as
 * IPv4.
 *
 * NAT-PMP (version 0):
 *   requests   external address: 0 | 0;  map: 0 | 1 (UDP) or 2 (TCP) | reserved 16 |
 *              internal port 16 | suggested external port 16 | lifetime 32
 *   responses  0 | 128 + op | result 16 | epoch 32 | then op 0: external IPv4 32;
 *              op 1/2: internal port 16 | mapped external port 16 | lifetime 32
 *   an "unsupported version" answer is the first 8 bytes only (RFC 6886 3.5); a NAT-PMP
 *   server answers a PCP request that way, which is how a client learns to fall back.
 *
 * Decoding is all-or-nothing: a negative rtcpm_pcp_error and a zeroed response on failure.
 */
#ifndef RTCPM_NET_PCP_H
#define RTCPM_NET_PCP_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTCPM_PCP_SERVER_PORT   5351 /* PCP and NAT-PMP servers listen here */
#define RTCPM_PCP_ANNOUNCE_PORT 5350 /* unsolicited ANNOUNCE / NAT-PMP address changes */
#define RTCPM_PCP_VERSION       2
#define RTCPM_NATPMP_VERSION    0
#define RTCPM_PCP_MAX_MESSAGE   1100
#define RTCPM_PCP_HEADER_SIZE   24
#define RTCPM_PCP_MAP_SIZE      36 /* MAP opcode data */
#define RTCPM_PCP_PEER_SIZE     56 /* PEER opcode data */
#define RTCPM_PCP_NONCE_SIZE    12
#define RTCPM_PCP_MAX_OPTIONS   8 /* options a decoded response keeps (the rest counted) */

enum rtcpm_pcp_opcode
{
    RTCPM_PCP_OP_ANNOUNCE = 0,
    RTCPM_PCP_OP_MAP = 1,
    RTCPM_PCP_OP_PEER = 2
};

enum rtcpm_pcp_option_code
{
    RTCPM_PCP_OPTION_THIRD_PARTY = 1,
    RTCPM_PCP_OPTION_PREFER_FAILURE = 2,
    RTCPM_PCP_OPTION_FILTER = 3
};

/* RFC 6887 7.4. */
enum rtcpm_pcp_result
{
    RTCPM_PCP_SUCCESS = 0,
    RTCPM_PCP_UNSUPP_VERSION = 1,
    RTCPM_PCP_NOT_AUTHORIZED = 2,
    RTCPM_PCP_MALFORMED_REQUEST = 3,
    RTCPM_PCP_UNSUPP_OPCODE = 4,
    RTCPM_PCP_UNSUPP_OPTION = 5,
    RTCPM_PCP_MALFORMED_OPTION = 6,
    RTCPM_PCP_NETWORK_FAILURE = 7,
    RTCPM_PCP_NO_RESOURCES = 8,
    RTCPM_PCP_UNSUPP_PROTOCOL = 9,
    RTCPM_PCP_USER_EX_QUOTA = 10,
    RTCPM_PCP_CANNOT_PROVIDE_EXTERNAL = 11,
    RTCPM_PCP_ADDRESS_MISMATCH = 12,
    RTCPM_PCP_EXCESSIVE_REMOTE_PEERS = 13
};

/* RFC 6886 3.5. */
enum rtcpm_natpmp_result
{
    RTCPM_NATPMP_SUCCESS = 0,
    RTCPM_NATPMP_UNSUPP_VERSION = 1,
    RTCPM_NATPMP_NOT_AUTHORIZED = 2,
    RTCPM_NATPMP_NETWORK_FAILURE = 3,
    RTCPM_NATPMP_NO_RESOURCES = 4,
    RTCPM_NATPMP_UNSUPP_OPCODE = 5
};

enum rtcpm_natpmp_opcode
{
    RTCPM_NATPMP_OP_ADDRESS = 0,
    RTCPM_NATPMP_OP_MAP_UDP = 1,
    RTCPM_NATPMP_OP_MAP_TCP = 2
};

/* IANA protocol numbers a MAP names. */
#define RTCPM_PCP_PROTO_TCP 6
#define RTCPM_PCP_PROTO_UDP 17

enum rtcpm_pcp_error
{
    RTCPM_PCP_OK = 0,
    RTCPM_PCP_E_INVALID_ARG = -1,  /* NULL, a bad field value to encode */
    RTCPM_PCP_E_BUFFER = -2,       /* encode: the buffer is too small */
    RTCPM_PCP_E_SHORT = -3,        /* shorter than its layout needs */
    RTCPM_PCP_E_SIZE = -4,         /* over RTCPM_PCP_MAX_MESSAGE, or (PCP) not a multiple of 4 */
    RTCPM_PCP_E_NOT_RESPONSE = -5, /* the R bit (PCP) / 128 (NAT-PMP) is not set */
    RTCPM_PCP_E_VERSION = -6,      /* not the version this decoder reads */
    RTCPM_PCP_E_OPTION = -7,       /* an option overruns the message or is badly padded */
    RTCPM_PCP_E_OPCODE = -8        /* an opcode this decoder has no layout for */
};

/* A PCP request (MAP, PEER or ANNOUNCE). */
struct rtcpm_pcp_request
{
    uint8_t opcode;    /* RTCPM_PCP_OP_MAP, _PEER or _ANNOUNCE */
    uint32_t lifetime; /* seconds; 0 deletes a MAP / PEER */
    rtcpm_addr client; /* the client's own IP, as the packet's source (port ignored) */
    /* MAP and PEER */
    uint8_t nonce[RTCPM_PCP_NONCE_SIZE];
    uint8_t protocol; /* RTCPM_PCP_PROTO_UDP / _TCP (0 = all) */
    uint16_t internal_port;
    uint16_t external_port; /* suggested; 0 = none */
    rtcpm_addr external;    /* suggested; family NONE = none (all zeros, or ::ffff:0.0.0.0
                               when the client is IPv4, as RFC 6887 11.1 asks) */
    int prefer_failure;     /* add the PREFER_FAILURE option (MAP only) */
    rtcpm_addr remote;      /* PEER: the remote peer's address and port */
};

struct rtcpm_pcp_option
{
    uint8_t code;
    uint16_t length;
};

/* A decoded PCP response. For MAP and PEER the opcode data is there when present
 * (map_present, for both): an error response may carry the header alone. */
struct rtcpm_pcp_response
{
    uint8_t version, opcode, result;
    uint32_t lifetime, epoch;
    int map_present;
    uint8_t nonce[RTCPM_PCP_NONCE_SIZE];
    uint8_t protocol;
    uint16_t internal_port, external_port;
    rtcpm_addr external; /* IPv4 as IPv4 */
    rtcpm_addr remote;   /* PEER: the remote peer, with its port */
    size_t option_count; /* options in the message (only the first RTCPM_PCP_MAX_OPTIONS kept) */
    struct rtcpm_pcp_option options[RTCPM_PCP_MAX_OPTIONS];
};

/* The request's bytes; their count, or a negative rtcpm_pcp_error. */
int rtcpm_pcp_encode_request(const struct rtcpm_pcp_request *rq, uint8_t *buf, size_t cap);

/*
 * A PCP response (version 2, R bit set, 24-byte header, MAP / PEER data when the opcode is
 * MAP / PEER and the message is long enough, well-formed options). A PCP server that speaks only an older
 * version answers UNSUPP_VERSION with its own version in the header: such a header-only
 * answer decodes (version < 2, result 1). A NAT-PMP "unsupported version" answer is not PCP:
 * see rtcpm_pcp_is_natpmp_unsupported_version.
 */
int rtcpm_pcp_decode_response(const uint8_t *buf, size_t len, struct rtcpm_pcp_response *out);

/* 1 when buf is a NAT-PMP response (version 0, opcode >= 128) whose result is
 * UNSUPP_VERSION: a NAT-PMP-only server's answer to a PCP request. */
int rtcpm_pcp_is_natpmp_unsupported_version(const uint8_t *buf, size_t len);

/* Writes a PCP response (for servers: the test's fake one). For MAP and PEER, rsp's opcode
 * fields are written when map_present. extra_options: raw bytes appended as they are (may be
 * malformed on purpose). Length or a negative error. */
int rtcpm_pcp_encode_response(const struct rtcpm_pcp_response *rsp, const uint8_t *extra_options, size_t extra_len,
                              uint8_t *buf, size_t cap);

/* Decodes a PCP request (for servers: the fake one, and its fuzzing). */
int rtcpm_pcp_decode_request(const uint8_t *buf, size_t len, struct rtcpm_pcp_request *out);

/* ---- NAT-PMP ---- */

struct rtcpm_natpmp_request
{
    uint8_t opcode; /* RTCPM_NATPMP_OP_* */
    uint16_t internal_port, external_port;
    uint32_t lifetime;
};

struct rtcpm_natpmp_response
{
    uint8_t opcode; /* without the 128 */
    uint16_t result;
    uint32_t epoch;
    int body_present;                      /* the opcode's fields below are there (always on success) */
    rtcpm_addr external;                   /* op 0: the external IPv4 address */
    uint16_t internal_port, external_port; /* op 1/2 */
    uint32_t lifetime;
};

int rtcpm_natpmp_encode_request(const struct rtcpm_natpmp_request *rq, uint8_t *buf, size_t cap);
/* A NAT-PMP response: version 0, opcode 128..130, at least 8 bytes; a success needs its
 * whole layout (12 / 16 bytes), an error may stop after the epoch. Longer messages are
 * read up to their layout (the rest ignored) when at most RTCPM_PCP_MAX_MESSAGE. */
int rtcpm_natpmp_decode_response(const uint8_t *buf, size_t len, struct rtcpm_natpmp_response *out);
int rtcpm_natpmp_encode_response(const struct rtcpm_natpmp_response *rsp, uint8_t *buf, size_t cap);
int rtcpm_natpmp_decode_request(const uint8_t *buf, size_t len, struct rtcpm_natpmp_request *out);

/* ---- names ---- */

/* "SUCCESS", "NOT_AUTHORIZED", ... ; "result N" outside the table (buf used then). */
const char *rtcpm_pcp_result_name(unsigned result, char buf[20]);
const char *rtcpm_natpmp_result_name(unsigned result, char buf[20]);
const char *rtcpm_pcp_error_name(int err);

/* ---- epoch (RFC 6887 8.5; used for NAT-PMP's epoch too) ---- */

struct rtcpm_pcp_epoch
{
    int known;
    uint32_t server;    /* the server's epoch seconds at the last response */
    uint64_t client_ms; /* our clock then */
};

/*
 * Feeds one response's epoch, received at client_ms. 1 when it says the server lost its
 * state since the last one (its epoch went back by more than 1 s, or it advanced too much
 * more slowly or quickly than our clock: client_delta + 2 < server_delta - server_delta / 16,
 * or server_delta + 2 < client_delta - client_delta / 16); 0 otherwise (also for the first).
 * The state then holds this response.
 */
int rtcpm_pcp_epoch_update(struct rtcpm_pcp_epoch *st, uint32_t server_epoch, uint64_t client_ms);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_NET_PCP_H */
