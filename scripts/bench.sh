#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench.sh — rtcpm's benchmark table (README "Benchmarks"): one markdown table on stdout and
# the same as CSV in build/bench/bench.csv.
#
#   bash scripts/bench.sh            native + wine64 + callgrind (a few minutes)
#   bash scripts/bench.sh --quick    the same with fewer, shorter repetitions (~1 minute)
#
# Builds the presets native and mingw64, starts its own `turnserver --stun-only` on
# 127.0.0.1 (row 6; stopped on exit), runs tests/bench's rtcpm_bench natively (rows 1-6, 8)
# and the .exe under wine64 (rows 1, 2, 7, 8; wine/wine-run.sh, private prefix of the mingw64
# build), counts instructions of the row 1, 2, 3 and 5 kernels with valgrind --tool=callgrind,
# runs rows 13-14 against miniupnpd in the e2e network namespaces (tests/bench/natpm_bench.sh;
# needs root, else they are left out), and merges everything (tests/bench/merge.py).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=0
[ "${1:-}" = "--quick" ] && quick=1

bash scripts/install-deps.sh >/dev/null

out=$root/build/bench
mkdir -p "$out"
rm -f "$out"/*.csv

for p in native mingw64; do
    echo "=== bench: build $p" >&2
    cmake --preset "$p" >"$out/configure-$p.log" 2>&1 || { cat "$out/configure-$p.log" >&2; exit 1; }
    cmake --build --preset "$p" -j2 --target rtcpm_bench rtcpm-stun >"$out/build-$p.log" 2>&1 ||
        { tail -n 40 "$out/build-$p.log" >&2; exit 1; }
done
native=$root/build/native/tests/bench/rtcpm_bench
exe=$root/build/mingw64/tests/bench/rtcpm_bench.exe
prefix=$root/build/mingw64/wineprefix

reps=()
[ $quick -eq 1 ] && reps=(--reps 5 --sample-ms 15)

# ---- coturn on loopback, ours alone, stopped whatever happens ----
# shellcheck source=tests/stun/coturn_lib.sh
. "$root/tests/stun/coturn_lib.sh"
wine_up=0
cleanup() {
    coturn_stop
    if [ $wine_up -eq 1 ]; then wine/wine-run.sh --stop "$prefix" >/dev/null 2>&1 || true; wine_up=0; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

coturn_dir=$out
coturn_ips=(127.0.0.1)
coturn_ready=("127.0.0.1 0")
coturn_start || { echo "bench: could not start turnserver (see $out/turnserver.log)" >&2; exit 1; }
stun_port=$coturn_port

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- native: rows 1-6, 8 ----
echo "=== bench: native (rows 1-6, 8)" >&2
"$native" "${reps[@]}" --rows 1,2,3,4,5,6,8 --csv "$out/native.csv" \
    --stun-server "127.0.0.1:$stun_port" --stunclient "$(command -v turnutils_stunclient)" \
    --rtcpm-stun "$root/build/native/samples/rtcpm-stun" >"$out/native.md"
cleanup # turnserver is not needed any more

# ---- wine64: rows 1, 2, 7, 8 ----
echo "=== bench: wine64 (rows 1, 2, 7, 8)" >&2
wine/wine-run.sh --start "$prefix" >/dev/null
wine_up=1
# a relative --csv: Wine starts the .exe in the Unix cwd (as Z:\...), it does not map /paths
(cd "$out" && "$root/wine/wine-run.sh" "$prefix" "$exe" "${reps[@]}" --rows 1,2,7,8 --csv wine.csv \
    >"$out/wine.md" 2>"$out/wine.err") || { cat "$out/wine.err" >&2; exit 1; }
cleanup

# ---- wine64 + sipp: rows 9-12, the RTC Client API (tests/bench/rtc_bench.sh) ----
echo "=== bench: RTC Client API against sipp (rows 9-12)" >&2
cmake --build --preset mingw64 -j2 --target rtc_bench rtcdll >>"$out/build-mingw64.log" 2>&1 ||
    { tail -n 40 "$out/build-mingw64.log" >&2; exit 1; }
rtc_n=20
[ $quick -eq 1 ] && rtc_n=8
bash tests/bench/rtc_bench.sh "$out/rtc.csv" "$root/build/mingw64" "$rtc_n" >"$out/rtc.log" 2>&1 ||
    { cat "$out/rtc.log" >&2; exit 1; }

# ---- PCP / UPnP against miniupnpd in the e2e namespaces: rows 13, 14 ----
echo "=== bench: PCP and UPnP port managers against miniupnpd (rows 13, 14)" >&2
natpm_opt=()
[ $quick -eq 1 ] && natpm_opt=(--short)
rc=0
bash tests/bench/natpm_bench.sh "$out/natpm.csv" "$root/build/native" "${natpm_opt[@]}" >"$out/natpm.log" 2>&1 || rc=$?
if [ $rc -eq 77 ]; then
    echo "bench: rows 13, 14 not measured: $(grep -m1 SKIPPED "$out/natpm.log")" >&2
elif [ $rc -ne 0 ]; then
    cat "$out/natpm.log" >&2
    exit 1
fi

# ---- instruction counts (callgrind), natively ----
echo "=== bench: callgrind (rows 1, 2, 3, 5)" >&2
ir=$out/ir.csv
echo "kernel,size,iterations,ir" >"$ir"
count() { # kernel size iterations
    local f=$out/callgrind.out.$1.$2
    valgrind --tool=callgrind --callgrind-out-file="$f" --toggle-collect="bench_kernel_$1" \
        "$native" --callgrind "$1" --size "$2" --iterations "$3" >/dev/null 2>"$f.log" ||
        { cat "$f.log" >&2; exit 1; }
    echo "$1,$2,$3,$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$f" | head -n1)" >>"$ir"
}
n=20000
[ $quick -eq 1 ] && n=5000
count c 0 $n
count vtable 0 $n
count malloc 0 $n
count bstr 0 $n
count vtable 1000 $n
count vtable 1000000 $n
count host_pm_only 0 $((n / 4))
count host 0 $((n / 4))

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
python3 tests/bench/merge.py --native "$out/native.csv" --wine "$out/wine.csv" --rtc "$out/rtc.csv" \
    --natpm "$out/natpm.csv" --ir "$ir" \
    --machine "$(nproc) CPUs ($cpu), load average $load_before at the start, $load_after at the end" \
    --csv "$out/bench.csv"
echo "=== bench: CSV in $out/bench.csv" >&2
