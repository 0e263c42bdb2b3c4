/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_text.h — the text RTC puts on the wire from the port manager's answers: the SIP
 * Contact header (RFC 3261) of a REGISTER or INVITE, and the SDP offer (RFC 4566,
 * RFC 3264, RFC 3605 a=rtcp) of an INVITE.
 *
 * Pure functions: no COM objects, no global state. Output is deterministic (the SDP session
 * id and version are parameters), lines end in CRLF as SIP and SDP require.
 *
 * Buffers: on success the text is NUL-terminated and *written (optional) gets its length;
 * when buflen is too small the function returns SIP_TEXT_E_BUFFER and buf holds "".
 */
#ifndef RTCPM_SRC_HOST_SIP_TEXT_H
#define RTCPM_SRC_HOST_SIP_TEXT_H

#include <stddef.h>
#include "rtcpm/rtcpm.h"
#include "net/addr.h"

/* What rtcpm_bstr_to_utf8 returns for a buffer too small too. */
#define SIP_TEXT_E_BUFFER HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER)

/* The longest user part sip_text accepts from a SIP URI. */
#define SIP_TEXT_USER_MAX 128

/*
 * Splits "sip:alice@example.com" / "sips:alice@example.com" / "sip:example.com":
 * *secure = 1 for sips, user (may be "") copied to user[SIP_TEXT_USER_MAX + 1].
 * E_INVALIDARG for another scheme, an empty host, or a character RFC 3261 does not allow in
 * a user part (this is what keeps CR, LF, '<', '>' and spaces out of the headers we write).
 */
HRESULT rtcpm_sip_text_parse_uri(const char *uri, int *secure, char *user, size_t userlen);

/*
 * "Contact: <sip:alice@198.51.100.7:45060;transport=udp>\r\n"
 * user: the user part ("" = none: "<sip:198.51.100.7:45060;...>"); contact: the external
 * address and port (IPv6 in brackets; a zone is dropped: it means nothing to the peer);
 * transport: RTCTR_UDP / RTCTR_TCP / RTCTR_TLS; secure: write a sips: URI.
 */
HRESULT rtcpm_sip_text_contact(const char *user, int secure, const rtcpm_addr *contact, LONG transport, char *buf,
                               size_t buflen, size_t *written);

struct sip_text_sdp
{
    const char *user;            /* o= username ("" = "-") */
    ULONGLONG session_id;        /* o= sess-id */
    ULONGLONG session_version;   /* o= sess-version */
    const rtcpm_addr *origin;    /* o= address: where the offer comes from (external SIP address) */
    const rtcpm_addr *audio_rtp; /* external address + port of each stream */
    const rtcpm_addr *audio_rtcp;
    const rtcpm_addr *video_rtp; /* NULL: audio only */
    const rtcpm_addr *video_rtcp;
};

/*
 * The SDP offer:
 *   v=0 / o=<user> <id> <version> IN IP4|IP6 <origin> / s=- / c=IN IP4|IP6 <audio RTP addr> /
 *   t=0 0 / m=audio <port> RTP/AVP 0 8 101 + rtpmap/fmtp / a=rtcp:<port> IN IP4|IP6 <addr>
 *   [/ m=video <port> RTP/AVP 34 (+ its own c= when its address differs) + rtpmap / a=rtcp]
 * E_INVALIDARG when a required address is missing, has no port, or is not IPv4/IPv6.
 */
HRESULT rtcpm_sip_text_sdp_offer(const struct sip_text_sdp *in, char *buf, size_t buflen, size_t *written);

/* "UDP", "TCP", "TLS" or NULL. */
const char *rtcpm_sip_text_transport_name(LONG transport);

#endif /* RTCPM_SRC_HOST_SIP_TEXT_H */
