/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * harness.c — one CUnit suite per executable, exit status from the failure count.
 *
 * CU_basic_run_tests() succeeds even when assertions fail and CU_cleanup_registry()
 * clears the counters, so the counts are read before cleanup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "com/log.h"

static CU_InitializeFunc suite_init;
static CU_CleanupFunc suite_cleanup;

void rtcpm_test_set_fixtures(CU_InitializeFunc init, CU_CleanupFunc cleanup)
{
    suite_init = init;
    suite_cleanup = cleanup;
}

int rtcpm_test_bstr_is(BSTR b, const WCHAR *lit)
{
    UINT n = 0;
    while (lit[n]) n++;
    return SysStringLen(b) == n && (n == 0 || !memcmp(b, lit, n * sizeof(WCHAR)));
}

int rtcpm_test_counts_bstrs(void) { return rtcpm_live_bstrs() >= 0; }

int rtcpm_test_main(const char *suite_name, CU_TestInfo *tests, int argc, char **argv)
{
    CU_pSuite suite;
    unsigned failures, suites_failed, tests_run;
    LONG objects_before = rtcpm_live_objects(), bstrs_before = rtcpm_live_bstrs();
    int leaked = 0;
    CU_TestInfo *t;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (CU_initialize_registry() != CUE_SUCCESS)
    {
        fprintf(stderr, "%s: CUnit: %s\n", suite_name, CU_get_error_msg());
        return 2;
    }
    suite = CU_add_suite(suite_name, suite_init, suite_cleanup);
    if (!suite) goto fail;
    for (t = tests; t->pName; t++)
    {
        if (argc > 1 && strcmp(argv[1], t->pName)) continue;
        if (!CU_add_test(suite, t->pName, t->pTestFunc)) goto fail;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();

    failures = CU_get_number_of_failures();
    suites_failed = CU_get_number_of_suites_failed();
    tests_run = CU_get_number_of_tests_run();
    CU_cleanup_registry();

    if (rtcpm_live_objects() != objects_before)
    {
        printf("%s: LEAK: %ld rtcpm COM object(s) still alive after the suite\n", suite_name,
               (long)(rtcpm_live_objects() - objects_before));
        leaked = 1;
    }
    if (bstrs_before >= 0 && rtcpm_live_bstrs() != bstrs_before)
    {
        printf("%s: LEAK: %ld BSTR(s) still alive after the suite\n", suite_name,
               (long)(rtcpm_live_bstrs() - bstrs_before));
        leaked = 1;
    }
    if (tests_run == 0)
    {
        printf("%s: no test ran\n", suite_name);
        return 1;
    }
    return (failures || suites_failed || leaked) ? 1 : 0;

fail:
    fprintf(stderr, "%s: CUnit: %s\n", suite_name, CU_get_error_msg());
    CU_cleanup_registry();
    return 2;
}

void rtcpm_test_set_debug(const char *value)
{
#ifdef _WIN32
    char buf[64];
    snprintf(buf, sizeof(buf), "RTCPM_DEBUG=%s", value ? value : "");
    _putenv(buf);
#else
    if (value)
        setenv("RTCPM_DEBUG", value, 1);
    else
        unsetenv("RTCPM_DEBUG");
#endif
    rtcpm_log_reset();
}
