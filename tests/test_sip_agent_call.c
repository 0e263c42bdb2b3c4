/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_sip_agent_call.c — the SIP engine's calls against an in-process peer on loopback: the
 * INVITE with its SDP, 180 then 200 (CONNECTED with the answer), the ACK of the 2xx and of
 * its retransmission, our BYE, the peer's BYE (200 back), 486 (ACK in the transaction),
 * CANCEL after a 1xx and held until the first 1xx, 407 with Proxy-Authorization, Timer B,
 * requests for unknown dialogs (481), OPTIONS, a registration and a call sharing one port.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip_hdr.h"
#include "os/os_platform.h"
#include "loopback.h"
#include "sip_peer.h"

/* T1 in ms: short so the timers run in seconds; RTCPM_TEST_T1 stretches it (valgrind). */
static unsigned T1 = 40;

static rtcpm_sip_agent *agent;
static struct sip_events events;

static const char OFFER[] = "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"
                            "m=audio 30000 RTP/AVP 0\r\n";
static const char ANSWER[] = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                             "m=audio 40000 RTP/AVP 0\r\n";

static int setup(void) { return sip_peer_agent_start(&T1, NULL, &agent, &events); }
static int teardown(void) { return sip_peer_agent_stop(agent, &events); }

static const struct sip_event *expect_event(int state, int status, HRESULT hr, int timeout_ms)
{
    const struct sip_event *e = sip_events_next(&events, timeout_ms);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    if (e->state != state || e->status != status || e->hr != hr)
        printf("\n  event %s %d 0x%08X '%s', want %s %d 0x%08X\n", rtcpm_sip_call_state_name(e->state), e->status,
               (unsigned)e->hr, e->reason, rtcpm_sip_call_state_name(state), status, (unsigned)hr);
    CU_ASSERT_EQUAL(e->is_call, 1);
    CU_ASSERT_EQUAL(e->state, state);
    CU_ASSERT_EQUAL(e->status, status);
    CU_ASSERT_EQUAL(e->hr, hr);
    return e;
}

static rtcpm_sip_call *start_call(struct sip_peer *peer, const char *password)
{
    struct rtcpm_sip_call_params p;
    rtcpm_addr ext = test_addr("198.51.100.7", 45062);
    rtcpm_sip_call *call = NULL;
    memset(&p, 0, sizeof(p));
    sip_peer_flow(peer, &p.flow, &ext);
    p.local_uri = "sip:alice@example.com";
    p.remote_uri = "sip:bob@example.net";
    p.cred.password = password;
    p.body = OFFER;
    CU_ASSERT_EQUAL(rtcpm_sip_call_start(agent, &p, sip_events_call_cb, &events, &call), S_OK);
    expect_event(RTCPM_SIP_CALL_INPROGRESS, 0, S_OK, 1000);
    return call;
}

/* INVITE -> 180 -> 200: CONNECTED with the answer, the ACK checked. *invite_out keeps the
 * INVITE for the caller. */
