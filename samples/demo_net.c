/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * demo_net.c — see demo_net.h.
 */
#define COBJMACROS
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "demo_net.h"
#include "os/os_platform.h"

static void say(struct demo_net *net, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void say(struct demo_net *net, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(net->out, fmt, ap);
    va_end(ap);
    fflush(net->out);
}

/* Sets the exit code (the first one decided wins) and returns it, for a hook's result. */
static int decide(struct demo_net *net, int code)
{
    if (net->code < 0) net->code = code;
    return net->code ? net->code : 0;
}

static const char *hostport(const rtcpm_addr *a, char *buf, size_t len)
{
    if (rtcpm_addr_format_hostport(a, buf, len) < 0) snprintf(buf, len, "?");
    return buf;
}

static const char *os_error(int err, char *buf, size_t len) { return rtcpm_os_error_text(err, buf, len); }

/* "mapping sip 198.18.1.2:5070 -> 198.19.1.3:15070" (IPv6 in brackets): the line the e2e
 * harness reads. Returns the internal side in *internal. */
static int print_mapping(struct demo_net *net, const char *name, const struct rtcpm_host_mapping *m,
                         rtcpm_addr *internal)
{
    rtcpm_addr in, ex;
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], b[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];

    if (rtcpm_addr_parse(m->internal_address, strlen(m->internal_address), &in) ||
        rtcpm_addr_parse(m->external_address, strlen(m->external_address), &ex))
        return 0;
    in.port = (uint16_t)m->internal_port;
    ex.port = (uint16_t)m->external_port;
    say(net, "mapping %s %s -> %s\n", name, hostport(&in, a, sizeof(a)), hostport(&ex, b, sizeof(b)));
    if (internal) *internal = in;
    return 1;
}

/* Binds a UDP socket to the internal side of a mapping: RTC would listen there. */
static int bind_mapped(struct demo_net *net, const char *name, const rtcpm_addr *internal, rtcpm_socket **out)
{
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], e[128];
    int err = 0, rc = rtcpm_socket_open(out, RTCPM_SOCK_UDP, internal, &err);
    if (rc == RTCPM_SOCK_OK) return 1;
    fflush(net->out);
    fprintf(stderr, "rtcpm-demo: cannot bind the %s port %s the port manager mapped: %s (%s)\n", name,
            hostport(internal, a, sizeof(a)), os_error(err, e, sizeof(e)), rtcpm_sock_error_name(rc));
    return 0;
}

/* The observer of sip_ua: what goes over the wire, first lines only unless show_sip. */
static void print_message(struct demo_net *net, const char *arrow, const char *text)
{
    if (net->show_sip)
    {
        const char *p = text;
        while (*p)
        {
            size_t n = strcspn(p, "\r\n");
            say(net, "    %s %.*s\n", arrow, (int)n, p);
            p += n;
            if (*p == '\r') p++;
            if (*p == '\n') p++;
        }
        return;
    }
    say(net, "  %s %.*s\n", arrow, (int)strcspn(text, "\r\n"), text);
}

static void on_sip(void *ctx, enum sip_ua_event ev, int n, const char *text, const struct sip_response *resp,
                   const rtcpm_addr *from)
{
    struct demo_net *net = ctx;
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    (void)resp;
    switch (ev)
    {
    case SIP_UA_SENT:
        if (n) say(net, "  (retransmission %d)\n", n);
        if (!n || net->show_sip) print_message(net, "->", text);
        break;
    case SIP_UA_RECEIVED: print_message(net, "<-", text); break;
    case SIP_UA_IGNORED: say(net, "  (ignored a datagram from %s: %s)\n", hostport(from, a, sizeof(a)), text); break;
    }
}

static int start_ua(struct demo_net *net, const rtcpm_addr *via, const char *remote_uri)
{
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    int rc = rtcpm_sip_ua_init(&net->ua, net->sip, &net->server, via, net->user_uri, remote_uri, &net->timers);
    if (rc != SIP_UA_OK)
    {
        fflush(net->out);
        fprintf(stderr, "rtcpm-demo: cannot set up SIP (%s): check --user/--to\n", rtcpm_sip_ua_result_name(rc));
        return decide(net, rc == SIP_UA_E_BUILD ? DEMO_EXIT_USAGE : DEMO_EXIT_INTERNAL);
    }
    net->ua.user_agent = "rtcpm-demo";
    net->ua.observer = on_sip;
    net->ua.observer_ctx = net;
    net->ua_ready = 1;
    say(net, "SIP over UDP to %s\n", hostport(&net->server, a, sizeof(a)));
    return 0;
}

