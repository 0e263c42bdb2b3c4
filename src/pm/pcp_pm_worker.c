/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcp_pm_worker.c — the PCP port manager's worker thread: renews every lease at half its
 * lifetime, listens for the server's unsolicited announcements (PCP ANNOUNCE, NAT-PMP's
 * address change) on 224.0.0.1:<announce-port>, and re-creates every lease when the NAT
 * lost its state. Locks: pcp_pm_private.h.
 */
#include <stdio.h>
#include <string.h>

#include "com/log.h"
#include "pm/pcp_pm_private.h"

#define WAIT_SLICE_MS      100  /* longest wait between looks at `stopping` with a socket */
#define RETRY_MIN_MS       1000 /* a failed renewal is tried again after this at least */
#define RETRY_MAX_MS       30000
#define ANNOUNCE_JITTER_MS 500 /* RFC 6887 14.1.1 asks 0..5 s; a call in progress cannot wait that */

/* (locked) The lease due first (not busy), or NULL; *next_ms: when the next one is due. */
static struct pcp_lease *due_lease(struct pcp_pm *pm, uint64_t now, uint64_t *next_ms)
{
    size_t i;
    *next_ms = UINT64_MAX;
    for (i = 0; i < pm->lease_count; i++)
    {
        struct pcp_lease *l = &pm->leases[i];
        if (l->busy) continue;
        if (l->renew_at_ms <= now) return l;
        if (l->renew_at_ms < *next_ms) *next_ms = l->renew_at_ms;
    }
    return NULL;
}

/* (locked) What a renewal's outcome changes in the lease l (found again after it). */
static void settle(struct pcp_pm *pm, struct pcp_lease *l, const struct pcp_lease *done, HRESULT hr, const char *why)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], a2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], a3[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    uint64_t now = rtcpm_clock_ms();
    l->peer_live = done->peer_live; /* the PEER goes with the MAP (pcp_pm_peer.c) */
    if (FAILED(hr))
    {
        uint64_t retry = (uint64_t)l->lifetime * 1000u / 8u;
        retry = retry < RETRY_MIN_MS ? RETRY_MIN_MS : retry > RETRY_MAX_MS ? RETRY_MAX_MS : retry;
        pm->stats.failures++;
        l->renew_at_ms = now + retry;
        rtcpm_pcp_pm_event(pm, "%s of %s %s failed (tried again in %llu ms): %s",
                           l->recreate ? "re-creation" : "renewal", rtcpm_pm_transport_name(l->transport),
                           rtcpm_addr_hostport_text(&l->internal, a1), (unsigned long long)retry, why);
        return;
    }
    if (l->recreate)
        pm->stats.recreations++;
    else
        pm->stats.renewals++;
    if (!rtcpm_addr_equal(&done->actual, &l->actual) || (l->recreate && !rtcpm_addr_equal(&done->actual, &l->told)))
    {
        if (rtcpm_addr_equal(&done->actual, &l->told))
            rtcpm_pcp_pm_event(pm, "%s %s: re-created as external %s, as RTC holds it",
                               rtcpm_pm_transport_name(l->transport), rtcpm_addr_hostport_text(&l->internal, a1),
                               rtcpm_addr_hostport_text(&done->actual, a2));
        else
            rtcpm_pcp_pm_event(pm, "%s %s: now external %s, RTC holds %s", rtcpm_pm_transport_name(l->transport),
                               rtcpm_addr_hostport_text(&l->internal, a1), rtcpm_addr_hostport_text(&done->actual, a2),
                               rtcpm_addr_hostport_text(&l->told, a3));
    }
    else if (l->recreate)
        rtcpm_pcp_pm_event(pm, "%s %s: re-created as external %s, as RTC holds it",
                           rtcpm_pm_transport_name(l->transport), rtcpm_addr_hostport_text(&l->internal, a1),
                           rtcpm_addr_hostport_text(&done->actual, a2));
    l->actual = done->actual;
    l->lifetime = done->lifetime;
    l->natpmp = done->natpmp;
    l->recreate = 0;
    l->renew_at_ms = now + (uint64_t)l->lifetime * 500u;
    l->expires_ms = now + (uint64_t)l->lifetime * 1000u;
}

/* (locked, drops it meanwhile) Renews or re-creates lease l. */
static void renew(struct pcp_pm *pm, struct pcp_lease *l)
{
    char why[PCP_PM_WHY_MAX] = "";
    struct pcp_lease copy = *l;
    uint64_t deadline = rtcpm_clock_ms() + pm->set.timeout_ms;
    HRESULT hr;

    l->busy = 1;
    rtcpm_lock_release(&pm->lock);
    hr = rtcpm_pcp_pm_request(pm, &copy, pm->set.lifetime_s, deadline, why, sizeof(why));
    rtcpm_lock_acquire(&pm->lock);
    l = rtcpm_pcp_pm_find_lease(pm, copy.transport, &copy.internal); /* a release waits while busy */
    if (!l) return;
    l->busy = 0;
    rtcpm_cond_broadcast(&pm->cond);
    if (l->released)
    {
        struct pcp_lease gone = *l;
        rtcpm_pcp_pm_drop_lease(pm, l);
        rtcpm_lock_release(&pm->lock);
        rtcpm_pcp_pm_request(pm, &gone, 0, rtcpm_clock_ms() + pm->set.timeout_ms, why, sizeof(why));
        rtcpm_lock_acquire(&pm->lock);
        return;
    }
    settle(pm, l, &copy, hr, why);
}

/* ---- announcements ---- */

