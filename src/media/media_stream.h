/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * media_stream.h — one audio stream of a call: G.711 (PCMU/PCMA) over RTP with RTCP reports
 * (RFC 3550), RFC 4733 telephone-events, an adaptive jitter buffer, and sound devices (winmm
 * on Windows targets; "file:" test-hook devices everywhere). What the RTC client runs for
 * each call; portable (natively there are no sound devices, only the test hook).
 *
 * The life of a stream:
 *
 *   struct rtcpm_media_config cfg;
 *   rtcpm_media_config_init(&cfg);              defaults: PCMU, telephone-event 101, no device
 *   cfg.local_rtp = <internal RTP address:port the port manager answered>;
 *   cfg.local_rtcp = <internal RTCP address:port> (unset: RTP port + 1);
 *   cfg.on_event = cb; cfg.ctx = ctx;           optional
 *   rtcpm_media_stream_create(&s, &cfg)        binds the sockets; nothing is sent yet
 *   rtcpm_media_stream_set_remote(s, &rtp, &rtcp)   the SDP answer's address (RTCP: a=rtcp,
 *                                                    else RTP port + 1)
 *   rtcpm_media_stream_set_codecs(s, &neg)     optional: what the answer negotiated
 *   rtcpm_media_stream_start(s)                a thread sends one RTP packet every 20 ms
 *                                              (silence when there is no sound source),
 *                                              receives, plays, and sends RTCP SR/RR every
 *                                              ~5 s (RFC 3550 6.3.1 with Tmin 5 s:
 *                                              2.05..6.15 s, the first after 1..3 s)
 *   ... send_dtmf, set_mute, set_volume, get_stats, set_remote again (re-INVITE) ...
 *   rtcpm_media_stream_stop(s)                 RTCP BYE, the thread ends, devices close
 *   rtcpm_media_stream_destroy(s)              sockets closed (stops first if running)
 *
 * Rules:
 *  - Every function but destroy returns an HRESULT: S_OK, E_POINTER (NULL out pointer or
 *    stream), E_INVALIDARG (bad value), E_OUTOFMEMORY, E_UNEXPECTED (wrong state: start twice,
 *    start without a remote address, send_dtmf when stopped or without telephone-event),
 *    RTCPM_MEDIA_E_SOCKET (a socket could not be bound/opened: the port is taken...).
 *  - Thread-safe: any function may be called from any thread, except that the event callback
 *    runs on the stream's own thread and must not call stop or destroy (they wait for that
 *    thread); it may call every other function. Keep it short (post a message, copy data).
 *  - A device that does not open never fails the call: the stream runs on, sending silence
 *    (capture) or counting and discarding what it receives (playback), and reports
 *    RTCPM_MEDIA_EV_FAILED with reason RTCPM_MEDIA_REASON_BAD_DEVICE, the HRESULT
 *    RTCPM_MEDIA_E_NO_DEVICE and a text saying why.
 *  - RTP is accepted only from the remote RTP address and port (set_remote), RTCP only from
 *    the remote host; everything else is ignored and counted (stats.rtp_ignored).
 *
 * Device names (capture_device / playback_device, and put_PreferredAudioDevice later):
 *   NULL or ""      the system's default device (winmm's WAVE_MAPPER); natively: none
 *   "none"          no device, on purpose (no event)
 *   "#N"            winmm device ID N
 *   "file:PATH"     test hook: capture plays the WAV (8 kHz mono 16-bit PCM, or raw s16le when
 *                   the name ends in .raw) as the microphone, then silence; playback records
 *                   what the stream plays to a WAV (or .raw) file, closed at stop
 *   anything else   the winmm device whose name (WAVEINCAPS/WAVEOUTCAPS szPname) is exactly this
 *   The environment variables RTCPM_MEDIA_CAPTURE and RTCPM_MEDIA_PLAYBACK, when set, replace
 *   the configured names (the test hook for an unchanged application: README "Media").
 */
#ifndef RTCPM_SRC_MEDIA_MEDIA_STREAM_H
#define RTCPM_SRC_MEDIA_MEDIA_STREAM_H

#include <stdint.h>

#include "rtcpm/platform.h"
#include "net/addr.h"
#include "os/socket.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rtcpm_media_stream rtcpm_media_stream;

/* HRESULTs of media (the values of rtcerr.h, so they can go into RTC events unchanged). */
#define RTCPM_MEDIA_E_NO_DEVICE       ((HRESULT)0x80EE0021)      /* = RTC_E_MEDIA_AUDIO_DEVICE_NOT_AVAILABLE */
#define RTCPM_MEDIA_E_CODECS_NO_MATCH ((HRESULT)0x80EE0000)      /* = RTC_E_SIP_CODECS_DO_NOT_MATCH */
#define RTCPM_MEDIA_E_START_STREAM    ((HRESULT)0x80EE0023)      /* = RTC_E_START_STREAM */
#define RTCPM_MEDIA_E_SOCKET          RTCPM_MEDIA_E_START_STREAM /* a socket could not be bound or used */

