/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_sip_ua.c — rtcpm-demo's SIP client transactions (src/host/sip_ua) against an
 * in-process server thread on 127.0.0.1: retransmission of a lost REGISTER (byte-identical,
 * after T1), responses ignored for a wrong branch / wrong source / garbage, 100 Trying,
 * no answer within the timeout (Timer E schedule), an INVITE answered 180 + 486 (no
 * retransmission after the provisional, ACK in the transaction), an INVITE answered 200
 * (ACK in the dialog to the Contact, again for a retransmitted 200, then BYE).
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/sip_ua.h"
#include "loopback.h"
#include "os/os_platform.h"
#include "test_thread.h"

#define MAX_SEEN 16

enum script
{
    SCRIPT_LOSS,
    SCRIPT_SILENT,
    SCRIPT_REJECT,
    SCRIPT_ACCEPT
};

struct uas
{
    enum script script;
    int t1;
    rtcpm_socket *sock, *other; /* other: a second socket, for answers from a wrong source */
    rtcpm_addr addr;
    /* what arrived */
    int n;
    char msg[MAX_SEEN][2048];
    uint64_t at[MAX_SEEN];
    uint64_t provisional_at;
    int late_invites; /* INVITEs that came more than T1 after the provisional */
    int failures;     /* server-side checks that failed (printed) */
};

static void server_fail(struct uas *u, const char *what, const char *msg)
{
    printf("\n  server: %s%s%s\n", what, msg ? " in:\n" : "", msg ? msg : "");
    u->failures++;
}

/* The value of a request header ("" when absent). */
static void header(const char *msg, const char *name, char *out, size_t cap)
{
    char key[64];
    const char *p, *e;
    snprintf(key, sizeof(key), "\r\n%s: ", name);
    out[0] = 0;
    if (!(p = strstr(msg, key))) return;
    p += strlen(key);
    e = strstr(p, "\r\n");
    if (!e || (size_t)(e - p) >= cap) return;
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = 0;
}

/* The request's header `name` must be `want`: a server failure otherwise. */
static void expect_header(struct uas *u, const char *msg, const char *name, const char *want)
{
    char value[256], what[400];
    header(msg, name, value, sizeof(value));
    if (!strcmp(value, want)) return;
    snprintf(what, sizeof(what), "%s is \"%s\", expected \"%s\"", name, value, want);
    server_fail(u, what, msg);
}

static void branch_of(const char *msg, char *out, size_t cap)
{
    char via[256];
    const char *b;
    size_t n;
    header(msg, "Via", via, sizeof(via));
    out[0] = 0;
    if (!(b = strstr(via, ";branch="))) return;
    b += 8;
    n = strcspn(b, ";");
    if (n >= cap) return;
    memcpy(out, b, n);
    out[n] = 0;
}

/* Waits up to ms for one request; stores it. NULL on timeout. */
static const char *receive(struct uas *u, int ms, rtcpm_addr *from)
{
    size_t got = 0;
    char *buf;
    if (u->n == MAX_SEEN) return NULL;
    buf = u->msg[u->n];
    if (rtcpm_socket_recvfrom(u->sock, buf, sizeof(u->msg[0]) - 1, &got, from, ms) != RTCPM_SOCK_OK) return NULL;
    buf[got] = 0;
    u->at[u->n] = rtcpm_clock_ms();
    u->n++;
    return buf;
}

/* A response to req: Via, From, Call-ID, CSeq copied; To with to_tag; optional branch
 * override, Contact and body. */
