/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * socket_poll.c — several sockets and a waker at once, non-blocking TCP connect and read.
 * See socket_poll.h. Like socket.c, allowed to know Winsock from POSIX.
 */
#include "socket_poll.h"

#include <stdlib.h>
#include <string.h>

#include "socket_os.h"
#include "socket_private.h"

#define MAX_ITEMS 60

static os_socket fd_of(const rtcpm_socket *s) { return (os_socket)rtcpm_socket_os_handle(s); }

/* ---- waker ---- */

#ifdef _WIN32

struct rtcpm_waker
{
    rtcpm_socket *sock;
    rtcpm_addr self;
};

int rtcpm_waker_open(rtcpm_waker **out)
{
    static const uint8_t loopback[4] = { 127, 0, 0, 1 };
    rtcpm_waker *w = calloc(1, sizeof(*w));
    rtcpm_addr local;
    int rc;
    *out = NULL;
    if (!w) return RTCPM_SOCK_E_OTHER;
    rtcpm_addr_set_v4(&local, loopback, 0);
    if ((rc = rtcpm_socket_open(&w->sock, RTCPM_SOCK_UDP, &local, NULL)) ||
        (rc = rtcpm_socket_local_addr(w->sock, &w->self)))
    {
        rtcpm_socket_close(w->sock);
        free(w);
        return rc;
    }
    *out = w;
    return RTCPM_SOCK_OK;
}

void rtcpm_waker_close(rtcpm_waker *w)
{
    if (!w) return;
    rtcpm_socket_close(w->sock);
    free(w);
}

void rtcpm_waker_wake(rtcpm_waker *w) { rtcpm_socket_sendto(w->sock, "w", 1, &w->self); }

static void waker_drain(rtcpm_waker *w)
{
    char buf[16];
    size_t got;
    while (rtcpm_socket_recvfrom(w->sock, buf, sizeof(buf), &got, NULL, 0) == RTCPM_SOCK_OK)
    {
    }
}

static os_socket waker_fd(rtcpm_waker *w) { return fd_of(w->sock); }

#else

struct rtcpm_waker
{
    int fds[2];
};

