/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_agent.h — the SIP user agent engine under rtcdll.dll (and anything else that needs
 * SIP on the wire): registrations and outgoing calls over UDP or TCP (RFC 3261), with digest
 * authentication (RFC 2617/7616 MD5, qop=auth or none), run by one worker thread.
 *
 * Threads and callbacks
 *  - rtcpm_sip_agent_start starts the worker thread; it owns every socket and timer. Every
 *    other function may be called from any thread (also from inside a callback) and returns
 *    at once: the work is queued to the worker.
 *  - State callbacks run on the worker thread, one at a time, with no lock of the engine
 *    held: a callback may call any rtcpm_sip_* function except rtcpm_sip_agent_stop (that
 *    would join its own thread: it returns E_UNEXPECTED then). The COM side copies what it
 *    needs and posts it to the application's apartment. The event's pointers are valid
 *    during the callback only. Events of one registration / call come in order.
 *  - The trace callback (logging only) runs on the worker thread WITH the engine's lock
 *    held: it must not call any rtcpm_sip_* function.
 *  - Every message is sent by the worker: _start, _stop and _hangup only record what to do
 *    (and queue the INPROGRESS / REGISTERING / UNREGISTERING / DISCONNECTING event).
 *  - rtcpm_sip_agent_stop ends every registration and call WITHOUT sending anything, joins
 *    the thread and frees the agent. No callback runs after it returned. Handles
 *    (registrations, calls) the caller still holds stay valid for their getters and
 *    _release only. For a clean exit, unregister first (rtcpm_sip_reg_stop) and wait for
 *    RTCPM_SIP_REG_NOT_REGISTERED; hang calls up and wait for RTCPM_SIP_CALL_DISCONNECTED.
 *
 * Flows and sockets
 *  - Each registration and each call has a flow: transport, the local (INTERNAL) address and
 *    port to bind — the port manager's internal mapping — the EXTERNAL address and port
 *    announced in Via sent-by and Contact — its external mapping — and the next hop (the
 *    registrar, the outbound proxy or the called party itself), already resolved (see
 *    src/sip/sip_resolve.h for RFC 3263). Flows with the same transport and local address
 *    share one socket (UDP) / one connection (TCP, when the next hop is the same too): a
 *    registration and a call may use the one SIP port a static port manager maps. Incoming
 *    messages are matched to their transaction (top Via branch) or dialog (Call-ID, tags).
 *  - TCP: connected by the worker when first used (local port bound as given), messages
 *    framed by Content-Length. A refused/closed connection ends what used it with
 *    RTC_E_SIP_TCP_FAIL. TLS is not implemented: start returns RTC_E_SIP_TRANSPORT_NOT_SUPPORTED.
 *  - Binding happens in _start (on the caller's thread) so that a port that cannot be bound
 *    is a synchronous failure: nothing is sent, no callback runs.
 *
 * Transactions (RFC 3261 section 17.1), timers from rtcpm_sip_timers:
 *  - INVITE: Timer A (T1, 2·T1, ... over UDP) until a provisional, Timer B = 64·T1 without
 *    any answer; a 3xx-6xx is ACKed in the transaction (same branch) and retransmitted finals
 *    are ACKed again for Timer D (32 s over UDP; with T1 shortened: 64·T1), a 2xx is ACKed by
 *    the dialog (new branch, the INVITE's CSeq number) and every retransmitted 2xx is ACKed
 *    again.
 *  - Non-INVITE (REGISTER, BYE, CANCEL): Timer E (T1 doubling to T2; T2 after a
 *    provisional), Timer F = 64·T1, Timer K = T4 to absorb retransmitted finals (UDP).
 *  - Over TCP nothing is retransmitted; B and F still apply.
 *  - A response is taken only from the socket the request went out on, parsed, with its top
 *    Via branch and CSeq method matching; anything else is dropped (and traced).
 *
 * Authentication (RFC 3261 section 22): a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate)
 * with an MD5/MD5-sess Digest challenge is answered ONCE with credentials (qop=auth with nc
 * and cnonce when the server offers qop=auth, RFC 2069 style without qop otherwise). A
 * second challenge to that retry ends the registration REJECTED (call DISCONNECTED) with
 * that 401/407 — no retry loop — unless it says stale=true (one more retry with the new
 * nonce). The challenge is remembered: refreshes and the Expires: 0 REGISTER are sent with
 * credentials at once (nc counts up). No credentials, a realm other than cred.realm (when
 * given), or no Digest/MD5 challenge: REJECTED/DISCONNECTED with the 401/407 at once.
 *
 * Status codes in events: status_code is the SIP code of the response that caused the change
 * (0 when none: local action, timeout, transport); hr is S_OK for success, otherwise
 * rtcpm_sip_status_hresult(status_code) for a 3xx-6xx answer, or an RTC_E_* for a local
 * failure: RTC_E_SIP_TIMEOUT (Timer B/F expired), RTC_E_SIP_TCP_FAIL (connect refused, reset,
 * closed), RTC_E_SIP_UDP_SIZE_EXCEEDED (a request too large for UDP). A challenge that cannot
 * be answered is reported as the 401/407 itself; unparsable messages are dropped (traced).
 */
#ifndef RTCPM_SRC_SIP_SIP_AGENT_H
#define RTCPM_SRC_SIP_SIP_AGENT_H

#include <stddef.h>
#include "rtcpm/rtcpm.h"
#include <rtcerr.h>
#include "net/addr.h"

/* SIP status -> RTC's HRESULT: 100..299 -> 0x00EF0000 | code; 300..699 -> 0x80EF0000 | code
 * (401 -> 0x80EF0191 = RTC_E_STATUS_CLIENT_UNAUTHORIZED); anything else E_INVALIDARG. */
HRESULT rtcpm_sip_status_hresult(int status_code);

/* ---- the agent ------------------------------------------------------------------------- */

struct rtcpm_sip_timers
{
    unsigned t1_ms; /* RTT estimate (RFC default 500) */
    unsigned t2_ms; /* non-INVITE retransmission cap (4000) */
    unsigned t4_ms; /* max time a message stays in the network (5000): Timer K */
};

/* 500 / 4000 / 5000. */
void rtcpm_sip_timers_default(struct rtcpm_sip_timers *t);

/* Every message sent and received, for logs and tests (optional). sent: 1 we sent it, 0 we
 * received it; dropped: 1 when a received message was not taken (why: a short text), else 0.
 * peer: where it went / came from. */
typedef void (*rtcpm_sip_trace_cb)(void *ctx, int sent, int dropped, const char *why, const char *msg, size_t len,
                                   const rtcpm_addr *peer);

struct rtcpm_sip_agent_config
{
    struct rtcpm_sip_timers timers;  /* zero fields: the RFC default for that field */
    const char *user_agent;          /* User-Agent header; NULL = "rtcpm/<version>"; copied */
    unsigned tcp_connect_timeout_ms; /* 0 = 64·T1 */
    rtcpm_sip_trace_cb trace;        /* NULL = none */
    void *trace_ctx;
};

typedef struct rtcpm_sip_agent rtcpm_sip_agent;

/* Starts the worker thread. S_OK, E_POINTER, E_OUTOFMEMORY, E_FAIL (no thread / random
 * source / socket layer). */
HRESULT rtcpm_sip_agent_start(const struct rtcpm_sip_agent_config *cfg, rtcpm_sip_agent **out);

/* See the top of this file. NULL is fine. E_UNEXPECTED (and nothing done) when called from
 * one of the agent's own callbacks. */
HRESULT rtcpm_sip_agent_stop(rtcpm_sip_agent *agent);

/* ---- what registrations and calls share ------------------------------------------------- */

struct rtcpm_sip_flow
{
    LONG transport;      /* RTCTR_UDP or RTCTR_TCP (RTCTR_TLS: RTC_E_SIP_TRANSPORT_NOT_SUPPORTED) */
    rtcpm_addr local;    /* INTERNAL address + port to bind (port manager's internal mapping);
                            port 0 = the OS picks; the any-address (0.0.0.0 / ::) is allowed */
    rtcpm_addr external; /* EXTERNAL address + port for Via sent-by and Contact (port manager's
                            external mapping); family RTCPM_AF_NONE = the bound local address */
    rtcpm_addr next_hop; /* where requests go (port required) */
};

struct rtcpm_sip_credentials
{
    const char *username; /* digest username; NULL or "" = the user part of the local URI */
    const char *password; /* NULL = no credentials: a challenge ends it at once */
    const char *realm;    /* NULL or "" = answer any realm; else only this one */
};

/* ---- registration ----------------------------------------------------------------------- */

/* Same order and values as RTC_REGISTRATION_STATE's first six (RTCRS_*). */
enum rtcpm_sip_reg_state
{
    RTCPM_SIP_REG_NOT_REGISTERED = 0, /* after rtcpm_sip_reg_stop's Expires: 0 (any answer) */
    RTCPM_SIP_REG_REGISTERING = 1,    /* first REGISTER sent (reported once, at start) */
    RTCPM_SIP_REG_REGISTERED = 2,     /* 2xx; expires_s = what the registrar granted */
    RTCPM_SIP_REG_REJECTED = 3,       /* 3xx-6xx to a REGISTER or refresh (status_code, hr) */
    RTCPM_SIP_REG_UNREGISTERING = 4,  /* rtcpm_sip_reg_stop: REGISTER Expires: 0 sent */
    RTCPM_SIP_REG_ERROR = 5           /* timeout / transport failure (hr), also on refresh */
};

struct rtcpm_sip_reg_event
{
    enum rtcpm_sip_reg_state state;
    int status_code;    /* SIP status that caused it, 0 = none */
    const char *reason; /* its reason phrase, or a short text for local causes; never NULL */
    HRESULT hr;         /* S_OK, rtcpm_sip_status_hresult(status_code), or RTC_E_SIP_* */
    unsigned expires_s; /* REGISTERED: granted expiry (Contact;expires, else Expires, else asked) */
};

typedef struct rtcpm_sip_reg rtcpm_sip_reg;
typedef void (*rtcpm_sip_reg_cb)(void *ctx, rtcpm_sip_reg *reg, const struct rtcpm_sip_reg_event *ev);

struct rtcpm_sip_reg_params
{
    struct rtcpm_sip_flow flow;
    const char *aor;           /* "sip:alice@example.com": From and To (required) */
    const char *display_name;  /* From/To display name; NULL = none */
    const char *registrar_uri; /* Request-URI; NULL = "sip:" + host[:port] of aor */
    struct rtcpm_sip_credentials cred;
    unsigned expires_s;    /* asked in Expires; 0 = 3600 */
    unsigned refresh_ms;   /* refresh this long after each 2xx; 0 = half the granted expiry
                                  (RFC 3261 10.2.4 "before it expires"); tests shorten it */
    unsigned keepalive_ms; /* UDP: while REGISTERED, a CRLF CRLF keep-alive (RFC 5626 4.4.1)
                              to the next hop this often, so that the NAT keeps the binding
                              the registrar reaches us through; 0 = none */
};

/*
 * Starts a registration: binds (or shares) the flow's socket, then (on the worker)
 * REGISTERING, REGISTER, digest retry if challenged, REGISTERED / REJECTED / ERROR; while
 * REGISTERED it refreshes (same Call-ID, CSeq + 1) and reports only a failed refresh
 * (REJECTED / ERROR: the registration has then ended). Copies everything in params.
 * Returns S_OK (*out = a handle, release it with rtcpm_sip_reg_release), E_POINTER,
 * E_INVALIDARG (no aor, aor not a SIP URI, no next-hop port, a value with CR/LF),
 * RTC_E_SIP_TRANSPORT_NOT_SUPPORTED (TLS or unknown transport), RTC_E_INVALID_ADDRESS_LOCAL
 * (the local address/port cannot be bound), RTC_E_SIP_STACK_SHUTDOWN (agent stopping).
 */
HRESULT rtcpm_sip_reg_start(rtcpm_sip_agent *agent, const struct rtcpm_sip_reg_params *params, rtcpm_sip_reg_cb cb,
                            void *ctx, rtcpm_sip_reg **out);

/*
 * Unregisters: UNREGISTERING, REGISTER with Expires: 0 (and Contact;expires=0; credentials of
 * the last challenge), then NOT_REGISTERED whatever the answer (status_code/hr say what it
 * was: 200 / 0x00EF00C8, or RTC_E_SIP_TIMEOUT ...). While the first REGISTER is still
 * unanswered it is abandoned and the Expires: 0 sent at once. After REJECTED/ERROR (nothing
 * registered): NOT_REGISTERED at once, nothing sent. S_OK; S_FALSE when already stopping or
 * stopped (no new event).
 */
HRESULT rtcpm_sip_reg_stop(rtcpm_sip_reg *reg);

/* Drops the caller's handle: no callback for it runs after this returns (unless called from
 * that very callback, which then finishes). A registration still REGISTERED is unregistered
 * silently in the background (Expires: 0, as long as the agent runs). NULL is fine. */
void rtcpm_sip_reg_release(rtcpm_sip_reg *reg);

/* The socket's bound local address (the real port when the flow asked for port 0) and the
 * address announced in Contact. S_OK or E_POINTER. */
HRESULT rtcpm_sip_reg_local_addr(rtcpm_sip_reg *reg, rtcpm_addr *local, rtcpm_addr *contact);

/* ---- outgoing call ---------------------------------------------------------------------- */

enum rtcpm_sip_call_state
{
    RTCPM_SIP_CALL_INPROGRESS = 1,    /* INVITE sent (reported once, at start) */
    RTCPM_SIP_CALL_PROCEEDING = 2,    /* a 101-199 arrived (status_code 180: alerting; body
                                         set when it carries one, e.g. 183 with SDP) */
    RTCPM_SIP_CALL_CONNECTED = 3,     /* 2xx, ACKed; body = the answer (SDP) */
    RTCPM_SIP_CALL_DISCONNECTING = 4, /* we hung up: BYE or CANCEL sent (or waiting for a 1xx
                                         before CANCEL, RFC 3261 9.1) */
    RTCPM_SIP_CALL_DISCONNECTED = 5,  /* ended: 3xx-6xx answer (status_code, hr), the peer's
                                         BYE (by_peer = 1, status_code 0, hr S_OK, answered
                                         200), our BYE/CANCEL done (status_code of its answer,
                                         hr S_OK), or a timeout / transport failure (hr);
                                         incoming: our final answer sent (status_code = its
                                         code), the caller's CANCEL (by_peer, 487) */
    RTCPM_SIP_CALL_INCOMING = 6       /* incoming only, first event: an INVITE came (180 sent);
                                         body = the offer, remote_uri / remote_display = From */
};

struct rtcpm_sip_call_event
{
    enum rtcpm_sip_call_state state;
    int status_code;          /* SIP status that caused it, 0 = none */
    const char *reason;       /* its reason phrase or a short local text; never NULL */
    HRESULT hr;               /* S_OK, rtcpm_sip_status_hresult(status_code), RTC_E_SIP_* */
    int by_peer;              /* DISCONNECTED: 1 when the peer sent BYE */
    const char *content_type; /* of body, "" when none (media type without parameters) */
    const char *body;         /* PROCEEDING/CONNECTED/INCOMING: the body, else NULL */
    size_t body_len;
    const char *remote_uri;     /* the peer's URI (To of ours, From of an incoming INVITE) */
    const char *remote_display; /* its display name, "" when none */
};

typedef struct rtcpm_sip_call rtcpm_sip_call;
typedef void (*rtcpm_sip_call_cb)(void *ctx, rtcpm_sip_call *call, const struct rtcpm_sip_call_event *ev);

struct rtcpm_sip_call_params
{
    struct rtcpm_sip_flow flow;
    const char *local_uri;             /* From (required): "sip:alice@example.com" */
    const char *display_name;          /* From display name; NULL = none */
    const char *remote_uri;            /* To and Request-URI (required): "sip:bob@example.net" */
    struct rtcpm_sip_credentials cred; /* for a 401/407 to the INVITE */
    const char *content_type;          /* NULL = "application/sdp" */
    const char *body;                  /* the SDP offer (NUL-terminated; required, may be "") */
};

/*
 * Places a call: INPROGRESS, INVITE (Contact = external address, the body), digest retry
 * (new CSeq, same Call-ID/From tag) on 401/407, PROCEEDING per 1xx, CONNECTED on 2xx
 * (ACKed; the dialog's remote target = the 2xx's Contact, Record-Route ignored), or
 * DISCONNECTED (3xx-6xx, ACKed in the transaction; timeout). A BYE from the peer is answered
 * 200 and ends it DISCONNECTED; requests for an unknown dialog get 481. Same return codes as
 * rtcpm_sip_reg_start (E_INVALIDARG: local_uri / remote_uri not SIP URIs, no body).
 */
HRESULT rtcpm_sip_call_start(rtcpm_sip_agent *agent, const struct rtcpm_sip_call_params *params, rtcpm_sip_call_cb cb,
                             void *ctx, rtcpm_sip_call **out);

/*
 * Ends the call from our side: CONNECTED -> BYE; after a 1xx -> CANCEL (the INVITE then
 * normally ends 487, which is ACKed); before any 1xx -> CANCEL is held until the first 1xx
 * (RFC 3261 9.1; a final answer meanwhile: 2xx -> ACK + BYE, else nothing more); each reported
 * as DISCONNECTING then DISCONNECTED. S_OK; S_FALSE when already ending or ended.
 */
HRESULT rtcpm_sip_call_hangup(rtcpm_sip_call *call);

/* Drops the caller's handle, as rtcpm_sip_reg_release; a live call is hung up silently. */
void rtcpm_sip_call_release(rtcpm_sip_call *call);

/* As rtcpm_sip_reg_local_addr. */
HRESULT rtcpm_sip_call_local_addr(rtcpm_sip_call *call, rtcpm_addr *local, rtcpm_addr *contact);

/* ---- incoming calls (UDP) ------------------------------------------------------------- */

/*
 * A listener takes INVITEs that arrive on its socket (shared with registrations and calls of
 * the same local address): each new INVITE (no To tag) makes a call handle, answered 100 and
 * 180 at once, reported to cb as RTCPM_SIP_CALL_INCOMING (ctx = the listener's), and every
 * later event of that call goes to the same cb. The owner of cb owns each such call: answer
 * or reject it, and rtcpm_sip_call_release it in the end.
 *   - A retransmitted INVITE gets the last response again. The caller's CANCEL before our
 *     final answer: 200 to the CANCEL, 487 to the INVITE, DISCONNECTED (by_peer, 487).
 *   - rtcpm_sip_call_answer: 200 with Contact and the body (retransmitted T1, 2*T1 .. T2
 *     until the ACK), CONNECTED on the ACK; no ACK within 64*T1: BYE, DISCONNECTED
 *     (RTC_E_SIP_TIMEOUT). Then the dialog is the one of an outgoing call (BYE either way).
 *   - rtcpm_sip_call_reject(code 300-699): the final answer (retransmitted until the ACK),
 *     DISCONNECTED with that code at once. rtcpm_sip_call_hangup before an answer: 480.
 * Without a listener on the socket, an INVITE is answered 480 (as before).
 */
typedef struct rtcpm_sip_listener rtcpm_sip_listener;

struct rtcpm_sip_listen_params
{
    struct rtcpm_sip_flow flow; /* UDP only; next_hop unused (family NONE is fine); external =
                                   the address for Contact (port manager's external SIP mapping) */
    const char *local_uri;      /* our URI: its user part goes into Contact ("sip:alice@x") */
};

/* S_OK, E_POINTER, E_INVALIDARG (no local_uri / local address), RTC_E_SIP_TRANSPORT_NOT_SUPPORTED
 * (not UDP), RTC_E_INVALID_ADDRESS_LOCAL (cannot bind), RTC_E_SIP_STACK_SHUTDOWN. */
HRESULT rtcpm_sip_listen_start(rtcpm_sip_agent *agent, const struct rtcpm_sip_listen_params *params,
                               rtcpm_sip_call_cb cb, void *ctx, rtcpm_sip_listener **out);
/* No new calls from now on (INVITEs get 480); calls already made are not touched (their
 * events, INCOMING included, still go to cb). Frees the handle. NULL is fine. */
void rtcpm_sip_listen_stop(rtcpm_sip_listener *listener);
/* As rtcpm_sip_reg_local_addr. */
HRESULT rtcpm_sip_listen_local_addr(rtcpm_sip_listener *listener, rtcpm_addr *local, rtcpm_addr *contact);

/* Accepts an INCOMING call with the answer (content_type NULL = application/sdp). S_OK;
 * E_POINTER; E_INVALIDARG (bad body / type); RTC_E_INVALID_SESSION_STATE when the call is
 * not incoming, already answered or ended. */
HRESULT rtcpm_sip_call_answer(rtcpm_sip_call *call, const char *content_type, const char *body);
/* Refuses an INCOMING call with code (300-699) and reason (NULL = a standard phrase). Same
 * errors as _answer; E_INVALIDARG for a bad code. */
HRESULT rtcpm_sip_call_reject(rtcpm_sip_call *call, int code, const char *reason);

/* "RTCPM_SIP_REG_REGISTERED", "RTCPM_SIP_CALL_CONNECTED", ... for logs. */
const char *rtcpm_sip_reg_state_name(enum rtcpm_sip_reg_state s);
const char *rtcpm_sip_call_state_name(enum rtcpm_sip_call_state s);

#endif /* RTCPM_SRC_SIP_SIP_AGENT_H */
