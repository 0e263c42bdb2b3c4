/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_media_session.c — two media sessions talking over a simulated network on a simulated
 * clock: a one-hour call in a moment (sequence numbers and timestamps wrap), the audio that
 * arrives, RTCP reports both ways (loss, jitter, RTT), telephone-events end to end, BYE, the
 * RTP timeout, a second source, payload types that are not ours.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "media/g711.h"
#include "media/media_session.h"
#include "media/rtcp.h"
#include "media/rtp.h"

#define FRAME RTCPM_MEDIA_FRAME_SAMPLES

struct side
{
    rtcpm_media_session *s;
    int events, dtmf_began, dtmf_ended, stopped_remote, stopped_timeout, restarted;
    int last_dtmf, last_duration;
};

static void on_event(void *ctx, const struct rtcpm_media_event *ev)
{
    struct side *d = ctx;
    d->events++;
    if (ev->type == RTCPM_MEDIA_EV_DTMF)
    {
        d->last_dtmf = ev->dtmf_event;
        if (ev->dtmf_end)
            d->dtmf_ended++, d->last_duration = (int)ev->dtmf_duration;
        else
            d->dtmf_began++;
    }
    if (ev->type == RTCPM_MEDIA_EV_STOPPED && ev->reason == RTCPM_MEDIA_REASON_REMOTE_REQUEST) d->stopped_remote++;
    if (ev->type == RTCPM_MEDIA_EV_STOPPED && ev->reason == RTCPM_MEDIA_REASON_TIMEOUT) d->stopped_timeout++;
    if (ev->type == RTCPM_MEDIA_EV_STARTED) d->restarted++;
}

static void side_init(struct side *d, uint32_t ssrc, uint16_t seq, uint32_t ts, int dtmf_pt, int timeout_ms)
{
    struct rtcpm_media_session_init init;
    memset(d, 0, sizeof(*d));
    memset(&init, 0, sizeof(init));
    init.ssrc = ssrc;
    init.seq = seq;
    init.timestamp = ts;
    init.random_seed = ssrc;
    init.cname = ssrc == 1 ? "a@test" : "b@test";
    init.now_us = 1000000;
    init.unix_us = 1700000000ull * 1000000u;
    init.codecs.audio_pt = 0;
    init.codecs.codec = RTCPM_MEDIA_PCMU;
    init.codecs.dtmf_pt = dtmf_pt;
    init.codecs.ptime_ms = 20;
    init.codecs.send = init.codecs.receive = 1;
    init.on_event = on_event;
    init.ctx = d;
    init.rtp_timeout_ms = timeout_ms;
    CU_ASSERT_EQUAL_FATAL(rtcpm_media_session_create(&d->s, &init), S_OK);
}

/* The network between a and b: one-way latency (us), and which packets a -> b to drop. */
struct net
{
    struct side a, b;
    uint64_t now, latency;
    int drop_every; /* a -> b RTP: every n-th dropped (0: none) */
    int a_to_b_off; /* nothing a -> b while set */
    uint64_t sent_ab, dropped_ab, rtcp_a, rtcp_b;
    int16_t heard[FRAME]; /* what b played last */
};

/* One 20 ms tick: both send a frame (a: signal(t), b: silence), the packets arrive after the
 * latency (same tick: latency < 20 ms), both play, RTCP when due. */
static void tick(struct net *n, const int16_t *signal)
{
    uint8_t pkt[RTCPM_MEDIA_MAX_PACKET];
    int16_t out[FRAME];
    size_t len = rtcpm_media_session_send_frame(n->a.s, signal, n->now, pkt, sizeof(pkt));
    if (len)
    {
        n->sent_ab++;
        if (n->a_to_b_off || (n->drop_every && n->sent_ab % (uint64_t)n->drop_every == 0))
            n->dropped_ab++;
        else
            rtcpm_media_session_on_rtp(n->b.s, pkt, len, n->now + n->latency);
    }
    len = rtcpm_media_session_send_frame(n->b.s, NULL, n->now, pkt, sizeof(pkt));
    if (len) rtcpm_media_session_on_rtp(n->a.s, pkt, len, n->now + n->latency);
    rtcpm_media_session_play_frame(n->b.s, n->now + 2 * n->latency, n->heard);
    rtcpm_media_session_play_frame(n->a.s, n->now + 2 * n->latency, out);
    rtcpm_media_session_tick(n->a.s, n->now);
    rtcpm_media_session_tick(n->b.s, n->now);
    if (n->now >= rtcpm_media_session_rtcp_due_us(n->a.s))
    {
        len = rtcpm_media_session_build_rtcp(n->a.s, n->now, 0, pkt, sizeof(pkt));
        CU_ASSERT_EQUAL(rtcpm_media_session_on_rtcp(n->b.s, pkt, len, n->now + n->latency), 1);
        n->rtcp_a++;
    }
    if (n->now >= rtcpm_media_session_rtcp_due_us(n->b.s))
    {
        len = rtcpm_media_session_build_rtcp(n->b.s, n->now, 0, pkt, sizeof(pkt));
        CU_ASSERT_EQUAL(rtcpm_media_session_on_rtcp(n->a.s, pkt, len, n->now + n->latency), 1);
        n->rtcp_b++;
    }
    n->now += RTCPM_MEDIA_FRAME_US;
}

