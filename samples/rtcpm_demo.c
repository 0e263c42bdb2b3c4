/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm-demo — what an RTC 1.5 application behind a NAT does, with rtcpm's port managers and
 * host objects: `register` enables a profile (RTC asks the port manager for the SIP mapping
 * towards the registrar), `call` places a call (SIP, RTP, RTCP mappings). Every port-manager
 * call is printed with its arguments and result (rtcpm_trace_pm), then the Contact header /
 * SDP offer built from the answers, then the releases.
 *
 * With --registrar / --peer it also talks to the network, as RTC would, from the internal
 * ports the port manager mapped: a real REGISTER, or an INVITE, ACK, the first RTP packet
 * (waiting for one back) and a BYE (src/host/sip_ua). See usage() and README "rtcpm-demo".
 */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rtcpm/rtcpm.h"
#include "nat_flows.h"
#include "demo_net.h"
#include "program.h"
#include "demo_pms.h"
#include "os/socket.h"

enum command
{
    CMD_NONE,
    CMD_REGISTER,
    CMD_CALL
};

struct static_map
{
    int port_type; /* RTC_PORT_TYPE */
    const char *name;
    rtcpm_addr external; /* with port */
};

struct demo_options
{
    enum command cmd;
    const char *config; /* --config FILE (program_config_path: maybe the installed sample) */
    char config_found[1024];
    const char *stun;          /* --stun HOST[:PORT][,HOST[:PORT]...] */
    enum demo_pm_kind nego;    /* --pcp / --upnp / --auto */
    const char *nego_arg;      /* --pcp SERVER, --upnp IGD-URL */
    struct static_map maps[5]; /* --static-map, one per port type */
    int nmaps;
    const char *server_text; /* --registrar / --peer as given */
    rtcpm_addr server;
    int have_server;
    const char *local; /* --local ADDR */
    LONG local_port, rtp_port;
    int local_port_given, rtp_port_given;
    const char *user, *to;
    int video, show_sip;
    struct sip_ua_timers timers;
    int media_timeout_ms;
    long expires;
};

