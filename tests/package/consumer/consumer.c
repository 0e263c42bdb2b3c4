/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Uses the installed headers and library the way an application does: a function, an IID
 * (data: auto-imported from rtcpm.dll), a BSTR, an rtcpm COM object through its vtable.
 * Prints "{IID of IRTCPortManager3} <BSTR length> <library version> <header version> <rules>".
 */
#define COBJMACROS
#include <stdio.h>
#include "rtcpm/rtcpm.h"

int main(void)
{
    char iid[39];
    IRTCPortManager3 *pm = NULL;
    IUnknown *unk = NULL;
    BSTR b = SysAllocString(RTCPM_W("198.51.100.7"));
    HRESULT hr;
    LONG rules;

    rtcpm_guid_to_string(&IID_IRTCPortManager3, iid);
    hr = rtcpm_static_pm_create(&pm);
    if (FAILED(hr)) return 1;
    hr = rtcpm_static_pm_load_string(pm, "[mapping sip]\ninternal = 192.168.1.10:5060\nexternal = 198.51.100.7:5060\n",
                                     "consumer", NULL, 0);
    rules = rtcpm_static_pm_rule_count(pm);
    if (FAILED(hr) || FAILED(IRTCPortManager3_QueryInterface(pm, &IID_IUnknown, (void **)&unk))) return 1;
    IUnknown_Release(unk);
    IRTCPortManager3_Release(pm);
    printf("%s %u %s %s %ld\n", iid, SysStringLen(b), rtcpm_version(), RTCPM_VERSION, (long)rules);
    SysFreeString(b);
    return rtcpm_live_objects() == 0 ? 0 : 1;
}
