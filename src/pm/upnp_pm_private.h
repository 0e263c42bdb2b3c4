/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * upnp_pm_private.h — what the files of the UPnP IGD port manager share (the public API is
 * include/rtcpm/upnp_pm.h):
 *
 *   upnp_pm.c            the COM object, the create functions, the C API
 *   upnp_pm_config.c     settings: defaults, the [upnp] keys, checks
 *   upnp_pm_mapping.c    one mapping (IGD, internal port, AddPortMapping, the external
 *                        address), one removal, the renewal worker
 *   upnp_igd*.c          the IGD: libminiupnpc natively, hnetcfg on Windows (upnp_igd.h)
 *
 * Locks, in this order: pm->lock (ports, leases, stats, texts, stopping; pm->cond), then the
 * mapping table's own. No lock is held while the IGD is asked: a lease being renewed is
 * busy, and a release waits for that to end before it removes the mapping.
 */
#ifndef RTCPM_PM_UPNP_PM_PRIVATE_H
#define RTCPM_PM_UPNP_PM_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "com/ftm.h"
#include "os/lock.h"
#include "os/os_platform.h"
#include "pm/pm_common.h"
#include "pm/pm_config.h"
#include "pm/pm_ports.h"
#include "pm/pm_server.h"
#include "pm/upnp_igd.h"
#include "rtcpm/upnp_pm.h"

#define UPNP_PM_WHY_MAX 256

struct upnp_pm_settings
{
    char igd_url[RTCPM_UPNP_URL_MAX];
    char stun[RTCPM_PMC_SERVER_MAX];
    char description[128];
    rtcpm_addr local_v4, local_v6;
    uint32_t lifetime_s, timeout_ms, discover_ms;
    size_t range_count;
    struct rtcpm_pm_port_range ranges[RTCPM_PM_MAX_RANGES];
};

extern const struct rtcpm_pmc_schema rtcpm_upnp_pm_schema;
HRESULT rtcpm_upnp_pm_settings_make(const struct rtcpm_upnp_pm_config *cfg, struct upnp_pm_settings *out, char *err,
                                    size_t errlen);
HRESULT rtcpm_upnp_pm_create_from_settings(const struct upnp_pm_settings *set, IRTCPortManager3 **out);

struct upnp_lease
{
    LONG transport;
    rtcpm_addr internal; /* with port: the key, with transport */
    uint16_t ext_port;   /* at the IGD */
    uint64_t renew_at_ms;
    int busy, released;
};

struct upnp_pm
{
    struct pm_object base;
    LONG ref;
    struct com_ftm ftm;
    struct upnp_pm_settings set;
    struct rtcpm_upnp_igd *igd;
    rtcpm_thread *worker;

    struct rtcpm_lock lock;
    struct rtcpm_cond cond;
    struct rtcpm_pm_ports ports;
    struct upnp_lease *leases;
    size_t lease_count, lease_cap;
    struct rtcpm_upnp_pm_stats stats;
    char igd_what[RTCPM_UPNP_URL_MAX];
    char last_error[UPNP_PM_WHY_MAX], last_event[UPNP_PM_WHY_MAX];
    int stopping;
};

struct upnp_call
{
    int type;
    LONG transport;
    rtcpm_addr remote;
    uint64_t deadline;
};

/* Looks for the IGD (the automatic port manager's probe). S_OK or the failure with why. */
HRESULT rtcpm_upnp_pm_find(struct upnp_pm *pm, uint64_t deadline, char *why, size_t whylen);
/* The same through the interface: E_INVALIDARG when iface is not a UPnP port manager. */
HRESULT rtcpm_upnp_pm_probe(IRTCPortManager3 *iface, uint64_t deadline, char *why, size_t whylen);
HRESULT rtcpm_upnp_pm_make_mapping(struct upnp_pm *pm, const struct upnp_call *call, struct rtcpm_mapping *m, char *why,
                                   size_t whylen);
/* Removes the lease of (transport, internal) and its mapping at the IGD. */
void rtcpm_upnp_pm_delete_lease(struct upnp_pm *pm, LONG transport, const rtcpm_addr *internal, uint64_t deadline);
void rtcpm_upnp_pm_worker_start(struct upnp_pm *pm);
void rtcpm_upnp_pm_worker_stop(struct upnp_pm *pm);

#endif /* RTCPM_PM_UPNP_PM_PRIVATE_H */
