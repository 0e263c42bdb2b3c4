/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xml_utf8.c — UTF-8 and character checks of the XML parser. See xml_utf8.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "xml_utf8.h"
#include "com/bstr_util.h"

static int is_xml_char(uint32_t c)
{
    if (c < 0x20) return c == 0x9 || c == 0xA || c == 0xD;
    if (c <= 0xD7FF) return 1;
    if (c >= 0xE000 && c <= 0xFFFD) return 1;
    return c >= 0x10000 && c <= 0x10FFFF;
}

/* Decodes one UTF-8 sequence at s (n bytes left): its length, or 0 when malformed (overlong,
 * surrogate, beyond U+10FFFF, truncated). */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len, i;
    uint32_t c, min;
    if (s[0] < 0x80)
    {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0)
        len = 2, c = s[0] & 0x1F, min = 0x80;
    else if ((s[0] & 0xF0) == 0xE0)
        len = 3, c = s[0] & 0x0F, min = 0x800;
    else if ((s[0] & 0xF8) == 0xF0)
        len = 4, c = s[0] & 0x07, min = 0x10000;
    else
        return 0;
    if (n < len) return 0;
    for (i = 1; i < len; i++)
    {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return len;
}

const char *rtcpm_xml_utf8_check(const char *buf, size_t len, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;
    while (i < len)
    {
        uint32_t c;
        size_t n = decode(s + i, len - i, &c);
        if (!n)
        {
            *bad = i;
            return "not UTF-8";
        }
        if (!is_xml_char(c))
        {
            *bad = i;
            return c == 0 ? "NUL byte" : "character not allowed in XML";
        }
        i += n;
    }
    return NULL;
}

static int digit_value(char ch, int hex)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (!hex) return -1;
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

int rtcpm_xml_utf8_charref(const char **p, const char *end, char utf8[4], size_t *n)
{
    const char *s = *p + 1; /* after '#' */
    int hex = 0, digits = 0, d;
    uint32_t c = 0;
    if (s < end && *s == 'x')
    {
        hex = 1;
        s++;
    }
    for (; s < end && (d = digit_value(*s, hex)) >= 0; s++)
    {
        if (++digits > 8) return -1;
        c = c * (hex ? 16u : 10u) + (uint32_t)d;
    }
    if (!digits || s >= end || *s != ';' || !is_xml_char(c)) return -1;
    *p = s + 1;
    *n = rtcpm_utf8_encode(c, utf8);
    return 0;
}

void rtcpm_xml_utf8_locate(const char *start, size_t offset, const char *msg, struct rtcpm_xml_error *err)
{
    size_t i;
    err->line = 1;
    err->column = 1;
    for (i = 0; i < offset; i++)
    {
        if (start[i] == '\n')
        {
            err->line++;
            err->column = 1;
        }
        else
            err->column++;
    }
    snprintf(err->message, sizeof(err->message), "%s", msg);
}