/* Exit code and result line for a transaction's outcome. */
static int report(struct demo_net *net, int rc, const struct sip_response *final)
{
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], e[128];
    switch (rc)
    {
    case SIP_UA_OK:
        say(net, "%s: %d %s\n", net->command, final->code, final->reason);
        return final->code < 300 ? 0 : decide(net, DEMO_EXIT_REJECTED);
    case SIP_UA_E_NO_ANSWER:
        say(net, "%s: no answer from %s within %d ms\n", net->command, hostport(&net->server, a, sizeof(a)),
            net->timers.timeout_ms);
        return decide(net, DEMO_EXIT_NO_ANSWER);
    case SIP_UA_E_SOCKET:
        say(net, "%s: cannot send to %s: %s\n", net->command, hostport(&net->server, a, sizeof(a)),
            os_error(rtcpm_socket_os_error(net->sip), e, sizeof(e)));
        return decide(net, DEMO_EXIT_NO_ANSWER);
    default:
        say(net, "%s: the request could not be built (%s)\n", net->command, rtcpm_sip_ua_result_name(rc));
        return decide(net, DEMO_EXIT_USAGE);
    }
}

/* ---- hooks ------------------------------------------------------------------------------------ */

static int hook_mapping_failed(void *ctx, HRESULT hr)
{
    struct demo_net *net = ctx;
    char name[11], reason[512] = "";
    if (hr != RTC_E_PORT_MAPPING_FAILED && hr != RTC_E_PORT_MAPPING_UNAVAILABLE && hr != E_INVALIDARG)
        return decide(net, DEMO_EXIT_INTERNAL);
    if (net->pm_reason) net->pm_reason(net->pm_reason_ctx, reason, sizeof(reason));
    fflush(net->out);
    fprintf(stderr, "rtcpm-demo: %s: port mapping failed: %s%s%s%s\n", net->command, rtcpm_hresult_name(hr, name),
            reason[0] ? " (" : "", reason, reason[0] ? ")" : "");
    if (net->send) fprintf(stderr, "rtcpm-demo: nothing was sent\n");
    return decide(net, DEMO_EXIT_MAPPING);
}

static int hook_registered(void *ctx, IRTCProfilePortManagement *profile)
{
    struct demo_net *net = ctx;
    struct rtcpm_host_mapping m;
    struct sip_response final;
    rtcpm_addr internal, external;
    char contact[512];
    int rc;

    if (FAILED(rtcpm_host_profile_mapping(profile, &m)) || !print_mapping(net, "sip", &m, &internal) ||
        FAILED(rtcpm_host_profile_contact(profile, contact, sizeof(contact))))
        return decide(net, DEMO_EXIT_INTERNAL);
    if (!net->send) return 0;
    rtcpm_addr_parse(m.external_address, strlen(m.external_address), &external);
    external.port = (uint16_t)m.external_port;
    if (!bind_mapped(net, "SIP", &internal, &net->sip)) return decide(net, DEMO_EXIT_MAPPING);
    if ((rc = start_ua(net, &external, NULL))) return rc;
    rc = rtcpm_sip_ua_register(&net->ua, contact, net->expires, &final);
    rc = report(net, rc, &final);
    if (!rc) say(net, "  (registered for %ld s; rtcpm-demo sends no expires-0 REGISTER at the end)\n", net->expires);
    return rc;
}

