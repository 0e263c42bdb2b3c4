/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * audio_device.h — a sound device as the media stream sees it: 8 kHz mono 16-bit samples
 * read from a microphone or written to a speaker, polled by the stream's thread every 20 ms.
 *
 * Implementations: the system's devices (audio_winmm.c on Windows targets; audio_system_none.c
 * natively, where there are none) and the test hook (audio_file.c: a WAV/raw file played as
 * the microphone, or recording what would be played). Names: see media_stream.h.
 */
#ifndef RTCPM_SRC_MEDIA_AUDIO_DEVICE_H
#define RTCPM_SRC_MEDIA_AUDIO_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "rtcpm/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

enum rtcpm_audio_dir
{
    RTCPM_AUDIO_CAPTURE = 0,
    RTCPM_AUDIO_PLAYBACK = 1
};

typedef struct rtcpm_audio_device rtcpm_audio_device;

struct rtcpm_audio_device_ops
{
    /* Capture: up to n samples captured since the last call (fewer when the device has no
     * more yet). */
    size_t (*read)(rtcpm_audio_device *d, int16_t *pcm, size_t n);
    /* Playback: queues n samples (a device that is full drops them). */
    void (*write)(rtcpm_audio_device *d, const int16_t *pcm, size_t n);
    /* Stops and frees the device (a file is completed and closed). */
    void (*close)(rtcpm_audio_device *d);
};

struct rtcpm_audio_device
{
    const struct rtcpm_audio_device_ops *ops;
};

/*
 * Opens the device called name for dir (the environment's RTCPM_MEDIA_CAPTURE /
 * RTCPM_MEDIA_PLAYBACK replace name when set). S_OK with *out; S_FALSE with *out NULL for
 * "none"; RTCPM_MEDIA_E_NO_DEVICE with *out NULL and the reason in why (always
 * NUL-terminated) when it cannot be opened; E_OUTOFMEMORY.
 */
HRESULT rtcpm_audio_device_open(rtcpm_audio_device **out, enum rtcpm_audio_dir dir, const char *name, char *why,
                                size_t why_len);
size_t rtcpm_audio_device_read(rtcpm_audio_device *d, int16_t *pcm, size_t n);
void rtcpm_audio_device_write(rtcpm_audio_device *d, const int16_t *pcm, size_t n);
void rtcpm_audio_device_close(rtcpm_audio_device *d);

/* The parts behind rtcpm_audio_device_open. */
HRESULT rtcpm_audio_file_open(rtcpm_audio_device **out, enum rtcpm_audio_dir dir, const char *path, char *why,
                              size_t why_len);
/* The system's device: NULL/"" default, "#N" an ID, else a name. */
HRESULT rtcpm_audio_system_open(rtcpm_audio_device **out, enum rtcpm_audio_dir dir, const char *name, char *why,
                                size_t why_len);

/* The system's devices of dir: fn(ctx, id, name) for each (winmm IDs and names); returns how
 * many there are (0 where there are none). */
int rtcpm_audio_system_list(enum rtcpm_audio_dir dir, void (*fn)(void *ctx, int id, const char *name), void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_SRC_MEDIA_AUDIO_DEVICE_H */
