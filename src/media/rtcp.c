/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcp.c — RTCP SR/RR/SDES/BYE writer and compound-packet parser (RFC 3550 6.4-6.6, A.2).
 */
#include "media/rtcp.h"

#include <string.h>

#include "media/rtp.h"

/* Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
#define NTP_UNIX_OFFSET 2208988800u

uint64_t rtcpm_ntp_from_unix_us(uint64_t unix_us)
{
    uint64_t sec = unix_us / 1000000u + NTP_UNIX_OFFSET, us = unix_us % 1000000u;
    return (sec << 32) | ((us << 32) / 1000000u);
}

void rtcpm_rtcp_writer_init(struct rtcpm_rtcp_writer *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = buf ? cap : 0;
    w->len = 0;
    w->error = 0;
}

/* Room for n more bytes (a multiple of 4), or the writer's error. */
static uint8_t *reserve(struct rtcpm_rtcp_writer *w, size_t n)
{
    if (w->error) return NULL;
    if (w->cap - w->len < n)
    {
        w->error = RTCPM_RTCP_E_BUFFER;
        return NULL;
    }
    uint8_t *p = w->buf + w->len;
    memset(p, 0, n);
    w->len += n;
    return p;
}

static void write_header(uint8_t *p, int count, int type, size_t bytes)
{
    p[0] = (uint8_t)(0x80 | count);
    p[1] = (uint8_t)type;
    rtcpm_wr16(p + 2, (uint16_t)(bytes / 4 - 1));
}

static void write_block(uint8_t *p, const struct rtcpm_rtcp_block *b)
{
    int32_t lost = b->cumulative_lost;
    if (lost > 0x7fffff) lost = 0x7fffff;
    if (lost < -0x800000) lost = -0x800000;
    rtcpm_wr32(p, b->ssrc);
    rtcpm_wr32(p + 4, ((uint32_t)b->fraction_lost << 24) | ((uint32_t)lost & 0xffffff));
    rtcpm_wr32(p + 8, b->highest_seq);
    rtcpm_wr32(p + 12, b->jitter);
    rtcpm_wr32(p + 16, b->lsr);
    rtcpm_wr32(p + 20, b->dlsr);
}

int rtcpm_rtcp_write_report(struct rtcpm_rtcp_writer *w, uint32_t ssrc, const struct rtcpm_rtcp_sender_info *si,
                            const struct rtcpm_rtcp_block *blocks, int n)
{
    if (n < 0 || n > RTCPM_RTCP_MAX_BLOCKS || (n && !blocks)) return w->error = RTCPM_RTCP_E_INVALID;
    size_t bytes = 8 + (si ? 20 : 0) + 24u * (size_t)n;
    uint8_t *p = reserve(w, bytes);
    if (!p) return w->error;
    write_header(p, n, si ? RTCPM_RTCP_SR : RTCPM_RTCP_RR, bytes);
    rtcpm_wr32(p + 4, ssrc);
    p += 8;
    if (si)
    {
        rtcpm_wr32(p, (uint32_t)(si->ntp >> 32));
        rtcpm_wr32(p + 4, (uint32_t)si->ntp);
        rtcpm_wr32(p + 8, si->rtp_timestamp);
        rtcpm_wr32(p + 12, si->packet_count);
        rtcpm_wr32(p + 16, si->octet_count);
        p += 20;
    }
    for (int i = 0; i < n; i++, p += 24) write_block(p, &blocks[i]);
    return 0;
}

int rtcpm_rtcp_write_sdes_cname(struct rtcpm_rtcp_writer *w, uint32_t ssrc, const char *cname)
{
    size_t n = cname ? strlen(cname) : 0;
    if (n == 0 || n > RTCPM_RTCP_MAX_TEXT) return w->error = RTCPM_RTCP_E_INVALID;
    /* header + SSRC + type + length + text + at least one NUL (end of items), to 32 bits */
    size_t bytes = (8 + 2 + n + 1 + 3) & ~(size_t)3;
    uint8_t *p = reserve(w, bytes);
    if (!p) return w->error;
    write_header(p, 1, RTCPM_RTCP_SDES, bytes);
    rtcpm_wr32(p + 4, ssrc);
    p[8] = 1; /* CNAME */
    p[9] = (uint8_t)n;
    memcpy(p + 10, cname, n);
    return 0;
}

int rtcpm_rtcp_write_bye(struct rtcpm_rtcp_writer *w, const uint32_t *ssrcs, int n, const char *reason)
{
    size_t rlen = reason ? strlen(reason) : 0;
    if (n < 1 || n > RTCPM_RTCP_MAX_BLOCKS || !ssrcs || rlen > RTCPM_RTCP_MAX_TEXT)
        return w->error = RTCPM_RTCP_E_INVALID;
    size_t bytes = 4 + 4u * (size_t)n + (rlen ? (1 + rlen + 3) & ~(size_t)3 : 0);
    uint8_t *p = reserve(w, bytes);
    if (!p) return w->error;
    write_header(p, n, RTCPM_RTCP_BYE, bytes);
    for (int i = 0; i < n; i++) rtcpm_wr32(p + 4 + 4 * i, ssrcs[i]);
    if (rlen)
    {
        p[4 + 4 * n] = (uint8_t)rlen;
        memcpy(p + 5 + 4 * n, reason, rlen);
    }
    return 0;
}

static void copy_text(char *dst, const uint8_t *src, size_t n)
{
    size_t i;
    for (i = 0; i < n && src[i]; i++) dst[i] = (char)src[i];
    dst[i] = 0;
}

