/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_media.c — row 8: what rtcpm's media adds to a call (src/media), against the physical
 * floor of 20 ms G.711 packets: a frame must be complete before it is sent, so 20 ms is the
 * least any capture -> RTP -> playback path can take besides the network.
 *  - capture -> RTP: the send path per frame (G.711 encode + RTP packet) on top of the 20 ms;
 *  - RTP -> playback: the receive path per packet (RTP parse, RFC 3550 statistics, G.711
 *    decode, jitter buffer in and out) on top of the 20 ms;
 *  - CPU per call: the session core for both directions of one end, in-process, against two
 *    real streams on loopback (threads, sockets, file devices): process CPU per 20 ms frame;
 *  - the jitter buffer's added delay (mean time from arrival to playout, simulated network:
 *    0-2 ms jitter, 8 arrival phases across the 20 ms playout tick, 120 s each) at 0, 5 and
 *    20 % loss. A packet waits for the next playout tick anyway (10 ms on average): that is
 *    part of what the row shows.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "media/jitter_buffer.h"
#include "media/media_session.h"
#include "media/media_stream.h"
#include "test_thread.h"

#define FRAME    RTCPM_MEDIA_FRAME_SAMPLES
#define FLOOR_NS 20e6 /* one 20 ms frame */

struct media_ctx
{
    rtcpm_media_session *a, *b;
    uint64_t now;
    int16_t pcm[FRAME];
    uint8_t pkt[RTCPM_MEDIA_MAX_PACKET];
    size_t len;
};

static rtcpm_media_session *session(uint32_t ssrc)
{
    struct rtcpm_media_session_init init;
    rtcpm_media_session *s = NULL;
    memset(&init, 0, sizeof(init));
    init.ssrc = ssrc;
    init.seq = 1;
    init.cname = "bench@rtcpm";
    init.now_us = 1000000;
    init.codecs.audio_pt = init.codecs.codec = RTCPM_MEDIA_PCMU;
    init.codecs.dtmf_pt = 101;
    init.codecs.ptime_ms = 20;
    init.codecs.send = init.codecs.receive = 1;
    if (FAILED(rtcpm_media_session_create(&s, &init))) bench_fail("row 8: session");
    return s;
}

static void ctx_open(struct media_ctx *c)
{
    memset(c, 0, sizeof(*c));
    c->a = session(1);
    c->b = session(2);
    c->now = 1000000;
    for (int i = 0; i < FRAME; i++) c->pcm[i] = (int16_t)((i % 8 < 4 ? 1 : -1) * 6000);
}

static void ctx_close(struct media_ctx *c)
{
    rtcpm_media_session_destroy(c->a);
    rtcpm_media_session_destroy(c->b);
}

/* The send path: one captured frame -> one RTP packet. */
BENCH_NOINLINE void bench_kernel_media_send(void *ctx, uint64_t n)
{
    struct media_ctx *c = ctx;
    for (uint64_t i = 0; i < n; i++, c->now += 20000)
        c->len = rtcpm_media_session_send_frame(c->a, c->pcm, c->now, c->pkt, sizeof(c->pkt));
}

/* The receive path: one RTP packet in, one frame played. */
BENCH_NOINLINE void bench_kernel_media_receive(void *ctx, uint64_t n)
{
    struct media_ctx *c = ctx;
    int16_t out[FRAME];
    for (uint64_t i = 0; i < n; i++, c->now += 20000)
    {
        c->len = rtcpm_media_session_send_frame(c->a, c->pcm, c->now, c->pkt, sizeof(c->pkt));
        rtcpm_media_session_on_rtp(c->b, c->pkt, c->len, c->now + 1000);
        rtcpm_media_session_play_frame(c->b, c->now + 2000, out);
    }
}

/* One end of a call for 20 ms: send a frame, receive one, play one, RTCP when due. */
BENCH_NOINLINE void bench_kernel_media_call(void *ctx, uint64_t n)
{
    struct media_ctx *c = ctx;
    int16_t out[FRAME];
    uint8_t rtcp[RTCPM_MEDIA_MAX_PACKET];
    for (uint64_t i = 0; i < n; i++, c->now += 20000)
    {
        size_t len = rtcpm_media_session_send_frame(c->a, c->pcm, c->now, c->pkt, sizeof(c->pkt));
        rtcpm_media_session_on_rtp(c->b, c->pkt, len, c->now + 1000);
        rtcpm_media_session_play_frame(c->b, c->now + 2000, out);
        rtcpm_media_session_tick(c->b, c->now);
        if (c->now >= rtcpm_media_session_rtcp_due_us(c->b))
            rtcpm_media_session_build_rtcp(c->b, c->now, 0, rtcp, sizeof(rtcp));
    }
}

