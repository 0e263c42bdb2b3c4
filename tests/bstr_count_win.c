/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bstr_count_win.c — bstr_count.h under oleaut32: every BSTR is a CoTaskMem block, and
 * malloc_spy.c counts those once oleaut32's BSTR cache is off (SetOaNoCache).
 */
#include "bstr_count.h"
#include "malloc_spy.h"

static int com_up;

int bstr_count_start(void)
{
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) return -1;
    com_up = 1;
    return FAILED(malloc_spy_install()) ? -1 : 0;
}

LONG bstr_count_live(void) { return malloc_spy_live(); }

void bstr_count_stop(void)
{
    malloc_spy_remove();
    if (com_up) CoUninitialize();
    com_up = 0;
}

const char *bstr_count_method(void) { return "IMallocSpy"; }
