/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcp_pm.c — the PCP port manager: one COM object (IRTCPortManager, 2, 3 + FTM) that asks
 * the NAT by PCP or NAT-PMP to forward each port it hands to RTC; its create functions and
 * its C API. Behaviour and results: include/rtcpm/pcp_pm.h. How the work is split, and the
 * locks: pcp_pm_private.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com/com.h"
#include "com/log.h"
#include "pm/config.h"
#include "pm/pcp_pm_private.h"

static const IRTCPortManager3Vtbl pcp_pm_vtbl;

static inline struct pcp_pm *impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return CONTAINING_RECORD(iface, struct pcp_pm, base.IRTCPortManager3_iface);
}

/* The vtable-checking cast: NULL when iface is not a PCP port manager's. */
static struct pcp_pm *unsafe_impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return iface && iface->lpVtbl == &pcp_pm_vtbl ? impl_from_IRTCPortManager3(iface) : NULL;
}

/* ---- IUnknown ---- */

static HRESULT WINAPI pcp_pm_QueryInterface(IRTCPortManager3 *iface, REFIID riid, void **out)
{
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return rtcpm_pm_query_interface(iface, &impl_from_IRTCPortManager3(iface)->ftm, riid, out);
}

static ULONG WINAPI pcp_pm_AddRef(IRTCPortManager3 *iface)
{
    LONG ref = com_ref_inc(&impl_from_IRTCPortManager3(iface)->ref);
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p) ref=%ld", (void *)iface, (long)ref);
    return (ULONG)ref;
}

/* Every live mapping is deleted at the NAT, within one call's budget in all. */
static void delete_all(struct pcp_pm *pm)
{
    uint64_t deadline = rtcpm_clock_ms() + pm->set.timeout_ms;
    for (;;)
    {
        struct pcp_lease l;
        rtcpm_lock_acquire(&pm->lock);
        if (!pm->lease_count)
        {
            rtcpm_lock_release(&pm->lock);
            return;
        }
        l = pm->leases[0];
        rtcpm_lock_release(&pm->lock);
        rtcpm_pcp_pm_delete_lease(pm, l.transport, &l.internal, deadline);
    }
}

static void destroy(struct pcp_pm *pm)
{
    rtcpm_pcp_pm_worker_stop(pm);
    delete_all(pm);
    rtcpm_com_ftm_release(&pm->ftm);
    rtcpm_pm_ports_destroy(&pm->ports);
    rtcpm_mapping_table_destroy(pm->base.table);
    rtcpm_cond_destroy(&pm->cond);
    rtcpm_lock_destroy(&pm->lock);
    free(pm->leases);
    free(pm);
}

static ULONG WINAPI pcp_pm_Release(IRTCPortManager3 *iface)
{
    struct pcp_pm *pm = impl_from_IRTCPortManager3(iface);
    LONG ref = com_ref_dec(&pm->ref);
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p) ref=%ld", (void *)iface, (long)ref);
    if (!ref)
    {
        RTCPM_TRACE(RTCPM_LOG_PM, "%p destroyed, deleting %lu live mapping(s) at the NAT", (void *)pm,
                    (unsigned long)pm->lease_count);
        destroy(pm);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

/* ---- IRTCPortManager3 (the v1/v2 methods, pm_forward_*, call these with UDP) ---- */

static void note_result(struct pcp_pm *pm, RTC_PORT_TYPE type, LONG transport, HRESULT hr,
                        const struct rtcpm_mapping *m, const char *why)
{
    char a1[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], a2[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    rtcpm_lock_acquire(&pm->lock);
    rtcpm_cfg_set_err(pm->last_error, sizeof(pm->last_error), "%s", SUCCEEDED(hr) ? "" : why);
    if (FAILED(hr)) pm->stats.failures++;
    rtcpm_lock_release(&pm->lock);
    if (FAILED(hr))
        RTCPM_TRACE(RTCPM_LOG_PM, "type %d %s: 0x%08lx %s", (int)type, rtcpm_pm_transport_name(transport),
                    (unsigned long)(ULONG)hr, why);
    else
        RTCPM_TRACE(RTCPM_LOG_PM, "type %d %s: %s -> %s", (int)type, rtcpm_pm_transport_name(transport),
                    rtcpm_addr_hostport_text(&m->internal, a1), rtcpm_addr_hostport_text(&m->external, a2));
}

static HRESULT WINAPI pcp_pm_GetMappingEx(IRTCPortManager3 *iface, BSTR remote_text, LONG remote_port, LONG transport,
                                          RTC_PORT_TYPE type, BSTR *int_addr, LONG *int_port, BSTR *ext_addr,
                                          LONG *ext_port)
{
    struct pcp_pm *pm = impl_from_IRTCPortManager3(iface);
    char why[PCP_PM_WHY_MAX] = "";
    struct rtcpm_mapping m;
    struct pcp_call call;
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %ld, %ld, %d)", (void *)iface, rtcpm_debugstr_w(remote_text),
                (long)remote_port, (long)transport, (int)type);
    memset(&call, 0, sizeof(call));
    if (FAILED(hr = rtcpm_pm_check_get_mapping(remote_text, remote_port, transport, type, int_addr, int_port, ext_addr,
                                               ext_port, &call.remote)))
        return hr;
    call.type = (int)type;
    call.transport = transport;
    call.deadline = rtcpm_clock_ms() + pm->set.timeout_ms;
    hr = rtcpm_pcp_pm_make_mapping(pm, &call, &m, why, sizeof(why));
    if (SUCCEEDED(hr) && FAILED(hr = rtcpm_pm_return_mapping(&m, int_addr, int_port, ext_addr, ext_port)))
    {
        struct rtcpm_mapping removed;
        if (rtcpm_mapping_table_remove(pm->base.table, m.transport, &m.internal, &m.external, &removed) == RTCPM_MT_OK)
        {
            rtcpm_pm_ports_mapping_gone(&pm->ports, &removed);
            rtcpm_pcp_pm_delete_lease(pm, m.transport, &m.internal, rtcpm_clock_ms() + pm->set.timeout_ms);
        }
        rtcpm_cfg_set_err(why, sizeof(why), "out of memory");
    }
    note_result(pm, type, transport, hr, &m, why);
    return hr;
}

