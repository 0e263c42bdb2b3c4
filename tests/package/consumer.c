/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Uses the installed headers and library: prints the IID of IRTCPortManager3 and a BSTR length. */
#include <stdio.h>
#include "rtcpm/rtcpm.h"

int main(void)
{
    char iid[39];
    BSTR b = SysAllocString(RTCPM_W("198.51.100.7"));
    rtcpm_guid_to_string(&IID_IRTCPortManager3, iid);
    printf("%s %u\n", iid, SysStringLen(b));
    SysFreeString(b);
    return 0;
}
