/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.c — RTCPM_DEBUG channels, the trace printer, debugstr_w / debugstr_guid.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"

/* The channels, then "err": errors have a bit of their own, on unless switched off. */
#define LOG_ERR_BIT RTCPM_LOG_CHANNELS
static const char *const channel_names[RTCPM_LOG_CHANNELS + 1] = { "com", "pm", "host", "net", "stun", "rtc", "err" };

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
    size_t len;

    if (n > 0 && (size_t)n < sizeof(line)) vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    /* one line per trace: a Wine-style "\n" at the end of the format is the printer's */
    len = strlen(line);
    while (len && line[len - 1] == '\n') line[--len] = 0;
    if (log_sink)
        log_sink(log_sink_ctx, line);
    else
    {
        /* one write of the whole line: Wine's C runtime writes a formatted line in pieces,
         * and stderr redirected between two pieces (or a reader) would see half a line */
        line[len] = '\n';
        fwrite(line, 1, len + 1, stderr);
    }
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

/* ---- trace arguments ---- */

/* L"" + every character as a 6-byte \uXXXX at worst + closing quote, "...", NUL */
#define DEBUGSTR_SIZE (2 + RTCPM_DEBUGSTR_CHARS * 6 + 8)

/* The next buffer of the calling thread's ring. */
static char *debugstr_buffer(void)
{
    static _Thread_local char ring[RTCPM_DEBUGSTR_RING][DEBUGSTR_SIZE];
    static _Thread_local unsigned next;
    return ring[next++ % RTCPM_DEBUGSTR_RING];
}

static char *put_escape_u(char *d, unsigned c)
{
    static const char hex[] = "0123456789abcdef";
    *d++ = '\\';
    *d++ = 'u';
    *d++ = hex[(c >> 12) & 15];
    *d++ = hex[(c >> 8) & 15];
    *d++ = hex[(c >> 4) & 15];
    *d++ = hex[c & 15];
    return d;
}

static char *put_utf8(char *d, unsigned c)
{
    if (c < 0x80)
        *d++ = (char)c;
    else if (c < 0x800)
    {
        *d++ = (char)(0xC0 | (c >> 6));
        *d++ = (char)(0x80 | (c & 0x3F));
    }
    else if (c < 0x10000)
    {
        *d++ = (char)(0xE0 | (c >> 12));
        *d++ = (char)(0x80 | ((c >> 6) & 0x3F));
        *d++ = (char)(0x80 | (c & 0x3F));
    }
    else
    {
        *d++ = (char)(0xF0 | (c >> 18));
        *d++ = (char)(0x80 | ((c >> 12) & 0x3F));
        *d++ = (char)(0x80 | ((c >> 6) & 0x3F));
        *d++ = (char)(0x80 | (c & 0x3F));
    }
    return d;
}

/* One character of s (a surrogate pair is one) at *d, escaped or as UTF-8; the WCHARs used. */
static size_t put_char(const WCHAR *s, char **d)
{
    static const char escaped[] = "\"\\\n\r\t", letter[] = "\"\\nrt";
    const char *e = s[0] && s[0] < 0x80 ? strchr(escaped, (char)s[0]) : NULL;
    unsigned c = s[0];
    size_t used = 1;

    if (e)
    {
        *(*d)++ = '\\';
        *(*d)++ = letter[e - escaped];
        return 1;
    }
    if (c >= 0xD800 && c < 0xDC00 && s[1] >= 0xDC00 && s[1] < 0xE000)
    {
        c = 0x10000 + ((c - 0xD800) << 10) + (s[1] - 0xDC00u);
        used = 2;
    }
    if (c < 0x20 || c == 0x7F || (c >= 0xD800 && c < 0xE000))
        *d = put_escape_u(*d, c);
    else
        *d = put_utf8(*d, c);
    return used;
}

const char *rtcpm_debugstr_w(const WCHAR *s)
{
    char *buf, *d;
    size_t n;

    if (!s) return "(null)";
    buf = d = debugstr_buffer();
    *d++ = 'L';
    *d++ = '"';
    for (n = 0; *s && n < RTCPM_DEBUGSTR_CHARS; n++) s += put_char(s, &d);
    *d++ = '"';
    if (*s)
    {
        memcpy(d, "...", 3);
        d += 3;
    }
    *d = 0;
    return buf;
}

const char *rtcpm_debugstr_guid(const GUID *guid)
{
    char *buf, *p;

    if (!guid) return "(null)";
    buf = debugstr_buffer();
    rtcpm_guid_to_string(guid, buf);
    for (p = buf; *p; p++)
        if (*p >= 'A' && *p <= 'F') *p = (char)(*p - 'A' + 'a');
    return buf;
}
