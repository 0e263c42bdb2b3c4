/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * digest.h — HTTP digest authentication as SIP uses it (RFC 3261 section 22, RFC 2617,
 * RFC 7616's MD5 algorithms): the WWW-Authenticate / Proxy-Authenticate challenge parsed, the
 * Authorization / Proxy-Authorization header written.
 *
 * Supported: algorithm MD5 (also when absent) and MD5-sess; qop "auth" (with nc and cnonce)
 * and no qop (RFC 2069 compatibility). A challenge offering only qop=auth-int, or another
 * algorithm (SHA-256, ...), is RTCPM_DIGEST_E_UNSUPPORTED: the caller may look for another
 * challenge header.
 */
#ifndef RTCPM_SRC_SIP_DIGEST_H
#define RTCPM_SRC_SIP_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define RTCPM_DIGEST_VALUE_MAX 255

enum rtcpm_digest_error
{
    RTCPM_DIGEST_OK = 0,
    RTCPM_DIGEST_E_INVALID = -1,     /* NULL argument, or a value we refuse to write (CR/LF) */
    RTCPM_DIGEST_E_NOT_DIGEST = -2,  /* another scheme (Basic, NTLM, ...) */
    RTCPM_DIGEST_E_SYNTAX = -3,      /* not a well-formed auth-param list, realm or nonce missing */
    RTCPM_DIGEST_E_UNSUPPORTED = -4, /* algorithm or qop we cannot do */
    RTCPM_DIGEST_E_TOO_LONG = -5,    /* a value longer than RTCPM_DIGEST_VALUE_MAX */
    RTCPM_DIGEST_E_BUFFER = -6
};

struct rtcpm_digest_challenge
{
    char realm[RTCPM_DIGEST_VALUE_MAX + 1];
    char nonce[RTCPM_DIGEST_VALUE_MAX + 1];
    char opaque[RTCPM_DIGEST_VALUE_MAX + 1];
    int has_opaque;
    int md5_sess; /* algorithm=MD5-sess */
    int has_algorithm;
    int qop_auth; /* "auth" is among the offered qop values: we answer with qop=auth */
    int stale;    /* stale=true */
};

/* Parses a challenge header value ("Digest realm=..., nonce=..."). *out zeroed on failure. */
int rtcpm_digest_parse_challenge(const char *value, size_t len, struct rtcpm_digest_challenge *out);

struct rtcpm_digest_answer
{
    int proxy;            /* 1: "Proxy-Authorization", 0: "Authorization" */
    const char *username; /* UTF-8, written as a quoted-string */
    const char *password;
    const char *method; /* the request's method: "REGISTER" */
    const char *uri;    /* its Request-URI, as written on the request line */
    uint32_t nc;        /* nonce count (>= 1) with qop */
    const char *cnonce; /* client nonce with qop (token characters) */
};

/*
 * "Authorization: Digest username="..", realm="..", nonce="..", uri="..", response="..",
 * algorithm=MD5[, opaque=".."][, qop=auth, nc=00000001, cnonce=".."]" (no CRLF), with
 * response = KD(H(A1), nonce[:nc:cnonce:qop]:H(A2)), A2 = method:uri. NUL-terminated;
 * *written (optional) = its length.
 */
int rtcpm_digest_authorization(const struct rtcpm_digest_challenge *c, const struct rtcpm_digest_answer *a, char *buf,
                               size_t buflen, size_t *written);

/* The response value alone (32 hex digits + NUL), for tests against RFC 2617's example. */
int rtcpm_digest_response(const struct rtcpm_digest_challenge *c, const struct rtcpm_digest_answer *a, char out[33]);

const char *rtcpm_digest_error_name(int err);

#endif /* RTCPM_SRC_SIP_DIGEST_H */
