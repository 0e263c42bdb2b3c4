# SPDX-License-Identifier: LGPL-2.1-or-later
# rtc_sipp_lib.sh — what rtc_sipp.sh and rtc_sipp_in.sh share (sourced): results, the sample
# runner, free ports, sipp scenarios from templates, sipp start/wait, static port-manager INI.
# Sourced with the test's arguments: WORKDIR BINDIR DLL [--case NAME] [RUNNER...]; needs here.
workdir=$1 bindir=$2 dll=$3
shift 3
only=
runner=()
while [ $# -gt 0 ]; do
    if [ "$1" = --case ]; then only=$2; shift 2; else runner+=("$1"); shift; fi
done
python=${PYTHON:-/usr/bin/python3}
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
die() { echo "rtc_sipp: FAIL: $*" >&2; exit 1; }

# rtc_sipp_need EXE: exit 77 with the reason when EXE cannot run here or sipp is missing
rtc_sipp_need() {
    local probe rc
    probe=$("${runner[@]}" "$1" --version 2>&1) && rc=0 || rc=$?
    if [ "$rc" -eq 77 ]; then printf '%s\n' "$probe"; exit 77; fi
    command -v sipp >/dev/null || { echo "SKIPPED: sipp not installed (sip-tester; scripts/install-deps.sh)"; exit 77; }
}

mkdir -p "$workdir"
# Wine's Z: drive is /: the Windows path of a file of ours
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
windll=$(winpath "$dll")
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    pids=()
}
trap cleanup EXIT

. "$here/../free_ports.sh"

# sample EXE ARGS...: runs it (the DLL by --dll); rc, out.txt (CR removed)
out=$workdir/out.txt
sample() {
    local exe=$1; shift
    "${runner[@]}" "$exe" --dll "$windll" "$@" >"$out" 2>"$workdir/err.txt" </dev/null
    rc=$?
    sed -i 's/\r$//' "$out" "$workdir/err.txt"
}
show() { sed 's/^/  | /' "$out" "$workdir/err.txt" | tail -n 40; }
expect_rc() { if [ "$rc" = "$2" ]; then pass "$1: exit $2"; else fail "$1: exit $rc, want $2"; show; fi; }
has() { if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1: no '$3'"; show; fi; }
hasnt() { if grep -qF -- "$3" "$2"; then fail "$1: '$3'"; show; else pass "$1"; fi; }
# the event lines in order (pm lines and others left out), without their status text
events() { grep -E '^event ' "$out" | sed -E 's/ "[^"]*"$//'; }
# has_line WHAT LINE: out.txt has LINE, whole (an event with its get_StatusText in quotes)
has_line() { if grep -qxF -- "$2" "$out"; then pass "$1"; else fail "$1: no line '$2'"; show; fi; }
expect_events() {
    local what=$1 want got
    shift
    want=$(printf '%s\n' "$@")
    got=$(events)
    if [ "$got" = "$want" ]; then pass "$what: events"; else fail "$what: events"; echo "  want:"; printf '    %s\n' "$@"; echo "  got:"; printf '%s\n' "$got" | sed 's/^/    /'; fi
}

scenario() {
    local tpl=$1 o=$2 kv args=(); shift 2
    for kv in "$@"; do args+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
    sed "${args[@]}" "$tpl" >"$o"
}
# sipp_start NAME SCENARIO PORT [SIPP ARGS...]: sipp on 127.0.0.1:PORT, one call
sipp_start() {
    sipp -sf "$2" -i 127.0.0.1 -p "$3" "${@:4}" -m 1 -nostdin -timeout 30s -timeout_error -trace_logs \
        -log_file "$workdir/$1.sipp.log" -trace_err -error_file "$workdir/$1.err" >"$workdir/$1.out" 2>&1 </dev/null &
    sipp_pid=$!
    pids+=($sipp_pid)
    for _ in $(seq 100); do ss -Hlun | awk '{print $4}' | grep -qxF "127.0.0.1:$3" && return 0; sleep 0.05; done
    die "sipp did not start ($workdir/$1.out)"
}
sipp_wait() {
    local name=$1
    wait "$sipp_pid"
    sipp_rc=$?
    if [ "$sipp_rc" = 0 ]; then pass "$name: sipp's scenario passed"; else fail "$name: sipp exit $sipp_rc"; tail -n 20 "$workdir/$name.err" "$workdir/$name.sipp.log" 2>/dev/null | sed 's/^/  # /'; fi
}
static_ini() { # static_ini FILE SIP_PORT [RTP_PORT]
    printf '[mapping sip]\ninternal = 127.0.0.1:%s\nexternal = 127.0.0.1:%s\n' "$2" "$2" >"$1"
    [ $# -ge 3 ] && printf '[mapping audio-rtp]\ninternal = 127.0.0.1:%s\nexternal = 127.0.0.1:%s\n[mapping audio-rtcp]\ninternal = 127.0.0.1:%s\nexternal = 127.0.0.1:%s\n' \
        "$3" "$3" $(($3 + 1)) $(($3 + 1)) >>"$1"
    return 0
}
run() { [ -z "$only" ] || [ "$only" = "$1" ]; }
