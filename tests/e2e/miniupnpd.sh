# SPDX-License-Identifier: LGPL-2.1-or-later
# miniupnpd.sh — a router that negotiates mappings: Debian's miniupnpd (nftables build) in the
# router namespace, speaking PCP and NAT-PMP on 198.18.1.1:5351 and UPnP IGD on
# http://198.18.1.1:5000/rootDesc.xml. Sourced after netns.sh and peers.sh.
#
#   e2e_miniupnpd_start [--keep-leases]  nftables tables, config, then miniupnpd -d (NAME
#                                        miniupnpd); it needs coturn on both public addresses
#                                        (e2e_stun_start) for its start-up STUN test: 198.19/16
#                                        is on its list of reserved addresses, so it must learn
#                                        that its WAN address is public, by an RFC 5780 test
#   e2e_miniupnpd_stop                   SIGTERM (the DNAT rules stay, as on a real router)
#   e2e_miniupnpd_restart_clean          stop, forget everything (rules and lease file), start:
#                                        a router that rebooted; it announces itself (PCP
#                                        ANNOUNCE to 224.0.0.1:5350, epoch 0)
#   e2e_miniupnpd_rules [PROTO]          the DNAT rules of its chain, one per line:
#                                        "udp 198.19.1.1:PORT -> 198.18.1.2:PORT"
#   e2e_miniupnpd_leases                 its lease file (what it would restore at start)
#   e2e_miniupnpd_ready                  0 when it answers NAT-PMP (natpmpc from the client)
#
# Facts (../shared/TOOLCHAIN.md "Negotiated mappings"): miniupnpd makes no nftables tables of
# its own; a symmetric NAT (MASQUERADE --random-fully) must be limited to the LAN's sources
# (netns.sh does) or the router's own STUN test sees a symmetric NAT and it disables
# forwarding; PREFER_FAILURE is ignored (a taken port is answered with another one).
# Everything lives in the run dir and the router namespace: teardown (netns.sh) kills the
# process and deleting the namespace deletes the tables.

E2E_PCP_PORT=5351
E2E_UPNP_HTTP_PORT=5000
E2E_UPNP_URL="http://$E2E_LAN_ROUTER:$E2E_UPNP_HTTP_PORT/rootDesc.xml"
E2E_MINIUPNPD_MAX_LIFETIME=${E2E_MINIUPNPD_MAX_LIFETIME:-3600}
E2E_MINIUPNPD_MIN_LIFETIME=${E2E_MINIUPNPD_MIN_LIFETIME:-20}

# The tables and chains miniupnpd's config below names (one statement per line: nft's
# one-line `{ ...; jump x }` form is a syntax error here).
e2e_miniupnpd_nft() {
    cat <<'EOF'
table inet filter {
    chain miniupnpd {
    }
    chain prerouting_miniupnpd {
    }
    chain postrouting_miniupnpd {
    }
    chain forward {
        type filter hook forward priority 0
        policy accept
        jump miniupnpd
    }
    chain prerouting {
        type nat hook prerouting priority -100
        policy accept
        jump prerouting_miniupnpd
    }
    chain postrouting {
        type nat hook postrouting priority 100
        policy accept
        jump postrouting_miniupnpd
    }
}
EOF
}

e2e_miniupnpd_conf() {
    cat <<EOF
ext_ifname=wan0
listening_ip=lan0
http_port=$E2E_UPNP_HTTP_PORT
enable_natpmp=yes
enable_upnp=yes
ext_perform_stun=yes
ext_stun_host=$E2E_WAN_PUBLIC
ext_stun_port=$E2E_STUN_PORT
upnp_table_name=filter
upnp_nat_table_name=filter
upnp_forward_chain=miniupnpd
upnp_nat_chain=prerouting_miniupnpd
upnp_nat_postrouting_chain=postrouting_miniupnpd
system_uptime=no
secure_mode=yes
notify_interval=60
clean_ruleset_interval=600
lease_file=$E2E_RUN_DIR/miniupnpd/leases
min_lifetime=$E2E_MINIUPNPD_MIN_LIFETIME
max_lifetime=$E2E_MINIUPNPD_MAX_LIFETIME
uuid=3d3cec3a-8cf0-11e0-98ee-001a6bd2d07b
allow 1024-65535 ${E2E_LAN_CLIENT%.*}.0/24 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
EOF
}