static void respond(struct uas *u, rtcpm_socket *s, const rtcpm_addr *to, const char *req, int code, const char *reason,
                    const char *to_tag, const char *branch, const char *extra, const char *body)
{
    char via[256], from[256], too[256], cid[128], cseq[64], text[2048];
    int n;
    header(req, "Via", via, sizeof(via));
    header(req, "From", from, sizeof(from));
    header(req, "To", too, sizeof(too));
    header(req, "Call-ID", cid, sizeof(cid));
    header(req, "CSeq", cseq, sizeof(cseq));
    if (branch)
    {
        char *b = strstr(via, ";branch=");
        if (b) snprintf(b, sizeof(via) - (size_t)(b - via), ";branch=%s", branch);
    }
    n = snprintf(text, sizeof(text),
                 "SIP/2.0 %d %s\r\nVia: %s\r\nFrom: %s\r\nTo: %s%s%s\r\nCall-ID: %s\r\nCSeq: %s\r\n%s"
                 "Content-Length: %d\r\n\r\n%s",
                 code, reason, via, from, too, to_tag ? ";tag=" : "", to_tag ? to_tag : "", cid, cseq,
                 extra ? extra : "", body ? (int)strlen(body) : 0, body ? body : "");
    if (rtcpm_socket_sendto(s, text, (size_t)n, to) != RTCPM_SOCK_OK) server_fail(u, "send failed", NULL);
}

static int run_loss(struct uas *u)
{
    rtcpm_addr from;
    const char *first, *again;
    char b[128];

    if (!(first = receive(u, 3000, &from)))
    {
        server_fail(u, "no REGISTER", NULL);
        return 0;
    }
    /* dropped: the client must send the very same bytes again after T1 */
    if (!(again = receive(u, 3000, &from)))
    {
        server_fail(u, "no retransmission", NULL);
        return 0;
    }
    if (strcmp(first, again)) server_fail(u, "the retransmission differs", again);
    branch_of(again, b, sizeof(b));
    /* ignored: another branch, another source, garbage */
    respond(u, u->sock, &from, again, 200, "Wrong Branch", "x", "z9hG4bKother", NULL, NULL);
    respond(u, u->other, &from, again, 200, "Wrong Source", "x", NULL, NULL, NULL);
    rtcpm_socket_sendto(u->sock, "SIP/2.0 999 junk\r\n\r\n", 20, &from);
    respond(u, u->sock, &from, again, 100, "Trying", NULL, NULL, NULL, NULL);
    respond(u, u->sock, &from, again, 200, "OK", "reg1", NULL, "Contact: <sip:alice@198.51.100.7:5060>;expires=60\r\n",
            NULL);
    return 0;
}

static int run_silent(struct uas *u)
{
    rtcpm_addr from;
    while (receive(u, 1500, &from))
    {
    }
    return 0;
}

static int run_reject(struct uas *u)
{
    rtcpm_addr from;
    rtcpm_addr other;
    const char *invite, *m;
    char b[128], ab[128];

    if (!(invite = receive(u, 3000, &from)))
    {
        server_fail(u, "no INVITE", NULL);
        return 0;
    }
    respond(u, u->sock, &from, invite, 100, "Trying", NULL, NULL, NULL, NULL);
    u->provisional_at = rtcpm_clock_ms();
    respond(u, u->sock, &from, invite, 180, "Ringing", "busy7", NULL, NULL, NULL);
    /* no INVITE may come after the provisional (Timer A stops) */
    while ((m = receive(u, 4 * u->t1, &other)))
    {
        if (strncmp(m, "INVITE ", 7))
        {
            server_fail(u, "unexpected request while ringing", m);
            return 0;
        }
        if (u->at[u->n - 1] > u->provisional_at + (uint64_t)u->t1) u->late_invites++;
    }
    respond(u, u->sock, &from, invite, 486, "Busy Here", "busy7", NULL, NULL, NULL);
    if (!(m = receive(u, 3000, &from)))
    {
        server_fail(u, "no ACK", NULL);
        return 0;
    }
    if (strncmp(m, "ACK sip:bob@example.net SIP/2.0\r\n", 33)) server_fail(u, "ACK request line", m);
    branch_of(invite, b, sizeof(b));
    branch_of(m, ab, sizeof(ab));
    if (strcmp(b, ab)) server_fail(u, "a non-2xx ACK must reuse the INVITE's branch", m);
    expect_header(u, m, "CSeq", "1 ACK");
    expect_header(u, m, "To", "<sip:bob@example.net>;tag=busy7");
    return 0;
}

