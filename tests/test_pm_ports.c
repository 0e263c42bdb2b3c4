/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_pm_ports.c — the internal-port pool (src/pm/pm_ports.h) on its own, as a port manager
 * other than STUN would use it: ranges round robin, RTP even with its RTCP port kept after the
 * mapping is recorded, claims given back (abandon, mapping gone), ports bound by other
 * programs skipped, the owner's preferred port, the OS's pick without a range, UDP and TCP as
 * two namespaces. Real sockets on 127.0.0.1.
 */
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "loopback.h"
#include "pm/pm_ports.h"

struct pool
{
    struct rtcpm_lock lock;
    struct rtcpm_mapping_table *table;
    struct rtcpm_pm_ports ports;
    rtcpm_addr host;
    uint16_t b; /* audio RTP: b .. b+3; SIP (UDP and TCP): b+6 */
};

static void pool_init(struct pool *p)
{
    struct rtcpm_pm_port_range ranges[2];
    p->b = test_free_block(8);
    ranges[0].port_type = RTCPT_AUDIO_RTP;
    ranges[0].transports = RTCTR_UDP;
    ranges[0].first = p->b;
    ranges[0].last = (uint16_t)(p->b + 3);
    ranges[1].port_type = RTCPT_SIP;
    ranges[1].transports = RTCTR_UDP | RTCTR_TCP;
    ranges[1].first = ranges[1].last = (uint16_t)(p->b + 6);
    rtcpm_lock_init(&p->lock);
    p->table = rtcpm_mapping_table_create();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p->table);
    CU_ASSERT_EQUAL_FATAL(rtcpm_pm_ports_init(&p->ports, &p->lock, p->table, ranges, 2), S_OK);
    p->host = test_addr("127.0.0.1", 0);
}

static void pool_destroy(struct pool *p)
{
    CU_ASSERT_EQUAL(p->ports.claim_count, 0); /* every test gives back what it claimed */
    rtcpm_pm_ports_destroy(&p->ports);
    rtcpm_mapping_table_destroy(p->table);
    rtcpm_lock_destroy(&p->lock);
}

/* A port for (type, transport) with remote 198.18.0.9:7078; the probe is open on success. */
static HRESULT open_port(struct pool *p, int type, LONG transport, const struct rtcpm_pm_port_prefer *prefer,
                         struct rtcpm_pm_probe *probe, char *why, size_t whylen)
{
    rtcpm_addr remote = test_addr("198.18.0.9", 7078);
    why[0] = 0;
    return rtcpm_pm_ports_open(&p->ports, type, transport, &p->host, &remote, prefer, probe, why, whylen);
}

/* What an owner does once the external side is known: the mapping goes into the table and
 * the probe's claims settle (RTP keeps port + 1), under the owner's lock. */
static struct rtcpm_mapping record(struct pool *p, struct rtcpm_pm_probe *probe, int type, LONG transport)
{
    struct rtcpm_mapping m;
    memset(&m, 0, sizeof(m));
    m.internal = probe->internal;
    m.remote = test_addr("198.18.0.9", 7078);
    m.port_type = (uint8_t)type;
    m.transport = (uint8_t)transport;
    rtcpm_pm_probe_close(probe);
    rtcpm_lock_acquire(&p->lock);
    CU_ASSERT_EQUAL(rtcpm_mapping_table_insert(p->table, &m), RTCPM_MT_OK);
    rtcpm_pm_ports_settle(&p->ports, probe, &m);
    rtcpm_lock_release(&p->lock);
    return m;
}

static void release(struct pool *p, const struct rtcpm_mapping *m)
{
    struct rtcpm_mapping removed;
    CU_ASSERT_EQUAL(rtcpm_mapping_table_remove(p->table, m->transport, &m->internal, NULL, &removed), RTCPM_MT_OK);
    rtcpm_pm_ports_mapping_gone(&p->ports, &removed);
}

