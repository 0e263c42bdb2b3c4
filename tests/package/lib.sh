# SPDX-License-Identifier: LGPL-2.1-or-later
# lib.sh — sourced by the tests/package scripts after the generated package-env.sh:
# counters, and how to compile and run a consumer for this build's target.
set -u
checks=0
failed=0
skip_reason=""
name=$(basename "$0" .sh)

ok() { checks=$((checks + 1)); }
bad() {
    checks=$((checks + 1))
    failed=$((failed + 1))
    echo "FAIL: $*" >&2
}
# check DESCRIPTION COMMAND...: one assertion
check() {
    desc=$1
    shift
    if "$@"; then ok; else bad "$desc"; fi
}
# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
    if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$2', got '$3'"; fi
}
finish() {
    echo "$name: $checks checks, $failed failed"
    [ "$failed" -eq 0 ] || exit 1
    if [ -n "$skip_reason" ]; then
        echo "SKIPPED: $skip_reason"
        exit 77
    fi
    exit 0
}
die() {
    echo "FAIL: $*" >&2
    exit 1
}

PKG_LIB="$PKG_PREFIX/$PKG_LIBDIR"
PKG_INC="$PKG_PREFIX/$PKG_INCLUDEDIR"
PKG_BIN="$PKG_PREFIX/$PKG_BINDIR"
PKG_PROG="$PKG_PREFIX/$PKG_PROGRAMDIR"
PKG_DATA="$PKG_PREFIX/$PKG_DATADIR/rtcpm"
PKG_DEF="$PKG_SOURCE_DIR/src/rtcpm.def"

# pkg-config against the install only (the cross wrappers respect PKG_CONFIG_LIBDIR).
pc() {
    PKG_CONFIG_LIBDIR="$PKG_LIB/pkgconfig" PKG_CONFIG_PATH= $PKG_PKG_CONFIG "$@"
}

# run_target OUT PROGRAM [ARGS...]: runs a program of this target (natively, qemu-i386,
# wine64), stdout to OUT (CR stripped), stderr to OUT.err; returns its exit code. A shared
# build's library is found on LD_LIBRARY_PATH natively; MinGW programs get rtcpm.dll beside them.
run_target() {
    out=$1
    shift
    if [ "$PKG_KIND" = mingw ] && [ "$PKG_SHARED" = 1 ] && [ -f "$PKG_BIN/rtcpm.dll" ]; then
        d=$(dirname "$1")
        [ -f "$d/rtcpm.dll" ] || cp "$PKG_BIN/rtcpm.dll" "$d/"
    fi
    rc=0
    LD_LIBRARY_PATH="$PKG_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" $PKG_RUNNER "$@" >"$out.raw" 2>"$out.err" || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
    rm -f "$out.raw"
    return $rc
}

# The exit code 77 of wine-run.sh: a 32-bit PE and no wine32 here.
note_skip() {
    [ -n "$skip_reason" ] || skip_reason=$1
}

# What tests/package/consumer/consumer.c prints.
consumer_expected() {
    echo "{95832724-4221-480C-9D15-B376D28E9E3D} 12 $PKG_VERSION $PKG_VERSION 1"
}
