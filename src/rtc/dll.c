/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dll.c — rtcdll.dll's entry points: DllMain, DllGetClassObject (CLSID_RTCClient, else the
 * proxy/stub factory of the port-management interfaces linked in from widl's code),
 * DllCanUnloadNow, and the class factory of RTCClient.
 */
#include "rtc/rtc_private.h"

HINSTANCE rtcpm_rtc_instance;
static LONG server_locks;

/* widl's proxy/stub entry points, renamed by ps_prelude.h (ENTRY_PREFIX rtcpm_ps_). */
BOOL WINAPI rtcpm_ps_DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);
HRESULT WINAPI rtcpm_ps_DllGetClassObject(REFCLSID clsid, REFIID riid, void **out);
HRESULT WINAPI rtcpm_ps_DllCanUnloadNow(void);

HRESULT rtcpm_rtc_module_path(WCHAR *buf, DWORD len)
{
    DWORD n = GetModuleFileNameW(rtcpm_rtc_instance, buf, len);
    if (!n || n >= len) return E_FAIL;
    return S_OK;
}

static HRESULT WINAPI factory_QueryInterface(IClassFactory *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IClassFactory))
    {
        *out = iface;
        IClassFactory_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

/* The factory is static: its references keep the server loaded, as LockServer does. */
static ULONG WINAPI factory_AddRef(IClassFactory *iface)
{
    ULONG ref = (ULONG)InterlockedIncrement(&server_locks) + 1;

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static ULONG WINAPI factory_Release(IClassFactory *iface)
{
    ULONG ref = (ULONG)InterlockedDecrement(&server_locks) + 1;

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static HRESULT WINAPI factory_CreateInstance(IClassFactory *iface, IUnknown *outer, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%p, %s, %p)", (void *)iface, (void *)outer, rtcpm_debugstr_guid(riid), (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    if (outer) return CLASS_E_NOAGGREGATION;
    return rtcpm_rtc_client_create(riid, out);
}

static HRESULT WINAPI factory_LockServer(IClassFactory *iface, BOOL lock)
{
    RTC_TRACE("(%p)->(%d)", (void *)iface, (int)lock);
    if (lock)
        InterlockedIncrement(&server_locks);
    else
        InterlockedDecrement(&server_locks);
    return S_OK;
}

static const IClassFactoryVtbl factory_vtbl = {
    factory_QueryInterface, factory_AddRef, factory_Release, factory_CreateInstance, factory_LockServer,
};

static IClassFactory client_factory = { &factory_vtbl };

HRESULT WINAPI DllGetClassObject(REFCLSID clsid, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    *out = NULL;
    if (IsEqualCLSID(clsid, &CLSID_RTCClient)) return IClassFactory_QueryInterface(&client_factory, riid, out);
    /* The proxy/stub factory (its own CLSID, ps_prelude.h), or CLASS_E_CLASSNOTAVAILABLE. */
    return rtcpm_ps_DllGetClassObject(clsid, riid, out);
}

HRESULT WINAPI DllCanUnloadNow(void)
{
    if (server_locks > 0 || rtcpm_live_objects() > 0) return S_FALSE;
    if (rtcpm_ps_DllCanUnloadNow() != S_OK) return S_FALSE;
    rtcpm_rtc_typeinfo_clear();
    return S_OK;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    if (reason == DLL_PROCESS_ATTACH)
    {
        rtcpm_rtc_instance = instance;
        DisableThreadLibraryCalls(instance);
    }
    /* the proxy code keeps the module handle for NdrDllRegisterProxy */
    return rtcpm_ps_DllMain(instance, reason, reserved);
}
