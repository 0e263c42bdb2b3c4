/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * static_pm.c — the static port manager: one COM object (IRTCPortManager, 2, 3) handing out
 * mappings from hand-configured forwarding rules. Semantics and results: include/rtcpm/static_pm.h.
 *
 * Locks: `lock` guards the rules, their cursors and port bitmaps; the mapping table has its
 * own. Order is always object lock, then table lock. BSTRs are made after both are dropped; if
 * that fails the fresh mapping is removed again, so a failed call leaves nothing behind.
 *
 * Finding a free port: each rule keeps, per transport, a bitmap of the offsets it handed out
 * that are still live, and their count. A full rule is skipped at once and taken ports are
 * skipped 64 at a time; only a port whose bit is clear is offered to the mapping table, which
 * still has the last word (a rule sharing ports with another one finds them taken there).
 * Without the bitmaps every lookup tried each taken port of every full rule in the table:
 * with 10^6 live mappings over 16 rules that was ~10^6 failed inserts per GetMappingEx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pm/static_pm_private.h"
#include "pm/mapping_table.h"
#include "pm/config.h"
#include "pm/pm_common.h"
#include "com/com.h"
#include "com/ftm.h"
#include "os/lock.h"
#include "com/log.h"

/* Transport slots of a rule's bitmaps: RTCTR_UDP, RTCTR_TCP, RTCTR_TLS. */
#define TRANSPORT_SLOTS 3

/* Most rules: a mapping names its rule in a 16-bit tag (rtcpm_mapping.owner). */
#define STATIC_PM_MAX_RULES 65535u

/* What a rule has handed out, per transport slot (NULL bitmap: the rule lacks that transport). */
struct rule_ports
{
    uint64_t *taken[TRANSPORT_SLOTS]; /* bit k: offset k is in a live mapping from this rule */
    uint32_t live[TRANSPORT_SLOTS];   /* bits set */
};

struct static_pm
{
    struct pm_object base; /* the interface and the mapping table */
    LONG ref;
    struct com_ftm ftm; /* thread-safe and keeps no interface pointer: crosses apartments raw */
    struct rtcpm_lock lock;
    struct static_rule *rules;
    struct rule_ports *ports; /* parallel to rules */
    size_t rule_count;
    size_t rule_cap;
};

static const IRTCPortManager3Vtbl static_pm_vtbl;

static inline struct static_pm *impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return CONTAINING_RECORD(iface, struct static_pm, base.IRTCPortManager3_iface);
}

/* The vtable-checking cast: NULL when iface is not a static port manager's. */
static struct static_pm *unsafe_impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return iface && iface->lpVtbl == &static_pm_vtbl ? impl_from_IRTCPortManager3(iface) : NULL;
}

static int transport_slot(LONG t) { return t == RTCTR_UDP ? 0 : t == RTCTR_TCP ? 1 : 2; }

/* ---- rules (checked by static_rule.c) ---- */

HRESULT rtcpm_static_pm_add_rule_ex(IRTCPortManager3 *pm, const struct rtcpm_static_rule *rule, char *err,
                                    size_t errlen)
{
    struct static_rule r;
    rtcpm_addr in, ex;
    char scratch[160];

    if (!err || !errlen)
    {
        err = scratch;
        errlen = sizeof(scratch);
    }
    err[0] = 0;
    if (!unsafe_impl_from_IRTCPortManager3(pm))
    {
        snprintf(err, errlen, "not an rtcpm static port manager");
        return E_INVALIDARG;
    }
    if (!rule) return E_POINTER;
    if (!rule->internal_address || rtcpm_addr_parse(rule->internal_address, strlen(rule->internal_address), &in))
    {
        snprintf(err, errlen, "internal address '%s' is not an IP address",
                 rule->internal_address ? rule->internal_address : "(null)");
        return E_INVALIDARG;
    }
    if (!rule->external_address || rtcpm_addr_parse(rule->external_address, strlen(rule->external_address), &ex))
    {
        snprintf(err, errlen, "external address '%s' is not an IP address",
                 rule->external_address ? rule->external_address : "(null)");
        return E_INVALIDARG;
    }
    if (rtcpm_static_rule_build(rule->port_type, (unsigned)rule->transports, &in, (long)rule->internal_port_first,
                                (long)rule->internal_port_last, &ex, (long)rule->external_port_first,
                                (long)rule->external_port_last, rule->remote, &r, err, errlen))
        return E_INVALIDARG;
    return rtcpm_static_pm_append_rules(pm, &r, 1);
}

