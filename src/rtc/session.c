/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * session.c — the session object: IRTCSession (one outgoing call: AddParticipant places it,
 * Terminate ends it; the call itself is call.c) and IRTCSessionPortManagement.
 *
 * States (RTC_SESSION_STATE): IDLE --AddParticipant--> INPROGRESS --2xx--> CONNECTED -->
 * DISCONNECTED; a refusal, a failure (port manager, DNS, timeout) or Terminate end it in
 * DISCONNECTED with the status code. A session is used for one call: AddParticipant on a
 * session that is not IDLE is RTC_E_INVALID_SESSION_STATE, so is Terminate on one that is
 * IDLE or DISCONNECTED.
 *
 * IRTCSessionPortManagement::SetPortManager (RTC 1.5): "A null pointer is allowed", "can be
 * called multiple times when the session is idle", "returns an error if it is called when
 * the session is not idle" -> E_FAIL then (as rtcpm's host session). NULL = no port manager
 * of the session's own: the call uses its profile's, else local addresses.
 *
 * Incoming sessions (call_in.c) start in INCOMING: Answer -> ANSWERING -> CONNECTED (the ACK);
 * Answer on any other state -> RTC_E_INVALID_SESSION_STATE; Terminate while INCOMING refuses
 * the call (603 / 486 / 480 for RTCTR_REJECT / BUSY / DND); SetPortManager is allowed until
 * Answer.
 *
 * Not implemented, E_NOTIMPL: Redirect, RemoveParticipant, get_RedirectedUserURI,
 * get_RedirectedUserName, NextRedirectedUser, SendMessage, SendMessageStatus, AddStream,
 * RemoveStream, put_EncryptionKey.
 */
#include <stdlib.h>
#include <string.h>
#include "rtc/rtc_private.h"

static const IRTCSessionVtbl session_vtbl;
static const IRTCSessionPortManagementVtbl session_pm_vtbl;

static inline struct rtc_session *impl_from_IRTCSessionPortManagement(IRTCSessionPortManagement *iface)
{
    return CONTAINING_RECORD(iface, struct rtc_session, IRTCSessionPortManagement_iface);
}

static const struct com_iface_entry session_ifaces[] = {
    { &IID_IRTCSession, offsetof(struct rtc_session, IRTCSession_iface) },
    { &IID_IRTCSessionPortManagement, offsetof(struct rtc_session, IRTCSessionPortManagement_iface) },
};

static HRESULT WINAPI session_QueryInterface(IRTCSession *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return rtcpm_com_query_interface(rtc_session_from_IRTCSession(iface), session_ifaces, ARRAY_SIZE(session_ifaces),
                                     riid, out);
}

