/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * trace_pm.c — see include/rtcpm/trace_pm.h.
 *
 * One object with one IRTCPortManager3 vtable; QI answers a level only when the inner
 * port manager has it, so the wrapper is exactly as capable as what it wraps.
 *
 * And exactly as agile: it keeps the inner pointers raw, so it aggregates the free-threaded
 * marshaler only when the inner object is free-threaded itself (rtcpm_com_ftm_is_free_threaded:
 * rtcpm's port managers, an application's that aggregates the FTM). Around an apartment-bound
 * port manager it stays in its creator's apartment like the inner object, and other
 * apartments reach both through a proxy, so the inner one is always called where it lives.
 */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rtcpm/trace_pm.h"
#include "com/com.h"
#include "com/bstr_util.h"
#include "com/ftm.h"
#include "com/log.h"

struct trace_pm
{
    IRTCPortManager3 IRTCPortManager3_iface;
    LONG ref;
    struct com_ftm ftm; /* aggregated only around a free-threaded inner object */
    IRTCPortManager *inner1;
    IRTCPortManager2 *inner2; /* NULL when the inner object is RTC 1.3 */
    IRTCPortManager3 *inner3; /* NULL unless the inner object is RTC 1.5 */
    rtcpm_trace_fn fn;
    void *ctx;
};

static inline struct trace_pm *impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return CONTAINING_RECORD(iface, struct trace_pm, IRTCPortManager3_iface);
}

/* "addr:port" ("[v6]:port", so the port cannot be read as part of the address), or just the
 * address without a port; a NULL BSTR shows as (null), text that is no valid UTF-16 as
 * <unprintable>. */
static void fmt_endpoint(char *out, size_t len, BSTR b, LONG port, int with_port)
{
    char text[128];
    if (!b)
        snprintf(text, sizeof(text), "(null)");
    else if (FAILED(rtcpm_bstr_to_utf8(b, text, sizeof(text), NULL)))
        snprintf(text, sizeof(text), "<unprintable>");
    if (!with_port)
        snprintf(out, len, "%s", text);
    else if (strchr(text, ':'))
        snprintf(out, len, "[%s]:%ld", text, (long)port);
    else
        snprintf(out, len, "%s:%ld", text, (long)port);
}

static void report(struct trace_pm *pm, const char *call, HRESULT hr, const BSTR *ia, const LONG *ip, const BSTR *ea,
                   const LONG *ep)
{
    char line[1024], hrbuf[11], in[160], ex[160];
    const char *name = rtcpm_hresult_name(hr, hrbuf);
    if (SUCCEEDED(hr) && ia && ip && ea && ep)
    {
        fmt_endpoint(in, sizeof(in), *ia, *ip, 1);
        fmt_endpoint(ex, sizeof(ex), *ea, *ep, 1);
        snprintf(line, sizeof(line), "%s -> %s internal %s external %s", call, name, in, ex);
    }
    else
        snprintf(line, sizeof(line), "%s -> %s", call, name);
    pm->fn(pm->ctx, line);
}

/* In level order: QueryInterface answers the first 1, 2 or 3, as the inner object does. */
static const struct com_iface_entry trace_pm_ifaces[] = {
    { &IID_IRTCPortManager, offsetof(struct trace_pm, IRTCPortManager3_iface) },
    { &IID_IRTCPortManager2, offsetof(struct trace_pm, IRTCPortManager3_iface) },
    { &IID_IRTCPortManager3, offsetof(struct trace_pm, IRTCPortManager3_iface) },
};

static HRESULT WINAPI trace_QueryInterface(IRTCPortManager3 *iface, REFIID riid, void **out)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    size_t levels = pm->inner3 ? 3 : pm->inner2 ? 2 : 1;
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    hr = rtcpm_com_query_interface(pm, trace_pm_ifaces, levels, riid, out);
    if (hr == E_NOINTERFACE) hr = rtcpm_com_ftm_query_interface(&pm->ftm, riid, out);
    return hr;
}

static ULONG WINAPI trace_AddRef(IRTCPortManager3 *iface)
{
    LONG ref = com_ref_inc(&impl_from_IRTCPortManager3(iface)->ref);
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p) ref=%ld", (void *)iface, (long)ref);
    return (ULONG)ref;
}

