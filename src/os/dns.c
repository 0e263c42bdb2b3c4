/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dns.c — host names (getaddrinfo) and SRV records (res_query + ns_parse natively,
 * DnsQuery_A on Windows) through the system resolver. See dns.h. Like socket.c, allowed to
 * know Windows from POSIX.
 */
#include "dns.h"

#include <stdlib.h>
#include <string.h>

#include "os/os_platform.h"
#include "socket.h"

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <windns.h>
#else
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <sys/socket.h>
#endif

const char *rtcpm_dns_error_name(int err)
{
    switch (err)
    {
    case RTCPM_DNS_OK: return "RTCPM_DNS_OK";
    case RTCPM_DNS_E_INVALID: return "RTCPM_DNS_E_INVALID";
    case RTCPM_DNS_E_NOT_FOUND: return "RTCPM_DNS_E_NOT_FOUND";
    case RTCPM_DNS_E_FAILED: return "RTCPM_DNS_E_FAILED";
    case RTCPM_DNS_E_NOMEM: return "RTCPM_DNS_E_NOMEM";
    }
    return "RTCPM_DNS_E_?";
}

/* Letters, digits, '-', '_' (SRV owner names), dots between non-empty labels. */
static int valid_name(const char *name)
{
    size_t len = name ? strlen(name) : 0, label = 0, i;
    if (len && name[len - 1] == '.') len--;
    if (!len || len > 253) return 0;
    for (i = 0; i < len; i++)
    {
        char c = name[i];
        if (c == '.')
        {
            if (!label) return 0;
            label = 0;
        }
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
        {
            if (++label > 63) return 0;
        }
        else
            return 0;
    }
    return label > 0;
}

/* ---- host names ---- */

static int add_unique(rtcpm_addr *out, size_t cap, size_t *count, const rtcpm_addr *a)
{
    size_t i;
    for (i = 0; i < *count; i++)
        if (rtcpm_addr_equal(&out[i], a)) return 0;
    if (*count < cap) out[(*count)++] = *a;
    return 0;
}

int rtcpm_dns_resolve_host(const char *host, enum rtcpm_dns_family family, uint16_t port, rtcpm_addr *out, size_t cap,
                           size_t *count)
{
    struct addrinfo hints, *res = NULL, *ai;
    rtcpm_addr a;
    int rc;

    if (count) *count = 0;
    if (!host || !out || !cap || !count) return RTCPM_DNS_E_INVALID;
    if (rtcpm_addr_parse(host, strlen(host), &a) == RTCPM_ADDR_OK)
    {
        if ((family == RTCPM_DNS_V4 && a.family != RTCPM_AF_INET) ||
            (family == RTCPM_DNS_V6 && a.family != RTCPM_AF_INET6))
            return RTCPM_DNS_E_NOT_FOUND;
        a.port = port;
        out[(*count)++] = a;
        return RTCPM_DNS_OK;
    }
    if (!valid_name(host)) return RTCPM_DNS_E_INVALID;
    if (rtcpm_net_init(NULL) != RTCPM_SOCK_OK) return RTCPM_DNS_E_FAILED; /* WSAStartup before getaddrinfo */
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = family == RTCPM_DNS_V4 ? AF_INET : family == RTCPM_DNS_V6 ? AF_INET6 : AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM; /* one entry per address, not one per socket type */
    rc = getaddrinfo(host, NULL, &hints, &res);
    if (rc == 0)
    {
        for (ai = res; ai; ai = ai->ai_next)
        {
            rtcpm_sockaddr sa;
            if (ai->ai_addrlen > sizeof(sa.u.bytes)) continue;
            memset(&sa, 0, sizeof(sa));
            memcpy(sa.u.bytes, ai->ai_addr, ai->ai_addrlen);
            sa.len = (int)ai->ai_addrlen;
            if (rtcpm_addr_from_sockaddr(&sa, &a) != RTCPM_SOCK_OK) continue;
            a.port = port;
            add_unique(out, cap, count, &a);
        }
        freeaddrinfo(res);
    }
    rtcpm_net_cleanup();
    if (rc == 0) return *count ? RTCPM_DNS_OK : RTCPM_DNS_E_NOT_FOUND;
#ifdef EAI_NODATA
    if (rc == EAI_NODATA) return RTCPM_DNS_E_NOT_FOUND;
#endif
    if (rc == EAI_NONAME) return RTCPM_DNS_E_NOT_FOUND;
    return rc == EAI_MEMORY ? RTCPM_DNS_E_NOMEM : RTCPM_DNS_E_FAILED;
}

/* ---- SRV: ordering (RFC 2782) ---- */

static uint32_t os_random(void *ctx, uint32_t bound)
{
    uint32_t v = 0;
    (void)ctx;
    if (!bound) return 0;
    rtcpm_random_bytes(&v, sizeof(v));
    return v % bound;
}

/* a goes before b: lower priority first, weight 0 first within a priority (RFC 2782's
 * selection list starts with them). */
static int before(const struct rtcpm_dns_srv *a, const struct rtcpm_dns_srv *b)
{
    if (a->priority != b->priority) return a->priority < b->priority;
    return a->weight == 0 && b->weight != 0;
}

