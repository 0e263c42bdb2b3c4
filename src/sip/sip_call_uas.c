/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_call_uas.c — incoming calls (RFC 3261 13.3, 17.2.1): listeners on a socket, a new
 * INVITE made into a call (180 at once), its retransmissions answered again, the caller's
 * CANCEL (200 + 487), our final answer (200 with the SDP answer, or 3xx-6xx) resent until
 * the ACK, and the ACK itself (CONNECTED). Once confirmed, the dialog is driven by
 * sip_call.c like an outgoing one (BYE either way). Contract in sip_agent.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sip_agent_private.h"
#include "sip_build.h"
#include "sip_hdr.h"

/* ---- responses to the INVITE ---- */

/* The response to c's INVITE: our tag, Contact (except 100) and an optional body. */
static int build_response(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, int code, const char *reason,
                          const char *ctype, const char *body, char *buf, size_t cap, size_t *len)
{
    static const char tail[] = "Content-Length: 0\r\n\r\n";
    size_t tl = sizeof(tail) - 1;
    int n;
    if (rtcpm_sip_build_response(c->invite, code, reason, code > 100 ? c->from_tag : NULL, a->user_agent, buf, cap,
                                 len) != RTCPM_SIP_BUILD_OK ||
        *len < tl || memcmp(buf + *len - tl, tail, tl))
        return -1;
    *len -= tl;
    if (code == 100)
        n = snprintf(buf + *len, cap - *len, "%s", tail);
    else if (body)
        n = snprintf(buf + *len, cap - *len, "Contact: <%s>\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n%s",
                     c->contact_uri, ctype, strlen(body), body);
    else
        n = snprintf(buf + *len, cap - *len, "Contact: <%s>\r\n%s", c->contact_uri, tail);
    if (n < 0 || (size_t)n >= cap - *len) return -1;
    *len += (size_t)n;
    return 0;
}

/* Sends (and keeps, for retransmissions) a response to the INVITE. */
static void send_response(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, int code, const char *reason,
                          const char *ctype, const char *body)
{
    char buf[SIP_REQUEST_MAX];
    size_t len;
    char *copy;
    if (build_response(a, c, code, reason, ctype, body, buf, sizeof(buf), &len) || !(copy = malloc(len))) return;
    memcpy(copy, buf, len);
    free(c->response);
    c->response = copy;
    c->response_len = len;
    rtcpm_sip_tp_send(a, c->tp, &c->invite_from, buf, len);
    if (code < 200) return;
    c->final_sent = 1;
    if (rtcpm_sip_tp_reliable(c->tp)) return;
    c->resend_interval = rtcpm_sip_agent_t1(a);
    c->resend_at = rtcpm_clock_ms() + c->resend_interval;
    c->give_up_at = rtcpm_clock_ms() + 64 * rtcpm_sip_agent_t1(a);
}

static void reject(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, int code, const char *reason, int by_peer)
{
    send_response(a, c, code, reason, NULL, NULL);
    rtcpm_sip_call_end(a, c, code, reason, S_OK, by_peer);
}

/* ---- a new INVITE ---- */

static struct rtcpm_sip_listener *listener_on(struct rtcpm_sip_agent *a, struct sip_tp *tp)
{
    struct rtcpm_sip_listener *l;
    for (l = a->listeners; l; l = l->next)
        if (l->tp == tp) return l;
    return NULL;
}

static char *span_dup(struct rtcpm_sip_span s)
{
    char *p = malloc(s.n + 1);
    if (p) rtcpm_sip_span_copy(p, s.n + 1, s);
    return p;
}

