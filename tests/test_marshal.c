/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_marshal.c — the port-management interfaces across apartments, under Wine:
 * through rtcpm_ps.dll (widl's proxy/stub) and through the free-threaded marshaler.
 *
 * The main thread is in the multithreaded apartment (MTA); objects that must live in a
 * single-threaded apartment (STA) live on an apartment.c thread, which pumps messages.
 * Objects move between them with CoMarshalInterThreadInterfaceInStream /
 * CoGetInterfaceAndReleaseStream, as an application would.
 *
 *   test_marshal                 in-process registration (rtcpm_marshal_register) in each
 *                                apartment; every case below
 *   test_marshal --registered    rtcpm_ps.dll registered by regsvr32, no in-process
 *                                registration (tests/marshal_regsvr32.sh)
 *   test_marshal --unregistered  nothing registered: standard marshalling must fail
 *
 * [out] BSTR leaks are counted with an IMallocSpy (malloc_spy.c): oleaut32 allocates BSTRs
 * with CoTaskMemAlloc, and its BSTR cache is switched off with SetOaNoCache().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "recording_pm.h"
#include "apartment.h"
#include "malloc_spy.h"
#include "marshal_util.h"
#include "com/com.h"
#include "com/ftm.h"

/* rtcpm_ps.dll's proxy/stub CLSID (src/ps/proxy_prelude.h, README "Marshalling") */
static const CLSID clsid_rtcpm_ps = { 0x45bfca13, 0xc517, 0x4028, { 0x96, 0xe2, 0xbf, 0x7e, 0x48, 0x1d, 0x02, 0xc6 } };

/* ---------------------------------------------------------------------------------------- */
/* BSTR payloads                                                                             */

struct payload
{
    const char *name;
    const void *bytes; /* NULL: the NULL BSTR */
    UINT byte_len;
};

static WCHAR big[32768]; /* 64 KiB, every 16-bit value class: NULs, lone surrogates, ... */
static const WCHAR embedded_nul[] = { 'a', 0, 'b', 0, 0 };
static const WCHAR non_ascii[] = RTCPM_W("Gr\u00fc\u00dfe \u65e5\u672c \U0001F600 \u00e9");
static const WCHAR ipv6_zone[] = RTCPM_W("[fe80::1ff:fe23:4567:890a%eth0]:5060");

static struct payload payloads[] = {
    { "NULL", NULL, 0 },
    { "empty", RTCPM_W(""), 0 },
    { "embedded NUL", embedded_nul, 4 * sizeof(WCHAR) },
    { "non-ASCII", non_ascii, sizeof(non_ascii) - sizeof(WCHAR) },
    { "IPv6 zone id", ipv6_zone, sizeof(ipv6_zone) - sizeof(WCHAR) },
    { "64 KiB", big, sizeof(big) },
};

static BSTR payload_bstr(const struct payload *p)
{
    return p->bytes ? SysAllocStringByteLen((const char *)p->bytes, p->byte_len) : NULL;
}

/* Byte-identical: NULL stays NULL, "" stays a non-NULL empty BSTR. */
static int payload_is(const struct payload *p, BSTR b)
{
    if (!p->bytes) return b == NULL;
    return b && SysStringByteLen(b) == p->byte_len && !memcmp(b, p->bytes, p->byte_len);
}

/* ---------------------------------------------------------------------------------------- */
/* probe: a port manager that checks its [in] BSTRs and returns chosen [out] BSTRs           */

struct probe
{
    IRTCPortManager3 IRTCPortManager3_iface;
    LONG ref;
    struct com_ftm ftm;
    LONG calls;
    DWORD last_tid;                  /* thread of the last call */
    const struct payload *expect_in; /* when set: every [in] BSTR must be this, byte for byte */
    LONG in_checked, in_mismatched;
    const struct payload *give_out; /* every [out] BSTR is a new copy of this */
    HRESULT fail;                   /* when set: every method returns it, [out]s NULL/0 */
};

static struct probe *impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return CONTAINING_RECORD(iface, struct probe, IRTCPortManager3_iface);
}

static HRESULT WINAPI probe_QueryInterface(IRTCPortManager3 *iface, REFIID riid, void **out)
{
    struct probe *p = impl_from_IRTCPortManager3(iface);
    static const struct com_iface_entry table[] = {
        { &IID_IRTCPortManager3, offsetof(struct probe, IRTCPortManager3_iface) },
        { &IID_IRTCPortManager2, offsetof(struct probe, IRTCPortManager3_iface) },
        { &IID_IRTCPortManager, offsetof(struct probe, IRTCPortManager3_iface) },
    };
    HRESULT hr = rtcpm_com_query_interface(p, table, ARRAY_SIZE(table), riid, out);
    if (hr == E_NOINTERFACE) hr = rtcpm_com_ftm_query_interface(&p->ftm, riid, out);
    return hr;
}

static ULONG WINAPI probe_AddRef(IRTCPortManager3 *iface)
{
    return (ULONG)com_ref_inc(&impl_from_IRTCPortManager3(iface)->ref);
}

