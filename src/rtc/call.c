/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * call.c — a session's outgoing call, as RTC 1.5 places it:
 *
 *   AddParticipant (application thread): session INPROGRESS, participant PENDING; job posted.
 *   worker: next hop resolved (the profile's proxy, else the callee's host, RFC 3263) -> the
 *     session's port manager, else the profile's, asked GetMappingEx for RTCPT_SIP (next hop,
 *     its port, transport), RTCPT_AUDIO_RTP and RTCPT_AUDIO_RTCP (UDP, remote port 0: not
 *     known before the answer) -> RTP/RTCP sockets bound to the INTERNAL ports -> the SDP
 *     offer with the EXTERNAL ones -> INVITE from the internal SIP port (Contact, Via:
 *     external); participant INPROGRESS.
 *   engine thread -> job: 180 -> participant ALERTING; 2xx -> UpdateRemoteAddressEx2 with the
 *     answer's media address for RTP and RTCP, media starts, session + participant CONNECTED;
 *     the end (refusal 3xx-6xx, BYE either way, CANCEL, timeout) -> media stops, every
 *     mapping released (ReleaseMappingEx), session + participant DISCONNECTED with the code.
 *
 * A port manager that fails -> DISCONNECTED with its HRESULT, nothing sent. No port manager:
 * local addresses (the route's source towards the next hop; the OS picks the SIP port; an
 * even RTP port and the next one). The call's fields are touched only on the worker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rtc/rtc_private.h"
#include "rtc/call_private.h"
#include "rtc/rtc_net.h"
#include "media/media_sdp.h"
#include "media/media_stream.h"
#include "os/os_platform.h"
#include "sip/sip_agent.h"
#include "sip/sip_msg.h"
#include "sip/sip_text.h"
#include "sip/provision.h"

enum call_job_kind
{
    CALL_JOB_START,
    CALL_JOB_TERMINATE,
    CALL_JOB_EVENT,
    CALL_JOB_ANSWER
};

struct call_job
{
    struct rtc_job job;
    enum call_job_kind kind;
    struct rtc_session *session; /* referenced */
    rtcpm_sip_call *sip;
    struct rtcpm_sip_call_event ev; /* strings point into the copies below */
    char reason[128];
    char *body;
    RTC_TERMINATE_REASON terminate; /* CALL_JOB_TERMINATE */
};

static void call_job_run(struct rtc_job *job);

static struct call_job *job_new(struct rtc_session *session, enum call_job_kind kind)
{
    struct call_job *j = calloc(1, sizeof(*j));
    if (!j) return NULL;
    j->job.run = call_job_run;
    j->kind = kind;
    j->session = session;
    IRTCSession_AddRef(&session->IRTCSession_iface);
    return j;
}

static void job_free(struct call_job *j)
{
    IRTCSession_Release(&j->session->IRTCSession_iface);
    free(j->body);
    free(j);
}

static HRESULT job_post(struct call_job *j)
{
    HRESULT hr;
    if (!j) return E_OUTOFMEMORY;
    if (FAILED(hr = rtcpm_rtc_client_post_job(j->session->client, &j->job))) job_free(j);
    return hr;
}

/* The engine's thread: a copy to the worker. */
static void call_callback(void *ctx, rtcpm_sip_call *sip, const struct rtcpm_sip_call_event *ev)
{
    struct call_job *j = job_new(ctx, CALL_JOB_EVENT);

    if (!j) return;
    j->sip = sip;
    j->ev = *ev;
    snprintf(j->reason, sizeof(j->reason), "%s", ev->reason ? ev->reason : "");
    j->ev.reason = j->reason;
    j->ev.content_type = NULL;
    j->ev.body = NULL;
    if (ev->body && (j->body = malloc(ev->body_len + 1)))
    {
        memcpy(j->body, ev->body, ev->body_len);
        j->body[ev->body_len] = 0;
        j->ev.body = j->body;
    }
    job_post(j);
}

/* ---- the end of a call ------------------------------------------------------------------------ */

static void call_release_resources(struct rtc_call *call)
{
    HRESULT hr;

    rtcpm_media_stream_destroy(call->media); /* RTCP BYE when it ran */
    call->media = NULL;
    if (call->sip)
    {
        rtcpm_sip_call_release(call->sip);
        call->sip = NULL;
    }
    if (call->mapping.count || call->mapping.pm)
    {
        hr = rtcpm_driver_set_release(&call->mapping);
        RTC_TRACE("call %p: mappings released -> %#lx", (void *)call, (unsigned long)hr);
    }
}

