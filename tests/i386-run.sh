#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# i386-run.sh — CTest's CMAKE_CROSSCOMPILING_EMULATOR for the native32 preset (gcc -m32).
#
#   i386-run.sh PROBE PROGRAM [ARGS...]
#     PROBE    a trivial i386 program of the same build (tests/i386_probe.c): if it runs
#              directly, so does PROGRAM
#
# Runs PROGRAM directly where this machine executes i386 ELF — natively (the kernel's IA32
# emulation) or through a binfmt_misc handler for i386 (scripts/install-deps.sh registers
# qemu-user's where the kernel cannot) — else under qemu-i386-static. Decided at every run, not
# at configure time: a binfmt_misc registration does not survive a reboot.
# Exit codes: PROGRAM's own; 77 (skipped, with the reason) when no way to run i386 exists.
set -eu
probe=$1
shift
if "$probe" >/dev/null 2>&1; then
    exec "$@"
fi
for q in qemu-i386-static qemu-i386; do
    if command -v "$q" >/dev/null 2>&1; then exec "$q" "$@"; fi
done
echo "SKIPPED: $(basename "$1"): cannot run i386 Linux programs here: this kernel does not execute i386 ELF, no binfmt_misc handler for i386 is registered and qemu-i386-static is not installed (scripts/install-deps.sh)"
exit 77
