/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stun_pm.c — the STUN port manager: one COM object (IRTCPortManager, 2, 3 + FTM) that binds
 * an internal port, learns its external side by a STUN Binding request from that port, and
 * hands the pair to RTC; its create functions and its C API. Behaviour and results:
 * include/rtcpm/stun_pm.h. How the work is split, and the locks: stun_pm_private.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pm/stun_pm_private.h"
#include "pm/config.h"
#include "com/com.h"
#include "com/log.h"

static const IRTCPortManager3Vtbl stun_pm_vtbl;

static inline struct stun_pm *impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return CONTAINING_RECORD(iface, struct stun_pm, base.IRTCPortManager3_iface);
}

/* The vtable-checking cast: NULL when iface is not a STUN port manager's. */
static struct stun_pm *unsafe_impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return iface && iface->lpVtbl == &stun_pm_vtbl ? impl_from_IRTCPortManager3(iface) : NULL;
}

/* ---- IUnknown ---- */

static HRESULT WINAPI stun_pm_QueryInterface(IRTCPortManager3 *iface, REFIID riid, void **out)
{
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return rtcpm_pm_query_interface(iface, &impl_from_IRTCPortManager3(iface)->ftm, riid, out);
}

static ULONG WINAPI stun_pm_AddRef(IRTCPortManager3 *iface)
{
    LONG ref = com_ref_inc(&impl_from_IRTCPortManager3(iface)->ref);
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p) ref=%ld", (void *)iface, (long)ref);
    return (ULONG)ref;
}

static void destroy(struct stun_pm *pm)
{
    rtcpm_stun_pm_worker_stop(pm);
    rtcpm_com_ftm_release(&pm->ftm);
    rtcpm_pm_ports_destroy(&pm->ports);
    rtcpm_mapping_table_destroy(pm->base.table);
    rtcpm_cond_destroy(&pm->cond);
    rtcpm_lock_destroy(&pm->lock);
    free(pm);
}

static ULONG WINAPI stun_pm_Release(IRTCPortManager3 *iface)
{
    struct stun_pm *pm = impl_from_IRTCPortManager3(iface);
    LONG ref = com_ref_dec(&pm->ref);
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p) ref=%ld", (void *)iface, (long)ref);
    if (!ref)
    {
        RTCPM_TRACE(RTCPM_LOG_PM, "%p destroyed, %lu live mapping(s) dropped", (void *)pm,
                    (unsigned long)rtcpm_mapping_table_count(pm->base.table));
        destroy(pm);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

/* ---- IRTCPortManager3 (the v1/v2 methods, pm_forward_*, call these with UDP) ---- */

/* The outcome of a GetMappingEx: last_error, the failure count, a trace line. */
static void note_result(struct stun_pm *pm, RTC_PORT_TYPE type, LONG transport, HRESULT hr,
                        const struct rtcpm_mapping *m, const char *why)
{
    rtcpm_lock_acquire(&pm->lock);
    rtcpm_cfg_set_err(pm->last_error, sizeof(pm->last_error), "%s", SUCCEEDED(hr) ? "" : why);
    if (FAILED(hr)) pm->stats.failures++;
    rtcpm_lock_release(&pm->lock);
    if (FAILED(hr))
        RTCPM_TRACE(RTCPM_LOG_PM, "type %d %s: 0x%08lx %s", (int)type, rtcpm_pm_transport_name(transport),
                    (unsigned long)(ULONG)hr, why);
    else
        RTCPM_TRACE(RTCPM_LOG_PM, "type %d %s: internal port %u -> external port %u", (int)type,
                    rtcpm_pm_transport_name(transport), m->internal.port, m->external.port);
}

static HRESULT WINAPI stun_pm_GetMappingEx(IRTCPortManager3 *iface, BSTR remote_text, LONG remote_port, LONG transport,
                                           RTC_PORT_TYPE type, BSTR *int_addr, LONG *int_port, BSTR *ext_addr,
                                           LONG *ext_port)
{
    struct stun_pm *pm = impl_from_IRTCPortManager3(iface);
    char why[STUN_PM_WHY_MAX] = "";
    struct rtcpm_mapping m;
    struct stun_call call;
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

    hr = rtcpm_stun_pm_make_mapping(pm, &call, &m, why, sizeof(why));
    if (SUCCEEDED(hr) && FAILED(hr = rtcpm_pm_return_mapping(&m, int_addr, int_port, ext_addr, ext_port)))
    {
        struct rtcpm_mapping removed;
        if (rtcpm_mapping_table_remove(pm->base.table, m.transport, &m.internal, &m.external, &removed) == RTCPM_MT_OK)
            rtcpm_pm_ports_mapping_gone(&pm->ports, &removed);
        rtcpm_cfg_set_err(why, sizeof(why), "out of memory");
    }
    note_result(pm, type, transport, hr, &m, why);
    return hr;
}

static HRESULT WINAPI stun_pm_ReleaseMappingEx(IRTCPortManager3 *iface, LONG transport, BSTR int_addr, LONG int_port,
                                               BSTR ext_addr, LONG ext_port)
{
    struct stun_pm *pm = impl_from_IRTCPortManager3(iface);
    struct rtcpm_mapping removed;
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%ld, %s, %ld, %s, %ld)", (void *)iface, (long)transport,
                rtcpm_debugstr_w(int_addr), (long)int_port, rtcpm_debugstr_w(ext_addr), (long)ext_port);
    hr = rtcpm_pm_table_release(pm->base.table, transport, int_addr, int_port, ext_addr, ext_port, &removed);
    if (FAILED(hr)) return hr;
    /* the RTCP port kept for an RTP mapping goes back too, unless its mapping was made */
    rtcpm_pm_ports_mapping_gone(&pm->ports, &removed);
    RTCPM_TRACE(RTCPM_LOG_PM, "released %s port %ld", rtcpm_pm_transport_name(transport), (long)int_port);
    return hr;
}