static ULONG WINAPI trace_Release(IRTCPortManager3 *iface)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    LONG ref = com_ref_dec(&pm->ref);
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p) ref=%ld", (void *)iface, (long)ref);
    if (!ref)
    {
        rtcpm_com_ftm_release(&pm->ftm);
        if (pm->inner3) IRTCPortManager3_Release(pm->inner3);
        if (pm->inner2) IRTCPortManager2_Release(pm->inner2);
        IRTCPortManager_Release(pm->inner1);
        free(pm);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT WINAPI trace_GetMapping(IRTCPortManager3 *iface, BSTR remote, RTC_PORT_TYPE type, BSTR *ia, LONG *ip,
                                       BSTR *ea, LONG *ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char call[256], r[160];
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %d)", (void *)iface, rtcpm_debugstr_w(remote), (int)type);
    hr = IRTCPortManager_GetMapping(pm->inner1, remote, type, ia, ip, ea, ep);
    fmt_endpoint(r, sizeof(r), remote, 0, 0);
    snprintf(call, sizeof(call), "GetMapping(%s, %s)", r, rtcpm_port_type_name(type));
    report(pm, call, hr, ia, ip, ea, ep);
    return hr;
}

static HRESULT WINAPI trace_UpdateRemoteAddress(IRTCPortManager3 *iface, BSTR remote, BSTR ia, LONG ip, BSTR ea,
                                                LONG ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char call[640], r[160], in[160], ex[160];
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %s, %ld, %s, %ld)", (void *)iface, rtcpm_debugstr_w(remote),
                rtcpm_debugstr_w(ia), (long)ip, rtcpm_debugstr_w(ea), (long)ep);
    hr = IRTCPortManager_UpdateRemoteAddress(pm->inner1, remote, ia, ip, ea, ep);
    fmt_endpoint(r, sizeof(r), remote, 0, 0);
    fmt_endpoint(in, sizeof(in), ia, ip, 1);
    fmt_endpoint(ex, sizeof(ex), ea, ep, 1);
    snprintf(call, sizeof(call), "UpdateRemoteAddress(%s, internal %s, external %s)", r, in, ex);
    report(pm, call, hr, NULL, NULL, NULL, NULL);
    return hr;
}

static HRESULT WINAPI trace_ReleaseMapping(IRTCPortManager3 *iface, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char call[512], in[160], ex[160];
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %ld, %s, %ld)", (void *)iface, rtcpm_debugstr_w(ia), (long)ip,
                rtcpm_debugstr_w(ea), (long)ep);
    hr = IRTCPortManager_ReleaseMapping(pm->inner1, ia, ip, ea, ep);
    fmt_endpoint(in, sizeof(in), ia, ip, 1);
    fmt_endpoint(ex, sizeof(ex), ea, ep, 1);
    snprintf(call, sizeof(call), "ReleaseMapping(internal %s, external %s)", in, ex);
    report(pm, call, hr, NULL, NULL, NULL, NULL);
    return hr;
}

static HRESULT WINAPI trace_UpdateRemoteAddressEx(IRTCPortManager3 *iface, BSTR remote, LONG rport, BSTR ia, LONG ip,
                                                  BSTR ea, LONG ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char call[640], r[160], in[160], ex[160];
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %ld, %s, %ld, %s, %ld)", (void *)iface, rtcpm_debugstr_w(remote), (long)rport,
                rtcpm_debugstr_w(ia), (long)ip, rtcpm_debugstr_w(ea), (long)ep);
    hr = pm->inner2 ? IRTCPortManager2_UpdateRemoteAddressEx(pm->inner2, remote, rport, ia, ip, ea, ep)
                    : E_NOTIMPL; /* unreachable: QI refuses IRTCPortManager2 then */
    fmt_endpoint(r, sizeof(r), remote, 0, 0);
    fmt_endpoint(in, sizeof(in), ia, ip, 1);
    fmt_endpoint(ex, sizeof(ex), ea, ep, 1);
    snprintf(call, sizeof(call), "UpdateRemoteAddressEx(%s, %ld, internal %s, external %s)", r, (long)rport, in, ex);
    report(pm, call, hr, NULL, NULL, NULL, NULL);
    return hr;
}

static HRESULT WINAPI trace_GetMappingEx(IRTCPortManager3 *iface, BSTR remote, LONG rport, LONG transport,
                                         RTC_PORT_TYPE type, BSTR *ia, LONG *ip, BSTR *ea, LONG *ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char call[512], r[160];
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %ld, %ld, %d)", (void *)iface, rtcpm_debugstr_w(remote), (long)rport,
                (long)transport, (int)type);
    hr = pm->inner3 ? IRTCPortManager3_GetMappingEx(pm->inner3, remote, rport, transport, type, ia, ip, ea, ep)
                    : E_NOTIMPL;
    fmt_endpoint(r, sizeof(r), remote, 0, 0);
    snprintf(call, sizeof(call), "GetMappingEx(%s, %ld, %s, %s)", r, (long)rport, rtcpm_transport_name(transport),
             rtcpm_port_type_name(type));
    report(pm, call, hr, ia, ip, ea, ep);
    return hr;
}

