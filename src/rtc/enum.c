/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * enum.c — snapshots handed out by getters: IRTCEnumProfiles, IRTCEnumParticipants (the same
 * code: both are Next/Reset/Skip/Clone over interface pointers), IRTCCollection (a dual
 * interface: Count, 1-based Item as VT_UNKNOWN, _NewEnum as an IEnumVARIANT) and that
 * IEnumVARIANT. Each holds references to its items; none changes after it was made.
 */
#include <stdlib.h>
#include "rtc/rtc_private.h"

struct rtc_items
{
    IUnknown **items;
    ULONG count;
};

static HRESULT items_copy(struct rtc_items *dst, IUnknown **items, size_t count)
{
    ULONG i;

    if (!(dst->items = calloc(count + 1, sizeof(*dst->items)))) return E_OUTOFMEMORY;
    for (i = 0; i < count; i++)
    {
        dst->items[i] = items[i];
        IUnknown_AddRef(items[i]);
    }
    dst->count = (ULONG)count;
    return S_OK;
}

static void items_free(struct rtc_items *it)
{
    ULONG i;
    for (i = 0; i < it->count; i++) IUnknown_Release(it->items[i]);
    free(it->items);
}

/* ---- IRTCEnumProfiles / IRTCEnumParticipants / IEnumVARIANT --------------------------------- */

enum enum_kind
{
    ENUM_PROFILES,
    ENUM_PARTICIPANTS,
    ENUM_VARIANT
};

struct rtc_enum
{
    union
    {
        IRTCEnumProfiles profiles;
        IRTCEnumParticipants participants;
        IEnumVARIANT variants;
    } iface;
    LONG ref;
    enum enum_kind kind;
    struct rtc_items it;
    ULONG pos;
};

static const IRTCEnumProfilesVtbl enum_profiles_vtbl;
static const IRTCEnumParticipantsVtbl enum_participants_vtbl;
static const IEnumVARIANTVtbl enum_variant_vtbl;

static struct rtc_enum *enum_from(void *iface) { return CONTAINING_RECORD(iface, struct rtc_enum, iface); }

static HRESULT enum_new(enum enum_kind kind, IUnknown **items, size_t count, ULONG pos, struct rtc_enum **out)
{
    struct rtc_enum *e = calloc(1, sizeof(*e));

    *out = NULL;
    if (!e) return E_OUTOFMEMORY;
    if (FAILED(items_copy(&e->it, items, count)))
    {
        free(e);
        return E_OUTOFMEMORY;
    }
    if (kind == ENUM_PROFILES)
        e->iface.profiles.lpVtbl = &enum_profiles_vtbl;
    else if (kind == ENUM_PARTICIPANTS)
        e->iface.participants.lpVtbl = &enum_participants_vtbl;
    else
        e->iface.variants.lpVtbl = &enum_variant_vtbl;
    e->ref = 1;
    e->kind = kind;
    e->pos = pos;
    rtcpm_com_object_created();
    *out = e;
    return S_OK;
}

static const IID *enum_iid(const struct rtc_enum *e)
{
    return e->kind == ENUM_PROFILES       ? &IID_IRTCEnumProfiles
           : e->kind == ENUM_PARTICIPANTS ? &IID_IRTCEnumParticipants
                                          : &IID_IEnumVARIANT;
}

