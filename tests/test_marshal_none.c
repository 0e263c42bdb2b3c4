/*
 * test_marshal_none.c — marshal.h and the FTM helper where there is no COM runtime
 * (native builds): nothing to register, nothing to aggregate, and saying so.
 */
#include "harness.h"
#include "recording_pm.h"
#include "com/ftm.h"

static void test_register_without_com(void)
{
    rtcpm_marshal_registration *reg = (rtcpm_marshal_registration *)&reg;
    CU_ASSERT_EQUAL(rtcpm_marshal_register(NULL, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_marshal_register(NULL, &reg), S_FALSE);
    CU_ASSERT_PTR_NULL(reg);
    CU_ASSERT_EQUAL(rtcpm_marshal_revoke(reg), S_FALSE);
    CU_ASSERT_EQUAL(rtcpm_marshal_unload_unused(), S_OK);
}

static void test_ftm_without_com(void)
{
    struct com_ftm ftm = { (IUnknown *)&ftm };
    IUnknown outer = { NULL };
    void *out = &out;

    CU_ASSERT_EQUAL(com_ftm_aggregate(&ftm, NULL), E_POINTER);
    CU_ASSERT_EQUAL(com_ftm_aggregate(&ftm, &outer), S_OK);
    CU_ASSERT_PTR_NULL(ftm.inner);
    CU_ASSERT_EQUAL(com_ftm_query_interface(&ftm, &IID_IUnknown, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(com_ftm_query_interface(&ftm, &IID_IUnknown, NULL), E_POINTER);
    com_ftm_release(&ftm);
    CU_ASSERT_PTR_NULL(ftm.inner);
}

/* Natively a pointer is valid on every thread: the agile reference keeps it as it is. */
static void test_agile_ref_without_com(void)
{
    struct com_agile_ref ref = { NULL, 0, NULL };
    IRTCPortManager *pm, *pm2, *got = (IRTCPortManager *)&got;

    CU_ASSERT_EQUAL(com_agile_ref_get(&ref, (void **)&got), S_FALSE);
    CU_ASSERT_PTR_NULL(got);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &pm), S_OK);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(1, &pm2), S_OK);
    CU_ASSERT_EQUAL(com_agile_ref_set(&ref, NULL, (IUnknown *)pm), E_INVALIDARG);
    CU_ASSERT_EQUAL(com_agile_ref_set(&ref, &IID_IRTCPortManager, (IUnknown *)pm), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 2);
    CU_ASSERT_EQUAL(com_agile_ref_get(&ref, NULL), E_POINTER);
    CU_ASSERT_EQUAL(com_agile_ref_get(&ref, (void **)&got), S_OK);
    CU_ASSERT_PTR_EQUAL(got, pm);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 3);
    got->lpVtbl->Release(got);
    /* replacing releases the old one */
    CU_ASSERT_EQUAL(com_agile_ref_set(&ref, &IID_IRTCPortManager, (IUnknown *)pm2), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 2);
    com_agile_ref_clear(&ref);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 1);
    CU_ASSERT_EQUAL(com_agile_ref_get(&ref, (void **)&got), S_FALSE);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(pm2->lpVtbl->Release(pm2), 0);
}

static CU_TestInfo tests[] = {
    { "register_without_com", test_register_without_com },
    { "ftm_without_com", test_ftm_without_com },
    { "agile_ref_without_com", test_agile_ref_without_com },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("marshal_none", tests, argc, argv); }
