/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_sta_app.c — what a new user does, with nothing else installed.
 *
 * The application's thread enters a single-threaded apartment (CoInitializeEx(NULL,
 * COINIT_APARTMENTTHREADED), as every RTC application does), makes its own port manager in
 * C (recording_pm: a plain COM object, no free-threaded marshaler), hands it to a profile and
 * a session with SetPortManager, registers and places calls through the host API. No
 * proxy/stub exists anywhere: no regsvr32 in the test prefix, no rtcpm_ps.dll beside this
 * test (CMake builds it into a folder of its own), no rtcpm_marshal_register. The port
 * manager is called directly, on the application's thread.
 *
 * What does need the proxy/stub: a call from another apartment. It fails with
 * REGDB_E_IIDNOTREG and an error line naming rtcpm_ps.dll and rtcpm_marshal_register,
 * asks the port manager nothing and leaves the object usable from its own apartment.
 * rtcpm's own (free-threaded) port managers cross without any of it.
 *
 * Natively the same flows run without COM; another thread then simply calls the port manager.
 */
#define COBJMACROS
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "recording_pm.h"
#include "test_thread.h"
#include "com/log.h"

#define REGISTRAR "198.18.0.1"
#define PEER      "203.0.113.5"

/* recording_pm's answers, as its log prints them */
#define SIP_ANSWER " -> 0x0 192.168.1.10:5060 198.51.100.7:45060\n"
#define ART_ANSWER " -> 0x0 192.168.1.10:5000 198.51.100.7:40000\n"
#define ARC_ANSWER " -> 0x0 192.168.1.10:5001 198.51.100.7:40001\n"
#define VRT_ANSWER " -> 0x0 192.168.1.10:5002 198.51.100.7:40002\n"
#define VRC_ANSWER " -> 0x0 192.168.1.10:5003 198.51.100.7:40003\n"
#define CONTACT    "Contact: <sip:alice@198.51.100.7:45060;transport=udp>\r\n"

/* The error lines the library writes, caught instead of going to stderr. */
static char err_lines[4096];

static void catch_line(void *ctx, const char *line)
{
    size_t used = strlen(err_lines);
    (void)ctx;
    snprintf(err_lines + used, sizeof(err_lines) - used, "%s\n", line);
}

static int count_lines(const char *text)
{
    int n = 0;
    for (; *text; text++) n += *text == '\n';
    return n;
}

/* The application's objects: a client, a profile with the application's port manager, a
 * session on that profile (no port manager of its own yet). */
struct app
{
    IRTCClientPortManagement *client;
    IRTCProfilePortManagement *profile;
    IRTCSessionPortManagement *session;
    IRTCPortManager *pm;
    LONG live;
};

static void app_start(struct app *a, int ftm)
{
    memset(a, 0, sizeof(*a));
    a->live = rtcpm_live_objects();
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_client("192.168.1.10", &a->client), S_OK);
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(a->client, "sip:alice@example.com", REGISTRAR, 5060, RTCTR_UDP, &a->profile), S_OK);
    CU_ASSERT_EQUAL_FATAL(ftm ? recording_pm_create_ftm(3, &a->pm) : recording_pm_create(3, &a->pm), S_OK);
    /* the call that failed with E_NOINTERFACE while the host put every port manager into the GIT */
    CU_ASSERT_EQUAL(IRTCProfilePortManagement_SetPortManager(a->profile, a->pm), S_OK);
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_session(a->client, a->profile, "sip:bob@example.net", PEER, 5060, 0, &a->session), S_OK);
}

/* Everything released: the port manager has its creator's reference back, nothing is left. */
static void app_stop(struct app *a)
{
    CU_ASSERT_EQUAL(IRTCSessionPortManagement_Release(a->session), 0);
    CU_ASSERT_EQUAL(IRTCProfilePortManagement_Release(a->profile), 0);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_Release(a->client), 0);
    CU_ASSERT_EQUAL(recording_pm_refcount(a->pm), 1);
    CU_ASSERT_EQUAL(IRTCPortManager_Release(a->pm), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), a->live);
}

