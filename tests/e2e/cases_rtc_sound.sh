# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash disable=SC2034,SC2154 # sourced by rtc_case.sh: its variables (here, bin, uas_rc, media_rc...)
# cases_rtc_sound.sh — calls through the NAT that carry sound both ways, sourced by rtc_case.sh
# (whose helpers it uses: rtc_up, run_sample, pm_mapping, call_checks, in_call_static, ...).
# rtcdll.dll's microphone is a 1 kHz tone WAV and its speaker a WAV file (the media module's
# file: devices, README "Media"); the far end, rtp_talk.py on 198.19.1.2:40000/40001, sends a
# 440 Hz PCMU tone to the address the SDP named and records what comes back from there.
# Checks on each side: the other side's tone by frequency (tests/media/analyse.py, not
# equality: jitter buffer, G.711), that it came from the SDP's RTP address, and that RTCP (SR
# or RR first) reached the far end from the SDP's RTCP address.
#
#   rtc_sound_stun  outgoing call, rtcpm's STUN port manager, plain MASQUERADE: the called
#                   party (sipp) answers with telephone-event too, rtp_talk.py sends to the
#                   offer's c=/m= once the client's first RTP has come (the NAT filters by
#                   address and port); once connected the application presses 1 # 9 (SendDTMF)
#                   and the far end decodes those RFC 4733 events, in that order, from the
#                   offer's RTP address
#   rtc_sound_pcp   the same with rtcpm's PCP port manager (rtc_outgoing_call.exe --pcp) and
#                   miniupnpd, behind MASQUERADE --random-fully: the called party answers
#                   300 ms after the INVITE and rtp_talk.py sends to the offer's RTP and RTCP
#                   mappings at once, so that the client's own packets travel back along the
#                   flows the router's PCP mappings made (anything else leaves from a random
#                   port); no DNAT rule is left afterwards
#   rtc_sound_in    incoming call: rtc_incoming_call.exe registered with its own port manager
#                   + DNAT (as rtc_in_own_static), an unchanged application whose devices the
#                   test chooses with RTCPM_MEDIA_CAPTURE / RTCPM_MEDIA_PLAYBACK; the caller
#                   (sipp) on the WAN, rtp_talk.py at its offer's media address sending to
#                   the answer's 198.19.1.3:7078 (RTCP 7079)

SOUND_ANALYSE=$here/../media/analyse.py

# sound_prepare: the two signals (sox): rtcdll's microphone, 4 s of 1 kHz (WAV, 16-bit); the
# far end's, 4 s of 440 Hz as mu-law codes. Before the network: a missing tool skips.
sound_prepare() {
    command -v sox >/dev/null || e2e_skip "sox not installed (scripts/install-deps.sh)"
    "$E2E_PYTHON" -c 'import numpy' 2>/dev/null || e2e_skip "python3-numpy not installed (scripts/install-deps.sh)"
    sox -n -r 8000 -c 1 -b 16 "$E2E_RUN_DIR/mic.wav" synth 4 sine 1000 vol 0.5
    sox -n -r 8000 -c 1 -t raw -e mu-law "$E2E_RUN_DIR/peer.ul" synth 4 sine 440 vol 0.5
    MIC="file:$(winpath "$E2E_RUN_DIR/mic.wav")"
    SPEAKER="file:$(winpath "$E2E_RUN_DIR/heard.wav")"
}

