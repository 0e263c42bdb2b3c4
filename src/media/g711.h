/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * g711.h — ITU-T G.711 mu-law (PCMU) and A-law (PCMA) for 16-bit linear PCM.
 *
 * G.711 codes 14-bit (mu-law) / 13-bit (A-law) samples. The encoders round the 16-bit
 * sample to the nearest such value (half up; the largest positive values clip to the top
 * one), exactly as sox does (tests/media: every 16-bit input against sox); the decoders give the centre of each quantisation interval scaled to 16 bits
 * (mu-law 0x00 -> -32124, 0x80 -> 32124, 0xFF/0x7F -> 0; A-law 0xD5 -> 8, 0x55 -> -8,
 * 0xAA -> 32256). Codes go on the wire as they are (A-law's even bits already inverted).
 */
#ifndef RTCPM_SRC_MEDIA_G711_H
#define RTCPM_SRC_MEDIA_G711_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The code for silence (linear 0). */
#define RTCPM_G711_ULAW_SILENCE 0xFF
#define RTCPM_G711_ALAW_SILENCE 0xD5

uint8_t rtcpm_g711_linear_to_ulaw(int16_t pcm);
int16_t rtcpm_g711_ulaw_to_linear(uint8_t code);
uint8_t rtcpm_g711_linear_to_alaw(int16_t pcm);
int16_t rtcpm_g711_alaw_to_linear(uint8_t code);

/* Buffers; codec is enum rtcpm_media_codec (0 PCMU, 8 PCMA). pcm NULL encodes silence.
 * Return 0, or -1 for an unknown codec (out left alone). */
int rtcpm_g711_encode(int codec, const int16_t *pcm, size_t n, uint8_t *out);
int rtcpm_g711_decode(int codec, const uint8_t *in, size_t n, int16_t *pcm);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_SRC_MEDIA_G711_H */
