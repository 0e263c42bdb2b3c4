/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * upnp_pm_mapping.c — one mapping of the UPnP IGD port manager (the IGD, the internal port,
 * AddPortMapping, the external address from the IGD or STUN, the record), one removal, and
 * the worker that renews leases at half-life. Behaviour: include/rtcpm/upnp_pm.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com/log.h"
#include "net/stun_client.h"
#include "os/route.h"
#include "pm/config.h"
#include "pm/upnp_pm_private.h"

int rtcpm_upnp_igd_parse_external(const char *text, rtcpm_addr *out)
{
    static const uint8_t zero[16];
    memset(out, 0, sizeof(*out));
    if (!text || rtcpm_addr_parse(text, strlen(text), out)) return -1;
    if (!memcmp(out->bytes, zero, out->family == RTCPM_AF_INET ? 4 : 16) ||
        (out->family == RTCPM_AF_INET && out->bytes[0] >= 224) ||
        (out->family == RTCPM_AF_INET6 && out->bytes[0] == 0xff))
    {
        memset(out, 0, sizeof(*out));
        return -1;
    }
    return 0;
}

static void event(struct upnp_pm *pm, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* (locked) */
static void event(struct upnp_pm *pm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pm->last_event, sizeof(pm->last_event), fmt, ap);
    va_end(ap);
    pm->stats.events++;
    RTCPM_TRACE(RTCPM_LOG_PM, "event: %s", pm->last_event);
}

/* ---- leases (locked) ---- */

static struct upnp_lease *find_lease(struct upnp_pm *pm, LONG transport, const rtcpm_addr *internal)
{
    size_t i;
    for (i = 0; i < pm->lease_count; i++)
        if (pm->leases[i].transport == transport && rtcpm_addr_equal(&pm->leases[i].internal, internal))
            return &pm->leases[i];
    return NULL;
}

static int add_lease(struct upnp_pm *pm, const struct upnp_lease *l)
{
    if (pm->lease_count == pm->lease_cap)
    {
        size_t cap = pm->lease_cap ? pm->lease_cap * 2 : 8;
        struct upnp_lease *grown = realloc(pm->leases, cap * sizeof(*grown));
        if (!grown) return -1;
        pm->leases = grown;
        pm->lease_cap = cap;
    }
    pm->leases[pm->lease_count++] = *l;
    return 0;
}

static uint64_t renew_time(const struct upnp_pm *pm)
{
    return pm->set.lifetime_s ? rtcpm_clock_ms() + (uint64_t)pm->set.lifetime_s * 500u : UINT64_MAX;
}

/* ---- the IGD and the addresses ---- */

/* The local address towards the IGD: configured, the one the API saw, or routed to the
 * default gateway. */
static HRESULT internal_host(struct upnp_pm *pm, const rtcpm_addr *lan, rtcpm_addr *out, char *why, size_t whylen)
{
    rtcpm_addr gw;
    int os_error = 0, rc;
    if (pm->set.local_v4.family) return *out = pm->set.local_v4, S_OK;
    if (lan->family) return *out = *lan, S_OK;
    if ((rc = rtcpm_route_default_gateway(RTCPM_AF_INET, &gw, &os_error)) ||
        (rc = rtcpm_route_local_addr(&gw, out, &os_error)))
    {
        rtcpm_cfg_set_err(why, whylen, "no local address towards the default gateway: %s", rtcpm_sock_error_name(rc));
        return RTC_E_PORT_MAPPING_FAILED;
    }
    return S_OK;
}

