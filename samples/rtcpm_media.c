/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm-media — rtcpm's media stream on the command line: one audio stream (RTP G.711,
 * RTCP, telephone-events) between a local port and a peer, with the system's sound devices or
 * the test-hook files; and the G.711 codec over raw files, and the device list.
 *
 *   rtcpm-media stream --local 127.0.0.1:40000 --remote 127.0.0.1:40002 \
 *                      --capture file:tone.wav --playback file:heard.wav --seconds 3
 *   rtcpm-media encode pcma in.raw out.al      (raw s16le -> A-law codes)
 *   rtcpm-media decode pcmu in.ul out.raw
 *   rtcpm-media devices
 *
 * Exit status: 0 done, 1 failure (message on stderr), 64 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/audio_device.h"
#include "media/g711.h"
#include "media/media_sdp.h"
#include "media/media_stream.h"
#include "net/addr.h"
#include "os/lock.h"
#include "os/os_platform.h"
#include "program.h"

static void usage(FILE *f)
{
    fputs("Usage: rtcpm-media stream --remote ADDR:PORT [options]\n"
          "       rtcpm-media encode|decode pcmu|pcma IN OUT\n"
          "       rtcpm-media devices\n"
          "       rtcpm-media --help | --version\n"
          "\n"
          "stream: one audio stream as rtcpm's RTC client runs it for a call: G.711 over RTP\n"
          "every 20 ms (silence without a sound source), RTCP reports, RFC 4733 DTMF.\n"
          "  --remote ADDR:PORT     where RTP goes (the peer's SDP address); required\n"
          "  --remote-rtcp ADDR:PORT  where RTCP goes (default: the RTP port + 1)\n"
          "  --local ADDR[:PORT]    where RTP is bound (default: the wildcard address, any port)\n"
          "  --local-rtcp ADDR:PORT where RTCP is bound (default: RTP port + 1; any with port 0)\n"
          "  --codec pcmu|pcma      (default pcmu)\n"
          "  --dtmf-pt N|none       telephone-event payload type (default 101)\n"
          "  --sdp FILE             negotiate codec, telephone-event and direction from the\n"
          "                         peer's SDP (overrides --codec and --dtmf-pt)\n"
          "  --capture DEV          microphone: default device (\"\"), \"none\", \"#N\", a\n"
          "                         device name, or file:X.wav (test hook: plays the file)\n"
          "  --playback DEV         speaker: as above; file:X.wav records what is played\n"
          "  --seconds S            run this long, then stop (default 10; decimals allowed)\n"
          "  --dtmf KEYS            send these keys (0-9 * # A-D) as telephone-events\n"
          "  --dtmf-at MS           ... starting this long after the start (default 500)\n"
          "  --dtmf-duration MS     each key's duration (default 160)\n"
          "  --mute / --volume N    microphone muted (silence sent) / gain 0..65535\n"
          "  --speaker-mute / --speaker-volume N\n"
          "  --rtp-timeout MS       report a receive timeout after MS without RTP\n"
          "  --cname TEXT           RTCP CNAME\n"
          "Prints `local rtp ADDR:PORT rtcp ADDR:PORT`, one `event ...` line per stream event,\n"
          "`dtmf K began|ended duration N` per telephone-event received, and `stats ...` at the\n"
          "end. RTCPM_MEDIA_CAPTURE / RTCPM_MEDIA_PLAYBACK replace --capture / --playback.\n"
          "\n"
          "encode/decode: G.711 over raw files (16-bit signed little-endian samples <-> codes).\n"
          "devices: the sound devices of this system (winmm IDs and names).\n"
          "Exit status: 0 done, 1 failure (reason on stderr), 64 bad usage.\n",
          f);
}

struct options
{
    struct rtcpm_media_config cfg;
    rtcpm_addr remote_rtp, remote_rtcp;
    int have_remote;
    const char *sdp_file, *dtmf_keys;
    double seconds;
    int dtmf_at_ms, dtmf_duration_ms, mute, speaker_mute;
    long volume, speaker_volume;
};

