/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_agent_private.h — the SIP engine's insides, shared by its files:
 *   sip_agent.c      lifetime, worker loop, event queue and callbacks
 *   sip_transport.c  sockets (UDP shared, TCP connections), receiving, routing messages
 *   sip_txn.c        client transactions and their timers (RFC 3261 17.1)
 *   sip_reg.c        registrations
 *   sip_call.c       outgoing calls and their dialog
 *   sip_agent_util.c identifiers, Contact URI, request skeletons, digest answers
 *
 * Locking: one mutex (agent->lock) guards everything below. The worker holds it except
 * while it polls and while it runs a callback; API functions take it for their few steps.
 * Sockets are closed and memory is freed only by the worker (or by stop after the join).
 */
#ifndef RTCPM_SRC_SIP_SIP_AGENT_PRIVATE_H
#define RTCPM_SRC_SIP_SIP_AGENT_PRIVATE_H

#include <stdatomic.h>
#include <stdint.h>
#include "digest.h"
#include "os/lock.h"
#include "os/os_platform.h"
#include "os/socket.h"
#include "os/socket_poll.h"
#include "sip_agent.h"
#include "sip_parse.h"

#define AGENT_MAX_SOCKETS 48
#define SIP_REQUEST_MAX   8192

struct sip_agent_event;
struct sip_txn;

/* ---- transport ---- */

enum tp_state
{
    TP_READY,      /* UDP, or a connected TCP socket */
    TP_CONNECTING, /* TCP connect in progress: sends are queued */
    TP_FAILED      /* TCP failed or closed: users are told once, then it waits for release */
};

struct sip_tp
{
    struct sip_tp *next;
    int refs;
    LONG transport;
    rtcpm_addr requested; /* the flow's local address as asked */
    rtcpm_addr bound;     /* getsockname */
    rtcpm_addr remote;    /* TCP: the peer */
    rtcpm_socket *sock;
    enum tp_state state;
    uint64_t connect_deadline;
    char *rx; /* TCP receive buffer */
    size_t rx_len;
    struct tp_pending *pending; /* TCP: messages waiting for the connect */
    int failure_reported;
};

/* ---- client transactions ---- */

enum txn_state
{
    TXN_CALLING,    /* INVITE sent, nothing back (Trying for non-INVITE) */
    TXN_PROCEEDING, /* a provisional came */
    TXN_COMPLETED,  /* final came: absorbing retransmissions (Timer D / K) */
    TXN_TERMINATED
};

/* What a transaction tells its owner. resp NULL + hr: Timer B/F fired or the transport
 * failed. */
typedef void (*txn_cb)(struct rtcpm_sip_agent *a, void *owner, struct sip_txn *t, const struct rtcpm_sip_msg *resp,
                       HRESULT hr);

struct sip_txn
{
    struct sip_txn *next;
    int invite;
    char branch[48];
    char method[16];
    struct sip_tp *tp;
    rtcpm_addr dest;
    char *req;
    size_t req_len;
    char *ack; /* INVITE: the ACK of a 3xx-6xx, resent for each retransmitted final */
    size_t ack_len;
    enum txn_state state;
    uint64_t retransmit_at, interval, timeout_at, end_at; /* 0 = not armed */
    txn_cb cb;                                            /* NULL once the owner let go */
    void *owner;
};

/* ---- registrations and calls ---- */

struct rtcpm_sip_reg
{
    struct rtcpm_sip_reg *next;
    struct rtcpm_sip_agent *agent;
    int user_ref, agent_ref; /* freed when both are 0 */
    rtcpm_sip_reg_cb cb;     /* NULL after release */
    void *ctx;
    /* from the params */
    char *aor, *display, *registrar_uri, *username, *password, *realm, *request_uri;
    unsigned expires_s, refresh_ms, keepalive_ms;
    uint64_t keepalive_at; /* next CRLF keep-alive (0 = none armed) */
    struct sip_tp *tp;
    rtcpm_addr next_hop, contact_addr, bound;
    char contact_uri[320];
    char call_id[64], from_tag[24];
    uint32_t cseq;
    enum rtcpm_sip_reg_state state;
    int kick;   /* the worker sends the next REGISTER now */
    int active; /* REGISTERED (refreshing) */
    int unregistering;
    int done; /* nothing more will happen */
    struct sip_txn *txn;
    int auth_tries;     /* retries with credentials for the current request */
    int interval_retry; /* a 423 was answered */
    struct rtcpm_digest_challenge challenge;
    int have_challenge, challenge_proxy;
    uint32_t nc;
    uint64_t refresh_at;
};

