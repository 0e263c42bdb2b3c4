#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# rtc_regsvr32.sh — `wine regsvr32 rtcdll.dll` in a FRESH prefix is all an application needs
# (CTest rtc_regsvr32):
#   1. fresh prefix: CoCreateInstance(CLSID_RTCClient) fails, class not registered;
#   2. regsvr32: the class (InprocServer32, ThreadingModel=Apartment, TypeLib), the type
#      library, the port-management proxy/stub and the event interfaces' marshaler are in the
#      registry;
#   3. rtc_registration (no --dll: CoCreateInstance) registers against sipp on loopback with
#      its OWN C++ port manager, an apartment-bound object in its STA that the client's worker
#      thread can only call through the registered proxy/stub;
#   4. regsvr32 /u: every key is gone, CoCreateInstance fails again.
# Before regsvr32, the DLL loaded by hand (--dll) with that port manager: the registration ends
# in ERROR with REGDB_E_IIDNOTREG and the port manager is never called.
#
#   rtc_regsvr32.sh WINE_RUN PREFIX SAMPLES_BIN DLL SIPP_DIR
set -u
wine_run=$1 prefix=$2 bindir=$3 dll=$4 sippdir=$5
exe=$bindir/rtc_registration.exe
python=${PYTHON:-/usr/bin/python3}
# the type library's platform key: win32 for an i686 rtcdll.dll, win64 for x86_64 (PE machine field)
tlb_platform=$("$python" -c 'import struct,sys; d=open(sys.argv[1],"rb").read(4096); o=struct.unpack_from("<I",d,60)[0]; print("win32" if struct.unpack_from("<H",d,o+4)[0]==0x14c else "win64")' "$dll")

out=$("$wine_run" --loader "$exe")
rc=$?
[ $rc -eq 0 ] || { echo "$out"; exit $rc; }
loader=$out
command -v sipp >/dev/null || { echo "SKIPPED: sipp not installed (sip-tester)"; exit 77; }

fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
die() { echo "rtc_regsvr32: FAIL: $*"; exit 1; }
wine() { WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY= "$loader" "$@" </dev/null; }
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
# reg_value KEY [VALUE]: the data of a value ("" for the default one), empty when absent
reg_value() {
    local r
    if [ $# -ge 2 ]; then r=$(wine reg query "$1" /v "$2" 2>/dev/null); else r=$(wine reg query "$1" /ve 2>/dev/null); fi
    printf '%s\n' "$r" | tr -d '\r' | awk '/REG_SZ/ {sub(/^.*REG_SZ[ \t]+/, ""); print; exit}'
}

CLIENT='HKCR\CLSID\{7A42EA29-A2B7-40C4-B091-F6F024AA89BE}'
TYPELIB='HKCR\TypeLib\{CD260094-DE10-4AEE-AC73-EF87F6E12683}\1.2'
PM_IFACE='HKCR\Interface\{DA77C14B-6208-43CA-8DDF-5B60A0A69FAC}'      # IRTCPortManager
PM3_IFACE='HKCR\Interface\{95832724-4221-480C-9D15-B376D28E9E3D}'     # IRTCPortManager3
EVENT_IFACE='HKCR\Interface\{62D0991B-50AB-4F02-B948-CA94F26F8F95}'   # IRTCRegistrationStateChangeEvent
PS_CLSID='{13663B06-2B9A-47C5-AA73-D3276EECFAD0}'

rm -rf "$prefix" "$prefix.wineboot.log" "$prefix.wineserver.log"
"$wine_run" --start "$prefix" >/dev/null || die "could not make the prefix $prefix"
work=$prefix.work
rm -rf "$work"
mkdir -p "$work"
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    "$wine_run" --stop "$prefix" >/dev/null 2>&1
}
trap cleanup EXIT

run_sample() { # args...: rc, $work/out.txt
    "$wine_run" "$prefix" "$exe" "$@" >"$work/out.txt" 2>"$work/err.txt" </dev/null
    rc=$?
    sed -i 's/\r$//' "$work/out.txt" "$work/err.txt"
}

echo "== fresh prefix: RTCClient is not registered"
run_sample --registrar 127.0.0.1:9 --timeout 2000
[ "$rc" = 2 ] && grep -q "0x80040154" "$work/err.txt" && pass "CoCreateInstance: REGDB_E_CLASSNOTREG" \
    || { fail "fresh prefix: exit $rc"; cat "$work/err.txt"; }
[ -z "$(reg_value "$CLIENT\\InprocServer32")" ] && pass "no class key yet" || fail "class key in a fresh prefix"

windll=$(winpath "$dll")
echo "== the DLL loaded by hand: the client's worker cannot reach the STA port manager yet"
run_sample --dll "$windll" --registrar 127.0.0.1:9 --own-pm 127.0.0.1,127.0.0.1 --sip-port 5999 --timeout 5000
grep -qF "event registration RTCRS_ERROR 0x80040155" "$work/out.txt" && ! grep -q "^pm GetMappingEx" "$work/out.txt" \
    && pass "without the proxy/stub: ERROR REGDB_E_IIDNOTREG, the port manager is never called, nothing sent" \
    || { fail "unregistered proxy: exit $rc"; cat "$work/out.txt"; }

