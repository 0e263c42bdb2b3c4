/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stun_pm_mapping.c — one mapping of the STUN port manager, as a GetMappingEx (or the
 * warm-up, in the background) makes it: the path of stun_pm_private.h, step by step.
 */
#include <string.h>
#include "pm/stun_pm_private.h"
#include "pm/config.h"
#include "com/log.h"

/* The internal address for a family: configured, else routed towards its first server. */
static HRESULT internal_host_for(struct stun_pm *pm, int family, const rtcpm_addr *first_server, rtcpm_addr *out,
                                 char *why, size_t whylen)
{
    const rtcpm_addr *conf = family == RTCPM_AF_INET ? &pm->set.local_v4 : &pm->set.local_v6;
    int os_error = 0, rc;
    if (conf->family != RTCPM_AF_NONE)
    {
        *out = *conf;
        return S_OK;
    }
    rc = rtcpm_route_local_addr(first_server, out, &os_error);
    if (rc != RTCPM_SOCK_OK)
    {
        char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], os_text[128];
        rtcpm_cfg_set_err(why, whylen, "no local address routes to %s: %s (%s)",
                          rtcpm_addr_hostport_text(first_server, a1), rtcpm_sock_error_name(rc),
                          rtcpm_os_error_text(os_error, os_text, sizeof(os_text)));
        return RTC_E_PORT_MAPPING_FAILED;
    }
    return S_OK;
}

/* Everything before a port is claimed: the servers of the call's family, the internal
 * address, the warm-up's result (waited for within 3/4 of the budget: it usually comes
 * within milliseconds, and when it does not — a first server that is down, a machine that
 * is crawling — the last quarter is kept for a discovery of the call's own), and a fresh
 * "symmetric" verdict, which fails the call at once. */
static HRESULT prepare(struct stun_pm *pm, struct stun_call *call, char *why, size_t whylen)
{
    int family = call->remote.family != RTCPM_AF_NONE ? call->remote.family : pm->set.servers[0].family;
    char text[200], a1[RTCPM_ADDR_TEXT_SIZE];
    enum verdict v;
    HRESULT hr;

    call->tcp = call->transport != RTCTR_UDP;
    if (!(call->server_count = rtcpm_stun_pm_servers_of(pm, family, call->servers)))
    {
        rtcpm_cfg_set_err(why, whylen, "no STUN server for %s (remote %s)", family == RTCPM_AF_INET ? "IPv4" : "IPv6",
                          rtcpm_addr_text(&call->remote, a1));
        return RTC_E_PORT_MAPPING_UNAVAILABLE;
    }
    if (call->tcp && pm->set.tcp == RTCPM_STUN_PM_TCP_OFF)
    {
        rtcpm_cfg_set_err(why, whylen, "%s mappings are off (tcp = off)", rtcpm_pm_transport_name(call->transport));
        return RTC_E_PORT_MAPPING_UNAVAILABLE;
    }
    if (FAILED(hr = internal_host_for(pm, family, &call->servers[0], &call->internal_host, why, whylen))) return hr;
    if (call->background) return S_OK;
    rtcpm_stun_pm_wait_warm_up(pm, call->deadline - pm->set.timeout_ms / 4);
    if (!pm->set.symmetric_check) return S_OK;
    rtcpm_lock_acquire(&pm->lock);
    v = rtcpm_stun_cache_verdict(&pm->cache, &call->internal_host, rtcpm_clock_ms(), text, sizeof(text));
    rtcpm_lock_release(&pm->lock);
    if (v != VERDICT_SYMMETRIC) return S_OK;
    rtcpm_cfg_set_err(why, whylen, "%s (seen from %s)", text, rtcpm_addr_text(&call->internal_host, a1));
    return RTC_E_PORT_MAPPING_FAILED;
}

/* The external side of the probe's port: the cache's, the UDP external address with the
 * same port (TCP "preserve"), or a discovery of its own. */
