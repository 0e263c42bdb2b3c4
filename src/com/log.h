/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.h — tiny trace channels, off by default.
 *
 * RTCPM_DEBUG=pm,host (or "all", or "+stun,-host" style like WINEDEBUG) switches channels on;
 * traces go to stderr prefixed with the channel.
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

#define RTCPM_TRACE(ch, ...)                                                                                           \
    do {                                                                                                               \
        if (rtcpm_log_enabled(ch)) rtcpm_log_printf(ch, __func__, __VA_ARGS__);                                        \
    } while (0)

#endif /* RTCPM_SRC_LOG_H */
