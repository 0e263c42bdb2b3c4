/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stun_pm_discovery.c — the external side of a probe's port, asked of the STUN servers from
 * that very port (UDP: the servers in order on one socket; TCP: one connection per server,
 * each from the probe's port), and the second opinion on the NAT's mapping behaviour (the
 * symmetric check). No lock is held across a transaction; results are recorded under it.
 */
#include <stdlib.h>
#include <string.h>
#include "pm/stun_pm_private.h"
#include "pm/config.h"
#include "com/log.h"

size_t rtcpm_stun_pm_servers_of(const struct stun_pm *pm, int family, rtcpm_addr *out)
{
    size_t i, n = 0;
    for (i = 0; i < pm->set.server_count; i++)
        if (pm->set.servers[i].family == family) out[n++] = pm->set.servers[i];
    return n;
}

/* One server's share of the budget: server-timeout, else timeout / servers. */
static uint32_t server_timeout(const struct stun_pm *pm, size_t servers)
{
    uint32_t t = pm->set.server_timeout_ms;
    if (!t) t = pm->set.timeout_ms / (uint32_t)(servers ? servers : 1);
    return t ? t : 1;
}

static void stun_config(struct stun_pm *pm, rtcpm_stun_config *cfg, uint64_t deadline_ms, int cancellable)
{
    rtcpm_stun_config_init(cfg);
    cfg->rto_ms = pm->set.rto_ms;
    cfg->max_requests = pm->set.retransmissions + 1;
    cfg->final_wait_rto = 16; /* the deadline ends the wait long before */
    cfg->classic = pm->set.classic != 0;
    cfg->software = "rtcpm";
    cfg->deadline_ms = (uint32_t)deadline_ms;
    cfg->tcp_timeout_ms = (uint32_t)deadline_ms;
    if (cancellable)
    {
        cfg->cancelled = rtcpm_stun_pm_worker_cancelled;
        cfg->cancel_ctx = pm;
    }
}

static void count(struct stun_pm *pm, LONG transactions, LONG requests, LONG checks)
{
    rtcpm_lock_acquire(&pm->lock);
    pm->stats.transactions += transactions;
    pm->stats.requests += requests;
    pm->stats.symmetric_checks += checks;
    rtcpm_lock_release(&pm->lock);
}

/* The reason a discovery failed, for last_error: "no answer from 198.19.1.2:3478 within
 * 3000 ms (7 requests, from udp 192.168.1.10:30000)". */
static void describe_failure(const struct rtcpm_pm_probe *p, const rtcpm_stun_result *res, char *why, size_t whylen)
{
    char server[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], internal[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], text[200], count[32] = "";
    size_t tried = res->server_index + 1;
    if (res->status == RTCPM_STUN_E_TIMEOUT)
    {
        rtcpm_cfg_set_err(text, sizeof(text), "no answer from %s within %llu ms",
                          rtcpm_addr_hostport_text(&res->server, server), (unsigned long long)res->elapsed_ms);
        rtcpm_cfg_set_err(count, sizeof(count), "%u request%s, ", (unsigned)res->requests_sent,
                          res->requests_sent == 1 ? "" : "s");
    }
    else
        rtcpm_stun_describe(res, text, sizeof(text));
    rtcpm_cfg_set_err(why, whylen, "%s (%sfrom %s %s)%s", text, count, p->proto == RTCPM_PM_PROTO_UDP ? "udp" : "tcp",
                      rtcpm_addr_hostport_text(&p->internal, internal),
                      tried > 1 ? ": the last of the servers tried" : "");
}

/* UDP: the servers in order from the probe's socket within the deadline. */
static int discover_udp(struct stun_pm *pm, struct rtcpm_pm_probe *p, const rtcpm_addr *servers, size_t n,
                        uint64_t deadline, int cancellable, rtcpm_stun_result *res)
{
    rtcpm_stun_config cfg;
    uint64_t left = stun_pm_ms_left(deadline);
    int rc;

    if (!left)
    {
        memset(res, 0, sizeof(*res));
        res->server = servers[0];
        return res->status = RTCPM_STUN_E_TIMEOUT;
    }
    stun_config(pm, &cfg, server_timeout(pm, n), cancellable);
    rc = rtcpm_stun_binding_list(p->sock, servers, n, &cfg, (uint32_t)left, res);
    count(pm, (LONG)(res->server_index + 1), (LONG)res->requests_sent, 0);
    return rc;
}

/* TCP: one connection per server, each from the probe's port (closed with RST). */
static int discover_tcp(struct stun_pm *pm, struct rtcpm_pm_probe *p, const rtcpm_addr *servers, size_t n,
                        uint64_t deadline, rtcpm_stun_result *res)
{
    size_t i;
    int rc = RTCPM_STUN_E_TIMEOUT;
    memset(res, 0, sizeof(*res));
    res->server = servers[0];
    for (i = 0; i < n; i++)
    {
        rtcpm_stun_config cfg;
        uint64_t left = stun_pm_ms_left(deadline), cap = server_timeout(pm, n);
        if (!left)
        {
            rc = res->status = RTCPM_STUN_E_TIMEOUT;
            break;
        }
        if (!p->sock && rtcpm_socket_open(&p->sock, RTCPM_SOCK_TCP, &p->internal, NULL) != RTCPM_SOCK_OK)
        {
            rc = res->status = RTCPM_STUN_E_SOCKET;
            res->sock_error = RTCPM_SOCK_E_ADDR_IN_USE;
            break;
        }
        stun_config(pm, &cfg, cap < left ? cap : left, 0);
        rc = rtcpm_stun_binding(p->sock, &servers[i], &cfg, res);
        res->server_index = i;
        count(pm, 1, (LONG)res->requests_sent, 0);
        rtcpm_pm_probe_close(p);
        if (rc == RTCPM_STUN_OK) break;
    }
    return rc;
}

/* Whom to ask for the second opinion: the answering server's OTHER-ADDRESS, else a server
 * after it in the list (those before it have just failed). 0 when there is nobody. */
static int second_server(const rtcpm_stun_result *first, const rtcpm_addr *servers, size_t n, rtcpm_addr *target)
{
    size_t i;
    memset(target, 0, sizeof(*target));
    /* RFC 5780 gives OTHER-ADDRESS another IP and port; another port alone still tells a
     * port-dependent (the common symmetric) mapping apart */
    if (first->other_address.family == first->server.family && first->other_address.port &&
        !rtcpm_addr_equal(&first->other_address, &first->server))
        *target = first->other_address;
    for (i = first->server_index + 1; target->family == RTCPM_AF_NONE && i < n; i++)
        if (!rtcpm_addr_equal(&servers[i], &first->server)) *target = servers[i];
    return target->family != RTCPM_AF_NONE;
}

/* The verdict from what two servers saw of the same port (text says why). */
static enum verdict compare_mapped(const rtcpm_stun_result *first, const rtcpm_stun_result *second, char *text,
                                   size_t textlen)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], a2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    char m1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], m2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];

    rtcpm_addr_hostport_text(&first->server, a1);
    rtcpm_addr_hostport_text(&second->server, a2);
    if (rtcpm_addr_equal(&second->mapped, &first->mapped))
    {
        rtcpm_cfg_set_err(text, textlen, "endpoint-independent mapping (%s and %s saw port %u)", a1, a2,
                          first->mapped.port);
        return VERDICT_INDEPENDENT;
    }
    if (rtcpm_addr_equal_host(&second->mapped, &first->mapped))
        rtcpm_cfg_set_err(text, textlen, "symmetric NAT: %s saw port %u, %s saw port %u", a1, first->mapped.port, a2,
                          second->mapped.port);
    else
        rtcpm_cfg_set_err(text, textlen, "symmetric NAT: %s saw %s, %s saw %s", a1,
                          rtcpm_addr_hostport_text(&first->mapped, m1), a2,
                          rtcpm_addr_hostport_text(&second->mapped, m2));
    return VERDICT_SYMMETRIC;
}

