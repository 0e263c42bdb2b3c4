/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_abi.c — the binary interface: vtable slot positions, type widths, IIDs, constants,
 * C calling C++ and C++ calling C through the same vtables, and (on i386) the stdcall
 * convention, in which the callee pops its arguments.
 */
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "abi_cpp.h"
#include "recording_pm.h"
#include "com/bstr_util.h"

#define SLOT(vtbl, member) (offsetof(vtbl, member) / sizeof(void *))

static void test_widths(void)
{
    CU_ASSERT_EQUAL(sizeof(LONG), 4);
    CU_ASSERT_EQUAL(sizeof(ULONG), 4);
    CU_ASSERT_EQUAL(sizeof(HRESULT), 4);
    CU_ASSERT_EQUAL(sizeof(WCHAR), 2);
    CU_ASSERT_EQUAL(sizeof(OLECHAR), 2);
    CU_ASSERT_EQUAL(sizeof(RTC_PORT_TYPE), 4);
    CU_ASSERT_EQUAL(sizeof(GUID), 16);
    CU_ASSERT_EQUAL(sizeof(BSTR), sizeof(void *));
    CU_ASSERT_EQUAL(sizeof(RTCPM_W("ab")), 3 * sizeof(WCHAR));
}

static void test_vtable_slots(void)
{
    /* IRTCPortManager : IUnknown */
    CU_ASSERT_EQUAL(SLOT(IRTCPortManagerVtbl, QueryInterface), 0);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManagerVtbl, AddRef), 1);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManagerVtbl, Release), 2);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManagerVtbl, GetMapping), 3);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManagerVtbl, UpdateRemoteAddress), 4);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManagerVtbl, ReleaseMapping), 5);
    CU_ASSERT_EQUAL(sizeof(IRTCPortManagerVtbl), 6 * sizeof(void *));
    /* IRTCPortManager2 : IRTCPortManager */
    CU_ASSERT_EQUAL(SLOT(IRTCPortManager2Vtbl, GetMapping), 3);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManager2Vtbl, ReleaseMapping), 5);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManager2Vtbl, UpdateRemoteAddressEx), 6);
    CU_ASSERT_EQUAL(sizeof(IRTCPortManager2Vtbl), 7 * sizeof(void *));
    /* IRTCPortManager3 : IRTCPortManager2 */
    CU_ASSERT_EQUAL(SLOT(IRTCPortManager3Vtbl, GetMapping), 3);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManager3Vtbl, UpdateRemoteAddress), 4);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManager3Vtbl, ReleaseMapping), 5);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManager3Vtbl, UpdateRemoteAddressEx), 6);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManager3Vtbl, GetMappingEx), 7);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManager3Vtbl, UpdateRemoteAddressEx2), 8);
    CU_ASSERT_EQUAL(SLOT(IRTCPortManager3Vtbl, ReleaseMappingEx), 9);
    CU_ASSERT_EQUAL(sizeof(IRTCPortManager3Vtbl), 10 * sizeof(void *));
    /* the management interfaces */
    CU_ASSERT_EQUAL(SLOT(IRTCSessionPortManagementVtbl, SetPortManager), 3);
    CU_ASSERT_EQUAL(sizeof(IRTCSessionPortManagementVtbl), 4 * sizeof(void *));
    CU_ASSERT_EQUAL(SLOT(IRTCProfilePortManagementVtbl, SetPortManager), 3);
    CU_ASSERT_EQUAL(sizeof(IRTCProfilePortManagementVtbl), 4 * sizeof(void *));
    CU_ASSERT_EQUAL(SLOT(IRTCClientPortManagementVtbl, StartListenAddressAndPort), 3);
    CU_ASSERT_EQUAL(SLOT(IRTCClientPortManagementVtbl, StopListenAddressAndPort), 4);
    CU_ASSERT_EQUAL(SLOT(IRTCClientPortManagementVtbl, GetPortRange), 5);
    CU_ASSERT_EQUAL(sizeof(IRTCClientPortManagementVtbl), 6 * sizeof(void *));
    /* an interface is one vtable pointer */
    CU_ASSERT_EQUAL(sizeof(IRTCPortManager3), sizeof(void *));
}

static void check_iid(const IID *iid, const char *text)
{
    char buf[39];
    rtcpm_guid_to_string(iid, buf);
    CU_ASSERT_STRING_EQUAL(buf, text);
}

static void test_iids(void)
{
    /* published by Microsoft */
    check_iid(&IID_IRTCPortManager, "{DA77C14B-6208-43CA-8DDF-5B60A0A69FAC}");
    check_iid(&IID_IRTCSessionPortManagement, "{A072F1D6-0286-4E1F-85F2-17A2948456EC}");
    check_iid(&IID_IRTCClientPortManagement, "{D5DF3F03-4BDE-4417-AEFE-71177BDAEA66}");
    /* project-assigned (idl/rtcpm.idl) */
    check_iid(&IID_IRTCPortManager2, "{D65119BD-1974-4FA9-874D-3597D094728C}");
    check_iid(&IID_IRTCPortManager3, "{95832724-4221-480C-9D15-B376D28E9E3D}");
    check_iid(&IID_IRTCProfilePortManagement, "{320C52E5-19F6-4735-9054-8EE6C8553507}");
}