HRESULT rtcpm_static_pm_add_rule(IRTCPortManager3 *pm, const struct rtcpm_static_rule *rule)
{
    return rtcpm_static_pm_add_rule_ex(pm, rule, NULL, 0);
}

static void rule_ports_free(struct rule_ports *p)
{
    int t;
    for (t = 0; t < TRANSPORT_SLOTS; t++) free(p->taken[t]);
    memset(p, 0, sizeof(*p));
}

/* Empty bitmaps for the transports of r. 0, or -1 (nothing allocated). */
static int rule_ports_init(struct rule_ports *p, const struct static_rule *r)
{
    static const LONG transports[TRANSPORT_SLOTS] = { RTCTR_UDP, RTCTR_TCP, RTCTR_TLS };
    int t;

    memset(p, 0, sizeof(*p));
    for (t = 0; t < TRANSPORT_SLOTS; t++)
    {
        if (!(r->transports & (unsigned)transports[t])) continue;
        if (!(p->taken[t] = calloc((r->size + 63) / 64, sizeof(uint64_t))))
        {
            rule_ports_free(p);
            return -1;
        }
    }
    return 0;
}

HRESULT rtcpm_static_pm_append_rules(IRTCPortManager3 *iface, const struct static_rule *rules, size_t n)
{
    struct static_pm *pm;
    struct rule_ports *ports;
    HRESULT hr = S_OK;
    size_t i;

    if (!(pm = unsafe_impl_from_IRTCPortManager3(iface))) return E_INVALIDARG;
    if (!n) return S_OK;
    /* bitmaps first, outside the lock: all or nothing */
    if (!(ports = calloc(n, sizeof(*ports)))) return E_OUTOFMEMORY;
    for (i = 0; i < n; i++)
        if (rule_ports_init(&ports[i], &rules[i]))
        {
            while (i--) rule_ports_free(&ports[i]);
            free(ports);
            return E_OUTOFMEMORY;
        }

    rtcpm_lock_acquire(&pm->lock);
    if (n > STATIC_PM_MAX_RULES - pm->rule_count)
        hr = E_OUTOFMEMORY;
    else if (pm->rule_cap - pm->rule_count < n)
    {
        size_t cap = pm->rule_count + n + 4;
        struct static_rule *grown = realloc(pm->rules, cap * sizeof(*grown));
        struct rule_ports *grown_ports = NULL;
        /* each array keeps its old contents if the other cannot grow; rule_cap grows with both */
        if (grown) pm->rules = grown;
        if (grown && (grown_ports = realloc(pm->ports, cap * sizeof(*grown_ports)))) pm->ports = grown_ports;
        if (!grown_ports)
            hr = E_OUTOFMEMORY;
        else
            pm->rule_cap = cap;
    }
    if (SUCCEEDED(hr))
    {
        memcpy(pm->rules + pm->rule_count, rules, n * sizeof(*rules));
        memcpy(pm->ports + pm->rule_count, ports, n * sizeof(*ports));
        pm->rule_count += n;
    }
    rtcpm_lock_release(&pm->lock);
    if (FAILED(hr))
        for (i = 0; i < n; i++) rule_ports_free(&ports[i]);
    free(ports);
    return hr;
}

LONG rtcpm_static_pm_live_mappings(IRTCPortManager3 *iface)
{
    struct static_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    return pm ? (LONG)rtcpm_mapping_table_count(pm->base.table) : -1;
}

size_t rtcpm_static_pm_table_memory(IRTCPortManager3 *iface)
{
    struct static_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    return pm ? rtcpm_mapping_table_memory(pm->base.table) : 0;
}

