/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_rtp_rtcp.c — RTP packets (RFC 3550 5.1: header, CSRC, extension, padding), RTCP
 * compound packets (SR/RR/SDES/BYE, the A.2 checks) and the reception statistics of a source
 * (A.1 sequence validation and wrap, A.3 loss and fraction lost, A.8 jitter, LSR/DLSR, RTT).
 */
#include "harness.h"

#include <string.h>

#include "media/rtcp.h"
#include "media/rtp.h"
#include "media/rtp_source.h"

static void test_rtp_exact_bytes(void)
{
    static const uint8_t want[] = { 0x80, 0x00, 0x12, 0x34, 0x01, 0x02, 0x03, 0x04, 0xde, 0xad, 0xbe, 0xef, 0xff };
    uint8_t payload = 0xff, buf[64];
    struct rtcpm_rtp_packet p;
    memset(&p, 0, sizeof(p));
    p.seq = 0x1234;
    p.timestamp = 0x01020304;
    p.ssrc = 0xdeadbeef;
    p.payload = &payload;
    p.payload_len = 1;
    CU_ASSERT_EQUAL(rtcpm_rtp_write(&p, buf, sizeof(buf)), (int)sizeof(want));
    CU_ASSERT_EQUAL(memcmp(buf, want, sizeof(want)), 0);
    CU_ASSERT_EQUAL(rtcpm_rtp_write(&p, buf, sizeof(want) - 1), RTCPM_RTP_E_BUFFER);
    p.payload_type = 128;
    CU_ASSERT_EQUAL(rtcpm_rtp_write(&p, buf, sizeof(buf)), RTCPM_RTP_E_INVALID);
}

