/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench.h — the benchmark's measuring and reporting (tests/bench, README "Benchmarks").
 *
 * A row compares two sides, A and B, measured side by side in the same run: the two kernels
 * take turns, `reps` times each (A, B, A, B, ...), so both see the same machine load; each
 * side's value is the median of its repetitions and its spread is (max - min) / 2 as a
 * percentage of the median. The ratio is always B / A; a row's goal says what it must be.
 *
 * A kernel runs `n` operations of one kind; the number of operations per repetition is
 * calibrated once so that a repetition lasts about opts.sample_ms.
 */
#ifndef RTCPM_TESTS_BENCH_H
#define RTCPM_TESTS_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include "rtcpm/rtcpm.h"
#include "net/addr.h"

#if defined(__GNUC__)
#define BENCH_NOINLINE __attribute__((noinline))
#else
#define BENCH_NOINLINE
#endif

struct bench_opts
{
    int short_mode;          /* --short: a few seconds in all (ctest -L bench) */
    int reps;                /* repetitions per side */
    double sample_ms;        /* target length of one repetition */
    unsigned rows;           /* bit r: row r is wanted */
    const char *csv_path;    /* --csv */
    const char *stun_server; /* --stun-server HOST:PORT (row 6) */
    const char *stunclient;  /* --stunclient PATH: coturn's turnutils_stunclient */
    const char *rtcpm_stun;  /* --rtcpm-stun PATH: samples/rtcpm-stun */
    /* rows 13-14 (tests/bench/natpm_bench.sh, inside the e2e client namespace) */
    const char *pcp_gateway;   /* --gateway IP: miniupnpd's PCP / NAT-PMP server */
    const char *local_address; /* --local-address IP: the client's LAN address */
    const char *natpmpc;       /* --natpmpc PATH: Debian's natpmpc */
    const char *upnp_url;      /* --upnp-url URL: the IGD's root description */
    const char *upnpc;         /* --upnpc PATH: Debian's upnpc (miniupnpc) */
};

extern struct bench_opts bench_opts;

/* A kernel: n operations; ctx is the kernel's own. */
typedef void (*bench_kernel)(void *ctx, uint64_t n);

/* One side's result: median and spread of the repetitions, in the row's unit. */
struct bench_side
{
    int present;      /* 0: this side is not measured in this run (e.g. needs wine64) */
    const char *what; /* exactly what this side does */
    double value;     /* median */
    double spread;    /* (max - min) / 2 / median, in percent */
};

enum bench_goal
{
    GOAL_NONE,     /* figures to report */
    GOAL_RATIO_LE, /* B / A <= goal */
    GOAL_BOTH_LE,  /* A <= goal and B <= goal */
    GOAL_B_GE      /* B >= goal */
};

/* Per-operation time of each kernel in ns, interleaved (see above). */
void bench_pair_ns(bench_kernel a, void *a_ctx, bench_kernel b, void *b_ctx, struct bench_side *ra,
                   struct bench_side *rb);
/* The same for one kernel alone. */
void bench_one_ns(bench_kernel k, void *ctx, struct bench_side *r);
/* Median / spread of `count` raw samples into r (samples are reordered). */
void bench_summarize(double *samples, int count, struct bench_side *r);
/* Converts a side in ns per operation into operations per second. */
void bench_to_rate(struct bench_side *r);

/* Appends a row to the table (strings are copied). */
void bench_add_row(const char *id, const char *name, const char *unit, const struct bench_side *a,
                   const struct bench_side *b, enum bench_goal goal, double goal_value, const char *goal_text);

/* Something went wrong while measuring (a call failed): printed, and the run exits 1. */
void bench_fail(const char *fmt, ...);
int bench_failed(void);

/* Prints the markdown table, writes the CSV (when asked); returns 0, or 1 when a value is not
 * finite and positive or a failure was reported. */
int bench_report(const char *platform);

/* ---- OS services (bench_os_posix.c / bench_os_win.c) ---- */

/* "native x86_64", "native i386", "wine64 8.0", "windows" */
const char *bench_platform(void);
/* Which BSTR allocator this build uses, for row 2. */
const char *bench_bstr_runtime(void);
/* Bytes the C heap holds (mallinfo2: arena + mmapped), or -1 where unknown. */
long long bench_heap_bytes(void);
/* Resident set size in bytes (/proc/self/statm), or -1 where unknown. */
long long bench_rss_bytes(void);
/* Runs argv[0] with argv, output to the null device; its exit status, or -1. */
int bench_spawn(const char *const *argv);
/* CPU time this process has used (user + system, every thread), in ns. */
double bench_cpu_ns(void);

/* ---- the port manager every PM row calls (bench_pm.c) ---- */

struct pm_ctx
{
    IRTCPortManager3 *pm;
    BSTR remote;     /* "203.0.113.5" as a BSTR (the caller's, as RTC passes it) */
    rtcpm_addr peer; /* the same, binary, with port 5004 */
};

/* A static port manager with `rules` rules of `ports` ports each, any port type, UDP:
 * 10.0.<k/250>.<k%250+1>:1024.. -> 198.51.<100+k/250>.<k%250+1>:1024.. 0 or -1. */
int pm_ctx_open(struct pm_ctx *c, unsigned rules, unsigned ports);
/* Releases c->pm (whatever it points to by then) and the BSTR. */
void pm_ctx_close(struct pm_ctx *c);
/* n x (GetMappingEx + ReleaseMappingEx + 2 SysFreeString) through c->pm's vtable. */
void bench_kernel_vtable(void *ctx, uint64_t n);

/* ---- the rows ---- */
void bench_rows_pm(void);     /* 1, 3, 4 */
void bench_row_bstr(void);    /* 2 */
void bench_row_host(void);    /* 5 */
void bench_row_stun(void);    /* 6 */
void bench_row_marshal(void); /* 7 (Windows targets) */
void bench_row_media(void);   /* 8 */
void bench_rows_natpm(void);  /* 13, 14 (against miniupnpd) */

/* Callgrind mode: runs one kernel `iterations` times and nothing else (scripts/bench.sh
 * counts its instructions with --toggle-collect). 0, 1 when a call failed, -1 for an unknown
 * kernel. */
int bench_callgrind_pm(const char *kernel, unsigned long size, uint64_t iterations);
int bench_callgrind_bstr(const char *kernel, uint64_t iterations);
int bench_callgrind_host(const char *kernel, uint64_t iterations);

#endif /* RTCPM_TESTS_BENCH_H */
