/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * demo_net.h — rtcpm-demo's network side: the nat_flows hooks that bind the internal ports
 * the port manager mapped, send the REGISTER / INVITE (src/host/sip_ua), the first RTP packet
 * and the BYE, and decide the program's exit code.
 *
 * Without a server address (print-only mode) the hooks only print the mappings, so the
 * flows show what RTC would ask and send, and nothing touches the network.
 */
#ifndef RTCPM_SAMPLES_DEMO_NET_H
#define RTCPM_SAMPLES_DEMO_NET_H

#include <stdio.h>
#include "rtcpm/rtcpm.h"
#include "nat_flows.h"
#include "net/addr.h"
#include "sip/sip_ua.h"

/* rtcpm-demo's exit codes (the e2e harness reads them; README "rtcpm-demo"). */
enum demo_exit
{
    DEMO_EXIT_OK = 0,        /* 2xx (call: and a media packet came back) */
    DEMO_EXIT_REJECTED = 1,  /* the server answered 3xx-6xx (or a 2xx without usable SDP) */
    DEMO_EXIT_NO_ANSWER = 2, /* no final SIP answer in time, no media back, or sending failed */
    DEMO_EXIT_MAPPING = 3,   /* the port manager gave no usable mapping (or its port cannot be bound) */
    DEMO_EXIT_USAGE = 64,    /* bad command line or configuration */
    DEMO_EXIT_INTERNAL = 70  /* a host step failed for another reason */
};

struct demo_net
{
    /* set by the caller */
    FILE *out;
    int send;          /* 0: print-only, nothing is sent */
    rtcpm_addr server; /* registrar or called party (when send) */
    const char *user_uri;
    const char *peer_uri;
    long expires;
    struct sip_ua_timers timers;
    int media_timeout_ms;
    int show_sip;        /* print whole SIP messages, not just their first line */
    const char *command; /* "register" / "call": prefix of the result line */
    /* gives the reason text of a mapping failure ("" when none); may be NULL */
    void (*pm_reason)(void *ctx, char *buf, size_t len);
    void *pm_reason_ctx;

    /* state */
    int code; /* the exit code decided so far (DEMO_EXIT_*), -1 = none yet */
    rtcpm_socket *sip, *rtp, *rtcp;
    struct sip_ua ua;
    int ua_ready;
    rtcpm_addr media; /* the answer's RTP address */
};

/* Initialises everything but the caller's fields; fills hooks to point at net. */
void demo_net_init(struct demo_net *net, struct nat_flow_hooks *hooks);
/* Closes the sockets. */
void demo_net_close(struct demo_net *net);

#endif /* RTCPM_SAMPLES_DEMO_NET_H */
