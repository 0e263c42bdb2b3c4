/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * harness.h — the CUnit main every rtcpm suite shares (natively, under Wine, under qemu).
 *
 *   static CU_TestInfo tests[] = { { "name", test_fn }, ..., CU_TEST_INFO_NULL };
 *   int main(int argc, char **argv) { return rtcpm_test_main("suite", tests, argc, argv); }
 *
 * After the suite, the harness also fails the run when any rtcpm COM object or (natively)
 * any BSTR is still alive: every test must leave nothing behind.
 * argv[1], when given, runs only the test of that name.
 */
#ifndef RTCPM_TESTS_HARNESS_H
#define RTCPM_TESTS_HARNESS_H

#include <CUnit/Basic.h>
#include "rtcpm/rtcpm.h"

int rtcpm_test_main(const char *suite_name, CU_TestInfo *tests, int argc, char **argv);

/* Optional per-suite setup/teardown (run once around the suite). */
void rtcpm_test_set_fixtures(CU_InitializeFunc init, CU_CleanupFunc cleanup);

/* Asserts two WCHAR strings of a BSTR and a literal are equal. */
#define CU_ASSERT_BSTR_EQUAL(bstr, lit) CU_ASSERT_TRUE(rtcpm_test_bstr_is((bstr), (lit)))
int rtcpm_test_bstr_is(BSTR b, const WCHAR *lit);

/* Sets RTCPM_DEBUG (NULL: unsets it) and makes the library read it again. */
void rtcpm_test_set_debug(const char *value);

/* 1 on the native runtime (which counts live BSTRs), 0 where oleaut32 owns them. */
int rtcpm_test_counts_bstrs(void);

#endif