/* The external address by STUN, from a UDP port of host (the IGD gave none). */
static HRESULT external_by_stun(struct upnp_pm *pm, const rtcpm_addr *host, uint64_t deadline, rtcpm_addr *out,
                                char *why, size_t whylen)
{
    rtcpm_stun_result *res;
    rtcpm_stun_config cfg;
    rtcpm_socket *s = NULL;
    rtcpm_addr server, any = *host;
    HRESULT hr;
    uint64_t left = deadline > rtcpm_clock_ms() ? deadline - rtcpm_clock_ms() : 0;
    if (!pm->set.stun[0])
    {
        rtcpm_cfg_set_err(why, whylen,
                          "the IGD (%s) gave no external address, and no STUN server is configured "
                          "(stun = host[:port]) to learn it",
                          pm->igd_what);
        return RTC_E_PORT_MAPPING_FAILED;
    }
    if (FAILED(hr = rtcpm_pm_server_resolve_stun(pm->set.stun, host->family, &server, why, whylen))) return hr;
    any.port = 0;
    if (!left || rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &any, NULL) || !(res = malloc(sizeof(*res))))
    {
        rtcpm_socket_close(s);
        rtcpm_cfg_set_err(why, whylen, "no time or no socket left to ask STUN server %s", pm->set.stun);
        return RTC_E_PORT_MAPPING_FAILED;
    }
    rtcpm_stun_config_init(&cfg);
    cfg.rto_ms = 250;
    cfg.deadline_ms = (uint32_t)left;
    if (rtcpm_stun_binding(s, &server, &cfg, res) == RTCPM_STUN_OK)
        *out = res->mapped, out->port = 0, hr = S_OK;
    else
    {
        char text[160];
        rtcpm_cfg_set_err(why, whylen, "the IGD gave no external address; STUN server %s: %s", pm->set.stun,
                          rtcpm_stun_describe(res, text, sizeof(text)));
        hr = RTC_E_PORT_MAPPING_FAILED;
    }
    free(res);
    rtcpm_socket_close(s);
    if (SUCCEEDED(hr))
    {
        rtcpm_lock_acquire(&pm->lock);
        pm->stats.stun++;
        rtcpm_lock_release(&pm->lock);
    }
    return hr;
}

static HRESULT find_igd(struct upnp_pm *pm, uint64_t deadline, rtcpm_addr *lan, rtcpm_addr *ext, char *why,
                        size_t whylen)
{
    char what[RTCPM_UPNP_URL_MAX] = "";
    HRESULT hr = rtcpm_upnp_igd_find(pm->igd, deadline, lan, ext, what, sizeof(what), why, whylen);
    rtcpm_lock_acquire(&pm->lock);
    pm->stats.discoveries++;
    rtcpm_cfg_set_err(pm->igd_what, sizeof(pm->igd_what), "%s", SUCCEEDED(hr) ? what : "");
    rtcpm_lock_release(&pm->lock);
    return hr;
}

HRESULT rtcpm_upnp_pm_find(struct upnp_pm *pm, uint64_t deadline, char *why, size_t whylen)
{
    rtcpm_addr lan, ext;
    return find_igd(pm, deadline, &lan, &ext, why, whylen);
}

/* ---- one mapping ---- */

/* AddPortMapping for the probe's port; *m filled but for the external address. */
static HRESULT add(struct upnp_pm *pm, const struct upnp_call *call, const struct rtcpm_pm_probe *p, rtcpm_addr *ext,
                   struct rtcpm_mapping *m, char *why, size_t whylen)
{
    rtcpm_addr from_add;
    uint16_t got = 0;
    int upnp_error = 0;
    HRESULT hr = rtcpm_upnp_igd_add(pm->igd, call->transport != RTCTR_UDP, p->internal.port, &p->internal,
                                    pm->set.lifetime_s, call->deadline, &got, &from_add, &upnp_error, why, whylen);
    if (FAILED(hr))
    {
        if (!upnp_error) rtcpm_upnp_igd_forget(pm->igd); /* no answer: look for the IGD again next time */
        return hr;
    }
    if (from_add.family) *ext = from_add;
    if (!ext->family && FAILED(hr = external_by_stun(pm, &p->internal, call->deadline, ext, why, whylen)))
    {
        char ignored[UPNP_PM_WHY_MAX];
        rtcpm_upnp_igd_remove(pm->igd, call->transport != RTCTR_UDP, got, call->deadline + pm->set.timeout_ms, ignored,
                              sizeof(ignored));
        return hr;
    }
    m->internal = p->internal;
    m->external = *ext;
    m->external.port = got;
    m->remote = call->remote;
    m->port_type = (uint8_t)call->type;
    m->transport = (uint8_t)call->transport;
    return S_OK;
}

