/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_dns.c — the resolver's parts that need no DNS server: IP literals pass through,
 * bad names are refused before any query, RFC 2782's SRV order (priority, then weighted
 * random with weight 0 first) with a scripted random source, and RFC 3263 for literals.
 * The real lookups run against dnsmasq in tests/dns/dns_check.sh.
 */
#include "harness.h"

#include <string.h>

#include "os/dns.h"
#include "sip/sip_resolve.h"

static void test_literals(void)
{
    rtcpm_addr a[4];
    size_t n = 99;
    char text[64];
    CU_ASSERT_EQUAL(rtcpm_dns_resolve_host("198.18.0.7", RTCPM_DNS_ANY, 5060, a, 4, &n), RTCPM_DNS_OK);
    CU_ASSERT_EQUAL(n, 1);
    rtcpm_addr_format_hostport(&a[0], text, sizeof(text));
    CU_ASSERT_STRING_EQUAL(text, "198.18.0.7:5060");
    CU_ASSERT_EQUAL(rtcpm_dns_resolve_host("2001:db8::1", RTCPM_DNS_V4, 1, a, 4, &n), RTCPM_DNS_E_NOT_FOUND);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(rtcpm_dns_resolve_host("2001:db8::1", RTCPM_DNS_V6, 1, a, 4, &n), RTCPM_DNS_OK);
    CU_ASSERT_EQUAL(rtcpm_dns_resolve_host("a..b", RTCPM_DNS_ANY, 1, a, 4, &n), RTCPM_DNS_E_INVALID);
    CU_ASSERT_EQUAL(rtcpm_dns_resolve_host("a b", RTCPM_DNS_ANY, 1, a, 4, &n), RTCPM_DNS_E_INVALID);
    CU_ASSERT_EQUAL(rtcpm_dns_resolve_host("", RTCPM_DNS_ANY, 1, a, 4, &n), RTCPM_DNS_E_INVALID);
    CU_ASSERT_EQUAL(rtcpm_dns_resolve_host(NULL, RTCPM_DNS_ANY, 1, a, 4, &n), RTCPM_DNS_E_INVALID);
    CU_ASSERT_EQUAL(rtcpm_dns_srv("_sip._udp.exa mple", NULL, 4, &n), RTCPM_DNS_E_INVALID);
    CU_ASSERT_STRING_EQUAL(rtcpm_dns_error_name(RTCPM_DNS_E_FAILED), "RTCPM_DNS_E_FAILED");
}

/* A scripted "random" source: returns the values in order. */
struct script
{
    const uint32_t *v;
    size_t i;
    uint32_t bounds[16];
};

static uint32_t scripted(void *ctx, uint32_t bound)
{
    struct script *s = ctx;
    s->bounds[s->i] = bound;
    return s->v[s->i++] % bound;
}

static void set(struct rtcpm_dns_srv *r, const char *t, uint16_t pri, uint16_t w)
{
    memset(r, 0, sizeof(*r));
    strcpy(r->target, t);
    r->priority = pri;
    r->weight = w;
}

static void test_srv_order(void)
{
    struct rtcpm_dns_srv r[5];
    static const uint32_t picks[] = { 45, 0, 0, 0 };
    struct script s = { picks, 0, { 0 } };
    set(&r[0], "c", 10, 40);
    set(&r[1], "late", 20, 5);
    set(&r[2], "a", 10, 0);
    set(&r[3], "b", 10, 60);
    set(&r[4], "first", 5, 7);
    rtcpm_dns_srv_order(r, 5, scripted, &s);
    /* priority 5, then priority 10: running sums a 0, c 40, b 100 (weight 0 first, the
     * others in the order given); pick 45 -> b; then sums a 0, c 40 with pick 0 -> a; then c;
     * then priority 20 */
    CU_ASSERT_STRING_EQUAL(r[0].target, "first");
    CU_ASSERT_STRING_EQUAL(r[1].target, "b");
    CU_ASSERT_STRING_EQUAL(r[2].target, "a");
    CU_ASSERT_STRING_EQUAL(r[3].target, "c");
    CU_ASSERT_STRING_EQUAL(r[4].target, "late");
    CU_ASSERT_EQUAL(s.bounds[0], 101); /* uniform in [0, total weight] */
    CU_ASSERT_EQUAL(s.bounds[1], 41);
    /* the OS source: the same set, every order keeps the priorities ascending */
    rtcpm_dns_srv_order(r, 5, NULL, NULL);
    CU_ASSERT_STRING_EQUAL(r[0].target, "first");
    CU_ASSERT_STRING_EQUAL(r[4].target, "late");
    CU_ASSERT_EQUAL(r[1].priority, 10);
}

static void test_sip_resolve_literals(void)
{
    rtcpm_addr a[4];
    size_t n;
    char text[64];
    CU_ASSERT_EQUAL(rtcpm_sip_resolve("198.18.0.1", RTCTR_UDP, a, 4, &n), S_OK);
    rtcpm_addr_format_hostport(&a[0], text, sizeof(text));
    CU_ASSERT_STRING_EQUAL(text, "198.18.0.1:5060");
    CU_ASSERT_EQUAL(rtcpm_sip_resolve("[2001:db8::1]", RTCTR_TLS, a, 4, &n), S_OK);
    rtcpm_addr_format_hostport(&a[0], text, sizeof(text));
    CU_ASSERT_STRING_EQUAL(text, "[2001:db8::1]:5061");
    CU_ASSERT_EQUAL(rtcpm_sip_resolve("198.18.0.1:5070", RTCTR_TCP, a, 4, &n), S_OK);
    CU_ASSERT_EQUAL(a[0].port, 5070);
    CU_ASSERT_EQUAL(rtcpm_sip_resolve("host:0", RTCTR_UDP, a, 4, &n), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_resolve("", RTCTR_UDP, a, 4, &n), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_resolve("198.18.0.1", 3, a, 4, &n), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_resolve(NULL, RTCTR_UDP, a, 4, &n), E_POINTER);
}

static CU_TestInfo tests[] = {
    { "literals", test_literals },
    { "srv_order", test_srv_order },
    { "sip_resolve_literals", test_sip_resolve_literals },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("dns", tests, argc, argv); }
