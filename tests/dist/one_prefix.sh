#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# one_prefix.sh SOURCE_DIR WORK_DIR — every target in one prefix: each preset's build that
# exists (build/<preset> for native, native32, mingw64, mingw32 and their -shared twins) is
# installed into a prefix of its own, then all of them are laid over one another. A path that
# two builds install must have the same content in both (the headers every Linux target
# shares, a static and a shared build's rtcpm.pc and rtcpm*Config.cmake): then installing
# every target into one prefix never overwrites another's files. Needs native and mingw64 at
# least (the presets scripts/test.sh builds before this one), else SKIPPED.
set -u
src=$1 work=$2
presets=(native native-shared native32 native32-shared mingw64 mingw64-shared mingw32 mingw32-shared)
rm -rf "$work" && mkdir -p "$work"
have=()
for p in "${presets[@]}"; do
    b="$src/build/$p"
    [ -f "$b/cmake_install.cmake" ] || continue
    # one prefix for all (rtcpm.pc writes its prefix), each build staged under its own DESTDIR
    if ! DESTDIR="$work/$p.destdir" cmake --install "$b" --prefix /opt/rtcpm >"$work/$p.log" 2>&1 ||
        ! mv "$work/$p.destdir/opt/rtcpm" "$work/$p"; then
        cat "$work/$p.log" >&2
        echo "FAIL: cmake --install build/$p" >&2
        exit 1
    fi
    (cd "$work/$p" && find . ! -type d | sed 's|^\./||') | sed "s|$| $p|" >>"$work/all.txt"
    have+=("$p")
done
echo "installed: ${have[*]}"
for need in native mingw64; do
    case " ${have[*]} " in
    *" $need "*) ;;
    *) echo "SKIPPED: build/native and build/mingw64 are needed (configure and build those presets first)"; exit 77 ;;
    esac
done

# A static and a shared build of one target both install the programs, rtcdll.dll, rtcpm_ps.dll
# and librtcuuid.a (the same sources, built in other directories and linked at other times: their
# debug information and PE time stamps differ); everything else two builds install must be
# byte-identical, and two targets must never differ in any file.
is_program() {
    case "$1" in
    bin/rtcpm-* | */bin/rtcpm-* | share/man/man1/rtcpm-*) return 0 ;;
    */bin/rtcdll.dll | */bin/rtcpm_ps.dll | */lib/librtcuuid.a) return 0 ;;
    esac
    return 1
}
failed=0 shared=0
while read -r path; do
    first=""
    for p in $(awk -v f="$path" '$1 == f { print $2 }' "$work/all.txt"); do
        if [ -z "$first" ]; then
            first=$p
        elif ! cmp -s "$work/$first/$path" "$work/$p/$path"; then
            if [ "${first%-shared}" = "${p%-shared}" ] && is_program "$path"; then
                continue
            fi
            echo "FAIL: $path: build/$first and build/$p install different files" >&2
            failed=$((failed + 1))
        fi
    done
    shared=$((shared + 1))
done < <(awk '{ print $1 }' "$work/all.txt" | sort | uniq -d)
total=$(awk '{ print $1 }' "$work/all.txt" | sort -u | wc -l)
targets=$(printf '%s\n' "${have[@]}" | sed 's/-shared$//' | sort -u | tr '\n' ' ')
echo "one prefix: ${#have[@]} builds of the targets $targets- $total paths, $shared installed by more than one build, $failed differ"
[ "$failed" -eq 0 ]