static HRESULT record(struct upnp_pm *pm, const struct rtcpm_pm_probe *p, const struct rtcpm_mapping *m, char *why,
                      size_t whylen)
{
    struct upnp_lease l;
    int rc;
    memset(&l, 0, sizeof(l));
    l.transport = m->transport;
    l.internal = m->internal;
    l.ext_port = m->external.port;
    l.renew_at_ms = renew_time(pm);
    rtcpm_lock_acquire(&pm->lock);
    rc = rtcpm_mapping_table_insert(pm->base.table, m);
    if (rc == RTCPM_MT_OK && add_lease(pm, &l))
    {
        rtcpm_mapping_table_remove(pm->base.table, m->transport, &m->internal, &m->external, NULL);
        rc = RTCPM_MT_E_NOMEM;
    }
    rtcpm_pm_ports_settle(&pm->ports, p, rc == RTCPM_MT_OK ? m : NULL);
    if (rc == RTCPM_MT_OK) pm->stats.mappings++;
    rtcpm_cond_broadcast(&pm->cond);
    rtcpm_lock_release(&pm->lock);
    if (rc == RTCPM_MT_OK) return S_OK;
    rtcpm_cfg_set_err(why, whylen, rc == RTCPM_MT_E_NOMEM ? "out of memory" : "the IGD gave an external port in use");
    return rc == RTCPM_MT_E_NOMEM ? E_OUTOFMEMORY : RTC_E_PORT_MAPPING_FAILED;
}

HRESULT rtcpm_upnp_pm_make_mapping(struct upnp_pm *pm, const struct upnp_call *call, struct rtcpm_mapping *m, char *why,
                                   size_t whylen)
{
    struct rtcpm_pm_probe p;
    rtcpm_addr lan, ext, host;
    HRESULT hr;
    memset(m, 0, sizeof(*m));
    if (call->remote.family == RTCPM_AF_INET6)
    {
        rtcpm_cfg_set_err(why, whylen, "UPnP IGD maps IPv4 only (remote %s)",
                          rtcpm_addr_text(&call->remote, (char[RTCPM_ADDR_TEXT_SIZE]){ 0 }));
        return RTC_E_PORT_MAPPING_UNAVAILABLE;
    }
    if (FAILED(hr = find_igd(pm, call->deadline, &lan, &ext, why, whylen))) return hr;
    if (FAILED(hr = internal_host(pm, &lan, &host, why, whylen))) return hr;
    if (FAILED(hr = rtcpm_pm_ports_open(&pm->ports, call->type, call->transport, &host, &call->remote, NULL, &p, why,
                                        whylen)))
        return hr;
    hr = add(pm, call, &p, &ext, m, why, whylen);
    rtcpm_pm_probe_close(&p);
    if (SUCCEEDED(hr) && FAILED(hr = record(pm, &p, m, why, whylen)))
    {
        char ignored[UPNP_PM_WHY_MAX];
        rtcpm_upnp_igd_remove(pm->igd, call->transport != RTCTR_UDP, m->external.port,
                              rtcpm_clock_ms() + pm->set.timeout_ms, ignored, sizeof(ignored));
    }
    if (FAILED(hr)) rtcpm_pm_ports_abandon(&pm->ports, &p);
    return hr;
}

/* ---- removal ---- */

void rtcpm_upnp_pm_delete_lease(struct upnp_pm *pm, LONG transport, const rtcpm_addr *internal, uint64_t deadline)
{
    char why[UPNP_PM_WHY_MAX], a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    struct upnp_lease *found, l;
    HRESULT hr;
    rtcpm_lock_acquire(&pm->lock);
    while ((found = find_lease(pm, transport, internal)) && found->busy && rtcpm_clock_ms() < deadline)
        rtcpm_cond_wait(&pm->cond, &pm->lock, (long)(deadline - rtcpm_clock_ms()));
    if (!found || found->busy)
    {
        if (found) found->released = 1; /* the worker removes it once its renewal is done */
        rtcpm_lock_release(&pm->lock);
        return;
    }
    l = *found;
    *found = pm->leases[--pm->lease_count];
    rtcpm_lock_release(&pm->lock);
    hr = rtcpm_upnp_igd_remove(pm->igd, l.transport != RTCTR_UDP, l.ext_port, deadline, why, sizeof(why));
    rtcpm_lock_acquire(&pm->lock);
    if (SUCCEEDED(hr))
        pm->stats.deletes++;
    else
        event(pm, "removal of %s %s failed (it expires at the IGD): %s", rtcpm_pm_transport_name(l.transport),
              rtcpm_addr_hostport_text(&l.internal, a1), why);
    rtcpm_lock_release(&pm->lock);
}

