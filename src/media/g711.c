/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * g711.c — G.711 companding: 8 segments of 16 steps each, the step doubling from one
 * segment to the next (ITU-T G.711 tables 1 and 2).
 */
#include "media/g711.h"

#define ULAW_BIAS 0x84 /* 132: shifts the mu-law segments onto powers of two */
#define ULAW_CLIP 8159 /* largest 14-bit magnitude before the bias */

/* The segment of a magnitude: the number of the first end point it does not exceed. */
static int segment(int value, int first_end)
{
    int seg = 0, end = first_end;
    while (seg < 8 && value > end)
    {
        seg++;
        end = end * 2 + 1;
    }
    return seg;
}

/* 16-bit sample -> nearest value of `bits` bits (rounding half up, the top clipped). */
static int reduce(int16_t pcm, int shift)
{
    int v = (pcm + (1 << (shift - 1))) >> shift, max = 32767 >> shift;
    return v > max ? max : v;
}

uint8_t rtcpm_g711_linear_to_ulaw(int16_t pcm)
{
    int v = reduce(pcm, 2), mask = 0xFF;
    if (v < 0)
    {
        v = -v;
        mask = 0x7F;
    }
    if (v > ULAW_CLIP) v = ULAW_CLIP;
    v += ULAW_BIAS >> 2;
    int seg = segment(v, 0x3F);
    if (seg >= 8) return (uint8_t)(0x7F ^ mask);
    return (uint8_t)(((seg << 4) | ((v >> (seg + 1)) & 0x0F)) ^ mask);
}

int16_t rtcpm_g711_ulaw_to_linear(uint8_t code)
{
    int u = ~code & 0xFF;
    int t = (((u & 0x0F) << 3) + ULAW_BIAS) << ((u & 0x70) >> 4);
    return (int16_t)((u & 0x80) ? (ULAW_BIAS - t) : (t - ULAW_BIAS));
}

uint8_t rtcpm_g711_linear_to_alaw(int16_t pcm)
{
    int v = reduce(pcm, 3), mask;
    if (v >= 0)
        mask = 0xD5; /* sign bit 1 = positive, even bits inverted */
    else
    {
        mask = 0x55;
        v = -v - 1;
    }
    int seg = segment(v, 0x1F);
    if (seg >= 8) return (uint8_t)(0x7F ^ mask);
    int a = seg << 4;
    a |= (seg < 2) ? ((v >> 1) & 0x0F) : ((v >> seg) & 0x0F);
    return (uint8_t)(a ^ mask);
}

int16_t rtcpm_g711_alaw_to_linear(uint8_t code)
{
    int a = code ^ 0x55;
    int t = (a & 0x0F) << 4;
    int seg = (a & 0x70) >> 4;
    if (seg == 0)
        t += 8;
    else
    {
        t += 0x108;
        t <<= seg - 1;
    }
    return (int16_t)((a & 0x80) ? t : -t);
}

int rtcpm_g711_encode(int codec, const int16_t *pcm, size_t n, uint8_t *out)
{
    if (codec != 0 && codec != 8) return -1;
    for (size_t i = 0; i < n; i++)
    {
        int16_t s = pcm ? pcm[i] : 0;
        out[i] = codec == 0 ? rtcpm_g711_linear_to_ulaw(s) : rtcpm_g711_linear_to_alaw(s);
    }
    return 0;
}

int rtcpm_g711_decode(int codec, const uint8_t *in, size_t n, int16_t *pcm)
{
    if (codec != 0 && codec != 8) return -1;
    for (size_t i = 0; i < n; i++)
        pcm[i] = codec == 0 ? rtcpm_g711_ulaw_to_linear(in[i]) : rtcpm_g711_alaw_to_linear(in[i]);
    return 0;
}
