/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_call.c — outgoing calls (RFC 3261 sections 13-15): INVITE with the caller's SDP offer,
 * digest retry, ACK of the 2xx (and of its retransmissions), CANCEL while ringing, BYE from
 * either side. Public functions only record what to do; the worker (call_tick) sends. See
 * sip_agent.h for the contract; incoming requests are answered in sip_call_in.c.
 */
#include <stdlib.h>
#include <string.h>
#include "sip_agent_private.h"
#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_text.h"

void rtcpm_sip_call_free(struct rtcpm_sip_call *c)
{
    free(c->local_uri), free(c->display), free(c->remote_uri), free(c->username), free(c->realm);
    free(c->content_type), free(c->body), free(c->ack);
    free(c->remote_display), free(c->response);
    rtcpm_sip_msg_free(c->invite);
    rtcpm_sip_free_secret(c->password);
    free(c);
}

void rtcpm_sip_call_put(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c)
{
    if (--c->agent_ref > 0 || c->user_ref > 0) return;
    rtcpm_sip_tp_release(a, c->tp);
    rtcpm_sip_call_free(c);
    rtcpm_sip_agent_release_ref(a);
}

/* A request of this call: From us, To the peer (with its tag inside the dialog). */
static int build(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, struct rtcpm_sip_request *q, const char *method,
                 const char *branch, uint32_t cseq, const char *uri, const char *to_tag)
{
    memset(q, 0, sizeof(*q));
    q->method = method;
    q->request_uri = uri;
    q->via_transport = rtcpm_sip_tp_via_name(c->tp);
    q->via = &c->contact_addr;
    q->branch = branch;
    q->rport = !rtcpm_sip_tp_reliable(c->tp);
    q->from_display = c->display;
    q->from_uri = c->local_uri;
    q->from_tag = c->from_tag;
    q->to_uri = c->remote_uri;
    q->to_tag = to_tag;
    q->call_id = c->call_id;
    q->cseq = cseq;
    q->contact_expires = -1;
    q->expires = -1;
    q->user_agent = a->user_agent;
    return 0;
}

static void end_call(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, const struct rtcpm_sip_msg *resp,
                     const char *reason, HRESULT hr, int by_peer)
{
    if (c->phase == CALL_ENDED) return;
    c->phase = CALL_ENDED;
    c->linger_until = rtcpm_clock_ms() + 64 * rtcpm_sip_agent_t1(a);
    rtcpm_sip_txn_detach(c->bye_txn);
    rtcpm_sip_txn_detach(c->cancel_txn);
    c->bye_txn = c->cancel_txn = NULL;
    rtcpm_sip_agent_call_event(a, c, RTCPM_SIP_CALL_DISCONNECTED, resp, reason, hr, by_peer);
}

static void on_invite(struct rtcpm_sip_agent *a, void *owner, struct sip_txn *t, const struct rtcpm_sip_msg *resp,
                      HRESULT hr);
static void on_bye(struct rtcpm_sip_agent *a, void *owner, struct sip_txn *t, const struct rtcpm_sip_msg *resp,
                   HRESULT hr);
static void on_cancel(struct rtcpm_sip_agent *a, void *owner, struct sip_txn *t, const struct rtcpm_sip_msg *resp,
                      HRESULT hr);

static void send_invite(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c)
{
    char req[SIP_REQUEST_MAX], auth[1024];
    struct rtcpm_sip_request q;
    size_t len;
    HRESULT hr = E_FAIL;

    c->invite_cseq = ++c->cseq;
    if (!rtcpm_sip_new_branch(c->invite_branch, sizeof(c->invite_branch)) &&
        (!c->have_challenge || !rtcpm_sip_auth_line(&c->challenge, c->challenge_proxy, c->username, c->password,
                                                    c->local_uri, "INVITE", c->remote_uri, &c->nc, auth, sizeof(auth))))
    {
        build(a, c, &q, "INVITE", c->invite_branch, c->invite_cseq, c->remote_uri, NULL);
        q.contact_uri = c->contact_uri;
        q.auth_line = c->have_challenge ? auth : NULL;
        q.content_type = c->content_type;
        q.body = c->body;
        if (rtcpm_sip_build_request(&q, req, sizeof(req), &len) == RTCPM_SIP_BUILD_OK)
            hr = rtcpm_sip_txn_start(a, c->tp, &c->next_hop, 1, "INVITE", c->invite_branch, req, len, on_invite, c,
                                     &c->invite_txn);
    }
    if (FAILED(hr)) end_call(a, c, NULL, "sending INVITE failed", hr, 0);
}

static void send_bye(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c);

void rtcpm_sip_call_send_bye(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c) { send_bye(a, c); }

