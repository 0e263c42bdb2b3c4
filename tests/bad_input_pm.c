/*
 * bad_input_pm.c — the IRTCPortManager/2/3 rows of the bad-input matrix, run on every rtcpm
 * port manager in bi_pm_objects[].
 *
 * Each case gets a fresh object holding one live UDP mapping (GetMappingEx(203.0.113.5, 5060,
 * UDP, SIP), the "good" mapping update and release cases name), makes one call with one
 * argument bad, and checks: the exact HRESULT; [out]s NULL/0 after a failure (each non-NULL
 * out pointer was preset to a sentinel); the mapping table unchanged (count and listing) after
 * a failure; a success hands out a usable mapping that releases cleanly; no BSTR leaked (the
 * call's own [in] and [out] BSTRs freed, bstr_count.h); a tracing object reported the call
 * once; and at the end the good mapping still releases with S_OK, the table is empty and
 * every object is gone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include "bad_input.h"
#include "bstr_count.h"
#include "net/addr.h"

/* ---- the objects ---------------------------------------------------------------------- */

static const char fixture_config[] =
    "[mapping sip]\n"
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
    if (FAILED(hr)) inner->lpVtbl->Release(inner);
    else o->state = inner;
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
 * Every rtcpm port manager, one row each. The STUN port manager (include/rtcpm/stun_pm.h,
 * being written on another branch) joins with one row: an open() that starts
 * tests/fake_stun_server.h on 127.0.0.1 (and ::1, for the IPv6 rows), creates the object with
 * rtcpm_stun_pm_create("127.0.0.1:<port>", ...) and ranges covering the fixture's ports, live =
 * rtcpm_stun_pm_live_mappings, listing = NULL (it has no listing; the count is compared). Where
 * it must answer otherwise than the table (say, RTC_E_PORT_MAPPING_FAILED for a remote its
 * server cannot reach), that row of bad_input_cases[] names it in except_object.
 */
const struct bi_pm_object bi_pm_objects[] = {
    { "static", static_open, static_close, static_live, static_listing, 0 },
    { "trace(static)", trace_open, trace_close, trace_live, trace_listing, 1 },
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

static void build_call(struct call *k, const struct bi_case *c, const struct good_mapping *g)
{
    memset(k, 0, sizeof(*k));
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
    char where[256], b1[11], b2[11], *before = NULL, *after;
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
        BSTR remote = bi_wide(GOOD_REMOTE, strlen(GOOD_REMOTE));
        hr = o.pm->lpVtbl->GetMappingEx(o.pm, remote, GOOD_REMOTE_PORT, RTCTR_UDP, RTCPT_SIP, &g.ia, &g.ip, &g.ea,
                                        &g.ep);
        SysFreeString(remote);
    }
    CHECK(hr == S_OK);
    if (hr != S_OK) goto close;
    to_ascii(g.ia, g.ia_text, sizeof(g.ia_text));
    to_ascii(g.ea, g.ea_text, sizeof(g.ea_text));

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
    hr = invoke(o.pm, c->method, &k);
    free_call_inputs(&k);
    if (hr != want)
    {
        char msg[128];
        snprintf(msg, sizeof(msg), "returned %s, expected %s", bi_hresult_name(hr, b1), bi_hresult_name(want, b2));
        bi_check(0, where, msg, __LINE__);
    }
    else bi_check(1, where, "HRESULT", __LINE__);
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
    if (FAILED(hr) || is_get(c->method))
    {
        after = listing_of(obj, &o);
        CHECK((!before && !after) || (before && after && !strcmp(before, after)));
        free(after);
    }
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

int bi_run_pm_cases(void)
{
    size_t i, j;
    int n = 0;
    for (j = 0; j < bi_pm_object_count; j++)
        for (i = 0; i < bad_input_case_count; i++)
        {
            if (!bi_method_is_pm(bad_input_cases[i].method)) continue;
            run_case(&bi_pm_objects[j], &bad_input_cases[i]);
            n++;
        }
    return n;
}
