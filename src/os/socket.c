/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — sockets over Winsock and POSIX (see socket.h for the decisions).
 *
 * The operations are written once here, over the OS primitives of socket_os.h (socket_os.c:
 * the Winsock half and the POSIX half, and Winsock's lifetime).
 */
#include "socket.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com/log.h"
#include "os/os_platform.h"
#include "socket_os.h"

_Static_assert(sizeof(struct sockaddr_storage) <= sizeof(((rtcpm_sockaddr *)0)->u.bytes),
               "rtcpm_sockaddr too small for this OS");

struct rtcpm_socket
{
    os_socket fd;
    enum rtcpm_sock_type type;
    enum rtcpm_addr_family family;
    int os_error;
};

/* ---- names and texts ---- */

const char *rtcpm_sock_error_name(int err)
{
    switch (err)
    {
    case RTCPM_SOCK_OK: return "RTCPM_SOCK_OK";
    case RTCPM_SOCK_E_TIMEOUT: return "RTCPM_SOCK_E_TIMEOUT";
    case RTCPM_SOCK_E_REFUSED: return "RTCPM_SOCK_E_REFUSED";
    case RTCPM_SOCK_E_ADDR_IN_USE: return "RTCPM_SOCK_E_ADDR_IN_USE";
    case RTCPM_SOCK_E_UNREACHABLE: return "RTCPM_SOCK_E_UNREACHABLE";
    case RTCPM_SOCK_E_CLOSED: return "RTCPM_SOCK_E_CLOSED";
    case RTCPM_SOCK_E_TRUNCATED: return "RTCPM_SOCK_E_TRUNCATED";
    case RTCPM_SOCK_E_INVALID_ARG: return "RTCPM_SOCK_E_INVALID_ARG";
    case RTCPM_SOCK_E_OTHER: return "RTCPM_SOCK_E_OTHER";
    }
    return "RTCPM_SOCK_E_?";
}

/* ---- address conversion ---- */

int rtcpm_addr_to_sockaddr(const rtcpm_addr *a, rtcpm_sockaddr *out)
{
    if (!out) return RTCPM_SOCK_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (!a) return RTCPM_SOCK_E_INVALID_ARG;
    if (a->family == RTCPM_AF_INET)
    {
        struct sockaddr_in sin;
        memset(&sin, 0, sizeof sin);
        sin.sin_family = AF_INET;
        sin.sin_port = htons(a->port);
        memcpy(&sin.sin_addr, a->bytes, 4);
        memcpy(out->u.bytes, &sin, sizeof sin);
        out->len = (int)sizeof sin;
        return RTCPM_SOCK_OK;
    }
    if (a->family == RTCPM_AF_INET6)
    {
        if (a->scope_id & 0x80000000u)
            return RTCPM_SOCK_E_INVALID_ARG; /* a named zone's hash, not an interface index */
        struct sockaddr_in6 sin6;
        memset(&sin6, 0, sizeof sin6);
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons(a->port);
        memcpy(&sin6.sin6_addr, a->bytes, 16);
        sin6.sin6_scope_id = a->scope_id;
        memcpy(out->u.bytes, &sin6, sizeof sin6);
        out->len = (int)sizeof sin6;
        return RTCPM_SOCK_OK;
    }
    return RTCPM_SOCK_E_INVALID_ARG;
}

int rtcpm_addr_from_sockaddr(const rtcpm_sockaddr *sa, rtcpm_addr *out)
{
    if (!out) return RTCPM_SOCK_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (!sa) return RTCPM_SOCK_E_INVALID_ARG;
    struct sockaddr_storage ss;
    memcpy(&ss, sa->u.bytes, sizeof ss);
    if (ss.ss_family == AF_INET && sa->len >= (int)sizeof(struct sockaddr_in))
    {
        struct sockaddr_in sin;
        memcpy(&sin, sa->u.bytes, sizeof sin);
        rtcpm_addr_set_v4(out, (const uint8_t *)&sin.sin_addr, ntohs(sin.sin_port));
        return RTCPM_SOCK_OK;
    }
    if (ss.ss_family == AF_INET6 && sa->len >= (int)sizeof(struct sockaddr_in6))
    {
        struct sockaddr_in6 sin6;
        memcpy(&sin6, sa->u.bytes, sizeof sin6);
        rtcpm_addr_set_v6(out, (const uint8_t *)&sin6.sin6_addr, sin6.sin6_scope_id, ntohs(sin6.sin6_port));
        return RTCPM_SOCK_OK;
    }
    return RTCPM_SOCK_E_INVALID_ARG;
}

/* ---- helpers ---- */

static int fail(rtcpm_socket *s, int os_err)
{
    s->os_error = os_err;
    int rc = rtcpm_os_map_error(os_err);
    return rc == RTCPM_SOCK_OK ? RTCPM_SOCK_E_OTHER : rc;
}

#define NO_DEADLINE UINT64_MAX

/* Milliseconds left before deadline (NO_DEADLINE: -1, wait forever). */
static int remaining_ms(uint64_t deadline)
{
    if (deadline == NO_DEADLINE) return -1;
    uint64_t now = rtcpm_clock_ms();
    if (now >= deadline) return 0;
    uint64_t left = deadline - now;
    return left > INT_MAX ? INT_MAX : (int)left;
}

static uint64_t deadline_from(int timeout_ms)
{
    return timeout_ms < 0 ? NO_DEADLINE : rtcpm_clock_ms() + (uint64_t)timeout_ms;
}

/* Waits for readiness within the deadline. 0 ready, else a negative rtcpm_sock_error. */
static int wait_ready(rtcpm_socket *s, int want_write, uint64_t deadline)
{
    for (;;)
    {
        int err = 0;
        int left = remaining_ms(deadline);
        int n = rtcpm_os_wait(s->fd, want_write, left, &err);
        if (n > 0) return RTCPM_SOCK_OK;
        if (n == 0)
        {
            if (remaining_ms(deadline) == 0)
            {
                s->os_error = 0;
                return RTCPM_SOCK_E_TIMEOUT;
            }
            continue; /* woke early (clock granularity): wait for the rest */
        }
        if (!rtcpm_os_interrupted(err)) return fail(s, err);
    }
}

/* After a non-blocking call that failed with OS error e: RTCPM_SOCK_OK to try again — at
 * once when interrupted, once the socket is ready (readable, or writable with want_write)
 * when it would have blocked — or the error to return (also a timeout at the deadline). */
static int wait_to_retry(rtcpm_socket *s, int e, int want_write, uint64_t deadline)
{
    if (rtcpm_os_interrupted(e)) return RTCPM_SOCK_OK;
    if (!rtcpm_os_would_block(e)) return fail(s, e);
    return wait_ready(s, want_write, deadline);
}

static int check_family(const rtcpm_socket *s, const rtcpm_addr *a)
{
    return a && a->family == s->family ? RTCPM_SOCK_OK : RTCPM_SOCK_E_INVALID_ARG;
}

/* ---- lifetime ---- */

static rtcpm_socket *wrap(os_socket fd, enum rtcpm_sock_type type, enum rtcpm_addr_family family)
{
    rtcpm_socket *s = calloc(1, sizeof *s);
    if (s)
    {
        s->fd = fd;
        s->type = type;
        s->family = family;
    }
    return s;
}

/* shared: SO_REUSEADDR before the bind (listeners of one multicast port) */
static int open_socket(rtcpm_socket **out, enum rtcpm_sock_type type, const rtcpm_addr *local, int shared,
                       int *os_error)
{
    int dummy;
    if (!os_error) os_error = &dummy;
    *os_error = 0;
    if (!out) return RTCPM_SOCK_E_INVALID_ARG;
    *out = NULL;
    rtcpm_sockaddr sa;
    if ((type != RTCPM_SOCK_UDP && type != RTCPM_SOCK_TCP) || rtcpm_addr_to_sockaddr(local, &sa) != RTCPM_SOCK_OK)
        return RTCPM_SOCK_E_INVALID_ARG;

    int rc = rtcpm_net_init(os_error);
    if (rc != RTCPM_SOCK_OK) return rc;

    int af = local->family == RTCPM_AF_INET ? AF_INET : AF_INET6;
    os_socket fd = socket(af, type == RTCPM_SOCK_UDP ? SOCK_DGRAM : SOCK_STREAM,
                          type == RTCPM_SOCK_UDP ? IPPROTO_UDP : IPPROTO_TCP);
    if (fd == OS_INVALID_SOCKET)
    {
        *os_error = rtcpm_os_last_error();
        rtcpm_net_cleanup();
        return rtcpm_os_map_error(*os_error) ? rtcpm_os_map_error(*os_error) : RTCPM_SOCK_E_OTHER;
    }
    if (af == AF_INET6)
    {
        int on = 1;
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&on, sizeof on) != 0) goto os_fail;
    }
    if (rtcpm_os_set_nonblocking(fd) != 0) goto os_fail;
    rtcpm_os_socket_tweaks(fd, type);
    if (shared)
    {
        int on = 1;
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, (const char *)&on, sizeof on) != 0) goto os_fail;
    }
    if (bind(fd, (const struct sockaddr *)sa.u.bytes, (os_socklen)sa.len) != 0) goto os_fail;

    rtcpm_socket *s = wrap(fd, type, (enum rtcpm_addr_family)local->family);
    if (!s)
    {
        rtcpm_os_close(fd);
        rtcpm_net_cleanup();
        return RTCPM_SOCK_E_OTHER;
    }
    *out = s;
    if (rtcpm_log_enabled(RTCPM_LOG_NET))
    {
        rtcpm_addr la;
        char text[RTCPM_ADDR_HOSTPORT_TEXT_SIZE] = "?";
        if (rtcpm_socket_local_addr(s, &la) == 0) rtcpm_addr_format_hostport(&la, text, sizeof text);
        RTCPM_TRACE(RTCPM_LOG_NET, "%s socket %p bound to %s", type == RTCPM_SOCK_UDP ? "udp" : "tcp", (void *)s, text);
    }
    return RTCPM_SOCK_OK;

