/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client_media.c — IRTCClient2's media and device preferences, and its methods rtcpm does not
 * implement.
 *
 * rtcpm's media is RTP G.711 PCMU silence (README "RTC Client API"): there are no devices to
 * apply a preference to yet. The setters therefore check their arguments, store the value and
 * the getters return what was set (a later audio layer reads them): media types, volume,
 * mute, audio and video device, preferred volume, AEC, bitrate, trade-off, listen mode,
 * answer mode, security level, allowed ports, client name/version.
 * Not implemented, E_NOTIMPL (never a silent S_OK): get_NetworkAddresses, get_IVideoWindow,
 * get_ActiveMedia, get_NetworkQuality, StartT120Applet, StopT120Applets,
 * get_IsT120AppletRunning, PlayRing, InvokeTuningWizard, InvokeTuningWizardEx,
 * get_IsTuned, get_Version, CreateSessionWithDescription, SetSessionDescriptionManager.
 */
#include <stdlib.h>
#include "rtc/client_private.h"

void rtcpm_rtc_prefs_init(struct rtc_prefs *p)
{
    int i;

    p->media_types = RTCMT_AUDIO_SEND | RTCMT_AUDIO_RECEIVE;
    for (i = 0; i < 2; i++)
    {
        p->volume[i] = p->preferred_volume[i] = 0x8000;
        p->muted[i] = VARIANT_FALSE;
        p->security[i] = RTCSECL_SUPPORTED;
    }
    p->aec = VARIANT_TRUE;
    p->listen = RTCLM_NONE;
    for (i = 0; i <= RTCST_APPLICATION; i++) p->answer[i] = RTCAM_OFFER_SESSION_EVENT;
    for (i = 0; i < 3; i++) p->allowed_ports[i] = RTCLM_NONE;
}

void rtcpm_rtc_prefs_clear(struct rtc_prefs *p)
{
    SysFreeString(p->audio_device[0]);
    SysFreeString(p->audio_device[1]);
    SysFreeString(p->video_device);
    SysFreeString(p->client_name);
    SysFreeString(p->client_curver);
}

/* The client, locked, when it is running; else NULL with *hr saying why. */
static struct rtc_client *lock_running(IRTCClient2 *iface, HRESULT *hr)
{
    struct rtc_client *client = rtc_client_from_IRTCClient2(iface);

    EnterCriticalSection(&client->cs);
    if (SUCCEEDED(*hr = rtcpm_rtc_client_check_running(client))) return client;
    LeaveCriticalSection(&client->cs);
    return NULL;
}

/* Sets a preference under the lock; then (evaluated with c_, the client, after the lock is left)
 * is what the setter returns: S_OK, or the call that brings the new value to running calls. */
#define PREF_PUT_THEN(expr_valid, field, value, then)                                                                  \
    do {                                                                                                               \
        HRESULT hr_;                                                                                                   \
        struct rtc_client *c_;                                                                                         \
        if (!(expr_valid)) return E_INVALIDARG;                                                                        \
        if (!(c_ = lock_running(iface, &hr_))) return hr_;                                                             \
        c_->prefs.field = (value);                                                                                     \
        LeaveCriticalSection(&c_->cs);                                                                                 \
        return (then);                                                                                                 \
    } while (0)
#define PREF_PUT(expr_valid, field, value) PREF_PUT_THEN(expr_valid, field, value, S_OK)

#define PREF_GET(expr_valid, out, field)                                                                               \
    do {                                                                                                               \
        HRESULT hr_;                                                                                                   \
        struct rtc_client *c_;                                                                                         \
        if (!(out)) return E_POINTER;                                                                                  \
        if (!(expr_valid)) return E_INVALIDARG;                                                                        \
        if (!(c_ = lock_running(iface, &hr_))) return hr_;                                                             \
        *(out) = c_->prefs.field;                                                                                      \
        LeaveCriticalSection(&c_->cs);                                                                                 \
        return S_OK;                                                                                                   \
    } while (0)

#define DEVICE_OK(d) ((unsigned)(d) <= RTCAD_MICROPHONE)

HRESULT WINAPI rtcpm_rtc_client_SetPreferredMediaTypes(IRTCClient2 *iface, LONG types, VARIANT_BOOL persistent)
{
    RTC_TRACE("(%p)->(%ld, %d)", (void *)iface, (long)types, (int)persistent);
    (void)persistent; /* nothing persists across processes in rtcpm */
    PREF_PUT(!(types & ~(LONG)RTCMT_ALL), media_types, types);
}