#ifdef _WIN32
/* What the application's own apartment can still do after another one was turned away. */
static void own_apartment_still_works(struct app *a)
{
    char text[256];

    recording_pm_clear_log(a->pm);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(a->profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(a->profile, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, CONTACT);
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(a->profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(a->session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(a->session), S_OK);
    CU_ASSERT_EQUAL(recording_pm_last_caller(a->pm), recording_pm_thread_token());
    CU_ASSERT_EQUAL(count_lines(recording_pm_log(a->pm)), 8); /* 1 + 3 mappings, as many releases */
}

/* The application's thread: a single-threaded apartment, as RTC requires. */
static int enter_sta(void) { return FAILED(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED)); }
static int leave_sta(void)
{
    CoUninitialize();
    return 0;
}

/* The test means "nothing installed": no proxy/stub is known for the interfaces, none is beside
 * this .exe, none was loaded. A prefix where someone ran regsvr32 fails here, not later. */
static void test_nothing_installed(void)
{
    static const IID *const iids[] = { &IID_IRTCPortManager, &IID_IRTCPortManager2, &IID_IRTCPortManager3 };
    WCHAR path[MAX_PATH];
    WCHAR *slash;
    APTTYPE type;
    APTTYPEQUALIFIER qualifier;
    CLSID clsid;
    DWORD len;
    size_t i;

    CU_ASSERT_EQUAL(CoGetApartmentType(&type, &qualifier), S_OK);
    CU_ASSERT_TRUE(type == APTTYPE_MAINSTA || type == APTTYPE_STA);
    for (i = 0; i < sizeof(iids) / sizeof(iids[0]); i++)
        CU_ASSERT_EQUAL(CoGetPSClsid(iids[i], &clsid), REGDB_E_IIDNOTREG);
    len = GetModuleFileNameW(NULL, path, MAX_PATH);
    CU_ASSERT_TRUE_FATAL(len > 0 && len < MAX_PATH);
    slash = wcsrchr(path, L'\\');
    CU_ASSERT_PTR_NOT_NULL_FATAL(slash);
    wcscpy(slash + 1, L"rtcpm_ps.dll");
    CU_ASSERT_EQUAL(GetFileAttributesW(path), INVALID_FILE_ATTRIBUTES);
    CU_ASSERT_PTR_NULL(GetModuleHandleW(L"rtcpm_ps.dll"));
}
#endif

/* Register and unregister, twice: every call arrives on this thread, directly. */
static void test_profile_registers(void)
{
    struct app a;
    char text[256];
    int round;

    app_start(&a, 0);
    for (round = 0; round < 2; round++)
    {
        recording_pm_clear_log(a.pm);
        CU_ASSERT_EQUAL(rtcpm_host_profile_enable(a.profile), S_OK);
        CU_ASSERT_EQUAL(recording_pm_last_caller(a.pm), recording_pm_thread_token());
        CU_ASSERT_EQUAL(rtcpm_host_profile_contact(a.profile, text, sizeof(text)), S_OK);
        CU_ASSERT_STRING_EQUAL(text, CONTACT);
        CU_ASSERT_EQUAL(rtcpm_host_profile_disable(a.profile), S_OK);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(a.pm), "GetMappingEx(" REGISTRAR ":5060,UDP,SIP)" SIP_ANSWER
                                                       "ReleaseMappingEx(UDP,192.168.1.10:5060,198.51.100.7:45060)\n");
    }
    CU_ASSERT_EQUAL(recording_pm_refcount(a.pm), 2); /* its creator's, the profile's */
    app_stop(&a);
}

/* A session with a port manager of its own (an RTC 1.2-style one: IRTCPortManager2 at most,
 * reached by QueryInterface on this thread), then with the profile's. */