/* Everything goes, DISCONNECTED is reported with status, the client stops counting it. */
void rtcpm_rtc_call_over(struct rtc_session *session, HRESULT status, const char *text)
{
    struct rtc_call *call = session->call;
    struct rtc_client *client = session->client;
    int counted;

    call_release_resources(call);
    if (call->over) return;
    call->over = 1;
    rtcpm_rtc_participant_report(call->participant, client, RTCPS_DISCONNECTED, status);
    rtcpm_rtc_session_report(session, RTCSS_DISCONNECTED, status, text);
    EnterCriticalSection(&client->cs);
    counted = rtcpm_rtc_list_remove(&client->active, (IUnknown *)&session->IRTCSession_iface);
    LeaveCriticalSection(&client->cs);
    if (!counted) return; /* the teardown took the list */
    IRTCSession_Release(&session->IRTCSession_iface);
    rtcpm_rtc_client_busy(client, -1);
}

/* ---- placing the call --------------------------------------------------------------------- */

struct call_plan
{
    char *target;    /* Request-URI / To */
    char *local_uri; /* From */
    char *display;   /* From's display name */
    char *account, *password, *realm;
    LONG transport;
    rtcpm_addr next_hop;
    struct host_pm_ref *pm; /* referenced; NULL = none */
};

static void plan_free(struct call_plan *p)
{
    free(p->target);
    free(p->local_uri);
    free(p->display);
    free(p->account);
    if (p->password) SecureZeroMemory(p->password, strlen(p->password));
    free(p->password);
    free(p->realm);
    rtcpm_host_pm_ref_release(p->pm);
}

/* "bob@host" -> "sip:bob@host"; a sip:/sips: URI as it is. */
static char *target_uri(const char *address)
{
    size_t n = strlen(address) + 5;
    char *uri;

    if (!strncmp(address, "sip:", 4) || !strncmp(address, "sips:", 5)) return _strdup(address);
    if (!_strnicmp(address, "tel:", 4)) return NULL; /* AddParticipant refused it already (E_NOTIMPL) */
    if ((uri = malloc(n))) snprintf(uri, n, "sip:%s", address);
    return uri;
}

static char *dup_or_null(const char *s) { return s ? _strdup(s) : NULL; }

/* Who calls whom through where, from the session, its profile and the client. */
static HRESULT plan_identity(struct rtc_session *session, struct call_plan *p)
{
    struct rtc_profile *profile = session->profile;
    char *address = rtcpm_rtc_participant_uri(session->call->participant);

    p->target = address ? target_uri(address) : NULL;
    free(address);
    if (!p->target) return RTC_E_INVALID_SIP_URL;
    p->transport = RTCTR_UDP;
    if (profile)
    {
        EnterCriticalSection(&profile->cs);
        p->local_uri = dup_or_null(profile->user_uri ? profile->user_uri : profile->prov->user_uri);
        p->display = dup_or_null(profile->prov->user_name);
        p->account = dup_or_null(profile->account ? profile->account : profile->prov->user_account);
        p->password = dup_or_null(profile->password ? profile->password : profile->prov->user_password);
        p->realm = dup_or_null(profile->realm ? profile->realm : profile->prov->user_realm);
        LeaveCriticalSection(&profile->cs);
    }
    else
    {
        EnterCriticalSection(&session->client->cs);
        if (SysStringLen(session->client->local_uri)) p->local_uri = rtcpm_rtc_strdup_bstr(session->client->local_uri);
        if (SysStringLen(session->client->local_name)) p->display = rtcpm_rtc_strdup_bstr(session->client->local_name);
        LeaveCriticalSection(&session->client->cs);
    }
    if (!p->local_uri && !(p->local_uri = _strdup("sip:anonymous@anonymous.invalid"))) return E_OUTOFMEMORY;
    return S_OK;
}

