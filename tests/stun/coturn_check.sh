#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# coturn_check.sh — rtcpm's STUN client against the real coturn server, on loopback.
#
#   coturn_check.sh WORKDIR PROGRAM [RUNNER...]
#     WORKDIR  where turnserver's log and pid file go (the build tree)
#     PROGRAM  the rtcpm-stun binary (.exe for MinGW builds)
#     RUNNER   what runs PROGRAM, e.g. "wine/wine-run.sh PREFIX" for the .exe (empty: itself)
#
# Starts its own `turnserver --stun-only` on 127.0.0.1 and ::1 on a free high port (no
# config file, no system service), checks that it really listens, and stops it on exit,
# whatever happens (trap) — with coturn_lib.sh, shared with the other coturn_*.sh.
#
# What makes the comparison meaningful. On loopback there is no NAT, so the truth is known
# in advance: the reflexive address of a socket is its own local address. So:
#  1. rtcpm-stun binds HOST:0, prints the bound address ("local") and what coturn told it
#     ("mapped"). mapped must equal local exactly — address AND port. coturn is an
#     independent implementation: a wrong XOR key, byte order or family handling in rtcpm's
#     codec/client gives a different address or port, so this can fail.
#  2. turnutils_stunclient (coturn's own client) cannot choose its local port, and its
#     source port is not observable from outside, so only its ADDRESS is comparable with
#     rtcpm's; its port must merely be a real port (not 0, not the server's).
#  3. turnutils_natdiscovery can choose its local port: we make it query coturn from the
#     very same local endpoint rtcpm-stun used (HOST:P, free again once rtcpm-stun exited).
#     coturn's own client must then be told exactly what rtcpm was told: same address, same
#     port (and natdiscovery prints its local address too: that must be HOST:P as well).
#     (On loopback "mapped == local" also holds for a client that echoes its own address: the
#     e2e case stun_client makes the same cross-check behind a NAT, where mapped != local.)
#  4. The same over TCP (RFC 5389 7.2.2 framing) and with a classic RFC 3489 request
#     (coturn answers it with MAPPED-ADDRESS only), and a query to a port where nothing
#     listens must fail with exit status 1 — so a client that "succeeds" regardless is
#     caught.
# IPv4 (127.0.0.1) and/or IPv6 (::1): RTCPM_TEST_FAMILY=ipv4|ipv6 (CTest coturn_check and
# coturn_check_ipv6; unset: both); IPv6 without ::1 on lo exits 77 (skipped, with the reason).
set -u

fail() { echo "coturn_check: FAIL: $*" >&2; exit 1; }
note() { echo "coturn_check: $*"; }

# shellcheck source=tests/stun/coturn_lib.sh
. "$(dirname "$0")/coturn_lib.sh"
coturn_test_begin turnutils_stunclient "$@"

coturn_ips=(127.0.0.1)
coturn_ready=("127.0.0.1 0")
if [ $use_v6 -eq 1 ]; then coturn_ips+=(::1); coturn_ready+=("[::1] 0"); fi
coturn_start || fail "could not start turnserver on a free port (log: $coturn_log)"
port=$coturn_port
note "turnserver pid $coturn_pid listening on 127.0.0.1:$port$([ $use_v6 -eq 1 ] && echo " and [::1]:$port")"

run_rtcpm() { # args... ; sets out, err, rc
    local outf="$workdir/rtcpm-stun.out" errf="$workdir/rtcpm-stun.err"
    "${runner[@]}" "$program" "$@" >"$outf" 2>"$errf" </dev/null
    rc=$?
    out=$(tr -d '\r' <"$outf")   # the .exe writes CRLF
    err=$(tr -d '\r' <"$errf")
}

# "local X" / "mapped Y via ATTR rtt N ms"
field() { sed -n "s/^$1 \([^ ]*\).*/\1/p" <<<"$out"; }
attr_of() { sed -n 's/^mapped [^ ]* via \([^ ]*\) rtt [0-9]* ms$/\1/p' <<<"$out"; }

