/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.c — see config.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"

int rtcpm_ini_fail(struct rtcpm_ini_error *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof(e->text), fmt, ap);
    va_end(ap);
    return -1;
}

void rtcpm_cfg_set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || !errlen) return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

static int is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static char *trim(char *s)
{
    char *end;
    while (is_space(*s)) s++;
    end = s + strlen(s);
    while (end > s && is_space(end[-1])) *--end = 0;
    return s;
}

static int all_word_chars(const char *s, size_t n)
{
    size_t i;
    if (!n) return 0;
    for (i = 0; i < n; i++)
        if (!is_word_char(s[i])) return 0;
    return 1;
}

/* One line (comment stripped, trimmed, non-empty) -> callbacks. */
static int parse_line(char *s, const struct rtcpm_ini_handler *h, void *ctx, int *section_line,
                      struct rtcpm_ini_error *e)
{
    char *eq;

    if (*s == '[')
    {
        char *close = strchr(s, ']'), *name, *arg, *after;
        size_t n;
        if (!close) return rtcpm_ini_fail(e, "section header without ']'");
        if (*(after = trim(close + 1))) return rtcpm_ini_fail(e, "text after ']': '%s'", after);
        *close = 0;
        name = trim(s + 1);
        for (n = 0; name[n] && !is_space(name[n]); n++)
        {
        }
        arg = name + n;
        if (*arg) *arg++ = 0;
        arg = trim(arg);
        if (!all_word_chars(name, strlen(name))) return rtcpm_ini_fail(e, "bad section name '%s'", name);
        if (*section_line && h->section_end)
        {
            struct rtcpm_ini_error end = { *section_line, "" };
            if (h->section_end(ctx, &end))
            {
                *e = end;
                return -1;
            }
        }
        *section_line = e->line;
        return h->section ? h->section(ctx, name, arg, e) : 0;
    }

    eq = strchr(s, '=');
    if (!eq) return rtcpm_ini_fail(e, "expected 'key = value' or '[section]', got '%s'", s);
    *eq = 0;
    s = trim(s);
    if (!*s) return rtcpm_ini_fail(e, "'=' without a key");
    if (!all_word_chars(s, strlen(s))) return rtcpm_ini_fail(e, "bad key '%s'", s);
    if (!*section_line) return rtcpm_ini_fail(e, "key '%s' outside any section", s);
    return h->key ? h->key(ctx, s, trim(eq + 1), e) : 0;
}

/* A raw line's bytes, p[0..n): not too long, no NUL, no control character but TAB. 0, or -1
 * with the reason in *e. */
static int check_line_bytes(const char *p, size_t n, struct rtcpm_ini_error *e)
{
    size_t i;

    if (n > RTCPM_INI_LINE_MAX) return rtcpm_ini_fail(e, "line longer than %d characters", RTCPM_INI_LINE_MAX);
    if (memchr(p, 0, n)) return rtcpm_ini_fail(e, "NUL byte in line");
    for (i = 0; i < n; i++)
    {
        /* a stray CR ("\r\r\n") or other control byte would end up inside a value and in
         * the messages quoting it: refused here, with the line */
        unsigned char ch = (unsigned char)p[i];
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f) return rtcpm_ini_fail(e, "control character 0x%02X in line", ch);
    }
    return 0;
}

int rtcpm_ini_parse(const char *text, size_t len, const char *name, const struct rtcpm_ini_handler *h, void *ctx,
                    char *err, size_t errlen)
{
    static const struct rtcpm_ini_handler none = { NULL, NULL, NULL };
    char buf[RTCPM_INI_LINE_MAX + 2];
    struct rtcpm_ini_error e = { 0, "" };
    size_t pos = 0;
    int section_line = 0, line = 0;

    if (!h) h = &none;
    if (!name) name = "<config>";
    if (err && errlen) err[0] = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) pos = 3;

    while (pos < len)
    {
        size_t start = pos, n;
        char *s;

        line++;
        while (pos < len && text[pos] != '\n') pos++;
        n = pos - start;
        if (pos < len) pos++; /* the '\n' */
        if (n && text[start + n - 1] == '\r') n--;
        e.line = line;
        e.text[0] = 0;
        if (check_line_bytes(text + start, n, &e)) goto fail;
        memcpy(buf, text + start, n);
        buf[n] = 0;
        buf[strcspn(buf, "#;")] = 0;
        s = trim(buf);
        if (!*s) continue;
        if (parse_line(s, h, ctx, &section_line, &e)) goto fail;
    }
    if (section_line && h->section_end)
    {
        e.line = section_line;
        e.text[0] = 0;
        if (h->section_end(ctx, &e)) goto fail;
    }
    return 0;

