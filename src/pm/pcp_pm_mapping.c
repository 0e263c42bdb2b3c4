/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcp_pm_mapping.c — one mapping of the PCP port manager: which server, which internal
 * port, the MAP (or NAT-PMP) exchange and what its answer means, the record; and one delete.
 * The order of a call: pcp_pm_private.h; behaviour and results: include/rtcpm/pcp_pm.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com/log.h"
#include "os/route.h"
#include "pm/config.h"
#include "pm/pcp_pm_private.h"

/* ---- leases (locked) ---- */

struct pcp_lease *rtcpm_pcp_pm_find_lease(struct pcp_pm *pm, LONG transport, const rtcpm_addr *internal)
{
    size_t i;
    for (i = 0; i < pm->lease_count; i++)
        if (pm->leases[i].transport == transport && rtcpm_addr_equal(&pm->leases[i].internal, internal))
            return &pm->leases[i];
    return NULL;
}

static int lease_add(struct pcp_pm *pm, const struct pcp_lease *l)
{
    if (pm->lease_count == pm->lease_cap)
    {
        size_t cap = pm->lease_cap ? pm->lease_cap * 2 : 8;
        struct pcp_lease *grown = realloc(pm->leases, cap * sizeof(*grown));
        if (!grown) return -1;
        pm->leases = grown;
        pm->lease_cap = cap;
    }
    pm->leases[pm->lease_count++] = *l;
    return 0;
}

void rtcpm_pcp_pm_drop_lease(struct pcp_pm *pm, struct pcp_lease *l) { *l = pm->leases[--pm->lease_count]; }

void rtcpm_pcp_pm_event(struct pcp_pm *pm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pm->last_event, sizeof(pm->last_event), fmt, ap);
    va_end(ap);
    pm->stats.events++;
    RTCPM_TRACE(RTCPM_LOG_PM, "event: %s", pm->last_event);
}

void rtcpm_pcp_pm_state_lost(struct pcp_pm *pm, const rtcpm_addr *server, const char *how, uint32_t jitter_ms)
{
    uint64_t now = rtcpm_clock_ms();
    size_t i, n = 0;
    uint32_t r = 0;
    pm->stats.epoch_resets++;
    pm->srv[pcp_family_index(server->family)].natpmp_external.family = RTCPM_AF_NONE; /* ask again */
    for (i = 0; i < pm->lease_count; i++)
    {
        if (!rtcpm_addr_equal(&pm->leases[i].server, server)) continue;
        n++;
        rtcpm_random_bytes(&r, sizeof(r));
        pm->leases[i].recreate = 1;
        pm->leases[i].renew_at_ms = now + (jitter_ms ? r % (jitter_ms + 1) : 0);
    }
    rtcpm_pcp_pm_event(pm, "the NAT lost its state (%s): %lu mapping(s) to re-create", how, (unsigned long)n);
    rtcpm_cond_broadcast(&pm->cond);
}

/* ---- the server ---- */

/* The server for a call of family (NONE: the first configured one's, or IPv4): the
 * configured one of that family (a name resolved now), or the default gateway. */
static HRESULT find_server(struct pcp_pm *pm, int family, rtcpm_addr *out, char *why, size_t whylen)
{
    struct pcp_server_state *st;
    HRESULT hr = RTC_E_PORT_MAPPING_UNAVAILABLE;
    size_t i;
    for (i = 0; i < pm->set.server_count && FAILED(hr); i++)
        hr = rtcpm_pm_server_resolve(pm->set.servers[i], RTCPM_PCP_SERVER_PORT, family, out, why, whylen);
    if (pm->set.server_count && FAILED(hr)) return hr;
    if (!pm->set.server_count)
    {
        int os_error = 0, rc = rtcpm_route_default_gateway(family ? family : RTCPM_AF_INET, out, &os_error);
        if (rc)
        {
            char os_text[128];
            rtcpm_cfg_set_err(why, whylen, "no PCP server: no %s default gateway (%s%s%s)",
                              family == RTCPM_AF_INET6 ? "IPv6" : "IPv4", rtcpm_sock_error_name(rc),
                              os_error ? ", " : "",
                              os_error ? rtcpm_os_error_text(os_error, os_text, sizeof(os_text)) : "");
            return family == RTCPM_AF_INET6 ? RTC_E_PORT_MAPPING_UNAVAILABLE : RTC_E_PORT_MAPPING_FAILED;
        }
        out->port = RTCPM_PCP_SERVER_PORT;
    }
    rtcpm_lock_acquire(&pm->lock);
    st = &pm->srv[pcp_family_index(out->family)];
    if (!rtcpm_addr_equal(&st->addr, out))
    {
        char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
        RTCPM_TRACE(RTCPM_LOG_PM, "PCP server %s", rtcpm_addr_hostport_text(out, a));
        memset(st, 0, sizeof(*st));
        st->addr = *out;
    }
    rtcpm_lock_release(&pm->lock);
    return S_OK;
}

