/* SPDX-License-Identifier: LGPL-2.1-or-later */
// C++ view: <rtccore.h> and rtcpm's header in one translation unit.
#include <windows.h>
#include <rtccore.h>
#include "rtcpm/rtcpm.h"

extern "C" int rtccore_first_cpp(IRTCPortManager3 *pm)
{
    IRTCPortManager2 *pm2 = pm; // IRTCPortManager3 derives from IRTCPortManager2
    IRTCPortManager *pm1 = pm2;
    return (int)pm1->AddRef() + (int)RTCPT_VIDEO_RTP;
}
