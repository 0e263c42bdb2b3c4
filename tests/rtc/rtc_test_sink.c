/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_test_sink.c — the tests' event sink (rtc_test_util.h): a C object answering
 * IRTCEventNotification, or only IDispatch (the dispinterface IRTCDispatchEventNotification),
 * that logs every event by reading it through its typed interface.
 */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rtc_test_util.h"

struct rtc_test_sink
{
    IRTCEventNotification IRTCEventNotification_iface;
    IDispatch IDispatch_iface;
    LONG ref;
    int dispatch;
    DWORD cookie;
    const IID *point;
    char log[16384];
    IDispatch *last;
    DWORD thread;
};

static const char *const reg_names[] = { "RTCRS_NOT_REGISTERED",      "RTCRS_REGISTERING",
                                         "RTCRS_REGISTERED",          "RTCRS_REJECTED",
                                         "RTCRS_UNREGISTERING",       "RTCRS_ERROR",
                                         "RTCRS_LOGGED_OFF",          "RTCRS_LOCAL_PA_LOGGED_OFF",
                                         "RTCRS_REMOTE_PA_LOGGED_OFF" };
static const char *const session_names[] = { "RTCSS_IDLE",       "RTCSS_INCOMING",  "RTCSS_ANSWERING",
                                             "RTCSS_INPROGRESS", "RTCSS_CONNECTED", "RTCSS_DISCONNECTED",
                                             "RTCSS_HOLD",       "RTCSS_REFER" };
static const char *const participant_names[] = { "RTCPS_IDLE",      "RTCPS_PENDING",       "RTCPS_INCOMING",
                                                 "RTCPS_ANSWERING", "RTCPS_INPROGRESS",    "RTCPS_ALERTING",
                                                 "RTCPS_CONNECTED", "RTCPS_DISCONNECTING", "RTCPS_DISCONNECTED" };
static const char *const client_names[] = { "RTCCET_VOLUME_CHANGE", "RTCCET_DEVICE_CHANGE",
                                            "RTCCET_NETWORK_QUALITY_CHANGE", "RTCCET_ASYNC_CLEANUP_DONE" };

#define NAME(table, v) ((unsigned)(v) < sizeof(table) / sizeof(table[0]) ? table[v] : "?")

static void append(struct rtc_test_sink *s, const char *line)
{
    size_t len = strlen(s->log);
    snprintf(s->log + len, sizeof(s->log) - len, "%s\n", line);
}

static void log_event(struct rtc_test_sink *s, RTC_EVENT type, IDispatch *event)
{
    IRTCRegistrationStateChangeEvent *reg;
    IRTCSessionStateChangeEvent *sess;
    IRTCParticipantStateChangeEvent *part;
    IRTCClientEvent *cl;
    char line[160];
    LONG state = -1, status = 0;

    if (type == RTCE_REGISTRATION_STATE_CHANGE &&
        SUCCEEDED(IDispatch_QueryInterface(event, &IID_IRTCRegistrationStateChangeEvent, (void **)&reg)))
    {
        IRTCRegistrationStateChangeEvent_get_State(reg, (RTC_REGISTRATION_STATE *)&state);
        IRTCRegistrationStateChangeEvent_get_StatusCode(reg, &status);
        IRTCRegistrationStateChangeEvent_Release(reg);
        snprintf(line, sizeof(line), "registration %s 0x%08lx", NAME(reg_names, state), (unsigned long)status);
    }
    else if (type == RTCE_SESSION_STATE_CHANGE &&
             SUCCEEDED(IDispatch_QueryInterface(event, &IID_IRTCSessionStateChangeEvent, (void **)&sess)))
    {
        IRTCSessionStateChangeEvent_get_State(sess, (RTC_SESSION_STATE *)&state);
        IRTCSessionStateChangeEvent_get_StatusCode(sess, &status);
        IRTCSessionStateChangeEvent_Release(sess);
        snprintf(line, sizeof(line), "session %s 0x%08lx", NAME(session_names, state), (unsigned long)status);
    }
    else if (type == RTCE_PARTICIPANT_STATE_CHANGE &&
             SUCCEEDED(IDispatch_QueryInterface(event, &IID_IRTCParticipantStateChangeEvent, (void **)&part)))
    {
        IRTCParticipantStateChangeEvent_get_State(part, (RTC_PARTICIPANT_STATE *)&state);
        IRTCParticipantStateChangeEvent_get_StatusCode(part, &status);
        IRTCParticipantStateChangeEvent_Release(part);
        snprintf(line, sizeof(line), "participant %s 0x%08lx", NAME(participant_names, state), (unsigned long)status);
    }
    else if (type == RTCE_CLIENT && SUCCEEDED(IDispatch_QueryInterface(event, &IID_IRTCClientEvent, (void **)&cl)))
    {
        IRTCClientEvent_get_EventType(cl, (RTC_CLIENT_EVENT_TYPE *)&state);
        IRTCClientEvent_Release(cl);
        snprintf(line, sizeof(line), "client %s", NAME(client_names, state));
    }
    else
        snprintf(line, sizeof(line), "event %d", (int)type);
    append(s, line);
    if (s->last) IDispatch_Release(s->last);
    s->last = event;
    IDispatch_AddRef(event);
    s->thread = GetCurrentThreadId();
}

