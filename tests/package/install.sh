#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# install.sh ENV — `cmake --install` this build into a fresh prefix (the fixture the other
# package tests use), then checks the layout of this target (cmake/RtcpmInstallDirs.cmake):
# every file in this target's own places, so that all targets fit into one prefix, and the
# files a user of this target expects (library names, SONAME, DLL imports, rtcpm.pc, CMake
# package, headers, docs).
. "$1"
. "$(dirname "$0")/lib.sh"

rm -rf "$PKG_PREFIX"
cmake --install "$PKG_BUILD_DIR" --prefix "$PKG_PREFIX" >"$PKG_WORK/install.log" 2>&1 ||
    { cat "$PKG_WORK/install.log"; die "cmake --install failed"; }
(cd "$PKG_PREFIX" && find . ! -type d | sed 's|^\./||' | sort) >"$PKG_WORK/manifest.txt"
echo "installed $(wc -l <"$PKG_WORK/manifest.txt") files into $PKG_PREFIX"

# ---- every file in this target's places -------------------------------------------------
case "$PKG_KIND" in
mingw) allowed="^$PKG_TRIPLET/(bin|include|lib|share)/" ;;
native) allowed="^(include/rtcpm/|lib/$PKG_TRIPLET/|bin/rtcpm-|share/rtcpm/|share/man/man1/rtcpm-|share/doc/rtcpm/)" ;;
*) allowed="^(include/rtcpm/|lib/$PKG_TRIPLET/|share/rtcpm/|share/doc/rtcpm/)" ;;
esac
stray=$(grep -vE "$allowed" "$PKG_WORK/manifest.txt" || true)
check_eq "files outside this target's places ($allowed)" "" "$stray"

has() { [ -e "$PKG_PREFIX/$1" ] || [ -L "$PKG_PREFIX/$1" ]; }
for f in "$PKG_INCLUDEDIR/rtcpm/rtcpm.h" "$PKG_INCLUDEDIR/rtcpm/export.h" "$PKG_INCLUDEDIR/rtcpm/version.h" \
    "$PKG_INCLUDEDIR/rtcpm/rtcpm_idl.h" "$PKG_INCLUDEDIR/rtcpm/host.h" "$PKG_LIBDIR/pkgconfig/rtcpm.pc" \
    "$PKG_LIBDIR/cmake/rtcpm/rtcpmConfig.cmake" "$PKG_LIBDIR/cmake/rtcpm/rtcpmConfigVersion.cmake" \
    "$PKG_DATADIR/rtcpm/idl/rtcpm.idl" "$PKG_DOCDIR/LICENSE" "$PKG_DOCDIR/CHANGELOG.md" "$PKG_DOCDIR/README.md"; do
    check "installed: $f" has "$f"
done
if [ "$PKG_KIND" = mingw ]; then
    check "no compat headers on Windows" test ! -d "$PKG_INC/rtcpm/compat"
    check "installed: the MinGW toolchain file" has "$PKG_DATADIR/rtcpm/toolchain-$PKG_TRIPLET.cmake"
    check "installed: rtcpm_ps.dll" has "$PKG_BINDIR/rtcpm_ps.dll"
else
    check "installed: the compat headers" has "$PKG_INCLUDEDIR/rtcpm/compat/windows.h"
fi

