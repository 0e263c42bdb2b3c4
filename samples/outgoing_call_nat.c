/*
 * outgoing_call_nat — RTC's "create an outgoing session when the client is behind a NAT":
 * the application sets its port manager on the session before AddParticipant; RTC asks it
 * for the SIP, RTP and RTCP mappings and puts the NAT's external addresses into the INVITE's
 * Contact and SDP, tells it where the answer moved the media, and releases every mapping at
 * the end.
 */
#define COBJMACROS
#include <stdio.h>
#include "nat_flows.h"
#include "sample_pm.h"

int main(int argc, char **argv)
{
    struct nat_flow_options o;
    IRTCPortManager *pm;
    int r;

    nat_flow_defaults(&o);
    r = nat_flow_parse_args(&o, argc, argv, "outgoing_call_nat",
                            "Places an outgoing call from behind a NAT through a port manager (RTC flow).");
    if (r) return r > 0 ? 0 : 2;
    if (FAILED(sample_pm_create(o.pm_version, o.ipv6 ? "fd00::10" : o.local_address,
                                o.ipv6 ? "2001:db8::7" : "203.0.113.7", &pm)))
        return 1;
    r = nat_flow_outgoing_call(pm, &o);
    IRTCPortManager_Release(pm);
    return r;
}
