/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.h — tiny trace channels, off by default.
 *
 * RTCPM_DEBUG=pm,host (or "all", or "+stun,-host" style like WINEDEBUG) switches channels on;
 * traces go to stderr prefixed with the channel.
 *
 * Errors (RTCPM_ERR) are on by default, as Wine's err: lines are: a failure the user has to
 * act on (a missing proxy/stub) is said once where it happens, on every channel.
 * RTCPM_DEBUG=-err (or -all) silences them.
 */
#ifndef RTCPM_SRC_LOG_H
#define RTCPM_SRC_LOG_H

enum rtcpm_log_channel
{
    RTCPM_LOG_COM,
    RTCPM_LOG_PM,
    RTCPM_LOG_HOST,
    RTCPM_LOG_NET,
    RTCPM_LOG_STUN,
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
