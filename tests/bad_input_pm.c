/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bad_input_pm.c — the IRTCPortManager/2/3 rows of the bad-input matrix, run on every rtcpm
 * port manager in bi_pm_objects[] (static, its tracing wrapper, STUN against a fake server).
 *
 * Each case gets a fresh object holding one live UDP mapping (GetMappingEx(203.0.113.5, 5060,
 * UDP, SIP), the "good" mapping update and release cases name), makes one call with one
 * argument bad, and checks: the exact HRESULT; [out]s NULL/0 after a failure (each non-NULL
 * out pointer was preset to a sentinel); the mapping table unchanged (count and listing) after
 * a failure, the remote alone changed by a successful update; a success hands out a usable
 * mapping that releases cleanly; no BSTR leaked (the call's own [in] and [out] BSTRs freed,
 * bstr_count.h); a tracing object reported the call once; and at the end the good mapping
 * still releases with S_OK, the table is empty and every object is gone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include "bad_input.h"
#include "bstr_count.h"
#include "fake_stun_server.h"
#include "net/addr.h"
#include "loopback.h"

/* ---- the objects ---------------------------------------------------------------------- */

static const char fixture_config[] = "[mapping sip]\n"
                                     "transport = udp, tcp, tls\n"
                                     "internal = 192.168.1.10:5060-5069\n"
                                     "external = 198.51.100.7:5060-5069\n"
                                     "[mapping any]\n"
                                     "internal = 192.168.1.10:30000-30009\n"
                                     "external = 198.51.100.7:40000-40009\n"
                                     "[mapping any]\n"
                                     "internal = [fd00::10]:5060-5069\n"
                                     "external = [2001:db8::7]:5060-5069\n";

static HRESULT make_static(IRTCPortManager3 **out)
{
    char err[256];
    HRESULT hr = rtcpm_static_pm_create(out);
    if (FAILED(hr)) return hr;
    hr = rtcpm_static_pm_load_string(*out, fixture_config, "bad_input", err, sizeof(err));
    if (FAILED(hr))
    {
        printf("\n    fixture config rejected: %s\n", err);
        (*out)->lpVtbl->Release(*out);
        *out = NULL;
    }
    return hr;
}

static HRESULT static_open(struct bi_pm *o) { return make_static(&o->pm); }
static void static_close(struct bi_pm *o)
{
    if (o->pm) o->pm->lpVtbl->Release(o->pm);
}
static LONG static_live(struct bi_pm *o) { return rtcpm_static_pm_live_mappings(o->pm); }
static LONG static_listing(struct bi_pm *o, char *buf, size_t len)
{
    return rtcpm_static_pm_format_mappings(o->pm, buf, len);
}

/* The tracing wrapper around a static port manager: state = the static one (own reference). */
static void count_line(void *ctx, const char *line)
{
    (void)line;
    ((struct bi_pm *)ctx)->reported++;
}

static HRESULT trace_open(struct bi_pm *o)
{
    IRTCPortManager3 *inner;
    IRTCPortManager *wrapper;
    HRESULT hr = make_static(&inner);

    if (FAILED(hr)) return hr;
    hr = rtcpm_trace_pm_create((IRTCPortManager *)inner, count_line, o, &wrapper);
    if (SUCCEEDED(hr))
    {
        hr = wrapper->lpVtbl->QueryInterface(wrapper, &IID_IRTCPortManager3, (void **)&o->pm);
        wrapper->lpVtbl->Release(wrapper);
    }
    if (FAILED(hr))
        inner->lpVtbl->Release(inner);
    else
        o->state = inner;
    return hr;
}

static void trace_close(struct bi_pm *o)
{
    IRTCPortManager3 *inner = o->state;
    if (o->pm) o->pm->lpVtbl->Release(o->pm);
    inner->lpVtbl->Release(inner);
}