e2e_miniupnpd_start() {
    local keep=0 dir=$E2E_RUN_DIR/miniupnpd r i
    [ "${1:-}" = --keep-leases ] && keep=1
    command -v miniupnpd >/dev/null || e2e_die "miniupnpd not found (miniupnpd-nftables; scripts/install-deps.sh)"
    command -v nft >/dev/null || e2e_die "nft not found (nftables; scripts/install-deps.sh)"
    r=$(e2e_ns router)
    mkdir -p "$dir"
    [ $keep -eq 1 ] || rm -f "$dir/leases"
    e2e_miniupnpd_conf >"$dir/miniupnpd.conf"
    if ! ip netns exec "$r" nft list table inet filter >/dev/null 2>&1; then
        e2e_miniupnpd_nft >"$dir/tables.nft"
        ip netns exec "$r" nft -f "$dir/tables.nft" || e2e_die "could not load $dir/tables.nft in $r"
    fi
    e2e_spawn router miniupnpd miniupnpd -d -f "$dir/miniupnpd.conf" -P "$dir/daemon.pid"
    # ready: its STUN test passed and it listens for PCP/NAT-PMP and HTTP
    for i in $(seq 100); do
        if ip netns exec "$r" ss -Hlun 2>/dev/null | awk '{print $4}' | grep -qxF "$E2E_LAN_ROUTER:$E2E_PCP_PORT" &&
            ip netns exec "$r" ss -Hltn 2>/dev/null | awk '{print $4}' | grep -qE ":$E2E_UPNP_HTTP_PORT\$"; then
            break
        fi
        e2e_running "$(e2e_pid miniupnpd)" || break
        sleep 0.05
    done
    e2e_running "$(e2e_pid miniupnpd 2>/dev/null)" ||
        e2e_die "miniupnpd exited at start (see $E2E_RUN_DIR/miniupnpd.log)"
    # It decides on forwarding after its STUN test; "disabling" means every request would fail.
    for i in $(seq 40); do
        grep -qE 'STUN: ' "$E2E_RUN_DIR/miniupnpd.log" && break
        sleep 0.05
    done
    if grep -qiE 'disabling (port )?forwarding|is reserved|behind restrictive' "$E2E_RUN_DIR/miniupnpd.log"; then
        sed 's/^/  | /' "$E2E_RUN_DIR/miniupnpd.log" >&2
        e2e_die "miniupnpd disabled forwarding (its STUN test failed: is coturn up on both public addresses?)"
    fi
    E2E_MINIUPNPD_UP_MS=$(($(date +%s%N) / 1000000))
    e2e_log "miniupnpd on $E2E_LAN_ROUTER: PCP/NAT-PMP :$E2E_PCP_PORT, UPnP $E2E_UPNP_URL (lease file $dir/leases)"
}

e2e_miniupnpd_stop() {
    e2e_stop miniupnpd
    # keep what it said across restarts
    [ -f "$E2E_RUN_DIR/miniupnpd.log" ] &&
        cat "$E2E_RUN_DIR/miniupnpd.log" >>"$E2E_RUN_DIR/miniupnpd.all.log" && rm -f "$E2E_RUN_DIR/miniupnpd.log"
    return 0
}

