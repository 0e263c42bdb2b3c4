/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_config.c — table-driven settings of the negotiating port managers; see pm_config.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm/pm_config.h"

#define MAX_SECTIONS 4
#define MAX_KEYS     24 /* per section */

static LONG *long_at(void *cfg, size_t off) { return (LONG *)((char *)cfg + off); }
static LONG long_of(const void *cfg, size_t off) { return *(const LONG *)((const char *)cfg + off); }
static const char **str_at(void *cfg, size_t off) { return (const char **)((char *)cfg + off); }
static const char *str_of(const void *cfg, size_t off) { return *(const char *const *)((const char *)cfg + off); }

size_t rtcpm_pmc_string_keys(const struct rtcpm_pmc_schema *s)
{
    size_t i, k, n = 0;
    for (i = 0; i < s->section_count; i++)
        for (k = 0; k < s->sections[i].key_count; k++) n += s->sections[i].keys[k].kind == RTCPM_PMC_STRING;
    return n;
}

static size_t choice_count(const char *const *c)
{
    size_t n = 0;
    while (c[n]) n++;
    return n;
}

/* One key's value in cfg; 0 or -1 with "<key> ..." in err. */
static int check_key(const struct rtcpm_pmc_key *k, const void *cfg, char *err, size_t errlen)
{
    char why[200];
    if (k->kind == RTCPM_PMC_STRING)
    {
        const char *v = str_of(cfg, k->offset);
        if (v && *v && k->check && k->check(v, why, sizeof(why)))
        {
            rtcpm_cfg_set_err(err, errlen, "%s: %s", k->name, why);
            return -1;
        }
        return 0;
    }
    {
        LONG v = long_of(cfg, k->offset);
        LONG lo = k->kind == RTCPM_PMC_LONG ? k->min : 0;
        LONG hi = k->kind == RTCPM_PMC_LONG   ? k->max
                  : k->kind == RTCPM_PMC_FLAG ? 1
                                              : (LONG)choice_count(k->choices) - 1;
        if (v >= lo && v <= hi) return 0;
        if (k->kind == RTCPM_PMC_LONG)
            rtcpm_cfg_set_err(err, errlen, "%s %ld is outside %ld..%ld%s", k->name, (long)v, (long)lo, (long)hi,
                              k->unit ? k->unit : "");
        else
            rtcpm_cfg_set_err(err, errlen, "%s %ld is not one of 0..%ld", k->name, (long)v, (long)hi);
        return -1;
    }
}

int rtcpm_pmc_range_check(const struct rtcpm_port_range *r, struct rtcpm_pm_port_range *out, char *why, size_t whylen)
{
    LONG last = r->last ? r->last : r->first;
    unsigned transports = r->transports ? (unsigned)r->transports : RTCTR_UDP;
    if (r->port_type != RTCPM_PORT_TYPE_ANY && (r->port_type < RTCPT_AUDIO_RTP || r->port_type > RTCPT_SIP))
        return rtcpm_cfg_set_err(why, whylen, "port type %ld is not 0..4 or RTCPM_PORT_TYPE_ANY", (long)r->port_type),
               -1;
    if (transports & ~(unsigned)(RTCTR_UDP | RTCTR_TCP | RTCTR_TLS))
        return rtcpm_cfg_set_err(why, whylen, "transports 0x%lx: not a set of RTCTR_UDP, RTCTR_TCP, RTCTR_TLS",
                                 (long)r->transports),
               -1;
    if (r->first < 1 || r->first > 65535 || last < 1 || last > 65535)
        return rtcpm_cfg_set_err(why, whylen, "port %ld is outside 1..65535",
                                 (long)(r->first < 1 || r->first > 65535 ? r->first : last)),
               -1;
    if (last < r->first)
        return rtcpm_cfg_set_err(why, whylen, "port range %ld-%ld ends before it starts", (long)r->first, (long)last),
               -1;
    if (rtcpm_pm_is_rtp((int)r->port_type) && (r->first + 1 + (r->first & 1)) > last)
        return rtcpm_cfg_set_err(
                   why, whylen, "%s range %ld-%ld holds no even port followed by an odd one (RTP even, RTCP = RTP + 1)",
                   rtcpm_cfg_port_type_name((int)r->port_type), (long)r->first, (long)last),
               -1;
    if (out)
    {
        out->port_type = (int)r->port_type;
        out->transports = transports;
        out->first = (uint16_t)r->first;
        out->last = (uint16_t)last;
    }
    return 0;
}

