/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bstr.c — the BSTR runtime for non-Windows builds, laid out as oleaut32's:
 *
 *   [DWORD byte length][payload bytes ...][two NUL bytes]
 *                      ^ the BSTR points here
 *
 * The length prefix counts payload bytes (not characters, not the terminator), so
 * SysAllocStringByteLen can make odd-length strings; a NULL BSTR is the empty string.
 * On Windows (and under Wine) oleaut32 provides these functions: only the live count
 * below is compiled there.
 */
#include "rtcpm/diag.h"

#ifdef _WIN32

LONG rtcpm_live_bstrs(void) { return -1; }

#else

#include <stdlib.h>
#include <string.h>

static LONG live_bstrs;

LONG rtcpm_live_bstrs(void) { return InterlockedCompareExchange(&live_bstrs, 0, 0); }

/* Largest byte length oleaut32 accepts; above it allocation fails (keeps the size in DWORD). */
#define BSTR_MAX_BYTES 0x7ffffff0u

static DWORD *bstr_header(BSTR b) { return (DWORD *)((char *)b - sizeof(DWORD)); }

/* Allocates room for `bytes` payload bytes plus the NUL terminator, zeroed. */
static BSTR bstr_alloc(UINT bytes)
{
    DWORD *block;

    if (bytes > BSTR_MAX_BYTES) return NULL;
    /* header + payload + WCHAR terminator, rounded so an odd payload still ends in two NULs */
    block = calloc(1, sizeof(DWORD) + (size_t)bytes + sizeof(WCHAR) + 1);
    if (!block) return NULL;
    block[0] = bytes;
    InterlockedIncrement(&live_bstrs);
    return (BSTR)(block + 1);
}

static UINT wcslen16(const OLECHAR *s)
{
    UINT n = 0;
    while (s[n]) n++;
    return n;
}

BSTR WINAPI SysAllocStringByteLen(const char *str, UINT len)
{
    BSTR b = bstr_alloc(len);
    if (b && str) memcpy(b, str, len);
    return b;
}

BSTR WINAPI SysAllocStringLen(const OLECHAR *str, UINT len)
{
    BSTR b;
    if (len > BSTR_MAX_BYTES / sizeof(OLECHAR)) return NULL;
    b = bstr_alloc(len * (UINT)sizeof(OLECHAR));
    if (b && str) memcpy(b, str, (size_t)len * sizeof(OLECHAR));
    return b;
}

BSTR WINAPI SysAllocString(const OLECHAR *str)
{
    if (!str) return NULL;
    return SysAllocStringLen(str, wcslen16(str));
}

void WINAPI SysFreeString(BSTR str)
{
    if (!str) return;
    InterlockedDecrement(&live_bstrs);
    free(bstr_header(str));
}

UINT WINAPI SysStringByteLen(BSTR str) { return str ? bstr_header(str)[0] : 0; }

UINT WINAPI SysStringLen(BSTR str) { return str ? bstr_header(str)[0] / (UINT)sizeof(OLECHAR) : 0; }

/* Both ReAlloc functions allocate the new string before freeing the old one, so the
 * source may point into the old string, as oleaut32 allows. */
INT WINAPI SysReAllocStringLen(BSTR *old, const OLECHAR *str, UINT len)
{
    BSTR b;

    if (!old) return FALSE;
    if (len > BSTR_MAX_BYTES / sizeof(OLECHAR)) return FALSE;
    b = bstr_alloc(len * (UINT)sizeof(OLECHAR));
    if (!b) return FALSE;
    if (str)
        memcpy(b, str, (size_t)len * sizeof(OLECHAR));
    else if (*old) /* NULL source keeps the old contents, as far as they reach */
    {
        UINT keep = SysStringLen(*old) < len ? SysStringLen(*old) : len;
        memcpy(b, *old, (size_t)keep * sizeof(OLECHAR));
    }
    SysFreeString(*old);
    *old = b;
    return TRUE;
}

INT WINAPI SysReAllocString(BSTR *old, const OLECHAR *str)
{
    BSTR b;

    if (!old) return FALSE;
    b = SysAllocString(str);
    if (str && !b) return FALSE;
    SysFreeString(*old);
    *old = b;
    return TRUE;
}

#endif /* !_WIN32 */
