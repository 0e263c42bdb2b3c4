/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_sip_agent_incoming.c — the SIP engine's incoming calls against an in-process caller on
 * loopback: INVITE -> 180 + INCOMING (offer, caller), answer -> 200 with Contact and SDP,
 * retransmitted until the ACK -> CONNECTED, the caller's BYE; reject 486 resent until the
 * ACK; CANCEL while ringing (200 + 487); no ACK -> BYE + RTC_E_SIP_TIMEOUT; answer twice /
 * answer an outgoing call -> RTC_E_INVALID_SESSION_STATE; no listener -> 480; our BYE.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/os_platform.h"
#include "loopback.h"
#include "sip_peer.h"

static unsigned T1 = 40;
static rtcpm_sip_agent *agent;
static struct sip_events events;

static const char OFFER[] = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                            "m=audio 30000 RTP/AVP 0 8\r\n";
static const char ANSWER[] = "v=0\r\no=- 2 2 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"
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
    CU_ASSERT_EQUAL(e->state, state);
    CU_ASSERT_EQUAL(e->status, status);
    CU_ASSERT_EQUAL(e->hr, hr);
    return e;
}

/* The next response with this status (others skipped), NULL when none. */
static struct rtcpm_sip_msg *expect_status(struct sip_peer *p, int status, int timeout_ms)
{
    uint64_t end = rtcpm_clock_ms() + (uint64_t)timeout_ms;
    struct rtcpm_sip_msg *m;
    while (rtcpm_clock_ms() < end)
    {
        if (!(m = sip_peer_recv(p, (int)(end - rtcpm_clock_ms()), NULL))) return NULL;
        if (!m->is_request && m->status == status) return m;
        rtcpm_sip_msg_free(m);
    }
    return NULL;
}

