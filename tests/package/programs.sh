#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# programs.sh ENV — the installed rtcpm-* programs as a user meets them:
#   --version: "<name> (rtcpm) <project version>" and exit 0; --help: usage on stdout, exit 0;
#   an unknown option: a message on stderr and exit 64 (EX_USAGE);
#   the flows read the installed share/rtcpm/static-nat.ini from any directory (and a program
#   copied away from its installation does not find one: never the source tree);
#   `rtcpm-demo register --config static-nat.ini` finds the installed sample by name;
#   natively, a man page per program (help2man), with the version.
. "$1"
. "$(dirname "$0")/lib.sh"
w="$PKG_WORK/programs"
rm -rf "$w" && mkdir -p "$w/cwd"
cd "$w/cwd" || die "no $w/cwd"

exe_of() {
    if [ "$PKG_KIND" = mingw ]; then echo "$PKG_PROG/$1.exe"; else echo "$PKG_PROG/$1"; fi
}
# run_check DESC WANT_RC PROGRAM ARGS...: exit code; 77 (no way to run it here) skips the rest
runs=0
run_check() {
    desc=$1 want=$2
    shift 2
    rc=0
    run_target "$w/out" "$@" || rc=$?
    if [ $rc -eq 77 ] && [ "$want" != 77 ]; then
        note_skip "this machine cannot run $(basename "$1"): $(head -n 1 "$w/out.err")"
        return 1
    fi
    runs=$((runs + 1))
    check_eq "$desc: exit code" "$want" "$rc"
}

# the list checked below is the build's (rtcpm_program): it must be every program installed
# (a program installed some other way would escape every check here)
expected=$(printf '%s\n' $PKG_PROGRAMS | sort | tr '\n' ' ')
installed=$(find "$PKG_PROG" -maxdepth 1 -type f ! -name '*.dll' ! -name '*.dll.a' -printf '%f\n' |
    sed 's/\.exe$//' | sort | tr '\n' ' ')
check_eq "the installed programs are the checked ones" "$expected" "$installed"
check "the negotiating port managers' programs are installed" sh -c "echo ' $installed' | grep -q ' rtcpm-pcp .*rtcpm-pm '"

for p in $PKG_PROGRAMS; do
    exe=$(exe_of "$p")
    run_check "$p --version" 0 "$exe" --version || break
    check_eq "$p --version, first line" "$p (rtcpm) $PKG_VERSION" "$(head -n 1 "$w/out")"
    run_check "$p --help" 0 "$exe" --help
    check "$p --help prints a usage line on stdout" grep -qiE '^usage: ' "$w/out"
    check "$p --help names --version" grep -q -- '--version' "$w/out"
    case "$p" in
    rtcpm-demo) args="register --no-such-option" ;;
    *) args="--no-such-option" ;;
    esac
    # shellcheck disable=SC2086
    run_check "$p $args" 64 "$exe" $args
    check "$p $args: a message on stderr" test -s "$w/out.err"
    check "$p $args: nothing on stdout" test ! -s "$w/out"
done

if [ -z "$skip_reason" ]; then
    # the default config of the flows: the installed sample, from a directory without one
    run_check "rtcpm-registration-nat (default config)" 0 "$(exe_of rtcpm-registration-nat)"
    check "rtcpm-registration-nat reads the installed share/rtcpm/static-nat.ini" \
        grep -q "rule(s) from .*share/rtcpm/static-nat.ini" "$w/out"
    check "rtcpm-registration-nat: the NAT's external address in the Contact" grep -q '198.51.100.7' "$w/out"
    run_check "rtcpm-demo register --config static-nat.ini (by name)" 0 "$(exe_of rtcpm-demo)" register --config static-nat.ini
    check "rtcpm-demo: the mapping of the installed sample" grep -q 'mapping sip 192.168.1.10:5060 -> 198.51.100.7:5060' "$w/out"
    # rtcpm-pm's configs by name too (making a PCP port manager sends nothing; end of input
    # then releases it)
    run_check "rtcpm-pm --pcp-config pcp-nat.ini (by name)" 0 "$(exe_of rtcpm-pm)" --pcp-config pcp-nat.ini </dev/null
    check "rtcpm-pm: nothing on stderr" test ! -s "$w/out.err"
    # a copy outside any installation finds no sample: not the source tree's, not the build tree's
    mkdir -p "$w/elsewhere/bin"
    cp "$(exe_of rtcpm-registration-nat)" "$w/elsewhere/bin/"
    run_check "rtcpm-registration-nat away from its installation" 64 "$w/elsewhere/bin/$(basename "$(exe_of rtcpm-registration-nat)")"
    check "... says which config it could not read" grep -q 'static-nat.ini' "$w/out.err"
fi

if [ "$PKG_MAN_PAGES" = 1 ]; then
    pages=$(find "$PKG_PREFIX/$PKG_MANDIR/man1" -maxdepth 1 -name '*.1.gz' -printf '%f\n' | sed 's/\.1\.gz$//' |
        sort | tr '\n' ' ')
    check_eq "man1: one page per installed program, no other" "$expected" "$pages"
    for p in $PKG_PROGRAMS; do
        page="$PKG_PREFIX/$PKG_MANDIR/man1/$p.1.gz"
        if [ -f "$page" ]; then
            ok
            check "man page $p.1: .TH with the name and the version" sh -c "gzip -dc '$page' | grep -qE '^\\.TH \"?$(echo "$p" | tr a-z A-Z)\"? .*$PKG_VERSION'"
            check "man page $p.1: a DESCRIPTION section" sh -c "gzip -dc '$page' | grep -q '^\\.SH DESCRIPTION'"
            check "man page $p.1: NAME says '$p \\- what it does'" sh -c "gzip -dc '$page' | sed -n '/^\\.SH NAME/{n;p;q}' | grep -qE '^$p \\\\- [a-z]'"
        else
            bad "no man page $PKG_MANDIR/man1/$p.1.gz"
        fi
    done
fi
echo "$runs program runs"
finish
