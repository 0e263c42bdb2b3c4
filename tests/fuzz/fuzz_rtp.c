/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_rtp.c — the RTP parser (rtcpm_rtp_parse), the RTCP compound-packet parser
 * (rtcpm_rtcp_parse) and a media session's receive path on arbitrary bytes.
 *
 * Beyond "no crash, no read past the input" (an exact-size heap block):
 *  - a failure leaves the parsed struct all zero;
 *  - RTP: header + CSRCs + extension + payload + padding add up to the datagram; the payload
 *    lies inside it; writing the parsed packet again gives the same length and the same
 *    bytes up to the padding (whose filler we write as zeros), and parses to the same fields;
 *  - RTCP: at most 31 report blocks and BYE sources, texts NUL-terminated and <= 255 bytes,
 *    SR xor RR first; re-written (report, CNAME when there is one, BYE) it parses to the same
 *    sender info, blocks, CNAME and BYE list;
 *  - a media session fed the bytes as RTP and as RTCP counts each datagram exactly once
 *    (received, ignored or malformed), and plays a frame afterwards without trouble.
 */
#include <string.h>

#include "fuzz_check.h"
#include "media/media_session.h"
#include "media/rtcp.h"
#include "media/rtp.h"

static int all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

static void check_rtp(const uint8_t *data, size_t size)
{
    struct rtcpm_rtp_packet p, q;
    if (rtcpm_rtp_parse(data, size, &p))
    {
        FUZZ_CHECK(all_zero(&p, sizeof(p)));
        return;
    }
    size_t head = RTCPM_RTP_HEADER_SIZE + 4u * (size_t)p.csrc_count + (p.has_extension ? 4u + 4u * p.ext_words : 0);
    FUZZ_CHECK(head + p.payload_len + p.padding == size);
    FUZZ_CHECK(p.payload == data + head);
    uint8_t *out = fuzz_alloc(size);
    FUZZ_CHECK(rtcpm_rtp_write(&p, out, size) == (int)size);
    FUZZ_CHECK(memcmp(out, data, size - p.padding) == 0);
    FUZZ_CHECK(rtcpm_rtp_write(&p, out, size - 1) == RTCPM_RTP_E_BUFFER); /* size >= 12 here */
    FUZZ_CHECK(rtcpm_rtp_parse(out, size, &q) == 0);
    FUZZ_CHECK(q.seq == p.seq && q.timestamp == p.timestamp && q.ssrc == p.ssrc && q.marker == p.marker);
    FUZZ_CHECK(q.payload_type == p.payload_type && q.payload_len == p.payload_len && q.padding == p.padding);
    FUZZ_CHECK(q.csrc_count == p.csrc_count && !memcmp(q.csrc, p.csrc, sizeof(q.csrc)));
    free(out);
}

static void check_text(const char *t)
{
    size_t n = strnlen(t, RTCPM_RTCP_MAX_TEXT + 1);
    FUZZ_CHECK(n <= RTCPM_RTCP_MAX_TEXT);
}

/* The parsed content written again and parsed: the same content. */
static void check_rtcp_rewrite(const struct rtcpm_rtcp_info *info)
{
    static uint8_t buf[4096];
    struct rtcpm_rtcp_writer w;
    struct rtcpm_rtcp_info again;
    rtcpm_rtcp_writer_init(&w, buf, sizeof(buf));
    FUZZ_CHECK(rtcpm_rtcp_write_report(&w, info->sender_ssrc, info->has_sr ? &info->sender : NULL, info->blocks,
                                       info->n_blocks) == 0);
    if (info->has_cname && info->cname[0])
        FUZZ_CHECK(rtcpm_rtcp_write_sdes_cname(&w, info->cname_ssrc, info->cname) == 0);
    if (info->has_bye && info->n_bye)
        FUZZ_CHECK(rtcpm_rtcp_write_bye(&w, info->bye_ssrc, info->n_bye, info->bye_reason) == 0);
    FUZZ_CHECK(rtcpm_rtcp_parse(buf, w.len, &again) == 0);
    FUZZ_CHECK(again.has_sr == info->has_sr && again.sender_ssrc == info->sender_ssrc);
    FUZZ_CHECK(!info->has_sr ||
               (again.sender.ntp == info->sender.ntp && again.sender.rtp_timestamp == info->sender.rtp_timestamp &&
                again.sender.packet_count == info->sender.packet_count &&
                again.sender.octet_count == info->sender.octet_count));
    FUZZ_CHECK(again.n_blocks == info->n_blocks);
    for (int i = 0; i < info->n_blocks; i++)
    {
        const struct rtcpm_rtcp_block *a = &again.blocks[i], *b = &info->blocks[i];
        FUZZ_CHECK(a->ssrc == b->ssrc && a->fraction_lost == b->fraction_lost &&
                   a->cumulative_lost == b->cumulative_lost);
        FUZZ_CHECK(a->highest_seq == b->highest_seq && a->jitter == b->jitter && a->lsr == b->lsr &&
                   a->dlsr == b->dlsr);
    }
    if (info->has_cname && info->cname[0]) FUZZ_CHECK(!strcmp(again.cname, info->cname));
    if (info->has_bye && info->n_bye)
    {
        FUZZ_CHECK(again.n_bye == info->n_bye && !memcmp(again.bye_ssrc, info->bye_ssrc, 4u * (size_t)info->n_bye));
        FUZZ_CHECK(!strcmp(again.bye_reason, info->bye_reason));
    }
}

