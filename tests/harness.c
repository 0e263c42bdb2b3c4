/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * harness.c — one CUnit suite per executable, exit status from the failure count.
 *
 * CU_basic_run_tests() succeeds even when assertions fail and CU_cleanup_registry()
 * clears the counters, so the counts are read before cleanup. CUnit has no "skipped": the
 * harness keeps the skips itself (rtcpm_test_skip) and turns them into exit status 77.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "com/log.h"

static CU_InitializeFunc suite_init;
static CU_CleanupFunc suite_cleanup;

#define MAX_SKIPS 32
static struct
{
    char test[64];
    char reason[240];
} skips[MAX_SKIPS];
static int skip_count, skips_lost;

void rtcpm_test_set_fixtures(CU_InitializeFunc init, CU_CleanupFunc cleanup)
{
    suite_init = init;
    suite_cleanup = cleanup;
}

void rtcpm_test_skip(const char *fmt, ...)
{
    CU_pTest t = CU_get_current_test();
    va_list ap;
    if (skip_count == MAX_SKIPS)
    {
        skips_lost++;
        return;
    }
    snprintf(skips[skip_count].test, sizeof(skips[skip_count].test), "%s", t && t->pName ? t->pName : "?");
    va_start(ap, fmt);
    vsnprintf(skips[skip_count].reason, sizeof(skips[skip_count].reason), fmt, ap);
    va_end(ap);
    printf("\n    SKIPPED: %s ", skips[skip_count].reason);
    skip_count++;
}

int rtcpm_test_bstr_is(BSTR b, const WCHAR *lit)
{
    UINT n = 0;
    while (lit[n]) n++;
    return SysStringLen(b) == n && (n == 0 || !memcmp(b, lit, n * sizeof(WCHAR)));
}

int rtcpm_test_counts_bstrs(void) { return rtcpm_live_bstrs() >= 0; }

/* "PART:name" belongs to PART, "name" to "main". */
static int in_part(const char *name, const char *part)
{
    const char *colon = strchr(name, ':');
    if (!colon) return !strcmp(part, "main");
    return strlen(part) == (size_t)(colon - name) && !strncmp(name, part, strlen(part));
}

static int is_named(const char *name, const char *want)
{
    const char *colon = strchr(name, ':');
    return !strcmp(name, want) || (colon && !strcmp(colon + 1, want));
}

/* Registers the tests the command line selects; 0 on a CUnit error. */
static int add_tests(CU_pSuite suite, CU_TestInfo *tests, const char *part, const char *only)
{
    CU_TestInfo *t;
    for (t = tests; t->pName; t++)
    {
        if (part && !in_part(t->pName, part)) continue;
        if (only && !is_named(t->pName, only)) continue;
        if (!CU_add_test(suite, t->pName, t->pTestFunc)) return 0;
    }
    return 1;
}

/* Leaked objects or BSTRs after the suite: printed, 1. */
static int report_leaks(const char *suite_name, LONG objects_before, LONG bstrs_before)
{
    int leaked = 0;
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
    return leaked;
}

int rtcpm_test_main(const char *suite_name, CU_TestInfo *tests, int argc, char **argv)
{
    CU_pSuite suite;
    unsigned failures, suites_failed, tests_run;
    LONG objects_before = rtcpm_live_objects(), bstrs_before = rtcpm_live_bstrs();
    const char *part = NULL, *only = NULL;
    int leaked, i;

    setvbuf(stdout, NULL, _IONBF, 0);
    for (i = 1; i < argc; i++)
    {
        if (!strcmp(argv[i], "--part") && i + 1 < argc)
            part = argv[++i];
        else
            only = argv[i];
    }
    if (CU_initialize_registry() != CUE_SUCCESS)
    {
        fprintf(stderr, "%s: CUnit: %s\n", suite_name, CU_get_error_msg());
        return 2;
    }
    suite = CU_add_suite(suite_name, suite_init, suite_cleanup);
    if (!suite || !add_tests(suite, tests, part, only)) goto fail;
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();

    failures = CU_get_number_of_failures();
    suites_failed = CU_get_number_of_suites_failed();
    tests_run = CU_get_number_of_tests_run();
    CU_cleanup_registry();

    leaked = report_leaks(suite_name, objects_before, bstrs_before);
    if (tests_run == 0)
    {
        printf("%s: no test ran%s%s\n", suite_name, part ? " in part " : "", part ? part : "");
        return 1;
    }
    if (failures || suites_failed || leaked) return 1;
    if (skip_count || skips_lost)
    {
        for (i = 0; i < skip_count; i++) printf("SKIPPED: %s: %s: %s\n", suite_name, skips[i].test, skips[i].reason);
        if (skips_lost) printf("SKIPPED: %s: %d more skip(s)\n", suite_name, skips_lost);
        return 77;
    }
    return 0;

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
