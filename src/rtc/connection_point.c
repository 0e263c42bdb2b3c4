/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * connection_point.c — the client's IConnectionPointContainer, its two IConnectionPoints
 * (IRTCEventNotification, and the dispinterface IRTCDispatchEventNotification for sinks that
 * only implement IDispatch), IEnumConnections and IEnumConnectionPoints, written by hand
 * (Wine has no server-side connection-point helper).
 *
 * The connection points live inside the client: their AddRef/Release are the client's.
 * Sinks are QI'd to the point's IID at Advise (CONNECT_E_CANNOTCONNECT when they do not
 * answer it) and held until Unadvise or Shutdown. The sink lists are guarded by the client's
 * lock; delivery (client.c) calls sinks from a snapshot, without the lock.
 */
#include <stdlib.h>
#include "rtc/rtc_private.h"

static inline struct rtc_client *impl_from_IConnectionPointContainer(IConnectionPointContainer *iface)
{
    return CONTAINING_RECORD(iface, struct rtc_client, IConnectionPointContainer_iface);
}

static inline struct rtc_cp *impl_from_IConnectionPoint(IConnectionPoint *iface)
{
    return CONTAINING_RECORD(iface, struct rtc_cp, IConnectionPoint_iface);
}

/* ---- IEnumConnections / IEnumConnectionPoints: one snapshot enumerator -------------------- */

struct cp_enum
{
    union
    {
        IEnumConnections connections;
        IEnumConnectionPoints points;
    } iface;
    LONG ref;
    int of_points;   /* 1: IEnumConnectionPoints (items are IConnectionPoint) */
    IUnknown **unks; /* referenced */
    DWORD *cookies;  /* connections only */
    ULONG count, pos;
};

static struct cp_enum *cp_enum_from(void *iface) { return CONTAINING_RECORD(iface, struct cp_enum, iface); }

static HRESULT cp_enum_new(int of_points, IUnknown **unks, const DWORD *cookies, ULONG count, ULONG pos,
                           struct cp_enum **out);

