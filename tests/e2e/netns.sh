#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# netns.sh — the end-to-end test network: a client behind an iptables NAT router, and a
# public side, each in a network namespace this script makes and removes again.
#
#   client  lan0 198.18.1.2/24 ── lan0 198.18.1.1/24  router  wan0 198.19.1.1/24 ── wan0 198.19.1.2/24  public
#           default via .1.1                                  wan0 198.19.1.3/24      wan0 198.19.1.4/24
#                                                             NAT out of wan0
#
# Addresses come only from 198.18.0.0/15 (RFC 2544); the veth pairs are created inside the
# namespaces, never in the host's, so nothing here can reach a real network and deleting the
# namespaces deletes the links.
#
# Library (source it from bash; functions are prefixed e2e_):
#   e2e_init RUN_DIR                 state dir (pid files, logs) + EXIT/INT/TERM trap
#   e2e_up [--nat masquerade|symmetric|per-destination|dnat] [--map udp:INT_PORT:EXT_IP:EXT_PORT]...
#       masquerade  MASQUERADE of the LAN out of wan0 (endpoint-independent mapping, port
#                   preserved); the router's own traffic is not translated
#       symmetric   MASQUERADE --random-fully (a new external port per destination)
#       per-destination  SNAT to 198.19.1.1 towards 198.19.1.2 and to 198.19.1.3 towards
#                   198.19.1.4, ports kept: another external ADDRESS per destination (symmetric
#                   too, though the port never changes)
#       dnat        each --map: DNAT EXT_IP:EXT_PORT -> client INT_PORT and SNAT back
#                   (a pre-configured mapping, as for a static port manager), then MASQUERADE
#   e2e_ns ROLE                      namespace name of client|router|public
#   e2e_router_readdress NEW_IP      the router's WAN address becomes NEW_IP (198.19.1.3 stays as
#                                    a second address): what a DHCP renewal with a new address
#                                    does; MASQUERADE forgets the flows of the old address
#   e2e_exec ROLE CMD...             run in ROLE's namespace, in the foreground
#   e2e_spawn ROLE NAME CMD...       start in the background; NAME.pid, NAME.log in RUN_DIR
#                                    (stdin: E2E_SPAWN_STDIN, default /dev/null)
#   e2e_spawn_fed ROLE NAME FIFO CMD...  the same, stdin read from FIFO
#   e2e_wait NAME [SECONDS]          wait for it; returns its exit code (124 on timeout)
#   e2e_stop NAME                    TERM, then KILL after 2 s
#   e2e_wine_start [ROLE]            a WINEPREFIX of this run with its wineserver in ROLE's
#                                    namespace (default client), copied from a template
#   e2e_wine_run [ROLE] -- EXE ARGS  run a Windows program there (wine64)
#   e2e_down                         stop everything, delete the namespaces, fail on leaks
#                                    (the trap calls it; safe to call twice)
#
# Command (for trying things by hand; namespaces are owned by the calling shell's PID):
#   netns.sh up [e2e_up options]     prints the namespace names
#   netns.sh exec ROLE CMD...        e.g. netns.sh exec client ping 198.19.1.2
#   netns.sh down                    tear down what `up` made from this shell
#   netns.sh down --all-stale        remove every rtcpm-e2e-* namespace whose owner is dead,
#                                    with the processes in it
#   netns.sh list                    rtcpm-e2e-* namespaces and whether their owner lives
#   netns.sh check-leaks DIR         fail if a run under DIR left a namespace or process
#
# Every process started through e2e_spawn/e2e_exec/e2e_wine_* carries
# RTCPM_E2E_RUN=<run dir> in its environment: the leak check finds them by it.
# Exit code 77 (CTest SKIP_RETURN_CODE): network namespaces cannot be created here.

E2E_PREFIX=rtcpm-e2e
E2E_LAN_CLIENT=198.18.1.2
E2E_LAN_ROUTER=198.18.1.1
E2E_WAN_ROUTER=198.19.1.1
E2E_WAN_ROUTER2=198.19.1.3
E2E_WAN_PUBLIC=198.19.1.2
E2E_WAN_PUBLIC2=198.19.1.4
E2E_WAN_ROUTER_NEW=198.19.1.5
E2E_WINE_LOADER=${E2E_WINE_LOADER:-/usr/lib/wine/wine64}

