#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# rtc_bench.sh — benchmark rows 9-12 (README "Benchmarks"): the RTC Client API's latency on
# loopback against sipp, rtcdll.dll under wine64 (B) vs sipp doing the same exchange as a UAC
# (A: the floor — the same registrar/called party, no COM, no Wine, no port manager):
#    9  EnableProfile -> RTCRS_REGISTERED, rtcpm's static port manager
#   10  EnableProfile -> RTCRS_REGISTERED, rtcpm's STUN port manager (coturn on loopback)
#   11  AddParticipant -> RTCSS_CONNECTED, static port manager
#   12  AddParticipant -> RTCSS_CONNECTED, STUN port manager
# A: sipp as UAC, REGISTER -> 200 / INVITE -> 200, one call at a time (its message trace's
# timestamps). B: rtc_bench.exe's time from the call to the event, on the application's thread.
# Each side: median of N iterations, ± half their range.
#
#   rtc_bench.sh OUT.csv BUILD_DIR [N]       (BUILD_DIR: the mingw64 build; N default 20)
# Exit 0, 1 when a side could not be measured, 77 when sipp, coturn or wine64 is missing.
set -u
out=$1 build=$2 n=${3:-20}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}
exe=$build/tests/bench/rtc_bench.exe
dll=$build/src/rtc/rtcdll.dll
prefix=$build/wineprefix
work=$build/tests/bench/rtc_bench_work

for t in sipp turnserver; do command -v $t >/dev/null || { echo "SKIPPED: $t not installed"; exit 77; }; done
[ -f "$exe" ] && [ -f "$dll" ] || { echo "rtc_bench: build rtc_bench.exe and rtcdll.dll first"; exit 1; }
loader=$("$root/wine/wine-run.sh" --loader "$exe") || { echo "$loader"; exit 77; }
rm -rf "$work"
mkdir -p "$work"

# shellcheck source=tests/stun/coturn_lib.sh
. "$root/tests/stun/coturn_lib.sh"
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    pids=()
    coturn_stop
    # under CTest the wine fixture owns the prefix's wineserver (RTC_BENCH_KEEP_WINE=1)
    [ -n "${RTC_BENCH_KEEP_WINE:-}" ] || "$root/wine/wine-run.sh" --stop "$prefix" >/dev/null 2>&1
}
trap cleanup EXIT
coturn_dir=$work
coturn_ips=(127.0.0.1)
coturn_ready=("127.0.0.1 0")
coturn_start || { echo "rtc_bench: could not start turnserver ($work/turnserver.log)"; exit 1; }
[ -n "${RTC_BENCH_KEEP_WINE:-}" ] || "$root/wine/wine-run.sh" --start "$prefix" >/dev/null || exit 1

winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
. "$root/tests/free_ports.sh"
# summary FILE: "median spread%" of the numbers in FILE (one per line)
summary() {
    "$python" -c 'import sys, statistics
v = [float(x) for x in open(sys.argv[1]) if x.strip()]
if not v: print("nan nan"); sys.exit()
m = statistics.median(v)
print("%.3f %.1f" % (m, (max(v) - min(v)) / 2 / m * 100 if m else 0))' "$1"
}

uas_start() { # SCENARIO PORT
    sipp -sf "$1" -i 127.0.0.1 -p "$2" -nostdin >/dev/null 2>&1 </dev/null &
    uas_pid=$!
    pids+=($uas_pid)
    for _ in $(seq 100); do ss -Hlun | awk '{print $4}' | grep -qxF "127.0.0.1:$2" && return 0; sleep 0.05; done
    echo "rtc_bench: sipp did not start"; exit 1
}
uas_stop() { kill "$uas_pid" 2>/dev/null; wait "$uas_pid" 2>/dev/null; }

# floor SCENARIO TO NAME: sipp as UAC, N calls one at a time; each sample is the time from
# sending the first request (REGISTER / INVITE, CSeq 1) to receiving its 200, read from sipp's
# message trace (microsecond timestamps; its own rtd statistics have a 1 ms resolution).
floor() {
    local dir=$work/$3
    mkdir -p "$dir"
    (cd "$dir" && sipp -sf "$1" -i 127.0.0.1 -p "$(free_port)" -m "$n" -l 1 -nostdin -timeout 120s -timeout_error \
        -trace_msg -message_file uac.msg "$2" >sipp.out 2>&1 </dev/null) || { echo "rtc_bench: sipp UAC failed ($dir)"; return 1; }
    "$python" - "$dir/uac.msg" >"$dir/samples" <<'PY'
import datetime, re, sys
sent, out, when = {}, [], None
for block in open(sys.argv[1], encoding="latin-1").read().split("-----------------------------------------------"):
    m = re.match(r" (\d+-\d+-\d+ \d+:\d+:\d+\.\d+)\n(UDP message (sent|received))", block)
    if not m:
        continue
    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
    cid = re.search(r"^Call-ID: *(\S+)", block, re.M)
    first = re.search(r"^CSeq: *1 (REGISTER|INVITE)", block, re.M)
    if not cid or not first:
        continue
    if m.group(3) == "sent" and cid.group(1) not in sent:
        sent[cid.group(1)] = t
    elif m.group(3) == "received" and re.search(r"^SIP/2.0 200 ", block, re.M) and cid.group(1) in sent:
        out.append((t - sent.pop(cid.group(1))) * 1000)
for v in out:
    print("%.3f" % v)
PY
}

