/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_msg.h — the few SIP messages rtcpm-demo exchanges over UDP (RFC 3261): requests
 * (REGISTER, INVITE, ACK, BYE) built from parameters, responses parsed, and the audio
 * address of an SDP answer (RFC 4566, RFC 3605 a=rtcp) read. Demo-level SIP, not a stack:
 * no routing (Route/Record-Route), no authentication, no TCP.
 *
 * Pure functions: no sockets, no global state, no randomness (the caller supplies branch,
 * tags and Call-ID), so the exact text can be tested.
 *
 * Parsing is strict about structure and bounded everywhere: a response is accepted only with
 * a valid status line, well-formed header lines, the headers a client transaction needs
 * (Via, From, To, Call-ID, CSeq) and a body at least as long as Content-Length says; every
 * field we keep must fit its buffer. Line ends may be CRLF or a bare LF; header names are
 * case-insensitive and compact forms (v f t i m l c) are understood; folded header lines
 * (continuations starting with SP/HT) are joined.
 */
#ifndef RTCPM_SRC_HOST_SIP_MSG_H
#define RTCPM_SRC_HOST_SIP_MSG_H

#include <stddef.h>
#include "net/addr.h"

/* RFC 3261 section 8.1.1.7: every branch we send starts with the magic cookie. */
#define SIP_MSG_BRANCH_COOKIE "z9hG4bK"

enum sip_msg_error
{
    SIP_MSG_OK = 0,
    SIP_MSG_E_INVALID = -1,      /* build: a NULL or bad parameter (CR/LF inside a value, ...) */
    SIP_MSG_E_BUFFER = -2,       /* build: the buffer is too small (it then holds "") */
    SIP_MSG_E_NOT_RESPONSE = -3, /* parse: the first line is not "SIP/2.0 ..." (a request, junk) */
    SIP_MSG_E_STATUS = -4,       /* parse: status code not 100..699, or no space/reason layout */
    SIP_MSG_E_HEADER = -5,       /* parse: a header line without name or ':', or no empty line
                                    ending the headers */
    SIP_MSG_E_MISSING = -6,      /* parse: Via, From, To, Call-ID or CSeq missing */
    SIP_MSG_E_CSEQ = -7,         /* parse: CSeq is not "number method" */
    SIP_MSG_E_LENGTH = -8,       /* parse: Content-Length not a number, or longer than the body */
    SIP_MSG_E_TOO_LONG = -9,     /* parse: a field longer than its buffer in sip_response */
    SIP_MSG_E_SDP = -10          /* SDP: no usable audio stream (see rtcpm_sip_msg_parse_sdp_audio) */
};

/* "SIP_MSG_E_HEADER" etc. */
const char *rtcpm_sip_msg_error_name(int err);

struct sip_request_params
{
    const char *method;      /* "REGISTER", "INVITE", "ACK", "BYE": an RFC 3261 token */
    const char *request_uri; /* "sip:example.com", "sip:bob@example.net" */
    const rtcpm_addr *via;   /* sent-by: address and port (the external SIP mapping) */
    const char *branch;      /* must start with SIP_MSG_BRANCH_COOKIE */
    const char *from_uri;    /* written as From: <uri>;tag=from_tag */
    const char *from_tag;
    const char *to_uri; /* To: <uri>[;tag=to_tag] */
    const char *to_tag; /* NULL or "" = none (outside a dialog) */
    const char *call_id;
    unsigned long cseq;       /* 1 .. 2^31 - 1 */
    const char *contact;      /* a whole header line ending in CRLF (rtcpm_sip_text_contact's), or NULL */
    long expires;             /* >= 0: an Expires header; < 0: none */
    const char *user_agent;   /* NULL = no User-Agent header */
    const char *content_type; /* required with a body */
    const char *body;         /* NULL = no body (Content-Length: 0) */
};

/*
 * The request, headers in this order (RFC 3261 section 8.1.1 plus Contact/Expires):
 *   METHOD request_uri SIP/2.0
 *   Via: SIP/2.0/UDP <via host:port>;branch=<branch>;rport
 *   Max-Forwards: 70
 *   From: <from_uri>;tag=<from_tag>
 *   To: <to_uri>[;tag=<to_tag>]
 *   Call-ID: <call_id>
 *   CSeq: <cseq> <METHOD>
 *   [Contact line] [Expires: n] [User-Agent: ...] [Content-Type: ...]
 *   Content-Length: <body length>
 *   (empty line) [body]
 * rport (RFC 3581) asks the server to answer to the source port the NAT shows it.
 * Every value is checked: no CR, LF or NUL anywhere but the Contact line's final CRLF, no
 * '<' '>' or whitespace in URIs, token characters in the method, tags and branch.
 * Returns SIP_MSG_OK (text NUL-terminated, *written = its length when written is not NULL),
 * SIP_MSG_E_INVALID or SIP_MSG_E_BUFFER.
 */
int rtcpm_sip_msg_build_request(const struct sip_request_params *p, char *buf, size_t buflen, size_t *written);

struct sip_response
{
    int code;              /* 100..699 */
    char reason[128];      /* the reason phrase ("" allowed) */
    char via_branch[128];  /* branch parameter of the top Via ("" when it has none) */
    char via_transport[8]; /* "UDP" from "SIP/2.0/UDP" */
    char call_id[128];
    unsigned long cseq;
    char cseq_method[32];
    char to_tag[128];      /* "" when To has no tag */
    char contact_uri[256]; /* the first Contact's URI without <> and parameters; "" = none */
    char content_type[64]; /* media type without parameters; "" = none */
    long content_length;   /* -1 when the header is absent */
    const char *body;      /* points into the parsed buffer */
    size_t body_len;       /* Content-Length bytes, or everything after the headers */
};

/*
 * Parses one response datagram of len bytes (no NUL needed). On success everything above is
 * filled in; on failure *out is zeroed and a negative sip_msg_error says what was wrong.
 * Extra bytes beyond Content-Length are ignored (RFC 3261 section 18.3, datagrams).
 */
int rtcpm_sip_msg_parse_response(const char *buf, size_t len, struct sip_response *out);

/*
 * The first audio stream of an SDP body: *rtp = its connection address (media-level c=, else
 * session-level) with the m=audio port; *rtcp = a=rtcp's port and address (RFC 3605), else
 * the RTP address with port + 1 (RFC 3550). SIP_MSG_E_SDP when there is no m=audio line, its
 * port is 0 (stream refused) or not a port, no c= applies to it, an address is not an IP
 * literal of the family c= names (IN IP4 / IN IP6), or an a=rtcp line is malformed.
 */
int rtcpm_sip_msg_parse_sdp_audio(const char *body, size_t len, rtcpm_addr *rtp, rtcpm_addr *rtcp);

/* The host part of a SIP URI, for a REGISTER's Request-URI: "sip:alice@example.com;x" ->
 * "sip:example.com" (scheme kept). SIP_MSG_E_INVALID for a URI without scheme or host. */
int rtcpm_sip_msg_domain_uri(const char *uri, char *buf, size_t buflen);

#endif /* RTCPM_SRC_HOST_SIP_MSG_H */
