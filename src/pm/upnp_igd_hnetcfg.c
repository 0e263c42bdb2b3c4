/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * upnp_igd_hnetcfg.c — the UPnP IGD on Windows targets through the system's UPnP NAT API
 * (upnp_igd.h): hnetcfg's UPnPNAT -> IStaticPortMappingCollection::Add / Remove. Wine 8
 * implements it for real (SSDP, the description, SOAP through winhttp).
 *
 * UPnPNAT is apartment-threaded and RTC calls a port manager from any thread, so every call
 * runs on a thread of this object's own, a single-threaded apartment that pumps messages
 * while it waits for work; callers hand it one job at a time and wait for it until their
 * deadline. A job whose caller gave up still completes, and an Add that then succeeds is
 * removed again at once (nobody holds it).
 *
 * What the API does not give: the local address that reaches the IGD (the PM takes the one
 * routed to the default gateway) and, under Wine, the external address
 * (IStaticPortMapping::get_ExternalIPAddress is NULL/""): the port manager then asks its
 * STUN server. No lease either: a static mapping is "permanent" (lease 0), which miniupnpd
 * turns into a week; mappings are removed on release and when the object goes.
 */
#define COBJMACROS
#include <windows.h>
#include <ole2.h>
#include <oleauto.h>
#include <stdio.h>
#include <string.h>

#include "natupnp.h"

#include "com/bstr_util.h"
#include "com/log.h"
#include "os/os_platform.h"
#include "pm/config.h"
#include "pm/upnp_igd.h"

enum job_kind
{
    JOB_NONE,
    JOB_FIND,
    JOB_ADD,
    JOB_REMOVE,
    JOB_FORGET
};

struct job
{
    enum job_kind kind;
    int tcp;
    uint16_t ext, got;
    rtcpm_addr internal;
    rtcpm_addr external; /* FIND: the first mapping's external address, when the API gives one */
    HRESULT hr;
    char why[256];
    int done, abandoned;
};

struct rtcpm_upnp_igd
{
    CRITICAL_SECTION cs;
    CONDITION_VARIABLE changed; /* a job was posted or finished */
    HANDLE wake;                /* the STA thread waits on it while it pumps messages */
    HANDLE thread;
    struct job *job; /* the one in flight, or NULL */
    int stopping;
    WCHAR description[128];
    /* the STA thread's own */
    IUPnPNAT *nat;
    IStaticPortMappingCollection *coll;
};

/* ---- on the STA thread ---- */

static HRESULT collection(struct rtcpm_upnp_igd *igd, char *why, size_t whylen)
{
    HRESULT hr;
    if (igd->coll) return S_OK;
    if (!igd->nat &&
        FAILED(hr = CoCreateInstance(&CLSID_UPnPNAT, NULL, CLSCTX_INPROC_SERVER, &IID_IUPnPNAT, (void **)&igd->nat)))
    {
        rtcpm_cfg_set_err(why, whylen, "no UPnP NAT API (CoCreateInstance(UPnPNAT): 0x%08lx)", (unsigned long)hr);
        return RTC_E_PORT_MAPPING_FAILED;
    }
    hr = IUPnPNAT_get_StaticPortMappingCollection(igd->nat, &igd->coll);
    if (FAILED(hr) || !igd->coll)
    {
        rtcpm_cfg_set_err(why, whylen, "the UPnP NAT API found no Internet Gateway Device (0x%08lx)",
                          (unsigned long)hr);
        igd->coll = NULL;
        return RTC_E_PORT_MAPPING_FAILED;
    }
    return S_OK;
}

static void do_add(struct rtcpm_upnp_igd *igd, struct job *j)
{
    IStaticPortMapping *m = NULL;
    char client[RTCPM_ADDR_TEXT_SIZE];
    BSTR proto = SysAllocString(j->tcp ? L"TCP" : L"UDP"), who, desc = SysAllocString(igd->description);
    HRESULT hr;
    rtcpm_addr_format(&j->internal, client, sizeof(client));
    who = rtcpm_bstr_from_cstr(client);
    hr = IStaticPortMappingCollection_Add(igd->coll, j->ext, proto, j->internal.port, who, VARIANT_TRUE, desc, &m);
    if (SUCCEEDED(hr) && m)
    {
        BSTR ext = NULL;
        char text[RTCPM_ADDR_PARSE_TEXT_MAX + 1];
        size_t len;
        if (SUCCEEDED(IStaticPortMapping_get_ExternalIPAddress(m, &ext)) && ext &&
            SUCCEEDED(rtcpm_bstr_to_utf8(ext, text, sizeof(text), &len)))
            rtcpm_upnp_igd_parse_external(text, &j->external);
        SysFreeString(ext);
        IStaticPortMapping_Release(m);
        j->got = j->ext;
        j->hr = S_OK;
    }
    else
    {
        rtcpm_cfg_set_err(j->why, sizeof(j->why), "IStaticPortMappingCollection::Add of %s port %u: 0x%08lx",
                          j->tcp ? "TCP" : "UDP", j->ext, (unsigned long)hr);
        j->hr = RTC_E_PORT_MAPPING_UNAVAILABLE;
    }
    SysFreeString(proto);
    SysFreeString(who);
    SysFreeString(desc);
}

