#!/usr/bin/env bash
# coturn_stun_pm.sh — rtcpm's STUN port manager against the real coturn server, on loopback.
#
#   coturn_stun_pm.sh WORKDIR PROGRAM [RUNNER...]
#     WORKDIR  where turnserver's log and pid file go (the build tree)
#     PROGRAM  the rtcpm-stun-pm binary (.exe for MinGW builds)
#     RUNNER   what runs PROGRAM, e.g. "wine/wine-run.sh PREFIX" for the .exe (empty: itself)
#
# Starts its own `turnserver --stun-only` on 127.0.0.1 AND 127.0.0.2 (two addresses of one
# family: coturn then answers RFC 5780, OTHER-ADDRESS = 127.0.0.2, port + 1) and on ::1, on
# a free high port, and stops it on exit whatever happens (trap).
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

workdir=$1
program=$2
shift 2
runner=("$@")

fail() { echo "coturn_stun_pm: FAIL: $*" >&2; exit 1; }
note() { echo "coturn_stun_pm: $*"; }

command -v turnserver >/dev/null || fail "turnserver not installed (coturn; scripts/install-deps.sh installs it)"
command -v turnutils_natdiscovery >/dev/null || fail "turnutils_natdiscovery not installed (coturn)"
command -v ss >/dev/null || fail "ss not installed (iproute2)"
[ -f "$program" ] || fail "no such program: $program"

mkdir -p "$workdir"
log="$workdir/turnserver.log"
pidfile="$workdir/turnserver.pid"
ts_pid=""

cleanup() {
    if [ -n "$ts_pid" ] && kill -0 "$ts_pid" 2>/dev/null; then
        kill "$ts_pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$ts_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$ts_pid" 2>/dev/null
        wait "$ts_pid" 2>/dev/null
    fi
    ts_pid=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

have_v6=1
ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/128' || have_v6=0

port_busy() { # port: it or the RFC 5780 alternate port +1 taken (UDP or TCP)?
    ss -Hanu "( sport = :$1 or sport = :$(($1 + 1)) )" | grep -q . && return 0
    ss -Hant "( sport = :$1 or sport = :$(($1 + 1)) )" | grep -q . && return 0
    return 1
}

listening() { # addr port: turnserver (our pid) has a UDP socket there
    ss -Hlunp "( sport = :$2 )" 2>/dev/null | grep -F "$1:$2 " | grep -q "pid=$ts_pid,"
}

start_turnserver() {
    local port=$1
    local args=(--stun-only -n --no-cli --no-tls --no-dtls
                --listening-ip 127.0.0.1 --listening-ip 127.0.0.2 --listening-port "$port"
                --log-file "$log" --simple-log --no-stdout-log --pidfile "$pidfile")
    [ $have_v6 -eq 1 ] && args+=(--listening-ip ::1)
    : >"$log"
    turnserver "${args[@]}" >"$workdir/turnserver.out" 2>&1 </dev/null &
    ts_pid=$!
    for _ in $(seq 50); do
        kill -0 "$ts_pid" 2>/dev/null || return 1
        if listening 127.0.0.1 "$port" && listening 127.0.0.2 "$((port + 1))" &&
           { [ $have_v6 -eq 0 ] || listening "[::1]" "$port"; }; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

port=""
for _ in $(seq 10); do
    p=$((20000 + RANDOM % 40000))
    port_busy "$p" && continue
    if start_turnserver "$p"; then port=$p; break; fi
    note "turnserver did not come up on port $p, trying another"
    cleanup
done
[ -n "$port" ] || { tail -n 20 "$log" >&2; fail "could not start turnserver on a free port (log: $log)"; }
note "turnserver pid $ts_pid on 127.0.0.1:$port, 127.0.0.2:$port (RFC 5780 alternate :$((port + 1)))$([ $have_v6 -eq 1 ] && echo " and [::1]:$port")"

run_pm() { # args... ; sets out, err, rc, ms
    local outf="$workdir/rtcpm-stun-pm.out" errf="$workdir/rtcpm-stun-pm.err" t0
    t0=$(date +%s%N)
    "${runner[@]}" "$program" "$@" >"$outf" 2>"$errf" </dev/null
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    out=$(tr -d '\r' <"$outf")   # the .exe writes CRLF
    err=$(tr -d '\r' <"$errf")
}

hostport() { # host port -> text as rtcpm prints it
    case $1 in *:*) echo "[$1]:$2" ;; *) echo "$1:$2" ;; esac
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
    if [ "$rc" -eq 77 ]; then # the runner cannot run this binary (wine-run.sh: no wine32)
        echo "$out"
        echo "SKIPPED: coturn_stun_pm: the runner cannot run $program"
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
    local nd nd_refl nd_local tries
    for tries in 1 2 3; do
        nd=$(turnutils_natdiscovery -m -L "$host" -l "$(port_of "$internal")" -p "$port" "$host" 2>&1)
        nd_refl=$(sed -n 's/.*UDP reflexive addr: *\([^ ]*\).*/\1/p' <<<"$nd" | head -n1)
        [ -n "$nd_refl" ] && break
        sleep 0.5 # the port may take a moment to be free after a Wine process exits
    done
    nd_local=$(sed -n 's/.*Local addr: *: *\([^ ]*\).*/\1/p' <<<"$nd" | head -n1)
    note "UDP $server: turnutils_natdiscovery from $nd_local reflexive $nd_refl"
    [ -n "$nd_refl" ] || fail "turnutils_natdiscovery printed no reflexive address: $nd"
    [ "$(hostport "${nd_local%:*}" "${nd_local##*:}")" = "$internal" ] ||
        fail "natdiscovery did not use the port manager's endpoint ($nd_local, want $internal)"
    [ "$(hostport "${nd_refl%:*}" "${nd_refl##*:}")" = "$external" ] ||
        fail "coturn told natdiscovery $nd_refl but the port manager $external for the same endpoint"
    if [ "$host" = 127.0.0.1 ]; then
        grep -q "Endpoint Independent Mapping" <<<"$nd" || fail "natdiscovery's verdict differs: $nd"
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
    # generous: process start under qemu/Wine on a loaded machine; the default STUN schedule
    # alone (no budget) would take 39.5 s
    [ "$ms" -lt 8000 ] || fail "dead port: took $ms ms for a 1000 ms budget"
    note "UDP dead port: failed as it must ($ms ms, process start included): $err"
    checks=$((checks + 1))
}

check_family 127.0.0.1
if [ $have_v6 -eq 1 ]; then
    check_family ::1
else
    note "SKIPPED IPv6: no ::1 on lo"
fi

kill -0 "$ts_pid" 2>/dev/null || fail "turnserver died during the checks (log: $log)"
echo "coturn_stun_pm: $checks passed, 0 failed"