static void net_init(struct net *n, uint16_t seq_a, uint32_t ts_a)
{
    memset(n, 0, sizeof(*n));
    side_init(&n->a, 1, seq_a, ts_a, 101, 0);
    side_init(&n->b, 2, 100, 5000, 101, 1000);
    n->now = 1000000;
    n->latency = 5000;
}

static void net_free(struct net *n)
{
    rtcpm_media_session_destroy(n->a.s);
    rtcpm_media_session_destroy(n->b.s);
}

/* A 1 kHz-ish test signal: frame k, a ramp that differs from frame to frame. */
static void signal_frame(uint64_t k, int16_t *pcm)
{
    for (int i = 0; i < FRAME; i++) pcm[i] = (int16_t)((i % 8 < 4 ? 1 : -1) * (int)(1000 + (k % 50) * 100));
}

/* One hour on the simulated clock: a's sequence numbers wrap 2.7 times and its timestamps once;
 * everything arrives, is played in order with the codec's exact output, and reported. */
static void test_one_hour_call(void)
{
    static struct net n;
    struct rtcpm_media_stats sa, sb;
    int16_t pcm[FRAME], want[FRAME];
    uint8_t codes[FRAME];
    uint64_t mismatched = 0, ticks = 3600u * 50u;
    net_init(&n, 65000, 0xffff0000u);
    for (uint64_t k = 0; k < ticks; k++)
    {
        signal_frame(k, pcm);
        tick(&n, pcm);
        /* b plays frame k - 1 from the tick after the first (target delay one frame, the first
         * packet on probation) */
        if (k < 2) continue;
        signal_frame(k, want);
        rtcpm_g711_encode(0, want, FRAME, codes);
        rtcpm_g711_decode(0, codes, FRAME, want);
        mismatched += memcmp(n.heard, want, sizeof(want)) != 0;
    }
    rtcpm_media_session_stats(n.a.s, &sa);
    rtcpm_media_session_stats(n.b.s, &sb);
    CU_ASSERT_EQUAL(sa.rtp_sent, ticks);
    CU_ASSERT_EQUAL(sb.rtp_received, ticks);
    CU_ASSERT_EQUAL(sb.expected, ticks - 1); /* the first packet was on probation */
    CU_ASSERT_EQUAL(sb.cumulative_lost, 0);
    CU_ASSERT_EQUAL(sb.jitter, 0);
    CU_ASSERT_EQUAL(sb.remote_ssrc, 1);
    CU_ASSERT_EQUAL(mismatched, 0);
    CU_ASSERT_EQUAL(sb.frames_played, ticks - 1);
    CU_ASSERT_EQUAL(sb.packets_late + sb.packets_duplicate, 0);
    /* RTCP every 2.05..6.15 s (mean 4.1 s): about 880 reports each way in an hour */
    CU_ASSERT_TRUE(n.rtcp_a > 700 && n.rtcp_a < 1100);
    CU_ASSERT_TRUE(n.rtcp_b > 700 && n.rtcp_b < 1100);
    /* a learns from b's reports: no loss, and the round trip of 2 x 5 ms */
    CU_ASSERT_EQUAL(sa.remote_cumulative_lost, 0);
    CU_ASSERT_TRUE(sa.rtt_ms >= 9 && sa.rtt_ms <= 11);
    CU_ASSERT_TRUE(sb.rtt_ms >= 9 && sb.rtt_ms <= 11);
    net_free(&n);
}

static void test_loss_reported(void)
{
    struct net n;
    struct rtcpm_media_stats sa, sb;
    net_init(&n, 10, 0);
    n.drop_every = 20;
    for (int k = 0; k < 50 * 60 - 10; k++) tick(&n, NULL); /* a minute; the last packet dropped is not the last sent */
    rtcpm_media_session_stats(n.a.s, &sa);
    rtcpm_media_session_stats(n.b.s, &sb);
    CU_ASSERT_EQUAL(sb.cumulative_lost, (int32_t)n.dropped_ab);
    CU_ASSERT_EQUAL(sb.frames_concealed, n.dropped_ab);
    /* a's view from b's last report: 1 in 20 lost = 12.8 / 256 */
    CU_ASSERT_TRUE(sa.remote_fraction_lost >= 12 && sa.remote_fraction_lost <= 13);
    CU_ASSERT_TRUE(sa.remote_cumulative_lost > 0 && sa.remote_cumulative_lost <= (int32_t)n.dropped_ab);
    net_free(&n);
}

