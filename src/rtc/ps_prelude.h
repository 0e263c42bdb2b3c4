/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ps_prelude.h — force-included (-include) into widl's proxy/stub code for idl/rtcpm.idl when
 * it is linked into rtcdll.dll (src/ps/proxy_prelude.h is the same for rtcpm_ps.dll).
 *
 * ENTRY_PREFIX renames the entry points rpcproxy.h generates (DllMain, DllGetClassObject,
 * DllCanUnloadNow, DllRegisterServer, DllUnregisterServer) to rtcpm_ps_*: rtcdll.dll's own
 * entry points (dll.c, register.c) call them, so one `regsvr32 rtcdll.dll` registers the
 * RTCClient class, the type library and the proxy/stub of every port-management interface
 * the client marshals (an application's port manager in its STA is called from the
 * client's worker thread through these proxies).
 *
 * PROXY_CLSID_IS: the proxy/stub factory's CLSID inside rtcdll.dll, rtcpm's own (random v4
 * UUID), distinct from rtcpm_ps.dll's: whichever DLL was registered last serves the
 * interfaces, both with the same widl code.
 */
#ifndef RTCPM_RTC_PS_PRELUDE_H
#define RTCPM_RTC_PS_PRELUDE_H

#include <objbase.h>

#define ENTRY_PREFIX rtcpm_ps_

#define PROXY_CLSID_IS                                                                                                 \
    {                                                                                                                  \
        0x13663b06, 0x2b9a, 0x47c5, { 0xaa, 0x73, 0xd3, 0x27, 0x6e, 0xec, 0xfa, 0xd0 }                                 \
    }

HRESULT STDMETHODCALLTYPE IUnknown_QueryInterface_Proxy(IUnknown *This, REFIID riid, void **ppvObject);
ULONG STDMETHODCALLTYPE IUnknown_AddRef_Proxy(IUnknown *This);
ULONG STDMETHODCALLTYPE IUnknown_Release_Proxy(IUnknown *This);

#endif
