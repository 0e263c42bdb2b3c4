/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcp_pm_peer.c — the PEER mapping (RFC 6887 12) the PCP port manager keeps beside a MAP
 * whose remote it knows (GetMappingEx with a remote address and port for a media port,
 * UpdateRemoteAddressEx2).
 *
 * Why: a MAP only makes the NAT forward inbound packets to the internal port. When the
 * client sends first from that port (rtcdll answering an incoming call sends RTP at once), a
 * NAT that allocates ports at random for outbound flows (MASQUERADE --random-fully) gives
 * that flow another external port, and the remote's packets to the MAP's port then clash
 * with the flow and are dropped. A PEER for (internal port, remote) with the MAP's external
 * port suggested makes the NAT use that port for the flow to the remote (miniupnpd built
 * with --pcp-peer adds an SNAT rule in its postrouting chain).
 *
 * Rules: the PEER uses the MAP's nonce, protocol, internal port and lifetime, and is sent
 * right after each MAP (made, renewed, re-created) on the same socket; a release deletes it
 * (lifetime 0) before the MAP. The MAP's answer stays what RTC is told: a PEER answered with
 * another external address or port is an event (the flow to the remote then leaves from
 * there), and so is a PEER refused or unanswered: the MAP still serves inbound packets, so
 * neither fails the mapping. NAT-PMP has no PEER.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com/log.h"
#include "pm/config.h"
#include "pm/pcp_pm_private.h"

int rtcpm_pcp_pm_peer_wanted(LONG type, const rtcpm_addr *remote)
{
    if (type == RTCPT_SIP || (remote->family != RTCPM_AF_INET && remote->family != RTCPM_AF_INET6)) return 0;
    return remote->port && !rtcpm_addr_is_unspecified(remote);
}

/* (locked) The event of one PEER exchange that did not go as asked. */
static void peer_event(struct pcp_pm *pm, const struct pcp_lease *l, uint32_t lifetime, const char *what)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], a2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    rtcpm_pcp_pm_event(pm, "PEER %s %s towards %s: %s", lifetime ? "for" : "delete of",
                       rtcpm_addr_hostport_text(&l->internal, a1), rtcpm_addr_hostport_text(&l->peer, a2), what);
}

/* (locked) What the answer x to a PEER of lease l means for l. */
static void peer_answered(struct pcp_pm *pm, struct pcp_lease *l, uint32_t lifetime, const struct rtcpm_pcp_exchange *x)
{
    char text[160], name[20], a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], a2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    rtcpm_addr ext;
    if (x->status != RTCPM_PCP_X_OK)
    {
        snprintf(text, sizeof(text), "no answer within %llu ms (%s, %lu request(s))", (unsigned long long)x->elapsed_ms,
                 rtcpm_pcp_exchange_status_name(x->status), (unsigned long)x->requests_sent);
        peer_event(pm, l, lifetime, text);
        if (!lifetime) l->peer_live = 0; /* it expires at the NAT */
        return;
    }
    if (!lifetime)
    {
        l->peer_live = 0;
        if (x->pcp.result != RTCPM_PCP_SUCCESS) peer_event(pm, l, lifetime, rtcpm_pcp_result_name(x->pcp.result, name));
        return;
    }
    if (x->pcp.result != RTCPM_PCP_SUCCESS || !x->pcp.map_present)
    {
        snprintf(text, sizeof(text), "%s (PCP result %u): the MAP alone serves the remote",
                 rtcpm_pcp_result_name(x->pcp.result, name), x->pcp.result);
        peer_event(pm, l, lifetime, text);
        l->peer_live = 0;
        return;
    }
    l->peer_live = 1;
    ext = x->pcp.external;
    ext.port = x->pcp.external_port;
    if (!rtcpm_addr_equal(&ext, &l->actual))
    {
        snprintf(text, sizeof(text), "external %s, not the MAP's %s: RTC keeps the MAP's",
                 rtcpm_addr_hostport_text(&ext, a1), rtcpm_addr_hostport_text(&l->actual, a2));
        peer_event(pm, l, lifetime, text);
    }
    else
        RTCPM_TRACE(RTCPM_LOG_PM, "PEER %s -> %s towards %s, %lu s", rtcpm_addr_hostport_text(&l->internal, a1),
                    rtcpm_addr_hostport_text(&ext, a2),
                    rtcpm_addr_hostport_text(&l->peer, (char[RTCPM_ADDR_HOSTPORT_TEXT_SIZE]){ 0 }),
                    (unsigned long)x->pcp.lifetime);
}

