/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * driver.c — see driver.h.
 *
 * What decides the behaviour (learn.microsoft.com "previous-versions" RTC pages):
 *  - IRTCPortManager::GetMapping / IRTCPortManager3::GetMappingEx: "If a mapping is not
 *    available, the application should return a failure code. The operation requiring the
 *    mapping will fail." -> a failed mapping fails the whole operation with that HRESULT.
 *  - IRTCPortManager::ReleaseMapping / ReleaseMappingEx: "informs the application that NAT
 *    mapping is no longer required. For example, when a call has completed" -> every mapping
 *    obtained is released when the registration or call ends, or when the operation fails
 *    half-way.
 *  - IRTCPortManager::UpdateRemoteAddress(Ex/Ex2): "Some NATs associate each port mapping with
 *    a particular remote address ... This method allows the application to update the remote
 *    address associated with a particular mapping" -> called when the remote end changes.
 *  - IRTCPortManager3 "can be obtained by calling IUnknown::QueryInterface on the
 *    IRTCPortManager or IRTCPortManager2 interface" -> QI 3, then 2, else plain 1.
 */
#define COBJMACROS
#include <string.h>
#include "driver.h"
#include "com/bstr_util.h"
#include "com/log.h"

void rtcpm_driver_mapping_describe(const struct driver_mapping *m, struct rtcpm_host_mapping *out)
{
    memset(out, 0, sizeof(*out));
    out->type = m->type;
    out->transport = m->transport;
    /* canonical text cannot overflow 64 bytes (RTCPM_ADDR_TEXT_SIZE is 51) */
    rtcpm_addr_format(&m->internal, out->internal_address, sizeof(out->internal_address));
    rtcpm_addr_format(&m->external, out->external_address, sizeof(out->external_address));
    out->internal_port = m->internal_port;
    out->external_port = m->external_port;
}

void rtcpm_driver_pm_open(IRTCPortManager *pm, struct driver_pm *out)
{
    memset(out, 0, sizeof(*out));
    if (!pm) return;
    /* One reference per open, on the highest interface: IRTCPortManager3 derives from
     * IRTCPortManager2, which derives from IRTCPortManager, so that pointer serves all three. */
    if (SUCCEEDED(IRTCPortManager_QueryInterface(pm, &IID_IRTCPortManager3, (void **)&out->v3)) && out->v3)
    {
        out->v2 = (IRTCPortManager2 *)out->v3;
        out->v1 = (IRTCPortManager *)out->v3;
        out->level = 3;
    }
    else if (SUCCEEDED(IRTCPortManager_QueryInterface(pm, &IID_IRTCPortManager2, (void **)&out->v2)) && out->v2)
    {
        out->v3 = NULL;
        out->v1 = (IRTCPortManager *)out->v2;
        out->level = 2;
    }
    else
    {
        out->v3 = NULL;
        out->v2 = NULL;
        IRTCPortManager_AddRef(pm);
        out->v1 = pm;
        out->level = 1;
    }
    RTCPM_TRACE(RTCPM_LOG_HOST, "port manager %p answers level %d", (void *)pm, out->level);
}

void rtcpm_driver_pm_close(struct driver_pm *pm)
{
    /* v1 is the one pointer holding this open's reference (see rtcpm_driver_pm_open). */
    if (pm->v1) IRTCPortManager_Release(pm->v1);
    memset(pm, 0, sizeof(*pm));
}

static void mapping_clear(struct driver_mapping *m)
{
    SysFreeString(m->internal_text);
    SysFreeString(m->external_text);
    SysFreeString(m->remote);
    memset(m, 0, sizeof(*m));
}

/* The port manager's answer as an address with a port; 0 when unusable. */
static int parse_answer(BSTR text, LONG port, rtcpm_addr *out)
{
    char buf[RTCPM_ADDR_PARSE_TEXT_MAX + 1];
    size_t len;

    memset(out, 0, sizeof(*out));
    if (port < 1 || port > 65535) return 0;
    if (FAILED(rtcpm_bstr_to_utf8(text, buf, sizeof(buf), &len))) return 0;
    if (rtcpm_addr_parse(buf, len, out) != RTCPM_ADDR_OK) return 0;
    out->port = (uint16_t)port;
    return 1;
}

