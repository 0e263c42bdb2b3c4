/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * event_filter.h — which IRTCClient::put_EventFilter bit lets an RTC_EVENT through.
 */
#ifndef RTCPM_SRC_RTC_EVENT_FILTER_H
#define RTCPM_SRC_RTC_EVENT_FILTER_H

#include <windows.h>
#include <rtccore.h>

/* The RTCEF_* bit of an RTC_EVENT; 0 for a value outside the enumeration. */
LONG rtcpm_rtc_event_filter_bit(RTC_EVENT type);

#endif /* RTCPM_SRC_RTC_EVENT_FILTER_H */
