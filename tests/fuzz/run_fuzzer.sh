#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# run_fuzzer.sh — CTest driver of one libFuzzer target (preset fuzz).
#
#   run_fuzzer.sh fuzz   BINARY NAME FUZZ_SOURCE_DIR WORK_DIR SECONDS
#       fuzz for SECONDS (-max_total_time), starting from the seeds
#   run_fuzzer.sh replay BINARY NAME FUZZ_SOURCE_DIR WORK_DIR
#       run every seed and kept regression once (-runs=0), no fuzzing
#
# Seeds: FUZZ_SOURCE_DIR/corpus/NAME and FUZZ_SOURCE_DIR/regressions/NAME, read only.
# Inputs libFuzzer finds go to WORK_DIR/corpus/NAME (first corpus dir = the writable one),
# crashing inputs to WORK_DIR/artifacts/NAME/. FUZZ_SOURCE_DIR/NAME.dict is used if present.
set -eu

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
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" $dict "$work/corpus/$name" "$@" || rc=$?
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
