/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * route.c — the default gateway from the OS routing table; see route.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/route.h"
#include "os/socket.h"

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <netioapi.h>
#else
#include <errno.h>
#include <net/if.h>
#endif

/* One line of at most cap - 1 bytes from text[*pos...len), NUL-terminated; 0 at the end. */
static int next_line(const char *text, size_t len, size_t *pos, char *line, size_t cap)
{
    size_t n = 0;
    if (*pos >= len) return 0;
    while (*pos < len && text[*pos] != '\n')
    {
        if (n + 1 < cap) line[n++] = text[*pos];
        (*pos)++;
    }
    if (*pos < len) (*pos)++;
    line[n] = 0;
    return 1;
}

static int hex_bytes(const char *s, uint8_t *out, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
    {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1) return -1;
        out[i] = (uint8_t)v;
    }
    return 0;
}

int rtcpm_route_parse_proc_ipv4(const char *text, size_t len, rtcpm_addr *out)
{
    char line[512], iface[64];
    size_t pos = 0;
    unsigned long best_metric = (unsigned long)-1;
    int found = -1;
    memset(out, 0, sizeof(*out));
    while (next_line(text, len, &pos, line, sizeof(line)))
    {
        unsigned dest, gw, flags, refcnt, use, metric, mask;
        uint8_t b[4];
        if (sscanf(line, "%63s %x %x %x %u %u %u %x", iface, &dest, &gw, &flags, &refcnt, &use, &metric, &mask) != 8)
            continue; /* the header, or junk */
        /* RTF_UP 0x1, RTF_GATEWAY 0x2 */
        if (dest || mask || !gw || (flags & 3u) != 3u || metric >= best_metric) continue;
        b[0] = (uint8_t)gw;
        b[1] = (uint8_t)(gw >> 8);
        b[2] = (uint8_t)(gw >> 16);
        b[3] = (uint8_t)(gw >> 24);
        rtcpm_addr_set_v4(out, b, 0);
        best_metric = metric;
        found = 0;
    }
    return found;
}

int rtcpm_route_parse_proc_ipv6(const char *text, size_t len, unsigned (*if_index)(const char *name), rtcpm_addr *out)
{
    char line[512], dest[40], src[40], hop[40], iface[64];
    size_t pos = 0;
    unsigned long best_metric = (unsigned long)-1;
    int found = -1;
    memset(out, 0, sizeof(*out));
    while (next_line(text, len, &pos, line, sizeof(line)))
    {
        unsigned dplen, splen, metric, refcnt, use, flags;
        uint8_t d[16], h[16], zero[16] = { 0 };
        if (sscanf(line, "%32s %x %32s %x %32s %x %x %x %x %63s", dest, &dplen, src, &splen, hop, &metric, &refcnt,
                   &use, &flags, iface) != 10 ||
            strlen(dest) != 32 || strlen(hop) != 32 || hex_bytes(dest, d, 16) || hex_bytes(hop, h, 16))
            continue;
        if (dplen || memcmp(d, zero, 16) || !memcmp(h, zero, 16) || (flags & 3u) != 3u || metric >= best_metric)
            continue;
        rtcpm_addr_set_v6(out, h, 0, 0);
        if (h[0] == 0xfe && (h[1] & 0xc0) == 0x80 && if_index) out->scope_id = if_index(iface);
        best_metric = metric;
        found = 0;
    }
    return found;
}

#ifdef _WIN32

int rtcpm_route_default_gateway(int family, rtcpm_addr *out, int *os_error)
{
    MIB_IPFORWARD_TABLE2 *table = NULL;
    ULONG i, best = (ULONG)-1;
    DWORD rc;
    int dummy, result = RTCPM_SOCK_E_UNREACHABLE;
    if (!os_error) os_error = &dummy;
    *os_error = 0;
    if (out) memset(out, 0, sizeof(*out));
    if (!out || (family != RTCPM_AF_INET && family != RTCPM_AF_INET6)) return RTCPM_SOCK_E_INVALID_ARG;
    rc = GetIpForwardTable2(family == RTCPM_AF_INET ? AF_INET : AF_INET6, &table);
    if (rc != NO_ERROR)
    {
        *os_error = (int)rc;
        return RTCPM_SOCK_E_OTHER;
    }
    for (i = 0; i < table->NumEntries; i++)
    {
        const MIB_IPFORWARD_ROW2 *r = &table->Table[i];
        rtcpm_sockaddr sa;
        rtcpm_addr hop;
        if (r->DestinationPrefix.PrefixLength != 0 || r->Metric >= best) continue;
        memset(&sa, 0, sizeof(sa));
        sa.len = family == RTCPM_AF_INET ? (int)sizeof(SOCKADDR_IN) : (int)sizeof(SOCKADDR_IN6);
        memcpy(sa.u.bytes, &r->NextHop, (size_t)sa.len);
        if (rtcpm_addr_from_sockaddr(&sa, &hop) != RTCPM_SOCK_OK) continue;
        {
            static const uint8_t zero[16];
            if (!memcmp(hop.bytes, zero, family == RTCPM_AF_INET ? 4 : 16)) continue; /* on-link, no gateway */
        }
        hop.port = 0;
        if (family == RTCPM_AF_INET6 && hop.bytes[0] == 0xfe && (hop.bytes[1] & 0xc0) == 0x80 && !hop.scope_id)
            hop.scope_id = r->InterfaceIndex;
        *out = hop;
        best = r->Metric;
        result = RTCPM_SOCK_OK;
    }
    FreeMibTable(table);
    return result;
}

#else

static unsigned index_of(const char *name) { return if_nametoindex(name); }

int rtcpm_route_default_gateway(int family, rtcpm_addr *out, int *os_error)
{
    const char *path = family == RTCPM_AF_INET ? "/proc/net/route" : "/proc/net/ipv6_route";
    char *text;
    size_t len = 0, cap = 8192;
    FILE *f;
    int dummy, rc;
    if (!os_error) os_error = &dummy;
    *os_error = 0;
    if (out) memset(out, 0, sizeof(*out));
    if (!out || (family != RTCPM_AF_INET && family != RTCPM_AF_INET6)) return RTCPM_SOCK_E_INVALID_ARG;
    if (!(f = fopen(path, "r")))
    {
        *os_error = errno;
        return RTCPM_SOCK_E_OTHER;
    }
    if (!(text = malloc(cap)))
    {
        fclose(f);
        *os_error = ENOMEM;
        return RTCPM_SOCK_E_OTHER;
    }
    for (;;)
    {
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (len < cap) break;
        {
            char *bigger = cap < (1u << 24) ? realloc(text, cap * 2) : NULL;
            if (!bigger) break; /* a table this large: the first 16 MiB decide */
            text = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    rc = family == RTCPM_AF_INET ? rtcpm_route_parse_proc_ipv4(text, len, out)
                                 : rtcpm_route_parse_proc_ipv6(text, len, index_of, out);
    free(text);
    return rc ? RTCPM_SOCK_E_UNREACHABLE : RTCPM_SOCK_OK;
}

#endif
