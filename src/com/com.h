/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * com.h — the plumbing every rtcpm COM object uses (Wine style, plain C).
 *
 *   struct thing {
 *       IRTCPortManager3 IRTCPortManager3_iface;   // one member per interface vtable
 *       LONG ref;
 *       ...
 *   };
 *   static inline struct thing *impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
 *   { return CONTAINING_RECORD(iface, struct thing, IRTCPortManager3_iface); }
 *
 *   static const struct com_iface_entry thing_ifaces[] = {
 *       { &IID_IRTCPortManager3, offsetof(struct thing, IRTCPortManager3_iface) },
 *       { &IID_IRTCPortManager2, offsetof(struct thing, IRTCPortManager3_iface) },
 *       ...
 *   };
 *   QueryInterface: return rtcpm_com_query_interface(thing, thing_ifaces, ARRAY_SIZE(thing_ifaces), riid, out);
 *
 * The first entry of a table is the object's identity: IID_IUnknown answers with it, so
 * every interface of one object QIs to the same IUnknown pointer, as COM requires.
 */
#ifndef RTCPM_SRC_COM_H
#define RTCPM_SRC_COM_H

#include <stddef.h>
#include "rtcpm/rtcpm.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

struct com_iface_entry
{
    const IID *iid;
    size_t offset; /* offsetof(object, interface member) */
};

/* QueryInterface from a table: E_POINTER for a NULL out pointer, E_NOINTERFACE (and
 * *out = NULL) when no entry matches; on success *out is AddRef'ed. */
HRESULT rtcpm_com_query_interface(void *object, const struct com_iface_entry *table, size_t count, const IID *riid,
                                  void **out);

/* Atomic refcounts. */
static inline LONG com_ref_inc(LONG volatile *ref) { return InterlockedIncrement(ref); }
static inline LONG com_ref_dec(LONG volatile *ref) { return InterlockedDecrement(ref); }

/* Every object calls these once in its constructor / destructor (rtcpm_live_objects()). */
void rtcpm_com_object_created(void);
void rtcpm_com_object_destroyed(void);

/* A refcount a test can read: AddRef then Release, returns the count before. */
ULONG rtcpm_com_refcount(IUnknown *unk);

#endif /* RTCPM_SRC_COM_H */
