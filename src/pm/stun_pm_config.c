/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stun_pm_config.c — the STUN port manager's settings: defaults, checks (one set of limits
 * for the C struct and the INI file), the INI sections [stun] and [ports <type>] on the
 * generic reader of config.c. The address lists (servers, local addresses) are parsed in
 * stun_pm_servers.c. The create functions that take them are the object's (stun_pm.c).
 * Format and meaning: include/rtcpm/stun_pm.h and README "STUN port manager".
 */
#include <stdio.h>
#include <string.h>
#include "pm/stun_pm_private.h"
#include "pm/config.h"
#include "net/stun_client.h"

/* two strings (servers, local addresses) of at most one line each */
_Static_assert(RTCPM_STUN_PM_CONFIG_STORAGE >= 2 * (RTCPM_INI_LINE_MAX + 1), "config storage too small");

void rtcpm_stun_pm_config_init(struct rtcpm_stun_pm_config *cfg)
{
    if (!cfg) return;
    memset(cfg, 0, sizeof(*cfg));
    cfg->timeout_ms = 3000;
    cfg->server_timeout_ms = 0;
    cfg->rto_ms = 250;
    cfg->retransmissions = 6;
    cfg->classic = 0;
    cfg->symmetric_check = 1;
    cfg->symmetric_check_age_s = 300;
    cfg->cache_age_s = 20;
    cfg->warm_up = 1;
    cfg->refresh_s = 0;
    cfg->tcp = RTCPM_STUN_PM_TCP_STUN;
}

/* ---- limits: one table for the C struct and the INI keys ---- */

struct num_field
{
    const char *key; /* INI key */
    size_t offset;   /* in struct rtcpm_stun_pm_config */
    LONG min, max;
    const char *unit;
};

#define FIELD(m) offsetof(struct rtcpm_stun_pm_config, m)
static const struct num_field num_fields[] = {
    { "timeout", FIELD(timeout_ms), 1, 600000, " ms" },
    { "server-timeout", FIELD(server_timeout_ms), 0, 600000, " ms" },
    { "rto", FIELD(rto_ms), 1, 60000, " ms" },
    { "retransmissions", FIELD(retransmissions), 0, 31, "" },
    { "symmetric-check-age", FIELD(symmetric_check_age_s), 0, 604800, " s" },
    { "cache-age", FIELD(cache_age_s), 0, 86400, " s" },
    { "refresh", FIELD(refresh_s), 0, 86400, " s" },
};

struct flag_field
{
    const char *key;
    size_t offset;
};

static const struct flag_field flag_fields[] = {
    { "classic", FIELD(classic) },
    { "symmetric-check", FIELD(symmetric_check) },
    { "warm-up", FIELD(warm_up) },
};

static LONG *field_at(struct rtcpm_stun_pm_config *cfg, size_t offset) { return (LONG *)((char *)cfg + offset); }
static LONG field_value(const struct rtcpm_stun_pm_config *cfg, size_t offset)
{
    return *(const LONG *)((const char *)cfg + offset);
}

/* One range's checks; 0 or -1 with the reason. */
static int range_check(const struct rtcpm_stun_pm_range *r, struct rtcpm_pm_port_range *out, char *err, size_t errlen)
{
    LONG last = r->last ? r->last : r->first;
    unsigned transports = r->transports ? (unsigned)r->transports : RTCTR_UDP;

    if (r->port_type != RTCPM_PORT_TYPE_ANY && (r->port_type < RTCPT_AUDIO_RTP || r->port_type > RTCPT_SIP))
    {
        rtcpm_cfg_set_err(err, errlen, "port type %ld is not 0..4 or RTCPM_PORT_TYPE_ANY", (long)r->port_type);
        return -1;
    }
    if (transports & ~(unsigned)(RTCTR_UDP | RTCTR_TCP | RTCTR_TLS))
    {
        rtcpm_cfg_set_err(err, errlen, "transports 0x%lx: not a set of RTCTR_UDP, RTCTR_TCP, RTCTR_TLS",
                          (long)r->transports);
        return -1;
    }
    if (r->first < 1 || r->first > 65535 || last < 1 || last > 65535)
    {
        rtcpm_cfg_set_err(err, errlen, "port %ld is outside 1..65535",
                          (long)(r->first < 1 || r->first > 65535 ? r->first : last));
        return -1;
    }
    if (last < r->first)
    {
        rtcpm_cfg_set_err(err, errlen, "port range %ld-%ld ends before it starts", (long)r->first, (long)last);
        return -1;
    }
    if (rtcpm_pm_is_rtp((int)r->port_type) && (r->first + 1 + (r->first & 1)) > last)
    {
        rtcpm_cfg_set_err(err, errlen,
                          "%s range %ld-%ld holds no even port followed by an odd one (RTP even, RTCP = RTP + 1)",
                          rtcpm_cfg_port_type_name((int)r->port_type), (long)r->first, (long)last);
        return -1;
    }
    out->port_type = (int)r->port_type;
    out->transports = transports;
    out->first = (uint16_t)r->first;
    out->last = (uint16_t)last;
    return 0;
}