/* The dialog's fields from the INVITE (RFC 3261 12.1.1). 0 or -1. */
static int take_invite(struct rtcpm_sip_call *c, const struct rtcpm_sip_msg *req, const rtcpm_addr *from)
{
    struct rtcpm_sip_name_addr contact;
    size_t hdr = 0;
    struct rtcpm_sip_span rest = { NULL, 0 };
    if (rtcpm_sip_parse(req->buf, req->len, &c->invite) != RTCPM_SIP_OK) return -1;
    c->local_uri = span_dup(req->to.uri);
    c->remote_uri = span_dup(req->from.uri);
    c->remote_display = span_dup(req->from.display);
    c->content_type = rtcpm_sip_strdup("application/sdp");
    if (!c->local_uri || !c->remote_uri || !c->remote_display || !c->content_type) return -1;
    if (!rtcpm_sip_span_copy(c->call_id, sizeof(c->call_id), req->call_id) ||
        !rtcpm_sip_span_copy(c->remote_tag, sizeof(c->remote_tag), req->from.tag) ||
        !rtcpm_sip_span_copy(c->invite_branch, sizeof(c->invite_branch), req->via.branch))
        return -1;
    if (rtcpm_sip_contact_next(req, &hdr, &rest, &contact) == 1 && !contact.star)
        rtcpm_sip_span_copy(c->remote_target, sizeof(c->remote_target), contact.uri);
    if (!c->remote_target[0] && !rtcpm_sip_span_copy(c->remote_target, sizeof(c->remote_target), req->from.uri))
        return -1;
    if (rtcpm_sip_random_token(c->from_tag, 16)) return -1;
    c->invite_from = *from;
    c->next_hop = *from; /* in-dialog requests go where the INVITE came from (NAT-friendly) */
    c->invite_cseq = req->cseq;
    c->cseq = 1;
    return 0;
}

static void new_incoming(struct rtcpm_sip_agent *a, struct rtcpm_sip_listener *l, struct sip_tp *tp,
                         const struct rtcpm_sip_msg *req, const rtcpm_addr *from)
{
    struct rtcpm_sip_call *c = calloc(1, sizeof(*c));
    /* Contact: the user the caller asked for (To), else the listener's */
    if (!c || take_invite(c, req, from) ||
        (FAILED(rtcpm_sip_contact_uri(c->local_uri, &l->contact_addr, l->transport, c->contact_uri,
                                      sizeof(c->contact_uri))) &&
         FAILED(rtcpm_sip_contact_uri(l->local_uri, &l->contact_addr, l->transport, c->contact_uri,
                                      sizeof(c->contact_uri)))))
    {
        if (c) rtcpm_sip_call_free(c);
        return; /* no answer: the caller retransmits, we may have memory then */
    }
    c->incoming = 1;
    c->tp = tp;
    tp->refs++;
    c->bound = tp->bound;
    c->contact_addr = l->contact_addr;
    atomic_fetch_add(&a->refs, 1);
    c->agent = a;
    c->cb = l->cb;
    c->ctx = l->ctx;
    c->user_ref = c->agent_ref = 1;
    c->phase = CALL_RINGING;
    c->next = a->calls;
    a->calls = c;
    send_response(a, c, 180, "Ringing", NULL, NULL);
    rtcpm_sip_agent_call_event_ex(a, c, RTCPM_SIP_CALL_INCOMING, 0, "INVITE", S_OK, 1, req);
}

/* ---- requests of incoming calls ---- */

/* The incoming call this request is about: same Call-ID and caller tag; with_branch: the
 * INVITE's own transaction (retransmission, CANCEL). */
static struct rtcpm_sip_call *find_incoming(struct rtcpm_sip_agent *a, const struct rtcpm_sip_msg *req, int with_branch)
{
    struct rtcpm_sip_call *c;
    for (c = a->calls; c; c = c->next)
        if (c->incoming && rtcpm_sip_span_eq(req->call_id, c->call_id) &&
            rtcpm_sip_span_eq(req->from.tag, c->remote_tag) &&
            (!with_branch || rtcpm_sip_span_eq(req->via.branch, c->invite_branch)))
            return c;
    return NULL;
}

static void on_ack(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, const struct rtcpm_sip_msg *req)
{
    if (!c->final_sent || c->acked || !rtcpm_sip_span_eq(req->to.tag, c->from_tag)) return;
    c->acked = 1;
    c->resend_at = 0;
    if (c->phase != CALL_ANSWERED) return;
    c->phase = CALL_CONFIRMED;
    rtcpm_sip_agent_call_event_ex(a, c, RTCPM_SIP_CALL_CONNECTED, 200, "OK", S_OK, 0, req->body.n ? req : NULL);
}

static void on_cancel(struct rtcpm_sip_agent *a, struct sip_tp *tp, struct rtcpm_sip_call *c,
                      const struct rtcpm_sip_msg *req, const rtcpm_addr *from)
{
    char buf[SIP_REQUEST_MAX];
    size_t len;
    if (rtcpm_sip_build_response(req, 200, "OK", c->from_tag, a->user_agent, buf, sizeof(buf), &len) ==
        RTCPM_SIP_BUILD_OK)
        rtcpm_sip_tp_send(a, tp, from, buf, len);
    if (c->phase == CALL_RINGING) reject(a, c, 487, "Request Terminated", 1);
}

