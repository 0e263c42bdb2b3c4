/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * malloc_spy.c — see malloc_spy.h.
 *
 * Wine calls the spy for every CoTaskMem* call, inside its allocator lock; fSpyed tells
 * whether a block was allocated while a spy was installed, so blocks from before the spy do
 * not unbalance the count. A realloc moves a block: it counts as alive afterwards when the
 * result is non-NULL, whether or not the old block was spied.
 */
#include "malloc_spy.h"

/* oleaut32 exports it but no mingw-w64 header declares it. Declared without WINAPI: it takes
 * no arguments, so stdcall and cdecl are the same call, and mingw-w64's i686 import library
 * names it undecorated (_SetOaNoCache, not _SetOaNoCache@0). */
void SetOaNoCache(void);

static LONG live;
static _Thread_local BOOL realloc_had_spied_block;

static HRESULT WINAPI spy_QueryInterface(IMallocSpy *iface, REFIID riid, void **out)
{
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IMallocSpy))
    {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

/* A static object: no refcount to keep. */
static ULONG WINAPI spy_AddRef(IMallocSpy *iface)
{
    (void)iface;
    return 2;
}
static ULONG WINAPI spy_Release(IMallocSpy *iface)
{
    (void)iface;
    return 1;
}

static SIZE_T WINAPI spy_PreAlloc(IMallocSpy *iface, SIZE_T cb)
{
    (void)iface;
    return cb;
}

static void *WINAPI spy_PostAlloc(IMallocSpy *iface, void *actual)
{
    (void)iface;
    if (actual) InterlockedIncrement(&live);
    return actual;
}

static void *WINAPI spy_PreFree(IMallocSpy *iface, void *request, BOOL spyed)
{
    (void)iface;
    if (request && spyed) InterlockedDecrement(&live);
    return request;
}

static void WINAPI spy_PostFree(IMallocSpy *iface, BOOL spyed)
{
    (void)iface;
    (void)spyed;
}

static SIZE_T WINAPI spy_PreRealloc(IMallocSpy *iface, void *request, SIZE_T cb, void **new_request, BOOL spyed)
{
    (void)iface;
    realloc_had_spied_block = request && spyed;
    *new_request = request;
    return cb;
}

static void *WINAPI spy_PostRealloc(IMallocSpy *iface, void *actual, BOOL spyed)
{
    (void)iface;
    (void)spyed;
    if (actual && !realloc_had_spied_block)
        InterlockedIncrement(&live);
    else if (!actual && realloc_had_spied_block)
        InterlockedDecrement(&live);
    return actual;
}

static void *WINAPI spy_PreGetSize(IMallocSpy *iface, void *request, BOOL spyed)
{
    (void)iface;
    (void)spyed;
    return request;
}

static SIZE_T WINAPI spy_PostGetSize(IMallocSpy *iface, SIZE_T actual, BOOL spyed)
{
    (void)iface;
    (void)spyed;
    return actual;
}

static void *WINAPI spy_PreDidAlloc(IMallocSpy *iface, void *request, BOOL spyed)
{
    (void)iface;
    (void)spyed;
    return request;
}

static int WINAPI spy_PostDidAlloc(IMallocSpy *iface, void *request, BOOL spyed, int actual)
{
    (void)iface;
    (void)request;
    (void)spyed;
    return actual;
}

static void WINAPI spy_PreHeapMinimize(IMallocSpy *iface) { (void)iface; }
static void WINAPI spy_PostHeapMinimize(IMallocSpy *iface) { (void)iface; }

static const IMallocSpyVtbl spy_vtbl = {
    spy_QueryInterface, spy_AddRef,      spy_Release,      spy_PreAlloc,        spy_PostAlloc,
    spy_PreFree,        spy_PostFree,    spy_PreRealloc,   spy_PostRealloc,     spy_PreGetSize,
    spy_PostGetSize,    spy_PreDidAlloc, spy_PostDidAlloc, spy_PreHeapMinimize, spy_PostHeapMinimize,
};
static IMallocSpy spy = { &spy_vtbl };

HRESULT malloc_spy_install(void)
{
    SetOaNoCache();
    return CoRegisterMallocSpy(&spy);
}

HRESULT malloc_spy_remove(void) { return CoRevokeMallocSpy(); }

LONG malloc_spy_live(void) { return InterlockedCompareExchange(&live, 0, 0); }
