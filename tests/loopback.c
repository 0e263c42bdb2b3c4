/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loopback.c — see loopback.h.
 */
#include "loopback.h"

#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "os/os_platform.h"
#include "os/socket.h"

rtcpm_addr test_addr(const char *text, uint16_t port)
{
    rtcpm_addr a;
    CU_ASSERT_EQUAL_FATAL(rtcpm_addr_parse(text, strlen(text), &a), 0);
    a.port = port;
    return a;
}

int test_need_ipv6(void)
{
    rtcpm_socket *s = NULL;
    int os_error = 0;
    rtcpm_addr lo6 = test_addr("::1", 0);
    int rc = rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &lo6, &os_error);
    if (rc != RTCPM_SOCK_OK)
    {
        char text[160];
        rtcpm_test_skip("IPv6 loopback: cannot bind [::1]: %s (%s)", rtcpm_sock_error_name(rc),
                        rtcpm_os_error_text(os_error, text, sizeof text));
        return 0;
    }
    rtcpm_socket_close(s);
    return 1;
}

/* An even port B with B .. B+n-1 free for UDP and TCP on 127.0.0.1 (nothing bound now). */
uint16_t test_free_block(unsigned n)
{
    int tries;
    for (tries = 0; tries < 200; tries++)
    {
        uint16_t r, base;
        unsigned i, ok = 1;
        rtcpm_random_bytes(&r, sizeof(r));
        /* below Linux's ephemeral range (32768-60999, which Wine uses too): a socket another
         * test opens on port 0 meanwhile cannot take a port of the block (a port manager's
         * RTCP = RTP + 1 pairing then failed under load: stun_pm threads) */
        base = (uint16_t)(20000u + (r % ((32768u - 20000u - n) / 2u)) * 2u);
        for (i = 0; i < n && ok; i++)
        {
            rtcpm_socket *u = NULL, *t = NULL;
            rtcpm_addr a = test_addr("127.0.0.1", (uint16_t)(base + i));
            ok = rtcpm_socket_open(&u, RTCPM_SOCK_UDP, &a, NULL) == RTCPM_SOCK_OK &&
                 rtcpm_socket_open(&t, RTCPM_SOCK_TCP, &a, NULL) == RTCPM_SOCK_OK;
            rtcpm_socket_close(u);
            rtcpm_socket_close(t);
        }
        if (ok) return base;
    }
    CU_FAIL_FATAL("no free block of ports on 127.0.0.1");
    return 0;
}
