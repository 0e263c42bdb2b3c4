#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# update-bad-input-table.sh — rewrites README.md's "Bad input: HRESULTs" tables from the test's
# table (tests/bad_input_table.c), between the "bad-input table: begin/end" markers.
#
#   sh scripts/update-bad-input-table.sh [path/to/test_bad_input]   (default: the native build's)
#
# The bad_input suite's readme_matches test fails until README says what the table says.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/native/tests/test_bad_input}
readme=$root/README.md
[ -x "$bin" ] || { echo "update-bad-input-table: $bin not built (cmake --build --preset native)" >&2; exit 1; }
grep -q '^<!-- bad-input table: begin' "$readme" && grep -q '^<!-- bad-input table: end -->' "$readme" ||
    { echo "update-bad-input-table: markers missing in $readme" >&2; exit 1; }
table=$(mktemp)
out=$(mktemp)
trap 'rm -f "$table" "$out"' EXIT
"$bin" --markdown > "$table"
awk -v table="$table" '
    /^<!-- bad-input table: begin/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
    /^<!-- bad-input table: end -->/ { skip = 0 }
    !skip { print }
' "$readme" > "$out"
cat "$out" > "$readme"