static void test_pairs_and_kept_rtcp(void)
{
    struct pool p;
    struct rtcpm_pm_probe probe;
    struct rtcpm_mapping rtp1, rtcp1, rtp2, rtcp2;
    char why[256], want[256];

    pool_init(&p);
    CU_ASSERT_EQUAL_FATAL(open_port(&p, RTCPT_AUDIO_RTP, RTCTR_UDP, NULL, &probe, why, sizeof(why)), S_OK);
    CU_ASSERT_EQUAL(probe.internal.port, p.b);
    CU_ASSERT_TRUE(probe.pair);
    CU_ASSERT_PTR_NOT_NULL(probe.sock);
    CU_ASSERT_EQUAL(p.ports.claim_count, 2); /* RTP and its RTCP port */
    rtp1 = record(&p, &probe, RTCPT_AUDIO_RTP, RTCTR_UDP);
    CU_ASSERT_EQUAL(p.ports.claim_count, 1); /* port + 1 kept for the RTCP call */
    CU_ASSERT_EQUAL(open_port(&p, RTCPT_AUDIO_RTCP, RTCTR_UDP, NULL, &probe, why, sizeof(why)), S_OK);
    CU_ASSERT_EQUAL(probe.internal.port, p.b + 1);
    rtcp1 = record(&p, &probe, RTCPT_AUDIO_RTCP, RTCTR_UDP);
    CU_ASSERT_EQUAL(p.ports.claim_count, 0);

    /* the next pair; then the range is full */
    CU_ASSERT_EQUAL(open_port(&p, RTCPT_AUDIO_RTP, RTCTR_UDP, NULL, &probe, why, sizeof(why)), S_OK);
    CU_ASSERT_EQUAL(probe.internal.port, p.b + 2);
    rtp2 = record(&p, &probe, RTCPT_AUDIO_RTP, RTCTR_UDP);
    CU_ASSERT_EQUAL(open_port(&p, RTCPT_AUDIO_RTCP, RTCTR_UDP, NULL, &probe, why, sizeof(why)), S_OK);
    CU_ASSERT_EQUAL(probe.internal.port, p.b + 3);
    rtcp2 = record(&p, &probe, RTCPT_AUDIO_RTCP, RTCTR_UDP);
    CU_ASSERT_EQUAL(open_port(&p, RTCPT_AUDIO_RTP, RTCTR_UDP, NULL, &probe, why, sizeof(why)),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    snprintf(want, sizeof(want), "no free UDP port in %u-%u for audio-rtp (0 bound by other programs)", p.b, p.b + 3);
    CU_ASSERT_STRING_EQUAL(why, want);

    release(&p, &rtp1);
    release(&p, &rtcp1);
    release(&p, &rtp2);
    release(&p, &rtcp2);
    pool_destroy(&p);
}

/* A failed call gives both ports back; a released RTP mapping gives back the port kept for
 * its RTCP mapping, which then serves an RTCP call of its own (odd ports first). */
static void test_claims_given_back(void)
{
    struct pool p;
    struct rtcpm_pm_probe probe;
    struct rtcpm_mapping rtp, rtcp;
    char why[256];

    pool_init(&p);
    CU_ASSERT_EQUAL_FATAL(open_port(&p, RTCPT_AUDIO_RTP, RTCTR_UDP, NULL, &probe, why, sizeof(why)), S_OK);
    CU_ASSERT_EQUAL(probe.internal.port, p.b);
    rtcpm_pm_ports_abandon(&p.ports, &probe);
    CU_ASSERT_EQUAL(p.ports.claim_count, 0);
    CU_ASSERT_PTR_NULL(probe.sock);

    CU_ASSERT_EQUAL_FATAL(open_port(&p, RTCPT_AUDIO_RTP, RTCTR_UDP, NULL, &probe, why, sizeof(why)), S_OK);
    rtp = record(&p, &probe, RTCPT_AUDIO_RTP, RTCTR_UDP);
    CU_ASSERT_EQUAL(p.ports.claim_count, 1);
    release(&p, &rtp);
    CU_ASSERT_EQUAL(p.ports.claim_count, 0);
    CU_ASSERT_EQUAL_FATAL(open_port(&p, RTCPT_AUDIO_RTCP, RTCTR_UDP, NULL, &probe, why, sizeof(why)), S_OK);
    CU_ASSERT_EQUAL(probe.internal.port % 2, 1);
    CU_ASSERT_FALSE(probe.pair);
    rtcp = record(&p, &probe, RTCPT_AUDIO_RTCP, RTCTR_UDP);
    release(&p, &rtcp);
    pool_destroy(&p);
}

/* A port another program holds is skipped; so is an RTP port whose next one is held. */
static void test_bound_by_others(void)
{
    struct pool p;
    struct rtcpm_pm_probe probe;
    rtcpm_socket *held = NULL;
    rtcpm_addr a;
    char why[256];

    pool_init(&p);
    a = test_addr("127.0.0.1", (uint16_t)(p.b + 1));
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&held, RTCPM_SOCK_UDP, &a, NULL), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL_FATAL(open_port(&p, RTCPT_AUDIO_RTP, RTCTR_UDP, NULL, &probe, why, sizeof(why)), S_OK);
    CU_ASSERT_EQUAL(probe.internal.port, p.b + 2);
    rtcpm_pm_ports_abandon(&p.ports, &probe);
    rtcpm_socket_close(held);
    pool_destroy(&p);
}

