/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * media_stream.c — a media session on real sockets, a thread and sound devices.
 *
 * The stream's thread runs a 20 ms clock (the monotonic clock, not the devices'): between
 * ticks it waits on the RTP socket; at each tick it drains the RTCP socket, sends one frame
 * (captured, or silence), plays one frame (from the jitter buffer), and sends RTCP when due.
 * When the thread falls more than 5 frames behind (a stalled machine) it skips the frames
 * it missed instead of sending a burst: their timestamps pass unused, the receiver sees loss.
 *
 * Every session call happens under the stream's lock; events the session raises are queued
 * there and delivered by the thread with no lock held (so a callback may call back in).
 */
#include "media/media_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/audio_device.h"
#include "media/dtmf_tone.h"
#include "media/media_session.h"
#include "media/media_stream_private.h"
#include "os/os_platform.h"

void rtcpm_media_config_init(struct rtcpm_media_config *cfg)
{
    if (!cfg) return;
    memset(cfg, 0, sizeof(*cfg));
    cfg->codecs.audio_pt = RTCPM_MEDIA_PCMU;
    cfg->codecs.codec = RTCPM_MEDIA_PCMU;
    cfg->codecs.dtmf_pt = 101;
    cfg->codecs.ptime_ms = 20;
    cfg->codecs.send = 1;
    cfg->codecs.receive = 1;
}

static char *dup_or_null(const char *s, int *failed)
{
    if (!s) return NULL;
    char *d = malloc(strlen(s) + 1);
    if (!d)
        *failed = 1;
    else
        strcpy(d, s);
    return d;
}

/* Binds RTP and RTCP (or takes the caller's sockets). */
static HRESULT open_sockets(struct rtcpm_media_stream *s, const struct rtcpm_media_config *cfg)
{
    rtcpm_addr rtp_local = cfg->local_rtp, rtcp_local = cfg->local_rtcp;
    s->rtp = cfg->rtp_socket;
    s->rtcp = cfg->rtcp_socket;
    if (!s->rtp && rtcpm_socket_open(&s->rtp, RTCPM_SOCK_UDP, &rtp_local, NULL)) return RTCPM_MEDIA_E_SOCKET;
    if (s->rtcp) return S_OK;
    if (!rtcp_local.family)
    {
        if (rtcpm_socket_local_addr(s->rtp, &rtcp_local)) return RTCPM_MEDIA_E_SOCKET;
        /* RTP port + 1, unless the RTP port was the OS's choice */
        rtcp_local.port = (cfg->rtp_socket || cfg->local_rtp.port) ? (uint16_t)(rtcp_local.port + 1) : 0;
        if (rtcp_local.port == 0 && (cfg->rtp_socket || cfg->local_rtp.port)) return E_INVALIDARG;
    }
    if (rtcpm_socket_open(&s->rtcp, RTCPM_SOCK_UDP, &rtcp_local, NULL)) return RTCPM_MEDIA_E_SOCKET;
    return S_OK;
}

static HRESULT make_session(struct rtcpm_media_stream *s, const struct rtcpm_media_config *cfg)
{
    struct rtcpm_media_session_init init;
    uint8_t rnd[16];
    char cname[RTCPM_MEDIA_CNAME_MAX], host[64];
    rtcpm_addr local;

    memset(&init, 0, sizeof(init));
    rtcpm_random_bytes(rnd, sizeof(rnd));
    init.ssrc = ((uint32_t)rnd[0] << 24) | ((uint32_t)rnd[1] << 16) | ((uint32_t)rnd[2] << 8) | rnd[3];
    init.seq = (uint16_t)((rnd[4] << 8) | rnd[5]);
    init.timestamp = ((uint32_t)rnd[6] << 24) | ((uint32_t)rnd[7] << 16) | ((uint32_t)rnd[8] << 8) | rnd[9];
    memcpy(&init.random_seed, rnd + 8, sizeof(init.random_seed));
    if (cfg->cname && cfg->cname[0])
        init.cname = cfg->cname;
    else
    {
        if (rtcpm_socket_local_addr(s->rtp, &local) || rtcpm_addr_format(&local, host, sizeof(host)) < 0)
            strcpy(host, "localhost");
        snprintf(cname, sizeof(cname), "rtcpm-%08x@%s", (unsigned)init.ssrc, host);
        init.cname = cname;
    }
    init.now_us = rtcpm_clock_us();
    init.unix_us = (uint64_t)rtcpm_clock_epoch_s() * 1000000u;
    init.codecs = cfg->codecs;
    init.on_event = rtcpm_media_stream_queue_event;
    init.ctx = s;
    init.rtp_timeout_ms = cfg->rtp_timeout_ms;
    return rtcpm_media_session_create(&s->session, &init);
}

