/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * compat_guids.c — IIDs the Windows SDK's libuuid defines, for non-Windows builds only
 * (CMake compiles this file only there).
 */
#define INITGUID
#include "rtcpm/platform.h"

DEFINE_GUID(IID_IUnknown, 0x00000000, 0x0000, 0x0000, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
