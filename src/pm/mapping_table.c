/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mapping_table.c — see mapping_table.h.
 *
 * Index slots hold position + 1 into the mapping array in their low bits (those of `mask`;
 * 0 = empty slot) and, in the bits above, the same bits of the key's hash: a tag. A probe
 * whose tag differs skips the slot without reading the mapping it points to, so looking up
 * an absent key (every insert does, twice) touches only the index — at 10^6 mappings each
 * such read was a cache miss. Positions fit: a table never holds more than 3/4 of its index
 * slots. A slot's home is the hash of its mapping's key, recomputed when needed instead of
 * stored: that keeps an index slot at 4 bytes.
 */
#include <stdlib.h>
#include <string.h>
#include "mapping_table.h"
#include "os/lock.h"
#include "os/os_platform.h"
#include "rtcpm/rtcpm.h"

/* Fixed seeds: reproducible layouts for benchmarks; keys are our own endpoints, which a
 * remote peer does not choose, so there is no flooding to randomise against. */
#define SEED_INTERNAL 0x5eed1a7eu
#define SEED_EXTERNAL 0x0e7e1a1du

#define MIN_ITEMS 8u
#define MIN_INDEX 16u

enum side
{
    SIDE_INTERNAL,
    SIDE_EXTERNAL
};

struct rtcpm_mapping_table
{
    struct rtcpm_lock lock;
    struct rtcpm_mapping *items; /* dense: [0, count) are live */
    uint32_t count;
    uint32_t cap;
    uint32_t *index[2]; /* [SIDE_INTERNAL], [SIDE_EXTERNAL]; both mask + 1 slots */
    uint32_t mask;      /* 0 while no index is allocated */
};

static int transport_valid(unsigned transport)
{
    return transport == RTCTR_UDP || transport == RTCTR_TCP || transport == RTCTR_TLS;
}

static const rtcpm_addr *side_addr(const struct rtcpm_mapping *m, enum side s)
{
    return s == SIDE_INTERNAL ? &m->internal : &m->external;
}

/* External keys are only indexed once the external side is known. */
static int indexed(const struct rtcpm_mapping *m, enum side s)
{
    return s == SIDE_INTERNAL || m->external.family != RTCPM_AF_NONE;
}

static uint32_t key_hash(enum side s, unsigned transport, const rtcpm_addr *a)
{
    uint32_t seed = (s == SIDE_INTERNAL ? SEED_INTERNAL : SEED_EXTERNAL) ^ (transport * 0x9e3779b1u);
    return rtcpm_addr_hash(a, seed);
}

static uint32_t hash_of(const struct rtcpm_mapping_table *t, enum side s, uint32_t pos)
{
    const struct rtcpm_mapping *m = &t->items[pos];
    return key_hash(s, m->transport, side_addr(m, s));
}

static uint32_t home_of(const struct rtcpm_mapping_table *t, enum side s, uint32_t pos)
{
    return hash_of(t, s, pos) & t->mask;
}

/* The position an occupied slot points to. */
static uint32_t slot_pos(const struct rtcpm_mapping_table *t, uint32_t slot) { return (slot & t->mask) - 1; }

/* The slot whose mapping has this key, or NULL. */
static uint32_t *index_find(struct rtcpm_mapping_table *t, enum side s, unsigned transport, const rtcpm_addr *key)
{
    uint32_t *idx = t->index[s], h, hash, tag;

    if (!t->mask) return NULL;
    hash = key_hash(s, transport, key);
    tag = hash & ~t->mask;
    for (h = hash & t->mask; idx[h]; h = (h + 1) & t->mask)
    {
        const struct rtcpm_mapping *m;
        if ((idx[h] & ~t->mask) != tag) continue;
        m = &t->items[slot_pos(t, idx[h])];
        if (m->transport == transport && rtcpm_addr_equal(side_addr(m, s), key)) return &idx[h];
    }
    return NULL;
}

/* The slot that holds position pos (which must be indexed on side s). */
static uint32_t *index_slot_of(struct rtcpm_mapping_table *t, enum side s, uint32_t pos)
{
    uint32_t *idx = t->index[s], h;
    for (h = home_of(t, s, pos); (idx[h] & t->mask) != pos + 1; h = (h + 1) & t->mask)
    {
    }
    return &idx[h];
}