fail:
    rtcpm_cfg_set_err(err, errlen, "%s:%d: %s", name, e.line, e.text[0] ? e.text : "rejected");
    return -1;
}

/* Reads all of f into a growing *buf (room for a NUL after *used bytes), at most
 * RTCPM_CONFIG_FILE_MAX bytes. S_OK, or the failure with the reason in err. */
static HRESULT read_all(FILE *f, const char *path, char **buf, size_t *used, char *err, size_t errlen)
{
    size_t cap = 0;

    for (;;)
    {
        size_t got;
        if (cap - *used < 4096)
        {
            char *n;
            cap = cap ? cap * 2 : 8192;
            if (!(n = realloc(*buf, cap + 1)))
            {
                rtcpm_cfg_set_err(err, errlen, "%s: out of memory", path);
                return E_OUTOFMEMORY;
            }
            *buf = n;
        }
        got = fread(*buf + *used, 1, cap - *used, f);
        *used += got;
        if (*used > RTCPM_CONFIG_FILE_MAX)
        {
            rtcpm_cfg_set_err(err, errlen, "%s: larger than %d bytes", path, RTCPM_CONFIG_FILE_MAX);
            return E_INVALIDARG;
        }
        if (got == 0)
        {
            if (!ferror(f)) return S_OK;
            rtcpm_cfg_set_err(err, errlen, "%s: read error", path);
            return E_FAIL;
        }
    }
}

HRESULT rtcpm_config_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
    FILE *f;
    char *buf = NULL;
    size_t used = 0;
    HRESULT hr;

    if (text) *text = NULL;
    if (len) *len = 0;
    if (!path || !text) return E_POINTER;
    if (err && errlen) err[0] = 0;

    errno = 0;
    f = fopen(path, "rb");
    if (!f)
    {
        int saved = errno;
        rtcpm_cfg_set_err(err, errlen, "%s: cannot open: %s", path, strerror(saved));
        if (saved == ENOENT) return HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND);
        if (saved == EACCES) return E_ACCESSDENIED;
        return E_FAIL;
    }
    hr = read_all(f, path, &buf, &used, err, errlen);
    fclose(f);
    if (FAILED(hr))
    {
        free(buf);
        return hr;
    }
    if (!buf && !(buf = malloc(1))) return E_OUTOFMEMORY;
    buf[used] = 0;
    *text = buf;
    if (len) *len = used;
    return S_OK;
}

/* ---- values ---- */

int rtcpm_cfg_streq(const char *a, const char *b)
{
    for (;; a++, b++)
    {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
        if (x != y) return 0;
        if (!x) return 1;
    }
}

static const char *const port_type_names[] = { "audio-rtp", "audio-rtcp", "video-rtp", "video-rtcp", "sip" };

int rtcpm_cfg_port_type(const char *s, int *out)
{
    int i;
    if (rtcpm_cfg_streq(s, "any"))
    {
        *out = -1;
        return 0;
    }
    for (i = 0; i < (int)(sizeof(port_type_names) / sizeof(port_type_names[0])); i++)
        if (rtcpm_cfg_streq(s, port_type_names[i]))
        {
            *out = i; /* RTCPT_AUDIO_RTP = 0 ... RTCPT_SIP = 4 */
            return 0;
        }
    return -1;
}

const char *rtcpm_cfg_port_type_name(int port_type)
{
    if (port_type == -1) return "any";
    if (port_type < 0 || port_type > RTCPT_SIP) return "?";
    return port_type_names[port_type];
}

