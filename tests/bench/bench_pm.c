/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_pm.c — rows 1, 3 and 4: the static port manager's GetMappingEx + ReleaseMappingEx
 * through the COM vtable and as plain C, with 10^3..10^6 live mappings, from 1 and 2 threads.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "test_thread.h"
#include "rtcpm/rtcpm.h"
#include "pm/static_pm_private.h"
#include "pm/mapping_table.h"
#include "os/os_platform.h"

/* The remote end every lookup names (a peer's RTP address and port). */
#define REMOTE_TEXT "203.0.113.5"
#define REMOTE_PORT 5004

int pm_ctx_open(struct pm_ctx *c, unsigned rules, unsigned ports)
{
    unsigned k;

    memset(c, 0, sizeof(*c));
    if (FAILED(rtcpm_static_pm_create(&c->pm))) return -1;
    for (k = 0; k < rules; k++)
    {
        char in[32], ex[32];
        struct rtcpm_static_rule r;
        memset(&r, 0, sizeof(r));
        snprintf(in, sizeof(in), "10.0.%u.%u", k / 250, k % 250 + 1);
        snprintf(ex, sizeof(ex), "198.51.%u.%u", 100 + k / 250, k % 250 + 1);
        r.port_type = RTCPM_PORT_TYPE_ANY;
        r.transports = RTCTR_UDP;
        r.internal_address = in;
        r.internal_port_first = 1024;
        r.internal_port_last = (LONG)(1024 + ports - 1);
        r.external_address = ex;
        r.external_port_first = 1024;
        if (FAILED(rtcpm_static_pm_add_rule(c->pm, &r))) return -1;
    }
    c->remote = SysAllocString(RTCPM_W("203.0.113.5"));
    rtcpm_addr_parse(REMOTE_TEXT, strlen(REMOTE_TEXT), &c->peer);
    c->peer.port = REMOTE_PORT;
    return c->remote ? 0 : -1;
}

void pm_ctx_close(struct pm_ctx *c)
{
    if (c->pm) c->pm->lpVtbl->Release(c->pm);
    SysFreeString(c->remote);
    memset(c, 0, sizeof(*c));
}

/* Records n more mappings through the C entry point (they stay live). */
static int pm_ctx_fill(struct pm_ctx *c, unsigned long n)
{
    struct rtcpm_mapping m;
    unsigned long i;
    for (i = 0; i < n; i++)
    {
        HRESULT hr = rtcpm_static_pm_get_mapping(c->pm, RTCPT_AUDIO_RTP, RTCTR_UDP, &c->peer, &m);
        if (FAILED(hr))
        {
            bench_fail("fill: mapping %lu: 0x%08lx", i, (unsigned long)(ULONG)hr);
            return -1;
        }
    }
    return 0;
}

/* B of row 1, and rows 3 and 4: what RTC does for one port, through the vtable. */
BENCH_NOINLINE void bench_kernel_vtable(void *ctx, uint64_t n)
{
    struct pm_ctx *c = ctx;
    IRTCPortManager3 *pm = c->pm;
    uint64_t i;

    for (i = 0; i < n; i++)
    {
        BSTR ia = NULL, ea = NULL;
        LONG ip = 0, ep = 0;
        HRESULT hr =
            pm->lpVtbl->GetMappingEx(pm, c->remote, REMOTE_PORT, RTCTR_UDP, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep);
        if (FAILED(hr))
        {
            bench_fail("GetMappingEx: 0x%08lx", (unsigned long)(ULONG)hr);
            return;
        }
        hr = pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, ia, ip, ea, ep);
        SysFreeString(ia);
        SysFreeString(ea);
        if (FAILED(hr))
        {
            bench_fail("ReleaseMappingEx: 0x%08lx", (unsigned long)(ULONG)hr);
            return;
        }
    }
}

/* A of row 1: the same lookup and release as plain C calls, binary addresses. */
BENCH_NOINLINE void bench_kernel_c(void *ctx, uint64_t n)
{
    struct pm_ctx *c = ctx;
    uint64_t i;

    for (i = 0; i < n; i++)
    {
        struct rtcpm_mapping m;
        HRESULT hr = rtcpm_static_pm_get_mapping(c->pm, RTCPT_AUDIO_RTP, RTCTR_UDP, &c->peer, &m);
        if (SUCCEEDED(hr)) hr = rtcpm_static_pm_release_mapping(c->pm, RTCTR_UDP, &m.internal, &m.external);
        if (FAILED(hr))
        {
            bench_fail("static_pm_get/release_mapping: 0x%08lx", (unsigned long)(ULONG)hr);
            return;
        }
    }
}

