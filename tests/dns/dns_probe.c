/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dns_probe.c — rtcpm's resolver (src/os/dns, src/sip/sip_resolve) from the command line, for
 * tests/dns/dns_check.sh: each argument triple/pair is one lookup, printed as one line.
 *
 *   dns_probe host NAME          host NAME -> 198.18.5.10, 2001:db8::20   (sorted; or -> RTCPM_DNS_E_...)
 *   dns_probe srv NAME           srv NAME -> sip1.test.example:5070/10/0, ...
 *   dns_probe sip HOSTPORT udp   sip HOSTPORT udp -> 198.18.5.11:5070, ... (or -> 0x80EE0066)
 * Exit 0 after every lookup ran (their results are in the output), 64 on a bad command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "os/dns.h"
#include "sip/sip_resolve.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: dns_probe (host NAME | srv NAME | sip HOSTPORT udp|tcp|tls)...\n"
               "  Resolves each through the system resolver and prints one line per lookup.\n"
               "  --help, --version\n");
}

static int by_text(const void *x, const void *y) { return strcmp(x, y); }

/* Addresses with their port ("198.18.5.11:5070"); sorted: a name's A and AAAA records come
 * in the order the system's address selection (RFC 6724) picks, which differs between glibc
 * and Wine. */
static void print_addrs(const rtcpm_addr *a, size_t n, int sorted)
{
    char text[16][RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    size_t i;
    for (i = 0; i < n && i < 16; i++)
    {
        if (a[i].port)
            rtcpm_addr_format_hostport(&a[i], text[i], sizeof(text[i]));
        else
            rtcpm_addr_format(&a[i], text[i], sizeof(text[i]));
    }
    if (sorted) qsort(text, i, sizeof(text[0]), by_text);
    for (i = 0; i < n && i < 16; i++) printf("%s%s", i ? ", " : "", text[i]);
}

static void do_host(const char *name)
{
    rtcpm_addr a[16];
    size_t n;
    int rc = rtcpm_dns_resolve_host(name, RTCPM_DNS_ANY, 0, a, 16, &n);
    printf("host %s -> ", name);
    if (rc)
        printf("%s", rtcpm_dns_error_name(rc));
    else
        print_addrs(a, n, 1);
    printf("\n");
}

static void do_srv(const char *name)
{
    struct rtcpm_dns_srv s[16];
    size_t n, i;
    int rc = rtcpm_dns_srv(name, s, 16, &n);
    printf("srv %s -> ", name);
    if (rc) printf("%s", rtcpm_dns_error_name(rc));
    for (i = 0; !rc && i < n; i++)
        printf("%s%s:%u/%u/%u", i ? ", " : "", s[i].target, s[i].port, s[i].priority, s[i].weight);
    printf("\n");
}

static int do_sip(const char *hostport, const char *transport)
{
    LONG t = !strcmp(transport, "udp")   ? RTCTR_UDP
             : !strcmp(transport, "tcp") ? RTCTR_TCP
             : !strcmp(transport, "tls") ? RTCTR_TLS
                                         : 0;
    rtcpm_addr a[16];
    size_t n;
    HRESULT hr;
    if (!t) return -1;
    hr = rtcpm_sip_resolve(hostport, t, a, 16, &n);
    printf("sip %s %s -> ", hostport, transport);
    if (FAILED(hr))
        printf("0x%08X", (unsigned)hr);
    else
        print_addrs(a, n, 0);
    printf("\n");
    return 0;
}

int main(int argc, char **argv)
{
    int i = 1;
    if (argc == 2 && !strcmp(argv[1], "--help")) return usage(stdout), 0;
    if (argc == 2 && !strcmp(argv[1], "--version")) return printf("dns_probe (rtcpm) %s\n", RTCPM_VERSION_TEXT), 0;
    if (argc < 3) return usage(stderr), 64;
    setvbuf(stdout, NULL, _IONBF, 0);
    while (i < argc)
    {
        if (!strcmp(argv[i], "host") && i + 1 < argc)
            do_host(argv[i + 1]), i += 2;
        else if (!strcmp(argv[i], "srv") && i + 1 < argc)
            do_srv(argv[i + 1]), i += 2;
        else if (!strcmp(argv[i], "sip") && i + 2 < argc && !do_sip(argv[i + 1], argv[i + 2]))
            i += 3;
        else
            return fprintf(stderr, "dns_probe: bad argument '%s'\n", argv[i]), usage(stderr), 64;
    }
    return 0;
}
