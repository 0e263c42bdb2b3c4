/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bad_input_pm_nat.c — the bad-input matrix's port managers that negotiate with the NAT
 * (bad_input_pm.c lists them in bi_pm_objects[]): the PCP port manager against two fake PCP
 * servers (tests/fake_pcp_server.h), one on 127.0.0.1 and one on [::1], started by the first
 * case and kept for the suite. They answer as a NAT would: external address 198.51.100.7 /
 * 2001:db8::7, port = internal port + 1000 (the OS picks the internal port: no ranges).
 */
#include <stdio.h>
#include <string.h>

#include "bad_input.h"
#include "fake_pcp_server.h"
#include "loopback.h"

#define NAT_EXTERNAL_V4 "198.51.100.7"
#define NAT_EXTERNAL_V6 "2001:db8::7"
#define NAT_PORT_OFFSET 1000

static struct
{
    int state; /* 0 not tried, 1 up, -1 failed */
    int v6;
    struct fake_pcp_server v4srv, v6srv;
    char servers[2 * RTCPM_ADDR_HOSTPORT_TEXT_SIZE + 4];
} pcp_env;

static int pcp_env_start(void)
{
    struct fake_pcp_options opt;
    rtcpm_addr lo = test_addr("127.0.0.1", 0), lo6 = test_addr("::1", 0);
    size_t n;
    int os_error = 0;
    if (pcp_env.state) return pcp_env.state > 0;
    memset(&opt, 0, sizeof(opt));
    opt.port_offset = NAT_PORT_OFFSET;
    opt.external = test_addr(NAT_EXTERNAL_V4, 0);
    if (fake_pcp_start(&pcp_env.v4srv, &lo, &opt, &os_error) != RTCPM_SOCK_OK)
    {
        printf("\n    fake PCP server on 127.0.0.1 did not start (OS error %d)", os_error);
        pcp_env.state = -1;
        return 0;
    }
    opt.external = test_addr(NAT_EXTERNAL_V6, 0);
    pcp_env.v6 = fake_pcp_start(&pcp_env.v6srv, &lo6, &opt, &os_error) == RTCPM_SOCK_OK;
    n = (size_t)rtcpm_addr_format_hostport(&pcp_env.v4srv.addr, pcp_env.servers, sizeof(pcp_env.servers));
    if (pcp_env.v6)
    {
        memcpy(pcp_env.servers + n, ", ", 3);
        rtcpm_addr_format_hostport(&pcp_env.v6srv.addr, pcp_env.servers + n + 2, sizeof(pcp_env.servers) - n - 2);
    }
    pcp_env.state = 1;
    return 1;
}

void bi_nat_objects_cleanup(void)
{
    if (pcp_env.state > 0)
    {
        fake_pcp_stop(&pcp_env.v4srv);
        if (pcp_env.v6) fake_pcp_stop(&pcp_env.v6srv);
    }
    memset(&pcp_env, 0, sizeof(pcp_env));
    bi_upnp_cleanup();
}

HRESULT bi_pcp_open(struct bi_pm *o)
{
    struct rtcpm_pcp_pm_config cfg;
    char err[256];
    HRESULT hr;
    if (!pcp_env_start()) return E_FAIL;
    rtcpm_pcp_pm_config_init(&cfg);
    cfg.server = pcp_env.servers;
    cfg.local_address = pcp_env.v6 ? "127.0.0.1, ::1" : "127.0.0.1";
    cfg.timeout_ms = 2000;
    cfg.rto_ms = 100;
    cfg.announce = 0;
    hr = rtcpm_pcp_pm_create_ex(&cfg, &o->pm, err, sizeof(err));
    if (FAILED(hr)) printf("\n    PCP port manager not created: %s", err);
    return hr;
}

void bi_pcp_close(struct bi_pm *o)
{
    if (o->pm) o->pm->lpVtbl->Release(o->pm);
}

LONG bi_pcp_live(struct bi_pm *o) { return rtcpm_pcp_pm_live_mappings(o->pm); }
LONG bi_pcp_listing(struct bi_pm *o, char *buf, size_t len) { return rtcpm_pcp_pm_format_mappings(o->pm, buf, len); }

/*
 * The UPnP IGD port manager. Natively against the in-process fake IGD (tests/fake_igd.h;
 * external 198.51.100.7, external port = internal port), started by the first case. It maps
 * IPv4 only: the rows that need an IPv6 mapping are not applicable. On Windows
 * targets hnetcfg finds an IGD by SSDP alone, which no loopback IGD answers: no row
 * applies, and the e2e case upnp_pm_wine drives it against miniupnpd.
 */
