/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * socket_private.h — what socket_poll.c needs of socket.c's internals: the OS handle, and
 * recording an OS error the way socket.c does (the OS primitives themselves are socket_os.h's).
 * Only src/os includes this.
 */
#ifndef RTCPM_SRC_OS_SOCKET_PRIVATE_H
#define RTCPM_SRC_OS_SOCKET_PRIVATE_H

#include <stdint.h>
#include "socket.h"

/* The SOCKET / file descriptor. */
intptr_t rtcpm_socket_os_handle(const rtcpm_socket *s);
/* Keeps os_err as the socket's last OS error; returns its rtcpm_sock_error (never OK). */
int rtcpm_socket_os_fail(rtcpm_socket *s, int os_err);

#endif /* RTCPM_SRC_OS_SOCKET_PRIVATE_H */
