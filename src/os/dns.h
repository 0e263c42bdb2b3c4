/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dns.h — names to addresses through the system's resolver: host names (getaddrinfo) and SRV
 * records (RFC 2782). The only OS-specific part of name resolution: natively res_query +
 * ns_parse (glibc's libresolv), on Windows DnsQuery_A (dnsapi; Wine 8 implements it). Both
 * read the system's resolver configuration (/etc/resolv.conf; Windows' adapters), so a test
 * points them at its own DNS server, never at the machine's.
 *
 * Blocking calls (the resolver's own timeouts apply): call them from a worker thread, not
 * from an apartment's message loop. Thread-safe. General on purpose: SIP (RFC 3263) uses it
 * through src/sip/sip_resolve.h, STUN servers by name will too.
 */
#ifndef RTCPM_SRC_OS_DNS_H
#define RTCPM_SRC_OS_DNS_H

#include <stddef.h>
#include <stdint.h>
#include "net/addr.h"

enum rtcpm_dns_error
{
    RTCPM_DNS_OK = 0,
    RTCPM_DNS_E_INVALID = -1,   /* NULL, empty name, name longer than 253, a bad character */
    RTCPM_DNS_E_NOT_FOUND = -2, /* the name does not exist / has no record of that type */
    RTCPM_DNS_E_FAILED = -3,    /* the resolver failed (no server answered, SERVFAIL, ...) */
    RTCPM_DNS_E_NOMEM = -4
};

/* Which families rtcpm_dns_resolve_host returns. */
enum rtcpm_dns_family
{
    RTCPM_DNS_ANY = 0, /* both, in the order the resolver gives them */
    RTCPM_DNS_V4 = 4,
    RTCPM_DNS_V6 = 6
};

/*
 * The addresses of host (a name, or an IP literal, which is returned as is), each with port
 * `port`, deduplicated, in the resolver's order, at most cap of them: *count = how many were
 * stored. RTCPM_DNS_OK (count >= 1), or a negative rtcpm_dns_error (count 0).
 */
int rtcpm_dns_resolve_host(const char *host, enum rtcpm_dns_family family, uint16_t port, rtcpm_addr *out, size_t cap,
                           size_t *count);

/* One SRV record. */
struct rtcpm_dns_srv
{
    char target[256]; /* host name, without the final dot */
    uint16_t port;
    uint16_t priority;
    uint16_t weight;
};

/*
 * The SRV records of name ("_sip._udp.example.com"), ordered as RFC 2782 says: ascending
 * priority; within one priority a weighted random order (weight 0 records first, then
 * running-sum selection with the OS's random source). A single "." target (service not
 * offered) gives RTCPM_DNS_E_NOT_FOUND. At most cap records; *count how many.
 */
int rtcpm_dns_srv(const char *name, struct rtcpm_dns_srv *out, size_t cap, size_t *count);

/* Orders n records in place as above (exposed for tests; rtcpm_dns_srv calls it).
 * random: a function returning a uniform value in [0, bound) — NULL = the OS source. */
void rtcpm_dns_srv_order(struct rtcpm_dns_srv *recs, size_t n, uint32_t (*random)(void *ctx, uint32_t bound),
                         void *ctx);

/* "RTCPM_DNS_E_NOT_FOUND" etc. */
const char *rtcpm_dns_error_name(int err);

#endif /* RTCPM_SRC_OS_DNS_H */
