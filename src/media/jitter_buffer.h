/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * jitter_buffer.h — an adaptive playout buffer for 8 kHz audio: packets go in as they arrive
 * (any order, any duplicates, any ptime), one 20 ms frame comes out per tick.
 *
 * Playout runs on the sender's timestamps: `play_ts` is the timestamp of the next frame to
 * play and advances by 160 each tick. A packet is stored at its timestamp's place in a ring
 * of 64 frames (1.28 s); a packet whose samples all lie before play_ts arrived too late
 * (dropped, counted), one already seen (same sequence number) is a duplicate (dropped,
 * counted).
 *
 * When a frame is missing (lost, or not there yet) the buffer conceals it: the last frame
 * played is repeated, halved in level each time, for up to 3 frames (60 ms), then silence.
 *
 * The playout delay adapts. Target delay (frames) = 1 + round(3 * J / 160) + late boost, within
 * [min_frames, max_frames] and at least the frames one packet covers (2 for 30 ms packets),
 * where J is the interarrival jitter measured as in RFC 3550 A.8 and
 * the late boost grows by one frame with each late packet (at most 5) and shrinks by one per
 * 10 s without one. Each tick the buffer notes its depth (frames between play_ts and the
 * newest sample received); every 50 ticks (1 s) it compares the mean with the target: more
 * than 1.5 frames above drops one frame (the delay shrinks by 20 ms), more than 0.5 below
 * repeats one (it grows by 20 ms). The first packet starts playout target - 1 frames later.
 * A packet more than the ring ahead, or more than 1 s behind, restarts the buffer at it
 * (a source that restarted or jumped).
 *
 * Time (`now_ts`) is the receiver's clock in timestamp units (8 kHz), any origin.
 */
#ifndef RTCPM_SRC_MEDIA_JITTER_BUFFER_H
#define RTCPM_SRC_MEDIA_JITTER_BUFFER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTCPM_JB_FRAME       160
#define RTCPM_JB_SLOTS       64
#define RTCPM_JB_CONCEAL_MAX 3  /* frames repeated before silence */
#define RTCPM_JB_WINDOW      50 /* ticks between delay adjustments */

enum rtcpm_jb_frame
{
    RTCPM_JB_PLAYED = 0,    /* a frame that arrived */
    RTCPM_JB_CONCEALED = 1, /* missing: the last frame repeated (fading) */
    RTCPM_JB_SILENCE = 2    /* nothing to play: before the first packet, after long loss */
};

enum rtcpm_jb_put_result
{
    RTCPM_JB_STORED = 0,
    RTCPM_JB_LATE = 1,
    RTCPM_JB_DUPLICATE = 2,
    RTCPM_JB_RESTARTED = 3 /* stored after a restart of the buffer */
};

struct rtcpm_jb_stats
{
    uint64_t put, late, duplicate, restarts;
    uint64_t played, concealed, silent;
    uint64_t grown, shrunk;          /* delay adjustments (frames inserted / dropped) */
    uint64_t delay_sum, delay_count; /* playout - arrival of the frames played, samples */
    uint32_t jitter;                 /* J, samples */
    int target_frames;
};

struct rtcpm_jitter_buffer
{
    int min_frames, max_frames;
    int16_t pcm[RTCPM_JB_SLOTS][RTCPM_JB_FRAME];
    uint16_t fill[RTCPM_JB_SLOTS];    /* samples stored in the slot */
    uint32_t arrival[RTCPM_JB_SLOTS]; /* when the slot's last packet arrived (now_ts) */
    int started;                      /* a packet arrived: play_ts is set */
    uint32_t play_ts;
    int play_slot;       /* ring index of play_ts */
    uint32_t newest_end; /* one past the newest timestamp stored */
    uint16_t seq_high;   /* duplicate detection: highest sequence number ... */
    uint64_t seq_seen;   /* ... and a bit per each of the 64 before it */
    int have_transit;
    int32_t transit;
    uint32_t jitter_q4;
    int late_boost;
    int packet_frames; /* frames the last packet covered (ptime / 20 ms) */
    uint32_t late_quiet_ticks;
    int16_t last[RTCPM_JB_FRAME];
    int have_last, conceal_run;
    int depth_sum, depth_ticks;
    int grow_pending;
    struct rtcpm_jb_stats stats;
};

/* min_frames >= 1, max_frames <= RTCPM_JB_SLOTS / 2 (defaults 1 and 10 when 0). */
void rtcpm_jb_init(struct rtcpm_jitter_buffer *jb, int min_frames, int max_frames);
/* A packet's samples (n of them, from timestamp ts, sequence number seq) arrived at now_ts. */
enum rtcpm_jb_put_result rtcpm_jb_put(struct rtcpm_jitter_buffer *jb, uint16_t seq, uint32_t ts, const int16_t *pcm,
                                      size_t n, uint32_t now_ts);
/* The next 160 samples to play at now_ts. */
enum rtcpm_jb_frame rtcpm_jb_get(struct rtcpm_jitter_buffer *jb, uint32_t now_ts, int16_t *out);
/* The current target delay in frames. */
int rtcpm_jb_target(const struct rtcpm_jitter_buffer *jb);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_SRC_MEDIA_JITTER_BUFFER_H */
