/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_jitter_buffer.c — the adaptive jitter buffer on a simulated clock: order restored,
 * losses concealed (repetition, fading, then silence), duplicates and late packets dropped,
 * the delay growing with jitter and shrinking back, sequence and timestamp wrap, restarts,
 * packets of 30 ms.
 */
#include "harness.h"

#include <string.h>

#include "media/jitter_buffer.h"

#define F RTCPM_JB_FRAME

/* Frame k of a test stream: every sample = 100 + k (never 0, so silence shows). */
static void frame_of(int k, int16_t *pcm)
{
    for (int i = 0; i < F; i++) pcm[i] = (int16_t)(100 + k);
}

static int is_frame(const int16_t *pcm, int k)
{
    for (int i = 0; i < F; i++)
        if (pcm[i] != (int16_t)(100 + k)) return 0;
    return 1;
}

static int is_silence(const int16_t *pcm)
{
    for (int i = 0; i < F; i++)
        if (pcm[i]) return 0;
    return 1;
}

struct sim
{
    struct rtcpm_jitter_buffer jb;
    uint16_t seq0;
    uint32_t ts0, now0;
};

static void sim_init(struct sim *s, uint16_t seq0, uint32_t ts0, uint32_t now0)
{
    rtcpm_jb_init(&s->jb, 0, 0);
    s->seq0 = seq0;
    s->ts0 = ts0;
    s->now0 = now0;
}

static enum rtcpm_jb_put_result put(struct sim *s, int k, uint32_t at)
{
    int16_t pcm[F];
    frame_of(k, pcm);
    return rtcpm_jb_put(&s->jb, (uint16_t)(s->seq0 + k), s->ts0 + (uint32_t)k * F, pcm, F, s->now0 + at);
}

static enum rtcpm_jb_frame get(struct sim *s, uint32_t at, int16_t *out)
{
    return rtcpm_jb_get(&s->jb, s->now0 + at, out);
}

static void test_in_order(void)
{
    struct sim s;
    int16_t out[F];
    sim_init(&s, 1000, 5000, 77);
    CU_ASSERT_EQUAL(get(&s, 0, out), RTCPM_JB_SILENCE); /* nothing yet */
    for (int k = 0; k < 100; k++)
    {
        CU_ASSERT_EQUAL(put(&s, k, (uint32_t)k * F + 5), RTCPM_JB_STORED);
        CU_ASSERT_EQUAL(get(&s, (uint32_t)k * F + 45, out), RTCPM_JB_PLAYED);
        CU_ASSERT_TRUE(is_frame(out, k));
    }
    CU_ASSERT_EQUAL(s.jb.stats.played, 100);
    CU_ASSERT_EQUAL(s.jb.stats.concealed, 0);
    CU_ASSERT_EQUAL(s.jb.stats.delay_sum, 100 * 40); /* each played 40 samples (5 ms) after arrival */
    CU_ASSERT_EQUAL(rtcpm_jb_target(&s.jb), 1);
}

static void test_reorder(void)
{
    static const int order[] = { 0, 1, 3, 2, 4, 6, 5, 7 };
    struct sim s;
    int16_t out[F];
    sim_init(&s, 65534, 0xfffffe00u, 0); /* sequence and timestamp wrap on the way */
    /* two frames of delay: the buffer starts at the target, so raise it with jitter first */
    s.jb.min_frames = 2;
    for (int i = 0; i < 8; i++) CU_ASSERT_EQUAL(put(&s, order[i], (uint32_t)i * F), RTCPM_JB_STORED);
    for (int k = 0; k < 8; k++)
    {
        CU_ASSERT_EQUAL(get(&s, 8 * F + (uint32_t)k * F, out), k == 0 ? RTCPM_JB_SILENCE : RTCPM_JB_PLAYED);
        if (k) CU_ASSERT_TRUE(is_frame(out, k - 1));
    }
    CU_ASSERT_EQUAL(s.jb.stats.played, 7);
    CU_ASSERT_EQUAL(s.jb.stats.late + s.jb.stats.duplicate, 0);
}

/* One frame lost: the previous repeated. Five lost: repeated at full, half, quarter level,
 * then silence. */
static void test_loss_concealment(void)
{
    struct sim s;
    int16_t out[F];
    uint32_t t = 0;
    sim_init(&s, 0, 0, 0);
    for (int k = 0; k < 20; k++, t += F)
    {
        if (k != 5 && (k < 10 || k > 14)) put(&s, k, t);
        enum rtcpm_jb_frame kind = get(&s, t + 10, out);
        if (k == 5)
        {
            CU_ASSERT_EQUAL(kind, RTCPM_JB_CONCEALED);
            CU_ASSERT_TRUE(is_frame(out, 4));
        }
        else if (k >= 10 && k <= 12)
        {
            CU_ASSERT_EQUAL(kind, RTCPM_JB_CONCEALED);
            CU_ASSERT_EQUAL(out[0], (100 + 9) >> (k - 10));
        }
        else if (k >= 13 && k <= 14)
        {
            CU_ASSERT_EQUAL(kind, RTCPM_JB_SILENCE);
            CU_ASSERT_TRUE(is_silence(out));
        }
        else
        {
            CU_ASSERT_EQUAL(kind, RTCPM_JB_PLAYED);
            CU_ASSERT_TRUE(is_frame(out, k));
        }
    }
    CU_ASSERT_EQUAL(s.jb.stats.concealed, 4);
    CU_ASSERT_EQUAL(s.jb.stats.silent, 2);
    CU_ASSERT_EQUAL(s.jb.stats.played, 14);
}

