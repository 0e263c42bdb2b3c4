/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * session.c — the RTC session object's port management: IRTCSessionPortManagement, and the
 * call it drives.
 *
 * IRTCSessionPortManagement::SetPortManager (learn.microsoft.com aa921672 / ms775780):
 *   "A null pointer is allowed." "This method can be called multiple times when the session
 *   is idle. A session is idle when the session has been created but the participants have
 *   not been added to the session. Each successful call to SetPortManager overwrites the
 *   previous IRTCPortManager callback interface. The method returns an error if it is called
 *   when the session is not idle." Return values: E_FAIL "The interface has not been
 *   successfully set", RTC_E_INVALID_SESSION_TYPE (rtcpm has one session type).
 * "Address Mapping" (ms775256): the port manager must be set "before the session is
 *   initiated with the IRTCSession::AddParticipant method" — rtcpm_host_session_call is that
 *   moment: the port manager in place then is the one the call uses to its end.
 * NULL: the documented "null pointer is allowed" is read as "no port manager of the
 *   session's own": the call then uses the profile's (RTC 1.5 profiles have one), else local
 *   addresses, which is RTC's behaviour when SetPortManager was never called.
 *
 * The session aggregates the free-threaded marshaler: any apartment calls it directly. Port
 * managers are kept in host_pm_refs (pm_ref.h): called directly in the apartment that set
 * them, through rtcpm_ps.dll's proxy from any other; the call's own reference lets it be
 * hung up from another apartment.
 */
#define COBJMACROS
#include <stdlib.h>
#include <string.h>
#include "host/host_objects.h"
#include "com/com.h"
#include "com/ftm.h"
#include "com/log.h"

enum session_state
{
    SESSION_IDLE,
    SESSION_CONNECTING, /* a thread is asking the port manager for the call's mappings */
    SESSION_CONNECTED,
    SESSION_UPDATING,     /* connected; a thread is telling the port manager a new remote */
    SESSION_DISCONNECTING /* a thread is releasing the mappings */
};

struct host_session
{
    IRTCSessionPortManagement IRTCSessionPortManagement_iface;
    LONG ref;
    struct com_ftm ftm;
    struct rtcpm_lock lock;
    struct host_client *client;   /* referenced */
    struct host_profile *profile; /* referenced; NULL = none */
    char peer_uri[HOST_URI_MAX];
    char peer_text[RTCPM_ADDR_TEXT_SIZE];
    LONG peer_port;
    LONG transport;
    const char *user; /* the profile's user part, "" without a profile */
    int secure;
    struct host_pm_ref *pm; /* the session's own; referenced; NULL = none */
    enum session_state state;
    unsigned media;         /* of the call in progress */
    struct driver_set call; /* valid from CONNECTED to DISCONNECTING */
};

static const IRTCSessionPortManagementVtbl session_vtbl;

static inline struct host_session *impl_from_IRTCSessionPortManagement(IRTCSessionPortManagement *iface)
{
    return CONTAINING_RECORD(iface, struct host_session, IRTCSessionPortManagement_iface);
}

static struct host_session *unsafe_impl_from_IRTCSessionPortManagement(IRTCSessionPortManagement *iface)
{
    return iface && iface->lpVtbl == &session_vtbl ? impl_from_IRTCSessionPortManagement(iface) : NULL;
}

static const struct com_iface_entry session_ifaces[] = {
    { &IID_IRTCSessionPortManagement, offsetof(struct host_session, IRTCSessionPortManagement_iface) },
};

static HRESULT WINAPI session_QueryInterface(IRTCSessionPortManagement *iface, REFIID riid, void **out)
{
    struct host_session *session = impl_from_IRTCSessionPortManagement(iface);
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    hr = rtcpm_com_query_interface(session, session_ifaces, ARRAY_SIZE(session_ifaces), riid, out);
    if (hr == E_NOINTERFACE) hr = rtcpm_com_ftm_query_interface(&session->ftm, riid, out);
    return hr;
}

static ULONG WINAPI session_AddRef(IRTCSessionPortManagement *iface)
{
    LONG ref = com_ref_inc(&impl_from_IRTCSessionPortManagement(iface)->ref);
    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p) ref=%ld", (void *)iface, (long)ref);
    return (ULONG)ref;
}

