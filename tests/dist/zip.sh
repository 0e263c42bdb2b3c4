#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# zip.sh SOURCE_DIR PACKAGES_DIR WORK_DIR VERSION TRIPLET WINEPREFIX — a Windows zip of
# scripts/package.sh as a MinGW developer uses it: unpacked anywhere, then
#   its layout (one top directory; bin/ with rtcpm.dll, rtcpm_ps.dll and the rtcpm-*.exe,
#   lib/ with librtcpm.a, librtcpm.dll.a, pkgconfig/, cmake/; include/; share/ with the sample
#   configs, the toolchain file, doc/rtcpm/LICENSE and CHANGELOG.md),
#   a consumer built with <triplet>-gcc and <triplet>-pkg-config against the zip's rtcpm.pc
#   (PKG_CONFIG_LIBDIR, nothing else): with rtcpm.dll, and static (-static, --static),
#   a consumer through the zip's toolchain file and find_package(rtcpm),
#   each run under Wine, and bin/rtcpm-demo.exe with the zip's own sample config.
# A 32-bit zip is checked and built against; its programs run only where wine32 runs (else
# SKIPPED after the other checks).
set -u
src=$1 pkgs=$2 work=$3 version=$4 triplet=$5 wineprefix=$6
checks=0 failed=0 skip_reason=""
ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() { local d=$1; shift; if "$@"; then ok; else bad "$d"; fi; }
check_eq() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$2', got '$3'"; fi; }
# run OUT EXE ARGS...: under Wine in the test's prefix; 77 = cannot run this PE here
run() {
    local out=$1 rc=0
    shift
    "$src/wine/wine-run.sh" "$wineprefix" "$@" >"$out.raw" 2>"$out.err" || rc=$?
    tr -d '\r' <"$out.raw" >"$out"
    if [ $rc -eq 77 ]; then
        [ -n "$skip_reason" ] || skip_reason="this machine cannot run $(basename "$2"): $(head -n 1 "$out.err")"
    fi
    return $rc
}
# run_check DESC OUT EXE ARGS...: exit code 0 (or a skip)
run_check() {
    local desc=$1 rc=0
    shift
    run "$@" || rc=$?
    [ $rc -eq 77 ] && return 1
    check_eq "$desc: exit code" 0 "$rc"
    [ $rc -eq 0 ]
}

zip="$pkgs/rtcpm-$version-$triplet.zip"
[ -f "$zip" ] || { echo "FAIL: no $zip (scripts/package.sh)" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work/unpacked"
(cd "$work/unpacked" && cmake -E tar xf "$zip") || { echo "FAIL: cannot unpack $zip" >&2; exit 1; }
top=$(ls "$work/unpacked")
check_eq "one top directory" "rtcpm-$version-$triplet" "$top"
root="$work/unpacked/$top"
check_eq "top-level directories" "bin include lib share" "$(ls "$root" | tr '\n' ' ' | sed 's/ $//')"
for f in bin/rtcpm.dll bin/rtcpm_ps.dll bin/rtcdll.dll lib/librtcuuid.a bin/rtcpm-demo.exe bin/rtcpm-pcp.exe bin/rtcpm-pm.exe bin/rtcpm-info.exe lib/librtcpm.a lib/librtcpm.dll.a \
    lib/pkgconfig/rtcpm.pc lib/cmake/rtcpm/rtcpmConfig.cmake lib/cmake/rtcpm/rtcpm-static-targets.cmake \
    lib/cmake/rtcpm/rtcpm-shared-targets.cmake include/rtcpm/rtcpm.h include/rtcpm/version.h \
    share/rtcpm/static-nat.ini share/rtcpm/toolchain-$triplet.cmake share/rtcpm/idl/rtcpm.idl \
    share/doc/rtcpm/LICENSE share/doc/rtcpm/CHANGELOG.md; do
    check "zip has $f" test -f "$root/$f"
done
check "no compat headers in a Windows zip" test ! -e "$root/include/rtcpm/compat"
others=$(ls "$root/bin" | grep -vE '^(rtcpm(-.*\.exe|\.dll|_ps\.dll)|rtcdll\.dll)$' || true)
check_eq "bin/ holds only rtcpm's DLLs, rtcdll.dll and rtcpm-*.exe" "" "$others"
# the RTC client's type library is TYPELIB resource 1 of rtcdll.dll (issue 13), no .tlb file: the
# resource type's name (UTF-16, not NUL-terminated: `strings` may run it into the next bytes)
# and the type library's MSFT header
check "rtcdll.dll carries its type library (resource TYPELIB)" \
    python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.exit(not ("TYPELIB".encode("utf-16-le") in d and b"MSFT" in d))' \
    "$root/bin/rtcdll.dll"
check_eq "rtcdll.dll exports the COM server entry points" "DllCanUnloadNow DllGetClassObject DllRegisterServer DllUnregisterServer" \
    "$($triplet-objdump -p "$root/bin/rtcdll.dll" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' |
        sed -n 's/^[[:space:]]*\[[[:space:]]*[0-9]*\][[:space:]]*\(Dll[A-Za-z]*\)$/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')"

