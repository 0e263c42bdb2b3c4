/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bstr_util.h — BSTR <-> UTF-8, for code that parses or prints what COM hands it.
 */
#ifndef RTCPM_SRC_BSTR_UTIL_H
#define RTCPM_SRC_BSTR_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include "rtcpm/rtcpm.h"

/* UTF-16 BSTR to a NUL-terminated UTF-8 copy in buf. NULL BSTR is "".
 * Returns S_OK, E_INVALIDARG for an embedded NUL or an unpaired surrogate, or
 * E_OUTOFMEMORY... never: it returns HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER)
 * when buf is too small. *len (optional) gets the byte length. */
HRESULT rtcpm_bstr_to_utf8(BSTR b, char *buf, size_t buflen, size_t *len);

/* A new BSTR from len bytes of UTF-8; NULL on invalid UTF-8 or no memory. */
BSTR rtcpm_bstr_from_utf8(const char *s, size_t len);

/* A new BSTR from a NUL-terminated ASCII/UTF-8 string. */
BSTR rtcpm_bstr_from_cstr(const char *s);

/* Code point c (at most U+10FFFF, not a surrogate) as UTF-8 into out; returns its length,
 * 1 to 4. The one encoder of the library (the XML parser's character references use it). */
size_t rtcpm_utf8_encode(uint32_t c, char out[4]);

/* 1 when the two BSTRs hold the same characters (NULL equals ""). */
int rtcpm_bstr_equal(BSTR a, BSTR b);

#endif /* RTCPM_SRC_BSTR_UTIL_H */
