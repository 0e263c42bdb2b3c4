/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * media_sdp.c — codec negotiation from an SDP body's first audio stream.
 */
#include "media/media_sdp.h"

#include <stdio.h>
#include <string.h>

#define MAX_LIST 64

enum encoding
{
    ENC_UNKNOWN = 0,
    ENC_PCMU,
    ENC_PCMA,
    ENC_TEVENT
};

enum direction
{
    DIR_UNSET = 0,
    DIR_SENDRECV,
    DIR_SENDONLY,
    DIR_RECVONLY,
    DIR_INACTIVE
};

struct span
{
    const char *p;
    size_t n;
};

struct audio_desc
{
    int found, port, avp;
    int n_pt;
    int pt[MAX_LIST];
    enum encoding enc[128]; /* from a=rtpmap */
    int mapped[128];
    int ptime;
    enum direction session_dir, media_dir;
};

static int span_is(struct span s, const char *lit) { return s.n == strlen(lit) && !memcmp(s.p, lit, s.n); }

static int span_ieq(struct span s, const char *lit)
{
    if (s.n != strlen(lit)) return 0;
    for (size_t i = 0; i < s.n; i++)
    {
        char a = s.p[i], b = lit[i];
        if (a >= 'a' && a <= 'z') a = (char)(a - 32);
        if (b >= 'a' && b <= 'z') b = (char)(b - 32);
        if (a != b) return 0;
    }
    return 1;
}

/* The next token of s separated by sep (leading separators skipped). */
static struct span token(struct span *s, char sep)
{
    struct span t;
    while (s->n && *s->p == sep) s->p++, s->n--;
    t.p = s->p;
    for (t.n = 0; t.n < s->n && s->p[t.n] != sep; t.n++)
    {
    }
    s->p += t.n;
    s->n -= t.n;
    return t;
}

/* A decimal number of at most 9 digits, or -1. */
static int number(struct span s)
{
    int v = 0;
    if (!s.n || s.n > 9) return -1;
    for (size_t i = 0; i < s.n; i++)
    {
        if (s.p[i] < '0' || s.p[i] > '9') return -1;
        v = v * 10 + (s.p[i] - '0');
    }
    return v;
}

static enum direction direction_of(struct span attr)
{
    if (span_is(attr, "sendrecv")) return DIR_SENDRECV;
    if (span_is(attr, "sendonly")) return DIR_SENDONLY;
    if (span_is(attr, "recvonly")) return DIR_RECVONLY;
    if (span_is(attr, "inactive")) return DIR_INACTIVE;
    return DIR_UNSET;
}

/* "m=audio <port>[/<n>] <proto> <fmt>...": 0, or -1 when malformed. */
static int parse_m_audio(struct span v, struct audio_desc *d)
{
    struct span port_s, proto, fmt;
    token(&v, ' '); /* "audio" */
    port_s = token(&v, ' ');
    struct span port_only = token(&port_s, '/');
    proto = token(&v, ' ');
    d->port = number(port_only);
    if (d->port < 0 || d->port > 65535 || !proto.n) return -1;
    d->avp = span_is(proto, "RTP/AVP");
    d->found = 1;
    while ((fmt = token(&v, ' ')).n)
    {
        int pt = number(fmt);
        if (pt < 0 || pt > 127) return -1;
        if (d->n_pt < MAX_LIST) d->pt[d->n_pt++] = pt;
    }
    return 0;
}

/* "rtpmap:<pt> <name>/<rate>[/<channels>]" */
static void parse_rtpmap(struct span v, struct audio_desc *d)
{
    struct span pt_s = token(&v, ' '), enc = token(&v, ' ');
    struct span name = token(&enc, '/'), rate = token(&enc, '/'), ch = token(&enc, '/');
    int pt = number(pt_s);
    if (pt < 0 || pt > 127) return;
    d->mapped[pt] = 1;
    d->enc[pt] = ENC_UNKNOWN;
    if (number(rate) != 8000 || (ch.n && number(ch) != 1)) return;
    if (span_ieq(name, "PCMU")) d->enc[pt] = ENC_PCMU;
    if (span_ieq(name, "PCMA")) d->enc[pt] = ENC_PCMA;
    if (span_ieq(name, "telephone-event")) d->enc[pt] = ENC_TEVENT;
}

static void parse_attribute(struct span v, struct audio_desc *d, int in_audio)
{
    struct span name = token(&v, ':');
    enum direction dir = direction_of(name);
    if (dir != DIR_UNSET)
    {
        if (in_audio)
            d->media_dir = dir;
        else
            d->session_dir = dir;
        return;
    }
    if (!in_audio) return;
    if (v.n) v.p++, v.n--; /* the ':' */
    if (span_is(name, "rtpmap")) parse_rtpmap(v, d);
    if (span_is(name, "ptime")) d->ptime = number(v);
}

