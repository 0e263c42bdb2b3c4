/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_media_stream.c — the media stream on loopback sockets, as the RTC client uses it:
 * silence as RTP G.711 every 20 ms from the bound port to the remote address, RTCP SR with
 * CNAME, BYE at stop, the counters, the events, the bad-input HRESULTs.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "loopback.h"
#include "media/media_stream.h"
#include "media/rtcp.h"
#include "media/rtp.h"
#include "os/os_platform.h"
#include "os/socket.h"
#include "test_thread.h"

struct peer
{
    rtcpm_socket *rtp, *rtcp;
    rtcpm_addr rtp_addr, rtcp_addr;
};

static void peer_open(struct peer *p)
{
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    memset(p, 0, sizeof(*p));
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&p->rtp, RTCPM_SOCK_UDP, &lo, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&p->rtcp, RTCPM_SOCK_UDP, &lo, NULL), 0);
    rtcpm_socket_local_addr(p->rtp, &p->rtp_addr);
    rtcpm_socket_local_addr(p->rtcp, &p->rtcp_addr);
}

static void peer_close(struct peer *p)
{
    rtcpm_socket_close(p->rtp);
    rtcpm_socket_close(p->rtcp);
}

#define MAX_EVENTS 32
struct events
{
    int n;
    struct rtcpm_media_event ev[MAX_EVENTS];
    char text[MAX_EVENTS][200];
};

static void on_event(void *ctx, const struct rtcpm_media_event *ev)
{
    struct events *e = ctx;
    if (e->n == MAX_EVENTS) return;
    e->ev[e->n] = *ev;
    snprintf(e->text[e->n], sizeof(e->text[0]), "%s", ev->text);
    e->ev[e->n].text = e->text[e->n];
    e->n++;
}

static int count_events(const struct events *e, enum rtcpm_media_event_type type, enum rtcpm_media_direction dir)
{
    int n = 0;
    for (int i = 0; i < e->n; i++) n += e->ev[i].type == type && e->ev[i].direction == dir;
    return n;
}

/* A stream on 127.0.0.1 (any ports) sending to the peer; wait_ms: its wait_for_remote_ms. */
static struct rtcpm_media_stream *stream_waiting(const struct peer *p, struct events *ev, const char *device,
                                                 int wait_ms)
{
    struct rtcpm_media_config cfg;
    struct rtcpm_media_stream *s = NULL;
    rtcpm_media_config_init(&cfg);
    cfg.local_rtp = test_addr("127.0.0.1", 0);
    cfg.on_event = ev ? on_event : NULL;
    cfg.ctx = ev;
    cfg.cname = "alice@test";
    cfg.capture_device = device;
    cfg.playback_device = device;
    cfg.wait_for_remote_ms = wait_ms;
    CU_ASSERT_EQUAL_FATAL(rtcpm_media_stream_create(&s, &cfg), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_remote(s, &p->rtp_addr, &p->rtcp_addr), S_OK);
    return s;
}

static struct rtcpm_media_stream *stream_to(const struct peer *p, struct events *ev, const char *device)
{
    return stream_waiting(p, ev, device, 0);
}

/* Receives RTP packets from the stream and checks each against the last. */
static int receive_rtp(struct peer *p, int want, int pt, uint8_t payload_byte, uint32_t *ssrc)
{
    uint8_t buf[1500];
    struct rtcpm_rtp_packet pkt, prev;
    int n = 0;
    memset(&prev, 0, sizeof(prev));
    while (n < want)
    {
        size_t got = 0;
        if (rtcpm_socket_recvfrom(p->rtp, buf, sizeof(buf), &got, NULL, 1000)) break;
        CU_ASSERT_EQUAL_FATAL(rtcpm_rtp_parse(buf, got, &pkt), 0);
        CU_ASSERT_EQUAL(pkt.payload_type, pt);
        CU_ASSERT_EQUAL(pkt.payload_len, 160);
        for (size_t i = 0; i < pkt.payload_len; i++)
            if (pkt.payload[i] != payload_byte)
            {
                CU_FAIL("payload is not silence");
                break;
            }
        if (n)
        {
            CU_ASSERT_EQUAL(pkt.ssrc, prev.ssrc);
            CU_ASSERT_EQUAL(pkt.seq, (uint16_t)(prev.seq + 1));
            CU_ASSERT_EQUAL(pkt.timestamp, prev.timestamp + 160);
        }
        *ssrc = pkt.ssrc;
        prev = pkt;
        n++;
    }
    return n;
}