static struct bench_side floor_side(void)
{
    struct bench_side s = { 1, "physical floor: the 20 ms frame must be complete before it is sent", FLOOR_NS, 0 };
    return s;
}

static void rows_latency(struct media_ctx *c)
{
    struct bench_side a = floor_side(), b = { 0 };
    bench_one_ns(bench_kernel_media_send, c, &b);
    b.what = "rtcpm's send path per frame: G.711 encode + RTP packet";
    bench_add_row("8", "capture -> RTP: latency rtcpm adds to a 20 ms frame (processing) vs the packetisation floor",
                  "ns", &a, &b, GOAL_RATIO_LE, 0.01, "B/A <= 0.01");
    memset(&b, 0, sizeof(b));
    bench_one_ns(bench_kernel_media_receive, c, &b);
    b.what = "rtcpm's receive path per packet: RTP parse, RFC 3550 stats, G.711 decode, jitter buffer in + out";
    bench_add_row("8", "RTP -> playback: latency rtcpm adds to a 20 ms frame (processing) vs the packetisation floor",
                  "ns", &a, &b, GOAL_RATIO_LE, 0.01, "B/A <= 0.01");
}

/* Two streams on loopback through the file devices for `seconds`: process CPU per frame and
 * stream (each stream sends and plays one frame per 20 ms). 0 when it could not run. */
static double threaded_cpu_ns_per_frame(double seconds)
{
    struct rtcpm_media_config cfg;
    struct rtcpm_media_stream *s1 = NULL, *s2 = NULL;
    rtcpm_addr r1, c1, r2, c2;
    rtcpm_media_config_init(&cfg);
    rtcpm_addr_parse("127.0.0.1", 9, &cfg.local_rtp);
    cfg.capture_device = cfg.playback_device = "none";
    HRESULT hr = rtcpm_media_stream_create(&s1, &cfg);
    if (SUCCEEDED(hr)) hr = rtcpm_media_stream_create(&s2, &cfg);
    if (FAILED(hr))
    {
        bench_fail("row 8: a media stream was not created (%#lx)", (unsigned long)hr);
        rtcpm_media_stream_destroy(s1);
        return 0;
    }
    rtcpm_media_stream_local(s1, &r1, &c1);
    rtcpm_media_stream_local(s2, &r2, &c2);
    rtcpm_media_stream_set_remote(s1, &r2, &c2);
    rtcpm_media_stream_set_remote(s2, &r1, &c1);
    double cpu0 = bench_cpu_ns();
    rtcpm_media_stream_start(s1);
    rtcpm_media_stream_start(s2);
    test_sleep_ms((unsigned)(seconds * 1000));
    rtcpm_media_stream_stop(s1);
    rtcpm_media_stream_stop(s2);
    double cpu = bench_cpu_ns() - cpu0;
    struct rtcpm_media_stats st1, st2;
    rtcpm_media_stream_get_stats(s1, &st1);
    rtcpm_media_stream_get_stats(s2, &st2);
    rtcpm_media_stream_destroy(s1);
    rtcpm_media_stream_destroy(s2);
    uint64_t frames = st1.rtp_sent + st2.rtp_sent;
    if (st1.rtp_received + st2.rtp_received < frames / 2) bench_fail("row 8: the two streams did not talk");
    /* each of these leaves the row without a value: say which (ci32 saw it once on mingw32) */
    if (!frames) bench_fail("row 8: the two streams sent nothing in %.1f s", seconds);
    if (cpu <= 0) bench_fail("row 8: the process's CPU time did not advance (%.0f ns) over %.1f s", cpu, seconds);
    return frames && cpu > 0 ? cpu / (double)frames : 0;
}

