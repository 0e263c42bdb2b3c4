/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.h — tiny trace channels, off by default.
 *
 * RTCPM_DEBUG=pm,host (or "all", or "+stun,-host" style like WINEDEBUG) switches channels on;
 * traces go to stderr, one line each, prefixed with the channel and the function:
 *
 *   rtcpm:pm:stun_pm_GetMappingEx (0x5581c0d0)->(L"198.51.100.1", 5060, 1, 4)
 *
 * Every COM method of rtcpm's objects traces its entry as Wine's TRACE("(%p)->(...)") does:
 * the interface pointer, then its [in] arguments in order (strings by rtcpm_debugstr_w,
 * IIDs by rtcpm_debugstr_guid); AddRef and Release trace the new count: "(%p) ref=%ld".
 * Secrets are not traced: a password as (hidden), the provisioning XML (it may hold one) by its
 * length. tests/style/check_traces.py (test traces) checks every method of every Vtbl table.
 * The printer ends each line: a format needs no "\n" (one at its end is not doubled; a
 * sink gets the line without it).
 * Arguments are evaluated only when the channel is on.
 *
 * Errors (RTCPM_ERR) are on by default, as Wine's err: lines are: a failure the user has to
 * act on (a missing proxy/stub) is said once where it happens, on every channel.
 * RTCPM_DEBUG=-err (or -all) silences them.
 */
#ifndef RTCPM_SRC_LOG_H
#define RTCPM_SRC_LOG_H

#include "rtcpm/rtcpm.h"

enum rtcpm_log_channel
{
    RTCPM_LOG_COM,
    RTCPM_LOG_PM,
    RTCPM_LOG_HOST,
    RTCPM_LOG_NET,
    RTCPM_LOG_STUN,
    RTCPM_LOG_RTC,
    RTCPM_LOG_CHANNELS
};

int rtcpm_log_enabled(enum rtcpm_log_channel ch);
void rtcpm_log_printf(enum rtcpm_log_channel ch, const char *func, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Re-reads RTCPM_DEBUG (tests change it at run time). */
void rtcpm_log_reset(void);

/*
 * For trace arguments, like Wine's debugstr_w / debugstr_guid: text in one of a few
 * rotating buffers of the calling thread, valid until that thread has made
 * RTCPM_DEBUGSTR_RING more of them (enough for the arguments of one trace line).
 *
 * rtcpm_debugstr_w: L"..." in UTF-8; \", \\, \n, \r, \t escaped, other control characters
 * and unpaired surrogates as \uXXXX; cut after RTCPM_DEBUGSTR_CHARS characters with "..."
 * after the closing quote; NULL as (null). Stops at the first NUL (of a BSTR too).
 * rtcpm_debugstr_guid: {da77c14b-6208-43ca-8ddf-5b60a0a69fac}, NULL as (null).
 */
#define RTCPM_DEBUGSTR_RING  8
#define RTCPM_DEBUGSTR_CHARS 80
const char *rtcpm_debugstr_w(const WCHAR *s);
const char *rtcpm_debugstr_guid(const GUID *guid);

/* "rtcpm:err:<channel>:<func> ..." unless RTCPM_DEBUG says -err or -all. */
void rtcpm_log_error(enum rtcpm_log_channel ch, const char *func, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Where lines go: sink(ctx, line) (no newline) instead of stderr; NULL sends them to stderr
 * again. For tests: set it while no other thread logs. */
void rtcpm_log_set_sink(void (*sink)(void *ctx, const char *line), void *ctx);

#define RTCPM_TRACE(ch, ...)                                                                                           \
    do {                                                                                                               \
        if (rtcpm_log_enabled(ch)) rtcpm_log_printf(ch, __func__, __VA_ARGS__);                                        \
    } while (0)

#define RTCPM_ERR(ch, ...) rtcpm_log_error(ch, __func__, __VA_ARGS__)

#endif /* RTCPM_SRC_LOG_H */
