/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * call_media.c — a call's media stream (src/media) as the RTC client runs it:
 *  - bound to the internal RTP/RTCP addresses of the port manager's answer (or a local pair);
 *  - devices: put_PreferredAudioDevice's names (RTCAD_MICROPHONE -> capture, RTCAD_SPEAKER ->
 *    playback; the names media_stream.h understands), "none" while none is set (silence is
 *    sent; RTCPM_MEDIA_CAPTURE / _PLAYBACK still choose others);
 *  - put_AudioMuted / put_Volume reach every running call (mute sends silence, not nothing);
 *  - the stream's STARTED / STOPPED / FAILED become RTCE_MEDIA events (IRTCMediaEvent: media
 *    type RTCMT_AUDIO_SEND or _RECEIVE, RTCMET_*, RTCMER_*): a device that does not open is
 *    RTCMET_FAILED with RTCMER_BAD_DEVICE, and the call goes on;
 *  - SendDTMF: an RFC 4733 telephone-event on every call whose media runs;
 *  - received telephone-events: RTC 1.x has no event that carries them (RTC_EVENT has none,
 *    RTCE_INFO is SIP INFO's), so each is a line on the rtc trace channel, once it ended
 *    (the media layer reports an event once, whatever the end packet's redundancy).
 */
#include <stdlib.h>
#include <string.h>
#include "rtc/rtc_private.h"
#include "rtc/call_private.h"
#include "rtc/rtc_net.h"
#include "media/telephone_event.h"

/* The media thread: a received telephone-event, said once when it ends (its key and length). */
static void media_dtmf_received(const struct rtcpm_media_event *ev)
{
    if (ev->dtmf_end)
        RTC_TRACE("received DTMF '%c' (duration %lu ms)", rtcpm_tevent_char(ev->dtmf_event),
                  (unsigned long)ev->dtmf_duration / 8);
}

/* The media thread: the stream's event to the application (RTCE_MEDIA), received DTMF logged. */
static void media_event_cb(void *ctx, const struct rtcpm_media_event *ev)
{
    struct rtc_client *client = ctx;
    IDispatch *event;
    LONG type = ev->direction == RTCPM_MEDIA_SEND ? RTCMT_AUDIO_SEND : RTCMT_AUDIO_RECEIVE;

    if (ev->type == RTCPM_MEDIA_EV_DTMF)
    {
        media_dtmf_received(ev);
        return;
    }
    if (ev->type != RTCPM_MEDIA_EV_STARTED && ev->type != RTCPM_MEDIA_EV_STOPPED && ev->type != RTCPM_MEDIA_EV_FAILED)
        return;
    RTC_TRACE("media %ld: type %d reason %d (%s)", (long)type, ev->type, ev->reason, ev->text);
    if (SUCCEEDED(rtcpm_rtc_media_event_create(rtcpm_rtc_client_iface(client), type, (RTC_MEDIA_EVENT_TYPE)ev->type,
                                               (RTC_MEDIA_EVENT_REASON)ev->reason, &event)))
        rtcpm_rtc_client_post_event(client, RTCE_MEDIA, event);
}

/* Mute and volume preferences onto one stream. */
static void apply_prefs(struct rtc_client *client, rtcpm_media_stream *media)
{
    VARIANT_BOOL muted[2];
    LONG volume[2];
    int set[2];

    EnterCriticalSection(&client->cs);
    memcpy(muted, client->prefs.muted, sizeof(muted));
    memcpy(volume, client->prefs.volume, sizeof(volume));
    memcpy(set, client->prefs.volume_set, sizeof(set));
    LeaveCriticalSection(&client->cs);
    rtcpm_media_stream_set_mute(media, RTCPM_MEDIA_SEND, muted[RTCAD_MICROPHONE] != VARIANT_FALSE);
    rtcpm_media_stream_set_mute(media, RTCPM_MEDIA_RECEIVE, muted[RTCAD_SPEAKER] != VARIANT_FALSE);
    /* RTC's 0..0xFFFF; until put_Volume the samples pass unchanged (0xFFFF) */
    rtcpm_media_stream_set_volume(media, RTCPM_MEDIA_SEND, set[RTCAD_MICROPHONE] ? volume[RTCAD_MICROPHONE] : 0xFFFF);
    rtcpm_media_stream_set_volume(media, RTCPM_MEDIA_RECEIVE, set[RTCAD_SPEAKER] ? volume[RTCAD_SPEAKER] : 0xFFFF);
}

HRESULT rtcpm_rtc_call_media_open(struct rtc_call *call, const rtcpm_addr *rtp, const rtcpm_addr *rtcp)
{
    struct rtcpm_media_config cfg;
    char *capture = NULL, *playback = NULL;
    HRESULT hr;

    rtcpm_media_config_init(&cfg);
    EnterCriticalSection(&call->client->cs);
    if (SysStringLen(call->client->prefs.audio_device[RTCAD_MICROPHONE]))
        capture = rtcpm_rtc_strdup_bstr(call->client->prefs.audio_device[RTCAD_MICROPHONE]);
    if (SysStringLen(call->client->prefs.audio_device[RTCAD_SPEAKER]))
        playback = rtcpm_rtc_strdup_bstr(call->client->prefs.audio_device[RTCAD_SPEAKER]);
    LeaveCriticalSection(&call->client->cs);
    cfg.capture_device = capture ? capture : "none";
    cfg.playback_device = playback ? playback : "none";
    cfg.on_event = media_event_cb;
    cfg.ctx = call->client;
    /* RTCPM_MEDIA_WAIT_FOR_REMOTE_MS (README "Media"): how long RTP and RTCP each wait for the
     * remote's first packet before sending anyway; 0 (default): they send from the start */
    cfg.wait_for_remote_ms = (int)rtcpm_rtc_env_ms("RTCPM_MEDIA_WAIT_FOR_REMOTE_MS", 60000, 0);
    if (cfg.wait_for_remote_ms)
        RTC_TRACE("RTP and RTCP wait up to %d ms for the remote's first packet", cfg.wait_for_remote_ms);
    hr = S_OK;
    if (rtcp)
    {
        cfg.local_rtp = *rtp;
        cfg.local_rtcp = *rtcp;
    }
    else
        hr = rtcpm_rtc_bind_rtp_pair(rtp, &cfg.rtp_socket, &cfg.rtcp_socket);
    if (SUCCEEDED(hr)) hr = FAILED(rtcpm_media_stream_create(&call->media, &cfg)) ? RTC_E_INVALID_ADDRESS_LOCAL : S_OK;
    free(capture);
    free(playback);
    if (SUCCEEDED(hr)) apply_prefs(call->client, call->media);
    return hr;
}

/* ---- jobs over every call ----------------------------------------------------------------- */

struct media_job
{
    struct rtc_job job;
    struct rtc_client *client; /* referenced */
    int dtmf;                  /* -1: apply the preferences */
};

static void media_job_run(struct rtc_job *job)
{
    struct media_job *j = CONTAINING_RECORD(job, struct media_job, job);
    struct rtc_client *client = j->client;
    IUnknown **items = NULL;
    size_t i, n = 0;

    EnterCriticalSection(&client->cs);
    if ((items = calloc(client->active.count + 1, sizeof(*items))))
        for (n = 0; n < client->active.count; n++)
        {
            items[n] = client->active.items[n];
            IUnknown_AddRef(items[n]);
        }
    LeaveCriticalSection(&client->cs);
    for (i = 0; i < n; i++)
    {
        struct rtc_call *call = rtc_session_from_IRTCSession((IRTCSession *)items[i])->call;
        HRESULT hr;
        if (call && call->media && !call->over)
        {
            if (j->dtmf < 0)
                apply_prefs(client, call->media);
            else
            {
                hr = rtcpm_media_stream_send_dtmf(call->media, j->dtmf, 0);
                RTC_TRACE("DTMF %d -> %#lx", j->dtmf, (unsigned long)hr);
            }
        }
        IUnknown_Release(items[i]);
    }
    free(items);
    IRTCClient2_Release(&client->IRTCClient2_iface);
    free(j);
}

static HRESULT post_media_job(struct rtc_client *client, int dtmf)
{
    struct media_job *j = calloc(1, sizeof(*j));
    HRESULT hr;
    if (!j) return E_OUTOFMEMORY;
    j->job.run = media_job_run;
    j->client = client;
    j->dtmf = dtmf;
    IRTCClient2_AddRef(&client->IRTCClient2_iface);
    if (FAILED(hr = rtcpm_rtc_client_post_job(client, &j->job)))
    {
        IRTCClient2_Release(&client->IRTCClient2_iface);
        free(j);
    }
    return hr;
}

HRESULT rtcpm_rtc_media_send_dtmf(struct rtc_client *client, RTC_DTMF dtmf)
{
    if ((unsigned)dtmf > RTC_DTMF_FLASH) return E_INVALIDARG;
    return post_media_job(client, (int)dtmf);
}

HRESULT rtcpm_rtc_media_apply_prefs(struct rtc_client *client) { return post_media_job(client, -1); }