static void row_cpu(struct media_ctx *c)
{
    struct bench_side a = { 0 }, b = { 0 };
    bench_one_ns(bench_kernel_media_call, c, &a);
    a.what = "session core in-process: send + receive + play one frame, RTCP when due";
    int reps = bench_opts.short_mode ? 1 : 3;
    double samples[3];
    for (int i = 0; i < reps; i++) samples[i] = threaded_cpu_ns_per_frame(bench_opts.short_mode ? 1.0 : 4.0);
    bench_summarize(samples, reps, &b);
    b.what = "2 real streams on loopback (thread, UDP sockets, 20 ms clock): process CPU per frame and stream";
    bench_add_row("8", "CPU per call end and 20 ms frame (both directions), G.711", "ns", &a, &b, GOAL_BOTH_LE, 2e6,
                  "<= 2 ms (10 % of a CPU)");
}

/* A deterministic pseudo-random number in [0, 1). */
static double next_uniform(uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(*state >> 11) / 9007199254740992.0;
}

/* The jitter buffer on a simulated network, one arrival phase (samples after the playout
 * tick): its statistics (added delay: arrival -> playout; frames concealed). */
static void simulate_jb(double loss, uint32_t phase, uint64_t seed, struct rtcpm_jb_stats *st)
{
    static struct rtcpm_jitter_buffer jb;
    int16_t pcm[FRAME], out[FRAME];
    uint64_t rng = seed;
    const uint32_t frames = 120 * 50;
    uint32_t k_next = 0, arrival[8] = { 0 };
    int lost[8] = { 0 };
    memset(pcm, 1, sizeof(pcm));
    rtcpm_jb_init(&jb, 0, 0);
    for (uint32_t tick = 0; tick < frames; tick++)
    {
        uint32_t t = tick * FRAME;
        /* packets sent at k * 160, arriving phase + [0, 2 ms) later, some lost */
        for (; k_next <= tick + 2; k_next++)
        {
            arrival[k_next % 8] = k_next * FRAME + phase + (uint32_t)(next_uniform(&rng) * 16);
            lost[k_next % 8] = next_uniform(&rng) < loss;
        }
        for (uint32_t k = tick >= 3 ? tick - 3 : 0; k < k_next; k++)
            if (!lost[k % 8] && arrival[k % 8] <= t && arrival[k % 8] + FRAME > t)
                rtcpm_jb_put(&jb, (uint16_t)k, k * FRAME, pcm, FRAME, arrival[k % 8]);
        rtcpm_jb_get(&jb, t, out);
    }
    *st = jb.stats;
}

/* Mean added delay (ms) and share of frames concealed (%) over 8 arrival phases. */
static void jb_delay(double loss, double *delay_ms, double *concealed_pct)
{
    uint64_t sum = 0, count = 0, concealed = 0, frames = 0;
    for (uint32_t i = 0; i < 8; i++)
    {
        struct rtcpm_jb_stats st;
        simulate_jb(loss, i * FRAME / 8, 1000 + i, &st);
        sum += st.delay_sum;
        count += st.delay_count;
        concealed += st.concealed;
        frames += st.played + st.concealed + st.silent;
    }
    *delay_ms = count ? (double)sum / (double)count / 8.0 : 0;
    *concealed_pct = frames ? 100.0 * (double)concealed / (double)frames : 0;
}

static void rows_jitter_buffer(void)
{
    static const double losses[] = { 0.0, 0.05, 0.20 };
    for (int i = 0; i < 3; i++)
    {
        char name[160], what[160];
        double delay, concealed;
        jb_delay(losses[i], &delay, &concealed);
        struct bench_side a = floor_side(), b = { 1, what, delay * 1e6, 0 };
        snprintf(what, sizeof(what), "mean wait in the jitter buffer (arrival -> playout); %.1f %% of frames concealed",
                 concealed);
        snprintf(name, sizeof(name),
                 "jitter buffer's added delay, %.0f %% loss, 0-2 ms jitter (simulated: 8 arrival phases x 120 s)",
                 losses[i] * 100);
        bench_add_row("8", name, "ns", &a, &b, GOAL_RATIO_LE, 1.0, "B/A <= 1 (at most one frame)");
    }
}

void bench_row_media(void)
{
    struct media_ctx c;
    ctx_open(&c);
    if (!bench_failed()) rows_latency(&c);
    if (!bench_failed()) row_cpu(&c);
    ctx_close(&c);
    if (!bench_failed()) rows_jitter_buffer();
}
