/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * prefix.h — address prefixes ("192.168.0.0/16", "2001:db8::/32") for remote-address filters.
 */
#ifndef RTCPM_PM_PREFIX_H
#define RTCPM_PM_PREFIX_H

#include <stddef.h>
#include "net/addr.h"

struct rtcpm_prefix
{
    rtcpm_addr base; /* host bits cleared, port 0, no zone */
    unsigned bits;   /* 0..32 (IPv4) or 0..128 (IPv6) */
};

/*
 * "a.b.c.d/n", "a.b.c.d" (= /32), "x::y/n", "x::y" (= /128), "[x::y]/n". Host bits set in
 * the text are an error ("192.168.1.1/16"): they usually mean a typo. 0, or -1 with a
 * message ("'10.0.0.1/8' has host bits set (did you mean 10.0.0.0/8?)") in err.
 */
int rtcpm_prefix_parse(const char *text, size_t len, struct rtcpm_prefix *out, char *err, size_t errlen);

/* 1 when a (same family; port and zone ignored) lies inside p. */
int rtcpm_prefix_contains(const struct rtcpm_prefix *p, const rtcpm_addr *a);

/* "192.168.0.0/16", "2001:db8::/32" into buf (RTCPM_ADDR_TEXT_SIZE + 4 suffices). */
int rtcpm_prefix_format(const struct rtcpm_prefix *p, char *buf, size_t buflen);

#endif /* RTCPM_PM_PREFIX_H */
