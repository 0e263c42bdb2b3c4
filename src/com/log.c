/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.c — RTCPM_DEBUG channels.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"

/* The channels, then "err": errors have a bit of their own, on unless switched off. */
#define LOG_ERR_BIT RTCPM_LOG_CHANNELS
static const char *const channel_names[RTCPM_LOG_CHANNELS + 1] = { "com", "pm", "host", "net", "stun", "err" };

/* -1: not read yet; otherwise a bit set of enabled channels */
static int enabled_mask = -1;

static void (*log_sink)(void *ctx, const char *line);
static void *log_sink_ctx;

static int parse_mask(const char *spec)
{
    int mask = 1 << LOG_ERR_BIT;

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
        for (i = 0; i <= LOG_ERR_BIT; i++)
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

static int mask_bit(int bit)
{
    int mask = __atomic_load_n(&enabled_mask, __ATOMIC_RELAXED);
    if (mask < 0)
    {
        rtcpm_log_reset();
        mask = __atomic_load_n(&enabled_mask, __ATOMIC_RELAXED);
    }
    return (mask >> bit) & 1;
}

int rtcpm_log_enabled(enum rtcpm_log_channel ch) { return mask_bit(ch); }

void rtcpm_log_set_sink(void (*sink)(void *ctx, const char *line), void *ctx)
{
    log_sink_ctx = ctx;
    log_sink = sink;
}

static void log_line(const char *prefix, const char *func, const char *fmt, va_list ap)
{
    char line[1024];
    int n = snprintf(line, sizeof(line), "%s:%s ", prefix, func);

    if (n > 0 && (size_t)n < sizeof(line)) vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    if (log_sink)
        log_sink(log_sink_ctx, line);
    else
        fprintf(stderr, "%s\n", line);
}

void rtcpm_log_printf(enum rtcpm_log_channel ch, const char *func, const char *fmt, ...)
{
    char prefix[32];
    va_list ap;

    snprintf(prefix, sizeof(prefix), "rtcpm:%s", channel_names[ch]);
    va_start(ap, fmt);
    log_line(prefix, func, fmt, ap);
    va_end(ap);
}

void rtcpm_log_error(enum rtcpm_log_channel ch, const char *func, const char *fmt, ...)
{
    char prefix[32];
    va_list ap;

    if (!mask_bit(LOG_ERR_BIT)) return;
    snprintf(prefix, sizeof(prefix), "rtcpm:err:%s", channel_names[ch]);
    va_start(ap, fmt);
    log_line(prefix, func, fmt, ap);
    va_end(ap);
}
