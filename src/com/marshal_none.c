/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * marshal_none.c — include/rtcpm/marshal.h where there is no COM runtime (native builds):
 * no apartments, so nothing is ever marshalled and there is nothing to register.
 * Picked by CMake instead of marshal.c.
 */
#include "rtcpm/rtcpm.h"

HRESULT rtcpm_marshal_register(const WCHAR *ps_dll, rtcpm_marshal_registration **out)
{
    (void)ps_dll;
    if (!out) return E_POINTER;
    *out = NULL;
    return S_FALSE;
}

HRESULT rtcpm_marshal_revoke(rtcpm_marshal_registration *reg) { return reg ? E_INVALIDARG : S_FALSE; }

HRESULT rtcpm_marshal_unload_unused(void) { return S_OK; }