static void usage(FILE *f, enum command cmd)
{
    if (cmd == CMD_NONE)
        fprintf(f, "Usage: rtcpm-demo register|call [options]   (rtcpm-demo register --help, call --help)\n"
                   "\n"
                   "What an RTC 1.5 application behind a NAT does with a port manager: `register`\n"
                   "enables a SIP profile (RTC asks for the SIP mapping towards the registrar), `call`\n"
                   "places an audio call (SIP, RTP, RTCP mappings). Every port-manager call is printed\n"
                   "with its arguments and result, then the Contact header / SDP offer built from the\n"
                   "answers, then the releases. With --registrar / --peer the REGISTER / INVITE is\n"
                   "really sent over UDP from the internal port the port manager mapped.\n");
    else
        fprintf(f, "Usage: rtcpm-demo %s [options]\n\n%s", cmd == CMD_REGISTER ? "register" : "call",
                cmd == CMD_REGISTER
                    ? "Enables a profile: GetMappingEx(registrar, SIP), the REGISTER's Contact, the release.\n"
                      "With --registrar: sends the REGISTER and reports the final response.\n"
                    : "Places a call: GetMappingEx for SIP, AUDIO_RTP, AUDIO_RTCP (+ video), the INVITE's\n"
                      "Contact and SDP offer, UpdateRemoteAddressEx2 for the answer, the releases. With\n"
                      "--peer: sends the INVITE, ACKs the answer, sends RTP from the internal RTP port\n"
                      "to the answer's media address until one packet comes back, then BYE.\n");
    fprintf(f, "\n"
               "Port manager (exactly one):\n"
               "  --config FILE          static port manager with the rules of FILE (INI; README\n"
               "                         \"Static port manager config\"); a bare name not in the\n"
               "                         current directory is looked up in the installed\n"
               "                         share/rtcpm: --config static-nat.ini\n"
               "  --static-map T=IP:PORT static port manager: the internal port of T is forwarded from\n"
               "                         IP:PORT (repeat per T). T = sip (internal port --local-port),\n"
               "                         rtp, rtcp, video-rtp, video-rtcp (--rtp-port, +1, +2, +3)\n"
               "  --pcp [SERVER]         PCP port manager (NAT-PMP when the NAT speaks only that);\n"
               "                         default: the default gateway\n"
               "  --upnp [IGD-URL]       UPnP IGD port manager (Windows: the system's UPnP NAT API;\n"
               "                         natively SSDP, or the root description URL); --stun gives\n"
               "                         the external address when the IGD does not (Wine)\n"
               "  --auto                 automatic: PCP, NAT-PMP, UPnP, then STUN with the --stun\n"
               "                         servers, then local addresses\n"
               "  --stun HOST[:PORT]     STUN port manager asking that server (default port 3478; a\n"
               "                         comma-separated list is tried in order); ports: the OS\n"
               "                         picks them, or --local-port / --rtp-port\n"
               "Network (without it nothing is sent: only the port manager's answers are shown):\n"
               "  --registrar HOST[:PORT]  register: the registrar (IP literal, default port 5060)\n"
               "  --peer HOST[:PORT]       call: the called party or its proxy (default port 5060)\n"
               "Client:\n"
               "  --local ADDR           the client's own address (default: the source address of the\n"
               "                         route to the registrar/peer; 192.168.1.10 without one)\n"
               "  --local-port N         internal SIP port (--static-map: default 5060)\n"
               "  --rtp-port N           internal RTP port, RTCP N+1 (--static-map: default 30000)\n"
               "  --user URI             the profile's identity (default sip:alice@example.com)\n"
               "  --to URI               call: the callee (default sip:bob@example.net)\n"
               "  --video                call: audio and video\n"
               "  --t1 MS                SIP retransmission timer T1 (default 500)\n"
               "  --timeout MS           SIP transaction timeout (default 8000)\n"
               "  --media-timeout MS     call: wait this long for media to come back (default 5000)\n"
               "  --expires S            register: Expires of the REGISTER (default 3600)\n"
               "  --show-sip             print whole SIP messages, not only their first lines\n"
               "  --help                 this text\n"
               "  --version              the version of rtcpm\n"
               "\n"
               "Output lines for scripts: `mapping sip|rtp|rtcp INT_IP:PORT -> EXT_IP:PORT`,\n"
               "`register: CODE REASON`, `call: CODE REASON`, `media: received from IP:PORT ...`.\n"
               "Exit codes: 0 2xx (call: and media came back), 1 3xx-6xx, 2 no answer (SIP or media),\n"
               "3 port mapping failed (nothing sent), 64 usage or configuration error, 70 internal error.\n");
}

static int bad(const char *what, const char *value)
{
    fprintf(stderr, "rtcpm-demo: %s%s%s (try --help)\n", what, value ? ": " : "", value ? value : "");
    return -1;
}

static int parse_number(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    if (!s || !*s) return 0;
    v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi) return 0;
    *out = v;
    return 1;
}

static int parse_hostport(const char *s, uint16_t default_port, rtcpm_addr *out)
{
    return s && rtcpm_addr_parse_hostport(s, strlen(s), out, default_port) == RTCPM_ADDR_OK;
}

