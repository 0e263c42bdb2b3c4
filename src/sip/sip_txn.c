/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_txn.c — client transactions (RFC 3261 section 17.1) for the engine: retransmission
 * (Timer A / E), giving up (Timer B / F), absorbing retransmitted finals (Timer D / K), the
 * ACK of a 3xx-6xx inside the INVITE transaction. A transaction calls its owner for every
 * provisional, for the final, and on a timeout or transport failure — never after that.
 */
#include <stdlib.h>
#include <string.h>
#include "sip_agent_private.h"

static uint64_t t1(const struct rtcpm_sip_agent *a) { return a->timers.t1_ms; }

static void notify(struct rtcpm_sip_agent *a, struct sip_txn *t, const struct rtcpm_sip_msg *resp, HRESULT hr)
{
    if (t->cb) t->cb(a, t->owner, t, resp, hr);
}

HRESULT rtcpm_sip_txn_start(struct rtcpm_sip_agent *a, struct sip_tp *tp, const rtcpm_addr *dest, int invite,
                            const char *method, const char *branch, const char *req, size_t len, txn_cb cb, void *owner,
                            struct sip_txn **out)
{
    uint64_t now = rtcpm_clock_ms();
    struct sip_txn *t;
    HRESULT hr;

    *out = NULL;
    if (strlen(branch) >= sizeof(t->branch) || strlen(method) >= sizeof(t->method)) return E_INVALIDARG;
    if (!(t = calloc(1, sizeof(*t))) || !(t->req = malloc(len)))
    {
        free(t);
        return E_OUTOFMEMORY;
    }
    if (FAILED(hr = rtcpm_sip_tp_send(a, tp, dest, req, len)))
    {
        free(t->req);
        free(t);
        return hr;
    }
    memcpy(t->req, req, len);
    t->req_len = len;
    t->invite = invite;
    strcpy(t->branch, branch);
    strcpy(t->method, method);
    t->tp = tp;
    tp->refs++;
    t->dest = *dest;
    t->cb = cb;
    t->owner = owner;
    t->state = TXN_CALLING;
    t->timeout_at = now + 64 * t1(a);
    if (!rtcpm_sip_tp_reliable(tp))
    {
        t->interval = t1(a);
        t->retransmit_at = now + t->interval;
    }
    t->next = a->txns;
    a->txns = t;
    *out = t;
    rtcpm_sip_agent_wake(a); /* the worker arms the timers */
    return S_OK;
}

static struct sip_txn *find(struct rtcpm_sip_agent *a, const struct sip_tp *tp, const struct rtcpm_sip_msg *resp)
{
    struct sip_txn *t;
    for (t = a->txns; t; t = t->next)
        if (t->tp == tp && rtcpm_sip_span_eq(resp->via.branch, t->branch) &&
            rtcpm_sip_span_eq(resp->cseq_method, t->method))
            return t;
    return NULL;
}

static void on_invite_response(struct rtcpm_sip_agent *a, struct sip_txn *t, const struct rtcpm_sip_msg *resp)
{
    int reliable = rtcpm_sip_tp_reliable(t->tp);
    if (t->state == TXN_COMPLETED)
    {
        /* a retransmitted final: our ACK got lost */
        if (resp->status >= 300 && t->ack) rtcpm_sip_tp_send(a, t->tp, &t->dest, t->ack, t->ack_len);
        return;
    }
    if (t->state == TXN_TERMINATED) return;
    t->retransmit_at = 0;
    if (resp->status < 200)
    {
        if (t->state == TXN_CALLING) t->timeout_at = 0; /* no Timer B once something came back */
        t->state = TXN_PROCEEDING;
    }
    else if (resp->status < 300)
        t->state = TXN_TERMINATED; /* the dialog ACKs 2xx and their retransmissions */
    else
    {
        t->state = TXN_COMPLETED;
        t->timeout_at = 0;
        t->end_at = rtcpm_clock_ms() + (reliable ? 0 : 64 * t1(a));
    }
    notify(a, t, resp, S_OK);
    if (t->state != TXN_PROCEEDING) t->cb = NULL;
}