static void test_dtmf_end_to_end(void)
{
    struct net n;
    struct rtcpm_media_stats sa, sb;
    net_init(&n, 1, 1);
    for (int k = 0; k < 10; k++) tick(&n, NULL);
    CU_ASSERT_EQUAL(rtcpm_media_session_queue_dtmf(n.a.s, 5, 200), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_session_queue_dtmf(n.a.s, 11, 0), S_OK); /* 160 ms default */
    CU_ASSERT_EQUAL(rtcpm_media_session_dtmf_sending(n.a.s), -1);
    tick(&n, NULL);
    CU_ASSERT_EQUAL(rtcpm_media_session_dtmf_sending(n.a.s), 5);
    for (int k = 0; k < 40; k++) tick(&n, NULL);
    CU_ASSERT_EQUAL(n.b.dtmf_began, 2);
    CU_ASSERT_EQUAL(n.b.dtmf_ended, 2);
    CU_ASSERT_EQUAL(n.b.last_dtmf, 11);
    CU_ASSERT_EQUAL(n.b.last_duration, 1280);
    rtcpm_media_session_stats(n.a.s, &sa);
    rtcpm_media_session_stats(n.b.s, &sb);
    CU_ASSERT_EQUAL(sa.dtmf_sent, 2);
    CU_ASSERT_EQUAL(sb.dtmf_received, 2);
    CU_ASSERT_EQUAL(sb.cumulative_lost, 0); /* event packets take sequence numbers, none missing */
    CU_ASSERT_EQUAL(sb.packets_late, 0);
    /* bad requests */
    CU_ASSERT_EQUAL(rtcpm_media_session_queue_dtmf(n.a.s, 17, 100), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_media_session_queue_dtmf(n.a.s, 1, 30), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_media_session_queue_dtmf(n.a.s, 1, 8001), E_INVALIDARG);
    net_free(&n);
}

static void test_bye_and_timeout(void)
{
    struct net n;
    uint8_t pkt[RTCPM_MEDIA_MAX_PACKET];
    struct rtcpm_rtcp_info info;
    net_init(&n, 1, 1);
    for (int k = 0; k < 10; k++) tick(&n, NULL);
    /* a goes quiet: b reports the timeout once after 1 s, and the restart when RTP is back */
    n.a_to_b_off = 1;
    for (int k = 0; k < 49; k++) tick(&n, NULL);
    CU_ASSERT_EQUAL(n.b.stopped_timeout, 0);
    for (int k = 0; k < 100; k++) tick(&n, NULL);
    CU_ASSERT_EQUAL(n.b.stopped_timeout, 1);
    n.a_to_b_off = 0;
    tick(&n, NULL);
    CU_ASSERT_EQUAL(n.b.restarted, 1);
    /* a says BYE */
    size_t len = rtcpm_media_session_build_rtcp(n.a.s, n.now, 1, pkt, sizeof(pkt));
    CU_ASSERT_EQUAL_FATAL(rtcpm_rtcp_parse(pkt, len, &info), 0);
    CU_ASSERT_TRUE(info.has_sr && info.has_cname && info.has_bye);
    CU_ASSERT_STRING_EQUAL(info.cname, "a@test");
    CU_ASSERT_EQUAL(rtcpm_media_session_on_rtcp(n.b.s, pkt, len, n.now), 1);
    CU_ASSERT_EQUAL(n.b.stopped_remote, 1);
    CU_ASSERT_EQUAL(rtcpm_media_session_on_rtcp(n.b.s, pkt, len, n.now), 1); /* once only */
    CU_ASSERT_EQUAL(n.b.stopped_remote, 1);
    CU_ASSERT_EQUAL(rtcpm_media_session_on_rtcp(n.b.s, pkt, 3, n.now), -1);
    net_free(&n);
}

static size_t rtp(uint8_t *buf, uint32_t ssrc, uint16_t seq, int pt, size_t payload_len)
{
    static const uint8_t silence[FRAME] = { 0 };
    struct rtcpm_rtp_packet p;
    memset(&p, 0, sizeof(p));
    p.ssrc = ssrc;
    p.seq = seq;
    p.timestamp = 160u * seq;
    p.payload_type = pt;
    p.payload = silence;
    p.payload_len = payload_len;
    return (size_t)rtcpm_rtp_write(&p, buf, RTCPM_MEDIA_MAX_PACKET);
}

