/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_rtc_typelib.c — rtcdll.dll's type library (widl's from idl/rtcclient.idl; this test
 * embeds the same .tlb as its own TYPELIB resource 1) against mingw-w64's <rtccore.h>:
 *  - every method of every interface in rtc_vtbl_list.h sits at the vtable offset (oVft) the
 *    header gives it, with the right kind (method, propget, propput), and nothing more;
 *  - the library's identity (LIBID, 1.2, this architecture), the RTCClient coclass, the event
 *    interfaces' DISPIDs (the SDK's 1, 2, 3, 4);
 *  - oleaut32's CreateStdDispatch/DispInvoke, given this type library, read an object built
 *    with <rtccore.h>'s vtable correctly (what the DLL's event objects rely on).
 * (vtbl_rtccore.c and vtbl_idl.c, linked in, hold both headers to the list at compile time.)
 */
#define COBJMACROS
#include <stddef.h>
#include <string.h>
#include "harness.h"
#include <rtccore.h>
#include "rtc_vtbl_list.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static ITypeLib *typelib;

static int load_typelib(void)
{
    WCHAR path[MAX_PATH];
    if (!GetModuleFileNameW(NULL, path, MAX_PATH)) return -1;
    return SUCCEEDED(LoadTypeLibEx(path, REGKIND_NONE, &typelib)) ? 0 : -1;
}

static int free_typelib(void)
{
    if (typelib) ITypeLib_Release(typelib);
    typelib = NULL;
    return 0;
}

/* The vtable half of an interface's type info (a dual interface's GUID gives the dispatch
 * half first). */
static HRESULT vtable_typeinfo(const IID *iid, ITypeInfo **out)
{
    ITypeInfo *ti, *vt;
    HREFTYPE ref;
    TYPEATTR *attr;
    TYPEKIND kind;
    HRESULT hr;

    if (FAILED(hr = ITypeLib_GetTypeInfoOfGuid(typelib, iid, &ti))) return hr;
    ITypeInfo_GetTypeAttr(ti, &attr);
    kind = attr->typekind;
    ITypeInfo_ReleaseTypeAttr(ti, attr);
    if (kind == TKIND_INTERFACE)
    {
        *out = ti;
        return S_OK;
    }
    hr = ITypeInfo_GetRefTypeOfImplType(ti, -1, &ref);
    if (SUCCEEDED(hr)) hr = ITypeInfo_GetRefTypeInfo(ti, ref, &vt);
    ITypeInfo_Release(ti);
    if (SUCCEEDED(hr)) *out = vt;
    return hr;
}

enum kind
{
    FUNC = INVOKE_FUNC,
    GET = INVOKE_PROPERTYGET,
    PUT = INVOKE_PROPERTYPUT
};

struct slot
{
    const char *iface;
    const IID *iid;
    size_t slot;
    size_t offset; /* offsetof in <rtccore.h>'s vtable */
    const char *name;
    INVOKEKIND kind;
};

