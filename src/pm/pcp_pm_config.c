/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcp_pm_config.c — the PCP port manager's settings: defaults, the [pcp] keys (one table for
 * the C struct and the INI file, pm_config.c), checks. Format and meaning:
 * include/rtcpm/pcp_pm.h and README "PCP port manager".
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "pm/pcp_pm_private.h"
#include "pm/pm_config.h"

void rtcpm_pcp_pm_config_init(struct rtcpm_pcp_pm_config *cfg)
{
    if (!cfg) return;
    memset(cfg, 0, sizeof(*cfg));
    cfg->protocol = RTCPM_PCP_PM_AUTO;
    cfg->lifetime_s = 7200;
    cfg->timeout_ms = 3000;
    cfg->rto_ms = 250;
    cfg->announce = 1;
    cfg->announce_port = RTCPM_PCP_ANNOUNCE_PORT;
    cfg->peer = 0; /* off: the one NAT tried (miniupnpd 2.3.1) writes its PEER rule backwards */
}

static const char *const protocols[] = { "auto", "pcp", "nat-pmp", NULL };

#define F(m) offsetof(struct rtcpm_pcp_pm_config, m)
static const struct rtcpm_pmc_key pcp_keys[] = {
    { "server", RTCPM_PMC_STRING, F(server), 0, 0, NULL, NULL, rtcpm_pm_server_pair_check },
    { "local-address", RTCPM_PMC_STRING, F(local_address), 0, 0, NULL, NULL, rtcpm_pm_local_addresses_check },
    { "protocol", RTCPM_PMC_CHOICE, F(protocol), 0, 0, NULL, protocols, NULL },
    { "lifetime", RTCPM_PMC_LONG, F(lifetime_s), 1, 604800, " s", NULL, NULL },
    { "timeout", RTCPM_PMC_LONG, F(timeout_ms), 1, 600000, " ms", NULL, NULL },
    { "rto", RTCPM_PMC_LONG, F(rto_ms), 1, 60000, " ms", NULL, NULL },
    { "announce", RTCPM_PMC_FLAG, F(announce), 0, 0, NULL, NULL, NULL },
    { "announce-port", RTCPM_PMC_LONG, F(announce_port), 1, 65535, "", NULL, NULL },
    { "peer", RTCPM_PMC_FLAG, F(peer), 0, 0, NULL, NULL, NULL },
};
static const struct rtcpm_pmc_section pcp_sections[] = { { "pcp", pcp_keys, sizeof(pcp_keys) / sizeof(pcp_keys[0]) } };
const struct rtcpm_pmc_schema rtcpm_pcp_pm_schema = { pcp_sections, 1, "pcp", F(ranges), F(range_count) };
#undef F

_Static_assert(RTCPM_PCP_PM_CONFIG_STORAGE >= 2 * RTCPM_PMC_STRING_CAP, "config storage too small");

HRESULT rtcpm_pcp_pm_settings_make(const struct rtcpm_pcp_pm_config *cfg, struct pcp_pm_settings *out, char *err,
                                   size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (FAILED(rtcpm_pmc_check(&rtcpm_pcp_pm_schema, cfg, out->ranges, &out->range_count, err, errlen)))
        return E_INVALIDARG;
    if (cfg->server && *cfg->server)
        rtcpm_pm_server_list(cfg->server, 1, out->servers, 2, &out->server_count, err, errlen);
    if (cfg->local_address && *cfg->local_address)
        rtcpm_pm_local_addresses(cfg->local_address, &out->local_v4, &out->local_v6, err, errlen);
    out->protocol = (int)cfg->protocol;
    out->lifetime_s = (uint32_t)cfg->lifetime_s;
    out->timeout_ms = (uint32_t)cfg->timeout_ms;
    out->rto_ms = (uint32_t)cfg->rto_ms;
    out->announce = (int)cfg->announce;
    out->announce_port = (uint16_t)cfg->announce_port;
    out->peer = (int)cfg->peer;
    return S_OK;
}

HRESULT rtcpm_pcp_pm_parse_config(const char *text, size_t len, const char *name, struct rtcpm_pcp_pm_config *cfg,
                                  char *storage, size_t storage_len, char *err, size_t errlen)
{
    if (err && errlen) err[0] = 0;
    if (!text || !cfg || !storage) return E_POINTER;
    rtcpm_pcp_pm_config_init(cfg);
    return rtcpm_pmc_parse(&rtcpm_pcp_pm_schema, text, len, name, cfg, storage, storage_len, err, errlen);
}
