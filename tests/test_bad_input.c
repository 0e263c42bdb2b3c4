/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_bad_input.c — the bad-input matrix (bad_input.h): every port-management method of every
 * rtcpm object against NULL/empty/embedded-NUL/1 MiB/non-address/IPv6 BSTRs, out-of-range
 * ports, transports and port types, NULL out pointers, unknown and released mappings, and
 * SetPortManager at the wrong time; and README's "Bad input: HRESULTs" tables, which must be
 * exactly what this table renders.
 *
 *   test_bad_input              run the suite
 *   test_bad_input --markdown   print the README tables (scripts/update-bad-input-table.sh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "bad_input.h"
#include "bstr_count.h"
#include "net/addr.h"

#ifndef RTCPM_README
#error "RTCPM_README must name the README.md to check"
#endif

#define BEGIN_MARK "<!-- bad-input table: begin"
#define END_MARK   "<!-- bad-input table: end -->"

static int suite_init(void) { return bstr_count_start(); }
static int suite_cleanup(void)
{
    bi_pm_objects_cleanup();
    bstr_count_stop();
    return 0;
}

/* Every (method, argument) is tried with every value of its kind, each case at most once,
 * and every expectation is one the objects' contracts name. */
static void test_table_complete(void)
{
    size_t i, j;
    int kind_size[BI_KIND_COUNT] = { 0 }, v;

    for (v = 0; v < BI_VALUE_COUNT; v++) kind_size[bi_value_kind((enum bi_value)v)]++;
    for (i = 0; i < bad_input_case_count; i++)
    {
        const struct bi_case *c = &bad_input_cases[i];
        enum bi_kind kind = bi_value_kind(c->value);
        int same_row = 0, dup = 0;
        for (j = 0; j < bad_input_case_count; j++)
        {
            const struct bi_case *d = &bad_input_cases[j];
            if (d->method != c->method || d->arg != c->arg || bi_value_kind(d->value) != kind) continue;
            same_row++;
            if (d->value == c->value && j != i) dup++;
        }
        if (kind != BI_KIND_STATE && kind != BI_KIND_OUT && same_row != kind_size[kind])
            printf("\n    %s %s: %d of %d values", bi_method_name(c->method), bi_arg_name(c->arg), same_row,
                   kind_size[kind]);
        CU_ASSERT(kind == BI_KIND_STATE || kind == BI_KIND_OUT || same_row == kind_size[kind]);
        CU_ASSERT_EQUAL(dup, 0);
        CU_ASSERT(c->expected == S_OK || c->expected == E_POINTER || c->expected == E_INVALIDARG ||
                  c->expected == E_FAIL || c->expected == RTC_E_PORT_MAPPING_UNAVAILABLE);
        /* an out pointer is only ever refused with E_POINTER */
        if (kind == BI_KIND_OUT) CU_ASSERT_EQUAL(c->expected, E_POINTER);
    }
    /* the longest address value is exactly the longest text the parser takes, the next one
     * character longer */
    {
        BSTR longest = bi_make_bstr(BI_V_LONGEST, "x"), too_long = bi_make_bstr(BI_V_TOO_LONG, "x");
        CU_ASSERT_EQUAL(SysStringLen(longest), RTCPM_ADDR_PARSE_TEXT_MAX);
        CU_ASSERT_EQUAL(SysStringLen(too_long), RTCPM_ADDR_PARSE_TEXT_MAX + 1);
        SysFreeString(longest);
        SysFreeString(too_long);
    }
    /* each method of the six interfaces has rows */
    for (v = 0; v < BI_METHOD_COUNT; v++)
    {
        int rows = 0;
        for (i = 0; i < bad_input_case_count; i++) rows += bad_input_cases[i].method == (enum bi_method)v;
        CU_ASSERT(rows > 0);
    }
}

static void test_port_managers(void)
{
    int n = bi_run_pm_cases(0);
    printf("\n    %d cases on %u port manager(s), BSTRs counted by %s ", n, (unsigned)bi_pm_object_count,
           bstr_count_method());
    CU_ASSERT(n > 0);
}

/* The rows that need IPv6 loopback (the STUN port manager's IPv6 remotes). */
static void test_port_managers_ipv6(void)
{
    const char *missing = bi_pm_ipv6_missing();
    int n;
    if (missing)
    {
        rtcpm_test_skip("%s", missing);
        return;
    }
    n = bi_run_pm_cases(1);
    printf("\n    %d cases that need IPv6 loopback ", n);
    CU_ASSERT(n > 0);
}

static void test_host_objects(void)
{
    int n = bi_run_host_cases();
    printf("\n    %d cases ", n);
    CU_ASSERT(n > 0);
}

/* README's generated part, between the markers (the begin marker's line excluded). */
static char *readme_table(void)
{
    FILE *f = fopen(RTCPM_README, "rb");
    char *text, *begin, *end, *out = NULL;
    long size;

    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) || !(text = malloc((size_t)size + 1)))
    {
        fclose(f);
        return NULL;
    }
    text[fread(text, 1, (size_t)size, f)] = 0;
    fclose(f);
    if ((begin = strstr(text, BEGIN_MARK)) && (begin = strchr(begin, '\n')) && (end = strstr(++begin, END_MARK)) &&
        (out = malloc((size_t)(end - begin) + 1)))
    {
        memcpy(out, begin, (size_t)(end - begin));
        out[end - begin] = 0;
    }
    free(text);
    return out;
}

static void test_readme_matches(void)
{
    char *want = bi_markdown(), *have = readme_table();

    CU_ASSERT_PTR_NOT_NULL_FATAL(want);
    CU_ASSERT_PTR_NOT_NULL(have);
    if (have && strcmp(want, have))
    {
        size_t i = 0, line = 1;
        while (want[i] && want[i] == have[i]) line += want[i++] == '\n';
        printf("\n    README.md's bad-input table differs from the test's (table line %u); rerun "
               "scripts/update-bad-input-table.sh ",
               (unsigned)line);
    }
    CU_ASSERT(have && !strcmp(want, have));
    free(want);
    free(have);
}

static CU_TestInfo tests[] = {
    { "table_complete", test_table_complete },
    { "port_managers", test_port_managers },
    { "ipv6:port_managers_ipv6", test_port_managers_ipv6 },
    { "host_objects", test_host_objects },
    { "readme_matches", test_readme_matches },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--markdown"))
    {
        char *text = bi_markdown();
        if (!text) return 1;
        fputs(text, stdout);
        free(text);
        return 0;
    }
    rtcpm_test_set_fixtures(suite_init, suite_cleanup);
    return rtcpm_test_main("bad_input", tests, argc, argv);
}
