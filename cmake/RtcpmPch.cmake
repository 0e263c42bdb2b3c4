# SPDX-License-Identifier: LGPL-2.1-or-later
# RtcpmPch.cmake — precompiled Windows system headers for the MinGW targets (src/os/win_pch.h).
# A MinGW C file spends ~1.5 s in <windows.h>/<ole2.h>; precompiled, the C part of a MinGW
# build takes about half as long. Native builds parse few system headers: no PCH there.
#   rtcpm_pch(<target>)                  the target precompiles the header for its C files
#   rtcpm_pch_reuse(<target> <donor>)    the target uses the donor's (same flags: the suites,
#                                        the programs); GCC rejects a PCH built with other
#                                        macros, and CMake's -Winvalid-pch + -Werror make that
#                                        a build error rather than a silent slow build
# Files that must see the headers for themselves (INITGUID, header self-containment checks)
# set SKIP_PRECOMPILE_HEADERS. -DRTCPM_PCH=OFF builds without.
option(RTCPM_PCH "MinGW targets: precompile the Windows system headers" ON)

function(rtcpm_pch target)
  if(WIN32 AND RTCPM_PCH)
    target_precompile_headers(${target} PRIVATE
      "$<$<COMPILE_LANGUAGE:C>:${PROJECT_SOURCE_DIR}/src/os/win_pch.h>")
  endif()
endfunction()

function(rtcpm_pch_reuse target donor)
  if(WIN32 AND RTCPM_PCH)
    target_precompile_headers(${target} REUSE_FROM ${donor})
    # the donors precompile for C only: a C++ file of the target parses its headers itself
    get_target_property(sources ${target} SOURCES)
    list(FILTER sources INCLUDE REGEX "\\.cpp$")
    if(sources)
      set_source_files_properties(${sources} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
    endif()
  endif()
endfunction()
