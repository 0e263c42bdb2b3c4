#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# rtc_trace.sh WORKDIR TEST_EXE [runner...] — the rtc trace channel as a user switches it on:
# runs the rtc_profile suite with RTCPM_DEBUG=+rtc and checks that rtcdll's COM methods trace
# their entry with their arguments (Wine's "(%p)->(...)" shape), AddRef/Release their count,
# and that no secret reaches the trace (a password is "(hidden)", the XML only its length).
set -u
work=${1:?usage: rtc_trace.sh WORKDIR TEST_EXE [runner...]}
exe=${2:?usage: rtc_trace.sh WORKDIR TEST_EXE [runner...]}
shift 2
mkdir -p "$work" || exit 1
log="$work/trace.log"
RTCPM_DEBUG=+rtc "$@" "$exe" >"$work/suite.out" 2>"$work/stderr.txt"
rc=$?
tr -d '\r' <"$work/stderr.txt" >"$log" # the C runtime of Windows ends lines with CRLF
[ $rc -eq 77 ] && { cat "$work/suite.out"; exit 77; }
[ $rc -eq 0 ] || { cat "$work/suite.out"; echo "rtc_trace: the suite failed with RTCPM_DEBUG=+rtc (exit $rc)"; exit 1; }

status=0
p='[0-9A-Fa-fx]+' # %p: 0x... natively, bare hex under MinGW's printf
expect() {
    if grep -Eq "$1" "$log"; then
        echo "rtc_trace: found $2"
    else
        echo "rtc_trace: MISSING $2 (/$1/)"
        status=1
    fi
}
expect "^rtcpm:rtc:client_InitializeEx \\($p\\)->\\(0\\)\$" "client_InitializeEx's entry with its flags"
expect "^rtcpm:rtc:prov_CreateProfile \\($p\\)->\\(<XML of [1-9][0-9]* characters>, $p\\)\$" \
    "prov_CreateProfile's entry (the XML by its length)"
expect "^rtcpm:rtc:profile_SetCredentials \\($p\\)->\\(L\"sip:bob@example.net\", L\"bob\", \\(hidden\\)\\)\$" \
    "profile_SetCredentials' entry (BSTRs quoted, the password hidden)"
expect "^rtcpm:rtc:profile_SetCredentials \\($p\\)->\\(\\(null\\), \\(null\\), \\(null\\)\\)\$" \
    "profile_SetCredentials' entry with NULL BSTRs"
expect "^rtcpm:rtc:profile_get_ProviderURI \\($p\\)->\\(5, $p\\)\$" "profile_get_ProviderURI's entry with its index"
expect "^rtcpm:rtc:profile_get_Key \\($p\\)->\\($p\\)\$" "a macro-made getter's entry (profile_get_Key)"
expect "^rtcpm:rtc:profile_pm_SetPortManager \\($p\\)->\\($p\\)\$" "profile_pm_SetPortManager's entry"
expect "^rtcpm:rtc:profile_QueryInterface \\($p\\)->\\(\\{[0-9a-f-]{36}\\}, $p\\)\$" "QueryInterface's entry with its IID"
expect "^rtcpm:rtc:profile_AddRef \\($p\\) ref=[0-9]+\$" "AddRef's new count"
expect "^rtcpm:rtc:profile_Release \\($p\\) ref=[0-9]+\$" "Release's new count"
# no secret: the suite's passwords are "pw" (in its XML) and "bob" (SetCredentials)
if grep -Eq 'password|L"pw"' "$log"; then
    echo "rtc_trace: a password reached the trace:"
    grep -E 'password|L"pw"' "$log" | head -5
    status=1
fi
echo "rtc_trace: $(grep -c '^rtcpm:rtc:' "$log") rtc trace lines"
exit $status
