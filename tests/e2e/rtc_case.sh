#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# rtc_case.sh — the RTC Client API end to end (README "RTC Client API"): the samples
# rtc_registration.exe / rtc_outgoing_call.exe under wine64 in the client namespace, their own
# Wine prefix there with `regsvr32 rtcdll.dll` run in it, through the real NAT of netns.sh.
#
#   rtc_case.sh CASE --bin SAMPLES_DIR --dll RTCDLL --sipp SIPP_TEMPLATES [--work DIR]
#
# Cases:
#   rtc_register_own_static  the application's own C++ port manager (internal 198.18.1.2:5070 <->
#                            external 198.19.1.3:5070) and the router's DNAT for it: the
#                            registrar sees that Contact, REGISTER and Expires: 0 both answered
#   rtc_call_own_static      the same for a call (SIP 5070, RTP 7078, RTCP 7079 DNAT'ed): the
#                            called party sees c=/m=/a=rtcp naming 198.19.1.3:7078/7079, the
#                            RTP reaches it from there, its answer comes back through the NAT;
#                            with sound both ways (cases_rtc_sound.sh's sound_call)
#   rtc_register_stun        rtcpm's STUN port manager handed to SetPortManager, plain
#                            MASQUERADE: Contact = the NAT's real mapping (conntrack)
#   rtc_call_stun            the same for a call: c=/m= = the NAT's real RTP mapping, RTP arrives
#   rtc_register_symmetric   MASQUERADE --random-fully with the STUN port manager: REGISTRATION
#                            ERROR carrying RTC_E_PORT_MAPPING_FAILED, nothing reaches the registrar
#   rtc_in_own_static        an incoming call through the NAT: rtc_incoming_call.exe registers
#                            with the application's port manager (SIP 5070, RTP 7078/7079
#                            DNAT'ed), no listen address; a caller (sipp) on the WAN calls the
#                            registered Contact 198.19.1.3:5070; Answer: the 200's SDP names
#                            198.19.1.3:7078 and Contact the mapping, RTP reaches the caller
#                            from 198.19.1.3:7078 through the NAT, the caller's BYE ends it
#   rtc_register_dns         the profile names its registrar by a host name without a port: resolved
#                            when the profile is enabled (RFC 3263 SRV _sip._udp, then A) through
#                            a dnsmasq this case starts in the client namespace
#                            (/etc/netns/<ns>/resolv.conf), the port manager asked for the result
#   rtc_sound_stun, rtc_sound_pcp, rtc_sound_in, rtc_sound_in_keepalive
#                            calls with sound both ways (a 1 kHz tone out, 440 Hz back, RTCP),
#                            DTMF, an incoming call kept reachable by the registration's
#                            keep-alives: tests/e2e/cases_rtc_sound.sh
# Exit: 0 pass, 1 fail, 77 skipped (no network namespaces here).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/netns.sh"
. "$here/peers.sh"
. "$here/miniupnpd.sh"
. "$here/cases_rtc_sound.sh"

case_name=${1:-}; shift || true
bin="" dll="" sippdir="" work=${RTCPM_E2E_WORK:-/tmp/rtcpm-e2e-work}
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin=$2; shift 2 ;;
        --dll) dll=$2; shift 2 ;;
        --sipp) sippdir=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        *) echo "rtc_case.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$case_name" ] && [ -d "$bin" ] && [ -f "$dll" ] && [ -d "$sippdir" ] \
    || { sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

STUN=$E2E_WAN_PUBLIC:$E2E_STUN_PORT
SIP_PEER=$E2E_WAN_PUBLIC:$E2E_SIP_PORT
STATIC_IP=$E2E_WAN_ROUTER2
# the own port manager keeps port numbers: DNAT them one to one
OWN_MAPS=(udp:5070:$STATIC_IP:5070 udp:7078:$STATIC_IP:7078 udp:7079:$STATIC_IP:7079)
OWN_PM=(--own-pm "$E2E_LAN_CLIENT,$STATIC_IP" --sip-port 5070 --rtp-port 7078)

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
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }

