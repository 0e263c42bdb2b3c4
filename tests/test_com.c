/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_com.c — the object plumbing: table QueryInterface, identity, refcounts, live counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "recording_pm.h"
#include "com/com.h"
#include "com/log.h"

static void test_qi_all_levels(void)
{
    IRTCPortManager *pm;
    IRTCPortManager2 *pm2;
    IRTCPortManager3 *pm3;
    IUnknown *unk, *unk3;
    LONG live = rtcpm_live_objects();

    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live + 1);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager2, (void **)&pm2), S_OK);
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager3, (void **)&pm3), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 3);
    /* one object answers all three: the same interface pointer */
    CU_ASSERT_PTR_EQUAL(pm2, pm);
    CU_ASSERT_PTR_EQUAL(pm3, pm);
    /* identity: IUnknown from any interface is the same pointer */
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IUnknown, (void **)&unk), S_OK);
    CU_ASSERT_EQUAL(pm3->lpVtbl->QueryInterface(pm3, &IID_IUnknown, (void **)&unk3), S_OK);
    CU_ASSERT_PTR_EQUAL(unk, unk3);
    CU_ASSERT_EQUAL(rtcpm_com_refcount(unk), 5);
    unk->lpVtbl->Release(unk);
    unk3->lpVtbl->Release(unk3);
    pm2->lpVtbl->Release(pm2);
    pm3->lpVtbl->Release(pm3);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
}

static void test_qi_failures(void)
{
    IRTCPortManager *pm;
    void *out = (void *)&out;

    CU_ASSERT_EQUAL_FATAL(recording_pm_create(1, &pm), S_OK);
    /* an RTC 1.3 port manager: no IRTCPortManager2/3 */
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager2, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    out = (void *)&out;
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager3, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    out = (void *)&out;
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCSessionPortManagement, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager, NULL), E_POINTER);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1); /* failures take no reference */
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
}

static void test_create_bad_args(void)
{
    IRTCPortManager *pm = (IRTCPortManager *)&pm;
    CU_ASSERT_EQUAL(recording_pm_create(3, NULL), E_POINTER);
    CU_ASSERT_EQUAL(recording_pm_create(4, &pm), E_INVALIDARG);
    CU_ASSERT_PTR_NULL(pm);
}

static void test_guid_string(void)
{
    char buf[39];
    rtcpm_guid_to_string(&IID_IRTCPortManager, buf);
    CU_ASSERT_STRING_EQUAL(buf, "{DA77C14B-6208-43CA-8DDF-5B60A0A69FAC}");
    rtcpm_guid_to_string(&IID_IUnknown, buf);
    CU_ASSERT_STRING_EQUAL(buf, "{00000000-0000-0000-C000-000000000046}");
}

/* The FTM-aggregating variant is the same object to its users (on Windows it also answers
 * IMarshal: tests/test_marshal.c; natively there is nothing to aggregate). */
static void test_ftm_object_plumbing(void)
{
    IRTCPortManager *pm;
    IRTCPortManager3 *pm3;
    IUnknown *unk;
    LONG live = rtcpm_live_objects();

    CU_ASSERT_EQUAL(recording_pm_create_ftm(3, NULL), E_POINTER);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create_ftm(3, &pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live + 1);
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager3, (void **)&pm3), S_OK);
    CU_ASSERT_PTR_EQUAL(pm3, pm);
    CU_ASSERT_EQUAL(pm->lpVtbl->QueryInterface(pm, &IID_IUnknown, (void **)&unk), S_OK);
    CU_ASSERT_PTR_EQUAL(unk, pm);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 3);
    unk->lpVtbl->Release(unk);
    pm3->lpVtbl->Release(pm3);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
}

static void test_log_channels(void)
{
    rtcpm_test_set_debug(NULL);
    CU_ASSERT_FALSE(rtcpm_log_enabled(RTCPM_LOG_PM));
    rtcpm_test_set_debug("pm,stun");
    CU_ASSERT_TRUE(rtcpm_log_enabled(RTCPM_LOG_PM));
    CU_ASSERT_TRUE(rtcpm_log_enabled(RTCPM_LOG_STUN));
    CU_ASSERT_FALSE(rtcpm_log_enabled(RTCPM_LOG_HOST));
    rtcpm_test_set_debug("all,-host");
    CU_ASSERT_TRUE(rtcpm_log_enabled(RTCPM_LOG_COM));
    CU_ASSERT_FALSE(rtcpm_log_enabled(RTCPM_LOG_HOST));
    rtcpm_test_set_debug("pmx"); /* no prefix matching */
    CU_ASSERT_FALSE(rtcpm_log_enabled(RTCPM_LOG_PM));
    rtcpm_test_set_debug(NULL);
}

static char caught[512];

static void catch_line(void *ctx, const char *line)
{
    size_t used = strlen(caught);
    (void)ctx;
    snprintf(caught + used, sizeof(caught) - used, "%s|", line);
}

/* Errors are printed unless switched off, traces only on their channel; each line once, in
 * the sink a test sets, without a newline of its own. */
static void test_log_errors(void)
{
    static const char *const specs[] = { NULL, "pm", "-pm", "+err", "-err", "all,-err", "-all", "all" };
    static const char *const want[] = { "rtcpm:err:host:f 42|",
                                        "rtcpm:err:host:f 42|rtcpm:pm:g 7|",
                                        "rtcpm:err:host:f 42|",
                                        "rtcpm:err:host:f 42|",
                                        "",
                                        "rtcpm:pm:g 7|",
                                        "",
                                        "rtcpm:err:host:f 42|rtcpm:pm:g 7|" };
    size_t i;

    rtcpm_log_set_sink(catch_line, NULL);
    for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
    {
        caught[0] = 0;
        rtcpm_test_set_debug(specs[i]);
        rtcpm_log_error(RTCPM_LOG_HOST, "f", "%d", 42);
        if (rtcpm_log_enabled(RTCPM_LOG_PM)) rtcpm_log_printf(RTCPM_LOG_PM, "g", "%d", 7);
        CU_ASSERT_STRING_EQUAL(caught, want[i]);
        if (strcmp(caught, want[i])) printf("  RTCPM_DEBUG=%s: \"%s\"\n", specs[i] ? specs[i] : "(unset)", caught);
    }
    rtcpm_log_set_sink(NULL, NULL);
    rtcpm_test_set_debug(NULL);
}

static CU_TestInfo tests[] = {
    { "qi_all_levels", test_qi_all_levels },
    { "qi_failures", test_qi_failures },
    { "create_bad_args", test_create_bad_args },
    { "guid_string", test_guid_string },
    { "log_channels", test_log_channels },
    { "log_errors", test_log_errors },
    { "ftm_object_plumbing", test_ftm_object_plumbing },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("com", tests, argc, argv); }
