/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.c — RTCPM_DEBUG channels.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"

static const char *const channel_names[RTCPM_LOG_CHANNELS] = { "com", "pm", "host", "net", "stun", "rtc" };

/* -1: not read yet; otherwise a bit set of enabled channels */
static int enabled_mask = -1;

static int parse_mask(const char *spec)
{
    int mask = 0;

    while (spec && *spec)
    {
        size_t len = strcspn(spec, ", ");
        const char *tok = spec;
        int on = 1, i;

        if (len && (*tok == '+' || *tok == '-'))
        {
            on = *tok == '+';
            tok++;
            len--;
        }
        for (i = 0; i < RTCPM_LOG_CHANNELS; i++)
        {
            int all = len == 3 && !strncmp(tok, "all", 3);
            if (all || (len == strlen(channel_names[i]) && !strncmp(tok, channel_names[i], len)))
                mask = on ? mask | (1 << i) : mask & ~(1 << i);
        }
        spec = tok + len;
        spec += strspn(spec, ", ");
    }
    return mask;
}

void rtcpm_log_reset(void) { __atomic_store_n(&enabled_mask, parse_mask(getenv("RTCPM_DEBUG")), __ATOMIC_RELAXED); }

int rtcpm_log_enabled(enum rtcpm_log_channel ch)
{
    int mask = __atomic_load_n(&enabled_mask, __ATOMIC_RELAXED);
    if (mask < 0)
    {
        rtcpm_log_reset();
        mask = __atomic_load_n(&enabled_mask, __ATOMIC_RELAXED);
    }
    return (mask >> ch) & 1;
}

void rtcpm_log_printf(enum rtcpm_log_channel ch, const char *func, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n;

    n = snprintf(line, sizeof(line), "rtcpm:%s:%s ", channel_names[ch], func);
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof(line)) vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", line);
}
