# SPDX-License-Identifier: LGPL-2.1-or-later
# The MinGW cross toolchain, for RTCPM_TOOLCHAIN_PREFIX (x86_64-w64-mingw32 or i686-w64-mingw32):
# included by toolchain-mingw64.cmake / toolchain-mingw32.cmake (the presets) and copied into
# the installed toolchain file consumers use (toolchain-mingw-installed.cmake.in).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_C_COMPILER ${RTCPM_TOOLCHAIN_PREFIX}-gcc)
set(CMAKE_CXX_COMPILER ${RTCPM_TOOLCHAIN_PREFIX}-g++)
set(CMAKE_RC_COMPILER ${RTCPM_TOOLCHAIN_PREFIX}-windres)
list(APPEND CMAKE_FIND_ROOT_PATH /usr/${RTCPM_TOOLCHAIN_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