static HRESULT internal_host_for(struct pcp_pm *pm, const rtcpm_addr *server, rtcpm_addr *out, char *why, size_t whylen)
{
    const rtcpm_addr *conf = server->family == RTCPM_AF_INET ? &pm->set.local_v4 : &pm->set.local_v6;
    int os_error = 0, rc;
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], os_text[128];
    if (conf->family != RTCPM_AF_NONE) return *out = *conf, S_OK;
    if (!(rc = rtcpm_route_local_addr(server, out, &os_error))) return S_OK;
    rtcpm_cfg_set_err(why, whylen, "no local address routes to %s: %s (%s)", rtcpm_addr_hostport_text(server, a1),
                      rtcpm_sock_error_name(rc), rtcpm_os_error_text(os_error, os_text, sizeof(os_text)));
    return RTC_E_PORT_MAPPING_FAILED;
}

/* ---- one exchange ---- */

/* The epoch of an answer from the server: a loss marks every other lease for re-creation. */
static void saw_epoch(struct pcp_pm *pm, const struct pcp_lease *l, uint32_t epoch)
{
    struct pcp_server_state *st;
    uint32_t before;
    rtcpm_lock_acquire(&pm->lock);
    st = &pm->srv[pcp_family_index(l->server.family)];
    before = st->epoch.server;
    if (rtcpm_addr_equal(&st->addr, &l->server) && rtcpm_pcp_epoch_update(&st->epoch, epoch, rtcpm_clock_ms()))
    {
        char how[96];
        struct pcp_lease *self = rtcpm_pcp_pm_find_lease(pm, l->transport, &l->internal);
        snprintf(how, sizeof(how), "epoch %lu after %lu", (unsigned long)epoch, (unsigned long)before);
        rtcpm_pcp_pm_state_lost(pm, &l->server, how, 0);
        if (self) /* the exchange that saw it re-created this one: its caller settles it */
        {
            self->recreate = 1;
            self->renew_at_ms = UINT64_MAX;
        }
    }
    rtcpm_lock_release(&pm->lock);
}

static void count_requests(struct pcp_pm *pm, uint32_t n)
{
    rtcpm_lock_acquire(&pm->lock);
    pm->stats.requests += (LONG)n;
    rtcpm_lock_release(&pm->lock);
}

/* "no answer from S within T ms (N PCP requests, from A); D datagrams dropped, the last: W" */
static void no_answer(const struct rtcpm_pcp_exchange *x, const rtcpm_addr *server, rtcpm_socket *s, const char *proto,
                      char *why, size_t whylen)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], a2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], tail[160] = "";
    rtcpm_addr from;
    rtcpm_socket_local_addr(s, &from);
    if (x->dropped)
        snprintf(tail, sizeof(tail), "; %lu answer(s) dropped, the last: %s", (unsigned long)x->dropped,
                 x->dropped_why);
    if (x->status == RTCPM_PCP_X_SOCKET)
        rtcpm_cfg_set_err(why, whylen, "cannot send to %s: %s", rtcpm_addr_hostport_text(server, a1),
                          rtcpm_sock_error_name(x->sock_error));
    else
        rtcpm_cfg_set_err(why, whylen, "no answer from %s within %llu ms (%lu %s request%s, from %s)%s",
                          rtcpm_addr_hostport_text(server, a1), (unsigned long long)x->elapsed_ms,
                          (unsigned long)x->requests_sent, proto, x->requests_sent == 1 ? "" : "s",
                          rtcpm_addr_hostport_text(&from, a2), tail);
}