static int run_accept(struct uas *u)
{
    static const char sdp[] = "v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 40000 RTP/AVP 0\r\na=rtcp:40009\r\n";
    rtcpm_addr from;
    const char *invite, *ack, *ack2, *bye;
    char contact[128], ib[128], ab[128], v[256];
    char la[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];

    rtcpm_addr_format_hostport(&u->addr, la, sizeof(la));
    snprintf(contact, sizeof(contact), "Contact: <sip:uas@%s;transport=udp>\r\nContent-Type: application/sdp\r\n", la);
    if (!(invite = receive(u, 3000, &from)))
    {
        server_fail(u, "no INVITE", NULL);
        return 0;
    }
    respond(u, u->sock, &from, invite, 200, "OK", "ok9", NULL, contact, sdp);
    if (!(ack = receive(u, 3000, &from)))
    {
        server_fail(u, "no ACK", NULL);
        return 0;
    }
    snprintf(v, sizeof(v), "ACK sip:uas@%s;transport=udp SIP/2.0\r\n", la);
    if (strncmp(ack, v, strlen(v))) server_fail(u, "ACK must go to the 2xx's Contact", ack);
    branch_of(invite, ib, sizeof(ib));
    branch_of(ack, ab, sizeof(ab));
    if (!strcmp(ib, ab) || strncmp(ab, "z9hG4bK", 7)) server_fail(u, "a 2xx ACK needs a new branch", ack);
    expect_header(u, ack, "CSeq", "1 ACK");
    expect_header(u, ack, "To", "<sip:bob@example.net>;tag=ok9");
    /* the ACK "got lost": the 200 comes again and must be ACKed again. The client reads it
     * in its next transaction (the BYE): the ACK comes before or after the BYE. */
    respond(u, u->sock, &from, invite, 200, "OK", "ok9", NULL, contact, sdp);
    if (!(ack2 = receive(u, 3000, &from)) || !(bye = receive(u, 3000, &from)))
    {
        server_fail(u, "no second ACK and BYE", NULL);
        return 0;
    }
    if (!strncmp(ack2, "BYE ", 4))
    {
        const char *t = ack2;
        ack2 = bye;
        bye = t;
    }
    if (strcmp(ack, ack2)) server_fail(u, "the second ACK differs", ack2);
    snprintf(v, sizeof(v), "BYE sip:uas@%s;transport=udp SIP/2.0\r\n", la);
    if (strncmp(bye, v, strlen(v))) server_fail(u, "BYE request line", bye);
    expect_header(u, bye, "CSeq", "2 BYE");
    expect_header(u, bye, "To", "<sip:bob@example.net>;tag=ok9");
    header(invite, "Call-ID", v, sizeof(v));
    expect_header(u, bye, "Call-ID", v);
    respond(u, u->sock, &from, bye, 200, "OK", "ok9", NULL, NULL, NULL);
    return 0;
}

static int server_main(void *arg)
{
    struct uas *u = arg;
    switch (u->script)
    {
    case SCRIPT_LOSS: return run_loss(u);
    case SCRIPT_SILENT: return run_silent(u);
    case SCRIPT_REJECT: return run_reject(u);
    case SCRIPT_ACCEPT: return run_accept(u);
    }
    return 0;
}

struct events
{
    int sent, retransmitted, received, ignored;
    uint64_t sent_at[32];
};

static void observe(void *ctx, enum sip_ua_event ev, int n, const char *text, const struct sip_response *resp,
                    const rtcpm_addr *from)
{
    struct events *e = ctx;
    (void)text, (void)resp, (void)from;
    if (ev == SIP_UA_SENT)
    {
        if (e->sent < 32) e->sent_at[e->sent] = rtcpm_clock_ms();
        e->sent++;
        if (n) e->retransmitted++;
    }
    else if (ev == SIP_UA_RECEIVED)
        e->received++;
    else
        e->ignored++;
}