static rtcpm_sip_call *connect_call(struct sip_peer *peer, struct rtcpm_sip_msg **invite_out)
{
    rtcpm_sip_call *call = start_call(peer, NULL);
    struct rtcpm_sip_msg *inv = sip_peer_expect(peer, "INVITE", 2000), *ack;
    const struct sip_event *e;
    char v[512], contact[128];
    CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(inv->request_uri, "sip:bob@example.net"));
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(inv->body, OFFER));
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(inv->content_type, "application/sdp"));
    CU_ASSERT_STRING_EQUAL(sip_peer_header(inv, "Contact", v, sizeof(v)),
                           "<sip:alice@198.51.100.7:45062;transport=udp>");
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(inv->via.host, "198.51.100.7"));
    sip_peer_reply(peer, inv, 100, "Trying", NULL, NULL);
    sip_peer_reply(peer, inv, 180, "Ringing", NULL, NULL);
    e = expect_event(RTCPM_SIP_CALL_PROCEEDING, 180, RTC_E_STATUS_INFO_RINGING, 2000);
    CU_ASSERT_STRING_EQUAL(e->reason, "Ringing");
    snprintf(contact, sizeof(contact), "Contact: <sip:bob@127.0.0.1:%u>\r\n", (unsigned)peer->addr.port);
    sip_peer_reply(peer, inv, 200, "OK", contact, ANSWER);
    e = expect_event(RTCPM_SIP_CALL_CONNECTED, 200, (HRESULT)0x00EF00C8, 2000);
    CU_ASSERT_STRING_EQUAL(e->body, ANSWER);
    CU_ASSERT_STRING_EQUAL(e->content_type, "application/sdp");
    ack = sip_peer_expect(peer, "ACK", 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ack);
    snprintf(v, sizeof(v), "sip:bob@127.0.0.1:%u", (unsigned)peer->addr.port);
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(ack->request_uri, v)); /* the remote target */
    CU_ASSERT_EQUAL(ack->cseq, inv->cseq);
    CU_ASSERT_FALSE(
        rtcpm_sip_span_eq(ack->via.branch, "") ||
        (ack->via.branch.n == inv->via.branch.n && !memcmp(ack->via.branch.p, inv->via.branch.p, inv->via.branch.n)));
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(ack->to.tag, peer->tag));
    /* the 2xx again (our ACK "lost"): ACKed again */
    sip_peer_reply(peer, inv, 200, "OK", contact, ANSWER);
    rtcpm_sip_msg_free(ack);
    ack = sip_peer_expect(peer, "ACK", 2000);
    CU_ASSERT_PTR_NOT_NULL(ack);
    rtcpm_sip_msg_free(ack);
    *invite_out = inv;
    return call;
}

static void test_call_and_bye(void)
{
    struct sip_peer peer;
    struct rtcpm_sip_msg *inv, *bye;
    rtcpm_sip_call *call;
    rtcpm_addr local, contact;

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    call = connect_call(&peer, &inv);
    CU_ASSERT_EQUAL(rtcpm_sip_call_local_addr(call, &local, &contact), S_OK);
    CU_ASSERT_EQUAL(contact.port, 45062);
    CU_ASSERT_EQUAL(rtcpm_sip_call_hangup(call), S_OK);
    CU_ASSERT_EQUAL(rtcpm_sip_call_hangup(call), S_FALSE);
    expect_event(RTCPM_SIP_CALL_DISCONNECTING, 0, S_OK, 1000);
    bye = sip_peer_expect(&peer, "BYE", 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bye);
    CU_ASSERT_EQUAL(bye->cseq, inv->cseq + 1);
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(bye->to.tag, peer.tag));
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(bye->call_id, "") == 0);
    sip_peer_reply(&peer, bye, 200, "OK", NULL, NULL);
    expect_event(RTCPM_SIP_CALL_DISCONNECTED, 200, S_OK, 2000);
    rtcpm_sip_msg_free(bye);
    rtcpm_sip_msg_free(inv);
    rtcpm_sip_call_release(call);
    sip_peer_close(&peer);
}

