/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * event_filter.c — see event_filter.h. mingw-w64's <rtccore.h> (the SDK's values): RTCEF_* is
 * 1 << RTC_EVENT up to RTCE_MEDIA_REQUEST (0x4000); above it the bits are not in enumeration
 * order: 0x8000 is skipped ("VB equates &H8000 to -32768"), RTCEF_BUDDY2 / RTCEF_WATCHER2 sit
 * between, and the presence bits come last.
 */
#include "rtc/event_filter.h"

LONG rtcpm_rtc_event_filter_bit(RTC_EVENT type)
{
    switch (type)
    {
    case RTCE_ROAMING: return RTCEF_ROAMING;
    case RTCE_PRESENCE_PROPERTY: return RTCEF_PRESENCE_PROPERTY;
    case RTCE_PRESENCE_DATA: return RTCEF_PRESENCE_DATA;
    case RTCE_PRESENCE_STATUS: return RTCEF_PRESENCE_STATUS;
    case RTCE_SESSION_REFER_STATUS: return RTCEF_SESSION_REFER_STATUS;
    case RTCE_SESSION_REFERRED: return RTCEF_SESSION_REFERRED;
    case RTCE_REINVITE: return RTCEF_REINVITE;
    default: return (unsigned)type <= RTCE_MEDIA_REQUEST ? (LONG)1 << type : 0;
    }
}
