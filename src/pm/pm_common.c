/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_common.c — see pm_common.h (factored out of the static port manager, so the STUN one
 * answers RTC's arguments exactly the same way).
 */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pm/pm_common.h"
#include "pm/config.h"
#include "com/bstr_util.h"
#include "com/com.h"
#include "com/log.h"

int rtcpm_pm_transport_valid(LONG t) { return t == RTCTR_UDP || t == RTCTR_TCP || t == RTCTR_TLS; }
int rtcpm_pm_port_valid(LONG p) { return p >= 1 && p <= 65535; }
int rtcpm_pm_remote_port_valid(LONG p) { return p >= 0 && p <= 65535; }

const char *rtcpm_pm_transport_name(LONG t)
{
    switch (t)
    {
    case RTCTR_UDP: return "udp";
    case RTCTR_TCP: return "tcp";
    case RTCTR_TLS: return "tls";
    }
    return "?";
}

HRESULT rtcpm_pm_addr_from_bstr(BSTR b, int allow_empty, LONG port, rtcpm_addr *out)
{
    char text[RTCPM_ADDR_PARSE_TEXT_MAX + 1];
    size_t len;

    memset(out, 0, sizeof(*out));
    if (FAILED(rtcpm_bstr_to_utf8(b, text, sizeof(text), &len))) return E_INVALIDARG;
    if (!len) return allow_empty ? S_OK : E_INVALIDARG;
    if (rtcpm_addr_parse(text, len, out)) return E_INVALIDARG;
    out->port = (uint16_t)port;
    return S_OK;
}

HRESULT rtcpm_pm_check_get_mapping(BSTR remote_text, LONG remote_port, LONG transport, RTC_PORT_TYPE type,
                                   BSTR *int_addr, LONG *int_port, BSTR *ext_addr, LONG *ext_port, rtcpm_addr *remote)
{
    HRESULT hr;

    memset(remote, 0, sizeof(*remote));
    if (int_addr) *int_addr = NULL;
    if (int_port) *int_port = 0;
    if (ext_addr) *ext_addr = NULL;
    if (ext_port) *ext_port = 0;
    if (!int_addr || !int_port || !ext_addr || !ext_port) return E_POINTER;
    if ((unsigned)type > RTCPT_SIP || !rtcpm_pm_transport_valid(transport) || !rtcpm_pm_remote_port_valid(remote_port))
        return E_INVALIDARG;
    if (FAILED(hr = rtcpm_pm_addr_from_bstr(remote_text, 1, remote_port, remote))) return hr;
    rtcpm_addr_unmap_v4(remote);
    return S_OK;
}

HRESULT rtcpm_pm_mapping_key(LONG transport, BSTR int_addr, LONG int_port, BSTR ext_addr, LONG ext_port, rtcpm_addr *in,
                             rtcpm_addr *ex)
{
    HRESULT hr;
    if (!rtcpm_pm_transport_valid(transport) || !rtcpm_pm_port_valid(int_port) || !rtcpm_pm_port_valid(ext_port))
        return E_INVALIDARG;
    if (FAILED(hr = rtcpm_pm_addr_from_bstr(int_addr, 0, int_port, in))) return hr;
    return rtcpm_pm_addr_from_bstr(ext_addr, 0, ext_port, ex);
}

HRESULT rtcpm_pm_return_mapping(const struct rtcpm_mapping *m, BSTR *int_addr, LONG *int_port, BSTR *ext_addr,
                                LONG *ext_port)
{
    char in_text[RTCPM_ADDR_TEXT_SIZE], ex_text[RTCPM_ADDR_TEXT_SIZE];
    BSTR in_b, ex_b;

    rtcpm_addr_format(&m->internal, in_text, sizeof(in_text));
    rtcpm_addr_format(&m->external, ex_text, sizeof(ex_text));
    in_b = rtcpm_bstr_from_cstr(in_text);
    ex_b = rtcpm_bstr_from_cstr(ex_text);
    if (!in_b || !ex_b)
    {
        SysFreeString(in_b);
        SysFreeString(ex_b);
        return E_OUTOFMEMORY;
    }
    *int_addr = in_b;
    *int_port = m->internal.port;
    *ext_addr = ex_b;
    *ext_port = m->external.port;
    return S_OK;
}

HRESULT rtcpm_pm_table_release(struct rtcpm_mapping_table *t, LONG transport, BSTR int_addr, LONG int_port,
                               BSTR ext_addr, LONG ext_port, struct rtcpm_mapping *removed)
{
    rtcpm_addr in, ex;
    HRESULT hr;

    if (FAILED(hr = rtcpm_pm_mapping_key(transport, int_addr, int_port, ext_addr, ext_port, &in, &ex))) return hr;
    if (rtcpm_mapping_table_remove(t, (unsigned)transport, &in, &ex, removed) != RTCPM_MT_OK)
        return RTC_E_PORT_MAPPING_UNAVAILABLE;
    return S_OK;
}

HRESULT WINAPI rtcpm_pm_UpdateRemoteAddressEx2(IRTCPortManager3 *iface, BSTR remote_text, LONG remote_port,
                                               LONG transport, BSTR int_addr, LONG int_port, BSTR ext_addr,
                                               LONG ext_port)
{
    struct rtcpm_mapping_table *t = CONTAINING_RECORD(iface, struct pm_object, IRTCPortManager3_iface)->table;
    rtcpm_addr in, ex, remote;
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %ld, %ld, %s, %ld, %s, %ld)", (void *)iface, rtcpm_debugstr_w(remote_text),
                (long)remote_port, (long)transport, rtcpm_debugstr_w(int_addr), (long)int_port,
                rtcpm_debugstr_w(ext_addr), (long)ext_port);
    if (FAILED(hr = rtcpm_pm_mapping_key(transport, int_addr, int_port, ext_addr, ext_port, &in, &ex))) return hr;
    if (!rtcpm_pm_remote_port_valid(remote_port)) return E_INVALIDARG;
    if (FAILED(hr = rtcpm_pm_addr_from_bstr(remote_text, 0, remote_port, &remote))) return hr;
    rtcpm_addr_unmap_v4(&remote);
    /* the table refuses a remote of the other family under its lock: a mapping of one family
     * cannot reach it, and no caller may be told otherwise */
    switch (rtcpm_mapping_table_update_remote(t, (unsigned)transport, &in, &ex, &remote))
    {
    case RTCPM_MT_OK: return S_OK;
    case RTCPM_MT_E_FAMILY: return E_INVALIDARG;
    default: return RTC_E_PORT_MAPPING_UNAVAILABLE;
    }
}

