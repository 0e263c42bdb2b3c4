# SPDX-License-Identifier: LGPL-2.1-or-later
# CUnitFromSource.cmake — CUnit for targets Debian has no libcunit for (MinGW, -m32).
#
# At build time, fetch-cunit.cmake downloads Debian's `cunit` source package with
# `apt-get source --download-only`, unpacks it with dpkg-source and lays out the framework
# sources and headers in the build tree; they are compiled here with the target's compiler.
# Nothing of CUnit is committed to the repository.

set(CUNIT_DIR "${PROJECT_BINARY_DIR}/_deps/cunit")
set(CUNIT_SOURCES)
foreach(f CUError MyMem TestDB TestRun Util Basic)
  list(APPEND CUNIT_SOURCES "${CUNIT_DIR}/src/${f}.c")
endforeach()
set(CUNIT_HEADERS)
foreach(h Basic CUError CUnit CUnit_intl MyMem TestDB TestRun Util Automated Console)
  list(APPEND CUNIT_HEADERS "${CUNIT_DIR}/include/CUnit/${h}.h")
endforeach()

add_custom_command(OUTPUT ${CUNIT_SOURCES} ${CUNIT_HEADERS}
  COMMAND "${CMAKE_COMMAND}" -DDEST=${CUNIT_DIR} -P "${CMAKE_CURRENT_LIST_DIR}/fetch-cunit.cmake"
  COMMENT "CUnit from Debian's cunit source package"
  VERBATIM)

add_library(cunit STATIC ${CUNIT_SOURCES} ${CUNIT_HEADERS})
target_include_directories(cunit SYSTEM PUBLIC "${CUNIT_DIR}/include")
# CUnit's sources include their headers without the CUnit/ prefix.
target_include_directories(cunit PRIVATE "${CUNIT_DIR}/include/CUnit")
# CUnit's own sources warn (-Wformat, -Wclobbered): never -Werror for them.
set_target_properties(cunit PROPERTIES C_STANDARD 99 C_EXTENSIONS ON)
target_compile_options(cunit PRIVATE -w)
