/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sample_pm.c — see sample_pm.h. A complete COM object in plain C: one struct, one vtable
 * for all three interface levels (each derives from the one before), an atomic refcount.
 */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sample_pm.h"
#include "nat_flows.h"
#include "program.h"

struct sample_pm
{
    IRTCPortManager3 IRTCPortManager3_iface;
    LONG ref;
    int version;
    BSTR internal, external;
};

static struct sample_pm *impl(IRTCPortManager3 *iface)
{
    return CONTAINING_RECORD(iface, struct sample_pm, IRTCPortManager3_iface);
}

static HRESULT WINAPI spm_QueryInterface(IRTCPortManager3 *iface, REFIID riid, void **out)
{
    struct sample_pm *pm = impl(iface);

    if (!out) return E_POINTER;
    *out = NULL;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IRTCPortManager) ||
        (pm->version >= 2 && IsEqualGUID(riid, &IID_IRTCPortManager2)) ||
        (pm->version >= 3 && IsEqualGUID(riid, &IID_IRTCPortManager3)))
    {
        *out = iface;
        IRTCPortManager3_AddRef(iface);
        return S_OK;
    }
    return E_NOINTERFACE;
}

static ULONG WINAPI spm_AddRef(IRTCPortManager3 *iface) { return (ULONG)InterlockedIncrement(&impl(iface)->ref); }

static ULONG WINAPI spm_Release(IRTCPortManager3 *iface)
{
    struct sample_pm *pm = impl(iface);
    LONG ref = InterlockedDecrement(&pm->ref);
    if (!ref)
    {
        SysFreeString(pm->internal);
        SysFreeString(pm->external);
        free(pm);
    }
    return (ULONG)ref;
}

static HRESULT WINAPI spm_GetMappingEx(IRTCPortManager3 *iface, BSTR remote, LONG remote_port, LONG transport,
                                       RTC_PORT_TYPE type, BSTR *internal, LONG *internal_port, BSTR *external,
                                       LONG *external_port)
{
    static const LONG int_ports[] = { 30000, 30001, 30002, 30003, 5060 };
    static const LONG ext_ports[] = { 62002, 62003, 62004, 62005, 62000 };
    struct sample_pm *pm = impl(iface);
    (void)remote;
    (void)remote_port;
    (void)transport;

    if (!internal || !internal_port || !external || !external_port) return E_POINTER;
    *internal = *external = NULL;
    *internal_port = *external_port = 0;
    if ((unsigned)type > RTCPT_SIP) return E_INVALIDARG;
    *internal = SysAllocString(pm->internal);
    *external = SysAllocString(pm->external);
    if (!*internal || !*external)
    {
        SysFreeString(*internal);
        SysFreeString(*external);
        *internal = *external = NULL;
        return E_OUTOFMEMORY;
    }
    *internal_port = int_ports[type];
    *external_port = ext_ports[type];
    return S_OK;
}

static HRESULT WINAPI spm_GetMapping(IRTCPortManager3 *iface, BSTR remote, RTC_PORT_TYPE type, BSTR *internal,
                                     LONG *internal_port, BSTR *external, LONG *external_port)
{
    return spm_GetMappingEx(iface, remote, 0, RTCTR_UDP, type, internal, internal_port, external, external_port);
}

/* Fixed mappings: nothing to update on a NAT, nothing to give back. */
static HRESULT WINAPI spm_UpdateRemoteAddress(IRTCPortManager3 *iface, BSTR remote, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    (void)iface;
    (void)remote;
    (void)ia;
    (void)ip;
    (void)ea;
    (void)ep;
    return S_OK;
}

static HRESULT WINAPI spm_ReleaseMapping(IRTCPortManager3 *iface, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    (void)iface;
    (void)ia;
    (void)ip;
    (void)ea;
    (void)ep;
    return S_OK;
}

static HRESULT WINAPI spm_UpdateRemoteAddressEx(IRTCPortManager3 *iface, BSTR remote, LONG rport, BSTR ia, LONG ip,
                                                BSTR ea, LONG ep)
{
    (void)rport;
    return spm_UpdateRemoteAddress(iface, remote, ia, ip, ea, ep);
}

static HRESULT WINAPI spm_UpdateRemoteAddressEx2(IRTCPortManager3 *iface, BSTR remote, LONG rport, LONG transport,
                                                 BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    (void)rport;
    (void)transport;
    return spm_UpdateRemoteAddress(iface, remote, ia, ip, ea, ep);
}

static HRESULT WINAPI spm_ReleaseMappingEx(IRTCPortManager3 *iface, LONG transport, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    (void)transport;
    return spm_ReleaseMapping(iface, ia, ip, ea, ep);
}

static const IRTCPortManager3Vtbl sample_pm_vtbl = {
    spm_QueryInterface,
    spm_AddRef,
    spm_Release,
    spm_GetMapping,
    spm_UpdateRemoteAddress,
    spm_ReleaseMapping,
    spm_UpdateRemoteAddressEx,
    spm_GetMappingEx,
    spm_UpdateRemoteAddressEx2,
    spm_ReleaseMappingEx,
};

/* ASCII to a BSTR (addresses are ASCII). */
static BSTR ascii_bstr(const char *s)
{
    size_t i, n = strlen(s);
    BSTR b = SysAllocStringLen(NULL, (UINT)n);
    if (b)
        for (i = 0; i < n; i++) b[i] = (WCHAR)(unsigned char)s[i];
    return b;
}

HRESULT sample_pm_create(int version, const char *internal, const char *external, IRTCPortManager **out)
{
    struct sample_pm *pm;

    if (!out) return E_POINTER;
    *out = NULL;
    if (version < 1 || version > 3 || !internal || !external) return E_INVALIDARG;
    pm = calloc(1, sizeof(*pm));
    if (!pm) return E_OUTOFMEMORY;
    pm->IRTCPortManager3_iface.lpVtbl = &sample_pm_vtbl;
    pm->ref = 1;
    pm->version = version;
    pm->internal = ascii_bstr(internal);
    pm->external = ascii_bstr(external);
    if (!pm->internal || !pm->external)
    {
        spm_Release(&pm->IRTCPortManager3_iface);
        return E_OUTOFMEMORY;
    }
    *out = (IRTCPortManager *)&pm->IRTCPortManager3_iface;
    return S_OK;
}

HRESULT sample_flow_pm(const struct nat_flow_options *o, IRTCPortManager **out)
{
    IRTCPortManager3 *pm3 = NULL;
    char err[512] = "", found[1024];
    const char *config;
    HRESULT hr;

    *out = NULL;
    if (!o->config)
        return sample_pm_create(o->pm_version, o->ipv6 ? "fd00::10" : o->local_address,
                                o->ipv6 ? "2001:db8::7" : "203.0.113.7", out);
    /* a bare name (the default static-nat.ini) may be the installed sample */
    config = program_config_path(o->config, found, sizeof(found));
    if (FAILED(hr = rtcpm_static_pm_create(&pm3))) return hr;
    if (FAILED(hr = rtcpm_static_pm_load_file(pm3, config, err, sizeof(err))))
        fprintf(stderr, "%s\n", err[0] ? err : "cannot load the static port manager config");
    else
    {
        fprintf(o->out, "static port manager: %ld rule(s) from %s\n", (long)rtcpm_static_pm_rule_count(pm3), config);
        hr = IRTCPortManager3_QueryInterface(pm3, &IID_IRTCPortManager, (void **)out);
    }
    IRTCPortManager3_Release(pm3);
    return hr;
}
