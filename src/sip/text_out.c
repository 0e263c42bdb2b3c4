/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * text_out.c — see text_out.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include "text_out.h"

void rtcpm_text_out_init(struct text_out *t, char *buf, size_t len)
{
    t->buf = buf;
    t->len = len;
    t->used = 0;
    t->overflow = 0;
    buf[0] = 0;
}

void rtcpm_text_out_put(struct text_out *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (t->overflow) return;
    va_start(ap, fmt);
    n = vsnprintf(t->buf + t->used, t->len - t->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= t->len - t->used)
    {
        t->overflow = 1;
        return;
    }
    t->used += (size_t)n;
}

int rtcpm_text_out_finish(struct text_out *t, size_t *written)
{
    if (t->overflow)
    {
        t->buf[0] = 0;
        if (written) *written = 0;
        return -1;
    }
    if (written) *written = t->used;
    return 0;
}
