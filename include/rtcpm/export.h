/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * export.h — RTCPM_API marks every function of rtcpm's public C API.
 *
 * Natively the library is built with -fvisibility=hidden: only what carries RTCPM_API (and
 * the IIDs widl defines, see CMakeLists.txt) is in librtcpm.so's dynamic symbol table. On
 * Windows the list of rtcpm.dll's exports is src/rtcpm.def, and RTCPM_API expands to
 * nothing: a consumer links the same headers against librtcpm.dll.a or librtcpm.a without a
 * define (MinGW's import library gives every function a stub, and ld's auto-import reaches
 * the exported IIDs), which __declspec(dllimport) would break for static linking.
 *
 * Adding a public function (README "Contributing"): declare it in include/rtcpm/ with
 * RTCPM_API, and add its name under its header's comment in src/rtcpm.def. The test
 * `exports` fails when the two lists differ, or differ from what the built library exports.
 */
#ifndef RTCPM_EXPORT_H
#define RTCPM_EXPORT_H

#if defined(_WIN32)
#define RTCPM_API
#elif defined(__GNUC__)
#define RTCPM_API __attribute__((visibility("default")))
#else
#define RTCPM_API
#endif

#endif /* RTCPM_EXPORT_H */