static void test_session_calls(void)
{
    IRTCPortManager *own = NULL;
    struct app a;
    LONG level = -1;

    app_start(&a, 0);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(2, &own), S_OK);
    CU_ASSERT_EQUAL(IRTCSessionPortManagement_SetPortManager(a.session, own), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(a.session, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_pm_level(a.session, &level), S_OK);
    CU_ASSERT_EQUAL(level, 2);
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(a.session, RTCPM_HOST_STREAM_VIDEO, "203.0.113.9", 7000, 0), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(a.session), S_OK);
    CU_ASSERT_EQUAL(recording_pm_last_caller(own), recording_pm_thread_token());
    CU_ASSERT_STRING_EQUAL(recording_pm_log(own),
                           "GetMapping(" PEER ",SIP)" SIP_ANSWER "GetMapping(" PEER ",AUDIO_RTP)" ART_ANSWER
                           "GetMapping(" PEER ",AUDIO_RTCP)" ARC_ANSWER "GetMapping(" PEER ",VIDEO_RTP)" VRT_ANSWER
                           "GetMapping(" PEER ",VIDEO_RTCP)" VRC_ANSWER
                           "UpdateRemoteAddressEx(203.0.113.9:7000,192.168.1.10:5002,198.51.100.7:40002)\n"
                           "UpdateRemoteAddressEx(203.0.113.9:7001,192.168.1.10:5003,198.51.100.7:40003)\n"
                           "ReleaseMapping(192.168.1.10:5003,198.51.100.7:40003)\n"
                           "ReleaseMapping(192.168.1.10:5002,198.51.100.7:40002)\n"
                           "ReleaseMapping(192.168.1.10:5001,198.51.100.7:40001)\n"
                           "ReleaseMapping(192.168.1.10:5000,198.51.100.7:40000)\n"
                           "ReleaseMapping(192.168.1.10:5060,198.51.100.7:45060)\n");
    CU_ASSERT_STRING_EQUAL(recording_pm_log(a.pm), "");

    /* no port manager of its own: the profile's */
    CU_ASSERT_EQUAL(IRTCSessionPortManagement_SetPortManager(a.session, NULL), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(own), 1);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(a.session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(a.session), S_OK);
    CU_ASSERT_EQUAL(recording_pm_last_caller(a.pm), recording_pm_thread_token());
    CU_ASSERT_STRING_EQUAL(recording_pm_log(a.pm),
                           "GetMappingEx(" PEER ":5060,UDP,SIP)" SIP_ANSWER "GetMappingEx(" PEER
                           ":0,UDP,AUDIO_RTP)" ART_ANSWER "GetMappingEx(" PEER ":0,UDP,AUDIO_RTCP)" ARC_ANSWER
                           "ReleaseMappingEx(UDP,192.168.1.10:5001,198.51.100.7:40001)\n"
                           "ReleaseMappingEx(UDP,192.168.1.10:5000,198.51.100.7:40000)\n"
                           "ReleaseMappingEx(UDP,192.168.1.10:5060,198.51.100.7:45060)\n");
    CU_ASSERT_EQUAL(IRTCPortManager_Release(own), 0);
    app_stop(&a);
}

/* ---- from another thread ---------------------------------------------------------------- */

struct other
{
    struct app *a;
    int com; /* 1: the thread enters the MTA; 0: it never initialises COM */
    HRESULT enable_hr, call_hr;
    uintptr_t token;
};

static int other_thread(void *arg)
{
    struct other *o = arg;
#ifdef _WIN32
    HRESULT init = o->com ? CoInitializeEx(NULL, COINIT_MULTITHREADED) : E_FAIL;
#endif
    o->token = recording_pm_thread_token();
    o->enable_hr = rtcpm_host_profile_enable(o->a->profile);
    o->call_hr = rtcpm_host_session_call(o->a->session, RTCPM_HOST_MEDIA_AUDIO);
#ifdef _WIN32
    if (SUCCEEDED(init)) CoUninitialize();
#endif
    return 0;
}

/* Another thread (in the MTA, or without COM) enables the profile and places a call. */
static void run_other(struct app *a, int com, struct other *o)
{
    test_thread *t;

    memset(o, 0, sizeof(*o));
    o->a = a;
    o->com = com;
    CU_ASSERT_EQUAL_FATAL(test_thread_start(&t, other_thread, o), 0);
    test_thread_join(t);
}

/* The port manager lives in this STA; another thread uses the host. Under COM: without a
 * proxy/stub the other apartment cannot reach it (REGDB_E_IIDNOTREG, an error line that says
 * what to do, nothing asked, nothing held); natively: it is simply called on that thread. */
