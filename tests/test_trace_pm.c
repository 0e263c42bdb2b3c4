/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_trace_pm.c — the tracing wrapper forwards every call unchanged, reports it exactly,
 * and is exactly as capable (QI levels) as the port manager it wraps.
 */
#include <string.h>
#include "harness.h"
#include "recording_pm.h"
#include "com/bstr_util.h"

static char traced[4096];

static void collect(void *ctx, const char *line)
{
    (void)ctx;
    strncat(traced, line, sizeof(traced) - strlen(traced) - 2);
    strcat(traced, "\n");
}

static void test_v3_forward_and_report(void)
{
    IRTCPortManager *inner, *pm;
    IRTCPortManager3 *pm3;
    BSTR remote = rtcpm_bstr_from_cstr("198.18.0.1"), ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;

    traced[0] = 0;
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &inner), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_trace_pm_create(inner, collect, NULL, &pm), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(inner), 4); /* ours + the wrapper's v1, v2 and v3 pointers */
    CU_ASSERT_EQUAL_FATAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager3, (void **)&pm3), S_OK);
    CU_ASSERT_EQUAL(pm3->lpVtbl->GetMappingEx(pm3, remote, 5060, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep), S_OK);
    CU_ASSERT_EQUAL(ip, 5060);
    CU_ASSERT_EQUAL(ep, 45060);
    CU_ASSERT_EQUAL(pm3->lpVtbl->UpdateRemoteAddressEx2(pm3, remote, 5062, RTCTR_UDP, ia, ip, ea, ep), S_OK);
    CU_ASSERT_EQUAL(pm3->lpVtbl->ReleaseMappingEx(pm3, RTCTR_UDP, ia, ip, ea, ep), S_OK);
    CU_ASSERT_EQUAL(pm3->lpVtbl->GetMappingEx(pm3, remote, 5060, RTCTR_UDP, RTCPT_SIP, NULL, &ip, &ea, &ep), E_POINTER);
    SysFreeString(ia);
    SysFreeString(ea);
    SysFreeString(remote);
    CU_ASSERT_STRING_EQUAL(
        traced,
        "GetMappingEx(198.18.0.1, 5060, UDP, SIP) -> S_OK internal 192.168.1.10:5060 external 198.51.100.7:45060\n"
        "UpdateRemoteAddressEx2(198.18.0.1, 5062, UDP, internal 192.168.1.10:5060, external 198.51.100.7:45060) -> "
        "S_OK\n"
        "ReleaseMappingEx(UDP, internal 192.168.1.10:5060, external 198.51.100.7:45060) -> S_OK\n"
        "GetMappingEx(198.18.0.1, 5060, UDP, SIP) -> E_POINTER\n");
    /* the inner object saw the same calls */
    CU_ASSERT_PTR_NOT_NULL(strstr(recording_pm_log(inner), "UpdateRemoteAddressEx2(198.18.0.1:5062,UDP,"));
    pm3->lpVtbl->Release(pm3);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(recording_pm_refcount(inner), 1); /* wrapper gave back what it held */
    inner->lpVtbl->Release(inner);
}

static void test_v1_levels(void)
{
    IRTCPortManager *inner, *pm;
    void *out = (void *)&out;
    BSTR remote = rtcpm_bstr_from_cstr("2001:db8::5"), ia, ea;
    LONG ip, ep;

    traced[0] = 0;
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(1, &inner), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_trace_pm_create(inner, collect, NULL, &pm), S_OK);
    /* an RTC 1.3 port manager stays one behind the wrapper */
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager3, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager2, &out), E_NOINTERFACE);
    recording_pm_refuse(inner, RTCPT_AUDIO_RTP);
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMapping(pm, remote, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMapping(pm, remote, RTCPT_AUDIO_RTCP, &ia, &ip, &ea, &ep), S_OK);
    CU_ASSERT_EQUAL(pm->lpVtbl->ReleaseMapping(pm, ia, ip, ea, ep), S_OK);
    SysFreeString(ia);
    SysFreeString(ea);
    SysFreeString(remote);
    CU_ASSERT_STRING_EQUAL(
        traced, "GetMapping(2001:db8::5, AUDIO_RTP) -> RTC_E_PORT_MAPPING_UNAVAILABLE\n"
                "GetMapping(2001:db8::5, AUDIO_RTCP) -> S_OK internal 192.168.1.10:5001 external 198.51.100.7:40001\n"
                "ReleaseMapping(internal 192.168.1.10:5001, external 198.51.100.7:40001) -> S_OK\n");
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(inner->lpVtbl->Release(inner), 0);
}

static void test_create_errors(void)
{
    IRTCPortManager *inner, *pm = (IRTCPortManager *)&pm;
    CU_ASSERT_EQUAL(rtcpm_trace_pm_create(NULL, collect, NULL, &pm), E_POINTER);
    CU_ASSERT_PTR_NULL(pm);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &inner), S_OK);
    CU_ASSERT_EQUAL(rtcpm_trace_pm_create(inner, NULL, NULL, &pm), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_trace_pm_create(inner, collect, NULL, NULL), E_POINTER);
    CU_ASSERT_EQUAL(recording_pm_refcount(inner), 1);
    inner->lpVtbl->Release(inner);
}

static void test_names(void)
{
    char buf[11];
    CU_ASSERT_STRING_EQUAL(rtcpm_hresult_name(RTC_E_PORT_MAPPING_FAILED, buf), "RTC_E_PORT_MAPPING_FAILED");
    CU_ASSERT_STRING_EQUAL(rtcpm_hresult_name((HRESULT)0x80070005, buf), "0x80070005");
    CU_ASSERT_STRING_EQUAL(rtcpm_port_type_name(RTCPT_VIDEO_RTCP), "VIDEO_RTCP");
    CU_ASSERT_STRING_EQUAL(rtcpm_port_type_name(5), "?");
    CU_ASSERT_STRING_EQUAL(rtcpm_transport_name(RTCTR_TLS), "TLS");
    CU_ASSERT_STRING_EQUAL(rtcpm_transport_name(3), "?");
}

static CU_TestInfo tests[] = {
    { "v3_forward_and_report", test_v3_forward_and_report },
    { "v1_levels", test_v1_levels },
    { "create_errors", test_create_errors },
    { "names", test_names },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("trace_pm", tests, argc, argv); }
