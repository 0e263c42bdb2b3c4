/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_sdp.c — the audio address of an SDP answer (RFC 4566, RFC 3605 a=rtcp). See
 * rtcpm_sip_msg_parse_sdp_audio in sip_msg.h.
 */
#include <string.h>
#include "sip_hdr.h"
#include "sip_msg.h"

/* The next line of buf[pos..len) without its line end; *next = after it. */
static void next_line(const char *buf, size_t len, size_t pos, struct rtcpm_sip_span *line, size_t *next)
{
    const char *nl = memchr(buf + pos, '\n', len - pos);
    line->p = buf + pos;
    line->n = nl ? (size_t)(nl - line->p) : len - pos;
    *next = nl ? (size_t)(nl - buf) + 1 : len;
    if (line->n && line->p[line->n - 1] == '\r') line->n--;
}

/* "IN IP4 198.51.100.7" / "IN IP6 2001:db8::1" */
static int parse_sdp_address(struct rtcpm_sip_span s, rtcpm_addr *out)
{
    struct rtcpm_sip_span nettype, addrtype, addr;
    size_t i, j;
    s = rtcpm_sip_span_trim(s);
    for (i = 0; i < s.n && s.p[i] != ' '; i++)
    {
    }
    nettype.p = s.p;
    nettype.n = i;
    for (j = i + 1; j < s.n && s.p[j] != ' '; j++)
    {
    }
    if (i >= s.n) return 0;
    addrtype.p = s.p + i + 1;
    addrtype.n = j - i - 1;
    if (j >= s.n) return 0;
    addr.p = s.p + j + 1;
    addr.n = s.n - j - 1;
    if (!rtcpm_sip_span_ieq(nettype, "IN")) return 0;
    if (rtcpm_addr_parse(addr.p, addr.n, out) != RTCPM_ADDR_OK) return 0;
    if (rtcpm_sip_span_ieq(addrtype, "IP4")) return out->family == RTCPM_AF_INET;
    if (rtcpm_sip_span_ieq(addrtype, "IP6")) return out->family == RTCPM_AF_INET6;
    return 0;
}

static int parse_port(struct rtcpm_sip_span s, uint16_t *port, int allow_zero)
{
    unsigned long long v;
    if (rtcpm_sip_span_number(s, 5, &v) || v > 65535 || (!v && !allow_zero)) return 0;
    *port = (uint16_t)v;
    return 1;
}

/* What the lines read so far say about the first audio stream. */
struct sdp_state
{
    enum
    {
        BEFORE_MEDIA,
        IN_AUDIO,
        AFTER_AUDIO,
        IN_OTHER
    } where;
    rtcpm_addr session_c, audio_c, rtcp_addr;
    int have_session_c, have_audio_c, have_audio, have_rtcp, have_rtcp_addr;
    uint16_t audio_port, rtcp_port;
};

/* "m=audio <port>[/n] ...": the first audio stream starts; any other m= line ends it. */
static int media_line(struct sdp_state *st, struct rtcpm_sip_span v)
{
    struct rtcpm_sip_span port = { v.p + 6, 0 };
    size_t i;
    if (st->where == IN_AUDIO) st->where = AFTER_AUDIO;
    if (st->where == AFTER_AUDIO) return 0;
    if (v.n <= 6 || memcmp(v.p, "audio ", 6))
    {
        st->where = IN_OTHER;
        return 0;
    }
    for (i = 6; i < v.n && v.p[i] != ' ' && v.p[i] != '/'; i++)
    {
    }
    port.n = i - 6;
    if (!parse_port(port, &st->audio_port, 1) || !st->audio_port) return -1;
    st->have_audio = 1;
    st->where = IN_AUDIO;
    return 0;
}

static int connection_line(struct sdp_state *st, struct rtcpm_sip_span v)
{
    if (st->where == BEFORE_MEDIA)
    {
        if (!parse_sdp_address(v, &st->session_c)) return -1;
        st->have_session_c = 1;
    }
    else if (st->where == IN_AUDIO)
    {
        if (!parse_sdp_address(v, &st->audio_c)) return -1;
        st->have_audio_c = 1;
    }
    return 0;
}

/* RFC 3605 "a=rtcp:<port>[ IN IP4|IP6 <addr>]" inside the audio stream. */
static int attribute_line(struct sdp_state *st, struct rtcpm_sip_span v)
{
    struct rtcpm_sip_span port = { v.p + 5, 0 }, rest;
    size_t i;
    if (st->where != IN_AUDIO || v.n < 5 || memcmp(v.p, "rtcp:", 5)) return 0;
    for (i = 5; i < v.n && v.p[i] != ' '; i++)
    {
    }
    port.n = i - 5;
    if (!parse_port(port, &st->rtcp_port, 0)) return -1;
    st->have_rtcp = 1;
    rest.p = v.p + i;
    rest.n = v.n - i;
    rest = rtcpm_sip_span_trim(rest);
    if (!rest.n) return 0;
    if (!parse_sdp_address(rest, &st->rtcp_addr)) return -1;
    st->have_rtcp_addr = 1;
    return 0;
}

static int result(const struct sdp_state *st, rtcpm_addr *rtp, rtcpm_addr *rtcp)
{
    if (!st->have_audio || (!st->have_audio_c && !st->have_session_c)) return SIP_MSG_E_SDP;
    if (!st->have_rtcp && st->audio_port == 65535) return SIP_MSG_E_SDP; /* no port + 1 */
    *rtp = st->have_audio_c ? st->audio_c : st->session_c;
    rtp->port = st->audio_port;
    *rtcp = st->have_rtcp && st->have_rtcp_addr ? st->rtcp_addr : *rtp;
    rtcp->port = st->have_rtcp ? st->rtcp_port : (uint16_t)(st->audio_port + 1);
    return SIP_MSG_OK;
}

int rtcpm_sip_msg_parse_sdp_audio(const char *body, size_t len, rtcpm_addr *rtp, rtcpm_addr *rtcp)
{
    struct sdp_state st;
    size_t pos = 0, next;

    if (rtp) memset(rtp, 0, sizeof(*rtp));
    if (rtcp) memset(rtcp, 0, sizeof(*rtcp));
    if (!body || !rtp || !rtcp) return SIP_MSG_E_INVALID;
    memset(&st, 0, sizeof(st));
    st.where = BEFORE_MEDIA;
    while (pos < len)
    {
        struct rtcpm_sip_span line, v;
        int rc = 0;
        next_line(body, len, pos, &line, &next);
        pos = next;
        if (line.n < 2 || line.p[1] != '=') continue;
        v.p = line.p + 2;
        v.n = line.n - 2;
        if (line.p[0] == 'm') rc = media_line(&st, v);
        if (line.p[0] == 'c') rc = connection_line(&st, v);
        if (line.p[0] == 'a') rc = attribute_line(&st, v);
        if (rc) return SIP_MSG_E_SDP;
    }
    return result(&st, rtp, rtcp);
}