HRESULT WINAPI rtcpm_rtc_client_get_PreferredMediaTypes(IRTCClient2 *iface, LONG *types)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)types);
    PREF_GET(1, types, media_types);
}

HRESULT WINAPI rtcpm_rtc_client_get_MediaCapabilities(IRTCClient2 *iface, LONG *types)
{
    HRESULT hr;
    struct rtc_client *client;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)types);
    if (!types) return E_POINTER;
    if (!(client = lock_running(iface, &hr))) return hr;
    LeaveCriticalSection(&client->cs);
    /* what a call negotiates: G.711 audio both ways (rtcpm sends silence for now) */
    *types = RTCMT_AUDIO_SEND | RTCMT_AUDIO_RECEIVE;
    return S_OK;
}

HRESULT WINAPI rtcpm_rtc_client_put_ListenForIncomingSessions(IRTCClient2 *iface, RTC_LISTEN_MODE mode)
{
    RTC_TRACE("(%p)->(%d)", (void *)iface, (int)mode);
    /* the worker (re)starts the listeners */
    PREF_PUT_THEN((unsigned)mode <= RTCLM_BOTH, listen, mode, rtcpm_rtc_listen_update(c_));
}

HRESULT WINAPI rtcpm_rtc_client_get_ListenForIncomingSessions(IRTCClient2 *iface, RTC_LISTEN_MODE *mode)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)mode);
    PREF_GET(1, mode, listen);
}

HRESULT WINAPI rtcpm_rtc_client_put_Volume(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, LONG volume)
{
    struct rtc_client *client;
    HRESULT hr;

    RTC_TRACE("(%p)->(%d, %ld)", (void *)iface, (int)device, (long)volume);
    if (!DEVICE_OK(device) || volume < 0 || volume > 0xffff) return E_INVALIDARG;
    if (!(client = lock_running(iface, &hr))) return hr;
    client->prefs.volume[device] = volume;
    client->prefs.volume_set[device] = 1;
    LeaveCriticalSection(&client->cs);
    return rtcpm_rtc_media_apply_prefs(client); /* every running call's gain */
}

HRESULT WINAPI rtcpm_rtc_client_get_Volume(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, LONG *volume)
{
    RTC_TRACE("(%p)->(%d, %p)", (void *)iface, (int)device, (void *)volume);
    PREF_GET(DEVICE_OK(device), volume, volume[device]);
}

HRESULT WINAPI rtcpm_rtc_client_put_AudioMuted(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, VARIANT_BOOL muted)
{
    RTC_TRACE("(%p)->(%d, %d)", (void *)iface, (int)device, (int)muted);
    /* a muted microphone sends silence */
    PREF_PUT_THEN(DEVICE_OK(device), muted[device], muted ? VARIANT_TRUE : VARIANT_FALSE,
                  rtcpm_rtc_media_apply_prefs(c_));
}

HRESULT WINAPI rtcpm_rtc_client_get_AudioMuted(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, VARIANT_BOOL *muted)
{
    RTC_TRACE("(%p)->(%d, %p)", (void *)iface, (int)device, (void *)muted);
    PREF_GET(DEVICE_OK(device), muted, muted[device]);
}

HRESULT WINAPI rtcpm_rtc_client_put_PreferredVolume(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, LONG volume)
{
    RTC_TRACE("(%p)->(%d, %ld)", (void *)iface, (int)device, (long)volume);
    PREF_PUT(DEVICE_OK(device) && volume >= 0 && volume <= 0xffff, preferred_volume[device], volume);
}

HRESULT WINAPI rtcpm_rtc_client_get_PreferredVolume(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, LONG *volume)
{
    RTC_TRACE("(%p)->(%d, %p)", (void *)iface, (int)device, (void *)volume);
    PREF_GET(DEVICE_OK(device), volume, preferred_volume[device]);
}

HRESULT WINAPI rtcpm_rtc_client_put_PreferredAEC(IRTCClient2 *iface, VARIANT_BOOL enable)
{
    RTC_TRACE("(%p)->(%d)", (void *)iface, (int)enable);
    PREF_PUT(1, aec, enable ? VARIANT_TRUE : VARIANT_FALSE);
}

HRESULT WINAPI rtcpm_rtc_client_get_PreferredAEC(IRTCClient2 *iface, VARIANT_BOOL *enabled)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)enabled);
    PREF_GET(1, enabled, aec);
}

