/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client.c — the RTCClient object: IRTCClient2 (its lifecycle, event filter, sessions, local
 * user; preferences in client_media.c), IRTCClientProvisioning2 (client_provisioning.c),
 * IRTCClientPortManagement (client_pm.c), IConnectionPointContainer (connection_point.c).
 *
 * Lifecycle (learn.microsoft.com IRTCClient::Initialize / PrepareForShutdown / Shutdown):
 *   created --Initialize--> initialized --PrepareForShutdown--> preparing --Shutdown--> shut down
 *   Everything but Initialize answers RTC_E_CLIENT_NOT_INITIALIZED before Initialize, and
 *   RTC_E_CLIENT_ALREADY_SHUT_DOWN after Shutdown; Initialize twice gives
 *   RTC_E_CLIENT_ALREADY_INITIALIZED. PrepareForShutdown ends every call (BYE/CANCEL) and
 *   registration (REGISTER Expires: 0), then fires RTCE_CLIENT with RTCCET_ASYNC_CLEANUP_DONE;
 *   Shutdown ends what is left without sending anything, releases every port mapping, joins
 *   the worker, and drops the sinks: afterwards the client keeps no reference to anything.
 */
#include <stdlib.h>
#include <string.h>
#include "rtc/rtc_private.h"
#include "rtc/client_private.h"
#include "rtc/event_filter.h"
#include "sip/sip_agent.h"

static const struct com_iface_entry client_ifaces[] = {
    { &IID_IRTCClient2, offsetof(struct rtc_client, IRTCClient2_iface) },
    { &IID_IRTCClient, offsetof(struct rtc_client, IRTCClient2_iface) },
    { &IID_IRTCClientProvisioning, offsetof(struct rtc_client, IRTCClientProvisioning2_iface) },
    { &IID_IRTCClientProvisioning2, offsetof(struct rtc_client, IRTCClientProvisioning2_iface) },
    { &IID_IRTCClientPortManagement, offsetof(struct rtc_client, IRTCClientPortManagement_iface) },
    { &IID_IConnectionPointContainer, offsetof(struct rtc_client, IConnectionPointContainer_iface) },
};

static HRESULT WINAPI client_QueryInterface(IRTCClient2 *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return rtcpm_com_query_interface(rtc_client_from_IRTCClient2(iface), client_ifaces, ARRAY_SIZE(client_ifaces), riid,
                                     out);
}

