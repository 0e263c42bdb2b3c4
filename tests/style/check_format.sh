#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# check_format.sh SOURCE_DIR — every C/C++ file of the tree is formatted as .clang-format says
# (Debian 12's clang-format 14; `clang-format -i FILE` mends one). Exit 77 without clang-format.
src=${1:?usage: check_format.sh SOURCE_DIR}
command -v clang-format >/dev/null 2>&1 || { echo "SKIPPED: clang-format is not installed"; exit 77; }
cd "$src" || exit 1
files=$(find src include samples tests -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \) \
    -not -path 'tests/fuzz/corpus/*' -not -path 'tests/fuzz/regressions/*' | sort)
[ -n "$files" ] || { echo "check_format: no sources under $src"; exit 1; }
n=$(printf '%s\n' $files | wc -l)
# one clang-format process for the whole tree; its warnings name each file that differs
out=$(clang-format --dry-run --Werror $files 2>&1) && { echo "check_format: $n files formatted as .clang-format says"; exit 0; }
bad=$(printf '%s\n' "$out" | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)
[ -n "$bad" ] || { printf '%s\n' "$out"; echo "check_format: clang-format failed"; exit 1; }
for f in $bad; do echo "check_format: $f is not formatted (clang-format -i $f)"; done
echo "check_format: $(printf '%s\n' $bad | wc -l) of $n files need clang-format"
exit 1