static int hook_invite(void *ctx, IRTCSessionPortManagement *session, struct nat_flow_answer *answer)
{
    static const struct
    {
        RTC_PORT_TYPE type;
        const char *name;
    } kinds[] = {
        { RTCPT_SIP, "sip" },
        { RTCPT_AUDIO_RTP, "rtp" },
        { RTCPT_AUDIO_RTCP, "rtcp" },
        { RTCPT_VIDEO_RTP, "video-rtp" },
        { RTCPT_VIDEO_RTCP, "video-rtcp" },
    };
    struct demo_net *net = ctx;
    struct rtcpm_host_mapping m;
    struct sip_response final;
    rtcpm_addr internal[5], sip_external, rtcp;
    char contact[512], sdp[2048], a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    size_t i;
    int rc, have[5] = { 0 };

    for (i = 0; i < 5; i++)
    {
        if (FAILED(rtcpm_host_session_mapping(session, kinds[i].type, &m))) continue;
        if (!print_mapping(net, kinds[i].name, &m, &internal[i])) return decide(net, DEMO_EXIT_INTERNAL);
        have[i] = 1;
        if (kinds[i].type == RTCPT_SIP)
        {
            rtcpm_addr_parse(m.external_address, strlen(m.external_address), &sip_external);
            sip_external.port = (uint16_t)m.external_port;
        }
    }
    if (!have[0] || !have[1] || !have[2]) return decide(net, DEMO_EXIT_INTERNAL);
    if (!net->send) return 0;
    if (FAILED(rtcpm_host_session_contact(session, contact, sizeof(contact))) ||
        FAILED(rtcpm_host_session_sdp(session, rtcpm_clock_ms(), 1, sdp, sizeof(sdp))))
        return decide(net, DEMO_EXIT_INTERNAL);
    /* RTC listens on every internal port before it offers them */
    if (!bind_mapped(net, "SIP", &internal[0], &net->sip) || !bind_mapped(net, "RTP", &internal[1], &net->rtp) ||
        !bind_mapped(net, "RTCP", &internal[2], &net->rtcp))
        return decide(net, DEMO_EXIT_MAPPING);
    if ((rc = start_ua(net, &sip_external, net->peer_uri))) return rc;
    rc = rtcpm_sip_ua_invite(&net->ua, contact, sdp, &final);
    if ((rc = report(net, rc, &final))) return rc;
    if (rtcpm_sip_msg_parse_sdp_audio(final.body, final.body_len, &net->media, &rtcp) != SIP_MSG_OK ||
        rtcpm_addr_format(&net->media, answer->address, sizeof(answer->address)) < 0)
    {
        say(net, "call: the answer has no usable audio stream in its SDP (Content-Type: %s, %lu byte body)\n",
            final.content_type[0] ? final.content_type : "none", (unsigned long) final.body_len);
        return decide(net, DEMO_EXIT_REJECTED);
    }
    answer->port = net->media.port;
    answer->rtcp_port = rtcp.port;
    say(net, "  the answer's media: RTP %s", hostport(&net->media, a, sizeof(a)));
    say(net, ", RTCP %s\n", hostport(&rtcp, a, sizeof(a)));
    return 0;
}

/* One RTP packet (RFC 3550): V=2, PT 0 (PCMU), 20 ms of silence (0xFF). */
static size_t rtp_packet(unsigned char *p, uint16_t seq, uint32_t ts, uint32_t ssrc)
{
    p[0] = 0x80;
    p[1] = 0;
    p[2] = (unsigned char)(seq >> 8);
    p[3] = (unsigned char)seq;
    p[4] = (unsigned char)(ts >> 24);
    p[5] = (unsigned char)(ts >> 16);
    p[6] = (unsigned char)(ts >> 8);
    p[7] = (unsigned char)ts;
    p[8] = (unsigned char)(ssrc >> 24);
    p[9] = (unsigned char)(ssrc >> 16);
    p[10] = (unsigned char)(ssrc >> 8);
    p[11] = (unsigned char)ssrc;
    memset(p + 12, 0xff, 160);
    return 12 + 160;
}

/* As media would: RTP every 20 ms from the internal RTP port to the answer's address, until
 * one packet comes back from there on the same port. */
