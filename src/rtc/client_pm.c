/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client_pm.c — the client's IRTCClientPortManagement: rtcpm's host client object does the
 * work (listen addresses, port ranges: include/rtcpm/host.h), so the RTC client and the host
 * API answer identically. Works in every client state, as the host object does.
 */
#include "rtc/rtc_private.h"

static inline struct rtc_client *impl_from_IRTCClientPortManagement(IRTCClientPortManagement *iface)
{
    return CONTAINING_RECORD(iface, struct rtc_client, IRTCClientPortManagement_iface);
}

static HRESULT WINAPI client_pm_QueryInterface(IRTCClientPortManagement *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return IRTCClient2_QueryInterface(&impl_from_IRTCClientPortManagement(iface)->IRTCClient2_iface, riid, out);
}

static ULONG WINAPI client_pm_AddRef(IRTCClientPortManagement *iface)
{
    ULONG ref = IRTCClient2_AddRef(&impl_from_IRTCClientPortManagement(iface)->IRTCClient2_iface);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static ULONG WINAPI client_pm_Release(IRTCClientPortManagement *iface)
{
    ULONG ref = IRTCClient2_Release(&impl_from_IRTCClientPortManagement(iface)->IRTCClient2_iface);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static HRESULT WINAPI client_pm_StartListenAddressAndPort(IRTCClientPortManagement *iface, BSTR address, LONG port)
{
    IRTCClientPortManagement *host = impl_from_IRTCClientPortManagement(iface)->host;
    RTC_TRACE("(%p)->(%s, %ld)", (void *)iface, rtcpm_debugstr_w(address), (long)port);
    return IRTCClientPortManagement_StartListenAddressAndPort(host, address, port);
}

static HRESULT WINAPI client_pm_StopListenAddressAndPort(IRTCClientPortManagement *iface, BSTR address, LONG port)
{
    IRTCClientPortManagement *host = impl_from_IRTCClientPortManagement(iface)->host;
    RTC_TRACE("(%p)->(%s, %ld)", (void *)iface, rtcpm_debugstr_w(address), (long)port);
    return IRTCClientPortManagement_StopListenAddressAndPort(host, address, port);
}

static HRESULT WINAPI client_pm_GetPortRange(IRTCClientPortManagement *iface, RTC_PORT_TYPE type, LONG *min, LONG *max)
{
    IRTCClientPortManagement *host = impl_from_IRTCClientPortManagement(iface)->host;
    RTC_TRACE("(%p)->(%d, %p, %p)", (void *)iface, (int)type, (void *)min, (void *)max);
    return IRTCClientPortManagement_GetPortRange(host, type, min, max);
}

const IRTCClientPortManagementVtbl rtcpm_rtc_client_pm_vtbl = {
    client_pm_QueryInterface,           client_pm_AddRef,       client_pm_Release, client_pm_StartListenAddressAndPort,
    client_pm_StopListenAddressAndPort, client_pm_GetPortRange,
};