e2e_log() { printf 'e2e: %s\n' "$*" >&2; }
e2e_die() { printf 'e2e: FAIL: %s\n' "$*" >&2; exit 1; }
e2e_skip() { printf 'SKIPPED: %s\n' "$*"; exit 77; }

# e2e_init RUN_DIR: fresh state dir for this run; teardown on every exit path.
e2e_init() {
    E2E_RUN_DIR=$(realpath -m "$1")
    E2E_ID=$$
    E2E_DOWN_DONE=0
    rm -rf "$E2E_RUN_DIR"
    mkdir -p "$E2E_RUN_DIR"
    : >"$E2E_RUN_DIR/namespaces"
    trap 'e2e_on_exit' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

e2e_on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    e2e_down || { [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] && rc=1; }
    exit "$rc"
}

e2e_ns() {
    case "$1" in
        client|router|public|winetpl) echo "$E2E_PREFIX-$E2E_ID-$1" ;;
        *) e2e_die "unknown namespace role '$1'" ;;
    esac
}

# e2e_have_net_admin: this process has CAP_NET_ADMIN (bit 12 of CapEff): without it `ip netns
# add` may still work for root, but no veth or address can be set up.
e2e_have_net_admin() {
    local caps
    caps=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
    [ -n "$caps" ] && (((16#$caps >> 12) & 1))
}

# e2e_ns_add ROLE: creates the namespace and records it before anything else can fail.
e2e_ns_add() {
    local ns err
    e2e_have_net_admin || e2e_skip "cannot make the test network here: this process lacks CAP_NET_ADMIN (run as root with it)"
    ns=$(e2e_ns "$1")
    if ! err=$(ip netns add "$ns" 2>&1); then
        if [ "$(id -u)" -ne 0 ] || grep -qiE 'permission|not permitted' <<<"$err"; then
            e2e_skip "cannot create network namespaces here (ip netns add: ${err:-failed}; needs root / CAP_NET_ADMIN)"
        fi
        e2e_die "ip netns add $ns: $err"
    fi
    printf '%s %s\n' "$ns" "$(stat -L -c %i "/run/netns/$ns")" >>"$E2E_RUN_DIR/namespaces"
    ip -n "$ns" link set lo up
}

e2e_up() {
    local nat=masquerade maps=() m
    while [ $# -gt 0 ]; do
        case "$1" in
            --nat) nat=$2; shift 2 ;;
            --map) maps+=("$2"); shift 2 ;;
            *) e2e_die "e2e_up: unknown option $1" ;;
        esac
    done
    case "$nat" in masquerade|symmetric|per-destination|dnat) ;; *) e2e_die "e2e_up: unknown NAT '$nat'" ;; esac
    for t in ip iptables; do command -v "$t" >/dev/null || e2e_die "$t not found (scripts/install-deps.sh)"; done
    [ -n "${E2E_RUN_DIR:-}" ] || e2e_die "e2e_up before e2e_init"

    e2e_ns_add client; e2e_ns_add router; e2e_ns_add public
    local c r p rules=""
    c=$(e2e_ns client) r=$(e2e_ns router) p=$(e2e_ns public)
    # One `ip -batch` per namespace (a process start costs ~50 ms on a busy machine).
    # The veth pairs are born inside the namespaces: the host's namespace never holds one.
    ip -n "$c" -batch - <<EOF || e2e_die "could not set up $c"
link add lan0 type veth peer name lan0 netns $r
addr add $E2E_LAN_CLIENT/24 dev lan0
link set lan0 up
route add default via $E2E_LAN_ROUTER
EOF
    ip -n "$r" -batch - <<EOF || e2e_die "could not set up $r"