/* The second opinion, from the probe's socket: SYMMETRIC, INDEPENDENT, UNCHECKED (the
 * second server did not answer in time) or NONE (nobody to ask: nothing to record); text
 * says which. */
static enum verdict symmetric_check(struct stun_pm *pm, struct rtcpm_pm_probe *p, const rtcpm_stun_result *first,
                                    const struct stun_call *call, char *text, size_t textlen)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], d[160];
    rtcpm_stun_result *res;
    rtcpm_stun_config cfg;
    rtcpm_addr target;
    uint64_t left = stun_pm_ms_left(call->deadline), cap = server_timeout(pm, call->server_count);
    enum verdict v;

    if (!second_server(first, call->servers, call->server_count, &target))
    {
        rtcpm_cfg_set_err(text, textlen, "not checked: no other server to ask and no OTHER-ADDRESS from %s",
                          rtcpm_addr_hostport_text(&first->server, a1));
        return VERDICT_NONE;
    }
    if (!left)
    {
        rtcpm_cfg_set_err(text, textlen, "not checked: no time left to ask %s", rtcpm_addr_hostport_text(&target, a1));
        return VERDICT_UNCHECKED;
    }
    if (!(res = malloc(sizeof(*res))))
    {
        rtcpm_cfg_set_err(text, textlen, "not checked: out of memory");
        return VERDICT_NONE;
    }
    stun_config(pm, &cfg, cap < left ? cap : left, call->background);
    if (rtcpm_stun_binding(p->sock, &target, &cfg, res) == RTCPM_STUN_OK)
        v = compare_mapped(first, res, text, textlen);
    else
    {
        rtcpm_cfg_set_err(text, textlen, "not checked: %s", rtcpm_stun_describe(res, d, sizeof(d)));
        v = VERDICT_UNCHECKED;
    }
    count(pm, 1, (LONG)res->requests_sent, 1);
    free(res);
    return v;
}

