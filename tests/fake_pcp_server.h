/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fake_pcp_server.h — an in-process PCP (RFC 6887) + NAT-PMP (RFC 6886) server on loopback
 * (its own thread) that keeps a NAT's mapping table as miniupnpd does and answers correctly
 * or, on purpose, wrongly, so a client's reaction to each fault can be asserted exactly.
 *
 * The NAT it plays: external address opt.external (default 198.51.100.7); a MAP gets the
 * suggested external port when no other mapping holds it, else internal port + 10000 (and
 * on): the server never refuses a taken port (PREFER_FAILURE is ignored, as miniupnpd's
 * --portinuse build does). A mapping is keyed by (client address, protocol, internal port);
 * a MAP or delete with another nonce than the mapping's is NOT_AUTHORIZED. Lifetimes are
 * clamped to [min_lifetime, max_lifetime]; lifetime 0 deletes (same nonce). Mappings expire.
 * PEER (RFC 6887 12): kept apart from the MAPs, keyed by (client, protocol, internal port,
 * remote peer), external port = the suggested one (else the internal one), as miniupnpd's
 * --pcp-peer build does; lifetime 0 deletes; opt.peer_result answers every PEER with that
 * result code instead (nothing recorded).
 * Epoch: seconds since the server's start plus opt.uptime (default 1000: a router that has
 * been up a while); fake_pcp_restart() forgets every mapping and restarts it at 0, as a
 * router that rebooted.
 *
 * The counters and the request log may be read at any time (under the server's lock, via
 * the accessors).
 */
#ifndef RTCPM_TESTS_FAKE_PCP_SERVER_H
#define RTCPM_TESTS_FAKE_PCP_SERVER_H

#include <stdatomic.h>
#include <stdint.h>

#include "net/pcp.h"
#include "os/lock.h"
#include "os/socket.h"
#include "test_thread.h"

enum fake_pcp_fault
{
    FAKE_PCP_NORMAL,
    FAKE_PCP_SILENT,       /* never answers */
    FAKE_PCP_DROP_FIRST,   /* ignores the first `count` requests (from now), answers the rest */
    FAKE_PCP_LOSS,         /* drops a request when rng % 100 < loss_percent */
    FAKE_PCP_WRONG_NONCE,  /* answers with another nonce (then_right: then the right answer) */
    FAKE_PCP_WRONG_OPCODE, /* answers a MAP as ANNOUNCE (then_right: then the right answer) */
    FAKE_PCP_SHORT,        /* a success cut to 20 bytes (then_right ...) */
    FAKE_PCP_OVERSIZED,    /* a success padded to 1104 bytes (then_right ...) */
    FAKE_PCP_OTHER_SOURCE, /* answers from a second socket (then_right ...) */
    FAKE_PCP_RESULT,       /* every MAP (and PCP ANNOUNCE) answered with result code
                              `result` (PCP) or natpmp_result (NAT-PMP), nothing recorded */
    FAKE_PCP_NATPMP_ONLY,  /* answers PCP with NAT-PMP's 8-byte UNSUPP_VERSION; serves NAT-PMP */
    FAKE_PCP_OLD_VERSION   /* answers PCP with a version-1 UNSUPP_VERSION header; serves NAT-PMP */
};

struct fake_pcp_options
{
    enum fake_pcp_fault fault;
    unsigned count, loss_percent;
    uint32_t seed;
    int then_right;
    uint8_t result;                      /* FAKE_PCP_RESULT, PCP */
    uint16_t natpmp_result;              /* FAKE_PCP_RESULT, NAT-PMP */
    rtcpm_addr external;                 /* family NONE: 198.51.100.7 */
    uint32_t min_lifetime, max_lifetime; /* 0: 1 and 86400 */
    int port_offset;                     /* assigned = suggested + port_offset (mod 65536, 0 skipped) */
    uint32_t uptime;                     /* epoch at start; 0: 1000 (restarts at 0) */
    uint8_t peer_result;                 /* non-zero: every PEER answered with it */
    int peer_port_offset;                /* a PEER's assigned port = suggested + this */
};