LONG rtcpm_static_pm_rule_count(IRTCPortManager3 *iface)
{
    struct static_pm *pm;
    LONG n;
    if (!(pm = unsafe_impl_from_IRTCPortManager3(iface))) return -1;
    rtcpm_lock_acquire(&pm->lock);
    n = (LONG)pm->rule_count;
    rtcpm_lock_release(&pm->lock);
    return n;
}

LONG rtcpm_static_pm_format_mappings(IRTCPortManager3 *iface, char *buf, size_t buflen)
{
    struct static_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    return pm ? rtcpm_pm_format_mappings(pm->base.table, buf, buflen) : -1;
}

static int rule_matches(const struct static_rule *r, RTC_PORT_TYPE type, LONG transport, const rtcpm_addr *remote)
{
    unsigned i;
    if (r->port_type != RTCPM_PORT_TYPE_ANY && r->port_type != (int)type) return 0;
    if (!(r->transports & (unsigned)transport)) return 0;
    if (remote->family == RTCPM_AF_NONE) return r->remote_count == 0;
    if (remote->family != r->external.family) return 0;
    if (!r->remote_count) return 1;
    for (i = 0; i < r->remote_count; i++)
        if (rtcpm_prefix_contains(&r->remotes[i], remote)) return 1;
    return 0;
}

/* The first clear bit in [lo, hi), or hi. */
static uint32_t find_clear(const uint64_t *bits, uint32_t lo, uint32_t hi)
{
    while (lo < hi)
    {
        uint64_t free_bits = ~bits[lo / 64] >> (lo % 64);
        if (free_bits)
        {
            uint32_t k = lo + (uint32_t)__builtin_ctzll(free_bits);
            return k < hi ? k : hi;
        }
        lo = (lo / 64 + 1) * 64;
    }
    return hi;
}

/* Records the first free port of the first matching rule in *m, from the rule's cursor on,
 * round robin. Caller holds pm->lock. */
static HRESULT allocate(struct static_pm *pm, RTC_PORT_TYPE type, LONG transport, const rtcpm_addr *remote,
                        struct rtcpm_mapping *m)
{
    int slot = transport_slot(transport);
    size_t i;

    for (i = 0; i < pm->rule_count; i++)
    {
        struct static_rule *r = &pm->rules[i];
        struct rule_ports *ports = &pm->ports[i];
        uint64_t *taken = ports->taken[slot];
        uint32_t range[2][2] = { { r->cursor, r->size }, { 0, r->cursor } };
        int pass;

        if (!rule_matches(r, type, transport, remote) || ports->live[slot] == r->size) continue;
        for (pass = 0; pass < 2; pass++)
        {
            uint32_t off, hi = range[pass][1];
            for (off = find_clear(taken, range[pass][0], hi); off < hi; off = find_clear(taken, off + 1, hi))
            {
                memset(m, 0, sizeof(*m));
                m->internal = r->internal;
                m->internal.port = (uint16_t)(r->internal_first + off);
                m->external = r->external;
                m->external.port = (uint16_t)(r->external_first + off);
                m->remote = *remote;
                m->port_type = (uint8_t)type;
                m->transport = (uint8_t)transport;
                m->owner = (uint16_t)i;
                switch (rtcpm_mapping_table_insert(pm->base.table, m))
                {
                case RTCPM_MT_OK:
                    taken[off / 64] |= (uint64_t)1 << (off % 64);
                    ports->live[slot]++;
                    r->cursor = (off + 1) % r->size;
                    return S_OK;
                case RTCPM_MT_E_DUPLICATE: continue; /* taken through an overlapping rule */
                default: return E_OUTOFMEMORY;
                }
            }
        }
    }
    return RTC_E_PORT_MAPPING_UNAVAILABLE;
}

