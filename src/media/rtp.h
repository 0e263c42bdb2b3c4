/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtp.h — RTP data packets (RFC 3550 section 5.1): the fixed header, CSRC list, header
 * extension (5.3.1) and padding, written and parsed. Pure functions over byte buffers.
 *
 * Parsing follows the validity checks of RFC 3550 A.1 that need no state: version 2, the
 * CSRC list, the extension and the padding count fit in the datagram, the padding count is
 * not 0 when P is set. Payload type checks (known PT, not an RTCP type) are the caller's.
 */
#ifndef RTCPM_SRC_MEDIA_RTP_H
#define RTCPM_SRC_MEDIA_RTP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTCPM_RTP_HEADER_SIZE 12
#define RTCPM_RTP_MAX_CSRC    15

enum rtcpm_rtp_error
{
    RTCPM_RTP_OK = 0,
    RTCPM_RTP_E_SHORT = -1,   /* shorter than the header, CSRC list or extension it announces */
    RTCPM_RTP_E_VERSION = -2, /* version is not 2 */
    RTCPM_RTP_E_PADDING = -3, /* P set with a padding count of 0 or larger than what follows the header */
    RTCPM_RTP_E_BUFFER = -4,  /* write: buffer too small */
    RTCPM_RTP_E_INVALID = -5  /* write: a field out of range (PT > 127, CC > 15, odd extension) */
};

struct rtcpm_rtp_packet
{
    int marker;       /* M bit */
    int payload_type; /* 0..127 */
    uint16_t seq;
    uint32_t timestamp;
    uint32_t ssrc;
    int csrc_count; /* 0..15 */
    uint32_t csrc[RTCPM_RTP_MAX_CSRC];
    int has_extension;       /* X bit */
    uint16_t ext_profile;    /* "defined by profile" 16 bits */
    const uint8_t *ext_data; /* ext_words 32-bit words (parse: points into the buffer) */
    uint16_t ext_words;
    const uint8_t *payload; /* parse: points into the buffer, padding excluded */
    size_t payload_len;
    uint8_t padding; /* number of padding octets, the last one included (0: none) */
};

/* Parses one RTP packet; the pointers of *out point into buf. 0 or a negative rtcpm_rtp_error
 * (*out zeroed). */
int rtcpm_rtp_parse(const uint8_t *buf, size_t len, struct rtcpm_rtp_packet *out);

/* Writes p (header, CSRCs, extension, payload, padding: p->padding octets, the last holding
 * the count) into buf. Returns the length written, or a negative rtcpm_rtp_error. */
int rtcpm_rtp_write(const struct rtcpm_rtp_packet *p, uint8_t *buf, size_t cap);

/* Signed distance a - b of two sequence numbers / timestamps, modulo wrap (RFC 1982 style). */
static inline int32_t rtcpm_rtp_seq_diff(uint16_t a, uint16_t b) { return (int16_t)(uint16_t)(a - b); }
static inline int32_t rtcpm_rtp_ts_diff(uint32_t a, uint32_t b) { return (int32_t)(a - b); }

/* |D| of RFC 3550 A.8: the difference of two relative transit times (modulo 2^32, so any
 * pair is defined), capped at 2^24 samples (35 minutes: a source that jumped, not jitter) so
 * the jitter estimate cannot overflow. */
static inline uint32_t rtcpm_rtp_transit_delta(int32_t a, int32_t b)
{
    int32_t d = (int32_t)((uint32_t)a - (uint32_t)b);
    uint32_t ad = d < 0 ? 0u - (uint32_t)d : (uint32_t)d;
    return ad > (1u << 24) ? (1u << 24) : ad;
}

/* Big-endian helpers shared by the RTP/RTCP/telephone-event code. */
static inline uint16_t rtcpm_rd16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t rtcpm_rd32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void rtcpm_wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void rtcpm_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_SRC_MEDIA_RTP_H */
