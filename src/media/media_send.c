/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * media_send.c — the sending half of a media session: one RTP packet per 20 ms, audio
 * (G.711) or a telephone-event packet in its place.
 *
 * Timestamps advance by 160 per frame whatever goes out (RFC 3550 5.1: the sampling instant),
 * so audio after a telephone-event continues at the right timestamp; every packet sent takes
 * the next sequence number. The first packet of the stream has the marker bit (start of a
 * talkspurt, RFC 3551 4.1).
 */
#include "media/media_session_private.h"

#include <string.h>

#include "media/g711.h"
#include "media/rtp.h"

static size_t write_packet(rtcpm_media_session *s, int pt, int marker, uint32_t ts, const uint8_t *payload, size_t len,
                           uint64_t now_us, uint8_t *buf, size_t cap)
{
    struct rtcpm_rtp_packet p;
    memset(&p, 0, sizeof(p));
    p.marker = marker;
    p.payload_type = pt;
    p.seq = s->seq;
    p.timestamp = ts;
    p.ssrc = s->ssrc;
    p.payload = payload;
    p.payload_len = len;
    int n = rtcpm_rtp_write(&p, buf, cap);
    if (n <= 0) return 0;
    s->seq++;
    s->packets_sent++;
    s->octets_sent += (uint32_t)len;
    s->stats.rtp_sent++;
    s->stats.rtp_octets_sent += len;
    s->last_send_us = now_us;
    s->last_send_ts = s->ts;
    s->sent_any = 1;
    return (size_t)n;
}

size_t rtcpm_media_session_send_frame(rtcpm_media_session *s, const int16_t *pcm, uint64_t now_us, uint8_t *buf,
                                      size_t cap)
{
    uint8_t payload[RTCPM_MEDIA_FRAME_SAMPLES];
    struct rtcpm_tevent ev;
    uint32_t ev_ts;
    int marker;
    size_t n = 0;

    if (s->codecs.send && s->codecs.dtmf_pt >= 0 && rtcpm_tevent_sender_tick(&s->dtmf_out, s->ts, &ev, &marker, &ev_ts))
    {
        rtcpm_tevent_write(&ev, payload);
        n = write_packet(s, s->codecs.dtmf_pt, marker, ev_ts, payload, 4, now_us, buf, cap);
        if (n && marker) s->stats.dtmf_sent++;
    }
    else if (s->codecs.send)
    {
        rtcpm_g711_encode(s->codecs.codec, pcm, RTCPM_MEDIA_FRAME_SAMPLES, payload);
        n = write_packet(s, s->codecs.audio_pt, !s->sent_any, s->ts, payload, sizeof(payload), now_us, buf, cap);
    }
    s->ts += RTCPM_MEDIA_FRAME_SAMPLES;
    return n;
}

void rtcpm_media_session_skip_frames(rtcpm_media_session *s, unsigned n) { s->ts += n * RTCPM_MEDIA_FRAME_SAMPLES; }

HRESULT rtcpm_media_session_queue_dtmf(rtcpm_media_session *s, int event, int duration_ms)
{
    if (!s) return E_POINTER;
    if (event < 0 || event > RTCPM_TEVENT_MAX || duration_ms < 0 || (duration_ms && duration_ms < 40) ||
        duration_ms > 8000)
        return E_INVALIDARG;
    if (s->codecs.dtmf_pt < 0 || !s->codecs.send) return E_UNEXPECTED;
    if (rtcpm_tevent_sender_queue(&s->dtmf_out, event, duration_ms ? duration_ms : 160)) return E_OUTOFMEMORY;
    return S_OK;
}

int rtcpm_media_session_dtmf_sending(const rtcpm_media_session *s) { return rtcpm_tevent_sender_current(&s->dtmf_out); }