static LONG trace_live(struct bi_pm *o) { return rtcpm_static_pm_live_mappings(o->state); }
static LONG trace_listing(struct bi_pm *o, char *buf, size_t len)
{
    return rtcpm_static_pm_format_mappings(o->state, buf, len);
}

/*
 * The STUN port manager, against tests/fake_stun_server.h on loopback: one server on
 * 127.0.0.1 and one on [::1] (for the IPv6 remotes), started by the first case and kept for
 * the suite (bi_pm_objects_cleanup stops them). They answer as a server behind a NAT would:
 * external address 198.51.100.7 / 2001:db8::7, port = internal port + 1000 (the OS picks the
 * internal port: no ranges, so nothing here depends on a fixed port being free). One
 * server per family: no symmetric check; no warm-up, so every object is quiet until called.
 */
#define STUN_EXTERNAL_V4 "198.51.100.7"
#define STUN_EXTERNAL_V6 "2001:db8::7"
#define STUN_PORT_OFFSET 1000

static struct
{
    int state; /* 0 not tried, 1 up, -1 failed */
    int v6;    /* the [::1] server is up */
    struct fake_stun_server v4srv, v6srv;
    char servers[2 * RTCPM_ADDR_HOSTPORT_TEXT_SIZE + 4];
} stun_env;

static int stun_env_start(void)
{
    struct fake_stun_options opt;
    rtcpm_addr lo = test_addr("127.0.0.1", 0), lo6 = test_addr("::1", 0);
    size_t n;
    int os_error = 0;

    if (stun_env.state) return stun_env.state > 0;
    memset(&opt, 0, sizeof(opt));
    opt.mode = FAKE_STUN_NORMAL;
    opt.mapped_port_offset = STUN_PORT_OFFSET;
    opt.mapped_addr = test_addr(STUN_EXTERNAL_V4, 0);
    if (fake_stun_start(&stun_env.v4srv, &lo, &opt, &os_error) != RTCPM_SOCK_OK)
    {
        printf("\n    fake STUN server on 127.0.0.1 did not start (OS error %d)", os_error);
        stun_env.state = -1;
        return 0;
    }
    opt.mapped_addr = test_addr(STUN_EXTERNAL_V6, 0);
    stun_env.v6 = fake_stun_start(&stun_env.v6srv, &lo6, &opt, &os_error) == RTCPM_SOCK_OK;
    n = (size_t)rtcpm_addr_format_hostport(&stun_env.v4srv.addr, stun_env.servers, sizeof(stun_env.servers));
    if (stun_env.v6)
    {
        memcpy(stun_env.servers + n, ", ", 3);
        rtcpm_addr_format_hostport(&stun_env.v6srv.addr, stun_env.servers + n + 2, sizeof(stun_env.servers) - n - 2);
    }
    stun_env.state = 1;
    return 1;
}

void bi_pm_objects_cleanup(void)
{
    if (stun_env.state > 0)
    {
        fake_stun_stop(&stun_env.v4srv);
        if (stun_env.v6) fake_stun_stop(&stun_env.v6srv);
    }
    memset(&stun_env, 0, sizeof(stun_env));
    bi_nat_objects_cleanup();
}

static HRESULT stun_open(struct bi_pm *o)
{
    struct rtcpm_stun_pm_config cfg;
    char err[256];
    HRESULT hr;

    if (!stun_env_start()) return E_FAIL;
    rtcpm_stun_pm_config_init(&cfg);
    cfg.servers = stun_env.servers;
    cfg.local_addresses = stun_env.v6 ? "127.0.0.1, ::1" : "127.0.0.1";
    cfg.timeout_ms = 2000; /* loopback answers in well under a millisecond; valgrind, Wine slower */
    cfg.rto_ms = 100;
    cfg.symmetric_check = 0;
    cfg.warm_up = 0;
    hr = rtcpm_stun_pm_create_ex(&cfg, &o->pm, err, sizeof(err));
    if (FAILED(hr)) printf("\n    STUN port manager not created: %s", err);
    return hr;
}

