/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_auto_pm.c — the automatic port manager's decision table on loopback, with the fake PCP
 * server and fake STUN servers standing in for the NAT: PCP when PCP answers, NAT-PMP when
 * only that does, STUN behind an endpoint-independent NAT, a refusal with every reason behind
 * a symmetric one or a silent STUN server, local addresses without STUN servers; the verdict
 * kept, a new probe when the chosen mechanism stops answering (the next one serves), when the
 * gateway or local address changes (test hook) and when "nothing works" is 30 s old (the
 * verdict's clock moved by the test hook); mappings released by the port manager that made them;
 * RTP/RTCP pairing for local mappings; config errors. The real NATs: e2e cases auto_*.
 */
#define COBJMACROS
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "com/bstr_util.h"
#include "fake_pcp_server.h"
#include "fake_stun_server.h"
#include "loopback.h"
#include "pm/auto_pm_private.h"
#include "port_manager_checks.h"

struct mapping
{
    HRESULT hr;
    char internal[64], external[64];
    LONG internal_port, external_port;
};

static IRTCPortManager3 *make(const char *f, ...)
{
    char text[1024], err[300];
    IRTCPortManager3 *pm = NULL;
    va_list ap;
    HRESULT hr;
    va_start(ap, f);
    vsnprintf(text, sizeof(text), f, ap);
    va_end(ap);
    hr = rtcpm_auto_pm_create_from_string(text, "auto.ini", &pm, err, sizeof(err));
    if (hr != S_OK) printf("\n    config rejected: %s\n%s\n", err, text);
    CU_ASSERT_EQUAL_FATAL(hr, S_OK);
    return pm;
}

static struct mapping get(IRTCPortManager3 *pm, LONG transport, int type)
{
    struct mapping m;
    BSTR ia = NULL, ea = NULL;
    size_t len;
    memset(&m, 0, sizeof(m));
    m.hr = IRTCPortManager3_GetMappingEx(pm, NULL, 0, transport, (RTC_PORT_TYPE)type, &ia, &m.internal_port, &ea,
                                         &m.external_port);
    if (SUCCEEDED(m.hr))
    {
        rtcpm_bstr_to_utf8(ia, m.internal, sizeof(m.internal), &len);
        rtcpm_bstr_to_utf8(ea, m.external, sizeof(m.external), &len);
    }
    SysFreeString(ia);
    SysFreeString(ea);
    return m;
}

static HRESULT release(IRTCPortManager3 *pm, LONG transport, const struct mapping *m)
{
    BSTR ia = rtcpm_bstr_from_cstr(m->internal), ea = rtcpm_bstr_from_cstr(m->external);
    HRESULT hr = IRTCPortManager3_ReleaseMappingEx(pm, transport, ia, m->internal_port, ea, m->external_port);
    SysFreeString(ia);
    SysFreeString(ea);
    return hr;
}

static const char *hp(const rtcpm_addr *a, char *buf)
{
    rtcpm_addr_format_hostport(a, buf, RTCPM_ADDR_HOSTPORT_TEXT_SIZE);
    return buf;
}

static void test_pcp_then_stale(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], verdict[800];
    IRTCPortManager3 *pm;
    struct mapping m, l;
    memset(&o, 0, sizeof(o));
    CU_ASSERT_EQUAL_FATAL(fake_pcp_start(&srv, &lo, &o, NULL), 0);
    pm = make("[auto]\nmechanisms = pcp, nat-pmp, local\npcp-server = %s\nlocal-address = 127.0.0.1\n"
              "timeout = 1000\n",
              hp(&srv.addr, a));
    CU_ASSERT_EQUAL(rtcpm_auto_pm_wait_ready(pm, 5000), S_OK);
    CU_ASSERT_STRING_EQUAL(rtcpm_auto_pm_mechanism(pm), "PCP");
    rtcpm_auto_pm_verdict(pm, verdict, sizeof(verdict));
    CU_ASSERT_PTR_NOT_NULL(strstr(verdict, "answered ANNOUNCE"));
    m = get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(m.external, "198.51.100.7");
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 1);
    CU_ASSERT_EQUAL(rtcpm_auto_pm_probes(pm), 1); /* the verdict is kept */
    /* the NAT stops answering: the call fails over to the next mechanism that works */
    o.fault = FAKE_PCP_SILENT;
    fake_pcp_set_options(&srv, &o);
    l = get(pm, RTCTR_UDP, RTCPT_AUDIO_RTP);
    CU_ASSERT_EQUAL(l.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(rtcpm_auto_pm_mechanism(pm), "local");
    CU_ASSERT_STRING_EQUAL(l.external, "127.0.0.1");
    CU_ASSERT_EQUAL(l.external_port, l.internal_port);
    CU_ASSERT_EQUAL(rtcpm_auto_pm_probes(pm), 2);
    /* the PCP mapping is still the PCP port manager's to release */
    o.fault = FAKE_PCP_NORMAL;
    fake_pcp_set_options(&srv, &o);
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &l), S_OK);
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &l), RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0); /* with it its inner PCP port manager */
    fake_pcp_stop(&srv);
}

