/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * auto_pm_config.c — the automatic port manager's settings: defaults, the [auto] keys (one
 * table for the C struct and the INI file, pm_config.c), the mechanism list. Format and
 * meaning: include/rtcpm/auto_pm.h and README "Automatic port manager".
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm/auto_pm_private.h"

static const char *const mech_names[MECH_COUNT] = { "pcp", "nat-pmp", "upnp", "stun", "local" };

const char *rtcpm_auto_pm_mech_name(int mech)
{
    static const char *const shown[MECH_COUNT] = { "PCP", "NAT-PMP", "UPnP", "STUN", "local" };
    return mech >= 0 && mech < MECH_COUNT ? shown[mech] : "";
}

void rtcpm_auto_pm_config_init(struct rtcpm_auto_pm_config *cfg)
{
    if (!cfg) return;
    memset(cfg, 0, sizeof(*cfg));
    cfg->lifetime_s = 7200;
    cfg->timeout_ms = 3000;
    cfg->probe_timeout_ms = 8000;
}

/* "pcp, upnp, local" -> order[]; 0, or -1 with why. */
static int parse_mechanisms(const char *text, int *order, size_t *count, char *why, size_t whylen)
{
    const char *p = text;
    size_t n = 0;
    while (*p)
    {
        char word[16];
        size_t len = 0, k, i;
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (!*p) break;
        while (p[len] && p[len] != ',' && p[len] != ' ' && p[len] != '\t') len++;
        if (len >= sizeof(word)) len = sizeof(word) - 1;
        memcpy(word, p, len);
        word[len] = 0;
        p += len;
        while (*p && *p != ',' && *p != ' ' && *p != '\t') p++;
        for (k = 0; k < MECH_COUNT && !rtcpm_cfg_streq(word, mech_names[k]); k++)
        {
        }
        if (k == MECH_COUNT)
            return rtcpm_cfg_set_err(why, whylen, "'%s' is not pcp, nat-pmp, upnp, stun or local", word), -1;
        for (i = 0; i < n; i++)
            if (order[i] == (int)k) return rtcpm_cfg_set_err(why, whylen, "'%s' given twice", word), -1;
        order[n++] = (int)k;
    }
    if (!n) return rtcpm_cfg_set_err(why, whylen, "no mechanism given"), -1;
    *count = n;
    return 0;
}

static int check_mechanisms(const char *value, char *why, size_t whylen)
{
    int order[MECH_COUNT];
    size_t n;
    return parse_mechanisms(value, order, &n, why, whylen);
}

static int check_stun(const char *value, char *why, size_t whylen)
{
    return rtcpm_pm_server_list(value, 0, NULL, 8, NULL, why, whylen);
}

static int check_url(const char *value, char *why, size_t whylen)
{
    if (strncmp(value, "http://", 7) || !value[7] || strchr(value, ' '))
        return rtcpm_cfg_set_err(why, whylen, "'%.80s' is not http://host[:port]/path", value), -1;
    return 0;
}

#define F(m) offsetof(struct rtcpm_auto_pm_config, m)
static const struct rtcpm_pmc_key auto_keys[] = {
    { "mechanisms", RTCPM_PMC_STRING, F(mechanisms), 0, 0, NULL, NULL, check_mechanisms },
    { "stun", RTCPM_PMC_STRING, F(stun), 0, 0, NULL, NULL, check_stun },
    { "pcp-server", RTCPM_PMC_STRING, F(pcp_server), 0, 0, NULL, NULL, rtcpm_pm_server_pair_check },
    { "upnp-igd", RTCPM_PMC_STRING, F(upnp_igd), 0, 0, NULL, NULL, check_url },
    { "local-address", RTCPM_PMC_STRING, F(local_address), 0, 0, NULL, NULL, rtcpm_pm_local_addresses_check },
    { "lifetime", RTCPM_PMC_LONG, F(lifetime_s), 1, 604800, " s", NULL, NULL },
    { "timeout", RTCPM_PMC_LONG, F(timeout_ms), 1, 600000, " ms", NULL, NULL },
    { "probe-timeout", RTCPM_PMC_LONG, F(probe_timeout_ms), 100, 600000, " ms", NULL, NULL },
};
static const struct rtcpm_pmc_section auto_sections[] = { { "auto", auto_keys,
                                                            sizeof(auto_keys) / sizeof(auto_keys[0]) } };
const struct rtcpm_pmc_schema rtcpm_auto_pm_schema = { auto_sections, 1, "auto", F(ranges), F(range_count) };
#undef F

_Static_assert(RTCPM_AUTO_PM_CONFIG_STORAGE >= 5 * RTCPM_PMC_STRING_CAP, "config storage too small");

static void copy(char *dst, size_t cap, const char *src) { snprintf(dst, cap, "%s", src ? src : ""); }

HRESULT rtcpm_auto_pm_settings_make(const struct rtcpm_auto_pm_config *cfg, struct auto_pm_settings *out, char *err,
                                    size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (FAILED(rtcpm_pmc_check(&rtcpm_auto_pm_schema, cfg, out->ranges, &out->range_count, err, errlen)))
        return E_INVALIDARG;
    parse_mechanisms(cfg->mechanisms && *cfg->mechanisms ? cfg->mechanisms : "pcp, nat-pmp, upnp, stun, local",
                     out->order, &out->order_count, err, errlen);
    copy(out->stun, sizeof(out->stun), cfg->stun);
    copy(out->pcp_server, sizeof(out->pcp_server), cfg->pcp_server);
    copy(out->upnp_igd, sizeof(out->upnp_igd), cfg->upnp_igd);
    copy(out->local_address, sizeof(out->local_address), cfg->local_address);
    if (out->local_address[0]) rtcpm_pm_local_addresses(out->local_address, &out->local_v4, NULL, err, errlen);
    out->lifetime_s = (uint32_t)cfg->lifetime_s;
    out->timeout_ms = (uint32_t)cfg->timeout_ms;
    out->probe_timeout_ms = (uint32_t)cfg->probe_timeout_ms;
    out->pub_range_count = cfg->range_count;
    memcpy(out->pub_ranges, cfg->ranges, sizeof(out->pub_ranges));
    return S_OK;
}

HRESULT rtcpm_auto_pm_parse_config(const char *text, size_t len, const char *name, struct rtcpm_auto_pm_config *cfg,
                                   char *storage, size_t storage_len, char *err, size_t errlen)
{
    if (err && errlen) err[0] = 0;
    if (!text || !cfg || !storage) return E_POINTER;
    rtcpm_auto_pm_config_init(cfg);
    return rtcpm_pmc_parse(&rtcpm_auto_pm_schema, text, len, name, cfg, storage, storage_len, err, errlen);
}