static int parse_static_map(struct demo_options *d, const char *v)
{
    static const struct
    {
        const char *name;
        int type;
    } types[] = {
        { "sip", RTCPT_SIP },
        { "rtp", RTCPT_AUDIO_RTP },
        { "audio-rtp", RTCPT_AUDIO_RTP },
        { "rtcp", RTCPT_AUDIO_RTCP },
        { "audio-rtcp", RTCPT_AUDIO_RTCP },
        { "video-rtp", RTCPT_VIDEO_RTP },
        { "video-rtcp", RTCPT_VIDEO_RTCP },
    };
    const char *eq = strchr(v, '=');
    size_t i, n;
    int k;

    if (!eq) return bad("--static-map wants T=IP:PORT", v);
    n = (size_t)(eq - v);
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strlen(types[i].name) == n && !strncmp(types[i].name, v, n)) break;
    if (i == sizeof(types) / sizeof(types[0]))
        return bad("--static-map: T is sip, rtp, rtcp, video-rtp or video-rtcp", v);
    for (k = 0; k < d->nmaps; k++)
        if (d->maps[k].port_type == types[i].type) return bad("--static-map given twice for", types[i].name);
    if (!parse_hostport(eq + 1, 0, &d->maps[d->nmaps].external) || !d->maps[d->nmaps].external.port)
        return bad("--static-map wants an external IP:PORT", v);
    d->maps[d->nmaps].port_type = types[i].type;
    d->maps[d->nmaps].name = types[i].name;
    d->nmaps++;
    return 0;
}

/* 0 ok, 1 help printed, -1 error (message printed). */
static int parse_args(int argc, char **argv, struct demo_options *d)
{
    int i;
    long n;

    memset(d, 0, sizeof(*d));
    d->local_port = 5060;
    d->rtp_port = 30000;
    d->user = "sip:alice@example.com";
    d->to = "sip:bob@example.net";
    rtcpm_sip_ua_timers_default(&d->timers);
    d->media_timeout_ms = 5000;
    d->expires = 3600;

    if (argc < 2) return bad("a subcommand is needed: register or call", NULL);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
    {
        usage(stdout, CMD_NONE);
        return 1;
    }
    if (!strcmp(argv[1], "--version"))
    {
        program_print_version("rtcpm-demo");
        return 1;
    }
    if (!strcmp(argv[1], "register"))
        d->cmd = CMD_REGISTER;
    else if (!strcmp(argv[1], "call"))
        d->cmd = CMD_CALL;
    else
        return bad("unknown subcommand (register or call)", argv[1]);

    for (i = 2; i < argc; i++)
    {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
        {
            usage(stdout, d->cmd);
            return 1;
        }
        if (!strcmp(a, "--version"))
        {
            program_print_version("rtcpm-demo");
            return 1;
        }
        if (!strcmp(a, "--video"))
        {
            if (d->cmd != CMD_CALL) return bad("--video is for call", NULL);
            d->video = 1;
            continue;
        }
        if (!strcmp(a, "--show-sip"))
        {
            d->show_sip = 1;
            continue;
        }
        if (!strcmp(a, "--pcp") || !strcmp(a, "--upnp") || !strcmp(a, "--auto"))
        {
            if (d->nego) return bad("one of --pcp, --upnp, --auto", a);
            d->nego = a[2] == 'p' ? DEMO_PM_PCP : a[2] == 'u' ? DEMO_PM_UPNP : DEMO_PM_AUTO;
            if (d->nego != DEMO_PM_AUTO && v && strncmp(v, "--", 2)) d->nego_arg = v, i++;
            continue;
        }
        if (strncmp(a, "--", 2)) return bad("unexpected argument", a);
        if (!v) return bad("missing value after", a);
        i++;
        if (!strcmp(a, "--config"))
            d->config = program_config_path(v, d->config_found, sizeof(d->config_found));
        else if (!strcmp(a, "--stun"))
            d->stun = v; /* the STUN port manager checks the list */
        else if (!strcmp(a, "--static-map"))
        {
            if (d->nmaps == 5 || parse_static_map(d, v)) return d->nmaps == 5 ? bad("too many --static-map", v) : -1;
        }
        else if (!strcmp(a, "--registrar") || !strcmp(a, "--peer"))
        {
            int want = !strcmp(a, "--registrar") ? CMD_REGISTER : CMD_CALL;
            if ((int)d->cmd != want)
                return bad(want == CMD_REGISTER ? "--registrar is for register (call takes --peer)"
                                                : "--peer is for call (register takes --registrar)",
                           NULL);
            if (!parse_hostport(v, 5060, &d->server)) return bad("wants HOST[:PORT] (an IP literal)", v);
            d->server_text = v;
            d->have_server = 1;
        }
        else if (!strcmp(a, "--local"))
        {
            rtcpm_addr x;
            if (rtcpm_addr_parse(v, strlen(v), &x) != RTCPM_ADDR_OK) return bad("--local wants an IP address", v);
            d->local = v;
        }
        else if (!strcmp(a, "--local-port"))
        {
            if (!parse_number(v, 1, 65535, &n)) return bad("--local-port wants 1..65535", v);
            d->local_port = (LONG)n;
            d->local_port_given = 1;
        }
        else if (!strcmp(a, "--rtp-port"))
        {
            if (!parse_number(v, 1, 65532, &n)) return bad("--rtp-port wants 1..65532", v);
            d->rtp_port = (LONG)n;
            d->rtp_port_given = 1;
        }
        else if (!strcmp(a, "--user"))
            d->user = v;
        else if (!strcmp(a, "--to"))
            d->to = v;
        else if (!strcmp(a, "--t1"))
        {
            if (!parse_number(v, 1, 60000, &n)) return bad("--t1 wants 1..60000 ms", v);
            d->timers.t1_ms = (int)n;
            if (d->timers.t2_ms < d->timers.t1_ms) d->timers.t2_ms = d->timers.t1_ms;
        }
        else if (!strcmp(a, "--timeout"))
        {
            if (!parse_number(v, 1, 3600000, &n)) return bad("--timeout wants 1..3600000 ms", v);
            d->timers.timeout_ms = (int)n;
        }
        else if (!strcmp(a, "--media-timeout"))
        {
            if (!parse_number(v, 1, 3600000, &n)) return bad("--media-timeout wants 1..3600000 ms", v);
            d->media_timeout_ms = (int)n;
        }
        else if (!strcmp(a, "--expires"))
        {
            if (d->cmd != CMD_REGISTER) return bad("--expires is for register", NULL);
            if (!parse_number(v, 0, 0x7fffffffL, &n)) return bad("--expires wants 0..2147483647 s", v);
            d->expires = n;
        }
        else
            return bad("unknown option", a);
    }
    if (!!d->config + !!(d->stun && !d->nego) + !!d->nmaps + !!d->nego != 1)
        return bad("give exactly one port manager: --config FILE, --static-map T=IP:PORT, --stun HOST[:PORT], "
                   "--pcp, --upnp or --auto",
                   NULL);
    return 0;
}

