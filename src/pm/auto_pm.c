/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * auto_pm.c — the automatic port manager: one COM object (IRTCPortManager, 2, 3 + FTM) that
 * hands each call to the port manager of the mechanism its probes chose (auto_pm_probe.c),
 * or makes local mappings itself; its create functions and C API. Behaviour:
 * include/rtcpm/auto_pm.h; locks: auto_pm_private.h.
 */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com/com.h"
#include "com/log.h"
#include "os/route.h"
#include "pm/auto_pm_private.h"
#include "pm/config.h"

static const IRTCPortManager3Vtbl auto_pm_vtbl;

static inline struct auto_pm *impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return CONTAINING_RECORD(iface, struct auto_pm, base.IRTCPortManager3_iface);
}

static struct auto_pm *unsafe_impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return iface && iface->lpVtbl == &auto_pm_vtbl ? impl_from_IRTCPortManager3(iface) : NULL;
}

static HRESULT WINAPI auto_pm_QueryInterface(IRTCPortManager3 *iface, REFIID riid, void **out)
{
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return rtcpm_pm_query_interface(iface, &impl_from_IRTCPortManager3(iface)->ftm, riid, out);
}

static ULONG WINAPI auto_pm_AddRef(IRTCPortManager3 *iface)
{
    LONG ref = com_ref_inc(&impl_from_IRTCPortManager3(iface)->ref);
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p) ref=%ld", (void *)iface, (long)ref);
    return (ULONG)ref;
}

static void destroy(struct auto_pm *pm)
{
    int i;
    rtcpm_lock_acquire(&pm->lock);
    pm->stopping = 1;
    rtcpm_lock_release(&pm->lock);
    rtcpm_auto_pm_worker_stop(pm);
    for (i = 0; i < MECH_COUNT; i++) /* each removes its mappings at the NAT */
        if (pm->inner[i]) IRTCPortManager3_Release(pm->inner[i]);
    rtcpm_com_ftm_release(&pm->ftm);
    rtcpm_pm_ports_destroy(&pm->ports);
    rtcpm_mapping_table_destroy(pm->base.table);
    rtcpm_cond_destroy(&pm->cond);
    rtcpm_lock_destroy(&pm->lock);
    free(pm->set);
    free(pm);
}

