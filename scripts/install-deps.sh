#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs every Debian package rtcpm needs to build and test (Debian 12, run as root), and
# makes 32-bit x86 programs runnable for the native32 and mingw32 presets.
# Idempotent: installs only what is missing. Adds nothing outside Debian's archive.
#
# 32-bit x86 (i386):
#  - wine32 (i386 architecture): runs the mingw32 preset's .exe files. If the i386 index is
#    broken (it was once: every `apt-get update` failed), the architecture is removed again and
#    the output says so; the mingw32 tests then report why they cannot run.
#  - Where the kernel executes i386 ELF (checked by running a gcc -m32 program), nothing else:
#    native32 and wine32 run natively.
#  - Where it cannot, qemu-user >= 9 from Debian's bookworm-backports and a binfmt_misc
#    registration for i386 ("rtcpm-i386") run both under qemu. Bookworm's own qemu-user 7.2
#    cannot run wine32 (it treats MAP_FIXED_NOREPLACE as a hint: Wine cannot place
#    KUSER_SHARED_DATA), so it is never registered; without backports, native32 still runs under
#    bookworm's qemu-i386-static and the mingw32 tests are skipped with the reason.
#  A binfmt_misc registration does not survive a reboot: run this again (scripts/test.sh does).
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config git
  gcc-multilib g++-multilib            # 32-bit stdcall ABI test (gcc -m32)
  qemu-user-static                     # runs the -m32 tests where the kernel has no i386 emulation
  mingw-w64 mingw-w64-tools            # x86_64/i686 cross compilers, widl
  wine wine64 libwine-dev wine64-tools # wine64 runs the .exe tests; Wine's IDL files
  libcunit1-dev                        # CUnit natively
  dpkg-dev                             # apt-get source (CUnit for MinGW), dpkg-shlibdeps (scripts/package.sh)
  coturn sip-tester iptables iproute2  # STUN server, SIP peer, NAT for the end-to-end tests
  python3                              # tests/e2e/udp_peer.py, scripts/test_report.py, tests/style/check_traces.py
  miniupnpd-nftables nftables          # e2e: a router that negotiates mappings (PCP, NAT-PMP, UPnP IGD)
  natpmpc miniupnpc                    # e2e self-tests and benchmark rows: Debian's NAT-PMP / UPnP clients
  libminiupnpc-dev                     # the UPnP IGD port manager natively (libminiupnpc)
  dnsmasq-base                         # tests/dns, tests/pm_dns: a DNS server (A, AAAA, SRV) the test starts
  clang libclang-rt-14-dev valgrind    # sanitizers, fuzzing, leak checks
  clang-format                         # tests/style: the tree is formatted as .clang-format says
  ccache                               # scripts/test.sh: a compile repeated within one run (package.sh) is reused
  help2man                             # man pages of the installed programs, from their --help
  sox espeak-ng python3-numpy          # media tests: G.711 reference, speech, sound analysis
  pulseaudio pulseaudio-utils          # media tests: winmm under Wine plays into / records from PulseAudio
)
I386_PKGS=(wine32:i386)               # runs the mingw32 preset's i686 .exe tests
BACKPORTS=bookworm-backports
BACKPORTS_LIST=/etc/apt/sources.list.d/rtcpm-bookworm-backports.sources
BINFMT=/proc/sys/fs/binfmt_misc
BINFMT_NAME=rtcpm-i386
export DEBIAN_FRONTEND=noninteractive

