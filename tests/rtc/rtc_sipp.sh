#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# rtc_sipp.sh — rtcdll.dll against sipp on loopback, through the RTC Client API: the samples
# rtc_registration / rtc_outgoing_call (under wine64, the DLL loaded with --dll) against
# sipp scenarios of tests/rtc/sipp, each with its own free ports.
#
#   rtc_sipp.sh WORKDIR SAMPLES_BIN DLL [RUNNER...]     (CTest: rtc_sipp_<case>)
#   rtc_sipp.sh ... --case NAME                         one case only
#
# Cases: reg_plain (no challenge; Contact = the port manager's mapping), reg_plain_c (the same
# with the plain C sample rtc_registration_c), reg_auth (401 -> digest, sipp verifyauth; the
# Expires: 0 with credentials), reg_wrong_password (REJECTED 0x80EF0191 "Unauthorized", no retry
# loop: sipp fails on a third REGISTER), reg_silent (a registrar that never answers: ERROR
# RTC_E_SIP_TIMEOUT "no answer" after 64*T1, T1 shortened by RTCPM_SIP_T1_MS), call_200
# (CONNECTED, UpdateRemoteAddressEx2 with the answer, RTP PCMU + RTCP at the answer's address
# from the mapped internal ports, BYE), call_refused (486, 302, 503 in turn: DISCONNECTED
# 0x80EF01E6 / 0x80EF012E / 0x80EF01F7 with the reason phrase as status text), call_callee_bye
# (the callee's BYE: DISCONNECTED), call_cancel (Terminate while ringing: CANCEL, 487),
# call_media (SendDTMF -> RFC 4733 PT 101 packets, a 1 kHz tone from the microphone named by
# put_PreferredAudioDevice file:, a speaker that does not open -> RTCE_MEDIA FAILED
# BAD_DEVICE and the call goes on, STARTED/STOPPED), call_mute (put_AudioMuted: RTP goes on,
# every packet silence), call_sound (sipp streams g711a.pcap's speech into the call: what rtcdll plays
# through the file: speaker correlates with the pcap's decoded speech), call_dtmf (sipp plays
# dtmf_2833_*.pcap into the call: rtcdll logs each received key once, RTCPM_DEBUG=rtc),
# call_pulse (winmm for real: a private PulseAudio's null sink and pipe source, tones both ways).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/rtc_sipp_lib.sh" "$@"
reg_exe=$bindir/rtc_registration.exe
reg_c_exe=$bindir/rtc_registration_c.exe
call_exe=$bindir/rtc_outgoing_call.exe
rtc_sipp_need "$reg_exe"

# reg_plain_case NAME EXE: registration without a challenge, through rtcpm's static port manager
reg_plain_case() {
    local name=$1 exe=$2
    reg=$(free_port) sip=$(free_port)
    scenario "$here/sipp/reg_plain.xml.in" "$workdir/$name.xml" CONTACT_RE="127\\.0\\.0\\.1:$sip"
    static_ini "$workdir/reg.ini" "$sip"
    sipp_start "$name" "$workdir/$name.xml" "$reg"
    sample "$exe" --registrar "127.0.0.1:$reg" --static "$(winpath "$workdir/reg.ini")"
    sipp_wait "$name"
    expect_rc "$name" 0
    expect_events "$name" "event registration RTCRS_REGISTERING 0x00000000" \
        "event registration RTCRS_REGISTERED 0x00EF00C8" "event registration RTCRS_UNREGISTERING 0x00000000" \
        "event registration RTCRS_NOT_REGISTERED 0x00EF00C8" "event client RTCCET_ASYNC_CLEANUP_DONE"
    has "$name: GetMappingEx(registrar, port, UDP, SIP)" "$out" "pm GetMappingEx(127.0.0.1, $reg, UDP, SIP) -> S_OK internal 127.0.0.1:$sip external 127.0.0.1:$sip"
    has "$name: ReleaseMappingEx at the end" "$out" "pm ReleaseMappingEx(UDP, internal 127.0.0.1:$sip, external 127.0.0.1:$sip) -> S_OK"
}

