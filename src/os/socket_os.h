/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * socket_os.h — the OS primitives socket.c and socket_poll.c build on: the Winsock or POSIX
 * headers, the socket handle type, and a handful of small calls written twice in socket_os.c
 * (once over Winsock, once over POSIX) so that socket.c writes every operation once.
 * socket_os.c also keeps Winsock's lifetime (rtcpm_net_init / cleanup / refcount) and
 * rtcpm_os_error_text.
 * Only src/os includes this.
 */
#ifndef RTCPM_SRC_OS_SOCKET_OS_H
#define RTCPM_SRC_OS_SOCKET_OS_H

#include <stddef.h>

#include "socket.h"

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

typedef SOCKET os_socket;
typedef int os_socklen;
#define OS_INVALID_SOCKET        INVALID_SOCKET
#define OS_SEND_FLAGS            0
#define OS_E(name)               WSAE##name   /* OS_E(TIMEDOUT): WSAETIMEDOUT */
#define OS_E_SEND_AFTER_SHUTDOWN WSAESHUTDOWN /* POSIX says EPIPE */

#else
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

typedef int os_socket;
typedef socklen_t os_socklen;
#define OS_INVALID_SOCKET        (-1)
#define OS_SEND_FLAGS            MSG_NOSIGNAL /* a closed TCP peer is an error code, not SIGPIPE */
#define OS_E(name)               E##name
#define OS_E_SEND_AFTER_SHUTDOWN EPIPE
#endif

/* The error enum (rtcpm_sock_error) of an OS error code (Winsock's WSAE* or errno's E*). */
int rtcpm_os_map_error(int e);
/* errno / WSAGetLastError(). */
int rtcpm_os_last_error(void);
/* What an OS error code says: the call would have blocked, was interrupted, or a
 * non-blocking connect is under way. */
int rtcpm_os_would_block(int e);
int rtcpm_os_interrupted(int e);
int rtcpm_os_in_progress(int e);
void rtcpm_os_close(os_socket fd);
/* Non-blocking (and close-on-exec natively): 0, or -1 with the OS error to read. */
int rtcpm_os_set_nonblocking(os_socket fd);
/* What a fresh socket needs on this OS (Windows: no ICMP reset reports on UDP). */
void rtcpm_os_socket_tweaks(os_socket fd, enum rtcpm_sock_type type);
/* Waits until fd is readable (want_write 0) or writable / connect finished (1).
 * Returns 1 ready, 0 timeout, -1 error (os error in *err). */
int rtcpm_os_wait(os_socket fd, int want_write, int timeout_ms, int *err);

#endif /* RTCPM_SRC_OS_SOCKET_OS_H */
