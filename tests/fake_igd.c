/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fake_igd.c — the in-process UPnP IGD of fake_igd.h: one HTTP connection at a time, the
 * request read up to its Content-Length, one answer, the connection closed.
 */
#include "fake_igd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLL_MS 20
#define SERVICE "urn:schemas-upnp-org:service:WANIPConnection:1"

static const char root_desc[] =
    "<?xml version=\"1.0\"?>\r\n<root xmlns=\"urn:schemas-upnp-org:device-1-0\">"
    "<specVersion><major>1</major><minor>0</minor></specVersion><device>"
    "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>"
    "<friendlyName>rtcpm fake IGD</friendlyName><deviceList><device>"
    "<deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><deviceList><device>"
    "<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType><serviceList><service>"
    "<serviceType>" SERVICE "</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>"
    "<controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL>"
    "</service></serviceList></device></deviceList></device></deviceList></device></root>";

/* The text of <name>...</name> in body into out ("" when missing). */
static void arg(const char *body, const char *name, char *out, size_t cap)
{
    char open[64];
    const char *p, *e;
    out[0] = 0;
    snprintf(open, sizeof(open), "<%s>", name);
    if (!(p = strstr(body, open))) return;
    p += strlen(open);
    if (!(e = strchr(p, '<')) || (size_t)(e - p) >= cap) return;
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = 0;
}

/* Headers and body in one send, as an IGD's HTTP server writes a small answer: libminiupnpc
 * 2.2.4's getHTTPResponse reads the headers of a first segment that ends right after them with
 * strtol past its buffer (ASan: heap-buffer-overflow in getHTTPResponse). */
static void reply(rtcpm_socket *c, int status, const char *body)
{
    char head[256], *all;
    size_t body_len = strlen(body);
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 %d %s\r\nContent-Type: text/xml; charset=\"utf-8\"\r\nContent-Length: %u\r\n"
                     "Connection: close\r\n\r\n",
                     status,
                     status == 200   ? "OK"
                     : status == 404 ? "Not Found"
                                     : "Internal Server Error",
                     (unsigned)strlen(body));
    all = malloc((size_t)n + body_len);
    if (!all) return;
    memcpy(all, head, (size_t)n);
    memcpy(all + n, body, body_len);
    rtcpm_socket_send_all(c, all, (size_t)n + body_len, 2000);
    free(all);
}

static void soap_ok(rtcpm_socket *c, const char *action, const char *inner)
{
    char body[1024];
    snprintf(body, sizeof(body),
             "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
             "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body><u:%sResponse xmlns:u=\"" SERVICE
             "\">%s</u:%sResponse></s:Body></s:Envelope>\r\n",
             action, inner, action);
    reply(c, 200, body);
}

static void soap_error(rtcpm_socket *c, int code)
{
    char body[1024];
    snprintf(body, sizeof(body),
             "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
             "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body><s:Fault>"
             "<faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
             "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>%d</errorCode>"
             "<errorDescription>error</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>\r\n",
             code);
    reply(c, 500, body);
}

/* (locked) */
static struct fake_igd_mapping *find(struct fake_igd *igd, int tcp, uint16_t ext)
{
    size_t i;
    for (i = 0; i < igd->count; i++)
        if (igd->maps[i].tcp == tcp && igd->maps[i].ext == ext) return &igd->maps[i];
    return NULL;
}

/* (locked) AddPortMapping / AddAnyPortMapping; 0 or the UPnP error. */
static int add(struct fake_igd *igd, const char *body, int any, uint16_t *ext)
{
    char e[16], proto[8], in[16], client[64], lease[16], desc[64];
    struct fake_igd_mapping *m;
    arg(body, "NewExternalPort", e, sizeof(e));
    arg(body, "NewProtocol", proto, sizeof(proto));
    arg(body, "NewInternalPort", in, sizeof(in));
    arg(body, "NewInternalClient", client, sizeof(client));
    arg(body, "NewLeaseDuration", lease, sizeof(lease));
    arg(body, "NewPortMappingDescription", desc, sizeof(desc));
    igd->adds++;
    if (igd->refuse_add) return igd->refuse_add;
    *ext = (uint16_t)atoi(e);
    m = find(igd, !strcmp(proto, "TCP"), *ext);
    while (any && m && (strcmp(m->client, client) || m->internal_port != atoi(in)))
        m = find(igd, !strcmp(proto, "TCP"), ++*ext);
    if (m && (strcmp(m->client, client) || m->internal_port != atoi(in))) return 718; /* ConflictInMappingEntry */
    if (!m)
    {
        if (igd->count == FAKE_IGD_MAX_MAPPINGS) return 728;
        m = &igd->maps[igd->count++];
    }
    memset(m, 0, sizeof(*m));
    m->tcp = !strcmp(proto, "TCP");
    m->ext = *ext;
    m->internal_port = (uint16_t)atoi(in);
    snprintf(m->client, sizeof(m->client), "%s", client);
    snprintf(m->description, sizeof(m->description), "%s", desc);
    m->lease = (uint32_t)strtoul(lease, NULL, 10);
    return 0;
}

