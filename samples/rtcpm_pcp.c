/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm-pcp — asks a NAT for a mapping by PCP (RFC 6887) or NAT-PMP (RFC 6886) and prints what
 * it answered, with rtcpm's codec and exchange (the code the PCP port manager uses); or
 * deletes one; or listens for the NAT's unsolicited announcements.
 *
 *   rtcpm-pcp map --internal-port 30000 --lifetime 120
 *   server 198.18.1.1:5351 PCP epoch 42
 *   mapped udp 198.18.1.2:30000 -> 198.19.1.1:30000 lifetime 120 nonce 7f3a...
 *
 * Exit status: 0 the NAT said SUCCESS (announce-listen: an announcement came), 1 it refused
 * (its result code printed), 2 no answer, 64 bad usage, 70 any other failure.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/pcp_client.h"
#include "os/os_platform.h"
#include "os/route.h"
#include "os/socket.h"
#include "program.h"

#define EXIT_REFUSED   1
#define EXIT_NO_ANSWER 2
#define EXIT_USAGE     64
#define EXIT_OTHER     70

struct options
{
    const char *cmd;
    rtcpm_addr server, local;
    int natpmp, tcp, have_nonce;
    long internal_port, external_port, lifetime, timeout_ms, rto_ms, listen_port, count;
    uint8_t nonce[RTCPM_PCP_NONCE_SIZE];
};

static void usage(FILE *f)
{
    fputs("Usage: rtcpm-pcp map|delete|announce-listen [options]\n"
          "       rtcpm-pcp --help | --version\n"
          "Asks the NAT for a port mapping by PCP (RFC 6887) or NAT-PMP (RFC 6886) and prints what\n"
          "it answered.\n"
          "\n"
          "  map                    a MAP request (PCP) / a mapping request (NAT-PMP)\n"
          "  delete                 the same with lifetime 0 (PCP: give the mapping's --nonce)\n"
          "  announce-listen        print the NAT's announcements to 224.0.0.1:PORT (PCP ANNOUNCE,\n"
          "                         NAT-PMP address changes) until --count came or --timeout ran out\n"
          "\n"
          "  --server ADDR[:PORT]   the NAT (default: the default gateway, port 5351)\n"
          "  --local ADDR           the client address (default: the one routed to the server)\n"
          "  --natpmp               speak NAT-PMP (opcode 0 for the address, then 1/2)\n"
          "  --tcp                  a TCP mapping (default UDP)\n"
          "  --internal-port N      the port to map (required for map and delete)\n"
          "  --external-port N      the port suggested (default: the internal port)\n"
          "  --lifetime S           seconds asked for (map; default 7200)\n"
          "  --nonce HEX            the 96-bit nonce, 24 hex digits (PCP; default: random)\n"
          "  --timeout MS           budget of the exchange (default 3000; announce-listen 10000)\n"
          "  --rto MS               first retransmission, then doubling (default 250)\n"
          "  --port N               announce-listen: the port (default 5350)\n"
          "  --count N              announce-listen: stop after N announcements (default 1)\n"
          "\n"
          "Output: \"server ADDR:PORT PCP|NAT-PMP epoch N\", then\n"
          "\"mapped udp|tcp INT:PORT -> EXT:PORT lifetime S nonce HEX\", \"deleted ...\" or\n"
          "\"refused RESULT (code N)\"; announce-listen: \"announce from ADDR:PORT PCP|NAT-PMP epoch N\".\n"
          "Exit status: 0 SUCCESS (or an announcement came), 1 refused, 2 no answer, 64 bad usage,\n"
          "70 other failures. RTCPM_DEBUG=net traces the exchange.\n",
          f);
}

static int bad(const char *what, const char *value)
{
    fprintf(stderr, "rtcpm-pcp: %s%s%s (try --help)\n", what, value ? ": " : "", value ? value : "");
    return -1;
}

static int number(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    if (!s || !*s) return -1;
    v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static int hex_nonce(const char *s, uint8_t *out)
{
    int i;
    if (!s || strlen(s) != 24) return -1;
    for (i = 0; i < 12; i++)
    {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1) return -1;
        out[i] = (uint8_t)v;
    }
    return 0;
}

