#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# demo_cli.sh — rtcpm-demo's command line on loopback: the documented output lines and every
# exit code (README "rtcpm-demo"), natively or the .exe under Wine.
#
#   [RTCPM_DEMO_CLI_PART=main|sipp] demo_cli.sh WORKDIR PROGRAM SAMPLES_DIR [RUNNER...]
#     PROGRAM      rtcpm-demo (or rtcpm-demo.exe)
#     SAMPLES_DIR  the source tree's samples/ (static-nat.ini)
#     RUNNER       what runs PROGRAM, e.g. "wine/wine-run.sh PREFIX" (empty: itself)
#     RTCPM_DEMO_CLI_PART  main: the cases without sipp (CTest demo_cli); sipp: the cases
#                  against sipp (CTest demo_cli_sipp; exit 77 when sipp is missing); unset:
#                  both (exit 77 after the main part when sipp is missing)
#
# Cases (main): --help (0); usage errors (64); a config error naming file:line (64); print-only
# register and call with samples/static-nat.ini (0, exact mapping and trace lines); a mapping
# the port manager refuses (3, nothing sent); a mapped port someone else holds (3); no answer
# (2, bounded time); a send that fails (2: a registrar at the broadcast address, no
# SO_BROADCAST); a host step that fails (70: a --user the host refuses for the profile).
# Cases (sipp, on 127.0.0.1 with tests/e2e's scenarios): a REGISTER answered 200 (0) and 403
# (1), a call with media coming back (0) or not (2), and a 200 OK whose SDP has no usable audio
# stream (1).
set -u

workdir=$1 program=$2 samples=$3
shift 3
runner=("$@")

# A runner that cannot run the program at all (wine-run.sh: a 32-bit .exe without wine32)
# exits 77: report the whole test skipped, with its reason, instead of failing every check.
probe_out=$("${runner[@]}" "$program" --help 2>&1) && probe_rc=0 || probe_rc=$?
if [ "$probe_rc" -eq 77 ]; then
    printf '%s\n' "$probe_out"
    exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
e2e=$here/../e2e
python=${PYTHON:-/usr/bin/python3}

fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
die() { echo "demo_cli: FAIL: $*" >&2; exit 1; }

[ -f "$program" ] || die "no such program: $program"
rm -rf "$workdir"
mkdir -p "$workdir"
out=$workdir/out.txt err=$workdir/err.txt
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    pids=()
}
trap cleanup EXIT

# demo ARGS...: runs it; rc, out.txt, err.txt (CR removed: a .exe writes CRLF).
demo() {
    "${runner[@]}" "$program" "$@" >"$out" 2>"$err" </dev/null
    rc=$?
    sed -i 's/\r$//' "$out" "$err"
}
show() { sed 's/^/  | /' "$out" "$err" | tail -n 25; }
expect_rc() {
    local what=$1 want=$2
    if [ "$rc" = "$want" ]; then pass "$what: exit $want"; else fail "$what: exit $rc, want $want"; show; fi
}
has() {
    local what=$1 file=$2 pattern=$3
    if grep -qxF -- "$pattern" "$file"; then pass "$what"; else fail "$what: no line '$pattern'"; show; fi
}
has_re() {
    local what=$1 file=$2 pattern=$3
    if grep -qE -- "$pattern" "$file"; then pass "$what"; else fail "$what: nothing matches /$pattern/"; show; fi
}
count() { grep -cE -- "$2" "$1"; }

. "$(dirname "$0")/../free_ports.sh"

