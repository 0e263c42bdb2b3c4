# SPDX-License-Identifier: LGPL-2.1-or-later
# cases_natpm.sh — the end-to-end cases of the negotiated mappings (PCP, NAT-PMP, UPnP IGD),
# sourced by case.sh: miniupnpd (tests/e2e/miniupnpd.sh) in the router namespace, behind the
# symmetric NAT (MASQUERADE --random-fully) where the STUN port manager must refuse.
#
# Harness self-tests (Debian's clients, natpmpc and upnpc, in the client namespace):
#   natpmpc_map        NAT-PMP mapping: DNAT rule in the router, a stranger's packet (second
#                      public address) reaches the client's internal port; lifetime 0 removes
#                      the rule and a new stranger flow is dropped; no lease left
#   upnpc_map          the same through UPnP IGD (upnpc -u URL -a / -d)
#   miniupnpd_restart  a router restart without leases: the rule is gone, an ANNOUNCE (PCP,
#                      epoch 0) reaches 224.0.0.1:5350 in the client namespace, mapping again works

natpm_setup() {
    net_up --nat symmetric
    e2e_stun_start
    e2e_miniupnpd_start
}

# natpm_no_leftovers: nothing of the run is left in miniupnpd (rules and lease file).
natpm_no_leftovers() {
    check "no DNAT rule left in miniupnpd's chain" eq "$(e2e_miniupnpd_rules)" ""
    check "no lease left in miniupnpd's lease file" eq "$(e2e_miniupnpd_leases)" ""
}

case_natpmpc_map() {
    natpm_setup
    e2e_exec client timeout 10 natpmpc -g "$E2E_LAN_ROUTER" -a 30000 30000 udp 120 >"$E2E_RUN_DIR/map.log" 2>&1
    sed 's/^/  | /' "$E2E_RUN_DIR/map.log"
    local ext
    ext=$(sed -nE 's/^Mapped public port ([0-9]+) protocol UDP to local port 30000 .*/\1/p' "$E2E_RUN_DIR/map.log")
    check "natpmpc got a mapping for local port 30000" eq "${ext:+yes}" yes
    check "miniupnpd's chain holds the DNAT rule" eq "$(e2e_miniupnpd_rules udp)" \
        "udp $E2E_WAN_ROUTER:$ext -> $E2E_LAN_CLIENT:30000"
    check "a stranger's packet to $E2E_WAN_ROUTER:$ext reaches the client's port 30000" \
        e2e_forward_probe fwd1 30000 "$E2E_WAN_ROUTER:$ext" 40002 arrives
    e2e_exec client timeout 10 natpmpc -g "$E2E_LAN_ROUTER" -a 30000 30000 udp 0 >"$E2E_RUN_DIR/unmap.log" 2>&1
    check "lifetime 0 removed the rule" eq "$(e2e_miniupnpd_rules)" ""
    check "a new stranger flow is dropped now" e2e_forward_probe fwd2 30000 "$E2E_WAN_ROUTER:$ext" 40003 filtered
    natpm_no_leftovers
}

case_upnpc_map() {
    natpm_setup
    e2e_exec client timeout 20 upnpc -u "$E2E_UPNP_URL" -a "$E2E_LAN_CLIENT" 30002 30002 UDP 120 \
        >"$E2E_RUN_DIR/map.log" 2>&1
    sed 's/^/  | /' "$E2E_RUN_DIR/map.log"
    check "upnpc: external $E2E_WAN_ROUTER:30002 redirected to $E2E_LAN_CLIENT:30002" has "$E2E_RUN_DIR/map.log" \
        "external $(e2e_re_ip "$E2E_WAN_ROUTER"):30002 UDP is redirected to internal $(e2e_re_ip "$E2E_LAN_CLIENT"):30002"
    check "miniupnpd's chain holds the DNAT rule" eq "$(e2e_miniupnpd_rules udp)" \
        "udp $E2E_WAN_ROUTER:30002 -> $E2E_LAN_CLIENT:30002"
    check "a stranger's packet reaches the client's port 30002" \
        e2e_forward_probe fwd1 30002 "$E2E_WAN_ROUTER:30002" 40002 arrives
    e2e_exec client timeout 20 upnpc -u "$E2E_UPNP_URL" -d 30002 UDP >"$E2E_RUN_DIR/unmap.log" 2>&1
    check "DeletePortMapping removed the rule" eq "$(e2e_miniupnpd_rules)" ""
    check "a new stranger flow is dropped now" e2e_forward_probe fwd2 30002 "$E2E_WAN_ROUTER:30002" 40003 filtered
    natpm_no_leftovers
}

case_miniupnpd_restart() {
    natpm_setup
    e2e_exec client timeout 10 natpmpc -g "$E2E_LAN_ROUTER" -a 30000 30000 udp 120 >"$E2E_RUN_DIR/map.log" 2>&1
    check "mapped before the restart" eq "$(e2e_miniupnpd_rules udp | wc -l)" 1
    e2e_spawn client announce "$E2E_PYTHON" "$E2E_DIR/udp_peer.py" listen --bind 0.0.0.0:5350 --group 224.0.0.1 \
        --expect-from "$E2E_LAN_ROUTER:any" --timeout 10 --ready-file "$E2E_RUN_DIR/announce.ready"
    e2e_wait_file "$E2E_RUN_DIR/announce.ready" || e2e_die "ANNOUNCE listener did not start"
    e2e_miniupnpd_restart_clean
    e2e_wait announce 12; local rc=$?
    sed 's/^/  | /' "$E2E_RUN_DIR/announce.log"
    check "an unsolicited datagram from the router reached 224.0.0.1:5350" eq "$rc" 0
    # version 2, R bit + opcode ANNOUNCE (0x80), result SUCCESS, lifetime 0, epoch 0
    check "it is a PCP ANNOUNCE response with epoch 0" has "$E2E_RUN_DIR/announce.log" \
        'bytes: 0280000000000000000000000'
    check "the rule is gone after the restart" eq "$(e2e_miniupnpd_rules)" ""
    e2e_exec client timeout 10 natpmpc -g "$E2E_LAN_ROUTER" -a 30000 30000 udp 0 >/dev/null 2>&1
    natpm_no_leftovers
}
