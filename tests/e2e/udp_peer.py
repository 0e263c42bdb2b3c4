#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""udp_peer.py - one RTP-like UDP exchange, for the end-to-end tests (run inside a namespace).

  udp_peer.py probe  --bind IP:PORT --to IP:PORT [--expect-from IP:PORT] [--timeout S]
      client side, as media would: send one packet first, then wait for one packet back
      on the same socket; with --expect-from, it must come from that address.
  udp_peer.py answer --bind IP:PORT [--expect-from IP:PORT] [--reply-to IP:PORT|source]
                     [--reply-from-port PORT] [--timeout S]
      peer side: wait for one packet, check its source (the NAT's external address the
      SDP named), then send one packet to --reply-to (default: back to the source) from
      the bound socket, or from a second socket on --reply-from-port (a filtering check).
      --expect-from IP:any checks the address only.
  udp_peer.py send   --bind IP:PORT --to IP:PORT
      send one packet, unsolicited.
  udp_peer.py expect-none --bind IP:PORT [--timeout S]
      succeed only if nothing arrives within the timeout (the NAT filtered it).
  udp_peer.py listen --bind IP:PORT [--group MULTICAST_IP] [--expect-from IP:PORT|IP:any]
                     [--timeout S]
      wait for one datagram of any kind (after joining --group, e.g. PCP's ANNOUNCE on
      224.0.0.1:5350) and print it in hex and the wall-clock time it came (epoch ms); no reply.
  udp_peer.py spray --bind IP:FIRST_PORT --to IP:PORT [--count N] [--interval S]
      send one packet every --interval seconds (0.1), each from the next source port (a new
      flow for the NAT each time, since conntrack decides a flow's NAT on its first packet).

Every line it prints starts with the mode; "received from A:P" and "sent to A:P" lines name
the addresses seen on the wire. Exit codes: 0 done, 1 wrong source / unexpected packet,
2 timeout, 3 usage or socket error.
"""
import argparse
import os
import socket
import struct
import sys
import time


def addr(text):
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError("expected IP:PORT, got %r" % text)
    return (host, int(port))


def addr_or_any(text):
    """IP:PORT, or IP:any when only the address is known in advance."""
    host, _, port = text.rpartition(":")
    if host and port == "any":
        return (host, None)
    return addr(text)


def matches(src, expect):
    return src[0] == expect[0] and (expect[1] is None or src[1] == expect[1])


def fmt(a):
    return "%s:%d" % (a[0], a[1])


def rtp_packet(seq):
    # RTP version 2, payload type 0 (PCMU), a fixed SSRC, 20 bytes of silence.
    return struct.pack("!BBHII", 0x80, 0, seq, seq * 160, 0x72746370) + b"\xff" * 20


def is_rtp(data):
    return len(data) >= 12 and data[0] >> 6 == 2


def bound(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(a)
    return s


def receive(mode, s, timeout, expect_from):
    s.settimeout(timeout)
    try:
        data, src = s.recvfrom(2048)
    except socket.timeout:
        print("%s: timeout: nothing arrived at %s within %gs" % (mode, fmt(s.getsockname()), timeout))
        sys.exit(2)
    print("%s: received from %s at %s: %d bytes%s" % (mode, fmt(src), fmt(s.getsockname()), len(data),
                                                    " (RTP)" if is_rtp(data) else ""))
    if expect_from and not matches(src, expect_from):
        print("%s: FAIL: expected the packet from %s:%s" % (mode, expect_from[0], expect_from[1] or "any"))
        sys.exit(1)
    if not is_rtp(data):
        print("%s: FAIL: not an RTP packet" % mode)
        sys.exit(1)
    return src


def send(mode, s, to, seq):
    s.sendto(rtp_packet(seq), to)
    print("%s: sent from %s to %s" % (mode, fmt(s.getsockname()), fmt(to)))


def listen(s, a):
    if a.group:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                     socket.inet_aton(a.group) + socket.inet_aton("0.0.0.0"))
    s.settimeout(a.timeout)
    try:
        data, src = s.recvfrom(2048)
    except socket.timeout:
        print("listen: timeout: nothing arrived at %s within %gs" % (fmt(a.bind), a.timeout))
        return 2
    print("listen: received from %s at %s: %d bytes: %s at_ms=%d" % (fmt(src), fmt(a.bind), len(data), data.hex(),
                                                                      int(time.time() * 1000)))
    if a.expect_from and not matches(src, a.expect_from):
        print("listen: FAIL: expected it from %s:%s" % (a.expect_from[0], a.expect_from[1] or "any"))
        return 1
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["probe", "answer", "send", "expect-none", "listen", "spray"])
    p.add_argument("--bind", type=addr, required=True)
    p.add_argument("--to", type=addr)
    p.add_argument("--expect-from", type=addr_or_any)
    p.add_argument("--reply-to", default="source")
    p.add_argument("--reply-from-port", type=int)
    p.add_argument("--timeout", type=float, default=5.0)
    p.add_argument("--ready-file", help="created once the socket is bound")
    p.add_argument("--group", help="listen: multicast group to join")
    p.add_argument("--count", type=int, default=50)
    p.add_argument("--interval", type=float, default=0.1)
    a = p.parse_args()
    try:
        s = bound(a.bind)
        if a.ready_file:
            open(a.ready_file, "w").close()
        if a.mode == "probe":
            if not a.to:
                p.error("probe needs --to")
            send(a.mode, s, a.to, 1)
            receive(a.mode, s, a.timeout, a.expect_from)
        elif a.mode == "answer":
            src = receive(a.mode, s, a.timeout, a.expect_from)
            to = src if a.reply_to == "source" else addr(a.reply_to)
            out = bound((a.bind[0], a.reply_from_port)) if a.reply_from_port else s
            send(a.mode, out, to, 2)
        elif a.mode == "listen":
            return listen(s, a)
        elif a.mode == "spray":
            s.close()
            for i in range(a.count):
                out = bound((a.bind[0], a.bind[1] + i))
                send(a.mode, out, a.to, i + 1)
                out.close()
                time.sleep(a.interval)
        elif a.mode == "send":
            if not a.to:
                p.error("send needs --to")
            send(a.mode, s, a.to, 1)
        else:
            s.settimeout(a.timeout)
            try:
                data, src = s.recvfrom(2048)
            except socket.timeout:
                print("%s: nothing arrived at %s within %gs, as expected" % (a.mode, fmt(a.bind), a.timeout))
                return 0
            print("%s: FAIL: received %d bytes from %s" % (a.mode, len(data), fmt(src)))
            return 1
    except OSError as e:
        print("%s: socket error: %s" % (a.mode, e))
        return 3
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    os.umask(0o022)
    sys.exit(main())
