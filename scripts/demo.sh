#!/usr/bin/env bash
# demo.sh — installs what is missing, builds natively and for x86_64 MinGW, and runs the
# demo natively and as .exe under wine64 (private prefix in the build tree).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
for p in native mingw64; do
    cmake --preset "$p" >/dev/null
    cmake --build --preset "$p" -j"$jobs" >/dev/null
done

echo "=== native"
build/native/samples/rtcpm-info

echo "=== mingw64 .exe under wine64"
prefix="$PWD/build/mingw64/wineprefix"
wine/wine-run.sh --start "$prefix" >/dev/null
trap 'wine/wine-run.sh --stop "$prefix" >/dev/null' EXIT
wine/wine-run.sh "$prefix" build/mingw64/samples/rtcpm-info.exe