/* ---- port managers ---------------------------------------------------------------------------- */

static void static_reason(void *ctx, char *buf, size_t len)
{
    (void)ctx;
    snprintf(buf, len,
             "no rule of the static port manager matches this port type, transport and remote, "
             "or all of its ports are in use");
}

/* The static port manager of --config or --static-map; exit code or 0. */
static int make_static_pm(const struct demo_options *d, const rtcpm_addr *local, IRTCPortManager3 **out)
{
    char err[512] = "";
    HRESULT hr;
    int i;

    *out = NULL;
    if (FAILED(hr = rtcpm_static_pm_create(out))) return DEMO_EXIT_INTERNAL;
    if (d->config)
    {
        hr = rtcpm_static_pm_load_file(*out, d->config, err, sizeof(err));
        if (FAILED(hr))
        {
            char name[11];
            fprintf(stderr, "rtcpm-demo: --config: %s\n", err[0] ? err : rtcpm_hresult_name(hr, name));
            IRTCPortManager3_Release(*out);
            *out = NULL;
            return DEMO_EXIT_USAGE;
        }
        return 0;
    }
    for (i = 0; i < d->nmaps; i++)
    {
        char in_text[RTCPM_ADDR_TEXT_SIZE], ex_text[RTCPM_ADDR_TEXT_SIZE];
        struct rtcpm_static_rule rule;

        memset(&rule, 0, sizeof(rule));
        rtcpm_addr_format(local, in_text, sizeof(in_text));
        rtcpm_addr_format(&d->maps[i].external, ex_text, sizeof(ex_text));
        rule.port_type = d->maps[i].port_type;
        rule.transports = RTCTR_UDP;
        rule.internal_address = in_text;
        /* AUDIO_RTP 0, AUDIO_RTCP 1, VIDEO_RTP 2, VIDEO_RTCP 3: --rtp-port + 0..3 */
        rule.internal_port_first =
            d->maps[i].port_type == RTCPT_SIP ? d->local_port : d->rtp_port + d->maps[i].port_type;
        rule.external_address = ex_text;
        rule.external_port_first = d->maps[i].external.port;
        if (FAILED(rtcpm_static_pm_add_rule_ex(*out, &rule, err, sizeof(err))))
        {
            fprintf(stderr, "rtcpm-demo: --static-map %s: %s\n", d->maps[i].name, err);
            IRTCPortManager3_Release(*out);
            *out = NULL;
            return DEMO_EXIT_USAGE;
        }
    }
    return 0;
}

