/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * jitter_buffer.c — adaptive playout buffer (see jitter_buffer.h for the rules).
 */
#include "media/jitter_buffer.h"

#include <string.h>

#include "media/rtp.h"

#define FRAME          RTCPM_JB_FRAME
#define RING_SAMPLES   (RTCPM_JB_SLOTS * FRAME)
#define LATE_RESTART   8000 /* a packet this far (1 s) behind playout restarts the buffer */
#define LATE_BOOST_MAX 3
#define LATE_QUIET     250 /* ticks (5 s) without a late packet: the boost shrinks by one */

void rtcpm_jb_init(struct rtcpm_jitter_buffer *jb, int min_frames, int max_frames)
{
    memset(jb, 0, sizeof(*jb));
    jb->min_frames = min_frames > 0 ? min_frames : 1;
    jb->max_frames = max_frames > 0 ? max_frames : 10;
    if (jb->max_frames > RTCPM_JB_SLOTS / 2) jb->max_frames = RTCPM_JB_SLOTS / 2;
    if (jb->min_frames > jb->max_frames) jb->min_frames = jb->max_frames;
    jb->stats.target_frames = rtcpm_jb_target(jb);
}

int rtcpm_jb_target(const struct rtcpm_jitter_buffer *jb)
{
    uint32_t j3 = 3 * (jb->jitter_q4 >> 4);
    int t = 1 + (int)((j3 + FRAME / 2) / FRAME) + jb->late_boost;
    if (t < jb->packet_frames) t = jb->packet_frames; /* a 30 ms packet needs 2 frames */
    if (t < jb->min_frames) t = jb->min_frames;
    if (t > jb->max_frames) t = jb->max_frames;
    return t;
}

/* Playout (re)starts at this packet: it plays target - 1 ticks from now. */
static void restart(struct rtcpm_jitter_buffer *jb, uint16_t seq, uint32_t ts)
{
    memset(jb->fill, 0, sizeof(jb->fill));
    memset(jb->pcm, 0, sizeof(jb->pcm));
    jb->started = 1;
    jb->play_ts = ts - (uint32_t)(rtcpm_jb_target(jb) - 1) * FRAME;
    jb->play_slot = 0;
    jb->newest_end = jb->play_ts;
    jb->seq_high = seq;
    jb->seq_seen = 0;
    jb->depth_sum = jb->depth_ticks = 0;
    jb->grow_pending = 0;
}

/* 1 when seq was seen before; otherwise records it. */
static int seen_before(struct rtcpm_jitter_buffer *jb, uint16_t seq)
{
    int32_t d = rtcpm_rtp_seq_diff(seq, jb->seq_high);
    if (d == 0) return 1;
    if (d < 0)
    {
        if (-d > 64) return 0;
        uint64_t bit = 1ull << (-d - 1);
        if (jb->seq_seen & bit) return 1;
        jb->seq_seen |= bit;
        return 0;
    }
    jb->seq_seen = d >= 64 ? 0 : jb->seq_seen << d;
    if (d <= 64) jb->seq_seen |= 1ull << (d - 1);
    jb->seq_high = seq;
    return 0;
}

static void update_jitter(struct rtcpm_jitter_buffer *jb, uint32_t ts, uint32_t now_ts)
{
    int32_t transit = (int32_t)(now_ts - ts);
    if (jb->have_transit)
    {
        uint32_t d = rtcpm_rtp_transit_delta(transit, jb->transit);
        jb->jitter_q4 += d - ((jb->jitter_q4 + 8) >> 4);
    }
    jb->transit = transit;
    jb->have_transit = 1;
}

static void store(struct rtcpm_jitter_buffer *jb, int32_t off, const int16_t *pcm, size_t n, uint32_t now_ts)
{
    for (size_t i = 0; i < n; i++)
    {
        int32_t at = off + (int32_t)i;
        if (at < 0) continue; /* this part is already played */
        int slot = (jb->play_slot + at / FRAME) % RTCPM_JB_SLOTS;
        jb->pcm[slot][at % FRAME] = pcm[i];
        if (jb->fill[slot] < FRAME) jb->fill[slot]++;
        jb->arrival[slot] = now_ts;
    }
}

