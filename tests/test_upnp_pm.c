/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_upnp_pm.c — the UPnP IGD port manager natively (libminiupnpc) against the in-process
 * fake IGD (tests/fake_igd): AddPortMapping on the wire, TCP, a conflicting entry (718) and
 * AddAnyPortMapping, the IGD's refusals, no external address (STUN fallback against the fake
 * STUN server, or the reason), renewal at half-life, release and the last Release, a dead
 * IGD, config errors. The real IGD (miniupnpd) and Windows' hnetcfg: e2e case upnp_pm.
 */
#define COBJMACROS
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "com/bstr_util.h"
#include "fake_igd.h"
#include "fake_stun_server.h"
#include "loopback.h"
#include "os/os_platform.h"
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
    hr = rtcpm_upnp_pm_create_from_string(text, "upnp.ini", &pm, err, sizeof(err));
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
    if (FAILED(m.hr))
    {
        CU_ASSERT_PTR_NULL(ia);
        CU_ASSERT_EQUAL(m.external_port, 0);
        return m;
    }
    rtcpm_bstr_to_utf8(ia, m.internal, sizeof(m.internal), &len);
    rtcpm_bstr_to_utf8(ea, m.external, sizeof(m.external), &len);
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

static void why_has(IRTCPortManager3 *pm, const char *want)
{
    char why[300];
    rtcpm_upnp_pm_last_error(pm, why, sizeof(why));
    if (!strstr(why, want)) printf("\n    reason '%s', wanted '%s'\n", why, want);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, want));
}

static void test_map_release_on_the_wire(void)
{
    struct fake_igd igd;
    struct fake_igd_mapping nat;
    IRTCPortManager3 *pm;
    struct mapping m, t;
    char what[128];
    CU_ASSERT_EQUAL_FATAL(fake_igd_start(&igd), 0);
    pm = make("[upnp]\nigd = %s\nlocal-address = 127.0.0.1\n", igd.url);
    m = get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(m.internal, "127.0.0.1");
    CU_ASSERT_STRING_EQUAL(m.external, "198.51.100.7"); /* GetExternalIPAddress */
    CU_ASSERT_EQUAL(m.external_port, m.internal_port);
    CU_ASSERT_TRUE(fake_igd_find(&igd, 0, (uint16_t)m.external_port, &nat));
    CU_ASSERT_STRING_EQUAL(nat.client, "127.0.0.1");
    CU_ASSERT_EQUAL(nat.internal_port, m.internal_port);
    CU_ASSERT_EQUAL(nat.lease, 3600);
    CU_ASSERT_STRING_EQUAL(nat.description, "rtcpm");
    rtcpm_upnp_pm_igd(pm, what, sizeof(what));
    CU_ASSERT_STRING_EQUAL(what, igd.url);
    t = get(pm, RTCTR_TLS, RTCPT_SIP);
    CU_ASSERT_EQUAL(t.hr, S_OK);
    CU_ASSERT_TRUE(fake_igd_find(&igd, 1, (uint16_t)t.external_port, &nat)); /* TLS is TCP */
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_FALSE(fake_igd_find(&igd, 0, (uint16_t)m.external_port, &nat));
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &m), RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(rtcpm_upnp_pm_live_mappings(pm), 1);
    check_port_manager_identity_and_release(pm); /* the last Release removes the TLS one */
    CU_ASSERT_EQUAL(fake_igd_count(&igd), 0);
    fake_igd_stop(&igd);
}

/* Two hosts want one external port: the second gets 718, then AddAnyPortMapping's port. */
static void test_conflict_any_port(void)
{
    struct fake_igd igd;
    IRTCPortManager3 *a, *b;
    struct mapping ma, mb;
    CU_ASSERT_EQUAL_FATAL(fake_igd_start(&igd), 0);
    a = make("[upnp]\nigd = %s\nlocal-address = 127.0.0.1\n[ports sip]\nrange = 47311\n", igd.url);
    b = make("[upnp]\nigd = %s\nlocal-address = 127.0.0.2\n[ports sip]\nrange = 47311\n", igd.url);
    ma = get(a, RTCTR_UDP, RTCPT_SIP);
    mb = get(b, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL_FATAL(ma.hr, S_OK);
    CU_ASSERT_EQUAL_FATAL(mb.hr, S_OK);
    CU_ASSERT_EQUAL(ma.external_port, 47311);
    CU_ASSERT_EQUAL(mb.internal_port, 47311);
    CU_ASSERT_EQUAL(mb.external_port, 47312);
    CU_ASSERT_EQUAL(fake_igd_count(&igd), 2);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(a), 0);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(b), 0);
    CU_ASSERT_EQUAL(fake_igd_count(&igd), 0);
    fake_igd_stop(&igd);
}

static void test_refusals(void)
{
    struct fake_igd igd;
    IRTCPortManager3 *pm;
    CU_ASSERT_EQUAL_FATAL(fake_igd_start(&igd), 0);
    pm = make("[upnp]\nigd = %s\nlocal-address = 127.0.0.1\n", igd.url);
    fake_igd_set(&igd, "198.51.100.7", 606);
    CU_ASSERT_EQUAL(get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_UNAVAILABLE);
    why_has(pm, "UPnP error 606 (Action not authorized)");
    fake_igd_set(&igd, "198.51.100.7", 728);
    CU_ASSERT_EQUAL(get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_UNAVAILABLE);
    fake_igd_set(&igd, "198.51.100.7", 501);
    CU_ASSERT_EQUAL(get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_FAILED);
    why_has(pm, "UPnP error 501");
    CU_ASSERT_EQUAL(rtcpm_upnp_pm_live_mappings(pm), 0);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    fake_igd_stop(&igd);
}

