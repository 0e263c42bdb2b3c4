#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# wine_pulse.sh WORKDIR PROGRAM SOURCE_DIR WINE_RUN PREFIX — rtcpm's winmm devices for real,
# under wine64: a private PulseAudio daemon (null sink rtcsink + pipe source rtcsrc, 8 kHz
# mono s16le) that Wine's winepulse.drv plays into and records from (tests/media/pulse_lib.sh
# starts and stops it; rtc_sipp.sh's call_pulse uses it too).
#  1. rtcpm-media.exe lists the devices (waveIn/waveOut through winepulse);
#  2. a call with the default devices: the Python peer sends a 1 kHz tone, which rtcpm-media
#     plays through waveOut: parec records the sink's monitor, which must hold >= 1 s of it;
#     a paced writer feeds a 600 Hz tone into the pipe source, which rtcpm-media captures
#     through waveIn and sends: what the peer receives must hold >= 1 s of 600 Hz;
#  3. the same call with no sound server: both devices fail to open, rtcpm-media says why
#     (event failed ... bad-device hr=0x80EE0021) and the call still works: RTP goes out
#     (silence) and what arrives is received and played into nothing.
# Checks frequency, in-band energy and a minimum duration, never sample counts (under load
# Wine's playback has gaps). Exit 0 good, 1 not, 77 PulseAudio or a tool is missing or the
# daemon does not start (strict CI fails on that).
set -eu
work=$1 prog=$2 src=$3 wine_run=$4 prefix=$5
here=$src/tests/media
. "$here/pulse_lib.sh"
pulse_need
loader=$("$wine_run" --loader "$prog") || { echo "$loader"; exit 77; }

rm -rf "$work"
mkdir -p "$work"
cd "$work"
trap pulse_stop EXIT INT TERM
pulse_start "$work/pulse" || exit 77
pdir=$pulse_dir
pulse_wine_driver "$loader" "$prefix"
pulse_feed 600

fail=0
echo "== 1: devices"
"$wine_run" "$prefix" "$prog" devices | tee devices.txt
grep -q '^capture #0 ' devices.txt && grep -q '^playback #0 ' devices.txt || { echo "wine_pulse: FAILED: no devices"; fail=1; }

echo "== 2: a call through winmm and PulseAudio"
sox -n -r 8000 -c 1 -b 16 tone.wav synth 4 sine 1000 vol 0.5
sox tone.wav -t raw -e mu-law tone.ul
pulse_record monitor.raw
/usr/bin/python3 $here/rtp_peer.py --send tone.ul --pt 0 --record got.ul --json pulse.json --start-delay 0.5 -- \
    "$wine_run" "$prefix" "$prog" stream --capture "" --playback "" --seconds 6 || fail=1
sleep 0.5
pulse_record_stop
grep -E '^event' pulse.json >/dev/null 2>&1 || true
/usr/bin/python3 - pulse.json <<'PY' || fail=1
import json, sys
s = json.load(open(sys.argv[1]))
for l in s['program_lines']:
    print('wine_pulse: rtcpm-media: ' + l)
sys.exit(1 if any(l.startswith('event failed') for l in s['program_lines']) or s['program_exit'] else 0)
PY
/usr/bin/python3 $here/analyse.py tone monitor.raw --hz 1000 --min-seconds 1.0 || fail=1
sox -t raw -e mu-law -r 8000 -c 1 got.ul -b 16 got.wav
/usr/bin/python3 $here/analyse.py tone got.wav --hz 600 --min-seconds 1.0 || fail=1

echo "== 3: the same call without a sound server"
PULSE_SERVER=unix:$pdir/no-such.sock /usr/bin/python3 $here/rtp_peer.py --send tone.ul --pt 0 --json none.json -- \
    "$wine_run" "$prefix" "$prog" stream --capture "" --playback "" --seconds 5 || fail=1
/usr/bin/python3 - none.json <<'PY' || fail=1
import json, sys
s = json.load(open(sys.argv[1]))
lines = s['program_lines']
for l in lines:
    print('wine_pulse: rtcpm-media: ' + l)
failed = [l for l in lines if l.startswith('event failed')]
stats = ' '.join(l for l in lines if l.startswith('stats'))
get = lambda k: int(stats.split(k + '=')[1].split()[0])
ok = len(failed) == 2 and all('bad-device hr=0x80EE0021' in l for l in failed) and \
     any(' send ' in l for l in failed) and any(' receive ' in l for l in failed) and \
     s['audio_packets'] >= 150 and get('rtp_received') >= 150 and get('frames_played') >= 150
print('wine_pulse: without a device: %d failed events, peer got %d packets' % (len(failed), s['audio_packets']))
sys.exit(0 if ok else 1)
PY
exit $fail
