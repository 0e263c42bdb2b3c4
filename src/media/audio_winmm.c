/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * audio_winmm.c — the system's sound devices on Windows targets (also under Wine, where
 * winmm goes to winepulse.drv): waveIn/waveOut at 8 kHz, mono, 16-bit.
 *
 * No callbacks (winmm allows almost no calls inside them): the stream's thread polls the
 * buffer headers every 20 ms. Capture keeps CAPTURE_BUFFERS buffers of 20 ms queued; each
 * one that is done is copied into a ring and queued again; reading takes from the ring
 * (at most RING_FRAMES frames are kept: older audio is dropped so the delay stays bounded).
 * Playback queues each 20 ms frame in a free buffer; PREFILL_FRAMES frames of silence go first
 * so that the device does not run dry at once; a frame finding no free buffer is dropped.
 * At close the queued playback is given up to DRAIN_MS to finish.
 */
#include "media/audio_device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <mmsystem.h>

#include "media/media_stream.h"

#define FRAME           160
#define CAPTURE_BUFFERS 10
#define PLAY_BUFFERS    10
#define PREFILL_FRAMES  3
#define RING_FRAMES     8
#define DRAIN_MS        300

struct audio_winmm
{
    rtcpm_audio_device dev;
    int capture;
    HWAVEIN in;
    HWAVEOUT out;
    WAVEHDR hdr[CAPTURE_BUFFERS > PLAY_BUFFERS ? CAPTURE_BUFFERS : PLAY_BUFFERS];
    int16_t buf[CAPTURE_BUFFERS > PLAY_BUFFERS ? CAPTURE_BUFFERS : PLAY_BUFFERS][FRAME];
    int nbuf, next; /* capture: the buffer that completes next */
    int prefilled;  /* playback */
    int16_t ring[RING_FRAMES * FRAME];
    size_t ring_head, ring_count;
};

static void format_8k_mono(WAVEFORMATEX *wfx)
{
    memset(wfx, 0, sizeof(*wfx));
    wfx->wFormatTag = WAVE_FORMAT_PCM;
    wfx->nChannels = 1;
    wfx->nSamplesPerSec = 8000;
    wfx->wBitsPerSample = 16;
    wfx->nBlockAlign = 2;
    wfx->nAvgBytesPerSec = 16000;
}

static void ring_put(struct audio_winmm *a, const int16_t *pcm, size_t n)
{
    const size_t cap = RING_FRAMES * FRAME;
    for (size_t i = 0; i < n; i++)
    {
        if (a->ring_count == cap)
        {
            a->ring_head = (a->ring_head + 1) % cap; /* full: the oldest sample goes */
            a->ring_count--;
        }
        a->ring[(a->ring_head + a->ring_count) % cap] = pcm[i];
        a->ring_count++;
    }
}

static size_t winmm_read(rtcpm_audio_device *d, int16_t *pcm, size_t n)
{
    struct audio_winmm *a = (struct audio_winmm *)d;
    const size_t cap = RING_FRAMES * FRAME;
    /* collect the buffers that are done, in order, and queue them again */
    while (((volatile WAVEHDR *)&a->hdr[a->next])->dwFlags & WHDR_DONE)
    {
        WAVEHDR *h = &a->hdr[a->next];
        ring_put(a, (const int16_t *)h->lpData, h->dwBytesRecorded / 2);
        h->dwBytesRecorded = 0;
        waveInAddBuffer(a->in, h, sizeof(*h));
        a->next = (a->next + 1) % a->nbuf;
    }
    size_t k = n < a->ring_count ? n : a->ring_count;
    for (size_t i = 0; i < k; i++) pcm[i] = a->ring[(a->ring_head + i) % cap];
    a->ring_head = (a->ring_head + k) % cap;
    a->ring_count -= k;
    return k;
}

/* A buffer not queued at the device (never used, or done), or NULL. */
static WAVEHDR *free_buffer(struct audio_winmm *a)
{
    for (int i = 0; i < a->nbuf; i++)
    {
        volatile WAVEHDR *h = &a->hdr[i];
        if (!(h->dwFlags & WHDR_INQUEUE)) return &a->hdr[i];
    }
    return NULL;
}

