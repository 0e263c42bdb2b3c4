/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * static_pm_private.h — the static port manager's rules, as the COM object (static_pm.c),
 * the rule check (static_rule.c) and the INI loader (static_pm_config.c) share them. The
 * public API is include/rtcpm/static_pm.h.
 */
#ifndef RTCPM_PM_STATIC_PM_H
#define RTCPM_PM_STATIC_PM_H

#include <stddef.h>
#include <stdint.h>
#include "rtcpm/rtcpm.h"
#include "rtcpm/static_pm.h"
#include "net/addr.h"
#include "pm/prefix.h"

/* Most prefixes one rule's remote filter may list. */
#define STATIC_RULE_MAX_REMOTES 16

/* A checked rule: addresses parsed, ranges resolved. */
struct static_rule
{
    int port_type;       /* RTCPT_* or RTCPM_PORT_TYPE_ANY */
    unsigned transports; /* RTCTR_* bits, never 0 */
    rtcpm_addr internal; /* port 0 */
    rtcpm_addr external; /* port 0, same family as internal */
    uint16_t internal_first;
    uint16_t external_first;
    uint32_t size;   /* ports in each range, 1..65535 */
    uint32_t cursor; /* offset of the next port to try (round robin) */
    unsigned remote_count;
    struct rtcpm_prefix remotes[STATIC_RULE_MAX_REMOTES];
};

/* Which part of a rule a check rejected (so the INI loader can name the right line). */
enum static_rule_field
{
    STATIC_RULE_OK = 0,
    STATIC_RULE_PORT_TYPE,
    STATIC_RULE_TRANSPORT,
    STATIC_RULE_INTERNAL,
    STATIC_RULE_EXTERNAL,
    STATIC_RULE_REMOTE
};

/*
 * Checks parsed values and fills *out. internal/external are addresses (ports ignored) with
 * their port ranges; external_last 0 means "as many ports as internal". remote: NULL/"" or a
 * prefix list. Returns STATIC_RULE_OK or the field at fault, with the reason in err.
 */
enum static_rule_field rtcpm_static_rule_build(int port_type, unsigned transports, const rtcpm_addr *internal,
                                               long internal_first, long internal_last, const rtcpm_addr *external,
                                               long external_first, long external_last, const char *remote,
                                               struct static_rule *out, char *err, size_t errlen);

/* Appends n rules under the object's lock, all or none: S_OK, E_OUTOFMEMORY (also past
 * 65535 rules: a mapping names its rule in 16 bits), E_INVALIDARG (pm is not a static port
 * manager). */
HRESULT rtcpm_static_pm_append_rules(IRTCPortManager3 *pm, const struct static_rule *rules, size_t n);

/*
 * The lookups behind GetMappingEx / ReleaseMappingEx as plain C: binary addresses (ports
 * included) in and out, no BSTR, no vtable. The COM methods are these plus BSTR parsing and
 * formatting; the benchmark (tests/bench) compares the two.
 * get: remote NULL or family NONE = unknown; *out is the mapping recorded (zeroed on failure).
 * Results as the COM methods': S_OK, E_INVALIDARG (also: pm is not a static port manager),
 * E_POINTER, RTC_E_PORT_MAPPING_UNAVAILABLE, E_OUTOFMEMORY.
 */
struct rtcpm_mapping;
HRESULT rtcpm_static_pm_get_mapping(IRTCPortManager3 *pm, RTC_PORT_TYPE type, LONG transport, const rtcpm_addr *remote,
                                    struct rtcpm_mapping *out);
HRESULT rtcpm_static_pm_release_mapping(IRTCPortManager3 *pm, LONG transport, const rtcpm_addr *internal,
                                        const rtcpm_addr *external);

/* rtcpm_mapping_table_memory() of pm's mapping table; 0 when pm is not a static PM. */
size_t rtcpm_static_pm_table_memory(IRTCPortManager3 *pm);

#endif /* RTCPM_PM_STATIC_PM_H */
