#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# deb.sh SOURCE_DIR PACKAGES_DIR WORK_DIR VERSION — the .debs of scripts/package.sh as a Debian
# developer uses them: `dpkg -i` all three, then
#   the packages' contents (library, SONAME link, headers, rtcpm.pc, CMake package, programs,
#   man pages, sample configs; /usr/share/doc/<package>/copyright and changelog.gz in each),
#   a consumer with plain gcc + `pkg-config --cflags --libs rtcpm` (linked to librtcpm.so.0)
#   and one linked statically (`-static`, `pkg-config --static`), a find_package(rtcpm)
#   consumer (shared by default, COMPONENTS static), /usr/bin/rtcpm-demo with the installed
#   sample config; then `dpkg --purge`, and nothing of rtcpm is left. Needs root; packages of these
#   names installed before the test are left alone (SKIPPED).
set -u
src=$1 pkgs=$2 work=$3 version=$4
checks=0 failed=0
ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() { local d=$1; shift; if "$@"; then ok; else bad "$d"; fi; }
check_eq() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$2', got '$3'"; fi; }
skip() { echo "SKIPPED: $*"; exit 77; }

names=(librtcpm0 librtcpm-dev rtcpm-tools)
[ "$(id -u)" -eq 0 ] || skip "dpkg -i needs root"
command -v dpkg >/dev/null || skip "no dpkg on this machine"
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
debs=()
for n in "${names[@]}"; do
    f="$pkgs/${n}_${version}_${arch}.deb"
    [ -f "$f" ] || { echo "FAIL: no $f (scripts/package.sh native)" >&2; exit 1; }
    debs+=("$f")
    if dpkg-query -W -f='${Status}' "$n" 2>/dev/null | grep -q 'install ok installed'; then
        skip "$n is already installed on this machine; not touching it"
    fi
done
rm -rf "$work" && mkdir -p "$work"

# dpkg takes a lock; another apt/dpkg run on the machine may hold it for a while
dpkg_retry() {
    local i
    for i in $(seq 1 60); do
        if "$@" >"$work/dpkg.log" 2>&1; then return 0; fi
        grep -q 'lock' "$work/dpkg.log" || { cat "$work/dpkg.log" >&2; return 1; }
        sleep 2
    done
    cat "$work/dpkg.log" >&2
    return 1
}
remove() { dpkg_retry dpkg --purge rtcpm-tools librtcpm-dev librtcpm0; }
trap 'remove >/dev/null 2>&1' EXIT

dpkg_retry dpkg -i "${debs[@]}" || { echo "FAIL: dpkg -i ${debs[*]}" >&2; exit 1; }
ok
for n in "${names[@]}"; do
    check_eq "dpkg: $n version" "$version" "$(dpkg-query -W -f='${Version}' "$n")"
    check "$n: /usr/share/doc/$n/copyright (the licence)" grep -q 'LGPL-2.1' "/usr/share/doc/$n/copyright"
    check "$n: /usr/share/doc/$n/changelog.gz (CHANGELOG.md)" sh -c "gzip -dc /usr/share/doc/$n/changelog.gz | grep -q '^# Changelog'"
done
lib=/usr/lib/$multiarch
check "librtcpm0: $lib/librtcpm.so.0 -> librtcpm.so.$version" test "$(readlink $lib/librtcpm.so.0)" = "librtcpm.so.$version"
check "librtcpm-dev: $lib/librtcpm.so (the link for -lrtcpm)" test -L $lib/librtcpm.so
check "librtcpm-dev: $lib/librtcpm.a" test -f $lib/librtcpm.a
check "librtcpm-dev: /usr/include/rtcpm/rtcpm.h" test -f /usr/include/rtcpm/rtcpm.h
for p in rtcpm-demo rtcpm-info rtcpm-stun rtcpm-stun-pm rtcpm-media rtcpm-pcp rtcpm-pm rtcpm-registration-nat \
    rtcpm-outgoing-call-nat rtcpm-cpp-port-manager; do
    check "rtcpm-tools: /usr/bin/$p" test -x /usr/bin/$p
    check "rtcpm-tools: man page $p.1.gz" test -f /usr/share/man/man1/$p.1.gz
    check_eq "$p --version" "$p (rtcpm) $version" "$(/usr/bin/$p --version | head -n 1)"
done
check_eq "rtcpm-tools: every program in /usr/bin is rtcpm-*" "" \
    "$(dpkg -L rtcpm-tools | grep '^/usr/bin/' | grep -v '^/usr/bin/rtcpm-' | tr '\n' ' ')"
