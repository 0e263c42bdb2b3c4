/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_tevent.c — RFC 4733 telephone-events on arbitrary bytes: the payload parser, the
 * receiver fed a stream of packets, the sender driven by a stream of commands.
 *
 * The input is read as 8-byte records: a 4-byte payload and a 4-byte RTP timestamp (the
 * receiver's packets); the same bytes also drive the sender (byte 0: 0..16 queue that event
 * with duration byte 1 * 40 ms, else tick).
 *  - parse: a payload of exactly 4 bytes parses, writing it back gives the same bytes but the
 *    reserved R bit; any other length fails with the struct zeroed;
 *  - receiver: at most 3 reports per packet; an event's end is reported once, after its
 *    beginning; a beginning comes with a new timestamp only;
 *  - sender: the first packet of an event has the marker, the others not; all carry the
 *    event's timestamp; durations grow by 160 until the end; exactly 3 end packets; a
 *    sender with nothing queued sends nothing.
 */
#include <string.h>

#include "fuzz_check.h"
#include "media/telephone_event.h"
#include "media/rtp.h"

static void check_payload(const uint8_t *rec, size_t n)
{
    struct rtcpm_tevent e;
    uint8_t out[4];
    if (rtcpm_tevent_parse(rec, n, &e))
    {
        FUZZ_CHECK(n != 4 && e.event == 0 && e.duration == 0 && e.end == 0);
        return;
    }
    FUZZ_CHECK(n == 4 && e.event == rec[0] && e.volume <= 63);
    rtcpm_tevent_write(&e, out);
    FUZZ_CHECK(out[0] == rec[0] && out[1] == (rec[1] & 0xbf) && out[2] == rec[2] && out[3] == rec[3]);
}

static void run_receiver(const uint8_t *data, size_t size)
{
    struct rtcpm_tevent_receiver r;
    struct rtcpm_tevent_report rep;
    int open = 0, began_any = 0;
    uint32_t began_ts = 0;
    rtcpm_tevent_receiver_init(&r);
    for (size_t pos = 0; pos + 8 <= size; pos += 8)
    {
        struct rtcpm_tevent e;
        FUZZ_CHECK(rtcpm_tevent_parse(data + pos, 4, &e) == 0);
        uint32_t ts = rtcpm_rd32(data + pos + 4);
        rtcpm_tevent_receiver_packet(&r, &e, ts, &rep);
        FUZZ_CHECK(rep.n >= 0 && rep.n <= 3);
        for (int i = 0; i < rep.n; i++)
        {
            if (rep.r[i].end)
            {
                FUZZ_CHECK(open); /* an end follows its beginning, once */
                open = 0;
            }
            else
            {
                FUZZ_CHECK(!open);                        /* the previous one was closed first */
                FUZZ_CHECK(!began_any || ts != began_ts); /* a new event is a new timestamp */
                open = 1;
                began_any = 1;
                began_ts = ts;
                FUZZ_CHECK(rep.r[i].event == e.event);
            }
        }
    }
}

static void run_sender(const uint8_t *data, size_t size)
{
    struct rtcpm_tevent_sender s;
    struct rtcpm_tevent e;
    int marker, ends = 0, in_event = 0, queued = 0;
    uint32_t ts, ev_ts = 0, now = 0x7ffffff0u, last_duration = 0;
    rtcpm_tevent_sender_init(&s);
    for (size_t i = 0; i + 1 < size; i += 2, now += 160)
    {
        if (data[i] <= RTCPM_TEVENT_MAX && rtcpm_tevent_sender_queue(&s, data[i], 40 * (1 + data[i + 1] % 200)) == 0)
            queued++;
        if (!rtcpm_tevent_sender_tick(&s, now, &e, &marker, &ts))
        {
            FUZZ_CHECK(!in_event && queued == 0);
            continue;
        }
        if (!in_event)
        {
            FUZZ_CHECK(marker && ts == now && e.duration == 160);
            in_event = 1, ends = 0, ev_ts = ts, queued--;
        }
        else
        {
            FUZZ_CHECK(!marker && ts == ev_ts);
            FUZZ_CHECK(e.duration == last_duration + (ends ? 0 : 160));
        }
        last_duration = e.duration;
        if (e.end && ++ends == RTCPM_TEVENT_ENDS) in_event = 0;
        FUZZ_CHECK(rtcpm_tevent_sender_current(&s) == (in_event ? e.event : -1));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = fuzz_alloc(size);
    if (size) memcpy(copy, data, size);
    check_payload(copy, size < 8 ? size : 4);
    check_payload(copy, size);
    run_receiver(copy, size);
    run_sender(copy, size);
    free(copy);
    return 0;
}