static ULONG WINAPI probe_Release(IRTCPortManager3 *iface)
{
    struct probe *p = impl_from_IRTCPortManager3(iface);
    LONG ref = com_ref_dec(&p->ref);
    if (!ref)
    {
        rtcpm_com_ftm_release(&p->ftm);
        free(p);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static void probe_in(struct probe *p, BSTR b)
{
    if (!p->expect_in) return;
    InterlockedIncrement(&p->in_checked);
    if (!payload_is(p->expect_in, b))
    {
        InterlockedIncrement(&p->in_mismatched);
        printf("  probe: [in] %s arrived as %s, %u bytes\n", p->expect_in->name, b ? "BSTR" : "NULL",
               SysStringByteLen(b));
    }
}

/* Every method: counts the call, notes its thread, checks its n [in] BSTRs. */
static HRESULT probe_call(struct probe *p, int n, BSTR a, BSTR b, BSTR c)
{
    BSTR in[3];
    int i;

    in[0] = a;
    in[1] = b;
    in[2] = c;
    InterlockedIncrement(&p->calls);
    p->last_tid = GetCurrentThreadId();
    for (i = 0; i < n; i++) probe_in(p, in[i]);
    return p->fail;
}

static HRESULT probe_outs(struct probe *p, BSTR *ia, LONG *ip, BSTR *ea, LONG *ep)
{
    if (!ia || !ip || !ea || !ep) return E_POINTER;
    *ia = *ea = NULL;
    *ip = *ep = 0;
    if (p->fail) return p->fail;
    if (p->give_out)
    {
        *ia = payload_bstr(p->give_out);
        *ea = payload_bstr(p->give_out);
    }
    *ip = 5060;
    *ep = 45060;
    return S_OK;
}

/* The version 1 and 2 methods check the same BSTRs as their version 3 forms. */
static HRESULT WINAPI probe_GetMappingEx(IRTCPortManager3 *iface, BSTR remote, LONG rport, LONG transport,
                                         RTC_PORT_TYPE type, BSTR *ia, LONG *ip, BSTR *ea, LONG *ep)
{
    struct probe *p = impl_from_IRTCPortManager3(iface);
    (void)rport;
    (void)transport;
    (void)type;
    probe_call(p, 1, remote, NULL, NULL);
    return probe_outs(p, ia, ip, ea, ep);
}

static HRESULT WINAPI probe_UpdateRemoteAddressEx2(IRTCPortManager3 *iface, BSTR remote, LONG rport, LONG transport,
                                                   BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    (void)rport;
    (void)transport;
    (void)ip;
    (void)ep;
    return probe_call(impl_from_IRTCPortManager3(iface), 3, remote, ia, ea);
}

static HRESULT WINAPI probe_ReleaseMappingEx(IRTCPortManager3 *iface, LONG transport, BSTR ia, LONG ip, BSTR ea,
                                             LONG ep)
{
    (void)transport;
    (void)ip;
    (void)ep;
    return probe_call(impl_from_IRTCPortManager3(iface), 2, ia, ea, NULL);
}

static HRESULT WINAPI probe_GetMapping(IRTCPortManager3 *iface, BSTR remote, RTC_PORT_TYPE type, BSTR *ia, LONG *ip,
                                       BSTR *ea, LONG *ep)
{
    return probe_GetMappingEx(iface, remote, 0, RTCTR_UDP, type, ia, ip, ea, ep);
}

static HRESULT WINAPI probe_UpdateRemoteAddress(IRTCPortManager3 *iface, BSTR remote, BSTR ia, LONG ip, BSTR ea,
                                                LONG ep)
{
    return probe_UpdateRemoteAddressEx2(iface, remote, 0, RTCTR_UDP, ia, ip, ea, ep);
}

static HRESULT WINAPI probe_ReleaseMapping(IRTCPortManager3 *iface, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    return probe_ReleaseMappingEx(iface, RTCTR_UDP, ia, ip, ea, ep);
}

static HRESULT WINAPI probe_UpdateRemoteAddressEx(IRTCPortManager3 *iface, BSTR remote, LONG rport, BSTR ia, LONG ip,
                                                  BSTR ea, LONG ep)
{
    return probe_UpdateRemoteAddressEx2(iface, remote, rport, RTCTR_UDP, ia, ip, ea, ep);
}

static const IRTCPortManager3Vtbl probe_vtbl = {
    probe_QueryInterface,
    probe_AddRef,
    probe_Release,
    probe_GetMapping,
    probe_UpdateRemoteAddress,
    probe_ReleaseMapping,
    probe_UpdateRemoteAddressEx,
    probe_GetMappingEx,
    probe_UpdateRemoteAddressEx2,
    probe_ReleaseMappingEx,
};

static struct probe *probe_create(int ftm)
{
    struct probe *p = calloc(1, sizeof(*p));
    if (!p) return NULL;
    p->IRTCPortManager3_iface.lpVtbl = &probe_vtbl;
    p->ref = 1;
    if (ftm && FAILED(rtcpm_com_ftm_aggregate(&p->ftm, (IUnknown *)&p->IRTCPortManager3_iface)))
    {
        free(p);
        return NULL;
    }
    rtcpm_com_object_created();
    return p;
}

/* ---------------------------------------------------------------------------------------- */
/* host: a minimal IRTCProfilePortManagement + IRTCSessionPortManagement +                   */
/* IRTCClientPortManagement (the real ones live in src/host); it keeps the port manager it   */
/* is given and uses it as RTC would                                                         */

struct host
{
    IRTCProfilePortManagement IRTCProfilePortManagement_iface;
    IRTCSessionPortManagement IRTCSessionPortManagement_iface;
    IRTCClientPortManagement IRTCClientPortManagement_iface;
    LONG ref;
    IRTCPortManager *profile_pm, *session_pm;
    LONG listening;     /* StartListen... minus StopListen... */
    int listen_addr_ok; /* the last listen address arrived as ipv6_zone, byte for byte */
    LONG listen_port;
};

static const struct com_iface_entry host_ifaces[] = {
    { &IID_IRTCProfilePortManagement, offsetof(struct host, IRTCProfilePortManagement_iface) },
    { &IID_IRTCSessionPortManagement, offsetof(struct host, IRTCSessionPortManagement_iface) },
    { &IID_IRTCClientPortManagement, offsetof(struct host, IRTCClientPortManagement_iface) },
};

static ULONG host_release(struct host *h)
{
    LONG ref = com_ref_dec(&h->ref);
    if (!ref)
    {
        if (h->profile_pm) h->profile_pm->lpVtbl->Release(h->profile_pm);
        if (h->session_pm) h->session_pm->lpVtbl->Release(h->session_pm);
        free(h);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static void host_set(IRTCPortManager **slot, IRTCPortManager *pm)
{
    IRTCPortManager *old = *slot;
    if (pm) pm->lpVtbl->AddRef(pm);
    *slot = pm;
    if (old) old->lpVtbl->Release(old);
}

/* impl_from_<interface> and the IUnknown methods of one of the host's three interfaces:
 * the table QI, one refcount for the object. */
#define HOST_IUNKNOWN(prefix, itf)                                                                                     \
    static struct host *impl_from_##itf(itf *iface) { return CONTAINING_RECORD(iface, struct host, itf##_iface); }     \
    static HRESULT WINAPI prefix##_QueryInterface(itf *iface, REFIID riid, void **out)                                 \
    {                                                                                                                  \
        return rtcpm_com_query_interface(impl_from_##itf(iface), host_ifaces, ARRAY_SIZE(host_ifaces), riid, out);     \
    }                                                                                                                  \
    static ULONG WINAPI prefix##_AddRef(itf *iface) { return (ULONG)com_ref_inc(&impl_from_##itf(iface)->ref); }       \
    static ULONG WINAPI prefix##_Release(itf *iface) { return host_release(impl_from_##itf(iface)); }

HOST_IUNKNOWN(profile, IRTCProfilePortManagement)
HOST_IUNKNOWN(session, IRTCSessionPortManagement)
HOST_IUNKNOWN(client, IRTCClientPortManagement)

static HRESULT WINAPI profile_SetPortManager(IRTCProfilePortManagement *iface, IRTCPortManager *pm)
{
    host_set(&impl_from_IRTCProfilePortManagement(iface)->profile_pm, pm);
    return S_OK;
}

static HRESULT WINAPI session_SetPortManager(IRTCSessionPortManagement *iface, IRTCPortManager *pm)
{
    host_set(&impl_from_IRTCSessionPortManagement(iface)->session_pm, pm);
    return S_OK;
}

static const struct payload ipv6_zone_payload = { "IPv6 zone id", ipv6_zone, sizeof(ipv6_zone) - sizeof(WCHAR) };

static HRESULT WINAPI client_StartListenAddressAndPort(IRTCClientPortManagement *iface, BSTR addr, LONG port)
{
    struct host *h = impl_from_IRTCClientPortManagement(iface);
    h->listen_addr_ok = payload_is(&ipv6_zone_payload, addr);
    h->listen_port = port;
    InterlockedIncrement(&h->listening);
    return S_OK;
}
static HRESULT WINAPI client_StopListenAddressAndPort(IRTCClientPortManagement *iface, BSTR addr, LONG port)
{
    struct host *h = impl_from_IRTCClientPortManagement(iface);
    if (!payload_is(&ipv6_zone_payload, addr) || port != h->listen_port) return E_INVALIDARG;
    InterlockedDecrement(&h->listening);
    return S_OK;
}
static HRESULT WINAPI client_GetPortRange(IRTCClientPortManagement *iface, RTC_PORT_TYPE type, LONG *min, LONG *max)
{
    (void)iface;
    if (!min || !max) return E_POINTER;
    *min = *max = 0;
    if ((unsigned)type > RTCPT_SIP) return E_INVALIDARG;
    *min = 10000 + 1000 * (LONG)type;
    *max = *min + 999;
    return S_OK;
}

static const IRTCClientPortManagementVtbl client_vtbl = {
    client_QueryInterface,           client_AddRef,       client_Release, client_StartListenAddressAndPort,
    client_StopListenAddressAndPort, client_GetPortRange,
};

static const IRTCProfilePortManagementVtbl profile_vtbl = {
    profile_QueryInterface,
    profile_AddRef,
    profile_Release,
    profile_SetPortManager,
};
static const IRTCSessionPortManagementVtbl session_vtbl = {
    session_QueryInterface,
    session_AddRef,
    session_Release,
    session_SetPortManager,
};

static struct host *host_create(void)
{
    struct host *h = calloc(1, sizeof(*h));
    if (!h) return NULL;
    h->IRTCProfilePortManagement_iface.lpVtbl = &profile_vtbl;
    h->IRTCSessionPortManagement_iface.lpVtbl = &session_vtbl;
    h->IRTCClientPortManagement_iface.lpVtbl = &client_vtbl;
    h->ref = 1;
    rtcpm_com_object_created();
    return h;
}

/* As RTC does: IRTCPortManager3 first, then GetMappingEx for the SIP port. */
static HRESULT host_sip_mapping(IRTCPortManager *pm, BSTR *ia, LONG *ip, BSTR *ea, LONG *ep)
{
    IRTCPortManager3 *pm3;
    BSTR remote = SysAllocString(RTCPM_W("2001:db8::5"));
    HRESULT hr = pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager3, (void **)&pm3);
    if (SUCCEEDED(hr))
    {
        hr = pm3->lpVtbl->GetMappingEx(pm3, remote, 5060, RTCTR_UDP, RTCPT_SIP, ia, ip, ea, ep);
        pm3->lpVtbl->Release(pm3);
    }
    SysFreeString(remote);
    return hr;
}

/* ---------------------------------------------------------------------------------------- */
/* marshalling helpers                                                                       */

/* STA job: make an object there and marshal it into a stream for the main thread. */
struct make_job
{
    int kind;       /* MAKE_PROBE, MAKE_PROBE_FTM, MAKE_RECORDING, MAKE_RECORDING_FTM */
    int version;    /* recording_pm */
    const IID *iid; /* the interface to marshal */
    struct probe *probe;
    IRTCPortManager *recording;
    IStream *stream;
    uintptr_t token; /* recording_pm_thread_token() of the STA */
    DWORD tid;
};
enum
{
    MAKE_PROBE,
    MAKE_PROBE_FTM,
    MAKE_RECORDING,
    MAKE_RECORDING_FTM
};

static void make_job_run(void *arg)
{
    struct make_job *j = arg;
    IUnknown *obj = NULL;

    j->token = recording_pm_thread_token();
    j->tid = GetCurrentThreadId();
    switch (j->kind)
    {
    case MAKE_PROBE:
    case MAKE_PROBE_FTM:
        j->probe = probe_create(j->kind == MAKE_PROBE_FTM);
        if (j->probe) obj = (IUnknown *)&j->probe->IRTCPortManager3_iface;
        break;
    case MAKE_RECORDING:
        if (recording_pm_create(j->version, &j->recording) == S_OK) obj = (IUnknown *)j->recording;
        break;
    case MAKE_RECORDING_FTM:
        if (recording_pm_create_ftm(j->version, &j->recording) == S_OK) obj = (IUnknown *)j->recording;
        break;
    }
    if (obj) j->stream = to_stream(j->iid, obj);
}

/* Makes an object of `kind` in the STA (make_job_run) and returns it unmarshalled here as
 * `iid`: j->probe or j->recording is the STA's own object. */
static void *made_in_sta(struct sta *sta, struct make_job *j, int kind, int version, const IID *iid)
{
    memset(j, 0, sizeof(*j));
    j->kind = kind;
    j->version = version;
    j->iid = iid;
    sta_run(sta, make_job_run, j);
    CU_ASSERT_FATAL(j->probe != NULL || j->recording != NULL);
    return from_stream(j->stream, iid);
}

/* STA job: release the reference make_job_run's object has from its creator there (the
 * object then lives on its stubs' references). */
static void release_made_job_run(void *arg)
{
    struct make_job *j = arg;
    release_job_run(j->probe ? (void *)&j->probe->IRTCPortManager3_iface : (void *)j->recording);
}

/* A test's apartments: this thread's (the MTA's) registration of rtcpm_ps.dll and an STA
 * with its own. */
struct apartments
{
    rtcpm_marshal_registration *reg;
    struct sta sta;
};

static void apartments_start(struct apartments *a)
{
    a->reg = NULL;
    mta_register(&a->reg);
    sta_start_ok(&a->sta, 1);
}

static void apartments_stop(struct apartments *a)
{
    sta_stop_ok(&a->sta);
    CU_ASSERT_EQUAL(rtcpm_marshal_revoke(a->reg), S_OK);
}

/* recording_pm's mapping of a port type as [out]s: its addresses and these ports; the
 * BSTRs are freed. */
static void recording_outs_are(BSTR ia, LONG ip, BSTR ea, LONG ep, LONG want_ip, LONG want_ep)
{
    CU_ASSERT_BSTR_EQUAL(ia, RTCPM_W("192.168.1.10"));
    CU_ASSERT_BSTR_EQUAL(ea, RTCPM_W("198.51.100.7"));
    CU_ASSERT_EQUAL(ip, want_ip);
    CU_ASSERT_EQUAL(ep, want_ep);
    SysFreeString(ia);
    SysFreeString(ea);
}

/* A failed call's [out]s: NULL and 0. */
static void outs_cleared(BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    CU_ASSERT_PTR_NULL(ia);
    CU_ASSERT_PTR_NULL(ea);
    CU_ASSERT_EQUAL(ip, 0);
    CU_ASSERT_EQUAL(ep, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* every method of IRTCPortManager, 2 and 3, with a log recording_pm can be compared against */

static const char every_method_log[] =
    "GetMapping(198.18.0.1,AUDIO_RTP) -> 0x0 192.168.1.10:5000 198.51.100.7:40000\n"
    "UpdateRemoteAddress(198.18.0.2,192.168.1.10:5000,198.51.100.7:40000)\n"
    "ReleaseMapping(192.168.1.10:5000,198.51.100.7:40000)\n"
    "UpdateRemoteAddressEx(2001:db8::2:5004,192.168.1.10:5000,198.51.100.7:40000)\n"
    "GetMappingEx(2001:db8::1:5060,UDP,SIP) -> 0x0 192.168.1.10:5060 198.51.100.7:45060\n"
    "UpdateRemoteAddressEx2(fe80::1%eth0:5062,TCP,192.168.1.10:5060,198.51.100.7:45060)\n"
    "ReleaseMappingEx(TLS,192.168.1.10:5060,198.51.100.7:45060)\n";

/* Calls each method once through pm (QI'ing 2 and 3 from it) and checks the [out]s. */
static void call_every_method(IRTCPortManager *pm)
{
    IRTCPortManager2 *pm2 = NULL;
    IRTCPortManager3 *pm3 = NULL;
    BSTR ia = NULL, ea = NULL;
    LONG ip = -1, ep = -1;
    BSTR r1 = SysAllocString(RTCPM_W("198.18.0.1")), r2 = SysAllocString(RTCPM_W("198.18.0.2"));
    BSTR r3 = SysAllocString(RTCPM_W("2001:db8::2")), r4 = SysAllocString(RTCPM_W("2001:db8::1"));
    BSTR r5 = SysAllocString(RTCPM_W("fe80::1%eth0"));
    BSTR in_ia = SysAllocString(RTCPM_W("192.168.1.10")), in_ea = SysAllocString(RTCPM_W("198.51.100.7"));

    CU_ASSERT_EQUAL(pm->lpVtbl->GetMapping(pm, r1, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep), S_OK);
    recording_outs_are(ia, ip, ea, ep, 5000, 40000);
    CU_ASSERT_EQUAL(pm->lpVtbl->UpdateRemoteAddress(pm, r2, in_ia, 5000, in_ea, 40000), S_OK);
    CU_ASSERT_EQUAL(pm->lpVtbl->ReleaseMapping(pm, in_ia, 5000, in_ea, 40000), S_OK);

    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager2, (void **)&pm2), S_OK);
    if (pm2)
    {
        CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddressEx(pm2, r3, 5004, in_ia, 5000, in_ea, 40000), S_OK);
        pm2->lpVtbl->Release(pm2);
    }
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager3, (void **)&pm3), S_OK);
    if (pm3)
    {
        ia = ea = NULL;
        CU_ASSERT_EQUAL(pm3->lpVtbl->GetMappingEx(pm3, r4, 5060, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep), S_OK);
        recording_outs_are(ia, ip, ea, ep, 5060, 45060);
        CU_ASSERT_EQUAL(pm3->lpVtbl->UpdateRemoteAddressEx2(pm3, r5, 5062, RTCTR_TCP, in_ia, 5060, in_ea, 45060), S_OK);
        CU_ASSERT_EQUAL(pm3->lpVtbl->ReleaseMappingEx(pm3, RTCTR_TLS, in_ia, 5060, in_ea, 45060), S_OK);
        pm3->lpVtbl->Release(pm3);
    }
    SysFreeString(r1);
    SysFreeString(r2);
    SysFreeString(r3);
    SysFreeString(r4);
    SysFreeString(r5);
    SysFreeString(in_ia);
    SysFreeString(in_ea);
}

static void test_every_method_direct(void)
{
    IRTCPortManager *pm;
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &pm), S_OK);
    call_every_method(pm);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), every_method_log);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
}

