/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_call_in.c — the public side of calls (start, hang up, release) and what comes in for
 * them: requests (the peer's BYE answered 200, everything else answered as RFC 3261 says:
 * 481 for an unknown dialog, 400 for a request without From tag, ...) and retransmitted 2xx
 * (ACKed again). The call's own requests and their answers are in sip_call.c.
 */
#include <stdlib.h>
#include <string.h>
#include "sip_agent_private.h"
#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_text.h"

/* ---- incoming ---- */

static void respond(struct rtcpm_sip_agent *a, struct sip_tp *tp, const struct rtcpm_sip_msg *req,
                    const rtcpm_addr *from, int code, const char *reason, const char *to_tag)
{
    char buf[SIP_REQUEST_MAX], tag[17];
    size_t len;
    if (!to_tag && !rtcpm_sip_random_token(tag, 16)) to_tag = tag;
    if (rtcpm_sip_build_response(req, code, reason, to_tag, a->user_agent, buf, sizeof(buf), &len) ==
        RTCPM_SIP_BUILD_OK)
        rtcpm_sip_tp_send(a, tp, from, buf, len);
}

/* The call whose dialog this in-dialog request belongs to (Call-ID, our tag in To, the
 * peer's in From). */
static struct rtcpm_sip_call *find_dialog(struct rtcpm_sip_agent *a, const struct rtcpm_sip_msg *req)
{
    struct rtcpm_sip_call *c;
    for (c = a->calls; c; c = c->next)
        if (c->remote_tag[0] && rtcpm_sip_span_eq(req->call_id, c->call_id) &&
            rtcpm_sip_span_eq(req->to.tag, c->from_tag) && rtcpm_sip_span_eq(req->from.tag, c->remote_tag))
            return c;
    return NULL;
}

void rtcpm_sip_call_on_request(struct rtcpm_sip_agent *a, struct sip_tp *tp, const struct rtcpm_sip_msg *req,
                               const rtcpm_addr *from)
{
    struct rtcpm_sip_call *c;
    if (rtcpm_sip_uas_on_request(a, tp, req, from)) return; /* incoming calls: INVITE, ACK, CANCEL */
    if (rtcpm_sip_span_eq(req->method, "ACK")) return;      /* never answered */
    if (!req->from.tag.n)
    {
        respond(a, tp, req, from, 400, "Missing From tag", NULL);
        return;
    }
    c = req->to.tag.n ? find_dialog(a, req) : NULL;
    if (rtcpm_sip_span_eq(req->method, "OPTIONS"))
        respond(a, tp, req, from, 200, "OK", c ? c->from_tag : NULL);
    else if (req->to.tag.n && !c)
        respond(a, tp, req, from, 481, "Call/Transaction Does Not Exist", NULL);
    else if (rtcpm_sip_span_eq(req->method, "BYE") && c)
    {
        respond(a, tp, req, from, 200, "OK", c->from_tag);
        if (c->phase == CALL_CONFIRMED || c->phase == CALL_BYE_SENT || c->phase == CALL_ANSWERED)
            rtcpm_sip_call_end_by_peer(a, c);
    }
    else if (rtcpm_sip_span_eq(req->method, "CANCEL"))
        respond(a, tp, req, from, 481, "Call/Transaction Does Not Exist", NULL);
    else if (rtcpm_sip_span_eq(req->method, "INVITE"))
        respond(a, tp, req, from, c ? 488 : 480, c ? "Not Acceptable Here" : "Temporarily Unavailable",
                c ? c->from_tag : NULL);
    else
        respond(a, tp, req, from, 501, "Not Implemented", c ? c->from_tag : NULL);
}

void rtcpm_sip_call_on_stray_response(struct rtcpm_sip_agent *a, struct sip_tp *tp, const struct rtcpm_sip_msg *resp)
{
    struct rtcpm_sip_call *c;
    if (resp->status >= 200 && resp->status < 300 && rtcpm_sip_span_eq(resp->cseq_method, "INVITE"))
    {
        for (c = a->calls; c; c = c->next)
        {
            if (c->tp != tp || !c->ack || c->invite_cseq != resp->cseq || !rtcpm_sip_span_eq(resp->call_id, c->call_id))
                continue;
            /* the 2xx came again: our ACK was lost (RFC 3261 13.2.2.4) */
            if (rtcpm_sip_span_eq(resp->to.tag, c->remote_tag))
                rtcpm_sip_tp_send(a, c->tp, &c->next_hop, c->ack, c->ack_len);
            return;
        }
    }
    rtcpm_sip_trace(a, 0, 1, "no transaction for this response", resp->buf, resp->len, NULL);
}

/* ---- the public side ---- */

static HRESULT check_params(const struct rtcpm_sip_call_params *p)
{
    int secure;
    char user[SIP_TEXT_USER_MAX + 1];
    if (FAILED(rtcpm_sip_text_parse_uri(p->local_uri, &secure, user, sizeof(user))) ||
        !rtcpm_sip_build_is_uri(p->remote_uri) || !p->body)
        return E_INVALIDARG;
    if (!rtcpm_sip_valid_value(p->display_name) || !rtcpm_sip_valid_value(p->cred.username) ||
        !rtcpm_sip_valid_value(p->cred.realm) || (p->cred.password && strpbrk(p->cred.password, "\r\n")) ||
        (p->content_type && !rtcpm_sip_valid_value(p->content_type)))
        return E_INVALIDARG;
    return rtcpm_sip_flow_check(&p->flow);
}