# ---- the library of this build ------------------------------------------------------------
if [ "$PKG_SHARED" = 1 ]; then
    kind=shared
    if [ "$PKG_KIND" = mingw ]; then
        check "installed: rtcpm.dll" has "$PKG_BINDIR/rtcpm.dll"
        check "installed: the import library librtcpm.dll.a" has "$PKG_LIBDIR/librtcpm.dll.a"
        check "no librtcpm.dll (the DLL is rtcpm.dll)" test ! -e "$PKG_BIN/librtcpm.dll"
        imports=$($PKG_OBJDUMP -p "$PKG_BIN/rtcpm.dll" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u | tr '\n' ' ')
        echo "rtcpm.dll imports: $imports"
        foreign=$(printf '%s\n' $imports | grep -vE '^(kernel32|msvcrt|ole32|oleaut32|ws2_32|bcrypt|advapi32|user32|dnsapi|iphlpapi|winmm|rpcrt4|api-ms-win-.*)\.dll$' || true)
        check_eq "rtcpm.dll needs only Windows' own DLLs (no libgcc/winpthread)" "" "$foreign"
        check "rtcpm.dll's version resource says $PKG_VERSION" sh -c "strings -el '$PKG_BIN/rtcpm.dll' | grep -qx '$PKG_VERSION'"
    else
        so="$PKG_LIB/librtcpm.so"
        check "librtcpm.so -> librtcpm.so.$PKG_SOVERSION" test "$(readlink "$so")" = "librtcpm.so.$PKG_SOVERSION"
        check "librtcpm.so.$PKG_SOVERSION -> librtcpm.so.$PKG_VERSION" test "$(readlink "$so.$PKG_SOVERSION")" = "librtcpm.so.$PKG_VERSION"
        check "librtcpm.so.$PKG_VERSION is a file" test -f "$so.$PKG_VERSION" -a ! -L "$so.$PKG_VERSION"
        soname=$($PKG_READELF -d "$so.$PKG_VERSION" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
        check_eq "SONAME" "librtcpm.so.$PKG_SOVERSION" "$soname"
    fi
else
    kind=static
    check "installed: librtcpm.a" has "$PKG_LIBDIR/librtcpm.a"
    check "no shared library in a static build" test -z "$(grep -E 'librtcpm\.so|rtcpm\.dll' "$PKG_WORK/manifest.txt" || true)"
fi
check "installed: rtcpm-$kind-targets.cmake" has "$PKG_LIBDIR/cmake/rtcpm/rtcpm-$kind-targets.cmake"

# ---- rtcpm.pc -----------------------------------------------------------------------------
pcfile="$PKG_LIB/pkgconfig/rtcpm.pc"
check_eq "rtcpm.pc prefix (the install prefix, written at install time)" "prefix=$PKG_PREFIX" "$(grep '^prefix=' "$pcfile")"
check_eq "rtcpm.pc Version (project(VERSION))" "Version: $PKG_VERSION" "$(grep '^Version:' "$pcfile")"
if [ "$PKG_KIND" = mingw ]; then
    want_libs='Libs: -L${libdir} -lrtcpm -lole32 -loleaut32 -luuid'
    want_private="Libs.private: -lws2_32 -lbcrypt -ldnsapi -liphlpapi"
else
    want_libs='Libs: -L${libdir} -lrtcpm'
    # libresolv for SRV lookups; libminiupnpc where the build found it (the UPnP port manager)
    want_private="Libs.private: -pthread -lresolv"
    [ "${PKG_MINIUPNPC:-0}" = 1 ] && want_private="$want_private -lminiupnpc"
fi
check_eq "rtcpm.pc Libs" "$want_libs" "$(grep '^Libs:' "$pcfile")"
check_eq "rtcpm.pc Libs.private" "$want_private" "$(grep '^Libs.private:' "$pcfile")"

# ---- programs and sample configs ---------------------------------------------------------------
for p in $PKG_PROGRAMS; do
    exe="$PKG_PROGRAMDIR/$p"
    [ "$PKG_KIND" = mingw ] && exe="$exe.exe"
    check "installed: $exe" has "$exe"
done
if [ "$PKG_KIND" = mingw ]; then
    # the RTC Client API (issue 13): the COM server and the GUID library an application links
    check "installed: rtcdll.dll" has "$PKG_BINDIR/rtcdll.dll"
    check "installed: librtcuuid.a" has "$PKG_LIBDIR/librtcuuid.a"
fi
if [ -n "$PKG_PROGRAMS" ]; then
    for c in static-nat.ini static-nat-ipv6.ini stun.ini pcp-nat.ini upnp-nat.ini auto-nat.ini; do check "installed: share/rtcpm/$c" has "$PKG_DATADIR/rtcpm/$c"; done
    others=$(grep -E "^$PKG_PROGRAMDIR/" "$PKG_WORK/manifest.txt" | sed "s|^$PKG_PROGRAMDIR/||" | grep -vE '^(rtcpm(-|_ps\.dll$|\.dll$)|rtcdll\.dll$)' || true)
    check_eq "every installed program is named rtcpm-* (DLLs: rtcpm, rtcpm_ps, rtcdll)" "" "$others"
fi
finish