/* STA object, MTA caller: every method through the proxy, the calls run in the STA. */
static void test_every_method_sta_object_mta_caller(void)
{
    struct apartments a;
    struct make_job j;
    IRTCPortManager *proxy;

    apartments_start(&a);
    proxy = made_in_sta(&a.sta, &j, MAKE_RECORDING, 3, &IID_IRTCPortManager);
    CU_ASSERT_PTR_NOT_NULL(proxy);
    if (proxy)
    {
        CU_ASSERT_PTR_NOT_EQUAL(proxy, j.recording);
        CU_ASSERT_TRUE(is_proxy(proxy));
        call_every_method(proxy);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(j.recording), every_method_log);
        CU_ASSERT_EQUAL(recording_pm_last_caller(j.recording), j.token);
        CU_ASSERT(recording_pm_refcount(j.recording) > 1); /* the stub holds it */
        CU_ASSERT_EQUAL(proxy->lpVtbl->Release(proxy), 0); /* the caller's side balances too */
    }
    /* the stub let go: only the creator's reference is left */
    CU_ASSERT_EQUAL(recording_pm_refcount(j.recording), 1);
    sta_run(&a.sta, release_made_job_run, &j);
    apartments_stop(&a);
}

/* STA job: unmarshal, call every method through the proxy, release. */
struct call_job
{
    IStream *stream;
    const IID *iid;
    uintptr_t token;
    int was_proxy;
};

static void call_every_method_job(void *arg)
{
    struct call_job *c = arg;
    IRTCPortManager *pm = from_stream(c->stream, c->iid);
    c->token = recording_pm_thread_token();
    if (!pm) return;
    c->was_proxy = is_proxy(pm);
    call_every_method(pm);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
}

/* MTA object, STA caller: the reverse direction. */
static void test_every_method_mta_object_sta_caller(void)
{
    struct apartments a;
    IRTCPortManager *pm;
    struct call_job c = { NULL, &IID_IRTCPortManager3, 0, 0 };

    apartments_start(&a);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &pm), S_OK);
    c.stream = to_stream(&IID_IRTCPortManager3, pm);
    sta_run(&a.sta, call_every_method_job, &c);
    CU_ASSERT_TRUE(c.was_proxy);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), every_method_log);
    /* an MTA object is called on an RPC thread of the MTA, not on the STA caller's thread */
    CU_ASSERT_NOT_EQUAL(recording_pm_last_caller(pm), c.token);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    apartments_stop(&a);
}