static void test_rtp_round_trip_all_fields(void)
{
    static const uint8_t ext[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    uint8_t payload[160], buf[256];
    struct rtcpm_rtp_packet p, q;
    memset(&p, 0, sizeof(p));
    for (int i = 0; i < 160; i++) payload[i] = (uint8_t)i;
    p.marker = 1;
    p.payload_type = 8;
    p.seq = 65535;
    p.timestamp = 0xfffffff0u;
    p.ssrc = 42;
    p.csrc_count = 3;
    p.csrc[0] = 7, p.csrc[1] = 8, p.csrc[2] = 0xffffffffu;
    p.has_extension = 1;
    p.ext_profile = 0xbede;
    p.ext_data = ext;
    p.ext_words = 2;
    p.payload = payload;
    p.payload_len = sizeof(payload);
    p.padding = 4;
    int n = rtcpm_rtp_write(&p, buf, sizeof(buf));
    CU_ASSERT_EQUAL_FATAL(n, 12 + 12 + 4 + 8 + 160 + 4);
    CU_ASSERT_EQUAL(buf[0], 0x80 | 0x20 | 0x10 | 3);
    CU_ASSERT_EQUAL(buf[1], 0x80 | 8);
    CU_ASSERT_EQUAL(buf[n - 1], 4);
    CU_ASSERT_EQUAL_FATAL(rtcpm_rtp_parse(buf, (size_t)n, &q), 0);
    CU_ASSERT_EQUAL(q.marker, 1);
    CU_ASSERT_EQUAL(q.payload_type, 8);
    CU_ASSERT_EQUAL(q.seq, 65535);
    CU_ASSERT_EQUAL(q.timestamp, 0xfffffff0u);
    CU_ASSERT_EQUAL(q.ssrc, 42);
    CU_ASSERT_EQUAL(q.csrc_count, 3);
    CU_ASSERT_EQUAL(q.csrc[2], 0xffffffffu);
    CU_ASSERT_EQUAL(q.ext_profile, 0xbede);
    CU_ASSERT_EQUAL(q.ext_words, 2);
    CU_ASSERT_EQUAL(memcmp(q.ext_data, ext, 8), 0);
    CU_ASSERT_EQUAL(q.payload_len, 160);
    CU_ASSERT_EQUAL(memcmp(q.payload, payload, 160), 0);
    CU_ASSERT_EQUAL(q.padding, 4);
    /* wrap helpers */
    CU_ASSERT_EQUAL(rtcpm_rtp_seq_diff(2, 65535), 3);
    CU_ASSERT_EQUAL(rtcpm_rtp_seq_diff(65535, 2), -3);
    CU_ASSERT_EQUAL(rtcpm_rtp_ts_diff(100, 0xffffff00u), 356);
}

static void test_rtp_parse_errors(void)
{
    uint8_t b[32];
    struct rtcpm_rtp_packet p;
    memset(b, 0, sizeof(b));
    b[0] = 0x80;
    CU_ASSERT_EQUAL(rtcpm_rtp_parse(b, 11, &p), RTCPM_RTP_E_SHORT);
    CU_ASSERT_EQUAL(rtcpm_rtp_parse(b, 12, &p), 0); /* empty payload is fine */
    CU_ASSERT_EQUAL(p.payload_len, 0);
    b[0] = 0x40;
    CU_ASSERT_EQUAL(rtcpm_rtp_parse(b, 12, &p), RTCPM_RTP_E_VERSION);
    b[0] = 0x82; /* two CSRCs: 20 bytes needed */
    CU_ASSERT_EQUAL(rtcpm_rtp_parse(b, 19, &p), RTCPM_RTP_E_SHORT);
    CU_ASSERT_EQUAL(rtcpm_rtp_parse(b, 20, &p), 0);
    b[0] = 0x90; /* extension header at 12, 1 word: 20 bytes */
    b[14] = 0, b[15] = 1;
    CU_ASSERT_EQUAL(rtcpm_rtp_parse(b, 19, &p), RTCPM_RTP_E_SHORT);
    CU_ASSERT_EQUAL(rtcpm_rtp_parse(b, 20, &p), 0);
    b[0] = 0xa0; /* padding */
    b[15] = 0;
    CU_ASSERT_EQUAL(rtcpm_rtp_parse(b, 16, &p), RTCPM_RTP_E_PADDING); /* count 0 */
    b[15] = 5;
    CU_ASSERT_EQUAL(rtcpm_rtp_parse(b, 16, &p), RTCPM_RTP_E_PADDING); /* more than follows the header */
    b[15] = 4;
    CU_ASSERT_EQUAL(rtcpm_rtp_parse(b, 16, &p), 0);
    CU_ASSERT_EQUAL(p.payload_len, 0);
    CU_ASSERT_EQUAL(p.ssrc, 0);
}

static void test_rtcp_sr_exact(void)
{
    uint8_t buf[128];
    struct rtcpm_rtcp_writer w;
    struct rtcpm_rtcp_sender_info si = { 0x0102030405060708ull, 0x11223344, 7, 1120 };
    struct rtcpm_rtcp_block b = { 0xaabbccdd, 25, -5, 0x00010005, 99, 0x12345678, 65536 };
    struct rtcpm_rtcp_info info;
    rtcpm_rtcp_writer_init(&w, buf, sizeof(buf));
    CU_ASSERT_EQUAL(rtcpm_rtcp_write_report(&w, 0x01020304, &si, &b, 1), 0);
    CU_ASSERT_EQUAL(w.len, 52);
    CU_ASSERT_EQUAL(buf[0], 0x81);
    CU_ASSERT_EQUAL(buf[1], 200);
    CU_ASSERT_EQUAL(rtcpm_rd16(buf + 2), 12);
    CU_ASSERT_EQUAL(rtcpm_rd32(buf + 28 + 4), (25u << 24) | 0xfffffb); /* fraction, -5 in 24 bits */
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(buf, w.len, &info), 0);
    CU_ASSERT_TRUE(info.has_sr);
    CU_ASSERT_EQUAL(info.sender_ssrc, 0x01020304);
    CU_ASSERT_EQUAL(info.sender.ntp, si.ntp);
    CU_ASSERT_EQUAL(info.sender.rtp_timestamp, si.rtp_timestamp);
    CU_ASSERT_EQUAL(info.sender.packet_count, 7);
    CU_ASSERT_EQUAL(info.sender.octet_count, 1120);
    CU_ASSERT_EQUAL_FATAL(info.n_blocks, 1);
    CU_ASSERT_EQUAL(info.blocks[0].ssrc, b.ssrc);
    CU_ASSERT_EQUAL(info.blocks[0].fraction_lost, 25);
    CU_ASSERT_EQUAL(info.blocks[0].cumulative_lost, -5);
    CU_ASSERT_EQUAL(info.blocks[0].highest_seq, 0x00010005);
    CU_ASSERT_EQUAL(info.blocks[0].jitter, 99);
    CU_ASSERT_EQUAL(info.blocks[0].lsr, 0x12345678);
    CU_ASSERT_EQUAL(info.blocks[0].dlsr, 65536);
    /* lost beyond 24 bits is clamped */
    b.cumulative_lost = 0x900000;
    rtcpm_rtcp_writer_init(&w, buf, sizeof(buf));
    rtcpm_rtcp_write_report(&w, 1, NULL, &b, 1);
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(buf, w.len, &info), 0);
    CU_ASSERT_TRUE(info.has_rr);
    CU_ASSERT_EQUAL(info.blocks[0].cumulative_lost, 0x7fffff);
}

