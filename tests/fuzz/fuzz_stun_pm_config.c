/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_stun_pm_config.c — the STUN port manager's INI config (rtcpm_stun_pm_parse_config,
 * on the generic reader of src/pm/config.c) on arbitrary bytes.
 *
 * Beyond "no crash, no read past the input" (an exact-size heap block, no NUL terminator):
 *  - the result is S_OK or E_INVALIDARG; a failure's message is "fuzz.ini:<line>: ..." or
 *    "fuzz.ini: ...", NUL-terminated, and the same message cut short when err is tiny;
 *  - whatever the INI reader accepts, the C struct's checks accept too
 *    (rtcpm_stun_pm_settings_make: every value was checked at its line, nothing is left for
 *    rtcpm_stun_pm_create_* to reject without a line);
 *  - parse -> write the config back as INI -> parse gives the same config, field by field
 *    (the writer is here; the servers/local strings compare as text).
 * No port manager is created: that would start a worker thread and send packets.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_check.h"
#include "pm/stun_pm_private.h"
#include "pm/config.h"

#define STORAGE RTCPM_STUN_PM_CONFIG_STORAGE

static const char *flag(LONG v) { return v ? "on" : "off"; }

/* The config as INI text the parser must read back identically. */
static size_t write_ini(const struct rtcpm_stun_pm_config *c, char *out, size_t cap)
{
    static const char *const tcp[] = { "stun", "preserve", "off" };
    size_t n = 0;
    LONG i;
#define PUT(...) n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, __VA_ARGS__)
    /* no blanks around '=': the line is never longer than the one it came from */
    PUT("[stun]\nservers=%s\n", c->servers);
    if (c->local_addresses) PUT("local-address=%s\n", c->local_addresses);
    PUT("timeout = %ld\nserver-timeout = %ld\nrto = %ld\nretransmissions = %ld\n", (long)c->timeout_ms,
        (long)c->server_timeout_ms, (long)c->rto_ms, (long)c->retransmissions);
    PUT("classic = %s\nsymmetric-check = %s\nwarm-up = %s\n", flag(c->classic), flag(c->symmetric_check),
        flag(c->warm_up));
    PUT("symmetric-check-age = %ld\ncache-age = %ld\nrefresh = %ld\ntcp = %s\n", (long)c->symmetric_check_age_s,
        (long)c->cache_age_s, (long)c->refresh_s, tcp[c->tcp]);
    for (i = 0; i < c->range_count; i++)
    {
        const struct rtcpm_stun_pm_range *r = &c->ranges[i];
        PUT("[ports %s]\nrange = %ld-%ld\n", rtcpm_cfg_port_type_name((int)r->port_type), (long)r->first,
            (long)r->last);
        if (r->transports) /* 0: the key was left out (UDP) */
            PUT("transport =%s%s%s\n", (r->transports & RTCTR_UDP) ? " udp" : "",
                (r->transports & RTCTR_TCP) ? " tcp" : "", (r->transports & RTCTR_TLS) ? " tls" : "");
    }
#undef PUT
    return n;
}

static int same_text(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return !strcmp(a, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rtcpm_stun_pm_config cfg, again;
    char *storage = fuzz_alloc(STORAGE), *storage2 = fuzz_alloc(STORAGE);
    char *text = fuzz_alloc(size);
    char err[512], tiny[8];
    HRESULT hr, hr2;

    memcpy(text, data, size);
    hr = rtcpm_stun_pm_parse_config(text, size, "fuzz.ini", &cfg, storage, STORAGE, err, sizeof(err));
    FUZZ_CHECK(hr == S_OK || hr == E_INVALIDARG);
    FUZZ_CHECK(memchr(err, 0, sizeof(err)) != NULL);
    hr2 = rtcpm_stun_pm_parse_config(text, size, "fuzz.ini", &again, storage2, STORAGE, tiny, sizeof(tiny));
    FUZZ_CHECK(hr2 == hr);
    if (FAILED(hr))
    {
        FUZZ_CHECK(!strncmp(err, "fuzz.ini:", 9));
        FUZZ_CHECK(strlen(tiny) == sizeof(tiny) - 1 && !strncmp(tiny, err, sizeof(tiny) - 1));
    }
    else
    {
        struct stun_pm_settings *set = fuzz_alloc(sizeof(*set));
        char why[256], *ini = fuzz_alloc(65536);
        size_t n;
        LONG i;

        FUZZ_CHECK(err[0] == 0 && tiny[0] == 0);
        FUZZ_CHECK(cfg.servers != NULL);
        hr = rtcpm_stun_pm_settings_make(&cfg, set, why, sizeof(why));
        if (FAILED(hr)) fprintf(stderr, "accepted by the INI reader, refused by the struct checks: %s\n", why);
        FUZZ_CHECK(hr == S_OK);
        free(set);

        n = write_ini(&cfg, ini, 65536);
        FUZZ_CHECK(n < 65536);
        hr = rtcpm_stun_pm_parse_config(ini, n, "fuzz.ini", &again, storage2, STORAGE, err, sizeof(err));
        if (FAILED(hr)) fprintf(stderr, "written back, refused: %s\n%s", err, ini);
        FUZZ_CHECK(hr == S_OK);
        FUZZ_CHECK(same_text(cfg.servers, again.servers));
        FUZZ_CHECK(same_text(cfg.local_addresses, again.local_addresses));
        FUZZ_CHECK(cfg.timeout_ms == again.timeout_ms && cfg.server_timeout_ms == again.server_timeout_ms);
        FUZZ_CHECK(cfg.rto_ms == again.rto_ms && cfg.retransmissions == again.retransmissions);
        FUZZ_CHECK(cfg.classic == again.classic && cfg.symmetric_check == again.symmetric_check);
        FUZZ_CHECK(cfg.warm_up == again.warm_up && cfg.tcp == again.tcp);
        FUZZ_CHECK(cfg.symmetric_check_age_s == again.symmetric_check_age_s);
        FUZZ_CHECK(cfg.cache_age_s == again.cache_age_s && cfg.refresh_s == again.refresh_s);
        FUZZ_CHECK(cfg.range_count == again.range_count);
        for (i = 0; i < cfg.range_count; i++)
            FUZZ_CHECK(!memcmp(&cfg.ranges[i], &again.ranges[i], sizeof(cfg.ranges[i])));
        free(ini);
    }
    free(text);
    free(storage);
    free(storage2);
    return 0;
}
