/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_static_pm.c — the static port manager as RTC sees it: QueryInterface, identity and
 * refcounts; GetMapping(Ex) texts and ports for IPv4 and IPv6; ranges, exhaustion and
 * return; rule order, transports, remote filters; ReleaseMapping(Ex) and UpdateRemoteAddress*
 * with unknown, double and malformed arguments; out parameters on failure; threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "recording_pm.h"
#include "port_manager_checks.h"
#include "test_thread.h"
#include "com/com.h"
#include "com/bstr_util.h"
#include "pm/static_pm_private.h"
#include "pm/mapping_table.h"

/* A BSTR from ASCII (the tests' [in] strings); freed with SysFreeString. */
static BSTR B(const char *s) { return rtcpm_bstr_from_cstr(s); }

static IRTCPortManager3 *pm_from(const char *config)
{
    IRTCPortManager3 *pm = NULL;
    char err[256];
    HRESULT hr;
    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&pm), S_OK);
    hr = rtcpm_static_pm_load_string(pm, config, "test.ini", err, sizeof(err));
    if (hr != S_OK) printf("\n    config rejected: %s\n", err);
    CU_ASSERT_EQUAL_FATAL(hr, S_OK);
    return pm;
}

static const char nat_config[] = "[mapping sip]\n"
                                 "transport = udp, tcp\n"
                                 "internal = 192.168.1.10:5060\n"
                                 "external = 198.51.100.7:5060\n"
                                 "[mapping audio-rtp]\n"
                                 "internal = 192.168.1.10:30000-30009\n"
                                 "external = 198.51.100.7:40000-40009\n";

/* GetMappingEx with text arguments; returns the HRESULT, fills the outs. */
static HRESULT get_ex(IRTCPortManager3 *pm, const char *remote, LONG rport, LONG transport, RTC_PORT_TYPE type,
                      BSTR *ia, LONG *ip, BSTR *ea, LONG *ep)
{
    BSTR r = remote ? B(remote) : NULL;
    HRESULT hr = pm->lpVtbl->GetMappingEx(pm, r, rport, transport, type, ia, ip, ea, ep);
    SysFreeString(r);
    return hr;
}

static HRESULT release_ex(IRTCPortManager3 *pm, LONG transport, const char *ia, LONG ip, const char *ea, LONG ep)
{
    BSTR a = ia ? B(ia) : NULL, b = ea ? B(ea) : NULL;
    HRESULT hr = pm->lpVtbl->ReleaseMappingEx(pm, transport, a, ip, b, ep);
    SysFreeString(a);
    SysFreeString(b);
    return hr;
}

static HRESULT update_ex2(IRTCPortManager3 *pm, const char *remote, LONG rport, LONG transport, const char *ia, LONG ip,
                          const char *ea, LONG ep)
{
    BSTR r = remote ? B(remote) : NULL, a = ia ? B(ia) : NULL, b = ea ? B(ea) : NULL;
    HRESULT hr = pm->lpVtbl->UpdateRemoteAddressEx2(pm, r, rport, transport, a, ip, b, ep);
    SysFreeString(r);
    SysFreeString(a);
    SysFreeString(b);
    return hr;
}

/* Asserts one successful mapping's exact texts and ports, then frees the BSTRs. */
#define CHECK_MAPPING(hr, ia, ip, ea, ep, want_ia, want_ip, want_ea, want_ep)                                          \
    do {                                                                                                               \
        CU_ASSERT_EQUAL(hr, S_OK);                                                                                     \
        CU_ASSERT_BSTR_EQUAL(ia, RTCPM_W(want_ia));                                                                    \
        CU_ASSERT_EQUAL(ip, want_ip);                                                                                  \
        CU_ASSERT_BSTR_EQUAL(ea, RTCPM_W(want_ea));                                                                    \
        CU_ASSERT_EQUAL(ep, want_ep);                                                                                  \
        SysFreeString(ia);                                                                                             \
        SysFreeString(ea);                                                                                             \
        ia = ea = NULL;                                                                                                \
    } while (0)

/* GetMappingEx with text arguments must give exactly this mapping (its BSTRs are freed). */
#define EXPECT_MAPPING(pm, remote, rport, transport, type, want_ia, want_ip, want_ea, want_ep)                         \
    do {                                                                                                               \
        BSTR ia_ = NULL, ea_ = NULL;                                                                                   \
        LONG ip_ = 0, ep_ = 0;                                                                                         \
        HRESULT hr_ = get_ex(pm, remote, rport, transport, type, &ia_, &ip_, &ea_, &ep_);                              \
        CHECK_MAPPING(hr_, ia_, ip_, ea_, ep_, want_ia, want_ip, want_ea, want_ep);                                    \
    } while (0)

/* GetMappingEx's HRESULT alone, for the calls that must fail (BSTRs it gave anyway are freed). */
static HRESULT get_hr(IRTCPortManager3 *pm, const char *remote, LONG rport, LONG transport, RTC_PORT_TYPE type)
{
    BSTR ia = NULL, ea = NULL;
    LONG ip, ep;
    HRESULT hr = get_ex(pm, remote, rport, transport, type, &ia, &ip, &ea, &ep);
    SysFreeString(ia);
    SysFreeString(ea);
    return hr;
}

static void check_outs_cleared(BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    CU_ASSERT_PTR_NULL(ia);
    CU_ASSERT_PTR_NULL(ea);
    CU_ASSERT_EQUAL(ip, 0);
    CU_ASSERT_EQUAL(ep, 0);
}

static const char *mappings_text(IRTCPortManager3 *pm)
{
    static char buf[4096];
    LONG n = rtcpm_static_pm_format_mappings(pm, buf, sizeof(buf));
    CU_ASSERT_TRUE(n >= 0 && n < (LONG)sizeof(buf));
    return buf;
}

static void test_qi_identity_refcount(void)
{
    IRTCPortManager3 *pm3 = NULL;
    LONG live = rtcpm_live_objects();

    CU_ASSERT_EQUAL(rtcpm_static_pm_create(NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&pm3), S_OK);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live + 1);
    check_port_manager_identity_and_release(pm3);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
}