/* QI through the proxy: 1 -> 3 and 2, identity; an RTC 1.3 port manager answers neither. */
static void test_qi_through_proxy(void)
{
    struct apartments a;
    struct make_job j3, j1;
    IRTCPortManager *pm, *pm_v1;
    IRTCPortManager3 *pm3 = NULL;
    IRTCPortManager2 *pm2 = NULL;
    IUnknown *unk1 = NULL, *unk3 = NULL;
    void *none;

    apartments_start(&a);
    pm = made_in_sta(&a.sta, &j3, MAKE_RECORDING, 3, &IID_IRTCPortManager);
    pm_v1 = made_in_sta(&a.sta, &j1, MAKE_RECORDING, 1, &IID_IRTCPortManager);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm_v1);

    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager3, (void **)&pm3), S_OK);
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager2, (void **)&pm2), S_OK);
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IUnknown, (void **)&unk1), S_OK);
    if (pm3)
    {
        BSTR remote = SysAllocString(RTCPM_W("2001:db8::7")), ia = NULL, ea = NULL;
        LONG ip = 0, ep = 0;
        CU_ASSERT_EQUAL(pm3->lpVtbl->QueryInterface(pm3, &IID_IUnknown, (void **)&unk3), S_OK);
        CU_ASSERT_PTR_EQUAL(unk1, unk3); /* one proxy manager: one identity */
        CU_ASSERT_EQUAL(pm3->lpVtbl->GetMappingEx(pm3, remote, 5062, RTCTR_TCP, RTCPT_VIDEO_RTCP, &ia, &ip, &ea, &ep),
                        S_OK);
        CU_ASSERT_EQUAL(ip, 5003);
        CU_ASSERT_EQUAL(ep, 40003);
        CU_ASSERT_STRING_EQUAL(
            recording_pm_log(j3.recording),
            "GetMappingEx(2001:db8::7:5062,TCP,VIDEO_RTCP) -> 0x0 192.168.1.10:5003 198.51.100.7:40003\n");
        SysFreeString(ia);
        SysFreeString(ea);
        SysFreeString(remote);
        if (unk3) unk3->lpVtbl->Release(unk3);
        pm3->lpVtbl->Release(pm3);
    }
    if (pm2) pm2->lpVtbl->Release(pm2);
    if (unk1) unk1->lpVtbl->Release(unk1);

    none = &none;
    CU_ASSERT_EQUAL(pm_v1->lpVtbl->QueryInterface(pm_v1, &IID_IRTCPortManager3, &none), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(none);
    none = &none;
    CU_ASSERT_EQUAL(pm_v1->lpVtbl->QueryInterface(pm_v1, &IID_IRTCPortManager2, &none), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(none);

    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(pm_v1->lpVtbl->Release(pm_v1), 0);
    CU_ASSERT_EQUAL(recording_pm_refcount(j3.recording), 1);
    CU_ASSERT_EQUAL(recording_pm_refcount(j1.recording), 1);
    sta_run(&a.sta, release_made_job_run, &j3);
    sta_run(&a.sta, release_made_job_run, &j1);
    apartments_stop(&a);
}

/* ---------------------------------------------------------------------------------------- */
/* BSTR payloads, both directions, with allocation counts                                    */

/* Sends every payload as every [in] BSTR and receives it as every [out] BSTR through pm,
 * whose object is `probe`. Returns nothing: asserts. */
static void payload_round_trips(IRTCPortManager3 *pm, struct probe *probe)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(payloads); i++)
    {
        const struct payload *p = &payloads[i];
        BSTR in = payload_bstr(p), ia = NULL, ea = NULL;
        LONG ip = 0, ep = 0, live, checked = probe->in_checked;
        HRESULT hr;

        probe->expect_in = p;
        probe->give_out = p;
        probe->in_mismatched = 0;

        /* [in]: three BSTRs, checked in the object */
        hr = pm->lpVtbl->UpdateRemoteAddressEx2(pm, in, 5062, RTCTR_UDP, in, 5060, in, 45060);
        CU_ASSERT_EQUAL(hr, S_OK);
        CU_ASSERT_EQUAL(probe->in_checked, checked + 3);
        CU_ASSERT_EQUAL(probe->in_mismatched, 0);

        /* [out]: two BSTRs, checked here; the caller owns exactly these two allocations */
        live = malloc_spy_live();
        hr = pm->lpVtbl->GetMappingEx(pm, in, 5060, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep);
        CU_ASSERT_EQUAL(hr, S_OK);
        CU_ASSERT_EQUAL(probe->in_mismatched, 0);
        CU_ASSERT_TRUE(payload_is(p, ia));
        CU_ASSERT_TRUE(payload_is(p, ea));
        if (!payload_is(p, ia))
            printf("  [out] %s arrived as %s, %u bytes\n", p->name, ia ? "BSTR" : "NULL", SysStringByteLen(ia));
        CU_ASSERT_EQUAL(malloc_spy_live() - live, p->bytes ? 2 : 0);
        SysFreeString(ia);
        SysFreeString(ea);
        CU_ASSERT_EQUAL(malloc_spy_live(), live);

        SysFreeString(in);
        probe->expect_in = probe->give_out = NULL;
    }
}

static void warm_up(IRTCPortManager3 *pm)
{
    /* first calls through a proxy allocate lasting state (buffers, caches): not leaks */
    BSTR ia = NULL, ea = NULL;
    LONG ip, ep;
    if (SUCCEEDED(pm->lpVtbl->GetMappingEx(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep)))
    {
        SysFreeString(ia);
        SysFreeString(ea);
    }
}

static void test_payloads_sta_object_mta_caller(void)
{
    struct apartments a;
    struct make_job j;
    IRTCPortManager3 *pm;

    apartments_start(&a);
    pm = made_in_sta(&a.sta, &j, MAKE_PROBE, 0, &IID_IRTCPortManager3);
    CU_ASSERT_PTR_NOT_NULL(pm);
    if (pm)
    {
        CU_ASSERT_TRUE(is_proxy(pm));
        warm_up(pm);
        payload_round_trips(pm, j.probe);
        CU_ASSERT_EQUAL(j.probe->last_tid, j.tid);
        CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    }
    CU_ASSERT_EQUAL(j.probe->ref, 1);
    sta_run(&a.sta, release_made_job_run, &j);
    apartments_stop(&a);
}

struct payload_job
{
    IStream *stream;
    struct probe *probe;
    int was_proxy;
};

static void payload_job_run(void *arg)
{
    struct payload_job *c = arg;
    IRTCPortManager3 *pm = from_stream(c->stream, &IID_IRTCPortManager3);
    if (!pm) return;
    c->was_proxy = is_proxy(pm);
    warm_up(pm);
    payload_round_trips(pm, c->probe);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
}

static void test_payloads_mta_object_sta_caller(void)
{
    struct apartments a;
    struct payload_job c = { NULL, NULL, 0 };

    apartments_start(&a);
    c.probe = probe_create(0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c.probe);
    c.stream = to_stream(&IID_IRTCPortManager3, &c.probe->IRTCPortManager3_iface);
    sta_run(&a.sta, payload_job_run, &c);
    CU_ASSERT_TRUE(c.was_proxy);
    CU_ASSERT_NOT_EQUAL(c.probe->last_tid, a.sta.tid);
    CU_ASSERT_EQUAL(c.probe->ref, 1);
    probe_Release(&c.probe->IRTCPortManager3_iface);
    apartments_stop(&a);
}

/* Not one of the required payloads: a BSTR with an odd byte length (SysAllocStringByteLen),
 * which BSTR_UserMarshal sends as whole WCHARs. Its bytes arrive; the length is printed. */
static void test_odd_byte_length(void)
{
    static const struct payload odd = { "3 bytes", "abc", 3 };
    struct apartments a;
    struct make_job j;
    IRTCPortManager3 *pm;
    BSTR ia = NULL, ea = NULL;
    LONG ip, ep;

    apartments_start(&a);
    pm = made_in_sta(&a.sta, &j, MAKE_PROBE, 0, &IID_IRTCPortManager3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    j.probe->give_out = &odd;
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep), S_OK);
    CU_ASSERT_PTR_NOT_NULL(ia);
    if (ia)
    {
        CU_ASSERT(SysStringByteLen(ia) == 3 || SysStringByteLen(ia) == 4);
        CU_ASSERT_EQUAL(memcmp(ia, "abc", 3), 0);
        printf("  odd-length [out] BSTR: 3 bytes sent, %u arrived\n", SysStringByteLen(ia));
    }
    SysFreeString(ia);
    SysFreeString(ea);
    pm->lpVtbl->Release(pm);
    sta_run(&a.sta, release_made_job_run, &j);
    apartments_stop(&a);
}

/* The spy sees BSTRs come and go: without this the leak counts above would prove nothing. */
static void test_spy_sees_bstrs(void)
{
    LONG live = malloc_spy_live();
    BSTR b = SysAllocString(RTCPM_W("198.51.100.7")), big_b = SysAllocStringLen(big, ARRAY_SIZE(big));
    CU_ASSERT_EQUAL(malloc_spy_live(), live + 2);
    SysFreeString(b);
    SysFreeString(big_b);
    CU_ASSERT_EQUAL(malloc_spy_live(), live);
}

/* ---------------------------------------------------------------------------------------- */
/* failures                                                                                  */

