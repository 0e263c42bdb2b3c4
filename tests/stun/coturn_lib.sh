# SPDX-License-Identifier: LGPL-2.1-or-later
# coturn_lib.sh — a private coturn `turnserver --stun-only` on loopback, for the scripts that
# check rtcpm against it (tests/stun/coturn_*.sh, scripts/bench.sh). Source it from bash; it
# works under `set -euo pipefail` too.
#
# The sourcing script sets, before coturn_start:
#   coturn_dir    an existing directory for turnserver.log (also in coturn_log), turnserver.out
#                 and turnserver.pid
#   coturn_ips    (array) the --listening-ip addresses, e.g. (127.0.0.1 127.0.0.2 ::1)
#   coturn_ready  (array) what must listen before the server counts as up, as "ADDR OFFSET"
#                 items: ADDR:PORT+OFFSET, an IPv6 ADDR in brackets as ss prints it; e.g.
#                 ("127.0.0.1 0" "127.0.0.2 1" "[::1] 0") waits for 127.0.0.1:PORT, the RFC 5780
#                 alternate 127.0.0.2:PORT+1 and [::1]:PORT
# and makes sure coturn_stop runs on exit, whatever happens: `trap coturn_stop EXIT` (or calls
# it from its own EXIT trap).
#
# Functions:
#   loopback_has_ipv6          true when lo has ::1
#   coturn_port_busy PORT      true when anything (UDP or TCP) is bound to PORT or PORT+1 (the
#                              RFC 5780 alternate port)
#   coturn_listening ADDR PORT true when our turnserver has a UDP socket bound to ADDR:PORT
#   coturn_start [PORT...]     starts turnserver on the first free PORT where it comes up, else
#                              on one of 10 random free high ports; sets coturn_port and
#                              coturn_pid. Returns 1 (after the log's tail on stderr) when it
#                              came up nowhere.
#   coturn_stop                stops our turnserver (TERM, up to 5 s, then KILL); once stopped,
#                              calling it again does nothing
# (coturn_ready_on and coturn_start_on are coturn_start's steps.)
#
# For the coturn_*.sh tests (they define `fail MESSAGE`, which must not return, and
# `note MESSAGE`):
#   coturn_test_begin TOOL WORKDIR PROGRAM [RUNNER...]
#                              fails unless turnserver, TOOL (a coturn client) and ss are
#                              installed and PROGRAM exists; sets workdir, program, runner
#                              (array), use_v6 (1 when the family asked for includes IPv6 and
#                              lo has ::1: the server must listen on ::1 too) and coturn_dir
#                              (WORKDIR, made); coturn_stop runs on exit (traps EXIT, INT, TERM).
#                              The family comes from RTCPM_TEST_FAMILY: ipv4, ipv6 or unset
#                              (both). ipv6 without ::1 on lo: "SKIPPED: ..." and exit 77 here.
#   coturn_test_families CHECK runs `CHECK 127.0.0.1` and/or `CHECK ::1` (the family asked
#                              for), then fails when turnserver died meanwhile; both families
#                              asked and no ::1: after the IPv4 checks, "SKIPPED: ..." and
#                              exit 77 (never a pass that hides the missing half)
#   hostport HOST PORT         HOST:PORT as rtcpm prints it (IPv6: [HOST]:PORT)
#   coturn_natdiscovery_agrees ENDPOINT WANT WHO
#                              coturn's own client (turnutils_natdiscovery) asks our turnserver
#                              from ENDPOINT (as rtcpm prints it) — free again once WHO's
#                              process exited — and must bind ENDPOINT and be told WANT, what
#                              WHO was told from there; else fails. Its output stays in
#                              coturn_nd. Tries 3 times: the port may take a moment to be free
#                              after a Wine process exits.
# shellcheck shell=bash disable=SC2154,SC2034 # the caller sets and reads the variables

coturn_pid=""
coturn_port=""

loopback_has_ipv6() {
    ip -6 addr show dev lo 2>/dev/null | grep 'inet6 ::1/128' >/dev/null
}

coturn_port_busy() { # port
    local filter="( sport = :$1 or sport = :$(($1 + 1)) )" taken
    taken=$(ss -Hanu "$filter"; ss -Hant "$filter") || true
    [ -n "$taken" ]
}

coturn_listening() { # addr port
    # no grep -q in a pipe: under pipefail, ss killed by SIGPIPE would make a match fail
    ss -Hlunp "( sport = :$2 )" 2>/dev/null | grep -F "$1:$2 " | grep "pid=$coturn_pid," >/dev/null
}

coturn_stop() {
    if [ -n "$coturn_pid" ] && kill -0 "$coturn_pid" 2>/dev/null; then
        kill "$coturn_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$coturn_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$coturn_pid" 2>/dev/null || true
        wait "$coturn_pid" 2>/dev/null || true
    fi
    coturn_pid=""
}