# dpkg-shlibdeps: every shared library librtcpm.so.0 needs is a dependency of librtcpm0
# (libminiupnpc's package among them natively)
for so in $(readelf -d "$lib/librtcpm.so.$version" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    owner=$(dpkg -S "$lib/$so" "/lib/$multiarch/$so" 2>/dev/null | head -n 1 | cut -d: -f1)
    [ -n "$owner" ] || { bad "librtcpm.so.0 needs $so, which no package owns"; continue; }
    check "librtcpm0 depends on $owner (for $so)" sh -c "dpkg-query -W -f='\${Depends}' librtcpm0 | tr ',' '\n' | grep -q '^ *$owner\b'"
done
if readelf -d "$lib/librtcpm.so.$version" | grep -q 'libminiupnpc'; then
    ok
    check "librtcpm-dev depends on libminiupnpc-dev (static linking)" sh -c "dpkg-query -W -f='\${Depends}' librtcpm-dev | grep -q 'libminiupnpc-dev'"
else
    bad "librtcpm.so.0 does not link libminiupnpc (the UPnP port manager natively)"
fi
check "rtcpm-tools: /usr/share/rtcpm/static-nat.ini" test -f /usr/share/rtcpm/static-nat.ini
check "the dynamic linker knows librtcpm.so.0" sh -c "ldconfig -p | grep -q 'librtcpm.so.0 '"

# ---- pkg-config, as a Makefile would --------------------------------------------------------
cd "$work" || exit 1
check_eq "pkg-config --modversion rtcpm" "$version" "$(pkg-config --modversion rtcpm)"
check_eq "pkg-config --variable=prefix rtcpm" "/usr" "$(pkg-config --variable=prefix rtcpm)"
expected="{95832724-4221-480C-9D15-B376D28E9E3D} 12 $version $version 1"
consumer=$src/tests/package/consumer/consumer.c
# shellcheck disable=SC2046
if gcc -Wall -Wextra -Werror -o consumer "$consumer" $(pkg-config --cflags --libs rtcpm); then
    ok
    check_eq "pkg-config consumer output" "$expected" "$(./consumer)"
    used=$(ldd ./consumer | sed -n 's/.*librtcpm\.so\.0 => \([^ ]*\) .*/\1/p')
    check_eq "pkg-config consumer runs with the package's librtcpm.so.0" "$lib/librtcpm.so.$version" "$(realpath "${used:-none}" 2>/dev/null)"
else
    bad "gcc consumer.c \$(pkg-config --cflags --libs rtcpm)"
fi
# shellcheck disable=SC2046
if gcc -static -Wall -Wextra -Werror -o consumer-static "$consumer" $(pkg-config --cflags --libs --static rtcpm) 2>cc-static.log; then
    ok
    check_eq "static consumer output" "$expected" "$(./consumer-static)"
    check "static consumer needs no librtcpm.so" sh -c "! ldd ./consumer-static 2>&1 | grep -q librtcpm"
else
    cat cc-static.log >&2
    bad "gcc -static consumer.c \$(pkg-config --cflags --libs --static rtcpm)"
fi

# ---- CMake ------------------------------------------------------------------------------------
for mode in default static; do
    dir="$work/cmake-$mode"
    cp -r "$src/tests/package/consumer" "$dir-src"
    [ "$mode" = static ] && sed -i 's/find_package(rtcpm 0.1 REQUIRED)/find_package(rtcpm 0.1 REQUIRED COMPONENTS static)/' "$dir-src/CMakeLists.txt"
    if cmake -S "$dir-src" -B "$dir" >"$dir.log" 2>&1 && cmake --build "$dir" >>"$dir.log" 2>&1; then
        ok
        check_eq "find_package consumer ($mode) output" "$expected" "$("$dir/consumer")"
        want=shared
        [ "$mode" = static ] && want=static
        check_eq "find_package(rtcpm) ($mode) picks the $want library" "$want" "$(sed -n 's/^kind=//p' "$dir/usage.txt")"
    else
        cat "$dir.log" >&2
        bad "find_package(rtcpm) consumer ($mode) did not build"
    fi
done

# ---- the installed programs -------------------------------------------------------------------
check_eq "rtcpm-demo --version" "rtcpm-demo (rtcpm) $version" "$(/usr/bin/rtcpm-demo --version | head -n 1)"
out=$(/usr/bin/rtcpm-demo register --config static-nat.ini 2>&1)
check_eq "/usr/bin/rtcpm-demo register --config static-nat.ini: exit code" 0 "$?"
check "rtcpm-demo reads /usr/share/rtcpm/static-nat.ini" grep -q 'mapping sip 192.168.1.10:5060 -> 198.51.100.7:5060' <<<"$out"
check "rtcpm-demo names the file it read" grep -q '/usr/bin/../share/rtcpm/static-nat.ini' <<<"$out"
out=$(/usr/bin/rtcpm-info)
check "rtcpm-info reports the version" grep -q "^rtcpm $version" <<<"$out"

# ---- purged again ------------------------------------------------------------------------------
trap - EXIT
remove && ok || bad "dpkg --purge rtcpm-tools librtcpm-dev librtcpm0"
for n in "${names[@]}"; do
    check_eq "after dpkg --purge: dpkg knows nothing of $n" "" "$(dpkg-query -W -f='${Status}' "$n" 2>/dev/null)"
done
for f in /usr/bin/rtcpm-demo $lib/librtcpm.so.0 /usr/include/rtcpm /usr/share/rtcpm $lib/pkgconfig/rtcpm.pc; do
    check "after dpkg --purge: $f is gone" test ! -e "$f"
done
echo "deb: $checks checks, $failed failed"
[ "$failed" -eq 0 ]
