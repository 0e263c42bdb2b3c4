/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_host.c — row 5: the whole host sequence RTC runs for a registered user placing an
 * audio call, per second, with the static port manager (include/rtcpm/host.h), next to the
 * same port-manager calls made straight on the port manager.
 */
#include <string.h>
#include "bench.h"
#include "rtcpm/rtcpm.h"

struct host_ctx
{
    IRTCPortManager3 *pm;
    IRTCClientPortManagement *client;
    IRTCProfilePortManagement *profile;
    IRTCSessionPortManagement *session;
    BSTR registrar, peer;
};

static void check(HRESULT hr, const char *what)
{
    if (FAILED(hr)) bench_fail("row 5: %s: 0x%08lx", what, (unsigned long)(ULONG)hr);
}

/* B: enable the profile (GetMappingEx SIP towards the registrar), place an audio call
 * (GetMappingEx SIP, AUDIO_RTP, AUDIO_RTCP towards the peer), hang up (3 ReleaseMappingEx),
 * disable the profile (1 ReleaseMappingEx). */
BENCH_NOINLINE void bench_kernel_host(void *ctx, uint64_t n)
{
    struct host_ctx *c = ctx;
    uint64_t i;
    for (i = 0; i < n && !bench_failed(); i++)
    {
        check(rtcpm_host_profile_enable(c->profile), "enable");
        check(rtcpm_host_session_call(c->session, RTCPM_HOST_MEDIA_AUDIO), "call");
        check(rtcpm_host_session_hangup(c->session), "hangup");
        check(rtcpm_host_profile_disable(c->profile), "disable");
    }
}

static void get_one(IRTCPortManager3 *pm, BSTR remote, LONG port, RTC_PORT_TYPE type, BSTR *ia, LONG *ip, BSTR *ea,
                    LONG *ep)
{
    check(pm->lpVtbl->GetMappingEx(pm, remote, port, RTCTR_UDP, type, ia, ip, ea, ep), "GetMappingEx");
}

static void release(IRTCPortManager3 *pm, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    check(pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, ia, ip, ea, ep), "ReleaseMappingEx");
    SysFreeString(ia);
    SysFreeString(ea);
}

/* A: the same 4 GetMappingEx and 4 ReleaseMappingEx, made straight on the vtable. */
BENCH_NOINLINE void bench_kernel_host_pm_only(void *ctx, uint64_t n)
{
    struct host_ctx *c = ctx;
    uint64_t i;
    for (i = 0; i < n && !bench_failed(); i++)
    {
        BSTR ia[4] = { 0 }, ea[4] = { 0 };
        LONG ip[4] = { 0 }, ep[4] = { 0 };
        get_one(c->pm, c->registrar, 5060, RTCPT_SIP, &ia[0], &ip[0], &ea[0], &ep[0]);
        get_one(c->pm, c->peer, 5060, RTCPT_SIP, &ia[1], &ip[1], &ea[1], &ep[1]);
        get_one(c->pm, c->peer, 0, RTCPT_AUDIO_RTP, &ia[2], &ip[2], &ea[2], &ep[2]);
        get_one(c->pm, c->peer, 0, RTCPT_AUDIO_RTCP, &ia[3], &ip[3], &ea[3], &ep[3]);
        release(c->pm, ia[3], ip[3], ea[3], ep[3]);
        release(c->pm, ia[2], ip[2], ea[2], ep[2]);
        release(c->pm, ia[1], ip[1], ea[1], ep[1]);
        release(c->pm, ia[0], ip[0], ea[0], ep[0]);
    }
}

static void host_open(struct host_ctx *c_)
{
    struct host_ctx c;
    struct rtcpm_static_rule r;

    memset(&c, 0, sizeof(c));
    memset(&r, 0, sizeof(r));
    r.port_type = RTCPM_PORT_TYPE_ANY;
    r.transports = RTCTR_UDP;
    r.internal_address = "192.168.1.10";
    r.internal_port_first = 20000;
    r.internal_port_last = 20999;
    r.external_address = "198.51.100.7";
    r.external_port_first = 40000;
    check(rtcpm_static_pm_create(&c.pm), "static PM");
    if (c.pm) check(rtcpm_static_pm_add_rule(c.pm, &r), "rule");
    check(rtcpm_host_create_client("192.168.1.10", &c.client), "client");
    if (c.client)
        check(rtcpm_host_create_profile(c.client, "sip:alice@example.com", "198.18.0.1", 5060, RTCTR_UDP, &c.profile),
              "profile");
    if (c.profile)
    {
        check(c.profile->lpVtbl->SetPortManager(c.profile, (IRTCPortManager *)c.pm), "SetPortManager");
        check(rtcpm_host_create_session(c.client, c.profile, "sip:bob@example.net", "203.0.113.5", 5060, 0, &c.session),
              "session");
    }
    c.registrar = SysAllocString(RTCPM_W("198.18.0.1"));
    c.peer = SysAllocString(RTCPM_W("203.0.113.5"));
    *c_ = c;
}

static void host_close(struct host_ctx *c)
{
    if (c->session) c->session->lpVtbl->Release(c->session);
    if (c->profile) c->profile->lpVtbl->Release(c->profile);
    if (c->client) c->client->lpVtbl->Release(c->client);
    if (c->pm) c->pm->lpVtbl->Release(c->pm);
    SysFreeString(c->registrar);
    SysFreeString(c->peer);
}

void bench_row_host(void)
{
    struct host_ctx c;
    struct bench_side a = { 0 }, b = { 0 };

    host_open(&c);
    if (!bench_failed())
    {
        a.what = "the same 4 `GetMappingEx` + 4 `ReleaseMappingEx` straight on the PM's vtable";
        b.what = "host: `profile_enable` + `session_call(AUDIO)` + `session_hangup` + `profile_disable`";
        bench_pair_ns(bench_kernel_host_pm_only, &c, bench_kernel_host, &c, &a, &b);
        bench_to_rate(&a);
        bench_to_rate(&b);
        bench_add_row("5", "host sequence per second, static PM: enable profile + audio call + hang up (+ disable)",
                      "/s", &a, &b, GOAL_B_GE, 100000, "B >= 100k/s");
    }
    host_close(&c);
}

int bench_callgrind_host(const char *kernel, uint64_t iterations)
{
    struct host_ctx c;
    if (strcmp(kernel, "host") && strcmp(kernel, "host_pm_only")) return -1;
    host_open(&c);
    if (!bench_failed())
    {
        if (!strcmp(kernel, "host"))
            bench_kernel_host(&c, iterations);
        else
            bench_kernel_host_pm_only(&c, iterations);
    }
    host_close(&c);
    return bench_failed();
}
