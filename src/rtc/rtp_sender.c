/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtp_sender.c — see rtp_sender.h. One thread per call: an RTP packet every 20 ms (paced on
 * the clock, not on the sleeps, so a late wake-up does not slow the stream), an RTCP
 * compound packet (SR + SDES CNAME, RFC 3550 6.1) at start and every 5 s, SR + BYE at the end.
 */
#include <stdlib.h>
#include <string.h>
#include "rtc/rtp_sender.h"
#include "rtc/rtc_private.h"
#include "os/platform.h"
#include "os/socket.h"

#define RTP_PACKET_MS   20
#define RTP_SAMPLES     160 /* 8 kHz x 20 ms */
#define RTP_PT_PCMU     0
#define PCMU_SILENCE    0xff
#define RTCP_PERIOD_MS  5000
#define NTP_UNIX_OFFSET 2208988800u

struct rtc_rtp_sender
{
    rtcpm_socket *rtp, *rtcp;
    rtcpm_addr rtp_local, rtcp_local, rtp_remote, rtcp_remote;
    rtcpm_thread *thread;
    LONG stop;
    LONG sent;
    uint32_t ssrc, timestamp, octets;
    uint16_t seq;
};

static void put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

static void send_rtp(struct rtc_rtp_sender *s)
{
    unsigned char pkt[12 + RTP_SAMPLES];

    pkt[0] = 0x80; /* V=2 */
    pkt[1] = RTP_PT_PCMU;
    put16(pkt + 2, s->seq++);
    put32(pkt + 4, s->timestamp);
    put32(pkt + 8, s->ssrc);
    memset(pkt + 12, PCMU_SILENCE, RTP_SAMPLES);
    s->timestamp += RTP_SAMPLES;
    if (rtcpm_socket_sendto(s->rtp, pkt, sizeof(pkt), &s->rtp_remote) == RTCPM_SOCK_OK)
    {
        InterlockedIncrement(&s->sent);
        s->octets += RTP_SAMPLES;
    }
}

/* SR (28 bytes) + SDES CNAME "rtcpm" (16 bytes) [+ BYE (8 bytes)]. */
static void send_rtcp(struct rtc_rtp_sender *s, int bye)
{
    unsigned char pkt[28 + 16 + 8];
    int64_t now = rtcpm_clock_epoch_s();
    size_t len = 44;

    memset(pkt, 0, sizeof(pkt));
    pkt[0] = 0x80; /* V=2, RC=0 */
    pkt[1] = 200;  /* SR */
    put16(pkt + 2, 6);
    put32(pkt + 4, s->ssrc);
    put32(pkt + 8, (uint32_t)(now + NTP_UNIX_OFFSET)); /* NTP seconds; fraction 0 */
    put32(pkt + 16, s->timestamp);
    put32(pkt + 20, (uint32_t)s->sent);
    put32(pkt + 24, s->octets);
    pkt[28] = 0x81; /* V=2, SC=1 */
    pkt[29] = 202;  /* SDES */
    put16(pkt + 30, 3);
    put32(pkt + 32, s->ssrc);
    pkt[36] = 1; /* CNAME */
    pkt[37] = 5;
    memcpy(pkt + 38, "rtcpm", 5); /* + END and padding: zero */
    if (bye)
    {
        pkt[44] = 0x81; /* V=2, SC=1 */
        pkt[45] = 203;  /* BYE */
        put16(pkt + 46, 1);
        put32(pkt + 48, s->ssrc);
        len += 8;
    }
    rtcpm_socket_sendto(s->rtcp, pkt, len, &s->rtcp_remote);
}

/* Reads and drops what arrived on sock, waiting up to wait_ms for the first datagram. */
static void drain(rtcpm_socket *sock, int wait_ms)
{
    unsigned char buf[1500];
    size_t got;
    int n = 0;

    while (n++ < 32 && rtcpm_socket_recvfrom(sock, buf, sizeof(buf), &got, NULL, wait_ms) != RTCPM_SOCK_E_TIMEOUT)
        wait_ms = 0;
}