# Does everything in coturn_ready listen, for port $1?
coturn_ready_on() { # port
    local item
    for item in "${coturn_ready[@]}"; do
        coturn_listening "${item% *}" $(($1 + ${item#* })) || return 1
    done
}

# Starts turnserver on port $1 and waits (5 s at most) until coturn_ready_on says it is up.
coturn_start_on() { # port
    local ip
    local args=(--stun-only -n --no-cli --no-tls --no-dtls --listening-port "$1"
                --log-file "$coturn_log" --simple-log --no-stdout-log
                --pidfile "$coturn_dir/turnserver.pid")
    for ip in "${coturn_ips[@]}"; do args+=(--listening-ip "$ip"); done
    : >"$coturn_log"
    turnserver "${args[@]}" >"$coturn_dir/turnserver.out" 2>&1 </dev/null &
    coturn_pid=$!
    for _ in $(seq 50); do
        kill -0 "$coturn_pid" 2>/dev/null || return 1
        coturn_ready_on "$1" && return 0
        sleep 0.1
    done
    return 1
}

coturn_start() { # [port...]
    local p
    coturn_log=$coturn_dir/turnserver.log
    coturn_port=""
    for p in "$@" $(for _ in $(seq 10); do echo $((20000 + RANDOM % 40000)); done); do
        coturn_port_busy "$p" && continue
        if coturn_start_on "$p"; then coturn_port=$p; return 0; fi
        echo "coturn_lib: turnserver did not come up on port $p, trying another" >&2
        coturn_stop
    done
    tail -n 20 "$coturn_log" >&2 || true
    return 1
}

coturn_test_begin() { # tool workdir program [runner...]
    command -v turnserver >/dev/null || fail "turnserver not installed (coturn; scripts/install-deps.sh installs it)"
    command -v "$1" >/dev/null || fail "$1 not installed (coturn)"
    command -v ss >/dev/null || fail "ss not installed (iproute2)"
    workdir=$2
    program=$3
    shift 3
    runner=("$@")
    [ -f "$program" ] || fail "no such program: $program"
    mkdir -p "$workdir"
    coturn_dir=$workdir
    test_family=${RTCPM_TEST_FAMILY:-both}
    case $test_family in ipv4|ipv6|both) ;; *) fail "RTCPM_TEST_FAMILY is ipv4, ipv6 or unset (got '$test_family')" ;; esac
    have_v6=1
    loopback_has_ipv6 || have_v6=0
    use_v6=$have_v6
    [ "$test_family" = ipv4 ] && use_v6=0
    if [ "$test_family" = ipv6 ] && [ $have_v6 -eq 0 ]; then
        echo "SKIPPED: $(basename "$0" .sh): IPv6 loopback: no ::1 on lo"
        exit 77
    fi
    trap coturn_stop EXIT
    trap 'exit 130' INT TERM
}

coturn_test_families() { # check
    [ "$test_family" = ipv6 ] || "$1" 127.0.0.1
    [ "$use_v6" -eq 1 ] && "$1" ::1
    kill -0 "$coturn_pid" 2>/dev/null || fail "turnserver died during the checks (log: $coturn_log)"
    if [ "$test_family" = both ] && [ "$use_v6" -eq 0 ]; then
        echo "SKIPPED: $(basename "$0" .sh): the IPv6 half: IPv6 loopback: no ::1 on lo (the IPv4 half passed)"
        exit 77
    fi
}

hostport() { # host port
    case $1 in *:*) echo "[$1]:$2" ;; *) echo "$1:$2" ;; esac
}

coturn_natdiscovery_agrees() { # endpoint want who
    local host port local_ reflexive
    host=${1%:*} port=${1##*:}
    host=${host#[} host=${host%]}
    for _ in 1 2 3; do
        coturn_nd=$(turnutils_natdiscovery -m -L "$host" -l "$port" -p "$coturn_port" "$host" 2>&1) || true
        reflexive=$(sed -n 's/.*UDP reflexive addr: *\([^ ]*\).*/\1/p' <<<"$coturn_nd" | head -n1)
        local_=$(sed -n 's/.*Local addr: *: *\([^ ]*\).*/\1/p' <<<"$coturn_nd" | head -n1)
        [ -n "$reflexive" ] && [ "$local_" = "$host:$port" ] && break
        sleep 0.5
    done
    [ -n "$reflexive" ] || fail "turnutils_natdiscovery printed no reflexive address: $coturn_nd"
    [ "$(hostport "${local_%:*}" "${local_##*:}")" = "$1" ] ||
        fail "natdiscovery did not use $3's endpoint ($local_, want $1)"
    [ "$(hostport "${reflexive%:*}" "${reflexive##*:}")" = "$2" ] ||
        fail "coturn told natdiscovery $reflexive but $3 $2 for the same endpoint"
}