static HRESULT WINAPI enum_QueryInterface(IUnknown *iface, REFIID riid, void **out)
{
    struct rtc_enum *e = enum_from(iface);
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, enum_iid(e)))
    {
        *out = &e->iface;
        InterlockedIncrement(&e->ref);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI enum_AddRef(IUnknown *iface) { return (ULONG)InterlockedIncrement(&enum_from(iface)->ref); }

static ULONG WINAPI enum_Release(IUnknown *iface)
{
    struct rtc_enum *e = enum_from(iface);
    LONG ref = InterlockedDecrement(&e->ref);
    if (!ref)
    {
        items_free(&e->it);
        free(e);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

/* Next for the typed enumerators: out[i] = item QI'd to iid. */
static HRESULT enum_next(struct rtc_enum *e, ULONG n, void **out, ULONG *fetched, const IID *iid)
{
    ULONG i = 0;

    if (!out || (n != 1 && !fetched)) return E_POINTER;
    for (; i < n && e->pos < e->it.count; i++, e->pos++)
        if (FAILED(IUnknown_QueryInterface(e->it.items[e->pos], iid, &out[i]))) out[i] = NULL;
    if (fetched) *fetched = i;
    return i == n ? S_OK : S_FALSE;
}

static HRESULT WINAPI enum_Reset(IUnknown *iface)
{
    enum_from(iface)->pos = 0;
    return S_OK;
}

static HRESULT WINAPI enum_Skip(IUnknown *iface, ULONG n)
{
    struct rtc_enum *e = enum_from(iface);
    if (n > e->it.count - e->pos)
    {
        e->pos = e->it.count;
        return S_FALSE;
    }
    e->pos += n;
    return S_OK;
}

static HRESULT enum_clone(struct rtc_enum *e, void **out)
{
    struct rtc_enum *copy;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (FAILED(hr = enum_new(e->kind, e->it.items, e->it.count, e->pos, &copy))) return hr;
    *out = &copy->iface;
    return S_OK;
}

#define ENUM_IUNKNOWN(prefix, Iface)                                                                                   \
    static HRESULT WINAPI prefix##_QueryInterface(Iface *iface, REFIID riid, void **out)                               \
    {                                                                                                                  \
        RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);                            \
        return enum_QueryInterface((IUnknown *)iface, riid, out);                                                      \
    }                                                                                                                  \
    static ULONG WINAPI prefix##_AddRef(Iface *iface)                                                                  \
    {                                                                                                                  \
        ULONG ref = enum_AddRef((IUnknown *)iface);                                                                    \
                                                                                                                       \
        RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);                                                                 \
        return ref;                                                                                                    \
    }                                                                                                                  \
    static ULONG WINAPI prefix##_Release(Iface *iface)                                                                 \
    {                                                                                                                  \
        ULONG ref = enum_Release((IUnknown *)iface);                                                                   \
                                                                                                                       \
        RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);                                                                 \
        return ref;                                                                                                    \
    }                                                                                                                  \
    static HRESULT WINAPI prefix##_Reset(Iface *iface)                                                                 \
    {                                                                                                                  \
        RTC_TRACE("(%p)", (void *)iface);                                                                              \
        return enum_Reset((IUnknown *)iface);                                                                          \
    }                                                                                                                  \
    static HRESULT WINAPI prefix##_Skip(Iface *iface, ULONG n)                                                         \
    {                                                                                                                  \
        RTC_TRACE("(%p)->(%lu)", (void *)iface, (unsigned long)n);                                                     \
        return enum_Skip((IUnknown *)iface, n);                                                                        \
    }

ENUM_IUNKNOWN(enum_profiles, IRTCEnumProfiles)
ENUM_IUNKNOWN(enum_participants, IRTCEnumParticipants)
ENUM_IUNKNOWN(enum_variant, IEnumVARIANT)

static HRESULT WINAPI enum_profiles_Next(IRTCEnumProfiles *iface, ULONG n, IRTCProfile **out, ULONG *fetched)
{
    RTC_TRACE("(%p)->(%lu, %p, %p)", (void *)iface, (unsigned long)n, (void *)out, (void *)fetched);
    return enum_next(enum_from(iface), n, (void **)out, fetched, &IID_IRTCProfile);
}

static HRESULT WINAPI enum_profiles_Clone(IRTCEnumProfiles *iface, IRTCEnumProfiles **out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return enum_clone(enum_from(iface), (void **)out);
}

static const IRTCEnumProfilesVtbl enum_profiles_vtbl = {
    enum_profiles_QueryInterface, enum_profiles_AddRef, enum_profiles_Release, enum_profiles_Next,
    enum_profiles_Reset,          enum_profiles_Skip,   enum_profiles_Clone,
};