static void play_one(struct audio_winmm *a, const int16_t *pcm, size_t n)
{
    WAVEHDR *h = free_buffer(a);
    if (!h) return; /* the device is behind: drop */
    if (n > FRAME) n = FRAME;
    if (pcm)
        memcpy(h->lpData, pcm, n * 2);
    else
        memset(h->lpData, 0, n * 2);
    h->dwBufferLength = (DWORD)(n * 2);
    h->dwFlags &= ~WHDR_DONE;
    waveOutWrite(a->out, h, sizeof(*h));
}

static void winmm_write(rtcpm_audio_device *d, const int16_t *pcm, size_t n)
{
    struct audio_winmm *a = (struct audio_winmm *)d;
    for (; a->prefilled < PREFILL_FRAMES; a->prefilled++) play_one(a, NULL, FRAME);
    for (size_t off = 0; off < n; off += FRAME) play_one(a, pcm + off, n - off);
}

static void winmm_close(rtcpm_audio_device *d)
{
    struct audio_winmm *a = (struct audio_winmm *)d;
    if (a->in)
    {
        waveInReset(a->in);
        for (int i = 0; i < a->nbuf; i++) waveInUnprepareHeader(a->in, &a->hdr[i], sizeof(a->hdr[i]));
        waveInClose(a->in);
    }
    if (a->out)
    {
        /* let what is queued play out, a little */
        for (int waited = 0; waited < DRAIN_MS; waited += 10)
        {
            int busy = 0;
            for (int i = 0; i < a->nbuf; i++) busy |= (((volatile WAVEHDR *)&a->hdr[i])->dwFlags & WHDR_INQUEUE) != 0;
            if (!busy) break;
            Sleep(10);
        }
        waveOutReset(a->out);
        for (int i = 0; i < a->nbuf; i++) waveOutUnprepareHeader(a->out, &a->hdr[i], sizeof(a->hdr[i]));
        waveOutClose(a->out);
    }
    free(a);
}

static const struct rtcpm_audio_device_ops winmm_ops = { winmm_read, winmm_write, winmm_close };

/* The winmm ID for a device name: NULL/"" the mapper, "#N" N, else the device whose name
 * is exactly this (UTF-8). -2 when there is none. */
static UINT_PTR device_id(enum rtcpm_audio_dir dir, const char *name)
{
    WCHAR want[MAXPNAMELEN];
    if (!name || !name[0]) return WAVE_MAPPER;
    if (name[0] == '#')
    {
        char *end;
        unsigned long id = strtoul(name + 1, &end, 10);
        return (name[1] && !*end) ? (UINT_PTR)id : (UINT_PTR)-2;
    }
    if (!MultiByteToWideChar(CP_UTF8, 0, name, -1, want, MAXPNAMELEN)) return (UINT_PTR)-2;
    UINT n = dir == RTCPM_AUDIO_CAPTURE ? waveInGetNumDevs() : waveOutGetNumDevs();
    for (UINT i = 0; i < n; i++)
    {
        WAVEINCAPSW ic;
        WAVEOUTCAPSW oc;
        const WCHAR *have = NULL;
        if (dir == RTCPM_AUDIO_CAPTURE && waveInGetDevCapsW(i, &ic, sizeof(ic)) == MMSYSERR_NOERROR) have = ic.szPname;
        if (dir == RTCPM_AUDIO_PLAYBACK && waveOutGetDevCapsW(i, &oc, sizeof(oc)) == MMSYSERR_NOERROR)
            have = oc.szPname;
        if (have && !wcscmp(have, want)) return i;
    }
    return (UINT_PTR)-2;
}

static void error_text(enum rtcpm_audio_dir dir, const char *name, MMRESULT rc, char *why, size_t why_len)
{
    char text[MAXERRORLENGTH] = "";
    if (dir == RTCPM_AUDIO_CAPTURE)
        waveInGetErrorTextA(rc, text, sizeof(text));
    else
        waveOutGetErrorTextA(rc, text, sizeof(text));
    snprintf(why, why_len, "%s(\"%s\"): error %u: %s (%u %s devices)",
             dir == RTCPM_AUDIO_CAPTURE ? "waveInOpen" : "waveOutOpen", name && name[0] ? name : "default",
             (unsigned)rc, text, dir == RTCPM_AUDIO_CAPTURE ? waveInGetNumDevs() : waveOutGetNumDevs(),
             dir == RTCPM_AUDIO_CAPTURE ? "capture" : "playback");
}