static ULONG WINAPI client_AddRef(IRTCClient2 *iface)
{
    ULONG ref = (ULONG)InterlockedIncrement(&rtc_client_from_IRTCClient2(iface)->ref);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static void client_destroy(struct rtc_client *client)
{
    /* Released without Shutdown: end what is left the same way (nothing is sent). */
    if (client->state == RTC_CLIENT_INITIALIZED || client->state == RTC_CLIENT_PREPARING)
        rtcpm_rtc_client_teardown(client);
    rtcpm_rtc_cp_clear(&client->cp_notify);
    rtcpm_rtc_cp_clear(&client->cp_dispatch);
    if (client->host) IRTCClientPortManagement_Release(client->host);
    rtcpm_rtc_prefs_clear(&client->prefs);
    SysFreeString(client->local_uri);
    SysFreeString(client->local_name);
    DeleteCriticalSection(&client->cs);
    free(client);
    rtcpm_com_object_destroyed();
}

static ULONG WINAPI client_Release(IRTCClient2 *iface)
{
    struct rtc_client *client = rtc_client_from_IRTCClient2(iface);
    LONG ref = InterlockedDecrement(&client->ref);
    RTC_TRACE("(%p) ref=%ld", (void *)iface, (long)ref);
    if (!ref) client_destroy(client);
    return (ULONG)ref;
}

HRESULT rtcpm_rtc_client_check_running(struct rtc_client *client)
{
    switch (client->state)
    {
    case RTC_CLIENT_CREATED: return RTC_E_CLIENT_NOT_INITIALIZED;
    case RTC_CLIENT_INITIALIZED: return S_OK;
    default: return RTC_E_CLIENT_ALREADY_SHUT_DOWN;
    }
}

static HRESULT client_start(struct rtc_client *client)
{
    struct rtcpm_sip_agent_config cfg;
    HRESULT hr;

    memset(&cfg, 0, sizeof(cfg));
    cfg.user_agent = "rtcpm-rtcdll";
    /* RTCPM_SIP_T1_MS (README "RTC Client API"): a shorter RFC 3261 T1 for tests, so that a
     * silent registrar ends in ERROR after 64*T1 in seconds, not half a minute. */
    cfg.timers.t1_ms = (unsigned)rtcpm_rtc_env_ms("RTCPM_SIP_T1_MS", 500, 0);
    if (FAILED(hr = rtcpm_rtc_events_create(client, &client->events))) return hr;
    if (SUCCEEDED(hr = rtcpm_rtc_worker_start(&client->worker)))
    {
        if (SUCCEEDED(hr = rtcpm_sip_agent_start(&cfg, &client->agent))) return S_OK;
        rtcpm_rtc_worker_stop(client->worker);
        client->worker = NULL;
    }
    rtcpm_rtc_events_destroy(client->events);
    client->events = NULL;
    return hr;
}

static HRESULT WINAPI client_Initialize(IRTCClient2 *iface)
{
    RTC_TRACE("(%p)", (void *)iface);
    return IRTCClient2_InitializeEx(iface, 0);
}

static HRESULT WINAPI client_InitializeEx(IRTCClient2 *iface, LONG flags)
{
    struct rtc_client *client = rtc_client_from_IRTCClient2(iface);
    HRESULT hr;

    RTC_TRACE("(%p)->(%ld)", (void *)iface, (long)flags);
    /* RTCIF_DISABLE_MEDIA / _DISABLE_UPNP / _DISABLE_STRICT_DNS describe what rtcpm does
     * anyway; a server-class client is not implemented. */
    if (flags & ~(LONG)(RTCIF_DISABLE_MEDIA | RTCIF_DISABLE_UPNP | RTCIF_DISABLE_STRICT_DNS))
        return flags & RTCIF_ENABLE_SERVER_CLASS ? E_NOTIMPL : E_INVALIDARG;
    if (client->state == RTC_CLIENT_INITIALIZED || client->state == RTC_CLIENT_PREPARING)
        return RTC_E_CLIENT_ALREADY_INITIALIZED;
    if (client->state == RTC_CLIENT_SHUT_DOWN) return RTC_E_CLIENT_ALREADY_SHUT_DOWN;
    if (FAILED(hr = client_start(client))) return hr;
    EnterCriticalSection(&client->cs);
    client->init_thread = GetCurrentThreadId();
    client->state = RTC_CLIENT_INITIALIZED;
    LeaveCriticalSection(&client->cs);
    RTC_TRACE("client %p initialized on thread %lu", (void *)client, (unsigned long)client->init_thread);
    return S_OK;
}

static HRESULT WINAPI client_Shutdown(IRTCClient2 *iface)
{
    struct rtc_client *client = rtc_client_from_IRTCClient2(iface);

    RTC_TRACE("(%p)", (void *)iface);
    if (client->state == RTC_CLIENT_CREATED) return RTC_E_CLIENT_NOT_INITIALIZED;
    if (client->state == RTC_CLIENT_SHUT_DOWN) return RTC_E_CLIENT_ALREADY_SHUT_DOWN;
    rtcpm_rtc_client_teardown(client);
    rtcpm_rtc_cp_clear(&client->cp_notify);
    rtcpm_rtc_cp_clear(&client->cp_dispatch);
    RTC_TRACE("client %p shut down", (void *)client);
    return S_OK;
}

void rtcpm_rtc_client_busy(struct rtc_client *client, int delta)
{
    IDispatch *event;
    int done;

    EnterCriticalSection(&client->cs);
    client->busy += delta;
    done = client->busy == 0 && delta < 0 && client->state == RTC_CLIENT_PREPARING;
    LeaveCriticalSection(&client->cs);
    if (done &&
        SUCCEEDED(rtcpm_rtc_client_event_create(rtcpm_rtc_client_iface(client), RTCCET_ASYNC_CLEANUP_DONE, &event)))
        rtcpm_rtc_client_post_event(client, RTCE_CLIENT, event);
}

static HRESULT WINAPI client_PrepareForShutdown(IRTCClient2 *iface)
{
    struct rtc_client *client = rtc_client_from_IRTCClient2(iface);
    IUnknown **profiles, **sessions;
    size_t n_profiles, n_sessions, i;
    HRESULT hr;

    RTC_TRACE("(%p)", (void *)iface);
    EnterCriticalSection(&client->cs);
    if (FAILED(hr = rtcpm_rtc_client_check_running(client)))
    {
        LeaveCriticalSection(&client->cs);
        return hr;
    }
    client->state = RTC_CLIENT_PREPARING;
    hr = rtcpm_rtc_client_snapshot(client, &profiles, &n_profiles, &sessions, &n_sessions);
    /* One count of our own, so that work ending meanwhile cannot fire the event early. */
    client->busy++;
    LeaveCriticalSection(&client->cs);
    if (FAILED(hr))
    {
        rtcpm_rtc_client_busy(client, -1);
        return hr;
    }
    for (i = 0; i < n_sessions; i++)
    {
        rtcpm_rtc_call_terminate(rtc_session_from_IRTCSession((IRTCSession *)sessions[i]), RTCTR_SHUTDOWN);
        IUnknown_Release(sessions[i]);
    }
    for (i = 0; i < n_profiles; i++)
    {
        rtcpm_rtc_registration_stop(client, rtc_profile_from_IRTCProfile2((IRTCProfile2 *)profiles[i]));
        IUnknown_Release(profiles[i]);
    }
    free(sessions);
    free(profiles);
    rtcpm_rtc_client_busy(client, -1);
    return S_OK;
}

/* ---- events ------------------------------------------------------------------------------- */

static HRESULT WINAPI client_put_EventFilter(IRTCClient2 *iface, LONG filter)
{
    struct rtc_client *client = rtc_client_from_IRTCClient2(iface);
    HRESULT hr;

    RTC_TRACE("(%p)->(%ld)", (void *)iface, (long)filter);
    EnterCriticalSection(&client->cs);
    if (SUCCEEDED(hr = rtcpm_rtc_client_check_running(client))) client->event_filter = filter;
    LeaveCriticalSection(&client->cs);
    return hr;
}

static HRESULT WINAPI client_get_EventFilter(IRTCClient2 *iface, LONG *filter)
{
    struct rtc_client *client = rtc_client_from_IRTCClient2(iface);
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)filter);
    if (!filter) return E_POINTER;
    EnterCriticalSection(&client->cs);
    hr = rtcpm_rtc_client_check_running(client);
    *filter = SUCCEEDED(hr) ? client->event_filter : 0;
    LeaveCriticalSection(&client->cs);
    return hr;
}

