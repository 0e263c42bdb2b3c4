/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stun_pm_cache.c — what the STUN port manager remembers between calls: recent discoveries
 * (internal port -> external port, reused for cache-age seconds) and, per internal address,
 * the external address last seen and the symmetric check's verdict (kept for
 * symmetric-check-age seconds). Every function runs under the object's lock
 * (stun_pm_private.h).
 */
#include <stdio.h>
#include <string.h>
#include "pm/stun_pm_private.h"
#include "pm/config.h"
#include "com/log.h"

void rtcpm_stun_cache_init(struct stun_cache *c, uint32_t cache_age_s, uint32_t verdict_age_s)
{
    memset(c, 0, sizeof(*c));
    c->entry_age_ms = (uint64_t)cache_age_s * 1000u;
    c->verdict_age_ms = (uint64_t)verdict_age_s * 1000u;
}

/* ---- discoveries ---- */

int rtcpm_stun_cache_find(const struct stun_cache *c, const rtcpm_addr *internal, uint64_t now, rtcpm_addr *mapped,
                          rtcpm_addr *server)
{
    size_t i;
    for (i = 0; i < c->count; i++)
    {
        const struct stun_cache_entry *e = &c->entries[i];
        if (!rtcpm_addr_equal(&e->internal, internal)) continue;
        if (now - e->at_ms >= c->entry_age_ms) return 0;
        *mapped = e->mapped;
        *server = e->server;
        return 1;
    }
    return 0;
}

void rtcpm_stun_cache_put(struct stun_cache *c, const rtcpm_addr *internal, const rtcpm_addr *mapped,
                          const rtcpm_addr *server, uint64_t now)
{
    size_t i, slot = c->count;
    if (!c->entry_age_ms) return;
    for (i = 0; i < c->count; i++)
        if (rtcpm_addr_equal(&c->entries[i].internal, internal)) slot = i;
    if (slot == STUN_CACHE_MAX)
    {
        slot = 0; /* full: the oldest entry goes */
        for (i = 1; i < STUN_CACHE_MAX; i++)
            if (c->entries[i].at_ms < c->entries[slot].at_ms) slot = i;
    }
    if (slot == c->count) c->count++;
    c->entries[slot].internal = *internal;
    c->entries[slot].mapped = *mapped;
    c->entries[slot].server = *server;
    c->entries[slot].at_ms = now;
}

/* Drops the entries of one internal address (its NAT changed or turned out symmetric). */
static void cache_purge(struct stun_cache *c, const rtcpm_addr *internal_host)
{
    size_t i = 0;
    while (i < c->count)
    {
        if (rtcpm_addr_equal_host(&c->entries[i].internal, internal_host))
            c->entries[i] = c->entries[--c->count];
        else
            i++;
    }
}

uint16_t rtcpm_stun_cache_prefer(void *ctx, const struct rtcpm_pm_ports *ports, const struct rtcpm_pm_port_search *s)
{
    const struct stun_cache *c = ctx;
    uint64_t now = rtcpm_clock_ms();
    size_t i;

    if (s->proto != RTCPM_PM_PROTO_UDP) return 0;
    for (i = 0; i < c->count; i++)
    {
        const struct stun_cache_entry *e = &c->entries[i];
        if (now - e->at_ms >= c->entry_age_ms || !rtcpm_addr_equal_host(&e->internal, &s->host)) continue;
        if (rtcpm_pm_ports_fits(ports, s, e->internal.port, s->odd_first)) return e->internal.port;
    }
    return 0;
}

/* ---- the NAT seen from each internal address ---- */

static struct stun_nat_info *nat_get(struct stun_cache *c, const rtcpm_addr *internal_host, int create)
{
    size_t i, slot;
    for (i = 0; i < c->nat_count; i++)
        if (rtcpm_addr_equal_host(&c->nats[i].internal, internal_host)) return &c->nats[i];
    if (!create) return NULL;
    slot = c->nat_count;
    if (slot == STUN_NAT_MAX)
    {
        slot = 0;
        for (i = 1; i < STUN_NAT_MAX; i++)
            if (c->nats[i].external_at_ms < c->nats[slot].external_at_ms) slot = i;
    }
    else
        c->nat_count++;
    memset(&c->nats[slot], 0, sizeof(c->nats[slot]));
    c->nats[slot].internal = *internal_host;
    c->nats[slot].internal.port = 0;
    return &c->nats[slot];
}

