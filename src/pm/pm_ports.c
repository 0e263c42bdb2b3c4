/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_ports.c — claims, ranges, RTP/RTCP pairing and bind probes: see pm_ports.h.
 */
#include <stdlib.h>
#include <string.h>
#include "pm/pm_ports.h"
#include "pm/config.h"

#define OS_PICK_TRIES 16 /* OS-picked ports one call may reject (parity, taken) */

static const char *proto_name(int proto) { return proto == RTCPM_PM_PROTO_UDP ? "UDP" : "TCP"; }
static enum rtcpm_sock_type sock_type(int proto)
{
    return proto == RTCPM_PM_PROTO_UDP ? RTCPM_SOCK_UDP : RTCPM_SOCK_TCP;
}

HRESULT rtcpm_pm_ports_init(struct rtcpm_pm_ports *ports, struct rtcpm_lock *lock, struct rtcpm_mapping_table *table,
                            const struct rtcpm_pm_port_range *ranges, size_t range_count)
{
    memset(ports, 0, sizeof(*ports));
    if (range_count > RTCPM_PM_PORTS_MAX_RANGES) return E_INVALIDARG;
    ports->lock = lock;
    ports->table = table;
    if (range_count) memcpy(ports->ranges, ranges, range_count * sizeof(*ranges));
    ports->range_count = range_count;
    return S_OK;
}

void rtcpm_pm_ports_destroy(struct rtcpm_pm_ports *ports)
{
    free(ports->claims);
    ports->claims = NULL;
    ports->claim_count = ports->claim_cap = 0;
}

/* ---- ranges ---- */

/* The range serving (type, transport): the first matching one; an RTCP type without one
 * of its own takes its RTP type's (*in_rtp_range set: odd ports preferred there). */
static int range_for(const struct rtcpm_pm_ports *ports, int type, LONG transport, int *in_rtp_range)
{
    size_t i;
    int pass;
    *in_rtp_range = 0;
    for (pass = 0; pass < 2; pass++)
    {
        int want = pass ? type - 1 : type;
        if (pass && !rtcpm_pm_is_rtcp(type)) break;
        for (i = 0; i < ports->range_count; i++)
        {
            const struct rtcpm_pm_port_range *r = &ports->ranges[i];
            if ((r->port_type == want || r->port_type == RTCPM_PORT_TYPE_ANY) && (r->transports & (unsigned)transport))
            {
                *in_rtp_range = pass;
                return (int)i;
            }
        }
    }
    return -1;
}

static int port_in_any_range(const struct rtcpm_pm_ports *ports, uint32_t port)
{
    size_t i;
    for (i = 0; i < ports->range_count; i++)
        if (port >= ports->ranges[i].first && port <= ports->ranges[i].last) return 1;
    return 0;
}

/* ---- claims (locked) ---- */

static struct rtcpm_pm_claim *claim_find(const struct rtcpm_pm_ports *ports, int proto, const rtcpm_addr *a)
{
    size_t i;
    for (i = 0; i < ports->claim_count; i++)
        if (ports->claims[i].proto == proto && rtcpm_addr_equal(&ports->claims[i].addr, a)) return &ports->claims[i];
    return NULL;
}

static int claim_add(struct rtcpm_pm_ports *ports, int proto, const rtcpm_addr *a)
{
    if (ports->claim_count == ports->claim_cap)
    {
        size_t cap = ports->claim_cap ? ports->claim_cap * 2 : 16;
        struct rtcpm_pm_claim *grown = realloc(ports->claims, cap * sizeof(*grown));
        if (!grown) return -1;
        ports->claims = grown;
        ports->claim_cap = cap;
    }
    memset(&ports->claims[ports->claim_count], 0, sizeof(ports->claims[0]));
    ports->claims[ports->claim_count].proto = proto;
    ports->claims[ports->claim_count].addr = *a;
    ports->claim_count++;
    return 0;
}

/* Removes the claim (order kept: the oldest RTCP reservation is found first). */
static void claim_remove(struct rtcpm_pm_ports *ports, struct rtcpm_pm_claim *c)
{
    size_t i = (size_t)(c - ports->claims);
    memmove(c, c + 1, (ports->claim_count - i - 1) * sizeof(*c));
    ports->claim_count--;
}

