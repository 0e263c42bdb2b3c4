/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_rtc_session.c — CreateSession, the session and participant objects, no SIP sent:
 *  - session types (calls only; IM, multiparty IM, phone-to-phone, application E_NOTIMPL),
 *    RTCCS_FORCE_PROFILE, getters, QI;
 *  - every E_NOTIMPL of IRTCSession; Terminate / AddParticipant / SetPortManager state rules;
 *  - AddParticipant with a port manager that maps SIP and refuses AUDIO_RTP: the GetMappingEx
 *    calls RTC 1.5 makes, the SIP mapping released again, session and participant
 *    DISCONNECTED with the port manager's HRESULT, nothing sent to the called party;
 *  - the profile's port manager when the session has none; the participant's getters,
 *    IRTCEnumParticipants, get_Participants;
 *  - a tel: participant: E_NOTIMPL at once, nothing asked, sent or changed.
 */
#define COBJMACROS
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "loopback.h"
#include "recording_pm.h"
#include "rtc_test_util.h"
#include "os/socket.h"

static IRTCClient *client;
static struct rtc_test_sink *sink;

static int suite_init(void)
{
    return FAILED(rtc_test_start_client(RTCEF_SESSION_STATE_CHANGE | RTCEF_PARTICIPANT_STATE_CHANGE, &client, &sink))
               ? -1
               : 0;
}

static int suite_cleanup(void)
{
    rtc_test_stop_client(client, sink);
    return rtc_test_dll_can_unload() == S_OK ? 0 : -1;
}

static void test_create(void)
{
    IRTCSession *session = (IRTCSession *)&session;
    IRTCClient *back;
    IRTCProfile *profile = (IRTCProfile *)&profile;
    RTC_SESSION_STATE state;
    RTC_SESSION_TYPE type;
    IUnknown *unk;

    CU_ASSERT_EQUAL(IRTCClient_CreateSession(client, RTCST_IM, NULL, NULL, 0, &session), E_NOTIMPL);
    CU_ASSERT_PTR_NULL(session);
    CU_ASSERT_EQUAL(IRTCClient_CreateSession(client, RTCST_MULTIPARTY_IM, NULL, NULL, 0, &session), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient_CreateSession(client, RTCST_PHONE_TO_PHONE, NULL, NULL, 0, &session), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCClient_CreateSession(client, RTCST_APPLICATION, NULL, NULL, 0, &session), E_NOTIMPL);
    CU_ASSERT_PTR_NULL(session);
    CU_ASSERT_EQUAL(IRTCClient_CreateSession(client, (RTC_SESSION_TYPE)6, NULL, NULL, 0, &session),
                    RTC_E_INVALID_SESSION_TYPE);
    CU_ASSERT_EQUAL(IRTCClient_CreateSession(client, RTCST_PC_TO_PC, NULL, NULL, RTCCS_FORCE_PROFILE, &session),
                    RTC_E_NO_PROFILE);
    CU_ASSERT_EQUAL(IRTCClient_CreateSession(client, RTCST_PC_TO_PC, NULL, NULL, 0x10, &session), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCClient_CreateSession(client, RTCST_PC_TO_PC, NULL, NULL, 0, NULL), E_POINTER);
    CU_ASSERT_EQUAL_FATAL(IRTCClient_CreateSession(client, RTCST_PC_TO_PHONE, NULL, NULL, 0, &session), S_OK);
    CU_ASSERT_EQUAL(IRTCSession_get_State(session, &state), S_OK);
    CU_ASSERT_EQUAL(state, RTCSS_IDLE);
    CU_ASSERT_EQUAL(IRTCSession_get_Type(session, &type), S_OK);
    CU_ASSERT_EQUAL(type, RTCST_PC_TO_PHONE);
    CU_ASSERT_EQUAL(IRTCSession_get_Client(session, &back), S_OK);
    CU_ASSERT_PTR_EQUAL(back, client);
    IRTCClient_Release(back);
    CU_ASSERT_EQUAL(IRTCSession_get_Profile(session, &profile), RTC_E_NO_PROFILE);
    CU_ASSERT_PTR_NULL(profile);
    CU_ASSERT_EQUAL(IRTCSession_QueryInterface(session, &IID_IRTCSessionPortManagement, (void **)&unk), S_OK);
    IUnknown_Release(unk);
    CU_ASSERT_EQUAL(IRTCSession_QueryInterface(session, &IID_IRTCSession2, (void **)&unk), E_NOINTERFACE);
    CU_ASSERT_EQUAL(IRTCSession_QueryInterface(session, &IID_IDispatch, (void **)&unk), E_NOINTERFACE);
    CU_ASSERT_EQUAL(IRTCSession_Release(session), 0);
}

