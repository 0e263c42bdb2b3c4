#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# case.sh — one end-to-end case: builds the network, starts the peers, runs the client inside
# the client namespace, checks what the peers saw against the NAT's real mappings (the router's
# conntrack table), and tears everything down (netns.sh's trap), failing on any leak.
#
#   case.sh CASE [--client standin|native:PROGRAM|wine:PROGRAM.exe] [--work DIR]
#                [--expect-sip-port N|any] [--expect-rtp-port N|any] [--expect-rtcp-port N|any]
#                [-- EXTRA CLIENT ARGS...]
#
# Harness self-tests (Debian's tools only):
#   stun_mapping          turnutils_stunclient from the client sees the router's WAN address
#   natdiscovery_eim      turnutils_natdiscovery -m: Endpoint Independent Mapping (MASQUERADE)
#   natdiscovery_symmetric  ... Address and Port Dependent Mapping (MASQUERADE --random-fully)
#   udp_return            client sends first; the peer's answer to the NAT's external port
#                         arrives at the client's socket; a packet from another peer port is
#                         sent (the sender says so, the router's wan0 counts it) and filtered
#   dnat_udp              DNAT/SNAT pre-configured mapping: unsolicited inbound arrives, and
#                         the client's packets leave from the configured external address
#   register_wrong_contact  a Contact naming the LAN address gets 403 (the check discriminates)
#   call_wrong_sdp        an SDP naming the LAN address gets 488
#   wine_prefix           PROGRAM.exe runs under wine64 with its wineserver in the client
#                         namespace (every process of the prefix checked to be there)
# Client cases (the client is the stand-in now, rtcpm-demo later):
#   register              Contact = NAT external address and mapped port; 200 OK reaches it
#   call                  SDP names the external address and RTP/RTCP ports; a packet the
#                         peer sends to the external RTP port arrives at the client's socket
#   register_symmetric    symmetric NAT: the client refuses (exit 3, says why), sends nothing
#   call_symmetric        the same for a call
#   register_static       static port manager: DNAT mappings on the router, no STUN
#   call_static           the same for a call
# STUN port manager cases (--client native:rtcpm-stun-pm or wine:rtcpm-stun-pm.exe):
#   stun_pm_eim           MASQUERADE: RTP/RTCP mappings name the NAT's address and its real
#                         (conntrack) ports; the check against coturn's OTHER-ADDRESS passes
#   stun_pm_symmetric     MASQUERADE --random-fully: RTC_E_PORT_MAPPING_FAILED, "symmetric NAT"
#   stun_pm_symmetric_address  SNAT to another router address per destination, ports kept:
#                         RTC_E_PORT_MAPPING_FAILED, the two servers saw two external addresses
#   stun_pm_address_change  the router's WAN address changes between two calls of one port
#                         manager (--again, refresh 1 s): the second call's RTP/RTCP mappings
#                         name the new address (the refresh dropped the cached ones)
# STUN client case (--client native:rtcpm-stun or wine:rtcpm-stun.exe):
#   stun_client           UDP, RFC 3489 (classic) and TCP Binding through MASQUERADE: mapped is
#                         NOT the local address, it is the router's conntrack mapping, and
#                         coturn's own client from the same endpoint is told the same
# Negotiated mappings (miniupnpd in the router: PCP, NAT-PMP, UPnP IGD): tests/e2e/cases_natpm.sh.
#
# The client command line (rtcpm-demo's):
#   CLIENT register --stun 198.19.1.2:3478 --registrar 198.19.1.2:5060 [EXTRA...]
#   CLIENT call     --stun 198.19.1.2:3478 --peer 198.19.1.2:5060      [EXTRA...]
# static cases: no --stun; the router maps 198.19.1.3:15070/17078/17079 to the client's
# 5070/7078/7079, and EXTRA configures the client with that (default, the stand-in's options:
# --local-port 5070 --rtp-port 7078 --static-map sip=198.19.1.3:15070 --static-map
# rtp=198.19.1.3:17078 --static-map rtcp=198.19.1.3:17079).
# Client output the checks read (stdout or stderr, CRLF is fine):
#   mapping sip|rtp|rtcp INT_IP:PORT -> EXT_IP:PORT    register: CODE REASON
#   call: CODE REASON                                  media: received from IP:PORT
# Client exit codes: 0 2xx (call: and the media packet came back), 1 4xx/5xx/6xx, 2 no answer,
# 3 port mapping failed (symmetric cases: and the output says "symmetric"), 64 usage.
# Exit: 0 pass, 1 fail, 77 skipped (no network namespaces here).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/netns.sh"
. "$here/peers.sh"
. "$here/miniupnpd.sh"
. "$here/cases_natpm.sh"

