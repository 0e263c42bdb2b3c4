/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcp.h — RTCP (RFC 3550 section 6): sender and receiver reports with report blocks, SDES
 * CNAME, BYE, written one after the other into a compound packet and parsed back.
 *
 * The parser applies the compound-packet checks of RFC 3550 A.2: version 2 in every packet,
 * the first one an SR or RR without padding, padding only in the last one, and lengths that
 * add up to the datagram exactly. Unknown packet types (APP, XR, ...) are skipped and counted.
 * What it keeps: the first SR's sender info, report blocks (of every SR/RR), the first CNAME,
 * the BYE sources and reason.
 */
#ifndef RTCPM_SRC_MEDIA_RTCP_H
#define RTCPM_SRC_MEDIA_RTCP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum rtcpm_rtcp_type
{
    RTCPM_RTCP_SR = 200,
    RTCPM_RTCP_RR = 201,
    RTCPM_RTCP_SDES = 202,
    RTCPM_RTCP_BYE = 203,
    RTCPM_RTCP_APP = 204
};

enum rtcpm_rtcp_error
{
    RTCPM_RTCP_OK = 0,
    RTCPM_RTCP_E_SHORT = -1,   /* shorter than a header, or a packet runs past the datagram */
    RTCPM_RTCP_E_VERSION = -2, /* a packet whose version is not 2 */
    RTCPM_RTCP_E_FIRST = -3,   /* the first packet is not SR/RR, or it is padded */
    RTCPM_RTCP_E_PADDING = -4, /* padding in a packet that is not the last, or a bad count */
    RTCPM_RTCP_E_FORMAT = -5,  /* report count / SDES chunks / BYE reason do not fit the length */
    RTCPM_RTCP_E_BUFFER = -6,  /* write: no room left */
    RTCPM_RTCP_E_INVALID = -7  /* write: bad argument (more than 31 blocks, CNAME > 255 bytes) */
};

#define RTCPM_RTCP_MAX_BLOCKS 31
#define RTCPM_RTCP_MAX_TEXT   255

struct rtcpm_rtcp_block
{
    uint32_t ssrc;           /* the source this block is about */
    uint8_t fraction_lost;   /* since the previous report, fraction * 256 */
    int32_t cumulative_lost; /* 24-bit signed on the wire (clamped when written) */
    uint32_t highest_seq;    /* extended highest sequence number received */
    uint32_t jitter;         /* interarrival jitter, timestamp units */
    uint32_t lsr;            /* middle 32 bits of the last SR's NTP timestamp, 0: none */
    uint32_t dlsr;           /* delay since that SR, 1/65536 s */
};

struct rtcpm_rtcp_sender_info
{
    uint64_t ntp;           /* NTP timestamp (seconds since 1900 << 32 | fraction) */
    uint32_t rtp_timestamp; /* the same instant in RTP timestamp units */
    uint32_t packet_count;
    uint32_t octet_count;
};

/* Appends packets to buf: each write_* returns 0 or a negative rtcpm_rtcp_error (then the
 * writer keeps the error and writes nothing more). len is the compound packet's length. */
struct rtcpm_rtcp_writer
{
    uint8_t *buf;
    size_t cap, len;
    int error;
};

void rtcpm_rtcp_writer_init(struct rtcpm_rtcp_writer *w, uint8_t *buf, size_t cap);
/* SR when si is not NULL, else RR; n report blocks (0..31). */
int rtcpm_rtcp_write_report(struct rtcpm_rtcp_writer *w, uint32_t ssrc, const struct rtcpm_rtcp_sender_info *si,
                            const struct rtcpm_rtcp_block *blocks, int n);
/* SDES with one chunk: ssrc, CNAME item (1..255 bytes), end of list, padding to 32 bits. */
int rtcpm_rtcp_write_sdes_cname(struct rtcpm_rtcp_writer *w, uint32_t ssrc, const char *cname);
/* BYE for n sources (1..31), with a reason when not NULL/"" (at most 255 bytes). */
int rtcpm_rtcp_write_bye(struct rtcpm_rtcp_writer *w, const uint32_t *ssrcs, int n, const char *reason);

struct rtcpm_rtcp_info
{
    int packets; /* RTCP packets in the compound packet */
    int unknown; /* of which of a type not understood (skipped) */
    int has_sr;  /* the first packet was an SR: sender_ssrc / sender */
    int has_rr;  /* ... an RR: sender_ssrc */
    uint32_t sender_ssrc;
    struct rtcpm_rtcp_sender_info sender;
    int n_blocks; /* report blocks from every SR/RR, in order (at most 31 kept) */
    struct rtcpm_rtcp_block blocks[RTCPM_RTCP_MAX_BLOCKS];
    int has_cname;
    uint32_t cname_ssrc;
    char cname[RTCPM_RTCP_MAX_TEXT + 1]; /* NUL-terminated (a NUL inside the item ends it) */
    int has_bye;
    int n_bye;
    uint32_t bye_ssrc[RTCPM_RTCP_MAX_BLOCKS];
    char bye_reason[RTCPM_RTCP_MAX_TEXT + 1];
};

/* Parses one compound packet. 0 or a negative rtcpm_rtcp_error (*out then zeroed). */
int rtcpm_rtcp_parse(const uint8_t *buf, size_t len, struct rtcpm_rtcp_info *out);

/* NTP helpers: the middle 32 bits (what LSR carries), and 1/65536 s units from microseconds. */
static inline uint32_t rtcpm_ntp_middle(uint64_t ntp) { return (uint32_t)(ntp >> 16); }
uint64_t rtcpm_ntp_from_unix_us(uint64_t unix_us);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_SRC_MEDIA_RTCP_H */
