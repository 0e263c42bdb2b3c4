#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# coturn_demo.sh — `rtcpm-demo register|call --stun 127.0.0.1` against the real coturn server
# on loopback: the mappings rtcpm-demo prints are what coturn sees.
#
#   coturn_demo.sh WORKDIR PROGRAM [RUNNER...]
#     PROGRAM  rtcpm-demo (or rtcpm-demo.exe); RUNNER as in coturn_check.sh
#
# Starts its own `turnserver --stun-only` on 127.0.0.1 and 127.0.0.2 (RFC 5780: the STUN port
# manager's symmetric check asks the OTHER-ADDRESS 127.0.0.2, port + 1) on port 3478 when
# 3478 and 3479 are free — so the command is literally `rtcpm-demo call --stun 127.0.0.1` —
# else on a free high port; stops it on exit whatever happens (coturn_lib.sh).
#
# On loopback there is no NAT: every external side must equal its internal side. Checked:
#  1. `call --stun 127.0.0.1[:P]` (print only): exit 0, the SIP, RTP and RTCP mapping lines,
#     each external = internal, RTP even and RTCP = RTP + 1, three GetMappingEx and three
#     ReleaseMappingEx traced, the SDP offer names the RTP/RTCP ports printed.
#  2. coturn's view: turnutils_natdiscovery binds each mapping's internal endpoint (free again
#     once rtcpm-demo exited) and must be told exactly the external address and port rtcpm-demo
#     printed for it.
#  3. `register --stun ...`: the SIP mapping line, checked against coturn the same way.
#  4. A STUN server that does not answer: exit 3, RTC_E_PORT_MAPPING_FAILED and the STUN port
#     manager's reason ("no answer from ..."), no mapping line, within a bounded time.
set -u

fail() { echo "coturn_demo: FAIL: $*" >&2; exit 1; }
note() { echo "coturn_demo: $*"; }

# shellcheck source=tests/stun/coturn_lib.sh
. "$(dirname "$0")/coturn_lib.sh"
coturn_test_begin turnutils_natdiscovery "$@"
rm -rf "$workdir" # a fresh one
mkdir -p "$workdir"

coturn_ips=(127.0.0.1 127.0.0.2)
coturn_ready=("127.0.0.1 0" "127.0.0.2 1")
coturn_start 3478 || fail "could not start turnserver (log: $coturn_log)"
port=$coturn_port
if [ "$port" = 3478 ]; then server=127.0.0.1; else server=127.0.0.1:$port; fi
note "turnserver pid $coturn_pid on 127.0.0.1:$port and 127.0.0.2:$port (RFC 5780 alternate :$((port + 1)))"

demo() { # args...; sets out (file), err (file), rc, ms
    local t0
    out=$workdir/demo.out err=$workdir/demo.err
    t0=$(date +%s%N)
    "${runner[@]}" "$program" "$@" >"$out" 2>"$err" </dev/null
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    sed -i 's/\r$//' "$out" "$err" # the .exe writes CRLF
}
show() { sed 's/^/  | /' "$out" "$err" | tail -n 30; }
mapping() { sed -nE "s/^mapping $1 ([0-9.]+:[0-9]+) -> ([0-9.]+:[0-9]+)\$/\\$2/p" "$out" | head -n1; }

checks=0
check_mapping() { # type
    local int ext
    int=$(mapping "$1" 1) ext=$(mapping "$1" 2)
    [ -n "$int" ] && [ -n "$ext" ] || { show; fail "no 'mapping $1' line"; }
    [ "${int%:*}" = 127.0.0.1 ] || fail "mapping $1: internal $int is not on 127.0.0.1"
    [ "$ext" = "$int" ] || fail "mapping $1: external $ext != internal $int (no NAT on loopback)"
    coturn_natdiscovery_agrees "$int" "$ext" "rtcpm-demo (mapping $1)"
    note "mapping $1 $int -> $ext: coturn sees $ext"
    checks=$((checks + 1))
}

# 1. + 2. the call
demo call --stun "$server"
if [ "$rc" -eq 77 ]; then cat "$out" "$err"; exit 77; fi # the runner cannot run it: its SKIPPED line says why
[ "$rc" -eq 0 ] || { show; fail "rtcpm-demo call --stun $server: exit $rc"; }
note "rtcpm-demo call --stun $server: exit 0 in $ms ms"
for t in sip rtp rtcp; do check_mapping $t; done
rtp=$(mapping rtp 1) rtcp=$(mapping rtcp 1)
[ $((${rtp##*:} % 2)) -eq 0 ] || fail "RTP port ${rtp##*:} is odd"
[ "${rtcp##*:}" -eq $((${rtp##*:} + 1)) ] || fail "RTCP $rtcp is not RTP $rtp + 1"
[ "$(grep -cE '^    port manager: GetMappingEx\(.*\) -> S_OK internal' "$out")" = 3 ] || { show; fail "not three GetMappingEx"; }
[ "$(grep -cE '^    port manager: ReleaseMappingEx\(.*\) -> S_OK$' "$out")" = 3 ] || { show; fail "not three releases"; }
grep -qxF "    | m=audio ${rtp##*:} RTP/AVP 0 8 101" "$out" || { show; fail "the offer's m= is not the RTP mapping"; }
grep -qxF "    | a=rtcp:${rtcp##*:} IN IP4 127.0.0.1" "$out" || { show; fail "the offer's a=rtcp is not the RTCP mapping"; }
checks=$((checks + 1))

# 3. the registration
demo register --stun "$server"
[ "$rc" -eq 0 ] || { show; fail "rtcpm-demo register --stun $server: exit $rc"; }
check_mapping sip
grep -qxF "    | Contact: <sip:alice@$(mapping sip 2);transport=udp>" "$out" || { show; fail "the Contact is not the SIP mapping"; }

# 4. nothing answers two ports up (coturn uses port and port + 1)
demo call --stun "127.0.0.1:$((port + 2))"
[ "$rc" -eq 3 ] || { show; fail "dead STUN server: exit $rc, want 3"; }
grep -q "port mapping failed: RTC_E_PORT_MAPPING_FAILED (no answer from 127.0.0.1:$((port + 2))" "$err" ||
    { show; fail "dead STUN server: the reason is missing"; }
! grep -q '^mapping ' "$out" || { show; fail "dead STUN server: a mapping was printed"; }
# generous (wine32 under qemu on a loaded machine starts in seconds): without the 3 s budget
# the STUN schedule alone would take 39.5 s
[ "$ms" -lt 20000 ] || fail "dead STUN server: took $ms ms"
note "dead STUN server: exit 3 in $ms ms: $(head -n1 "$err")"
checks=$((checks + 1))

echo "coturn_demo: all $checks checks passed"