HRESULT rtcpm_pmc_check(const struct rtcpm_pmc_schema *s, const void *cfg, struct rtcpm_pm_port_range *out_ranges,
                        size_t *out_count, char *err, size_t errlen)
{
    const struct rtcpm_port_range *ranges = (const void *)((const char *)cfg + s->ranges_offset);
    LONG n = long_of(cfg, s->range_count_offset);
    size_t i, k;
    for (i = 0; i < s->section_count; i++)
        for (k = 0; k < s->sections[i].key_count; k++)
            if (check_key(&s->sections[i].keys[k], cfg, err, errlen)) return E_INVALIDARG;
    if (n < 0 || n > RTCPM_PM_MAX_RANGES)
    {
        rtcpm_cfg_set_err(err, errlen, "range_count %ld is outside 0..%d", (long)n, RTCPM_PM_MAX_RANGES);
        return E_INVALIDARG;
    }
    for (i = 0; i < (size_t)n; i++)
    {
        char why[200];
        if (rtcpm_pmc_range_check(&ranges[i], out_ranges ? &out_ranges[i] : NULL, why, sizeof(why)))
        {
            rtcpm_cfg_set_err(err, errlen, "range %u: %s", (unsigned)(i + 1), why);
            return E_INVALIDARG;
        }
    }
    if (out_count) *out_count = (size_t)n;
    return S_OK;
}

/* ---- INI ---- */

struct loader
{
    const struct rtcpm_pmc_schema *s;
    void *cfg;
    char *storage;
    int section; /* index, -1: [ports], -2: none */
    int section_lines[MAX_SECTIONS];
    int key_lines[MAX_SECTIONS][MAX_KEYS];
    struct rtcpm_port_range range;
    int range_line, transport_line;
};

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
        if (rtcpm_cfg_streq(s, on[i])) return *out = 1, 0;
        if (rtcpm_cfg_streq(s, off[i])) return *out = 0, 0;
    }
    return -1;
}

/* The storage slot of a string key: its index among the schema's string keys. */
static char *slot_of(const struct loader *l, const struct rtcpm_pmc_key *key)
{
    size_t i, k, n = 0;
    for (i = 0; i < l->s->section_count; i++)
        for (k = 0; k < l->s->sections[i].key_count; k++)
        {
            const struct rtcpm_pmc_key *x = &l->s->sections[i].keys[k];
            if (x == key) return l->storage + n * RTCPM_PMC_STRING_CAP;
            n += x->kind == RTCPM_PMC_STRING;
        }
    return NULL;
}

static void list_names(const struct rtcpm_pmc_section *sec, char *out, size_t cap)
{
    size_t k, n = 0;
    out[0] = 0;
    for (k = 0; k < sec->key_count && n < cap; k++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", k ? (k + 1 == sec->key_count ? " or " : ", ") : "",
                              sec->keys[k].name);
}

static int set_value(struct loader *l, const struct rtcpm_pmc_key *k, const char *value, struct rtcpm_ini_error *e)
{
    char why[200];
    LONG v = 0;
    switch (k->kind)
    {
    case RTCPM_PMC_LONG:
        if (parse_long(value, &v) || v < k->min || v > k->max)
            return rtcpm_ini_fail(e, "%s: '%s' is not a number in %ld..%ld%s", k->name, value, (long)k->min,
                                  (long)k->max, k->unit ? k->unit : "");
        break;
    case RTCPM_PMC_FLAG:
        if (parse_flag(value, &v)) return rtcpm_ini_fail(e, "%s: '%s' is not on or off", k->name, value);
        break;
    case RTCPM_PMC_CHOICE:
        for (v = 0; k->choices[v]; v++)
            if (rtcpm_cfg_streq(value, k->choices[v])) break;
        if (!k->choices[v])
        {
            char list[200];
            size_t i, n = 0;
            for (i = 0; k->choices[i] && n < sizeof(list); i++)
                n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", k->choices[i]);
            return rtcpm_ini_fail(e, "%s: '%s' is not one of %s", k->name, value, list);
        }
        break;
    case RTCPM_PMC_STRING:
        if (!*value) return rtcpm_ini_fail(e, "%s: empty (leave the key out for the default)", k->name);
        if (k->check && k->check(value, why, sizeof(why))) return rtcpm_ini_fail(e, "%s: %s", k->name, why);
        snprintf(slot_of(l, k), RTCPM_PMC_STRING_CAP, "%s", value);
        *str_at(l->cfg, k->offset) = slot_of(l, k);
        return 0;
    }
    *long_at(l->cfg, k->offset) = v;
    return 0;
}

