#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rtp_listen.py - the called party's media sockets for the RTC tests: counts what arrives.

  rtp_listen.py --bind IP:PORT --seconds S [--ready FILE]

Binds PORT (RTP) and PORT+1 (RTCP) on IP, listens for S seconds (touching FILE once bound),
then prints one line per source:
  rtp <count> from <ip>:<port> pt <payload type> len <bytes>
  rtcp <count> from <ip>:<port> types <RTCP packet types of the first compound packet>
  audio <packets with sound> of <G.711 packets> from <ip>:<port> pt <0|8>   (silence: 0xFF/0x7F, 0xD5/0x55)
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
    audio = {}
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
                if key[2] in (0, 8) and len(data) > 12:
                    # G.711 silence is 0xFF/0x7F (PCMU) or 0xD5/0x55 (PCMA): anything else is sound
                    quiet = (0xFF, 0x7F) if key[2] == 0 else (0xD5, 0x55)
                    sound = any(b not in quiet for b in data[12:])
                    akey = (src, key[2])
                    audio.setdefault(akey, [0, 0])
                    audio[akey][0] += 1 if sound else 0
                    audio[akey][1] += 1
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
    for (src, pt), (sound, total) in sorted(audio.items()):
        print("audio %d of %d from %s:%d pt %d" % (sound, total, src[0], src[1], pt))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
