/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wav.h — the WAV files of the test-hook devices: RIFF/WAVE with a PCM "fmt " chunk, read
 * (any chunk order, unknown chunks skipped, odd chunk sizes padded) and written (44-byte
 * header, sizes filled in when the file is closed).
 *
 * Only what the devices play and record: 16-bit signed little-endian PCM, mono, 8000 Hz.
 * Other formats are refused with a reason (convert with `sox in.wav -r 8000 -c 1 -b 16
 * out.wav`).
 */
#ifndef RTCPM_SRC_MEDIA_WAV_H
#define RTCPM_SRC_MEDIA_WAV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum rtcpm_wav_error
{
    RTCPM_WAV_OK = 0,
    RTCPM_WAV_E_NOT_WAV = -1,  /* no RIFF/WAVE header */
    RTCPM_WAV_E_FORMAT = -2,   /* no fmt chunk, or not PCM 16-bit mono 8000 Hz */
    RTCPM_WAV_E_NO_DATA = -3,  /* no data chunk */
    RTCPM_WAV_E_TRUNCATED = -4 /* a chunk runs past the end of the file */
};

struct rtcpm_wav_info
{
    int format; /* 1 = PCM (WAVE_FORMAT_EXTENSIBLE's subformat when 0xFFFE) */
    int channels;
    uint32_t rate;
    int bits;
    size_t data_offset; /* where the samples start in the buffer */
    size_t data_len;    /* bytes of samples (a truncated data chunk: what is there, even) */
};

/* Parses a WAV file held in memory. 0 or a negative rtcpm_wav_error; the fmt values are
 * filled in as far as they were read, even when the format is refused. */
int rtcpm_wav_parse(const uint8_t *buf, size_t len, struct rtcpm_wav_info *out);
/* "not a RIFF/WAVE file" etc. */
const char *rtcpm_wav_error_text(int err);

/* The 44-byte header of a 16-bit mono 8000 Hz PCM file with data_bytes of samples. */
void rtcpm_wav_header(uint8_t out[44], uint32_t data_bytes);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_SRC_MEDIA_WAV_H */
