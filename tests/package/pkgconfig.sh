#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# pkgconfig.sh ENV — README.md's plain Makefile (taken from the README) builds
# tests/package/consumer/consumer.c with this target's compiler (gcc, gcc -m32, <triplet>-gcc)
# and nothing but pkg-config against the install:
#   $(pkg-config --cflags --libs rtcpm)            a shared build
#   $(pkg-config --cflags --libs --static rtcpm)   a static build (make STATIC=--static)
# and runs it (natively, qemu-i386, wine64). MinGW static: every library
# `pkg-config --libs --static` adds to -lrtcpm (Libs: ole32 oleaut32 uuid, Libs.private:
# ws2_32 bcrypt dnsapi iphlpapi) is needed: the link fails without it, checked with a program that takes the
# address of every export of src/rtcpm.def.
. "$1"
. "$(dirname "$0")/lib.sh"
w="$PKG_WORK/pkgconfig"
rm -rf "$w" && mkdir -p "$w"

check_eq "pkg-config --modversion rtcpm" "$PKG_VERSION" "$(pc --modversion rtcpm)"
if [ "$PKG_SHARED" = 1 ]; then static=""; else static="--static"; fi
echo "pkg-config --cflags --libs $static rtcpm: $(pc --cflags --libs $static rtcpm)"

# README.md's Makefile, as written, with the consumer as app.c
awk '$0 == "<!-- readme: Makefile -->" { want = 1; next }
     want && !inside && /^```/ { inside = 1; next }
     inside && /^```/ { exit }
     inside { print }' "$PKG_SOURCE_DIR/README.md" >"$w/Makefile"
check "README.md has the Makefile" grep -q '^app: app.c' "$w/Makefile"
cp "$PKG_SOURCE_DIR/tests/package/consumer/consumer.c" "$w/app.c"
# pkg-config for this target, confined to the install (what PKG_CONFIG_LIBDIR does for a user)
printf '#!/bin/sh\nPKG_CONFIG_LIBDIR="%s" PKG_CONFIG_PATH= exec %s "$@"\n' "$PKG_LIB/pkgconfig" "$PKG_PKG_CONFIG" >"$w/pkg-config"
chmod +x "$w/pkg-config"
# CFLAGS from the environment: the Makefile adds to it
if CFLAGS=-Werror make -C "$w" CC="$PKG_CC" PKG_CONFIG="$w/pkg-config" STATIC="$static" >"$w/make.log" 2>&1; then
    ok
    exe="$w/app"
    [ "$PKG_KIND" = mingw ] && exe="$exe.exe"
    rc=0
    run_target "$w/run.out" "$exe" || rc=$?
    if [ $rc -eq 77 ]; then
        note_skip "the consumer built; this machine cannot run it ($(head -n 1 "$w/run.out.err"))"
    else
        check_eq "consumer exit code" 0 "$rc"
        check_eq "consumer output" "$(consumer_expected)" "$(cat "$w/run.out")"
    fi
else
    cat "$w/make.log" >&2
    bad "make CC='$PKG_CC' PKG_CONFIG=<$PKG_PKG_CONFIG> STATIC=$static with README.md's Makefile"
fi
grep -q 'warning:' "$w/make.log" && bad "compiler warnings: $(grep 'warning:' "$w/make.log" | head -n 3)"

if [ "$PKG_KIND" = mingw ] && [ "$PKG_SHARED" = 0 ]; then
    # every export of the .def, referenced: the whole library is linked in
    {
        echo '#include "rtcpm/rtcpm.h"'
        echo 'int main(void) {'
        echo '    const void *volatile all[] = {'
        grep -E '^[[:space:]]+[A-Za-z_][A-Za-z0-9_]*([[:space:]]+DATA)?[[:space:]]*$' "$PKG_DEF" | awk '{ printf "        (const void *)&%s,\n", $1 }'
        echo '    };'
        echo '    return all[0] ? 0 : 1;'
        echo '}'
    } >"$w/all_exports.c"
    cflags=$(pc --cflags rtcpm)
    libs=$(pc --libs --static rtcpm)
    # shellcheck disable=SC2086
    check "linking every export with pkg-config --libs --static" $PKG_CC -o "$w/all.exe" "$w/all_exports.c" $cflags $libs
    for l in $(pc --libs-only-l --static rtcpm); do
        [ "$l" = -lrtcpm ] && continue
        without=$(printf '%s\n' $libs | grep -vx -- "$l" | tr '\n' ' ')
        # shellcheck disable=SC2086
        if $PKG_CC -o "$w/without.exe" "$w/all_exports.c" $cflags $without >"$w/without.log" 2>&1; then
            bad "rtcpm.pc lists $l, yet librtcpm.a links without it"
        else
            ok
            echo "without $l: $(grep -m1 'undefined reference' "$w/without.log" | sed 's/.*undefined/undefined/')"
        fi
    done
fi
finish
