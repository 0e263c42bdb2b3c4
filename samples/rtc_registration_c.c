/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_registration_c.c — the registration flow of rtc_registration.cpp in plain C with
 * COBJMACROS, as a C application of the RTC Client API writes it (mingw-w64's <rtccore.h> and
 * rtcpm/rtcpm.h only; linked with -lrtcuuid, and librtcpm for rtcpm's port managers):
 *
 *   CoCreateInstance(CLSID_RTCClient) -> Initialize -> put_EventFilter -> Advise(C sink)
 *   CreateProfile(XML) -> SetPortManager(rtcpm's static or STUN port manager, traced)
 *   EnableProfile(RTCRF_REGISTER_ALL) ... REGISTERED -> DisableProfile ... NOT_REGISTERED
 *   PrepareForShutdown -> RTCCET_ASYNC_CLEANUP_DONE -> Shutdown
 *
 * Same output lines and exit codes as rtc_registration (0 registered, 1 rejected, 2 error or
 * timeout, 3 the port manager refused, 64 bad command line).
 */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rtccore.h>
#include <rtcerr.h>
#include "rtcpm/rtcpm.h"

static RTC_REGISTRATION_STATE reg_state = RTCRS_NOT_REGISTERED;
static LONG reg_status;
static int cleanup_done;

/* ---- the event sink: a C object ---------------------------------------------------------------- */

struct sink
{
    IRTCEventNotification IRTCEventNotification_iface;
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
    return InterlockedIncrement(&CONTAINING_RECORD(iface, struct sink, IRTCEventNotification_iface)->ref);
}

static ULONG WINAPI sink_Release(IRTCEventNotification *iface)
{
    struct sink *s = CONTAINING_RECORD(iface, struct sink, IRTCEventNotification_iface);
    LONG ref = InterlockedDecrement(&s->ref);
    if (!ref) free(s);
    return ref;
}

static void registration_event(IDispatch *event)
{
    static const char *const names[] = { "RTCRS_NOT_REGISTERED", "RTCRS_REGISTERING",   "RTCRS_REGISTERED",
                                         "RTCRS_REJECTED",       "RTCRS_UNREGISTERING", "RTCRS_ERROR" };
    IRTCRegistrationStateChangeEvent *e;
    char text[256] = "";
    BSTR b = NULL;

    if (FAILED(IDispatch_QueryInterface(event, &IID_IRTCRegistrationStateChangeEvent, (void **)&e))) return;
    IRTCRegistrationStateChangeEvent_get_State(e, &reg_state);
    IRTCRegistrationStateChangeEvent_get_StatusCode(e, &reg_status);
    IRTCRegistrationStateChangeEvent_get_StatusText(e, &b);
    IRTCRegistrationStateChangeEvent_Release(e);
    if (b) WideCharToMultiByte(CP_UTF8, 0, b, -1, text, sizeof(text), NULL, NULL);
    SysFreeString(b);
    printf("event registration %s 0x%08lX \"%s\"\n", (unsigned)reg_state < 6 ? names[reg_state] : "?",
           (unsigned long)reg_status, text);
}

static HRESULT WINAPI sink_Event(IRTCEventNotification *iface, RTC_EVENT type, IDispatch *event)
{
    IRTCClientEvent *ce;
    RTC_CLIENT_EVENT_TYPE t;

    (void)iface;
    if (type == RTCE_REGISTRATION_STATE_CHANGE)
        registration_event(event);
    else if (type == RTCE_CLIENT && SUCCEEDED(IDispatch_QueryInterface(event, &IID_IRTCClientEvent, (void **)&ce)))
    {
        IRTCClientEvent_get_EventType(ce, &t);
        IRTCClientEvent_Release(ce);
        if (t == RTCCET_ASYNC_CLEANUP_DONE)
        {
            printf("event client RTCCET_ASYNC_CLEANUP_DONE\n");
            cleanup_done = 1;
        }
    }
    fflush(stdout);
    return S_OK;
}

static const IRTCEventNotificationVtbl sink_vtbl = { sink_QueryInterface, sink_AddRef, sink_Release, sink_Event };

/* ---- helpers ------------------------------------------------------------------------------------ */

static int pump_until(const int *flag, int (*pred)(void), DWORD timeout_ms)
{
    DWORD end = GetTickCount() + timeout_ms;
    MSG msg;
    for (;;)
    {
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE))
        {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
        if ((flag && *flag) || (pred && pred())) return 1;
        if ((LONG)(end - GetTickCount()) <= 0) return 0;
        MsgWaitForMultipleObjects(0, NULL, FALSE, 20, QS_ALLINPUT);
    }
}

static int reg_final(void)
{
    return reg_state == RTCRS_REGISTERED || reg_state == RTCRS_REJECTED || reg_state == RTCRS_ERROR;
}

static int reg_gone(void) { return reg_state == RTCRS_NOT_REGISTERED; }

static void print_trace(void *ctx, const char *line)
{
    (void)ctx;
    printf("pm %s\n", line);
}

static BSTR bstr(const char *s)
{
    WCHAR w[2048];
    MultiByteToWideChar(CP_UTF8, 0, s, -1, w, 2048);
    return SysAllocString(w);
}

struct options
{
    const char *registrar, *user, *account, *password, *stun, *static_ini, *dll;
    long timeout_ms;
};

static int parse(int argc, char **argv, struct options *o)
{
    int i;
    memset(o, 0, sizeof(*o));
    o->user = "sip:alice@example.com";
    o->timeout_ms = 20000;
    for (i = 1; i < argc; i++)
    {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help"))
        {
            printf("usage: rtc_registration_c --registrar HOST[:PORT] [--user URI] [--account A] [--password P]\n"
                   "       [--stun SERVER[:PORT] | --static FILE.ini] [--dll PATH] [--timeout MS] [--version]\n");
            return 0;
        }
        if (!strcmp(a, "--version"))
        {
            printf("rtc_registration_c (rtcpm) %s\n", RTCPM_VERSION);
            return 0;
        }
        if (!v) break;
        if (!strcmp(a, "--registrar"))
            o->registrar = v;
        else if (!strcmp(a, "--user"))
            o->user = v;
        else if (!strcmp(a, "--account"))
            o->account = v;
        else if (!strcmp(a, "--password"))
            o->password = v;
        else if (!strcmp(a, "--stun"))
            o->stun = v;
        else if (!strcmp(a, "--static"))
            o->static_ini = v;
        else if (!strcmp(a, "--dll"))
            o->dll = v;
        else if (!strcmp(a, "--timeout"))
            o->timeout_ms = atol(v);
        else
            break;
        i++;
    }
    if (i < argc || !o->registrar || (o->stun && o->static_ini) || o->timeout_ms <= 0)
    {
        fprintf(stderr, "rtc_registration_c: bad command line at %s (--help)\n", i < argc ? argv[i] : "the end");
        return 64;
    }
    return -1;
}

/* rtcpm's static or STUN port manager, traced; NULL for none. */
static HRESULT port_manager(const struct options *o, IRTCPortManager **out)
{
    IRTCPortManager3 *pm = NULL;
    char err[512] = "";
    HRESULT hr = S_OK;

    *out = NULL;
    if (o->stun)
        hr = rtcpm_stun_pm_create(o->stun, &pm, err, sizeof(err));
    else if (o->static_ini && SUCCEEDED(hr = rtcpm_static_pm_create(&pm)))
        hr = rtcpm_static_pm_load_file(pm, o->static_ini, err, sizeof(err));
    if (FAILED(hr)) fprintf(stderr, "port manager: 0x%08lX %s\n", (unsigned long)hr, err);
    if (SUCCEEDED(hr) && pm) hr = rtcpm_trace_pm_create((IRTCPortManager *)pm, print_trace, NULL, out);
    if (pm) IRTCPortManager3_Release(pm);
    return hr;
}

static HRESULT create_client(const struct options *o, IRTCClient **client)
{
    HRESULT(WINAPI * get_class)(REFCLSID, REFIID, void **);
    IClassFactory *factory;
    HMODULE dll;
    HRESULT hr;

    if (!o->dll)
        return CoCreateInstance(&CLSID_RTCClient, NULL, CLSCTX_INPROC_SERVER, &IID_IRTCClient, (void **)client);
    if (!(dll = LoadLibraryA(o->dll))) return HRESULT_FROM_WIN32(GetLastError());
    if (!(get_class = (void *)GetProcAddress(dll, "DllGetClassObject"))) return E_FAIL;
    if (FAILED(hr = get_class(&CLSID_RTCClient, &IID_IClassFactory, (void **)&factory))) return hr;
    hr = IClassFactory_CreateInstance(factory, NULL, &IID_IRTCClient, (void **)client);
    IClassFactory_Release(factory);
    return hr;
}

static HRESULT advise(IRTCClient *client, IConnectionPoint **cp, DWORD *cookie)
{
    IConnectionPointContainer *cpc;
    struct sink *s;
    HRESULT hr;

    if (FAILED(hr = IRTCClient_QueryInterface(client, &IID_IConnectionPointContainer, (void **)&cpc))) return hr;
    hr = IConnectionPointContainer_FindConnectionPoint(cpc, &IID_IRTCEventNotification, cp);
    IConnectionPointContainer_Release(cpc);
    if (FAILED(hr)) return hr;
    if (!(s = calloc(1, sizeof(*s)))) return E_OUTOFMEMORY;
    s->IRTCEventNotification_iface.lpVtbl = &sink_vtbl;
    s->ref = 1;
    hr = IConnectionPoint_Advise(*cp, (IUnknown *)&s->IRTCEventNotification_iface, cookie);
    IRTCEventNotification_Release(&s->IRTCEventNotification_iface);
    return hr;
}

static HRESULT make_profile(IRTCClient *client, const struct options *o, IRTCProfile **profile)
{
    IRTCClientProvisioning *prov;
    char xml[1024];
    BSTR b;
    HRESULT hr;

    snprintf(xml, sizeof(xml),
             "<provision key=\"{rtcpm-sample-c}\" name=\"rtcpm C sample\"><user uri=\"%s\"%s%s%s%s%s%s/>"
             "<sipsrv addr=\"%s\" protocol=\"udp\" role=\"registrar\"/></provision>",
             o->user, o->account ? " account=\"" : "", o->account ? o->account : "", o->account ? "\"" : "",
             o->password ? " password=\"" : "", o->password ? o->password : "", o->password ? "\"" : "", o->registrar);
    b = bstr(xml);
    IRTCClient_QueryInterface(client, &IID_IRTCClientProvisioning, (void **)&prov);
    hr = IRTCClientProvisioning_CreateProfile(prov, b, profile);
    IRTCClientProvisioning_Release(prov);
    SysFreeString(b);
    return hr;
}

static int outcome(void)
{
    if (reg_state == RTCRS_REGISTERED) return 0;
    if (reg_state == RTCRS_REJECTED) return 1;
    if (reg_status == RTC_E_PORT_MAPPING_UNAVAILABLE || reg_status == RTC_E_PORT_MAPPING_FAILED) return 3;
    return 2;
}

static int run(IRTCClient *client, const struct options *o)
{
    IRTCClientProvisioning *prov;
    IRTCProfilePortManagement *ppm;
    IRTCProfile *profile;
    IRTCPortManager *pm;
    HRESULT hr;
    int rc;

    if (FAILED(hr = make_profile(client, o, &profile)))
    {
        fprintf(stderr, "CreateProfile: 0x%08lX\n", (unsigned long)hr);
        return 2;
    }
    if (FAILED(port_manager(o, &pm)))
    {
        IRTCProfile_Release(profile);
        return 64;
    }
    if (pm)
    {
        IRTCProfile_QueryInterface(profile, &IID_IRTCProfilePortManagement, (void **)&ppm);
        hr = IRTCProfilePortManagement_SetPortManager(ppm, pm);
        printf("SetPortManager -> 0x%08lX\n", (unsigned long)hr);
        IRTCProfilePortManagement_Release(ppm);
        IRTCPortManager_Release(pm);
    }
    IRTCClient_QueryInterface(client, &IID_IRTCClientProvisioning, (void **)&prov);
    hr = IRTCClientProvisioning_EnableProfile(prov, profile, RTCRF_REGISTER_ALL);
    printf("EnableProfile -> 0x%08lX\n", (unsigned long)hr);
    if (!pump_until(NULL, reg_final, (DWORD)o->timeout_ms)) printf("timeout: no final registration state\n");
    if ((rc = outcome()) == 0)
    {
        hr = IRTCClientProvisioning_DisableProfile(prov, profile);
        printf("DisableProfile -> 0x%08lX\n", (unsigned long)hr);
        if (!pump_until(NULL, reg_gone, (DWORD)o->timeout_ms)) rc = 2;
    }
    IRTCClientProvisioning_Release(prov);
    IRTCProfile_Release(profile);
    return rc;
}

int main(int argc, char **argv)
{
    IConnectionPoint *cp = NULL;
    IRTCClient *client = NULL;
    struct options o;
    DWORD cookie = 0;
    HRESULT hr;
    int rc;

    setvbuf(stdout, NULL, _IONBF, 0);
    if ((rc = parse(argc, argv, &o)) >= 0) return rc;
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    if (FAILED(hr = create_client(&o, &client)) || FAILED(hr = IRTCClient_Initialize(client)) ||
        FAILED(hr = IRTCClient_put_EventFilter(client, RTCEF_CLIENT | RTCEF_REGISTRATION_STATE_CHANGE)) ||
        FAILED(hr = advise(client, &cp, &cookie)))
    {
        fprintf(stderr, "rtc_registration_c: client: 0x%08lX\n", (unsigned long)hr);
        rc = 2;
    }
    else
        rc = run(client, &o);
    if (client && SUCCEEDED(IRTCClient_PrepareForShutdown(client))) pump_until(&cleanup_done, NULL, 35000);
    if (cp)
    {
        IConnectionPoint_Unadvise(cp, cookie);
        IConnectionPoint_Release(cp);
    }
    if (client)
    {
        IRTCClient_Shutdown(client);
        IRTCClient_Release(client);
    }
    CoUninitialize();
    printf("exit %d\n", rc);
    return rc;
}
