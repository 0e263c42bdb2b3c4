/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_pcp_pm.c — the PCP port manager as RTC sees it, against the in-process fake PCP /
 * NAT-PMP server (tests/fake_pcp_server) on loopback: the MAP on the wire, what the NAT
 * assigned returned (also another port than suggested), TCP, RTP/RTCP pairing, release and
 * object release deleting at the NAT, loss, every fault of the fake, every result code, the
 * NAT-PMP fallback, renewal at half-life, the NAT losing its state (epoch, ANNOUNCE) and the
 * re-created mappings, config errors. test_pcp_pm_more.c has the rest.
 */
#include "test_pcp_pm.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "port_manager_checks.h"

static void test_map_release_on_the_wire(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_request_log a, b;
    struct fake_pcp_mapping nat;
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "");
    struct pcp_mapping m = pcp_get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(m.internal, "127.0.0.1");
    CU_ASSERT_STRING_EQUAL(m.external, "198.51.100.7");
    CU_ASSERT_EQUAL(m.external_port, m.internal_port); /* the suggestion was free */
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 1);
    fake_pcp_request(&srv, 0, &a);
    CU_ASSERT_FALSE(a.natpmp);
    CU_ASSERT_EQUAL(a.opcode, RTCPM_PCP_OP_MAP);
    CU_ASSERT_EQUAL(a.lifetime, 7200);
    CU_ASSERT_EQUAL(a.protocol, RTCPM_PCP_PROTO_UDP);
    CU_ASSERT_EQUAL(a.internal_port, m.internal_port);
    CU_ASSERT_EQUAL(a.external_port, m.internal_port);
    CU_ASSERT_TRUE(fake_pcp_find(&srv, RTCPM_PCP_PROTO_UDP, (uint16_t)m.internal_port, &nat));
    CU_ASSERT_EQUAL(memcmp(nat.nonce, a.nonce, 12), 0);
    CU_ASSERT_EQUAL(rtcpm_pcp_pm_live_mappings(pm), 1);
    CU_ASSERT_STRING_EQUAL(rtcpm_pcp_pm_protocol(pm), "PCP");

    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 2);
    fake_pcp_request(&srv, 1, &b);
    CU_ASSERT_EQUAL(b.lifetime, 0); /* the delete: lifetime 0, the same nonce */
    CU_ASSERT_EQUAL(memcmp(b.nonce, a.nonce, 12), 0);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &m), RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 2);
    CU_ASSERT_EQUAL(rtcpm_pcp_pm_live_mappings(pm), 0);
    pcp_pm_done(pm, &srv);
}

/* Each mapping has a nonce of its own; TCP and TLS are protocol 6. */
static void test_nonces_and_tcp(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_request_log a, b, c;
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "");
    struct pcp_mapping m1 = pcp_get(pm, RTCTR_UDP, RTCPT_SIP), m2 = pcp_get(pm, RTCTR_TCP, RTCPT_SIP),
                       m3 = pcp_get(pm, RTCTR_TLS, RTCPT_SIP);
    CU_ASSERT_EQUAL(m1.hr, S_OK);
    CU_ASSERT_EQUAL(m2.hr, S_OK);
    CU_ASSERT_EQUAL(m3.hr, S_OK);
    fake_pcp_request(&srv, 0, &a);
    fake_pcp_request(&srv, 1, &b);
    fake_pcp_request(&srv, 2, &c);
    CU_ASSERT_NOT_EQUAL(memcmp(a.nonce, b.nonce, 12), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(b.nonce, c.nonce, 12), 0);
    CU_ASSERT_EQUAL(b.protocol, RTCPM_PCP_PROTO_TCP);
    CU_ASSERT_EQUAL(c.protocol, RTCPM_PCP_PROTO_TCP);
    CU_ASSERT_NOT_EQUAL(m2.internal_port, m3.internal_port); /* TCP and TLS share ports */
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_TLS, &m3), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 2);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0); /* the last Release deletes the other two */
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    fake_pcp_stop(&srv);
}

/* RTP even, RTCP the next port, from a range; the NAT gives other external ports. */
static void test_pairing_and_other_external_port(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    IRTCPortManager3 *pm;
    struct pcp_mapping rtp, rtcp;
    memset(&o, 0, sizeof(o));
    o.port_offset = 1000; /* as miniupnpd with a taken port: another one, SUCCESS anyway */
    pm = pcp_pm_with_server(&srv, &o, "[ports audio-rtp]\nrange = %u-%u\n", PCP_TEST_PORT_BASE + 1,
                            PCP_TEST_PORT_BASE + 40);
    rtp = pcp_get(pm, RTCTR_UDP, RTCPT_AUDIO_RTP);
    rtcp = pcp_get(pm, RTCTR_UDP, RTCPT_AUDIO_RTCP);
    CU_ASSERT_EQUAL_FATAL(rtp.hr, S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcp.hr, S_OK);
    CU_ASSERT_EQUAL(rtp.internal_port % 2, 0);
    CU_ASSERT_TRUE(rtp.internal_port > PCP_TEST_PORT_BASE && rtp.internal_port <= PCP_TEST_PORT_BASE + 40);
    CU_ASSERT_EQUAL(rtcp.internal_port, rtp.internal_port + 1);
    CU_ASSERT_EQUAL(rtp.external_port, rtp.internal_port + 1000); /* what the NAT assigned */
    CU_ASSERT_EQUAL(rtcp.external_port, rtcp.internal_port + 1000);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &rtcp), S_OK);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &rtp), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    pcp_pm_done(pm, &srv);
}