part_main() {
# ---- help and usage ---------------------------------------------------------------------------
demo --help
expect_rc "--help" 0
has_re "--help prints the usage" "$out" '^Usage: rtcpm-demo register\|call'
demo call --help
expect_rc "call --help" 0
has_re "call --help lists --peer and the exit codes" "$out" '--peer HOST\[:PORT\]'
has_re "call --help names exit code 3" "$out" '3 port mapping failed'
for args in "" "bogus" "register --bogus" "register" "register --config x --static-map sip=192.0.2.1:5060" \
            "register --config x --peer 192.0.2.1" "call --config x --registrar 192.0.2.1" \
            "register --config x --registrar example.com" "call --static-map voice=192.0.2.1:5" \
            "call --static-map sip=192.0.2.1" "register --config x --video" "register --config x --local-port 0" \
            "register --stun 1.2.3" "call --stun 127.0.0.1:9 --rtp-port 7079" "call --stun 127.0.0.1 --config x"; do
    # shellcheck disable=SC2086
    demo $args
    expect_rc "usage error '${args:-(no arguments)}'" 64
done
has_re "a usage error says what is wrong" "$err" '^rtcpm-demo: .*(try --help)'

# ---- configuration errors name file:line --------------------------------------------------------
printf '[mapping sip]\ninternal = 192.168.1.10:5060\nexternal = 198.51.100.7:5060-5061\n' >"$workdir/bad.ini"
demo register --config "$workdir/bad.ini"
expect_rc "bad config" 64
has_re "the config error names the file and line" "$err" 'bad\.ini:[0-9]+: '
demo register --config "$workdir/missing.ini"
expect_rc "missing config file" 64

# ---- print only: the documented sequence ------------------------------------------------------
demo register --config "$samples/static-nat.ini"
expect_rc "register --config static-nat.ini" 0
has "register: the SIP mapping line" "$out" "mapping sip 192.168.1.10:5060 -> 198.51.100.7:5060"
has "register: GetMappingEx(registrar, SIP) traced" "$out" \
    "    port manager: GetMappingEx(198.18.0.1, 5060, UDP, SIP) -> S_OK internal 192.168.1.10:5060 external 198.51.100.7:5060"
has "register: the Contact" "$out" "    | Contact: <sip:alice@198.51.100.7:5060;transport=udp>"
has "register: the release traced" "$out" \
    "    port manager: ReleaseMappingEx(UDP, internal 192.168.1.10:5060, external 198.51.100.7:5060) -> S_OK"
[ "$(count "$out" 'GetMappingEx')" = 1 ] && [ "$(count "$out" 'ReleaseMappingEx')" = 1 ] \
    && pass "register: one mapping, one release" || fail "register: $(count "$out" 'GetMappingEx') mappings, $(count "$out" 'ReleaseMappingEx') releases"

demo call --config "$samples/static-nat.ini"
expect_rc "call --config static-nat.ini" 0
has "call: SIP mapping line" "$out" "mapping sip 192.168.1.10:5060 -> 198.51.100.7:5060"
has "call: RTP mapping line" "$out" "mapping rtp 192.168.1.10:30000 -> 198.51.100.7:40000"
has "call: RTCP mapping line" "$out" "mapping rtcp 192.168.1.10:30100 -> 198.51.100.7:40100"
has "call: the offer's m= line" "$out" "    | m=audio 40000 RTP/AVP 0 8 101"
has "call: the offer's a=rtcp line" "$out" "    | a=rtcp:40100 IN IP4 198.51.100.7"
[ "$(count "$out" 'port manager: GetMappingEx\(198\.18\.0\.2, [0-9]+, UDP, (SIP|AUDIO_RTP|AUDIO_RTCP)\) -> S_OK')" = 3 ] \
    && [ "$(count "$out" 'port manager: ReleaseMappingEx\(.*\) -> S_OK')" = 3 ] \
    && pass "call: SIP, RTP, RTCP mapped and all three released" || { fail "call: mappings/releases"; show; }

demo call --config "$samples/static-nat.ini" --video
expect_rc "call --video" 0
has "call --video: video RTP mapping line" "$out" "mapping video-rtp 192.168.1.10:30200 -> 198.51.100.7:40200"
[ "$(count "$out" 'port manager: ReleaseMappingEx\(.*\) -> S_OK')" = 5 ] && pass "call --video: five releases" \
    || fail "call --video: $(count "$out" 'ReleaseMappingEx') releases"

# ---- mapping failures: exit 3, nothing sent ------------------------------------------------------
sink=$(free_port)
demo call --local 127.0.0.1 --static-map sip=127.0.0.1:15070 --peer "127.0.0.1:$sink" --timeout 300
expect_rc "call without an RTP rule" 3
has_re "the refusal names the HRESULT" "$err" 'port mapping failed: RTC_E_PORT_MAPPING_UNAVAILABLE'
has_re "and says nothing was sent" "$err" 'nothing was sent'
has_re "the SIP mapping was released again" "$out" 'ReleaseMappingEx\(UDP, internal 127\.0\.0\.1:5060, external 127\.0\.0\.1:15070\) -> S_OK'

held=$(free_port)
rm -f "$workdir/held.ready"
"$python" -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1])))
open(sys.argv[2], "w").close(); time.sleep(30)' "$held" "$workdir/held.ready" &
pids+=($!)
for _ in $(seq 50); do [ -e "$workdir/held.ready" ] && break; sleep 0.1; done
demo register --local 127.0.0.1 --local-port "$held" --static-map "sip=127.0.0.1:$held" --registrar "127.0.0.1:$sink" --timeout 300
expect_rc "mapped SIP port held by another socket" 3
has_re "says it cannot bind the mapped port" "$err" "cannot bind the SIP port 127\.0\.0\.1:$held the port manager mapped"
cleanup

