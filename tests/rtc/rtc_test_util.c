/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_test_util.c — see rtc_test_util.h.
 */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rtc_test_util.h"
#include "com/bstr_util.h"

static HMODULE dll;

HMODULE rtc_test_dll(void)
{
    if (!dll) dll = LoadLibraryW(L"rtcdll.dll");
    return dll;
}

HRESULT rtc_test_create_client(IRTCClient **out)
{
    HRESULT(WINAPI * get_class)(REFCLSID, REFIID, void **);
    IClassFactory *factory;
    HRESULT hr;

    *out = NULL;
    if (!rtc_test_dll()) return HRESULT_FROM_WIN32(GetLastError());
    get_class = (void *)GetProcAddress(dll, "DllGetClassObject");
    if (!get_class) return E_FAIL;
    if (FAILED(hr = get_class(&CLSID_RTCClient, &IID_IClassFactory, (void **)&factory))) return hr;
    hr = IClassFactory_CreateInstance(factory, NULL, &IID_IRTCClient, (void **)out);
    IClassFactory_Release(factory);
    return hr;
}

HRESULT rtc_test_dll_can_unload(void)
{
    HRESULT(WINAPI * can_unload)(void);
    if (!rtc_test_dll() || !(can_unload = (void *)GetProcAddress(dll, "DllCanUnloadNow"))) return E_FAIL;
    return can_unload();
}

HRESULT rtc_test_start_client(LONG filter, IRTCClient **client, struct rtc_test_sink **sink)
{
    HRESULT hr;

    if (sink) *sink = NULL;
    if (FAILED(hr = rtc_test_create_client(client))) return hr;
    if (FAILED(hr = IRTCClient_Initialize(*client)) || FAILED(hr = IRTCClient_put_EventFilter(*client, filter)))
        return hr;
    if (!sink) return S_OK;
    if (FAILED(hr = rtc_test_sink_create(0, sink))) return hr;
    return rtc_test_sink_advise(*sink, *client);
}

void rtc_test_stop_client(IRTCClient *client, struct rtc_test_sink *sink)
{
    IRTCClient_Shutdown(client);
    if (sink)
    {
        rtc_test_sink_release(sink);
    }
    IRTCClient_Release(client);
}

void rtc_test_pump(int ms)
{
    DWORD end = GetTickCount() + (DWORD)ms;
    MSG msg;

    do {
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE))
        {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
        MsgWaitForMultipleObjects(0, NULL, FALSE, 10, QS_ALLINPUT);
    } while ((LONG)(end - GetTickCount()) > 0);
}

int rtc_test_wait_refcount(IUnknown *unk, ULONG count, int timeout_ms)
{
    DWORD end = GetTickCount() + (DWORD)timeout_ms;

    for (;;)
    {
        IUnknown_AddRef(unk);
        if (IUnknown_Release(unk) == count) return 1;
        if ((LONG)(end - GetTickCount()) <= 0) return 0;
        rtc_test_pump(10);
    }
}

int rtc_test_pump_until(struct rtc_test_sink *sink, const char *text, int timeout_ms)
{
    DWORD end = GetTickCount() + (DWORD)timeout_ms;
    MSG msg;

    for (;;)
    {
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE))
        {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
        if (strstr(rtc_test_sink_log(sink), text)) return 1;
        if ((LONG)(end - GetTickCount()) <= 0) return 0;
        MsgWaitForMultipleObjects(0, NULL, FALSE, 10, QS_ALLINPUT);
    }
}

BSTR rtc_test_profile_xml(const char *user_uri, const char *registrar, const char *proxy)
{
    char xml[2048];
    int n = snprintf(xml, sizeof(xml),
                     "<provision key=\"{8e0b2a2e-0001}\" name=\"test profile\">"
                     "<user uri=\"%s\" account=\"alice\" password=\"secret\"/>",
                     user_uri);
    if (registrar)
        n += snprintf(xml + n, sizeof(xml) - n,
                      "<sipsrv addr=\"%s\" protocol=\"udp\" role=\"registrar\">"
                      "<session party=\"first\" type=\"pc2pc\"/></sipsrv>",
                      registrar);
    if (proxy)
        n += snprintf(xml + n, sizeof(xml) - n,
                      "<sipsrv addr=\"%s\" protocol=\"udp\" role=\"proxy\">"
                      "<session party=\"first\" type=\"pc2pc\"/><session party=\"first\" type=\"im\"/></sipsrv>",
                      proxy);
    snprintf(xml + n, sizeof(xml) - n, "</provision>");
    return rtcpm_bstr_from_cstr(xml);
}

HRESULT rtc_test_create_profile(IRTCClient *client, const char *xml, IRTCProfile **out)
{
    IRTCClientProvisioning *prov;
    BSTR b = rtcpm_bstr_from_utf8(xml, strlen(xml));
    HRESULT hr;

    *out = NULL;
    if (!b) return E_OUTOFMEMORY;
    hr = IRTCClient_QueryInterface(client, &IID_IRTCClientProvisioning, (void **)&prov);
    if (SUCCEEDED(hr))
    {
        hr = IRTCClientProvisioning_CreateProfile(prov, b, out);
        IRTCClientProvisioning_Release(prov);
    }
    SysFreeString(b);
    return hr;
}