static ULONG WINAPI auto_pm_Release(IRTCPortManager3 *iface)
{
    struct auto_pm *pm = impl_from_IRTCPortManager3(iface);
    LONG ref = com_ref_dec(&pm->ref);
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p) ref=%ld", (void *)iface, (long)ref);
    if (!ref)
    {
        destroy(pm);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

/* ---- mappings ---- */

/* The local mechanism: a port of the host's own address, external = internal, recorded
 * here (with the RTCP port kept for an RTP mapping). */
static HRESULT local_mapping(struct auto_pm *pm, int type, LONG transport, const rtcpm_addr *remote,
                             struct rtcpm_mapping *m, char *why, size_t whylen)
{
    struct rtcpm_pm_probe p;
    rtcpm_addr host;
    HRESULT hr;
    int rc;
    rtcpm_lock_acquire(&pm->lock);
    host = pm->verdict_local;
    rtcpm_lock_release(&pm->lock);
    if (!host.family) return rtcpm_cfg_set_err(why, whylen, "no local address (no route)"), RTC_E_PORT_MAPPING_FAILED;
    if (FAILED(hr = rtcpm_pm_ports_open(&pm->ports, type, transport, &host, remote, NULL, &p, why, whylen))) return hr;
    rtcpm_pm_probe_close(&p);
    memset(m, 0, sizeof(*m));
    m->internal = m->external = p.internal;
    m->remote = *remote;
    m->port_type = (uint8_t)type;
    m->transport = (uint8_t)transport;
    m->owner = MECH_LOCAL;
    rtcpm_lock_acquire(&pm->lock);
    rc = rtcpm_mapping_table_insert(pm->base.table, m);
    rtcpm_pm_ports_settle(&pm->ports, &p, rc == RTCPM_MT_OK ? m : NULL);
    rtcpm_lock_release(&pm->lock);
    if (rc == RTCPM_MT_OK) return S_OK;
    rtcpm_cfg_set_err(why, whylen, "a mapping of another mechanism holds that port");
    return rc == RTCPM_MT_E_NOMEM ? E_OUTOFMEMORY : RTC_E_PORT_MAPPING_FAILED;
}

/* A mapping of mechanism mech into *m (not recorded yet). */
static HRESULT map_with(struct auto_pm *pm, int mech, BSTR remote_text, LONG remote_port, LONG transport, int type,
                        const rtcpm_addr *remote, struct rtcpm_mapping *m, char *why, size_t whylen)
{
    IRTCPortManager3 *inner = rtcpm_auto_pm_inner(pm, mech, why, whylen);
    BSTR ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    HRESULT hr;
    if (mech == MECH_LOCAL) return local_mapping(pm, type, transport, remote, m, why, whylen);
    if (!inner) return RTC_E_PORT_MAPPING_FAILED;
    hr = IRTCPortManager3_GetMappingEx(inner, remote_text, remote_port, transport, (RTC_PORT_TYPE)type, &ia, &ip, &ea,
                                       &ep);
    if (FAILED(hr))
    {
        rtcpm_auto_pm_inner_error(inner, mech, why, whylen);
        return hr;
    }
    memset(m, 0, sizeof(*m));
    if (FAILED(rtcpm_pm_addr_from_bstr(ia, 0, ip, &m->internal)) ||
        FAILED(rtcpm_pm_addr_from_bstr(ea, 0, ep, &m->external)))
        hr = RTC_E_PORT_MAPPING_FAILED;
    SysFreeString(ia);
    SysFreeString(ea);
    return hr;
}

/* Records m as mech's; undoes it at the inner port manager when the table refuses. */
static HRESULT record(struct auto_pm *pm, int mech, struct rtcpm_mapping *m, char *why, size_t whylen)
{
    int rc;
    m->owner = (uint16_t)mech;
    rtcpm_lock_acquire(&pm->lock);
    rc = rtcpm_mapping_table_insert(pm->base.table, m);
    rtcpm_lock_release(&pm->lock);
    if (rc == RTCPM_MT_OK) return S_OK;
    if (mech != MECH_LOCAL)
    {
        BSTR ia = NULL, ea = NULL;
        LONG ip, ep;
        if (SUCCEEDED(rtcpm_pm_return_mapping(m, &ia, &ip, &ea, &ep)))
            IRTCPortManager3_ReleaseMappingEx(pm->inner[mech], m->transport, ia, ip, ea, ep);
        SysFreeString(ia);
        SysFreeString(ea);
    }
    rtcpm_cfg_set_err(why, whylen, "a mapping of another mechanism holds that port");
    return rc == RTCPM_MT_E_NOMEM ? E_OUTOFMEMORY : RTC_E_PORT_MAPPING_FAILED;
}

static HRESULT WINAPI auto_pm_GetMappingEx(IRTCPortManager3 *iface, BSTR remote_text, LONG remote_port, LONG transport,
                                           RTC_PORT_TYPE type, BSTR *int_addr, LONG *int_port, BSTR *ext_addr,
                                           LONG *ext_port)
{
    struct auto_pm *pm = impl_from_IRTCPortManager3(iface);
    char why[AUTO_PM_WHY_MAX] = "";
    struct rtcpm_mapping m;
    rtcpm_addr remote;
    HRESULT hr;
    int mech, tries;
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %ld, %ld, %d)", (void *)iface, rtcpm_debugstr_w(remote_text),
                (long)remote_port, (long)transport, (int)type);
    if (FAILED(hr = rtcpm_pm_check_get_mapping(remote_text, remote_port, transport, type, int_addr, int_port, ext_addr,
                                               ext_port, &remote)))
        return hr;
    for (tries = 0; tries < 2; tries++)
    {
        mech = rtcpm_auto_pm_current(pm, rtcpm_clock_ms() + pm->set->probe_timeout_ms);
        if (mech < 0)
        {
            rtcpm_lock_acquire(&pm->lock);
            rtcpm_cfg_set_err(why, sizeof(why), "no way through the NAT: %s", pm->verdict);
            rtcpm_lock_release(&pm->lock);
            hr = RTC_E_PORT_MAPPING_FAILED;
            break;
        }
        hr = map_with(pm, mech, remote_text, remote_port, transport, (int)type, &remote, &m, why, sizeof(why));
        if (hr != RTC_E_PORT_MAPPING_FAILED || tries) break;
        rtcpm_auto_pm_stale(pm, mech); /* it stopped answering: look again, once */
    }
    if (SUCCEEDED(hr) && mech != MECH_LOCAL) /* local_mapping recorded its own */
    {
        m.remote = remote;
        m.port_type = (uint8_t)type;
        m.transport = (uint8_t)transport;
        hr = record(pm, mech, &m, why, sizeof(why));
    }
    if (SUCCEEDED(hr) && FAILED(hr = rtcpm_pm_return_mapping(&m, int_addr, int_port, ext_addr, ext_port)))
    {
        struct rtcpm_mapping removed;
        if (!rtcpm_mapping_table_remove(pm->base.table, m.transport, &m.internal, &m.external, &removed) &&
            removed.owner == MECH_LOCAL)
            rtcpm_pm_ports_mapping_gone(&pm->ports, &removed);
    }
    rtcpm_lock_acquire(&pm->lock);
    rtcpm_cfg_set_err(pm->last_error, sizeof(pm->last_error), "%s", SUCCEEDED(hr) ? "" : why);
    rtcpm_lock_release(&pm->lock);
    return hr;
}

