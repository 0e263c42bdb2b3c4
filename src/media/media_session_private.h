/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * media_session_private.h — the state of a media session, shared by its parts:
 * media_session.c (life, codecs, stats, timers), media_send.c (RTP and telephone-events out),
 * media_recv.c (RTP in, jitter buffer, telephone-events in), media_rtcp.c (reports).
 */
#ifndef RTCPM_SRC_MEDIA_MEDIA_SESSION_PRIVATE_H
#define RTCPM_SRC_MEDIA_MEDIA_SESSION_PRIVATE_H

#include "media/media_session.h"
#include "media/jitter_buffer.h"
#include "media/rtp_source.h"
#include "media/telephone_event.h"

struct rtcpm_media_session
{
    struct rtcpm_media_codecs codecs;
    char cname[256];
    rtcpm_media_event_cb on_event;
    void *ctx;
    uint64_t epoch_us;      /* monotonic instant ... */
    uint64_t epoch_unix_us; /* ... and the wall clock then */
    uint64_t rng;           /* xorshift state for the RTCP interval */

    /* sender */
    uint32_t ssrc;
    uint16_t seq;          /* next sequence number */
    uint32_t ts;           /* timestamp of the next frame */
    uint64_t last_send_us; /* when the last packet left (SR's RTP timestamp) */
    uint32_t last_send_ts;
    int sent_any;
    uint32_t packets_sent, octets_sent; /* SR counters (wrap as RFC 3550 says) */
    struct rtcpm_tevent_sender dtmf_out;

    /* receiver */
    int have_source;
    struct rtcpm_rtp_source src;
    uint64_t last_rtp_us;
    int timed_out;
    int rtp_timeout_ms;
    struct rtcpm_jitter_buffer jb;
    struct rtcpm_tevent_receiver dtmf_in;

    /* RTCP */
    uint64_t rtcp_next_us;
    int rtcp_initial;      /* no report sent yet */
    int have_remote_block; /* the remote reported about us */
    struct rtcpm_rtcp_block remote_block;
    int32_t rtt_ms;
    int remote_bye;

    struct rtcpm_media_stats stats; /* counters kept as they happen */
};

/* Calls the event callback, if any. */
void rtcpm_media_session_emit(rtcpm_media_session *s, enum rtcpm_media_event_type type, enum rtcpm_media_direction dir,
                              enum rtcpm_media_reason reason, const char *text);
/* The NTP time (SR, RTT) of a monotonic instant. */
uint64_t rtcpm_media_session_ntp(const rtcpm_media_session *s, uint64_t now_us);
/* The receiver's clock in 8 kHz timestamp units. */
static inline uint32_t rtcpm_media_clock_ts(uint64_t now_us) { return (uint32_t)(now_us * 8u / 1000u); }
/* Schedules the next RTCP report from now_us (RFC 3550 6.3.1, Tmin 5 s, halved initially). */
void rtcpm_media_session_schedule_rtcp(rtcpm_media_session *s, uint64_t now_us);

#endif /* RTCPM_SRC_MEDIA_MEDIA_SESSION_PRIVATE_H */