enum call_phase
{
    CALL_RINGING,   /* incoming: INVITE in, 180 sent, no final answer yet */
    CALL_ANSWERED,  /* incoming: 200 sent, waiting for the ACK */
    CALL_INVITING,  /* INVITE out, nothing final yet */
    CALL_CONFIRMED, /* 2xx ACKed */
    CALL_BYE_SENT,  /* our BYE out */
    CALL_ENDED      /* DISCONNECTED reported; lingering for retransmissions */
};

struct rtcpm_sip_call
{
    struct rtcpm_sip_call *next;
    struct rtcpm_sip_agent *agent;
    int user_ref, agent_ref;
    rtcpm_sip_call_cb cb;
    void *ctx;
    char *local_uri, *display, *remote_uri, *username, *password, *realm, *content_type, *body;
    struct sip_tp *tp;
    rtcpm_addr next_hop, contact_addr, bound;
    char contact_uri[320];
    char call_id[64], from_tag[24], remote_tag[128], remote_target[512];
    int kick;           /* the worker sends the INVITE */
    int hangup_pending; /* the worker acts on a hang-up */
    uint32_t cseq, invite_cseq;
    char invite_branch[48];
    enum call_phase phase;
    int got_provisional;
    int hangup; /* we asked to end it */
    int cancel_sent;
    int silent; /* released: no more events */
    struct sip_txn *invite_txn, *bye_txn, *cancel_txn;
    int auth_tries;
    struct rtcpm_digest_challenge challenge;
    int have_challenge, challenge_proxy;
    uint32_t nc;
    char *ack; /* the 2xx's ACK, resent for a retransmitted 2xx */
    size_t ack_len;
    uint64_t linger_until;
    /* incoming calls (sip_call_uas.c) */
    int incoming;
    char *remote_display;
    struct rtcpm_sip_msg *invite; /* the INVITE (its Vias etc. for our responses) */
    rtcpm_addr invite_from;       /* its source: responses go there (RFC 3581) */
    char *response;               /* the last response to it, resent for a retransmission */
    size_t response_len;
    int final_sent, acked;
    int final_code; /* answer/reject asked: the worker sends it (200 uses body / content_type) */
    char final_reason[64];
    uint64_t resend_at, resend_interval, give_up_at; /* final answer until the ACK (UDP) */
};

struct rtcpm_sip_listener
{
    struct rtcpm_sip_listener *next;
    struct rtcpm_sip_agent *agent;
    rtcpm_sip_call_cb cb;
    void *ctx;
    char *local_uri;
    struct sip_tp *tp;
    rtcpm_addr contact_addr;
    LONG transport;
};

/* ---- the agent ---- */

struct rtcpm_sip_agent
{
    atomic_int refs; /* the creator's (until stop) + one per live handle */
    struct rtcpm_lock lock;
    struct rtcpm_cond cond;
    rtcpm_thread *thread;
    rtcpm_waker *waker;
    int stopping, stopped;
    struct rtcpm_sip_timers timers;
    char user_agent[128];
    unsigned tcp_connect_timeout_ms;
    rtcpm_sip_trace_cb trace;
    void *trace_ctx;
    struct sip_tp *tps;
    struct sip_txn *txns;
    struct rtcpm_sip_reg *regs;
    struct rtcpm_sip_call *calls;
    struct rtcpm_sip_listener *listeners;
    struct sip_agent_event *events, **events_tail;
    const void *dispatching; /* the reg/call whose callback runs now */
    char *udp_buf;           /* the worker's receive buffer (65508 bytes) */
};