static void test_duplicates_and_late(void)
{
    struct sim s;
    int16_t out[F];
    sim_init(&s, 100, 1000, 0);
    CU_ASSERT_EQUAL(put(&s, 0, 0), RTCPM_JB_STORED);
    CU_ASSERT_EQUAL(put(&s, 0, 1), RTCPM_JB_DUPLICATE);
    CU_ASSERT_EQUAL(put(&s, 1, 2), RTCPM_JB_STORED);
    CU_ASSERT_EQUAL(put(&s, 1, 3), RTCPM_JB_DUPLICATE);
    CU_ASSERT_EQUAL(put(&s, 0, 4), RTCPM_JB_DUPLICATE); /* an older one, again */
    CU_ASSERT_EQUAL(get(&s, 10, out), RTCPM_JB_PLAYED);
    CU_ASSERT_TRUE(is_frame(out, 0));
    CU_ASSERT_EQUAL(get(&s, F + 10, out), RTCPM_JB_PLAYED);
    CU_ASSERT_TRUE(is_frame(out, 1));
    CU_ASSERT_EQUAL(get(&s, 2 * F + 10, out), RTCPM_JB_CONCEALED); /* frame 2 not there in time */
    CU_ASSERT_EQUAL(put(&s, 2, 2 * F + 20), RTCPM_JB_LATE);
    CU_ASSERT_EQUAL(put(&s, 0, 2 * F + 20), RTCPM_JB_LATE);
    CU_ASSERT_EQUAL(s.jb.stats.duplicate, 3);
    CU_ASSERT_EQUAL(s.jb.stats.late, 2);
    CU_ASSERT_EQUAL(rtcpm_jb_target(&s.jb), 3); /* each late packet adds a frame */
}

/* Deterministic jitter: packet k arrives k*F + d(k), d cycling 0..600 samples (75 ms). */
static uint32_t jitter_delay(int k) { return (uint32_t)((k * 7919) % 601); }

static void test_adapts_to_jitter(void)
{
    static uint8_t done[1100];
    struct sim s;
    int16_t out[F];
    int k_lo = 0, late_before = 0;
    memset(done, 0, sizeof(done));
    sim_init(&s, 0, 0, 0);
    /* 20 s of jittery arrivals, each packet put at its arrival tick (so out of order): the
     * target rises and the late packets stop */
    for (uint32_t t = 0; t < 20 * 8000; t += F)
    {
        for (int k = k_lo; k < k_lo + 8; k++)
            if (!done[k] && (uint32_t)k * F + jitter_delay(k) <= t)
                put(&s, k, (uint32_t)k * F + jitter_delay(k)), done[k] = 1;
        while (done[k_lo]) k_lo++;
        get(&s, t, out);
        if (t == 10 * 8000) late_before = (int)s.jb.stats.late;
    }
    CU_ASSERT_TRUE(rtcpm_jb_target(&s.jb) >= 4);
    CU_ASSERT_TRUE(s.jb.stats.grown >= 3);
    CU_ASSERT_TRUE((int)s.jb.stats.late - late_before <= 5); /* settled: hardly any late in the last 10 s */
    CU_ASSERT_TRUE(s.jb.stats.played > 900);
    /* then 60 s of a steady network (constant transit): the delay comes back to one frame */
    for (uint32_t t = 20 * 8000; t < 80 * 8000; t += F)
    {
        put(&s, (int)(t / F), t + 20);
        get(&s, t + 40, out);
    }
    CU_ASSERT_EQUAL(rtcpm_jb_target(&s.jb), 1);
    CU_ASSERT_TRUE(s.jb.stats.shrunk >= 3);
}

/* 30 ms packets: the frames still come out whole and in order. */
static void test_ptime_30(void)
{
    struct rtcpm_jitter_buffer jb;
    int16_t pkt[240], out[F];
    int sample = 0, bad = 0;
    rtcpm_jb_init(&jb, 2, 0);
    for (int p = 0, t = 0; p < 40; p++)
    {
        for (int i = 0; i < 240; i++) pkt[i] = (int16_t)(p * 240 + i + 1);
        rtcpm_jb_put(&jb, (uint16_t)p, 7 + (uint32_t)p * 240, pkt, 240, (uint32_t)p * 240);
        for (; t + F <= (p + 1) * 240; t += F)
        {
            if (rtcpm_jb_get(&jb, (uint32_t)t + F, out) != RTCPM_JB_PLAYED) continue;
            for (int i = 0; i < F; i++) bad += out[i] != (int16_t)(sample + i + 1);
            sample += F;
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_TRUE(sample >= 30 * 240);
}

/* A timestamp far ahead (a restarted source): the buffer starts over there. */
static void test_restart(void)
{
    struct sim s;
    int16_t out[F];
    sim_init(&s, 0, 0, 0);
    put(&s, 0, 0);
    CU_ASSERT_EQUAL(get(&s, 10, out), RTCPM_JB_PLAYED);
    s.ts0 += 1000000;
    s.seq0 += 30000;
    CU_ASSERT_EQUAL(put(&s, 1, F), RTCPM_JB_RESTARTED);
    CU_ASSERT_EQUAL(get(&s, F + 10, out), RTCPM_JB_PLAYED);
    CU_ASSERT_TRUE(is_frame(out, 1));
    CU_ASSERT_EQUAL(s.jb.stats.restarts, 1);
    /* and far behind (more than a second) */
    s.ts0 -= 2000000;
    CU_ASSERT_EQUAL(put(&s, 2, 2 * F), RTCPM_JB_RESTARTED);
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "in_order", test_in_order },
        { "reorder", test_reorder },
        { "loss_concealment", test_loss_concealment },
        { "duplicates_and_late", test_duplicates_and_late },
        { "adapts_to_jitter", test_adapts_to_jitter },
        { "ptime_30", test_ptime_30 },
        { "restart", test_restart },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("jitter_buffer", tests, argc, argv);
}