static HRESULT release_one(struct driver_pm *pm, struct driver_mapping *m)
{
    HRESULT hr = S_OK;

    if (m->from_pm)
    {
        if (pm->level == 3)
            hr = IRTCPortManager3_ReleaseMappingEx(pm->v3, m->transport, m->internal_text, m->internal_port,
                                                   m->external_text, m->external_port);
        else
            hr = IRTCPortManager_ReleaseMapping(pm->v1, m->internal_text, m->internal_port, m->external_text,
                                                m->external_port);
        RTCPM_TRACE(RTCPM_LOG_HOST, "release %s -> %#lx", rtcpm_port_type_name(m->type), (unsigned long)(ULONG)hr);
    }
    mapping_clear(m);
    return hr;
}

static HRESULT acquire_one(struct driver_pm *pm, const struct driver_request *req, struct driver_mapping *m)
{
    BSTR remote;
    HRESULT hr;

    memset(m, 0, sizeof(*m));
    m->type = req->type;
    m->transport = req->transport;
    m->remote_port = req->remote_port;
    remote = rtcpm_bstr_from_cstr(req->remote ? req->remote : "");
    if (!remote) return E_OUTOFMEMORY;

    if (!pm->level)
    {
        char text[RTCPM_ADDR_TEXT_SIZE];
        if (rtcpm_addr_format(&req->local, text, sizeof(text)) < 0 || !req->local.port)
        {
            SysFreeString(remote);
            return E_INVALIDARG;
        }
        m->internal = m->external = req->local;
        m->internal_port = m->external_port = req->local.port;
        m->internal_text = rtcpm_bstr_from_cstr(text);
        m->external_text = rtcpm_bstr_from_cstr(text);
        m->remote = remote;
        if (!m->internal_text || !m->external_text)
        {
            mapping_clear(m);
            return E_OUTOFMEMORY;
        }
        return S_OK;
    }

    if (pm->level == 3)
        hr = IRTCPortManager3_GetMappingEx(pm->v3, remote, req->remote_port, req->transport, req->type,
                                           &m->internal_text, &m->internal_port, &m->external_text, &m->external_port);
    else
        hr = IRTCPortManager_GetMapping(pm->v1, remote, req->type, &m->internal_text, &m->internal_port,
                                        &m->external_text, &m->external_port);
    RTCPM_TRACE(RTCPM_LOG_HOST, "mapping %s (level %d) -> %#lx", rtcpm_port_type_name(req->type), pm->level,
                (unsigned long)(ULONG)hr);
    m->remote = remote;
    if (FAILED(hr))
    {
        /* COM: [out] values are the callee's only on success; a failing port manager was
         * supposed to leave NULLs, and freeing what it might have freed already is worse
         * than a leak in its own bug. */
        m->internal_text = m->external_text = NULL;
        mapping_clear(m);
        return hr;
    }
    m->from_pm = 1;
    if (!parse_answer(m->internal_text, m->internal_port, &m->internal) ||
        !parse_answer(m->external_text, m->external_port, &m->external))
    {
        RTCPM_TRACE(RTCPM_LOG_HOST, "unusable answer for %s: released", rtcpm_port_type_name(req->type));
        release_one(pm, m);
        return RTC_E_PORT_MAPPING_FAILED;
    }
    return S_OK;
}

/* The set's port manager, opened in the calling apartment (level 0 without one). */
static HRESULT set_open(struct driver_set *set, struct driver_pm *pm)
{
    IRTCPortManager *here;
    HRESULT hr;

    memset(pm, 0, sizeof(*pm));
    if (!set->pm) return S_OK;
    if (FAILED(hr = rtcpm_host_pm_ref_get(set->pm, &here)))
    {
        RTCPM_TRACE(RTCPM_LOG_HOST, "no port manager in this apartment: %#lx", (unsigned long)(ULONG)hr);
        return hr;
    }
    rtcpm_driver_pm_open(here, pm);
    IRTCPortManager_Release(here);
    return S_OK;
}

/* Releases every mapping through pm (opened here; NULL: forgets them unreleased). */
static HRESULT release_all(struct driver_set *set, struct driver_pm *pm)
{
    HRESULT first = S_OK, hr;
    struct driver_pm none;

    memset(&none, 0, sizeof(none));
    while (set->count > 0)
    {
        struct driver_mapping *m = &set->map[--set->count];
        if (!pm) m->from_pm = 0;
        hr = release_one(pm ? pm : &none, m);
        if (FAILED(hr) && SUCCEEDED(first)) first = hr;
    }
    return first;
}

