/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * profile.c — the RTC profile object's port management: IRTCProfilePortManagement, and the
 * registration it drives.
 *
 * IRTCProfilePortManagement::SetPortManager (RTC 1.5, learn.microsoft.com bb154600):
 *   E_POINTER "The pointer is NULL"; E_FAIL "The interface has not been successfully set.
 *   Something unexpected happened or the profile has already been enabled"; "the Port
 *   Manager methods like GetMapping or GetMappingEx will be called by the RTC Client whenever
 *   that profile gets used, such as in registration or subscription".
 * So: the port manager is fixed while the profile is enabled; enabling (registration) asks it
 * for the SIP mapping towards the registrar; disabling releases that mapping.
 *
 * The profile aggregates the free-threaded marshaler: any apartment calls it directly. The
 * port manager is kept in a host_pm_ref (pm_ref.h), never as the raw pointer the caller of
 * SetPortManager had.
 */
#define COBJMACROS
#include <stdlib.h>
#include <string.h>
#include "host/host_objects.h"
#include "com/com.h"
#include "com/ftm.h"
#include "com/log.h"

enum profile_state
{
    PROFILE_DISABLED,
    PROFILE_ENABLING, /* a thread is asking the port manager */
    PROFILE_ENABLED,
    PROFILE_DISABLING
};

struct host_profile
{
    IRTCProfilePortManagement IRTCProfilePortManagement_iface;
    LONG ref;
    struct com_ftm ftm;
    struct rtcpm_lock lock;
    struct host_client *client; /* referenced */
    char user[SIP_TEXT_USER_MAX + 1];
    int secure;
    char registrar_text[RTCPM_ADDR_TEXT_SIZE];
    LONG registrar_port;
    LONG transport;
    struct host_pm_ref *pm; /* referenced; NULL = none */
    enum profile_state state;
    struct driver_set registration; /* valid in PROFILE_ENABLED */
};

static const IRTCProfilePortManagementVtbl profile_vtbl;

static inline struct host_profile *impl_from_IRTCProfilePortManagement(IRTCProfilePortManagement *iface)
{
    return CONTAINING_RECORD(iface, struct host_profile, IRTCProfilePortManagement_iface);
}

struct host_profile *rtcpm_unsafe_impl_from_IRTCProfilePortManagement(IRTCProfilePortManagement *iface)
{
    return iface && iface->lpVtbl == &profile_vtbl ? impl_from_IRTCProfilePortManagement(iface) : NULL;
}

static const struct com_iface_entry profile_ifaces[] = {
    { &IID_IRTCProfilePortManagement, offsetof(struct host_profile, IRTCProfilePortManagement_iface) },
};

static HRESULT WINAPI profile_QueryInterface(IRTCProfilePortManagement *iface, REFIID riid, void **out)
{
    struct host_profile *profile = impl_from_IRTCProfilePortManagement(iface);
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    hr = rtcpm_com_query_interface(profile, profile_ifaces, ARRAY_SIZE(profile_ifaces), riid, out);
    if (hr == E_NOINTERFACE) hr = rtcpm_com_ftm_query_interface(&profile->ftm, riid, out);
    return hr;
}

static ULONG WINAPI profile_AddRef(IRTCProfilePortManagement *iface)
{
    LONG ref = com_ref_inc(&impl_from_IRTCProfilePortManagement(iface)->ref);
    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p) ref=%ld", (void *)iface, (long)ref);
    return (ULONG)ref;
}

static ULONG WINAPI profile_Release(IRTCProfilePortManagement *iface)
{
    struct host_profile *profile = impl_from_IRTCProfilePortManagement(iface);
    LONG ref = com_ref_dec(&profile->ref);
    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p) ref=%ld", (void *)iface, (long)ref);

    if (!ref)
    {
        /* The last reference: nobody can be enabling; an enabled profile unregisters. */
        rtcpm_driver_set_release(&profile->registration);
        rtcpm_host_pm_ref_release(profile->pm);
        rtcpm_host_client_release(profile->client);
        rtcpm_com_ftm_release(&profile->ftm);
        rtcpm_lock_destroy(&profile->lock);
        free(profile);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

void rtcpm_host_profile_addref(struct host_profile *p) { profile_AddRef(&p->IRTCProfilePortManagement_iface); }
void rtcpm_host_profile_release(struct host_profile *p) { profile_Release(&p->IRTCProfilePortManagement_iface); }

static HRESULT WINAPI profile_SetPortManager(IRTCProfilePortManagement *iface, IRTCPortManager *pm)
{
    struct host_profile *profile = impl_from_IRTCProfilePortManagement(iface);
    struct host_pm_ref *fresh, *old;
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p)->(%p)", (void *)iface, (void *)pm);
    if (!pm) return E_POINTER;
    /* Registered and released outside the lock: either may call into the port manager's
     * apartment, whose thread may be waiting for this lock. */
    if (FAILED(hr = rtcpm_host_pm_ref_create(pm, &fresh))) return hr;
    rtcpm_lock_acquire(&profile->lock);
    if (profile->state != PROFILE_DISABLED)
    {
        hr = E_FAIL;
        old = fresh;
    }
    else
    {
        old = profile->pm;
        profile->pm = fresh;
    }
    rtcpm_lock_release(&profile->lock);
    rtcpm_host_pm_ref_release(old);
    RTCPM_TRACE(RTCPM_LOG_HOST, "profile %p pm %p -> %#lx", (void *)profile, (void *)pm, (unsigned long)(ULONG)hr);
    return hr;
}