static void test_constants(void)
{
    CU_ASSERT_EQUAL(RTCPT_AUDIO_RTP, 0);
    CU_ASSERT_EQUAL(RTCPT_AUDIO_RTCP, 1);
    CU_ASSERT_EQUAL(RTCPT_VIDEO_RTP, 2);
    CU_ASSERT_EQUAL(RTCPT_VIDEO_RTCP, 3);
    CU_ASSERT_EQUAL(RTCPT_SIP, 4);
    CU_ASSERT_EQUAL(RTCTR_UDP, 1);
    CU_ASSERT_EQUAL(RTCTR_TCP, 2);
    CU_ASSERT_EQUAL(RTCTR_TLS, 4);
    CU_ASSERT_EQUAL((ULONG)RTC_E_PORT_MAPPING_UNAVAILABLE, 0x80EE0045u);
    CU_ASSERT_EQUAL((ULONG)RTC_E_PORT_MAPPING_FAILED, 0x80EE0046u);
    CU_ASSERT_TRUE(FAILED(RTC_E_PORT_MAPPING_FAILED));
}

static void test_c_calls_cpp(void)
{
    IRTCPortManager3 *pm = abi_cpp_create_pm();
    IRTCPortManager *pm1 = NULL;
    IUnknown *unk = NULL;
    BSTR remote = rtcpm_bstr_from_cstr("203.0.113.5"), other = rtcpm_bstr_from_cstr("203.0.113.6");
    BSTR ia = (BSTR)1, ea = (BSTR)1;
    LONG ip = -1, ep = -1;
    char a[32], e[32];

    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    CU_ASSERT_EQUAL(abi_cpp_live_pms(), 1);
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager, (void **)&pm1), S_OK);
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IUnknown, (void **)&unk), S_OK);
    CU_ASSERT_PTR_EQUAL(pm1, pm);
    CU_ASSERT_PTR_EQUAL(unk, pm);
    CU_ASSERT_EQUAL(pm->lpVtbl->AddRef(pm), 4);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 3);

    CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, remote, 5063, RTCTR_TLS, RTCPT_VIDEO_RTCP, &ia, &ip, &ea, &ep), S_OK);
    CU_ASSERT_EQUAL(rtcpm_bstr_to_utf8(ia, a, sizeof(a), NULL), S_OK);
    CU_ASSERT_EQUAL(rtcpm_bstr_to_utf8(ea, e, sizeof(e), NULL), S_OK);
    CU_ASSERT_STRING_EQUAL(a, "10.1.2.3");
    CU_ASSERT_STRING_EQUAL(e, "192.0.2.44");
    CU_ASSERT_EQUAL(ip, 6000 + 3 + 3);
    CU_ASSERT_EQUAL(ep, 50000 + 6 + 4);
    CU_ASSERT_EQUAL(pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_TLS, ia, ip, ea, ep), S_OK);
    SysFreeString(ia);
    SysFreeString(ea);

    /* failure: out parameters NULL/0 */
    ia = ea = (BSTR)1;
    ip = ep = -1;
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, other, 5060, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_PTR_NULL(ia);
    CU_ASSERT_PTR_NULL(ea);
    CU_ASSERT_EQUAL(ip, 0);
    CU_ASSERT_EQUAL(ep, 0);
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMappingEx(pm, remote, 5060, RTCTR_UDP, RTCPT_SIP, NULL, &ip, &ea, &ep), E_POINTER);
    /* the IRTCPortManager view calls the same object through slot 3 */
    CU_ASSERT_EQUAL(pm1->lpVtbl->GetMapping(pm1, remote, RTCPT_SIP, &ia, &ip, &ea, &ep), S_OK);
    CU_ASSERT_EQUAL(ip, 6004);
    CU_ASSERT_EQUAL(ep, 50009);
    SysFreeString(ia);
    SysFreeString(ea);
    SysFreeString(remote);
    SysFreeString(other);

    CU_ASSERT_EQUAL(unk->lpVtbl->Release(unk), 2);
    CU_ASSERT_EQUAL(pm1->lpVtbl->Release(pm1), 1);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(abi_cpp_live_pms(), 0);
}

