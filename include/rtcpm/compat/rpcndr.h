/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rpcndr.h for non-Windows builds of rtcpm: the subset rtcpm needs lives in rtcpm_wintypes.h. */
#include "rtcpm_wintypes.h"