static HRESULT refused(const rtcpm_addr *server, const struct pcp_lease *l, int natpmp, unsigned result, char *why,
                       size_t whylen)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], a2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], name[20];
    int soft = natpmp ? result == RTCPM_NATPMP_NOT_AUTHORIZED || result == RTCPM_NATPMP_NO_RESOURCES
                      : result == RTCPM_PCP_NOT_AUTHORIZED || result == RTCPM_PCP_NO_RESOURCES ||
                            result == RTCPM_PCP_USER_EX_QUOTA;
    rtcpm_cfg_set_err(why, whylen, "%s refused %s %s: %s (%s result %u)", rtcpm_addr_hostport_text(server, a1),
                      rtcpm_pm_transport_name(l->transport), rtcpm_addr_hostport_text(&l->internal, a2),
                      natpmp ? rtcpm_natpmp_result_name(result, name) : rtcpm_pcp_result_name(result, name),
                      natpmp ? "NAT-PMP" : "PCP", result);
    return soft ? RTC_E_PORT_MAPPING_UNAVAILABLE : RTC_E_PORT_MAPPING_FAILED;
}

#define FALL_BACK ((HRESULT)1) /* internal: speak NAT-PMP */

/* A MAP or PEER request for lease l: its nonce, protocol and internal side (the rest zero). */
void rtcpm_pcp_pm_lease_request(const struct pcp_lease *l, uint8_t opcode, uint32_t lifetime,
                                struct rtcpm_pcp_request *rq)
{
    memset(rq, 0, sizeof(*rq));
    rq->opcode = opcode;
    rq->lifetime = lifetime;
    rq->client = l->internal;
    memcpy(rq->nonce, l->nonce, sizeof(rq->nonce));
    rq->protocol = l->protocol;
    rq->internal_port = l->internal.port;
}

static HRESULT ask_pcp(struct pcp_pm *pm, rtcpm_socket *s, struct pcp_lease *l, uint32_t lifetime, uint64_t deadline,
                       char *why, size_t whylen)
{
    struct rtcpm_pcp_client_config cfg = { pm->set.rto_ms, (uint32_t)pcp_pm_ms_left(deadline), NULL, NULL };
    struct rtcpm_pcp_request rq;
    struct rtcpm_pcp_exchange *x = malloc(sizeof(*x));
    HRESULT hr = S_OK;
    if (!x) return E_OUTOFMEMORY;
    rtcpm_pcp_pm_lease_request(l, RTCPM_PCP_OP_MAP, lifetime, &rq);
    rq.external_port = lifetime ? l->actual.port : 0;
    if (cfg.budget_ms)
        rtcpm_pcp_exchange(s, &l->server, &rq, &cfg, x);
    else
        x->status = RTCPM_PCP_X_TIMEOUT;
    count_requests(pm, x->requests_sent);
    if (x->status == RTCPM_PCP_X_NATPMP_ONLY ||
        (x->status == RTCPM_PCP_X_OK && x->pcp.result == RTCPM_PCP_UNSUPP_VERSION))
        hr = FALL_BACK;
    else if (x->status != RTCPM_PCP_X_OK)
        no_answer(x, &l->server, s, "PCP", why, whylen), hr = RTC_E_PORT_MAPPING_FAILED;
    else
    {
        saw_epoch(pm, l, x->pcp.epoch);
        if (x->pcp.result != RTCPM_PCP_SUCCESS)
            hr = refused(&l->server, l, 0, x->pcp.result, why, whylen);
        else if (lifetime && (!x->pcp.lifetime || !x->pcp.external_port || !x->pcp.map_present))
            rtcpm_cfg_set_err(why, whylen, "%s answered SUCCESS without a usable mapping (lifetime %lu, port %u)",
                              rtcpm_addr_hostport_text(&l->server, (char[RTCPM_ADDR_HOSTPORT_TEXT_SIZE]){ 0 }),
                              (unsigned long)x->pcp.lifetime, x->pcp.external_port),
                hr = RTC_E_PORT_MAPPING_FAILED;
        else
        {
            l->actual = x->pcp.external;
            l->actual.port = x->pcp.external_port;
            l->lifetime = x->pcp.lifetime;
            l->natpmp = 0;
        }
    }
    free(x);
    return hr;
}

