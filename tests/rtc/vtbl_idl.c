/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vtbl_idl.c — compile-time: widl's header of idl/rtcclient.idl (the IDL the type library is
 * made from, so what IDispatch calls through) lays every vtable out as rtc_vtbl_list.h says,
 * i.e. as <rtccore.h> does (vtbl_rtccore.c); and widl's header of idl/rtcpm.idl lays out the
 * three port-management interfaces so. A wrong slot in the IDL is a build error.
 */
#define COBJMACROS
#include <stddef.h>
#include <windows.h>
#include "rtcclient.h" /* widl, from idl/rtcclient.idl (build tree) */
/* widl's header of idl/rtcpm.idl with its own port-management interfaces, not <rtccore.h>'s
 * (which it would include first, and whose include guards it shares) */
#define RTCPM_NO_RTCCORE_H
#include "rtcpm/rtcpm_idl.h"
#include "rtc_vtbl_list.h"

/* HEADER: where the vtable checked next comes from (expanded where each assertion is made) */
#define CHECK_SLOT(iface, slot, member, kind, name)                                                                    \
    _Static_assert(offsetof(iface##Vtbl, member) == (slot) * sizeof(void *),                                           \
                   HEADER ": " #iface "::" #member " is not slot " #slot);
#define CHECK_SIZE(iface, n)                                                                                           \
    _Static_assert(sizeof(iface##Vtbl) == (n) * sizeof(void *), HEADER ": " #iface " has not " #n " slots");

#define HEADER "idl/rtcclient.idl"
RTC_VTBL_ALL(CHECK_SLOT)
RTC_VTBL_SIZES(CHECK_SIZE)
#undef HEADER
#define HEADER "idl/rtcpm.idl"
RTC_VTBL_RTCCORE_PM(CHECK_SLOT)
RTC_VTBL_RTCCORE_PM_SIZES(CHECK_SIZE)
RTC_VTBL_PROFILE_PM(CHECK_SLOT)
RTC_VTBL_PROFILE_PM_SIZES(CHECK_SIZE)
#undef HEADER
#define HEADER "<ocidl.h> (as rtcclient.h includes it)"
RTC_VTBL_OCIDL(CHECK_SLOT)
RTC_VTBL_OCIDL_SIZES(CHECK_SIZE)

/* something to link */
int rtcpm_test_vtbl_idl_checked(void) { return 1; }