static HRESULT WINAPI auto_pm_ReleaseMappingEx(IRTCPortManager3 *iface, LONG transport, BSTR int_addr, LONG int_port,
                                               BSTR ext_addr, LONG ext_port)
{
    struct auto_pm *pm = impl_from_IRTCPortManager3(iface);
    struct rtcpm_mapping removed;
    HRESULT hr;
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%ld, %s, %ld, %s, %ld)", (void *)iface, (long)transport,
                rtcpm_debugstr_w(int_addr), (long)int_port, rtcpm_debugstr_w(ext_addr), (long)ext_port);
    hr = rtcpm_pm_table_release(pm->base.table, transport, int_addr, int_port, ext_addr, ext_port, &removed);
    if (FAILED(hr)) return hr;
    if (removed.owner == MECH_LOCAL)
        rtcpm_pm_ports_mapping_gone(&pm->ports, &removed);
    else if (pm->inner[removed.owner])
        IRTCPortManager3_ReleaseMappingEx(pm->inner[removed.owner], transport, int_addr, int_port, ext_addr, ext_port);
    return S_OK;
}

/* From pm_common.c: GetMapping, UpdateRemoteAddress, ReleaseMapping, UpdateRemoteAddressEx, UpdateRemoteAddressEx2 */
static const IRTCPortManager3Vtbl auto_pm_vtbl = {
    auto_pm_QueryInterface,
    auto_pm_AddRef,
    auto_pm_Release,
    rtcpm_pm_forward_GetMapping,
    rtcpm_pm_forward_UpdateRemoteAddress,
    rtcpm_pm_forward_ReleaseMapping,
    rtcpm_pm_forward_UpdateRemoteAddressEx,
    auto_pm_GetMappingEx,
    rtcpm_pm_UpdateRemoteAddressEx2,
    auto_pm_ReleaseMappingEx,
};