/* The numeric and on/off fields and how they relate: 0, or -1 with err set. */
static int check_fields(const struct rtcpm_stun_pm_config *cfg, char *err, size_t errlen)
{
    size_t i;

    for (i = 0; i < sizeof(num_fields) / sizeof(num_fields[0]); i++)
    {
        LONG v = field_value(cfg, num_fields[i].offset);
        if (v < num_fields[i].min || v > num_fields[i].max)
        {
            rtcpm_cfg_set_err(err, errlen, "%s %ld is outside %ld..%ld%s", num_fields[i].key, (long)v,
                              (long)num_fields[i].min, (long)num_fields[i].max, num_fields[i].unit);
            return -1;
        }
    }
    for (i = 0; i < sizeof(flag_fields) / sizeof(flag_fields[0]); i++)
    {
        LONG v = field_value(cfg, flag_fields[i].offset);
        if (v != 0 && v != 1)
        {
            rtcpm_cfg_set_err(err, errlen, "%s %ld is not 0 (off) or 1 (on)", flag_fields[i].key, (long)v);
            return -1;
        }
    }
    if (cfg->server_timeout_ms > cfg->timeout_ms)
    {
        rtcpm_cfg_set_err(err, errlen, "server-timeout %ld ms is longer than timeout %ld ms",
                          (long)cfg->server_timeout_ms, (long)cfg->timeout_ms);
        return -1;
    }
    if (cfg->tcp < RTCPM_STUN_PM_TCP_STUN || cfg->tcp > RTCPM_STUN_PM_TCP_OFF)
    {
        rtcpm_cfg_set_err(err, errlen, "tcp %ld is not a rtcpm_stun_pm_tcp value", (long)cfg->tcp);
        return -1;
    }
    return 0;
}

/* The port ranges, checked into out->ranges: 0, or -1 with err set. */
static int check_ranges(const struct rtcpm_stun_pm_config *cfg, struct stun_pm_settings *out, char *err, size_t errlen)
{
    size_t i;

    if (cfg->range_count < 0 || cfg->range_count > RTCPM_STUN_PM_MAX_RANGES)
    {
        rtcpm_cfg_set_err(err, errlen, "range_count %ld is outside 0..%d", (long)cfg->range_count,
                          RTCPM_STUN_PM_MAX_RANGES);
        return -1;
    }
    for (i = 0; i < (size_t)cfg->range_count; i++)
    {
        char why[200];
        if (range_check(&cfg->ranges[i], &out->ranges[i], why, sizeof(why)))
        {
            rtcpm_cfg_set_err(err, errlen, "range %u: %s", (unsigned)(i + 1), why);
            return -1;
        }
    }
    out->range_count = (size_t)cfg->range_count;
    return 0;
}

HRESULT rtcpm_stun_pm_settings_make(const struct rtcpm_stun_pm_config *cfg, struct stun_pm_settings *out, char *err,
                                    size_t errlen)
{
    memset(out, 0, sizeof(*out));
    err[0] = 0;
    if (rtcpm_stun_pm_parse_servers(cfg->servers, out->servers, out->names, &out->server_count, err, errlen))
        return E_INVALIDARG;
    if (rtcpm_stun_pm_parse_locals(cfg->local_addresses, &out->local_v4, &out->local_v6, err, errlen))
        return E_INVALIDARG;
    if (check_fields(cfg, err, errlen) || check_ranges(cfg, out, err, errlen)) return E_INVALIDARG;
    out->timeout_ms = (uint32_t)cfg->timeout_ms;
    out->server_timeout_ms = (uint32_t)cfg->server_timeout_ms;
    out->rto_ms = (uint32_t)cfg->rto_ms;
    out->retransmissions = (uint32_t)cfg->retransmissions;
    out->classic = (int)cfg->classic;
    out->symmetric_check = (int)cfg->symmetric_check;
    out->symmetric_check_age_s = (uint32_t)cfg->symmetric_check_age_s;
    out->cache_age_s = (uint32_t)cfg->cache_age_s;
    out->warm_up = (int)cfg->warm_up;
    out->refresh_s = (uint32_t)cfg->refresh_s;
    out->tcp = (int)cfg->tcp;
    return S_OK;
}

