/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * socket_os.c — the OS primitives of socket_os.h, once over Winsock and once over POSIX,
 * and Winsock's lifetime (rtcpm_net_init / cleanup, see socket.h). Like socket.c, allowed
 * to know Windows from POSIX.
 */
#include "socket_os.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* The error enum of an OS error code (Winsock's WSAE* or errno's E*, same names). */
int rtcpm_os_map_error(int e)
{
    switch (e)
    {
    case 0: return RTCPM_SOCK_OK;
    case OS_E(TIMEDOUT): return RTCPM_SOCK_E_TIMEOUT;
    case OS_E(CONNREFUSED): return RTCPM_SOCK_E_REFUSED;
    case OS_E(ADDRINUSE): return RTCPM_SOCK_E_ADDR_IN_USE;
    case OS_E(NETUNREACH):
    case OS_E(HOSTUNREACH):
    case OS_E(NETDOWN):
    case OS_E(HOSTDOWN): return RTCPM_SOCK_E_UNREACHABLE;
    case OS_E(CONNRESET):
    case OS_E(CONNABORTED):
    case OS_E(NOTCONN):
    case OS_E_SEND_AFTER_SHUTDOWN: return RTCPM_SOCK_E_CLOSED;
    case OS_E(MSGSIZE): return RTCPM_SOCK_E_TRUNCATED;
    default: return RTCPM_SOCK_E_OTHER;
    }
}

#ifdef _WIN32

int rtcpm_os_last_error(void) { return WSAGetLastError(); }

int rtcpm_os_would_block(int e) { return e == WSAEWOULDBLOCK || e == WSAEINPROGRESS; }
int rtcpm_os_interrupted(int e) { return e == WSAEINTR; }
int rtcpm_os_in_progress(int e) { return e == WSAEWOULDBLOCK || e == WSAEINPROGRESS; }

void rtcpm_os_close(os_socket fd) { closesocket(fd); }

int rtcpm_os_set_nonblocking(os_socket fd)
{
    u_long on = 1;
    return ioctlsocket(fd, FIONBIO, &on) == 0 ? 0 : -1;
}

void rtcpm_os_socket_tweaks(os_socket fd, enum rtcpm_sock_type type)
{
    if (type == RTCPM_SOCK_UDP)
    {
        BOOL off = FALSE;
        DWORD bytes = 0;
        /* Best effort: without it an ICMP port unreachable fails the next recvfrom. */
        WSAIoctl(fd, SIO_UDP_CONNRESET, &off, sizeof off, NULL, 0, &bytes, NULL, NULL);
    }
}

static long net_count;

static int os_net_start(int *os_error)
{
    WSADATA wsa;
    int rc = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (rc != 0)
    {
        if (os_error) *os_error = rc;
        return RTCPM_SOCK_E_OTHER;
    }
    InterlockedIncrement(&net_count);
    return RTCPM_SOCK_OK;
}

static void os_net_stop(void)
{
    InterlockedDecrement(&net_count);
    WSACleanup();
}

long rtcpm_net_refcount(void) { return InterlockedCompareExchange(&net_count, 0, 0); }

/* Waits until fd is readable (want_write 0) or writable / connect finished (1).
 * Returns 1 ready, 0 timeout, -1 error (os error in *err). */
int rtcpm_os_wait(os_socket fd, int want_write, int timeout_ms, int *err)
{
    fd_set set, except;
    struct timeval tv, *ptv = NULL;
    FD_ZERO(&set);
    FD_ZERO(&except);
    FD_SET(fd, &set);
    FD_SET(fd, &except); /* a failed non-blocking connect shows up here */
    if (timeout_ms >= 0)
    {
        tv.tv_sec = timeout_ms / 1000;
        tv.tv_usec = (timeout_ms % 1000) * 1000;
        ptv = &tv;
    }
    int n = select(0, want_write ? NULL : &set, want_write ? &set : NULL, &except, ptv);
    if (n < 0)
    {
        *err = WSAGetLastError();
        return -1;
    }
    return n > 0;
}

static const char *os_strerror(int e, char *buf, size_t cap)
{
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)e, 0, buf,
                             (DWORD)(cap > 0xFFFF ? 0xFFFF : cap), NULL);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '.')) buf[--n] = '\0';
    if (!n) snprintf(buf, cap, "error %d", e);
    return buf;
}

#else /* POSIX */

int rtcpm_os_last_error(void) { return errno; }

int rtcpm_os_would_block(int e) { return e == EAGAIN || e == EWOULDBLOCK; }
int rtcpm_os_interrupted(int e) { return e == EINTR; }
int rtcpm_os_in_progress(int e) { return e == EINPROGRESS || e == EINTR; }

void rtcpm_os_close(os_socket fd) { close(fd); }

int rtcpm_os_set_nonblocking(os_socket fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return -1;
    return fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ? -1 : 0;
}

void rtcpm_os_socket_tweaks(os_socket fd, enum rtcpm_sock_type type)
{
    (void)fd;
    (void)type;
}

static atomic_long net_count;

static int os_net_start(int *os_error)
{
    (void)os_error;
    atomic_fetch_add(&net_count, 1);
    return RTCPM_SOCK_OK;
}

static void os_net_stop(void) { atomic_fetch_sub(&net_count, 1); }

long rtcpm_net_refcount(void) { return atomic_load(&net_count); }

int rtcpm_os_wait(os_socket fd, int want_write, int timeout_ms, int *err)
{
    struct pollfd p = { .fd = fd, .events = want_write ? POLLOUT : POLLIN, .revents = 0 };
    int n = poll(&p, 1, timeout_ms < 0 ? -1 : timeout_ms);
    if (n < 0)
    {
        *err = errno;
        return -1;
    }
    return n > 0; /* POLLERR / POLLHUP count as ready: the next call reports the error */
}

static const char *os_strerror(int e, char *buf, size_t cap)
{
    /* XSI strerror_r (no _GNU_SOURCE here): returns 0 on success */
    if (strerror_r(e, buf, cap) != 0) snprintf(buf, cap, "error %d", e);
    return buf;
}

#endif

/* ---- Winsock lifetime and OS error texts (socket.h) ---- */

int rtcpm_net_init(int *os_error)
{
    if (os_error) *os_error = 0;
    return os_net_start(os_error);
}

void rtcpm_net_cleanup(void) { os_net_stop(); }

const char *rtcpm_os_error_text(int os_error, char *buf, size_t cap)
{
    if (!buf || !cap) return "";
    buf[0] = '\0';
    return os_strerror(os_error, buf, cap);
}