/* A PCP server that refuses (an error result, not UNSUPP_VERSION) is a refusal of PCP and of
 * NAT-PMP alike: the next mechanism is tried, and the verdict says why. */
static void test_pcp_refusal_next(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], why[800], want[120];
    IRTCPortManager3 *pm;
    struct mapping m;

    memset(&o, 0, sizeof(o));
    o.fault = FAKE_PCP_RESULT;
    o.result = RTCPM_PCP_NOT_AUTHORIZED;
    CU_ASSERT_EQUAL_FATAL(fake_pcp_start(&srv, &lo, &o, NULL), 0);
    /* PCP and NAT-PMP alone: refused, with PCP's result as the reason */
    pm = make("[auto]\nmechanisms = pcp, nat-pmp\npcp-server = %s\nlocal-address = 127.0.0.1\n", hp(&srv.addr, a));
    m = get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_STRING_EQUAL(rtcpm_auto_pm_mechanism(pm), "");
    rtcpm_auto_pm_last_error(pm, why, sizeof(why));
    snprintf(want, sizeof(want), "PCP: %s answered ANNOUNCE with result %u", a, RTCPM_PCP_NOT_AUTHORIZED);
    if (!strstr(why, want)) printf("\n    reason '%s'\n", why);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, want));
    CU_ASSERT_PTR_NULL(strstr(why, "NAT-PMP:")); /* one probe told both */
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    /* ... and with local after them, the next mechanism is chosen */
    pm = make("[auto]\nmechanisms = pcp, nat-pmp, local\npcp-server = %s\nlocal-address = 127.0.0.1\n",
              hp(&srv.addr, a));
    m = get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(rtcpm_auto_pm_mechanism(pm), "local");
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    fake_pcp_stop(&srv);
}

static void test_natpmp(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    IRTCPortManager3 *pm;
    struct mapping m;
    memset(&o, 0, sizeof(o));
    o.fault = FAKE_PCP_NATPMP_ONLY;
    CU_ASSERT_EQUAL_FATAL(fake_pcp_start(&srv, &lo, &o, NULL), 0);
    pm = make("[auto]\nmechanisms = pcp, nat-pmp\npcp-server = %s\nlocal-address = 127.0.0.1\n", hp(&srv.addr, a));
    m = get(pm, RTCTR_TCP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(rtcpm_auto_pm_mechanism(pm), "NAT-PMP");
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 1);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0); /* the inner port manager deletes it */
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    fake_pcp_stop(&srv);
}

/* STUN servers that see one external port: STUN; two that see different ports: refused. */
static void check_stun(int offset2, const char *want)
{
    struct fake_stun_server s1, s2;
    struct fake_stun_options o;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], b[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], why[800];
    IRTCPortManager3 *pm;
    struct mapping m;
    memset(&o, 0, sizeof(o));
    o.mapped_addr = test_addr("198.51.100.9", 0);
    CU_ASSERT_EQUAL_FATAL(fake_stun_start(&s1, &lo, &o, NULL), 0);
    o.mapped_port_offset = offset2;
    CU_ASSERT_EQUAL_FATAL(fake_stun_start(&s2, &lo, &o, NULL), 0);
    pm = make("[auto]\nmechanisms = stun, local\nstun = %s, %s\nlocal-address = 127.0.0.1\n", hp(&s1.addr, a),
              hp(&s2.addr, b));
    m = get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_STRING_EQUAL(rtcpm_auto_pm_mechanism(pm), want);
    if (*want)
    {
        CU_ASSERT_EQUAL(m.hr, S_OK);
        CU_ASSERT_STRING_EQUAL(m.external, "198.51.100.9");
        CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &m), S_OK);
    }
    else
    {
        CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
        rtcpm_auto_pm_last_error(pm, why, sizeof(why));
        CU_ASSERT_PTR_NOT_NULL(strstr(why, "STUN: symmetric NAT"));
        CU_ASSERT_PTR_NULL(strstr(why, "local:")); /* no guessing after STUN said no */
        CU_ASSERT_EQUAL(get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_FAILED);
        CU_ASSERT_EQUAL(rtcpm_auto_pm_probes(pm), 1); /* "nothing works" is kept */
    }
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    fake_stun_stop(&s1);
    fake_stun_stop(&s2);
}

