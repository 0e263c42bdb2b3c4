/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wav.c — RIFF/WAVE reader and header writer.
 */
#include "media/wav.h"

#include <string.h>

static uint32_t rd32le(const uint8_t *p) { return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24); }
static uint16_t rd16le(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static void wr32le(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void wr16le(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static int parse_fmt(const uint8_t *p, size_t n, struct rtcpm_wav_info *out)
{
    if (n < 16) return RTCPM_WAV_E_FORMAT;
    out->format = rd16le(p);
    out->channels = rd16le(p + 2);
    out->rate = rd32le(p + 4);
    out->bits = rd16le(p + 14);
    /* WAVE_FORMAT_EXTENSIBLE: the subformat GUID's first two bytes are the format tag */
    if (out->format == 0xFFFE && n >= 26) out->format = rd16le(p + 24);
    return 0;
}

int rtcpm_wav_parse(const uint8_t *buf, size_t len, struct rtcpm_wav_info *out)
{
    int have_fmt = 0;
    size_t pos = 12;

    memset(out, 0, sizeof(*out));
    if (!buf || len < 12 || memcmp(buf, "RIFF", 4) || memcmp(buf + 8, "WAVE", 4)) return RTCPM_WAV_E_NOT_WAV;
    while (len - pos >= 8)
    {
        const uint8_t *id = buf + pos;
        size_t size = rd32le(buf + pos + 4), avail = len - pos - 8;
        pos += 8;
        if (!memcmp(id, "data", 4))
        {
            if (!have_fmt) return RTCPM_WAV_E_FORMAT;
            out->data_offset = pos;
            out->data_len = (size < avail ? size : avail) & ~(size_t)1;
            if (out->format != 1 || out->channels != 1 || out->rate != 8000 || out->bits != 16)
                return RTCPM_WAV_E_FORMAT;
            return 0;
        }
        if (size > avail) return RTCPM_WAV_E_TRUNCATED;
        if (!memcmp(id, "fmt ", 4))
        {
            if (parse_fmt(buf + pos, size, out)) return RTCPM_WAV_E_FORMAT;
            have_fmt = 1;
        }
        pos += size + (size & 1); /* chunks are padded to even sizes */
        if (pos > len) break;
    }
    return have_fmt ? RTCPM_WAV_E_NO_DATA : RTCPM_WAV_E_FORMAT;
}

const char *rtcpm_wav_error_text(int err)
{
    switch (err)
    {
    case RTCPM_WAV_OK: return "ok";
    case RTCPM_WAV_E_NOT_WAV: return "not a RIFF/WAVE file";
    case RTCPM_WAV_E_FORMAT: return "not 16-bit mono 8000 Hz PCM";
    case RTCPM_WAV_E_NO_DATA: return "no data chunk";
    case RTCPM_WAV_E_TRUNCATED: return "a chunk runs past the end of the file";
    default: return "unknown WAV error";
    }
}

void rtcpm_wav_header(uint8_t out[44], uint32_t data_bytes)
{
    memcpy(out, "RIFF", 4);
    wr32le(out + 4, 36 + data_bytes);
    memcpy(out + 8, "WAVEfmt ", 8);
    wr32le(out + 16, 16);
    wr16le(out + 20, 1);     /* PCM */
    wr16le(out + 22, 1);     /* mono */
    wr32le(out + 24, 8000);  /* rate */
    wr32le(out + 28, 16000); /* bytes per second */
    wr16le(out + 32, 2);     /* block align */
    wr16le(out + 34, 16);    /* bits */
    memcpy(out + 36, "data", 4);
    wr32le(out + 40, data_bytes);
}
