#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# fuzz-long.sh — fuzzing deep enough to mean something, then the findings kept.
#
#   bash scripts/fuzz-long.sh [MINUTES]      every target (tests/fuzz/corpus/*)
#   RTCPM_FUZZ_TARGETS="fuzz_stun" bash scripts/fuzz-long.sh 30
#
# Each libFuzzer target of the fuzz preset runs until it has executed RTCPM_FUZZ_RUNS inputs
# (default 10 000 000) or for MINUTES (default 15), whichever comes first, two targets at a
# time (nproc). It starts from its seeds and kept regressions; what it finds goes to a work
# directory (build/fuzz/long/<target>/new), and `-merge=1` then adds to tests/fuzz/corpus/<target>/
# only the inputs that bring coverage the corpus does not have yet (a minimal set of them;
# the hand-made seeds stay as they are). One line per target:
#   fuzz-long: fuzz_stun: 10000000 executions in 260 s, coverage 812 edges (3120 features), 14 new inputs
# Commit the grown corpus (every native preset replays it: <target>_replay).
# Exit status: 0 when no target failed; a crash leaves its input in build/fuzz/long/<target>/
# and is reported (keep it as tests/fuzz/regressions/<target>/<what-it-was> after the fix).
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-15}
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || { echo "usage: fuzz-long.sh [MINUTES]" >&2; exit 2; }
runs=${RTCPM_FUZZ_RUNS:-10000000}
jobs=$(nproc 2>/dev/null || echo 2)
bin_dir=build/fuzz/tests/fuzz
work=build/fuzz/long

echo "fuzz-long: building the fuzz preset"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$jobs" >/dev/null

targets=(${RTCPM_FUZZ_TARGETS:-})
if [ ${#targets[@]} -eq 0 ]; then
    for d in tests/fuzz/corpus/*/; do targets+=("$(basename "$d")"); done
fi

# fuzz_one TARGET: fuzz, merge, report; the summary line goes to WORK/TARGET/summary.
fuzz_one() {
    local t=$1 dir=$work/$1 dict=() seeds=() before after rc=0 s
    rm -rf "$dir"
    mkdir -p "$dir/new"
    [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
    for s in tests/fuzz/corpus/$t tests/fuzz/regressions/$t; do [ -d "$s" ] && seeds+=("$s"); done
    before=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
    SECONDS=0
    "$bin_dir/$t" -runs="$runs" -max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$dir/" "${dict[@]}" "$dir/new" "${seeds[@]}" \
        >"$dir/fuzz.log" 2>&1 || rc=$?
    local secs=$SECONDS
    read -r execs cov ft _ < <(sh tests/fuzz/run_fuzzer.sh stats "$dir/fuzz.log")
    if [ $rc -ne 0 ]; then
        tail -n 40 "$dir/fuzz.log"
        echo "fuzz-long: $t: FAILED (exit $rc) after $execs executions; the input is in $dir/" >"$dir/summary"
        return 1
    fi
    "$bin_dir/$t" -merge=1 "tests/fuzz/corpus/$t" "$dir/new" >"$dir/merge.log" 2>&1 ||
        { echo "fuzz-long: $t: merge failed (see $dir/merge.log)" >"$dir/summary"; return 1; }
    after=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
    echo "fuzz-long: $t: $execs executions in $secs s, coverage $cov edges ($ft features)," \
        "$((after - before)) new inputs merged into tests/fuzz/corpus/$t" >"$dir/summary"
}

echo "fuzz-long: ${targets[*]}: each until $runs executions or $minutes min, $jobs at a time"
pids=() failed=0
for t in "${targets[@]}"; do
    [ -x "$bin_dir/$t" ] || { echo "fuzz-long: no fuzzer $bin_dir/$t (tests/fuzz/CMakeLists.txt)" >&2; failed=1; continue; }
    fuzz_one "$t" &
    pids+=($!)
    if [ ${#pids[@]} -ge "$jobs" ]; then
        wait "${pids[0]}" || failed=1
        pids=("${pids[@]:1}")
    fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
for t in "${targets[@]}"; do [ -f "$work/$t/summary" ] && cat "$work/$t/summary"; done
exit $failed