static void test_rtcp_compound(void)
{
    uint8_t buf[600];
    char cname[256];
    uint32_t byes[2] = { 5, 6 };
    struct rtcpm_rtcp_writer w;
    struct rtcpm_rtcp_info info;
    memset(cname, 'c', 255);
    cname[255] = 0;
    rtcpm_rtcp_writer_init(&w, buf, sizeof(buf));
    CU_ASSERT_EQUAL(rtcpm_rtcp_write_report(&w, 5, NULL, NULL, 0), 0);
    CU_ASSERT_EQUAL(rtcpm_rtcp_write_sdes_cname(&w, 5, cname), 0);
    CU_ASSERT_EQUAL(w.len % 4, 0);
    CU_ASSERT_EQUAL(rtcpm_rtcp_write_bye(&w, byes, 2, "hang up"), 0);
    CU_ASSERT_EQUAL(w.len, 8 + 268 + 20);
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(buf, w.len, &info), 0);
    CU_ASSERT_EQUAL(info.packets, 3);
    CU_ASSERT_TRUE(info.has_rr);
    CU_ASSERT_TRUE(info.has_cname);
    CU_ASSERT_EQUAL(info.cname_ssrc, 5);
    CU_ASSERT_STRING_EQUAL(info.cname, cname);
    CU_ASSERT_TRUE(info.has_bye);
    CU_ASSERT_EQUAL(info.n_bye, 2);
    CU_ASSERT_EQUAL(info.bye_ssrc[1], 6);
    CU_ASSERT_STRING_EQUAL(info.bye_reason, "hang up");
    /* a CNAME of 256 bytes, 32 report blocks, a full buffer */
    cname[255] = 'c';
    char longer[257];
    memcpy(longer, cname, 256);
    longer[256] = 0;
    rtcpm_rtcp_writer_init(&w, buf, sizeof(buf));
    CU_ASSERT_EQUAL(rtcpm_rtcp_write_sdes_cname(&w, 5, longer), RTCPM_RTCP_E_INVALID);
    rtcpm_rtcp_writer_init(&w, buf, sizeof(buf));
    CU_ASSERT_EQUAL(rtcpm_rtcp_write_report(&w, 5, NULL, NULL, 32), RTCPM_RTCP_E_INVALID);
    rtcpm_rtcp_writer_init(&w, buf, 7);
    CU_ASSERT_EQUAL(rtcpm_rtcp_write_report(&w, 5, NULL, NULL, 0), RTCPM_RTCP_E_BUFFER);
    CU_ASSERT_EQUAL(rtcpm_rtcp_write_sdes_cname(&w, 5, "x"), RTCPM_RTCP_E_BUFFER); /* the error sticks */
}

/* RFC 3550 A.2: what a compound packet must look like. */
static void test_rtcp_validity(void)
{
    uint8_t buf[128], bad[128];
    struct rtcpm_rtcp_writer w;
    struct rtcpm_rtcp_info info;
    rtcpm_rtcp_writer_init(&w, buf, sizeof(buf));
    rtcpm_rtcp_write_report(&w, 5, NULL, NULL, 0);
    rtcpm_rtcp_write_sdes_cname(&w, 5, "ab");
    size_t n = w.len; /* RR 8 + SDES 16 */
    CU_ASSERT_EQUAL(n, 24);
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(buf + 8, n - 8, &info), RTCPM_RTCP_E_FIRST); /* SDES first */
    memcpy(bad, buf, n);
    bad[0] = 0x40;
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(bad, n, &info), RTCPM_RTCP_E_VERSION);
    memcpy(bad, buf, n);
    bad[8] = 0x40 | 1;
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(bad, n, &info), RTCPM_RTCP_E_VERSION);   /* in the second packet */
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(buf, n - 4, &info), RTCPM_RTCP_E_SHORT); /* lengths do not add up */
    memcpy(bad, buf, n);
    bad[0] |= 0x20;
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(bad, n, &info), RTCPM_RTCP_E_FIRST); /* padded first packet */
    /* padding allowed in the last packet only, with a sane count */
    memcpy(bad, buf, n);
    memset(bad + n, 0, 4);
    bad[8] |= 0x20;
    rtcpm_wr16(bad + 10, 3 + 1);
    bad[n + 3] = 4;
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(bad, n + 4, &info), 0);
    CU_ASSERT_STRING_EQUAL(info.cname, "ab");
    bad[n + 3] = 20; /* more than the packet holds */
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(bad, n + 4, &info), RTCPM_RTCP_E_PADDING);
    bad[n + 3] = 4;
    bad[0] |= 0x20; /* and in the first packet too: not the last one */
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(bad, n + 4, &info), RTCPM_RTCP_E_FIRST);
    /* an RR claiming a report block it lacks */
    memcpy(bad, buf, n);
    bad[0] = 0x81;
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(bad, n, &info), RTCPM_RTCP_E_FORMAT);
    /* an unknown type (APP) after the RR is skipped and counted */
    memcpy(bad, buf, 8);
    uint8_t app[12] = { 0x80, 204, 0, 2, 0, 0, 0, 5, 'n', 'a', 'm', 'e' };
    memcpy(bad + 8, app, sizeof(app));
    CU_ASSERT_EQUAL(rtcpm_rtcp_parse(bad, 20, &info), 0);
    CU_ASSERT_EQUAL(info.unknown, 1);
    CU_ASSERT_EQUAL(info.packets, 2);
}