static HRESULT learn_external(struct stun_pm *pm, struct stun_call *call, struct rtcpm_pm_probe *p, rtcpm_addr *mapped,
                              char *why, size_t whylen)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    rtcpm_addr server;
    HRESULT hr;
    int cached = 0;

    if (p->proto == RTCPM_PM_PROTO_UDP)
    {
        rtcpm_lock_acquire(&pm->lock);
        cached = rtcpm_stun_cache_find(&pm->cache, &p->internal, rtcpm_clock_ms(), mapped, &server);
        rtcpm_lock_release(&pm->lock);
    }
    if (cached && !call->background)
    {
        rtcpm_lock_acquire(&pm->lock);
        pm->stats.cache_hits++;
        rtcpm_lock_release(&pm->lock);
        RTCPM_TRACE(RTCPM_LOG_PM, "cache hit for %s", rtcpm_addr_hostport_text(&p->internal, a1));
        return S_OK;
    }
    if (call->tcp && pm->set.tcp == RTCPM_STUN_PM_TCP_PRESERVE)
    {
        rtcpm_pm_probe_close(p);
        if (FAILED(hr = rtcpm_stun_pm_external_host(pm, call, mapped, why, whylen))) return hr;
        mapped->port = p->internal.port;
        return S_OK;
    }
    return rtcpm_stun_pm_discover(pm, call, p, mapped, why, whylen);
}

/* Records m (unless in the background) and settles the probe's claims, under the lock. */
static HRESULT record(struct stun_pm *pm, const struct stun_call *call, const struct rtcpm_pm_probe *p,
                      const struct rtcpm_mapping *m, char *why, size_t whylen)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], a2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    struct rtcpm_mapping other;
    int rc = RTCPM_MT_OK;

    rtcpm_lock_acquire(&pm->lock);
    if (!call->background) rc = rtcpm_mapping_table_insert(pm->base.table, m);
    rtcpm_pm_ports_settle(&pm->ports, p, rc == RTCPM_MT_OK && !call->background ? m : NULL);
    rtcpm_lock_release(&pm->lock);
    if (rc == RTCPM_MT_OK) return S_OK;
    if (rc != RTCPM_MT_E_DUPLICATE) return E_OUTOFMEMORY;
    if (rtcpm_mapping_table_find_external(pm->base.table, m->transport, &m->external, &other))
        rtcpm_cfg_set_err(why, whylen,
                          "external %s is already mapped to internal %s: the NAT or the server reports one "
                          "external port for two internal ones",
                          rtcpm_addr_hostport_text(&m->external, a1), rtcpm_addr_hostport_text(&other.internal, a2));
    else
        rtcpm_cfg_set_err(why, whylen, "internal or external port of %s taken meanwhile",
                          rtcpm_addr_hostport_text(&m->internal, a1));
    return RTC_E_PORT_MAPPING_FAILED;
}

HRESULT rtcpm_stun_pm_make_mapping(struct stun_pm *pm, struct stun_call *call, struct rtcpm_mapping *m, char *why,
                                   size_t whylen)
{
    const struct rtcpm_pm_port_prefer prefer = { rtcpm_stun_cache_prefer, &pm->cache };
    struct rtcpm_pm_probe p;
    rtcpm_addr mapped;
    HRESULT hr;

    memset(m, 0, sizeof(*m));
    if (FAILED(hr = prepare(pm, call, why, whylen))) return hr;
    if (FAILED(hr = rtcpm_pm_ports_open(&pm->ports, call->type, call->transport, &call->internal_host, &call->remote,
                                        &prefer, &p, why, whylen)))
        return hr;
    if (FAILED(hr = learn_external(pm, call, &p, &mapped, why, whylen)))
    {
        rtcpm_pm_ports_abandon(&pm->ports, &p);
        return hr;
    }
    rtcpm_pm_probe_close(&p);

    m->internal = p.internal;
    m->external = mapped;
    m->remote = call->remote;
    m->port_type = (uint8_t)call->type;
    m->transport = (uint8_t)call->transport;
    return record(pm, call, &p, m, why, whylen);
}
