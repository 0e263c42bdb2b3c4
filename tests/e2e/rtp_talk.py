#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rtp_talk.py - the far end's media of a call through the NAT, for the e2e sound cases (run in
the public namespace): it sends a G.711 PCMU signal to the address the SDP named, records
what comes back from that address, and notes every RTP and RTCP source.

  rtp_talk.py --bind IP:PORT --send FILE.ul (--to IP:PORT [--to-rtcp IP:PORT] | --offer FILE)
              --record OUT.ul [--send-first] [--dtmf-pt N] [--ready-file F] [--timeout S]

  --bind       the RTP socket (RTCP on PORT + 1), what the peer's SDP names
  --send       raw mu-law codes (sox -e mu-law), sent as 20 ms packets (PT 0), paced
  --to         where RTP goes (the SDP's c=/m=); RTCP to --to-rtcp, default PORT + 1
  --offer      instead: wait for FILE, a line holding the SDP's "c=IN IP4 A", "m=audio P" and
               maybe "a=rtcp:R" (the sipp UAS writes it when the INVITE comes)
  --send-first start sending RTP and RTCP (an RR + SDES) as soon as the target is known;
               default: RTP once the first RTP packet arrived, RTCP once the first RTCP did
               (an unsolicited packet to a MASQUERADE mapping would leave an UNREPLIED
               conntrack entry that moves the client's own flow to another port; behind a
               NAT that forwards the mapping (DNAT, PCP) sending first makes the flow's
               reply direction the mapping)
  --record     the PCMU payloads received from --to's address and port, in sequence order
  --dtmf-pt    the telephone-event payload type (RFC 4733) decoded from there (default 101)

Ends at the far end's RTCP BYE, or 1 s after the last RTP packet once sending is over, or at
--timeout. Prints one line per fact:
  talk: target rtp A:P rtcp A:R [(from the offer)]
  talk: sent N rtp packets to A:P, M rtcp to A:R
  talk: rtp N from A:P pt T[,T]      one per source
  talk: rtcp N from A:P types 201,202[,203]   one per source; types of the first compound,
                                              and 203 if any carried a BYE
  talk: dtmf KEYS from A:P (N events, M ended)  the telephone-events from the target's RTP
                                              address, one key per event (RTP timestamp),
                                              in the order they began; none: no line
Exit: 0 RTP came from the target's address and port, 1 it did not, 2 timeout before the
target was known, 3 usage or socket error.
"""
import argparse
import os
import random
import re
import select
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'media'))
from rtp_peer import parse_rtp, rtcp_types  # noqa: E402  (the media tests' RTP/RTCP parsers)


def addr(text):
    host, _, port = text.rpartition(':')
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError('expected IP:PORT, got %r' % text)
    return (host, int(port))


def fmt(a):
    return '%s:%d' % a


def read_offer(path):
    """(rtp, rtcp) from the UAS's line, or None while it is not there (yet)."""
    try:
        text = open(path).read()
    except OSError:
        return None
    c = re.search(r'c=IN IP4 ([0-9.]+)', text)
    m = re.search(r'm=audio ([0-9]+)', text)
    r = re.search(r'a=rtcp:([0-9]+)', text)
    if not c or not m:
        return None
    port = int(m.group(1))
    return (c.group(1), port), (c.group(1), int(r.group(1)) if r else port + 1)


def rtcp_rr(ssrc):
    """An empty RR and an SDES CNAME: the smallest compound RTCP packet RFC 3550 allows."""
    cname = b'talk@rtcpm-e2e'
    chunk = struct.pack('!IBB', ssrc, 1, len(cname)) + cname + b'\0'
    chunk += b'\0' * (-len(chunk) % 4)
    return struct.pack('!BBHI', 0x80, 201, 1, ssrc) + struct.pack('!BBH', 0x81, 202, len(chunk) // 4) + chunk


class Talk:
    def __init__(self, a):
        self.a = a
        self.rtp = self.bound(a.bind)
        self.rtcp = self.bound((a.bind[0], a.bind[1] + 1))
        self.codes = open(a.send, 'rb').read()
        self.target = (a.to, a.to_rtcp or (a.to[0], a.to[1] + 1)) if a.to else None
        self.ssrc, self.seq, self.ts = random.randrange(1 << 32), random.randrange(65536), random.randrange(1 << 32)
        self.rtp_src, self.rtcp_src, self.heard = {}, {}, []
        self.sent = self.sent_rtcp = 0
        self.send_start = self.next_rr = None
        self.last_rtp = self.bye = None
        self.events = {}  # RTP timestamp -> [event, ended], in the order they began

    @staticmethod
    def bound(a):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(a)
        return s

    def receive(self, s, now):
        data, src = s.recvfrom(2048)
        if s is self.rtcp:
            types = rtcp_types(data)
            seen = self.rtcp_src.setdefault(src, [0, types])
            seen[0] += 1
            if 203 in types:
                seen[1] = sorted(set(seen[1]) | {203})
                self.bye = self.bye or now
            return
        p = parse_rtp(data)
        if not p:
            return
        self.last_rtp = now
        seen = self.rtp_src.setdefault(src, [0, set()])
        seen[0] += 1
        seen[1].add(p['pt'])
        if self.target and src == self.target[0] and p['pt'] == 0:
            self.heard.append((p['seq'], p['payload']))
        if self.target and src == self.target[0] and p['pt'] == self.a.dtmf_pt and len(p['payload']) >= 4:
            event, flags = p['payload'][0], p['payload'][1]
            seen = self.events.setdefault(p['ts'], [event, False])
            seen[1] = seen[1] or bool(flags & 0x80)

    def send_due(self, now):
        rtp_to, rtcp_to = self.target
        may_rtp = self.a.send_first or self.rtp_src
        if self.send_start is None and may_rtp:
            self.send_start = now
        frames = len(self.codes) // 160
        while self.send_start is not None and self.sent < frames and now >= self.send_start + self.sent * 0.02:
            chunk = self.codes[self.sent * 160:(self.sent + 1) * 160]
            hdr = struct.pack('!BBHII', 0x80, (0x80 if self.sent == 0 else 0), self.seq, self.ts, self.ssrc)
            self.rtp.sendto(hdr + chunk, rtp_to)
            self.seq, self.ts, self.sent = (self.seq + 1) & 0xffff, (self.ts + 160) & 0xffffffff, self.sent + 1
        if (self.a.send_first or self.rtcp_src) and (self.next_rr is None or now >= self.next_rr):
            self.rtcp.sendto(rtcp_rr(self.ssrc), rtcp_to)
            self.sent_rtcp += 1
            self.next_rr = now + 1.0
        return self.sent >= frames

    def over(self, now, done):
        if self.bye is not None:
            return now - self.bye > 0.2
        return done and self.last_rtp is not None and now - self.last_rtp > 1.0

    def run(self):
        end = time.monotonic() + self.a.timeout
        done = False
        if self.target:
            print('talk: target rtp %s rtcp %s' % (fmt(self.target[0]), fmt(self.target[1])))
        while True:
            now = time.monotonic()
            if now > end or self.over(now, done):
                break
            if self.target is None:
                self.target = read_offer(self.a.offer)
                if self.target:
                    print('talk: target rtp %s rtcp %s (from the offer)'
                          % (fmt(self.target[0]), fmt(self.target[1])))
            if self.target:
                done = self.send_due(now)
            ready, _, _ = select.select([self.rtp, self.rtcp], [], [], 0.005)
            for s in ready:
                self.receive(s, time.monotonic())

    def report(self):
        if self.target:
            print('talk: sent %d rtp packets to %s, %d rtcp to %s'
                  % (self.sent, fmt(self.target[0]), self.sent_rtcp, fmt(self.target[1])))
        for src, (n, pts) in sorted(self.rtp_src.items()):
            print('talk: rtp %d from %s pt %s' % (n, fmt(src), ','.join(str(p) for p in sorted(pts))))
        for src, (n, types) in sorted(self.rtcp_src.items()):
            print('talk: rtcp %d from %s types %s' % (n, fmt(src), ','.join(str(t) for t in types)))
        if self.events:
            keys = ''.join('0123456789*#ABCD'[e] if e < 16 else '?' for e, _ in self.events.values())
            print('talk: dtmf %s from %s (%d events, %d ended)' % (keys, fmt(self.target[0]), len(self.events),
                                                                  sum(1 for _, end in self.events.values() if end)))
        base = self.heard[0][0] if self.heard else 0
        with open(self.a.record, 'wb') as f:
            for _, payload in sorted(self.heard, key=lambda h: (h[0] - base) & 0xffff):
                f.write(payload)
        if self.target is None:
            print('talk: timeout: the target never became known')
            return 2
        return 0 if self.heard else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--bind', type=addr, required=True)
    p.add_argument('--send', required=True)
    p.add_argument('--to', type=addr)
    p.add_argument('--to-rtcp', type=addr)
    p.add_argument('--offer')
    p.add_argument('--record', required=True)
    p.add_argument('--send-first', action='store_true')
    p.add_argument('--dtmf-pt', type=int, default=101)
    p.add_argument('--ready-file')
    p.add_argument('--timeout', type=float, default=20.0)
    a = p.parse_args()
    if bool(a.to) == bool(a.offer):
        p.error('one of --to and --offer')
    try:
        talk = Talk(a)
        if a.ready_file:
            open(a.ready_file, 'w').close()
        talk.run()
    except OSError as e:
        print('talk: socket error: %s' % e)
        return 3
    return talk.report()


if __name__ == '__main__':
    sys.stdout.reconfigure(line_buffering=True)
    sys.exit(main())