static void on_other_response(struct rtcpm_sip_agent *a, struct sip_txn *t, const struct rtcpm_sip_msg *resp)
{
    if (t->state == TXN_COMPLETED || t->state == TXN_TERMINATED) return;
    if (resp->status < 200)
    {
        if (t->state == TXN_CALLING && t->retransmit_at)
        {
            t->interval = a->timers.t2_ms;
            t->retransmit_at = rtcpm_clock_ms() + t->interval;
        }
        t->state = TXN_PROCEEDING;
    }
    else
    {
        t->state = TXN_COMPLETED;
        t->retransmit_at = t->timeout_at = 0;
        t->end_at = rtcpm_clock_ms() + (rtcpm_sip_tp_reliable(t->tp) ? 0 : a->timers.t4_ms);
    }
    notify(a, t, resp, S_OK);
    if (t->state == TXN_COMPLETED) t->cb = NULL;
}

int rtcpm_sip_txn_on_response(struct rtcpm_sip_agent *a, struct sip_tp *tp, const struct rtcpm_sip_msg *resp)
{
    struct sip_txn *t = find(a, tp, resp);
    if (!t) return 0;
    if (t->invite)
        on_invite_response(a, t, resp);
    else
        on_other_response(a, t, resp);
    return 1;
}

void rtcpm_sip_txn_set_ack(struct rtcpm_sip_agent *a, struct sip_txn *t, const char *ack, size_t len)
{
    free(t->ack);
    if (!(t->ack = malloc(len))) return;
    memcpy(t->ack, ack, len);
    t->ack_len = len;
    rtcpm_sip_tp_send(a, t->tp, &t->dest, ack, len);
}

void rtcpm_sip_txn_detach(struct sip_txn *t)
{
    if (!t) return;
    t->cb = NULL;
    t->retransmit_at = 0;
}

void rtcpm_sip_txn_arm_timeout(struct rtcpm_sip_agent *a, struct sip_txn *t)
{
    if (t->state == TXN_CALLING || t->state == TXN_PROCEEDING)
    {
        uint64_t at = rtcpm_clock_ms() + 64 * t1(a);
        if (!t->timeout_at || at < t->timeout_at) t->timeout_at = at;
        rtcpm_sip_agent_wake(a);
    }
}

static void free_txn(struct rtcpm_sip_agent *a, struct sip_txn *t)
{
    rtcpm_sip_tp_release(a, t->tp);
    free(t->req);
    free(t->ack);
    free(t);
}

static void earliest(uint64_t at, uint64_t *next)
{
    if (at && at < *next) *next = at;
}

/* Timers of one live transaction. */
static void tick_one(struct rtcpm_sip_agent *a, struct sip_txn *t, uint64_t now)
{
    if (t->state == TXN_COMPLETED && now >= t->end_at) t->state = TXN_TERMINATED;
    if (t->state == TXN_TERMINATED) return;
    if (t->timeout_at && now >= t->timeout_at)
    {
        t->state = TXN_TERMINATED;
        notify(a, t, NULL, RTC_E_SIP_TIMEOUT);
        t->cb = NULL;
        return;
    }
    if (t->retransmit_at && now >= t->retransmit_at)
    {
        rtcpm_sip_tp_send(a, t->tp, &t->dest, t->req, t->req_len);
        if (t->invite)
            t->interval *= 2; /* Timer A: doubles without a cap */
        else
            t->interval =
                t->state == TXN_PROCEEDING || 2 * t->interval > a->timers.t2_ms ? a->timers.t2_ms : 2 * t->interval;
        t->retransmit_at = now + t->interval;
    }
}

void rtcpm_sip_txn_tick(struct rtcpm_sip_agent *a, uint64_t now, uint64_t *next)
{
    struct sip_txn **pp = &a->txns, *t;
    while ((t = *pp))
    {
        tick_one(a, t, now);
        if (t->state == TXN_TERMINATED)
        {
            *pp = t->next;
            free_txn(a, t);
            continue;
        }
        earliest(t->retransmit_at, next);
        earliest(t->timeout_at, next);
        if (t->state == TXN_COMPLETED) earliest(t->end_at, next);
        pp = &t->next;
    }
}

void rtcpm_sip_txn_tp_failed(struct rtcpm_sip_agent *a, struct sip_tp *tp, HRESULT hr)
{
    struct sip_txn *t;
    for (t = a->txns; t; t = t->next)
    {
        if (t->tp != tp || t->state == TXN_TERMINATED) continue;
        t->state = TXN_TERMINATED;
        notify(a, t, NULL, hr);
        t->cb = NULL;
    }
}

void rtcpm_sip_txn_free_all(struct rtcpm_sip_agent *a)
{
    struct sip_txn *t;
    while ((t = a->txns))
    {
        a->txns = t->next;
        free_txn(a, t);
    }
}
