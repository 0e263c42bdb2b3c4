/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* win_pch.h — the Windows system headers every C file of a MinGW target parses, precompiled
 * once per set of flags (cmake/RtcpmPch.cmake). Parsing them costs ~1.5 s of
 * x86_64-w64-mingw32-gcc per file, most of a MinGW build; the precompiled form ~0.1 s.
 * Sources still include what they use: this header only makes the include cheap.
 * COBJMACROS as the sources define it (empty), unless the target defines it on the command
 * line: the COM headers read it, so it must be set before they are parsed here. */
#ifndef COBJMACROS
#define COBJMACROS
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <ole2.h>
#include <oleauto.h>