/* ---- INI ---- */

enum section_kind
{
    SECTION_NONE,
    SECTION_STUN,
    SECTION_PORTS
};

struct loader
{
    struct rtcpm_stun_pm_config *cfg;
    char *servers, *locals; /* storage for the two strings */
    size_t string_cap;
    enum section_kind section;
    int section_line, stun_line;
    int key_lines[32]; /* [stun]: line of each key given (duplicates), by key index */
    /* [ports]: the range being read */
    struct rtcpm_stun_pm_range range;
    int range_line, transport_line;
};

static const char *const stun_keys[] = { "servers", "local-address", "tcp" };
#define STUN_KEY_COUNT (sizeof(stun_keys) / sizeof(stun_keys[0]))
#define NUM_KEY_BASE   STUN_KEY_COUNT
#define FLAG_KEY_BASE  (NUM_KEY_BASE + sizeof(num_fields) / sizeof(num_fields[0]))
#define KEY_COUNT      (FLAG_KEY_BASE + sizeof(flag_fields) / sizeof(flag_fields[0]))

static const char *key_name(size_t k)
{
    if (k < NUM_KEY_BASE) return stun_keys[k];
    if (k < FLAG_KEY_BASE) return num_fields[k - NUM_KEY_BASE].key;
    return flag_fields[k - FLAG_KEY_BASE].key;
}

static int on_section(void *ctx, const char *name, const char *arg, struct rtcpm_ini_error *e)
{
    struct loader *l = ctx;
    int type;

    l->section = SECTION_NONE;
    l->section_line = e->line;
    if (rtcpm_cfg_streq(name, "stun"))
    {
        if (*arg) return rtcpm_ini_fail(e, "[stun] takes no argument");
        if (l->stun_line) return rtcpm_ini_fail(e, "second [stun] section (the first is at line %d)", l->stun_line);
        l->stun_line = e->line;
        l->section = SECTION_STUN;
        return 0;
    }
    if (rtcpm_cfg_streq(name, "ports"))
    {
        if (!*arg) return rtcpm_ini_fail(e, "[ports] needs a port type: " RTCPM_CFG_PORT_TYPES);
        if (rtcpm_cfg_port_type(arg, &type))
            return rtcpm_ini_fail(e, "unknown port type '%s' (expected " RTCPM_CFG_PORT_TYPES ")", arg);
        if (l->cfg->range_count == RTCPM_STUN_PM_MAX_RANGES)
            return rtcpm_ini_fail(e, "more than %d [ports] sections", RTCPM_STUN_PM_MAX_RANGES);
        memset(&l->range, 0, sizeof(l->range));
        l->range.port_type = type;
        l->range_line = l->transport_line = 0;
        l->section = SECTION_PORTS;
        return 0;
    }
    return rtcpm_ini_fail(e, "unknown section [%s%s%s] (expected [stun] or [ports <port type>])", name, *arg ? " " : "",
                          arg);
}

/* Decimal LONG, all digits. */
static int parse_long(const char *s, LONG *out)
{
    long v = 0;
    if (!*s) return -1;
    for (; *s; s++)
    {
        if (*s < '0' || *s > '9' || v > 100000000L) return -1;
        v = v * 10 + (*s - '0');
    }
    *out = (LONG)v;
    return 0;
}