/* sip_agent.c */
void rtcpm_sip_agent_wake(struct rtcpm_sip_agent *a);
void rtcpm_sip_agent_release_ref(struct rtcpm_sip_agent *a);
uint64_t rtcpm_sip_agent_t1(const struct rtcpm_sip_agent *a);
void rtcpm_sip_agent_reg_event(struct rtcpm_sip_agent *a, struct rtcpm_sip_reg *r, enum rtcpm_sip_reg_state s,
                               int status, const char *reason, HRESULT hr, unsigned expires);
void rtcpm_sip_agent_call_event(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, enum rtcpm_sip_call_state s,
                                const struct rtcpm_sip_msg *resp, const char *reason, HRESULT hr, int by_peer);
/* The same with the status and reason given; body_of (NULL = none): the message whose body
 * the event carries. */
void rtcpm_sip_agent_call_event_ex(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, enum rtcpm_sip_call_state s,
                                   int status, const char *reason, HRESULT hr, int by_peer,
                                   const struct rtcpm_sip_msg *body_of);
/* Waits (lock held) until no callback of obj runs, unless the caller is the worker. */
void rtcpm_sip_agent_wait_dispatch(struct rtcpm_sip_agent *a, const void *obj);

/* sip_transport.c */
HRESULT rtcpm_sip_tp_acquire(struct rtcpm_sip_agent *a, const struct rtcpm_sip_flow *flow, struct sip_tp **out);
void rtcpm_sip_tp_release(struct rtcpm_sip_agent *a, struct sip_tp *tp);
/* 0, or an HRESULT (RTC_E_SIP_TCP_FAIL, RTC_E_SIP_UDP_SIZE_EXCEEDED, E_FAIL). */
HRESULT rtcpm_sip_tp_send(struct rtcpm_sip_agent *a, struct sip_tp *tp, const rtcpm_addr *to, const char *msg,
                          size_t len);
int rtcpm_sip_tp_reliable(const struct sip_tp *tp);
const char *rtcpm_sip_tp_via_name(const struct sip_tp *tp);
/* Worker: poll set, readiness handling, connect timeouts, closing released sockets. */
size_t rtcpm_sip_tp_poll_set(struct rtcpm_sip_agent *a, struct rtcpm_poll_item *items, size_t cap);
void rtcpm_sip_tp_ready(struct rtcpm_sip_agent *a, struct rtcpm_poll_item *items, size_t n);
void rtcpm_sip_tp_tick(struct rtcpm_sip_agent *a, uint64_t now, uint64_t *next);
void rtcpm_sip_tp_free_all(struct rtcpm_sip_agent *a);

/* sip_txn.c */
/* Sends req and starts its timers: S_OK and *out, or the send's HRESULT (nothing started). */
HRESULT rtcpm_sip_txn_start(struct rtcpm_sip_agent *a, struct sip_tp *tp, const rtcpm_addr *dest, int invite,
                            const char *method, const char *branch, const char *req, size_t len, txn_cb cb, void *owner,
                            struct sip_txn **out);
/* Matches a response to a transaction; 1 when taken. */
int rtcpm_sip_txn_on_response(struct rtcpm_sip_agent *a, struct sip_tp *tp, const struct rtcpm_sip_msg *resp);
/* INVITE with a 3xx-6xx: the ACK to send now and for each retransmitted final. */
void rtcpm_sip_txn_set_ack(struct rtcpm_sip_agent *a, struct sip_txn *t, const char *ack, size_t len);
/* The owner lets go: no more callbacks and no more retransmissions; the transaction only
 * absorbs answers until its timers end. */
void rtcpm_sip_txn_detach(struct sip_txn *t);
/* INVITE after CANCEL: give up 64*T1 from now if no final comes (RFC 3261 9.1). */
void rtcpm_sip_txn_arm_timeout(struct rtcpm_sip_agent *a, struct sip_txn *t);
void rtcpm_sip_txn_tick(struct rtcpm_sip_agent *a, uint64_t now, uint64_t *next);
/* The transport failed: every transaction on it ends with hr. */
void rtcpm_sip_txn_tp_failed(struct rtcpm_sip_agent *a, struct sip_tp *tp, HRESULT hr);
void rtcpm_sip_txn_free_all(struct rtcpm_sip_agent *a);