/* One source followed; another SSRC waits until the first is silent for a second; PTs that are
 * not ours and broken telephone-events are counted. */
static void test_sources_and_payload_types(void)
{
    struct side b;
    struct rtcpm_media_stats st;
    uint8_t pkt[RTCPM_MEDIA_MAX_PACKET];
    uint64_t now = 2000000;
    side_init(&b, 2, 1, 1, 101, 0);
    for (uint16_t i = 0; i < 5; i++, now += 20000)
        CU_ASSERT_EQUAL(rtcpm_media_session_on_rtp(b.s, pkt, rtp(pkt, 77, i, 0, FRAME), now), 1);
    CU_ASSERT_EQUAL(rtcpm_media_session_on_rtp(b.s, pkt, rtp(pkt, 88, 1, 0, FRAME), now), 0);
    CU_ASSERT_EQUAL(rtcpm_media_session_on_rtp(b.s, pkt, rtp(pkt, 77, 5, 18, FRAME), now), 0); /* G.729 */
    CU_ASSERT_EQUAL(rtcpm_media_session_on_rtp(b.s, pkt, rtp(pkt, 77, 6, 8, FRAME), now), 1);  /* PCMA: fine */
    CU_ASSERT_EQUAL(rtcpm_media_session_on_rtp(b.s, pkt, rtp(pkt, 77, 7, 101, 3), now),
                    -1); /* bad event: not 4 bytes */
    /* longer than any datagram we receive (fuzz_rtp found the decoder's buffer overrun) */
    static uint8_t big[2000];
    memcpy(big, pkt, rtp(pkt, 77, 8, 0, FRAME));
    CU_ASSERT_EQUAL(rtcpm_media_session_on_rtp(b.s, big, sizeof(big), now), -1);
    rtcpm_media_session_count_ignored(b.s, 0);
    rtcpm_media_session_count_ignored(b.s, 1);
    rtcpm_media_session_stats(b.s, &st);
    CU_ASSERT_EQUAL(st.remote_ssrc, 77);
    CU_ASSERT_EQUAL(st.rtp_received, 6);
    CU_ASSERT_EQUAL(st.rtp_ignored, 3);
    CU_ASSERT_EQUAL(st.rtp_malformed, 2);
    CU_ASSERT_EQUAL(st.rtcp_ignored, 1);
    /* a second later the new source takes over */
    now += 1000000;
    CU_ASSERT_EQUAL(rtcpm_media_session_on_rtp(b.s, pkt, rtp(pkt, 88, 2, 0, FRAME), now), 1);
    rtcpm_media_session_stats(b.s, &st);
    CU_ASSERT_EQUAL(st.remote_ssrc, 88);
    rtcpm_media_session_destroy(b.s);
}

/* Send direction off (the peer's SDP said sendonly or inactive): no RTP, RR not SR. */
static void test_receive_only(void)
{
    struct side a;
    uint8_t pkt[RTCPM_MEDIA_MAX_PACKET];
    struct rtcpm_rtcp_info info;
    struct rtcpm_media_codecs c = { 0, RTCPM_MEDIA_PCMU, -1, 20, 0, 1 };
    side_init(&a, 1, 1, 1, -1, 0);
    CU_ASSERT_EQUAL(rtcpm_media_session_set_codecs(a.s, &c), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_session_send_frame(a.s, NULL, 1000000, pkt, sizeof(pkt)), 0);
    CU_ASSERT_EQUAL(rtcpm_media_session_queue_dtmf(a.s, 1, 100), E_UNEXPECTED);
    size_t len = rtcpm_media_session_build_rtcp(a.s, 1000000, 0, pkt, sizeof(pkt));
    CU_ASSERT_EQUAL_FATAL(rtcpm_rtcp_parse(pkt, len, &info), 0);
    CU_ASSERT_TRUE(info.has_rr);
    c.codec = 9;
    CU_ASSERT_EQUAL(rtcpm_media_session_set_codecs(a.s, &c), E_INVALIDARG);
    c.codec = 0;
    c.dtmf_pt = 0; /* the same PT as audio */
    CU_ASSERT_EQUAL(rtcpm_media_session_set_codecs(a.s, &c), E_INVALIDARG);
    rtcpm_media_session_destroy(a.s);
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "one_hour_call", test_one_hour_call },
        { "loss_reported", test_loss_reported },
        { "dtmf_end_to_end", test_dtmf_end_to_end },
        { "bye_and_timeout", test_bye_and_timeout },
        { "sources_and_payload_types", test_sources_and_payload_types },
        { "receive_only", test_receive_only },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("media_session", tests, argc, argv);
}
