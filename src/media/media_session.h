/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * media_session.h — the protocol core of a media stream, without sockets, threads or
 * devices: what to send every 20 ms (an audio frame or a telephone-event packet), what to do
 * with each datagram that arrives (RTP, RTCP), which 20 ms of audio to play next (the jitter
 * buffer), when to send RTCP and what. Time is a parameter (microseconds on any monotonic
 * clock), so tests can run a one-hour call in a moment and the results do not depend on the
 * machine's load. media_stream.c drives it from a thread with real sockets and devices.
 *
 * Not thread-safe: the caller serialises every call (media_stream holds its lock).
 */
#ifndef RTCPM_SRC_MEDIA_MEDIA_SESSION_H
#define RTCPM_SRC_MEDIA_MEDIA_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "media/media_stream.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTCPM_MEDIA_FRAME_SAMPLES 160 /* 20 ms at 8 kHz */
#define RTCPM_MEDIA_FRAME_US      20000
#define RTCPM_MEDIA_MAX_PACKET    1500 /* largest datagram built or accepted */

struct rtcpm_media_session_init
{
    uint32_t ssrc;        /* our SSRC */
    uint16_t seq;         /* first sequence number */
    uint32_t timestamp;   /* first RTP timestamp */
    uint64_t random_seed; /* RTCP interval randomisation (any value; 0 is fine) */
    const char *cname;    /* SDES CNAME, 1..255 bytes */
    uint64_t now_us;      /* the monotonic clock now ... */
    uint64_t unix_us;     /* ... and the wall clock at the same instant (SR's NTP time) */
    struct rtcpm_media_codecs codecs;
    rtcpm_media_event_cb on_event; /* DTMF received, RTCP BYE, RTP timeout (may be NULL) */
    void *ctx;
    int rtp_timeout_ms;
};

typedef struct rtcpm_media_session rtcpm_media_session;

HRESULT rtcpm_media_session_create(rtcpm_media_session **out, const struct rtcpm_media_session_init *init);
void rtcpm_media_session_destroy(rtcpm_media_session *s);
HRESULT rtcpm_media_session_set_codecs(rtcpm_media_session *s, const struct rtcpm_media_codecs *codecs);

/* Sending, once per 20 ms: pcm is the frame to send (160 samples; NULL: silence). Writes the
 * packet due now into buf (audio, or a telephone-event packet while one is being sent) and
 * returns its length; 0 when nothing is to be sent (send direction off). */
size_t rtcpm_media_session_send_frame(rtcpm_media_session *s, const int16_t *pcm, uint64_t now_us, uint8_t *buf,
                                      size_t cap);
/* The sender fell behind: n frames' worth of timestamps pass without packets. */
void rtcpm_media_session_skip_frames(rtcpm_media_session *s, unsigned n);
/* Queues a telephone-event (RFC 4733 code 0..16) of duration_ms; E_UNEXPECTED without a
 * negotiated telephone-event PT, E_INVALIDARG for bad values, E_OUTOFMEMORY when 16 wait. */
HRESULT rtcpm_media_session_queue_dtmf(rtcpm_media_session *s, int event, int duration_ms);
/* The telephone-event being sent now (for the local tone), -1 when none. */
int rtcpm_media_session_dtmf_sending(const rtcpm_media_session *s);

/* Receiving. The caller has checked the source address (and counted wrong ones with
 * rtcpm_media_session_count_ignored). Each returns 1 accepted, 0 ignored, -1 malformed (RTP
 * longer than RTCPM_MEDIA_MAX_PACKET included). */
int rtcpm_media_session_on_rtp(rtcpm_media_session *s, const uint8_t *buf, size_t len, uint64_t now_us);
int rtcpm_media_session_on_rtcp(rtcpm_media_session *s, const uint8_t *buf, size_t len, uint64_t now_us);
void rtcpm_media_session_count_ignored(rtcpm_media_session *s, int rtcp);

/* Playout, once per 20 ms: the next 160 samples from the jitter buffer (concealment or
 * silence when there is nothing to play). */
void rtcpm_media_session_play_frame(rtcpm_media_session *s, uint64_t now_us, int16_t *pcm);

/* RTCP: when the next report is due, and the compound packet (SR or RR, SDES CNAME; + BYE
 * when bye is set) — building it schedules the next one. Returns the length (0: no room). */
uint64_t rtcpm_media_session_rtcp_due_us(const rtcpm_media_session *s);
size_t rtcpm_media_session_build_rtcp(rtcpm_media_session *s, uint64_t now_us, int bye, uint8_t *buf, size_t cap);

/* Timers besides RTCP (RTP timeout): call every frame. */
void rtcpm_media_session_tick(rtcpm_media_session *s, uint64_t now_us);

void rtcpm_media_session_stats(const rtcpm_media_session *s, struct rtcpm_media_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_SRC_MEDIA_MEDIA_SESSION_H */
