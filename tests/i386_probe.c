/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * i386_probe.c — does this machine run the native32 build's programs directly? tests/i386-run.sh
 * runs this first: exit 0 means yes (natively or through binfmt_misc), anything else (the
 * exec failing) means they need qemu-i386.
 */
int main(void) { return 0; }
