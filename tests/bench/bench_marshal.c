/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_marshal.c — row 7 (Windows targets, run under wine64): a call through
 * rtcpm_ps.dll's proxy into a single-threaded apartment vs the same call made directly.
 *
 * rtcpm's own port managers aggregate the free-threaded marshaler and never need a proxy;
 * an application's port manager that lives in an STA does. So the object here is such an
 * application object: `apartment_pm`, which does not aggregate the FTM and forwards each
 * call to a static PM. Created on an STA thread (tests/apartment.c, which pumps messages)
 * and handed to the main thread (MTA) with CoMarshalInterThreadInterfaceInStream, it
 * arrives as a proxy; every call is then marshalled (BSTRs included), carried to the STA
 * and answered by its stub. The direct side is the same kind of object created in the
 * caller's apartment. rtcpm_ps.dll is registered in-process in both apartments
 * (include/rtcpm/marshal.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "apartment.h"

/* ---- apartment_pm: an apartment-bound port manager (no FTM) forwarding to a static PM ---- */

struct apartment_pm
{
    IRTCPortManager3 IRTCPortManager3_iface;
    LONG ref;
    IRTCPortManager3 *inner;
};

static struct apartment_pm *impl(IRTCPortManager3 *iface)
{
    return CONTAINING_RECORD(iface, struct apartment_pm, IRTCPortManager3_iface);
}

static HRESULT WINAPI apm_QueryInterface(IRTCPortManager3 *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IRTCPortManager) ||
        IsEqualIID(riid, &IID_IRTCPortManager2) || IsEqualIID(riid, &IID_IRTCPortManager3))
    {
        *out = iface;
        InterlockedIncrement(&impl(iface)->ref);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI apm_AddRef(IRTCPortManager3 *iface) { return (ULONG)InterlockedIncrement(&impl(iface)->ref); }

static ULONG WINAPI apm_Release(IRTCPortManager3 *iface)
{
    struct apartment_pm *pm = impl(iface);
    LONG ref = InterlockedDecrement(&pm->ref);
    if (!ref)
    {
        pm->inner->lpVtbl->Release(pm->inner);
        free(pm);
    }
    return (ULONG)ref;
}

static HRESULT WINAPI apm_GetMapping(IRTCPortManager3 *iface, BSTR r, RTC_PORT_TYPE t, BSTR *ia, LONG *ip, BSTR *ea,
                                     LONG *ep)
{
    return impl(iface)->inner->lpVtbl->GetMapping(impl(iface)->inner, r, t, ia, ip, ea, ep);
}

static HRESULT WINAPI apm_UpdateRemoteAddress(IRTCPortManager3 *iface, BSTR r, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    return impl(iface)->inner->lpVtbl->UpdateRemoteAddress(impl(iface)->inner, r, ia, ip, ea, ep);
}

static HRESULT WINAPI apm_ReleaseMapping(IRTCPortManager3 *iface, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    return impl(iface)->inner->lpVtbl->ReleaseMapping(impl(iface)->inner, ia, ip, ea, ep);
}

static HRESULT WINAPI apm_UpdateRemoteAddressEx(IRTCPortManager3 *iface, BSTR r, LONG rp, BSTR ia, LONG ip, BSTR ea,
                                                LONG ep)
{
    return impl(iface)->inner->lpVtbl->UpdateRemoteAddressEx(impl(iface)->inner, r, rp, ia, ip, ea, ep);
}

static HRESULT WINAPI apm_GetMappingEx(IRTCPortManager3 *iface, BSTR r, LONG rp, LONG tr, RTC_PORT_TYPE t, BSTR *ia,
                                       LONG *ip, BSTR *ea, LONG *ep)
{
    return impl(iface)->inner->lpVtbl->GetMappingEx(impl(iface)->inner, r, rp, tr, t, ia, ip, ea, ep);
}

static HRESULT WINAPI apm_UpdateRemoteAddressEx2(IRTCPortManager3 *iface, BSTR r, LONG rp, LONG tr, BSTR ia, LONG ip,
                                                 BSTR ea, LONG ep)
{
    return impl(iface)->inner->lpVtbl->UpdateRemoteAddressEx2(impl(iface)->inner, r, rp, tr, ia, ip, ea, ep);
}

static HRESULT WINAPI apm_ReleaseMappingEx(IRTCPortManager3 *iface, LONG tr, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    return impl(iface)->inner->lpVtbl->ReleaseMappingEx(impl(iface)->inner, tr, ia, ip, ea, ep);
}

static const IRTCPortManager3Vtbl apm_vtbl = {
    apm_QueryInterface,
    apm_AddRef,
    apm_Release,
    apm_GetMapping,
    apm_UpdateRemoteAddress,
    apm_ReleaseMapping,
    apm_UpdateRemoteAddressEx,
    apm_GetMappingEx,
    apm_UpdateRemoteAddressEx2,
    apm_ReleaseMappingEx,
};

/* pm_ctx_open, then c->pm wrapped into an apartment_pm. 0 or -1. */
static int apartment_ctx_open(struct pm_ctx *c)
{
    struct apartment_pm *pm;
    if (pm_ctx_open(c, 1, 1000)) return -1;
    if (!(pm = calloc(1, sizeof(*pm)))) return -1;
    pm->IRTCPortManager3_iface.lpVtbl = &apm_vtbl;
    pm->ref = 1;
    pm->inner = c->pm;
    c->pm = &pm->IRTCPortManager3_iface;
    return 0;
}

/* ---- the row ---- */

struct make_job
{
    struct pm_ctx ctx;
    IStream *stream;
    HRESULT hr;
};

/* On the STA thread: the object and its marshalled form. */
static void make_run(void *arg)
{
    struct make_job *j = arg;
    if (apartment_ctx_open(&j->ctx))
    {
        j->hr = E_FAIL;
        return;
    }
    j->hr = CoMarshalInterThreadInterfaceInStream(&IID_IRTCPortManager3, (IUnknown *)j->ctx.pm, &j->stream);
}

static void close_run(void *arg) { pm_ctx_close(arg); }

void bench_row_marshal(void)
{
    rtcpm_marshal_registration *reg = NULL;
    struct make_job job;
    struct pm_ctx direct, proxy;
    struct sta sta;
    struct bench_side a = { 0 }, b = { 0 };
    HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED), hr;

    memset(&job, 0, sizeof(job));
    memset(&proxy, 0, sizeof(proxy));
    if (FAILED(init) || FAILED(hr = rtcpm_marshal_register(NULL, &reg)))
    {
        bench_fail("row 7: COM init / rtcpm_marshal_register (rtcpm_ps.dll next to the .exe?)");
        if (SUCCEEDED(init)) CoUninitialize();
        return;
    }
    if (apartment_ctx_open(&direct) || sta_start(&sta, 1))
    {
        bench_fail("row 7: setup");
        goto out_reg;
    }
    sta_run(&sta, make_run, &job);
    if (FAILED(job.hr) ||
        FAILED(hr = CoGetInterfaceAndReleaseStream(job.stream, &IID_IRTCPortManager3, (void **)&proxy.pm)))
        bench_fail("row 7: marshalling the STA's port manager: 0x%08lx", (unsigned long)(ULONG)job.hr);
    else if ((void *)proxy.pm == (void *)job.ctx.pm)
        bench_fail("row 7: got the object itself, not a proxy");
    else
    {
        proxy.remote = SysAllocString(RTCPM_W("203.0.113.5"));
        a.what = "direct: an application PM (no FTM, forwards to a static PM) in the caller's apartment";
        b.what = "proxy: MTA caller -> rtcpm_ps.dll proxy/stub -> the same kind of PM in an STA (message pump)";
        bench_pair_ns(bench_kernel_vtable, &direct, bench_kernel_vtable, &proxy, &a, &b);
        bench_add_row("7", "GetMappingEx + ReleaseMappingEx through the marshalling proxy vs a direct call", "ns", &a,
                      &b, GOAL_NONE, 0, "report");
    }
    pm_ctx_close(&proxy);
    sta_run(&sta, close_run, &job.ctx);
    sta_stop(&sta);
out_reg:
    pm_ctx_close(&direct);
    rtcpm_marshal_revoke(reg);
    CoUninitialize();
}