#define SLOT(iface, slot, member, kind, name)                                                                          \
    { #iface, &IID_##iface, slot, offsetof(iface##Vtbl, member), #name, (INVOKEKIND)kind },

static const struct slot slots[] = { RTC_VTBL_ALL(SLOT) };

/* The FUNCDESC of name/kind in ti, or NULL. */
static FUNCDESC *find_func(ITypeInfo *ti, const char *name, INVOKEKIND kind, unsigned *count)
{
    TYPEATTR *attr;
    FUNCDESC *fd;
    BSTR fname;
    char text[128];
    UINT i, n;

    ITypeInfo_GetTypeAttr(ti, &attr);
    n = attr->cFuncs;
    ITypeInfo_ReleaseTypeAttr(ti, attr);
    *count = n;
    for (i = 0; i < n; i++)
    {
        if (FAILED(ITypeInfo_GetFuncDesc(ti, i, &fd))) continue;
        if (fd->invkind == kind && SUCCEEDED(ITypeInfo_GetDocumentation(ti, fd->memid, &fname, NULL, NULL, NULL)))
        {
            WideCharToMultiByte(CP_ACP, 0, fname, -1, text, sizeof(text), NULL, NULL);
            SysFreeString(fname);
            if (!strcmp(text, name)) return fd;
        }
        ITypeInfo_ReleaseFuncDesc(ti, fd);
    }
    return NULL;
}

static void test_every_slot(void)
{
    size_t i, own = 0;
    const char *current = NULL;
    unsigned count = 0, expected_count = 0;
    ITypeInfo *ti = NULL;
    FUNCDESC *fd;

    for (i = 0; i < ARRAY_SIZE(slots); i++)
    {
        if (!current || strcmp(current, slots[i].iface))
        {
            if (ti) ITypeInfo_Release(ti);
            current = slots[i].iface;
            CU_ASSERT_EQUAL_FATAL(vtable_typeinfo(slots[i].iid, &ti), S_OK);
            for (own = i, expected_count = 0; own < ARRAY_SIZE(slots) && !strcmp(slots[own].iface, current); own++)
                expected_count++;
        }
        CU_ASSERT_EQUAL(slots[i].offset, slots[i].slot * sizeof(void *));
        fd = find_func(ti, slots[i].name, slots[i].kind, &count);
        if (!fd) printf("  %s::%s (kind %d) not in the type library\n", current, slots[i].name, slots[i].kind);
        CU_ASSERT_PTR_NOT_NULL(fd);
        CU_ASSERT_EQUAL(count, expected_count);
        if (!fd) continue;
        if ((size_t)fd->oVft != slots[i].offset)
            printf("  %s::%s: type library offset %d, <rtccore.h> %u\n", current, slots[i].name, fd->oVft,
                   (unsigned)slots[i].offset);
        CU_ASSERT_EQUAL((size_t)fd->oVft, slots[i].offset);
        ITypeInfo_ReleaseFuncDesc(ti, fd);
    }
    if (ti) ITypeInfo_Release(ti);
}

static void test_library(void)
{
    TLIBATTR *attr;
    ITypeInfo *ti;
    TYPEATTR *tattr;

    CU_ASSERT_EQUAL_FATAL(ITypeLib_GetLibAttr(typelib, &attr), S_OK);
    CU_ASSERT_TRUE(IsEqualGUID(&attr->guid, &LIBID_RTCCORELib));
    CU_ASSERT_EQUAL(attr->wMajorVerNum, 1);
    CU_ASSERT_EQUAL(attr->wMinorVerNum, 2);
    CU_ASSERT_EQUAL(attr->syskind, sizeof(void *) == 8 ? SYS_WIN64 : SYS_WIN32);
    ITypeLib_ReleaseTLibAttr(typelib, attr);
    CU_ASSERT_EQUAL_FATAL(ITypeLib_GetTypeInfoOfGuid(typelib, &CLSID_RTCClient, &ti), S_OK);
    ITypeInfo_GetTypeAttr(ti, &tattr);
    CU_ASSERT_EQUAL(tattr->typekind, TKIND_COCLASS);
    ITypeInfo_ReleaseTypeAttr(ti, tattr);
    ITypeInfo_Release(ti);
    CU_ASSERT_EQUAL_FATAL(ITypeLib_GetTypeInfoOfGuid(typelib, &DIID_IRTCDispatchEventNotification, &ti), S_OK);
    ITypeInfo_GetTypeAttr(ti, &tattr);
    CU_ASSERT_EQUAL(tattr->typekind, TKIND_DISPATCH);
    ITypeInfo_ReleaseTypeAttr(ti, tattr);
    ITypeInfo_Release(ti);
    /* the port-management interfaces stay out: they are marshalled by widl's proxies */
    CU_ASSERT_EQUAL(ITypeLib_GetTypeInfoOfGuid(typelib, &IID_IRTCPortManager, &ti), TYPE_E_ELEMENTNOTFOUND);
}

static void test_event_dispids(void)
{
    static const struct
    {
        const IID *iid;
        const WCHAR *name;
        DISPID id;
    } ids[] = {
        { &IID_IRTCRegistrationStateChangeEvent, L"Profile", 1 },
        { &IID_IRTCRegistrationStateChangeEvent, L"State", 2 },
        { &IID_IRTCRegistrationStateChangeEvent, L"StatusCode", 3 },
        { &IID_IRTCRegistrationStateChangeEvent, L"StatusText", 4 },
        { &IID_IRTCSessionStateChangeEvent, L"Session", 1 },
        { &IID_IRTCSessionStateChangeEvent, L"StatusText", 4 },
        { &IID_IRTCParticipantStateChangeEvent, L"Participant", 1 },
        { &IID_IRTCParticipantStateChangeEvent, L"StatusCode", 3 },
        { &IID_IRTCClientEvent, L"EventType", 1 },
        { &IID_IRTCClientEvent, L"Client", 2 },
        { &IID_IRTCCollection, L"Count", 1 },
        { &IID_IRTCCollection, L"Item", DISPID_VALUE },
    };
    ITypeInfo *ti;
    DISPID id;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(ids); i++)
    {
        LPOLESTR name = (LPOLESTR)ids[i].name;
        CU_ASSERT_EQUAL_FATAL(ITypeLib_GetTypeInfoOfGuid(typelib, ids[i].iid, &ti), S_OK);
        CU_ASSERT_EQUAL(ITypeInfo_GetIDsOfNames(ti, &name, 1, &id), S_OK);
        CU_ASSERT_EQUAL(id, ids[i].id);
        ITypeInfo_Release(ti);
    }
}

