#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# cmake.sh ENV — tests/package/consumer through find_package(rtcpm): natively with
# CMAKE_PREFIX_PATH, native32 with its toolchain file, MinGW with nothing but the installed
# toolchain file (share/rtcpm/toolchain-<triplet>.cmake); built and run. Then rtcpm::rtcpm's
# usage requirements against rtcpm.pc's: the same include directories, and the same libraries
# beyond -lrtcpm: pkg-config --libs for the shared library (on Windows the COM libraries the
# API is used with), pkg-config --libs --static (Libs.private too) for librtcpm.a.
. "$1"
. "$(dirname "$0")/lib.sh"
w="$PKG_WORK/cmake-consumer"
rm -rf "$w"

case "$PKG_KIND" in
mingw) set -- -DCMAKE_TOOLCHAIN_FILE="$PKG_DATA/toolchain-$PKG_TRIPLET.cmake" ;;
native-cross) set -- -DCMAKE_TOOLCHAIN_FILE="$PKG_TOOLCHAIN" -DCMAKE_PREFIX_PATH="$PKG_PREFIX" ;;
*) set -- -DCMAKE_PREFIX_PATH="$PKG_PREFIX" ;;
esac
if cmake -S "$PKG_SOURCE_DIR/tests/package/consumer" -B "$w" -DCMAKE_BUILD_TYPE=Release "$@" >"$w.configure.log" 2>&1 &&
    cmake --build "$w" >"$w.build.log" 2>&1; then
    ok
else
    cat "$w.configure.log" "$w.build.log" 2>/dev/null >&2
    die "the find_package(rtcpm) consumer did not configure or build"
fi
exe="$w/consumer"
[ "$PKG_KIND" = mingw ] && exe="$exe.exe"
rc=0
run_target "$w/run.out" "$exe" || rc=$?
if [ $rc -eq 77 ]; then
    note_skip "the consumer built; this machine cannot run it ($(head -n 1 "$w/run.out.err"))"
else
    check_eq "consumer exit code" 0 "$rc"
    check_eq "consumer output" "$(consumer_expected)" "$(cat "$w/run.out")"
fi

# ---- usage requirements: CMake's = pkg-config's ---------------------------------------------
usage="$w/usage.txt"
if [ "$PKG_SHARED" = 1 ]; then want_type=SHARED_LIBRARY want_kind=shared; else want_type=STATIC_LIBRARY want_kind=static; fi
check_eq "rtcpm::rtcpm type" "$want_type" "$(sed -n 's/^type=//p' "$usage")"
check_eq "rtcpm_LIBRARY_TYPE" "$want_kind" "$(sed -n 's/^kind=//p' "$usage")"
# include directories, as real paths
cm_inc=$(sed -n 's/^include=//p' "$usage" | tr ';' '\n' | while read -r d; do realpath "$d"; done | sort | tr '\n' ' ')
pc_inc=$(pc --cflags-only-I rtcpm | tr ' ' '\n' | sed -n 's/^-I//p' | while read -r d; do realpath "$d"; done | sort | tr '\n' ' ')
check_eq "include directories: CMake's INTERFACE_INCLUDE_DIRECTORIES = pkg-config --cflags" "$pc_inc" "$cm_inc"
# libraries passed on: x and $<LINK_ONLY:x> in CMake (Threads::Threads is -pthread), Libs
# (+ Libs.private for --static) in pkg-config
cm_libs=$(sed -n 's/^libs=//p' "$usage" | tr ';' '\n' | sed -e 's/^\$<LINK_ONLY:\(.*\)>$/\1/' -e 's/^Threads::Threads$/-pthread/' \
    -e '/^-/!s/^/-l/' -e '/^-l$/d' -e '/NOTFOUND/d' | sort | tr '\n' ' ')
if [ "$PKG_SHARED" = 1 ]; then mode=""; else mode="--static"; fi
pc_libs=$(pc --libs $mode rtcpm | tr ' ' '\n' | grep -vE '^(-L.*|-lrtcpm|)$' | sort | tr '\n' ' ')
check_eq "libraries for a user of the $want_kind library: CMake's INTERFACE_LINK_LIBRARIES = pkg-config --libs $mode" "$pc_libs" "$cm_libs"
finish