/* NAT-PMP: the external address (opcode 0) when not known, then the mapping. */
static HRESULT ask_natpmp(struct pcp_pm *pm, rtcpm_socket *s, struct pcp_lease *l, uint32_t lifetime, uint64_t deadline,
                          char *why, size_t whylen)
{
    struct rtcpm_pcp_client_config cfg = { pm->set.rto_ms, 0, NULL, NULL };
    struct rtcpm_natpmp_request rq;
    struct rtcpm_pcp_exchange *x = malloc(sizeof(*x));
    rtcpm_addr ext;
    HRESULT hr = S_OK;
    if (!x) return E_OUTOFMEMORY;
    memset(&rq, 0, sizeof(rq));
    rtcpm_lock_acquire(&pm->lock);
    ext = pm->srv[pcp_family_index(l->server.family)].natpmp_external;
    rtcpm_lock_release(&pm->lock);
    if (ext.family == RTCPM_AF_NONE && lifetime)
    {
        cfg.budget_ms = (uint32_t)pcp_pm_ms_left(deadline);
        if (cfg.budget_ms)
            rtcpm_natpmp_exchange(s, &l->server, &rq, &cfg, x);
        else
            x->status = RTCPM_PCP_X_TIMEOUT;
        count_requests(pm, x->requests_sent);
        if (x->status != RTCPM_PCP_X_OK)
            hr = (no_answer(x, &l->server, s, "NAT-PMP", why, whylen), RTC_E_PORT_MAPPING_FAILED);
        else if (x->natpmp.result)
            hr = refused(&l->server, l, 1, x->natpmp.result, why, whylen);
        else
        {
            saw_epoch(pm, l, x->natpmp.epoch);
            ext = x->natpmp.external;
            rtcpm_lock_acquire(&pm->lock);
            pm->srv[pcp_family_index(l->server.family)].natpmp_external = ext;
            rtcpm_lock_release(&pm->lock);
        }
    }
    if (SUCCEEDED(hr))
    {
        rq.opcode = l->protocol == RTCPM_PCP_PROTO_UDP ? RTCPM_NATPMP_OP_MAP_UDP : RTCPM_NATPMP_OP_MAP_TCP;
        rq.internal_port = l->internal.port;
        rq.external_port = lifetime ? l->actual.port : 0;
        rq.lifetime = lifetime;
        cfg.budget_ms = (uint32_t)pcp_pm_ms_left(deadline);
        if (cfg.budget_ms)
            rtcpm_natpmp_exchange(s, &l->server, &rq, &cfg, x);
        else
            x->status = RTCPM_PCP_X_TIMEOUT;
        count_requests(pm, x->requests_sent);
        if (x->status != RTCPM_PCP_X_OK)
            hr = (no_answer(x, &l->server, s, "NAT-PMP", why, whylen), RTC_E_PORT_MAPPING_FAILED);
        else if (x->natpmp.result)
            hr = refused(&l->server, l, 1, x->natpmp.result, why, whylen);
        else
        {
            saw_epoch(pm, l, x->natpmp.epoch);
            if (lifetime && (!x->natpmp.lifetime || !x->natpmp.external_port))
                hr = RTC_E_PORT_MAPPING_FAILED, rtcpm_cfg_set_err(why, whylen, "NAT-PMP success without a mapping");
            l->actual = ext;
            l->actual.port = x->natpmp.external_port;
            l->lifetime = x->natpmp.lifetime;
            l->natpmp = 1;
        }
    }
    free(x);
    return hr;
}

