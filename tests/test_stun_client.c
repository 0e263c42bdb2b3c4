/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — STUN client tests against the in-process fault-injecting server (loopback only).
 *
 * Every case asserts the exact outcome (status, address, attribute, counters on both
 * sides) and that the elapsed time lies within the configured bound plus a loose slack —
 * never a tight timing assertion. The short schedule used by most cases:
 * RTO 50 ms, Rc 4, Rm 4 -> requests at 0, 50, 150, 350 ms, failure at 550 ms.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "fake_stun_server.h"
#include "loopback.h"
#include "os/os_platform.h"
#include "net/stun_client.h"

#define SLACK_MS 300

static rtcpm_stun_config short_cfg(void)
{
    rtcpm_stun_config cfg;
    rtcpm_stun_config_init(&cfg);
    cfg.rto_ms = 50;
    cfg.max_requests = 4;
    cfg.final_wait_rto = 4;
    cfg.tcp_timeout_ms = 500;
    return cfg;
}
#define SHORT_BOUND_MS 550u

/* For cases that expect exactly one request: the answer has a whole second to come back
 * before a retransmission (a loaded machine running Wine can take tens of ms). */
static rtcpm_stun_config one_shot_cfg(void)
{
    rtcpm_stun_config cfg = short_cfg();
    cfg.rto_ms = 1000;
    cfg.deadline_ms = 3000;
    return cfg;
}

/* For cases that count every (bad) answer: RTO 50, Rc 4, Rm 10 -> requests at 0, 50,
 * 150, 350 ms and a 500 ms final wait, so the last answer is surely in before the end. */
static rtcpm_stun_config counted_cfg(void)
{
    rtcpm_stun_config cfg = short_cfg();
    cfg.final_wait_rto = 10;
    return cfg;
}
#define COUNTED_BOUND_MS 850u

struct fixture
{
    struct fake_stun_server srv;
    rtcpm_socket *client;
    rtcpm_addr local;
    uint64_t start_us; /* just before the transaction started */
    int ok;
};

static void setup(struct fixture *f, const char *host, const struct fake_stun_options *opt)
{
    memset(f, 0, sizeof *f);
    rtcpm_addr lo = test_addr(host, 0);
    int os_error = 0;
    int rc = fake_stun_start(&f->srv, &lo, opt, &os_error);
    CU_ASSERT_EQUAL_FATAL(rc, RTCPM_SOCK_OK);
    enum rtcpm_sock_type type = opt->transport ? opt->transport : RTCPM_SOCK_UDP;
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&f->client, type, &lo, NULL), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_local_addr(f->client, &f->local), RTCPM_SOCK_OK);
    f->ok = 1;
}

static void teardown(struct fixture *f)
{
    fake_stun_stop(&f->srv);
    rtcpm_socket_close(f->client);
    f->client = NULL;
}

static void check_status(const rtcpm_stun_result *res, int want, const char *file, unsigned line)
{
    char text[256], msg[512];
    snprintf(msg, sizeof msg, "status %s, want %s (%s)", rtcpm_stun_status_name(res->status),
             rtcpm_stun_status_name(want), rtcpm_stun_describe(res, text, sizeof text));
    if (res->status != want) printf("\n  %s:%u: %s\n", file, line, msg);
    CU_assertImplementation(res->status == want, line, msg, file, "", CU_FALSE);
}
#define ASSERT_STATUS(res, want) check_status((res), (want), __FILE__, __LINE__)

static void check_elapsed(uint64_t got, uint64_t lo, uint64_t hi, const char *file, unsigned line)
{
    char msg[128];
    snprintf(msg, sizeof msg, "elapsed %llu ms within [%llu, %llu]", (unsigned long long)got, (unsigned long long)lo,
             (unsigned long long)hi);
    if (got < lo || got > hi) printf("\n  %s:%u: %s\n", file, line, msg);
    CU_assertImplementation(got >= lo && got <= hi, line, msg, file, "", CU_FALSE);
}
#define ASSERT_ELAPSED(got, lo, hi) check_elapsed((got), (lo), (hi), __FILE__, __LINE__)
/* got is ms: not earlier (1 ms margin for rounding), at most SLACK_MS later. */
#define ASSERT_ELAPSED_AT(got, ms)  ASSERT_ELAPSED((got), (ms) ? (ms)-1 : 0, (ms) + SLACK_MS)

/* Runs one transaction against a server in mode opt; the server is stopped on return,
 * so its counters are final. */
static void run_case(struct fixture *f, const char *host, const struct fake_stun_options *opt,
                     const rtcpm_stun_config *cfg, rtcpm_stun_result *res)
{
    setup(f, host, opt);
    f->start_us = rtcpm_clock_us();
    rtcpm_stun_binding(f->client, &f->srv.addr, cfg, res);
    teardown(f);
}

/* When request i reached the server, in ms after the transaction started. The client
 * never sends early, so this is >= the scheduled offset; arrival jitter only adds (the
 * gap between two arrivals can shrink, which is why gaps are not asserted). */
static uint64_t arrival_ms(const struct fixture *f, unsigned i) { return (f->srv.request_us[i] - f->start_us) / 1000; }