static int on_section(void *ctx, const char *name, const char *arg, struct rtcpm_ini_error *e)
{
    struct loader *l = ctx;
    size_t i;
    int type;
    l->section = -2;
    for (i = 0; i < l->s->section_count; i++)
        if (rtcpm_cfg_streq(name, l->s->sections[i].name))
        {
            if (*arg) return rtcpm_ini_fail(e, "[%s] takes no argument", l->s->sections[i].name);
            if (l->section_lines[i])
                return rtcpm_ini_fail(e, "second [%s] section (the first is at line %d)", l->s->sections[i].name,
                                      l->section_lines[i]);
            l->section_lines[i] = e->line;
            l->section = (int)i;
            return 0;
        }
    if (!rtcpm_cfg_streq(name, "ports"))
    {
        char list[200];
        size_t n = 0;
        for (i = 0; i < l->s->section_count && n < sizeof(list); i++)
            n += (size_t)snprintf(list + n, sizeof(list) - n, "[%s], ", l->s->sections[i].name);
        return rtcpm_ini_fail(e, "unknown section [%s%s%s] (expected %s[ports <port type>])", name, *arg ? " " : "",
                              arg, list);
    }
    if (!*arg) return rtcpm_ini_fail(e, "[ports] needs a port type: " RTCPM_CFG_PORT_TYPES);
    if (rtcpm_cfg_port_type(arg, &type))
        return rtcpm_ini_fail(e, "unknown port type '%s' (expected " RTCPM_CFG_PORT_TYPES ")", arg);
    if (*long_at(l->cfg, l->s->range_count_offset) == RTCPM_PM_MAX_RANGES)
        return rtcpm_ini_fail(e, "more than %d [ports] sections", RTCPM_PM_MAX_RANGES);
    memset(&l->range, 0, sizeof(l->range));
    l->range.port_type = type;
    l->range_line = l->transport_line = 0;
    l->section = -1;
    return 0;
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
    if (!dash) return *last = *first, 0;
    s = dash + 1;
    while (*s == ' ' || *s == '\t') s++;
    if (strlen(s) >= sizeof(b)) return -1;
    strcpy(b, s);
    return parse_long(b, last);
}

static int ports_key(struct loader *l, const char *key, const char *value, struct rtcpm_ini_error *e)
{
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
    return rtcpm_ini_fail(e, "unknown key '%s' in [ports %s] (expected range or transport)", key,
                          rtcpm_cfg_port_type_name((int)l->range.port_type));
}

static int on_key(void *ctx, const char *key, const char *value, struct rtcpm_ini_error *e)
{
    struct loader *l = ctx;
    const struct rtcpm_pmc_section *sec;
    size_t k;
    if (l->section == -1) return ports_key(l, key, value, e);
    sec = &l->s->sections[l->section];
    for (k = 0; k < sec->key_count; k++)
        if (rtcpm_cfg_streq(key, sec->keys[k].name)) break;
    if (k == sec->key_count)
    {
        char names[400];
        list_names(sec, names, sizeof(names));
        return rtcpm_ini_fail(e, "unknown key '%s' in [%s] (expected %s)", key, sec->name, names);
    }
    if (l->key_lines[l->section][k])
        return rtcpm_ini_fail(e, "'%s' given twice in [%s] (first at line %d)", key, sec->name,
                              l->key_lines[l->section][k]);
    l->key_lines[l->section][k] = e->line;
    return set_value(l, &sec->keys[k], value, e);
}

static int on_section_end(void *ctx, struct rtcpm_ini_error *e)
{
    struct loader *l = ctx;
    struct rtcpm_port_range *ranges = (void *)((char *)l->cfg + l->s->ranges_offset);
    LONG *count = long_at(l->cfg, l->s->range_count_offset);
    char why[200];
    if (l->section != -1) return 0;
    if (!l->range_line)
        return rtcpm_ini_fail(e, "[ports %s] has no 'range' key", rtcpm_cfg_port_type_name((int)l->range.port_type));
    if (rtcpm_pmc_range_check(&l->range, NULL, why, sizeof(why)))
    {
        e->line = l->range_line;
        return rtcpm_ini_fail(e, "%s", why);
    }
    ranges[(*count)++] = l->range;
    return 0;
}

