/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * upnp_igd_none.c — a build without a UPnP IGD implementation (natively without
 * libminiupnpc, e.g. the -m32 build where Debian's i386 package is not installed): the UPnP
 * port manager cannot be made (E_NOTIMPL), and says why. See upnp_igd.h.
 */
#include "pm/config.h"
#include "pm/upnp_igd.h"

HRESULT rtcpm_upnp_igd_open(const struct rtcpm_upnp_igd_options *opt, struct rtcpm_upnp_igd **out)
{
    (void)opt;
    *out = NULL;
    return E_NOTIMPL;
}

void rtcpm_upnp_igd_close(struct rtcpm_upnp_igd *igd) { (void)igd; }
void rtcpm_upnp_igd_forget(struct rtcpm_upnp_igd *igd) { (void)igd; }

HRESULT rtcpm_upnp_igd_find(struct rtcpm_upnp_igd *igd, uint64_t deadline, rtcpm_addr *lan, rtcpm_addr *external,
                            char *what, size_t whatlen, char *why, size_t whylen)
{
    (void)igd, (void)deadline, (void)lan, (void)external, (void)what, (void)whatlen;
    rtcpm_cfg_set_err(why, whylen, "built without a UPnP implementation (libminiupnpc)");
    return E_NOTIMPL;
}

HRESULT rtcpm_upnp_igd_add(struct rtcpm_upnp_igd *igd, int tcp, uint16_t ext, const rtcpm_addr *internal,
                           uint32_t lease_s, uint64_t deadline, uint16_t *got, rtcpm_addr *external, int *upnp_error,
                           char *why, size_t whylen)
{
    (void)igd, (void)tcp, (void)ext, (void)internal, (void)lease_s, (void)deadline, (void)got, (void)external,
        (void)upnp_error;
    rtcpm_cfg_set_err(why, whylen, "built without a UPnP implementation (libminiupnpc)");
    return E_NOTIMPL;
}

HRESULT rtcpm_upnp_igd_remove(struct rtcpm_upnp_igd *igd, int tcp, uint16_t ext, uint64_t deadline, char *why,
                              size_t whylen)
{
    (void)igd, (void)tcp, (void)ext, (void)deadline;
    rtcpm_cfg_set_err(why, whylen, "built without a UPnP implementation (libminiupnpc)");
    return E_NOTIMPL;
}
