/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcp_client.h — one PCP (RFC 6887) or NAT-PMP (RFC 6886) exchange from a caller's bound UDP
 * socket to one server: the request, its retransmissions, and the one answer that counts.
 *
 * Schedule: NAT-PMP's (RFC 6886 3.1), for both protocols: a request at 0, then after 250 ms,
 * 500 ms, 1 s, ... (rto_ms, doubling) until budget_ms ends the exchange. RFC 6887 8.1.1's
 * schedule (first retransmission after 3 s) is made for background daemons; RTC's calls are
 * synchronous and a whole GetMapping* call must fit in the port manager's budget (3 s by
 * default, where PCP's own schedule would send one request).
 *
 * What counts as the answer (everything else is dropped, counted, and the wait goes on):
 *  - it comes from the server's exact address and port;
 *  - it decodes (PCP: version 2, R bit, a multiple of 4 bytes, at most 1100, well-formed
 *    options; NAT-PMP: version 0, 128 + opcode, its layout);
 *  - it answers this request: the same opcode; for a PCP MAP or PEER answer with its data the
 *    same nonce, protocol and internal port (PEER: and remote peer; an error answer without
 *    its data, which RFC 6887 allows for a request the server could not read, counts as it
 *    is); for a NAT-PMP map the
 *    same internal port when the body is there.
 * Any result code ends the exchange: the caller reads it. A PCP request answered with a
 * NAT-PMP "unsupported version" (a NAT-PMP-only server) ends it too, as
 * RTCPM_PCP_X_NATPMP_ONLY, and so does a PCP UNSUPP_VERSION answer (result 1, in any version).
 *
 * The caller owns the socket (bound to the client's address; its port is the request's
 * source, RFC 6887 8.1); it is left open.
 */
#ifndef RTCPM_NET_PCP_CLIENT_H
#define RTCPM_NET_PCP_CLIENT_H

#include <stdint.h>

#include "net/pcp.h"
#include "os/socket.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTCPM_PCP_DEFAULT_RTO_MS 250u

struct rtcpm_pcp_client_config
{
    uint32_t rto_ms;    /* first retransmission, then doubling; > 0 */
    uint32_t budget_ms; /* the whole exchange; > 0 */
    /* optional: polled between waits (<= 100 ms apart); non-zero ends the exchange */
    int (*cancelled)(void *ctx);
    void *cancel_ctx;
};

enum rtcpm_pcp_exchange_status
{
    RTCPM_PCP_X_OK = 0,           /* an answer: read its result code */
    RTCPM_PCP_X_TIMEOUT = -1,     /* nothing that counts within the budget */
    RTCPM_PCP_X_NATPMP_ONLY = -2, /* a PCP request answered by a NAT-PMP-only server */
    RTCPM_PCP_X_SOCKET = -3,      /* sending or receiving failed (sock_error, os_error) */
    RTCPM_PCP_X_CANCELLED = -4,
    RTCPM_PCP_X_INVALID = -5 /* bad arguments (the request does not encode) */
};

struct rtcpm_pcp_exchange
{
    int status;
    uint32_t requests_sent;
    uint64_t elapsed_ms;
    uint32_t dropped;     /* datagrams that did not count */
    char dropped_why[96]; /* why the last one did not ("wrong nonce", "RTCPM_PCP_E_SHORT", ...) */
    int sock_error, os_error;
    struct rtcpm_pcp_response pcp;       /* PCP exchanges */
    struct rtcpm_natpmp_response natpmp; /* NAT-PMP exchanges */
};

/* A PCP request (MAP, PEER or ANNOUNCE) to server. Returns x->status. */
int rtcpm_pcp_exchange(rtcpm_socket *s, const rtcpm_addr *server, const struct rtcpm_pcp_request *rq,
                       const struct rtcpm_pcp_client_config *cfg, struct rtcpm_pcp_exchange *x);

/* A NAT-PMP request to server. Returns x->status. */
int rtcpm_natpmp_exchange(rtcpm_socket *s, const rtcpm_addr *server, const struct rtcpm_natpmp_request *rq,
                          const struct rtcpm_pcp_client_config *cfg, struct rtcpm_pcp_exchange *x);

/* "RTCPM_PCP_X_TIMEOUT" etc. */
const char *rtcpm_pcp_exchange_status_name(int status);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_NET_PCP_CLIENT_H */
