/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_parse.h — SIP messages (RFC 3261 section 7) parsed: requests and responses, every
 * header line kept (name, value, kind), the headers a UA needs read at once (top Via, From,
 * To, Call-ID, CSeq, Expires, Content-Length, Content-Type), the rest on demand through
 * sip_hdr.h (Contact list, authentication challenges, ...).
 *
 * The parser works on its own copy of the bytes (folded header lines are unfolded there:
 * CRLF + WSP becomes spaces), so spans stay valid as long as the message. Line ends may be
 * CRLF or a bare LF. Header names are case-insensitive; the compact forms (v f t i m l c k
 * s e o r u) are understood. Structure is strict: a valid start line, header lines of
 * token ":" value, an empty line, a body exactly Content-Length long (datagram: extra bytes
 * after it are dropped, RFC 3261 18.3; without Content-Length the body is the rest).
 * Required: Via, From, To, Call-ID, CSeq (and for a request CSeq's method = the method).
 * Only the top Via is parsed (later ones are copied verbatim into responses).
 * Limits: RTCPM_SIP_MAX_MESSAGE bytes, RTCPM_SIP_MAX_HEADERS header lines.
 */
#ifndef RTCPM_SRC_SIP_SIP_PARSE_H
#define RTCPM_SRC_SIP_SIP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define RTCPM_SIP_MAX_MESSAGE 65535
#define RTCPM_SIP_MAX_HEADERS 128

enum rtcpm_sip_parse_error
{
    RTCPM_SIP_OK = 0,
    RTCPM_SIP_E_INVALID = -1,    /* NULL argument */
    RTCPM_SIP_E_START_LINE = -2, /* neither "SIP/2.0 code reason" nor "METHOD uri SIP/2.0" */
    RTCPM_SIP_E_STATUS = -3,     /* status code not 100..699, or a bad reason phrase */
    RTCPM_SIP_E_HEADER = -4,     /* a bad header line, no empty line, a bad From/To/Call-ID */
    RTCPM_SIP_E_MISSING = -5,    /* Via, From, To, Call-ID or CSeq missing */
    RTCPM_SIP_E_CSEQ = -6,       /* CSeq not "number method" (number < 2^32), or not the method */
    RTCPM_SIP_E_LENGTH = -7,     /* Content-Length not a number, or more than the bytes left */
    RTCPM_SIP_E_VIA = -8,        /* the top Via is not "SIP/2.0/transport host[:port][;params]" */
    RTCPM_SIP_E_TOO_BIG = -9,    /* more than RTCPM_SIP_MAX_MESSAGE bytes or _MAX_HEADERS lines */
    RTCPM_SIP_E_NOMEM = -10,
    RTCPM_SIP_E_INCOMPLETE = -11 /* rtcpm_sip_frame: more bytes needed */
};

/* A slice of the message's copy (not NUL-terminated). */
struct rtcpm_sip_span
{
    const char *p;
    size_t n;
};

enum rtcpm_sip_hdr
{
    RTCPM_SIP_HDR_OTHER,
    RTCPM_SIP_HDR_VIA,
    RTCPM_SIP_HDR_FROM,
    RTCPM_SIP_HDR_TO,
    RTCPM_SIP_HDR_CALL_ID,
    RTCPM_SIP_HDR_CSEQ,
    RTCPM_SIP_HDR_CONTACT,
    RTCPM_SIP_HDR_EXPIRES,
    RTCPM_SIP_HDR_CONTENT_LENGTH,
    RTCPM_SIP_HDR_CONTENT_TYPE,
    RTCPM_SIP_HDR_WWW_AUTHENTICATE,
    RTCPM_SIP_HDR_PROXY_AUTHENTICATE,
    RTCPM_SIP_HDR_AUTHORIZATION,
    RTCPM_SIP_HDR_PROXY_AUTHORIZATION,
    RTCPM_SIP_HDR_RECORD_ROUTE,
    RTCPM_SIP_HDR_ROUTE,
    RTCPM_SIP_HDR_MAX_FORWARDS
};

struct rtcpm_sip_header
{
    enum rtcpm_sip_hdr kind;
    struct rtcpm_sip_span name, value; /* value trimmed, unfolded */
};

struct rtcpm_sip_via
{
    struct rtcpm_sip_span transport; /* "UDP" of "SIP/2.0/UDP" */
    struct rtcpm_sip_span host;      /* without brackets */
    uint16_t port;                   /* 0 = none */
    struct rtcpm_sip_span branch;    /* empty when absent */
    struct rtcpm_sip_span received;  /* empty when absent */
    int has_rport;                   /* ;rport present */
    long rport;                      /* its value, -1 when none */
};

/* name-addr / addr-spec of From, To, Contact (RFC 3261 section 20.10). */
struct rtcpm_sip_name_addr
{
    struct rtcpm_sip_span display; /* without quotes; empty when none */
    struct rtcpm_sip_span uri;     /* without <> */
    struct rtcpm_sip_span params;  /* header parameters after the URI, from the first ';' */
    struct rtcpm_sip_span tag;     /* ;tag= value, empty when none */
    long expires;                  /* ;expires= value (Contact), -1 when none */
    int star;                      /* Contact: * */
};

struct rtcpm_sip_msg
{
    char *buf; /* the owned, unfolded copy (NUL-terminated) */
    size_t len;
    int is_request;
    struct rtcpm_sip_span method, request_uri; /* request */
    int status;                                /* response: 100..699 */
    struct rtcpm_sip_span reason;
    size_t header_count;
    struct rtcpm_sip_header headers[RTCPM_SIP_MAX_HEADERS];
    struct rtcpm_sip_via via; /* the top one */
    size_t via_count;         /* Via header lines (not values) */
    struct rtcpm_sip_name_addr from, to;
    struct rtcpm_sip_span call_id;
    uint32_t cseq;
    struct rtcpm_sip_span cseq_method;
    long expires;                       /* Expires header, -1 when none */
    long content_length;                /* -1 when none */
    struct rtcpm_sip_span content_type; /* media type without parameters; empty when none */
    struct rtcpm_sip_span body;
};

/* Parses len bytes (one datagram, or one framed TCP message). On success *out is a new
 * message (rtcpm_sip_msg_free); on failure NULL and a negative rtcpm_sip_parse_error. */
int rtcpm_sip_parse(const char *data, size_t len, struct rtcpm_sip_msg **out);
void rtcpm_sip_msg_free(struct rtcpm_sip_msg *msg);

/*
 * Stream framing (TCP, RFC 3261 18.3): the length of the first complete message in
 * data[0..len) — its headers up to the empty line plus Content-Length (required here; a
 * missing one is RTCPM_SIP_E_LENGTH) — in *msg_len. Leading CRLFs (keep-alives) count into
 * *skip and are not part of the message. RTCPM_SIP_E_INCOMPLETE when more bytes are needed;
 * RTCPM_SIP_E_TOO_BIG past RTCPM_SIP_MAX_MESSAGE; RTCPM_SIP_E_LENGTH for a bad length.
 */
int rtcpm_sip_frame(const char *data, size_t len, size_t *skip, size_t *msg_len);

/* The first header of that kind from index *i on (start with 0): its index, -1 when none;
 * *i is moved past it. */
int rtcpm_sip_msg_find(const struct rtcpm_sip_msg *msg, enum rtcpm_sip_hdr kind, size_t *i);

/* 1 when span equals the NUL-terminated lit, case-insensitively / exactly. */
int rtcpm_sip_span_ieq(struct rtcpm_sip_span s, const char *lit);
int rtcpm_sip_span_eq(struct rtcpm_sip_span s, const char *lit);
/* Copies s into dst[cap] with a NUL; 0 when it does not fit (dst is then ""). */
int rtcpm_sip_span_copy(char *dst, size_t cap, struct rtcpm_sip_span s);

/* "RTCPM_SIP_E_HEADER" etc. */
const char *rtcpm_sip_parse_error_name(int err);

#endif /* RTCPM_SRC_SIP_SIP_PARSE_H */