/* Puts position pos, whose key hashes to hash, into an index of mask + 1 slots. */
static void index_put(uint32_t *idx, uint32_t mask, uint32_t hash, uint32_t pos)
{
    uint32_t h;
    for (h = hash & mask; idx[h]; h = (h + 1) & mask)
    {
    }
    idx[h] = (hash & ~mask) | (pos + 1);
}

/* Backward-shift deletion: pull later members of the probe run into the hole, so lookups
 * never need tombstones and stay short however many removes there were. */
static void index_delete(struct rtcpm_mapping_table *t, enum side s, uint32_t *slot)
{
    uint32_t *idx = t->index[s];
    uint32_t i = (uint32_t)(slot - idx), j = i;

    for (;;)
    {
        uint32_t k;
        j = (j + 1) & t->mask;
        if (!idx[j]) break;
        k = home_of(t, s, slot_pos(t, idx[j]));
        /* the entry at j stays when its home lies cyclically in (i, j] */
        if (i <= j ? (i < k && k <= j) : (i < k || k <= j)) continue;
        idx[i] = idx[j];
        i = j;
    }
    idx[i] = 0;
}

static int grow_index(struct rtcpm_mapping_table *t, uint32_t new_size)
{
    uint32_t *n[2], pos, mask = new_size - 1;
    int s;

    n[0] = calloc(new_size, sizeof(uint32_t));
    n[1] = calloc(new_size, sizeof(uint32_t));
    if (!n[0] || !n[1])
    {
        free(n[0]);
        free(n[1]);
        return RTCPM_MT_E_NOMEM;
    }
    free(t->index[0]);
    free(t->index[1]);
    t->index[0] = n[0];
    t->index[1] = n[1];
    t->mask = mask;
    for (pos = 0; pos < t->count; pos++)
        for (s = SIDE_INTERNAL; s <= SIDE_EXTERNAL; s++)
            if (indexed(&t->items[pos], (enum side)s)) index_put(t->index[s], mask, hash_of(t, (enum side)s, pos), pos);
    return RTCPM_MT_OK;
}

/* Room for one more mapping, in the array and within 3/4 load of the indexes. */
static int reserve_one(struct rtcpm_mapping_table *t)
{
    uint32_t need = t->count + 1;

    if (t->count == UINT32_MAX - 1) return RTCPM_MT_E_NOMEM;
    if (need > t->cap)
    {
        size_t cap;
        struct rtcpm_mapping *items;
        /* Grow by a fifth (not double): the array is ~85% of the table's bytes, so this keeps
         * it within 88..106 bytes a mapping at any count (with the indexes: <= 128). glibc
         * moves a large block with mremap, so the extra reallocations copy nothing there. */
        if (t->cap >= 0xC0000000u) return RTCPM_MT_E_NOMEM; /* 1.2 x would overflow 32 bits */
        cap = t->cap ? (size_t)t->cap + (t->cap >= 5 * MIN_ITEMS ? t->cap / 5 : MIN_ITEMS) : MIN_ITEMS;
        if (cap > SIZE_MAX / sizeof(*items)) return RTCPM_MT_E_NOMEM;
        items = realloc(t->items, cap * sizeof(*items));
        if (!items) return RTCPM_MT_E_NOMEM;
        t->items = items;
        t->cap = (uint32_t)cap;
    }
    if (!t->mask || (uint64_t)need * 4 > (uint64_t)(t->mask + 1) * 3)
    {
        uint32_t size = t->mask ? (t->mask + 1) * 2 : MIN_INDEX;
        if (!size) return RTCPM_MT_E_NOMEM;
        return grow_index(t, size);
    }
    return RTCPM_MT_OK;
}

struct rtcpm_mapping_table *rtcpm_mapping_table_create(void)
{
    struct rtcpm_mapping_table *t = calloc(1, sizeof(*t));
    if (t) rtcpm_lock_init(&t->lock);
    return t;
}

void rtcpm_mapping_table_destroy(struct rtcpm_mapping_table *t)
{
    if (!t) return;
    free(t->items);
    free(t->index[0]);
    free(t->index[1]);
    rtcpm_lock_destroy(&t->lock);
    free(t);
}

static int mapping_valid(const struct rtcpm_mapping *m)
{
    if (!transport_valid(m->transport) || m->port_type > RTCPT_SIP) return 0;
    if (m->internal.family == RTCPM_AF_NONE || !m->internal.port) return 0;
    if (m->external.family != RTCPM_AF_NONE && !m->external.port) return 0;
    return 1;
}

