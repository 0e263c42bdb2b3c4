/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_bench.c — the RTC Client API side of benchmark rows 9-12 (tests/bench/rtc_bench.sh,
 * README "Benchmarks"): how long rtcdll.dll takes, under wine64, from EnableProfile to
 * RTCRS_REGISTERED, and from AddParticipant to RTCSS_CONNECTED, against a sipp on loopback,
 * with rtcpm's static or STUN port manager. One line per measured iteration:
 *   sample <milliseconds>
 * after one warm-up iteration. Each iteration is a whole flow (new profile and
 * DisableProfile; new session and Terminate), measured on the application's thread between
 * the call and the event that says it is done, through the message loop as an application
 * sees it.
 *
 *   rtc_bench.exe --dll PATH --flow register|call --to IP:PORT --pm static:FILE|stun:SERVER
 *                 [--n N]
 */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rtccore.h>
#include <rtcerr.h>
#include "rtcpm/rtcpm.h"

static RTC_REGISTRATION_STATE reg_state;
static RTC_SESSION_STATE session_state;

struct sink
{
    IRTCEventNotification iface;
    LONG ref;
};

static HRESULT WINAPI sink_QueryInterface(IRTCEventNotification *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IRTCEventNotification))
    {
        *out = iface;
        IRTCEventNotification_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI sink_AddRef(IRTCEventNotification *iface)
{
    return InterlockedIncrement(&CONTAINING_RECORD(iface, struct sink, iface)->ref);
}

static ULONG WINAPI sink_Release(IRTCEventNotification *iface)
{
    return InterlockedDecrement(&CONTAINING_RECORD(iface, struct sink, iface)->ref);
}

static HRESULT WINAPI sink_Event(IRTCEventNotification *iface, RTC_EVENT type, IDispatch *event)
{
    IRTCRegistrationStateChangeEvent *r;
    IRTCSessionStateChangeEvent *s;

    (void)iface;
    if (type == RTCE_REGISTRATION_STATE_CHANGE &&
        SUCCEEDED(IDispatch_QueryInterface(event, &IID_IRTCRegistrationStateChangeEvent, (void **)&r)))
    {
        IRTCRegistrationStateChangeEvent_get_State(r, &reg_state);
        IRTCRegistrationStateChangeEvent_Release(r);
    }
    else if (type == RTCE_SESSION_STATE_CHANGE &&
             SUCCEEDED(IDispatch_QueryInterface(event, &IID_IRTCSessionStateChangeEvent, (void **)&s)))
    {
        IRTCSessionStateChangeEvent_get_State(s, &session_state);
        IRTCSessionStateChangeEvent_Release(s);
    }
    return S_OK;
}

static const IRTCEventNotificationVtbl sink_vtbl = { sink_QueryInterface, sink_AddRef, sink_Release, sink_Event };
static struct sink sink = { { &sink_vtbl }, 1 };

static double now_ms(void)
{
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
}

/* Pumps until *state is one of the wanted values (a bit mask of them); 0 on a timeout. */
static int pump_until(const volatile LONG *state, unsigned wanted, DWORD timeout_ms)
{
    DWORD end = GetTickCount() + timeout_ms;
    MSG msg;
    for (;;)
    {
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) DispatchMessageW(&msg);
        if (wanted & (1u << *state)) return 1;
        if ((LONG)(end - GetTickCount()) <= 0) return 0;
        MsgWaitForMultipleObjects(0, NULL, FALSE, 5, QS_ALLINPUT);
    }
}

static BSTR bstr(const char *s)
{
    WCHAR w[1024];
    MultiByteToWideChar(CP_UTF8, 0, s, -1, w, 1024);
    return SysAllocString(w);
}

static HRESULT make_client(const char *dll, IRTCClient **client)
{
    HRESULT(WINAPI * get_class)(REFCLSID, REFIID, void **);
    IConnectionPointContainer *cpc;
    IConnectionPoint *cp;
    IClassFactory *cf;
    HMODULE h = LoadLibraryA(dll);
    DWORD cookie;
    HRESULT hr;

    if (!h || !(get_class = (void *)GetProcAddress(h, "DllGetClassObject"))) return E_FAIL;
    if (FAILED(hr = get_class(&CLSID_RTCClient, &IID_IClassFactory, (void **)&cf))) return hr;
    hr = IClassFactory_CreateInstance(cf, NULL, &IID_IRTCClient, (void **)client);
    IClassFactory_Release(cf);
    if (FAILED(hr) || FAILED(hr = IRTCClient_Initialize(*client)) ||
        FAILED(hr =
                   IRTCClient_put_EventFilter(*client, RTCEF_REGISTRATION_STATE_CHANGE | RTCEF_SESSION_STATE_CHANGE)) ||
        FAILED(hr = IRTCClient_QueryInterface(*client, &IID_IConnectionPointContainer, (void **)&cpc)))
        return hr;
    hr = IConnectionPointContainer_FindConnectionPoint(cpc, &IID_IRTCEventNotification, &cp);
    IConnectionPointContainer_Release(cpc);
    if (SUCCEEDED(hr))
    {
        hr = IConnectionPoint_Advise(cp, (IUnknown *)&sink.iface, &cookie);
        IConnectionPoint_Release(cp);
    }
    return hr;
}

static HRESULT make_pm(const char *spec, IRTCPortManager **out)
{
    IRTCPortManager3 *pm = NULL;
    char err[256] = "";
    HRESULT hr;

    if (!strncmp(spec, "static:", 7))
    {
        if (SUCCEEDED(hr = rtcpm_static_pm_create(&pm))) hr = rtcpm_static_pm_load_file(pm, spec + 7, err, sizeof(err));
    }
    else if (!strncmp(spec, "stun:", 5))
        hr = rtcpm_stun_pm_create(spec + 5, &pm, err, sizeof(err));
    else
        hr = E_INVALIDARG;
    if (FAILED(hr)) fprintf(stderr, "rtc_bench: port manager %s: 0x%08lx %s\n", spec, (unsigned long)hr, err);
    *out = (IRTCPortManager *)pm;
    return hr;
}

