# SPDX-License-Identifier: LGPL-2.1-or-later
# cases_natpm.sh — the end-to-end cases of the negotiated mappings (PCP, NAT-PMP, UPnP IGD),
# sourced by case.sh: miniupnpd (tests/e2e/miniupnpd.sh) in the router namespace, behind the
# symmetric NAT (MASQUERADE --random-fully) where the STUN port manager must refuse.
#
# Harness self-tests (Debian's clients, natpmpc and upnpc, in the client namespace):
#   natpmpc_map        NAT-PMP mapping: DNAT rule in the router, a stranger's packet (second
#                      public address) reaches the client's internal port; lifetime 0 removes
#                      the rule and a new stranger flow is dropped; no lease left
#   upnpc_map          the same through UPnP IGD (upnpc -u URL -a / -d)
#   miniupnpd_restart  a router restart without leases: the rule is gone, an ANNOUNCE (PCP,
#                      epoch 0) reaches 224.0.0.1:5350 in the client namespace, mapping again works

natpm_setup() {
    net_up --nat symmetric
    e2e_stun_start
    e2e_miniupnpd_start
}

# natpm_no_leftovers: nothing of the run is left in miniupnpd (rules and lease file).
natpm_no_leftovers() {
    check "no DNAT rule left in miniupnpd's chain" eq "$(e2e_miniupnpd_rules)" ""
    check "no lease left in miniupnpd's lease file" eq "$(e2e_miniupnpd_leases)" ""
}

case_natpmpc_map() {
    natpm_setup
    e2e_exec client timeout 10 natpmpc -g "$E2E_LAN_ROUTER" -a 30000 30000 udp 120 >"$E2E_RUN_DIR/map.log" 2>&1
    sed 's/^/  | /' "$E2E_RUN_DIR/map.log"
    local ext
    ext=$(sed -nE 's/^Mapped public port ([0-9]+) protocol UDP to local port 30000 .*/\1/p' "$E2E_RUN_DIR/map.log")
    check "natpmpc got a mapping for local port 30000" eq "${ext:+yes}" yes
    check "miniupnpd's chain holds the DNAT rule" eq "$(e2e_miniupnpd_rules udp)" \
        "udp $E2E_WAN_ROUTER:$ext -> $E2E_LAN_CLIENT:30000"
    check "a stranger's packet to $E2E_WAN_ROUTER:$ext reaches the client's port 30000" \
        e2e_forward_probe fwd1 30000 "$E2E_WAN_ROUTER:$ext" 40002 arrives
    e2e_exec client timeout 10 natpmpc -g "$E2E_LAN_ROUTER" -a 30000 30000 udp 0 >"$E2E_RUN_DIR/unmap.log" 2>&1
    check "lifetime 0 removed the rule" eq "$(e2e_miniupnpd_rules)" ""
    check "a new stranger flow is dropped now" e2e_forward_probe fwd2 30000 "$E2E_WAN_ROUTER:$ext" 40003 filtered
    natpm_no_leftovers
}

case_upnpc_map() {
    natpm_setup
    e2e_exec client timeout 20 upnpc -u "$E2E_UPNP_URL" -a "$E2E_LAN_CLIENT" 30002 30002 UDP 120 \
        >"$E2E_RUN_DIR/map.log" 2>&1
    sed 's/^/  | /' "$E2E_RUN_DIR/map.log"
    check "upnpc: external $E2E_WAN_ROUTER:30002 redirected to $E2E_LAN_CLIENT:30002" has "$E2E_RUN_DIR/map.log" \
        "external $(e2e_re_ip "$E2E_WAN_ROUTER"):30002 UDP is redirected to internal $(e2e_re_ip "$E2E_LAN_CLIENT"):30002"
    check "miniupnpd's chain holds the DNAT rule" eq "$(e2e_miniupnpd_rules udp)" \
        "udp $E2E_WAN_ROUTER:30002 -> $E2E_LAN_CLIENT:30002"
    check "a stranger's packet reaches the client's port 30002" \
        e2e_forward_probe fwd1 30002 "$E2E_WAN_ROUTER:30002" 40002 arrives
    e2e_exec client timeout 20 upnpc -u "$E2E_UPNP_URL" -d 30002 UDP >"$E2E_RUN_DIR/unmap.log" 2>&1
    check "DeletePortMapping removed the rule" eq "$(e2e_miniupnpd_rules)" ""
    check "a new stranger flow is dropped now" e2e_forward_probe fwd2 30002 "$E2E_WAN_ROUTER:30002" 40003 filtered
    natpm_no_leftovers
}

