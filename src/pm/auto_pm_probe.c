/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * auto_pm_probe.c — the automatic port manager's decision: the network it is made for
 * (default gateway, local address), the probes in the configured order, the verdict, and the
 * inner port managers it hands calls to. The decision table: include/rtcpm/auto_pm.h.
 */
#define COBJMACROS
#include <stdio.h>
#include <string.h>

#include "com/log.h"
#include "net/pcp_client.h"
#include "os/route.h"
#include "pm/auto_pm_private.h"
#include "pm/upnp_pm_private.h"

#define PCP_PROBE_MS 1000 /* requests at 0, 250, 750 ms */

static uint64_t left_ms(uint64_t deadline)
{
    uint64_t now = rtcpm_clock_ms();
    return deadline > now ? deadline - now : 0;
}

/* ---- the inner port managers ---- */

static HRESULT make_inner(struct auto_pm *pm, int mech, IRTCPortManager3 **out, char *why, size_t whylen)
{
    const struct auto_pm_settings *s = pm->set;
    if (mech == MECH_PCP || mech == MECH_NATPMP)
    {
        struct rtcpm_pcp_pm_config c;
        rtcpm_pcp_pm_config_init(&c);
        c.server = s->pcp_server;
        c.local_address = s->local_address;
        c.protocol = mech == MECH_NATPMP ? RTCPM_PCP_PM_NATPMP : RTCPM_PCP_PM_PCP;
        c.lifetime_s = (LONG)s->lifetime_s;
        c.timeout_ms = (LONG)s->timeout_ms;
        c.range_count = s->pub_range_count;
        memcpy(c.ranges, s->pub_ranges, sizeof(c.ranges));
        return rtcpm_pcp_pm_create_ex(&c, out, why, whylen);
    }
    if (mech == MECH_UPNP)
    {
        struct rtcpm_upnp_pm_config c;
        char first[8][RTCPM_PMC_SERVER_MAX];
        size_t n = 0;
        rtcpm_upnp_pm_config_init(&c);
        if (s->stun[0]) rtcpm_pm_server_list(s->stun, 0, first, 8, &n, NULL, 0);
        c.stun = n ? first[0] : NULL; /* the IGD's external address when it gives none */
        c.igd_url = s->upnp_igd;
        c.local_address = s->local_address;
        c.lifetime_s = (LONG)s->lifetime_s;
        c.timeout_ms = (LONG)s->timeout_ms;
        c.range_count = s->pub_range_count;
        memcpy(c.ranges, s->pub_ranges, sizeof(c.ranges));
        return rtcpm_upnp_pm_create_ex(&c, out, why, whylen);
    }
    {
        struct rtcpm_stun_pm_config c;
        LONG i;
        rtcpm_stun_pm_config_init(&c);
        c.servers = s->stun;
        c.local_addresses = s->local_address[0] ? s->local_address : NULL;
        c.timeout_ms = (LONG)s->timeout_ms;
        c.warm_up = 0; /* the probe's mapping does it */
        c.range_count = s->pub_range_count;
        for (i = 0; i < c.range_count; i++)
        {
            c.ranges[i].port_type = s->pub_ranges[i].port_type;
            c.ranges[i].transports = s->pub_ranges[i].transports;
            c.ranges[i].first = s->pub_ranges[i].first;
            c.ranges[i].last = s->pub_ranges[i].last;
        }
        return rtcpm_stun_pm_create_ex(&c, out, why, whylen);
    }
}

IRTCPortManager3 *rtcpm_auto_pm_inner(struct auto_pm *pm, int mech, char *why, size_t whylen)
{
    IRTCPortManager3 *made = NULL, *have;
    rtcpm_lock_acquire(&pm->lock);
    have = pm->inner[mech];
    rtcpm_lock_release(&pm->lock);
    if (have || mech == MECH_LOCAL) return have;
    if (FAILED(make_inner(pm, mech, &made, why, whylen))) return NULL;
    rtcpm_lock_acquire(&pm->lock);
    if (!pm->inner[mech]) pm->inner[mech] = made, made = NULL;
    have = pm->inner[mech];
    rtcpm_lock_release(&pm->lock);
    if (made) IRTCPortManager3_Release(made); /* another thread made one meanwhile */
    return have;
}

void rtcpm_auto_pm_inner_error(IRTCPortManager3 *inner, int mech, char *why, size_t whylen)
{
    why[0] = 0;
    if (mech == MECH_PCP || mech == MECH_NATPMP)
        rtcpm_pcp_pm_last_error(inner, why, whylen);
    else if (mech == MECH_UPNP)
        rtcpm_upnp_pm_last_error(inner, why, whylen);
    else if (mech == MECH_STUN)
        rtcpm_stun_pm_last_error(inner, why, whylen);
}

