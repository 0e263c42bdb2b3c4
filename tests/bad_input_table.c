/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bad_input_table.c — THE table of expected HRESULTs for bad input (see bad_input.h), its
 * names, and its rendering as README's "Bad input: HRESULTs" tables.
 *
 * Reading a row: calling <method> with every argument good except <argument> set to <value>
 * returns <expected>. The good arguments: remote 203.0.113.5 port 5060, UDP, RTCPT_SIP; a live
 * UDP mapping the object handed out (for update and release); listen address 192.168.1.20
 * port 5070. A value that makes a well-formed but unknown mapping (a valid IPv6 address, port
 * 65535) is RTC_E_PORT_MAPPING_UNAVAILABLE, not E_INVALIDARG. The good mapping is IPv4: an
 * update with an IPv6 remote is E_INVALIDARG (the other family; the states update an IPv6
 * mapping too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bad_input.h"

#define UNAVAILABLE RTC_E_PORT_MAPPING_UNAVAILABLE
#define C(m, a, v, hr)                                                                                                 \
    {                                                                                                                  \
        BI_##m, BI_ARG_##a, BI_V_##v, hr, NULL, 0                                                                      \
    }

/* The nine BSTR values, the five ports, the four transports, for one argument. */
#define BSTRS(m, a, null, empty, nul, mib, notaddr, v6, zone, longest, too_long)                                       \
    C(m, a, NULL_BSTR, null), C(m, a, EMPTY, empty), C(m, a, EMBEDDED_NUL, nul), C(m, a, 1MIB, mib),                   \
        C(m, a, NOT_ADDRESS, notaddr), C(m, a, IPV6, v6), C(m, a, IPV6_ZONE, zone), C(m, a, LONGEST, longest),         \
        C(m, a, TOO_LONG, too_long)
#define PORTS(m, a, minus1, zero, p65535, p65536, max)                                                                 \
    C(m, a, PORT_MINUS_1, minus1), C(m, a, PORT_0, zero), C(m, a, PORT_65535, p65535), C(m, a, PORT_65536, p65536),    \
        C(m, a, PORT_LONG_MAX, max)
#define TRANSPORTS(m, hr)                                                                                              \
    C(m, TRANSPORT, TRANSPORT_0, hr), C(m, TRANSPORT, TRANSPORT_3, hr), C(m, TRANSPORT, TRANSPORT_8, hr),              \
        C(m, TRANSPORT, TRANSPORT_MINUS_1, hr)
#define TYPES(m, hr) C(m, PORT_TYPE, TYPE_MINUS_1, hr), C(m, PORT_TYPE, TYPE_5, hr)

/* The remote of GetMapping*: NULL or "" = not known yet (RTC asks before it knows the peer),
 * any IP literal with a matching rule gets a mapping. */
#define GET_REMOTE(m)                                                                                                  \
    BSTRS(m, REMOTE, S_OK, S_OK, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, S_OK, S_OK, S_OK, E_INVALIDARG)
/* The remote of UpdateRemoteAddress*: required, and of the mapping's family — the good
 * mapping is IPv4, so every IPv6 value is E_INVALIDARG here (the states below update an
 * IPv6 mapping). */
#define UPDATE_REMOTE(m)                                                                                               \
    BSTRS(m, REMOTE, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, \
          E_INVALIDARG, E_INVALIDARG)
#define UPDATE_FAMILY(m)                                                                                               \
    C(m, STATE, V6_MAPPING_V4_REMOTE, E_INVALIDARG), C(m, STATE, V6_MAPPING_LONGEST, S_OK),                            \
        C(m, STATE, V6_MAPPING_TOO_LONG, E_INVALIDARG), C(m, STATE, V4_MAPPED_REMOTE, S_OK)
/* The four values naming a mapping: malformed -> E_INVALIDARG, well-formed but not handed
 * out -> RTC_E_PORT_MAPPING_UNAVAILABLE. */
#define MAPPING_KEY(m)                                                                                                 \
    BSTRS(m, INTERNAL, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, UNAVAILABLE, UNAVAILABLE, \
          UNAVAILABLE, E_INVALIDARG),                                                                                  \
        PORTS(m, INTERNAL_PORT, E_INVALIDARG, E_INVALIDARG, UNAVAILABLE, E_INVALIDARG, E_INVALIDARG),                  \
        BSTRS(m, EXTERNAL, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, UNAVAILABLE,          \
              UNAVAILABLE, UNAVAILABLE, E_INVALIDARG),                                                                 \
        PORTS(m, EXTERNAL_PORT, E_INVALIDARG, E_INVALIDARG, UNAVAILABLE, E_INVALIDARG, E_INVALIDARG)
/* lRemotePort: 0 = not known (media before the answer). */
#define REMOTE_PORT(m) PORTS(m, REMOTE_PORT, E_INVALIDARG, S_OK, S_OK, E_INVALIDARG, E_INVALIDARG)
#define GET_OUTS(m)                                                                                                    \
    C(m, OUT_INTERNAL, NULL_OUT, E_POINTER), C(m, OUT_INTERNAL_PORT, NULL_OUT, E_POINTER),                             \
        C(m, OUT_EXTERNAL, NULL_OUT, E_POINTER), C(m, OUT_EXTERNAL_PORT, NULL_OUT, E_POINTER)

const struct bi_case bad_input_cases[] = {
    /* ---- IRTCPortManager ---- */
    GET_REMOTE(GET_MAPPING),
    TYPES(GET_MAPPING, E_INVALIDARG),
    GET_OUTS(GET_MAPPING),

    UPDATE_REMOTE(UPDATE_REMOTE),
    MAPPING_KEY(UPDATE_REMOTE),
    C(UPDATE_REMOTE, STATE, UNKNOWN_MAPPING, UNAVAILABLE),
    C(UPDATE_REMOTE, STATE, AFTER_RELEASE, UNAVAILABLE),
    UPDATE_FAMILY(UPDATE_REMOTE),

    MAPPING_KEY(RELEASE),
    C(RELEASE, STATE, UNKNOWN_MAPPING, UNAVAILABLE),
    C(RELEASE, STATE, DOUBLE_RELEASE, UNAVAILABLE),

    /* ---- IRTCPortManager2 ---- */
    UPDATE_REMOTE(UPDATE_REMOTE_EX),
    REMOTE_PORT(UPDATE_REMOTE_EX),
    MAPPING_KEY(UPDATE_REMOTE_EX),
    C(UPDATE_REMOTE_EX, STATE, UNKNOWN_MAPPING, UNAVAILABLE),
    C(UPDATE_REMOTE_EX, STATE, AFTER_RELEASE, UNAVAILABLE),
    UPDATE_FAMILY(UPDATE_REMOTE_EX),

    /* ---- IRTCPortManager3 ---- */
    GET_REMOTE(GET_MAPPING_EX),
    REMOTE_PORT(GET_MAPPING_EX),
    TRANSPORTS(GET_MAPPING_EX, E_INVALIDARG),
    TYPES(GET_MAPPING_EX, E_INVALIDARG),
    GET_OUTS(GET_MAPPING_EX),

    UPDATE_REMOTE(UPDATE_REMOTE_EX2),
    REMOTE_PORT(UPDATE_REMOTE_EX2),
    TRANSPORTS(UPDATE_REMOTE_EX2, E_INVALIDARG),
    MAPPING_KEY(UPDATE_REMOTE_EX2),
    C(UPDATE_REMOTE_EX2, STATE, UNKNOWN_MAPPING, UNAVAILABLE),
    C(UPDATE_REMOTE_EX2, STATE, AFTER_RELEASE, UNAVAILABLE),
    UPDATE_FAMILY(UPDATE_REMOTE_EX2),

    TRANSPORTS(RELEASE_EX, E_INVALIDARG),
    MAPPING_KEY(RELEASE_EX),
    C(RELEASE_EX, STATE, UNKNOWN_MAPPING, UNAVAILABLE),
    C(RELEASE_EX, STATE, DOUBLE_RELEASE, UNAVAILABLE),

    /* ---- IRTCClientPortManagement (host.h: E_FAIL = a second listen socket on the same
     * address and port; a pair that is not listened on is E_INVALIDARG) ---- */
    BSTRS(START_LISTEN, INTERNAL, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, S_OK, S_OK,
          S_OK, E_INVALIDARG),
    PORTS(START_LISTEN, INTERNAL_PORT, E_INVALIDARG, E_INVALIDARG, S_OK, E_INVALIDARG, E_INVALIDARG),
    C(START_LISTEN, STATE, START_TWICE, E_FAIL),

    BSTRS(STOP_LISTEN, INTERNAL, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG,
          E_INVALIDARG, E_INVALIDARG, E_INVALIDARG),
    PORTS(STOP_LISTEN, INTERNAL_PORT, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG, E_INVALIDARG),
    C(STOP_LISTEN, STATE, STOP_UNKNOWN, E_INVALIDARG),
    C(STOP_LISTEN, STATE, STOP_TWICE, E_INVALIDARG),

    TYPES(GET_PORT_RANGE, E_INVALIDARG),
    C(GET_PORT_RANGE, OUT_MIN, NULL_OUT, E_POINTER),
    C(GET_PORT_RANGE, OUT_MAX, NULL_OUT, E_POINTER),

    /* ---- IRTCProfilePortManagement (bb154600: E_POINTER for NULL, E_FAIL once enabled) ---- */
    C(PROFILE_SET_PM, PORT_MANAGER, NULL_PM, E_POINTER),
    C(PROFILE_SET_PM, STATE, AFTER_ENABLE, E_FAIL),
    C(PROFILE_SET_PM, STATE, PM_RELEASED, S_OK),

    /* ---- IRTCSessionPortManagement ("A null pointer is allowed"; an error when the session is
     * not idle) ---- */
    C(SESSION_SET_PM, PORT_MANAGER, NULL_PM, S_OK),
    C(SESSION_SET_PM, STATE, AFTER_ENABLE, E_FAIL),
    C(SESSION_SET_PM, STATE, PM_RELEASED, S_OK),
};

const size_t bad_input_case_count = sizeof(bad_input_cases) / sizeof(bad_input_cases[0]);

/* ---- names ---- */

const char *bi_method_name(enum bi_method m)
{
    static const char *const names[BI_METHOD_COUNT] = {
        "IRTCPortManager::GetMapping",
        "IRTCPortManager::UpdateRemoteAddress",
        "IRTCPortManager::ReleaseMapping",
        "IRTCPortManager2::UpdateRemoteAddressEx",
        "IRTCPortManager3::GetMappingEx",
        "IRTCPortManager3::UpdateRemoteAddressEx2",
        "IRTCPortManager3::ReleaseMappingEx",
        "IRTCClientPortManagement::StartListenAddressAndPort",
        "IRTCClientPortManagement::StopListenAddressAndPort",
        "IRTCClientPortManagement::GetPortRange",
        "IRTCProfilePortManagement::SetPortManager",
        "IRTCSessionPortManagement::SetPortManager",
    };
    return (unsigned)m < BI_METHOD_COUNT ? names[m] : "?";
}

int bi_method_is_pm(enum bi_method m) { return m <= BI_RELEASE_EX; }

const char *bi_arg_name(enum bi_arg a)
{
    static const char *const names[BI_ARG_COUNT] = {
        "bstrRemoteAddress",
        "lRemotePort",
        "lTransport",
        "enPortType",
        "bstrInternalLocalAddress",
        "lInternalLocalPort",
        "bstrExternalLocalAddress",
        "lExternalLocalPort",
        "pbstrInternalLocalAddress",
        "plInternalLocalPort",
        "pbstrExternalLocalAddress",
        "plExternalLocalPort",
        "plMinValue",
        "plMaxValue",
        "pPortManager",
        "(state)",
    };
    return (unsigned)a < BI_ARG_COUNT ? names[a] : "?";
}

static const struct
{
    enum bi_kind kind;
    const char *name;
} values[BI_VALUE_COUNT] = {
    { BI_KIND_BSTR, "NULL" },
    { BI_KIND_BSTR, "`\"\"`" },
    { BI_KIND_BSTR, "embedded NUL" },
    { BI_KIND_BSTR, "1 MiB" },
    { BI_KIND_BSTR, "not an address" },
    { BI_KIND_BSTR, "IPv6" },
    { BI_KIND_BSTR, "IPv6 + zone" },
    { BI_KIND_BSTR, "longest address" },
    { BI_KIND_BSTR, "longest + 1" },
    { BI_KIND_PORT, "-1" },
    { BI_KIND_PORT, "0" },
    { BI_KIND_PORT, "65535" },
    { BI_KIND_PORT, "65536" },
    { BI_KIND_PORT, "LONG_MAX" },
    { BI_KIND_TRANSPORT, "0" },
    { BI_KIND_TRANSPORT, "3" },
    { BI_KIND_TRANSPORT, "8" },
    { BI_KIND_TRANSPORT, "-1" },
    { BI_KIND_PORT_TYPE, "-1" },
    { BI_KIND_PORT_TYPE, "5" },
    { BI_KIND_OUT, "NULL" },
    { BI_KIND_STATE, "a well-formed mapping never handed out" },
    { BI_KIND_STATE, "the same mapping released twice (second call)" },
    { BI_KIND_STATE, "a mapping already released" },
    { BI_KIND_STATE, "the same address and port started twice (second call)" },
    { BI_KIND_STATE, "an address and port never started" },
    { BI_KIND_STATE, "the same address and port stopped twice (second call)" },
    { BI_KIND_STATE, "SetPortManager(NULL)" },
    { BI_KIND_STATE, "SetPortManager while enabled (profile) / in a call (session)" },
    { BI_KIND_STATE, "the application released the port manager after SetPortManager; result of the enable / call "
                     "that follows" },
    { BI_KIND_STATE, "a mapping made for an IPv6 remote, updated with an IPv4 remote (the other family)" },
    { BI_KIND_STATE, "a mapping made for an IPv6 remote, updated with the longest address" },
    { BI_KIND_STATE, "a mapping made for an IPv6 remote, updated with the longest address + 1" },
    { BI_KIND_STATE, "the good (IPv4) mapping updated with an IPv4-mapped IPv6 remote (`::ffff:203.0.113.9`)" },
};

const char *bi_value_name(enum bi_value v) { return (unsigned)v < BI_VALUE_COUNT ? values[v].name : "?"; }
enum bi_kind bi_value_kind(enum bi_value v) { return (unsigned)v < BI_VALUE_COUNT ? values[v].kind : BI_KIND_STATE; }

HRESULT bi_expected(const struct bi_case *c, const char *object)
{
    if (c->except_object && object && !strcmp(c->except_object, object)) return c->except_expected;
    return c->expected;
}

const char *bi_hresult_name(HRESULT hr, char buf[11])
{
    if (hr == RTC_E_INVALID_SESSION_STATE) return "RTC_E_INVALID_SESSION_STATE";
    return rtcpm_hresult_name(hr, buf);
}

/* ---- Markdown ---- */

struct text
{
    char *buf;
    size_t len, cap;
    int failed;
};

static void put(struct text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->failed) return;
    if (t->len + n + 1 > t->cap)
    {
        size_t cap = (t->len + n + 1) * 2;
        char *grown = realloc(t->buf, cap);
        if (!grown)
        {
            t->failed = 1;
            return;
        }
        t->buf = grown;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, n + 1);
    t->len += n;
}