#define FAKE_PCP_MAX_LOG      256
#define FAKE_PCP_MAX_MAPPINGS 64

struct fake_pcp_request_log
{
    int natpmp;     /* 1: a NAT-PMP request */
    uint8_t opcode; /* PCP opcode, or NAT-PMP opcode */
    uint32_t lifetime;
    uint8_t nonce[RTCPM_PCP_NONCE_SIZE];
    uint8_t protocol; /* IANA number (NAT-PMP: derived from the opcode) */
    uint16_t internal_port, external_port;
    rtcpm_addr external; /* PCP: the suggested external address */
    rtcpm_addr remote;   /* PEER: the remote peer with its port */
    rtcpm_addr from;
    uint64_t at_ms;
};

struct fake_pcp_peer
{
    rtcpm_addr client; /* port 0 */
    uint8_t protocol;
    uint16_t internal_port, external_port;
    rtcpm_addr remote;
};

#define FAKE_PCP_MAX_PEERS 16

struct fake_pcp_mapping
{
    rtcpm_addr client; /* port 0 */
    uint8_t protocol;
    uint16_t internal_port, external_port;
    uint8_t nonce[RTCPM_PCP_NONCE_SIZE];
    int natpmp;
    uint64_t expires_ms;
};

struct fake_pcp_server
{
    rtcpm_addr addr; /* where clients send */

    /* internals (use the accessors) */
    struct fake_pcp_options opt;
    rtcpm_socket *sock, *other;
    test_thread *thread;
    atomic_int stop;
    struct rtcpm_lock lock;
    uint32_t rng;
    uint64_t epoch_start_ms;
    uint32_t epoch_base;
    unsigned dropped_from; /* DROP_FIRST: requests counted from here */
    unsigned requests, answers;
    struct fake_pcp_request_log log[FAKE_PCP_MAX_LOG];
    struct fake_pcp_mapping maps[FAKE_PCP_MAX_MAPPINGS];
    size_t map_count;
    struct fake_pcp_peer peers[FAKE_PCP_MAX_PEERS];
    size_t peer_count;
};

/* Binds on bind_addr (port 0: the OS picks) and starts the thread. 0 or a negative
 * rtcpm_sock_error. */
int fake_pcp_start(struct fake_pcp_server *srv, const rtcpm_addr *bind_addr, const struct fake_pcp_options *opt,
                   int *os_error);
void fake_pcp_stop(struct fake_pcp_server *srv);

/* Changes the behaviour from now on (the mapping table stays). */
void fake_pcp_set_options(struct fake_pcp_server *srv, const struct fake_pcp_options *opt);
/* A reboot: every mapping forgotten, the epoch restarts at 0. */
void fake_pcp_restart(struct fake_pcp_server *srv);
/* Sends an unsolicited PCP ANNOUNCE response (epoch now) from the server's socket to `to`
 * (tests send it unicast to the port manager's announce port). 0 or an rtcpm_sock_error. */
int fake_pcp_announce(struct fake_pcp_server *srv, const rtcpm_addr *to);

/* Requests received so far; a copy of log entry i (0 when i is past the log). */
unsigned fake_pcp_requests(struct fake_pcp_server *srv);
int fake_pcp_request(struct fake_pcp_server *srv, unsigned i, struct fake_pcp_request_log *out);
/* Mappings alive now; a copy of the one for (protocol, internal port), 1 when found. */
size_t fake_pcp_mapping_count(struct fake_pcp_server *srv);
int fake_pcp_find(struct fake_pcp_server *srv, uint8_t protocol, uint16_t internal_port, struct fake_pcp_mapping *out);
/* PEER mappings alive now; a copy of peer i (1 when there is one). */
size_t fake_pcp_peer_count(struct fake_pcp_server *srv);
int fake_pcp_peer(struct fake_pcp_server *srv, size_t i, struct fake_pcp_peer *out);

#endif