static const IRTCProfilePortManagementVtbl profile_vtbl = {
    profile_QueryInterface,
    profile_AddRef,
    profile_Release,
    profile_SetPortManager,
};

HRESULT rtcpm_host_create_profile(IRTCClientPortManagement *client_iface, const char *user_uri,
                                  const char *registrar_address, LONG registrar_port, LONG transport,
                                  IRTCProfilePortManagement **out)
{
    struct host_client *client;
    struct host_profile *profile;
    rtcpm_addr registrar;
    char user[SIP_TEXT_USER_MAX + 1];
    int secure;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!client_iface || !user_uri || !registrar_address) return E_POINTER;
    if (!(client = rtcpm_unsafe_impl_from_IRTCClientPortManagement(client_iface))) return E_INVALIDARG;
    if (FAILED(rtcpm_sip_text_parse_uri(user_uri, &secure, user, sizeof(user)))) return E_INVALIDARG;
    if (rtcpm_addr_parse(registrar_address, strlen(registrar_address), &registrar) != RTCPM_ADDR_OK)
        return E_INVALIDARG;
    if (!rtcpm_host_transport_valid(transport)) return E_INVALIDARG;
    if (registrar_port == 0) registrar_port = rtcpm_host_default_sip_port(transport);
    if (registrar_port < 1 || registrar_port > 65535) return E_INVALIDARG;

    profile = calloc(1, sizeof(*profile));
    if (!profile) return E_OUTOFMEMORY;
    profile->IRTCProfilePortManagement_iface.lpVtbl = &profile_vtbl;
    profile->ref = 1;
    if (FAILED(hr = rtcpm_com_ftm_aggregate(&profile->ftm, (IUnknown *)&profile->IRTCProfilePortManagement_iface)))
    {
        free(profile);
        return hr;
    }
    rtcpm_lock_init(&profile->lock);
    rtcpm_host_client_addref(client);
    profile->client = client;
    strcpy(profile->user, user);
    profile->secure = secure;
    rtcpm_addr_format(&registrar, profile->registrar_text, sizeof(profile->registrar_text));
    profile->registrar_port = registrar_port;
    profile->transport = transport;
    profile->state = PROFILE_DISABLED;
    rtcpm_com_object_created();
    *out = &profile->IRTCProfilePortManagement_iface;
    return S_OK;
}

struct host_pm_ref *rtcpm_host_profile_port_manager(struct host_profile *profile)
{
    struct host_pm_ref *pm;

    rtcpm_lock_acquire(&profile->lock);
    pm = profile->pm;
    rtcpm_host_pm_ref_addref(pm);
    rtcpm_lock_release(&profile->lock);
    return pm;
}

void rtcpm_host_profile_identity(struct host_profile *profile, const char **user, int *secure, LONG *transport)
{
    /* Fixed at creation: no lock needed. */
    if (user) *user = profile->user;
    if (secure) *secure = profile->secure;
    if (transport) *transport = profile->transport;
}