/* From pm_common.c: GetMapping, UpdateRemoteAddress, ReleaseMapping, UpdateRemoteAddressEx, UpdateRemoteAddressEx2 */
static const IRTCPortManager3Vtbl stun_pm_vtbl = {
    stun_pm_QueryInterface,
    stun_pm_AddRef,
    stun_pm_Release,
    rtcpm_pm_forward_GetMapping,
    rtcpm_pm_forward_UpdateRemoteAddress,
    rtcpm_pm_forward_ReleaseMapping,
    rtcpm_pm_forward_UpdateRemoteAddressEx,
    stun_pm_GetMappingEx,
    rtcpm_pm_UpdateRemoteAddressEx2,
    stun_pm_ReleaseMappingEx,
};

/* ---- creation ---- */

static HRESULT create_from_settings(const struct stun_pm_settings *set, IRTCPortManager3 **out)
{
    struct stun_pm *pm;
    HRESULT hr;

    *out = NULL;
    if (!(pm = calloc(1, sizeof(*pm)))) return E_OUTOFMEMORY;
    if (!(pm->base.table = rtcpm_mapping_table_create()))
    {
        free(pm);
        return E_OUTOFMEMORY;
    }
    pm->base.IRTCPortManager3_iface.lpVtbl = &stun_pm_vtbl;
    pm->ref = 1;
    pm->set = *set;
    rtcpm_lock_init(&pm->lock);
    rtcpm_cond_init(&pm->cond);
    rtcpm_stun_cache_init(&pm->cache, set->cache_age_s, set->symmetric_check_age_s);
    if (FAILED(hr = rtcpm_pm_ports_init(&pm->ports, &pm->lock, pm->base.table, set->ranges, set->range_count)) ||
        FAILED(hr = rtcpm_com_ftm_aggregate(&pm->ftm, (IUnknown *)&pm->base.IRTCPortManager3_iface)))
    {
        rtcpm_mapping_table_destroy(pm->base.table);
        rtcpm_cond_destroy(&pm->cond);
        rtcpm_lock_destroy(&pm->lock);
        free(pm);
        return hr;
    }
    rtcpm_stun_pm_worker_start(pm);
    rtcpm_com_object_created();
    RTCPM_TRACE(RTCPM_LOG_PM, "%p created, %u server(s), %u range(s)", (void *)pm, (unsigned)set->server_count,
                (unsigned)set->range_count);
    *out = &pm->base.IRTCPortManager3_iface;
    return S_OK;
}

HRESULT rtcpm_stun_pm_create_ex(const struct rtcpm_stun_pm_config *cfg, IRTCPortManager3 **out, char *err,
                                size_t errlen)
{
    struct stun_pm_settings *set;
    char scratch[256];
    HRESULT hr;

    if (!err || !errlen)
    {
        err = scratch;
        errlen = sizeof(scratch);
    }
    err[0] = 0;
    if (out) *out = NULL;
    if (!out || !cfg) return E_POINTER;
    if (!cfg->servers)
    {
        rtcpm_cfg_set_err(err, errlen, "no STUN server given (expected host[:port][,host[:port]...])");
        return E_POINTER;
    }
    if (!(set = malloc(sizeof(*set)))) return E_OUTOFMEMORY;
    if (SUCCEEDED(hr = rtcpm_stun_pm_settings_make(cfg, set, err, errlen)) &&
        SUCCEEDED(hr = rtcpm_stun_pm_resolve_names(set, err, errlen)))
        hr = create_from_settings(set, out);
    free(set);
    return hr;
}

