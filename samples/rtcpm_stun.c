/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm-stun — asks a STUN server for a socket's server-reflexive address, with rtcpm's
 * socket layer and STUN client (the same code the STUN port manager uses).
 *
 *   rtcpm-stun --bind 127.0.0.1:0 127.0.0.1:3478
 *   local 127.0.0.1:40000
 *   mapped 127.0.0.1:40000 via XOR-MAPPED-ADDRESS rtt 0 ms
 *
 * Exit status: 0 mapped, 1 the query failed (message on stderr), 64 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/addr.h"
#include "os/socket.h"
#include "net/stun_client.h"
#include "program.h"

#define MAX_SERVERS 8

static void usage(FILE *f)
{
    fputs("Usage: rtcpm-stun [options] SERVER[:PORT][,SERVER[:PORT]...]\n"
          "Asks a STUN server (RFC 5389 Binding) for the server-reflexive address of a\n"
          "socket, and prints it.\n"
          "\n"
          "  SERVER                 IP literal; IPv6 in brackets when a port follows\n"
          "                         ([::1]:3478); port 3478 by default. Several servers,\n"
          "                         comma-separated, are tried in order (UDP only).\n"
          "  -b, --bind ADDR[:PORT] local address and port to bind; no port or :0 = any\n"
          "                         (default: the wildcard address of the server's\n"
          "                         family, any port)\n"
          "  -t, --tcp              use TCP (RFC 5389 7.2.2) instead of UDP\n"
          "  -c, --classic          send an RFC 3489 request (128-bit ID, no magic cookie)\n"
          "  -f, --fingerprint      add FINGERPRINT to the request\n"
          "      --software TEXT    add SOFTWARE to the request\n"
          "      --rto MS           initial retransmission timeout, UDP (500)\n"
          "      --rc N             requests in all, UDP (7)\n"
          "      --rm N             final wait in initial RTOs, UDP (16)\n"
          "      --ti MS            TCP transaction timeout (39500)\n"
          "      --deadline MS      hard cap on the whole query (none: the schedule)\n"
          "  -h, --help             this text\n"
          "      --version          the version of rtcpm\n"
          "\n"
          "Prints \"local ADDR:PORT\" (the bound socket) and\n"
          "\"mapped ADDR:PORT via ATTRIBUTE rtt N ms\". Exit status: 0 mapped, 1 the query\n"
          "failed (reason on stderr), 64 bad usage. RTCPM_DEBUG=stun,net traces the exchange.\n",
          f);
}

