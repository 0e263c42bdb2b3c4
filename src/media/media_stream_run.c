/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * media_stream_run.c — starting and stopping a media stream, and its thread (see
 * media_stream.c for the clock and locking rules).
 */
#include "media/media_stream_private.h"

#include <stdio.h>
#include <string.h>

#define MAX_LAG_FRAMES  5
#define RTCP_POLL_TICKS 5

void rtcpm_media_stream_queue_event(void *ctx, const struct rtcpm_media_event *ev)
{
    struct rtcpm_media_stream *s = ctx;
    if (s->ev_count == RTCPM_MEDIA_EVENT_QUEUE) return; /* a callback that never returns: drop */
    struct rtcpm_media_queued_event *q = &s->events[(s->ev_head + s->ev_count) % RTCPM_MEDIA_EVENT_QUEUE];
    q->ev = *ev;
    snprintf(q->text, sizeof(q->text), "%s", ev->text ? ev->text : "");
    s->ev_count++;
}

static void queue(struct rtcpm_media_stream *s, enum rtcpm_media_event_type type, enum rtcpm_media_direction dir,
                  enum rtcpm_media_reason reason, HRESULT hr, const char *text)
{
    struct rtcpm_media_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.direction = dir;
    ev.reason = reason;
    ev.hr = hr;
    ev.text = text;
    rtcpm_media_stream_queue_event(s, &ev);
}

/* Delivers the queued events, with no lock held. */
static void deliver_events(struct rtcpm_media_stream *s)
{
    struct rtcpm_media_queued_event q;
    for (;;)
    {
        rtcpm_lock_acquire(&s->lock);
        if (!s->ev_count)
        {
            rtcpm_lock_release(&s->lock);
            return;
        }
        q = s->events[s->ev_head];
        s->ev_head = (s->ev_head + 1) % RTCPM_MEDIA_EVENT_QUEUE;
        s->ev_count--;
        rtcpm_lock_release(&s->lock);
        q.ev.text = q.text;
        if (s->on_event) s->on_event(s->ctx, &q.ev);
    }
}

static void handle_rtp(struct rtcpm_media_stream *s, const uint8_t *buf, size_t len, const rtcpm_addr *from)
{
    uint64_t now = rtcpm_clock_us();
    rtcpm_lock_acquire(&s->lock);
    if (!rtcpm_addr_equal(from, &s->remote_rtp))
        rtcpm_media_session_count_ignored(s->session, 0);
    else
    {
        s->held[0] = 0;
        rtcpm_media_session_on_rtp(s->session, buf, len, now);
    }
    rtcpm_lock_release(&s->lock);
}

/* Receives RTP until the monotonic clock reaches until_us. */
static void receive_until(struct rtcpm_media_stream *s, uint64_t until_us)
{
    uint8_t buf[RTCPM_MEDIA_MAX_PACKET];
    for (;;)
    {
        uint64_t now = rtcpm_clock_us();
        size_t got = 0;
        rtcpm_addr from;
        if (now >= until_us) return;
        int rc = rtcpm_socket_recvfrom(s->rtp, buf, sizeof(buf), &got, &from, (int)((until_us - now + 999) / 1000));
        if (rc == RTCPM_SOCK_OK)
            handle_rtp(s, buf, got, &from);
        else if (rc == RTCPM_SOCK_E_TRUNCATED)
        {
            rtcpm_lock_acquire(&s->lock);
            rtcpm_media_session_count_ignored(s->session, 0);
            rtcpm_lock_release(&s->lock);
        }
        else if (rc != RTCPM_SOCK_E_TIMEOUT)
            return; /* a socket error: do not spin on it, the next tick comes anyway */
    }
}

static void drain_rtcp(struct rtcpm_media_stream *s)
{
    uint8_t buf[RTCPM_MEDIA_MAX_PACKET];
    size_t got = 0;
    rtcpm_addr from;
    for (int i = 0; i < 16; i++)
    {
        int rc = rtcpm_socket_recvfrom(s->rtcp, buf, sizeof(buf), &got, &from, 0);
        if (rc != RTCPM_SOCK_OK && rc != RTCPM_SOCK_E_TRUNCATED) return;
        rtcpm_lock_acquire(&s->lock);
        if (rc != RTCPM_SOCK_OK || !rtcpm_addr_equal_host(&from, &s->remote_rtcp))
            rtcpm_media_session_count_ignored(s->session, 1);
        else
        {
            s->held[1] = 0;
            rtcpm_media_session_on_rtcp(s->session, buf, got, rtcpm_clock_us());
        }
        rtcpm_lock_release(&s->lock);
    }
}

