/*
 * bench_stun.c — row 6: STUN discovery latency on loopback against coturn.
 *
 * The STUN port manager is being written on another branch: until it is merged this row
 * measures rtcpm's STUN client (src/net/stun_client.h), one Binding transaction, against
 * coturn's own client on the same server. scripts/bench.sh starts `turnserver --stun-only`
 * on 127.0.0.1 and passes --stun-server, --stunclient and --rtcpm-stun.
 */
#include <stdio.h>
#include <string.h>
#include "bench.h"
#include "net/socket.h"
#include "net/stun_client.h"

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
    const char *argv[] = { bench_opts.rtcpm_stun, "--bind", bind_arg, "--rto", "200", "--deadline", "5000",
                           server_arg, NULL };
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

void bench_row_stun(void)
{
    struct bench_side a = { 0 }, b = { 0 }, a2 = { 0 }, c = { 0 };
    const char *name = "STUN discovery on loopback vs coturn `turnserver --stun-only` (rtcpm's STUN client "
                       "src/net/stun_client.h: the STUN port manager is not merged yet)";

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
    if (!bench_failed())
    {
        a2.what = a.what;
        c.what = "rtcpm in-process: UDP socket + `rtcpm_stun_binding` + close";
        bench_pair_ns(kernel_turnutils, NULL, kernel_in_process, NULL, &a2, &c);
        bench_add_row("6", "STUN discovery, rtcpm's client in-process (what a port manager pays) vs coturn's client",
                      "ns", &a2, &c, GOAL_NONE, 0, "report");
    }
    rtcpm_net_cleanup();
}