static void claim_drop(struct rtcpm_pm_ports *ports, int proto, const rtcpm_addr *a)
{
    struct rtcpm_pm_claim *c = claim_find(ports, proto, a);
    if (c) claim_remove(ports, c);
}

/* Claims port (and port + 1 when pair). 0, or -1 out of memory (nothing claimed). */
static int claim_ports(struct rtcpm_pm_ports *ports, int proto, const rtcpm_addr *host, uint16_t port, int pair)
{
    rtcpm_addr a = *host;
    a.port = port;
    if (claim_add(ports, proto, &a)) return -1;
    if (pair)
    {
        a.port = (uint16_t)(port + 1);
        if (claim_add(ports, proto, &a))
        {
            a.port = port;
            claim_drop(ports, proto, &a);
            return -1;
        }
    }
    return 0;
}

static void unclaim_ports(struct rtcpm_pm_ports *ports, int proto, const rtcpm_addr *internal, int pair)
{
    rtcpm_addr a = *internal;
    claim_drop(ports, proto, &a);
    if (pair)
    {
        a.port = (uint16_t)(a.port + 1);
        claim_drop(ports, proto, &a);
    }
}

/* Free: no claim, no live mapping of its port namespace (TCP and TLS share ports). */
static int port_free(const struct rtcpm_pm_ports *ports, int proto, const rtcpm_addr *a)
{
    if (claim_find(ports, proto, a)) return 0;
    if (proto == RTCPM_PM_PROTO_UDP) return !rtcpm_mapping_table_find_internal(ports->table, RTCTR_UDP, a, NULL);
    return !rtcpm_mapping_table_find_internal(ports->table, RTCTR_TCP, a, NULL) &&
           !rtcpm_mapping_table_find_internal(ports->table, RTCTR_TLS, a, NULL);
}

static int was_tried(const struct rtcpm_pm_port_search *s, uint32_t port)
{
    size_t i;
    for (i = 0; i < s->tried_count; i++)
        if (s->tried[i] == port) return 1;
    return 0;
}

int rtcpm_pm_ports_fits(const struct rtcpm_pm_ports *ports, const struct rtcpm_pm_port_search *s, uint32_t port,
                        int odd_only)
{
    const struct rtcpm_pm_port_range *r = s->range >= 0 ? &ports->ranges[s->range] : NULL;
    uint32_t last = r ? r->last : 65535;
    rtcpm_addr a = s->host;

    if (r ? (port < r->first || port > r->last) : port_in_any_range(ports, port)) return 0;
    if (port < 1 || port > 65535 || was_tried(s, port)) return 0;
    if (s->pair && ((port & 1) || port + 1 > last)) return 0;
    if (odd_only && !(port & 1)) return 0;
    a.port = (uint16_t)port;
    if (!port_free(ports, s->proto, &a)) return 0;
    if (s->pair)
    {
        a.port = (uint16_t)(port + 1);
        if (!port_free(ports, s->proto, &a)) return 0;
    }
    return 1;
}

/* The next fitting port of the search's range, round robin (the caller claims it), or 0
 * when none is free. */
static uint16_t pick_in_range(struct rtcpm_pm_ports *ports, const struct rtcpm_pm_port_search *s)
{
    const struct rtcpm_pm_port_range *r = &ports->ranges[s->range];
    uint32_t size = (uint32_t)r->last - r->first + 1, k;
    int pass;
    for (pass = s->odd_first ? 0 : 1; pass < 2; pass++)
        for (k = 0; k < size; k++)
        {
            uint32_t off = (ports->cursor[s->range] + k) % size;
            if (rtcpm_pm_ports_fits(ports, s, r->first + off, pass == 0))
            {
                ports->cursor[s->range] = (off + (s->pair ? 2 : 1)) % size;
                return (uint16_t)(r->first + off);
            }
        }
    return 0;
}

