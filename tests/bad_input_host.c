/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bad_input_host.c — the host rows of the bad-input matrix: IRTCClientPortManagement on a
 * client object, IRTCProfilePortManagement and IRTCSessionPortManagement with every port
 * manager of bi_pm_objects[].
 *
 * Checked besides the HRESULT: the client's listen list (rtcpm_host_client_get_listen) is
 * unchanged by a failure, and a success can be undone; GetPortRange's outs are 0 after a
 * failure; a refused SetPortManager leaves the port manager in use as it was (the registration
 * / call that follows uses it and releases every mapping to it); a port manager the
 * application released keeps working for the profile / session that holds it and is destroyed
 * with it; no BSTR leaked; every object is gone at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include "bad_input.h"
#include "bstr_count.h"

#define LISTEN_ADDRESS "192.168.1.20"
#define LISTEN_PORT    5070

/* ---- client --------------------------------------------------------------------------- */

/* "addr:port addr:port ..." of the listen list. */
static void listen_list(IRTCClientPortManagement *client, char *out, size_t len)
{
    char address[64];
    LONG i, port;
    size_t n = 0;
    out[0] = 0;
    for (i = 0; rtcpm_host_client_get_listen(client, i, address, sizeof(address), &port) == S_OK; i++)
        n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s:%ld ", address, (long)port);
}

static HRESULT listen_call(IRTCClientPortManagement *client, int start, const struct bi_case *c)
{
    BSTR address = bi_make_bstr(c && c->arg == BI_ARG_INTERNAL ? c->value : BI_VALUE_COUNT, LISTEN_ADDRESS);
    LONG port = bi_make_long(c && c->arg == BI_ARG_INTERNAL_PORT ? c->value : BI_VALUE_COUNT, LISTEN_PORT);
    HRESULT hr;
    if (c && c->value == BI_V_STOP_UNKNOWN)
    {
        SysFreeString(address);
        address = bi_wide("192.0.2.99", 10);
        port = 1234;
    }
    hr = start ? client->lpVtbl->StartListenAddressAndPort(client, address, port)
               : client->lpVtbl->StopListenAddressAndPort(client, address, port);
    SysFreeString(address);
    return hr;
}

static void report(const char *where, HRESULT hr, HRESULT want)
{
    char msg[128], b1[11], b2[11];
    snprintf(msg, sizeof(msg), "returned %s, expected %s", bi_hresult_name(hr, b1), bi_hresult_name(want, b2));
    bi_check(hr == want, where, hr == want ? "HRESULT" : msg, __LINE__);
}

static void run_client_case(const struct bi_case *c, const char *where)
{
    IRTCClientPortManagement *client;
    char before[512], after[512];
    HRESULT hr = E_UNEXPECTED;
    int baseline_started = 0;

    if (rtcpm_host_create_client("192.168.1.10", &client) != S_OK)
    {
        CHECK(!"client");
        return;
    }
    /* the situation before the call */
    if (c->method == BI_STOP_LISTEN || c->value == BI_V_START_TWICE)
    {
        CHECK(listen_call(client, 1, NULL) == S_OK);
        baseline_started = 1;
    }
    if (c->value == BI_V_STOP_TWICE)
    {
        CHECK(listen_call(client, 0, NULL) == S_OK);
        baseline_started = 0;
    }
    listen_list(client, before, sizeof(before));

    switch (c->method)
    {
    case BI_START_LISTEN:
        hr = listen_call(client, 1, c);
        report(where, hr, c->expected);
        /* a success is undone by the matching stop */
        if (hr == S_OK) CHECK(listen_call(client, 0, c) == S_OK);
        break;
    case BI_STOP_LISTEN:
        hr = listen_call(client, 0, c);
        report(where, hr, c->expected);
        if (hr == S_OK) CHECK(listen_call(client, 1, c) == S_OK);
        break;
    case BI_GET_PORT_RANGE:
    {
        LONG min = 0x5A5A, max = 0x5A5A;
        RTC_PORT_TYPE type =
            (RTC_PORT_TYPE)bi_make_long(c->arg == BI_ARG_PORT_TYPE ? c->value : BI_VALUE_COUNT, RTCPT_AUDIO_RTP);
        hr = client->lpVtbl->GetPortRange(client, type, c->arg == BI_ARG_OUT_MIN ? NULL : &min,
                                          c->arg == BI_ARG_OUT_MAX ? NULL : &max);
        report(where, hr, c->expected);
        if (FAILED(hr)) CHECK((c->arg == BI_ARG_OUT_MIN || min == 0) && (c->arg == BI_ARG_OUT_MAX || max == 0));
        break;
    }
    default: CHECK(!"a client method");
    }
    listen_list(client, after, sizeof(after));
    CHECK(!strcmp(before, after));
    if (baseline_started) CHECK(listen_call(client, 0, NULL) == S_OK);
    listen_list(client, after, sizeof(after));
    CHECK(after[0] == 0);
    CHECK(client->lpVtbl->Release(client) == 0);
}

