/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * call_in.c — incoming sessions, as RTC 1.5 offers them:
 *
 *   put_ListenForIncomingSessions(RTCLM_DYNAMIC | RTCLM_BOTH): the worker listens (SIP engine
 *     listeners, UDP) on every IRTCClientPortManagement::StartListenAddressAndPort address,
 *     and every registration started from then on listens on its own SIP flow (the port
 *     manager's SIP mapping: the socket the registrar knows as Contact).
 *   engine: INVITE -> 180 -> job: an offer without a usable audio stream -> 488; answer mode
 *     RTCAM_AUTOMATICALLY_REJECT -> 603, RTCAM_NOT_SUPPORTED -> 488; otherwise a new session
 *     (RTCST_PC_TO_PC) with the caller as participant, RTCSS_INCOMING / RTCPS_INCOMING
 *     reported; RTCAM_AUTOMATICALLY_ACCEPT answers at once. A call that came on a
 *     registration's socket belongs to that profile (get_Profile); one on a listen address
 *     to none.
 *   Answer (session ANSWERING): the session's port manager, else its profile's (as outgoing
 *     calls), asked GetMappingEx for RTCPT_AUDIO_RTP / RTCPT_AUDIO_RTCP towards the caller's
 *     media address (none: local addresses), media bound to the INTERNAL ports, 200 with the
 *     SDP answer announcing the EXTERNAL ones, media started; the ACK -> RTCSS_CONNECTED.
 *   Terminate before Answer: 603 / 486 / 480 (call.c); the caller's CANCEL -> DISCONNECTED.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rtc/rtc_private.h"
#include "rtc/call_private.h"
#include "rtc/rtc_net.h"
#include "media/media_sdp.h"
#include "os/os_platform.h"
#include "sip/sip_msg.h"

enum in_job_kind
{
    IN_JOB_LISTEN,
    IN_JOB_EVENT
};

struct in_job
{
    struct rtc_job job;
    enum in_job_kind kind;
    struct rtc_client *client; /* referenced */
    rtcpm_sip_call *sip;
    struct rtcpm_sip_call_event ev;
    char reason[128];
    char *body, *remote_uri, *remote_display;
};

static void in_job_run(struct rtc_job *job);

static struct in_job *in_job_new(struct rtc_client *client, enum in_job_kind kind)
{
    struct in_job *j = calloc(1, sizeof(*j));
    if (!j) return NULL;
    j->job.run = in_job_run;
    j->kind = kind;
    j->client = client;
    IRTCClient2_AddRef(&client->IRTCClient2_iface);
    return j;
}

static void in_job_free(struct in_job *j)
{
    IRTCClient2_Release(&j->client->IRTCClient2_iface);
    free(j->body);
    free(j->remote_uri);
    free(j->remote_display);
    free(j);
}

static char *dup_or_empty(const char *s) { return _strdup(s ? s : ""); }

/* The engine's thread: a copy of an incoming call's event to the worker. */
static void listener_callback(void *ctx, rtcpm_sip_call *sip, const struct rtcpm_sip_call_event *ev)
{
    struct in_job *j = in_job_new(ctx, IN_JOB_EVENT);

    if (j)
    {
        j->sip = sip;
        j->ev = *ev;
        snprintf(j->reason, sizeof(j->reason), "%s", ev->reason ? ev->reason : "");
        j->ev.reason = j->reason;
        j->ev.content_type = NULL;
        j->remote_uri = dup_or_empty(ev->remote_uri);
        j->remote_display = dup_or_empty(ev->remote_display);
        j->body = ev->body ? dup_or_empty(ev->body) : NULL;
        j->ev.body = j->body;
        j->ev.remote_uri = j->remote_uri;
        j->ev.remote_display = j->remote_display;
        if (SUCCEEDED(rtcpm_rtc_client_post_job(ctx, &j->job))) return;
        in_job_free(j);
    }
    if (ev->state == RTCPM_SIP_CALL_INCOMING)
    {
        rtcpm_sip_call_reject(sip, 480, NULL); /* nobody to take it */
        rtcpm_sip_call_release(sip);
    }
}

/* ---- listening ----------------------------------------------------------------------------- */

static void local_uri_of(struct rtc_client *client, char *buf, size_t cap)
{
    char *uri = NULL;
    EnterCriticalSection(&client->cs);
    if (SysStringLen(client->local_uri)) uri = rtcpm_rtc_strdup_bstr(client->local_uri);
    LeaveCriticalSection(&client->cs);
    snprintf(buf, cap, "%s", uri && !strncmp(uri, "sip:", 4) ? uri : "sip:rtcpm@invalid");
    free(uri);
}

struct rtcpm_sip_listener *rtcpm_rtc_listen_flow(struct rtc_client *client, const struct rtcpm_sip_flow *flow,
                                                 const char *local_uri)
{
    struct rtcpm_sip_listen_params lp;
    rtcpm_sip_listener *l = NULL;
    HRESULT hr;

    EnterCriticalSection(&client->cs);
    hr = client->prefs.listen != RTCLM_NONE && client->agent ? S_OK : S_FALSE;
    if (hr == S_OK)
    {
        memset(&lp, 0, sizeof(lp));
        lp.flow = *flow;
        lp.local_uri = local_uri;
        hr = rtcpm_sip_listen_start(client->agent, &lp, listener_callback, client, &l);
    }
    LeaveCriticalSection(&client->cs);
    RTC_TRACE("listen on a flow -> %#lx", (unsigned long)hr);
    return l;
}

void rtcpm_rtc_listen_stop_all(struct rtc_client *client)
{
    while (client->n_listeners > 0) rtcpm_sip_listen_stop(client->listeners[--client->n_listeners]);
}

/* Worker: the listeners StartListenAddressAndPort asked for, when the client listens. */
static void listen_job(struct rtc_client *client)
{
    struct rtcpm_sip_flow flow;
    char address[RTCPM_ADDR_TEXT_SIZE], uri[256];
    LONG i, port;
    rtcpm_sip_listener *l;

    rtcpm_rtc_listen_stop_all(client);
    local_uri_of(client, uri, sizeof(uri));
    for (i = 0; client->n_listeners < (int)(sizeof(client->listeners) / sizeof(client->listeners[0])); i++)
    {
        if (rtcpm_host_client_get_listen(client->host, i, address, sizeof(address), &port) != S_OK) break;
        memset(&flow, 0, sizeof(flow));
        flow.transport = RTCTR_UDP;
        if (rtcpm_addr_parse(address, strlen(address), &flow.local) != 0) continue;
        flow.local.port = (uint16_t)port;
        if ((l = rtcpm_rtc_listen_flow(client, &flow, uri))) client->listeners[client->n_listeners++] = l;
        RTC_TRACE("listen on %s:%ld -> %s", address, (long)port, l ? "ok" : "failed");
    }
}

HRESULT rtcpm_rtc_listen_update(struct rtc_client *client)
{
    struct in_job *j = in_job_new(client, IN_JOB_LISTEN);
    HRESULT hr;
    if (!j) return E_OUTOFMEMORY;
    if (FAILED(hr = rtcpm_rtc_client_post_job(client, &j->job))) in_job_free(j);
    return hr;
}

/* ---- a new incoming call ------------------------------------------------------------------ */

static HRESULT make_participant(struct rtc_session *session, const struct in_job *j, IRTCParticipant **out)
{
    BSTR uri = NULL, name = NULL;
    HRESULT hr = rtcpm_rtc_bstr_out(j->remote_uri, &uri);
    if (SUCCEEDED(hr)) hr = rtcpm_rtc_bstr_out(j->remote_display, &name);
    if (SUCCEEDED(hr)) hr = rtcpm_rtc_participant_create(session, uri, name, out);
    SysFreeString(uri);
    SysFreeString(name);
    if (FAILED(hr)) return hr;
    EnterCriticalSection(&session->cs);
    hr = rtcpm_rtc_list_add(&session->participants, (IUnknown *)*out);
    LeaveCriticalSection(&session->cs);
    return hr;
}

/* The enabled profile whose registration's listener took the call (the engine hands an INVITE
 * to the listener of the socket it arrived on: the call's socket is that listener's), referenced;
 * NULL for a call on a StartListenAddressAndPort address. Worker only (profile->listener). */
static struct rtc_profile *profile_of(struct rtc_client *client, rtcpm_sip_call *sip)
{
    struct rtc_profile *found = NULL, *p;
    rtcpm_addr bound, contact, l_bound, l_contact;
    size_t i;

    if (FAILED(rtcpm_sip_call_local_addr(sip, &bound, &contact))) return NULL;
    EnterCriticalSection(&client->cs);
    for (i = 0; i < client->enabled.count && !found; i++)
    {
        p = rtc_profile_from_IRTCProfile2((IRTCProfile2 *)client->enabled.items[i]);
        if (p->listener && SUCCEEDED(rtcpm_sip_listen_local_addr(p->listener, &l_bound, &l_contact)) &&
            rtcpm_addr_equal(&l_bound, &bound))
            found = p;
    }
    if (found) IRTCProfile2_AddRef(&found->IRTCProfile2_iface);
    LeaveCriticalSection(&client->cs);
    return found;
}

/* The session for the call (of the profile whose registration took it), counted as active. */
static HRESULT make_session(struct in_job *j, struct rtc_session **out)
{
    struct rtc_client *client = j->client;
    struct rtc_profile *profile = profile_of(client, j->sip);
    IRTCParticipant *participant = NULL;
    IRTCSession *iface;
    struct rtc_session *session;
    struct rtc_call *call;
    HRESULT hr;

    hr = rtcpm_rtc_session_create(client, RTCST_PC_TO_PC, NULL, profile, &iface);
    RTC_TRACE("incoming call on profile %p", (void *)profile);
    if (profile) IRTCProfile2_Release(&profile->IRTCProfile2_iface);
    if (FAILED(hr)) return hr;
    session = rtc_session_from_IRTCSession(iface);
    if (SUCCEEDED(hr = make_participant(session, j, &participant)) && !(call = calloc(1, sizeof(*call))))
        hr = E_OUTOFMEMORY;
    if (SUCCEEDED(hr))
    {
        call->participant = participant;
        call->client = client;
        call->sip = j->sip;
        call->incoming = 1;
        call->offer = j->body;
        j->body = NULL;
        session->call = call;
        EnterCriticalSection(&client->cs);
        hr = rtcpm_rtc_client_check_running(client);
        if (SUCCEEDED(hr)) hr = rtcpm_rtc_list_add(&client->active, (IUnknown *)iface);
        if (SUCCEEDED(hr)) client->busy++;
        LeaveCriticalSection(&client->cs);
        if (FAILED(hr)) session->call = NULL, call->sip = NULL, rtcpm_rtc_call_free(call);
    }
    else if (participant)
        IRTCParticipant_Release(participant);
    if (FAILED(hr))
    {
        IRTCSession_Release(iface);
        return hr;
    }
    *out = session;
    return S_OK;
}

/* The refusal the answer mode stands for, 0 to offer the session. */
static int mode_refusal(RTC_ANSWER_MODE mode)
{
    return mode == RTCAM_AUTOMATICALLY_REJECT ? 603 : mode == RTCAM_NOT_SUPPORTED ? 488 : 0;
}

static void incoming_new(struct in_job *j)
{
    struct rtc_client *client = j->client;
    struct rtc_session *session;
    struct rtcpm_media_codecs codecs;
    rtcpm_addr rtp, rtcp;
    RTC_ANSWER_MODE mode;
    int refuse;

    EnterCriticalSection(&client->cs);
    mode = client->prefs.answer[RTCST_PC_TO_PC];
    refuse = client->prefs.listen == RTCLM_NONE ? 480 : mode_refusal(mode);
    LeaveCriticalSection(&client->cs);
    if (!refuse && (!j->body || rtcpm_sip_msg_parse_sdp_audio(j->body, strlen(j->body), &rtp, &rtcp) < 0 ||
                    FAILED(rtcpm_media_sdp_negotiate(j->body, strlen(j->body), &codecs))))
        refuse = 488; /* nothing we can receive: RFC 3261 21.4.26 Not Acceptable Here */
    if (!refuse && FAILED(make_session(j, &session))) refuse = 480;
    RTC_TRACE("incoming call from %s: %s%d", j->remote_uri, refuse ? "refused " : "offered, mode ",
              refuse ? refuse : (int)mode);
    if (refuse)
    {
        rtcpm_sip_call_reject(j->sip, refuse, NULL);
        rtcpm_sip_call_release(j->sip);
        return;
    }
    rtcpm_rtc_session_report(session, RTCSS_INCOMING, S_OK, "");
    rtcpm_rtc_participant_report(session->call->participant, client, RTCPS_INCOMING, S_OK);
    if (mode == RTCAM_AUTOMATICALLY_ACCEPT)
    {
        rtcpm_rtc_session_report(session, RTCSS_ANSWERING, S_OK, "");
        rtcpm_rtc_call_answer_on_worker(session);
    }
    IRTCSession_Release(&session->IRTCSession_iface); /* the active list keeps it */
}

/* The session whose call is sip (referenced), NULL when none is. */
static struct rtc_session *session_of(struct rtc_client *client, rtcpm_sip_call *sip)
{
    struct rtc_session *found = NULL, *s;
    size_t i;
    EnterCriticalSection(&client->cs);
    for (i = 0; i < client->active.count && !found; i++)
    {
        s = rtc_session_from_IRTCSession((IRTCSession *)client->active.items[i]);
        if (s->call && s->call->sip == sip) found = s;
    }
    if (found) IRTCSession_AddRef(&found->IRTCSession_iface);
    LeaveCriticalSection(&client->cs);
    return found;
}

static void in_job_run(struct rtc_job *job)
{
    struct in_job *j = CONTAINING_RECORD(job, struct in_job, job);
    struct rtc_session *session;

    if (j->kind == IN_JOB_LISTEN)
        listen_job(j->client);
    else if (j->ev.state == RTCPM_SIP_CALL_INCOMING)
        incoming_new(j);
    else if ((session = session_of(j->client, j->sip)))
    {
        rtcpm_rtc_call_event(session, j->sip, &j->ev);
        IRTCSession_Release(&session->IRTCSession_iface);
    }
    in_job_free(j);
}

/* ---- Answer ------------------------------------------------------------------------------- */

/* RTP/RTCP: the session's port manager's mappings towards the caller's media, else its
 * profile's, else local addresses; the media stream bound to the internal ones. ext[0..1]:
 * what to announce. */
static HRESULT answer_ports(struct rtc_session *session, const rtcpm_addr *rtp, const rtcpm_addr *rtcp,
                            rtcpm_addr ext[2])
{
    struct rtc_call *call = session->call;
    struct driver_request req[2];
    char remote[2][RTCPM_ADDR_TEXT_SIZE];
    struct host_pm_ref *pm;
    rtcpm_addr local;
    HRESULT hr;

    pm = rtcpm_rtc_session_pm(session);
    if (!pm)
    {
        if (FAILED(hr = rtcpm_rtc_route_local(rtp, &local))) return hr;
        if (FAILED(hr = rtcpm_rtc_call_media_open(call, &local, NULL))) return hr;
        return rtcpm_media_stream_local(call->media, &ext[0], &ext[1]);
    }
    memset(req, 0, sizeof(req));
    rtcpm_addr_format(rtp, remote[0], sizeof(remote[0]));
    rtcpm_addr_format(rtcp, remote[1], sizeof(remote[1]));
    req[0].type = RTCPT_AUDIO_RTP;
    req[1].type = RTCPT_AUDIO_RTCP;
    req[0].transport = req[1].transport = RTCTR_UDP;
    req[0].remote = remote[0];
    req[1].remote = remote[1];
    req[0].remote_port = rtp->port;
    req[1].remote_port = rtcp->port;
    hr = rtcpm_rtc_acquire(&call->mapping, pm, req, 2);
    rtcpm_host_pm_ref_release(pm);
    if (FAILED(hr)) return hr;
    ext[0] = call->mapping.map[0].external;
    ext[1] = call->mapping.map[1].external;
    return rtcpm_rtc_call_media_open(call, &call->mapping.map[0].internal, &call->mapping.map[1].internal);
}

/* Our SDP: session lines with the external RTP address, media's answer lines, a=rtcp. */
static HRESULT answer_sdp(const struct rtcpm_media_codecs *codecs, const rtcpm_addr ext[2], char *buf, size_t cap)
{
    char ip[RTCPM_ADDR_TEXT_SIZE];
    rtcpm_addr same_ip;
    const char *fam = ext[0].family == RTCPM_AF_INET6 ? "IP6" : "IP4";
    ULONGLONG id = rtcpm_clock_epoch_s();
    int n;

    rtcpm_addr_format(&ext[0], ip, sizeof(ip));
    n = snprintf(buf, cap, "v=0\r\no=- %llu %llu IN %s %s\r\ns=-\r\nc=IN %s %s\r\nt=0 0\r\n", (unsigned long long)id,
                 (unsigned long long)id, fam, ip, fam, ip);
    if (n < 0 || (size_t)n >= cap) return RTC_E_SDP_FAILED_TO_BUILD;
    if (rtcpm_media_sdp_write_answer(codecs, ext[0].port, buf + n, cap - (size_t)n) < 0)
        return RTC_E_SDP_FAILED_TO_BUILD;
    n = (int)strlen(buf);
    same_ip = ext[1];
    same_ip.port = ext[0].port;
    if (ext[1].port != ext[0].port + 1 || !rtcpm_addr_equal(&ext[0], &same_ip))
    {
        rtcpm_addr_format(&ext[1], ip, sizeof(ip));
        if (snprintf(buf + n, cap - (size_t)n, "a=rtcp:%u IN %s %s\r\n", ext[1].port, fam, ip) >= (int)(cap - n))
            return RTC_E_SDP_FAILED_TO_BUILD;
    }
    return S_OK;
}

void rtcpm_rtc_call_answer_on_worker(struct rtc_session *session)
{
    struct rtc_call *call = session->call;
    struct rtcpm_media_codecs codecs;
    rtcpm_addr rtp, rtcp, ext[2];
    char sdp[1536];
    HRESULT hr;

    if (!call || call->over || call->answered || !call->incoming) return;
    if (rtcpm_sip_msg_parse_sdp_audio(call->offer, strlen(call->offer), &rtp, &rtcp) < 0 ||
        FAILED(rtcpm_media_sdp_negotiate(call->offer, strlen(call->offer), &codecs)))
        hr = RTC_E_SDP_NO_MEDIA;
    else if (SUCCEEDED(hr = answer_ports(session, &rtp, &rtcp, ext)) &&
             SUCCEEDED(hr = answer_sdp(&codecs, ext, sdp, sizeof(sdp))))
        hr = rtcpm_sip_call_answer(call->sip, NULL, sdp);
    RTC_TRACE("session %p: answer -> %#lx", (void *)session, (unsigned long)hr);
    if (FAILED(hr))
    {
        rtcpm_sip_call_reject(call->sip, hr == RTC_E_SDP_NO_MEDIA ? 488 : 500, NULL);
        rtcpm_rtc_call_over(session, hr, "the call could not be answered");
        return;
    }
    call->answered = 1;
    rtcpm_media_stream_set_codecs(call->media, &codecs);
    rtcpm_media_stream_set_remote(call->media, &rtp, &rtcp);
    hr = rtcpm_media_stream_start(call->media);
    RTC_TRACE("session %p: media -> %#lx", (void *)session, (unsigned long)hr);
    rtcpm_rtc_participant_report(call->participant, session->client, RTCPS_ANSWERING, S_OK);
}