run reg_plain && reg_plain_case reg_plain "$reg_exe"
# the same flow from the plain C sample (COBJMACROS, a C event sink)
if run reg_plain_c; then
    rtc_sipp_need "$reg_c_exe"
    reg_plain_case reg_plain_c "$reg_c_exe"
fi

if run reg_auth; then
    reg=$(free_port)
    sipp_start reg_auth "$here/sipp/reg_auth.xml" "$reg"
    sample "$reg_exe" --registrar "127.0.0.1:$reg" --account alice --password secret
    sipp_wait reg_auth
    expect_rc reg_auth 0
    expect_events reg_auth "event registration RTCRS_REGISTERING 0x00000000" \
        "event registration RTCRS_REGISTERED 0x00EF00C8" "event registration RTCRS_UNREGISTERING 0x00000000" \
        "event registration RTCRS_NOT_REGISTERED 0x00EF00C8" "event client RTCCET_ASYNC_CLEANUP_DONE"
    hasnt "reg_auth: no port manager, no pm lines" "$out" "pm "
fi

if run reg_wrong_password; then
    reg=$(free_port)
    sipp_start reg_wrong_password "$here/sipp/reg_wrong_password.xml" "$reg"
    sample "$reg_exe" --registrar "127.0.0.1:$reg" --account alice --password wrong
    sipp_wait reg_wrong_password
    expect_rc reg_wrong_password 1
    expect_events reg_wrong_password "event registration RTCRS_REGISTERING 0x00000000" \
        "event registration RTCRS_REJECTED 0x80EF0191" "event registration RTCRS_NOT_REGISTERED 0x00000000" \
        "event client RTCCET_ASYNC_CLEANUP_DONE"
    has_line "reg_wrong_password: get_StatusText is the 401's reason phrase" \
        'event registration RTCRS_REJECTED 0x80EF0191 "Unauthorized"'
fi

if run reg_silent; then
    reg=$(free_port) sip=$(free_port)
    static_ini "$workdir/reg.ini" "$sip"
    "$python" -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1]))); s.settimeout(8)
n = 0
try:
    while True: s.recvfrom(4096); n += 1
except socket.timeout: pass
print(n)' "$reg" >"$workdir/silent.count" &
    silent=$!
    pids+=($silent)
    t0=$(date +%s%N)
    RTCPM_SIP_T1_MS=50 WINEDEBUG=-all sample "$reg_exe" --registrar "127.0.0.1:$reg" --static "$(winpath "$workdir/reg.ini")" --timeout 15000
    ms=$((($(date +%s%N) - t0) / 1000000))
    expect_rc reg_silent 2
    expect_events reg_silent "event registration RTCRS_REGISTERING 0x00000000" \
        "event registration RTCRS_ERROR 0x80EE000C" "event registration RTCRS_NOT_REGISTERED 0x00000000" \
        "event client RTCCET_ASYNC_CLEANUP_DONE"
    has_line "reg_silent: get_StatusText of the timeout" 'event registration RTCRS_ERROR 0x80EE000C "no answer"'
    has "reg_silent: the mapping released on failure" "$out" "pm ReleaseMappingEx(UDP, internal 127.0.0.1:$sip, external 127.0.0.1:$sip) -> S_OK"
    [ "$ms" -lt 12000 ] && pass "reg_silent: gave up after Timer F in ${ms} ms" || fail "reg_silent: took ${ms} ms"
    wait "$silent"
    n=$(cat "$workdir/silent.count")
    [ "${n:-0}" -ge 3 ] && pass "reg_silent: the REGISTER was retransmitted ($n datagrams)" || fail "reg_silent: $n datagrams"
fi

