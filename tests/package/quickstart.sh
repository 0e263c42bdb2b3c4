#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# quickstart.sh ENV — README.md's "Quickstart", as written: the blocks after
# <!-- quickstart: my_pm.c -->, <!-- quickstart: host_app.c -->, <!-- quickstart: rtc_app.c -->
# (my_pm.c handed to rtcdll.dll), <!-- quickstart: build --> and <!-- quickstart: output --> are
# taken out of the README; the build block runs as it is with HOME set so that ~/rtcpm is this
# build's install and `wine` running in the build's private Wine prefix; its output must be
# the README's, and the compiler must not warn. So the quickstart cannot rot.
. "$1"
. "$(dirname "$0")/lib.sh"
w="$PKG_WORK/quickstart"
rm -rf "$w" && mkdir -p "$w/home" "$w/project" "$w/bin"
readme="$PKG_SOURCE_DIR/README.md"

# block TAG: the fenced block after "<!-- quickstart: TAG -->"
block() {
    awk -v tag="<!-- quickstart: $1 -->" '
        $0 == tag { want = 1; next }
        want && !inside && /^```/ { inside = 1; next }
        inside && /^```/ { exit }
        inside { print }' "$readme"
}
for c in my_pm.c host_app.c rtc_app.c; do
    block $c >"$w/project/$c"
done
block build >"$w/build.sh"
block output >"$w/expected"
for f in project/my_pm.c project/host_app.c project/rtc_app.c build.sh expected; do
    [ -s "$w/$f" ] || die "README.md has no quickstart block for $f"
done
echo "README quickstart: my_pm.c $(wc -l <"$w/project/my_pm.c") lines, host_app.c $(wc -l <"$w/project/host_app.c"), rtc_app.c $(wc -l <"$w/project/rtc_app.c"), build $(wc -l <"$w/build.sh") lines"
check "the build block registers rtcdll.dll and runs rtc_app.exe" grep -q 'regsvr32.*rtcdll.dll' "$w/build.sh"
check "rtc_app.c hands my_pm to CLSID_RTCClient's profile" \
    sh -c "grep -q 'CoCreateInstance(&CLSID_RTCClient' '$w/project/rtc_app.c' && grep -q 'IRTCProfilePortManagement_SetPortManager' '$w/project/rtc_app.c'"

ln -s "$PKG_PREFIX" "$w/home/rtcpm"
# `wine` in the build block: this build's Wine prefix (the wine fixture), through wine-run.sh
# (`wine regsvr32 ...`: Wine's own program, started by wine-run.sh's loader for the DLL)
cat >"$w/bin/wine" <<SHIM
#!/bin/sh
[ -f "\$1" ] && exec $PKG_RUNNER "\$@"
for a in "\$@"; do [ -f "\$a" ] && pe=\$a; done
loader=\$($PKG_SOURCE_DIR/wine/wine-run.sh --loader "\$pe") || exit 77
export WINEPREFIX=$(echo "$PKG_RUNNER" | awk '{print $2}') WINEDEBUG=-all DISPLAY=
exec "\$loader" "\$@"
SHIM
chmod +x "$w/bin/wine"

rc=0
(cd "$w/project" && HOME="$w/home" PATH="$w/bin:$PATH" sh -e "$w/build.sh") >"$w/out.raw" 2>"$w/err" || rc=$?
tr -d '\r' <"$w/out.raw" >"$w/out"
if [ $rc -eq 77 ]; then
    note_skip "this machine cannot run the quickstart's .exe: $(head -n 1 "$w/err")"
else
    check_eq "the README's build block: exit code" 0 "$rc"
    if ! cmp -s "$w/expected" "$w/out"; then
        bad "output differs from the README's:"
        diff -u "$w/expected" "$w/out" >&2
    else
        ok
    fi
fi
warnings=$(grep -E 'warning:|error:' "$w/err" || true)
check_eq "compiler warnings in the quickstart" "" "$warnings"
[ $rc -eq 0 ] || cat "$w/err" >&2
finish