static void tried_add(struct rtcpm_pm_port_search *s, uint16_t port)
{
    if (s->tried_count < RTCPM_PM_PORTS_TRIED_MAX) s->tried[s->tried_count++] = port;
}

/* ---- probes ---- */

/* Opens the probe socket; RTCPM_SOCK_E_ADDR_IN_USE when someone holds the port. For a
 * pair, port + 1 is bound and closed again, only to see that it is free. */
static int bind_probe(struct rtcpm_pm_probe *p, int *os_error)
{
    int rc = rtcpm_socket_open(&p->sock, sock_type(p->proto), &p->internal, os_error);
    if (rc == RTCPM_SOCK_OK && p->pair)
    {
        rtcpm_socket *next;
        rtcpm_addr a = p->internal;
        a.port = (uint16_t)(a.port + 1);
        rc = rtcpm_socket_open(&next, sock_type(p->proto), &a, os_error);
        rtcpm_socket_close(next);
        if (rc != RTCPM_SOCK_OK)
        {
            rtcpm_socket_close(p->sock);
            p->sock = NULL;
        }
    }
    return rc;
}

void rtcpm_pm_probe_close(struct rtcpm_pm_probe *p)
{
    if (p->proto == RTCPM_PM_PROTO_TCP)
        rtcpm_socket_close_abort(p->sock);
    else
        rtcpm_socket_close(p->sock);
    p->sock = NULL;
}

/* The RTCP port kept for this media by an RTP mapping: the one whose RTP mapping had the
 * same remote (calls in parallel), else the oldest. 1 when it is claimed and bound. */
static int open_kept_rtcp(struct rtcpm_pm_ports *ports, struct rtcpm_pm_port_search *s, const rtcpm_addr *remote,
                          struct rtcpm_pm_probe *p)
{
    struct rtcpm_pm_claim *found = NULL;
    int os_error = 0;
    size_t i;

    rtcpm_lock_acquire(ports->lock);
    for (i = 0; i < ports->claim_count; i++)
    {
        struct rtcpm_pm_claim *c = &ports->claims[i];
        if (c->rtcp_for != s->type || c->transport != s->transport || !rtcpm_addr_equal_host(&c->addr, &s->host))
            continue;
        if (!found) found = c;
        if (remote->family != RTCPM_AF_NONE && rtcpm_addr_equal_host(&c->remote, remote))
        {
            found = c;
            break;
        }
    }
    if (found)
    {
        found->rtcp_for = 0; /* now this call's probe claim */
        p->internal = found->addr;
    }
    rtcpm_lock_release(ports->lock);
    if (!found) return 0;
    if (bind_probe(p, &os_error) == RTCPM_SOCK_OK) return 1;
    rtcpm_lock_acquire(ports->lock);
    claim_drop(ports, p->proto, &p->internal);
    rtcpm_lock_release(ports->lock);
    tried_add(s, p->internal.port);
    memset(&p->internal, 0, sizeof(p->internal));
    return 0;
}

/* Picks (preferred port, else the range's next) and claims a port: the port, 0 when there
 * is none, -1 out of memory. */
static int claim_next(struct rtcpm_pm_ports *ports, const struct rtcpm_pm_port_search *s,
                      const struct rtcpm_pm_port_prefer *prefer)
{
    int port = 0;
    rtcpm_lock_acquire(ports->lock);
    if (prefer && prefer->fn) port = prefer->fn(prefer->ctx, ports, s);
    if (!port && s->range >= 0) port = pick_in_range(ports, s);
    if (port && claim_ports(ports, s->proto, &s->host, (uint16_t)port, s->pair)) port = -1;
    rtcpm_lock_release(ports->lock);
    return port;
}

/* Ports of the range (or preferred ones) until one binds. S_OK, S_FALSE (no range and no
 * preferred port: the OS is to pick), or the failure with why. */