static ULONG WINAPI session_Release(IRTCSessionPortManagement *iface)
{
    struct host_session *session = impl_from_IRTCSessionPortManagement(iface);
    LONG ref = com_ref_dec(&session->ref);
    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p) ref=%ld", (void *)iface, (long)ref);

    if (!ref)
    {
        /* The last reference: no other thread is inside; a call still up is hung up. */
        rtcpm_driver_set_release(&session->call);
        rtcpm_host_pm_ref_release(session->pm);
        if (session->profile) rtcpm_host_profile_release(session->profile);
        rtcpm_host_client_release(session->client);
        rtcpm_com_ftm_release(&session->ftm);
        rtcpm_lock_destroy(&session->lock);
        free(session);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT WINAPI session_SetPortManager(IRTCSessionPortManagement *iface, IRTCPortManager *pm)
{
    struct host_session *session = impl_from_IRTCSessionPortManagement(iface);
    struct host_pm_ref *fresh = NULL, *old;
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p)->(%p)", (void *)iface, (void *)pm);
    /* Registered and released outside the lock: either may call into the port manager's
     * apartment, whose thread may be waiting for this lock. */
    if (pm && FAILED(hr = rtcpm_host_pm_ref_create(pm, &fresh))) return hr;
    hr = S_OK;
    rtcpm_lock_acquire(&session->lock);
    if (session->state != SESSION_IDLE)
    {
        hr = E_FAIL;
        old = fresh;
    }
    else
    {
        old = session->pm;
        session->pm = fresh;
    }
    rtcpm_lock_release(&session->lock);
    rtcpm_host_pm_ref_release(old);
    RTCPM_TRACE(RTCPM_LOG_HOST, "session %p pm %p -> %#lx", (void *)session, (void *)pm, (unsigned long)(ULONG)hr);
    return hr;
}

static const IRTCSessionPortManagementVtbl session_vtbl = {
    session_QueryInterface,
    session_AddRef,
    session_Release,
    session_SetPortManager,
};

static int peer_uri_valid(const char *uri)
{
    char user[SIP_TEXT_USER_MAX + 1];
    int secure;
    const char *p;

    if (strlen(uri) >= HOST_URI_MAX) return 0;
    if (!strncmp(uri, "tel:", 4))
    {
        if (!uri[4]) return 0;
        for (p = uri + 4; *p; p++)
            if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"' || *p == 0x7f) return 0;
        return 1;
    }
    return SUCCEEDED(rtcpm_sip_text_parse_uri(uri, &secure, user, sizeof(user)));
}

HRESULT rtcpm_host_create_session(IRTCClientPortManagement *client_iface, IRTCProfilePortManagement *profile_iface,
                                  const char *peer_uri, const char *peer_address, LONG peer_port, LONG transport,
                                  IRTCSessionPortManagement **out)
{
    struct host_client *client;
    struct host_profile *profile = NULL;
    struct host_session *session;
    rtcpm_addr peer;
    const char *user = "";
    int secure = 0;
    LONG profile_transport = RTCTR_UDP;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!client_iface || !peer_uri || !peer_address) return E_POINTER;
    if (!(client = rtcpm_unsafe_impl_from_IRTCClientPortManagement(client_iface))) return E_INVALIDARG;
    if (profile_iface)
    {
        if (!(profile = rtcpm_unsafe_impl_from_IRTCProfilePortManagement(profile_iface))) return E_INVALIDARG;
        rtcpm_host_profile_identity(profile, &user, &secure, &profile_transport);
    }
    if (!peer_uri_valid(peer_uri)) return E_INVALIDARG;
    if (rtcpm_addr_parse(peer_address, strlen(peer_address), &peer) != RTCPM_ADDR_OK) return E_INVALIDARG;
    if (!transport) transport = profile_transport;
    if (!rtcpm_host_transport_valid(transport)) return E_INVALIDARG;
    if (!peer_port) peer_port = rtcpm_host_default_sip_port(transport);
    if (peer_port < 1 || peer_port > 65535) return E_INVALIDARG;

    session = calloc(1, sizeof(*session));
    if (!session) return E_OUTOFMEMORY;
    session->IRTCSessionPortManagement_iface.lpVtbl = &session_vtbl;
    session->ref = 1;
    if (FAILED(hr = rtcpm_com_ftm_aggregate(&session->ftm, (IUnknown *)&session->IRTCSessionPortManagement_iface)))
    {
        free(session);
        return hr;
    }
    rtcpm_lock_init(&session->lock);
    rtcpm_host_client_addref(client);
    session->client = client;
    if (profile) rtcpm_host_profile_addref(profile);
    session->profile = profile;
    strcpy(session->peer_uri, peer_uri);
    rtcpm_addr_format(&peer, session->peer_text, sizeof(session->peer_text));
    session->peer_port = peer_port;
    session->transport = transport;
    session->user = user;
    session->secure = secure;
    session->state = SESSION_IDLE;
    rtcpm_com_object_created();
    *out = &session->IRTCSessionPortManagement_iface;
    return S_OK;
}