static uint16_t prefer_b2(void *ctx, const struct rtcpm_pm_ports *ports, const struct rtcpm_pm_port_search *s)
{
    uint16_t port = *(const uint16_t *)ctx;
    return rtcpm_pm_ports_fits(ports, s, port, 0) ? port : 0;
}

/* The owner's preferred port comes before the round robin, when it fits. */
static void test_preferred_port(void)
{
    struct pool p;
    struct rtcpm_pm_probe probe;
    uint16_t wanted, odd;
    struct rtcpm_pm_port_prefer prefer = { prefer_b2, &wanted };
    char why[256];

    pool_init(&p);
    wanted = (uint16_t)(p.b + 2);
    CU_ASSERT_EQUAL_FATAL(open_port(&p, RTCPT_AUDIO_RTP, RTCTR_UDP, &prefer, &probe, why, sizeof(why)), S_OK);
    CU_ASSERT_EQUAL(probe.internal.port, p.b + 2);
    rtcpm_pm_ports_abandon(&p.ports, &probe);
    odd = (uint16_t)(p.b + 1); /* odd: no RTP port */
    prefer.ctx = &odd;
    CU_ASSERT_EQUAL_FATAL(open_port(&p, RTCPT_AUDIO_RTP, RTCTR_UDP, &prefer, &probe, why, sizeof(why)), S_OK);
    CU_ASSERT_EQUAL(probe.internal.port % 2, 0);
    CU_ASSERT_NOT_EQUAL(probe.internal.port, p.b + 1);
    rtcpm_pm_ports_abandon(&p.ports, &probe);
    pool_destroy(&p);
}

/* Without a range the OS picks (outside every range; RTP even with port + 1 free); UDP and
 * TCP are two namespaces for the one SIP port. */
static void test_os_pick_and_namespaces(void)
{
    struct pool p;
    struct rtcpm_pm_probe video, udp, tcp, again;
    char why[256];

    pool_init(&p);
    CU_ASSERT_EQUAL_FATAL(open_port(&p, RTCPT_VIDEO_RTP, RTCTR_UDP, NULL, &video, why, sizeof(why)), S_OK);
    CU_ASSERT_EQUAL(video.internal.port % 2, 0);
    CU_ASSERT_TRUE((video.internal.port < p.b || video.internal.port > p.b + 3) && video.internal.port != p.b + 6);
    CU_ASSERT_EQUAL(p.ports.claim_count, 2);
    rtcpm_pm_ports_abandon(&p.ports, &video);

    CU_ASSERT_EQUAL_FATAL(open_port(&p, RTCPT_SIP, RTCTR_UDP, NULL, &udp, why, sizeof(why)), S_OK);
    CU_ASSERT_EQUAL_FATAL(open_port(&p, RTCPT_SIP, RTCTR_TCP, NULL, &tcp, why, sizeof(why)), S_OK);
    CU_ASSERT_EQUAL(udp.internal.port, p.b + 6);
    CU_ASSERT_EQUAL(tcp.internal.port, p.b + 6);
    CU_ASSERT_EQUAL(tcp.proto, RTCPM_PM_PROTO_TCP);
    CU_ASSERT_EQUAL(open_port(&p, RTCPT_SIP, RTCTR_TCP, NULL, &again, why, sizeof(why)),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    rtcpm_pm_ports_abandon(&p.ports, &udp);
    rtcpm_pm_ports_abandon(&p.ports, &tcp);
    pool_destroy(&p);
}

static CU_TestInfo tests[] = {
    { "pairs_and_kept_rtcp", test_pairs_and_kept_rtcp },
    { "claims_given_back", test_claims_given_back },
    { "bound_by_others", test_bound_by_others },
    { "preferred_port", test_preferred_port },
    { "os_pick_and_namespaces", test_os_pick_and_namespaces },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("pm_ports", tests, argc, argv); }
