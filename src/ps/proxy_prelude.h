/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proxy_prelude.h — force-included (-include) into widl's generated proxy code.
 *
 * The proxy vtables name IUnknown_QueryInterface_Proxy, IUnknown_AddRef_Proxy and
 * IUnknown_Release_Proxy (implemented by rpcrt4), which mingw-w64's <unknwn.h> declares
 * only for C++. Redeclaring them with the same prototypes is harmless where they exist.
 *
 * PROXY_CLSID_IS gives the proxy/stub factory a CLSID of its own. Without it rpcproxy.h uses
 * the IID of the first interface in the generated table (here IRTCClientPortManagement, a
 * Microsoft interface) as the CLSID, and regsvr32 would register rtcpm_ps.dll under a CLSID
 * that is really an interface's IID. 45BFCA13-C517-4028-96E2-BF7E481D02C6 is rtcpm's own
 * (random v4 UUID), used nowhere else.
 */
#ifndef RTCPM_PS_PROXY_PRELUDE_H
#define RTCPM_PS_PROXY_PRELUDE_H

#include <objbase.h>

#define PROXY_CLSID_IS                                                                                                 \
    {                                                                                                                  \
        0x45bfca13, 0xc517, 0x4028, { 0x96, 0xe2, 0xbf, 0x7e, 0x48, 0x1d, 0x02, 0xc6 }                                 \
    }

HRESULT STDMETHODCALLTYPE IUnknown_QueryInterface_Proxy(IUnknown *This, REFIID riid, void **ppvObject);
ULONG STDMETHODCALLTYPE IUnknown_AddRef_Proxy(IUnknown *This);
ULONG STDMETHODCALLTYPE IUnknown_Release_Proxy(IUnknown *This);

#endif