static HRESULT cp_enum_query(struct cp_enum *e, REFIID riid, void **out)
{
    const IID *own = e->of_points ? &IID_IEnumConnectionPoints : &IID_IEnumConnections;
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, own))
    {
        *out = &e->iface;
        InterlockedIncrement(&e->ref);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG cp_enum_release(struct cp_enum *e)
{
    LONG ref = InterlockedDecrement(&e->ref);
    ULONG i;
    if (!ref)
    {
        for (i = 0; i < e->count; i++) IUnknown_Release(e->unks[i]);
        free(e->unks);
        free(e->cookies);
        free(e);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT cp_enum_skip(struct cp_enum *e, ULONG n)
{
    if (n > e->count - e->pos)
    {
        e->pos = e->count;
        return S_FALSE;
    }
    e->pos += n;
    return S_OK;
}

static HRESULT WINAPI conns_QueryInterface(IEnumConnections *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return cp_enum_query(cp_enum_from(iface), riid, out);
}

static ULONG WINAPI conns_AddRef(IEnumConnections *iface)
{
    ULONG ref = (ULONG)InterlockedIncrement(&cp_enum_from(iface)->ref);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static ULONG WINAPI conns_Release(IEnumConnections *iface)
{
    ULONG ref = cp_enum_release(cp_enum_from(iface));

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static HRESULT WINAPI conns_Next(IEnumConnections *iface, ULONG n, CONNECTDATA *out, ULONG *fetched)
{
    struct cp_enum *e = cp_enum_from(iface);
    ULONG i = 0;

    RTC_TRACE("(%p)->(%lu, %p, %p)", (void *)iface, (unsigned long)n, (void *)out, (void *)fetched);
    if (!out || (n > 1 && !fetched)) return E_POINTER;
    for (; i < n && e->pos < e->count; i++, e->pos++)
    {
        out[i].pUnk = e->unks[e->pos];
        IUnknown_AddRef(out[i].pUnk);
        out[i].dwCookie = e->cookies[e->pos];
    }
    if (fetched) *fetched = i;
    return i == n ? S_OK : S_FALSE;
}

static HRESULT WINAPI conns_Skip(IEnumConnections *iface, ULONG n)
{
    RTC_TRACE("(%p)->(%lu)", (void *)iface, (unsigned long)n);
    return cp_enum_skip(cp_enum_from(iface), n);
}

static HRESULT WINAPI conns_Reset(IEnumConnections *iface)
{
    RTC_TRACE("(%p)", (void *)iface);
    cp_enum_from(iface)->pos = 0;
    return S_OK;
}

static HRESULT WINAPI conns_Clone(IEnumConnections *iface, IEnumConnections **out)
{
    struct cp_enum *e = cp_enum_from(iface), *copy;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    if (FAILED(hr = cp_enum_new(0, e->unks, e->cookies, e->count, e->pos, &copy))) return hr;
    *out = &copy->iface.connections;
    return S_OK;
}

static const IEnumConnectionsVtbl conns_vtbl = {
    conns_QueryInterface, conns_AddRef, conns_Release, conns_Next, conns_Skip, conns_Reset, conns_Clone,
};

static HRESULT WINAPI points_QueryInterface(IEnumConnectionPoints *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return cp_enum_query(cp_enum_from(iface), riid, out);
}

static ULONG WINAPI points_AddRef(IEnumConnectionPoints *iface)
{
    ULONG ref = (ULONG)InterlockedIncrement(&cp_enum_from(iface)->ref);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static ULONG WINAPI points_Release(IEnumConnectionPoints *iface)
{
    ULONG ref = cp_enum_release(cp_enum_from(iface));

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static HRESULT WINAPI points_Next(IEnumConnectionPoints *iface, ULONG n, IConnectionPoint **out, ULONG *fetched)
{
    struct cp_enum *e = cp_enum_from(iface);
    ULONG i = 0;

    RTC_TRACE("(%p)->(%lu, %p, %p)", (void *)iface, (unsigned long)n, (void *)out, (void *)fetched);
    if (!out || (n > 1 && !fetched)) return E_POINTER;
    for (; i < n && e->pos < e->count; i++, e->pos++)
    {
        out[i] = (IConnectionPoint *)e->unks[e->pos];
        IConnectionPoint_AddRef(out[i]);
    }
    if (fetched) *fetched = i;
    return i == n ? S_OK : S_FALSE;
}

static HRESULT WINAPI points_Skip(IEnumConnectionPoints *iface, ULONG n)
{
    RTC_TRACE("(%p)->(%lu)", (void *)iface, (unsigned long)n);
    return cp_enum_skip(cp_enum_from(iface), n);
}

static HRESULT WINAPI points_Reset(IEnumConnectionPoints *iface)
{
    RTC_TRACE("(%p)", (void *)iface);
    cp_enum_from(iface)->pos = 0;
    return S_OK;
}

static HRESULT WINAPI points_Clone(IEnumConnectionPoints *iface, IEnumConnectionPoints **out)
{
    struct cp_enum *e = cp_enum_from(iface), *copy;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    if (FAILED(hr = cp_enum_new(1, e->unks, NULL, e->count, e->pos, &copy))) return hr;
    *out = &copy->iface.points;
    return S_OK;
}

static const IEnumConnectionPointsVtbl points_vtbl = {
    points_QueryInterface, points_AddRef, points_Release, points_Next, points_Skip, points_Reset, points_Clone,
};

static HRESULT cp_enum_new(int of_points, IUnknown **unks, const DWORD *cookies, ULONG count, ULONG pos,
                           struct cp_enum **out)
{
    struct cp_enum *e = calloc(1, sizeof(*e));
    ULONG i;

    *out = NULL;
    if (!e) return E_OUTOFMEMORY;
    e->unks = calloc(count ? count : 1, sizeof(*e->unks));
    e->cookies = calloc(count ? count : 1, sizeof(*e->cookies));
    if (!e->unks || !e->cookies)
    {
        free(e->unks);
        free(e->cookies);
        free(e);
        return E_OUTOFMEMORY;
    }
    if (of_points)
        e->iface.points.lpVtbl = &points_vtbl;
    else
        e->iface.connections.lpVtbl = &conns_vtbl;
    e->ref = 1;
    e->of_points = of_points;
    for (i = 0; i < count; i++)
    {
        e->unks[i] = unks[i];
        IUnknown_AddRef(unks[i]);
        if (cookies) e->cookies[i] = cookies[i];
    }
    e->count = count;
    e->pos = pos;
    rtcpm_com_object_created();
    *out = e;
    return S_OK;
}

/* ---- IConnectionPoint --------------------------------------------------------------------- */

static HRESULT WINAPI cp_QueryInterface(IConnectionPoint *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IConnectionPoint))
    {
        *out = iface;
        IConnectionPoint_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI cp_AddRef(IConnectionPoint *iface)
{
    ULONG ref = IRTCClient2_AddRef(&impl_from_IConnectionPoint(iface)->client->IRTCClient2_iface);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static ULONG WINAPI cp_Release(IConnectionPoint *iface)
{
    ULONG ref = IRTCClient2_Release(&impl_from_IConnectionPoint(iface)->client->IRTCClient2_iface);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static HRESULT WINAPI cp_GetConnectionInterface(IConnectionPoint *iface, IID *iid)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)iid);
    if (!iid) return E_POINTER;
    *iid = *impl_from_IConnectionPoint(iface)->iid;
    return S_OK;
}

static HRESULT WINAPI cp_GetConnectionPointContainer(IConnectionPoint *iface, IConnectionPointContainer **out)
{
    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = &impl_from_IConnectionPoint(iface)->client->IConnectionPointContainer_iface;
    IConnectionPointContainer_AddRef(*out);
    return S_OK;
}

static HRESULT WINAPI cp_Advise(IConnectionPoint *iface, IUnknown *unk, DWORD *cookie)
{
    struct rtc_cp *cp = impl_from_IConnectionPoint(iface);
    struct rtc_sink *sink, **tail;
    IUnknown *typed;

    RTC_TRACE("(%p)->(%p, %p)", (void *)iface, (void *)unk, (void *)cookie);
    if (!cookie) return E_POINTER;
    *cookie = 0;
    if (!unk) return E_POINTER;
    /* A dispinterface sink may answer only IDispatch (scripting engines do). */
    if (FAILED(IUnknown_QueryInterface(unk, cp->iid, (void **)&typed)) &&
        (!IsEqualIID(cp->iid, &DIID_IRTCDispatchEventNotification) ||
         FAILED(IUnknown_QueryInterface(unk, &IID_IDispatch, (void **)&typed))))
        return CONNECT_E_CANNOTCONNECT;
    if (!(sink = calloc(1, sizeof(*sink))))
    {
        IUnknown_Release(typed);
        return E_OUTOFMEMORY;
    }
    sink->sink = typed;
    EnterCriticalSection(&cp->client->cs);
    sink->cookie = ++cp->next_cookie;
    for (tail = &cp->sinks; *tail; tail = &(*tail)->next)
        ;
    *tail = sink;
    *cookie = sink->cookie;
    LeaveCriticalSection(&cp->client->cs);
    return S_OK;
}

static HRESULT WINAPI cp_Unadvise(IConnectionPoint *iface, DWORD cookie)
{
    struct rtc_cp *cp = impl_from_IConnectionPoint(iface);
    struct rtc_sink **link, *found = NULL;

    RTC_TRACE("(%p)->(%lu)", (void *)iface, (unsigned long)cookie);
    EnterCriticalSection(&cp->client->cs);
    for (link = &cp->sinks; *link; link = &(*link)->next)
    {
        if ((*link)->cookie != cookie) continue;
        found = *link;
        *link = found->next;
        break;
    }
    LeaveCriticalSection(&cp->client->cs);
    if (!found) return CONNECT_E_NOCONNECTION;
    IUnknown_Release(found->sink);
    free(found);
    return S_OK;
}

static HRESULT WINAPI cp_EnumConnections(IConnectionPoint *iface, IEnumConnections **out)
{
    struct rtc_cp *cp = impl_from_IConnectionPoint(iface);
    struct rtc_sink *s;
    struct cp_enum *e;
    IUnknown **unks;
    DWORD *cookies;
    ULONG n = 0;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    EnterCriticalSection(&cp->client->cs);
    for (s = cp->sinks; s; s = s->next) n++;
    unks = calloc(n ? n : 1, sizeof(*unks));
    cookies = calloc(n ? n : 1, sizeof(*cookies));
    n = 0;
    if (unks && cookies)
        for (s = cp->sinks; s; s = s->next, n++)
        {
            unks[n] = s->sink;
            cookies[n] = s->cookie;
        }
    /* cp_enum_new AddRefs the sinks while the lock still keeps them alive */
    hr = unks && cookies ? cp_enum_new(0, unks, cookies, n, 0, &e) : E_OUTOFMEMORY;
    LeaveCriticalSection(&cp->client->cs);
    free(unks);
    free(cookies);
    if (SUCCEEDED(hr)) *out = &e->iface.connections;
    return hr;
}

static const IConnectionPointVtbl cp_vtbl = {
    cp_QueryInterface, cp_AddRef,   cp_Release,         cp_GetConnectionInterface, cp_GetConnectionPointContainer,
    cp_Advise,         cp_Unadvise, cp_EnumConnections,
};

void rtcpm_rtc_cp_init(struct rtc_cp *cp, struct rtc_client *client, const IID *iid)
{
    cp->IConnectionPoint_iface.lpVtbl = &cp_vtbl;
    cp->client = client;
    cp->iid = iid;
    cp->sinks = NULL;
    cp->next_cookie = 0;
}

void rtcpm_rtc_cp_clear(struct rtc_cp *cp)
{
    struct rtc_sink *s, *next;

    EnterCriticalSection(&cp->client->cs);
    s = cp->sinks;
    cp->sinks = NULL;
    LeaveCriticalSection(&cp->client->cs);
    for (; s; s = next)
    {
        next = s->next;
        IUnknown_Release(s->sink);
        free(s);
    }
}

HRESULT rtcpm_rtc_cp_snapshot(struct rtc_cp *cp, IUnknown ***sinks, size_t *count)
{
    struct rtc_sink *s;
    size_t n = 0;

    *sinks = NULL;
    *count = 0;
    EnterCriticalSection(&cp->client->cs);
    for (s = cp->sinks; s; s = s->next) n++;
    if (n && !(*sinks = calloc(n, sizeof(**sinks))))
    {
        LeaveCriticalSection(&cp->client->cs);
        return E_OUTOFMEMORY;
    }
    for (s = cp->sinks, n = 0; s; s = s->next, n++)
    {
        (*sinks)[n] = s->sink;
        IUnknown_AddRef(s->sink);
    }
    LeaveCriticalSection(&cp->client->cs);
    *count = n;
    return S_OK;
}

/* ---- IConnectionPointContainer (the client's) -------------------------------------------- */

static HRESULT WINAPI cpc_QueryInterface(IConnectionPointContainer *iface, REFIID riid, void **out)
{
    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    return IRTCClient2_QueryInterface(&impl_from_IConnectionPointContainer(iface)->IRTCClient2_iface, riid, out);
}

static ULONG WINAPI cpc_AddRef(IConnectionPointContainer *iface)
{
    ULONG ref = IRTCClient2_AddRef(&impl_from_IConnectionPointContainer(iface)->IRTCClient2_iface);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static ULONG WINAPI cpc_Release(IConnectionPointContainer *iface)
{
    ULONG ref = IRTCClient2_Release(&impl_from_IConnectionPointContainer(iface)->IRTCClient2_iface);

    RTC_TRACE("(%p) ref=%lu", (void *)iface, ref);
    return ref;
}

static HRESULT WINAPI cpc_EnumConnectionPoints(IConnectionPointContainer *iface, IEnumConnectionPoints **out)
{
    struct rtc_client *client = impl_from_IConnectionPointContainer(iface);
    IUnknown *points[2];
    struct cp_enum *e;
    HRESULT hr;

    RTC_TRACE("(%p)->(%p)", (void *)iface, (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    points[0] = (IUnknown *)&client->cp_notify.IConnectionPoint_iface;
    points[1] = (IUnknown *)&client->cp_dispatch.IConnectionPoint_iface;
    if (FAILED(hr = cp_enum_new(1, points, NULL, 2, 0, &e))) return hr;
    *out = &e->iface.points;
    return S_OK;
}

static HRESULT WINAPI cpc_FindConnectionPoint(IConnectionPointContainer *iface, REFIID riid, IConnectionPoint **out)
{
    struct rtc_client *client = impl_from_IConnectionPointContainer(iface);

    RTC_TRACE("(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    if (!out) return E_POINTER;
    *out = NULL;
    if (!riid) return E_POINTER;
    if (IsEqualIID(riid, &IID_IRTCEventNotification))
        *out = &client->cp_notify.IConnectionPoint_iface;
    else if (IsEqualIID(riid, &DIID_IRTCDispatchEventNotification))
        *out = &client->cp_dispatch.IConnectionPoint_iface;
    else
        return CONNECT_E_NOCONNECTION;
    IConnectionPoint_AddRef(*out);
    return S_OK;
}

const IConnectionPointContainerVtbl rtcpm_rtc_cp_container_vtbl = {
    cpc_QueryInterface, cpc_AddRef, cpc_Release, cpc_EnumConnectionPoints, cpc_FindConnectionPoint,
};
