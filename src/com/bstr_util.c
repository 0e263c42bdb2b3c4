/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bstr_util.c — BSTR <-> UTF-8 conversion, strict both ways.
 */
#include <stdint.h>
#include <string.h>
#include "bstr_util.h"

/* The code point at b[*i] (a surrogate pair: both units, *i moved to the low one). 0, or -1
 * for a NUL or an unpaired surrogate. */
static int utf16_next(BSTR b, UINT n, UINT *i, uint32_t *cp)
{
    uint32_t c = b[*i];

    if (c == 0) return -1;
    if (c >= 0xD800 && c <= 0xDBFF)
    {
        if (*i + 1 >= n || b[*i + 1] < 0xDC00 || b[*i + 1] > 0xDFFF) return -1;
        c = 0x10000 + ((c - 0xD800) << 10) + (b[*i + 1] - 0xDC00u);
        (*i)++;
    }
    else if (c >= 0xDC00 && c <= 0xDFFF)
        return -1;
    *cp = c;
    return 0;
}

size_t rtcpm_utf8_encode(uint32_t c, char out[4])
{
    if (c < 0x80)
    {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800)
    {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000)
    {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

HRESULT rtcpm_bstr_to_utf8(BSTR b, char *buf, size_t buflen, size_t *len)
{
    UINT n = SysStringLen(b), i;
    size_t o = 0;

    if (len) *len = 0;
    if (!buf || !buflen) return E_POINTER;
    buf[0] = 0;
    /* Fast path: the ASCII prefix (all of an address) is copied unit by unit; the general
     * loop below takes over at the first other character. */
    for (i = 0; i < n && b[i] < 0x80 && b[i]; i++)
    {
        if (o + 1 >= buflen)
        {
            buf[0] = 0;
            return HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER);
        }
        buf[o++] = (char)b[i];
    }
    for (; i < n; i++)
    {
        uint32_t c;
        char tmp[4];
        size_t k;

        if (utf16_next(b, n, &i, &c)) return E_INVALIDARG;
        k = rtcpm_utf8_encode(c, tmp);
        if (o + k >= buflen)
        {
            buf[0] = 0;
            return HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER);
        }
        memcpy(buf + o, tmp, k);
        o += k;
    }
    buf[o] = 0;
    if (len) *len = o;
    return S_OK;
}

/* Decodes one UTF-8 sequence; returns its length or 0 when invalid (overlong, surrogate,
 * out of range, truncated). */
static size_t utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp)
{
    uint32_t c = s[0];
    size_t n, i;

    if (c < 0x80)
    {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0)
    {
        n = 2;
        c &= 0x1F;
    }
    else if ((c & 0xF0) == 0xE0)
    {
        n = 3;
        c &= 0x0F;
    }
    else if ((c & 0xF8) == 0xF0)
    {
        n = 4;
        c &= 0x07;
    }
    else
        return 0;
    if (n > avail) return 0;
    for (i = 1; i < n; i++)
    {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000)) return 0;
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return n;
}

BSTR rtcpm_bstr_from_utf8(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, units = 0;
    BSTR b;
    UINT o = 0;

    if (!s && len) return NULL;
    /* Fast path: pure ASCII (every address) needs neither decoding nor a counting pass. */
    while (i < len && u[i] && u[i] < 0x80) i++;
    if (i == len)
    {
        if (len > 0x3ffffff0u || !(b = SysAllocStringLen(NULL, (UINT)len))) return NULL;
        for (i = 0; i < len; i++) b[i] = (WCHAR)u[i];
        return b;
    }
    /* first pass: validate and count UTF-16 units */
    units = i;
    while (i < len)
    {
        uint32_t cp;
        size_t n = utf8_decode(u + i, len - i, &cp);
        if (!n) return NULL;
        units += cp >= 0x10000 ? 2 : 1;
        i += n;
    }
    if (units > 0x3ffffff0u) return NULL;
    b = SysAllocStringLen(NULL, (UINT)units);
    if (!b) return NULL;
    for (i = 0; i < len;)
    {
        uint32_t cp;
        i += utf8_decode(u + i, len - i, &cp);
        if (cp >= 0x10000)
        {
            cp -= 0x10000;
            b[o++] = (WCHAR)(0xD800 + (cp >> 10));
            b[o++] = (WCHAR)(0xDC00 + (cp & 0x3FF));
        }
        else
            b[o++] = (WCHAR)cp;
    }
    return b;
}

BSTR rtcpm_bstr_from_cstr(const char *s) { return rtcpm_bstr_from_utf8(s, s ? strlen(s) : 0); }

int rtcpm_bstr_equal(BSTR a, BSTR b)
{
    UINT la = SysStringLen(a), lb = SysStringLen(b);
    if (la != lb) return 0;
    return la == 0 || !memcmp(a, b, (size_t)la * sizeof(WCHAR));
}