/* An IGD without an external address (Wine's API gives none): the reason, or STUN. */
static void test_no_external_address(void)
{
    struct fake_igd igd;
    struct fake_stun_server stun;
    struct fake_stun_options o;
    struct rtcpm_upnp_pm_stats st;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    IRTCPortManager3 *pm;
    struct mapping m;
    char server[64];
    CU_ASSERT_EQUAL_FATAL(fake_igd_start(&igd), 0);
    fake_igd_set(&igd, "", 0);
    pm = make("[upnp]\nigd = %s\nlocal-address = 127.0.0.1\n", igd.url);
    CU_ASSERT_EQUAL(get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_FAILED);
    why_has(pm, "gave no external address, and no STUN server is configured");
    CU_ASSERT_EQUAL(fake_igd_count(&igd), 0); /* the mapping made went again */
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);

    memset(&o, 0, sizeof(o));
    o.mapped_addr = test_addr("203.0.113.77", 0);
    CU_ASSERT_EQUAL_FATAL(fake_stun_start(&stun, &lo, &o, NULL), 0);
    rtcpm_addr_format_hostport(&stun.addr, server, sizeof(server));
    pm = make("[upnp]\nigd = %s\nlocal-address = 127.0.0.1\nstun = %s\n", igd.url, server);
    m = get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(m.external, "203.0.113.77");
    rtcpm_upnp_pm_get_stats(pm, &st);
    CU_ASSERT_EQUAL(st.stun, 1);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    CU_ASSERT_EQUAL(fake_igd_count(&igd), 0);
    fake_stun_stop(&stun);
    fake_igd_stop(&igd);
}

static void test_renewal(void)
{
    struct fake_igd igd;
    struct rtcpm_upnp_pm_stats st;
    unsigned adds, deletes, gets;
    IRTCPortManager3 *pm;
    struct mapping m;
    uint64_t end;
    CU_ASSERT_EQUAL_FATAL(fake_igd_start(&igd), 0);
    pm = make("[upnp]\nigd = %s\nlocal-address = 127.0.0.1\nlifetime = 2\n", igd.url);
    m = get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    end = rtcpm_clock_ms() + 3000;
    do {
        rtcpm_sleep_ms(50);
        rtcpm_upnp_pm_get_stats(pm, &st);
    } while (st.renewals < 2 && rtcpm_clock_ms() < end);
    CU_ASSERT_EQUAL(st.renewals, 2); /* at 1 s and 2 s */
    fake_igd_counters(&igd, &adds, &deletes, &gets);
    CU_ASSERT_EQUAL(adds, 3);
    CU_ASSERT_EQUAL(release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(fake_igd_count(&igd), 0);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    fake_igd_stop(&igd);
}

static void test_dead_igd_and_config(void)
{
    struct fake_igd igd;
    IRTCPortManager3 *pm = NULL;
    char err[300], url[128];
    CU_ASSERT_EQUAL_FATAL(fake_igd_start(&igd), 0);
    snprintf(url, sizeof(url), "%s", igd.url);
    fake_igd_stop(&igd);
    pm = make("[upnp]\nigd = %s\nlocal-address = 127.0.0.1\n", url);
    CU_ASSERT_EQUAL(get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_FAILED);
    why_has(pm, "no description from http://127.0.0.1:");
    CU_ASSERT_EQUAL(get(pm, RTCTR_UDP, RTCPT_AUDIO_RTP).hr, RTC_E_PORT_MAPPING_FAILED); /* looked for again */
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    pm = (IRTCPortManager3 *)1;
    CU_ASSERT_EQUAL(rtcpm_upnp_pm_create_from_string("[upnp]\nigd = ftp://x/\n", "u.ini", &pm, err, sizeof(err)),
                    E_INVALIDARG);
    CU_ASSERT_PTR_NULL(pm);
    CU_ASSERT_STRING_EQUAL(err, "u.ini:2: igd: 'ftp://x/' is not http://host[:port]/path");
    CU_ASSERT_EQUAL(rtcpm_upnp_pm_create_from_string("[upnp]\ndiscover = 10\n", "u.ini", &pm, err, sizeof(err)),
                    E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "u.ini:2: discover: '10' is not a number in 100..60000 ms");
    CU_ASSERT_EQUAL(rtcpm_upnp_pm_create_from_string("[pcp]\n", "u.ini", &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "u.ini:1: unknown section [pcp] (expected [upnp], [ports <port type>])");
    CU_ASSERT_TRUE(rtcpm_upnp_pm_available());
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "map_release_on_the_wire", test_map_release_on_the_wire },
        { "conflict_any_port", test_conflict_any_port },
        { "refusals", test_refusals },
        { "no_external_address", test_no_external_address },
        { "renewal", test_renewal },
        { "dead_igd_and_config", test_dead_igd_and_config },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("upnp_pm", tests, argc, argv);
}
