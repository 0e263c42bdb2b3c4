/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_media_loopback.c — two media streams in one process exchange a known signal over
 * loopback UDP, through the test-hook file devices: a 1 kHz tone made here goes in as A's
 * microphone and must come out of B's speaker file (Goertzel: the frequency, the level, the
 * duration); DTMF from A is reported by B and played locally at A; mute sends silence (not
 * nothing); the volume scales the level; IPv6 works the same.
 */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loopback.h"
#include "media/media_stream.h"
#include "media/wav.h"
#include "test_thread.h"

#define RATE 8000

/* A WAV file of `seconds` of a sine at hz (peak amplitude). */
static void write_tone(const char *path, double hz, double seconds, int amplitude)
{
    FILE *f = fopen(path, "wb");
    uint8_t hdr[44];
    int n = (int)(seconds * RATE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    rtcpm_wav_header(hdr, (uint32_t)n * 2);
    fwrite(hdr, 1, sizeof(hdr), f);
    for (int i = 0; i < n; i++)
    {
        int16_t s = (int16_t)lround(amplitude * sin(2 * 3.141592653589793 * hz * i / RATE));
        uint8_t le[2] = { (uint8_t)s, (uint8_t)((uint16_t)s >> 8) };
        fwrite(le, 1, 2, f);
    }
    fclose(f);
}

/* The samples of a WAV file the playback device wrote (malloc'd; *n samples). */
static int16_t *read_wav(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    static uint8_t data[8 << 20];
    struct rtcpm_wav_info w;
    *n = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    size_t len = fread(data, 1, sizeof(data), f);
    fclose(f);
    CU_ASSERT_EQUAL_FATAL(rtcpm_wav_parse(data, len, &w), 0);
    int16_t *pcm = malloc(w.data_len + 2);
    for (size_t i = 0; i < w.data_len / 2; i++)
        pcm[i] = (int16_t)(data[w.data_offset + 2 * i] | (data[w.data_offset + 2 * i + 1] << 8));
    *n = w.data_len / 2;
    return pcm;
}

/* Goertzel power of hz in x[0..n), relative to the signal's energy (1 for a pure tone). */
static double tone_share(const int16_t *x, size_t n, double hz)
{
    double w = 2 * 3.141592653589793 * hz / RATE, c = 2 * cos(w), s1 = 0, s2 = 0, energy = 0;
    for (size_t i = 0; i < n; i++)
    {
        double s = x[i] + c * s1 - s2;
        s2 = s1;
        s1 = s;
        energy += (double)x[i] * x[i];
    }
    return energy > 0 ? (s1 * s1 + s2 * s2 - c * s1 * s2) / (energy * (double)n / 2) : 0;
}

static double rms(const int16_t *x, size_t n)
{
    double e = 0;
    for (size_t i = 0; i < n; i++) e += (double)x[i] * x[i];
    return n ? sqrt(e / (double)n) : 0;
}

/* 20 ms frames that carry the tone: most of their energy at hz, and loud enough. */
static int tone_frames(const int16_t *x, size_t n, double hz, double min_rms)
{
    int frames = 0;
    for (size_t off = 0; off + 160 <= n; off += 160)
        frames += tone_share(x + off, 160, hz) > 0.8 && rms(x + off, 160) > min_rms;
    return frames;
}

struct pair
{
    struct rtcpm_media_stream *a, *b;
    int dtmf_began, dtmf_ended, last_event;
    unsigned last_duration;
};

static void on_b_event(void *ctx, const struct rtcpm_media_event *ev)
{
    struct pair *p = ctx;
    if (ev->type != RTCPM_MEDIA_EV_DTMF) return;
    p->last_event = ev->dtmf_event;
    if (ev->dtmf_end)
        p->dtmf_ended++, p->last_duration = ev->dtmf_duration;
    else
        p->dtmf_began++;
}

/* A (microphone a_in, speaker a_out) and B (b_out) on host, sending to each other. */
static void pair_start(struct pair *p, const char *host, const char *a_in, const char *a_out, const char *b_out)
{
    struct rtcpm_media_config cfg;
    rtcpm_addr a_rtp, a_rtcp, b_rtp, b_rtcp;
    memset(p, 0, sizeof(*p));
    rtcpm_media_config_init(&cfg);
    cfg.local_rtp = test_addr(host, 0);
    cfg.capture_device = a_in;
    cfg.playback_device = a_out;
    CU_ASSERT_EQUAL_FATAL(rtcpm_media_stream_create(&p->a, &cfg), S_OK);
    cfg.capture_device = "none";
    cfg.playback_device = b_out;
    cfg.on_event = on_b_event;
    cfg.ctx = p;
    CU_ASSERT_EQUAL_FATAL(rtcpm_media_stream_create(&p->b, &cfg), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_local(p->a, &a_rtp, &a_rtcp), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_local(p->b, &b_rtp, &b_rtcp), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_remote(p->a, &b_rtp, &b_rtcp), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_remote(p->b, &a_rtp, &a_rtcp), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_start(p->b), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_start(p->a), S_OK);
}

static void pair_stop(struct pair *p, struct rtcpm_media_stats *a, struct rtcpm_media_stats *b)
{
    CU_ASSERT_EQUAL(rtcpm_media_stream_stop(p->a), S_OK);
    test_sleep_ms(100); /* the last packets reach B */
    CU_ASSERT_EQUAL(rtcpm_media_stream_stop(p->b), S_OK);
    rtcpm_media_stream_get_stats(p->a, a);
    rtcpm_media_stream_get_stats(p->b, b);
    rtcpm_media_stream_destroy(p->a);
    rtcpm_media_stream_destroy(p->b);
}

static void test_tone_a_to_b(void)
{
    struct pair p;
    struct rtcpm_media_stats sa, sb;
    size_t n;
    write_tone("loopback_tone.wav", 1000, 2.0, 8000);
    pair_start(&p, "127.0.0.1", "file:loopback_tone.wav", "none", "file:loopback_heard.wav");
    test_sleep_ms(2500);
    pair_stop(&p, &sa, &sb);
    int16_t *heard = read_wav("loopback_heard.wav", &n);
    int frames = tone_frames(heard, n, 1000, 3000);
    printf("\n  B heard %zu samples, %d frames of 1 kHz (of 100 sent); %llu packets, %llu lost, jitter %u\n", n, frames,
           (unsigned long long)sb.rtp_received, (long long unsigned)sb.cumulative_lost, sb.jitter);
    CU_ASSERT_TRUE(frames >= 80);      /* 1.6 of the 2 s, whatever the machine's load */
    CU_ASSERT_TRUE(frames <= 100 + 3); /* no more tone than was sent */
    CU_ASSERT_TRUE(sb.rtp_received >= 100);
    CU_ASSERT_EQUAL(sb.remote_ssrc, sa.local_ssrc);
    CU_ASSERT_TRUE(sb.frames_played >= 100);
    CU_ASSERT_EQUAL(sa.capture_open, 1);  /* the file devices opened */
    CU_ASSERT_EQUAL(sa.playback_open, 0); /* "none" */
    CU_ASSERT_EQUAL(sb.playback_open, 1);
    free(heard);
    remove("loopback_tone.wav");
    remove("loopback_heard.wav");
}

/* DTMF: B reports the events, A hears its own key tone (697 + 1209 Hz for '1'). */
static void test_dtmf(void)
{
    struct pair p;
    struct rtcpm_media_stats sa, sb;
    size_t n;
    pair_start(&p, "127.0.0.1", "none", "file:loopback_keys.wav", "none");
    test_sleep_ms(200);
    CU_ASSERT_EQUAL(rtcpm_media_stream_send_dtmf(p.a, 1, 200), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_send_dtmf(p.a, 11, 0), S_OK);
    test_sleep_ms(1000);
    pair_stop(&p, &sa, &sb);
    CU_ASSERT_EQUAL(p.dtmf_began, 2);
    CU_ASSERT_EQUAL(p.dtmf_ended, 2);
    CU_ASSERT_EQUAL(p.last_event, 11);
    CU_ASSERT_EQUAL(p.last_duration, 1280);
    CU_ASSERT_EQUAL(sa.dtmf_sent, 2);
    CU_ASSERT_EQUAL(sb.dtmf_received, 2);
    int16_t *keys = read_wav("loopback_keys.wav", &n);
    int with_1 = 0, with_pound = 0;
    for (size_t off = 0; off + 160 <= n; off += 160)
    {
        with_1 += tone_share(keys + off, 160, 697) > 0.3 && tone_share(keys + off, 160, 1209) > 0.3;
        with_pound += tone_share(keys + off, 160, 941) > 0.3 && tone_share(keys + off, 160, 1477) > 0.3;
    }
    CU_ASSERT_TRUE(with_1 >= 8 && with_1 <= 12 + 2); /* 200 ms + the end packets' 40 ms */
    CU_ASSERT_TRUE(with_pound >= 6 && with_pound <= 10 + 2);
    free(keys);
    remove("loopback_keys.wav");
}

/* Mute sends silence: the packets keep flowing, B hears nothing. Volume 0x8000 halves. */
static void test_mute_and_volume(void)
{
    struct pair p;
    struct rtcpm_media_stats sa, sb;
    size_t n;
    write_tone("loopback_tone2.wav", 1000, 3.0, 8000);
    pair_start(&p, "127.0.0.1", "file:loopback_tone2.wav", "none", "file:loopback_muted.wav");
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_mute(p.a, RTCPM_MEDIA_SEND, 1), S_OK);
    test_sleep_ms(1000);
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_mute(p.a, RTCPM_MEDIA_SEND, 0), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_volume(p.a, RTCPM_MEDIA_SEND, 0x8000), S_OK);
    test_sleep_ms(1000);
    pair_stop(&p, &sa, &sb);
    int16_t *x = read_wav("loopback_muted.wav", &n);
    int silent = 0, half = 0, full = 0;
    for (size_t off = 0; off + 160 <= n; off += 160)
    {
        double r = rms(x + off, 160);
        silent += r == 0;
        half += r > 0.4 * 8000 / sqrt(2) && r < 0.6 * 8000 / sqrt(2) && tone_share(x + off, 160, 1000) > 0.8;
        full += r > 0.8 * 8000 / sqrt(2);
    }
    printf("\n  %d silent, %d half-level, %d full-level frames; %llu packets received\n", silent, half, full,
           (unsigned long long)sb.rtp_received);
    CU_ASSERT_TRUE(sb.rtp_received >= 90); /* mute is not "send nothing" */
    CU_ASSERT_TRUE(silent >= 35);
    CU_ASSERT_TRUE(half >= 35);
    CU_ASSERT_TRUE(full <= 3);
    free(x);
    remove("loopback_tone2.wav");
    remove("loopback_muted.wav");
}

static void test_ipv6(void)
{
    struct pair p;
    struct rtcpm_media_stats sa, sb;
    if (!test_have_ipv6()) return;
    pair_start(&p, "::1", "none", "none", "none");
    test_sleep_ms(400);
    pair_stop(&p, &sa, &sb);
    CU_ASSERT_TRUE(sb.rtp_received >= 10);
    CU_ASSERT_TRUE(sa.rtp_received >= 10);
    CU_ASSERT_EQUAL(sb.rtp_ignored, 0);
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "tone_a_to_b", test_tone_a_to_b },
        { "dtmf", test_dtmf },
        { "mute_and_volume", test_mute_and_volume },
        { "ipv6", test_ipv6 },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("media_loopback", tests, argc, argv);
}
