#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# g711_sox.sh WORKDIR PROGRAM [RUNNER...] — rtcpm's G.711 against sox, bit for bit: every
# 16-bit sample (-32768..32767) encoded to mu-law and A-law, every 8-bit code decoded, by
# `rtcpm-media encode|decode` (natively, or under the runner: qemu-i386, wine) and by sox
# (no dither: -D). Exit 0 identical, 1 a difference (the first ones printed), 77 no sox.
set -eu
work=$1 prog=$2
shift 2
command -v sox >/dev/null 2>&1 || { echo "SKIPPED: sox is not installed (Debian package sox)"; exit 77; }
mkdir -p "$work"
cd "$work"
/usr/bin/python3 - <<'PY'
import struct
open('all16.raw', 'wb').write(b''.join(struct.pack('<h', v) for v in range(-32768, 32768)))
open('all8.raw', 'wb').write(bytes(range(256)))
PY
fail=0
for law in mu-law a-law; do
    codec=pcmu
    [ "$law" = a-law ] && codec=pcma
    sox -D -t raw -e signed -b 16 -r 8000 -c 1 all16.raw -t raw -e "$law" -b 8 sox-enc-$codec.raw 2>/dev/null
    sox -t raw -e "$law" -b 8 -r 8000 -c 1 all8.raw -t raw -e signed -b 16 sox-dec-$codec.raw
    "$@" "$prog" encode $codec all16.raw rtcpm-enc-$codec.raw
    "$@" "$prog" decode $codec all8.raw rtcpm-dec-$codec.raw
    for what in enc dec; do
        if cmp -s sox-$what-$codec.raw rtcpm-$what-$codec.raw; then
            echo "$codec ${what}ode: identical to sox ($(wc -c <rtcpm-$what-$codec.raw) bytes)"
        else
            echo "$codec ${what}ode: DIFFERS from sox (offset sox rtcpm, first 5):"
            cmp -l sox-$what-$codec.raw rtcpm-$what-$codec.raw | head -5 || true
            fail=1
        fi
    done
done
exit $fail