enum rtcpm_jb_put_result rtcpm_jb_put(struct rtcpm_jitter_buffer *jb, uint16_t seq, uint32_t ts, const int16_t *pcm,
                                      size_t n, uint32_t now_ts)
{
    enum rtcpm_jb_put_result result = RTCPM_JB_STORED;
    if (n > RING_SAMPLES / 2) n = RING_SAMPLES / 2;
    jb->stats.put++;
    int32_t off = jb->started ? rtcpm_rtp_ts_diff(ts, jb->play_ts) : 0;
    if (!jb->started) jb->packet_frames = (int)((n + FRAME - 1) / FRAME);
    if (!jb->started || off > (int32_t)(RING_SAMPLES - n) || off < -LATE_RESTART)
    {
        if (jb->started)
        {
            jb->stats.restarts++;
            result = RTCPM_JB_RESTARTED;
        }
        restart(jb, seq, ts);
        off = rtcpm_rtp_ts_diff(ts, jb->play_ts);
    }
    else if (off + (int32_t)n <= 0)
    {
        jb->stats.late++;
        if (jb->late_boost < LATE_BOOST_MAX) jb->late_boost++;
        jb->late_quiet_ticks = 0;
        /* too short a delay: grow now, by a frame (at most two waiting) */
        if (jb->grow_pending < 2) jb->grow_pending++;
        return RTCPM_JB_LATE;
    }
    else if (seen_before(jb, seq))
    {
        jb->stats.duplicate++;
        return RTCPM_JB_DUPLICATE;
    }
    update_jitter(jb, ts, now_ts);
    jb->packet_frames = (int)((n + FRAME - 1) / FRAME);
    store(jb, off, pcm, n, now_ts);
    if (rtcpm_rtp_ts_diff(ts + (uint32_t)n, jb->newest_end) > 0) jb->newest_end = ts + (uint32_t)n;
    return result;
}

/* Missing frame: repeat the last one (full level, then halving), then silence. */
static enum rtcpm_jb_frame conceal(struct rtcpm_jitter_buffer *jb, int16_t *out)
{
    if (!jb->have_last || jb->conceal_run >= RTCPM_JB_CONCEAL_MAX)
    {
        memset(out, 0, FRAME * sizeof(*out));
        jb->stats.silent++;
        return RTCPM_JB_SILENCE;
    }
    for (int i = 0; i < FRAME; i++) out[i] = (int16_t)(jb->last[i] >> jb->conceal_run);
    jb->conceal_run++;
    jb->stats.concealed++;
    return RTCPM_JB_CONCEALED;
}

static void advance(struct rtcpm_jitter_buffer *jb)
{
    jb->fill[jb->play_slot] = 0;
    memset(jb->pcm[jb->play_slot], 0, sizeof(jb->pcm[0]));
    jb->play_ts += FRAME;
    jb->play_slot = (jb->play_slot + 1) % RTCPM_JB_SLOTS;
}

/* Once per window: shrink or grow the delay towards the target. */
static void adapt(struct rtcpm_jitter_buffer *jb)
{
    int32_t d = rtcpm_rtp_ts_diff(jb->newest_end, jb->play_ts);
    jb->depth_sum += d > 0 ? d / FRAME : 0;
    if (++jb->late_quiet_ticks >= LATE_QUIET && jb->late_boost > 0)
    {
        jb->late_boost--;
        jb->late_quiet_ticks = 0;
    }
    if (++jb->depth_ticks < RTCPM_JB_WINDOW) return;
    int target = rtcpm_jb_target(jb);
    jb->stats.target_frames = target;
    /* mean depth vs target, in half frames: mean > target + 1.5 / mean < target - 0.5 */
    if (2 * jb->depth_sum > (2 * target + 3) * jb->depth_ticks)
    {
        advance(jb); /* drop the next frame */
        jb->stats.shrunk++;
    }
    else if (2 * jb->depth_sum < (2 * target - 1) * jb->depth_ticks && d > -RTCPM_JB_WINDOW * FRAME)
    {
        /* packets still flow: the buffer is too shallow by this many frames */
        int missing = (target * jb->depth_ticks - jb->depth_sum + jb->depth_ticks / 2) / jb->depth_ticks;
        jb->grow_pending = missing < 1 ? 1 : missing;
    }
    jb->depth_sum = jb->depth_ticks = 0;
}

enum rtcpm_jb_frame rtcpm_jb_get(struct rtcpm_jitter_buffer *jb, uint32_t now_ts, int16_t *out)
{
    enum rtcpm_jb_frame kind;
    if (!jb->started)
    {
        memset(out, 0, FRAME * sizeof(*out));
        jb->stats.silent++;
        return RTCPM_JB_SILENCE;
    }
    if (jb->grow_pending)
    {
        /* one tick without advancing: the delay grows by a frame */
        jb->grow_pending--;
        jb->stats.grown++;
        return conceal(jb, out);
    }
    int slot = jb->play_slot;
    if (jb->fill[slot])
    {
        memcpy(out, jb->pcm[slot], FRAME * sizeof(*out));
        memcpy(jb->last, out, sizeof(jb->last));
        jb->have_last = 1;
        jb->conceal_run = 0;
        jb->stats.played++;
        jb->stats.delay_sum += (uint32_t)(now_ts - jb->arrival[slot]);
        jb->stats.delay_count++;
        kind = RTCPM_JB_PLAYED;
    }
    else
        kind = conceal(jb, out);
    adapt(jb);
    advance(jb);
    jb->stats.jitter = jb->jitter_q4 >> 4;
    return kind;
}