/* A C API call on something that is not a static port manager is refused, not trusted. */
static void test_foreign_object(void)
{
    IRTCPortManager *other;
    struct rtcpm_static_rule rule = { RTCPT_SIP, RTCTR_UDP, "192.168.1.10", 5060, 0, "198.51.100.7", 5060, 0, NULL };
    char err[128];

    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &other), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_add_rule((IRTCPortManager3 *)other, &rule), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_static_pm_load_string((IRTCPortManager3 *)other, nat_config, "x", err, sizeof(err)),
                    E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "not an rtcpm static port manager");
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings((IRTCPortManager3 *)other), -1);
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count((IRTCPortManager3 *)other), -1);
    CU_ASSERT_EQUAL(rtcpm_static_pm_format_mappings((IRTCPortManager3 *)other, NULL, 0), -1);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(NULL), -1);
    CU_ASSERT_EQUAL(rtcpm_static_pm_add_rule(NULL, &rule), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(other), ""); /* nothing was called on it */
    other->lpVtbl->Release(other);
}

static void test_get_mapping_v4(void)
{
    IRTCPortManager3 *pm = pm_from(nat_config);
    IRTCPortManager *pm1 = (IRTCPortManager *)pm;
    BSTR ia = NULL, ea = NULL, remote = B("203.0.113.5");
    LONG ip = 0, ep = 0;
    HRESULT hr;

    /* v1 GetMapping: UDP */
    hr = pm1->lpVtbl->GetMapping(pm1, remote, RTCPT_SIP, &ia, &ip, &ea, &ep);
    CHECK_MAPPING(hr, ia, ip, ea, ep, "192.168.1.10", 5060, "198.51.100.7", 5060);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 1);
    CU_ASSERT_STRING_EQUAL(mappings_text(pm), "udp sip 192.168.1.10:5060 198.51.100.7:5060 remote 203.0.113.5\n");

    /* the one SIP/UDP port is taken: unavailable, outs cleared */
    ia = ea = (BSTR)(void *)&hr;
    ip = ep = 77;
    hr = pm1->lpVtbl->GetMapping(pm1, remote, RTCPT_SIP, &ia, &ip, &ea, &ep);
    CU_ASSERT_EQUAL(hr, RTC_E_PORT_MAPPING_UNAVAILABLE);
    check_outs_cleared(ia, ip, ea, ep);

    /* ... but TCP is another port */
    EXPECT_MAPPING(pm, "203.0.113.5", 5060, RTCTR_TCP, RTCPT_SIP, "192.168.1.10", 5060, "198.51.100.7", 5060);
    /* no TLS in the rule, no rule at all for video */
    CU_ASSERT_EQUAL(get_hr(pm, "203.0.113.5", 5061, RTCTR_TLS, RTCPT_SIP), RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(get_hr(pm, "203.0.113.5", 0, RTCTR_UDP, RTCPT_VIDEO_RTP), RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 2);
    CU_ASSERT_STRING_EQUAL(mappings_text(pm), "udp sip 192.168.1.10:5060 198.51.100.7:5060 remote 203.0.113.5\n"
                                              "tcp sip 192.168.1.10:5060 198.51.100.7:5060 remote 203.0.113.5:5060\n");

    /* v1 ReleaseMapping releases the UDP one only */
    {
        BSTR a = B("192.168.1.10"), b = B("198.51.100.7");
        CU_ASSERT_EQUAL(pm1->lpVtbl->ReleaseMapping(pm1, a, 5060, b, 5060), S_OK);
        CU_ASSERT_EQUAL(pm1->lpVtbl->ReleaseMapping(pm1, a, 5060, b, 5060), RTC_E_PORT_MAPPING_UNAVAILABLE);
        SysFreeString(a);
        SysFreeString(b);
    }
    CU_ASSERT_STRING_EQUAL(mappings_text(pm), "tcp sip 192.168.1.10:5060 198.51.100.7:5060 remote 203.0.113.5:5060\n");
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_TCP, "192.168.1.10", 5060, "198.51.100.7", 5060), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 0);
    CU_ASSERT_STRING_EQUAL(mappings_text(pm), "");
    SysFreeString(remote);
    pm->lpVtbl->Release(pm);
}

/* RFC 5952 text out, any spelling in. */
static void test_get_mapping_v6(void)
{
    IRTCPortManager3 *pm = pm_from("[mapping sip]\n"
                                   "transport = tcp\n"
                                   "internal = [2001:DB8:1:0:0:0:0:10]:5061\n"
                                   "external = [2001:0db8:ffff::0007]:5061\n"
                                   "[mapping audio-rtp]\n"
                                   "internal = [2001:db8:0:0:1:0:0:1]:30000-30001\n"
                                   "external = [2001:db8::ffff:0:0:7]:40000-40001\n");

    EXPECT_MAPPING(pm, "2001:db8:99::1", 5061, RTCTR_TCP, RTCPT_SIP, "2001:db8:1::10", 5061, "2001:db8:ffff::7", 5061);
    EXPECT_MAPPING(pm, "[2001:db8:99::1]", 49152, RTCTR_UDP, RTCPT_AUDIO_RTP, "2001:db8::1:0:0:1", 30000,
                   "2001:db8::ffff:0:0:7", 40000);
    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_AUDIO_RTP, "2001:db8::1:0:0:1", 30001, "2001:db8::ffff:0:0:7", 40001);
    /* an IPv4 remote cannot use IPv6 rules */
    CU_ASSERT_EQUAL(get_hr(pm, "203.0.113.5", 0, RTCTR_TCP, RTCPT_SIP), RTC_E_PORT_MAPPING_UNAVAILABLE);
    /* nor be the remote of an IPv6 mapping (an IPv4-mapped one neither); an IPv6 one can */
    CU_ASSERT_EQUAL(update_ex2(pm, "203.0.113.5", 5060, RTCTR_TCP, "2001:db8:1::10", 5061, "2001:db8:ffff::7", 5061),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(
        update_ex2(pm, "::ffff:203.0.113.5", 0, RTCTR_UDP, "2001:db8::1:0:0:1", 30001, "2001:db8::ffff:0:0:7", 40001),
        E_INVALIDARG);
    CU_ASSERT_EQUAL(
        update_ex2(pm, "2001:db8:99::2", 0, RTCTR_UDP, "2001:db8::1:0:0:1", 30001, "2001:db8::ffff:0:0:7", 40001),
        S_OK);
    CU_ASSERT_STRING_EQUAL(
        mappings_text(pm),
        "udp audio-rtp [2001:db8::1:0:0:1]:30000 [2001:db8::ffff:0:0:7]:40000 remote [2001:db8:99::1]:49152\n"
        "udp audio-rtp [2001:db8::1:0:0:1]:30001 [2001:db8::ffff:0:0:7]:40001 remote [2001:db8:99::2]\n"
        "tcp sip [2001:db8:1::10]:5061 [2001:db8:ffff::7]:5061 remote [2001:db8:99::1]:5061\n");

    /* release with other spellings of the same addresses */
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_TCP, "2001:0DB8:0001:0000::0010", 5061, "[2001:db8:FFFF::7]", 5061), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "2001:db8:0:0:1::1", 30000, "2001:db8:0:0:ffff::7", 40000), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "2001:db8::1:0:0:1", 30001, "2001:db8::ffff:0:0:7", 40001), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 0);
    pm->lpVtbl->Release(pm);
}