# The network, then the client's prefix with rtcdll.dll registered in it (regsvr32, as a user
# installs it), before any peer starts. RTC_RESOLV: a resolv.conf for the client namespace
# (before Wine starts there: `ip netns exec` mounts it over /etc/resolv.conf).
rtc_up() {
    e2e_up "$@"
    if [ -n "${RTC_RESOLV:-}" ]; then
        netns_etc=/etc/netns/$(e2e_ns client)
        mkdir -p "$netns_etc"
        printf '%s\n' "$RTC_RESOLV" >"$netns_etc/resolv.conf"
    fi
    e2e_wine_start client
    if ! e2e_wine_run client -- regsvr32 /s "$(winpath "$dll")" >"$E2E_RUN_DIR/regsvr32.log" 2>&1; then
        # what a rare failure needs to be understood (seen once, under load: "ShellExecuteEx
        # failed", i.e. Wine did not find or could not start regsvr32.exe)
        sed 's/^/  regsvr32 | /' "$E2E_RUN_DIR/regsvr32.log"
        ls -li "$E2E_RUN_DIR/wineprefix/drive_c/windows/system32/regsvr32.exe" "$dll" 2>&1 | sed 's/^/  ls | /'
        e2e_die "regsvr32 rtcdll.dll failed in the client's prefix (see $E2E_RUN_DIR/regsvr32.log)"
    fi
    e2e_log "rtcdll.dll registered in $E2E_RUN_DIR/wineprefix"
}

# own_static_up: the network with the router's DNAT for the application's own port manager
own_static_up() {
    # shellcheck disable=SC2046 # one --map option and its value per mapping
    rtc_up --nat dnat $(printf -- '--map %s ' "${OWN_MAPS[@]}")
}

# run_sample EXE ARGS...: client.out, client_rc (CoCreateInstance: no --dll)
run_sample() {
    local out=$E2E_RUN_DIR/client.out
    echo "client: $(basename "$1") ${*:2}"
    e2e_exec client $(e2e_wine_env) timeout 90 "$E2E_WINE_LOADER" "$@" </dev/null >"$out" 2>&1
    client_rc=$?
    sed -i 's/\r$//' "$out"
    sed 's/^/  | /' "$out"
    echo "client: exit $client_rc"
}

# pm_mapping TYPE internal|external [LOG]: what the port manager answered (its printed line in
# LOG, default the sample's client.out)
pm_mapping() {
    sed -nE "s/^pm GetMappingEx\\([^)]*, $1\\) -> S_OK internal ([0-9.]+:[0-9]+) external ([0-9.]+:[0-9]+)$/\\$([ "$2" = internal ] && echo 1 || echo 2)/p" \
        "${3:-$E2E_RUN_DIR/client.out}" | head -n1
}

# registrar_start CONTACT_RE: sipp answers REGISTER and the Expires: 0 one (tests/rtc/sipp)
registrar_start() {
    e2e_scenario "$sippdir/reg_plain.xml.in" "$E2E_RUN_DIR/registrar.xml" CONTACT_RE="$1"
    e2e_sipp_start registrar "$E2E_RUN_DIR/registrar.xml"
}

registration_checks() {
    local ext=$1 contact
    contact=$(e2e_log_field "$E2E_RUN_DIR/registrar.sipp.log" 'REGISTER Contact .*sip:[^@]*@([0-9.]+:[0-9]+).*')
    echo "registrar saw Contact $contact"
    check "rtc_registration exit 0" eq "$client_rc" 0
    check "RTCRS_REGISTERING, RTCRS_REGISTERED, RTCRS_UNREGISTERING, RTCRS_NOT_REGISTERED" eq \
        "$(grep -oE '^event registration RTCRS_[A-Z_]+' "$E2E_RUN_DIR/client.out" | cut -d' ' -f3 | tr '\n' ' ')" \
        "RTCRS_REGISTERING RTCRS_REGISTERED RTCRS_UNREGISTERING RTCRS_NOT_REGISTERED "
    check "the registrar's scenario passed (REGISTER, Expires: 0)" eq "$registrar_rc" 0
    check "Contact is the port manager's external mapping $ext" eq "$contact" "$ext"
    check "the SIP mapping was released" has "$E2E_RUN_DIR/client.out" '^pm ReleaseMappingEx\(UDP, '
}

