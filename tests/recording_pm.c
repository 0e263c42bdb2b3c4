/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * recording_pm.c — see recording_pm.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "recording_pm.h"
#include "com/com.h"
#include "com/bstr_util.h"
#include "com/ftm.h"

struct recording_pm
{
    IRTCPortManager3 IRTCPortManager3_iface;
    LONG ref;
    struct com_ftm ftm; /* aggregated free-threaded marshaler (recording_pm_create_ftm) */
    int version;
    uintptr_t last_caller;           /* recording_pm_thread_token() of the thread of the last call */
    unsigned refused;                /* bit per port type */
    char internal[64], external[64]; /* the addresses it answers */
    char log[8192];
    size_t used;
};

static const IRTCPortManager3Vtbl recording_pm_vtbl;

static struct recording_pm *impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return CONTAINING_RECORD(iface, struct recording_pm, IRTCPortManager3_iface);
}

static void logf_(struct recording_pm *pm, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#include <stdarg.h>
static void logf_(struct recording_pm *pm, const char *fmt, ...)
{
    va_list ap;
    int n;
    pm->last_caller = recording_pm_thread_token();
    va_start(ap, fmt);
    n = vsnprintf(pm->log + pm->used, sizeof(pm->log) - pm->used, fmt, ap);
    va_end(ap);
    if (n > 0) pm->used += (size_t)n < sizeof(pm->log) - pm->used ? (size_t)n : sizeof(pm->log) - pm->used - 1;
}

static const char *s(BSTR b, char *buf, size_t len)
{
    if (FAILED(rtcpm_bstr_to_utf8(b, buf, len, NULL))) snprintf(buf, len, "<bad>");
    return buf;
}

static HRESULT WINAPI rpm_QueryInterface(IRTCPortManager3 *iface, REFIID riid, void **out)
{
    struct recording_pm *pm = impl_from_IRTCPortManager3(iface);
    const struct com_iface_entry table[] = {
        { &IID_IRTCPortManager, offsetof(struct recording_pm, IRTCPortManager3_iface) },
        { &IID_IRTCPortManager2, offsetof(struct recording_pm, IRTCPortManager3_iface) },
        { &IID_IRTCPortManager3, offsetof(struct recording_pm, IRTCPortManager3_iface) },
    };
    HRESULT hr = rtcpm_com_query_interface(pm, table, (size_t)pm->version, riid, out);
    if (hr == E_NOINTERFACE) hr = rtcpm_com_ftm_query_interface(&pm->ftm, riid, out);
    return hr;
}

static ULONG WINAPI rpm_AddRef(IRTCPortManager3 *iface)
{
    return (ULONG)com_ref_inc(&impl_from_IRTCPortManager3(iface)->ref);
}

static ULONG WINAPI rpm_Release(IRTCPortManager3 *iface)
{
    struct recording_pm *pm = impl_from_IRTCPortManager3(iface);
    LONG ref = com_ref_dec(&pm->ref);
    if (!ref)
    {
        rtcpm_com_ftm_release(&pm->ftm);
        free(pm);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT answer(struct recording_pm *pm, RTC_PORT_TYPE type, BSTR *int_addr, LONG *int_port, BSTR *ext_addr,
                      LONG *ext_port)
{
    if (!int_addr || !int_port || !ext_addr || !ext_port) return E_POINTER;
    *int_addr = *ext_addr = NULL;
    *int_port = *ext_port = 0;
    if ((unsigned)type > RTCPT_SIP) return E_INVALIDARG;
    if (pm->refused & (1u << type)) return RTC_E_PORT_MAPPING_UNAVAILABLE;
    *int_addr = rtcpm_bstr_from_cstr(pm->internal);
    *ext_addr = rtcpm_bstr_from_cstr(pm->external);
    *int_port = type == RTCPT_SIP ? 5060 : 5000 + (LONG)type;
    *ext_port = type == RTCPT_SIP ? 45060 : 40000 + (LONG)type;
    return S_OK;
}

static void log_answer(struct recording_pm *pm, HRESULT hr, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    char b1[64], b2[64];
    if (SUCCEEDED(hr))
        logf_(pm, " -> 0x%lx %s:%ld %s:%ld\n", (unsigned long)(ULONG)hr, s(ia, b1, sizeof b1), (long)ip,
              s(ea, b2, sizeof b2), (long)ep);
    else
        logf_(pm, " -> 0x%lx\n", (unsigned long)(ULONG)hr);
}

static HRESULT WINAPI rpm_GetMapping(IRTCPortManager3 *iface, BSTR remote, RTC_PORT_TYPE type, BSTR *ia, LONG *ip,
                                     BSTR *ea, LONG *ep)
{
    struct recording_pm *pm = impl_from_IRTCPortManager3(iface);
    char b[64];
    HRESULT hr;
    logf_(pm, "GetMapping(%s,%s)", s(remote, b, sizeof b), rtcpm_port_type_name(type));
    hr = answer(pm, type, ia, ip, ea, ep);
    log_answer(pm, hr, ia ? *ia : NULL, ip ? *ip : 0, ea ? *ea : NULL, ep ? *ep : 0);
    return hr;
}

static HRESULT WINAPI rpm_UpdateRemoteAddress(IRTCPortManager3 *iface, BSTR remote, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    struct recording_pm *pm = impl_from_IRTCPortManager3(iface);
    char b1[64], b2[64], b3[64];
    logf_(pm, "UpdateRemoteAddress(%s,%s:%ld,%s:%ld)\n", s(remote, b1, sizeof b1), s(ia, b2, sizeof b2), (long)ip,
          s(ea, b3, sizeof b3), (long)ep);
    return S_OK;
}

static HRESULT WINAPI rpm_ReleaseMapping(IRTCPortManager3 *iface, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    struct recording_pm *pm = impl_from_IRTCPortManager3(iface);
    char b2[64], b3[64];
    logf_(pm, "ReleaseMapping(%s:%ld,%s:%ld)\n", s(ia, b2, sizeof b2), (long)ip, s(ea, b3, sizeof b3), (long)ep);
    return S_OK;
}

static HRESULT WINAPI rpm_UpdateRemoteAddressEx(IRTCPortManager3 *iface, BSTR remote, LONG rport, BSTR ia, LONG ip,
                                                BSTR ea, LONG ep)
{
    struct recording_pm *pm = impl_from_IRTCPortManager3(iface);
    char b1[64], b2[64], b3[64];
    logf_(pm, "UpdateRemoteAddressEx(%s:%ld,%s:%ld,%s:%ld)\n", s(remote, b1, sizeof b1), (long)rport,
          s(ia, b2, sizeof b2), (long)ip, s(ea, b3, sizeof b3), (long)ep);
    return S_OK;
}

static HRESULT WINAPI rpm_GetMappingEx(IRTCPortManager3 *iface, BSTR remote, LONG rport, LONG transport,
                                       RTC_PORT_TYPE type, BSTR *ia, LONG *ip, BSTR *ea, LONG *ep)
{
    struct recording_pm *pm = impl_from_IRTCPortManager3(iface);
    char b[64];
    HRESULT hr;
    logf_(pm, "GetMappingEx(%s:%ld,%s,%s)", s(remote, b, sizeof b), (long)rport, rtcpm_transport_name(transport),
          rtcpm_port_type_name(type));
    hr = answer(pm, type, ia, ip, ea, ep);
    log_answer(pm, hr, ia ? *ia : NULL, ip ? *ip : 0, ea ? *ea : NULL, ep ? *ep : 0);
    return hr;
}

static HRESULT WINAPI rpm_UpdateRemoteAddressEx2(IRTCPortManager3 *iface, BSTR remote, LONG rport, LONG transport,
                                                 BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    struct recording_pm *pm = impl_from_IRTCPortManager3(iface);
    char b1[64], b2[64], b3[64];
    logf_(pm, "UpdateRemoteAddressEx2(%s:%ld,%s,%s:%ld,%s:%ld)\n", s(remote, b1, sizeof b1), (long)rport,
          rtcpm_transport_name(transport), s(ia, b2, sizeof b2), (long)ip, s(ea, b3, sizeof b3), (long)ep);
    return S_OK;
}

static HRESULT WINAPI rpm_ReleaseMappingEx(IRTCPortManager3 *iface, LONG transport, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    struct recording_pm *pm = impl_from_IRTCPortManager3(iface);
    char b2[64], b3[64];
    logf_(pm, "ReleaseMappingEx(%s,%s:%ld,%s:%ld)\n", rtcpm_transport_name(transport), s(ia, b2, sizeof b2), (long)ip,
          s(ea, b3, sizeof b3), (long)ep);
    return S_OK;
}

static const IRTCPortManager3Vtbl recording_pm_vtbl = {
    rpm_QueryInterface,
    rpm_AddRef,
    rpm_Release,
    rpm_GetMapping,
    rpm_UpdateRemoteAddress,
    rpm_ReleaseMapping,
    rpm_UpdateRemoteAddressEx,
    rpm_GetMappingEx,
    rpm_UpdateRemoteAddressEx2,
    rpm_ReleaseMappingEx,
};

static HRESULT create(int version, int ftm, IRTCPortManager **out)
{
    struct recording_pm *pm;
    HRESULT hr;
    if (!out) return E_POINTER;
    *out = NULL;
    if (version < 1 || version > 3) return E_INVALIDARG;
    pm = calloc(1, sizeof(*pm));
    if (!pm) return E_OUTOFMEMORY;
    pm->IRTCPortManager3_iface.lpVtbl = &recording_pm_vtbl;
    pm->ref = 1;
    pm->version = version;
    strcpy(pm->internal, "192.168.1.10");
    strcpy(pm->external, "198.51.100.7");
    if (ftm && FAILED(hr = rtcpm_com_ftm_aggregate(&pm->ftm, (IUnknown *)&pm->IRTCPortManager3_iface)))
    {
        free(pm);
        return hr;
    }
    rtcpm_com_object_created();
    *out = (IRTCPortManager *)&pm->IRTCPortManager3_iface;
    return S_OK;
}

HRESULT recording_pm_create(int version, IRTCPortManager **out) { return create(version, 0, out); }
HRESULT recording_pm_create_ftm(int version, IRTCPortManager **out) { return create(version, 1, out); }

uintptr_t recording_pm_thread_token(void)
{
    /* a thread-local object has a distinct address in every live thread */
    static _Thread_local char marker;
    return (uintptr_t)&marker;
}

static struct recording_pm *impl(IRTCPortManager *pm) { return impl_from_IRTCPortManager3((IRTCPortManager3 *)pm); }

const char *recording_pm_log(IRTCPortManager *pm) { return impl(pm)->log; }
void recording_pm_clear_log(IRTCPortManager *pm)
{
    impl(pm)->used = 0;
    impl(pm)->log[0] = 0;
}
void recording_pm_refuse(IRTCPortManager *pm, int type) { impl(pm)->refused |= 1u << type; }
LONG recording_pm_refcount(IRTCPortManager *pm) { return impl(pm)->ref; }

void recording_pm_set_addresses(IRTCPortManager *pm, const char *internal, const char *external)
{
    struct recording_pm *p = impl(pm);
    snprintf(p->internal, sizeof(p->internal), "%s", internal);
    snprintf(p->external, sizeof(p->external), "%s", external);
}

void recording_pm_set_ipv6(IRTCPortManager *pm) { recording_pm_set_addresses(pm, "fd00::10", "2001:db8::7"); }
uintptr_t recording_pm_last_caller(IRTCPortManager *pm) { return impl(pm)->last_caller; }
