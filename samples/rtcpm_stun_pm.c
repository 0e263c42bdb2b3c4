/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm-stun-pm — asks rtcpm's STUN port manager for mappings, the way RTC does
 * (IRTCPortManager3::GetMappingEx, then ReleaseMappingEx), and prints them.
 *
 *   rtcpm-stun-pm 127.0.0.1:3478
 *   mapping sip udp internal 127.0.0.1:40000 external 127.0.0.1:40000
 *   nat 127.0.0.1: external 127.0.0.1, mapping behaviour not checked
 *
 * With --again the same object maps once more after a line on stdin (and, with --refresh,
 * two more background refresh passes): what a long-running RTC client sees when its NAT
 * changes between two calls (tests/e2e's stun_pm_address_change).
 *
 * Exit status: 0 every mapping made, 1 one failed (HRESULT and reason on stderr), 64 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtcpm/rtcpm.h"
#include "com/bstr_util.h"
#include "os/os_platform.h"
#include "os/socket.h"
#include "program.h"

static void usage(FILE *f)
{
    fputs("Usage: rtcpm-stun-pm [options] SERVER[:PORT][,SERVER[:PORT]...]\n"
          "       rtcpm-stun-pm [options] --config FILE\n"
          "Makes mappings with rtcpm's STUN port manager, prints them, releases them.\n"
          "\n"
          "  -c, --config FILE      INI config (README \"STUN port manager\") instead of SERVERS;\n"
          "                         a bare name not in the current directory is looked up\n"
          "                         in the installed share/rtcpm (stun.ini)\n"
          "  -t, --type TYPE        sip | audio-rtp | audio-rtcp | video-rtp | video-rtcp (sip)\n"
          "  -p, --pair             audio-rtp then audio-rtcp (what RTC asks for a call)\n"
          "      --transport T      udp | tcp | tls (udp)\n"
          "      --remote ADDR      the remote peer's address (picks the family)\n"
          "      --timeout MS       budget of one call (3000)\n"
          "      --rto MS           first retransmission (250)\n"
          "      --local ADDR       internal address (default: the one routing to the server)\n"
          "      --range FIRST-LAST internal ports for TYPE (default: the OS picks)\n"
          "      --tcp POLICY       stun | preserve | off (stun)\n"
          "      --refresh S        background re-discovery every S seconds (0: never)\n"
          "      --no-warm-up       no background discovery at creation\n"
          "      --no-symmetric-check\n"
          "      --again            after the mappings, wait for a line on stdin (then, with\n"
          "                         --refresh, for two refresh passes) and map once more with\n"
          "                         the same object (\"again: ...\" lines mark the second round)\n"
          "  -h, --help             this text\n"
          "      --version          the version of rtcpm\n"
          "\n"
          "Prints \"mapping TYPE TRANSPORT internal ADDR:PORT external ADDR:PORT\" per mapping and\n"
          "\"nat ...\" per internal address (what the port manager learned about the NAT).\n"
          "Exit status: 0 mapped, 1 a mapping failed (reason on stderr), 64 bad usage.\n"
          "RTCPM_DEBUG=pm,stun traces the exchange.\n",
          f);
}

static const char *const type_names[] = { "audio-rtp", "audio-rtcp", "video-rtp", "video-rtcp", "sip" };

static int type_of(const char *s)
{
    int i;
    for (i = 0; i < 5; i++)
        if (!strcmp(s, type_names[i])) return i;
    return -1;
}

static LONG transport_of(const char *s)
{
    return !strcmp(s, "udp") ? RTCTR_UDP : !strcmp(s, "tcp") ? RTCTR_TCP : !strcmp(s, "tls") ? RTCTR_TLS : 0;
}

static int number(const char *s, LONG *out)
{
    char *end;
    long v = s ? strtol(s, &end, 10) : -1;
    if (!s || !*s || *end || v < 0) return -1;
    *out = (LONG)v;
    return 0;
}

struct options
{
    struct rtcpm_stun_pm_config cfg;
    const char *config, *remote, *transport_text;
    int types[2];
    LONG first, last;
    int again;
};

struct held
{
    LONG transport;
    BSTR ia, ea;
    LONG ip, ep;
};

/* An option that takes no value: 1 taken, 0 not one of these. */
static int parse_flag(struct options *o, const char *a)
{
    if (!strcmp(a, "-p") || !strcmp(a, "--pair"))
    {
        o->types[0] = RTCPT_AUDIO_RTP;
        o->types[1] = RTCPT_AUDIO_RTCP;
    }
    else if (!strcmp(a, "--no-warm-up"))
        o->cfg.warm_up = 0;
    else if (!strcmp(a, "--no-symmetric-check"))
        o->cfg.symmetric_check = 0;
    else if (!strcmp(a, "--again"))
        o->again = 1;
    else
        return 0;
    return 1;
}

/* An option with a value: 0 taken, -1 bad value (said why), 1 not one of these. */
static int parse_valued(struct options *o, const char *a, const char *val)
{
    LONG *num = !strcmp(a, "--rto")       ? &o->cfg.rto_ms
                : !strcmp(a, "--timeout") ? &o->cfg.timeout_ms
                : !strcmp(a, "--refresh") ? &o->cfg.refresh_s
                                          : NULL;
    if (num)
    {
        if (!number(val, num)) return 0;
        fprintf(stderr, "rtcpm-stun-pm: %s needs a number\n", a);
        return -1;
    }
    if (!strcmp(a, "-c") || !strcmp(a, "--config"))
        o->config = val;
    else if (!strcmp(a, "-t") || !strcmp(a, "--type"))
    {
        if ((o->types[0] = type_of(val)) >= 0) return 0;
        fprintf(stderr, "rtcpm-stun-pm: unknown type %s\n", val);
        return -1;
    }
    else if (!strcmp(a, "--transport"))
        o->transport_text = val;
    else if (!strcmp(a, "--remote"))
        o->remote = val;
    else if (!strcmp(a, "--local"))
        o->cfg.local_addresses = val;
    else if (!strcmp(a, "--range"))
    {
        char *dash;
        o->first = strtol(val, &dash, 10);
        o->last = *dash == '-' ? strtol(dash + 1, NULL, 10) : o->first;
    }
    else if (!strcmp(a, "--tcp"))
        o->cfg.tcp = !strcmp(val, "stun")       ? RTCPM_STUN_PM_TCP_STUN
                     : !strcmp(val, "preserve") ? RTCPM_STUN_PM_TCP_PRESERVE
                     : !strcmp(val, "off")      ? RTCPM_STUN_PM_TCP_OFF
                                                : -1;
    else
        return 1;
    return 0;
}

/* 0 parsed, 1 help or version printed, PROGRAM_EX_USAGE bad usage (said why). */
static int parse_args(int argc, char **argv, struct options *o)
{
    int i, r;

    memset(o, 0, sizeof(*o));
    rtcpm_stun_pm_config_init(&o->cfg);
    o->transport_text = "udp";
    o->types[0] = RTCPT_SIP;
    o->types[1] = -1;
    for (i = 1; i < argc; i++)
    {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
        {
            usage(stdout);
            return 1;
        }
        if (!strcmp(a, "--version"))
        {
            program_print_version("rtcpm-stun-pm");
            return 1;
        }
        if (parse_flag(o, a)) continue;
        if (a[0] != '-')
        {
            if (o->cfg.servers)
            {
                fprintf(stderr, "rtcpm-stun-pm: one server list only (comma-separated)\n");
                return PROGRAM_EX_USAGE;
            }
            o->cfg.servers = a;
            continue;
        }
        if (!val)
        {
            fprintf(stderr, "rtcpm-stun-pm: %s needs a value (see --help)\n", a);
            return PROGRAM_EX_USAGE;
        }
        if ((r = parse_valued(o, a, val)) < 0) return PROGRAM_EX_USAGE;
        if (r > 0)
        {
            fprintf(stderr, "rtcpm-stun-pm: unknown option %s (see --help)\n", a);
            return PROGRAM_EX_USAGE;
        }
        i++;
    }
    if (!transport_of(o->transport_text))
    {
        fprintf(stderr, "rtcpm-stun-pm: unknown transport %s\n", o->transport_text);
        return PROGRAM_EX_USAGE;
    }
    if (!o->config == !o->cfg.servers)
    {
        usage(stderr);
        return PROGRAM_EX_USAGE;
    }
    return 0;
}

/* GetMappingEx for each type, printed; held[] gets what must be released. 0 or 1. */
static int map_round(IRTCPortManager3 *pm, const struct options *o, struct held *held, int *held_count)
{
    int i;
    for (i = 0; i < 2 && o->types[i] >= 0; i++)
    {
        struct held *h = &held[*held_count];
        BSTR r = o->remote ? rtcpm_bstr_from_cstr(o->remote) : NULL;
        char ia[64], ea[64], err[512], name[11];
        size_t len;
        HRESULT hr;
        h->transport = transport_of(o->transport_text);
        hr = pm->lpVtbl->GetMappingEx(pm, r, 0, h->transport, (RTC_PORT_TYPE)o->types[i], &h->ia, &h->ip, &h->ea,
                                      &h->ep);
        SysFreeString(r);
        if (FAILED(hr))
        {
            rtcpm_stun_pm_last_error(pm, err, sizeof(err));
            fprintf(stderr, "rtcpm-stun-pm: %s %s: %s: %s\n", type_names[o->types[i]], o->transport_text,
                    rtcpm_hresult_name(hr, name), err);
            return 1;
        }
        (*held_count)++;
        rtcpm_bstr_to_utf8(h->ia, ia, sizeof(ia), &len);
        rtcpm_bstr_to_utf8(h->ea, ea, sizeof(ea), &len);
        printf(strchr(ia, ':') ? "mapping %s %s internal [%s]:%ld external [%s]:%ld\n"
                               : "mapping %s %s internal %s:%ld external %s:%ld\n",
               type_names[o->types[i]], o->transport_text, ia, (long)h->ip, ea, (long)h->ep);
    }
    return 0;
}

static void print_nat(IRTCPortManager3 *pm)
{
    char nat[1024], *line, *next;
    rtcpm_stun_pm_describe_nat(pm, nat, sizeof(nat));
    for (line = nat; *line; line = next)
    {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        else
            next = line + strlen(line);
        printf("nat %s\n", line);
    }
}

/* Releases what a round holds: 0, or 1 when a release failed. */
static int release_all(IRTCPortManager3 *pm, struct held *held, int n)
{
    int i, rc = 0;
    for (i = 0; i < n; i++)
    {
        HRESULT hr =
            pm->lpVtbl->ReleaseMappingEx(pm, held[i].transport, held[i].ia, held[i].ip, held[i].ea, held[i].ep);
        if (FAILED(hr))
        {
            fprintf(stderr, "rtcpm-stun-pm: release failed: 0x%08lx\n", (unsigned long)hr);
            rc = 1;
        }
        SysFreeString(held[i].ia);
        SysFreeString(held[i].ea);
    }
    return rc;
}

/* One round: map, describe the NAT, release. 0 or 1. */
static int round_trip(IRTCPortManager3 *pm, const struct options *o)
{
    struct held held[2];
    int n = 0, rc = map_round(pm, o, held, &n);
    print_nat(pm);
    if (release_all(pm, held, n)) rc = 1;
    fflush(stdout);
    return rc;
}

/* Until `passes` more refresh passes have ended (at most 10 refresh periods plus the budget).
 * A socket's receive timeout is the portable sleep this sample has. */
static void wait_refreshes(IRTCPortManager3 *pm, const struct options *o, LONG passes)
{
    struct rtcpm_stun_pm_stats s;
    rtcpm_addr lo = { { 127, 0, 0, 1 }, 0, 0, RTCPM_AF_INET }, from;
    rtcpm_socket *nap = NULL;
    uint64_t until = rtcpm_clock_ms() + (uint64_t)o->cfg.refresh_s * 10000u + (uint64_t)o->cfg.timeout_ms;
    unsigned char b;
    size_t got;
    LONG want;

    if (FAILED(rtcpm_stun_pm_get_stats(pm, &s)) || rtcpm_socket_open(&nap, RTCPM_SOCK_UDP, &lo, NULL)) return;
    want = s.warm_ups + passes;
    while (rtcpm_clock_ms() < until && SUCCEEDED(rtcpm_stun_pm_get_stats(pm, &s)) && s.warm_ups < want)
        rtcpm_socket_recvfrom(nap, &b, 1, &got, &from, 50);
    rtcpm_socket_close(nap);
    printf("again: %ld refresh pass(es) since the line\n", (long)(s.warm_ups - want + passes));
}

int main(int argc, char **argv)
{
    struct options o;
    IRTCPortManager3 *pm = NULL;
    char err[512], line[64], found[1024];
    HRESULT hr;
    int rc;

    if ((rc = parse_args(argc, argv, &o))) return rc == 1 ? 0 : rc;
    if (o.first)
    {
        o.cfg.range_count = 1;
        o.cfg.ranges[0].port_type = o.types[0];
        o.cfg.ranges[0].transports = transport_of(o.transport_text);
        o.cfg.ranges[0].first = o.first;
        o.cfg.ranges[0].last = o.last;
    }
    if (o.config) o.config = program_config_path(o.config, found, sizeof(found)); /* e.g. the installed stun.ini */
    hr = o.config ? rtcpm_stun_pm_create_from_file(o.config, &pm, err, sizeof(err))
                  : rtcpm_stun_pm_create_ex(&o.cfg, &pm, err, sizeof(err));
    if (FAILED(hr))
    {
        char name[11];
        fprintf(stderr, "rtcpm-stun-pm: %s: %s\n", rtcpm_hresult_name(hr, name), err);
        return PROGRAM_EX_USAGE;
    }
    rc = round_trip(pm, &o);
    if (!rc && o.again)
    {
        printf("again: waiting for a line on stdin\n");
        fflush(stdout);
        if (!fgets(line, sizeof(line), stdin)) printf("again: stdin closed\n");
        if (o.cfg.refresh_s) wait_refreshes(pm, &o, 2);
        printf("again: second round\n");
        rc = round_trip(pm, &o);
    }
    pm->lpVtbl->Release(pm);
    fflush(stdout);
    return rc;
}