HRESULT rtcpm_pcp_pm_request(struct pcp_pm *pm, struct pcp_lease *l, uint32_t lifetime, uint64_t deadline, char *why,
                             size_t whylen)
{
    rtcpm_socket *s = NULL;
    rtcpm_addr from = l->internal;
    enum pcp_proto proto;
    int os_error = 0, rc;
    HRESULT hr;

    from.port = 0;
    if ((rc = rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &from, &os_error)))
    {
        char a1[RTCPM_ADDR_TEXT_SIZE], os_text[128];
        rtcpm_cfg_set_err(why, whylen, "cannot bind a UDP socket on %s: %s (%s)", rtcpm_addr_text(&from, a1),
                          rtcpm_sock_error_name(rc), rtcpm_os_error_text(os_error, os_text, sizeof(os_text)));
        return RTC_E_PORT_MAPPING_FAILED;
    }
    rtcpm_lock_acquire(&pm->lock);
    proto = pm->set.protocol == RTCPM_PCP_PM_NATPMP ? PCP_PROTO_NATPMP
            : pm->set.protocol == RTCPM_PCP_PM_PCP  ? PCP_PROTO_PCP
                                                    : pm->srv[pcp_family_index(l->server.family)].proto;
    rtcpm_lock_release(&pm->lock);
    /* a lease keeps the protocol it was made with (a delete or renewal of a NAT-PMP one) */
    if (l->lifetime && pm->set.protocol == RTCPM_PCP_PM_AUTO) proto = l->natpmp ? PCP_PROTO_NATPMP : PCP_PROTO_PCP;
    if (!lifetime) rtcpm_pcp_pm_peer_request(pm, s, l, 0, deadline); /* the PEER goes first */
    hr = proto == PCP_PROTO_NATPMP ? FALL_BACK : ask_pcp(pm, s, l, lifetime, deadline, why, whylen);
    if (SUCCEEDED(hr) && lifetime) rtcpm_pcp_pm_peer_request(pm, s, l, lifetime, deadline);
    if (hr == FALL_BACK && pm->set.protocol == RTCPM_PCP_PM_PCP)
        hr = RTC_E_PORT_MAPPING_FAILED,
        rtcpm_cfg_set_err(why, whylen, "%s speaks only NAT-PMP (protocol = pcp)",
                          rtcpm_addr_hostport_text(&l->server, (char[RTCPM_ADDR_HOSTPORT_TEXT_SIZE]){ 0 }));
    if (hr == FALL_BACK)
    {
        if (proto != PCP_PROTO_NATPMP) RTCPM_TRACE(RTCPM_LOG_PM, "the server speaks NAT-PMP, not PCP");
        hr = ask_natpmp(pm, s, l, lifetime, deadline, why, whylen);
    }
    if (SUCCEEDED(hr) && pm->set.protocol == RTCPM_PCP_PM_AUTO)
    {
        rtcpm_lock_acquire(&pm->lock);
        struct pcp_server_state *st = &pm->srv[pcp_family_index(l->server.family)];
        if (rtcpm_addr_equal(&st->addr, &l->server)) st->proto = l->natpmp ? PCP_PROTO_NATPMP : PCP_PROTO_PCP;
        rtcpm_lock_release(&pm->lock);
    }
    rtcpm_socket_close(s);
    return hr;
}

/* ---- a new mapping ---- */

/* Records the mapping RTC will be told and its lease. S_OK, or the failure (the mapping
 * then deleted at the NAT again). */
static HRESULT record(struct pcp_pm *pm, const struct pcp_call *call, const struct rtcpm_pm_probe *p,
                      struct pcp_lease *l, struct rtcpm_mapping *m, char *why, size_t whylen)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], a2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    struct rtcpm_mapping other;
    uint64_t now = rtcpm_clock_ms();
    int rc;

    m->internal = p->internal;
    m->external = l->actual;
    m->remote = call->remote;
    m->port_type = (uint8_t)call->type;
    m->transport = (uint8_t)call->transport;
    l->told = l->actual;
    l->renew_at_ms = now + (uint64_t)l->lifetime * 500u;
    l->expires_ms = now + (uint64_t)l->lifetime * 1000u;
    rtcpm_lock_acquire(&pm->lock);
    rc = rtcpm_mapping_table_insert(pm->base.table, m);
    if (rc == RTCPM_MT_OK && lease_add(pm, l))
    {
        rtcpm_mapping_table_remove(pm->base.table, m->transport, &m->internal, &m->external, NULL);
        rc = RTCPM_MT_E_NOMEM;
    }
    rtcpm_pm_ports_settle(&pm->ports, p, rc == RTCPM_MT_OK ? m : NULL);
    if (rc == RTCPM_MT_OK) pm->stats.mappings++;
    rtcpm_lock_release(&pm->lock);
    if (rc == RTCPM_MT_OK)
    {
        rtcpm_pcp_pm_worker_wake(pm);
        return S_OK;
    }
    if (rc == RTCPM_MT_E_DUPLICATE &&
        rtcpm_mapping_table_find_external(pm->base.table, m->transport, &m->external, &other))
        rtcpm_cfg_set_err(why, whylen, "the NAT gave external %s, already mapped to internal %s",
                          rtcpm_addr_hostport_text(&m->external, a1), rtcpm_addr_hostport_text(&other.internal, a2));
    else
        rtcpm_cfg_set_err(why, whylen, rc == RTCPM_MT_E_NOMEM ? "out of memory" : "internal port %s taken meanwhile",
                          rtcpm_addr_hostport_text(&m->internal, a1));
    return rc == RTCPM_MT_E_NOMEM ? E_OUTOFMEMORY : RTC_E_PORT_MAPPING_FAILED;
}

