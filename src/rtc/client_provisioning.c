/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client_provisioning.c — the client's IRTCClientProvisioning2: profiles from provisioning
 * XML (src/sip/provision.h parses it; its RTC_E_* codes come back as they are), enabling and
 * disabling them (registration.c), enumerating the enabled ones.
 *
 * Choices where Microsoft's documentation is silent (README "RTC Client API"):
 *  - a BSTR that is not valid UTF-16 (unpaired surrogate) or holds a NUL is RTC_E_MALFORMED_XML;
 *  - EnableProfile of a profile already enabled: S_OK when the flags are the same, E_NOTIMPL
 *    when they differ (changing a live registration's flags is not implemented);
 *  - DisableProfile / a profile of another client or not enabled: E_INVALIDARG;
 *  - EnableProfileEx with roaming flags: E_NOTIMPL (no roaming); GetProfile: E_NOTIMPL.
 */
#include <stdlib.h>
#include <string.h>
#include "rtc/client_private.h"
#include "com/bstr_util.h"
#include "sip/provision.h"

static inline struct rtc_client *impl_from_IRTCClientProvisioning2(IRTCClientProvisioning2 *iface)
{
    return CONTAINING_RECORD(iface, struct rtc_client, IRTCClientProvisioning2_iface);
}

static HRESULT WINAPI prov_QueryInterface(IRTCClientProvisioning2 *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return IRTCClient2_QueryInterface(&impl_from_IRTCClientProvisioning2(iface)->IRTCClient2_iface, riid, out);
}

static ULONG WINAPI prov_AddRef(IRTCClientProvisioning2 *iface)
{
    ULONG ref = IRTCClient2_AddRef(&impl_from_IRTCClientProvisioning2(iface)->IRTCClient2_iface);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static ULONG WINAPI prov_Release(IRTCClientProvisioning2 *iface)
{
    ULONG ref = IRTCClient2_Release(&impl_from_IRTCClientProvisioning2(iface)->IRTCClient2_iface);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static HRESULT parse_profile(BSTR xml, struct rtcpm_provision **prov)
{
    size_t cap = (size_t)SysStringLen(xml) * 3 + 1, len;
    char *utf8 = malloc(cap);
    HRESULT hr;

    if (!utf8) return E_OUTOFMEMORY;
    hr = rtcpm_bstr_to_utf8(xml, utf8, cap, &len);
    if (hr == E_INVALIDARG) hr = RTC_E_MALFORMED_XML; /* a NUL or an unpaired surrogate */
    if (SUCCEEDED(hr)) hr = rtcpm_provision_parse(utf8, len, prov);
    free(utf8);
    return hr;
}

static HRESULT WINAPI prov_CreateProfile(IRTCClientProvisioning2 *iface, BSTR xml, IRTCProfile **out)
{
    struct rtc_client *client = impl_from_IRTCClientProvisioning2(iface);
    struct rtcpm_provision *prov = NULL;
    IRTCProfile2 *profile;
    HRESULT hr;

    /* the XML's length only: it may hold the user's password (as SetCredentials' is hidden) */
    RTC_TRACE("(%p)->(<XML of %u characters>, %p)", (void *)iface, (unsigned)SysStringLen(xml), (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    if (FAILED(hr = rtcpm_rtc_client_check_running(client))) return hr;
    if (!xml) return E_POINTER;
    if (FAILED(hr = parse_profile(xml, &prov)))
    {
        RTC_TRACE("CreateProfile: %#lx", (unsigned long)hr);
        return hr;
    }
    if (FAILED(hr = rtcpm_rtc_profile_create(client, xml, prov, &profile))) return hr;
    *out = (IRTCProfile *)profile;
    return S_OK;
}

/* Ours, of this client, else NULL. */
static struct rtc_profile *own_profile(struct rtc_client *client, IRTCProfile *iface)
{
    struct rtc_profile *profile = unsafe_impl_from_IRTCProfile(iface);
    return profile && profile->owner == client ? profile : NULL;
}

static HRESULT WINAPI prov_EnableProfileEx(IRTCClientProvisioning2 *iface, IRTCProfile *profile_iface, LONG flags,
                                           LONG roaming)
{
    struct rtc_client *client = impl_from_IRTCClientProvisioning2(iface);
    struct rtc_profile *profile;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p, %ld, %ld)", (void *)iface, (void *)profile_iface, (long)flags, (long)roaming);
    if (FAILED(hr = rtcpm_rtc_client_check_running(client))) return hr;
    if (!profile_iface) return E_POINTER;
    if (!(profile = own_profile(client, profile_iface))) return E_INVALIDARG;
    if (flags & ~(LONG)RTCRF_REGISTER_ALL) return E_INVALIDARG;
    if (roaming & ~(LONG)RTCRMF_ALL_ROAMING) return E_INVALIDARG;
    if (roaming) return E_NOTIMPL;
    return rtcpm_rtc_registration_start(client, profile, flags);
}

static HRESULT WINAPI prov_EnableProfile(IRTCClientProvisioning2 *iface, IRTCProfile *profile, LONG flags)
{
    RTC_TRACE("(%p)->(%p, %ld)", (void *)iface, (void *)profile, (long)flags);
    return prov_EnableProfileEx(iface, profile, flags, 0);
}

static HRESULT WINAPI prov_DisableProfile(IRTCClientProvisioning2 *iface, IRTCProfile *profile_iface)
{
    struct rtc_client *client = impl_from_IRTCClientProvisioning2(iface);
    struct rtc_profile *profile;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)profile_iface);
    if (FAILED(hr = rtcpm_rtc_client_check_running(client))) return hr;
    if (!profile_iface) return E_POINTER;
    if (!(profile = own_profile(client, profile_iface))) return E_INVALIDARG;
    return rtcpm_rtc_registration_stop(client, profile);
}

/* Referenced copies of the enabled profiles. */
static HRESULT enabled_profiles(struct rtc_client *client, IUnknown ***items, size_t *count)
{
    IUnknown **sessions;
    size_t n_sessions, i;
    HRESULT hr;

    EnterCriticalSection(&client->cs);
    hr = rtcpm_rtc_client_check_running(client);
    if (SUCCEEDED(hr)) hr = rtcpm_rtc_client_snapshot(client, items, count, &sessions, &n_sessions);
    LeaveCriticalSection(&client->cs);
    if (FAILED(hr)) return hr;
    for (i = 0; i < n_sessions; i++) IUnknown_Release(sessions[i]);
    free(sessions);
    return S_OK;
}

static void release_items(IUnknown **items, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++) IUnknown_Release(items[i]);
    free(items);
}

static HRESULT WINAPI prov_EnumerateProfiles(IRTCClientProvisioning2 *iface, IRTCEnumProfiles **out)
{
    IUnknown **items;
    size_t count;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    if (FAILED(hr = enabled_profiles(impl_from_IRTCClientProvisioning2(iface), &items, &count))) return hr;
    hr = rtcpm_rtc_enum_profiles_create(items, count, out);
    release_items(items, count);
    return hr;
}

static HRESULT WINAPI prov_get_Profiles(IRTCClientProvisioning2 *iface, IRTCCollection **out)
{
    IUnknown **items;
    size_t count;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    if (FAILED(hr = enabled_profiles(impl_from_IRTCClientProvisioning2(iface), &items, &count))) return hr;
    hr = rtcpm_rtc_collection_create(items, count, out);
    release_items(items, count);
    return hr;
}

static HRESULT WINAPI prov_GetProfile(IRTCClientProvisioning2 *iface, BSTR account, BSTR password, BSTR uri,
                                      BSTR server, LONG transport, LONG_PTR cookie)
{
    RTC_TRACE("(%p)->(%s, %s, %s, %s, %ld, %p)", (void *)iface, rtcpm_debugstr_w(account),
              password ? "(hidden)" : "(null)", rtcpm_debugstr_w(uri), rtcpm_debugstr_w(server), (long)transport,
              (void *)(ULONG_PTR)cookie);
    (void)iface, (void)account, (void)password, (void)uri, (void)server, (void)transport, (void)cookie;
    return E_NOTIMPL; /* server-side provisioning (RTCE_PROFILE) is not implemented */
}

static HRESULT WINAPI prov_get_SessionCapabilities(IRTCClientProvisioning2 *iface, LONG *out)
{
    IUnknown **items;
    size_t count, i;
    LONG caps = 0;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = 0;
    if (FAILED(hr = enabled_profiles(impl_from_IRTCClientProvisioning2(iface), &items, &count))) return hr;
    for (i = 0; i < count; i++)
    {
        LONG one = 0;
        if (SUCCEEDED(IRTCProfile_get_SessionCapabilities((IRTCProfile *)items[i], &one))) caps |= one;
    }
    release_items(items, count);
    *out = caps;
    return S_OK;
}

const IRTCClientProvisioning2Vtbl rtcpm_rtc_client_provisioning_vtbl = {
    prov_QueryInterface,          prov_AddRef,          prov_Release,
    prov_CreateProfile,           prov_EnableProfile,   prov_DisableProfile,
    prov_EnumerateProfiles,       prov_get_Profiles,    prov_GetProfile,
    prov_get_SessionCapabilities, prov_EnableProfileEx,
};