/* One client transaction against the server thread: both ends and what the client saw. */
struct ua_test
{
    struct uas u;
    struct sip_ua ua;
    struct events ev;
    struct sip_response r;
    rtcpm_socket *client;
    test_thread *thread;
};

/* Starts the server thread and a client UA (socket on 127.0.0.1:0) pointed at it. */
static int setup(struct ua_test *t, enum script script, int t1, int t2, int timeout)
{
    rtcpm_addr lo = test_addr("127.0.0.1", 0), via = test_addr("198.51.100.7", 5060);
    struct sip_ua_timers timers = { t1, t2, timeout };
    struct uas *u = &t->u;

    memset(t, 0, sizeof(*t));
    u->script = script;
    u->t1 = t1;
    if (rtcpm_socket_open(&u->sock, RTCPM_SOCK_UDP, &lo, NULL) ||
        rtcpm_socket_open(&u->other, RTCPM_SOCK_UDP, &lo, NULL) ||
        rtcpm_socket_open(&t->client, RTCPM_SOCK_UDP, &lo, NULL))
        return 0;
    rtcpm_socket_local_addr(u->sock, &u->addr);
    if (rtcpm_sip_ua_init(&t->ua, t->client, &u->addr, &via, "sip:alice@example.com", "sip:bob@example.net", &timers) !=
        SIP_UA_OK)
        return 0;
    t->ua.observer = observe;
    t->ua.observer_ctx = &t->ev;
    return test_thread_start(&t->thread, server_main, u) == 0;
}

/* Waits for the server thread; no server-side check may have failed. */
static void teardown(struct ua_test *t)
{
    if (t->thread) test_thread_join(t->thread);
    rtcpm_socket_close(t->client);
    rtcpm_socket_close(t->u.sock);
    rtcpm_socket_close(t->u.other);
    CU_ASSERT_EQUAL(t->u.failures, 0);
}

