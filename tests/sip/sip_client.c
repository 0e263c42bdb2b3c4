/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_client.c — the SIP engine (src/sip/sip_agent.h) on the command line, for the sipp tests
 * (tests/sip/sipp_cases.sh): one registration or one call, every state change printed.
 *
 *   sip_client register --server IP:PORT --aor URI [--password PW] [--expires S]
 *                       [--refresh-ms MS] [--hold-ms MS] [--transport udp|tcp] [--t1 MS]
 *   sip_client call --server IP:PORT --to URI --from URI [--password PW] [--transport udp|tcp]
 *                   [--hangup-after-ms MS] [--hangup-on-ring] [--t1 MS]
 *
 * Output (stdout), one line per event:  reg|call STATE STATUS HRESULT REASON [extra]
 *   reg REGISTERED 200 0x00EF00C8 OK expires=3600
 *   call CONNECTED 200 0x00EF00C8 OK body=application/sdp+audio   (content type; +audio: m=audio in it)
 * register: stays registered --hold-ms (default 0), then unregisters (Expires: 0) and waits
 * for NOT_REGISTERED. call: waits for CONNECTED, hangs up after --hangup-after-ms (or on the
 * first 180 with --hangup-on-ring), waits for DISCONNECTED; a peer's BYE ends it too.
 * Exit: 0 the registration / call went through, 1 refused (3xx-6xx), 2 timeout or transport
 * failure, 64 bad command line, 70 the engine could not start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "os/lock.h"
#include "os/os_platform.h"
#include "sip/sip_agent.h"

struct opts
{
    const char *cmd, *server, *aor, *to, *from, *password, *transport;
    unsigned expires, refresh_ms, hold_ms, hangup_after_ms, t1;
    int hangup_on_ring;
};

struct state
{
    struct rtcpm_lock lock;
    struct rtcpm_cond cond;
    int last, status, ended, rang, hung_up;
    HRESULT hr;
};

static struct state st;

static void usage(FILE *f)
{
    fprintf(f, "usage: sip_client register --server IP:PORT --aor URI [--password PW] [--expires S]\n"
               "                            [--refresh-ms MS] [--hold-ms MS] [--transport udp|tcp] [--t1 MS]\n"
               "       sip_client call --server IP:PORT --to URI --from URI [--password PW] [--transport udp|tcp]\n"
               "                       [--hangup-after-ms MS] [--hangup-on-ring] [--t1 MS]\n"
               "  Drives rtcpm's SIP engine; prints every state change. --help, --version\n");
}

static void note(int state, int status, HRESULT hr, int ended)
{
    rtcpm_lock_acquire(&st.lock);
    st.last = state;
    st.status = status;
    st.hr = hr;
    st.ended |= ended;
    rtcpm_cond_broadcast(&st.cond);
    rtcpm_lock_release(&st.lock);
}

static void on_reg(void *ctx, rtcpm_sip_reg *reg, const struct rtcpm_sip_reg_event *ev)
{
    (void)ctx, (void)reg;
    printf("reg %s %d 0x%08X %s", rtcpm_sip_reg_state_name(ev->state) + 14, ev->status_code, (unsigned)ev->hr,
           ev->reason);
    if (ev->state == RTCPM_SIP_REG_REGISTERED) printf(" expires=%u", ev->expires_s);
    printf("\n");
    note(ev->state, ev->status_code, ev->hr,
         ev->state == RTCPM_SIP_REG_REJECTED || ev->state == RTCPM_SIP_REG_ERROR ||
             ev->state == RTCPM_SIP_REG_NOT_REGISTERED);
}

