# SPDX-License-Identifier: LGPL-2.1-or-later
# RtcpmInstall.cmake — what `cmake --install` puts where (layout: RtcpmInstallDirs.cmake).
#
# Components (the Debian packages of scripts/package.sh):
#   runtime  librtcpm.so.N / rtcpm.dll, rtcpm_ps.dll                         -> librtcpm0
#   dev      headers, librtcpm.a, librtcpm.so / librtcpm.dll.a, rtcpm.pc,
#            the CMake package, the IDL, the MinGW toolchain file            -> librtcpm-dev
#   tools    the rtcpm-* programs, their man pages and sample configs        -> rtcpm-tools
#
# A static and a shared build install side by side into one prefix: every file they share is
# byte-identical (headers, rtcpm.pc, rtcpmConfig*.cmake), and each writes its own CMake
# targets file (rtcpm-static-targets.cmake / rtcpm-shared-targets.cmake).

set(RTCPM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/rtcpm)
set(RTCPM_DATA_DIR ${CMAKE_INSTALL_DATADIR}/rtcpm)
if(RTCPM_SHARED)
  set(_rtcpm_kind shared)
else()
  set(_rtcpm_kind static)
endif()

# ---- the library -------------------------------------------------------------------------
install(TARGETS rtcpm EXPORT rtcpmTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(EXPORT rtcpmTargets NAMESPACE rtcpm:: FILE rtcpm-${_rtcpm_kind}-targets.cmake
  DESTINATION ${RTCPM_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(cmake/rtcpmConfig.cmake.in "${PROJECT_BINARY_DIR}/rtcpmConfig.cmake"
  INSTALL_DESTINATION ${RTCPM_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/rtcpmConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/rtcpmConfig.cmake" "${PROJECT_BINARY_DIR}/rtcpmConfigVersion.cmake"
  DESTINATION ${RTCPM_CMAKE_DIR} COMPONENT dev)

# ---- headers and the IDL ------------------------------------------------------------------
install(DIRECTORY include/rtcpm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
  FILES_MATCHING PATTERN "*.h"
  PATTERN compat EXCLUDE)
if(NOT WIN32)
  install(DIRECTORY include/rtcpm/compat DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rtcpm COMPONENT dev)
endif()
install(FILES "${rtcpm_idl_HEADER}" "${RTCPM_GEN_DIR}/version.h" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rtcpm
  COMPONENT dev)
install(FILES idl/rtcpm.idl DESTINATION ${RTCPM_DATA_DIR}/idl COMPONENT dev)

# ---- rtcpm.pc -------------------------------------------------------------------------------
# Cflags: the include directory (+ the compat subset natively). Libs: -lrtcpm, which the linker
# resolves to the shared library when there is one, and on Windows the COM libraries the API
# is used with (RTCPM_WIN32_PUBLIC_LIBS, CMakeLists.txt); Libs.private: what librtcpm.a needs
# on top (pkg-config --static). The prefix is written at install time: the real one
# (/usr in a .deb), or, with RTCPM_PC_RELOCATABLE (the zips), ${pcfiledir}-relative.
option(RTCPM_PC_RELOCATABLE "rtcpm.pc finds its prefix from its own location (unpack-anywhere archives)" OFF)
if(WIN32)
  list(TRANSFORM RTCPM_WIN32_PUBLIC_LIBS PREPEND "-l" OUTPUT_VARIABLE _pc_public)
  list(TRANSFORM RTCPM_WIN32_PRIVATE_LIBS PREPEND "-l" OUTPUT_VARIABLE _pc_private)
  string(JOIN " " RTCPM_PC_LIBS -lrtcpm ${_pc_public})
  string(JOIN " " RTCPM_PC_LIBS_PRIVATE ${_pc_private})
  set(RTCPM_PC_CFLAGS "-I\${includedir}")
else()
  set(RTCPM_PC_LIBS "-lrtcpm")
  # libresolv (SRV lookups), libminiupnpc where the UPnP IGD port manager uses it
  set(RTCPM_PC_LIBS_PRIVATE "-pthread -lresolv")
  if(RTCPM_HAVE_MINIUPNPC)
    string(APPEND RTCPM_PC_LIBS_PRIVATE " -lminiupnpc")
  endif()
  set(RTCPM_PC_CFLAGS "-I\${includedir} -I\${includedir}/rtcpm/compat")
endif()
set(RTCPM_PC_TARGET ${RTCPM_TRIPLET})
set(RTCPM_PC_PREFIX "@RTCPM_PC_PREFIX@") # kept for the install-time pass
configure_file(cmake/rtcpm.pc.in "${PROJECT_BINARY_DIR}/rtcpm.pc.in" @ONLY)
file(RELATIVE_PATH _pc_up "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" _pc_up "${_pc_up}")
if(RTCPM_PC_RELOCATABLE)
  set(_pc_prefix "\\\${pcfiledir}/${_pc_up}")
else()
  set(_pc_prefix "\${CMAKE_INSTALL_PREFIX}")
endif()
install(CODE "
  set(RTCPM_PC_PREFIX \"${_pc_prefix}\")
  configure_file(\"${PROJECT_BINARY_DIR}/rtcpm.pc.in\" \"${PROJECT_BINARY_DIR}/pc/rtcpm.pc\" @ONLY)
  file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\" TYPE FILE
    FILES \"${PROJECT_BINARY_DIR}/pc/rtcpm.pc\")" COMPONENT dev)

# ---- MinGW: a toolchain file for consumers ------------------------------------------------
# <prefix>/<triplet>/share/rtcpm/toolchain-<triplet>.cmake: the cross compilers, and the
# install's own root on CMAKE_FIND_ROOT_PATH, so find_package(rtcpm) needs nothing else.
if(WIN32)
  get_filename_component(_root "/${CMAKE_INSTALL_LIBDIR}" DIRECTORY) # /<triplet>, or / in a zip
  file(RELATIVE_PATH RTCPM_TOOLCHAIN_TO_ROOT "/${RTCPM_DATA_DIR}" "${_root}")
  # the header (this install's root) + the compilers, as the presets use them
  file(READ cmake/toolchain-mingw-installed.cmake.in _head)
  file(READ cmake/toolchain-mingw.cmake _compilers)
  string(REGEX REPLACE "^#[^\n]*\n" "" _compilers "${_compilers}") # its own SPDX line
  file(CONFIGURE OUTPUT "${PROJECT_BINARY_DIR}/toolchain-${RTCPM_TRIPLET}.cmake" CONTENT "${_head}${_compilers}" @ONLY)
  install(FILES "${PROJECT_BINARY_DIR}/toolchain-${RTCPM_TRIPLET}.cmake" DESTINATION ${RTCPM_DATA_DIR}
    COMPONENT dev)
endif()

# ---- licence, changelog, readme -------------------------------------------------------------
# share/doc/rtcpm for a plain install and the zips; a Debian package gets its own
# /usr/share/doc/<package>/{copyright,changelog.gz} (RtcpmPackaging.cmake).
if(NOT RTCPM_PACKAGE_DEB)
  install(FILES LICENSE CHANGELOG.md README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT dev)
endif()