case_name=${1:-}; shift || true
client=standin work=${RTCPM_E2E_WORK:-/tmp/rtcpm-e2e-work} extra=()
x_sip="" x_rtp="" x_rtcp=""
while [ $# -gt 0 ]; do
    case "$1" in
        --client) client=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --expect-sip-port) x_sip=$2; shift 2 ;;
        --expect-rtp-port) x_rtp=$2; shift 2 ;;
        --expect-rtcp-port) x_rtcp=$2; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        *) echo "case.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$case_name" ] || { sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

# The stand-in's internal ports are known (5070, 7078, 7079) and plain MASQUERADE keeps a
# free source port: the peers can demand them. Other clients: "any", then checked afterwards
# against the router's conntrack table.
if [ "$client" = standin ]; then
    : "${x_sip:=5070}" "${x_rtp:=7078}" "${x_rtcp:=7079}"
else
    : "${x_sip:=any}" "${x_rtp:=any}" "${x_rtcp:=any}"
fi

STUN=$E2E_WAN_PUBLIC:$E2E_STUN_PORT
SIP_PEER=$E2E_WAN_PUBLIC:$E2E_SIP_PORT
MEDIA_PEER=$E2E_WAN_PUBLIC:$E2E_MEDIA_PORT
# static cases: the router's second WAN address, external ports unlike the internal ones
STATIC_IP=$E2E_WAN_ROUTER2
STATIC_MAPS=(udp:5070:$STATIC_IP:15070 udp:7078:$STATIC_IP:17078 udp:7079:$STATIC_IP:17079)

fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
eq() { [ "$1" = "$2" ] || { echo "  got '$1', expected '$2'"; return 1; }; }
has() { grep -qE "$2" "$1" || { echo "  no /$2/ in $1:"; sed 's/^/  | /' "$1" | tail -n 15; return 1; }; }
hasnt() { ! grep -qE "$2" "$1" || { echo "  unexpected /$2/ in $1:"; grep -E "$2" "$1" | sed 's/^/  | /'; return 1; }; }
finish() {
    if [ $fails -eq 0 ]; then echo "e2e case $case_name: passed"; exit 0; fi
    echo "e2e case $case_name: $fails check(s) failed (logs: $E2E_RUN_DIR)"; exit 1
}

# run_client SUBCOMMAND ARGS...: output in client.out, exit code in client_rc.
run_client() {
    local out=$E2E_RUN_DIR/client.out
    echo "client: $client $*"
    case "$client" in
        standin)
            e2e_exec client env E2E_STANDIN_DIR="$E2E_RUN_DIR/standin" timeout 60 \
                "$here/standin-client.sh" "$@" "${extra[@]}" >"$out" 2>&1 ;;
        native:*)
            e2e_exec client timeout 60 "${client#native:}" "$@" "${extra[@]}" >"$out" 2>&1 ;;
        wine:*)
            [ -f "$E2E_RUN_DIR/wineprefixes" ] || e2e_wine_start client
            e2e_exec client $(e2e_wine_env) timeout 60 "$E2E_WINE_LOADER" "${client#wine:}" "$@" "${extra[@]}" \
                </dev/null >"$out" 2>&1 ;;
        *) e2e_die "unknown client '$client'" ;;
    esac
    client_rc=$?
    # a .exe writes CRLF
    sed -i 's/\r$//' "$out"
    sed 's/^/  | /' "$out"
    echo "client: exit $client_rc"
}

# net_up E2E_UP_OPTIONS: the network, and for a Wine client its prefix, before any peer starts
# (the peers' timeouts run from their start; a prefix takes seconds).
net_up() {
    e2e_up "$@"
    case "$client" in wine:*) e2e_wine_start client ;; esac
}

# mapping TYPE: the EXT_IP:PORT the client reported for sip|rtp|rtcp ("" if none)
client_mapping() { sed -nE "s/^mapping $1 [^ ]+ -> ([0-9.]+:[0-9]+).*/\\1/p" "$E2E_RUN_DIR/client.out" | head -n1; }
client_int_port() { sed -nE "s/^mapping $1 [0-9.]+:([0-9]+) -> .*/\\1/p" "$E2E_RUN_DIR/client.out" | head -n1; }

# ---- harness self-tests ----------------------------------------------------------------------

case_stun_mapping() {
    e2e_up --nat masquerade
    e2e_stun_start
    # turnutils_stunclient prints the mapping, then waits forever for an RFC 5780
    # change-request answer the NAT filters: stop it once the line is there.
    e2e_spawn client stunclient turnutils_stunclient "$E2E_WAN_PUBLIC"
    local i; for i in $(seq 50); do grep -q 'UDP reflexive addr' "$E2E_RUN_DIR/stunclient.log" && break; sleep 0.1; done
    sleep 0.2; e2e_stop stunclient
    sed 's/^/  | /' "$E2E_RUN_DIR/stunclient.log"
    local refl
    refl=$(sed -nE 's/.*UDP reflexive addr: ([0-9.]+:[0-9]+).*/\1/p' "$E2E_RUN_DIR/stunclient.log" | head -n1)
    check "the STUN server saw the router's WAN address $E2E_WAN_ROUTER, not $E2E_LAN_CLIENT" eq "${refl%:*}" "$E2E_WAN_ROUTER"
    local sport
    sport=$(ip netns exec "$(e2e_ns router)" cat /proc/net/nf_conntrack | awk '/dport=3478/ {for (i=1;i<=NF;i++) if ($i ~ /^sport=/) {print substr($i,7); exit}}')
    check "the reported port is the NAT's mapping in conntrack" eq "$(e2e_nat_mappings udp "$sport" "$E2E_WAN_PUBLIC" 3478)" "$refl"
}

