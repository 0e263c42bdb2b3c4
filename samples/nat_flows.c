/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nat_flows.c — see nat_flows.h. Written the way an RTC application is: COM calls through
 * COBJMACROS, one step per documented step.
 *
 * The steps follow the RTC Client API documentation (learn.microsoft.com, previous-versions):
 *  - "Create an Outgoing Session When the Client is Behind a NAT": CreateSession,
 *    QueryInterface(IID_IRTCSessionPortManagement), SetPortManager, AddParticipant.
 *  - "Address Mapping": the port manager must be set "before the session is initiated with
 *    the IRTCSession::AddParticipant method".
 *  - IRTCProfilePortManagement::SetPortManager (RTC 1.5): set on the profile before it is
 *    enabled; "GetMapping or GetMappingEx will be called by the RTC Client whenever that
 *    profile gets used, such as in registration".
 * rtcpm_host_* stand in for what rtcdll.dll's objects do (EnableProfile, AddParticipant, ...).
 */
#define COBJMACROS
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "nat_flows.h"
#include "program.h"

static void say(const struct nat_flow_options *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void say(const struct nat_flow_options *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(o->out, fmt, ap);
    va_end(ap);
    fflush(o->out);
}

static const char *hr_name(HRESULT hr)
{
    static char buf[24]; /* the samples are single-threaded */
    return rtcpm_hresult_name(hr, buf);
}

static void print_pm_call(void *ctx, const char *line)
{
    const struct nat_flow_options *o = ctx;
    say(o, "    port manager: %s\n", line);
}

static const char *transport_name(LONG t) { return t == RTCTR_TCP ? "TCP" : t == RTCTR_TLS ? "TLS" : "UDP"; }

/* Prints SIP/SDP text indented, CRLF shown as line ends. */
static void print_text(const struct nat_flow_options *o, const char *text)
{
    const char *p = text;
    while (*p)
    {
        const char *eol = strstr(p, "\r\n");
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        say(o, "    | %.*s\n", (int)n, p);
        p += n + (eol ? 2 : 0);
    }
}

void nat_flow_defaults(struct nat_flow_options *o)
{
    memset(o, 0, sizeof(*o));
    o->local_address = "192.168.1.10";
    o->user_uri = "sip:alice@example.com";
    o->registrar = "198.18.0.1";
    o->transport = RTCTR_UDP;
    o->peer_uri = "sip:bob@example.net";
    o->peer_address = "198.18.0.2";
    o->answer_address = "198.18.0.3";
    o->answer_port = 49170;
    o->pm_version = 3;
    o->config = "static-nat.ini"; /* ./static-nat.ini, else the installed sample (program.h) */
    o->out = stdout;
}

void nat_flow_usage(FILE *f, const char *program, const char *about)
{
    fprintf(f,
            "Usage: %s [options]\n"
            "%s\n"
            "Every port-manager call is printed with its arguments and result, then the\n"
            "Contact header / SDP offer built from the answers.\n"
            "\n"
            "  --local ADDR        the client's own address (default 192.168.1.10)\n"
            "  --user URI          the profile's identity (default sip:alice@example.com)\n"
            "  --registrar ADDR    registrar address (default 198.18.0.1)\n"
            "  --registrar-port N  registrar port (default 5060, 5061 for TLS)\n"
            "  --transport T       udp, tcp or tls (default udp)\n"
            "  --peer-uri URI      the callee (default sip:bob@example.net)\n"
            "  --peer ADDR         where the INVITE goes (default 198.18.0.2)\n"
            "  --peer-port N       its port (default 5060, 5061 for TLS)\n"
            "  --answer ADDR:PORT  media address/port of the callee's answer (default 198.18.0.3:49170)\n"
            "  --config FILE       static port manager with FILE's rules (default: static-nat.ini, from\n"
            "                      the current directory, else the installed share/rtcpm/static-nat.ini)\n"
            "  --sample-pm         the samples' fixed-mapping port manager instead (sample_pm.c)\n"
            "  --video             audio and video call\n"
            "  --no-profile        call without registering first (RTC 1.3 style)\n"
            "  --profile           register first (outgoing_call_nat: the default with --sample-pm)\n"
            "  --pm-version N      --sample-pm answers IRTCPortManager up to N (1..3)\n"
            "  --ipv6              --sample-pm answers IPv6 addresses\n"
            "  --help              this text\n"
            "  --version           the version of rtcpm\n"
            "\n"
            "Exit status: 0 every step did what RTC does, 1 a step failed, 64 bad usage or config.\n",
            program, about);
}

static int parse_long(const char *s, LONG lo, LONG hi, LONG *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) return 0;
    *out = (LONG)v;
    return 1;
}