case_miniupnpd_restart() {
    natpm_setup
    e2e_exec client timeout 10 natpmpc -g "$E2E_LAN_ROUTER" -a 30000 30000 udp 120 >"$E2E_RUN_DIR/map.log" 2>&1
    check "mapped before the restart" eq "$(e2e_miniupnpd_rules udp | wc -l)" 1
    e2e_spawn client announce "$E2E_PYTHON" "$E2E_DIR/udp_peer.py" listen --bind 0.0.0.0:5350 --group 224.0.0.1 \
        --expect-from "$E2E_LAN_ROUTER:any" --timeout 10 --ready-file "$E2E_RUN_DIR/announce.ready"
    e2e_wait_file "$E2E_RUN_DIR/announce.ready" || e2e_die "ANNOUNCE listener did not start"
    e2e_miniupnpd_restart_clean
    e2e_wait announce 12; local rc=$?
    sed 's/^/  | /' "$E2E_RUN_DIR/announce.log"
    check "an unsolicited datagram from the router reached 224.0.0.1:5350" eq "$rc" 0
    # version 2, R bit + opcode ANNOUNCE (0x80), result SUCCESS, lifetime 0, epoch 0
    check "it is a PCP ANNOUNCE response with epoch 0" has "$E2E_RUN_DIR/announce.log" \
        'bytes: 0280000000000000000000000'
    check "the rule is gone after the restart" eq "$(e2e_miniupnpd_rules)" ""
    e2e_exec client timeout 10 natpmpc -g "$E2E_LAN_ROUTER" -a 30000 30000 udp 0 >/dev/null 2>&1
    natpm_no_leftovers
}

# ---- rtcpm-pm: a port manager held in the client namespace, driven line by line -------------

pm_lines() { tr -d '\r' <"$E2E_RUN_DIR/pm.log" 2>/dev/null; }

# pm_expect REGEX [SECONDS] [SKIP]: the first line after SKIP lines of rtcpm-pm's output that
# matches (printed), or 1 after SECONDS.
pm_expect() {
    local re=$1 secs=${2:-10} skip=${3:-0} i line
    for i in $(seq $((secs * 20))); do
        line=$(pm_lines | tail -n +$((skip + 1)) | grep -E "$re" | head -n1)
        [ -n "$line" ] && { echo "$line"; return 0; }
        e2e_running "$(e2e_pid pm)" || break
        sleep 0.05
    done
    echo "  (no /$re/ from rtcpm-pm; its output:)" >&2
    pm_lines | sed 's/^/  | /' >&2
    return 1
}

# pm_start ARGS...: rtcpm-pm (the --client program: native or .exe) in the client namespace.
pm_start() {
    local prog=${client#*:} fifo=$E2E_RUN_DIR/pm.in
    case "$client" in native:*rtcpm-pm|wine:*rtcpm-pm.exe) ;; *) e2e_die "$case_name needs --client native|wine:rtcpm-pm" ;; esac
    mkfifo "$fifo" && exec 7<>"$fifo" || e2e_die "no FIFO $fifo"
    case "$client" in
        native:*) e2e_spawn_fed client pm "$fifo" "$prog" "$@" ;;
        wine:*) e2e_spawn_fed client pm "$fifo" $(e2e_wine_env) "$E2E_WINE_LOADER" "$prog" "$@" ;;
    esac
    pm_expect '^ready ' 30 >/dev/null || e2e_die "rtcpm-pm did not start"
}

# pm_send COMMAND REGEX [SECONDS]: the answer line (printed) or 1.
pm_send() {
    local before
    before=$(pm_lines | wc -l)
    echo "$1" >&7
    pm_expect "$2" "${3:-10}" "$before"
}

# pm_quit: the last Release (deletes what is left), and rtcpm-pm's exit.
pm_quit() {
    pm_send quit '^bye' 15 >/dev/null
    e2e_wait pm 10
}

# "mapping N TYPE TRANSPORT INT_IP:PORT -> EXT_IP:PORT" -> field (int|ext|intport|extport)
map_field() {
    local line=$1 what=$2 int ext
    int=$(sed -nE 's/^mapping [0-9]+ [^ ]+ [^ ]+ ([0-9.]+:[0-9]+) -> .*/\1/p' <<<"$line")
    ext=$(sed -nE 's/.* -> ([0-9.]+:[0-9]+)$/\1/p' <<<"$line")
    case "$what" in int) echo "$int" ;; ext) echo "$ext" ;; intport) echo "${int##*:}" ;; extport) echo "${ext##*:}" ;; esac
}