os_fail:
    *os_error = rtcpm_os_last_error();
    rc = rtcpm_os_map_error(*os_error);
    rtcpm_os_close(fd);
    rtcpm_net_cleanup();
    return rc == RTCPM_SOCK_OK ? RTCPM_SOCK_E_OTHER : rc;
}

int rtcpm_socket_open(rtcpm_socket **out, enum rtcpm_sock_type type, const rtcpm_addr *local, int *os_error)
{
    return open_socket(out, type, local, 0, os_error);
}

int rtcpm_socket_open_group(rtcpm_socket **out, const rtcpm_addr *group, const rtcpm_addr *iface, int *joined,
                            int *os_error)
{
    int dummy, rc;
    rtcpm_addr any;
    struct ip_mreq mreq;
    if (!os_error) os_error = &dummy;
    *os_error = 0;
    if (joined) *joined = 0;
    if (!out) return RTCPM_SOCK_E_INVALID_ARG;
    *out = NULL;
    if (!group || group->family != RTCPM_AF_INET || (group->bytes[0] & 0xf0) != 0xe0 || !group->port ||
        (iface && iface->family != RTCPM_AF_NONE && iface->family != RTCPM_AF_INET))
        return RTCPM_SOCK_E_INVALID_ARG;
    memset(&any, 0, sizeof any);
    any.family = RTCPM_AF_INET;
    any.port = group->port;
    rc = open_socket(out, RTCPM_SOCK_UDP, &any, 1, os_error);
    if (rc != RTCPM_SOCK_OK) return rc;
    memset(&mreq, 0, sizeof mreq);
    memcpy(&mreq.imr_multiaddr, group->bytes, 4);
    if (iface && iface->family == RTCPM_AF_INET) memcpy(&mreq.imr_interface, iface->bytes, 4);
    if (setsockopt((*out)->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, (const char *)&mreq, sizeof mreq) != 0)
        *os_error = rtcpm_os_last_error(); /* still a socket for unicast datagrams to the port */
    else if (joined)
        *joined = 1;
    return RTCPM_SOCK_OK;
}

