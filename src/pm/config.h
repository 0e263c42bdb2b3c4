/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.h — a small INI reader with "file:line: message" errors, and the value parsers
 * every port manager's config shares (port type names, transport lists, address:port ranges).
 *
 * Syntax read here (the meaning of sections and keys belongs to the caller's callbacks):
 *   - lines end in LF or CRLF; a UTF-8 byte order mark at the very start is skipped;
 *   - '#' or ';' starts a comment anywhere on a line (no value needs either character);
 *   - blank lines are ignored; leading/trailing spaces and tabs are trimmed everywhere;
 *   - "[name]" or "[name argument]" opens a section (name: letters, digits, '-', '_';
 *     argument: the rest, trimmed, may be empty);
 *   - "key = value" inside a section (key: letters, digits, '-', '_'; value may be empty);
 *   - anything else is an error: a key before any section, a line without '=', a line longer
 *     than RTCPM_INI_LINE_MAX, a NUL byte or another control character (TAB aside; a CR only
 *     as part of a CRLF line end), an unclosed '['.
 * The reader stops at the first error: the caller gets one message naming the line.
 */
#ifndef RTCPM_PM_CONFIG_H
#define RTCPM_PM_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "rtcpm/rtcpm.h"
#include "net/addr.h"

#define RTCPM_INI_LINE_MAX 1024

/* What a callback fills in when it rejects something. line starts as the current line
 * (the section's first line for section_end); a callback may point elsewhere. */
struct rtcpm_ini_error
{
    int line;
    char text[256];
};

/* Formats e->text and returns -1, for `return rtcpm_ini_fail(e, "...", ...);`. */
int rtcpm_ini_fail(struct rtcpm_ini_error *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Callbacks return 0 to go on, -1 (after rtcpm_ini_fail) to stop with an error. Any may be NULL. */
struct rtcpm_ini_handler
{
    int (*section)(void *ctx, const char *name, const char *arg, struct rtcpm_ini_error *e);
    int (*key)(void *ctx, const char *key, const char *value, struct rtcpm_ini_error *e);
    /* the section opened at e->line ends (a new section starts, or the text ends) */
    int (*section_end)(void *ctx, struct rtcpm_ini_error *e);
};

/*
 * Reads len bytes of INI text. On error returns -1 and writes "<name>:<line>: <text>" to err
 * (optional, truncated to errlen). Returns 0 when every line was accepted.
 */
int rtcpm_ini_parse(const char *text, size_t len, const char *name, const struct rtcpm_ini_handler *h, void *ctx,
                    char *err, size_t errlen);

/* Maximum size rtcpm_config_read_file accepts (a config, not a data file). */
#define RTCPM_CONFIG_FILE_MAX (1024 * 1024)

/*
 * Reads a whole file into a new NUL-terminated buffer (free() it). Errors go to err as
 * "<path>: <reason>": HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) when it does not exist,
 * E_ACCESSDENIED, E_INVALIDARG when larger than RTCPM_CONFIG_FILE_MAX, E_OUTOFMEMORY, E_FAIL.
 */
HRESULT rtcpm_config_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen);

/* Formats a message into err, truncated to errlen; does nothing when err is NULL or errlen 0
 * (the optional error buffer of rtcpm_ini_parse, rtcpm_config_read_file and the loaders). */
void rtcpm_cfg_set_err(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- values ---- */

/* ASCII case-insensitive equality. */
int rtcpm_cfg_streq(const char *a, const char *b);

/* "sip" | "audio-rtp" | "audio-rtcp" | "video-rtp" | "video-rtcp" (RTCPT_*) | "any" (-1).
 * 0 on success, -1 for an unknown name. */
int rtcpm_cfg_port_type(const char *s, int *out);
/* The config name of an RTCPT_* value or -1 ("any"); "?" when out of range. */
const char *rtcpm_cfg_port_type_name(int port_type);
/* The list of names rtcpm_cfg_port_type accepts, for messages. */
#define RTCPM_CFG_PORT_TYPES "sip, audio-rtp, audio-rtcp, video-rtp, video-rtcp or any"

/* "udp, tcp" -> RTCTR_UDP | RTCTR_TCP. Names udp|tcp|tls, case-insensitive, separated by
 * ',' and/or spaces, each at most once, at least one. 0 or -1 with a message in e. */
int rtcpm_cfg_transports(const char *s, unsigned *mask, struct rtcpm_ini_error *e);

/*
 * "192.0.2.1:5060", "192.0.2.1:30000-30099", "[2001:db8::1]:5060", "[2001:db8::1]:30000-30099"
 * -> address (port 0), first and last port (last == first for one port). The port is
 * required; IPv6 needs brackets. `what` names the key in messages ("internal").
 * 0 or -1 with a message in e.
 */
int rtcpm_cfg_endpoint_range(const char *s, const char *what, rtcpm_addr *addr, uint16_t *first, uint16_t *last,
                             struct rtcpm_ini_error *e);

#endif /* RTCPM_PM_CONFIG_H */
