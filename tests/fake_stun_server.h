/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fake_stun_server.h — an in-process STUN server on loopback (its own thread) that answers
 * Binding requests correctly or, on purpose, wrongly, and records what it saw, so the
 * client's reaction to each fault can be asserted exactly.
 *
 * UDP: one socket at addr (port chosen by the OS) plus a second socket at other_addr used
 * for "answer from another source". TCP: a listener at addr that serves one connection at
 * a time with the same modes (framed messages on the stream).
 *
 * The mapped address it reports is the request's observed source, as a real server does,
 * unless told to emulate a NAT in front of the client (mapped_addr / mapped_port_offset:
 * what a server on the far side of that NAT would see). Deliberately bad answers always
 * carry the true source, so a client that takes one reports a visibly different address.
 * The request counter may be read at any time; the other counters and logs after
 * fake_stun_stop (the thread has ended then).
 */
#ifndef RTCPM_TESTS_FAKE_STUN_SERVER_H
#define RTCPM_TESTS_FAKE_STUN_SERVER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "os/socket.h"
#include "net/stun.h"
#include "test_thread.h"
#include "os/lock.h"

enum fake_stun_mode
{
    FAKE_STUN_NORMAL,           /* SOFTWARE + XOR-MAPPED-ADDRESS + FINGERPRINT, at once */
    FAKE_STUN_SILENT,           /* never answers */
    FAKE_STUN_DROP_FIRST,       /* ignores the first `count` requests, answers the rest */
    FAKE_STUN_LOSS,             /* drops a request when fake_stun_rng(seed...) % 100 <
                                   loss_percent, one draw per request */
    FAKE_STUN_DUPLICATE,        /* sends each answer `count` times */
    FAKE_STUN_DELAY,            /* answers the first request after delay_ms, no other */
    FAKE_STUN_WRONG_TXID,       /* answers with another transaction ID (wrong_header_byte) */
    FAKE_STUN_OTHER_SOURCE,     /* answers from the second socket (UDP only) */
    FAKE_STUN_TRUNCATED_ATTR,   /* XOR-MAPPED-ADDRESS whose length runs past the message */
    FAKE_STUN_OVERSIZED_ATTR,   /* XOR-MAPPED-ADDRESS 4 bytes longer than its family allows */
    FAKE_STUN_NO_ADDRESS,       /* success response with SOFTWARE only */
    FAKE_STUN_RFC3489,          /* MAPPED-ADDRESS only, the request's ID echoed as is */
    FAKE_STUN_ERROR,            /* error response error_code */
    FAKE_STUN_UNKNOWN_REQUIRED, /* success + unknown comprehension-required attribute */
    FAKE_STUN_CLOSE             /* TCP: reads the request, closes without answering */
};

/* The unknown comprehension-required attribute FAKE_STUN_UNKNOWN_REQUIRED adds. */
#define FAKE_STUN_UNKNOWN_ATTR 0x7F01

struct fake_stun_options
{
    enum fake_stun_mode mode;
    unsigned count;        /* DROP_FIRST: requests ignored; DUPLICATE: copies sent */
    unsigned loss_percent; /* LOSS */
    uint32_t seed;         /* LOSS: fake_stun_rng state */
    unsigned delay_ms;     /* DELAY; and the pause before then_right's good answer */
    int error_code;        /* ERROR: 300..699 */
    /* WRONG_TXID, OTHER_SOURCE, TRUNCATED_ATTR, OVERSIZED_ATTR, NO_ADDRESS: after the bad
     * answer, wait delay_ms and send the right one (from the right socket). */
    bool then_right;
    enum rtcpm_sock_type transport; /* 0 = UDP */
    /* NAT emulation for good answers: the reported address is mapped_addr (family NONE:
     * the request's source address) with port = source port + mapped_port_offset (mod
     * 65536, 0 skipped). Two servers with different offsets look like a symmetric NAT. */
    rtcpm_addr mapped_addr;
    int mapped_port_offset;
    /* Added to good answers as RFC 5780 OTHER-ADDRESS when its family is set. */
    rtcpm_addr other_address;
    /* WRONG_TXID: which of the header's bytes 4..19 differs from the request's (0: 19, the
     * last). An RFC 5389 request has the magic cookie in 4..7 and its 96-bit ID in 8..19: a
     * changed cookie byte gives an RFC 3489 answer (no cookie) whose 128-bit ID is the
     * request's cookie + ID with that byte changed. An RFC 3489 request's 128-bit ID is 4..19.
     * The answer is otherwise right (FINGERPRINT too), so only the ID can give it away. */
    unsigned wrong_header_byte;
};

#define FAKE_STUN_MAX_LOG 64

struct fake_stun_server
{
    rtcpm_addr addr;       /* where clients send */
    rtcpm_addr other_addr; /* UDP: the second socket */

    /* What it saw (read after fake_stun_stop). */
    atomic_uint requests;                   /* Binding requests received (answered or not); any time */
    atomic_uint transactions;               /* distinct transaction IDs among them (a retransmission is
                                               not a new one; IDs compared with the first
                                               FAKE_STUN_MAX_LOG requests); any time. Unlike
                                               requests, independent of how loaded the machine is */
    unsigned answers;                       /* messages sent */
    atomic_uint connections;                /* TCP connections accepted; any time */
    uint64_t request_us[FAKE_STUN_MAX_LOG]; /* arrival times, rtcpm_clock_us() */
    stun_txid request_txid[FAKE_STUN_MAX_LOG];
    bool request_fingerprint[FAKE_STUN_MAX_LOG];
    rtcpm_addr last_client; /* any time through fake_stun_last_client */

    /* internals */
    struct fake_stun_options opt;
    rtcpm_socket *sock, *other;
    test_thread *thread;
    atomic_int stop;
    uint32_t rng;
    struct rtcpm_lock lock; /* last_client */
};

/* Binds on bind_addr's address (port 0 for an OS-chosen port) and starts the thread.
 * Returns 0 or a negative rtcpm_sock_error (*os_error set). */
int fake_stun_start(struct fake_stun_server *srv, const rtcpm_addr *bind_addr, const struct fake_stun_options *opt,
                    int *os_error);
/* Stops the thread and closes the sockets (safe on a server that failed to start). */
void fake_stun_stop(struct fake_stun_server *srv);

/* From now on good answers report addr (a NAT whose external address changed); safe while
 * the server runs. */
void fake_stun_set_mapped_addr(struct fake_stun_server *srv, const rtcpm_addr *addr);

/* The source of the last request, safe to read while the server runs. */
rtcpm_addr fake_stun_last_client(struct fake_stun_server *srv);

/* The server's loss generator (xorshift32), so a test can predict a seeded pattern. */
uint32_t fake_stun_rng(uint32_t *state);

#endif