case_rtc_register_own_static() {
    own_static_up
    registrar_start "$(e2e_re_ip "$STATIC_IP"):5070"
    run_sample "$bin/rtc_registration.exe" --registrar "$SIP_PEER" "${OWN_PM[@]}"
    e2e_wait registrar 10; registrar_rc=$?
    check "GetMappingEx(registrar, 5060, UDP, SIP) on the application's port manager" has "$E2E_RUN_DIR/client.out" \
        "^pm GetMappingEx\\($(e2e_re_ip "$E2E_WAN_PUBLIC"), 5060, UDP, SIP\\) -> S_OK internal $(e2e_re_ip "$E2E_LAN_CLIENT"):5070 external $(e2e_re_ip "$STATIC_IP"):5070$"
    registration_checks "$STATIC_IP:5070"
}

case_rtc_register_stun() {
    rtc_up --nat masquerade
    e2e_stun_start
    registrar_start "$(e2e_re_ip "$E2E_WAN_ROUTER"):[0-9]+"
    run_sample "$bin/rtc_registration.exe" --registrar "$SIP_PEER" --stun "$STUN"
    e2e_wait registrar 10; registrar_rc=$?
    local int ext
    int=$(pm_mapping SIP internal); ext=$(pm_mapping SIP external)
    registration_checks "$ext"
    check "the STUN port manager's internal address is the client's" eq "${int%:*}" "$E2E_LAN_CLIENT"
    check "Contact is the NAT's real mapping of SIP port ${int##*:} (conntrack)" \
        eq "$(e2e_nat_mappings udp "${int##*:}" "$E2E_WAN_PUBLIC" "$E2E_SIP_PORT")" "$ext"
}

case_rtc_register_symmetric() {
    rtc_up --nat symmetric
    e2e_stun_start
    registrar_start "$(e2e_re_ip "$E2E_WAN_ROUTER"):[0-9]+"
    run_sample "$bin/rtc_registration.exe" --registrar "$SIP_PEER" --stun "$STUN"
    check "rtc_registration exit 3 (the port manager refused)" eq "$client_rc" 3
    check "REGISTRATION ERROR carrying RTC_E_PORT_MAPPING_FAILED" has "$E2E_RUN_DIR/client.out" \
        '^event registration RTCRS_ERROR 0x80EE0046 '
    check "GetMappingEx refused with it" has "$E2E_RUN_DIR/client.out" \
        '^pm GetMappingEx\(.*, SIP\) -> RTC_E_PORT_MAPPING_FAILED'
    sleep 0.3
    e2e_stop registrar
    check "nothing reached the registrar" hasnt "$E2E_RUN_DIR/registrar.msg" 'REGISTER'
}

case_rtc_register_dns() {
    command -v dnsmasq >/dev/null || e2e_skip "dnsmasq not installed (Debian: dnsmasq-base; scripts/install-deps.sh)"
    RTC_RESOLV=$'nameserver 127.0.0.1\noptions timeout:2 attempts:2'
    own_static_up
    e2e_spawn client dnsmasq dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --no-poll \
        --listen-address=127.0.0.1 --bind-interfaces --port=53 --pid-file= --log-queries --log-facility=- \
        --local=/rtcpm.test/ --host-record=registrar.rtcpm.test,"$E2E_WAN_PUBLIC" \
        --srv-host=_sip._udp.rtcpm.test,registrar.rtcpm.test,"$E2E_SIP_PORT",0,0
    local i; for i in $(seq 100); do grep -q started "$E2E_RUN_DIR/dnsmasq.log" 2>/dev/null && break; sleep 0.05; done
    registrar_start "$(e2e_re_ip "$STATIC_IP"):5070"
    run_sample "$bin/rtc_registration.exe" --registrar rtcpm.test "${OWN_PM[@]}"
    e2e_wait registrar 10; registrar_rc=$?
    grep -E 'query\[(SRV|A)\]' "$E2E_RUN_DIR/dnsmasq.log" | sed 's/^/  dns | /'
    check "the SRV record was asked for" has "$E2E_RUN_DIR/dnsmasq.log" 'query\[SRV\] _sip\._udp\.rtcpm\.test'
    check "the port manager was asked for the resolved registrar $SIP_PEER" has "$E2E_RUN_DIR/client.out" \
        "^pm GetMappingEx\\($(e2e_re_ip "$E2E_WAN_PUBLIC"), $E2E_SIP_PORT, UDP, SIP\\) -> S_OK"
    registration_checks "$STATIC_IP:5070"
}

call_checks() {
    local rtp=$1 rtcp=$2 c m r
    c=$(e2e_log_field "$E2E_RUN_DIR/uas.sipp.log" 'INVITE SDP \{c=IN IP4 ([^} ]*)\}.*')
    m=$(e2e_log_field "$E2E_RUN_DIR/uas.sipp.log" 'INVITE SDP \{[^}]*\} \{m=audio ([0-9]*)\}.*')
    r=$(e2e_log_field "$E2E_RUN_DIR/uas.sipp.log" 'INVITE SDP \{[^}]*\} \{[^}]*\} \{a=rtcp:([0-9]*).*')
    echo "called party saw c=IN IP4 $c, m=audio $m, a=rtcp:$r"
    check "rtc_outgoing_call exit 0" eq "$client_rc" 0
    check "RTCSS_INPROGRESS, RTCSS_CONNECTED, RTCSS_DISCONNECTED" eq \
        "$(grep -oE '^event session RTCSS_[A-Z_]+' "$E2E_RUN_DIR/client.out" | cut -d' ' -f3 | tr '\n' ' ')" \
        "RTCSS_INPROGRESS RTCSS_CONNECTED RTCSS_DISCONNECTED "
    check "the called party's scenario passed (offer checked, ACK, BYE)" eq "$uas_rc" 0
    check "c=/m= are the port manager's RTP mapping $rtp" eq "$c:$m" "$rtp"
    check "a=rtcp is the port manager's RTCP mapping $rtcp" eq "$c:$r" "$rtcp"
    check "RTP reached the called party from $rtp" eq "$media_rc" 0
    check "UpdateRemoteAddressEx2 with the answer's media address" has "$E2E_RUN_DIR/client.out" \
        "^pm UpdateRemoteAddressEx2\\($(e2e_re_ip "$E2E_WAN_PUBLIC"), $E2E_MEDIA_PORT, UDP, "
    check "SIP, RTP and RTCP released" eq "$(grep -c '^pm ReleaseMappingEx' "$E2E_RUN_DIR/client.out")" 3
}

# with sound both ways (cases_rtc_sound.sh): the far end sends first, to the offer's DNAT'ed
# 198.19.1.3:7078/7079, 300 ms after the INVITE
case_rtc_call_own_static() {
    # shellcheck disable=SC2034 # read by sound_call (cases_rtc_sound.sh)
    local SOUND_UAS="$STATIC_IP 7078 7079"
    sound_prepare
    own_static_up
    sound_call first "${OWN_PM[@]}"
    check "the SDP names the DNAT mappings $STATIC_IP:7078/7079" \
        eq "$(pm_mapping AUDIO_RTP external) $(pm_mapping AUDIO_RTCP external)" "$STATIC_IP:7078 $STATIC_IP:7079"
}

case_rtc_call_stun() {
    rtc_up --nat masquerade
    e2e_stun_start
    e2e_uas_start "$E2E_WAN_ROUTER" any any
    e2e_media_peer_start "$E2E_WAN_ROUTER:any"
    run_sample "$bin/rtc_outgoing_call.exe" --peer "sip:bob@$SIP_PEER" --stun "$STUN" --duration 2000
    e2e_wait uas 15; uas_rc=$?
    e2e_wait media 15; media_rc=$?
    sed 's/^/  | /' "$E2E_RUN_DIR/media.log"
    call_checks "$(pm_mapping AUDIO_RTP external)" "$(pm_mapping AUDIO_RTCP external)"
    rtp_conntrack_check
}

# rtp_conntrack_check: the STUN port manager's RTP mapping is the NAT's real one (conntrack)
rtp_conntrack_check() {
    local int
    int=$(pm_mapping AUDIO_RTP internal)
    check "m= is the NAT's real mapping of RTP port ${int##*:} (conntrack)" \
        eq "$(e2e_nat_mappings udp "${int##*:}" "$E2E_WAN_PUBLIC" "$E2E_MEDIA_PORT")" "$(pm_mapping AUDIO_RTP external)"
}

# in_call_static HOLD_MS [VAR=VALUE...]: the incoming call through the NAT (the network, the
# registrar and the caller's media peer already up): rtc_incoming_call.exe registers with the
# application's port manager (SIP 5070, RTP 7078/7079 DNAT'ed), no listen address, VAR=VALUE
# in its environment; a caller (sipp) on the WAN calls the registered Contact
# 198.19.1.3:5070, its offer's media at 198.19.1.2:40000, and hangs up after HOLD_MS.
# Sets client_rc, caller_rc, registrar_rc.
in_call_static() {
    local hold=$1 caller_port=$((E2E_SIP_PORT + 2))
    shift
    e2e_scenario "$sippdir/in_call.xml.in" "$E2E_RUN_DIR/caller.xml" MEDIA_IP="$E2E_WAN_PUBLIC" \
        MEDIA_PORT="$E2E_MEDIA_PORT" HOLD="$hold" CONTACT_RE="sip:alice@$(e2e_re_ip "$STATIC_IP"):5070;transport=udp" \
        ANSWER_RE="c=IN IP4 $(e2e_re_ip "$STATIC_IP").*m=audio 7078 RTP/AVP 0 101"
    echo "client: rtc_incoming_call.exe --register --registrar $SIP_PEER ${OWN_PM[*]} ($*)"
    # shellcheck disable=SC2046 # e2e_wine_env: VAR=VALUE words
    e2e_spawn client incoming $(e2e_wine_env) "$@" timeout 90 "$E2E_WINE_LOADER" "$bin/rtc_incoming_call.exe" \
        --register --registrar "$SIP_PEER" "${OWN_PM[@]}" --timeout 30000
    for _ in $(seq 600); do grep -q '^listening' "$E2E_RUN_DIR/incoming.log" 2>/dev/null && break; sleep 0.05; done
    e2e_spawn public caller sipp -sf "$E2E_RUN_DIR/caller.xml" -i "$E2E_WAN_PUBLIC" -p "$caller_port" \
        "$STATIC_IP:5070" -m 1 -nostdin -timeout "${E2E_PEER_TIMEOUT}s" -timeout_error \
        -trace_logs -log_file "$E2E_RUN_DIR/caller.sipp.log" -trace_err -error_file "$E2E_RUN_DIR/caller.err"
    e2e_wait caller 30; caller_rc=$?
    e2e_wait incoming 40; client_rc=$?
    e2e_wait registrar 10; registrar_rc=$?
    sed -i 's/\r$//' "$E2E_RUN_DIR/incoming.log"
    sed 's/^/  | /' "$E2E_RUN_DIR/incoming.log"
}

# in_call_checks: the incoming call's outcome; media_rc = the caller's media peer's verdict
# on RTP from the answer's address 198.19.1.3:7078.
in_call_checks() {
    check "rtc_incoming_call exit 0" eq "$client_rc" 0
    check "the registrar's scenario passed (Contact = $STATIC_IP:5070)" eq "$registrar_rc" 0
    check "the caller's scenario passed (180, 200 with the mapped SDP and Contact, ACK, BYE)" eq "$caller_rc" 0
    check "RTCSS_INCOMING, RTCSS_ANSWERING, RTCSS_CONNECTED, RTCSS_DISCONNECTED" eq \
        "$(grep -oE '^event session RTCSS_[A-Z_]+' "$E2E_RUN_DIR/incoming.log" | cut -d' ' -f3 | tr '\n' ' ')" \
        "RTCSS_INCOMING RTCSS_ANSWERING RTCSS_CONNECTED RTCSS_DISCONNECTED "
    check "GetMappingEx(caller's media, AUDIO_RTP) on the application's port manager" has "$E2E_RUN_DIR/incoming.log" \
        "^pm GetMappingEx\\($(e2e_re_ip "$E2E_WAN_PUBLIC"), $E2E_MEDIA_PORT, UDP, AUDIO_RTP\\) -> S_OK"
    check "RTP reached the caller from $STATIC_IP:7078 through the NAT" eq "$media_rc" 0
}

case_rtc_in_own_static() {
    own_static_up
    registrar_start "$(e2e_re_ip "$STATIC_IP"):5070"
    e2e_media_peer_start "$STATIC_IP:7078"
    in_call_static 2000
    e2e_wait media 15; media_rc=$?
    sed 's/^/  | /' "$E2E_RUN_DIR/media.log"
    in_call_checks
}

declare -F "case_$case_name" >/dev/null || { echo "rtc_case.sh: no case '$case_name'" >&2; exit 2; }
e2e_down_stale
e2e_init "$work/$case_name"
netns_etc=""
trap 'rc=$?; [ -n "$netns_etc" ] && rm -rf "$netns_etc"; (exit $rc); e2e_on_exit' EXIT
t0=$(date +%s%N)
"case_$case_name"
echo "e2e case $case_name: $((($(date +%s%N) - t0) / 1000000)) ms"
finish
