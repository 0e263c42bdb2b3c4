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
#                   port); no DNAT rule is left afterwards. Then, on the same router, an
#                   incoming call: a registrar calls rtc_incoming_call.exe --pcp, rtcdll answers
#                   with RTCPM_MEDIA_WAIT_FOR_REMOTE_MS set, and the caller's rtp_talk.py sends
#                   first to the answer's RTP and RTCP: miniupnpd's MAP forwards only inbound
#                   (its PEER, which would add the outbound half, is written backwards in
#                   2.3.1), so a packet rtcdll sent first would leave from a random port and
#                   take the flow the caller's packets need (sound_in_pcp)
#   rtc_sound_in    incoming call: rtc_incoming_call.exe registered with its own port manager
#                   + DNAT (as rtc_in_own_static), an unchanged application whose devices the
#                   test chooses with RTCPM_MEDIA_CAPTURE / RTCPM_MEDIA_PLAYBACK; the caller
#                   (sipp) on the WAN, rtp_talk.py at its offer's media address sending to
#                   the answer's 198.19.1.3:7078 (RTCP 7079)
#   rtc_sound_in_keepalive  incoming call with rtcpm's STUN port manager through MASQUERADE
#                   whose UDP flows die after 2 s idle: it arrives 6 s after registration
#                   thanks to the CRLF keep-alives, and a control client without keep-alives
#                   does not get the same INVITE (below)

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
# SOUND_UAS="EXT_IP RTP RTCP": what the called party demands of the offer (default: the
# router's address, any ports).
sound_call() {
    local order=$1 E2E_UAS_ANSWER_DELAY_MS=0 E2E_UAS_DTMF=0 first=() keys=() expect; shift
    [ "$order" = first ] && E2E_UAS_ANSWER_DELAY_MS=300 first=(--send-first)
    [ -n "${SOUND_DTMF:-}" ] && E2E_UAS_DTMF=1 keys=(--dtmf "$SOUND_DTMF")
    read -ra expect <<<"${SOUND_UAS:-$E2E_WAN_ROUTER any any}"
    e2e_uas_start "${expect[@]}"
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
    sound_aside outgoing
    sound_in_pcp
}

# sound_aside NAME: the last call's sound files renamed NAME-* (the next call writes them anew)
sound_aside() {
    local f
    for f in talk.log talk.ul talk.wav talk.ready heard.wav; do
        [ -e "$E2E_RUN_DIR/$f" ] && mv "$E2E_RUN_DIR/$f" "$E2E_RUN_DIR/$1-$f"
    done
}

