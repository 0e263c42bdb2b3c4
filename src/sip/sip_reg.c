/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_reg.c — registrations (RFC 3261 section 10): REGISTER with digest retry, refresh
 * before expiry, REGISTER with Expires: 0 to end. Public functions run on the caller's
 * thread under the agent's lock and leave the sending to the worker (reg_tick), so every
 * message goes out from the worker. See sip_agent.h for the contract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sip_agent_private.h"
#include "sip_build.h"
#include "sip_hdr.h"
#include "sip_msg.h"
#include "sip_text.h"

static void free_reg(struct rtcpm_sip_reg *r)
{
    free(r->aor), free(r->display), free(r->registrar_uri), free(r->username), free(r->realm);
    rtcpm_sip_free_secret(r->password);
    free(r->request_uri);
    free(r);
}

void rtcpm_sip_reg_put(struct rtcpm_sip_agent *a, struct rtcpm_sip_reg *r)
{
    if (--r->agent_ref > 0 || r->user_ref > 0) return;
    rtcpm_sip_tp_release(a, r->tp);
    free_reg(r);
    rtcpm_sip_agent_release_ref(a); /* never the last one here: the creator's is held until stop */
}

static void report(struct rtcpm_sip_agent *a, struct rtcpm_sip_reg *r, enum rtcpm_sip_reg_state s,
                   const struct rtcpm_sip_msg *resp, const char *reason, HRESULT hr)
{
    char phrase[256] = "";
    if (resp) rtcpm_sip_span_copy(phrase, sizeof(phrase), resp->reason);
    rtcpm_sip_agent_reg_event(a, r, s, resp ? resp->status : 0, resp ? phrase : reason,
                              resp ? rtcpm_sip_status_hresult(resp->status) : hr, 0);
}

/* The registration is over (rejected, failed, or unregistered). */
static void finish(struct rtcpm_sip_agent *a, struct rtcpm_sip_reg *r, enum rtcpm_sip_reg_state s,
                   const struct rtcpm_sip_msg *resp, const char *reason, HRESULT hr)
{
    r->active = 0;
    r->done = 1;
    r->refresh_at = 0;
    report(a, r, r->unregistering ? RTCPM_SIP_REG_NOT_REGISTERED : s, resp, reason, hr);
}

static void on_txn(struct rtcpm_sip_agent *a, void *owner, struct sip_txn *t, const struct rtcpm_sip_msg *resp,
                   HRESULT hr);

static HRESULT send_register(struct rtcpm_sip_agent *a, struct rtcpm_sip_reg *r)
{
    char req[SIP_REQUEST_MAX], auth[1024], branch[48];
    struct rtcpm_sip_request q;
    size_t len;

    memset(&q, 0, sizeof(q));
    if (rtcpm_sip_new_branch(branch, sizeof(branch))) return E_FAIL;
    if (r->have_challenge && rtcpm_sip_auth_line(&r->challenge, r->challenge_proxy, r->username, r->password, r->aor,
                                                 "REGISTER", r->request_uri, &r->nc, auth, sizeof(auth)))
        return E_FAIL;
    q.method = "REGISTER";
    q.request_uri = r->request_uri;
    q.via_transport = rtcpm_sip_tp_via_name(r->tp);
    q.via = &r->contact_addr;
    q.branch = branch;
    q.rport = !rtcpm_sip_tp_reliable(r->tp);
    q.from_display = q.to_display = r->display;
    q.from_uri = q.to_uri = r->aor;
    q.from_tag = r->from_tag;
    q.call_id = r->call_id;
    q.cseq = ++r->cseq;
    q.contact_uri = r->contact_uri;
    q.contact_expires = r->unregistering ? 0 : -1;
    q.expires = r->unregistering ? 0 : (long)r->expires_s;
    q.auth_line = r->have_challenge ? auth : NULL;
    q.user_agent = a->user_agent;
    if (rtcpm_sip_build_request(&q, req, sizeof(req), &len) != RTCPM_SIP_BUILD_OK) return E_FAIL;
    return rtcpm_sip_txn_start(a, r->tp, &r->next_hop, 0, "REGISTER", branch, req, len, on_txn, r, &r->txn);
}

/* Sends, or ends the registration with the send's failure. */
static void send_or_fail(struct rtcpm_sip_agent *a, struct rtcpm_sip_reg *r)
{
    HRESULT hr = send_register(a, r);
    if (FAILED(hr)) finish(a, r, RTCPM_SIP_REG_ERROR, NULL, "sending REGISTER failed", hr);
}

