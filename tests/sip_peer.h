/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_peer.h — an in-process SIP peer on loopback for the engine's fault tests (the test's
 * own thread plays registrar / called party: it receives the engine's requests, parses them
 * with sip_parse, answers what the test wants, drops, duplicates or sends garbage), and a
 * recorder of the engine's callbacks that the test waits on.
 */
#ifndef RTCPM_TESTS_SIP_PEER_H
#define RTCPM_TESTS_SIP_PEER_H

#include <stddef.h>
#include <stdint.h>
#include "os/lock.h"
#include "os/socket.h"
#include "sip/sip_agent.h"
#include "sip/sip_parse.h"

struct sip_peer
{
    rtcpm_socket *sock; /* UDP, or the listening TCP socket */
    rtcpm_socket *conn; /* TCP: the accepted connection */
    int tcp;
    rtcpm_addr addr;      /* where the engine sends (127.0.0.1:port) */
    rtcpm_addr last_from; /* the source of the last request */
    char rx[70000];
    size_t rx_len;
    char tag[32]; /* our To tag */
};

int sip_peer_open(struct sip_peer *p, int tcp);
void sip_peer_close(struct sip_peer *p);

/* The next message within timeout_ms (parsed; free with rtcpm_sip_msg_free), NULL when none.
 * *at (optional) = rtcpm_clock_ms() when it arrived. */
struct rtcpm_sip_msg *sip_peer_recv(struct sip_peer *p, int timeout_ms, uint64_t *at);
/* Same, but skips messages whose method is not `method` (retransmissions...), NULL when none. */
struct rtcpm_sip_msg *sip_peer_expect(struct sip_peer *p, const char *method, int timeout_ms);

/* The next `method` request whose CSeq is at least min_cseq (older ones, retransmissions
 * of requests already answered, are skipped), NULL when none within timeout_ms. */
struct rtcpm_sip_msg *sip_peer_expect_cseq(struct sip_peer *p, const char *method, uint32_t min_cseq, int timeout_ms);

/* Answers req: Vias, From, To (+ our tag unless 100), Call-ID, CSeq copied; extra (CRLF-
 * terminated header lines, may be NULL); body (may be NULL: Content-Length 0). */
void sip_peer_reply(struct sip_peer *p, const struct rtcpm_sip_msg *req, int code, const char *reason,
                    const char *extra, const char *body);
/* Sends raw bytes to the engine (garbage, a request of ours). */
void sip_peer_send_raw(struct sip_peer *p, const char *data, size_t len);
/* The value of the first header named name (case-insensitive) as a NUL-terminated copy in
 * buf, "" when absent. */
const char *sip_peer_header(const struct rtcpm_sip_msg *m, const char *name, char *buf, size_t cap);

/* ---- the engine's callbacks ---- */

#define SIP_EVENTS_MAX 64

struct sip_event
{
    int is_call;
    int state;
    int status;
    HRESULT hr;
    unsigned expires;
    int by_peer;
    char reason[128];
    char content_type[64];
    char body[2048];
    uint64_t at;
    rtcpm_sip_call *call; /* the call's handle (incoming calls: the test's from INCOMING on) */
    char remote_uri[128]; /* the event's remote_uri */
    char remote_display[64];
};

struct sip_events
{
    struct rtcpm_lock lock;
    struct rtcpm_cond cond;
    struct sip_event ev[SIP_EVENTS_MAX];
    size_t count, read;
    void (*hook)(struct sip_events *e, const struct sip_event *ev); /* optional, runs in the callback */
    void *hook_ctx;
};

void sip_events_init(struct sip_events *e);
void sip_events_destroy(struct sip_events *e);
void sip_events_reg_cb(void *ctx, rtcpm_sip_reg *reg, const struct rtcpm_sip_reg_event *ev);
void sip_events_call_cb(void *ctx, rtcpm_sip_call *call, const struct rtcpm_sip_call_event *ev);
/* The next event within timeout_ms, or NULL. */
const struct sip_event *sip_events_next(struct sip_events *e, int timeout_ms);

/* A flow from 127.0.0.1:<any> to the peer, announcing external (NULL: none). */
void sip_peer_flow(const struct sip_peer *p, struct rtcpm_sip_flow *flow, const rtcpm_addr *external);

/* An engine trace hook printing every message to stderr when RTCPM_SIP_TRACE is set. */
void sip_peer_trace(void *ctx, int sent, int dropped, const char *why, const char *msg, size_t len,
                    const rtcpm_addr *peer);

/* The engine as the agent suites run it: T1 = *t1 unless RTCPM_TEST_T1 stretches it (valgrind;
 * *t1 then holds the value used), T2 = 8 T1, T4 = 2 T1, sip_peer_trace; events initialised.
 * user_agent NULL: the engine's own. 0 or -1, as a CUnit suite's setup returns. */
int sip_peer_agent_start(unsigned *t1, const char *user_agent, rtcpm_sip_agent **agent, struct sip_events *events);
/* Stops the engine and frees the events: 0, or -1 when the stop failed (a suite's teardown). */
int sip_peer_agent_stop(rtcpm_sip_agent *agent, struct sip_events *events);

#endif /* RTCPM_TESTS_SIP_PEER_H */
