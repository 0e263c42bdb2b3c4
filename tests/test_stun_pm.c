/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_stun_pm.c — the STUN port manager as RTC sees it, against the in-process fake STUN
 * server on loopback: the external side equals what the server saw (or what its emulated
 * NAT reports), ranges and RTP/RTCP pairing, server down within the budget, fallback to
 * the second server, loss, wrong transaction IDs and other sources, symmetric NAT by two
 * servers and by OTHER-ADDRESS, warm-up and cache hits counted by the server, release and
 * double release, QI/identity/refcounts, TCP policies, config errors, threads.
 *
 * Timing assertions are loose (a bound plus SLACK_MS): a loaded machine running Wine or
 * valgrind is slow. Where a time tells two paths apart, the server's counters decide: its
 * transaction count (distinct IDs) for "asked again or not", which a retransmission on a slow
 * machine does not change; its request count only where retransmissions are the point.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "recording_pm.h"
#include "port_manager_checks.h"
#include "test_thread.h"
#include "fake_stun_server.h"
#include "loopback.h"
#include "com/com.h"
#include "com/bstr_util.h"
#include "os/os_platform.h"
#include "os/socket.h"
#include "net/stun_client.h"

#define SLACK_MS 1000

static BSTR B(const char *s) { return rtcpm_bstr_from_cstr(s); }

static const char *hp(const rtcpm_addr *a)
{
    static char buf[4][RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    static int i;
    i = (i + 1) % 4;
    rtcpm_addr_format_hostport(a, buf[i], sizeof(buf[i]));
    return buf[i];
}

static void start(struct fake_stun_server *srv, const char *host, const struct fake_stun_options *opt)
{
    rtcpm_addr lo = test_addr(host, 0);
    CU_ASSERT_EQUAL_FATAL(fake_stun_start(srv, &lo, opt, NULL), RTCPM_SOCK_OK);
}

/* A port manager from INI text built printf-style; fails the test when it is rejected. */
static IRTCPortManager3 *pm_ini(const char *f, ...)
{
    char text[2048], err[300];
    IRTCPortManager3 *pm = NULL;
    va_list ap;
    HRESULT hr;
    va_start(ap, f);
    vsnprintf(text, sizeof(text), f, ap);
    va_end(ap);
    hr = rtcpm_stun_pm_create_from_string(text, "test.ini", &pm, err, sizeof(err));
    if (hr != S_OK) printf("\n    config rejected: %s\n%s\n", err, text);
    CU_ASSERT_EQUAL_FATAL(hr, S_OK);
    return pm;
}

/* The common quick settings: no warm-up, RTO 50 ms. */
#define QUICK "warm-up = off\nrto = 50\n"

/* Starts srv on 127.0.0.1 and makes a port manager with it as its one server: "[stun]",
 * "servers = <srv>", then the INI lines of f, printf-style. */
static IRTCPortManager3 *pm_with_server(struct fake_stun_server *srv, const struct fake_stun_options *o, const char *f,
                                        ...)
{
    char rest[1024];
    va_list ap;
    start(srv, "127.0.0.1", o);
    va_start(ap, f);
    vsnprintf(rest, sizeof(rest), f, ap);
    va_end(ap);
    return pm_ini("[stun]\nservers = %s\n%s", hp(&srv->addr), rest);
}

struct mapping
{
    HRESULT hr;
    char internal[RTCPM_ADDR_TEXT_SIZE], external[RTCPM_ADDR_TEXT_SIZE];
    LONG internal_port, external_port;
    uint64_t ms;
    const char *wrong; /* get_ex_collect: what was wrong with the outs, or NULL */
};

/* GetMappingEx with text arguments, without CUnit (worker threads call it, and CUnit is not
 * thread-safe): the outs are checked for NULL/0 on failure, copied to text and freed on
 * success; what was wrong with them is in m.wrong (NULL when nothing). */
static struct mapping get_ex_collect(IRTCPortManager3 *pm, const char *remote, LONG rport, LONG transport, int type)
{
    struct mapping m;
    BSTR r = remote ? B(remote) : NULL, ia = (BSTR)(void *)&m, ea = (BSTR)(void *)&m;
    uint64_t t0 = rtcpm_clock_ms();
    size_t len;
    memset(&m, 0, sizeof(m));
    m.internal_port = m.external_port = 77;
    m.hr = pm->lpVtbl->GetMappingEx(pm, r, rport, transport, (RTC_PORT_TYPE)type, &ia, &m.internal_port, &ea,
                                    &m.external_port);
    m.ms = rtcpm_clock_ms() - t0;
    SysFreeString(r);
    if (FAILED(m.hr))
    {
        if (ia || ea || m.internal_port || m.external_port) m.wrong = "a failed GetMappingEx left an out set";
        return m;
    }
    if (rtcpm_bstr_to_utf8(ia, m.internal, sizeof(m.internal), &len) != S_OK ||
        rtcpm_bstr_to_utf8(ea, m.external, sizeof(m.external), &len) != S_OK)
        m.wrong = "an address out is not a UTF-16 BSTR";
    SysFreeString(ia);
    SysFreeString(ea);
    return m;
}

/* The same on the main thread: what was wrong fails the test. */
static struct mapping get_ex(IRTCPortManager3 *pm, const char *remote, LONG rport, LONG transport, int type)
{
    struct mapping m = get_ex_collect(pm, remote, rport, transport, type);
    if (m.wrong) printf("\n    GetMappingEx: %s\n", m.wrong);
    CU_ASSERT_PTR_NULL(m.wrong);
    return m;
}

static struct mapping get_udp(IRTCPortManager3 *pm, int type) { return get_ex(pm, NULL, 0, RTCTR_UDP, type); }

static HRESULT release_ex(IRTCPortManager3 *pm, LONG transport, const struct mapping *m)
{
    BSTR a = B(m->internal), b = B(m->external);
    HRESULT hr = pm->lpVtbl->ReleaseMappingEx(pm, transport, a, m->internal_port, b, m->external_port);
    SysFreeString(a);
    SysFreeString(b);
    return hr;
}

static const char *last_error(IRTCPortManager3 *pm)
{
    static char buf[300];
    CU_ASSERT_EQUAL(rtcpm_stun_pm_last_error(pm, buf, sizeof(buf)), S_OK);
    return buf;
}

static struct rtcpm_stun_pm_stats stats(IRTCPortManager3 *pm)
{
    struct rtcpm_stun_pm_stats s;
    CU_ASSERT_EQUAL(rtcpm_stun_pm_get_stats(pm, &s), S_OK);
    return s;
}

static void release_pm(IRTCPortManager3 *pm) { CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0); }

static void stop_pm_and_server(IRTCPortManager3 *pm, struct fake_stun_server *srv)
{
    release_pm(pm);
    fake_stun_stop(srv);
}

/* Asserts the external side is what the server saw from the internal side. */
#define CHECK_SEEN(m, srv, want_external, want_external_port)                                                          \
    do {                                                                                                               \
        CU_ASSERT_EQUAL((m).hr, S_OK);                                                                                 \
        CU_ASSERT_STRING_EQUAL((m).external, want_external);                                                           \
        CU_ASSERT_EQUAL((m).external_port, (LONG)(want_external_port));                                                \
        CU_ASSERT_EQUAL(fake_stun_last_client(&(srv)).port, (uint16_t)(m).internal_port);                              \
    } while (0)

/* ---- object ---- */

static void test_qi_identity_refcount(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_NORMAL };
    IRTCPortManager3 *pm3;
    LONG live = rtcpm_live_objects();
    char servers[64];

    start(&srv, "127.0.0.1", &o);
    snprintf(servers, sizeof(servers), "%s", hp(&srv.addr));
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create(servers, NULL, NULL, 0), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create(NULL, &pm3, NULL, 0), E_POINTER);
    CU_ASSERT_PTR_NULL(pm3);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
    CU_ASSERT_EQUAL_FATAL(rtcpm_stun_pm_create(servers, &pm3, NULL, 0), S_OK);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live + 1);
    check_port_manager_identity_and_release(pm3);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
    fake_stun_stop(&srv);
}

