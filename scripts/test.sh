#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test.sh — installs what is missing, builds every preset and runs every test.
#   bash scripts/test.sh                     all presets
#   bash scripts/test.sh native mingw64      only the named presets
#   bash scripts/test.sh --strict [PRESET..] a skip whose reason is not on SKIP_ALLOW fails the
#                                            run (CI=true, as `.ci/run` runs, implies --strict)
#   RTCPM_CTEST_ARGS="-R demo_cli" bash scripts/test.sh native   extra ctest arguments (a
#                                            subset of the tests; counted as such)
# Stages after the four builds: their shared twins (native-shared ... mingw32-shared: the
# install and consumer tests against librtcpm.so / rtcpm.dll), asan, tsan (clang sanitizers,
# label unit), valgrind (the native build's suites under memcheck, label valgrind), fuzz
# (libFuzzer, RTCPM_FUZZ_SECONDS per target, default 10 — a regression run over the committed
# corpus; the deep runs are scripts/fuzz-long.sh's; the summary prints each target's
# executions), dist (scripts/package.sh: the .debs installed with dpkg -i, the Windows zips
# used, every preset in one prefix). Every build runs ahead of the tests in an idle-class lane
# (below). Each stage's time (waiting for its build + its tests) is printed at the end.
#
# A skipped test (exit 77) is never a pass: it prints "SKIPPED: <reason>", and the summary lists
# each one with its reason. The closing line counts tests ("rtcpm: N passed, N failed, N
# skipped"); fixtures (wine_start, wine_stop, e2e_leaks, ...) are reported on their own line;
# every test of a preset whose configure or build step failed counts as failed.
# Exit status: 0 only when no test or fixture failed (strict: and no skip is off the list).
set -euo pipefail
cd "$(dirname "$0")/.."

# The skips a strict run accepts: ERE patterns, each matched against every "SKIPPED: " reason of
# a skipped test. Only what cannot apply to a target belongs here, never a missing requirement
# (no namespaces / CAP_NET_ADMIN, no sipp, coturn or Wine, no IPv6 loopback: those stay red).
SKIP_ALLOW=(
    # a check that means nothing on this target (tests/harness.h: "SUITE: PART:TEST: not
    # applicable: ..."): test_abi's stdcall check off 32-bit x86; mapping_table_heap where ASan,
    # TSan or valgrind replace malloc, so the heap's growth cannot be read
    '^[a-z0-9_]+: [a-z0-9_]+:[a-z0-9_]+: not applicable: '
    # stun_pm_local_address under Wine 8: a UDP socket bound to one local address sends from the
    # interface's primary one, and binding an absent address succeeds (README, STUN port manager)
    "^stun_pm: local_address:[a-z_]+: Wine 8's socket layer: "
    # mingw32 on a machine that can neither execute i386 nor run qemu-user >= 9 (bookworm's
    # qemu 7.2 cannot run wine32): wine/wine-run.sh says which part is missing
    ': no way to run 32-bit Windows programs here: '
)

strict=0
[ "${CI:-}" = true ] && strict=1
presets=()
for a in "$@"; do
    case "$a" in
        --strict) strict=1 ;;
        -h|--help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "test.sh: unknown option $a (try --help)" >&2; exit 2 ;;
        *) presets+=("$a") ;;
    esac
