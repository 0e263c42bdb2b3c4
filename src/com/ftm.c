/*
 * ftm.c — the free-threaded marshaler, on targets with a COM runtime (Windows, Wine).
 * See ftm.h; ftm_none.c is the same interface where COM does not exist.
 */
#include "ftm.h"

HRESULT com_ftm_aggregate(struct com_ftm *ftm, IUnknown *outer)
{
    HRESULT hr;

    ftm->inner = NULL;
    if (!outer) return E_POINTER;
    hr = CoCreateFreeThreadedMarshaler(outer, &ftm->inner);
    if (FAILED(hr)) ftm->inner = NULL;
    return hr;
}

HRESULT com_ftm_query_interface(const struct com_ftm *ftm, const IID *riid, void **out)
{
    if (!out) return E_POINTER;
    *out = NULL;
    /* Only IMarshal: the FTM's own IUnknown is not the object's identity. */
    if (!ftm->inner || !riid || !IsEqualGUID(riid, &IID_IMarshal)) return E_NOINTERFACE;
    return ftm->inner->lpVtbl->QueryInterface(ftm->inner, riid, out);
}

void com_ftm_release(struct com_ftm *ftm)
{
    IUnknown *inner = ftm->inner;
    ftm->inner = NULL;
    if (inner) inner->lpVtbl->Release(inner);
}