static int bad(const char *what, const char *value)
{
    fprintf(stderr, "rtcpm-media: %s: %s\n", what, value ? value : "(missing)");
    return PROGRAM_EX_USAGE;
}

static int parse_long(const char *v, long lo, long hi, long *out)
{
    char *end;
    if (!v || !*v) return -1;
    long n = strtol(v, &end, 10);
    if (*end || n < lo || n > hi) return -1;
    *out = n;
    return 0;
}

/* ADDR:PORT, [V6]:PORT, or a bare address (port 0: any). */
static int parse_hostport(const char *v, rtcpm_addr *out)
{
    if (!v) return -1;
    if (rtcpm_addr_parse_hostport(v, strlen(v), out, 0) == 0) return 0;
    return rtcpm_addr_parse(v, strlen(v), out) == 0 ? 0 : -1;
}

/* One option with a value: 0 taken, 2 bad value, -1 not an option of this kind. */
static int option_value(struct options *o, const char *a, const char *v)
{
    long n;
    if (!strcmp(a, "--remote")) return parse_hostport(v, &o->remote_rtp) ? bad(a, v) : (o->have_remote = 1, 0);
    if (!strcmp(a, "--remote-rtcp")) return parse_hostport(v, &o->remote_rtcp) ? bad(a, v) : 0;
    if (!strcmp(a, "--local")) return parse_hostport(v, &o->cfg.local_rtp) ? bad(a, v) : 0;
    if (!strcmp(a, "--local-rtcp")) return parse_hostport(v, &o->cfg.local_rtcp) ? bad(a, v) : 0;
    if (!strcmp(a, "--capture")) return v ? (o->cfg.capture_device = v, 0) : bad(a, v);
    if (!strcmp(a, "--playback")) return v ? (o->cfg.playback_device = v, 0) : bad(a, v);
    if (!strcmp(a, "--cname")) return v ? (o->cfg.cname = v, 0) : bad(a, v);
    if (!strcmp(a, "--sdp")) return v ? (o->sdp_file = v, 0) : bad(a, v);
    if (!strcmp(a, "--dtmf")) return v ? (o->dtmf_keys = v, 0) : bad(a, v);
    if (!strcmp(a, "--codec"))
    {
        if (!v || (strcmp(v, "pcmu") && strcmp(v, "pcma"))) return bad("--codec wants pcmu or pcma", v);
        o->cfg.codecs.codec = o->cfg.codecs.audio_pt = !strcmp(v, "pcmu") ? RTCPM_MEDIA_PCMU : RTCPM_MEDIA_PCMA;
        return 0;
    }
    if (!strcmp(a, "--dtmf-pt"))
    {
        if (v && !strcmp(v, "none")) return o->cfg.codecs.dtmf_pt = -1, 0;
        return parse_long(v, 96, 127, &n) ? bad("--dtmf-pt wants 96..127 or none", v)
                                          : (o->cfg.codecs.dtmf_pt = (int)n, 0);
    }
    if (!strcmp(a, "--seconds"))
    {
        char *end;
        o->seconds = v ? strtod(v, &end) : -1;
        return (!v || *end || o->seconds < 0 || o->seconds > 86400) ? bad("--seconds wants 0..86400", v) : 0;
    }
    if (!strcmp(a, "--dtmf-at")) return parse_long(v, 0, 3600000, &n) ? bad(a, v) : (o->dtmf_at_ms = (int)n, 0);
    if (!strcmp(a, "--dtmf-duration"))
        return parse_long(v, 40, 8000, &n) ? bad("--dtmf-duration wants 40..8000", v)
                                           : (o->dtmf_duration_ms = (int)n, 0);
    if (!strcmp(a, "--volume")) return parse_long(v, 0, 65535, &o->volume) ? bad("--volume wants 0..65535", v) : 0;
    if (!strcmp(a, "--speaker-volume"))
        return parse_long(v, 0, 65535, &o->speaker_volume) ? bad("--speaker-volume wants 0..65535", v) : 0;
    if (!strcmp(a, "--rtp-timeout"))
        return parse_long(v, 1, 3600000, &n) ? bad(a, v) : (o->cfg.rtp_timeout_ms = (int)n, 0);
    return -1;
}

