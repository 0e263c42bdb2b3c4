/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_agent.c — the SIP engine's lifetime, its worker loop, and the queue of state changes
 * handed to the callbacks. See sip_agent.h (contract) and sip_agent_private.h (insides).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sip_agent_private.h"

struct sip_agent_event
{
    struct sip_agent_event *next;
    struct rtcpm_sip_reg *reg; /* one of the two, holding an agent-side reference */
    struct rtcpm_sip_call *call;
    struct rtcpm_sip_reg_event reg_ev;
    struct rtcpm_sip_call_event call_ev;
    char *reason, *content_type, *body;
};

HRESULT rtcpm_sip_status_hresult(int status_code)
{
    if (status_code < 100 || status_code > 699) return E_INVALIDARG;
    return (HRESULT)((status_code < 300 ? 0x00EF0000u : 0x80EF0000u) | (unsigned)status_code);
}

void rtcpm_sip_timers_default(struct rtcpm_sip_timers *t)
{
    t->t1_ms = 500;
    t->t2_ms = 4000;
    t->t4_ms = 5000;
}

const char *rtcpm_sip_reg_state_name(enum rtcpm_sip_reg_state s)
{
    static const char *const names[] = { "RTCPM_SIP_REG_NOT_REGISTERED", "RTCPM_SIP_REG_REGISTERING",
                                         "RTCPM_SIP_REG_REGISTERED",     "RTCPM_SIP_REG_REJECTED",
                                         "RTCPM_SIP_REG_UNREGISTERING",  "RTCPM_SIP_REG_ERROR" };
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "RTCPM_SIP_REG_?";
}

const char *rtcpm_sip_call_state_name(enum rtcpm_sip_call_state s)
{
    static const char *const names[] = {
        "RTCPM_SIP_CALL_?",         "RTCPM_SIP_CALL_INPROGRESS",    "RTCPM_SIP_CALL_PROCEEDING",
        "RTCPM_SIP_CALL_CONNECTED", "RTCPM_SIP_CALL_DISCONNECTING", "RTCPM_SIP_CALL_DISCONNECTED",
        "RTCPM_SIP_CALL_INCOMING"
    };
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "RTCPM_SIP_CALL_?";
}

uint64_t rtcpm_sip_agent_t1(const struct rtcpm_sip_agent *a) { return a->timers.t1_ms; }

void rtcpm_sip_agent_wake(struct rtcpm_sip_agent *a)
{
    if (a->waker) rtcpm_waker_wake(a->waker);
}

/* ---- events ---- */

static struct sip_agent_event *new_event(struct rtcpm_sip_agent *a, const char *reason)
{
    struct sip_agent_event *e = calloc(1, sizeof(*e));
    if (!e) return NULL;
    e->reason = rtcpm_sip_strdup(reason ? reason : "");
    if (!e->reason)
    {
        free(e);
        return NULL;
    }
    *a->events_tail = e;
    a->events_tail = &e->next;
    return e;
}

void rtcpm_sip_agent_reg_event(struct rtcpm_sip_agent *a, struct rtcpm_sip_reg *r, enum rtcpm_sip_reg_state s,
                               int status, const char *reason, HRESULT hr, unsigned expires)
{
    struct sip_agent_event *e;
    r->state = s;
    if (!r->cb || !(e = new_event(a, reason))) return;
    e->reg = r;
    r->agent_ref++;
    e->reg_ev.state = s;
    e->reg_ev.status_code = status;
    e->reg_ev.hr = hr;
    e->reg_ev.expires_s = expires;
    rtcpm_sip_agent_wake(a);
}

void rtcpm_sip_agent_call_event_ex(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, enum rtcpm_sip_call_state s,
                                   int status, const char *reason, HRESULT hr, int by_peer,
                                   const struct rtcpm_sip_msg *body_of)
{
    struct sip_agent_event *e;
    if (c->silent || !c->cb || !(e = new_event(a, reason))) return;
    e->call = c;
    c->agent_ref++;
    e->call_ev.state = s;
    e->call_ev.status_code = status;
    e->call_ev.hr = hr;
    e->call_ev.by_peer = by_peer;
    if (body_of && body_of->body.n)
    {
        e->body = malloc(body_of->body.n + 1);
        e->content_type = malloc(body_of->content_type.n + 1);
        if (e->body && e->content_type)
        {
            memcpy(e->body, body_of->body.p, body_of->body.n);
            e->body[body_of->body.n] = 0;
            rtcpm_sip_span_copy(e->content_type, body_of->content_type.n + 1, body_of->content_type);
            e->call_ev.body_len = body_of->body.n;
        }
    }
    rtcpm_sip_agent_wake(a);
}

