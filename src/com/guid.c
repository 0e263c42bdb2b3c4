/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * guid.c — GUID text form, for logs, the demo and tests.
 */
#include <stdio.h>
#include "rtcpm/diag.h"

void rtcpm_guid_to_string(const GUID *g, char buf[39])
{
    snprintf(buf, 39, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", (unsigned)g->Data1, (unsigned)g->Data2,
             (unsigned)g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5],
             g->Data4[6], g->Data4[7]);
}
