/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * telephone_event.h — RFC 4733 telephone-events (DTMF digits as RTP packets): the 4-byte
 * payload, the sender's packet sequence and the receiver's event tracking.
 *
 * Sender (one packet per 20 ms tick, replacing the audio packet of that tick): the first
 * packet of an event has the marker bit; every packet of the event carries the event's start
 * timestamp and the duration so far (160 more each tick); the last one has the E bit and the
 * whole duration and is sent three times in all (RFC 4733 2.5.1.4), each with its own
 * sequence number. Events queue and follow one another.
 *
 * Receiver: an event is identified by its RTP timestamp. The first packet of a new timestamp
 * reports "began" (and "ended" as well when it already has the E bit: the earlier packets were
 * lost); the first E packet reports "ended" with the duration; redundant end packets, older
 * timestamps and further updates of an ended event report nothing. A new event arriving while
 * the previous one never ended reports the previous one's end first.
 */
#ifndef RTCPM_SRC_MEDIA_TELEPHONE_EVENT_H
#define RTCPM_SRC_MEDIA_TELEPHONE_EVENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTCPM_TEVENT_MAX    16 /* flash; 0-9, 10 '*', 11 '#', 12-15 A-D */
#define RTCPM_TEVENT_VOLUME 10 /* -10 dBm0, what we send */
#define RTCPM_TEVENT_ENDS   3  /* transmissions of the final packet */
#define RTCPM_TEVENT_QUEUE  16

struct rtcpm_tevent
{
    int event;         /* 0..255 on the wire */
    int end;           /* E bit */
    int volume;        /* 0..63: -dBm0 */
    uint16_t duration; /* timestamp units since the event's timestamp */
};

/* The payload is exactly 4 bytes (padding already removed by the RTP parser): 0, or -1. */
int rtcpm_tevent_parse(const uint8_t *payload, size_t len, struct rtcpm_tevent *out);
void rtcpm_tevent_write(const struct rtcpm_tevent *e, uint8_t out[4]);
/* '0'..'9', '*', '#', 'A'..'D', '!' (flash) for codes 0..16; '?' otherwise. */
char rtcpm_tevent_char(int event);

struct rtcpm_tevent_sender
{
    struct
    {
        int event;
        uint32_t samples;
    } queue[RTCPM_TEVENT_QUEUE];
    int head, count;
    int active; /* an event is being sent */
    int event;
    uint32_t total;   /* its whole duration, samples (a multiple of 160) */
    uint32_t elapsed; /* duration sent so far */
    uint32_t ts;      /* its RTP timestamp */
    int ends_sent;
};

void rtcpm_tevent_sender_init(struct rtcpm_tevent_sender *s);
/* Queues an event of duration_ms (40..8000): 0, or -1 when the queue is full. */
int rtcpm_tevent_sender_queue(struct rtcpm_tevent_sender *s, int event, int duration_ms);
/* This tick's packet, when an event is due: fills *e and *marker (first packet) and the
 * event's timestamp *ts (now_ts: the timestamp an audio packet of this tick would carry).
 * 1 when a telephone-event packet replaces the audio packet, 0 when audio goes out. */
int rtcpm_tevent_sender_tick(struct rtcpm_tevent_sender *s, uint32_t now_ts, struct rtcpm_tevent *e, int *marker,
                             uint32_t *ts);
/* The event being sent (its tone plays locally), -1 when none. */
int rtcpm_tevent_sender_current(const struct rtcpm_tevent_sender *s);

struct rtcpm_tevent_receiver
{
    int have;  /* an event seen */
    int ended; /* ... and its end reported */
    int event;
    uint32_t ts;
    uint16_t duration;
};

/* What one received packet means: up to two reports (the previous event's end, this one's
 * beginning and/or end), in order. */
struct rtcpm_tevent_report
{
    int n;
    struct
    {
        int event;
        int end;
        uint32_t duration;
    } r[3];
};

void rtcpm_tevent_receiver_init(struct rtcpm_tevent_receiver *r);
void rtcpm_tevent_receiver_packet(struct rtcpm_tevent_receiver *r, const struct rtcpm_tevent *e, uint32_t ts,
                                  struct rtcpm_tevent_report *out);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_SRC_MEDIA_TELEPHONE_EVENT_H */
