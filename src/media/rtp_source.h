/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtp_source.h — what a receiver knows about one remote RTP source (RFC 3550 appendix A):
 * sequence-number validation and the extended highest sequence (A.1), packets expected and
 * lost and the fraction lost per report interval (A.3), interarrival jitter (A.8), and the
 * last sender report (LSR/DLSR, 6.4.1) — everything a report block says about it.
 */
#ifndef RTCPM_SRC_MEDIA_RTP_SOURCE_H
#define RTCPM_SRC_MEDIA_RTP_SOURCE_H

#include <stdint.h>

#include "media/rtcp.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTCPM_RTP_MAX_DROPOUT    3000 /* a jump ahead up to this is taken as packets lost */
#define RTCPM_RTP_MAX_MISORDER   100  /* a jump back up to this is a late/duplicate packet */
#define RTCPM_RTP_MIN_SEQUENTIAL 2    /* packets in sequence before a new source is valid */

struct rtcpm_rtp_source
{
    uint32_t ssrc;
    uint16_t max_seq; /* highest sequence number seen */
    uint32_t cycles;  /* wraps of the sequence number, << 16 */
    uint32_t base_seq;
    uint32_t bad_seq; /* the sequence number after a large jump (a restarted source) */
    int probation;    /* sequential packets still needed before the source is valid */
    uint32_t received;
    uint32_t expected_prior, received_prior;
    int have_transit;
    int32_t transit;    /* arrival - RTP timestamp of the last packet, timestamp units */
    uint32_t jitter_q4; /* interarrival jitter * 16 */
    int have_sr;
    uint32_t lsr; /* middle 32 bits of the last SR's NTP timestamp */
    uint64_t sr_arrival_us;
};

/* A new source: ssrc, first sequence number seq (on probation, as A.1's init + probation). */
void rtcpm_rtp_source_init(struct rtcpm_rtp_source *s, uint32_t ssrc, uint16_t seq);
/* A.1 update_seq: 1 when the packet counts (valid source, in sequence, late or duplicate),
 * 0 while on probation or after a jump the source has not confirmed. */
int rtcpm_rtp_source_update_seq(struct rtcpm_rtp_source *s, uint16_t seq);
/* A.8: one data packet's RTP timestamp and its arrival time in the same units. */
void rtcpm_rtp_source_update_jitter(struct rtcpm_rtp_source *s, uint32_t rtp_ts, uint32_t arrival_ts);
/* An SR from this source arrived at now_us (monotonic): LSR/DLSR of the next report. */
void rtcpm_rtp_source_on_sr(struct rtcpm_rtp_source *s, uint64_t ntp, uint64_t now_us);

uint32_t rtcpm_rtp_source_extended_max(const struct rtcpm_rtp_source *s);
uint32_t rtcpm_rtp_source_expected(const struct rtcpm_rtp_source *s);
/* expected - received, clamped to the 24-bit signed range of a report block. */
int32_t rtcpm_rtp_source_lost(const struct rtcpm_rtp_source *s);
uint32_t rtcpm_rtp_source_jitter(const struct rtcpm_rtp_source *s);
/* The report block about this source at now_us; starts a new interval for fraction lost. */
void rtcpm_rtp_source_report(struct rtcpm_rtp_source *s, uint64_t now_us, struct rtcpm_rtcp_block *b);

/* Round-trip time from a report block about us (RFC 3550 6.4.1: A - LSR - DLSR), with A the
 * NTP time it arrived. Milliseconds, or -1 when the block has no LSR. */
int32_t rtcpm_rtcp_rtt_ms(const struct rtcpm_rtcp_block *b, uint64_t arrival_ntp);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_SRC_MEDIA_RTP_SOURCE_H */