static void stun_reason(void *ctx, char *buf, size_t len) { rtcpm_stun_pm_last_error(ctx, buf, len); }

/* The STUN port manager of --stun; exit code or 0. --local, --local-port and --rtp-port
 * become its local address and port ranges. */
static int make_stun_pm(const struct demo_options *d, IRTCPortManager3 **out)
{
    struct rtcpm_stun_pm_config cfg;
    char err[512] = "", name[11];
    HRESULT hr;

    rtcpm_stun_pm_config_init(&cfg);
    cfg.servers = d->stun;
    cfg.local_addresses = d->local;
    if (d->local_port_given)
    {
        struct rtcpm_stun_pm_range *r = &cfg.ranges[cfg.range_count++];
        r->port_type = RTCPT_SIP;
        r->first = d->local_port;
    }
    if (d->rtp_port_given && d->rtp_port % 2)
    {
        fprintf(stderr, "rtcpm-demo: --rtp-port %ld: the STUN port manager puts RTP on an even port\n",
                (long)d->rtp_port);
        return DEMO_EXIT_USAGE;
    }
    if (d->rtp_port_given)
    {
        /* RTP on the (even) --rtp-port, RTCP on the next: the STUN PM pairs them */
        struct rtcpm_stun_pm_range *r = &cfg.ranges[cfg.range_count++];
        r->port_type = RTCPT_AUDIO_RTP;
        r->first = d->rtp_port;
        r->last = d->rtp_port + 1;
        r = &cfg.ranges[cfg.range_count++];
        r->port_type = RTCPT_VIDEO_RTP;
        r->first = d->rtp_port + 2;
        r->last = d->rtp_port + 3;
    }
    if (FAILED(hr = rtcpm_stun_pm_create_ex(&cfg, out, err, sizeof(err))))
    {
        fprintf(stderr, "rtcpm-demo: --stun %s: %s\n", d->stun, err[0] ? err : rtcpm_hresult_name(hr, name));
        return hr == E_INVALIDARG ? DEMO_EXIT_USAGE : DEMO_EXIT_INTERNAL;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct demo_options d;
    struct nat_flow_options o;
    struct nat_flow_hooks hooks;
    struct demo_net net;
    IRTCPortManager3 *pm3 = NULL;
    IRTCPortManager *pm = NULL;
    char local_text[RTCPM_ADDR_TEXT_SIZE], server_text[RTCPM_ADDR_TEXT_SIZE], e[128];
    rtcpm_addr local, stun_server;
    int r, code;

    r = parse_args(argc, argv, &d);
    if (r) return r > 0 ? 0 : DEMO_EXIT_USAGE;

    /* The client's own address: where the OS routes to the server from, as RTC binds. */
    if (d.local)
        rtcpm_addr_parse(d.local, strlen(d.local), &local);
    else if (d.have_server)
    {
        int err = 0, rc = rtcpm_route_local_addr(&d.server, &local, &err);
        if (rc != RTCPM_SOCK_OK)
        {
            fprintf(stderr, "rtcpm-demo: no route to %s: %s\n", d.server_text, rtcpm_os_error_text(err, e, sizeof(e)));
            return DEMO_EXIT_NO_ANSWER;
        }
    }
    else if (d.stun && rtcpm_addr_parse_hostport(d.stun, strcspn(d.stun, ","), &stun_server, 3478) == RTCPM_ADDR_OK &&
             rtcpm_route_local_addr(&stun_server, &local, NULL) == RTCPM_SOCK_OK)
        ; /* print only with --stun: the address the STUN port manager finds too */
    else
        rtcpm_addr_parse("192.168.1.10", 12, &local);
    rtcpm_addr_format(&local, local_text, sizeof(local_text));

    demo_net_init(&net, &hooks);
    net.send = d.have_server;
    net.server = d.server;
    net.user_uri = d.user;
    net.peer_uri = d.to;
    net.expires = d.expires;
    net.timers = d.timers;
    net.media_timeout_ms = d.media_timeout_ms;
    net.show_sip = d.show_sip;
    net.command = d.cmd == CMD_REGISTER ? "register" : "call";

    if (d.nego)
    {
        struct demo_pm_request rq = { d.nego,
                                      d.nego_arg,
                                      d.stun,
                                      d.local,
                                      d.local_port_given ? d.local_port : 0,
                                      d.rtp_port_given ? d.rtp_port : 0 };
        if ((code = demo_make_negotiating_pm(&rq, &pm3, &net.pm_reason))) return code;
        net.pm_reason_ctx = pm3;
    }
    else if (d.stun)
    {
        if ((code = make_stun_pm(&d, &pm3))) return code;
        net.pm_reason = stun_reason;
        net.pm_reason_ctx = pm3;
    }
    else
    {
        if ((code = make_static_pm(&d, &local, &pm3))) return code;
        net.pm_reason = static_reason;
    }
    IRTCPortManager3_QueryInterface(pm3, &IID_IRTCPortManager, (void **)&pm);

    printf("rtcpm-demo %s: %s port manager (%s%s), local address %s, %s%s\n\n", net.command,
           d.nego   ? demo_pm_kind_name(d.nego)
           : d.stun ? "STUN"
                    : "static",
           d.nego     ? (d.nego == DEMO_PM_PCP    ? "--pcp "
                         : d.nego == DEMO_PM_UPNP ? "--upnp "
                                                  : "--auto")
           : d.stun   ? "--stun "
           : d.config ? "--config "
                      : "--static-map",
           d.nego     ? (d.nego_arg               ? d.nego_arg
                         : d.nego == DEMO_PM_AUTO ? ""
                                                  : "(default)")
           : d.stun   ? d.stun
           : d.config ? d.config
                      : "",
           local_text, d.have_server ? (d.cmd == CMD_REGISTER ? "registrar " : "peer ") : "print only (no ",
           d.have_server ? d.server_text : (d.cmd == CMD_REGISTER ? "--registrar)" : "--peer)"));
    fflush(stdout);

    nat_flow_defaults(&o);
    o.local_address = local_text;
    o.user_uri = d.user;
    o.peer_uri = d.to;
    o.video = d.video;
    o.no_profile = 1; /* a call without registering first: only the session's mappings */
    o.hooks = &hooks;
    if (d.have_server)
    {
        rtcpm_addr_format(&d.server, server_text, sizeof(server_text));
        if (d.cmd == CMD_REGISTER)
        {
            o.registrar = server_text;
            o.registrar_port = d.server.port;
        }
        else
        {
            o.peer_address = server_text;
            o.peer_port = d.server.port;
        }
    }

    r = d.cmd == CMD_REGISTER ? nat_flow_registration(pm, &o) : nat_flow_outgoing_call(pm, &o);
    demo_net_close(&net);
    IRTCPortManager_Release(pm);
    IRTCPortManager3_Release(pm3);
    if (net.code > 0) return net.code;
    return r ? DEMO_EXIT_INTERNAL : DEMO_EXIT_OK;
}