void rtcpm_socket_close(rtcpm_socket *s)
{
    if (!s) return;
    rtcpm_os_close(s->fd);
    free(s);
    rtcpm_net_cleanup();
}

void rtcpm_socket_close_abort(rtcpm_socket *s)
{
    if (!s) return;
    if (s->type == RTCPM_SOCK_TCP)
    {
        struct linger lg;
        memset(&lg, 0, sizeof lg);
        lg.l_onoff = 1;
        lg.l_linger = 0;
        setsockopt(s->fd, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg); /* best effort */
    }
    rtcpm_socket_close(s);
}

int rtcpm_route_local_addr(const rtcpm_addr *to, rtcpm_addr *out, int *os_error)
{
    int dummy;
    if (!os_error) os_error = &dummy;
    *os_error = 0;
    if (out) memset(out, 0, sizeof *out);
    if (!to || !out) return RTCPM_SOCK_E_INVALID_ARG;
    rtcpm_addr any, dest = *to;
    memset(&any, 0, sizeof any);
    any.family = to->family;
    if (!dest.port) dest.port = 9; /* some stacks refuse to connect to port 0; no packet is sent anyway */
    rtcpm_sockaddr sa;
    if (rtcpm_addr_to_sockaddr(&dest, &sa) != RTCPM_SOCK_OK) return RTCPM_SOCK_E_INVALID_ARG;
    rtcpm_socket *s;
    int rc = rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &any, os_error);
    if (rc != RTCPM_SOCK_OK) return rc;
    if (connect(s->fd, (const struct sockaddr *)sa.u.bytes, (os_socklen)sa.len) != 0)
        rc = fail(s, rtcpm_os_last_error());
    else
        rc = rtcpm_socket_local_addr(s, out);
    *os_error = s->os_error;
    if (rc == RTCPM_SOCK_OK)
        out->port = 0;
    else
        memset(out, 0, sizeof *out);
    rtcpm_socket_close(s);
    return rc;
}

