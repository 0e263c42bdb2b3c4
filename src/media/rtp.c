/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtp.c — RTP fixed header, CSRC list, extension and padding (RFC 3550 5.1, 5.3.1).
 */
#include "media/rtp.h"

#include <string.h>

int rtcpm_rtp_parse(const uint8_t *buf, size_t len, struct rtcpm_rtp_packet *out)
{
    size_t pos = RTCPM_RTP_HEADER_SIZE, end = len;

    memset(out, 0, sizeof(*out));
    if (!buf || len < RTCPM_RTP_HEADER_SIZE) return RTCPM_RTP_E_SHORT;
    if ((buf[0] >> 6) != 2) return RTCPM_RTP_E_VERSION;
    struct rtcpm_rtp_packet p = { 0 };
    p.csrc_count = buf[0] & 0x0f;
    p.has_extension = (buf[0] >> 4) & 1;
    p.marker = buf[1] >> 7;
    p.payload_type = buf[1] & 0x7f;
    p.seq = rtcpm_rd16(buf + 2);
    p.timestamp = rtcpm_rd32(buf + 4);
    p.ssrc = rtcpm_rd32(buf + 8);
    if (len < pos + 4u * (size_t)p.csrc_count) return RTCPM_RTP_E_SHORT;
    for (int i = 0; i < p.csrc_count; i++, pos += 4) p.csrc[i] = rtcpm_rd32(buf + pos);
    if (p.has_extension)
    {
        if (len < pos + 4) return RTCPM_RTP_E_SHORT;
        p.ext_profile = rtcpm_rd16(buf + pos);
        p.ext_words = rtcpm_rd16(buf + pos + 2);
        pos += 4;
        if (len - pos < 4u * p.ext_words) return RTCPM_RTP_E_SHORT;
        p.ext_data = buf + pos;
        pos += 4u * p.ext_words;
    }
    if (buf[0] & 0x20)
    {
        /* the last octet counts the padding, itself included */
        uint8_t pad = buf[len - 1];
        if (pad == 0 || pad > len - pos) return RTCPM_RTP_E_PADDING;
        p.padding = pad;
        end = len - pad;
    }
    p.payload = buf + pos;
    p.payload_len = end - pos;
    *out = p;
    return RTCPM_RTP_OK;
}

int rtcpm_rtp_write(const struct rtcpm_rtp_packet *p, uint8_t *buf, size_t cap)
{
    size_t need, pos = RTCPM_RTP_HEADER_SIZE;

    if (!p || !buf || p->payload_type < 0 || p->payload_type > 127 || p->csrc_count < 0 ||
        p->csrc_count > RTCPM_RTP_MAX_CSRC || (p->ext_words && !p->ext_data) || (p->payload_len && !p->payload))
        return RTCPM_RTP_E_INVALID;
    need = RTCPM_RTP_HEADER_SIZE + 4u * (size_t)p->csrc_count + p->payload_len + p->padding;
    if (p->has_extension) need += 4 + 4u * p->ext_words;
    if (need > cap) return RTCPM_RTP_E_BUFFER;
    if (need > 0x7fffffff) return RTCPM_RTP_E_INVALID;

    buf[0] = (uint8_t)(0x80 | (p->padding ? 0x20 : 0) | (p->has_extension ? 0x10 : 0) | p->csrc_count);
    buf[1] = (uint8_t)((p->marker ? 0x80 : 0) | p->payload_type);
    rtcpm_wr16(buf + 2, p->seq);
    rtcpm_wr32(buf + 4, p->timestamp);
    rtcpm_wr32(buf + 8, p->ssrc);
    for (int i = 0; i < p->csrc_count; i++, pos += 4) rtcpm_wr32(buf + pos, p->csrc[i]);
    if (p->has_extension)
    {
        rtcpm_wr16(buf + pos, p->ext_profile);
        rtcpm_wr16(buf + pos + 2, p->ext_words);
        pos += 4;
        if (p->ext_words) memcpy(buf + pos, p->ext_data, 4u * p->ext_words);
        pos += 4u * p->ext_words;
    }
    if (p->payload_len) memcpy(buf + pos, p->payload, p->payload_len);
    pos += p->payload_len;
    if (p->padding)
    {
        memset(buf + pos, 0, p->padding);
        pos += p->padding;
        buf[pos - 1] = p->padding;
    }
    return (int)pos;
}
