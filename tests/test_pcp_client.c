/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One PCP / NAT-PMP exchange (src/net/pcp_client) against the in-process fake server
 * (tests/fake_pcp_server): the schedule (250 ms, doubling, within the budget), what counts
 * as the answer and what is dropped (and why), version fallback signals, result codes.
 */
#include "harness.h"

#include <string.h>

#include "fake_pcp_server.h"
#include "loopback.h"
#include "net/pcp_client.h"
#include "os/os_platform.h"

static struct fake_pcp_server srv;
static rtcpm_socket *sock;
static rtcpm_addr local;

static void start(enum fake_pcp_fault fault)
{
    struct fake_pcp_options opt;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    memset(&opt, 0, sizeof(opt));
    opt.fault = fault;
    opt.then_right = 0;
    CU_ASSERT_EQUAL_FATAL(fake_pcp_start(&srv, &lo, &opt, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&sock, RTCPM_SOCK_UDP, &lo, NULL), 0);
    rtcpm_socket_local_addr(sock, &local);
}

static void set(enum fake_pcp_fault fault, int then_right, unsigned count)
{
    struct fake_pcp_options opt;
    memset(&opt, 0, sizeof(opt));
    opt.fault = fault;
    opt.then_right = then_right;
    opt.count = count;
    fake_pcp_set_options(&srv, &opt);
}

static void stop(void)
{
    rtcpm_socket_close(sock);
    sock = NULL;
    fake_pcp_stop(&srv);
}

static struct rtcpm_pcp_request map_request(uint16_t port, uint32_t lifetime, uint8_t first_nonce_byte)
{
    struct rtcpm_pcp_request rq;
    memset(&rq, 0, sizeof(rq));
    rq.opcode = RTCPM_PCP_OP_MAP;
    rq.lifetime = lifetime;
    rq.client = local;
    rq.nonce[0] = first_nonce_byte;
    rq.nonce[11] = 0x77;
    rq.protocol = RTCPM_PCP_PROTO_UDP;
    rq.internal_port = rq.external_port = port;
    return rq;
}

static int exchange(const struct rtcpm_pcp_request *rq, uint32_t budget, struct rtcpm_pcp_exchange *x)
{
    struct rtcpm_pcp_client_config cfg = { 250, budget, NULL, NULL };
    return rtcpm_pcp_exchange(sock, &srv.addr, rq, &cfg, x);
}

static void test_map_and_delete(void)
{
    struct rtcpm_pcp_request rq;
    struct rtcpm_pcp_exchange x;
    struct fake_pcp_mapping m;
    rtcpm_addr ext = test_addr("198.51.100.7", 0);
    start(FAKE_PCP_NORMAL);
    rq = map_request(30000, 600, 1);
    CU_ASSERT_EQUAL(exchange(&rq, 3000, &x), RTCPM_PCP_X_OK);
    CU_ASSERT_EQUAL(x.pcp.result, RTCPM_PCP_SUCCESS);
    CU_ASSERT_EQUAL(x.pcp.external_port, 30000);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&x.pcp.external, &ext));
    CU_ASSERT_EQUAL(x.pcp.lifetime, 600);
    CU_ASSERT_EQUAL(x.requests_sent, 1);
    CU_ASSERT_EQUAL(x.dropped, 0);
    CU_ASSERT_TRUE(fake_pcp_find(&srv, RTCPM_PCP_PROTO_UDP, 30000, &m));
    /* another nonce may neither refresh nor delete it (RFC 6887 11.3) */
    rq = map_request(30000, 0, 2);
    CU_ASSERT_EQUAL(exchange(&rq, 3000, &x), RTCPM_PCP_X_OK);
    CU_ASSERT_EQUAL(x.pcp.result, RTCPM_PCP_NOT_AUTHORIZED);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 1);
    rq = map_request(30000, 0, 1);
    CU_ASSERT_EQUAL(exchange(&rq, 3000, &x), RTCPM_PCP_X_OK);
    CU_ASSERT_EQUAL(x.pcp.result, RTCPM_PCP_SUCCESS);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    stop();
}