# The PCP port manager behind the symmetric NAT: real forwarding for a stranger, release
# removes the DNAT rule, a router restart without leases -> ANNOUNCE -> re-created within 5 s,
# nothing left at the end.
case_pcp_pm() {
    natpm_setup
    pm_start --pcp
    local rtp rtcp t0 ms rc
    rtp=$(pm_send "map udp audio-rtp" '^(mapping|failed)') ; echo "  $rtp"
    rtcp=$(pm_send "map udp audio-rtcp" '^(mapping|failed)') ; echo "  $rtcp"
    check "RTP mapped (default gateway found by itself)" has <(echo "$rtp") '^mapping 1 audio-rtp udp '
    check "RTCP mapped" has <(echo "$rtcp") '^mapping 2 audio-rtcp udp '
    check "internal address is the client's $E2E_LAN_CLIENT" eq "$(map_field "$rtp" int | cut -d: -f1)" "$E2E_LAN_CLIENT"
    check "external address is the router's $E2E_WAN_ROUTER" eq "$(map_field "$rtp" ext | cut -d: -f1)" "$E2E_WAN_ROUTER"
    check "RTP even, RTCP = RTP + 1" eq "$(( $(map_field "$rtp" intport) % 2 )):$(( $(map_field "$rtcp" intport) - $(map_field "$rtp" intport) ))" "0:1"
    check "miniupnpd's chain forwards both to the client" eq "$(e2e_miniupnpd_rules udp | sort)" \
        "$(printf 'udp %s -> %s\nudp %s -> %s\n' "$(map_field "$rtp" ext)" "$(map_field "$rtp" int)" \
            "$(map_field "$rtcp" ext)" "$(map_field "$rtcp" int)" | sort)"
    check "a stranger's packet to $(map_field "$rtp" ext) reaches the client's port $(map_field "$rtp" intport)" \
        e2e_forward_probe fwd1 "$(map_field "$rtp" intport)" "$(map_field "$rtp" ext)" 40002 arrives
    check "ReleaseMappingEx of RTP answered" has <(pm_send "release 1" '^(released|failed)') '^released 1'
    check "its DNAT rule is gone, RTCP's stays" eq "$(e2e_miniupnpd_rules udp)" \
        "udp $(map_field "$rtcp" ext) -> $(map_field "$rtcp" int)"
    check "a new stranger flow to the released port is dropped" \
        e2e_forward_probe fwd2 "$(map_field "$rtp" intport)" "$(map_field "$rtp" ext)" 40003 filtered
    # the router reboots and forgets: the port manager hears the ANNOUNCE and re-creates RTCP.
    # A stranger sprays from a new source port every 100 ms from the moment the router is
    # back; the first packet to reach the client's socket says when forwarding worked again.
    rm -f "$E2E_RUN_DIR/again.ready"
    e2e_spawn client again "$E2E_PYTHON" "$E2E_DIR/udp_peer.py" listen --bind "$(map_field "$rtcp" int)" \
        --expect-from "$E2E_WAN_PUBLIC2:any" --timeout 30 --ready-file "$E2E_RUN_DIR/again.ready"
    e2e_wait_file "$E2E_RUN_DIR/again.ready" || e2e_die "listener did not start"
    e2e_miniupnpd_restart_clean
    t0=$(($(date +%s%N) / 1000000))
    e2e_spawn public spray "$E2E_PYTHON" "$E2E_DIR/udp_peer.py" spray --bind "$E2E_WAN_PUBLIC2:41000" \
        --to "$(map_field "$rtcp" ext)" --count 100 --interval 0.1
    check "re-created after the restart" has <(pm_send "wait recreations 1 10" '^(reached|timeout)' 15) '^reached'
    echo "  re-created $(($(date +%s%N) / 1000000 - t0)) ms after the router came back"
    e2e_wait again 15; rc=$?
    e2e_stop spray
    sed 's/^/  | /' "$E2E_RUN_DIR/again.log"
    check "a stranger's packet reaches the client's port again" eq "$rc" 0
    ms=$(( $(sed -nE 's/.*at_ms=([0-9]+).*/\1/p' "$E2E_RUN_DIR/again.log") - t0 ))
    check "within 5 s of the router's restart ($ms ms)" eq "$([ "$ms" -ge 0 ] && [ "$ms" -le 5000 ] && echo yes)" yes
    check "its DNAT rule is back" eq "$(e2e_miniupnpd_rules udp)" "udp $(map_field "$rtcp" ext) -> $(map_field "$rtcp" int)"
    pm_send event '^event' | sed 's/^/  /'
    pm_quit; rc=$?
    check "rtcpm-pm ended cleanly" eq "$rc" 0
    natpm_no_leftovers
}

