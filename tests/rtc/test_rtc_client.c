/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_rtc_client.c — rtcdll.dll's RTCClient object, no network: its interfaces (QI table,
 * identity, refcounts), the lifecycle rules (RTC_E_CLIENT_NOT_INITIALIZED before Initialize,
 * RTC_E_CLIENT_ALREADY_INITIALIZED, RTC_E_CLIENT_ALREADY_SHUT_DOWN after Shutdown), the
 * event filter bits, preferences stored and returned, every E_NOTIMPL, port management,
 * BSTR leaks (IMallocSpy), and nothing of the DLL alive afterwards (DllCanUnloadNow).
 */
#define COBJMACROS
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "malloc_spy.h"
#include "rtc_test_util.h"
#include "rtc/event_filter.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static ULONG refcount(IUnknown *unk)
{
    IUnknown_AddRef(unk);
    return IUnknown_Release(unk);
}

static void test_interfaces(void)
{
    static const IID *const answered[] = {
        &IID_IUnknown,
        &IID_IRTCClient,
        &IID_IRTCClient2,
        &IID_IRTCClientProvisioning,
        &IID_IRTCClientProvisioning2,
        &IID_IRTCClientPortManagement,
        &IID_IConnectionPointContainer,
    };
    static const IID *const refused[] = {
        &IID_IDispatch,   &IID_IRTCClientPresence,    &IID_IRTCClientPresence2, &IID_IRTCProfile,
        &IID_IRTCSession, &IID_IRTCEventNotification, &IID_IRTCPortManager,     &IID_IRTCUserSearch,
    };
    IRTCClient *client;
    IUnknown *unk, *identity;
    size_t i;

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_client(&client), S_OK);
    CU_ASSERT_EQUAL(refcount((IUnknown *)client), 1);
    CU_ASSERT_EQUAL(IRTCClient_QueryInterface(client, &IID_IUnknown, (void **)&identity), S_OK);
    for (i = 0; i < ARRAY_SIZE(answered); i++)
    {
        CU_ASSERT_EQUAL(IRTCClient_QueryInterface(client, answered[i], (void **)&unk), S_OK);
        if (!unk) continue;
        /* every interface leads back to the one identity */
        IUnknown *back = NULL;
        CU_ASSERT_EQUAL(IUnknown_QueryInterface(unk, &IID_IUnknown, (void **)&back), S_OK);
        CU_ASSERT_PTR_EQUAL(back, identity);
        IUnknown_Release(back);
        IUnknown_Release(unk);
    }
    for (i = 0; i < ARRAY_SIZE(refused); i++)
    {
        unk = (IUnknown *)&unk;
        CU_ASSERT_EQUAL(IRTCClient_QueryInterface(client, refused[i], (void **)&unk), E_NOINTERFACE);
        CU_ASSERT_PTR_NULL(unk);
    }
    CU_ASSERT_EQUAL(IRTCClient_QueryInterface(client, &IID_IRTCClient, NULL), E_POINTER);
    IUnknown_Release(identity);
    CU_ASSERT_EQUAL(IRTCClient_Release(client), 0);
    CU_ASSERT_EQUAL(rtc_test_dll_can_unload(), S_OK);
}