void rtcpm_rtc_client_post_event(struct rtc_client *client, RTC_EVENT type, IDispatch *event)
{
    EnterCriticalSection(&client->cs);
    if (client->events)
    {
        rtcpm_rtc_events_post(client->events, type, event);
        event = NULL;
    }
    LeaveCriticalSection(&client->cs);
    if (event) IDispatch_Release(event); /* shut down: nobody to tell */
}

HRESULT rtcpm_rtc_client_post_job(struct rtc_client *client, struct rtc_job *job)
{
    HRESULT hr = RTC_E_CLIENT_ALREADY_SHUT_DOWN;

    /* Under the lock: teardown clears client->worker under it before stopping and freeing
     * the worker, so the pointer used here is alive. */
    EnterCriticalSection(&client->cs);
    if (client->worker) hr = rtcpm_rtc_worker_post(client->worker, job);
    LeaveCriticalSection(&client->cs);
    return hr;
}

static void call_dispatch_sink(IDispatch *sink, RTC_EVENT type, IDispatch *event)
{
    DISPPARAMS params;
    VARIANT args[2];

    /* Invoke's arguments are in reverse order: Event(RTCEvent, pEvent). */
    VariantInit(&args[0]);
    V_VT(&args[0]) = VT_DISPATCH;
    V_DISPATCH(&args[0]) = event;
    VariantInit(&args[1]);
    V_VT(&args[1]) = VT_I4;
    V_I4(&args[1]) = type;
    params.rgvarg = args;
    params.cArgs = 2;
    params.rgdispidNamedArgs = NULL;
    params.cNamedArgs = 0;
    IDispatch_Invoke(sink, 1, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_METHOD, &params, NULL, NULL, NULL);
}

void rtcpm_rtc_client_deliver(struct rtc_client *client, RTC_EVENT type, IDispatch *event)
{
    IUnknown **sinks;
    size_t count, i;
    LONG filter;

    EnterCriticalSection(&client->cs);
    filter = client->state == RTC_CLIENT_SHUT_DOWN ? 0 : client->event_filter;
    LeaveCriticalSection(&client->cs);
    if (!(filter & rtcpm_rtc_event_filter_bit(type))) return;
    if (SUCCEEDED(rtcpm_rtc_cp_snapshot(&client->cp_notify, &sinks, &count)))
    {
        for (i = 0; i < count; i++)
        {
            IRTCEventNotification_Event((IRTCEventNotification *)sinks[i], type, event);
            IUnknown_Release(sinks[i]);
        }
        free(sinks);
    }
    if (SUCCEEDED(rtcpm_rtc_cp_snapshot(&client->cp_dispatch, &sinks, &count)))
    {
        for (i = 0; i < count; i++)
        {
            call_dispatch_sink((IDispatch *)sinks[i], type, event);
            IUnknown_Release(sinks[i]);
        }
        free(sinks);
    }
}