/* Hand out all N, the N+1th fails, release one, the next gets exactly that one. */
static void test_range_exhaustion_and_return(void)
{
    IRTCPortManager3 *pm = pm_from(nat_config);
    BSTR ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0, k;
    HRESULT hr;

    for (k = 0; k < 10; k++)
    {
        hr = get_ex(pm, "203.0.113.5", 0, RTCTR_UDP, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep);
        CU_ASSERT_EQUAL(hr, S_OK);
        CU_ASSERT_BSTR_EQUAL(ia, RTCPM_W("192.168.1.10"));
        CU_ASSERT_BSTR_EQUAL(ea, RTCPM_W("198.51.100.7"));
        CU_ASSERT_EQUAL(ip, 30000 + k);
        CU_ASSERT_EQUAL(ep, 40000 + k); /* the k-th internal port maps to the k-th external */
        SysFreeString(ia);
        SysFreeString(ea);
    }
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 10);
    ia = ea = (BSTR)(void *)&hr;
    ip = ep = -5;
    CU_ASSERT_EQUAL(get_ex(pm, "203.0.113.5", 0, RTCTR_UDP, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    check_outs_cleared(ia, ip, ea, ep);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 10);

    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 30004, "198.51.100.7", 40004), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 9);
    EXPECT_MAPPING(pm, "203.0.113.5", 0, RTCTR_UDP, RTCPT_AUDIO_RTP, "192.168.1.10", 30004, "198.51.100.7", 40004);
    CU_ASSERT_EQUAL(get_hr(pm, "203.0.113.5", 0, RTCTR_UDP, RTCPT_AUDIO_RTP), RTC_E_PORT_MAPPING_UNAVAILABLE);

    for (k = 0; k < 10; k++)
        CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 30000 + k, "198.51.100.7", 40000 + k), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 0);
    pm->lpVtbl->Release(pm);
}

/* Round robin: a port just released is not handed out again while others are free. */
static void test_round_robin(void)
{
    IRTCPortManager3 *pm = pm_from(nat_config);

    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_AUDIO_RTP, "192.168.1.10", 30000, "198.51.100.7", 40000);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 30000, "198.51.100.7", 40000), S_OK);
    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_AUDIO_RTP, "192.168.1.10", 30001, "198.51.100.7", 40001);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 30001, "198.51.100.7", 40001), S_OK);
    pm->lpVtbl->Release(pm);
}

/* Rules apply in order; a full rule falls through to the next matching one; "any" matches
 * every port type. */
static void test_rule_order_and_any(void)
{
    IRTCPortManager3 *pm = pm_from("[mapping sip]\n"
                                   "internal = 192.168.1.10:5060\n"
                                   "external = 198.51.100.7:5060\n"
                                   "[mapping any]\n"
                                   "internal = 192.168.1.10:31000-31002\n"
                                   "external = 198.51.100.7:41000-41002\n");

    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP, "192.168.1.10", 5060, "198.51.100.7", 5060);
    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP, "192.168.1.10", 31000, "198.51.100.7", 41000);
    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_AUDIO_RTCP, "192.168.1.10", 31001, "198.51.100.7", 41001);
    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_VIDEO_RTCP, "192.168.1.10", 31002, "198.51.100.7", 41002);
    CU_ASSERT_EQUAL(get_hr(pm, NULL, 0, RTCTR_UDP, RTCPT_VIDEO_RTP), RTC_E_PORT_MAPPING_UNAVAILABLE);
    /* "any" is not "any transport": the default is UDP */
    CU_ASSERT_EQUAL(get_hr(pm, NULL, 0, RTCTR_TCP, RTCPT_AUDIO_RTP), RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_STRING_EQUAL(mappings_text(pm), "udp sip 192.168.1.10:5060 198.51.100.7:5060 remote -\n"
                                              "udp sip 192.168.1.10:31000 198.51.100.7:41000 remote -\n"
                                              "udp audio-rtcp 192.168.1.10:31001 198.51.100.7:41001 remote -\n"
                                              "udp video-rtcp 192.168.1.10:31002 198.51.100.7:41002 remote -\n");
    pm->lpVtbl->Release(pm); /* drops the live mappings with the object */
}

/* Each rule keeps which of its ports are live, per transport: full rules are skipped, a
 * released port is free again in exactly its rule and transport, and a port taken through an
 * overlapping rule is still refused by the other one. */