static void test_silence_rtp_rtcp_bye(void)
{
    struct peer p;
    struct events ev;
    struct rtcpm_media_stats st;
    uint32_t ssrc = 0;
    uint8_t buf[1500];
    size_t got = 0;
    struct rtcpm_rtcp_info info;

    memset(&ev, 0, sizeof(ev));
    peer_open(&p);
    struct rtcpm_media_stream *s = stream_to(&p, &ev, "none");
    uint64_t t0 = rtcpm_clock_ms();
    CU_ASSERT_EQUAL(rtcpm_media_stream_start(s), S_OK);
    CU_ASSERT_EQUAL(receive_rtp(&p, 50, 0, 0xFF, &ssrc), 50);
    uint64_t ms = rtcpm_clock_ms() - t0;
    /* 50 packets at 20 ms: about a second (loose bounds: a loaded machine) */
    CU_ASSERT_TRUE(ms >= 900 && ms < 5000);
    /* the first report comes within 1..3 s: an SR (we send) with our CNAME, no block yet */
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_recvfrom(p.rtcp, buf, sizeof(buf), &got, NULL, 4000), 0);
    CU_ASSERT_EQUAL_FATAL(rtcpm_rtcp_parse(buf, got, &info), 0);
    CU_ASSERT_TRUE(info.has_sr);
    CU_ASSERT_EQUAL(info.sender_ssrc, ssrc);
    CU_ASSERT_TRUE(info.sender.packet_count >= 50);
    CU_ASSERT_EQUAL(info.sender.octet_count, info.sender.packet_count * 160);
    CU_ASSERT_EQUAL(info.n_blocks, 0);
    CU_ASSERT_TRUE(info.has_cname);
    CU_ASSERT_STRING_EQUAL(info.cname, "alice@test");
    CU_ASSERT_FALSE(info.has_bye);

    CU_ASSERT_EQUAL(rtcpm_media_stream_stop(s), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_get_stats(s, &st), S_OK);
    CU_ASSERT_EQUAL(st.local_ssrc, ssrc);
    CU_ASSERT_TRUE(st.rtp_sent >= 50);
    CU_ASSERT_EQUAL(st.rtp_octets_sent, st.rtp_sent * 160);
    CU_ASSERT_EQUAL(st.rtp_received, 0);
    CU_ASSERT_EQUAL(st.rtcp_sent, 2);    /* the report and the BYE */
    CU_ASSERT_EQUAL(st.capture_open, 0); /* "none" */
    /* the BYE: SR + SDES + BYE for our SSRC */
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_recvfrom(p.rtcp, buf, sizeof(buf), &got, NULL, 2000), 0);
    CU_ASSERT_EQUAL_FATAL(rtcpm_rtcp_parse(buf, got, &info), 0);
    CU_ASSERT_TRUE(info.has_sr);
    CU_ASSERT_TRUE(info.has_cname);
    CU_ASSERT_TRUE(info.has_bye);
    CU_ASSERT_EQUAL(info.n_bye, 1);
    CU_ASSERT_EQUAL(info.bye_ssrc[0], ssrc);
    /* events: started and stopped, both directions; "none" is no failure */
    CU_ASSERT_EQUAL(count_events(&ev, RTCPM_MEDIA_EV_STARTED, RTCPM_MEDIA_SEND), 1);
    CU_ASSERT_EQUAL(count_events(&ev, RTCPM_MEDIA_EV_STARTED, RTCPM_MEDIA_RECEIVE), 1);
    CU_ASSERT_EQUAL(count_events(&ev, RTCPM_MEDIA_EV_STOPPED, RTCPM_MEDIA_SEND), 1);
    CU_ASSERT_EQUAL(count_events(&ev, RTCPM_MEDIA_EV_STOPPED, RTCPM_MEDIA_RECEIVE), 1);
    CU_ASSERT_EQUAL(count_events(&ev, RTCPM_MEDIA_EV_FAILED, RTCPM_MEDIA_SEND), 0);
    CU_ASSERT_EQUAL(rtcpm_media_stream_stop(s), S_FALSE);
    rtcpm_media_stream_destroy(s);
    peer_close(&p);
}

