#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# rtc_sipp_in.sh — incoming calls through rtcdll.dll: the sample rtc_incoming_call (under
# wine64, the DLL loaded with --dll) listens (StartListenAddressAndPort + RTCLM_BOTH), sipp
# calls it on loopback as the caller (tests/rtc/sipp/in_*), each case on its own free ports.
#
#   rtc_sipp_in.sh WORKDIR SAMPLES_BIN DLL [RUNNER...] [--case NAME]   (CTest: rtc_sipp_<case>)
#
# Cases: in_answer (INCOMING with the caller, Answer -> GetMappingEx AUDIO_RTP/RTCP towards the
# caller's media, 200 with PCMU on the mapped port, ACK -> CONNECTED, RTP from the mapped
# internal port, the caller's BYE; a second Answer -> RTC_E_INVALID_SESSION_STATE), in_auto
# (RTCAM_AUTOMATICALLY_ACCEPT: no Answer call, local media ports: the session is answered
# before the application could give it a port manager), in_reject / in_busy / in_dnd (Terminate ->
# 603 / 486 / 480, a second Terminate -> RTC_E_INVALID_SESSION_STATE), in_cancel (the caller's
# CANCEL while ringing: 487, DISCONNECTED, Answer afterwards refused), in_488 (an offer without
# PCMU/PCMA: 488, no session offered), in_bad_sdp (a malformed offer: 488 alike), in_registered (no listen address: the call comes to the
# registration's SIP port, the port manager's mapping the registrar has as Contact; the session
# is the profile's, answered automatically with the profile's port manager's external RTP/RTCP).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/rtc_sipp_lib.sh" "$@"
in_exe=$bindir/rtc_incoming_call.exe
rtc_sipp_need "$in_exe"
# the call's event lines (a registration's, in_registered's, are checked on their own)
events() { grep -E '^event ' "$out" | grep -v '^event registration ' | sed -E 's/ "[^"]*"$//'; }

# incoming CASE SCENARIO SAMPLE-ARGS...: the sample listens on 127.0.0.1:$sip (static port
# manager: RTP/RTCP on $rtp/$rtp+1), sipp calls it from $peer once it prints "listening".
incoming() {
    local name=$1 scen=$2 i
    shift 2
    "${runner[@]}" "$in_exe" --dll "$windll" "${listen_args[@]}" --static "$(winpath "$workdir/in.ini")" \
        --timeout 15000 "$@" >"$out" 2>"$workdir/err.txt" </dev/null &
    local sample_pid=$!
    pids+=($sample_pid)
    # the worker binds the listener after put_ListenForIncomingSessions returned: wait for the port
    for i in $(seq 400); do ss -Hlun | awk '{print $4}' | grep -qxF "127.0.0.1:$sip" && break; sleep 0.05; done
    sipp -sf "$scen" -i 127.0.0.1 -p "$peer" "127.0.0.1:$sip" -m 1 -nostdin -timeout 30s -timeout_error \
        -trace_logs -log_file "$workdir/$name.sipp.log" -trace_err -error_file "$workdir/$name.err" \
        >"$workdir/$name.out" 2>&1 </dev/null &
    sipp_pid=$!
    pids+=($sipp_pid)
    sipp_wait "$name"
    wait "$sample_pid"
    rc=$?
    sed -i 's/\r$//' "$out" "$workdir/err.txt"
}

setup_ports() {
    peer=$(free_port) sip=$(free_port) rtp=$(free_pair) media=$(free_pair)
    static_ini "$workdir/in.ini" "$sip" "$rtp"
    listen_args=(--listen "127.0.0.1:$sip")
}

answered_events=("event session RTCSS_INCOMING 0x00000000" "event participant RTCPS_INCOMING 0x00000000"
    "event session RTCSS_ANSWERING 0x00000000" "event participant RTCPS_ANSWERING 0x00000000"
    "event participant RTCPS_CONNECTED 0x00000000" "event session RTCSS_CONNECTED 0x00000000"
    "event participant RTCPS_DISCONNECTED 0x00000000" "event session RTCSS_DISCONNECTED 0x00000000"
    "event client RTCCET_ASYNC_CLEANUP_DONE")

answer_case() { # answer_case NAME MAPPED(1: the session's port manager answers, 0: local) ARGS...
    local name=$1 mapped=$2 port_re
    shift 2
    setup_ports
    port_re=$rtp
    [ "$mapped" = 1 ] || port_re='[0-9]+'
    answer_run "$name" "$mapped" "c=IN IP4 127\\.0\\.0\\.1.*m=audio $port_re RTP/AVP 0 101" "$@"
}