HRESULT rtcpm_media_stream_create(struct rtcpm_media_stream **out, const struct rtcpm_media_config *cfg)
{
    HRESULT hr;
    int failed = 0;
    if (!out) return E_POINTER;
    *out = NULL;
    if (!cfg) return E_POINTER;
    struct rtcpm_media_stream *s = calloc(1, sizeof(*s));
    if (!s)
    {
        rtcpm_socket_close(cfg->rtp_socket);
        rtcpm_socket_close(cfg->rtcp_socket);
        return E_OUTOFMEMORY;
    }
    rtcpm_lock_init(&s->lock);
    s->on_event = cfg->on_event;
    s->ctx = cfg->ctx;
    s->volume[0] = s->volume[1] = 0xFFFF;
    s->wait_for_remote_ms = cfg->wait_for_remote_ms > 0 ? cfg->wait_for_remote_ms : 0;
    s->capture_name = dup_or_null(cfg->capture_device, &failed);
    s->playback_name = dup_or_null(cfg->playback_device, &failed);
    hr = failed ? E_OUTOFMEMORY : open_sockets(s, cfg);
    if (SUCCEEDED(hr)) hr = make_session(s, cfg);
    if (FAILED(hr))
    {
        if (!s->rtp) rtcpm_socket_close(cfg->rtp_socket);
        if (!s->rtcp) rtcpm_socket_close(cfg->rtcp_socket);
        rtcpm_media_stream_destroy(s);
        return hr;
    }
    *out = s;
    return S_OK;
}

void rtcpm_media_stream_destroy(struct rtcpm_media_stream *s)
{
    if (!s) return;
    rtcpm_media_stream_stop(s);
    rtcpm_media_session_destroy(s->session);
    rtcpm_socket_close(s->rtp);
    rtcpm_socket_close(s->rtcp);
    free(s->capture_name);
    free(s->playback_name);
    rtcpm_lock_destroy(&s->lock);
    free(s);
}

HRESULT rtcpm_media_stream_local(struct rtcpm_media_stream *s, rtcpm_addr *rtp, rtcpm_addr *rtcp)
{
    if (rtp) memset(rtp, 0, sizeof(*rtp));
    if (rtcp) memset(rtcp, 0, sizeof(*rtcp));
    if (!s || !rtp || !rtcp) return E_POINTER;
    if (rtcpm_socket_local_addr(s->rtp, rtp) || rtcpm_socket_local_addr(s->rtcp, rtcp)) return RTCPM_MEDIA_E_SOCKET;
    return S_OK;
}

HRESULT rtcpm_media_stream_set_remote(struct rtcpm_media_stream *s, const rtcpm_addr *rtp, const rtcpm_addr *rtcp)
{
    rtcpm_addr r = { 0 };
    if (!s || !rtp) return E_POINTER;
    if (!rtp->family || !rtp->port) return E_INVALIDARG;
    if (rtcp && rtcp->family)
    {
        if (!rtcp->port) return E_INVALIDARG;
        r = *rtcp;
    }
    else
    {
        if (rtp->port == 0xFFFF) return E_INVALIDARG;
        r = *rtp;
        r.port = (uint16_t)(rtp->port + 1);
    }
    if (rtp->family != rtcpm_socket_family(s->rtp) || r.family != rtcpm_socket_family(s->rtcp)) return E_INVALIDARG;
    rtcpm_lock_acquire(&s->lock);
    s->remote_rtp = *rtp;
    s->remote_rtcp = r;
    s->have_remote = 1;
    rtcpm_lock_release(&s->lock);
    return S_OK;
}

