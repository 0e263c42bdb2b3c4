/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client.c — the RTC client object as far as port management goes: IRTCClientPortManagement.
 *
 * From the RTC documentation (learn.microsoft.com previous-versions):
 *  - IRTCClientPortManagement "provides methods that allow the client application to supply
 *    additional IP addresses and ports for the RTC Client API to listen on"; it is obtained by
 *    QueryInterface on the client object.
 *  - StartListenAddressAndPort: "This method can be called multiple times to listen on more
 *    than one port"; E_FAIL: "The client is unable to create a listen socket for the address
 *    and port specified."
 *  - GetPortRange: "returns the minimum and maximum values of the port range configured for
 *    the specified port type"; E_INVALIDARG "Invalid enumeration value", E_POINTER "The
 *    pdwMaxValue or pdwMinValue parameter is not a valid pointer".
 *  - "How To Enable RTC Client API Policies" (PortRange): without the policy RTC uses
 *    "ports selected at random throughout the range of 1024 to 65535 inclusive"; with it,
 *    ranges lie in 1024..65535, min < max, "The SIP range must contain at least two ports",
 *    "The RTP range must contain at least four ports".
 *
 * Thread-safe and keeping no interface pointer, the client aggregates the free-threaded
 * marshaler: every apartment of the process calls it directly.
 */
#include <stdlib.h>
#include <string.h>
#include "host/host_objects.h"
#include "com/com.h"
#include "com/bstr_util.h"
#include "com/ftm.h"
#include "com/log.h"

struct listen_entry
{
    rtcpm_addr addr; /* with port */
};

struct host_client
{
    IRTCClientPortManagement IRTCClientPortManagement_iface;
    LONG ref;
    struct com_ftm ftm;
    struct rtcpm_lock lock;
    rtcpm_addr local; /* the machine's address, port 0 */
    LONG range[HOST_PORT_TYPES][2];
    struct listen_entry *listen;
    size_t listen_count, listen_cap;
    unsigned media_block; /* next block of four local media ports */
};

static const IRTCClientPortManagementVtbl client_vtbl;

static inline struct host_client *impl_from_IRTCClientPortManagement(IRTCClientPortManagement *iface)
{
    return CONTAINING_RECORD(iface, struct host_client, IRTCClientPortManagement_iface);
}

struct host_client *rtcpm_unsafe_impl_from_IRTCClientPortManagement(IRTCClientPortManagement *iface)
{
    return iface && iface->lpVtbl == &client_vtbl ? impl_from_IRTCClientPortManagement(iface) : NULL;
}

static const struct com_iface_entry client_ifaces[] = {
    { &IID_IRTCClientPortManagement, offsetof(struct host_client, IRTCClientPortManagement_iface) },
};

static HRESULT WINAPI client_QueryInterface(IRTCClientPortManagement *iface, REFIID riid, void **out)
{
    struct host_client *client = impl_from_IRTCClientPortManagement(iface);
    HRESULT hr;

    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p)->(%s, %p)", (void *)iface, rtcpm_debugstr_guid(riid), (void *)out);
    hr = rtcpm_com_query_interface(client, client_ifaces, ARRAY_SIZE(client_ifaces), riid, out);
    if (hr == E_NOINTERFACE) hr = rtcpm_com_ftm_query_interface(&client->ftm, riid, out);
    return hr;
}

static ULONG WINAPI client_AddRef(IRTCClientPortManagement *iface)
{
    LONG ref = com_ref_inc(&impl_from_IRTCClientPortManagement(iface)->ref);
    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p) ref=%ld", (void *)iface, (long)ref);
    return (ULONG)ref;
}

