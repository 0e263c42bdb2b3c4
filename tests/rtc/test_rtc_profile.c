/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_rtc_profile.c — IRTCClientProvisioning2 and the profile object, no SIP sent:
 *  - CreateProfile's codes for the provisioning XML matrix (valid; malformed; every missing,
 *    duplicate or bad element and attribute; a huge document; NUL and non-UTF-16 in the BSTR);
 *  - every IRTCProfile2 getter, SetCredentials, Realm, AllowedAuth; QI table; BSTR leaks;
 *  - EnableProfile with a port manager that refuses the SIP mapping: REGISTERING then ERROR
 *    carrying its HRESULT, the GetMappingEx the RTC 1.5 documentation describes, and nothing
 *    sent to the registrar (a UDP socket of this test stands in for it);
 *  - SetPortManager: E_FAIL while enabled, S_OK again once DisableProfile finished;
 *    EnumerateProfiles / get_Profiles / get_SessionCapabilities over the enabled profiles.
 */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "loopback.h"
#include "malloc_spy.h"
#include "recording_pm.h"
#include "rtc_test_util.h"
#include "os/socket.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define USER  "<user uri=\"sip:alice@example.com\"/>"
#define REG   "<sipsrv addr=\"192.0.2.1\" protocol=\"udp\" role=\"registrar\"/>"
#define OPEN  "<provision key=\"k\" name=\"n\">"
#define CLOSE "</provision>"

static const struct
{
    const char *what, *xml;
    HRESULT hr;
} matrix[] = {
    { "valid", OPEN USER REG CLOSE, S_OK },
    { "uri without sip:", OPEN "<user uri=\"alice@example.com\"/>" REG CLOSE, S_OK },
    { "host name", OPEN USER "<sipsrv addr=\"sip.example.com:5070\" protocol=\"tcp\" role=\"proxy\"/>" CLOSE, S_OK },
    { "unknown elements ignored", OPEN USER REG "<accesscontrol domain=\"*\"/><presence/>" CLOSE, S_OK },
    { "not XML", "provision", RTC_E_MALFORMED_XML },
    { "empty", "", RTC_E_MALFORMED_XML },
    { "unclosed", OPEN USER REG, RTC_E_MALFORMED_XML },
    { "DTD", "<!DOCTYPE provision [<!ENTITY e \"x\">]>" OPEN USER REG CLOSE, RTC_E_MALFORMED_XML },
    { "unknown entity", "<provision key=\"&e;\" name=\"n\">" USER REG CLOSE, RTC_E_MALFORMED_XML },
    { "duplicate attribute", "<provision key=\"k\" key=\"k\" name=\"n\">" USER REG CLOSE, RTC_E_MALFORMED_XML },
    { "root", "<profile key=\"k\" name=\"n\">" USER REG "</profile>", RTC_E_PROFILE_NO_PROVISION },
    { "no key", "<provision name=\"n\">" USER REG CLOSE, RTC_E_PROFILE_NO_KEY },
    { "no name", "<provision key=\"k\">" USER REG CLOSE, RTC_E_PROFILE_NO_NAME },
    { "no user", OPEN REG CLOSE, RTC_E_PROFILE_NO_USER },
    { "two users", OPEN USER USER REG CLOSE, RTC_E_INVALID_PROFILE },
    { "no uri", OPEN "<user account=\"a\"/>" REG CLOSE, RTC_E_PROFILE_NO_USER_URI },
    { "bad uri", OPEN "<user uri=\"http://example.com\"/>" REG CLOSE, RTC_E_INVALID_SIP_URL },
    { "no sipsrv", OPEN USER CLOSE, RTC_E_PROFILE_NO_SERVER },
    { "no addr", OPEN USER "<sipsrv protocol=\"udp\" role=\"registrar\"/>" CLOSE, RTC_E_PROFILE_NO_SERVER_ADDRESS },
    { "bad addr", OPEN USER "<sipsrv addr=\"a b\" protocol=\"udp\" role=\"registrar\"/>" CLOSE,
      RTC_E_INVALID_PROXY_ADDRESS },
    { "no protocol", OPEN USER "<sipsrv addr=\"192.0.2.1\" role=\"registrar\"/>" CLOSE,
      RTC_E_PROFILE_NO_SERVER_PROTOCOL },
    { "bad protocol", OPEN USER "<sipsrv addr=\"192.0.2.1\" protocol=\"sctp\" role=\"registrar\"/>" CLOSE,
      RTC_E_PROFILE_INVALID_SERVER_PROTOCOL },
    { "bad auth", OPEN USER "<sipsrv addr=\"192.0.2.1\" protocol=\"udp\" auth=\"magic\" role=\"registrar\"/>" CLOSE,
      RTC_E_PROFILE_INVALID_SERVER_AUTHMETHOD },
    { "bad role", OPEN USER "<sipsrv addr=\"192.0.2.1\" protocol=\"udp\" role=\"boss\"/>" CLOSE,
      RTC_E_PROFILE_INVALID_SERVER_ROLE },
    { "two registrars", OPEN USER REG REG CLOSE, RTC_E_PROFILE_MULTIPLE_REGISTRARS },
    { "bad party",
      OPEN USER "<sipsrv addr=\"192.0.2.1\" protocol=\"udp\" role=\"proxy\">"
                "<session party=\"second\" type=\"pc2pc\"/></sipsrv>" CLOSE,
      RTC_E_PROFILE_INVALID_SESSION_PARTY },
    { "bad type",
      OPEN USER "<sipsrv addr=\"192.0.2.1\" protocol=\"udp\" role=\"proxy\">"
                "<session party=\"first\" type=\"video\"/></sipsrv>" CLOSE,
      RTC_E_PROFILE_INVALID_SESSION_TYPE },
};

