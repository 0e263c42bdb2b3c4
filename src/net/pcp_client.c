/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcp_client.c — one PCP or NAT-PMP exchange; see pcp_client.h.
 */
#include <stdio.h>
#include <string.h>

#include "com/log.h"
#include "net/pcp_client.h"
#include "os/os_platform.h"

#define POLL_MS    100u /* longest wait between looks at cancelled() */
#define MAX_RTO_MS 60000u

enum kind
{
    KIND_PCP,
    KIND_NATPMP
};

struct pending
{
    enum kind kind;
    const struct rtcpm_pcp_request *pcp;
    const struct rtcpm_natpmp_request *natpmp;
};

static void drop(struct rtcpm_pcp_exchange *x, const char *why)
{
    x->dropped++;
    snprintf(x->dropped_why, sizeof(x->dropped_why), "%s", why);
    RTCPM_TRACE(RTCPM_LOG_NET, "dropped an answer: %s", why);
}

/* 1 when the datagram is the answer (x filled), 0 when it does not count. */
static int take_pcp(const struct rtcpm_pcp_request *rq, const uint8_t *buf, size_t len, struct rtcpm_pcp_exchange *x)
{
    struct rtcpm_pcp_response r;
    int rc;
    if (rtcpm_pcp_is_natpmp_unsupported_version(buf, len))
    {
        x->status = RTCPM_PCP_X_NATPMP_ONLY;
        return 1;
    }
    if ((rc = rtcpm_pcp_decode_response(buf, len, &r)) != RTCPM_PCP_OK)
    {
        drop(x, rtcpm_pcp_error_name(rc));
        return 0;
    }
    if (r.result == RTCPM_PCP_UNSUPP_VERSION && r.version != RTCPM_PCP_VERSION)
    {
        x->pcp = r; /* an older PCP server: the header says its version */
        return 1;
    }
    if (r.opcode != rq->opcode)
    {
        drop(x, "wrong opcode");
        return 0;
    }
    if (r.opcode != RTCPM_PCP_OP_ANNOUNCE && r.map_present)
    {
        if (memcmp(r.nonce, rq->nonce, RTCPM_PCP_NONCE_SIZE))
        {
            drop(x, "wrong nonce");
            return 0;
        }
        if (r.protocol != rq->protocol || r.internal_port != rq->internal_port)
        {
            drop(x, "another mapping's answer (protocol or internal port)");
            return 0;
        }
        if (r.opcode == RTCPM_PCP_OP_PEER && !rtcpm_addr_equal(&r.remote, &rq->remote))
        {
            drop(x, "another peer's answer (remote peer)");
            return 0;
        }
    }
    x->pcp = r;
    return 1;
}

static int take_natpmp(const struct rtcpm_natpmp_request *rq, const uint8_t *buf, size_t len,
                       struct rtcpm_pcp_exchange *x)
{
    struct rtcpm_natpmp_response r;
    int rc = rtcpm_natpmp_decode_response(buf, len, &r);
    if (rc != RTCPM_PCP_OK)
    {
        drop(x, rtcpm_pcp_error_name(rc));
        return 0;
    }
    if (r.opcode != rq->opcode)
    {
        drop(x, "wrong opcode");
        return 0;
    }
    if (r.body_present && rq->opcode != RTCPM_NATPMP_OP_ADDRESS && r.internal_port != rq->internal_port)
    {
        drop(x, "another mapping's answer (internal port)");
        return 0;
    }
    x->natpmp = r;
    return 1;
}

/* Waits up to wait_ms for the answer. 1 answer, 0 none yet, -1 socket error / cancelled. */
static int wait_answer(rtcpm_socket *s, const rtcpm_addr *server, const struct pending *p,
                       const struct rtcpm_pcp_client_config *cfg, uint64_t until, struct rtcpm_pcp_exchange *x)
{
    uint8_t buf[RTCPM_PCP_MAX_MESSAGE + 1]; /* one more: anything longer is truncated */
    for (;;)
    {
        uint64_t now = rtcpm_clock_ms();
        uint64_t left = until > now ? until - now : 0;
        rtcpm_addr from;
        size_t got = 0;
        int rc;
        if (cfg->cancelled && cfg->cancelled(cfg->cancel_ctx))
        {
            x->status = RTCPM_PCP_X_CANCELLED;
            return -1;
        }
        if (!left) return 0;
        rc = rtcpm_socket_recvfrom(s, buf, sizeof(buf), &got, &from, (int)(left < POLL_MS ? left : POLL_MS));
        if (rc == RTCPM_SOCK_E_TIMEOUT) continue;
        if (rc == RTCPM_SOCK_E_TRUNCATED)
        {
            drop(x, "longer than any PCP message");
            continue;
        }
        if (rc != RTCPM_SOCK_OK)
        {
            x->status = RTCPM_PCP_X_SOCKET;
            x->sock_error = rc;
            x->os_error = rtcpm_socket_os_error(s);
            return -1;
        }
        if (!rtcpm_addr_equal(&from, server))
        {
            drop(x, "not from the server's address and port");
            continue;
        }
        if (p->kind == KIND_PCP ? take_pcp(p->pcp, buf, got, x) : take_natpmp(p->natpmp, buf, got, x)) return 1;
    }
}