/* The success everyone should see on loopback: reflexive == local (no NAT). */
static void assert_mapped_local(const struct fixture *f, const rtcpm_stun_result *res, uint16_t attr)
{
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE] = "", b[RTCPM_ADDR_HOSTPORT_TEXT_SIZE] = "";
    CU_ASSERT_TRUE(rtcpm_addr_equal(&res->mapped, &f->local));
    if (!rtcpm_addr_equal(&res->mapped, &f->local))
    {
        rtcpm_addr_format_hostport(&res->mapped, a, sizeof a);
        rtcpm_addr_format_hostport(&f->local, b, sizeof b);
        printf("\n  mapped %s, local %s\n", a, b);
    }
    CU_ASSERT_TRUE(rtcpm_addr_equal(&res->local, &f->local));
    CU_ASSERT_EQUAL(res->mapped_from, attr);
}

/* run_case, then the status it must end with; want_attr not 0: a success that must be the
 * loopback mapping, read from that attribute. */
static void run_expect(struct fixture *f, const char *host, const struct fake_stun_options *opt,
                       const rtcpm_stun_config *cfg, rtcpm_stun_result *res, int want, uint16_t want_attr,
                       const char *file, unsigned line)
{
    run_case(f, host, opt, cfg, res);
    check_status(res, want, file, line);
    if (want_attr) assert_mapped_local(f, res, want_attr);
}
/* One transaction that must end with status want. */
#define RUN_EXPECT_STATUS(f, host, opt, cfg, res, want)                                                                \
    run_expect((f), (host), (opt), (cfg), (res), (want), 0, __FILE__, __LINE__)
/* One transaction that must succeed with the loopback mapping, read from attribute attr. */
#define RUN_EXPECT_MAPPED(f, host, opt, cfg, res, attr)                                                                \
    run_expect((f), (host), (opt), (cfg), (res), RTCPM_STUN_OK, (attr), __FILE__, __LINE__)

/* A server whose every answer is bad in the way of mode: each of counted_cfg's 4 requests
 * gets one, none is taken, and the transaction ends with want at counted_cfg's bound. */
static void run_every_answer_bad(struct fixture *f, const char *host, enum fake_stun_mode mode, int want,
                                 rtcpm_stun_result *res)
{
    struct fake_stun_options opt = { .mode = mode };
    rtcpm_stun_config cfg = counted_cfg();
    RUN_EXPECT_STATUS(f, host, &opt, &cfg, res, want);
    ASSERT_ELAPSED_AT(res->elapsed_ms, COUNTED_BOUND_MS);
}

/* The server's first answer is bad in the way of mode, the right one follows 30 ms later:
 * the right one is taken, before any retransmission (RTO 1 s; TCP has none). */
static void run_bad_then_right(struct fixture *f, enum fake_stun_mode mode, enum rtcpm_sock_type transport,
                               rtcpm_stun_result *res)
{
    struct fake_stun_options opt = { .mode = mode, .then_right = true, .delay_ms = 30, .transport = transport };
    rtcpm_stun_config cfg = short_cfg();
    cfg.rto_ms = 1000; /* no retransmission while the server pauses */
    RUN_EXPECT_MAPPED(f, "127.0.0.1", &opt, &cfg, res, STUN_ATTR_XOR_MAPPED_ADDRESS);
}

/* The server's one answer ends the transaction with want, not a success: one request (no
 * retransmission after an answer), no mapping, within 50 ms (+ slack). */
static void run_final_answer(struct fixture *f, const struct fake_stun_options *opt, int want, rtcpm_stun_result *res)
{
    rtcpm_stun_config cfg = one_shot_cfg();
    RUN_EXPECT_STATUS(f, "127.0.0.1", opt, &cfg, res, want);
    CU_ASSERT_EQUAL(res->requests_sent, 1);
    CU_ASSERT_EQUAL(res->mapped.family, RTCPM_AF_NONE);
    ASSERT_ELAPSED(res->elapsed_ms, 0, 50 + SLACK_MS);
}

/* Two transactions in a row from one client socket to one server in mode opt (stopped on
 * return, so its counters are final); both must succeed. */
static void run_two_ok(struct fixture *f, const struct fake_stun_options *opt, const rtcpm_stun_config *cfg,
                       rtcpm_stun_result *r1, rtcpm_stun_result *r2)
{
    setup(f, "127.0.0.1", opt);
    rtcpm_stun_binding(f->client, &f->srv.addr, cfg, r1);
    rtcpm_stun_binding(f->client, &f->srv.addr, cfg, r2);
    teardown(f);
    ASSERT_STATUS(r1, RTCPM_STUN_OK);
    ASSERT_STATUS(r2, RTCPM_STUN_OK);
}

/* test_<fn>_v4 and test_<fn>_v6: fn on 127.0.0.1, and on ::1 (the "ipv6" part: skipped, and
 * counted so, where ::1 is missing). */
#define ON_V4_AND_V6(fn)                                                                                               \
    static void test_##fn##_v4(void) { fn("127.0.0.1"); }                                                              \
    static void test_##fn##_v6(void)                                                                                   \
    {                                                                                                                  \
        if (test_need_ipv6()) fn("::1");                                                                               \
    }

/* ---- configuration ---- */