/* Requests at 0, 250, 750 ms (doubling); the third answered. */
static void test_schedule(void)
{
    struct rtcpm_pcp_request rq;
    struct rtcpm_pcp_exchange x;
    struct fake_pcp_request_log a, b, c;
    start(FAKE_PCP_NORMAL);
    set(FAKE_PCP_DROP_FIRST, 0, 2);
    rq = map_request(30002, 600, 3);
    CU_ASSERT_EQUAL(exchange(&rq, 3000, &x), RTCPM_PCP_X_OK);
    CU_ASSERT_EQUAL(x.requests_sent, 3);
    CU_ASSERT_EQUAL(fake_pcp_requests(&srv), 3);
    fake_pcp_request(&srv, 0, &a);
    fake_pcp_request(&srv, 1, &b);
    fake_pcp_request(&srv, 2, &c);
    CU_ASSERT_TRUE(b.at_ms - a.at_ms >= 240 && b.at_ms - a.at_ms < 450);
    CU_ASSERT_TRUE(c.at_ms - b.at_ms >= 490 && c.at_ms - b.at_ms < 750);
    CU_ASSERT_EQUAL(memcmp(a.nonce, c.nonce, 12), 0); /* a retransmission is the same request */
    stop();
}

/* Nothing answers: the exchange ends with the budget, not the schedule. */
static void test_budget(void)
{
    struct rtcpm_pcp_request rq;
    struct rtcpm_pcp_exchange x;
    start(FAKE_PCP_SILENT);
    rq = map_request(30004, 600, 4);
    CU_ASSERT_EQUAL(exchange(&rq, 1000, &x), RTCPM_PCP_X_TIMEOUT);
    CU_ASSERT_TRUE(x.elapsed_ms >= 990 && x.elapsed_ms < 1400);
    CU_ASSERT_EQUAL(x.requests_sent, 3); /* 0, 250, 750 */
    stop();
}

/* Each bad answer is dropped with its reason; the right one after it counts. */
static void check_dropped(enum fake_pcp_fault fault, const char *why)
{
    struct rtcpm_pcp_request rq;
    struct rtcpm_pcp_exchange x;
    set(fault, 1, 0);
    rq = map_request(30010, 600, 5);
    CU_ASSERT_EQUAL(exchange(&rq, 3000, &x), RTCPM_PCP_X_OK);
    CU_ASSERT_EQUAL(x.pcp.result, RTCPM_PCP_SUCCESS);
    CU_ASSERT_EQUAL(x.dropped, 1);
    CU_ASSERT_STRING_EQUAL(x.dropped_why, why);
    /* alone, it ends in a timeout that names it */
    set(fault, 0, 0);
    CU_ASSERT_EQUAL(exchange(&rq, 600, &x), RTCPM_PCP_X_TIMEOUT);
    CU_ASSERT_TRUE(x.dropped >= 2);
    CU_ASSERT_STRING_EQUAL(x.dropped_why, why);
}

static void test_bad_answers(void)
{
    start(FAKE_PCP_NORMAL);
    check_dropped(FAKE_PCP_WRONG_NONCE, "wrong nonce");
    check_dropped(FAKE_PCP_WRONG_OPCODE, "wrong opcode");
    check_dropped(FAKE_PCP_SHORT, "RTCPM_PCP_E_SHORT"); /* 20 bytes: the header cut */
    check_dropped(FAKE_PCP_OVERSIZED, "longer than any PCP message");
    check_dropped(FAKE_PCP_OTHER_SOURCE, "not from the server's address and port");
    stop();
}