static HRESULT sink_qi(struct rtc_test_sink *s, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || (!s->dispatch && IsEqualIID(riid, &IID_IRTCEventNotification)))
        *out = s->dispatch ? (void *)&s->IDispatch_iface : (void *)&s->IRTCEventNotification_iface;
    else if (s->dispatch && IsEqualIID(riid, &IID_IDispatch))
        *out = &s->IDispatch_iface;
    else
    {
        *out = NULL;
        return E_NOINTERFACE;
    }
    InterlockedIncrement(&s->ref);
    return S_OK;
}

static ULONG sink_release(struct rtc_test_sink *s)
{
    LONG ref = InterlockedDecrement(&s->ref);
    if (!ref)
    {
        if (s->last) IDispatch_Release(s->last);
        free(s);
    }
    return (ULONG)ref;
}

static HRESULT WINAPI notify_QueryInterface(IRTCEventNotification *iface, REFIID riid, void **out)
{
    return sink_qi(CONTAINING_RECORD(iface, struct rtc_test_sink, IRTCEventNotification_iface), riid, out);
}

static ULONG WINAPI notify_AddRef(IRTCEventNotification *iface)
{
    return InterlockedIncrement(&CONTAINING_RECORD(iface, struct rtc_test_sink, IRTCEventNotification_iface)->ref);
}

static ULONG WINAPI notify_Release(IRTCEventNotification *iface)
{
    return sink_release(CONTAINING_RECORD(iface, struct rtc_test_sink, IRTCEventNotification_iface));
}

static HRESULT WINAPI notify_Event(IRTCEventNotification *iface, RTC_EVENT type, IDispatch *event)
{
    log_event(CONTAINING_RECORD(iface, struct rtc_test_sink, IRTCEventNotification_iface), type, event);
    return S_OK;
}

static const IRTCEventNotificationVtbl notify_vtbl = {
    notify_QueryInterface,
    notify_AddRef,
    notify_Release,
    notify_Event,
};

static HRESULT WINAPI disp_QueryInterface(IDispatch *iface, REFIID riid, void **out)
{
    return sink_qi(CONTAINING_RECORD(iface, struct rtc_test_sink, IDispatch_iface), riid, out);
}

static ULONG WINAPI disp_AddRef(IDispatch *iface)
{
    return InterlockedIncrement(&CONTAINING_RECORD(iface, struct rtc_test_sink, IDispatch_iface)->ref);
}

static ULONG WINAPI disp_Release(IDispatch *iface)
{
    return sink_release(CONTAINING_RECORD(iface, struct rtc_test_sink, IDispatch_iface));
}

static HRESULT WINAPI disp_GetTypeInfoCount(IDispatch *iface, UINT *n)
{
    (void)iface;
    *n = 0;
    return S_OK;
}

static HRESULT WINAPI disp_GetTypeInfo(IDispatch *iface, UINT i, LCID lcid, ITypeInfo **out)
{
    (void)iface, (void)i, (void)lcid;
    *out = NULL;
    return E_NOTIMPL;
}