static void test_loss_within_budget(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    IRTCPortManager3 *pm;
    int i, ok = 0;
    memset(&o, 0, sizeof(o));
    o.fault = FAKE_PCP_LOSS;
    o.loss_percent = 30;
    o.seed = 12345;
    pm = pcp_pm_with_server(&srv, &o, "");
    for (i = 0; i < 8; i++)
    {
        struct pcp_mapping m = pcp_get(pm, RTCTR_UDP, RTCPT_SIP);
        ok += m.hr == S_OK;
        if (m.hr == S_OK) CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &m), S_OK);
    }
    CU_ASSERT_EQUAL(ok, 8); /* 30 % loss: a retransmission gets through each time */
    CU_ASSERT_TRUE(fake_pcp_requests(&srv) > 16);
    pcp_pm_done(pm, &srv);
}

/* Nothing answers: FAILED within the budget, the reason names the server and the count. */
static void test_silent_server(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    IRTCPortManager3 *pm;
    struct pcp_mapping m;
    char why[300];
    memset(&o, 0, sizeof(o));
    o.fault = FAKE_PCP_SILENT;
    pm = pcp_pm_with_server(&srv, &o, "timeout = 1000\n");
    m = pcp_get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_TRUE(m.ms >= 990 && m.ms < 1000 + PCP_SLACK_MS);
    rtcpm_pcp_pm_last_error(pm, why, sizeof(why));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "no answer from 127.0.0.1:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, " within "));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "(3 PCP requests, from 127.0.0.1:"));
    CU_ASSERT_EQUAL(rtcpm_pcp_pm_live_mappings(pm), 0);
    CU_ASSERT_STRING_EQUAL(rtcpm_pcp_pm_protocol(pm), "");
    pcp_pm_done(pm, &srv);
}

/* A bad answer alone fails the call with its reason; followed by the right one, it is ignored. */
static void check_fault(enum fake_pcp_fault fault, const char *reason)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    IRTCPortManager3 *pm;
    struct pcp_mapping m;
    char why[300];
    memset(&o, 0, sizeof(o));
    o.fault = fault;
    pm = pcp_pm_with_server(&srv, &o, "timeout = 700\n");
    m = pcp_get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    rtcpm_pcp_pm_last_error(pm, why, sizeof(why));
    if (!strstr(why, reason)) printf("\n    %s: reason '%s'\n", reason, why);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, reason));
    o.then_right = 1;
    fake_pcp_set_options(&srv, &o);
    m = pcp_get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(m.external, "198.51.100.7");
    pcp_pm_done(pm, &srv);
}

static void test_bad_answers(void)
{
    check_fault(FAKE_PCP_WRONG_NONCE, "the last: wrong nonce");
    check_fault(FAKE_PCP_WRONG_OPCODE, "the last: wrong opcode");
    check_fault(FAKE_PCP_SHORT, "the last: RTCPM_PCP_E_SHORT");
    check_fault(FAKE_PCP_OVERSIZED, "the last: longer than any PCP message");
    check_fault(FAKE_PCP_OTHER_SOURCE, "the last: not from the server's address and port");
}

/* Every PCP result code: three are UNAVAILABLE (the NAT will not), the rest FAILED. */
static void test_result_codes(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "protocol = pcp\n");
    unsigned r;
    for (r = 2; r <= 13; r++)
    {
        char why[300], name[20], want[80];
        struct pcp_mapping m;
        HRESULT expect = r == RTCPM_PCP_NOT_AUTHORIZED || r == RTCPM_PCP_NO_RESOURCES || r == RTCPM_PCP_USER_EX_QUOTA
                             ? RTC_E_PORT_MAPPING_UNAVAILABLE
                             : RTC_E_PORT_MAPPING_FAILED;
        memset(&o, 0, sizeof(o));
        o.fault = FAKE_PCP_RESULT;
        o.result = (uint8_t)r;
        fake_pcp_set_options(&srv, &o);
        m = pcp_get(pm, RTCTR_UDP, RTCPT_SIP);
        CU_ASSERT_EQUAL(m.hr, expect);
        rtcpm_pcp_pm_last_error(pm, why, sizeof(why));
        snprintf(want, sizeof(want), ": %s (PCP result %u)", rtcpm_pcp_result_name(r, name), r);
        if (!strstr(why, want)) printf("\n    result %u: '%s'\n", r, why);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, want));
        CU_ASSERT_PTR_NOT_NULL(strstr(why, "refused udp 127.0.0.1:"));
    }
    CU_ASSERT_EQUAL(rtcpm_pcp_pm_live_mappings(pm), 0);
    pcp_pm_done(pm, &srv);
}

