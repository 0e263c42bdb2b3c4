/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — socket layer tests on loopback: binding, local addresses, the error enum,
 * IPV6_V6ONLY, UDP datagrams, TCP streams, timeouts, sockaddr layout, random bytes.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "loopback.h"
#include "os/os_platform.h"
#include "os/socket.h"

#define ASSERT_SOCK(expr, want)                                                                                        \
    do {                                                                                                               \
        int rc_ = (expr);                                                                                              \
        if (rc_ != (want))                                                                                             \
            printf("\n  %s: got %s, want %s\n", #expr, rtcpm_sock_error_name(rc_), rtcpm_sock_error_name(want));       \
        CU_ASSERT_EQUAL(rc_, (want));                                                                                  \
    } while (0)

static void bind_port0_local_addr(const char *host)
{
    for (int type = RTCPM_SOCK_UDP; type <= RTCPM_SOCK_TCP; type++)
    {
        rtcpm_socket *s = NULL;
        rtcpm_addr want = test_addr(host, 0), got;
        ASSERT_SOCK(rtcpm_socket_open(&s, (enum rtcpm_sock_type)type, &want, NULL), RTCPM_SOCK_OK);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        CU_ASSERT_EQUAL((int)rtcpm_socket_type(s), type);
        CU_ASSERT_EQUAL(rtcpm_socket_family(s), want.family);
        ASSERT_SOCK(rtcpm_socket_local_addr(s, &got), RTCPM_SOCK_OK);
        CU_ASSERT_NOT_EQUAL(got.port, 0);
        CU_ASSERT_TRUE(rtcpm_addr_equal_host(&got, &want));
        rtcpm_socket_close(s);
    }
}

static void test_bind_port0_local_addr_v4(void) { bind_port0_local_addr("127.0.0.1"); }
static void test_bind_port0_local_addr_v6(void)
{
    if (test_need_ipv6()) bind_port0_local_addr("::1");
}

static void test_bind_fixed_port_and_in_use(void)
{
    for (int type = RTCPM_SOCK_UDP; type <= RTCPM_SOCK_TCP; type++)
    {
        rtcpm_socket *a = NULL, *b = NULL, *c = NULL;
        rtcpm_addr lo = test_addr("127.0.0.1", 0), got, again;
        int os_error = 0;
        ASSERT_SOCK(rtcpm_socket_open(&a, (enum rtcpm_sock_type)type, &lo, NULL), RTCPM_SOCK_OK);
        ASSERT_SOCK(rtcpm_socket_local_addr(a, &got), RTCPM_SOCK_OK);
        if (type == RTCPM_SOCK_TCP) ASSERT_SOCK(rtcpm_socket_listen(a, 1), RTCPM_SOCK_OK);
        /* the same port again: taken */
        ASSERT_SOCK(rtcpm_socket_open(&b, (enum rtcpm_sock_type)type, &got, &os_error), RTCPM_SOCK_E_ADDR_IN_USE);
        CU_ASSERT_PTR_NULL(b);
        CU_ASSERT_NOT_EQUAL(os_error, 0);
        rtcpm_socket_close(a);
        /* free again after close (UDP: immediately; TCP listener without connections too) */
        ASSERT_SOCK(rtcpm_socket_open(&c, (enum rtcpm_sock_type)type, &got, NULL), RTCPM_SOCK_OK);
        ASSERT_SOCK(rtcpm_socket_local_addr(c, &again), RTCPM_SOCK_OK);
        CU_ASSERT_TRUE(rtcpm_addr_equal(&again, &got));
        rtcpm_socket_close(c);
    }
}

/* With IPV6_V6ONLY, [::]:P and 0.0.0.0:P are different sockets; without it (Linux's
 * default) the second bind fails with EADDRINUSE. */
static void test_v6only(void)
{
    if (!test_need_ipv6()) return;
    rtcpm_socket *v6 = NULL, *v4 = NULL;
    rtcpm_addr any6 = test_addr("::", 0), any4 = test_addr("0.0.0.0", 0), got;
    ASSERT_SOCK(rtcpm_socket_open(&v6, RTCPM_SOCK_UDP, &any6, NULL), RTCPM_SOCK_OK);
    ASSERT_SOCK(rtcpm_socket_local_addr(v6, &got), RTCPM_SOCK_OK);
    any4.port = got.port;
    ASSERT_SOCK(rtcpm_socket_open(&v4, RTCPM_SOCK_UDP, &any4, NULL), RTCPM_SOCK_OK);
    rtcpm_socket_close(v4);
    rtcpm_socket_close(v6);
}

static void udp_round_trip(const char *host)
{
    rtcpm_socket *a = NULL, *b = NULL;
    rtcpm_addr lo = test_addr(host, 0), a_addr, b_addr, from;
    uint8_t buf[64];
    size_t got = 0;
    ASSERT_SOCK(rtcpm_socket_open(&a, RTCPM_SOCK_UDP, &lo, NULL), RTCPM_SOCK_OK);
    ASSERT_SOCK(rtcpm_socket_open(&b, RTCPM_SOCK_UDP, &lo, NULL), RTCPM_SOCK_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    rtcpm_socket_local_addr(a, &a_addr);
    rtcpm_socket_local_addr(b, &b_addr);

    ASSERT_SOCK(rtcpm_socket_sendto(a, "hello", 5, &b_addr), RTCPM_SOCK_OK);
    ASSERT_SOCK(rtcpm_socket_recvfrom(b, buf, sizeof buf, &got, &from, 2000), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL(got, 5);
    CU_ASSERT_EQUAL(memcmp(buf, "hello", 5), 0);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&from, &a_addr));

    /* an empty datagram is a datagram */
    ASSERT_SOCK(rtcpm_socket_sendto(b, "", 0, &a_addr), RTCPM_SOCK_OK);
    ASSERT_SOCK(rtcpm_socket_recvfrom(a, buf, sizeof buf, &got, &from, 2000), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL(got, 0);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&from, &b_addr));

    /* longer than the buffer: truncated, source still known */
    memset(buf, 'x', sizeof buf);
    ASSERT_SOCK(rtcpm_socket_sendto(a, buf, sizeof buf, &b_addr), RTCPM_SOCK_OK);
    ASSERT_SOCK(rtcpm_socket_recvfrom(b, buf, 10, &got, &from, 2000), RTCPM_SOCK_E_TRUNCATED);
    CU_ASSERT_EQUAL(got, 10);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&from, &a_addr));
    /* and the rest of it is gone: nothing more to read */
    ASSERT_SOCK(rtcpm_socket_recvfrom(b, buf, sizeof buf, &got, &from, 0), RTCPM_SOCK_E_TIMEOUT);

    rtcpm_socket_close(a);
    rtcpm_socket_close(b);
}