static HRESULT WINAPI trace_UpdateRemoteAddressEx2(IRTCPortManager3 *iface, BSTR remote, LONG rport, LONG transport,
                                                   BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char call[640], r[160], in[160], ex[160];
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %ld, %ld, %s, %ld, %s, %ld)", (void *)iface, rtcpm_debugstr_w(remote),
                (long)rport, (long)transport, rtcpm_debugstr_w(ia), (long)ip, rtcpm_debugstr_w(ea), (long)ep);
    hr = pm->inner3 ? IRTCPortManager3_UpdateRemoteAddressEx2(pm->inner3, remote, rport, transport, ia, ip, ea, ep)
                    : E_NOTIMPL;
    fmt_endpoint(r, sizeof(r), remote, 0, 0);
    fmt_endpoint(in, sizeof(in), ia, ip, 1);
    fmt_endpoint(ex, sizeof(ex), ea, ep, 1);
    snprintf(call, sizeof(call), "UpdateRemoteAddressEx2(%s, %ld, %s, internal %s, external %s)", r, (long)rport,
             rtcpm_transport_name(transport), in, ex);
    report(pm, call, hr, NULL, NULL, NULL, NULL);
    return hr;
}

static HRESULT WINAPI trace_ReleaseMappingEx(IRTCPortManager3 *iface, LONG transport, BSTR ia, LONG ip, BSTR ea,
                                             LONG ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char call[512], in[160], ex[160];
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%ld, %s, %ld, %s, %ld)", (void *)iface, (long)transport, rtcpm_debugstr_w(ia),
                (long)ip, rtcpm_debugstr_w(ea), (long)ep);
    hr = pm->inner3 ? IRTCPortManager3_ReleaseMappingEx(pm->inner3, transport, ia, ip, ea, ep) : E_NOTIMPL;
    fmt_endpoint(in, sizeof(in), ia, ip, 1);
    fmt_endpoint(ex, sizeof(ex), ea, ep, 1);
    snprintf(call, sizeof(call), "ReleaseMappingEx(%s, internal %s, external %s)", rtcpm_transport_name(transport), in,
             ex);
    report(pm, call, hr, NULL, NULL, NULL, NULL);
    return hr;
}

/* From pm_common.c: nothing (every method reports the call it forwards to the inner object) */
static const IRTCPortManager3Vtbl trace_pm_vtbl = {
    trace_QueryInterface,
    trace_AddRef,
    trace_Release,
    trace_GetMapping,
    trace_UpdateRemoteAddress,
    trace_ReleaseMapping,
    trace_UpdateRemoteAddressEx,
    trace_GetMappingEx,
    trace_UpdateRemoteAddressEx2,
    trace_ReleaseMappingEx,
};

HRESULT rtcpm_trace_pm_create(IRTCPortManager *inner, rtcpm_trace_fn fn, void *ctx, IRTCPortManager **out)
{
    struct trace_pm *pm;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!inner) return E_POINTER;
    if (!fn) return E_INVALIDARG;
    pm = calloc(1, sizeof(*pm));
    if (!pm) return E_OUTOFMEMORY;
    pm->IRTCPortManager3_iface.lpVtbl = &trace_pm_vtbl;
    pm->ref = 1;
    if (rtcpm_com_ftm_is_free_threaded((IUnknown *)inner) &&
        FAILED(hr = rtcpm_com_ftm_aggregate(&pm->ftm, (IUnknown *)&pm->IRTCPortManager3_iface)))
    {
        free(pm);
        return hr;
    }
    pm->fn = fn;
    pm->ctx = ctx;
    IRTCPortManager_AddRef(inner);
    pm->inner1 = inner;
    if (FAILED(IRTCPortManager_QueryInterface(inner, &IID_IRTCPortManager2, (void **)&pm->inner2))) pm->inner2 = NULL;
    if (FAILED(IRTCPortManager_QueryInterface(inner, &IID_IRTCPortManager3, (void **)&pm->inner3))) pm->inner3 = NULL;
    rtcpm_com_object_created();
    *out = (IRTCPortManager *)&pm->IRTCPortManager3_iface;
    return S_OK;
}
