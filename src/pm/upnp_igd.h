/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * upnp_igd.h — the UPnP Internet Gateway Device a UPnP port manager talks to, behind one
 * interface with two implementations:
 *   upnp_igd_miniupnpc.c  natively: Debian's libminiupnpc (SSDP discovery or a given root
 *                         description URL; the description parsed by upnp_igd_desc.c; SOAP
 *                         AddPortMapping / DeletePortMapping / GetExternalIPAddress);
 *   upnp_igd_hnetcfg.c    Windows targets: the system's UPnP NAT API (hnetcfg's IUPnPNAT ->
 *                         IStaticPortMappingCollection::Add/Remove), called on a thread of
 *                         its own (a single-threaded apartment: UPnPNAT is apartment-threaded).
 * Blocking calls, each within its deadline as far as the underlying API allows (libminiupnpc's
 * HTTP has its own timeouts). Thread-safe: calls from several threads are serialised.
 */
#ifndef RTCPM_PM_UPNP_IGD_H
#define RTCPM_PM_UPNP_IGD_H

#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"
#include "rtcpm/rtcpm.h"

#define RTCPM_UPNP_URL_MAX 256

struct rtcpm_upnp_igd;

struct rtcpm_upnp_igd_options
{
    const char *url;         /* NULL: discover by SSDP; else the root description URL */
    uint32_t discover_ms;    /* SSDP wait */
    const char *description; /* the mappings' description */
};

HRESULT rtcpm_upnp_igd_open(const struct rtcpm_upnp_igd_options *opt, struct rtcpm_upnp_igd **out);
void rtcpm_upnp_igd_close(struct rtcpm_upnp_igd *igd);

/* Finds the IGD (once; again after rtcpm_upnp_igd_forget): *lan = the local address that
 * reaches it (port 0; family NONE when the API does not say), *external = its external
 * address when it gives one (family NONE: it gave none — Wine's IUPnPNAT never does), *what
 * = how it was found ("http://198.18.1.1:5000/rootDesc.xml", "hnetcfg"). S_OK, or
 * RTC_E_PORT_MAPPING_FAILED with why. */
HRESULT rtcpm_upnp_igd_find(struct rtcpm_upnp_igd *igd, uint64_t deadline, rtcpm_addr *lan, rtcpm_addr *external,
                            char *what, size_t whatlen, char *why, size_t whylen);
/* The IGD stopped answering: the next find discovers it again. */
void rtcpm_upnp_igd_forget(struct rtcpm_upnp_igd *igd);

/* AddPortMapping: external port ext (the IGD's answer to a conflict: *got another one when
 * it can pick, else the failure) -> internal (address and port), lease_s (0: the IGD's
 * "permanent", which miniupnpd turns into a week). *external: the external address when
 * this API gives it with the mapping (else family NONE). *upnp_error: the IGD's error code
 * (0 when none). S_OK; RTC_E_PORT_MAPPING_UNAVAILABLE for a refusal (606, 718, 728, ...);
 * RTC_E_PORT_MAPPING_FAILED otherwise; why says which. */
HRESULT rtcpm_upnp_igd_add(struct rtcpm_upnp_igd *igd, int tcp, uint16_t ext, const rtcpm_addr *internal,
                           uint32_t lease_s, uint64_t deadline, uint16_t *got, rtcpm_addr *external, int *upnp_error,
                           char *why, size_t whylen);
/* DeletePortMapping of (tcp, ext). S_OK or RTC_E_PORT_MAPPING_FAILED with why. */
HRESULT rtcpm_upnp_igd_remove(struct rtcpm_upnp_igd *igd, int tcp, uint16_t ext, uint64_t deadline, char *why,
                              size_t whylen);

/* ---- the root description (upnp_igd_desc.c; natively, where libminiupnpc parses it) ---- */

struct rtcpm_upnp_igd_desc
{
    char control_url[RTCPM_UPNP_URL_MAX]; /* absolute http:// URL of WANIPConnection or WANPPPConnection */
    char service_type[RTCPM_UPNP_URL_MAX];
};

/* Our entry point to the XML a root description brings (the bytes from the network): hands
 * xml to libminiupnpc's parser and keeps the connection service: a WANIPConnection (else
 * WANPPPConnection) with a control URL, made absolute against desc_url / URLBase, checked to
 * be http://host[:port]/path of printable characters. 0, or -1 with why. */
int rtcpm_upnp_igd_parse_desc(const char *xml, size_t len, const char *desc_url, struct rtcpm_upnp_igd_desc *out,
                              char *why, size_t whylen);
/* An external address as the IGD gives it: a unicast IPv4 or IPv6 literal. 0 or -1.
 * (upnp_pm_mapping.c: every target) */
int rtcpm_upnp_igd_parse_external(const char *text, rtcpm_addr *out);

#endif /* RTCPM_PM_UPNP_IGD_H */