static void stun_close(struct bi_pm *o)
{
    if (o->pm) o->pm->lpVtbl->Release(o->pm);
}
static LONG stun_live(struct bi_pm *o) { return rtcpm_stun_pm_live_mappings(o->pm); }
static LONG stun_listing(struct bi_pm *o, char *buf, size_t len)
{
    return rtcpm_stun_pm_format_mappings(o->pm, buf, len);
}

/* The STUN, PCP and automatic port managers have no server for an IPv6 remote without [::1]. */
int bi_case_needs_ipv6(const struct bi_case *c)
{
    int v6_remote =
        c->arg == BI_ARG_REMOTE && (c->value == BI_V_IPV6 || c->value == BI_V_IPV6_ZONE || c->value == BI_V_LONGEST);
    if ((c->method == BI_GET_MAPPING || c->method == BI_GET_MAPPING_EX) && v6_remote) return 1;
    return c->arg == BI_ARG_STATE && (c->value == BI_V_V6_MAPPING_V4_REMOTE || c->value == BI_V_V6_MAPPING_LONGEST ||
                                      c->value == BI_V_V6_MAPPING_TOO_LONG);
}

/* (When even the 127.0.0.1 server did not start, the rows run and fail on it.) */
const char *bi_pm_ipv6_missing(void)
{
    if (!stun_env_start() || stun_env.v6) return NULL;
    return "IPv6 loopback: cannot bind [::1] for the fake STUN server";
}

/* Every rtcpm port manager, one row each. Where one must answer otherwise than the table,
 * that row of bad_input_cases[] names it in except_object. */
const struct bi_pm_object bi_pm_objects[] = {
    { "static", static_open, static_close, static_live, static_listing, 0, NULL, NULL },
    { "trace(static)", trace_open, trace_close, trace_live, trace_listing, 1, NULL, NULL },
    { "stun", stun_open, stun_close, stun_live, stun_listing, 0, bi_case_needs_ipv6, NULL },
    { "pcp", bi_pcp_open, bi_pcp_close, bi_pcp_live, bi_pcp_listing, 0, bi_case_needs_ipv6, NULL },
    { "upnp", bi_upnp_open, bi_upnp_close, bi_upnp_live, bi_upnp_listing, 0, NULL, bi_upnp_not_applicable },
    { "auto", bi_auto_open, bi_auto_close, bi_auto_live, bi_auto_listing, 0, bi_case_needs_ipv6, NULL },
};
const size_t bi_pm_object_count = sizeof(bi_pm_objects) / sizeof(bi_pm_objects[0]);

const char *bi_pm_object_names(void)
{
    static char names[256];
    size_t i, n = 0;
    names[0] = 0;
    for (i = 0; i < bi_pm_object_count; i++)
        n += (size_t)snprintf(names + n, sizeof(names) - n, "%s`%s`", i ? ", " : "", bi_pm_objects[i].name);
    return names;
}

/* ---- values --------------------------------------------------------------------------- */

#define MIB_CHARS (512 * 1024) /* 1 MiB of UTF-16 */

BSTR bi_wide(const char *ascii, size_t n)
{
    BSTR b = SysAllocStringLen(NULL, (UINT)n);
    size_t i;
    if (b)
        for (i = 0; i < n; i++) b[i] = (WCHAR)(unsigned char)ascii[i];
    return b;
}

