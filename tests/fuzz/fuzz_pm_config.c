/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_pm_config.c — the INI configs of the port managers that negotiate with the NAT
 * (rtcpm_pcp_pm_parse_config, rtcpm_upnp_pm_parse_config, rtcpm_auto_pm_parse_config: the
 * table-driven sections of src/pm/pm_config.c and the [ports] sections) on arbitrary bytes. The
 * first byte picks the config (odd: UPnP; even below 0x80: PCP; even from 0x80: automatic);
 * the rest is the file.
 *
 * Beyond "no crash, no read past the input":
 *  - the result is S_OK or E_INVALIDARG; a failure's message is "fuzz.ini:<line>: ..." or
 *    "fuzz.ini: ...", and the same message cut short in an 8-byte buffer;
 *  - whatever the INI reader accepts, the C struct's checks accept too (one table for both);
 *  - parse -> write back as INI (rtcpm_pmc_write) -> parse gives the same config, field by
 *    field and string by string.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_check.h"
#include "pm/auto_pm_private.h"
#include "pm/pcp_pm_private.h"
#include "pm/upnp_pm_private.h"

static int same_text(const char *a, const char *b) { return !strcmp(a ? a : "", b ? b : ""); }

static void check_message(const char *err)
{
    int line;
    char rest;
    FUZZ_CHECK(!strncmp(err, "fuzz.ini:", 9) || !strncmp(err, "fuzz.ini", 8));
    if (err[9] != ' ') FUZZ_CHECK(sscanf(err + 9, "%d%c", &line, &rest) == 2 && line >= 1 && rest == ':');
}

static void check_pcp(const char *text, size_t len)
{
    static char storage[RTCPM_PCP_PM_CONFIG_STORAGE], storage2[RTCPM_PCP_PM_CONFIG_STORAGE], out[8192];
    struct rtcpm_pcp_pm_config cfg, back;
    struct pcp_pm_settings set;
    char err[300], small[8];
    HRESULT hr = rtcpm_pcp_pm_parse_config(text, len, "fuzz.ini", &cfg, storage, sizeof(storage), err, sizeof(err));
    size_t n;
    FUZZ_CHECK(hr == S_OK || hr == E_INVALIDARG);
    if (FAILED(hr))
    {
        check_message(err);
        FUZZ_CHECK(rtcpm_pcp_pm_parse_config(text, len, "fuzz.ini", &back, storage2, sizeof(storage2), small,
                                             sizeof(small)) == hr);
        FUZZ_CHECK(!strncmp(small, err, sizeof(small) - 1) && strlen(small) < sizeof(small));
        return;
    }
    FUZZ_CHECK(rtcpm_pcp_pm_settings_make(&cfg, &set, err, sizeof(err)) == S_OK);
    n = rtcpm_pmc_write(&rtcpm_pcp_pm_schema, &cfg, out, sizeof(out));
    FUZZ_CHECK(n < sizeof(out));
    FUZZ_CHECK(rtcpm_pcp_pm_parse_config(out, n, "fuzz.ini", &back, storage2, sizeof(storage2), err, sizeof(err)) ==
               S_OK);
    FUZZ_CHECK(same_text(cfg.server, back.server) && same_text(cfg.local_address, back.local_address));
    FUZZ_CHECK(cfg.protocol == back.protocol && cfg.lifetime_s == back.lifetime_s &&
               cfg.timeout_ms == back.timeout_ms && cfg.rto_ms == back.rto_ms && cfg.announce == back.announce &&
               cfg.announce_port == back.announce_port);
    FUZZ_CHECK(cfg.range_count == back.range_count);
    for (n = 0; n < (size_t)cfg.range_count; n++)
    {
        const struct rtcpm_port_range *a = &cfg.ranges[n], *b = &back.ranges[n];
        FUZZ_CHECK(a->port_type == b->port_type && a->first == b->first && (a->last ? a->last : a->first) == b->last);
        FUZZ_CHECK((a->transports ? a->transports : RTCTR_UDP) == b->transports);
    }
}