HRESULT rtcpm_stun_pm_create(const char *servers, IRTCPortManager3 **out, char *err, size_t errlen)
{
    struct rtcpm_stun_pm_config cfg;
    if (err && errlen) err[0] = 0;
    if (out) *out = NULL;
    if (!out || !servers) return E_POINTER;
    rtcpm_stun_pm_config_init(&cfg);
    cfg.servers = servers;
    return rtcpm_stun_pm_create_ex(&cfg, out, err, errlen);
}

static HRESULT create_from_text(const char *text, size_t len, const char *name, IRTCPortManager3 **out, char *err,
                                size_t errlen)
{
    struct rtcpm_stun_pm_config *cfg = malloc(sizeof(*cfg));
    size_t storage_len = RTCPM_STUN_PM_CONFIG_STORAGE;
    char *storage = malloc(storage_len);
    HRESULT hr;

    if (!cfg || !storage)
        hr = E_OUTOFMEMORY;
    else if (SUCCEEDED(hr = rtcpm_stun_pm_parse_config(text, len, name, cfg, storage, storage_len, err, errlen)))
    {
        char why[256];
        /* every value was checked at its line; what is left (none expected) names the file */
        if (FAILED(hr = rtcpm_stun_pm_create_ex(cfg, out, why, sizeof(why))) && why[0])
            rtcpm_cfg_set_err(err, errlen, "%s: %s", name, why);
    }
    free(cfg);
    free(storage);
    return hr;
}

HRESULT rtcpm_stun_pm_create_from_string(const char *text, const char *name_for_errors, IRTCPortManager3 **out,
                                         char *err, size_t errlen)
{
    if (err && errlen) err[0] = 0;
    if (out) *out = NULL;
    if (!text || !out) return E_POINTER;
    return create_from_text(text, strlen(text), name_for_errors ? name_for_errors : "<string>", out, err, errlen);
}

HRESULT rtcpm_stun_pm_create_from_file(const char *path, IRTCPortManager3 **out, char *err, size_t errlen)
{
    char *text;
    size_t len;
    HRESULT hr;

    if (err && errlen) err[0] = 0;
    if (out) *out = NULL;
    if (!path || !out) return E_POINTER;
    if (FAILED(hr = rtcpm_config_read_file(path, &text, &len, err, errlen))) return hr;
    hr = create_from_text(text, len, path, out, err, errlen);
    free(text);
    return hr;
}

/* ---- the C API ---- */

HRESULT rtcpm_stun_pm_last_error(IRTCPortManager3 *iface, char *buf, size_t buflen)
{
    struct stun_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    if (!buf && buflen) return E_POINTER;
    if (buf && buflen) buf[0] = 0;
    if (!pm) return E_INVALIDARG;
    if (!buf) return buflen ? E_POINTER : S_OK;
    rtcpm_lock_acquire(&pm->lock);
    rtcpm_cfg_set_err(buf, buflen, "%s", pm->last_error);
    rtcpm_lock_release(&pm->lock);
    return S_OK;
}

LONG rtcpm_stun_pm_live_mappings(IRTCPortManager3 *iface)
{
    struct stun_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    return pm ? (LONG)rtcpm_mapping_table_count(pm->base.table) : -1;
}

LONG rtcpm_stun_pm_format_mappings(IRTCPortManager3 *iface, char *buf, size_t buflen)
{
    struct stun_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    return pm ? rtcpm_pm_format_mappings(pm->base.table, buf, buflen) : -1;
}

HRESULT rtcpm_stun_pm_wait_ready(IRTCPortManager3 *iface, LONG timeout_ms)
{
    struct stun_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    if (!pm) return E_INVALIDARG;
    return rtcpm_stun_pm_wait_warm_up(pm, timeout_ms < 0 ? UINT64_MAX : rtcpm_clock_ms() + (uint64_t)timeout_ms)
               ? S_FALSE
               : S_OK;
}

LONG rtcpm_stun_pm_describe_nat(IRTCPortManager3 *iface, char *buf, size_t buflen)
{
    struct stun_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    uint64_t now = rtcpm_clock_ms();
    LONG total;
    if (!pm) return -1;
    rtcpm_lock_acquire(&pm->lock);
    total = rtcpm_stun_cache_describe(&pm->cache, now, buf, buflen);
    rtcpm_lock_release(&pm->lock);
    return total;
}

HRESULT rtcpm_stun_pm_get_stats(IRTCPortManager3 *iface, struct rtcpm_stun_pm_stats *out)
{
    struct stun_pm *pm = unsafe_impl_from_IRTCPortManager3(iface);
    if (!out) return E_POINTER;
    memset(out, 0, sizeof(*out));
    if (!pm) return E_INVALIDARG;
    rtcpm_lock_acquire(&pm->lock);
    *out = pm->stats;
    rtcpm_lock_release(&pm->lock);
    return S_OK;
}
