#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# package.sh — builds rtcpm's packages with CPack (cmake/RtcpmPackaging.cmake):
#   native   build/package/out/librtcpm0_<version>_<arch>.deb, librtcpm-dev_..., rtcpm-tools_...
#   mingw64  build/package/out/rtcpm-<version>-x86_64-w64-mingw32.zip
#   mingw32  build/package/out/rtcpm-<version>-i686-w64-mingw32.zip
# Each target is built twice, static (librtcpm.a) and shared (librtcpm.so.N / rtcpm.dll, the
# programs), as the presets build (RelWithDebInfo; CPack strips the binaries), and packaged
# together, in WORK/pkg-<target>-static and -shared. Usage:
#   bash scripts/package.sh [--out DIR] [--work DIR] [native|mingw64|mingw32 ...]
# Needs what scripts/install-deps.sh installs (dpkg-dev for dpkg-shlibdeps, help2man).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build/package/out
work=$root/build/package
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
    --out) out=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    -h | --help) sed -n '3,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    native | mingw64 | mingw32) targets+=("$1"); shift ;;
    *) echo "package.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(native mingw64 mingw32)
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p "$out" "$work"
# absolute: cpack runs in the build directory
out=$(cd "$out" && pwd) work=$(cd "$work" && pwd)

build() { # build DIR TARGETS CMAKE-ARGS...: configure (fresh) and build TARGETS (all: everything)
    local dir=$1 targets=()
    [ "$2" = all ] || read -ra targets <<<"--target $2"
    shift 2
    rm -rf "$dir"
    cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRTCPM_BUILD_TESTS=OFF -DRTCPM_PACKAGE_TESTS=OFF "$@" \
        >"$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; return 1; }
    cmake --build "$dir" -j"$jobs" "${targets[@]}" >"$dir.build.log" 2>&1 || { tail -n 50 "$dir.build.log"; return 1; }
}

for t in "${targets[@]}"; do
    start=$SECONDS
    case "$t" in
    native) target=(-DCMAKE_INSTALL_PREFIX=/usr -DRTCPM_PACKAGE_DEB=ON) ;;
    # the zip's own layout (bin/, lib/, include/, share/ at its top), rtcpm.pc relative to itself
    mingw64) target=(-DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-mingw64.cmake" -DRTCPM_INSTALL_TRIPLET_DIR= -DRTCPM_PC_RELOCATABLE=ON) ;;
    mingw32) target=(-DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-mingw32.cmake" -DRTCPM_INSTALL_TRIPLET_DIR= -DRTCPM_PC_RELOCATABLE=ON) ;;
    esac
    # the static build gives only its dev component (librtcpm.a, its CMake targets file, and
    # the files both builds install alike): only the libraries of that component are built
    echo "=== package.sh: $t: static build (librtcpm.a)"
    libs=rtcpm
    [ "$t" = native ] || libs="rtcpm rtcuuid"
    build "$work/pkg-$t-static" "$libs" "${target[@]}" -DBUILD_SHARED_LIBS=OFF -DRTCPM_BUILD_SAMPLES=OFF
    echo "=== package.sh: $t: shared build (+ the programs)"
    build "$work/pkg-$t-shared" all "${target[@]}" -DBUILD_SHARED_LIBS=ON -DRTCPM_PACKAGE_EXTRA_BUILDS="$work/pkg-$t-static"
    echo "=== package.sh: $t: cpack"
    rm -rf "$work/pkg-$t-cpack"
    (cd "$work/pkg-$t-shared" && cpack --config CPackConfig.cmake -B "$work/pkg-$t-cpack" >"$work/pkg-$t-cpack.log" 2>&1) ||
        { cat "$work/pkg-$t-cpack.log"; exit 1; }
    find "$work/pkg-$t-cpack" -maxdepth 1 -type f \( -name '*.deb' -o -name '*.zip' \) -exec cp {} "$out/" \; -print |
        sed "s|.*/|=== package.sh: $t: |"
    echo "=== package.sh: $t: $((SECONDS - start)) s"
done
echo "=== package.sh: packages in $out"
ls -l "$out"
