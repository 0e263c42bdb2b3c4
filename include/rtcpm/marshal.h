/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * marshal.h — using rtcpm_ps.dll, the proxy/stub for the port-management interfaces,
 * without writing to the registry.
 *
 * Needed only when a port manager (or anything else implementing these interfaces) is called
 * from another apartment than the one it lives in: an application's port manager made in its
 * STA, used by host objects driven from another thread's apartment. A port manager used in
 * its own apartment needs nothing (no DLL, no registry): the usual single-threaded RTC
 * application never calls anything here. rtcpm's own objects aggregate the free-threaded
 * marshaler and need nothing from any apartment either.
 *
 * When it is needed, either register rtcpm_ps.dll once (`regsvr32 rtcpm_ps.dll`, also under
 * Wine), or call rtcpm_marshal_register() in EVERY apartment that marshals or unmarshals one
 * of these interfaces (each STA thread that does, and once for the MTA): COM looks the class
 * object and the IID -> proxy/stub CLSID mapping up per apartment. Do it before handing the
 * port manager over (SetPortManager): that is when rtcpm prepares it for other apartments.
 * Without it, a call from another apartment fails with REGDB_E_IIDNOTREG (0x80040155) and an
 * rtcpm:err line on stderr that says so.
 *
 * Off Windows there is no COM runtime and no apartment: register returns S_FALSE with
 * *out = NULL, and the other calls do nothing.
 */
#ifndef RTCPM_MARSHAL_H
#define RTCPM_MARSHAL_H

#include "rtcpm/platform.h"

RTCPM_EXTERN_C_BEGIN

/* One apartment's registration. */
typedef struct rtcpm_marshal_registration rtcpm_marshal_registration;

/* Loads the proxy/stub DLL (ps_dll, or NULL for "rtcpm_ps.dll" found by the standard DLL
 * search, the application's folder first), registers its factory in the calling apartment
 * (CoRegisterClassObject, CLSCTX_INPROC_SERVER) and maps each interface the DLL marshals to
 * it (CoRegisterPSClsid). Call after CoInitializeEx, in every apartment that marshals or
 * unmarshals.
 * S_OK; E_POINTER (out NULL); CO_E_NOTINITIALIZED (no COM on this thread); the loader's
 * error as an HRESULT (DLL not found); E_OUTOFMEMORY. *out is NULL on failure. */
HRESULT rtcpm_marshal_register(const WCHAR *ps_dll, rtcpm_marshal_registration **out);

/* Undoes one registration, from the apartment that made it (RPC_E_WRONG_THREAD otherwise,
 * and nothing is undone): revokes the class object and drops the factory. The DLL is freed
 * as soon as no proxy or stub of it is left (its DllCanUnloadNow); until then it stays
 * loaded and rtcpm_marshal_unload_unused() frees it later. CoRegisterPSClsid has no undo:
 * the IID mapping lasts until the apartment ends, but without the class object (or a
 * regsvr32 registration) new marshalling of these interfaces fails again.
 * reg NULL: nothing to do, S_FALSE. */
HRESULT rtcpm_marshal_revoke(rtcpm_marshal_registration *reg);

/* Frees proxy/stub DLLs left loaded by earlier revokes once nothing uses them.
 * S_OK when none is left loaded by rtcpm, S_FALSE while one is still in use. */
HRESULT rtcpm_marshal_unload_unused(void);

RTCPM_EXTERN_C_END

#endif /* RTCPM_MARSHAL_H */
