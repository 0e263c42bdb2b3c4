#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# sipp_cases.sh WORKDIR SIP_CLIENT [RUNNER...] — the SIP engine (through tests/sip/sip_client)
# against sipp 3.6 on 127.0.0.1, each case with its own free ports and its scenario from this
# directory: registration without and with a 401 (sipp's verifyauth checks the Authorization),
# a wrong password (REJECTED 401, and no REGISTER after the second), a silent registrar (ERROR
# RTC_E_SIP_TIMEOUT after 64*T1), a refresh before a 2 s expiry, the unregister's Expires: 0;
# a call answered 200 then our BYE, a 486, the callee's BYE, CANCEL while ringing; TCP for a
# registration and a call. RUNNER (wine-run.sh PREFIX, qemu-i386) goes before the program.
set -u
here=$(cd "$(dirname "$0")" && pwd)
work=$1 client=$2
shift 2
runner=("$@")
mkdir -p "$work"
command -v sipp >/dev/null || { echo "SKIPPED: sipp not installed (sip-tester; scripts/install-deps.sh)"; exit 77; }
python=$(command -v python3) || { echo "SKIPPED: python3 needed to find free ports"; exit 77; }

fails=0 pids=()
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cleanup() { local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT

. "$here/../free_ports.sh"

# sipp_start CASE SCENARIO PORT udp|tcp: one call, then exit
sipp_start() {
    local t=u1 list=-Hlun
    [ "$4" = tcp ] && t=t1 list=-Hltn
    sipp -sf "$here/$2" -i 127.0.0.1 -p "$3" -t "$t" -m 1 -nostdin -timeout 30s -timeout_error \
        -trace_err -error_file "$work/$1.sipp.err" -trace_logs -log_file "$work/$1.sipp.log" \
        >"$work/$1.sipp.out" 2>&1 </dev/null &
    sipp_pid=$!
    pids+=($sipp_pid)
    for _ in $(seq 100); do ss $list | awk '{print $4}' | grep -qxF "127.0.0.1:$3" && return 0; sleep 0.05; done
    fail "$1: sipp did not start ($work/$1.sipp.out)"
    return 1
}

# client CASE ARGS...: runs sip_client, output in $out, exit code in $rc
client() {
    local name=$1; shift
    out=$work/$name.out
    "${runner[@]}" "$client" "$@" >"$out" 2>"$work/$name.err" </dev/null
    rc=$?
    tr -d '\r' <"$out" >"$out.tmp" && mv "$out.tmp" "$out"
}

# expect CASE RC SIPP_RC LINE...: the client's exit code, sipp's, and exactly these lines in order
expect() {
    local name=$1 want_rc=$2 want_sipp=$3 want got
    shift 3
    wait "$sipp_pid"; sipp_rc=$?
    want=$(printf '%s\n' "$@")
    got=$(cat "$out")
    if [ "$rc" = "$want_rc" ] && [ "$sipp_rc" = "$want_sipp" ] && [ "$got" = "$want" ]; then
        pass "$name"
        return
    fi
    fail "$name: client exit $rc (want $want_rc), sipp exit $sipp_rc (want $want_sipp)"
    diff <(echo "$want") <(echo "$got") | sed 's/^/  | /'
    tail -n 5 "$work/$name.err" "$work/$name.sipp.err" "$work/$name.sipp.log" 2>/dev/null | sed 's/^/  | /'
}

AOR=sip:alice@example.com
OK200='200 0x00EF00C8 OK'

for transport in udp tcp; do
    name=reg_ok_$transport port=$(free_port)
    sipp_start "$name" reg_ok.xml "$port" "$transport" &&
        client "$name" register --server "127.0.0.1:$port" --aor "$AOR" --transport "$transport" &&
        expect "$name" 0 0 "reg REGISTERING 0 0x00000000 registering" "reg REGISTERED $OK200 expires=3600" \
            "reg UNREGISTERING 0 0x00000000 unregistering" "reg NOT_REGISTERED $OK200"
done

name=reg_auth port=$(free_port)
sipp_start $name reg_auth.xml "$port" udp &&
    client $name register --server "127.0.0.1:$port" --aor "$AOR" --password s3cret &&
    expect $name 0 0 "reg REGISTERING 0 0x00000000 registering" "reg REGISTERED $OK200 expires=3600" \
        "reg UNREGISTERING 0 0x00000000 unregistering" "reg NOT_REGISTERED $OK200"
grep -q "first REGISTER carries Authorization? $" "$work/$name.sipp.log" && pass "reg_auth: no credentials before the challenge" ||
    fail "reg_auth: the first REGISTER carried credentials"

name=reg_wrong port=$(free_port)
sipp_start $name reg_wrong.xml "$port" udp &&
    client $name register --server "127.0.0.1:$port" --aor "$AOR" --password wrong &&
    expect $name 1 0 "reg REGISTERING 0 0x00000000 registering" "reg REJECTED 401 0x80EF0191 Unauthorized"

name=reg_silent port=$(free_port)
sipp_start $name reg_silent.xml "$port" udp &&
    client $name register --server "127.0.0.1:$port" --aor "$AOR" --t1 50 &&
    expect $name 2 0 "reg REGISTERING 0 0x00000000 registering" "reg ERROR 0 0x80EE000C no answer"

name=reg_refresh port=$(free_port)
sipp_start $name reg_refresh.xml "$port" udp &&
    client $name register --server "127.0.0.1:$port" --aor "$AOR" --hold-ms 2500 &&
    expect $name 0 0 "reg REGISTERING 0 0x00000000 registering" "reg REGISTERED $OK200 expires=2" \
        "reg UNREGISTERING 0 0x00000000 unregistering" "reg NOT_REGISTERED $OK200"

for transport in udp tcp; do
    name=call_$transport port=$(free_port)
    sipp_start "$name" uas_call.xml "$port" "$transport" &&
        client "$name" call --server "127.0.0.1:$port" --from "$AOR" --to "sip:bob@127.0.0.1:$port" \
            --transport "$transport" --hangup-after-ms 300 &&
        expect "$name" 0 0 "call INPROGRESS 0 0x00000000 calling" "call PROCEEDING 180 0x00EF00B4 Ringing" \
            "call CONNECTED $OK200 body=application/sdp+audio" \
            "call DISCONNECTING 0 0x00000000 hanging up" "call DISCONNECTED 200 0x00000000 OK"
done

name=call_busy port=$(free_port)
sipp_start $name uas_busy.xml "$port" udp &&
    client $name call --server "127.0.0.1:$port" --from "$AOR" --to "sip:bob@127.0.0.1:$port" &&
    expect $name 1 0 "call INPROGRESS 0 0x00000000 calling" "call DISCONNECTED 486 0x80EF01E6 Busy Here"

name=call_peer_bye port=$(free_port)
sipp_start $name uas_bye.xml "$port" udp &&
    client $name call --server "127.0.0.1:$port" --from "$AOR" --to "sip:bob@127.0.0.1:$port" &&
    expect $name 0 0 "call INPROGRESS 0 0x00000000 calling" "call CONNECTED $OK200 body=application/sdp+audio" \
        "call DISCONNECTED 0 0x00000000 BYE by-peer"

name=call_cancel port=$(free_port)
sipp_start $name uas_cancel.xml "$port" udp &&
    client $name call --server "127.0.0.1:$port" --from "$AOR" --to "sip:bob@127.0.0.1:$port" --hangup-on-ring &&
    expect $name 0 0 "call INPROGRESS 0 0x00000000 calling" "call PROCEEDING 180 0x00EF00B4 Ringing" \
        "call DISCONNECTING 0 0x00000000 hanging up" "call DISCONNECTED 487 0x00000000 Request Terminated"

echo "sipp_cases: $fails failure(s)"
[ $fails -eq 0 ]