natdiscovery() {
    e2e_exec client timeout 10 turnutils_natdiscovery -m "$E2E_WAN_PUBLIC" >"$E2E_RUN_DIR/natdiscovery.log" 2>&1
    sed -nE '/reflexive|Local addr|NAT with/s/^/  | /p' "$E2E_RUN_DIR/natdiscovery.log"
}

case_natdiscovery_eim() {
    e2e_up --nat masquerade
    e2e_stun_start
    natdiscovery
    check "MASQUERADE: Endpoint Independent Mapping" has "$E2E_RUN_DIR/natdiscovery.log" 'NAT with Endpoint Independent Mapping'
    check "one external address for both STUN servers" \
        eq "$(sed -nE 's/.*UDP reflexive addr: ([0-9.:]+).*/\1/p' "$E2E_RUN_DIR/natdiscovery.log" | sort -u | wc -l)" 1
}

case_natdiscovery_symmetric() {
    e2e_up --nat symmetric
    e2e_stun_start
    natdiscovery
    check "MASQUERADE --random-fully: Address and Port Dependent Mapping" has "$E2E_RUN_DIR/natdiscovery.log" 'NAT with Address and Port Dependent Mapping'
    local all distinct
    all=$(sed -nE 's/.*UDP reflexive addr: ([0-9.:]+).*/\1/p' "$E2E_RUN_DIR/natdiscovery.log")
    distinct=$(sort -u <<<"$all" | wc -l)
    check "a different external port for each of the $(wc -l <<<"$all") destinations" \
        eq "$([ "$distinct" -ge 2 ] && echo "$distinct")" "$(wc -l <<<"$all")"
}

udp() { e2e_exec "$1" "$E2E_PYTHON" "$here/udp_peer.py" "${@:2}"; }

case_udp_return() {
    e2e_up --nat masquerade
    # peer: wait, check the source is the NAT (port preserved), answer to it
    e2e_spawn public media "$E2E_PYTHON" "$here/udp_peer.py" answer --bind "$MEDIA_PEER" \
        --expect-from "$E2E_WAN_ROUTER:7078" --timeout 10 --ready-file "$E2E_RUN_DIR/media.ready"
    e2e_wait_file "$E2E_RUN_DIR/media.ready" || e2e_die "media peer did not start"
    udp client probe --bind "$E2E_LAN_CLIENT:7078" --to "$MEDIA_PEER" --expect-from "$MEDIA_PEER" --timeout 5 \
        >"$E2E_RUN_DIR/probe.log" 2>&1
    local probe_rc=$?
    sed 's/^/  | /' "$E2E_RUN_DIR/probe.log"
    e2e_wait media 10; local rc=$?
    sed 's/^/  | /' "$E2E_RUN_DIR/media.log"
    check "the peer saw the client as $E2E_WAN_ROUTER:7078" eq "$rc" 0
    check "the client's probe got the answer (exit 0)" eq "$probe_rc" 0
    check "the peer's answer to the NAT's external port reached the client's socket 7078" \
        has "$E2E_RUN_DIR/probe.log" "^probe: received from $MEDIA_PEER at $E2E_LAN_CLIENT:7078"
    # the same external port, but from another peer port: sent, reaches the router, filtered
    e2e_spawn client filtered "$E2E_PYTHON" "$here/udp_peer.py" expect-none --bind "$E2E_LAN_CLIENT:7078" \
        --timeout 1 --ready-file "$E2E_RUN_DIR/filtered.ready"
    e2e_wait_file "$E2E_RUN_DIR/filtered.ready" || e2e_die "the client's listening socket did not start"
    local rx_before rx_after send_rc
    rx_before=$(wan_rx_packets)
    udp public send --bind "$E2E_WAN_PUBLIC:40002" --to "$E2E_WAN_ROUTER:7078" >"$E2E_RUN_DIR/send.log" 2>&1
    send_rc=$?
    rx_after=$(wan_rx_packets)
    sed 's/^/  | /' "$E2E_RUN_DIR/send.log"
    e2e_wait filtered 5; rc=$?
    sed 's/^/  | /' "$E2E_RUN_DIR/filtered.log"
    check "the unsolicited packet was sent (exit 0)" eq "$send_rc" 0
    check "it was sent from $E2E_WAN_PUBLIC:40002 to $E2E_WAN_ROUTER:7078" \
        has "$E2E_RUN_DIR/send.log" "^send: sent from $(e2e_re_ip "$E2E_WAN_PUBLIC"):40002 to $(e2e_re_ip "$E2E_WAN_ROUTER"):7078$"
    check "it reached the router's wan0 ($rx_before -> $rx_after packets received)" \
        eq "$([ "$rx_after" -gt "$rx_before" ] && echo more)" more
    check "a packet from a port the client never sent to is filtered (nothing arrived)" eq "$rc" 0
}

