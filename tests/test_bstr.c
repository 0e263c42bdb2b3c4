/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_bstr.c — BSTR layout and semantics. The same suite runs against rtcpm's native
 * runtime and, cross-compiled, against Wine's oleaut32: both must agree.
 */
#include <string.h>
#include "harness.h"
#include "com/bstr_util.h"

static DWORD prefix(BSTR b) { return ((DWORD *)b)[-1]; }

static void test_alloc_string(void)
{
    BSTR b = SysAllocString(RTCPM_W("abc"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(SysStringLen(b), 3);
    CU_ASSERT_EQUAL(SysStringByteLen(b), 6);
    CU_ASSERT_EQUAL(prefix(b), 6);
    CU_ASSERT_EQUAL(b[0], 'a');
    CU_ASSERT_EQUAL(b[2], 'c');
    CU_ASSERT_EQUAL(b[3], 0);
    SysFreeString(b);
}

static void test_null_is_empty(void)
{
    BSTR e = SysAllocString(RTCPM_W(""));
    CU_ASSERT_PTR_NULL(SysAllocString(NULL));
    CU_ASSERT_EQUAL(SysStringLen(NULL), 0);
    CU_ASSERT_EQUAL(SysStringByteLen(NULL), 0);
    SysFreeString(NULL); /* must be a no-op */
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(SysStringLen(e), 0);
    CU_ASSERT_EQUAL(prefix(e), 0);
    CU_ASSERT_EQUAL(e[0], 0);
    CU_ASSERT_TRUE(rtcpm_bstr_equal(NULL, e));
    SysFreeString(e);
}

static void test_alloc_len_embedded_nul(void)
{
    static const WCHAR src[] = { 'a', 0, 'b', 'c' };
    BSTR b = SysAllocStringLen(src, 4);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(SysStringLen(b), 4);
    CU_ASSERT_EQUAL(prefix(b), 8);
    CU_ASSERT_EQUAL(memcmp(b, src, sizeof(src)), 0);
    CU_ASSERT_EQUAL(b[4], 0);
    SysFreeString(b);

    b = SysAllocStringLen(NULL, 5); /* room only: length set, terminated */
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(SysStringLen(b), 5);
    CU_ASSERT_EQUAL(b[5], 0);
    SysFreeString(b);

    b = SysAllocStringLen(RTCPM_W("abcdef"), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(SysStringLen(b), 0);
    CU_ASSERT_EQUAL(b[0], 0);
    SysFreeString(b);
}

static void test_alloc_byte_len(void)
{
    BSTR b = SysAllocStringByteLen("abc", 3);
    const unsigned char *p = (const unsigned char *)b;
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(SysStringByteLen(b), 3);
    CU_ASSERT_EQUAL(SysStringLen(b), 1); /* whole characters only */
    CU_ASSERT_EQUAL(prefix(b), 3);
    CU_ASSERT_EQUAL(memcmp(p, "abc", 3), 0);
    CU_ASSERT_EQUAL(p[3], 0);
    CU_ASSERT_EQUAL(p[4], 0);
    SysFreeString(b);

    b = SysAllocStringByteLen(NULL, 4);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(SysStringByteLen(b), 4);
    CU_ASSERT_EQUAL(SysStringLen(b), 2);
    CU_ASSERT_EQUAL(b[2], 0);
    SysFreeString(b);
}

static void test_large(void)
{
    const UINT n = 1u << 20; /* 1 Mi characters */
    BSTR b = SysAllocStringLen(NULL, n);
    UINT i;
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    for (i = 0; i < n; i++) b[i] = (WCHAR)(i & 0x7fff) + 1;
    CU_ASSERT_EQUAL(SysStringLen(b), n);
    CU_ASSERT_EQUAL(SysStringByteLen(b), 2 * n);
    CU_ASSERT_EQUAL(b[n - 1], (WCHAR)((n - 1) & 0x7fff) + 1);
    CU_ASSERT_EQUAL(b[n], 0);
    SysFreeString(b);
}

static void test_overflow_fails(void)
{
    CU_ASSERT_PTR_NULL(SysAllocStringLen(NULL, 0xFFFFFFFFu));
    CU_ASSERT_PTR_NULL(SysAllocStringLen(NULL, 0x80000000u));
    CU_ASSERT_PTR_NULL(SysAllocStringByteLen(NULL, 0xFFFFFFFFu));
}

static void test_realloc_string(void)
{
    BSTR b = SysAllocString(RTCPM_W("abc"));
    CU_ASSERT_TRUE(SysReAllocString(&b, RTCPM_W("a longer string")));
    CU_ASSERT_BSTR_EQUAL(b, RTCPM_W("a longer string"));
    /* the source may lie inside the old string */
    CU_ASSERT_TRUE(SysReAllocString(&b, b + 2));
    CU_ASSERT_BSTR_EQUAL(b, RTCPM_W("longer string"));
    CU_ASSERT_TRUE(SysReAllocString(&b, NULL));
    CU_ASSERT_PTR_NULL(b);
    CU_ASSERT_TRUE(SysReAllocString(&b, RTCPM_W("x")));
    CU_ASSERT_BSTR_EQUAL(b, RTCPM_W("x"));
    SysFreeString(b);
}

static void test_realloc_string_len(void)
{
    BSTR b = NULL;
    CU_ASSERT_TRUE(SysReAllocStringLen(&b, RTCPM_W("xyz"), 2));
    CU_ASSERT_BSTR_EQUAL(b, RTCPM_W("xy"));
    CU_ASSERT_TRUE(SysReAllocStringLen(&b, RTCPM_W("abcdef"), 6));
    CU_ASSERT_BSTR_EQUAL(b, RTCPM_W("abcdef"));
    /* NULL source: the old characters stay, cut to the new length */
    CU_ASSERT_TRUE(SysReAllocStringLen(&b, NULL, 3));
    CU_ASSERT_EQUAL(SysStringLen(b), 3);
    CU_ASSERT_BSTR_EQUAL(b, RTCPM_W("abc"));
    CU_ASSERT_EQUAL(b[3], 0);
    CU_ASSERT_FALSE(SysReAllocStringLen(&b, RTCPM_W("q"), 0xFFFFFFFFu));
    CU_ASSERT_BSTR_EQUAL(b, RTCPM_W("abc")); /* a failed realloc leaves the string alone */
    SysFreeString(b);
}

static void test_live_count(void)
{
    LONG before = rtcpm_live_bstrs();
    BSTR a, b;
    if (!rtcpm_test_counts_bstrs())
    {
        CU_ASSERT_EQUAL(before, -1); /* oleaut32 keeps no count: documented as -1 */
        return;
    }
    a = SysAllocString(RTCPM_W("a"));
    b = SysAllocStringByteLen("b", 1);
    CU_ASSERT_EQUAL(rtcpm_live_bstrs(), before + 2);
    SysFreeString(a);
    CU_ASSERT_EQUAL(rtcpm_live_bstrs(), before + 1);
    SysFreeString(b);
    SysFreeString(NULL);
    CU_ASSERT_EQUAL(rtcpm_live_bstrs(), before);
}

static void test_utf8_round_trip(void)
{
    /* ASCII, 2-byte, 3-byte and a 4-byte (surrogate pair) character */
    const char text[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    static const WCHAR expect[] = { 'a', 0xE9, 0x20AC, 0xD83D, 0xDE00 };
    char back[32];
    size_t len;
    BSTR b = rtcpm_bstr_from_utf8(text, sizeof(text) - 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(SysStringLen(b), 5);
    CU_ASSERT_EQUAL(memcmp(b, expect, sizeof(expect)), 0);
    CU_ASSERT_EQUAL(rtcpm_bstr_to_utf8(b, back, sizeof(back), &len), S_OK);
    CU_ASSERT_EQUAL(len, sizeof(text) - 1);
    CU_ASSERT_STRING_EQUAL(back, text);
    CU_ASSERT_EQUAL(rtcpm_bstr_to_utf8(b, back, 5, &len), (HRESULT)0x8007007A); /* too small */
    CU_ASSERT_EQUAL(back[0], 0);
    SysFreeString(b);
}

static void test_utf8_rejects(void)
{
    static const WCHAR lone[] = { 'a', 0xD800, 'b' };
    static const WCHAR nul[] = { 'a', 0, 'b' };
    char out[16];
    BSTR b;
    CU_ASSERT_PTR_NULL(rtcpm_bstr_from_utf8("\xC0\xAF", 2));         /* overlong */
    CU_ASSERT_PTR_NULL(rtcpm_bstr_from_utf8("\xED\xA0\x80", 3));     /* surrogate */
    CU_ASSERT_PTR_NULL(rtcpm_bstr_from_utf8("\xE2\x82", 2));         /* truncated */
    CU_ASSERT_PTR_NULL(rtcpm_bstr_from_utf8("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
    b = SysAllocStringLen(lone, 3);
    CU_ASSERT_EQUAL(rtcpm_bstr_to_utf8(b, out, sizeof(out), NULL), E_INVALIDARG);
    SysFreeString(b);
    b = SysAllocStringLen(nul, 3);
    CU_ASSERT_EQUAL(rtcpm_bstr_to_utf8(b, out, sizeof(out), NULL), E_INVALIDARG);
    SysFreeString(b);
    CU_ASSERT_EQUAL(rtcpm_bstr_to_utf8(NULL, out, sizeof(out), NULL), S_OK);
    CU_ASSERT_STRING_EQUAL(out, "");
}

static CU_TestInfo tests[] = {
    { "alloc_string", test_alloc_string },
    { "null_is_empty", test_null_is_empty },
    { "alloc_len_embedded_nul", test_alloc_len_embedded_nul },
    { "alloc_byte_len", test_alloc_byte_len },
    { "large", test_large },
    { "overflow_fails", test_overflow_fails },
    { "realloc_string", test_realloc_string },
    { "realloc_string_len", test_realloc_string_len },
    { "live_count", test_live_count },
    { "utf8_round_trip", test_utf8_round_trip },
    { "utf8_rejects", test_utf8_rejects },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("bstr", tests, argc, argv); }
