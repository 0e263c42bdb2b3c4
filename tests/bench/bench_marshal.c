/*
 * bench_marshal.c — row 7 (Windows targets, run under wine64): a call through
 * rtcpm_ps.dll's proxy into a single-threaded apartment vs the same call made directly.
 *
 * The static port manager does not aggregate the free-threaded marshaler, so a static PM
 * created on an STA thread (tests/apartment.c, which pumps messages) and handed to the
 * main thread (MTA) with CoMarshalInterThreadInterfaceInStream arrives as a proxy; every
 * call is then marshalled (BSTRs included), carried to the STA and answered by its stub.
 * rtcpm_ps.dll is registered in-process in both apartments (include/rtcpm/marshal.h).
 */
#include <stdio.h>
#include <string.h>
#include "bench.h"
#include "apartment.h"

struct make_job
{
    struct pm_ctx ctx;
    IStream *stream;
    HRESULT hr;
};

/* On the STA thread: the object and its marshalled form. */
static void make_run(void *arg)
{
    struct make_job *j = arg;
    if (pm_ctx_open(&j->ctx, 1, 1000))
    {
        j->hr = E_FAIL;
        return;
    }
    j->hr = CoMarshalInterThreadInterfaceInStream(&IID_IRTCPortManager3, (IUnknown *)j->ctx.pm, &j->stream);
}

static void close_run(void *arg) { pm_ctx_close(arg); }

void bench_row_marshal(void)
{
    rtcpm_marshal_registration *reg = NULL;
    struct make_job job;
    struct pm_ctx direct, proxy;
    struct sta sta;
    struct bench_side a = { 0 }, b = { 0 };
    HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED), hr;

    memset(&job, 0, sizeof(job));
    memset(&proxy, 0, sizeof(proxy));
    if (FAILED(init) || FAILED(hr = rtcpm_marshal_register(NULL, &reg)))
    {
        bench_fail("row 7: COM init / rtcpm_marshal_register (rtcpm_ps.dll next to the .exe?)");
        if (SUCCEEDED(init)) CoUninitialize();
        return;
    }
    if (pm_ctx_open(&direct, 1, 1000) || sta_start(&sta, 1))
    {
        bench_fail("row 7: setup");
        goto out_reg;
    }
    sta_run(&sta, make_run, &job);
    if (FAILED(job.hr) || FAILED(hr = CoGetInterfaceAndReleaseStream(job.stream, &IID_IRTCPortManager3,
                                                                    (void **)&proxy.pm)))
        bench_fail("row 7: marshalling the STA's port manager: 0x%08lx", (unsigned long)(ULONG)job.hr);
    else if ((void *)proxy.pm == (void *)job.ctx.pm)
        bench_fail("row 7: got the object itself, not a proxy");
    else
    {
        proxy.remote = SysAllocString(RTCPM_W("203.0.113.5"));
        a.what = "direct: the static PM in the caller's apartment (as row 1 B)";
        b.what = "proxy: MTA caller -> rtcpm_ps.dll proxy/stub -> static PM in an STA (message pump)";
        bench_pair_ns(bench_kernel_vtable, &direct, bench_kernel_vtable, &proxy, &a, &b);
        bench_add_row("7", "GetMappingEx + ReleaseMappingEx through the marshalling proxy vs a direct call", "ns", &a,
                      &b, GOAL_NONE, 0, "report");
    }
    pm_ctx_close(&proxy);
    sta_run(&sta, close_run, &job.ctx);
    sta_stop(&sta);
out_reg:
    pm_ctx_close(&direct);
    rtcpm_marshal_revoke(reg);
    CoUninitialize();
}