# client FLOW TO PM NAME: rtc_bench.exe, its samples in ms
client() {
    "$root/wine/wine-run.sh" "$prefix" "$exe" --dll "$(winpath "$dll")" --flow "$1" --to "$2" --pm "$3" --n "$n" \
        >"$work/$4.out" 2>"$work/$4.err" </dev/null || { echo "rtc_bench: rtc_bench.exe failed: $(cat "$work/$4.err")"; return 1; }
    sed -n 's/^sample \([0-9.]*\).*/\1/p' "$work/$4.out" >"$work/$4.samples"
}

failed=0
echo "id,platform,benchmark,unit,a_what,a_value,a_spread_pct,b_what,b_value,b_spread_pct,ratio,goal,goal_kind,goal_value,met" >"$out"
row() { # ID NAME A_WHAT A_FILE B_WHAT B_FILE
    local a b
    a=$(summary "$4") b=$(summary "$6")
    echo "$1,wine64 + sipp (loopback),$2,ms,$3,${a% *},${a#* },$5,${b% *},${b#* },,report,none,0,-" >>"$out"
    echo "row $1: $2: A ${a% *} ms, B ${b% *} ms"
}

stun=127.0.0.1:$coturn_port
for flow in register call; do
    port=$(free_port) sip=$(free_port) rtp=$(free_pair)
    if [ $flow = register ]; then uas=$here/sipp/uas_register.xml uac=$here/sipp/uac_register.xml; else uas=$here/sipp/uas_call.xml uac=$here/sipp/uac_call.xml; fi
    printf '[mapping sip]\ninternal = 127.0.0.1:%s\nexternal = 127.0.0.1:%s\n' "$sip" "$sip" >"$work/static.ini"
    printf '[mapping audio-rtp]\ninternal = 127.0.0.1:%s\nexternal = 127.0.0.1:%s\n' "$rtp" "$rtp" >>"$work/static.ini"
    printf '[mapping audio-rtcp]\ninternal = 127.0.0.1:%s\nexternal = 127.0.0.1:%s\n' $((rtp + 1)) $((rtp + 1)) >>"$work/static.ini"
    uas_start "$uas" "$port"
    floor "$uac" "127.0.0.1:$port" "floor_$flow" || failed=1
    client $flow "127.0.0.1:$port" "static:$(winpath "$work/static.ini")" "static_$flow" || failed=1
    client $flow "127.0.0.1:$port" "stun:$stun" "stun_$flow" || failed=1
    uas_stop
    if [ $flow = register ]; then
        row 9 "registration: EnableProfile -> RTCRS_REGISTERED / static port manager" "sipp UAC: REGISTER -> 200" \
            "$work/floor_$flow/samples" "rtcdll.dll under wine64 with rtcpm static PM" "$work/static_$flow.samples"
        row 10 "registration: EnableProfile -> RTCRS_REGISTERED / STUN port manager" "sipp UAC: REGISTER -> 200" \
            "$work/floor_$flow/samples" "rtcdll.dll under wine64 with rtcpm STUN PM (coturn)" "$work/stun_$flow.samples"
    else
        row 11 "call: AddParticipant -> RTCSS_CONNECTED / static port manager" "sipp UAC: INVITE -> 200" \
            "$work/floor_$flow/samples" "rtcdll.dll under wine64 with rtcpm static PM" "$work/static_$flow.samples"
        row 12 "call: AddParticipant -> RTCSS_CONNECTED / STUN port manager" "sipp UAC: INVITE -> 200" \
            "$work/floor_$flow/samples" "rtcdll.dll under wine64 with rtcpm STUN PM (coturn)" "$work/stun_$flow.samples"
    fi
done
# every value finite and positive
awk -F, 'NR > 1 && !($6 > 0 && $9 > 0) {bad = 1} END {exit bad}' "$out" || { echo "rtc_bench: a value is missing"; failed=1; }
exit $failed
