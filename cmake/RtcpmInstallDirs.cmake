# SPDX-License-Identifier: LGPL-2.1-or-later
# RtcpmInstallDirs.cmake — where each target installs, included before GNUInstallDirs.
#
# Every target can be installed into one prefix without touching another's files, the way
# Debian lays out its own packages:
#   native (multiarch)  include/rtcpm/        headers (byte-identical for every Linux target)
#                       lib/<triplet>/        librtcpm.a, librtcpm.so*, pkgconfig/, cmake/rtcpm/
#                       bin/                  the rtcpm-* programs of the build machine's own arch
#                       share/rtcpm/, share/man/man1/, share/doc/rtcpm/
#   native, another arch (native32: cross-compiled)
#                       lib/<triplet>/rtcpm/bin/  its programs: bin/ belongs to the native ones
#   MinGW               <triplet>/{include,lib,bin,share}/  (Debian's mingw-w64 packages:
#                       /usr/x86_64-w64-mingw32/include, .../lib); rtcpm.dll, rtcpm_ps.dll
#                       and the .exe programs in <triplet>/bin
# RTCPM_INSTALL_TRIPLET_DIR= (empty) drops the <triplet>/ level for MinGW: the layout of
# the Windows zip (bin/, lib/, include/, share/ at its top). Any CMAKE_INSTALL_<dir> given on
# the command line wins over these defaults.

# rtcpm_install_dir(<CMAKE_INSTALL_xxx> <default> <GNUInstallDirs' own default> <doc>)
# A build directory configured before this layout existed has GNUInstallDirs' defaults in its
# cache: those are replaced once; a value given by the user is kept.
function(rtcpm_install_dir var value gnu_default doc)
  if(NOT DEFINED CACHE{${var}} OR ("$CACHE{${var}}" STREQUAL "${gnu_default}" AND NOT RTCPM_LAYOUT_APPLIED))
    set(${var} "${value}" CACHE PATH "${doc}" FORCE)
  endif()
endfunction()

if(WIN32)
  if(RTCPM_TOOLCHAIN_PREFIX)
    set(_rtcpm_triplet ${RTCPM_TOOLCHAIN_PREFIX})
  elseif(CMAKE_C_COMPILER_TARGET)
    set(_rtcpm_triplet ${CMAKE_C_COMPILER_TARGET})
  elseif(CMAKE_SIZEOF_VOID_P EQUAL 8)
    set(_rtcpm_triplet x86_64-w64-mingw32)
  else()
    set(_rtcpm_triplet i686-w64-mingw32)
  endif()
  set(RTCPM_TRIPLET ${_rtcpm_triplet})
  set(RTCPM_INSTALL_TRIPLET_DIR ${_rtcpm_triplet} CACHE STRING
    "MinGW: install under <prefix>/<this>/{include,lib,bin,share} (empty: <prefix>/{include,...})")
  if(RTCPM_INSTALL_TRIPLET_DIR)
    set(_rtcpm_root "${RTCPM_INSTALL_TRIPLET_DIR}/")
  else()
    set(_rtcpm_root "")
  endif()
  rtcpm_install_dir(CMAKE_INSTALL_BINDIR "${_rtcpm_root}bin" bin "Programs and DLLs")
  rtcpm_install_dir(CMAKE_INSTALL_LIBDIR "${_rtcpm_root}lib" lib "Libraries, pkgconfig, cmake")
  rtcpm_install_dir(CMAKE_INSTALL_INCLUDEDIR "${_rtcpm_root}include" include "Headers")
  rtcpm_install_dir(CMAKE_INSTALL_DATAROOTDIR "${_rtcpm_root}share" share "Read-only data root")
  set(RTCPM_INSTALL_PROGRAMDIR "${_rtcpm_root}bin" CACHE PATH "The rtcpm-* programs")
else()
  set(RTCPM_TRIPLET ${CMAKE_LIBRARY_ARCHITECTURE})
  if(CMAKE_LIBRARY_ARCHITECTURE)
    # GNUInstallDirs picks lib/<triplet> only for the prefix /usr; do it for every prefix.
    rtcpm_install_dir(CMAKE_INSTALL_LIBDIR "lib/${CMAKE_LIBRARY_ARCHITECTURE}" lib "Libraries, pkgconfig, cmake")
  endif()
  if(CMAKE_CROSSCOMPILING AND CMAKE_LIBRARY_ARCHITECTURE)
    set(RTCPM_INSTALL_PROGRAMDIR "lib/${CMAKE_LIBRARY_ARCHITECTURE}/rtcpm/bin" CACHE PATH "The rtcpm-* programs")
  else()
    set(RTCPM_INSTALL_PROGRAMDIR "bin" CACHE PATH "The rtcpm-* programs")
  endif()
endif()
set(RTCPM_LAYOUT_APPLIED ON CACHE INTERNAL "the defaults above replaced GNUInstallDirs' once")