# A router that lost its state: no process, no rules, no leases; then a fresh start.
e2e_miniupnpd_restart_clean() {
    local r wait_ms
    r=$(e2e_ns router)
    # A client tells a restart by the epoch (RFC 6887 8.5): the new server's epoch must fall
    # behind the old one's. A router restarted within ~2 s of its start announces epoch 0
    # after epoch 0 or 1, a difference the rule must allow, and nothing is re-created (seen:
    # "announcement ..., epoch 0" and no request). So the old one has been up 4 s.
    wait_ms=$((4000 - ($(date +%s%N) / 1000000 - ${E2E_MINIUPNPD_UP_MS:-0})))
    [ "$wait_ms" -le 0 ] || sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"
    e2e_miniupnpd_stop
    for c in miniupnpd prerouting_miniupnpd postrouting_miniupnpd; do
        ip netns exec "$r" nft flush chain inet filter "$c" || e2e_die "could not flush chain $c"
    done
    rm -f "$E2E_RUN_DIR/miniupnpd/leases"
    e2e_miniupnpd_start
}

# e2e_miniupnpd_rules [PROTO]: "udp 198.19.1.1:40000 -> 198.18.1.2:30000" per DNAT rule. The
# nftables build writes the protocol as the IP header's byte 9 (@nh,72,8: 0x11 UDP, 0x6 TCP).
e2e_miniupnpd_rules() {
    local proto=${1:-} p n port to
    ip netns exec "$(e2e_ns router)" nft list chain inet filter prerouting_miniupnpd 2>/dev/null |
        sed -nE 's/.*@nh,72,8 (0x[0-9a-f]+) .*dport ([0-9]+) .*dnat ip to ([0-9.]+:[0-9]+).*/\1 \2 \3/p' |
        while read -r n port to; do
            case "$n" in 0x11) p=udp ;; 0x6) p=tcp ;; *) p=$n ;; esac
            [ -z "$proto" ] || [ "$p" = "$proto" ] || continue
            echo "$p $E2E_WAN_ROUTER:$port -> $to"
        done
}

e2e_miniupnpd_leases() { cat "$E2E_RUN_DIR/miniupnpd/leases" 2>/dev/null; }

e2e_miniupnpd_ready() {
    e2e_exec client timeout 5 natpmpc -g "$E2E_LAN_ROUTER" >"$E2E_RUN_DIR/natpmpc-ready.log" 2>&1 &&
        grep -q "Public IP address : $E2E_WAN_ROUTER" "$E2E_RUN_DIR/natpmpc-ready.log"
}

# e2e_forward_probe NAME INT_PORT EXT_IP:EXT_PORT STRANGER_PORT arrives|filtered
# A packet from the second public address (a stranger: the client never sent to it) to the
# router's EXT_IP:EXT_PORT must reach the client's socket INT_PORT (arrives), or must not
# (filtered, within 1.5 s). Each probe should use its own STRANGER_PORT: conntrack keeps a
# flow's NAT decision for the flow's life, so a second packet of an old flow would still be
# forwarded after the rule is gone (as on any Linux router). 0 when it went as wanted.
e2e_forward_probe() {
    local name=$1 int=$2 ext=$3 sport=$4 want=$5 rc
    rm -f "$E2E_RUN_DIR/$name.ready"
    if [ "$want" = arrives ]; then
        e2e_spawn client "$name" "$E2E_PYTHON" "$E2E_DIR/udp_peer.py" listen --bind "$E2E_LAN_CLIENT:$int" \
            --expect-from "$E2E_WAN_PUBLIC2:$sport" --timeout 5 --ready-file "$E2E_RUN_DIR/$name.ready"
    else
        e2e_spawn client "$name" "$E2E_PYTHON" "$E2E_DIR/udp_peer.py" expect-none --bind "$E2E_LAN_CLIENT:$int" \
            --timeout 1.5 --ready-file "$E2E_RUN_DIR/$name.ready"
    fi
    e2e_wait_file "$E2E_RUN_DIR/$name.ready" || e2e_die "listener on $E2E_LAN_CLIENT:$int did not start"
    e2e_exec public "$E2E_PYTHON" "$E2E_DIR/udp_peer.py" send --bind "$E2E_WAN_PUBLIC2:$sport" --to "$ext" \
        >"$E2E_RUN_DIR/$name.send.log" 2>&1
    e2e_wait "$name" 10; rc=$?
    sed 's/^/  | /' "$E2E_RUN_DIR/$name.send.log" "$E2E_RUN_DIR/$name.log"
    return $rc
}