# The UPnP IGD port manager behind the symmetric NAT: SSDP discovery natively (libminiupnpc),
# hnetcfg's IUPnPNAT under Wine (whose external address comes from coturn: Wine's gap); real
# forwarding for a stranger; release removes the rule; nothing left at the end.
case_upnp_pm() {
    natpm_setup
    local args=(--upnp) sip rtp igd rc
    case "$client" in wine:*) args+=(--upnp-stun "$STUN") ;; esac
    pm_start "${args[@]}"
    sip=$(pm_send "map udp sip" '^(mapping|failed)' 20) ; echo "  $sip"
    rtp=$(pm_send "map udp audio-rtp" '^(mapping|failed)' 20) ; echo "  $rtp"
    igd=$(pm_send igd '^igd') ; echo "  $igd"
    case "$client" in
        wine:*) check "the IGD came through the system's UPnP NAT API" eq "$igd" "igd hnetcfg" ;;
        *) check "the IGD was discovered by SSDP" eq "$igd" "igd $E2E_UPNP_URL" ;;
    esac
    check "SIP mapped" has <(echo "$sip") '^mapping 1 sip udp '
    check "RTP mapped" has <(echo "$rtp") '^mapping 2 audio-rtp udp '
    check "internal address is the client's $E2E_LAN_CLIENT" eq "$(map_field "$sip" int | cut -d: -f1)" "$E2E_LAN_CLIENT"
    check "external address is the router's $E2E_WAN_ROUTER" eq "$(map_field "$sip" ext | cut -d: -f1)" "$E2E_WAN_ROUTER"
    check "miniupnpd's chain forwards both to the client" eq "$(e2e_miniupnpd_rules udp | sort)" \
        "$(printf 'udp %s -> %s\nudp %s -> %s\n' "$(map_field "$sip" ext)" "$(map_field "$sip" int)" \
            "$(map_field "$rtp" ext)" "$(map_field "$rtp" int)" | sort)"
    check "a stranger's packet to $(map_field "$rtp" ext) reaches the client's port $(map_field "$rtp" intport)" \
        e2e_forward_probe fwd1 "$(map_field "$rtp" intport)" "$(map_field "$rtp" ext)" 40002 arrives
    check "ReleaseMappingEx of RTP answered" has <(pm_send "release 2" '^(released|failed)' 20) '^released 2'
    check "its DNAT rule is gone, SIP's stays" eq "$(e2e_miniupnpd_rules udp)" \
        "udp $(map_field "$sip" ext) -> $(map_field "$sip" int)"
    check "a new stranger flow to the released port is dropped" \
        e2e_forward_probe fwd2 "$(map_field "$rtp" intport)" "$(map_field "$rtp" ext)" 40003 filtered
    pm_send stats '^stats' | sed 's/^/  /'
    pm_quit; rc=$?
    check "rtcpm-pm ended cleanly" eq "$rc" 0
    natpm_no_leftovers
}

# ---- the automatic port manager's decision table, through real NATs --------------------------

# auto_check NAT MINIUPNPD(yes|no) WANT(PCP|STUN|refused)
auto_case() {
    local nat=$1 router=$2 want=$3 mech sip
    net_up --nat "$nat"
    e2e_stun_start
    [ "$router" = yes ] && e2e_miniupnpd_start
    pm_start --auto "$STUN"
    mech=$(pm_send mechanism '^mechanism' 30) ; echo "  $mech"
    pm_lines | grep '^verdict' | tail -n1 | sed 's/^/  /'
    sip=$(pm_send "map udp sip" '^(mapping|failed)' 30) ; echo "  $sip"
    case "$want" in
        refused)
            check "no mechanism chosen" eq "$mech" "mechanism "
            check "GetMappingEx refused: RTC_E_PORT_MAPPING_FAILED" has <(echo "$sip") '^failed RTC_E_PORT_MAPPING_FAILED'
            check "the reason names the symmetric NAT" has <(echo "$sip") 'symmetric NAT'
            check "... and that PCP and UPnP did not answer" has <(echo "$sip") 'PCP: .*UPnP: ' ;;
        *)
            check "the automatic port manager chose $want" eq "$mech" "mechanism $want"
            check "mapped" has <(echo "$sip") '^mapping 1 sip udp '
            check "external address is the router's $E2E_WAN_ROUTER" eq "$(map_field "$sip" ext | cut -d: -f1)" "$E2E_WAN_ROUTER" ;;
    esac
    [ "$want" = PCP ] && check "the router forwards it (DNAT rule)" eq "$(e2e_miniupnpd_rules udp)" \
        "udp $(map_field "$sip" ext) -> $(map_field "$sip" int)"
    [ "$want" = STUN ] && check "the external side is the NAT's real mapping (conntrack)" \
        eq "$(e2e_nat_mappings udp "$(map_field "$sip" intport)" "$E2E_WAN_PUBLIC" "$E2E_STUN_PORT")" "$(map_field "$sip" ext)"
    pm_quit
    check "rtcpm-pm ended cleanly" eq "$?" 0
    [ "$router" = yes ] && natpm_no_leftovers
    return 0
}