static void cell(struct text *t, const struct bi_case *c)
{
    char b1[11], b2[11];
    put(t, " ");
    put(t, bi_hresult_name(c->expected, b1));
    if (c->except_object)
    {
        put(t, " (");
        put(t, c->except_object);
        put(t, ": ");
        put(t, bi_hresult_name(c->except_expected, b2));
        put(t, ")");
    }
    put(t, " |");
}

static const char *const kind_titles[BI_KIND_COUNT] = {
    "BSTR arguments", "Port arguments", "Transports", "Port types", "Out pointers", "States",
};

/* One table per kind of value; a row per (method, argument), a column per value. */
static void render_kind(struct text *t, enum bi_kind kind)
{
    int v, done[BI_METHOD_COUNT][BI_ARG_COUNT];
    size_t i, j;

    memset(done, 0, sizeof(done));
    put(t, "**");
    put(t, kind_titles[kind]);
    put(t, "**\n\n| method | argument |");
    for (v = 0; v < BI_VALUE_COUNT; v++)
        if (values[v].kind == kind)
        {
            put(t, " ");
            put(t, values[v].name);
            put(t, " |");
        }
    put(t, "\n|---|---|");
    for (v = 0; v < BI_VALUE_COUNT; v++)
        if (values[v].kind == kind) put(t, "---|");
    put(t, "\n");
    for (i = 0; i < bad_input_case_count; i++)
    {
        const struct bi_case *c = &bad_input_cases[i];
        if (bi_value_kind(c->value) != kind || done[c->method][c->arg]) continue;
        done[c->method][c->arg] = 1;
        put(t, "| ");
        put(t, bi_method_name(c->method));
        put(t, " | ");
        put(t, bi_arg_name(c->arg));
        put(t, " |");
        for (v = 0; v < BI_VALUE_COUNT; v++)
        {
            const struct bi_case *found = NULL;
            if (values[v].kind != kind) continue;
            for (j = 0; j < bad_input_case_count; j++)
                if (bad_input_cases[j].method == c->method && bad_input_cases[j].arg == c->arg &&
                    bad_input_cases[j].value == (enum bi_value)v)
                    found = &bad_input_cases[j];
            if (found)
                cell(t, found);
            else
                put(t, " — |");
        }
        put(t, "\n");
    }
    put(t, "\n");
}