echo "== regsvr32 $windll"
wine regsvr32 /s "$windll" || fail "regsvr32 exited with $?"
v=$(reg_value "$CLIENT\\InprocServer32")
[ "${v,,}" = "${windll,,}" ] && pass "InprocServer32 = $v" || fail "InprocServer32 = '$v', want $windll"
v=$(reg_value "$CLIENT\\InprocServer32" ThreadingModel)
[ "$v" = Apartment ] && pass "ThreadingModel = Apartment" || fail "ThreadingModel = '$v'"
v=$(reg_value "$CLIENT\\TypeLib")
[ "$v" = "{CD260094-DE10-4AEE-AC73-EF87F6E12683}" ] && pass "TypeLib = $v" || fail "TypeLib = '$v'"
v=$(reg_value "$TYPELIB\\0\\$tlb_platform")
[ -n "$v" ] && pass "type library 1.2 registered ($v)" || fail "no $TYPELIB\\0\\$tlb_platform"
for key in "$PM_IFACE" "$PM3_IFACE"; do
    v=$(reg_value "$key\\ProxyStubClsid32")
    [ "$v" = "$PS_CLSID" ] && pass "$key: proxy/stub in rtcdll.dll" || fail "$key\\ProxyStubClsid32 = '$v'"
done
v=$(reg_value "HKCR\\CLSID\\$PS_CLSID\\InprocServer32")
[ "${v,,}" = "${windll,,}" ] && pass "the proxy/stub factory is rtcdll.dll" || fail "proxy/stub factory = '$v'"
v=$(reg_value "$EVENT_IFACE\\ProxyStubClsid32")
[ "$v" = "{00020424-0000-0000-C000-000000000046}" ] && pass "event interfaces: typelib marshaler" \
    || fail "$EVENT_IFACE\\ProxyStubClsid32 = '$v'"

echo "== a registration through CoCreateInstance, the application's own port manager in its STA"
. "$(dirname "$0")/../free_ports.sh"
reg=$(free_port) sip=$(free_port)
sed "s|@CONTACT_RE@|127\\\\.0\\\\.0\\\\.1:$sip|" "$sippdir/reg_plain.xml.in" >"$work/reg.xml"
sipp -sf "$work/reg.xml" -i 127.0.0.1 -p "$reg" -m 1 -nostdin -timeout 30s -timeout_error >"$work/sipp.out" 2>&1 </dev/null &
sipp_pid=$!
pids+=($sipp_pid)
for _ in $(seq 100); do ss -Hlun | awk '{print $4}' | grep -qxF "127.0.0.1:$reg" && break; sleep 0.05; done
run_sample --registrar "127.0.0.1:$reg" --own-pm 127.0.0.1,127.0.0.1 --sip-port "$sip"
wait "$sipp_pid"
sipp_rc=$?
[ "$rc" = 0 ] && pass "rtc_registration: exit 0" || { fail "rtc_registration: exit $rc"; cat "$work/out.txt" "$work/err.txt"; }
[ "$sipp_rc" = 0 ] && pass "sipp: REGISTER and Expires 0, Contact 127.0.0.1:$sip" || fail "sipp exit $sipp_rc"
grep -qF "pm GetMappingEx(127.0.0.1, $reg, UDP, SIP) -> S_OK internal 127.0.0.1:$sip external 127.0.0.1:$sip" "$work/out.txt" \
    && pass "the STA port manager was called (through the proxy)" || { fail "no GetMappingEx line"; cat "$work/out.txt"; }
grep -qF "event registration RTCRS_REGISTERED" "$work/out.txt" && pass "REGISTERED" || fail "not REGISTERED"
grep -qF "pm ReleaseMappingEx(UDP, internal 127.0.0.1:$sip, external 127.0.0.1:$sip) -> S_OK" "$work/out.txt" && pass "released" \
    || fail "no ReleaseMappingEx"

echo "== regsvr32 /u"
wine regsvr32 /s /u "$windll" || fail "regsvr32 /u exited with $?"
for key in "$CLIENT\\InprocServer32" "$TYPELIB\\0\\$tlb_platform" "$PM_IFACE\\ProxyStubClsid32" "$PM3_IFACE\\ProxyStubClsid32" \
    "HKCR\\CLSID\\$PS_CLSID\\InprocServer32" "$EVENT_IFACE\\ProxyStubClsid32"; do
    [ -z "$(reg_value "$key")" ] && pass "gone: $key" || fail "still there: $key"
done
run_sample --registrar 127.0.0.1:9 --timeout 2000
[ "$rc" = 2 ] && grep -q "0x80040154" "$work/err.txt" && pass "CoCreateInstance fails again" || fail "after /u: exit $rc"

trap - EXIT
cleanup
[ "$fails" = 0 ] && rm -rf "$prefix" "$prefix.wineboot.log" "$prefix.wineserver.log" "$work"
echo "rtc_regsvr32: $fails failed"
[ "$fails" = 0 ]