static ULONG WINAPI client_Release(IRTCClientPortManagement *iface)
{
    struct host_client *client = impl_from_IRTCClientPortManagement(iface);
    LONG ref = com_ref_dec(&client->ref);
    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p) ref=%ld", (void *)iface, (long)ref);

    if (!ref)
    {
        free(client->listen);
        rtcpm_com_ftm_release(&client->ftm);
        rtcpm_lock_destroy(&client->lock);
        free(client);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

void rtcpm_host_client_addref(struct host_client *client) { client_AddRef(&client->IRTCClientPortManagement_iface); }
void rtcpm_host_client_release(struct host_client *client) { client_Release(&client->IRTCClientPortManagement_iface); }

/* addr:port from a BSTR and a long; E_INVALIDARG when either is unusable. */
static HRESULT parse_listen(BSTR address, LONG port, rtcpm_addr *out)
{
    char text[RTCPM_ADDR_PARSE_TEXT_MAX + 1];
    size_t len;

    if (port < 1 || port > 65535) return E_INVALIDARG;
    if (!address || FAILED(rtcpm_bstr_to_utf8(address, text, sizeof(text), &len))) return E_INVALIDARG;
    if (rtcpm_addr_parse(text, len, out) != RTCPM_ADDR_OK) return E_INVALIDARG;
    out->port = (uint16_t)port;
    return S_OK;
}

static size_t find_listen(struct host_client *client, const rtcpm_addr *addr)
{
    size_t i;
    for (i = 0; i < client->listen_count; i++)
        if (rtcpm_addr_equal(&client->listen[i].addr, addr)) return i;
    return (size_t)-1;
}

static HRESULT WINAPI client_StartListenAddressAndPort(IRTCClientPortManagement *iface, BSTR address, LONG port)
{
    struct host_client *client = impl_from_IRTCClientPortManagement(iface);
    rtcpm_addr addr;
    HRESULT hr = parse_listen(address, port, &addr);
    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p)->(%s, %ld)", (void *)iface, rtcpm_debugstr_w(address), (long)port);

    if (FAILED(hr)) return hr;
    rtcpm_lock_acquire(&client->lock);
    if (find_listen(client, &addr) != (size_t)-1)
        hr = E_FAIL; /* a second socket on the same address and port cannot be created */
    else
    {
        if (client->listen_count == client->listen_cap)
        {
            size_t cap = client->listen_cap ? client->listen_cap * 2 : 4;
            struct listen_entry *grown = realloc(client->listen, cap * sizeof(*grown));
            if (!grown)
                hr = E_OUTOFMEMORY;
            else
            {
                client->listen = grown;
                client->listen_cap = cap;
            }
        }
        if (SUCCEEDED(hr)) client->listen[client->listen_count++].addr = addr;
    }
    rtcpm_lock_release(&client->lock);
    RTCPM_TRACE(RTCPM_LOG_HOST, "port %ld -> %#lx", (long)port, (unsigned long)(ULONG)hr);
    return hr;
}

static HRESULT WINAPI client_StopListenAddressAndPort(IRTCClientPortManagement *iface, BSTR address, LONG port)
{
    struct host_client *client = impl_from_IRTCClientPortManagement(iface);
    rtcpm_addr addr;
    size_t i;
    HRESULT hr = parse_listen(address, port, &addr);
    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p)->(%s, %ld)", (void *)iface, rtcpm_debugstr_w(address), (long)port);

    if (FAILED(hr)) return hr;
    rtcpm_lock_acquire(&client->lock);
    i = find_listen(client, &addr);
    if (i == (size_t)-1)
        hr = E_INVALIDARG;
    else
    {
        memmove(&client->listen[i], &client->listen[i + 1], (client->listen_count - i - 1) * sizeof(client->listen[0]));
        client->listen_count--;
    }
    rtcpm_lock_release(&client->lock);
    return hr;
}

static HRESULT WINAPI client_GetPortRange(IRTCClientPortManagement *iface, RTC_PORT_TYPE type, LONG *min, LONG *max)
{
    struct host_client *client = impl_from_IRTCClientPortManagement(iface);

    RTCPM_TRACE(RTCPM_LOG_HOST, "(%p)->(%d)", (void *)iface, (int)type);
    if (min) *min = 0;
    if (max) *max = 0;
    if (!min || !max) return E_POINTER;
    if ((unsigned)type >= HOST_PORT_TYPES) return E_INVALIDARG;
    rtcpm_lock_acquire(&client->lock);
    *min = client->range[type][0];
    *max = client->range[type][1];
    rtcpm_lock_release(&client->lock);
    return S_OK;
}

static const IRTCClientPortManagementVtbl client_vtbl = {
    client_QueryInterface,           client_AddRef,       client_Release, client_StartListenAddressAndPort,
    client_StopListenAddressAndPort, client_GetPortRange,
};

