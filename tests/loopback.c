/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * loopback.c — see loopback.h.
 */
#include "loopback.h"

#include <stdio.h>
#include <string.h>

#include "harness.h"
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