BSTR bi_make_bstr(enum bi_value v, const char *good)
{
    size_t n = strlen(good), i;
    BSTR b;

    switch (v)
    {
    case BI_V_NULL_BSTR: return NULL;
    case BI_V_EMPTY: return SysAllocStringLen(NULL, 0);
    case BI_V_EMBEDDED_NUL:
        if ((b = SysAllocStringLen(NULL, (UINT)(n + 2))))
        {
            for (i = 0; i < n; i++) b[i] = (WCHAR)good[i];
            b[n] = 0;
            b[n + 1] = 'x';
        }
        return b;
    case BI_V_1MIB:
        if ((b = SysAllocStringLen(NULL, MIB_CHARS)))
            for (i = 0; i < MIB_CHARS; i++) b[i] = i < n ? (WCHAR)good[i] : (WCHAR)' ';
        return b;
    case BI_V_NOT_ADDRESS: return bi_wide("not.an.address", 14);
    case BI_V_IPV6: return bi_wide("2001:db8::5", 11);
    case BI_V_IPV6_ZONE: return bi_wide("fe80::5%3", 9);
    case BI_V_LONGEST:
    case BI_V_TOO_LONG:
    {
        /* "[" 45 characters "%" zone "]": RTCPM_ADDR_PARSE_TEXT_MAX, or one more */
        static const char head[] = "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%";
        char text[RTCPM_ADDR_PARSE_TEXT_MAX + 2];
        size_t zone = RTCPM_ADDR_ZONE_MAX + (v == BI_V_TOO_LONG);
        memcpy(text, head, sizeof(head) - 1);
        memset(text + sizeof(head) - 1, 'z', zone);
        text[sizeof(head) - 1 + zone] = ']';
        return bi_wide(text, sizeof(head) + zone);
    }
    default: return bi_wide(good, n);
    }
}

LONG bi_make_long(enum bi_value v, LONG good)
{
    switch (v)
    {
    case BI_V_PORT_MINUS_1: return -1;
    case BI_V_PORT_0: return 0;
    case BI_V_PORT_65535: return 65535;
    case BI_V_PORT_65536: return 65536;
    case BI_V_PORT_LONG_MAX: return 0x7FFFFFFF;
    case BI_V_TRANSPORT_0: return 0;
    case BI_V_TRANSPORT_3: return 3;
    case BI_V_TRANSPORT_8: return 8;
    case BI_V_TRANSPORT_MINUS_1: return -1;
    case BI_V_TYPE_MINUS_1: return -1;
    case BI_V_TYPE_5: return 5;
    default: return good;
    }
}

/* ---- checks --------------------------------------------------------------------------- */

void bi_check(int ok, const char *where, const char *what, int line)
{
    char msg[512];
    snprintf(msg, sizeof(msg), "%s: %s", where, what);
    if (!ok) printf("\n    FAILED %s", msg);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, msg, __FILE__, "", CU_FALSE);
}
static WCHAR sentinel_text[] = { 's', 'e', 'n', 't', 0 };
#define SENTINEL_BSTR ((BSTR)sentinel_text)
#define SENTINEL_LONG ((LONG)0x5A5A)

/* An answer's BSTR must be an IP literal. */
static int is_address(BSTR b)
{
    char text[128];
    UINT n = SysStringLen(b), i;
    rtcpm_addr a;
    if (!b || !n || n >= sizeof(text)) return 0;
    for (i = 0; i < n; i++)
    {
        if (b[i] == 0 || b[i] > 0x7f) return 0;
        text[i] = (char)b[i];
    }
    return rtcpm_addr_parse(text, n, &a) == RTCPM_ADDR_OK;
}

static char *listing_of(const struct bi_pm_object *obj, struct bi_pm *o)
{
    LONG n;
    char *buf;
    if (!obj->listing) return NULL;
    n = obj->listing(o, NULL, 0);
    if (n < 0 || !(buf = malloc((size_t)n + 1))) return NULL;
    obj->listing(o, buf, (size_t)n + 1);
    return buf;
}

/* ---- one case ------------------------------------------------------------------------- */

/* The remote of the good mapping of the V6_MAPPING states: an IPv6 mapping. */
#define GOOD_REMOTE_V6   "2001:db8::5"
#define V4_MAPPED_REMOTE "::ffff:203.0.113.9"