done
[ ${#presets[@]} -gt 0 ] || presets=(native native32 mingw64 mingw32 native-shared native32-shared
    mingw64-shared mingw32-shared asan tsan valgrind fuzz dist)
jobs=$(nproc 2>/dev/null || echo 2)
read -ra ctest_args <<<"${RTCPM_CTEST_ARGS:-}"

bash scripts/install-deps.sh

results=build/test-results
rm -rf "$results"
mkdir -p "$results"
echo "${presets[*]}" >"$results/presets"
[ $strict -eq 1 ] && echo "=== rtcpm: strict: a skip off the allow-list fails the run"

# Builds run ahead of the tests, in a lane of their own at the idle scheduling class (chrt
# --idle 0, else nice 19): while a stage's tests wait on Wine, sipp, namespaces or timers, the
# next stages are configured and built, and the dist stage's packages made (scripts/package.sh,
# its test dist_packages). The tests keep the normal class: the lane only takes cycles they
# leave. A stage waits for its build; the build logs are in build/test-results/P.build.log.
# One compiler cache for the run (build/ccache, emptied with build/): the shared twins and
# the packages' builds compile many files exactly as an earlier build did (same flags, same
# sources, trees at the same depth under build/: package.sh's are build/pkg-*). Paths are made
# relative to the checkout, so the trees share entries; nothing is kept between clean clones.
if command -v ccache >/dev/null; then
    export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
    export CCACHE_DIR=$PWD/build/ccache CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=2G
    # depend mode: no extra preprocessor run on a miss (<windows.h> costs MinGW ~1.5 s a file)
    export CCACHE_DEPEND=1
    export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
fi
lane_run() {
    if chrt --idle 0 true 2>/dev/null; then chrt --idle 0 "$@"; else nice -n 19 "$@"; fi
}
lane_build() { # lane_build PRESET: writes $results/PRESET.built (ok, configure-failed, build-failed)
    local p=$1 configure=$1 extra=() rc=ok start=$SECONDS
    case "$p" in
        valgrind) # the native build's suites: no build of its own
            while [ ! -e "$results/native.built" ] && [[ " ${presets[*]} " == *" native "* ]]; do sleep 1; done
            ctest --preset "$p" "${ctest_args[@]}" --show-only=json-v1 >"$results/$p.tests.json" 2>/dev/null || true
            if [[ " ${presets[*]} " == *" native "* ]]; then cp "$results/native.built" "$results/$p.built"; return; fi
            configure=native ;;
        fuzz) extra=(-DRTCPM_FUZZ_SECONDS="${RTCPM_FUZZ_SECONDS:-10}") ;;
    esac
    if ! lane_run cmake --preset "$configure" "${extra[@]}" >"$results/$p.configure.log" 2>&1; then
        echo configure-failed >"$results/$p.built"
        return
    fi
    ctest --preset "$p" "${ctest_args[@]}" --show-only=json-v1 >"$results/$p.tests.json" 2>/dev/null || true
    lane_run cmake --build --preset "$p" -j"$jobs" >"$results/$p.build.log" 2>&1 || rc=build-failed
    if [ "$p" = dist ] && [ $rc = ok ]; then # the packages: a test of the stage, run here
        lane_run ctest --preset dist -R '^dist_packages$' --output-junit "$PWD/$results/$p.lane.junit.xml" \
            --test-output-size-passed 1048576 --test-output-size-failed 4194304 >>"$results/$p.build.log" 2>&1 || true
    fi
    echo "$p $((SECONDS - start))s" >>"$results/lane-times"
    echo $rc >"$results/$p.built"
}
lane() {
    for p in "${presets[@]}"; do lane_build "$p"; done
}
lane &
lane_pid=$!
trap 'kill $lane_pid 2>/dev/null || true' EXIT

stage_times=()
script_start=$SECONDS
for p in "${presets[@]}"; do
    stage_start=$SECONDS
    echo "=== rtcpm: preset $p: waiting for its build (the build lane)"
    while [ ! -e "$results/$p.built" ]; do
        kill -0 $lane_pid 2>/dev/null || [ -e "$results/$p.built" ] || { echo lane-died >"$results/$p.built"; break; }
        sleep 1
    done
    built=$(cat "$results/$p.built")
    if [ "$built" != ok ]; then
        cat "$results/$p.configure.log" 2>/dev/null | tail -n 40
        tail -n 80 "$results/$p.build.log" 2>/dev/null || true
        echo "=== rtcpm: preset $p: ${built^^} (every test of the preset counts as failed)"
        echo "$built" >"$results/$p.status"
        stage_times+=("$p $((SECONDS - stage_start))s")
        continue
    fi
    echo "=== rtcpm: preset $p: ctest"
    rc=0
    skip_lane=()
    [ "$p" = dist ] && skip_lane=(-E '^dist_packages$' -FS dist_packages)
    ctest --preset "$p" "${ctest_args[@]}" "${skip_lane[@]}" -j"$jobs" --output-junit "$PWD/$results/$p.junit.xml" \
        --test-output-size-passed 1048576 --test-output-size-failed 4194304 || rc=$?
    if [ -e "$results/$p.lane.junit.xml" ] && grep -q '<failure' "$results/$p.lane.junit.xml"; then
        echo "=== rtcpm: preset $p: dist_packages failed (build/test-results/$p.build.log):"
        tail -n 60 "$results/$p.build.log"
        [ $rc -ne 0 ] || rc=8
    fi
    if [ $rc -eq 0 ]; then echo ok; else echo "ctest-exit $rc"; fi >"$results/$p.status"
    stage_times+=("$p $((SECONDS - stage_start))s")
done
wait $lane_pid || true

echo "=== rtcpm: build lane (idle class; overlaps the tests): $(paste -sd, "$results/lane-times" | sed 's/,/, /g')"
echo "=== rtcpm: presets ${presets[*]}"
echo "=== rtcpm: stage times: $(IFS=,; echo "${stage_times[*]}" | sed 's/,/, /g'); total $((SECONDS - script_start))s"
report=(/usr/bin/python3 scripts/test_report.py "$results")
[ $strict -eq 1 ] && report+=(--strict)
for a in "${SKIP_ALLOW[@]}"; do report+=(--allow "$a"); done
"${report[@]}"
