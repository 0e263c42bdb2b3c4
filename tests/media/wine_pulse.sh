#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# wine_pulse.sh WORKDIR PROGRAM SOURCE_DIR WINE_RUN PREFIX — rtcpm's winmm devices for real,
# under wine64: a private PulseAudio daemon (null sink rtcsink + pipe source rtcsrc, 8 kHz
# mono s16le) that Wine's winepulse.drv plays into and records from.
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
for tool in pulseaudio pactl parec sox /usr/bin/python3; do
    command -v $tool >/dev/null 2>&1 || { echo "SKIPPED: $tool is not installed (pulseaudio, pulseaudio-utils, sox)"; exit 77; }
done
/usr/bin/python3 -c 'import numpy' 2>/dev/null || { echo "SKIPPED: python3-numpy is not installed"; exit 77; }
loader=$("$wine_run" --loader "$prog") || { echo "$loader"; exit 77; }

rm -rf "$work"
mkdir -p "$work/pulse/run"
chmod 700 "$work/pulse/run"
cd "$work"
pdir=$work/pulse
cat >"$pdir/pulse.pa" <<EOF
load-module module-native-protocol-unix auth-anonymous=1 socket=$pdir/pulse.sock
load-module module-null-sink sink_name=rtcsink rate=8000 channels=1 format=s16le norewinds=1
load-module module-pipe-source source_name=rtcsrc file=$pdir/src.fifo format=s16le rate=8000 channels=1
set-default-sink rtcsink
set-default-source rtcsrc
EOF
printf 'autospawn = no\n' >"$pdir/client.conf"

pulse_pid= parec_pid= writer_pid=
cleanup() {
    for p in $writer_pid $parec_pid $pulse_pid; do kill "$p" 2>/dev/null || true; done
    for p in $writer_pid $parec_pid $pulse_pid; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

HOME=$pdir XDG_RUNTIME_DIR=$pdir/run PULSE_RUNTIME_PATH=$pdir/run \
    pulseaudio --daemonize=no --system=false --exit-idle-time=-1 --disallow-exit=yes -n -F "$pdir/pulse.pa" \
    --use-pid-file=no --disable-shm=yes --log-target=file:"$pdir/pulse.log" </dev/null >"$pdir/pulse.out" 2>&1 &
pulse_pid=$!
export PULSE_SERVER=unix:$pdir/pulse.sock PULSE_CLIENTCONFIG=$pdir/client.conf
ready=0
for _ in $(seq 1 100); do
    if pactl list short sinks 2>/dev/null | grep -q rtcsink && pactl list short sources 2>/dev/null | grep -q rtcsrc; then
        ready=1
        break
    fi
    kill -0 $pulse_pid 2>/dev/null || break
    sleep 0.1
done
if [ $ready = 0 ]; then
    echo "SKIPPED: the PulseAudio daemon did not start (null sink + pipe source); its log:"
    tail -5 "$pdir/pulse.log" "$pdir/pulse.out" 2>/dev/null || true
    exit 77
fi

# Wine must use winepulse, with no silent fallback to another driver
WINEPREFIX=$prefix WINEDEBUG=-all "$loader" reg add 'HKCU\Software\Wine\Drivers' /v Audio /d pulse /f >/dev/null 2>&1 || true

# a paced writer keeps the pipe source fed (without one, waveIn buffers never complete): 600 Hz
/usr/bin/python3 - "$pdir/src.fifo" <<'PY' &
import math, struct, sys, time
f = open(sys.argv[1], 'wb', buffering=0)
n, start = 0, time.monotonic()
while True:
    chunk = b''.join(struct.pack('<h', int(8000 * math.sin(2 * math.pi * 600 * (n + i) / 8000))) for i in range(160))
    f.write(chunk)
    n += 160
    delay = start + n / 8000 - time.monotonic()
    if delay > 0:
        time.sleep(delay)
PY
writer_pid=$!

fail=0
echo "== 1: devices"
"$wine_run" "$prefix" "$prog" devices | tee devices.txt
grep -q '^capture #0 ' devices.txt && grep -q '^playback #0 ' devices.txt || { echo "wine_pulse: FAILED: no devices"; fail=1; }

echo "== 2: a call through winmm and PulseAudio"
sox -n -r 8000 -c 1 -b 16 tone.wav synth 4 sine 1000 vol 0.5
sox tone.wav -t raw -e mu-law tone.ul
parec -d rtcsink.monitor --rate=8000 --channels=1 --format=s16le --latency-msec=20 >monitor.raw &
parec_pid=$!
/usr/bin/python3 $here/rtp_peer.py --send tone.ul --pt 0 --record got.ul --json pulse.json --start-delay 0.5 -- \
    "$wine_run" "$prefix" "$prog" stream --capture "" --playback "" --seconds 6 || fail=1
sleep 0.5
kill $parec_pid 2>/dev/null || true
wait $parec_pid 2>/dev/null || true
parec_pid=
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