/* The rule that handed out m no longer has it. Caller holds pm->lock. */
static void forget(struct static_pm *pm, const struct rtcpm_mapping *m)
{
    struct rule_ports *ports;
    uint32_t off;
    int slot = transport_slot(m->transport);

    if (m->owner >= pm->rule_count) return;
    ports = &pm->ports[m->owner];
    off = (uint32_t)(m->internal.port - pm->rules[m->owner].internal_first);
    if (!ports->taken[slot] || off >= pm->rules[m->owner].size) return;
    ports->taken[slot][off / 64] &= ~((uint64_t)1 << (off % 64));
    ports->live[slot]--;
}

HRESULT rtcpm_static_pm_get_mapping(IRTCPortManager3 *iface, RTC_PORT_TYPE type, LONG transport,
                                    const rtcpm_addr *remote, struct rtcpm_mapping *out)
{
    struct static_pm *pm;
    rtcpm_addr peer;
    HRESULT hr;

    if (!out) return E_POINTER;
    memset(out, 0, sizeof(*out));
    if (!(pm = unsafe_impl_from_IRTCPortManager3(iface)) || (unsigned)type > RTCPT_SIP ||
        !rtcpm_pm_transport_valid(transport))
        return E_INVALIDARG;
    if (remote)
        peer = *remote;
    else
        memset(&peer, 0, sizeof(peer));
    rtcpm_addr_unmap_v4(&peer);
    rtcpm_lock_acquire(&pm->lock);
    hr = allocate(pm, type, transport, &peer, out);
    rtcpm_lock_release(&pm->lock);
    if (FAILED(hr)) memset(out, 0, sizeof(*out));
    return hr;
}

HRESULT rtcpm_static_pm_release_mapping(IRTCPortManager3 *iface, LONG transport, const rtcpm_addr *internal,
                                        const rtcpm_addr *external)
{
    struct static_pm *pm;
    struct rtcpm_mapping removed;
    int r;

    if (!(pm = unsafe_impl_from_IRTCPortManager3(iface)) || !rtcpm_pm_transport_valid(transport) || !internal ||
        !external)
        return E_INVALIDARG;
    rtcpm_lock_acquire(&pm->lock);
    r = rtcpm_mapping_table_remove(pm->base.table, (unsigned)transport, internal, external, &removed);
    if (r == RTCPM_MT_OK) forget(pm, &removed);
    rtcpm_lock_release(&pm->lock);
    return r == RTCPM_MT_OK ? S_OK : RTC_E_PORT_MAPPING_UNAVAILABLE;
}

/* ---- IUnknown ---- */

static HRESULT WINAPI static_pm_QueryInterface(IRTCPortManager3 *iface, REFIID riid, void **out)
{
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return rtcpm_pm_query_interface(iface, &impl_from_IRTCPortManager3(iface)->ftm, riid, out);
}

static ULONG WINAPI static_pm_AddRef(IRTCPortManager3 *iface)
{
    LONG ref = com_ref_inc(&impl_from_IRTCPortManager3(iface)->ref);
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p) ref=%ld", (void *)iface, (long)ref);
    return (ULONG)ref;
}