int nat_flow_parse_args(struct nat_flow_options *o, int argc, char **argv, const char *program, const char *about)
{
    int i;

    for (i = 1; i < argc; i++)
    {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        LONG n;

        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
        {
            nat_flow_usage(o->out, program, about);
            return 1;
        }
        if (!strcmp(a, "--version"))
        {
            program_print_version(program);
            return 1;
        }
        if (!strcmp(a, "--video"))
        {
            o->video = 1;
            continue;
        }
        if (!strcmp(a, "--no-profile"))
        {
            o->no_profile = 1;
            o->profile_given = 1;
            continue;
        }
        if (!strcmp(a, "--profile"))
        {
            o->no_profile = 0;
            o->profile_given = 1;
            continue;
        }
        if (!strcmp(a, "--sample-pm"))
        {
            o->config = NULL;
            continue;
        }
        if (!strcmp(a, "--ipv6"))
        {
            o->ipv6 = 1;
            continue;
        }
        if (!v) goto bad;
        i++;
        if (!strcmp(a, "--local"))
            o->local_address = v;
        else if (!strcmp(a, "--config"))
            o->config = v;
        else if (!strcmp(a, "--user"))
            o->user_uri = v;
        else if (!strcmp(a, "--registrar"))
            o->registrar = v;
        else if (!strcmp(a, "--registrar-port") && parse_long(v, 1, 65535, &n))
            o->registrar_port = n;
        else if (!strcmp(a, "--peer-uri"))
            o->peer_uri = v;
        else if (!strcmp(a, "--peer"))
            o->peer_address = v;
        else if (!strcmp(a, "--peer-port") && parse_long(v, 1, 65535, &n))
            o->peer_port = n;
        else if (!strcmp(a, "--pm-version") && parse_long(v, 1, 3, &n))
            o->pm_version = (int)n;
        else if (!strcmp(a, "--transport"))
        {
            if (!strcmp(v, "udp"))
                o->transport = RTCTR_UDP;
            else if (!strcmp(v, "tcp"))
                o->transport = RTCTR_TCP;
            else if (!strcmp(v, "tls"))
                o->transport = RTCTR_TLS;
            else
                goto bad;
        }
        else if (!strcmp(a, "--answer"))
        {
            /* ADDR:PORT, IPv6 as [ADDR]:PORT */
            static char addr[64];
            const char *colon = strrchr(v, ':');
            size_t len;
            if (!colon || !parse_long(colon + 1, 1, 65533, &n)) goto bad;
            len = (size_t)(colon - v);
            if (len >= 2 && v[0] == '[' && v[len - 1] == ']')
            {
                v++;
                len -= 2;
            }
            if (!len || len >= sizeof(addr)) goto bad;
            memcpy(addr, v, len);
            addr[len] = 0;
            o->answer_address = addr;
            o->answer_port = n;
        }
        else
            goto bad;
        continue;
    bad:
        fprintf(stderr, "%s: bad option or value: %s%s%s (try --help)\n", program, a, v ? " " : "", v ? v : "");
        return -1;
    }
    return 0;
}

/* Wraps pm so that every call is printed; NULL stays NULL (no port manager). */
static IRTCPortManager *traced(IRTCPortManager *pm, const struct nat_flow_options *o)
{
    IRTCPortManager *t = NULL;
    if (!pm) return NULL;
    if (FAILED(rtcpm_trace_pm_create(pm, print_pm_call, (void *)o, &t))) return NULL;
    return t;
}

/* RTC's client object: created, and asked (like a port manager would) for its SIP range. */
static IRTCClientPortManagement *make_client(const struct nat_flow_options *o)
{
    IRTCClientPortManagement *client = NULL;
    LONG min = 0, max = 0;
    HRESULT hr = rtcpm_host_create_client(o->local_address, &client);

    if (FAILED(hr))
    {
        say(o, "client (%s): %s\n", o->local_address, hr_name(hr));
        return NULL;
    }
    IRTCClientPortManagement_GetPortRange(client, RTCPT_SIP, &min, &max);
    say(o, "client: local address %s, SIP ports %ld-%ld\n", o->local_address, (long)min, (long)max);
    return client;
}

