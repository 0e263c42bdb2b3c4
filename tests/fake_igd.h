/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fake_igd.h — an in-process UPnP Internet Gateway Device on loopback (its own thread): an
 * HTTP server that hands out a root description (WANIPConnection:1 at /ctl/IPConn) and
 * answers the SOAP actions the UPnP port manager uses — AddPortMapping, AddAnyPortMapping,
 * DeletePortMapping, GetExternalIPAddress — keeping a port-mapping table as an IGD does
 * (a conflicting entry is error 718, a delete of nothing 714), or refusing on purpose.
 * For the native build, where the UPnP port manager speaks SOAP through libminiupnpc; the
 * root description URL is given to the port manager (no SSDP on loopback).
 */
#ifndef RTCPM_TESTS_FAKE_IGD_H
#define RTCPM_TESTS_FAKE_IGD_H

#include <stdatomic.h>
#include <stdint.h>

#include "os/lock.h"
#include "os/socket.h"
#include "test_thread.h"

#define FAKE_IGD_MAX_MAPPINGS 64

struct fake_igd_mapping
{
    int tcp;
    uint16_t ext, internal_port;
    char client[64];
    uint32_t lease;
    char description[64];
};

struct fake_igd
{
    rtcpm_addr addr;   /* the HTTP server */
    char url[128];     /* http://127.0.0.1:PORT/rootDesc.xml */
    char external[64]; /* GetExternalIPAddress's answer ("" = none, as Wine's API gives none) */
    int refuse_add;    /* 0, or the UPnP error every AddPortMapping gets (606, 728, 501, ...) */

    /* internals (the accessors take the lock) */
    struct rtcpm_lock lock;
    rtcpm_socket *listener;
    test_thread *thread;
    atomic_int stop;
    unsigned adds, deletes, gets;
    struct fake_igd_mapping maps[FAKE_IGD_MAX_MAPPINGS];
    size_t count;
};

/* On 127.0.0.1, an OS-picked port; external 198.51.100.7. 0 or an rtcpm_sock_error. */
int fake_igd_start(struct fake_igd *igd);
void fake_igd_stop(struct fake_igd *igd);
void fake_igd_set(struct fake_igd *igd, const char *external, int refuse_add);

size_t fake_igd_count(struct fake_igd *igd);
int fake_igd_find(struct fake_igd *igd, int tcp, uint16_t ext, struct fake_igd_mapping *out);
/* AddPortMapping / DeletePortMapping / GetExternalIPAddress requests seen. */
void fake_igd_counters(struct fake_igd *igd, unsigned *adds, unsigned *deletes, unsigned *gets);

#endif