static IRTCClient *client;
static IRTCClientProvisioning2 *prov;

static int suite_init(void)
{
    if (FAILED(rtc_test_create_client(&client)) || FAILED(IRTCClient_Initialize(client))) return -1;
    return FAILED(IRTCClient_QueryInterface(client, &IID_IRTCClientProvisioning2, (void **)&prov)) ? -1 : 0;
}

static int suite_cleanup(void)
{
    IRTCClientProvisioning2_Release(prov);
    IRTCClient_Shutdown(client);
    IRTCClient_Release(client);
    return rtc_test_dll_can_unload() == S_OK ? 0 : -1;
}

static void test_xml_matrix(void)
{
    IRTCProfile *profile;
    size_t i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(matrix); i++)
    {
        profile = (IRTCProfile *)&profile;
        hr = rtc_test_create_profile(client, matrix[i].xml, &profile);
        if (hr != matrix[i].hr) printf("  %s: 0x%08lx, expected 0x%08lx\n", matrix[i].what, hr, matrix[i].hr);
        CU_ASSERT_EQUAL(hr, matrix[i].hr);
        if (SUCCEEDED(hr))
        {
            CU_ASSERT_EQUAL(IRTCProfile_Release(profile), 0);
        }
        else
        {
            CU_ASSERT_PTR_NULL(profile);
        }
    }
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_CreateProfile(prov, NULL, &profile), E_POINTER);
}

/* What a BSTR can hold and UTF-8 cannot: a NUL, an unpaired surrogate; and a huge document. */
static void test_xml_bstr_edges(void)
{
    static const WCHAR nul[] = L"<provision key=\"k\" name=\"n\">\0<user uri=\"sip:a@b.c\"/></provision>";
    static const WCHAR surrogate[] = L"<provision key=\"\xd800\" name=\"n\"/>";
    IRTCProfile *profile;
    BSTR b;
    size_t n = 2 * 1024 * 1024, i;
    char *big = malloc(n + 1);

    b = SysAllocStringLen(nul, ARRAY_SIZE(nul) - 1);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_CreateProfile(prov, b, &profile), RTC_E_MALFORMED_XML);
    SysFreeString(b);
    b = SysAllocString(surrogate);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_CreateProfile(prov, b, &profile), RTC_E_MALFORMED_XML);
    SysFreeString(b);
    /* 2 MB: past the parser's limit, refused without a fuss */
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    memcpy(big, OPEN USER REG, strlen(OPEN USER REG));
    for (i = strlen(OPEN USER REG); i < n - strlen(CLOSE); i++) big[i] = ' ';
    memcpy(big + n - strlen(CLOSE), CLOSE, strlen(CLOSE) + 1);
    CU_ASSERT_EQUAL(rtc_test_create_profile(client, big, &profile), RTC_E_MALFORMED_XML);
    free(big);
}