static HRESULT plan_route(struct rtc_session *session, struct call_plan *p)
{
    const struct rtcpm_provision_server *proxy = session->profile ? session->profile->prov->proxy : NULL;
    HRESULT hr;

    if (proxy)
    {
        p->transport = proxy->transport;
        if (p->transport == RTCTR_TLS) return RTC_E_SIP_TRANSPORT_NOT_SUPPORTED;
        hr = rtcpm_rtc_resolve_server(proxy, &p->next_hop);
    }
    else
        hr = rtcpm_rtc_resolve_uri(p->target, p->transport, &p->next_hop);
    if (FAILED(hr)) return hr;
    p->pm = rtcpm_rtc_session_pm(session); /* its own, else its profile's */
    return S_OK;
}

/* SIP, RTP, RTCP mappings (or local addresses) and the bound media sockets. */
static HRESULT plan_ports(struct rtc_call *call, struct call_plan *p, rtcpm_addr sip[2], rtcpm_addr rtp[2],
                          rtcpm_addr rtcp[2])
{
    struct driver_request req[3];
    char remote[RTCPM_ADDR_TEXT_SIZE];
    HRESULT hr;
    int i;

    if (!p->pm)
    {
        if (FAILED(hr = rtcpm_rtc_route_local(&p->next_hop, &sip[0]))) return hr;
        memset(&sip[1], 0, sizeof(sip[1])); /* external = the bound address */
        if (FAILED(hr = rtcpm_rtc_call_media_open(call, &sip[0], NULL))) return hr;
        rtcpm_media_stream_local(call->media, &rtp[0], &rtcp[0]);
        rtp[1] = rtp[0];
        rtcp[1] = rtcp[0];
        return S_OK;
    }
    rtcpm_addr_format(&p->next_hop, remote, sizeof(remote));
    memset(req, 0, sizeof(req));
    for (i = 0; i < 3; i++)
    {
        req[i].remote = remote;
        req[i].transport = RTCTR_UDP;
    }
    req[0].type = RTCPT_SIP;
    req[0].transport = p->transport;
    req[0].remote_port = p->next_hop.port;
    req[1].type = RTCPT_AUDIO_RTP;
    req[2].type = RTCPT_AUDIO_RTCP;
    if (FAILED(hr = rtcpm_rtc_acquire(&call->mapping, p->pm, req, 3))) return hr;
    for (i = 0; i < 3; i++)
    {
        rtcpm_addr *pair = i == 0 ? sip : i == 1 ? rtp : rtcp;
        pair[0] = call->mapping.map[i].internal;
        pair[1] = call->mapping.map[i].external;
    }
    return rtcpm_rtc_call_media_open(call, &rtp[0], &rtcp[0]);
}

static HRESULT invite(struct rtc_session *session, struct call_plan *p, const rtcpm_addr sip[2],
                      const rtcpm_addr rtp[2], const rtcpm_addr rtcp[2])
{
    struct rtcpm_sip_call_params params;
    struct sip_text_sdp sdp;
    ULONGLONG id = rtcpm_clock_epoch_s();
    char offer[1024];
    HRESULT hr;

    memset(&sdp, 0, sizeof(sdp));
    sdp.user = "-";
    sdp.session_id = sdp.session_version = id;
    sdp.origin = sip[1].family != RTCPM_AF_NONE ? &sip[1] : &sip[0];
    sdp.audio_rtp = &rtp[1];
    sdp.audio_rtcp = &rtcp[1];
    if (FAILED(hr = rtcpm_sip_text_sdp_offer(&sdp, offer, sizeof(offer), NULL))) return RTC_E_SDP_FAILED_TO_BUILD;
    memset(&params, 0, sizeof(params));
    params.flow.transport = p->transport;
    params.flow.local = sip[0];
    params.flow.external = sip[1];
    params.flow.next_hop = p->next_hop;
    params.local_uri = p->local_uri;
    params.display_name = p->display;
    params.remote_uri = p->target;
    params.cred.username = p->account;
    params.cred.password = p->password;
    params.cred.realm = p->realm;
    params.body = offer;
    EnterCriticalSection(&session->client->cs);
    hr = session->client->agent ? S_OK : RTC_E_CLIENT_ALREADY_SHUT_DOWN;
    if (SUCCEEDED(hr))
        hr = rtcpm_sip_call_start(session->client->agent, &params, call_callback, session, &session->call->sip);
    LeaveCriticalSection(&session->client->cs);
    return hr;
}