enum verdict rtcpm_stun_cache_verdict(struct stun_cache *c, const rtcpm_addr *internal_host, uint64_t now, char *text,
                                      size_t textlen)
{
    struct stun_nat_info *n = nat_get(c, internal_host, 0);
    if (!n || n->verdict == VERDICT_NONE || now - n->verdict_at_ms >= c->verdict_age_ms) return VERDICT_NONE;
    rtcpm_cfg_set_err(text, textlen, "%s", n->verdict_text);
    return n->verdict;
}

void rtcpm_stun_cache_saw_external(struct stun_cache *c, const rtcpm_addr *internal_host, const rtcpm_addr *mapped,
                                   uint64_t now)
{
    struct stun_nat_info *n = nat_get(c, internal_host, 1);
    rtcpm_addr ext = *mapped;
    ext.port = 0;
    if (n->external.family != RTCPM_AF_NONE && !rtcpm_addr_equal(&n->external, &ext))
    {
        char a[RTCPM_ADDR_TEXT_SIZE], b[RTCPM_ADDR_TEXT_SIZE], d[RTCPM_ADDR_TEXT_SIZE];
        RTCPM_TRACE(RTCPM_LOG_PM, "external address of %s changed from %s to %s: cache dropped",
                    rtcpm_addr_text(internal_host, a), rtcpm_addr_text(&n->external, b), rtcpm_addr_text(&ext, d));
        cache_purge(c, internal_host);
    }
    n->external = ext;
    n->external_at_ms = now;
}

void rtcpm_stun_cache_set_verdict(struct stun_cache *c, const rtcpm_addr *internal_host, enum verdict v,
                                  const char *text, uint64_t now)
{
    struct stun_nat_info *n = nat_get(c, internal_host, 1);
    n->verdict = v;
    n->verdict_at_ms = now;
    rtcpm_cfg_set_err(n->verdict_text, sizeof(n->verdict_text), "%s", text);
    if (v == VERDICT_SYMMETRIC) cache_purge(c, internal_host);
}

int rtcpm_stun_cache_external(struct stun_cache *c, const rtcpm_addr *internal_host, uint64_t now, rtcpm_addr *out)
{
    struct stun_nat_info *n = nat_get(c, internal_host, 0);
    if (!n || n->external.family == RTCPM_AF_NONE || now - n->external_at_ms >= c->verdict_age_ms) return 0;
    *out = n->external;
    return 1;
}

LONG rtcpm_stun_cache_describe(const struct stun_cache *c, uint64_t now, char *buf, size_t buflen)
{
    size_t i, total = 0;
    if (buf && buflen) buf[0] = 0;
    for (i = 0; i < c->nat_count; i++)
    {
        const struct stun_nat_info *n = &c->nats[i];
        char a1[RTCPM_ADDR_TEXT_SIZE], a2[RTCPM_ADDR_TEXT_SIZE], verdict[260];
        int len;
        if (n->verdict == VERDICT_NONE)
            rtcpm_cfg_set_err(verdict, sizeof(verdict), "mapping behaviour not checked");
        else
            rtcpm_cfg_set_err(verdict, sizeof(verdict), "%s, %llu s ago", n->verdict_text,
                              (unsigned long long)((now - n->verdict_at_ms) / 1000u));
        len = snprintf(total < buflen ? buf + total : NULL, total < buflen ? buflen - total : 0,
                       "%s: external %s, %s\n", rtcpm_addr_text(&n->internal, a1),
                       n->external.family != RTCPM_AF_NONE ? rtcpm_addr_text(&n->external, a2) : "unknown", verdict);
        if (len > 0) total += (size_t)len;
    }
    return (LONG)total;
}
