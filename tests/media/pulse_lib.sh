# SPDX-License-Identifier: LGPL-2.1-or-later
# pulse_lib.sh — a private PulseAudio daemon for the tests that run Wine's winmm for real
# (sourced, POSIX sh: tests/media/wine_pulse.sh, tests/rtc/rtc_sipp.sh case call_pulse).
# A null sink rtcsink and a pipe source rtcsrc, 8 kHz mono s16le, defaults both; Wine's
# winepulse.drv plays into the sink (recorded from its monitor) and records from the source
# (fed by a paced writer: without one, waveIn buffers never complete). ../shared/TOOLCHAIN.md,
# "Audio under Wine", has the pitfalls (norewinds=1, stdio redirected, ...).
#
#   pulse_need                 exit 77 with the reason when a tool is missing
#   pulse_start DIR            the daemon, its files in DIR (made afresh); exports PULSE_SERVER
#                              and PULSE_CLIENTCONFIG; 0 once sink and source are there, else 1
#                              with a SKIPPED line and the daemon's log on stdout
#   pulse_wine_driver LOADER PREFIX   HKCU\Software\Wine\Drivers Audio=pulse in that prefix (so a
#                              failure cannot fall back silently to another driver)
#   pulse_feed HZ              a paced writer of a HZ sine into the pipe source, 20 ms a chunk
#   pulse_record FILE          parec of rtcsink.monitor into FILE (raw s16le) ...
#   pulse_record_stop          ... until this
#   pulse_stop                 writer, parec and daemon stopped and waited for
pulse_pid= pulse_parec_pid= pulse_writer_pid= pulse_dir=

pulse_need() {
    for tool in pulseaudio pactl parec sox /usr/bin/python3; do
        command -v $tool >/dev/null 2>&1 || { echo "SKIPPED: $tool is not installed (pulseaudio, pulseaudio-utils, sox)"; exit 77; }
    done
    /usr/bin/python3 -c 'import numpy' 2>/dev/null || { echo "SKIPPED: python3-numpy is not installed"; exit 77; }
}

pulse_start() {
    pulse_dir=$1
    rm -rf "$pulse_dir"
    mkdir -p "$pulse_dir/run"
    chmod 700 "$pulse_dir/run"
    cat >"$pulse_dir/pulse.pa" <<EOF
load-module module-native-protocol-unix auth-anonymous=1 socket=$pulse_dir/pulse.sock
load-module module-null-sink sink_name=rtcsink rate=8000 channels=1 format=s16le norewinds=1
load-module module-pipe-source source_name=rtcsrc file=$pulse_dir/src.fifo format=s16le rate=8000 channels=1
set-default-sink rtcsink
set-default-source rtcsrc
EOF
    printf 'autospawn = no\n' >"$pulse_dir/client.conf"
    HOME=$pulse_dir XDG_RUNTIME_DIR=$pulse_dir/run PULSE_RUNTIME_PATH=$pulse_dir/run \
        pulseaudio --daemonize=no --system=false --exit-idle-time=-1 --disallow-exit=yes -n -F "$pulse_dir/pulse.pa" \
        --use-pid-file=no --disable-shm=yes --log-target=file:"$pulse_dir/pulse.log" </dev/null >"$pulse_dir/pulse.out" 2>&1 &
    pulse_pid=$!
    export PULSE_SERVER=unix:$pulse_dir/pulse.sock PULSE_CLIENTCONFIG=$pulse_dir/client.conf
    for _ in $(seq 1 100); do
        if pactl list short sinks 2>/dev/null | grep -q rtcsink && pactl list short sources 2>/dev/null | grep -q rtcsrc; then
            return 0
        fi
        kill -0 $pulse_pid 2>/dev/null || break
        sleep 0.1
    done
    echo "SKIPPED: the PulseAudio daemon did not start (null sink + pipe source); its log:"
    tail -n 5 "$pulse_dir/pulse.log" "$pulse_dir/pulse.out" 2>/dev/null || true
    return 1
}

pulse_wine_driver() {
    WINEPREFIX=$2 WINEDEBUG=-all "$1" reg add 'HKCU\Software\Wine\Drivers' /v Audio /d pulse /f >/dev/null 2>&1 || true
}

pulse_feed() {
    /usr/bin/python3 - "$pulse_dir/src.fifo" "$1" <<'PY' &
import math, struct, sys, time
f, hz = open(sys.argv[1], 'wb', buffering=0), float(sys.argv[2])
n, start = 0, time.monotonic()
while True:
    chunk = b''.join(struct.pack('<h', int(8000 * math.sin(2 * math.pi * hz * (n + i) / 8000))) for i in range(160))
    f.write(chunk)
    n += 160
    delay = start + n / 8000 - time.monotonic()
    if delay > 0:
        time.sleep(delay)
PY
    pulse_writer_pid=$!
}

pulse_record() {
    parec -d rtcsink.monitor --rate=8000 --channels=1 --format=s16le --latency-msec=20 >"$1" &
    pulse_parec_pid=$!
}

pulse_record_stop() {
    [ -n "$pulse_parec_pid" ] || return 0
    kill $pulse_parec_pid 2>/dev/null || true
    wait $pulse_parec_pid 2>/dev/null || true
    pulse_parec_pid=
}

pulse_stop() {
    for p in $pulse_writer_pid $pulse_parec_pid $pulse_pid; do kill "$p" 2>/dev/null || true; done
    for p in $pulse_writer_pid $pulse_parec_pid $pulse_pid; do wait "$p" 2>/dev/null || true; done
    pulse_pid= pulse_parec_pid= pulse_writer_pid=
}
