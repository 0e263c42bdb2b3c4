/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_host.h — "host[:port]" as a SIP server is written (provisioning sipsrv@addr, a
 * registrar): an IPv4 literal, an IPv6 literal in brackets (or bare, then without port), or
 * a DNS host name (RFC 1123 labels: letters, digits, '-' inside, 1..63 characters each,
 * at most 253 in all, an optional final dot; the last label not all digits, so "1.2.3.999"
 * is a bad address, not a name).
 */
#ifndef RTCPM_SRC_SIP_SIP_HOST_H
#define RTCPM_SRC_SIP_SIP_HOST_H

#include <stddef.h>
#include <stdint.h>
#include "net/addr.h"

#define RTCPM_SIP_HOST_MAX 253

struct rtcpm_sip_host
{
    char host[RTCPM_SIP_HOST_MAX + 2]; /* without brackets, port or final dot */
    uint16_t port;                     /* 0 = none written */
    int is_ip;                         /* host is an IP literal: ip holds it, port = port */
    rtcpm_addr ip;
};

/* 0, or -1 when text is not host[:port] as above (out is then zeroed). */
int rtcpm_sip_host_parse(const char *text, size_t len, struct rtcpm_sip_host *out);

/* 1 when name[0..len) is a host name as above (not an IP literal). */
int rtcpm_sip_host_is_name(const char *name, size_t len);

#endif /* RTCPM_SRC_SIP_SIP_HOST_H */
