/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * profile.c — the profile object: IRTCProfile2 (what the provisioning XML said, the
 * credentials, the registration state) and IRTCProfilePortManagement.
 *
 * IRTCProfilePortManagement::SetPortManager (RTC 1.5): "E_FAIL ... the profile has already
 * been enabled": allowed only while the profile is not enabled (again once DisableProfile
 * has finished); NULL is E_POINTER, as rtcpm's host profile answers. The port manager is
 * kept in a host_pm_ref (COM's Global Interface Table), never as the raw pointer: the worker
 * thread calls it through a pointer valid in its own apartment (a proxy to an STA).
 *
 * Getters of optional XML attributes that were absent return S_OK and an empty string.
 */
#include <stdlib.h>
#include <string.h>
#include "rtc/rtc_private.h"
#include "com/bstr_util.h"
#include "sip/provision.h"
#include "sip/sip_text.h"

static const IRTCProfilePortManagementVtbl profile_pm_vtbl;

static inline struct rtc_profile *impl_from_IRTCProfilePortManagement(IRTCProfilePortManagement *iface)
{
    return CONTAINING_RECORD(iface, struct rtc_profile, IRTCProfilePortManagement_iface);
}

static const struct com_iface_entry profile_ifaces[] = {
    { &IID_IRTCProfile2, offsetof(struct rtc_profile, IRTCProfile2_iface) },
    { &IID_IRTCProfile, offsetof(struct rtc_profile, IRTCProfile2_iface) },
    { &IID_IRTCProfilePortManagement, offsetof(struct rtc_profile, IRTCProfilePortManagement_iface) },
};

static HRESULT WINAPI profile_QueryInterface(IRTCProfile2 *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return rtcpm_com_query_interface(rtc_profile_from_IRTCProfile2(iface), profile_ifaces, ARRAY_SIZE(profile_ifaces),
                                     riid, out);
}

static ULONG WINAPI profile_AddRef(IRTCProfile2 *iface)
{
    ULONG ref = (ULONG)InterlockedIncrement(&rtc_profile_from_IRTCProfile2(iface)->ref);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static void free_secret(char *s)
{
    if (s) SecureZeroMemory(s, strlen(s));
    free(s);
}

static ULONG WINAPI profile_Release(IRTCProfile2 *iface)
{
    struct rtc_profile *profile = rtc_profile_from_IRTCProfile2(iface);
    LONG ref = InterlockedDecrement(&profile->ref);

    RTC_TRACE("(%p) ref=%ld", (void *)iface, (long)ref);
    if (!ref)
    {
        /* A registration holds a reference: none is running now. */
        rtcpm_host_pm_ref_release(profile->pm);
        rtcpm_provision_free(profile->prov);
        SysFreeString(profile->xml);
        free(profile->user_uri);
        free(profile->account);
        free_secret(profile->password);
        free(profile->realm);
        DeleteCriticalSection(&profile->cs);
        free(profile);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT string_out(struct rtc_profile *profile, const char *value, BSTR *out)
{
    HRESULT hr;
    if (!out) return E_POINTER;
    EnterCriticalSection(&profile->cs);
    hr = rtcpm_rtc_bstr_out(value, out);
    LeaveCriticalSection(&profile->cs);
    return hr;
}

#define PROFILE_STRING_GETTER(name, expr)                                                                              \
    static HRESULT WINAPI profile_get_##name(IRTCProfile2 *iface, BSTR *out)                                           \
    {                                                                                                                  \
        struct rtc_profile *profile = rtc_profile_from_IRTCProfile2(iface);                                            \
        RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);                                                           \
        return string_out(profile, (expr), out);                                                                       \
    }

PROFILE_STRING_GETTER(Key, profile->prov->key)
PROFILE_STRING_GETTER(Name, profile->prov->name)
PROFILE_STRING_GETTER(ProviderName, profile->prov->provider_name)
PROFILE_STRING_GETTER(ProviderData, profile->prov->provider_data)
PROFILE_STRING_GETTER(ClientName, profile->prov->client_name)
PROFILE_STRING_GETTER(ClientMinVer, profile->prov->client_minver)
PROFILE_STRING_GETTER(ClientCurVer, profile->prov->client_curver)
PROFILE_STRING_GETTER(ClientUpdateURI, profile->prov->client_updateuri)
PROFILE_STRING_GETTER(ClientData, profile->prov->client_data)
PROFILE_STRING_GETTER(UserURI, profile->user_uri ? profile->user_uri : profile->prov->user_uri)
PROFILE_STRING_GETTER(UserName, profile->prov->user_name)
PROFILE_STRING_GETTER(UserAccount, profile->account ? profile->account : profile->prov->user_account)
PROFILE_STRING_GETTER(Realm, profile->realm ? profile->realm : profile->prov->user_realm)

static HRESULT WINAPI profile_get_XML(IRTCProfile2 *iface, BSTR *out)
{
    struct rtc_profile *profile = rtc_profile_from_IRTCProfile2(iface);
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = SysAllocStringLen(profile->xml, SysStringLen(profile->xml));
    return *out ? S_OK : E_OUTOFMEMORY;
}

static HRESULT WINAPI profile_get_ProviderURI(IRTCProfile2 *iface, RTC_PROVIDER_URI which, BSTR *out)
{
    struct rtc_profile *profile = rtc_profile_from_IRTCProfile2(iface);
    RTC_TRACE("(%p)->(%d, %p)", (void *)iface, (int)which, (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    if ((unsigned)which >= RTCPM_PROVISION_URI_COUNT) return E_INVALIDARG;
    return string_out(profile, profile->prov->provider_uri[which], out);
}

static HRESULT WINAPI profile_get_ClientBanner(IRTCProfile2 *iface, VARIANT_BOOL *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = rtc_profile_from_IRTCProfile2(iface)->prov->client_banner ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

/* A copy of a BSTR argument, NULL for a NULL/empty one; E_INVALIDARG when not valid UTF-16. */
static HRESULT optional_copy(BSTR b, char **out)
{
    *out = NULL;
    if (!SysStringLen(b)) return S_OK;
    return (*out = rtcpm_rtc_strdup_bstr(b)) ? S_OK : E_INVALIDARG;
}

static HRESULT WINAPI profile_SetCredentials(IRTCProfile2 *iface, BSTR uri, BSTR account, BSTR password)
{
    struct rtc_profile *profile = rtc_profile_from_IRTCProfile2(iface);
    char user[SIP_TEXT_USER_MAX + 1], *u, *a = NULL, *p = NULL;
    int secure;
    HRESULT hr;

    RTC_TRACE("(%p)->(%s, %s, %s)", (void *)iface, rtcpm_debugstr_w(uri), rtcpm_debugstr_w(account),
              password ? "(hidden)" : "(null)");
    if (FAILED(hr = optional_copy(uri, &u))) return hr;
    if (!u || FAILED(rtcpm_sip_text_parse_uri(u, &secure, user, sizeof(user))))
    {
        free(u);
        return RTC_E_INVALID_SIP_URL;
    }
    if (FAILED(hr = optional_copy(account, &a)) || FAILED(hr = optional_copy(password, &p)))
    {
        free(u);
        free(a);
        return hr;
    }
    /* Taken by the next registration (a registration in progress keeps what it started with). */
    EnterCriticalSection(&profile->cs);
    free(profile->user_uri);
    free(profile->account);
    free_secret(profile->password);
    profile->user_uri = u;
    profile->account = a;
    profile->password = p;
    LeaveCriticalSection(&profile->cs);
    return S_OK;
}

static HRESULT WINAPI profile_get_SessionCapabilities(IRTCProfile2 *iface, LONG *out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = rtc_profile_from_IRTCProfile2(iface)->prov->session_capabilities;
    return S_OK;
}

static HRESULT WINAPI profile_get_State(IRTCProfile2 *iface, RTC_REGISTRATION_STATE *out)
{
    struct rtc_profile *profile = rtc_profile_from_IRTCProfile2(iface);
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    EnterCriticalSection(&profile->cs);
    *out = profile->state;
    LeaveCriticalSection(&profile->cs);
    return S_OK;
}

static HRESULT WINAPI profile_put_Realm(IRTCProfile2 *iface, BSTR realm)
{
    struct rtc_profile *profile = rtc_profile_from_IRTCProfile2(iface);
    char *r;
    HRESULT hr;

    RTC_TRACE("(%p)->(%s)", (void *)iface, rtcpm_debugstr_w(realm));
    if (FAILED(hr = optional_copy(realm, &r))) return hr;
    EnterCriticalSection(&profile->cs);
    free(profile->realm);
    profile->realm = r ? r : calloc(1, 1); /* "" = answer any realm */
    LeaveCriticalSection(&profile->cs);
    return profile->realm ? S_OK : E_OUTOFMEMORY;
}

static HRESULT WINAPI profile_get_AllowedAuth(IRTCProfile2 *iface, LONG *out)
{
    struct rtc_profile *profile = rtc_profile_from_IRTCProfile2(iface);
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    EnterCriticalSection(&profile->cs);
    *out = profile->allowed_auth;
    LeaveCriticalSection(&profile->cs);
    return S_OK;
}

static HRESULT WINAPI profile_put_AllowedAuth(IRTCProfile2 *iface, LONG value)
{
    struct rtc_profile *profile = rtc_profile_from_IRTCProfile2(iface);
    RTC_TRACE("(%p)->(%ld)", (void *)iface, (long)value);
    if (value & ~(LONG)(RTCAU_BASIC | RTCAU_DIGEST | RTCAU_NTLM | RTCAU_KERBEROS | RTCAU_USE_LOGON_CRED))
        return E_INVALIDARG;
    EnterCriticalSection(&profile->cs);
    profile->allowed_auth = value;
    LeaveCriticalSection(&profile->cs);
    return S_OK;
}

const IRTCProfile2Vtbl rtcpm_rtc_profile_vtbl = {
    profile_QueryInterface,   profile_AddRef,
    profile_Release,          profile_get_Key,
    profile_get_Name,         profile_get_XML,
    profile_get_ProviderName, profile_get_ProviderURI,
    profile_get_ProviderData, profile_get_ClientName,
    profile_get_ClientBanner, profile_get_ClientMinVer,
    profile_get_ClientCurVer, profile_get_ClientUpdateURI,
    profile_get_ClientData,   profile_get_UserURI,
    profile_get_UserName,     profile_get_UserAccount,
    profile_SetCredentials,   profile_get_SessionCapabilities,
    profile_get_State,        profile_get_Realm,
    profile_put_Realm,        profile_get_AllowedAuth,
    profile_put_AllowedAuth,
};

/* ---- IRTCProfilePortManagement ----------------------------------------------------------- */

static HRESULT WINAPI profile_pm_QueryInterface(IRTCProfilePortManagement *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return profile_QueryInterface(&impl_from_IRTCProfilePortManagement(iface)->IRTCProfile2_iface, riid, out);
}

static ULONG WINAPI profile_pm_AddRef(IRTCProfilePortManagement *iface)
{
    ULONG ref = profile_AddRef(&impl_from_IRTCProfilePortManagement(iface)->IRTCProfile2_iface);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static ULONG WINAPI profile_pm_Release(IRTCProfilePortManagement *iface)
{
    ULONG ref = profile_Release(&impl_from_IRTCProfilePortManagement(iface)->IRTCProfile2_iface);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static HRESULT WINAPI profile_pm_SetPortManager(IRTCProfilePortManagement *iface, IRTCPortManager *pm)
{
    struct rtc_profile *profile = impl_from_IRTCProfilePortManagement(iface);
    struct host_pm_ref *fresh, *old;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)pm);
    if (!pm) return E_POINTER;
    /* registered and released outside the lock (both may reach the port manager's apartment) */
    if (FAILED(hr = rtcpm_host_pm_ref_create(pm, &fresh))) return hr;
    EnterCriticalSection(&profile->cs);
    if (profile->enabled)
    {
        old = fresh;
        hr = E_FAIL;
    }
    else
    {
        old = profile->pm;
        profile->pm = fresh;
    }
    LeaveCriticalSection(&profile->cs);
    rtcpm_host_pm_ref_release(old);
    RTC_TRACE("profile %p SetPortManager(%p) -> %#lx", (void *)profile, (void *)pm, (unsigned long)hr);
    return hr;
}

static const IRTCProfilePortManagementVtbl profile_pm_vtbl = {
    profile_pm_QueryInterface,
    profile_pm_AddRef,
    profile_pm_Release,
    profile_pm_SetPortManager,
};

/* ---- for the client and the registration --------------------------------------------------- */

struct host_pm_ref *rtcpm_rtc_profile_pm(struct rtc_profile *profile)
{
    struct host_pm_ref *pm;
    EnterCriticalSection(&profile->cs);
    pm = profile->pm;
    rtcpm_host_pm_ref_addref(pm);
    LeaveCriticalSection(&profile->cs);
    return pm;
}

RTC_REGISTRATION_STATE rtcpm_rtc_profile_set_state(struct rtc_profile *profile, RTC_REGISTRATION_STATE state)
{
    RTC_REGISTRATION_STATE old;
    EnterCriticalSection(&profile->cs);
    old = profile->state;
    profile->state = state;
    LeaveCriticalSection(&profile->cs);
    return old;
}

void rtcpm_rtc_profile_report(struct rtc_profile *profile, struct rtc_client *client, RTC_REGISTRATION_STATE state,
                              LONG status, const char *text)
{
    IDispatch *event;

    rtcpm_rtc_profile_set_state(profile, state);
    RTC_TRACE("profile %p: registration state %d status %#lx (%s)", (void *)profile, state, (unsigned long)status,
              text ? text : "");
    if (SUCCEEDED(rtcpm_rtc_registration_event_create((IRTCProfile *)&profile->IRTCProfile2_iface, state, status, text,
                                                      &event)))
        rtcpm_rtc_client_post_event(client, RTCE_REGISTRATION_STATE_CHANGE, event);
}

HRESULT rtcpm_rtc_profile_create(const struct rtc_client *owner, BSTR xml, struct rtcpm_provision *prov,
                                 IRTCProfile2 **out)
{
    struct rtc_profile *profile;

    *out = NULL;
    if (!(profile = calloc(1, sizeof(*profile))))
    {
        rtcpm_provision_free(prov);
        return E_OUTOFMEMORY;
    }
    profile->IRTCProfile2_iface.lpVtbl = &rtcpm_rtc_profile_vtbl;
    profile->IRTCProfilePortManagement_iface.lpVtbl = &profile_pm_vtbl;
    profile->ref = 1;
    InitializeCriticalSection(&profile->cs);
    profile->owner = owner;
    profile->prov = prov;
    profile->allowed_auth = prov->allowed_auth_present ? prov->allowed_auth : RTCAU_DIGEST;
    profile->state = RTCRS_NOT_REGISTERED;
    rtcpm_com_object_created();
    if (!(profile->xml = SysAllocStringLen(xml, SysStringLen(xml))))
    {
        profile_Release(&profile->IRTCProfile2_iface);
        return E_OUTOFMEMORY;
    }
    *out = &profile->IRTCProfile2_iface;
    return S_OK;
}