static void test_full_rules_and_returns(void)
{
    IRTCPortManager3 *pm = pm_from("[mapping audio-rtp]\n"
                                   "transport = udp, tcp\n"
                                   "internal = 192.168.1.10:30000-30001\n"
                                   "external = 198.51.100.7:40000-40001\n"
                                   "[mapping audio-rtp]\n"
                                   "internal = 192.168.1.11:30000-30001\n"
                                   "external = 198.51.100.8:40000-40001\n"
                                   "[mapping audio-rtp]\n"
                                   "internal = 192.168.1.12:30000-30001\n"
                                   "external = 198.51.100.9:40000-40001\n"
                                   "[mapping video-rtp]\n" /* shares its internal port with the next rule */
                                   "internal = 192.168.1.10:31000\n"
                                   "external = 10.0.0.1:41000\n"
                                   "remote = 10.0.0.0/8\n"
                                   "[mapping video-rtp]\n"
                                   "internal = 192.168.1.10:31000\n"
                                   "external = 198.51.100.7:41000\n");
    static const char *const in[3] = { "192.168.1.10", "192.168.1.11", "192.168.1.12" };
    static const char *const ex[3] = { "198.51.100.7", "198.51.100.8", "198.51.100.9" };
    BSTR ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    HRESULT hr;
    int r, k;

    for (r = 0; r < 3; r++)
        for (k = 0; k < 2; k++)
        {
            hr = get_ex(pm, NULL, 0, RTCTR_UDP, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep);
            CU_ASSERT_EQUAL(hr, S_OK);
            if (hr != S_OK) continue;
            {
                char ta[64] = "", te[64] = "";
                rtcpm_bstr_to_utf8(ia, ta, sizeof(ta), NULL);
                rtcpm_bstr_to_utf8(ea, te, sizeof(te), NULL);
                CU_ASSERT_STRING_EQUAL(ta, in[r]); /* rule by rule, in order */
                CU_ASSERT_STRING_EQUAL(te, ex[r]);
            }
            SysFreeString(ia);
            SysFreeString(ea);
            CU_ASSERT_EQUAL(ip, 30000 + k);
            CU_ASSERT_EQUAL(ep, 40000 + k);
        }
    CU_ASSERT_EQUAL(get_hr(pm, NULL, 0, RTCTR_UDP, RTCPT_AUDIO_RTP), RTC_E_PORT_MAPPING_UNAVAILABLE);
    /* UDP is full, TCP of the first rule is not */
    EXPECT_MAPPING(pm, NULL, 0, RTCTR_TCP, RTCPT_AUDIO_RTP, "192.168.1.10", 30000, "198.51.100.7", 40000);
    /* a port of the middle rule comes back: only that one is free */
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, in[1], 30001, ex[1], 40001), S_OK);
    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_AUDIO_RTP, "192.168.1.11", 30001, "198.51.100.8", 40001);
    CU_ASSERT_EQUAL(get_hr(pm, NULL, 0, RTCTR_UDP, RTCPT_AUDIO_RTP), RTC_E_PORT_MAPPING_UNAVAILABLE);
    /* ports of the first and the last rule come back: the first rule is asked first */
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, in[2], 30000, ex[2], 40000), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, in[0], 30001, ex[0], 40001), S_OK);
    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_AUDIO_RTP, "192.168.1.10", 30001, "198.51.100.7", 40001);
    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_AUDIO_RTP, "192.168.1.12", 30000, "198.51.100.9", 40000);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 7);

    /* overlapping rules: the LAN rule takes 31000; the other rule's bitmap says free, the
     * table says taken; once released, the other rule hands it out */
    EXPECT_MAPPING(pm, "10.1.2.3", 0, RTCTR_UDP, RTCPT_VIDEO_RTP, "192.168.1.10", 31000, "10.0.0.1", 41000);
    CU_ASSERT_EQUAL(get_hr(pm, "203.0.113.5", 0, RTCTR_UDP, RTCPT_VIDEO_RTP), RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 31000, "10.0.0.1", 41000), S_OK);
    EXPECT_MAPPING(pm, "203.0.113.5", 0, RTCTR_UDP, RTCPT_VIDEO_RTP, "192.168.1.10", 31000, "198.51.100.7", 41000);
    /* and the LAN rule, whose own port was released, is refused through the other one */
    CU_ASSERT_EQUAL(get_hr(pm, "10.1.2.3", 0, RTCTR_UDP, RTCPT_VIDEO_RTP), RTC_E_PORT_MAPPING_UNAVAILABLE);
    pm->lpVtbl->Release(pm);
}

/* The C entry points behind GetMappingEx / ReleaseMappingEx: the same mappings, the same
 * table (a mapping got one way is released the other), the same results. */
static void test_c_entry_points(void)
{
    IRTCPortManager3 *pm = pm_from(nat_config);
    IRTCPortManager *foreign = NULL;
    struct rtcpm_mapping m, m2;
    rtcpm_addr remote;
    BSTR ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    HRESULT hr;

    CU_ASSERT_EQUAL(rtcpm_addr_parse("::ffff:203.0.113.5", 18, &remote), RTCPM_ADDR_OK);
    remote.port = 5004;
    CU_ASSERT_EQUAL(rtcpm_static_pm_get_mapping(pm, RTCPT_AUDIO_RTP, RTCTR_UDP, &remote, &m), S_OK);
    CU_ASSERT_EQUAL(m.internal.port, 30000);
    CU_ASSERT_EQUAL(m.external.port, 40000);
    CU_ASSERT_EQUAL(m.remote.family, RTCPM_AF_INET); /* unmapped, as GetMappingEx does */
    CU_ASSERT_EQUAL(m.remote.port, 5004);
    CU_ASSERT_EQUAL(m.transport, RTCTR_UDP);
    CU_ASSERT_STRING_EQUAL(mappings_text(pm),
                           "udp audio-rtp 192.168.1.10:30000 198.51.100.7:40000 remote 203.0.113.5:5004\n");
    /* released through the vtable; then the C release finds nothing */
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 30000, "198.51.100.7", 40000), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_release_mapping(pm, RTCTR_UDP, &m.internal, &m.external),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    /* got through the vtable, released in C; a wrong external side names nothing */
    hr = get_ex(pm, NULL, 0, RTCTR_UDP, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep);
    CHECK_MAPPING(hr, ia, ip, ea, ep, "192.168.1.10", 30001, "198.51.100.7", 40001);
    m2 = m;
    m2.internal.port = 30001;
    m2.external.port = 40002;
    CU_ASSERT_EQUAL(rtcpm_static_pm_release_mapping(pm, RTCTR_UDP, &m2.internal, &m2.external),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    m2.external.port = 40001;
    CU_ASSERT_EQUAL(rtcpm_static_pm_release_mapping(pm, RTCTR_UDP, &m2.internal, &m2.external), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 0);
    /* bad arguments, a foreign object, an exhausted type */
    CU_ASSERT_EQUAL(rtcpm_static_pm_get_mapping(pm, RTCPT_AUDIO_RTP, RTCTR_UDP, NULL, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_static_pm_get_mapping(pm, (RTC_PORT_TYPE)5, RTCTR_UDP, NULL, &m), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_static_pm_get_mapping(pm, RTCPT_AUDIO_RTP, 3, NULL, &m), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_static_pm_get_mapping(pm, RTCPT_VIDEO_RTP, RTCTR_UDP, NULL, &m),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(m.internal.family, RTCPM_AF_NONE); /* zeroed on failure */
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &foreign), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_get_mapping((IRTCPortManager3 *)foreign, RTCPT_AUDIO_RTP, RTCTR_UDP, NULL, &m),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_static_pm_release_mapping((IRTCPortManager3 *)foreign, RTCTR_UDP, &m2.internal, &m2.external),
                    E_INVALIDARG);
    foreign->lpVtbl->Release(foreign);
    pm->lpVtbl->Release(pm);
}