/* body: after the 4-byte header, len bytes (padding removed). */
static int parse_report(const uint8_t *body, size_t len, int type, int count, struct rtcpm_rtcp_info *out, int first)
{
    size_t pos = 4, need = 4 + (type == RTCPM_RTCP_SR ? 20 : 0) + 24u * (size_t)count;
    if (len < need) return RTCPM_RTCP_E_FORMAT;
    if (first)
    {
        out->sender_ssrc = rtcpm_rd32(body);
        out->has_sr = type == RTCPM_RTCP_SR;
        out->has_rr = type == RTCPM_RTCP_RR;
    }
    if (type == RTCPM_RTCP_SR)
    {
        if (first)
        {
            out->sender.ntp = ((uint64_t)rtcpm_rd32(body + 4) << 32) | rtcpm_rd32(body + 8);
            out->sender.rtp_timestamp = rtcpm_rd32(body + 12);
            out->sender.packet_count = rtcpm_rd32(body + 16);
            out->sender.octet_count = rtcpm_rd32(body + 20);
        }
        pos += 20;
    }
    for (int i = 0; i < count; i++, pos += 24)
    {
        if (out->n_blocks >= RTCPM_RTCP_MAX_BLOCKS) break;
        struct rtcpm_rtcp_block *b = &out->blocks[out->n_blocks++];
        uint32_t w = rtcpm_rd32(body + pos + 4);
        b->ssrc = rtcpm_rd32(body + pos);
        b->fraction_lost = (uint8_t)(w >> 24);
        b->cumulative_lost = (w & 0x800000) ? (int32_t)(w & 0xffffff) - 0x1000000 : (int32_t)(w & 0xffffff);
        b->highest_seq = rtcpm_rd32(body + pos + 8);
        b->jitter = rtcpm_rd32(body + pos + 12);
        b->lsr = rtcpm_rd32(body + pos + 16);
        b->dlsr = rtcpm_rd32(body + pos + 20);
    }
    return 0;
}

/* SDES chunks: SSRC, items (type, length, text) until a NUL type, then padding to 32 bits. */
static int parse_sdes(const uint8_t *body, size_t len, int count, struct rtcpm_rtcp_info *out)
{
    size_t pos = 0;
    for (int c = 0; c < count; c++)
    {
        if (len - pos < 4) return RTCPM_RTCP_E_FORMAT;
        uint32_t ssrc = rtcpm_rd32(body + pos);
        pos += 4;
        for (;;)
        {
            if (pos >= len) return RTCPM_RTCP_E_FORMAT;
            if (body[pos] == 0) break;
            if (len - pos < 2 || len - pos - 2 < body[pos + 1]) return RTCPM_RTCP_E_FORMAT;
            if (body[pos] == 1 && !out->has_cname)
            {
                out->has_cname = 1;
                out->cname_ssrc = ssrc;
                copy_text(out->cname, body + pos + 2, body[pos + 1]);
            }
            pos += 2u + body[pos + 1];
        }
        pos = (pos + 4) & ~(size_t)3; /* the NUL item and the padding to the next 32-bit word */
        if (pos > len) return RTCPM_RTCP_E_FORMAT;
    }
    return 0;
}

static int parse_bye(const uint8_t *body, size_t len, int count, struct rtcpm_rtcp_info *out)
{
    if (len < 4u * (size_t)count) return RTCPM_RTCP_E_FORMAT;
    out->has_bye = 1;
    for (int i = 0; i < count && out->n_bye < RTCPM_RTCP_MAX_BLOCKS; i++)
        out->bye_ssrc[out->n_bye++] = rtcpm_rd32(body + 4 * i);
    size_t pos = 4u * (size_t)count;
    if (pos < len)
    {
        if (len - pos - 1 < body[pos]) return RTCPM_RTCP_E_FORMAT;
        copy_text(out->bye_reason, body + pos + 1, body[pos]);
    }
    return 0;
}

/* One packet at buf[pos]; *next is where the following one starts. */
static int parse_one(const uint8_t *buf, size_t len, size_t pos, size_t *next, struct rtcpm_rtcp_info *out)
{
    if (len - pos < 4) return RTCPM_RTCP_E_SHORT;
    const uint8_t *p = buf + pos;
    size_t bytes = 4u * ((size_t)rtcpm_rd16(p + 2) + 1), body_len;
    int count = p[0] & 0x1f, type = p[1], first = pos == 0;
    if ((p[0] >> 6) != 2) return RTCPM_RTCP_E_VERSION;
    if (bytes > len - pos) return RTCPM_RTCP_E_SHORT;
    if (first && ((type != RTCPM_RTCP_SR && type != RTCPM_RTCP_RR) || (p[0] & 0x20))) return RTCPM_RTCP_E_FIRST;
    *next = pos + bytes;
    body_len = bytes - 4;
    if (p[0] & 0x20)
    {
        uint8_t pad = p[bytes - 1];
        if (*next != len || pad == 0 || pad > body_len) return RTCPM_RTCP_E_PADDING;
        body_len -= pad;
    }
    out->packets++;
    switch (type)
    {
    case RTCPM_RTCP_SR:
    case RTCPM_RTCP_RR: return parse_report(p + 4, body_len, type, count, out, first);
    case RTCPM_RTCP_SDES: return parse_sdes(p + 4, body_len, count, out);
    case RTCPM_RTCP_BYE: return parse_bye(p + 4, body_len, count, out);
    default: out->unknown++; return 0;
    }
}

int rtcpm_rtcp_parse(const uint8_t *buf, size_t len, struct rtcpm_rtcp_info *out)
{
    size_t pos = 0, next = 0;
    memset(out, 0, sizeof(*out));
    if (!buf || len < 8) return RTCPM_RTCP_E_SHORT;
    while (pos < len)
    {
        int rc = parse_one(buf, len, pos, &next, out);
        if (rc)
        {
            memset(out, 0, sizeof(*out));
            return rc;
        }
        pos = next;
    }
    return 0;
}
