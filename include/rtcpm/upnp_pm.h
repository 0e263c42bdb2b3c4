/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * upnp_pm.h — the UPnP IGD port manager: asks the home router (a UPnP Internet Gateway
 * Device) to forward each internal port RTC is handed (WANIPConnection AddPortMapping), as
 * the real RTC client did (RTCIF_DISABLE_UPNP turns that off there). It works behind a
 * symmetric NAT, and anyone reaches the mapping.
 *
 * One object answers IUnknown, IRTCPortManager, IRTCPortManager2 and IRTCPortManager3 (QI
 * between them, one identity) and aggregates the free-threaded marshaler on Windows.
 *
 * The IGD:
 *  - Windows targets: the system's UPnP NAT API, hnetcfg's IUPnPNAT ->
 *    IStaticPortMappingCollection::Add / Remove, on a single-threaded apartment of the
 *    object's own (Wine 8 implements it: SSDP, the description, SOAP). It finds the IGD
 *    itself (igd_url is not used). It gives no lease (a static mapping: miniupnpd turns it
 *    into a week) and, under Wine, no external address (get_ExternalIPAddress is NULL):
 *    then the external address comes from `stun` (one STUN server), or the call fails with
 *    that reason.
 *  - natively: Debian's libminiupnpc: SSDP discovery (discover_ms), or the root description
 *    at igd_url; the external address from the IGD's GetExternalIPAddress (else `stun`). An
 *    IGD whose external address is private or reserved is used as it is (miniupnpc's
 *    UPNP_GetValidIGD would call it "not connected").
 *  The IGD found is kept; after a failure the next call looks for it again.
 *
 * GetMapping / GetMappingEx: an internal port picked as the STUN port manager picks it
 * (ranges, RTP even with port + 1 kept for RTCP, else the OS's choice) on the local address
 * that reaches the IGD (local_address, else the one routed to the IGD, or on Windows to the
 * default gateway); AddPortMapping(external = internal port, protocol UDP/TCP (TLS: TCP),
 * the internal address, description, lease lifetime_s); a conflict (718) lets an IGDv2 pick
 * another external port (AddAnyPortMapping). The mapping is renewed (AddPortMapping again)
 * at half its lease by a worker thread, removed (DeletePortMapping) on ReleaseMapping* and,
 * for every live one, by the last Release. Results: as the PCP port manager's; the IGD's
 * refusals (UPnP errors 600..799: 606 not authorized, 718 conflict, 728 no ports, ...) ->
 * RTC_E_PORT_MAPPING_UNAVAILABLE, no IGD / no answer / no external address ->
 * RTC_E_PORT_MAPPING_FAILED, the reason in rtcpm_upnp_pm_last_error().
 *
 * Config file (rtcpm_upnp_pm_create_from_file; README "UPnP IGD port manager"):
 *   [upnp]
 *   igd = http://192.168.1.1:5000/rootDesc.xml  ; native: skip SSDP; default: discover
 *   stun = stun.example.net:3478                ; the external address when the IGD gives none
 *   local-address = 192.168.1.10                ; default: by route
 *   description = rtcpm                         ; the mappings' description at the IGD
 *   lifetime = 3600                             ; s, the lease asked for; renewed at half-life
 *   timeout = 3000                              ; ms, budget of one call (Windows; natively
 *                                               ; libminiupnpc's own HTTP timeouts apply)
 *   discover = 2000                             ; ms of SSDP wait (native)
 *   [ports audio-rtp]                           ; include/rtcpm/port_range.h
 *   range = 30000-30099
 */
#ifndef RTCPM_UPNP_PM_H
#define RTCPM_UPNP_PM_H

#include <stddef.h>
#include "rtcpm/platform.h"
#include "rtcpm/rtcpm_idl.h"
#include "rtcpm/port_range.h"

RTCPM_EXTERN_C_BEGIN

struct rtcpm_upnp_pm_config
{
    const char *igd_url;       /* NULL/"": discover (SSDP); native only */
    const char *stun;          /* NULL/"": none; "host[:port]" (3478) for the external address */
    const char *local_address; /* NULL/"": by route */
    const char *description;   /* NULL/"": "rtcpm" */
    LONG lifetime_s;           /* 3600: the lease asked for, 0..604800 (0: the IGD's "permanent") */
    LONG timeout_ms;           /* 3000, 1..600000 */
    LONG discover_ms;          /* 2000, 100..60000 */
    LONG range_count;
    struct rtcpm_port_range ranges[RTCPM_PM_MAX_RANGES];
};

RTCPM_API void rtcpm_upnp_pm_config_init(struct rtcpm_upnp_pm_config *cfg);

/* 1 when this build has a UPnP port manager (Windows targets; natively with libminiupnpc).
 * Without one every create function returns E_NOTIMPL. */
RTCPM_API int rtcpm_upnp_pm_available(void);

/* A UPnP port manager with the defaults and igd_url (NULL: discover). */
RTCPM_API HRESULT rtcpm_upnp_pm_create(const char *igd_url, IRTCPortManager3 **out, char *err, size_t errlen);
RTCPM_API HRESULT rtcpm_upnp_pm_create_ex(const struct rtcpm_upnp_pm_config *cfg, IRTCPortManager3 **out, char *err,
                                          size_t errlen);
RTCPM_API HRESULT rtcpm_upnp_pm_create_from_file(const char *path, IRTCPortManager3 **out, char *err, size_t errlen);
RTCPM_API HRESULT rtcpm_upnp_pm_create_from_string(const char *text, const char *name_for_errors,
                                                   IRTCPortManager3 **out, char *err, size_t errlen);
#define RTCPM_UPNP_PM_CONFIG_STORAGE (4 * 1025)
RTCPM_API HRESULT rtcpm_upnp_pm_parse_config(const char *text, size_t len, const char *name_for_errors,
                                             struct rtcpm_upnp_pm_config *cfg, char *storage, size_t storage_len,
                                             char *err, size_t errlen);

RTCPM_API HRESULT rtcpm_upnp_pm_last_error(IRTCPortManager3 *pm, char *buf, size_t buflen);
/* A renewal or removal that failed ("" when none). */
RTCPM_API HRESULT rtcpm_upnp_pm_last_event(IRTCPortManager3 *pm, char *buf, size_t buflen);
/* How the IGD was found ("http://198.18.1.1:5000/rootDesc.xml", "hnetcfg"), "" while not. */
RTCPM_API HRESULT rtcpm_upnp_pm_igd(IRTCPortManager3 *pm, char *buf, size_t buflen);
RTCPM_API LONG rtcpm_upnp_pm_live_mappings(IRTCPortManager3 *pm);
RTCPM_API LONG rtcpm_upnp_pm_format_mappings(IRTCPortManager3 *pm, char *buf, size_t buflen);

struct rtcpm_upnp_pm_stats
{
    LONG discoveries; /* times the IGD was looked for */
    LONG mappings;    /* AddPortMapping for GetMapping* */
    LONG renewals;    /* AddPortMapping again, answered */
    LONG deletes;     /* DeletePortMapping answered */
    LONG stun;        /* external addresses learned by STUN */
    LONG failures;    /* failed GetMapping* calls and renewals */
    LONG events;
};
RTCPM_API HRESULT rtcpm_upnp_pm_get_stats(IRTCPortManager3 *pm, struct rtcpm_upnp_pm_stats *out);

RTCPM_EXTERN_C_END

#endif /* RTCPM_UPNP_PM_H */