static HRESULT copy_params(struct rtcpm_sip_call *c, const struct rtcpm_sip_call_params *p)
{
    c->local_uri = rtcpm_sip_strdup(p->local_uri);
    c->display = rtcpm_sip_strdup(p->display_name);
    c->remote_uri = rtcpm_sip_strdup(p->remote_uri);
    c->username = rtcpm_sip_strdup(p->cred.username);
    c->password = rtcpm_sip_strdup(p->cred.password);
    c->realm = rtcpm_sip_strdup(p->cred.realm);
    c->content_type = rtcpm_sip_strdup(p->content_type ? p->content_type : "application/sdp");
    c->body = rtcpm_sip_strdup(p->body);
    if (!c->local_uri || !c->remote_uri || !c->content_type || !c->body || (p->display_name && !c->display) ||
        (p->cred.username && !c->username) || (p->cred.password && !c->password) || (p->cred.realm && !c->realm))
        return E_OUTOFMEMORY;
    c->next_hop = p->flow.next_hop;
    if (rtcpm_sip_random_token(c->call_id, 24) || rtcpm_sip_random_token(c->from_tag, 16)) return E_FAIL;
    strcat(c->call_id, "@rtcpm");
    strcpy(c->remote_target, c->remote_uri[0] && strlen(c->remote_uri) < sizeof(c->remote_target) ? c->remote_uri : "");
    return strlen(c->remote_uri) < sizeof(c->remote_target) ? S_OK : E_INVALIDARG;
}

static HRESULT attach(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, const struct rtcpm_sip_call_params *p)
{
    HRESULT hr;
    if (a->stopping || a->stopped) return RTC_E_SIP_STACK_SHUTDOWN;
    if (FAILED(hr = rtcpm_sip_tp_acquire(a, &p->flow, &c->tp))) return hr;
    c->bound = c->tp->bound;
    rtcpm_sip_flow_contact(&p->flow, c->tp, &c->contact_addr);
    hr = rtcpm_sip_contact_uri(c->local_uri, &c->contact_addr, p->flow.transport, c->contact_uri,
                               sizeof(c->contact_uri));
    if (FAILED(hr)) rtcpm_sip_tp_release(a, c->tp);
    return hr;
}

HRESULT rtcpm_sip_call_start(rtcpm_sip_agent *a, const struct rtcpm_sip_call_params *params, rtcpm_sip_call_cb cb,
                             void *ctx, rtcpm_sip_call **out)
{
    struct rtcpm_sip_call *c;
    HRESULT hr;
    if (!out) return E_POINTER;
    *out = NULL;
    if (!a || !params || !cb) return E_POINTER;
    if (FAILED(hr = check_params(params))) return hr;
    if (!(c = calloc(1, sizeof(*c)))) return E_OUTOFMEMORY;
    if (FAILED(hr = copy_params(c, params)))
    {
        rtcpm_sip_call_free(c);
        return hr;
    }
    rtcpm_lock_acquire(&a->lock);
    if (FAILED(hr = attach(a, c, params)))
    {
        rtcpm_lock_release(&a->lock);
        rtcpm_sip_call_free(c);
        return hr;
    }
    atomic_fetch_add(&a->refs, 1);
    c->agent = a;
    c->cb = cb;
    c->ctx = ctx;
    c->user_ref = c->agent_ref = 1;
    c->kick = 1;
    c->phase = CALL_INVITING;
    c->next = a->calls;
    a->calls = c;
    rtcpm_sip_agent_call_event(a, c, RTCPM_SIP_CALL_INPROGRESS, NULL, "calling", S_OK, 0);
    rtcpm_lock_release(&a->lock);
    *out = c;
    return S_OK;
}

HRESULT rtcpm_sip_call_hangup(rtcpm_sip_call *c)
{
    struct rtcpm_sip_agent *a;
    HRESULT hr = S_OK;
    if (!c) return E_POINTER;
    a = c->agent;
    rtcpm_lock_acquire(&a->lock);
    if (c->hangup || c->phase == CALL_ENDED || a->stopped)
        hr = S_FALSE;
    else
    {
        c->hangup = c->hangup_pending = 1;
        rtcpm_sip_agent_call_event(a, c, RTCPM_SIP_CALL_DISCONNECTING, NULL, "hanging up", S_OK, 0);
        rtcpm_sip_agent_wake(a);
    }
    rtcpm_lock_release(&a->lock);
    return hr;
}

void rtcpm_sip_call_release(rtcpm_sip_call *c)
{
    struct rtcpm_sip_agent *a;
    int free_now;
    if (!c) return;
    a = c->agent;
    rtcpm_lock_acquire(&a->lock);
    c->cb = NULL;
    c->silent = 1;
    rtcpm_sip_agent_wait_dispatch(a, c); /* drops the lock while waiting: c must stay ours */
    c->user_ref = 0;
    if (!a->stopped && !c->hangup && c->phase != CALL_ENDED)
    {
        c->hangup = c->hangup_pending = 1; /* a live call is hung up quietly */
        rtcpm_sip_agent_wake(a);
    }
    free_now = a->stopped && !c->agent_ref;
    rtcpm_lock_release(&a->lock);
    if (free_now)
    {
        rtcpm_sip_call_free(c);
        rtcpm_sip_agent_release_ref(a);
    }
}

HRESULT rtcpm_sip_call_local_addr(rtcpm_sip_call *c, rtcpm_addr *local, rtcpm_addr *contact)
{
    if (!c || !local || !contact) return E_POINTER;
    rtcpm_lock_acquire(&c->agent->lock);
    *local = c->bound;
    *contact = c->contact_addr;
    rtcpm_lock_release(&c->agent->lock);
    return S_OK;
}