HRESULT WINAPI rtcpm_rtc_client_put_MaxBitrate(IRTCClient2 *iface, LONG bitrate)
{
    RTC_TRACE("(%p)->(%ld)", (void *)iface, (long)bitrate);
    PREF_PUT(bitrate >= 0, max_bitrate, bitrate);
}

HRESULT WINAPI rtcpm_rtc_client_get_MaxBitrate(IRTCClient2 *iface, LONG *bitrate)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)bitrate);
    PREF_GET(1, bitrate, max_bitrate);
}

HRESULT WINAPI rtcpm_rtc_client_put_TemporalSpatialTradeOff(IRTCClient2 *iface, LONG value)
{
    RTC_TRACE("(%p)->(%ld)", (void *)iface, (long)value);
    PREF_PUT(value >= 0 && value <= 255, tradeoff, value);
}

HRESULT WINAPI rtcpm_rtc_client_get_TemporalSpatialTradeOff(IRTCClient2 *iface, LONG *value)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)value);
    PREF_GET(1, value, tradeoff);
}

HRESULT WINAPI rtcpm_rtc_client_put_AnswerMode(IRTCClient2 *iface, RTC_SESSION_TYPE type, RTC_ANSWER_MODE mode)
{
    RTC_TRACE("(%p)->(%d, %d)", (void *)iface, (int)type, (int)mode);
    PREF_PUT((unsigned)type <= RTCST_APPLICATION && (unsigned)mode <= RTCAM_NOT_SUPPORTED, answer[type], mode);
}

HRESULT WINAPI rtcpm_rtc_client_get_AnswerMode(IRTCClient2 *iface, RTC_SESSION_TYPE type, RTC_ANSWER_MODE *mode)
{
    RTC_TRACE("(%p)->(%d, %p)", (void *)iface, (int)type, (void *)mode);
    PREF_GET((unsigned)type <= RTCST_APPLICATION, mode, answer[type]);
}

HRESULT WINAPI rtcpm_rtc_client_put_PreferredSecurityLevel(IRTCClient2 *iface, RTC_SECURITY_TYPE type,
                                                           RTC_SECURITY_LEVEL level)
{
    RTC_TRACE("(%p)->(%d, %d)", (void *)iface, (int)type, (int)level);
    PREF_PUT((unsigned)type <= RTCSECT_T120_MEDIA_ENCRYPTION && level >= RTCSECL_UNSUPPORTED &&
                 level <= RTCSECL_REQUIRED,
             security[type], level);
}

HRESULT WINAPI rtcpm_rtc_client_get_PreferredSecurityLevel(IRTCClient2 *iface, RTC_SECURITY_TYPE type,
                                                           RTC_SECURITY_LEVEL *level)
{
    RTC_TRACE("(%p)->(%d, %p)", (void *)iface, (int)type, (void *)level);
    PREF_GET((unsigned)type <= RTCSECT_T120_MEDIA_ENCRYPTION, level, security[type]);
}

/* RTCTR_UDP / RTCTR_TCP / RTCTR_TLS -> 0 / 1 / 2, else -1. */
static int transport_index(LONG transport)
{
    return transport == RTCTR_UDP ? 0 : transport == RTCTR_TCP ? 1 : transport == RTCTR_TLS ? 2 : -1;
}

HRESULT WINAPI rtcpm_rtc_client_put_AllowedPorts(IRTCClient2 *iface, LONG transport, RTC_LISTEN_MODE mode)
{
    int t = transport_index(transport);
    RTC_TRACE("(%p)->(%ld, %d)", (void *)iface, (long)transport, (int)mode);
    PREF_PUT(t >= 0 && (unsigned)mode <= RTCLM_BOTH, allowed_ports[t < 0 ? 0 : t], mode);
}

HRESULT WINAPI rtcpm_rtc_client_get_AllowedPorts(IRTCClient2 *iface, LONG transport, RTC_LISTEN_MODE *mode)
{
    int t = transport_index(transport);
    RTC_TRACE("(%p)->(%ld, %p)", (void *)iface, (long)transport, (void *)mode);
    PREF_GET(t >= 0, mode, allowed_ports[t < 0 ? 0 : t]);
}

/* ---- BSTR preferences ---------------------------------------------------------------------- */