static void test_stun_and_symmetric(void)
{
    check_stun(0, "STUN");
    check_stun(7, "");
}

/* The chosen mechanism's server goes away: the next call probes again and is served by the
 * next mechanism that works (STUN here), with the reasons of the new verdict. */
static void test_pcp_gone_then_stun(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    struct fake_stun_server s1, s2;
    struct fake_stun_options so;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], b[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], c[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    char verdict[800];
    IRTCPortManager3 *pm;
    struct mapping m, s;
    memset(&o, 0, sizeof(o));
    memset(&so, 0, sizeof(so));
    so.mapped_addr = test_addr("198.51.100.9", 0);
    CU_ASSERT_EQUAL_FATAL(fake_pcp_start(&srv, &lo, &o, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(fake_stun_start(&s1, &lo, &so, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(fake_stun_start(&s2, &lo, &so, NULL), 0);
    pm = make("[auto]\nmechanisms = pcp, nat-pmp, stun, local\npcp-server = %s\nstun = %s, %s\n"
              "local-address = 127.0.0.1\ntimeout = 1000\n",
              hp(&srv.addr, a), hp(&s1.addr, b), hp(&s2.addr, c));
    m = get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(rtcpm_auto_pm_mechanism(pm), "PCP");
    CU_ASSERT_STRING_EQUAL(m.external, "198.51.100.7");
    CU_ASSERT_EQUAL(rtcpm_auto_pm_probes(pm), 1);
    fake_pcp_stop(&srv); /* the router's PCP server is gone: nothing listens there any more */
    s = get(pm, RTCTR_UDP, RTCPT_AUDIO_RTP);
    CU_ASSERT_EQUAL(s.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(rtcpm_auto_pm_mechanism(pm), "STUN");
    CU_ASSERT_STRING_EQUAL(s.external, "198.51.100.9"); /* what the STUN server saw */
    CU_ASSERT_EQUAL(rtcpm_auto_pm_probes(pm), 2);
    rtcpm_auto_pm_verdict(pm, verdict, sizeof(verdict)); /* the winner's reason only */
    if (strncmp(verdict, "STUN: 127.0.0.1: external 198.51.100.9", 38)) printf("\n    verdict '%s'\n", verdict);
    CU_ASSERT_EQUAL(strncmp(verdict, "STUN: 127.0.0.1: external 198.51.100.9", 38), 0);
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &s), S_OK);
    s = get(pm, RTCTR_UDP, RTCPT_SIP); /* the new verdict is kept */
    CU_ASSERT_EQUAL(s.hr, S_OK);
    CU_ASSERT_EQUAL(rtcpm_auto_pm_probes(pm), 2);
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &s), S_OK);
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &m), S_OK); /* still PCP's: unanswered, gone here */
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    fake_stun_stop(&s1);
    fake_stun_stop(&s2);
}

/* The network a test moves the port manager to (auto_pm_test_hooks.network). */
struct test_network
{
    rtcpm_addr gw, local;
};

static void test_network_hook(void *ctx, rtcpm_addr *gw, rtcpm_addr *local)
{
    const struct test_network *n = ctx;
    *gw = n->gw;
    *local = n->local;
}

/* One PCP mapping made and released; the verdict names gw and local. Returns the probes so far. */
static LONG call_on(IRTCPortManager3 *pm, const char *gw, const char *local)
{
    char verdict[800], want[120];
    struct mapping m = get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(rtcpm_auto_pm_mechanism(pm), "PCP");
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &m), S_OK);
    rtcpm_auto_pm_verdict(pm, verdict, sizeof(verdict));
    snprintf(want, sizeof(want), "(gateway %s, local %s)", gw, local);
    if (!strstr(verdict, want)) printf("\n    verdict '%s', want '%s'\n", verdict, want);
    CU_ASSERT_PTR_NOT_NULL(strstr(verdict, want));
    return rtcpm_auto_pm_probes(pm);
}

/* The verdict is for one gateway and local address: another of either makes the next call
 * probe again; the same network keeps it. */