/* The flow's result for a failed EnableProfile / AddParticipant. */
static int mapping_failed(const struct nat_flow_options *o, HRESULT hr)
{
    if (o->hooks && o->hooks->mapping_failed) return o->hooks->mapping_failed(o->hooks->ctx, hr);
    return 1;
}

/* Creates and enables a profile with pm set on it; prints the REGISTER's Contact. A failed
 * EnableProfile sets *result (the mapping_failed hook's answer). */
static IRTCProfilePortManagement *register_profile(IRTCClientPortManagement *client, IRTCPortManager *pm,
                                                   const struct nat_flow_options *o, int *failed, int *result)
{
    IRTCProfilePortManagement *profile = NULL, *ppm = NULL;
    char contact[256];
    HRESULT hr;

    hr = rtcpm_host_create_profile(client, o->user_uri, o->registrar, o->registrar_port, o->transport, &profile);
    say(o, "profile %s, registrar %s port %ld %s: %s\n", o->user_uri, o->registrar,
        (long)(o->registrar_port           ? o->registrar_port
               : o->transport == RTCTR_TLS ? 5061
                                           : 5060),
        transport_name(o->transport), hr_name(hr));
    if (FAILED(hr))
    {
        *failed = 1;
        return NULL;
    }

    /* The application asks the profile for its port-management interface ... */
    hr = IRTCProfilePortManagement_QueryInterface(profile, &IID_IRTCProfilePortManagement, (void **)&ppm);
    if (FAILED(hr))
    {
        *failed = 1;
        IRTCProfilePortManagement_Release(profile);
        return NULL;
    }
    /* ... and sets its port manager before enabling the profile. */
    if (pm)
    {
        hr = IRTCProfilePortManagement_SetPortManager(ppm, pm);
        say(o, "IRTCProfilePortManagement::SetPortManager: %s\n", hr_name(hr));
        if (FAILED(hr)) *failed = 1;
    }
    else
        say(o, "no port manager: RTC uses its own addresses\n");
    IRTCProfilePortManagement_Release(ppm);

    say(o, "EnableProfile (REGISTER):\n");
    hr = rtcpm_host_profile_enable(profile);
    say(o, "  -> %s\n", hr_name(hr));
    if (FAILED(hr))
    {
        *failed = 1;
        if (!*result) *result = mapping_failed(o, hr);
        IRTCProfilePortManagement_Release(profile);
        return NULL;
    }
    if (SUCCEEDED(rtcpm_host_profile_contact(profile, contact, sizeof(contact))))
    {
        say(o, "  the REGISTER carries:\n");
        print_text(o, contact);
    }
    else
        *failed = 1;
    return profile;
}

static void unregister_profile(IRTCProfilePortManagement *profile, const struct nat_flow_options *o, int *failed)
{
    HRESULT hr;
    say(o, "DisableProfile (REGISTER, expires 0):\n");
    hr = rtcpm_host_profile_disable(profile);
    say(o, "  -> %s\n", hr_name(hr));
    if (FAILED(hr)) *failed = 1;
    IRTCProfilePortManagement_Release(profile);
}

int nat_flow_registration(IRTCPortManager *pm, const struct nat_flow_options *o)
{
    IRTCPortManager *t = traced(pm, o);
    IRTCClientPortManagement *client;
    IRTCProfilePortManagement *profile;
    int failed = 0, result = 0;

    say(o, "== Registration from behind a NAT ==\n");
    if (pm && !t) return 1;
    if (!(client = make_client(o)))
    {
        if (t) IRTCPortManager_Release(t);
        return 1;
    }
    profile = register_profile(client, t, o, &failed, &result);
    if (profile)
    {
        /* the REGISTER goes out while the mapping is held */
        if (o->hooks && o->hooks->registered) result = o->hooks->registered(o->hooks->ctx, profile);
        unregister_profile(profile, o, &failed);
    }
    IRTCClientPortManagement_Release(client);
    if (t) IRTCPortManager_Release(t);
    say(o, "%s\n\n", failed || result ? "registration flow FAILED" : "registration flow done");
    return result ? result : failed;
}

