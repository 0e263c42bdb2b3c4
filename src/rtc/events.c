/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * events.c — the event objects RTC hands IRTCEventNotification::Event: IRTCClientEvent,
 * IRTCRegistrationStateChangeEvent, IRTCSessionStateChangeEvent,
 * IRTCParticipantStateChangeEvent. Each is a dual interface: the typed methods, and IDispatch
 * through the DLL's type library (typeinfo.c), so a script-style sink that only knows
 * IDispatch reads the same values. Immutable once made; they hold a reference to their
 * subject (client, profile, session, participant).
 */
#include <stdlib.h>
#include "rtc/rtc_private.h"
#include "com/bstr_util.h"

struct rtc_event
{
    union
    {
        IDispatch dispatch; /* every event interface starts with IDispatch's vtable */
        IRTCClientEvent client;
        IRTCRegistrationStateChangeEvent reg;
        IRTCSessionStateChangeEvent session;
        IRTCParticipantStateChangeEvent participant;
        IRTCMediaEvent media;
    } iface;
    LONG ref;
    const IID *iid;
    IUnknown *subject; /* referenced, as the subject's own interface (IRTCProfile, ...) */
    LONG state;
    LONG status;
    BSTR text;
    LONG media_type; /* IRTCMediaEvent: RTCMT_* (state = RTCMET_*, status = RTCMER_*) */
};

static struct rtc_event *event_from(void *iface) { return CONTAINING_RECORD(iface, struct rtc_event, iface); }

