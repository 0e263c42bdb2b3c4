#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# coturn_stun_pm.sh — rtcpm's STUN port manager against the real coturn server, on loopback.
#
#   coturn_stun_pm.sh WORKDIR PROGRAM [RUNNER...]
#     WORKDIR  where turnserver's log and pid file go (the build tree)
#     PROGRAM  the rtcpm-stun-pm binary (.exe for MinGW builds)
#     RUNNER   what runs PROGRAM, e.g. "wine/wine-run.sh PREFIX" for the .exe (empty: itself)
#
# Starts its own `turnserver --stun-only` on 127.0.0.1 AND 127.0.0.2 (two addresses of one
# family: coturn then answers RFC 5780, OTHER-ADDRESS = 127.0.0.2, port + 1) and on ::1, on
# a free high port, and stops it on exit whatever happens (trap; coturn_lib.sh).
#
# On loopback there is no NAT, so the truth is known in advance: the external side of a
# mapping is its internal side. What is checked, for 127.0.0.1 and ::1:
#  1. GetMappingEx(SIP, UDP): internal = the loopback address, external = internal exactly
#     (address AND port) — coturn is an independent implementation, a wrong codec/port
#     shows up here.
#  2. The port manager's symmetric check ran against coturn's OTHER-ADDRESS (IPv4: the second
#     address, port + 1; IPv6, one address: [::1], port + 1) and both saw the mapping's port
#     ("endpoint-independent mapping (127.0.0.1:P and 127.0.0.2:P+1 saw port X)").
#  3. coturn's own client from the very same endpoint: turnutils_natdiscovery binds the
#     mapping's internal address:port (free again once the program exited) and must be told
#     the same reflexive address and port; for IPv4 it must also find "Endpoint Independent
#     Mapping" (its exit code is always 0: read the text).
#  4. RTP/RTCP pair: even internal port, RTCP = RTP + 1, each external = internal.
#  5. SIP over TCP: STUN over TCP (RFC 5389 7.2.2) from the port: external = internal.
#  6. A server that does not exist (a dead port) -> exit status 1, "RTC_E_PORT_MAPPING_FAILED"
#     and "no answer from" on stderr, within the budget: a port manager that "succeeds"
#     regardless is caught.
set -u

fail() { echo "coturn_stun_pm: FAIL: $*" >&2; exit 1; }
note() { echo "coturn_stun_pm: $*"; }

# shellcheck source=tests/stun/coturn_lib.sh
. "$(dirname "$0")/coturn_lib.sh"
coturn_test_begin turnutils_natdiscovery "$@"

coturn_ips=(127.0.0.1 127.0.0.2)
coturn_ready=("127.0.0.1 0" "127.0.0.2 1")
if [ $use_v6 -eq 1 ]; then coturn_ips+=(::1); coturn_ready+=("[::1] 0"); fi
coturn_start || fail "could not start turnserver on a free port (log: $coturn_log)"
port=$coturn_port
note "turnserver pid $coturn_pid on 127.0.0.1:$port, 127.0.0.2:$port (RFC 5780 alternate :$((port + 1)))$([ $use_v6 -eq 1 ] && echo " and [::1]:$port")"

run_pm() { # args... ; sets out, err, rc, ms
    local outf="$workdir/rtcpm-stun-pm.out" errf="$workdir/rtcpm-stun-pm.err" t0
    t0=$(date +%s%N)
    "${runner[@]}" "$program" "$@" >"$outf" 2>"$errf" </dev/null
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    out=$(tr -d '\r' <"$outf")   # the .exe writes CRLF
    err=$(tr -d '\r' <"$errf")
}

# "mapping TYPE TRANSPORT internal I external E" -> I / E of the line for TYPE
internal_of() { sed -n "s/^mapping $1 [a-z]* internal \([^ ]*\) external .*/\1/p" <<<"$out"; }
external_of() { sed -n "s/^mapping $1 [a-z]* internal [^ ]* external \([^ ]*\)$/\1/p" <<<"$out"; }
port_of() { echo "${1##*:}"; }