# call CASE SCENARIO ARGS... : a call against sipp with media listened to at MEDIA_PORT
# (rtp_listen.py, with the extra options in listen_args)
listen_args=()
call_case() {
    local name=$1 tpl=$2; shift 2
    peer=$(free_port) sip=$(free_port) rtp=$(free_pair) media=$(free_pair)
    scenario "$tpl" "$workdir/$name.xml" OFFER_RE="c=IN IP4 127\\.0\\.0\\.1" MEDIA_IP=127.0.0.1 MEDIA_PORT="$media"
    static_ini "$workdir/call.ini" "$sip" "$rtp"
    rm -f "$workdir/media.ready"
    "$python" "$here/rtp_listen.py" --bind "127.0.0.1:$media" --seconds 9 --ready "$workdir/media.ready" \
        "${listen_args[@]}" >"$workdir/$name.media" 2>&1 &
    media_pid=$!
    pids+=($media_pid)
    for _ in $(seq 100); do [ -e "$workdir/media.ready" ] && break; sleep 0.05; done
    sipp_start "$name" "$workdir/$name.xml" "$peer"
    sample "$call_exe" --peer "sip:bob@127.0.0.1:$peer" --static "$(winpath "$workdir/call.ini")" "$@"
    sipp_wait "$name"
}

if run call_200; then
    call_case call_200 "$here/sipp/call_uas.xml.in" --duration 1500
    expect_rc call_200 0
    expect_events call_200 "event session RTCSS_INPROGRESS 0x00000000" "event participant RTCPS_PENDING 0x00000000" \
        "event participant RTCPS_INPROGRESS 0x00000000" "event participant RTCPS_ALERTING 0x00EF00B4" \
        "event participant RTCPS_CONNECTED 0x00EF00C8" "event session RTCSS_CONNECTED 0x00EF00C8" \
        "event participant RTCPS_DISCONNECTING 0x00000000" "event participant RTCPS_DISCONNECTED 0x00000000" \
        "event session RTCSS_DISCONNECTED 0x00000000" "event client RTCCET_ASYNC_CLEANUP_DONE"
    has "call_200: SIP mapping" "$out" "pm GetMappingEx(127.0.0.1, $peer, UDP, SIP) -> S_OK internal 127.0.0.1:$sip"
    has "call_200: RTP mapping" "$out" "pm GetMappingEx(127.0.0.1, 0, UDP, AUDIO_RTP) -> S_OK internal 127.0.0.1:$rtp"
    has "call_200: RTCP mapping" "$out" "pm GetMappingEx(127.0.0.1, 0, UDP, AUDIO_RTCP) -> S_OK internal 127.0.0.1:$((rtp + 1))"
    has "call_200: UpdateRemoteAddressEx2 with the answer (RTP)" "$out" "pm UpdateRemoteAddressEx2(127.0.0.1, $media, UDP, internal 127.0.0.1:$rtp"
    has "call_200: UpdateRemoteAddressEx2 with the answer (RTCP)" "$out" "pm UpdateRemoteAddressEx2(127.0.0.1, $((media + 1)), UDP, internal 127.0.0.1:$((rtp + 1))"
    [ "$(grep -c '^pm ReleaseMappingEx' "$out")" = 3 ] && pass "call_200: three releases" || { fail "call_200: releases"; show; }
    wait "$media_pid"
    sed 's/^/  media: /' "$workdir/call_200.media"
    n=$(awk -v src="127.0.0.1:$rtp" '$1 == "rtp" && $4 == src && $6 == 0 && $8 == 172 {print $2}' "$workdir/call_200.media")
    [ "${n:-0}" -ge 25 ] && pass "call_200: $n RTP PCMU packets from the mapped internal port" || fail "call_200: RTP ${n:-none}"
    grep -qE "^rtcp [0-9]+ from 127\\.0\\.0\\.1:$((rtp + 1)) types 200,202" "$workdir/call_200.media" \
        && pass "call_200: RTCP SR+SDES from the RTCP port" || fail "call_200: no RTCP"
fi