static void test_config_defaults_and_bounds(void)
{
    rtcpm_stun_config cfg;
    rtcpm_stun_config_init(&cfg);
    CU_ASSERT_EQUAL(cfg.rto_ms, 500);
    CU_ASSERT_EQUAL(cfg.max_requests, 7);
    CU_ASSERT_EQUAL(cfg.final_wait_rto, 16);
    CU_ASSERT_EQUAL(cfg.tcp_timeout_ms, 39500);
    CU_ASSERT_EQUAL(cfg.deadline_ms, 0);
    CU_ASSERT_FALSE(cfg.classic);
    /* RFC 5389 7.2.1: the transaction fails at 39500 ms with the defaults */
    CU_ASSERT_EQUAL(rtcpm_stun_config_bound_ms(&cfg, RTCPM_SOCK_UDP), 39500);
    CU_ASSERT_EQUAL(rtcpm_stun_config_bound_ms(NULL, RTCPM_SOCK_TCP), 39500);
    cfg = short_cfg();
    CU_ASSERT_EQUAL(rtcpm_stun_config_bound_ms(&cfg, RTCPM_SOCK_UDP), SHORT_BOUND_MS);
    cfg.deadline_ms = 120;
    CU_ASSERT_EQUAL(rtcpm_stun_config_bound_ms(&cfg, RTCPM_SOCK_UDP), 120);
    CU_ASSERT_EQUAL(rtcpm_stun_config_bound_ms(&cfg, RTCPM_SOCK_TCP), 120);
}

static void test_invalid_args(void)
{
    rtcpm_socket *s = NULL;
    rtcpm_addr lo = test_addr("127.0.0.1", 0), v6 = test_addr("::1", 3478);
    rtcpm_addr no_port = test_addr("127.0.0.1", 0);
    rtcpm_stun_result res;
    rtcpm_stun_config cfg = short_cfg();
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &lo, NULL), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL(rtcpm_stun_binding(s, &v6, &cfg, &res), RTCPM_STUN_E_INVALID_ARG);
    CU_ASSERT_EQUAL(res.status, RTCPM_STUN_E_INVALID_ARG);
    CU_ASSERT_EQUAL(res.requests_sent, 0);
    CU_ASSERT_EQUAL(rtcpm_stun_binding(s, &no_port, &cfg, &res), RTCPM_STUN_E_INVALID_ARG);
    CU_ASSERT_EQUAL(rtcpm_stun_binding(NULL, &v6, &cfg, &res), RTCPM_STUN_E_INVALID_ARG);
    CU_ASSERT_EQUAL(rtcpm_stun_binding(s, NULL, &cfg, &res), RTCPM_STUN_E_INVALID_ARG);
    cfg.rto_ms = 0;
    lo.port = 9;
    CU_ASSERT_EQUAL(rtcpm_stun_binding(s, &lo, &cfg, &res), RTCPM_STUN_E_INVALID_ARG);
    cfg = short_cfg();
    cfg.max_requests = 0;
    CU_ASSERT_EQUAL(rtcpm_stun_binding(s, &lo, &cfg, &res), RTCPM_STUN_E_INVALID_ARG);
    /* list: no server of the socket's family */
    CU_ASSERT_EQUAL(rtcpm_stun_binding_list(s, &v6, 1, NULL, 0, &res), RTCPM_STUN_E_INVALID_ARG);
    rtcpm_socket_close(s);
}

static void test_parse_servers(void)
{
    rtcpm_addr out[3];
    CU_ASSERT_EQUAL(rtcpm_stun_parse_servers("127.0.0.1", out, 3), 1);
    CU_ASSERT_EQUAL(out[0].port, 3478);
    CU_ASSERT_EQUAL(rtcpm_stun_parse_servers(" 192.0.2.1:19302 , [2001:db8::1]:3479,::1", out, 3), 3);
    CU_ASSERT_EQUAL(out[0].family, RTCPM_AF_INET);
    CU_ASSERT_EQUAL(out[0].port, 19302);
    CU_ASSERT_EQUAL(out[1].family, RTCPM_AF_INET6);
    CU_ASSERT_EQUAL(out[1].port, 3479);
    CU_ASSERT_EQUAL(out[2].port, 3478);
    CU_ASSERT_EQUAL(rtcpm_stun_parse_servers("1.2.3.4,,5.6.7.8", out, 3), -1);
    CU_ASSERT_EQUAL(rtcpm_stun_parse_servers("1.2.3.4,", out, 3), -1);
    CU_ASSERT_EQUAL(rtcpm_stun_parse_servers("stun.example.org", out, 3), -1);
    CU_ASSERT_EQUAL(rtcpm_stun_parse_servers("1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4", out, 3), -1);
    CU_ASSERT_EQUAL(rtcpm_stun_parse_servers("", out, 3), -1);
}

/* ---- UDP, IPv4 and IPv6 ---- */

static void normal(const char *host)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_NORMAL };
    rtcpm_stun_config cfg = one_shot_cfg();
    rtcpm_stun_result res;
    RUN_EXPECT_MAPPED(&f, host, &opt, &cfg, &res, STUN_ATTR_XOR_MAPPED_ADDRESS);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&res.server, &f.srv.addr));
    CU_ASSERT_EQUAL(res.requests_sent, 1);
    CU_ASSERT_EQUAL(f.srv.requests, 1);
    CU_ASSERT_EQUAL(res.ignored, 0);
    CU_ASSERT_EQUAL(f.srv.request_txid[0].len, 12);
    CU_ASSERT_FALSE(f.srv.request_fingerprint[0]);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&f.srv.last_client, &f.local));
    CU_ASSERT_TRUE(res.rtt_us < SLACK_MS * 1000u);
    ASSERT_ELAPSED_AT(res.elapsed_ms, 0);
}
ON_V4_AND_V6(normal)

