/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * typeinfo.c — the DLL's own type library (TYPELIB resource 1, widl's from
 * idl/rtcclient.idl), loaded once, and IDispatch for the dual interfaces through it:
 * oleaut32's DispGetIDsOfNames / DispInvoke call the object's vtable at the offsets the type
 * library gives (tests/rtc check those against <rtccore.h>).
 * Loaded with REGKIND_NONE: it works whether or not regsvr32 was run.
 */
#include "rtc/rtc_private.h"

static SRWLOCK typelib_lock = SRWLOCK_INIT;
static ITypeLib *typelib;

static HRESULT load_typelib(ITypeLib **out)
{
    WCHAR path[MAX_PATH];
    ITypeLib *lib;
    HRESULT hr;

    AcquireSRWLockExclusive(&typelib_lock);
    if (!typelib)
    {
        hr = rtcpm_rtc_module_path(path, ARRAY_SIZE(path));
        if (SUCCEEDED(hr)) hr = LoadTypeLibEx(path, REGKIND_NONE, &lib);
        if (FAILED(hr))
        {
            ReleaseSRWLockExclusive(&typelib_lock);
            RTC_TRACE("no type library: %#lx", (unsigned long)hr);
            return hr;
        }
        typelib = lib;
    }
    *out = typelib;
    ITypeLib_AddRef(typelib);
    ReleaseSRWLockExclusive(&typelib_lock);
    return S_OK;
}

HRESULT rtcpm_rtc_typeinfo(REFIID iid, ITypeInfo **out)
{
    ITypeLib *lib;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (FAILED(hr = load_typelib(&lib))) return hr;
    hr = ITypeLib_GetTypeInfoOfGuid(lib, iid, out);
    ITypeLib_Release(lib);
    return hr;
}

void rtcpm_rtc_typeinfo_clear(void)
{
    ITypeLib *lib;

    AcquireSRWLockExclusive(&typelib_lock);
    lib = typelib;
    typelib = NULL;
    ReleaseSRWLockExclusive(&typelib_lock);
    if (lib) ITypeLib_Release(lib);
}

HRESULT rtcpm_rtc_dispatch_get_type_info(REFIID iid, UINT index, ITypeInfo **out)
{
    if (!out) return E_POINTER;
    *out = NULL;
    if (index) return DISP_E_BADINDEX;
    return rtcpm_rtc_typeinfo(iid, out);
}

HRESULT rtcpm_rtc_dispatch_get_ids(REFIID iid, LPOLESTR *names, UINT count, DISPID *ids)
{
    ITypeInfo *ti;
    HRESULT hr;

    if (!names || !ids) return E_POINTER;
    if (FAILED(hr = rtcpm_rtc_typeinfo(iid, &ti))) return hr;
    hr = DispGetIDsOfNames(ti, names, count, ids);
    ITypeInfo_Release(ti);
    return hr;
}

HRESULT rtcpm_rtc_dispatch_invoke(REFIID iid, void *iface, DISPID id, WORD flags, DISPPARAMS *params, VARIANT *result,
                                  EXCEPINFO *excep, UINT *arg_err)
{
    ITypeInfo *ti;
    HRESULT hr;

    if (FAILED(hr = rtcpm_rtc_typeinfo(iid, &ti))) return hr;
    hr = DispInvoke(iface, ti, id, flags, params, result, excep, arg_err);
    ITypeInfo_Release(ti);
    return hr;
}