/* b is read after hr was computed (the getter has run): argument order is unspecified. */
static void check_bstr(HRESULT hr, BSTR *pb, const WCHAR *expected)
{
    BSTR b = *pb;
    CU_ASSERT_EQUAL(hr, S_OK);
    CU_ASSERT_TRUE(b && !lstrcmpW(b, expected));
    if (b && lstrcmpW(b, expected)) printf("  got \"%ls\", expected \"%ls\"\n", b, expected);
    SysFreeString(b);
}

static const char full_xml[] =
    "<provision key=\"{K-1}\" name=\"Work &amp; home\">"
    "<user uri=\"alice@example.com\" account=\"alice\" name=\"Alice\" password=\"pw\" realm=\"example.com\""
    " allowedauth=\"digest\"/>"
    "<sipsrv addr=\"192.0.2.1:5070\" protocol=\"udp\" role=\"registrar\">"
    "<session party=\"first\" type=\"pc2pc\"/></sipsrv>"
    "<sipsrv addr=\"proxy.example.com\" protocol=\"tcp\" role=\"proxy\">"
    "<session party=\"first\" type=\"pc2ph\"/></sipsrv>"
    "<client name=\"rtcpm test\" banner=\"true\" minver=\"1.0\" curver=\"1.5\" updateuri=\"http://u\">"
    "<data>client data</data></client>"
    "<provider name=\"ACME\" homepage=\"http://acme\" helpdesk=\"http://help\"><data>prov data</data></provider>"
    "</provision>";