static void test_network_change(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    struct test_network net;
    struct auto_pm_test_hooks hooks;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    IRTCPortManager3 *pm;
    LONG n0;
    memset(&o, 0, sizeof(o));
    memset(&hooks, 0, sizeof(hooks));
    CU_ASSERT_EQUAL_FATAL(fake_pcp_start(&srv, &lo, &o, NULL), 0);
    pm = make("[auto]\nmechanisms = pcp\npcp-server = %s\ntimeout = 1000\n", hp(&srv.addr, a));
    CU_ASSERT_EQUAL(rtcpm_auto_pm_wait_ready(pm, 5000), S_OK); /* the first probe: the real table */
    n0 = rtcpm_auto_pm_probes(pm);
    net.gw = test_addr("198.18.200.1", 0);
    net.local = test_addr("127.0.0.1", 0);
    hooks.network = test_network_hook;
    hooks.ctx = &net;
    CU_ASSERT_EQUAL(rtcpm_auto_pm_set_test_hooks(pm, &hooks), S_OK);
    CU_ASSERT_EQUAL(call_on(pm, "198.18.200.1", "127.0.0.1"), n0 + 1);
    CU_ASSERT_EQUAL(call_on(pm, "198.18.200.1", "127.0.0.1"), n0 + 1); /* same network: kept */
    net.gw = test_addr("198.18.200.2", 0);                             /* another router */
    CU_ASSERT_EQUAL(call_on(pm, "198.18.200.2", "127.0.0.1"), n0 + 2);
    CU_ASSERT_EQUAL(call_on(pm, "198.18.200.2", "127.0.0.1"), n0 + 2);
    net.local = test_addr("127.0.0.2", 0); /* another address of the host (DHCP, another link) */
    CU_ASSERT_EQUAL(call_on(pm, "198.18.200.2", "127.0.0.2"), n0 + 3);
    CU_ASSERT_EQUAL(call_on(pm, "198.18.200.2", "127.0.0.2"), n0 + 3);
    CU_ASSERT_EQUAL(rtcpm_auto_pm_set_test_hooks(NULL, &hooks), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    fake_pcp_stop(&srv);
}

/* "Nothing works" is kept 30 s (calls fail at once), then the next call probes again. The
 * verdict's clock is moved forward by the test hook instead of waiting. */
static void test_nothing_works_expires(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    struct auto_pm_test_hooks hooks;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    IRTCPortManager3 *pm;
    struct mapping m;
    memset(&o, 0, sizeof(o));
    memset(&hooks, 0, sizeof(hooks));
    o.fault = FAKE_PCP_RESULT;
    o.result = RTCPM_PCP_NOT_AUTHORIZED;
    CU_ASSERT_EQUAL_FATAL(fake_pcp_start(&srv, &lo, &o, NULL), 0);
    pm = make("[auto]\nmechanisms = pcp\npcp-server = %s\nlocal-address = 127.0.0.1\n", hp(&srv.addr, a));
    CU_ASSERT_EQUAL(rtcpm_auto_pm_wait_ready(pm, 5000), S_OK);
    CU_ASSERT_EQUAL(rtcpm_auto_pm_probes(pm), 1);
    CU_ASSERT_EQUAL(get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_FAILED);
    o.fault = FAKE_PCP_NORMAL; /* the router works now, but the verdict is not 30 s old */
    fake_pcp_set_options(&srv, &o);
    CU_ASSERT_EQUAL(get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_FAILED);
    hooks.clock_offset_ms = 25000; /* 25 s later (5 s for slow runs); the 30 s of README */
    CU_ASSERT_EQUAL(rtcpm_auto_pm_set_test_hooks(pm, &hooks), S_OK);
    CU_ASSERT_EQUAL(get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_EQUAL(rtcpm_auto_pm_probes(pm), 1); /* no call probed */
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 1);  /* the first ANNOUNCE only */
    hooks.clock_offset_ms = 30000;                /* 30 s later */
    CU_ASSERT_EQUAL(rtcpm_auto_pm_set_test_hooks(pm, &hooks), S_OK);
    m = get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(rtcpm_auto_pm_mechanism(pm), "PCP");
    CU_ASSERT_EQUAL(rtcpm_auto_pm_probes(pm), 2);
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    fake_pcp_stop(&srv);
}

/* A STUN server that never answers is a refusal (README's decision table): local addresses are
 * not guessed when STUN servers are configured, and the reason names the silent server. */
static void test_stun_silent_refuses(void)
{
    struct fake_stun_server s1;
    struct fake_stun_options so;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], why[800], want[120];
    IRTCPortManager3 *pm;
    memset(&so, 0, sizeof(so));
    so.mode = FAKE_STUN_SILENT;
    CU_ASSERT_EQUAL_FATAL(fake_stun_start(&s1, &lo, &so, NULL), 0);
    pm = make("[auto]\nmechanisms = stun, local\nstun = %s\nlocal-address = 127.0.0.1\ntimeout = 500\n",
              hp(&s1.addr, a));
    CU_ASSERT_EQUAL(get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_STRING_EQUAL(rtcpm_auto_pm_mechanism(pm), "");
    rtcpm_auto_pm_last_error(pm, why, sizeof(why));
    snprintf(want, sizeof(want), "no way through the NAT: STUN: no answer from %s", a);
    if (!strstr(why, want) || strstr(why, "local:")) printf("\n    reason '%s'\n", why);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, want));
    CU_ASSERT_PTR_NULL(strstr(why, "local:")); /* not tried: a guess behind a NAT */
    CU_ASSERT_EQUAL(rtcpm_auto_pm_live_mappings(pm), 0);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    fake_stun_stop(&s1);
}