void rtcpm_sip_call_end(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, int status, const char *reason, HRESULT hr,
                        int by_peer)
{
    if (c->phase == CALL_ENDED) return;
    c->phase = CALL_ENDED;
    c->linger_until = rtcpm_clock_ms() + 64 * rtcpm_sip_agent_t1(a);
    rtcpm_sip_txn_detach(c->bye_txn);
    c->bye_txn = NULL;
    rtcpm_sip_agent_call_event_ex(a, c, RTCPM_SIP_CALL_DISCONNECTED, status, reason, hr, by_peer, NULL);
}

static void send_bye(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c)
{
    char req[SIP_REQUEST_MAX], branch[48];
    struct rtcpm_sip_request q;
    size_t len;
    HRESULT hr = E_FAIL;
    c->phase = CALL_BYE_SENT;
    if (!rtcpm_sip_new_branch(branch, sizeof(branch)))
    {
        build(a, c, &q, "BYE", branch, ++c->cseq, c->remote_target, c->remote_tag);
        if (rtcpm_sip_build_request(&q, req, sizeof(req), &len) == RTCPM_SIP_BUILD_OK)
            hr = rtcpm_sip_txn_start(a, c->tp, &c->next_hop, 0, "BYE", branch, req, len, on_bye, c, &c->bye_txn);
    }
    if (FAILED(hr)) end_call(a, c, NULL, "sending BYE failed", S_OK, 0);
}

/* CANCEL: the INVITE's branch, Request-URI, Call-ID, From, To and CSeq number (RFC 3261 9.1). */
static void send_cancel(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c)
{
    char req[SIP_REQUEST_MAX];
    struct rtcpm_sip_request q;
    size_t len;
    c->cancel_sent = 1;
    build(a, c, &q, "CANCEL", c->invite_branch, c->invite_cseq, c->remote_uri, NULL);
    if (rtcpm_sip_build_request(&q, req, sizeof(req), &len) == RTCPM_SIP_BUILD_OK)
        rtcpm_sip_txn_start(a, c->tp, &c->next_hop, 0, "CANCEL", c->invite_branch, req, len, on_cancel, c,
                            &c->cancel_txn);
    /* no final within 64*T1 of the CANCEL: give up on the INVITE */
    if (c->invite_txn) rtcpm_sip_txn_arm_timeout(a, c->invite_txn);
}

/* The ACK of a 3xx-6xx, part of the INVITE transaction. */
static void ack_failure(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, struct sip_txn *t,
                        const struct rtcpm_sip_msg *resp)
{
    char req[SIP_REQUEST_MAX], tag[128];
    struct rtcpm_sip_request q;
    size_t len;
    if (!rtcpm_sip_span_copy(tag, sizeof(tag), resp->to.tag) || !rtcpm_sip_build_is_token(tag)) tag[0] = 0;
    build(a, c, &q, "ACK", c->invite_branch, c->invite_cseq, c->remote_uri, tag);
    if (rtcpm_sip_build_request(&q, req, sizeof(req), &len) == RTCPM_SIP_BUILD_OK)
        rtcpm_sip_txn_set_ack(a, t, req, len);
}

/* The 2xx: the dialog starts (remote tag, remote target), ACKed on a new branch. */
static void on_2xx(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, const struct rtcpm_sip_msg *resp)
{
    char req[SIP_REQUEST_MAX], branch[48];
    struct rtcpm_sip_name_addr contact;
    struct rtcpm_sip_span rest = { NULL, 0 };
    struct rtcpm_sip_request q;
    size_t hdr = 0, len;

    if (!rtcpm_sip_span_copy(c->remote_tag, sizeof(c->remote_tag), resp->to.tag) ||
        !rtcpm_sip_build_is_token(c->remote_tag))
        c->remote_tag[0] = 0;
    if (rtcpm_sip_contact_next(resp, &hdr, &rest, &contact) <= 0 || contact.star ||
        !rtcpm_sip_span_copy(c->remote_target, sizeof(c->remote_target), contact.uri) ||
        !rtcpm_sip_build_is_uri(c->remote_target))
        strcpy(c->remote_target, c->remote_uri); /* no usable Contact: the URI we called */
    if (!rtcpm_sip_new_branch(branch, sizeof(branch)))
    {
        build(a, c, &q, "ACK", branch, c->invite_cseq, c->remote_target, c->remote_tag);
        if (rtcpm_sip_build_request(&q, req, sizeof(req), &len) == RTCPM_SIP_BUILD_OK && (c->ack = malloc(len)))
        {
            memcpy(c->ack, req, len);
            c->ack_len = len;
            rtcpm_sip_tp_send(a, c->tp, &c->next_hop, c->ack, c->ack_len);
        }
    }
    c->phase = CALL_CONFIRMED;
    if (c->hangup)
        send_bye(a, c); /* hung up before the answer came */
    else
        rtcpm_sip_agent_call_event(a, c, RTCPM_SIP_CALL_CONNECTED, resp, NULL, rtcpm_sip_status_hresult(resp->status),
                                   0);
}