static void job_start(struct rtc_session *session)
{
    struct rtc_call *call = session->call;
    rtcpm_addr sip[2], rtp[2], rtcp[2];
    struct call_plan plan;
    HRESULT hr;

    memset(&plan, 0, sizeof(plan));
    hr = plan_identity(session, &plan);
    if (SUCCEEDED(hr)) hr = plan_route(session, &plan);
    if (SUCCEEDED(hr)) hr = plan_ports(call, &plan, sip, rtp, rtcp);
    if (SUCCEEDED(hr)) hr = invite(session, &plan, sip, rtp, rtcp);
    plan_free(&plan);
    if (FAILED(hr))
    {
        RTC_TRACE("session %p: call failed before sending: %#lx", (void *)session, (unsigned long)hr);
        rtcpm_rtc_call_over(session, hr, "the call failed before anything was sent");
        return;
    }
    rtcpm_rtc_participant_report(call->participant, session->client, RTCPS_INPROGRESS, S_OK);
}

static void call_connected(struct rtc_session *session, const struct rtcpm_sip_call_event *ev)
{
    struct rtc_call *call = session->call;
    char rtp_text[RTCPM_ADDR_TEXT_SIZE], rtcp_text[RTCPM_ADDR_TEXT_SIZE];
    struct rtcpm_media_codecs codecs;
    rtcpm_addr rtp, rtcp;
    HRESULT hr;

    if (!ev->body || rtcpm_sip_msg_parse_sdp_audio(ev->body, strlen(ev->body), &rtp, &rtcp) < 0)
    {
        /* no audio stream we can send to: end the call we just got */
        RTC_TRACE("session %p: answer without a usable audio stream", (void *)session);
        call->no_media = 1; /* the DISCONNECTED carries RTC_E_SDP_NO_MEDIA */
        rtcpm_sip_call_hangup(call->sip);
        return;
    }
    rtcpm_addr_format(&rtp, rtp_text, sizeof(rtp_text));
    rtcpm_addr_format(&rtcp, rtcp_text, sizeof(rtcp_text));
    if (call->mapping.count)
    {
        /* the port manager learns where media goes (RTC 1.5: UpdateRemoteAddressEx2) */
        hr = rtcpm_driver_set_update_remote(&call->mapping, RTCPT_AUDIO_RTP, rtp_text, rtp.port);
        RTC_TRACE("update RTP remote %s:%u -> %#lx", rtp_text, rtp.port, (unsigned long)hr);
        hr = rtcpm_driver_set_update_remote(&call->mapping, RTCPT_AUDIO_RTCP, rtcp_text, rtcp.port);
        RTC_TRACE("update RTCP remote %s:%u -> %#lx", rtcp_text, rtcp.port, (unsigned long)hr);
    }
    if (SUCCEEDED(rtcpm_media_sdp_negotiate(ev->body, strlen(ev->body), &codecs)))
        rtcpm_media_stream_set_codecs(call->media, &codecs);
    rtcpm_media_stream_set_remote(call->media, &rtp, &rtcp);
    hr = rtcpm_media_stream_start(call->media);
    RTC_TRACE("session %p: media to %s:%u -> %#lx", (void *)session, rtp_text, rtp.port, (unsigned long)hr);
    rtcpm_rtc_participant_report(call->participant, session->client, RTCPS_CONNECTED, ev->hr);
    rtcpm_rtc_session_report(session, RTCSS_CONNECTED, ev->hr, ev->reason);
}

void rtcpm_rtc_call_event(struct rtc_session *session, rtcpm_sip_call *sip, const struct rtcpm_sip_call_event *ev)
{
    struct rtc_call *call = session->call;

    if (!call || call->over || call->sip != sip) return; /* a call that already ended */
    switch (ev->state)
    {
    case RTCPM_SIP_CALL_PROCEEDING:
        if (ev->status_code != 180 && ev->status_code != 183) return;
        if (call->alerting) return;
        call->alerting = 1;
        rtcpm_rtc_participant_report(call->participant, session->client, RTCPS_ALERTING, ev->hr);
        return;
    case RTCPM_SIP_CALL_CONNECTED:
        if (!call->incoming)
            call_connected(session, ev);
        else
        {
            /* the ACK of our 200: media runs since Answer */
            rtcpm_rtc_participant_report(call->participant, session->client, RTCPS_CONNECTED, S_OK);
            rtcpm_rtc_session_report(session, RTCSS_CONNECTED, S_OK, ev->reason);
        }
        return;
    case RTCPM_SIP_CALL_DISCONNECTING:
        rtcpm_rtc_participant_report(call->participant, session->client, RTCPS_DISCONNECTING, S_OK);
        return;
    case RTCPM_SIP_CALL_DISCONNECTED:
        rtcpm_rtc_call_over(session, call->no_media ? RTC_E_SDP_NO_MEDIA : ev->hr, ev->reason);
        return;
    default: return; /* INPROGRESS: reported when the INVITE went out */
    }
}