/* ---- listing ---- */

struct snapshot
{
    struct rtcpm_mapping *items;
    size_t count, cap;
};

static int snapshot_add(void *ctx, const struct rtcpm_mapping *m)
{
    struct snapshot *s = ctx;
    if (s->count == s->cap) return 1; /* the table grew since we counted: try again */
    s->items[s->count++] = *m;
    return 0;
}

static int addr_cmp(const rtcpm_addr *a, const rtcpm_addr *b)
{
    int r;
    if (a->family != b->family) return a->family < b->family ? -1 : 1;
    if ((r = memcmp(a->bytes, b->bytes, sizeof(a->bytes)))) return r;
    if (a->scope_id != b->scope_id) return a->scope_id < b->scope_id ? -1 : 1;
    return a->port == b->port ? 0 : a->port < b->port ? -1 : 1;
}

static int mapping_cmp(const void *x, const void *y)
{
    const struct rtcpm_mapping *a = x, *b = y;
    if (a->transport != b->transport) return a->transport < b->transport ? -1 : 1;
    return addr_cmp(&a->internal, &b->internal);
}

LONG rtcpm_pm_format_mappings(struct rtcpm_mapping_table *t, char *buf, size_t buflen)
{
    struct snapshot snap = { NULL, 0, 0 };
    size_t i, total = 0;

    if (buf && buflen) buf[0] = 0;
    for (;;)
    {
        snap.cap = rtcpm_mapping_table_count(t) + 16;
        snap.count = 0;
        free(snap.items);
        if (!(snap.items = malloc(snap.cap * sizeof(*snap.items)))) return -1;
        if (!rtcpm_mapping_table_foreach(t, snapshot_add, &snap)) break;
    }
    qsort(snap.items, snap.count, sizeof(*snap.items), mapping_cmp);
    for (i = 0; i < snap.count; i++)
    {
        const struct rtcpm_mapping *m = &snap.items[i];
        char in[RTCPM_ADDR_HOSTPORT_TEXT_SIZE], ex[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
        char re[RTCPM_ADDR_HOSTPORT_TEXT_SIZE] = "-";
        int n;
        rtcpm_addr_format_hostport(&m->internal, in, sizeof(in));
        rtcpm_addr_format_hostport(&m->external, ex, sizeof(ex));
        if (m->remote.family != RTCPM_AF_NONE) rtcpm_addr_format_hostport(&m->remote, re, sizeof(re));
        n = snprintf(total < buflen ? buf + total : NULL, total < buflen ? buflen - total : 0,
                     "%s %s %s %s remote %s\n", rtcpm_pm_transport_name(m->transport),
                     rtcpm_cfg_port_type_name(m->port_type), in, ex, re);
        if (n > 0) total += (size_t)n;
    }
    free(snap.items);
    return (LONG)total;
}

/* ---- the one QueryInterface, IRTCPortManager and IRTCPortManager2 on IRTCPortManager3 ---- */

HRESULT rtcpm_pm_query_interface(IRTCPortManager3 *iface, const struct com_ftm *ftm, REFIID riid, void **out)
{
    /* the three interfaces are one vtbl: one member of the object */
    static const struct com_iface_entry ifaces[] = {
        { &IID_IRTCPortManager, offsetof(struct pm_object, IRTCPortManager3_iface) },
        { &IID_IRTCPortManager2, offsetof(struct pm_object, IRTCPortManager3_iface) },
        { &IID_IRTCPortManager3, offsetof(struct pm_object, IRTCPortManager3_iface) },
    };
    struct pm_object *object = CONTAINING_RECORD(iface, struct pm_object, IRTCPortManager3_iface);
    HRESULT hr = rtcpm_com_query_interface(object, ifaces, ARRAY_SIZE(ifaces), riid, out);
    if (hr == E_NOINTERFACE) hr = rtcpm_com_ftm_query_interface(ftm, riid, out);
    return hr;
}

HRESULT WINAPI rtcpm_pm_forward_GetMapping(IRTCPortManager3 *iface, BSTR remote, RTC_PORT_TYPE type, BSTR *int_addr,
                                           LONG *int_port, BSTR *ext_addr, LONG *ext_port)
{
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %d)", (void *)iface, rtcpm_debugstr_w(remote), (int)type);
    return IRTCPortManager3_GetMappingEx(iface, remote, 0, RTCTR_UDP, type, int_addr, int_port, ext_addr, ext_port);
}

