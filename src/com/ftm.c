/*
 * ftm.c — the free-threaded marshaler and the Global Interface Table, on targets with a COM
 * runtime (Windows, Wine). See ftm.h; ftm_none.c is the same interface where COM does not exist.
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

/* The process-wide GIT (a singleton: creating it again is cheap and returns the same one). */
static HRESULT git_get(IGlobalInterfaceTable **git)
{
    return CoCreateInstance(&CLSID_StdGlobalInterfaceTable, NULL, CLSCTX_INPROC_SERVER,
                            &IID_IGlobalInterfaceTable, (void **)git);
}

HRESULT com_agile_ref_set(struct com_agile_ref *ref, const IID *iid, IUnknown *itf)
{
    IGlobalInterfaceTable *git;
    DWORD cookie = 0;
    HRESULT hr;

    if (!itf)
    {
        com_agile_ref_clear(ref);
        return S_OK;
    }
    if (!iid) return E_INVALIDARG;
    hr = git_get(&git);
    if (FAILED(hr)) return hr;
    /* register the new one first: on failure the old one stays */
    hr = git->lpVtbl->RegisterInterfaceInGlobal(git, itf, iid, &cookie);
    if (SUCCEEDED(hr))
    {
        if (ref->cookie) git->lpVtbl->RevokeInterfaceFromGlobal(git, ref->cookie);
        ref->cookie = cookie;
        ref->iid = iid;
    }
    git->lpVtbl->Release(git);
    return hr;
}

HRESULT com_agile_ref_get(const struct com_agile_ref *ref, void **out)
{
    IGlobalInterfaceTable *git;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!ref->cookie) return S_FALSE;
    hr = git_get(&git);
    if (FAILED(hr)) return hr;
    hr = git->lpVtbl->GetInterfaceFromGlobal(git, ref->cookie, ref->iid, out);
    if (FAILED(hr)) *out = NULL;
    git->lpVtbl->Release(git);
    return hr;
}

void com_agile_ref_clear(struct com_agile_ref *ref)
{
    IGlobalInterfaceTable *git;

    if (!ref->cookie) return;
    if (SUCCEEDED(git_get(&git)))
    {
        git->lpVtbl->RevokeInterfaceFromGlobal(git, ref->cookie);
        git->lpVtbl->Release(git);
    }
    ref->cookie = 0;
    ref->iid = NULL;
}