HRESULT rtcpm_host_create_client(const char *local_address, IRTCClientPortManagement **out)
{
    struct host_client *client;
    rtcpm_addr local;
    int t;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!local_address || rtcpm_addr_parse(local_address, strlen(local_address), &local) != RTCPM_ADDR_OK)
        return E_INVALIDARG;
    client = calloc(1, sizeof(*client));
    if (!client) return E_OUTOFMEMORY;
    client->IRTCClientPortManagement_iface.lpVtbl = &client_vtbl;
    client->ref = 1;
    if (FAILED(hr = rtcpm_com_ftm_aggregate(&client->ftm, (IUnknown *)&client->IRTCClientPortManagement_iface)))
    {
        free(client);
        return hr;
    }
    client->local = local;
    for (t = 0; t < HOST_PORT_TYPES; t++)
    {
        client->range[t][0] = 1024;
        client->range[t][1] = 65535;
    }
    rtcpm_lock_init(&client->lock);
    rtcpm_com_object_created();
    *out = &client->IRTCClientPortManagement_iface;
    return S_OK;
}

HRESULT rtcpm_host_client_set_port_range(IRTCClientPortManagement *iface, RTC_PORT_TYPE type, LONG min, LONG max)
{
    struct host_client *client;

    if (!iface) return E_POINTER;
    if (!(client = rtcpm_unsafe_impl_from_IRTCClientPortManagement(iface))) return E_INVALIDARG;
    if ((unsigned)type >= HOST_PORT_TYPES) return E_INVALIDARG;
    if (min < 1024 || max > 65535 || min >= max) return E_INVALIDARG;
    if (max - min + 1 < (type == RTCPT_SIP ? 2 : 4)) return E_INVALIDARG;
    rtcpm_lock_acquire(&client->lock);
    client->range[type][0] = min;
    client->range[type][1] = max;
    rtcpm_lock_release(&client->lock);
    return S_OK;
}

HRESULT rtcpm_host_client_get_listen(IRTCClientPortManagement *iface, LONG index, char *address, size_t address_len,
                                     LONG *port)
{
    struct host_client *client;
    HRESULT hr = S_FALSE;

    if (port) *port = 0;
    if (address && address_len) address[0] = 0;
    if (!iface || !address || !address_len || !port) return E_POINTER;
    if (!(client = rtcpm_unsafe_impl_from_IRTCClientPortManagement(iface)) || index < 0) return E_INVALIDARG;
    rtcpm_lock_acquire(&client->lock);
    if ((size_t)index < client->listen_count)
    {
        rtcpm_addr a = client->listen[index].addr;
        if (rtcpm_addr_format(&a, address, address_len) < 0)
            hr = HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER);
        else
        {
            *port = a.port;
            hr = S_OK;
        }
    }
    rtcpm_lock_release(&client->lock);
    return hr;
}

void rtcpm_host_client_local_sip(struct host_client *client, rtcpm_addr *out)
{
    rtcpm_lock_acquire(&client->lock);
    if (client->listen_count)
        *out = client->listen[0].addr;
    else
    {
        *out = client->local;
        out->port = (uint16_t)client->range[RTCPT_SIP][0];
    }
    rtcpm_lock_release(&client->lock);
}

void rtcpm_host_client_local_media(struct host_client *client, rtcpm_addr out[4])
{
    LONG min, max, base, blocks;
    int i;

    rtcpm_lock_acquire(&client->lock);
    min = client->range[RTCPT_AUDIO_RTP][0];
    max = client->range[RTCPT_AUDIO_RTP][1];
    base = min + (min & 1);
    blocks = (max - base + 1) / 4;
    if (blocks < 1)
    {
        base = min; /* a range of exactly four ports starting odd */
        blocks = 1;
    }
    base += 4 * (LONG)(client->media_block % (unsigned)blocks);
    client->media_block++;
    for (i = 0; i < 4; i++)
    {
        out[i] = client->local;
        out[i].port = (uint16_t)(base + i);
    }
    rtcpm_lock_release(&client->lock);
}

LONG rtcpm_host_default_sip_port(LONG transport) { return transport == RTCTR_TLS ? 5061 : 5060; }

int rtcpm_host_transport_valid(LONG transport)
{
    return transport == RTCTR_UDP || transport == RTCTR_TCP || transport == RTCTR_TLS;
}
