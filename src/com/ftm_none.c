/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ftm_none.c — ftm.h where there is no COM runtime (native builds): no apartments, so
 * nothing is ever marshalled, there is no marshaler to aggregate, and a pointer is valid on
 * every thread (the agile reference keeps it as is). Picked by CMake instead of ftm.c.
 */
#define COBJMACROS
#include "ftm.h"

HRESULT rtcpm_com_ftm_aggregate(struct com_ftm *ftm, IUnknown *outer)
{
    ftm->inner = NULL;
    return outer ? S_OK : E_POINTER;
}

HRESULT rtcpm_com_ftm_query_interface(const struct com_ftm *ftm, const IID *riid, void **out)
{
    (void)ftm;
    (void)riid;
    if (!out) return E_POINTER;
    *out = NULL;
    return E_NOINTERFACE;
}

void rtcpm_com_ftm_release(struct com_ftm *ftm) { ftm->inner = NULL; }

int rtcpm_com_ftm_is_free_threaded(IUnknown *itf) { return itf != NULL; }

HRESULT rtcpm_com_agile_ref_set(struct com_agile_ref *ref, const IID *iid, IUnknown *itf)
{
    IUnknown *old = ref->raw;

    if (itf && !iid) return E_INVALIDARG;
    if (itf) IUnknown_AddRef(itf);
    ref->raw = itf;
    ref->iid = itf ? iid : NULL;
    if (old) IUnknown_Release(old);
    return S_OK;
}

HRESULT rtcpm_com_agile_ref_get(const struct com_agile_ref *ref, void **out)
{
    if (!out) return E_POINTER;
    *out = NULL;
    if (!ref->raw) return S_FALSE;
    /* as the GIT does: the interface that was registered, not a QI for something else */
    IUnknown_AddRef(ref->raw);
    *out = ref->raw;
    return S_OK;
}

void rtcpm_com_agile_ref_clear(struct com_agile_ref *ref) { rtcpm_com_agile_ref_set(ref, NULL, NULL); }