static void test_foreign_object(void)
{
    IRTCPortManager *other;
    IRTCPortManager3 *st;
    struct rtcpm_stun_pm_stats s;
    char buf[16] = "x";

    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &other), S_OK);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_last_error((IRTCPortManager3 *)other, buf, sizeof(buf)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(buf, "");
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings((IRTCPortManager3 *)other), -1);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_format_mappings((IRTCPortManager3 *)other, NULL, 0), -1);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_describe_nat((IRTCPortManager3 *)other, NULL, 0), -1);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_wait_ready((IRTCPortManager3 *)other, 0), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_get_stats((IRTCPortManager3 *)other, &s), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_get_stats(NULL, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(NULL), -1);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(other), "");
    other->lpVtbl->Release(other);
    /* and a static port manager is not a STUN one */
    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&st), S_OK);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(st), -1);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(st), 0);
    st->lpVtbl->Release(st);
}

/* ---- config ---- */

static void expect_config_error(const char *text, const char *want)
{
    IRTCPortManager3 *pm = (IRTCPortManager3 *)(void *)&pm;
    char err[300];
    LONG live = rtcpm_live_objects();
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create_from_string(text, "t.ini", &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_PTR_NULL(pm);
    if (strcmp(err, want)) printf("\n    got  '%s'\n    want '%s'\n", err, want);
    CU_ASSERT_STRING_EQUAL(err, want);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
}

static void test_config_errors(void)
{
    IRTCPortManager3 *pm = NULL;
    struct rtcpm_stun_pm_config cfg;
    char err[300];

    CU_ASSERT_EQUAL(rtcpm_stun_pm_create("127.0.0.1:3478, 1.2.3", &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_PTR_NULL(pm);
    CU_ASSERT_STRING_EQUAL(err, "entry 2 '1.2.3' is not an IP address[:port] or a host name[:port] "
                                "(RTCPM_ADDR_E_SYNTAX)");
    /* a name is resolved when the object is made (tests/pm_dns, against a dnsmasq of its own);
     * one that cannot be a name is refused without asking anyone */
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create("bad..name", &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create("", &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "no STUN server given (expected host[:port][,host[:port]...])");
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create("127.0.0.1,,127.0.0.2", &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "entry 2 is empty");
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create("0.0.0.0:3478", &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "entry 1 '0.0.0.0:3478' is the unspecified address");
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create("127.0.0.1:0", &pm, err, sizeof(err)), E_INVALIDARG);

    rtcpm_stun_pm_config_init(&cfg);
    CU_ASSERT_EQUAL(cfg.timeout_ms, 3000);
    CU_ASSERT_EQUAL(cfg.cache_age_s, 20);
    CU_ASSERT_EQUAL(cfg.symmetric_check, 1);
    CU_ASSERT_EQUAL(cfg.warm_up, 1);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create_ex(&cfg, &pm, err, sizeof(err)), E_POINTER); /* no servers */
    cfg.servers = "127.0.0.1";
    cfg.timeout_ms = 0;
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create_ex(&cfg, &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "timeout 0 is outside 1..600000 ms");
    cfg.timeout_ms = 1000;
    cfg.server_timeout_ms = 2000;
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create_ex(&cfg, &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "server-timeout 2000 ms is longer than timeout 1000 ms");
    cfg.server_timeout_ms = 0;
    cfg.range_count = 1;
    cfg.ranges[0].port_type = RTCPT_AUDIO_RTP;
    cfg.ranges[0].first = 30001;
    cfg.ranges[0].last = 30002;
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create_ex(&cfg, &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "range 1: audio-rtp range 30001-30002 holds no even port followed by an odd one "
                                "(RTP even, RTCP = RTP + 1)");
    cfg.ranges[0].transports = 8;
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create_ex(&cfg, &pm, err, sizeof(err)), E_INVALIDARG);
    cfg.ranges[0].transports = 0;
    cfg.ranges[0].last = 30003;
    cfg.local_addresses = "127.0.0.1, 127.0.0.2";
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create_ex(&cfg, &pm, err, sizeof(err)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(err, "two local IPv4 addresses (at most one per family)");
    cfg.local_addresses = "127.0.0.1";
    cfg.warm_up = 0;
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create_ex(&cfg, &pm, err, sizeof(err)), S_OK);
    CU_ASSERT_STRING_EQUAL(err, "");
    release_pm(pm);

    /* INI: every error names the file and the line */
    expect_config_error("[stun]\nservers = 127.0.0.1\ntimeout = 3s\n",
                        "t.ini:3: timeout: '3s' is not a number in 1..600000 ms");
    expect_config_error("[stun]\n\nservers = 127.0.0.1, [::1:3478\n",
                        "t.ini:3: servers: entry 2 '[::1:3478' is not an IP address[:port] or a host name[:port] "
                        "(RTCPM_ADDR_E_BRACKET)");
    expect_config_error("[stun]\ntimeout = 100\n", "t.ini:1: [stun] has no 'servers' key");
    expect_config_error("[ports sip]\nrange = 5060\n",
                        "t.ini: no [stun] section (servers = host[:port],... is required)");
    expect_config_error("[stun]\nservers = 127.0.0.1\nserver-timeout = 5000\n",
                        "t.ini:3: server-timeout 5000 ms is longer than timeout 3000 ms");
    expect_config_error("[stun]\nservers = 127.0.0.1\nwarm-up = maybe\n", "t.ini:3: warm-up: 'maybe' is not on or off");
    expect_config_error("[stun]\nservers = 127.0.0.1\ntcp = tunnel\n",
                        "t.ini:3: tcp: 'tunnel' is not stun, preserve or off");
    expect_config_error("[stun]\nservers = 127.0.0.1\nservers = 127.0.0.2\n",
                        "t.ini:3: 'servers' given twice in [stun] (first at line 2)");
    expect_config_error("[stun]\nservers = 127.0.0.1\n[stun]\n",
                        "t.ini:3: second [stun] section (the first is at line 1)");
    expect_config_error("[stun]\nservers = 127.0.0.1\nport = 3478\n",
                        "t.ini:3: unknown key 'port' in [stun] (expected servers, local-address, timeout, "
                        "server-timeout, rto, retransmissions, classic, symmetric-check, symmetric-check-age, "
                        "cache-age, warm-up, refresh or tcp)");
    expect_config_error("[stun]\nservers = 127.0.0.1\n[ports voice]\n",
                        "t.ini:3: unknown port type 'voice' (expected sip, audio-rtp, audio-rtcp, video-rtp, "
                        "video-rtcp or any)");
    expect_config_error("[stun]\nservers = 127.0.0.1\n[ports sip]\ntransport = udp\n",
                        "t.ini:3: [ports sip] has no 'range' key");
    expect_config_error("[stun]\nservers = 127.0.0.1\n[ports audio-rtp]\ntransport = udp\nrange = 30001-30002\n",
                        "t.ini:5: audio-rtp range 30001-30002 holds no even port followed by an odd one (RTP even, "
                        "RTCP = RTP + 1)");
    expect_config_error("[stun]\nservers = 127.0.0.1\n[ports sip]\nrange = 5070-5060\n",
                        "t.ini:4: range 5070-5060 ends before it starts");
    expect_config_error("[stun]\nservers = 127.0.0.1\n[ports sip]\nrange = 0-10\n",
                        "t.ini:4: range: '0-10' is not a port (1..65535) or first-last");
    expect_config_error("[stun]\nservers = 127.0.0.1\n[ports sip]\nrange = 5060\ntransport = sctp\n",
                        "t.ini:5: unknown transport 'sctp' (expected udp, tcp or tls)");
    expect_config_error("[stun]\nservers = 127.0.0.1\nlocal-address = ::\n",
                        "t.ini:3: local address '::' is unspecified: give the host's own address");
    expect_config_error("[turn]\n", "t.ini:1: unknown section [turn] (expected [stun] or [ports <port type>])");

    CU_ASSERT_EQUAL(rtcpm_stun_pm_create_from_string(NULL, NULL, &pm, err, sizeof(err)), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create_from_file(NULL, &pm, err, sizeof(err)), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create_from_file("/nonexistent/stun.ini", &pm, err, sizeof(err)),
                    HRESULT_FROM_WIN32(2));
    CU_ASSERT_PTR_NULL(pm);
}

/* samples/stun.ini loads, and says what the README says it says. */
static void test_sample_config(void)
{
    struct rtcpm_stun_pm_config cfg;
    char storage[RTCPM_STUN_PM_CONFIG_STORAGE], err[300], *text;
    IRTCPortManager3 *pm = NULL;
    FILE *f = fopen(RTCPM_SAMPLES_DIR "/stun.ini", "rb");
    long len;

    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)len + 1);
    CU_ASSERT_EQUAL_FATAL(fread(text, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    CU_ASSERT_EQUAL(
        rtcpm_stun_pm_parse_config(text, (size_t)len, "stun.ini", &cfg, storage, sizeof(storage), err, sizeof(err)),
        S_OK);
    free(text);
    CU_ASSERT_STRING_EQUAL(cfg.servers, "127.0.0.1:3478, 127.0.0.2:3479");
    CU_ASSERT_EQUAL(cfg.timeout_ms, 3000);
    CU_ASSERT_EQUAL(cfg.symmetric_check, 1);
    CU_ASSERT_EQUAL(cfg.range_count, 3);
    CU_ASSERT_EQUAL(cfg.ranges[0].port_type, RTCPT_SIP);
    CU_ASSERT_EQUAL(cfg.ranges[0].transports, RTCTR_UDP | RTCTR_TCP);
    CU_ASSERT_EQUAL(cfg.ranges[1].port_type, RTCPT_AUDIO_RTP);
    CU_ASSERT_EQUAL(cfg.ranges[1].first, 30000);
    CU_ASSERT_EQUAL(cfg.ranges[1].last, 30099);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_create_from_file(RTCPM_SAMPLES_DIR "/stun.ini", &pm, err, sizeof(err)), S_OK);
    if (pm) release_pm(pm);
}

