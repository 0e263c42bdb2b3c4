/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * telephone_event.c — RFC 4733 payload, sender sequence, receiver tracking.
 */
#include "media/telephone_event.h"

#include <string.h>

#include "media/rtp.h"

#define FRAME 160u

int rtcpm_tevent_parse(const uint8_t *payload, size_t len, struct rtcpm_tevent *out)
{
    memset(out, 0, sizeof(*out));
    if (!payload || len != 4) return -1;
    out->event = payload[0];
    out->end = payload[1] >> 7;
    out->volume = payload[1] & 0x3f; /* bit 6 is R: reserved, ignored */
    out->duration = rtcpm_rd16(payload + 2);
    return 0;
}

void rtcpm_tevent_write(const struct rtcpm_tevent *e, uint8_t out[4])
{
    out[0] = (uint8_t)e->event;
    out[1] = (uint8_t)((e->end ? 0x80 : 0) | (e->volume & 0x3f));
    rtcpm_wr16(out + 2, e->duration);
}

char rtcpm_tevent_char(int event)
{
    static const char names[] = "0123456789*#ABCD!";
    return event >= 0 && event <= RTCPM_TEVENT_MAX ? names[event] : '?';
}

void rtcpm_tevent_sender_init(struct rtcpm_tevent_sender *s) { memset(s, 0, sizeof(*s)); }

int rtcpm_tevent_sender_queue(struct rtcpm_tevent_sender *s, int event, int duration_ms)
{
    if (s->count == RTCPM_TEVENT_QUEUE) return -1;
    int slot = (s->head + s->count) % RTCPM_TEVENT_QUEUE;
    /* whole 20 ms packets, at least two (so the start and the end are separate packets) */
    uint32_t frames = ((uint32_t)duration_ms + 19) / 20;
    s->queue[slot].event = event;
    s->queue[slot].samples = (frames < 2 ? 2 : frames) * FRAME;
    s->count++;
    return 0;
}

int rtcpm_tevent_sender_tick(struct rtcpm_tevent_sender *s, uint32_t now_ts, struct rtcpm_tevent *e, int *marker,
                             uint32_t *ts)
{
    *marker = 0;
    if (!s->active)
    {
        if (!s->count) return 0;
        s->active = 1;
        s->event = s->queue[s->head].event;
        s->total = s->queue[s->head].samples;
        s->head = (s->head + 1) % RTCPM_TEVENT_QUEUE;
        s->count--;
        s->elapsed = 0;
        s->ends_sent = 0;
        s->ts = now_ts;
        *marker = 1;
    }
    if (s->elapsed < s->total) s->elapsed += FRAME;
    e->event = s->event;
    e->volume = RTCPM_TEVENT_VOLUME;
    e->duration = (uint16_t)(s->elapsed > 0xffff ? 0xffff : s->elapsed);
    e->end = s->elapsed >= s->total;
    *ts = s->ts;
    if (e->end && ++s->ends_sent == RTCPM_TEVENT_ENDS) s->active = 0;
    return 1;
}

int rtcpm_tevent_sender_current(const struct rtcpm_tevent_sender *s) { return s->active ? s->event : -1; }

void rtcpm_tevent_receiver_init(struct rtcpm_tevent_receiver *r) { memset(r, 0, sizeof(*r)); }

static void report(struct rtcpm_tevent_report *out, int event, int end, uint32_t duration)
{
    out->r[out->n].event = event;
    out->r[out->n].end = end;
    out->r[out->n].duration = duration;
    out->n++;
}

void rtcpm_tevent_receiver_packet(struct rtcpm_tevent_receiver *r, const struct rtcpm_tevent *e, uint32_t ts,
                                  struct rtcpm_tevent_report *out)
{
    out->n = 0;
    if (r->have && ts == r->ts)
    {
        /* the same event: an update, its end, or a redundant end */
        if (r->ended) return;
        if (e->duration > r->duration) r->duration = e->duration;
        if (e->end)
        {
            r->ended = 1;
            report(out, r->event, 1, r->duration);
        }
        return;
    }
    if (r->have && rtcpm_rtp_ts_diff(ts, r->ts) < 0) return; /* a late packet of an older event */
    if (r->have && !r->ended) report(out, r->event, 1, r->duration);
    r->have = 1;
    r->ts = ts;
    r->event = e->event;
    r->duration = e->duration;
    r->ended = e->end;
    report(out, e->event, 0, e->duration);
    if (e->end) report(out, e->event, 1, e->duration);
}