static int needs_v6_mapping(enum bi_value v)
{
    return v == BI_V_V6_MAPPING_V4_REMOTE || v == BI_V_V6_MAPPING_LONGEST || v == BI_V_V6_MAPPING_TOO_LONG;
}

/* The listing's "remote ..." a successful update leaves: the remote as the port managers
 * print it (canonical, IPv4-mapped as IPv4, with the port when one was given). */
static void expected_remote(BSTR remote, LONG port, char *out, size_t len)
{
    char text[RTCPM_ADDR_PARSE_TEXT_MAX + 1];
    rtcpm_addr a;
    UINT i, n = SysStringLen(remote);
    snprintf(out, len, "?");
    if (n > RTCPM_ADDR_PARSE_TEXT_MAX) return;
    for (i = 0; i < n; i++) text[i] = (char)remote[i];
    if (rtcpm_addr_parse(text, n, &a)) return;
    rtcpm_addr_unmap_v4(&a);
    a.port = (uint16_t)port;
    rtcpm_addr_format_hostport(&a, out, len);
}

/* The external address every port manager here hands out for a remote of this family (the
 * static rules' and the fake STUN servers'): IPv6 for an IPv6 remote, else IPv4 (no remote:
 * the first rule / server, IPv4). */
static const char *external_for(BSTR remote)
{
    char text[RTCPM_ADDR_PARSE_TEXT_MAX + 1];
    rtcpm_addr a;
    UINT i, n = SysStringLen(remote);
    if (n > RTCPM_ADDR_PARSE_TEXT_MAX) return "198.51.100.7";
    for (i = 0; i < n; i++) text[i] = (char)remote[i];
    if (rtcpm_addr_parse(text, n, &a)) return "198.51.100.7";
    rtcpm_addr_unmap_v4(&a);
    return a.family == RTCPM_AF_INET6 ? "2001:db8::7" : "198.51.100.7";
}

/* A one-mapping listing "<head> remote <r>\n" after a successful update: the head as before,
 * the remote the one given. */
static int update_shows(const char *before, const char *after, const char *remote)
{
    const char *b = before ? strstr(before, " remote ") : NULL, *a = after ? strstr(after, " remote ") : NULL;
    size_t rn = strlen(remote);
    return b && a && b - before == a - after && !strncmp(before, after, (size_t)(b - before)) &&
           !strncmp(a + 8, remote, rn) && !strcmp(a + 8 + rn, "\n");
}

struct good_mapping
{
    BSTR ia, ea;
    LONG ip, ep;
    char ia_text[64], ea_text[64];
};

static void to_ascii(BSTR b, char *out, size_t len)
{
    UINT i, n = SysStringLen(b);
    for (i = 0; i < n && i + 1 < len; i++) out[i] = (char)b[i];
    out[i] = 0;
}

static HRESULT release_ex(IRTCPortManager3 *pm, LONG transport, const char *ia, LONG ip, const char *ea, LONG ep)
{
    BSTR a = bi_wide(ia, strlen(ia)), b = bi_wide(ea, strlen(ea));
    HRESULT hr = pm->lpVtbl->ReleaseMappingEx(pm, transport, a, ip, b, ep);
    SysFreeString(a);
    SysFreeString(b);
    return hr;
}

/* The call's arguments: the good ones, one of them bad. */
struct call
{
    BSTR remote, internal, external;
    LONG remote_port, transport, type, internal_port, external_port;
    BSTR ia, ea;
    LONG ip, ep;
    BSTR *pia, *pea;
    LONG *pip, *pep;
};

/* The remote a state case updates with (NULL: the good one). */
static BSTR state_remote(enum bi_value v)
{
    switch (v)
    {
    case BI_V_V6_MAPPING_LONGEST: return bi_make_bstr(BI_V_LONGEST, GOOD_REMOTE);
    case BI_V_V6_MAPPING_TOO_LONG: return bi_make_bstr(BI_V_TOO_LONG, GOOD_REMOTE);
    case BI_V_V4_MAPPED_REMOTE: return bi_wide(V4_MAPPED_REMOTE, strlen(V4_MAPPED_REMOTE));
    default: return NULL;
    }
}