/* 401/407: a new INVITE with credentials, once per challenge (twice when stale). */
static int retry_with_auth(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, const struct rtcpm_sip_msg *resp)
{
    struct rtcpm_digest_challenge ch;
    int proxy;
    if (c->hangup || !c->password || rtcpm_sip_pick_challenge(resp, c->realm, &ch, &proxy)) return 0;
    if (c->auth_tries >= (ch.stale ? 2 : 1)) return 0;
    c->auth_tries++;
    c->challenge = ch;
    c->challenge_proxy = proxy;
    c->have_challenge = 1;
    c->nc = 0;
    c->got_provisional = 0;
    send_invite(a, c);
    return 1;
}

static void on_provisional(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, const struct rtcpm_sip_msg *resp)
{
    c->got_provisional = 1;
    if (c->hangup)
    {
        if (!c->cancel_sent) send_cancel(a, c); /* held until now: RFC 3261 9.1 */
        return;
    }
    if (resp->status > 100)
        rtcpm_sip_agent_call_event(a, c, RTCPM_SIP_CALL_PROCEEDING, resp, NULL, rtcpm_sip_status_hresult(resp->status),
                                   0);
}

static void on_invite(struct rtcpm_sip_agent *a, void *owner, struct sip_txn *t, const struct rtcpm_sip_msg *resp,
                      HRESULT hr)
{
    struct rtcpm_sip_call *c = owner;
    if (resp && resp->status < 200)
    {
        on_provisional(a, c, resp);
        return;
    }
    c->invite_txn = NULL;
    if (!resp)
        end_call(a, c, NULL, c->hangup ? "terminated" : "no answer", c->hangup ? S_OK : hr, 0);
    else if (resp->status < 300)
        on_2xx(a, c, resp);
    else
    {
        ack_failure(a, c, t, resp);
        if ((resp->status == 401 || resp->status == 407) && retry_with_auth(a, c, resp)) return;
        end_call(a, c, resp, NULL, c->hangup ? S_OK : rtcpm_sip_status_hresult(resp->status), 0);
    }
}

static void on_bye(struct rtcpm_sip_agent *a, void *owner, struct sip_txn *t, const struct rtcpm_sip_msg *resp,
                   HRESULT hr)
{
    struct rtcpm_sip_call *c = owner;
    (void)t, (void)hr;
    if (resp && resp->status < 200) return;
    c->bye_txn = NULL;
    end_call(a, c, resp, "no answer to BYE", S_OK, 0);
}

static void on_cancel(struct rtcpm_sip_agent *a, void *owner, struct sip_txn *t, const struct rtcpm_sip_msg *resp,
                      HRESULT hr)
{
    struct rtcpm_sip_call *c = owner;
    (void)a, (void)t, (void)hr;
    if (!resp || resp->status >= 200) c->cancel_txn = NULL; /* the INVITE's final ends the call */
}

/* ---- the worker's part ---- */

static void act_on_hangup(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c)
{
    c->hangup_pending = 0;
    if (rtcpm_sip_uas_hangup(a, c)) return;
    if (c->phase == CALL_CONFIRMED)
        send_bye(a, c);
    else if (c->phase == CALL_INVITING && c->got_provisional && !c->cancel_sent)
        send_cancel(a, c);
    /* INVITING without a provisional: the CANCEL waits for one (on_provisional) */
}

void rtcpm_sip_call_tick(struct rtcpm_sip_agent *a, uint64_t now, uint64_t *next)
{
    struct rtcpm_sip_call **pp = &a->calls, *c;
    while ((c = *pp))
    {
        if (c->kick)
        {
            c->kick = 0;
            send_invite(a, c);
        }
        if (c->hangup_pending) act_on_hangup(a, c);
        if (c->incoming) rtcpm_sip_uas_tick(a, c, now, next);
        if (c->phase == CALL_ENDED && !c->user_ref && !c->invite_txn && now >= c->linger_until)
        {
            *pp = c->next;
            rtcpm_sip_call_put(a, c);
            continue;
        }
        if (c->phase == CALL_ENDED && !c->user_ref && c->linger_until < *next) *next = c->linger_until;
        pp = &c->next;
    }
}

void rtcpm_sip_call_free_all(struct rtcpm_sip_agent *a)
{
    struct rtcpm_sip_call *c;
    while ((c = a->calls))
    {
        a->calls = c->next;
        c->tp = NULL;
        c->invite_txn = c->bye_txn = c->cancel_txn = NULL;
        c->agent_ref = 1;
        rtcpm_sip_call_put(a, c);
    }
}

void rtcpm_sip_call_end_by_peer(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c)
{
    end_call(a, c, NULL, "BYE", S_OK, 1);
}