/* ---- the network the verdict is for ---- */

static void network(struct auto_pm *pm, rtcpm_addr *gw, rtcpm_addr *local)
{
    struct auto_pm_test_hooks hooks;
    rtcpm_lock_acquire(&pm->lock);
    hooks = pm->hooks;
    rtcpm_lock_release(&pm->lock);
    memset(local, 0, sizeof(*local));
    memset(gw, 0, sizeof(*gw));
    if (hooks.network)
        hooks.network(hooks.ctx, gw, local);
    else if (rtcpm_route_default_gateway(RTCPM_AF_INET, gw, NULL))
        memset(gw, 0, sizeof(*gw));
    else if (!pm->set->local_v4.family && rtcpm_route_local_addr(gw, local, NULL))
        memset(local, 0, sizeof(*local));
    if (pm->set->local_v4.family) *local = pm->set->local_v4;
}

/* The clock a verdict's age is measured with (pm->lock held). */
static uint64_t verdict_clock(const struct auto_pm *pm) { return rtcpm_clock_ms() + pm->hooks.clock_offset_ms; }

/* ---- the probes: S_OK when the mechanism works, else the reason in why ---- */

/* PCP ANNOUNCE (and NAT-PMP's address request when the server speaks only that); *mech is
 * what answered. */
static HRESULT probe_pcp(struct auto_pm *pm, const rtcpm_addr *gw, const rtcpm_addr *local, int want_pcp,
                         int want_natpmp, uint64_t deadline, int *mech, char *why, size_t whylen)
{
    struct rtcpm_pcp_client_config cfg = { RTCPM_PCP_DEFAULT_RTO_MS, 0, NULL, NULL };
    struct rtcpm_pcp_exchange x;
    struct rtcpm_pcp_request rq;
    struct rtcpm_natpmp_request nq;
    rtcpm_addr server, from = *local;
    rtcpm_socket *s = NULL;
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    HRESULT hr = RTC_E_PORT_MAPPING_FAILED;
    if (pm->set->pcp_server[0])
    {
        char list[2][RTCPM_PMC_SERVER_MAX];
        size_t n = 0, i;
        HRESULT got = RTC_E_PORT_MAPPING_FAILED;
        rtcpm_pm_server_list(pm->set->pcp_server, 1, list, 2, &n, why, whylen);
        for (i = 0; i < n && FAILED(got); i++) /* the IPv4 one: the probe speaks IPv4 */
            got = rtcpm_pm_server_resolve(list[i], RTCPM_PCP_SERVER_PORT, RTCPM_AF_INET, &server, why, whylen);
        if (FAILED(got)) return RTC_E_PORT_MAPPING_FAILED;
    }
    else if (!gw->family)
        return rtcpm_cfg_set_err(why, whylen, "no default gateway to ask"), RTC_E_PORT_MAPPING_FAILED;
    else
        server = *gw, server.port = RTCPM_PCP_SERVER_PORT;
    from.port = 0;
    if (!local->family || rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &from, NULL))
        return rtcpm_cfg_set_err(why, whylen, "no local address to ask %s from", rtcpm_addr_hostport_text(&server, a)),
               RTC_E_PORT_MAPPING_FAILED;
    memset(&rq, 0, sizeof(rq));
    memset(&nq, 0, sizeof(nq));
    rq.opcode = RTCPM_PCP_OP_ANNOUNCE;
    rq.client = *local;
    cfg.budget_ms = (uint32_t)(left_ms(deadline) < PCP_PROBE_MS ? left_ms(deadline) : PCP_PROBE_MS);
    if (!want_pcp)
        x.status = RTCPM_PCP_X_NATPMP_ONLY;
    else if (cfg.budget_ms)
        rtcpm_pcp_exchange(s, &server, &rq, &cfg, &x);
    else
        x.status = RTCPM_PCP_X_TIMEOUT;
    if (x.status == RTCPM_PCP_X_OK && x.pcp.version == RTCPM_PCP_VERSION && x.pcp.result == RTCPM_PCP_SUCCESS)
        *mech = MECH_PCP, hr = S_OK,
        rtcpm_cfg_set_err(why, whylen, "%s answered ANNOUNCE", rtcpm_addr_hostport_text(&server, a));
    else if (want_natpmp && (x.status == RTCPM_PCP_X_NATPMP_ONLY ||
                             (x.status == RTCPM_PCP_X_OK && x.pcp.result == RTCPM_PCP_UNSUPP_VERSION)))
    {
        cfg.budget_ms = (uint32_t)(left_ms(deadline) < PCP_PROBE_MS ? left_ms(deadline) : PCP_PROBE_MS);
        if (cfg.budget_ms && rtcpm_natpmp_exchange(s, &server, &nq, &cfg, &x) == RTCPM_PCP_X_OK && !x.natpmp.result)
            *mech = MECH_NATPMP, hr = S_OK,
            rtcpm_cfg_set_err(why, whylen, "%s answered NAT-PMP", rtcpm_addr_hostport_text(&server, a));
        else
            rtcpm_cfg_set_err(why, whylen, "%s: no NAT-PMP answer", rtcpm_addr_hostport_text(&server, a));
    }
    else if (x.status == RTCPM_PCP_X_OK)
        rtcpm_cfg_set_err(why, whylen, "%s answered ANNOUNCE with result %u", rtcpm_addr_hostport_text(&server, a),
                          x.pcp.result);
    else
        rtcpm_cfg_set_err(why, whylen, "no answer from %s within %llu ms", rtcpm_addr_hostport_text(&server, a),
                          (unsigned long long)x.elapsed_ms);
    rtcpm_socket_close(s);
    return hr;
}