/* Stable (insertion) sort: records the resolver gave in one order stay in it otherwise. */
static void sort_records(struct rtcpm_dns_srv *recs, size_t n)
{
    size_t i, j;
    for (i = 1; i < n; i++)
    {
        struct rtcpm_dns_srv r = recs[i];
        for (j = i; j > 0 && before(&r, &recs[j - 1]); j--) recs[j] = recs[j - 1];
        recs[j] = r;
    }
}

/* Weighted selection within recs[0..n), all of one priority. */
static void order_group(struct rtcpm_dns_srv *recs, size_t n, uint32_t (*random)(void *, uint32_t), void *ctx)
{
    size_t done;
    for (done = 0; done + 1 < n; done++)
    {
        uint32_t total = 0, pick, sum = 0;
        size_t i;
        for (i = done; i < n; i++) total += recs[i].weight;
        pick = random(ctx, total + 1); /* uniform in [0, total] */
        for (i = done; i < n; i++)
        {
            sum += recs[i].weight;
            if (sum >= pick) break;
        }
        if (i == n) i = n - 1;
        {
            struct rtcpm_dns_srv chosen = recs[i];
            memmove(&recs[done + 1], &recs[done], (i - done) * sizeof(*recs));
            recs[done] = chosen;
        }
    }
}

void rtcpm_dns_srv_order(struct rtcpm_dns_srv *recs, size_t n, uint32_t (*random)(void *ctx, uint32_t bound), void *ctx)
{
    size_t start = 0;
    if (!recs || n < 2) return;
    if (!random) random = os_random;
    sort_records(recs, n);
    while (start < n)
    {
        size_t end = start;
        while (end < n && recs[end].priority == recs[start].priority) end++;
        order_group(recs + start, end - start, random, ctx);
        start = end;
    }
}

/* ---- SRV: the query ---- */

static void store_target(struct rtcpm_dns_srv *r, const char *name)
{
    size_t n = strlen(name);
    if (n && name[n - 1] == '.') n--;
    if (n >= sizeof(r->target)) n = sizeof(r->target) - 1;
    memcpy(r->target, name, n);
    r->target[n] = 0;
}

#ifdef _WIN32

static int query_srv(const char *name, struct rtcpm_dns_srv *out, size_t cap, size_t *count)
{
    PDNS_RECORD list = NULL, r;
    DNS_STATUS st = DnsQuery_A(name, DNS_TYPE_SRV, DNS_QUERY_STANDARD, NULL, &list, NULL);
    if (st == DNS_ERROR_RCODE_NAME_ERROR || st == DNS_INFO_NO_RECORDS) return RTCPM_DNS_E_NOT_FOUND;
    if (st != 0) return RTCPM_DNS_E_FAILED;
    for (r = list; r && *count < cap; r = r->pNext)
    {
        if (r->wType != DNS_TYPE_SRV || r->Flags.S.Section != DnsSectionAnswer || !r->Data.SRV.pNameTarget) continue;
        store_target(&out[*count], r->Data.SRV.pNameTarget);
        out[*count].port = r->Data.SRV.wPort;
        out[*count].priority = r->Data.SRV.wPriority;
        out[*count].weight = r->Data.SRV.wWeight;
        (*count)++;
    }
    DnsRecordListFree(list, DnsFreeRecordList);
    return RTCPM_DNS_OK;
}

#else

static int query_srv(const char *name, struct rtcpm_dns_srv *out, size_t cap, size_t *count)
{
    unsigned char answer[4096];
    ns_msg msg;
    int len, i, n;

    len = res_query(name, ns_c_in, ns_t_srv, answer, sizeof(answer));
    if (len < 0) return h_errno == HOST_NOT_FOUND || h_errno == NO_DATA ? RTCPM_DNS_E_NOT_FOUND : RTCPM_DNS_E_FAILED;
    if (ns_initparse(answer, len, &msg) < 0) return RTCPM_DNS_E_FAILED;
    n = ns_msg_count(msg, ns_s_an);
    for (i = 0; i < n && *count < cap; i++)
    {
        ns_rr rr;
        char target[NS_MAXDNAME];
        const unsigned char *rd;
        if (ns_parserr(&msg, ns_s_an, i, &rr) < 0) return RTCPM_DNS_E_FAILED;
        if (ns_rr_type(rr) != ns_t_srv || ns_rr_rdlen(rr) < 7) continue;
        rd = ns_rr_rdata(rr);
        if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 6, target, sizeof(target)) < 0) continue;
        store_target(&out[*count], target);
        out[*count].priority = (uint16_t)(rd[0] << 8 | rd[1]);
        out[*count].weight = (uint16_t)(rd[2] << 8 | rd[3]);
        out[*count].port = (uint16_t)(rd[4] << 8 | rd[5]);
        (*count)++;
    }
    return RTCPM_DNS_OK;
}

#endif

int rtcpm_dns_srv(const char *name, struct rtcpm_dns_srv *out, size_t cap, size_t *count)
{
    int rc;
    if (count) *count = 0;
    if (!name || !out || !cap || !count) return RTCPM_DNS_E_INVALID;
    if (!valid_name(name)) return RTCPM_DNS_E_INVALID;
    if ((rc = query_srv(name, out, cap, count))) return rc;
    /* RFC 2782: a single record with target "." means "decidedly not available" */
    if (!*count || (*count == 1 && !out[0].target[0]))
    {
        *count = 0;
        return RTCPM_DNS_E_NOT_FOUND;
    }
    rtcpm_dns_srv_order(out, *count, NULL, NULL);
    return RTCPM_DNS_OK;
}
