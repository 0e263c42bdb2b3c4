/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * marshal.c — in-process registration of rtcpm_ps.dll (see include/rtcpm/marshal.h), for
 * targets with a COM runtime. marshal_none.c is the same API where COM does not exist.
 *
 * The DLL itself says what to register: GetProxyDllInfo gives its proxy/stub CLSID and the
 * ProxyFileInfo tables listing every interface it marshals, so this file names none.
 */
#define COBJMACROS
#include <stdlib.h>
#include <rpcproxy.h>
#include "rtcpm/rtcpm.h"
#include "log.h"

typedef void(RPC_ENTRY *get_proxy_dll_info_fn)(const ProxyFileInfo ***files, const CLSID **clsid);

struct rtcpm_marshal_registration
{
    HMODULE module;                          /* one LoadLibrary reference, freed after the revoke */
    LPFNCANUNLOADNOW can_unload;             /* the DLL's DllCanUnloadNow */
    IUnknown *factory;                       /* its IPSFactoryBuffer, as registered */
    DWORD cookie;                            /* CoRegisterClassObject's */
    struct rtcpm_marshal_registration *next; /* on `pending` once revoked */
};

/* Revoked registrations whose DLL still had proxies or stubs alive. */
static SRWLOCK pending_lock = SRWLOCK_INIT;
static struct rtcpm_marshal_registration *pending;

/* GetProcAddress's FARPROC to a typed function pointer, through the generic function type
 * (a direct cast between unrelated function types draws -Wcast-function-type). */
#define PROC(module, name) ((void (*)(void))GetProcAddress((module), (name)))

static void registration_free(struct rtcpm_marshal_registration *reg)
{
    if (reg->factory) IUnknown_Release(reg->factory);
    if (reg->module) FreeLibrary(reg->module);
    free(reg);
}

/* Loads the proxy/stub DLL into reg->module and finds its entry points and its proxy file
 * list (GetProxyDllInfo: the interfaces it marshals, and its CLSID). */
static HRESULT load_proxy_dll(struct rtcpm_marshal_registration *reg, const WCHAR *ps_dll,
                              LPFNGETCLASSOBJECT *get_class_object, const ProxyFileInfo ***files, const CLSID **clsid)
{
    get_proxy_dll_info_fn get_info;

    reg->module = LoadLibraryW(ps_dll ? ps_dll : L"rtcpm_ps.dll");
    if (!reg->module) return HRESULT_FROM_WIN32(GetLastError());
    *get_class_object = (LPFNGETCLASSOBJECT)PROC(reg->module, "DllGetClassObject");
    reg->can_unload = (LPFNCANUNLOADNOW)PROC(reg->module, "DllCanUnloadNow");
    get_info = (get_proxy_dll_info_fn)PROC(reg->module, "GetProxyDllInfo");
    if (!*get_class_object || !reg->can_unload || !get_info) return HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND);
    get_info(files, clsid);
    if (!*files || !*clsid) return E_UNEXPECTED;
    return S_OK;
}

/* Every interface of every proxy file: marshalled by clsid (CoRegisterPSClsid). */
static HRESULT register_interfaces(const ProxyFileInfo **files, const CLSID *clsid)
{
    HRESULT hr;
    unsigned i, j;

    for (i = 0; files[i]; i++)
    {
        for (j = 0; j < files[i]->TableSize; j++)
        {
            const IID *iid = files[i]->pStubVtblList[j]->header.piid;
            hr = CoRegisterPSClsid(iid, clsid);
            if (FAILED(hr)) return hr;
            if (rtcpm_log_enabled(RTCPM_LOG_COM))
            {
                char text[39];
                rtcpm_guid_to_string(iid, text);
                RTCPM_TRACE(RTCPM_LOG_COM, "%s %s -> %s\n", files[i]->pNamesArray[j], text, "rtcpm_ps.dll");
            }
        }
    }
    return S_OK;
}

HRESULT rtcpm_marshal_register(const WCHAR *ps_dll, rtcpm_marshal_registration **out)
{
    struct rtcpm_marshal_registration *reg;
    LPFNGETCLASSOBJECT get_class_object = NULL;
    const ProxyFileInfo **files = NULL;
    const CLSID *clsid = NULL;
    HRESULT hr;
    int registered = 0;

    if (!out) return E_POINTER;
    *out = NULL;
    reg = calloc(1, sizeof(*reg));
    if (!reg) return E_OUTOFMEMORY;

    hr = load_proxy_dll(reg, ps_dll, &get_class_object, &files, &clsid);
    if (FAILED(hr)) goto fail;
    hr = get_class_object(clsid, &IID_IUnknown, (void **)&reg->factory);
    if (FAILED(hr)) goto fail;
    hr = CoRegisterClassObject(clsid, reg->factory, CLSCTX_INPROC_SERVER, REGCLS_MULTIPLEUSE, &reg->cookie);
    if (FAILED(hr)) goto fail;
    registered = 1;
    hr = register_interfaces(files, clsid);
    if (FAILED(hr)) goto fail;
    RTCPM_TRACE(RTCPM_LOG_COM, "registered in apartment of thread %lu, cookie %lu\n",
                (unsigned long)GetCurrentThreadId(), (unsigned long)reg->cookie);
    *out = reg;
    return S_OK;

fail:
    RTCPM_TRACE(RTCPM_LOG_COM, "failed: 0x%08lx\n", (unsigned long)hr);
    if (registered) CoRevokeClassObject(reg->cookie);
    registration_free(reg);
    return hr;
}

HRESULT rtcpm_marshal_unload_unused(void)
{
    struct rtcpm_marshal_registration **p, *reg;
    HRESULT hr;

    AcquireSRWLockExclusive(&pending_lock);
    for (p = &pending; *p;)
    {
        reg = *p;
        /* Safe to ask: this entry's own loader reference keeps the DLL mapped. */
        if (reg->can_unload() == S_OK)
        {
            *p = reg->next;
            registration_free(reg);
        }
        else
            p = &reg->next;
    }
    hr = pending ? S_FALSE : S_OK;
    ReleaseSRWLockExclusive(&pending_lock);
    return hr;
}

HRESULT rtcpm_marshal_revoke(rtcpm_marshal_registration *reg)
{
    HRESULT hr;

    if (!reg) return S_FALSE;
    hr = CoRevokeClassObject(reg->cookie);
    if (FAILED(hr))
    {
        RTCPM_TRACE(RTCPM_LOG_COM, "CoRevokeClassObject: 0x%08lx\n", (unsigned long)hr);
        return hr;
    }
    IUnknown_Release(reg->factory);
    reg->factory = NULL;

    AcquireSRWLockExclusive(&pending_lock);
    reg->next = pending;
    pending = reg;
    ReleaseSRWLockExclusive(&pending_lock);
    rtcpm_marshal_unload_unused();
    return S_OK;
}