static int parse_u32(const char *text, uint32_t *out)
{
    char *end;
    unsigned long v = strtoul(text, &end, 10);
    if (!*text || *end || v > 0xFFFFFFFFul) return -1;
    *out = (uint32_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    rtcpm_stun_config cfg;
    rtcpm_stun_config_init(&cfg);
    const char *bind_text = NULL, *servers_text = NULL;
    enum rtcpm_sock_type type = RTCPM_SOCK_UDP;

    for (int i = 1; i < argc; i++)
    {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        uint32_t *num = NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
        {
            usage(stdout);
            return 0;
        }
        else if (!strcmp(a, "--version"))
        {
            program_print_version("rtcpm-stun");
            return 0;
        }
        else if (!strcmp(a, "-t") || !strcmp(a, "--tcp"))
        {
            type = RTCPM_SOCK_TCP;
        }
        else if (!strcmp(a, "-c") || !strcmp(a, "--classic"))
        {
            cfg.classic = true;
        }
        else if (!strcmp(a, "-f") || !strcmp(a, "--fingerprint"))
        {
            cfg.fingerprint = true;
        }
        else if (!strcmp(a, "-b") || !strcmp(a, "--bind") || !strcmp(a, "--software"))
        {
            if (!val)
            {
                fprintf(stderr, "rtcpm-stun: %s needs a value\n", a);
                return PROGRAM_EX_USAGE;
            }
            if (!strcmp(a, "--software"))
                cfg.software = val;
            else
                bind_text = val;
            i++;
        }
        else if (!strcmp(a, "--rto") || !strcmp(a, "--rc") || !strcmp(a, "--rm") || !strcmp(a, "--ti") ||
                 !strcmp(a, "--deadline"))
        {
            num = !strcmp(a, "--rto")  ? &cfg.rto_ms
                  : !strcmp(a, "--rc") ? &cfg.max_requests
                  : !strcmp(a, "--rm") ? &cfg.final_wait_rto
                  : !strcmp(a, "--ti") ? &cfg.tcp_timeout_ms
                                       : &cfg.deadline_ms;
            if (!val || parse_u32(val, num) != 0)
            {
                fprintf(stderr, "rtcpm-stun: %s needs a number\n", a);
                return PROGRAM_EX_USAGE;
            }
            i++;
        }
        else if (a[0] == '-' && a[1])
        {
            fprintf(stderr, "rtcpm-stun: unknown option %s (see --help)\n", a);
            return PROGRAM_EX_USAGE;
        }
        else if (servers_text)
        {
            fprintf(stderr, "rtcpm-stun: one server list only (comma-separated)\n");
            return PROGRAM_EX_USAGE;
        }
        else
        {
            servers_text = a;
        }
    }
    if (!servers_text)
    {
        usage(stderr);
        return PROGRAM_EX_USAGE;
    }

    rtcpm_addr servers[MAX_SERVERS];
    int count = rtcpm_stun_parse_servers(servers_text, servers, MAX_SERVERS);
    if (count <= 0)
    {
        fprintf(stderr, "rtcpm-stun: bad server list \"%s\" (IP literals, at most %d)\n", servers_text, MAX_SERVERS);
        return PROGRAM_EX_USAGE;
    }
    if (type == RTCPM_SOCK_TCP && count > 1)
    {
        fprintf(stderr, "rtcpm-stun: TCP takes one server\n");
        return PROGRAM_EX_USAGE;
    }

    rtcpm_addr local;
    if (bind_text)
    {
        size_t len = strlen(bind_text);
        /* ":0" means any port, like no port at all (addr.h refuses port 0 in text) */
        if (len > 2 && !strcmp(bind_text + len - 2, ":0") &&
            (bind_text[len - 3] == ']' || !strchr(bind_text, ':') || strchr(bind_text, ':') == bind_text + len - 2))
            len -= 2;
        if (rtcpm_addr_parse_hostport(bind_text, len, &local, 0) != 0)
        {
            fprintf(stderr, "rtcpm-stun: bad --bind address \"%s\"\n", bind_text);
            return PROGRAM_EX_USAGE;
        }
    }
    else
    {
        memset(&local, 0, sizeof local);
        local.family = servers[0].family; /* all-zero bytes: the wildcard address */
    }

    int same_family = 0;
    for (int i = 0; i < count; i++) same_family |= servers[i].family == local.family;
    if (!same_family)
    {
        fprintf(stderr, "rtcpm-stun: no server of the --bind address's family (IPv%d)\n", local.family);
        return PROGRAM_EX_USAGE;
    }

    rtcpm_socket *s = NULL;
    int os_error = 0;
    int rc = rtcpm_socket_open(&s, type, &local, &os_error);
    if (rc != RTCPM_SOCK_OK)
    {
        char text[160], where[RTCPM_ADDR_HOSTPORT_TEXT_SIZE] = "?";
        rtcpm_addr_format_hostport(&local, where, sizeof where);
        fprintf(stderr, "rtcpm-stun: cannot bind %s %s: %s (%s)\n", type == RTCPM_SOCK_TCP ? "TCP" : "UDP", where,
                rtcpm_sock_error_name(rc), os_error ? rtcpm_os_error_text(os_error, text, sizeof text) : "bad address");
        return 1;
    }
    rtcpm_addr bound;
    char text[RTCPM_ADDR_HOSTPORT_TEXT_SIZE] = "?";
    if (rtcpm_socket_local_addr(s, &bound) == RTCPM_SOCK_OK) rtcpm_addr_format_hostport(&bound, text, sizeof text);
    printf("local %s\n", text);
    fflush(stdout);

    rtcpm_stun_result res;
    if (type == RTCPM_SOCK_TCP)
        rtcpm_stun_binding(s, &servers[0], &cfg, &res);
    else
        rtcpm_stun_binding_list(s, servers, (size_t)count, &cfg, cfg.deadline_ms, &res);
    rtcpm_socket_close(s);

    if (res.status != RTCPM_STUN_OK)
    {
        char why[512];
        fprintf(stderr, "rtcpm-stun: failed: %s [%s]\n", rtcpm_stun_describe(&res, why, sizeof why),
                rtcpm_stun_status_name(res.status));
        return 1;
    }
    rtcpm_addr_format_hostport(&res.mapped, text, sizeof text);
    printf("mapped %s via %s rtt %llu ms\n", text, rtcpm_stun_attr_name(res.mapped_from),
           (unsigned long long)((res.rtt_us + 500) / 1000));
    return 0;
}