/* Opens the device and prepares (capture: queues and starts) the buffers. */
static MMRESULT open_winmm(struct audio_winmm *a, UINT_PTR id)
{
    WAVEFORMATEX wfx;
    MMRESULT rc;
    format_8k_mono(&wfx);
    a->nbuf = a->capture ? CAPTURE_BUFFERS : PLAY_BUFFERS;
    if (a->capture)
        rc = waveInOpen(&a->in, (UINT)id, &wfx, 0, 0, CALLBACK_NULL);
    else
        rc = waveOutOpen(&a->out, (UINT)id, &wfx, 0, 0, CALLBACK_NULL);
    if (rc != MMSYSERR_NOERROR)
    {
        a->in = NULL;
        a->out = NULL;
        return rc;
    }
    for (int i = 0; i < a->nbuf; i++)
    {
        WAVEHDR *h = &a->hdr[i];
        h->lpData = (LPSTR)a->buf[i];
        h->dwBufferLength = sizeof(a->buf[i]);
        rc = a->capture ? waveInPrepareHeader(a->in, h, sizeof(*h)) : waveOutPrepareHeader(a->out, h, sizeof(*h));
        if (rc == MMSYSERR_NOERROR && a->capture) rc = waveInAddBuffer(a->in, h, sizeof(*h));
        if (rc != MMSYSERR_NOERROR) return rc;
    }
    return a->capture ? waveInStart(a->in) : MMSYSERR_NOERROR;
}

HRESULT rtcpm_audio_system_open(rtcpm_audio_device **out, enum rtcpm_audio_dir dir, const char *name, char *why,
                                size_t why_len)
{
    *out = NULL;
    UINT_PTR id = device_id(dir, name);
    if (id == (UINT_PTR)-2)
    {
        snprintf(why, why_len, "no %s device named \"%s\"", dir == RTCPM_AUDIO_CAPTURE ? "capture" : "playback", name);
        return RTCPM_MEDIA_E_NO_DEVICE;
    }
    struct audio_winmm *a = calloc(1, sizeof(*a));
    if (!a) return E_OUTOFMEMORY;
    a->dev.ops = &winmm_ops;
    a->capture = dir == RTCPM_AUDIO_CAPTURE;
    MMRESULT rc = open_winmm(a, id);
    if (rc != MMSYSERR_NOERROR)
    {
        error_text(dir, name, rc, why, why_len);
        winmm_close(&a->dev);
        return RTCPM_MEDIA_E_NO_DEVICE;
    }
    *out = &a->dev;
    return S_OK;
}

int rtcpm_audio_system_list(enum rtcpm_audio_dir dir, void (*fn)(void *ctx, int id, const char *name), void *ctx)
{
    UINT n = dir == RTCPM_AUDIO_CAPTURE ? waveInGetNumDevs() : waveOutGetNumDevs();
    for (UINT i = 0; i < n; i++)
    {
        WAVEINCAPSW ic;
        WAVEOUTCAPSW oc;
        const WCHAR *name = NULL;
        char utf8[4 * MAXPNAMELEN];
        if (dir == RTCPM_AUDIO_CAPTURE && waveInGetDevCapsW(i, &ic, sizeof(ic)) == MMSYSERR_NOERROR) name = ic.szPname;
        if (dir == RTCPM_AUDIO_PLAYBACK && waveOutGetDevCapsW(i, &oc, sizeof(oc)) == MMSYSERR_NOERROR)
            name = oc.szPname;
        if (!name || !WideCharToMultiByte(CP_UTF8, 0, name, -1, utf8, sizeof(utf8), NULL, NULL)) continue;
        if (fn) fn(ctx, (int)i, utf8);
    }
    return (int)n;
}
