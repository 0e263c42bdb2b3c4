# SPDX-License-Identifier: LGPL-2.1-or-later
# peers.sh — the public side of the end-to-end tests, sourced after netns.sh:
#   coturn `turnserver --stun-only` on 198.19.1.2 and 198.19.1.4 (RFC 5780: the second address
#   and port+1 are the alternates), sipp as registrar or called party with scenarios generated
#   from the templates here, and udp_peer.py as the called party's media endpoint.
# Every log lands in the run dir (E2E_RUN_DIR).

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_PYTHON=${E2E_PYTHON:-/usr/bin/python3}
E2E_STUN_PORT=3478
E2E_SIP_PORT=5060
E2E_MEDIA_PORT=40000   # not 6000: sipp binds its own media sockets there
E2E_PEER_TIMEOUT=${E2E_PEER_TIMEOUT:-20}

# e2e_wait_udp ROLE IP:PORT... : until something listens on every address (or 5 s).
e2e_wait_udp() {
    local role=$1 ns i a missing; shift
    ns=$(e2e_ns "$role")
    for i in $(seq 100); do
        missing=""
        local bound
        bound=$(ip netns exec "$ns" ss -Hlun 2>/dev/null | awk '{print $4}')
        for a in "$@"; do grep -qxF "$a" <<<"$bound" || missing+=" $a"; done
        [ -z "$missing" ] && return 0
        sleep 0.05
    done
    e2e_die "nothing listens on$missing in $ns"
}

e2e_stun_start() {
    command -v turnserver >/dev/null || e2e_die "turnserver not found (coturn; scripts/install-deps.sh)"
    # -n: no config file; --log-file stdout: the spawn log is the log.
    e2e_spawn public turnserver turnserver -n --stun-only --no-cli --no-tls --no-dtls \
        -L "$E2E_WAN_PUBLIC" -L "$E2E_WAN_PUBLIC2" -p "$E2E_STUN_PORT" --log-file stdout --simple-log
    e2e_wait_udp public "$E2E_WAN_PUBLIC:$E2E_STUN_PORT" "$E2E_WAN_PUBLIC2:$E2E_STUN_PORT" \
        "$E2E_WAN_PUBLIC:$((E2E_STUN_PORT + 1))" "$E2E_WAN_PUBLIC2:$((E2E_STUN_PORT + 1))"
    e2e_log "STUN server (coturn, RFC 5780) on $E2E_WAN_PUBLIC:$E2E_STUN_PORT and $E2E_WAN_PUBLIC2:$E2E_STUN_PORT"
}

e2e_re_ip() { sed 's/\./\\./g' <<<"$1"; }
e2e_re_port() { if [ "$1" = any ]; then echo '[0-9]+'; else echo "$1"; fi; }

# e2e_scenario TEMPLATE OUT KEY=VALUE...: fills in @KEY@ (sipp does not substitute in regexp=).
e2e_scenario() {
    local tpl=$1 out=$2 kv args=(); shift 2
    for kv in "$@"; do args+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
    sed "${args[@]}" "$tpl" >"$out"
    ! grep -o '@[A-Z_]*@' "$out" | head -n1 | grep -q . || e2e_die "unfilled field $(grep -o '@[A-Z_]*@' "$out" | head -n1) in $out"
}

# e2e_sipp_start NAME SCENARIO: one call, then exit (0: the call passed, 1: it failed,
# 255: nothing came within the timeout).
e2e_sipp_start() {
    local name=$1 sf=$2
    command -v sipp >/dev/null || e2e_die "sipp not found (sip-tester; scripts/install-deps.sh)"
    e2e_spawn public "$name" sipp -sf "$sf" -i "$E2E_WAN_PUBLIC" -p "$E2E_SIP_PORT" -m 1 -nostdin \
        -timeout "${E2E_PEER_TIMEOUT}s" -timeout_error \
        -trace_logs -log_file "$E2E_RUN_DIR/$name.sipp.log" \
        -trace_msg -message_file "$E2E_RUN_DIR/$name.msg" \
        -trace_err -error_file "$E2E_RUN_DIR/$name.err"
    e2e_wait_udp public "$E2E_WAN_PUBLIC:$E2E_SIP_PORT"
}

# e2e_registrar_start EXT_IP EXT_PORT|any: 200 OK only for Contact EXT_IP:EXT_PORT.
e2e_registrar_start() {
    e2e_scenario "$E2E_DIR/registrar.xml.in" "$E2E_RUN_DIR/registrar.xml" \
        EXT_IP="$1" EXT_IP_RE="$(e2e_re_ip "$1")" EXT_PORT="$2" EXT_PORT_RE="$(e2e_re_port "$2")"
    e2e_sipp_start registrar "$E2E_RUN_DIR/registrar.xml"
    e2e_log "registrar (sipp) on $E2E_WAN_PUBLIC:$E2E_SIP_PORT expects Contact $1:$2"
}