int nat_flow_outgoing_call(IRTCPortManager *pm, const struct nat_flow_options *o)
{
    IRTCPortManager *t = traced(pm, o);
    IRTCClientPortManagement *client;
    IRTCProfilePortManagement *profile = NULL;
    IRTCSessionPortManagement *session = NULL, *spm = NULL;
    unsigned media = RTCPM_HOST_MEDIA_AUDIO | (o->video ? RTCPM_HOST_MEDIA_VIDEO : 0);
    const struct nat_flow_hooks *hooks = o->hooks;
    struct nat_flow_answer answer;
    char text[2048];
    LONG level = 0;
    int failed = 0, result = 0, invited = 0;
    HRESULT hr;

    say(o, "== Outgoing %s call from behind a NAT ==\n", o->video ? "audio+video" : "audio");
    if (pm && !t) return 1;
    if (!(client = make_client(o)))
    {
        if (t) IRTCPortManager_Release(t);
        return 1;
    }
    if (!o->no_profile && !(profile = register_profile(client, t, o, &failed, &result))) goto done;

    /* CreateSession */
    hr = rtcpm_host_create_session(client, profile, o->peer_uri, o->peer_address, o->peer_port, o->transport, &session);
    say(o, "CreateSession to %s via %s: %s\n", o->peer_uri, o->peer_address, hr_name(hr));
    if (FAILED(hr))
    {
        failed = 1;
        goto done;
    }

    /* QueryInterface(IID_IRTCSessionPortManagement), SetPortManager: before AddParticipant */
    hr = IRTCSessionPortManagement_QueryInterface(session, &IID_IRTCSessionPortManagement, (void **)&spm);
    if (FAILED(hr))
    {
        failed = 1;
        goto done;
    }
    hr = IRTCSessionPortManagement_SetPortManager(spm, t);
    say(o, "IRTCSessionPortManagement::SetPortManager(%s): %s\n", t ? "port manager" : "NULL", hr_name(hr));
    if (FAILED(hr)) failed = 1;

    /* AddParticipant: RTC asks for every mapping of the call and sends the INVITE */
    say(o, "AddParticipant (INVITE):\n");
    hr = rtcpm_host_session_call(session, media);
    say(o, "  -> %s\n", hr_name(hr));
    if (FAILED(hr))
    {
        failed = 1;
        result = mapping_failed(o, hr);
        goto done;
    }
    rtcpm_host_session_pm_level(session, &level);
    if (level) say(o, "  (the port manager answers IRTCPortManager%s)\n", level == 3 ? "3" : level == 2 ? "2" : "");
    if (SUCCEEDED(rtcpm_host_session_contact(session, text, sizeof(text))))
    {
        say(o, "  the INVITE carries:\n");
        print_text(o, text);
    }
    else
        failed = 1;
    if (SUCCEEDED(rtcpm_host_session_sdp(session, 1, 1, text, sizeof(text))))
    {
        say(o, "  with the SDP offer:\n");
        print_text(o, text);
    }
    else
        failed = 1;

    memset(&answer, 0, sizeof(answer));
    snprintf(answer.address, sizeof(answer.address), "%s", o->answer_address);
    answer.port = o->answer_port;
    if (hooks && hooks->invite)
    {
        invited = 1;
        if ((result = hooks->invite(hooks->ctx, session, &answer))) goto terminate;
    }

    /* 200 OK: the answer's media address may not be the one the INVITE went to */
    say(o, "200 OK: the answer puts audio at %s port %ld%s\n", answer.address, (long)answer.port,
        o->video ? " (video 2 above)" : "");
    hr = rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, answer.address, answer.port,
                                          answer.rtcp_port);
    if (SUCCEEDED(hr) && o->video)
        hr = rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_VIDEO, answer.address, answer.port + 2, 0);
    say(o, "  -> %s\n", hr_name(hr));
    if (FAILED(hr)) failed = 1;
    if (hooks && hooks->media && !failed) result = hooks->media(hooks->ctx, session);

terminate:
    /* Terminate: BYE, every mapping released */
    say(o, "Terminate (BYE):\n");
    if (invited && hooks->bye)
    {
        int r = hooks->bye(hooks->ctx, session);
        if (!result) result = r;
    }
    hr = rtcpm_host_session_hangup(session);
    say(o, "  -> %s\n", hr_name(hr));
    if (FAILED(hr)) failed = 1;

done:
    if (spm) IRTCSessionPortManagement_Release(spm);
    if (session) IRTCSessionPortManagement_Release(session);
    if (profile) unregister_profile(profile, o, &failed);
    IRTCClientPortManagement_Release(client);
    if (t) IRTCPortManager_Release(t);
    say(o, "%s\n\n", failed || result ? "outgoing call flow FAILED" : "outgoing call flow done");
    return result ? result : failed;
}