HRESULT WINAPI rtcpm_pm_forward_UpdateRemoteAddress(IRTCPortManager3 *iface, BSTR remote, BSTR int_addr, LONG int_port,
                                                    BSTR ext_addr, LONG ext_port)
{
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %s, %ld, %s, %ld)", (void *)iface, rtcpm_debugstr_w(remote),
                rtcpm_debugstr_w(int_addr), (long)int_port, rtcpm_debugstr_w(ext_addr), (long)ext_port);
    return IRTCPortManager3_UpdateRemoteAddressEx2(iface, remote, 0, RTCTR_UDP, int_addr, int_port, ext_addr, ext_port);
}

HRESULT WINAPI rtcpm_pm_forward_ReleaseMapping(IRTCPortManager3 *iface, BSTR int_addr, LONG int_port, BSTR ext_addr,
                                               LONG ext_port)
{
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %ld, %s, %ld)", (void *)iface, rtcpm_debugstr_w(int_addr), (long)int_port,
                rtcpm_debugstr_w(ext_addr), (long)ext_port);
    return IRTCPortManager3_ReleaseMappingEx(iface, RTCTR_UDP, int_addr, int_port, ext_addr, ext_port);
}

HRESULT WINAPI rtcpm_pm_forward_UpdateRemoteAddressEx(IRTCPortManager3 *iface, BSTR remote, LONG remote_port,
                                                      BSTR int_addr, LONG int_port, BSTR ext_addr, LONG ext_port)
{
    RTCPM_TRACE(RTCPM_LOG_PM, "(%p)->(%s, %ld, %s, %ld, %s, %ld)", (void *)iface, rtcpm_debugstr_w(remote),
                (long)remote_port, rtcpm_debugstr_w(int_addr), (long)int_port, rtcpm_debugstr_w(ext_addr),
                (long)ext_port);
    return IRTCPortManager3_UpdateRemoteAddressEx2(iface, remote, remote_port, RTCTR_UDP, int_addr, int_port, ext_addr,
                                                   ext_port);
}