static void test_local_pairing(void)
{
    IRTCPortManager3 *pm = make("[auto]\nmechanisms = local\nlocal-address = 127.0.0.1\n"
                                "[ports audio-rtp]\nrange = 47400-47420\n");
    struct mapping rtp = get(pm, RTCTR_UDP, RTCPT_AUDIO_RTP), rtcp = get(pm, RTCTR_UDP, RTCPT_AUDIO_RTCP);
    CU_ASSERT_EQUAL_FATAL(rtp.hr, S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcp.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(rtcpm_auto_pm_mechanism(pm), "local");
    CU_ASSERT_EQUAL(rtp.internal_port % 2, 0);
    CU_ASSERT_TRUE(rtp.internal_port >= 47400 && rtp.internal_port <= 47420);
    CU_ASSERT_EQUAL(rtcp.internal_port, rtp.internal_port + 1);
    CU_ASSERT_STRING_EQUAL(rtp.external, rtp.internal);
    CU_ASSERT_EQUAL(rtcpm_auto_pm_live_mappings(pm), 2);
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &rtp), S_OK);
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &rtcp), S_OK);
    check_port_manager_identity_and_release(pm); /* local only: no inner port manager */
}

static void test_config(void)
{
    IRTCPortManager3 *pm = (IRTCPortManager3 *)1;
    char err[300];
    CU_ASSERT_EQUAL(
        rtcpm_auto_pm_create_from_string("[auto]\nmechanisms = pcp, carrier-pigeon\n", "a.ini", &pm, err, sizeof(err)),
        E_INVALIDARG);
    CU_ASSERT_PTR_NULL(pm);
    CU_ASSERT_STRING_EQUAL(err, "a.ini:2: mechanisms: 'carrier-pigeon' is not pcp, nat-pmp, upnp, stun or local");
    CU_ASSERT_EQUAL(
        rtcpm_auto_pm_create_from_string("[auto]\nmechanisms = stun, stun\n", "a.ini", &pm, err, sizeof(err)),
        E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "a.ini:2: mechanisms: 'stun' given twice");
    CU_ASSERT_EQUAL(rtcpm_auto_pm_create_from_string("[auto]\nstun = 1.2.3\n", "a.ini", &pm, err, sizeof(err)),
                    E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "a.ini:2: stun: entry 1 '1.2.3' is neither an IP address nor a host name");
    CU_ASSERT_EQUAL(rtcpm_auto_pm_create_from_string("[auto]\nprobe-timeout = 5\n", "a.ini", &pm, err, sizeof(err)),
                    E_INVALIDARG);
    CU_ASSERT_PTR_NULL(rtcpm_auto_pm_mechanism(NULL));
    CU_ASSERT_EQUAL(rtcpm_auto_pm_wait_ready(NULL, 0), E_INVALIDARG);
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "pcp_then_stale", test_pcp_then_stale },
        { "pcp_refusal_next", test_pcp_refusal_next },
        { "natpmp", test_natpmp },
        { "stun_and_symmetric", test_stun_and_symmetric },
        { "pcp_gone_then_stun", test_pcp_gone_then_stun },
        { "network_change", test_network_change },
        { "nothing_works_expires", test_nothing_works_expires },
        { "stun_silent_refuses", test_stun_silent_refuses },
        { "local_pairing", test_local_pairing },
        { "config", test_config },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("auto_pm", tests, argc, argv);
}