static void test_getters(void)
{
    IRTCProfile2 *p;
    IRTCProfile *profile;
    VARIANT_BOOL banner = 0;
    LONG l = 0;
    RTC_REGISTRATION_STATE state = RTCRS_ERROR;
    BSTR b;
    IUnknown *unk;

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_profile(client, full_xml, &profile), S_OK);
    CU_ASSERT_EQUAL_FATAL(IRTCProfile_QueryInterface(profile, &IID_IRTCProfile2, (void **)&p), S_OK);
    CU_ASSERT_EQUAL(IRTCProfile_QueryInterface(profile, &IID_IRTCProfilePortManagement, (void **)&unk), S_OK);
    IUnknown_Release(unk);
    CU_ASSERT_EQUAL(IRTCProfile_QueryInterface(profile, &IID_IRTCSession, (void **)&unk), E_NOINTERFACE);
    check_bstr(IRTCProfile2_get_Key(p, &b), &b, L"{K-1}");
    check_bstr(IRTCProfile2_get_Name(p, &b), &b, L"Work & home");
    check_bstr(IRTCProfile2_get_UserURI(p, &b), &b, L"sip:alice@example.com");
    check_bstr(IRTCProfile2_get_UserAccount(p, &b), &b, L"alice");
    check_bstr(IRTCProfile2_get_UserName(p, &b), &b, L"Alice");
    check_bstr(IRTCProfile2_get_Realm(p, &b), &b, L"example.com");
    check_bstr(IRTCProfile2_get_ProviderName(p, &b), &b, L"ACME");
    check_bstr(IRTCProfile2_get_ProviderData(p, &b), &b, L"prov data");
    check_bstr(IRTCProfile2_get_ProviderURI(p, RTCPU_URIHOMEPAGE, &b), &b, L"http://acme");
    check_bstr(IRTCProfile2_get_ProviderURI(p, RTCPU_URIHELPDESK, &b), &b, L"http://help");
    check_bstr(IRTCProfile2_get_ProviderURI(p, RTCPU_URIDISPLAYDURINGIDLE, &b), &b, L""); /* absent: empty */
    CU_ASSERT_EQUAL(IRTCProfile2_get_ProviderURI(p, (RTC_PROVIDER_URI)5, &b), E_INVALIDARG);
    check_bstr(IRTCProfile2_get_ClientName(p, &b), &b, L"rtcpm test");
    check_bstr(IRTCProfile2_get_ClientMinVer(p, &b), &b, L"1.0");
    check_bstr(IRTCProfile2_get_ClientCurVer(p, &b), &b, L"1.5");
    check_bstr(IRTCProfile2_get_ClientUpdateURI(p, &b), &b, L"http://u");
    check_bstr(IRTCProfile2_get_ClientData(p, &b), &b, L"client data");
    CU_ASSERT_EQUAL(IRTCProfile2_get_ClientBanner(p, &banner), S_OK);
    CU_ASSERT_EQUAL(banner, VARIANT_TRUE);
    CU_ASSERT_EQUAL(IRTCProfile2_get_SessionCapabilities(p, &l), S_OK);
    CU_ASSERT_EQUAL(l, RTCSI_PC_TO_PC | RTCSI_PC_TO_PHONE);
    CU_ASSERT_EQUAL(IRTCProfile2_get_State(p, &state), S_OK);
    CU_ASSERT_EQUAL(state, RTCRS_NOT_REGISTERED);
    CU_ASSERT_EQUAL(IRTCProfile2_get_AllowedAuth(p, &l), S_OK);
    CU_ASSERT_EQUAL(l, RTCAU_DIGEST);
    CU_ASSERT_EQUAL(IRTCProfile2_get_XML(p, &b), S_OK);
    CU_ASSERT_EQUAL(SysStringLen(b), strlen(full_xml) - 0);
    SysFreeString(b);
    CU_ASSERT_EQUAL(IRTCProfile2_get_Key(p, NULL), E_POINTER);
    IRTCProfile2_Release(p);
    CU_ASSERT_EQUAL(IRTCProfile_Release(profile), 0);
}

static void test_credentials(void)
{
    IRTCProfile2 *p;
    IRTCProfile *profile;
    BSTR uri = SysAllocString(L"sip:bob@example.net"), account = SysAllocString(L"bob"), bad = SysAllocString(L"x");
    BSTR b;
    LONG l;

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_profile(client, full_xml, &profile), S_OK);
    CU_ASSERT_EQUAL_FATAL(IRTCProfile_QueryInterface(profile, &IID_IRTCProfile2, (void **)&p), S_OK);
    CU_ASSERT_EQUAL(IRTCProfile2_SetCredentials(p, uri, account, account), S_OK);
    check_bstr(IRTCProfile2_get_UserURI(p, &b), &b, L"sip:bob@example.net");
    check_bstr(IRTCProfile2_get_UserAccount(p, &b), &b, L"bob");
    CU_ASSERT_EQUAL(IRTCProfile2_SetCredentials(p, bad, account, NULL), RTC_E_INVALID_SIP_URL);
    CU_ASSERT_EQUAL(IRTCProfile2_SetCredentials(p, NULL, NULL, NULL), RTC_E_INVALID_SIP_URL);
    check_bstr(IRTCProfile2_get_UserURI(p, &b), &b, L"sip:bob@example.net"); /* unchanged */
    CU_ASSERT_EQUAL(IRTCProfile2_put_Realm(p, account), S_OK);
    check_bstr(IRTCProfile2_get_Realm(p, &b), &b, L"bob");
    CU_ASSERT_EQUAL(IRTCProfile2_put_AllowedAuth(p, RTCAU_DIGEST | RTCAU_BASIC), S_OK);
    CU_ASSERT_EQUAL(IRTCProfile2_get_AllowedAuth(p, &l), S_OK);
    CU_ASSERT_EQUAL(l, RTCAU_DIGEST | RTCAU_BASIC);
    CU_ASSERT_EQUAL(IRTCProfile2_put_AllowedAuth(p, 0x100), E_INVALIDARG);
    IRTCProfile2_Release(p);
    CU_ASSERT_EQUAL(IRTCProfile_Release(profile), 0);
    SysFreeString(uri);
    SysFreeString(account);
    SysFreeString(bad);
}

