/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtp_source.c — reception statistics of one source (RFC 3550 A.1, A.3, A.8, 6.4.1).
 */
#include "media/rtp_source.h"

#include "media/rtp.h"

#include <string.h>

#define SEQ_MOD 0x10000u

/* A.1 init_seq: the counters restart at seq. */
static void restart(struct rtcpm_rtp_source *s, uint16_t seq)
{
    s->base_seq = seq;
    s->max_seq = seq;
    s->bad_seq = SEQ_MOD + 1; /* so seq == bad_seq is false */
    s->cycles = 0;
    s->received = 0;
    s->received_prior = 0;
    s->expected_prior = 0;
}

void rtcpm_rtp_source_init(struct rtcpm_rtp_source *s, uint32_t ssrc, uint16_t seq)
{
    memset(s, 0, sizeof(*s));
    s->ssrc = ssrc;
    restart(s, seq);
    s->max_seq = (uint16_t)(seq - 1);
    s->probation = RTCPM_RTP_MIN_SEQUENTIAL;
}

static int probation_step(struct rtcpm_rtp_source *s, uint16_t seq)
{
    if (seq == (uint16_t)(s->max_seq + 1))
    {
        s->probation--;
        s->max_seq = seq;
        if (s->probation == 0)
        {
            restart(s, seq);
            s->received++;
            return 1;
        }
    }
    else
    {
        s->probation = RTCPM_RTP_MIN_SEQUENTIAL - 1;
        s->max_seq = seq;
    }
    return 0;
}

int rtcpm_rtp_source_update_seq(struct rtcpm_rtp_source *s, uint16_t seq)
{
    uint16_t udelta = (uint16_t)(seq - s->max_seq);

    if (s->probation) return probation_step(s, seq);
    if (udelta < RTCPM_RTP_MAX_DROPOUT)
    {
        /* in order, with a permissible gap */
        if (seq < s->max_seq) s->cycles += SEQ_MOD;
        s->max_seq = seq;
    }
    else if (udelta <= SEQ_MOD - RTCPM_RTP_MAX_MISORDER)
    {
        /* a very large jump: believe it only when the next packet follows it */
        if (seq == s->bad_seq)
            restart(s, seq);
        else
        {
            s->bad_seq = (seq + 1) & (SEQ_MOD - 1);
            return 0;
        }
    }
    /* else: duplicate or reordered, counted */
    s->received++;
    return 1;
}

void rtcpm_rtp_source_update_jitter(struct rtcpm_rtp_source *s, uint32_t rtp_ts, uint32_t arrival_ts)
{
    int32_t transit = (int32_t)(arrival_ts - rtp_ts);
    if (s->have_transit)
    {
        uint32_t d = rtcpm_rtp_transit_delta(transit, s->transit);
        /* J += (|D| - J) / 16, kept * 16 in integers (A.8) */
        s->jitter_q4 += d - ((s->jitter_q4 + 8) >> 4);
    }
    s->transit = transit;
    s->have_transit = 1;
}

void rtcpm_rtp_source_on_sr(struct rtcpm_rtp_source *s, uint64_t ntp, uint64_t now_us)
{
    s->have_sr = 1;
    s->lsr = rtcpm_ntp_middle(ntp);
    s->sr_arrival_us = now_us;
}

uint32_t rtcpm_rtp_source_extended_max(const struct rtcpm_rtp_source *s) { return s->cycles + s->max_seq; }

uint32_t rtcpm_rtp_source_expected(const struct rtcpm_rtp_source *s)
{
    if (s->probation) return 0;
    return rtcpm_rtp_source_extended_max(s) - s->base_seq + 1;
}

int32_t rtcpm_rtp_source_lost(const struct rtcpm_rtp_source *s)
{
    int64_t lost = (int64_t)rtcpm_rtp_source_expected(s) - (int64_t)s->received;
    if (lost > 0x7fffff) lost = 0x7fffff;
    if (lost < -0x800000) lost = -0x800000;
    return (int32_t)lost;
}

uint32_t rtcpm_rtp_source_jitter(const struct rtcpm_rtp_source *s) { return s->jitter_q4 >> 4; }

void rtcpm_rtp_source_report(struct rtcpm_rtp_source *s, uint64_t now_us, struct rtcpm_rtcp_block *b)
{
    uint32_t expected = rtcpm_rtp_source_expected(s);
    uint32_t expected_interval = expected - s->expected_prior;
    uint32_t received_interval = s->received - s->received_prior;
    int64_t lost_interval = (int64_t)expected_interval - (int64_t)received_interval;

    s->expected_prior = expected;
    s->received_prior = s->received;
    memset(b, 0, sizeof(*b));
    b->ssrc = s->ssrc;
    b->fraction_lost =
        (expected_interval == 0 || lost_interval <= 0) ? 0 : (uint8_t)((lost_interval << 8) / expected_interval);
    b->cumulative_lost = rtcpm_rtp_source_lost(s);
    b->highest_seq = rtcpm_rtp_source_extended_max(s);
    b->jitter = rtcpm_rtp_source_jitter(s);
    if (s->have_sr)
    {
        b->lsr = s->lsr;
        uint64_t delay = now_us > s->sr_arrival_us ? now_us - s->sr_arrival_us : 0;
        b->dlsr = (uint32_t)((delay * 65536u) / 1000000u);
    }
}

int32_t rtcpm_rtcp_rtt_ms(const struct rtcpm_rtcp_block *b, uint64_t arrival_ntp)
{
    if (!b->lsr) return -1;
    uint32_t a = rtcpm_ntp_middle(arrival_ntp);
    int32_t rtt = (int32_t)(a - b->lsr - b->dlsr);
    if (rtt < 0) rtt = 0;
    return (int32_t)(((int64_t)rtt * 1000) >> 16);
}