static const char what_vtable[] =
    "COM: `pm->lpVtbl->GetMappingEx` (BSTR remote in, 2 BSTRs out) + `ReleaseMappingEx` (2 BSTRs in) "
    "+ 2 `SysFreeString`";
static const char what_c[] =
    "C: `rtcpm_static_pm_get_mapping` + `rtcpm_static_pm_release_mapping` (binary addresses, no BSTR; the functions "
    "the COM methods call)";

static void row_1(void)
{
    struct pm_ctx c;
    struct bench_side a = { 0 }, b = { 0 };

    if (pm_ctx_open(&c, 1, 100))
    {
        bench_fail("row 1: static port manager setup");
        return;
    }
    a.what = what_c;
    b.what = what_vtable;
    bench_pair_ns(bench_kernel_c, &c, bench_kernel_vtable, &c, &a, &b);
    bench_add_row("1", "GetMappingEx + ReleaseMappingEx, static PM, 0 other live mappings: COM vtable vs plain C", "ns",
                  &a, &b, GOAL_RATIO_LE, 1.3, "B/A <= 1.3");
    pm_ctx_close(&c);
}

/* ---- row 3: 10^3 .. 10^6 live mappings ---- */

/* Rules for n live mappings with room to spare: 64512 ports a rule (1024..65535). */
static unsigned rules_for(unsigned long n) { return (unsigned)(n * 5 / 4 / 64512 + 1); }

static void row_3(void)
{
    static const unsigned long full[] = { 1000, 10000, 100000, 1000000 };
    static const unsigned long brief[] = { 1000, 10000, 100000 };
    const unsigned long *sizes = bench_opts.short_mode ? brief : full;
    int count = bench_opts.short_mode ? 3 : 4, i;
    struct pm_ctx c[4];
    double table_bytes[4], heap_bytes[4], rss_bytes[4];

    memset(c, 0, sizeof(c));
    for (i = 0; i < count; i++)
    {
        long long heap0, rss0, heap1, rss1;
        heap0 = bench_heap_bytes();
        rss0 = bench_rss_bytes();
        if (pm_ctx_open(&c[i], rules_for(sizes[i]), 64512) || pm_ctx_fill(&c[i], sizes[i]))
        {
            bench_fail("row 3: setup of %lu mappings", sizes[i]);
            goto out;
        }
        heap1 = bench_heap_bytes();
        rss1 = bench_rss_bytes();
        if (rtcpm_static_pm_live_mappings(c[i].pm) != (LONG)sizes[i])
            bench_fail("row 3: %ld live mappings, expected %lu", (long)rtcpm_static_pm_live_mappings(c[i].pm),
                       sizes[i]);
        table_bytes[i] = (double)rtcpm_static_pm_table_memory(c[i].pm) / (double)sizes[i];
        heap_bytes[i] = heap0 >= 0 && heap1 >= 0 ? (double)(heap1 - heap0) / (double)sizes[i] : -1;
        rss_bytes[i] = rss0 >= 0 && rss1 >= 0 ? (double)(rss1 - rss0) / (double)sizes[i] : -1;
    }

    for (i = 1; i < count && !bench_failed(); i++)
    {
        struct bench_side a = { 0 }, b = { 0 };
        char name[160], wa[64], wb[64];
        snprintf(wa, sizeof(wa), "%lu live", sizes[0]);
        snprintf(wb, sizeof(wb), "%lu live", sizes[i]);
        a.what = wa;
        b.what = wb;
        bench_pair_ns(bench_kernel_vtable, &c[0], bench_kernel_vtable, &c[i], &a, &b);
        snprintf(name, sizeof(name),
                 "GetMappingEx + ReleaseMappingEx (COM, as row 1 B) with 10^%d vs 10^3 live mappings", i + 3);
        bench_add_row("3", name, "ns", &a, &b, sizes[i] >= 1000000 ? GOAL_RATIO_LE : GOAL_NONE, 1.5,
                      sizes[i] >= 1000000 ? "B/A <= 1.5" : "");
    }
    for (i = 0; i < count && !bench_failed(); i++)
    {
        struct bench_side a = { 0 }, b = { 0 };
        char name[160];
        a.what = "`rtcpm_mapping_table_memory()` / live";
        a.present = 1;
        a.value = table_bytes[i];
        b.what = "C heap growth (mallinfo2) / live";
        b.present = heap_bytes[i] > 0;
        b.value = heap_bytes[i];
        snprintf(name, sizeof(name), "bytes per mapping at 10^%d live mappings (static PM: table + rules)", i + 3);
        bench_add_row("3", name, "B", &a, &b, GOAL_BOTH_LE, 128, "<= 128 B");
    }
    if (!bench_failed() && count > 0 && rss_bytes[count - 1] > 0)
    {
        struct bench_side a = { 0 }, b = { 0 };
        char name[160];
        a.what = "C heap growth (mallinfo2) / live";
        a.present = heap_bytes[count - 1] > 0;
        a.value = heap_bytes[count - 1];
        b.what = "resident set growth (/proc/self/statm) / live";
        b.present = 1;
        b.value = rss_bytes[count - 1];
        snprintf(name, sizeof(name), "real memory per mapping at 10^%d live mappings", count + 2);
        bench_add_row("3", name, "B", &a, &b, GOAL_BOTH_LE, 128, "<= 128 B");
    }
out:
    for (i = 0; i < count; i++) pm_ctx_close(&c[i]);
}

