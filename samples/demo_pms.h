/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * demo_pms.h — rtcpm-demo's port managers that negotiate with the NAT: --pcp [SERVER],
 * --upnp [IGD-URL], --auto (with --stun SERVERS as the automatic one's STUN servers and the
 * UPnP one's source of the external address).
 */
#ifndef RTCPM_SAMPLES_DEMO_PMS_H
#define RTCPM_SAMPLES_DEMO_PMS_H

#include "rtcpm/rtcpm.h"

enum demo_pm_kind
{
    DEMO_PM_NONE,
    DEMO_PM_PCP,
    DEMO_PM_UPNP,
    DEMO_PM_AUTO
};

struct demo_pm_request
{
    enum demo_pm_kind kind;
    const char *arg;   /* --pcp SERVER / --upnp URL (NULL: the default gateway / discovery) */
    const char *stun;  /* --stun (NULL: none) */
    const char *local; /* --local */
    LONG sip_port;     /* 0: the OS picks */
    LONG rtp_port;     /* 0: the OS picks; else even */
};

/* Makes the port manager; *reason gets a function giving its last failure's reason. 0, or an
 * exit code (DEMO_EXIT_USAGE / DEMO_EXIT_INTERNAL) with the message printed. */
int demo_make_negotiating_pm(const struct demo_pm_request *rq, IRTCPortManager3 **out,
                             void (**reason)(void *ctx, char *buf, size_t len));
/* "PCP", "UPnP", "automatic". */
const char *demo_pm_kind_name(enum demo_pm_kind kind);

#endif