static void test_udp_round_trip_v4(void) { udp_round_trip("127.0.0.1"); }
static void test_udp_round_trip_v6(void)
{
    if (test_need_ipv6()) udp_round_trip("::1");
}

static void test_udp_family_mismatch(void)
{
    rtcpm_socket *s = NULL;
    rtcpm_addr lo = test_addr("127.0.0.1", 0), v6 = test_addr("::1", 9), none;
    uint8_t buf[4];
    memset(&none, 0, sizeof none);
    ASSERT_SOCK(rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &lo, NULL), RTCPM_SOCK_OK);
    ASSERT_SOCK(rtcpm_socket_sendto(s, "x", 1, &v6), RTCPM_SOCK_E_INVALID_ARG);
    ASSERT_SOCK(rtcpm_socket_sendto(s, "x", 1, &none), RTCPM_SOCK_E_INVALID_ARG);
    ASSERT_SOCK(rtcpm_socket_sendto(s, "x", 1, NULL), RTCPM_SOCK_E_INVALID_ARG);
    /* TCP calls on a UDP socket */
    ASSERT_SOCK(rtcpm_socket_connect(s, &lo, 10), RTCPM_SOCK_E_INVALID_ARG);
    ASSERT_SOCK(rtcpm_socket_recv_exact(s, buf, 1, 10), RTCPM_SOCK_E_INVALID_ARG);
    rtcpm_socket_close(s);
    ASSERT_SOCK(rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &none, NULL), RTCPM_SOCK_E_INVALID_ARG);
    CU_ASSERT_PTR_NULL(s);
    ASSERT_SOCK(rtcpm_socket_open(&s, (enum rtcpm_sock_type)3, &lo, NULL), RTCPM_SOCK_E_INVALID_ARG);
}