int rtcpm_cfg_transports(const char *s, unsigned *mask, struct rtcpm_ini_error *e)
{
    unsigned m = 0;

    *mask = 0;
    while (*s)
    {
        char word[16];
        size_t n = 0;
        unsigned bit;

        while (*s == ',' || is_space(*s)) s++;
        if (!*s) break;
        while (s[n] && s[n] != ',' && !is_space(s[n])) n++;
        if (n >= sizeof(word))
            return rtcpm_ini_fail(e, "unknown transport '%.*s' (expected udp, tcp or tls)", (int)n, s);
        memcpy(word, s, n);
        word[n] = 0;
        s += n;
        if (rtcpm_cfg_streq(word, "udp"))
            bit = RTCTR_UDP;
        else if (rtcpm_cfg_streq(word, "tcp"))
            bit = RTCTR_TCP;
        else if (rtcpm_cfg_streq(word, "tls"))
            bit = RTCTR_TLS;
        else
            return rtcpm_ini_fail(e, "unknown transport '%s' (expected udp, tcp or tls)", word);
        if (m & bit) return rtcpm_ini_fail(e, "transport '%s' listed twice", word);
        m |= bit;
    }
    if (!m) return rtcpm_ini_fail(e, "no transport given (expected udp, tcp or tls)");
    *mask = m;
    return 0;
}

/* Decimal 1..65535 from exactly the n characters at s. */
static int parse_port(const char *s, size_t n, uint16_t *out)
{
    unsigned long v = 0;
    size_t i;
    if (!n || n > 5) return -1;
    for (i = 0; i < n; i++)
    {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v < 1 || v > 65535) return -1;
    *out = (uint16_t)v;
    return 0;
}

int rtcpm_cfg_endpoint_range(const char *s, const char *what, rtcpm_addr *addr, uint16_t *first, uint16_t *last,
                             struct rtcpm_ini_error *e)
{
    const char *host = s, *ports, *dash;
    size_t host_len;
    int r;

    memset(addr, 0, sizeof(*addr));
    *first = *last = 0;
    if (!*s) return rtcpm_ini_fail(e, "%s: empty (expected address:port or address:first-last)", what);
    if (*s == '[')
    {
        const char *close = strchr(s, ']');
        if (!close) return rtcpm_ini_fail(e, "%s '%s': '[' without ']'", what, s);
        host = s + 1;
        host_len = (size_t)(close - host);
        if (close[1] != ':') return rtcpm_ini_fail(e, "%s '%s': port missing (expected [address]:port)", what, s);
        ports = close + 2;
    }
    else
    {
        const char *colon = strchr(s, ':');
        if (!colon) return rtcpm_ini_fail(e, "%s '%s': port missing (expected address:port)", what, s);
        if (strchr(colon + 1, ':'))
            return rtcpm_ini_fail(e, "%s '%s': an IPv6 address needs brackets, as in [2001:db8::1]:5060", what, s);
        host_len = (size_t)(colon - s);
        ports = colon + 1;
    }
    r = rtcpm_addr_parse(host, host_len, addr);
    if (r || (*s == '[' && addr->family != RTCPM_AF_INET6))
    {
        memset(addr, 0, sizeof(*addr));
        return rtcpm_ini_fail(e, "%s '%s': '%.*s' is not an IP address", what, s, (int)host_len, host);
    }
    dash = strchr(ports, '-');
    if (parse_port(ports, dash ? (size_t)(dash - ports) : strlen(ports), first) ||
        (dash && parse_port(dash + 1, strlen(dash + 1), last)))
    {
        memset(addr, 0, sizeof(*addr));
        *first = *last = 0;
        return rtcpm_ini_fail(e, "%s '%s': bad port '%s' (expected 1..65535 or first-last)", what, s, ports);
    }
    if (!dash) *last = *first;
    if (*last < *first)
    {
        unsigned f = *first, l = *last;
        memset(addr, 0, sizeof(*addr));
        *first = *last = 0;
        return rtcpm_ini_fail(e, "%s '%s': port range %u-%u ends before it starts", what, s, f, l);
    }
    return 0;
}