/* ---- mappings ---- */

static void seen_by_server(const char *host)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_NORMAL };
    IRTCPortManager3 *pm;
    IRTCPortManager *pm1;
    struct mapping m;
    char text[256];
    BSTR ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;

    start(&srv, host, &o);
    pm = pm_ini("[stun]\nservers = %s\n" QUICK, hp(&srv.addr));
    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    /* no NAT on loopback: the server saw the internal side itself */
    CU_ASSERT_STRING_EQUAL(m.internal, host);
    CHECK_SEEN(m, srv, host, m.internal_port);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(pm), 1);
    snprintf(text, sizeof(text), "udp sip %s:%ld %s:%ld remote -\n", host, (long)m.internal_port, host,
             (long)m.external_port);
    if (strchr(host, ':'))
        snprintf(text, sizeof(text), "udp sip [%s]:%ld [%s]:%ld remote -\n", host, (long)m.internal_port, host,
                 (long)m.external_port);
    {
        char buf[256];
        CU_ASSERT_EQUAL(rtcpm_stun_pm_format_mappings(pm, buf, sizeof(buf)), (LONG)strlen(text));
        CU_ASSERT_STRING_EQUAL(buf, text);
    }
    CU_ASSERT_STRING_EQUAL(last_error(pm), "");
    CU_ASSERT_EQUAL(srv.transactions, 1);

    /* IRTCPortManager::GetMapping is UDP too */
    pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager, (void **)&pm1);
    CU_ASSERT_EQUAL(pm1->lpVtbl->GetMapping(pm1, NULL, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep), S_OK);
    CU_ASSERT_EQUAL(ep, ip);
    CU_ASSERT_EQUAL(ip % 2, 0);
    CU_ASSERT_EQUAL(fake_stun_last_client(&srv).port, (uint16_t)ip);
    CU_ASSERT_EQUAL(pm1->lpVtbl->ReleaseMapping(pm1, ia, ip, ea, ep), S_OK);
    CU_ASSERT_EQUAL(pm1->lpVtbl->ReleaseMapping(pm1, ia, ip, ea, ep), RTC_E_PORT_MAPPING_UNAVAILABLE);
    SysFreeString(ia);
    SysFreeString(ea);
    pm1->lpVtbl->Release(pm1);

    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(pm), 0);
    stop_pm_and_server(pm, &srv);
}

static void test_seen_by_server_v4(void) { seen_by_server("127.0.0.1"); }
static void test_seen_by_server_v6(void)
{
    if (test_need_ipv6()) seen_by_server("::1");
}

/* The fake plays a NAT: external address 198.51.100.7, port + 1000. */
static void test_nat_emulation(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_NORMAL, .mapped_port_offset = 1000 };
    IRTCPortManager3 *pm;
    struct mapping m;

    o.mapped_addr = test_addr("198.51.100.7", 0);
    pm = pm_with_server(&srv, &o, QUICK);
    m = get_ex(pm, "203.0.113.9", 5060, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_STRING_EQUAL(m.internal, "127.0.0.1");
    CHECK_SEEN(m, srv, "198.51.100.7", (m.internal_port + 1000) % 65536);
    {
        char buf[256], want[256];
        snprintf(want, sizeof(want), "udp sip 127.0.0.1:%ld 198.51.100.7:%ld remote 203.0.113.9:5060\n",
                 (long)m.internal_port, (long)m.external_port);
        rtcpm_stun_pm_format_mappings(pm, buf, sizeof(buf));
        CU_ASSERT_STRING_EQUAL(buf, want);
    }
    /* UpdateRemoteAddress* act on the live mapping, and fail the same way as release */
    {
        BSTR r = B("203.0.113.10"), a = B(m.internal), b = B(m.external);
        char buf[256], want[256];
        CU_ASSERT_EQUAL(
            pm->lpVtbl->UpdateRemoteAddressEx2(pm, r, 7000, RTCTR_UDP, a, m.internal_port, b, m.external_port), S_OK);
        snprintf(want, sizeof(want), "udp sip 127.0.0.1:%ld 198.51.100.7:%ld remote 203.0.113.10:7000\n",
                 (long)m.internal_port, (long)m.external_port);
        rtcpm_stun_pm_format_mappings(pm, buf, sizeof(buf));
        CU_ASSERT_STRING_EQUAL(buf, want);
        CU_ASSERT_EQUAL(
            pm->lpVtbl->UpdateRemoteAddressEx2(pm, r, 7000, RTCTR_TCP, a, m.internal_port, b, m.external_port),
            RTC_E_PORT_MAPPING_UNAVAILABLE);
        CU_ASSERT_EQUAL(pm->lpVtbl->UpdateRemoteAddress(pm, r, a, m.internal_port, b, m.external_port + 1),
                        RTC_E_PORT_MAPPING_UNAVAILABLE);
        CU_ASSERT_EQUAL(pm->lpVtbl->UpdateRemoteAddressEx(pm, NULL, 0, a, m.internal_port, b, m.external_port),
                        E_INVALIDARG);
        CU_ASSERT_EQUAL(pm->lpVtbl->UpdateRemoteAddressEx(pm, r, 0, a, m.internal_port, b, m.external_port), S_OK);
        SysFreeString(r);
        SysFreeString(a);
        SysFreeString(b);
    }
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m), RTC_E_PORT_MAPPING_UNAVAILABLE);
    stop_pm_and_server(pm, &srv);
}