static HRESULT probe_upnp(struct auto_pm *pm, uint64_t deadline, char *why, size_t whylen)
{
    IRTCPortManager3 *inner = rtcpm_auto_pm_inner(pm, MECH_UPNP, why, whylen);
    if (!inner) return RTC_E_PORT_MAPPING_FAILED;
    return rtcpm_upnp_pm_probe(inner, deadline, why, whylen);
}

/* A mapping through the STUN port manager (its symmetric check included), released again. */
static HRESULT probe_stun(struct auto_pm *pm, char *why, size_t whylen)
{
    IRTCPortManager3 *inner;
    BSTR ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    HRESULT hr;
    if (!pm->set->stun[0]) return rtcpm_cfg_set_err(why, whylen, "no STUN server configured"), E_NOTIMPL;
    if (!(inner = rtcpm_auto_pm_inner(pm, MECH_STUN, why, whylen))) return RTC_E_PORT_MAPPING_FAILED;
    hr = IRTCPortManager3_GetMappingEx(inner, NULL, 0, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep);
    if (SUCCEEDED(hr))
    {
        IRTCPortManager3_ReleaseMappingEx(inner, RTCTR_UDP, ia, ip, ea, ep);
        rtcpm_stun_pm_describe_nat(inner, why, whylen);
        if (*why && why[strlen(why) - 1] == '\n') why[strlen(why) - 1] = 0;
    }
    else
        rtcpm_stun_pm_last_error(inner, why, whylen);
    SysFreeString(ia);
    SysFreeString(ea);
    return hr;
}

/* One mechanism: S_OK (*mech set) or its failure; *stop when nothing below may be tried. */
static HRESULT probe_one(struct auto_pm *pm, int m, const rtcpm_addr *gw, const rtcpm_addr *local, uint64_t deadline,
                         int *mech, int *stop, char *why, size_t whylen)
{
    const struct auto_pm_settings *s = pm->set;
    HRESULT hr;
    size_t i;
    int has_pcp = 0, has_natpmp = 0;
    *stop = 0;
    *mech = m;
    for (i = 0; i < s->order_count; i++) has_pcp |= s->order[i] == MECH_PCP, has_natpmp |= s->order[i] == MECH_NATPMP;
    switch (m)
    {
    case MECH_PCP:
    case MECH_NATPMP: return probe_pcp(pm, gw, local, m == MECH_PCP, has_natpmp, deadline, mech, why, whylen);
    case MECH_UPNP: return probe_upnp(pm, deadline, why, whylen);
    case MECH_STUN:
        hr = probe_stun(pm, why, whylen);
        *stop = hr != E_NOTIMPL && FAILED(hr); /* STUN spoke (symmetric, or no answer): no guessing below */
        return hr == E_NOTIMPL ? RTC_E_PORT_MAPPING_FAILED : hr;
    default:
        (void)has_pcp;
        if (s->stun[0]) return rtcpm_cfg_set_err(why, whylen, "not used: STUN servers are configured"), E_FAIL;
        rtcpm_cfg_set_err(why, whylen, "the host's own addresses");
        return S_OK;
    }
}