HRESULT rtcpm_host_profile_enable(IRTCProfilePortManagement *iface)
{
    struct host_profile *profile;
    struct driver_request req;
    struct driver_set set;
    struct host_pm_ref *ref;
    IRTCPortManager *pm = NULL;
    HRESULT hr = S_OK;

    if (!iface) return E_POINTER;
    if (!(profile = rtcpm_unsafe_impl_from_IRTCProfilePortManagement(iface))) return E_INVALIDARG;

    rtcpm_lock_acquire(&profile->lock);
    if (profile->state != PROFILE_DISABLED)
    {
        rtcpm_lock_release(&profile->lock);
        return E_UNEXPECTED;
    }
    profile->state = PROFILE_ENABLING; /* from here SetPortManager answers E_FAIL */
    ref = profile->pm;
    rtcpm_host_pm_ref_addref(ref);
    rtcpm_lock_release(&profile->lock);

    /* The port manager is called without the profile's lock held: it may take its time
     * (a STUN port manager asks the network), or live in another apartment. */
    if (ref) hr = rtcpm_host_pm_ref_get(ref, &pm);
    rtcpm_host_pm_ref_release(ref);
    if (SUCCEEDED(hr))
    {
        memset(&req, 0, sizeof(req));
        req.type = RTCPT_SIP;
        req.transport = profile->transport;
        req.remote = profile->registrar_text;
        req.remote_port = profile->registrar_port;
        rtcpm_host_client_local_sip(profile->client, &req.local);
        hr = rtcpm_driver_set_acquire(&set, pm, &req, 1);
    }
    if (pm) IRTCPortManager_Release(pm);

    rtcpm_lock_acquire(&profile->lock);
    if (SUCCEEDED(hr))
    {
        profile->registration = set;
        profile->state = PROFILE_ENABLED;
    }
    else
        profile->state = PROFILE_DISABLED;
    rtcpm_lock_release(&profile->lock);
    RTCPM_TRACE(RTCPM_LOG_HOST, "profile %p enable -> %#lx", (void *)profile, (unsigned long)(ULONG)hr);
    return hr;
}

HRESULT rtcpm_host_profile_disable(IRTCProfilePortManagement *iface)
{
    struct host_profile *profile;
    struct driver_set set;
    HRESULT hr;

    if (!iface) return E_POINTER;
    if (!(profile = rtcpm_unsafe_impl_from_IRTCProfilePortManagement(iface))) return E_INVALIDARG;

    rtcpm_lock_acquire(&profile->lock);
    if (profile->state == PROFILE_DISABLED)
    {
        rtcpm_lock_release(&profile->lock);
        return S_FALSE;
    }
    if (profile->state != PROFILE_ENABLED)
    {
        rtcpm_lock_release(&profile->lock);
        return E_UNEXPECTED;
    }
    profile->state = PROFILE_DISABLING;
    set = profile->registration;
    memset(&profile->registration, 0, sizeof(profile->registration));
    rtcpm_lock_release(&profile->lock);

    hr = rtcpm_driver_set_release(&set);

    rtcpm_lock_acquire(&profile->lock);
    profile->state = PROFILE_DISABLED;
    rtcpm_lock_release(&profile->lock);
    /* A failed ReleaseMapping does not keep the profile registered: the mapping is gone
     * from RTC's side either way; the port manager's complaint is passed on. */
    return FAILED(hr) ? hr : S_OK;
}

HRESULT rtcpm_host_profile_contact(IRTCProfilePortManagement *iface, char *buf, size_t buflen)
{
    struct host_profile *profile;
    const struct driver_mapping *sip;
    HRESULT hr;

    if (!iface || !buf || !buflen) return E_POINTER;
    buf[0] = 0;
    if (!(profile = rtcpm_unsafe_impl_from_IRTCProfilePortManagement(iface))) return E_INVALIDARG;
    rtcpm_lock_acquire(&profile->lock);
    if (profile->state != PROFILE_ENABLED || !(sip = rtcpm_driver_set_find(&profile->registration, RTCPT_SIP)))
        hr = E_UNEXPECTED;
    else
        hr = rtcpm_sip_text_contact(profile->user, profile->secure, &sip->external, profile->transport, buf, buflen,
                                    NULL);
    rtcpm_lock_release(&profile->lock);
    return hr;
}

HRESULT rtcpm_host_profile_mapping(IRTCProfilePortManagement *iface, struct rtcpm_host_mapping *out)
{
    struct host_profile *profile;
    const struct driver_mapping *sip;
    HRESULT hr = S_OK;

    if (!iface || !out) return E_POINTER;
    memset(out, 0, sizeof(*out));
    if (!(profile = rtcpm_unsafe_impl_from_IRTCProfilePortManagement(iface))) return E_INVALIDARG;
    rtcpm_lock_acquire(&profile->lock);
    if (profile->state != PROFILE_ENABLED || !(sip = rtcpm_driver_set_find(&profile->registration, RTCPT_SIP)))
        hr = E_UNEXPECTED;
    else
        rtcpm_driver_mapping_describe(sip, out);
    rtcpm_lock_release(&profile->lock);
    return hr;
}
