/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * static_rule.c — checking one static forwarding rule (rtcpm_static_rule_build, declared in
 * static_pm_private.h): the port type and transports, both sides' addresses and ranges, the
 * remote filter. Each refusal names the field at fault and says why, for the C API
 * (static_pm.c) and the INI loader (static_pm_config.c) alike.
 */
#include <stdio.h>
#include <string.h>
#include "pm/static_pm_private.h"
#include "pm/pm_common.h"

static const char *family_name(const rtcpm_addr *a) { return a->family == RTCPM_AF_INET ? "IPv4" : "IPv6"; }

static enum static_rule_field check_side(const char *what, const rtcpm_addr *a, long first, long last, char *err,
                                         size_t errlen)
{
    char text[RTCPM_ADDR_TEXT_SIZE];
    if (!a || a->family == RTCPM_AF_NONE)
    {
        snprintf(err, errlen, "%s address missing", what);
        return STATIC_RULE_INTERNAL;
    }
    if (rtcpm_addr_is_unspecified(a))
    {
        rtcpm_addr_format(a, text, sizeof(text));
        snprintf(err, errlen, "%s address %s is unspecified: give the host's own address", what, text);
        return STATIC_RULE_INTERNAL;
    }
    if (!rtcpm_pm_port_valid(first) || !rtcpm_pm_port_valid(last))
    {
        snprintf(err, errlen, "%s port %ld is outside 1..65535", what, rtcpm_pm_port_valid(first) ? last : first);
        return STATIC_RULE_INTERNAL;
    }
    if (last < first)
    {
        snprintf(err, errlen, "%s port range %ld-%ld ends before it starts", what, first, last);
        return STATIC_RULE_INTERNAL;
    }
    return STATIC_RULE_OK;
}

/* The port type and the transports (0: UDP). */
static enum static_rule_field check_kind(int port_type, unsigned *transports, char *err, size_t errlen)
{
    if (port_type != RTCPM_PORT_TYPE_ANY && (port_type < RTCPT_AUDIO_RTP || port_type > RTCPT_SIP))
    {
        snprintf(err, errlen, "port type %d is not 0..4 or RTCPM_PORT_TYPE_ANY", port_type);
        return STATIC_RULE_PORT_TYPE;
    }
    if (!*transports) *transports = RTCTR_UDP;
    if (*transports & ~(unsigned)(RTCTR_UDP | RTCTR_TCP | RTCTR_TLS))
    {
        snprintf(err, errlen, "transports 0x%x: not a set of RTCTR_UDP, RTCTR_TCP, RTCTR_TLS", *transports);
        return STATIC_RULE_TRANSPORT;
    }
    return STATIC_RULE_OK;
}

/* Both sides valid, of one family and of one size (a last port 0: a single internal port, as
 * many external ports as internal ones). The size in *size. */
static enum static_rule_field check_sides(const rtcpm_addr *internal, long internal_first, long internal_last,
                                          const rtcpm_addr *external, long external_first, long external_last,
                                          long *size, char *err, size_t errlen)
{
    char a1[RTCPM_ADDR_TEXT_SIZE], a2[RTCPM_ADDR_TEXT_SIZE];

    if (!internal_last) internal_last = internal_first;
    if (check_side("internal", internal, internal_first, internal_last, err, errlen)) return STATIC_RULE_INTERNAL;
    *size = internal_last - internal_first + 1;
    if (!external_last && rtcpm_pm_port_valid(external_first)) external_last = external_first + *size - 1;
    if (check_side("external", external, external_first, external_last, err, errlen)) return STATIC_RULE_EXTERNAL;
    if (external->family != internal->family)
    {
        rtcpm_addr_format(external, a1, sizeof(a1));
        rtcpm_addr_format(internal, a2, sizeof(a2));
        snprintf(err, errlen, "external address %s is %s, internal address %s is %s", a1, family_name(external), a2,
                 family_name(internal));
        return STATIC_RULE_EXTERNAL;
    }
    if (external_last - external_first + 1 != *size)
    {
        long n = external_last - external_first + 1;
        snprintf(err, errlen, "external range %ld-%ld has %ld port%s, internal range has %ld", external_first,
                 external_last, n, n == 1 ? "" : "s", *size);
        return STATIC_RULE_EXTERNAL;
    }
    return STATIC_RULE_OK;
}

/* The remote filter: prefixes separated by ',' and/or spaces, each of the external address's
 * family, appended to out->remotes. 0, or -1 with the reason in err. */
static int parse_remotes(const char *remote, const rtcpm_addr *external, struct static_rule *out, char *err,
                         size_t errlen)
{
    char text[RTCPM_ADDR_TEXT_SIZE];

    while (remote && *remote)
    {
        size_t n = 0;
        struct rtcpm_prefix p;
        char why[160];

        while (*remote == ',' || *remote == ' ' || *remote == '\t') remote++;
        if (!*remote) break;
        while (remote[n] && remote[n] != ',' && remote[n] != ' ' && remote[n] != '\t') n++;
        if (rtcpm_prefix_parse(remote, n, &p, why, sizeof(why)))
        {
            snprintf(err, errlen, "remote %s", why);
            return -1;
        }
        if (p.base.family != external->family)
        {
            rtcpm_prefix_format(&p, text, sizeof(text));
            snprintf(err, errlen, "remote %s is %s but the external address is %s: it could never match", text,
                     family_name(&p.base), family_name(external));
            return -1;
        }
        if (out->remote_count == STATIC_RULE_MAX_REMOTES)
        {
            snprintf(err, errlen, "remote: more than %d prefixes", STATIC_RULE_MAX_REMOTES);
            return -1;
        }
        out->remotes[out->remote_count++] = p;
        remote += n;
    }
    return 0;
}

enum static_rule_field rtcpm_static_rule_build(int port_type, unsigned transports, const rtcpm_addr *internal,
                                               long internal_first, long internal_last, const rtcpm_addr *external,
                                               long external_first, long external_last, const char *remote,
                                               struct static_rule *out, char *err, size_t errlen)
{
    char scratch[160];
    enum static_rule_field field;
    long size = 0;

    if (!err || !errlen)
    {
        err = scratch;
        errlen = sizeof(scratch);
    }
    err[0] = 0;
    memset(out, 0, sizeof(*out));
    if ((field = check_kind(port_type, &transports, err, errlen))) return field;
    if ((field = check_sides(internal, internal_first, internal_last, external, external_first, external_last, &size,
                             err, errlen)))
        return field;

    out->port_type = port_type;
    out->transports = transports;
    out->internal = *internal;
    out->internal.port = 0;
    out->external = *external;
    out->external.port = 0;
    out->internal_first = (uint16_t)internal_first;
    out->external_first = (uint16_t)external_first;
    out->size = (uint32_t)size;

    if (parse_remotes(remote, external, out, err, errlen))
    {
        memset(out, 0, sizeof(*out));
        return STATIC_RULE_REMOTE;
    }
    return STATIC_RULE_OK;
}
