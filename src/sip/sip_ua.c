/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_ua.c — minimal SIP UAC over UDP. See sip_ua.h.
 */
#include <stdio.h>
#include <string.h>
#include "sip_ua.h"
#include "os/os_platform.h"

#define REQUEST_MAX 4096

void rtcpm_sip_ua_timers_default(struct sip_ua_timers *t)
{
    t->t1_ms = 500;
    t->t2_ms = 4000;
    t->timeout_ms = 8000;
}

const char *rtcpm_sip_ua_result_name(int result)
{
    switch (result)
    {
    case SIP_UA_OK: return "SIP_UA_OK";
    case SIP_UA_E_NO_ANSWER: return "SIP_UA_E_NO_ANSWER";
    case SIP_UA_E_SOCKET: return "SIP_UA_E_SOCKET";
    case SIP_UA_E_BUILD: return "SIP_UA_E_BUILD";
    case SIP_UA_E_STATE: return "SIP_UA_E_STATE";
    }
    return "SIP_UA_E_?";
}

int rtcpm_sip_ua_random_hex(char *buf, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char bytes[64];
    size_t i;
    if (n > 2 * sizeof(bytes) || rtcpm_random_bytes(bytes, (n + 1) / 2) != 0)
    {
        buf[0] = 0;
        return -1;
    }
    for (i = 0; i < n; i++) buf[i] = hex[(bytes[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
    buf[n] = 0;
    return 0;
}

static int new_branch(char *buf, size_t len)
{
    char rnd[33];
    if (rtcpm_sip_ua_random_hex(rnd, 24)) return -1;
    snprintf(buf, len, "%s%s", SIP_MSG_BRANCH_COOKIE, rnd);
    return 0;
}

static int copy_uri(char *dst, size_t cap, const char *src)
{
    if (!src || strlen(src) >= cap) return 0;
    strcpy(dst, src);
    return 1;
}

int rtcpm_sip_ua_init(struct sip_ua *ua, rtcpm_socket *sock, const rtcpm_addr *server, const rtcpm_addr *via,
                      const char *local_uri, const char *remote_uri, const struct sip_ua_timers *timers)
{
    char rnd[33];
    memset(ua, 0, sizeof(*ua));
    if (!sock || !server || !server->port || !via || !via->port) return SIP_UA_E_BUILD;
    if (!copy_uri(ua->local_uri, sizeof(ua->local_uri), local_uri)) return SIP_UA_E_BUILD;
    if (remote_uri && !copy_uri(ua->remote_uri, sizeof(ua->remote_uri), remote_uri)) return SIP_UA_E_BUILD;
    ua->sock = sock;
    ua->server = *server;
    ua->via = *via;
    if (timers)
        ua->timers = *timers;
    else
        rtcpm_sip_ua_timers_default(&ua->timers);
    if (rtcpm_sip_ua_random_hex(rnd, 24)) return SIP_UA_E_SOCKET;
    snprintf(ua->call_id, sizeof(ua->call_id), "%s@rtcpm", rnd);
    if (rtcpm_sip_ua_random_hex(ua->from_tag, 16)) return SIP_UA_E_SOCKET;
    return SIP_UA_OK;
}

static void observe(struct sip_ua *ua, enum sip_ua_event ev, int n, const char *text, const struct sip_response *resp,
                    const rtcpm_addr *from)
{
    if (ua->observer) ua->observer(ua->observer_ctx, ev, n, text, resp, from);
}

static int send_text(struct sip_ua *ua, const char *text, size_t len, int n)
{
    if (rtcpm_socket_sendto(ua->sock, text, len, &ua->server) != RTCPM_SOCK_OK) return SIP_UA_E_SOCKET;
    observe(ua, SIP_UA_SENT, n, text, NULL, NULL);
    return SIP_UA_OK;
}

static int min_int(int a, int b) { return a < b ? a : b; }

/* One datagram within wait_ms, checked: from the server, a response, of this transaction
 * (branch and CSeq method). A retransmitted 2xx of our INVITE gets its ACK again (its ACK got
 * lost, RFC 3261 section 13.2.2.4); anything else is observed as ignored. 1: buf[0..*got]
 * holds a response of this transaction, parsed into *resp; 0: nothing to act on, wait again;
 * < 0: SIP_UA_E_SOCKET. */
static int receive_response(struct sip_ua *ua, char *buf, size_t cap, size_t *got, const char *branch,
                            const char *method, int wait_ms, struct sip_response *resp, rtcpm_addr *from)
{
    int rc = rtcpm_socket_recvfrom(ua->sock, buf, cap - 1, got, from, wait_ms);

    if (rc == RTCPM_SOCK_E_TIMEOUT) return 0;
    if (rc == RTCPM_SOCK_E_TRUNCATED)
    {
        observe(ua, SIP_UA_IGNORED, 0, "datagram too long", NULL, from);
        return 0;
    }
    if (rc != RTCPM_SOCK_OK) return SIP_UA_E_SOCKET;
    buf[*got] = 0;
    if (!rtcpm_addr_equal(from, &ua->server))
    {
        observe(ua, SIP_UA_IGNORED, 0, "not from the server's address", NULL, from);
        return 0;
    }
    if ((rc = rtcpm_sip_msg_parse_response(buf, *got, resp)) != SIP_MSG_OK)
    {
        observe(ua, SIP_UA_IGNORED, 0, rtcpm_sip_msg_error_name(rc), NULL, from);
        return 0;
    }
    if (strcmp(resp->via_branch, branch) || strcmp(resp->cseq_method, method))
    {
        if (ua->ack_len && resp->code >= 200 && resp->code < 300 && !strcmp(resp->via_branch, ua->invite_branch) &&
            !strcmp(resp->cseq_method, "INVITE"))
            return send_text(ua, ua->ack, ua->ack_len, 1);
        observe(ua, SIP_UA_IGNORED, 0, "not a response to this request (branch or CSeq method)", resp, from);
        return 0;
    }
    return 1;
}

int rtcpm_sip_ua_transaction(struct sip_ua *ua, const char *req, size_t len, const char *branch, const char *method,
                             int invite, struct sip_response *final)
{
    uint64_t start = rtcpm_clock_ms(), deadline, next_send;
    int interval = ua->timers.t1_ms > 0 ? ua->timers.t1_ms : 500;
    int t2 = ua->timers.t2_ms > 0 ? ua->timers.t2_ms : 4000;
    int sends = 0, proceeding = 0, rc;
    char buf[sizeof(ua->last)];

    memset(final, 0, sizeof(*final));
    deadline = start + (uint64_t)(ua->timers.timeout_ms > 0 ? ua->timers.timeout_ms : 8000);
    next_send = start;
    for (;;)
    {
        uint64_t now = rtcpm_clock_ms(), until;
        struct sip_response resp;
        rtcpm_addr from;
        size_t got = 0;
        int retransmitting = !(invite && proceeding);

        if (now >= deadline) return SIP_UA_E_NO_ANSWER;
        if (retransmitting && now >= next_send)
        {
            if ((rc = send_text(ua, req, len, sends))) return rc;
            sends++;
            next_send = now + (uint64_t)interval;
            /* Timer A doubles without limit; Timer E doubles up to T2 (and is T2 once proceeding) */
            interval = invite ? interval * 2 : proceeding ? t2 : min_int(interval * 2, t2);
        }
        until = retransmitting && next_send < deadline ? next_send : deadline;
        rc = receive_response(ua, buf, sizeof(buf), &got, branch, method, (int)(until - now), &resp, &from);
        if (rc < 0) return rc;
        if (rc == 0) continue;
        if (resp.code < 200)
        {
            observe(ua, SIP_UA_RECEIVED, 0, buf, &resp, &from);
            if (!proceeding && !invite) next_send = now + (uint64_t)t2;
            proceeding = 1;
            continue;
        }
        /* keep the bytes: the response's body points into them */
        memcpy(ua->last, buf, got + 1);
        rtcpm_sip_msg_parse_response(ua->last, got, final);
        observe(ua, SIP_UA_RECEIVED, 0, ua->last, final, &from);
        return SIP_UA_OK;
    }
}

static int build(const struct sip_request_params *p, char *buf, size_t *len)
{
    return rtcpm_sip_msg_build_request(p, buf, REQUEST_MAX, len) == SIP_MSG_OK ? SIP_UA_OK : SIP_UA_E_BUILD;
}

static void base_params(struct sip_ua *ua, struct sip_request_params *p, const char *method, const char *branch)
{
    memset(p, 0, sizeof(*p));
    p->method = method;
    p->via = &ua->via;
    p->branch = branch;
    p->from_uri = ua->local_uri;
    p->from_tag = ua->from_tag;
    p->call_id = ua->call_id;
    p->expires = -1;
    p->user_agent = ua->user_agent;
}

/* A request inside the dialog (the 2xx's ACK, BYE): to the remote target, with the peer's
 * tag, on a new branch. */
static int dialog_params(struct sip_ua *ua, struct sip_request_params *p, const char *method, char *branch,
                         size_t branch_len, unsigned long cseq)
{
    if (new_branch(branch, branch_len)) return SIP_UA_E_SOCKET;
    base_params(ua, p, method, branch);
    p->request_uri = ua->remote_target;
    p->to_uri = ua->remote_uri;
    p->to_tag = ua->to_tag;
    p->cseq = cseq;
    return 0;
}

int rtcpm_sip_ua_register(struct sip_ua *ua, const char *contact_line, long expires, struct sip_response *final)
{
    struct sip_request_params p;
    char req[REQUEST_MAX], branch[64], domain[256];
    size_t len;
    int rc;

    memset(final, 0, sizeof(*final));
    if (rtcpm_sip_msg_domain_uri(ua->local_uri, domain, sizeof(domain)) != SIP_MSG_OK) return SIP_UA_E_BUILD;
    if (new_branch(branch, sizeof(branch))) return SIP_UA_E_SOCKET;
    base_params(ua, &p, "REGISTER", branch);
    p.request_uri = domain;
    p.to_uri = ua->local_uri;
    p.cseq = ++ua->cseq;
    p.contact = contact_line;
    p.expires = expires;
    if ((rc = build(&p, req, &len))) return rc;
    return rtcpm_sip_ua_transaction(ua, req, len, branch, "REGISTER", 0, final);
}

int rtcpm_sip_ua_invite(struct sip_ua *ua, const char *contact_line, const char *sdp, struct sip_response *final)
{
    struct sip_request_params p;
    char req[REQUEST_MAX];
    size_t len;
    int rc;

    memset(final, 0, sizeof(*final));
    if (!ua->remote_uri[0]) return SIP_UA_E_BUILD;
    if (new_branch(ua->invite_branch, sizeof(ua->invite_branch))) return SIP_UA_E_SOCKET;
    base_params(ua, &p, "INVITE", ua->invite_branch);
    p.request_uri = ua->remote_uri;
    p.to_uri = ua->remote_uri;
    p.cseq = ++ua->cseq;
    p.contact = contact_line;
    p.content_type = "application/sdp";
    p.body = sdp;
    if ((rc = build(&p, req, &len))) return rc;
    if ((rc = rtcpm_sip_ua_transaction(ua, req, len, ua->invite_branch, "INVITE", 1, final))) return rc;

    /* ACK: for a 2xx a new transaction inside the dialog (to the remote target), for a
     * failure part of the INVITE transaction (same branch and Request-URI). */
    if (final->code < 300)
    {
        char branch[64];
        if (!copy_uri(ua->to_tag, sizeof(ua->to_tag), final->to_tag)) ua->to_tag[0] = 0;
        if (!final->contact_uri[0] || !copy_uri(ua->remote_target, sizeof(ua->remote_target), final->contact_uri))
            strcpy(ua->remote_target, ua->remote_uri);
        ua->dialog = 1;
        if ((rc = dialog_params(ua, &p, "ACK", branch, sizeof(branch), ua->cseq))) return rc;
        if (rtcpm_sip_msg_build_request(&p, ua->ack, sizeof(ua->ack), &ua->ack_len) != SIP_MSG_OK)
        {
            /* a Contact we cannot write back: fall back to the URI we called */
            strcpy(ua->remote_target, ua->remote_uri);
            if (rtcpm_sip_msg_build_request(&p, ua->ack, sizeof(ua->ack), &ua->ack_len) != SIP_MSG_OK)
            {
                ua->ack_len = 0;
                return SIP_UA_E_BUILD;
            }
        }
        return send_text(ua, ua->ack, ua->ack_len, 0);
    }
    base_params(ua, &p, "ACK", ua->invite_branch);
    p.request_uri = ua->remote_uri;
    p.to_uri = ua->remote_uri;
    p.to_tag = final->to_tag;
    p.cseq = ua->cseq;
    if (rtcpm_sip_msg_build_request(&p, req, sizeof(req), &len) != SIP_MSG_OK)
    {
        p.to_tag = NULL; /* a tag we cannot write back: ACK without it rather than not at all */
        if ((rc = build(&p, req, &len))) return rc;
    }
    return send_text(ua, req, len, 0);
}

int rtcpm_sip_ua_bye(struct sip_ua *ua, struct sip_response *final)
{
    struct sip_request_params p;
    char req[REQUEST_MAX], branch[64];
    size_t len;
    int rc;

    memset(final, 0, sizeof(*final));
    if (!ua->dialog) return SIP_UA_E_STATE;
    ua->dialog = 0;
    if ((rc = dialog_params(ua, &p, "BYE", branch, sizeof(branch), ua->cseq + 1))) return rc;
    ua->cseq = p.cseq;
    if ((rc = build(&p, req, &len))) return rc;
    return rtcpm_sip_ua_transaction(ua, req, len, branch, "BYE", 0, final);
}
