/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_pcp_pm_peer.c — the PEER mapping the PCP port manager keeps beside a media MAP whose
 * remote it knows (src/pm/pcp_pm_peer.c): its bytes, renewed with the MAP, moved by
 * UpdateRemoteAddressEx2, deleted by ReleaseMappingEx, and a PEER refused or answered with
 * another port never failing the mapping.
 */
#include "test_pcp_pm.h"

#include <stdio.h>
#include <string.h>

#include "com/bstr_util.h"

#define REMOTE      "198.51.100.9"
#define REMOTE_PORT 40000

static struct pcp_mapping get_towards(IRTCPortManager3 *pm, int type, const char *remote, LONG port)
{
    struct pcp_mapping m;
    BSTR r = rtcpm_bstr_from_cstr(remote), ia = NULL, ea = NULL;
    size_t len;
    memset(&m, 0, sizeof(m));
    m.hr = IRTCPortManager3_GetMappingEx(pm, r, port, RTCTR_UDP, (RTC_PORT_TYPE)type, &ia, &m.internal_port, &ea,
                                         &m.external_port);
    SysFreeString(r);
    if (SUCCEEDED(m.hr))
    {
        CU_ASSERT_EQUAL(rtcpm_bstr_to_utf8(ia, m.internal, sizeof(m.internal), &len), S_OK);
        CU_ASSERT_EQUAL(rtcpm_bstr_to_utf8(ea, m.external, sizeof(m.external), &len), S_OK);
    }
    SysFreeString(ia);
    SysFreeString(ea);
    return m;
}

static HRESULT update_remote(IRTCPortManager3 *pm, const struct pcp_mapping *m, const char *remote, LONG port)
{
    BSTR r = rtcpm_bstr_from_cstr(remote), ia = rtcpm_bstr_from_cstr(m->internal),
         ea = rtcpm_bstr_from_cstr(m->external);
    HRESULT hr =
        IRTCPortManager3_UpdateRemoteAddressEx2(pm, r, port, RTCTR_UDP, ia, m->internal_port, ea, m->external_port);
    SysFreeString(r);
    SysFreeString(ia);
    SysFreeString(ea);
    return hr;
}

static struct fake_pcp_request_log req(struct fake_pcp_server *srv, unsigned i)
{
    struct fake_pcp_request_log e;
    memset(&e, 0, sizeof(e));
    CU_ASSERT_TRUE(fake_pcp_request(srv, i, &e));
    return e;
}

/* The PEER request of mapping m towards remote:port with lifetime, as RFC 6887 12.1 lays it
 * out: the MAP's nonce, protocol, internal port, the MAP's external side suggested. */
static void check_peer(const struct fake_pcp_request_log *e, const struct fake_pcp_request_log *map,
                       const struct pcp_mapping *m, const char *remote, uint16_t port, uint32_t lifetime)
{
    rtcpm_addr want = test_addr(remote, port), ext = test_addr("198.51.100.7", 0);
    CU_ASSERT_FALSE(e->natpmp);
    CU_ASSERT_EQUAL(e->opcode, RTCPM_PCP_OP_PEER);
    CU_ASSERT_EQUAL(e->lifetime, lifetime);
    CU_ASSERT_EQUAL(memcmp(e->nonce, map->nonce, RTCPM_PCP_NONCE_SIZE), 0);
    CU_ASSERT_EQUAL(e->protocol, RTCPM_PCP_PROTO_UDP);
    CU_ASSERT_EQUAL(e->internal_port, m->internal_port);
    CU_ASSERT_EQUAL(e->external_port, m->external_port);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&e->external, &ext));
    CU_ASSERT_TRUE(rtcpm_addr_equal(&e->remote, &want));
    CU_ASSERT_TRUE(rtcpm_addr_equal_host(&e->from, &(rtcpm_addr){ { 127, 0, 0, 1 }, 0, 0, RTCPM_AF_INET }));
}

