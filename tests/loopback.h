/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loopback.h — what the tests on the loopback network share: addresses from text, and
 * whether ::1 is usable here (a machine or container may run without IPv6).
 */
#ifndef RTCPM_TESTS_LOOPBACK_H
#define RTCPM_TESTS_LOOPBACK_H

#include <stdint.h>

#include "net/addr.h"

/* The address text ("127.0.0.1", "::1"; no port) with port. Text that does not parse fails the
 * running test (fatal). */
rtcpm_addr test_addr(const char *text, uint16_t port);

/* Can a UDP socket bind [::1]? When not, prints why ("SKIPPED (IPv6): ...") and returns 0. */
int test_have_ipv6(void);

/* An even port B with B .. B+n-1 free for UDP and TCP on 127.0.0.1 (nothing bound now; fatal
 * when none is found). */
uint16_t test_free_block(unsigned n);

#endif