HRESULT rtcpm_pcp_pm_make_mapping(struct pcp_pm *pm, const struct pcp_call *call, struct rtcpm_mapping *m, char *why,
                                  size_t whylen)
{
    struct rtcpm_pm_probe p;
    struct pcp_lease l;
    rtcpm_addr host;
    HRESULT hr;

    memset(m, 0, sizeof(*m));
    memset(&l, 0, sizeof(l));
    if (FAILED(hr = find_server(pm, call->remote.family, &l.server, why, whylen))) return hr;
    if (call->remote.family != RTCPM_AF_NONE && call->remote.family != l.server.family)
    {
        rtcpm_cfg_set_err(why, whylen, "no PCP server for %s (remote %s)",
                          call->remote.family == RTCPM_AF_INET ? "IPv4" : "IPv6",
                          rtcpm_addr_text(&call->remote, (char[RTCPM_ADDR_TEXT_SIZE]){ 0 }));
        return RTC_E_PORT_MAPPING_UNAVAILABLE;
    }
    if (FAILED(hr = internal_host_for(pm, &l.server, &host, why, whylen))) return hr;
    if (FAILED(hr = rtcpm_pm_ports_open(&pm->ports, call->type, call->transport, &host, &call->remote, NULL, &p, why,
                                        whylen)))
        return hr;
    l.transport = call->transport;
    l.type = call->type;
    l.protocol = call->transport == RTCTR_UDP ? RTCPM_PCP_PROTO_UDP : RTCPM_PCP_PROTO_TCP;
    l.internal = p.internal;
    l.actual.port = p.internal.port; /* the suggestion: the same port outside */
    if (pm->set.peer && rtcpm_pcp_pm_peer_wanted(call->type, &call->remote)) l.peer = call->remote;
    if (rtcpm_random_bytes(l.nonce, sizeof(l.nonce)))
    {
        rtcpm_pm_ports_abandon(&pm->ports, &p);
        rtcpm_cfg_set_err(why, whylen, "the OS gave no random bytes for a nonce");
        return RTC_E_PORT_MAPPING_FAILED;
    }
    hr = rtcpm_pcp_pm_request(pm, &l, pm->set.lifetime_s, call->deadline, why, whylen);
    rtcpm_pm_probe_close(&p);
    if (FAILED(hr))
    {
        rtcpm_pm_ports_abandon(&pm->ports, &p);
        return hr;
    }
    if (FAILED(hr = record(pm, call, &p, &l, m, why, whylen)))
    {
        char ignored[PCP_PM_WHY_MAX];
        rtcpm_pcp_pm_request(pm, &l, 0, rtcpm_clock_ms() + pm->set.timeout_ms, ignored, sizeof(ignored));
    }
    return hr;
}

/* ---- a delete ---- */

void rtcpm_pcp_pm_delete_lease(struct pcp_pm *pm, LONG transport, const rtcpm_addr *internal, uint64_t deadline)
{
    char why[PCP_PM_WHY_MAX], a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    struct pcp_lease *found, l;
    HRESULT hr;

    rtcpm_lock_acquire(&pm->lock);
    while ((found = rtcpm_pcp_pm_find_lease(pm, transport, internal)) && found->busy && pcp_pm_ms_left(deadline))
        rtcpm_cond_wait(&pm->cond, &pm->lock, (long)pcp_pm_ms_left(deadline));
    if (!found || found->busy)
    {
        if (found) found->released = 1; /* the worker still has it: it deletes it then */
        rtcpm_lock_release(&pm->lock);
        if (found) RTCPM_TRACE(RTCPM_LOG_PM, "delete of a lease being renewed: left to the worker");
        return;
    }
    l = *found;
    rtcpm_pcp_pm_drop_lease(pm, found);
    rtcpm_lock_release(&pm->lock);
    hr = rtcpm_pcp_pm_request(pm, &l, 0, deadline, why, sizeof(why));
    rtcpm_lock_acquire(&pm->lock);
    if (SUCCEEDED(hr))
        pm->stats.deletes++;
    else
        rtcpm_pcp_pm_event(pm, "delete of %s %s got no answer (it expires at the NAT): %s",
                           rtcpm_pm_transport_name(l.transport), rtcpm_addr_hostport_text(&l.internal, a1), why);
    rtcpm_lock_release(&pm->lock);
}
