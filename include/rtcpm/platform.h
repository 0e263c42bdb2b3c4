/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * platform.h — the one place that tells Windows from the rest for rtcpm's users.
 *
 * On Windows (MinGW, also under Wine) the SDK's own headers provide COM and oleaut32's
 * BSTR functions; elsewhere include/rtcpm/compat provides the same names with the same
 * widths, and rtcpm's own BSTR runtime implements them.
 */
#ifndef RTCPM_PLATFORM_H
#define RTCPM_PLATFORM_H

#include <windows.h>
#include <oleauto.h>
#include "rtcpm/export.h"

/* A WCHAR string literal: L"" on Windows, u"" (UTF-16) elsewhere, where wchar_t is 32-bit. */
#ifdef _WIN32
#define RTCPM_W(s) L##s
#elif defined(__cplusplus)
#define RTCPM_W(s) (reinterpret_cast<const WCHAR *>(u##s))
#else
#define RTCPM_W(s) u##s
#endif

#ifdef __cplusplus
#define RTCPM_EXTERN_C_BEGIN extern "C" {
#define RTCPM_EXTERN_C_END   }
#else
#define RTCPM_EXTERN_C_BEGIN
#define RTCPM_EXTERN_C_END
#endif

#endif /* RTCPM_PLATFORM_H */