/* GetMappingEx(AUDIO_RTP, remote): MAP, then PEER; no PEER for SIP, for remote port 0 or no remote. */
static void test_peer_request(void)
{
    struct fake_pcp_server srv;
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "lifetime = 600\npeer = on\n");
    struct pcp_mapping m = get_towards(pm, RTCPT_AUDIO_RTP, REMOTE, REMOTE_PORT), s, z, n;
    struct fake_pcp_request_log map, peer;
    struct fake_pcp_peer p;
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    CU_ASSERT_EQUAL_FATAL(fake_pcp_requests(&srv), 2);
    map = req(&srv, 0);
    peer = req(&srv, 1);
    CU_ASSERT_EQUAL(map.opcode, RTCPM_PCP_OP_MAP);
    check_peer(&peer, &map, &m, REMOTE, REMOTE_PORT, 600);
    CU_ASSERT_STRING_EQUAL(m.external, "198.51.100.7");
    CU_ASSERT_EQUAL_FATAL(fake_pcp_peer_count(&srv), 1);
    CU_ASSERT_TRUE(fake_pcp_peer(&srv, 0, &p));
    CU_ASSERT_EQUAL(p.external_port, m.external_port);
    s = get_towards(pm, RTCPT_SIP, REMOTE, 5060);
    z = get_towards(pm, RTCPT_AUDIO_RTCP, REMOTE, 0);
    n = get_towards(pm, RTCPT_AUDIO_RTCP, "", 0);
    CU_ASSERT_EQUAL(s.hr, S_OK);
    CU_ASSERT_EQUAL(z.hr, S_OK);
    CU_ASSERT_EQUAL(n.hr, S_OK);
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 5); /* three MAPs alone */
    CU_ASSERT_EQUAL(fake_pcp_peer_count(&srv), 1);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &s), S_OK);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &z), S_OK);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &n), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 8); /* their deletes: MAP alone */
    pcp_pm_done(pm, &srv);
}

/* ReleaseMappingEx: the PEER deleted (lifetime 0, same remote), then the MAP. */
static void test_peer_released(void)
{
    struct fake_pcp_server srv;
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "peer = on\n");
    struct pcp_mapping m = get_towards(pm, RTCPT_AUDIO_RTCP, REMOTE, REMOTE_PORT + 1);
    struct fake_pcp_request_log map, del;
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    CU_ASSERT_EQUAL(fake_pcp_peer_count(&srv), 1);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL_FATAL(fake_pcp_requests(&srv), 4);
    map = req(&srv, 0);
    check_peer((del = req(&srv, 2), &del), &map, &m, REMOTE, REMOTE_PORT + 1, 0);
    del = req(&srv, 3);
    CU_ASSERT_EQUAL(del.opcode, RTCPM_PCP_OP_MAP);
    CU_ASSERT_EQUAL(del.lifetime, 0);
    CU_ASSERT_EQUAL(fake_pcp_peer_count(&srv), 0);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    pcp_pm_done(pm, &srv);
}

/* UpdateRemoteAddressEx2: the old PEER deleted, one towards the new remote made; the same
 * remote again sends nothing; a mapping made without a remote gets its PEER then. */
static void test_peer_on_update(void)
{
    struct fake_pcp_server srv;
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "lifetime = 300\npeer = on\n");
    struct pcp_mapping m = get_towards(pm, RTCPT_AUDIO_RTP, REMOTE, REMOTE_PORT), n;
    struct fake_pcp_request_log map, e;
    struct fake_pcp_peer p;
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    map = req(&srv, 0);
    CU_ASSERT_EQUAL(update_remote(pm, &m, "198.51.100.10", 41000), S_OK);
    CU_ASSERT_EQUAL_FATAL(fake_pcp_requests(&srv), 4);
    check_peer((e = req(&srv, 2), &e), &map, &m, REMOTE, REMOTE_PORT, 0);
    check_peer((e = req(&srv, 3), &e), &map, &m, "198.51.100.10", 41000, 300);
    CU_ASSERT_EQUAL_FATAL(fake_pcp_peer_count(&srv), 1);
    CU_ASSERT_TRUE(fake_pcp_peer(&srv, 0, &p));
    CU_ASSERT_TRUE(rtcpm_addr_equal(&p.remote, &(rtcpm_addr){ { 198, 51, 100, 10 }, 0, 41000, RTCPM_AF_INET }));
    CU_ASSERT_EQUAL(update_remote(pm, &m, "198.51.100.10", 41000), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 4);
    n = get_towards(pm, RTCPT_AUDIO_RTCP, "", 0);
    CU_ASSERT_EQUAL_FATAL(n.hr, S_OK);
    CU_ASSERT_EQUAL(update_remote(pm, &n, REMOTE, REMOTE_PORT + 1), S_OK);
    CU_ASSERT_EQUAL_FATAL(fake_pcp_requests(&srv), 6);
    map = req(&srv, 4);
    check_peer((e = req(&srv, 5), &e), &map, &n, REMOTE, REMOTE_PORT + 1, 300);
    CU_ASSERT_EQUAL(fake_pcp_peer_count(&srv), 2);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &n), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_peer_count(&srv), 0);
    pcp_pm_done(pm, &srv);
}