HRESULT rtcpm_driver_set_acquire(struct driver_set *set, IRTCPortManager *pm, const struct driver_request *req, int n)
{
    struct driver_pm opened;
    HRESULT hr = S_OK;
    int i;

    memset(set, 0, sizeof(*set));
    if (n < 0 || n > DRIVER_MAX_MAPPINGS || (n && !req)) return E_INVALIDARG;
    if (pm && FAILED(hr = rtcpm_host_pm_ref_create(pm, &set->pm))) return hr;
    rtcpm_driver_pm_open(pm, &opened);
    set->level = opened.level;
    for (i = 0; i < n; i++)
    {
        hr = acquire_one(&opened, &req[i], &set->map[i]);
        if (FAILED(hr)) break;
        set->count = i + 1;
    }
    if (FAILED(hr))
    {
        /* All or nothing: give back what this operation got before the failure. */
        release_all(set, &opened);
        rtcpm_host_pm_ref_release(set->pm);
        memset(set, 0, sizeof(*set));
    }
    rtcpm_driver_pm_close(&opened);
    return hr;
}

const struct driver_mapping *rtcpm_driver_set_find(const struct driver_set *set, RTC_PORT_TYPE type)
{
    int i;
    for (i = 0; i < set->count; i++)
        if (set->map[i].type == type) return &set->map[i];
    return NULL;
}

HRESULT rtcpm_driver_set_update_remote(struct driver_set *set, RTC_PORT_TYPE type, const char *remote, LONG port)
{
    struct driver_mapping *m = (struct driver_mapping *)rtcpm_driver_set_find(set, type);
    struct driver_pm pm;
    rtcpm_addr check;
    BSTR b;
    HRESULT hr = S_OK;

    if (!m || !remote || rtcpm_addr_parse(remote, strlen(remote), &check) != RTCPM_ADDR_OK) return E_INVALIDARG;
    if (port < 0 || port > 65535) return E_INVALIDARG;
    /* A mapping of one family cannot reach a remote of the other: refused here, before any
     * port manager is told (rtcpm's refuse it as well; an application's might not). */
    rtcpm_addr_unmap_v4(&check);
    if (check.family != m->internal.family) return E_INVALIDARG;
    b = rtcpm_bstr_from_cstr(remote);
    if (!b) return E_OUTOFMEMORY;
    if (m->from_pm)
    {
        if (FAILED(hr = set_open(set, &pm)))
        {
            SysFreeString(b);
            return hr;
        }
        if (pm.level == 3)
            hr = IRTCPortManager3_UpdateRemoteAddressEx2(pm.v3, b, port, m->transport, m->internal_text,
                                                         m->internal_port, m->external_text, m->external_port);
        else if (pm.level == 2)
            hr = IRTCPortManager2_UpdateRemoteAddressEx(pm.v2, b, port, m->internal_text, m->internal_port,
                                                        m->external_text, m->external_port);
        else
            hr = IRTCPortManager_UpdateRemoteAddress(pm.v1, b, m->internal_text, m->internal_port, m->external_text,
                                                     m->external_port);
        RTCPM_TRACE(RTCPM_LOG_HOST, "update %s -> %s:%ld (level %d) -> %#lx", rtcpm_port_type_name(type), remote,
                    (long)port, pm.level, (unsigned long)(ULONG)hr);
        rtcpm_driver_pm_close(&pm);
    }
    if (FAILED(hr))
    {
        SysFreeString(b);
        return hr;
    }
    SysFreeString(m->remote);
    m->remote = b;
    m->remote_port = port;
    return S_OK;
}

HRESULT rtcpm_driver_set_release(struct driver_set *set)
{
    struct driver_pm pm;
    HRESULT first, hr;
    int had = set->count || set->pm;

    hr = set_open(set, &pm);
    first = release_all(set, SUCCEEDED(hr) ? &pm : NULL);
    if (FAILED(hr)) first = hr;
    rtcpm_driver_pm_close(&pm);
    rtcpm_host_pm_ref_release(set->pm);
    memset(set, 0, sizeof(*set));
    return had ? first : S_FALSE;
}
