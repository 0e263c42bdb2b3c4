/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * text_out.h — printf-style appending into a caller's fixed buffer that remembers an overflow,
 * so a builder writes every line and checks once at the end (SIP requests, Contact, SDP).
 */
#ifndef RTCPM_HOST_TEXT_OUT_H
#define RTCPM_HOST_TEXT_OUT_H

#include <stddef.h>

struct text_out
{
    char *buf;
    size_t len, used;
    int overflow; /* a put did not fit: the rest are ignored */
};

/* buf must hold at least one char; it starts as "". */
void rtcpm_text_out_init(struct text_out *t, char *buf, size_t len);

void rtcpm_text_out_put(struct text_out *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* 0 and *written (if given) = the length, or -1 after an overflow: then the buffer is ""
 * again and *written 0, so nothing half-written is handed on. */
int rtcpm_text_out_finish(struct text_out *t, size_t *written);

#endif