/* ---- renewal ---- */

/* (locked, dropped meanwhile) AddPortMapping again for lease l. */
static void renew(struct upnp_pm *pm, struct upnp_lease *l)
{
    char why[UPNP_PM_WHY_MAX], a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    struct upnp_lease copy = *l;
    rtcpm_addr ext;
    uint16_t got = 0;
    int upnp_error = 0;
    HRESULT hr;
    l->busy = 1;
    rtcpm_lock_release(&pm->lock);
    hr = rtcpm_upnp_igd_add(pm->igd, copy.transport != RTCTR_UDP, copy.ext_port, &copy.internal, pm->set.lifetime_s,
                            rtcpm_clock_ms() + pm->set.timeout_ms, &got, &ext, &upnp_error, why, sizeof(why));
    rtcpm_lock_acquire(&pm->lock);
    if (!(l = find_lease(pm, copy.transport, &copy.internal))) return;
    l->busy = 0;
    rtcpm_cond_broadcast(&pm->cond);
    if (SUCCEEDED(hr) && got != l->ext_port)
        event(pm, "%s %s: renewed as external port %u, RTC holds %u", rtcpm_pm_transport_name(l->transport),
              rtcpm_addr_hostport_text(&l->internal, a1), got, l->ext_port);
    if (FAILED(hr))
    {
        pm->stats.failures++;
        l->renew_at_ms = rtcpm_clock_ms() + 5000;
        event(pm, "renewal of %s %s failed (tried again in 5 s): %s", rtcpm_pm_transport_name(l->transport),
              rtcpm_addr_hostport_text(&l->internal, a1), why);
    }
    else
        pm->stats.renewals++, l->renew_at_ms = renew_time(pm);
    if (l->released)
    {
        struct upnp_lease gone = *l;
        *l = pm->leases[--pm->lease_count];
        rtcpm_lock_release(&pm->lock);
        rtcpm_upnp_igd_remove(pm->igd, gone.transport != RTCTR_UDP, gone.ext_port,
                              rtcpm_clock_ms() + pm->set.timeout_ms, why, sizeof(why));
        rtcpm_lock_acquire(&pm->lock);
    }
}

static void worker_main(void *arg)
{
    struct upnp_pm *pm = arg;
    rtcpm_lock_acquire(&pm->lock);
    while (!pm->stopping)
    {
        uint64_t now = rtcpm_clock_ms(), next = UINT64_MAX;
        struct upnp_lease *due = NULL;
        size_t i;
        for (i = 0; i < pm->lease_count && !due; i++)
        {
            if (pm->leases[i].busy) continue;
            if (pm->leases[i].renew_at_ms <= now)
                due = &pm->leases[i];
            else if (pm->leases[i].renew_at_ms < next)
                next = pm->leases[i].renew_at_ms;
        }
        if (due)
            renew(pm, due);
        else
            rtcpm_cond_wait(&pm->cond, &pm->lock, next == UINT64_MAX ? -1 : (long)(next - now));
    }
    rtcpm_lock_release(&pm->lock);
}

void rtcpm_upnp_pm_worker_start(struct upnp_pm *pm)
{
    if (rtcpm_thread_start(&pm->worker, worker_main, pm)) RTCPM_TRACE(RTCPM_LOG_PM, "no worker thread: no renewal");
}

void rtcpm_upnp_pm_worker_stop(struct upnp_pm *pm)
{
    if (!pm->worker) return;
    rtcpm_lock_acquire(&pm->lock);
    pm->stopping = 1;
    rtcpm_cond_broadcast(&pm->cond);
    rtcpm_lock_release(&pm->lock);
    rtcpm_thread_join(pm->worker);
    pm->worker = NULL;
}