static void other_apartment(int com)
{
    struct other o;
    struct app a;
    char text[256];

    app_start(&a, 0);
    err_lines[0] = 0;
    rtcpm_log_set_sink(catch_line, NULL);
    run_other(&a, com, &o);
    rtcpm_log_set_sink(NULL, NULL);
#ifdef _WIN32
    CU_ASSERT_EQUAL(o.enable_hr, com ? REGDB_E_IIDNOTREG : CO_E_NOTINITIALIZED);
    CU_ASSERT_EQUAL(o.call_hr, com ? REGDB_E_IIDNOTREG : CO_E_NOTINITIALIZED);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(a.pm), "");
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(a.profile, text, sizeof(text)), E_UNEXPECTED);
    CU_ASSERT_EQUAL(recording_pm_refcount(a.pm), 2); /* nothing held for the failed operations */
    if (com)
    {
        printf("\n    %.*s\n", (int)strcspn(err_lines, "\n"), err_lines);
        /* one line per failed operation, each naming the way out */
        CU_ASSERT_EQUAL(count_lines(err_lines), 2);
        CU_ASSERT_PTR_NOT_NULL(strstr(err_lines, "rtcpm:err:com:rtcpm_com_agile_ref_get IRTCPortManager "));
        CU_ASSERT_PTR_NOT_NULL(strstr(err_lines, "(REGDB_E_IIDNOTREG)"));
        CU_ASSERT_PTR_NOT_NULL(strstr(err_lines, "rtcpm_ps.dll beside the .exe"));
        CU_ASSERT_PTR_NOT_NULL(strstr(err_lines, "rtcpm_marshal_register()"));
        CU_ASSERT_PTR_NOT_NULL(strstr(err_lines, "is called from the MTA"));
    }
    else
        CU_ASSERT_STRING_EQUAL(err_lines, "");
    own_apartment_still_works(&a);
#else
    (void)text;
    CU_ASSERT_EQUAL(o.enable_hr, S_OK);
    CU_ASSERT_EQUAL(o.call_hr, S_OK);
    CU_ASSERT_EQUAL(recording_pm_last_caller(a.pm), o.token);
    CU_ASSERT_STRING_EQUAL(err_lines, "");
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(a.session), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(a.profile), S_OK);
    CU_ASSERT_EQUAL(count_lines(recording_pm_log(a.pm)), 8);
#endif
    app_stop(&a);
}

static void test_other_apartment(void) { other_apartment(1); }
#ifdef _WIN32
static void test_thread_without_com(void) { other_apartment(0); }
#endif

/* rtcpm's own kind of port manager (free-threaded) needs nothing from any apartment: it runs
 * on the calling thread, wherever that is. */
static void test_free_threaded_port_manager(void)
{
    struct other o;
    struct app a;

    app_start(&a, 1);
    run_other(&a, 1, &o);
    CU_ASSERT_EQUAL(o.enable_hr, S_OK);
    CU_ASSERT_EQUAL(o.call_hr, S_OK);
    CU_ASSERT_EQUAL(recording_pm_last_caller(a.pm), o.token);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(a.session), S_OK); /* from this apartment */
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(a.profile), S_OK);
    CU_ASSERT_EQUAL(recording_pm_last_caller(a.pm), recording_pm_thread_token());
    CU_ASSERT_EQUAL(count_lines(recording_pm_log(a.pm)), 8);
    app_stop(&a);
}

static CU_TestInfo tests[] = {
#ifdef _WIN32
    { "nothing_installed", test_nothing_installed },
#endif
    { "profile_registers", test_profile_registers },
    { "session_calls", test_session_calls },
    { "other_apartment", test_other_apartment },
#ifdef _WIN32
    { "thread_without_com", test_thread_without_com },
#endif
    { "free_threaded_port_manager", test_free_threaded_port_manager },
#ifdef _WIN32
    { "nothing_loaded", test_nothing_installed },
#endif
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv)
{
#ifdef _WIN32
    rtcpm_test_set_fixtures(enter_sta, leave_sta);
#endif
    return rtcpm_test_main("sta_app", tests, argc, argv);
}
