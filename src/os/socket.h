/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — UDP and TCP sockets over IPv4 and IPv6: the only code that knows Winsock from
 * POSIX sockets. Everything above it speaks rtcpm_addr and the small error enum below.
 *
 * Decisions:
 *  - A socket is opened and bound in one call (rtcpm_socket_open): the family comes from
 *    the local address; port 0 lets the OS pick. IPv6 sockets are IPV6_V6ONLY, so an IPv6
 *    socket never silently speaks IPv4 through mapped addresses (and "::" port P and
 *    "0.0.0.0" port P are two independent sockets, as on Windows by default).
 *  - Sockets are non-blocking inside; every operation that waits takes a timeout in ms
 *    (< 0 = no limit, 0 = do not wait) that bounds the whole call, not each system call.
 *    Waiting is poll() natively and select() on Windows (WSAPoll misses failed connects on
 *    older Windows).
 *  - Winsock is started by the first socket and stopped with the last one (WSAStartup /
 *    WSACleanup are refcounted by Windows itself; rtcpm_net_init/cleanup keep a count on
 *    top so callers and tests can check the balance). Callers never need to call them, but
 *    may, to keep Winsock up between sockets.
 *  - Errors: a negative rtcpm_sock_error; the OS error number (errno / WSAGetLastError)
 *    of the last failure is kept in the socket for messages (rtcpm_socket_os_error,
 *    rtcpm_os_error_text). On Windows, UDP "connection reset" reports caused by ICMP port
 *    unreachable are switched off (SIO_UDP_CONNRESET): Linux does not report them on
 *    unconnected sockets either, and a stray ICMP must not fail an unrelated receive.
 *  - A socket is used by one thread at a time; different sockets from different threads.
 */
#ifndef RTCPM_NET_SOCKET_H
#define RTCPM_NET_SOCKET_H

#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

enum rtcpm_sock_error
{
    RTCPM_SOCK_OK = 0,
    RTCPM_SOCK_E_TIMEOUT = -1,     /* the timeout ran out (also ETIMEDOUT from the OS) */
    RTCPM_SOCK_E_REFUSED = -2,     /* TCP connection refused (RST) */
    RTCPM_SOCK_E_ADDR_IN_USE = -3, /* bind: address and port taken */
    RTCPM_SOCK_E_UNREACHABLE = -4, /* no route to network / host */
    RTCPM_SOCK_E_CLOSED = -5,      /* TCP: the peer closed or reset the connection */
    RTCPM_SOCK_E_TRUNCATED = -6,   /* UDP: datagram larger than the buffer; rest dropped */
    RTCPM_SOCK_E_INVALID_ARG = -7, /* NULL, address family or socket type mismatch */
    RTCPM_SOCK_E_OTHER = -8        /* anything else: see the OS error number */
};

enum rtcpm_sock_type
{
    RTCPM_SOCK_UDP = 1,
    RTCPM_SOCK_TCP = 2
};

typedef struct rtcpm_socket rtcpm_socket;

/* Optional explicit Winsock lifetime (no-ops natively apart from the count).
 * rtcpm_net_init returns 0 or RTCPM_SOCK_E_OTHER (*os_error set when not NULL). */
int rtcpm_net_init(int *os_error);
void rtcpm_net_cleanup(void);
/* References held: explicit inits plus open sockets. */
long rtcpm_net_refcount(void);

/*
 * Opens a UDP or TCP socket of local's family and binds it to local (port 0 = any port;
 * 0.0.0.0 / :: = any address). On failure *out is NULL and *os_error (when not NULL) is
 * the OS error number; returns 0 or a negative rtcpm_sock_error.
 */
int rtcpm_socket_open(rtcpm_socket **out, enum rtcpm_sock_type type, const rtcpm_addr *local, int *os_error);
/*
 * A UDP socket for an IPv4 multicast group's datagrams (PCP's ANNOUNCE on 224.0.0.1:5350):
 * bound to 0.0.0.0 at group's port, shared with other listeners of that port
 * (SO_REUSEADDR), joined to the group on the interface of address iface (NULL or family
 * NONE: the one the OS picks). Returns 0 or a negative rtcpm_sock_error (INVALID_ARG for a
 * group that is not IPv4 multicast with a port). A failed join (no multicast on that
 * interface, e.g. loopback) still gives the socket, which receives unicast datagrams to the
 * port: *joined (optional) says whether the join worked, *os_error why not.
 */