static ULONG WINAPI session_AddRef(IRTCSession *iface)
{
    ULONG ref = (ULONG)InterlockedIncrement(&rtc_session_from_IRTCSession(iface)->ref);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static ULONG WINAPI session_Release(IRTCSession *iface)
{
    struct rtc_session *session = rtc_session_from_IRTCSession(iface);
    LONG ref = InterlockedDecrement(&session->ref);
    RTC_TRACE("(%p) ref=%ld", (void *)iface, (long)ref);
    size_t i;

    if (!ref)
    {
        /* A call in progress holds a reference: the call has ended. */
        rtcpm_rtc_call_free(session->call);
        for (i = 0; i < session->participants.count; i++)
        {
            rtcpm_rtc_participant_detach((IRTCParticipant *)session->participants.items[i]);
            IUnknown_Release(session->participants.items[i]);
        }
        free(session->participants.items);
        rtcpm_host_pm_ref_release(session->pm);
        if (session->profile) IRTCProfile2_Release(&session->profile->IRTCProfile2_iface);
        IRTCClient2_Release(&session->client->IRTCClient2_iface);
        free(session->local_phone_uri);
        DeleteCriticalSection(&session->cs);
        free(session);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT WINAPI session_get_Client(IRTCSession *iface, IRTCClient **out)
{
    struct rtc_session *session = rtc_session_from_IRTCSession(iface);
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = rtcpm_rtc_client_iface(session->client);
    IRTCClient_AddRef(*out);
    return S_OK;
}

static HRESULT WINAPI session_get_State(IRTCSession *iface, RTC_SESSION_STATE *out)
{
    struct rtc_session *session = rtc_session_from_IRTCSession(iface);
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    EnterCriticalSection(&session->cs);
    *out = session->state;
    LeaveCriticalSection(&session->cs);
    return S_OK;
}

static HRESULT WINAPI session_get_Type(IRTCSession *iface, RTC_SESSION_TYPE *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = rtc_session_from_IRTCSession(iface)->type;
    return S_OK;
}

static HRESULT WINAPI session_get_Profile(IRTCSession *iface, IRTCProfile **out)
{
    struct rtc_session *session = rtc_session_from_IRTCSession(iface);
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = session->profile ? (IRTCProfile *)&session->profile->IRTCProfile2_iface : NULL;
    if (!*out) return RTC_E_NO_PROFILE; /* RTC 1.5: "No profile is used for this session." */
    IRTCProfile_AddRef(*out);
    return S_OK;
}

/* Referenced copies of the participants. */
static HRESULT participants_snapshot(struct rtc_session *session, IUnknown ***items, size_t *count)
{
    size_t i;

    EnterCriticalSection(&session->cs);
    *count = session->participants.count;
    if ((*items = calloc(*count + 1, sizeof(**items))))
        for (i = 0; i < *count; i++)
        {
            (*items)[i] = session->participants.items[i];
            IUnknown_AddRef((*items)[i]);
        }
    LeaveCriticalSection(&session->cs);
    return *items ? S_OK : E_OUTOFMEMORY;
}

static void release_items(IUnknown **items, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++) IUnknown_Release(items[i]);
    free(items);
}

static HRESULT WINAPI session_get_Participants(IRTCSession *iface, IRTCCollection **out)
{
    IUnknown **items;
    size_t count;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    if (FAILED(hr = participants_snapshot(rtc_session_from_IRTCSession(iface), &items, &count))) return hr;
    hr = rtcpm_rtc_collection_create(items, count, out);
    release_items(items, count);
    return hr;
}

static HRESULT WINAPI session_EnumerateParticipants(IRTCSession *iface, IRTCEnumParticipants **out)
{
    IUnknown **items;
    size_t count;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    if (FAILED(hr = participants_snapshot(rtc_session_from_IRTCSession(iface), &items, &count))) return hr;
    hr = rtcpm_rtc_enum_participants_create(items, count, out);
    release_items(items, count);
    return hr;
}

static HRESULT WINAPI session_Terminate(IRTCSession *iface, RTC_TERMINATE_REASON reason)
{
    struct rtc_session *session = rtc_session_from_IRTCSession(iface);
    RTC_SESSION_STATE state;
    HRESULT hr;

    RTC_TRACE("(%p)->(%d)", (void *)iface, (int)reason);
    if ((unsigned)reason > RTCTR_NOT_SUPPORTED) return E_INVALIDARG;
    if (FAILED(hr = rtcpm_rtc_client_check_running(session->client))) return hr;
    EnterCriticalSection(&session->cs);
    state = session->state;
    LeaveCriticalSection(&session->cs);
    if (state != RTCSS_INPROGRESS && state != RTCSS_CONNECTED && state != RTCSS_INCOMING && state != RTCSS_ANSWERING)
        return RTC_E_INVALID_SESSION_STATE;
    return rtcpm_rtc_call_terminate(session, reason);
}

static HRESULT WINAPI session_AddParticipant(IRTCSession *iface, BSTR address, BSTR name, IRTCParticipant **out)
{
    struct rtc_session *session = rtc_session_from_IRTCSession(iface);
    IRTCParticipant *participant;
    HRESULT hr;

    RTC_TRACE("(%p)->(%s, %s, %p)", (void *)iface, rtcpm_debugstr_w(address), rtcpm_debugstr_w(name), (void *)out);
    if (out) *out = NULL;
    if (FAILED(hr = rtcpm_rtc_client_check_running(session->client))) return hr;
    if (!SysStringLen(address)) return E_INVALIDARG;
    /* a tel: URI needs a gateway: not implemented (README "RTC Client API"), refused before
     * anything changes or is sent */
    if (SysStringLen(address) >= 4 && !_wcsnicmp(address, L"tel:", 4)) return E_NOTIMPL;
    EnterCriticalSection(&session->cs);
    hr = session->state == RTCSS_IDLE && !session->participants.count ? S_OK : RTC_E_INVALID_SESSION_STATE;
    LeaveCriticalSection(&session->cs);
    if (FAILED(hr)) return hr;
    if (FAILED(hr = rtcpm_rtc_participant_create(session, address, name, &participant))) return hr;
    EnterCriticalSection(&session->cs);
    hr = rtcpm_rtc_list_add(&session->participants, (IUnknown *)participant);
    LeaveCriticalSection(&session->cs);
    if (SUCCEEDED(hr)) hr = rtcpm_rtc_call_start(session, participant);
    if (FAILED(hr))
    {
        EnterCriticalSection(&session->cs);
        if (rtcpm_rtc_list_remove(&session->participants, (IUnknown *)participant))
            IRTCParticipant_Release(participant);
        LeaveCriticalSection(&session->cs);
        rtcpm_rtc_participant_detach(participant);
        IRTCParticipant_Release(participant);
        return hr;
    }
    if (out)
        *out = participant;
    else
        IRTCParticipant_Release(participant);
    return S_OK;
}

static HRESULT WINAPI session_get_CanAddParticipants(IRTCSession *iface, VARIANT_BOOL *out)
{
    struct rtc_session *session = rtc_session_from_IRTCSession(iface);
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    EnterCriticalSection(&session->cs);
    *out = session->state == RTCSS_IDLE && !session->participants.count ? VARIANT_TRUE : VARIANT_FALSE;
    LeaveCriticalSection(&session->cs);
    return S_OK;
}

/* ---- not implemented ---------------------------------------------------------------------- */

static HRESULT WINAPI session_Answer(IRTCSession *iface)
{
    struct rtc_session *session = rtc_session_from_IRTCSession(iface);
    HRESULT hr;

    RTC_TRACE("(%p)", (void *)iface);
    if (FAILED(hr = rtcpm_rtc_client_check_running(session->client))) return hr;
    EnterCriticalSection(&session->cs);
    hr = session->state == RTCSS_INCOMING ? S_OK : RTC_E_INVALID_SESSION_STATE;
    if (SUCCEEDED(hr)) session->state = RTCSS_ANSWERING; /* a second Answer fails */
    LeaveCriticalSection(&session->cs);
    if (FAILED(hr)) return hr;
    rtcpm_rtc_session_report(session, RTCSS_ANSWERING, S_OK, "");
    return rtcpm_rtc_call_answer(session);
}

static HRESULT WINAPI session_Redirect(IRTCSession *iface, RTC_SESSION_TYPE type, BSTR uri, IRTCProfile *profile,
                                       LONG flags)
{
    RTC_TRACE("(%p)->(%d, %s, %p, %ld)", (void *)iface, (int)type, rtcpm_debugstr_w(uri), (void *)profile, (long)flags);
    (void)iface, (void)type, (void)uri, (void)profile, (void)flags;
    return E_NOTIMPL;
}

static HRESULT WINAPI session_RemoveParticipant(IRTCSession *iface, IRTCParticipant *participant)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)participant);
    (void)iface, (void)participant;
    return E_NOTIMPL; /* a call's one participant goes with Terminate */
}