# sound_in_pcp: an incoming call answered through rtcpm's PCP port manager behind MASQUERADE
# --random-fully (case_rtc_sound_pcp's router): the registrar (registrar_calls.xml.in) calls
# 300 ms after the registration; rtp_talk.py at the offer's media address sends first to the
# answer's RTP and RTCP, and rtcdll (RTCPM_MEDIA_WAIT_FOR_REMOTE_MS) answers along those flows.
sound_in_pcp() {
    local port=$((E2E_SIP_PORT + 2)) rc
    KA_IDLE_MS=300 KA_RING_WAIT_MS=4000 ka_registrar in_registrar "$port"
    e2e_talk_start --send "$E2E_RUN_DIR/peer.ul" --offer "$E2E_RUN_DIR/in_registrar.answer" --send-first
    echo "client: rtc_incoming_call.exe --register --registrar $E2E_WAN_PUBLIC:$port --pcp $E2E_LAN_ROUTER" \
        "(RTCPM_MEDIA_WAIT_FOR_REMOTE_MS=${SOUND_WAIT_MS:-5000})"
    # shellcheck disable=SC2046 # e2e_wine_env: VAR=VALUE words
    e2e_spawn client incoming $(e2e_wine_env) RTCPM_MEDIA_CAPTURE="$MIC" RTCPM_MEDIA_PLAYBACK="$SPEAKER" \
        RTCPM_MEDIA_WAIT_FOR_REMOTE_MS="${SOUND_WAIT_MS:-5000}" timeout 90 "$E2E_WINE_LOADER" \
        "$bin/rtc_incoming_call.exe" --register --registrar "$E2E_WAN_PUBLIC:$port" --pcp "$E2E_LAN_ROUTER" \
        --timeout 20000
    e2e_wait incoming 60; client_rc=$?
    e2e_wait in_registrar 15; rc=$?
    e2e_wait talk 15; media_rc=$?
    ka_log incoming
    check "incoming: rtc_incoming_call exit 0 (the call came, connected, ended)" eq "$client_rc" 0
    check "incoming: the registrar's scenario ran to its end (INVITE answered, unREGISTER)" eq "$rc" 0
    check "incoming: the answer names the router's address $E2E_WAN_ROUTER (PCP's external address)" \
        has "$E2E_RUN_DIR/in_registrar.sipp.log" "answered \\{c=IN IP4 $(e2e_re_ip "$E2E_WAN_ROUTER")\\}"
    check "incoming: RTP reached the caller's media from the answer's address" eq "$media_rc" 0
    sound_checks
    check "incoming: no DNAT rule left in miniupnpd's chain" eq "$(e2e_miniupnpd_rules)" ""
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

# ---- rtc_sound_in_keepalive: an incoming call long after registration, through MASQUERADE ----
# The router forgets an idle UDP flow after KA_CT_S seconds (its namespace's conntrack
# timeouts); rtcdll's RFC 5626 CRLF keep-alives (RTCPM_SIP_KEEPALIVE_MS) come every
# KA_MS: the registration's flow must outlive KA_IDLE_MS of silence from the registrar.
KA_CT_S=2 KA_MS=500 KA_IDLE_MS=6000 KA_RING_WAIT_MS=2000
KA_PEER_TIMEOUT_S=$((E2E_PEER_TIMEOUT + KA_IDLE_MS / 1000)) # the peers' lives include the wait

# ka_registrar NAME PORT: registrar_calls.xml.in on 198.19.1.2:PORT (sipp -nr: one INVITE, so
# a lost one is not rescued by a retransmission after the client's unREGISTER opened a flow)
ka_registrar() {
    e2e_scenario "$here/registrar_calls.xml.in" "$E2E_RUN_DIR/$1.xml" \
        CONTACT_RE="$(e2e_re_ip "$E2E_WAN_ROUTER"):[0-9]+" IDLE_MS="$KA_IDLE_MS" RING_WAIT_MS="$KA_RING_WAIT_MS" \
        HOLD=3000 MEDIA_IP="$E2E_WAN_PUBLIC" MEDIA_PORT="$E2E_MEDIA_PORT" ANSWER_FILE="$E2E_RUN_DIR/$1.answer" \
        ANSWER_RE="c=IN IP4 $(e2e_re_ip "$E2E_WAN_ROUTER")[[:space:]]"
    e2e_spawn public "$1" sipp -sf "$E2E_RUN_DIR/$1.xml" -i "$E2E_WAN_PUBLIC" -p "$2" -m 1 -nostdin -nr \
        -timeout "$KA_PEER_TIMEOUT_S"s -timeout_error -trace_logs -log_file "$E2E_RUN_DIR/$1.sipp.log" \
        -trace_msg -message_file "$E2E_RUN_DIR/$1.msg" -trace_err -error_file "$E2E_RUN_DIR/$1.err"
    e2e_wait_udp public "$E2E_WAN_PUBLIC:$2"
}

# ka_client NAME PORT KEEPALIVE_MS [VAR=VALUE...]: rtc_incoming_call.exe registered through the
# STUN port manager with the registrar on PORT, waiting for a call (it times out after the
# registrar's INVITE and ring window)
ka_client() {
    local name=$1 port=$2 ka=$3
    shift 3
    echo "client $name: rtc_incoming_call.exe --register --registrar $E2E_WAN_PUBLIC:$port --stun $STUN" \
        "(RTCPM_SIP_KEEPALIVE_MS=$ka $*)"
    # shellcheck disable=SC2046 # e2e_wine_env: VAR=VALUE words
    e2e_spawn client "$name" $(e2e_wine_env) RTCPM_SIP_KEEPALIVE_MS="$ka" "$@" timeout 90 "$E2E_WINE_LOADER" \
        "$bin/rtc_incoming_call.exe" --register --registrar "$E2E_WAN_PUBLIC:$port" --stun "$STUN" \
        --timeout $((KA_IDLE_MS + KA_RING_WAIT_MS + 1000))
}

# ka_crlf_count PORT: the 4-byte UDP datagrams (a CRLF CRLF keep-alive) the router forwarded
# from the client to the registrar on PORT (counters of ka_up's rules)
ka_crlf_count() {
    ip netns exec "$(e2e_ns router)" iptables -w 5 -nvxL FORWARD \
        | awk -v p="dpt:$1" '$0 ~ p && /length 32/ {print $1; exit}'
}

# ka_up: MASQUERADE, the router's UDP conntrack timeouts shortened, counters for keep-alives
# (IPv4 20 + UDP 8 + 4 bytes) towards each registrar
ka_up() {
    local r port
    rtc_up --nat masquerade
    r=$(e2e_ns router)
    ip netns exec "$r" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=$KA_CT_S \
        net.netfilter.nf_conntrack_udp_timeout_stream=$KA_CT_S || e2e_die "could not shorten the router's UDP timeouts"
    for port in "$@"; do
        ip netns exec "$r" iptables -w 5 -A FORWARD -s "$E2E_LAN_CLIENT" -d "$E2E_WAN_PUBLIC" -p udp --dport "$port" \
            -m length --length 32 || e2e_die "could not count keep-alives to port $port"
    done
    e2e_log "router: conntrack UDP timeouts ${KA_CT_S} s; keep-alives every ${KA_MS} ms; INVITE after ${KA_IDLE_MS} ms"
}

# ka_log NAME: the client's log, CRLF stripped and shown
ka_log() {
    sed -i 's/\r$//' "$E2E_RUN_DIR/$1.log"
    sed "s/^/  $1 | /" "$E2E_RUN_DIR/$1.log"
}

# Two clients at once in the client's prefix: "incoming" with keep-alives every KA_MS (its
# registrar on 5060 calls it with sound both ways, rtp_talk.py at the offer's media address
# sending to the answer's), "control" without keep-alives (its registrar on 5062): the same
# INVITE after the same silence must not reach it; that is what makes the first one a proof.
case_rtc_sound_in_keepalive() {
    local ctl_port=$((E2E_SIP_PORT + 2)) contact ctl_contact rc ctl_rc
    sound_prepare
    ka_up "$E2E_SIP_PORT" "$ctl_port"
    e2e_stun_start
    ka_registrar registrar "$E2E_SIP_PORT"
    ka_registrar ctl_registrar "$ctl_port"
    e2e_talk_start --send "$E2E_RUN_DIR/peer.ul" --offer "$E2E_RUN_DIR/registrar.answer" --timeout "$KA_PEER_TIMEOUT_S"
    ka_client incoming "$E2E_SIP_PORT" "$KA_MS" RTCPM_MEDIA_CAPTURE="$MIC" RTCPM_MEDIA_PLAYBACK="$SPEAKER"
    ka_client control "$ctl_port" 0
    e2e_wait incoming 60; client_rc=$?
    e2e_wait control 60; ctl_rc=$?
    e2e_wait registrar 15; registrar_rc=$?
    e2e_wait ctl_registrar 15; rc=$?
    e2e_wait talk 15; media_rc=$?
    ka_log incoming
    ka_log control
    grep -h 'INVITE\|answered\|unREGISTER' "$E2E_RUN_DIR/registrar.sipp.log" "$E2E_RUN_DIR/ctl_registrar.sipp.log" \
        | sed 's/^/  sipp | /'
    contact=$(e2e_log_field "$E2E_RUN_DIR/registrar.sipp.log" 'REGISTER Contact .*sip:[^@]*@([0-9.]+:[0-9]+).*')
    ctl_contact=$(e2e_log_field "$E2E_RUN_DIR/ctl_registrar.sipp.log" 'REGISTER Contact .*sip:[^@]*@([0-9.]+:[0-9]+).*')
    check "keep-alives on: rtc_incoming_call exit 0 (the call came, connected, ended)" eq "$client_rc" 0
    check "keep-alives on: Contact $contact is the STUN port manager's SIP mapping" \
        eq "$contact" "$(pm_mapping SIP external "$E2E_RUN_DIR/incoming.log")"
    check "keep-alives on: $(ka_crlf_count "$E2E_SIP_PORT") CRLF keep-alives crossed the NAT (>= $((KA_IDLE_MS / KA_MS - 2)))" \
        eq "$([ "$(ka_crlf_count "$E2E_SIP_PORT")" -ge $((KA_IDLE_MS / KA_MS - 2)) ] && echo enough)" enough
    check "keep-alives on: the registrar sent the INVITE to that Contact after ${KA_IDLE_MS} ms of silence" has "$E2E_RUN_DIR/registrar.sipp.log" \
        "INVITE to $(e2e_re_ip "${contact:-none}") after $KA_IDLE_MS ms"
    check "keep-alives on: RTCSS_INCOMING, RTCSS_ANSWERING, RTCSS_CONNECTED, RTCSS_DISCONNECTED" eq \
        "$(grep -oE '^event session RTCSS_[A-Z_]+' "$E2E_RUN_DIR/incoming.log" | cut -d' ' -f3 | tr '\n' ' ')" \
        "RTCSS_INCOMING RTCSS_ANSWERING RTCSS_CONNECTED RTCSS_DISCONNECTED "
    check "keep-alives on: the registrar's scenario ran to its end (unREGISTER answered)" eq "$registrar_rc" 0
    check "keep-alives on: the INVITE was answered (180, 200), the SDP naming the NAT ($E2E_WAN_ROUTER)" has "$E2E_RUN_DIR/registrar.sipp.log" \
        "answered \\{c=IN IP4 $(e2e_re_ip "$E2E_WAN_ROUTER")\\}"
    check "RTP reached the caller's media from the answer's address" eq "$media_rc" 0
    sound_checks
    check "keep-alives off: registered (RTCRS_REGISTERED)" has "$E2E_RUN_DIR/control.log" \
        '^event registration RTCRS_REGISTERED'
    check "keep-alives off: no CRLF keep-alive crossed the NAT" eq "$(ka_crlf_count "$ctl_port")" 0
    check "keep-alives off: its registrar sent the same INVITE to its Contact $ctl_contact" \
        has "$E2E_RUN_DIR/ctl_registrar.sipp.log" "INVITE to $(e2e_re_ip "${ctl_contact:-none}") after $KA_IDLE_MS ms"
    check "keep-alives off: the INVITE never reached rtcdll (no RTCSS_INCOMING)" \
        hasnt "$E2E_RUN_DIR/control.log" '^event session '
    check "keep-alives off: its registrar logged the INVITE unanswered" has "$E2E_RUN_DIR/ctl_registrar.sipp.log" \
        'INVITE unanswered'
    check "keep-alives off: rtc_incoming_call exit 2 (no call)" eq "$ctl_rc" 2
    check "keep-alives off: its registrar's scenario ran to its end (unREGISTER answered)" eq "$rc" 0
}