/* States: a row per case. */
static void render_states(struct text *t)
{
    size_t i;
    put(t, "**");
    put(t, kind_titles[BI_KIND_STATE]);
    put(t, "**\n\n| method | situation | result |\n|---|---|---|\n");
    for (i = 0; i < bad_input_case_count; i++)
    {
        const struct bi_case *c = &bad_input_cases[i];
        if (bi_value_kind(c->value) != BI_KIND_STATE) continue;
        put(t, "| ");
        put(t, bi_method_name(c->method));
        put(t, " | ");
        put(t, bi_value_name(c->value));
        put(t, " |");
        cell(t, c);
        put(t, "\n");
    }
    put(t, "\n");
}

char *bi_markdown(void)
{
    struct text t = { NULL, 0, 0, 0 };
    int k;

    put(&t, "Rows of `IRTCPortManager*` methods hold for every rtcpm port manager (");
    put(&t, bi_pm_object_names());
    put(&t, "). A `—` cell: the value does not apply. The good mapping is IPv4: an update with an IPv6 remote is "
            "of the other family.\n\n");
    for (k = 0; k < BI_KIND_STATE; k++) render_kind(&t, (enum bi_kind)k);
    render_states(&t);
    if (t.failed)
    {
        free(t.buf);
        return NULL;
    }
    return t.buf;
}