/* ---- an event object typed by <rtccore.h>, read through IDispatch ---------------------------- */

struct fake_event
{
    IRTCRegistrationStateChangeEvent iface;
    LONG ref;
};

static HRESULT WINAPI fe_QueryInterface(IRTCRegistrationStateChangeEvent *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IRTCRegistrationStateChangeEvent))
    {
        *out = iface;
        IRTCRegistrationStateChangeEvent_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI fe_AddRef(IRTCRegistrationStateChangeEvent *iface)
{
    return InterlockedIncrement(&CONTAINING_RECORD(iface, struct fake_event, iface)->ref);
}

static ULONG WINAPI fe_Release(IRTCRegistrationStateChangeEvent *iface)
{
    return InterlockedDecrement(&CONTAINING_RECORD(iface, struct fake_event, iface)->ref);
}

/* IDispatch's own methods are CreateStdDispatch's business: never called here. */
static HRESULT WINAPI fe_GetTypeInfoCount(IRTCRegistrationStateChangeEvent *iface, UINT *n)
{
    (void)iface, (void)n;
    return E_UNEXPECTED;
}

static HRESULT WINAPI fe_GetTypeInfo(IRTCRegistrationStateChangeEvent *iface, UINT i, LCID lcid, ITypeInfo **out)
{
    (void)iface, (void)i, (void)lcid, (void)out;
    return E_UNEXPECTED;
}

static HRESULT WINAPI fe_GetIDsOfNames(IRTCRegistrationStateChangeEvent *iface, REFIID riid, LPOLESTR *names, UINT n,
                                       LCID lcid, DISPID *ids)
{
    (void)iface, (void)riid, (void)names, (void)n, (void)lcid, (void)ids;
    return E_UNEXPECTED;
}

static HRESULT WINAPI fe_Invoke(IRTCRegistrationStateChangeEvent *iface, DISPID id, REFIID riid, LCID lcid, WORD flags,
                                DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    (void)iface, (void)id, (void)riid, (void)lcid, (void)flags, (void)params, (void)result, (void)excep;
    (void)arg_err;
    return E_UNEXPECTED;
}

static HRESULT WINAPI fe_get_Profile(IRTCRegistrationStateChangeEvent *iface, IRTCProfile **out)
{
    (void)iface;
    *out = NULL;
    return S_OK;
}

static HRESULT WINAPI fe_get_State(IRTCRegistrationStateChangeEvent *iface, RTC_REGISTRATION_STATE *out)
{
    (void)iface;
    *out = RTCRS_REJECTED;
    return S_OK;
}

static HRESULT WINAPI fe_get_StatusCode(IRTCRegistrationStateChangeEvent *iface, LONG *out)
{
    (void)iface;
    *out = (LONG)0x80EF0191;
    return S_OK;
}

static HRESULT WINAPI fe_get_StatusText(IRTCRegistrationStateChangeEvent *iface, BSTR *out)
{
    (void)iface;
    *out = SysAllocString(L"Unauthorized");
    return S_OK;
}

static const IRTCRegistrationStateChangeEventVtbl fe_vtbl = {
    fe_QueryInterface, fe_AddRef,      fe_Release,   fe_GetTypeInfoCount, fe_GetTypeInfo,    fe_GetIDsOfNames,
    fe_Invoke,         fe_get_Profile, fe_get_State, fe_get_StatusCode,   fe_get_StatusText,
};

static void test_std_dispatch(void)
{
    struct fake_event ev = { { &fe_vtbl }, 1 };
    DISPPARAMS none = { NULL, NULL, 0, 0 };
    IUnknown *std;
    IDispatch *disp;
    ITypeInfo *ti;
    VARIANT v;
    DISPID id;
    LPOLESTR name = (LPOLESTR)L"StatusText";

    CU_ASSERT_EQUAL_FATAL(ITypeLib_GetTypeInfoOfGuid(typelib, &IID_IRTCRegistrationStateChangeEvent, &ti), S_OK);
    CU_ASSERT_EQUAL_FATAL(CreateStdDispatch(NULL, &ev.iface, ti, &std), S_OK);
    CU_ASSERT_EQUAL_FATAL(IUnknown_QueryInterface(std, &IID_IDispatch, (void **)&disp), S_OK);
    VariantInit(&v);
    CU_ASSERT_EQUAL(IDispatch_Invoke(disp, 2, &IID_NULL, 0, DISPATCH_PROPERTYGET, &none, &v, NULL, NULL), S_OK);
    CU_ASSERT_EQUAL(V_VT(&v), VT_I4);
    CU_ASSERT_EQUAL(V_I4(&v), RTCRS_REJECTED);
    CU_ASSERT_EQUAL(IDispatch_Invoke(disp, 3, &IID_NULL, 0, DISPATCH_PROPERTYGET, &none, &v, NULL, NULL), S_OK);
    CU_ASSERT_EQUAL(V_VT(&v), VT_I4);
    CU_ASSERT_EQUAL((ULONG)V_I4(&v), 0x80EF0191u);
    CU_ASSERT_EQUAL(IDispatch_GetIDsOfNames(disp, &IID_NULL, &name, 1, 0, &id), S_OK);
    CU_ASSERT_EQUAL(id, 4);
    CU_ASSERT_EQUAL(IDispatch_Invoke(disp, id, &IID_NULL, 0, DISPATCH_PROPERTYGET, &none, &v, NULL, NULL), S_OK);
    CU_ASSERT_EQUAL(V_VT(&v), VT_BSTR);
    CU_ASSERT_TRUE(V_VT(&v) == VT_BSTR && !lstrcmpW(V_BSTR(&v), L"Unauthorized"));
    VariantClear(&v);
    IDispatch_Release(disp);
    IUnknown_Release(std);
    ITypeInfo_Release(ti);
    CU_ASSERT_EQUAL(ev.ref, 1);
}

static CU_TestInfo tests[] = {
    { "every_slot", test_every_slot },     { "library", test_library }, { "event_dispids", test_event_dispids },
    { "std_dispatch", test_std_dispatch }, CU_TEST_INFO_NULL,
};

int rtcpm_test_vtbl_rtccore_checked(void);
int rtcpm_test_vtbl_idl_checked(void);

int main(int argc, char **argv)
{
    int rc;

    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    if (!rtcpm_test_vtbl_rtccore_checked() || !rtcpm_test_vtbl_idl_checked() || load_typelib() < 0)
    {
        printf("FAILED: no type library in this executable\n");
        return 1;
    }
    rc = rtcpm_test_main("rtc_typelib", tests, argc, argv);
    free_typelib();
    CoUninitialize();
    return rc;
}
