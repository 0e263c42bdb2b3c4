/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtp_sender.h — the media of a call for now (issue 13 point 8): RTP (RFC 3550, payload type
 * 0, G.711 PCMU) carrying 20 ms of silence every 20 ms from the INTERNAL RTP port to the
 * answer's address, and RTCP (a sender report every 5 s, the first at once) from the
 * internal RTCP port, so that the NAT binding exists and the peer sees the external
 * address. Whatever arrives on either socket is read and dropped.
 *
 * Minimal on purpose, in one file: the media layer of the media engineer (src/media: real
 * audio devices, jitter buffer) replaces it.
 */
#ifndef RTCPM_SRC_RTC_RTP_SENDER_H
#define RTCPM_SRC_RTC_RTP_SENDER_H

#include "rtcpm/rtcpm.h"
#include "net/addr.h"

struct rtc_rtp_sender;

/* Binds the RTP and RTCP sockets (UDP). Port 0 in both: an even RTP port and the next one
 * for RTCP, chosen by trying (RFC 3550's convention). S_OK, E_OUTOFMEMORY,
 * RTC_E_INVALID_ADDRESS_LOCAL (cannot bind). */
HRESULT rtcpm_rtc_rtp_open(const rtcpm_addr *rtp_local, const rtcpm_addr *rtcp_local, struct rtc_rtp_sender **out);
/* The bound addresses (real ports). */
void rtcpm_rtc_rtp_local(struct rtc_rtp_sender *s, rtcpm_addr *rtp, rtcpm_addr *rtcp);
/* Starts the sending thread towards rtp_remote / rtcp_remote. S_OK, E_UNEXPECTED (started). */
HRESULT rtcpm_rtc_rtp_start(struct rtc_rtp_sender *s, const rtcpm_addr *rtp_remote, const rtcpm_addr *rtcp_remote);
/* Packets sent so far (tests, traces). */
unsigned long rtcpm_rtc_rtp_sent(struct rtc_rtp_sender *s);
/* Stops the thread (an RTCP BYE goes out first when it was started), closes the sockets. NULL is fine. */
void rtcpm_rtc_rtp_close(struct rtc_rtp_sender *s);

#endif /* RTCPM_SRC_RTC_RTP_SENDER_H */
