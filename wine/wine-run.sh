#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# wine-run.sh — CTest's CMAKE_CROSSCOMPILING_EMULATOR for the MinGW presets.
#
#   wine-run.sh PREFIX prog.exe [args...]   run prog.exe under Wine in the private PREFIX
#   wine-run.sh --start PREFIX              make the prefix (first time ~8 s) and start a
#                                           persistent wineserver (CTest fixture setup)
#   wine-run.sh --stop PREFIX               stop that wineserver and wait for it (fixture cleanup)
#   wine-run.sh --loader PE                 print the Wine loader that runs PE (for scripts that
#                                           also run Wine's own programs, e.g. regsvr32); 77 if none
#
# A private WINEPREFIX in the build tree keeps tests away from the user's ~/.wine. The
# persistent wineserver is started with its output sent to a log: a wineserver that
# inherits CTest's pipe would hold it open for seconds after each test.
# Exit codes: the program's own; 77 (CTest SKIP_RETURN_CODE) when the program is a 32-bit
# PE and this machine has no way to run wine32 (the SKIPPED line says which part is missing).
set -eu

WINE32_LOADERS="/usr/lib/wine/wine /usr/lib/i386-linux-gnu/wine/wine"

# wine32's loader is an i386 ELF: installed is not enough, this machine must run it (the
# kernel's IA32 emulation, or a binfmt_misc handler for i386 such as qemu-user).
wine32_loader() {
    for w in $WINE32_LOADERS; do
        [ -x "$w" ] && "$w" --version >/dev/null 2>&1 && { echo "$w"; return; }
    done
    echo ""
}

wine_loader_for() {
    # PE machine field: 0x8664 x86_64, 0x14c i386.
    off=$(od -An -tu4 -j60 -N4 "$1" | tr -d ' ')
    machine=$(od -An -tx2 -j$((off + 4)) -N2 "$1" | tr -d ' ')
    case "$machine" in
        8664) wine64_loader ;;
        014c) wine32_loader ;;
        *) echo "" ;;
    esac
}

# Why a 32-bit PE cannot run here, as found now (scripts/test.sh allows exactly this skip).
no_wine32_reason() {
    installed=""
    for w in $WINE32_LOADERS; do [ -x "$w" ] && installed=$w; done
    if [ -z "$installed" ]; then
        echo "no way to run 32-bit Windows programs here: wine32 is not installed (scripts/install-deps.sh installs it; see its output for why it could not)"
    else
        echo "no way to run 32-bit Windows programs here: wine32 is installed but its i386 loader $installed does not run (this kernel does not execute i386 ELF and no working binfmt_misc handler for i386 is registered; scripts/install-deps.sh registers qemu-user from bookworm-backports where it can)"
    fi
}

# A prefix made while wine32 could not run has no 32-bit DLLs (empty syswow64): every 32-bit
# program then fails with "could not load kernel32.dll, status c0000135". Remake it once wine32
# runs (this also catches prefixes made before wine32 was installed).
prefix_lacks_wow64() {
    [ -f "$WINEPREFIX/system.reg" ] && [ ! -f "$WINEPREFIX/drive_c/windows/syswow64/kernel32.dll" ] &&
        [ -n "$(wine32_loader)" ]
}

# The 64-bit loader, in this order (not `ls a b c`, which sorts: /usr/bin/wine would win, and
# with wine32 installed it is the i386 loader).
wine64_loader() {
    for w in /usr/lib/wine/wine64 /usr/bin/wine64 /usr/bin/wine; do [ -x "$w" ] && { echo "$w"; return; }; done
    echo ""
}

setup_env() {
    export WINEPREFIX="$1"
    export WINEDEBUG="${WINEDEBUG:--all}"
    # no Mono/Gecko install dialogs in a fresh prefix
    export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
    export DISPLAY=
    mkdir -p "$WINEPREFIX"
}

case "${1:-}" in
--start)
    setup_env "$2"
    if prefix_lacks_wow64; then
        echo "wine-run: $WINEPREFIX was made while wine32 could not run (no 32-bit DLLs in syswow64): making it again"
        wineserver -k 2>/dev/null || true
        wineserver -w 2>/dev/null || true
        rm -rf "$WINEPREFIX"
        mkdir -p "$WINEPREFIX"
    fi
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        # first run: wineboot makes the prefix (~8 s); wait until its wineserver has gone,
        # then start the persistent one (waiting on a persistent server would never end)
        loader=$(wine64_loader)
        "$loader" wineboot -i >"$WINEPREFIX.wineboot.log" 2>&1 </dev/null || true
        wineserver -w 2>/dev/null || true
    fi
    [ -f "$WINEPREFIX/system.reg" ] || { echo "wine-run: could not create $WINEPREFIX (see $WINEPREFIX.wineboot.log)" >&2; exit 1; }
    wineserver -p >>"$WINEPREFIX.wineserver.log" 2>&1 </dev/null || true
    # The first program of a wineserver session starts Wine's background processes
    # (services.exe, winedevice, ...), which inherit its stdout/stderr: start them here,
    # writing to the log, so they never hold a test's output pipe open.
    loader=$(wine64_loader)
    "$loader" wineboot >>"$WINEPREFIX.wineboot.log" 2>&1 </dev/null || true
    echo "wine-run: prefix $WINEPREFIX ready, wineserver up"
    ;;
--stop)
    setup_env "$2"
    wineserver -k 2>/dev/null || true
    wineserver -w 2>/dev/null || true
    echo "wine-run: wineserver of $WINEPREFIX stopped"
    ;;
--loader)
    loader=$(wine_loader_for "$2")
    if [ -z "$loader" ]; then
        echo "SKIPPED: $(basename "$2"): $(no_wine32_reason)"
        exit 77
    fi
    echo "$loader"
    ;;
*)
    [ $# -ge 2 ] || { echo "usage: wine-run.sh PREFIX prog.exe [args...] | --start PREFIX | --stop PREFIX" >&2; exit 64; }
    setup_env "$1"
    shift
    [ -f "$1" ] || { echo "wine-run: no such program: $1" >&2; exit 1; }
    loader=$(wine_loader_for "$1")
    if [ -z "$loader" ]; then
        echo "SKIPPED: $(basename "$1"): $(no_wine32_reason)"
        exit 77
    fi
    exec "$loader" "$@"
    ;;
esac