/* Terminate of an incoming call not answered yet: the refusal RTC's reasons stand for. */
static int reject_code(RTC_TERMINATE_REASON reason)
{
    switch (reason)
    {
    case RTCTR_REJECT: return 603;
    case RTCTR_BUSY: return 486;
    case RTCTR_NOT_SUPPORTED: return 488;
    default: return 480; /* RTCTR_DND, NORMAL, ...: temporarily unavailable */
    }
}

static void call_job_run(struct rtc_job *job)
{
    struct call_job *j = CONTAINING_RECORD(job, struct call_job, job);
    struct rtc_call *call = j->session->call;

    switch (j->kind)
    {
    case CALL_JOB_START: job_start(j->session); break;
    case CALL_JOB_TERMINATE:
        /* no engine call (it failed before sending, or is over): nothing to end */
        if (!call || !call->sip || call->over) break;
        if (call->incoming && !call->answered)
            rtcpm_sip_call_reject(call->sip, reject_code(j->terminate), NULL);
        else
            rtcpm_sip_call_hangup(call->sip);
        break;
    case CALL_JOB_EVENT: rtcpm_rtc_call_event(j->session, j->sip, &j->ev); break;
    case CALL_JOB_ANSWER: rtcpm_rtc_call_answer_on_worker(j->session); break;
    }
    job_free(j);
}

/* ---- the application's side ------------------------------------------------------------------ */

HRESULT rtcpm_rtc_call_start(struct rtc_session *session, IRTCParticipant *participant)
{
    struct rtc_client *client = session->client;
    struct rtc_call *call;
    HRESULT hr;

    if (!(call = calloc(1, sizeof(*call)))) return E_OUTOFMEMORY;
    call->participant = participant;
    call->client = session->client;
    IRTCParticipant_AddRef(participant);
    EnterCriticalSection(&client->cs);
    hr = rtcpm_rtc_client_check_running(client);
    if (SUCCEEDED(hr)) hr = rtcpm_rtc_list_add(&client->active, (IUnknown *)&session->IRTCSession_iface);
    if (SUCCEEDED(hr)) client->busy++;
    LeaveCriticalSection(&client->cs);
    if (FAILED(hr))
    {
        rtcpm_rtc_call_free(call);
        return hr;
    }
    session->call = call;
    rtcpm_rtc_session_report(session, RTCSS_INPROGRESS, S_OK, "");
    rtcpm_rtc_participant_report(participant, client, RTCPS_PENDING, S_OK);
    if (FAILED(hr = job_post(job_new(session, CALL_JOB_START))))
        rtcpm_rtc_call_over(session, hr, "client shutting down");
    return S_OK;
}

HRESULT rtcpm_rtc_call_terminate(struct rtc_session *session, RTC_TERMINATE_REASON reason)
{
    RTC_TRACE("session %p: Terminate(%d)", (void *)session, reason);
    struct call_job *j;
    if (!session->call) return RTC_E_INVALID_SESSION_STATE;
    if ((j = job_new(session, CALL_JOB_TERMINATE))) j->terminate = reason;
    return job_post(j);
}

HRESULT rtcpm_rtc_call_answer(struct rtc_session *session) { return job_post(job_new(session, CALL_JOB_ANSWER)); }

void rtcpm_rtc_call_abort(struct rtc_session *session)
{
    if (session->call) rtcpm_rtc_call_over(session, RTC_E_CLIENT_ALREADY_SHUT_DOWN, "client shut down");
}

void rtcpm_rtc_call_free(struct rtc_call *call)
{
    if (!call) return;
    call_release_resources(call);
    IRTCParticipant_Release(call->participant);
    free(call->offer);
    free(call);
}