#if defined(RTCPM_TEST_HAVE_FAKE_IGD)
#include "fake_igd.h"

static struct
{
    int state;
    struct fake_igd igd;
} upnp_env;

static int upnp_env_start(void)
{
    if (!upnp_env.state) upnp_env.state = fake_igd_start(&upnp_env.igd) ? -1 : 1;
    return upnp_env.state > 0;
}

void bi_upnp_cleanup(void)
{
    if (upnp_env.state > 0) fake_igd_stop(&upnp_env.igd);
    memset(&upnp_env, 0, sizeof(upnp_env));
}

HRESULT bi_upnp_open(struct bi_pm *o)
{
    struct rtcpm_upnp_pm_config cfg;
    char err[256];
    HRESULT hr;
    if (!upnp_env_start()) return E_FAIL;
    rtcpm_upnp_pm_config_init(&cfg);
    cfg.igd_url = upnp_env.igd.url;
    cfg.local_address = "127.0.0.1";
    hr = rtcpm_upnp_pm_create_ex(&cfg, &o->pm, err, sizeof(err));
    if (FAILED(hr)) printf("\n    UPnP port manager not created: %s", err);
    return hr;
}

static const char *upnp_no_igd(void) { return NULL; }
#else
void bi_upnp_cleanup(void) {}
HRESULT bi_upnp_open(struct bi_pm *o)
{
    (void)o;
    return E_FAIL;
}
static const char *upnp_no_igd(void)
{
    return rtcpm_upnp_pm_available() ? "hnetcfg finds IGDs by SSDP only, none on loopback (e2e upnp_pm_wine)"
                                     : "no UPnP in this build (libminiupnpc not found)";
}
#endif

void bi_upnp_close(struct bi_pm *o)
{
    if (o->pm) o->pm->lpVtbl->Release(o->pm);
}

LONG bi_upnp_live(struct bi_pm *o) { return rtcpm_upnp_pm_live_mappings(o->pm); }
LONG bi_upnp_listing(struct bi_pm *o, char *buf, size_t len) { return rtcpm_upnp_pm_format_mappings(o->pm, buf, len); }

const char *bi_upnp_not_applicable(const struct bi_case *c)
{
    int v6_remote =
        c->arg == BI_ARG_REMOTE && (c->value == BI_V_IPV6 || c->value == BI_V_IPV6_ZONE || c->value == BI_V_LONGEST);
    if (upnp_no_igd()) return upnp_no_igd();
    if ((c->method == BI_GET_MAPPING || c->method == BI_GET_MAPPING_EX) && v6_remote) return "UPnP IGD maps IPv4 only";
    if (c->arg == BI_ARG_STATE && (c->value == BI_V_V6_MAPPING_V4_REMOTE || c->value == BI_V_V6_MAPPING_LONGEST ||
                                   c->value == BI_V_V6_MAPPING_TOO_LONG))
        return "UPnP IGD maps IPv4 only";
    return NULL;
}

/* The automatic port manager, deciding for PCP against the PCP rows' fake servers (both
 * families), so that its calls reach an inner port manager. */
HRESULT bi_auto_open(struct bi_pm *o)
{
    struct rtcpm_auto_pm_config cfg;
    char err[256];
    HRESULT hr;
    if (!pcp_env_start()) return E_FAIL;
    rtcpm_auto_pm_config_init(&cfg);
    cfg.mechanisms = "pcp";
    cfg.pcp_server = pcp_env.servers;
    cfg.local_address = pcp_env.v6 ? "127.0.0.1, ::1" : "127.0.0.1";
    cfg.timeout_ms = 2000;
    hr = rtcpm_auto_pm_create_ex(&cfg, &o->pm, err, sizeof(err));
    if (FAILED(hr)) printf("\n    automatic port manager not created: %s", err);
    return hr;
}

void bi_auto_close(struct bi_pm *o)
{
    if (o->pm) o->pm->lpVtbl->Release(o->pm);
}

LONG bi_auto_live(struct bi_pm *o) { return rtcpm_auto_pm_live_mappings(o->pm); }
LONG bi_auto_listing(struct bi_pm *o, char *buf, size_t len) { return rtcpm_auto_pm_format_mappings(o->pm, buf, len); }
