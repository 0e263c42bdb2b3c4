# SPDX-License-Identifier: LGPL-2.1-or-later
# i686-w64-mingw32: 32-bit Windows PE (stdcall COM), tests run only where wine32 exists.
set(CMAKE_SYSTEM_PROCESSOR i686)
set(RTCPM_TOOLCHAIN_PREFIX i686-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw.cmake)