static void test_lifecycle(void)
{
    IRTCClientProvisioning *prov;
    IRTCSession *session = (IRTCSession *)&session;
    IRTCProfile *profile;
    IRTCClient *client;
    LONG filter = 7;
    BSTR s = SysAllocString(L"sip:alice@example.com");

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_client(&client), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_QueryInterface(client, &IID_IRTCClientProvisioning, (void **)&prov), S_OK);
    /* before Initialize */
    CU_ASSERT_EQUAL(IRTCClient_put_EventFilter(client, RTCEF_ALL), RTC_E_CLIENT_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(IRTCClient_get_EventFilter(client, &filter), RTC_E_CLIENT_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(filter, 0);
    CU_ASSERT_EQUAL(IRTCClient_CreateSession(client, RTCST_PC_TO_PC, NULL, NULL, 0, &session),
                    RTC_E_CLIENT_NOT_INITIALIZED);
    CU_ASSERT_PTR_NULL(session);
    CU_ASSERT_EQUAL(IRTCClient_put_LocalUserURI(client, s), RTC_E_CLIENT_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(IRTCClient_PrepareForShutdown(client), RTC_E_CLIENT_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(IRTCClient_Shutdown(client), RTC_E_CLIENT_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(IRTCClientProvisioning_CreateProfile(prov, s, &profile), RTC_E_CLIENT_NOT_INITIALIZED);
    /* Initialize: once */
    CU_ASSERT_EQUAL(IRTCClient_Initialize(client), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_Initialize(client), RTC_E_CLIENT_ALREADY_INITIALIZED);
    CU_ASSERT_EQUAL(IRTCClient_get_EventFilter(client, &filter), S_OK);
    CU_ASSERT_EQUAL(filter, 0); /* default: no events */
    CU_ASSERT_EQUAL(IRTCClient_put_LocalUserURI(client, s), S_OK);
    /* Shutdown: once; nothing works afterwards */
    CU_ASSERT_EQUAL(IRTCClient_Shutdown(client), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_Shutdown(client), RTC_E_CLIENT_ALREADY_SHUT_DOWN);
    CU_ASSERT_EQUAL(IRTCClient_Initialize(client), RTC_E_CLIENT_ALREADY_SHUT_DOWN);
    CU_ASSERT_EQUAL(IRTCClient_PrepareForShutdown(client), RTC_E_CLIENT_ALREADY_SHUT_DOWN);
    CU_ASSERT_EQUAL(IRTCClient_put_EventFilter(client, 0), RTC_E_CLIENT_ALREADY_SHUT_DOWN);
    CU_ASSERT_EQUAL(IRTCClient_CreateSession(client, RTCST_PC_TO_PC, NULL, NULL, 0, &session),
                    RTC_E_CLIENT_ALREADY_SHUT_DOWN);
    CU_ASSERT_EQUAL(IRTCClientProvisioning_CreateProfile(prov, s, &profile), RTC_E_CLIENT_ALREADY_SHUT_DOWN);
    IRTCClientProvisioning_Release(prov);
    CU_ASSERT_EQUAL(IRTCClient_Release(client), 0);
    SysFreeString(s);
    CU_ASSERT_EQUAL(rtc_test_dll_can_unload(), S_OK);
}

static void test_initialize_ex(void)
{
    IRTCClient2 *client2;
    IRTCClient *client;

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_client(&client), S_OK);
    CU_ASSERT_EQUAL_FATAL(IRTCClient_QueryInterface(client, &IID_IRTCClient2, (void **)&client2), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_InitializeEx(client2, 0x100), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCClient2_InitializeEx(client2, RTCIF_ENABLE_SERVER_CLASS), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient2_InitializeEx(client2, RTCIF_DISABLE_UPNP | RTCIF_DISABLE_MEDIA), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_InitializeEx(client2, 0), RTC_E_CLIENT_ALREADY_INITIALIZED);
    CU_ASSERT_EQUAL(IRTCClient2_Shutdown(client2), S_OK);
    IRTCClient2_Release(client2);
    CU_ASSERT_EQUAL(IRTCClient_Release(client), 0);
}

/* A client released without Shutdown ends what it holds the same way. */
static void test_release_without_shutdown(void)
{
    IRTCClient *client;

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_client(&client), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_Initialize(client), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_Release(client), 0);
    CU_ASSERT_EQUAL(rtc_test_dll_can_unload(), S_OK);
}

static void test_event_filter_bits(void)
{
    /* <rtccore.h>'s RTCEF_* for every RTC_EVENT: not 1 << n above RTCE_MEDIA_REQUEST */
    static const LONG expected[] = {
        RTCEF_CLIENT,
        RTCEF_REGISTRATION_STATE_CHANGE,
        RTCEF_SESSION_STATE_CHANGE,
        RTCEF_SESSION_OPERATION_COMPLETE,
        RTCEF_PARTICIPANT_STATE_CHANGE,
        RTCEF_MEDIA,
        RTCEF_INTENSITY,
        RTCEF_MESSAGING,
        RTCEF_BUDDY,
        RTCEF_WATCHER,
        RTCEF_PROFILE,
        RTCEF_USERSEARCH,
        RTCEF_INFO,
        RTCEF_GROUP,
        RTCEF_MEDIA_REQUEST,
        RTCEF_ROAMING,
        RTCEF_PRESENCE_PROPERTY,
        RTCEF_PRESENCE_DATA,
        RTCEF_PRESENCE_STATUS,
        RTCEF_SESSION_REFER_STATUS,
        RTCEF_SESSION_REFERRED,
        RTCEF_REINVITE,
    };
    LONG all = 0;
    int e;

    CU_ASSERT_EQUAL(ARRAY_SIZE(expected), RTCE_REINVITE + 1);
    for (e = RTCE_CLIENT; e <= RTCE_REINVITE; e++)
    {
        CU_ASSERT_EQUAL(rtcpm_rtc_event_filter_bit((RTC_EVENT)e), expected[e]);
        all |= rtcpm_rtc_event_filter_bit((RTC_EVENT)e);
    }
    CU_ASSERT_EQUAL(rtcpm_rtc_event_filter_bit(RTCE_ROAMING), 0x10000);
    CU_ASSERT_EQUAL(rtcpm_rtc_event_filter_bit(RTCE_PRESENCE_STATUS), 0x1000000);
    CU_ASSERT_EQUAL(rtcpm_rtc_event_filter_bit((RTC_EVENT)(RTCE_REINVITE + 1)), 0);
    CU_ASSERT_EQUAL(rtcpm_rtc_event_filter_bit((RTC_EVENT)-1), 0);
    /* RTCEF_ALL but the unused 0x8000 and BUDDY2/WATCHER2 (bits of the version-2 buddy and
     * watcher events, delivered as RTCE_BUDDY / RTCE_WATCHER) */
    CU_ASSERT_EQUAL(all, RTCEF_ALL & ~(0x8000 | RTCEF_BUDDY2 | RTCEF_WATCHER2));
}

/* The BSTR preferences: a copy stored, a copy returned; never set reads as "". */
static void check_bstr_preferences(IRTCClient2 *c)
{
    BSTR in = SysAllocString(L"Wine Speakers"), out = NULL;

    CU_ASSERT_EQUAL(IRTCClient2_put_PreferredAudioDevice(c, RTCAD_SPEAKER, in), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_PreferredAudioDevice(c, RTCAD_SPEAKER, &out), S_OK);
    CU_ASSERT_TRUE(out && !lstrcmpW(out, L"Wine Speakers"));
    SysFreeString(out);
    CU_ASSERT_EQUAL(IRTCClient2_get_PreferredAudioDevice(c, RTCAD_MICROPHONE, &out), S_OK);
    CU_ASSERT_TRUE(out && !*out); /* never set: empty */
    SysFreeString(out);
    CU_ASSERT_EQUAL(IRTCClient2_put_PreferredVideoDevice(c, in), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_PreferredVideoDevice(c, &out), S_OK);
    CU_ASSERT_TRUE(out && !lstrcmpW(out, L"Wine Speakers"));
    SysFreeString(out);
    CU_ASSERT_EQUAL(IRTCClient2_put_LocalUserName(c, in), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_LocalUserName(c, &out), S_OK);
    CU_ASSERT_TRUE(out && !lstrcmpW(out, L"Wine Speakers"));
    SysFreeString(out);
    SysFreeString(in);
}

/* The enumerated preferences: stored and returned, values outside the enumerations refused. */
static void check_mode_preferences(IRTCClient2 *c)
{
    RTC_LISTEN_MODE listen;
    RTC_ANSWER_MODE answer;
    RTC_SECURITY_LEVEL level;

    CU_ASSERT_EQUAL(IRTCClient2_put_ListenForIncomingSessions(c, RTCLM_BOTH), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_ListenForIncomingSessions(c, &listen), S_OK);
    CU_ASSERT_EQUAL(listen, RTCLM_BOTH);
    CU_ASSERT_EQUAL(IRTCClient2_put_ListenForIncomingSessions(c, (RTC_LISTEN_MODE)3), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCClient2_put_AnswerMode(c, RTCST_IM, RTCAM_AUTOMATICALLY_REJECT), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_AnswerMode(c, RTCST_IM, &answer), S_OK);
    CU_ASSERT_EQUAL(answer, RTCAM_AUTOMATICALLY_REJECT);
    CU_ASSERT_EQUAL(IRTCClient2_get_AnswerMode(c, RTCST_PC_TO_PC, &answer), S_OK);
    CU_ASSERT_EQUAL(answer, RTCAM_OFFER_SESSION_EVENT);
    CU_ASSERT_EQUAL(IRTCClient2_put_PreferredSecurityLevel(c, RTCSECT_T120_MEDIA_ENCRYPTION, RTCSECL_REQUIRED), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_PreferredSecurityLevel(c, RTCSECT_T120_MEDIA_ENCRYPTION, &level), S_OK);
    CU_ASSERT_EQUAL(level, RTCSECL_REQUIRED);
    CU_ASSERT_EQUAL(IRTCClient2_put_AllowedPorts(c, RTCTR_TCP, RTCLM_DYNAMIC), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_AllowedPorts(c, RTCTR_TCP, &listen), S_OK);
    CU_ASSERT_EQUAL(listen, RTCLM_DYNAMIC);
    CU_ASSERT_EQUAL(IRTCClient2_put_AllowedPorts(c, 3, RTCLM_DYNAMIC), E_INVALIDARG);
}

static void test_preferences(void)
{
    IRTCClient2 *c;
    IRTCClient *client;
    LONG l = -1;
    VARIANT_BOOL b = 7;

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_client(&client), S_OK);
    CU_ASSERT_EQUAL_FATAL(IRTCClient_QueryInterface(client, &IID_IRTCClient2, (void **)&c), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_put_Volume(c, RTCAD_SPEAKER, 100), RTC_E_CLIENT_NOT_INITIALIZED);
    CU_ASSERT_EQUAL(IRTCClient2_Initialize(c), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_SetPreferredMediaTypes(c, RTCMT_AUDIO_SEND, VARIANT_TRUE), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_PreferredMediaTypes(c, &l), S_OK);
    CU_ASSERT_EQUAL(l, RTCMT_AUDIO_SEND);
    CU_ASSERT_EQUAL(IRTCClient2_SetPreferredMediaTypes(c, 0x100, VARIANT_FALSE), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCClient2_get_MediaCapabilities(c, &l), S_OK);
    CU_ASSERT_EQUAL(l, RTCMT_AUDIO_SEND | RTCMT_AUDIO_RECEIVE);
    CU_ASSERT_EQUAL(IRTCClient2_put_Volume(c, RTCAD_MICROPHONE, 1234), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_Volume(c, RTCAD_MICROPHONE, &l), S_OK);
    CU_ASSERT_EQUAL(l, 1234);
    CU_ASSERT_EQUAL(IRTCClient2_put_Volume(c, (RTC_AUDIO_DEVICE)2, 1), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCClient2_put_Volume(c, RTCAD_SPEAKER, -1), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCClient2_put_AudioMuted(c, RTCAD_SPEAKER, VARIANT_TRUE), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_AudioMuted(c, RTCAD_SPEAKER, &b), S_OK);
    CU_ASSERT_EQUAL(b, VARIANT_TRUE);
    CU_ASSERT_EQUAL(IRTCClient2_put_PreferredVolume(c, RTCAD_SPEAKER, 777), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_PreferredVolume(c, RTCAD_SPEAKER, &l), S_OK);
    CU_ASSERT_EQUAL(l, 777);
    CU_ASSERT_EQUAL(IRTCClient2_put_PreferredAEC(c, VARIANT_FALSE), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_PreferredAEC(c, &b), S_OK);
    CU_ASSERT_EQUAL(b, VARIANT_FALSE);
    CU_ASSERT_EQUAL(IRTCClient2_put_MaxBitrate(c, 64000), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_MaxBitrate(c, &l), S_OK);
    CU_ASSERT_EQUAL(l, 64000);
    CU_ASSERT_EQUAL(IRTCClient2_put_TemporalSpatialTradeOff(c, 200), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_TemporalSpatialTradeOff(c, &l), S_OK);
    CU_ASSERT_EQUAL(l, 200);
    CU_ASSERT_EQUAL(IRTCClient2_get_Volume(c, RTCAD_SPEAKER, NULL), E_POINTER);
    check_bstr_preferences(c);
    check_mode_preferences(c);
    CU_ASSERT_EQUAL(IRTCClient2_Shutdown(c), S_OK);
    IRTCClient2_Release(c);
    CU_ASSERT_EQUAL(IRTCClient_Release(client), 0);
}

static void test_not_implemented(void)
{
    IRTCClient2 *c;
    IRTCClient *client;
    IRTCClientProvisioning2 *prov;
    IVideoWindow *window = (IVideoWindow *)&window;
    IRTCSession2 *s2 = (IRTCSession2 *)&s2;
    VARIANT v;
    LONG l = 5;
    VARIANT_BOOL b = VARIANT_TRUE;

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_client(&client), S_OK);
    CU_ASSERT_EQUAL_FATAL(IRTCClient_QueryInterface(client, &IID_IRTCClient2, (void **)&c), S_OK);
    CU_ASSERT_EQUAL_FATAL(IRTCClient_QueryInterface(client, &IID_IRTCClientProvisioning2, (void **)&prov), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_Initialize(c), S_OK);
    CU_ASSERT_EQUAL(IRTCClient2_get_NetworkAddresses(c, VARIANT_FALSE, VARIANT_FALSE, &v), E_NOTIMPL);
    CU_ASSERT_EQUAL(V_VT(&v), VT_EMPTY);
    CU_ASSERT_EQUAL(IRTCClient2_get_IVideoWindow(c, RTCVD_RECEIVE, &window), E_NOTIMPL);
    CU_ASSERT_PTR_NULL(window);
    CU_ASSERT_EQUAL(IRTCClient2_get_ActiveMedia(c, &l), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient2_get_NetworkQuality(c, &l), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient2_StartT120Applet(c, RTCTA_WHITEBOARD), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient2_StopT120Applets(c), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient2_get_IsT120AppletRunning(c, RTCTA_APPSHARING, &b), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient2_PlayRing(c, RTCRT_PHONE, VARIANT_TRUE), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient2_SendDTMF(c, RTC_DTMF_5), S_OK); /* no call: nothing to send it on */
    CU_ASSERT_EQUAL(IRTCClient2_SendDTMF(c, (RTC_DTMF)(RTC_DTMF_FLASH + 1)), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCClient2_InvokeTuningWizard(c, 0), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient2_get_IsTuned(c, &b), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient2_InvokeTuningWizardEx(c, 0, VARIANT_TRUE, VARIANT_FALSE), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient2_get_Version(c, &l), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient2_CreateSessionWithDescription(c, NULL, NULL, NULL, 0, &s2), E_NOTIMPL);
    CU_ASSERT_PTR_NULL(s2);
    CU_ASSERT_EQUAL(IRTCClient2_SetSessionDescriptionManager(c, NULL), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClientProvisioning2_GetProfile(prov, NULL, NULL, NULL, NULL, RTCTR_UDP, 0), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient2_Shutdown(c), S_OK);
    IRTCClientProvisioning2_Release(prov);
    IRTCClient2_Release(c);
    CU_ASSERT_EQUAL(IRTCClient_Release(client), 0);
}

