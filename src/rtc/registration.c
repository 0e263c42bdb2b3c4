/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * registration.c — a profile's registration, as RTC 1.5 does it:
 *
 *   EnableProfile (application thread): REGISTERING reported, job posted.
 *   worker: registrar resolved (IP literal, else RFC 3263) -> the profile's port manager asked
 *     GetMappingEx(registrar, port, transport, RTCPT_SIP) through the host driver (3->2->1
 *     fallback; a proxy when it lives in the application's STA) -> the SIP engine registers
 *     from the INTERNAL address/port with the EXTERNAL one in Via and Contact.
 *   engine thread: REGISTERED / REJECTED / ERROR / NOT_REGISTERED -> a job -> the worker
 *     releases what ended (ReleaseMappingEx, also on failure) and reports the state.
 *   DisableProfile: UNREGISTERING reported; the engine sends Expires: 0; NOT_REGISTERED.
 *
 * A port manager that fails -> ERROR with its HRESULT as status code, and nothing is sent.
 * With no port manager the registration goes out from the local address towards the
 * registrar (the OS picks the port) and Contact carries that.
 * The profile's registration fields (mapping, reg) are touched only on the worker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rtc/rtc_private.h"
#include "rtc/rtc_net.h"
#include "sip/sip_agent.h"
#include "sip/provision.h"

enum reg_job_kind
{
    REG_JOB_ENABLE,
    REG_JOB_DISABLE,
    REG_JOB_EVENT
};

struct reg_job
{
    struct rtc_job job;
    enum reg_job_kind kind;
    struct rtc_profile *profile; /* referenced */
    /* REG_JOB_EVENT: a copy of the engine's event */
    rtcpm_sip_reg *reg;
    enum rtcpm_sip_reg_state state;
    HRESULT hr;
    char reason[128];
};

static void reg_job_run(struct rtc_job *job);

static HRESULT post(struct rtc_client *client, struct rtc_profile *profile, enum reg_job_kind kind,
                    struct reg_job **made)
{
    struct reg_job *j = calloc(1, sizeof(*j));
    HRESULT hr;

    if (made) *made = j;
    if (!j) return E_OUTOFMEMORY;
    j->job.run = reg_job_run;
    j->kind = kind;
    j->profile = profile;
    IRTCProfile2_AddRef(&profile->IRTCProfile2_iface);
    if (FAILED(hr = rtcpm_rtc_client_post_job(client, &j->job)))
    {
        IRTCProfile2_Release(&profile->IRTCProfile2_iface);
        free(j);
        if (made) *made = NULL;
    }
    return hr;
}

/* The engine's thread: a copy to the worker. */
static void reg_callback(void *ctx, rtcpm_sip_reg *reg, const struct rtcpm_sip_reg_event *ev)
{
    struct rtc_profile *profile = ctx;
    struct reg_job *j = calloc(1, sizeof(*j));

    if (!j) return;
    j->job.run = reg_job_run;
    j->kind = REG_JOB_EVENT;
    j->profile = profile;
    j->reg = reg;
    j->state = ev->state;
    j->hr = ev->hr;
    snprintf(j->reason, sizeof(j->reason), "%s", ev->reason ? ev->reason : "");
    IRTCProfile2_AddRef(&profile->IRTCProfile2_iface);
    /* profile->client is alive while a registration runs (it holds a reference) */
    if (FAILED(rtcpm_rtc_client_post_job(profile->client, &j->job)))
    {
        IRTCProfile2_Release(&profile->IRTCProfile2_iface);
        free(j);
    }
}

/* The registration is over (failed, rejected, unregistered, aborted): the engine's handle
 * and every mapping go, the client's busy count drops. Worker only. */
static void registration_end(struct rtc_profile *profile)
{
    rtcpm_sip_listen_stop(profile->listener);
    profile->listener = NULL;
    if (profile->reg)
    {
        rtcpm_sip_reg_release(profile->reg);
        profile->reg = NULL;
    }
    if (profile->mapping.count || profile->mapping.pm)
    {
        HRESULT hr = rtcpm_driver_set_release(&profile->mapping);
        RTC_TRACE("profile %p: mapping released -> %#lx", (void *)profile, (unsigned long)hr);
    }
}

/* The registration no longer counts for PrepareForShutdown's cleanup. Worker only. */
static void busy_done(struct rtc_profile *profile)
{
    if (!profile->reg_busy) return;
    profile->reg_busy = 0;
    rtcpm_rtc_client_busy(profile->client, -1);
}

/* DisableProfile finished: the profile leaves the enabled list and lets its client go. With
 * report, NOT_REGISTERED (status, text) is posted only then: from that event on the
 * application may set another port manager or enable the profile again (posted before, the
 * event raced the worker and SetPortManager could still meet an enabled profile: E_FAIL). */
static void disable_done(struct rtc_profile *profile, int report, LONG status, const char *text)
{
    struct rtc_client *client = profile->client;
    int was_disabling;

    EnterCriticalSection(&client->cs);
    if (rtcpm_rtc_list_remove(&client->enabled, (IUnknown *)&profile->IRTCProfile2_iface))
        IRTCProfile2_Release(&profile->IRTCProfile2_iface);
    LeaveCriticalSection(&client->cs);
    EnterCriticalSection(&profile->cs);
    was_disabling = profile->disable_requested;
    profile->enabled = 0;
    profile->disable_requested = 0;
    profile->client = NULL;
    LeaveCriticalSection(&profile->cs);
    if (report) rtcpm_rtc_profile_report(profile, client, RTCRS_NOT_REGISTERED, status, text);
    /* DisableProfile counted for PrepareForShutdown until its NOT_REGISTERED was reported */
    if (was_disabling) rtcpm_rtc_client_busy(client, -1);
    IRTCClient2_Release(&client->IRTCClient2_iface);
}

struct reg_identity
{
    char *aor, *display, *account, *password, *realm;
    struct rtcpm_provision_server registrar;
};

static void identity_free(struct reg_identity *id)
{
    free(id->aor);
    free(id->display);
    free(id->account);
    if (id->password) SecureZeroMemory(id->password, strlen(id->password));
    free(id->password);
    free(id->realm);
}

static char *dup_or_null(const char *s) { return s ? _strdup(s) : NULL; }

static void identity_read(struct rtc_profile *p, struct reg_identity *id)
{
    memset(id, 0, sizeof(*id));
    EnterCriticalSection(&p->cs);
    id->aor = dup_or_null(p->user_uri ? p->user_uri : p->prov->user_uri);
    id->display = dup_or_null(p->prov->user_name);
    id->account = dup_or_null(p->account ? p->account : p->prov->user_account);
    id->password = dup_or_null(p->password ? p->password : p->prov->user_password);
    id->realm = dup_or_null(p->realm ? p->realm : p->prov->user_realm);
    if (p->prov->registrar) id->registrar = *p->prov->registrar;
    LeaveCriticalSection(&p->cs);
}

/* RTCPM_SIP_KEEPALIVE_MS (README "RTC Client API"): the CRLF keep-alive period while
 * registered over UDP, so that a NAT keeps the binding the registrar calls us through; 0 turns
 * it off; default 25 s (well inside the usual 30-60 s UDP timeouts of NATs). */
static unsigned keepalive_ms(void)
{
    const char *v = getenv("RTCPM_SIP_KEEPALIVE_MS");
    return v && *v ? (unsigned)strtoul(v, NULL, 10) : 25000;
}

/* Resolve, map, register. Returns the failure to report (nothing sent then). */
static HRESULT enable_on_worker(struct rtc_profile *profile, struct rtc_client *client, struct reg_identity *id)
{
    struct rtcpm_sip_reg_params params;
    struct driver_request req;
    struct host_pm_ref *pm;
    char remote[RTCPM_ADDR_TEXT_SIZE];
    rtcpm_addr next_hop;
    HRESULT hr;

    if (id->registrar.transport == RTCTR_TLS) return RTC_E_SIP_TRANSPORT_NOT_SUPPORTED;
    if (FAILED(hr = rtcpm_rtc_resolve_server(&id->registrar, &next_hop))) return hr;
    memset(&params, 0, sizeof(params));
    params.flow.transport = id->registrar.transport;
    params.flow.next_hop = next_hop;
    pm = rtcpm_rtc_profile_pm(profile);
    if (pm)
    {
        memset(&req, 0, sizeof(req));
        rtcpm_addr_format(&next_hop, remote, sizeof(remote));
        req.type = RTCPT_SIP;
        req.transport = id->registrar.transport;
        req.remote = remote;
        req.remote_port = next_hop.port;
        hr = rtcpm_rtc_acquire(&profile->mapping, pm, &req, 1);
        rtcpm_host_pm_ref_release(pm);
        if (FAILED(hr)) return hr;
        params.flow.local = profile->mapping.map[0].internal;
        params.flow.external = profile->mapping.map[0].external;
    }
    else if (FAILED(hr = rtcpm_rtc_route_local(&next_hop, &params.flow.local)))
        return hr;
    params.aor = id->aor;
    params.keepalive_ms = keepalive_ms();
    params.display_name = id->display;
    params.cred.username = id->account;
    params.cred.password = id->password;
    params.cred.realm = id->realm;
    EnterCriticalSection(&client->cs);
    hr = client->agent ? S_OK : RTC_E_CLIENT_ALREADY_SHUT_DOWN;
    if (SUCCEEDED(hr)) hr = rtcpm_sip_reg_start(client->agent, &params, reg_callback, profile, &profile->reg);
    LeaveCriticalSection(&client->cs);
    /* incoming calls on the registered socket (the port manager's SIP mapping) */
    if (SUCCEEDED(hr) && params.flow.transport == RTCTR_UDP)
        profile->listener = rtcpm_rtc_listen_flow(client, &params.flow, id->aor);
    return hr;
}

static void job_enable(struct rtc_profile *profile)
{
    struct rtc_client *client = profile->client;
    struct reg_identity id;
    HRESULT hr;

    identity_read(profile, &id);
    hr = id.aor ? enable_on_worker(profile, client, &id) : E_OUTOFMEMORY;
    identity_free(&id);
    if (SUCCEEDED(hr)) return;
    RTC_TRACE("profile %p: registration failed before sending: %#lx", (void *)profile, (unsigned long)hr);
    registration_end(profile);
    rtcpm_rtc_profile_report(profile, client, RTCRS_ERROR, hr, "registration failed before anything was sent");
    busy_done(profile);
}

static void job_disable(struct rtc_profile *profile)
{
    RTC_REGISTRATION_STATE state;

    if (profile->reg && rtcpm_sip_reg_stop(profile->reg) == S_OK) return; /* NOT_REGISTERED follows */
    /* nothing registered (never, or it failed): done now */
    registration_end(profile);
    state = rtcpm_rtc_profile_set_state(profile, RTCRS_NOT_REGISTERED);
    busy_done(profile);
    disable_done(profile, state != RTCRS_NOT_REGISTERED, S_OK, "disabled");
}

static void job_event(struct reg_job *j)
{
    struct rtc_profile *profile = j->profile;
    struct rtc_client *client = profile->client;
    RTC_REGISTRATION_STATE state = (RTC_REGISTRATION_STATE)j->state;

    if (!client || profile->reg != j->reg) return; /* a registration that already ended */
    switch (j->state)
    {
    case RTCPM_SIP_REG_REGISTERED:
        /* DisableProfile already said UNREGISTERING: its NOT_REGISTERED follows */
        if (!profile->disable_requested) rtcpm_rtc_profile_report(profile, client, state, j->hr, j->reason);
        return;
    case RTCPM_SIP_REG_REJECTED:
    case RTCPM_SIP_REG_ERROR:
    case RTCPM_SIP_REG_NOT_REGISTERED:
        /* the registration has ended: its handle and mapping go */
        registration_end(profile);
        if (!profile->disable_requested)
        {
            rtcpm_rtc_profile_report(profile, client, state, j->hr, j->reason);
            busy_done(profile);
            return;
        }
        /* DisableProfile was waiting for it (it may have ended otherwise meanwhile); its
         * NOT_REGISTERED comes once the profile is disabled */
        if (state != RTCRS_NOT_REGISTERED) rtcpm_rtc_profile_report(profile, client, state, j->hr, j->reason);
        busy_done(profile);
        if (state == RTCRS_NOT_REGISTERED)
            disable_done(profile, 1, j->hr, j->reason);
        else
            disable_done(profile, 1, S_OK, "");
        return;
    default: return; /* REGISTERING, UNREGISTERING: reported by EnableProfile / DisableProfile */
    }
}

static void reg_job_run(struct rtc_job *job)
{
    struct reg_job *j = CONTAINING_RECORD(job, struct reg_job, job);

    switch (j->kind)
    {
    case REG_JOB_ENABLE: job_enable(j->profile); break;
    case REG_JOB_DISABLE: job_disable(j->profile); break;
    case REG_JOB_EVENT: job_event(j); break;
    }
    IRTCProfile2_Release(&j->profile->IRTCProfile2_iface);
    free(j);
}

/* ---- the application's side ------------------------------------------------------------------ */

HRESULT rtcpm_rtc_registration_start(struct rtc_client *client, struct rtc_profile *profile, LONG flags)
{
    int registers = flags && profile->prov->registrar;
    HRESULT hr;

    EnterCriticalSection(&profile->cs);
    if (profile->enabled)
    {
        hr = profile->flags == flags ? S_OK : E_NOTIMPL;
        LeaveCriticalSection(&profile->cs);
        return hr;
    }
    profile->enabled = 1;
    profile->flags = flags;
    profile->client = client;
    IRTCClient2_AddRef(&client->IRTCClient2_iface);
    profile->reg_busy = registers;
    LeaveCriticalSection(&profile->cs);

    EnterCriticalSection(&client->cs);
    hr = rtcpm_rtc_list_add(&client->enabled, (IUnknown *)&profile->IRTCProfile2_iface);
    if (registers) client->busy++;
    LeaveCriticalSection(&client->cs);
    if (FAILED(hr) || !registers)
    {
        if (FAILED(hr)) disable_done(profile, 0, S_OK, NULL);
        return hr;
    }
    rtcpm_rtc_profile_report(profile, client, RTCRS_REGISTERING, S_OK, "");
    if (FAILED(hr = post(client, profile, REG_JOB_ENABLE, NULL)))
        rtcpm_rtc_profile_report(profile, client, RTCRS_ERROR, hr, "client shutting down");
    return S_OK;
}

HRESULT rtcpm_rtc_registration_stop(struct rtc_client *client, struct rtc_profile *profile)
{
    RTC_REGISTRATION_STATE state;

    EnterCriticalSection(&profile->cs);
    if (!profile->enabled || profile->client != client)
    {
        LeaveCriticalSection(&profile->cs);
        return E_INVALIDARG;
    }
    if (profile->disable_requested)
    {
        LeaveCriticalSection(&profile->cs);
        return S_OK; /* already on its way */
    }
    profile->disable_requested = 1;
    state = profile->state;
    LeaveCriticalSection(&profile->cs);
    rtcpm_rtc_client_busy(client, +1); /* until disable_done */
    if (state == RTCRS_REGISTERING || state == RTCRS_REGISTERED)
        rtcpm_rtc_profile_report(profile, client, RTCRS_UNREGISTERING, S_OK, "");
    return post(client, profile, REG_JOB_DISABLE, NULL);
}

void rtcpm_rtc_registration_abort(struct rtc_client *client, struct rtc_profile *profile)
{
    (void)client;
    if (!profile->client) return;
    registration_end(profile);
    rtcpm_rtc_profile_set_state(profile, RTCRS_NOT_REGISTERED);
    /* the teardown has cleared the client's count: nothing to give back */
    profile->reg_busy = 0;
    EnterCriticalSection(&profile->cs);
    profile->disable_requested = 0;
    LeaveCriticalSection(&profile->cs);
    disable_done(profile, 0, S_OK, NULL);
}
