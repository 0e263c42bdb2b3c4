/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_natpm.c — rows 13 and 14: one negotiated mapping made and removed again, against
 * miniupnpd in the e2e router namespace (tests/bench/natpm_bench.sh sets it up and runs this
 * inside the client namespace).
 *
 * Debian's clients exist only as programs: one mapping costs them a process to add it and
 * another to remove it (natpmpc -a ... LIFETIME, then lifetime 0; upnpc -u URL -a, then -d).
 * Against them: the PCP port manager's GetMappingEx + ReleaseMappingEx (include/rtcpm/pcp_pm.h;
 * once in PCP, once forced to NAT-PMP, natpmpc's protocol) and the UPnP port manager's
 * (include/rtcpm/upnp_pm.h, libminiupnpc with the IGD's URL given, as upnpc -u).
 */
#include <stdio.h>
#include <string.h>
#include "bench.h"
#include "os/socket.h"
#include "rtcpm/pcp_pm.h"
#include "rtcpm/upnp_pm.h"

#define NATPM_PORT     "30010" /* the clients' internal = external port */
#define NATPM_LIFETIME "60"    /* s: what is left after a failed run expires soon */

/* natpmpc: add (a process), delete (another one). */
BENCH_NOINLINE static void kernel_natpmpc(void *ctx, uint64_t n)
{
    const char *add[] = { bench_opts.natpmpc, "-g",  bench_opts.pcp_gateway, "-a", NATPM_PORT,
                          NATPM_PORT,         "udp", NATPM_LIFETIME,         NULL };
    const char *del[] = {
        bench_opts.natpmpc, "-g", bench_opts.pcp_gateway, "-a", NATPM_PORT, NATPM_PORT, "udp", "0", NULL
    };
    uint64_t i;
    (void)ctx;
    for (i = 0; i < n && !bench_failed(); i++)
        if (bench_spawn(add) != 0 || bench_spawn(del) != 0) bench_fail("row 13: %s failed", bench_opts.natpmpc);
}

/* upnpc with the IGD's URL (no SSDP): add, delete. */
BENCH_NOINLINE static void kernel_upnpc(void *ctx, uint64_t n)
{
    const char *add[] = { bench_opts.upnpc, "-u",  bench_opts.upnp_url, "-a", bench_opts.local_address, NATPM_PORT,
                          NATPM_PORT,       "UDP", NATPM_LIFETIME,      NULL };
    const char *del[] = { bench_opts.upnpc, "-u", bench_opts.upnp_url, "-d", NATPM_PORT, "UDP", NULL };
    uint64_t i;
    (void)ctx;
    for (i = 0; i < n && !bench_failed(); i++)
        if (bench_spawn(add) != 0 || bench_spawn(del) != 0) bench_fail("row 14: %s failed", bench_opts.upnpc);
}

static int remote_init(struct pm_ctx *c)
{
    c->remote = SysAllocString(RTCPM_W("203.0.113.5"));
    return c->remote ? 0 : -1;
}

/* The PCP PM for the router: OS-picked ports, no ANNOUNCE listener (nothing to announce). */
static int pcp_pm_open(struct pm_ctx *c, LONG protocol)
{
    struct rtcpm_pcp_pm_config cfg;
    char err[200];
    HRESULT hr;

    memset(c, 0, sizeof(*c));
    rtcpm_pcp_pm_config_init(&cfg);
    cfg.server = bench_opts.pcp_gateway;
    cfg.local_address = bench_opts.local_address;
    cfg.protocol = protocol;
    cfg.lifetime_s = 60;
    cfg.announce = 0;
    if (FAILED(hr = rtcpm_pcp_pm_create_ex(&cfg, &c->pm, err, sizeof(err))))
    {
        bench_fail("row 13: rtcpm_pcp_pm_create_ex: 0x%08lx %s", (unsigned long)(ULONG)hr, err);
        return -1;
    }
    return remote_init(c);
}

static int upnp_pm_open(struct pm_ctx *c)
{
    struct rtcpm_upnp_pm_config cfg;
    char err[200];
    HRESULT hr;

    memset(c, 0, sizeof(*c));
    rtcpm_upnp_pm_config_init(&cfg);
    cfg.igd_url = bench_opts.upnp_url;
    cfg.local_address = bench_opts.local_address;
    cfg.lifetime_s = 60;
    if (FAILED(hr = rtcpm_upnp_pm_create_ex(&cfg, &c->pm, err, sizeof(err))))
    {
        bench_fail("row 14: rtcpm_upnp_pm_create_ex: 0x%08lx %s", (unsigned long)(ULONG)hr, err);
        return -1;
    }
    return remote_init(c);
}

static void row_pcp(void)
{
    struct bench_side a = { 0 }, b = { 0 }, a2 = { 0 }, c = { 0 };
    struct pm_ctx pcp = { 0 }, natpmp = { 0 };

    if (pcp_pm_open(&pcp, RTCPM_PCP_PM_PCP) == 0)
    {
        a.what = "Debian `natpmpc -a` (2 processes: map, then lifetime 0)";
        b.what = "rtcpm PCP PM (PCP MAP): `GetMappingEx` + `ReleaseMappingEx`";
        bench_pair_ns(kernel_natpmpc, NULL, bench_kernel_vtable, &pcp, &a, &b);
        bench_add_row("13", "one mapping made and deleted at miniupnpd: `natpmpc` vs the PCP port manager", "ns", &a,
                      &b, GOAL_RATIO_LE, 1.0, "B/A <= 1");
    }
    pm_ctx_close(&pcp);
    if (!bench_failed() && pcp_pm_open(&natpmp, RTCPM_PCP_PM_NATPMP) == 0)
    {
        a2.what = a.what;
        c.what = "rtcpm PCP PM forced to NAT-PMP (`protocol = nat-pmp`): `GetMappingEx` + `ReleaseMappingEx`";
        bench_pair_ns(kernel_natpmpc, NULL, bench_kernel_vtable, &natpmp, &a2, &c);
        bench_add_row("13", "the same in NAT-PMP, natpmpc's own protocol", "ns", &a2, &c, GOAL_RATIO_LE, 1.0,
                      "B/A <= 1");
    }
    pm_ctx_close(&natpmp);
}

static void row_upnp(void)
{
    struct bench_side a = { 0 }, b = { 0 };
    struct pm_ctx upnp = { 0 };

    if (!rtcpm_upnp_pm_available())
    {
        fprintf(stderr, "bench: row 14: this build has no UPnP port manager (libminiupnpc)\n");
        return;
    }
    if (upnp_pm_open(&upnp) == 0)
    {
        a.what = "Debian `upnpc -u URL` (2 processes: `-a`, then `-d`)";
        b.what = "rtcpm UPnP PM (libminiupnpc, `igd` = the URL): `GetMappingEx` + `ReleaseMappingEx`";
        bench_pair_ns(kernel_upnpc, NULL, bench_kernel_vtable, &upnp, &a, &b);
        bench_add_row("14", "one mapping made and deleted at miniupnpd's IGD: `upnpc` vs the UPnP port manager", "ns",
                      &a, &b, GOAL_RATIO_LE, 1.0, "B/A <= 1");
    }
    pm_ctx_close(&upnp);
}

void bench_rows_natpm(void)
{
    int want13 = (bench_opts.rows >> 13) & 1, want14 = (bench_opts.rows >> 14) & 1;

    if (!bench_opts.pcp_gateway || !bench_opts.local_address || (want13 && !bench_opts.natpmpc) ||
        (want14 && (!bench_opts.upnp_url || !bench_opts.upnpc)))
    {
        fprintf(stderr, "bench: rows 13 and 14 need --gateway, --local-address, --natpmpc (13), --upnp-url and "
                        "--upnpc (14) (tests/bench/natpm_bench.sh)\n");
        bench_fail("rows 13/14: options missing");
        return;
    }
    if (rtcpm_net_init(NULL) != 0)
    {
        bench_fail("rows 13/14: rtcpm_net_init");
        return;
    }
    if (want13) row_pcp();
    if (want14 && !bench_failed()) row_upnp();
    rtcpm_net_cleanup();
}
