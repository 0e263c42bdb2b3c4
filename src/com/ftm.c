/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ftm.c — the free-threaded marshaler and the Global Interface Table, on targets with a COM
 * runtime (Windows, Wine). See ftm.h; ftm_none.c is the same interface where COM does not exist.
 */
#include "ftm.h"

HRESULT rtcpm_com_ftm_aggregate(struct com_ftm *ftm, IUnknown *outer)
{
    HRESULT hr;

    ftm->inner = NULL;
    if (!outer) return E_POINTER;
    hr = CoCreateFreeThreadedMarshaler(outer, &ftm->inner);
    if (FAILED(hr)) ftm->inner = NULL;
    return hr;
}

HRESULT rtcpm_com_ftm_query_interface(const struct com_ftm *ftm, const IID *riid, void **out)
{
    if (!out) return E_POINTER;
    *out = NULL;
    /* Only IMarshal: the FTM's own IUnknown is not the object's identity. */
    if (!ftm->inner || !riid || !IsEqualGUID(riid, &IID_IMarshal)) return E_NOINTERFACE;
    return ftm->inner->lpVtbl->QueryInterface(ftm->inner, riid, out);
}

void rtcpm_com_ftm_release(struct com_ftm *ftm)
{
    IUnknown *inner = ftm->inner;
    ftm->inner = NULL;
    if (inner) inner->lpVtbl->Release(inner);
}

/* CLSID_InProcFreeMarshaler: in mingw-w64's libuuid, but declared by none of its headers. */
static const CLSID clsid_in_proc_free_marshaler = {
    0x0000033a, 0x0000, 0x0000, { 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 }
};

int rtcpm_com_ftm_is_free_threaded(IUnknown *itf)
{
    IMarshal *marshal = NULL;
    CLSID clsid;
    HRESULT hr;

    if (!itf || FAILED(itf->lpVtbl->QueryInterface(itf, &IID_IMarshal, (void **)&marshal)) || !marshal) return 0;
    hr = marshal->lpVtbl->GetUnmarshalClass(marshal, &IID_IUnknown, itf, MSHCTX_INPROC, NULL, MSHLFLAGS_NORMAL, &clsid);
    marshal->lpVtbl->Release(marshal);
    return hr == S_OK && IsEqualCLSID(&clsid, &clsid_in_proc_free_marshaler);
}

/* The process-wide GIT (a singleton: creating it again is cheap and returns the same one).
 * CO_E_NOTINITIALIZED on a thread without COM (when no MTA exists either). */
static HRESULT git_get(IGlobalInterfaceTable **git)
{
    return CoCreateInstance(&CLSID_StdGlobalInterfaceTable, NULL, CLSCTX_INPROC_SERVER, &IID_IGlobalInterfaceTable,
                            (void **)git);
}

/* Revokes a cookie; on a thread without COM inside a stay in the MTA of its own, so that a
 * last Release there does not leak the registration (and the reference it holds). */
static void git_revoke(DWORD cookie)
{
    IGlobalInterfaceTable *git;
    HRESULT hr = git_get(&git);

    if (hr == CO_E_NOTINITIALIZED && SUCCEEDED(CoInitializeEx(NULL, COINIT_MULTITHREADED)))
    {
        if (SUCCEEDED(git_get(&git)))
        {
            git->lpVtbl->RevokeInterfaceFromGlobal(git, cookie);
            git->lpVtbl->Release(git);
        }
        CoUninitialize();
        return;
    }
    if (FAILED(hr)) return;
    git->lpVtbl->RevokeInterfaceFromGlobal(git, cookie);
    git->lpVtbl->Release(git);
}

HRESULT rtcpm_com_agile_ref_set(struct com_agile_ref *ref, const IID *iid, IUnknown *itf)
{
    IGlobalInterfaceTable *git;
    DWORD cookie = 0;
    HRESULT hr;

    if (!itf)
    {
        rtcpm_com_agile_ref_clear(ref);
        return S_OK;
    }
    if (!iid) return E_INVALIDARG;
    hr = git_get(&git);
    if (hr == CO_E_NOTINITIALIZED)
    {
        /* No apartment on this thread (nor an MTA to be in implicitly): itf is bound to none,
         * keep it as it is. */
        itf->lpVtbl->AddRef(itf);
        rtcpm_com_agile_ref_clear(ref);
        ref->raw = itf;
        ref->iid = iid;
        return S_OK;
    }
    if (FAILED(hr)) return hr;
    /* register the new one first: on failure the old one stays */
    hr = git->lpVtbl->RegisterInterfaceInGlobal(git, itf, iid, &cookie);
    git->lpVtbl->Release(git);
    if (SUCCEEDED(hr))
    {
        rtcpm_com_agile_ref_clear(ref);
        ref->cookie = cookie;
        ref->iid = iid;
    }
    return hr;
}

HRESULT rtcpm_com_agile_ref_get(const struct com_agile_ref *ref, void **out)
{
    IGlobalInterfaceTable *git;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (ref->raw)
    {
        ref->raw->lpVtbl->AddRef(ref->raw);
        *out = ref->raw;
        return S_OK;
    }
    if (!ref->cookie) return S_FALSE;
    hr = git_get(&git);
    if (FAILED(hr)) return hr;
    hr = git->lpVtbl->GetInterfaceFromGlobal(git, ref->cookie, ref->iid, out);
    if (FAILED(hr)) *out = NULL;
    git->lpVtbl->Release(git);
    return hr;
}

void rtcpm_com_agile_ref_clear(struct com_agile_ref *ref)
{
    IUnknown *raw = ref->raw;
    DWORD cookie = ref->cookie;

    ref->raw = NULL;
    ref->cookie = 0;
    ref->iid = NULL;
    if (raw) raw->lpVtbl->Release(raw);
    if (cookie) git_revoke(cookie);
}