static void test_not_implemented(void)
{
    IRTCSession *session;
    BSTR b = (BSTR)&b;

    CU_ASSERT_EQUAL_FATAL(IRTCClient_CreateSession(client, RTCST_PC_TO_PC, NULL, NULL, 0, &session), S_OK);
    CU_ASSERT_EQUAL(IRTCSession_Answer(session), RTC_E_INVALID_SESSION_STATE); /* not an incoming session */
    CU_ASSERT_EQUAL(IRTCSession_Redirect(session, RTCST_PC_TO_PC, NULL, NULL, 0), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCSession_RemoveParticipant(session, NULL), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCSession_get_RedirectedUserURI(session, &b), E_NOTIMPL);
    CU_ASSERT_PTR_NULL(b);
    CU_ASSERT_EQUAL(IRTCSession_get_RedirectedUserName(session, &b), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCSession_NextRedirectedUser(session), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCSession_SendMessage(session, NULL, NULL, 0), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCSession_SendMessageStatus(session, RTCMUS_TYPING, 0), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCSession_AddStream(session, RTCMT_VIDEO_SEND, 0), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCSession_RemoveStream(session, RTCMT_AUDIO_SEND, 0), E_NOTIMPL);
    CU_ASSERT_EQUAL(IRTCSession_put_EncryptionKey(session, RTCMT_AUDIO_SEND, NULL), E_NOTIMPL);
    /* and the state rules of an idle session */
    CU_ASSERT_EQUAL(IRTCSession_Terminate(session, RTCTR_NORMAL), RTC_E_INVALID_SESSION_STATE);
    CU_ASSERT_EQUAL(IRTCSession_Terminate(session, (RTC_TERMINATE_REASON)99), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCSession_AddParticipant(session, NULL, NULL, NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCSession_Release(session), 0);
}

static rtcpm_socket *silent_peer(uint16_t *port)
{
    rtcpm_addr a = test_addr("127.0.0.1", 0), bound;
    rtcpm_socket *s = NULL;
    CU_ASSERT_EQUAL_FATAL(rtcpm_socket_open(&s, RTCPM_SOCK_UDP, &a, NULL), RTCPM_SOCK_OK);
    rtcpm_socket_local_addr(s, &bound);
    *port = bound.port;
    return s;
}

/* A profile whose proxy is a silent socket on loopback (returned, to check nothing arrived). */
static rtcpm_socket *silent_proxy_profile(IRTCProfile **profile)
{
    char xml[1024], proxy_addr[64];
    uint16_t port;
    rtcpm_socket *proxy = silent_peer(&port);
    BSTR xml_b;

    snprintf(proxy_addr, sizeof(proxy_addr), "127.0.0.1:%u", port);
    xml_b = rtc_test_profile_xml("sip:alice@example.com", NULL, proxy_addr);
    WideCharToMultiByte(CP_UTF8, 0, xml_b, -1, xml, sizeof(xml), NULL, NULL);
    SysFreeString(xml_b);
    CU_ASSERT_EQUAL_FATAL(rtc_test_create_profile(client, xml, profile), S_OK);
    return proxy;
}

static int nothing_received(rtcpm_socket *s)
{
    char buf[2048];
    size_t got;
    return rtcpm_socket_recvfrom(s, buf, sizeof(buf), &got, NULL, 300) == RTCPM_SOCK_E_TIMEOUT;
}

static BSTR bstr_printf(const char *fmt, unsigned port)
{
    char text[128];
    WCHAR wide[128];
    snprintf(text, sizeof(text), fmt, port);
    MultiByteToWideChar(CP_UTF8, 0, text, -1, wide, 128);
    return SysAllocString(wide);
}

/* The participant of an ended call: its getters, and the way back to its session. */
static void check_participant(IRTCParticipant *participant, IRTCSession *session, BSTR uri)
{
    RTC_PARTICIPANT_STATE pstate;
    IRTCSession *back;
    VARIANT_BOOL b;
    BSTR out;

    CU_ASSERT_EQUAL(IRTCParticipant_get_UserURI(participant, &out), S_OK);
    CU_ASSERT_TRUE(!lstrcmpW(out, uri));
    SysFreeString(out);
    CU_ASSERT_EQUAL(IRTCParticipant_get_Name(participant, &out), S_OK);
    CU_ASSERT_TRUE(!lstrcmpW(out, L"Bob"));
    SysFreeString(out);
    CU_ASSERT_EQUAL(IRTCParticipant_get_State(participant, &pstate), S_OK);
    CU_ASSERT_EQUAL(pstate, RTCPS_DISCONNECTED);
    CU_ASSERT_EQUAL(IRTCParticipant_get_Removable(participant, &b), S_OK);
    CU_ASSERT_EQUAL(b, VARIANT_FALSE);
    CU_ASSERT_EQUAL(IRTCParticipant_get_Session(participant, &back), S_OK);
    CU_ASSERT_PTR_EQUAL(back, session);
    IRTCSession_Release(back);
}

/* The session's one participant through IRTCEnumParticipants and get_Participants. */
static void check_enumerations(IRTCSession *session, IRTCParticipant *participant)
{
    IRTCParticipant *got[2];
    IRTCEnumParticipants *e;
    IRTCCollection *coll;
    LONG count;
    ULONG n;

    CU_ASSERT_EQUAL(IRTCSession_EnumerateParticipants(session, &e), S_OK);
    CU_ASSERT_EQUAL(IRTCEnumParticipants_Next(e, 2, got, &n), S_FALSE);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_PTR_EQUAL(got[0], participant);
    IRTCParticipant_Release(got[0]);
    CU_ASSERT_EQUAL(IRTCEnumParticipants_Release(e), 0);
    CU_ASSERT_EQUAL(IRTCSession_get_Participants(session, &coll), S_OK);
    CU_ASSERT_EQUAL(IRTCCollection_get_Count(coll, &count), S_OK);
    CU_ASSERT_EQUAL(count, 1);
    CU_ASSERT_EQUAL(IRTCCollection_Release(coll), 0);
}

static void test_port_manager_refuses_rtp(void)
{
    IRTCSessionPortManagement *spm;
    IRTCParticipant *participant;
    IRTCSession *session, *back;
    IRTCPortManager *pm, *pm2;
    RTC_SESSION_STATE state;
    rtcpm_socket *peer;
    VARIANT_BOOL b;
    uint16_t port;
    char expected[512];
    BSTR uri, name = SysAllocString(L"Bob");

    peer = silent_peer(&port);
    uri = bstr_printf("sip:bob@127.0.0.1:%u", port);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create_ftm(3, &pm), S_OK);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create_ftm(3, &pm2), S_OK);
    recording_pm_refuse(pm, RTCPT_AUDIO_RTP);
    CU_ASSERT_EQUAL_FATAL(IRTCClient_CreateSession(client, RTCST_PC_TO_PC, NULL, NULL, 0, &session), S_OK);
    CU_ASSERT_EQUAL(IRTCSession_QueryInterface(session, &IID_IRTCSessionPortManagement, (void **)&spm), S_OK);
    CU_ASSERT_EQUAL(IRTCSessionPortManagement_SetPortManager(spm, pm2), S_OK);
    CU_ASSERT_EQUAL(IRTCSessionPortManagement_SetPortManager(spm, NULL), S_OK); /* "a null pointer is allowed" */
    CU_ASSERT_EQUAL(IRTCSessionPortManagement_SetPortManager(spm, pm), S_OK);   /* the last one counts */
    CU_ASSERT_EQUAL(IRTCSession_get_CanAddParticipants(session, &b), S_OK);
    CU_ASSERT_EQUAL(b, VARIANT_TRUE);
    rtc_test_sink_clear(sink);
    CU_ASSERT_EQUAL_FATAL(IRTCSession_AddParticipant(session, uri, name, &participant), S_OK);
    /* not idle any more */
    CU_ASSERT_EQUAL(IRTCSessionPortManagement_SetPortManager(spm, pm2), E_FAIL);
    CU_ASSERT_EQUAL(IRTCSession_AddParticipant(session, uri, name, NULL), RTC_E_INVALID_SESSION_STATE);
    CU_ASSERT_TRUE(rtc_test_pump_until(sink, "session RTCSS_DISCONNECTED", 5000));
    CU_ASSERT_STRING_EQUAL(rtc_test_sink_log(sink), "session RTCSS_INPROGRESS 0x00000000\n"
                                                    "participant RTCPS_PENDING 0x00000000\n"
                                                    "participant RTCPS_DISCONNECTED 0x80ee0045\n"
                                                    "session RTCSS_DISCONNECTED 0x80ee0045\n");
    snprintf(expected, sizeof(expected),
             "GetMappingEx(127.0.0.1:%u,UDP,SIP) -> 0x0 192.168.1.10:5060 198.51.100.7:45060\n"
             "GetMappingEx(127.0.0.1:0,UDP,AUDIO_RTP) -> 0x80ee0045\n"
             "ReleaseMappingEx(UDP,192.168.1.10:5060,198.51.100.7:45060)\n",
             port);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), expected);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm2), "");
    CU_ASSERT_TRUE(nothing_received(peer));
    CU_ASSERT_EQUAL(IRTCSession_get_State(session, &state), S_OK);
    CU_ASSERT_EQUAL(state, RTCSS_DISCONNECTED);
    CU_ASSERT_EQUAL(IRTCSession_Terminate(session, RTCTR_NORMAL), RTC_E_INVALID_SESSION_STATE);
    CU_ASSERT_EQUAL(IRTCSession_get_CanAddParticipants(session, &b), S_OK);
    CU_ASSERT_EQUAL(b, VARIANT_FALSE);
    check_participant(participant, session, uri);
    check_enumerations(session, participant);
    IRTCSessionPortManagement_Release(spm);
    /* the worker lets go of the ended call right after reporting it */
    rtc_test_sink_clear(sink);
    CU_ASSERT_TRUE(rtc_test_wait_refcount((IUnknown *)session, 1, 2000));
    CU_ASSERT_EQUAL(IRTCSession_Release(session), 0);
    /* the session went: its participant no longer leads to it */
    back = (IRTCSession *)&back;
    CU_ASSERT_EQUAL(IRTCParticipant_get_Session(participant, &back), RTC_E_INVALID_SESSION_STATE);
    CU_ASSERT_PTR_NULL(back);
    CU_ASSERT_EQUAL(IRTCParticipant_Release(participant), 0);
    CU_ASSERT_EQUAL(IRTCPortManager_Release(pm), 0);
    CU_ASSERT_EQUAL(IRTCPortManager_Release(pm2), 0);
    SysFreeString(uri);
    SysFreeString(name);
    rtcpm_socket_close(peer);
}

