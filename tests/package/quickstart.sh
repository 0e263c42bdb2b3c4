#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# quickstart.sh ENV — README.md's "Quickstart", as written: the blocks after
# <!-- quickstart: my_pm.c -->, <!-- quickstart: build --> and <!-- quickstart: output --> are
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
block my_pm.c >"$w/project/my_pm.c"
block build >"$w/build.sh"
block output >"$w/expected"
for f in project/my_pm.c build.sh expected; do
    [ -s "$w/$f" ] || die "README.md has no quickstart block for $f"
done
echo "README quickstart: my_pm.c $(wc -l <"$w/project/my_pm.c") lines, build $(wc -l <"$w/build.sh") lines"

ln -s "$PKG_PREFIX" "$w/home/rtcpm"
# `wine` in the build block: this build's Wine prefix (the wine fixture), through wine-run.sh
cat >"$w/bin/wine" <<SHIM
#!/bin/sh
exec $PKG_RUNNER "\$@"
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