static void control(struct fake_igd *igd, rtcpm_socket *c, const char *head, const char *body)
{
    char e[16], proto[8], inner[128];
    uint16_t ext = 0;
    int rc;
    rtcpm_lock_acquire(&igd->lock);
    if (strstr(head, "#GetExternalIPAddress"))
    {
        igd->gets++;
        snprintf(inner, sizeof(inner), "<NewExternalIPAddress>%s</NewExternalIPAddress>", igd->external);
        soap_ok(c, "GetExternalIPAddress", inner);
    }
    else if (strstr(head, "#AddAnyPortMapping") || strstr(head, "#AddPortMapping"))
    {
        int any = strstr(head, "#AddAnyPortMapping") != NULL;
        if ((rc = add(igd, body, any, &ext)))
            soap_error(c, rc);
        else if (any)
        {
            snprintf(inner, sizeof(inner), "<NewReservedPort>%u</NewReservedPort>", ext);
            soap_ok(c, "AddAnyPortMapping", inner);
        }
        else
            soap_ok(c, "AddPortMapping", "");
    }
    else if (strstr(head, "#DeletePortMapping"))
    {
        struct fake_igd_mapping *m;
        arg(body, "NewExternalPort", e, sizeof(e));
        arg(body, "NewProtocol", proto, sizeof(proto));
        igd->deletes++;
        if (!(m = find(igd, !strcmp(proto, "TCP"), (uint16_t)atoi(e))))
            soap_error(c, 714);
        else
        {
            *m = igd->maps[--igd->count];
            soap_ok(c, "DeletePortMapping", "");
        }
    }
    else
        soap_error(c, 401);
    rtcpm_lock_release(&igd->lock);
}

/* Reads one request (headers, then Content-Length bytes) and answers it. */
static void serve(struct fake_igd *igd, rtcpm_socket *c)
{
    char buf[8192] = "";
    size_t n = 0;
    const char *end = NULL, *cl;
    size_t want;
    while (n + 1 < sizeof(buf) && !(end = strstr(buf, "\r\n\r\n")))
    {
        if (rtcpm_socket_recv_exact(c, buf + n, 1, 2000)) return;
        buf[++n] = 0;
    }
    if (!end) return;
    cl = strstr(buf, "Content-Length:");
    if (!cl) cl = strstr(buf, "CONTENT-LENGTH:");
    want = (size_t)(end + 4 - buf) + (cl ? (size_t)strtoul(cl + 15, NULL, 10) : 0);
    if (want >= sizeof(buf)) return;
    if (want > n && rtcpm_socket_recv_exact(c, buf + n, want - n, 2000)) return;
    buf[want] = 0;
    if (!strncmp(buf, "GET /rootDesc.xml", 17))
        reply(c, 200, root_desc);
    else if (!strncmp(buf, "POST /ctl/IPConn", 16))
        control(igd, c, buf, strstr(buf, "\r\n\r\n") + 4);
    else
        reply(c, 404, "");
}

static int server_thread(void *arg_)
{
    struct fake_igd *igd = arg_;
    while (!atomic_load(&igd->stop))
    {
        rtcpm_socket *c = NULL;
        if (rtcpm_socket_accept(igd->listener, &c, NULL, POLL_MS) != RTCPM_SOCK_OK) continue;
        serve(igd, c);
        rtcpm_socket_close(c);
    }
    return 0;
}

int fake_igd_start(struct fake_igd *igd)
{
    rtcpm_addr lo;
    int rc;
    memset(igd, 0, sizeof(*igd));
    rtcpm_addr_parse("127.0.0.1", 9, &lo);
    rtcpm_lock_init(&igd->lock);
    atomic_init(&igd->stop, 0);
    snprintf(igd->external, sizeof(igd->external), "198.51.100.7");
    rc = rtcpm_socket_open(&igd->listener, RTCPM_SOCK_TCP, &lo, NULL);
    if (!rc) rc = rtcpm_socket_listen(igd->listener, 8);
    if (!rc) rc = rtcpm_socket_local_addr(igd->listener, &igd->addr);
    if (!rc && test_thread_start(&igd->thread, server_thread, igd)) rc = RTCPM_SOCK_E_OTHER;
    if (rc)
    {
        rtcpm_socket_close(igd->listener);
        igd->listener = NULL;
        rtcpm_lock_destroy(&igd->lock);
        return rc;
    }
    snprintf(igd->url, sizeof(igd->url), "http://127.0.0.1:%u/rootDesc.xml", igd->addr.port);
    return 0;
}

void fake_igd_stop(struct fake_igd *igd)
{
    if (!igd->listener) return;
    atomic_store(&igd->stop, 1);
    test_thread_join(igd->thread);
    rtcpm_socket_close(igd->listener);
    igd->listener = NULL;
    rtcpm_lock_destroy(&igd->lock);
}

void fake_igd_set(struct fake_igd *igd, const char *external, int refuse_add)
{
    rtcpm_lock_acquire(&igd->lock);
    snprintf(igd->external, sizeof(igd->external), "%s", external);
    igd->refuse_add = refuse_add;
    rtcpm_lock_release(&igd->lock);
}

size_t fake_igd_count(struct fake_igd *igd)
{
    size_t n;
    rtcpm_lock_acquire(&igd->lock);
    n = igd->count;
    rtcpm_lock_release(&igd->lock);
    return n;
}

int fake_igd_find(struct fake_igd *igd, int tcp, uint16_t ext, struct fake_igd_mapping *out)
{
    struct fake_igd_mapping *m;
    rtcpm_lock_acquire(&igd->lock);
    if ((m = find(igd, tcp, ext))) *out = *m;
    rtcpm_lock_release(&igd->lock);
    return m != NULL;
}

void fake_igd_counters(struct fake_igd *igd, unsigned *adds, unsigned *deletes, unsigned *gets)
{
    rtcpm_lock_acquire(&igd->lock);
    *adds = igd->adds;
    *deletes = igd->deletes;
    *gets = igd->gets;
    rtcpm_lock_release(&igd->lock);
}
