# SPDX-License-Identifier: LGPL-2.1-or-later
# RtcpmPackaging.cmake — CPack, driven by scripts/package.sh:
#   native  Debian packages, one per install component (RtcpmInstall.cmake):
#             librtcpmN     runtime  librtcpm.so.N
#             librtcpm-dev  dev      headers, librtcpm.a, librtcpm.so, rtcpm.pc, CMake package, IDL
#             rtcpm-tools   tools    the rtcpm-* programs, man pages, share/rtcpm sample configs
#           each with /usr/share/doc/<package>/copyright (the licence) and changelog.gz
#   MinGW   one zip, rtcpm-VERSION-<triplet>.zip: bin/ (rtcpm.dll, rtcpm_ps.dll, the programs),
#           lib/ (librtcpm.a, librtcpm.dll.a, pkgconfig/, cmake/), include/, share/ (sample
#           configs, the IDL, the toolchain file, doc/rtcpm/ with LICENSE and CHANGELOG.md)
# package.sh packages a shared build and puts a static build beside it
# (RTCPM_PACKAGE_EXTRA_BUILDS): librtcpm.a comes from there.

option(RTCPM_PACKAGE_DEB "Per-package Debian docs (/usr/share/doc/<package>/copyright, changelog.gz)" OFF)
set(RTCPM_PACKAGE_EXTRA_BUILDS "" CACHE STRING "Build directories of rtcpm packaged together with this one")
set(RTCPM_PACKAGE_MAINTAINER "rtcpm maintainers <rtcpm@example.org>" CACHE STRING "Maintainer field of the .debs")

set(RTCPM_DEB_RUNTIME librtcpm${RTCPM_SOVERSION})
if(RTCPM_PACKAGE_DEB)
  # Debian's own places for the licence and the changelog of each package.
  configure_file(cmake/debian-copyright.in "${PROJECT_BINARY_DIR}/debian/copyright" @ONLY)
  add_custom_command(OUTPUT "${PROJECT_BINARY_DIR}/debian/changelog.gz"
    COMMAND sh -c "gzip -9n -c \"$1\" > \"$2\"" gzip "${PROJECT_SOURCE_DIR}/CHANGELOG.md" "${PROJECT_BINARY_DIR}/debian/changelog.gz"
    DEPENDS "${PROJECT_SOURCE_DIR}/CHANGELOG.md"
    VERBATIM)
  add_custom_target(rtcpm_debian_docs ALL DEPENDS "${PROJECT_BINARY_DIR}/debian/changelog.gz")
  foreach(pair "runtime;${RTCPM_DEB_RUNTIME}" "dev;librtcpm-dev" "tools;rtcpm-tools")
    list(GET pair 0 component)
    list(GET pair 1 package)
    install(FILES "${PROJECT_BINARY_DIR}/debian/copyright" "${PROJECT_BINARY_DIR}/debian/changelog.gz"
      DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${package} COMPONENT ${component})
  endforeach()
endif()

set(CPACK_PACKAGE_NAME rtcpm)
set(CPACK_PACKAGE_VENDOR "the rtcpm authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "${RTCPM_PACKAGE_MAINTAINER}")
# the binaries without their debug information, as Debian ships them
set(CPACK_STRIP_FILES ON)
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};rtcpm;ALL;/")
# MinGW: the static build's dev component only (package.sh builds just its libraries, not
# rtcdll.dll or rtcpm_ps.dll). Native: ALL, which the .debs' per-component packaging needs
# (a named component there is dropped); a native static build has only librtcpm.a to build.
if(WIN32)
  set(_rtcpm_extra_component dev)
else()
  set(_rtcpm_extra_component ALL)
endif()
foreach(dir IN LISTS RTCPM_PACKAGE_EXTRA_BUILDS)
  list(APPEND CPACK_INSTALL_CMAKE_PROJECTS "${dir};rtcpm;${_rtcpm_extra_component};/")
endforeach()

if(WIN32)
  set(CPACK_GENERATOR ZIP)
  set(CPACK_PACKAGE_FILE_NAME rtcpm-${PROJECT_VERSION}-${RTCPM_TRIPLET})
  set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY ON)
  set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)
else()
  set(CPACK_GENERATOR DEB)
  set(CPACK_DEB_COMPONENT_INSTALL ON)
  # CPackDeb puts a summary other than its default before each component's description; the
  # first line of each description below is that package's own synopsis.
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_NAME} built using CMake")
  set(CPACK_COMPONENTS_ALL runtime dev tools)
  # install with DESTDIR into the package's /usr: rtcpm.pc then says prefix=/usr
  set(CPACK_SET_DESTDIR ON)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${RTCPM_PACKAGE_MAINTAINER}")
  set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
  set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

  set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${RTCPM_DEB_RUNTIME})
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_MULTIARCH same)
  set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "RTC 1.5 port managers - shared library
rtcpm implements the port-management interfaces of Microsoft's RTC Client API 1.5
(IRTCPortManager, 2 and 3) in plain C: static, STUN, PCP/NAT-PMP, UPnP IGD and
automatic port managers, and the RTC-side host objects that drive a port manager
the way RTC does.

This package holds the shared library.")

  set(CPACK_DEBIAN_DEV_PACKAGE_NAME librtcpm-dev)
  set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
  set(CPACK_DEBIAN_DEV_PACKAGE_MULTIARCH same)
  set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${RTCPM_DEB_RUNTIME} (= ${PROJECT_VERSION})")
  if(RTCPM_HAVE_MINIUPNPC)
    # librtcpm.a, rtcpm.pc's Libs.private and the CMake package name libminiupnpc: a static
    # consumer needs its archive
    string(APPEND CPACK_DEBIAN_DEV_PACKAGE_DEPENDS ", libminiupnpc-dev")
  endif()
  set(CPACK_COMPONENT_DEV_DESCRIPTION "RTC 1.5 port managers - development files
rtcpm implements the port-management interfaces of Microsoft's RTC Client API 1.5
in plain C.

This package holds the headers, the static library, rtcpm.pc for pkg-config,
the CMake package (find_package(rtcpm)) and the IDL.")

  set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME rtcpm-tools)
  set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION net)
  set(CPACK_DEBIAN_TOOLS_PACKAGE_MULTIARCH foreign)
  set(CPACK_COMPONENT_TOOLS_DESCRIPTION "RTC 1.5 port managers - command-line tools
rtcpm-demo shows what an RTC 1.5 application behind a NAT asks its port manager
(and sends SIP and RTP as RTC would); rtcpm-stun and rtcpm-stun-pm ask a STUN
server; rtcpm-pcp sends one PCP or NAT-PMP request; rtcpm-pm drives any of
rtcpm's port managers from stdin; rtcpm-media runs the media stream;
rtcpm-info lists the interfaces; rtcpm-registration-nat,
rtcpm-outgoing-call-nat and rtcpm-cpp-port-manager run the RTC documentation's
NAT flows. Sample configs are in /usr/share/rtcpm.")
endif()
include(CPack)