void rtcpm_sip_agent_call_event(struct rtcpm_sip_agent *a, struct rtcpm_sip_call *c, enum rtcpm_sip_call_state s,
                                const struct rtcpm_sip_msg *resp, const char *reason, HRESULT hr, int by_peer)
{
    char phrase[256] = "";
    if (resp) rtcpm_sip_span_copy(phrase, sizeof(phrase), resp->reason);
    rtcpm_sip_agent_call_event_ex(a, c, s, resp ? resp->status : 0, resp ? phrase : reason, hr, by_peer,
                                  resp && (s == RTCPM_SIP_CALL_PROCEEDING || s == RTCPM_SIP_CALL_CONNECTED) ? resp
                                                                                                            : NULL);
}

static void free_event(struct rtcpm_sip_agent *a, struct sip_agent_event *e)
{
    if (e->reg) rtcpm_sip_reg_put(a, e->reg);
    if (e->call) rtcpm_sip_call_put(a, e->call);
    free(e->reason);
    free(e->content_type);
    free(e->body);
    free(e);
}

/* Runs one queued event's callback with the lock dropped. */
static void dispatch_one(struct rtcpm_sip_agent *a, struct sip_agent_event *e)
{
    rtcpm_sip_reg_cb rcb = e->reg ? e->reg->cb : NULL;
    rtcpm_sip_call_cb ccb = e->call && !e->call->silent ? e->call->cb : NULL;
    if (!rcb && !ccb) return;
    a->dispatching = e->reg ? (const void *)e->reg : (const void *)e->call;
    e->reg_ev.reason = e->call_ev.reason = e->reason;
    e->call_ev.content_type = e->content_type ? e->content_type : "";
    e->call_ev.body = e->body;
    if (e->call)
    {
        e->call_ev.remote_uri = e->call->remote_uri ? e->call->remote_uri : "";
        e->call_ev.remote_display = e->call->remote_display ? e->call->remote_display : "";
    }
    rtcpm_lock_release(&a->lock);
    if (rcb) rcb(e->reg->ctx, e->reg, &e->reg_ev);
    if (ccb) ccb(e->call->ctx, e->call, &e->call_ev);
    rtcpm_lock_acquire(&a->lock);
    a->dispatching = NULL;
    rtcpm_cond_broadcast(&a->cond);
}

static void dispatch_events(struct rtcpm_sip_agent *a)
{
    struct sip_agent_event *e;
    while ((e = a->events) && !a->stopping)
    {
        a->events = e->next;
        if (!a->events) a->events_tail = &a->events;
        dispatch_one(a, e);
        free_event(a, e);
    }
}

void rtcpm_sip_agent_wait_dispatch(struct rtcpm_sip_agent *a, const void *obj)
{
    if (rtcpm_thread_is_current(a->thread)) return;
    while (a->dispatching == obj) rtcpm_cond_wait(&a->cond, &a->lock, -1);
}

/* ---- the worker ---- */

static int wait_ms(uint64_t now, uint64_t next)
{
    if (next == UINT64_MAX) return 1000; /* nothing armed: look again now and then */
    if (next <= now) return 0;
    return next - now > 1000 ? 1000 : (int)(next - now);
}

static void worker(void *arg)
{
    struct rtcpm_sip_agent *a = arg;
    struct rtcpm_poll_item items[AGENT_MAX_SOCKETS];
    rtcpm_lock_acquire(&a->lock);
    while (!a->stopping)
    {
        uint64_t now = rtcpm_clock_ms(), next = UINT64_MAX;
        size_t n;
        int timeout;
        rtcpm_sip_tp_tick(a, now, &next);
        rtcpm_sip_txn_tick(a, now, &next);
        rtcpm_sip_reg_tick(a, now, &next);
        rtcpm_sip_call_tick(a, now, &next);
        dispatch_events(a);
        if (a->events || a->stopping) continue;
        n = rtcpm_sip_tp_poll_set(a, items, AGENT_MAX_SOCKETS);
        timeout = wait_ms(rtcpm_clock_ms(), next);
        if (!a->waker && timeout > 20) timeout = 20; /* no waker: look at the queue often */
        rtcpm_lock_release(&a->lock);
        if (rtcpm_socket_poll(items, n, a->waker, timeout) > 0)
        {
            rtcpm_lock_acquire(&a->lock);
            rtcpm_sip_tp_ready(a, items, n);
        }
        else
            rtcpm_lock_acquire(&a->lock);
    }
    rtcpm_lock_release(&a->lock);
}

