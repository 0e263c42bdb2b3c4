/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm_wintypes.h — just enough of the Windows/COM ABI for rtcpm off Windows.
 *
 * Used only by non-Windows builds (the include directory is added to the search path
 * by CMake when the target is not Windows). The named headers beside this one
 * (windows.h, unknwn.h, wtypes.h, oleauto.h, ...) are the names widl's output and
 * COM code include; each just includes this file.
 *
 * The widths are the Windows ones on every target: LONG is 32-bit (not C's long, which is
 * 64-bit on LP64), WCHAR/OLECHAR 16-bit (not wchar_t, which is 32-bit on Linux). On i386 the
 * COM calling convention is stdcall, as on Windows; on x86_64 the platform's own.
 */
#ifndef RTCPM_COMPAT_WINTYPES_H
#define RTCPM_COMPAT_WINTYPES_H

#ifdef _WIN32
#error "rtcpm/compat is for non-Windows builds only: use the SDK's own headers on Windows"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
#define EXTERN_C extern "C"
#else
#define EXTERN_C extern
#endif

/* Calling conventions and decorations widl's output uses. */
#if defined(__i386__)
#define WINAPI __attribute__((__stdcall__))
#else
#define WINAPI
#endif
#define STDMETHODCALLTYPE WINAPI
#define STDAPICALLTYPE    WINAPI
#define __RPC_USER        WINAPI
#define __RPC_STUB        WINAPI
#define __RPC_FAR
#define CALLBACK           WINAPI
#define FORCEINLINE        static inline
#define DECLSPEC_SELECTANY __attribute__((weak))
#define DECLSPEC_UUID(x)
#define DECLSPEC_NOVTABLE
#define BEGIN_INTERFACE
#define END_INTERFACE
#define CONST_VTBL const
#define interface  struct
#ifdef __cplusplus
#define MIDL_INTERFACE(x) struct
#endif

/* Integer types with Windows widths. */
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef uint32_t DWORD;
typedef uint16_t WORD;
typedef uint8_t BYTE;
typedef int32_t INT;
typedef uint32_t UINT;
typedef int32_t BOOL;
typedef int32_t HRESULT;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef intptr_t LONG_PTR;
typedef uintptr_t ULONG_PTR;
typedef uint16_t WCHAR;
typedef WCHAR OLECHAR;
typedef OLECHAR *LPOLESTR;
typedef const OLECHAR *LPCOLESTR;
typedef WCHAR *LPWSTR;
typedef const WCHAR *LPCWSTR;
typedef char CHAR;
typedef const char *LPCSTR;
typedef void *LPVOID;
typedef void *HANDLE;
typedef short VARIANT_BOOL;
typedef OLECHAR *BSTR;

#ifndef TRUE
#define TRUE  1
#define FALSE 0
#endif

/* HRESULTs. */
#define S_OK                  ((HRESULT)0)
#define S_FALSE               ((HRESULT)1)
#define E_NOTIMPL             ((HRESULT)0x80004001)
#define E_NOINTERFACE         ((HRESULT)0x80004002)
#define E_POINTER             ((HRESULT)0x80004003)
#define E_ABORT               ((HRESULT)0x80004004)
#define E_FAIL                ((HRESULT)0x80004005)
#define E_UNEXPECTED          ((HRESULT)0x8000FFFF)
#define E_OUTOFMEMORY         ((HRESULT)0x8007000E)
#define E_INVALIDARG          ((HRESULT)0x80070057)
#define E_ACCESSDENIED        ((HRESULT)0x80070005)
#define CLASS_E_NOAGGREGATION ((HRESULT)0x80040110)
#define SUCCEEDED(hr)         ((HRESULT)(hr) >= 0)
#define FAILED(hr)            ((HRESULT)(hr) < 0)
#define HRESULT_FROM_WIN32(x) ((HRESULT)(x) <= 0 ? (HRESULT)(x) : (HRESULT)(((x)&0x0000FFFF) | (7 << 16) | 0x80000000))

/* The Win32 error codes rtcpm returns through HRESULT_FROM_WIN32 (winerror.h's values). */
#ifndef ERROR_FILE_NOT_FOUND
#define ERROR_FILE_NOT_FOUND 2L
#endif
#ifndef ERROR_INSUFFICIENT_BUFFER
#define ERROR_INSUFFICIENT_BUFFER 122L
#endif

