/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_config.c — the INI reader (rtcpm_ini_parse, src/pm/config.h) and the static port
 * manager's config loader (rtcpm_static_pm_load_string) on arbitrary bytes.
 *
 * Beyond "no crash, no read past the input" (the input is an exact-size heap block, the error
 * buffer an exact-size heap block of a length the input picks):
 *  - the reader hands its callbacks only what config.h promises: section names and keys of
 *    letters, digits, '-', '_'; arguments and values trimmed, without '#', ';' or control
 *    characters other than TAB;
 *    line numbers that never go backwards and never pass the last line; section_end for the
 *    section opened last;
 *  - it fails when it must (a control character other than TAB, a line over
 *    RTCPM_INI_LINE_MAX; a callback's refusal stops it), and its message is
 *    "fuzz.ini:<line>: <text>" with the line the callback named, truncated, never overrun;
 *    success leaves "";
 *  - it is deterministic, and the same text with CRLF line ends (when it has no CR) gives the
 *    same events and the same result;
 *  - the loader is all or nothing: E_INVALIDARG adds no rule and says "fuzz.ini:<line>: ...";
 *    S_OK adds one rule per section; loading the text twice doubles the rules; every mapping
 *    the loaded rules hand out (each port type x transport) is IP literals and ports 1..65535
 *    and releases with S_OK; afterwards no mapping, COM object or BSTR is left.
 */
#include <string.h>

#include "fuzz_check.h"
#include "pm/config.h"
#include "rtcpm/rtcpm.h"

#define LOG_MAX 8192

struct events
{
    char log[LOG_MAX]; /* "[name|arg]@line k=<v>@line end@line ..." (truncated) */
    size_t len;
    int last_line, lines, sections, section_open_line;
    int reject_line; /* the key callback refuses on this line (0: never), blaming line 1 */
    int rejected;    /* it did */
};

static void log_add(struct events *ev, const char *a, const char *b, const char *c, int line)
{
    int n;
    if (ev->len >= sizeof(ev->log)) return;
    n = snprintf(ev->log + ev->len, sizeof(ev->log) - ev->len, "%s%s%s@%d ", a, b, c, line);
    if (n > 0) ev->len += (size_t)n;
}

static int word(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
              *s == '_'))
            return 0;
    return 1;
}

/* Trimmed, no comment characters, no control characters but TAB. */
static int clean_text(const char *s)
{
    size_t n = strlen(s), i;
    if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')) return 0;
    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f) return 0;
    return !strpbrk(s, "#;");
}

static void check_line(struct events *ev, int line)
{
    FUZZ_CHECK(line >= 1 && line <= ev->lines);
    FUZZ_CHECK(line >= ev->last_line);
    ev->last_line = line;
}

static int on_section(void *ctx, const char *name, const char *arg, struct rtcpm_ini_error *e)
{
    struct events *ev = ctx;
    check_line(ev, e->line);
    FUZZ_CHECK(word(name));
    FUZZ_CHECK(clean_text(arg));
    FUZZ_CHECK(e->text[0] == 0);
    ev->sections++;
    ev->section_open_line = e->line;
    log_add(ev, "[", name, "]", e->line);
    log_add(ev, "arg=", arg, "", e->line);
    return 0;
}

static int on_key(void *ctx, const char *key, const char *value, struct rtcpm_ini_error *e)
{
    struct events *ev = ctx;
    check_line(ev, e->line);
    FUZZ_CHECK(ev->section_open_line > 0);
    FUZZ_CHECK(word(key));
    FUZZ_CHECK(clean_text(value));
    log_add(ev, key, "=", value, e->line);
    if (e->line == ev->reject_line)
    {
        ev->rejected = 1;
        e->line = 1;
        return rtcpm_ini_fail(e, "refused '%s'", key);
    }
    return 0;
}

static int on_end(void *ctx, struct rtcpm_ini_error *e)
{
    struct events *ev = ctx;
    FUZZ_CHECK(e->line == ev->section_open_line);
    log_add(ev, "end", "", "", e->line);
    return 0;
}

static const struct rtcpm_ini_handler handler = { on_section, on_key, on_end };

