/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

    CU_ASSERT_EQUAL(rtcpm_com_ftm_aggregate(&ftm, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_com_ftm_aggregate(&ftm, &outer), S_OK);
    CU_ASSERT_PTR_NULL(ftm.inner);
    CU_ASSERT_EQUAL(rtcpm_com_ftm_query_interface(&ftm, &IID_IUnknown, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(rtcpm_com_ftm_query_interface(&ftm, &IID_IUnknown, NULL), E_POINTER);
    rtcpm_com_ftm_release(&ftm);
    CU_ASSERT_PTR_NULL(ftm.inner);
    /* no apartments: anything may be called from any thread */
    CU_ASSERT_EQUAL(rtcpm_com_ftm_is_free_threaded(&outer), 1);
    CU_ASSERT_EQUAL(rtcpm_com_ftm_is_free_threaded(NULL), 0);
}

static void ignore_line(void *ctx, const char *line)
{
    (void)ctx;
    (void)line;
}

/* rtcpm's objects aggregate the FTM through ftm.h: natively there is none, so they answer
 * exactly what they answered before, and no IMarshal. */
static void test_objects_answer_no_imarshal(void)
{
    /* IID_IMarshal: libuuid's on Windows; no native header declares it */
    static const IID iid_marshal = { 0x00000003, 0x0000, 0x0000, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
    IRTCPortManager3 *spm = NULL;
    IRTCPortManager *trace = NULL;
    IRTCClientPortManagement *client = NULL;
    IRTCProfilePortManagement *profile = NULL;
    IRTCSessionPortManagement *session = NULL;
    IUnknown *objs[6];
    int i;

    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&spm), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_trace_pm_create((IRTCPortManager *)spm, ignore_line, NULL, &trace), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_client("192.168.1.10", &client), S_OK);
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(client, "sip:alice@example.com", "198.18.0.1", 5060, RTCTR_UDP, &profile), S_OK);
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_session(client, profile, "sip:bob@example.net", "203.0.113.5", 5060, 0, &session), S_OK);
    objs[0] = (IUnknown *)spm;
    objs[1] = (IUnknown *)trace;
    objs[2] = (IUnknown *)client;
    objs[3] = (IUnknown *)profile;
    objs[4] = (IUnknown *)session;
    objs[5] = NULL;
    for (i = 0; objs[i]; i++)
    {
        void *out = &out;
        CU_ASSERT_EQUAL(objs[i]->lpVtbl->QueryInterface(objs[i], &iid_marshal, &out), E_NOINTERFACE);
        CU_ASSERT_PTR_NULL(out);
    }
    CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);
    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
    CU_ASSERT_EQUAL(trace->lpVtbl->Release(trace), 0);
    CU_ASSERT_EQUAL(spm->lpVtbl->Release(spm), 0);
}

/* Natively a pointer is valid on every thread: the agile reference keeps it as it is. */
static void test_agile_ref_without_com(void)
{
    struct com_agile_ref ref = { 0 };
    IRTCPortManager *pm, *pm2, *got = (IRTCPortManager *)&got;

    CU_ASSERT_EQUAL(rtcpm_com_agile_ref_get(&ref, (void **)&got), S_FALSE);
    CU_ASSERT_PTR_NULL(got);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &pm), S_OK);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(1, &pm2), S_OK);
    CU_ASSERT_EQUAL(rtcpm_com_agile_ref_set(&ref, NULL, (IUnknown *)pm), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_com_agile_ref_set(&ref, &IID_IRTCPortManager, (IUnknown *)pm), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 2);
    CU_ASSERT_EQUAL(rtcpm_com_agile_ref_get(&ref, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_com_agile_ref_get(&ref, (void **)&got), S_OK);
    CU_ASSERT_PTR_EQUAL(got, pm);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 3);
    got->lpVtbl->Release(got);
    /* replacing releases the old one */
    CU_ASSERT_EQUAL(rtcpm_com_agile_ref_set(&ref, &IID_IRTCPortManager, (IUnknown *)pm2), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 2);
    rtcpm_com_agile_ref_clear(&ref);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 1);
    CU_ASSERT_EQUAL(rtcpm_com_agile_ref_get(&ref, (void **)&got), S_FALSE);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(pm2->lpVtbl->Release(pm2), 0);
}

static CU_TestInfo tests[] = {
    { "register_without_com", test_register_without_com },
    { "ftm_without_com", test_ftm_without_com },
    { "agile_ref_without_com", test_agile_ref_without_com },
    { "objects_answer_no_imarshal", test_objects_answer_no_imarshal },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("marshal_none", tests, argc, argv); }
