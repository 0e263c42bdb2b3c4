#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# check_symbols.sh NM LIBRARY... — fails when a library defines a global symbol outside rtcpm's
# namespace. Allowed: rtcpm_* and COM's own names (IID_/CLSID_/LIBID_/DIID_ GUIDs, the Sys*
# BSTR functions of the native runtime). Names that are no C identifier (MinGW's .refptr.*,
# gcc's __x86.get_pc_thunk.*) are the toolchain's, not ours.
nm_tool=$1
shift
[ $# -gt 0 ] || { echo "usage: check_symbols.sh NM LIBRARY..." >&2; exit 64; }
status=0
for lib in "$@"; do
    [ -f "$lib" ] || { echo "check_symbols: $lib: no such file" >&2; exit 1; }
    all=$("$nm_tool" -g --defined-only "$lib") || { echo "check_symbols: $nm_tool failed on $lib" >&2; exit 1; }
    # "VALUE TYPE NAME" lines; U (undefined) never appears with --defined-only.
    names=$(printf '%s\n' "$all" | awk 'NF == 3 { print $3 }' | grep -E '^[A-Za-z_][A-Za-z0-9_]*$' | sed 's/^_//')
    count=$(printf '%s\n' "$names" | grep -c . || true)
    bad=$(printf '%s\n' "$names" | grep -vE '^(rtcpm_|(IID|CLSID|LIBID|DIID)_|Sys[A-Z])' | grep . | sort -u)
    if [ -n "$bad" ]; then
        echo "check_symbols: $lib defines $(printf '%s\n' "$bad" | wc -l) global symbol(s) outside the rtcpm_ namespace:"
        printf '  %s\n' $bad
        status=1
    else
        echo "check_symbols: $lib: $count global symbols, all rtcpm_-prefixed or COM's own names"
    fi
    [ "$count" -gt 0 ] || { echo "check_symbols: $lib: no global symbols at all (wrong nm?)"; status=1; }
done
exit $status