static int run(rtcpm_socket *s, const rtcpm_addr *server, const uint8_t *req, size_t req_len, const struct pending *p,
               const struct rtcpm_pcp_client_config *cfg, struct rtcpm_pcp_exchange *x)
{
    uint64_t start = rtcpm_clock_ms(), end = start + cfg->budget_ms, next;
    uint32_t rto = cfg->rto_ms ? cfg->rto_ms : RTCPM_PCP_DEFAULT_RTO_MS;
    int rc;
    x->status = RTCPM_PCP_X_TIMEOUT;
    for (;;)
    {
        rc = rtcpm_socket_sendto(s, req, req_len, server);
        if (rc != RTCPM_SOCK_OK)
        {
            x->status = RTCPM_PCP_X_SOCKET;
            x->sock_error = rc;
            x->os_error = rtcpm_socket_os_error(s);
            break;
        }
        x->requests_sent++;
        next = rtcpm_clock_ms() + rto;
        rc = wait_answer(s, server, p, cfg, next < end ? next : end, x);
        if (rc > 0)
        {
            if (x->status == RTCPM_PCP_X_TIMEOUT) x->status = RTCPM_PCP_X_OK;
            break;
        }
        if (rc < 0 || rtcpm_clock_ms() >= end) break;
        rto = rto < MAX_RTO_MS / 2 ? rto * 2 : MAX_RTO_MS;
    }
    x->elapsed_ms = rtcpm_clock_ms() - start;
    return x->status;
}

int rtcpm_pcp_exchange(rtcpm_socket *s, const rtcpm_addr *server, const struct rtcpm_pcp_request *rq,
                       const struct rtcpm_pcp_client_config *cfg, struct rtcpm_pcp_exchange *x)
{
    uint8_t req[RTCPM_PCP_HEADER_SIZE + RTCPM_PCP_PEER_SIZE];
    struct pending p = { KIND_PCP, rq, NULL };
    int len;
    memset(x, 0, sizeof(*x));
    if (!s || !server || !rq || !cfg || !cfg->budget_ms || (len = rtcpm_pcp_encode_request(rq, req, sizeof(req))) < 0)
        return x->status = RTCPM_PCP_X_INVALID;
    return run(s, server, req, (size_t)len, &p, cfg, x);
}

int rtcpm_natpmp_exchange(rtcpm_socket *s, const rtcpm_addr *server, const struct rtcpm_natpmp_request *rq,
                          const struct rtcpm_pcp_client_config *cfg, struct rtcpm_pcp_exchange *x)
{
    uint8_t req[12];
    struct pending p = { KIND_NATPMP, NULL, rq };
    int len;
    memset(x, 0, sizeof(*x));
    if (!s || !server || !rq || !cfg || !cfg->budget_ms ||
        (len = rtcpm_natpmp_encode_request(rq, req, sizeof(req))) < 0)
        return x->status = RTCPM_PCP_X_INVALID;
    return run(s, server, req, (size_t)len, &p, cfg, x);
}

const char *rtcpm_pcp_exchange_status_name(int status)
{
    switch (status)
    {
    case RTCPM_PCP_X_OK: return "RTCPM_PCP_X_OK";
    case RTCPM_PCP_X_TIMEOUT: return "RTCPM_PCP_X_TIMEOUT";
    case RTCPM_PCP_X_NATPMP_ONLY: return "RTCPM_PCP_X_NATPMP_ONLY";
    case RTCPM_PCP_X_SOCKET: return "RTCPM_PCP_X_SOCKET";
    case RTCPM_PCP_X_CANCELLED: return "RTCPM_PCP_X_CANCELLED";
    case RTCPM_PCP_X_INVALID: return "RTCPM_PCP_X_INVALID";
    default: return "RTCPM_PCP_X_?";
    }
}