/* Contact;expires of our own binding, else Expires, else what we asked (RFC 3261 10.2.4). */
static unsigned granted_expiry(const struct rtcpm_sip_reg *r, const struct rtcpm_sip_msg *resp)
{
    struct rtcpm_sip_name_addr c;
    struct rtcpm_sip_span rest = { NULL, 0 };
    size_t hdr = 0, mine = strcspn(r->contact_uri, ";");
    while (rtcpm_sip_contact_next(resp, &hdr, &rest, &c) > 0)
    {
        size_t n = 0;
        while (n < c.uri.n && c.uri.p[n] != ';') n++;
        if (n == mine && !strncmp(c.uri.p, r->contact_uri, n) && c.expires >= 0) return (unsigned)c.expires;
    }
    if (resp->expires > 0) return (unsigned)resp->expires;
    return r->expires_s;
}

static void on_success(struct rtcpm_sip_agent *a, struct rtcpm_sip_reg *r, const struct rtcpm_sip_msg *resp)
{
    unsigned granted;
    if (r->unregistering)
    {
        finish(a, r, RTCPM_SIP_REG_NOT_REGISTERED, resp, NULL, S_OK);
        return;
    }
    granted = granted_expiry(r, resp);
    if (!granted) granted = r->expires_s;
    r->refresh_at = rtcpm_clock_ms() + (r->refresh_ms ? r->refresh_ms : granted * 500ull);
    if (!r->active)
    {
        char phrase[256];
        r->active = 1;
        rtcpm_sip_span_copy(phrase, sizeof(phrase), resp->reason);
        rtcpm_sip_agent_reg_event(a, r, RTCPM_SIP_REG_REGISTERED, resp->status, phrase,
                                  rtcpm_sip_status_hresult(resp->status), granted);
    }
}

/* 401/407: one retry with credentials (two when the second challenge says stale). */
static int retry_with_auth(struct rtcpm_sip_agent *a, struct rtcpm_sip_reg *r, const struct rtcpm_sip_msg *resp)
{
    struct rtcpm_digest_challenge ch;
    int proxy;
    if (!r->password || rtcpm_sip_pick_challenge(resp, r->realm, &ch, &proxy)) return 0;
    if (r->auth_tries >= (ch.stale ? 2 : 1)) return 0;
    r->auth_tries++;
    r->challenge = ch;
    r->challenge_proxy = proxy;
    r->have_challenge = 1;
    r->nc = 0;
    send_or_fail(a, r);
    return 1;
}

/* 423 Interval Too Brief: once more with the registrar's Min-Expires. */
static int retry_interval(struct rtcpm_sip_agent *a, struct rtcpm_sip_reg *r, const struct rtcpm_sip_msg *resp)
{
    unsigned long long v;
    size_t i;
    if (resp->status != 423 || r->interval_retry || r->unregistering) return 0;
    for (i = 0; i < resp->header_count; i++)
    {
        if (!rtcpm_sip_span_ieq(resp->headers[i].name, "Min-Expires")) continue;
        if (rtcpm_sip_span_number(resp->headers[i].value, 10, &v) || !v || v > 0x7fffffff) return 0;
        r->interval_retry = 1;
        r->expires_s = (unsigned)v;
        send_or_fail(a, r);
        return 1;
    }
    return 0;
}

static void on_txn(struct rtcpm_sip_agent *a, void *owner, struct sip_txn *t, const struct rtcpm_sip_msg *resp,
                   HRESULT hr)
{
    struct rtcpm_sip_reg *r = owner;
    (void)t;
    if (resp && resp->status < 200) return;
    r->txn = NULL;
    if (!resp)
        finish(a, r, RTCPM_SIP_REG_ERROR, NULL, hr == RTC_E_SIP_TIMEOUT ? "no answer" : "transport failed", hr);
    else if (resp->status < 300)
        on_success(a, r, resp);
    else if ((resp->status == 401 || resp->status == 407) && retry_with_auth(a, r, resp))
        return;
    else if (!retry_interval(a, r, resp))
        finish(a, r, RTCPM_SIP_REG_REJECTED, resp, NULL, S_OK);
}

/* RFC 5626 4.4.1 (UDP): CRLF CRLF to the registrar while registered; the NAT binding the
 * registrar reaches us through stays open between refreshes. */