HRESULT rtcpm_pmc_parse(const struct rtcpm_pmc_schema *s, const char *text, size_t len, const char *name, void *cfg,
                        char *storage, size_t storage_len, char *err, size_t errlen)
{
    static const struct rtcpm_ini_handler handler = { on_section, on_key, on_section_end };
    struct loader *l;
    size_t need = rtcpm_pmc_string_keys(s) * RTCPM_PMC_STRING_CAP, i;
    HRESULT hr = S_OK;

    if (err && errlen) err[0] = 0;
    if (!text || !cfg || (need && !storage)) return E_POINTER;
    if (!name) name = "<string>";
    if (storage_len < need)
    {
        rtcpm_cfg_set_err(err, errlen, "%s: storage of %lu bytes, need %lu", name, (unsigned long)storage_len,
                          (unsigned long)need);
        return E_INVALIDARG;
    }
    if (!(l = calloc(1, sizeof(*l)))) return E_OUTOFMEMORY;
    l->s = s;
    l->cfg = cfg;
    l->storage = storage;
    l->section = -2;
    if (rtcpm_ini_parse(text, len, name, &handler, l, err, errlen))
        hr = E_INVALIDARG;
    else if (s->required)
    {
        for (i = 0; i < s->section_count; i++)
            if (!strcmp(s->sections[i].name, s->required) && !l->section_lines[i])
            {
                rtcpm_cfg_set_err(err, errlen, "%s: no [%s] section", name, s->required);
                hr = E_INVALIDARG;
            }
    }
    free(l);
    return hr;
}

HRESULT rtcpm_pmc_parse_file(const struct rtcpm_pmc_schema *s, const char *path, void *cfg, char *storage,
                             size_t storage_len, char *err, size_t errlen)
{
    char *text;
    size_t len;
    HRESULT hr;
    if (!path) return E_POINTER;
    if (FAILED(hr = rtcpm_config_read_file(path, &text, &len, err, errlen))) return hr;
    hr = rtcpm_pmc_parse(s, text, len, path, cfg, storage, storage_len, err, errlen);
    free(text);
    return hr;
}

/* ---- writing back ---- */

size_t rtcpm_pmc_write(const struct rtcpm_pmc_schema *s, const void *cfg, char *out, size_t cap)
{
    const struct rtcpm_port_range *ranges = (const void *)((const char *)cfg + s->ranges_offset);
    LONG n = long_of(cfg, s->range_count_offset), r;
    size_t i, k, len = 0;
#define PUT(...) len += (size_t)snprintf(out + (len < cap ? len : 0), len < cap ? cap - len : 0, __VA_ARGS__)
    for (i = 0; i < s->section_count; i++)
    {
        PUT("[%s]\n", s->sections[i].name);
        for (k = 0; k < s->sections[i].key_count; k++)
        {
            const struct rtcpm_pmc_key *key = &s->sections[i].keys[k];
            LONG v = key->kind == RTCPM_PMC_STRING ? 0 : long_of(cfg, key->offset);
            if (key->kind == RTCPM_PMC_STRING)
            {
                const char *str = str_of(cfg, key->offset);
                if (str && *str) PUT("%s=%s\n", key->name, str);
            }
            else if (key->kind == RTCPM_PMC_LONG)
                PUT("%s=%ld\n", key->name, (long)v);
            else if (key->kind == RTCPM_PMC_FLAG)
                PUT("%s=%s\n", key->name, v ? "on" : "off");
            else
                PUT("%s=%s\n", key->name, key->choices[v]);
        }
    }
    for (r = 0; r < n; r++)
    {
        unsigned t = ranges[r].transports ? (unsigned)ranges[r].transports : RTCTR_UDP;
        PUT("[ports %s]\nrange=%ld-%ld\ntransport=%s%s%s%s%s\n", rtcpm_cfg_port_type_name((int)ranges[r].port_type),
            (long)ranges[r].first, (long)(ranges[r].last ? ranges[r].last : ranges[r].first),
            t & RTCTR_UDP ? "udp" : "", (t & RTCTR_UDP) && (t & ~1u) ? "," : "", t & RTCTR_TCP ? "tcp" : "",
            (t & RTCTR_TCP) && (t & RTCTR_TLS) ? "," : "", t & RTCTR_TLS ? "tls" : "");
    }
#undef PUT
    return len;
}
