# SPDX-License-Identifier: LGPL-2.1-or-later
# RtcpmWidl.cmake — runs widl on the project's IDL into the build tree.
#
# Cross builds use the toolchain's widl (x86_64-w64-mingw32-widl, i686-w64-mingw32-widl);
# native builds use Wine's widl, else any MinGW widl. Wine's IDL directory provides the
# imported unknwn.idl/wtypes.idl (mingw-w64 ships no .idl files).

if(CMAKE_CROSSCOMPILING AND WIN32 AND RTCPM_TOOLCHAIN_PREFIX)
  find_program(RTCPM_WIDL NAMES ${RTCPM_TOOLCHAIN_PREFIX}-widl REQUIRED)
else()
  find_program(RTCPM_WIDL NAMES widl x86_64-w64-mingw32-widl i686-w64-mingw32-widl REQUIRED)
endif()
find_path(RTCPM_WINE_IDL_DIR unknwn.idl
  PATHS /usr/include/wine/wine/windows /usr/include/wine/windows /usr/local/include/wine/windows
  NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
if(NOT RTCPM_WINE_IDL_DIR)
  message(FATAL_ERROR "Wine's IDL files (unknwn.idl) not found: install libwine-dev (scripts/install-deps.sh)")
endif()

# rtcpm_widl(<idl file> <output dir> <basename> [PROXY])
#   sets ${basename}_HEADER, ${basename}_IID_SOURCE and, with PROXY, ${basename}_PROXY_SOURCE
#   and ${basename}_DLLDATA_SOURCE in the caller's scope.
function(rtcpm_widl idl outdir base)
  cmake_parse_arguments(W "PROXY" "" "" ${ARGN})
  get_filename_component(idl "${idl}" ABSOLUTE)
  file(MAKE_DIRECTORY "${outdir}")
  set(header "${outdir}/${base}.h")
  set(iids "${outdir}/${base}_i.c")
  set(outputs "${header}" "${iids}")
  set(args -I${RTCPM_WINE_IDL_DIR} -h -H ${base}.h -u -U ${base}_i.c)
  if(W_PROXY)
    # -Oif: the default -Os proxy includes wine/exception.h, which MinGW lacks.
    list(APPEND args -Oif -p -P ${base}_p.c)
    list(APPEND outputs "${outdir}/${base}_p.c")
  endif()
  add_custom_command(OUTPUT ${outputs}
    COMMAND "${RTCPM_WIDL}" ${args} "${idl}"
    WORKING_DIRECTORY "${outdir}"
    DEPENDS "${idl}"
    COMMENT "widl ${base}.idl"
    VERBATIM)
  if(W_PROXY)
    # dlldata needs its own call (--dlldata together with -p writes nothing).
    add_custom_command(OUTPUT "${outdir}/${base}_dlldata.c"
      COMMAND "${RTCPM_WIDL}" --dlldata-only --dlldata=${base}_dlldata.c ${base}
      WORKING_DIRECTORY "${outdir}"
      DEPENDS "${idl}"
      VERBATIM)
    set(${base}_PROXY_SOURCE "${outdir}/${base}_p.c" PARENT_SCOPE)
    set(${base}_DLLDATA_SOURCE "${outdir}/${base}_dlldata.c" PARENT_SCOPE)
  endif()
  set(${base}_HEADER "${header}" PARENT_SCOPE)
  set(${base}_IID_SOURCE "${iids}" PARENT_SCOPE)
endfunction()
