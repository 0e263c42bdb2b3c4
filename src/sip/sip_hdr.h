/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_hdr.h — SIP header values (RFC 3261 section 25): Via, name-addr / addr-spec, ';'
 * parameters, comma-separated lists that respect quoted strings and <...>. Pure functions
 * over spans (sip_parse.h); nothing is copied.
 */
#ifndef RTCPM_SRC_SIP_SIP_HDR_H
#define RTCPM_SRC_SIP_SIP_HDR_H

#include "sip_parse.h"

/* Whitespace around s removed. */
struct rtcpm_sip_span rtcpm_sip_span_trim(struct rtcpm_sip_span s);

/* RFC 3261 token characters. */
int rtcpm_sip_is_token_char(char c);
int rtcpm_sip_span_is_token(struct rtcpm_sip_span s);

/* Decimal digits only, at most max_digits (<= 19): 0 and *out, else -1. */
int rtcpm_sip_span_number(struct rtcpm_sip_span s, size_t max_digits, unsigned long long *out);

/* The first element of a comma-separated list value (commas inside "..." or <...> do not
 * count) in *item (trimmed); *rest = what follows the comma (empty at the end). 0, or -1 when
 * v is empty or a quote / '<' is not closed. */
int rtcpm_sip_list_next(struct rtcpm_sip_span v, struct rtcpm_sip_span *item, struct rtcpm_sip_span *rest);

/* ";name=value" in params (parameters stop at the end of params): 1 and *value (empty for a
 * parameter without '=', quotes kept), else 0. Names compare case-insensitively. */
int rtcpm_sip_param(struct rtcpm_sip_span params, const char *name, struct rtcpm_sip_span *value);

/* One Via value: "SIP/2.0/UDP host[:port];params". 0, or -1 when malformed. */
int rtcpm_sip_via_parse(struct rtcpm_sip_span v, struct rtcpm_sip_via *out);

/* One name-addr / addr-spec (From, To, one Contact element, "*"). 0 or -1. */
int rtcpm_sip_name_addr_parse(struct rtcpm_sip_span v, struct rtcpm_sip_name_addr *out);

/* The next Contact element of msg: *hdr (start 0) and *rest (start empty) keep the place.
 * 1 and *out, 0 at the end, -1 for a malformed element. */
int rtcpm_sip_contact_next(const struct rtcpm_sip_msg *msg, size_t *hdr, struct rtcpm_sip_span *rest,
                           struct rtcpm_sip_name_addr *out);

#endif /* RTCPM_SRC_SIP_SIP_HDR_H */