# Packets the router's wan0 has received so far.
wan_rx_packets() { ip netns exec "$(e2e_ns router)" cat /sys/class/net/wan0/statistics/rx_packets; }

case_dnat_udp() {
    e2e_up --nat dnat $(printf -- '--map %s ' "${STATIC_MAPS[@]}")
    # unsolicited: public -> 198.19.1.3:15070 must reach client :5070, whose answer leaves as 198.19.1.3:15070
    e2e_spawn client answer "$E2E_PYTHON" "$here/udp_peer.py" answer --bind "$E2E_LAN_CLIENT:5070" \
        --expect-from "$MEDIA_PEER" --timeout 10 --ready-file "$E2E_RUN_DIR/answer.ready"
    e2e_wait_file "$E2E_RUN_DIR/answer.ready" || e2e_die "client socket did not start"
    udp public probe --bind "$MEDIA_PEER" --to "$STATIC_IP:15070" --expect-from "$STATIC_IP:15070" --timeout 5 \
        | tee "$E2E_RUN_DIR/probe.log" | sed 's/^/  | /'
    e2e_wait answer 10; local rc=$?
    sed 's/^/  | /' "$E2E_RUN_DIR/answer.log"
    check "an unsolicited packet to $STATIC_IP:15070 reached the client's socket 5070" eq "$rc" 0
    check "the client's answer left as $STATIC_IP:15070" has "$E2E_RUN_DIR/probe.log" "^probe: received from $STATIC_IP:15070 "
    # client-first from the RTP port: the peer sees the configured external address
    e2e_spawn public media "$E2E_PYTHON" "$here/udp_peer.py" answer --bind "$MEDIA_PEER" \
        --expect-from "$STATIC_IP:17078" --timeout 10 --ready-file "$E2E_RUN_DIR/media.ready"
    e2e_wait_file "$E2E_RUN_DIR/media.ready" || e2e_die "media peer did not start"
    udp client probe --bind "$E2E_LAN_CLIENT:7078" --to "$MEDIA_PEER" --expect-from "$MEDIA_PEER" --timeout 5 \
        | tee "$E2E_RUN_DIR/probe2.log" | sed 's/^/  | /'
    e2e_wait media 10; rc=$?
    check "the client's RTP port 7078 appears as $STATIC_IP:17078, and the answer comes back" eq "$rc" 0
}

