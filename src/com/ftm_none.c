/*
 * ftm_none.c — ftm.h where there is no COM runtime (native builds): no apartments, so
 * nothing is ever marshalled and there is no marshaler to aggregate. Picked by CMake
 * instead of ftm.c.
 */
#include "ftm.h"

HRESULT com_ftm_aggregate(struct com_ftm *ftm, IUnknown *outer)
{
    ftm->inner = NULL;
    return outer ? S_OK : E_POINTER;
}

HRESULT com_ftm_query_interface(const struct com_ftm *ftm, const IID *riid, void **out)
{
    (void)ftm;
    (void)riid;
    if (!out) return E_POINTER;
    *out = NULL;
    return E_NOINTERFACE;
}

void com_ftm_release(struct com_ftm *ftm) { ftm->inner = NULL; }