int rtcpm_socket_local_addr(rtcpm_socket *s, rtcpm_addr *out)
{
    if (out) memset(out, 0, sizeof *out);
    if (!s || !out) return RTCPM_SOCK_E_INVALID_ARG;
    rtcpm_sockaddr sa;
    memset(&sa, 0, sizeof sa);
    os_socklen len = (os_socklen)sizeof sa.u.bytes;
    if (getsockname(s->fd, (struct sockaddr *)sa.u.bytes, &len) != 0) return fail(s, rtcpm_os_last_error());
    sa.len = (int)len;
    return rtcpm_addr_from_sockaddr(&sa, out);
}

enum rtcpm_addr_family rtcpm_socket_family(const rtcpm_socket *s) { return s ? s->family : RTCPM_AF_NONE; }

enum rtcpm_sock_type rtcpm_socket_type(const rtcpm_socket *s) { return s ? s->type : (enum rtcpm_sock_type)0; }

int rtcpm_socket_os_error(const rtcpm_socket *s) { return s ? s->os_error : 0; }

/* ---- UDP ---- */

int rtcpm_socket_sendto(rtcpm_socket *s, const void *buf, size_t len, const rtcpm_addr *to)
{
    if (!s || (!buf && len) || s->type != RTCPM_SOCK_UDP || check_family(s, to) || len > 65535)
        return RTCPM_SOCK_E_INVALID_ARG;
    rtcpm_sockaddr sa;
    if (rtcpm_addr_to_sockaddr(to, &sa) != RTCPM_SOCK_OK) return RTCPM_SOCK_E_INVALID_ARG;
    for (;;)
    {
        long n = (long)sendto(s->fd, buf, (int)len, 0, (const struct sockaddr *)sa.u.bytes, (os_socklen)sa.len);
        if (n == (long)len) return RTCPM_SOCK_OK;
        if (n >= 0)
        {
            s->os_error = 0;
            return RTCPM_SOCK_E_OTHER;
        }
        /* send buffer full: wait a moment for room (bounded, UDP never blocks long) */
        int rc = wait_to_retry(s, rtcpm_os_last_error(), 1, deadline_from(1000));
        if (rc != RTCPM_SOCK_OK) return rc;
    }
}