static int parse_flag(const char *s, LONG *out)
{
    static const char *const on[] = { "on", "yes", "true", "1" }, *const off[] = { "off", "no", "false", "0" };
    size_t i;
    for (i = 0; i < 4; i++)
    {
        if (rtcpm_cfg_streq(s, on[i]))
        {
            *out = 1;
            return 0;
        }
        if (rtcpm_cfg_streq(s, off[i]))
        {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

/* servers, local-address and tcp: the keys whose value is text. */
static int stun_text_key(struct loader *l, size_t k, const char *value, struct rtcpm_ini_error *e)
{
    struct rtcpm_stun_pm_config *cfg = l->cfg;
    char why[200];

    if (k == 0) /* servers */
    {
        rtcpm_addr tmp[RTCPM_STUN_PM_MAX_SERVERS];
        char names[RTCPM_STUN_PM_MAX_SERVERS][RTCPM_PMC_SERVER_MAX];
        size_t n;
        if (rtcpm_stun_pm_parse_servers(value, tmp, names, &n, why, sizeof(why)))
            return rtcpm_ini_fail(e, "servers: %s", why);
        snprintf(l->servers, l->string_cap, "%s", value);
        cfg->servers = l->servers;
        return 0;
    }
    if (k == 1) /* local-address */
    {
        rtcpm_addr v4, v6;
        if (!*value) return rtcpm_ini_fail(e, "local-address: empty (leave the key out to pick by route)");
        if (rtcpm_stun_pm_parse_locals(value, &v4, &v6, why, sizeof(why))) return rtcpm_ini_fail(e, "%s", why);
        snprintf(l->locals, l->string_cap, "%s", value);
        cfg->local_addresses = l->locals;
        return 0;
    }
    /* tcp */
    if (rtcpm_cfg_streq(value, "stun"))
        cfg->tcp = RTCPM_STUN_PM_TCP_STUN;
    else if (rtcpm_cfg_streq(value, "preserve"))
        cfg->tcp = RTCPM_STUN_PM_TCP_PRESERVE;
    else if (rtcpm_cfg_streq(value, "off"))
        cfg->tcp = RTCPM_STUN_PM_TCP_OFF;
    else
        return rtcpm_ini_fail(e, "tcp: '%s' is not stun, preserve or off", value);
    return 0;
}

static int stun_key(struct loader *l, const char *key, const char *value, struct rtcpm_ini_error *e)
{
    struct rtcpm_stun_pm_config *cfg = l->cfg;
    size_t k;

    for (k = 0; k < KEY_COUNT; k++)
        if (rtcpm_cfg_streq(key, key_name(k))) break;
    if (k == KEY_COUNT)
        return rtcpm_ini_fail(e,
                              "unknown key '%s' in [stun] (expected servers, local-address, timeout, "
                              "server-timeout, rto, retransmissions, classic, symmetric-check, "
                              "symmetric-check-age, cache-age, warm-up, refresh or tcp)",
                              key);
    if (l->key_lines[k])
        return rtcpm_ini_fail(e, "'%s' given twice in [stun] (first at line %d)", key, l->key_lines[k]);
    l->key_lines[k] = e->line;

    if (k < NUM_KEY_BASE) return stun_text_key(l, k, value, e);
    if (k < FLAG_KEY_BASE)
    {
        const struct num_field *f = &num_fields[k - NUM_KEY_BASE];
        LONG v;
        if (parse_long(value, &v) || v < f->min || v > f->max)
            return rtcpm_ini_fail(e, "%s: '%s' is not a number in %ld..%ld%s", f->key, value, (long)f->min,
                                  (long)f->max, f->unit);
        *field_at(cfg, f->offset) = v;
        return 0;
    }
    {
        const struct flag_field *f = &flag_fields[k - FLAG_KEY_BASE];
        LONG v;
        if (parse_flag(value, &v)) return rtcpm_ini_fail(e, "%s: '%s' is not on or off", f->key, value);
        *field_at(cfg, f->offset) = v;
        return 0;
    }
}

static int parse_range(const char *s, LONG *first, LONG *last)
{
    char a[16], b[16];
    const char *dash = strchr(s, '-');
    size_t n = dash ? (size_t)(dash - s) : strlen(s);
    if (!n || n >= sizeof(a)) return -1;
    memcpy(a, s, n);
    a[n] = 0;
    while (n && (a[n - 1] == ' ' || a[n - 1] == '\t')) a[--n] = 0;
    if (parse_long(a, first)) return -1;
    if (!dash)
    {
        *last = *first;
        return 0;
    }
    s = dash + 1;
    while (*s == ' ' || *s == '\t') s++;
    if (strlen(s) >= sizeof(b)) return -1;
    strcpy(b, s);
    return parse_long(b, last);
}

static int ports_key(struct loader *l, const char *key, const char *value, struct rtcpm_ini_error *e)
{
    const char *type = rtcpm_cfg_port_type_name((int)l->range.port_type);
    if (rtcpm_cfg_streq(key, "range"))
    {
        if (l->range_line)
            return rtcpm_ini_fail(e, "'range' given twice in this section (first at line %d)", l->range_line);
        l->range_line = e->line;
        if (parse_range(value, &l->range.first, &l->range.last) || l->range.first < 1 || l->range.first > 65535 ||
            l->range.last < 1 || l->range.last > 65535)
            return rtcpm_ini_fail(e, "range: '%s' is not a port (1..65535) or first-last", value);
        if (l->range.last < l->range.first)
            return rtcpm_ini_fail(e, "range %ld-%ld ends before it starts", (long)l->range.first, (long)l->range.last);
        return 0;
    }
    if (rtcpm_cfg_streq(key, "transport"))
    {
        unsigned mask;
        if (l->transport_line)
            return rtcpm_ini_fail(e, "'transport' given twice in this section (first at line %d)", l->transport_line);
        l->transport_line = e->line;
        if (rtcpm_cfg_transports(value, &mask, e)) return -1;
        l->range.transports = (LONG)mask;
        return 0;
    }
    return rtcpm_ini_fail(e, "unknown key '%s' in [ports %s] (expected range or transport)", key, type);
}

static int on_key(void *ctx, const char *key, const char *value, struct rtcpm_ini_error *e)
{
    struct loader *l = ctx;
    return l->section == SECTION_STUN ? stun_key(l, key, value, e) : ports_key(l, key, value, e);
}

static int on_section_end(void *ctx, struct rtcpm_ini_error *e)
{
    struct loader *l = ctx;
    struct rtcpm_pm_port_range checked;
    char why[200];

    if (l->section == SECTION_STUN)
    {
        if (!l->key_lines[0]) return rtcpm_ini_fail(e, "[stun] has no 'servers' key");
        if (l->cfg->server_timeout_ms > l->cfg->timeout_ms)
        {
            e->line = l->key_lines[NUM_KEY_BASE + 1]; /* server-timeout: given, or nothing exceeds */
            return rtcpm_ini_fail(e, "server-timeout %ld ms is longer than timeout %ld ms",
                                  (long)l->cfg->server_timeout_ms, (long)l->cfg->timeout_ms);
        }
        return 0;
    }
    if (l->section != SECTION_PORTS) return 0;
    if (!l->range_line)
        return rtcpm_ini_fail(e, "[ports %s] has no 'range' key", rtcpm_cfg_port_type_name((int)l->range.port_type));
    if (range_check(&l->range, &checked, why, sizeof(why)))
    {
        e->line = l->range_line;
        return rtcpm_ini_fail(e, "%s", why);
    }
    l->cfg->ranges[l->cfg->range_count++] = l->range;
    return 0;
}

HRESULT rtcpm_stun_pm_parse_config(const char *text, size_t len, const char *name, struct rtcpm_stun_pm_config *cfg,
                                   char *storage, size_t storage_len, char *err, size_t errlen)
{
    static const struct rtcpm_ini_handler handler = { on_section, on_key, on_section_end };
    struct loader l;

    if (err && errlen) err[0] = 0;
    if (!text || !cfg || !storage) return E_POINTER;
    if (!name) name = "<string>";
    rtcpm_stun_pm_config_init(cfg);
    if (storage_len < RTCPM_STUN_PM_CONFIG_STORAGE)
    {
        rtcpm_cfg_set_err(err, errlen, "%s: storage of %lu bytes, need %d", name, (unsigned long)storage_len,
                          RTCPM_STUN_PM_CONFIG_STORAGE);
        return E_INVALIDARG;
    }
    memset(&l, 0, sizeof(l));
    l.cfg = cfg;
    l.string_cap = storage_len / 2;
    l.servers = storage;
    l.locals = storage + l.string_cap;
    l.servers[0] = l.locals[0] = 0;
    if (rtcpm_ini_parse(text, len, name, &handler, &l, err, errlen)) return E_INVALIDARG;
    if (!l.stun_line)
    {
        rtcpm_cfg_set_err(err, errlen, "%s: no [stun] section (servers = host[:port],... is required)", name);
        return E_INVALIDARG;
    }
    return S_OK;
}
