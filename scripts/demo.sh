#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# demo.sh — installs what is missing, builds natively and for x86_64 MinGW, and runs the
# demo (rtcpm-demo register and call with samples/static-nat.ini) natively and as .exe under
# wine64 (private prefix in the build tree).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
for p in native mingw64; do
    cmake --preset "$p" >/dev/null
    cmake --build --preset "$p" -j"$jobs" >/dev/null
done

# rtcpm-demo with the static port manager of samples/static-nat.ini: every port-manager call
# RTC makes for a registration and for a call, and the Contact / SDP built from the answers
# (print-only: no --registrar / --peer, nothing is sent).
config=samples/static-nat.ini
for cmd in register call; do
    echo "=== native: rtcpm-demo $cmd --config $config"
    build/native/samples/rtcpm-demo "$cmd" --config "$config"
done

prefix="$PWD/build/mingw64/wineprefix"
wine/wine-run.sh --start "$prefix" >/dev/null
trap 'wine/wine-run.sh --stop "$prefix" >/dev/null' EXIT
for cmd in register call; do
    echo "=== mingw64 .exe under wine64: rtcpm-demo.exe $cmd --config $config"
    # a .exe writes CRLF line ends
    wine/wine-run.sh "$prefix" build/mingw64/samples/rtcpm-demo.exe "$cmd" --config "$config" | tr -d '\r'
done