static HRESULT open_in_ranges(struct rtcpm_pm_ports *ports, struct rtcpm_pm_port_search *s,
                              const struct rtcpm_pm_port_prefer *prefer, struct rtcpm_pm_probe *p, char *why,
                              size_t whylen)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], os_text[128];
    int os_error = 0, rc, port;

    for (;;)
    {
        if ((port = claim_next(ports, s, prefer)) < 0) return E_OUTOFMEMORY;
        if (!port && s->range < 0) return S_FALSE;
        if (!port)
        {
            const struct rtcpm_pm_port_range *r = &ports->ranges[s->range];
            rtcpm_cfg_set_err(why, whylen, "no free %s port in %u-%u for %s (%u bound by other programs)",
                              proto_name(s->proto), r->first, r->last, rtcpm_cfg_port_type_name(s->type),
                              (unsigned)s->tried_count);
            return RTC_E_PORT_MAPPING_UNAVAILABLE;
        }
        p->internal = s->host;
        p->internal.port = (uint16_t)port;
        if ((rc = bind_probe(p, &os_error)) == RTCPM_SOCK_OK) return S_OK;
        rtcpm_lock_acquire(ports->lock);
        unclaim_ports(ports, p->proto, &p->internal, p->pair);
        rtcpm_lock_release(ports->lock);
        if (rc != RTCPM_SOCK_E_ADDR_IN_USE)
        {
            rtcpm_cfg_set_err(why, whylen, "cannot bind %s %s: %s (%s)", proto_name(p->proto),
                              rtcpm_addr_hostport_text(&p->internal, a1), rtcpm_sock_error_name(rc),
                              rtcpm_os_error_text(os_error, os_text, sizeof(os_text)));
            return RTC_E_PORT_MAPPING_FAILED;
        }
        if (s->tried_count == RTCPM_PM_PORTS_TRIED_MAX)
        {
            rtcpm_cfg_set_err(why, whylen, "%u ports in a row are bound by other programs", RTCPM_PM_PORTS_TRIED_MAX);
            return RTC_E_PORT_MAPPING_UNAVAILABLE;
        }
        tried_add(s, (uint16_t)port);
    }
}

/* Whether an OS-picked port `got` suits and is now claimed (RTP: with port + 1, which must
 * bind too): 1, 0 (does not fit), -1 out of memory. */
static int claim_os_port(struct rtcpm_pm_ports *ports, const struct rtcpm_pm_port_search *s, const rtcpm_addr *got)
{
    rtcpm_socket *next;
    rtcpm_addr b = *got;
    int ok;

    rtcpm_lock_acquire(ports->lock);
    ok = rtcpm_pm_ports_fits(ports, s, got->port, 0);
    if (ok && claim_ports(ports, s->proto, &s->host, got->port, s->pair)) ok = -1;
    rtcpm_lock_release(ports->lock);
    if (ok <= 0 || !s->pair) return ok;
    b.port = (uint16_t)(b.port + 1);
    if (rtcpm_socket_open(&next, sock_type(s->proto), &b, NULL))
    {
        rtcpm_lock_acquire(ports->lock);
        unclaim_ports(ports, s->proto, got, 1);
        rtcpm_lock_release(ports->lock);
        ok = 0;
    }
    rtcpm_socket_close(next);
    return ok;
}

/* No range: the OS picks; what does not fit stays bound until the end, so the OS does not
 * offer it again. */
