/*
 * proxy_prelude.h — force-included (-include) into widl's generated proxy code.
 *
 * The proxy vtables name IUnknown_QueryInterface_Proxy, IUnknown_AddRef_Proxy and
 * IUnknown_Release_Proxy (implemented by rpcrt4), which mingw-w64's <unknwn.h> declares
 * only for C++. Redeclaring them with the same prototypes is harmless where they exist.
 */
#ifndef RTCPM_PS_PROXY_PRELUDE_H
#define RTCPM_PS_PROXY_PRELUDE_H

#include <objbase.h>

HRESULT STDMETHODCALLTYPE IUnknown_QueryInterface_Proxy(IUnknown *This, REFIID riid, void **ppvObject);
ULONG STDMETHODCALLTYPE IUnknown_AddRef_Proxy(IUnknown *This);
ULONG STDMETHODCALLTYPE IUnknown_Release_Proxy(IUnknown *This);

#endif