static void test_invalid_args(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_NORMAL };
    IRTCPortManager3 *pm;
    BSTR ia = (BSTR)(void *)&o;
    LONG ip = 5, ep = 5;
    struct mapping m;

    pm = pm_with_server(&srv, &o, QUICK);
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, NULL, 0, RTCTR_UDP, RTCPT_SIP, &ia, &ip, NULL, &ep), E_POINTER);
    CU_ASSERT_PTR_NULL(ia);
    CU_ASSERT_EQUAL(ip, 0);
    CU_ASSERT_EQUAL(ep, 0);
    CU_ASSERT_EQUAL(get_ex(pm, NULL, 0, RTCTR_UDP, 5).hr, E_INVALIDARG);
    CU_ASSERT_EQUAL(get_ex(pm, NULL, 0, 3, RTCPT_SIP).hr, E_INVALIDARG);
    CU_ASSERT_EQUAL(get_ex(pm, "stun.example.org", 0, RTCTR_UDP, RTCPT_SIP).hr, E_INVALIDARG);
    CU_ASSERT_EQUAL(get_ex(pm, "203.0.113.9", 70000, RTCTR_UDP, RTCPT_SIP).hr, E_INVALIDARG);
    /* an IPv6 remote with IPv4 servers only: no mapping can exist */
    m = get_ex(pm, "2001:db8::1", 5060, RTCTR_UDP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_STRING_EQUAL(last_error(pm), "no STUN server for IPv6 (remote 2001:db8::1)");
    /* release / update with malformed names */
    {
        BSTR a = B("127.0.0.1"), bad = B("localhost");
        CU_ASSERT_EQUAL(pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, a, 0, a, 5060), E_INVALIDARG);
        CU_ASSERT_EQUAL(pm->lpVtbl->ReleaseMappingEx(pm, 8, a, 5060, a, 5060), E_INVALIDARG);
        CU_ASSERT_EQUAL(pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, bad, 5060, a, 5060), E_INVALIDARG);
        CU_ASSERT_EQUAL(pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, a, 5060, a, 5060), RTC_E_PORT_MAPPING_UNAVAILABLE);
        CU_ASSERT_EQUAL(pm->lpVtbl->UpdateRemoteAddressEx2(pm, a, 1, RTCTR_UDP, a, 5060, a, 5060),
                        RTC_E_PORT_MAPPING_UNAVAILABLE);
        SysFreeString(a);
        SysFreeString(bad);
    }
    CU_ASSERT_EQUAL(srv.transactions, 0);
    stop_pm_and_server(pm, &srv);
}

/* Ranges: RTP even with RTCP = RTP + 1; ports in use are skipped; exhaustion; return. */
static void test_ranges_and_pairing(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_NORMAL, .mapped_port_offset = 7 };
    uint16_t b = test_free_block(8);
    IRTCPortManager3 *pm;
    struct mapping rtp1, rtcp1, rtp2, rtcp2, sip, sip2, v;
    rtcpm_socket *held = NULL;
    rtcpm_addr a;

    pm = pm_with_server(&srv, &o,
                        QUICK "cache-age = 0\n"
                              "[ports audio-rtp]\nrange = %u-%u\n"
                              "[ports sip]\nrange = %u\ntransport = udp, tcp\n",
                        b, b + 3, b + 6);
    rtp1 = get_udp(pm, RTCPT_AUDIO_RTP);
    CU_ASSERT_EQUAL(rtp1.internal_port, b);
    CHECK_SEEN(rtp1, srv, "127.0.0.1", b + 7);
    rtcp1 = get_udp(pm, RTCPT_AUDIO_RTCP);
    CU_ASSERT_EQUAL(rtcp1.internal_port, b + 1);
    CHECK_SEEN(rtcp1, srv, "127.0.0.1", b + 8);
    /* the second pair */
    rtp2 = get_udp(pm, RTCPT_AUDIO_RTP);
    rtcp2 = get_udp(pm, RTCPT_AUDIO_RTCP);
    CU_ASSERT_EQUAL(rtp2.internal_port, b + 2);
    CU_ASSERT_EQUAL(rtcp2.internal_port, b + 3);
    /* range exhausted: unavailable, nothing asked */
    {
        unsigned before = srv.transactions;
        v = get_udp(pm, RTCPT_AUDIO_RTP);
        CU_ASSERT_EQUAL(v.hr, RTC_E_PORT_MAPPING_UNAVAILABLE);
        CU_ASSERT_EQUAL(srv.transactions, before);
        CU_ASSERT_PTR_NOT_NULL(strstr(last_error(pm), "no free UDP port in"));
    }
    /* the single SIP port, for UDP and (another namespace) TCP needs another fake: UDP only here */
    sip = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(sip.internal_port, b + 6);
    sip2 = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(sip2.hr, RTC_E_PORT_MAPPING_UNAVAILABLE);
    /* video has no range: the OS picks an even port, its RTCP the next one */
    v = get_udp(pm, RTCPT_VIDEO_RTP);
    CU_ASSERT_EQUAL(v.hr, S_OK);
    CU_ASSERT_EQUAL(v.internal_port % 2, 0);
    {
        struct mapping vr = get_udp(pm, RTCPT_VIDEO_RTCP);
        CU_ASSERT_EQUAL(vr.internal_port, v.internal_port + 1);
        CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &vr), S_OK);
    }
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &v), S_OK);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(pm), 5);

    /* release the first pair; a port bound by another program is skipped */
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &rtp1), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &rtcp1), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &rtp2), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &rtcp2), S_OK);
    a = test_addr("127.0.0.1", b);
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&held, RTCPM_SOCK_UDP, &a, NULL), RTCPM_SOCK_OK);
    rtp1 = get_udp(pm, RTCPT_AUDIO_RTP);
    CU_ASSERT_EQUAL(rtp1.internal_port, b + 2);
    /* RTP released before its RTCP was asked: b+3 is free again for anything */
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &rtp1), S_OK);
    /* RTCP alone, without a range of its own, takes an odd port of the RTP range */
    rtcp1 = get_udp(pm, RTCPT_AUDIO_RTCP);
    CU_ASSERT_EQUAL(rtcp1.hr, S_OK);
    CU_ASSERT_TRUE(rtcp1.internal_port == b + 1 || rtcp1.internal_port == b + 3);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &rtcp1), S_OK);
    rtcpm_socket_close(held);
    /* a port released returns to the range: the whole range is usable again */
    rtp1 = get_udp(pm, RTCPT_AUDIO_RTP);
    rtp2 = get_udp(pm, RTCPT_AUDIO_RTP);
    CU_ASSERT_EQUAL(rtp1.hr, S_OK);
    CU_ASSERT_EQUAL(rtp2.hr, S_OK);
    CU_ASSERT_EQUAL(rtp1.internal_port + rtp2.internal_port, 2 * b + 2);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &rtp1), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &rtp2), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &sip), S_OK);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(pm), 0);
    stop_pm_and_server(pm, &srv);
}

/* No answer: RTC_E_PORT_MAPPING_FAILED within the budget, nothing recorded, the reason. */
static void test_server_down(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_SILENT };
    IRTCPortManager3 *pm;
    struct mapping m;
    char want[128];

    pm = pm_with_server(&srv, &o, QUICK "timeout = 600\n");
    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_TRUE(m.ms >= 590 && m.ms <= 600 + SLACK_MS);
    snprintf(want, sizeof(want), "no answer from %s within ", hp(&srv.addr));
    CU_ASSERT_NSTRING_EQUAL(last_error(pm), want, strlen(want));
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(pm), 0);
    CU_ASSERT_TRUE(srv.requests >= 4); /* 0, 50, 150, 350 ms at least */
    CU_ASSERT_EQUAL(stats(pm).failures, 1);
    stop_pm_and_server(pm, &srv);

    /* nothing listens at all (ICMP port unreachable on loopback): still FAILED in time */
    pm = pm_ini("[stun]\nservers = %s\n" QUICK "timeout = 400\n", hp(&srv.addr));
    m = get_udp(pm, RTCPT_AUDIO_RTP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_TRUE(m.ms <= 400 + SLACK_MS);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(pm), 0);
    release_pm(pm);
}