int rtcpm_socket_recvfrom(rtcpm_socket *s, void *buf, size_t cap, size_t *got, rtcpm_addr *from, int timeout_ms)
{
    if (got) *got = 0;
    if (from) memset(from, 0, sizeof *from);
    if (!s || !buf || !got || s->type != RTCPM_SOCK_UDP) return RTCPM_SOCK_E_INVALID_ARG;
    if (cap > INT_MAX) cap = INT_MAX;
    uint64_t deadline = deadline_from(timeout_ms);
    for (;;)
    {
        rtcpm_sockaddr sa;
        memset(&sa, 0, sizeof sa);
        os_socklen salen = (os_socklen)sizeof sa.u.bytes;
#ifdef _WIN32
        int flags = 0; /* Windows reports an over-long datagram as WSAEMSGSIZE */
#else
        int flags = MSG_TRUNC; /* Linux: return the datagram's real length */
#endif
        long n = (long)recvfrom(s->fd, buf, (int)cap, flags, (struct sockaddr *)sa.u.bytes, &salen);
        int e = n < 0 ? rtcpm_os_last_error() : 0;
        if (n >= 0 || rtcpm_os_map_error(e) == RTCPM_SOCK_E_TRUNCATED)
        {
            sa.len = (int)salen;
            if (from) rtcpm_addr_from_sockaddr(&sa, from);
            if (n < 0 || (size_t)n > cap)
            {
                *got = cap;
                s->os_error = e;
                return RTCPM_SOCK_E_TRUNCATED;
            }
            *got = (size_t)n;
            return RTCPM_SOCK_OK;
        }
        if (rtcpm_os_interrupted(e)) continue;
        if (rtcpm_os_would_block(e) || rtcpm_os_map_error(e) == RTCPM_SOCK_E_CLOSED)
        {
            /* nothing there yet (or a Windows ICMP reset report): wait */
            int rc = wait_ready(s, 0, deadline);
            if (rc != RTCPM_SOCK_OK) return rc;
            continue;
        }
        return fail(s, e);
    }
}

/* ---- TCP ---- */

int rtcpm_socket_connect(rtcpm_socket *s, const rtcpm_addr *to, int timeout_ms)
{
    if (!s || s->type != RTCPM_SOCK_TCP || check_family(s, to)) return RTCPM_SOCK_E_INVALID_ARG;
    rtcpm_sockaddr sa;
    if (rtcpm_addr_to_sockaddr(to, &sa) != RTCPM_SOCK_OK) return RTCPM_SOCK_E_INVALID_ARG;
    uint64_t deadline = deadline_from(timeout_ms);
    if (connect(s->fd, (const struct sockaddr *)sa.u.bytes, (os_socklen)sa.len) == 0) return RTCPM_SOCK_OK;
    int e = rtcpm_os_last_error();
    if (!rtcpm_os_in_progress(e)) return fail(s, e);
    int rc = wait_ready(s, 1, deadline);
    if (rc != RTCPM_SOCK_OK) return rc;
    int so_error = 0;
    os_socklen len = (os_socklen)sizeof so_error;
    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, (char *)&so_error, &len) != 0) return fail(s, rtcpm_os_last_error());
    if (so_error != 0) return fail(s, so_error);
    return RTCPM_SOCK_OK;
}

int rtcpm_socket_listen(rtcpm_socket *s, int backlog)
{
    if (!s || s->type != RTCPM_SOCK_TCP) return RTCPM_SOCK_E_INVALID_ARG;
    if (listen(s->fd, backlog > 0 ? backlog : 1) != 0) return fail(s, rtcpm_os_last_error());
    return RTCPM_SOCK_OK;
}