static HRESULT WINAPI pcp_pm_ReleaseMappingEx(IRTCPortManager3 *iface, LONG transport, BSTR int_addr, LONG int_port,
                                              BSTR ext_addr, LONG ext_port)
{
    struct pcp_pm *pm = impl_from_IRTCPortManager3(iface);
    struct rtcpm_mapping removed;
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%ld, %s, %ld, %s, %ld)", (void *)iface, (long)transport,
                rtcpm_debugstr_w(int_addr), (long)int_port, rtcpm_debugstr_w(ext_addr), (long)ext_port);
    hr = rtcpm_pm_table_release(pm->base.table, transport, int_addr, int_port, ext_addr, ext_port, &removed);
    if (FAILED(hr)) return hr;
    rtcpm_pm_ports_mapping_gone(&pm->ports, &removed);
    rtcpm_pcp_pm_delete_lease(pm, removed.transport, &removed.internal, rtcpm_clock_ms() + pm->set.timeout_ms);
    RTCPM_TRACE(RTCPM_LOG_PM, "released %s port %ld", rtcpm_pm_transport_name(transport), (long)int_port);
    return S_OK;
}

/* From pm_common.c: GetMapping, UpdateRemoteAddress, ReleaseMapping, UpdateRemoteAddressEx; pcp_pm_peer.c:
 * UpdateRemoteAddressEx2 */
static const IRTCPortManager3Vtbl pcp_pm_vtbl = {
    pcp_pm_QueryInterface,
    pcp_pm_AddRef,
    pcp_pm_Release,
    rtcpm_pm_forward_GetMapping,
    rtcpm_pm_forward_UpdateRemoteAddress,
    rtcpm_pm_forward_ReleaseMapping,
    rtcpm_pm_forward_UpdateRemoteAddressEx,
    pcp_pm_GetMappingEx,
    rtcpm_pcp_pm_UpdateRemoteAddressEx2,
    pcp_pm_ReleaseMappingEx,
};

/* ---- creation ---- */

HRESULT rtcpm_pcp_pm_create_from_settings(const struct pcp_pm_settings *set, IRTCPortManager3 **out)
{
    struct pcp_pm *pm;
    HRESULT hr;

    *out = NULL;
    if (!(pm = calloc(1, sizeof(*pm)))) return E_OUTOFMEMORY;
    if (!(pm->base.table = rtcpm_mapping_table_create()))
    {
        free(pm);
        return E_OUTOFMEMORY;
    }
    pm->base.IRTCPortManager3_iface.lpVtbl = &pcp_pm_vtbl;
    pm->ref = 1;
    pm->set = *set;
    rtcpm_lock_init(&pm->lock);
    rtcpm_cond_init(&pm->cond);
    if (FAILED(hr = rtcpm_pm_ports_init(&pm->ports, &pm->lock, pm->base.table, set->ranges, set->range_count)) ||
        FAILED(hr = rtcpm_com_ftm_aggregate(&pm->ftm, (IUnknown *)&pm->base.IRTCPortManager3_iface)))
    {
        rtcpm_mapping_table_destroy(pm->base.table);
        rtcpm_cond_destroy(&pm->cond);
        rtcpm_lock_destroy(&pm->lock);
        free(pm);
        return hr;
    }
    rtcpm_pcp_pm_worker_start(pm);
    rtcpm_com_object_created();
    RTCPM_TRACE(RTCPM_LOG_PM, "%p created, server %s, %u range(s)", (void *)pm,
                set->server_count ? set->servers[0] : "(default gateway)", (unsigned)set->range_count);
    *out = &pm->base.IRTCPortManager3_iface;
    return S_OK;
}