/* One registration: its EnableProfile -> REGISTERED time in ms, or -1. */
static double one_registration(IRTCClient *client, IRTCPortManager *pm, const char *to)
{
    IRTCClientProvisioning *prov;
    IRTCProfilePortManagement *ppm;
    IRTCProfile *profile = NULL;
    char xml[512];
    double t0, t = -1;
    BSTR b;

    snprintf(xml, sizeof(xml),
             "<provision key=\"b\" name=\"bench\"><user uri=\"sip:bench@rtcpm.test\"/>"
             "<sipsrv addr=\"%s\" protocol=\"udp\" role=\"registrar\"/></provision>",
             to);
    b = bstr(xml);
    IRTCClient_QueryInterface(client, &IID_IRTCClientProvisioning, (void **)&prov);
    if (SUCCEEDED(IRTCClientProvisioning_CreateProfile(prov, b, &profile)))
    {
        IRTCProfile_QueryInterface(profile, &IID_IRTCProfilePortManagement, (void **)&ppm);
        IRTCProfilePortManagement_SetPortManager(ppm, pm);
        IRTCProfilePortManagement_Release(ppm);
        t0 = now_ms();
        if (SUCCEEDED(IRTCClientProvisioning_EnableProfile(prov, profile, RTCRF_REGISTER_ALL)) &&
            pump_until((volatile LONG *)&reg_state, 1u << RTCRS_REGISTERED | 1u << RTCRS_REJECTED | 1u << RTCRS_ERROR,
                       10000) &&
            reg_state == RTCRS_REGISTERED)
            t = now_ms() - t0;
        IRTCClientProvisioning_DisableProfile(prov, profile);
        pump_until((volatile LONG *)&reg_state, 1u << RTCRS_NOT_REGISTERED, 10000);
        IRTCProfile_Release(profile);
    }
    IRTCClientProvisioning_Release(prov);
    SysFreeString(b);
    return t;
}

/* One call: its AddParticipant -> CONNECTED time in ms, or -1. */
static double one_call(IRTCClient *client, IRTCPortManager *pm, const char *to)
{
    IRTCSessionPortManagement *spm;
    IRTCSession *session;
    char uri[128];
    double t0, t = -1;
    BSTR b;

    snprintf(uri, sizeof(uri), "sip:bench@%s", to);
    b = bstr(uri);
    session_state = RTCSS_IDLE;
    if (SUCCEEDED(IRTCClient_CreateSession(client, RTCST_PC_TO_PC, NULL, NULL, 0, &session)))
    {
        IRTCSession_QueryInterface(session, &IID_IRTCSessionPortManagement, (void **)&spm);
        IRTCSessionPortManagement_SetPortManager(spm, pm);
        IRTCSessionPortManagement_Release(spm);
        t0 = now_ms();
        if (SUCCEEDED(IRTCSession_AddParticipant(session, b, NULL, NULL)) &&
            pump_until((volatile LONG *)&session_state, 1u << RTCSS_CONNECTED | 1u << RTCSS_DISCONNECTED, 10000) &&
            session_state == RTCSS_CONNECTED)
            t = now_ms() - t0;
        IRTCSession_Terminate(session, RTCTR_NORMAL);
        pump_until((volatile LONG *)&session_state, 1u << RTCSS_DISCONNECTED, 10000);
        IRTCSession_Release(session);
    }
    SysFreeString(b);
    return t;
}

int main(int argc, char **argv)
{
    const char *dll = NULL, *flow = NULL, *to = NULL, *pm_spec = NULL;
    IRTCPortManager *pm;
    IRTCClient *client;
    int i, n = 20, failed = 0;
    double t;

    setvbuf(stdout, NULL, _IONBF, 0);
    for (i = 1; i + 1 < argc; i += 2)
    {
        if (!strcmp(argv[i], "--dll"))
            dll = argv[i + 1];
        else if (!strcmp(argv[i], "--flow"))
            flow = argv[i + 1];
        else if (!strcmp(argv[i], "--to"))
            to = argv[i + 1];
        else if (!strcmp(argv[i], "--pm"))
            pm_spec = argv[i + 1];
        else if (!strcmp(argv[i], "--n"))
            n = atoi(argv[i + 1]);
        else
            break;
    }
    if (i < argc || !dll || !flow || !to || !pm_spec || n < 1 || (strcmp(flow, "register") && strcmp(flow, "call")))
    {
        fprintf(stderr,
                "usage: rtc_bench --dll PATH --flow register|call --to IP:PORT --pm static:FILE|stun:SERVER [--n N]\n");
        return 64;
    }
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    if (FAILED(make_client(dll, &client)) || FAILED(make_pm(pm_spec, &pm))) return 1;
    for (i = 0; i <= n; i++)
    {
        t = !strcmp(flow, "register") ? one_registration(client, pm, to) : one_call(client, pm, to);
        if (t < 0)
            failed++;
        else if (i > 0)
            printf("sample %.3f\n", t); /* iteration 0 warms up */
    }
    IRTCClient_Shutdown(client);
    IRTCClient_Release(client);
    IRTCPortManager_Release(pm);
    CoUninitialize();
    if (failed) fprintf(stderr, "rtc_bench: %d of %d iterations failed\n", failed, n + 1);
    return failed ? 1 : 0;
}
