/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bstr_count.h — live BSTRs, for tests that prove a call leaked none: rtcpm's own BSTR
 * runtime counts them natively (rtcpm_live_bstrs); under oleaut32 (Windows, Wine) an IMallocSpy
 * counts live CoTaskMem blocks with the BSTR cache off (malloc_spy.c). One implementation is
 * linked per target: bstr_count_native.c or bstr_count_win.c.
 */
#ifndef RTCPM_TESTS_BSTR_COUNT_H
#define RTCPM_TESTS_BSTR_COUNT_H

#include "rtcpm/rtcpm.h"

/* Starts counting (Windows: CoInitializeEx MTA, SetOaNoCache, CoRegisterMallocSpy).
 * 0 on success. */
int bstr_count_start(void);
/* BSTRs (Windows: COM task-memory blocks) alive now, counted since bstr_count_start. */
LONG bstr_count_live(void);
void bstr_count_stop(void);
/* "rtcpm BSTR runtime" or "IMallocSpy", for messages. */
const char *bstr_count_method(void);

#endif