static void build_call(struct call *k, const struct bi_case *c, const struct good_mapping *g)
{
    memset(k, 0, sizeof(*k));
    if (c->arg == BI_ARG_STATE && (k->remote = state_remote(c->value)) != NULL)
    {
    }
    else
        k->remote = bi_make_bstr(c->arg == BI_ARG_REMOTE ? c->value : BI_VALUE_COUNT, GOOD_REMOTE);
    k->remote_port = bi_make_long(c->arg == BI_ARG_REMOTE_PORT ? c->value : BI_VALUE_COUNT, GOOD_REMOTE_PORT);
    k->transport = bi_make_long(c->arg == BI_ARG_TRANSPORT ? c->value : BI_VALUE_COUNT, RTCTR_UDP);
    k->type = bi_make_long(c->arg == BI_ARG_PORT_TYPE ? c->value : BI_VALUE_COUNT, RTCPT_SIP);
    if (c->value == BI_V_UNKNOWN_MAPPING)
    {
        k->internal = bi_wide("192.0.2.99", 10);
        k->external = bi_wide("192.0.2.98", 10);
        k->internal_port = k->external_port = 1234;
    }
    else
    {
        k->internal = bi_make_bstr(c->arg == BI_ARG_INTERNAL ? c->value : BI_VALUE_COUNT, g->ia_text);
        k->external = bi_make_bstr(c->arg == BI_ARG_EXTERNAL ? c->value : BI_VALUE_COUNT, g->ea_text);
        k->internal_port = bi_make_long(c->arg == BI_ARG_INTERNAL_PORT ? c->value : BI_VALUE_COUNT, g->ip);
        k->external_port = bi_make_long(c->arg == BI_ARG_EXTERNAL_PORT ? c->value : BI_VALUE_COUNT, g->ep);
    }
    k->ia = k->ea = SENTINEL_BSTR;
    k->ip = k->ep = SENTINEL_LONG;
    k->pia = c->arg == BI_ARG_OUT_INTERNAL ? NULL : &k->ia;
    k->pip = c->arg == BI_ARG_OUT_INTERNAL_PORT ? NULL : &k->ip;
    k->pea = c->arg == BI_ARG_OUT_EXTERNAL ? NULL : &k->ea;
    k->pep = c->arg == BI_ARG_OUT_EXTERNAL_PORT ? NULL : &k->ep;
}

static void free_call_inputs(struct call *k)
{
    SysFreeString(k->remote);
    SysFreeString(k->internal);
    SysFreeString(k->external);
}

/* Makes the call through the interface the method belongs to (QueryInterface'd). */
static HRESULT invoke(IRTCPortManager3 *pm, enum bi_method m, struct call *k)
{
    IRTCPortManager *v1 = NULL;
    IRTCPortManager2 *v2 = NULL;
    IRTCPortManager3 *v3 = NULL;
    HRESULT hr;

    if (FAILED(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager, (void **)&v1)) ||
        FAILED(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager2, (void **)&v2)) ||
        FAILED(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager3, (void **)&v3)))
        hr = E_NOINTERFACE;
    else
        switch (m)
        {
        case BI_GET_MAPPING:
            hr = v1->lpVtbl->GetMapping(v1, k->remote, (RTC_PORT_TYPE)k->type, k->pia, k->pip, k->pea, k->pep);
            break;
        case BI_UPDATE_REMOTE:
            hr = v1->lpVtbl->UpdateRemoteAddress(v1, k->remote, k->internal, k->internal_port, k->external,
                                                 k->external_port);
            break;
        case BI_RELEASE:
            hr = v1->lpVtbl->ReleaseMapping(v1, k->internal, k->internal_port, k->external, k->external_port);
            break;
        case BI_UPDATE_REMOTE_EX:
            hr = v2->lpVtbl->UpdateRemoteAddressEx(v2, k->remote, k->remote_port, k->internal, k->internal_port,
                                                   k->external, k->external_port);
            break;
        case BI_GET_MAPPING_EX:
            hr = v3->lpVtbl->GetMappingEx(v3, k->remote, k->remote_port, k->transport, (RTC_PORT_TYPE)k->type, k->pia,
                                          k->pip, k->pea, k->pep);
            break;
        case BI_UPDATE_REMOTE_EX2:
            hr = v3->lpVtbl->UpdateRemoteAddressEx2(v3, k->remote, k->remote_port, k->transport, k->internal,
                                                    k->internal_port, k->external, k->external_port);
            break;
        case BI_RELEASE_EX:
            hr = v3->lpVtbl->ReleaseMappingEx(v3, k->transport, k->internal, k->internal_port, k->external,
                                              k->external_port);
            break;
        default: hr = E_UNEXPECTED;
        }
    if (v1) v1->lpVtbl->Release(v1);
    if (v2) v2->lpVtbl->Release(v2);
    if (v3) v3->lpVtbl->Release(v3);
    return hr;
}

