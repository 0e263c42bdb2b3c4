/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * auto_pm.h — the automatic port manager: finds out by itself how this host's NAT can be
 * traversed, keeps that verdict, and hands RTC's calls to the port manager of that mechanism
 * (rtcpm's PCP, UPnP IGD or STUN port manager, or local addresses). Every mechanism is also
 * available alone (pcp_pm.h, upnp_pm.h, stun_pm.h).
 *
 * One object answers IUnknown, IRTCPortManager, IRTCPortManager2 and IRTCPortManager3 (QI
 * between them, one identity) and aggregates the free-threaded marshaler on Windows.
 *
 * The decision (in the order of `mechanisms`, by default "pcp, nat-pmp, upnp, stun, local"):
 *   pcp      a PCP ANNOUNCE request to the PCP server (configured, else the default gateway)
 *            is answered with SUCCESS                                  -> the PCP port manager
 *   nat-pmp  the server answers PCP with UNSUPP_VERSION and NAT-PMP's external-address
 *            request with success                          -> the PCP port manager in NAT-PMP
 *   upnp     an Internet Gateway Device is found (SSDP, or upnp-igd; Windows: hnetcfg)
 *                                                                 -> the UPnP port manager
 *   stun     STUN servers are configured and a mapping made through them stands (the NAT
 *            maps endpoint-independently, or there is no NAT) -> the STUN port manager; a
 *            symmetric NAT, or no answer, is a refusal: nothing below is tried
 *   local    no STUN server configured: the host's own addresses, external = internal (a
 *            host on a public address; a NAT would make them useless, which only STUN could tell)
 * Each probe has probe-timeout / its share of it (PCP and NAT-PMP: 1 s; UPnP: the SSDP wait).
 * Nothing answering -> RTC_E_PORT_MAPPING_FAILED with every mechanism's reason; that verdict
 * is kept 30 s (calls fail at once meanwhile) before the next call probes again.
 *
 * The verdict is kept for the gateway and local address it was made for: each GetMapping*
 * looks them up (the routing table, no traffic) and probes again when either changed, or
 * when the chosen mechanism's port manager fails a call with RTC_E_PORT_MAPPING_FAILED (it
 * stopped answering; the call is then retried once with the new verdict). A probe runs on a
 * worker thread right at creation; a GetMapping* that arrives meanwhile waits for it (at most
 * probe_timeout_ms), then has its own timeout_ms. Mappings stay with the port manager that
 * made them, whatever the verdict becomes: ReleaseMapping* goes there, and the last Release
 * releases every inner port manager (which removes their mappings at the NAT).
 *
 * Config file (rtcpm_auto_pm_create_from_file; README "Automatic port manager"):
 *   [auto]
 *   mechanisms = pcp, nat-pmp, upnp, stun, local  ; the order tried; leave some out
 *   stun = 198.51.100.1:3478, 198.51.100.2:3478   ; STUN servers (also UPnP's external address)
 *   pcp-server = 192.168.1.1                      ; default: the default gateway
 *   upnp-igd = http://192.168.1.1:5000/rootDesc.xml ; default: discover
 *   local-address = 192.168.1.10                  ; default: by route
 *   lifetime = 7200                               ; s, PCP / UPnP leases
 *   timeout = 3000                                ; ms, one GetMapping* call
 *   probe-timeout = 8000                          ; ms, all probes together
 *   [ports audio-rtp]                             ; include/rtcpm/port_range.h
 *   range = 30000-30099
 */
#ifndef RTCPM_AUTO_PM_H
#define RTCPM_AUTO_PM_H

#include <stddef.h>
#include "rtcpm/platform.h"
#include "rtcpm/rtcpm_idl.h"
#include "rtcpm/port_range.h"

RTCPM_EXTERN_C_BEGIN

struct rtcpm_auto_pm_config
{
    const char *mechanisms;    /* NULL/"": "pcp, nat-pmp, upnp, stun, local" */
    const char *stun;          /* NULL/"": no STUN (then "local" is the last resort) */
    const char *pcp_server;    /* NULL/"": the default gateway */
    const char *upnp_igd;      /* NULL/"": discover */
    const char *local_address; /* NULL/"": by route */
    LONG lifetime_s;           /* 7200, 1..604800 */
    LONG timeout_ms;           /* 3000, 1..600000 */
    LONG probe_timeout_ms;     /* 8000, 100..600000 */
    LONG range_count;
    struct rtcpm_port_range ranges[RTCPM_PM_MAX_RANGES];
};

RTCPM_API void rtcpm_auto_pm_config_init(struct rtcpm_auto_pm_config *cfg);

/* An automatic port manager with the defaults and these STUN servers (NULL: none). */
RTCPM_API HRESULT rtcpm_auto_pm_create(const char *stun_servers, IRTCPortManager3 **out, char *err, size_t errlen);
RTCPM_API HRESULT rtcpm_auto_pm_create_ex(const struct rtcpm_auto_pm_config *cfg, IRTCPortManager3 **out, char *err,
                                          size_t errlen);
RTCPM_API HRESULT rtcpm_auto_pm_create_from_file(const char *path, IRTCPortManager3 **out, char *err, size_t errlen);
RTCPM_API HRESULT rtcpm_auto_pm_create_from_string(const char *text, const char *name_for_errors,
                                                   IRTCPortManager3 **out, char *err, size_t errlen);
#define RTCPM_AUTO_PM_CONFIG_STORAGE (5 * 1025)
RTCPM_API HRESULT rtcpm_auto_pm_parse_config(const char *text, size_t len, const char *name_for_errors,
                                             struct rtcpm_auto_pm_config *cfg, char *storage, size_t storage_len,
                                             char *err, size_t errlen);

/* The mechanism in use: "PCP", "NAT-PMP", "UPnP", "STUN", "local"; "" while none is decided
 * (or none works); NULL when pm is not an automatic port manager. */
RTCPM_API const char *rtcpm_auto_pm_mechanism(IRTCPortManager3 *pm);
/* Waits up to timeout_ms (< 0: no limit) for a probe in progress. S_OK: none runs; S_FALSE:
 * still running; E_INVALIDARG: not an automatic port manager. */
RTCPM_API HRESULT rtcpm_auto_pm_wait_ready(IRTCPortManager3 *pm, LONG timeout_ms);
/* The last verdict as text: "PCP: 198.18.1.1:5351 answered ANNOUNCE (gateway 198.18.1.1,
 * local 198.18.1.2)", or every mechanism's reason when none works. */
RTCPM_API HRESULT rtcpm_auto_pm_verdict(IRTCPortManager3 *pm, char *buf, size_t buflen);
RTCPM_API HRESULT rtcpm_auto_pm_last_error(IRTCPortManager3 *pm, char *buf, size_t buflen);
/* Probes done so far (each a full pass through the mechanisms). */
RTCPM_API LONG rtcpm_auto_pm_probes(IRTCPortManager3 *pm);
RTCPM_API LONG rtcpm_auto_pm_live_mappings(IRTCPortManager3 *pm);
RTCPM_API LONG rtcpm_auto_pm_format_mappings(IRTCPortManager3 *pm, char *buf, size_t buflen);

RTCPM_EXTERN_C_END

#endif /* RTCPM_AUTO_PM_H */