/* Moves the session from `from` to `to` under its lock; 0 when it was not in `from`. */
static int transition(struct host_session *session, enum session_state from, enum session_state to)
{
    int ok;
    rtcpm_lock_acquire(&session->lock);
    ok = session->state == from;
    if (ok) session->state = to;
    rtcpm_lock_release(&session->lock);
    return ok;
}

static void set_state(struct host_session *session, enum session_state to)
{
    rtcpm_lock_acquire(&session->lock);
    session->state = to;
    rtcpm_lock_release(&session->lock);
}

/* The mappings a call asks for, into req[]: SIP on the session's transport, then RTP and
 * RTCP for audio (and video), all towards the peer. Returns how many (3 or 5). */
static int call_requests(struct host_session *session, unsigned media, struct driver_request req[DRIVER_MAX_MAPPINGS])
{
    rtcpm_addr local_sip, local_media[4];
    int n, i;

    rtcpm_host_client_local_sip(session->client, &local_sip);
    rtcpm_host_client_local_media(session->client, local_media);
    memset(req, 0, sizeof(*req) * DRIVER_MAX_MAPPINGS);
    req[0].type = RTCPT_SIP;
    req[0].transport = session->transport;
    req[0].remote_port = session->peer_port;
    req[0].local = local_sip;
    n = media & RTCPM_HOST_MEDIA_VIDEO ? 5 : 3;
    for (i = 1; i < n; i++)
    {
        req[i].type = (RTC_PORT_TYPE)(RTCPT_AUDIO_RTP + (i - 1)); /* AUDIO_RTP, AUDIO_RTCP, VIDEO_RTP, VIDEO_RTCP */
        req[i].transport = RTCTR_UDP;
        req[i].remote_port = 0; /* the peer's media port comes with its answer */
        req[i].local = local_media[i - 1];
    }
    for (i = 0; i < n; i++) req[i].remote = session->peer_text;
    return n;
}

HRESULT rtcpm_host_session_call(IRTCSessionPortManagement *iface, unsigned media)
{
    struct host_session *session;
    struct driver_request req[DRIVER_MAX_MAPPINGS];
    struct driver_set set;
    struct host_pm_ref *ref;
    IRTCPortManager *pm = NULL;
    int n;
    HRESULT hr = S_OK;

    if (!iface) return E_POINTER;
    if (!(session = unsafe_impl_from_IRTCSessionPortManagement(iface))) return E_INVALIDARG;
    if (!(media & RTCPM_HOST_MEDIA_AUDIO) || (media & ~(unsigned)(RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO)))
        return E_INVALIDARG;

    rtcpm_lock_acquire(&session->lock);
    if (session->state != SESSION_IDLE)
    {
        rtcpm_lock_release(&session->lock);
        return RTC_E_INVALID_SESSION_STATE;
    }
    session->state = SESSION_CONNECTING; /* from here SetPortManager answers E_FAIL */
    ref = session->pm;
    rtcpm_host_pm_ref_addref(ref);
    rtcpm_lock_release(&session->lock);
    if (!ref && session->profile) ref = rtcpm_host_profile_port_manager(session->profile);
    /* A pointer valid on this thread, had without any lock held (pm_ref.h). */
    if (ref) hr = rtcpm_host_pm_ref_get(ref, &pm);
    rtcpm_host_pm_ref_release(ref);

    n = call_requests(session, media, req);
    if (SUCCEEDED(hr)) hr = rtcpm_driver_set_acquire(&set, pm, req, n);
    if (pm) IRTCPortManager_Release(pm);

    rtcpm_lock_acquire(&session->lock);
    if (SUCCEEDED(hr))
    {
        session->call = set;
        session->media = media;
        session->state = SESSION_CONNECTED;
    }
    else
        session->state = SESSION_IDLE;
    rtcpm_lock_release(&session->lock);
    RTCPM_TRACE(RTCPM_LOG_HOST, "session %p call %s media %#x -> %#lx", (void *)session, session->peer_uri, media,
                (unsigned long)(ULONG)hr);
    return hr;
}