static HRESULT WINAPI session_get_RedirectedUserURI(IRTCSession *iface, BSTR *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    (void)iface;
    if (out) *out = NULL;
    return E_NOTIMPL;
}

static HRESULT WINAPI session_get_RedirectedUserName(IRTCSession *iface, BSTR *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    (void)iface;
    if (out) *out = NULL;
    return E_NOTIMPL;
}

static HRESULT WINAPI session_NextRedirectedUser(IRTCSession *iface)
{
    RTC_TRACE("(%p)", (void *)iface);
    (void)iface;
    return E_NOTIMPL;
}

static HRESULT WINAPI session_SendMessage(IRTCSession *iface, BSTR header, BSTR message, LONG_PTR cookie)
{
    RTC_TRACE("(%p)->(%s, %s, %p)", (void *)iface, rtcpm_debugstr_w(header), rtcpm_debugstr_w(message),
              (void *)(ULONG_PTR)cookie);
    (void)iface, (void)header, (void)message, (void)cookie;
    return E_NOTIMPL;
}

static HRESULT WINAPI session_SendMessageStatus(IRTCSession *iface, RTC_MESSAGING_USER_STATUS status, LONG_PTR cookie)
{
    RTC_TRACE("(%p)->(%d, %p)", (void *)iface, (int)status, (void *)(ULONG_PTR)cookie);
    (void)iface, (void)status, (void)cookie;
    return E_NOTIMPL;
}

static HRESULT WINAPI session_AddStream(IRTCSession *iface, LONG media, LONG_PTR cookie)
{
    RTC_TRACE("(%p)->(%ld, %p)", (void *)iface, (long)media, (void *)(ULONG_PTR)cookie);
    (void)iface, (void)media, (void)cookie;
    return E_NOTIMPL;
}

static HRESULT WINAPI session_RemoveStream(IRTCSession *iface, LONG media, LONG_PTR cookie)
{
    RTC_TRACE("(%p)->(%ld, %p)", (void *)iface, (long)media, (void *)(ULONG_PTR)cookie);
    (void)iface, (void)media, (void)cookie;
    return E_NOTIMPL;
}

static HRESULT WINAPI session_put_EncryptionKey(IRTCSession *iface, LONG media, BSTR key)
{
    RTC_TRACE("(%p)->(%ld, %s)", (void *)iface, (long)media, rtcpm_debugstr_w(key));
    (void)iface, (void)media, (void)key;
    return E_NOTIMPL;
}

