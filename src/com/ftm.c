/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ftm.c — the free-threaded marshaler, apartments and the Global Interface Table, on targets
 * with a COM runtime (Windows, Wine). See ftm.h; ftm_none.c is the same interface where COM
 * does not exist.
 */
#define COBJMACROS
#include <stdio.h>
#include "ftm.h"
#include "log.h"

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
    return IUnknown_QueryInterface(ftm->inner, riid, out);
}

void rtcpm_com_ftm_release(struct com_ftm *ftm)
{
    IUnknown *inner = ftm->inner;
    ftm->inner = NULL;
    if (inner) IUnknown_Release(inner);
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

    if (!itf || FAILED(IUnknown_QueryInterface(itf, &IID_IMarshal, (void **)&marshal)) || !marshal) return 0;
    hr = IMarshal_GetUnmarshalClass(marshal, &IID_IUnknown, itf, MSHCTX_INPROC, NULL, MSHLFLAGS_NORMAL, &clsid);
    IMarshal_Release(marshal);
    return hr == S_OK && IsEqualCLSID(&clsid, &clsid_in_proc_free_marshaler);
}

/* ---- apartments ---------------------------------------------------------------------- */

/* Where a kept pointer may be called (struct com_agile_ref's home). */
enum home
{
    HOME_ANY = 0, /* free-threaded, or kept where COM did not exist */
    HOME_STA,     /* one thread's single-threaded apartment (home_tid) */
    HOME_MTA,     /* the process's multithreaded apartment, implicit members included */
    HOME_NA,      /* the neutral apartment */
    HOME_NONE     /* (the calling thread only) no COM here, and no MTA to be in */
};

/* The calling thread's apartment; *tid is its thread for an STA, else 0. */
static enum home home_here(DWORD *tid)
{
    APTTYPE type;
    APTTYPEQUALIFIER qualifier;

    *tid = 0;
    if (FAILED(CoGetApartmentType(&type, &qualifier))) return HOME_NONE; /* CO_E_NOTINITIALIZED */
    switch (type)
    {
    case APTTYPE_STA:
    case APTTYPE_MAINSTA: *tid = GetCurrentThreadId(); return HOME_STA;
    case APTTYPE_MTA: return HOME_MTA;
    case APTTYPE_NA: return HOME_NA;
    default: return HOME_NONE;
    }
}

static int is_home(const struct com_agile_ref *ref)
{
    DWORD tid;
    enum home here;

    if (ref->home == HOME_ANY) return 1;
    here = home_here(&tid);
    return (int)here == ref->home && (here != HOME_STA || tid == ref->home_tid);
}

static const char *home_text(enum home home, DWORD tid, char *buf, size_t len)
{
    switch (home)
    {
    case HOME_ANY: return "any apartment";
    case HOME_STA: snprintf(buf, len, "the STA of thread %lu", (unsigned long)tid); return buf;
    case HOME_MTA: return "the MTA";
    case HOME_NA: return "the neutral apartment";
    default: return "a thread without COM";
    }
}

/* The error a user has to act on: said once per failed call, with the way out. */
static HRESULT no_proxy_stub(const struct com_agile_ref *ref)
{
    char iid[39], home[48], here[48];
    DWORD tid;
    enum home where = home_here(&tid);

    rtcpm_guid_to_string(ref->iid, iid);
    rtcpm_log_error(RTCPM_LOG_COM, "rtcpm_com_agile_ref_get",
                    "%s %s lives in %s and is called from %s, but no proxy/stub for it can be had "
                    "(REGDB_E_IIDNOTREG): put rtcpm_ps.dll beside the .exe and call rtcpm_marshal_register() in "
                    "each apartment involved before SetPortManager, or register it once with regsvr32 rtcpm_ps.dll; "
                    "or make every call from %s",
                    IsEqualGUID(ref->iid, &IID_IRTCPortManager) ? "IRTCPortManager" : "interface", iid,
                    home_text((enum home)ref->home, ref->home_tid, home, sizeof(home)),
                    home_text(where, tid, here, sizeof(here)), home);
    return REGDB_E_IIDNOTREG;
}

/* ---- the Global Interface Table -------------------------------------------------------- */

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
            IGlobalInterfaceTable_RevokeInterfaceFromGlobal(git, cookie);
            IGlobalInterfaceTable_Release(git);
        }
        CoUninitialize();
        return;
    }
    if (FAILED(hr)) return;
    IGlobalInterfaceTable_RevokeInterfaceFromGlobal(git, cookie);
    IGlobalInterfaceTable_Release(git);
}

