/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm-registration-nat — RTC 1.5's "registration from behind a NAT": the application sets its
 * port manager on the profile, enables it, and RTC asks the port manager for the SIP mapping
 * towards the registrar and puts the NAT's external address into the REGISTER's Contact.
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
    r = nat_flow_parse_args(&o, argc, argv, "rtcpm-registration-nat",
                            "Registers a SIP profile from behind a NAT through a port manager (RTC 1.5 flow).");
    if (r) return r > 0 ? 0 : PROGRAM_EX_USAGE;
    if (FAILED(sample_flow_pm(&o, &pm))) return o.config ? PROGRAM_EX_USAGE : 1;
    r = nat_flow_registration(pm, &o);
    IRTCPortManager_Release(pm);
    return r;
}
