/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * media_recv.c — the receiving half of a media session: RTP packets validated, counted
 * (RFC 3550 A.1/A.3/A.8), decoded into the jitter buffer, telephone-events reported.
 *
 * One remote source is followed. Another SSRC is ignored while the current one is alive; it
 * takes over when the current one has said BYE or sent nothing for a second (a restarted
 * peer). Payload types: the negotiated audio and telephone-event PTs, and the static G.711
 * PTs 0 and 8 (a peer may switch between the codecs of its answer); anything else is
 * ignored and counted.
 */
#include "media/media_session_private.h"

#include <string.h>

#include "media/g711.h"
#include "media/rtp.h"

#define SOURCE_SWITCH_US 1000000u

static int audio_codec_of(const rtcpm_media_session *s, int pt)
{
    if (pt == s->codecs.audio_pt) return s->codecs.codec;
    if (pt == RTCPM_MEDIA_PCMU || pt == RTCPM_MEDIA_PCMA) return pt;
    return -1;
}

/* 1: the packet's SSRC is the source followed (taking over a dead one if needed). */
static int follow_source(rtcpm_media_session *s, const struct rtcpm_rtp_packet *p, uint64_t now_us)
{
    if (s->have_source && p->ssrc == s->src.ssrc) return 1;
    if (s->have_source && !s->remote_bye && now_us - s->last_rtp_us < SOURCE_SWITCH_US) return 0;
    rtcpm_rtp_source_init(&s->src, p->ssrc, p->seq);
    s->have_source = 1;
    s->remote_bye = 0;
    rtcpm_tevent_receiver_init(&s->dtmf_in);
    return 1;
}

static void on_telephone_event(rtcpm_media_session *s, const struct rtcpm_rtp_packet *p, const struct rtcpm_tevent *ev)
{
    struct rtcpm_tevent_report rep;
    rtcpm_tevent_receiver_packet(&s->dtmf_in, ev, p->timestamp, &rep);
    for (int i = 0; i < rep.n; i++)
    {
        struct rtcpm_media_event me;
        memset(&me, 0, sizeof(me));
        me.type = RTCPM_MEDIA_EV_DTMF;
        me.direction = RTCPM_MEDIA_RECEIVE;
        me.text = rep.r[i].end ? "telephone-event ended" : "telephone-event began";
        me.dtmf_event = rep.r[i].event;
        me.dtmf_end = rep.r[i].end;
        me.dtmf_duration = rep.r[i].duration;
        if (rep.r[i].end) s->stats.dtmf_received++;
        if (s->on_event) s->on_event(s->ctx, &me);
    }
}

static void on_audio(rtcpm_media_session *s, const struct rtcpm_rtp_packet *p, int codec, uint64_t now_us)
{
    int16_t pcm[RTCPM_MEDIA_MAX_PACKET];
    uint32_t now_ts = rtcpm_media_clock_ts(now_us);
    rtcpm_rtp_source_update_jitter(&s->src, p->timestamp, now_ts);
    if (!s->codecs.receive || !p->payload_len) return;
    rtcpm_g711_decode(codec, p->payload, p->payload_len, pcm);
    rtcpm_jb_put(&s->jb, p->seq, p->timestamp, pcm, p->payload_len, now_ts);
}

int rtcpm_media_session_on_rtp(rtcpm_media_session *s, const uint8_t *buf, size_t len, uint64_t now_us)
{
    struct rtcpm_rtp_packet p;
    struct rtcpm_tevent ev;
    int is_dtmf = 0;
    if (len > RTCPM_MEDIA_MAX_PACKET || rtcpm_rtp_parse(buf, len, &p) ||
        ((is_dtmf = s->codecs.dtmf_pt >= 0 && p.payload_type == s->codecs.dtmf_pt) &&
         rtcpm_tevent_parse(p.payload, p.payload_len, &ev)))
    {
        /* not RTP (or longer than any datagram we receive), or a telephone-event payload that
         * is not 4 bytes: counted once, here */
        s->stats.rtp_malformed++;
        return -1;
    }
    int codec = is_dtmf ? -1 : audio_codec_of(s, p.payload_type);
    if ((!is_dtmf && codec < 0) || !follow_source(s, &p, now_us))
    {
        s->stats.rtp_ignored++;
        return 0;
    }
    int valid = rtcpm_rtp_source_update_seq(&s->src, p.seq);
    s->stats.rtp_received++;
    s->stats.rtp_octets_received += p.payload_len;
    s->last_rtp_us = now_us;
    if (s->timed_out)
    {
        s->timed_out = 0;
        rtcpm_media_session_emit(s, RTCPM_MEDIA_EV_STARTED, RTCPM_MEDIA_RECEIVE, RTCPM_MEDIA_REASON_NORMAL,
                                 "RTP from the remote again");
    }
    if (is_dtmf)
        on_telephone_event(s, &p, &ev);
    else if (valid)
        on_audio(s, &p, codec, now_us);
    return 1;
}

void rtcpm_media_session_count_ignored(rtcpm_media_session *s, int rtcp)
{
    if (rtcp)
        s->stats.rtcp_ignored++;
    else
        s->stats.rtp_ignored++;
}

void rtcpm_media_session_play_frame(rtcpm_media_session *s, uint64_t now_us, int16_t *pcm)
{
    if (!s->codecs.receive)
    {
        memset(pcm, 0, RTCPM_MEDIA_FRAME_SAMPLES * sizeof(*pcm));
        return;
    }
    rtcpm_jb_get(&s->jb, rtcpm_media_clock_ts(now_us), pcm);
}