/* Lines as the reader counts them (LF ends a line; a last line without LF counts). */
static int count_lines(const char *text, size_t len)
{
    int n = 0;
    size_t i;
    for (i = 0; i < len; i++) n += text[i] == '\n';
    return n + (len && text[len - 1] != '\n');
}

/* A control character (but TAB, and the CR of a CRLF) or an over-long line anywhere: the
 * reader cannot succeed. */
static int must_fail(const char *text, size_t len)
{
    size_t i, j, start = 0;
    for (i = 0; i <= len; i++)
        if (i == len || text[i] == '\n')
        {
            size_t n = i - start;
            if (n && text[start + n - 1] == '\r') n--;
            if (n > RTCPM_INI_LINE_MAX) return 1;
            for (j = start; j < start + n; j++)
                if (((unsigned char)text[j] < 0x20 && text[j] != '\t') || text[j] == 0x7f) return 1;
            start = i + 1;
        }
    return 0;
}

/* "fuzz.ini:<line>: ..." with line in 1..lines, or a truncation of it. */
static void check_message(const char *err, size_t errlen, int lines, int expect_line)
{
    char full[64];
    const char *p;
    long line;
    size_t n = strlen(err);

    FUZZ_CHECK(n < errlen);
    if (errlen < 32)
    {
        /* truncated: still a prefix of what it would say */
        snprintf(full, sizeof(full), "fuzz.ini:");
        FUZZ_CHECK(!strncmp(err, full, n < 9 ? n : 9));
        return;
    }
    FUZZ_CHECK(!strncmp(err, "fuzz.ini:", 9));
    line = strtol(err + 9, (char **)&p, 10);
    FUZZ_CHECK(p > err + 9 && p[0] == ':' && p[1] == ' ');
    FUZZ_CHECK(line >= 1 && line <= (lines ? lines : 1));
    if (expect_line) FUZZ_CHECK(line == expect_line);
}

static int parse(const char *text, size_t len, struct events *ev, int reject_line, char *err, size_t errlen)
{
    memset(ev, 0, sizeof(*ev));
    ev->lines = count_lines(text, len);
    ev->reject_line = reject_line;
    return rtcpm_ini_parse(text, len, "fuzz.ini", &handler, ev, err, errlen);
}

static void fuzz_reader(const char *text, size_t len, int reject_line, size_t errlen)
{
    struct events *a = fuzz_alloc(sizeof(*a)), *b = fuzz_alloc(sizeof(*b));
    char *err = fuzz_alloc(errlen), *err2 = fuzz_alloc(errlen);
    int rc = parse(text, len, a, reject_line, err, errlen);

    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc == 0)
    {
        FUZZ_CHECK(err[0] == 0);
        FUZZ_CHECK(!must_fail(text, len));
    }
    else
        check_message(err, errlen, a->lines, a->rejected ? 1 : 0);
    if (a->rejected) FUZZ_CHECK(rc == -1);

    /* the same again: the same events, result and message */
    FUZZ_CHECK(parse(text, len, b, reject_line, err2, errlen) == rc);
    FUZZ_CHECK(a->len == b->len && !memcmp(a->log, b->log, a->len));
    FUZZ_CHECK(!strcmp(err, err2));

    /* CRLF line ends read the same (text without CR only: "\r\r\n" loses one CR) */
    if (!memchr(text, '\r', len))
    {
        size_t i, n = 0;
        char *crlf = fuzz_alloc(len * 2 + 1);
        for (i = 0; i < len; i++)
        {
            if (text[i] == '\n') crlf[n++] = '\r';
            crlf[n++] = text[i];
        }
        FUZZ_CHECK(parse(crlf, n, b, reject_line, err2, errlen) == rc);
        FUZZ_CHECK(a->len == b->len && !memcmp(a->log, b->log, a->len));
        FUZZ_CHECK(!strcmp(err, err2));
        free(crlf);
    }
    free(a);
    free(b);
    free(err);
    free(err2);
}