static void keepalive(struct rtcpm_sip_agent *a, struct rtcpm_sip_reg *r, uint64_t now, uint64_t *next)
{
    if (!r->keepalive_ms || !r->active || r->unregistering || r->done)
    {
        r->keepalive_at = 0;
        return;
    }
    if (!r->keepalive_at) r->keepalive_at = now + r->keepalive_ms;
    if (now >= r->keepalive_at)
    {
        rtcpm_sip_tp_send(a, r->tp, &r->next_hop, "\r\n\r\n", 4);
        r->keepalive_at = now + r->keepalive_ms;
    }
    if (r->keepalive_at < *next) *next = r->keepalive_at;
}

void rtcpm_sip_reg_tick(struct rtcpm_sip_agent *a, uint64_t now, uint64_t *next)
{
    struct rtcpm_sip_reg **pp = &a->regs, *r;
    while ((r = *pp))
    {
        if (r->kick || (r->active && r->refresh_at && now >= r->refresh_at))
        {
            r->kick = 0;
            r->refresh_at = 0;
            r->auth_tries = 0;
            send_or_fail(a, r);
        }
        if (r->active && r->refresh_at && r->refresh_at < *next) *next = r->refresh_at;
        keepalive(a, r, now, next);
        if (!r->user_ref && r->done && !r->txn)
        {
            *pp = r->next;
            rtcpm_sip_reg_put(a, r);
            continue;
        }
        pp = &r->next;
    }
}

void rtcpm_sip_reg_free_all(struct rtcpm_sip_agent *a)
{
    struct rtcpm_sip_reg *r;
    while ((r = a->regs))
    {
        a->regs = r->next;
        r->tp = NULL; /* the sockets go with the agent */
        r->txn = NULL;
        r->agent_ref = 1;
        rtcpm_sip_reg_put(a, r);
    }
}

/* ---- the public side ---- */

static HRESULT check_params(const struct rtcpm_sip_reg_params *p)
{
    int secure;
    char user[SIP_TEXT_USER_MAX + 1];
    if (FAILED(rtcpm_sip_text_parse_uri(p->aor, &secure, user, sizeof(user)))) return E_INVALIDARG;
    if (p->registrar_uri && !rtcpm_sip_build_is_uri(p->registrar_uri)) return E_INVALIDARG;
    if (!rtcpm_sip_valid_value(p->display_name) || !rtcpm_sip_valid_value(p->cred.username) ||
        !rtcpm_sip_valid_value(p->cred.realm) || (p->cred.password && strpbrk(p->cred.password, "\r\n")))
        return E_INVALIDARG;
    return rtcpm_sip_flow_check(&p->flow);
}

static HRESULT copy_params(struct rtcpm_sip_reg *r, const struct rtcpm_sip_reg_params *p)
{
    char domain[512];
    r->aor = rtcpm_sip_strdup(p->aor);
    r->display = rtcpm_sip_strdup(p->display_name);
    r->registrar_uri = rtcpm_sip_strdup(p->registrar_uri);
    r->username = rtcpm_sip_strdup(p->cred.username);
    r->password = rtcpm_sip_strdup(p->cred.password);
    r->realm = rtcpm_sip_strdup(p->cred.realm);
    if (p->registrar_uri)
        r->request_uri = rtcpm_sip_strdup(p->registrar_uri);
    else if (rtcpm_sip_msg_domain_uri(p->aor, domain, sizeof(domain)) == SIP_MSG_OK)
        r->request_uri = rtcpm_sip_strdup(domain);
    else
        return E_INVALIDARG;
    if (!r->aor || (p->display_name && !r->display) || (p->registrar_uri && !r->registrar_uri) ||
        (p->cred.username && !r->username) || (p->cred.password && !r->password) || (p->cred.realm && !r->realm) ||
        !r->request_uri)
        return E_OUTOFMEMORY;
    r->expires_s = p->expires_s ? p->expires_s : 3600;
    r->refresh_ms = p->refresh_ms;
    r->keepalive_ms = p->flow.transport == RTCTR_UDP ? p->keepalive_ms : 0;
    r->next_hop = p->flow.next_hop;
    if (rtcpm_sip_random_token(r->call_id, 24) || rtcpm_sip_random_token(r->from_tag, 16)) return E_FAIL;
    strcat(r->call_id, "@rtcpm");
    return S_OK;
}