static void test_bstr_leaks(void)
{
    IRTCProfile *profile;
    LONG before;
    BSTR b;
    int i;

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_profile(client, full_xml, &profile), S_OK);
    CU_ASSERT_EQUAL_FATAL(malloc_spy_install(), S_OK);
    before = malloc_spy_live();
    for (i = 0; i < 50; i++)
    {
        IRTCProfile_get_Name(profile, &b);
        SysFreeString(b);
        IRTCProfile_get_XML(profile, &b);
        SysFreeString(b);
        IRTCProfile_get_ProviderURI(profile, RTCPU_URIHOMEPAGE, &b);
        SysFreeString(b);
    }
    CU_ASSERT_EQUAL(malloc_spy_live(), before);
    malloc_spy_remove();
    CU_ASSERT_EQUAL(IRTCProfile_Release(profile), 0);
}

/* A UDP socket on loopback that plays the registrar and must hear nothing. */
static rtcpm_socket *open_silent_registrar(uint16_t *port)
{
    rtcpm_addr a = test_addr("127.0.0.1", 0), bound;
    rtcpm_socket *s = NULL;
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &a, NULL), RTCPM_SOCK_OK);
    rtcpm_socket_local_addr(s, &bound);
    *port = bound.port;
    return s;
}

static int nothing_received(rtcpm_socket *s)
{
    char buf[2048];
    size_t got;
    return rtcpm_socket_recvfrom(s, buf, sizeof(buf), &got, NULL, 300) == RTCPM_SOCK_E_TIMEOUT;
}