# answer_run NAME MAPPED ANSWER-RE ARGS...: after setup_ports (and in.ini, listen_args as the
# case wants); MAPPED 1: GetMappingEx towards the caller's media with the internal ports
# $rtp/$rtp+1 answered $ext_rtp/$ext_rtcp outside (default: the same), released once each
answer_run() {
    local name=$1 mapped=$2 answer_re=$3
    shift 3
    scenario "$here/sipp/in_call.xml.in" "$workdir/$name.xml" MEDIA_IP=127.0.0.1 MEDIA_PORT="$media" HOLD=1500 \
        ANSWER_RE="$answer_re" CONTACT_RE="sip:alice@127\\.0\\.0\\.1:$sip;transport=udp"
    rm -f "$workdir/media.ready"
    "$python" "$here/rtp_listen.py" --bind "127.0.0.1:$media" --seconds 8 --ready "$workdir/media.ready" \
        >"$workdir/$name.media" 2>&1 &
    media_pid=$!
    pids+=($media_pid)
    for _ in $(seq 100); do [ -e "$workdir/media.ready" ] && break; sleep 0.05; done
    incoming "$name" "$workdir/$name.xml" "$@"
    expect_rc "$name" 0
    expect_events "$name" "${answered_events[@]}"
    has "$name: the caller as participant" "$out" "incoming from sip:sipp@127.0.0.1:$peer \"Sipp Caller\""
    wait "$media_pid"
    if [ "$mapped" = 1 ]; then
        has_line "$name: RTP mapping towards the caller's media" "pm GetMappingEx(127.0.0.1, $media, UDP, AUDIO_RTP) -> S_OK internal 127.0.0.1:$rtp external ${ext_rtp:-127.0.0.1:$rtp}"
        has_line "$name: RTCP mapping" "pm GetMappingEx(127.0.0.1, $((media + 1)), UDP, AUDIO_RTCP) -> S_OK internal 127.0.0.1:$((rtp + 1)) external ${ext_rtcp:-127.0.0.1:$((rtp + 1))}"
        [ "$(grep -cxF "pm ReleaseMappingEx(UDP, internal 127.0.0.1:$rtp, external ${ext_rtp:-127.0.0.1:$rtp}) -> S_OK" "$out")" = 1 ] &&
            [ "$(grep -cxF "pm ReleaseMappingEx(UDP, internal 127.0.0.1:$((rtp + 1)), external ${ext_rtcp:-127.0.0.1:$((rtp + 1))}) -> S_OK" "$out")" = 1 ] &&
            pass "$name: RTP and RTCP released once each" || { fail "$name: releases"; show; }
        n=$(awk -v src="127.0.0.1:$rtp" '$1 == "rtp" && $4 == src && $6 == 0 && $8 == 172 {print $2}' "$workdir/$name.media")
    else
        hasnt "$name: no port manager asked (answered before SetPortManager could be called)" "$out" "AUDIO_RTP"
        n=$(awk '$1 == "rtp" && $6 == 0 && $8 == 172 {print $2}' "$workdir/$name.media")
    fi
    [ "${n:-0}" -ge 25 ] && pass "$name: $n RTP PCMU packets" || { fail "$name: RTP ${n:-none}"; sed 's/^/  media: /' "$workdir/$name.media"; }
}

if run in_answer; then
    answer_case in_answer 1 --answer-twice
    has "in_answer: Answer" "$out" "Answer -> 0x00000000 (S_OK)"
    [ "$(grep -c '^Answer -> 0x80EE002A' "$out")" = 2 ] && pass "in_answer: Answer again -> RTC_E_INVALID_SESSION_STATE (twice)" || { fail "in_answer: second Answer"; show; }
fi

if run in_auto; then
    answer_case in_auto 0 --auto
    has "in_auto: put_AnswerMode" "$out" "put_AnswerMode -> 0x00000000 (S_OK)"
    hasnt "in_auto: no Answer call" "$out" "Answer ->"
    has_line "in_auto: a call on a listen address is no profile's" "session get_Profile -> 0x80EE002B none"
fi