/* The first server is down: the second one answers, after the first one's share. */
static void test_fallback(void)
{
    struct fake_stun_server down, up;
    struct fake_stun_options o_down = { .mode = FAKE_STUN_SILENT }, o_up = { .mode = FAKE_STUN_NORMAL };
    IRTCPortManager3 *pm;
    struct mapping m;
    char servers[128];

    start(&down, "127.0.0.1", &o_down);
    start(&up, "127.0.0.1", &o_up);
    snprintf(servers, sizeof(servers), "%s, %s", hp(&down.addr), hp(&up.addr));
    pm = pm_ini("[stun]\nservers = %s\n" QUICK "timeout = 2000\n", servers);
    m = get_udp(pm, RTCPT_SIP);
    CHECK_SEEN(m, up, "127.0.0.1", m.internal_port);
    /* server-timeout 0: each of the two servers gets timeout / 2; the server that has just
     * failed is not asked again for the symmetric check */
    CU_ASSERT_TRUE(m.ms >= 990 && m.ms <= 1000 + SLACK_MS);
    CU_ASSERT_TRUE(down.requests >= 4);
    CU_ASSERT_EQUAL(up.transactions, 1);
    CU_ASSERT_EQUAL(stats(pm).transactions, 2);
    CU_ASSERT_EQUAL(stats(pm).symmetric_checks, 0);
    {
        char nat[300];
        rtcpm_stun_pm_describe_nat(pm, nat, sizeof(nat));
        CU_ASSERT_STRING_EQUAL(nat, "127.0.0.1: external 127.0.0.1, mapping behaviour not checked\n");
    }
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m), S_OK);
    release_pm(pm);
    fake_stun_stop(&down);
    fake_stun_stop(&up);
}

/* 30% of the requests are lost: every mapping still right (seeded, so repeatable). */
static void test_loss(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_LOSS, .loss_percent = 30, .seed = 12345, .mapped_port_offset = 3 };
    IRTCPortManager3 *pm;
    struct mapping m[20];
    unsigned i, ok = 0;

    o.mapped_addr = test_addr("192.0.2.44", 0);
    pm = pm_with_server(&srv, &o, QUICK "timeout = 3000\ncache-age = 0\n");
    for (i = 0; i < 20; i++)
    {
        m[i] = get_udp(pm, RTCPT_SIP);
        if (m[i].hr != S_OK) continue;
        ok++;
        CU_ASSERT_STRING_EQUAL(m[i].external, "192.0.2.44");
        CU_ASSERT_EQUAL(m[i].external_port, (m[i].internal_port + 3) % 65536);
    }
    CU_ASSERT_EQUAL(ok, 20);
    CU_ASSERT_TRUE(srv.requests > 20);     /* some were lost and sent again */
    CU_ASSERT_EQUAL(srv.transactions, 20); /* ... as retransmissions: one transaction per mapping */
    for (i = 0; i < 20; i++)
        if (m[i].hr == S_OK) CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m[i]), S_OK);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(pm), 0);
    stop_pm_and_server(pm, &srv);
}

/* Wrong transaction IDs and answers from another source never become a mapping. The bad
 * answers carry the true source 127.0.0.1, the good one the emulated NAT's 192.0.2.1. */
static void bad_answers(enum fake_stun_mode mode)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = mode, .then_right = true, .delay_ms = 30 };
    IRTCPortManager3 *pm;
    struct mapping m;

    o.mapped_addr = test_addr("192.0.2.1", 0);
    pm = pm_with_server(&srv, &o, QUICK "timeout = 1500\n");
    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(m.external, "192.0.2.1");
    CU_ASSERT_EQUAL(m.external_port, m.internal_port);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m), S_OK);
    stop_pm_and_server(pm, &srv);

    /* only bad answers: failure, never their address */
    o.then_right = false;
    pm = pm_with_server(&srv, &o, QUICK "timeout = 500\n");
    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_TRUE(m.ms <= 500 + SLACK_MS);
    CU_ASSERT_PTR_NOT_NULL(strstr(last_error(pm), "no answer from"));
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(pm), 0);
    stop_pm_and_server(pm, &srv);
}

static void test_wrong_txid(void) { bad_answers(FAKE_STUN_WRONG_TXID); }
static void test_other_source(void) { bad_answers(FAKE_STUN_OTHER_SOURCE); }

/* Two servers see two ports for one internal port: a symmetric NAT. */
static void test_symmetric_two_servers(void)
{
    struct fake_stun_server a, b;
    struct fake_stun_options oa = { .mode = FAKE_STUN_NORMAL, .mapped_port_offset = 1 };
    struct fake_stun_options ob = { .mode = FAKE_STUN_NORMAL, .mapped_port_offset = 2 };
    IRTCPortManager3 *pm;
    struct mapping m;
    char want[200], servers[128], nat[300];
    unsigned ra, rb;

    oa.mapped_addr = ob.mapped_addr = test_addr("198.51.100.1", 0);
    start(&a, "127.0.0.1", &oa);
    start(&b, "127.0.0.1", &ob);
    snprintf(servers, sizeof(servers), "%s, %s", hp(&a.addr), hp(&b.addr));
    pm = pm_ini("[stun]\nservers = %s\n" QUICK, servers);
    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_EQUAL(a.transactions, 1);
    CU_ASSERT_EQUAL(b.transactions, 1);
    CU_ASSERT_EQUAL(fake_stun_last_client(&a).port, fake_stun_last_client(&b).port); /* both from the same port */
    snprintf(want, sizeof(want), "symmetric NAT: %s saw port %u, %s saw port %u (seen from 127.0.0.1:%u)", hp(&a.addr),
             fake_stun_last_client(&a).port + 1, hp(&b.addr), fake_stun_last_client(&b).port + 2,
             fake_stun_last_client(&a).port);
    CU_ASSERT_STRING_EQUAL(last_error(pm), want);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(pm), 0);
    CU_ASSERT_EQUAL(stats(pm).symmetric_checks, 1);
    rtcpm_stun_pm_describe_nat(pm, nat, sizeof(nat));
    CU_ASSERT_PTR_NOT_NULL(strstr(nat, "127.0.0.1: external 198.51.100.1, symmetric NAT: "));

    /* the verdict is kept: the next call fails at once, without traffic */
    ra = a.transactions;
    rb = b.transactions;
    m = get_udp(pm, RTCPT_AUDIO_RTP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_EQUAL(a.transactions, ra);
    CU_ASSERT_EQUAL(b.transactions, rb);
    CU_ASSERT_NSTRING_EQUAL(last_error(pm), "symmetric NAT: ", 15);
    release_pm(pm);

    /* with the check off the first server's answer stands (and the second is a fallback) */
    pm = pm_ini("[stun]\nservers = %s\n" QUICK "symmetric-check = off\n", servers);
    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_EQUAL(m.external_port, m.internal_port + 1);
    CU_ASSERT_EQUAL(b.transactions, rb);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m), S_OK);
    release_pm(pm);
    fake_stun_stop(&a);
    fake_stun_stop(&b);
}

/* A NAT that keeps the port but picks another external address per destination: the same
 * port from both servers does not make it endpoint-independent. */
static void test_symmetric_address(void)
{
    struct fake_stun_server a, b;
    struct fake_stun_options oa = { .mode = FAKE_STUN_NORMAL, .mapped_port_offset = 1 };
    struct fake_stun_options ob = { .mode = FAKE_STUN_NORMAL, .mapped_port_offset = 1 };
    IRTCPortManager3 *pm;
    struct mapping m;
    char want[200], servers[128], nat[300];
    unsigned port;

    oa.mapped_addr = test_addr("198.51.100.1", 0);
    ob.mapped_addr = test_addr("198.51.100.2", 0);
    start(&a, "127.0.0.1", &oa);
    start(&b, "127.0.0.1", &ob);
    snprintf(servers, sizeof(servers), "%s, %s", hp(&a.addr), hp(&b.addr));
    pm = pm_ini("[stun]\nservers = %s\n" QUICK, servers);
    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_EQUAL(a.transactions, 1);
    CU_ASSERT_EQUAL(b.transactions, 1);
    port = fake_stun_last_client(&a).port;
    CU_ASSERT_EQUAL(fake_stun_last_client(&b).port, port); /* both from the same port */
    snprintf(want, sizeof(want),
             "symmetric NAT: %s saw 198.51.100.1:%u, %s saw 198.51.100.2:%u (seen from 127.0.0.1:%u)", hp(&a.addr),
             port + 1, hp(&b.addr), port + 1, port);
    CU_ASSERT_STRING_EQUAL(last_error(pm), want);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(pm), 0);
    rtcpm_stun_pm_describe_nat(pm, nat, sizeof(nat));
    CU_ASSERT_PTR_NOT_NULL(strstr(nat, "127.0.0.1: external 198.51.100.1, symmetric NAT: "));
    release_pm(pm);
    fake_stun_stop(&a);
    fake_stun_stop(&b);
}