static void test_port_management(void)
{
    IRTCClientPortManagement *pm;
    IRTCClient *client;
    BSTR addr = SysAllocString(L"127.0.0.1");
    LONG min = -1, max = -1;

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_client(&client), S_OK);
    CU_ASSERT_EQUAL_FATAL(IRTCClient_QueryInterface(client, &IID_IRTCClientPortManagement, (void **)&pm), S_OK);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_GetPortRange(pm, RTCPT_SIP, &min, &max), S_OK);
    CU_ASSERT_EQUAL(min, 1024);
    CU_ASSERT_EQUAL(max, 65535);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_GetPortRange(pm, (RTC_PORT_TYPE)5, &min, &max), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_GetPortRange(pm, RTCPT_AUDIO_RTP, NULL, &max), E_POINTER);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_StartListenAddressAndPort(pm, addr, 5070), S_OK);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_StartListenAddressAndPort(pm, addr, 5070), E_FAIL);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_StopListenAddressAndPort(pm, addr, 5070), S_OK);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_StopListenAddressAndPort(pm, addr, 5070), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_StartListenAddressAndPort(pm, addr, 70000), E_INVALIDARG);
    IRTCClientPortManagement_Release(pm);
    CU_ASSERT_EQUAL(IRTCClient_Release(client), 0);
    SysFreeString(addr);
}