case_wine_prefix() {
    local exe=${client#wine:}
    [ "$client" != standin ] && [ -f "$exe" ] || e2e_die "wine_prefix needs --client wine:PROGRAM.exe (got '$client')"
    e2e_up --nat masquerade
    e2e_wine_start client
    e2e_wine_run client -- "$exe" >"$E2E_RUN_DIR/program.out" 2>&1; local rc=$?
    sed -i 's/\r$//' "$E2E_RUN_DIR/program.out"
    sed 's/^/  | /' "$E2E_RUN_DIR/program.out" | head -n 12
    check "$(basename "$exe") ran in the client namespace's prefix (exit 0)" eq "$rc" 0
    check "$(basename "$exe") printed its interface table" has "$E2E_RUN_DIR/program.out" 'IRTCPortManager3'
    # Wine's own view of the network (nsiproxy, in the prefix's winedevice.exe): the
    # client namespace's interface, not the host's.
    e2e_wine_run client -- ipconfig >"$E2E_RUN_DIR/ipconfig.out" 2>&1
    sed -i 's/\r$//' "$E2E_RUN_DIR/ipconfig.out"
    grep -E 'IPv4|Adapter|adapter' "$E2E_RUN_DIR/ipconfig.out" | sed 's/^/  | /'
    check "Wine's ipconfig in the prefix shows the client address $E2E_LAN_CLIENT" has "$E2E_RUN_DIR/ipconfig.out" "$(e2e_re_ip "$E2E_LAN_CLIENT")"
    local host_addrs a
    host_addrs=$(ip -4 -o addr show | awk '$2 != "lo" {split($4, a, "/"); print a[1]}')
    for a in $host_addrs; do
        check "Wine's ipconfig does not show the host's address $a" hasnt "$E2E_RUN_DIR/ipconfig.out" "(^|[^0-9])$(e2e_re_ip "$a")([^0-9]|$)"
    done
}

# ---- client cases ------------------------------------------------------------------------------

register_checks() {
    local ext_ip=$1 contact seen_port ext int nat
    contact=$(e2e_log_field "$E2E_RUN_DIR/registrar.sipp.log" 'REGISTER Contact:.*sip:([^;> ]*).*')
    contact=${contact#*@}
    echo "registrar saw Contact host:port $contact"
    ext=$(client_mapping sip); int=$(client_int_port sip)
    check "client exit 0 (200 OK)" eq "$client_rc" 0
    check "the client reports 200 OK" has "$E2E_RUN_DIR/client.out" '^register: 200'
    check "the registrar accepted the Contact (exit 0)" eq "$registrar_rc" 0
    check "Contact host is the NAT's external address $ext_ip" eq "${contact%:*}" "$ext_ip"
    check "Contact is the mapping the client reported" eq "$contact" "$ext"
    nat=$(e2e_nat_mappings udp "$int" "$E2E_WAN_PUBLIC" "$E2E_SIP_PORT")
    check "Contact is the NAT's real mapping of the SIP port $int (conntrack)" eq "$contact" "$nat"
}

case_register() {
    net_up --nat masquerade
    e2e_stun_start
    e2e_registrar_start "$E2E_WAN_ROUTER" "$x_sip"
    run_client register --stun "$STUN" --registrar "$SIP_PEER"
    e2e_wait registrar 10; registrar_rc=$?
    register_checks "$E2E_WAN_ROUTER"
}

case_register_wrong_contact() {
    [ "$client" = standin ] || e2e_die "register_wrong_contact is a harness check: stand-in only"
    extra+=(--contact lan)
    e2e_up --nat masquerade
    e2e_stun_start
    e2e_registrar_start "$E2E_WAN_ROUTER" "$x_sip"
    run_client register --stun "$STUN" --registrar "$SIP_PEER"
    e2e_wait registrar 10; local rc=$?
    check "client exit 1 (a 4xx)" eq "$client_rc" 1
    check "the client saw 403" has "$E2E_RUN_DIR/client.out" '^register: 403'
    check "the registrar logged the LAN Contact" has "$E2E_RUN_DIR/registrar.sipp.log" "REGISTER Contact:.*$(e2e_re_ip "$E2E_LAN_CLIENT")"
    check "the registrar's check failed (exit 1)" eq "$rc" 1
    check "the registrar reports the failed Contact check" has "$E2E_RUN_DIR/registrar.err" 'Failed regexp match'
}

case_register_symmetric() {
    net_up --nat symmetric
    e2e_stun_start
    e2e_registrar_start "$E2E_WAN_ROUTER" any
    run_client register --stun "$STUN" --registrar "$SIP_PEER"
    check "client exit 3 (port mapping failed)" eq "$client_rc" 3
    check "the client says the NAT is symmetric" has "$E2E_RUN_DIR/client.out" '[Ss]ymmetric'
    sleep 0.3
    e2e_stop registrar
    check "nothing reached the registrar" hasnt "$E2E_RUN_DIR/registrar.msg" 'REGISTER'
}

case_register_static() {
    net_up --nat dnat $(printf -- '--map %s ' "${STATIC_MAPS[@]}")
    [ ${#extra[@]} -gt 0 ] || extra=(--local-port 5070 --static-map "sip=$STATIC_IP:15070")
    e2e_registrar_start "$STATIC_IP" 15070
    run_client register --registrar "$SIP_PEER"
    e2e_wait registrar 10; registrar_rc=$?
    register_checks "$STATIC_IP"
}

call_checks() {
    local ext_ip=$1 static=$2 c m r rtp rtcp int_rtp int_rtcp seen
    c=$(e2e_log_field "$E2E_RUN_DIR/uas.sipp.log" 'INVITE SDP \{c=IN IP4 ([^} ]*)\}.*')
    m=$(e2e_log_field "$E2E_RUN_DIR/uas.sipp.log" 'INVITE SDP \{[^}]*\} \{m=audio ([0-9]*)\}.*')
    r=$(e2e_log_field "$E2E_RUN_DIR/uas.sipp.log" 'INVITE SDP \{[^}]*\} \{[^}]*\} \{a=rtcp:([0-9]*).*')
    echo "called party saw c=IN IP4 $c, m=audio $m, a=rtcp:$r"
    rtp=$(client_mapping rtp); rtcp=$(client_mapping rtcp)
    int_rtp=$(client_int_port rtp); int_rtcp=$(client_int_port rtcp)
    check "client exit 0 (200 OK, media came back)" eq "$client_rc" 0
    check "the client reports 200 OK" has "$E2E_RUN_DIR/client.out" '^call: 200'
    check "the called party accepted the SDP (exit 0)" eq "$uas_rc" 0
    check "c= names the NAT's external address $ext_ip" eq "$c" "$ext_ip"
    check "c=/m= are the RTP mapping the client reported" eq "$c:$m" "$rtp"
    check "c=/a=rtcp are the RTCP mapping the client reported" eq "$c:$r" "$rtcp"
    check "the peer's media socket got the client's packet from c=/m= ($c:$m)" eq "$media_rc" 0
    check "the packet came from the SDP's address" has "$E2E_RUN_DIR/media.log" "^answer: received from $(e2e_re_ip "$c:$m") "
    check "the peer's answer reached the client's RTP socket" has "$E2E_RUN_DIR/client.out" "^media: received from $(e2e_re_ip "$MEDIA_PEER")"
    check "m= is the NAT's real mapping of RTP port $int_rtp (conntrack)" \
        eq "$(e2e_nat_mappings udp "$int_rtp" "$E2E_WAN_PUBLIC" "$E2E_MEDIA_PORT")" "$c:$m"
    if [ "$static" = static ]; then
        check "a=rtcp is the configured mapping of RTCP port $int_rtcp" eq "$c:$r" "$STATIC_IP:17079"
    else
        check "a=rtcp is a real NAT mapping of RTCP port $int_rtcp (conntrack)" \
            eq "$(e2e_nat_mappings udp "$int_rtcp" | grep -xF "$c:$r")" "$c:$r"
    fi
}

case_call() {
    net_up --nat masquerade
    e2e_stun_start
    e2e_uas_start "$E2E_WAN_ROUTER" "$x_rtp" "$x_rtcp"
    e2e_media_peer_start "$E2E_WAN_ROUTER:$x_rtp"
    run_client call --stun "$STUN" --peer "$SIP_PEER"
    e2e_wait uas 10; uas_rc=$?
    e2e_wait media 10; media_rc=$?
    sed 's/^/  | /' "$E2E_RUN_DIR/media.log"
    call_checks "$E2E_WAN_ROUTER" stun
}

case_call_wrong_sdp() {
    [ "$client" = standin ] || e2e_die "call_wrong_sdp is a harness check: stand-in only"
    extra+=(--contact lan)
    e2e_up --nat masquerade
    e2e_stun_start
    e2e_uas_start "$E2E_WAN_ROUTER" "$x_rtp" "$x_rtcp"
    e2e_media_peer_start "$E2E_WAN_ROUTER:$x_rtp"
    run_client call --stun "$STUN" --peer "$SIP_PEER"
    e2e_wait uas 10; local rc=$?
    check "client exit 1 (a 4xx)" eq "$client_rc" 1
    check "the client saw 488" has "$E2E_RUN_DIR/client.out" '^call: 488'
    check "the called party logged the LAN address in c=" has "$E2E_RUN_DIR/uas.sipp.log" "INVITE SDP \{c=IN IP4 $(e2e_re_ip "$E2E_LAN_CLIENT")\}"
    check "the called party's SDP check failed (exit 1)" eq "$rc" 1
    check "the called party reports the failed SDP check" has "$E2E_RUN_DIR/uas.err" 'Failed regexp match'
    e2e_stop media
    check "no media was exchanged" hasnt "$E2E_RUN_DIR/media.log" 'received'
}

case_call_symmetric() {
    net_up --nat symmetric
    e2e_stun_start
    e2e_uas_start "$E2E_WAN_ROUTER" any any
    run_client call --stun "$STUN" --peer "$SIP_PEER"
    check "client exit 3 (port mapping failed)" eq "$client_rc" 3
    check "the client says the NAT is symmetric" has "$E2E_RUN_DIR/client.out" '[Ss]ymmetric'
    sleep 0.3
    e2e_stop uas
    check "nothing reached the called party" hasnt "$E2E_RUN_DIR/uas.msg" 'INVITE'
}

case_call_static() {
    net_up --nat dnat $(printf -- '--map %s ' "${STATIC_MAPS[@]}")
    [ ${#extra[@]} -gt 0 ] || extra=(--local-port 5070 --rtp-port 7078 --static-map "sip=$STATIC_IP:15070" \
        --static-map "rtp=$STATIC_IP:17078" --static-map "rtcp=$STATIC_IP:17079")
    e2e_uas_start "$STATIC_IP" 17078 17079
    e2e_media_peer_start "$STATIC_IP:17078"
    run_client call --peer "$SIP_PEER"
    e2e_wait uas 10; uas_rc=$?
    e2e_wait media 10; media_rc=$?
    sed 's/^/  | /' "$E2E_RUN_DIR/media.log"
    call_checks "$STATIC_IP" static
}

# ---- the STUN port manager itself (rtcpm-stun-pm: GetMappingEx as RTC calls it) ----------------

# mapping lines of rtcpm-stun-pm: "mapping TYPE udp internal I:P external E:Q"
stun_pm_field() { sed -nE "s/^mapping $1 udp internal ([0-9.]+:[0-9]+) external ([0-9.]+:[0-9]+)$/\\$2/p" "$E2E_RUN_DIR/client.out" | head -n1; }

case_stun_pm_eim() {
    case "$client" in native:*rtcpm-stun-pm|wine:*rtcpm-stun-pm.exe) ;; *) e2e_die "stun_pm_eim needs --client native|wine:rtcpm-stun-pm" ;; esac
    net_up --nat masquerade
    e2e_stun_start
    run_client --pair "$STUN"
    check "rtcpm-stun-pm exit 0" eq "$client_rc" 0
    local t int ext
    for t in audio-rtp audio-rtcp; do
        int=$(stun_pm_field $t 1); ext=$(stun_pm_field $t 2)
        check "$t internal address is the client's $E2E_LAN_CLIENT (by route)" eq "${int%:*}" "$E2E_LAN_CLIENT"
        check "$t external address is the NAT's $E2E_WAN_ROUTER" eq "${ext%:*}" "$E2E_WAN_ROUTER"
        check "$t external is the NAT's real mapping of port ${int##*:} (conntrack)" \
            eq "$(e2e_nat_mappings udp "${int##*:}" "$E2E_WAN_PUBLIC" "$E2E_STUN_PORT")" "$ext"
    done
    local rtp=$(stun_pm_field audio-rtp 1) rtcp=$(stun_pm_field audio-rtcp 1)
    check "RTP port even, RTCP = RTP + 1" eq "$(( ${rtp##*:} % 2 )):$(( ${rtcp##*:} - ${rtp##*:} ))" "0:1"
    check "checked against coturn's OTHER-ADDRESS: endpoint-independent" has "$E2E_RUN_DIR/client.out" \
        "^nat $(e2e_re_ip "$E2E_LAN_CLIENT"): external $(e2e_re_ip "$E2E_WAN_ROUTER"), endpoint-independent mapping \\($(e2e_re_ip "$STUN") and $(e2e_re_ip "$E2E_WAN_PUBLIC2"):$((E2E_STUN_PORT + 1)) saw port"
}

case_stun_pm_symmetric() {
    case "$client" in native:*rtcpm-stun-pm|wine:*rtcpm-stun-pm.exe) ;; *) e2e_die "stun_pm_symmetric needs --client native|wine:rtcpm-stun-pm" ;; esac
    net_up --nat symmetric
    e2e_stun_start
    run_client "$STUN"
    check "rtcpm-stun-pm exit 1 (RTC_E_PORT_MAPPING_FAILED)" eq "$client_rc" 1
    check "no mapping printed" hasnt "$E2E_RUN_DIR/client.out" '^mapping '
    check "the reason: symmetric NAT, coturn's two addresses saw two ports" has "$E2E_RUN_DIR/client.out" \
        "RTC_E_PORT_MAPPING_FAILED: symmetric NAT: $(e2e_re_ip "$STUN") saw port [0-9]+, $(e2e_re_ip "$E2E_WAN_PUBLIC2"):$((E2E_STUN_PORT + 1)) saw port [0-9]+"
}

# symmetric only by address: each server sees another external address, the same port
case_stun_pm_symmetric_address() {
    need_client rtcpm-stun-pm
    net_up --nat per-destination
    e2e_stun_start
    run_client "$STUN"
    local re port
    re="RTC_E_PORT_MAPPING_FAILED: symmetric NAT: $(e2e_re_ip "$STUN") saw $(e2e_re_ip "$E2E_WAN_ROUTER"):([0-9]+), $(e2e_re_ip "$E2E_WAN_PUBLIC2"):$((E2E_STUN_PORT + 1)) saw $(e2e_re_ip "$E2E_WAN_ROUTER2"):([0-9]+)"
    check "rtcpm-stun-pm exit 1 (RTC_E_PORT_MAPPING_FAILED)" eq "$client_rc" 1
    check "no mapping printed" hasnt "$E2E_RUN_DIR/client.out" '^mapping '
    check "the reason: the two servers saw two external addresses" has "$E2E_RUN_DIR/client.out" "$re"
    port=$(sed -nE "s/.*$re.*/\\1/p" "$E2E_RUN_DIR/client.out" | head -n1)
    check "both saw the same port (only the address differs)" \
        eq "$(sed -nE "s/.*$re.*/\\2/p" "$E2E_RUN_DIR/client.out" | head -n1)" "$port"
    # the NAT really did that (conntrack): the harness checks itself
    check "conntrack: port $port left as $E2E_WAN_ROUTER:$port towards $STUN" \
        eq "$(e2e_nat_mappings udp "$port" "$E2E_WAN_PUBLIC" "$E2E_STUN_PORT")" "$E2E_WAN_ROUTER:$port"
    check "conntrack: and as $E2E_WAN_ROUTER2:$port towards $E2E_WAN_PUBLIC2:$((E2E_STUN_PORT + 1))" \
        eq "$(e2e_nat_mappings udp "$port" "$E2E_WAN_PUBLIC2" $((E2E_STUN_PORT + 1)))" "$E2E_WAN_ROUTER2:$port"
}

# need_client NAME: this case runs that program (native or .exe).
need_client() {
    case "$client" in native:*/"$1"|wine:*/"$1".exe) ;; *) e2e_die "$case_name needs --client native|wine:$1" ;; esac
}

