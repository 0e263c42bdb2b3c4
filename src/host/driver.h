/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * driver.h — uses an application's port manager the way the RTC Client API does.
 *
 * Interface level: the driver asks the port manager for IRTCPortManager3 first, then
 * IRTCPortManager2, and otherwise talks IRTCPortManager (RTC 1.3), so a 1.3 port manager
 * keeps working:
 *
 *   level 3: GetMappingEx          UpdateRemoteAddressEx2   ReleaseMappingEx
 *   level 2: GetMapping            UpdateRemoteAddressEx    ReleaseMapping
 *   level 1: GetMapping            UpdateRemoteAddress      ReleaseMapping
 *   level 0: no port manager: the local address of the request is used as both the
 *            internal and the external address, nothing is asked and nothing released
 *            (RTC without a port manager uses its own addresses, or UPnP, which rtcpm has not).
 *
 * A driver_set is the mappings one operation holds (a registration: SIP; a call: SIP, audio
 * RTP/RTCP, video RTP/RTCP). It is all or nothing: when the port manager refuses one mapping,
 * every mapping already obtained is released at once and the port manager's HRESULT is
 * returned. A port manager answering S_OK with something unusable (not an IP literal, port
 * outside 1..65535) gets that mapping released too, and the operation fails with
 * RTC_E_PORT_MAPPING_FAILED.
 *
 * Not thread-safe by itself: the owner (profile, session) serialises operations on a set.
 * The set holds its own reference on the port manager, so the application may replace the
 * owner's port manager at any time without pulling it from under a call.
 *
 * Apartments: the set keeps its port manager in a host_pm_ref of its own (pm_ref.h). Every
 * operation (acquire, update, release) runs with a pointer valid in the apartment of the
 * thread doing it: it asks for one, QIs 3 -> 2 -> 1, calls, releases it. So a call placed in
 * one apartment can be updated and hung up from another (through rtcpm_ps.dll's proxy), and
 * an application's port manager living in an STA is always called in its STA: directly from
 * there, through the proxy from anywhere else.
 */
#ifndef RTCPM_SRC_HOST_DRIVER_H
#define RTCPM_SRC_HOST_DRIVER_H

#include "rtcpm/rtcpm.h"
#include "net/addr.h"
#include "host/pm_ref.h"

struct driver_pm
{
    IRTCPortManager *v1;  /* holds the one reference; NULL = no port manager */
    IRTCPortManager2 *v2; /* set from level 2 (the same pointer as v1 then) */
    IRTCPortManager3 *v3; /* set at level 3 (the same pointer as v1 then) */
    int level;            /* 0..3, see above */
};

/* pm (valid in the calling apartment) may be NULL (level 0). Takes its own references;
 * never fails for a non-NULL pm (a failed QI just means a lower level). */
void rtcpm_driver_pm_open(IRTCPortManager *pm, struct driver_pm *out);
void rtcpm_driver_pm_close(struct driver_pm *pm);

struct driver_request
{
    RTC_PORT_TYPE type;
    LONG transport;     /* RTCTR_*: SIP's transport; media are RTCTR_UDP */
    const char *remote; /* IP literal of the remote end */
    LONG remote_port;   /* 0 = not known yet (media before the answer) */
    rtcpm_addr local;   /* with port: used when there is no port manager */
};

struct driver_mapping
{
    RTC_PORT_TYPE type;
    LONG transport;
    /* Exactly what the port manager answered; handed back to it on update and release. */
    BSTR internal_text, external_text;
    LONG internal_port, external_port;
    /* The same, parsed (ports included). */
    rtcpm_addr internal, external;
    BSTR remote; /* the remote end the mapping is for, as last told to the port manager */
    LONG remote_port;
    int from_pm; /* 0: local address, nothing to release */
};

#define DRIVER_MAX_MAPPINGS 5

struct driver_set
{
    struct host_pm_ref *pm; /* the set's own reference; NULL = no port manager */
    int level;              /* 0..3: what the port manager answered when the set was acquired */
    struct driver_mapping map[DRIVER_MAX_MAPPINGS];
    int count;
};

/* Keeps pm (NULL allowed; valid in the calling apartment) in the set's own host_pm_ref and
 * obtains every mapping of req[0..n-1] in order; see above. On failure the set is left
 * empty and holds no reference. */
HRESULT rtcpm_driver_set_acquire(struct driver_set *set, IRTCPortManager *pm, const struct driver_request *req, int n);

/* Tells the port manager that the mapping of `type` now talks to remote:port
 * (UpdateRemoteAddressEx2 / Ex / plain, by level). On failure the mapping keeps its old
 * remote and the port manager's HRESULT is returned (or COM's, when no pointer to the port
 * manager can be had in this apartment). E_INVALIDARG when the set has no such mapping,
 * remote is not an IP literal or is of the other address family than the mapping's internal
 * address (IPv4-mapped IPv6 counts as IPv4): then no port manager is called. */
HRESULT rtcpm_driver_set_update_remote(struct driver_set *set, RTC_PORT_TYPE type, const char *remote, LONG port);

/* Releases every mapping, last obtained first, and the set's reference on the port manager.
 * Every release is attempted; returns S_OK or the first failure a port manager reported.
 * When no pointer to the port manager can be had in this apartment the mappings are
 * forgotten unreleased and COM's error is returned. Empty set: S_FALSE. */
HRESULT rtcpm_driver_set_release(struct driver_set *set);

const struct driver_mapping *rtcpm_driver_set_find(const struct driver_set *set, RTC_PORT_TYPE type);

/* The public view of a mapping (rtcpm_host_*_mapping): canonical address text, ports. */
void rtcpm_driver_mapping_describe(const struct driver_mapping *m, struct rtcpm_host_mapping *out);

#endif /* RTCPM_SRC_HOST_DRIVER_H */