static void check_rtcp(const uint8_t *data, size_t size)
{
    static struct rtcpm_rtcp_info info;
    if (rtcpm_rtcp_parse(data, size, &info))
    {
        FUZZ_CHECK(all_zero(&info, sizeof(info)));
        return;
    }
    FUZZ_CHECK(info.packets >= 1 && info.unknown < info.packets);
    FUZZ_CHECK(info.has_sr + info.has_rr == 1);
    FUZZ_CHECK(info.n_blocks >= 0 && info.n_blocks <= RTCPM_RTCP_MAX_BLOCKS);
    FUZZ_CHECK(info.n_bye >= 0 && info.n_bye <= RTCPM_RTCP_MAX_BLOCKS);
    check_text(info.cname);
    check_text(info.bye_reason);
    check_rtcp_rewrite(&info);
}

static uint64_t counted(const struct rtcpm_media_stats *s, int rtcp)
{
    return rtcp ? s->rtcp_received + s->rtcp_malformed : s->rtp_received + s->rtp_ignored + s->rtp_malformed;
}

/* One long-lived session, as a call would have. */
static void check_session(const uint8_t *data, size_t size)
{
    static rtcpm_media_session *s;
    static uint64_t now = 1000000;
    struct rtcpm_media_stats before, after;
    int16_t pcm[RTCPM_MEDIA_FRAME_SAMPLES];
    if (!s)
    {
        struct rtcpm_media_session_init init;
        memset(&init, 0, sizeof(init));
        init.ssrc = 0x11223344;
        init.cname = "fuzz@rtcpm";
        init.codecs.audio_pt = 0;
        init.codecs.codec = 0;
        init.codecs.dtmf_pt = 101;
        init.codecs.ptime_ms = 20;
        init.codecs.send = init.codecs.receive = 1;
        init.rtp_timeout_ms = 100;
        FUZZ_CHECK(rtcpm_media_session_create(&s, &init) == S_OK);
    }
    now += 20000;
    rtcpm_media_session_stats(s, &before);
    int rc = rtcpm_media_session_on_rtp(s, data, size, now);
    rtcpm_media_session_stats(s, &after);
    FUZZ_CHECK(rc >= -1 && rc <= 1 && counted(&after, 0) == counted(&before, 0) + 1);
    rc = rtcpm_media_session_on_rtcp(s, data, size, now);
    rtcpm_media_session_stats(s, &before);
    FUZZ_CHECK(rc >= -1 && rc <= 1 && counted(&before, 1) == counted(&after, 1) + 1);
    rtcpm_media_session_play_frame(s, now, pcm);
    rtcpm_media_session_tick(s, now);
    uint8_t out[RTCPM_MEDIA_MAX_PACKET];
    FUZZ_CHECK(rtcpm_media_session_build_rtcp(s, now, 0, out, sizeof(out)) > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = fuzz_alloc(size);
    if (size) memcpy(copy, data, size);
    check_rtp(copy, size);
    check_rtcp(copy, size);
    check_session(copy, size);
    free(copy);
    return 0;
}