# ---- no answer: exit 2 within the timeout ---------------------------------------------------------
sip=$(free_port)
t0=$(date +%s%N)
demo register --local 127.0.0.1 --local-port "$sip" --static-map "sip=127.0.0.1:$sip" --registrar "127.0.0.1:$sink" \
    --t1 50 --timeout 600
ms=$((($(date +%s%N) - t0) / 1000000))
expect_rc "registrar that never answers" 2
has "reports no answer" "$out" "register: no answer from 127.0.0.1:$sink within 600 ms"
[ "$ms" -lt 10000 ] && pass "gave up in ${ms} ms" || fail "took ${ms} ms"
[ "$(count "$out" '^  \(retransmission [0-9]+\)')" -ge 2 ] && pass "retransmitted the REGISTER" || { fail "no retransmission"; show; }


# ---- a send that fails: exit 2 -------------------------------------------------------------------
# 255.255.255.255 from a socket without SO_BROADCAST: sendto fails (EACCES / WSAEACCES)
sip=$(free_port)
demo register --local 127.0.0.1 --local-port "$sip" --static-map "sip=127.0.0.1:$sip" --registrar 255.255.255.255 \
    --timeout 500
expect_rc "REGISTER that cannot be sent" 2
has_re "says it cannot send" "$out" "^register: cannot send to 255\.255\.255\.255:5060: "
[ "$(count "$out" '^  \(retransmission [0-9]+\)')" = 0 ] && pass "no retransmission after a failed send" || fail "retransmitted after a failed send"

# ---- a host step that fails: exit 70 ----------------------------------------------------------------
# a user URI longer than the host takes for a profile: CreateProfile fails (E_INVALIDARG)
long_user="sip:$(printf 'a%.0s' $(seq 700))@example.com"
demo register --config "$samples/static-nat.ini" --user "$long_user"
expect_rc "a profile the host refuses" 70
has_re "the failed host step is named" "$out" 'registrar 198\.18\.0\.1 port 5060 UDP: E_INVALIDARG$'
has "and the flow reports the failure" "$out" "registration flow FAILED"
[ "$(count "$out" 'GetMappingEx')" = 0 ] && pass "no mapping was asked for" || fail "a mapping was asked for"
}

