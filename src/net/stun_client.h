/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — STUN Binding client: one transaction from a caller's bound socket to one server
 * (or to a list of servers in fallback order), giving the server-reflexive address.
 *
 * UDP follows RFC 5389 section 7.2.1: a request at 0, then retransmissions after RTO,
 * 2*RTO, 4*RTO, ... until Rc requests have gone out, then a final wait of Rm * RTO. With
 * the defaults (RTO 500 ms, Rc 7, Rm 16) requests leave at 0, 0.5, 1.5, 3.5, 7.5, 15.5 and
 * 31.5 s and the transaction fails at 39.5 s. TCP follows section 7.2.2: the socket is
 * connected to the server, one request is sent, and the transaction fails after Ti (39.5 s,
 * connect included). deadline_ms, when not 0, caps either schedule: the call never waits
 * longer than min(schedule, deadline_ms).
 *
 * What counts as the answer (everything else is ignored and the wait goes on):
 *  - it comes from the server's exact address and port (UDP; TCP: the connection), and
 *  - carries this transaction's ID (a fresh random 96-bit one per transaction, or 128-bit
 *    for a classic RFC 3489 request), and is a Binding success or error response.
 * Such an answer that does not decode (truncated, overrunning or badly sized attributes,
 * bad FINGERPRINT, ...) or has no mapped address is discarded silently (RFC 5389 7.3) —
 * a forged or broken datagram cannot end the transaction — and is reported only if
 * nothing better arrives before the deadline (RTCPM_STUN_E_MALFORMED /
 * RTCPM_STUN_E_NO_MAPPED_ADDRESS instead of RTCPM_STUN_E_TIMEOUT). A success response with
 * unknown comprehension-required attributes fails the transaction at once (RFC 8489
 * 7.3.3), as does an error response (reported with its code).
 *
 * The reflexive address is XOR-MAPPED-ADDRESS, else the pre-RFC 5389 0x8020, else
 * MAPPED-ADDRESS: an RFC 3489 server, which echoes our cookie as part of its 128-bit ID
 * and answers MAPPED-ADDRESS only, is accepted; config.classic sends a true RFC 3489
 * request (128-bit ID, no cookie) for servers that insist.
 *
 * The caller owns the socket: it is left open (TCP: connected) after the transaction.
 */
#ifndef RTCPM_NET_STUN_CLIENT_H
#define RTCPM_NET_STUN_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "os/socket.h"
#include "stun.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTCPM_STUN_DEFAULT_PORT           3478
#define RTCPM_STUN_DEFAULT_RTO_MS         500u
#define RTCPM_STUN_DEFAULT_MAX_REQUESTS   7u     /* Rc */
#define RTCPM_STUN_DEFAULT_FINAL_WAIT     16u    /* Rm, in units of the initial RTO */
#define RTCPM_STUN_DEFAULT_TCP_TIMEOUT_MS 39500u /* Ti */

typedef struct rtcpm_stun_config
{
    uint32_t rto_ms;         /* initial retransmission timeout, doubled each time; > 0 */
    uint32_t max_requests;   /* Rc: requests sent in all (UDP); >= 1 */
    uint32_t final_wait_rto; /* Rm: wait after the last request = Rm * rto_ms (UDP) */
    uint32_t tcp_timeout_ms; /* Ti: whole TCP transaction, connect included; > 0 */
    uint32_t deadline_ms;    /* hard cap on one transaction; 0 = the schedule alone */
    bool classic;            /* send an RFC 3489 request: 128-bit ID, no magic cookie */
    bool fingerprint;        /* add FINGERPRINT to the request */
    const char *software;    /* SOFTWARE attribute text (NUL-terminated); NULL = none */
    /* Optional, UDP only: polled at least every RTCPM_STUN_CANCEL_POLL_MS while waiting;
     * non-zero ends the transaction with RTCPM_STUN_E_CANCELLED (a worker being stopped). */
    int (*cancelled)(void *ctx);
    void *cancel_ctx;
} rtcpm_stun_config;

#define RTCPM_STUN_CANCEL_POLL_MS 20

/* The defaults above; classic/fingerprint off, no SOFTWARE, no extra deadline. */
void rtcpm_stun_config_init(rtcpm_stun_config *cfg);

/* The longest a transaction with cfg on transport type can take, in ms. */
uint64_t rtcpm_stun_config_bound_ms(const rtcpm_stun_config *cfg, enum rtcpm_sock_type type);