/* ---- creation ---- */

HRESULT rtcpm_auto_pm_create_from_settings(const struct auto_pm_settings *set, IRTCPortManager3 **out)
{
    struct auto_pm *pm;
    HRESULT hr;
    *out = NULL;
    if (!(pm = calloc(1, sizeof(*pm))) || !(pm->set = malloc(sizeof(*set))) ||
        !(pm->base.table = rtcpm_mapping_table_create()))
    {
        if (pm) free(pm->set);
        free(pm);
        return E_OUTOFMEMORY;
    }
    *pm->set = *set;
    pm->base.IRTCPortManager3_iface.lpVtbl = &auto_pm_vtbl;
    pm->ref = 1;
    pm->mech = -1;
    rtcpm_lock_init(&pm->lock);
    rtcpm_cond_init(&pm->cond);
    if (FAILED(hr = rtcpm_pm_ports_init(&pm->ports, &pm->lock, pm->base.table, set->ranges, set->range_count)) ||
        FAILED(hr = rtcpm_com_ftm_aggregate(&pm->ftm, (IUnknown *)&pm->base.IRTCPortManager3_iface)))
    {
        rtcpm_mapping_table_destroy(pm->base.table);
        rtcpm_cond_destroy(&pm->cond);
        rtcpm_lock_destroy(&pm->lock);
        free(pm->set);
        free(pm);
        return hr;
    }
    rtcpm_auto_pm_worker_start(pm);
    rtcpm_com_object_created();
    *out = &pm->base.IRTCPortManager3_iface;
    return S_OK;
}

HRESULT rtcpm_auto_pm_create_ex(const struct rtcpm_auto_pm_config *cfg, IRTCPortManager3 **out, char *err,
                                size_t errlen)
{
    struct auto_pm_settings *set;
    char scratch[256];
    HRESULT hr;
    if (!err || !errlen) err = scratch, errlen = sizeof(scratch);
    err[0] = 0;
    if (!out) return E_POINTER;
    *out = NULL;
    if (!cfg) return E_POINTER;
    if (!(set = malloc(sizeof(*set)))) return E_OUTOFMEMORY;
    hr = rtcpm_auto_pm_settings_make(cfg, set, err, errlen);
    if (SUCCEEDED(hr)) hr = rtcpm_auto_pm_create_from_settings(set, out);
    free(set);
    return hr;
}

HRESULT rtcpm_auto_pm_create(const char *stun_servers, IRTCPortManager3 **out, char *err, size_t errlen)
{
    struct rtcpm_auto_pm_config cfg;
    rtcpm_auto_pm_config_init(&cfg);
    cfg.stun = stun_servers;
    return rtcpm_auto_pm_create_ex(&cfg, out, err, errlen);
}

HRESULT rtcpm_auto_pm_create_from_string(const char *text, const char *name, IRTCPortManager3 **out, char *err,
                                         size_t errlen)
{
    struct rtcpm_auto_pm_config cfg;
    char *storage = malloc(RTCPM_AUTO_PM_CONFIG_STORAGE);
    HRESULT hr;
    if (out) *out = NULL;
    if (!out || !text || !storage) return free(storage), !storage ? E_OUTOFMEMORY : E_POINTER;
    hr = rtcpm_auto_pm_parse_config(text, strlen(text), name, &cfg, storage, RTCPM_AUTO_PM_CONFIG_STORAGE, err, errlen);
    if (SUCCEEDED(hr)) hr = rtcpm_auto_pm_create_ex(&cfg, out, err, errlen);
    free(storage);
    return hr;
}

