#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test.sh — installs what is missing, builds every preset and runs every test.
#   bash scripts/test.sh            all presets
#   bash scripts/test.sh native     only the named presets
# Stages after the four builds: their shared twins (native-shared ... mingw32-shared: the
# install and consumer tests against librtcpm.so / rtcpm.dll), asan, tsan (clang sanitizers,
# label unit), valgrind (the native build's suites under memcheck, label valgrind), fuzz
# (libFuzzer, RTCPM_FUZZ_SECONDS per target, default 60), dist (scripts/package.sh: the .debs
# installed with dpkg -i, the Windows zips used, every preset in one prefix). Each stage's
# time is printed at the end.
# Exit status: 0 only when every ctest run passed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(native native32 mingw64 mingw32 native-shared native32-shared mingw64-shared
    mingw32-shared asan tsan valgrind fuzz dist)
jobs=$(nproc 2>/dev/null || echo 2)

total_pass=0 total_fail=0 total_skip=0 failed_presets=() stage_times=()
script_start=$SECONDS
for p in "${presets[@]}"; do
    stage_start=$SECONDS
    # valgrind runs the native build's suites: it has build/test presets, no configure preset.
    configure=$p extra=()
    case "$p" in
        valgrind) configure=native ;;
        fuzz) extra=(-DRTCPM_FUZZ_SECONDS="${RTCPM_FUZZ_SECONDS:-60}") ;;
    esac
    echo "=== rtcpm: preset $p: configure + build"
    cmake --preset "$configure" "${extra[@]}" >"build-$p.configure.log" 2>&1 || { cat "build-$p.configure.log"; exit 1; }
    rm -f "build-$p.configure.log"
    if ! cmake --build --preset "$p" -j"$jobs"; then
        echo "=== rtcpm: preset $p: BUILD FAILED"
        failed_presets+=("$p"); total_fail=$((total_fail + 1))
        stage_times+=("$p $((SECONDS - stage_start))s")
        continue
    fi
    echo "=== rtcpm: preset $p: ctest"
    log=$(mktemp)
    set +e
    ctest --preset "$p" -j"$jobs" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    # "N% tests passed, F tests failed out of T"
    line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n1 || true)
    if [ -n "$line" ]; then
        f=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
        t=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
        # CTest counts skipped tests as passed: list them apart
        sk=$(grep -cE '^[[:space:]]+[0-9]+ - .* \(Skipped\)$' "$log" || true)
        total_pass=$((total_pass + t - f - sk)); total_fail=$((total_fail + f)); total_skip=$((total_skip + sk))
    fi
    rm -f "$log"
    [ "$rc" -eq 0 ] || failed_presets+=("$p")
    stage_times+=("$p $((SECONDS - stage_start))s")
done

echo "=== rtcpm: presets ${presets[*]}"
echo "=== rtcpm: stage times: $(IFS=,; echo "${stage_times[*]}" | sed 's/,/, /g'); total $((SECONDS - script_start))s"
[ ${#failed_presets[@]} -eq 0 ] || echo "=== rtcpm: FAILED in: ${failed_presets[*]}"
echo "rtcpm: $total_pass passed, $total_fail failed, $total_skip skipped"
[ ${#failed_presets[@]} -eq 0 ]