/* One option with a value; 1 consumed, 0 not this one, -1 bad. */
static int option(struct options *o, const char *a, const char *v)
{
    static const struct
    {
        const char *name;
        size_t off;
        long lo, hi;
    } nums[] = {
        { "--internal-port", offsetof(struct options, internal_port), 1, 65535 },
        { "--external-port", offsetof(struct options, external_port), 0, 65535 },
        { "--lifetime", offsetof(struct options, lifetime), 0, 0x7fffffffL },
        { "--timeout", offsetof(struct options, timeout_ms), 1, 600000 },
        { "--rto", offsetof(struct options, rto_ms), 1, 60000 },
        { "--port", offsetof(struct options, listen_port), 1, 65535 },
        { "--count", offsetof(struct options, count), 1, 1000 },
    };
    size_t i;
    for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
        if (!strcmp(a, nums[i].name))
            return number(v, nums[i].lo, nums[i].hi, (long *)((char *)o + nums[i].off)) ? bad(a, v ? v : "missing") : 1;
    if (!strcmp(a, "--server"))
        return !v || rtcpm_addr_parse_hostport(v, strlen(v), &o->server, RTCPM_PCP_SERVER_PORT)
                   ? bad("--server wants ADDR[:PORT] (an IP literal)", v)
                   : 1;
    if (!strcmp(a, "--local"))
        return !v || rtcpm_addr_parse(v, strlen(v), &o->local) ? bad("--local wants an IP address", v) : 1;
    if (!strcmp(a, "--nonce"))
        return hex_nonce(v, o->nonce) ? bad("--nonce wants 24 hex digits", v) : (o->have_nonce = 1);
    return 0;
}

/* 0 ok, 1 help/version printed, -1 usage error (message printed). */
static int parse(int argc, char **argv, struct options *o)
{
    int i, rc;
    memset(o, 0, sizeof(*o));
    o->lifetime = 7200;
    o->timeout_ms = -1;
    o->rto_ms = RTCPM_PCP_DEFAULT_RTO_MS;
    o->listen_port = RTCPM_PCP_ANNOUNCE_PORT;
    o->count = 1;
    o->external_port = -1;
    for (i = 1; i < argc; i++)
    {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout), 1;
        if (!strcmp(a, "--version")) return program_print_version("rtcpm-pcp"), 1;
        if (!strcmp(a, "--natpmp") || !strcmp(a, "--tcp"))
        {
            *(a[2] == 'n' ? &o->natpmp : &o->tcp) = 1;
            continue;
        }
        if (a[0] != '-')
        {
            if (o->cmd) return bad("one command only", a);
            if (strcmp(a, "map") && strcmp(a, "delete") && strcmp(a, "announce-listen"))
                return bad("unknown command (map, delete or announce-listen)", a);
            o->cmd = a;
            continue;
        }
        if ((rc = option(o, a, i + 1 < argc ? argv[i + 1] : NULL)) < 0) return -1;
        if (!rc) return bad("unknown option", a);
        i++;
    }
    if (!o->cmd) return bad("a command is needed: map, delete or announce-listen", NULL);
    if (strcmp(o->cmd, "announce-listen") && !o->internal_port) return bad("--internal-port is required", NULL);
    if (!strcmp(o->cmd, "delete") && !o->natpmp && !o->have_nonce)
        return bad("delete by PCP needs the mapping's --nonce", NULL);
    if (o->timeout_ms < 0) o->timeout_ms = strcmp(o->cmd, "announce-listen") ? 3000 : 10000;
    if (o->external_port < 0) o->external_port = o->internal_port;
    return 0;
}

static const char *hp(const rtcpm_addr *a, char *buf) { return rtcpm_addr_hostport_text(a, buf); }

/* The server (default gateway when not given) and the local address routed to it. */
static int endpoints(struct options *o)
{
    int rc, os_error = 0;
    char os_text[128];
    if (o->server.family == RTCPM_AF_NONE)
    {
        if ((rc = rtcpm_route_default_gateway(RTCPM_AF_INET, &o->server, &os_error)))
            return fprintf(stderr, "rtcpm-pcp: no default gateway: %s\n", rtcpm_sock_error_name(rc)), -1;
        o->server.port = RTCPM_PCP_SERVER_PORT;
    }
    if (o->local.family == RTCPM_AF_NONE && (rc = rtcpm_route_local_addr(&o->server, &o->local, &os_error)))
        return fprintf(stderr, "rtcpm-pcp: no route to the server: %s (%s)\n", rtcpm_sock_error_name(rc),
                       rtcpm_os_error_text(os_error, os_text, sizeof(os_text))),
               -1;
    return 0;
}

