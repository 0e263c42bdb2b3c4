/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * port_range.h — the internal-port ranges of the port managers that pick their own ports
 * and negotiate them with the NAT (PCP / NAT-PMP, UPnP IGD, automatic): the same fields and
 * meaning as the STUN port manager's struct rtcpm_stun_pm_range and its INI section
 *   [ports audio-rtp]      ; sip | audio-rtp | audio-rtcp | video-rtp | video-rtcp | any
 *   range = 30000-30099    ; one port or first-last
 *   transport = udp        ; udp | tcp | tls, a list; default udp
 * Without a range for a port type the OS picks the port. RTP ports are even, and the next
 * port is kept for the RTCP mapping of the same media asked next.
 */
#ifndef RTCPM_PORT_RANGE_H
#define RTCPM_PORT_RANGE_H

#include "rtcpm/platform.h"

RTCPM_EXTERN_C_BEGIN

#define RTCPM_PM_MAX_RANGES 16

struct rtcpm_port_range
{
    LONG port_type;  /* RTCPT_AUDIO_RTP .. RTCPT_SIP, or RTCPM_PORT_TYPE_ANY (-1) */
    LONG transports; /* RTCTR_UDP | RTCTR_TCP | RTCTR_TLS; 0 means RTCTR_UDP */
    LONG first;      /* 1..65535 */
    LONG last;       /* >= first; 0 means = first */
};

RTCPM_EXTERN_C_END

#endif /* RTCPM_PORT_RANGE_H */
