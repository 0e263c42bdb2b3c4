/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * com.c — table QueryInterface and the live-object count.
 */
#define COBJMACROS
#include "com.h"

static LONG live_objects;

HRESULT rtcpm_com_query_interface(void *object, const struct com_iface_entry *table, size_t count, const IID *riid,
                                  void **out)
{
    size_t i;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!riid || !count) return E_NOINTERFACE;

    for (i = 0; i < count; i++)
    {
        if (IsEqualGUID(riid, table[i].iid) || (i == 0 && IsEqualGUID(riid, &IID_IUnknown)))
        {
            IUnknown *unk = (IUnknown *)((char *)object + table[i].offset);
            IUnknown_AddRef(unk);
            *out = unk;
            return S_OK;
        }
    }
    return E_NOINTERFACE;
}

void rtcpm_com_object_created(void) { InterlockedIncrement(&live_objects); }
void rtcpm_com_object_destroyed(void) { InterlockedDecrement(&live_objects); }

LONG rtcpm_live_objects(void) { return InterlockedCompareExchange(&live_objects, 0, 0); }

ULONG rtcpm_com_refcount(IUnknown *unk)
{
    IUnknown_AddRef(unk);
    return IUnknown_Release(unk);
}