# refused: 486 Busy Here, 302 Moved Temporarily (redirects are not followed), 503 Service
# Unavailable -> DISCONNECTED with the status as RTC's HRESULT and the reason phrase as text
refused() { # refused CODE HRESULT REASON HEADER
    local name=call_refused_$1
    scenario "$here/sipp/call_refused.xml.in" "$workdir/call_refused.xml" CODE="$1" REASON="$3" HEADER="$4"
    call_case "$name" "$workdir/call_refused.xml"
    expect_rc "$name" 1
    expect_events "$name" "event session RTCSS_INPROGRESS 0x00000000" "event participant RTCPS_PENDING 0x00000000" \
        "event participant RTCPS_INPROGRESS 0x00000000" "event participant RTCPS_DISCONNECTED $2" \
        "event session RTCSS_DISCONNECTED $2" "event client RTCCET_ASYNC_CLEANUP_DONE"
    has_line "$name: get_StatusText is the reason phrase" "event session RTCSS_DISCONNECTED $2 \"$3\""
    [ "$(grep -c '^pm ReleaseMappingEx' "$out")" = 3 ] && pass "$name: three releases" || { fail "$name: releases"; show; }
}
if run call_refused; then
    refused 486 0x80EF01E6 "Busy Here" "Server: rtcpm-test"
    refused 302 0x80EF012E "Moved Temporarily" "Contact: <sip:carol@127.0.0.1:$(free_port)>"
    refused 503 0x80EF01F7 "Service Unavailable" "Retry-After: 5"
fi

if run call_callee_bye; then
    call_case call_callee_bye "$here/sipp/call_callee_bye.xml.in" --duration 15000
    expect_rc call_callee_bye 0
    expect_events call_callee_bye "event session RTCSS_INPROGRESS 0x00000000" "event participant RTCPS_PENDING 0x00000000" \
        "event participant RTCPS_INPROGRESS 0x00000000" "event participant RTCPS_ALERTING 0x00EF00B4" \
        "event participant RTCPS_CONNECTED 0x00EF00C8" "event session RTCSS_CONNECTED 0x00EF00C8" \
        "event participant RTCPS_DISCONNECTED 0x00000000" "event session RTCSS_DISCONNECTED 0x00000000" \
        "event client RTCCET_ASYNC_CLEANUP_DONE"
    hasnt "call_callee_bye: no Terminate needed" "$out" "Terminate ->"
fi

if run call_cancel; then
    call_case call_cancel "$here/sipp/call_cancel.xml" --terminate-after 1000
    expect_rc call_cancel 0
    expect_events call_cancel "event session RTCSS_INPROGRESS 0x00000000" "event participant RTCPS_PENDING 0x00000000" \
        "event participant RTCPS_INPROGRESS 0x00000000" "event participant RTCPS_ALERTING 0x00EF00B4" \
        "event participant RTCPS_DISCONNECTING 0x00000000" "event participant RTCPS_DISCONNECTED 0x00000000" \
        "event session RTCSS_DISCONNECTED 0x00000000" "event client RTCCET_ASYNC_CLEANUP_DONE"
    has "call_cancel: Terminate while ringing" "$out" "Terminate -> 0x00000000 (S_OK)"
fi

# a 1 kHz tone (raw s16le, 8 kHz, 3 s) for the microphone: file:PATH through put_PreferredAudioDevice
tone() {
    "$python" -c 'import math, struct, sys
sys.stdout.buffer.write(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 1000 * i / 8000))) for i in range(24000)))' >"$1"
}
# the "audio N of M from SRC pt P" line of rtp_listen.py for the mapped RTP port
audio_line() { grep -E "^audio [0-9]+ of [0-9]+ from 127\.0\.0\.1:$rtp pt 0\$" "$workdir/$1.media"; }