static rtcpm_sip_listener *listen_on(struct sip_peer *peer)
{
    struct rtcpm_sip_listen_params lp;
    rtcpm_sip_listener *l = NULL;
    rtcpm_addr local, contact;
    memset(&lp, 0, sizeof(lp));
    lp.flow.transport = RTCTR_UDP;
    lp.flow.local = test_addr("127.0.0.1", 0);
    lp.flow.external = test_addr("198.51.100.7", 45062);
    lp.local_uri = "sip:alice@example.com";
    CU_ASSERT_EQUAL(rtcpm_sip_listen_start(agent, &lp, sip_events_call_cb, &events, &l), S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    CU_ASSERT_EQUAL(rtcpm_sip_listen_local_addr(l, &local, &contact), S_OK);
    CU_ASSERT_EQUAL(contact.port, 45062);
    peer->last_from = local; /* the peer's raw requests go to the listener */
    return l;
}

/* The caller's request (method, CSeq, To tag or none, branch) as bytes. */
static void send_req(struct sip_peer *p, const char *method, const char *call_id, unsigned cseq, const char *to_tag,
                     const char *branch, const char *body)
{
    char buf[4096];
    int n =
        snprintf(buf, sizeof(buf),
                 "%s sip:alice@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:%u;branch=%s\r\n"
                 "Max-Forwards: 70\r\nFrom: \"Bob B\" <sip:bob@example.net>;tag=bobtag\r\n"
                 "To: <sip:alice@example.com>%s%s\r\nCall-ID: %s\r\nCSeq: %u %s\r\n"
                 "Contact: <sip:bob@127.0.0.1:%u>\r\n%sContent-Length: %zu\r\n\r\n%s",
                 method, (unsigned)p->addr.port, branch, to_tag ? ";tag=" : "", to_tag ? to_tag : "", call_id, cseq,
                 strcmp(method, "ACK") ? method : "ACK", (unsigned)p->addr.port,
                 body ? "Content-Type: application/sdp\r\n" : "", body ? strlen(body) : (size_t)0, body ? body : "");
    sip_peer_send_raw(p, buf, (size_t)n);
}

/* INVITE -> 180 and INCOMING; returns the call, *tag = the 180's To tag. */
static rtcpm_sip_call *ring(struct sip_peer *peer, const char *call_id, char *tag, size_t cap)
{
    struct rtcpm_sip_msg *r;
    const struct sip_event *e;
    char v[256];
    send_req(peer, "INVITE", call_id, 1, NULL, "z9hG4bKinv1", OFFER);
    r = expect_status(peer, 180, 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_TRUE(r->to.tag.n > 0);
    rtcpm_sip_span_copy(tag, cap, r->to.tag);
    CU_ASSERT_STRING_EQUAL(sip_peer_header(r, "Contact", v, sizeof(v)), "<sip:alice@198.51.100.7:45062;transport=udp>");
    rtcpm_sip_msg_free(r);
    e = expect_event(RTCPM_SIP_CALL_INCOMING, 0, S_OK, 2000);
    CU_ASSERT_STRING_EQUAL(e->body, OFFER);
    CU_ASSERT_STRING_EQUAL(e->remote_uri, "sip:bob@example.net");
    CU_ASSERT_STRING_EQUAL(e->remote_display, "Bob B");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e->call);
    return e->call;
}

static void test_answer_ack_bye(void)
{
    struct sip_peer peer;
    rtcpm_sip_listener *l;
    rtcpm_sip_call *call;
    struct rtcpm_sip_msg *ok, *again, *r;
    char tag[64], v[256];

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    l = listen_on(&peer);
    call = ring(&peer, "in1@test", tag, sizeof(tag));
    /* a retransmitted INVITE gets the 180 again, no second call */
    send_req(&peer, "INVITE", "in1@test", 1, NULL, "z9hG4bKinv1", OFFER);
    r = expect_status(&peer, 180, 2000);
    CU_ASSERT_PTR_NOT_NULL(r);
    rtcpm_sip_msg_free(r);
    CU_ASSERT_EQUAL(rtcpm_sip_call_answer(call, NULL, ANSWER), S_OK);
    CU_ASSERT_EQUAL(rtcpm_sip_call_answer(call, NULL, ANSWER), RTC_E_INVALID_SESSION_STATE);
    CU_ASSERT_EQUAL(rtcpm_sip_call_reject(call, 486, NULL), RTC_E_INVALID_SESSION_STATE);
    ok = expect_status(&peer, 200, 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ok);
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(ok->body, ANSWER));
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(ok->content_type, "application/sdp"));
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(ok->to.tag, tag));
    CU_ASSERT_STRING_EQUAL(sip_peer_header(ok, "Contact", v, sizeof(v)),
                           "<sip:alice@198.51.100.7:45062;transport=udp>");
    again = expect_status(&peer, 200, (int)(4 * T1)); /* no ACK yet: resent after T1 */
    CU_ASSERT_PTR_NOT_NULL(again);
    rtcpm_sip_msg_free(again);
    send_req(&peer, "ACK", "in1@test", 1, tag, "z9hG4bKack1", NULL);
    expect_event(RTCPM_SIP_CALL_CONNECTED, 200, S_OK, 2000);
    /* nothing more after the ACK (a resend in flight may still arrive once) */
    r = sip_peer_recv(&peer, (int)(2 * T1), NULL);
    rtcpm_sip_msg_free(r);
    r = sip_peer_recv(&peer, (int)(8 * T1), NULL);
    CU_ASSERT_PTR_NULL(r);
    rtcpm_sip_msg_free(r);
    send_req(&peer, "BYE", "in1@test", 2, tag, "z9hG4bKbye1", NULL);
    r = expect_status(&peer, 200, 2000);
    CU_ASSERT_PTR_NOT_NULL(r);
    CU_ASSERT_TRUE(r && rtcpm_sip_span_eq(r->cseq_method, "BYE"));
    rtcpm_sip_msg_free(r);
    expect_event(RTCPM_SIP_CALL_DISCONNECTED, 0, S_OK, 2000);
    rtcpm_sip_msg_free(ok);
    rtcpm_sip_call_release(call);
    rtcpm_sip_listen_stop(l);
    sip_peer_close(&peer);
}

