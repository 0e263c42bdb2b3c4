/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_ua.h — a minimal SIP user agent client over UDP (RFC 3261) for rtcpm-demo: one
 * registration, or one call (INVITE, ACK, BYE), from a socket the caller bound to the
 * internal SIP port its port manager mapped. Demo-level: no authentication, no routing
 * (every request goes to the one server address given: the registrar, or the called party
 * acting as its own proxy), no forking, no re-INVITE, no TCP.
 *
 * Client transactions (RFC 3261 section 17.1), timers scaled by sip_ua_timers:
 *  - INVITE: sent, then retransmitted after T1, 2*T1, 4*T1, ... (Timer A) until a
 *    provisional response stops the retransmissions; a final response ends it. A non-2xx
 *    final is ACKed in the transaction (same branch); a 2xx is ACKed by the dialog (new
 *    branch, CSeq number of the INVITE), and a retransmitted 2xx is ACKed again.
 *  - REGISTER, BYE: retransmitted after T1, 2*T1, ... capped at T2 (Timer E); after a
 *    provisional, every T2.
 *  - Either gives up timeout_ms after the first send (Timer B / F; RFC: 64*T1, shorter here
 *    so that the demo says "no answer" quickly).
 * A response counts only when it comes from the server's address and port, parses, and its
 * top Via branch and CSeq method are the request's; anything else is ignored (and reported
 * to the observer). Branches, tags and Call-ID come from the OS's random source.
 */
#ifndef RTCPM_SRC_HOST_SIP_UA_H
#define RTCPM_SRC_HOST_SIP_UA_H

#include <stddef.h>
#include "net/addr.h"
#include "os/socket.h"
#include "sip/sip_msg.h"

struct sip_ua_timers
{
    int t1_ms;      /* RTT estimate: first retransmission (RFC default 500) */
    int t2_ms;      /* cap of the non-INVITE retransmission interval (RFC default 4000) */
    int timeout_ms; /* a transaction without final response fails after this long */
};

/* t1 500, t2 4000, timeout 8000. */
void rtcpm_sip_ua_timers_default(struct sip_ua_timers *t);

enum sip_ua_result
{
    SIP_UA_OK = 0,           /* a final response arrived (any code) */
    SIP_UA_E_NO_ANSWER = -1, /* no final response within timeout_ms */
    SIP_UA_E_SOCKET = -2,    /* sending failed (see the socket's OS error) */
    SIP_UA_E_BUILD = -3,     /* the request could not be built (bad URI, message too long) */
    SIP_UA_E_STATE = -4      /* ack/bye without an established dialog */
};

/* What happens on the wire, for a program that shows it: every request sent (retransmissions
 * included, with their number), every response that counts, every datagram ignored. */
enum sip_ua_event
{
    SIP_UA_SENT,     /* text = the request; n = 0 first send, 1.. retransmission */
    SIP_UA_RECEIVED, /* text = the response; resp parsed */
    SIP_UA_IGNORED   /* text = why; from = its source */
};

typedef void (*sip_ua_observer)(void *ctx, enum sip_ua_event ev, int n, const char *text,
                                const struct sip_response *resp, const rtcpm_addr *from);

struct sip_ua
{
    rtcpm_socket *sock;   /* not owned */
    rtcpm_addr server;    /* where every request goes, and where responses must come from */
    rtcpm_addr via;       /* sent-by of our Via: the external SIP address and port */
    char local_uri[256];  /* From (and To of a REGISTER) */
    char remote_uri[256]; /* To of an INVITE / BYE; request URI of the INVITE */
    char call_id[64];
    char from_tag[32];
    char to_tag[128];        /* the dialog's remote tag, after a 2xx to INVITE */
    char remote_target[256]; /* request URI inside the dialog (the 2xx's Contact) */
    unsigned long cseq;      /* of the last request sent (ACK reuses the INVITE's) */
    char invite_branch[64];
    int dialog; /* a 2xx to our INVITE arrived */
    struct sip_ua_timers timers;
    const char *user_agent;   /* User-Agent header, NULL = none */
    sip_ua_observer observer; /* may be NULL */
    void *observer_ctx;
    char ack[2048]; /* the ACK for the 2xx, sent again if the 2xx is retransmitted */
    size_t ack_len;
    char last[4096]; /* the last final response's bytes (resp.body points here) */
};

/* Sets up ua for one registration or one call. local_uri / remote_uri: "sip:..." (remote_uri
 * may be NULL for a registration). via: the external SIP mapping. Call-ID and From tag are
 * drawn at random. Returns SIP_UA_OK, SIP_UA_E_BUILD (bad URI) or SIP_UA_E_SOCKET (no
 * random source). */
int rtcpm_sip_ua_init(struct sip_ua *ua, rtcpm_socket *sock, const rtcpm_addr *server, const rtcpm_addr *via,
                      const char *local_uri, const char *remote_uri, const struct sip_ua_timers *timers);

/* REGISTER sip:<domain of local_uri> with To = From = local_uri, the given Contact header
 * line (CRLF-terminated, as rtcpm_host_profile_contact returns it) and Expires. */
int rtcpm_sip_ua_register(struct sip_ua *ua, const char *contact_line, long expires, struct sip_response *final);

/* INVITE remote_uri with Contact and an application/sdp body. On a final response: 2xx ->
 * dialog established (to-tag, remote target from Contact) and ACKed; 3xx-6xx -> ACKed in the
 * transaction. */
int rtcpm_sip_ua_invite(struct sip_ua *ua, const char *contact_line, const char *sdp, struct sip_response *final);

/* BYE within the dialog (SIP_UA_E_STATE without one); the dialog ends whatever the answer. */
int rtcpm_sip_ua_bye(struct sip_ua *ua, struct sip_response *final);

/* One client transaction: sends req (len bytes) to ua->server, retransmits per the rules
 * above (invite: INVITE rules), waits for the matching final response. Exposed for tests. */
int rtcpm_sip_ua_transaction(struct sip_ua *ua, const char *req, size_t len, const char *branch, const char *method,
                             int invite, struct sip_response *final);

/* Fills buf with n random lowercase hex digits (+ NUL). -1 when the OS source failed. */
int rtcpm_sip_ua_random_hex(char *buf, size_t n);

/* "SIP_UA_E_NO_ANSWER" etc. */
const char *rtcpm_sip_ua_result_name(int result);

#endif /* RTCPM_SRC_HOST_SIP_UA_H */
