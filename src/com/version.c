/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * version.c — the library's version (rtcpm/version.h, generated from CMake's project()).
 */
#include "rtcpm/version.h"

const char *rtcpm_version(void) { return RTCPM_VERSION; }