/* Two transactions: fresh random IDs each time; FINGERPRINT and SOFTWARE when asked. */
static void test_txid_fresh_and_fingerprint(void)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_NORMAL };
    rtcpm_stun_config cfg = one_shot_cfg();
    rtcpm_stun_result r1, r2;
    cfg.fingerprint = true;
    cfg.software = "rtcpm test";
    run_two_ok(&f, &opt, &cfg, &r1, &r2);
    CU_ASSERT_EQUAL_FATAL(f.srv.requests, 2);
    CU_ASSERT_FALSE(rtcpm_stun_txid_equal(&f.srv.request_txid[0], &f.srv.request_txid[1]));
    CU_ASSERT_TRUE(f.srv.request_fingerprint[0]);
    CU_ASSERT_TRUE(f.srv.request_fingerprint[1]);
}

/* The server ignores the first two requests: the client retransmits after RTO, then 2*RTO;
 * all three requests carry the same transaction ID. */
static void drop_first(const char *host)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_DROP_FIRST, .count = 2 };
    rtcpm_stun_config cfg = short_cfg();
    cfg.rto_ms = 100; /* requests at 0, 100, 300; the 4th would be at 700 */
    rtcpm_stun_result res;
    RUN_EXPECT_MAPPED(&f, host, &opt, &cfg, &res, STUN_ATTR_XOR_MAPPED_ADDRESS);
    CU_ASSERT_EQUAL(res.requests_sent, 3);
    CU_ASSERT_EQUAL_FATAL(f.srv.requests, 3);
    CU_ASSERT_TRUE(rtcpm_stun_txid_equal(&f.srv.request_txid[0], &f.srv.request_txid[1]));
    CU_ASSERT_TRUE(rtcpm_stun_txid_equal(&f.srv.request_txid[0], &f.srv.request_txid[2]));
    /* scheduled at 0, RTO = 100 and RTO + 2 RTO = 300 ms */
    ASSERT_ELAPSED_AT(arrival_ms(&f, 0), 0);
    ASSERT_ELAPSED_AT(arrival_ms(&f, 1), 100);
    ASSERT_ELAPSED_AT(arrival_ms(&f, 2), 300);
    ASSERT_ELAPSED_AT(res.elapsed_ms, 300);
}
ON_V4_AND_V6(drop_first)

/* No answer at all: exactly Rc requests on the RFC 5389 schedule, failure at the bound. */
static void test_silent_timeout_schedule(void)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_SILENT };
    rtcpm_stun_config cfg = short_cfg();
    rtcpm_stun_result res;
    RUN_EXPECT_STATUS(&f, "127.0.0.1", &opt, &cfg, &res, RTCPM_STUN_E_TIMEOUT);
    CU_ASSERT_EQUAL(res.requests_sent, 4);
    CU_ASSERT_EQUAL_FATAL(f.srv.requests, 4);
    static const uint64_t want_at[4] = { 0, 50, 150, 350 };
    for (unsigned i = 0; i < 4; i++) ASSERT_ELAPSED_AT(arrival_ms(&f, i), want_at[i]);
    CU_ASSERT_EQUAL(res.mapped.family, RTCPM_AF_NONE);
    CU_ASSERT_EQUAL(res.mapped_from, 0);
    ASSERT_ELAPSED_AT(res.elapsed_ms, SHORT_BOUND_MS);
}

/* deadline_ms cuts the schedule short: requests at 0 and 50 only, failure at 120. */
static void test_deadline_caps_schedule(void)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_SILENT };
    rtcpm_stun_config cfg = short_cfg();
    rtcpm_stun_result res;
    cfg.deadline_ms = 120;
    RUN_EXPECT_STATUS(&f, "127.0.0.1", &opt, &cfg, &res, RTCPM_STUN_E_TIMEOUT);
    CU_ASSERT_EQUAL(res.requests_sent, 2);
    CU_ASSERT_EQUAL(f.srv.requests, 2);
    ASSERT_ELAPSED_AT(res.elapsed_ms, 120);
}

/* 30 % loss with a fixed seed: the outcome of every transaction is predicted from the same
 * generator, so the number of requests the server sees is exact. */