#define CONTAINING_RECORD(address, type, field) ((type *)((char *)(address)-offsetof(type, field)))
#define ARRAY_SIZE(a)                           (sizeof(a) / sizeof((a)[0]))

/* GUIDs. */
typedef struct _GUID
{
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID;
typedef GUID IID;
typedef GUID CLSID;
#ifdef __cplusplus
#define REFGUID  const GUID &
#define REFIID   const IID &
#define REFCLSID const CLSID &
#else
#define REFGUID  const GUID *
#define REFIID   const IID *
#define REFCLSID const CLSID *
#endif

/* DEFINE_GUID declares unless INITGUID is defined (then it defines), as on Windows. */
#undef DEFINE_GUID
#ifdef INITGUID
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)                                                   \
    EXTERN_C const GUID name;                                                                                          \
    const GUID name = { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
#else
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) EXTERN_C const GUID name
#endif

#ifdef __cplusplus
static inline bool IsEqualGUID(REFGUID a, REFGUID b) { return memcmp(&a, &b, sizeof(GUID)) == 0; }
static inline bool operator==(REFGUID a, REFGUID b) { return IsEqualGUID(a, b); }
static inline bool operator!=(REFGUID a, REFGUID b) { return !IsEqualGUID(a, b); }
#else
#define IsEqualGUID(a, b) (!memcmp((a), (b), sizeof(GUID)))
#endif
#define IsEqualIID(a, b)   IsEqualGUID(a, b)
#define IsEqualCLSID(a, b) IsEqualGUID(a, b)

/* Atomic refcounts: the Interlocked* names COM code uses, on the compiler's atomics
 * (sequentially consistent, what C11 atomic_fetch_add gives; visible to ThreadSanitizer). */
static inline LONG InterlockedIncrement(LONG volatile *p) { return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedDecrement(LONG volatile *p) { return __atomic_sub_fetch(p, 1, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedExchange(LONG volatile *p, LONG v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
static inline LONG InterlockedCompareExchange(LONG volatile *p, LONG xchg, LONG cmp)
{
    __atomic_compare_exchange_n(p, &cmp, xchg, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return cmp;
}
static inline void *InterlockedExchangePointer(void *volatile *p, void *v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

/* IUnknown. */
typedef interface IUnknown IUnknown;
typedef IUnknown *LPUNKNOWN;
EXTERN_C const IID IID_IUnknown;

#if defined(__cplusplus) && !defined(CINTERFACE)
struct IUnknown
{
    virtual HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppvObject) = 0;
    virtual ULONG STDMETHODCALLTYPE AddRef(void) = 0;
    virtual ULONG STDMETHODCALLTYPE Release(void) = 0;
};
#else
typedef struct IUnknownVtbl
{
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(IUnknown *This, REFIID riid, void **ppvObject);
    ULONG(STDMETHODCALLTYPE *AddRef)(IUnknown *This);
    ULONG(STDMETHODCALLTYPE *Release)(IUnknown *This);
} IUnknownVtbl;
struct IUnknown
{
    CONST_VTBL IUnknownVtbl *lpVtbl;
};
#ifdef COBJMACROS
#define IUnknown_QueryInterface(This, riid, ppv) (This)->lpVtbl->QueryInterface(This, riid, ppv)
#define IUnknown_AddRef(This)                    (This)->lpVtbl->AddRef(This)
#define IUnknown_Release(This)                   (This)->lpVtbl->Release(This)
#endif
#endif

/* BSTR runtime (src/com/bstr.c): same layout and semantics as oleaut32's. */
#ifdef __cplusplus
extern "C" {
#endif
BSTR WINAPI SysAllocString(const OLECHAR *psz);
BSTR WINAPI SysAllocStringLen(const OLECHAR *str, UINT len);
BSTR WINAPI SysAllocStringByteLen(const char *str, UINT len);
INT WINAPI SysReAllocString(BSTR *old, const OLECHAR *psz);
INT WINAPI SysReAllocStringLen(BSTR *old, const OLECHAR *str, UINT len);
void WINAPI SysFreeString(BSTR str);
UINT WINAPI SysStringLen(BSTR str);
UINT WINAPI SysStringByteLen(BSTR str);
#ifdef __cplusplus
}
#endif

#endif /* RTCPM_COMPAT_WINTYPES_H */