static void test_port_manager_refuses(void)
{
    struct rtc_test_sink *sink;
    IRTCProfilePortManagement *ppm;
    IRTCPortManager *pm, *pm2;
    IRTCProfile *profile;
    IRTCClient *c;
    rtcpm_socket *registrar;
    uint16_t port;
    char xml[512], expected[256];
    RTC_REGISTRATION_STATE state;

    registrar = open_silent_registrar(&port);
    snprintf(xml, sizeof(xml), OPEN USER "<sipsrv addr=\"127.0.0.1:%u\" protocol=\"udp\" role=\"registrar\"/>" CLOSE,
             port);
    CU_ASSERT_EQUAL_FATAL(rtc_test_start_client(RTCEF_REGISTRATION_STATE_CHANGE, &c, &sink), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtc_test_create_profile(c, xml, &profile), S_OK);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create_ftm(3, &pm), S_OK);
    recording_pm_refuse(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(IRTCProfile_QueryInterface(profile, &IID_IRTCProfilePortManagement, (void **)&ppm), S_OK);
    CU_ASSERT_EQUAL(IRTCProfilePortManagement_SetPortManager(ppm, NULL), E_POINTER);
    CU_ASSERT_EQUAL(IRTCProfilePortManagement_SetPortManager(ppm, pm), S_OK);
    {
        IRTCClientProvisioning *p;
        IRTCClient_QueryInterface(c, &IID_IRTCClientProvisioning, (void **)&p);
        CU_ASSERT_EQUAL(IRTCClientProvisioning_EnableProfile(p, profile, RTCRF_REGISTER_ALL), S_OK);
        /* enabled: the port manager cannot change under the registration */
        CU_ASSERT_EQUAL_FATAL(recording_pm_create_ftm(3, &pm2), S_OK);
        CU_ASSERT_EQUAL(IRTCProfilePortManagement_SetPortManager(ppm, pm2), E_FAIL);
        CU_ASSERT_TRUE(rtc_test_pump_until(sink, "RTCRS_ERROR", 5000));
        CU_ASSERT_STRING_EQUAL(rtc_test_sink_log(sink), "registration RTCRS_REGISTERING 0x00000000\n"
                                                        "registration RTCRS_ERROR 0x80ee0045\n");
        /* the event came to this thread, the one that called Initialize */
        CU_ASSERT_EQUAL(rtc_test_sink_thread(sink), GetCurrentThreadId());
        snprintf(expected, sizeof(expected), "GetMappingEx(127.0.0.1:%u,UDP,SIP) -> 0x80ee0045\n", port);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), expected);
        CU_ASSERT_EQUAL(IRTCProfile_get_State(profile, &state), S_OK);
        CU_ASSERT_EQUAL(state, RTCRS_ERROR);
        CU_ASSERT_TRUE(nothing_received(registrar));
        /* disabled (nothing registered: at once), the port manager may change again */
        rtc_test_sink_clear(sink);
        CU_ASSERT_EQUAL(IRTCClientProvisioning_DisableProfile(p, profile), S_OK);
        CU_ASSERT_TRUE(rtc_test_pump_until(sink, "RTCRS_NOT_REGISTERED", 5000));
        CU_ASSERT_STRING_EQUAL(rtc_test_sink_log(sink), "registration RTCRS_NOT_REGISTERED 0x00000000\n");
        CU_ASSERT_EQUAL(IRTCProfilePortManagement_SetPortManager(ppm, pm2), S_OK);
        CU_ASSERT_EQUAL(IRTCClientProvisioning_DisableProfile(p, profile), E_INVALIDARG);
        IRTCClientProvisioning_Release(p);
    }
    IRTCProfilePortManagement_Release(ppm);
    rtc_test_stop_client(c, sink);
    CU_ASSERT_EQUAL(IRTCProfile_Release(profile), 0);
    CU_ASSERT_EQUAL(IRTCPortManager_Release(pm), 0);
    CU_ASSERT_EQUAL(IRTCPortManager_Release(pm2), 0);
    rtcpm_socket_close(registrar);
}

