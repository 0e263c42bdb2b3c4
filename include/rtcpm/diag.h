/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * diag.h — counters an application or a test reads to prove nothing leaked.
 */
#ifndef RTCPM_DIAG_H
#define RTCPM_DIAG_H

#include "rtcpm/platform.h"

RTCPM_EXTERN_C_BEGIN

/* COM objects made by rtcpm and not yet destroyed (all kinds, all threads). */
RTCPM_API LONG rtcpm_live_objects(void);

/* BSTRs allocated and not yet freed: counted by rtcpm's own BSTR runtime (non-Windows);
 * -1 on Windows, where oleaut32 owns BSTRs and keeps no such count. */
RTCPM_API LONG rtcpm_live_bstrs(void);

/* Formats a GUID as {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} (39 bytes with the NUL). */
RTCPM_API void rtcpm_guid_to_string(const GUID *guid, char buf[39]);

/* Symbolic name of an HRESULT rtcpm returns ("S_OK", "E_POINTER",
 * "RTC_E_PORT_MAPPING_UNAVAILABLE", ...), or "0x%08X" in buf for others. Returns buf or a
 * static string; buf needs 11 bytes. */
RTCPM_API const char *rtcpm_hresult_name(HRESULT hr, char buf[11]);

/* Names for RTC_PORT_TYPE ("SIP", "AUDIO_RTP", ...) and transports ("UDP", "TCP", "TLS");
 * "?" for values outside the enumerations. */
RTCPM_API const char *rtcpm_port_type_name(LONG type);
RTCPM_API const char *rtcpm_transport_name(LONG transport);

RTCPM_EXTERN_C_END

#endif /* RTCPM_DIAG_H */
