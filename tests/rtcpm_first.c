/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rtcpm's header first, then mingw-w64's <rtccore.h>. */
#define COBJMACROS
#include "rtcpm/rtcpm.h"
#include <rtccore.h>

int rtcpm_first_c(IRTCPortManager *pm) { return IRTCPortManager_Release(pm) + RTCPT_AUDIO_RTCP; }