int rtcpm_sip_uas_on_request(struct rtcpm_sip_agent *a, struct sip_tp *tp, const struct rtcpm_sip_msg *req,
                             const rtcpm_addr *from)
{
    struct rtcpm_sip_call *c;
    struct rtcpm_sip_listener *l;
    int invite = rtcpm_sip_span_eq(req->method, "INVITE");
    if (!req->from.tag.n || !req->call_id.n) return 0;
    if (rtcpm_sip_span_eq(req->method, "ACK"))
    {
        if (!(c = find_incoming(a, req, 0)) || c->invite_cseq != req->cseq) return 0;
        on_ack(a, c, req);
        return 1;
    }
    if (rtcpm_sip_span_eq(req->method, "CANCEL"))
    {
        if (!(c = find_incoming(a, req, 1))) return 0;
        on_cancel(a, tp, c, req, from);
        return 1;
    }
    if (!invite || req->to.tag.n) return 0;
    if ((c = find_incoming(a, req, 1)))
    {
        if (c->response) rtcpm_sip_tp_send(a, c->tp, &c->invite_from, c->response, c->response_len);
        return 1;
    }
    if (!(l = listener_on(a, tp)) || a->stopping) return 0;
    new_incoming(a, l, tp, req, from);
    return 1;
}

/* ---- the worker's part ---- */

void rtcpm_sip_uas_tick(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, uint64_t now, uint64_t *next)
{
    if (c->final_code && c->phase == CALL_RINGING)
    {
        if (c->final_code == 200)
        {
            c->phase = CALL_ANSWERED;
            send_response(a, c, 200, "OK", c->content_type, c->body);
        }
        else
            reject(a, c, c->final_code, c->final_reason, 0);
    }
    if (c->final_code == 200 && c->phase != CALL_ANSWERED) c->resend_at = 0; /* BYE'd meanwhile */
    if (!c->final_sent || c->acked || !c->resend_at) return;
    if (now >= c->give_up_at)
    {
        c->resend_at = 0;
        if (c->phase != CALL_ANSWERED) return;
        rtcpm_sip_call_send_bye(a, c); /* RFC 3261 13.3.1.4: no ACK, end the dialog */
        rtcpm_sip_call_end(a, c, 0, "no ACK for the 200", RTC_E_SIP_TIMEOUT, 0);
        return;
    }
    if (now >= c->resend_at)
    {
        rtcpm_sip_tp_send(a, c->tp, &c->invite_from, c->response, c->response_len);
        c->resend_interval *= 2;
        if (c->resend_interval > a->timers.t2_ms) c->resend_interval = a->timers.t2_ms;
        c->resend_at = now + c->resend_interval;
    }
    if (c->resend_at < *next) *next = c->resend_at;
    if (c->give_up_at < *next) *next = c->give_up_at;
}

int rtcpm_sip_uas_hangup(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c)
{
    if (!c->incoming) return 0;
    if (c->final_code && c->phase == CALL_RINGING) return 1; /* answer/reject asked first: it goes out */
    if (c->phase == CALL_RINGING)
    {
        reject(a, c, 480, "Temporarily Unavailable", 0);
        return 1;
    }
    if (c->phase != CALL_ANSWERED) return 0;
    c->resend_at = 0;
    rtcpm_sip_call_send_bye(a, c);
    return 1;
}

/* ---- answer, reject ---- */

static HRESULT set_final(rtcpm_sip_call *c, int code, const char *reason, const char *ctype, const char *body)
{
    struct rtcpm_sip_agent *a;
    HRESULT hr = S_OK;
    if (!c) return E_POINTER;
    a = c->agent;
    rtcpm_lock_acquire(&a->lock);
    if (!c->incoming || c->phase != CALL_RINGING || c->final_code || c->hangup || a->stopped)
        hr = RTC_E_INVALID_SESSION_STATE;
    else if (body)
    {
        free(c->body), free(c->content_type);
        c->body = rtcpm_sip_strdup(body);
        c->content_type = rtcpm_sip_strdup(ctype);
        if (!c->body || !c->content_type) hr = E_OUTOFMEMORY;
    }
    if (hr == S_OK)
    {
        c->final_code = code;
        snprintf(c->final_reason, sizeof(c->final_reason), "%s", reason);
        rtcpm_sip_agent_wake(a);
    }
    rtcpm_lock_release(&a->lock);
    return hr;
}