static void test_recv_timeout(void)
{
    rtcpm_socket *s = NULL;
    rtcpm_addr lo = test_addr("127.0.0.1", 0), from;
    uint8_t buf[16];
    size_t got = 99;
    ASSERT_SOCK(rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &lo, NULL), RTCPM_SOCK_OK);

    uint64_t t0 = rtcpm_clock_ms();
    ASSERT_SOCK(rtcpm_socket_recvfrom(s, buf, sizeof buf, &got, &from, 150), RTCPM_SOCK_E_TIMEOUT);
    uint64_t waited = rtcpm_clock_ms() - t0;
    CU_ASSERT_EQUAL(got, 0);
    CU_ASSERT_TRUE(waited >= 150);
    CU_ASSERT_TRUE(waited <= 150 + 300);

    t0 = rtcpm_clock_ms();
    ASSERT_SOCK(rtcpm_socket_recvfrom(s, buf, sizeof buf, &got, &from, 0), RTCPM_SOCK_E_TIMEOUT);
    CU_ASSERT_TRUE(rtcpm_clock_ms() - t0 <= 100);
    rtcpm_socket_close(s);
}

static void tcp_stream(const char *host)
{
    rtcpm_socket *l = NULL, *c = NULL, *srv = NULL;
    rtcpm_addr lo = test_addr(host, 0), l_addr, c_addr, peer;
    uint8_t big[100000], back[100000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 7 + 3);

    ASSERT_SOCK(rtcpm_socket_open(&l, RTCPM_SOCK_TCP, &lo, NULL), RTCPM_SOCK_OK);
    ASSERT_SOCK(rtcpm_socket_listen(l, 1), RTCPM_SOCK_OK);
    rtcpm_socket_local_addr(l, &l_addr);
    ASSERT_SOCK(rtcpm_socket_open(&c, RTCPM_SOCK_TCP, &lo, NULL), RTCPM_SOCK_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    ASSERT_SOCK(rtcpm_socket_connect(c, &l_addr, 2000), RTCPM_SOCK_OK);
    rtcpm_socket_local_addr(c, &c_addr);
    ASSERT_SOCK(rtcpm_socket_accept(l, &srv, &peer, 2000), RTCPM_SOCK_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(srv);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&peer, &c_addr));

    /* nothing sent yet: a read times out */
    uint64_t t0 = rtcpm_clock_ms();
    ASSERT_SOCK(rtcpm_socket_recv_exact(srv, back, 1, 100), RTCPM_SOCK_E_TIMEOUT);
    CU_ASSERT_TRUE(rtcpm_clock_ms() - t0 >= 100);

    /* more than one socket buffer's worth needs the send/recv loops; client sends half,
     * server reads it, then the rest */
    ASSERT_SOCK(rtcpm_socket_send_all(c, big, 50000, 2000), RTCPM_SOCK_OK);
    ASSERT_SOCK(rtcpm_socket_recv_exact(srv, back, 50000, 2000), RTCPM_SOCK_OK);
    ASSERT_SOCK(rtcpm_socket_send_all(c, big + 50000, sizeof big - 50000, 2000), RTCPM_SOCK_OK);
    ASSERT_SOCK(rtcpm_socket_recv_exact(srv, back + 50000, sizeof big - 50000, 2000), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL(memcmp(big, back, sizeof big), 0);

    /* peer closes: a read wanting more is CLOSED */
    ASSERT_SOCK(rtcpm_socket_send_all(c, "ab", 2, 2000), RTCPM_SOCK_OK);
    rtcpm_socket_close(c);
    ASSERT_SOCK(rtcpm_socket_recv_exact(srv, back, 3, 2000), RTCPM_SOCK_E_CLOSED);

    rtcpm_socket_close(srv);
    rtcpm_socket_close(l);
}

static void test_tcp_stream_v4(void) { tcp_stream("127.0.0.1"); }
static void test_tcp_stream_v6(void)
{
    if (test_need_ipv6()) tcp_stream("::1");
}

static void test_tcp_refused(void)
{
    rtcpm_socket *l = NULL, *c = NULL;
    rtcpm_addr lo = test_addr("127.0.0.1", 0), closed_port;
    char text[160];
    /* a port that was just free: bind, read it, close */
    ASSERT_SOCK(rtcpm_socket_open(&l, RTCPM_SOCK_TCP, &lo, NULL), RTCPM_SOCK_OK);
    rtcpm_socket_local_addr(l, &closed_port);
    rtcpm_socket_close(l);

    ASSERT_SOCK(rtcpm_socket_open(&c, RTCPM_SOCK_TCP, &lo, NULL), RTCPM_SOCK_OK);
    uint64_t t0 = rtcpm_clock_ms();
    ASSERT_SOCK(rtcpm_socket_connect(c, &closed_port, 3000), RTCPM_SOCK_E_REFUSED);
    CU_ASSERT_TRUE(rtcpm_clock_ms() - t0 < 2500); /* an answer, not the timeout */
    CU_ASSERT_NOT_EQUAL(rtcpm_socket_os_error(c), 0);
    rtcpm_os_error_text(rtcpm_socket_os_error(c), text, sizeof text);
    CU_ASSERT_NOT_EQUAL(text[0], '\0');
    rtcpm_socket_close(c);
}

static void test_sockaddr_layout(void)
{
    rtcpm_sockaddr sa;
    rtcpm_addr a = test_addr("192.0.2.33", 0x1234), back;
    ASSERT_SOCK(rtcpm_addr_to_sockaddr(&a, &sa), RTCPM_SOCK_OK);
    /* sockaddr_in is laid out alike on Linux and Windows: family(2) port(2, BE) addr(4) */
    CU_ASSERT_EQUAL(sa.len, 16);
    CU_ASSERT_EQUAL(sa.u.bytes[2], 0x12);
    CU_ASSERT_EQUAL(sa.u.bytes[3], 0x34);
    CU_ASSERT_EQUAL(memcmp(sa.u.bytes + 4, a.bytes, 4), 0);
    ASSERT_SOCK(rtcpm_addr_from_sockaddr(&sa, &back), RTCPM_SOCK_OK);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&a, &back));

    /* sockaddr_in6: family(2) port(2) flowinfo(4) addr(16) scope_id(4, host order) */
    rtcpm_addr b = test_addr("fe80::1:2%7", 5060);
    ASSERT_SOCK(rtcpm_addr_to_sockaddr(&b, &sa), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL(sa.len, 28);
    CU_ASSERT_EQUAL(sa.u.bytes[2], 5060 >> 8);
    CU_ASSERT_EQUAL(sa.u.bytes[3], 5060 & 0xff);
    CU_ASSERT_EQUAL(memcmp(sa.u.bytes + 8, b.bytes, 16), 0);
    uint32_t scope;
    memcpy(&scope, sa.u.bytes + 24, 4);
    CU_ASSERT_EQUAL(scope, 7);
    ASSERT_SOCK(rtcpm_addr_from_sockaddr(&sa, &back), RTCPM_SOCK_OK);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&b, &back));

    /* a named zone is only a hash: no interface index to give the OS */
    rtcpm_addr named = test_addr("fe80::1%eth0", 1);
    ASSERT_SOCK(rtcpm_addr_to_sockaddr(&named, &sa), RTCPM_SOCK_E_INVALID_ARG);
    rtcpm_addr none;
    memset(&none, 0, sizeof none);
    ASSERT_SOCK(rtcpm_addr_to_sockaddr(&none, &sa), RTCPM_SOCK_E_INVALID_ARG);
    memset(&sa, 0, sizeof sa);
    ASSERT_SOCK(rtcpm_addr_from_sockaddr(&sa, &back), RTCPM_SOCK_E_INVALID_ARG);
    CU_ASSERT_EQUAL(back.family, RTCPM_AF_NONE);
}

