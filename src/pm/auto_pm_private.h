/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * auto_pm_private.h — what the files of the automatic port manager share (the public API is
 * include/rtcpm/auto_pm.h):
 *
 *   auto_pm.c         the COM object, the create functions, the C API
 *   auto_pm_config.c  settings: defaults, the [auto] keys, checks
 *   auto_pm_probe.c   the decision: the probes in order, the verdict, the inner port managers
 *
 * Locks, in this order: pm->lock (verdict, inner port managers, probing, texts, ports of the
 * local mechanism; pm->cond), then the mapping table's own. No lock is held while a probe or
 * an inner port manager runs; an inner port manager, once made, lives until the last Release.
 */
#ifndef RTCPM_PM_AUTO_PM_PRIVATE_H
#define RTCPM_PM_AUTO_PM_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "com/ftm.h"
#include "os/lock.h"
#include "os/os_platform.h"
#include "pm/pm_common.h"
#include "pm/pm_config.h"
#include "pm/pm_ports.h"
#include "pm/pm_server.h"
#include "rtcpm/rtcpm.h"
#include "rtcpm/auto_pm.h"

#define AUTO_PM_WHY_MAX      768
#define AUTO_PM_NONE_KEPT_MS 30000 /* "nothing works" is kept this long before probing again */

enum auto_mech
{
    MECH_PCP,
    MECH_NATPMP,
    MECH_UPNP,
    MECH_STUN,
    MECH_LOCAL,
    MECH_COUNT
};

const char *rtcpm_auto_pm_mech_name(int mech); /* "PCP", ... */

struct auto_pm_settings
{
    int order[MECH_COUNT];
    size_t order_count;
    char stun[RTCPM_INI_LINE_MAX + 1], pcp_server[RTCPM_INI_LINE_MAX + 1], upnp_igd[RTCPM_INI_LINE_MAX + 1];
    char local_address[RTCPM_INI_LINE_MAX + 1];
    rtcpm_addr local_v4;
    uint32_t lifetime_s, timeout_ms, probe_timeout_ms;
    struct rtcpm_port_range pub_ranges[RTCPM_PM_MAX_RANGES]; /* for the inner port managers */
    LONG pub_range_count;
    struct rtcpm_pm_port_range ranges[RTCPM_PM_MAX_RANGES];
    size_t range_count;
};

extern const struct rtcpm_pmc_schema rtcpm_auto_pm_schema;
HRESULT rtcpm_auto_pm_settings_make(const struct rtcpm_auto_pm_config *cfg, struct auto_pm_settings *out, char *err,
                                    size_t errlen);
HRESULT rtcpm_auto_pm_create_from_settings(const struct auto_pm_settings *set, IRTCPortManager3 **out);

/* Test hooks (tests/test_auto_pm.c; the library never sets them): the network a verdict is
 * made for and the clock its age is measured with, so a test can move the host to another
 * gateway or local address, or let 30 s pass, without a router or a wait. */
struct auto_pm_test_hooks
{
    /* Instead of the routing table: the default gateway and the local address towards it
     * (a configured local-address still wins, as it does over the table). */
    void (*network)(void *ctx, rtcpm_addr *gw, rtcpm_addr *local);
    void *ctx;
    uint64_t clock_offset_ms; /* added to rtcpm_clock_ms() where the verdict's age is taken */
};

struct auto_pm
{
    struct pm_object base; /* owner of each mapping = the mechanism that made it */
    LONG ref;
    struct com_ftm ftm;
    struct auto_pm_settings *set;
    rtcpm_thread *worker;

    struct rtcpm_lock lock;
    struct rtcpm_cond cond;
    struct rtcpm_pm_ports ports; /* the local mechanism's */
    IRTCPortManager3 *inner[MECH_COUNT];
    int mech;          /* the verdict, -1: none */
    int verdict_valid; /* a verdict (also "none works") is kept */
    uint64_t verdict_at_ms;
    rtcpm_addr verdict_gw, verdict_local;
    char verdict[AUTO_PM_WHY_MAX];
    char last_error[AUTO_PM_WHY_MAX];
    int probing, stopping;
    LONG probes;
    struct auto_pm_test_hooks hooks; /* under lock; zero unless a test sets them */
};

/* Sets pm's test hooks (NULL: none) for the next look at the network / the verdict's age.
 * E_INVALIDARG when pm is not an automatic port manager. */
HRESULT rtcpm_auto_pm_set_test_hooks(IRTCPortManager3 *pm, const struct auto_pm_test_hooks *hooks);

/* Runs the probes (unless one runs: then waits for it) until deadline; the verdict is in
 * pm->mech / pm->verdict. Returns the mechanism or -1. */
int rtcpm_auto_pm_probe(struct auto_pm *pm, uint64_t deadline);
/* The verdict, probing again when none is kept or the network changed (within deadline). */
int rtcpm_auto_pm_current(struct auto_pm *pm, uint64_t deadline);
/* The inner port manager of mech (made now if needed; NULL with why). No reference added. */
IRTCPortManager3 *rtcpm_auto_pm_inner(struct auto_pm *pm, int mech, char *why, size_t whylen);
/* Forgets the verdict (its port manager stopped answering). */
void rtcpm_auto_pm_stale(struct auto_pm *pm, int mech);
/* The reason of the last failure of an inner port manager. */
void rtcpm_auto_pm_inner_error(IRTCPortManager3 *inner, int mech, char *why, size_t whylen);
void rtcpm_auto_pm_worker_start(struct auto_pm *pm);
void rtcpm_auto_pm_worker_stop(struct auto_pm *pm);

#endif /* RTCPM_PM_AUTO_PM_PRIVATE_H */