int rtcpm_socket_accept(rtcpm_socket *s, rtcpm_socket **out, rtcpm_addr *peer, int timeout_ms)
{
    if (out) *out = NULL;
    if (peer) memset(peer, 0, sizeof *peer);
    if (!s || !out || s->type != RTCPM_SOCK_TCP) return RTCPM_SOCK_E_INVALID_ARG;
    uint64_t deadline = deadline_from(timeout_ms);
    for (;;)
    {
        rtcpm_sockaddr sa;
        memset(&sa, 0, sizeof sa);
        os_socklen salen = (os_socklen)sizeof sa.u.bytes;
        os_socket fd = accept(s->fd, (struct sockaddr *)sa.u.bytes, &salen);
        if (fd != OS_INVALID_SOCKET)
        {
            int rc = rtcpm_net_init(NULL);
            rtcpm_socket *c = rc == RTCPM_SOCK_OK ? wrap(fd, RTCPM_SOCK_TCP, s->family) : NULL;
            if (!c || rtcpm_os_set_nonblocking(fd) != 0)
            {
                int err = c ? rtcpm_os_last_error() : 0;
                rtcpm_os_close(fd);
                free(c);
                if (rc == RTCPM_SOCK_OK) rtcpm_net_cleanup();
                s->os_error = err;
                return RTCPM_SOCK_E_OTHER;
            }
            sa.len = (int)salen;
            if (peer) rtcpm_addr_from_sockaddr(&sa, peer);
            *out = c;
            return RTCPM_SOCK_OK;
        }
        int rc = wait_to_retry(s, rtcpm_os_last_error(), 0, deadline);
        if (rc != RTCPM_SOCK_OK) return rc;
    }
}

int rtcpm_socket_send_all(rtcpm_socket *s, const void *buf, size_t len, int timeout_ms)
{
    if (!s || (!buf && len) || s->type != RTCPM_SOCK_TCP) return RTCPM_SOCK_E_INVALID_ARG;
    const char *p = buf;
    uint64_t deadline = deadline_from(timeout_ms);
    while (len)
    {
        int chunk = len > INT_MAX ? INT_MAX : (int)len;
        long n = (long)send(s->fd, p, chunk, OS_SEND_FLAGS);
        if (n > 0)
        {
            p += n;
            len -= (size_t)n;
            continue;
        }
        /* nothing sent without an error: as if it would have blocked */
        int rc = wait_to_retry(s, n < 0 ? rtcpm_os_last_error() : OS_E(WOULDBLOCK), 1, deadline);
        if (rc != RTCPM_SOCK_OK) return rc;
    }
    return RTCPM_SOCK_OK;
}

int rtcpm_socket_recv_exact(rtcpm_socket *s, void *buf, size_t len, int timeout_ms)
{
    if (!s || (!buf && len) || s->type != RTCPM_SOCK_TCP) return RTCPM_SOCK_E_INVALID_ARG;
    char *p = buf;
    uint64_t deadline = deadline_from(timeout_ms);
    while (len)
    {
        int chunk = len > INT_MAX ? INT_MAX : (int)len;
        long n = (long)recv(s->fd, p, chunk, 0);
        if (n > 0)
        {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n == 0)
        {
            s->os_error = 0;
            return RTCPM_SOCK_E_CLOSED; /* orderly shutdown before len bytes */
        }
        int rc = wait_to_retry(s, rtcpm_os_last_error(), 0, deadline);
        if (rc != RTCPM_SOCK_OK) return rc;
    }
    return RTCPM_SOCK_OK;
}

/* ---- for socket_poll.c (socket_private.h) ---- */

intptr_t rtcpm_socket_os_handle(const rtcpm_socket *s) { return (intptr_t)s->fd; }

int rtcpm_socket_os_fail(rtcpm_socket *s, int os_err) { return fail(s, os_err); }