static void test_reject_busy(void)
{
    struct sip_peer peer;
    rtcpm_sip_listener *l;
    rtcpm_sip_call *call;
    struct rtcpm_sip_msg *r;
    char tag[64];
    const struct sip_event *e;

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    l = listen_on(&peer);
    call = ring(&peer, "in2@test", tag, sizeof(tag));
    CU_ASSERT_EQUAL(rtcpm_sip_call_reject(call, 200, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_call_reject(call, 486, NULL), S_OK);
    e = expect_event(RTCPM_SIP_CALL_DISCONNECTED, 486, S_OK, 2000);
    CU_ASSERT_STRING_EQUAL(e->reason, "Busy Here");
    r = expect_status(&peer, 486, 2000);
    CU_ASSERT_PTR_NOT_NULL(r);
    rtcpm_sip_msg_free(r);
    r = expect_status(&peer, 486, (int)(4 * T1)); /* resent until the ACK */
    CU_ASSERT_PTR_NOT_NULL(r);
    rtcpm_sip_msg_free(r);
    send_req(&peer, "ACK", "in2@test", 1, tag, "z9hG4bKinv1", NULL);
    r = sip_peer_recv(&peer, (int)(2 * T1), NULL);
    rtcpm_sip_msg_free(r);
    r = sip_peer_recv(&peer, (int)(10 * T1), NULL);
    CU_ASSERT_PTR_NULL(r);
    rtcpm_sip_msg_free(r);
    CU_ASSERT_EQUAL(rtcpm_sip_call_answer(call, NULL, ANSWER), RTC_E_INVALID_SESSION_STATE);
    rtcpm_sip_call_release(call);
    rtcpm_sip_listen_stop(l);
    sip_peer_close(&peer);
}

static void test_cancel(void)
{
    struct sip_peer peer;
    rtcpm_sip_listener *l;
    rtcpm_sip_call *call;
    struct rtcpm_sip_msg *r;
    char tag[64];
    const struct sip_event *e;

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    l = listen_on(&peer);
    call = ring(&peer, "in3@test", tag, sizeof(tag));
    send_req(&peer, "CANCEL", "in3@test", 1, NULL, "z9hG4bKinv1", NULL);
    r = expect_status(&peer, 200, 2000);
    CU_ASSERT_PTR_NOT_NULL(r);
    CU_ASSERT_TRUE(r && rtcpm_sip_span_eq(r->cseq_method, "CANCEL"));
    rtcpm_sip_msg_free(r);
    r = expect_status(&peer, 487, 2000);
    CU_ASSERT_PTR_NOT_NULL(r);
    CU_ASSERT_TRUE(r && rtcpm_sip_span_eq(r->cseq_method, "INVITE"));
    rtcpm_sip_msg_free(r);
    e = expect_event(RTCPM_SIP_CALL_DISCONNECTED, 487, S_OK, 2000);
    CU_ASSERT_EQUAL(e->by_peer, 1);
    CU_ASSERT_EQUAL(rtcpm_sip_call_answer(call, NULL, ANSWER), RTC_E_INVALID_SESSION_STATE);
    send_req(&peer, "ACK", "in3@test", 1, tag, "z9hG4bKinv1", NULL);
    rtcpm_sip_call_release(call);
    rtcpm_sip_listen_stop(l);
    sip_peer_close(&peer);
}

static void test_no_ack(void)
{
    struct sip_peer peer;
    rtcpm_sip_listener *l;
    rtcpm_sip_call *call;
    struct rtcpm_sip_msg *bye;
    char tag[64];

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    l = listen_on(&peer);
    call = ring(&peer, "in4@test", tag, sizeof(tag));
    CU_ASSERT_EQUAL(rtcpm_sip_call_answer(call, NULL, ANSWER), S_OK);
    expect_event(RTCPM_SIP_CALL_DISCONNECTED, 0, RTC_E_SIP_TIMEOUT, (int)(80 * T1));
    bye = sip_peer_expect(&peer, "BYE", 2000);
    CU_ASSERT_PTR_NOT_NULL(bye);
    CU_ASSERT_TRUE(bye && rtcpm_sip_span_eq(bye->to.tag, "bobtag") && rtcpm_sip_span_eq(bye->from.tag, tag));
    CU_ASSERT_TRUE(bye && rtcpm_sip_span_eq(bye->call_id, "in4@test"));
    rtcpm_sip_msg_free(bye);
    rtcpm_sip_call_release(call);
    rtcpm_sip_listen_stop(l);
    sip_peer_close(&peer);
}

static void test_our_bye_and_hangup_ringing(void)
{
    struct sip_peer peer;
    rtcpm_sip_listener *l;
    rtcpm_sip_call *call;
    struct rtcpm_sip_msg *bye, *r;
    char tag[64], v[128];

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    l = listen_on(&peer);
    call = ring(&peer, "in5@test", tag, sizeof(tag));
    CU_ASSERT_EQUAL(rtcpm_sip_call_answer(call, NULL, ANSWER), S_OK);
    r = expect_status(&peer, 200, 2000);
    rtcpm_sip_msg_free(r);
    send_req(&peer, "ACK", "in5@test", 1, tag, "z9hG4bKack5", NULL);
    expect_event(RTCPM_SIP_CALL_CONNECTED, 200, S_OK, 2000);
    CU_ASSERT_EQUAL(rtcpm_sip_call_hangup(call), S_OK);
    expect_event(RTCPM_SIP_CALL_DISCONNECTING, 0, S_OK, 1000);
    bye = sip_peer_expect(&peer, "BYE", 2000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bye);
    snprintf(v, sizeof(v), "sip:bob@127.0.0.1:%u", (unsigned)peer.addr.port);
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(bye->request_uri, v)); /* the caller's Contact */
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(bye->from.uri, "sip:alice@example.com"));
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(bye->from.tag, tag));
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(bye->to.tag, "bobtag"));
    sip_peer_reply(&peer, bye, 200, "OK", NULL, NULL);
    expect_event(RTCPM_SIP_CALL_DISCONNECTED, 200, S_OK, 2000);
    rtcpm_sip_msg_free(bye);
    rtcpm_sip_call_release(call);
    /* hang-up while ringing: 480 */
    call = ring(&peer, "in6@test", tag, sizeof(tag));
    CU_ASSERT_EQUAL(rtcpm_sip_call_hangup(call), S_OK);
    expect_event(RTCPM_SIP_CALL_DISCONNECTING, 0, S_OK, 1000);
    expect_event(RTCPM_SIP_CALL_DISCONNECTED, 480, S_OK, 2000);
    r = expect_status(&peer, 480, 2000);
    CU_ASSERT_PTR_NOT_NULL(r);
    rtcpm_sip_msg_free(r);
    send_req(&peer, "ACK", "in6@test", 1, tag, "z9hG4bKinv1", NULL);
    rtcpm_sip_call_release(call);
    rtcpm_sip_listen_stop(l);
    sip_peer_close(&peer);
}

