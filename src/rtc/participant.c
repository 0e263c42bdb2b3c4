/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * participant.c — the participant object (IRTCParticipant): the called party of a session.
 *
 * States (RTC_PARTICIPANT_STATE): PENDING (AddParticipant) -> INPROGRESS (INVITE sent) ->
 * ALERTING (180) -> CONNECTED (2xx) -> DISCONNECTED, with the status code of a refusal.
 * The session holds its participants; a participant points back to its session without a
 * reference (no cycle): get_Session fails with RTC_E_INVALID_SESSION_STATE once the session
 * is gone. A call's participant cannot be removed (get_Removable is VARIANT_FALSE).
 */
#include <stdlib.h>
#include "rtc/rtc_private.h"

struct rtc_participant
{
    IRTCParticipant IRTCParticipant_iface;
    LONG ref;
    BSTR uri, name;
    LONG state;                  /* RTC_PARTICIPANT_STATE, Interlocked */
    struct rtc_session *session; /* weak, under session_link */
};

/* Guards every participant's back pointer against its session's destruction. */
static SRWLOCK session_link = SRWLOCK_INIT;

static const IRTCParticipantVtbl participant_vtbl;

static inline struct rtc_participant *impl_from_IRTCParticipant(IRTCParticipant *iface)
{
    return CONTAINING_RECORD(iface, struct rtc_participant, IRTCParticipant_iface);
}

static const struct com_iface_entry participant_ifaces[] = {
    { &IID_IRTCParticipant, offsetof(struct rtc_participant, IRTCParticipant_iface) },
};

static HRESULT WINAPI participant_QueryInterface(IRTCParticipant *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return rtcpm_com_query_interface(impl_from_IRTCParticipant(iface), participant_ifaces,
                                     ARRAY_SIZE(participant_ifaces), riid, out);
}

static ULONG WINAPI participant_AddRef(IRTCParticipant *iface)
{
    ULONG ref = (ULONG)InterlockedIncrement(&impl_from_IRTCParticipant(iface)->ref);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static ULONG WINAPI participant_Release(IRTCParticipant *iface)
{
    struct rtc_participant *p = impl_from_IRTCParticipant(iface);
    LONG ref = InterlockedDecrement(&p->ref);

    RTC_TRACE("(%p) ref=%ld", (void *)iface, (long)ref);
    if (!ref)
    {
        SysFreeString(p->uri);
        SysFreeString(p->name);
        free(p);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT WINAPI participant_get_UserURI(IRTCParticipant *iface, BSTR *out)
{
    struct rtc_participant *p = impl_from_IRTCParticipant(iface);
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = SysAllocStringLen(p->uri, SysStringLen(p->uri));
    return *out ? S_OK : E_OUTOFMEMORY;
}

static HRESULT WINAPI participant_get_Name(IRTCParticipant *iface, BSTR *out)
{
    struct rtc_participant *p = impl_from_IRTCParticipant(iface);
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = SysAllocStringLen(p->name, SysStringLen(p->name));
    return *out ? S_OK : E_OUTOFMEMORY;
}

static HRESULT WINAPI participant_get_Removable(IRTCParticipant *iface, VARIANT_BOOL *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI participant_get_State(IRTCParticipant *iface, RTC_PARTICIPANT_STATE *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = (RTC_PARTICIPANT_STATE)InterlockedCompareExchange(&impl_from_IRTCParticipant(iface)->state, 0, 0);
    return S_OK;
}

static HRESULT WINAPI participant_get_Session(IRTCParticipant *iface, IRTCSession **out)
{
    struct rtc_participant *p = impl_from_IRTCParticipant(iface);
    struct rtc_session *s;
    LONG ref;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    AcquireSRWLockShared(&session_link);
    if ((s = p->session))
    {
        /* AddRef only a session that is not already on its way out (its destructor
         * detaches us under session_link before freeing it, so `s` is readable here). */
        for (ref = s->ref; ref > 0; ref = s->ref)
            if (InterlockedCompareExchange(&s->ref, ref + 1, ref) == ref) break;
        if (ref > 0) *out = &s->IRTCSession_iface;
    }
    ReleaseSRWLockShared(&session_link);
    return *out ? S_OK : RTC_E_INVALID_SESSION_STATE;
}

static const IRTCParticipantVtbl participant_vtbl = {
    participant_QueryInterface, participant_AddRef,        participant_Release,   participant_get_UserURI,
    participant_get_Name,       participant_get_Removable, participant_get_State, participant_get_Session,
};

HRESULT rtcpm_rtc_participant_create(struct rtc_session *session, BSTR uri, BSTR name, IRTCParticipant **out)
{
    struct rtc_participant *p;

    *out = NULL;
    if (!(p = calloc(1, sizeof(*p)))) return E_OUTOFMEMORY;
    p->IRTCParticipant_iface.lpVtbl = &participant_vtbl;
    p->ref = 1;
    p->uri = SysAllocStringLen(uri, SysStringLen(uri));
    p->name = SysAllocStringLen(name, SysStringLen(name));
    if (!p->uri || !p->name)
    {
        SysFreeString(p->uri);
        SysFreeString(p->name);
        free(p);
        return E_OUTOFMEMORY;
    }
    p->state = RTCPS_IDLE;
    p->session = session;
    rtcpm_com_object_created();
    *out = &p->IRTCParticipant_iface;
    return S_OK;
}

void rtcpm_rtc_participant_detach(IRTCParticipant *iface)
{
    struct rtc_participant *p = impl_from_IRTCParticipant(iface);
    AcquireSRWLockExclusive(&session_link);
    p->session = NULL;
    ReleaseSRWLockExclusive(&session_link);
}

void rtcpm_rtc_participant_report(IRTCParticipant *iface, struct rtc_client *client, RTC_PARTICIPANT_STATE state,
                                  LONG status)
{
    IDispatch *event;

    InterlockedExchange(&impl_from_IRTCParticipant(iface)->state, state);
    if (SUCCEEDED(rtcpm_rtc_participant_event_create(iface, state, status, &event)))
        rtcpm_rtc_client_post_event(client, RTCE_PARTICIPANT_STATE_CHANGE, event);
}

char *rtcpm_rtc_participant_uri(IRTCParticipant *iface)
{
    return rtcpm_rtc_strdup_bstr(impl_from_IRTCParticipant(iface)->uri);
}
