#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# pcap_g711a.sh WORKDIR PROGRAM SOURCE_DIR [RUNNER...] — sipp's g711a.pcap (Debian's
# sip-tester: 236 RTP packets, PCMA, 30 ms each, 7 s) played by the Python peer into
# `rtcpm-media stream --codec pcma` with its recorded timing and headers; what rtcpm-media's
# jitter buffer and A-law decoder play (the file:heard.wav test hook) must correlate with the
# pcap's payload decoded by sox (in 0.25 s pieces, each at its own lag: >= 0.9 for 70 % of
# them) and hold the whole of it.
# Exit 0 good, 1 not, 77 a tool or the pcap is missing.
set -eu
work=$1 prog=$2 src=$3
shift 3
pcap=/usr/share/sip-tester/g711a.pcap
[ -f $pcap ] || { echo "SKIPPED: $pcap missing (Debian package sip-tester)"; exit 77; }
command -v sox >/dev/null 2>&1 || { echo "SKIPPED: sox is not installed"; exit 77; }
/usr/bin/python3 -c 'import numpy' 2>/dev/null || { echo "SKIPPED: python3-numpy is not installed"; exit 77; }
here=$src/tests/media
mkdir -p "$work"
cd "$work"
rm -f heard.wav ref.al ref.wav

# the reference: the payloads in sequence order, decoded by sox
/usr/bin/python3 $here/analyse.py pcap-alaw $pcap ref.al
sox -t raw -e a-law -r 8000 -c 1 ref.al -b 16 ref.wav

/usr/bin/python3 $here/rtp_peer.py --pcap $pcap --pt 8 --json pcap.json -- \
    "$@" "$prog" stream --codec pcma --capture none --playback file:heard.wav --seconds 9
fail=0
/usr/bin/python3 $here/analyse.py corr heard.wav ref.wav --min 0.9 --window 0.25 --windows-ok 0.7 || fail=1
/usr/bin/python3 - pcap.json <<'PY' || fail=1
import json, sys
s = json.load(open(sys.argv[1]))
stats = ' '.join(l for l in s['program_lines'] if l.startswith('stats'))
print('pcap_g711a: rtcpm-media: ' + stats)
get = lambda k: int(stats.split(k + '=')[1].split()[0])
# every packet taken in; of its 354 frames of 20 ms at least 96 % played (the first packet is
# on probation; the recorded timing has jitter: a late packet or two, a few frames of delay
# change), little concealment
ok = get('rtp_received') == 236 and get('lost') == 0 and get('late') <= 3 and get('frames_concealed') <= 15 and \
     get('frames_played') >= 340 and s['program_exit'] == 0
sys.exit(0 if ok else 1)
PY
exit $fail