int rtcpm_waker_open(rtcpm_waker **out)
{
    rtcpm_waker *w = calloc(1, sizeof(*w));
    int i;
    *out = NULL;
    if (!w || pipe(w->fds))
    {
        free(w);
        return RTCPM_SOCK_E_OTHER;
    }
    for (i = 0; i < 2; i++)
    {
        fcntl(w->fds[i], F_SETFL, fcntl(w->fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(w->fds[i], F_SETFD, FD_CLOEXEC);
    }
    *out = w;
    return RTCPM_SOCK_OK;
}

void rtcpm_waker_close(rtcpm_waker *w)
{
    if (!w) return;
    close(w->fds[0]);
    close(w->fds[1]);
    free(w);
}

void rtcpm_waker_wake(rtcpm_waker *w)
{
    /* a full pipe already means "woken" */
    if (write(w->fds[1], "w", 1) < 0)
    {
    }
}

static void waker_drain(rtcpm_waker *w)
{
    char buf[64];
    while (read(w->fds[0], buf, sizeof(buf)) > 0)
    {
    }
}

static os_socket waker_fd(rtcpm_waker *w) { return w->fds[0]; }

#endif

/* ---- poll ---- */

#ifdef _WIN32

int rtcpm_socket_poll(struct rtcpm_poll_item *items, size_t n, rtcpm_waker *w, int timeout_ms)
{
    fd_set rd, wr, ex;
    struct timeval tv, *ptv = NULL;
    size_t i;
    int ready = 0, rc;
    if (n > MAX_ITEMS) return RTCPM_SOCK_E_INVALID_ARG;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_ZERO(&ex);
    for (i = 0; i < n; i++)
    {
        FD_SET(fd_of(items[i].sock), &rd);
        if (items[i].want_write) FD_SET(fd_of(items[i].sock), &wr);
        FD_SET(fd_of(items[i].sock), &ex);
        items[i].readable = items[i].writable = 0;
    }
    if (w) FD_SET(waker_fd(w), &rd);
    if (timeout_ms >= 0)
    {
        tv.tv_sec = timeout_ms / 1000;
        tv.tv_usec = (timeout_ms % 1000) * 1000;
        ptv = &tv;
    }
    if (!n && !w)
    {
        Sleep(timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms);
        return 0;
    }
    rc = select(0, &rd, &wr, &ex, ptv);
    if (rc < 0) return rtcpm_os_interrupted(rtcpm_os_last_error()) ? 0 : RTCPM_SOCK_E_OTHER;
    if (w && FD_ISSET(waker_fd(w), &rd)) waker_drain(w);
    for (i = 0; i < n; i++)
    {
        int e = FD_ISSET(fd_of(items[i].sock), &ex);
        items[i].readable = FD_ISSET(fd_of(items[i].sock), &rd) || e;
        items[i].writable = FD_ISSET(fd_of(items[i].sock), &wr) || e;
        ready += items[i].readable || items[i].writable;
    }
    return ready;
}

#else

int rtcpm_socket_poll(struct rtcpm_poll_item *items, size_t n, rtcpm_waker *w, int timeout_ms)
{
    struct pollfd p[MAX_ITEMS + 1];
    size_t i, count = 0;
    int ready = 0, rc;
    if (n > MAX_ITEMS) return RTCPM_SOCK_E_INVALID_ARG;
    for (i = 0; i < n; i++)
    {
        p[count].fd = fd_of(items[i].sock);
        p[count].events = (short)(POLLIN | (items[i].want_write ? POLLOUT : 0));
        p[count++].revents = 0;
    }
    if (w)
    {
        p[count].fd = waker_fd(w);
        p[count].events = POLLIN;
        p[count++].revents = 0;
    }
    rc = poll(p, count, timeout_ms < 0 ? -1 : timeout_ms);
    if (rc < 0) return rtcpm_os_interrupted(rtcpm_os_last_error()) ? 0 : RTCPM_SOCK_E_OTHER;
    if (w && p[n].revents) waker_drain(w);
    for (i = 0; i < n; i++)
    {
        int e = (p[i].revents & (POLLERR | POLLHUP | POLLNVAL)) != 0;
        items[i].readable = (p[i].revents & POLLIN) || e;
        items[i].writable = (p[i].revents & POLLOUT) || e;
        ready += items[i].readable || items[i].writable;
    }
    return ready;
}

#endif

/* ---- TCP without waiting ---- */

int rtcpm_socket_connect_start(rtcpm_socket *s, const rtcpm_addr *to)
{
    rtcpm_sockaddr sa;
    int e;
    if (!s || rtcpm_socket_type(s) != RTCPM_SOCK_TCP || !to || to->family != rtcpm_socket_family(s) ||
        rtcpm_addr_to_sockaddr(to, &sa) != RTCPM_SOCK_OK)
        return RTCPM_SOCK_E_INVALID_ARG;
    if (connect(fd_of(s), (const struct sockaddr *)sa.u.bytes, sa.len) == 0) return RTCPM_SOCK_OK;
    e = rtcpm_os_last_error();
    if (rtcpm_os_in_progress(e) || rtcpm_os_interrupted(e)) return 1;
    return rtcpm_socket_os_fail(s, e);
}

int rtcpm_socket_connect_result(rtcpm_socket *s)
{
    int so_error = 0;
#ifdef _WIN32
    int len = (int)sizeof(so_error);
#else
    socklen_t len = (socklen_t)sizeof(so_error);
#endif
    if (!s) return RTCPM_SOCK_E_INVALID_ARG;
    if (getsockopt(fd_of(s), SOL_SOCKET, SO_ERROR, (char *)&so_error, &len) != 0)
        return rtcpm_socket_os_fail(s, rtcpm_os_last_error());
    return so_error ? rtcpm_socket_os_fail(s, so_error) : RTCPM_SOCK_OK;
}

int rtcpm_socket_recv_some(rtcpm_socket *s, void *buf, size_t cap, size_t *got)
{
    long n;
    int e;
    if (got) *got = 0;
    if (!s || !buf || !got || !cap || rtcpm_socket_type(s) != RTCPM_SOCK_TCP) return RTCPM_SOCK_E_INVALID_ARG;
    n = (long)recv(fd_of(s), buf, (int)(cap > 65536 ? 65536 : cap), 0);
    if (n > 0)
    {
        *got = (size_t)n;
        return RTCPM_SOCK_OK;
    }
    if (n == 0) return RTCPM_SOCK_E_CLOSED;
    e = rtcpm_os_last_error();
    if (rtcpm_os_would_block(e) || rtcpm_os_interrupted(e)) return RTCPM_SOCK_E_TIMEOUT;
    return rtcpm_socket_os_fail(s, e);
}