/* sip_reg.c */
void rtcpm_sip_reg_tick(struct rtcpm_sip_agent *a, uint64_t now, uint64_t *next);
void rtcpm_sip_reg_free_all(struct rtcpm_sip_agent *a);
void rtcpm_sip_reg_put(struct rtcpm_sip_agent *a, struct rtcpm_sip_reg *r); /* drops the agent's ref */

/* sip_call.c */
/* An incoming request on tp: answered (200 to BYE, 481, ...); 1 when a call took it. */
void rtcpm_sip_call_on_request(struct rtcpm_sip_agent *a, struct sip_tp *tp, const struct rtcpm_sip_msg *req,
                               const rtcpm_addr *from);
/* A response no transaction took: a retransmitted 2xx to one of our INVITEs. */
void rtcpm_sip_call_on_stray_response(struct rtcpm_sip_agent *a, struct sip_tp *tp, const struct rtcpm_sip_msg *resp);
void rtcpm_sip_call_tick(struct rtcpm_sip_agent *a, uint64_t now, uint64_t *next);
void rtcpm_sip_call_free_all(struct rtcpm_sip_agent *a);
void rtcpm_sip_call_put(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c);
void rtcpm_sip_call_free(struct rtcpm_sip_call *c); /* its memory only */
/* The peer's BYE (answered already): DISCONNECTED, by_peer. */
void rtcpm_sip_call_end_by_peer(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c);

/* sip_call_uas.c: incoming INVITE, its ACK and CANCEL; 1 when taken. */
int rtcpm_sip_uas_on_request(struct rtcpm_sip_agent *a, struct sip_tp *tp, const struct rtcpm_sip_msg *req,
                             const rtcpm_addr *from);
/* Retransmits final answers, gives up on a missing ACK. */
void rtcpm_sip_uas_tick(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, uint64_t now, uint64_t *next);
/* Hang-up before the ACK: 480 (ringing) or BYE (answered). 1 when it acted. */
int rtcpm_sip_uas_hangup(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c);
void rtcpm_sip_listen_free_all(struct rtcpm_sip_agent *a);
/* sip_call.c, for the UAS: BYE of the dialog; the end of a call (DISCONNECTED). */
void rtcpm_sip_call_send_bye(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c);
void rtcpm_sip_call_end(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, int status, const char *reason, HRESULT hr,
                        int by_peer);

/* sip_agent_util.c */
int rtcpm_sip_random_token(char *buf, size_t hex_digits); /* 0 or -1 */
int rtcpm_sip_new_branch(char *buf, size_t cap);          /* "z9hG4bK" + 24 hex */
char *rtcpm_sip_strdup(const char *s);                    /* NULL stays NULL */
void rtcpm_sip_free_secret(char *s);                      /* zeroed, then freed */
int rtcpm_sip_valid_value(const char *s);                 /* no control characters */
/* "sip:user@ext:port;transport=udp" from the local URI's user part and the contact address. */
HRESULT rtcpm_sip_contact_uri(const char *local_uri, const rtcpm_addr *contact, LONG transport, char *buf, size_t cap);
/* Validates a flow (transport, next hop) and resolves the contact address after binding. */
HRESULT rtcpm_sip_flow_check(const struct rtcpm_sip_flow *flow);
void rtcpm_sip_flow_contact(const struct rtcpm_sip_flow *flow, const struct sip_tp *tp, rtcpm_addr *contact);
/* The digest answer line for a request, from a remembered challenge; *nc counts up. */
int rtcpm_sip_auth_line(const struct rtcpm_digest_challenge *ch, int proxy, const char *username, const char *password,
                        const char *local_uri, const char *method, const char *uri, uint32_t *nc, char *buf,
                        size_t cap);
/* From a 401/407: the first usable challenge into *ch (proxy set for 407). 0, or -1. */
int rtcpm_sip_pick_challenge(const struct rtcpm_sip_msg *resp, const char *realm, struct rtcpm_digest_challenge *ch,
                             int *proxy);
void rtcpm_sip_trace(struct rtcpm_sip_agent *a, int sent, int dropped, const char *why, const char *msg, size_t len,
                     const rtcpm_addr *peer);

#endif /* RTCPM_SRC_SIP_SIP_AGENT_PRIVATE_H */
