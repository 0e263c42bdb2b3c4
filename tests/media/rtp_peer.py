#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rtp_peer.py — the far end of a call for the media tests: an RTP/RTCP peer in Python that
starts `rtcpm-media stream` itself (so it knows its own ports before the program starts),
sends it audio and/or recorded packets, and records what comes back.

  rtp_peer.py [options] -- COMMAND...      COMMAND is rtcpm-media (with its runner) + `stream`
                                           options; the peer adds --remote/--remote-rtcp/--local
Options:
  --host ADDR          loopback address for both ends (127.0.0.1)
  --send FILE          raw G.711 codes (sox -e mu-law/-e a-law) sent as 20 ms packets
  --pt N               payload type of --send (0)
  --pcap FILE          also send the RTP packets of a pcap (Ethernet/IPv4/UDP), headers as
                       recorded, with their recorded timing (after --send, if both)
  --start-delay S      wait this long after rtcpm-media is up before sending (0.3)
  --record FILE        write the audio payloads received (PT 0 or 8), in sequence order
  --json FILE          write a summary: packets, payload types, telephone-events, RTCP,
                       rtcpm-media's output lines and exit code
  --timeout S          give up on rtcpm-media after this long (60)
Exit status: rtcpm-media's (2 for a usage error here, 1 if it never printed its ports).
"""
import json
import os
import random
import select
import socket
import struct
import subprocess
import sys
import threading
import time


def pcap_rtp(path):
    """The UDP payloads of a classic pcap (Ethernet/IPv4), with their capture times."""
    data = open(path, 'rb').read()
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic == 0xa1b2c3d4 else '>'
    pos, out = 24, []
    while pos + 16 <= len(data):
        sec, usec, incl, _ = struct.unpack(endian + 'IIII', data[pos:pos + 16])
        pkt = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        ip = pkt[14:]
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 17:
            continue
        ihl = (ip[0] & 15) * 4
        out.append((sec + usec / 1e6, bytes(ip[ihl + 8:])))
    return out


class Receiver(threading.Thread):
    """Collects RTP and RTCP until stopped."""

    def __init__(self, rtp, rtcp):
        super().__init__(daemon=True)
        self.rtp, self.rtcp, self.stop = rtp, rtcp, False
        self.packets, self.rtcp_packets = [], []

    def run(self):
        while not self.stop:
            ready, _, _ = select.select([self.rtp, self.rtcp], [], [], 0.05)
            for s in ready:
                data, _ = s.recvfrom(2048)
                (self.packets if s is self.rtp else self.rtcp_packets).append((time.monotonic(), data))


def parse_rtp(data):
    if len(data) < 12 or data[0] >> 6 != 2:
        return None
    cc = data[0] & 15
    seq, ts, ssrc = struct.unpack('!HII', data[2:12])
    off = 12 + 4 * cc
    if data[0] & 0x10:
        off += 4 + 4 * struct.unpack('!H', data[off + 2:off + 4])[0]
    end = len(data) - (data[-1] if data[0] & 0x20 else 0)
    return {'pt': data[1] & 127, 'marker': data[1] >> 7, 'seq': seq, 'ts': ts, 'ssrc': ssrc,
            'payload': data[off:end]}


def rtcp_types(data):
    types, pos = [], 0
    while pos + 4 <= len(data):
        types.append(data[pos + 1])
        pos += 4 * (struct.unpack('!H', data[pos + 2:pos + 4])[0] + 1)
    return types


def summarise(rx, dtmf_pt):
    pkts = [p for p in (parse_rtp(d) for _, d in rx.packets) if p]
    audio = [p for p in pkts if p['pt'] in (0, 8)]
    # sequence order with wrap: extend relative to the first
    ext, last, cycles = [], None, 0
    for p in audio:
        if last is not None and p['seq'] < last and last - p['seq'] > 30000:
            cycles += 65536
        last = p['seq']
        ext.append((cycles + p['seq'], p))
    ext.sort(key=lambda e: e[0])
    events = []
    for p in pkts:
        if p['pt'] == dtmf_pt and len(p['payload']) == 4:
            ev, flags, dur = struct.unpack('!BBH', p['payload'])
            events.append({'event': ev, 'end': flags >> 7, 'duration': dur, 'ts': p['ts'], 'seq': p['seq']})
    rtcp = [rtcp_types(d) for _, d in rx.rtcp_packets]
    return ext, {
        'rtp_packets': len(pkts), 'audio_packets': len(audio),
        'payload_types': sorted({p['pt'] for p in pkts}), 'ssrcs': sorted({p['ssrc'] for p in pkts}),
        'seq_gaps': sum(1 for a, b in zip(ext, ext[1:]) if b[0] - a[0] != 1),
        'telephone_events': events,
        'rtcp_packets': len(rtcp), 'rtcp_sr': sum(1 for t in rtcp if t and t[0] == 200),
        'rtcp_rr': sum(1 for t in rtcp if t and t[0] == 201), 'rtcp_bye': sum(1 for t in rtcp if 203 in t),
        'rtcp_sdes': sum(1 for t in rtcp if 202 in t)}


def send_codes(sock, to, path, pt):
    codes = open(path, 'rb').read()
    seq, ts, ssrc = random.randrange(65536), random.randrange(1 << 32), random.randrange(1 << 32)
    start = time.monotonic()
    for i in range(0, len(codes) - 159, 160):
        hdr = struct.pack('!BBHII', 0x80, (0x80 if i == 0 else 0) | pt, seq, ts, ssrc)
        sock.sendto(hdr + codes[i:i + 160], to)
        seq, ts = (seq + 1) & 0xffff, (ts + 160) & 0xffffffff
        delay = start + (i // 160 + 1) * 0.02 - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def send_pcap(sock, to, path):
    pkts = pcap_rtp(path)
    if not pkts:
        return
    t0, start = pkts[0][0], time.monotonic()
    for t, data in pkts:
        delay = start + (t - t0) - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        sock.sendto(data, to)


def parse_args(argv):
    opts = {'host': '127.0.0.1', 'send': None, 'pt': 0, 'pcap': [], 'start_delay': 0.3, 'record': None,
            'json': None, 'timeout': 60.0, 'dtmf_pt': 101}
    if '--' not in argv:
        sys.exit(print(__doc__) or 2)
    cut = argv.index('--')
    args, cmd = argv[1:cut], argv[cut + 1:]
    keys = {'--host': 'host', '--send': 'send', '--pt': 'pt', '--pcap': 'pcap', '--start-delay': 'start_delay',
            '--record': 'record', '--json': 'json', '--timeout': 'timeout', '--dtmf-pt': 'dtmf_pt'}
    for k, v in zip(args[::2], args[1::2]):
        if k not in keys:
            sys.exit(print('rtp_peer: unknown option ' + k, file=sys.stderr) or 2)
        key = keys[k]
        if key == 'pcap':
            opts['pcap'].append(v)
        else:
            opts[key] = type(opts[key])(v) if opts[key] is not None and not isinstance(opts[key], list) else v
    return opts, cmd


def start_program(cmd, host, rtp_port, rtcp_port, timeout):
    fmt = '[%s]:%d' if ':' in host else '%s:%d'
    cmd = cmd + ['--remote', fmt % (host, rtp_port), '--remote-rtcp', fmt % (host, rtcp_port),
                 '--local', host]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    lines, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip('\n'))
        if line.startswith('local rtp '):
            addr = line.split()[2]
            host_part, port = addr.rsplit(':', 1)
            return proc, lines, (host_part.strip('[]'), int(port))
    return proc, lines, None


def main(argv):
    opts, cmd = parse_args(argv)
    family = socket.AF_INET6 if ':' in opts['host'] else socket.AF_INET
    rtp, rtcp = socket.socket(family, socket.SOCK_DGRAM), socket.socket(family, socket.SOCK_DGRAM)
    rtp.bind((opts['host'], 0))
    rtcp.bind((opts['host'], 0))
    rx = Receiver(rtp, rtcp)
    rx.start()
    proc, lines, target = start_program(cmd, opts['host'], rtp.getsockname()[1], rtcp.getsockname()[1],
                                        opts['timeout'])
    code = 1
    if target:
        time.sleep(opts['start_delay'])
        if opts['send']:
            send_codes(rtp, target, opts['send'], opts['pt'])
        for p in opts['pcap']:
            send_pcap(rtp, target, p)
        lines += [l.rstrip('\n') for l in proc.stdout]
        code = proc.wait(timeout=opts['timeout'])
    else:
        print('rtp_peer: rtcpm-media did not print its ports: %r' % lines, file=sys.stderr)
        proc.kill()
    time.sleep(0.2)
    rx.stop = True
    rx.join()
    ext, summary = summarise(rx, opts['dtmf_pt'])
    if opts['record']:
        with open(opts['record'], 'wb') as f:
            for _, p in ext:
                f.write(p['payload'])
    summary.update({'program_lines': lines, 'program_exit': code})
    if opts['json']:
        with open(opts['json'], 'w') as f:
            json.dump(summary, f, indent=1)
    return code


if __name__ == '__main__':
    sys.exit(main(sys.argv))
