#!/usr/bin/env bash
# coturn_check.sh — rtcpm's STUN client against the real coturn server, on loopback.
#
#   coturn_check.sh WORKDIR PROGRAM [RUNNER...]
#     WORKDIR  where turnserver's log and pid file go (the build tree)
#     PROGRAM  the rtcpm-stun binary (.exe for MinGW builds)
#     RUNNER   what runs PROGRAM, e.g. "wine/wine-run.sh PREFIX" for the .exe (empty: itself)
#
# Starts its own `turnserver --stun-only` on 127.0.0.1 and ::1 on a free high port (no
# config file, no system service), checks that it really listens, and stops it on exit,
# whatever happens (trap).
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
#  4. The same over TCP (RFC 5389 7.2.2 framing) and with a classic RFC 3489 request
#     (coturn answers it with MAPPED-ADDRESS only), and a query to a port where nothing
#     listens must fail with exit status 1 — so a client that "succeeds" regardless is
#     caught.
# IPv4 (127.0.0.1) and IPv6 (::1); IPv6 is reported as skipped only when ::1 is missing.
set -u

workdir=$1
program=$2
shift 2
runner=("$@")

fail() { echo "coturn_check: FAIL: $*" >&2; exit 1; }
note() { echo "coturn_check: $*"; }

command -v turnserver >/dev/null || fail "turnserver not installed (coturn; scripts/install-deps.sh installs it)"
command -v turnutils_stunclient >/dev/null || fail "turnutils_stunclient not installed (coturn)"
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
if ! ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/128'; then
    have_v6=0
fi

# Is anything bound to this UDP or TCP port (or the RFC 5780 alternate port +1)?
port_busy() {
    ss -Hanu "( sport = :$1 or sport = :$(($1 + 1)) )" | grep -q . && return 0
    ss -Hant "( sport = :$1 or sport = :$(($1 + 1)) )" | grep -q . && return 0
    return 1
}

# Does turnserver (our pid) have a UDP socket bound to ADDR:PORT?
listening() { # addr port
    ss -Hlunp "( sport = :$2 )" 2>/dev/null | grep -F "$1:$2 " | grep -q "pid=$ts_pid,"
}

start_turnserver() {
    local port=$1
    local args=(--stun-only -n --no-cli --no-tls --no-dtls
                --listening-ip 127.0.0.1 --listening-port "$port"
                --log-file "$log" --simple-log --no-stdout-log --pidfile "$pidfile")
    [ $have_v6 -eq 1 ] && args+=(--listening-ip ::1)
    : >"$log"
    turnserver "${args[@]}" >"$workdir/turnserver.out" 2>&1 </dev/null &
    ts_pid=$!
    for _ in $(seq 50); do
        kill -0 "$ts_pid" 2>/dev/null || return 1
        if listening 127.0.0.1 "$port" && { [ $have_v6 -eq 0 ] || listening "[::1]" "$port"; }; then
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
note "turnserver pid $ts_pid listening on 127.0.0.1:$port$([ $have_v6 -eq 1 ] && echo " and [::1]:$port")"

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

hostport() { # host port -> canonical text as rtcpm prints it
    case $1 in *:*) echo "[$1]:$2" ;; *) echo "$1:$2" ;; esac
}

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
    if [ "$rc" -eq 77 ]; then # the runner cannot run this binary (wine-run.sh: no wine32)
        echo "$out"
        echo "SKIPPED: coturn_check: the runner cannot run $program"
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
    local nd nd_refl nd_local tries
    for tries in 1 2 3; do
        nd=$(turnutils_natdiscovery -m -L "$host" -l "$local_port" -p "$port" "$host" 2>&1)
        nd_refl=$(sed -n 's/.*UDP reflexive addr: *\([^ ]*\).*/\1/p' <<<"$nd" | head -n1)
        [ -n "$nd_refl" ] && break
        sleep 0.5 # the port may take a moment to be free after a Wine process exits
    done
    nd_local=$(sed -n 's/.*Local addr: *: *\([^ ]*\).*/\1/p' <<<"$nd" | head -n1)
    note "UDP $server: turnutils_natdiscovery from $nd_local reflexive $nd_refl"
    [ -n "$nd_refl" ] || fail "turnutils_natdiscovery printed no reflexive address: $nd"
    [ "$(hostport "${nd_local%:*}" "${nd_local##*:}")" = "$local_addr" ] ||
        fail "natdiscovery did not use rtcpm's endpoint ($nd_local, want $local_addr)"
    [ "$(hostport "${nd_refl%:*}" "${nd_refl##*:}")" = "$mapped" ] ||
        fail "coturn told natdiscovery $nd_refl but rtcpm $mapped for the same endpoint"
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

check_family 127.0.0.1
if [ $have_v6 -eq 1 ]; then
    check_family ::1
else
    note "SKIPPED IPv6: no ::1 on lo"
fi

kill -0 "$ts_pid" 2>/dev/null || fail "turnserver died during the checks (log: $log)"
echo "coturn_check: $checks passed, 0 failed"