HRESULT rtcpm_auto_pm_create_from_file(const char *path, IRTCPortManager3 **out, char *err, size_t errlen)
{
    struct rtcpm_auto_pm_config cfg;
    char *storage = malloc(RTCPM_AUTO_PM_CONFIG_STORAGE);
    HRESULT hr;
    if (out) *out = NULL;
    if (!out || !path || !storage) return free(storage), !storage ? E_OUTOFMEMORY : E_POINTER;
    rtcpm_auto_pm_config_init(&cfg);
    hr = rtcpm_pmc_parse_file(&rtcpm_auto_pm_schema, path, &cfg, storage, RTCPM_AUTO_PM_CONFIG_STORAGE, err, errlen);
    if (SUCCEEDED(hr)) hr = rtcpm_auto_pm_create_ex(&cfg, out, err, errlen);
    free(storage);
    return hr;
}

/* ---- C API ---- */

const char *rtcpm_auto_pm_mechanism(IRTCPortManager3 *iface)
{
    struct auto_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    int mech;
    if (!pm) return NULL;
    rtcpm_lock_acquire(&pm->lock);
    mech = pm->mech;
    rtcpm_lock_release(&pm->lock);
    return rtcpm_auto_pm_mech_name(mech);
}

HRESULT rtcpm_auto_pm_wait_ready(IRTCPortManager3 *iface, LONG timeout_ms)
{
    struct auto_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    uint64_t end = timeout_ms < 0 ? UINT64_MAX : rtcpm_clock_ms() + (uint64_t)timeout_ms;
    int probing;
    if (!pm) return E_INVALIDARG;
    rtcpm_lock_acquire(&pm->lock);
    while (pm->probing && rtcpm_clock_ms() < end)
        rtcpm_cond_wait(&pm->cond, &pm->lock, end == UINT64_MAX ? -1 : (long)(end - rtcpm_clock_ms()));
    probing = pm->probing;
    rtcpm_lock_release(&pm->lock);
    return probing ? S_FALSE : S_OK;
}

static HRESULT copy_text(IRTCPortManager3 *iface, int verdict, char *buf, size_t buflen)
{
    struct auto_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    if (!buf && buflen) return E_POINTER;
    if (buf && buflen) buf[0] = 0;
    if (!pm) return E_INVALIDARG;
    if (!buf) return S_OK;
    rtcpm_lock_acquire(&pm->lock);
    rtcpm_cfg_set_err(buf, buflen, "%s", verdict ? pm->verdict : pm->last_error);
    rtcpm_lock_release(&pm->lock);
    return S_OK;
}

HRESULT rtcpm_auto_pm_verdict(IRTCPortManager3 *pm, char *buf, size_t buflen) { return copy_text(pm, 1, buf, buflen); }
HRESULT rtcpm_auto_pm_last_error(IRTCPortManager3 *pm, char *buf, size_t buflen)
{
    return copy_text(pm, 0, buf, buflen);
}

LONG rtcpm_auto_pm_probes(IRTCPortManager3 *iface)
{
    struct auto_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    LONG n;
    if (!pm) return -1;
    rtcpm_lock_acquire(&pm->lock);
    n = pm->probes;
    rtcpm_lock_release(&pm->lock);
    return n;
}

HRESULT rtcpm_auto_pm_set_test_hooks(IRTCPortManager3 *iface, const struct auto_pm_test_hooks *hooks)
{
    struct auto_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    if (!pm) return E_INVALIDARG;
    rtcpm_lock_acquire(&pm->lock);
    if (hooks)
        pm->hooks = *hooks;
    else
        memset(&pm->hooks, 0, sizeof(pm->hooks));
    rtcpm_lock_release(&pm->lock);
    return S_OK;
}

LONG rtcpm_auto_pm_live_mappings(IRTCPortManager3 *iface)
{
    struct auto_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    return pm ? (LONG)rtcpm_mapping_table_count(pm->base.table) : -1;
}

LONG rtcpm_auto_pm_format_mappings(IRTCPortManager3 *iface, char *buf, size_t buflen)
{
    struct auto_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    return pm ? rtcpm_pm_format_mappings(pm->base.table, buf, buflen) : -1;
}