part_sipp() {
# ---- against sipp on loopback -------------------------------------------------------------------
# scenario TEMPLATE OUT KEY=VALUE...: tests/e2e's templates, filled in as peers.sh does
scenario() {
    local tpl=$1 o=$2 kv args=(); shift 2
    for kv in "$@"; do args+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
    sed "${args[@]}" "$tpl" >"$o"
}
# sipp_start NAME SCENARIO PORT: one call, then exit
sipp_start() {
    sipp -sf "$2" -i 127.0.0.1 -p "$3" -m 1 -nostdin -timeout 15s -timeout_error \
        -trace_err -error_file "$workdir/$1.err" >"$workdir/$1.log" 2>&1 </dev/null &
    sipp_pid=$!
    pids+=($sipp_pid)
    for _ in $(seq 100); do ss -Hlun | awk '{print $4}' | grep -qxF "127.0.0.1:$3" && return 0; sleep 0.05; done
    die "sipp did not start ($workdir/$1.log)"
}
sipp_wait() { wait "$sipp_pid"; sipp_rc=$?; }

for verdict in accept reject; do
    reg=$(free_port) sip=$(free_port)
    want_port=$sip
    [ $verdict = reject ] && want_port=1
    scenario "$e2e/registrar.xml.in" "$workdir/registrar.xml" EXT_IP=127.0.0.1 EXT_IP_RE='127\.0\.0\.1' \
        EXT_PORT="$want_port" EXT_PORT_RE="$want_port"
    sipp_start registrar "$workdir/registrar.xml" "$reg"
    demo register --local 127.0.0.1 --local-port "$sip" --static-map "sip=127.0.0.1:$sip" --registrar "127.0.0.1:$reg"
    sipp_wait
    if [ $verdict = accept ]; then
        expect_rc "REGISTER answered 200" 0
        has "reports 200 OK" "$out" "register: 200 OK"
        [ "$sipp_rc" = 0 ] && pass "sipp accepted the Contact" || fail "sipp exit $sipp_rc"
    else
        expect_rc "REGISTER answered 403" 1
        has "reports the 403" "$out" "register: 403 Contact is not the NAT external address"
    fi
    has "the mapping line" "$out" "mapping sip 127.0.0.1:$sip -> 127.0.0.1:$sip"
done

# media: back (0), none (2), noaudio (1: the 200 OK's SDP declines audio, m=audio 0)
for media in back none noaudio; do
    peer=$(free_port) sip=$(free_port) mport=$(free_port) rtp=$(free_port)
    rtp=$((rtp & ~1))
    scenario "$e2e/uas.xml.in" "$workdir/uas.xml" EXT_IP=127.0.0.1 EXT_IP_RE='127\.0\.0\.1' \
        RTP_PORT="$rtp" RTP_PORT_RE="$rtp" RTCP_PORT=$((rtp + 1)) RTCP_PORT_RE=$((rtp + 1)) \
        MEDIA_IP=127.0.0.1 MEDIA_PORT="$mport" MEDIA_RTCP_PORT=$((mport + 1)) \
        OFFER_FILE="$workdir/uas.offer" ANSWER_DELAY_MS=0
    [ $media = noaudio ] && sed -i "s/^m=audio $mport RTP\/AVP 0\$/m=audio 0 RTP\/AVP 0/" "$workdir/uas.xml"
    sipp_start uas "$workdir/uas.xml" "$peer"
    if [ $media = back ]; then
        rm -f "$workdir/media.ready"
        "$python" "$e2e/udp_peer.py" answer --bind "127.0.0.1:$mport" --expect-from "127.0.0.1:$rtp" --timeout 15 \
            --ready-file "$workdir/media.ready" >"$workdir/media.log" 2>&1 &
        media_pid=$!
        pids+=($media_pid)
        for _ in $(seq 100); do [ -e "$workdir/media.ready" ] && break; sleep 0.05; done
    fi
    demo call --local 127.0.0.1 --local-port "$sip" --rtp-port "$rtp" --static-map "sip=127.0.0.1:$sip" \
        --static-map "rtp=127.0.0.1:$rtp" --static-map "rtcp=127.0.0.1:$((rtp + 1))" --peer "127.0.0.1:$peer" \
        --media-timeout 700
    sipp_wait
    has "call: 200 OK" "$out" "call: 200 OK"
    has_re "BYE answered" "$out" '^bye: 200 OK'
    [ "$sipp_rc" = 0 ] && pass "sipp took INVITE, ACK and BYE" || { fail "sipp exit $sipp_rc"; cat "$workdir/uas.err" 2>/dev/null | tail -5; }
    case $media in
    back)
        expect_rc "call with media back" 0
        has_re "media came back to the RTP port" "$out" "^media: received from 127\.0\.0\.1:$mport at 127\.0\.0\.1:$rtp: [0-9]+ bytes \(RTP\)"
        wait "$media_pid" && pass "the media peer got RTP from 127.0.0.1:$rtp" || fail "media peer: $(cat "$workdir/media.log")"
        ;;
    none)
        expect_rc "call without media back" 2
        has_re "says nothing came back" "$out" "^media: nothing came back from 127\.0\.0\.1:$mport within 700 ms"
        ;;
    noaudio)
        expect_rc "a 2xx without a usable audio stream" 1
        has_re "says the answer has no usable audio" "$out" '^call: the answer has no usable audio stream in its SDP \(Content-Type: application/sdp, [0-9]+ byte body\)'
        [ "$(count "$out" '^media: RTP from')" = 0 ] && pass "no media was sent" || fail "media was sent"
        ;;
    esac
    cleanup
done
}

part=${RTCPM_DEMO_CLI_PART:-all}
sipp_missing="sipp not installed (sip-tester; scripts/install-deps.sh installs it)"
case $part in
main) part_main ;;
sipp)
    command -v sipp >/dev/null || { echo "SKIPPED: demo_cli: the sipp cases: $sipp_missing"; exit 77; }
    part_sipp
    ;;
all)
    part_main
    if command -v sipp >/dev/null; then part_sipp; else skipped_sipp=1; fi
    ;;
*) die "RTCPM_DEMO_CLI_PART is main, sipp or unset (got '$part')" ;;
esac

if [ $fails -eq 0 ] && [ -n "${skipped_sipp:-}" ]; then
    echo "SKIPPED: demo_cli: the sipp cases: $sipp_missing (the others passed)"
    exit 77
fi
if [ $fails -eq 0 ]; then echo "demo_cli: all checks passed"; exit 0; fi
echo "demo_cli: $fails check(s) failed"
exit 1