/* Payload formats (RTP payload type numbers of RFC 3551 for the static ones). */
enum rtcpm_media_codec
{
    RTCPM_MEDIA_PCMU = 0, /* G.711 mu-law, PT 0 */
    RTCPM_MEDIA_PCMA = 8  /* G.711 A-law, PT 8 */
};

/* What an SDP negotiation decided (src/media/media_sdp.h fills it from an answer or offer). */
struct rtcpm_media_codecs
{
    int audio_pt; /* payload type number to send and expect for audio (0 or 8 normally) */
    int codec;    /* enum rtcpm_media_codec behind audio_pt */
    int dtmf_pt;  /* telephone-event/8000 payload type (96..127), -1: none negotiated */
    int ptime_ms; /* packetisation: 20 (the only value sent; a=ptime is only read) */
    int send;     /* 1: send audio (sendrecv/sendonly answer), 0: send nothing but RTCP */
    int receive;  /* 1: play what arrives (sendrecv/recvonly), 0: count and discard */
};

/* Which half of the stream an event is about (the values of RTCMT_AUDIO_SEND/RECEIVE). */
enum rtcpm_media_direction
{
    RTCPM_MEDIA_SEND = 1,
    RTCPM_MEDIA_RECEIVE = 2
};

/* Event kinds: the first three have the values of RTC_MEDIA_EVENT_TYPE (RTCMET_*). */
enum rtcpm_media_event_type
{
    RTCPM_MEDIA_EV_STOPPED = 0, /* a direction stopped: stop(), RTCP BYE, no RTP for rtp_timeout_ms */
    RTCPM_MEDIA_EV_STARTED = 1, /* a direction started (start()) */
    RTCPM_MEDIA_EV_FAILED = 2,  /* a direction failed: a device did not open, a socket error */
    RTCPM_MEDIA_EV_DTMF = 16    /* a received telephone-event began or ended (rtcpm only) */
};

/* Why (the values of RTC_MEDIA_EVENT_REASON, RTCMER_*). */
enum rtcpm_media_reason
{
    RTCPM_MEDIA_REASON_NORMAL = 0,
    RTCPM_MEDIA_REASON_HOLD = 1,
    RTCPM_MEDIA_REASON_TIMEOUT = 2,
    RTCPM_MEDIA_REASON_BAD_DEVICE = 3,
    RTCPM_MEDIA_REASON_NO_PORT = 4,
    RTCPM_MEDIA_REASON_PORT_MAPPING_FAILED = 5,
    RTCPM_MEDIA_REASON_REMOTE_REQUEST = 6
};

struct rtcpm_media_event
{
    enum rtcpm_media_event_type type;
    enum rtcpm_media_direction direction; /* SEND or RECEIVE (DTMF: RECEIVE) */
    enum rtcpm_media_reason reason;
    HRESULT hr;       /* S_OK, RTCPM_MEDIA_E_NO_DEVICE, RTCPM_MEDIA_E_SOCKET */
    const char *text; /* why, for people ("waveOutOpen: error 2 (bad device ID)"); never NULL */
    /* RTCPM_MEDIA_EV_DTMF only: */
    int dtmf_event;         /* RFC 4733 event code = RTC_DTMF value: 0-9, 10 '*', 11 '#', 12-15 A-D, 16 flash */
    int dtmf_end;           /* 0: the event began, 1: it ended (reported once, whatever the redundancy) */
    uint32_t dtmf_duration; /* in 8 kHz samples (at the end: the whole duration) */
};

typedef void (*rtcpm_media_event_cb)(void *ctx, const struct rtcpm_media_event *ev);

struct rtcpm_media_config
{
    /* Where RTP and RTCP are bound: the internal addresses the port manager answered.
     * local_rtcp left zeroed (family 0): local_rtp's address, RTP port + 1 (any port when
     * the RTP port is 0). */
    rtcpm_addr local_rtp;
    rtcpm_addr local_rtcp;
    /* Or sockets already bound (UDP): the stream owns them from the create call on, whatever
     * it returns, and closes them in destroy. Each one given replaces its local_* address. */
    rtcpm_socket *rtp_socket;
    rtcpm_socket *rtcp_socket;
    const char *cname;                /* RTCP SDES CNAME ("user@host"); NULL: "rtcpm@<local RTP address>" */
    const char *capture_device;       /* see "Device names" above; copied */
    const char *playback_device;      /* copied */
    struct rtcpm_media_codecs codecs; /* default: PCMU (PT 0), telephone-event 101, sendrecv */
    int rtp_timeout_ms;               /* > 0: EV_STOPPED/RECEIVE/TIMEOUT after that long without RTP
                                    once RTP was received; 0 (default): never */
    /* > 0: each socket (RTP, RTCP) sends nothing until a packet from the remote arrived on it,
     * or until that long after the start. For NATs whose negotiated mapping only forwards
     * inbound (miniupnpd's PCP MAP behind MASQUERADE --random-fully): a packet sent first
     * would leave from another external port and take the flow the remote's packets need.
     * 0 (default): send from the start. */
    int wait_for_remote_ms;
    rtcpm_media_event_cb on_event; /* optional */
    void *ctx;
};