static void on_call(void *ctx, rtcpm_sip_call *call, const struct rtcpm_sip_call_event *ev)
{
    (void)ctx;
    printf("call %s %d 0x%08X %s", rtcpm_sip_call_state_name(ev->state) + 15, ev->status_code, (unsigned)ev->hr,
           ev->reason);
    if (ev->body) printf(" body=%s%s", ev->content_type, strstr(ev->body, "m=audio ") ? "+audio" : "");
    if (ev->by_peer) printf(" by-peer");
    printf("\n");
    if (ev->state == RTCPM_SIP_CALL_PROCEEDING && ev->status_code == 180 && st.rang == 0)
    {
        st.rang = 1;
        if (ctx) rtcpm_sip_call_hangup(call); /* --hangup-on-ring: from the callback itself */
    }
    if (ev->state == RTCPM_SIP_CALL_DISCONNECTING) st.hung_up = 1;
    note(ev->state, ev->status_code, ev->hr, ev->state == RTCPM_SIP_CALL_DISCONNECTED);
}

/* Waits until the state is `state` or the thing ended; 1 when `state` was reached. */
static int wait_for(int state, unsigned ms)
{
    uint64_t deadline = rtcpm_clock_ms() + ms;
    int hit;
    rtcpm_lock_acquire(&st.lock);
    while (st.last != state && !st.ended && rtcpm_clock_ms() < deadline)
        rtcpm_cond_wait(&st.cond, &st.lock, (long)(deadline - rtcpm_clock_ms()));
    hit = st.last == state;
    rtcpm_lock_release(&st.lock);
    return hit;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    int i;
    memset(o, 0, sizeof(*o));
    o->transport = "udp";
    o->cmd = argv[1];
    for (i = 2; i < argc; i++)
    {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--hangup-on-ring"))
        {
            o->hangup_on_ring = 1;
            continue;
        }
        if (!v) return -1;
        i++;
        if (!strcmp(a, "--server"))
            o->server = v;
        else if (!strcmp(a, "--aor"))
            o->aor = v;
        else if (!strcmp(a, "--to"))
            o->to = v;
        else if (!strcmp(a, "--from"))
            o->from = v;
        else if (!strcmp(a, "--password"))
            o->password = v;
        else if (!strcmp(a, "--transport"))
            o->transport = v;
        else if (!strcmp(a, "--expires"))
            o->expires = (unsigned)atoi(v);
        else if (!strcmp(a, "--refresh-ms"))
            o->refresh_ms = (unsigned)atoi(v);
        else if (!strcmp(a, "--hold-ms"))
            o->hold_ms = (unsigned)atoi(v);
        else if (!strcmp(a, "--hangup-after-ms"))
            o->hangup_after_ms = (unsigned)atoi(v);
        else if (!strcmp(a, "--t1"))
            o->t1 = (unsigned)atoi(v);
        else
            return -1;
    }
    if (!o->server || (strcmp(o->transport, "udp") && strcmp(o->transport, "tcp"))) return -1;
    if (!strcmp(o->cmd, "register")) return o->aor ? 0 : -1;
    if (!strcmp(o->cmd, "call")) return o->to && o->from ? 0 : -1;
    return -1;
}

static int make_flow(const struct opts *o, struct rtcpm_sip_flow *flow)
{
    memset(flow, 0, sizeof(*flow));
    flow->transport = strcmp(o->transport, "tcp") ? RTCTR_UDP : RTCTR_TCP;
    if (rtcpm_addr_parse_hostport(o->server, strlen(o->server), &flow->next_hop, 5060)) return -1;
    flow->local = flow->next_hop;
    memset(flow->local.bytes, 0, sizeof(flow->local.bytes));
    flow->local.port = 0;
    return 0; /* any address, any port: the engine announces the route's source address */
}

static int exit_code(void)
{
    if (st.hr == RTC_E_SIP_TIMEOUT || st.hr == RTC_E_SIP_TCP_FAIL) return 2;
    return st.status >= 300 && !st.hung_up ? 1 : 0; /* our CANCEL's 487 is what we asked for */
}