# The client's command for e2e_spawn: natively, or under Wine in the client's prefix.
client_command() {
    case "$client" in
        native:*) client_cmd=("${client#native:}") ;;
        wine:*) read -ra client_cmd <<<"$(e2e_wine_env) $E2E_WINE_LOADER"; client_cmd+=("${client#wine:}") ;;
    esac
}

# pm_round_field FILE TYPE N: the internal (N=1) or external (N=2) side of a mapping line
pm_round_field() { sed -nE "s/^mapping $2 udp internal ([0-9.]+:[0-9]+) external ([0-9.]+:[0-9]+)$/\\$3/p" "$1" | head -n1; }

case_stun_pm_address_change() {
    need_client rtcpm-stun-pm
    net_up --nat masquerade
    e2e_stun_start
    local fifo=$E2E_RUN_DIR/client.stdin log=$E2E_RUN_DIR/client.log i t int ext rc
    mkfifo "$fifo"
    exec 7<>"$fifo" # held open: the client's read waits for our line
    client_command
    # RTP in a range of its own: the refresh's (OS-picked) SIP port never serves the pair
    E2E_SPAWN_STDIN=$fifo e2e_spawn client client "${client_cmd[@]}" --pair --range 20000-20009 --refresh 1 --again \
        "$STUN"
    for i in $(seq 600); do grep -q '^again: waiting' "$log" 2>/dev/null && break; sleep 0.1; done
    sed -n '1,/^again: waiting/p' "$log" | tr -d '\r' >"$E2E_RUN_DIR/round1.out"
    e2e_router_readdress "$E2E_WAN_ROUTER_NEW"
    echo go >&7
    e2e_wait client 60; rc=$?
    exec 7>&-
    tr -d '\r' <"$log" | sed 's/^/  | /'
    tr -d '\r' <"$log" | sed -n '/^again: second round/,$p' >"$E2E_RUN_DIR/round2.out"
    check "rtcpm-stun-pm exit 0" eq "$rc" 0
    check "it waited for two refresh passes after the change" has "$log" '^again: 2 refresh pass\(es\) since the line'
    for t in audio-rtp audio-rtcp; do
        check "first call: $t external address is the NAT's $E2E_WAN_ROUTER" \
            eq "$(pm_round_field "$E2E_RUN_DIR/round1.out" $t 2 | sed 's/:.*//')" "$E2E_WAN_ROUTER"
        int=$(pm_round_field "$E2E_RUN_DIR/round2.out" $t 1); ext=$(pm_round_field "$E2E_RUN_DIR/round2.out" $t 2)
        check "second call: $t external address is the NAT's new $E2E_WAN_ROUTER_NEW" eq "${ext%:*}" "$E2E_WAN_ROUTER_NEW"
        check "second call: $t external is the NAT's real mapping of port ${int##*:} (conntrack)" \
            eq "$(e2e_nat_mappings udp "${int##*:}" "$E2E_WAN_PUBLIC" "$E2E_STUN_PORT")" "$ext"
    done
    check "the port manager knows the new address" has "$E2E_RUN_DIR/round2.out" \
        "^nat $(e2e_re_ip "$E2E_LAN_CLIENT"): external $(e2e_re_ip "$E2E_WAN_ROUTER_NEW")"
}

# rtcpm-stun through MASQUERADE: what coturn told it is the NAT's mapping, never the local address
case_stun_client() {
    need_client rtcpm-stun
    net_up --nat masquerade
    e2e_stun_start
    local mode args attr proto local_ mapped via nd refl
    for mode in udp classic tcp; do
        case $mode in
            udp) args=(--rto 200 --deadline 10000) attr=XOR-MAPPED-ADDRESS proto=udp ;;
            classic) args=(--classic --rto 200 --deadline 10000) attr=MAPPED-ADDRESS proto=udp ;;
            tcp) args=(--tcp --ti 10000) attr=XOR-MAPPED-ADDRESS proto=tcp ;;
        esac
        run_client --bind "$E2E_LAN_CLIENT:0" "${args[@]}" "$STUN"
        cp "$E2E_RUN_DIR/client.out" "$E2E_RUN_DIR/client.$mode.out"
        local_=$(sed -n 's/^local //p' "$E2E_RUN_DIR/client.out")
        mapped=$(sed -nE 's/^mapped ([^ ]+) via .*/\1/p' "$E2E_RUN_DIR/client.out")
        via=$(sed -nE 's/^mapped [^ ]+ via ([^ ]+) .*/\1/p' "$E2E_RUN_DIR/client.out")
        check "$mode: rtcpm-stun exit 0" eq "$client_rc" 0
        check "$mode: bound on the client's address $E2E_LAN_CLIENT" eq "${local_%:*}" "$E2E_LAN_CLIENT"
        check "$mode: mapped $mapped is not the local $local_ (an echo of the local address fails here)" \
            eq "$([ -n "$mapped" ] && [ "$mapped" != "$local_" ] && echo differs)" differs
        check "$mode: read from $attr" eq "$via" "$attr"
        check "$mode: mapped is the NAT's real mapping of port ${local_##*:} (conntrack)" \
            eq "$(e2e_nat_mappings "$proto" "${local_##*:}" "$E2E_WAN_PUBLIC" "$E2E_STUN_PORT")" "$mapped"
        [ "$mode" = udp ] || continue
        # coturn's own client from the very same endpoint is told the very same mapping
        e2e_exec client timeout 10 turnutils_natdiscovery -m -L "$E2E_LAN_CLIENT" -l "${local_##*:}" "$E2E_WAN_PUBLIC" \
            >"$E2E_RUN_DIR/natdiscovery.log" 2>&1
        refl=$(sed -nE 's/.*UDP reflexive addr: *([0-9.]+:[0-9]+).*/\1/p' "$E2E_RUN_DIR/natdiscovery.log" | head -n1)
        check "$mode: turnutils_natdiscovery from $local_ is told $mapped too" eq "$refl" "$mapped"
    done
}

declare -F "case_$case_name" >/dev/null || { echo "case.sh: no case '$case_name'" >&2; exit 2; }
e2e_down_stale
e2e_init "$work/$case_name"
t0=$(date +%s%N)
"case_$case_name"
echo "e2e case $case_name: $((($(date +%s%N) - t0) / 1000000)) ms"
finish
