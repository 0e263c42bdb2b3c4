/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * media_stream_private.h — a media stream's state, shared by media_stream.c (the API) and
 * media_stream_run.c (start/stop and the thread).
 */
#ifndef RTCPM_SRC_MEDIA_MEDIA_STREAM_PRIVATE_H
#define RTCPM_SRC_MEDIA_MEDIA_STREAM_PRIVATE_H

#include "media/audio_device.h"
#include "media/dtmf_tone.h"
#include "media/media_session.h"
#include "media/media_stream.h"
#include "os/lock.h"
#include "os/os_platform.h"

#define RTCPM_MEDIA_CNAME_MAX   256
#define RTCPM_MEDIA_EVENT_QUEUE 32
#define RTCPM_MEDIA_TEXT_MAX    192

struct rtcpm_media_queued_event
{
    struct rtcpm_media_event ev;
    char text[RTCPM_MEDIA_TEXT_MAX];
};

struct rtcpm_media_stream
{
    struct rtcpm_lock lock; /* everything below but the thread's own locals */
    rtcpm_media_event_cb on_event;
    void *ctx;
    char *capture_name, *playback_name;
    rtcpm_socket *rtp, *rtcp; /* used by the thread while it runs, by stop() after */
    rtcpm_addr remote_rtp, remote_rtcp;
    int have_remote;
    rtcpm_media_session *session;
    rtcpm_thread *thread;
    int running;            /* start() succeeded, stop() not yet called */
    int stopping;           /* the thread must end */
    int mute[2];            /* [0] send (microphone), [1] receive (speaker) */
    int wait_for_remote_ms; /* the config's */
    uint64_t hold_until_us; /* while the clock is below it, a socket in held[] sends nothing */
    int held[2];            /* [0] RTP, [1] RTCP: nothing from the remote on it yet */
    long volume[2];
    rtcpm_audio_device *capture, *playback;
    int capture_opened, playback_opened; /* at the last start (stats) */
    struct rtcpm_dtmf_tone tone;
    struct rtcpm_media_queued_event events[RTCPM_MEDIA_EVENT_QUEUE];
    int ev_head, ev_count;
};

/* The session's event callback (called under the lock): queues the event for the thread. */
void rtcpm_media_stream_queue_event(void *ctx, const struct rtcpm_media_event *ev);

#endif /* RTCPM_SRC_MEDIA_MEDIA_STREAM_PRIVATE_H */