checks=0
check_family() { # host
    local host=$1 server internal external
    server=$(hostport "$host" "$port")

    # 1. + 2. SIP over UDP, with the warm-up and the symmetric check
    run_pm --rto 200 "$server"
    if [ "$rc" -eq 77 ]; then # the runner cannot run this binary: its SKIPPED line says why
        echo "$out"
        exit 77
    fi
    [ "$rc" -eq 0 ] || fail "rtcpm-stun-pm to $server: exit $rc: $err"
    internal=$(internal_of sip); external=$(external_of sip)
    note "UDP $server: internal $internal external $external"
    [ -n "$internal" ] && [ -n "$external" ] || fail "unexpected output: $out"
    [ "${internal%:*}" = "$(hostport "$host" 0 | sed 's/:0$//')" ] || fail "internal address $internal is not on $host"
    [ "$external" = "$internal" ] || fail "external $external != internal $internal (no NAT on loopback)"
    checks=$((checks + 1))
    # coturn's OTHER-ADDRESS: the second IPv4 address, port + 1; for IPv6 (one address) the
    # same address, port + 1 — the port manager asks it too
    local alt
    if [ "$host" = 127.0.0.1 ]; then alt=127.0.0.2:$((port + 1)); else alt=$(hostport "$host" $((port + 1))); fi
    # (the port is the one the check was made from: the warm-up's, which the mapping usually
    # reuses from the cache — but not when the warm-up was slower than the call's budget)
    local want="nat $host: external $host, endpoint-independent mapping ($server and $alt saw port "
    grep -qF "$want" <<<"$out" || fail "no symmetric check against coturn's OTHER-ADDRESS: want '$want...' in: $out"
    note "UDP $server: checked against OTHER-ADDRESS $alt: endpoint-independent"
    checks=$((checks + 1))

    # 3. coturn's own client from the very same endpoint
    coturn_natdiscovery_agrees "$internal" "$external" "the port manager"
    note "UDP $server: turnutils_natdiscovery from $internal reflexive $external"
    if [ "$host" = 127.0.0.1 ]; then
        grep -q "Endpoint Independent Mapping" <<<"$coturn_nd" || fail "natdiscovery's verdict differs: $coturn_nd"
    fi
    checks=$((checks + 1))

    # 4. RTP/RTCP pair
    run_pm --pair --no-warm-up --rto 200 "$server"
    [ "$rc" -eq 0 ] || fail "rtcpm-stun-pm --pair to $server: exit $rc: $err"
    local rtp rtcp
    rtp=$(internal_of audio-rtp); rtcp=$(internal_of audio-rtcp)
    note "UDP $server pair: RTP $rtp -> $(external_of audio-rtp), RTCP $rtcp -> $(external_of audio-rtcp)"
    [ -n "$rtp" ] && [ -n "$rtcp" ] || fail "unexpected output: $out"
    [ $(( $(port_of "$rtp") % 2 )) -eq 0 ] || fail "RTP port $(port_of "$rtp") is odd"
    [ "$(port_of "$rtcp")" -eq $(( $(port_of "$rtp") + 1 )) ] || fail "RTCP $rtcp is not RTP $rtp + 1"
    [ "$(external_of audio-rtp)" = "$rtp" ] && [ "$(external_of audio-rtcp)" = "$rtcp" ] ||
        fail "pair externals differ from internals: $out"
    checks=$((checks + 1))

    # 5. SIP over TCP: STUN over TCP from the port
    run_pm --transport tcp --no-warm-up "$server"
    [ "$rc" -eq 0 ] || fail "rtcpm-stun-pm --transport tcp to $server: exit $rc: $err"
    internal=$(internal_of sip); external=$(external_of sip)
    note "TCP $server: internal $internal external $external"
    [ -n "$external" ] && [ "$external" = "$internal" ] || fail "TCP external $external != internal $internal"
    checks=$((checks + 1))

    # 6. nothing listens two ports up (coturn uses port and port+1): FAILED, exit 1, in time
    run_pm --no-warm-up --rto 100 --timeout 1000 "$(hostport "$host" $((port + 2)))"
    [ "$rc" -eq 1 ] || fail "mapping via a dead port: exit $rc, want 1 (out: $out)"
    grep -q "RTC_E_PORT_MAPPING_FAILED: no answer from" <<<"$err" || fail "dead port: unclear message: $err"
    [ -z "$(internal_of sip)" ] || fail "dead port: a mapping was printed: $out"
    # generous: process start of wine32 under qemu on a loaded machine was seen at 8 s; the
    # default STUN schedule alone (no budget) would take 39.5 s, so 20 s still tells them apart
    [ "$ms" -lt 20000 ] || fail "dead port: took $ms ms for a 1000 ms budget"
    note "UDP dead port: failed as it must ($ms ms, process start included): $err"
    checks=$((checks + 1))
}

coturn_test_families check_family
echo "coturn_stun_pm: $checks passed, 0 failed"
