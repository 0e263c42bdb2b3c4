/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * abi_cpp.h — the C side's view of abi_cpp.cpp: a C++ port manager, and C++ code that
 * calls a C object through its C++ interface.
 */
#ifndef RTCPM_TESTS_ABI_CPP_H
#define RTCPM_TESTS_ABI_CPP_H

#include "rtcpm/rtcpm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A C++ class implementing IRTCPortManager3 (refcount 1). */
IRTCPortManager3 *abi_cpp_create_pm(void);
/* How many instances of that class are alive. */
int abi_cpp_live_pms(void);

/* Calls every method of a C object through C++ virtual calls; writes what came back into
 * `report` (one line per call) and returns the number of calls that returned what the
 * recording port manager promises. */
int abi_cpp_drive_c_object(IRTCPortManager *c_pm, char *report, size_t report_len);

#ifdef __cplusplus
}
#endif

#endif