/* ---- profile and session ---------------------------------------------------------------- */

static IRTCPortManager *v1_of(struct bi_pm *o) { return (IRTCPortManager *)o->pm; }

/* "@<external>" of the object's one live SIP mapping, from its listing ("udp sip <internal>
 * <external> remote ..."); "@?" when it cannot be had. */
static void sip_external(const struct bi_pm_object *obj, struct bi_pm *o, char *out, size_t len)
{
    char listing[512], internal[128], external[128];
    snprintf(out, len, "@?");
    if (obj->listing && obj->listing(o, listing, sizeof(listing)) > 0 &&
        sscanf(listing, "udp sip %127s %127s remote", internal, external) == 2)
        snprintf(out, len, "@%s", external);
}

static void run_profile_case(const struct bi_pm_object *obj, const struct bi_case *c, const char *where)
{
    IRTCClientPortManagement *client = NULL;
    IRTCProfilePortManagement *profile = NULL;
    struct bi_pm o, other;
    char contact[256], external[160];
    HRESULT hr;

    memset(&o, 0, sizeof(o));
    memset(&other, 0, sizeof(other));
    if (rtcpm_host_create_client("192.168.1.10", &client) != S_OK ||
        rtcpm_host_create_profile(client, "sip:alice@example.com", "198.18.0.1", 5060, RTCTR_UDP, &profile) != S_OK ||
        obj->open(&o) != S_OK || obj->open(&other) != S_OK)
    {
        CHECK(!"setup");
        goto done;
    }
    CHECK(profile->lpVtbl->SetPortManager(profile, v1_of(&o)) == S_OK);

    switch (c->value)
    {
    case BI_V_NULL_PM:
        hr = profile->lpVtbl->SetPortManager(profile, NULL);
        report(where, hr, c->expected);
        CHECK(obj->live(&o) == 0);
        /* the port manager set before is still the profile's */
        CHECK(rtcpm_host_profile_enable(profile) == S_OK);
        CHECK(obj->live(&o) == 1 && obj->live(&other) == 0);
        break;
    case BI_V_AFTER_ENABLE:
        CHECK(rtcpm_host_profile_enable(profile) == S_OK);
        CHECK(obj->live(&o) == 1);
        hr = profile->lpVtbl->SetPortManager(profile, v1_of(&other));
        report(where, hr, c->expected);
        CHECK(obj->live(&o) == 1 && obj->live(&other) == 0);
        break;
    case BI_V_PM_RELEASED:
        /* the application lets go of its port manager: the profile's reference keeps it */
        CHECK(o.pm->lpVtbl->Release(o.pm) >= 1);
        hr = rtcpm_host_profile_enable(profile);
        report(where, hr, c->expected);
        CHECK(obj->live(&o) == 1);
        break;
    default: CHECK(!"a profile case"); goto done;
    }
    /* the Contact names the external side of the port manager's mapping (static: 198.51.100.7
     * port 5060-5069; STUN: what the fake server reported) */
    sip_external(obj, &o, external, sizeof(external));
    CHECK(rtcpm_host_profile_contact(profile, contact, sizeof(contact)) == S_OK);
    CHECK(strstr(contact, "@198.51.100.7:") != NULL && strstr(contact, external) != NULL);
    CHECK(rtcpm_host_profile_disable(profile) == S_OK);
    CHECK(obj->live(&o) == 0 && obj->live(&other) == 0);
done:
    if (profile) CHECK(profile->lpVtbl->Release(profile) == 0);
    if (c->value == BI_V_PM_RELEASED) o.pm = NULL; /* gone with the profile */
    if (o.pm || o.state) obj->close(&o);
    if (other.pm) obj->close(&other);
    if (client) CHECK(client->lpVtbl->Release(client) == 0);
}