/* Whether socket i (0 RTP, 1 RTCP) still waits for the remote (s->lock held). */
static int holding(struct rtcpm_media_stream *s, int i, uint64_t now)
{
    if (s->held[i] && now >= s->hold_until_us) s->held[i] = 0;
    return s->held[i];
}

/* Mute, then the volume as a gain (0xFFFF: unchanged). */
static void level(int16_t *pcm, size_t n, int muted, long volume)
{
    if (muted || volume == 0)
    {
        memset(pcm, 0, n * sizeof(*pcm));
        return;
    }
    if (volume >= 0xFFFF) return;
    for (size_t i = 0; i < n; i++) pcm[i] = (int16_t)((int32_t)pcm[i] * volume / 0xFFFF);
}

/* One 20 ms tick: send a frame, play a frame, RTCP when due. */
static void tick(struct rtcpm_media_stream *s, uint64_t now)
{
    int16_t mic[RTCPM_MEDIA_FRAME_SAMPLES], spk[RTCPM_MEDIA_FRAME_SAMPLES];
    uint8_t rtp[RTCPM_MEDIA_MAX_PACKET], rtcp[RTCPM_MEDIA_MAX_PACKET];
    size_t rtp_len = 0, rtcp_len = 0, got = rtcpm_audio_device_read(s->capture, mic, RTCPM_MEDIA_FRAME_SAMPLES);
    rtcpm_addr to_rtp, to_rtcp;

    memset(mic + got, 0, (RTCPM_MEDIA_FRAME_SAMPLES - got) * sizeof(*mic));
    rtcpm_lock_acquire(&s->lock);
    level(mic, RTCPM_MEDIA_FRAME_SAMPLES, s->mute[0], s->volume[0]);
    if (holding(s, 0, now))
        rtcpm_media_session_skip_frames(s->session, 1); /* the clock runs on, nothing is sent */
    else
        rtp_len = rtcpm_media_session_send_frame(s->session, mic, now, rtp, sizeof(rtp));
    rtcpm_media_session_play_frame(s->session, now, spk);
    level(spk, RTCPM_MEDIA_FRAME_SAMPLES, s->mute[1], s->volume[1]);
    rtcpm_dtmf_tone_set(&s->tone, rtcpm_media_session_dtmf_sending(s->session));
    rtcpm_dtmf_tone_mix(&s->tone, spk, RTCPM_MEDIA_FRAME_SAMPLES);
    rtcpm_media_session_tick(s->session, now);
    if (now >= rtcpm_media_session_rtcp_due_us(s->session) && !holding(s, 1, now))
        rtcp_len = rtcpm_media_session_build_rtcp(s->session, now, 0, rtcp, sizeof(rtcp));
    to_rtp = s->remote_rtp;
    to_rtcp = s->remote_rtcp;
    rtcpm_lock_release(&s->lock);

    if (rtp_len) rtcpm_socket_sendto(s->rtp, rtp, rtp_len, &to_rtp);
    rtcpm_audio_device_write(s->playback, spk, RTCPM_MEDIA_FRAME_SAMPLES);
    if (rtcp_len) rtcpm_socket_sendto(s->rtcp, rtcp, rtcp_len, &to_rtcp);
}

/* The last words: RTCP BYE (none while RTCP still waits for the remote), then STOPPED for both
 * directions. */
static void say_bye(struct rtcpm_media_stream *s)
{
    uint8_t rtcp[RTCPM_MEDIA_MAX_PACKET];
    rtcpm_lock_acquire(&s->lock);
    uint64_t now = rtcpm_clock_us();
    size_t n = holding(s, 1, now) ? 0 : rtcpm_media_session_build_rtcp(s->session, now, 1, rtcp, sizeof(rtcp));
    rtcpm_addr to = s->remote_rtcp;
    queue(s, RTCPM_MEDIA_EV_STOPPED, RTCPM_MEDIA_SEND, RTCPM_MEDIA_REASON_NORMAL, S_OK, "stream stopped");
    queue(s, RTCPM_MEDIA_EV_STOPPED, RTCPM_MEDIA_RECEIVE, RTCPM_MEDIA_REASON_NORMAL, S_OK, "stream stopped");
    rtcpm_lock_release(&s->lock);
    if (n) rtcpm_socket_sendto(s->rtcp, rtcp, n, &to);
    deliver_events(s);
}

