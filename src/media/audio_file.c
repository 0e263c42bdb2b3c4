/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * audio_file.c — the test-hook devices ("file:PATH"): capture plays a WAV file (8 kHz mono
 * 16-bit PCM; raw signed 16-bit little-endian when PATH ends in ".raw") as the microphone,
 * then silence for ever; playback records every sample the stream plays into a WAV (or raw)
 * file, completed when the device closes. The stream polls both on its 20 ms clock, so a file
 * plays in real time.
 */
#include "media/audio_device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/media_stream.h"
#include "media/wav.h"

#define MAX_FILE_BYTES (64u << 20) /* 70 minutes of audio */

struct audio_file
{
    rtcpm_audio_device dev;
    FILE *f; /* playback */
    int raw;
    uint32_t written; /* playback: data bytes */
    int16_t *pcm;     /* capture: the whole file */
    size_t n, pos;
};

static int is_raw(const char *path)
{
    size_t n = strlen(path);
    return n >= 4 && !strcmp(path + n - 4, ".raw");
}

static size_t file_read(rtcpm_audio_device *d, int16_t *pcm, size_t n)
{
    struct audio_file *a = (struct audio_file *)d;
    for (size_t i = 0; i < n; i++) pcm[i] = a->pos < a->n ? a->pcm[a->pos++] : 0;
    return n;
}

static void file_write(rtcpm_audio_device *d, const int16_t *pcm, size_t n)
{
    struct audio_file *a = (struct audio_file *)d;
    uint8_t buf[2 * 320];
    while (n && a->f)
    {
        size_t k = n < 320 ? n : 320;
        for (size_t i = 0; i < k; i++)
        {
            buf[2 * i] = (uint8_t)pcm[i];
            buf[2 * i + 1] = (uint8_t)((uint16_t)pcm[i] >> 8);
        }
        if (fwrite(buf, 2, k, a->f) != k) break;
        a->written += (uint32_t)(2 * k);
        pcm += k;
        n -= k;
    }
}

static void file_close(rtcpm_audio_device *d)
{
    struct audio_file *a = (struct audio_file *)d;
    if (a->f)
    {
        if (!a->raw && fseek(a->f, 0, SEEK_SET) == 0)
        {
            uint8_t hdr[44];
            rtcpm_wav_header(hdr, a->written);
            fwrite(hdr, 1, sizeof(hdr), a->f);
        }
        fclose(a->f);
    }
    free(a->pcm);
    free(a);
}

static const struct rtcpm_audio_device_ops file_ops = { file_read, file_write, file_close };

/* The file's bytes (at most MAX_FILE_BYTES): 0, or -1 with why set. */
static int slurp(const char *path, uint8_t **data, size_t *len, char *why, size_t why_len)
{
    FILE *f = fopen(path, "rb");
    long size;
    if (!f) return snprintf(why, why_len, "cannot open %s", path), -1;
    if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || (unsigned long)size > MAX_FILE_BYTES || fseek(f, 0, SEEK_SET))
    {
        fclose(f);
        return snprintf(why, why_len, "%s: unreadable or larger than %u bytes", path, MAX_FILE_BYTES), -1;
    }
    *data = malloc((size_t)size + 1);
    *len = *data ? fread(*data, 1, (size_t)size, f) : 0;
    fclose(f);
    if (!*data) return snprintf(why, why_len, "out of memory"), -1;
    return 0;
}

static HRESULT open_capture(struct audio_file *a, const char *path, char *why, size_t why_len)
{
    uint8_t *data = NULL;
    size_t len = 0, off = 0;
    struct rtcpm_wav_info info;
    if (slurp(path, &data, &len, why, why_len)) return RTCPM_MEDIA_E_NO_DEVICE;
    if (!a->raw)
    {
        int rc = rtcpm_wav_parse(data, len, &info);
        if (rc)
        {
            snprintf(why, why_len, "%s: %s", path, rtcpm_wav_error_text(rc));
            free(data);
            return RTCPM_MEDIA_E_NO_DEVICE;
        }
        off = info.data_offset;
        len = off + info.data_len;
    }
    a->n = (len - off) / 2;
    a->pcm = malloc(a->n * sizeof(int16_t) + 1);
    if (a->pcm)
        for (size_t i = 0; i < a->n; i++) a->pcm[i] = (int16_t)(data[off + 2 * i] | (data[off + 2 * i + 1] << 8));
    free(data);
    return a->pcm ? S_OK : E_OUTOFMEMORY;
}

HRESULT rtcpm_audio_file_open(rtcpm_audio_device **out, enum rtcpm_audio_dir dir, const char *path, char *why,
                              size_t why_len)
{
    struct audio_file *a = calloc(1, sizeof(*a));
    HRESULT hr = S_OK;
    *out = NULL;
    if (!a) return E_OUTOFMEMORY;
    a->dev.ops = &file_ops;
    a->raw = is_raw(path);
    if (dir == RTCPM_AUDIO_CAPTURE)
        hr = open_capture(a, path, why, why_len);
    else if (!(a->f = fopen(path, "wb")))
    {
        snprintf(why, why_len, "cannot create %s", path);
        hr = RTCPM_MEDIA_E_NO_DEVICE;
    }
    else if (!a->raw)
    {
        uint8_t hdr[44];
        rtcpm_wav_header(hdr, 0);
        fwrite(hdr, 1, sizeof(hdr), a->f);
    }
    if (FAILED(hr))
    {
        file_close(&a->dev);
        return hr;
    }
    *out = &a->dev;
    return S_OK;
}