# sound_checks: what each side heard, and where from (the far end's target: the SDP's).
sound_checks() {
    local rtp rtcp
    sed 's/^/  | /' "$E2E_RUN_DIR/talk.log"
    rtp=$(sed -nE 's/^talk: target rtp ([0-9.:]+) rtcp .*/\1/p' "$E2E_RUN_DIR/talk.log")
    rtcp=$(sed -nE 's/^talk: target rtp [0-9.:]+ rtcp ([0-9.:]+).*/\1/p' "$E2E_RUN_DIR/talk.log")
    sox -t raw -e mu-law -r 8000 -c 1 "$E2E_RUN_DIR/talk.ul" -b 16 "$E2E_RUN_DIR/talk.wav" 2>/dev/null
    check "the far end received PCMU RTP from ${rtp:-?}, the SDP's RTP address" has "$E2E_RUN_DIR/talk.log" \
        "^talk: rtp [0-9]+ from $(e2e_re_ip "${rtp:-none}") pt 0${SOUND_DTMF:+,101}$"
    check "what came from there is rtcdll's 1 kHz microphone tone" \
        "$E2E_PYTHON" "$SOUND_ANALYSE" tone "$E2E_RUN_DIR/talk.wav" --hz 1000 --min-seconds 1.0
    check "rtcdll's speaker (file:heard.wav) played the far end's 440 Hz tone" \
        "$E2E_PYTHON" "$SOUND_ANALYSE" tone "$E2E_RUN_DIR/heard.wav" --hz 440 --min-seconds 1.0
    check "RTCP (SR or RR first) reached the far end from ${rtcp:-?}, the SDP's RTCP address" \
        has "$E2E_RUN_DIR/talk.log" "^talk: rtcp [0-9]+ from $(e2e_re_ip "${rtcp:-none}") types 20[01](,|$)"
    [ -z "${SOUND_DTMF:-}" ] && return
    check "the far end decoded the keys $SOUND_DTMF, in order, each ended, from ${rtp:-?}" eq \
        "$(sed -nE "s/^talk: dtmf ([^ ]*) from $(e2e_re_ip "${rtp:-none}") \(([0-9]+) events, \2 ended\)$/\1/p" \
            "$E2E_RUN_DIR/talk.log")" "$SOUND_DTMF"
}

# sound_call after|first PM_ARGS...: rtc_outgoing_call.exe with the tone as microphone and the
# speaker file, to sipp's UAS (answering at once, or 300 ms after the INVITE for "first") with
# rtp_talk.py at its answer's media address; the call's checks (talk's verdict is the "RTP
# reached the called party from the SDP's address" one), then the sound's. SOUND_DTMF=KEYS:
# the answer offers telephone-event and the application sends KEYS once connected.
sound_call() {
    local order=$1 E2E_UAS_ANSWER_DELAY_MS=0 E2E_UAS_DTMF=0 first=() keys=(); shift
    [ "$order" = first ] && E2E_UAS_ANSWER_DELAY_MS=300 first=(--send-first)
    [ -n "${SOUND_DTMF:-}" ] && E2E_UAS_DTMF=1 keys=(--dtmf "$SOUND_DTMF")
    e2e_uas_start "$E2E_WAN_ROUTER" any any
    e2e_talk_start --send "$E2E_RUN_DIR/peer.ul" --offer "$E2E_RUN_DIR/uas.offer" "${first[@]}"
    run_sample "$bin/rtc_outgoing_call.exe" --peer "sip:bob@$SIP_PEER" "$@" --duration 3000 \
        --mic "$MIC" --speaker "$SPEAKER" "${keys[@]}"
    e2e_wait uas 15; uas_rc=$?
    e2e_wait talk 15; media_rc=$?
    call_checks "$(pm_mapping AUDIO_RTP external)" "$(pm_mapping AUDIO_RTCP external)"
    sound_checks
}

case_rtc_sound_stun() {
    local SOUND_DTMF='1#9'
    sound_prepare
    rtc_up --nat masquerade
    e2e_stun_start
    sound_call after --stun "$STUN"
    rtp_conntrack_check
}

case_rtc_sound_pcp() {
    sound_prepare
    rtc_up --nat symmetric
    e2e_stun_start
    e2e_miniupnpd_start
    sound_call first --pcp "$E2E_LAN_ROUTER"
    check "the SDP names the router's address $E2E_WAN_ROUTER (PCP's external address)" \
        eq "$(pm_mapping AUDIO_RTP external | cut -d: -f1)" "$E2E_WAN_ROUTER"
    check "no DNAT rule left in miniupnpd's chain (every mapping released)" eq "$(e2e_miniupnpd_rules)" ""
}

case_rtc_sound_in() {
    sound_prepare
    own_static_up
    registrar_start "$(e2e_re_ip "$STATIC_IP"):5070"
    # the answer's c=/m= (the caller's ANSWER_RE checks them) and RTCP at RTP + 1 (no a=rtcp)
    e2e_talk_start --send "$E2E_RUN_DIR/peer.ul" --to "$STATIC_IP:7078"
    in_call_static 3000 RTCPM_MEDIA_CAPTURE="$MIC" RTCPM_MEDIA_PLAYBACK="$SPEAKER"
    e2e_wait talk 15; media_rc=$?
    in_call_checks
    sound_checks
}
