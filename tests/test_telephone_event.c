/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_telephone_event.c — RFC 4733 telephone-events: the payload bytes, the sender's packet
 * sequence (marker, growing duration, three end packets, events one after another), the
 * receiver's reports (begin once, end once, lost starts, redundant ends, old events), and the
 * DTMF tone generator (Goertzel: the key's two frequencies and no other).
 */
#include "harness.h"

#include <math.h>
#include <string.h>

#include "media/dtmf_tone.h"
#include "media/telephone_event.h"

static void test_payload(void)
{
    static const uint8_t wire[4] = { 0x05, 0x8a, 0x05, 0x00 };
    struct rtcpm_tevent e;
    uint8_t out[4];
    CU_ASSERT_EQUAL(rtcpm_tevent_parse(wire, 4, &e), 0);
    CU_ASSERT_EQUAL(e.event, 5);
    CU_ASSERT_EQUAL(e.end, 1);
    CU_ASSERT_EQUAL(e.volume, 10);
    CU_ASSERT_EQUAL(e.duration, 1280);
    rtcpm_tevent_write(&e, out);
    CU_ASSERT_EQUAL(memcmp(out, wire, 4), 0);
    uint8_t reserved[4] = { 11, 0x40 | 7, 0, 160 }; /* R bit set: ignored */
    CU_ASSERT_EQUAL(rtcpm_tevent_parse(reserved, 4, &e), 0);
    CU_ASSERT_EQUAL(e.end, 0);
    CU_ASSERT_EQUAL(e.volume, 7);
    CU_ASSERT_EQUAL(rtcpm_tevent_parse(wire, 3, &e), -1);
    CU_ASSERT_EQUAL(rtcpm_tevent_parse(wire, 8, &e), -1);
    CU_ASSERT_EQUAL(rtcpm_tevent_char(11), '#');
    CU_ASSERT_EQUAL(rtcpm_tevent_char(16), '!');
    CU_ASSERT_EQUAL(rtcpm_tevent_char(17), '?');
}

/* Ticks the sender once: 1 when an event packet goes out. */
static int tick(struct rtcpm_tevent_sender *s, uint32_t now_ts, struct rtcpm_tevent *e, int *marker, uint32_t *ts)
{
    return rtcpm_tevent_sender_tick(s, now_ts, e, marker, ts);
}

static void test_sender_sequence(void)
{
    struct rtcpm_tevent_sender s;
    struct rtcpm_tevent e;
    int marker;
    uint32_t ts, now = 0xffffff60u; /* the timestamp wraps during the event */
    rtcpm_tevent_sender_init(&s);
    CU_ASSERT_EQUAL(tick(&s, now, &e, &marker, &ts), 0);
    CU_ASSERT_EQUAL(rtcpm_tevent_sender_queue(&s, 1, 160), 0);
    CU_ASSERT_EQUAL(rtcpm_tevent_sender_queue(&s, 11, 30), 0); /* rounded up to two packets */
    for (int i = 1; i <= 10; i++, now += 160)
    {
        CU_ASSERT_EQUAL_FATAL(tick(&s, now, &e, &marker, &ts), 1);
        CU_ASSERT_EQUAL(marker, i == 1);
        CU_ASSERT_EQUAL(ts, 0xffffff60u);
        CU_ASSERT_EQUAL(e.event, 1);
        CU_ASSERT_EQUAL(e.volume, RTCPM_TEVENT_VOLUME);
        CU_ASSERT_EQUAL(e.duration, (i < 8 ? i : 8) * 160);
        CU_ASSERT_EQUAL(e.end, i >= 8);
        CU_ASSERT_EQUAL(rtcpm_tevent_sender_current(&s), i < 10 ? 1 : -1);
    }
    /* the second event: its own timestamp, 2 packets + 2 more ends */
    uint32_t start = now;
    for (int i = 1; i <= 4; i++, now += 160)
    {
        CU_ASSERT_EQUAL_FATAL(tick(&s, now, &e, &marker, &ts), 1);
        CU_ASSERT_EQUAL(ts, start);
        CU_ASSERT_EQUAL(e.event, 11);
        CU_ASSERT_EQUAL(e.duration, (i < 2 ? i : 2) * 160);
        CU_ASSERT_EQUAL(e.end, i >= 2);
    }
    CU_ASSERT_EQUAL(tick(&s, now, &e, &marker, &ts), 0);
    for (int i = 0; i < RTCPM_TEVENT_QUEUE; i++) CU_ASSERT_EQUAL(rtcpm_tevent_sender_queue(&s, 2, 100), 0);
    CU_ASSERT_EQUAL(rtcpm_tevent_sender_queue(&s, 2, 100), -1);
}

static void packet(struct rtcpm_tevent_receiver *r, int event, int end, int duration, uint32_t ts,
                   struct rtcpm_tevent_report *rep)
{
    struct rtcpm_tevent e = { event, end, 10, (uint16_t)duration };
    rtcpm_tevent_receiver_packet(r, &e, ts, rep);
}

static void test_receiver(void)
{
    struct rtcpm_tevent_receiver r;
    struct rtcpm_tevent_report rep;
    rtcpm_tevent_receiver_init(&r);
    /* begin, updates (one lost), end three times: one begin, one end */
    packet(&r, 4, 0, 160, 1000, &rep);
    CU_ASSERT_EQUAL_FATAL(rep.n, 1);
    CU_ASSERT_EQUAL(rep.r[0].event, 4);
    CU_ASSERT_EQUAL(rep.r[0].end, 0);
    packet(&r, 4, 0, 320, 1000, &rep);
    CU_ASSERT_EQUAL(rep.n, 0);
    packet(&r, 4, 1, 800, 1000, &rep);
    CU_ASSERT_EQUAL_FATAL(rep.n, 1);
    CU_ASSERT_EQUAL(rep.r[0].end, 1);
    CU_ASSERT_EQUAL(rep.r[0].duration, 800);
    packet(&r, 4, 1, 800, 1000, &rep);
    packet(&r, 4, 1, 800, 1000, &rep);
    CU_ASSERT_EQUAL(rep.n, 0);
    /* an event whose packets all were lost but the end: begin and end at once */
    packet(&r, 9, 1, 640, 5000, &rep);
    CU_ASSERT_EQUAL_FATAL(rep.n, 2);
    CU_ASSERT_EQUAL(rep.r[0].end, 0);
    CU_ASSERT_EQUAL(rep.r[1].end, 1);
    CU_ASSERT_EQUAL(rep.r[1].duration, 640);
    /* an event that never ends, then the next one: the first's end (last duration) first */
    packet(&r, 1, 0, 160, 9000, &rep);
    packet(&r, 1, 0, 480, 9000, &rep);
    packet(&r, 2, 0, 160, 12000, &rep);
    CU_ASSERT_EQUAL_FATAL(rep.n, 2);
    CU_ASSERT_EQUAL(rep.r[0].event, 1);
    CU_ASSERT_EQUAL(rep.r[0].end, 1);
    CU_ASSERT_EQUAL(rep.r[0].duration, 480);
    CU_ASSERT_EQUAL(rep.r[1].event, 2);
    CU_ASSERT_EQUAL(rep.r[1].end, 0);
    /* a late packet of an older event: nothing */
    packet(&r, 1, 1, 480, 9000, &rep);
    CU_ASSERT_EQUAL(rep.n, 0);
    /* across the timestamp wrap, newer is newer */
    rtcpm_tevent_receiver_init(&r);
    packet(&r, 3, 1, 320, 0xffffff00u, &rep);
    packet(&r, 5, 0, 160, 0x100u, &rep);
    CU_ASSERT_EQUAL(rep.n, 1);
    CU_ASSERT_EQUAL(rep.r[0].event, 5);
}

/* Goertzel: the power of frequency hz in n samples, relative to the signal's. */
static double relative_power(const int16_t *x, int n, double hz)
{
    double w = 2 * 3.141592653589793 * hz / 8000.0, c = 2 * cos(w), s1 = 0, s2 = 0, energy = 0;
    for (int i = 0; i < n; i++)
    {
        double s = x[i] + c * s1 - s2;
        s2 = s1;
        s1 = s;
        energy += (double)x[i] * x[i];
    }
    double p = s1 * s1 + s2 * s2 - c * s1 * s2;
    return energy > 0 ? p / (energy * n / 2) : 0;
}

static void test_tones(void)
{
    static const int all[] = { 697, 770, 852, 941, 1209, 1336, 1477, 1633 };
    int16_t pcm[800];
    struct rtcpm_dtmf_tone t;
    for (int ev = 0; ev < 16; ev++)
    {
        int lo, hi;
        CU_ASSERT_EQUAL_FATAL(rtcpm_dtmf_tone_freqs(ev, &lo, &hi), 0);
        memset(pcm, 0, sizeof(pcm));
        rtcpm_dtmf_tone_init(&t);
        rtcpm_dtmf_tone_set(&t, ev);
        rtcpm_dtmf_tone_mix(&t, pcm, 400);
        rtcpm_dtmf_tone_mix(&t, pcm + 400, 400); /* phase continues across calls */
        for (int f = 0; f < 8; f++)
        {
            double p = relative_power(pcm, 800, all[f]);
            int key = all[f] == lo || all[f] == hi;
            CU_ASSERT_TRUE(key ? p > 0.4 : p < 0.01);
        }
        int peak = 0;
        for (int i = 0; i < 800; i++) peak = pcm[i] > peak ? pcm[i] : peak;
        CU_ASSERT_TRUE(peak > RTCPM_DTMF_TONE_PEAK && peak <= 2 * RTCPM_DTMF_TONE_PEAK);
    }
    int lo, hi;
    CU_ASSERT_EQUAL(rtcpm_dtmf_tone_freqs(1, &lo, &hi), 0);
    CU_ASSERT_EQUAL(lo, 697);
    CU_ASSERT_EQUAL(hi, 1209);
    CU_ASSERT_EQUAL(rtcpm_dtmf_tone_freqs(11, &lo, &hi), 0); /* # */
    CU_ASSERT_EQUAL(lo, 941);
    CU_ASSERT_EQUAL(hi, 1477);
    CU_ASSERT_EQUAL(rtcpm_dtmf_tone_freqs(16, &lo, &hi), -1); /* flash: no tone */
    /* no tone: nothing added; mixing saturates */
    for (int i = 0; i < 800; i++) pcm[i] = 32000;
    rtcpm_dtmf_tone_set(&t, -1);
    rtcpm_dtmf_tone_mix(&t, pcm, 800);
    CU_ASSERT_EQUAL(pcm[17], 32000);
    rtcpm_dtmf_tone_set(&t, 5);
    rtcpm_dtmf_tone_mix(&t, pcm, 800);
    int top = 0;
    for (int i = 0; i < 800; i++) top += pcm[i] == 32767;
    CU_ASSERT_TRUE(top > 0);
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "payload", test_payload },
        { "sender_sequence", test_sender_sequence },
        { "receiver", test_receiver },
        { "tones", test_tones },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("telephone_event", tests, argc, argv);
}
