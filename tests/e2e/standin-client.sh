#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# standin-client.sh — rtcpm-demo's command line, played by Debian's tools, so the end-to-end
# harness can be proven before rtcpm-demo exists and the cases stay the same once it does.
# Runs inside the client namespace.
#
#   standin-client.sh register --stun HOST[:PORT] --registrar HOST[:PORT] [options]
#   standin-client.sh call     --stun HOST[:PORT] --peer HOST[:PORT]      [options]
#     --local-port N        internal SIP port (default 5070)
#     --rtp-port N          internal RTP port (default 7078; RTCP is N+1)
#     --static-map T=IP:P   no STUN: a pre-configured external address for port type
#                           T = sip|rtp|rtcp (what a static port manager is given)
#     --contact lan         (test only) put the internal address into Contact / SDP
#
# STUN: turnutils_natdiscovery -m from the internal port itself (RFC 5780 mapping discovery);
# a mapping that depends on the destination is refused, as the STUN port manager must.
# SIP: sipp (uac_register.xml, uac_invite.xml). Media: udp_peer.py probe from the RTP port.
#
# stdout (the lines the e2e cases read — rtcpm-demo prints the same):
#   mapping sip|rtp|rtcp INT_IP:PORT -> EXT_IP:PORT
#   register: CODE REASON   |   call: CODE REASON
#   media: received from IP:PORT
# Exit: 0 final 2xx (call: and one media packet back), 1 the peer answered 4xx/5xx/6xx,
#       2 no answer (SIP or media), 3 port mapping failed (nothing was sent), 64 usage.
set -u

here=$(cd "$(dirname "$0")" && pwd)
python=${E2E_PYTHON:-/usr/bin/python3}
cmd=${1:-}; shift || true
stun="" registrar="" peer="" sip_port=5070 rtp_port=7078 contact=ext
declare -A static
while [ $# -gt 0 ]; do
    case "$1" in
        --stun) stun=$2; shift 2 ;;
        --registrar) registrar=$2; shift 2 ;;
        --peer) peer=$2; shift 2 ;;
        --local-port) sip_port=$2; shift 2 ;;
        --rtp-port) rtp_port=$2; shift 2 ;;
        --static-map) static[${2%%=*}]=${2#*=}; shift 2 ;;
        --contact) contact=$2; shift 2 ;;
        *) echo "standin-client: unknown option $1" >&2; exit 64 ;;
    esac
done
with_port() { case "$1" in *:*) echo "$1" ;; *) echo "$1:$2" ;; esac; }
case "$cmd" in
    register) [ -n "$registrar" ] || { echo "standin-client: register needs --registrar" >&2; exit 64; }
              target=$(with_port "$registrar" 5060) ;;
    call) [ -n "$peer" ] || { echo "standin-client: call needs --peer" >&2; exit 64; }
          target=$(with_port "$peer" 5060) ;;
    *) echo "usage: standin-client.sh register|call --stun HOST[:PORT] --registrar|--peer HOST[:PORT]" >&2; exit 64 ;;
esac
[ -n "$stun" ] || [ ${#static[@]} -gt 0 ] || { echo "standin-client: --stun or --static-map needed" >&2; exit 64; }

work=${E2E_STANDIN_DIR:-$(mktemp -d)}
mkdir -p "$work"
local_ip=$(ip -4 route get "${target%:*}" | sed -nE 's/.* src ([0-9.]+).*/\1/p')
[ -n "$local_ip" ] || { echo "standin-client: no route to ${target%:*}" >&2; exit 2; }

# map TYPE PORT -> sets ext (IP:PORT) or exits 3
map() {
    local type=$1 port=$2 out refl behaviour
    if [ -n "${static[$type]:-}" ]; then
        ext=${static[$type]}
    else
        out=$(timeout 10 turnutils_natdiscovery -m -p "$(with_port "$stun" 3478 | cut -d: -f2)" \
              -L "$local_ip" -l "$port" "${stun%:*}" 2>&1)
        echo "$out" >"$work/natdiscovery-$type.log"
        refl=$(sed -nE 's/.*UDP reflexive addr: ([0-9.]+:[0-9]+).*/\1/p' <<<"$out" | sort -u)
        behaviour=$(sed -nE 's/^NAT with (.*)!$/\1/p' <<<"$out")
        if [ -z "$refl" ]; then
            echo "mapping $type failed: no answer from the STUN server $stun" >&2; exit 3
        fi
        if [ "$behaviour" != "Endpoint Independent Mapping" ]; then
            echo "mapping $type failed: symmetric NAT (${behaviour:-unknown behaviour}: the external" \
                 "address depends on the destination: $(echo $refl)); a peer could not reach it" >&2
            exit 3
        fi
        ext=$(head -n1 <<<"$refl")
    fi
    echo "mapping $type $local_ip:$port -> $ext"
}

# sipp_run SCENARIO KEYS...: the scenario's "final CODE" log line decides.
sipp_run() {
    local sf=$1 rc final; shift
    rm -f "$work/$cmd.sipp.log"
    timeout 30 sipp -sf "$here/$sf" "$@" -i "$local_ip" -p "$sip_port" -m 1 -nostdin \
        -timeout 10s -timeout_error -default_behaviors all,-bye \
        -trace_logs -log_file "$work/$cmd.sipp.log" -trace_msg -message_file "$work/$cmd.msg" \
        "$target" >"$work/$cmd.sipp.out" 2>&1
    rc=$?
    final=$(sed -nE 's/^final ([0-9]+).*/\1/p' "$work/$cmd.sipp.log" 2>/dev/null | head -n1)
    if [ -z "$final" ]; then
        echo "$cmd: no answer from $target (sipp exit $rc)" >&2; exit 2
    fi
    reason=$(sed -nE "s/^SIP\/2.0 $final (.*)\r?$/\1/p" "$work/$cmd.msg" | head -n1 | tr -d '\r')
    echo "$cmd: $final $reason"
    [ "${final:0:1}" = 2 ] || exit 1
}

map sip "$sip_port"; sip_ext=$ext
[ "$contact" = lan ] && sip_ext=$local_ip:$sip_port
if [ "$cmd" = register ]; then
    sipp_run uac_register.xml -key contact "$sip_ext"
    exit 0
fi

map rtp "$rtp_port"; rtp_ext=$ext
map rtcp "$((rtp_port + 1))"; rtcp_ext=$ext
sdp_ip=${rtp_ext%:*}
[ "$contact" = lan ] && { sdp_ip=$local_ip; rtp_ext=$local_ip:$rtp_port; rtcp_ext=$local_ip:$((rtp_port + 1)); }
sipp_run uac_invite.xml -key contact "$sip_ext" -key sdp_ip "$sdp_ip" \
    -key rtp_port "${rtp_ext#*:}" -key rtcp_port "${rtcp_ext#*:}"
peer_media=$(sed -nE 's/^peer media ([0-9.]+:[0-9]+) .*/\1/p' "$work/call.sipp.log" | head -n1)
[ -n "$peer_media" ] || { echo "call: the answer has no media address" >&2; exit 1; }
out=$("$python" "$here/udp_peer.py" probe --bind "$local_ip:$rtp_port" --to "$peer_media" \
      --expect-from "$peer_media" --timeout 5)
rc=$?
echo "$out" >"$work/media.log"
case $rc in
    0) echo "media: $(sed -nE 's/^probe: (received from [0-9.]+:[0-9]+).*/\1/p' <<<"$out")" ;;
    2) echo "media: nothing came back from $peer_media" >&2; exit 2 ;;
    *) echo "media: $out" >&2; exit 1 ;;
esac
exit 0