static void test_versions_and_results(void)
{
    struct rtcpm_pcp_request rq;
    struct rtcpm_pcp_exchange x;
    struct fake_pcp_options opt;
    start(FAKE_PCP_NATPMP_ONLY);
    rq = map_request(30020, 600, 6);
    CU_ASSERT_EQUAL(exchange(&rq, 3000, &x), RTCPM_PCP_X_NATPMP_ONLY);
    CU_ASSERT_EQUAL(x.requests_sent, 1);
    set(FAKE_PCP_OLD_VERSION, 0, 0);
    CU_ASSERT_EQUAL(exchange(&rq, 3000, &x), RTCPM_PCP_X_OK);
    CU_ASSERT_EQUAL(x.pcp.version, 1);
    CU_ASSERT_EQUAL(x.pcp.result, RTCPM_PCP_UNSUPP_VERSION);
    memset(&opt, 0, sizeof(opt));
    opt.fault = FAKE_PCP_RESULT;
    opt.result = RTCPM_PCP_USER_EX_QUOTA;
    fake_pcp_set_options(&srv, &opt);
    CU_ASSERT_EQUAL(exchange(&rq, 3000, &x), RTCPM_PCP_X_OK);
    CU_ASSERT_EQUAL(x.pcp.result, RTCPM_PCP_USER_EX_QUOTA);
    CU_ASSERT_EQUAL(x.pcp.lifetime, 0);
    stop();
}

static void test_natpmp_exchange(void)
{
    struct rtcpm_natpmp_request rq;
    struct rtcpm_pcp_exchange x;
    struct rtcpm_pcp_client_config cfg = { 250, 3000, NULL, NULL };
    rtcpm_addr ext = test_addr("198.51.100.7", 0);
    start(FAKE_PCP_NATPMP_ONLY);
    memset(&rq, 0, sizeof(rq));
    CU_ASSERT_EQUAL(rtcpm_natpmp_exchange(sock, &srv.addr, &rq, &cfg, &x), RTCPM_PCP_X_OK);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&x.natpmp.external, &ext));
    rq.opcode = RTCPM_NATPMP_OP_MAP_TCP;
    rq.internal_port = rq.external_port = 5060;
    rq.lifetime = 120;
    CU_ASSERT_EQUAL(rtcpm_natpmp_exchange(sock, &srv.addr, &rq, &cfg, &x), RTCPM_PCP_X_OK);
    CU_ASSERT_EQUAL(x.natpmp.result, 0);
    CU_ASSERT_EQUAL(x.natpmp.internal_port, 5060);
    CU_ASSERT_EQUAL(x.natpmp.external_port, 5060);
    CU_ASSERT_EQUAL(x.natpmp.lifetime, 120);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 1);
    rq.lifetime = 0;
    rq.external_port = 0;
    CU_ASSERT_EQUAL(rtcpm_natpmp_exchange(sock, &srv.addr, &rq, &cfg, &x), RTCPM_PCP_X_OK);
    CU_ASSERT_EQUAL(fake_pcp_mapping_count(&srv), 0);
    stop();
}

static int cancel_now(void *ctx) { return ++*(int *)ctx > 2; }

static void test_cancel_and_invalid(void)
{
    struct rtcpm_pcp_request rq;
    struct rtcpm_pcp_exchange x;
    int polls = 0;
    struct rtcpm_pcp_client_config cfg = { 250, 5000, cancel_now, &polls };
    uint64_t t0;
    start(FAKE_PCP_SILENT);
    rq = map_request(30030, 600, 7);
    t0 = rtcpm_clock_ms();
    CU_ASSERT_EQUAL(rtcpm_pcp_exchange(sock, &srv.addr, &rq, &cfg, &x), RTCPM_PCP_X_CANCELLED);
    CU_ASSERT_TRUE(rtcpm_clock_ms() - t0 < 1000);
    rq.client.family = RTCPM_AF_NONE;
    CU_ASSERT_EQUAL(exchange(&rq, 1000, &x), RTCPM_PCP_X_INVALID);
    CU_ASSERT_EQUAL(x.requests_sent, 0);
    stop();
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "map_and_delete", test_map_and_delete },
        { "schedule", test_schedule },
        { "budget", test_budget },
        { "bad_answers", test_bad_answers },
        { "versions_and_results", test_versions_and_results },
        { "natpmp_exchange", test_natpmp_exchange },
        { "cancel_and_invalid", test_cancel_and_invalid },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("pcp_client", tests, argc, argv);
}