HRESULT rtcpm_host_session_update_remote(IRTCSessionPortManagement *iface, enum rtcpm_host_stream stream,
                                         const char *address, LONG port, LONG rtcp_port)
{
    struct host_session *session;
    rtcpm_addr check;
    HRESULT hr;

    if (!iface || !address) return E_POINTER;
    if (!(session = unsafe_impl_from_IRTCSessionPortManagement(iface))) return E_INVALIDARG;
    if (rtcpm_addr_parse(address, strlen(address), &check) != RTCPM_ADDR_OK) return E_INVALIDARG;
    if (port < 1 || port > 65535 || rtcp_port < 0 || rtcp_port > 65535) return E_INVALIDARG;
    if (stream != RTCPM_HOST_STREAM_SIP && !rtcp_port)
    {
        if (port == 65535) return E_INVALIDARG;
        rtcp_port = port + 1;
    }
    if (stream != RTCPM_HOST_STREAM_SIP && stream != RTCPM_HOST_STREAM_AUDIO && stream != RTCPM_HOST_STREAM_VIDEO)
        return E_INVALIDARG;
    if (!transition(session, SESSION_CONNECTED, SESSION_UPDATING)) return RTC_E_INVALID_SESSION_STATE;

    /* In UPDATING only this thread touches the mappings' remote fields. */
    switch (stream)
    {
    case RTCPM_HOST_STREAM_SIP: hr = rtcpm_driver_set_update_remote(&session->call, RTCPT_SIP, address, port); break;
    case RTCPM_HOST_STREAM_AUDIO:
        hr = rtcpm_driver_set_update_remote(&session->call, RTCPT_AUDIO_RTP, address, port);
        if (SUCCEEDED(hr)) hr = rtcpm_driver_set_update_remote(&session->call, RTCPT_AUDIO_RTCP, address, rtcp_port);
        break;
    default:
        if (!(session->media & RTCPM_HOST_MEDIA_VIDEO))
            hr = E_INVALIDARG;
        else
        {
            hr = rtcpm_driver_set_update_remote(&session->call, RTCPT_VIDEO_RTP, address, port);
            if (SUCCEEDED(hr))
                hr = rtcpm_driver_set_update_remote(&session->call, RTCPT_VIDEO_RTCP, address, rtcp_port);
        }
        break;
    }
    set_state(session, SESSION_CONNECTED);
    return hr;
}

HRESULT rtcpm_host_session_hangup(IRTCSessionPortManagement *iface)
{
    struct host_session *session;
    struct driver_set set;
    HRESULT hr;

    if (!iface) return E_POINTER;
    if (!(session = unsafe_impl_from_IRTCSessionPortManagement(iface))) return E_INVALIDARG;
    rtcpm_lock_acquire(&session->lock);
    if (session->state == SESSION_IDLE)
    {
        rtcpm_lock_release(&session->lock);
        return S_FALSE;
    }
    if (session->state != SESSION_CONNECTED)
    {
        rtcpm_lock_release(&session->lock);
        return RTC_E_INVALID_SESSION_STATE;
    }
    session->state = SESSION_DISCONNECTING;
    set = session->call;
    memset(&session->call, 0, sizeof(session->call));
    rtcpm_lock_release(&session->lock);

    hr = rtcpm_driver_set_release(&set);
    set_state(session, SESSION_IDLE);
    return FAILED(hr) ? hr : S_OK;
}

/* Text is read while the call's mappings cannot go away: CONNECTED or UPDATING (an update
 * only changes the remote side, which neither the Contact nor the SDP shows). */
