#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rtp_listen.py - the called party's media sockets for the RTC tests: counts what arrives,
and optionally answers with sound and keeps what it heard.

  rtp_listen.py --bind IP:PORT --seconds S [--ready FILE] [--dtmf-pt N]
                [--send FILE --pt N] [--record FILE]

Binds PORT (RTP) and PORT+1 (RTCP) on IP, listens for S seconds (touching FILE once bound),
then prints one line per source:
  rtp <count> from <ip>:<port> pt <payload type> len <bytes>
  rtcp <count> from <ip>:<port> types <RTCP packet types of the first compound packet>
  audio <packets with sound> of <G.711 packets> from <ip>:<port> pt <0|8>   (silence: 0xFF/0x7F, 0xD5/0x55)
and one line per RFC 4733 event received (payload type --dtmf-pt, default 101), in the order
they began:
  tevent <key> duration <samples at the end> ends <end packets> from <ip>:<port>
--send FILE: raw G.711 codes (sox -e mu-law / -e a-law) sent as 20 ms RTP packets of payload
type --pt, paced, from PORT to where the first RTP packet came from, starting when it came.
--record FILE: the payloads of the G.711 packets received (PT 0 or 8), in arrival order.
Exit 0 (also when nothing came: the test reads the lines), 3 on a socket error.
"""
import argparse
import random
import select
import socket
import struct
import sys
import time

KEYS = "0123456789*#ABCD!"


class Sender:
    """--send: G.711 codes as 20 ms RTP packets to the first RTP source, paced by the clock."""

    def __init__(self, path, pt):
        self.codes = open(path, "rb").read() if path else b""
        self.pt, self.to, self.off = pt, None, 0
        self.seq, self.ts, self.ssrc = random.randrange(65536), random.randrange(1 << 32), random.randrange(1 << 32)

    def due(self):
        """When the next packet is due (monotonic), None when there is nothing (more) to send."""
        if self.to is None or self.off + 160 > len(self.codes):
            return None
        return self.start + self.off / 8000.0

    def heard_from(self, src):
        if self.to is None and self.codes:
            self.to, self.start = src, time.monotonic()

    def send_due(self, sock):
        while self.due() is not None and self.due() <= time.monotonic():
            hdr = struct.pack("!BBHII", 0x80, (0x80 if self.off == 0 else 0) | self.pt, self.seq, self.ts, self.ssrc)
            try:
                sock.sendto(hdr + self.codes[self.off:self.off + 160], self.to)
            except OSError:
                pass
            self.off += 160
            self.seq, self.ts = (self.seq + 1) & 0xFFFF, (self.ts + 160) & 0xFFFFFFFF


class Tally:
    """What arrived: per-source counts, G.711 sound, telephone-events, the recorded payload."""

    def __init__(self, dtmf_pt, record):
        self.seen, self.audio, self.events = {}, {}, {}
        self.dtmf_pt, self.record = dtmf_pt, open(record, "wb") if record else None

    def rtp(self, data, src):
        pt = data[1] & 0x7F if len(data) > 1 else -1
        key = ("rtp", src, pt, len(data))
        self.seen[key] = self.seen.get(key, 0) + 1
        if pt in (0, 8) and len(data) > 12:
            # G.711 silence is 0xFF/0x7F (PCMU) or 0xD5/0x55 (PCMA): anything else is sound
            quiet = (0xFF, 0x7F) if pt == 0 else (0xD5, 0x55)
            counts = self.audio.setdefault((src, pt), [0, 0])
            counts[0] += 1 if any(b not in quiet for b in data[12:]) else 0
            counts[1] += 1
            if self.record:
                self.record.write(data[12:])
        elif pt == self.dtmf_pt and len(data) >= 16:
            ts = struct.unpack("!I", data[4:8])[0]
            event, flags, duration = struct.unpack("!BBH", data[12:16])
            ev = self.events.setdefault((src, ts), {"key": event, "duration": 0, "ends": 0, "n": len(self.events)})
            ev["duration"] = max(ev["duration"], duration)
            ev["ends"] += 1 if flags & 0x80 else 0

    def rtcp(self, data, src):
        types, off = [], 0
        while off + 4 <= len(data):
            types.append(data[off + 1])
            off += (int.from_bytes(data[off + 2:off + 4], "big") + 1) * 4
        key = ("rtcp", src, ",".join(str(t) for t in types), None)
        self.seen[key] = self.seen.get(key, 0) + 1

    def report(self):
        for (kind, src, what, length), n in sorted(self.seen.items(), key=lambda kv: kv[0][0]):
            if kind == "rtp":
                print("rtp %d from %s:%d pt %d len %d" % (n, src[0], src[1], what, length))
            else:
                print("rtcp %d from %s:%d types %s" % (n, src[0], src[1], what))
        for (src, pt), (sound, total) in sorted(self.audio.items()):
            print("audio %d of %d from %s:%d pt %d" % (sound, total, src[0], src[1], pt))
        for (src, _), ev in sorted(self.events.items(), key=lambda kv: kv[1]["n"]):
            key = KEYS[ev["key"]] if ev["key"] < len(KEYS) else "?"
            print("tevent %s duration %d ends %d from %s:%d" % (key, ev["duration"], ev["ends"], src[0], src[1]))
        if self.record:
            self.record.close()
        sys.stdout.flush()


def listen(rtp, rtcp, seconds, tally, sender):
    end = time.monotonic() + seconds
    while True:
        now = time.monotonic()
        if now >= end:
            return
        due = sender.due()
        wait = end - now if due is None else max(0.0, min(end, due) - now)
        ready, _, _ = select.select([rtp, rtcp], [], [], wait)
        for s in ready:
            try:
                data, src = s.recvfrom(2048)
            except OSError:  # ICMP port unreachable for what we sent: the other side went away
                continue
            if s is rtp:
                sender.heard_from(src)
                tally.rtp(data, src)
            else:
                tally.rtcp(data, src)
        sender.send_due(rtp)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--ready")
    ap.add_argument("--dtmf-pt", type=int, default=101)
    ap.add_argument("--send")
    ap.add_argument("--pt", type=int, default=0)
    ap.add_argument("--record")
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
    tally = Tally(a.dtmf_pt, a.record)
    listen(rtp, rtcp, a.seconds, tally, Sender(a.send, a.pt))
    tally.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
