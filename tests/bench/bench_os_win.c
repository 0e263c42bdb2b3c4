/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_os_win.c — bench.h's OS services on Windows targets (run under wine64 here).
 */
#include <stdio.h>
#include "bench.h"
#include "rtcpm/rtcpm.h"

const char *bench_platform(void)
{
    static char name[64];
    typedef const char *(CDECL * wine_get_version_fn)(void);
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    wine_get_version_fn wine_version =
        ntdll ? (wine_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "wine_get_version") : NULL;
    if (wine_version)
        snprintf(name, sizeof(name), "wine%s %s", sizeof(void *) == 8 ? "64" : "", wine_version());
    else
        snprintf(name, sizeof(name), "windows %s", sizeof(void *) == 8 ? "x64" : "x86");
    return name;
}

const char *bench_bstr_runtime(void) { return "oleaut32"; }

long long bench_heap_bytes(void) { return -1; }
long long bench_rss_bytes(void) { return -1; }

int bench_spawn(const char *const *argv)
{
    (void)argv;
    return -1;
}

double bench_cpu_ns(void)
{
    FILETIME created, exited, kernel, user;
    if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user)) return 0;
    /* 100 ns units */
    double k = ((double)kernel.dwHighDateTime * 4294967296.0 + kernel.dwLowDateTime) * 100.0;
    double u = ((double)user.dwHighDateTime * 4294967296.0 + user.dwLowDateTime) * 100.0;
    return k + u;
}