static void test_register_retransmit(void)
{
    struct ua_test t;
    int rc;

    CU_ASSERT_TRUE_FATAL(setup(&t, SCRIPT_LOSS, 100, 400, 5000));
    rc = rtcpm_sip_ua_register(&t.ua, "Contact: <sip:alice@198.51.100.7:5060;transport=udp>\r\n", 60, &t.r);
    teardown(&t);
    CU_ASSERT_EQUAL(rc, SIP_UA_OK);
    CU_ASSERT_EQUAL(t.r.code, 200);
    CU_ASSERT_STRING_EQUAL(t.r.reason, "OK");
    CU_ASSERT_STRING_EQUAL(t.r.to_tag, "reg1");
    CU_ASSERT_STRING_EQUAL(t.r.cseq_method, "REGISTER");
    CU_ASSERT_EQUAL(t.ev.retransmitted, t.ev.sent - 1);
    CU_ASSERT_TRUE(t.ev.sent >= 2);
    /* wrong branch, wrong source and the junk were ignored; 100 and 200 counted */
    CU_ASSERT_EQUAL(t.ev.ignored, 3);
    CU_ASSERT_EQUAL(t.ev.received, 2);
    /* the retransmission went out T1 after the request (the client's clock: the server
     * thread may be scheduled late for the first one) */
    CU_ASSERT_TRUE(t.u.n >= 2 && t.ev.sent_at[1] - t.ev.sent_at[0] >= 95);
    CU_ASSERT_PTR_NOT_NULL(strstr(t.u.msg[0], "\r\nExpires: 60\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t.u.msg[0], "REGISTER sip:example.com SIP/2.0\r\n"));
}

static void test_no_answer(void)
{
    struct ua_test t;
    uint64_t t0;
    int rc, i;

    CU_ASSERT_TRUE_FATAL(setup(&t, SCRIPT_SILENT, 40, 160, 800));
    t0 = rtcpm_clock_ms();
    rc = rtcpm_sip_ua_register(&t.ua, "Contact: <sip:alice@198.51.100.7:5060>\r\n", 3600, &t.r);
    t0 = rtcpm_clock_ms() - t0;
    teardown(&t);
    CU_ASSERT_EQUAL(rc, SIP_UA_E_NO_ANSWER);
    CU_ASSERT_EQUAL(t.r.code, 0);
    CU_ASSERT_TRUE(t0 >= 800 && t0 < 2000);
    /* Timer E: 0, 40, 120, 280, 440, 600, 760 ms -> 7 sends (fewer on a very slow machine) */
    if (t.ev.sent < 4 || t.ev.sent > 7) printf("\n  %d sends\n", t.ev.sent);
    CU_ASSERT_TRUE(t.ev.sent >= 4 && t.ev.sent <= 7);
    CU_ASSERT_EQUAL(t.u.n, t.ev.sent);
    /* intervals double from T1 and stop growing at T2 */
    for (i = 1; i < t.ev.sent && i < 32; i++)
    {
        uint64_t gap = t.ev.sent_at[i] - t.ev.sent_at[i - 1], want = i == 1 ? 40 : i == 2 ? 80 : 160;
        if (gap + 5 < want) printf("\n  gap %d: %lu ms, want >= %lu\n", i, (unsigned long)gap, (unsigned long)want);
        CU_ASSERT_TRUE(gap + 5 >= want);
        CU_ASSERT_TRUE(i < 3 || gap < 160 + 400);
    }
    for (i = 1; i < t.u.n; i++) CU_ASSERT_STRING_EQUAL(t.u.msg[i], t.u.msg[0]);
}

static void test_invite_rejected(void)
{
    struct ua_test t;
    int rc;

    CU_ASSERT_TRUE_FATAL(setup(&t, SCRIPT_REJECT, 200, 4000, 8000));
    rc = rtcpm_sip_ua_invite(&t.ua, "Contact: <sip:198.51.100.7:5060>\r\n", "v=0\r\n", &t.r);
    teardown(&t);
    CU_ASSERT_EQUAL(rc, SIP_UA_OK);
    CU_ASSERT_EQUAL(t.r.code, 486);
    CU_ASSERT_STRING_EQUAL(t.r.reason, "Busy Here");
    CU_ASSERT_EQUAL(t.ev.received, 3); /* 100, 180, 486 */
    CU_ASSERT_EQUAL(t.u.late_invites, 0);
    CU_ASSERT_FALSE(t.ua.dialog);
    CU_ASSERT_EQUAL(rtcpm_sip_ua_bye(&t.ua, &t.r), SIP_UA_E_STATE);
    CU_ASSERT_PTR_NOT_NULL(strstr(t.u.msg[0], "\r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n"));
}

static void test_invite_accepted_bye(void)
{
    struct ua_test t;
    rtcpm_addr rtp, rtcp;
    int rc, bye_rc;

    CU_ASSERT_TRUE_FATAL(setup(&t, SCRIPT_ACCEPT, 200, 4000, 8000));
    rc = rtcpm_sip_ua_invite(&t.ua, "Contact: <sip:198.51.100.7:5060>\r\n", "v=0\r\n", &t.r);
    CU_ASSERT_EQUAL(rc, SIP_UA_OK);
    CU_ASSERT_EQUAL(t.r.code, 200);
    CU_ASSERT_TRUE(t.ua.dialog);
    CU_ASSERT_STRING_EQUAL(t.ua.to_tag, "ok9");
    CU_ASSERT_EQUAL(rtcpm_sip_msg_parse_sdp_audio(t.r.body, t.r.body_len, &rtp, &rtcp), SIP_MSG_OK);
    CU_ASSERT_EQUAL(rtp.port, 40000);
    CU_ASSERT_EQUAL(rtcp.port, 40009);
    bye_rc = rtcpm_sip_ua_bye(&t.ua, &t.r);
    teardown(&t);
    CU_ASSERT_EQUAL(bye_rc, SIP_UA_OK);
    CU_ASSERT_EQUAL(t.r.code, 200);
    CU_ASSERT_STRING_EQUAL(t.r.cseq_method, "BYE");
    CU_ASSERT_FALSE(t.ua.dialog);
    CU_ASSERT_EQUAL(t.u.n, 4); /* INVITE, ACK, ACK again, BYE */
}

static void test_random_and_init(void)
{
    char a[33], b[33];
    rtcpm_addr lo = test_addr("127.0.0.1", 5060), noport = test_addr("127.0.0.1", 0);
    struct sip_ua ua;
    rtcpm_socket *s = NULL;
    size_t i;

    CU_ASSERT_EQUAL(rtcpm_sip_ua_random_hex(a, 32), 0);
    CU_ASSERT_EQUAL(rtcpm_sip_ua_random_hex(b, 32), 0);
    CU_ASSERT_EQUAL(strlen(a), 32);
    CU_ASSERT_STRING_NOT_EQUAL(a, b);
    for (i = 0; i < 32; i++) CU_ASSERT_PTR_NOT_NULL(strchr("0123456789abcdef", a[i]));
    CU_ASSERT_EQUAL(rtcpm_sip_ua_random_hex(a, 7), 0);
    CU_ASSERT_EQUAL(strlen(a), 7);

    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &noport, NULL), RTCPM_SOCK_OK);
    CU_ASSERT_EQUAL(rtcpm_sip_ua_init(&ua, s, &lo, &lo, "sip:a@b", NULL, NULL), SIP_UA_OK);
    CU_ASSERT_EQUAL(strlen(ua.from_tag), 16);
    CU_ASSERT_PTR_NOT_NULL(strstr(ua.call_id, "@rtcpm"));
    CU_ASSERT_EQUAL(ua.timers.t1_ms, 500);
    CU_ASSERT_EQUAL(ua.timers.t2_ms, 4000);
    /* an INVITE needs a remote URI; bad URIs never reach the wire */
    CU_ASSERT_EQUAL(rtcpm_sip_ua_invite(&ua, NULL, "v=0\r\n", &(struct sip_response){ 0 }), SIP_UA_E_BUILD);
    CU_ASSERT_EQUAL(rtcpm_sip_ua_init(&ua, s, &noport, &lo, "sip:a@b", NULL, NULL), SIP_UA_E_BUILD);
    CU_ASSERT_EQUAL(rtcpm_sip_ua_init(&ua, s, &lo, &lo, "sip:a@b", "sip:x y", NULL), SIP_UA_OK);
    CU_ASSERT_EQUAL(rtcpm_sip_ua_invite(&ua, NULL, "v=0\r\n", &(struct sip_response){ 0 }), SIP_UA_E_BUILD);
    CU_ASSERT_EQUAL(rtcpm_sip_ua_init(&ua, s, &lo, &lo, "a@b", NULL, NULL), SIP_UA_OK);
    CU_ASSERT_EQUAL(rtcpm_sip_ua_register(&ua, NULL, 1, &(struct sip_response){ 0 }), SIP_UA_E_BUILD);
    rtcpm_socket_close(s);
    CU_ASSERT_STRING_EQUAL(rtcpm_sip_ua_result_name(SIP_UA_E_NO_ANSWER), "SIP_UA_E_NO_ANSWER");
}

static CU_TestInfo tests[] = {
    { "register_retransmit", test_register_retransmit }, { "no_answer", test_no_answer },
    { "invite_rejected", test_invite_rejected },         { "invite_accepted_bye", test_invite_accepted_bye },
    { "random_and_init", test_random_and_init },         CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("sip_ua", tests, argc, argv); }