static int is_get(enum bi_method m) { return m == BI_GET_MAPPING || m == BI_GET_MAPPING_EX; }
static int is_release(enum bi_method m) { return m == BI_RELEASE || m == BI_RELEASE_EX; }

static void run_case(const struct bi_pm_object *obj, const struct bi_case *c)
{
    struct bi_pm o;
    struct good_mapping g;
    struct call k;
    char where[256], b1[11], b2[11], *before = NULL, *after, remote_text[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    const char *external;
    LONG objects0 = rtcpm_live_objects(), bstrs0 = bstr_count_live(), bstrs1, live_before, reported;
    HRESULT hr, want = bi_expected(c, obj->name);
    int good_live = 1;

    snprintf(where, sizeof(where), "%s %s %s = %s", obj->name, bi_method_name(c->method), bi_arg_name(c->arg),
             bi_value_name(c->value));
    memset(&o, 0, sizeof(o));
    memset(&g, 0, sizeof(g));
    if (obj->open(&o) != S_OK)
    {
        CHECK(!"open");
        return;
    }
    {
        const char *good_remote = needs_v6_mapping(c->value) ? GOOD_REMOTE_V6 : GOOD_REMOTE;
        BSTR remote = bi_wide(good_remote, strlen(good_remote));
        hr = o.pm->lpVtbl->GetMappingEx(o.pm, remote, GOOD_REMOTE_PORT, RTCTR_UDP, RTCPT_SIP, &g.ia, &g.ip, &g.ea,
                                        &g.ep);
        SysFreeString(remote);
    }
    CHECK(hr == S_OK);
    if (hr != S_OK) goto close;
    to_ascii(g.ia, g.ia_text, sizeof(g.ia_text));
    to_ascii(g.ea, g.ea_text, sizeof(g.ea_text));
    CHECK(!strcmp(g.ea_text, needs_v6_mapping(c->value) ? "2001:db8::7" : "198.51.100.7"));

    /* the situation before the call */
    if (c->value == BI_V_DOUBLE_RELEASE || c->value == BI_V_AFTER_RELEASE)
    {
        CHECK(release_ex(o.pm, RTCTR_UDP, g.ia_text, g.ip, g.ea_text, g.ep) == S_OK);
        good_live = 0;
    }
    live_before = obj->live(&o);
    before = listing_of(obj, &o);
    bstrs1 = bstr_count_live();
    reported = o.reported;

    build_call(&k, c, &g);
    expected_remote(k.remote, c->method == BI_UPDATE_REMOTE ? 0 : k.remote_port, remote_text, sizeof(remote_text));
    external = external_for(k.remote);
    hr = invoke(o.pm, c->method, &k);
    free_call_inputs(&k);
    if (hr != want)
    {
        char msg[128];
        snprintf(msg, sizeof(msg), "returned %s, expected %s", bi_hresult_name(hr, b1), bi_hresult_name(want, b2));
        bi_check(0, where, msg, __LINE__);
    }
    else
        bi_check(1, where, "HRESULT", __LINE__);
    if (obj->reports_calls) CHECK(o.reported == reported + 1);

    if (is_get(c->method))
    {
        if (FAILED(hr))
        {
            /* every out the caller gave is NULL/0: no sentinel survives, nothing to free */
            CHECK(!k.pia || k.ia == NULL);
            CHECK(!k.pip || k.ip == 0);
            CHECK(!k.pea || k.ea == NULL);
            CHECK(!k.pep || k.ep == 0);
        }
        else
        {
            CHECK(is_address(k.ia) && is_address(k.ea));
            CHECK(k.ip >= 1 && k.ip <= 65535 && k.ep >= 1 && k.ep <= 65535);
            CHECK(obj->live(&o) == live_before + 1);
            if (is_address(k.ia) && is_address(k.ea))
            {
                char ia[64], ea[64];
                to_ascii(k.ia, ia, sizeof(ia));
                to_ascii(k.ea, ea, sizeof(ea));
                CHECK(!strcmp(ea, external));
                CHECK(release_ex(o.pm, c->method == BI_GET_MAPPING ? RTCTR_UDP : k.transport, ia, k.ip, ea, k.ep) ==
                      S_OK);
            }
            if (k.ia != SENTINEL_BSTR) SysFreeString(k.ia);
            if (k.ea != SENTINEL_BSTR) SysFreeString(k.ea);
        }
    }
    else if (is_release(c->method) && hr == S_OK)
        good_live = 0;

    /* the table: unchanged by a failure (and by a success that was undone above); an update
     * that succeeded changes only the remote */
    CHECK(obj->live(&o) == live_before + (is_release(c->method) && hr == S_OK ? -1 : 0));
    after = listing_of(obj, &o);
    if (FAILED(hr) || is_get(c->method))
        CHECK((!before && !after) || (before && after && !strcmp(before, after)));
    else if (obj->listing && !is_release(c->method))
    {
        /* the update changed the remote of the good mapping, and nothing else */
        if (!update_shows(before, after, remote_text))
            printf("\n    before: %s    after: %s    remote: %s", before ? before : "-", after ? after : "-",
                   remote_text);
        CHECK(update_shows(before, after, remote_text));
    }
    free(after);
    CHECK(bstr_count_live() == bstrs1);

    /* the good mapping is intact (or was released by the case) */
    if (good_live) CHECK(release_ex(o.pm, RTCTR_UDP, g.ia_text, g.ip, g.ea_text, g.ep) == S_OK);
    CHECK(obj->live(&o) == 0);
close:
    free(before);
    SysFreeString(g.ia);
    SysFreeString(g.ea);
    obj->close(&o);
    CHECK(rtcpm_live_objects() == objects0);
    CHECK(bstr_count_live() == bstrs0);
}

int bi_run_pm_cases(int ipv6_rows)
{
    size_t i, j;
    int n = 0;
    for (j = 0; j < bi_pm_object_count; j++)
    {
        int not_applicable = 0;
        for (i = 0; i < bad_input_case_count; i++)
        {
            const struct bi_pm_object *obj = &bi_pm_objects[j];
            const char *why;
            if (!bi_method_is_pm(bad_input_cases[i].method)) continue;
            if (obj->not_applicable && (why = obj->not_applicable(&bad_input_cases[i])))
            {
                if (!ipv6_rows && !not_applicable++) printf("\n    %s: not applicable: %s", obj->name, why);
                continue;
            }
            if ((obj->needs_ipv6 && obj->needs_ipv6(&bad_input_cases[i])) != !!ipv6_rows) continue;
            run_case(obj, &bad_input_cases[i]);
            n++;
        }
    }
    return n;
}
