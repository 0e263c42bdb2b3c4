# SPDX-License-Identifier: LGPL-2.1-or-later
# Checking builds (presets asan, tsan, fuzz; label valgrind in the native preset).
#
#   RTCPM_SANITIZE  -fsanitize= list applied to every target of the build (library, samples,
#                   suites), e.g. "address,undefined" or "thread". Set by the asan/tsan presets.
#   RTCPM_FUZZ      build the libFuzzer targets of tests/fuzz (clang): every target is
#                   instrumented with fuzzer-no-link, the fuzz binaries link libFuzzer.
#   RTCPM_FUZZ_SECONDS  default -max_total_time of each fuzz test (env RTCPM_FUZZ_SECONDS
#                   overrides it at ctest time).
#
# Flags go in with add_compile_options/add_link_options before any target is made, so every
# suite added later (rtcpm_add_suite) is instrumented without knowing about it.

set(RTCPM_SANITIZE "" CACHE STRING "Sanitizers for every target, as for -fsanitize= (address,undefined | thread)")
option(RTCPM_FUZZ "Build the libFuzzer targets in tests/fuzz (clang only)" OFF)
set(RTCPM_FUZZ_SECONDS 10 CACHE STRING "Default -max_total_time (seconds) of each fuzz test")

set(_rtcpm_sanitize "${RTCPM_SANITIZE}")
if(RTCPM_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "RTCPM_FUZZ needs clang (libFuzzer); this build uses ${CMAKE_C_COMPILER_ID}")
  endif()
  if(_rtcpm_sanitize)
    set(_rtcpm_sanitize "fuzzer-no-link,${_rtcpm_sanitize}")
  else()
    set(_rtcpm_sanitize "fuzzer-no-link")
  endif()
endif()
if(_rtcpm_sanitize)
  if(WIN32)
    message(FATAL_ERROR "RTCPM_SANITIZE/RTCPM_FUZZ are for native builds")
  endif()
  # Every report is fatal (a test cannot pass with one) and stacks stay readable.
  add_compile_options(-fsanitize=${_rtcpm_sanitize} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${_rtcpm_sanitize})
  if(_rtcpm_sanitize MATCHES "undefined")
    # UBSan's vptr check wants C++ RTTI behind every polymorphic object. A COM interface
    # called from C++ may be implemented in C (a struct with a function table, no RTTI):
    # that is the ABI working as designed, which the check reports as "invalid vptr".
    add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-fno-sanitize=vptr>)
  endif()
  message(STATUS "rtcpm: every target built with -fsanitize=${_rtcpm_sanitize}")
endif()

# ---- valgrind: each native suite once more under memcheck (label valgrind) ----------------
# Only where valgrind can run the binaries: a native, uninstrumented build (the native preset).
# --error-exitcode makes any memcheck error, and any definite or indirect leak, fail the test
# (ctest -T memcheck would only report them).
find_program(RTCPM_VALGRIND valgrind)
set(RTCPM_VALGRIND_OPTIONS
  --tool=memcheck -q --error-exitcode=1
  --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
  --track-origins=yes --num-callers=30
  CACHE STRING "valgrind options of the valgrind-labelled tests")
if(RTCPM_VALGRIND AND NOT CMAKE_CROSSCOMPILING AND NOT WIN32 AND NOT _rtcpm_sanitize)
  set(RTCPM_WITH_VALGRIND ON)
else()
  set(RTCPM_WITH_VALGRIND OFF)
endif()

# rtcpm_add_valgrind_test(<test name> TIMEOUT <s> COMMAND <target or program> [args...])
# Adds <test name>_valgrind (label valgrind), a no-op where valgrind does not apply.
function(rtcpm_add_valgrind_test name)
  if(NOT RTCPM_WITH_VALGRIND)
    return()
  endif()
  cmake_parse_arguments(V "" "TIMEOUT" "COMMAND" ${ARGN})
  list(POP_FRONT V_COMMAND program)
  if(TARGET ${program})
    set(program $<TARGET_FILE:${program}>)
  endif()
  if(NOT V_TIMEOUT)
    set(V_TIMEOUT 300)
  endif()
  add_test(NAME ${name}_valgrind COMMAND ${RTCPM_VALGRIND} ${RTCPM_VALGRIND_OPTIONS} ${program} ${V_COMMAND})
  set_tests_properties(${name}_valgrind PROPERTIES LABELS valgrind TIMEOUT ${V_TIMEOUT} SKIP_RETURN_CODE 77)
endfunction()
