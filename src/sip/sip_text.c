/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_text.c — Contact header and SDP offer text. See sip_text.h.
 */
#include <string.h>
#include "sip_text.h"
#include "text_out.h"

const char *rtcpm_sip_text_transport_name(LONG transport)
{
    const char *name = rtcpm_transport_name(transport);
    return strcmp(name, "?") ? name : NULL;
}

/* RFC 3261 section 25.1: user = 1*( unreserved / escaped / user-unreserved ),
 * unreserved = alphanum / mark, mark = - _ . ! ~ * ' ( ), user-unreserved = & = + $ , ; ? / */
static int is_user_char(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return 1;
    return c && strchr("-_.!~*'()&=+$,;?/", c) != NULL;
}

static int is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

HRESULT rtcpm_sip_text_parse_uri(const char *uri, int *secure, char *user, size_t userlen)
{
    const char *rest, *at, *p;
    size_t n;

    if (!uri || !secure || !user || !userlen) return E_POINTER;
    user[0] = 0;
    *secure = 0;
    if (!strncmp(uri, "sip:", 4))
        rest = uri + 4;
    else if (!strncmp(uri, "sips:", 5))
    {
        rest = uri + 5;
        *secure = 1;
    }
    else
        return E_INVALIDARG;

    at = strchr(rest, '@');
    if (at)
    {
        n = (size_t)(at - rest);
        if (!n || n > SIP_TEXT_USER_MAX || n >= userlen) return E_INVALIDARG;
        for (p = rest; p < at; p++)
        {
            if (*p == '%')
            {
                if (at - p < 3 || !is_hex(p[1]) || !is_hex(p[2])) return E_INVALIDARG;
                p += 2;
            }
            else if (!is_user_char(*p))
                return E_INVALIDARG;
        }
        memcpy(user, rest, n);
        user[n] = 0;
        rest = at + 1;
    }
    /* The host is only checked for presence and for characters that would break a header. */
    if (!*rest) return E_INVALIDARG;
    for (p = rest; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"' || *p == 0x7f) return E_INVALIDARG;
    return S_OK;
}

/* An address as the peer must read it: no zone, port as given. */
static int format_public(const rtcpm_addr *a, int with_port, char *buf, size_t len)
{
    rtcpm_addr copy = *a;
    copy.scope_id = 0;
    if (!with_port) copy.port = 0;
    return with_port ? rtcpm_addr_format_hostport(&copy, buf, len) : rtcpm_addr_format(&copy, buf, len);
}

static int usable(const rtcpm_addr *a, int need_port)
{
    return a && (a->family == RTCPM_AF_INET || a->family == RTCPM_AF_INET6) && (!need_port || a->port);
}

HRESULT rtcpm_sip_text_contact(const char *user, int secure, const rtcpm_addr *contact, LONG transport, char *buf,
                               size_t buflen, size_t *written)
{
    char host[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    const char *param;
    struct text_out t;

    if (!buf || !buflen) return E_POINTER;
    buf[0] = 0;
    if (written) *written = 0;
    if (!usable(contact, 1)) return E_INVALIDARG;
    switch (transport)
    {
    case RTCTR_UDP: param = "udp"; break;
    case RTCTR_TCP: param = "tcp"; break;
    /* RFC 3261 keeps "tls" in the transport-param grammar (hop-by-hop TLS); a sips: URI
     * already means TLS, and RFC 5630 wants transport=tcp with it. */
    case RTCTR_TLS: param = secure ? "tcp" : "tls"; break;
    default: return E_INVALIDARG;
    }
    if (format_public(contact, 1, host, sizeof(host)) < 0) return E_INVALIDARG;

    rtcpm_text_out_init(&t, buf, buflen);
    rtcpm_text_out_put(&t, "Contact: <%s:%s%s%s;transport=%s>\r\n", secure ? "sips" : "sip", user ? user : "",
                       user && *user ? "@" : "", host, param);
    return rtcpm_text_out_finish(&t, written) ? SIP_TEXT_E_BUFFER : S_OK;
}

static int same_public_host(const rtcpm_addr *a, const rtcpm_addr *b)
{
    rtcpm_addr x = *a, y = *b;
    x.scope_id = y.scope_id = 0;
    return rtcpm_addr_equal_host(&x, &y);
}

static const char *ip_kind(const rtcpm_addr *a) { return a->family == RTCPM_AF_INET6 ? "IP6" : "IP4"; }

static void put_rtcp(struct text_out *t, const rtcpm_addr *rtcp)
{
    char a[RTCPM_ADDR_TEXT_SIZE];
    format_public(rtcp, 0, a, sizeof(a));
    /* RFC 3605: the RTCP port is not rtp+1 behind a NAT, so say it, with its address. */
    rtcpm_text_out_put(t, "a=rtcp:%u IN %s %s\r\n", (unsigned)rtcp->port, ip_kind(rtcp), a);
}

HRESULT rtcpm_sip_text_sdp_offer(const struct sip_text_sdp *in, char *buf, size_t buflen, size_t *written)
{
    char origin[RTCPM_ADDR_TEXT_SIZE], conn[RTCPM_ADDR_TEXT_SIZE], vconn[RTCPM_ADDR_TEXT_SIZE];
    struct text_out t;

    if (!buf || !buflen) return E_POINTER;
    buf[0] = 0;
    if (written) *written = 0;
    if (!in || !usable(in->origin, 0) || !usable(in->audio_rtp, 1) || !usable(in->audio_rtcp, 1)) return E_INVALIDARG;
    if (!in->video_rtp != !in->video_rtcp) return E_INVALIDARG;
    if (in->video_rtp && (!usable(in->video_rtp, 1) || !usable(in->video_rtcp, 1))) return E_INVALIDARG;
    if (in->user && strpbrk(in->user, " \t\r\n")) return E_INVALIDARG;

    format_public(in->origin, 0, origin, sizeof(origin));
    format_public(in->audio_rtp, 0, conn, sizeof(conn));

    rtcpm_text_out_init(&t, buf, buflen);
    rtcpm_text_out_put(&t, "v=0\r\n");
    rtcpm_text_out_put(&t, "o=%s %llu %llu IN %s %s\r\n", in->user && *in->user ? in->user : "-",
                       (unsigned long long)in->session_id, (unsigned long long)in->session_version, ip_kind(in->origin),
                       origin);
    rtcpm_text_out_put(&t, "s=-\r\n");
    /* Session-level c= names the audio stream's external address (RFC 4566 section 5.7). */
    rtcpm_text_out_put(&t, "c=IN %s %s\r\n", ip_kind(in->audio_rtp), conn);
    rtcpm_text_out_put(&t, "t=0 0\r\n");
    rtcpm_text_out_put(&t, "m=audio %u RTP/AVP 0 8 101\r\n", (unsigned)in->audio_rtp->port);
    rtcpm_text_out_put(&t, "a=rtpmap:0 PCMU/8000\r\n");
    rtcpm_text_out_put(&t, "a=rtpmap:8 PCMA/8000\r\n");
    rtcpm_text_out_put(&t, "a=rtpmap:101 telephone-event/8000\r\n");
    rtcpm_text_out_put(&t, "a=fmtp:101 0-15\r\n");
    put_rtcp(&t, in->audio_rtcp);
    if (in->video_rtp)
    {
        rtcpm_text_out_put(&t, "m=video %u RTP/AVP 34\r\n", (unsigned)in->video_rtp->port);
        if (!same_public_host(in->video_rtp, in->audio_rtp))
        {
            format_public(in->video_rtp, 0, vconn, sizeof(vconn));
            rtcpm_text_out_put(&t, "c=IN %s %s\r\n", ip_kind(in->video_rtp), vconn);
        }
        rtcpm_text_out_put(&t, "a=rtpmap:34 H263/90000\r\n");
        put_rtcp(&t, in->video_rtcp);
    }
    return rtcpm_text_out_finish(&t, written) ? SIP_TEXT_E_BUFFER : S_OK;
}
