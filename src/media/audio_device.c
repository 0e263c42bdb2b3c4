/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * audio_device.c — opening a device by name: the test-hook override from the environment,
 * "none", "file:PATH", else the system's devices.
 */
#include "media/audio_device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/media_stream.h"

HRESULT rtcpm_audio_device_open(rtcpm_audio_device **out, enum rtcpm_audio_dir dir, const char *name, char *why,
                                size_t why_len)
{
    const char *env = getenv(dir == RTCPM_AUDIO_CAPTURE ? "RTCPM_MEDIA_CAPTURE" : "RTCPM_MEDIA_PLAYBACK");
    if (why && why_len) why[0] = 0;
    if (!out) return E_POINTER;
    *out = NULL;
    if (env && env[0]) name = env;
    if (name && !strcmp(name, "none")) return S_FALSE;
    if (name && !strncmp(name, "file:", 5)) return rtcpm_audio_file_open(out, dir, name + 5, why, why_len);
    return rtcpm_audio_system_open(out, dir, name, why, why_len);
}

size_t rtcpm_audio_device_read(rtcpm_audio_device *d, int16_t *pcm, size_t n)
{
    return d && d->ops->read ? d->ops->read(d, pcm, n) : 0;
}

void rtcpm_audio_device_write(rtcpm_audio_device *d, const int16_t *pcm, size_t n)
{
    if (d && d->ops->write) d->ops->write(d, pcm, n);
}

void rtcpm_audio_device_close(rtcpm_audio_device *d)
{
    if (d) d->ops->close(d);
}
