#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs every Debian package rtcpm needs to build and test (Debian 12, run as root).
# Idempotent: installs only what is missing. Adds nothing outside Debian's archive.
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config git
  gcc-multilib g++-multilib            # 32-bit stdcall ABI test (gcc -m32)
  qemu-user-static                     # runs the -m32 test: the kernel has no i386 emulation
  mingw-w64 mingw-w64-tools            # x86_64/i686 cross compilers, widl
  wine wine64 libwine-dev wine64-tools # wine64 runs the .exe tests; Wine's IDL files
  libcunit1-dev                        # CUnit natively
  dpkg-dev                             # apt-get source (CUnit for MinGW is built from Debian's source)
  coturn sip-tester iptables iproute2  # STUN server, SIP peer, NAT for the end-to-end tests
  python3                              # tests/e2e/udp_peer.py: the media peer of the end-to-end tests
  miniupnpd-nftables nftables          # e2e: a router that negotiates mappings (PCP, NAT-PMP, UPnP IGD)
  natpmpc miniupnpc                    # e2e self-tests and benchmark rows: Debian's NAT-PMP / UPnP clients
  libminiupnpc-dev                     # the UPnP IGD port manager natively (libminiupnpc)
  dnsmasq-base                         # tests/dns, tests/pm_dns: a DNS server (A, AAAA, SRV) the test starts
  clang libclang-rt-14-dev valgrind    # sanitizers, fuzzing, leak checks
  clang-format                         # tests/style: the tree is formatted as .clang-format says
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "$(id -u)" -ne 0 ] && [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
  exit 1
fi

# deb-src entry for `apt-get source cunit`, derived from the machine's own apt sources.
need_update=0
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

if [ ${#missing[@]} -gt 0 ] || [ $need_update -eq 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# coturn's package may start a turnserver service; tests start their own.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now coturn >/dev/null 2>&1 || true; fi
echo "install-deps: all packages present"