/* The second server is down: the first call pays for the check (within its budget), the
 * next ones do not try again while the "not checked" verdict is kept. */
static void test_symmetric_check_server_down(void)
{
    struct fake_stun_server up, down;
    struct fake_stun_options o_up = { .mode = FAKE_STUN_NORMAL }, o_down = { .mode = FAKE_STUN_SILENT };
    IRTCPortManager3 *pm;
    struct mapping m, m2;
    char servers[128], nat[300], want[200];
    unsigned before;

    start(&up, "127.0.0.1", &o_up);
    start(&down, "127.0.0.1", &o_down);
    snprintf(servers, sizeof(servers), "%s, %s", hp(&up.addr), hp(&down.addr));
    pm = pm_ini("[stun]\nservers = %s\n" QUICK "timeout = 1000\n", servers);
    m = get_udp(pm, RTCPT_SIP);
    CHECK_SEEN(m, up, "127.0.0.1", m.internal_port);
    CU_ASSERT_TRUE(m.ms >= 450 && m.ms <= 1000 + SLACK_MS); /* the check: at most timeout / 2 */
    CU_ASSERT_TRUE(down.requests >= 3);
    before = down.transactions;
    CU_ASSERT_EQUAL(stats(pm).symmetric_checks, 1);
    m2 = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m2.hr, S_OK);
    CU_ASSERT_EQUAL(down.transactions, before); /* not asked again */
    CU_ASSERT_EQUAL(stats(pm).symmetric_checks, 1);
    rtcpm_stun_pm_describe_nat(pm, nat, sizeof(nat));
    snprintf(want, sizeof(want), "127.0.0.1: external 127.0.0.1, not checked: no answer from %s", hp(&down.addr));
    CU_ASSERT_NSTRING_EQUAL(nat, want, strlen(want));
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m2), S_OK);
    release_pm(pm);
    fake_stun_stop(&up);
    fake_stun_stop(&down);
}

/* One configured server that names an RFC 5780 OTHER-ADDRESS: the check goes there. (The
 * alternate is on 127.0.0.1 too, another port: under Wine a socket bound to 127.0.0.2
 * really listens on any address and answers from 127.0.0.1 — see bind_is_honest.) */
static void test_symmetric_other_address(void)
{
    struct fake_stun_server alt, main_srv;
    struct fake_stun_options o_alt = { .mode = FAKE_STUN_NORMAL };
    struct fake_stun_options o_main = { .mode = FAKE_STUN_NORMAL };
    IRTCPortManager3 *pm;
    struct mapping m;
    char nat[300], want[300];

    start(&alt, "127.0.0.1", &o_alt);
    o_main.other_address = alt.addr;
    start(&main_srv, "127.0.0.1", &o_main);
    /* endpoint-independent: both see the same port */
    pm = pm_ini("[stun]\nservers = %s\n" QUICK, hp(&main_srv.addr));
    m = get_udp(pm, RTCPT_SIP);
    CHECK_SEEN(m, main_srv, "127.0.0.1", m.internal_port);
    CU_ASSERT_EQUAL(alt.transactions, 1);
    CU_ASSERT_EQUAL(fake_stun_last_client(&alt).port, (uint16_t)m.internal_port);
    rtcpm_stun_pm_describe_nat(pm, nat, sizeof(nat));
    snprintf(want, sizeof(want), "127.0.0.1: external 127.0.0.1, endpoint-independent mapping (%s and %s saw port %ld",
             hp(&main_srv.addr), hp(&alt.addr), (long)m.internal_port);
    CU_ASSERT_NSTRING_EQUAL(nat, want, strlen(want));
    /* the verdict is kept: the next mapping costs one transaction, not two */
    {
        struct mapping m2 = get_udp(pm, RTCPT_AUDIO_RTP);
        CU_ASSERT_EQUAL(m2.hr, S_OK);
        CU_ASSERT_EQUAL(alt.transactions, 1);
        CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m2), S_OK);
    }
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m), S_OK);
    release_pm(pm);
    fake_stun_stop(&main_srv);
    fake_stun_stop(&alt);

    /* the alternate sees another port: symmetric */
    o_alt.mapped_port_offset = 5;
    start(&alt, "127.0.0.1", &o_alt);
    o_main.other_address = alt.addr;
    start(&main_srv, "127.0.0.1", &o_main);
    pm = pm_ini("[stun]\nservers = %s\n" QUICK, hp(&main_srv.addr));
    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    snprintf(want, sizeof(want), "symmetric NAT: %s saw port %u, %s saw port %u", hp(&main_srv.addr),
             fake_stun_last_client(&main_srv).port, hp(&alt.addr), fake_stun_last_client(&alt).port + 5);
    CU_ASSERT_NSTRING_EQUAL(last_error(pm), want, strlen(want));
    release_pm(pm);
    fake_stun_stop(&main_srv);
    fake_stun_stop(&alt);
}

/* Warm-up at creation; then the cache answers without traffic (the server counts). */
static void test_warm_up_and_cache(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_NORMAL, .mapped_port_offset = 11 };
    IRTCPortManager3 *pm;
    struct mapping m, m2;
    struct rtcpm_stun_pm_stats s;

    o.mapped_addr = test_addr("198.51.100.99", 0);
    pm = pm_with_server(&srv, &o, "rto = 50\n");
    CU_ASSERT_EQUAL(rtcpm_stun_pm_wait_ready(pm, 20000), S_OK);
    CU_ASSERT_EQUAL(srv.transactions, 1);
    s = stats(pm);
    CU_ASSERT_EQUAL(s.warm_ups, 1);
    CU_ASSERT_EQUAL(s.cache_hits, 0);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(pm), 0); /* the warm-up records no mapping */

    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(m.external, "198.51.100.99");
    CU_ASSERT_EQUAL(m.external_port, m.internal_port + 11);
    CU_ASSERT_EQUAL(fake_stun_last_client(&srv).port, (uint16_t)m.internal_port); /* the warm-up's port */
    CU_ASSERT_EQUAL(srv.transactions, 1);                                         /* no traffic: a cache hit */
    CU_ASSERT_EQUAL(stats(pm).cache_hits, 1);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m), S_OK);
    /* released and asked again: the same port, still from the cache */
    m2 = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m2.internal_port, m.internal_port);
    CU_ASSERT_EQUAL(m2.external_port, m.external_port);
    CU_ASSERT_EQUAL(srv.transactions, 1);
    CU_ASSERT_EQUAL(stats(pm).cache_hits, 2);
    /* a second mapping needs a port of its own: traffic */
    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_NOT_EQUAL(m.internal_port, m2.internal_port);
    CU_ASSERT_EQUAL(srv.transactions, 2);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m2), S_OK);
    stop_pm_and_server(pm, &srv);

    /* cache-age 0: every mapping asks */
    pm = pm_with_server(&srv, &o, "rto = 50\ncache-age = 0\n");
    CU_ASSERT_EQUAL(rtcpm_stun_pm_wait_ready(pm, 20000), S_OK);
    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_EQUAL(srv.transactions, 2);
    CU_ASSERT_EQUAL(stats(pm).cache_hits, 0);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m), S_OK);
    stop_pm_and_server(pm, &srv);
}

/* A GetMapping during a warm-up that cannot finish waits at most its own budget; a
 * Release during it does not wait for the warm-up's transaction. */
static void test_warm_up_bounded(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_SILENT };
    IRTCPortManager3 *pm;
    struct mapping m;
    uint64_t t0;

    pm = pm_with_server(&srv, &o, "rto = 50\ntimeout = 700\n");
    CU_ASSERT_EQUAL(rtcpm_stun_pm_wait_ready(pm, 0), S_FALSE);
    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_TRUE(m.ms <= 700 + SLACK_MS);
    release_pm(pm);

    pm = pm_ini("[stun]\nservers = %s\nrto = 50\ntimeout = 10000\n", hp(&srv.addr));
    test_sleep_ms(50); /* the worker is in its transaction */
    t0 = rtcpm_clock_ms();
    release_pm(pm);
    CU_ASSERT_TRUE(rtcpm_clock_ms() - t0 <= SLACK_MS); /* not the 10 s the transaction could take */
    fake_stun_stop(&srv);
}