/* What happened so far (a snapshot). Packet counts are RTP packets unless named rtcp_. */
struct rtcpm_media_stats
{
    uint32_t local_ssrc, remote_ssrc;           /* remote_ssrc 0 until RTP arrived */
    uint64_t rtp_sent, rtp_octets_sent;         /* octets: payload only (RFC 3550 SR) */
    uint64_t rtp_received, rtp_octets_received; /* accepted packets from the remote */
    uint64_t rtp_ignored;                       /* other source address, other SSRC, unknown payload type */
    uint64_t rtp_malformed;                     /* not RTP version 2, lengths that do not add up */
    uint64_t rtcp_sent, rtcp_received, rtcp_ignored, rtcp_malformed;
    uint64_t dtmf_sent;     /* telephone-events sent (one per send_dtmf) */
    uint64_t dtmf_received; /* telephone-events received (ends reported) */
    /* Reception statistics of RFC 3550 A.3/A.8 (what our RR says about the remote). */
    int32_t cumulative_lost;
    uint32_t expected;
    uint32_t jitter; /* interarrival jitter, 8 kHz samples */
    /* The remote's last report about us (RR/SR report block); rtt_ms -1 while unknown. */
    uint32_t remote_fraction_lost; /* 0..255 (fraction * 256) */
    int32_t remote_cumulative_lost;
    uint32_t remote_jitter;
    int32_t rtt_ms;
    /* Playout (jitter buffer): 20 ms frames. */
    uint64_t frames_played, frames_concealed, frames_silent;
    uint64_t packets_late, packets_duplicate;
    uint32_t playout_delay_ms;       /* current target delay of the jitter buffer */
    int capture_open, playback_open; /* 1: the device (or file) opened at the last start (kept
                                        after stop); 0: none, or it failed (see the events) */
};

/* Fills cfg with the defaults (zeroed addresses, PCMU, telephone-event 101, sendrecv). */
void rtcpm_media_config_init(struct rtcpm_media_config *cfg);

/* Binds the sockets (or takes cfg's), picks SSRC, sequence and timestamp at random. */
HRESULT rtcpm_media_stream_create(struct rtcpm_media_stream **out, const struct rtcpm_media_config *cfg);
/* Stops the stream if it runs, closes the sockets, frees it (NULL is fine). */
void rtcpm_media_stream_destroy(struct rtcpm_media_stream *s);

/* The bound local addresses (what getsockname says: the real ports after a bind to port 0). */
HRESULT rtcpm_media_stream_local(struct rtcpm_media_stream *s, rtcpm_addr *rtp, rtcpm_addr *rtcp);
/* Where RTP and RTCP go (rtcp NULL or family 0: rtp's address, port + 1). Callable while
 * running (a re-INVITE moves the media). Port 0 is E_INVALIDARG. */
HRESULT rtcpm_media_stream_set_remote(struct rtcpm_media_stream *s, const rtcpm_addr *rtp, const rtcpm_addr *rtcp);
/* The negotiated payload types (before or while running; E_INVALIDARG for a codec other than
 * PCMU/PCMA or a PT outside 0..127). */
HRESULT rtcpm_media_stream_set_codecs(struct rtcpm_media_stream *s, const struct rtcpm_media_codecs *codecs);

/* Starts the thread: devices open (a failure is an event, not an error), STARTED events for
 * both directions, RTP every 20 ms. E_UNEXPECTED when running or without a remote address. */
HRESULT rtcpm_media_stream_start(struct rtcpm_media_stream *s);
/* Sends RTCP BYE, ends the thread, closes the devices, STOPPED events (reason NORMAL).
 * S_FALSE when it was not running. A stream can be started again. */
HRESULT rtcpm_media_stream_stop(struct rtcpm_media_stream *s);

/* Sends an RFC 4733 telephone-event (0..16, the RTC_DTMF values) lasting duration_ms (0:
 * 160 ms; 40..8000), and plays its tone locally on the playback device. Events queue: one
 * after the other. E_UNEXPECTED when not running or no telephone-event was negotiated. */
HRESULT rtcpm_media_stream_send_dtmf(struct rtcpm_media_stream *s, int event, int duration_ms);

/* Mute: the microphone sends silence (packets go on), the speaker plays silence. */
HRESULT rtcpm_media_stream_set_mute(struct rtcpm_media_stream *s, enum rtcpm_media_direction dir, int muted);
HRESULT rtcpm_media_stream_get_mute(struct rtcpm_media_stream *s, enum rtcpm_media_direction dir, int *muted);
/* Volume 0..0xFFFF (RTC's range; 0xFFFF = unchanged level), a gain applied to the samples. */
HRESULT rtcpm_media_stream_set_volume(struct rtcpm_media_stream *s, enum rtcpm_media_direction dir, long volume);
HRESULT rtcpm_media_stream_get_volume(struct rtcpm_media_stream *s, enum rtcpm_media_direction dir, long *volume);

HRESULT rtcpm_media_stream_get_stats(struct rtcpm_media_stream *s, struct rtcpm_media_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_SRC_MEDIA_MEDIA_STREAM_H */
