/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * md5.h — MD5 (RFC 1321), for SIP digest authentication (RFC 2617 / RFC 3261 section 22)
 * only: MD5 is broken for collision resistance, and nothing else here may use it.
 */
#ifndef RTCPM_SRC_SIP_MD5_H
#define RTCPM_SRC_SIP_MD5_H

#include <stddef.h>
#include <stdint.h>

struct rtcpm_md5
{
    uint32_t state[4];
    uint64_t bytes; /* message length so far */
    unsigned char block[64];
    size_t used; /* bytes in block */
};

void rtcpm_md5_init(struct rtcpm_md5 *c);
void rtcpm_md5_update(struct rtcpm_md5 *c, const void *data, size_t len);
void rtcpm_md5_final(struct rtcpm_md5 *c, unsigned char digest[16]);

/* The digest of data as 32 lowercase hex digits + NUL. */
void rtcpm_md5_hex(const void *data, size_t len, char hex[33]);

#endif /* RTCPM_SRC_SIP_MD5_H */
