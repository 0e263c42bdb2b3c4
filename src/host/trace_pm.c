/*
 * trace_pm.c — a port manager that forwards every call to another one and reports it as a
 * line of text: what the samples print, and a way to watch any port manager at work.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rtcpm/host.h"
#include "com/com.h"
#include "com/bstr_util.h"
#include "host/driver.h"
#include "host/sip_text.h"

struct trace_pm
{
    IRTCPortManager3 IRTCPortManager3_iface;
    LONG ref;
    int level; /* what inner answers: 1..3 */
    /* inner holds the one reference, on the highest interface inner answers; inner2/inner3
     * are the same pointer when that level is there (each interface derives from the last). */
    IRTCPortManager *inner;
    IRTCPortManager2 *inner2;
    IRTCPortManager3 *inner3;
    rtcpm_host_trace_fn fn;
    void *ctx;
};

static const IRTCPortManager3Vtbl trace_pm_vtbl;

static inline struct trace_pm *impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return CONTAINING_RECORD(iface, struct trace_pm, IRTCPortManager3_iface);
}

static void report(struct trace_pm *pm, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void report(struct trace_pm *pm, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    if (!pm->fn) return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    pm->fn(pm->ctx, line);
}

/* A BSTR for printing: "(null)" for NULL, "<not UTF-16>" when it cannot be converted. */
static const char *text(BSTR b, char *buf, size_t len)
{
    if (!b) return "(null)";
    if (FAILED(bstr_to_utf8(b, buf, len, NULL))) return "<unprintable>";
    return buf;
}

/* "host:port", IPv6 in brackets so the port cannot be read as part of the address. */
static const char *hostport(BSTR b, LONG port, char *buf, size_t len)
{
    char t[64];
    const char *s = text(b, t, sizeof(t));
    if (strchr(s, ':')) snprintf(buf, len, "[%s]:%ld", s, (long)port);
    else snprintf(buf, len, "%s:%ld", s, (long)port);
    return buf;
}

static const char *transport(LONG t)
{
    const char *name = sip_text_transport_name(t);
    return name ? name : "?";
}

static void report_result(struct trace_pm *pm, const char *call, HRESULT hr, BSTR *ia, LONG *ip, BSTR *ea, LONG *ep)
{
    char hrbuf[24], a[80], e[80];
    const char *name = rtcpm_host_hresult_name(hr, hrbuf);

    if (SUCCEEDED(hr) && ia && ip && ea && ep)
        report(pm, "%s -> %s internal %s external %s", call, name, hostport(*ia, *ip, a, sizeof(a)),
               hostport(*ea, *ep, e, sizeof(e)));
    else
        report(pm, "%s -> %s", call, name);
}

static HRESULT WINAPI tpm_QueryInterface(IRTCPortManager3 *iface, REFIID riid, void **out)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    static const struct com_iface_entry table[] = {
        { &IID_IRTCPortManager, offsetof(struct trace_pm, IRTCPortManager3_iface) },
        { &IID_IRTCPortManager2, offsetof(struct trace_pm, IRTCPortManager3_iface) },
        { &IID_IRTCPortManager3, offsetof(struct trace_pm, IRTCPortManager3_iface) },
    };
    /* Exactly the inner port manager's levels, so the host falls back as it would on it. */
    return com_query_interface(pm, table, (size_t)pm->level, riid, out);
}

static ULONG WINAPI tpm_AddRef(IRTCPortManager3 *iface)
{
    return (ULONG)com_ref_inc(&impl_from_IRTCPortManager3(iface)->ref);
}

