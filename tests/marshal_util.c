/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * marshal_util.c — see marshal_util.h.
 */
#include <stdio.h>
#include "harness.h"
#include "marshal_util.h"
#include "malloc_spy.h"

IStream *to_stream(const IID *iid, void *itf)
{
    IStream *stream = NULL;
    HRESULT hr = CoMarshalInterThreadInterfaceInStream(iid, (IUnknown *)itf, &stream);
    CU_ASSERT_EQUAL(hr, S_OK);
    if (FAILED(hr)) printf("  CoMarshalInterThreadInterfaceInStream: 0x%08lx\n", (unsigned long)hr);
    return stream;
}

void *from_stream(IStream *stream, const IID *iid)
{
    void *itf = NULL;
    if (!stream) return NULL;
    CU_ASSERT_EQUAL(CoGetInterfaceAndReleaseStream(stream, iid, &itf), S_OK);
    return itf;
}

int is_proxy(void *itf)
{
    IUnknown *unk = itf, *cs = NULL;
    HRESULT hr = unk->lpVtbl->QueryInterface(unk, &IID_IClientSecurity, (void **)&cs);
    if (SUCCEEDED(hr) && cs) cs->lpVtbl->Release(cs);
    return hr == S_OK;
}

void sta_start_ok(struct sta *sta, int register_ps)
{
    CU_ASSERT_EQUAL_FATAL(sta_start(sta, register_ps), 0);
    CU_ASSERT_EQUAL(sta->init_hr, S_OK);
    if (register_ps) CU_ASSERT_EQUAL(sta->register_hr, S_OK);
}

void sta_stop_ok(struct sta *sta)
{
    int registered = sta->register_ps;
    sta_stop(sta);
    CU_ASSERT_EQUAL(sta->revoke_hr, registered ? S_OK : S_FALSE);
}

void release_job_run(void *arg)
{
    IUnknown *unk = arg;
    if (unk) unk->lpVtbl->Release(unk);
}

HRESULT mta_register(rtcpm_marshal_registration **reg)
{
    HRESULT hr = rtcpm_marshal_register(NULL, reg);
    CU_ASSERT_EQUAL(hr, S_OK);
    return hr;
}

int marshal_suite_init(void)
{
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr)) return 1;
    hr = malloc_spy_install();
    if (FAILED(hr)) printf("CoRegisterMallocSpy: 0x%08lx\n", (unsigned long)hr);
    return FAILED(hr);
}

int marshal_suite_cleanup(void)
{
    malloc_spy_remove();
    CoUninitialize();
    return 0;
}