/* ---- sessions and the local user ----------------------------------------------------------- */

static HRESULT WINAPI client_CreateSession(IRTCClient2 *iface, RTC_SESSION_TYPE type, BSTR local_phone_uri,
                                           IRTCProfile *profile_iface, LONG flags, IRTCSession **out)
{
    struct rtc_client *client = rtc_client_from_IRTCClient2(iface);
    struct rtc_profile *profile = NULL;
    HRESULT hr;

    RTC_TRACE("(%p)->(%d, %s, %p, %ld, %p)", (void *)iface, (int)type, rtcpm_debugstr_w(local_phone_uri),
              (void *)profile_iface, (long)flags, (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    if (FAILED(hr = rtcpm_rtc_client_check_running(client))) return hr;
    if (flags & ~(LONG)(RTCCS_FORCE_PROFILE | RTCCS_FAIL_ON_REDIRECT)) return E_INVALIDARG;
    if ((unsigned)type > RTCST_APPLICATION) return RTC_E_INVALID_SESSION_TYPE;
    /* Only calls: IM, multiparty IM, application and phone-to-phone sessions are not
     * implemented (README "RTC Client API"). */
    if (type != RTCST_PC_TO_PC && type != RTCST_PC_TO_PHONE) return E_NOTIMPL;
    if (profile_iface && (!(profile = unsafe_impl_from_IRTCProfile(profile_iface)) || profile->owner != client))
        return E_INVALIDARG;
    if (!profile && (flags & RTCCS_FORCE_PROFILE)) return RTC_E_NO_PROFILE;
    return rtcpm_rtc_session_create(client, type, local_phone_uri, profile, out);
}

static HRESULT get_bstr_locked(struct rtc_client *client, BSTR *field, BSTR *out)
{
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    EnterCriticalSection(&client->cs);
    if (SUCCEEDED(hr = rtcpm_rtc_client_check_running(client)))
    {
        *out = SysAllocStringLen(*field, SysStringLen(*field));
        if (!*out) hr = E_OUTOFMEMORY;
    }
    LeaveCriticalSection(&client->cs);
    return hr;
}

static HRESULT put_bstr_locked(struct rtc_client *client, BSTR *field, BSTR value)
{
    BSTR copy = SysAllocStringLen(value, SysStringLen(value)), old = NULL;
    HRESULT hr;

    if (!copy) return E_OUTOFMEMORY;
    EnterCriticalSection(&client->cs);
    if (SUCCEEDED(hr = rtcpm_rtc_client_check_running(client)))
    {
        old = *field;
        *field = copy;
        copy = NULL;
    }
    LeaveCriticalSection(&client->cs);
    SysFreeString(old);
    SysFreeString(copy);
    return hr;
}

static HRESULT WINAPI client_get_LocalUserURI(IRTCClient2 *iface, BSTR *out)
{
    struct rtc_client *client = rtc_client_from_IRTCClient2(iface);
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return get_bstr_locked(client, &client->local_uri, out);
}

static HRESULT WINAPI client_put_LocalUserURI(IRTCClient2 *iface, BSTR value)
{
    struct rtc_client *client = rtc_client_from_IRTCClient2(iface);
    RTC_TRACE("(%p)->(%s)", (void *)iface, rtcpm_debugstr_w(value));
    return put_bstr_locked(client, &client->local_uri, value);
}

static HRESULT WINAPI client_get_LocalUserName(IRTCClient2 *iface, BSTR *out)
{
    struct rtc_client *client = rtc_client_from_IRTCClient2(iface);
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return get_bstr_locked(client, &client->local_name, out);
}

static HRESULT WINAPI client_put_LocalUserName(IRTCClient2 *iface, BSTR value)
{
    struct rtc_client *client = rtc_client_from_IRTCClient2(iface);
    RTC_TRACE("(%p)->(%s)", (void *)iface, rtcpm_debugstr_w(value));
    return put_bstr_locked(client, &client->local_name, value);
}

/* The vtable: mingw-w64's <rtccore.h> order, checked slot by slot by tests/rtc. */
const IRTCClient2Vtbl rtcpm_rtc_client_vtbl = {
    client_QueryInterface,
    client_AddRef,
    client_Release,
    client_Initialize,
    client_Shutdown,
    client_PrepareForShutdown,
    client_put_EventFilter,
    client_get_EventFilter,
    rtcpm_rtc_client_SetPreferredMediaTypes,
    rtcpm_rtc_client_get_PreferredMediaTypes,
    rtcpm_rtc_client_get_MediaCapabilities,
    client_CreateSession,
    rtcpm_rtc_client_put_ListenForIncomingSessions,
    rtcpm_rtc_client_get_ListenForIncomingSessions,
    rtcpm_rtc_client_get_NetworkAddresses,
    rtcpm_rtc_client_put_Volume,
    rtcpm_rtc_client_get_Volume,
    rtcpm_rtc_client_put_AudioMuted,
    rtcpm_rtc_client_get_AudioMuted,
    rtcpm_rtc_client_get_IVideoWindow,
    rtcpm_rtc_client_put_PreferredAudioDevice,
    rtcpm_rtc_client_get_PreferredAudioDevice,
    rtcpm_rtc_client_put_PreferredVolume,
    rtcpm_rtc_client_get_PreferredVolume,
    rtcpm_rtc_client_put_PreferredAEC,
    rtcpm_rtc_client_get_PreferredAEC,
    rtcpm_rtc_client_put_PreferredVideoDevice,
    rtcpm_rtc_client_get_PreferredVideoDevice,
    rtcpm_rtc_client_get_ActiveMedia,
    rtcpm_rtc_client_put_MaxBitrate,
    rtcpm_rtc_client_get_MaxBitrate,
    rtcpm_rtc_client_put_TemporalSpatialTradeOff,
    rtcpm_rtc_client_get_TemporalSpatialTradeOff,
    rtcpm_rtc_client_get_NetworkQuality,
    rtcpm_rtc_client_StartT120Applet,
    rtcpm_rtc_client_StopT120Applets,
    rtcpm_rtc_client_get_IsT120AppletRunning,
    client_get_LocalUserURI,
    client_put_LocalUserURI,
    client_get_LocalUserName,
    client_put_LocalUserName,
    rtcpm_rtc_client_PlayRing,
    rtcpm_rtc_client_SendDTMF,
    rtcpm_rtc_client_InvokeTuningWizard,
    rtcpm_rtc_client_get_IsTuned,
    rtcpm_rtc_client_put_AnswerMode,
    rtcpm_rtc_client_get_AnswerMode,
    rtcpm_rtc_client_InvokeTuningWizardEx,
    rtcpm_rtc_client_get_Version,
    rtcpm_rtc_client_put_ClientName,
    rtcpm_rtc_client_put_ClientCurVer,
    client_InitializeEx,
    rtcpm_rtc_client_CreateSessionWithDescription,
    rtcpm_rtc_client_SetSessionDescriptionManager,
    rtcpm_rtc_client_put_PreferredSecurityLevel,
    rtcpm_rtc_client_get_PreferredSecurityLevel,
    rtcpm_rtc_client_put_AllowedPorts,
    rtcpm_rtc_client_get_AllowedPorts,
};

IRTCClient *rtcpm_rtc_client_iface(struct rtc_client *client) { return (IRTCClient *)&client->IRTCClient2_iface; }

HRESULT rtcpm_rtc_client_create(REFIID riid, void **out)
{
    struct rtc_client *client;
    HRESULT hr;

    if (!(client = calloc(1, sizeof(*client)))) return E_OUTOFMEMORY;
    client->IRTCClient2_iface.lpVtbl = &rtcpm_rtc_client_vtbl;
    client->IRTCClientProvisioning2_iface.lpVtbl = &rtcpm_rtc_client_provisioning_vtbl;
    client->IRTCClientPortManagement_iface.lpVtbl = &rtcpm_rtc_client_pm_vtbl;
    client->IConnectionPointContainer_iface.lpVtbl = &rtcpm_rtc_cp_container_vtbl;
    client->ref = 1;
    InitializeCriticalSection(&client->cs);
    client->state = RTC_CLIENT_CREATED;
    rtcpm_rtc_cp_init(&client->cp_notify, client, &IID_IRTCEventNotification);
    rtcpm_rtc_cp_init(&client->cp_dispatch, client, &DIID_IRTCDispatchEventNotification);
    rtcpm_rtc_prefs_init(&client->prefs);
    rtcpm_com_object_created();
    if (FAILED(hr = rtcpm_host_create_client("0.0.0.0", &client->host)))
    {
        client_destroy(client);
        return hr;
    }
    hr = IRTCClient2_QueryInterface(&client->IRTCClient2_iface, riid, out);
    IRTCClient2_Release(&client->IRTCClient2_iface);
    return hr;
}