/* A mapping names its rule in 16 bits: the 65536th rule is refused, and nothing is added. */
static void test_rule_limit(void)
{
    enum
    {
        N = 65536
    };
    IRTCPortManager3 *pm = pm_from(nat_config);
    struct static_rule *rules = calloc(N, sizeof(*rules));
    rtcpm_addr in, ex;
    char err[160];

    CU_ASSERT_PTR_NOT_NULL_FATAL(rules);
    CU_ASSERT_EQUAL(rtcpm_addr_parse("192.168.1.10", 12, &in), RTCPM_ADDR_OK);
    CU_ASSERT_EQUAL(rtcpm_addr_parse("198.51.100.7", 12, &ex), RTCPM_ADDR_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_static_rule_build(RTCPM_PORT_TYPE_ANY, RTCTR_UDP, &in, 1024, 1024, &ex, 1024, 1024,
                                                  NULL, &rules[0], err, sizeof(err)),
                          STATIC_RULE_OK);
    for (int i = 1; i < N; i++) rules[i] = rules[0];
    CU_ASSERT_EQUAL(rtcpm_static_pm_append_rules(pm, rules, N - 1), E_OUTOFMEMORY); /* 2 + 65535 > 65535 */
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 2);
    CU_ASSERT_EQUAL(rtcpm_static_pm_append_rules(pm, rules, N - 3), S_OK); /* exactly 65535 */
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 65535);
    CU_ASSERT_EQUAL(rtcpm_static_pm_append_rules(pm, rules, 1), E_OUTOFMEMORY);
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 65535);
    free(rules);
    pm->lpVtbl->Release(pm);
}

/* A LAN peer gets the LAN address (hairpin avoided), everyone else the NAT's; both rules
 * share the internal ports, which are never handed out twice. */
static void test_remote_filter(void)
{
    IRTCPortManager3 *pm = pm_from("[mapping audio-rtp]\n"
                                   "internal = 192.168.1.10:30000-30001\n"
                                   "external = 192.168.1.10:30000-30001\n"
                                   "remote = 192.168.1.0/24, 10.0.0.0/8\n"
                                   "[mapping audio-rtp]\n"
                                   "internal = 192.168.1.10:30000-30001\n"
                                   "external = 198.51.100.7:40000-40001\n");

    EXPECT_MAPPING(pm, "192.168.1.20", 0, RTCTR_UDP, RTCPT_AUDIO_RTP, "192.168.1.10", 30000, "192.168.1.10", 30000);
    EXPECT_MAPPING(pm, "203.0.113.5", 0, RTCTR_UDP, RTCPT_AUDIO_RTP, "192.168.1.10", 30001, "198.51.100.7", 40001);
    /* both internal ports are now taken, for every rule */
    CU_ASSERT_EQUAL(get_hr(pm, "10.1.2.3", 0, RTCTR_UDP, RTCPT_AUDIO_RTP), RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 30000, "192.168.1.10", 30000), S_OK);
    /* IPv4-mapped remote counts as the IPv4 address */
    EXPECT_MAPPING(pm, "::ffff:10.1.2.3", 0, RTCTR_UDP, RTCPT_AUDIO_RTP, "192.168.1.10", 30000, "192.168.1.10", 30000);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 30000, "192.168.1.10", 30000), S_OK);
    /* unknown remote: only unfiltered rules */
    EXPECT_MAPPING(pm, "", 0, RTCTR_UDP, RTCPT_AUDIO_RTP, "192.168.1.10", 30000, "198.51.100.7", 40000);
    /* IPv6 remote: no rule of its family */
    CU_ASSERT_EQUAL(get_hr(pm, "2001:db8::5", 0, RTCTR_UDP, RTCPT_AUDIO_RTP), RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 2);
    pm->lpVtbl->Release(pm);
}

