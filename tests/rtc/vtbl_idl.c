/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vtbl_idl.c — compile-time: widl's header of idl/rtcclient.idl (the IDL the type library is
 * made from, so what IDispatch calls through) lays every vtable out as rtc_vtbl_list.h says,
 * i.e. as <rtccore.h> does (vtbl_rtccore.c). A wrong slot in the IDL is a build error.
 */
#define COBJMACROS
#include <stddef.h>
#include <windows.h>
#include "rtcclient.h" /* widl, from idl/rtcclient.idl (build tree) */
#include "rtc_vtbl_list.h"

#define CHECK_SLOT(iface, slot, member, kind, name)                                                                    \
    _Static_assert(offsetof(iface##Vtbl, member) == (slot) * sizeof(void *),                                           \
                   "idl/rtcclient.idl: " #iface "::" #member " is not slot " #slot);
#define CHECK_SIZE(iface, n)                                                                                           \
    _Static_assert(sizeof(iface##Vtbl) == (n) * sizeof(void *), "idl/rtcclient.idl: " #iface " has not " #n " slots");

RTC_VTBL_ALL(CHECK_SLOT)
RTC_VTBL_SIZES(CHECK_SIZE)

/* something to link */
int rtcpm_test_vtbl_idl_checked(void) { return 1; }