static ULONG WINAPI static_pm_Release(IRTCPortManager3 *iface)
{
    struct static_pm *pm = impl_from_IRTCPortManager3(iface);
    LONG ref = com_ref_dec(&pm->ref);
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p) ref=%ld", (void *)iface, (long)ref);
    if (!ref)
    {
        size_t i;
        RTCPM_TRACE(RTCPM_LOG_PM, "%p destroyed, %lu live mapping(s) dropped", (void *)pm,
                    (unsigned long)rtcpm_mapping_table_count(pm->base.table));
        rtcpm_com_ftm_release(&pm->ftm);
        rtcpm_mapping_table_destroy(pm->base.table);
        rtcpm_lock_destroy(&pm->lock);
        for (i = 0; i < pm->rule_count; i++) rule_ports_free(&pm->ports[i]);
        free(pm->ports);
        free(pm->rules);
        free(pm);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

/* ---- IRTCPortManager3 (the v1/v2 methods, pm_forward_*, call these with UDP) ---- */

static HRESULT WINAPI static_pm_GetMappingEx(IRTCPortManager3 *iface, BSTR remote_text, LONG remote_port,
                                             LONG transport, RTC_PORT_TYPE type, BSTR *int_addr, LONG *int_port,
                                             BSTR *ext_addr, LONG *ext_port)
{
    struct rtcpm_mapping m;
    rtcpm_addr remote;
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %ld, %ld, %d)", (void *)iface, rtcpm_debugstr_w(remote_text),
                (long)remote_port, (long)transport, (int)type);
    if (FAILED(hr = rtcpm_pm_check_get_mapping(remote_text, remote_port, transport, type, int_addr, int_port, ext_addr,
                                               ext_port, &remote)))
        return hr;

    hr = rtcpm_static_pm_get_mapping(iface, type, transport, &remote, &m);
    if (FAILED(hr))
    {
        RTCPM_TRACE(RTCPM_LOG_PM, "type %d %s: no mapping (0x%08lx)", (int)type, rtcpm_pm_transport_name(transport),
                    (unsigned long)(ULONG)hr);
        return hr;
    }
    if (FAILED(hr = rtcpm_pm_return_mapping(&m, int_addr, int_port, ext_addr, ext_port)))
    {
        rtcpm_static_pm_release_mapping(iface, m.transport, &m.internal, &m.external);
        return hr;
    }
    RTCPM_TRACE(RTCPM_LOG_PM, "type %d %s: internal port %u -> external port %u", (int)type,
                rtcpm_pm_transport_name(transport), m.internal.port, m.external.port);
    return S_OK;
}

static HRESULT WINAPI static_pm_ReleaseMappingEx(IRTCPortManager3 *iface, LONG transport, BSTR int_addr, LONG int_port,
                                                 BSTR ext_addr, LONG ext_port)
{
    rtcpm_addr in, ex;
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%ld, %s, %ld, %s, %ld)", (void *)iface, (long)transport,
                rtcpm_debugstr_w(int_addr), (long)int_port, rtcpm_debugstr_w(ext_addr), (long)ext_port);
    if (FAILED(hr = rtcpm_pm_mapping_key(transport, int_addr, int_port, ext_addr, ext_port, &in, &ex))) return hr;
    if (FAILED(hr = rtcpm_static_pm_release_mapping(iface, transport, &in, &ex))) return hr;
    RTCPM_TRACE(RTCPM_LOG_PM, "released %s port %ld", rtcpm_pm_transport_name(transport), (long)int_port);
    return S_OK;
}

/* From pm_common.c: GetMapping, UpdateRemoteAddress, ReleaseMapping, UpdateRemoteAddressEx, UpdateRemoteAddressEx2 */
static const IRTCPortManager3Vtbl static_pm_vtbl = {
    static_pm_QueryInterface,
    static_pm_AddRef,
    static_pm_Release,
    rtcpm_pm_forward_GetMapping,
    rtcpm_pm_forward_UpdateRemoteAddress,
    rtcpm_pm_forward_ReleaseMapping,
    rtcpm_pm_forward_UpdateRemoteAddressEx,
    static_pm_GetMappingEx,
    rtcpm_pm_UpdateRemoteAddressEx2,
    static_pm_ReleaseMappingEx,
};

HRESULT rtcpm_static_pm_create(IRTCPortManager3 **out)
{
    struct static_pm *pm;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!(pm = calloc(1, sizeof(*pm)))) return E_OUTOFMEMORY;
    if (!(pm->base.table = rtcpm_mapping_table_create()))
    {
        free(pm);
        return E_OUTOFMEMORY;
    }
    pm->base.IRTCPortManager3_iface.lpVtbl = &static_pm_vtbl;
    pm->ref = 1;
    if (FAILED(hr = rtcpm_com_ftm_aggregate(&pm->ftm, (IUnknown *)&pm->base.IRTCPortManager3_iface)))
    {
        rtcpm_mapping_table_destroy(pm->base.table);
        free(pm);
        return hr;
    }
    rtcpm_lock_init(&pm->lock);
    rtcpm_com_object_created();
    RTCPM_TRACE(RTCPM_LOG_PM, "%p created", (void *)pm);
    *out = &pm->base.IRTCPortManager3_iface;
    return S_OK;
}