static int run_probes(struct auto_pm *pm, const rtcpm_addr *gw, const rtcpm_addr *local, uint64_t deadline, char *text,
                      size_t textlen)
{
    size_t i, n = 0;
    int found = -1, done_pcp = 0;
    text[0] = 0;
    for (i = 0; i < pm->set->order_count && found < 0; i++)
    {
        char why[256] = "";
        int m = pm->set->order[i], got, stop, stopping;
        HRESULT hr;
        rtcpm_lock_acquire(&pm->lock);
        stopping = pm->stopping;
        rtcpm_lock_release(&pm->lock);
        if (stopping) break;
        if ((m == MECH_PCP || m == MECH_NATPMP) && done_pcp) continue; /* one probe tells both */
        done_pcp |= m == MECH_PCP || m == MECH_NATPMP;
        hr = probe_one(pm, m, gw, local, deadline, &got, &stop, why, sizeof(why));
        RTCPM_TRACE(RTCPM_LOG_PM, "probe %s: %s%s", rtcpm_auto_pm_mech_name(m), SUCCEEDED(hr) ? "" : "failed: ", why);
        if (SUCCEEDED(hr)) found = got, n = 0;
        n += (size_t)snprintf(text + (n < textlen ? n : 0), n < textlen ? textlen - n : 0, "%s%s: %s", n ? "; " : "",
                              rtcpm_auto_pm_mech_name(SUCCEEDED(hr) ? got : m), why);
        if (stop) break;
    }
    return found;
}

/* The probes, pm->probing already set by the caller; clears it. */
static int probe_owned(struct auto_pm *pm, uint64_t deadline)
{
    char text[AUTO_PM_WHY_MAX], a1[RTCPM_ADDR_TEXT_SIZE], a2[RTCPM_ADDR_TEXT_SIZE];
    rtcpm_addr gw, local;
    int mech;
    network(pm, &gw, &local);
    mech = run_probes(pm, &gw, &local, deadline, text, sizeof(text));
    rtcpm_lock_acquire(&pm->lock);
    pm->mech = mech;
    pm->verdict_valid = 1;
    pm->verdict_at_ms = verdict_clock(pm);
    pm->verdict_gw = gw;
    pm->verdict_local = local;
    rtcpm_cfg_set_err(pm->verdict, sizeof(pm->verdict), "%s (gateway %s, local %s)", text,
                      gw.family ? rtcpm_addr_text(&gw, a1) : "none",
                      local.family ? rtcpm_addr_text(&local, a2) : "none");
    /* traced before the waiters wake: whoever waited for the verdict sees its line already written */
    RTCPM_TRACE(RTCPM_LOG_PM, "verdict: %s", pm->verdict);
    pm->probing = 0;
    pm->probes++;
    rtcpm_cond_broadcast(&pm->cond);
    rtcpm_lock_release(&pm->lock);
    return mech;
}

int rtcpm_auto_pm_probe(struct auto_pm *pm, uint64_t deadline)
{
    int mech;
    rtcpm_lock_acquire(&pm->lock);
    if (pm->probing)
    {
        while (pm->probing && left_ms(deadline)) rtcpm_cond_wait(&pm->cond, &pm->lock, (long)left_ms(deadline));
        mech = pm->probing ? -1 : pm->mech;
        rtcpm_lock_release(&pm->lock);
        return mech;
    }
    pm->probing = 1;
    rtcpm_lock_release(&pm->lock);
    return probe_owned(pm, deadline);
}

int rtcpm_auto_pm_current(struct auto_pm *pm, uint64_t deadline)
{
    rtcpm_addr gw, local;
    int mech = -1;
    network(pm, &gw, &local);
    rtcpm_lock_acquire(&pm->lock);
    while (pm->probing && left_ms(deadline)) rtcpm_cond_wait(&pm->cond, &pm->lock, (long)left_ms(deadline));
    if (!pm->probing && pm->verdict_valid && rtcpm_addr_equal(&gw, &pm->verdict_gw) &&
        rtcpm_addr_equal(&local, &pm->verdict_local) &&
        (pm->mech >= 0 || verdict_clock(pm) - pm->verdict_at_ms < AUTO_PM_NONE_KEPT_MS))
    {
        mech = pm->mech;
        rtcpm_lock_release(&pm->lock);
        return mech;
    }
    rtcpm_lock_release(&pm->lock);
    return rtcpm_auto_pm_probe(pm, deadline);
}

void rtcpm_auto_pm_stale(struct auto_pm *pm, int mech)
{
    rtcpm_lock_acquire(&pm->lock);
    if (pm->mech == mech) pm->mech = -1, pm->verdict_valid = 0;
    rtcpm_lock_release(&pm->lock);
}

/* ---- the first probe, at creation ---- */

static void worker_main(void *arg)
{
    struct auto_pm *pm = arg;
    probe_owned(pm, rtcpm_clock_ms() + pm->set->probe_timeout_ms);
}

/* pm->probing is set before the thread starts: a call that comes at once waits for it. */
void rtcpm_auto_pm_worker_start(struct auto_pm *pm)
{
    pm->probing = 1;
    if (rtcpm_thread_start(&pm->worker, worker_main, pm)) pm->probing = 0;
}

void rtcpm_auto_pm_worker_stop(struct auto_pm *pm)
{
    rtcpm_thread_join(pm->worker);
    pm->worker = NULL;
}