static int hook_media(void *ctx, IRTCSessionPortManagement *session)
{
    struct demo_net *net = ctx;
    unsigned char pkt[12 + 160], in[2048];
    char a[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], b[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], e[128];
    uint32_t rnd[3];
    uint64_t deadline, next = 0;
    unsigned sent = 0;
    rtcpm_addr local;
    (void)session;

    if (!net->send) return 0;
    if (rtcpm_random_bytes(rnd, sizeof(rnd))) return decide(net, DEMO_EXIT_INTERNAL);
    rtcpm_socket_local_addr(net->rtp, &local);
    say(net, "media: RTP from %s to %s\n", hostport(&local, a, sizeof(a)), hostport(&net->media, b, sizeof(b)));
    deadline = rtcpm_clock_ms() + (uint64_t)net->media_timeout_ms;
    for (;;)
    {
        uint64_t now = rtcpm_clock_ms();
        rtcpm_addr from;
        size_t got = 0;
        int rc;

        if (now >= deadline) break;
        if (now >= next)
        {
            size_t len = rtp_packet(pkt, (uint16_t)(rnd[0] + sent), rnd[1] + 160u * sent, rnd[2]);
            if (rtcpm_socket_sendto(net->rtp, pkt, len, &net->media) != RTCPM_SOCK_OK)
            {
                say(net, "media: cannot send to %s: %s\n", hostport(&net->media, a, sizeof(a)),
                    os_error(rtcpm_socket_os_error(net->rtp), e, sizeof(e)));
                return decide(net, DEMO_EXIT_NO_ANSWER);
            }
            sent++;
            next = now + 20;
        }
        rc = rtcpm_socket_recvfrom(net->rtp, in, sizeof(in), &got, &from,
                                   (int)((next < deadline ? next : deadline) - now));
        if (rc == RTCPM_SOCK_E_TIMEOUT) continue;
        if (rc != RTCPM_SOCK_OK && rc != RTCPM_SOCK_E_TRUNCATED)
        {
            say(net, "media: receive failed: %s\n", os_error(rtcpm_socket_os_error(net->rtp), e, sizeof(e)));
            return decide(net, DEMO_EXIT_NO_ANSWER);
        }
        if (!rtcpm_addr_equal(&from, &net->media))
        {
            say(net, "  (ignored a packet from %s)\n", hostport(&from, a, sizeof(a)));
            continue;
        }
        say(net, "media: received from %s at %s: %lu bytes%s, after %u packet(s) sent\n", hostport(&from, a, sizeof(a)),
            hostport(&local, b, sizeof(b)), (unsigned long)got, got >= 12 && in[0] >> 6 == 2 ? " (RTP)" : "", sent);
        return 0;
    }
    say(net, "media: nothing came back from %s within %d ms (%u packet(s) sent)\n", hostport(&net->media, a, sizeof(a)),
        net->media_timeout_ms, sent);
    return decide(net, DEMO_EXIT_NO_ANSWER);
}

static int hook_bye(void *ctx, IRTCSessionPortManagement *session)
{
    struct demo_net *net = ctx;
    struct sip_response final;
    int rc;
    (void)session;

    if (!net->send || !net->ua_ready || !net->ua.dialog) return 0;
    rc = rtcpm_sip_ua_bye(&net->ua, &final);
    if (rc == SIP_UA_OK)
        say(net, "bye: %d %s\n", final.code, final.reason);
    else
        say(net, "bye: %s\n", rc == SIP_UA_E_NO_ANSWER ? "no answer" : rtcpm_sip_ua_result_name(rc));
    /* the call's result stands; a lost BYE is reported, not fatal */
    return 0;
}

void demo_net_init(struct demo_net *net, struct nat_flow_hooks *hooks)
{
    memset(net, 0, sizeof(*net));
    net->out = stdout;
    net->code = -1;
    net->expires = 3600;
    net->media_timeout_ms = 5000;
    rtcpm_sip_ua_timers_default(&net->timers);
    memset(hooks, 0, sizeof(*hooks));
    hooks->ctx = net;
    hooks->mapping_failed = hook_mapping_failed;
    hooks->registered = hook_registered;
    hooks->invite = hook_invite;
    hooks->media = hook_media;
    hooks->bye = hook_bye;
}

void demo_net_close(struct demo_net *net)
{
    rtcpm_socket_close(net->sip);
    rtcpm_socket_close(net->rtp);
    rtcpm_socket_close(net->rtcp);
    net->sip = net->rtp = net->rtcp = NULL;
}