static void feed(struct rtcpm_rtp_source *s, uint16_t first, int n, int *valid)
{
    for (int i = 0; i < n; i++) *valid += rtcpm_rtp_source_update_seq(s, (uint16_t)(first + i));
}

/* A.1: probation, in-order packets across the 16-bit wrap, duplicates, a restart. */
static void test_source_sequence(void)
{
    struct rtcpm_rtp_source s;
    int valid = 0;
    rtcpm_rtp_source_init(&s, 9, 65530);
    CU_ASSERT_EQUAL(rtcpm_rtp_source_update_seq(&s, 65530), 0); /* on probation */
    CU_ASSERT_EQUAL(rtcpm_rtp_source_expected(&s), 0);
    feed(&s, 65531, 20, &valid); /* 65531 .. 14, across the wrap */
    CU_ASSERT_EQUAL(valid, 20);
    CU_ASSERT_EQUAL(s.cycles, 65536);
    CU_ASSERT_EQUAL(rtcpm_rtp_source_extended_max(&s), 65536 + 14);
    CU_ASSERT_EQUAL(rtcpm_rtp_source_expected(&s), 20);
    CU_ASSERT_EQUAL(rtcpm_rtp_source_lost(&s), 0);
    /* two duplicates: received exceeds expected, lost goes negative */
    rtcpm_rtp_source_update_seq(&s, 14);
    rtcpm_rtp_source_update_seq(&s, 10);
    CU_ASSERT_EQUAL(rtcpm_rtp_source_lost(&s), -2);
    /* a jump of 5000: ignored until the next packet confirms it, then the counters restart */
    CU_ASSERT_EQUAL(rtcpm_rtp_source_update_seq(&s, 5014), 0);
    CU_ASSERT_EQUAL(rtcpm_rtp_source_update_seq(&s, 5015), 1);
    CU_ASSERT_EQUAL(rtcpm_rtp_source_expected(&s), 1);
    CU_ASSERT_EQUAL(s.received, 1);
    /* a jump of 2999 is loss */
    CU_ASSERT_EQUAL(rtcpm_rtp_source_update_seq(&s, 5015 + 2999), 1);
    CU_ASSERT_EQUAL(rtcpm_rtp_source_lost(&s), 2998);
}

/* A.3: fraction lost per interval, cumulative lost. */
static void test_source_loss(void)
{
    struct rtcpm_rtp_source s;
    struct rtcpm_rtcp_block b;
    rtcpm_rtp_source_init(&s, 77, 1000);
    rtcpm_rtp_source_update_seq(&s, 1000);
    rtcpm_rtp_source_update_seq(&s, 1001); /* valid from 1001 on */
    for (int i = 2; i <= 100; i++)
        if (i % 10 != 5) rtcpm_rtp_source_update_seq(&s, (uint16_t)(1000 + i)); /* 10 of 100 lost */
    rtcpm_rtp_source_report(&s, 0, &b);
    CU_ASSERT_EQUAL(b.ssrc, 77);
    CU_ASSERT_EQUAL(b.highest_seq, 1100);
    CU_ASSERT_EQUAL(rtcpm_rtp_source_expected(&s), 100);
    CU_ASSERT_EQUAL(b.cumulative_lost, 10);
    CU_ASSERT_EQUAL(b.fraction_lost, (10 << 8) / 100);
    CU_ASSERT_EQUAL(b.lsr, 0);
    CU_ASSERT_EQUAL(b.dlsr, 0);
    /* next interval: 50 expected, 50 received -> fraction 0, cumulative unchanged */
    for (int i = 101; i <= 150; i++) rtcpm_rtp_source_update_seq(&s, (uint16_t)(1000 + i));
    rtcpm_rtp_source_report(&s, 0, &b);
    CU_ASSERT_EQUAL(b.fraction_lost, 0);
    CU_ASSERT_EQUAL(b.cumulative_lost, 10);
    /* then a half lost */
    for (int i = 151; i <= 250; i += 2) rtcpm_rtp_source_update_seq(&s, (uint16_t)(1000 + i));
    rtcpm_rtp_source_report(&s, 0, &b);
    CU_ASSERT_EQUAL(b.fraction_lost, 126); /* 49 of 99 expected: (49 << 8) / 99 */
    CU_ASSERT_EQUAL(b.cumulative_lost, 59);
}

