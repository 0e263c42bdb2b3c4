/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * media_session.c — a media session's life, codecs, events, timers and statistics.
 */
#include "media/media_session_private.h"

#include <stdlib.h>
#include <string.h>

#include "media/rtcp.h"

static int codecs_valid(const struct rtcpm_media_codecs *c)
{
    if (c->codec != RTCPM_MEDIA_PCMU && c->codec != RTCPM_MEDIA_PCMA) return 0;
    if (c->audio_pt < 0 || c->audio_pt > 127) return 0;
    if (c->dtmf_pt != -1 && (c->dtmf_pt < 0 || c->dtmf_pt > 127 || c->dtmf_pt == c->audio_pt)) return 0;
    return 1;
}

HRESULT rtcpm_media_session_create(rtcpm_media_session **out, const struct rtcpm_media_session_init *init)
{
    if (!out) return E_POINTER;
    *out = NULL;
    if (!init || !init->cname || !init->cname[0] || strlen(init->cname) > RTCPM_RTCP_MAX_TEXT ||
        !codecs_valid(&init->codecs) || init->rtp_timeout_ms < 0)
        return E_INVALIDARG;
    rtcpm_media_session *s = calloc(1, sizeof(*s));
    if (!s) return E_OUTOFMEMORY;
    s->codecs = init->codecs;
    strcpy(s->cname, init->cname);
    s->on_event = init->on_event;
    s->ctx = init->ctx;
    s->epoch_us = init->now_us;
    s->epoch_unix_us = init->unix_us;
    s->rng = init->random_seed ? init->random_seed : 0x9e3779b97f4a7c15ull;
    s->ssrc = init->ssrc;
    s->seq = init->seq;
    s->ts = init->timestamp;
    s->rtp_timeout_ms = init->rtp_timeout_ms;
    s->rtt_ms = -1;
    rtcpm_tevent_sender_init(&s->dtmf_out);
    rtcpm_tevent_receiver_init(&s->dtmf_in);
    rtcpm_jb_init(&s->jb, 0, 0);
    s->rtcp_initial = 1;
    rtcpm_media_session_schedule_rtcp(s, init->now_us);
    *out = s;
    return S_OK;
}

void rtcpm_media_session_destroy(rtcpm_media_session *s) { free(s); }

HRESULT rtcpm_media_session_set_codecs(rtcpm_media_session *s, const struct rtcpm_media_codecs *codecs)
{
    if (!s || !codecs) return E_POINTER;
    if (!codecs_valid(codecs)) return E_INVALIDARG;
    s->codecs = *codecs;
    return S_OK;
}

void rtcpm_media_session_emit(rtcpm_media_session *s, enum rtcpm_media_event_type type, enum rtcpm_media_direction dir,
                              enum rtcpm_media_reason reason, const char *text)
{
    struct rtcpm_media_event ev;
    if (!s->on_event) return;
    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.direction = dir;
    ev.reason = reason;
    ev.hr = S_OK;
    ev.text = text ? text : "";
    s->on_event(s->ctx, &ev);
}

uint64_t rtcpm_media_session_ntp(const rtcpm_media_session *s, uint64_t now_us)
{
    return rtcpm_ntp_from_unix_us(s->epoch_unix_us + (now_us - s->epoch_us));
}

void rtcpm_media_session_tick(rtcpm_media_session *s, uint64_t now_us)
{
    if (s->rtp_timeout_ms <= 0 || !s->have_source || s->timed_out) return;
    if (now_us > s->last_rtp_us && now_us - s->last_rtp_us >= (uint64_t)s->rtp_timeout_ms * 1000u)
    {
        s->timed_out = 1;
        rtcpm_media_session_emit(s, RTCPM_MEDIA_EV_STOPPED, RTCPM_MEDIA_RECEIVE, RTCPM_MEDIA_REASON_TIMEOUT,
                                 "no RTP from the remote");
    }
}

void rtcpm_media_session_stats(const rtcpm_media_session *s, struct rtcpm_media_stats *out)
{
    const struct rtcpm_jb_stats *jb = &s->jb.stats;
    *out = s->stats;
    out->local_ssrc = s->ssrc;
    out->remote_ssrc = s->have_source ? s->src.ssrc : 0;
    if (s->have_source)
    {
        out->cumulative_lost = rtcpm_rtp_source_lost(&s->src);
        out->expected = rtcpm_rtp_source_expected(&s->src);
        out->jitter = rtcpm_rtp_source_jitter(&s->src);
    }
    if (s->have_remote_block)
    {
        out->remote_fraction_lost = s->remote_block.fraction_lost;
        out->remote_cumulative_lost = s->remote_block.cumulative_lost;
        out->remote_jitter = s->remote_block.jitter;
    }
    out->rtt_ms = s->rtt_ms;
    out->frames_played = jb->played;
    out->frames_concealed = jb->concealed;
    out->frames_silent = jb->silent;
    out->packets_late = jb->late;
    out->packets_duplicate = jb->duplicate;
    out->playout_delay_ms = (uint32_t)rtcpm_jb_target(&s->jb) * 20u;
}