static void do_remove(struct rtcpm_upnp_igd *igd, struct job *j)
{
    BSTR proto = SysAllocString(j->tcp ? L"TCP" : L"UDP");
    HRESULT hr = IStaticPortMappingCollection_Remove(igd->coll, j->ext, proto);
    SysFreeString(proto);
    j->hr = SUCCEEDED(hr) ? S_OK : RTC_E_PORT_MAPPING_FAILED;
    if (FAILED(hr))
        rtcpm_cfg_set_err(j->why, sizeof(j->why), "IStaticPortMappingCollection::Remove of %s port %u: 0x%08lx",
                          j->tcp ? "TCP" : "UDP", j->ext, (unsigned long)hr);
}

static void run_job(struct rtcpm_upnp_igd *igd, struct job *j)
{
    if (j->kind == JOB_FORGET)
    {
        if (igd->coll) IStaticPortMappingCollection_Release(igd->coll);
        igd->coll = NULL;
        j->hr = S_OK;
        return;
    }
    if (FAILED(j->hr = collection(igd, j->why, sizeof(j->why)))) return;
    if (j->kind == JOB_ADD)
        do_add(igd, j);
    else if (j->kind == JOB_REMOVE)
        do_remove(igd, j);
    if (j->kind == JOB_ADD && SUCCEEDED(j->hr) && j->abandoned)
    {
        j->kind = JOB_REMOVE; /* the caller gave up: nobody holds this mapping */
        do_remove(igd, j);
    }
}

/* Waits for wake, pumping the apartment's messages meanwhile. */
static void wait_pumping(struct rtcpm_upnp_igd *igd)
{
    MSG msg;
    if (MsgWaitForMultipleObjects(1, &igd->wake, FALSE, INFINITE, QS_ALLINPUT) == WAIT_OBJECT_0 + 1)
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE))
        {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
}

static DWORD WINAPI sta_main(void *arg)
{
    struct rtcpm_upnp_igd *igd = arg;
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    for (;;)
    {
        struct job *j;
        EnterCriticalSection(&igd->cs);
        j = igd->job && !igd->job->done ? igd->job : NULL;
        if (!j && igd->stopping)
        {
            LeaveCriticalSection(&igd->cs);
            break;
        }
        LeaveCriticalSection(&igd->cs);
        if (!j)
        {
            wait_pumping(igd);
            continue;
        }
        run_job(igd, j); /* the job stays valid: its owner waits for done, or frees it if abandoned */
        EnterCriticalSection(&igd->cs);
        j->done = 1;
        igd->job = NULL;
        if (j->abandoned) HeapFree(GetProcessHeap(), 0, j);
        WakeAllConditionVariable(&igd->changed);
        LeaveCriticalSection(&igd->cs);
    }
    if (igd->coll) IStaticPortMappingCollection_Release(igd->coll);
    if (igd->nat) IUPnPNAT_Release(igd->nat);
    CoUninitialize();
    return 0;
}

/* ---- callers' side ---- */

/* Posts j (heap-allocated) and waits until it is done or deadline: S_OK (*j's outcome
 * copied to out), or the failure (j then belongs to the STA thread). */
static HRESULT submit(struct rtcpm_upnp_igd *igd, struct job *j, uint64_t deadline, struct job *out)
{
    HRESULT hr = S_OK;
    EnterCriticalSection(&igd->cs);
    while (igd->job && rtcpm_clock_ms() < deadline)
        SleepConditionVariableCS(&igd->changed, &igd->cs, (DWORD)(deadline - rtcpm_clock_ms()));
    if (igd->job)
    {
        LeaveCriticalSection(&igd->cs);
        HeapFree(GetProcessHeap(), 0, j);
        return RTC_E_PORT_MAPPING_FAILED; /* the previous job still runs */
    }
    igd->job = j;
    SetEvent(igd->wake);
    while (!j->done && rtcpm_clock_ms() < deadline)
        SleepConditionVariableCS(&igd->changed, &igd->cs, (DWORD)(deadline - rtcpm_clock_ms()));
    if (j->done)
    {
        *out = *j;
        HeapFree(GetProcessHeap(), 0, j);
    }
    else
    {
        j->abandoned = 1;
        hr = RTC_E_PORT_MAPPING_FAILED;
    }
    LeaveCriticalSection(&igd->cs);
    return hr;
}

