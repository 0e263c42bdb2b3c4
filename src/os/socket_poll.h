/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * socket_poll.h — waiting on several sockets at once, for an event loop (the SIP engine's
 * worker): readiness of many sockets plus a waker another thread can poke, a TCP connect
 * that does not block, and reading whatever a TCP socket has.
 *
 * poll() natively; select() on Windows (also under Wine). The waker is a pipe natively and a
 * loopback UDP socket sending to itself on Windows (select() only takes sockets).
 */
#ifndef RTCPM_SRC_OS_SOCKET_POLL_H
#define RTCPM_SRC_OS_SOCKET_POLL_H

#include <stddef.h>
#include "socket.h"

struct rtcpm_poll_item
{
    rtcpm_socket *sock;
    int want_write;         /* also wait for writability (a TCP connect in progress) */
    int readable, writable; /* out: ready (an error or hang-up counts as both) */
};

typedef struct rtcpm_waker rtcpm_waker;

/* 0, or a negative rtcpm_sock_error. */
int rtcpm_waker_open(rtcpm_waker **out);
void rtcpm_waker_close(rtcpm_waker *w);
/* Makes the next (or current) rtcpm_socket_poll with this waker return. Any thread. */
void rtcpm_waker_wake(rtcpm_waker *w);

/*
 * Waits until one of items is ready, w was woken (w may be NULL) or timeout_ms passed (< 0:
 * no limit). Returns the number of ready items (0 on timeout or a wake), or a negative
 * rtcpm_sock_error. A wake is consumed by the call that sees it. At most 60 items.
 */
int rtcpm_socket_poll(struct rtcpm_poll_item *items, size_t n, rtcpm_waker *w, int timeout_ms);

/* TCP: starts connecting to `to`: 0 connected at once, 1 in progress (wait for writability,
 * then rtcpm_socket_connect_result), or a negative rtcpm_sock_error. */
int rtcpm_socket_connect_start(rtcpm_socket *s, const rtcpm_addr *to);
/* After writability: 0 connected, or the connect's error (RTCPM_SOCK_E_REFUSED, ...). */
int rtcpm_socket_connect_result(rtcpm_socket *s);

/* TCP: reads what is there without waiting: 0 and *got >= 1, RTCPM_SOCK_E_TIMEOUT when
 * nothing is there, RTCPM_SOCK_E_CLOSED after the peer closed, or another error. */
int rtcpm_socket_recv_some(rtcpm_socket *s, void *buf, size_t cap, size_t *got);

#endif /* RTCPM_SRC_OS_SOCKET_POLL_H */