/* PCMA after set_codecs: payload type 8, A-law silence 0xD5. */
static void test_pcma(void)
{
    struct peer p;
    uint32_t ssrc;
    struct rtcpm_media_codecs c = { RTCPM_MEDIA_PCMA, RTCPM_MEDIA_PCMA, -1, 20, 1, 1 };
    peer_open(&p);
    struct rtcpm_media_stream *s = stream_to(&p, NULL, "none");
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_codecs(s, &c), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_start(s), S_OK);
    CU_ASSERT_EQUAL(receive_rtp(&p, 5, 8, 0xD5, &ssrc), 5);
    /* no telephone-event negotiated: no DTMF */
    CU_ASSERT_EQUAL(rtcpm_media_stream_send_dtmf(s, 1, 0), E_UNEXPECTED);
    rtcpm_media_stream_destroy(s); /* stops it */
    peer_close(&p);
}

/* What arrives is counted: from the remote's RTP address accepted, from elsewhere ignored. */
static void test_receive_counted(void)
{
    struct peer p, stranger;
    struct rtcpm_media_stats st;
    rtcpm_addr local_rtp, local_rtcp;
    uint8_t pkt[172], payload[160];
    struct rtcpm_rtp_packet r;
    peer_open(&p);
    peer_open(&stranger);
    struct rtcpm_media_stream *s = stream_to(&p, NULL, "none");
    CU_ASSERT_EQUAL(rtcpm_media_stream_local(s, &local_rtp, &local_rtcp), S_OK);
    CU_ASSERT_NOT_EQUAL(local_rtp.port, 0);
    CU_ASSERT_NOT_EQUAL(local_rtcp.port, 0);
    CU_ASSERT_EQUAL(rtcpm_media_stream_start(s), S_OK);
    memset(&r, 0, sizeof(r));
    memset(payload, 0xFF, sizeof(payload));
    r.ssrc = 0x1234;
    r.payload = payload;
    r.payload_len = sizeof(payload);
    for (int i = 0; i < 10; i++)
    {
        r.seq = (uint16_t)(100 + i);
        r.timestamp = 1000 + 160u * (uint32_t)i;
        int n = rtcpm_rtp_write(&r, pkt, sizeof(pkt));
        CU_ASSERT_EQUAL(n, 172);
        rtcpm_socket_sendto(p.rtp, pkt, (size_t)n, &local_rtp);
        if (i < 3) rtcpm_socket_sendto(stranger.rtp, pkt, (size_t)n, &local_rtp);
        test_sleep_ms(20);
    }
    rtcpm_socket_sendto(p.rtp, "junk", 4, &local_rtp);
    test_sleep_ms(200);
    CU_ASSERT_EQUAL(rtcpm_media_stream_get_stats(s, &st), S_OK);
    CU_ASSERT_EQUAL(st.rtp_received, 10);
    CU_ASSERT_EQUAL(st.rtp_octets_received, 1600);
    CU_ASSERT_EQUAL(st.rtp_ignored, 3);
    CU_ASSERT_EQUAL(st.rtp_malformed, 1);
    CU_ASSERT_EQUAL(st.remote_ssrc, 0x1234);
    CU_ASSERT_EQUAL(st.cumulative_lost, 0);
    rtcpm_media_stream_destroy(s);
    peer_close(&p);
    peer_close(&stranger);
}

