# SPDX-License-Identifier: LGPL-2.1-or-later
# free_ports.sh — sourced by the test scripts that start servers on loopback (other runs share
# the machine, so no fixed port): free_port prints a free UDP port of 127.0.0.1, free_pair an
# even one whose next port is free too (RTP + RTCP). Needs $python.
free_port() {
    "$python" -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
free_pair() {
    "$python" -c 'import socket, random
while True:
    p = random.randrange(20000, 60000, 2)
    try:
        a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(("127.0.0.1", p))
        b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(("127.0.0.1", p + 1))
        print(p); break
    except OSError:
        pass'
}