static HRESULT put_bstr_pref(IRTCClient2 *iface, BSTR *(*field)(struct rtc_client *, int), int index, BSTR value)
{
    BSTR copy = SysAllocStringLen(value, SysStringLen(value)), *slot;
    struct rtc_client *client;
    HRESULT hr;

    if (!copy) return E_OUTOFMEMORY;
    if (!(client = lock_running(iface, &hr)))
    {
        SysFreeString(copy);
        return hr;
    }
    slot = field(client, index);
    value = *slot;
    *slot = copy;
    LeaveCriticalSection(&client->cs);
    SysFreeString(value);
    return S_OK;
}

static HRESULT get_bstr_pref(IRTCClient2 *iface, BSTR *(*field)(struct rtc_client *, int), int index, BSTR *out)
{
    struct rtc_client *client;
    HRESULT hr;
    BSTR *slot;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!(client = lock_running(iface, &hr))) return hr;
    slot = field(client, index);
    *out = SysAllocStringLen(*slot, SysStringLen(*slot));
    LeaveCriticalSection(&client->cs);
    return *out ? S_OK : E_OUTOFMEMORY;
}

static BSTR *audio_device_field(struct rtc_client *c, int i) { return &c->prefs.audio_device[i]; }

static BSTR *video_device_field(struct rtc_client *c, int i)
{
    (void)i;
    return &c->prefs.video_device;
}

static BSTR *client_name_field(struct rtc_client *c, int i)
{
    return i ? &c->prefs.client_curver : &c->prefs.client_name;
}

HRESULT WINAPI rtcpm_rtc_client_put_PreferredAudioDevice(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, BSTR name)
{
    RTC_TRACE("(%p)->(%d, %s)", (void *)iface, (int)device, rtcpm_debugstr_w(name));
    if (!DEVICE_OK(device)) return E_INVALIDARG;
    return put_bstr_pref(iface, audio_device_field, device, name);
}

HRESULT WINAPI rtcpm_rtc_client_get_PreferredAudioDevice(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, BSTR *name)
{
    RTC_TRACE("(%p)->(%d, %p)", (void *)iface, (int)device, (void *)name);
    if (name) *name = NULL;
    if (!DEVICE_OK(device)) return name ? E_INVALIDARG : E_POINTER;
    return get_bstr_pref(iface, audio_device_field, device, name);
}

HRESULT WINAPI rtcpm_rtc_client_put_PreferredVideoDevice(IRTCClient2 *iface, BSTR name)
{
    RTC_TRACE("(%p)->(%s)", (void *)iface, rtcpm_debugstr_w(name));
    return put_bstr_pref(iface, video_device_field, 0, name);
}

HRESULT WINAPI rtcpm_rtc_client_get_PreferredVideoDevice(IRTCClient2 *iface, BSTR *name)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)name);
    return get_bstr_pref(iface, video_device_field, 0, name);
}

HRESULT WINAPI rtcpm_rtc_client_put_ClientName(IRTCClient2 *iface, BSTR name)
{
    RTC_TRACE("(%p)->(%s)", (void *)iface, rtcpm_debugstr_w(name));
    return put_bstr_pref(iface, client_name_field, 0, name);
}

HRESULT WINAPI rtcpm_rtc_client_put_ClientCurVer(IRTCClient2 *iface, BSTR version)
{
    RTC_TRACE("(%p)->(%s)", (void *)iface, rtcpm_debugstr_w(version));
    return put_bstr_pref(iface, client_name_field, 1, version);
}

/* ---- not implemented ------------------------------------------------------------------------ */

HRESULT WINAPI rtcpm_rtc_client_get_NetworkAddresses(IRTCClient2 *iface, VARIANT_BOOL tcp, VARIANT_BOOL external,
                                                     VARIANT *addresses)
{
    RTC_TRACE("(%p)->(%d, %d, %p)", (void *)iface, (int)tcp, (int)external, (void *)addresses);
    (void)iface, (void)tcp, (void)external;
    if (addresses) VariantInit(addresses);
    return E_NOTIMPL;
}

HRESULT WINAPI rtcpm_rtc_client_get_IVideoWindow(IRTCClient2 *iface, RTC_VIDEO_DEVICE device, IVideoWindow **window)
{
    RTC_TRACE("(%p)->(%d, %p)", (void *)iface, (int)device, (void *)window);
    (void)iface, (void)device;
    if (window) *window = NULL;
    return E_NOTIMPL;
}

