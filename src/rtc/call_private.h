/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * call_private.h — a session's call as call.c (outgoing, the common end) and call_in.c
 * (incoming: listeners, INCOMING, Answer) share it. Fields are touched on the worker only.
 */
#ifndef RTCPM_SRC_RTC_CALL_PRIVATE_H
#define RTCPM_SRC_RTC_CALL_PRIVATE_H

#include "rtc/rtc_private.h"
#include "media/media_stream.h"
#include "sip/sip_agent.h"

struct rtc_call
{
    IRTCParticipant *participant; /* referenced */
    struct rtc_client *client;    /* the session's (the session keeps it alive) */
    struct driver_set mapping;    /* SIP (outgoing), AUDIO_RTP, AUDIO_RTCP (port manager's) */
    rtcpm_sip_call *sip;
    rtcpm_media_stream *media; /* src/media: RTP/RTCP from the internal ports */
    int alerting;              /* ALERTING reported */
    int no_media;              /* the answer had no audio stream we can use: we hung up */
    int over;                  /* DISCONNECTED reported */
    int incoming;              /* made by an INVITE (call_in.c) */
    int answered;              /* incoming: Answer sent the 200 */
    char *offer;               /* incoming: the caller's SDP */
};

/* Everything goes, DISCONNECTED is reported with status, the client stops counting it. */
void rtcpm_rtc_call_over(struct rtc_session *session, HRESULT status, const char *text);
/* The call's media stream on the internal RTP/RTCP addresses (rtcp NULL: a pair on rtp's
 * address, ports picked by the OS). */
HRESULT rtcpm_rtc_call_media_open(struct rtc_call *call, const rtcpm_addr *rtp, const rtcpm_addr *rtcp);
/* An engine event of the session's call, on the worker. */
void rtcpm_rtc_call_event(struct rtc_session *session, rtcpm_sip_call *sip, const struct rtcpm_sip_call_event *ev);
/* call_in.c: Answer's work on the worker (mappings, media, 200 with the SDP answer). */
void rtcpm_rtc_call_answer_on_worker(struct rtc_session *session);

#endif /* RTCPM_SRC_RTC_CALL_PRIVATE_H */