/* Reads the session attributes and the first audio stream. 0, or -1 when malformed. */
static int scan(const char *sdp, size_t len, struct audio_desc *d)
{
    enum
    {
        SESSION,
        AUDIO,
        OTHER
    } where = SESSION;
    struct span all = { sdp, len }, line;
    while (all.n)
    {
        line = token(&all, '\n');
        if (line.n && line.p[line.n - 1] == '\r') line.n--;
        if (line.n < 2 || line.p[1] != '=') continue;
        struct span v = { line.p + 2, line.n - 2 };
        if (line.p[0] == 'm')
        {
            if (where == AUDIO) break; /* only the first audio stream counts */
            where = OTHER;
            if (v.n >= 6 && !memcmp(v.p, "audio ", 6) && !d->found)
            {
                if (parse_m_audio(v, d)) return -1;
                where = AUDIO;
            }
        }
        else if (line.p[0] == 'a' && where != OTHER)
            parse_attribute(v, d, where == AUDIO);
    }
    return 0;
}

static enum encoding encoding_of(const struct audio_desc *d, int pt)
{
    if (d->mapped[pt]) return d->enc[pt];
    return pt == 0 ? ENC_PCMU : pt == 8 ? ENC_PCMA : ENC_UNKNOWN;
}

static void set_direction(const struct audio_desc *d, struct rtcpm_media_codecs *out)
{
    enum direction dir = d->media_dir ? d->media_dir : d->session_dir ? d->session_dir : DIR_SENDRECV;
    /* the peer's direction seen from here */
    out->send = dir == DIR_SENDRECV || dir == DIR_RECVONLY;
    out->receive = dir == DIR_SENDRECV || dir == DIR_SENDONLY;
}

HRESULT rtcpm_media_sdp_negotiate(const char *sdp, size_t len, struct rtcpm_media_codecs *out)
{
    static struct audio_desc zero;
    struct audio_desc d = zero;
    struct rtcpm_media_config defaults;
    if (!out) return E_POINTER;
    rtcpm_media_config_init(&defaults);
    *out = defaults.codecs;
    if (!sdp) return E_POINTER;
    if (scan(sdp, len, &d)) return E_INVALIDARG;
    if (!d.found || d.port == 0 || !d.avp) return RTCPM_MEDIA_E_CODECS_NO_MATCH;
    struct rtcpm_media_codecs c = defaults.codecs;
    c.audio_pt = c.dtmf_pt = -1;
    for (int i = 0; i < d.n_pt; i++)
    {
        enum encoding e = encoding_of(&d, d.pt[i]);
        if (c.audio_pt < 0 && (e == ENC_PCMU || e == ENC_PCMA))
        {
            c.audio_pt = d.pt[i];
            c.codec = e == ENC_PCMU ? RTCPM_MEDIA_PCMU : RTCPM_MEDIA_PCMA;
        }
        if (c.dtmf_pt < 0 && e == ENC_TEVENT) c.dtmf_pt = d.pt[i];
    }
    if (c.audio_pt < 0) return RTCPM_MEDIA_E_CODECS_NO_MATCH;
    if (c.dtmf_pt == c.audio_pt) c.dtmf_pt = -1;
    c.ptime_ms = d.ptime > 0 ? d.ptime : 20;
    set_direction(&d, &c);
    *out = c;
    return S_OK;
}

int rtcpm_media_sdp_write_answer(const struct rtcpm_media_codecs *c, unsigned port, char *buf, size_t cap)
{
    char dtmf[160] = "", fmt_dtmf[8] = "";
    const char *dir;
    if (!buf || !cap) return -1;
    buf[0] = 0;
    if (!c || (c->codec != RTCPM_MEDIA_PCMU && c->codec != RTCPM_MEDIA_PCMA) || c->audio_pt < 0 || c->audio_pt > 127 ||
        c->dtmf_pt > 127 || port > 65535)
        return -1;
    if (c->dtmf_pt >= 0)
    {
        snprintf(fmt_dtmf, sizeof(fmt_dtmf), " %d", c->dtmf_pt);
        snprintf(dtmf, sizeof(dtmf), "a=rtpmap:%d telephone-event/8000\r\na=fmtp:%d 0-16\r\n", c->dtmf_pt, c->dtmf_pt);
    }
    dir = c->send && c->receive ? "sendrecv" : c->send ? "sendonly" : c->receive ? "recvonly" : "inactive";
    int n = snprintf(buf, cap, "m=audio %u RTP/AVP %d%s\r\na=rtpmap:%d %s/8000\r\n%sa=ptime:20\r\na=%s\r\n", port,
                     c->audio_pt, fmt_dtmf, c->audio_pt, c->codec == RTCPM_MEDIA_PCMU ? "PCMU" : "PCMA", dtmf, dir);
    if (n < 0 || (size_t)n >= cap)
    {
        buf[0] = 0;
        return -1;
    }
    return n;
}