/* No port manager of the session's own: its profile's, asked for the proxy's address. */
static void test_profile_port_manager(void)
{
    IRTCProfilePortManagement *ppm;
    IRTCProfile *profile, *got = NULL;
    IRTCSession *session;
    IRTCPortManager *pm;
    rtcpm_socket *proxy;
    char expected[256];
    BSTR uri = SysAllocString(L"sip:carol@example.net");

    proxy = silent_proxy_profile(&profile);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create_ftm(2, &pm), S_OK); /* an RTC 1.3-style v2: GetMapping */
    recording_pm_refuse(pm, RTCPT_SIP);
    IRTCProfile_QueryInterface(profile, &IID_IRTCProfilePortManagement, (void **)&ppm);
    CU_ASSERT_EQUAL(IRTCProfilePortManagement_SetPortManager(ppm, pm), S_OK);
    CU_ASSERT_EQUAL_FATAL(IRTCClient_CreateSession(client, RTCST_PC_TO_PC, NULL, profile, 0, &session), S_OK);
    CU_ASSERT_EQUAL(IRTCSession_get_Profile(session, &got), S_OK);
    CU_ASSERT_PTR_EQUAL(got, profile);
    if (got) IRTCProfile_Release(got);
    rtc_test_sink_clear(sink);
    CU_ASSERT_EQUAL(IRTCSession_AddParticipant(session, uri, NULL, NULL), S_OK);
    CU_ASSERT_TRUE(rtc_test_pump_until(sink, "session RTCSS_DISCONNECTED", 5000));
    CU_ASSERT_TRUE(strstr(rtc_test_sink_log(sink), "session RTCSS_DISCONNECTED 0x80ee0045\n") != NULL);
    snprintf(expected, sizeof(expected), "GetMapping(127.0.0.1,SIP) -> 0x80ee0045\n");
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), expected);
    CU_ASSERT_TRUE(nothing_received(proxy));
    IRTCProfilePortManagement_Release(ppm);
    rtc_test_sink_clear(sink);
    CU_ASSERT_TRUE(rtc_test_wait_refcount((IUnknown *)session, 1, 2000));
    CU_ASSERT_EQUAL(IRTCSession_Release(session), 0);
    CU_ASSERT_EQUAL(IRTCProfile_Release(profile), 0);
    CU_ASSERT_EQUAL(IRTCPortManager_Release(pm), 0);
    SysFreeString(uri);
    rtcpm_socket_close(proxy);
}