static void test_refcount_follows_sockets(void)
{
    long base = rtcpm_net_refcount();
    rtcpm_socket *a = NULL, *b = NULL;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    ASSERT_SOCK(rtcpm_net_init(NULL), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL(rtcpm_net_refcount(), base + 1);
    ASSERT_SOCK(rtcpm_socket_open(&a, RTCPM_SOCK_UDP, &lo, NULL), RTCPM_SOCK_OK);
    ASSERT_SOCK(rtcpm_socket_open(&b, RTCPM_SOCK_TCP, &lo, NULL), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL(rtcpm_net_refcount(), base + 3);
    rtcpm_socket_close(a);
    rtcpm_socket_close(b);
    rtcpm_net_cleanup();
    CU_ASSERT_EQUAL(rtcpm_net_refcount(), base);
    /* a failed open (port taken) leaves no reference behind */
    rtcpm_addr taken;
    ASSERT_SOCK(rtcpm_socket_open(&a, RTCPM_SOCK_UDP, &lo, NULL), RTCPM_SOCK_OK);
    rtcpm_socket_local_addr(a, &taken);
    ASSERT_SOCK(rtcpm_socket_open(&b, RTCPM_SOCK_UDP, &taken, NULL), RTCPM_SOCK_E_ADDR_IN_USE);
    CU_ASSERT_EQUAL(rtcpm_net_refcount(), base + 1);
    rtcpm_socket_close(a);
    CU_ASSERT_EQUAL(rtcpm_net_refcount(), base);
}

static void test_random_and_clock(void)
{
    uint8_t a[16], b[16], zero[16] = { 0 };
    CU_ASSERT_EQUAL(rtcpm_random_bytes(a, sizeof a), 0);
    CU_ASSERT_EQUAL(rtcpm_random_bytes(b, sizeof b), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(a, b, sizeof a), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(a, zero, sizeof a), 0);
    uint64_t t1 = rtcpm_clock_us(), t2 = rtcpm_clock_us();
    CU_ASSERT_TRUE(t2 >= t1);
    CU_ASSERT_TRUE(rtcpm_clock_ms() >= t1 / 1000);
}

static void test_error_names(void)
{
    CU_ASSERT_STRING_EQUAL(rtcpm_sock_error_name(RTCPM_SOCK_E_ADDR_IN_USE), "RTCPM_SOCK_E_ADDR_IN_USE");
    CU_ASSERT_STRING_EQUAL(rtcpm_sock_error_name(-99), "RTCPM_SOCK_E_?");
}

static CU_TestInfo tests[] = {
    { "bind_port0_local_addr_v4", test_bind_port0_local_addr_v4 },
    { "ipv6:bind_port0_local_addr_v6", test_bind_port0_local_addr_v6 },
    { "bind_fixed_port_and_in_use", test_bind_fixed_port_and_in_use },
    { "ipv6:v6only", test_v6only },
    { "udp_round_trip_v4", test_udp_round_trip_v4 },
    { "ipv6:udp_round_trip_v6", test_udp_round_trip_v6 },
    { "udp_family_mismatch", test_udp_family_mismatch },
    { "recv_timeout", test_recv_timeout },
    { "tcp_stream_v4", test_tcp_stream_v4 },
    { "ipv6:tcp_stream_v6", test_tcp_stream_v6 },
    { "tcp_refused", test_tcp_refused },
    { "sockaddr_layout", test_sockaddr_layout },
    { "refcount_follows_sockets", test_refcount_follows_sockets },
    { "random_and_clock", test_random_and_clock },
    { "error_names", test_error_names },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("socket", tests, argc, argv); }
