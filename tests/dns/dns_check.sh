#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# dns_check.sh WORKDIR PROBE — rtcpm's resolver (src/os/dns: getaddrinfo, res_query /
# DnsQuery_A; src/sip/sip_resolve: RFC 3263 SRV then A) against a dnsmasq this test starts on
# 127.0.0.1:53 inside a network namespace of its own, whose /etc/netns/<ns>/resolv.conf points
# there (`ip netns exec` mounts it over /etc/resolv.conf): never the machine's resolver.
# PROBE ending in .exe runs under wine64 in a Wine prefix started in that namespace.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../e2e/netns.sh"
work=$1 probe=$2
command -v dnsmasq >/dev/null || e2e_skip "dnsmasq not installed (Debian: dnsmasq-base; scripts/install-deps.sh)"
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
    --host-record=sip.test.example,198.18.5.10 \
    --host-record=both.test.example,198.18.5.20,2001:db8::20 \
    --host-record=sip1.test.example,198.18.5.11 \
    --host-record=sip2.test.example,198.18.5.12 \
    --host-record=nosrv.test.example,198.18.5.30 \
    --srv-host=_sip._udp.test.example,sip2.test.example,5080,20,0 \
    --srv-host=_sip._udp.test.example,sip1.test.example,5070,10,0 \
    --srv-host=_sip._tcp.test.example,sip1.test.example,5071,0,0 \
    --srv-host=_sip._udp.dead.test.example,missing.test.example,5060,0,0
# dnsmasq logs "started" once its socket is bound
for i in $(seq 100); do
    grep -q "started" "$E2E_RUN_DIR/dnsmasq.log" 2>/dev/null && break
    sleep 0.05
done
grep -q "started" "$E2E_RUN_DIR/dnsmasq.log" || { cat "$E2E_RUN_DIR/dnsmasq.log"; e2e_die "dnsmasq did not start"; }

args=(host sip.test.example host both.test.example host missing.test.example host 198.18.9.9 host 'bad..name'
      srv _sip._udp.test.example srv _sip._tcp.test.example srv _sip._udp.missing.test.example
      sip test.example udp sip test.example tcp sip sip.test.example:5090 udp sip nosrv.test.example udp
      sip '[2001:db8::1]' udp sip 198.18.0.1:5070 tcp sip missing.test.example udp sip dead.test.example udp)
expected=$(cat <<'OUT'
host sip.test.example -> 198.18.5.10
host both.test.example -> 198.18.5.20, 2001:db8::20
host missing.test.example -> RTCPM_DNS_E_NOT_FOUND
host 198.18.9.9 -> 198.18.9.9
host bad..name -> RTCPM_DNS_E_INVALID
srv _sip._udp.test.example -> sip1.test.example:5070/10/0, sip2.test.example:5080/20/0
srv _sip._tcp.test.example -> sip1.test.example:5071/0/0
srv _sip._udp.missing.test.example -> RTCPM_DNS_E_NOT_FOUND
sip test.example udp -> 198.18.5.11:5070, 198.18.5.12:5080
sip test.example tcp -> 198.18.5.11:5071
sip sip.test.example:5090 udp -> 198.18.5.10:5090
sip nosrv.test.example udp -> 198.18.5.30:5060
sip [2001:db8::1] udp -> [2001:db8::1]:5060
sip 198.18.0.1:5070 tcp -> 198.18.0.1:5070
sip missing.test.example udp -> 0x80EE0066
sip dead.test.example udp -> 0x80EE0066
OUT
)
t0=$(date +%s%N)
case "$probe" in
    *.exe)
        e2e_wine_start client
        got=$(e2e_wine_run client -- "$probe" "${args[@]}" 2>"$E2E_RUN_DIR/probe.err" | tr -d '\r') ;;
    *)
        got=$(e2e_exec client "$probe" "${args[@]}" 2>"$E2E_RUN_DIR/probe.err") ;;
esac
rc=$?
e2e_log "probe took $((($(date +%s%N) - t0) / 1000000)) ms"
if [ $rc -ne 0 ] || [ "$got" != "$expected" ]; then
    echo "probe exit $rc; got:"; echo "$got"; echo "want:"; echo "$expected"
    echo "--- diff"; diff <(echo "$expected") <(echo "$got")
    echo "--- stderr"; cat "$E2E_RUN_DIR/probe.err"; echo "--- dnsmasq"; tail -40 "$E2E_RUN_DIR/dnsmasq.log"
    exit 1
fi
# every name was asked of our dnsmasq (the resolver really went there)
grep -q "query\[SRV\] _sip._udp.test.example from 127.0.0.1" "$E2E_RUN_DIR/dnsmasq.log" ||
    e2e_die "dnsmasq never saw the SRV query"
echo "dns_check: ${#expected} bytes of results as expected ($probe)"