static void test_loss_seeded(void)
{
    enum
    {
        TRANSACTIONS = 12,
        SEED = 20240601u,
        LOSS = 30
    };
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_LOSS, .loss_percent = LOSS, .seed = SEED };
    rtcpm_stun_config cfg = short_cfg();
    cfg.rto_ms = 200; /* far above loopback RTT even on a loaded machine: no spurious
                         retransmission may shift the server's draws */
    cfg.max_requests = 7;
    cfg.final_wait_rto = 4;

    uint32_t rng = SEED;
    unsigned want_requests[TRANSACTIONS], want_total = 0, want_ok = 0, drops = 0;
    for (int t = 0; t < TRANSACTIONS; t++)
    {
        unsigned k = 0;
        int kept = 0;
        while (k < cfg.max_requests && !kept)
        {
            kept = fake_stun_rng(&rng) % 100 >= LOSS;
            k++;
            drops += !kept;
        }
        want_requests[t] = k;
        want_total += k;
        want_ok += kept;
    }
    CU_ASSERT_TRUE_FATAL(drops >= 2); /* the seed must actually lose something */

    setup(&f, "127.0.0.1", &opt);
    unsigned ok = 0;
    for (int t = 0; t < TRANSACTIONS; t++)
    {
        rtcpm_stun_result res;
        rtcpm_stun_binding(f.client, &f.srv.addr, &cfg, &res);
        ok += res.status == RTCPM_STUN_OK;
        CU_ASSERT_EQUAL(res.requests_sent, want_requests[t]);
        if (res.status == RTCPM_STUN_OK) assert_mapped_local(&f, &res, STUN_ATTR_XOR_MAPPED_ADDRESS);
        ASSERT_ELAPSED(res.elapsed_ms, 0, rtcpm_stun_config_bound_ms(&cfg, RTCPM_SOCK_UDP) + SLACK_MS);
    }
    teardown(&f);
    CU_ASSERT_EQUAL(ok, want_ok);
    CU_ASSERT_EQUAL(f.srv.requests, want_total);
}

/* Three copies of each answer: the first one wins; the stale copies are still queued
 * when the next transaction starts and must be ignored (old transaction ID). */
static void test_duplicate_answers(void)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_DUPLICATE, .count = 3 };
    rtcpm_stun_config cfg = one_shot_cfg();
    rtcpm_stun_result r1, r2;
    run_two_ok(&f, &opt, &cfg, &r1, &r2);
    assert_mapped_local(&f, &r2, STUN_ATTR_XOR_MAPPED_ADDRESS);
    CU_ASSERT_EQUAL(r1.ignored, 0);
    CU_ASSERT_EQUAL(r2.ignored, 2);
    CU_ASSERT_EQUAL(r2.requests_sent, 1);
    CU_ASSERT_EQUAL(f.srv.requests, 2);
    CU_ASSERT_EQUAL(f.srv.answers, 6);
}

/* The answer comes 200 ms late, inside the 550 ms bound: accepted (after retransmissions
 * at 50 and 150 ms, which the server does not answer). */
static void test_delay_within_deadline(void)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_DELAY, .delay_ms = 200 };
    rtcpm_stun_config cfg = short_cfg();
    rtcpm_stun_result res;
    RUN_EXPECT_MAPPED(&f, "127.0.0.1", &opt, &cfg, &res, STUN_ATTR_XOR_MAPPED_ADDRESS);
    CU_ASSERT_TRUE(res.requests_sent >= 3 && res.requests_sent <= 4);
    CU_ASSERT_EQUAL(f.srv.answers, 1);
    ASSERT_ELAPSED_AT(res.elapsed_ms, 200);
}

/* The answer would come at 800 ms, after the 550 ms bound: timeout at the bound. */
static void test_delay_beyond_deadline(void)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_DELAY, .delay_ms = 800 };
    rtcpm_stun_config cfg = short_cfg();
    rtcpm_stun_result res;
    setup(&f, "127.0.0.1", &opt);
    rtcpm_stun_binding(f.client, &f.srv.addr, &cfg, &res);
    test_sleep_ms(400); /* let the late answer arrive before the server stops */
    teardown(&f);
    ASSERT_STATUS(&res, RTCPM_STUN_E_TIMEOUT);
    CU_ASSERT_EQUAL(res.requests_sent, 4);
    CU_ASSERT_EQUAL(f.srv.answers, 1);
    ASSERT_ELAPSED_AT(res.elapsed_ms, SHORT_BOUND_MS);
}

/* Every answer carries another transaction ID: all ignored, timeout. */
static void test_wrong_txid_ignored(void)
{
    struct fixture f;
    rtcpm_stun_result res;
    run_every_answer_bad(&f, "127.0.0.1", FAKE_STUN_WRONG_TXID, RTCPM_STUN_E_TIMEOUT, &res);
    CU_ASSERT_EQUAL(res.requests_sent, 4);
    CU_ASSERT_EQUAL(f.srv.answers, 4);
    CU_ASSERT_EQUAL(res.ignored, 4);
    CU_ASSERT_EQUAL(res.discarded, 0);
}

/* A wrong-ID answer, then 30 ms later the right one (before any retransmission). */
static void test_wrong_txid_then_right(void)
{
    struct fixture f;
    rtcpm_stun_result res;
    run_bad_then_right(&f, FAKE_STUN_WRONG_TXID, RTCPM_SOCK_UDP, &res);
    CU_ASSERT_EQUAL(res.ignored, 1);
    CU_ASSERT_EQUAL(res.requests_sent, 1);
    ASSERT_ELAPSED_AT(res.elapsed_ms, 30);
}

/* Every byte of the transaction ID counts, and the magic cookie: an answer that differs from
 * the request in any one of the header's bytes 4..19 is ignored, the right one that follows
 * 30 ms later is taken. RFC 5389 requests (cookie + 96-bit ID) and RFC 3489 ones (128-bit ID). */
