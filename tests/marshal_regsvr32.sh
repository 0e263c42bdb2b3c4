#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# marshal_regsvr32.sh — `regsvr32 rtcpm_ps.dll` in a FRESH WINEPREFIX, then a marshalled call
# works with no in-process registration; `regsvr32 /u` undoes it. (CTest marshal_regsvr32.)
#
#   marshal_regsvr32.sh WINE_RUN PREFIX TEST_EXE DLL
#
# The prefix is deleted first (nothing left from an earlier run) and, when everything passed,
# at the end (~700 MB). Exit 77 (skip) where the test is an i686 PE and wine32 is missing.
set -u
wine_run=$1 prefix=$2 exe=$3 dll=$4

# The loader line (or the SKIPPED message) on stdout; 77 passes through.
out=$("$wine_run" --loader "$exe")
rc=$?
[ $rc -eq 0 ] || { echo "$out"; exit $rc; }
loader=$out

fail() { echo "marshal_regsvr32: FAILED: $*"; exit 1; }
wine() {
    WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY= "$loader" "$@" </dev/null
}

rm -rf "$prefix" "$prefix.wineboot.log" "$prefix.wineserver.log"
"$wine_run" --start "$prefix" || fail "could not make the prefix $prefix"
trap '"$wine_run" --stop "$prefix" >/dev/null 2>&1' EXIT

echo "== fresh prefix: the interfaces are not registered"
"$wine_run" "$prefix" "$exe" --unregistered || fail "fresh prefix: test_marshal --unregistered"

windll=$(wine winepath -w "$dll" 2>/dev/null | tr -d '\r')
[ -n "$windll" ] || fail "winepath -w $dll"
printf "== regsvr32 %s\n" "$windll"
wine regsvr32 /s "$windll" || fail "regsvr32 exited with $?"
wine reg query 'HKCR\Interface\{95832724-4221-480C-9D15-B376D28E9E3D}\ProxyStubClsid32' 2>/dev/null | tr -d '\r' | grep -v '^$'

echo "== marshalled calls through the registered proxy/stub"
"$wine_run" "$prefix" "$exe" --registered || fail "test_marshal --registered"

printf "== regsvr32 /u %s\n" "$windll"
wine regsvr32 /s /u "$windll" || fail "regsvr32 /u exited with $?"
"$wine_run" "$prefix" "$exe" --unregistered || fail "after regsvr32 /u: test_marshal --unregistered"

"$wine_run" --stop "$prefix" >/dev/null 2>&1
trap - EXIT
rm -rf "$prefix" "$prefix.wineboot.log" "$prefix.wineserver.log"
echo "marshal_regsvr32: passed"
