/*
 * nat_flows.h — the two NAT flows of the RTC 1.5 documentation, run against rtcpm's host
 * objects with any port manager: registration from behind a NAT, and an outgoing call from
 * behind a NAT. Every port-manager call is printed with its arguments and result, then the
 * Contact header / SDP the host builds from the answers.
 *
 * Used by registration_nat, outgoing_call_nat, cpp_port_manager and rtcpm-demo: a program
 * makes a port manager, fills nat_flow_options (nat_flow_defaults + nat_flow_parse_args)
 * and calls the flows.
 */
#ifndef RTCPM_SAMPLES_NAT_FLOWS_H
#define RTCPM_SAMPLES_NAT_FLOWS_H

#include <stdio.h>
#include "rtcpm/rtcpm.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nat_flow_options
{
    const char *local_address;  /* the client's own (internal) address */
    const char *user_uri;       /* the profile's identity */
    const char *registrar;      /* IP literal */
    LONG registrar_port;        /* 0 = 5060 (5061 for TLS) */
    LONG transport;             /* RTCTR_UDP / RTCTR_TCP / RTCTR_TLS */
    const char *peer_uri;       /* the callee */
    const char *peer_address;   /* where the INVITE goes */
    LONG peer_port;             /* 0 = default */
    int video;                  /* audio + video call */
    int no_profile;             /* call without a registered profile (RTC 1.3 style) */
    const char *answer_address; /* the media address the callee's answer names (re-target) */
    LONG answer_port;           /* its audio RTP port (video: + 2) */
    int pm_version;             /* for programs that make a sample port manager: 1..3 */
    int ipv6;                   /* for programs that make a sample port manager: IPv6 addresses */
    FILE *out;                  /* where everything is printed */
};

void nat_flow_defaults(struct nat_flow_options *o);

/* Parses the shared options (see nat_flow_usage); 0 on success, 1 when --help was asked
 * (usage printed to o->out), -1 on a bad option (message on stderr). */
int nat_flow_parse_args(struct nat_flow_options *o, int argc, char **argv, const char *program, const char *about);
void nat_flow_usage(FILE *f, const char *program, const char *about);

/* 0 when every step did what RTC would do, 1 otherwise. pm may be NULL (no port manager:
 * local addresses). */
int nat_flow_registration(IRTCPortManager *pm, const struct nat_flow_options *o);
int nat_flow_outgoing_call(IRTCPortManager *pm, const struct nat_flow_options *o);

#ifdef __cplusplus
}
#endif

#endif