static ULONG WINAPI tpm_Release(IRTCPortManager3 *iface)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    LONG ref = com_ref_dec(&pm->ref);

    if (!ref)
    {
        pm->inner->lpVtbl->Release(pm->inner);
        free(pm);
        com_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT WINAPI tpm_GetMapping(IRTCPortManager3 *iface, BSTR remote, RTC_PORT_TYPE type, BSTR *ia, LONG *ip,
                                     BSTR *ea, LONG *ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char r[64], call[160];
    HRESULT hr = pm->inner->lpVtbl->GetMapping(pm->inner, remote, type, ia, ip, ea, ep);

    snprintf(call, sizeof(call), "GetMapping(%s, %s)", text(remote, r, sizeof(r)), driver_port_type_name(type));
    report_result(pm, call, hr, ia, ip, ea, ep);
    return hr;
}

static HRESULT WINAPI tpm_UpdateRemoteAddress(IRTCPortManager3 *iface, BSTR remote, BSTR ia, LONG ip, BSTR ea,
                                              LONG ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char r[64], a[80], e[80], hrbuf[24];
    HRESULT hr = pm->inner->lpVtbl->UpdateRemoteAddress(pm->inner, remote, ia, ip, ea, ep);

    report(pm, "UpdateRemoteAddress(%s, internal %s, external %s) -> %s", text(remote, r, sizeof(r)),
           hostport(ia, ip, a, sizeof(a)), hostport(ea, ep, e, sizeof(e)), rtcpm_host_hresult_name(hr, hrbuf));
    return hr;
}

static HRESULT WINAPI tpm_ReleaseMapping(IRTCPortManager3 *iface, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char a[80], e[80], hrbuf[24];
    HRESULT hr = pm->inner->lpVtbl->ReleaseMapping(pm->inner, ia, ip, ea, ep);

    report(pm, "ReleaseMapping(internal %s, external %s) -> %s", hostport(ia, ip, a, sizeof(a)),
           hostport(ea, ep, e, sizeof(e)), rtcpm_host_hresult_name(hr, hrbuf));
    return hr;
}

static HRESULT WINAPI tpm_UpdateRemoteAddressEx(IRTCPortManager3 *iface, BSTR remote, LONG rport, BSTR ia, LONG ip,
                                                BSTR ea, LONG ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char r[64], a[80], e[80], hrbuf[24];
    HRESULT hr = E_NOINTERFACE;
    if (pm->inner2) hr = pm->inner2->lpVtbl->UpdateRemoteAddressEx(pm->inner2, remote, rport, ia, ip, ea, ep);
    report(pm, "UpdateRemoteAddressEx(%s, %ld, internal %s, external %s) -> %s", text(remote, r, sizeof(r)),
           (long)rport, hostport(ia, ip, a, sizeof(a)), hostport(ea, ep, e, sizeof(e)),
           rtcpm_host_hresult_name(hr, hrbuf));
    return hr;
}

static HRESULT WINAPI tpm_GetMappingEx(IRTCPortManager3 *iface, BSTR remote, LONG rport, LONG tr, RTC_PORT_TYPE type,
                                       BSTR *ia, LONG *ip, BSTR *ea, LONG *ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char r[64], call[160];
    HRESULT hr = E_NOINTERFACE;

    if (pm->inner3) hr = pm->inner3->lpVtbl->GetMappingEx(pm->inner3, remote, rport, tr, type, ia, ip, ea, ep);
    snprintf(call, sizeof(call), "GetMappingEx(%s, %ld, %s, %s)", text(remote, r, sizeof(r)), (long)rport,
             transport(tr), driver_port_type_name(type));
    report_result(pm, call, hr, ia, ip, ea, ep);
    return hr;
}

static HRESULT WINAPI tpm_UpdateRemoteAddressEx2(IRTCPortManager3 *iface, BSTR remote, LONG rport, LONG tr, BSTR ia,
                                                 LONG ip, BSTR ea, LONG ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char r[64], a[80], e[80], hrbuf[24];
    HRESULT hr = E_NOINTERFACE;

    if (pm->inner3) hr = pm->inner3->lpVtbl->UpdateRemoteAddressEx2(pm->inner3, remote, rport, tr, ia, ip, ea, ep);
    report(pm, "UpdateRemoteAddressEx2(%s, %ld, %s, internal %s, external %s) -> %s",
           text(remote, r, sizeof(r)), (long)rport, transport(tr), hostport(ia, ip, a, sizeof(a)),
           hostport(ea, ep, e, sizeof(e)), rtcpm_host_hresult_name(hr, hrbuf));
    return hr;
}

static HRESULT WINAPI tpm_ReleaseMappingEx(IRTCPortManager3 *iface, LONG tr, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    struct trace_pm *pm = impl_from_IRTCPortManager3(iface);
    char a[80], e[80], hrbuf[24];
    HRESULT hr = E_NOINTERFACE;

    if (pm->inner3) hr = pm->inner3->lpVtbl->ReleaseMappingEx(pm->inner3, tr, ia, ip, ea, ep);
    report(pm, "ReleaseMappingEx(%s, internal %s, external %s) -> %s", transport(tr),
           hostport(ia, ip, a, sizeof(a)), hostport(ea, ep, e, sizeof(e)), rtcpm_host_hresult_name(hr, hrbuf));
    return hr;
}

static const IRTCPortManager3Vtbl trace_pm_vtbl = {
    tpm_QueryInterface, tpm_AddRef, tpm_Release,
    tpm_GetMapping, tpm_UpdateRemoteAddress, tpm_ReleaseMapping,
    tpm_UpdateRemoteAddressEx,
    tpm_GetMappingEx, tpm_UpdateRemoteAddressEx2, tpm_ReleaseMappingEx,
};

HRESULT rtcpm_host_trace_pm_create(IRTCPortManager *inner, rtcpm_host_trace_fn fn, void *ctx, IRTCPortManager **out)
{
    struct trace_pm *pm;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!inner) return E_POINTER;
    pm = calloc(1, sizeof(*pm));
    if (!pm) return E_OUTOFMEMORY;
    pm->IRTCPortManager3_iface.lpVtbl = &trace_pm_vtbl;
    pm->ref = 1;
    pm->fn = fn;
    pm->ctx = ctx;
    if (SUCCEEDED(inner->lpVtbl->QueryInterface(inner, &IID_IRTCPortManager3, (void **)&pm->inner3)) && pm->inner3)
    {
        pm->inner2 = (IRTCPortManager2 *)pm->inner3;
        pm->inner = (IRTCPortManager *)pm->inner3;
        pm->level = 3;
    }
    else if (SUCCEEDED(inner->lpVtbl->QueryInterface(inner, &IID_IRTCPortManager2, (void **)&pm->inner2)) &&
             pm->inner2)
    {
        pm->inner3 = NULL;
        pm->inner = (IRTCPortManager *)pm->inner2;
        pm->level = 2;
    }
    else
    {
        pm->inner3 = NULL;
        pm->inner2 = NULL;
        inner->lpVtbl->AddRef(inner);
        pm->inner = inner;
        pm->level = 1;
    }
    com_object_created();
    *out = (IRTCPortManager *)&pm->IRTCPortManager3_iface;
    return S_OK;
}