# e2e_uas_start EXT_IP RTP_PORT|any RTCP_PORT|any: 200 OK only for an offer naming them,
# E2E_UAS_ANSWER_DELAY_MS (0) after the INVITE; the offer's c=/m=/a=rtcp lines land in
# RUN_DIR/uas.offer as soon as it comes (rtp_talk.py --offer reads them). The answer is PCMU
# (PT 0), and with E2E_UAS_DTMF=1 telephone-event on PT 101 too (RFC 4733: DTMF may be sent).
e2e_uas_start() {
    e2e_scenario "$E2E_DIR/uas.xml.in" "$E2E_RUN_DIR/uas.xml" \
        EXT_IP="$1" EXT_IP_RE="$(e2e_re_ip "$1")" RTP_PORT="$2" RTP_PORT_RE="$(e2e_re_port "$2")" \
        RTCP_PORT="$3" RTCP_PORT_RE="$(e2e_re_port "$3")" \
        OFFER_FILE="$E2E_RUN_DIR/uas.offer" ANSWER_DELAY_MS="${E2E_UAS_ANSWER_DELAY_MS:-0}" \
        MEDIA_IP="$E2E_WAN_PUBLIC" MEDIA_PORT="$E2E_MEDIA_PORT" MEDIA_RTCP_PORT="$((E2E_MEDIA_PORT + 1))"
    if [ "${E2E_UAS_DTMF:-0}" = 1 ]; then
        sed -i -e "s|^m=audio $E2E_MEDIA_PORT RTP/AVP 0\$|& 101|" \
            -e 's|^a=rtpmap:0 PCMU/8000$|&\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-16|' "$E2E_RUN_DIR/uas.xml"
        grep -q "^m=audio $E2E_MEDIA_PORT RTP/AVP 0 101\$" "$E2E_RUN_DIR/uas.xml" || e2e_die "no telephone-event in $E2E_RUN_DIR/uas.xml"
    fi
    e2e_sipp_start uas "$E2E_RUN_DIR/uas.xml"
    e2e_log "called party (sipp) on $E2E_WAN_PUBLIC:$E2E_SIP_PORT expects c=IN IP4 $1, m=audio $2, a=rtcp:$3"
}

# e2e_media_peer_start EXPECT_FROM: the called party's RTP socket, 198.19.1.2:6000. It waits
# for the client's first packet, checks it came from EXPECT_FROM (IP:PORT, or IP:any), and
# sends one packet back to that address from the same socket.
e2e_media_peer_start() {
    e2e_spawn public media "$E2E_PYTHON" "$E2E_DIR/udp_peer.py" answer \
        --bind "$E2E_WAN_PUBLIC:$E2E_MEDIA_PORT" --expect-from "$1" --timeout "$E2E_PEER_TIMEOUT" \
        --ready-file "$E2E_RUN_DIR/media.ready"
    e2e_wait_file "$E2E_RUN_DIR/media.ready" || e2e_die "media peer did not start (see $E2E_RUN_DIR/media.log)"
}

# e2e_talk_start ARGS...: rtp_talk.py as the far end's media on 198.19.1.2:40000 (RTCP 40001):
# it sends the signal of --send to the SDP's address (--to, or --offer FILE) and records what
# comes back from there into RUN_DIR/talk.ul (NAME talk; ARGS: its other options).
e2e_talk_start() {
    e2e_spawn public talk "$E2E_PYTHON" "$E2E_DIR/rtp_talk.py" --bind "$E2E_WAN_PUBLIC:$E2E_MEDIA_PORT" \
        --record "$E2E_RUN_DIR/talk.ul" --timeout "$E2E_PEER_TIMEOUT" --ready-file "$E2E_RUN_DIR/talk.ready" "$@"
    e2e_wait_file "$E2E_RUN_DIR/talk.ready" || e2e_die "rtp_talk.py did not start (see $E2E_RUN_DIR/talk.log)"
}

# e2e_nat_mappings PROTO INT_PORT [DST_IP DST_PORT]: the NAT's external IP:PORT for the
# client's flows from INT_PORT, read from the router's conntrack table (the ground truth).
e2e_nat_mappings() {
    local proto=$1 sport=$2 dst=${3:-} dport=${4:-}
    ip netns exec "$(e2e_ns router)" cat /proc/net/nf_conntrack 2>/dev/null | awk -v proto="$proto" \
        -v src="$E2E_LAN_CLIENT" -v sport="$sport" -v dst="$dst" -v dport="$dport" '
        $3 == proto {
            n = 0
            for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2) { n++; k[n] = kv[1]; v[n] = kv[2] }
            # k/v: src dst sport dport (original), then src dst sport dport (reply)
            o = 0; r = 0
            for (j = 1; j <= n; j++) {
                if (k[j] == "src") { if (!o) o = j; else if (!r) r = j }
            }
            if (!o || !r) next
            if (v[o] != src || v[o+2] != sport) next
            if (dst != "" && (v[o+1] != dst || v[o+3] != dport)) next
            print v[r+1] ":" v[r+3]
        }' | sort -u
}

# e2e_log_field FILE REGEX: the first match's first group (sed -E), for reading sipp logs.
e2e_log_field() {
    sed -nE "s/.*$2.*/\\1/p" "$1" 2>/dev/null | head -n1
}