static void wrong_byte_then_right(bool classic)
{
    unsigned at;
    for (at = 4; at < 20; at++)
    {
        struct fixture f;
        struct fake_stun_options opt = {
            .mode = FAKE_STUN_WRONG_TXID, .then_right = true, .delay_ms = 30, .wrong_header_byte = at
        };
        rtcpm_stun_config cfg = short_cfg();
        rtcpm_stun_result res;
        cfg.rto_ms = 1000; /* no retransmission while the server pauses */
        cfg.classic = classic;
        RUN_EXPECT_MAPPED(&f, "127.0.0.1", &opt, &cfg, &res,
                          classic ? STUN_ATTR_MAPPED_ADDRESS : STUN_ATTR_XOR_MAPPED_ADDRESS);
        if (res.ignored != 1)
            printf("\n  %s request, header byte %u changed: %u answer(s) ignored, want 1\n",
                   classic ? "RFC 3489" : "RFC 5389", at, res.ignored);
        CU_ASSERT_EQUAL(res.ignored, 1);
        CU_ASSERT_EQUAL(res.requests_sent, 1);
        CU_ASSERT_EQUAL(f.srv.answers, 2);
        CU_ASSERT_EQUAL(f.srv.request_txid[0].len, classic ? 16 : 12);
    }
}

static void test_wrong_txid_every_byte(void) { wrong_byte_then_right(false); }
static void test_wrong_txid_every_byte_classic(void) { wrong_byte_then_right(true); }

/* Answers from another port of the server's host: ignored (only the exact server
 * address and port count). */
static void other_source(const char *host)
{
    struct fixture f;
    rtcpm_stun_result res;
    run_every_answer_bad(&f, host, FAKE_STUN_OTHER_SOURCE, RTCPM_STUN_E_TIMEOUT, &res);
    CU_ASSERT_EQUAL(f.srv.answers, 4);
    CU_ASSERT_EQUAL(res.ignored, 4);
    CU_ASSERT_FALSE(rtcpm_addr_equal(&f.srv.other_addr, &f.srv.addr));
}
ON_V4_AND_V6(other_source)

static void test_other_source_then_right(void)
{
    struct fixture f;
    rtcpm_stun_result res;
    run_bad_then_right(&f, FAKE_STUN_OTHER_SOURCE, RTCPM_SOCK_UDP, &res);
    CU_ASSERT_EQUAL(res.ignored, 1);
    CU_ASSERT_EQUAL(f.srv.answers, 2);
}

/* Malformed answers with our ID from the server: discarded silently, so a later good one
 * still wins; with nothing better, the failure says why. */
static void malformed(enum fake_stun_mode mode, int want_codec_error)
{
    struct fixture f;
    rtcpm_stun_result res;
    run_every_answer_bad(&f, "127.0.0.1", mode, RTCPM_STUN_E_MALFORMED, &res);
    CU_ASSERT_EQUAL(res.codec_error, want_codec_error);
    CU_ASSERT_EQUAL(res.discarded, 4);
    CU_ASSERT_EQUAL(res.mapped.family, RTCPM_AF_NONE);

    run_bad_then_right(&f, mode, RTCPM_SOCK_UDP, &res);
    CU_ASSERT_EQUAL(res.discarded, 1);
    CU_ASSERT_EQUAL(res.codec_error, want_codec_error);
}
static void test_truncated_attribute(void) { malformed(FAKE_STUN_TRUNCATED_ATTR, STUN_E_ATTR_OVERRUN); }
static void test_oversized_attribute(void) { malformed(FAKE_STUN_OVERSIZED_ATTR, STUN_E_ADDRESS_LENGTH); }

static void test_no_mapped_address(void)
{
    struct fixture f;
    rtcpm_stun_result res;
    run_every_answer_bad(&f, "127.0.0.1", FAKE_STUN_NO_ADDRESS, RTCPM_STUN_E_NO_MAPPED_ADDRESS, &res);
    CU_ASSERT_EQUAL(res.discarded, 4);
    CU_ASSERT_EQUAL(res.codec_error, 0);
}

/* An RFC 3489 server answers our RFC 5389 request with MAPPED-ADDRESS only. */
static void rfc3489_answer(const char *host)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_RFC3489 };
    rtcpm_stun_config cfg = one_shot_cfg();
    rtcpm_stun_result res;
    RUN_EXPECT_MAPPED(&f, host, &opt, &cfg, &res, STUN_ATTR_MAPPED_ADDRESS);
    CU_ASSERT_EQUAL(res.requests_sent, 1);
}
ON_V4_AND_V6(rfc3489_answer)

/* config.classic: a true RFC 3489 request (128-bit ID, no cookie); the answer echoes the
 * 128-bit ID and carries MAPPED-ADDRESS. */
static void test_classic_request(void)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_NORMAL };
    rtcpm_stun_config cfg = one_shot_cfg();
    rtcpm_stun_result res;
    cfg.classic = true;
    RUN_EXPECT_MAPPED(&f, "127.0.0.1", &opt, &cfg, &res, STUN_ATTR_MAPPED_ADDRESS);
    CU_ASSERT_EQUAL(f.srv.requests, 1);
    CU_ASSERT_EQUAL(f.srv.request_txid[0].len, 16);
}