static int do_register(rtcpm_sip_agent *agent, const struct opts *o)
{
    struct rtcpm_sip_reg_params p;
    rtcpm_sip_reg *reg;
    HRESULT hr;
    int rc;
    memset(&p, 0, sizeof(p));
    if (make_flow(o, &p.flow)) return 64;
    p.aor = o->aor;
    p.cred.password = o->password;
    p.expires_s = o->expires;
    p.refresh_ms = o->refresh_ms;
    if (FAILED(hr = rtcpm_sip_reg_start(agent, &p, on_reg, NULL, &reg)))
        return fprintf(stderr, "sip_client: register: 0x%08X\n", (unsigned)hr), 70;
    if (!wait_for(RTCPM_SIP_REG_REGISTERED, 20000))
    {
        rc = exit_code();
        rtcpm_sip_reg_release(reg);
        return rc ? rc : 2;
    }
    if (o->hold_ms)
    {
        wait_for(-1, o->hold_ms); /* -1 never comes: sleeps, unless the registration ends */
        if (st.ended)
        {
            rc = exit_code();
            rtcpm_sip_reg_release(reg);
            return rc ? rc : 2;
        }
    }
    rtcpm_sip_reg_stop(reg);
    wait_for(RTCPM_SIP_REG_NOT_REGISTERED, 20000);
    rc = st.last == RTCPM_SIP_REG_NOT_REGISTERED ? 0 : 2;
    rtcpm_sip_reg_release(reg);
    return rc;
}

static const char SDP[] = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                          "m=audio 30000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

static int do_call(rtcpm_sip_agent *agent, const struct opts *o)
{
    struct rtcpm_sip_call_params p;
    rtcpm_sip_call *call;
    HRESULT hr;
    int rc;
    memset(&p, 0, sizeof(p));
    if (make_flow(o, &p.flow)) return 64;
    p.local_uri = o->from;
    p.remote_uri = o->to;
    p.cred.password = o->password;
    p.body = SDP;
    if (FAILED(hr = rtcpm_sip_call_start(agent, &p, on_call, o->hangup_on_ring ? (void *)1 : NULL, &call)))
        return fprintf(stderr, "sip_client: call: 0x%08X\n", (unsigned)hr), 70;
    if (wait_for(RTCPM_SIP_CALL_CONNECTED, 20000))
    {
        if (o->hangup_after_ms && !wait_for(RTCPM_SIP_CALL_DISCONNECTED, o->hangup_after_ms))
            rtcpm_sip_call_hangup(call);
    }
    wait_for(RTCPM_SIP_CALL_DISCONNECTED, 20000);
    rc = st.last != RTCPM_SIP_CALL_DISCONNECTED ? 2 : exit_code();
    rtcpm_sip_call_release(call);
    return rc;
}

int main(int argc, char **argv)
{
    struct rtcpm_sip_agent_config cfg;
    rtcpm_sip_agent *agent;
    struct opts o;
    int rc;

    if (argc == 2 && !strcmp(argv[1], "--help")) return usage(stdout), 0;
    if (argc == 2 && !strcmp(argv[1], "--version")) return printf("sip_client (rtcpm) %s\n", RTCPM_VERSION_TEXT), 0;
    if (argc < 2 || parse_opts(argc, argv, &o)) return usage(stderr), 64;
    setvbuf(stdout, NULL, _IONBF, 0);
    rtcpm_lock_init(&st.lock);
    rtcpm_cond_init(&st.cond);
    st.last = -2;
    memset(&cfg, 0, sizeof(cfg));
    cfg.timers.t1_ms = o.t1;
    cfg.user_agent = "rtcpm sip_client";
    if (FAILED(rtcpm_sip_agent_start(&cfg, &agent))) return 70;
    rc = !strcmp(o.cmd, "register") ? do_register(agent, &o) : do_call(agent, &o);
    rtcpm_sip_agent_stop(agent);
    rtcpm_cond_destroy(&st.cond);
    rtcpm_lock_destroy(&st.lock);
    return rc;
}