static void test_failures_propagate(void)
{
    static const HRESULT failures[] = { RTC_E_PORT_MAPPING_UNAVAILABLE, E_POINTER, RTC_E_PORT_MAPPING_FAILED,
                                        E_INVALIDARG };
    struct apartments a;
    struct make_job j, jr;
    IRTCPortManager3 *pm;
    IRTCPortManager *rpm;
    size_t i;

    apartments_start(&a);
    pm = made_in_sta(&a.sta, &j, MAKE_PROBE, 0, &IID_IRTCPortManager3);
    rpm = made_in_sta(&a.sta, &jr, MAKE_RECORDING, 3, &IID_IRTCPortManager);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rpm);
    warm_up(pm);

    for (i = 0; i < ARRAY_SIZE(failures); i++)
    {
        /* garbage in the [out]s: a proxy must not read or free what the caller passes */
        BSTR ia = (BSTR)(ULONG_PTR)0xdeadbee0, ea = (BSTR)(ULONG_PTR)0xdeadbee0;
        BSTR remote = SysAllocString(RTCPM_W("198.18.0.9"));
        LONG ip = 77, ep = 77, live = malloc_spy_live();

        j.probe->fail = failures[i];
        j.probe->give_out = &payloads[3];
        CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, remote, 5060, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep),
                        failures[i]);
        outs_cleared(ia, ip, ea, ep);
        CU_ASSERT_EQUAL(malloc_spy_live(), live);
        ia = ea = (BSTR)(ULONG_PTR)0xdeadbee0;
        ip = ep = 77;
        CU_ASSERT_EQUAL(pm->lpVtbl->GetMapping(pm, remote, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep), failures[i]);
        outs_cleared(ia, ip, ea, ep);
        CU_ASSERT_EQUAL(pm->lpVtbl->UpdateRemoteAddressEx2(pm, remote, 1, RTCTR_UDP, remote, 2, remote, 3),
                        failures[i]);
        CU_ASSERT_EQUAL(pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, remote, 2, remote, 3), failures[i]);
        CU_ASSERT_EQUAL(malloc_spy_live(), live); /* `remote` was counted before */
        SysFreeString(remote);
    }
    j.probe->fail = S_OK;

    /* a port manager that has no mapping for the port type: recording_pm's own refusal */
    {
        BSTR remote = SysAllocString(RTCPM_W("198.18.0.9")), ia = (BSTR)(ULONG_PTR)0xdeadbee0, ea = ia;
        LONG ip = 77, ep = 77;
        recording_pm_refuse(jr.recording, RTCPT_VIDEO_RTP);
        CU_ASSERT_EQUAL(rpm->lpVtbl->GetMapping(rpm, remote, RTCPT_VIDEO_RTP, &ia, &ip, &ea, &ep),
                        RTC_E_PORT_MAPPING_UNAVAILABLE);
        outs_cleared(ia, ip, ea, ep);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(jr.recording), "GetMapping(198.18.0.9,VIDEO_RTP) -> 0x80ee0045\n");
        SysFreeString(remote);
    }

    /* a NULL [out] pointer never reaches the object: the proxy refuses it */
    {
        LONG ip, ep, calls = j.probe->calls;
        BSTR ea = NULL;
        HRESULT hr = pm->lpVtbl->GetMappingEx(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP, NULL, &ip, &ea, &ep);
        printf("  NULL [out] pointer through the proxy: 0x%08lx\n", (unsigned long)hr);
        CU_ASSERT_EQUAL(hr, HRESULT_FROM_WIN32(RPC_X_NULL_REF_POINTER));
        CU_ASSERT_EQUAL(j.probe->calls, calls);
        CU_ASSERT_PTR_NULL(ea);
    }

    pm->lpVtbl->Release(pm);
    rpm->lpVtbl->Release(rpm);
    CU_ASSERT_EQUAL(j.probe->ref, 1);
    CU_ASSERT_EQUAL(recording_pm_refcount(jr.recording), 1);
    sta_run(&a.sta, release_made_job_run, &j);
    sta_run(&a.sta, release_made_job_run, &jr);
    apartments_stop(&a);
}

/* ---------------------------------------------------------------------------------------- */
/* SetPortManager across apartments                                                          */

struct set_pm_job
{
    IStream *stream;     /* the host's profile or session interface, for the STA */
    int session;         /* 0: IRTCProfilePortManagement, 1: IRTCSessionPortManagement */
    IRTCPortManager *pm; /* made in the STA */
    uintptr_t token;
    HRESULT hr;
};

static void set_pm_job_run(void *arg)
{
    struct set_pm_job *s = arg;
    const IID *iid = s->session ? &IID_IRTCSessionPortManagement : &IID_IRTCProfilePortManagement;
    IUnknown *host = from_stream(s->stream, iid);

    s->token = recording_pm_thread_token();
    s->hr = E_FAIL;
    if (!host) return;
    CU_ASSERT_TRUE(is_proxy(host));
    if (recording_pm_create(3, &s->pm) == S_OK)
    {
        /* the port manager crosses as an [in] interface pointer: the host gets a proxy */
        if (s->session)
            s->hr =
                ((IRTCSessionPortManagement *)host)->lpVtbl->SetPortManager((IRTCSessionPortManagement *)host, s->pm);
        else
            s->hr =
                ((IRTCProfilePortManagement *)host)->lpVtbl->SetPortManager((IRTCProfilePortManagement *)host, s->pm);
        /* the STA keeps its own reference until the end (released by release_job_run) */
    }
    host->lpVtbl->Release(host);
}

static void set_port_manager_across(int session)
{
    struct apartments a;
    struct set_pm_job s = { NULL, session, NULL, 0, E_FAIL };
    struct host *host;
    IRTCPortManager **slot;
    IUnknown *itf;
    LONG live = rtcpm_live_objects();

    apartments_start(&a);
    host = host_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(host);
    slot = session ? &host->session_pm : &host->profile_pm;
    itf = session ? (IUnknown *)&host->IRTCSessionPortManagement_iface
                  : (IUnknown *)&host->IRTCProfilePortManagement_iface;
    s.stream = to_stream(session ? &IID_IRTCSessionPortManagement : &IID_IRTCProfilePortManagement, itf);
    sta_run(&a.sta, set_pm_job_run, &s);
    CU_ASSERT_EQUAL(s.hr, S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s.pm);
    CU_ASSERT_EQUAL(host->ref, 1); /* the STA's proxy of the host is gone */
    CU_ASSERT_PTR_NOT_NULL_FATAL(*slot);
    CU_ASSERT_PTR_NOT_EQUAL(*slot, s.pm);
    CU_ASSERT_TRUE(is_proxy(*slot));
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live + 2);

    /* the host, in the MTA, uses the port manager that lives in the STA */
    {
        BSTR ia = NULL, ea = NULL;
        LONG ip = 0, ep = 0;
        CU_ASSERT_EQUAL(host_sip_mapping(*slot, &ia, &ip, &ea, &ep), S_OK);
        recording_outs_are(ia, ip, ea, ep, 5060, 45060);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(s.pm),
                               "GetMappingEx(2001:db8::5:5060,UDP,SIP) -> 0x0 192.168.1.10:5060 198.51.100.7:45060\n");
        CU_ASSERT_EQUAL(recording_pm_last_caller(s.pm), s.token); /* ran in the STA */
    }

    /* replacing the port manager releases the proxy, and the stub's reference with it */
    CU_ASSERT(recording_pm_refcount(s.pm) > 1);
    host_set(slot, NULL);
    CU_ASSERT_EQUAL(recording_pm_refcount(s.pm), 1);
    sta_run(&a.sta, release_job_run, s.pm);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live + 1);
    CU_ASSERT_EQUAL(host_release(host), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
    apartments_stop(&a);
}

static void test_profile_set_port_manager_across(void) { set_port_manager_across(0); }
static void test_session_set_port_manager_across(void) { set_port_manager_across(1); }

/* IRTCClientPortManagement, the third host interface in rtcpm_ps.dll: an MTA host called
 * from an STA. */
struct client_job
{
    IStream *stream;
    HRESULT start_hr, stop_hr, range_hr, bad_range_hr;
    LONG min, max, bad_min, bad_max;
    int was_proxy;
};

static void client_job_run(void *arg)
{
    struct client_job *c = arg;
    IRTCClientPortManagement *cpm = from_stream(c->stream, &IID_IRTCClientPortManagement);
    BSTR addr = payload_bstr(&ipv6_zone_payload);
    if (!cpm) return;
    c->was_proxy = is_proxy(cpm);
    c->start_hr = cpm->lpVtbl->StartListenAddressAndPort(cpm, addr, 5060);
    c->range_hr = cpm->lpVtbl->GetPortRange(cpm, RTCPT_VIDEO_RTP, &c->min, &c->max);
    c->bad_min = c->bad_max = 77;
    c->bad_range_hr = cpm->lpVtbl->GetPortRange(cpm, (RTC_PORT_TYPE)99, &c->bad_min, &c->bad_max);
    c->stop_hr = cpm->lpVtbl->StopListenAddressAndPort(cpm, addr, 5060);
    SysFreeString(addr);
    CU_ASSERT_EQUAL(cpm->lpVtbl->Release(cpm), 0);
}

