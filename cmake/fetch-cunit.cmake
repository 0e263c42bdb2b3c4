# SPDX-License-Identifier: LGPL-2.1-or-later
# fetch-cunit.cmake — cmake -DDEST=<dir> -P fetch-cunit.cmake
# Gets Debian's cunit source package and lays out DEST/src/*.c and DEST/include/CUnit/*.h.

if(NOT DEST)
  message(FATAL_ERROR "fetch-cunit: DEST not set")
endif()
set(dl "${DEST}/download")
file(MAKE_DIRECTORY "${dl}")

file(GLOB dsc "${dl}/cunit_*.dsc")
if(NOT dsc)
  execute_process(COMMAND apt-get source --download-only cunit
    WORKING_DIRECTORY "${dl}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  file(GLOB dsc "${dl}/cunit_*.dsc")
  if(NOT rc EQUAL 0 OR NOT dsc)
    message(FATAL_ERROR "fetch-cunit: `apt-get source --download-only cunit` failed (${rc}):\n${err}\n"
      "A deb-src entry is needed: run scripts/install-deps.sh as root, which adds one.")
  endif()
endif()
list(GET dsc 0 dsc)

set(tree "${dl}/tree")
if(NOT EXISTS "${tree}/CUnit/Headers/CUnit.h.in")
  file(REMOVE_RECURSE "${tree}")
  execute_process(COMMAND dpkg-source --no-check -x "${dsc}" "${tree}"
    WORKING_DIRECTORY "${dl}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "fetch-cunit: dpkg-source -x failed (${rc}): ${err} (dpkg-dev installed?)")
  endif()
endif()

file(MAKE_DIRECTORY "${DEST}/src" "${DEST}/include/CUnit")
foreach(f CUError MyMem TestDB TestRun Util)
  configure_file("${tree}/CUnit/Sources/Framework/${f}.c" "${DEST}/src/${f}.c" COPYONLY)
endforeach()
configure_file("${tree}/CUnit/Sources/Basic/Basic.c" "${DEST}/src/Basic.c" COPYONLY)
foreach(h Basic CUError CUnit_intl MyMem TestDB TestRun Util Automated Console)
  configure_file("${tree}/CUnit/Headers/${h}.h" "${DEST}/include/CUnit/${h}.h" COPYONLY)
endforeach()
# The shipped CUnit.h is stale ("2.1-2"): make it from CUnit.h.in as the package build does.
file(READ "${tree}/CUnit/Headers/CUnit.h.in" cunit_h)
string(REPLACE "@VERSION@" "2.1" cunit_h "${cunit_h}")
string(REPLACE "@RELEASE@" "3" cunit_h "${cunit_h}")
file(WRITE "${DEST}/include/CUnit/CUnit.h" "${cunit_h}")