case_auto_pcp() { auto_case symmetric yes PCP; }
case_auto_stun() { auto_case masquerade no STUN; }
case_auto_refused() { auto_case symmetric no refused; }

# ---- registration and call through the negotiated mappings (rtcpm-demo --pcp/--upnp/--auto) ---
# Behind MASQUERADE --random-fully the client's own packets leave from random ports (miniupnpd's
# nftables build forwards a mapping inbound but does not make the client's outbound packets
# use it); the registrar and the called party check that Contact / SDP name the negotiated
# mapping, and the media peer answers to where the client's packet came from (symmetric RTP,
# as SIP peers behind NATs do: a packet to the SDP's address would clash in conntrack with the
# client's own flow to that peer). That the mapping forwards a stranger's packets is the
# pcp_pm / upnp_pm cases' part.

# nego_pm_args MECH: rtcpm-demo's port-manager options for pcp | upnp | auto
nego_pm_args() {
    case "$1" in
        pcp) echo --pcp ;;
        upnp) case "$client" in wine:*) echo --upnp --stun "$STUN" ;; *) echo --upnp ;; esac ;;
        auto) echo --auto --stun "$STUN" ;;
    esac
}

nego_register() {
    natpm_setup
    e2e_registrar_start "$E2E_WAN_ROUTER" 5070
    run_client register $(nego_pm_args "$1") --local-port 5070 --registrar "$SIP_PEER"
    e2e_wait registrar 10; registrar_rc=$?
    local contact ext
    contact=$(e2e_log_field "$E2E_RUN_DIR/registrar.sipp.log" 'REGISTER Contact:.*sip:([^;> ]*).*')
    contact=${contact#*@}
    ext=$(client_mapping sip)
    check "client exit 0 (200 OK)" eq "$client_rc" 0
    check "the client reports 200 OK" has "$E2E_RUN_DIR/client.out" '^register: 200'
    check "the registrar accepted Contact $E2E_WAN_ROUTER:5070 (exit 0)" eq "$registrar_rc" 0
    check "Contact is the negotiated mapping the client reported" eq "$contact" "$ext"
    check "the negotiated external port is the internal one (free at the router)" eq "$ext" "$E2E_WAN_ROUTER:5070"
    natpm_no_leftovers
}

nego_call() {
    natpm_setup
    e2e_uas_start "$E2E_WAN_ROUTER" 7078 7079
    e2e_media_peer_start "$E2E_WAN_ROUTER:any"
    run_client call $(nego_pm_args "$1") --local-port 5070 --rtp-port 7078 --peer "$SIP_PEER"
    e2e_wait uas 10; uas_rc=$?
    e2e_wait media 10; media_rc=$?
    sed 's/^/  | /' "$E2E_RUN_DIR/media.log"
    check "client exit 0 (200 OK, media came back)" eq "$client_rc" 0
    check "the client reports 200 OK" has "$E2E_RUN_DIR/client.out" '^call: 200'
    check "the called party accepted c=IN IP4 $E2E_WAN_ROUTER, m=audio 7078, a=rtcp:7079 (exit 0)" eq "$uas_rc" 0
    check "SDP = the negotiated RTP mapping the client reported" eq "$(client_mapping rtp)" "$E2E_WAN_ROUTER:7078"
    check "and the RTCP one" eq "$(client_mapping rtcp)" "$E2E_WAN_ROUTER:7079"
    check "the media peer got the client's RTP from the router $E2E_WAN_ROUTER" \
        has "$E2E_RUN_DIR/media.log" "^answer: received from $(e2e_re_ip "$E2E_WAN_ROUTER"):"
    check "its answer reached the client's RTP socket" \
        has "$E2E_RUN_DIR/client.out" "^media: received from $(e2e_re_ip "$MEDIA_PEER")"
    natpm_no_leftovers
}

case_register_pcp() { nego_register pcp; }
case_call_pcp() { nego_call pcp; }
case_register_upnp() { nego_register upnp; }
case_call_upnp() { nego_call upnp; }
case_register_auto() { nego_register auto; }
case_call_auto() { nego_call auto; }