static void test_get_mapping_bad_args(void)
{
    IRTCPortManager3 *pm = pm_from(nat_config);
    IRTCPortManager *pm1 = (IRTCPortManager *)pm;
    BSTR ia, ea, garbage = (BSTR)(void *)&pm;
    LONG ip, ep;
    static const LONG bad_transports[] = { 0, 3, 5, 8, -1 };
    static const char *const bad_remotes[] = { "not-an-ip", "203.0.113.5:5060", "1.2.3",         "[1.2.3.4]",
                                               " 1.2.3.4",  "fe80::1%",         "2001:db8::1::2" };
    size_t i;

#define RESET() (ia = ea = garbage, ip = ep = 99)
    RESET();
    CU_ASSERT_EQUAL(get_ex(pm, NULL, 0, RTCTR_UDP, (RTC_PORT_TYPE)5, &ia, &ip, &ea, &ep), E_INVALIDARG);
    check_outs_cleared(ia, ip, ea, ep);
    RESET();
    CU_ASSERT_EQUAL(get_ex(pm, NULL, 0, RTCTR_UDP, (RTC_PORT_TYPE)-1, &ia, &ip, &ea, &ep), E_INVALIDARG);
    check_outs_cleared(ia, ip, ea, ep);
    RESET();
    CU_ASSERT_EQUAL(pm1->lpVtbl->GetMapping(pm1, NULL, (RTC_PORT_TYPE)7, &ia, &ip, &ea, &ep), E_INVALIDARG);
    check_outs_cleared(ia, ip, ea, ep);
    for (i = 0; i < ARRAY_SIZE(bad_transports); i++)
    {
        RESET();
        CU_ASSERT_EQUAL(get_ex(pm, NULL, 0, bad_transports[i], RTCPT_SIP, &ia, &ip, &ea, &ep), E_INVALIDARG);
        check_outs_cleared(ia, ip, ea, ep);
    }
    for (i = 0; i < ARRAY_SIZE(bad_remotes); i++)
    {
        RESET();
        CU_ASSERT_EQUAL(get_ex(pm, bad_remotes[i], 0, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep), E_INVALIDARG);
        check_outs_cleared(ia, ip, ea, ep);
    }
    RESET();
    CU_ASSERT_EQUAL(get_ex(pm, "203.0.113.5", -1, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep), E_INVALIDARG);
    check_outs_cleared(ia, ip, ea, ep);
    RESET();
    CU_ASSERT_EQUAL(get_ex(pm, "203.0.113.5", 65536, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep), E_INVALIDARG);
    check_outs_cleared(ia, ip, ea, ep);
    /* a BSTR with an embedded NUL is not an address */
    {
        static const WCHAR nul_in[] = { '1', '.', '2', '.', '3', '.', '4', 0, 'x' };
        BSTR r = SysAllocStringLen(nul_in, 9);
        RESET();
        CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, r, 0, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep), E_INVALIDARG);
        check_outs_cleared(ia, ip, ea, ep);
        SysFreeString(r);
    }

    /* each out pointer NULL in turn: E_POINTER, the others cleared, nothing recorded */
    RESET();
    CU_ASSERT_EQUAL(get_ex(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP, NULL, &ip, &ea, &ep), E_POINTER);
    CU_ASSERT_PTR_NULL(ea);
    CU_ASSERT_EQUAL(ip, 0);
    CU_ASSERT_EQUAL(ep, 0);
    RESET();
    CU_ASSERT_EQUAL(get_ex(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP, &ia, NULL, &ea, &ep), E_POINTER);
    CU_ASSERT_PTR_NULL(ia);
    CU_ASSERT_PTR_NULL(ea);
    CU_ASSERT_EQUAL(ep, 0);
    RESET();
    CU_ASSERT_EQUAL(get_ex(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP, &ia, &ip, NULL, &ep), E_POINTER);
    CU_ASSERT_PTR_NULL(ia);
    CU_ASSERT_EQUAL(ip, 0);
    CU_ASSERT_EQUAL(ep, 0);
    RESET();
    CU_ASSERT_EQUAL(pm1->lpVtbl->GetMapping(pm1, NULL, RTCPT_SIP, &ia, &ip, &ea, NULL), E_POINTER);
    CU_ASSERT_PTR_NULL(ia);
    CU_ASSERT_PTR_NULL(ea);
    CU_ASSERT_EQUAL(ip, 0);
    /* E_POINTER wins over bad values: nothing is read before the outs are known good */
    CU_ASSERT_EQUAL(get_ex(pm, "bogus", -3, 9, (RTC_PORT_TYPE)9, NULL, NULL, NULL, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 0);

    /* after all that, the SIP port is still free */
    RESET();
    CU_ASSERT_EQUAL(get_ex(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep), S_OK);
    CU_ASSERT_EQUAL(ip, 5060);
    SysFreeString(ia);
    SysFreeString(ea);
#undef RESET
    pm->lpVtbl->Release(pm);
}

static void test_release_unknown_double_bad(void)
{
    IRTCPortManager3 *pm = pm_from(nat_config);

    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 5060, "198.51.100.7", 5060),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP, "192.168.1.10", 5060, "198.51.100.7", 5060);

    /* wrong external port / address, wrong internal address, wrong transport: unknown */
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 5060, "198.51.100.7", 5061),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 5060, "198.51.100.8", 5060),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.11", 5060, "198.51.100.7", 5060),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_TCP, "192.168.1.10", 5060, "198.51.100.7", 5060),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "::ffff:192.168.1.10", 5060, "198.51.100.7", 5060),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);

    /* malformed: E_INVALIDARG, whatever exists */
    CU_ASSERT_EQUAL(release_ex(pm, 0, "192.168.1.10", 5060, "198.51.100.7", 5060), E_INVALIDARG);
    CU_ASSERT_EQUAL(release_ex(pm, 3, "192.168.1.10", 5060, "198.51.100.7", 5060), E_INVALIDARG);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 0, "198.51.100.7", 5060), E_INVALIDARG);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 5060, "198.51.100.7", 65536), E_INVALIDARG);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", -5060, "198.51.100.7", 5060), E_INVALIDARG);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, NULL, 5060, "198.51.100.7", 5060), E_INVALIDARG);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 5060, "", 5060), E_INVALIDARG);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10:5060", 5060, "198.51.100.7", 5060), E_INVALIDARG);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "localhost", 5060, "198.51.100.7", 5060), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 1);

    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 5060, "198.51.100.7", 5060), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 5060, "198.51.100.7", 5060),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 0);
    pm->lpVtbl->Release(pm);
}