static int parse_stream_options(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof(*o));
    rtcpm_media_config_init(&o->cfg);
    o->cfg.capture_device = o->cfg.playback_device = "";
    o->seconds = 10;
    o->dtmf_at_ms = 500;
    o->dtmf_duration_ms = 160;
    o->volume = o->speaker_volume = 65535;
    for (int i = 2; i < argc; i++)
    {
        const char *a = argv[i];
        if (!strcmp(a, "--mute"))
            o->mute = 1;
        else if (!strcmp(a, "--speaker-mute"))
            o->speaker_mute = 1;
        else
        {
            int rc = option_value(o, a, i + 1 < argc ? argv[i + 1] : NULL);
            if (rc < 0) return bad("unknown option (see --help)", a);
            if (rc) return rc;
            i++;
        }
    }
    if (!o->have_remote || !o->remote_rtp.port) return bad("--remote ADDR:PORT is required", NULL);
    if (!o->cfg.local_rtp.family)
        rtcpm_addr_parse(o->remote_rtp.family == RTCPM_AF_INET6 ? "::" : "0.0.0.0",
                         o->remote_rtp.family == RTCPM_AF_INET6 ? 2 : 7, &o->cfg.local_rtp);
    return 0;
}

static const char *type_name(enum rtcpm_media_event_type t)
{
    return t == RTCPM_MEDIA_EV_STARTED ? "started" : t == RTCPM_MEDIA_EV_STOPPED ? "stopped" : "failed";
}

