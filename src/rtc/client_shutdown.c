/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client_shutdown.c — the end of a client's life: Shutdown's teardown, run on the worker so
 * that it cannot overlap a job that is using the SIP engine or a port manager.
 */
#include <stdlib.h>
#include "rtc/client_private.h"
#include "sip/sip_agent.h"

HRESULT rtcpm_rtc_client_snapshot(struct rtc_client *client, IUnknown ***profiles, size_t *n_profiles,
                                  IUnknown ***sessions, size_t *n_sessions)
{
    size_t i;

    *profiles = calloc(client->enabled.count + 1, sizeof(**profiles));
    *sessions = calloc(client->active.count + 1, sizeof(**sessions));
    if (!*profiles || !*sessions)
    {
        free(*profiles);
        free(*sessions);
        *profiles = *sessions = NULL;
        return E_OUTOFMEMORY;
    }
    for (i = 0; i < client->enabled.count; i++)
    {
        (*profiles)[i] = client->enabled.items[i];
        IUnknown_AddRef((*profiles)[i]);
    }
    for (i = 0; i < client->active.count; i++)
    {
        (*sessions)[i] = client->active.items[i];
        IUnknown_AddRef((*sessions)[i]);
    }
    *n_profiles = client->enabled.count;
    *n_sessions = client->active.count;
    return S_OK;
}

struct teardown_job
{
    struct rtc_job job;
    struct rtc_client *client;
};

static void teardown_on_worker(struct rtc_client *client)
{
    struct rtcpm_sip_agent *agent;
    IUnknown **profiles, **sessions;
    size_t n_profiles, n_sessions, i;

    EnterCriticalSection(&client->cs);
    agent = client->agent;
    client->agent = NULL;
    rtcpm_rtc_list_take(&client->enabled, &profiles, &n_profiles);
    rtcpm_rtc_list_take(&client->active, &sessions, &n_sessions);
    client->busy = 0;
    LeaveCriticalSection(&client->cs);
    rtcpm_rtc_listen_stop_all(client);
    /* No callback runs after this, nothing more is sent. */
    rtcpm_sip_agent_stop(agent);
    for (i = 0; i < n_sessions; i++)
    {
        rtcpm_rtc_call_abort(rtc_session_from_IRTCSession((IRTCSession *)sessions[i]));
        IUnknown_Release(sessions[i]);
    }
    for (i = 0; i < n_profiles; i++)
    {
        rtcpm_rtc_registration_abort(client, rtc_profile_from_IRTCProfile2((IRTCProfile2 *)profiles[i]));
        IUnknown_Release(profiles[i]);
    }
    free(sessions);
    free(profiles);
}

static void teardown_run(struct rtc_job *job)
{
    struct teardown_job *t = CONTAINING_RECORD(job, struct teardown_job, job);
    teardown_on_worker(t->client);
    free(t);
}

void rtcpm_rtc_client_teardown(struct rtc_client *client)
{
    struct teardown_job *t = calloc(1, sizeof(*t));
    struct rtc_events *events;
    struct rtc_worker *worker;

    EnterCriticalSection(&client->cs);
    client->state = RTC_CLIENT_SHUT_DOWN;
    events = client->events;
    client->events = NULL;
    worker = client->worker;
    client->worker = NULL;
    LeaveCriticalSection(&client->cs);
    if (t)
    {
        t->job.run = teardown_run;
        t->client = client;
    }
    if (!t || !worker || FAILED(rtcpm_rtc_worker_post(worker, &t->job)))
    {
        /* no worker to run it (or no memory): this thread does it */
        free(t);
        teardown_on_worker(client);
    }
    rtcpm_rtc_worker_stop(worker);
    rtcpm_rtc_events_destroy(events);
}
