# SPDX-License-Identifier: LGPL-2.1-or-later
# x86_64-w64-mingw32: 64-bit Windows PE, tests run under wine64.
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(RTCPM_TOOLCHAIN_PREFIX x86_64-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw.cmake)