/* Registers itf for other apartments when its interface has a proxy/stub; 0 otherwise (asked
 * first, so that a missing one costs nothing and prints nothing). */
static DWORD git_register_if_marshallable(IUnknown *itf, const IID *iid)
{
    IGlobalInterfaceTable *git;
    DWORD cookie = 0;
    CLSID ps;
    HRESULT hr;

    if (FAILED(hr = CoGetPSClsid(iid, &ps)))
    {
        RTCPM_TRACE(RTCPM_LOG_COM, "no proxy/stub (%#lx): kept for its own apartment only", (unsigned long)(ULONG)hr);
        return 0;
    }
    if (FAILED(hr = git_get(&git))) return 0;
    hr = IGlobalInterfaceTable_RegisterInterfaceInGlobal(git, itf, iid, &cookie);
    IGlobalInterfaceTable_Release(git);
    /* a mapping to a proxy/stub whose class object is not there: its own apartment only */
    if (FAILED(hr)) RTCPM_TRACE(RTCPM_LOG_COM, "GIT registration failed (%#lx)", (unsigned long)(ULONG)hr);
    return SUCCEEDED(hr) ? cookie : 0;
}

/* ---- the agile reference --------------------------------------------------------------- */

HRESULT rtcpm_com_agile_ref_set(struct com_agile_ref *ref, const IID *iid, IUnknown *itf)
{
    struct com_agile_ref fresh = { 0 };
    enum home home;

    if (!itf)
    {
        rtcpm_com_agile_ref_clear(ref);
        return S_OK;
    }
    if (!iid) return E_INVALIDARG;
    fresh.iid = iid;
    home = home_here(&fresh.home_tid);
    if (home == HOME_NONE || rtcpm_com_ftm_is_free_threaded(itf))
    {
        home = HOME_ANY;
        fresh.home_tid = 0;
    }
    else
        fresh.cookie = git_register_if_marshallable(itf, iid);
    fresh.home = (int)home;
    if (!fresh.cookie)
    {
        IUnknown_AddRef(itf);
        fresh.raw = itf;
    }
    rtcpm_com_agile_ref_clear(ref);
    *ref = fresh;
    return S_OK;
}

static HRESULT get_from_git(const struct com_agile_ref *ref, void **out)
{
    IGlobalInterfaceTable *git;
    HRESULT hr = git_get(&git);

    if (FAILED(hr)) return hr;
    hr = IGlobalInterfaceTable_GetInterfaceFromGlobal(git, ref->cookie, ref->iid, out);
    IGlobalInterfaceTable_Release(git);
    if (FAILED(hr))
    {
        *out = NULL;
        RTCPM_TRACE(RTCPM_LOG_COM, "GetInterfaceFromGlobal: %#lx", (unsigned long)(ULONG)hr);
    }
    /* what the standard marshaler answers when this apartment has no proxy for iid */
    if (hr == E_NOINTERFACE || hr == REGDB_E_IIDNOTREG || hr == REGDB_E_CLASSNOTREG || hr == CLASS_E_CLASSNOTAVAILABLE)
        return no_proxy_stub(ref);
    return hr;
}

HRESULT rtcpm_com_agile_ref_get(const struct com_agile_ref *ref, void **out)
{
    DWORD tid;

    if (!out) return E_POINTER;
    *out = NULL;
    if (ref->cookie) return get_from_git(ref, out);
    if (!ref->raw) return S_FALSE;
    if (is_home(ref))
    {
        IUnknown_AddRef(ref->raw);
        *out = ref->raw;
        return S_OK;
    }
    if (home_here(&tid) == HOME_NONE) return CO_E_NOTINITIALIZED;
    return no_proxy_stub(ref);
}

void rtcpm_com_agile_ref_clear(struct com_agile_ref *ref)
{
    IUnknown *raw = ref->raw;
    DWORD cookie = ref->cookie;

    ref->raw = NULL;
    ref->cookie = 0;
    ref->iid = NULL;
    ref->home = HOME_ANY;
    ref->home_tid = 0;
    if (raw) IUnknown_Release(raw);
    if (cookie) git_revoke(cookie);
}