refused_case() { # refused_case NAME CODE SAMPLE-FLAG
    local name=$1 code=$2 flag=$3
    setup_ports
    scenario "$here/sipp/in_refused.xml.in" "$workdir/$name.xml" CODE="$code" OFFER_PORT=6000 OFFER_PT="0 8"
    incoming "$name" "$workdir/$name.xml" "$flag"
    expect_rc "$name" 0
    expect_events "$name" "event session RTCSS_INCOMING 0x00000000" "event participant RTCPS_INCOMING 0x00000000" \
        "event participant RTCPS_DISCONNECTED 0x00000000" "event session RTCSS_DISCONNECTED 0x00000000" \
        "event client RTCCET_ASYNC_CLEANUP_DONE"
    has "$name: Terminate" "$out" "Terminate -> 0x00000000 (S_OK)"
    has "$name: Terminate twice" "$out" "Terminate -> 0x80EE002A"
    hasnt "$name: no mapping for a refused call" "$out" "AUDIO_RTP"
}

if run in_reject; then refused_case in_reject 603 --reject; fi
if run in_busy; then refused_case in_busy 486 --busy; fi
if run in_dnd; then refused_case in_dnd 480 --dnd; fi

if run in_cancel; then
    setup_ports
    incoming in_cancel "$here/sipp/in_cancel.xml" --ring 4000
    expect_rc in_cancel 1
    expect_events in_cancel "event session RTCSS_INCOMING 0x00000000" "event participant RTCPS_INCOMING 0x00000000" \
        "event participant RTCPS_DISCONNECTED 0x00000000" "event session RTCSS_DISCONNECTED 0x00000000" \
        "event client RTCCET_ASYNC_CLEANUP_DONE"
    has "in_cancel: Answer after the CANCEL" "$out" "Answer -> 0x80EE002A"
fi

if run in_488; then
    setup_ports
    scenario "$here/sipp/in_refused.xml.in" "$workdir/in_488.xml" CODE=488 OFFER_PORT=6000 OFFER_PT=18
    incoming in_488 "$workdir/in_488.xml" --timeout 4000
    expect_rc in_488 2
    expect_events in_488 "event client RTCCET_ASYNC_CLEANUP_DONE"
fi

# a malformed offer (PCMU, but no port on its m= line): 488 too, nothing offered to the application
if run in_bad_sdp; then
    setup_ports
    scenario "$here/sipp/in_refused.xml.in" "$workdir/in_bad_sdp.xml" CODE=488 OFFER_PORT=notaport OFFER_PT=0
    incoming in_bad_sdp "$workdir/in_bad_sdp.xml" --timeout 4000
    expect_rc in_bad_sdp 2
    expect_events in_bad_sdp "event client RTCCET_ASYNC_CLEANUP_DONE"
fi

# no listen address: the call comes to the port the registration uses (the port manager's SIP
# mapping, which the registrar was given as Contact), while registered; the session is the
# profile's and, answered automatically (the application cannot give it a port manager in
# time: its SetPortManager comes too late, E_FAIL), gets its media mappings from the profile's
# port manager, whose external RTP/RTCP address differs from the internal one (a NAT)
if run in_registered; then
    setup_ports
    reg=$(free_port) ext=$(free_pair)
    ext_rtp=127.0.0.2:$ext ext_rtcp=127.0.0.2:$((ext + 3))
    static_ini "$workdir/in.ini" "$sip"
    printf '[mapping audio-rtp]\ninternal = 127.0.0.1:%s\nexternal = %s\n[mapping audio-rtcp]\ninternal = 127.0.0.1:%s\nexternal = %s\n' \
        "$rtp" "$ext_rtp" $((rtp + 1)) "$ext_rtcp" >>"$workdir/in.ini"
    scenario "$here/sipp/reg_plain.xml.in" "$workdir/reg.xml" CONTACT_RE="127\\.0\\.0\\.1:$sip"
    sipp_start in_registered_reg "$workdir/reg.xml" "$reg"
    reg_pid=$sipp_pid
    listen_args=(--registrar "127.0.0.1:$reg" --register)
    answer_run in_registered 1 "c=IN IP4 127\\.0\\.0\\.2.*m=audio $ext RTP/AVP 0 101.*a=rtcp:$((ext + 3)) IN IP4 127\\.0\\.0\\.2" --auto
    sipp_pid=$reg_pid
    sipp_wait in_registered_reg
    has "in_registered: registered first" "$out" "event registration RTCRS_REGISTERED 0x00EF00C8"
    has "in_registered: put_AnswerMode" "$out" "put_AnswerMode -> 0x00000000 (S_OK)"
    hasnt "in_registered: no Answer call" "$out" "Answer ->"
    has "in_registered: the session's SetPortManager too late (answered)" "$out" "session SetPortManager -> 0x80004005"
    has_line "in_registered: the session is the profile's" "session get_Profile -> 0x00000000 (S_OK) the registered profile"
    unset ext_rtp ext_rtcp
fi

cleanup
echo "rtc_sipp_in: $fails failed"
[ "$fails" = 0 ]
