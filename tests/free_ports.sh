# SPDX-License-Identifier: LGPL-2.1-or-later
# free_ports.sh — sourced by the test scripts that start servers on loopback (other runs share
# the machine, so no fixed port): free_port prints a port of 127.0.0.1 free for UDP and TCP,
# free_pair an even one whose next port is free too (RTP + RTCP), both through free_block.
# Needs $python.
# The ports come from 20000-32767, below Linux's ephemeral range (32768-60999, Wine's too): a
# port the kernel handed out for port 0 is free again once the probe closes it, and another
# test's socket bound to port 0 (or connecting) could take it before our server binds it.
free_block() { # free_block N: an even port P, P..P+N-1 all free for UDP and TCP (tests/loopback.c's twin)
    "$python" -c 'import socket, random, sys
n = int(sys.argv[1])
while True:
    p = random.randrange(20000, 32768 - n, 2)
    try:
        for q in range(p, p + n):
            for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                socket.socket(socket.AF_INET, kind).bind(("127.0.0.1", q))
        print(p); break
    except OSError:
        pass' "$1"
}
free_port() { free_block 1; }
free_pair() { free_block 2; }
