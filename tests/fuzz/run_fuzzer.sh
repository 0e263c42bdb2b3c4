#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# run_fuzzer.sh — CTest driver of one libFuzzer target (preset fuzz).
#
#   run_fuzzer.sh fuzz   BINARY NAME FUZZ_SOURCE_DIR WORK_DIR SECONDS
#       fuzz for SECONDS (-max_total_time), starting from the seeds
#   run_fuzzer.sh replay BINARY NAME FUZZ_SOURCE_DIR WORK_DIR
#       run every seed and kept regression once (-runs=0), no fuzzing
#   run_fuzzer.sh stats LOG
#       "EXECUTIONS COVERAGE FEATURES NEW_INPUTS" from a libFuzzer log (-print_final_stats=1)
#
# The fuzz mode ends with one line scripts/test.sh's summary repeats:
#   run_fuzzer: NAME: N executions in S s, coverage C edges (F features), K new inputs
#
# Seeds: FUZZ_SOURCE_DIR/corpus/NAME and FUZZ_SOURCE_DIR/regressions/NAME, read only.
# Inputs libFuzzer finds go to WORK_DIR/corpus/NAME (first corpus dir = the writable one),
# crashing inputs to WORK_DIR/artifacts/NAME/. FUZZ_SOURCE_DIR/NAME.dict is used if present.
set -eu

# stats LOG: executions, the last "cov:"/"ft:" figures, new units; 0 for what is missing.
stats() {
    awk '/^stat::number_of_executed_units:/ { e = $2 }
         /^stat::new_units_added:/ { n = $2 }
         / cov: [0-9]+ / { for (i = 1; i < NF; i++) { if ($i == "cov:") c = $(i + 1); if ($i == "ft:") f = $(i + 1) } }
         END { printf "%d %d %d %d\n", e, c, f, n }' "$1"
}
if [ "${1:-}" = stats ]; then
    stats "$2"
    exit 0
fi

mode=$1 bin=$2 name=$3 src=$4 work=$5
secs=${6:-60}

dict=
[ -f "$src/$name.dict" ] && dict="-dict=$src/$name.dict"

# The seed directories that exist, as the positional parameters.
set --
for d in "$src/corpus/$name" "$src/regressions/$name"; do
    [ -d "$d" ] && set -- "$@" "$d"
done
[ $# -gt 0 ] || { echo "run_fuzzer: no seed directory for $name under $src" >&2; exit 1; }

artifacts="$work/artifacts/$name"
mkdir -p "$work/corpus/$name" "$artifacts"

case "$mode" in
replay)
    exec "$bin" -runs=0 -artifact_prefix="$artifacts/" "$@"
    ;;
fuzz)
    rc=0
    log="$work/$name.log"
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" $dict "$work/corpus/$name" "$@" >"$log" 2>&1 || rc=$?
    # the whole log on failure (the crash and its stack), else its end
    if [ "$rc" -ne 0 ]; then cat "$log"; else tail -n 8 "$log"; fi
    set -- $(stats "$log")
    echo "run_fuzzer: $name: $1 executions in $secs s, coverage $2 edges ($3 features), $4 new inputs"
    if [ "$rc" -ne 0 ]; then
        echo "run_fuzzer: $name failed (exit $rc); the input is in $artifacts/." >&2
        echo "run_fuzzer: reproduce with: $bin $artifacts/<file>; after the fix keep it as" >&2
        echo "run_fuzzer: tests/fuzz/regressions/$name/<what-it-was> (replayed by every preset)." >&2
    fi
    exit "$rc"
    ;;
*)
    echo "usage: run_fuzzer.sh fuzz|replay BINARY NAME FUZZ_SOURCE_DIR WORK_DIR [SECONDS]" >&2
    exit 2
    ;;
esac
