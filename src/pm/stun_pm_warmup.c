/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stun_pm_warmup.c — the STUN port manager's worker thread: right after creation one
 * background discovery per address family (warm-up: the first GetMappingEx then finds a
 * cached port and a verdict instead of paying for both), and again every refresh seconds.
 * Calls wait for the first warm-up within their budget (rtcpm_stun_pm_wait_warm_up).
 */
#include <string.h>
#include "pm/stun_pm_private.h"
#include "com/log.h"

int rtcpm_stun_pm_worker_cancelled(void *ctx)
{
    struct stun_pm *pm = ctx;
    int stop;
    rtcpm_lock_acquire(&pm->lock);
    stop = pm->stopping;
    rtcpm_lock_release(&pm->lock);
    return stop;
}

/* One background SIP/UDP mapping per family that has servers, the first server's first. */
static void warm_up_pass(struct stun_pm *pm)
{
    int families[2] = { pm->set.servers[0].family,
                        pm->set.servers[0].family == RTCPM_AF_INET ? RTCPM_AF_INET6 : RTCPM_AF_INET };
    size_t i;
    for (i = 0; i < 2; i++)
    {
        rtcpm_addr servers[RTCPM_STUN_PM_MAX_SERVERS];
        struct stun_call call;
        struct rtcpm_mapping m;
        char why[STUN_PM_WHY_MAX] = "";
        HRESULT hr;

        if (rtcpm_stun_pm_worker_cancelled(pm)) return;
        if (!rtcpm_stun_pm_servers_of(pm, families[i], servers)) continue;
        memset(&call, 0, sizeof(call));
        call.type = RTCPT_SIP;
        call.transport = RTCTR_UDP;
        call.remote.family = (uint8_t)families[i]; /* picks the family only: no address is used */
        call.deadline = rtcpm_clock_ms() + pm->set.timeout_ms;
        call.background = 1;
        hr = rtcpm_stun_pm_make_mapping(pm, &call, &m, why, sizeof(why));
        RTCPM_TRACE(RTCPM_LOG_PM, "warm-up %s: %s", families[i] == RTCPM_AF_INET ? "IPv4" : "IPv6",
                    SUCCEEDED(hr) ? "done" : why);
    }
}

/* Sleeps until the next refresh or until the object stops. Locked. */
static void wait_refresh(struct stun_pm *pm)
{
    uint64_t next = rtcpm_clock_ms() + (uint64_t)pm->set.refresh_s * 1000u;
    while (!pm->stopping)
    {
        uint64_t left = stun_pm_ms_left(next);
        if (!left) break;
        rtcpm_cond_wait(&pm->cond, &pm->lock, (long)left);
    }
}

static void worker_main(void *arg)
{
    struct stun_pm *pm = arg;
    int first = 1;

    rtcpm_lock_acquire(&pm->lock);
    for (;;)
    {
        if (pm->stopping) break;
        if (!first || pm->set.warm_up)
        {
            rtcpm_lock_release(&pm->lock);
            warm_up_pass(pm);
            rtcpm_lock_acquire(&pm->lock);
            pm->stats.warm_ups++;
        }
        first = 0;
        pm->warming = 0;
        rtcpm_cond_broadcast(&pm->cond);
        if (!pm->set.refresh_s) break;
        wait_refresh(pm);
    }
    pm->warming = 0;
    rtcpm_cond_broadcast(&pm->cond);
    rtcpm_lock_release(&pm->lock);
}

void rtcpm_stun_pm_worker_start(struct stun_pm *pm)
{
    if (!pm->set.warm_up && !pm->set.refresh_s) return;
    pm->warming = pm->set.warm_up;
    if (rtcpm_thread_start(&pm->worker, worker_main, pm))
    {
        RTCPM_TRACE(RTCPM_LOG_PM, "no worker thread: no warm-up, no refresh");
        pm->warming = 0;
    }
}

void rtcpm_stun_pm_worker_stop(struct stun_pm *pm)
{
    if (!pm->worker) return;
    rtcpm_lock_acquire(&pm->lock);
    pm->stopping = 1;
    rtcpm_cond_broadcast(&pm->cond);
    rtcpm_lock_release(&pm->lock);
    rtcpm_thread_join(pm->worker);
    pm->worker = NULL;
}

int rtcpm_stun_pm_wait_warm_up(struct stun_pm *pm, uint64_t deadline)
{
    int warming;
    rtcpm_lock_acquire(&pm->lock);
    while (pm->warming)
    {
        uint64_t left = deadline == UINT64_MAX ? 0 : stun_pm_ms_left(deadline);
        if (deadline != UINT64_MAX && !left) break;
        rtcpm_cond_wait(&pm->cond, &pm->lock, deadline == UINT64_MAX ? -1 : (long)left);
    }
    warming = pm->warming;
    rtcpm_lock_release(&pm->lock);
    return warming;
}