/* A tel: participant needs a gateway: E_NOTIMPL at once, the session still idle and empty, no
 * event, no port-manager call, nothing sent to the proxy. */
static void test_tel_participant(void)
{
    IRTCSessionPortManagement *spm;
    IRTCParticipant *participant = (IRTCParticipant *)&participant;
    IRTCEnumParticipants *e;
    IRTCProfile *profile;
    IRTCSession *session;
    IRTCPortManager *pm;
    RTC_SESSION_STATE state;
    rtcpm_socket *proxy;
    VARIANT_BOOL b;
    IRTCParticipant *got;
    ULONG n = 99;
    BSTR tel = SysAllocString(L"tel:+15551234567"), tel_upper = SysAllocString(L"TEL:+15551234567");

    proxy = silent_proxy_profile(&profile);
    CU_ASSERT_EQUAL_FATAL(recording_pm_create_ftm(3, &pm), S_OK);
    CU_ASSERT_EQUAL_FATAL(IRTCClient_CreateSession(client, RTCST_PC_TO_PHONE, NULL, profile, 0, &session), S_OK);
    IRTCSession_QueryInterface(session, &IID_IRTCSessionPortManagement, (void **)&spm);
    CU_ASSERT_EQUAL(IRTCSessionPortManagement_SetPortManager(spm, pm), S_OK);
    rtc_test_sink_clear(sink);
    CU_ASSERT_EQUAL(IRTCSession_AddParticipant(session, tel, NULL, &participant), E_NOTIMPL);
    CU_ASSERT_PTR_NULL(participant);
    CU_ASSERT_EQUAL(IRTCSession_AddParticipant(session, tel_upper, NULL, NULL), E_NOTIMPL); /* schemes: any case */
    rtc_test_pump(300);
    CU_ASSERT_STRING_EQUAL(rtc_test_sink_log(sink), "");
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "");
    CU_ASSERT_TRUE(nothing_received(proxy));
    CU_ASSERT_EQUAL(IRTCSession_get_State(session, &state), S_OK);
    CU_ASSERT_EQUAL(state, RTCSS_IDLE);
    CU_ASSERT_EQUAL(IRTCSession_get_CanAddParticipants(session, &b), S_OK);
    CU_ASSERT_EQUAL(b, VARIANT_TRUE);
    CU_ASSERT_EQUAL(IRTCSessionPortManagement_SetPortManager(spm, NULL), S_OK); /* still idle */
    CU_ASSERT_EQUAL(IRTCSession_EnumerateParticipants(session, &e), S_OK);
    CU_ASSERT_EQUAL(IRTCEnumParticipants_Next(e, 1, &got, &n), S_FALSE);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(IRTCEnumParticipants_Release(e), 0);
    IRTCSessionPortManagement_Release(spm);
    CU_ASSERT_EQUAL(IRTCSession_Release(session), 0);
    CU_ASSERT_EQUAL(IRTCProfile_Release(profile), 0);
    CU_ASSERT_EQUAL(IRTCPortManager_Release(pm), 0);
    SysFreeString(tel);
    SysFreeString(tel_upper);
    rtcpm_socket_close(proxy);
}

static CU_TestInfo tests[] = {
    { "create", test_create },
    { "not_implemented", test_not_implemented },
    { "port_manager_refuses_rtp", test_port_manager_refuses_rtp },
    { "profile_port_manager", test_profile_port_manager },
    { "tel_participant", test_tel_participant },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv)
{
    int rc;
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    rtcpm_test_set_fixtures(suite_init, suite_cleanup);
    rc = rtcpm_test_main("rtc_session", tests, argc, argv);
    CoUninitialize();
    return rc;
}