/* No device: the stream runs, FAILED events (BAD_DEVICE, RTCPM_MEDIA_E_NO_DEVICE) say why. */
static void test_missing_device(void)
{
    struct peer p;
    struct events ev;
    uint32_t ssrc;
    memset(&ev, 0, sizeof(ev));
    peer_open(&p);
    struct rtcpm_media_stream *s = stream_to(&p, &ev, "file:/nonexistent/dir/x.wav");
    CU_ASSERT_EQUAL(rtcpm_media_stream_start(s), S_OK);
    CU_ASSERT_EQUAL(receive_rtp(&p, 3, 0, 0xFF, &ssrc), 3);
    CU_ASSERT_EQUAL(rtcpm_media_stream_stop(s), S_OK);
    CU_ASSERT_EQUAL(count_events(&ev, RTCPM_MEDIA_EV_FAILED, RTCPM_MEDIA_SEND), 1);
    CU_ASSERT_EQUAL(count_events(&ev, RTCPM_MEDIA_EV_FAILED, RTCPM_MEDIA_RECEIVE), 1);
    for (int i = 0; i < ev.n; i++)
        if (ev.ev[i].type == RTCPM_MEDIA_EV_FAILED)
        {
            CU_ASSERT_EQUAL(ev.ev[i].reason, RTCPM_MEDIA_REASON_BAD_DEVICE);
            CU_ASSERT_EQUAL(ev.ev[i].hr, RTCPM_MEDIA_E_NO_DEVICE);
            CU_ASSERT_PTR_NOT_NULL(strstr(ev.ev[i].text, "/nonexistent/dir/x.wav"));
        }
    rtcpm_media_stream_destroy(s);
    peer_close(&p);
}

/* wait_for_remote_ms: RTP and RTCP each wait for the remote's first packet on their socket
 * (a NAT whose mapping forwards only inbound), and send from then on; and when the remote stays
 * silent, from the end of the wait. */
static void test_wait_for_remote(void)
{
    struct peer p;
    struct rtcpm_media_stats st;
    rtcpm_addr local_rtp, local_rtcp;
    uint8_t buf[1500];
    size_t got = 0;
    uint32_t ssrc = 0;
    struct rtcpm_rtp_packet pkt;
    struct rtcpm_rtcp_info info;

    peer_open(&p);
    struct rtcpm_media_stream *s = stream_waiting(&p, NULL, "none", 20000);
    CU_ASSERT_EQUAL(rtcpm_media_stream_local(s, &local_rtp, &local_rtcp), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_start(s), S_OK);
    /* nothing yet: ~15 frames' time without a packet */
    CU_ASSERT_EQUAL(rtcpm_socket_recvfrom(p.rtp, buf, sizeof(buf), &got, NULL, 300), RTCPM_SOCK_E_TIMEOUT);
    CU_ASSERT_EQUAL(rtcpm_media_stream_get_stats(s, &st), S_OK);
    CU_ASSERT_EQUAL(st.rtp_sent, 0);
    /* the remote's first RTP packet: ours follow, the first with the marker bit */
    memset(&pkt, 0, sizeof(pkt));
    memset(buf, 0xFF, 160);
    pkt.ssrc = 0x5150;
    pkt.payload = buf;
    pkt.payload_len = 160;
    uint8_t out[200];
    int n = rtcpm_rtp_write(&pkt, out, sizeof(out));
    CU_ASSERT_EQUAL_FATAL(n, 172);
    CU_ASSERT_EQUAL(rtcpm_socket_sendto(p.rtp, out, (size_t)n, &local_rtp), 0);
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_recvfrom(p.rtp, buf, sizeof(buf), &got, NULL, 2000), 0);
    CU_ASSERT_EQUAL_FATAL(rtcpm_rtp_parse(buf, got, &pkt), 0);
    CU_ASSERT_EQUAL(pkt.marker, 1);
    CU_ASSERT_EQUAL(receive_rtp(&p, 10, 0, 0xFF, &ssrc), 10);
    /* RTCP still waits (its first report is due within 1..3 s; nothing came on RTCP) */
    CU_ASSERT_EQUAL(rtcpm_socket_recvfrom(p.rtcp, buf, sizeof(buf), &got, NULL, 3500), RTCPM_SOCK_E_TIMEOUT);
    /* a packet from the remote on RTCP: the overdue report goes at once, an SR */
    CU_ASSERT_EQUAL(rtcpm_socket_sendto(p.rtcp, "rtcp?", 5, &local_rtcp), 0);
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_recvfrom(p.rtcp, buf, sizeof(buf), &got, NULL, 1000), 0);
    CU_ASSERT_EQUAL_FATAL(rtcpm_rtcp_parse(buf, got, &info), 0);
    CU_ASSERT_TRUE(info.has_sr);
    CU_ASSERT_EQUAL(info.sender_ssrc, ssrc);
    rtcpm_media_stream_destroy(s);
    peer_close(&p);

    /* a silent remote: sending starts when the wait ends (400 ms) */
    peer_open(&p);
    s = stream_waiting(&p, NULL, "none", 400);
    uint64_t t0 = rtcpm_clock_ms();
    CU_ASSERT_EQUAL(rtcpm_media_stream_start(s), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_recvfrom(p.rtp, buf, sizeof(buf), &got, NULL, 3000), 0);
    uint64_t ms = rtcpm_clock_ms() - t0;
    CU_ASSERT_TRUE(ms >= 380);
    CU_ASSERT_TRUE(ms < 2500);
    rtcpm_media_stream_destroy(s);
    peer_close(&p);
}