static void sender_main(void *arg)
{
    struct rtc_rtp_sender *s = arg;
    uint64_t start = rtcpm_clock_ms(), next_rtcp = start, now;
    unsigned long n = 0;

    while (!InterlockedCompareExchange(&s->stop, 0, 0))
    {
        now = rtcpm_clock_ms();
        if (now >= next_rtcp)
        {
            send_rtcp(s, 0);
            next_rtcp = now + RTCP_PERIOD_MS;
        }
        if (now >= start + n * RTP_PACKET_MS)
        {
            send_rtp(s);
            n++;
            continue;
        }
        drain(s->rtcp, 0);
        drain(s->rtp, (int)(start + n * RTP_PACKET_MS - now));
    }
    send_rtcp(s, 1);
}

static int bind_pair(struct rtc_rtp_sender *s, const rtcpm_addr *rtp_local, const rtcpm_addr *rtcp_local)
{
    rtcpm_addr rtp = *rtp_local, rtcp = *rtcp_local;
    uint16_t r;
    int tries;

    if (rtp.port || rtcp.port)
        return rtcpm_socket_open(&s->rtp, RTCPM_SOCK_UDP, &rtp, NULL) == RTCPM_SOCK_OK &&
               rtcpm_socket_open(&s->rtcp, RTCPM_SOCK_UDP, &rtcp, NULL) == RTCPM_SOCK_OK;
    for (tries = 0; tries < 64; tries++)
    {
        if (rtcpm_random_bytes(&r, sizeof(r)) < 0) return 0;
        rtp.port = (uint16_t)(16384 + 2 * (r % 16384)); /* even, 16384..49150 */
        rtcp.port = rtp.port + 1;
        if (rtcpm_socket_open(&s->rtp, RTCPM_SOCK_UDP, &rtp, NULL) != RTCPM_SOCK_OK) continue;
        if (rtcpm_socket_open(&s->rtcp, RTCPM_SOCK_UDP, &rtcp, NULL) == RTCPM_SOCK_OK) return 1;
        rtcpm_socket_close(s->rtp);
        s->rtp = NULL;
    }
    return 0;
}

HRESULT rtcpm_rtc_rtp_open(const rtcpm_addr *rtp_local, const rtcpm_addr *rtcp_local, struct rtc_rtp_sender **out)
{
    struct rtc_rtp_sender *s = calloc(1, sizeof(*s));

    *out = NULL;
    if (!s) return E_OUTOFMEMORY;
    if (!bind_pair(s, rtp_local, rtcp_local) || rtcpm_random_bytes(&s->ssrc, sizeof(s->ssrc)) < 0 ||
        rtcpm_random_bytes(&s->seq, sizeof(s->seq)) < 0 || rtcpm_random_bytes(&s->timestamp, sizeof(s->timestamp)) < 0)
    {
        rtcpm_rtc_rtp_close(s);
        return RTC_E_INVALID_ADDRESS_LOCAL;
    }
    rtcpm_socket_local_addr(s->rtp, &s->rtp_local);
    rtcpm_socket_local_addr(s->rtcp, &s->rtcp_local);
    *out = s;
    return S_OK;
}

void rtcpm_rtc_rtp_local(struct rtc_rtp_sender *s, rtcpm_addr *rtp, rtcpm_addr *rtcp)
{
    *rtp = s->rtp_local;
    *rtcp = s->rtcp_local;
}

HRESULT rtcpm_rtc_rtp_start(struct rtc_rtp_sender *s, const rtcpm_addr *rtp_remote, const rtcpm_addr *rtcp_remote)
{
    if (s->thread) return E_UNEXPECTED;
    s->rtp_remote = *rtp_remote;
    s->rtcp_remote = *rtcp_remote;
    if (rtcpm_thread_start(&s->thread, sender_main, s) < 0) return E_OUTOFMEMORY;
    RTC_TRACE("rtp %p: sending", (void *)s);
    return S_OK;
}

unsigned long rtcpm_rtc_rtp_sent(struct rtc_rtp_sender *s)
{
    return (unsigned long)InterlockedCompareExchange(&s->sent, 0, 0);
}

void rtcpm_rtc_rtp_close(struct rtc_rtp_sender *s)
{
    if (!s) return;
    if (s->thread)
    {
        InterlockedExchange(&s->stop, 1);
        rtcpm_thread_join(s->thread);
    }
    rtcpm_socket_close(s->rtp);
    rtcpm_socket_close(s->rtcp);
    free(s);
}