/* UDP after a discovery: the symmetric check unless a fresh verdict exists (the worker
 * always checks). S_OK, or RTC_E_PORT_MAPPING_FAILED (symmetric) with why. */
static HRESULT check_mapping_behaviour(struct stun_pm *pm, const struct stun_call *call, struct rtcpm_pm_probe *p,
                                       const rtcpm_stun_result *res, char *why, size_t whylen)
{
    char text[200], a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    enum verdict v = VERDICT_NONE;

    if (!call->background)
    {
        rtcpm_lock_acquire(&pm->lock);
        v = rtcpm_stun_cache_verdict(&pm->cache, &call->internal_host, rtcpm_clock_ms(), NULL, 0);
        rtcpm_lock_release(&pm->lock);
    }
    if (v != VERDICT_NONE) return S_OK;
    v = symmetric_check(pm, p, res, call, text, sizeof(text));
    RTCPM_TRACE(RTCPM_LOG_PM, "%s: %s", rtcpm_addr_text(&call->internal_host, a1), text);
    if (v != VERDICT_NONE)
    {
        rtcpm_lock_acquire(&pm->lock);
        rtcpm_stun_cache_set_verdict(&pm->cache, &call->internal_host, v, text, rtcpm_clock_ms());
        rtcpm_lock_release(&pm->lock);
    }
    if (v != VERDICT_SYMMETRIC) return S_OK;
    rtcpm_cfg_set_err(why, whylen, "%s (seen from %s)", text, rtcpm_addr_hostport_text(&p->internal, a1));
    return RTC_E_PORT_MAPPING_FAILED;
}