static const IRTCSessionVtbl session_vtbl = {
    session_QueryInterface,
    session_AddRef,
    session_Release,
    session_get_Client,
    session_get_State,
    session_get_Type,
    session_get_Profile,
    session_get_Participants,
    session_Answer,
    session_Terminate,
    session_Redirect,
    session_AddParticipant,
    session_RemoveParticipant,
    session_EnumerateParticipants,
    session_get_CanAddParticipants,
    session_get_RedirectedUserURI,
    session_get_RedirectedUserName,
    session_NextRedirectedUser,
    session_SendMessage,
    session_SendMessageStatus,
    session_AddStream,
    session_RemoveStream,
    session_put_EncryptionKey,
};

/* ---- IRTCSessionPortManagement ------------------------------------------------------------ */

static HRESULT WINAPI session_pm_QueryInterface(IRTCSessionPortManagement *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return session_QueryInterface(&impl_from_IRTCSessionPortManagement(iface)->IRTCSession_iface, riid, out);
}

static ULONG WINAPI session_pm_AddRef(IRTCSessionPortManagement *iface)
{
    ULONG ref = session_AddRef(&impl_from_IRTCSessionPortManagement(iface)->IRTCSession_iface);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static ULONG WINAPI session_pm_Release(IRTCSessionPortManagement *iface)
{
    ULONG ref = session_Release(&impl_from_IRTCSessionPortManagement(iface)->IRTCSession_iface);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static HRESULT WINAPI session_pm_SetPortManager(IRTCSessionPortManagement *iface, IRTCPortManager *pm)
{
    struct rtc_session *session = impl_from_IRTCSessionPortManagement(iface);
    struct host_pm_ref *fresh = NULL, *old;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)pm);
    if (pm && FAILED(hr = rtcpm_host_pm_ref_create(pm, &fresh))) return hr;
    hr = S_OK;
    EnterCriticalSection(&session->cs);
    /* idle, or an incoming session not answered yet (its mappings are made by Answer) */
    if ((session->state != RTCSS_IDLE || session->participants.count) && session->state != RTCSS_INCOMING)
    {
        old = fresh;
        hr = E_FAIL;
    }
    else
    {
        old = session->pm;
        session->pm = fresh;
    }
    LeaveCriticalSection(&session->cs);
    rtcpm_host_pm_ref_release(old);
    RTC_TRACE("session %p SetPortManager(%p) -> %#lx", (void *)session, (void *)pm, (unsigned long)hr);
    return hr;
}

static const IRTCSessionPortManagementVtbl session_pm_vtbl = {
    session_pm_QueryInterface,
    session_pm_AddRef,
    session_pm_Release,
    session_pm_SetPortManager,
};

/* ---- for the client and the call ----------------------------------------------------------- */

struct host_pm_ref *rtcpm_rtc_session_pm(struct rtc_session *session)
{
    struct host_pm_ref *pm;
    EnterCriticalSection(&session->cs);
    pm = session->pm;
    rtcpm_host_pm_ref_addref(pm);
    LeaveCriticalSection(&session->cs);
    if (!pm && session->profile) pm = rtcpm_rtc_profile_pm(session->profile);
    return pm;
}

void rtcpm_rtc_session_report(struct rtc_session *session, RTC_SESSION_STATE state, LONG status, const char *text)
{
    IDispatch *event;

    EnterCriticalSection(&session->cs);
    session->state = state;
    LeaveCriticalSection(&session->cs);
    RTC_TRACE("session %p: state %d status %#lx (%s)", (void *)session, state, (unsigned long)status, text ? text : "");
    if (SUCCEEDED(rtcpm_rtc_session_event_create(&session->IRTCSession_iface, state, status, text, &event)))
        rtcpm_rtc_client_post_event(session->client, RTCE_SESSION_STATE_CHANGE, event);
}

HRESULT rtcpm_rtc_session_create(struct rtc_client *client, RTC_SESSION_TYPE type, BSTR local_phone_uri,
                                 struct rtc_profile *profile, IRTCSession **out)
{
    struct rtc_session *session;

    *out = NULL;
    if (!(session = calloc(1, sizeof(*session)))) return E_OUTOFMEMORY;
    if (SysStringLen(local_phone_uri) && !(session->local_phone_uri = rtcpm_rtc_strdup_bstr(local_phone_uri)))
    {
        free(session);
        return E_INVALIDARG;
    }
    session->IRTCSession_iface.lpVtbl = &session_vtbl;
    session->IRTCSessionPortManagement_iface.lpVtbl = &session_pm_vtbl;
    session->ref = 1;
    InitializeCriticalSection(&session->cs);
    session->client = client;
    IRTCClient2_AddRef(&client->IRTCClient2_iface);
    session->profile = profile;
    if (profile) IRTCProfile2_AddRef(&profile->IRTCProfile2_iface);
    session->type = type;
    session->state = RTCSS_IDLE;
    rtcpm_com_object_created();
    *out = &session->IRTCSession_iface;
    return S_OK;
}