static void test_update_remote(void)
{
    IRTCPortManager3 *pm = pm_from(nat_config);
    IRTCPortManager2 *pm2 = (IRTCPortManager2 *)pm;
    BSTR ia = NULL, ea = NULL, r, a, b;
    LONG ip = 0, ep = 0;
    HRESULT hr;

    hr = get_ex(pm, NULL, 0, RTCTR_UDP, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep);
    CHECK_MAPPING(hr, ia, ip, ea, ep, "192.168.1.10", 30000, "198.51.100.7", 40000);
    hr = get_ex(pm, NULL, 0, RTCTR_TCP, RTCPT_SIP, &ia, &ip, &ea, &ep);
    CHECK_MAPPING(hr, ia, ip, ea, ep, "192.168.1.10", 5060, "198.51.100.7", 5060);

    /* v1: UDP, no port */
    r = B("203.0.113.9");
    a = B("192.168.1.10");
    b = B("198.51.100.7");
    CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddress(pm2, r, a, 30000, b, 40000), S_OK);
    CU_ASSERT_STRING_EQUAL(mappings_text(pm), "udp audio-rtp 192.168.1.10:30000 198.51.100.7:40000 remote 203.0.113.9\n"
                                              "tcp sip 192.168.1.10:5060 198.51.100.7:5060 remote -\n");
    /* a remote of the other family: an IPv4 mapping cannot reach an IPv6 peer (v1, v2, v3 on
     * UDP and TCP), nothing changes; an IPv4-mapped IPv6 remote is the IPv4 address */
    SysFreeString(r);
    r = B("2001:DB8::9");
    CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddress(pm2, r, a, 30000, b, 40000), E_INVALIDARG);
    CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddressEx(pm2, r, 5004, a, 30000, b, 40000), E_INVALIDARG);
    CU_ASSERT_EQUAL(update_ex2(pm, "2001:db8::9", 5004, RTCTR_UDP, "192.168.1.10", 30000, "198.51.100.7", 40000),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(update_ex2(pm, "fe80::9%3", 5070, RTCTR_TCP, "192.168.1.10", 5060, "198.51.100.7", 5060),
                    E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(mappings_text(pm), "udp audio-rtp 192.168.1.10:30000 198.51.100.7:40000 remote 203.0.113.9\n"
                                              "tcp sip 192.168.1.10:5060 198.51.100.7:5060 remote -\n");
    /* ... but an unknown mapping stays unknown, whatever the remote */
    CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddressEx(pm2, r, 5004, a, 30009, b, 40009),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    SysFreeString(r);
    r = B("::ffff:203.0.113.8");
    CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddressEx(pm2, r, 5002, a, 30000, b, 40000), S_OK);
    CU_ASSERT_STRING_EQUAL(mappings_text(pm),
                           "udp audio-rtp 192.168.1.10:30000 198.51.100.7:40000 remote 203.0.113.8:5002\n"
                           "tcp sip 192.168.1.10:5060 198.51.100.7:5060 remote -\n");
    /* v2: UDP with port */
    SysFreeString(r);
    r = B("203.0.113.19");
    CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddressEx(pm2, r, 5004, a, 30000, b, 40000), S_OK);
    /* v1/v2 cannot reach the TCP mapping */
    CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddressEx(pm2, r, 5004, a, 5060, b, 5060), RTC_E_PORT_MAPPING_UNAVAILABLE);
    /* empty / malformed remote, bad ports */
    CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddress(pm2, NULL, a, 30000, b, 40000), E_INVALIDARG);
    CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddressEx(pm2, r, -1, a, 30000, b, 40000), E_INVALIDARG);
    CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddressEx(pm2, r, 70000, a, 30000, b, 40000), E_INVALIDARG);
    CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddressEx(pm2, r, 5004, a, 0, b, 40000), E_INVALIDARG);
    CU_ASSERT_EQUAL(pm2->lpVtbl->UpdateRemoteAddressEx(pm2, r, 5004, a, 30000, NULL, 40000), E_INVALIDARG);
    SysFreeString(r);
    SysFreeString(a);
    SysFreeString(b);

    /* v3 on TCP; then an unknown mapping */
    CU_ASSERT_EQUAL(update_ex2(pm, "203.0.113.10", 5070, RTCTR_TCP, "192.168.1.10", 5060, "198.51.100.7", 5060), S_OK);
    CU_ASSERT_EQUAL(update_ex2(pm, "203.0.113.10", 5070, RTCTR_TLS, "192.168.1.10", 5060, "198.51.100.7", 5060),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(update_ex2(pm, "203.0.113.10", 5070, RTCTR_TCP, "192.168.1.10", 5060, "198.51.100.7", 5061),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(update_ex2(pm, "203.0.113.10", 5070, 6, "192.168.1.10", 5060, "198.51.100.7", 5060), E_INVALIDARG);
    CU_ASSERT_EQUAL(update_ex2(pm, "203.0.113.10.1", 5070, RTCTR_TCP, "192.168.1.10", 5060, "198.51.100.7", 5060),
                    E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(mappings_text(pm),
                           "udp audio-rtp 192.168.1.10:30000 198.51.100.7:40000 remote 203.0.113.19:5004\n"
                           "tcp sip 192.168.1.10:5060 198.51.100.7:5060 remote 203.0.113.10:5070\n");

    /* released: updates fail */
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_TCP, "192.168.1.10", 5060, "198.51.100.7", 5060), S_OK);
    CU_ASSERT_EQUAL(update_ex2(pm, "203.0.113.10", 5070, RTCTR_TCP, "192.168.1.10", 5060, "198.51.100.7", 5060),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, "192.168.1.10", 30000, "198.51.100.7", 40000), S_OK);
    pm->lpVtbl->Release(pm);
}

static void test_add_rule_api(void)
{
    IRTCPortManager3 *pm;
    struct rtcpm_static_rule rule;
    char err[256];

    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 0);
    /* no rules: nothing to hand out */
    CU_ASSERT_EQUAL(get_hr(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP), RTC_E_PORT_MAPPING_UNAVAILABLE);

    memset(&rule, 0, sizeof(rule));
    rule.port_type = RTCPT_VIDEO_RTP;
    rule.internal_address = "192.168.1.10";
    rule.internal_port_first = 32000;
    rule.internal_port_last = 32001;
    rule.external_address = "198.51.100.7";
    rule.external_port_first = 42000; /* last 0: as many ports as internal */
    CU_ASSERT_EQUAL(rtcpm_static_pm_add_rule(pm, &rule), S_OK);
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 1);
    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_VIDEO_RTP, "192.168.1.10", 32000, "198.51.100.7", 42000);
    EXPECT_MAPPING(pm, NULL, 0, RTCTR_UDP, RTCPT_VIDEO_RTP, "192.168.1.10", 32001, "198.51.100.7", 42001);
    CU_ASSERT_EQUAL(get_hr(pm, NULL, 0, RTCTR_UDP, RTCPT_VIDEO_RTP), RTC_E_PORT_MAPPING_UNAVAILABLE);

#define BAD(field_set, message)                                                                                        \
    do {                                                                                                               \
        struct rtcpm_static_rule r = rule;                                                                             \
        field_set;                                                                                                     \
        CU_ASSERT_EQUAL(rtcpm_static_pm_add_rule_ex(pm, &r, err, sizeof(err)), E_INVALIDARG);                          \
        CU_ASSERT_STRING_EQUAL(err, message);                                                                          \
        CU_ASSERT_EQUAL(rtcpm_static_pm_add_rule(pm, &r), E_INVALIDARG);                                               \
    } while (0)
    BAD(r.port_type = 5, "port type 5 is not 0..4 or RTCPM_PORT_TYPE_ANY");
    BAD(r.transports = 8, "transports 0x8: not a set of RTCTR_UDP, RTCTR_TCP, RTCTR_TLS");
    BAD(r.internal_address = NULL, "internal address '(null)' is not an IP address");
    BAD(r.external_address = "nat.example", "external address 'nat.example' is not an IP address");
    BAD(r.internal_address = "0.0.0.0", "internal address 0.0.0.0 is unspecified: give the host's own address");
    BAD(r.external_address = "::", "external address :: is unspecified: give the host's own address");
    BAD(r.internal_port_first = 0, "internal port 0 is outside 1..65535");
    BAD(r.internal_port_last = 70000, "internal port 70000 is outside 1..65535");
    BAD(r.internal_port_last = 31999, "internal port range 32000-31999 ends before it starts");
    BAD(r.external_port_last = 42009, "external range 42000-42009 has 10 ports, internal range has 2");
    BAD(r.external_port_first = 65535, "external port 65536 is outside 1..65535");
    BAD(r.external_address = "2001:db8::7",
        "external address 2001:db8::7 is IPv6, internal address 192.168.1.10 is IPv4");
    BAD(r.remote = "10.0.0.1/8", "remote '10.0.0.1/8' has host bits set (did you mean 10.0.0.0/8?)");
    BAD(r.remote = "10.0.0.0/33", "remote '10.0.0.0/33': prefix length must be 0..32");
    BAD(r.remote = "10.0.0.0/8, 2001:db8::/32",
        "remote 2001:db8::/32 is IPv6 but the external address is IPv4: it could never match");
    BAD(r.remote = "10.0.0.0/8,, lan", "remote 'lan' is not an address prefix (expected address/length)");