static void error_response(int code, const char *reason)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_ERROR, .error_code = code };
    rtcpm_stun_result res;
    run_final_answer(&f, &opt, RTCPM_STUN_E_ERROR_RESPONSE, &res);
    CU_ASSERT_EQUAL(res.error_code, code);
    CU_ASSERT_STRING_EQUAL(res.error_reason, reason);
}
static void test_error_400(void) { error_response(400, "Bad Request"); }
static void test_error_500(void) { error_response(500, "Server Error"); }

static void test_unknown_required_attribute(void)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_UNKNOWN_REQUIRED };
    rtcpm_stun_result res;
    run_final_answer(&f, &opt, RTCPM_STUN_E_UNKNOWN_ATTRIBUTES, &res);
    CU_ASSERT_EQUAL(res.unknown_count, 1);
    CU_ASSERT_EQUAL(res.unknown_attributes[0], FAKE_STUN_UNKNOWN_ATTR);
}

/* ---- server list ---- */

/* A silent server, an IPv6 one (skipped on an IPv4 socket), then a good one. */
static void test_list_fallback(void)
{
    struct fake_stun_server silent, good;
    struct fake_stun_options o_silent = { .mode = FAKE_STUN_SILENT }, o_good = { .mode = FAKE_STUN_NORMAL };
    rtcpm_addr lo = test_addr("127.0.0.1", 0), local;
    rtcpm_socket *s = NULL;
    rtcpm_stun_config cfg = short_cfg();
    cfg.rto_ms = 200; /* silent: requests at 0, 200, 600, 1400, fails at 2200 */
    rtcpm_stun_result res;
    CU_ASSERT_EQUAL_FATAL(fake_stun_start(&silent, &lo, &o_silent, NULL), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL_FATAL(fake_stun_start(&good, &lo, &o_good, NULL), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &lo, NULL), RTCPM_SOCK_OK);
    rtcpm_socket_local_addr(s, &local);
    rtcpm_addr list[3] = { silent.addr, test_addr("::1", 3478), good.addr };

    rtcpm_stun_binding_list(s, list, 3, &cfg, 0, &res);
    fake_stun_stop(&silent);
    fake_stun_stop(&good);
    rtcpm_socket_close(s);
    ASSERT_STATUS(&res, RTCPM_STUN_OK);
    CU_ASSERT_EQUAL(res.server_index, 2);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&res.server, &good.addr));
    CU_ASSERT_TRUE(rtcpm_addr_equal(&res.mapped, &local));
    CU_ASSERT_EQUAL(silent.requests, 4);
    CU_ASSERT_EQUAL(good.requests, 1);
    CU_ASSERT_EQUAL(res.requests_sent, silent.requests + good.requests);
    ASSERT_ELAPSED_AT(res.elapsed_ms, 2200);
}

/* Error from the first server, too: next one. And the total deadline caps the list. */
static void test_list_error_then_total_deadline(void)
{
    struct fake_stun_server err, silent1, silent2;
    struct fake_stun_options o_err = { .mode = FAKE_STUN_ERROR, .error_code = 500 };
    struct fake_stun_options o_silent = { .mode = FAKE_STUN_SILENT };
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    rtcpm_socket *s = NULL;
    rtcpm_stun_config cfg = short_cfg();
    rtcpm_stun_result res;
    CU_ASSERT_EQUAL_FATAL(fake_stun_start(&err, &lo, &o_err, NULL), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL_FATAL(fake_stun_start(&silent1, &lo, &o_silent, NULL), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL_FATAL(fake_stun_start(&silent2, &lo, &o_silent, NULL), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &lo, NULL), RTCPM_SOCK_OK);
    rtcpm_addr list[3] = { err.addr, silent1.addr, silent2.addr };

    /* 700 ms in all: the error answer (~0 ms), silent1 to its 550 ms bound, silent2 the
     * remaining ~150 ms (requests at 0, 50) */
    rtcpm_stun_binding_list(s, list, 3, &cfg, 700, &res);
    fake_stun_stop(&err);
    fake_stun_stop(&silent1);
    fake_stun_stop(&silent2);
    rtcpm_socket_close(s);
    ASSERT_STATUS(&res, RTCPM_STUN_E_TIMEOUT);
    CU_ASSERT_TRUE(err.requests >= 1 && err.requests <= 2); /* answered at once */
    CU_ASSERT_EQUAL(silent1.requests, 4);
    CU_ASSERT_TRUE(silent2.requests >= 1 && silent2.requests <= 3);
    CU_ASSERT_EQUAL(res.server_index, 2);
    ASSERT_ELAPSED_AT(res.elapsed_ms, 700);
}

/* ---- TCP ---- */

static void tcp_normal(const char *host)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_NORMAL, .transport = RTCPM_SOCK_TCP };
    rtcpm_stun_config cfg = short_cfg();
    rtcpm_stun_result res;
    RUN_EXPECT_MAPPED(&f, host, &opt, &cfg, &res, STUN_ATTR_XOR_MAPPED_ADDRESS);
    CU_ASSERT_EQUAL(res.requests_sent, 1);
    CU_ASSERT_EQUAL(f.srv.connections, 1);
    CU_ASSERT_EQUAL(f.srv.requests, 1);
    ASSERT_ELAPSED_AT(res.elapsed_ms, 0);
}
ON_V4_AND_V6(tcp_normal)