int rtcpm_socket_open_group(rtcpm_socket **out, const rtcpm_addr *group, const rtcpm_addr *iface, int *joined,
                            int *os_error);
/* Closes the socket (NULL is fine). */
void rtcpm_socket_close(rtcpm_socket *s);
/* Closes a TCP socket abortively (SO_LINGER 0: RST, no TIME_WAIT), so its local port can be
 * bound again at once by a socket without SO_REUSEADDR; UDP: the same as close. */
void rtcpm_socket_close_abort(rtcpm_socket *s);

/*
 * The local address the OS would send from towards `to`: a throw-away UDP socket is
 * connected to it (no packet leaves: UDP connect only picks the route) and asked for its
 * name. *out gets that address with port 0. 0, or a negative rtcpm_sock_error
 * (RTCPM_SOCK_E_UNREACHABLE: no route) with *os_error (optional) set.
 */
int rtcpm_route_local_addr(const rtcpm_addr *to, rtcpm_addr *out, int *os_error);

/* The bound local address as the OS reports it (getsockname): the real port after a
 * bind to port 0. */
int rtcpm_socket_local_addr(rtcpm_socket *s, rtcpm_addr *out);
enum rtcpm_addr_family rtcpm_socket_family(const rtcpm_socket *s);
enum rtcpm_sock_type rtcpm_socket_type(const rtcpm_socket *s);
/* OS error number of the socket's last failed operation (0 if none / not an OS error). */
int rtcpm_socket_os_error(const rtcpm_socket *s);

/* UDP. sendto sends one whole datagram (a short send is RTCPM_SOCK_E_OTHER).
 * recvfrom waits up to timeout_ms for one datagram: *got is its length, *from (optional)
 * its source. A datagram longer than cap gives RTCPM_SOCK_E_TRUNCATED with *from set. */
int rtcpm_socket_sendto(rtcpm_socket *s, const void *buf, size_t len, const rtcpm_addr *to);
int rtcpm_socket_recvfrom(rtcpm_socket *s, void *buf, size_t cap, size_t *got, rtcpm_addr *from, int timeout_ms);

/* TCP. connect waits up to timeout_ms for the handshake. send_all sends every byte and
 * recv_exact reads exactly len bytes, each within timeout_ms in total; an orderly close
 * by the peer before that is RTCPM_SOCK_E_CLOSED. */
int rtcpm_socket_connect(rtcpm_socket *s, const rtcpm_addr *to, int timeout_ms);
int rtcpm_socket_listen(rtcpm_socket *s, int backlog);
/* Accepts one connection within timeout_ms; *peer (optional) is its address. */
int rtcpm_socket_accept(rtcpm_socket *s, rtcpm_socket **out, rtcpm_addr *peer, int timeout_ms);
int rtcpm_socket_send_all(rtcpm_socket *s, const void *buf, size_t len, int timeout_ms);
int rtcpm_socket_recv_exact(rtcpm_socket *s, void *buf, size_t len, int timeout_ms);

/* "RTCPM_SOCK_E_TIMEOUT" etc.; "RTCPM_SOCK_E_?" outside the enum. */
const char *rtcpm_sock_error_name(int err);
/* The OS's text for an OS error number ("Connection refused"), always NUL-terminated,
 * "error N" when the OS has none. Returns buf. */
const char *rtcpm_os_error_text(int os_error, char *buf, size_t cap);

/*
 * rtcpm_addr <-> OS socket address. rtcpm_sockaddr holds a struct sockaddr_in or
 * sockaddr_in6 exactly as the OS lays it out (len is its size). Named IPv6 zones (scope_id
 * with the top bit set: a hash, see addr.h) have no OS index: to_sockaddr refuses them.
 * Returns 0 or RTCPM_SOCK_E_INVALID_ARG.
 */
typedef struct rtcpm_sockaddr
{
    union
    {
        uint64_t align;
        unsigned char bytes[128]; /* >= sizeof(struct sockaddr_storage) on every target */
    } u;
    int len;
} rtcpm_sockaddr;

int rtcpm_addr_to_sockaddr(const rtcpm_addr *a, rtcpm_sockaddr *out);
int rtcpm_addr_from_sockaddr(const rtcpm_sockaddr *sa, rtcpm_addr *out);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_NET_SOCKET_H */
