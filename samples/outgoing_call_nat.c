/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm-outgoing-call-nat — RTC's "create an outgoing session when the client is behind a NAT":
 * the application sets its port manager on the session before AddParticipant; RTC asks it
 * for the SIP, RTP and RTCP mappings and puts the NAT's external addresses into the INVITE's
 * Contact and SDP, tells it where the answer moved the media, and releases every mapping at
 * the end.
 */
#define COBJMACROS
#include <stdio.h>
#include "nat_flows.h"
#include "sample_pm.h"
#include "program.h"

int main(int argc, char **argv)
{
    struct nat_flow_options o;
    IRTCPortManager *pm;
    int r;

    nat_flow_defaults(&o);
    r = nat_flow_parse_args(&o, argc, argv, "rtcpm-outgoing-call-nat",
                            "Places an outgoing call from behind a NAT through a port manager (RTC flow).");
    if (r) return r > 0 ? 0 : PROGRAM_EX_USAGE;
    /* static-nat.ini forwards one SIP port: a registration would hold it and the
     * call's own SIP mapping would find it taken. So with a config the call goes without a
     * profile unless --profile asks (give the config a second SIP port for that). */
    if (o.config && !o.profile_given) o.no_profile = 1;
    if (FAILED(sample_flow_pm(&o, &pm))) return o.config ? PROGRAM_EX_USAGE : 1;
    r = nat_flow_outgoing_call(pm, &o);
    IRTCPortManager_Release(pm);
    return r;
}