/* A.8: J += (|D| - J) / 16, kept * 16. */
static void test_source_jitter(void)
{
    struct rtcpm_rtp_source s;
    rtcpm_rtp_source_init(&s, 1, 0);
    rtcpm_rtp_source_update_jitter(&s, 0, 5000); /* first: no difference yet */
    CU_ASSERT_EQUAL(rtcpm_rtp_source_jitter(&s), 0);
    rtcpm_rtp_source_update_jitter(&s, 160, 5000 + 160 + 32); /* D = 32 */
    CU_ASSERT_EQUAL(s.jitter_q4, 32);
    CU_ASSERT_EQUAL(rtcpm_rtp_source_jitter(&s), 2);
    /* alternating +-80 transit for a long time: J converges to 160 */
    for (uint32_t i = 2; i < 2000; i++)
        rtcpm_rtp_source_update_jitter(&s, 160 * i, 5000 + 160 * i + ((i & 1) ? 80u : (uint32_t)-80));
    CU_ASSERT_TRUE(rtcpm_rtp_source_jitter(&s) >= 158 && rtcpm_rtp_source_jitter(&s) <= 160);
    /* timestamps and arrival both across the 32-bit wrap: transit differences stay small */
    rtcpm_rtp_source_init(&s, 1, 0);
    rtcpm_rtp_source_update_jitter(&s, 0xffffff00u, 0xfffffff0u);
    rtcpm_rtp_source_update_jitter(&s, 0x60u, 0x160u); /* 352 samples later, 16 later than that */
    CU_ASSERT_EQUAL(s.jitter_q4, 16);
    /* transit times half the timestamp space apart (fuzz_rtp found the signed overflow): the
     * difference is capped at 2^24 samples */
    rtcpm_rtp_source_init(&s, 1, 0);
    rtcpm_rtp_source_update_jitter(&s, 0x80000000u, 0x013EF250u);
    rtcpm_rtp_source_update_jitter(&s, 0, 0x013EF250u);
    CU_ASSERT_EQUAL(s.jitter_q4, 1u << 24);
}

static void test_source_lsr_rtt(void)
{
    struct rtcpm_rtp_source s;
    struct rtcpm_rtcp_block b;
    rtcpm_rtp_source_init(&s, 1, 0);
    rtcpm_rtp_source_update_seq(&s, 0);
    rtcpm_rtp_source_update_seq(&s, 1);
    rtcpm_rtp_source_on_sr(&s, 0x0001234567890000ull, 1000000);
    rtcpm_rtp_source_report(&s, 1500000, &b);
    CU_ASSERT_EQUAL(b.lsr, 0x23456789u);
    CU_ASSERT_EQUAL(b.dlsr, 32768); /* 0.5 s */
    /* RTT: the block comes back 0.5 s + 100 ms after the SR left */
    uint64_t arrival = 0x0001234567890000ull + ((uint64_t)(32768 + 6554) << 16);
    CU_ASSERT_EQUAL(rtcpm_rtcp_rtt_ms(&b, arrival), 100);
    b.lsr = 0;
    CU_ASSERT_EQUAL(rtcpm_rtcp_rtt_ms(&b, arrival), -1);
    /* NTP time from Unix time: 1970 is 2208988800 s after 1900; half a second is 2^31 */
    CU_ASSERT_EQUAL(rtcpm_ntp_from_unix_us(500000), (2208988800ull << 32) | 0x80000000ull);
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "rtp_exact_bytes", test_rtp_exact_bytes },
        { "rtp_round_trip_all_fields", test_rtp_round_trip_all_fields },
        { "rtp_parse_errors", test_rtp_parse_errors },
        { "rtcp_sr_exact", test_rtcp_sr_exact },
        { "rtcp_compound", test_rtcp_compound },
        { "rtcp_validity", test_rtcp_validity },
        { "source_sequence", test_source_sequence },
        { "source_loss", test_source_loss },
        { "source_jitter", test_source_jitter },
        { "source_lsr_rtt", test_source_lsr_rtt },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("rtp_rtcp", tests, argc, argv);
}