static HRESULT WINAPI enum_participants_Next(IRTCEnumParticipants *iface, ULONG n, IRTCParticipant **out,
                                             ULONG *fetched)
{
    RTC_TRACE("(%p)->(%lu, %p, %p)", (void *)iface, (unsigned long)n, (void *)out, (void *)fetched);
    return enum_next(enum_from(iface), n, (void **)out, fetched, &IID_IRTCParticipant);
}

static HRESULT WINAPI enum_participants_Clone(IRTCEnumParticipants *iface, IRTCEnumParticipants **out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return enum_clone(enum_from(iface), (void **)out);
}

static const IRTCEnumParticipantsVtbl enum_participants_vtbl = {
    enum_participants_QueryInterface, enum_participants_AddRef, enum_participants_Release, enum_participants_Next,
    enum_participants_Reset,          enum_participants_Skip,   enum_participants_Clone,
};

static HRESULT WINAPI enum_variant_Next(IEnumVARIANT *iface, ULONG n, VARIANT *out, ULONG *fetched)
{
    struct rtc_enum *e = enum_from(iface);
    ULONG i = 0;

    RTC_TRACE("(%p)->(%lu, %p, %p)", (void *)iface, (unsigned long)n, (void *)out, (void *)fetched);
    if (!out || (n != 1 && !fetched)) return E_POINTER;
    for (; i < n && e->pos < e->it.count; i++, e->pos++)
    {
        VariantInit(&out[i]);
        V_VT(&out[i]) = VT_UNKNOWN;
        V_UNKNOWN(&out[i]) = e->it.items[e->pos];
        IUnknown_AddRef(V_UNKNOWN(&out[i]));
    }
    if (fetched) *fetched = i;
    return i == n ? S_OK : S_FALSE;
}

static HRESULT WINAPI enum_variant_Clone(IEnumVARIANT *iface, IEnumVARIANT **out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return enum_clone(enum_from(iface), (void **)out);
}

static const IEnumVARIANTVtbl enum_variant_vtbl = {
    enum_variant_QueryInterface, enum_variant_AddRef, enum_variant_Release, enum_variant_Next,
    enum_variant_Skip,           enum_variant_Reset,  enum_variant_Clone,
};

static HRESULT enum_create(enum enum_kind kind, IUnknown **items, size_t count, void **out)
{
    struct rtc_enum *e;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (FAILED(hr = enum_new(kind, items, count, 0, &e))) return hr;
    *out = &e->iface;
    return S_OK;
}

HRESULT rtcpm_rtc_enum_profiles_create(IUnknown **items, size_t count, IRTCEnumProfiles **out)
{
    return enum_create(ENUM_PROFILES, items, count, (void **)out);
}

HRESULT rtcpm_rtc_enum_participants_create(IUnknown **items, size_t count, IRTCEnumParticipants **out)
{
    return enum_create(ENUM_PARTICIPANTS, items, count, (void **)out);
}

/* ---- IRTCCollection ------------------------------------------------------------------------- */

struct rtc_collection
{
    IRTCCollection IRTCCollection_iface;
    LONG ref;
    struct rtc_items it;
};

static inline struct rtc_collection *impl_from_IRTCCollection(IRTCCollection *iface)
{
    return CONTAINING_RECORD(iface, struct rtc_collection, IRTCCollection_iface);
}

static const struct com_iface_entry collection_ifaces[] = {
    { &IID_IRTCCollection, offsetof(struct rtc_collection, IRTCCollection_iface) },
    { &IID_IDispatch, offsetof(struct rtc_collection, IRTCCollection_iface) },
};

static HRESULT WINAPI collection_QueryInterface(IRTCCollection *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return rtcpm_com_query_interface(impl_from_IRTCCollection(iface), collection_ifaces, ARRAY_SIZE(collection_ifaces),
                                     riid, out);
}