say() { echo "install-deps: $*"; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
is_root() { [ "$(id -u)" -eq 0 ]; }

missing_of() { # package... -> the ones not installed
  local p
  for p in "$@"; do installed "$p" || echo "$p"; done
}

apt_update() { apt-get update -q; }

# ---- the i386 architecture and wine32 ---------------------------------------------------------
need_update=0
i386_added=0
if ! dpkg --print-foreign-architectures | grep -qx i386; then
  if is_root; then
    dpkg --add-architecture i386
    i386_added=1
    need_update=1
  else
    say "the i386 architecture is not enabled (run as root to enable it for wine32)"
  fi
fi

mapfile -t missing < <(missing_of "${PKGS[@]}")
mapfile -t missing32 < <(missing_of "${I386_PKGS[@]}")
if ! is_root && [ ${#missing[@]} -gt 0 ]; then
  say "missing packages: ${missing[*]} (run as root to install them)" >&2
  exit 1
fi

# deb-src entry for `apt-get source cunit`, derived from the machine's own apt sources.
if ! grep -qsE '^(Types: *deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      > /etc/apt/sources.list.d/rtcpm-debian-src.sources
  elif [ -f /etc/apt/sources.list ]; then
    grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
      > /etc/apt/sources.list.d/rtcpm-debian-src.list
  fi
  need_update=1
fi

if is_root && { [ ${#missing[@]} -gt 0 ] || [ ${#missing32[@]} -gt 0 ] || [ $need_update -eq 1 ]; }; then
  if ! apt_update; then
    if [ $i386_added -eq 1 ]; then
      say "apt-get update FAILED after adding the i386 architecture (its index is broken, as on" >&2
      say "2026-11-25): removing i386 again; wine32 cannot be installed, the mingw32 tests will be skipped" >&2
      dpkg --remove-architecture i386
      missing32=()
      apt_update
    else
      exit 1
    fi
  fi
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if is_root && [ ${#missing32[@]} -gt 0 ] && dpkg --print-foreign-architectures | grep -qx i386; then
  say "installing ${missing32[*]} (about 330 packages)"
  if ! apt-get install -y -q --no-install-recommends "${missing32[@]}"; then
    say "installing ${missing32[*]} FAILED (see apt's messages above): the mingw32 tests will be skipped" >&2
  fi
fi
# coturn's package may start a turnserver service; tests start their own.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now coturn >/dev/null 2>&1 || true; fi

# ---- running i386 programs --------------------------------------------------------------------
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
probe=$probe_dir/i386-probe
echo 'int main(void) { return 0; }' >"$probe_dir/p.c"
gcc -m32 -static -o "$probe" "$probe_dir/p.c"

i386_runs() { "$probe" >/dev/null 2>&1; }

# Does the kernel itself execute i386 ELF? Our binfmt_misc entry exists only where it did not
# when the entry was registered, and a registration ends with a reboot: then it still does not
# (no need to switch the entry off, which would fail i386 programs starting meanwhile).
kernel_runs_i386() {
  [ ! -f "$BINFMT/$BINFMT_NAME" ] && i386_runs
}

qemu_version() { # the installed qemu-user-static's Debian version, or ""
  dpkg-query -W -f='${Version}' qemu-user-static 2>/dev/null || true
}

qemu_new_enough() { # qemu-user >= 9 runs wine32
  local v
  v=$(qemu_version)
  [ -n "$v" ] && dpkg --compare-versions "$v" ge 1:9
}

# qemu-user-static >= 9 from bookworm-backports; 1 (said why) when it cannot be had.
install_backports_qemu() {
  local codename uri
  qemu_new_enough && return 0
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  if [ "$codename" != bookworm ]; then
    say "i386: not Debian 12 (bookworm) but '$codename': no $BACKPORTS to take qemu-user >= 9 from"
    return 1
  fi
  if [ ! -f "$BACKPORTS_LIST" ] && ! grep -qsr "$BACKPORTS" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    uri=$(sed -n 's/^URIs: *\([^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
    uri=${uri:-http://deb.debian.org/debian}
    say "i386: adding Debian's $BACKPORTS ($uri) for qemu-user >= 9 (apt pins backports low: nothing else changes)"
    printf '%s\n' "# SPDX-License-Identifier: LGPL-2.1-or-later" \
      "# rtcpm (scripts/install-deps.sh): qemu-user >= 9, which runs wine32 where the kernel cannot run i386" \
      "Types: deb" "URIs: $uri" "Suites: $BACKPORTS" "Components: main" \
      "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" >"$BACKPORTS_LIST"
    apt_update || { say "i386: apt-get update with $BACKPORTS failed"; return 1; }
  fi
  # (no `| grep -q` under pipefail: apt-cache killed by SIGPIPE would fail the pipe)
  if [[ "$(apt-cache policy qemu-user-static)" != *"$BACKPORTS"* ]]; then
    say "i386: $BACKPORTS has no qemu-user-static here (not reachable?)"
    return 1
  fi
  say "i386: installing qemu-user-static from $BACKPORTS (qemu-user >= 9; bookworm's 7.2 cannot run wine32)"
  apt-get install -y -q --no-install-recommends -t "$BACKPORTS" qemu-user-static || {
    say "i386: installing qemu-user-static from $BACKPORTS FAILED"
    return 1
  }
  qemu_new_enough
}

# binfmt_misc entry BINFMT_NAME: every i386 ELF executable runs under qemu-i386 (F: the
# interpreter is opened now, so it works in chroots and namespaces; P: argv[0] is kept).
register_binfmt() {
  local interp magic mask
  if [ ! -w "$BINFMT/register" ]; then
    mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null || { say "i386: cannot mount binfmt_misc on $BINFMT"; return 1; }
  fi
  if [ -f "$BINFMT/$BINFMT_NAME" ]; then
    grep -qx enabled "$BINFMT/$BINFMT_NAME" || echo 1 >"$BINFMT/$BINFMT_NAME"
    say "i386: binfmt_misc entry $BINFMT_NAME already registered ($(sed -n 's/^interpreter //p' "$BINFMT/$BINFMT_NAME"))"
    return 0
  fi
  interp=/usr/libexec/qemu-binfmt/i386-binfmt-P
  [ -x "$interp" ] || interp=$(command -v qemu-i386-static || command -v qemu-i386 || true)
  [ -n "$interp" ] || { say "i386: no qemu-i386 to register"; return 1; }
  magic='\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00'
  mask='\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
  printf ':%s:M::%s:%s:%s:FP' "$BINFMT_NAME" "$magic" "$mask" "$interp" >"$BINFMT/register" ||
    { say "i386: registering $interp in binfmt_misc failed"; return 1; }
  say "i386: registered $interp for i386 ELF in binfmt_misc ($BINFMT/$BINFMT_NAME)"
}

# Other binfmt_misc handlers for i386, named, or "" (then the kernel runs i386 itself).
other_handlers() {
  local f names=""
  for f in "$BINFMT"/*; do
    [ -f "$f" ] && grep -q '^magic 7f454c4601010100000000000000000002000300' "$f" 2>/dev/null &&
      names="$names ${f##*/}"
  done
  [ -z "$names" ] || echo ", or the binfmt_misc handler(s)$names"
}

wine32_runs() { [ -x /usr/lib/wine/wine ] && /usr/lib/wine/wine --version >/dev/null 2>&1; }

setup_i386() {
  if kernel_runs_i386; then
    say "i386: this machine executes i386 ELF directly (the kernel's IA32 emulation$(other_handlers)): native32 and wine32 run without rtcpm's qemu registration"
    return
  fi
  say "i386: this kernel does not execute i386 ELF (Exec format error)"
  if ! is_root; then
    i386_runs && say "i386: a binfmt_misc handler runs i386 programs" && return
    say "i386: run as root to set up qemu-user for i386 (native32 falls back to qemu-i386-static)"
    return
  fi
  if install_backports_qemu && register_binfmt && i386_runs; then
    say "i386: native32 and wine32 run under qemu-user $(qemu_version) through binfmt_misc (about 10x slower than native)"
  else
    say "i386: no qemu-user >= 9 for i386: native32 runs under $(command -v qemu-i386-static || echo '(no qemu-i386-static)'), the mingw32 tests will be skipped (wine32 needs the kernel or qemu-user >= 9)"
    return
  fi
  if ! installed wine32:i386; then
    say "i386: wine32 is not installed: the mingw32 tests will be skipped"
  elif wine32_runs; then
    say "i386: wine32 runs: $(/usr/lib/wine/wine --version)"
  else
    say "i386: wine32 is installed but its loader does not run: the mingw32 tests will be skipped"
  fi
}
setup_i386
say "all packages present"
