/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * audio_system_none.c — the system's sound devices where rtcpm has no driver for them
 * (native builds: the media code is tested there with the file devices only).
 */
#include "media/audio_device.h"

#include <stdio.h>

#include "media/media_stream.h"

HRESULT rtcpm_audio_system_open(rtcpm_audio_device **out, enum rtcpm_audio_dir dir, const char *name, char *why,
                                size_t why_len)
{
    *out = NULL;
    if (why && why_len)
        snprintf(why, why_len, "no %s device \"%s\": this build has no sound devices (only file:PATH)",
                 dir == RTCPM_AUDIO_CAPTURE ? "capture" : "playback", name && name[0] ? name : "default");
    return RTCPM_MEDIA_E_NO_DEVICE;
}

int rtcpm_audio_system_list(enum rtcpm_audio_dir dir, void (*fn)(void *ctx, int id, const char *name), void *ctx)
{
    (void)dir, (void)fn, (void)ctx;
    return 0;
}
