/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mingw-w64's <rtccore.h> first, then rtcpm's header: shared declarations are not defined twice. */
#define COBJMACROS
#include <windows.h>
#include <rtccore.h>
#include "rtcpm/rtcpm.h"

int rtccore_first_c(IRTCPortManager3 *pm)
{
    return IRTCPortManager3_AddRef(pm) + RTCPT_SIP + RTCTR_TLS + (RTC_E_PORT_MAPPING_FAILED < 0);
}