/* The discovery itself, into res: S_OK with *mapped, or the failure with why. */
static HRESULT ask_servers(struct stun_pm *pm, const struct stun_call *call, struct rtcpm_pm_probe *p,
                           rtcpm_stun_result *res, rtcpm_addr *mapped, char *why, size_t whylen)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], a2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    int rc = call->tcp ? discover_tcp(pm, p, call->servers, call->server_count, call->deadline, res)
                       : discover_udp(pm, p, call->servers, call->server_count, call->deadline, call->background, res);
    if (rc != RTCPM_STUN_OK)
    {
        describe_failure(p, res, why, whylen);
        return RTC_E_PORT_MAPPING_FAILED;
    }
    *mapped = res->mapped;
    rtcpm_addr_unmap_v4(mapped);
    if (mapped->family != call->internal_host.family)
    {
        rtcpm_cfg_set_err(why, whylen, "%s reported %s, not an address of the internal address's family",
                          rtcpm_addr_hostport_text(&res->server, a1), rtcpm_addr_hostport_text(mapped, a2));
        return RTC_E_PORT_MAPPING_FAILED;
    }
    rtcpm_lock_acquire(&pm->lock);
    rtcpm_stun_cache_saw_external(&pm->cache, &call->internal_host, mapped, rtcpm_clock_ms());
    rtcpm_lock_release(&pm->lock);
    return S_OK;
}

HRESULT rtcpm_stun_pm_discover(struct stun_pm *pm, const struct stun_call *call, struct rtcpm_pm_probe *p,
                               rtcpm_addr *mapped, char *why, size_t whylen)
{
    rtcpm_stun_result *res = malloc(sizeof(*res));
    HRESULT hr;

    if (!res) return E_OUTOFMEMORY;
    hr = ask_servers(pm, call, p, res, mapped, why, whylen);
    if (SUCCEEDED(hr) && !call->tcp && pm->set.symmetric_check)
        hr = check_mapping_behaviour(pm, call, p, res, why, whylen);
    if (SUCCEEDED(hr) && !call->tcp)
    {
        rtcpm_lock_acquire(&pm->lock);
        rtcpm_stun_cache_put(&pm->cache, &p->internal, mapped, &res->server, rtcpm_clock_ms());
        rtcpm_lock_release(&pm->lock);
    }
    free(res);
    return hr;
}

HRESULT rtcpm_stun_pm_external_host(struct stun_pm *pm, const struct stun_call *call, rtcpm_addr *out, char *why,
                                    size_t whylen)
{
    struct rtcpm_pm_probe p;
    rtcpm_stun_result *res;
    int rc, known;

    rtcpm_lock_acquire(&pm->lock);
    known = rtcpm_stun_cache_external(&pm->cache, &call->internal_host, rtcpm_clock_ms(), out);
    rtcpm_lock_release(&pm->lock);
    if (known) return S_OK;

    memset(&p, 0, sizeof(p));
    p.proto = RTCPM_PM_PROTO_UDP;
    p.internal = call->internal_host;
    p.internal.port = 0;
    if (rtcpm_socket_open(&p.sock, RTCPM_SOCK_UDP, &p.internal, NULL) != RTCPM_SOCK_OK)
    {
        rtcpm_cfg_set_err(why, whylen, "cannot bind a UDP socket to learn the external address");
        return RTC_E_PORT_MAPPING_FAILED;
    }
    rtcpm_socket_local_addr(p.sock, &p.internal);
    if (!(res = malloc(sizeof(*res))))
    {
        rtcpm_pm_probe_close(&p);
        return E_OUTOFMEMORY;
    }
    rc = discover_udp(pm, &p, call->servers, call->server_count, call->deadline, 0, res);
    rtcpm_pm_probe_close(&p);
    if (rc != RTCPM_STUN_OK)
    {
        describe_failure(&p, res, why, whylen);
        free(res);
        return RTC_E_PORT_MAPPING_FAILED;
    }
    *out = res->mapped;
    out->port = 0;
    rtcpm_lock_acquire(&pm->lock);
    rtcpm_stun_cache_saw_external(&pm->cache, &call->internal_host, &res->mapped, rtcpm_clock_ms());
    rtcpm_stun_cache_put(&pm->cache, &p.internal, &res->mapped, &res->server, rtcpm_clock_ms());
    rtcpm_lock_release(&pm->lock);
    free(res);
    return S_OK;
}