# ---- pkg-config, the zip unpacked anywhere (rtcpm.pc finds its prefix itself) -------------------
cd "$work" || exit 1
export PKG_CONFIG_LIBDIR="$root/lib/pkgconfig"
pc=$triplet-pkg-config
check_eq "$pc --modversion rtcpm" "$version" "$($pc --modversion rtcpm)"
check_eq "includedir from the zip's location" "$(realpath "$root/include")" "$(realpath "$($pc --variable=includedir rtcpm)")"
expected="{95832724-4221-480C-9D15-B376D28E9E3D} 12 $version $version 1"
consumer="$src/tests/package/consumer/consumer.c"
mkdir -p shared static
# shellcheck disable=SC2046
if $triplet-gcc -Wall -Wextra -Werror -o shared/consumer.exe "$consumer" $($pc --cflags --libs rtcpm); then
    ok
    check "the pkg-config consumer imports rtcpm.dll" sh -c "$triplet-objdump -p shared/consumer.exe | grep -q 'DLL Name: rtcpm.dll'"
    cp "$root"/bin/*.dll shared/
    run_check "pkg-config consumer with rtcpm.dll" shared/out shared/consumer.exe && check_eq "its output" "$expected" "$(cat shared/out)"
else
    bad "$triplet-gcc consumer.c \$($pc --cflags --libs rtcpm)"
fi
# shellcheck disable=SC2046
if $triplet-gcc -static -Wall -Wextra -Werror -o static/consumer.exe "$consumer" $($pc --cflags --libs --static rtcpm); then
    ok
    check "the static consumer needs no rtcpm.dll" sh -c "! $triplet-objdump -p static/consumer.exe | grep -qi 'DLL Name: rtcpm.dll'"
    run_check "static pkg-config consumer" static/out static/consumer.exe && check_eq "its output" "$expected" "$(cat static/out)"
else
    bad "$triplet-gcc -static consumer.c \$($pc --cflags --libs --static rtcpm)"
fi
unset PKG_CONFIG_LIBDIR

# ---- CMake with the zip's toolchain file ----------------------------------------------------------
if cmake -S "$src/tests/package/consumer" -B cmake -DCMAKE_TOOLCHAIN_FILE="$root/share/rtcpm/toolchain-$triplet.cmake" \
    >cmake.log 2>&1 && cmake --build cmake >>cmake.log 2>&1; then
    ok
    check_eq "find_package(rtcpm) picks the shared library" "shared" "$(sed -n 's/^kind=//p' cmake/usage.txt)"
    cp "$root"/bin/*.dll cmake/
    run_check "find_package consumer" cmake/out cmake/consumer.exe && check_eq "its output" "$expected" "$(cat cmake/out)"
else
    cat cmake.log >&2
    bad "the find_package(rtcpm) consumer with share/rtcpm/toolchain-$triplet.cmake"
fi

# ---- the RTC Client API from the zip: README's quickstart rtc_app.c (my_pm.c handed to -------
# rtcdll.dll), linked -lrtcuuid against the zip, rtcdll.dll registered with regsvr32, run
readme_block() {
    awk -v tag="<!-- quickstart: $1 -->" '$0 == tag { want = 1; next }
        want && !inside && /^```/ { inside = 1; next } inside && /^```/ { exit } inside { print }' "$src/README.md"
}
mkdir -p "$work/rtc" && cd "$work/rtc" || exit 1
readme_block my_pm.c >my_pm.c
readme_block rtc_app.c >rtc_app.c
export PKG_CONFIG_LIBDIR="$root/lib/pkgconfig"
# shellcheck disable=SC2046
if $triplet-gcc -Wall -Werror -o rtc_app.exe rtc_app.c $($pc --cflags --libs --static rtcpm) -lrtcuuid 2>cc.log; then
    ok
    cp "$root"/bin/*.dll .  # as the README says: rtcdll.dll, and rtcpm.dll (-lrtcpm picks the import library)
    loader=$("$src/wine/wine-run.sh" --loader rtcdll.dll) || loader=""
    if [ -n "$loader" ]; then
        WINEPREFIX=$wineprefix WINEDEBUG=-all DISPLAY= "$loader" regsvr32 /s rtcdll.dll >regsvr32.log 2>&1
        check_eq "wine regsvr32 /s the zip's rtcdll.dll: exit code" 0 "$?"
        run rtc_app.out rtc_app.exe
        check_eq "README's rtc_app.exe against the zip: exit code" 0 "$?"
        check "rtc_app.exe: the port manager asked for the registrar's SIP mapping" \
            grep -qx 'GetMappingEx(127.0.0.1, 9, transport 1, port type 4)' rtc_app.out
        check "rtc_app.exe: the mapping released, no reference left" \
            sh -c "grep -q '^ReleaseMappingEx(198.51.100.7:5060' rtc_app.out && grep -qx 'hr 0x00000000, 0 reference(s) left' rtc_app.out"
        WINEPREFIX=$wineprefix WINEDEBUG=-all DISPLAY= "$loader" regsvr32 /s /u rtcdll.dll >>regsvr32.log 2>&1
        check_eq "wine regsvr32 /s /u rtcdll.dll: exit code" 0 "$?"
    else
        [ -n "$skip_reason" ] || skip_reason="this machine cannot run $triplet's rtcdll.dll"
    fi
else
    cat cc.log >&2
    bad "$triplet-gcc README's rtc_app.c \$($pc --cflags --libs --static rtcpm) -lrtcuuid"
fi
unset PKG_CONFIG_LIBDIR
cd "$work" || exit 1

# ---- the zip's programs, from another directory ------------------------------------------------------
mkdir -p elsewhere && cd elsewhere || exit 1
if run_check "bin/rtcpm-demo.exe register --config static-nat.ini" demo "$root/bin/rtcpm-demo.exe" register --config static-nat.ini; then
    check "rtcpm-demo.exe reads the zip's share/rtcpm/static-nat.ini" grep -q 'mapping sip 192.168.1.10:5060 -> 198.51.100.7:5060' demo
    run_check "bin/rtcpm-info.exe" info "$root/bin/rtcpm-info.exe" && check "rtcpm-info.exe reports $version" grep -q "^rtcpm $version" info
fi

echo "zip $triplet: $checks checks, $failed failed"
[ "$failed" -eq 0 ] || exit 1
if [ -n "$skip_reason" ]; then
    echo "SKIPPED: $skip_reason"
    exit 77
fi
