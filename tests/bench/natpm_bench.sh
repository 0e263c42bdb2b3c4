#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# natpm_bench.sh — benchmark rows 13 and 14 (README "Benchmarks"): one negotiated mapping made
# and deleted at miniupnpd, in the e2e network (tests/e2e/netns.sh: client | router | public,
# the symmetric NAT; tests/e2e/miniupnpd.sh: miniupnpd in the router, coturn on the public
# side for its start-up STUN test). rtcpm_bench runs inside the client namespace:
#   13  Debian's `natpmpc -a` (a process to map, one to delete) vs the PCP port manager's
#       GetMappingEx + ReleaseMappingEx (PCP, and forced to NAT-PMP)
#   14  Debian's `upnpc -u URL -a` / `-d` vs the UPnP port manager's (libminiupnpc, igd = URL)
#
#   natpm_bench.sh OUT.csv BUILD_DIR [--short]   (BUILD_DIR: the native build)
# --short (ctest `natpm_bench`): 3 short repetitions; checks only that every figure is there.
# Afterwards nothing may be left in miniupnpd (every mapping was deleted).
# Exit 0, 1 when a side could not be measured or a mapping was left, 77 when the network
# namespaces or miniupnpd / natpmpc / upnpc / coturn / nft are not available here.
set -u
out=$(realpath -m "$1") build=$(realpath -m "$2") short=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
e2e=$(cd "$here/../e2e" && pwd)
bench=$build/tests/bench/rtcpm_bench

for t in miniupnpd nft natpmpc upnpc turnserver ip iptables; do
    command -v $t >/dev/null || { echo "SKIPPED: $t not installed (scripts/install-deps.sh)"; exit 77; }
done
[ -x "$bench" ] || { echo "natpm_bench: build rtcpm_bench first ($bench)"; exit 1; }

# shellcheck source=tests/e2e/netns.sh
. "$e2e/netns.sh"
# shellcheck source=tests/e2e/peers.sh
. "$e2e/peers.sh"
# shellcheck source=tests/e2e/miniupnpd.sh
. "$e2e/miniupnpd.sh"

e2e_init "$build/tests/bench/natpm_bench_run"
e2e_up --nat symmetric
e2e_stun_start
e2e_miniupnpd_start
for _ in $(seq 20); do e2e_miniupnpd_ready && break; sleep 0.25; done
e2e_miniupnpd_ready || e2e_die "miniupnpd does not answer NAT-PMP"

opts=()
[ "$short" = --short ] && opts=(--short)
# one row at a time, each checked for leftovers on its own (an AddPortMapping on a port that
# NAT-PMP holds replaces it silently: row 14 would hide what row 13 left)
row() { # ROW
    e2e_exec client "$bench" "${opts[@]}" --rows "$1" --csv "$E2E_RUN_DIR/row$1.csv" --gateway "$E2E_LAN_ROUTER" \
        --local-address "$E2E_LAN_CLIENT" --natpmpc "$(command -v natpmpc)" --upnp-url "$E2E_UPNP_URL" \
        --upnpc "$(command -v upnpc)" >"$E2E_RUN_DIR/row$1.md" 2>"$E2E_RUN_DIR/row$1.err"
    local rc=$? left
    cat "$E2E_RUN_DIR/row$1.md" "$E2E_RUN_DIR/row$1.err"
    [ $rc -eq 0 ] || e2e_die "rtcpm_bench row $1 failed (exit $rc)"
    left=$(e2e_miniupnpd_rules)
    [ -z "$left" ] || e2e_die "row $1 left mappings in miniupnpd: $left"
    [ -z "$(e2e_miniupnpd_leases)" ] || e2e_die "row $1 left leases in miniupnpd: $(e2e_miniupnpd_leases)"
}
row 13
row 14
head -n 1 "$E2E_RUN_DIR/row13.csv" >"$out"
tail -q -n +2 "$E2E_RUN_DIR/row13.csv" "$E2E_RUN_DIR/row14.csv" >>"$out" 2>/dev/null
# every figure there: both rows, each value finite and positive
want="13 14"
grep -q 'row 14: this build has no UPnP port manager' "$E2E_RUN_DIR/row14.err" && want=13
for r in $want; do
    grep -q "^\"\?$r\"\?," "$out" || e2e_die "row $r missing from $out"
done
/usr/bin/python3 -c 'import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
ok = rows and all(math.isfinite(float(r[k] or "nan")) and float(r[k] or "nan") > 0 for r in rows for k in ("a_value", "b_value"))
sys.exit(0 if ok else 1)' "$out" || e2e_die "a value is missing in $out"
exit 0