/* Two framed messages on the stream: a wrong-ID answer, then the right one. */
static void test_tcp_wrong_txid_then_right(void)
{
    struct fixture f;
    rtcpm_stun_result res;
    run_bad_then_right(&f, FAKE_STUN_WRONG_TXID, RTCPM_SOCK_TCP, &res);
    CU_ASSERT_EQUAL(res.ignored, 1);
}

static void test_tcp_error_response(void)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_ERROR, .error_code = 400, .transport = RTCPM_SOCK_TCP };
    rtcpm_stun_config cfg = short_cfg();
    rtcpm_stun_result res;
    RUN_EXPECT_STATUS(&f, "127.0.0.1", &opt, &cfg, &res, RTCPM_STUN_E_ERROR_RESPONSE);
    CU_ASSERT_EQUAL(res.error_code, 400);
}

/* Ti: the server accepts but never answers -> timeout at tcp_timeout_ms (500). */
static void test_tcp_timeout(void)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_SILENT, .transport = RTCPM_SOCK_TCP };
    rtcpm_stun_config cfg = short_cfg();
    rtcpm_stun_result res;
    RUN_EXPECT_STATUS(&f, "127.0.0.1", &opt, &cfg, &res, RTCPM_STUN_E_TIMEOUT);
    CU_ASSERT_EQUAL(f.srv.requests, 1);
    ASSERT_ELAPSED_AT(res.elapsed_ms, 500);
}

static void test_tcp_closed_and_refused(void)
{
    struct fixture f;
    struct fake_stun_options opt = { .mode = FAKE_STUN_CLOSE, .transport = RTCPM_SOCK_TCP };
    rtcpm_stun_config cfg = short_cfg();
    rtcpm_stun_result res;
    RUN_EXPECT_STATUS(&f, "127.0.0.1", &opt, &cfg, &res, RTCPM_STUN_E_SOCKET);
    CU_ASSERT_EQUAL(res.sock_error, RTCPM_SOCK_E_CLOSED);
    CU_ASSERT_EQUAL(f.srv.requests, 1);

    /* nobody listens on the server's old port now */
    rtcpm_socket *s = NULL;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&s, RTCPM_SOCK_TCP, &lo, NULL), RTCPM_SOCK_OK);
    rtcpm_stun_binding(s, &f.srv.addr, &cfg, &res);
    rtcpm_socket_close(s);
    ASSERT_STATUS(&res, RTCPM_STUN_E_SOCKET);
    CU_ASSERT_EQUAL(res.sock_error, RTCPM_SOCK_E_REFUSED);
    CU_ASSERT_NOT_EQUAL(res.os_error, 0);
}

static CU_TestInfo tests[] = {
    { "config_defaults_and_bounds", test_config_defaults_and_bounds },
    { "invalid_args", test_invalid_args },
    { "parse_servers", test_parse_servers },
    { "normal_v4", test_normal_v4 },
    { "ipv6:normal_v6", test_normal_v6 },
    { "txid_fresh_and_fingerprint", test_txid_fresh_and_fingerprint },
    { "drop_first_v4", test_drop_first_v4 },
    { "ipv6:drop_first_v6", test_drop_first_v6 },
    { "silent_timeout_schedule", test_silent_timeout_schedule },
    { "deadline_caps_schedule", test_deadline_caps_schedule },
    { "loss_seeded", test_loss_seeded },
    { "duplicate_answers", test_duplicate_answers },
    { "delay_within_deadline", test_delay_within_deadline },
    { "delay_beyond_deadline", test_delay_beyond_deadline },
    { "wrong_txid_ignored", test_wrong_txid_ignored },
    { "wrong_txid_then_right", test_wrong_txid_then_right },
    { "wrong_txid_every_byte", test_wrong_txid_every_byte },
    { "wrong_txid_every_byte_classic", test_wrong_txid_every_byte_classic },
    { "other_source_v4", test_other_source_v4 },
    { "ipv6:other_source_v6", test_other_source_v6 },
    { "other_source_then_right", test_other_source_then_right },
    { "truncated_attribute", test_truncated_attribute },
    { "oversized_attribute", test_oversized_attribute },
    { "no_mapped_address", test_no_mapped_address },
    { "rfc3489_answer_v4", test_rfc3489_answer_v4 },
    { "ipv6:rfc3489_answer_v6", test_rfc3489_answer_v6 },
    { "classic_request", test_classic_request },
    { "error_400", test_error_400 },
    { "error_500", test_error_500 },
    { "unknown_required_attribute", test_unknown_required_attribute },
    { "list_fallback", test_list_fallback },
    { "list_error_then_total_deadline", test_list_error_then_total_deadline },
    { "tcp_normal_v4", test_tcp_normal_v4 },
    { "ipv6:tcp_normal_v6", test_tcp_normal_v6 },
    { "tcp_wrong_txid_then_right", test_tcp_wrong_txid_then_right },
    { "tcp_error_response", test_tcp_error_response },
    { "tcp_timeout", test_tcp_timeout },
    { "tcp_closed_and_refused", test_tcp_closed_and_refused },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("stun_client", tests, argc, argv); }
