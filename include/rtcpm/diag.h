/*
 * diag.h — counters an application or a test reads to prove nothing leaked.
 */
#ifndef RTCPM_DIAG_H
#define RTCPM_DIAG_H

#include "rtcpm/platform.h"

RTCPM_EXTERN_C_BEGIN

/* COM objects made by rtcpm and not yet destroyed (all kinds, all threads). */
LONG rtcpm_live_objects(void);

/* BSTRs allocated and not yet freed: counted by rtcpm's own BSTR runtime (non-Windows);
 * -1 on Windows, where oleaut32 owns BSTRs and keeps no such count. */
LONG rtcpm_live_bstrs(void);

/* Formats a GUID as {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} (39 bytes with the NUL). */
void rtcpm_guid_to_string(const GUID *guid, char buf[39]);

RTCPM_EXTERN_C_END

#endif /* RTCPM_DIAG_H */