/* refresh: the worker asks again on its own. */
static void test_refresh(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_NORMAL };
    IRTCPortManager3 *pm;
    uint64_t t0 = rtcpm_clock_ms();

    pm = pm_with_server(&srv, &o, "rto = 50\nrefresh = 1\n");
    while (stats(pm).warm_ups < 3 && rtcpm_clock_ms() - t0 < 20000) test_sleep_ms(20);
    CU_ASSERT_TRUE(stats(pm).warm_ups >= 3);
    CU_ASSERT_TRUE(srv.transactions >= 3);
    stop_pm_and_server(pm, &srv);
}

/* README: "refresh keeps ... the external address ... current, and a changed external address
 * drops the cache". The NAT's external address changes between two calls; a refresh pass
 * (from the SIP port) sees it, so the RTP/RTCP ports the first call left in the cache are
 * asked again instead of handed out with the old address. (The RTP range keeps the refresh's
 * OS-picked SIP port out of the pair's choice: only the first call's ports are cached there.) */
static void test_address_change_drops_cache(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_NORMAL };
    uint16_t b = test_free_block(4);
    IRTCPortManager3 *pm;
    struct mapping rtp, rtcp;
    struct rtcpm_stun_pm_stats s;
    rtcpm_addr changed = test_addr("198.51.100.20", 0);
    uint64_t t0;
    unsigned before;
    LONG passes;

    o.mapped_addr = test_addr("198.51.100.10", 0);
    pm = pm_with_server(&srv, &o, "rto = 50\nrefresh = 1\nsymmetric-check = off\n[ports audio-rtp]\nrange = %u-%u\n", b,
                        b + 3);
    CU_ASSERT_EQUAL(rtcpm_stun_pm_wait_ready(pm, 20000), S_OK);
    rtp = get_ex(pm, "203.0.113.1", 5004, RTCTR_UDP, RTCPT_AUDIO_RTP);
    rtcp = get_ex(pm, "203.0.113.1", 5005, RTCTR_UDP, RTCPT_AUDIO_RTCP);
    CU_ASSERT_STRING_EQUAL(rtp.external, "198.51.100.10");
    CU_ASSERT_STRING_EQUAL(rtcp.external, "198.51.100.10");
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &rtp), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &rtcp), S_OK);

    /* the NAT gets a new address; wait for two refresh passes (one surely after the change) */
    fake_stun_set_mapped_addr(&srv, &changed);
    passes = stats(pm).warm_ups + 2;
    t0 = rtcpm_clock_ms();
    while ((s = stats(pm)).warm_ups < passes && rtcpm_clock_ms() - t0 < 20000) test_sleep_ms(20);
    CU_ASSERT_TRUE(s.warm_ups >= passes);
    before = srv.transactions;

    rtp = get_ex(pm, "203.0.113.1", 5004, RTCTR_UDP, RTCPT_AUDIO_RTP);
    rtcp = get_ex(pm, "203.0.113.1", 5005, RTCTR_UDP, RTCPT_AUDIO_RTCP);
    CU_ASSERT_EQUAL(rtp.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(rtp.external, "198.51.100.20");
    CU_ASSERT_STRING_EQUAL(rtcp.external, "198.51.100.20");
    CU_ASSERT_TRUE(srv.transactions >= before + 2); /* both asked again, not served from the cache */
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &rtp), S_OK);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &rtcp), S_OK);
    stop_pm_and_server(pm, &srv);
}

/* SIP over TCP: STUN over TCP from the port (then the port is free at once), or the
 * UDP-learned address with the port preserved, or off. */
static void test_tcp(void)
{
    struct fake_stun_server tcp_srv, udp_srv;
    struct fake_stun_options o_tcp = { .mode = FAKE_STUN_NORMAL, .transport = RTCPM_SOCK_TCP };
    struct fake_stun_options o_udp = { .mode = FAKE_STUN_NORMAL, .mapped_port_offset = 100 };
    IRTCPortManager3 *pm;
    rtcpm_socket *s = NULL;
    struct mapping m;
    rtcpm_addr a;

    start(&tcp_srv, "127.0.0.1", &o_tcp);
    pm = pm_ini("[stun]\nservers = %s\n" QUICK, hp(&tcp_srv.addr));
    m = get_ex(pm, "203.0.113.9", 5060, RTCTR_TCP, RTCPT_SIP);
    CHECK_SEEN(m, tcp_srv, "127.0.0.1", m.internal_port);
    CU_ASSERT_EQUAL(tcp_srv.connections, 1);
    /* RTC binds the port next (no SO_REUSEADDR): no TIME_WAIT is in the way */
    a = test_addr("127.0.0.1", (uint16_t)m.internal_port);
    CU_ASSERT_EQUAL(rtcpm_socket_open(&s, RTCPM_SOCK_TCP, &a, NULL), RTCPM_SOCK_OK);
    rtcpm_socket_close(s);
    /* TLS shares TCP's ports: another port */
    {
        struct mapping t = get_ex(pm, NULL, 0, RTCTR_TLS, RTCPT_SIP);
        CU_ASSERT_EQUAL(t.hr, S_OK);
        CU_ASSERT_NOT_EQUAL(t.internal_port, m.internal_port);
        CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &t), RTC_E_PORT_MAPPING_UNAVAILABLE);
        CU_ASSERT_EQUAL(release_ex(pm, RTCTR_TLS, &t), S_OK);
    }
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_TCP, &m), S_OK);
    release_pm(pm);

    /* preserve: UDP-learned address, port = internal port, no TCP traffic */
    o_udp.mapped_addr = test_addr("198.51.100.5", 0);
    start(&udp_srv, "127.0.0.1", &o_udp);
    pm = pm_ini("[stun]\nservers = %s\n" QUICK "tcp = preserve\n", hp(&udp_srv.addr));
    m = get_ex(pm, NULL, 0, RTCTR_TCP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_STRING_EQUAL(m.external, "198.51.100.5");
    CU_ASSERT_EQUAL(m.external_port, m.internal_port);
    CU_ASSERT_EQUAL(udp_srv.transactions, 1);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_TCP, &m), S_OK);
    /* the external address is known now: no more traffic */
    m = get_ex(pm, NULL, 0, RTCTR_TCP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, S_OK);
    CU_ASSERT_EQUAL(udp_srv.transactions, 1);
    CU_ASSERT_EQUAL(release_ex(pm, RTCTR_TCP, &m), S_OK);
    release_pm(pm);

    /* off */
    pm = pm_ini("[stun]\nservers = %s\n" QUICK "tcp = off\n", hp(&udp_srv.addr));
    m = get_ex(pm, NULL, 0, RTCTR_TLS, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_STRING_EQUAL(last_error(pm), "tls mappings are off (tcp = off)");
    release_pm(pm);

    /* STUN over TCP to a UDP-only server: refused, FAILED */
    pm = pm_ini("[stun]\nservers = %s\n" QUICK "timeout = 500\n", hp(&udp_srv.addr));
    m = get_ex(pm, NULL, 0, RTCTR_TCP, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_TRUE(m.ms <= 500 + SLACK_MS);
    release_pm(pm);
    fake_stun_stop(&udp_srv);
    fake_stun_stop(&tcp_srv);
}

/* Does a socket bound to `host` send from it? Wine 8 binds a UDP socket given a local
 * interface's address to INADDR_ANY (plus the interface), so it sends from the interface's
 * primary address, and accepts even addresses this host does not have (README "STUN port
 * manager", internal address). */
static int bind_is_honest(struct fake_stun_server *srv, const char *host)
{
    rtcpm_addr a = test_addr(host, 0);
    rtcpm_socket *s = NULL;
    rtcpm_stun_result res;
    int honest;
    if (rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &a, NULL) != RTCPM_SOCK_OK) return 1;
    honest =
        rtcpm_stun_binding(s, &srv->addr, NULL, &res) == RTCPM_STUN_OK && rtcpm_addr_equal(&res.mapped, &res.local);
    rtcpm_socket_close(s);
    return honest;
}