if run call_media; then
    tone "$workdir/tone.raw"
    call_case call_media "$here/sipp/call_uas_te.xml.in" --duration 2500 --dtmf '15#' \
        --mic "file:$(winpath "$workdir/tone.raw")" --speaker "no such speaker"
    expect_rc call_media 0
    has "call_media: SendDTMF" "$out" "SendDTMF(#) -> 0x00000000 (S_OK)"
    has "call_media: RTCE_MEDIA send started" "$out" "media AUDIO_SEND STARTED 0"
    has "call_media: RTCE_MEDIA speaker failed, BAD_DEVICE" "$out" "media AUDIO_RECEIVE FAILED 3"
    has "call_media: RTCE_MEDIA stopped at the end" "$out" "media AUDIO_SEND STOPPED 0"
    has "call_media: the call still connected" "$out" "event session RTCSS_CONNECTED 0x00EF00C8"
    wait "$media_pid"
    sed 's/^/  media: /' "$workdir/call_media.media"
    n=$(awk -v src="127.0.0.1:$rtp" '$1 == "rtp" && $4 == src && $6 == 101 && $8 == 16 {print $2}' "$workdir/call_media.media")
    # three events of 160 ms: 8 packets each (20 ms) + the end packet sent 3 times (RFC 4733 2.5.1.4)
    [ "${n:-0}" -ge 24 ] && pass "call_media: $n telephone-event packets (PT 101) from the mapped port" || fail "call_media: telephone-events ${n:-none}"
    # the keys at the peer, in order: each 1280 samples (160 ms) with its end packet three times
    got=$(awk -v src="127.0.0.1:$rtp" '$1 == "tevent" && $8 == src {printf "%s/%s/%s ", $2, $4, $6}' "$workdir/call_media.media")
    [ "$got" = "1/1280/3 5/1280/3 #/1280/3 " ] && pass "call_media: the peer decoded the keys 1 5 # (duration/end packets: $got)" \
        || fail "call_media: the peer decoded '$got'"
    read -r _ sound _ total _ < <(audio_line call_media)
    [ "${sound:-0}" -ge 100 ] && pass "call_media: $sound of $total PCMU packets carry the tone" || fail "call_media: sound ${sound:-none} of ${total:-none}"
fi

if run call_mute; then
    tone "$workdir/tone.raw"
    call_case call_mute "$here/sipp/call_uas.xml.in" --duration 2000 --mute --mic "file:$(winpath "$workdir/tone.raw")"
    expect_rc call_mute 0
    has "call_mute: put_AudioMuted" "$out" "put_AudioMuted -> 0x00000000 (S_OK)"
    wait "$media_pid"
    read -r _ sound _ total _ < <(audio_line call_mute)
    [ "${total:-0}" -ge 50 ] && [ "${sound:-1}" = 0 ] && pass "call_mute: $total PCMU packets, all silence (muted sends silence, not nothing)" \
        || { fail "call_mute: ${sound:-none} of ${total:-none} with sound"; sed 's/^/  media: /' "$workdir/call_mute.media"; }
fi

# sipp streams g711a.pcap's speech (its A-law payload, PCMA RTP from sipp's media port) into a
# call placed through the RTC API; what rtcpm decodes and
# plays (put_PreferredAudioDevice(speaker, file:heard.wav)) must correlate with the pcap's
# payload decoded by sox: 0.25 s pieces, each at its own lag (jitter buffer), >= 0.9 for 70 %
if run call_sound; then
    pcap=/usr/share/sip-tester/g711a.pcap
    if [ ! -f $pcap ] || ! command -v sox >/dev/null || ! "$python" -c 'import numpy' 2>/dev/null; then
        echo "SKIPPED: $pcap, sox or python3-numpy missing"
        exit 77
    fi
    peer=$(free_port) sip=$(free_port) rtp=$(free_pair) media=$(free_pair)
    "$python" "$here/../media/analyse.py" pcap-alaw $pcap "$workdir/ref.al"
    sox -t raw -e a-law -r 8000 -c 1 "$workdir/ref.al" -b 16 "$workdir/ref.wav"
    scenario "$here/sipp/call_uas_pcap.xml.in" "$workdir/call_sound.xml" OFFER_RE="c=IN IP4 127\\.0\\.0\\.1" \
        MEDIA_IP=127.0.0.1 MEDIA_PORT="$media" STREAM="$workdir/ref.al"
    static_ini "$workdir/call.ini" "$sip" "$rtp"
    rm -f "$workdir/heard.wav"
    sipp_start call_sound "$workdir/call_sound.xml" "$peer" -mp "$media"
    sample "$call_exe" --peer "sip:bob@127.0.0.1:$peer" --static "$(winpath "$workdir/call.ini")" --duration 9000 \
        --speaker "file:$(winpath "$workdir/heard.wav")"
    sipp_wait call_sound
    expect_rc call_sound 0
    if [ -s "$workdir/heard.wav" ] && "$python" "$here/../media/analyse.py" corr "$workdir/heard.wav" "$workdir/ref.wav" \
        --min 0.9 --window 0.25 --windows-ok 0.7; then
        pass "call_sound: what rtcdll played correlates with the pcap's speech"
    else
        fail "call_sound: heard.wav does not match the pcap"
    fi