/* reject, then release at once (as an owner refusing a call does): the refusal goes out, not
 * the 480 of a quiet hang-up */
static void test_reject_then_release(void)
{
    struct sip_peer peer;
    rtcpm_sip_listener *l;
    rtcpm_sip_call *call;
    struct rtcpm_sip_msg *r;
    char tag[64];

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    l = listen_on(&peer);
    call = ring(&peer, "in8@test", tag, sizeof(tag));
    CU_ASSERT_EQUAL(rtcpm_sip_call_reject(call, 488, NULL), S_OK);
    rtcpm_sip_call_release(call);
    r = sip_peer_recv(&peer, 2000, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(r->status, 488);
    CU_ASSERT_TRUE(rtcpm_sip_span_eq(r->reason, "Not Acceptable Here"));
    rtcpm_sip_msg_free(r);
    send_req(&peer, "ACK", "in8@test", 1, tag, "z9hG4bKinv1", NULL);
    /* its DISCONNECTED may have been reported before the release: not asserted either way */
    while (sip_events_next(&events, 200))
    {
    }
    rtcpm_sip_listen_stop(l);
    sip_peer_close(&peer);
}

static void test_no_listener_and_bad_input(void)
{
    struct sip_peer peer;
    struct rtcpm_sip_listen_params lp;
    rtcpm_sip_listener *l = (void *)1;
    struct rtcpm_sip_msg *r;
    char tag[64];
    rtcpm_sip_call *call;

    CU_ASSERT_EQUAL_FATAL(sip_peer_open(&peer, 0), 0);
    memset(&lp, 0, sizeof(lp));
    lp.flow.transport = RTCTR_TCP;
    lp.flow.local = test_addr("127.0.0.1", 0);
    lp.local_uri = "sip:alice@example.com";
    CU_ASSERT_EQUAL(rtcpm_sip_listen_start(agent, &lp, sip_events_call_cb, &events, &l),
                    RTC_E_SIP_TRANSPORT_NOT_SUPPORTED);
    CU_ASSERT_PTR_NULL(l);
    lp.flow.transport = RTCTR_UDP;
    lp.local_uri = "alice";
    CU_ASSERT_EQUAL(rtcpm_sip_listen_start(agent, &lp, sip_events_call_cb, &events, &l), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_call_answer(NULL, NULL, ANSWER), E_POINTER);
    /* a listener stopped: its socket gone, a new one answers; after stop INVITE -> 480 */
    l = listen_on(&peer);
    call = ring(&peer, "in7@test", tag, sizeof(tag));
    rtcpm_sip_call_release(call); /* released unanswered: 480 quietly */
    r = expect_status(&peer, 480, 2000);
    CU_ASSERT_PTR_NOT_NULL(r);
    rtcpm_sip_msg_free(r);
    rtcpm_sip_listen_stop(l);
    sip_peer_close(&peer);
    CU_ASSERT_PTR_NULL(sip_events_next(&events, 0));
}

static CU_TestInfo tests[] = {
    { "answer_ack_bye", test_answer_ack_bye },
    { "reject_busy", test_reject_busy },
    { "cancel", test_cancel },
    { "no_ack", test_no_ack },
    { "our_bye_and_hangup_ringing", test_our_bye_and_hangup_ringing },
    { "reject_then_release", test_reject_then_release },
    { "no_listener_and_bad_input", test_no_listener_and_bad_input },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv)
{
    rtcpm_test_set_fixtures(setup, teardown);
    return rtcpm_test_main("sip_agent_incoming", tests, argc, argv);
}