#undef BAD
    CU_ASSERT_EQUAL(rtcpm_static_pm_add_rule(pm, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_static_pm_rule_count(pm), 1);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 2);
    pm->lpVtbl->Release(pm);
}

/* ---- threads ---- */

#define HAMMER_PORTS 10 /* fewer than the 4 x 3 a full set of threads may hold */
#define HAMMER_BASE  30000

struct hammer
{
    IRTCPortManager3 *pm;
    LONG volatile *owner; /* owner[k]: the thread holding internal port BASE + k, 0 = none */
    LONG id;
    int iterations;
    int got, unavailable, errors;
};

static int hammer_fn(void *arg)
{
    struct hammer *h = arg;
    LONG held[3] = { 0, 0, 0 }, held_ext[3] = { 0, 0, 0 };
    int i, slot;

    for (i = 0; i < h->iterations; i++)
    {
        slot = i % 3;
        if (held[slot])
        {
            /* give the port back: clear ownership first, then release */
            if (InterlockedCompareExchange(&h->owner[held[slot] - HAMMER_BASE], 0, h->id) != h->id) h->errors++;
            if (release_ex(h->pm, RTCTR_UDP, "192.168.1.10", held[slot], "198.51.100.7", held_ext[slot]) != S_OK)
                h->errors++;
            held[slot] = 0;
        }
        else
        {
            BSTR ia = NULL, ea = NULL;
            LONG ip = 0, ep = 0;
            HRESULT hr = get_ex(h->pm, "203.0.113.5", 5004, RTCTR_UDP, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep);
            if (hr == S_OK)
            {
                h->got++;
                if (ip < HAMMER_BASE || ip >= HAMMER_BASE + HAMMER_PORTS || ep != ip + 10000 ||
                    !rtcpm_test_bstr_is(ia, RTCPM_W("192.168.1.10")) ||
                    !rtcpm_test_bstr_is(ea, RTCPM_W("198.51.100.7")))
                    h->errors++;
                /* nobody else may hold this port now */
                else if (InterlockedCompareExchange(&h->owner[ip - HAMMER_BASE], h->id, 0) != 0)
                    h->errors++;
                else
                {
                    held[slot] = ip;
                    held_ext[slot] = ep;
                }
                SysFreeString(ia);
                SysFreeString(ea);
            }
            else if (hr == RTC_E_PORT_MAPPING_UNAVAILABLE)
            {
                h->unavailable++;
                if (ia || ea || ip || ep) h->errors++;
            }
            else
                h->errors++;
        }
    }
    for (slot = 0; slot < 3; slot++)
        if (held[slot])
        {
            InterlockedExchange(&h->owner[held[slot] - HAMMER_BASE], 0);
            if (release_ex(h->pm, RTCTR_UDP, "192.168.1.10", held[slot], "198.51.100.7", held_ext[slot]) != S_OK)
                h->errors++;
        }
    return 0;
}

static void test_threads(void)
{
    enum
    {
        THREADS = 4
    };
    IRTCPortManager3 *pm = pm_from("[mapping audio-rtp]\n"
                                   "internal = 192.168.1.10:30000-30009\n"
                                   "external = 198.51.100.7:40000-40009\n");
    static LONG volatile owner[HAMMER_PORTS];
    struct hammer h[THREADS];
    test_thread *th[THREADS];
    int i, got = 0, unavailable = 0;

    memset((void *)owner, 0, sizeof(owner));
    for (i = 0; i < THREADS; i++)
    {
        memset(&h[i], 0, sizeof(h[i]));
        h[i].pm = pm;
        h[i].owner = owner;
        h[i].id = i + 1;
        h[i].iterations = 6000;
        th[i] = NULL;
        test_thread_start(&th[i], hammer_fn, &h[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(th[i]);
    }
    for (i = 0; i < THREADS; i++)
    {
        CU_ASSERT_EQUAL(test_thread_join(th[i]), 0);
        CU_ASSERT_EQUAL(h[i].errors, 0);
        got += h[i].got;
        unavailable += h[i].unavailable;
    }
    printf("\n    %d threads: %d mappings handed out and released, %d refused (range full) ", THREADS, got,
           unavailable);
    CU_ASSERT_TRUE(got >= THREADS * 1000);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(pm), 0);
    for (i = 0; i < HAMMER_PORTS; i++) CU_ASSERT_EQUAL(owner[i], 0);
    pm->lpVtbl->Release(pm);
}

static CU_TestInfo tests[] = {
    { "qi_identity_refcount", test_qi_identity_refcount },
    { "foreign_object", test_foreign_object },
    { "get_mapping_v4", test_get_mapping_v4 },
    { "get_mapping_v6", test_get_mapping_v6 },
    { "range_exhaustion_and_return", test_range_exhaustion_and_return },
    { "round_robin", test_round_robin },
    { "rule_order_and_any", test_rule_order_and_any },
    { "full_rules_and_returns", test_full_rules_and_returns },
    { "c_entry_points", test_c_entry_points },
    { "rule_limit", test_rule_limit },
    { "remote_filter", test_remote_filter },
    { "get_mapping_bad_args", test_get_mapping_bad_args },
    { "release_unknown_double_bad", test_release_unknown_double_bad },
    { "update_remote", test_update_remote },
    { "add_rule_api", test_add_rule_api },
    { "threads", test_threads },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("static_pm", tests, argc, argv); }
