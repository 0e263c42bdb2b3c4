/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * malloc_spy.h — counts live COM task-memory blocks (CoTaskMemAlloc/Realloc/Free) through an
 * IMallocSpy, for tests that prove [out] BSTRs leak nowhere (Windows/Wine only).
 *
 * oleaut32 allocates BSTRs with CoTaskMemAlloc/CoTaskMemRealloc, but keeps freed small BSTRs
 * in a cache: malloc_spy_install() first turns that cache off (SetOaNoCache), or a freed BSTR
 * would never reach CoTaskMemFree.
 */
#ifndef RTCPM_TESTS_MALLOC_SPY_H
#define RTCPM_TESTS_MALLOC_SPY_H

#include "rtcpm/rtcpm.h"

/* SetOaNoCache + CoRegisterMallocSpy; S_OK or CoRegisterMallocSpy's error. */
HRESULT malloc_spy_install(void);
/* CoRevokeMallocSpy (E_ACCESSDENIED, revoked later by COM, while spied blocks are alive). */
HRESULT malloc_spy_remove(void);
/* Blocks allocated while the spy was installed and not freed yet, all threads. */
LONG malloc_spy_live(void);

#endif