/* Without local-address: the address the OS routes to the server from. */
static void test_local_address_route(void)
{
    rtcpm_addr route;
    CU_ASSERT_EQUAL(rtcpm_route_local_addr(&(rtcpm_addr){ { 127, 0, 0, 1 }, 0, 3478, RTCPM_AF_INET }, &route, NULL),
                    RTCPM_SOCK_OK);
    CU_ASSERT_STRING_EQUAL(hp(&route), "127.0.0.1");
}

/* The configured local address is used as the internal address (part "local_address": a
 * socket layer that binds one address and sends from another cannot show it). */
static void test_local_address_configured(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_NORMAL };
    IRTCPortManager3 *pm;
    struct mapping m;

    start(&srv, "127.0.0.1", &o);
    if (!bind_is_honest(&srv, "127.0.0.3"))
        rtcpm_test_skip("Wine 8's socket layer: a UDP socket bound to 127.0.0.3 sends from the interface's primary "
                        "address (README: under Wine give local-address only as a primary address)");
    else
    {
        pm = pm_ini("[stun]\nservers = %s\n" QUICK "local-address = 127.0.0.3\n", hp(&srv.addr));
        m = get_udp(pm, RTCPT_SIP);
        CU_ASSERT_STRING_EQUAL(m.internal, "127.0.0.3");
        CHECK_SEEN(m, srv, "127.0.0.3", m.internal_port);
        CU_ASSERT_EQUAL(release_ex(pm, RTCTR_UDP, &m), S_OK);
        release_pm(pm);
    }
    fake_stun_stop(&srv);
}

/* An address this host does not have: FAILED, with the bind error. */
static void test_local_address_missing(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_NORMAL };
    IRTCPortManager3 *pm;
    struct mapping m;
    rtcpm_socket *s = NULL;
    rtcpm_addr nowhere = test_addr("192.0.2.200", 0);

    if (rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &nowhere, NULL) == RTCPM_SOCK_OK)
    {
        rtcpm_socket_close(s);
        rtcpm_test_skip("Wine 8's socket layer: binding 192.0.2.200, an address this host lacks, succeeds");
        return;
    }
    start(&srv, "127.0.0.1", &o);
    pm = pm_ini("[stun]\nservers = %s\n" QUICK "local-address = 192.0.2.200\n", hp(&srv.addr));
    m = get_udp(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.hr, RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_NSTRING_EQUAL(last_error(pm), "cannot bind UDP 192.0.2.200", 27);
    release_pm(pm);
    fake_stun_stop(&srv);
}

/* ---- threads ---- */

/* What a worker saw; the main thread asserts it (CUnit is not thread-safe). */
struct worker_args
{
    IRTCPortManager3 *pm;
    char remote[32];
    int failures;
    int calls;
    char first_failure[200];
};

static void worker_failed(struct worker_args *w, const char *what, const struct mapping *rtp,
                          const struct mapping *rtcp)
{
    if (!w->failures++)
        snprintf(w->first_failure, sizeof(w->first_failure), "%s: RTP 0x%08lx %ld->%ld, RTCP 0x%08lx %ld->%ld%s%s",
                 what, (unsigned long)rtp->hr, (long)rtp->internal_port, (long)rtp->external_port,
                 (unsigned long)rtcp->hr, (long)rtcp->internal_port, (long)rtcp->external_port,
                 rtp->wrong || rtcp->wrong ? ": " : "",
                 rtp->wrong    ? rtp->wrong
                 : rtcp->wrong ? rtcp->wrong
                               : "");
}

static int worker(void *arg)
{
    struct worker_args *w = arg;
    int i;
    for (i = 0; i < 15; i++)
    {
        /* each "call" has its own remote: that pairs its RTCP with its own RTP */
        struct mapping rtp = get_ex_collect(w->pm, w->remote, 5004, RTCTR_UDP, RTCPT_AUDIO_RTP);
        struct mapping rtcp = get_ex_collect(w->pm, w->remote, 5005, RTCTR_UDP, RTCPT_AUDIO_RTCP);
        w->calls += 2;
        if (rtp.hr != S_OK || rtcp.hr != S_OK || rtp.wrong || rtcp.wrong)
            worker_failed(w, "GetMappingEx", &rtp, &rtcp);
        else if (rtp.external_port != rtp.internal_port + 2 || rtcp.external_port != rtcp.internal_port + 2 ||
                 rtp.internal_port % 2 || rtcp.internal_port != rtp.internal_port + 1)
            worker_failed(w, "ports (want even RTP, RTCP = RTP + 1, external = internal + 2)", &rtp, &rtcp);
        if (rtp.hr == S_OK && release_ex(w->pm, RTCTR_UDP, &rtp) != S_OK)
            worker_failed(w, "ReleaseMappingEx(RTP)", &rtp, &rtcp);
        if (rtcp.hr == S_OK && release_ex(w->pm, RTCTR_UDP, &rtcp) != S_OK)
            worker_failed(w, "ReleaseMappingEx(RTCP)", &rtp, &rtcp);
    }
    return 0;
}

static void test_threads(void)
{
    struct fake_stun_server srv;
    struct fake_stun_options o = { .mode = FAKE_STUN_NORMAL, .mapped_port_offset = 2 };
    uint16_t b = test_free_block(16);
    IRTCPortManager3 *pm;
    struct worker_args w[4];
    test_thread *t[4];
    int i;

    pm = pm_with_server(&srv, &o, "rto = 100\n[ports audio-rtp]\nrange = %u-%u\n", b, b + 15);
    memset(w, 0, sizeof(w));
    for (i = 0; i < 4; i++)
    {
        w[i].pm = pm;
        snprintf(w[i].remote, sizeof(w[i].remote), "203.0.113.%d", i + 1);
        CU_ASSERT_EQUAL_FATAL(test_thread_start(&t[i], worker, &w[i]), 0);
    }
    for (i = 0; i < 4; i++)
    {
        test_thread_join(t[i]);
        if (w[i].failures) printf("\n    worker %d: %d failure(s), first: %s\n", i, w[i].failures, w[i].first_failure);
        CU_ASSERT_EQUAL(w[i].failures, 0);
        CU_ASSERT_EQUAL(w[i].calls, 30);
    }
    CU_ASSERT_EQUAL(rtcpm_stun_pm_live_mappings(pm), 0);
    stop_pm_and_server(pm, &srv);
}

static CU_TestInfo tests[] = {
    { "qi_identity_refcount", test_qi_identity_refcount },
    { "foreign_object", test_foreign_object },
    { "config_errors", test_config_errors },
    { "sample_config", test_sample_config },
    { "seen_by_server_v4", test_seen_by_server_v4 },
    { "ipv6:seen_by_server_v6", test_seen_by_server_v6 },
    { "nat_emulation", test_nat_emulation },
    { "invalid_args", test_invalid_args },
    { "ranges_and_pairing", test_ranges_and_pairing },
    { "server_down", test_server_down },
    { "fallback", test_fallback },
    { "loss", test_loss },
    { "wrong_txid", test_wrong_txid },
    { "other_source", test_other_source },
    { "symmetric_two_servers", test_symmetric_two_servers },
    { "symmetric_address", test_symmetric_address },
    { "symmetric_check_server_down", test_symmetric_check_server_down },
    { "symmetric_other_address", test_symmetric_other_address },
    { "warm_up_and_cache", test_warm_up_and_cache },
    { "warm_up_bounded", test_warm_up_bounded },
    { "refresh", test_refresh },
    { "address_change_drops_cache", test_address_change_drops_cache },
    { "tcp", test_tcp },
    { "local_address_route", test_local_address_route },
    { "local_address:configured", test_local_address_configured },
    { "local_address:missing", test_local_address_missing },
    { "threads", test_threads },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("stun_pm", tests, argc, argv); }