static void test_cpp_calls_c(void)
{
    IRTCPortManager *pm;
    char report[512];

    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &pm), S_OK);
    CU_ASSERT_EQUAL(abi_cpp_drive_c_object(pm, report, sizeof(report)), 7);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm),
                           "GetMappingEx(198.18.0.1:5060,TCP,SIP) -> 0x0 192.168.1.10:5060 198.51.100.7:45060\n"
                           "UpdateRemoteAddressEx2(198.18.0.1:5062,TCP,192.168.1.10:5060,198.51.100.7:45060)\n"
                           "UpdateRemoteAddressEx(198.18.0.1:5062,192.168.1.10:5060,198.51.100.7:45060)\n"
                           "ReleaseMappingEx(TCP,192.168.1.10:5060,198.51.100.7:45060)\n"
                           "GetMapping(198.18.0.1,AUDIO_RTCP) -> 0x0 192.168.1.10:5001 198.51.100.7:40001\n"
                           "ReleaseMapping(192.168.1.10:5001,198.51.100.7:40001)\n");
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1); /* the C++ side released what it took */
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
}

#if defined(__i386__)
/* Calls fn(arg) with a raw call instruction and returns how far the stack pointer moved
 * across it: 0 when the callee popped its argument (stdcall), -4 when the caller must (cdecl). */
static int stack_delta_one_arg(void *fn, void *arg)
{
    int delta;
    /* esp is saved in esi (callee-saved in both conventions) and restored afterwards */
    __asm__ volatile("movl %%esp, %%esi\n\t"
                     "pushl %2\n\t"
                     "call *%1\n\t"
                     "movl %%esp, %%eax\n\t"
                     "subl %%esi, %%eax\n\t"
                     "movl %%esi, %%esp\n\t"
                     : "=a"(delta)
                     : "r"(fn), "r"(arg)
                     : "ecx", "edx", "esi", "memory");
    return delta;
}

/* Same with the 8 arguments of UpdateRemoteAddressEx2 (this + 7): stdcall pops 32 bytes. */
static int stack_delta_eight_args(void *fn, void *const args[8])
{
    int delta;
    __asm__ volatile("movl %%esp, %%esi\n\t"
                     "pushl 28(%2)\n\tpushl 24(%2)\n\tpushl 20(%2)\n\tpushl 16(%2)\n\t"
                     "pushl 12(%2)\n\tpushl 8(%2)\n\tpushl 4(%2)\n\tpushl 0(%2)\n\t"
                     "call *%1\n\t"
                     "movl %%esp, %%eax\n\t"
                     "subl %%esi, %%eax\n\t"
                     "movl %%esi, %%esp\n\t"
                     : "=a"(delta)
                     : "r"(fn), "r"(args)
                     : "ecx", "edx", "esi", "memory");
    return delta;
}
#endif

/* 32-bit x86 only (native32, mingw32): elsewhere there is one calling convention and nothing
 * to check, so the test reports itself not applicable (a skip scripts/test.sh allows). */
static void test_stdcall_callee_pops(void)
{
#if defined(__i386__)
    IRTCPortManager *c_pm;
    IRTCPortManager3 *cpp_pm = abi_cpp_create_pm();
    void *args[8];

    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &c_pm), S_OK);
    /* C object: AddRef(this) pops 4 bytes itself */
    CU_ASSERT_EQUAL(stack_delta_one_arg((void *)c_pm->lpVtbl->AddRef, c_pm), 0);
    CU_ASSERT_EQUAL(recording_pm_refcount(c_pm), 2);
    CU_ASSERT_EQUAL(stack_delta_one_arg((void *)c_pm->lpVtbl->Release, c_pm), 0);
    /* C++ object: the same through g++'s virtual functions */
    CU_ASSERT_EQUAL(stack_delta_one_arg((void *)cpp_pm->lpVtbl->AddRef, cpp_pm), 0);
    CU_ASSERT_EQUAL(stack_delta_one_arg((void *)cpp_pm->lpVtbl->Release, cpp_pm), 0);
    /* eight stack arguments, ret $32 */
    args[0] = cpp_pm;
    args[1] = NULL;
    args[2] = (void *)5060;
    args[3] = (void *)RTCTR_UDP;
    args[4] = NULL;
    args[5] = (void *)7;
    args[6] = NULL;
    args[7] = (void *)9;
    CU_ASSERT_EQUAL(stack_delta_eight_args((void *)cpp_pm->lpVtbl->UpdateRemoteAddressEx2, args), 0);
    args[0] = c_pm;
    CU_ASSERT_EQUAL(stack_delta_eight_args((void *)((IRTCPortManager3 *)c_pm)->lpVtbl->UpdateRemoteAddressEx2, args),
                    0);
    CU_ASSERT_EQUAL(recording_pm_refcount(c_pm), 1);
    c_pm->lpVtbl->Release(c_pm);
    cpp_pm->lpVtbl->Release(cpp_pm);
#else
    rtcpm_test_skip("not applicable: not an i386 build (the stdcall check runs in native32 and mingw32)");
#endif
}

static CU_TestInfo tests[] = {
    { "widths", test_widths },
    { "vtable_slots", test_vtable_slots },
    { "iids", test_iids },
    { "constants", test_constants },
    { "c_calls_cpp", test_c_calls_cpp },
    { "cpp_calls_c", test_cpp_calls_c },
    { "stdcall:stdcall_callee_pops", test_stdcall_callee_pops },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("abi", tests, argc, argv); }