static void fuzz_static_pm(const char *data, size_t size, size_t errlen)
{
    LONG objects = rtcpm_live_objects(), bstrs = rtcpm_live_bstrs();
    IRTCPortManager3 *pm = NULL;
    struct events *ev = fuzz_alloc(sizeof(*ev));
    char *text = fuzz_alloc(size + 1), *err = fuzz_alloc(errlen);
    size_t len;
    HRESULT hr;
    int sections;

    /* load_string reads up to the first NUL */
    memcpy(text, data, size);
    text[size] = 0;
    len = strlen(text);
    parse(text, len, ev, 0, NULL, 0);
    sections = ev->sections;

    FUZZ_CHECK(rtcpm_static_pm_create(&pm) == S_OK);
    hr = rtcpm_static_pm_load_string(pm, text, "fuzz.ini", err, errlen);
    FUZZ_CHECK(hr == S_OK || hr == E_INVALIDARG);
    if (hr == E_INVALIDARG)
    {
        FUZZ_CHECK(rtcpm_static_pm_rule_count(pm) == 0);
        check_message(err, errlen, count_lines(text, len), 0);
    }
    else
    {
        static const LONG transports[] = { RTCTR_UDP, RTCTR_TCP, RTCTR_TLS };
        int type, t;

        FUZZ_CHECK(err[0] == 0);
        FUZZ_CHECK(rtcpm_static_pm_rule_count(pm) == sections);
        FUZZ_CHECK(rtcpm_static_pm_load_string(pm, text, "fuzz.ini", NULL, 0) == S_OK);
        FUZZ_CHECK(rtcpm_static_pm_rule_count(pm) == 2 * sections);

        /* what the rules hand out is usable and goes back */
        for (type = RTCPT_AUDIO_RTP; type <= RTCPT_SIP; type++)
            for (t = 0; t < 3; t++)
            {
                BSTR ia = NULL, ea = NULL;
                LONG ip = 0, ep = 0;
                hr = pm->lpVtbl->GetMappingEx(pm, NULL, 0, transports[t], (RTC_PORT_TYPE)type, &ia, &ip, &ea, &ep);
                FUZZ_CHECK(hr == S_OK || hr == RTC_E_PORT_MAPPING_UNAVAILABLE);
                if (hr != S_OK)
                {
                    FUZZ_CHECK(!ia && !ea && !ip && !ep);
                    continue;
                }
                FUZZ_CHECK(ia && ea && SysStringLen(ia) && SysStringLen(ea));
                FUZZ_CHECK(ip >= 1 && ip <= 65535 && ep >= 1 && ep <= 65535);
                FUZZ_CHECK(rtcpm_static_pm_live_mappings(pm) == 1);
                FUZZ_CHECK(rtcpm_static_pm_format_mappings(pm, NULL, 0) > 0);
                FUZZ_CHECK(pm->lpVtbl->ReleaseMappingEx(pm, transports[t], ia, ip, ea, ep) == S_OK);
                FUZZ_CHECK(pm->lpVtbl->ReleaseMappingEx(pm, transports[t], ia, ip, ea, ep) ==
                           RTC_E_PORT_MAPPING_UNAVAILABLE);
                SysFreeString(ia);
                SysFreeString(ea);
            }
        FUZZ_CHECK(rtcpm_static_pm_live_mappings(pm) == 0);
    }
    FUZZ_CHECK(pm->lpVtbl->Release(pm) == 0);
    FUZZ_CHECK(rtcpm_live_objects() == objects);
    FUZZ_CHECK(rtcpm_live_bstrs() == bstrs);
    free(ev);
    free(text);
    free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The last byte, when there is one, also picks the error buffer's size (1..256) and the
     * line a callback refuses (0 = none, 1..7); the whole input is still the text. */
    unsigned pick = size ? data[size - 1] : 0;
    size_t errlen = pick % 4 ? 256 : 1 + pick % 31;
    char *text = fuzz_alloc(size);

    memcpy(text, data, size); /* exact size: reading past it is caught */
    fuzz_reader(text, size, 0, errlen);
    if (pick & 0x70) fuzz_reader(text, size, (int)((pick >> 4) & 7), 256);
    fuzz_static_pm(text, size, errlen);
    free(text);
    return 0;
}
