/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_ref.c — see pm_ref.h.
 */
#include <stdlib.h>
#include "host/pm_ref.h"
#include "com/com.h"
#include "com/ftm.h"

struct host_pm_ref
{
    LONG ref;
    struct com_agile_ref agile; /* set once at creation, cleared by the last release */
};

HRESULT rtcpm_host_pm_ref_create(IRTCPortManager *pm, struct host_pm_ref **out)
{
    struct host_pm_ref *ref;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!pm) return E_POINTER;
    if (!(ref = calloc(1, sizeof(*ref)))) return E_OUTOFMEMORY;
    ref->ref = 1;
    hr = rtcpm_com_agile_ref_set(&ref->agile, &IID_IRTCPortManager, (IUnknown *)pm);
    if (FAILED(hr))
    {
        free(ref);
        return hr;
    }
    *out = ref;
    return S_OK;
}

void rtcpm_host_pm_ref_addref(struct host_pm_ref *ref)
{
    if (ref) com_ref_inc(&ref->ref);
}

void rtcpm_host_pm_ref_release(struct host_pm_ref *ref)
{
    if (!ref || com_ref_dec(&ref->ref)) return;
    rtcpm_com_agile_ref_clear(&ref->agile);
    free(ref);
}

HRESULT rtcpm_host_pm_ref_get(struct host_pm_ref *ref, IRTCPortManager **out)
{
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!ref) return E_POINTER;
    hr = rtcpm_com_agile_ref_get(&ref->agile, (void **)out);
    /* never empty while referenced: S_FALSE cannot come back; treat it as the failure it is */
    if (hr == S_FALSE) hr = E_UNEXPECTED;
    if (FAILED(hr)) *out = NULL;
    return hr;
}
