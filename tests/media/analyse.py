#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""analyse.py — checks on sound for the media tests (numpy), so that a test asserts what was
heard, not how many samples moved.

  analyse.py tone FILE --hz F [--tol HZ] [--min-seconds S] [--share R] [--min-rms A]
      FILE (WAV, or raw s16le 8 kHz mono) holds at least S seconds of 20 ms frames whose
      strongest frequency is F +- tol and which carry at least the share R of their energy
      within F +- 50 Hz, at an RMS of at least A.
  analyse.py corr FILE REF [--min C] [--max-lag S] [--window W --windows-ok P]
      the normalised cross-correlation of FILE and REF, at the best lag within +-S seconds,
      is at least C (both WAV or raw s16le 8 kHz mono). With --window: FILE is cut into
      W-second pieces (those with sound), each matched against REF at its own best lag (a
      jitter buffer moves the delay in 20 ms steps), and at least the share P of them must
      reach C.
  analyse.py pcap-alaw PCAP OUT
      the RTP payloads of a pcap (Ethernet/IPv4/UDP, as sipp's g711a.pcap) in sequence order
      into OUT (raw A-law, for sox to decode into the reference).
Prints what it measured; exit 0 when the check holds, 1 when not, 2 on usage errors.
"""
import sys
import wave

import numpy as np

RATE = 8000


def load(path):
    if path.endswith('.wav'):
        with wave.open(path, 'rb') as w:
            if w.getframerate() != RATE or w.getnchannels() != 1 or w.getsampwidth() != 2:
                sys.exit(print('analyse: %s is not 8 kHz mono 16-bit' % path) or 2)
            data = w.readframes(w.getnframes())
    else:
        data = open(path, 'rb').read()
    return np.frombuffer(data[:len(data) // 2 * 2], dtype='<i2').astype(np.float64)


def options(args, defaults):
    opts = dict(defaults)
    for k, v in zip(args[::2], args[1::2]):
        key = k.lstrip('-').replace('-', '_')
        if key not in opts:
            sys.exit(print('analyse: unknown option ' + k) or 2)
        opts[key] = float(v)
    return opts


def tone(path, args):
    o = options(args, {'hz': 1000.0, 'tol': 15.0, 'min_seconds': 1.0, 'share': 0.8, 'min_rms': 300.0})
    x = load(path)
    n = 160
    freqs = np.fft.rfftfreq(4 * n, 1.0 / RATE)
    band = np.abs(freqs - o['hz']) <= 50
    good = 0
    for off in range(0, len(x) - n + 1, n):
        frame = x[off:off + n]
        rms = np.sqrt(np.mean(frame ** 2))
        if rms < o['min_rms']:
            continue
        spec = np.abs(np.fft.rfft(frame * np.hanning(n), 4 * n)) ** 2
        peak = freqs[np.argmax(spec)]
        if abs(peak - o['hz']) <= o['tol'] and spec[band].sum() >= o['share'] * spec.sum():
            good += 1
    seconds = good * n / RATE
    whole = np.abs(np.fft.rfft(x)) if len(x) else np.zeros(1)
    dominant = np.fft.rfftfreq(len(x), 1.0 / RATE)[np.argmax(whole)] if len(x) else 0
    print('analyse: %s: %.2f s of audio, %.2f s of %.0f Hz tone (dominant %.1f Hz overall, rms %.0f)'
          % (path, len(x) / RATE, seconds, o['hz'], dominant, np.sqrt(np.mean(x ** 2)) if len(x) else 0))
    return 0 if seconds >= o['min_seconds'] else 1


def corr(path, ref_path, args):
    o = options(args, {'min': 0.9, 'max_lag': 2.0, 'window': 0.0, 'windows_ok': 0.8})
    x, r = load(path), load(ref_path)
    if len(x) == 0 or len(r) == 0:
        print('analyse: empty signal')
        return 1
    if o['window'] > 0:
        return corr_windows(path, x, r, o)
    best, best_val = best_lag(x, r, o['max_lag'])
    print('analyse: %s vs %s: correlation %.3f at lag %.3f s' % (path, ref_path, best_val, best / RATE))
    return 0 if best_val >= o['min'] else 1


def corr_windows(path, x, r, o):
    w = int(o['window'] * RATE)
    loud = np.sqrt(np.mean(r ** 2)) * 0.1
    vals = []
    for off in range(0, len(x) - w + 1, w):
        piece = x[off:off + w]
        if np.sqrt(np.mean(piece ** 2)) < loud:
            continue
        # the piece against the reference around where it should be
        lo = max(0, off - int(o['max_lag'] * RATE))
        ref = r[lo:off + w + int(o['max_lag'] * RATE)]
        if len(ref) < w:
            continue
        vals.append(best_lag(ref, piece, o['max_lag'] * 2 + o['window'], min_overlap=w)[1])
    ok = sum(1 for v in vals if v >= o['min'])
    print('analyse: %s: %d of %d %.1f s windows correlate >= %.2f with the reference (median %.3f)'
          % (path, ok, len(vals), o['window'], o['min'], float(np.median(vals)) if vals else 0))
    return 0 if vals and ok >= o['windows_ok'] * len(vals) else 1


def best_lag(x, r, max_lag_s, min_overlap=RATE // 2):
    """The lag (samples, x against r) and value of the best normalised correlation."""
    size = 1 << int(np.ceil(np.log2(len(x) + len(r))))
    c = np.fft.irfft(np.fft.rfft(x, size) * np.conj(np.fft.rfft(r, size)), size)
    max_lag = int(max_lag_s * RATE)
    cx = np.concatenate([[0.0], np.cumsum(x ** 2)])
    cr = np.concatenate([[0.0], np.cumsum(r ** 2)])
    # lag >= 0: x[lag + n] against r[n]; lag < 0: x[n] against r[n - lag]
    pos = np.arange(0, min(max_lag, len(x) - 1) + 1)
    m_pos = np.minimum(len(x) - pos, len(r))
    e_pos = (cx[pos + m_pos] - cx[pos]) * cr[m_pos]
    neg = np.arange(1, min(max_lag, len(r) - 1) + 1)
    m_neg = np.minimum(len(x), len(r) - neg)
    e_neg = cx[m_neg] * (cr[neg + m_neg] - cr[neg])
    lags = np.concatenate([pos, -neg])
    m = np.concatenate([m_pos, m_neg])
    energy = np.concatenate([e_pos, e_neg])
    vals = np.where((m >= min_overlap) & (energy > 0), c[lags % size] / np.sqrt(np.maximum(energy, 1e-9)), -1.0)
    i = int(np.argmax(vals))
    return int(lags[i]), float(vals[i])


def pcap_payload(pcap, out):
    import struct
    d = open(pcap, 'rb').read()
    pos, pkts = 24, []
    while pos + 16 <= len(d):
        incl = struct.unpack('<I', d[pos + 8:pos + 12])[0]
        ip = d[pos + 16 + 14:pos + 16 + incl]
        pos += 16 + incl
        rtp = ip[(ip[0] & 15) * 4 + 8:]
        pkts.append((struct.unpack('!H', rtp[2:4])[0], rtp[12:]))
    pkts.sort()
    open(out, 'wb').write(b''.join(p for _, p in pkts))
    print('analyse: %d packets, %d bytes of payload' % (len(pkts), sum(len(p) for _, p in pkts)))
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == 'pcap-alaw':
        return pcap_payload(argv[2], argv[3])
    if len(argv) >= 3 and argv[1] == 'tone':
        return tone(argv[2], argv[3:])
    if len(argv) >= 4 and argv[1] == 'corr':
        return corr(argv[2], argv[3], argv[4:])
    print(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