static int call_is_up(struct host_session *session)
{
    return session->state == SESSION_CONNECTED || session->state == SESSION_UPDATING;
}

HRESULT rtcpm_host_session_contact(IRTCSessionPortManagement *iface, char *buf, size_t buflen)
{
    struct host_session *session;
    const struct driver_mapping *sip;
    HRESULT hr;

    if (!iface || !buf || !buflen) return E_POINTER;
    buf[0] = 0;
    if (!(session = unsafe_impl_from_IRTCSessionPortManagement(iface))) return E_INVALIDARG;
    rtcpm_lock_acquire(&session->lock);
    if (!call_is_up(session) || !(sip = rtcpm_driver_set_find(&session->call, RTCPT_SIP)))
        hr = RTC_E_INVALID_SESSION_STATE;
    else
        hr = rtcpm_sip_text_contact(session->user, session->secure, &sip->external, session->transport, buf, buflen,
                                    NULL);
    rtcpm_lock_release(&session->lock);
    return hr;
}

HRESULT rtcpm_host_session_sdp(IRTCSessionPortManagement *iface, ULONGLONG session_id, ULONGLONG version, char *buf,
                               size_t buflen)
{
    struct host_session *session;
    const struct driver_mapping *sip, *art, *arc, *vrt, *vrc;
    struct sip_text_sdp in;
    HRESULT hr;

    if (!iface || !buf || !buflen) return E_POINTER;
    buf[0] = 0;
    if (!(session = unsafe_impl_from_IRTCSessionPortManagement(iface))) return E_INVALIDARG;
    rtcpm_lock_acquire(&session->lock);
    sip = rtcpm_driver_set_find(&session->call, RTCPT_SIP);
    art = rtcpm_driver_set_find(&session->call, RTCPT_AUDIO_RTP);
    arc = rtcpm_driver_set_find(&session->call, RTCPT_AUDIO_RTCP);
    vrt = rtcpm_driver_set_find(&session->call, RTCPT_VIDEO_RTP);
    vrc = rtcpm_driver_set_find(&session->call, RTCPT_VIDEO_RTCP);
    if (!call_is_up(session) || !sip || !art || !arc)
        hr = RTC_E_INVALID_SESSION_STATE;
    else
    {
        memset(&in, 0, sizeof(in));
        in.user = session->user;
        in.session_id = session_id;
        in.session_version = version;
        in.origin = &sip->external;
        in.audio_rtp = &art->external;
        in.audio_rtcp = &arc->external;
        in.video_rtp = vrt ? &vrt->external : NULL;
        in.video_rtcp = vrc ? &vrc->external : NULL;
        hr = rtcpm_sip_text_sdp_offer(&in, buf, buflen, NULL);
    }
    rtcpm_lock_release(&session->lock);
    return hr;
}

HRESULT rtcpm_host_session_pm_level(IRTCSessionPortManagement *iface, LONG *level)
{
    struct host_session *session;
    HRESULT hr = S_OK;

    if (level) *level = 0;
    if (!iface || !level) return E_POINTER;
    if (!(session = unsafe_impl_from_IRTCSessionPortManagement(iface))) return E_INVALIDARG;
    rtcpm_lock_acquire(&session->lock);
    if (!call_is_up(session))
        hr = RTC_E_INVALID_SESSION_STATE;
    else
        *level = session->call.level;
    rtcpm_lock_release(&session->lock);
    return hr;
}

HRESULT rtcpm_host_session_mapping(IRTCSessionPortManagement *iface, RTC_PORT_TYPE type, struct rtcpm_host_mapping *out)
{
    struct host_session *session;
    const struct driver_mapping *m;
    HRESULT hr = S_OK;

    if (!iface || !out) return E_POINTER;
    memset(out, 0, sizeof(*out));
    if (!(session = unsafe_impl_from_IRTCSessionPortManagement(iface))) return E_INVALIDARG;
    rtcpm_lock_acquire(&session->lock);
    if (!call_is_up(session))
        hr = RTC_E_INVALID_SESSION_STATE;
    else if (!(m = rtcpm_driver_set_find(&session->call, type)))
        hr = E_INVALIDARG;
    else
        rtcpm_driver_mapping_describe(m, out);
    rtcpm_lock_release(&session->lock);
    return hr;
}
