/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * media_sdp.h — codec negotiation from the audio stream of an SDP body (RFC 4566, RFC 3264):
 * which G.711 payload type to send, which telephone-event payload type (RFC 4733), which
 * directions. Addresses are not read here (src/sip parses c=/m= ports and a=rtcp).
 *
 * rtcpm offers PCMU (0), PCMA (8) and telephone-event/8000 (101). From the peer's SDP — the
 * answer to our offer, or an offer we answer — the first m=audio line counts:
 *  - audio: the first payload type of the m= line's list that is PCMU/8000 or PCMA/8000
 *    (a=rtpmap, case-insensitive, one channel; 0 and 8 without rtpmap are the static
 *    assignments of RFC 3551); the list's order is the peer's preference;
 *  - telephone-event: the first payload type mapped to telephone-event/8000, or none (-1);
 *  - direction: a=sendrecv/sendonly/recvonly/inactive of the media section, else of the
 *    session, else sendrecv — turned round (the peer's sendonly is our receive-only);
 *  - a=ptime is read into ptime_ms (rtcpm sends 20 ms packets whatever it says).
 * No audio stream, a port of 0 (stream refused), a profile other than RTP/AVP (SRTP), or no
 * common codec: RTCPM_MEDIA_E_CODECS_NO_MATCH (RTC_E_SIP_CODECS_DO_NOT_MATCH). Malformed
 * text (an m= line without port or profile, a payload type outside 0..127) is E_INVALIDARG.
 */
#ifndef RTCPM_SRC_MEDIA_MEDIA_SDP_H
#define RTCPM_SRC_MEDIA_MEDIA_SDP_H

#include <stddef.h>

#include "media/media_stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The peer's SDP (len bytes; need not be NUL-terminated) -> what to use. On failure *out is
 * rtcpm_media_config_init's default codecs. */
HRESULT rtcpm_media_sdp_negotiate(const char *sdp, size_t len, struct rtcpm_media_codecs *out);

/*
 * The audio media description of our answer for the negotiated codecs, from the m= line on:
 *   m=audio <port> RTP/AVP <audio_pt> [<dtmf_pt>]
 *   a=rtpmap:<audio_pt> PCMU/8000 (or PCMA/8000)
 *   [a=rtpmap:<dtmf_pt> telephone-event/8000 / a=fmtp:<dtmf_pt> 0-16]
 *   a=ptime:20
 *   a=sendrecv | a=sendonly | a=recvonly | a=inactive (our direction)
 * Lines end in CRLF. Returns the length written (NUL-terminated), or -1 when cap is too
 * small or the codecs are not valid (buf then holds "").
 */
int rtcpm_media_sdp_write_answer(const struct rtcpm_media_codecs *c, unsigned port, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_SRC_MEDIA_MEDIA_SDP_H */