static HRESULT open_os_picked(struct rtcpm_pm_ports *ports, const struct rtcpm_pm_port_search *s,
                              struct rtcpm_pm_probe *p, char *why, size_t whylen)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], os_text[128];
    rtcpm_socket *held[OS_PICK_TRIES];
    rtcpm_addr any = s->host;
    size_t held_count = 0, i;
    HRESULT hr = RTC_E_PORT_MAPPING_UNAVAILABLE;

    any.port = 0;
    for (i = 0; i < OS_PICK_TRIES && hr == RTC_E_PORT_MAPPING_UNAVAILABLE; i++)
    {
        rtcpm_socket *sock;
        rtcpm_addr got;
        int os_error = 0, ok, rc = rtcpm_socket_open(&sock, sock_type(s->proto), &any, &os_error);
        if (rc != RTCPM_SOCK_OK || rtcpm_socket_local_addr(sock, &got) != RTCPM_SOCK_OK)
        {
            rtcpm_socket_close(sock);
            rtcpm_cfg_set_err(why, whylen, "cannot bind %s %s: %s (%s)", proto_name(s->proto),
                              rtcpm_addr_hostport_text(&any, a1), rtcpm_sock_error_name(rc),
                              rtcpm_os_error_text(os_error, os_text, sizeof(os_text)));
            hr = RTC_E_PORT_MAPPING_FAILED;
            break;
        }
        got.scope_id = s->host.scope_id;
        if ((ok = claim_os_port(ports, s, &got)) < 0)
        {
            rtcpm_socket_close(sock);
            hr = E_OUTOFMEMORY;
        }
        else if (ok)
        {
            p->internal = s->host;
            p->internal.port = got.port;
            p->sock = sock;
            hr = S_OK;
        }
        else
            held[held_count++] = sock;
    }
    for (i = 0; i < held_count; i++) rtcpm_socket_close(held[i]);
    if (hr == RTC_E_PORT_MAPPING_UNAVAILABLE)
        rtcpm_cfg_set_err(why, whylen, "the OS offered %d %s ports on %s, none fitting%s", OS_PICK_TRIES,
                          proto_name(s->proto), rtcpm_addr_text(&s->host, a1),
                          s->pair ? " (RTP: even, next port free)" : "");
    return hr;
}

HRESULT rtcpm_pm_ports_open(struct rtcpm_pm_ports *ports, int type, LONG transport, const rtcpm_addr *host,
                            const rtcpm_addr *remote, const struct rtcpm_pm_port_prefer *prefer,
                            struct rtcpm_pm_probe *p, char *why, size_t whylen)
{
    struct rtcpm_pm_port_search *s;
    HRESULT hr;

    memset(p, 0, sizeof(*p));
    if (!(s = calloc(1, sizeof(*s)))) return E_OUTOFMEMORY;
    s->type = type;
    s->transport = transport;
    s->proto = p->proto = rtcpm_pm_proto_of(transport);
    s->pair = p->pair = rtcpm_pm_is_rtp(type);
    s->host = *host;
    s->range = range_for(ports, type, transport, &s->odd_first);

    if (rtcpm_pm_is_rtcp(type) && open_kept_rtcp(ports, s, remote, p))
        hr = S_OK;
    else if ((hr = open_in_ranges(ports, s, prefer, p, why, whylen)) == S_FALSE)
        hr = open_os_picked(ports, s, p, why, whylen);
    free(s);
    return hr;
}

/* ---- after the call ---- */

void rtcpm_pm_ports_settle(struct rtcpm_pm_ports *ports, const struct rtcpm_pm_probe *p,
                           const struct rtcpm_mapping *recorded)
{
    claim_drop(ports, p->proto, &p->internal);
    if (p->pair)
    {
        rtcpm_addr next = p->internal;
        struct rtcpm_pm_claim *c;
        next.port = (uint16_t)(next.port + 1);
        c = claim_find(ports, p->proto, &next);
        if (c && recorded)
        {
            c->rtcp_for = recorded->port_type + 1;
            c->transport = recorded->transport;
            c->remote = recorded->remote;
        }
        else if (c)
            claim_remove(ports, c);
    }
}

void rtcpm_pm_ports_abandon(struct rtcpm_pm_ports *ports, struct rtcpm_pm_probe *p)
{
    if (p->sock) rtcpm_pm_probe_close(p);
    rtcpm_lock_acquire(ports->lock);
    unclaim_ports(ports, p->proto, &p->internal, p->pair);
    rtcpm_lock_release(ports->lock);
}

void rtcpm_pm_ports_mapping_gone(struct rtcpm_pm_ports *ports, const struct rtcpm_mapping *removed)
{
    rtcpm_addr next = removed->internal;
    struct rtcpm_pm_claim *c;

    if (!rtcpm_pm_is_rtp(removed->port_type)) return;
    next.port = (uint16_t)(next.port + 1);
    rtcpm_lock_acquire(ports->lock);
    c = claim_find(ports, rtcpm_pm_proto_of(removed->transport), &next);
    if (c && c->rtcp_for == removed->port_type + 1) claim_remove(ports, c);
    rtcpm_lock_release(ports->lock);
}
