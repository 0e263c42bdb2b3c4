/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sdp_offer.h — the SDP offer rtcpm's host writes (src/sip/sip_text.c), piece by piece, for
 * tests that compare one exactly:
 *
 *   SDP_HEAD("alice 1 1", "IP4 198.51.100.7")                v=, o=, s=, c=, t=
 *   SDP_AUDIO("40000", "40001 IN IP4 198.51.100.7")           m=audio ... a=rtcp:
 *   SDP_VIDEO("40002", "40003 IN IP4 198.51.100.7")           m=video ... a=rtcp:
 *
 * `origin` is "<user> <session id> <version>", `net` the address type and address of o= and
 * c=, a port the RTP port of the m= line, `rtcp` what follows a=rtcp:.
 */
#ifndef RTCPM_TESTS_SDP_OFFER_H
#define RTCPM_TESTS_SDP_OFFER_H

#define SDP_HEAD(origin, net) "v=0\r\no=" origin " IN " net "\r\ns=-\r\nc=IN " net "\r\nt=0 0\r\n"

#define SDP_AUDIO(port, rtcp)                                                                                          \
    "m=audio " port " RTP/AVP 0 8 101\r\n"                                                                             \
    "a=rtpmap:0 PCMU/8000\r\n"                                                                                         \
    "a=rtpmap:8 PCMA/8000\r\n"                                                                                         \
    "a=rtpmap:101 telephone-event/8000\r\n"                                                                            \
    "a=fmtp:101 0-15\r\n"                                                                                              \
    "a=rtcp:" rtcp "\r\n"

#define SDP_VIDEO(port, rtcp) "m=video " port " RTP/AVP 34\r\na=rtpmap:34 H263/90000\r\na=rtcp:" rtcp "\r\n"

#endif