static HRESULT event_query(struct rtc_event *ev, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IDispatch) || IsEqualIID(riid, ev->iid))
    {
        *out = &ev->iface;
        InterlockedIncrement(&ev->ref);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG event_release(struct rtc_event *ev)
{
    LONG ref = InterlockedDecrement(&ev->ref);
    if (!ref)
    {
        IUnknown_Release(ev->subject);
        SysFreeString(ev->text);
        free(ev);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT event_get_long(LONG value, LONG *out)
{
    if (!out) return E_POINTER;
    *out = value;
    return S_OK;
}

static HRESULT event_get_subject(struct rtc_event *ev, REFIID iid, void **out)
{
    if (!out) return E_POINTER;
    return IUnknown_QueryInterface(ev->subject, iid, out);
}

static HRESULT event_get_text(struct rtc_event *ev, BSTR *out)
{
    if (!out) return E_POINTER;
    *out = SysAllocStringLen(ev->text, SysStringLen(ev->text));
    return *out ? S_OK : E_OUTOFMEMORY;
}

/* IUnknown + IDispatch for one event interface: the same code, typed for its vtable. */
#define EVENT_DISPATCH(prefix, Iface)                                                                                  \
    static HRESULT WINAPI prefix##_QueryInterface(Iface *iface, REFIID riid, void **out)                               \
    {                                                                                                                  \
        RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);                            \
        return event_query(event_from(iface), riid, out);                                                              \
    }                                                                                                                  \
    static ULONG WINAPI prefix##_AddRef(Iface *iface)                                                                  \
    {                                                                                                                  \
        ULONG ref = (ULONG)InterlockedIncrement(&event_from(iface)->ref);                                              \
                                                                                                                       \
        RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);                                                                 \
        return ref;                                                                                                    \
    }                                                                                                                  \
    static ULONG WINAPI prefix##_Release(Iface *iface)                                                                 \
    {                                                                                                                  \
        ULONG ref = event_release(event_from(iface));                                                                  \
                                                                                                                       \
        RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);                                                                 \
        return ref;                                                                                                    \
    }                                                                                                                  \
    static HRESULT WINAPI prefix##_GetTypeInfoCount(Iface *iface, UINT *count)                                         \
    {                                                                                                                  \
        RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)count);                                                         \
        if (!count) return E_POINTER;                                                                                  \
        *count = 1;                                                                                                    \
        return S_OK;                                                                                                   \
    }                                                                                                                  \
    static HRESULT WINAPI prefix##_GetTypeInfo(Iface *iface, UINT index, LCID lcid, ITypeInfo **out)                   \
    {                                                                                                                  \
        RTC_TRACE("(%p)->(%u, %lu, %p)", (void *)iface, index, (unsigned long)lcid, (void *)out);                      \
        return rtcpm_rtc_dispatch_get_type_info(event_from(iface)->iid, index, out);                                   \
    }                                                                                                                  \
    static HRESULT WINAPI prefix##_GetIDsOfNames(Iface *iface, REFIID riid, LPOLESTR *names, UINT count, LCID lcid,    \
                                                 DISPID *ids)                                                          \
    {                                                                                                                  \
        RTC_TRACE("(%p)->(%s, %p, %u, %lu, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)names, count,       \
                  (unsigned long)lcid, (void *)ids);                                                                   \
        return rtcpm_rtc_dispatch_get_ids(event_from(iface)->iid, names, count, ids);                                  \
    }                                                                                                                  \
    static HRESULT WINAPI prefix##_Invoke(Iface *iface, DISPID id, REFIID riid, LCID lcid, WORD flags,                 \
                                          DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err)        \
    {                                                                                                                  \
        RTC_TRACE("(%p)->(%ld, %s, %lu, %u, %p, %p, %p, %p)", (void *)iface, (long)id, rtcpm_debugstr_guid(riid),      \
                  (unsigned long)lcid, (unsigned)flags, (void *)params, (void *)result, (void *)excep,                 \
                  (void *)arg_err);                                                                                    \
        return rtcpm_rtc_dispatch_invoke(event_from(iface)->iid, iface, id, flags, params, result, excep, arg_err);    \
    }

/* ---- IRTCClientEvent ------------------------------------------------------------------- */

EVENT_DISPATCH(client_event, IRTCClientEvent)

static HRESULT WINAPI client_event_get_EventType(IRTCClientEvent *iface, RTC_CLIENT_EVENT_TYPE *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = (RTC_CLIENT_EVENT_TYPE)event_from(iface)->state;
    return S_OK;
}

static HRESULT WINAPI client_event_get_Client(IRTCClientEvent *iface, IRTCClient **out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return event_get_subject(event_from(iface), &IID_IRTCClient, (void **)out);
}

static const IRTCClientEventVtbl client_event_vtbl = {
    client_event_QueryInterface,   client_event_AddRef,        client_event_Release,
    client_event_GetTypeInfoCount, client_event_GetTypeInfo,   client_event_GetIDsOfNames,
    client_event_Invoke,           client_event_get_EventType, client_event_get_Client,
};

/* ---- IRTCRegistrationStateChangeEvent -------------------------------------------------- */

EVENT_DISPATCH(reg_event, IRTCRegistrationStateChangeEvent)

static HRESULT WINAPI reg_event_get_Profile(IRTCRegistrationStateChangeEvent *iface, IRTCProfile **out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return event_get_subject(event_from(iface), &IID_IRTCProfile, (void **)out);
}

static HRESULT WINAPI reg_event_get_State(IRTCRegistrationStateChangeEvent *iface, RTC_REGISTRATION_STATE *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = (RTC_REGISTRATION_STATE)event_from(iface)->state;
    return S_OK;
}

static HRESULT WINAPI reg_event_get_StatusCode(IRTCRegistrationStateChangeEvent *iface, LONG *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return event_get_long(event_from(iface)->status, out);
}

static HRESULT WINAPI reg_event_get_StatusText(IRTCRegistrationStateChangeEvent *iface, BSTR *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return event_get_text(event_from(iface), out);
}

static const IRTCRegistrationStateChangeEventVtbl reg_event_vtbl = {
    reg_event_QueryInterface, reg_event_AddRef,         reg_event_Release,        reg_event_GetTypeInfoCount,
    reg_event_GetTypeInfo,    reg_event_GetIDsOfNames,  reg_event_Invoke,         reg_event_get_Profile,
    reg_event_get_State,      reg_event_get_StatusCode, reg_event_get_StatusText,
};

/* ---- IRTCSessionStateChangeEvent ------------------------------------------------------- */

EVENT_DISPATCH(session_event, IRTCSessionStateChangeEvent)

static HRESULT WINAPI session_event_get_Session(IRTCSessionStateChangeEvent *iface, IRTCSession **out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return event_get_subject(event_from(iface), &IID_IRTCSession, (void **)out);
}

static HRESULT WINAPI session_event_get_State(IRTCSessionStateChangeEvent *iface, RTC_SESSION_STATE *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = (RTC_SESSION_STATE)event_from(iface)->state;
    return S_OK;
}

static HRESULT WINAPI session_event_get_StatusCode(IRTCSessionStateChangeEvent *iface, LONG *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return event_get_long(event_from(iface)->status, out);
}

static HRESULT WINAPI session_event_get_StatusText(IRTCSessionStateChangeEvent *iface, BSTR *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return event_get_text(event_from(iface), out);
}

static const IRTCSessionStateChangeEventVtbl session_event_vtbl = {
    session_event_QueryInterface,   session_event_AddRef,         session_event_Release,
    session_event_GetTypeInfoCount, session_event_GetTypeInfo,    session_event_GetIDsOfNames,
    session_event_Invoke,           session_event_get_Session,    session_event_get_State,
    session_event_get_StatusCode,   session_event_get_StatusText,
};

/* ---- IRTCParticipantStateChangeEvent --------------------------------------------------- */

EVENT_DISPATCH(participant_event, IRTCParticipantStateChangeEvent)

static HRESULT WINAPI participant_event_get_Participant(IRTCParticipantStateChangeEvent *iface, IRTCParticipant **out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return event_get_subject(event_from(iface), &IID_IRTCParticipant, (void **)out);
}

static HRESULT WINAPI participant_event_get_State(IRTCParticipantStateChangeEvent *iface, RTC_PARTICIPANT_STATE *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = (RTC_PARTICIPANT_STATE)event_from(iface)->state;
    return S_OK;
}

static HRESULT WINAPI participant_event_get_StatusCode(IRTCParticipantStateChangeEvent *iface, LONG *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return event_get_long(event_from(iface)->status, out);
}

static const IRTCParticipantStateChangeEventVtbl participant_event_vtbl = {
    participant_event_QueryInterface,   participant_event_AddRef,          participant_event_Release,
    participant_event_GetTypeInfoCount, participant_event_GetTypeInfo,     participant_event_GetIDsOfNames,
    participant_event_Invoke,           participant_event_get_Participant, participant_event_get_State,
    participant_event_get_StatusCode,
};

EVENT_DISPATCH(media_event, IRTCMediaEvent)

static HRESULT WINAPI media_event_get_MediaType(IRTCMediaEvent *iface, LONG *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return event_get_long(event_from(iface)->media_type, out);
}

static HRESULT WINAPI media_event_get_EventType(IRTCMediaEvent *iface, RTC_MEDIA_EVENT_TYPE *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return event_get_long(event_from(iface)->state, (LONG *)out);
}

static HRESULT WINAPI media_event_get_EventReason(IRTCMediaEvent *iface, RTC_MEDIA_EVENT_REASON *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return event_get_long(event_from(iface)->status, (LONG *)out);
}

static const IRTCMediaEventVtbl media_event_vtbl = {
    media_event_QueryInterface, media_event_AddRef,          media_event_Release, media_event_GetTypeInfoCount,
    media_event_GetTypeInfo,    media_event_GetIDsOfNames,   media_event_Invoke,  media_event_get_MediaType,
    media_event_get_EventType,  media_event_get_EventReason,
};

/* ---- construction ---------------------------------------------------------------------- */

static HRESULT event_create(const void *vtbl, const IID *iid, IUnknown *subject, LONG state, LONG status,
                            const char *text, IDispatch **out)
{
    struct rtc_event *ev;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!subject) return E_POINTER;
    if (!(ev = calloc(1, sizeof(*ev)))) return E_OUTOFMEMORY;
    if (text && !(ev->text = rtcpm_bstr_from_cstr(text)))
    {
        free(ev);
        return E_OUTOFMEMORY;
    }
    ev->iface.dispatch.lpVtbl = (const IDispatchVtbl *)vtbl;
    ev->ref = 1;
    ev->iid = iid;
    ev->subject = subject;
    IUnknown_AddRef(subject);
    ev->state = state;
    ev->status = status;
    rtcpm_com_object_created();
    *out = &ev->iface.dispatch;
    return S_OK;
}

HRESULT rtcpm_rtc_client_event_create(IRTCClient *client, RTC_CLIENT_EVENT_TYPE type, IDispatch **out)
{
    return event_create(&client_event_vtbl, &IID_IRTCClientEvent, (IUnknown *)client, type, 0, NULL, out);
}

HRESULT rtcpm_rtc_registration_event_create(IRTCProfile *profile, RTC_REGISTRATION_STATE state, LONG status,
                                            const char *text, IDispatch **out)
{
    return event_create(&reg_event_vtbl, &IID_IRTCRegistrationStateChangeEvent, (IUnknown *)profile, state, status,
                        text ? text : "", out);
}

HRESULT rtcpm_rtc_session_event_create(IRTCSession *session, RTC_SESSION_STATE state, LONG status, const char *text,
                                       IDispatch **out)
{
    return event_create(&session_event_vtbl, &IID_IRTCSessionStateChangeEvent, (IUnknown *)session, state, status,
                        text ? text : "", out);
}

HRESULT rtcpm_rtc_participant_event_create(IRTCParticipant *participant, RTC_PARTICIPANT_STATE state, LONG status,
                                           IDispatch **out)
{
    return event_create(&participant_event_vtbl, &IID_IRTCParticipantStateChangeEvent, (IUnknown *)participant, state,
                        status, NULL, out);
}

HRESULT rtcpm_rtc_media_event_create(IRTCClient *client, LONG media_type, RTC_MEDIA_EVENT_TYPE type,
                                     RTC_MEDIA_EVENT_REASON reason, IDispatch **out)
{
    HRESULT hr = event_create(&media_event_vtbl, &IID_IRTCMediaEvent, (IUnknown *)client, type, reason, NULL, out);
    if (SUCCEEDED(hr)) event_from(*out)->media_type = media_type;
    return hr;
}
