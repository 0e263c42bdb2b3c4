#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# exports.sh ENV — one public API, three lists that must agree:
#   the functions declared with RTCPM_API in the installed headers (rtcpm/*.h),
#   src/rtcpm.def (rtcpm.dll's exports: those functions + the IIDs as DATA),
#   what the built library offers: librtcpm.so's dynamic symbols / rtcpm.dll's export table
#   (exactly these, nothing more), or, for librtcpm.a, a definition of each.
# Natively librtcpm.so also exports the compat subset's RTCPM_API names (the BSTR runtime,
# IID_IUnknown), which the Windows SDK provides on Windows.
. "$1"
. "$(dirname "$0")/lib.sh"
w="$PKG_WORK/exports"
rm -rf "$w" && mkdir -p "$w"

# RTCPM_API declarations: "RTCPM_API <type> [*]name(" (functions) or "... const IID name;" (data)
api_names() {
    sed -n 's/^\(EXTERN_C \)\{0,1\}RTCPM_API [^(;]*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]*[(;].*/\2/p' "$@" | sort -u
}
api_names "$PKG_INC"/rtcpm/*.h >"$w/api"
grep -E '^[[:space:]]+[A-Za-z_][A-Za-z0-9_]*[[:space:]]*$' "$PKG_DEF" | tr -d ' \t' | sort -u >"$w/def.functions"
grep -E '^[[:space:]]+[A-Za-z_][A-Za-z0-9_]*[[:space:]]+DATA[[:space:]]*$' "$PKG_DEF" | awk '{print $1}' | sort -u >"$w/def.data"
sed -n 's/^DEFINE_GUID(\(IID_[A-Za-z0-9_]*\),.*/\1/p' "$PKG_INC/rtcpm/rtcpm_idl.h" | sort -u >"$w/iids"
echo "public API: $(wc -l <"$w/api") functions (RTCPM_API), $(wc -l <"$w/iids") IIDs"

check "some RTCPM_API functions found" test -s "$w/api"
# every rtcpm_ function a public header declares is public API: one without RTCPM_API would be
# hidden in librtcpm.so and missing from rtcpm.dll while the three lists still agreed
unmarked=$(grep -hE '^[A-Za-z_][A-Za-z0-9_ ]*[ *]rtcpm_[a-z0-9_]+[[:space:]]*\(' "$PKG_INC"/rtcpm/*.h |
    grep -vE '^(RTCPM_API|EXTERN_C RTCPM_API|typedef) ' | sed -E 's/.*[ *](rtcpm_[a-z0-9_]+)[[:space:]]*\(.*/\1/' |
    sort -u | tr '\n' ' ')
check_eq "functions declared in rtcpm/*.h without RTCPM_API" "" "$unmarked"
missing=$(comm -23 "$w/api" "$w/def.functions" | tr '\n' ' ')
check_eq "RTCPM_API functions missing from src/rtcpm.def" "" "$missing"
extra=$(comm -13 "$w/api" "$w/def.functions" | tr '\n' ' ')
check_eq "src/rtcpm.def names without an RTCPM_API declaration" "" "$extra"
check_eq "src/rtcpm.def DATA = the IIDs of rtcpm_idl.h" "$(cat "$w/iids")" "$(cat "$w/def.data")"

if [ "$PKG_KIND" != mingw ]; then
    api_names "$PKG_INC"/rtcpm/compat/*.h >"$w/compat"
    check "compat: the BSTR runtime is public" grep -qx SysAllocString "$w/compat"
fi
cat "$w/def.functions" "$w/def.data" >"$w/expected.tmp"
[ "$PKG_KIND" = mingw ] || cat "$w/compat" >>"$w/expected.tmp"
sort -u "$w/expected.tmp" >"$w/expected"

if [ "$PKG_SHARED" = 1 ] && [ "$PKG_KIND" = mingw ]; then
    # the export table: "[ n] +base[ m]  0x... name" lines after "[Ordinal/Name Pointer] Table"
    $PKG_OBJDUMP -p "$PKG_BIN/rtcpm.dll" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' |
        sed -n 's/^[[:space:]]*\[[[:space:]]*[0-9]*\][[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\)$/\1/p' | sort -u >"$w/built"
    what="rtcpm.dll's export table"
elif [ "$PKG_SHARED" = 1 ]; then
    # dynamic symbols defined by the library (the linker's own _edata/_end/__bss_start aside)
    $PKG_NM -D --defined-only "$PKG_LIB/librtcpm.so.$PKG_VERSION" | awk 'NF == 3 { print $3 }' | sed 's/@.*//' |
        grep -vE '^(_edata|_end|__bss_start|_init|_fini)$' | sort -u >"$w/built"
    what="librtcpm.so's dynamic symbols"
else
    # i686 MinGW decorates C names with a leading underscore
    $PKG_NM -g --defined-only "$PKG_LIB/librtcpm.a" | awk 'NF == 3 { print $3 }' | sed 's/^_//' | sort -u >"$w/all"
    comm -12 "$w/all" "$w/expected" >"$w/built"
    what="librtcpm.a's definitions"
fi
echo "$what: $(wc -l <"$w/built") names, expected $(wc -l <"$w/expected")"
check_eq "$what: missing" "" "$(comm -23 "$w/expected" "$w/built" | tr '\n' ' ')"
check_eq "$what: not public, yet exported" "" "$(comm -13 "$w/expected" "$w/built" | tr '\n' ' ')"
finish