/* The peer hangs up: 200 to its BYE (and to a retransmission of it), DISCONNECTED by peer. */
static void test_peer_bye(void)
{
    struct sip_peer peer;
    struct rtcpm_sip_msg *inv, *resp;
    rtcpm_sip_call *call;
    const struct sip_event *e;
    char bye[1024], callid[128], tag[64];
    int n, i;

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    call = connect_call(&peer, &inv);
    rtcpm_sip_span_copy(callid, sizeof(callid), inv->call_id);
    rtcpm_sip_span_copy(tag, sizeof(tag), inv->from.tag);
    n = snprintf(bye, sizeof(bye),
                 "BYE sip:alice@198.51.100.7:45062 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKbye1\r\n"
                 "From: <sip:bob@example.net>;tag=%s\r\nTo: <sip:alice@example.com>;tag=%s\r\nCall-ID: %s\r\n"
                 "CSeq: 7 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
                 (unsigned)peer.addr.port, peer.tag, tag, callid);
    for (i = 0; i < 2; i++)
    {
        sip_peer_send_raw(&peer, bye, (size_t)n);
        resp = sip_peer_recv(&peer, 2000, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(resp);
        CU_ASSERT_EQUAL(resp->status, 200);
        CU_ASSERT_EQUAL(resp->cseq, 7);
        CU_ASSERT_TRUE(rtcpm_sip_span_eq(resp->via.branch, "z9hG4bKbye1"));
        CU_ASSERT_TRUE(rtcpm_sip_span_eq(resp->to.tag, tag));
        rtcpm_sip_msg_free(resp);
    }
    e = expect_event(RTCPM_SIP_CALL_DISCONNECTED, 0, S_OK, 2000);
    CU_ASSERT_EQUAL(e->by_peer, 1);
    CU_ASSERT_PTR_NULL(sip_events_next(&events, 2 * T1)); /* the retransmitted BYE: no second event */
    CU_ASSERT_EQUAL(rtcpm_sip_call_hangup(call), S_FALSE);
    rtcpm_sip_msg_free(inv);
    rtcpm_sip_call_release(call);
    sip_peer_close(&peer);
}

static void test_busy(void)
{
    struct sip_peer peer;
    struct rtcpm_sip_msg *inv, *ack;
    rtcpm_sip_call *call;

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    call = start_call(&peer, NULL);
    inv = sip_peer_expect(&peer, "INVITE", 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
    sip_peer_reply(&peer, inv, 486, "Busy Here", NULL, NULL);
    expect_event(RTCPM_SIP_CALL_DISCONNECTED, 486, RTC_E_STATUS_CLIENT_BUSY_HERE, 2000);
    ack = sip_peer_expect(&peer, "ACK", 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ack);
    CU_ASSERT_TRUE(ack->via.branch.n == inv->via.branch.n &&
                   !memcmp(ack->via.branch.p, inv->via.branch.p, inv->via.branch.n));
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(ack->request_uri, "sip:bob@example.net"));
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(ack->to.tag, peer.tag));
    rtcpm_sip_msg_free(ack);
    /* the 486 again: ACKed again from the transaction */
    sip_peer_reply(&peer, inv, 486, "Busy Here", NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(ack = sip_peer_expect(&peer, "ACK", 2000));
    rtcpm_sip_msg_free(ack);
    rtcpm_sip_msg_free(inv);
    rtcpm_sip_call_release(call);
    sip_peer_close(&peer);
}

/* CANCEL after a 1xx; before any 1xx it waits for one (RFC 3261 9.1). */
static void cancel_case(int provisional_first)
{
    struct sip_peer peer;
    struct rtcpm_sip_msg *inv, *cancel, *ack, *m;
    rtcpm_sip_call *call;

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    call = start_call(&peer, NULL);
    inv = sip_peer_expect(&peer, "INVITE", 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
    if (provisional_first)
    {
        sip_peer_reply(&peer, inv, 180, "Ringing", NULL, NULL);
        expect_event(RTCPM_SIP_CALL_PROCEEDING, 180, RTC_E_STATUS_INFO_RINGING, 2000);
    }
    CU_ASSERT_EQUAL(rtcpm_sip_call_hangup(call), S_OK);
    expect_event(RTCPM_SIP_CALL_DISCONNECTING, 0, S_OK, 1000);
    if (!provisional_first)
    {
        /* only INVITE retransmissions until a provisional comes */
        while ((m = sip_peer_recv(&peer, 5 * T1, NULL)))
        {
            CU_ASSERT_TRUE(rtcpm_sip_span_eq(m->method, "INVITE"));
            rtcpm_sip_msg_free(m);
        }
        sip_peer_reply(&peer, inv, 180, "Ringing", NULL, NULL);
    }
    cancel = sip_peer_expect(&peer, "CANCEL", 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cancel);
    CU_ASSERT_EQUAL(cancel->cseq, inv->cseq);
    CU_ASSERT_TRUE(cancel->via.branch.n == inv->via.branch.n &&
                   !memcmp(cancel->via.branch.p, inv->via.branch.p, inv->via.branch.n));
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(cancel->request_uri, "sip:bob@example.net"));
    CU_ASSERT_EQUAL(cancel->to.tag.n, 0);
    sip_peer_reply(&peer, cancel, 200, "OK", NULL, NULL);
    sip_peer_reply(&peer, inv, 487, "Request Terminated", NULL, NULL);
    expect_event(RTCPM_SIP_CALL_DISCONNECTED, 487, S_OK, 2000);
    ack = sip_peer_expect(&peer, "ACK", 2000);
    CU_ASSERT_PTR_NOT_NULL(ack);
    rtcpm_sip_msg_free(ack);
    rtcpm_sip_msg_free(cancel);
    rtcpm_sip_msg_free(inv);
    rtcpm_sip_call_release(call);
    sip_peer_close(&peer);
}

static void test_cancel_while_ringing(void) { cancel_case(1); }
static void test_cancel_waits_for_provisional(void) { cancel_case(0); }

static void test_proxy_auth(void)
{
    struct sip_peer peer;
    struct rtcpm_sip_msg *inv, *inv2, *ack;
    rtcpm_sip_call *call;
    char v[1024];

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    call = start_call(&peer, "pw");
    inv = sip_peer_expect(&peer, "INVITE", 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
    sip_peer_reply(&peer, inv, 407, "Proxy Authentication Required",
                   "Proxy-Authenticate: Digest realm=\"proxy.example\", nonce=\"xyz\"\r\n", NULL);
    ack = sip_peer_expect(&peer, "ACK", 2000);
    CU_ASSERT_PTR_NOT_NULL(ack);
    rtcpm_sip_msg_free(ack);
    inv2 = sip_peer_expect_cseq(&peer, "INVITE", inv->cseq + 1, 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(inv2);
    CU_ASSERT_EQUAL(inv2->cseq, inv->cseq + 1);
    sip_peer_header(inv2, "Proxy-Authorization", v, sizeof(v));
    CU_ASSERT_EQUAL(
        strncmp(v, "Digest username=\"alice\", realm=\"proxy.example\", nonce=\"xyz\", uri=\"sip:bob@example.net\"",
                83),
        0);
    CU_ASSERT_PTR_NULL(strstr(v, "qop="));
    sip_peer_reply(&peer, inv2, 603, "Decline", NULL, NULL);
    expect_event(RTCPM_SIP_CALL_DISCONNECTED, 603, RTC_E_STATUS_GLOBAL_DECLINE, 2000);
    rtcpm_sip_msg_free(inv);
    rtcpm_sip_msg_free(inv2);
    rtcpm_sip_call_release(call);
    sip_peer_close(&peer);
}

static void test_no_answer(void)
{
    struct sip_peer peer;
    rtcpm_sip_call *call;
    struct rtcpm_sip_msg *m;
    int n = 0;
    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    call = start_call(&peer, NULL);
    while ((m = sip_peer_recv(&peer, 70 * T1, NULL)))
    {
        n++;
        rtcpm_sip_msg_free(m);
    }
    /* Timer A: 0, 1, 3, 7, 15, 31, 63 T1; under load the last may fall behind Timer B (64 T1) */
    CU_ASSERT(n == 7 || n == 6);
    expect_event(RTCPM_SIP_CALL_DISCONNECTED, 0, RTC_E_SIP_TIMEOUT, 3000);
    rtcpm_sip_call_release(call);
    sip_peer_close(&peer);
}

/* Requests nobody is waiting for. */
static void test_stray_requests(void)
{
    struct sip_peer peer;
    struct rtcpm_sip_msg *inv, *resp;
    rtcpm_sip_call *call;
    char msg[1024];
    int n;
    static const struct
    {
        const char *method, *to_tag, *from_tag;
        int code;
    } cases[] = {
        { "BYE", ";tag=nosuch", ";tag=x", 481 }, { "INFO", ";tag=nosuch", ";tag=x", 481 },
        { "OPTIONS", "", ";tag=x", 200 },        { "INVITE", "", ";tag=x", 480 },
        { "BYE", ";tag=nosuch", "", 400 },       { "MESSAGE", "", ";tag=x", 501 },
    };
    size_t i;

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    call = start_call(&peer, NULL);
    inv = sip_peer_expect(&peer, "INVITE", 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(inv);
    sip_peer_reply(&peer, inv, 100, "Trying", NULL, NULL);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        n = snprintf(msg, sizeof(msg),
                     "%s sip:alice@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKs%zu\r\n"
                     "From: <sip:x@y>%s\r\nTo: <sip:alice@example.com>%s\r\nCall-ID: stray%zu\r\nCSeq: 1 %s\r\n"
                     "Content-Length: 0\r\n\r\n",
                     cases[i].method, (unsigned)peer.addr.port, i, cases[i].from_tag, cases[i].to_tag, i,
                     cases[i].method);
        sip_peer_send_raw(&peer, msg, (size_t)n);
        while ((resp = sip_peer_recv(&peer, 2000, NULL)) && resp->is_request) rtcpm_sip_msg_free(resp);
        CU_ASSERT_PTR_NOT_NULL_FATAL(resp);
        if (resp->status != cases[i].code)
            printf("\n  %s: %d, want %d\n", cases[i].method, resp->status, cases[i].code);
        CU_ASSERT_EQUAL(resp->status, cases[i].code);
        CU_ASSERT_EQUAL(resp->cseq, 1);
        rtcpm_sip_msg_free(resp);
    }
    rtcpm_sip_msg_free(inv);
    rtcpm_sip_call_release(call); /* ringing: CANCELed quietly */
    CU_ASSERT_PTR_NOT_NULL(inv = sip_peer_expect(&peer, "CANCEL", 2000));
    rtcpm_sip_msg_free(inv);
    CU_ASSERT_PTR_NULL(sip_events_next(&events, 2 * T1));
    sip_peer_close(&peer);
}

/* A registration and a call on one local port (a static port manager's one SIP mapping). */
static void test_shared_port(void)
{
    struct sip_peer peer;
    struct rtcpm_sip_reg_params rp;
    struct rtcpm_sip_call_params cp;
    rtcpm_sip_reg *reg;
    rtcpm_sip_call *call;
    struct rtcpm_sip_msg *m1, *m2;
    rtcpm_addr local, contact, local2;
    const struct sip_event *e;

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    memset(&rp, 0, sizeof(rp));
    sip_peer_flow(&peer, &rp.flow, NULL);
    rp.aor = "sip:alice@example.com";
    CU_ASSERT_EQUAL_FATAL(rtcpm_sip_reg_start(agent, &rp, sip_events_reg_cb, &events, &reg), S_OK);
    rtcpm_sip_reg_local_addr(reg, &local, &contact);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&local, &contact)); /* no external address: the bound one */
    memset(&cp, 0, sizeof(cp));
    sip_peer_flow(&peer, &cp.flow, NULL);
    cp.flow.local = local;
    cp.local_uri = "sip:alice@example.com";
    cp.remote_uri = "sip:bob@example.net";
    cp.body = OFFER;
    CU_ASSERT_EQUAL_FATAL(rtcpm_sip_call_start(agent, &cp, sip_events_call_cb, &events, &call), S_OK);
    rtcpm_sip_call_local_addr(call, &local2, &contact);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&local, &local2));
    /* one REGISTER and one INVITE, both from the one port (retransmissions skipped) */
    m1 = sip_peer_expect(&peer, "REGISTER", 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m1);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&peer.last_from, &local));
    sip_peer_reply(&peer, m1, 200, "OK", NULL, NULL);
    m2 = sip_peer_expect(&peer, "INVITE", 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m2);
    CU_ASSERT_TRUE(rtcpm_addr_equal(&peer.last_from, &local));
    sip_peer_reply(&peer, m2, 200, "OK", NULL, ANSWER);
    rtcpm_sip_msg_free(m1);
    rtcpm_sip_msg_free(m2);
    {
        int registered = 0, connected = 0, i;
        for (i = 0; i < 4 && (e = sip_events_next(&events, 2000)); i++)
        {
            registered += !e->is_call && e->state == RTCPM_SIP_REG_REGISTERED;
            connected += e->is_call && e->state == RTCPM_SIP_CALL_CONNECTED;
        }
        CU_ASSERT_EQUAL(registered, 1);
        CU_ASSERT_EQUAL(connected, 1);
    }
    rtcpm_sip_call_release(call);
    rtcpm_sip_reg_release(reg);
    sip_peer_close(&peer);
    while (sip_events_next(&events, 0))
    {
    }
}

static CU_TestInfo tests[] = {
    { "call_and_bye", test_call_and_bye },
    { "peer_bye", test_peer_bye },
    { "busy", test_busy },
    { "cancel_while_ringing", test_cancel_while_ringing },
    { "cancel_waits_for_provisional", test_cancel_waits_for_provisional },
    { "proxy_auth", test_proxy_auth },
    { "no_answer", test_no_answer },
    { "stray_requests", test_stray_requests },
    { "shared_port", test_shared_port },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv)
{
    rtcpm_test_set_fixtures(setup, teardown);
    return rtcpm_test_main("sip_agent_call", tests, argc, argv);
}