HRESULT WINAPI rtcpm_rtc_client_get_ActiveMedia(IRTCClient2 *iface, LONG *types)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)types);
    if (types) *types = 0;
    return E_NOTIMPL;
}

HRESULT WINAPI rtcpm_rtc_client_get_NetworkQuality(IRTCClient2 *iface, LONG *quality)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)quality);
    if (quality) *quality = 0;
    return E_NOTIMPL;
}

HRESULT WINAPI rtcpm_rtc_client_StartT120Applet(IRTCClient2 *iface, RTC_T120_APPLET applet)
{
    RTC_TRACE("(%p)->(%d)", (void *)iface, (int)applet);
    (void)iface, (void)applet;
    return E_NOTIMPL;
}

HRESULT WINAPI rtcpm_rtc_client_StopT120Applets(IRTCClient2 *iface)
{
    RTC_TRACE("(%p)", (void *)iface);
    return E_NOTIMPL;
}

HRESULT WINAPI rtcpm_rtc_client_get_IsT120AppletRunning(IRTCClient2 *iface, RTC_T120_APPLET applet,
                                                        VARIANT_BOOL *running)
{
    RTC_TRACE("(%p)->(%d, %p)", (void *)iface, (int)applet, (void *)running);
    (void)iface, (void)applet;
    if (running) *running = VARIANT_FALSE;
    return E_NOTIMPL;
}

HRESULT WINAPI rtcpm_rtc_client_PlayRing(IRTCClient2 *iface, RTC_RING_TYPE type, VARIANT_BOOL play)
{
    RTC_TRACE("(%p)->(%d, %d)", (void *)iface, (int)type, (int)play);
    (void)iface, (void)type, (void)play;
    return E_NOTIMPL;
}

/* An RFC 4733 telephone-event on every call whose media runs (none running: nothing sent). */
HRESULT WINAPI rtcpm_rtc_client_SendDTMF(IRTCClient2 *iface, RTC_DTMF dtmf)
{
    struct rtc_client *client;
    HRESULT hr;

    RTC_TRACE("(%p)->(%d)", (void *)iface, (int)dtmf);
    if ((unsigned)dtmf > RTC_DTMF_FLASH) return E_INVALIDARG;
    if (!(client = lock_running(iface, &hr))) return hr;
    LeaveCriticalSection(&client->cs);
    return rtcpm_rtc_media_send_dtmf(client, dtmf);
}

HRESULT WINAPI rtcpm_rtc_client_InvokeTuningWizard(IRTCClient2 *iface, OAHWND parent)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)(ULONG_PTR)parent);
    (void)iface, (void)parent;
    return E_NOTIMPL;
}

HRESULT WINAPI rtcpm_rtc_client_get_IsTuned(IRTCClient2 *iface, VARIANT_BOOL *tuned)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)tuned);
    if (tuned) *tuned = VARIANT_FALSE;
    return E_NOTIMPL;
}

HRESULT WINAPI rtcpm_rtc_client_InvokeTuningWizardEx(IRTCClient2 *iface, OAHWND parent, VARIANT_BOOL audio,
                                                     VARIANT_BOOL video)
{
    RTC_TRACE("(%p)->(%p, %d, %d)", (void *)iface, (void *)(ULONG_PTR)parent, (int)audio, (int)video);
    (void)iface, (void)parent, (void)audio, (void)video;
    return E_NOTIMPL;
}

HRESULT WINAPI rtcpm_rtc_client_get_Version(IRTCClient2 *iface, LONG *version)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)version);
    if (version) *version = 0;
    return E_NOTIMPL;
}

HRESULT WINAPI rtcpm_rtc_client_CreateSessionWithDescription(IRTCClient2 *iface, BSTR content_type, BSTR description,
                                                             IRTCProfile *profile, LONG flags, IRTCSession2 **out)
{
    RTC_TRACE("(%p)->(%s, %s, %p, %ld, %p)", (void *)iface, rtcpm_debugstr_w(content_type),
              rtcpm_debugstr_w(description), (void *)profile, (long)flags, (void *)out);
    (void)iface, (void)content_type, (void)description, (void)profile, (void)flags;
    if (out) *out = NULL;
    return E_NOTIMPL;
}

HRESULT WINAPI rtcpm_rtc_client_SetSessionDescriptionManager(IRTCClient2 *iface, IRTCSessionDescriptionManager *manager)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)manager);
    (void)iface, (void)manager;
    return E_NOTIMPL;
}