HRESULT rtcpm_pcp_pm_create_ex(const struct rtcpm_pcp_pm_config *cfg, IRTCPortManager3 **out, char *err, size_t errlen)
{
    struct pcp_pm_settings *set;
    char scratch[256];
    HRESULT hr;
    if (!err || !errlen) err = scratch, errlen = sizeof(scratch);
    err[0] = 0;
    if (!out) return E_POINTER;
    *out = NULL;
    if (!cfg) return E_POINTER;
    if (!(set = malloc(sizeof(*set)))) return E_OUTOFMEMORY;
    hr = rtcpm_pcp_pm_settings_make(cfg, set, err, errlen);
    if (SUCCEEDED(hr)) hr = rtcpm_pcp_pm_create_from_settings(set, out);
    free(set);
    return hr;
}

HRESULT rtcpm_pcp_pm_create(const char *server, IRTCPortManager3 **out, char *err, size_t errlen)
{
    struct rtcpm_pcp_pm_config cfg;
    rtcpm_pcp_pm_config_init(&cfg);
    cfg.server = server;
    return rtcpm_pcp_pm_create_ex(&cfg, out, err, errlen);
}

HRESULT rtcpm_pcp_pm_create_from_string(const char *text, const char *name, IRTCPortManager3 **out, char *err,
                                        size_t errlen)
{
    struct rtcpm_pcp_pm_config cfg;
    char storage[RTCPM_PCP_PM_CONFIG_STORAGE];
    HRESULT hr;
    if (out) *out = NULL;
    if (!out || !text) return E_POINTER;
    hr = rtcpm_pcp_pm_parse_config(text, strlen(text), name, &cfg, storage, sizeof(storage), err, errlen);
    return FAILED(hr) ? hr : rtcpm_pcp_pm_create_ex(&cfg, out, err, errlen);
}

HRESULT rtcpm_pcp_pm_create_from_file(const char *path, IRTCPortManager3 **out, char *err, size_t errlen)
{
    struct rtcpm_pcp_pm_config cfg;
    char storage[RTCPM_PCP_PM_CONFIG_STORAGE];
    HRESULT hr;
    if (out) *out = NULL;
    if (!out || !path) return E_POINTER;
    rtcpm_pcp_pm_config_init(&cfg);
    hr = rtcpm_pmc_parse_file(&rtcpm_pcp_pm_schema, path, &cfg, storage, sizeof(storage), err, errlen);
    return FAILED(hr) ? hr : rtcpm_pcp_pm_create_ex(&cfg, out, err, errlen);
}

/* ---- C API ---- */

static HRESULT copy_text(IRTCPortManager3 *iface, int event, char *buf, size_t buflen)
{
    struct pcp_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    if (!buf && buflen) return E_POINTER;
    if (buf && buflen) buf[0] = 0;
    if (!pm) return E_INVALIDARG;
    if (!buf) return S_OK;
    rtcpm_lock_acquire(&pm->lock);
    rtcpm_cfg_set_err(buf, buflen, "%s", event ? pm->last_event : pm->last_error);
    rtcpm_lock_release(&pm->lock);
    return S_OK;
}

HRESULT rtcpm_pcp_pm_last_error(IRTCPortManager3 *pm, char *buf, size_t buflen)
{
    return copy_text(pm, 0, buf, buflen);
}
HRESULT rtcpm_pcp_pm_last_event(IRTCPortManager3 *pm, char *buf, size_t buflen)
{
    return copy_text(pm, 1, buf, buflen);
}

const char *rtcpm_pcp_pm_protocol(IRTCPortManager3 *iface)
{
    struct pcp_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    enum pcp_proto p;
    if (!pm) return NULL;
    rtcpm_lock_acquire(&pm->lock);
    p = pm->srv[0].proto ? pm->srv[0].proto : pm->srv[1].proto;
    rtcpm_lock_release(&pm->lock);
    return p == PCP_PROTO_PCP ? "PCP" : p == PCP_PROTO_NATPMP ? "NAT-PMP" : "";
}

LONG rtcpm_pcp_pm_live_mappings(IRTCPortManager3 *iface)
{
    struct pcp_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    return pm ? (LONG)rtcpm_mapping_table_count(pm->base.table) : -1;
}

LONG rtcpm_pcp_pm_format_mappings(IRTCPortManager3 *iface, char *buf, size_t buflen)
{
    struct pcp_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    return pm ? rtcpm_pm_format_mappings(pm->base.table, buf, buflen) : -1;
}

HRESULT rtcpm_pcp_pm_get_stats(IRTCPortManager3 *iface, struct rtcpm_pcp_pm_stats *out)
{
    struct pcp_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    if (!out) return E_POINTER;
    memset(out, 0, sizeof(*out));
    if (!pm) return E_INVALIDARG;
    rtcpm_lock_acquire(&pm->lock);
    *out = pm->stats;
    rtcpm_lock_release(&pm->lock);
    return S_OK;
}