/* A NAT-PMP-only server: the first call falls back within its budget; later ones speak
 * NAT-PMP at once; releases delete with lifetime 0. */
static void check_natpmp_fallback(enum fake_pcp_fault fault)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    struct fake_pcp_request_log l0, l1, l2, l3;
    IRTCPortManager3 *pm;
    struct pcp_mapping m, t;
    memset(&o, 0, sizeof(o));
    o.fault = fault;
    pm = pcp_pm_with_server(&srv, &o, "");
    m = pcp_get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(m.external, "198.51.100.7");
    CU_ASSERT_STRING_EQUAL(rtcpm_pcp_pm_protocol(pm), "NAT-PMP");
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 3); /* PCP MAP, NAT-PMP address, NAT-PMP map */
    fake_pcp_request(&srv, 0, &l0);
    fake_pcp_request(&srv, 1, &l1);
    fake_pcp_request(&srv, 2, &l2);
    CU_ASSERT_FALSE(l0.natpmp);
    CU_ASSERT_TRUE(l1.natpmp && l1.opcode == RTCPM_NATPMP_OP_ADDRESS);
    CU_ASSERT_TRUE(l2.natpmp && l2.opcode == RTCPM_NATPMP_OP_MAP_UDP && l2.internal_port == m.internal_port);
    t = pcp_get(pm, RTCTR_TCP, RTCPT_SIP);
    CU_ASSERT_EQUAL(t.hr, S_OK);
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 4); /* NAT-PMP at once, the address known */
    fake_pcp_request(&srv, 3, &l3);
    CU_ASSERT_TRUE(l3.natpmp && l3.opcode == RTCPM_NATPMP_OP_MAP_TCP);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_TCP, &t), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    pcp_pm_done(pm, &srv);
}

static void test_natpmp_fallback(void)
{
    check_natpmp_fallback(FAKE_PCP_NATPMP_ONLY);
    check_natpmp_fallback(FAKE_PCP_OLD_VERSION);
}

/* protocol = pcp refuses to fall back; protocol = nat-pmp never tries PCP; NAT-PMP results. */
static void test_forced_protocols(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    struct fake_pcp_request_log l0;
    IRTCPortManager3 *pm;
    struct pcp_mapping m;
    char why[300];
    memset(&o, 0, sizeof(o));
    o.fault = FAKE_PCP_NATPMP_ONLY;
    pm = pcp_pm_with_server(&srv, &o, "protocol = pcp\n");
    m = pcp_get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    rtcpm_pcp_pm_last_error(pm, why, sizeof(why));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "speaks only NAT-PMP (protocol = pcp)"));
    pcp_pm_done(pm, &srv);

    pm = pcp_pm_with_server(&srv, NULL, "protocol = nat-pmp\n");
    m = pcp_get(pm, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    fake_pcp_request(&srv, 0, &l0);
    CU_ASSERT_TRUE(l0.natpmp);
    o.fault = FAKE_PCP_RESULT;
    o.natpmp_result = RTCPM_NATPMP_NO_RESOURCES;
    fake_pcp_set_options(&srv, &o);
    CU_ASSERT_EQUAL(pcp_get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_UNAVAILABLE);
    rtcpm_pcp_pm_last_error(pm, why, sizeof(why));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "NO_RESOURCES (NAT-PMP result 4)"));
    o.natpmp_result = RTCPM_NATPMP_NETWORK_FAILURE;
    fake_pcp_set_options(&srv, &o);
    CU_ASSERT_EQUAL(pcp_get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_FAILED);
    o.natpmp_result = RTCPM_NATPMP_NOT_AUTHORIZED;
    fake_pcp_set_options(&srv, &o);
    CU_ASSERT_EQUAL(pcp_get(pm, RTCTR_UDP, RTCPT_SIP).hr, RTC_E_PORT_MAPPING_UNAVAILABLE);
    pcp_pm_done(pm, &srv);
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "map_release_on_the_wire", test_map_release_on_the_wire },
        { "nonces_and_tcp", test_nonces_and_tcp },
        { "pairing_and_other_external_port", test_pairing_and_other_external_port },
        { "loss_within_budget", test_loss_within_budget },
        { "silent_server", test_silent_server },
        { "bad_answers", test_bad_answers },
        { "result_codes", test_result_codes },
        { "natpmp_fallback", test_natpmp_fallback },
        { "forced_protocols", test_forced_protocols },
        PCP_PM_MORE_TESTS,
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("pcp_pm", tests, argc, argv);
}
