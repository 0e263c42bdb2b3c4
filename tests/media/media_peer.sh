#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# media_peer.sh WORKDIR PROGRAM SOURCE_DIR [RUNNER...] — `rtcpm-media stream` (natively, or
# under the runner: wine) against a Python RTP peer (tests/media/rtp_peer.py) on loopback,
# sound checked with numpy (tests/media/analyse.py):
#  1. the peer sends a 1 kHz tone (sox, mu-law): rtcpm-media's speaker file must hold >= 2 s of
#     it; rtcpm-media sends speech (espeak-ng, else a sox chord): what the peer receives,
#     decoded by sox, must correlate with it (>= 0.9); RTCP SR, SDES and BYE reach the peer;
#  2. DTMF both ways: rtcpm-media sends 1, #, 9 (RFC 4733: each ends with three E packets,
#     duration 1280); the peer plays sipp's dtmf_2833_1/5/pound pcaps: rtcpm-media reports each.
# Exit 0 all good, 1 a check failed, 77 a tool is missing.
set -eu
work=$1 prog=$2 src=$3
shift 3
for tool in sox /usr/bin/python3; do
    command -v $tool >/dev/null 2>&1 || { echo "SKIPPED: $tool is not installed"; exit 77; }
done
/usr/bin/python3 -c 'import numpy' 2>/dev/null || { echo "SKIPPED: python3-numpy is not installed"; exit 77; }
pcaps=/usr/share/sip-tester
[ -f $pcaps/dtmf_2833_1.pcap ] || { echo "SKIPPED: $pcaps/dtmf_2833_*.pcap missing (Debian package sip-tester)"; exit 77; }
here=$src/tests/media
mkdir -p "$work"
cd "$work"
rm -f heard.wav got.ul got.wav ./*.json

sox -n -r 8000 -c 1 -b 16 tone.wav synth 3 sine 1000 vol 0.5
sox tone.wav -t raw -e mu-law tone.ul
if command -v espeak-ng >/dev/null 2>&1; then
    espeak-ng -w speech-22k.wav "rtcpm media test. The quick brown fox jumps over the lazy dog."
    sox speech-22k.wav -r 8000 -c 1 -b 16 speech.wav
else
    echo "media_peer: no espeak-ng, a sox chord instead of speech"
    sox -n -r 8000 -c 1 -b 16 speech.wav synth 3 sine 300-900 sine 1200 vol 0.4
fi

fail=0
check() { if "$@"; then :; else echo "media_peer: FAILED: $*"; fail=1; fi; }

echo "== 1: audio both ways"
/usr/bin/python3 $here/rtp_peer.py --send tone.ul --pt 0 --record got.ul --json audio.json -- \
    "$@" "$prog" stream --capture file:speech.wav --playback file:heard.wav --seconds 5 || fail=1
check /usr/bin/python3 $here/analyse.py tone heard.wav --hz 1000 --min-seconds 2.0
sox -t raw -e mu-law -r 8000 -c 1 got.ul -b 16 got.wav
check /usr/bin/python3 $here/analyse.py corr got.wav speech.wav --min 0.9
check /usr/bin/python3 - audio.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print('media_peer: peer got %(audio_packets)d audio packets, PTs %(payload_types)s, %(seq_gaps)d gaps, '
      'RTCP %(rtcp_packets)d (SR %(rtcp_sr)d, SDES %(rtcp_sdes)d, BYE %(rtcp_bye)d)' % s)
stats = ' '.join(l for l in s['program_lines'] if l.startswith('stats'))
print('media_peer: rtcpm-media: ' + stats)
rx = int(stats.split('rtp_received=')[1].split()[0])
ok = s['payload_types'] == [0] and s['audio_packets'] >= 200 and s['seq_gaps'] == 0 and \
     s['rtcp_sr'] >= 1 and s['rtcp_sdes'] >= 1 and s['rtcp_bye'] == 1 and rx >= 140 and s['program_exit'] == 0
sys.exit(0 if ok else 1)
PY

echo "== 2: DTMF both ways"
/usr/bin/python3 $here/rtp_peer.py --pcap $pcaps/dtmf_2833_1.pcap --pcap $pcaps/dtmf_2833_5.pcap \
    --pcap $pcaps/dtmf_2833_pound.pcap --json dtmf.json -- \
    "$@" "$prog" stream --capture none --playback none --seconds 3 --dtmf '1#9' --dtmf-at 300 || fail=1
check /usr/bin/python3 - dtmf.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
ev = s['telephone_events']
ends = {}
for e in ev:
    if e['end']:
        ends.setdefault(e['ts'], []).append((e['event'], e['duration']))
got = [v[0][0] for k, v in sorted(ends.items())]
print('media_peer: peer got events %s, end packets per event %s' % (got, [len(v) for k, v in sorted(ends.items())]))
ok = got == [1, 11, 9] and all(len(v) == 3 and all(d == 1280 for _, d in v) for v in ends.values())
heard = [l for l in s['program_lines'] if l.startswith('dtmf')]
print('media_peer: rtcpm-media reported %s' % heard)
ok = ok and heard == ['dtmf 1 began', 'dtmf 1 ended duration 2240', 'dtmf 5 began', 'dtmf 5 ended duration 2240',
                      'dtmf # began', 'dtmf # ended duration 2240'] and s['program_exit'] == 0
sys.exit(0 if ok else 1)
PY
exit $fail
