/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm-stun-pm — asks rtcpm's STUN port manager for mappings, the way RTC does
 * (IRTCPortManager3::GetMappingEx, then ReleaseMappingEx), and prints them.
 *
 *   rtcpm-stun-pm 127.0.0.1:3478
 *   mapping sip udp internal 127.0.0.1:40000 external 127.0.0.1:40000
 *   nat 127.0.0.1: external 127.0.0.1, mapping behaviour not checked
 *
 * Exit status: 0 every mapping made, 1 one failed (HRESULT and reason on stderr), 64 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtcpm/rtcpm.h"
#include "com/bstr_util.h"
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
          "      --no-warm-up       no background discovery at creation\n"
          "      --no-symmetric-check\n"
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

struct held
{
    LONG transport;
    BSTR ia, ea;
    LONG ip, ep;
};

int main(int argc, char **argv)
{
    struct rtcpm_stun_pm_config cfg;
    const char *config = NULL, *remote = NULL, *transport_text = "udp";
    int types[2] = { RTCPT_SIP, -1 };
    LONG first = 0, last = 0;
    struct held held[2];
    int held_count = 0, i, rc = 0;
    IRTCPortManager3 *pm = NULL;
    char err[512], found[1024];
    HRESULT hr;

    rtcpm_stun_pm_config_init(&cfg);
    for (i = 1; i < argc; i++)
    {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
        {
            usage(stdout);
            return 0;
        }
        else if (!strcmp(a, "--version"))
        {
            program_print_version("rtcpm-stun-pm");
            return 0;
        }
        else if (!strcmp(a, "-p") || !strcmp(a, "--pair"))
        {
            types[0] = RTCPT_AUDIO_RTP;
            types[1] = RTCPT_AUDIO_RTCP;
            takes = 0;
        }
        else if (!strcmp(a, "--no-warm-up"))
            cfg.warm_up = 0, takes = 0;
        else if (!strcmp(a, "--no-symmetric-check"))
            cfg.symmetric_check = 0, takes = 0;
        else if (!val && a[0] == '-')
        {
            fprintf(stderr, "rtcpm-stun-pm: %s needs a value (see --help)\n", a);
            return PROGRAM_EX_USAGE;
        }
        else if (!strcmp(a, "-c") || !strcmp(a, "--config"))
            config = val;
        else if (!strcmp(a, "-t") || !strcmp(a, "--type"))
        {
            if ((types[0] = type_of(val)) < 0)
            {
                fprintf(stderr, "rtcpm-stun-pm: unknown type %s\n", val);
                return PROGRAM_EX_USAGE;
            }
        }
        else if (!strcmp(a, "--transport"))
            transport_text = val;
        else if (!strcmp(a, "--remote"))
            remote = val;
        else if (!strcmp(a, "--local"))
            cfg.local_addresses = val;
        else if (!strcmp(a, "--timeout") || !strcmp(a, "--rto"))
        {
            if (number(val, !strcmp(a, "--rto") ? &cfg.rto_ms : &cfg.timeout_ms))
            {
                fprintf(stderr, "rtcpm-stun-pm: %s needs a number\n", a);
                return PROGRAM_EX_USAGE;
            }
        }
        else if (!strcmp(a, "--range"))
        {
            char *dash;
            first = strtol(val, &dash, 10);
            last = *dash == '-' ? strtol(dash + 1, NULL, 10) : first;
        }
        else if (!strcmp(a, "--tcp"))
        {
            cfg.tcp = !strcmp(val, "stun")       ? RTCPM_STUN_PM_TCP_STUN
                      : !strcmp(val, "preserve") ? RTCPM_STUN_PM_TCP_PRESERVE
                      : !strcmp(val, "off")      ? RTCPM_STUN_PM_TCP_OFF
                                                 : -1;
        }
        else if (a[0] == '-')
        {
            fprintf(stderr, "rtcpm-stun-pm: unknown option %s (see --help)\n", a);
            return PROGRAM_EX_USAGE;
        }
        else if (cfg.servers)
        {
            fprintf(stderr, "rtcpm-stun-pm: one server list only (comma-separated)\n");
            return PROGRAM_EX_USAGE;
        }
        else
        {
            cfg.servers = a;
            takes = 0;
        }
        i += takes;
    }
    if (!transport_of(transport_text))
    {
        fprintf(stderr, "rtcpm-stun-pm: unknown transport %s\n", transport_text);
        return PROGRAM_EX_USAGE;
    }
    if (!config == !cfg.servers)
    {
        usage(stderr);
        return PROGRAM_EX_USAGE;
    }
    if (first)
    {
        cfg.range_count = 1;
        cfg.ranges[0].port_type = types[0];
        cfg.ranges[0].transports = transport_of(transport_text);
        cfg.ranges[0].first = first;
        cfg.ranges[0].last = last;
    }
    if (config) config = program_config_path(config, found, sizeof(found)); /* e.g. the installed stun.ini */
    hr = config ? rtcpm_stun_pm_create_from_file(config, &pm, err, sizeof(err))
                : rtcpm_stun_pm_create_ex(&cfg, &pm, err, sizeof(err));
    if (FAILED(hr))
    {
        char name[11];
        fprintf(stderr, "rtcpm-stun-pm: %s: %s\n", rtcpm_hresult_name(hr, name), err);
        return PROGRAM_EX_USAGE;
    }

    for (i = 0; i < 2 && types[i] >= 0; i++)
    {
        struct held *h = &held[held_count];
        BSTR r = remote ? rtcpm_bstr_from_cstr(remote) : NULL;
        char ia[64], ea[64];
        size_t len;
        h->transport = transport_of(transport_text);
        hr = pm->lpVtbl->GetMappingEx(pm, r, 0, h->transport, (RTC_PORT_TYPE)types[i], &h->ia, &h->ip, &h->ea, &h->ep);
        SysFreeString(r);
        if (FAILED(hr))
        {
            char name[11];
            rtcpm_stun_pm_last_error(pm, err, sizeof(err));
            fprintf(stderr, "rtcpm-stun-pm: %s %s: %s: %s\n", type_names[types[i]], transport_text,
                    rtcpm_hresult_name(hr, name), err);
            rc = 1;
            break;
        }
        held_count++;
        rtcpm_bstr_to_utf8(h->ia, ia, sizeof(ia), &len);
        rtcpm_bstr_to_utf8(h->ea, ea, sizeof(ea), &len);
        printf(strchr(ia, ':') ? "mapping %s %s internal [%s]:%ld external [%s]:%ld\n"
                               : "mapping %s %s internal %s:%ld external %s:%ld\n",
               type_names[types[i]], transport_text, ia, (long)h->ip, ea, (long)h->ep);
    }
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
    for (i = 0; i < held_count; i++)
    {
        if (FAILED(hr = pm->lpVtbl->ReleaseMappingEx(pm, held[i].transport, held[i].ia, held[i].ip, held[i].ea,
                                                     held[i].ep)))
        {
            fprintf(stderr, "rtcpm-stun-pm: release failed: 0x%08lx\n", (unsigned long)hr);
            rc = 1;
        }
        SysFreeString(held[i].ia);
        SysFreeString(held[i].ea);
    }
    pm->lpVtbl->Release(pm);
    fflush(stdout);
    return rc;
}
