/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * static_pm_config.c — the static port manager's INI sections (on the generic reader in
 * config.c): rtcpm_static_pm_load_file / _load_string.
 *
 * Format (also in README, "Static port manager config"):
 *
 *   # '#' or ';' starts a comment, anywhere on a line
 *   [mapping sip]              ; one section per rule; the argument is the port type:
 *                              ; sip | audio-rtp | audio-rtcp | video-rtp | video-rtcp | any
 *   transport = udp, tcp       ; udp | tcp | tls, a list; default udp
 *   internal  = 192.168.1.10:5060              ; required: address:port or address:first-last
 *   external  = 198.51.100.7:5060              ; required: same number of ports as internal
 *   remote    = 192.168.1.0/24, 10.0.0.0/8     ; optional: only for remote peers in these prefixes
 *
 *   [mapping audio-rtp]
 *   internal = [2001:db8:1::10]:30000-30099    ; IPv6 in brackets
 *   external = [2001:db8:ffff::7]:40000-40099
 *
 * Sections, keys, port type and transport names are case-insensitive. Rules apply in file
 * order (the first matching rule with a free port wins). Unknown sections or keys, a key
 * given twice, a missing internal/external and every bad value are errors; the whole load
 * then fails and adds no rule. The message names the file and the line of the offending key
 * (the section's line for a missing key): "static-nat.ini:7: external range 40000-40009 has
 * 10 ports, internal range has 20".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pm/static_pm_private.h"
#include "pm/config.h"

struct section
{
    int line; /* 0 = no section open */
    int port_type;
    int transport_line, internal_line, external_line, remote_line; /* 0 = key not given */
    unsigned transports;
    rtcpm_addr internal, external;
    uint16_t internal_first, internal_last, external_first, external_last;
    char remote[RTCPM_INI_LINE_MAX + 1];
};

struct loader
{
    struct section s;
    struct static_rule *rules;
    size_t count, cap;
    int out_of_memory;
};

static int on_section(void *ctx, const char *name, const char *arg, struct rtcpm_ini_error *e)
{
    struct loader *l = ctx;
    int type;

    memset(&l->s, 0, sizeof(l->s));
    if (!rtcpm_cfg_streq(name, "mapping"))
        return rtcpm_ini_fail(e, "unknown section [%s%s%s] (expected [mapping <port type>])", name, *arg ? " " : "",
                              arg);
    if (!*arg) return rtcpm_ini_fail(e, "[mapping] needs a port type: " RTCPM_CFG_PORT_TYPES);
    if (rtcpm_cfg_port_type(arg, &type))
        return rtcpm_ini_fail(e, "unknown port type '%s' (expected " RTCPM_CFG_PORT_TYPES ")", arg);
    l->s.line = e->line;
    l->s.port_type = type;
    return 0;
}

static int on_key(void *ctx, const char *key, const char *value, struct rtcpm_ini_error *e)
{
    struct loader *l = ctx;
    struct section *s = &l->s;
    int *seen;

    if (rtcpm_cfg_streq(key, "transport"))
        seen = &s->transport_line;
    else if (rtcpm_cfg_streq(key, "internal"))
        seen = &s->internal_line;
    else if (rtcpm_cfg_streq(key, "external"))
        seen = &s->external_line;
    else if (rtcpm_cfg_streq(key, "remote"))
        seen = &s->remote_line;
    else
        return rtcpm_ini_fail(e, "unknown key '%s' in [mapping %s] (expected transport, internal, external or remote)",
                              key, rtcpm_cfg_port_type_name(s->port_type));
    if (*seen) return rtcpm_ini_fail(e, "'%s' given twice in this section (first at line %d)", key, *seen);
    *seen = e->line;

    if (seen == &s->transport_line) return rtcpm_cfg_transports(value, &s->transports, e);
    if (seen == &s->internal_line)
        return rtcpm_cfg_endpoint_range(value, "internal", &s->internal, &s->internal_first, &s->internal_last, e);
    if (seen == &s->external_line)
        return rtcpm_cfg_endpoint_range(value, "external", &s->external, &s->external_first, &s->external_last, e);
    if (!*value) return rtcpm_ini_fail(e, "remote: empty (leave the key out to match any remote)");
    strcpy(s->remote, value); /* a line is at most RTCPM_INI_LINE_MAX characters */
    return 0;
}

static int on_section_end(void *ctx, struct rtcpm_ini_error *e)
{
    struct loader *l = ctx;
    struct section *s = &l->s;
    struct static_rule r;
    char why[sizeof(e->text)];
    const char *type = rtcpm_cfg_port_type_name(s->port_type);

    if (!s->internal_line) return rtcpm_ini_fail(e, "[mapping %s] has no 'internal' key", type);
    if (!s->external_line) return rtcpm_ini_fail(e, "[mapping %s] has no 'external' key", type);
    switch (rtcpm_static_rule_build(s->port_type, s->transport_line ? s->transports : RTCTR_UDP, &s->internal,
                                    s->internal_first, s->internal_last, &s->external, s->external_first,
                                    s->external_last, s->remote_line ? s->remote : NULL, &r, why, sizeof(why)))
    {
    case STATIC_RULE_OK: break;
    case STATIC_RULE_TRANSPORT: e->line = s->transport_line; return rtcpm_ini_fail(e, "%s", why);
    case STATIC_RULE_INTERNAL: e->line = s->internal_line; return rtcpm_ini_fail(e, "%s", why);
    case STATIC_RULE_EXTERNAL: e->line = s->external_line; return rtcpm_ini_fail(e, "%s", why);
    case STATIC_RULE_REMOTE: e->line = s->remote_line; return rtcpm_ini_fail(e, "%s", why);
    default: return rtcpm_ini_fail(e, "%s", why);
    }
    if (l->count == l->cap)
    {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct static_rule *grown = realloc(l->rules, cap * sizeof(*grown));
        if (!grown)
        {
            l->out_of_memory = 1;
            return rtcpm_ini_fail(e, "out of memory");
        }
        l->rules = grown;
        l->cap = cap;
    }
    l->rules[l->count++] = r;
    return 0;
}

/* The object's own check: rule_count answers -1 for anything but a static port manager. */
static int is_static_pm(IRTCPortManager3 *pm) { return rtcpm_static_pm_rule_count(pm) >= 0; }

static HRESULT load_text(IRTCPortManager3 *pm, const char *text, size_t len, const char *name, char *err, size_t errlen)
{
    static const struct rtcpm_ini_handler handler = { on_section, on_key, on_section_end };
    struct loader *l;
    HRESULT hr;

    if (!is_static_pm(pm))
    {
        if (err && errlen) snprintf(err, errlen, "not an rtcpm static port manager");
        return E_INVALIDARG;
    }
    if (!(l = calloc(1, sizeof(*l)))) return E_OUTOFMEMORY;
    if (rtcpm_ini_parse(text, len, name, &handler, l, err, errlen))
        hr = l->out_of_memory ? E_OUTOFMEMORY : E_INVALIDARG;
    else if (FAILED(hr = rtcpm_static_pm_append_rules(pm, l->rules, l->count)) && err && errlen)
        snprintf(err, errlen, "%s: out of memory", name ? name : "<config>");
    free(l->rules);
    free(l);
    return hr;
}

HRESULT rtcpm_static_pm_load_string(IRTCPortManager3 *pm, const char *text, const char *name_for_errors, char *err,
                                    size_t errlen)
{
    if (err && errlen) err[0] = 0;
    if (!text) return E_POINTER;
    return load_text(pm, text, strlen(text), name_for_errors ? name_for_errors : "<string>", err, errlen);
}

HRESULT rtcpm_static_pm_load_file(IRTCPortManager3 *pm, const char *path, char *err, size_t errlen)
{
    char *text;
    size_t len;
    HRESULT hr;

    if (err && errlen) err[0] = 0;
    if (!path) return E_POINTER;
    if (!is_static_pm(pm))
    {
        if (err && errlen) snprintf(err, errlen, "not an rtcpm static port manager");
        return E_INVALIDARG;
    }
    if (FAILED(hr = rtcpm_config_read_file(path, &text, &len, err, errlen))) return hr;
    hr = load_text(pm, text, len, path, err, errlen);
    free(text);
    return hr;
}
