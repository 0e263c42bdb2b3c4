/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_bstr.c — row 2: allocating and freeing BSTRs of typical address strings, with
 * whichever BSTR runtime the build has: rtcpm's (native builds) or oleaut32 (MinGW builds,
 * Wine's oleaut32 when run under wine64, with its BSTR cache on as applications get it).
 * scripts/bench.sh joins the native run's B with the wine64 run's A.
 */
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "rtcpm/rtcpm.h"

/* What port managers hand RTC: IPv4 and IPv6 addresses, 11 to 29 characters. */
static const WCHAR *const addresses[4] = {
    RTCPM_W("192.168.1.10"),
    RTCPM_W("198.51.100.7"),
    RTCPM_W("2001:db8::1"),
    RTCPM_W("2001:db8:85a3::8a2e:370:7334"),
};

BENCH_NOINLINE void bench_kernel_bstr(void *ctx, uint64_t n)
{
    uint64_t i;
    (void)ctx;
    for (i = 0; i < n; i++)
    {
        BSTR b = SysAllocString(addresses[i & 3]);
        if (!b)
        {
            bench_fail("SysAllocString: out of memory");
            return;
        }
        SysFreeString(b);
    }
}

/* The floor under any BSTR runtime: the C heap's malloc + copy + free of the same bytes. */
BENCH_NOINLINE void bench_kernel_malloc(void *ctx, uint64_t n)
{
    uint64_t i;
    (void)ctx;
    for (i = 0; i < n; i++)
    {
        const WCHAR *s = addresses[i & 3];
        size_t len = 0;
        char *p;
        while (s[len]) len++;
        p = malloc(4 + (len + 1) * sizeof(WCHAR));
        if (!p)
        {
            bench_fail("malloc: out of memory");
            return;
        }
        memcpy(p + 4, s, (len + 1) * sizeof(WCHAR));
        free(*(char *volatile *)&p); /* volatile: the compiler may not drop the pair */
    }
}

void bench_row_bstr(void)
{
    struct bench_side wine = { 0 }, native = { 0 };
    const char *runtime = bench_bstr_runtime();
    int ole = strstr(runtime, "oleaut32") != NULL;
    struct bench_side *mine = ole ? &wine : &native;

    wine.what = "Wine's oleaut32 (the mingw64 .exe under wine64)";
    native.what = "rtcpm's native BSTR runtime (src/com/bstr.c)";
    bench_one_ns(bench_kernel_bstr, NULL, mine);
    bench_add_row("2", "BSTR `SysAllocString` + `SysFreeString` of an address string (4 kinds, 11-29 chars)", "ns",
                  &wine, &native, GOAL_RATIO_LE, 1.0, "native <= Wine (B/A <= 1)");
}

int bench_callgrind_bstr(const char *kernel, uint64_t iterations)
{
    if (!strcmp(kernel, "bstr"))
        bench_kernel_bstr(NULL, iterations);
    else if (!strcmp(kernel, "malloc"))
        bench_kernel_malloc(NULL, iterations);
    else
        return -1;
    return bench_failed();
}
