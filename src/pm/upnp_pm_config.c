/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * upnp_pm_config.c — the UPnP IGD port manager's settings: defaults, the [upnp] keys (one
 * table for the C struct and the INI file, pm_config.c), checks. Format and meaning:
 * include/rtcpm/upnp_pm.h and README "UPnP IGD port manager".
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "pm/upnp_pm_private.h"

void rtcpm_upnp_pm_config_init(struct rtcpm_upnp_pm_config *cfg)
{
    if (!cfg) return;
    memset(cfg, 0, sizeof(*cfg));
    cfg->lifetime_s = 3600;
    cfg->timeout_ms = 3000;
    cfg->discover_ms = 2000;
}

static int check_url(const char *value, char *why, size_t whylen)
{
    const char *p;
    if (strncmp(value, "http://", 7) || !value[7] || value[7] == '/' || strlen(value) >= RTCPM_UPNP_URL_MAX)
        return rtcpm_cfg_set_err(why, whylen, "'%.80s' is not http://host[:port]/path", value), -1;
    for (p = value; *p; p++)
        if (*p <= ' ' || *p > '~') return rtcpm_cfg_set_err(why, whylen, "'%.80s' has a space or non-ASCII", value), -1;
    return 0;
}

static int check_description(const char *value, char *why, size_t whylen)
{
    if (strlen(value) >= 128) return rtcpm_cfg_set_err(why, whylen, "longer than 127 characters"), -1;
    return 0;
}

#define F(m) offsetof(struct rtcpm_upnp_pm_config, m)
static const struct rtcpm_pmc_key upnp_keys[] = {
    { "igd", RTCPM_PMC_STRING, F(igd_url), 0, 0, NULL, NULL, check_url },
    { "stun", RTCPM_PMC_STRING, F(stun), 0, 0, NULL, NULL, rtcpm_pm_server_check },
    { "local-address", RTCPM_PMC_STRING, F(local_address), 0, 0, NULL, NULL, rtcpm_pm_local_addresses_check },
    { "description", RTCPM_PMC_STRING, F(description), 0, 0, NULL, NULL, check_description },
    { "lifetime", RTCPM_PMC_LONG, F(lifetime_s), 0, 604800, " s", NULL, NULL },
    { "timeout", RTCPM_PMC_LONG, F(timeout_ms), 1, 600000, " ms", NULL, NULL },
    { "discover", RTCPM_PMC_LONG, F(discover_ms), 100, 60000, " ms", NULL, NULL },
};
static const struct rtcpm_pmc_section upnp_sections[] = { { "upnp", upnp_keys,
                                                            sizeof(upnp_keys) / sizeof(upnp_keys[0]) } };
const struct rtcpm_pmc_schema rtcpm_upnp_pm_schema = { upnp_sections, 1, "upnp", F(ranges), F(range_count) };
#undef F

_Static_assert(RTCPM_UPNP_PM_CONFIG_STORAGE >= 4 * RTCPM_PMC_STRING_CAP, "config storage too small");

HRESULT rtcpm_upnp_pm_settings_make(const struct rtcpm_upnp_pm_config *cfg, struct upnp_pm_settings *out, char *err,
                                    size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (FAILED(rtcpm_pmc_check(&rtcpm_upnp_pm_schema, cfg, out->ranges, &out->range_count, err, errlen)))
        return E_INVALIDARG;
    if (cfg->igd_url) snprintf(out->igd_url, sizeof(out->igd_url), "%s", cfg->igd_url);
    if (cfg->stun) snprintf(out->stun, sizeof(out->stun), "%s", cfg->stun);
    snprintf(out->description, sizeof(out->description), "%s",
             cfg->description && *cfg->description ? cfg->description : "rtcpm");
    if (cfg->local_address && *cfg->local_address)
        rtcpm_pm_local_addresses(cfg->local_address, &out->local_v4, &out->local_v6, err, errlen);
    out->lifetime_s = (uint32_t)cfg->lifetime_s;
    out->timeout_ms = (uint32_t)cfg->timeout_ms;
    out->discover_ms = (uint32_t)cfg->discover_ms;
    return S_OK;
}

HRESULT rtcpm_upnp_pm_parse_config(const char *text, size_t len, const char *name, struct rtcpm_upnp_pm_config *cfg,
                                   char *storage, size_t storage_len, char *err, size_t errlen)
{
    if (err && errlen) err[0] = 0;
    if (!text || !cfg || !storage) return E_POINTER;
    rtcpm_upnp_pm_config_init(cfg);
    return rtcpm_pmc_parse(&rtcpm_upnp_pm_schema, text, len, name, cfg, storage, storage_len, err, errlen);
}
