/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_build.h — SIP requests and responses written from parameters (RFC 3261). Pure
 * functions: no sockets, no randomness (the caller supplies branch, tags, Call-ID), so the
 * exact bytes can be tested. Every value is checked before anything is written: no CR, LF
 * or NUL inside values, no '<' '>' '"' or whitespace in URIs, token characters in methods,
 * tags and branches, the branch starts with RFC 3261's magic cookie.
 *
 * Buffers: on success the text is NUL-terminated and *written (optional) is its length;
 * RTCPM_SIP_BUILD_E_BUFFER when it does not fit (buf then holds "").
 */
#ifndef RTCPM_SRC_SIP_SIP_BUILD_H
#define RTCPM_SRC_SIP_SIP_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include "net/addr.h"
#include "sip_parse.h"

#define RTCPM_SIP_BRANCH_COOKIE "z9hG4bK"

enum rtcpm_sip_build_error
{
    RTCPM_SIP_BUILD_OK = 0,
    RTCPM_SIP_BUILD_E_INVALID = -1, /* a NULL or bad value */
    RTCPM_SIP_BUILD_E_BUFFER = -2
};

struct rtcpm_sip_request
{
    const char *method;        /* token: "REGISTER", "INVITE", "ACK", "CANCEL", "BYE" */
    const char *request_uri;   /* "sip:example.com" */
    const char *via_transport; /* "UDP", "TCP" */
    const rtcpm_addr *via;     /* sent-by (the external address and port) */
    const char *branch;        /* starts with RTCPM_SIP_BRANCH_COOKIE */
    int rport;                 /* add ;rport (RFC 3581) */
    const char *from_display;  /* NULL = none (quoted when written) */
    const char *from_uri;
    const char *from_tag; /* required */
    const char *to_display;
    const char *to_uri;
    const char *to_tag; /* NULL or "" = none */
    const char *call_id;
    uint32_t cseq;            /* 1 .. 2^31 - 1 */
    const char *contact_uri;  /* "sip:alice@198.51.100.7:5060;transport=udp" -> Contact: <...>; NULL = none */
    long contact_expires;     /* >= 0: ";expires=N" after the Contact */
    const char *contact_line; /* alternative: a whole "Contact: ...\r\n" line (sip_text's) */
    long expires;             /* >= 0: an Expires header */
    const char *auth_line;    /* a whole "Authorization: ..." / "Proxy-Authorization: ..." line
                                  without CRLF (digest.h's), NULL = none */
    const char *user_agent;   /* NULL = none */
    const char *content_type; /* required with a body */
    const char *body;         /* NULL = none (Content-Length: 0) */
    size_t body_len;          /* bytes of body; 0 with a body = strlen(body) */
};

/*
 * The request, headers in this order:
 *   METHOD uri SIP/2.0 / Via: SIP/2.0/<T> <sent-by>;branch=<b>[;rport] / Max-Forwards: 70 /
 *   From / To / Call-ID / CSeq: <n> <METHOD> / [Contact] / [Expires] / [auth line] /
 *   [User-Agent] / [Content-Type] / Content-Length / empty line / [body]
 */
int rtcpm_sip_build_request(const struct rtcpm_sip_request *r, char *buf, size_t buflen, size_t *written);

/*
 * A response to req (RFC 3261 section 8.2.6): "SIP/2.0 code reason", every Via line of the
 * request in order, From, To (with to_tag added when the request's To has none and to_tag
 * is given), Call-ID and CSeq copied, [User-Agent], Content-Length: 0.
 */
int rtcpm_sip_build_response(const struct rtcpm_sip_msg *req, int code, const char *reason, const char *to_tag,
                             const char *user_agent, char *buf, size_t buflen, size_t *written);

/* 1 when s is a non-empty RFC 3261 token. */
int rtcpm_sip_build_is_token(const char *s);
/* 1 when s can be written inside <...>: visible ASCII without '<' '>' '"', with a ':'. */
int rtcpm_sip_build_is_uri(const char *s);

#endif /* RTCPM_SRC_SIP_SIP_BUILD_H */