enum rtcpm_stun_status
{
    RTCPM_STUN_OK = 0,
    RTCPM_STUN_E_INVALID_ARG = -1,        /* NULL, bad config, family mismatch, TCP list */
    RTCPM_STUN_E_TIMEOUT = -2,            /* no answer before the deadline */
    RTCPM_STUN_E_ERROR_RESPONSE = -3,     /* error_code / error_reason / alternate_server */
    RTCPM_STUN_E_UNKNOWN_ATTRIBUTES = -4, /* success with unknown comprehension-required
                                             attributes: unknown_attributes[] */
    RTCPM_STUN_E_MALFORMED = -5,          /* only undecodable answers: codec_error */
    RTCPM_STUN_E_NO_MAPPED_ADDRESS = -6,  /* only success answers without any address */
    RTCPM_STUN_E_SOCKET = -7,             /* sock_error, os_error */
    RTCPM_STUN_E_RANDOM = -8,             /* the OS random source failed */
    RTCPM_STUN_E_CANCELLED = -9           /* config.cancelled said so */
};

typedef struct rtcpm_stun_result
{
    int status;                  /* the call's return value */
    rtcpm_addr mapped;           /* the server-reflexive transport address */
    uint16_t mapped_from;        /* STUN_ATTR_XOR_MAPPED_ADDRESS, ..._OLD or MAPPED_ADDRESS */
    rtcpm_addr local;            /* the socket's local address (getsockname) */
    rtcpm_addr server;           /* the server asked last (the one that answered on success) */
    size_t server_index;         /* rtcpm_stun_binding_list: index of that server */
    uint64_t rtt_us;             /* answer time - time of the latest request sent before it */
    uint64_t elapsed_ms;         /* the whole call */
    uint32_t requests_sent;      /* UDP: 1 .. Rc (summed over a list) */
    uint32_t ignored;            /* datagrams from elsewhere / other ID / not a response */
    uint32_t discarded;          /* our answers that were malformed or had no address */
    int codec_error;             /* stun_error of the last malformed answer; 0 = none */
    int error_code;              /* error response: 300..699 */
    char error_reason[128];      /* its reason phrase (cut to fit), NUL-terminated */
    rtcpm_addr alternate_server; /* ALTERNATE-SERVER of a 300 response */
    rtcpm_addr other_address;    /* success: RFC 5780 OTHER-ADDRESS (else RFC 3489
                                   CHANGED-ADDRESS) of the answering server; NONE if absent */
    size_t unknown_count;
    uint16_t unknown_attributes[STUN_MAX_UNKNOWN_ATTRIBUTES];
    int sock_error; /* rtcpm_sock_error when status is RTCPM_STUN_E_SOCKET */
    int os_error;   /* its OS error number */
} rtcpm_stun_result;

/*
 * One Binding transaction from socket s (bound; UDP, or TCP not yet connected) to server
 * (same family as s). cfg NULL = defaults. Fills *res (always, when res is not NULL) and
 * returns res->status.
 */
int rtcpm_stun_binding(rtcpm_socket *s, const rtcpm_addr *server, const rtcpm_stun_config *cfg, rtcpm_stun_result *res);

/*
 * Tries servers[0..count) in order on one UDP socket until one gives a mapped address.
 * Servers of another family than the socket's are skipped. A server that fails for any
 * reason (timeout, error response, malformed answers, socket error) is followed by the
 * next. total_deadline_ms (0 = none) caps the whole list: each transaction gets at most
 * what is left. On failure *res describes the last server tried; RTCPM_STUN_E_INVALID_ARG
 * when no server has the socket's family.
 */
int rtcpm_stun_binding_list(rtcpm_socket *s, const rtcpm_addr *servers, size_t count, const rtcpm_stun_config *cfg,
                            uint32_t total_deadline_ms, rtcpm_stun_result *res);

/*
 * Parses "addr[:port][,addr[:port]...]" (IP literals, IPv6 in brackets when a port
 * follows; blanks around entries allowed; default port 3478) into out[0..cap).
 * Returns the number of servers, or -1 on a syntax error / empty entry / more than cap.
 */
int rtcpm_stun_parse_servers(const char *text, rtcpm_addr *out, size_t cap);

/* "RTCPM_STUN_E_TIMEOUT" etc. */
const char *rtcpm_stun_status_name(int status);
/* "XOR-MAPPED-ADDRESS", "MAPPED-ADDRESS", "XOR-MAPPED-ADDRESS(0x8020)", or "none". */
const char *rtcpm_stun_attr_name(uint16_t attr_type);
/* One line for people: "timeout after 7 requests (39500 ms)", "error response 400 Bad
 * Request", "socket: RTCPM_SOCK_E_REFUSED (Connection refused)". Returns buf. */
const char *rtcpm_stun_describe(const rtcpm_stun_result *res, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_NET_STUN_CLIENT_H */