fi

# sipp plays Debian's RFC 4733 pcaps (sipp's dtmf_2833_*.pcap, recorded events with their three
# end packets) into the call with play_pcap_audio, from its -mp port ([media_port] in its answer:
# tests/rtc/sipp/call_uas_dtmf.xml.in); rtcdll reports each received event once, on the rtc
# trace channel (RTC 1.x has no event for received DTMF): the keys and durations it logged must
# be the pcaps' events, decoded here, in order, each once.
if run call_dtmf; then
    pcaps=()
    for k in 1 5 star pound; do pcaps+=("/usr/share/sip-tester/dtmf_2833_$k.pcap"); done
    for f in "${pcaps[@]}"; do [ -f "$f" ] || { echo "SKIPPED: $f missing (Debian package sip-tester)"; exit 77; }; done
    # what the pcaps carry: "pt N" (one payload type for all), then the line rtcdll must log per
    # event (an event = its RTP timestamp; its end packets give the key and the whole duration)
    "$python" - "${pcaps[@]}" >"$workdir/dtmf.want" <<'PY'
import struct, sys
pts, lines = set(), []
for path in sys.argv[1:]:
    data = open(path, 'rb').read()
    order = '<' if data[:4] == b'\xd4\xc3\xb2\xa1' else '>'
    pos, ends = 24, {}
    while pos + 16 <= len(data):
        size = struct.unpack(order + 'I', data[pos + 8:pos + 12])[0]
        ip = data[pos + 16 + 14:pos + 16 + size]  # past the record header and Ethernet
        pos += 16 + size
        rtp = ip[(ip[0] & 15) * 4 + 8:]
        pts.add(rtp[1] & 0x7F)
        ts = struct.unpack('!I', rtp[4:8])[0]
        event, flags, duration = struct.unpack('!BBH', rtp[12:16])
        if flags & 0x80:
            ends.setdefault(ts, set()).add((event, duration))
    for ts in sorted(ends):
        assert len(ends[ts]) == 1, 'end packets of one event disagree: %s' % path
        event, duration = ends[ts].pop()
        lines.append("received DTMF '%s' (duration %d ms)" % ('0123456789*#ABCD'[event], duration // 8))
assert len(pts) == 1, 'payload types %s' % pts
print('pt %d' % pts.pop())
print('\n'.join(lines))
PY
    [ $? = 0 ] || die "call_dtmf: could not decode ${pcaps[*]}"
    pt=$(sed -n 's/^pt //p' "$workdir/dtmf.want")
    sed -i '/^pt /d' "$workdir/dtmf.want"
    plays=
    for f in "${pcaps[@]}"; do plays+="<nop><action><exec play_pcap_audio=\"$f\"/></action></nop><pause milliseconds=\"500\"/>"; done
    peer=$(free_port) sip=$(free_port) rtp=$(free_pair) media=$(free_pair)
    scenario "$here/sipp/call_uas_dtmf.xml.in" "$workdir/call_dtmf.xml" OFFER_RE="c=IN IP4 127\\.0\\.0\\.1" \
        DTMF_PT="$pt" PLAYS="$plays"
    static_ini "$workdir/call.ini" "$sip" "$rtp"
    sipp_start call_dtmf "$workdir/call_dtmf.xml" "$peer" -mp "$media"
    RTCPM_DEBUG=rtc sample "$call_exe" --peer "sip:bob@127.0.0.1:$peer" --static "$(winpath "$workdir/call.ini")" --duration 3500
    sipp_wait call_dtmf
    expect_rc call_dtmf 0
    grep -o "received DTMF .*" "$workdir/err.txt" >"$workdir/dtmf.got"
    if [ -s "$workdir/dtmf.want" ] && cmp -s "$workdir/dtmf.want" "$workdir/dtmf.got"; then
        pass "call_dtmf: rtcdll logged the pcaps' $(wc -l <"$workdir/dtmf.want") events (PT $pt), in order, each once"
    else
        fail "call_dtmf: the received DTMF rtcdll logged is not the pcaps'"
        diff "$workdir/dtmf.want" "$workdir/dtmf.got" | sed 's/^/  /'
    fi
fi

# The real winmm devices through a call of rtcdll (no file hook): a private PulseAudio
# (tests/media/pulse_lib.sh: null sink + pipe source) that Wine's winepulse.drv uses,
# put_PreferredAudioDevice(#0) for microphone and speaker. rtp_listen.py, the callee's media,
# answers rtcdll's RTP with a 1 kHz tone (PCMU): it must come out of the sink's monitor; a
# 600 Hz tone fed into the pipe source must arrive at the callee as RTP. Frequency, in-band
# energy and a minimum duration are checked, never sample counts (Wine's playback has gaps
# under load). PulseAudio that cannot start: SKIPPED, exit 77 (red in strict CI).
if run call_pulse; then
    . "$here/../media/pulse_lib.sh"
    pulse_need
    loader=$("${runner[0]}" --loader "$call_exe") || { echo "$loader"; exit 77; }
    trap 'pulse_stop; cleanup' EXIT
    pulse_start "$workdir/pulse" || exit 77
    pulse_wine_driver "$loader" "${runner[1]}"
    pulse_feed 600
    sox -n -r 8000 -c 1 -t raw -e mu-law "$workdir/tone.ul" synth 4 sine 1000 vol 0.5
    pulse_record "$workdir/monitor.raw"
    listen_args=(--send "$workdir/tone.ul" --pt 0 --record "$workdir/got.ul")
    call_case call_pulse "$here/sipp/call_uas_te.xml.in" --duration 5000 --mic '#0' --speaker '#0'
    listen_args=()
    pulse_record_stop
    expect_rc call_pulse 0
    has "call_pulse: RTCE_MEDIA send started" "$out" "media AUDIO_SEND STARTED 0"
    has "call_pulse: RTCE_MEDIA receive started" "$out" "media AUDIO_RECEIVE STARTED 0"
    hasnt "call_pulse: both devices opened" "$out" " FAILED "
    wait "$media_pid"
    sed 's/^/  media: /' "$workdir/call_pulse.media"
    "$python" "$here/../media/analyse.py" tone "$workdir/monitor.raw" --hz 1000 --min-seconds 1.0 \
        && pass "call_pulse: the callee's 1 kHz tone came out of the null sink's monitor" \
        || fail "call_pulse: no 1 kHz tone on the sink's monitor"
    sox -t raw -e mu-law -r 8000 -c 1 "$workdir/got.ul" -b 16 "$workdir/got.wav"
    "$python" "$here/../media/analyse.py" tone "$workdir/got.wav" --hz 600 --min-seconds 1.0 \
        && pass "call_pulse: the pipe source's 600 Hz tone reached the callee as RTP" \
        || fail "call_pulse: no 600 Hz tone in the RTP the callee received"
fi

cleanup
echo "rtc_sipp: $fails failed"
[ "$fails" = 0 ]