/* [out] BSTRs are the caller's, [in] ones are copied: counted through IMallocSpy. */
static void test_bstr_leaks(void)
{
    IRTCClient *client;
    BSTR in = SysAllocString(L"sip:alice@example.com"), out;
    LONG before;
    int i;

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_client(&client), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_Initialize(client), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_put_LocalUserURI(client, in), S_OK);
    CU_ASSERT_EQUAL_FATAL(malloc_spy_install(), S_OK);
    before = malloc_spy_live();
    for (i = 0; i < 100; i++)
    {
        CU_ASSERT_EQUAL(IRTCClient_put_LocalUserURI(client, in), S_OK);
        CU_ASSERT_EQUAL(IRTCClient_get_LocalUserURI(client, &out), S_OK);
        SysFreeString(out);
        CU_ASSERT_EQUAL(IRTCClient_put_LocalUserName(client, in), S_OK);
        CU_ASSERT_EQUAL(IRTCClient_get_LocalUserName(client, &out), S_OK);
        SysFreeString(out);
    }
    /* what is alive: the client's two stored copies (made under the spy), nothing else */
    CU_ASSERT_EQUAL(malloc_spy_live(), before + 2);
    CU_ASSERT_EQUAL(IRTCClient_Shutdown(client), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_Release(client), 0);
    /* and the client's own copies went with it */
    CU_ASSERT_EQUAL(malloc_spy_live(), before);
    malloc_spy_remove();
    SysFreeString(in);
}

static CU_TestInfo tests[] = {
    { "interfaces", test_interfaces },
    { "lifecycle", test_lifecycle },
    { "initialize_ex", test_initialize_ex },
    { "release_without_shutdown", test_release_without_shutdown },
    { "event_filter_bits", test_event_filter_bits },
    { "preferences", test_preferences },
    { "not_implemented", test_not_implemented },
    { "port_management", test_port_management },
    { "bstr_leaks", test_bstr_leaks },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv)
{
    int rc;
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    rc = rtcpm_test_main("rtc_client", tests, argc, argv);
    CoUninitialize();
    return rc;
}