static void test_client_port_management_across(void)
{
    struct apartments a;
    struct client_job c;
    struct host *host;

    memset(&c, 0, sizeof(c));
    apartments_start(&a);
    host = host_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(host);
    c.stream = to_stream(&IID_IRTCClientPortManagement, &host->IRTCClientPortManagement_iface);
    sta_run(&a.sta, client_job_run, &c);
    CU_ASSERT_TRUE(c.was_proxy);
    CU_ASSERT_EQUAL(c.start_hr, S_OK);
    CU_ASSERT_TRUE(host->listen_addr_ok);
    CU_ASSERT_EQUAL(host->listen_port, 5060);
    CU_ASSERT_EQUAL(c.range_hr, S_OK);
    CU_ASSERT_EQUAL(c.min, 12000);
    CU_ASSERT_EQUAL(c.max, 12999);
    CU_ASSERT_EQUAL(c.bad_range_hr, E_INVALIDARG);
    CU_ASSERT_EQUAL(c.bad_min, 0);
    CU_ASSERT_EQUAL(c.bad_max, 0);
    CU_ASSERT_EQUAL(c.stop_hr, S_OK);
    CU_ASSERT_EQUAL(host->listening, 0);
    CU_ASSERT_EQUAL(host_release(host), 0);
    apartments_stop(&a);
}

/* An FTM host (as rtcpm's own are: test_marshal_objects.c) is called directly on its
 * caller's thread: the port manager an STA passes to SetPortManager arrives as the STA's raw
 * pointer. Kept in a com_agile_ref (the Global Interface Table), it comes back to any other
 * apartment as a proxy and the calls run in the STA; kept raw, they run on the wrong thread
 * (the pitfall src/com/ftm.h warns about). */
struct ftm_host
{
    IRTCProfilePortManagement IRTCProfilePortManagement_iface;
    LONG ref;
    struct com_ftm ftm;
    int agile; /* 1: com_agile_ref; 0: the raw pointer (wrong, for contrast) */
    struct com_agile_ref pm;
    IRTCPortManager *raw_pm;
};

static struct ftm_host *impl_from_ftm_host(IRTCProfilePortManagement *iface)
{
    return CONTAINING_RECORD(iface, struct ftm_host, IRTCProfilePortManagement_iface);
}

static HRESULT WINAPI ftm_host_QueryInterface(IRTCProfilePortManagement *iface, REFIID riid, void **out)
{
    static const struct com_iface_entry table[] = {
        { &IID_IRTCProfilePortManagement, offsetof(struct ftm_host, IRTCProfilePortManagement_iface) },
    };
    struct ftm_host *h = impl_from_ftm_host(iface);
    HRESULT hr = rtcpm_com_query_interface(h, table, ARRAY_SIZE(table), riid, out);
    if (hr == E_NOINTERFACE) hr = rtcpm_com_ftm_query_interface(&h->ftm, riid, out);
    return hr;
}

static ULONG WINAPI ftm_host_AddRef(IRTCProfilePortManagement *iface)
{
    return (ULONG)com_ref_inc(&impl_from_ftm_host(iface)->ref);
}

static ULONG WINAPI ftm_host_Release(IRTCProfilePortManagement *iface)
{
    struct ftm_host *h = impl_from_ftm_host(iface);
    LONG ref = com_ref_dec(&h->ref);
    if (!ref)
    {
        rtcpm_com_agile_ref_clear(&h->pm);
        if (h->raw_pm) h->raw_pm->lpVtbl->Release(h->raw_pm);
        rtcpm_com_ftm_release(&h->ftm);
        free(h);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT WINAPI ftm_host_SetPortManager(IRTCProfilePortManagement *iface, IRTCPortManager *pm)
{
    struct ftm_host *h = impl_from_ftm_host(iface);
    if (h->agile) return rtcpm_com_agile_ref_set(&h->pm, &IID_IRTCPortManager, (IUnknown *)pm);
    host_set(&h->raw_pm, pm);
    return S_OK;
}

static const IRTCProfilePortManagementVtbl ftm_host_vtbl = {
    ftm_host_QueryInterface,
    ftm_host_AddRef,
    ftm_host_Release,
    ftm_host_SetPortManager,
};

/* The port manager as the host would use it now, on this thread. */
static HRESULT ftm_host_port_manager(struct ftm_host *h, IRTCPortManager **pm)
{
    if (h->agile) return rtcpm_com_agile_ref_get(&h->pm, (void **)pm);
    *pm = h->raw_pm;
    if (!*pm) return S_FALSE;
    (*pm)->lpVtbl->AddRef(*pm);
    return S_OK;
}

struct ftm_set_job
{
    IStream *stream;
    struct ftm_host *expect; /* the FTM host arrives as itself */
    IRTCPortManager *pm;     /* made here, the STA's own reference */
    uintptr_t token;
    HRESULT hr;
};

static void ftm_set_job_run(void *arg)
{
    struct ftm_set_job *s = arg;
    IRTCProfilePortManagement *host = from_stream(s->stream, &IID_IRTCProfilePortManagement);
    s->token = recording_pm_thread_token();
    s->hr = E_FAIL;
    if (!host) return;
    CU_ASSERT_PTR_EQUAL(host, &s->expect->IRTCProfilePortManagement_iface);
    if (recording_pm_create(3, &s->pm) == S_OK) s->hr = host->lpVtbl->SetPortManager(host, s->pm);
    host->lpVtbl->Release(host);
}

static void ftm_host_keeps(int agile)
{
    struct apartments a;
    struct ftm_set_job s = { NULL, NULL, NULL, 0, E_FAIL };
    struct ftm_host *h;
    IRTCPortManager *pm = NULL;
    LONG live = rtcpm_live_objects();

    apartments_start(&a);
    h = calloc(1, sizeof(*h));
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    h->IRTCProfilePortManagement_iface.lpVtbl = &ftm_host_vtbl;
    h->ref = 1;
    h->agile = agile;
    CU_ASSERT_EQUAL_FATAL(rtcpm_com_ftm_aggregate(&h->ftm, (IUnknown *)&h->IRTCProfilePortManagement_iface), S_OK);
    rtcpm_com_object_created();

    s.expect = h;
    s.stream = to_stream(&IID_IRTCProfilePortManagement, &h->IRTCProfilePortManagement_iface);
    sta_run(&a.sta, ftm_set_job_run, &s);
    CU_ASSERT_EQUAL(s.hr, S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s.pm);

    CU_ASSERT_EQUAL(ftm_host_port_manager(h, &pm), S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    {
        BSTR ia = NULL, ea = NULL;
        LONG ip = 0, ep = 0;
        CU_ASSERT_EQUAL(host_sip_mapping(pm, &ia, &ip, &ea, &ep), S_OK);
        recording_outs_are(ia, ip, ea, ep, 5060, 45060);
    }
    if (agile)
    {
        CU_ASSERT_TRUE(is_proxy(pm));
        CU_ASSERT_EQUAL(recording_pm_last_caller(s.pm), s.token); /* ran in its STA */
    }
    else
    {
        CU_ASSERT_PTR_EQUAL(pm, s.pm); /* the STA object itself, no proxy... */
        CU_ASSERT_EQUAL(recording_pm_last_caller(s.pm), recording_pm_thread_token()); /* ...on our thread */
    }
    pm->lpVtbl->Release(pm);

    CU_ASSERT_EQUAL(
        h->IRTCProfilePortManagement_iface.lpVtbl->SetPortManager(&h->IRTCProfilePortManagement_iface, NULL), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(s.pm), 1);
    sta_run(&a.sta, release_job_run, s.pm);
    CU_ASSERT_EQUAL(ftm_host_Release(&h->IRTCProfilePortManagement_iface), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
    apartments_stop(&a);
}

static void test_ftm_host_keeps_port_manager_agile(void) { ftm_host_keeps(1); }
static void test_ftm_host_raw_pointer_pitfall(void) { ftm_host_keeps(0); }

/* ---------------------------------------------------------------------------------------- */
/* registration, and the DLL going away                                                      */

static HRESULT marshal_result(const IID *iid, IUnknown *obj)
{
    IStream *stream = NULL;
    HRESULT hr = CoMarshalInterThreadInterfaceInStream(iid, obj, &stream);
    if (SUCCEEDED(hr))
    {
        CoReleaseMarshalData(stream);
        stream->lpVtbl->Release(stream);
    }
    return hr;
}

/* Without a registration in the apartment, standard marshalling of these interfaces fails
 * (and with it, nothing is written anywhere: no registry, no other apartment). */
static void test_unregistered_apartment_cannot_marshal(void)
{
    IRTCPortManager *pm;
    struct sta sta;
    HRESULT hr;

    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &pm), S_OK);
    hr = marshal_result(&IID_IRTCPortManager3, (IUnknown *)pm);
    printf("  marshalling IRTCPortManager3 with nothing registered: 0x%08lx\n", (unsigned long)hr);
    CU_ASSERT_TRUE(FAILED(hr));
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);

    /* registering in another apartment (an STA) does not help this one (the MTA) */
    sta_start_ok(&sta, 1);
    CU_ASSERT_TRUE(FAILED(marshal_result(&IID_IRTCPortManager3, (IUnknown *)pm)));
    sta_stop_ok(&sta);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
}

/* After rtcpm_marshal_register, this apartment maps all six interfaces to rtcpm_ps.dll. */
static void test_register_maps_every_interface(void)
{
    static const IID *const iids[] = { &IID_IRTCPortManager,          &IID_IRTCPortManager2,
                                       &IID_IRTCPortManager3,         &IID_IRTCSessionPortManagement,
                                       &IID_IRTCClientPortManagement, &IID_IRTCProfilePortManagement };
    rtcpm_marshal_registration *reg = NULL;
    CLSID clsid;
    size_t i;

    CU_ASSERT_EQUAL_FATAL(mta_register(&reg), S_OK);
    CU_ASSERT_PTR_NOT_NULL(reg);
    for (i = 0; i < ARRAY_SIZE(iids); i++)
    {
        memset(&clsid, 0, sizeof(clsid));
        CU_ASSERT_EQUAL(CoGetPSClsid(iids[i], &clsid), S_OK);
        CU_ASSERT_TRUE(IsEqualGUID(&clsid, &clsid_rtcpm_ps));
    }
    CU_ASSERT_EQUAL(rtcpm_marshal_revoke(reg), S_OK);
    CU_ASSERT_PTR_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));
}