static void test_bad_input(void)
{
    struct rtcpm_media_config cfg;
    struct rtcpm_media_stream *s = (void *)1;
    struct rtcpm_media_stats st;
    struct peer p;
    long vol;
    int muted;
    rtcpm_addr a = test_addr("127.0.0.1", 0);

    CU_ASSERT_EQUAL(rtcpm_media_stream_create(NULL, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_media_stream_create(&s, NULL), E_POINTER);
    CU_ASSERT_PTR_NULL(s);
    rtcpm_media_config_init(&cfg);
    cfg.local_rtp = a;
    cfg.codecs.codec = 3;
    CU_ASSERT_EQUAL(rtcpm_media_stream_create(&s, &cfg), E_INVALIDARG);
    CU_ASSERT_PTR_NULL(s);

    peer_open(&p);
    /* the RTP port is taken: RTCPM_MEDIA_E_SOCKET */
    rtcpm_media_config_init(&cfg);
    cfg.local_rtp = p.rtp_addr;
    CU_ASSERT_EQUAL(rtcpm_media_stream_create(&s, &cfg), RTCPM_MEDIA_E_SOCKET);

    rtcpm_media_config_init(&cfg);
    cfg.local_rtp = a;
    CU_ASSERT_EQUAL_FATAL(rtcpm_media_stream_create(&s, &cfg), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_start(s), E_UNEXPECTED); /* no remote yet */
    a.port = 0;
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_remote(s, &a, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_remote(s, NULL, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_media_stream_send_dtmf(s, 1, 0), E_UNEXPECTED); /* not running */
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_volume(s, RTCPM_MEDIA_SEND, 0x10000), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_volume(s, RTCPM_MEDIA_SEND, -1), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_volume(s, (enum rtcpm_media_direction)3, 5), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_volume(s, RTCPM_MEDIA_RECEIVE, 1234), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_get_volume(s, RTCPM_MEDIA_RECEIVE, &vol), S_OK);
    CU_ASSERT_EQUAL(vol, 1234);
    CU_ASSERT_EQUAL(rtcpm_media_stream_get_volume(s, RTCPM_MEDIA_SEND, &vol), S_OK);
    CU_ASSERT_EQUAL(vol, 0xFFFF);
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_mute(s, RTCPM_MEDIA_SEND, 7), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_get_mute(s, RTCPM_MEDIA_SEND, &muted), S_OK);
    CU_ASSERT_EQUAL(muted, 1);
    CU_ASSERT_EQUAL(rtcpm_media_stream_get_mute(s, RTCPM_MEDIA_SEND, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_media_stream_get_stats(s, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_media_stream_get_stats(NULL, &st), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_media_stream_stop(s), S_FALSE);
    CU_ASSERT_EQUAL(rtcpm_media_stream_set_remote(s, &p.rtp_addr, NULL), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_start(s), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_start(s), E_UNEXPECTED);
    CU_ASSERT_EQUAL(rtcpm_media_stream_send_dtmf(s, 17, 0), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_media_stream_send_dtmf(s, 1, 20), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_media_stream_send_dtmf(s, 1, 0), S_OK);
    CU_ASSERT_EQUAL(rtcpm_media_stream_stop(s), S_OK);
    /* started again after a stop */
    CU_ASSERT_EQUAL(rtcpm_media_stream_start(s), S_OK);
    rtcpm_media_stream_destroy(s);
    rtcpm_media_stream_destroy(NULL);
    peer_close(&p);
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "silence_rtp_rtcp_bye", test_silence_rtp_rtcp_bye },
        { "pcma", test_pcma },
        { "receive_counted", test_receive_counted },
        { "missing_device", test_missing_device },
        { "wait_for_remote", test_wait_for_remote },
        { "bad_input", test_bad_input },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("media_stream", tests, argc, argv);
}