/* A PEER refused (UNSUPP_OPCODE: a NAT built without PEER) or answered with another port:
 * the mapping is made all the same, with the MAP's external side, and an event says why. */
static void test_peer_error_tolerated(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options opt;
    IRTCPortManager3 *pm;
    struct pcp_mapping m;
    char event[300];
    memset(&opt, 0, sizeof(opt));
    opt.peer_result = RTCPM_PCP_UNSUPP_OPCODE;
    pm = pcp_pm_with_server(&srv, &opt, "peer = on\n");
    m = get_towards(pm, RTCPT_AUDIO_RTP, REMOTE, REMOTE_PORT);
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(m.external, "198.51.100.7");
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 2);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 1);
    rtcpm_pcp_pm_last_event(pm, event, sizeof(event));
    CU_ASSERT_PTR_NOT_NULL(strstr(event, "UNSUPP_OPCODE"));
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 3); /* no PEER to delete: the MAP's delete alone */
    pcp_pm_done(pm, &srv);

    memset(&opt, 0, sizeof(opt));
    opt.peer_port_offset = 7;
    pm = pcp_pm_with_server(&srv, &opt, "peer = on\n");
    m = get_towards(pm, RTCPT_AUDIO_RTP, REMOTE, REMOTE_PORT);
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    rtcpm_pcp_pm_last_event(pm, event, sizeof(event));
    CU_ASSERT_PTR_NOT_NULL(strstr(event, "not the MAP's"));
    CU_ASSERT_EQUAL(fake_pcp_peer_count(&srv), 1);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &m), S_OK); /* the PEER is deleted all the same */
    CU_ASSERT_EQUAL(fake_pcp_peer_count(&srv), 0);
    pcp_pm_done(pm, &srv);
}

/* lifetime 2: the renewal at half-life sends the PEER again after the MAP. */
static void test_peer_renewed(void)
{
    struct fake_pcp_server srv;
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "lifetime = 2\npeer = on\n");
    struct pcp_mapping m = get_towards(pm, RTCPT_AUDIO_RTP, REMOTE, REMOTE_PORT);
    struct fake_pcp_request_log map, e;
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    CU_ASSERT_EQUAL(PCP_WAIT(pm, renewals, 1, 1000 + PCP_SLACK_MS), 1);
    test_sleep_ms(100); /* the renewal's PEER follows its MAP */
    CU_ASSERT_EQUAL_FATAL(fake_pcp_requests(&srv), 4);
    map = req(&srv, 2);
    CU_ASSERT_EQUAL(map.opcode, RTCPM_PCP_OP_MAP);
    check_peer((e = req(&srv, 3), &e), &map, &m, REMOTE, REMOTE_PORT, 2);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_peer_count(&srv), 0);
    pcp_pm_done(pm, &srv);
}

/* peer off (the default: no key): MAPs alone, also on UpdateRemoteAddressEx2 and release. */
static void test_peer_off(void)
{
    struct fake_pcp_server srv;
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "");
    struct pcp_mapping m = get_towards(pm, RTCPT_AUDIO_RTP, REMOTE, REMOTE_PORT);
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    CU_ASSERT_EQUAL(update_remote(pm, &m, "198.51.100.10", 41000), S_OK);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 2); /* the MAP and its delete */
    CU_ASSERT_EQUAL(req(&srv, 1).opcode, RTCPM_PCP_OP_MAP);
    pcp_pm_done(pm, &srv);
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "peer_request", test_peer_request },
        { "peer_released", test_peer_released },
        { "peer_on_update", test_peer_on_update },
        { "peer_error_tolerated", test_peer_error_tolerated },
        { "peer_renewed", test_peer_renewed },
        { "peer_off", test_peer_off },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("pcp_pm_peer", tests, argc, argv);
}
