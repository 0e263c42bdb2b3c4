#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# rtcuuid_symbols.sh NM LIBRTCUUID — librtcuuid.a defines the RTC GUIDs and nothing else: every
# global symbol is an IID_IRTC*, DIID_IRTC*, CLSID_RTC* or LIBID_RTC* (<initguid.h> included
# before the Windows headers would define their ~385 GUIDs too, IID_IUnknown and all, in
# COMDAT sections of every application that links it), and there are at least the 62 of
# rtc_guids.c plus widl's port-management IIDs.
nm_tool=$1 lib=$2
[ -f "$lib" ] || { echo "rtcuuid_symbols: $lib: no such file"; exit 1; }
names=$("$nm_tool" -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' | sed 's/^_//') || exit 1
count=$(printf '%s\n' "$names" | grep -c .)
bad=$(printf '%s\n' "$names" | grep -vE '^(IID_IRTC|DIID_IRTC|CLSID_RTC|LIBID_RTC)' | grep . | sort -u)
if [ -n "$bad" ]; then
    echo "rtcuuid_symbols: FAIL: $lib defines $(printf '%s\n' "$bad" | wc -l) symbol(s) that are no RTC GUID, e.g.:"
    printf '%s\n' "$bad" | head -n 5 | sed 's/^/  /'
    exit 1
fi
[ "$count" -ge 65 ] || { echo "rtcuuid_symbols: FAIL: only $count symbols"; exit 1; }
echo "rtcuuid_symbols: $count symbols, every one an RTC GUID"