link add wan0 type veth peer name wan0 netns $p
addr add $E2E_LAN_ROUTER/24 dev lan0
addr add $E2E_WAN_ROUTER/24 dev wan0
addr add $E2E_WAN_ROUTER2/24 dev wan0
link set lan0 up
link set wan0 up
EOF
    ip -n "$p" -batch - <<EOF || e2e_die "could not set up $p"
addr add $E2E_WAN_PUBLIC/24 dev wan0
addr add $E2E_WAN_PUBLIC2/24 dev wan0
link set wan0 up
EOF

    if [ "$nat" = dnat ]; then
        [ ${#maps[@]} -gt 0 ] || e2e_die "--nat dnat needs at least one --map"
        for m in "${maps[@]}"; do
            local proto int_port ext_ip ext_port
            IFS=: read -r proto int_port ext_ip ext_port <<<"$m"
            [ -n "$ext_port" ] || e2e_die "bad --map '$m' (want udp:INT_PORT:EXT_IP:EXT_PORT)"
            rules+="-A PREROUTING -i wan0 -d $ext_ip -p $proto --dport $ext_port -j DNAT --to-destination $E2E_LAN_CLIENT:$int_port"$'\n'
            rules+="-A POSTROUTING -o wan0 -s $E2E_LAN_CLIENT -p $proto --sport $int_port -j SNAT --to-source $ext_ip:$ext_port"$'\n'
        done
    elif [ ${#maps[@]} -gt 0 ]; then
        e2e_die "--map needs --nat dnat"
    fi
    # Only the LAN's traffic is translated: the router's own (miniupnpd's start-up STUN test,
    # tests/e2e/miniupnpd.sh) leaves from its WAN address untouched, as on a home router.
    if [ "$nat" = symmetric ]; then
        rules+="-A POSTROUTING -s ${E2E_LAN_CLIENT%.*}.0/24 -o wan0 -j MASQUERADE --random-fully"$'\n'
    elif [ "$nat" = per-destination ]; then
        rules+="-A POSTROUTING -o wan0 -s $E2E_LAN_CLIENT -d $E2E_WAN_PUBLIC -j SNAT --to-source $E2E_WAN_ROUTER"$'\n'
        rules+="-A POSTROUTING -o wan0 -s $E2E_LAN_CLIENT -d $E2E_WAN_PUBLIC2 -j SNAT --to-source $E2E_WAN_ROUTER2"$'\n'
        rules+="-A POSTROUTING -s ${E2E_LAN_CLIENT%.*}.0/24 -o wan0 -j MASQUERADE"$'\n'
    else
        rules+="-A POSTROUTING -s ${E2E_LAN_CLIENT%.*}.0/24 -o wan0 -j MASQUERADE"$'\n'
    fi
    printf '*nat\n%sCOMMIT\n' "$rules" >"$E2E_RUN_DIR/router.iptables"
    ip netns exec "$r" sh -c "echo 1 >/proc/sys/net/ipv4/ip_forward && iptables-restore -w 5 <'$E2E_RUN_DIR/router.iptables'" \
        || e2e_die "could not set up NAT in $r (rules: $E2E_RUN_DIR/router.iptables)"
    echo "$nat" >"$E2E_RUN_DIR/nat"
    e2e_log "network up ($nat NAT): $c [$E2E_LAN_CLIENT] -> $r [$E2E_WAN_ROUTER, $E2E_WAN_ROUTER2] -> $p [$E2E_WAN_PUBLIC, $E2E_WAN_PUBLIC2]"
}

e2e_router_readdress() {
    local r
    r=$(e2e_ns router)
    ip -n "$r" -batch - <<EOF || e2e_die "could not readdress $r's wan0 to $1"
addr flush dev wan0
addr add $1/24 dev wan0
addr add $E2E_WAN_ROUTER2/24 dev wan0
EOF
    e2e_log "router's WAN address is now $1 (was $E2E_WAN_ROUTER; $E2E_WAN_ROUTER2 kept)"
}

e2e_exec() {
    local ns
    ns=$(e2e_ns "$1"); shift
    ip netns exec "$ns" env RTCPM_E2E_RUN="$E2E_RUN_DIR" "$@"
}

# e2e_spawn ROLE NAME CMD...: `ip netns exec` and `env` exec in place, so $! is CMD itself.
e2e_spawn() {
    local ns name
    ns=$(e2e_ns "$1") name=$2; shift 2
    ip netns exec "$ns" env RTCPM_E2E_RUN="$E2E_RUN_DIR" "$@" >"$E2E_RUN_DIR/$name.log" 2>&1 \
        <"${E2E_SPAWN_STDIN:-/dev/null}" &
    echo $! >"$E2E_RUN_DIR/$name.pid"
}

# e2e_spawn_fed ROLE NAME FIFO CMD...: e2e_spawn with stdin read from FIFO (a program driven
# line by line; the caller keeps FIFO open for writing, e.g. exec 7<>FIFO).
e2e_spawn_fed() {
    local ns name fifo
    ns=$(e2e_ns "$1") name=$2 fifo=$3; shift 3
    ip netns exec "$ns" env RTCPM_E2E_RUN="$E2E_RUN_DIR" "$@" >"$E2E_RUN_DIR/$name.log" 2>&1 <"$fifo" &
    echo $! >"$E2E_RUN_DIR/$name.pid"
}

e2e_pid() { [ -f "$E2E_RUN_DIR/$1.pid" ] && echo "$(<"$E2E_RUN_DIR/$1.pid")"; }

# e2e_running PID: alive and not a zombie (a finished child stays one until waited for).
# Builtins only: this is polled.
e2e_running() {
    local line
    { read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
    line=${line##*) }
    [ "${line%% *}" != Z ]
}

# e2e_wait NAME [SECONDS]: the process's exit code, or 124 (and it is killed) on timeout.
e2e_wait() {
    local pid limit=${2:-30} i=0 rc
    pid=$(e2e_pid "$1") || return 127
    while e2e_running "$pid"; do
        if [ $i -ge $((limit * 10)) ]; then
            e2e_log "$1 (pid $pid) still running after ${limit}s: killing it"
            kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
            rm -f "$E2E_RUN_DIR/$1.pid"
            return 124
        fi
        sleep 0.1; i=$((i + 1))
    done
    wait "$pid" 2>/dev/null; rc=$?
    rm -f "$E2E_RUN_DIR/$1.pid"
    return $rc
}

e2e_stop() {
    local pid i
    pid=$(e2e_pid "$1") || return 0
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 20); do
        e2e_running "$pid" || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$E2E_RUN_DIR/$1.pid"
    return 0
}

# e2e_wait_file FILE [SECONDS]: a helper's "I am listening" signal.
e2e_wait_file() {
    local i
    for i in $(seq $((${2:-5} * 20))); do [ -e "$1" ] && return 0; sleep 0.05; done
    return 1
}

# ---- Wine ----------------------------------------------------------------------------------
# Winsock sockets are made by wineserver, in wineserver's namespace, and a prefix has one
# wineserver: a prefix per run, its wineserver started inside the namespace, and a check
# that every process of the prefix lives there before any program runs.

e2e_wine_env() {
    echo WINEPREFIX="$E2E_RUN_DIR/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES=mscoree,mshtml= DISPLAY=
}

# Program and library images: Wine rewrites them only when Wine itself changes (wineboot
# compares .update-timestamp with wine.inf), so a run's prefix may share them with the
# template through hard links. Everything else (registry, .ini, the wineserver file) is copied.
E2E_WINE_IMAGES=(-iname '*.dll' -o -iname '*.exe' -o -iname '*.sys' -o -iname '*.drv' -o -iname '*.ocx'
                 -o -iname '*.acm' -o -iname '*.cpl' -o -iname '*.tlb' -o -iname '*.ax' -o -iname '*.ds')

# e2e_wine_server_dir PREFIX: wineserver's socket dir (Debian's Wine keeps its /tmp parent's
# name in PREFIX/wineserver; the leaf is the prefix's device and inode).
e2e_wine_server_dir() {
    local parent=.wine-$(id -u)
    [ -f "$1/wineserver" ] && parent=$(cat "$1/wineserver")
    echo "/tmp/$parent/server-$(stat -c %D "$1")-$(printf '%x' "$(stat -c %i "$1")")"
}

# The template prefix (~700 MB) is made once per work dir, by wineboot in a namespace that
# has nothing but loopback, and remade when Wine changes. Measured here (2 busy cores): a
# fresh prefix 8-30 s, cp -a 3-4 s, the hard-link copy below 0.2-0.5 s.
e2e_wine_template() {
    local tpl=$1 ns stamp
    stamp=$(stat -c %Y /usr/share/wine/wine.inf 2>/dev/null)
    exec 9>"$tpl.lock"
    flock 9
    if [ ! -f "$tpl/system.reg" ] || [ "$(tr -dc 0-9 <"$tpl/.update-timestamp" 2>/dev/null)" != "$stamp" ]; then
        rm -rf "$tpl"; mkdir -p "$tpl"
        e2e_ns_add winetpl
        ns=$(e2e_ns winetpl)
        e2e_log "making the Wine template prefix $tpl (once)"
        ip netns exec "$ns" env RTCPM_E2E_RUN="$E2E_RUN_DIR" WINEPREFIX="$tpl" WINEDEBUG=-all \
            WINEDLLOVERRIDES=mscoree,mshtml= DISPLAY= "$E2E_WINE_LOADER" wineboot -i \
            >"$E2E_RUN_DIR/wine-template.log" 2>&1 </dev/null
        WINEPREFIX="$tpl" wineserver -w 2>/dev/null
        rm -rf "$(e2e_wine_server_dir "$tpl")"
        ip netns del "$ns"
        [ -f "$tpl/system.reg" ] || { flock -u 9; e2e_die "wineboot could not make $tpl (see $E2E_RUN_DIR/wine-template.log)"; }
    fi
    flock -u 9
    exec 9>&-
}

# e2e_wine_procs PREFIX: pids of the processes whose environment names this prefix.
e2e_wine_procs() {
    grep -lzxF "WINEPREFIX=$1" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3
}

e2e_wine_start() {
    local role=${1:-client} ns tpl prefix t0 pid net want bad=0
    ns=$(e2e_ns "$role")
    tpl=${E2E_WINE_TEMPLATE:-$(dirname "$E2E_RUN_DIR")/wine-template}
    prefix=$E2E_RUN_DIR/wineprefix
    command -v wineserver >/dev/null && [ -x "$E2E_WINE_LOADER" ] || e2e_die "wine64 not found (scripts/install-deps.sh)"
    e2e_wine_template "$tpl"
    t0=$(date +%s%N)
    echo "$prefix" >>"$E2E_RUN_DIR/wineprefixes"
    cp -al "$tpl" "$prefix" || e2e_die "could not copy $tpl"
    (cd "$tpl" && find . -type f ! \( "${E2E_WINE_IMAGES[@]}" \) -print0 |
        xargs -0 cp -a --parents --remove-destination -t "$prefix") || e2e_die "could not copy $tpl"
    e2e_log "wine prefix made from the template in $((($(date +%s%N) - t0) / 1000000)) ms"
    t0=$(date +%s%N)
    # wineserver -p daemonizes; wineboot then starts services.exe & co. in the same namespace.
    e2e_exec "$role" $(e2e_wine_env) wineserver -p >>"$E2E_RUN_DIR/wineserver.log" 2>&1 </dev/null \
        || e2e_die "wineserver did not start in $ns"
    e2e_exec "$role" $(e2e_wine_env) "$E2E_WINE_LOADER" wineboot >>"$E2E_RUN_DIR/wineboot.log" 2>&1 </dev/null \
        || e2e_die "wineboot failed in $ns (see $E2E_RUN_DIR/wineboot.log)"
    want=$(stat -L -c %i "/run/netns/$ns")
    for pid in $(e2e_wine_procs "$prefix"); do
        # A process that exited since (gone, or a zombie: its ns links are gone, its comm is
        # not) opens no socket anywhere: only the living are checked.
        net=$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null) || continue
        if [ "$net" != "$want" ]; then
            e2e_log "wine process $pid ($(cat /proc/$pid/comm 2>/dev/null)) is not in $ns"
            bad=1
        fi
    done
    [ -n "$(e2e_wine_procs "$prefix")" ] || e2e_die "no wineserver of $prefix is running"
    [ $bad -eq 0 ] || e2e_die "the Wine prefix's processes are not all in $ns: its sockets would open elsewhere"
    e2e_log "wineserver of $prefix up in $((($(date +%s%N) - t0) / 1000000)) ms, in $ns with all $(e2e_wine_procs "$prefix" | wc -l) processes of the prefix"
}

# e2e_wine_run [ROLE] -- EXE ARGS...: the program's output and exit code.
e2e_wine_run() {
    local role=client
    [ "$1" = -- ] || { role=$1; shift; }
    [ "$1" = -- ] && shift
    e2e_exec "$role" $(e2e_wine_env) "$E2E_WINE_LOADER" "$@" </dev/null
}

e2e_wine_stop_all() {
    local prefix i sdir
    [ -f "$E2E_RUN_DIR/wineprefixes" ] || return 0
    while read -r prefix; do
        [ -d "$prefix" ] || continue
        sdir=$(e2e_wine_server_dir "$prefix")
        WINEPREFIX="$prefix" wineserver -k 2>/dev/null
        for i in $(seq 50); do [ -z "$(e2e_wine_procs "$prefix")" ] && break; sleep 0.1; done
        rm -rf "$sdir"
        rmdir "$(dirname "$sdir")" 2>/dev/null
        rm -rf "$prefix"
    done <"$E2E_RUN_DIR/wineprefixes"
    rm -f "$E2E_RUN_DIR/wineprefixes"
}

# ---- teardown ------------------------------------------------------------------------------

# e2e_leaks RUN_DIR...: prints one line per namespace or process the runs left behind.
e2e_leaks() {
    local dir ns inode pid procs_ns markers=()
    procs_ns=$(stat -L -c '%i %n' /proc/[0-9]*/ns/net 2>/dev/null)
    for dir in "$@"; do
        markers+=(-e "RTCPM_E2E_RUN=$dir")
        [ -f "$dir/namespaces" ] || continue
        while read -r ns inode; do
            [ -e "/run/netns/$ns" ] && echo "namespace $ns still exists"
            # a process can keep a deleted namespace (and its veths) alive
            # (one that exited since the stat above is gone, not leaked)
            for pid in $(awk -v i="$inode" '$1 == i {split($2, a, "/"); print a[3]}' <<<"$procs_ns"); do
                [ "$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null)" = "$inode" ] || continue
                echo "process $pid ($(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")) still in namespace $ns"
            done
        done <"$dir/namespaces"
    done
    [ ${#markers[@]} -gt 0 ] || return 0
    for pid in $(grep -lzxF "${markers[@]}" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
        [ -e "/proc/$pid" ] || continue
        echo "process $pid ($(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")) of an e2e run still running"
    done
}

e2e_kill_in_ns() {
    local ns=$1 pids
    pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] || return 0
    kill -TERM $pids 2>/dev/null
    sleep 0.3
    pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] && kill -KILL $pids 2>/dev/null && sleep 0.1
    return 0
}

