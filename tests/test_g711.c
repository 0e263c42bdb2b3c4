/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_g711.c — G.711 against the properties of the ITU-T G.711 tables: the end points and
 * zero codes, sign symmetry, A-law's inverted even bits, 8 segments of 16 intervals whose
 * size doubles from one segment to the next, decoder outputs in the middle of their
 * intervals (so encoding a decoded value gives its code back), quantisation error within half
 * an interval. (Bit-exactness for every input is checked against sox: tests/media/g711_sox.sh.)
 */
#include "harness.h"

#include <stdlib.h>

#include "media/g711.h"

static void test_ulaw_fixed_points(void)
{
    CU_ASSERT_EQUAL(rtcpm_g711_ulaw_to_linear(0xFF), 0);
    CU_ASSERT_EQUAL(rtcpm_g711_ulaw_to_linear(0x7F), 0); /* "negative zero" */
    CU_ASSERT_EQUAL(rtcpm_g711_ulaw_to_linear(0x80), 32124);
    CU_ASSERT_EQUAL(rtcpm_g711_ulaw_to_linear(0x00), -32124);
    CU_ASSERT_EQUAL(rtcpm_g711_ulaw_to_linear(0xFE), 8); /* first interval: 2 in 14 bits */
    CU_ASSERT_EQUAL(rtcpm_g711_linear_to_ulaw(0), 0xFF);
    CU_ASSERT_EQUAL(rtcpm_g711_linear_to_ulaw(32767), 0x80);
    CU_ASSERT_EQUAL(rtcpm_g711_linear_to_ulaw(-32768), 0x00);
    CU_ASSERT_EQUAL(RTCPM_G711_ULAW_SILENCE, rtcpm_g711_linear_to_ulaw(0));
}

static void test_alaw_fixed_points(void)
{
    CU_ASSERT_EQUAL(rtcpm_g711_alaw_to_linear(0xD5), 8);
    CU_ASSERT_EQUAL(rtcpm_g711_alaw_to_linear(0x55), -8);
    CU_ASSERT_EQUAL(rtcpm_g711_alaw_to_linear(0xAA), 32256);
    CU_ASSERT_EQUAL(rtcpm_g711_alaw_to_linear(0x2A), -32256);
    CU_ASSERT_EQUAL(rtcpm_g711_linear_to_alaw(0), 0xD5);
    CU_ASSERT_EQUAL(rtcpm_g711_linear_to_alaw(32767), 0xAA);
    CU_ASSERT_EQUAL(rtcpm_g711_linear_to_alaw(-32768), 0x2A);
    CU_ASSERT_EQUAL(RTCPM_G711_ALAW_SILENCE, rtcpm_g711_linear_to_alaw(0));
}

/* The sign is the top bit: flipping it negates the value. A-law: 1 = positive once the even
 * bits are inverted (XOR 0x55); mu-law: 1 = positive, and all bits inverted. */
static void test_sign_symmetry(void)
{
    for (int c = 0; c < 256; c++)
    {
        CU_ASSERT_EQUAL(rtcpm_g711_ulaw_to_linear((uint8_t)c), -rtcpm_g711_ulaw_to_linear((uint8_t)(c ^ 0x80)));
        CU_ASSERT_EQUAL(rtcpm_g711_alaw_to_linear((uint8_t)c), -rtcpm_g711_alaw_to_linear((uint8_t)(c ^ 0x80)));
        CU_ASSERT_EQUAL(rtcpm_g711_alaw_to_linear((uint8_t)c) > 0, ((c ^ 0x55) & 0x80) != 0);
        if (rtcpm_g711_ulaw_to_linear((uint8_t)c))
            CU_ASSERT_EQUAL(rtcpm_g711_ulaw_to_linear((uint8_t)c) > 0, c >= 0x80);
    }
}

/* Positive codes in order of magnitude: segment s (0..7), interval m (0..15). */
static int16_t ulaw_pos(int s, int m) { return rtcpm_g711_ulaw_to_linear((uint8_t)(0xFF - (s * 16 + m))); }
static int16_t alaw_pos(int s, int m) { return rtcpm_g711_alaw_to_linear((uint8_t)((0x80 | (s << 4) | m) ^ 0x55)); }

/* 8 segments of 16 equal intervals; the interval doubles from segment to segment (A-law:
 * segments 0 and 1 share the smallest). In 16-bit units: mu-law 8, 16, ... 1024; A-law 16,
 * 16, 32, ... 1024. Values strictly increase with the code's magnitude. */
