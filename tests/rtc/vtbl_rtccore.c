/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vtbl_rtccore.c — compile-time: mingw-w64's <rtccore.h> lays every vtable out as
 * rtc_vtbl_list.h says (rtcdll.dll's objects are typed by that header), and so do its
 * IRTCClientPortManagement / IRTCSessionPortManagement and <ocidl.h>'s IConnectionPointContainer.
 * A wrong slot is a build error. vtbl_idl.c holds widl's header of idl/rtcclient.idl (whose type library
 * IDispatch uses) to the same list.
 */
#define COBJMACROS
#include <stddef.h>
#include <windows.h>
#include <ocidl.h>
#include <rtccore.h>
#include "rtc_vtbl_list.h"

#define CHECK_SLOT(iface, slot, member, kind, name)                                                                    \
    _Static_assert(offsetof(iface##Vtbl, member) == (slot) * sizeof(void *),                                           \
                   "<rtccore.h>: " #iface "::" #member " is not slot " #slot);
#define CHECK_SIZE(iface, n)                                                                                           \
    _Static_assert(sizeof(iface##Vtbl) == (n) * sizeof(void *), "<rtccore.h>: " #iface " has not " #n " slots");

RTC_VTBL_ALL(CHECK_SLOT)
RTC_VTBL_SIZES(CHECK_SIZE)
/* <rtccore.h>'s own port-management interfaces (rtcpm.h not included: these are mingw-w64's)
 * and <ocidl.h>'s IConnectionPointContainer */
RTC_VTBL_RTCCORE_PM(CHECK_SLOT)
RTC_VTBL_RTCCORE_PM_SIZES(CHECK_SIZE)
RTC_VTBL_OCIDL(CHECK_SLOT)
RTC_VTBL_OCIDL_SIZES(CHECK_SIZE)

/* something to link */
int rtcpm_test_vtbl_rtccore_checked(void) { return 1; }