HRESULT rtcpm_sip_reg_start(rtcpm_sip_agent *a, const struct rtcpm_sip_reg_params *params, rtcpm_sip_reg_cb cb,
                            void *ctx, rtcpm_sip_reg **out)
{
    struct rtcpm_sip_reg *r;
    HRESULT hr;
    if (!out) return E_POINTER;
    *out = NULL;
    if (!a || !params || !cb) return E_POINTER;
    if (FAILED(hr = check_params(params))) return hr;
    if (!(r = calloc(1, sizeof(*r)))) return E_OUTOFMEMORY;
    if (FAILED(hr = copy_params(r, params)))
    {
        free_reg(r);
        return hr;
    }
    rtcpm_lock_acquire(&a->lock);
    if (a->stopping || a->stopped)
        hr = RTC_E_SIP_STACK_SHUTDOWN;
    else if (SUCCEEDED(hr = rtcpm_sip_tp_acquire(a, &params->flow, &r->tp)))
    {
        r->bound = r->tp->bound;
        rtcpm_sip_flow_contact(&params->flow, r->tp, &r->contact_addr);
        hr = rtcpm_sip_contact_uri(r->aor, &r->contact_addr, params->flow.transport, r->contact_uri,
                                   sizeof(r->contact_uri));
        if (FAILED(hr)) rtcpm_sip_tp_release(a, r->tp);
    }
    if (FAILED(hr))
    {
        rtcpm_lock_release(&a->lock);
        free_reg(r);
        return hr;
    }
    atomic_fetch_add(&a->refs, 1);
    r->agent = a;
    r->cb = cb;
    r->ctx = ctx;
    r->user_ref = r->agent_ref = 1;
    r->kick = 1;
    r->next = a->regs;
    a->regs = r;
    rtcpm_sip_agent_reg_event(a, r, RTCPM_SIP_REG_REGISTERING, 0, "registering", S_OK, 0);
    rtcpm_lock_release(&a->lock);
    *out = r;
    return S_OK;
}

HRESULT rtcpm_sip_reg_stop(rtcpm_sip_reg *r)
{
    struct rtcpm_sip_agent *a;
    HRESULT hr = S_OK;
    if (!r) return E_POINTER;
    a = r->agent;
    rtcpm_lock_acquire(&a->lock);
    if (r->unregistering || a->stopped || !r->user_ref)
        hr = S_FALSE;
    else if (r->done)
    {
        r->unregistering = 1;
        rtcpm_sip_agent_reg_event(a, r, RTCPM_SIP_REG_NOT_REGISTERED, 0, "not registered", S_OK, 0);
    }
    else
    {
        rtcpm_sip_txn_detach(r->txn); /* an unanswered REGISTER is abandoned */
        r->txn = NULL;
        r->unregistering = 1;
        r->kick = 1;
        rtcpm_sip_agent_reg_event(a, r, RTCPM_SIP_REG_UNREGISTERING, 0, "unregistering", S_OK, 0);
    }
    rtcpm_lock_release(&a->lock);
    return hr;
}

void rtcpm_sip_reg_release(rtcpm_sip_reg *r)
{
    struct rtcpm_sip_agent *a;
    int free_now;
    if (!r) return;
    a = r->agent;
    rtcpm_lock_acquire(&a->lock);
    r->cb = NULL;
    rtcpm_sip_agent_wait_dispatch(a, r); /* drops the lock while waiting: r must stay ours */
    r->user_ref = 0;
    if (!a->stopped && !r->done && !r->unregistering)
    {
        /* still registered (or registering): take it back quietly */
        rtcpm_sip_txn_detach(r->txn);
        r->txn = NULL;
        r->unregistering = 1;
        r->kick = 1;
        rtcpm_sip_agent_wake(a);
    }
    free_now = a->stopped && !r->agent_ref;
    rtcpm_lock_release(&a->lock);
    if (free_now)
    {
        free_reg(r);
        rtcpm_sip_agent_release_ref(a);
    }
}

HRESULT rtcpm_sip_reg_local_addr(rtcpm_sip_reg *r, rtcpm_addr *local, rtcpm_addr *contact)
{
    if (!r || !local || !contact) return E_POINTER;
    rtcpm_lock_acquire(&r->agent->lock);
    *local = r->bound;
    *contact = r->contact_addr;
    rtcpm_lock_release(&r->agent->lock);
    return S_OK;
}
