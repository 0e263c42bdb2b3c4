/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_stun.c — row 6: STUN discovery latency on loopback against coturn.
 *
 * coturn's own client, turnutils_stunclient, exists only as a program: one discovery costs
 * it a process. Side by side with it: rtcpm's command-line client (samples/rtcpm-stun, also
 * a process), the STUN port manager's GetMappingEx + ReleaseMappingEx with its cache off
 * (one discovery per call, include/rtcpm/stun_pm.h), rtcpm's bare STUN client transaction
 * (src/net/stun_client.h), and the STUN PM answering from its cache. scripts/bench.sh starts
 * `turnserver --stun-only` on 127.0.0.1 and passes --stun-server, --stunclient, --rtcpm-stun.
 */
#include <stdio.h>
#include <string.h>
#include "bench.h"
#include "os/socket.h"
#include "net/stun_client.h"
#include "rtcpm/rtcpm.h"

static rtcpm_addr server;
static char server_host[64], server_port[8], bind_arg[80], server_arg[80];

/* coturn's client: a process per discovery (it has no library interface). */
BENCH_NOINLINE static void kernel_turnutils(void *ctx, uint64_t n)
{
    const char *argv[] = { bench_opts.stunclient, "-p", server_port, server_host, NULL };
    uint64_t i;
    (void)ctx;
    for (i = 0; i < n && !bench_failed(); i++)
        if (bench_spawn(argv) != 0) bench_fail("row 6: %s failed", bench_opts.stunclient);
}

/* rtcpm's client as a process too: samples/rtcpm-stun (socket, one transaction, print). */
BENCH_NOINLINE static void kernel_rtcpm_stun(void *ctx, uint64_t n)
{
    const char *argv[] = { bench_opts.rtcpm_stun, "--bind", bind_arg,   "--rto", "200",
                           "--deadline",          "5000",   server_arg, NULL };
    uint64_t i;
    (void)ctx;
    for (i = 0; i < n && !bench_failed(); i++)
        if (bench_spawn(argv) != 0) bench_fail("row 6: %s failed", bench_opts.rtcpm_stun);
}

/* rtcpm's client in-process: open a UDP socket on the server's loopback address, one
 * Binding transaction, close: what a port manager does per discovery. */
BENCH_NOINLINE static void kernel_in_process(void *ctx, uint64_t n)
{
    rtcpm_stun_config cfg;
    uint64_t i;
    (void)ctx;
    rtcpm_stun_config_init(&cfg);
    cfg.rto_ms = 200;
    cfg.deadline_ms = 5000;
    for (i = 0; i < n && !bench_failed(); i++)
    {
        rtcpm_socket *s = NULL;
        rtcpm_addr local = server;
        rtcpm_stun_result res;
        local.port = 0;
        if (rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &local, NULL) != 0)
        {
            bench_fail("row 6: socket");
            return;
        }
        if (rtcpm_stun_binding(s, &server, &cfg, &res) != RTCPM_STUN_OK || !rtcpm_addr_equal(&res.mapped, &res.local))
            bench_fail("row 6: binding: %s", rtcpm_stun_status_name(res.status));
        rtcpm_socket_close(s);
    }
}

/* A STUN PM for the server: local address 127.0.0.1, the OS picks ports, no warm-up, no
 * symmetric check (one server), cache_age_s as given (0: every call discovers). */
static int stun_pm_open(struct pm_ctx *c, LONG cache_age_s)
{
    struct rtcpm_stun_pm_config cfg;
    char err[200];
    HRESULT hr;

    memset(c, 0, sizeof(*c));
    rtcpm_stun_pm_config_init(&cfg);
    cfg.servers = bench_opts.stun_server;
    cfg.local_addresses = "127.0.0.1";
    cfg.timeout_ms = 3000;
    cfg.rto_ms = 200;
    cfg.symmetric_check = 0;
    cfg.warm_up = 0;
    cfg.cache_age_s = cache_age_s;
    if (FAILED(hr = rtcpm_stun_pm_create_ex(&cfg, &c->pm, err, sizeof(err))))
    {
        bench_fail("row 6: rtcpm_stun_pm_create_ex: 0x%08lx %s", (unsigned long)(ULONG)hr, err);
        return -1;
    }
    c->remote = SysAllocString(RTCPM_W("203.0.113.5"));
    return c->remote ? 0 : -1;
}