static void test_register_revoke_api(void)
{
    rtcpm_marshal_registration *reg = (rtcpm_marshal_registration *)&reg;
    CU_ASSERT_EQUAL(rtcpm_marshal_register(NULL, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_marshal_register(RTCPM_W("no_such_rtcpm_ps.dll"), &reg),
                    HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND));
    CU_ASSERT_PTR_NULL(reg);
    CU_ASSERT_EQUAL(rtcpm_marshal_revoke(NULL), S_FALSE);
    /* a DLL that is not a proxy/stub DLL */
    CU_ASSERT_EQUAL(rtcpm_marshal_register(RTCPM_W("kernel32.dll"), &reg), HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND));
    CU_ASSERT_PTR_NULL(reg);
    CU_ASSERT_PTR_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));
}

/* Revoking from another apartment is refused and changes nothing. */
struct revoke_job
{
    rtcpm_marshal_registration *reg;
    HRESULT hr;
};
static void revoke_job_run(void *arg)
{
    struct revoke_job *r = arg;
    r->hr = rtcpm_marshal_revoke(r->reg);
}

static void test_revoke_wrong_apartment(void)
{
    rtcpm_marshal_registration *reg = NULL;
    struct revoke_job r;
    struct sta sta;

    CU_ASSERT_EQUAL_FATAL(mta_register(&reg), S_OK);
    sta_start_ok(&sta, 0);
    r.reg = reg;
    sta_run(&sta, revoke_job_run, &r);
    CU_ASSERT_EQUAL(r.hr, RPC_E_WRONG_THREAD);
    sta_stop_ok(&sta);
    CU_ASSERT_EQUAL(rtcpm_marshal_revoke(reg), S_OK);
    CU_ASSERT_EQUAL(rtcpm_marshal_unload_unused(), S_OK);
    CU_ASSERT_PTR_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));
}

/* After a marshalled session, everything released and revoked: the DLL has nothing alive
 * (DllCanUnloadNow S_OK) and is unloaded. */
static void test_dll_unloads(void)
{
    rtcpm_marshal_registration *reg = NULL;
    struct make_job j;
    LPFNCANUNLOADNOW can_unload = NULL;
    IRTCPortManager3 *pm;
    HMODULE dll, held;
    struct sta sta;

    CU_ASSERT_PTR_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));
    CU_ASSERT_EQUAL_FATAL(mta_register(&reg), S_OK);
    dll = GetModuleHandleW(RTCPM_W("rtcpm_ps.dll"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(dll);
    /* our own reference, to ask DllCanUnloadNow after the last revoke */
    held = LoadLibraryW(RTCPM_W("rtcpm_ps.dll"));
    CU_ASSERT_PTR_EQUAL(held, dll);
    can_unload = (LPFNCANUNLOADNOW)(void (*)(void))GetProcAddress(dll, "DllCanUnloadNow");
    CU_ASSERT_PTR_NOT_NULL_FATAL(can_unload);

    sta_start_ok(&sta, 1);
    pm = made_in_sta(&sta, &j, MAKE_PROBE, 0, &IID_IRTCPortManager3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    CU_ASSERT_EQUAL(pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, NULL, 1, NULL, 2), S_OK);
    CU_ASSERT_EQUAL(can_unload(), S_FALSE); /* a proxy, a stub and two registrations */
    pm->lpVtbl->Release(pm);
    sta_run(&sta, release_made_job_run, &j);
    sta_stop_ok(&sta);                      /* revokes the STA's registration */
    CU_ASSERT_EQUAL(can_unload(), S_FALSE); /* the MTA's registration */
    CU_ASSERT_EQUAL(rtcpm_marshal_revoke(reg), S_OK);
    CU_ASSERT_EQUAL(can_unload(), S_OK);
    CU_ASSERT_EQUAL(rtcpm_marshal_unload_unused(), S_OK);
    FreeLibrary(held);
    CU_ASSERT_PTR_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));
}

/* A stub (or proxy) that outlives every registration keeps the DLL loaded until it goes. */
static void test_dll_stays_while_stub_lives(void)
{
    rtcpm_marshal_registration *reg = NULL;
    struct probe *probe;
    IStream *stream;

    CU_ASSERT_EQUAL_FATAL(mta_register(&reg), S_OK);
    /* marshalling an MTA object makes its stub here, from the registered factory */
    probe = probe_create(0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(probe);
    stream = to_stream(&IID_IRTCPortManager3, &probe->IRTCPortManager3_iface);
    CU_ASSERT_EQUAL(rtcpm_marshal_revoke(reg), S_OK); /* the stub exists: DLL kept */
    CU_ASSERT_EQUAL(rtcpm_marshal_unload_unused(), S_FALSE);
    CU_ASSERT_PTR_NOT_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));
    /* drop the marshalled stream: the stub goes, and with it the last user of the DLL */
    CU_ASSERT_EQUAL(CoReleaseMarshalData(stream), S_OK);
    stream->lpVtbl->Release(stream);
    CU_ASSERT_EQUAL(probe->ref, 1);
    CU_ASSERT_EQUAL(rtcpm_marshal_unload_unused(), S_OK);
    CU_ASSERT_PTR_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));
    CU_ASSERT_EQUAL(probe_Release(&probe->IRTCPortManager3_iface), 0);
}

/* ---------------------------------------------------------------------------------------- */
/* the free-threaded marshaler                                                               */

/* An FTM object crosses apartments as itself, needs no proxy/stub DLL, and runs on the
 * caller's thread; a plain object in an STA gets a proxy and runs in its STA. */
static void test_ftm_sta_object_mta_caller(void)
{
    struct make_job j, jp;
    IRTCPortManager *pm;
    IRTCPortManager3 *pm3;
    IUnknown *cs = (IUnknown *)&cs, *marshal = NULL;
    struct sta sta;

    /* nothing registered anywhere: the FTM needs no proxy/stub */
    sta_start_ok(&sta, 0);
    pm = made_in_sta(&sta, &j, MAKE_RECORDING_FTM, 3, &IID_IRTCPortManager);
    pm3 = made_in_sta(&sta, &jp, MAKE_PROBE_FTM, 0, &IID_IRTCPortManager3);
    CU_ASSERT_PTR_EQUAL(pm, j.recording);
    CU_ASSERT_PTR_EQUAL(pm3, &jp.probe->IRTCPortManager3_iface);
    if (pm)
    {
        CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IClientSecurity, (void **)&cs), E_NOINTERFACE);
        CU_ASSERT_PTR_NULL(cs);
        CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IMarshal, (void **)&marshal), S_OK);
        CU_ASSERT_EQUAL(recording_pm_refcount(j.recording), 3); /* STA creator, us, IMarshal */
        if (marshal) marshal->lpVtbl->Release(marshal);
        call_every_method(pm);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(j.recording), every_method_log);
        CU_ASSERT_EQUAL(recording_pm_last_caller(j.recording), recording_pm_thread_token());
        CU_ASSERT_NOT_EQUAL(recording_pm_last_caller(j.recording), j.token);
        pm->lpVtbl->Release(pm);
    }
    if (pm3)
    {
        CU_ASSERT_EQUAL(pm3->lpVtbl->ReleaseMappingEx(pm3, RTCTR_UDP, NULL, 1, NULL, 2), S_OK);
        CU_ASSERT_EQUAL(jp.probe->last_tid, GetCurrentThreadId());
        CU_ASSERT_NOT_EQUAL(jp.probe->last_tid, sta.tid);
        pm3->lpVtbl->Release(pm3);
    }
    CU_ASSERT_EQUAL(recording_pm_refcount(j.recording), 1);
    CU_ASSERT_EQUAL(jp.probe->ref, 1);
    sta_run(&sta, release_made_job_run, &j);
    sta_run(&sta, release_made_job_run, &jp);
    sta_stop_ok(&sta);
    CU_ASSERT_PTR_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));
}

struct ftm_job
{
    IStream *stream;
    IRTCPortManager *got;
    uintptr_t token;
    HRESULT cs_hr;
};

static void ftm_job_run(void *arg)
{
    struct ftm_job *f = arg;
    IUnknown *cs = NULL;
    f->got = from_stream(f->stream, &IID_IRTCPortManager3);
    f->token = recording_pm_thread_token();
    if (!f->got) return;
    f->cs_hr = f->got->lpVtbl->QueryInterface(f->got, &IID_IClientSecurity, (void **)&cs);
    if (cs) cs->lpVtbl->Release(cs);
    call_every_method(f->got);
    f->got->lpVtbl->Release(f->got);
}