static ULONG WINAPI collection_AddRef(IRTCCollection *iface)
{
    ULONG ref = (ULONG)InterlockedIncrement(&impl_from_IRTCCollection(iface)->ref);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static ULONG WINAPI collection_Release(IRTCCollection *iface)
{
    struct rtc_collection *c = impl_from_IRTCCollection(iface);
    LONG ref = InterlockedDecrement(&c->ref);
    RTC_TRACE("(%p) ref=%ld", (void *)iface, (long)ref);
    if (!ref)
    {
        items_free(&c->it);
        free(c);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT WINAPI collection_GetTypeInfoCount(IRTCCollection *iface, UINT *count)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)count);
    if (!count) return E_POINTER;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI collection_GetTypeInfo(IRTCCollection *iface, UINT index, LCID lcid, ITypeInfo **out)
{
    RTC_TRACE("(%p)->(%lu, %lu, %p)", (void *)iface, (unsigned long)index, (unsigned long)lcid, (void *)out);
    (void)iface, (void)lcid;
    return rtcpm_rtc_dispatch_get_type_info(&IID_IRTCCollection, index, out);
}

static HRESULT WINAPI collection_GetIDsOfNames(IRTCCollection *iface, REFIID riid, LPOLESTR *names, UINT count,
                                               LCID lcid, DISPID *ids)
{
    RTC_TRACE("(%p)->(%s, %p, %lu, %lu, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)names,
              (unsigned long)count, (unsigned long)lcid, (void *)ids);
    (void)iface, (void)riid, (void)lcid;
    return rtcpm_rtc_dispatch_get_ids(&IID_IRTCCollection, names, count, ids);
}

static HRESULT WINAPI collection_Invoke(IRTCCollection *iface, DISPID id, REFIID riid, LCID lcid, WORD flags,
                                        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    RTC_TRACE("(%p)->(%ld, %s, %lu, %lu, %p, %p, %p, %p)", (void *)iface, (long)id, rtcpm_debugstr_guid(riid),
              (unsigned long)lcid, (unsigned long)flags, (void *)params, (void *)result, (void *)excep,
              (void *)arg_err);
    (void)riid, (void)lcid;
    return rtcpm_rtc_dispatch_invoke(&IID_IRTCCollection, iface, id, flags, params, result, excep, arg_err);
}

static HRESULT WINAPI collection_get_Count(IRTCCollection *iface, LONG *count)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)count);
    if (!count) return E_POINTER;
    *count = (LONG)impl_from_IRTCCollection(iface)->it.count;
    return S_OK;
}

static HRESULT WINAPI collection_get_Item(IRTCCollection *iface, LONG index, VARIANT *out)
{
    struct rtc_collection *c = impl_from_IRTCCollection(iface);

    RTC_TRACE("(%p)->(%ld, %p)", (void *)iface, (long)index, (void *)out);
    if (!out) return E_POINTER;
    VariantInit(out);
    if (index < 1 || (ULONG)index > c->it.count) return E_INVALIDARG;
    V_VT(out) = VT_UNKNOWN;
    V_UNKNOWN(out) = c->it.items[index - 1];
    IUnknown_AddRef(V_UNKNOWN(out));
    return S_OK;
}

static HRESULT WINAPI collection_get__NewEnum(IRTCCollection *iface, IUnknown **out)
{
    struct rtc_collection *c = impl_from_IRTCCollection(iface);
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    return enum_create(ENUM_VARIANT, c->it.items, c->it.count, (void **)out);
}

static const IRTCCollectionVtbl collection_vtbl = {
    collection_QueryInterface, collection_AddRef,        collection_Release, collection_GetTypeInfoCount,
    collection_GetTypeInfo,    collection_GetIDsOfNames, collection_Invoke,  collection_get_Count,
    collection_get_Item,       collection_get__NewEnum,
};

HRESULT rtcpm_rtc_collection_create(IUnknown **items, size_t count, IRTCCollection **out)
{
    struct rtc_collection *c;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!(c = calloc(1, sizeof(*c)))) return E_OUTOFMEMORY;
    if (FAILED(items_copy(&c->it, items, count)))
    {
        free(c);
        return E_OUTOFMEMORY;
    }
    c->IRTCCollection_iface.lpVtbl = &collection_vtbl;
    c->ref = 1;
    rtcpm_com_object_created();
    *out = &c->IRTCCollection_iface;
    return S_OK;
}
