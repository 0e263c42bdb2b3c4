/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * media_rtcp.c — a media session's RTCP: when to report (RFC 3550 6.3.1 for a two-party
 * session: the 5 s minimum dominates, halved before the first report, randomised over
 * [0.5, 1.5] and divided by e - 3/2), what to report (SR while we send, else RR; one report
 * block about the remote source; SDES CNAME; BYE at the end), and what the remote reports.
 */
#include "media/media_session_private.h"

#include <string.h>

#include "media/rtcp.h"

#define RTCP_MIN_INTERVAL_US 5000000.0
#define RTCP_COMPENSATION    1.21828 /* e - 3/2 (RFC 3550 6.3.1) */

/* xorshift64*: a uniform number in [0, 1). */
static double uniform(rtcpm_media_session *s)
{
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return (double)((s->rng * 0x2545F4914F6CDD1Dull) >> 11) / 9007199254740992.0;
}

void rtcpm_media_session_schedule_rtcp(rtcpm_media_session *s, uint64_t now_us)
{
    double t = RTCP_MIN_INTERVAL_US * (s->rtcp_initial ? 0.5 : 1.0);
    t = t * (0.5 + uniform(s)) / RTCP_COMPENSATION;
    s->rtcp_next_us = now_us + (uint64_t)t;
}

uint64_t rtcpm_media_session_rtcp_due_us(const rtcpm_media_session *s) { return s->rtcp_next_us; }

static void sender_info(const rtcpm_media_session *s, uint64_t now_us, struct rtcpm_rtcp_sender_info *si)
{
    si->ntp = rtcpm_media_session_ntp(s, now_us);
    /* the RTP timestamp of this instant, extrapolated from the last packet sent */
    si->rtp_timestamp = s->last_send_ts + (uint32_t)((now_us - s->last_send_us) * 8u / 1000u);
    si->packet_count = s->packets_sent;
    si->octet_count = s->octets_sent;
}

size_t rtcpm_media_session_build_rtcp(rtcpm_media_session *s, uint64_t now_us, int bye, uint8_t *buf, size_t cap)
{
    struct rtcpm_rtcp_writer w;
    struct rtcpm_rtcp_sender_info si;
    struct rtcpm_rtcp_block block;
    int sender = s->sent_any && s->codecs.send;

    memset(&block, 0, sizeof(block));
    rtcpm_rtcp_writer_init(&w, buf, cap);
    if (sender) sender_info(s, now_us, &si);
    if (s->have_source && !s->src.probation) rtcpm_rtp_source_report(&s->src, now_us, &block);
    rtcpm_rtcp_write_report(&w, s->ssrc, sender ? &si : NULL, &block, s->have_source && !s->src.probation ? 1 : 0);
    rtcpm_rtcp_write_sdes_cname(&w, s->ssrc, s->cname);
    if (bye) rtcpm_rtcp_write_bye(&w, &s->ssrc, 1, NULL);
    s->rtcp_initial = 0;
    rtcpm_media_session_schedule_rtcp(s, now_us);
    if (w.error) return 0;
    s->stats.rtcp_sent++;
    return w.len;
}

static void on_remote_bye(rtcpm_media_session *s, const struct rtcpm_rtcp_info *info)
{
    for (int i = 0; i < info->n_bye; i++)
    {
        if (s->have_source && info->bye_ssrc[i] != s->src.ssrc) continue;
        if (s->remote_bye) return;
        s->remote_bye = 1;
        rtcpm_media_session_emit(s, RTCPM_MEDIA_EV_STOPPED, RTCPM_MEDIA_RECEIVE, RTCPM_MEDIA_REASON_REMOTE_REQUEST,
                                 "RTCP BYE from the remote");
        return;
    }
}

int rtcpm_media_session_on_rtcp(rtcpm_media_session *s, const uint8_t *buf, size_t len, uint64_t now_us)
{
    struct rtcpm_rtcp_info info;
    if (rtcpm_rtcp_parse(buf, len, &info))
    {
        s->stats.rtcp_malformed++;
        return -1;
    }
    s->stats.rtcp_received++;
    if (info.has_sr && s->have_source && info.sender_ssrc == s->src.ssrc)
        rtcpm_rtp_source_on_sr(&s->src, info.sender.ntp, now_us);
    for (int i = 0; i < info.n_blocks; i++)
    {
        if (info.blocks[i].ssrc != s->ssrc) continue;
        s->remote_block = info.blocks[i];
        s->have_remote_block = 1;
        if (info.blocks[i].lsr) s->rtt_ms = rtcpm_rtcp_rtt_ms(&info.blocks[i], rtcpm_media_session_ntp(s, now_us));
    }
    if (info.has_bye) on_remote_bye(s, &info);
    return 1;
}