void bench_row_stun(void)
{
    struct bench_side a = { 0 }, b = { 0 }, a2 = { 0 }, c = { 0 }, a3 = { 0 }, d = { 0 }, a4 = { 0 }, e = { 0 };
    struct pm_ctx stun_nocache = { 0 }, stun_cache = { 0 }, static_pm = { 0 };
    const char *name = "STUN discovery on loopback vs coturn `turnserver --stun-only`: command-line clients";

    if (!bench_opts.stun_server || !bench_opts.stunclient || !bench_opts.rtcpm_stun)
    {
        fprintf(stderr, "bench: row 6 needs --stun-server, --stunclient and --rtcpm-stun (scripts/bench.sh)\n");
        return;
    }
    if (rtcpm_stun_parse_servers(bench_opts.stun_server, &server, 1) != 1 || server.family != RTCPM_AF_INET)
    {
        bench_fail("row 6: --stun-server %s: want IPv4 HOST:PORT", bench_opts.stun_server);
        return;
    }
    rtcpm_addr_format(&server, server_host, sizeof(server_host));
    snprintf(server_port, sizeof(server_port), "%u", server.port);
    snprintf(bind_arg, sizeof(bind_arg), "%s:0", server_host);
    snprintf(server_arg, sizeof(server_arg), "%s:%u", server_host, server.port);
    if (rtcpm_net_init(NULL) != 0)
    {
        bench_fail("row 6: rtcpm_net_init");
        return;
    }
    a.what = "coturn `turnutils_stunclient` (process: start + 1 Binding + exit)";
    b.what = "rtcpm `rtcpm-stun` (process: start + 1 Binding + exit)";
    bench_pair_ns(kernel_turnutils, NULL, kernel_rtcpm_stun, NULL, &a, &b);
    bench_add_row("6", name, "ns", &a, &b, GOAL_RATIO_LE, 1.2, "B/A <= 1.2");
    if (!bench_failed() && !stun_pm_open(&stun_nocache, 0))
    {
        a2.what = a.what;
        c.what = "rtcpm STUN PM: `GetMappingEx` (cache off: 1 Binding from the port) + `ReleaseMappingEx`";
        bench_pair_ns(kernel_turnutils, NULL, bench_kernel_vtable, &stun_nocache, &a2, &c);
        bench_add_row("6", "STUN discovery on loopback vs coturn: the STUN port manager's GetMappingEx (in-process)",
                      "ns", &a2, &c, GOAL_RATIO_LE, 1.2, "B/A <= 1.2");
        if (!bench_failed())
        {
            a3.what = "rtcpm STUN client in-process: UDP socket + `rtcpm_stun_binding` + close";
            d.what = c.what;
            bench_pair_ns(kernel_in_process, NULL, bench_kernel_vtable, &stun_nocache, &a3, &d);
            bench_add_row("6", "STUN PM GetMappingEx (one discovery) vs the bare STUN transaction it makes", "ns", &a3,
                          &d, GOAL_NONE, 0, "report");
        }
        pm_ctx_close(&stun_nocache);
    }
    if (!bench_failed() && !stun_pm_open(&stun_cache, 20) && !pm_ctx_open(&static_pm, 1, 100))
    {
        a4.what = "static PM (as row 1 B)";
        e.what = "STUN PM, port's discovery cached (20 s): no traffic";
        bench_pair_ns(bench_kernel_vtable, &static_pm, bench_kernel_vtable, &stun_cache, &a4, &e);
        bench_add_row("6", "GetMappingEx + ReleaseMappingEx: STUN PM answering from its cache vs the static PM", "ns",
                      &a4, &e, GOAL_NONE, 0, "report");
    }
    pm_ctx_close(&stun_cache);
    pm_ctx_close(&static_pm);
    rtcpm_net_cleanup();
}
