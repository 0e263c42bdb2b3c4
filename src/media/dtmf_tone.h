/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dtmf_tone.h — the dual tones of DTMF (ITU-T Q.23): a row frequency (697, 770, 852, 941 Hz)
 * plus a column frequency (1209, 1336, 1477, 1633 Hz) per key, each at about -10 dBm0
 * (peak 7000 of 32767), generated at 8 kHz for local playback of the keys sent. Flash (16)
 * has no tone.
 */
#ifndef RTCPM_SRC_MEDIA_DTMF_TONE_H
#define RTCPM_SRC_MEDIA_DTMF_TONE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTCPM_DTMF_TONE_PEAK 7000

struct rtcpm_dtmf_tone
{
    int event;  /* -1: none */
    uint32_t n; /* samples generated so far (the phase) */
};

/* The two frequencies of an event (0..15): 0, or -1 (no tone: flash, out of range). */
int rtcpm_dtmf_tone_freqs(int event, int *low_hz, int *high_hz);
void rtcpm_dtmf_tone_init(struct rtcpm_dtmf_tone *t);
/* Starts the tone of event (restarts its phase), or stops (-1). A no-op when already on. */
void rtcpm_dtmf_tone_set(struct rtcpm_dtmf_tone *t, int event);
/* Adds the next n samples of the tone to pcm (saturating); nothing when no tone is on. */
void rtcpm_dtmf_tone_mix(struct rtcpm_dtmf_tone *t, int16_t *pcm, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_SRC_MEDIA_DTMF_TONE_H */