HRESULT rtcpm_sip_call_answer(rtcpm_sip_call *call, const char *content_type, const char *body)
{
    if (!call || !body) return E_POINTER;
    if (!content_type) content_type = "application/sdp";
    if (!rtcpm_sip_valid_value(content_type) || !content_type[0] || strlen(body) > SIP_REQUEST_MAX / 2)
        return E_INVALIDARG;
    return set_final(call, 200, "OK", content_type, body);
}

HRESULT rtcpm_sip_call_reject(rtcpm_sip_call *call, int code, const char *reason)
{
    if (!call) return E_POINTER;
    if (code < 300 || code > 699 || (reason && (!rtcpm_sip_valid_value(reason) || strlen(reason) >= 64)))
        return E_INVALIDARG;
    if (!reason)
        reason = code == 486   ? "Busy Here"
                 : code == 603 ? "Decline"
                 : code == 480 ? "Temporarily Unavailable"
                               : "Not Acceptable Here";
    return set_final(call, code, reason, NULL, NULL);
}

/* ---- listeners ---- */

static HRESULT listen_check(const struct rtcpm_sip_listen_params *p)
{
    if (!p->local_uri || !rtcpm_sip_build_is_uri(p->local_uri)) return E_INVALIDARG;
    if (p->flow.transport != RTCTR_UDP) return RTC_E_SIP_TRANSPORT_NOT_SUPPORTED;
    if (p->flow.local.family != RTCPM_AF_INET && p->flow.local.family != RTCPM_AF_INET6) return E_INVALIDARG;
    return S_OK;
}

HRESULT rtcpm_sip_listen_start(rtcpm_sip_agent *a, const struct rtcpm_sip_listen_params *params, rtcpm_sip_call_cb cb,
                               void *ctx, rtcpm_sip_listener **out)
{
    struct rtcpm_sip_listener *l;
    HRESULT hr;
    if (!out) return E_POINTER;
    *out = NULL;
    if (!a || !params || !cb) return E_POINTER;
    if (FAILED(hr = listen_check(params))) return hr;
    if (!(l = calloc(1, sizeof(*l))) || !(l->local_uri = rtcpm_sip_strdup(params->local_uri)))
    {
        free(l);
        return E_OUTOFMEMORY;
    }
    rtcpm_lock_acquire(&a->lock);
    hr = a->stopping || a->stopped ? RTC_E_SIP_STACK_SHUTDOWN : rtcpm_sip_tp_acquire(a, &params->flow, &l->tp);
    if (FAILED(hr))
    {
        rtcpm_lock_release(&a->lock);
        free(l->local_uri);
        free(l);
        return hr;
    }
    rtcpm_sip_flow_contact(&params->flow, l->tp, &l->contact_addr);
    atomic_fetch_add(&a->refs, 1);
    l->agent = a;
    l->cb = cb;
    l->ctx = ctx;
    l->transport = params->flow.transport;
    l->next = a->listeners;
    a->listeners = l;
    rtcpm_lock_release(&a->lock);
    *out = l;
    return S_OK;
}

void rtcpm_sip_listen_stop(rtcpm_sip_listener *l)
{
    struct rtcpm_sip_agent *a;
    struct rtcpm_sip_listener **pp;
    if (!l) return;
    a = l->agent;
    rtcpm_lock_acquire(&a->lock);
    for (pp = &a->listeners; *pp; pp = &(*pp)->next)
        if (*pp == l)
        {
            *pp = l->next;
            break;
        }
    if (l->tp) rtcpm_sip_tp_release(a, l->tp);
    rtcpm_lock_release(&a->lock);
    free(l->local_uri);
    free(l);
    rtcpm_sip_agent_release_ref(a);
}

HRESULT rtcpm_sip_listen_local_addr(rtcpm_sip_listener *l, rtcpm_addr *local, rtcpm_addr *contact)
{
    if (!l || !local || !contact) return E_POINTER;
    rtcpm_lock_acquire(&l->agent->lock);
    *local = l->tp ? l->tp->bound : l->contact_addr;
    *contact = l->contact_addr;
    rtcpm_lock_release(&l->agent->lock);
    return S_OK;
}

void rtcpm_sip_listen_free_all(struct rtcpm_sip_agent *a)
{
    struct rtcpm_sip_listener *l;
    while ((l = a->listeners))
    {
        a->listeners = l->next;
        l->next = NULL;
        l->tp = NULL; /* the sockets go with the agent; the handle stays for _stop */
    }
}
