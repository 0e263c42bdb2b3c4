/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dtmf_tone.c — DTMF dual-tone generator (Q.23 frequencies).
 */
#include "media/dtmf_tone.h"

#include <math.h>

static const int row_hz[4] = { 697, 770, 852, 941 };
static const int col_hz[4] = { 1209, 1336, 1477, 1633 };
/* RFC 4733 event -> keypad position (row * 4 + column) */
static const int8_t key_pos[16] = {
    13,
    /* 0 */ 0,
    1,
    2,
    /* 1 2 3 */ 4,
    5,
    6,
    /* 4 5 6 */ 8,
    9,
    10, /* 7 8 9 */
    12,
    /* * */ 14,
    /* # */ 3,
    7,
    11,
    15 /* A B C D */
};

int rtcpm_dtmf_tone_freqs(int event, int *low_hz, int *high_hz)
{
    if (event < 0 || event > 15) return -1;
    *low_hz = row_hz[key_pos[event] / 4];
    *high_hz = col_hz[key_pos[event] % 4];
    return 0;
}

void rtcpm_dtmf_tone_init(struct rtcpm_dtmf_tone *t)
{
    t->event = -1;
    t->n = 0;
}

void rtcpm_dtmf_tone_set(struct rtcpm_dtmf_tone *t, int event)
{
    int lo, hi;
    if (event == t->event) return;
    t->event = rtcpm_dtmf_tone_freqs(event, &lo, &hi) ? -1 : event;
    t->n = 0;
}

void rtcpm_dtmf_tone_mix(struct rtcpm_dtmf_tone *t, int16_t *pcm, size_t n)
{
    int lo, hi;
    if (t->event < 0 || rtcpm_dtmf_tone_freqs(t->event, &lo, &hi)) return;
    const double two_pi = 6.283185307179586;
    for (size_t i = 0; i < n; i++, t->n++)
    {
        double x = (double)(t->n % 8000u) / 8000.0; /* both frequencies are whole Hz: period 1 s */
        long v = pcm[i] + lround(RTCPM_DTMF_TONE_PEAK * (sin(two_pi * lo * x) + sin(two_pi * hi * x)));
        pcm[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
}