static void test_segments(void)
{
    for (int s = 0; s < 8; s++)
    {
        int ustep = 8 << s, astep = s == 0 ? 16 : 16 << (s - 1);
        for (int m = 0; m < 16; m++)
        {
            if (m < 15)
            {
                CU_ASSERT_EQUAL(ulaw_pos(s, m + 1) - ulaw_pos(s, m), ustep);
                CU_ASSERT_EQUAL(alaw_pos(s, m + 1) - alaw_pos(s, m), astep);
            }
            else if (s < 7)
            {
                /* across a boundary: half of each segment's interval */
                CU_ASSERT_EQUAL(ulaw_pos(s + 1, 0) - ulaw_pos(s, 15), ustep / 2 + ustep);
                CU_ASSERT_EQUAL(alaw_pos(s + 1, 0) - alaw_pos(s, 15), (astep + (16 << s)) / 2);
            }
        }
    }
}

/* Decoded values are interval midpoints: encoding one gives its code back. */
static void test_round_trip_codes(void)
{
    for (int c = 0; c < 256; c++)
    {
        CU_ASSERT_EQUAL(rtcpm_g711_linear_to_alaw(rtcpm_g711_alaw_to_linear((uint8_t)c)), c);
        if (c != 0x7F) CU_ASSERT_EQUAL(rtcpm_g711_linear_to_ulaw(rtcpm_g711_ulaw_to_linear((uint8_t)c)), c);
    }
    CU_ASSERT_EQUAL(rtcpm_g711_linear_to_ulaw(rtcpm_g711_ulaw_to_linear(0x7F)), 0xFF);
}

/* |x - decode(encode(x))| is within half of the chosen interval, plus the rounding of the
 * 16-bit sample to 14 (mu) / 13 (A) bits (2 / 4 in 16-bit units); beyond the largest code,
 * clipping to it. */
static void test_quantisation_error(void)
{
    int bad_u = 0, bad_a = 0;
    for (int x = -32768; x < 32768; x++)
    {
        uint8_t cu = rtcpm_g711_linear_to_ulaw((int16_t)x), ca = rtcpm_g711_linear_to_alaw((int16_t)x);
        int du = rtcpm_g711_ulaw_to_linear(cu), da = rtcpm_g711_alaw_to_linear(ca);
        int useg = ((~cu) >> 4) & 7, aseg = ((ca ^ 0x55) >> 4) & 7;
        int ubound = (8 << useg) / 2 + 2, abound = (aseg == 0 ? 16 : 16 << (aseg - 1)) / 2 + 4;
        if (abs(x) <= 32124 && abs(x - du) > ubound) bad_u++;
        if (abs(x) <= 32256 && abs(x - da) > abound) bad_a++;
        if (abs(x) > 32124) CU_ASSERT_EQUAL(abs(du), 32124);
        if (abs(x) > 32256) CU_ASSERT_EQUAL(abs(da), 32256);
    }
    CU_ASSERT_EQUAL(bad_u, 0);
    CU_ASSERT_EQUAL(bad_a, 0);
}

static void test_buffers(void)
{
    int16_t pcm[4] = { 0, 1000, -1000, 32767 }, back[4];
    uint8_t codes[4];
    CU_ASSERT_EQUAL(rtcpm_g711_encode(0, pcm, 4, codes), 0);
    CU_ASSERT_EQUAL(codes[3], 0x80);
    CU_ASSERT_EQUAL(rtcpm_g711_decode(0, codes, 4, back), 0);
    CU_ASSERT_TRUE(abs(back[1] - 1000) <= 32);
    CU_ASSERT_EQUAL(rtcpm_g711_encode(8, NULL, 4, codes), 0); /* silence */
    for (int i = 0; i < 4; i++) CU_ASSERT_EQUAL(codes[i], 0xD5);
    CU_ASSERT_EQUAL(rtcpm_g711_encode(3, pcm, 4, codes), -1);
    CU_ASSERT_EQUAL(rtcpm_g711_decode(9, codes, 4, back), -1);
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "ulaw_fixed_points", test_ulaw_fixed_points },
        { "alaw_fixed_points", test_alaw_fixed_points },
        { "sign_symmetry", test_sign_symmetry },
        { "segments", test_segments },
        { "round_trip_codes", test_round_trip_codes },
        { "quantisation_error", test_quantisation_error },
        { "buffers", test_buffers },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("g711", tests, argc, argv);
}
