/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_pcp_pm_more.c — the PCP port manager over time (renewal at half-life, the NAT losing
 * its state by epoch or ANNOUNCE, mappings re-created, one with another port), its COM
 * identity and last Release, its config, and four threads at once.
 */
#include "test_pcp_pm.h"

#include <stdio.h>
#include <string.h>

#include "port_manager_checks.h"
#include "test_thread.h"

/* lifetime 2: renewed after ~1 s with the same nonce and lifetime, again after ~2 s. */
void test_pcp_renewal_at_half_life(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_request_log first, again;
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "lifetime = 2\n");
    struct pcp_mapping m = pcp_get(pm, RTCTR_UDP, RTCPT_SIP);
    uint64_t t0 = rtcpm_clock_ms();
    CU_ASSERT_EQUAL_FATAL(m.hr, S_OK);
    CU_ASSERT_EQUAL(PCP_WAIT(pm, renewals, 1, 1000 + PCP_SLACK_MS), 1);
    CU_ASSERT_TRUE(rtcpm_clock_ms() - t0 >= 900);
    fake_pcp_request(&srv, 0, &first);
    fake_pcp_request(&srv, 1, &again);
    CU_ASSERT_EQUAL(again.lifetime, 2);
    CU_ASSERT_EQUAL(memcmp(again.nonce, first.nonce, 12), 0);
    CU_ASSERT_EQUAL(again.external_port, m.external_port); /* suggests what it has */
    CU_ASSERT_TRUE(again.at_ms - first.at_ms >= 900 && again.at_ms - first.at_ms < 1000 + PCP_SLACK_MS);
    CU_ASSERT_EQUAL(PCP_WAIT(pm, renewals, 2, 1000 + PCP_SLACK_MS), 2);
    /* two lifetimes later the NAT still holds it: it was kept alive */
    test_sleep_ms(600);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 1);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    pcp_pm_done(pm, &srv);
}

/* The NAT reboots: the next answer's epoch went back, so every other live mapping is
 * re-created at once (RFC 6887 8.5), with its own nonce. */
void test_pcp_epoch_reset_recreates(void)
{
    struct fake_pcp_server srv;
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "");
    struct pcp_mapping a = pcp_get(pm, RTCTR_UDP, RTCPT_SIP), b = pcp_get(pm, RTCTR_TCP, RTCPT_SIP), c;
    struct fake_pcp_mapping nat;
    char event[300];
    CU_ASSERT_EQUAL_FATAL(a.hr, S_OK);
    CU_ASSERT_EQUAL_FATAL(b.hr, S_OK);
    fake_pcp_restart(&srv);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    c = pcp_get(pm, RTCTR_UDP, RTCPT_AUDIO_RTP);
    CU_ASSERT_EQUAL(c.hr, S_OK);
    CU_ASSERT_EQUAL(PCP_WAIT(pm, recreations, 2, PCP_SLACK_MS), 2);
    CU_ASSERT_EQUAL(PCP_WAIT(pm, epoch_resets, 1, 0), 1);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 3);
    CU_ASSERT_TRUE(fake_pcp_find(&srv, RTCPM_PCP_PROTO_TCP, (uint16_t)b.internal_port, &nat));
    CU_ASSERT_EQUAL(nat.external_port, b.external_port);
    rtcpm_pcp_pm_last_event(pm, event, sizeof(event));
    CU_ASSERT_PTR_NOT_NULL(strstr(event, "re-created as external 198.51.100.7:"));
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &a), S_OK);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_TCP, &b), S_OK);
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &c), S_OK);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    pcp_pm_done(pm, &srv);
}

/* The NAT reboots and announces it (unicast here; 224.0.0.1 in the e2e case): the worker
 * re-creates every mapping without RTC asking anything. */