/* (locked) One datagram on the announce socket. */
static void announced(struct pcp_pm *pm, const uint8_t *buf, size_t len, const rtcpm_addr *from)
{
    struct rtcpm_pcp_response r;
    struct rtcpm_natpmp_response n;
    struct pcp_server_state *st = &pm->srv[0]; /* announcements come on IPv4 */
    uint32_t epoch, before = st->epoch.server;
    char how[128], a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];

    if (st->addr.family == RTCPM_AF_NONE || !rtcpm_addr_equal_host(from, &st->addr)) return;
    if (!rtcpm_pcp_decode_response(buf, len, &r) && r.opcode == RTCPM_PCP_OP_ANNOUNCE && r.result == RTCPM_PCP_SUCCESS)
        epoch = r.epoch;
    else if (!rtcpm_natpmp_decode_response(buf, len, &n) && n.opcode == RTCPM_NATPMP_OP_ADDRESS && !n.result)
        epoch = n.epoch;
    else
        return;
    pm->stats.announces++;
    RTCPM_TRACE(RTCPM_LOG_PM, "announcement from %s, epoch %lu", rtcpm_addr_hostport_text(from, a1),
                (unsigned long)epoch);
    if (!pm->lease_count || !st->epoch.known) return;
    if (!rtcpm_pcp_epoch_update(&st->epoch, epoch, rtcpm_clock_ms())) return;
    snprintf(how, sizeof(how), "announced by %s: epoch %lu after %lu", rtcpm_addr_hostport_text(from, a1),
             (unsigned long)epoch, (unsigned long)before);
    rtcpm_pcp_pm_state_lost(pm, &st->addr, how, ANNOUNCE_JITTER_MS);
}

static rtcpm_socket *open_announce(struct pcp_pm *pm)
{
    static const uint8_t all_hosts[4] = { 224, 0, 0, 1 };
    rtcpm_socket *s = NULL;
    rtcpm_addr group;
    int os_error = 0, rc, joined = 0;
    if (!pm->set.announce) return NULL;
    rtcpm_addr_set_v4(&group, all_hosts, pm->set.announce_port);
    rc = rtcpm_socket_open_group(&s, &group, &pm->set.local_v4, &joined, &os_error);
    if (rc)
    {
        char os_text[128];
        RTCPM_TRACE(RTCPM_LOG_PM, "no ANNOUNCE listener on 224.0.0.1:%u: %s (%s)", pm->set.announce_port,
                    rtcpm_sock_error_name(rc), rtcpm_os_error_text(os_error, os_text, sizeof(os_text)));
        return NULL;
    }
    if (!joined)
    {
        char os_text[128];
        RTCPM_TRACE(RTCPM_LOG_PM, "224.0.0.1 not joined (%s): only unicast announcements reach port %u",
                    rtcpm_os_error_text(os_error, os_text, sizeof(os_text)), pm->set.announce_port);
    }
    return s;
}

/* (locked, drops it meanwhile) Waits until next_ms for an announcement or a wake-up. */
static void wait_for(struct pcp_pm *pm, rtcpm_socket *s, uint64_t next_ms)
{
    uint8_t buf[RTCPM_PCP_MAX_MESSAGE + 1];
    uint64_t left = pcp_pm_ms_left(next_ms);
    rtcpm_addr from;
    size_t got = 0;
    int rc;
    if (!s)
    {
        rtcpm_cond_wait(&pm->cond, &pm->lock, next_ms == UINT64_MAX ? -1 : (long)left);
        return;
    }
    rtcpm_lock_release(&pm->lock);
    rc = rtcpm_socket_recvfrom(s, buf, sizeof(buf), &got, &from, (int)(left < WAIT_SLICE_MS ? left : WAIT_SLICE_MS));
    rtcpm_lock_acquire(&pm->lock);
    if (rc == RTCPM_SOCK_OK) announced(pm, buf, got, &from);
}

static void worker_main(void *arg)
{
    struct pcp_pm *pm = arg;
    rtcpm_socket *s = pm->announce_sock;
    rtcpm_lock_acquire(&pm->lock);
    while (!pm->stopping)
    {
        uint64_t next;
        struct pcp_lease *l = due_lease(pm, rtcpm_clock_ms(), &next);
        if (l)
            renew(pm, l);
        else
            wait_for(pm, s, next);
    }
    rtcpm_lock_release(&pm->lock);
}

/* The announce socket is bound before the object is handed out: an announcement that comes
 * right after the first mapping must not find the port closed. */
void rtcpm_pcp_pm_worker_start(struct pcp_pm *pm)
{
    pm->announce_sock = open_announce(pm);
    if (rtcpm_thread_start(&pm->worker, worker_main, pm))
        RTCPM_TRACE(RTCPM_LOG_PM, "no worker thread: no renewal, no ANNOUNCE");
}

void rtcpm_pcp_pm_worker_stop(struct pcp_pm *pm)
{
    if (!pm->worker)
    {
        rtcpm_socket_close(pm->announce_sock);
        pm->announce_sock = NULL;
        return;
    }
    rtcpm_lock_acquire(&pm->lock);
    pm->stopping = 1;
    rtcpm_cond_broadcast(&pm->cond);
    rtcpm_lock_release(&pm->lock);
    rtcpm_thread_join(pm->worker);
    pm->worker = NULL;
    rtcpm_socket_close(pm->announce_sock);
    pm->announce_sock = NULL;
}

void rtcpm_pcp_pm_worker_wake(struct pcp_pm *pm)
{
    rtcpm_lock_acquire(&pm->lock);
    rtcpm_cond_broadcast(&pm->cond);
    rtcpm_lock_release(&pm->lock);
}