static void test_enumerate_enabled(void)
{
    IRTCProfile *a, *b, *got[3];
    IRTCEnumProfiles *e, *clone;
    IRTCCollection *coll;
    ULONG n = 9;
    LONG count = 0, caps = -1;
    VARIANT v;

    /* no registrar, or flags 0: enabled without registering */
    CU_ASSERT_EQUAL_FATAL(rtc_test_create_profile(client, full_xml, &a), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtc_test_create_profile(client, OPEN USER REG CLOSE, &b), S_OK);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_get_SessionCapabilities(prov, &caps), S_OK);
    CU_ASSERT_EQUAL(caps, 0);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_EnableProfile(prov, a, 0), S_OK);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_EnableProfile(prov, a, 0), S_OK);                       /* same flags */
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_EnableProfile(prov, a, RTCRF_REGISTER_ALL), E_NOTIMPL); /* others */
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_EnableProfileEx(prov, b, 0, RTCRMF_BUDDY_ROAMING), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_EnableProfile(prov, b, 0x10), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_EnableProfileEx(prov, b, 0, 0), S_OK);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_get_SessionCapabilities(prov, &caps), S_OK);
    CU_ASSERT_EQUAL(caps, RTCSI_PC_TO_PC | RTCSI_PC_TO_PHONE);
    CU_ASSERT_EQUAL_FATAL(IRTCClientProvisioning2_EnumerateProfiles(prov, &e), S_OK);
    CU_ASSERT_EQUAL(IRTCEnumProfiles_Next(e, 3, got, &n), S_FALSE);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_PTR_EQUAL(got[0], a);
    CU_ASSERT_PTR_EQUAL(got[1], b);
    IRTCProfile_Release(got[0]);
    IRTCProfile_Release(got[1]);
    CU_ASSERT_EQUAL(IRTCEnumProfiles_Reset(e), S_OK);
    CU_ASSERT_EQUAL(IRTCEnumProfiles_Skip(e, 1), S_OK);
    CU_ASSERT_EQUAL(IRTCEnumProfiles_Clone(e, &clone), S_OK);
    CU_ASSERT_EQUAL(IRTCEnumProfiles_Next(clone, 1, got, NULL), S_OK);
    CU_ASSERT_PTR_EQUAL(got[0], b);
    IRTCProfile_Release(got[0]);
    CU_ASSERT_EQUAL(IRTCEnumProfiles_Skip(clone, 5), S_FALSE);
    CU_ASSERT_EQUAL(IRTCEnumProfiles_Release(clone), 0);
    CU_ASSERT_EQUAL(IRTCEnumProfiles_Release(e), 0);
    CU_ASSERT_EQUAL_FATAL(IRTCClientProvisioning2_get_Profiles(prov, &coll), S_OK);
    CU_ASSERT_EQUAL(IRTCCollection_get_Count(coll, &count), S_OK);
    CU_ASSERT_EQUAL(count, 2);
    CU_ASSERT_EQUAL(IRTCCollection_get_Item(coll, 2, &v), S_OK);
    CU_ASSERT_EQUAL(V_VT(&v), VT_UNKNOWN);
    CU_ASSERT_PTR_EQUAL(V_UNKNOWN(&v), b);
    VariantClear(&v);
    CU_ASSERT_EQUAL(IRTCCollection_get_Item(coll, 0, &v), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCCollection_get_Item(coll, 3, &v), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCCollection_Release(coll), 0);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_DisableProfile(prov, a), S_OK);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_DisableProfile(prov, b), S_OK);
    /* the disables go through the worker: the enabled list lets go of both */
    CU_ASSERT_TRUE(rtc_test_wait_refcount((IUnknown *)b, 1, 2000));
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_EnumerateProfiles(prov, &e), S_OK);
    CU_ASSERT_EQUAL(IRTCEnumProfiles_Next(e, 1, got, &n), S_FALSE);
    CU_ASSERT_EQUAL(n, 0);
    IRTCEnumProfiles_Release(e);
    CU_ASSERT_TRUE(rtc_test_wait_refcount((IUnknown *)a, 1, 2000));
    CU_ASSERT_TRUE(rtc_test_wait_refcount((IUnknown *)b, 1, 2000));
    CU_ASSERT_EQUAL(IRTCProfile_Release(a), 0);
    CU_ASSERT_EQUAL(IRTCProfile_Release(b), 0);
}

/* A profile belongs to the client that made it. */
static void test_foreign_profile(void)
{
    IRTCClient *other;
    IRTCProfile *profile;
    IRTCSession *session = (IRTCSession *)&session;

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_client(&other), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_Initialize(other), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtc_test_create_profile(other, OPEN USER REG CLOSE, &profile), S_OK);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_EnableProfile(prov, profile, 0), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCClient_CreateSession(client, RTCST_PC_TO_PC, NULL, profile, 0, &session), E_INVALIDARG);
    CU_ASSERT_PTR_NULL(session);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_EnableProfile(prov, NULL, 0), E_POINTER);
    CU_ASSERT_EQUAL(IRTCProfile_Release(profile), 0);
    CU_ASSERT_EQUAL(IRTCClient_Shutdown(other), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_Release(other), 0);
}

static CU_TestInfo tests[] = {
    { "xml_matrix", test_xml_matrix },
    { "xml_bstr_edges", test_xml_bstr_edges },
    { "getters", test_getters },
    { "credentials", test_credentials },
    { "bstr_leaks", test_bstr_leaks },
    { "port_manager_refuses", test_port_manager_refuses },
    { "enumerate_enabled", test_enumerate_enabled },
    { "foreign_profile", test_foreign_profile },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv)
{
    int rc;
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    rtcpm_test_set_fixtures(suite_init, suite_cleanup);
    rc = rtcpm_test_main("rtc_profile", tests, argc, argv);
    CoUninitialize();
    return rc;
}
