/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mapping_table.h — the live NAT mappings of one port manager, shared by every port manager
 * (static, STUN): what was handed to RTC by GetMapping(Ex) and not yet released.
 *
 * A mapping is keyed twice:
 *   internal key = (transport, internal address, internal port)  — unique, always indexed;
 *   external key = (transport, external address, external port)  — unique, indexed only when
 *                  the external address is set (family != RTCPM_AF_NONE), so a port manager
 *                  may record a mapping before it knows the external side (STUN in flight).
 * Addresses are compared in canonical binary form (rtcpm_addr_equal: family, bytes, scope,
 * port), never as text: "2001:DB8::1" and "2001:db8:0::1" are the same key.
 *
 * Storage: the mappings sit in one dense array (no per-mapping allocation); two open-addressing
 * indexes (linear probing, backward-shift deletion, no tombstones) hold 32-bit positions into it.
 * Lookup, insert and remove are O(1) on average (amortized for insert); both indexes double
 * and rehash at 3/4 load.
 * Removing swaps the last mapping into the hole, so positions are not stable: nothing outside
 * the table ever holds a pointer into it — lookups copy the mapping out.
 * Memory: sizeof(struct rtcpm_mapping) (88 bytes on 64-bit targets, 84 on i386) per array slot
 * plus 2 x 4 bytes per index slot. The array grows by a fifth, the indexes double at 3/4 load:
 * 88..106 bytes of array and 11..22 of index per mapping, <= 128 in all at any count from a
 * few hundred on (tests/bench row 3: 106-123 bytes at 10^3..10^6, 108 at 10^6, on x86_64);
 * rtcpm_mapping_table_memory() reports the exact figure.
 *
 * Thread safety: every call takes the table's own mutex, so any thread may call any function.
 * The callbacks of _foreach and _clear run with the mutex held and must not call the table.
 */
#ifndef RTCPM_PM_MAPPING_TABLE_H
#define RTCPM_PM_MAPPING_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "net/addr.h"

struct rtcpm_mapping
{
    rtcpm_addr internal; /* address + port (port 1..65535) */
    rtcpm_addr external; /* address + port; family NONE = not known yet (not indexed) */
    rtcpm_addr remote;   /* UpdateRemoteAddress*; family NONE = none, port 0 = no port */
    int64_t created;     /* seconds since the Unix epoch; 0 at insert = "now" */
    uint8_t port_type;   /* RTC_PORT_TYPE: RTCPT_AUDIO_RTP .. RTCPT_SIP */
    uint8_t transport;   /* one of RTCTR_UDP, RTCTR_TCP, RTCTR_TLS */
    uint16_t owner;      /* the port manager's own tag, kept as is (static PM: the rule's index);
                            sits in what was padding, so the struct did not grow */
};

enum rtcpm_mapping_table_result
{
    RTCPM_MT_OK = 0,
    RTCPM_MT_E_NOT_FOUND = -1, /* no mapping with that key (or its other side differs) */
    RTCPM_MT_E_DUPLICATE = -2, /* insert: the internal or the external key is taken */
    RTCPM_MT_E_INVALID = -3,   /* NULL argument, unset internal address, port 0, bad transport */
    RTCPM_MT_E_NOMEM = -4,     /* allocation failed; the table is unchanged */
    RTCPM_MT_E_FAMILY = -5     /* update_remote: the remote is of the other address family */
};

struct rtcpm_mapping_table;

/* NULL when out of memory. An empty table allocates nothing but itself. */
struct rtcpm_mapping_table *rtcpm_mapping_table_create(void);
/* Frees the table and every mapping still in it (NULL is fine). */
void rtcpm_mapping_table_destroy(struct rtcpm_mapping_table *t);

/* Adds a copy of *m. Fails with RTCPM_MT_E_DUPLICATE, leaving the table as it was, when
 * the internal key or (if set) the external key is already present. */
int rtcpm_mapping_table_insert(struct rtcpm_mapping_table *t, const struct rtcpm_mapping *m);

/* 1 and a copy in *out (optional) when found, else 0. `internal`/`external` include the port. */
int rtcpm_mapping_table_find_internal(struct rtcpm_mapping_table *t, unsigned transport, const rtcpm_addr *internal,
                                      struct rtcpm_mapping *out);
int rtcpm_mapping_table_find_external(struct rtcpm_mapping_table *t, unsigned transport, const rtcpm_addr *external,
                                      struct rtcpm_mapping *out);

/* Sets the remote address (with port, 0 = none) of the mapping with this internal key.
 * When `external` is not NULL the mapping's external side must equal it too (that is how
 * RTC names a mapping: both sides), otherwise RTCPM_MT_E_NOT_FOUND and nothing changes.
 * A remote (family set) of the other family than the mapping's internal address cannot be
 * reached from it: RTCPM_MT_E_FAMILY and nothing changes (family NONE clears the remote). */
int rtcpm_mapping_table_update_remote(struct rtcpm_mapping_table *t, unsigned transport, const rtcpm_addr *internal,
                                      const rtcpm_addr *external, const rtcpm_addr *remote);

/* Sets (or, with family NONE, clears) the external side of the mapping with this internal
 * key and re-indexes it: for a port manager that records a mapping before it knows the
 * external side (STUN in flight). RTCPM_MT_E_DUPLICATE, changing nothing, when another
 * mapping already has that external key; RTCPM_MT_E_INVALID for a set address with port 0. */
int rtcpm_mapping_table_set_external(struct rtcpm_mapping_table *t, unsigned transport, const rtcpm_addr *internal,
                                     const rtcpm_addr *external);

/* Removes the mapping with this internal key (and, when `external` is not NULL, that
 * external side); a copy of what was removed goes to *removed (optional). */
int rtcpm_mapping_table_remove(struct rtcpm_mapping_table *t, unsigned transport, const rtcpm_addr *internal,
                               const rtcpm_addr *external, struct rtcpm_mapping *removed);

size_t rtcpm_mapping_table_count(struct rtcpm_mapping_table *t);

/* Calls fn for each mapping (in no particular order) until it returns non-zero; returns
 * that value, or 0 when every mapping was visited. */
typedef int (*rtcpm_mapping_fn)(void *ctx, const struct rtcpm_mapping *m);
int rtcpm_mapping_table_foreach(struct rtcpm_mapping_table *t, rtcpm_mapping_fn fn, void *ctx);

/* Removes every mapping, calling fn (optional; its return value is ignored) for each first,
 * and frees the storage. Returns how many were removed. */
size_t rtcpm_mapping_table_clear(struct rtcpm_mapping_table *t, rtcpm_mapping_fn fn, void *ctx);

/* Heap bytes the table holds right now: the table itself, the mapping array and both
 * indexes (what a benchmark divides by the count). */
size_t rtcpm_mapping_table_memory(struct rtcpm_mapping_table *t);

#endif /* RTCPM_PM_MAPPING_TABLE_H */
