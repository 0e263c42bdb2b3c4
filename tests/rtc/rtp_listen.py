#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rtp_listen.py - the called party's media sockets for the RTC tests: counts what arrives.

  rtp_listen.py --bind IP:PORT --seconds S [--ready FILE]

Binds PORT (RTP) and PORT+1 (RTCP) on IP, listens for S seconds (touching FILE once bound),
then prints one line per source:
  rtp <count> from <ip>:<port> pt <payload type> len <bytes>
  rtcp <count> from <ip>:<port> types <RTCP packet types of the first compound packet>
Exit 0 (also when nothing came: the test reads the lines), 3 on a socket error.
"""
import argparse
import select
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--ready")
    a = ap.parse_args()
    host, _, port = a.bind.rpartition(":")
    try:
        rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rtp.bind((host, int(port)))
        rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rtcp.bind((host, int(port) + 1))
    except OSError as e:
        print("rtp_listen: %s" % e)
        return 3
    if a.ready:
        open(a.ready, "w").close()
    seen = {}
    end = time.monotonic() + a.seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([rtp, rtcp], [], [], left)
        for s in ready:
            data, src = s.recvfrom(2048)
            if s is rtp:
                key = ("rtp", src, data[1] & 0x7F if len(data) > 1 else -1, len(data))
            else:
                types, off = [], 0
                while off + 4 <= len(data):
                    types.append(data[off + 1])
                    off += (int.from_bytes(data[off + 2:off + 4], "big") + 1) * 4
                key = ("rtcp", src, ",".join(str(t) for t in types), None)
            seen[key] = seen.get(key, 0) + 1
    for (kind, src, what, length), n in sorted(seen.items(), key=lambda kv: kv[0][0]):
        if kind == "rtp":
            print("rtp %d from %s:%d pt %d len %d" % (n, src[0], src[1], what, length))
        else:
            print("rtcp %d from %s:%d types %s" % (n, src[0], src[1], what))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
