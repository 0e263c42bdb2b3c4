#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# pm_dns_check.sh WORKDIR RTCPM-PM — the port managers' servers by name (src/pm/pm_server over
# src/os/dns): a dnsmasq this test starts on 127.0.0.1:53 in a network namespace of its own
# (its /etc/netns/<ns>/resolv.conf points there: never the machine's resolver), coturn on
# 127.0.0.1:3479 as the STUN server the names lead to. rtcpm-pm natively, or the .exe under
# wine64 in a prefix started in that namespace.
#   STUN by name without a port: RFC 5389 9's SRV _stun._udp.<name> (-> port 3479), used
#   STUN by name with a port: A record
#   STUN name that does not resolve: refused when the port manager is made (exit 64, reason)
#   PCP server by name: resolved at the call (the reason names the address asked)
#   PCP name that does not resolve: RTC_E_PORT_MAPPING_FAILED at the call, with the reason
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../e2e/netns.sh"
work=$1 pm=$2
for t in dnsmasq turnserver; do command -v $t >/dev/null || e2e_skip "$t not installed (scripts/install-deps.sh)"; done
e2e_init "$work/run"
e2e_ns_add client
ns=$(e2e_ns client)
netns_etc=/etc/netns/$ns
trap 'rc=$?; rm -rf "$netns_etc"; (exit $rc); e2e_on_exit' EXIT
mkdir -p "$netns_etc"
printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:2\n' >"$netns_etc/resolv.conf"

e2e_spawn client dnsmasq dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --no-poll \
    --listen-address=127.0.0.1 --bind-interfaces --port=53 --pid-file= --log-queries --log-facility=- \
    --local=/test.example/ \
    --host-record=stun1.test.example,127.0.0.1 \
    --host-record=pcp.test.example,127.0.0.1 \
    --srv-host=_stun._udp.test.example,stun1.test.example,3479,0,0
e2e_spawn client turnserver turnserver -n --stun-only --no-cli --no-tls --no-dtls -L 127.0.0.1 -p 3479 \
    --log-file stdout --simple-log
for i in $(seq 100); do
    grep -q "started" "$E2E_RUN_DIR/dnsmasq.log" 2>/dev/null &&
        ip netns exec "$ns" ss -Hlun | awk '{print $4}' | grep -qx '127.0.0.1:3479' && break
    sleep 0.05
done
case "$pm" in *.exe) e2e_wine_start client ;; esac

fails=0
# run NAME COMMANDS ARGS...: rtcpm-pm with these stdin lines; output in NAME.out, exit in rc
run() {
    local name=$1 input=$2; shift 2
    printf '%b' "$input" >"$E2E_RUN_DIR/$name.in"
    case "$pm" in
        *.exe) e2e_exec client $(e2e_wine_env) "$E2E_WINE_LOADER" "$pm" "$@" <"$E2E_RUN_DIR/$name.in" ;;
        *) e2e_exec client "$pm" "$@" <"$E2E_RUN_DIR/$name.in" ;;
    esac >"$E2E_RUN_DIR/$name.out" 2>&1
    rc=$?
    sed -i 's/\r$//' "$E2E_RUN_DIR/$name.out"
    sed 's/^/  | /' "$E2E_RUN_DIR/$name.out"
}
expect() { # expect WHAT REGEX FILE
    if grep -qE "$2" "$E2E_RUN_DIR/$3.out"; then echo "PASS: $1"; else echo "FAIL: $1 (no /$2/)"; fails=$((fails + 1)); fi
}

run srv 'map udp sip\nquit\n' --stun test.example
expect "STUN by name, no port: SRV _stun._udp -> coturn on 3479" '^mapping 1 sip udp 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:[0-9]+$' srv
grep -q 'query\[SRV\] _stun._udp.test.example' "$E2E_RUN_DIR/dnsmasq.log" && echo "PASS: the SRV query reached our dnsmasq" ||
    { echo "FAIL: no SRV query in dnsmasq's log"; fails=$((fails + 1)); }
run a 'map udp sip\nquit\n' --stun stun1.test.example:3479
expect "STUN by name with a port: the A record" '^mapping 1 sip udp ' a
run missing 'quit\n' --stun missing.test.example
expect "a STUN name that does not resolve is refused when the object is made" \
    "servers: entry 1: cannot resolve 'missing.test.example': RTCPM_DNS_E_NOT_FOUND" missing
[ "$rc" = 64 ] && echo "PASS: exit 64" || { echo "FAIL: exit $rc, wanted 64"; fails=$((fails + 1)); }
run pcp 'map udp sip\nquit\n' --pcp pcp.test.example
expect "a PCP server by name is resolved at the call (127.0.0.1, nobody answers there)" \
    '^failed RTC_E_PORT_MAPPING_FAILED: no answer from 127\.0\.0\.1:5351 within' pcp
run pcpmissing 'map udp sip\nquit\n' --pcp missing.test.example
expect "a PCP name that does not resolve fails the call with the reason" \
    "^failed RTC_E_PORT_MAPPING_FAILED: cannot resolve 'missing.test.example': RTCPM_DNS_E_NOT_FOUND" pcpmissing
[ $fails -eq 0 ] && echo "pm_dns_check: passed" || echo "pm_dns_check: $fails check(s) failed (logs: $E2E_RUN_DIR)"
[ $fails -eq 0 ]