void test_pcp_announce_recreates(void)
{
    struct fake_pcp_server srv;
    uint16_t port = test_free_block(1); /* the announcement listener's */
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "announce = on\nannounce-port = %u\n", port);
    struct pcp_mapping a = pcp_get(pm, RTCTR_UDP, RTCPT_SIP), b = pcp_get(pm, RTCTR_UDP, RTCPT_AUDIO_RTP);
    rtcpm_addr to = test_addr("127.0.0.1", port);
    uint64_t t0;
    CU_ASSERT_EQUAL_FATAL(a.hr, S_OK);
    CU_ASSERT_EQUAL_FATAL(b.hr, S_OK);
    fake_pcp_restart(&srv);
    t0 = rtcpm_clock_ms();
    CU_ASSERT_EQUAL(fake_pcp_announce(&srv, &to), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL(PCP_WAIT(pm, recreations, 2, 500 + PCP_SLACK_MS), 2);
    CU_ASSERT_TRUE(rtcpm_clock_ms() - t0 < 500 + PCP_SLACK_MS);
    CU_ASSERT_EQUAL(PCP_WAIT(pm, announces, 1, 0), 1);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 2);
    /* a second announcement with a consistent epoch changes nothing */
    CU_ASSERT_EQUAL(fake_pcp_announce(&srv, &to), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL(PCP_WAIT(pm, announces, 2, PCP_SLACK_MS), 2);
    test_sleep_ms(200);
    CU_ASSERT_EQUAL(PCP_WAIT(pm, recreations, 3, 0), 2);
    pcp_pm_done(pm, &srv); /* deletes both */
}

/* After the reboot the NAT hands another port: RTC holds the old one, which still names the
 * mapping; the event says what happened. */
void test_pcp_recreated_elsewhere(void)
{
    struct fake_pcp_server srv;
    struct fake_pcp_options o;
    uint16_t port = test_free_block(1); /* the announcement listener's */
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "announce-port = %u\nannounce = yes\n", port);
    struct pcp_mapping a = pcp_get(pm, RTCTR_UDP, RTCPT_SIP);
    rtcpm_addr to = test_addr("127.0.0.1", port);
    struct fake_pcp_mapping nat;
    char event[300], want[200];
    CU_ASSERT_EQUAL_FATAL(a.hr, S_OK);
    memset(&o, 0, sizeof(o));
    o.port_offset = 7;
    fake_pcp_set_options(&srv, &o);
    fake_pcp_restart(&srv);
    fake_pcp_announce(&srv, &to);
    CU_ASSERT_EQUAL(PCP_WAIT(pm, recreations, 1, 500 + PCP_SLACK_MS), 1);
    CU_ASSERT_TRUE(fake_pcp_find(&srv, RTCPM_PCP_PROTO_UDP, (uint16_t)a.internal_port, &nat));
    CU_ASSERT_EQUAL(nat.external_port, a.external_port + 7);
    rtcpm_pcp_pm_last_event(pm, event, sizeof(event));
    snprintf(want, sizeof(want), "udp 127.0.0.1:%ld: now external 198.51.100.7:%ld, RTC holds 198.51.100.7:%ld",
             (long)a.internal_port, (long)a.external_port + 7, (long)a.external_port);
    if (!strstr(event, want)) printf("\n    event '%s'\n", event);
    CU_ASSERT_PTR_NOT_NULL(strstr(event, want));
    CU_ASSERT_EQUAL(pcp_release(pm, RTCTR_UDP, &a), S_OK); /* by the name RTC holds */
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    pcp_pm_done(pm, &srv);
}

void test_pcp_identity_and_release(void)
{
    struct fake_pcp_server srv;
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "");
    struct pcp_mapping m[3];
    int i;
    for (i = 0; i < 3; i++) CU_ASSERT_EQUAL((m[i] = pcp_get(pm, RTCTR_UDP, RTCPT_AUDIO_RTP + i)).hr, S_OK);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 3);
    check_port_manager_identity_and_release(pm); /* the last Release deletes all three */
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 6);
    CU_ASSERT_PTR_NULL(rtcpm_pcp_pm_protocol(NULL));
    CU_ASSERT_EQUAL(rtcpm_pcp_pm_live_mappings(NULL), -1);
    fake_pcp_stop(&srv);
}

static void config_error(const char *text, const char *want)
{
    IRTCPortManager3 *pm = (IRTCPortManager3 *)1;
    char err[300];
    HRESULT hr = rtcpm_pcp_pm_create_from_string(text, "pcp.ini", &pm, err, sizeof(err));
    CU_ASSERT_EQUAL(hr, E_INVALIDARG);
    CU_ASSERT_PTR_NULL(pm);
    if (strcmp(err, want)) printf("\n    got  '%s'\n    want '%s'\n", err, want);
    CU_ASSERT_STRING_EQUAL(err, want);
}