int rtcpm_mapping_table_insert(struct rtcpm_mapping_table *t, const struct rtcpm_mapping *m)
{
    int r;
    uint32_t pos;

    if (!t || !m || !mapping_valid(m)) return RTCPM_MT_E_INVALID;
    rtcpm_lock_acquire(&t->lock);
    if (index_find(t, SIDE_INTERNAL, m->transport, &m->internal) ||
        (indexed(m, SIDE_EXTERNAL) && index_find(t, SIDE_EXTERNAL, m->transport, &m->external)))
    {
        r = RTCPM_MT_E_DUPLICATE;
        goto out;
    }
    if ((r = reserve_one(t)) != RTCPM_MT_OK) goto out;
    pos = t->count++;
    t->items[pos] = *m;
    if (!t->items[pos].created) t->items[pos].created = rtcpm_clock_epoch_s();
    index_put(t->index[SIDE_INTERNAL], t->mask, hash_of(t, SIDE_INTERNAL, pos), pos);
    if (indexed(m, SIDE_EXTERNAL)) index_put(t->index[SIDE_EXTERNAL], t->mask, hash_of(t, SIDE_EXTERNAL, pos), pos);
out:
    rtcpm_lock_release(&t->lock);
    return r;
}

static int find(struct rtcpm_mapping_table *t, enum side s, unsigned transport, const rtcpm_addr *key,
                struct rtcpm_mapping *out)
{
    uint32_t *slot;
    if (!t || !key) return 0;
    rtcpm_lock_acquire(&t->lock);
    slot = index_find(t, s, transport, key);
    if (slot && out) *out = t->items[slot_pos(t, *slot)];
    rtcpm_lock_release(&t->lock);
    return slot != NULL;
}

int rtcpm_mapping_table_find_internal(struct rtcpm_mapping_table *t, unsigned transport, const rtcpm_addr *internal,
                                      struct rtcpm_mapping *out)
{
    return find(t, SIDE_INTERNAL, transport, internal, out);
}

int rtcpm_mapping_table_find_external(struct rtcpm_mapping_table *t, unsigned transport, const rtcpm_addr *external,
                                      struct rtcpm_mapping *out)
{
    return find(t, SIDE_EXTERNAL, transport, external, out);
}

/* The position of the mapping named by internal key + optional external side, or -1. */
static int64_t locate(struct rtcpm_mapping_table *t, unsigned transport, const rtcpm_addr *internal,
                      const rtcpm_addr *external)
{
    uint32_t *slot = index_find(t, SIDE_INTERNAL, transport, internal);
    if (!slot) return -1;
    if (external && !rtcpm_addr_equal(&t->items[slot_pos(t, *slot)].external, external)) return -1;
    return slot_pos(t, *slot);
}

int rtcpm_mapping_table_update_remote(struct rtcpm_mapping_table *t, unsigned transport, const rtcpm_addr *internal,
                                      const rtcpm_addr *external, const rtcpm_addr *remote)
{
    int64_t pos;
    int r = RTCPM_MT_OK;
    if (!t || !internal || !remote) return RTCPM_MT_E_INVALID;
    rtcpm_lock_acquire(&t->lock);
    pos = locate(t, transport, internal, external);
    if (pos < 0)
        r = RTCPM_MT_E_NOT_FOUND;
    else if (remote->family != RTCPM_AF_NONE && remote->family != t->items[pos].internal.family)
        r = RTCPM_MT_E_FAMILY;
    else
        t->items[pos].remote = *remote;
    rtcpm_lock_release(&t->lock);
    return r;
}