static void run(void *arg)
{
    struct rtcpm_media_stream *s = arg;
    uint64_t next = rtcpm_clock_us();
    for (unsigned ticks = 0;; ticks++)
    {
        deliver_events(s);
        receive_until(s, next);
        /* RTCP comes every few seconds: looking every 100 ms saves a system call per tick
         * (under Wine each one is a round trip to wineserver) */
        if (ticks % RTCP_POLL_TICKS == 0) drain_rtcp(s);
        rtcpm_lock_acquire(&s->lock);
        int stopping = s->stopping;
        uint64_t now = rtcpm_clock_us();
        uint64_t lag = (now - next) / RTCPM_MEDIA_FRAME_US;
        if (!stopping && lag > MAX_LAG_FRAMES)
        {
            rtcpm_media_session_skip_frames(s->session, (unsigned)lag);
            next += lag * RTCPM_MEDIA_FRAME_US;
        }
        rtcpm_lock_release(&s->lock);
        if (stopping) break;
        tick(s, now);
        next += RTCPM_MEDIA_FRAME_US;
    }
    say_bye(s);
}

/* Opens one device; a failure is queued as a FAILED event (the stream runs without it). */
static rtcpm_audio_device *open_device(struct rtcpm_media_stream *s, enum rtcpm_audio_dir dir, const char *name)
{
    rtcpm_audio_device *d = NULL;
    char why[RTCPM_MEDIA_TEXT_MAX];
    HRESULT hr = rtcpm_audio_device_open(&d, dir, name, why, sizeof(why));
    if (FAILED(hr))
    {
        rtcpm_lock_acquire(&s->lock);
        queue(s, RTCPM_MEDIA_EV_FAILED, dir == RTCPM_AUDIO_CAPTURE ? RTCPM_MEDIA_SEND : RTCPM_MEDIA_RECEIVE,
              RTCPM_MEDIA_REASON_BAD_DEVICE, hr == E_OUTOFMEMORY ? hr : RTCPM_MEDIA_E_NO_DEVICE, why);
        rtcpm_lock_release(&s->lock);
    }
    return d;
}

HRESULT rtcpm_media_stream_start(struct rtcpm_media_stream *s)
{
    if (!s) return E_POINTER;
    rtcpm_lock_acquire(&s->lock);
    HRESULT hr = (s->running || !s->have_remote) ? E_UNEXPECTED : S_OK;
    if (SUCCEEDED(hr))
    {
        s->running = 1; /* claimed: a second start fails from here on */
        s->stopping = 0;
        s->held[0] = s->held[1] = s->wait_for_remote_ms > 0;
        s->hold_until_us = rtcpm_clock_us() + (uint64_t)s->wait_for_remote_ms * 1000u;
        rtcpm_dtmf_tone_init(&s->tone);
        queue(s, RTCPM_MEDIA_EV_STARTED, RTCPM_MEDIA_SEND, RTCPM_MEDIA_REASON_NORMAL, S_OK, "stream started");
        queue(s, RTCPM_MEDIA_EV_STARTED, RTCPM_MEDIA_RECEIVE, RTCPM_MEDIA_REASON_NORMAL, S_OK, "stream started");
    }
    rtcpm_lock_release(&s->lock);
    if (FAILED(hr)) return hr;

    rtcpm_audio_device *cap = open_device(s, RTCPM_AUDIO_CAPTURE, s->capture_name);
    rtcpm_audio_device *play = open_device(s, RTCPM_AUDIO_PLAYBACK, s->playback_name);
    rtcpm_thread *t = NULL;
    rtcpm_lock_acquire(&s->lock);
    s->capture = cap;
    s->playback = play;
    s->capture_opened = cap != NULL;
    s->playback_opened = play != NULL;
    rtcpm_lock_release(&s->lock);
    if (rtcpm_thread_start(&t, run, s))
    {
        rtcpm_lock_acquire(&s->lock);
        s->capture = s->playback = NULL;
        s->running = 0;
        s->ev_count = 0;
        rtcpm_lock_release(&s->lock);
        rtcpm_audio_device_close(cap);
        rtcpm_audio_device_close(play);
        return RTCPM_MEDIA_E_START_STREAM;
    }
    rtcpm_lock_acquire(&s->lock);
    s->thread = t;
    rtcpm_lock_release(&s->lock);
    return S_OK;
}

HRESULT rtcpm_media_stream_stop(struct rtcpm_media_stream *s)
{
    if (!s) return E_POINTER;
    rtcpm_lock_acquire(&s->lock);
    rtcpm_thread *t = s->running ? s->thread : NULL;
    if (t)
    {
        s->stopping = 1;
        s->thread = NULL;
    }
    rtcpm_lock_release(&s->lock);
    if (!t) return S_FALSE;
    rtcpm_thread_join(t);
    rtcpm_lock_acquire(&s->lock);
    rtcpm_audio_device *cap = s->capture, *play = s->playback;
    s->capture = s->playback = NULL;
    s->running = 0;
    rtcpm_lock_release(&s->lock);
    rtcpm_audio_device_close(cap);
    rtcpm_audio_device_close(play);
    return S_OK;
}