void test_pcp_config(void)
{
    struct rtcpm_pcp_pm_config cfg;
    IRTCPortManager3 *pm = NULL;
    char err[300];
    config_error("[pcp]\nlifetime = 0\n", "pcp.ini:2: lifetime: '0' is not a number in 1..604800 s");
    config_error("[pcp]\nserver = 1.2.3\n",
                 "pcp.ini:2: server: entry 1 '1.2.3' is neither an IP address nor a host name");
    config_error("[pcp]\nserver = 10.0.0.1, 10.0.0.2\n",
                 "pcp.ini:2: server: two IPv4 servers ('10.0.0.1' and '10.0.0.2'): at most one per family");
    config_error("[pcp]\nserver = a.example, [::1], b.example\n", "pcp.ini:2: server: more than 2 servers");
    config_error("[pcp]\nserver = [::1]:0\n",
                 "pcp.ini:2: server: entry 1 '[::1]:0' is not host[:port] (port 1..65535; IPv6 as [addr]:port)");
    config_error("[pcp]\nprotocol = upnp\n", "pcp.ini:2: protocol: 'upnp' is not one of auto, pcp, nat-pmp");
    config_error("[pcp]\nfoo = 1\n", "pcp.ini:2: unknown key 'foo' in [pcp] (expected server, local-address, "
                                     "protocol, lifetime, timeout, rto, announce, announce-port or peer)");
    config_error("[pcp]\n[pcp]\n", "pcp.ini:2: second [pcp] section (the first is at line 1)");
    config_error("[ports sip]\nrange = 5060\n", "pcp.ini: no [pcp] section");
    config_error("[pcp]\n[ports audio-rtp]\nrange = 30001\n",
                 "pcp.ini:3: audio-rtp range 30001-30001 holds no even port followed by an odd one (RTP even, RTCP = "
                 "RTP + 1)");
    config_error("[pcp]\nlocal-address = 0.0.0.0\n",
                 "pcp.ini:2: local-address: '0.0.0.0' is unspecified: give the host's own address");
    /* the C struct: the same limits */
    rtcpm_pcp_pm_config_init(&cfg);
    CU_ASSERT_EQUAL(cfg.lifetime_s, 7200);
    CU_ASSERT_EQUAL(cfg.timeout_ms, 3000);
    CU_ASSERT_EQUAL(cfg.announce_port, 5350);
    CU_ASSERT_EQUAL(cfg.peer, 0); /* off by default */
    cfg.rto_ms = 0;
    CU_ASSERT_EQUAL(rtcpm_pcp_pm_create_ex(&cfg, &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "rto 0 is outside 1..60000 ms");
    cfg.rto_ms = 250;
    cfg.protocol = 3;
    CU_ASSERT_EQUAL(rtcpm_pcp_pm_create_ex(&cfg, &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "protocol 3 is not one of 0..2");
    CU_ASSERT_EQUAL(rtcpm_pcp_pm_create("1.2.3.4.5", &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_pcp_pm_create(NULL, NULL, err, sizeof(err)), E_POINTER);
    /* the default gateway: created without asking anything */
    CU_ASSERT_EQUAL(rtcpm_pcp_pm_create(NULL, &pm, err, sizeof(err)), S_OK);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    CU_ASSERT_EQUAL(rtcpm_pcp_pm_create_from_file("/nonexistent/pcp.ini", &pm, err, sizeof(err)),
                    HRESULT_FROM_WIN32(2L /* ERROR_FILE_NOT_FOUND */));
}

struct worker_arg
{
    IRTCPortManager3 *pm;
    int ok;
};

static int mapper(void *p)
{
    struct worker_arg *a = p;
    int i;
    for (i = 0; i < 10; i++)
    {
        struct pcp_mapping m = pcp_get(a->pm, i % 2 ? RTCTR_TCP : RTCTR_UDP, RTCPT_SIP);
        if (m.hr == S_OK && pcp_release(a->pm, i % 2 ? RTCTR_TCP : RTCTR_UDP, &m) == S_OK) a->ok++;
    }
    return 0;
}

void test_pcp_threads(void)
{
    struct fake_pcp_server srv;
    IRTCPortManager3 *pm = pcp_pm_with_server(&srv, NULL, "lifetime = 2\n");
    struct worker_arg args[4];
    test_thread *t[4];
    int i;
    for (i = 0; i < 4; i++)
    {
        args[i].pm = pm;
        args[i].ok = 0;
        CU_ASSERT_EQUAL_FATAL(test_thread_start(&t[i], mapper, &args[i]), 0);
    }
    for (i = 0; i < 4; i++)
    {
        test_thread_join(t[i]);
        CU_ASSERT_EQUAL(args[i].ok, 10);
    }
    CU_ASSERT_EQUAL(rtcpm_pcp_pm_live_mappings(pm), 0);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    pcp_pm_done(pm, &srv);
}