static int report_failure(const struct rtcpm_pcp_exchange *x, const rtcpm_addr *server)
{
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    if (x->status == RTCPM_PCP_X_TIMEOUT)
    {
        printf("no answer from %s within %llu ms (%lu requests)%s%s\n", hp(server, a),
               (unsigned long long)x->elapsed_ms, (unsigned long)x->requests_sent, x->dropped ? "; last dropped: " : "",
               x->dropped ? x->dropped_why : "");
        return EXIT_NO_ANSWER;
    }
    if (x->status == RTCPM_PCP_X_NATPMP_ONLY)
    {
        printf("server %s NAT-PMP only (it answered UNSUPP_VERSION): try --natpmp\n", hp(server, a));
        return EXIT_REFUSED;
    }
    fprintf(stderr, "rtcpm-pcp: %s (%s)\n", rtcpm_pcp_exchange_status_name(x->status),
            rtcpm_sock_error_name(x->sock_error));
    return EXIT_OTHER;
}

static int run_pcp(const struct options *o, rtcpm_socket *s, struct rtcpm_pcp_exchange *x)
{
    struct rtcpm_pcp_client_config cfg = { (uint32_t)o->rto_ms, (uint32_t)o->timeout_ms, NULL, NULL };
    struct rtcpm_pcp_request rq;
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], b[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], name[20], nonce[25];
    int del = !strcmp(o->cmd, "delete"), i;
    memset(&rq, 0, sizeof(rq));
    rq.opcode = RTCPM_PCP_OP_MAP;
    rq.lifetime = del ? 0 : (uint32_t)o->lifetime;
    rq.client = o->local;
    rq.protocol = o->tcp ? RTCPM_PCP_PROTO_TCP : RTCPM_PCP_PROTO_UDP;
    rq.internal_port = (uint16_t)o->internal_port;
    rq.external_port = del ? 0 : (uint16_t)o->external_port;
    if (o->have_nonce)
        memcpy(rq.nonce, o->nonce, sizeof(rq.nonce));
    else if (rtcpm_random_bytes(rq.nonce, sizeof(rq.nonce)))
        return fprintf(stderr, "rtcpm-pcp: no random bytes from the OS\n"), EXIT_OTHER;
    for (i = 0; i < 12; i++) sprintf(nonce + 2 * i, "%02x", rq.nonce[i]);
    if (rtcpm_pcp_exchange(s, &o->server, &rq, &cfg, x) != RTCPM_PCP_X_OK) return report_failure(x, &o->server);
    printf("server %s PCP%s epoch %lu\n", hp(&o->server, a), x->pcp.version != 2 ? " (older version)" : "",
           (unsigned long)x->pcp.epoch);
    if (x->pcp.result)
        return printf("refused %s (code %u)\n", rtcpm_pcp_result_name(x->pcp.result, name), x->pcp.result),
               EXIT_REFUSED;
    {
        rtcpm_addr in = o->local, ex = x->pcp.external;
        in.port = rq.internal_port;
        ex.port = x->pcp.external_port;
        printf("%s %s %s -> %s lifetime %lu nonce %s\n", del ? "deleted" : "mapped", o->tcp ? "tcp" : "udp", hp(&in, a),
               hp(&ex, b), (unsigned long)x->pcp.lifetime, nonce);
    }
    return 0;
}