e2e_down() {
    [ -n "${E2E_RUN_DIR:-}" ] && [ "${E2E_DOWN_DONE:-0}" -eq 0 ] || return 0
    E2E_DOWN_DONE=1
    local f name ns inode leaks
    for f in "$E2E_RUN_DIR"/*.pid; do
        [ -e "$f" ] || continue
        name=$(basename "$f" .pid)
        e2e_stop "$name"
    done
    e2e_wine_stop_all
    while read -r ns inode; do
        [ -e "/run/netns/$ns" ] || continue
        local left
        left=$(ip netns pids "$ns" 2>/dev/null)
        if [ -n "$left" ]; then
            e2e_log "untracked processes in $ns: $(for p in $left; do printf '%s(%s) ' "$p" "$(cat /proc/$p/comm 2>/dev/null)"; done)- killing them"
            e2e_kill_in_ns "$ns"
        fi
        ip netns del "$ns" 2>/dev/null || e2e_log "ip netns del $ns failed"
    done <"$E2E_RUN_DIR/namespaces"
    leaks=$(e2e_leaks "$E2E_RUN_DIR")
    if [ -n "$leaks" ]; then
        printf 'e2e: LEAK: %s\n' "$leaks" >&2
        return 1
    fi
    e2e_log "torn down: no namespace, veth or process of this run left"
    return 0
}

# Namespaces of runs whose owner process is gone (a crashed or SIGKILLed run).
e2e_down_stale() {
    local ns owner n=0
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$E2E_PREFIX-[0-9]*-"); do
        owner=${ns#"$E2E_PREFIX"-}; owner=${owner%%-*}
        kill -0 "$owner" 2>/dev/null && continue
        e2e_kill_in_ns "$ns"
        ip netns del "$ns" && { e2e_log "removed stale namespace $ns"; n=$((n + 1)); }
    done
    [ $n -eq 0 ] || e2e_log "$n stale namespace(s) of crashed runs removed"
}

# ---- command mode --------------------------------------------------------------------------
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -u
    cmd=${1:-}; shift || true
    E2E_ID=${RTCPM_E2E_OWNER:-$PPID}
    E2E_RUN_DIR=${RTCPM_E2E_RUN_DIR:-/tmp/$E2E_PREFIX-$E2E_ID}
    case "$cmd" in
        up)
            [ -e "/run/netns/$(e2e_ns client)" ] && e2e_die "already up for owner $E2E_ID (netns.sh down first)"
            mkdir -p "$E2E_RUN_DIR"; : >"$E2E_RUN_DIR/namespaces"
            trap 'rc=$?; [ $rc -eq 0 ] || e2e_down; exit $rc' EXIT
            e2e_up "$@"
            for r in client router public; do echo "$r $(e2e_ns $r)"; done
            ;;
        exec)
            role=$1; shift
            e2e_exec "$role" "$@"
            ;;
        down)
            if [ "${1:-}" = --all-stale ]; then
                e2e_down_stale
            else
                [ -f "$E2E_RUN_DIR/namespaces" ] || e2e_die "nothing up for owner $E2E_ID ($E2E_RUN_DIR)"
                e2e_down
            fi
            ;;
        list)
            for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$E2E_PREFIX-"); do
                owner=${ns#"$E2E_PREFIX"-}; owner=${owner%%-*}
                if kill -0 "$owner" 2>/dev/null; then echo "$ns owner $owner alive"; else echo "$ns owner $owner gone (stale)"; fi
            done
            ;;
        check-leaks)
            dir=$(realpath -m "${1:?check-leaks DIR}")
            runs=()
            for d in "$dir"/*/; do [ -f "$d/namespaces" ] && runs+=("${d%/}"); done
            out=$([ ${#runs[@]} -eq 0 ] || e2e_leaks "${runs[@]}")
            # a process still exiting (killed by the last teardown) gets two seconds to go
            [ -z "$out" ] || { sleep 2; out=$([ ${#runs[@]} -eq 0 ] || e2e_leaks "${runs[@]}"); }
            # and nothing of ours anywhere whose owner is gone (a crashed run of any build)
            for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$E2E_PREFIX-[0-9]*-"); do
                owner=${ns#"$E2E_PREFIX"-}; owner=${owner%%-*}
                kill -0 "$owner" 2>/dev/null || out+=$'\n'"stale namespace $ns (owner $owner gone; netns.sh down --all-stale removes it)"
            done
            out=${out#$'\n'}
            if [ -n "$out" ]; then
                printf 'e2e: LEAK: %s\n' "$out"
                exit 1
            fi
            echo "e2e: no namespace, veth or process left by the runs under $dir"
            ;;
        *)
            sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'
            exit 2
            ;;
    esac
fi