static HRESULT run(struct rtcpm_upnp_igd *igd, const struct job *in, uint64_t deadline, struct job *out, char *why,
                   size_t whylen)
{
    struct job *j = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*j));
    if (!j) return E_OUTOFMEMORY;
    *j = *in;
    if (FAILED(submit(igd, j, deadline, out)))
    {
        rtcpm_cfg_set_err(why, whylen, "the UPnP NAT API did not answer in time");
        return RTC_E_PORT_MAPPING_FAILED;
    }
    if (FAILED(out->hr)) rtcpm_cfg_set_err(why, whylen, "%s", out->why);
    return out->hr;
}

HRESULT rtcpm_upnp_igd_open(const struct rtcpm_upnp_igd_options *opt, struct rtcpm_upnp_igd **out)
{
    struct rtcpm_upnp_igd *igd = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*igd));
    *out = NULL;
    if (!igd) return E_OUTOFMEMORY;
    InitializeCriticalSection(&igd->cs);
    InitializeConditionVariable(&igd->changed);
    MultiByteToWideChar(CP_UTF8, 0, opt->description ? opt->description : "rtcpm", -1, igd->description, 127);
    igd->wake = CreateEventW(NULL, FALSE, FALSE, NULL);
    igd->thread = igd->wake ? CreateThread(NULL, 0, sta_main, igd, 0, NULL) : NULL;
    if (!igd->thread)
    {
        if (igd->wake) CloseHandle(igd->wake);
        DeleteCriticalSection(&igd->cs);
        HeapFree(GetProcessHeap(), 0, igd);
        return E_OUTOFMEMORY;
    }
    (void)opt->url; /* the system's API discovers the IGD itself */
    *out = igd;
    return S_OK;
}

void rtcpm_upnp_igd_close(struct rtcpm_upnp_igd *igd)
{
    if (!igd) return;
    EnterCriticalSection(&igd->cs);
    igd->stopping = 1;
    LeaveCriticalSection(&igd->cs);
    SetEvent(igd->wake);
    WaitForSingleObject(igd->thread, INFINITE);
    CloseHandle(igd->thread);
    CloseHandle(igd->wake);
    DeleteCriticalSection(&igd->cs);
    HeapFree(GetProcessHeap(), 0, igd);
}

void rtcpm_upnp_igd_forget(struct rtcpm_upnp_igd *igd)
{
    struct job in, out;
    char why[64];
    memset(&in, 0, sizeof(in));
    in.kind = JOB_FORGET;
    run(igd, &in, rtcpm_clock_ms() + 1000, &out, why, sizeof(why));
}

HRESULT rtcpm_upnp_igd_find(struct rtcpm_upnp_igd *igd, uint64_t deadline, rtcpm_addr *lan, rtcpm_addr *external,
                            char *what, size_t whatlen, char *why, size_t whylen)
{
    struct job in, out;
    memset(&in, 0, sizeof(in));
    memset(lan, 0, sizeof(*lan));
    memset(external, 0, sizeof(*external));
    in.kind = JOB_FIND;
    rtcpm_cfg_set_err(what, whatlen, "hnetcfg");
    return run(igd, &in, deadline, &out, why, whylen);
}

HRESULT rtcpm_upnp_igd_add(struct rtcpm_upnp_igd *igd, int tcp, uint16_t ext, const rtcpm_addr *internal,
                           uint32_t lease_s, uint64_t deadline, uint16_t *got, rtcpm_addr *external, int *upnp_error,
                           char *why, size_t whylen)
{
    struct job in, out;
    HRESULT hr;
    (void)lease_s; /* a static mapping has none */
    memset(&in, 0, sizeof(in));
    in.kind = JOB_ADD;
    in.tcp = tcp;
    in.ext = ext;
    in.internal = *internal;
    *got = 0;
    *upnp_error = 0;
    memset(external, 0, sizeof(*external));
    hr = run(igd, &in, deadline, &out, why, whylen);
    if (SUCCEEDED(hr))
    {
        *got = out.got;
        *external = out.external;
    }
    return hr;
}

HRESULT rtcpm_upnp_igd_remove(struct rtcpm_upnp_igd *igd, int tcp, uint16_t ext, uint64_t deadline, char *why,
                              size_t whylen)
{
    struct job in, out;
    memset(&in, 0, sizeof(in));
    in.kind = JOB_REMOVE;
    in.tcp = tcp;
    in.ext = ext;
    return run(igd, &in, deadline, &out, why, whylen);
}
