/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_main.c — rtcpm's benchmark (README "Benchmarks"): prints one markdown table, writes
 * it as CSV. scripts/bench.sh runs it natively and under wine64 and merges the two.
 *
 *   rtcpm_bench [--short] [--rows 1,2,...] [--csv FILE] [--reps N] [--sample-ms MS]
 *               [--stun-server HOST:PORT --stunclient PATH --rtcpm-stun PATH]
 *               [--gateway IP --local-address IP --natpmpc PATH --upnp-url URL --upnpc PATH]
 *   rtcpm_bench --callgrind KERNEL [--size N] --iterations K
 *
 * --short: 3 repetitions of ~3 ms per side, up to 10^5 mappings: a few seconds (ctest -L
 * bench, which checks that every value is finite and positive; goals are only reported).
 * --callgrind: runs one kernel K times and nothing else, for valgrind --tool=callgrind
 * --toggle-collect=bench_kernel_KERNEL: c, vtable (rows 1 and 3; --size = live mappings),
 * bstr, malloc (row 2), host, host_pm_only (row 5).
 * Rows 13 and 14 (only when asked by --rows) need a PCP / UPnP router: natpm_bench.sh.
 * Exit status: 0; 1 when a call failed or a value is not finite and positive; 64 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "rtcpm/version.h"

/* Usage on stdout for --help (exit 0), on stderr for a bad command line: EX_USAGE (64). */
static int usage_to(FILE *f)
{
    fprintf(f, "usage: rtcpm_bench [--short] [--rows 1,2,...] [--csv FILE] [--reps N] [--sample-ms MS]\n"
               "                   [--stun-server HOST:PORT --stunclient PATH --rtcpm-stun PATH]\n"
               "                   [--gateway IP --local-address IP --natpmpc PATH --upnp-url URL --upnpc PATH]\n"
               "       rtcpm_bench --callgrind c|vtable|bstr|malloc|host|host_pm_only [--size N] --iterations K\n"
               "       rtcpm_bench --help | --version\n"
               "README \"Benchmarks\" says what each row measures.\n");
    return 64;
}

static int usage(void) { return usage_to(stderr); }

static unsigned parse_rows(const char *s)
{
    unsigned rows = 0;
    while (*s)
    {
        char *end;
        long r = strtol(s, &end, 10);
        /* 9-12 are tests/bench/rtc_bench.sh's */
        if (end == s || r < 1 || (r > 8 && r < 13) || r > 14) return 0;
        rows |= 1u << r;
        s = *end == ',' ? end + 1 : end;
        if (*end && *end != ',') return 0;
    }
    return rows;
}

int main(int argc, char **argv)
{
    const char *callgrind = NULL;
    unsigned long size = 0;
    unsigned long long iterations = 0;
    int i, reps = 0;
    double sample_ms = 0;

    bench_opts.rows = 0x1fe;
    for (i = 1; i < argc; i++)
    {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--short"))
            bench_opts.short_mode = 1;
        else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
        {
            usage_to(stdout);
            return 0;
        }
        else if (!strcmp(a, "--version"))
        {
            printf("rtcpm_bench (rtcpm) %s\n", RTCPM_VERSION);
            return 0;
        }
        else if (!v)
            return usage();
        else
        {
            i++;
            if (!strcmp(a, "--rows"))
            {
                if (!(bench_opts.rows = parse_rows(v))) return usage();
            }
            else if (!strcmp(a, "--csv"))
                bench_opts.csv_path = v;
            else if (!strcmp(a, "--reps"))
                reps = atoi(v);
            else if (!strcmp(a, "--sample-ms"))
                sample_ms = atof(v);
            else if (!strcmp(a, "--stun-server"))
                bench_opts.stun_server = v;
            else if (!strcmp(a, "--stunclient"))
                bench_opts.stunclient = v;
            else if (!strcmp(a, "--rtcpm-stun"))
                bench_opts.rtcpm_stun = v;
            else if (!strcmp(a, "--gateway"))
                bench_opts.pcp_gateway = v;
            else if (!strcmp(a, "--local-address"))
                bench_opts.local_address = v;
            else if (!strcmp(a, "--natpmpc"))
                bench_opts.natpmpc = v;
            else if (!strcmp(a, "--upnp-url"))
                bench_opts.upnp_url = v;
            else if (!strcmp(a, "--upnpc"))
                bench_opts.upnpc = v;
            else if (!strcmp(a, "--callgrind"))
                callgrind = v;
            else if (!strcmp(a, "--size"))
                size = strtoul(v, NULL, 10);
            else if (!strcmp(a, "--iterations"))
                iterations = strtoull(v, NULL, 10);
            else
                return usage();
        }
    }

    if (callgrind)
    {
        int r;
        if (!iterations) return usage();
        r = bench_callgrind_pm(callgrind, size, iterations);
        if (r < 0) r = bench_callgrind_bstr(callgrind, iterations);
        if (r < 0) r = bench_callgrind_host(callgrind, iterations);
        if (r < 0) return usage();
        return r ? 1 : 0;
    }

    bench_opts.reps = reps > 0 ? reps : bench_opts.short_mode ? 3 : 11;
    bench_opts.sample_ms = sample_ms > 0 ? sample_ms : bench_opts.short_mode ? 3 : 40;
    bench_rows_pm();
    if (bench_opts.rows & (1u << 2)) bench_row_bstr();
    if (bench_opts.rows & (1u << 5)) bench_row_host();
    if (bench_opts.rows & (1u << 6)) bench_row_stun();
    if (bench_opts.rows & (1u << 7)) bench_row_marshal();
    if (bench_opts.rows & (1u << 8)) bench_row_media();
    if (bench_opts.rows & (3u << 13)) bench_rows_natpm();
    return bench_report(bench_platform());
}