static void check_upnp(const char *text, size_t len)
{
    static char storage[RTCPM_UPNP_PM_CONFIG_STORAGE], storage2[RTCPM_UPNP_PM_CONFIG_STORAGE], out[8192];
    struct rtcpm_upnp_pm_config cfg, back;
    struct upnp_pm_settings set;
    char err[300];
    HRESULT hr = rtcpm_upnp_pm_parse_config(text, len, "fuzz.ini", &cfg, storage, sizeof(storage), err, sizeof(err));
    size_t n;
    FUZZ_CHECK(hr == S_OK || hr == E_INVALIDARG);
    if (FAILED(hr))
    {
        check_message(err);
        return;
    }
    FUZZ_CHECK(rtcpm_upnp_pm_settings_make(&cfg, &set, err, sizeof(err)) == S_OK);
    n = rtcpm_pmc_write(&rtcpm_upnp_pm_schema, &cfg, out, sizeof(out));
    FUZZ_CHECK(n < sizeof(out));
    FUZZ_CHECK(rtcpm_upnp_pm_parse_config(out, n, "fuzz.ini", &back, storage2, sizeof(storage2), err, sizeof(err)) ==
               S_OK);
    FUZZ_CHECK(same_text(cfg.igd_url, back.igd_url) && same_text(cfg.stun, back.stun) &&
               same_text(cfg.local_address, back.local_address) && same_text(cfg.description, back.description));
    FUZZ_CHECK(cfg.lifetime_s == back.lifetime_s && cfg.timeout_ms == back.timeout_ms &&
               cfg.discover_ms == back.discover_ms && cfg.range_count == back.range_count);
}

static void check_auto(const char *text, size_t len)
{
    static char storage[RTCPM_AUTO_PM_CONFIG_STORAGE], storage2[RTCPM_AUTO_PM_CONFIG_STORAGE], out[8192];
    struct rtcpm_auto_pm_config cfg, back;
    struct auto_pm_settings set;
    char err[300];
    HRESULT hr = rtcpm_auto_pm_parse_config(text, len, "fuzz.ini", &cfg, storage, sizeof(storage), err, sizeof(err));
    size_t n;
    FUZZ_CHECK(hr == S_OK || hr == E_INVALIDARG);
    if (FAILED(hr))
    {
        check_message(err);
        return;
    }
    FUZZ_CHECK(rtcpm_auto_pm_settings_make(&cfg, &set, err, sizeof(err)) == S_OK);
    n = rtcpm_pmc_write(&rtcpm_auto_pm_schema, &cfg, out, sizeof(out));
    FUZZ_CHECK(n < sizeof(out));
    FUZZ_CHECK(rtcpm_auto_pm_parse_config(out, n, "fuzz.ini", &back, storage2, sizeof(storage2), err, sizeof(err)) ==
               S_OK);
    FUZZ_CHECK(same_text(cfg.mechanisms, back.mechanisms) && same_text(cfg.stun, back.stun) &&
               same_text(cfg.pcp_server, back.pcp_server) && same_text(cfg.upnp_igd, back.upnp_igd) &&
               same_text(cfg.local_address, back.local_address));
    FUZZ_CHECK(cfg.lifetime_s == back.lifetime_s && cfg.timeout_ms == back.timeout_ms &&
               cfg.probe_timeout_ms == back.probe_timeout_ms && cfg.range_count == back.range_count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;
    if (!size) return 0;
    text = fuzz_alloc(size - 1 ? size - 1 : 1);
    if (size > 1) memcpy(text, data + 1, size - 1);
    if (data[0] & 1)
        check_upnp(text, size - 1);
    else if (data[0] & 0x80)
        check_auto(text, size - 1);
    else
        check_pcp(text, size - 1);
    free(text);
    return 0;
}
