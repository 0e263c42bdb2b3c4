/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

/* The answer's media address (the callee's c=/m=/a=rtcp), for the port manager's
 * UpdateRemoteAddressEx2. */
struct nat_flow_answer
{
    char address[64];
    LONG port;
    LONG rtcp_port; /* 0 = port + 1 */
};

/*
 * Where a program puts the network into the flows (rtcpm-demo: REGISTER, INVITE, media, BYE).
 * Every member may be NULL. A hook returns 0 to go on, or a nonzero result: the flow then
 * ends the way RTC would (every mapping released) and returns that result.
 */
struct nat_flow_hooks
{
    void *ctx;
    /* EnableProfile or AddParticipant failed with hr: usually the port manager refused a
     * mapping. Returns the flow's result (1 without this hook). */
    int (*mapping_failed)(void *ctx, HRESULT hr);
    /* The profile is enabled: its SIP mapping is held and the Contact built; the REGISTER. */
    int (*registered)(void *ctx, IRTCProfilePortManagement *profile);
    /* The call's mappings are held, the Contact and offer built: the INVITE. On 0, answer
     * holds the callee's media address (it replaces nat_flow_options' answer). */
    int (*invite)(void *ctx, IRTCSessionPortManagement *session, struct nat_flow_answer *answer);
    /* The port manager knows the answer's address: media flows. */
    int (*media)(void *ctx, IRTCSessionPortManagement *session);
    /* Before the call's mappings are released, whenever invite was called: the BYE. */
    int (*bye)(void *ctx, IRTCSessionPortManagement *session);
};

struct nat_flow_options
{
    const char *local_address;          /* the client's own (internal) address */
    const char *user_uri;               /* the profile's identity */
    const char *registrar;              /* IP literal */
    LONG registrar_port;                /* 0 = 5060 (5061 for TLS) */
    LONG transport;                     /* RTCTR_UDP / RTCTR_TCP / RTCTR_TLS */
    const char *peer_uri;               /* the callee */
    const char *peer_address;           /* where the INVITE goes */
    LONG peer_port;                     /* 0 = default */
    int video;                          /* audio + video call */
    int no_profile;                     /* call without a registered profile (RTC 1.3 style) */
    int profile_given;                  /* --profile or --no-profile was on the command line */
    const char *answer_address;         /* the media address the callee's answer names (re-target) */
    LONG answer_port;                   /* its audio RTP port (video: + 2) */
    const char *config;                 /* static port manager config (--config); NULL = the fixed
                                   sample_pm (--sample-pm). Default: "static-nat.ini", found
                                   by program_config_path (program.h) */
    int pm_version;                     /* for programs that make a sample port manager: 1..3 */
    int ipv6;                           /* for programs that make a sample port manager: IPv6 addresses */
    FILE *out;                          /* where everything is printed */
    const struct nat_flow_hooks *hooks; /* NULL: nothing is sent, the answer above is assumed */
};

void nat_flow_defaults(struct nat_flow_options *o);

/* Parses the shared options (see nat_flow_usage); 0 on success, 1 when --help or --version
 * was asked (printed to o->out / stdout), -1 on a bad option (message on stderr). */
int nat_flow_parse_args(struct nat_flow_options *o, int argc, char **argv, const char *program, const char *about);
void nat_flow_usage(FILE *f, const char *program, const char *about);

/* 0 when every step did what RTC would do, 1 otherwise, or the first nonzero result of a
 * hook. pm may be NULL (no port manager: local addresses). */
int nat_flow_registration(IRTCPortManager *pm, const struct nat_flow_options *o);
int nat_flow_outgoing_call(IRTCPortManager *pm, const struct nat_flow_options *o);

#ifdef __cplusplus
}
#endif

#endif