HRESULT rtcpm_sip_agent_start(const struct rtcpm_sip_agent_config *cfg, rtcpm_sip_agent **out)
{
    struct rtcpm_sip_agent *a;
    if (!out) return E_POINTER;
    *out = NULL;
    if (!cfg) return E_POINTER;
    if ((cfg->user_agent && !rtcpm_sip_valid_value(cfg->user_agent)) || !(a = calloc(1, sizeof(*a))))
        return cfg->user_agent && !rtcpm_sip_valid_value(cfg->user_agent) ? E_INVALIDARG : E_OUTOFMEMORY;
    rtcpm_sip_timers_default(&a->timers);
    if (cfg->timers.t1_ms) a->timers.t1_ms = cfg->timers.t1_ms;
    if (cfg->timers.t2_ms) a->timers.t2_ms = cfg->timers.t2_ms;
    if (cfg->timers.t4_ms) a->timers.t4_ms = cfg->timers.t4_ms;
    snprintf(a->user_agent, sizeof(a->user_agent), "%s",
             cfg->user_agent ? cfg->user_agent : "rtcpm/" RTCPM_VERSION_TEXT);
    a->tcp_connect_timeout_ms = cfg->tcp_connect_timeout_ms ? cfg->tcp_connect_timeout_ms : 64 * a->timers.t1_ms;
    a->trace = cfg->trace;
    a->trace_ctx = cfg->trace_ctx;
    a->events_tail = &a->events;
    atomic_init(&a->refs, 1);
    rtcpm_lock_init(&a->lock);
    rtcpm_cond_init(&a->cond);
    if (!(a->udp_buf = malloc(65508)) || rtcpm_net_init(NULL) != RTCPM_SOCK_OK) goto fail_net;
    if (rtcpm_waker_open(&a->waker) != RTCPM_SOCK_OK) a->waker = NULL; /* polls every 20 ms instead */
    if (rtcpm_thread_start(&a->thread, worker, a)) goto fail;
    *out = a;
    return S_OK;
fail:
    rtcpm_waker_close(a->waker);
    rtcpm_net_cleanup();
fail_net:
    rtcpm_cond_destroy(&a->cond);
    rtcpm_lock_destroy(&a->lock);
    free(a->udp_buf);
    free(a);
    return E_FAIL;
}

void rtcpm_sip_agent_release_ref(struct rtcpm_sip_agent *a)
{
    if (atomic_fetch_sub(&a->refs, 1) != 1) return;
    free(a->udp_buf);
    rtcpm_cond_destroy(&a->cond);
    rtcpm_lock_destroy(&a->lock);
    free(a);
}

HRESULT rtcpm_sip_agent_stop(rtcpm_sip_agent *a)
{
    struct sip_agent_event *e;
    if (!a) return S_OK;
    if (rtcpm_thread_is_current(a->thread)) return E_UNEXPECTED;
    rtcpm_lock_acquire(&a->lock);
    a->stopping = 1;
    rtcpm_sip_agent_wake(a);
    rtcpm_lock_release(&a->lock);
    rtcpm_thread_join(a->thread);
    rtcpm_lock_acquire(&a->lock);
    a->thread = NULL;
    a->stopped = 1;
    while ((e = a->events))
    {
        a->events = e->next;
        free_event(a, e);
    }
    a->events_tail = &a->events;
    rtcpm_sip_listen_free_all(a);
    rtcpm_sip_call_free_all(a);
    rtcpm_sip_reg_free_all(a);
    rtcpm_sip_txn_free_all(a);
    rtcpm_sip_tp_free_all(a);
    rtcpm_lock_release(&a->lock);
    rtcpm_waker_close(a->waker);
    rtcpm_net_cleanup();
    rtcpm_sip_agent_release_ref(a);
    return S_OK;
}