int rtcpm_mapping_table_set_external(struct rtcpm_mapping_table *t, unsigned transport, const rtcpm_addr *internal,
                                     const rtcpm_addr *external)
{
    int64_t pos;
    uint32_t *slot;
    int r = RTCPM_MT_OK;

    if (!t || !internal || !external) return RTCPM_MT_E_INVALID;
    if (external->family != RTCPM_AF_NONE && !external->port) return RTCPM_MT_E_INVALID;
    rtcpm_lock_acquire(&t->lock);
    pos = locate(t, transport, internal, NULL);
    if (pos < 0)
        r = RTCPM_MT_E_NOT_FOUND;
    else if (external->family != RTCPM_AF_NONE && (slot = index_find(t, SIDE_EXTERNAL, transport, external)) &&
             slot_pos(t, *slot) != (uint32_t)pos)
        r = RTCPM_MT_E_DUPLICATE;
    else
    {
        struct rtcpm_mapping *m = &t->items[pos];
        if (indexed(m, SIDE_EXTERNAL)) index_delete(t, SIDE_EXTERNAL, index_slot_of(t, SIDE_EXTERNAL, (uint32_t)pos));
        m->external = *external;
        if (indexed(m, SIDE_EXTERNAL))
            index_put(t->index[SIDE_EXTERNAL], t->mask, hash_of(t, SIDE_EXTERNAL, (uint32_t)pos), (uint32_t)pos);
    }
    rtcpm_lock_release(&t->lock);
    return r;
}

/* Takes position pos out of both indexes and fills the hole with the last mapping. */
static void remove_at(struct rtcpm_mapping_table *t, uint32_t pos)
{
    uint32_t last = t->count - 1;
    int s;

    for (s = SIDE_INTERNAL; s <= SIDE_EXTERNAL; s++)
        if (indexed(&t->items[pos], (enum side)s)) index_delete(t, (enum side)s, index_slot_of(t, (enum side)s, pos));
    if (pos != last)
    {
        for (s = SIDE_INTERNAL; s <= SIDE_EXTERNAL; s++)
            if (indexed(&t->items[last], (enum side)s))
            {
                uint32_t *slot = index_slot_of(t, (enum side)s, last);
                *slot = (*slot & ~t->mask) | (pos + 1); /* same key: the tag stays */
            }
        t->items[pos] = t->items[last];
    }
    t->count--;
}

int rtcpm_mapping_table_remove(struct rtcpm_mapping_table *t, unsigned transport, const rtcpm_addr *internal,
                               const rtcpm_addr *external, struct rtcpm_mapping *removed)
{
    int64_t pos;
    if (!t || !internal) return RTCPM_MT_E_INVALID;
    rtcpm_lock_acquire(&t->lock);
    pos = locate(t, transport, internal, external);
    if (pos >= 0)
    {
        if (removed) *removed = t->items[pos];
        remove_at(t, (uint32_t)pos);
    }
    rtcpm_lock_release(&t->lock);
    return pos >= 0 ? RTCPM_MT_OK : RTCPM_MT_E_NOT_FOUND;
}

size_t rtcpm_mapping_table_count(struct rtcpm_mapping_table *t)
{
    size_t n;
    if (!t) return 0;
    rtcpm_lock_acquire(&t->lock);
    n = t->count;
    rtcpm_lock_release(&t->lock);
    return n;
}

int rtcpm_mapping_table_foreach(struct rtcpm_mapping_table *t, rtcpm_mapping_fn fn, void *ctx)
{
    uint32_t pos;
    int r = 0;
    if (!t || !fn) return 0;
    rtcpm_lock_acquire(&t->lock);
    for (pos = 0; pos < t->count && !r; pos++) r = fn(ctx, &t->items[pos]);
    rtcpm_lock_release(&t->lock);
    return r;
}

size_t rtcpm_mapping_table_clear(struct rtcpm_mapping_table *t, rtcpm_mapping_fn fn, void *ctx)
{
    size_t n;
    uint32_t pos;
    if (!t) return 0;
    rtcpm_lock_acquire(&t->lock);
    n = t->count;
    if (fn)
        for (pos = 0; pos < t->count; pos++) fn(ctx, &t->items[pos]);
    free(t->items);
    free(t->index[0]);
    free(t->index[1]);
    t->items = NULL;
    t->index[0] = t->index[1] = NULL;
    t->count = t->cap = t->mask = 0;
    rtcpm_lock_release(&t->lock);
    return n;
}

size_t rtcpm_mapping_table_memory(struct rtcpm_mapping_table *t)
{
    size_t bytes;
    if (!t) return 0;
    rtcpm_lock_acquire(&t->lock);
    bytes = sizeof(*t) + (size_t)t->cap * sizeof(struct rtcpm_mapping);
    if (t->mask) bytes += 2 * ((size_t)t->mask + 1) * sizeof(uint32_t);
    rtcpm_lock_release(&t->lock);
    return bytes;
}