host_of() { # "[::1]:5" / "127.0.0.1:5" -> "::1" / "127.0.0.1"
    local h=${1%:*}
    h=${h#[}
    echo "${h%]}"
}

checks=0
check_family() { # host
    local host=$1 server local mapped attr
    server=$(hostport "$host" "$port")

    # 1. rtcpm over UDP: mapped == local
    run_rtcpm --bind "$(hostport "$host" 0)" --rto 200 --deadline 10000 "$server"
    if [ "$rc" -eq 77 ]; then # the runner cannot run this binary: its SKIPPED line says why
        echo "$out"
        exit 77
    fi
    [ "$rc" -eq 0 ] || fail "rtcpm-stun UDP to $server: exit $rc: $err"
    local_addr=$(field local); mapped=$(field mapped); attr=$(attr_of)
    note "UDP $server: rtcpm-stun local $local_addr mapped $mapped via $attr"
    [ -n "$mapped" ] && [ -n "$local_addr" ] || fail "unexpected rtcpm-stun output: $out"
    [ "$attr" = XOR-MAPPED-ADDRESS ] || fail "coturn answer read from $attr, want XOR-MAPPED-ADDRESS"
    [ "$mapped" = "$local_addr" ] || fail "UDP mapped $mapped != local $local_addr (no NAT on loopback)"
    local_port=${local_addr##*:}
    checks=$((checks + 1))

    # 2. coturn's own client: same address, a real port
    local sc sc_addr sc_host sc_port
    sc=$(turnutils_stunclient -p "$port" "$host" 2>&1)
    sc_addr=$(sed -n 's/.*UDP reflexive addr: *\([^ ]*\).*/\1/p' <<<"$sc" | head -n1)
    [ -n "$sc_addr" ] || fail "turnutils_stunclient printed no reflexive address: $sc"
    sc_host=${sc_addr%:*}; sc_port=${sc_addr##*:}
    note "UDP $server: turnutils_stunclient reflexive $sc_addr"
    [ "$sc_host" = "$host" ] || fail "turnutils_stunclient reflexive address $sc_host, want $host"
    [ "$(host_of "$mapped")" = "$sc_host" ] ||
        fail "rtcpm mapped address $(host_of "$mapped") != turnutils_stunclient's $sc_host"
    [ "$sc_port" -gt 0 ] && [ "$sc_port" -ne "$port" ] || fail "turnutils_stunclient port $sc_port"
    checks=$((checks + 1))

    # 3. coturn's client from rtcpm's very endpoint gets rtcpm's very answer
    coturn_natdiscovery_agrees "$local_addr" "$mapped" rtcpm
    note "UDP $server: turnutils_natdiscovery from $local_addr reflexive $mapped"
    checks=$((checks + 1))

    # 4a. TCP
    run_rtcpm --tcp --bind "$(hostport "$host" 0)" --ti 10000 "$server"
    [ "$rc" -eq 0 ] || fail "rtcpm-stun TCP to $server: exit $rc: $err"
    local_addr=$(field local); mapped=$(field mapped); attr=$(attr_of)
    note "TCP $server: rtcpm-stun local $local_addr mapped $mapped via $attr"
    [ "$attr" = XOR-MAPPED-ADDRESS ] || fail "TCP answer via $attr"
    [ -n "$mapped" ] && [ "$mapped" = "$local_addr" ] || fail "TCP mapped $mapped != local $local_addr"
    checks=$((checks + 1))

    # 4b. classic RFC 3489 request: MAPPED-ADDRESS
    run_rtcpm --classic --bind "$(hostport "$host" 0)" --rto 200 --deadline 10000 "$server"
    [ "$rc" -eq 0 ] || fail "rtcpm-stun --classic to $server: exit $rc: $err"
    local_addr=$(field local); mapped=$(field mapped); attr=$(attr_of)
    note "UDP $server classic: rtcpm-stun local $local_addr mapped $mapped via $attr"
    [ "$attr" = MAPPED-ADDRESS ] || fail "classic answer via $attr, want MAPPED-ADDRESS"
    [ -n "$mapped" ] && [ "$mapped" = "$local_addr" ] || fail "classic mapped $mapped != local $local_addr"
    checks=$((checks + 1))

    # 4c. nothing listens two ports up (coturn uses port and port+1): must fail, exit 1
    run_rtcpm --bind "$(hostport "$host" 0)" --rto 100 --rc 2 --rm 2 "$(hostport "$host" $((port + 2)))"
    [ "$rc" -eq 1 ] || fail "query to a dead port: exit $rc, want 1 (out: $out)"
    grep -q "no answer" <<<"$err" || fail "query to a dead port: unclear message: $err"
    note "UDP dead port: failed as it must: $err"
    checks=$((checks + 1))
}

coturn_test_families check_family
echo "coturn_check: $checks passed, 0 failed"