static int run_natpmp(const struct options *o, rtcpm_socket *s, struct rtcpm_pcp_exchange *x)
{
    struct rtcpm_pcp_client_config cfg = { (uint32_t)o->rto_ms, (uint32_t)o->timeout_ms, NULL, NULL };
    struct rtcpm_natpmp_request rq;
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], b[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], name[20];
    rtcpm_addr ext, in = o->local;
    int del = !strcmp(o->cmd, "delete");
    memset(&rq, 0, sizeof(rq));
    if (rtcpm_natpmp_exchange(s, &o->server, &rq, &cfg, x) != RTCPM_PCP_X_OK) return report_failure(x, &o->server);
    printf("server %s NAT-PMP epoch %lu\n", hp(&o->server, a), (unsigned long)x->natpmp.epoch);
    if (x->natpmp.result)
        return printf("refused %s (code %u)\n", rtcpm_natpmp_result_name(x->natpmp.result, name), x->natpmp.result),
               EXIT_REFUSED;
    ext = x->natpmp.external;
    rq.opcode = o->tcp ? RTCPM_NATPMP_OP_MAP_TCP : RTCPM_NATPMP_OP_MAP_UDP;
    rq.internal_port = (uint16_t)o->internal_port;
    rq.external_port = del ? 0 : (uint16_t)o->external_port;
    rq.lifetime = del ? 0 : (uint32_t)o->lifetime;
    if (rtcpm_natpmp_exchange(s, &o->server, &rq, &cfg, x) != RTCPM_PCP_X_OK) return report_failure(x, &o->server);
    if (x->natpmp.result)
        return printf("refused %s (code %u)\n", rtcpm_natpmp_result_name(x->natpmp.result, name), x->natpmp.result),
               EXIT_REFUSED;
    in.port = rq.internal_port;
    ext.port = x->natpmp.external_port;
    printf("%s %s %s -> %s lifetime %lu\n", del ? "deleted" : "mapped", o->tcp ? "tcp" : "udp", hp(&in, a), hp(&ext, b),
           (unsigned long)x->natpmp.lifetime);
    return 0;
}

static int listen_announce(const struct options *o)
{
    static const uint8_t all_hosts[4] = { 224, 0, 0, 1 };
    rtcpm_addr group;
    rtcpm_socket *s = NULL;
    uint64_t end = rtcpm_clock_ms() + (uint64_t)o->timeout_ms;
    long seen = 0;
    int joined = 0, os_error = 0, rc;
    rtcpm_addr_set_v4(&group, all_hosts, (uint16_t)o->listen_port);
    if ((rc = rtcpm_socket_open_group(&s, &group, o->local.family ? &o->local : NULL, &joined, &os_error)))
        return fprintf(stderr, "rtcpm-pcp: cannot listen on port %ld: %s\n", o->listen_port, rtcpm_sock_error_name(rc)),
               EXIT_OTHER;
    printf("listening on 224.0.0.1:%ld%s\n", o->listen_port, joined ? "" : " (group not joined: unicast only)");
    fflush(stdout);
    while (seen < o->count && rtcpm_clock_ms() < end)
    {
        uint8_t buf[RTCPM_PCP_MAX_MESSAGE + 1];
        struct rtcpm_pcp_response r;
        struct rtcpm_natpmp_response n;
        char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
        rtcpm_addr from;
        size_t got = 0;
        if (rtcpm_socket_recvfrom(s, buf, sizeof(buf), &got, &from, (int)(end - rtcpm_clock_ms())) != RTCPM_SOCK_OK)
            continue;
        if (!rtcpm_pcp_decode_response(buf, got, &r) && r.opcode == RTCPM_PCP_OP_ANNOUNCE)
            printf("announce from %s PCP epoch %lu result %u\n", hp(&from, a), (unsigned long)r.epoch, r.result);
        else if (!rtcpm_natpmp_decode_response(buf, got, &n) && n.opcode == RTCPM_NATPMP_OP_ADDRESS)
            printf("announce from %s NAT-PMP epoch %lu external %s\n", hp(&from, a), (unsigned long)n.epoch,
                   rtcpm_addr_text(&n.external, (char[RTCPM_ADDR_TEXT_SIZE]){ 0 }));
        else
        {
            printf("ignored %lu bytes from %s\n", (unsigned long)got, hp(&from, a));
            continue;
        }
        fflush(stdout);
        seen++;
    }
    rtcpm_socket_close(s);
    if (!seen) printf("no announcement within %ld ms\n", o->timeout_ms);
    return seen ? 0 : EXIT_NO_ANSWER;
}

int main(int argc, char **argv)
{
    struct options o;
    struct rtcpm_pcp_exchange x;
    rtcpm_socket *s = NULL;
    rtcpm_addr from;
    int rc = parse(argc, argv, &o), os_error = 0;
    if (rc) return rc > 0 ? 0 : EXIT_USAGE;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(o.cmd, "announce-listen")) return listen_announce(&o);
    if (endpoints(&o)) return EXIT_OTHER;
    from = o.local;
    from.port = 0;
    if ((rc = rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &from, &os_error)))
        return fprintf(stderr, "rtcpm-pcp: cannot bind: %s\n", rtcpm_sock_error_name(rc)), EXIT_OTHER;
    rc = o.natpmp ? run_natpmp(&o, s, &x) : run_pcp(&o, s, &x);
    rtcpm_socket_close(s);
    return rc;
}
