/*
 * test_marshal_none.c — marshal.h and the FTM helper where there is no COM runtime
 * (native builds): nothing to register, nothing to aggregate, and saying so.
 */
#include "harness.h"
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

static CU_TestInfo tests[] = {
    { "register_without_com", test_register_without_com },
    { "ftm_without_com", test_ftm_without_com },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("marshal_none", tests, argc, argv); }