static const char *reason_name(enum rtcpm_media_reason r)
{
    static const char *const names[] = { "normal",        "hold",    "timeout",
                                         "bad-device",    "no-port", "port-mapping-failed",
                                         "remote-request" };
    return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

static void on_event(void *ctx, const struct rtcpm_media_event *ev)
{
    (void)ctx;
    if (ev->type == RTCPM_MEDIA_EV_DTMF)
    {
        int key = ev->dtmf_event;
        char k = key >= 0 && key <= 16 ? "0123456789*#ABCD!"[key] : '?';
        if (ev->dtmf_end)
            printf("dtmf %c ended duration %u\n", k, (unsigned)ev->dtmf_duration);
        else
            printf("dtmf %c began\n", k);
    }
    else
        printf("event %s %s %s hr=0x%08lX %s\n", type_name(ev->type),
               ev->direction == RTCPM_MEDIA_SEND ? "send" : "receive", reason_name(ev->reason), (unsigned long)ev->hr,
               ev->text);
    fflush(stdout);
}

/* Sleeps ms milliseconds (a condition variable nobody signals: no sleep in the OS layer). */
static void sleep_ms(uint64_t ms)
{
    struct rtcpm_lock l;
    struct rtcpm_cond c;
    uint64_t end = rtcpm_clock_ms() + ms;
    rtcpm_lock_init(&l);
    rtcpm_cond_init(&c);
    rtcpm_lock_acquire(&l);
    for (uint64_t now = rtcpm_clock_ms(); now < end; now = rtcpm_clock_ms()) rtcpm_cond_wait(&c, &l, (long)(end - now));
    rtcpm_lock_release(&l);
    rtcpm_cond_destroy(&c);
    rtcpm_lock_destroy(&l);
}

static int read_file(const char *path, unsigned char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    if (!f || !buf)
    {
        if (f) fclose(f);
        free(buf);
        return -1;
    }
    for (size_t got; (got = fread(buf + n, 1, cap - n, f)) > 0;)
    {
        n += got;
        if (n == cap)
        {
            unsigned char *more = realloc(buf, cap * 2);
            if (!more) break;
            buf = more;
            cap *= 2;
        }
    }
    fclose(f);
    *data = buf;
    *len = n;
    return 0;
}

static void print_stats(struct rtcpm_media_stream *s)
{
    struct rtcpm_media_stats st;
    rtcpm_media_stream_get_stats(s, &st);
    printf("stats rtp_sent=%llu rtp_received=%llu rtp_ignored=%llu rtp_malformed=%llu rtcp_sent=%llu "
           "rtcp_received=%llu dtmf_sent=%llu dtmf_received=%llu\n",
           (unsigned long long)st.rtp_sent, (unsigned long long)st.rtp_received, (unsigned long long)st.rtp_ignored,
           (unsigned long long)st.rtp_malformed, (unsigned long long)st.rtcp_sent, (unsigned long long)st.rtcp_received,
           (unsigned long long)st.dtmf_sent, (unsigned long long)st.dtmf_received);
    printf("stats lost=%ld expected=%lu jitter=%lu remote_lost=%ld remote_jitter=%lu rtt_ms=%ld\n",
           (long)st.cumulative_lost, (unsigned long)st.expected, (unsigned long)st.jitter,
           (long)st.remote_cumulative_lost, (unsigned long)st.remote_jitter, (long)st.rtt_ms);
    printf("stats frames_played=%llu frames_concealed=%llu frames_silent=%llu late=%llu duplicate=%llu "
           "playout_delay_ms=%lu capture_open=%d playback_open=%d\n",
           (unsigned long long)st.frames_played, (unsigned long long)st.frames_concealed,
           (unsigned long long)st.frames_silent, (unsigned long long)st.packets_late,
           (unsigned long long)st.packets_duplicate, (unsigned long)st.playout_delay_ms, st.capture_open,
           st.playback_open);
}

/* Codecs from --sdp. 0, or the exit code. */
static int negotiate(struct options *o)
{
    unsigned char *sdp;
    size_t len;
    if (!o->sdp_file) return 0;
    if (read_file(o->sdp_file, &sdp, &len)) return fprintf(stderr, "rtcpm-media: cannot read %s\n", o->sdp_file), 1;
    HRESULT hr = rtcpm_media_sdp_negotiate((const char *)sdp, len, &o->cfg.codecs);
    free(sdp);
    if (FAILED(hr))
        return fprintf(stderr, "rtcpm-media: %s: no common codec (0x%08lX)\n", o->sdp_file, (unsigned long)hr), 1;
    printf("codec pt=%d %s dtmf_pt=%d send=%d receive=%d\n", o->cfg.codecs.audio_pt,
           o->cfg.codecs.codec == RTCPM_MEDIA_PCMU ? "PCMU" : "PCMA", o->cfg.codecs.dtmf_pt, o->cfg.codecs.send,
           o->cfg.codecs.receive);
    return 0;
}

/* Sends --dtmf's keys at --dtmf-at. */
static int send_keys(struct rtcpm_media_stream *s, const struct options *o)
{
    static const char keys[] = "0123456789*#ABCD";
    for (const char *k = o->dtmf_keys; k && *k; k++)
    {
        const char *at = strchr(keys, *k >= 'a' && *k <= 'd' ? *k - 32 : *k);
        if (!at) return bad("--dtmf: not a key", k);
        HRESULT hr = rtcpm_media_stream_send_dtmf(s, (int)(at - keys), o->dtmf_duration_ms);
        if (FAILED(hr)) return fprintf(stderr, "rtcpm-media: send_dtmf: 0x%08lX\n", (unsigned long)hr), 1;
    }
    return 0;
}

static int start_stream(struct options *o, struct rtcpm_media_stream **out)
{
    rtcpm_addr rtp, rtcp;
    char a[64], b[64];
    o->cfg.on_event = on_event;
    HRESULT hr = rtcpm_media_stream_create(out, &o->cfg);
    if (FAILED(hr))
        return fprintf(stderr, "rtcpm-media: cannot bind the RTP/RTCP ports (0x%08lX)\n", (unsigned long)hr), 1;
    rtcpm_media_stream_local(*out, &rtp, &rtcp);
    rtcpm_addr_format_hostport(&rtp, a, sizeof(a));
    rtcpm_addr_format_hostport(&rtcp, b, sizeof(b));
    printf("local rtp %s rtcp %s\n", a, b);
    fflush(stdout);
    rtcpm_media_stream_set_mute(*out, RTCPM_MEDIA_SEND, o->mute);
    rtcpm_media_stream_set_mute(*out, RTCPM_MEDIA_RECEIVE, o->speaker_mute);
    rtcpm_media_stream_set_volume(*out, RTCPM_MEDIA_SEND, o->volume);
    rtcpm_media_stream_set_volume(*out, RTCPM_MEDIA_RECEIVE, o->speaker_volume);
    hr = rtcpm_media_stream_set_remote(*out, &o->remote_rtp, o->remote_rtcp.family ? &o->remote_rtcp : NULL);
    if (SUCCEEDED(hr)) hr = rtcpm_media_stream_start(*out);
    if (FAILED(hr)) return fprintf(stderr, "rtcpm-media: cannot start the stream (0x%08lX)\n", (unsigned long)hr), 1;
    return 0;
}

static int cmd_stream(int argc, char **argv)
{
    struct options o;
    struct rtcpm_media_stream *s = NULL;
    int rc = parse_stream_options(argc, argv, &o);
    if (!rc) rc = negotiate(&o);
    if (!rc) rc = start_stream(&o, &s);
    if (!rc)
    {
        uint64_t total = (uint64_t)(o.seconds * 1000), dtmf_at = (uint64_t)o.dtmf_at_ms;
        if (o.dtmf_keys && dtmf_at < total)
        {
            sleep_ms(dtmf_at);
            rc = send_keys(s, &o);
            total -= dtmf_at;
        }
        sleep_ms(total);
        rtcpm_media_stream_stop(s);
        print_stats(s);
    }
    rtcpm_media_stream_destroy(s);
    return rc;
}

static int cmd_codec(int argc, char **argv)
{
    unsigned char *in;
    size_t len;
    if (argc != 5 || (strcmp(argv[2], "pcmu") && strcmp(argv[2], "pcma")))
        return bad("usage", "encode|decode pcmu|pcma IN OUT");
    int codec = !strcmp(argv[2], "pcmu") ? RTCPM_MEDIA_PCMU : RTCPM_MEDIA_PCMA, encode = !strcmp(argv[1], "encode");
    if (read_file(argv[3], &in, &len)) return fprintf(stderr, "rtcpm-media: cannot read %s\n", argv[3]), 1;
    FILE *f = fopen(argv[4], "wb");
    size_t n = encode ? len / 2 : len;
    unsigned char *out = malloc(encode ? n + 1 : 2 * n + 1);
    if (!f || !out) return fprintf(stderr, "rtcpm-media: cannot write %s\n", argv[4]), free(in), free(out), 1;
    for (size_t i = 0; i < n; i++)
    {
        if (encode)
        {
            int16_t x = (int16_t)(in[2 * i] | (in[2 * i + 1] << 8));
            rtcpm_g711_encode(codec, &x, 1, out + i);
        }
        else
        {
            int16_t x;
            rtcpm_g711_decode(codec, in + i, 1, &x);
            out[2 * i] = (unsigned char)x;
            out[2 * i + 1] = (unsigned char)((uint16_t)x >> 8);
        }
    }
    size_t bytes = encode ? n : 2 * n;
    int rc = fwrite(out, 1, bytes, f) == bytes ? 0 : 1;
    fclose(f);
    free(in);
    free(out);
    return rc;
}

static void print_device(void *ctx, int id, const char *name) { printf("%s #%d %s\n", (const char *)ctx, id, name); }

static int cmd_devices(void)
{
    int in = rtcpm_audio_system_list(RTCPM_AUDIO_CAPTURE, print_device, "capture");
    int out = rtcpm_audio_system_list(RTCPM_AUDIO_PLAYBACK, print_device, "playback");
    printf("%d capture, %d playback devices\n", in, out);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage(stderr), PROGRAM_EX_USAGE;
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) return usage(stdout), 0;
    if (!strcmp(argv[1], "--version")) return program_print_version("rtcpm-media"), 0;
    if (!strcmp(argv[1], "stream")) return cmd_stream(argc, argv);
    if (!strcmp(argv[1], "encode") || !strcmp(argv[1], "decode")) return cmd_codec(argc, argv);
    if (!strcmp(argv[1], "devices")) return cmd_devices();
    return bad("unknown command (see --help)", argv[1]);
}