void rtcpm_pcp_pm_peer_request(struct pcp_pm *pm, rtcpm_socket *s, struct pcp_lease *l, uint32_t lifetime,
                               uint64_t deadline)
{
    struct rtcpm_pcp_client_config cfg = { pm->set.rto_ms, (uint32_t)pcp_pm_ms_left(deadline), NULL, NULL };
    struct rtcpm_pcp_request rq;
    struct rtcpm_pcp_exchange *x;
    if (l->natpmp || l->peer.family == RTCPM_AF_NONE || (!lifetime && !l->peer_live)) return;
    if (!(x = malloc(sizeof(*x)))) return;
    rtcpm_pcp_pm_lease_request(l, RTCPM_PCP_OP_PEER, lifetime, &rq);
    rq.external_port = l->actual.port; /* the MAP's: the flow to the remote leaves from there */
    rq.external = l->actual;
    rq.external.port = 0;
    rq.remote = l->peer;
    if (cfg.budget_ms)
        rtcpm_pcp_exchange(s, &l->server, &rq, &cfg, x);
    else
        memset(x, 0, sizeof(*x)), x->status = RTCPM_PCP_X_TIMEOUT;
    rtcpm_lock_acquire(&pm->lock);
    pm->stats.requests += (LONG)x->requests_sent;
    peer_answered(pm, l, lifetime, x);
    rtcpm_lock_release(&pm->lock);
    free(x);
}

/* Deletes the PEER of lease l towards its old remote and makes one towards remote. */
static void move_peer(struct pcp_pm *pm, struct pcp_lease *l, const rtcpm_addr *remote, uint64_t deadline)
{
    rtcpm_socket *s = NULL;
    rtcpm_addr from = l->internal;
    int os_error = 0, rc;
    from.port = 0;
    if ((rc = rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &from, &os_error)))
    {
        rtcpm_lock_acquire(&pm->lock);
        peer_event(pm, l, 1, rtcpm_sock_error_name(rc));
        rtcpm_lock_release(&pm->lock);
        return;
    }
    rtcpm_pcp_pm_peer_request(pm, s, l, 0, deadline);
    l->peer = *remote;
    if (!rtcpm_pcp_pm_peer_wanted(l->type, remote)) l->peer.family = RTCPM_AF_NONE;
    rtcpm_pcp_pm_peer_request(pm, s, l, l->lifetime ? pm->set.lifetime_s : 0, deadline);
    rtcpm_socket_close(s);
}

/* The remote of the lease of (transport, internal) changed: its PEER follows. */
static void remote_changed(struct pcp_pm *pm, LONG transport, const rtcpm_addr *internal, const rtcpm_addr *remote)
{
    uint64_t deadline = rtcpm_clock_ms() + pm->set.timeout_ms;
    struct pcp_lease *found, copy;
    rtcpm_lock_acquire(&pm->lock);
    while ((found = rtcpm_pcp_pm_find_lease(pm, transport, internal)) && found->busy && pcp_pm_ms_left(deadline))
        rtcpm_cond_wait(&pm->cond, &pm->lock, (long)pcp_pm_ms_left(deadline));
    if (!pm->set.peer || !found || found->busy || found->natpmp || rtcpm_addr_equal(&found->peer, remote))
    {
        rtcpm_lock_release(&pm->lock);
        return;
    }
    found->busy = 1;
    copy = *found;
    rtcpm_lock_release(&pm->lock);
    move_peer(pm, &copy, remote, deadline);
    rtcpm_lock_acquire(&pm->lock);
    if ((found = rtcpm_pcp_pm_find_lease(pm, transport, internal)))
    {
        found->busy = 0;
        found->peer = copy.peer;
        found->peer_live = copy.peer_live;
        rtcpm_cond_broadcast(&pm->cond);
        if (found->released) /* released meanwhile: the delete was left to whoever held it */
        {
            char why[PCP_PM_WHY_MAX];
            copy = *found;
            rtcpm_pcp_pm_drop_lease(pm, found);
            rtcpm_lock_release(&pm->lock);
            rtcpm_pcp_pm_request(pm, &copy, 0, rtcpm_clock_ms() + pm->set.timeout_ms, why, sizeof(why));
            return;
        }
    }
    rtcpm_lock_release(&pm->lock);
}

HRESULT WINAPI rtcpm_pcp_pm_UpdateRemoteAddressEx2(IRTCPortManager3 *iface, BSTR remote_text, LONG remote_port,
                                                   LONG transport, BSTR int_addr, LONG int_port, BSTR ext_addr,
                                                   LONG ext_port)
{
    struct pcp_pm *pm = CONTAINING_RECORD(iface, struct pcp_pm, base.IRTCPortManager3_iface);
    rtcpm_addr in, ex, remote;
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %ld, %ld, %s, %ld): the table's update, then the PEER's", (void *)iface,
                rtcpm_debugstr_w(remote_text), (long)remote_port, (long)transport, rtcpm_debugstr_w(int_addr),
                (long)int_port);
    hr = rtcpm_pm_UpdateRemoteAddressEx2(iface, remote_text, remote_port, transport, int_addr, int_port, ext_addr,
                                         ext_port);
    if (FAILED(hr)) return hr;
    if (FAILED(rtcpm_pm_mapping_key(transport, int_addr, int_port, ext_addr, ext_port, &in, &ex)) ||
        FAILED(rtcpm_pm_addr_from_bstr(remote_text, 0, remote_port, &remote)))
        return hr; /* the table took them: not reached */
    rtcpm_addr_unmap_v4(&remote);
    remote_changed(pm, transport, &in, &remote);
    return hr;
}
