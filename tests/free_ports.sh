# SPDX-License-Identifier: LGPL-2.1-or-later
# free_ports.sh — sourced by the test scripts that start servers on loopback (other runs share
# the machine, so no fixed port): free_port prints a port of 127.0.0.1 free for UDP and TCP,
# free_pair an even one whose next port is free too (RTP + RTCP). Needs $python.
# The ports come from 20000-32767, below Linux's ephemeral range (32768-60999, Wine's too): a
# port the kernel handed out for port 0 is free again once the probe closes it, and another
# test's socket bound to port 0 (or connecting) could take it before our server binds it.
free_port() {
    "$python" -c 'import socket, random
while True:
    p = random.randrange(20000, 32768)
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", p))
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.bind(("127.0.0.1", p))
        print(p); break
    except OSError:
        pass'
}
free_pair() {
    "$python" -c 'import socket, random
while True:
    p = random.randrange(20000, 32766, 2)
    try:
        a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(("127.0.0.1", p))
        b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(("127.0.0.1", p + 1))
        print(p); break
    except OSError:
        pass'
}