static HRESULT WINAPI disp_GetIDsOfNames(IDispatch *iface, REFIID riid, LPOLESTR *names, UINT n, LCID lcid, DISPID *ids)
{
    (void)iface, (void)riid, (void)names, (void)n, (void)lcid, (void)ids;
    return E_NOTIMPL;
}

/* IRTCDispatchEventNotification::Event(RTCEvent, pEvent) as DISPID 1: arguments reversed. */
static HRESULT WINAPI disp_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags, DISPPARAMS *p,
                                  VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    struct rtc_test_sink *s = CONTAINING_RECORD(iface, struct rtc_test_sink, IDispatch_iface);
    (void)riid, (void)lcid, (void)result, (void)excep, (void)arg_err;
    if (id != 1 || !(flags & DISPATCH_METHOD) || p->cArgs != 2) return DISP_E_MEMBERNOTFOUND;
    if (V_VT(&p->rgvarg[1]) != VT_I4 || V_VT(&p->rgvarg[0]) != VT_DISPATCH) return DISP_E_TYPEMISMATCH;
    log_event(s, (RTC_EVENT)V_I4(&p->rgvarg[1]), V_DISPATCH(&p->rgvarg[0]));
    return S_OK;
}

static const IDispatchVtbl disp_vtbl = {
    disp_QueryInterface, disp_AddRef,        disp_Release, disp_GetTypeInfoCount,
    disp_GetTypeInfo,    disp_GetIDsOfNames, disp_Invoke,
};

HRESULT rtc_test_sink_create(int dispatch, struct rtc_test_sink **out)
{
    struct rtc_test_sink *s = calloc(1, sizeof(*s));
    if (!(*out = s)) return E_OUTOFMEMORY;
    s->IRTCEventNotification_iface.lpVtbl = &notify_vtbl;
    s->IDispatch_iface.lpVtbl = &disp_vtbl;
    s->ref = 1;
    s->dispatch = dispatch;
    s->point = dispatch ? &DIID_IRTCDispatchEventNotification : &IID_IRTCEventNotification;
    return S_OK;
}

IUnknown *rtc_test_sink_unknown(struct rtc_test_sink *s)
{
    return s->dispatch ? (IUnknown *)&s->IDispatch_iface : (IUnknown *)&s->IRTCEventNotification_iface;
}

static HRESULT find_point(IRTCClient *client, const IID *iid, IConnectionPoint **cp)
{
    IConnectionPointContainer *cpc;
    HRESULT hr = IRTCClient_QueryInterface(client, &IID_IConnectionPointContainer, (void **)&cpc);
    if (FAILED(hr)) return hr;
    hr = IConnectionPointContainer_FindConnectionPoint(cpc, iid, cp);
    IConnectionPointContainer_Release(cpc);
    return hr;
}

HRESULT rtc_test_sink_advise(struct rtc_test_sink *s, IRTCClient *client)
{
    IConnectionPoint *cp;
    HRESULT hr = find_point(client, s->point, &cp);
    if (FAILED(hr)) return hr;
    hr = IConnectionPoint_Advise(cp, rtc_test_sink_unknown(s), &s->cookie);
    IConnectionPoint_Release(cp);
    return hr;
}

HRESULT rtc_test_sink_unadvise(struct rtc_test_sink *s, IRTCClient *client)
{
    IConnectionPoint *cp;
    HRESULT hr = find_point(client, s->point, &cp);
    if (FAILED(hr)) return hr;
    hr = IConnectionPoint_Unadvise(cp, s->cookie);
    IConnectionPoint_Release(cp);
    return hr;
}

const char *rtc_test_sink_log(struct rtc_test_sink *s) { return s->log; }

void rtc_test_sink_clear(struct rtc_test_sink *s)
{
    s->log[0] = 0;
    if (s->last) IDispatch_Release(s->last); /* it holds its subject */
    s->last = NULL;
}

IDispatch *rtc_test_sink_last(struct rtc_test_sink *s)
{
    if (s->last) IDispatch_AddRef(s->last);
    return s->last;
}

DWORD rtc_test_sink_thread(struct rtc_test_sink *s) { return s->thread; }

LONG rtc_test_sink_refcount(struct rtc_test_sink *s) { return s->ref; }

void rtc_test_sink_release(struct rtc_test_sink *s) { sink_release(s); }