static void run_session_case(const struct bi_pm_object *obj, const struct bi_case *c, const char *where)
{
    IRTCClientPortManagement *client = NULL;
    IRTCProfilePortManagement *profile = NULL;
    IRTCSessionPortManagement *session = NULL;
    struct bi_pm o, profile_pm;
    LONG level = -1;
    HRESULT hr;

    memset(&o, 0, sizeof(o));
    memset(&profile_pm, 0, sizeof(profile_pm));
    if (rtcpm_host_create_client("192.168.1.10", &client) != S_OK ||
        rtcpm_host_create_profile(client, "sip:alice@example.com", "198.18.0.1", 5060, RTCTR_UDP, &profile) != S_OK ||
        obj->open(&o) != S_OK || obj->open(&profile_pm) != S_OK ||
        rtcpm_host_create_session(client, profile, "sip:bob@example.net", GOOD_REMOTE, GOOD_REMOTE_PORT, 0, &session) !=
            S_OK)
    {
        CHECK(!"setup");
        goto done;
    }
    CHECK(profile->lpVtbl->SetPortManager(profile, v1_of(&profile_pm)) == S_OK);
    CHECK(session->lpVtbl->SetPortManager(session, v1_of(&o)) == S_OK);

    switch (c->value)
    {
    case BI_V_NULL_PM:
        hr = session->lpVtbl->SetPortManager(session, NULL);
        report(where, hr, c->expected);
        /* no port manager of its own: the call uses the profile's */
        CHECK(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO) == S_OK);
        CHECK(obj->live(&o) == 0 && obj->live(&profile_pm) == 3);
        break;
    case BI_V_AFTER_ENABLE:
        CHECK(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO) == S_OK);
        hr = session->lpVtbl->SetPortManager(session, v1_of(&profile_pm));
        report(where, hr, c->expected);
        CHECK(obj->live(&o) == 3 && obj->live(&profile_pm) == 0);
        break;
    case BI_V_PM_RELEASED:
        CHECK(o.pm->lpVtbl->Release(o.pm) >= 1);
        hr = rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO);
        report(where, hr, c->expected);
        CHECK(obj->live(&o) == 3);
        break;
    default: CHECK(!"a session case"); goto done;
    }
    CHECK(rtcpm_host_session_pm_level(session, &level) == S_OK && level == 3);
    CHECK(rtcpm_host_session_hangup(session) == S_OK);
    CHECK(obj->live(&o) == 0 && obj->live(&profile_pm) == 0);
done:
    if (session) CHECK(session->lpVtbl->Release(session) == 0);
    if (c->value == BI_V_PM_RELEASED) o.pm = NULL; /* gone with the session */
    if (profile) CHECK(profile->lpVtbl->Release(profile) == 0);
    if (o.pm || o.state) obj->close(&o);
    if (profile_pm.pm) obj->close(&profile_pm);
    if (client) CHECK(client->lpVtbl->Release(client) == 0);
}

int bi_run_host_cases(void)
{
    size_t i, j;
    int n = 0;

    for (i = 0; i < bad_input_case_count; i++)
    {
        const struct bi_case *c = &bad_input_cases[i];
        char where[256];
        size_t objects = c->method == BI_PROFILE_SET_PM || c->method == BI_SESSION_SET_PM ? bi_pm_object_count : 1;

        if (bi_method_is_pm(c->method)) continue;
        for (j = 0; j < objects; j++)
        {
            LONG live_objects = rtcpm_live_objects(), bstrs = bstr_count_live();
            snprintf(where, sizeof(where), "%s%s%s %s = %s", bi_method_name(c->method), objects > 1 ? " with " : "",
                     objects > 1 ? bi_pm_objects[j].name : "", bi_arg_name(c->arg), bi_value_name(c->value));
            if (objects > 1 && bi_pm_objects[j].not_applicable && bi_pm_objects[j].not_applicable(c))
                continue; /* said by the PM rows */
            if (c->method == BI_PROFILE_SET_PM)
                run_profile_case(&bi_pm_objects[j], c, where);
            else if (c->method == BI_SESSION_SET_PM)
                run_session_case(&bi_pm_objects[j], c, where);
            else
                run_client_case(c, where);
            CHECK(rtcpm_live_objects() == live_objects);
            CHECK(bstr_count_live() == bstrs);
            n++;
        }
    }
    return n;
}
