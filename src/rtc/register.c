/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * register.c — DllRegisterServer / DllUnregisterServer (what `regsvr32 rtcdll.dll` and
 * `regsvr32 /u rtcdll.dll` do):
 *   HKCR\CLSID\{7A42EA29-A2B7-40C4-B091-F6F024AA89BE}        "RTCClient Class"
 *       InprocServer32 = <path of rtcdll.dll>, ThreadingModel = Apartment
 *       TypeLib = {CD260094-DE10-4AEE-AC73-EF87F6E12683}, Version = 1.2
 *   the type library (RegisterTypeLib: HKCR\TypeLib\{...}\1.2, and the oleautomation
 *   interfaces it describes — the event interfaces, IRTCEventNotification, IRTCCollection —
 *   marshalled by oleaut32's typelib marshaler)
 *   the proxy/stub of the port-management interfaces (widl's code in this DLL:
 *   HKCR\Interface\{IID}\ProxyStubClsid32 and the factory's CLSID, see ps_prelude.h).
 * Unregistering removes all three; a failure of one step is returned, the others still run.
 */
#include "rtc/rtc_private.h"

HRESULT WINAPI rtcpm_ps_DllRegisterServer(void);
HRESULT WINAPI rtcpm_ps_DllUnregisterServer(void);

#define CLIENT_KEY L"CLSID\\{7A42EA29-A2B7-40C4-B091-F6F024AA89BE}"

static HRESULT set_value(HKEY root, const WCHAR *subkey, const WCHAR *name, const WCHAR *value)
{
    HKEY key;
    LONG err = RegCreateKeyExW(root, subkey, 0, NULL, 0, KEY_WRITE, NULL, &key, NULL);
    if (err != ERROR_SUCCESS) return HRESULT_FROM_WIN32(err);
    err = RegSetValueExW(key, name, 0, REG_SZ, (const BYTE *)value, (DWORD)((lstrlenW(value) + 1) * sizeof(WCHAR)));
    RegCloseKey(key);
    return err == ERROR_SUCCESS ? S_OK : HRESULT_FROM_WIN32(err);
}

static HRESULT register_class(const WCHAR *path)
{
    HRESULT hr;
    if (FAILED(hr = set_value(HKEY_CLASSES_ROOT, CLIENT_KEY, NULL, L"RTCClient Class"))) return hr;
    if (FAILED(hr = set_value(HKEY_CLASSES_ROOT, CLIENT_KEY L"\\InprocServer32", NULL, path))) return hr;
    if (FAILED(hr = set_value(HKEY_CLASSES_ROOT, CLIENT_KEY L"\\InprocServer32", L"ThreadingModel", L"Apartment")))
        return hr;
    if (FAILED(hr = set_value(HKEY_CLASSES_ROOT, CLIENT_KEY L"\\TypeLib", NULL,
                              L"{CD260094-DE10-4AEE-AC73-EF87F6E12683}")))
        return hr;
    return set_value(HKEY_CLASSES_ROOT, CLIENT_KEY L"\\Version", NULL, L"1.2");
}

static HRESULT register_typelib(const WCHAR *path)
{
    ITypeLib *lib;
    HRESULT hr = LoadTypeLibEx(path, REGKIND_REGISTER, &lib);
    if (SUCCEEDED(hr)) ITypeLib_Release(lib);
    return hr;
}

HRESULT WINAPI DllRegisterServer(void)
{
    WCHAR path[MAX_PATH];
    HRESULT hr;

    if (FAILED(hr = rtcpm_rtc_module_path(path, ARRAY_SIZE(path)))) return hr;
    if (FAILED(hr = register_class(path))) return hr;
    if (FAILED(hr = register_typelib(path))) return hr;
    /* After the type library: its registration must not take the port-management
     * interfaces (it does not describe them; this keeps it so). */
    return rtcpm_ps_DllRegisterServer();
}

HRESULT WINAPI DllUnregisterServer(void)
{
    HRESULT hr = S_OK, step;
    LONG err;

    err = RegDeleteTreeW(HKEY_CLASSES_ROOT, CLIENT_KEY);
    if (err != ERROR_SUCCESS && err != ERROR_FILE_NOT_FOUND) hr = HRESULT_FROM_WIN32(err);
    if (err == ERROR_SUCCESS) RegDeleteKeyW(HKEY_CLASSES_ROOT, CLIENT_KEY);
    step = UnRegisterTypeLib(&LIBID_RTCCORELib, 1, 2, LOCALE_NEUTRAL, sizeof(void *) == 8 ? SYS_WIN64 : SYS_WIN32);
    if (FAILED(step) && step != TYPE_E_REGISTRYACCESS && SUCCEEDED(hr)) hr = step;
    step = rtcpm_ps_DllUnregisterServer();
    if (FAILED(step) && SUCCEEDED(hr)) hr = step;
    return hr;
}