static void test_ftm_mta_object_sta_caller(void)
{
    IRTCPortManager *pm;
    struct ftm_job f = { NULL, NULL, 0, S_OK };
    struct sta sta;

    sta_start_ok(&sta, 0);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create_ftm(3, &pm), S_OK);
    f.stream = to_stream(&IID_IRTCPortManager3, pm);
    sta_run(&sta, ftm_job_run, &f);
    CU_ASSERT_PTR_EQUAL(f.got, pm);
    CU_ASSERT_EQUAL(f.cs_hr, E_NOINTERFACE);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), every_method_log);
    CU_ASSERT_EQUAL(recording_pm_last_caller(pm), f.token); /* ran on the STA caller's thread */
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    sta_stop_ok(&sta);
}

/* The same object without the FTM: a proxy, IClientSecurity, the call runs in its STA. */
static void test_no_ftm_gives_proxy(void)
{
    struct apartments a;
    struct make_job j;
    IRTCPortManager3 *pm;
    IUnknown *cs = NULL, *marshal = (IUnknown *)&marshal;

    apartments_start(&a);
    pm = made_in_sta(&a.sta, &j, MAKE_PROBE, 0, &IID_IRTCPortManager3);
    /* the plain object itself has no IMarshal */
    CU_ASSERT_EQUAL(probe_QueryInterface(&j.probe->IRTCPortManager3_iface, &IID_IMarshal, (void **)&marshal),
                    E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(marshal);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    CU_ASSERT_PTR_NOT_EQUAL(pm, &j.probe->IRTCPortManager3_iface);
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IClientSecurity, (void **)&cs), S_OK);
    if (cs) cs->lpVtbl->Release(cs);
    CU_ASSERT_EQUAL(pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, NULL, 1, NULL, 2), S_OK);
    CU_ASSERT_EQUAL(j.probe->last_tid, j.tid);
    CU_ASSERT_NOT_EQUAL(j.probe->last_tid, GetCurrentThreadId());
    pm->lpVtbl->Release(pm);
    CU_ASSERT_EQUAL(j.probe->ref, 1);
    sta_run(&a.sta, release_made_job_run, &j);
    apartments_stop(&a);
}

/* Measured, not asserted: what a call costs directly, through the FTM, through a proxy. */
static double ns_per_call(IRTCPortManager3 *pm, int n)
{
    LARGE_INTEGER f, t0, t1;
    int i;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t0);
    for (i = 0; i < n; i++) pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, NULL, i, NULL, i);
    QueryPerformanceCounter(&t1);
    return (double)(t1.QuadPart - t0.QuadPart) * 1e9 / (double)f.QuadPart / n;
}

static double min_d(double a, double b) { return a < b ? a : b; }

static void test_call_cost(void)
{
    struct apartments a;
    struct make_job jf, jp;
    IRTCPortManager3 *ftm, *proxy;
    struct probe *direct;
    double d, f, p;

    apartments_start(&a);
    direct = probe_create(0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(direct);
    ftm = made_in_sta(&a.sta, &jf, MAKE_PROBE_FTM, 0, &IID_IRTCPortManager3);
    proxy = made_in_sta(&a.sta, &jp, MAKE_PROBE, 0, &IID_IRTCPortManager3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ftm);
    CU_ASSERT_PTR_NOT_NULL_FATAL(proxy);

    /* two rounds, the faster one counts (the first pays for caches and page faults) */
    d = ns_per_call(&direct->IRTCPortManager3_iface, 100000);
    f = ns_per_call(ftm, 100000);
    p = ns_per_call(proxy, 500);
    d = min_d(d, ns_per_call(&direct->IRTCPortManager3_iface, 100000));
    f = min_d(f, ns_per_call(ftm, 100000));
    p = min_d(p, ns_per_call(proxy, 500));
    printf("  call cost: direct %.0f ns, FTM (object of an STA, called from the MTA) %.0f ns, "
           "proxy (the same through rtcpm_ps.dll) %.0f ns\n",
           d, f, p);
    CU_ASSERT_EQUAL(direct->calls, 200000);
    CU_ASSERT_EQUAL(jf.probe->calls, 200000);
    CU_ASSERT_EQUAL(jp.probe->calls, 1000);

    ftm->lpVtbl->Release(ftm);
    proxy->lpVtbl->Release(proxy);
    probe_Release(&direct->IRTCPortManager3_iface);
    sta_run(&a.sta, release_made_job_run, &jf);
    sta_run(&a.sta, release_made_job_run, &jp);
    apartments_stop(&a);
}

/* ---------------------------------------------------------------------------------------- */
/* with rtcpm_ps.dll registered by regsvr32 (tests/marshal_regsvr32.sh)                      */

static void test_registered_marshalled_call(void)
{
    struct make_job j;
    IRTCPortManager *pm;
    CLSID clsid;
    struct sta sta;

    CU_ASSERT_PTR_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));
    CU_ASSERT_EQUAL(CoGetPSClsid(&IID_IRTCPortManager3, &clsid), S_OK);
    CU_ASSERT_TRUE(IsEqualGUID(&clsid, &clsid_rtcpm_ps));
    CU_ASSERT_EQUAL(CoGetPSClsid(&IID_IRTCProfilePortManagement, &clsid), S_OK);
    CU_ASSERT_TRUE(IsEqualGUID(&clsid, &clsid_rtcpm_ps));
    sta_start_ok(&sta, 0); /* no in-process registration anywhere */
    pm = made_in_sta(&sta, &j, MAKE_RECORDING, 3, &IID_IRTCPortManager);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    CU_ASSERT_TRUE(is_proxy(pm));
    CU_ASSERT_PTR_NOT_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll"))); /* COM loaded it */
    call_every_method(pm);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(j.recording), every_method_log);
    CU_ASSERT_EQUAL(recording_pm_last_caller(j.recording), j.token);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(recording_pm_refcount(j.recording), 1);
    sta_run(&sta, release_made_job_run, &j);
    sta_stop_ok(&sta); /* the STA's apartment ends: its DLL reference goes */
    CoFreeUnusedLibrariesEx(0, 0);
    CU_ASSERT_PTR_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));
}

static void test_unregistered_nothing(void)
{
    IRTCPortManager *pm;
    CLSID clsid;
    HRESULT hr = CoGetPSClsid(&IID_IRTCPortManager3, &clsid);
    printf("  CoGetPSClsid(IID_IRTCPortManager3): 0x%08lx\n", (unsigned long)hr);
    CU_ASSERT_EQUAL(hr, REGDB_E_IIDNOTREG);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &pm), S_OK);
    CU_ASSERT_TRUE(FAILED(marshal_result(&IID_IRTCPortManager3, (IUnknown *)pm)));
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_PTR_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));
}

/* ---------------------------------------------------------------------------------------- */

static int suite_init(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(big); i++) big[i] = (WCHAR)(i * 40503u);
    return marshal_suite_init();
}

static CU_TestInfo tests[] = {
    { "register_revoke_api", test_register_revoke_api },
    { "register_maps_every_interface", test_register_maps_every_interface },
    { "unregistered_apartment_cannot_marshal", test_unregistered_apartment_cannot_marshal },
    { "spy_sees_bstrs", test_spy_sees_bstrs },
    { "every_method_direct", test_every_method_direct },
    { "every_method_sta_object_mta_caller", test_every_method_sta_object_mta_caller },
    { "every_method_mta_object_sta_caller", test_every_method_mta_object_sta_caller },
    { "qi_through_proxy", test_qi_through_proxy },
    { "payloads_sta_object_mta_caller", test_payloads_sta_object_mta_caller },
    { "payloads_mta_object_sta_caller", test_payloads_mta_object_sta_caller },
    { "odd_byte_length", test_odd_byte_length },
    { "failures_propagate", test_failures_propagate },
    { "profile_set_port_manager_across", test_profile_set_port_manager_across },
    { "session_set_port_manager_across", test_session_set_port_manager_across },
    { "client_port_management_across", test_client_port_management_across },
    { "revoke_wrong_apartment", test_revoke_wrong_apartment },
    { "dll_unloads", test_dll_unloads },
    { "dll_stays_while_stub_lives", test_dll_stays_while_stub_lives },
    { "ftm_sta_object_mta_caller", test_ftm_sta_object_mta_caller },
    { "ftm_mta_object_sta_caller", test_ftm_mta_object_sta_caller },
    { "no_ftm_gives_proxy", test_no_ftm_gives_proxy },
    { "ftm_host_keeps_port_manager_agile", test_ftm_host_keeps_port_manager_agile },
    { "ftm_host_raw_pointer_pitfall", test_ftm_host_raw_pointer_pitfall },
    { "call_cost", test_call_cost },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo registered_tests[] = {
    { "registered_marshalled_call", test_registered_marshalled_call },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo unregistered_tests[] = {
    { "unregistered_nothing", test_unregistered_nothing },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv)
{
    rtcpm_test_set_fixtures(suite_init, marshal_suite_cleanup);
    if (argc > 1 && !strcmp(argv[1], "--registered"))
        return rtcpm_test_main("marshal_registered", registered_tests, argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "--unregistered"))
        return rtcpm_test_main("marshal_unregistered", unregistered_tests, argc - 1, argv + 1);
    return rtcpm_test_main("marshal", tests, argc, argv);
}
