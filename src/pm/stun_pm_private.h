/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stun_pm.h (private) — the STUN port manager's checked settings, as the config code
 * (stun_pm_config.c: C struct and INI) makes them and the object (stun_pm.c) uses them.
 * The public API is include/rtcpm/stun_pm.h.
 */
#ifndef RTCPM_PM_STUN_PM_H
#define RTCPM_PM_STUN_PM_H

#include <stddef.h>
#include <stdint.h>
#include "rtcpm/rtcpm.h"
#include "net/addr.h"

struct stun_pm_range
{
    int port_type;       /* RTCPT_* or RTCPM_PORT_TYPE_ANY */
    unsigned transports; /* RTCTR_* bits, never 0 */
    uint16_t first, last;
};

/* Everything checked; immutable once the object exists. */
struct stun_pm_settings
{
    rtcpm_addr servers[RTCPM_STUN_PM_MAX_SERVERS]; /* with port, in fallback order */
    size_t server_count;
    rtcpm_addr local_v4, local_v6; /* port 0; family NONE = by route */
    uint32_t timeout_ms, server_timeout_ms, rto_ms, retransmissions;
    int classic, symmetric_check, warm_up, tcp;
    uint32_t symmetric_check_age_s, cache_age_s, refresh_s;
    size_t range_count;
    struct stun_pm_range ranges[RTCPM_STUN_PM_MAX_RANGES];
};

/* Checks cfg and fills *out. S_OK, or E_INVALIDARG with the reason in err (never NULL). */
HRESULT rtcpm_stun_pm_settings_make(const struct rtcpm_stun_pm_config *cfg, struct stun_pm_settings *out, char *err,
                                    size_t errlen);

/* "a:3478, [b]:3479" -> out[0..*count). 0, or -1 with "entry 2 '1.2.3' is not an IP
 * address[:port]" in err. */
int rtcpm_stun_pm_parse_servers(const char *text, rtcpm_addr *out, size_t *count, char *err, size_t errlen);

/* The object from checked settings (stun_pm.c). */
HRESULT rtcpm_stun_pm_create_from_settings(const struct stun_pm_settings *set, IRTCPortManager3 **out);

#endif /* RTCPM_PM_STUN_PM_H */
