/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bstr_count_native.c — bstr_count.h on rtcpm's own BSTR runtime (non-Windows builds).
 */
#include "bstr_count.h"

int bstr_count_start(void) { return rtcpm_live_bstrs() >= 0 ? 0 : -1; }
LONG bstr_count_live(void) { return rtcpm_live_bstrs(); }
void bstr_count_stop(void) {}
const char *bstr_count_method(void) { return "rtcpm BSTR runtime"; }