/* ---- row 4: 1 vs 2 threads on one port manager ---- */

/* Workers start, wait for `go`, call the kernel in small batches until `stop`, and count.
 * The window is timed from go to stop by the main thread, so thread start-up (milliseconds
 * on a loaded machine) is never inside it; it lasts sample_ms and at least until every
 * worker has finished a batch (a worker the scheduler kept waiting must not count as 0). */
enum
{
    WAIT,
    GO,
    STOP
};

struct worker
{
    struct pm_ctx *c;
    atomic_int *state;
    atomic_uint_fast64_t ops;
};

static int worker_run(void *arg)
{
    struct worker *w = arg;
    while (atomic_load(w->state) == WAIT) test_thread_yield();
    while (atomic_load(w->state) == GO && !bench_failed())
    {
        bench_kernel_vtable(w->c, 16);
        atomic_fetch_add(&w->ops, 16);
    }
    return 0;
}

/* Pairs per second from `threads` workers together, over one window of sample_ms. */
static double threads_rate(struct pm_ctx *c, int threads)
{
    atomic_int state;
    struct worker w[2];
    test_thread *th[2] = { NULL, NULL };
    uint64_t t0, t1, ops = 0;
    int i, started = 0;

    atomic_init(&state, WAIT);
    for (i = 0; i < threads; i++)
    {
        w[i].c = c;
        w[i].state = &state;
        atomic_init(&w[i].ops, 0);
        if (test_thread_start(&th[i], worker_run, &w[i]))
            bench_fail("row 4: thread start");
        else
            started++;
    }
    test_sleep_ms(2);
    t0 = rtcpm_clock_us();
    atomic_store(&state, GO);
    test_sleep_ms((unsigned)(bench_opts.sample_ms + 0.5));
    for (i = 0; i < started && !bench_failed(); i++)
        while (!atomic_load(&w[i].ops) && !bench_failed()) test_thread_yield();
    atomic_store(&state, STOP);
    t1 = rtcpm_clock_us();
    for (i = 0; i < started; i++)
    {
        test_thread_join(th[i]);
        ops += atomic_load(&w[i].ops);
    }
    return t1 > t0 ? (double)ops * 1e6 / (double)(t1 - t0) : 0;
}

static void row_4(void)
{
    struct pm_ctx c;
    struct bench_side a = { 0 }, b = { 0 };
    double one[64], two[64];
    int i, reps = bench_opts.reps > 64 ? 64 : bench_opts.reps;

    if (pm_ctx_open(&c, 1, 64512))
    {
        bench_fail("row 4: static port manager setup");
        return;
    }
    for (i = 0; i < reps && !bench_failed(); i++)
    {
        one[i] = threads_rate(&c, 1);
        two[i] = threads_rate(&c, 2);
    }
    bench_summarize(one, i, &a);
    bench_summarize(two, i, &b);
    a.what = "1 thread: GetMappingEx + ReleaseMappingEx (COM, as row 1 B) per second";
    b.what = "2 threads on the same PM: pairs per second, both threads together";
    bench_add_row("4", "1 vs 2 threads hammering one static PM: throughput (B/A = scaling)", "/s", &a, &b, GOAL_NONE, 0,
                  "report");
    pm_ctx_close(&c);
}

void bench_rows_pm(void)
{
    if (bench_opts.rows & (1u << 1)) row_1();
    if (bench_opts.rows & (1u << 3)) row_3();
    if (bench_opts.rows & (1u << 4)) row_4();
}

int bench_callgrind_pm(const char *kernel, unsigned long size, uint64_t iterations)
{
    struct pm_ctx c;
    int r = 0;

    if (strcmp(kernel, "c") && strcmp(kernel, "vtable")) return -1;
    if (pm_ctx_open(&c, size ? rules_for(size) : 1, size ? 64512 : 100) || (size && pm_ctx_fill(&c, size)))
        r = 1;
    else if (!strcmp(kernel, "c"))
        bench_kernel_c(&c, iterations);
    else
        bench_kernel_vtable(&c, iterations);
    pm_ctx_close(&c);
    return r || bench_failed();
}