HRESULT rtcpm_media_stream_set_codecs(struct rtcpm_media_stream *s, const struct rtcpm_media_codecs *codecs)
{
    if (!s || !codecs) return E_POINTER;
    rtcpm_lock_acquire(&s->lock);
    HRESULT hr = rtcpm_media_session_set_codecs(s->session, codecs);
    rtcpm_lock_release(&s->lock);
    return hr;
}

HRESULT rtcpm_media_stream_send_dtmf(struct rtcpm_media_stream *s, int event, int duration_ms)
{
    if (!s) return E_POINTER;
    rtcpm_lock_acquire(&s->lock);
    HRESULT hr = s->running ? rtcpm_media_session_queue_dtmf(s->session, event, duration_ms) : E_UNEXPECTED;
    rtcpm_lock_release(&s->lock);
    return hr;
}

static int dir_index(enum rtcpm_media_direction dir)
{
    return dir == RTCPM_MEDIA_SEND ? 0 : dir == RTCPM_MEDIA_RECEIVE ? 1 : -1;
}

HRESULT rtcpm_media_stream_set_mute(struct rtcpm_media_stream *s, enum rtcpm_media_direction dir, int muted)
{
    int i = dir_index(dir);
    if (!s) return E_POINTER;
    if (i < 0) return E_INVALIDARG;
    rtcpm_lock_acquire(&s->lock);
    s->mute[i] = muted ? 1 : 0;
    rtcpm_lock_release(&s->lock);
    return S_OK;
}

HRESULT rtcpm_media_stream_get_mute(struct rtcpm_media_stream *s, enum rtcpm_media_direction dir, int *muted)
{
    int i = dir_index(dir);
    if (muted) *muted = 0;
    if (!s || !muted) return E_POINTER;
    if (i < 0) return E_INVALIDARG;
    rtcpm_lock_acquire(&s->lock);
    *muted = s->mute[i];
    rtcpm_lock_release(&s->lock);
    return S_OK;
}

HRESULT rtcpm_media_stream_set_volume(struct rtcpm_media_stream *s, enum rtcpm_media_direction dir, long volume)
{
    int i = dir_index(dir);
    if (!s) return E_POINTER;
    if (i < 0 || volume < 0 || volume > 0xFFFF) return E_INVALIDARG;
    rtcpm_lock_acquire(&s->lock);
    s->volume[i] = volume;
    rtcpm_lock_release(&s->lock);
    return S_OK;
}

HRESULT rtcpm_media_stream_get_volume(struct rtcpm_media_stream *s, enum rtcpm_media_direction dir, long *volume)
{
    int i = dir_index(dir);
    if (volume) *volume = 0;
    if (!s || !volume) return E_POINTER;
    if (i < 0) return E_INVALIDARG;
    rtcpm_lock_acquire(&s->lock);
    *volume = s->volume[i];
    rtcpm_lock_release(&s->lock);
    return S_OK;
}

HRESULT rtcpm_media_stream_get_stats(struct rtcpm_media_stream *s, struct rtcpm_media_stats *out)
{
    if (out) memset(out, 0, sizeof(*out));
    if (!s || !out) return E_POINTER;
    rtcpm_lock_acquire(&s->lock);
    rtcpm_media_session_stats(s->session, out);
    out->capture_open = s->capture_opened;
    out->playback_open = s->playback_opened;
    rtcpm_lock_release(&s->lock);
    return S_OK;
}
