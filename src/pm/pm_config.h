/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_config.h — table-driven settings of the port managers that negotiate with the NAT (PCP,
 * UPnP IGD, automatic): one table of typed keys gives the limits for the C struct and the
 * INI keys alike, so a value accepted at a file's line is accepted by the C API and the
 * reverse; the [ports <type>] sections have the STUN port manager's format.
 *
 * A schema names the sections (each a table of keys into one config struct), which one must
 * be there, and where the ranges sit in the struct. Strings read from a file are copied into
 * the caller's storage (RTCPM_PMC_STRING_CAP bytes per string key), so the struct points into
 * it. Errors name the file and line, as every rtcpm config does.
 */
#ifndef RTCPM_PM_PM_CONFIG_H
#define RTCPM_PM_PM_CONFIG_H

#include <stddef.h>

#include "rtcpm/rtcpm.h"
#include "rtcpm/port_range.h"
#include "pm/config.h"
#include "pm/pm_ports.h"

#define RTCPM_PMC_STRING_CAP (RTCPM_INI_LINE_MAX + 1)

enum rtcpm_pmc_kind
{
    RTCPM_PMC_LONG,   /* LONG in [min, max], decimal */
    RTCPM_PMC_FLAG,   /* LONG 0/1: on|off|yes|no|true|false|1|0 */
    RTCPM_PMC_CHOICE, /* LONG index into choices[] (names, NULL-terminated) */
    RTCPM_PMC_STRING  /* const char *; NULL or "" = not given; check() validates */
};

struct rtcpm_pmc_key
{
    const char *name;
    enum rtcpm_pmc_kind kind;
    size_t offset; /* of the LONG / const char * in the config struct */
    LONG min, max;
    const char *unit;
    const char *const *choices;
    /* STRING: 0, or -1 with the reason (without the key's name) in why */
    int (*check)(const char *value, char *why, size_t whylen);
};

struct rtcpm_pmc_section
{
    const char *name;
    const struct rtcpm_pmc_key *keys;
    size_t key_count;
};

struct rtcpm_pmc_schema
{
    const struct rtcpm_pmc_section *sections;
    size_t section_count;
    const char *required;      /* a section that must be in a file; NULL: none */
    size_t ranges_offset;      /* struct rtcpm_port_range[RTCPM_PM_MAX_RANGES] */
    size_t range_count_offset; /* LONG */
};

/* String keys of the schema (how much storage a parse needs: that many RTCPM_PMC_STRING_CAP). */
size_t rtcpm_pmc_string_keys(const struct rtcpm_pmc_schema *s);

/* Checks every key of cfg and its ranges (into out_ranges / *out_count when not NULL).
 * S_OK, or E_INVALIDARG with "<key> ..." / "range N: ..." in err. */
HRESULT rtcpm_pmc_check(const struct rtcpm_pmc_schema *s, const void *cfg, struct rtcpm_pm_port_range *out_ranges,
                        size_t *out_count, char *err, size_t errlen);

/* Reads INI text into cfg, which holds the defaults already. S_OK; E_INVALIDARG with
 * "<name>:<line>: ..." in err; E_POINTER. */
HRESULT rtcpm_pmc_parse(const struct rtcpm_pmc_schema *s, const char *text, size_t len, const char *name, void *cfg,
                        char *storage, size_t storage_len, char *err, size_t errlen);

/* cfg as INI text the parser reads back identically (keys that differ from nothing: all);
 * snprintf-like. */
size_t rtcpm_pmc_write(const struct rtcpm_pmc_schema *s, const void *cfg, char *out, size_t cap);

/* Checks one range; 0 or -1 with the reason. */
int rtcpm_pmc_range_check(const struct rtcpm_port_range *r, struct rtcpm_pm_port_range *out, char *why, size_t whylen);

/* Reads a whole file and parses it (rtcpm_config_read_file's results for file errors). */
HRESULT rtcpm_pmc_parse_file(const struct rtcpm_pmc_schema *s, const char *path, void *cfg, char *storage,
                             size_t storage_len, char *err, size_t errlen);

#endif /* RTCPM_PM_PM_CONFIG_H */
