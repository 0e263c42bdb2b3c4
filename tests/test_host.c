/*
 * test_host.c — the host objects (client, profile, session) and the driver, against the
 * recording port manager: method semantics, the exact calls RTC makes on a port manager, the
 * 3 -> 2 -> 1 fallback, failures, Contact/SDP text, and refcounts.
 */
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "recording_pm.h"
#include "com/com.h"
#include "com/bstr_util.h"

#define PEER "203.0.113.5"
#define REGISTRAR "198.18.0.1"

/* recording_pm's answers, as its log prints them */
#define SIP_ANSWER " -> 0x0 192.168.1.10:5060 198.51.100.7:45060\n"
#define ART_ANSWER " -> 0x0 192.168.1.10:5000 198.51.100.7:40000\n"
#define ARC_ANSWER " -> 0x0 192.168.1.10:5001 198.51.100.7:40001\n"
#define VRT_ANSWER " -> 0x0 192.168.1.10:5002 198.51.100.7:40002\n"
#define VRC_ANSWER " -> 0x0 192.168.1.10:5003 198.51.100.7:40003\n"
#define REL_SIP "ReleaseMappingEx(UDP,192.168.1.10:5060,198.51.100.7:45060)\n"
#define REL_ART "ReleaseMappingEx(UDP,192.168.1.10:5000,198.51.100.7:40000)\n"
#define REL_ARC "ReleaseMappingEx(UDP,192.168.1.10:5001,198.51.100.7:40001)\n"
#define REL_VRT "ReleaseMappingEx(UDP,192.168.1.10:5002,198.51.100.7:40002)\n"
#define REL_VRC "ReleaseMappingEx(UDP,192.168.1.10:5003,198.51.100.7:40003)\n"

#define AUDIO_CALL_LOG \
    "GetMappingEx(" PEER ":5060,UDP,SIP)" SIP_ANSWER \
    "GetMappingEx(" PEER ":0,UDP,AUDIO_RTP)" ART_ANSWER \
    "GetMappingEx(" PEER ":0,UDP,AUDIO_RTCP)" ARC_ANSWER

#define AUDIO_SDP \
    "v=0\r\n" \
    "o=alice 1 1 IN IP4 198.51.100.7\r\n" \
    "s=-\r\n" \
    "c=IN IP4 198.51.100.7\r\n" \
    "t=0 0\r\n" \
    "m=audio 40000 RTP/AVP 0 8 101\r\n" \
    "a=rtpmap:0 PCMU/8000\r\n" \
    "a=rtpmap:8 PCMA/8000\r\n" \
    "a=rtpmap:101 telephone-event/8000\r\n" \
    "a=fmtp:101 0-15\r\n" \
    "a=rtcp:40001 IN IP4 198.51.100.7\r\n"

static LONG live_at_start;

static int suite_init(void)
{
    live_at_start = rtcpm_live_objects();
    return 0;
}

static IRTCClientPortManagement *new_client(void)
{
    IRTCClientPortManagement *client = NULL;
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_client("192.168.1.10", &client), S_OK);
    return client;
}

static IRTCProfilePortManagement *new_profile(IRTCClientPortManagement *client, IRTCPortManager *pm)
{
    IRTCProfilePortManagement *profile = NULL;
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(client, "sip:alice@example.com", REGISTRAR, 5060, RTCTR_UDP, &profile), S_OK);
    if (pm) CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm), S_OK);
    return profile;
}

static IRTCSessionPortManagement *new_session(IRTCClientPortManagement *client, IRTCProfilePortManagement *profile,
                                              IRTCPortManager *pm)
{
    IRTCSessionPortManagement *session = NULL;
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_session(client, profile, "sip:bob@example.net", PEER, 5060, 0, &session), S_OK);
    if (pm) CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, pm), S_OK);
    return session;
}

static IRTCPortManager *new_pm(int version)
{
    IRTCPortManager *pm = NULL;
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(version, &pm), S_OK);
    return pm;
}

static BSTR b(const char *s) { return bstr_from_cstr(s); }

/* ---- client ---------------------------------------------------------------------------- */

static void test_client_identity(void)
{
    IRTCClientPortManagement *client = new_client(), *again;
    IUnknown *unk, *unk2;
    void *out = &out;

    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start + 1);
    CU_ASSERT_EQUAL(client->lpVtbl->QueryInterface(client, &IID_IRTCClientPortManagement, (void **)&again), S_OK);
    CU_ASSERT_PTR_EQUAL(again, client);
    CU_ASSERT_EQUAL(client->lpVtbl->QueryInterface(client, &IID_IUnknown, (void **)&unk), S_OK);
    CU_ASSERT_EQUAL(again->lpVtbl->QueryInterface(again, &IID_IUnknown, (void **)&unk2), S_OK);
    CU_ASSERT_PTR_EQUAL(unk, unk2);
    CU_ASSERT_EQUAL(client->lpVtbl->QueryInterface(client, &IID_IRTCProfilePortManagement, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(client->lpVtbl->QueryInterface(client, &IID_IRTCClientPortManagement, NULL), E_POINTER);
    CU_ASSERT_EQUAL(com_refcount(unk), 4);
    unk->lpVtbl->Release(unk);
    unk2->lpVtbl->Release(unk2);
    again->lpVtbl->Release(again);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start);
}

static void test_client_listen(void)
{
    IRTCClientPortManagement *client = new_client();
    BSTR v4 = b("192.168.1.10"), v6 = b("fd00::10"), bad = b("not-an-address"), other = b("192.168.1.11");
    char addr[64];
    LONG port = -1;

    CU_ASSERT_EQUAL(client->lpVtbl->StartListenAddressAndPort(client, v4, 5070), S_OK);
    CU_ASSERT_EQUAL(client->lpVtbl->StartListenAddressAndPort(client, v6, 5072), S_OK);
    CU_ASSERT_EQUAL(client->lpVtbl->StartListenAddressAndPort(client, v4, 5071), S_OK);
    /* the same pair twice: no second listen socket */
    CU_ASSERT_EQUAL(client->lpVtbl->StartListenAddressAndPort(client, v4, 5070), E_FAIL);
    CU_ASSERT_EQUAL(client->lpVtbl->StartListenAddressAndPort(client, bad, 5070), E_INVALIDARG);
    CU_ASSERT_EQUAL(client->lpVtbl->StartListenAddressAndPort(client, NULL, 5070), E_INVALIDARG);
    CU_ASSERT_EQUAL(client->lpVtbl->StartListenAddressAndPort(client, v4, 0), E_INVALIDARG);
    CU_ASSERT_EQUAL(client->lpVtbl->StartListenAddressAndPort(client, v4, 65536), E_INVALIDARG);

    CU_ASSERT_EQUAL(rtcpm_host_client_get_listen(client, 0, addr, sizeof(addr), &port), S_OK);
    CU_ASSERT_STRING_EQUAL(addr, "192.168.1.10");
    CU_ASSERT_EQUAL(port, 5070);
    CU_ASSERT_EQUAL(rtcpm_host_client_get_listen(client, 1, addr, sizeof(addr), &port), S_OK);
    CU_ASSERT_STRING_EQUAL(addr, "fd00::10");
    CU_ASSERT_EQUAL(port, 5072);
    CU_ASSERT_EQUAL(rtcpm_host_client_get_listen(client, 3, addr, sizeof(addr), &port), S_FALSE);
    CU_ASSERT_STRING_EQUAL(addr, "");
    CU_ASSERT_EQUAL(port, 0);

    /* stopping what was never started */
    CU_ASSERT_EQUAL(client->lpVtbl->StopListenAddressAndPort(client, other, 5070), E_INVALIDARG);
    CU_ASSERT_EQUAL(client->lpVtbl->StopListenAddressAndPort(client, v4, 5079), E_INVALIDARG);
    CU_ASSERT_EQUAL(client->lpVtbl->StopListenAddressAndPort(client, bad, 5070), E_INVALIDARG);
    /* stopping the first keeps the order of the others */
    CU_ASSERT_EQUAL(client->lpVtbl->StopListenAddressAndPort(client, v4, 5070), S_OK);
    CU_ASSERT_EQUAL(client->lpVtbl->StopListenAddressAndPort(client, v4, 5070), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_client_get_listen(client, 0, addr, sizeof(addr), &port), S_OK);
    CU_ASSERT_STRING_EQUAL(addr, "fd00::10");
    CU_ASSERT_EQUAL(rtcpm_host_client_get_listen(client, 1, addr, sizeof(addr), &port), S_OK);
    CU_ASSERT_EQUAL(port, 5071);
    CU_ASSERT_EQUAL(rtcpm_host_client_get_listen(client, 2, addr, sizeof(addr), &port), S_FALSE);
    /* the same address spelt differently is the same listen address */
    SysFreeString(v6);
    v6 = b("FD00:0:0::10");
    CU_ASSERT_EQUAL(client->lpVtbl->StopListenAddressAndPort(client, v6, 5072), S_OK);

    SysFreeString(v4);
    SysFreeString(v6);
    SysFreeString(bad);
    SysFreeString(other);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

static void test_client_port_range(void)
{
    IRTCClientPortManagement *client = new_client();
    LONG min = -1, max = -1;
    int t;

    for (t = RTCPT_AUDIO_RTP; t <= RTCPT_SIP; t++)
    {
        CU_ASSERT_EQUAL(client->lpVtbl->GetPortRange(client, (RTC_PORT_TYPE)t, &min, &max), S_OK);
        CU_ASSERT_EQUAL(min, 1024);
        CU_ASSERT_EQUAL(max, 65535);
    }
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_SIP, 5060, 5061), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_VIDEO_RTP, 30000, 30003), S_OK);
    CU_ASSERT_EQUAL(client->lpVtbl->GetPortRange(client, RTCPT_SIP, &min, &max), S_OK);
    CU_ASSERT_EQUAL(min, 5060);
    CU_ASSERT_EQUAL(max, 5061);
    CU_ASSERT_EQUAL(client->lpVtbl->GetPortRange(client, RTCPT_VIDEO_RTP, &min, &max), S_OK);
    CU_ASSERT_EQUAL(min, 30000);
    CU_ASSERT_EQUAL(max, 30003);
    CU_ASSERT_EQUAL(client->lpVtbl->GetPortRange(client, RTCPT_AUDIO_RTP, &min, &max), S_OK);
    CU_ASSERT_EQUAL(min, 1024);

    /* bad type: E_INVALIDARG, outs zeroed */
    CU_ASSERT_EQUAL(client->lpVtbl->GetPortRange(client, (RTC_PORT_TYPE)5, &min, &max), E_INVALIDARG);
    CU_ASSERT_EQUAL(min, 0);
    CU_ASSERT_EQUAL(max, 0);
    CU_ASSERT_EQUAL(client->lpVtbl->GetPortRange(client, (RTC_PORT_TYPE)-1, &min, &max), E_INVALIDARG);
    max = 7;
    CU_ASSERT_EQUAL(client->lpVtbl->GetPortRange(client, RTCPT_SIP, NULL, &max), E_POINTER);
    CU_ASSERT_EQUAL(max, 0);
    CU_ASSERT_EQUAL(client->lpVtbl->GetPortRange(client, RTCPT_SIP, &min, NULL), E_POINTER);

    /* PortRange policy rules */
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_SIP, 1023, 2000), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_SIP, 2000, 65536), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_SIP, 2000, 2000), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_SIP, 3000, 2000), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_AUDIO_RTP, 3000, 3002), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, (RTC_PORT_TYPE)5, 3000, 4000), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(NULL, RTCPT_SIP, 3000, 4000), E_POINTER);
    CU_ASSERT_EQUAL(client->lpVtbl->GetPortRange(client, RTCPT_SIP, &min, &max), S_OK);
    CU_ASSERT_EQUAL(min, 5060); /* unchanged by the refused calls */
    CU_ASSERT_EQUAL(max, 5061);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

static void test_create_bad_args(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCProfilePortManagement *profile = (IRTCProfilePortManagement *)&profile;
    IRTCSessionPortManagement *session = (IRTCSessionPortManagement *)&session;
    IRTCClientPortManagement *c2 = (IRTCClientPortManagement *)&c2;
    IRTCPortManager *pm = new_pm(3);

    CU_ASSERT_EQUAL(rtcpm_host_create_client("192.168.1.10", NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_host_create_client("192.168.1", &c2), E_INVALIDARG);
    CU_ASSERT_PTR_NULL(c2);
    CU_ASSERT_EQUAL(rtcpm_host_create_client(NULL, &c2), E_INVALIDARG);

    CU_ASSERT_EQUAL(rtcpm_host_create_profile(client, "http://alice", REGISTRAR, 5060, RTCTR_UDP, &profile),
                    E_INVALIDARG);
    CU_ASSERT_PTR_NULL(profile);
    CU_ASSERT_EQUAL(rtcpm_host_create_profile(client, "sip:al ice@example.com", REGISTRAR, 0, RTCTR_UDP, &profile),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_create_profile(client, "sip:alice@", REGISTRAR, 0, RTCTR_UDP, &profile), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_create_profile(client, "sip:a<b@x", REGISTRAR, 0, RTCTR_UDP, &profile), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_create_profile(client, "sip:alice@example.com", "registrar.example.com", 0, RTCTR_UDP,
                                              &profile),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_create_profile(client, "sip:alice@example.com", REGISTRAR, 0, 3, &profile), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_create_profile(client, "sip:alice@example.com", REGISTRAR, 65536, RTCTR_UDP, &profile),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_create_profile(client, "sip:alice@example.com", REGISTRAR, 0, RTCTR_UDP, NULL),
                    E_POINTER);
    /* an interface pointer that is not an rtcpm host object */
    CU_ASSERT_EQUAL(rtcpm_host_create_profile((IRTCClientPortManagement *)pm, "sip:alice@example.com", REGISTRAR, 0,
                                              RTCTR_UDP, &profile),
                    E_INVALIDARG);

    CU_ASSERT_EQUAL(rtcpm_host_create_session(client, NULL, "mailto:bob@example.net", PEER, 0, 0, &session),
                    E_INVALIDARG);
    CU_ASSERT_PTR_NULL(session);
    CU_ASSERT_EQUAL(rtcpm_host_create_session(client, NULL, "sip:bob@example.net", "example.net", 0, 0, &session),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_create_session(client, NULL, "sip:bob@example.net", PEER, 0, 8, &session), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_create_session(client, NULL, "sip:bob@example.net", PEER, -1, 0, &session),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_create_session(client, (IRTCProfilePortManagement *)pm, "sip:bob@example.net", PEER, 0,
                                              0, &session),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_create_session(NULL, NULL, "sip:bob@example.net", PEER, 0, 0, &session), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_host_create_session(client, NULL, "sip:bob@example.net", PEER, 0, 0, NULL), E_POINTER);
    /* a tel: URI is a valid callee */
    CU_ASSERT_EQUAL(rtcpm_host_create_session(client, NULL, "tel:+15551234567", PEER, 0, 0, &session), S_OK);
    CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);

    /* the C API on foreign objects */
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable((IRTCProfilePortManagement *)pm), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_call((IRTCSessionPortManagement *)pm, RTCPM_HOST_MEDIA_AUDIO), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(NULL, RTCPM_HOST_MEDIA_AUDIO), E_POINTER);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), ""); /* nothing reached the port manager */

    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    pm->lpVtbl->Release(pm);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start);
}

/* ---- profile --------------------------------------------------------------------------- */

static void test_profile_identity(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCProfilePortManagement *profile = new_profile(client, NULL);
    IUnknown *unk;
    void *out = &out;

    CU_ASSERT_EQUAL(com_refcount((IUnknown *)client), 2); /* the profile holds the client */
    CU_ASSERT_EQUAL(profile->lpVtbl->QueryInterface(profile, &IID_IUnknown, (void **)&unk), S_OK);
    CU_ASSERT_PTR_EQUAL(unk, profile);
    unk->lpVtbl->Release(unk);
    CU_ASSERT_EQUAL(profile->lpVtbl->QueryInterface(profile, &IID_IRTCSessionPortManagement, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(com_refcount((IUnknown *)client), 1);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

static void test_profile_set_port_manager(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCProfilePortManagement *profile = new_profile(client, NULL);
    IRTCPortManager *pm1 = new_pm(3), *pm2 = new_pm(3);

    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, NULL), E_POINTER);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm1), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm1), 2);
    /* replaced: the old one is released, the new one held */
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm2), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm1), 1);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 2);
    /* the same one again: still one reference */
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm2), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 2);

    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 3); /* ours, the profile's, the registration's */
    /* enabled: E_FAIL, nothing changes */
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm1), E_FAIL);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm1), 1);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 3);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, NULL), E_POINTER);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm1), "");

    /* disabled again: allowed again */
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_OK);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm1), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm1), 2);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 1);

    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm1), 1);
    CU_ASSERT_EQUAL(pm1->lpVtbl->Release(pm1), 0);
    CU_ASSERT_EQUAL(pm2->lpVtbl->Release(pm2), 0);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start);
}

static void test_profile_enable(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    IRTCProfilePortManagement *profile = new_profile(client, pm);
    char text[256];

    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), E_UNEXPECTED);
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_FALSE);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "GetMappingEx(" REGISTRAR ":5060,UDP,SIP)" SIP_ANSWER);
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:alice@198.51.100.7:45060;transport=udp>\r\n");
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, 20), (HRESULT)0x8007007A);
    CU_ASSERT_STRING_EQUAL(text, "");
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, NULL, 20), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), E_UNEXPECTED);
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "GetMappingEx(" REGISTRAR ":5060,UDP,SIP)" SIP_ANSWER REL_SIP);
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), E_UNEXPECTED);

    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    pm->lpVtbl->Release(pm);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

static void test_profile_transports(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    IRTCProfilePortManagement *profile;
    char text[256];

    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(client, "sip:alice@example.com", REGISTRAR, 0, RTCTR_TCP, &profile), S_OK);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:alice@198.51.100.7:45060;transport=tcp>\r\n");
    profile->lpVtbl->Release(profile); /* enabled: the release unregisters */
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm),
                           "GetMappingEx(" REGISTRAR ":5060,TCP,SIP)" SIP_ANSWER
                           "ReleaseMappingEx(TCP,192.168.1.10:5060,198.51.100.7:45060)\n");
    recording_pm_clear_log(pm);

    /* TLS: default port 5061 */
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(client, "sip:alice@example.com", REGISTRAR, 0, RTCTR_TLS, &profile), S_OK);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:alice@198.51.100.7:45060;transport=tls>\r\n");
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "GetMappingEx(" REGISTRAR ":5061,TLS,SIP)" SIP_ANSWER);
    profile->lpVtbl->Release(profile);
    recording_pm_clear_log(pm);

    /* a sips: identity: sips Contact, TLS implied, transport=tcp */
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(client, "sips:alice@example.com", REGISTRAR, 5071, RTCTR_TLS, &profile), S_OK);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sips:alice@198.51.100.7:45060;transport=tcp>\r\n");
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "GetMappingEx(" REGISTRAR ":5071,TLS,SIP)" SIP_ANSWER);
    profile->lpVtbl->Release(profile);

    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    pm->lpVtbl->Release(pm);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

static void test_profile_enable_refused(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3), *pm2 = new_pm(3);
    IRTCProfilePortManagement *profile = new_profile(client, pm);
    char text[256];

    recording_pm_refuse(pm, RTCPT_SIP);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "GetMappingEx(" REGISTRAR ":5060,UDP,SIP) -> 0x80ee0045\n");
    /* still disabled: no Contact, the port manager may be replaced, disable has nothing to do */
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), E_UNEXPECTED);
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_FALSE);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm2), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm2), "GetMappingEx(" REGISTRAR ":5060,UDP,SIP)" SIP_ANSWER);

    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(pm2->lpVtbl->Release(pm2), 0);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start);
}

static void test_profile_without_port_manager(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCProfilePortManagement *profile = new_profile(client, NULL);
    BSTR addr = b("192.168.1.10");
    char text[256];

    /* RTC without a port manager: its own address, a port of the SIP range */
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_SIP, 5062, 5070), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:alice@192.168.1.10:5062;transport=udp>\r\n");
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_OK);
    /* with a listen address started, that one */
    CU_ASSERT_EQUAL(client->lpVtbl->StartListenAddressAndPort(client, addr, 5080), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:alice@192.168.1.10:5080;transport=udp>\r\n");

    SysFreeString(addr);
    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

/* ---- session --------------------------------------------------------------------------- */

static void test_session_set_port_manager(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm1 = new_pm(3), *pm2 = new_pm(3), *ppm = new_pm(3);
    IRTCProfilePortManagement *profile = new_profile(client, ppm);
    IRTCSessionPortManagement *session = new_session(client, profile, NULL);
    IUnknown *unk;

    CU_ASSERT_EQUAL(session->lpVtbl->QueryInterface(session, &IID_IUnknown, (void **)&unk), S_OK);
    CU_ASSERT_PTR_EQUAL(unk, session);
    unk->lpVtbl->Release(unk);

    /* NULL is allowed on a session */
    CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, NULL), S_OK);
    CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, pm1), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm1), 2);
    CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, pm2), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm1), 1);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 2);

    /* not idle: E_FAIL, nothing changes */
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 3); /* the session's and the call's */
    CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, pm1), E_FAIL);
    CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, NULL), E_FAIL);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm1), 1);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm2), AUDIO_CALL_LOG);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(ppm), ""); /* the session's own wins over the profile's */
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 2);

    /* idle again; NULL: the profile's port manager is used */
    CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, NULL), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm2), 1);
    recording_pm_clear_log(pm2);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(ppm), AUDIO_CALL_LOG);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm2), "");
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);

    CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);
    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(pm1->lpVtbl->Release(pm1), 0);
    CU_ASSERT_EQUAL(pm2->lpVtbl->Release(pm2), 0);
    CU_ASSERT_EQUAL(ppm->lpVtbl->Release(ppm), 0);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start);
}

static void test_audio_call(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    IRTCProfilePortManagement *profile = new_profile(client, NULL);
    IRTCSessionPortManagement *session = new_session(client, profile, pm);
    char text[1024];
    LONG level = -1;

    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(session, 1, 1, text, sizeof(text)), RTC_E_INVALID_SESSION_STATE);
    CU_ASSERT_EQUAL(rtcpm_host_session_pm_level(session, &level), RTC_E_INVALID_SESSION_STATE);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_FALSE);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, 0), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_VIDEO), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, 0x4 | RTCPM_HOST_MEDIA_AUDIO), E_INVALIDARG);

    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), AUDIO_CALL_LOG);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), RTC_E_INVALID_SESSION_STATE);
    CU_ASSERT_EQUAL(rtcpm_host_session_pm_level(session, &level), S_OK);
    CU_ASSERT_EQUAL(level, 3);
    CU_ASSERT_EQUAL(rtcpm_host_session_contact(session, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:alice@198.51.100.7:45060;transport=udp>\r\n");
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(session, 1, 1, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, AUDIO_SDP);
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(session, 1, 1, text, 100), (HRESULT)0x8007007A);
    CU_ASSERT_STRING_EQUAL(text, "");
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(session, 18446744073709551615ull, 2, text, sizeof(text)), S_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "o=alice 18446744073709551615 2 IN IP4 198.51.100.7\r\n"));

    recording_pm_clear_log(pm);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
    /* every mapping released, last obtained first */
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), REL_ARC REL_ART REL_SIP);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_FALSE);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), REL_ARC REL_ART REL_SIP);

    CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);
    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    pm->lpVtbl->Release(pm);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

static void test_video_call(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    IRTCProfilePortManagement *profile = new_profile(client, NULL);
    IRTCSessionPortManagement *session = new_session(client, profile, pm);
    char text[1024];

    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), AUDIO_CALL_LOG
                           "GetMappingEx(" PEER ":0,UDP,VIDEO_RTP)" VRT_ANSWER
                           "GetMappingEx(" PEER ":0,UDP,VIDEO_RTCP)" VRC_ANSWER);
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(session, 7, 8, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text,
                           "v=0\r\n"
                           "o=alice 7 8 IN IP4 198.51.100.7\r\n"
                           "s=-\r\n"
                           "c=IN IP4 198.51.100.7\r\n"
                           "t=0 0\r\n"
                           "m=audio 40000 RTP/AVP 0 8 101\r\n"
                           "a=rtpmap:0 PCMU/8000\r\n"
                           "a=rtpmap:8 PCMA/8000\r\n"
                           "a=rtpmap:101 telephone-event/8000\r\n"
                           "a=fmtp:101 0-15\r\n"
                           "a=rtcp:40001 IN IP4 198.51.100.7\r\n"
                           "m=video 40002 RTP/AVP 34\r\n"
                           "a=rtpmap:34 H263/90000\r\n"
                           "a=rtcp:40003 IN IP4 198.51.100.7\r\n");
    recording_pm_clear_log(pm);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), REL_VRC REL_VRT REL_ARC REL_ART REL_SIP);

    CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);
    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

static void test_retarget(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    IRTCSessionPortManagement *session = new_session(client, NULL, pm);
    char text[1024], before[1024];

    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, "203.0.113.99", 30000, 0),
                    RTC_E_INVALID_SESSION_STATE);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(session, 1, 1, before, sizeof(before)), S_OK);
    recording_pm_clear_log(pm);

    /* the answer's media address: RTP to its port, RTCP to port + 1 */
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, "203.0.113.99", 30000, 0), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm),
                           "UpdateRemoteAddressEx2(203.0.113.99:30000,UDP,192.168.1.10:5000,198.51.100.7:40000)\n"
                           "UpdateRemoteAddressEx2(203.0.113.99:30001,UDP,192.168.1.10:5001,198.51.100.7:40001)\n");
    recording_pm_clear_log(pm);
    /* with an a=rtcp in the answer; an IPv4-mapped address is the IPv4 peer */
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, "::ffff:203.0.113.98", 30010,
                                                     30555),
                    S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm),
                           "UpdateRemoteAddressEx2(::ffff:203.0.113.98:30010,UDP,192.168.1.10:5000,198.51.100.7:40000)\n"
                           "UpdateRemoteAddressEx2(::ffff:203.0.113.98:30555,UDP,192.168.1.10:5001,198.51.100.7:40001)\n");
    recording_pm_clear_log(pm);
    /* the peer's Contact moved */
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_SIP, "203.0.113.6", 5070, 0), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm),
                           "UpdateRemoteAddressEx2(203.0.113.6:5070,UDP,192.168.1.10:5060,198.51.100.7:45060)\n");
    recording_pm_clear_log(pm);
    /* bad requests reach nobody */
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_VIDEO, "203.0.113.99", 30000, 0),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, "peer.example", 30000, 0),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, "203.0.113.99", 0, 0),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, "203.0.113.99", 65535, 0),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, (enum rtcpm_host_stream)7, "203.0.113.99", 3000, 0),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, NULL, 3000, 0), E_POINTER);
    /* an IPv4 call cannot reach an IPv6 peer: no port manager is told it can */
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, "2001:db8::99", 30010, 30555),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_SIP, "fe80::6%3", 5070, 0),
                    E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "");
    /* our own side did not move */
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(session, 1, 1, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, before);

    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), REL_ARC REL_ART REL_SIP);
    CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

/* The same call on an RTC 1.5 "version 2" and an RTC 1.3 port manager. */
static void test_fallback(void)
{
    static const char *const expected[] = {
        NULL,
        /* version 1: GetMapping, UpdateRemoteAddress, ReleaseMapping */
        "GetMapping(" PEER ",SIP)" SIP_ANSWER
        "GetMapping(" PEER ",AUDIO_RTP)" ART_ANSWER
        "GetMapping(" PEER ",AUDIO_RTCP)" ARC_ANSWER
        "GetMapping(" PEER ",VIDEO_RTP)" VRT_ANSWER
        "GetMapping(" PEER ",VIDEO_RTCP)" VRC_ANSWER
        "UpdateRemoteAddress(203.0.113.99,192.168.1.10:5002,198.51.100.7:40002)\n"
        "UpdateRemoteAddress(203.0.113.99,192.168.1.10:5003,198.51.100.7:40003)\n"
        "ReleaseMapping(192.168.1.10:5003,198.51.100.7:40003)\n"
        "ReleaseMapping(192.168.1.10:5002,198.51.100.7:40002)\n"
        "ReleaseMapping(192.168.1.10:5001,198.51.100.7:40001)\n"
        "ReleaseMapping(192.168.1.10:5000,198.51.100.7:40000)\n"
        "ReleaseMapping(192.168.1.10:5060,198.51.100.7:45060)\n",
        /* version 2: UpdateRemoteAddressEx */
        "GetMapping(" PEER ",SIP)" SIP_ANSWER
        "GetMapping(" PEER ",AUDIO_RTP)" ART_ANSWER
        "GetMapping(" PEER ",AUDIO_RTCP)" ARC_ANSWER
        "GetMapping(" PEER ",VIDEO_RTP)" VRT_ANSWER
        "GetMapping(" PEER ",VIDEO_RTCP)" VRC_ANSWER
        "UpdateRemoteAddressEx(203.0.113.99:32000,192.168.1.10:5002,198.51.100.7:40002)\n"
        "UpdateRemoteAddressEx(203.0.113.99:32001,192.168.1.10:5003,198.51.100.7:40003)\n"
        "ReleaseMapping(192.168.1.10:5003,198.51.100.7:40003)\n"
        "ReleaseMapping(192.168.1.10:5002,198.51.100.7:40002)\n"
        "ReleaseMapping(192.168.1.10:5001,198.51.100.7:40001)\n"
        "ReleaseMapping(192.168.1.10:5000,198.51.100.7:40000)\n"
        "ReleaseMapping(192.168.1.10:5060,198.51.100.7:45060)\n",
        /* version 3 */
        AUDIO_CALL_LOG
        "GetMappingEx(" PEER ":0,UDP,VIDEO_RTP)" VRT_ANSWER
        "GetMappingEx(" PEER ":0,UDP,VIDEO_RTCP)" VRC_ANSWER
        "UpdateRemoteAddressEx2(203.0.113.99:32000,UDP,192.168.1.10:5002,198.51.100.7:40002)\n"
        "UpdateRemoteAddressEx2(203.0.113.99:32001,UDP,192.168.1.10:5003,198.51.100.7:40003)\n"
        REL_VRC REL_VRT REL_ARC REL_ART REL_SIP,
    };
    IRTCClientPortManagement *client = new_client();
    int version;

    for (version = 1; version <= 3; version++)
    {
        IRTCPortManager *pm = new_pm(version);
        IRTCSessionPortManagement *session = new_session(client, NULL, pm);
        char text[1024];
        LONG level = 0;

        CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO), S_OK);
        CU_ASSERT_EQUAL(rtcpm_host_session_pm_level(session, &level), S_OK);
        CU_ASSERT_EQUAL(level, version);
        CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_VIDEO, "203.0.113.99", 32000, 0),
                        S_OK);
        /* the same answers make the same offer whatever the interface level */
        CU_ASSERT_EQUAL(rtcpm_host_session_sdp(session, 1, 1, text, sizeof(text)), S_OK);
        CU_ASSERT_PTR_NOT_NULL(strstr(text, "m=video 40002 RTP/AVP 34\r\n"));
        CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), expected[version]);
        CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);
        CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1); /* the QI'd interfaces were released too */
        CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    }
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start);
}

/* A profile registered by an RTC 1.3 port manager: GetMapping for SIP, ReleaseMapping. */
static void test_fallback_profile(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(1);
    IRTCProfilePortManagement *profile = new_profile(client, pm);
    char text[256];

    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:alice@198.51.100.7:45060;transport=udp>\r\n");
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "GetMapping(" REGISTRAR ",SIP)" SIP_ANSWER
                                                 "ReleaseMapping(192.168.1.10:5060,198.51.100.7:45060)\n");
    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

static void test_refused_mappings(void)
{
    static const struct
    {
        int refuse;
        unsigned media;
        const char *log;
    } cases[] = {
        { RTCPT_SIP, RTCPM_HOST_MEDIA_AUDIO, "GetMappingEx(" PEER ":5060,UDP,SIP) -> 0x80ee0045\n" },
        { RTCPT_AUDIO_RTP, RTCPM_HOST_MEDIA_AUDIO,
          "GetMappingEx(" PEER ":5060,UDP,SIP)" SIP_ANSWER
          "GetMappingEx(" PEER ":0,UDP,AUDIO_RTP) -> 0x80ee0045\n" REL_SIP },
        { RTCPT_AUDIO_RTCP, RTCPM_HOST_MEDIA_AUDIO,
          "GetMappingEx(" PEER ":5060,UDP,SIP)" SIP_ANSWER
          "GetMappingEx(" PEER ":0,UDP,AUDIO_RTP)" ART_ANSWER
          "GetMappingEx(" PEER ":0,UDP,AUDIO_RTCP) -> 0x80ee0045\n" REL_ART REL_SIP },
        { RTCPT_VIDEO_RTCP, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO,
          AUDIO_CALL_LOG
          "GetMappingEx(" PEER ":0,UDP,VIDEO_RTP)" VRT_ANSWER
          "GetMappingEx(" PEER ":0,UDP,VIDEO_RTCP) -> 0x80ee0045\n" REL_VRT REL_ARC REL_ART REL_SIP },
        /* refusing video does not matter to an audio call */
        { RTCPT_VIDEO_RTP, RTCPM_HOST_MEDIA_AUDIO, AUDIO_CALL_LOG },
    };
    IRTCClientPortManagement *client = new_client();
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++)
    {
        IRTCPortManager *pm = new_pm(3), *other = new_pm(3);
        IRTCSessionPortManagement *session = new_session(client, NULL, pm);
        char text[256];
        HRESULT want = cases[i].refuse == RTCPT_VIDEO_RTP ? S_OK : RTC_E_PORT_MAPPING_UNAVAILABLE;

        recording_pm_refuse(pm, cases[i].refuse);
        CU_ASSERT_EQUAL(rtcpm_host_session_call(session, cases[i].media), want);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), cases[i].log);
        if (want == S_OK)
        {
            CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
        }
        else
        {
            /* nothing half-made: idle again, no text, the call holds no reference */
            CU_ASSERT_EQUAL(rtcpm_host_session_contact(session, text, sizeof(text)), RTC_E_INVALID_SESSION_STATE);
            CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_FALSE);
            CU_ASSERT_EQUAL(recording_pm_refcount(pm), 2);
            CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, other), S_OK);
            CU_ASSERT_EQUAL(rtcpm_host_session_call(session, cases[i].media), S_OK);
            CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
        }
        CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);
        CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
        CU_ASSERT_EQUAL(other->lpVtbl->Release(other), 0);
    }
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start);
}

/* S_OK with an answer that is not an address: released at once, RTC_E_PORT_MAPPING_FAILED. */
static void test_unusable_answer(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    IRTCSessionPortManagement *session = new_session(client, NULL, pm);

    recording_pm_set_addresses(pm, "192.168.1.10", "nat.example.com");
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), RTC_E_PORT_MAPPING_FAILED);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm),
                           "GetMappingEx(" PEER ":5060,UDP,SIP) -> 0x0 192.168.1.10:5060 nat.example.com:45060\n"
                           "ReleaseMappingEx(UDP,192.168.1.10:5060,nat.example.com:45060)\n");
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_FALSE);
    CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

static void test_ipv6_text(void)
{
    IRTCClientPortManagement *client;
    IRTCPortManager *pm = new_pm(3);
    IRTCProfilePortManagement *profile;
    IRTCSessionPortManagement *session;
    char text[1024];

    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_client("fd00::10", &client), S_OK);
    recording_pm_set_ipv6(pm);
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(client, "sip:alice@example.com", "2001:db8::1", 0, RTCTR_UDP, &profile), S_OK);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm),
                           "GetMappingEx(2001:db8::1:5060,UDP,SIP) -> 0x0 fd00::10:5060 2001:db8::7:45060\n");
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:alice@[2001:db8::7]:45060;transport=udp>\r\n");

    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_session(client, profile, "sip:bob@example.net", "[2001:db8::5]", 0, 0, &session), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_contact(session, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:alice@[2001:db8::7]:45060;transport=udp>\r\n");
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(session, 42, 1, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text,
                           "v=0\r\n"
                           "o=alice 42 1 IN IP6 2001:db8::7\r\n"
                           "s=-\r\n"
                           "c=IN IP6 2001:db8::7\r\n"
                           "t=0 0\r\n"
                           "m=audio 40000 RTP/AVP 0 8 101\r\n"
                           "a=rtpmap:0 PCMU/8000\r\n"
                           "a=rtpmap:8 PCMA/8000\r\n"
                           "a=rtpmap:101 telephone-event/8000\r\n"
                           "a=fmtp:101 0-15\r\n"
                           "a=rtcp:40001 IN IP6 2001:db8::7\r\n"
                           "m=video 40002 RTP/AVP 34\r\n"
                           "a=rtpmap:34 H263/90000\r\n"
                           "a=rtcp:40003 IN IP6 2001:db8::7\r\n");
    recording_pm_clear_log(pm);
    /* the IPv6 call's answer: an IPv6 peer is told, an IPv4 one (also IPv4-mapped) is not */
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, "2001:db8::6", 30000, 0), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_VIDEO, "203.0.113.6", 30002, 0),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_VIDEO, "::ffff:203.0.113.6", 30002, 0),
                    E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm),
                           "UpdateRemoteAddressEx2(2001:db8::6:30000,UDP,fd00::10:5000,2001:db8::7:40000)\n"
                           "UpdateRemoteAddressEx2(2001:db8::6:30001,UDP,fd00::10:5001,2001:db8::7:40001)\n");
    recording_pm_clear_log(pm);
    CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0); /* in a call: hangs up */
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm),
                           "ReleaseMappingEx(UDP,fd00::10:5003,2001:db8::7:40003)\n"
                           "ReleaseMappingEx(UDP,fd00::10:5002,2001:db8::7:40002)\n"
                           "ReleaseMappingEx(UDP,fd00::10:5001,2001:db8::7:40001)\n"
                           "ReleaseMappingEx(UDP,fd00::10:5000,2001:db8::7:40000)\n"
                           "ReleaseMappingEx(UDP,fd00::10:5060,2001:db8::7:45060)\n");
    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

static void test_call_without_port_manager(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCSessionPortManagement *s1 = new_session(client, NULL, NULL), *s2 = new_session(client, NULL, NULL);
    char text[1024];
    LONG level = -1;

    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_AUDIO_RTP, 7001, 7010), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_SIP, 5062, 5063), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(s1, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_pm_level(s1, &level), S_OK);
    CU_ASSERT_EQUAL(level, 0);
    /* no profile: no user part */
    CU_ASSERT_EQUAL(rtcpm_host_session_contact(s1, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:192.168.1.10:5062;transport=udp>\r\n");
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(s1, 1, 1, text, sizeof(text)), S_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "o=- 1 1 IN IP4 192.168.1.10\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "c=IN IP4 192.168.1.10\r\n"));
    /* RTP on an even port of the range, RTCP next, video after */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "m=audio 7002 RTP/AVP"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "a=rtcp:7003 IN IP4 192.168.1.10\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "m=video 7004 RTP/AVP"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "a=rtcp:7005 IN IP4 192.168.1.10\r\n"));
    /* a second call at the same time gets its own ports; a third wraps around */
    CU_ASSERT_EQUAL(rtcpm_host_session_call(s2, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(s2, 1, 1, text, sizeof(text)), S_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "m=audio 7006 RTP/AVP"));
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(s2, RTCPM_HOST_STREAM_AUDIO, "203.0.113.9", 4000, 0), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(s1), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(s1, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(s1, 1, 1, text, sizeof(text)), S_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "m=audio 7002 RTP/AVP"));

    CU_ASSERT_EQUAL(s1->lpVtbl->Release(s1), 0);
    CU_ASSERT_EQUAL(s2->lpVtbl->Release(s2), 0);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start);
}

/* Registration, two calls, a re-target, every object released in an awkward order: every
 * refcount back where it started, nothing alive, the log balanced. */
static void test_full_flow_refcounts(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    IRTCProfilePortManagement *profile = new_profile(client, pm);
    IRTCSessionPortManagement *s1 = new_session(client, profile, NULL), *s2 = new_session(client, profile, NULL);
    const char *log, *p;
    int gets = 0, releases = 0;

    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start + 5);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(s1, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(s2, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 5); /* ours, the profile's, registration, two calls */
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(s2, RTCPM_HOST_STREAM_VIDEO, "203.0.113.7", 9000, 0), S_OK);
    /* the client goes first, the profile before its sessions, s2 still in its call */
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 3);
    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 2);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(s1), S_OK);
    CU_ASSERT_EQUAL(s1->lpVtbl->Release(s1), 0);
    CU_ASSERT_EQUAL(s2->lpVtbl->Release(s2), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start + 1);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);

    log = recording_pm_log(pm);
    for (p = log; (p = strstr(p, "GetMappingEx(")); p++) gets++;
    for (p = log; (p = strstr(p, "ReleaseMappingEx(")); p++) releases++;
    CU_ASSERT_EQUAL(gets, 9);
    CU_ASSERT_EQUAL(releases, 9);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start);
}

/* ---- tracing port manager --------------------------------------------------------------- */

struct lines
{
    char text[4096];
    size_t used;
};

static void collect(void *ctx, const char *line)
{
    struct lines *l = ctx;
    int n = snprintf(l->text + l->used, sizeof(l->text) - l->used, "%s\n", line);
    if (n > 0 && (size_t)n < sizeof(l->text) - l->used) l->used += (size_t)n;
}

static void test_trace_pm(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *inner = new_pm(3), *traced = NULL, *inner1 = new_pm(1), *traced1 = NULL;
    IRTCSessionPortManagement *session;
    struct lines lines;
    void *out = &out;

    memset(&lines, 0, sizeof(lines));
    CU_ASSERT_EQUAL(rtcpm_trace_pm_create(inner, collect, &lines, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_trace_pm_create(NULL, collect, &lines, &traced), E_POINTER);
    CU_ASSERT_EQUAL_FATAL(rtcpm_trace_pm_create(inner, collect, &lines, &traced), S_OK);
    CU_ASSERT_EQUAL(recording_pm_refcount(inner), 4); /* the wrapper holds its v1, v2 and v3 pointers */
    session = new_session(client, NULL, traced);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, "203.0.113.9", 30000, 0), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
    CU_ASSERT_STRING_EQUAL(lines.text,
        "GetMappingEx(203.0.113.5, 5060, UDP, SIP) -> S_OK internal 192.168.1.10:5060 external 198.51.100.7:45060\n"
        "GetMappingEx(203.0.113.5, 0, UDP, AUDIO_RTP) -> S_OK internal 192.168.1.10:5000 external 198.51.100.7:40000\n"
        "GetMappingEx(203.0.113.5, 0, UDP, AUDIO_RTCP) -> S_OK internal 192.168.1.10:5001 external 198.51.100.7:40001\n"
        "UpdateRemoteAddressEx2(203.0.113.9, 30000, UDP, internal 192.168.1.10:5000, external 198.51.100.7:40000) -> S_OK\n"
        "UpdateRemoteAddressEx2(203.0.113.9, 30001, UDP, internal 192.168.1.10:5001, external 198.51.100.7:40001) -> S_OK\n"
        "ReleaseMappingEx(UDP, internal 192.168.1.10:5001, external 198.51.100.7:40001) -> S_OK\n"
        "ReleaseMappingEx(UDP, internal 192.168.1.10:5000, external 198.51.100.7:40000) -> S_OK\n"
        "ReleaseMappingEx(UDP, internal 192.168.1.10:5060, external 198.51.100.7:45060) -> S_OK\n");
    /* the inner port manager saw the same calls */
    CU_ASSERT_PTR_NOT_NULL(strstr(recording_pm_log(inner), "UpdateRemoteAddressEx2(203.0.113.9:30001,UDP,"));
    CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);

    /* a failure, and IPv6 answers, in brackets */
    memset(&lines, 0, sizeof(lines));
    recording_pm_refuse(inner, RTCPT_AUDIO_RTP);
    recording_pm_set_ipv6(inner);
    session = new_session(client, NULL, traced);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_STRING_EQUAL(lines.text,
        "GetMappingEx(203.0.113.5, 5060, UDP, SIP) -> S_OK internal [fd00::10]:5060 external [2001:db8::7]:45060\n"
        "GetMappingEx(203.0.113.5, 0, UDP, AUDIO_RTP) -> RTC_E_PORT_MAPPING_UNAVAILABLE\n"
        "ReleaseMappingEx(UDP, internal [fd00::10]:5060, external [2001:db8::7]:45060) -> S_OK\n");
    CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);

    /* wrapping an RTC 1.3 port manager: still only IRTCPortManager, so the host falls back */
    memset(&lines, 0, sizeof(lines));
    CU_ASSERT_EQUAL_FATAL(rtcpm_trace_pm_create(inner1, collect, &lines, &traced1), S_OK);
    CU_ASSERT_EQUAL(traced1->lpVtbl->QueryInterface(traced1, &IID_IRTCPortManager3, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    session = new_session(client, NULL, traced1);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);
    CU_ASSERT_STRING_EQUAL(lines.text,
        "GetMapping(203.0.113.5, SIP) -> S_OK internal 192.168.1.10:5060 external 198.51.100.7:45060\n"
        "GetMapping(203.0.113.5, AUDIO_RTP) -> S_OK internal 192.168.1.10:5000 external 198.51.100.7:40000\n"
        "GetMapping(203.0.113.5, AUDIO_RTCP) -> S_OK internal 192.168.1.10:5001 external 198.51.100.7:40001\n"
        "ReleaseMapping(internal 192.168.1.10:5001, external 198.51.100.7:40001) -> S_OK\n"
        "ReleaseMapping(internal 192.168.1.10:5000, external 198.51.100.7:40000) -> S_OK\n"
        "ReleaseMapping(internal 192.168.1.10:5060, external 198.51.100.7:45060) -> S_OK\n");

    CU_ASSERT_EQUAL(traced->lpVtbl->Release(traced), 0);
    CU_ASSERT_EQUAL(traced1->lpVtbl->Release(traced1), 0);
    CU_ASSERT_EQUAL(recording_pm_refcount(inner), 1);
    CU_ASSERT_EQUAL(recording_pm_refcount(inner1), 1);
    inner->lpVtbl->Release(inner);
    inner1->lpVtbl->Release(inner1);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live_at_start);
}


/* rtcpm_host_profile_mapping / rtcpm_host_session_mapping: exactly the port manager's answer,
 * canonical text, only while the registration / call holds it. */
static void test_mapping_getters(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    IRTCProfilePortManagement *profile = new_profile(client, pm);
    IRTCSessionPortManagement *session = new_session(client, NULL, pm);
    struct rtcpm_host_mapping m;

    memset(&m, 0x5a, sizeof(m));
    CU_ASSERT_EQUAL(rtcpm_host_profile_mapping(profile, &m), E_UNEXPECTED);
    CU_ASSERT_EQUAL(m.internal_port, 0);
    CU_ASSERT_STRING_EQUAL(m.external_address, "");
    CU_ASSERT_EQUAL(rtcpm_host_profile_mapping(profile, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_host_profile_mapping(NULL, &m), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_host_profile_mapping((IRTCProfilePortManagement *)session, &m), E_INVALIDARG);

    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_mapping(profile, &m), S_OK);
    CU_ASSERT_EQUAL(m.type, RTCPT_SIP);
    CU_ASSERT_EQUAL(m.transport, RTCTR_UDP);
    CU_ASSERT_STRING_EQUAL(m.internal_address, "192.168.1.10");
    CU_ASSERT_EQUAL(m.internal_port, 5060);
    CU_ASSERT_STRING_EQUAL(m.external_address, "198.51.100.7");
    CU_ASSERT_EQUAL(m.external_port, 45060);
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_mapping(profile, &m), E_UNEXPECTED);

    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_SIP, &m), RTC_E_INVALID_SESSION_STATE);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_SIP, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping((IRTCSessionPortManagement *)profile, RTCPT_SIP, &m), E_INVALIDARG);
    /* IPv6 answers come back in RFC 5952 text, without brackets */
    recording_pm_set_ipv6(pm);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_AUDIO_RTP, &m), S_OK);
    CU_ASSERT_EQUAL(m.type, RTCPT_AUDIO_RTP);
    CU_ASSERT_STRING_EQUAL(m.internal_address, "fd00::10");
    CU_ASSERT_EQUAL(m.internal_port, 5000);
    CU_ASSERT_STRING_EQUAL(m.external_address, "2001:db8::7");
    CU_ASSERT_EQUAL(m.external_port, 40000);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_AUDIO_RTCP, &m), S_OK);
    CU_ASSERT_EQUAL(m.internal_port, 5001);
    CU_ASSERT_EQUAL(m.external_port, 40001);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_SIP, &m), S_OK);
    CU_ASSERT_EQUAL(m.external_port, 45060);
    memset(&m, 0x5a, sizeof(m));
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_VIDEO_RTP, &m), E_INVALIDARG);
    CU_ASSERT_EQUAL(m.external_port, 0);
    CU_ASSERT_STRING_EQUAL(m.internal_address, "");
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, (RTC_PORT_TYPE)99, &m), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_AUDIO_RTP, &m), RTC_E_INVALID_SESSION_STATE);

    CU_ASSERT_EQUAL(session->lpVtbl->Release(session), 0);
    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    pm->lpVtbl->Release(pm);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
}

static CU_TestInfo tests[] = {
    { "client_identity", test_client_identity },
    { "client_listen", test_client_listen },
    { "client_port_range", test_client_port_range },
    { "create_bad_args", test_create_bad_args },
    { "profile_identity", test_profile_identity },
    { "profile_set_port_manager", test_profile_set_port_manager },
    { "profile_enable", test_profile_enable },
    { "profile_transports", test_profile_transports },
    { "profile_enable_refused", test_profile_enable_refused },
    { "profile_without_port_manager", test_profile_without_port_manager },
    { "session_set_port_manager", test_session_set_port_manager },
    { "audio_call", test_audio_call },
    { "video_call", test_video_call },
    { "retarget", test_retarget },
    { "fallback", test_fallback },
    { "fallback_profile", test_fallback_profile },
    { "refused_mappings", test_refused_mappings },
    { "unusable_answer", test_unusable_answer },
    { "ipv6_text", test_ipv6_text },
    { "call_without_port_manager", test_call_without_port_manager },
    { "full_flow_refcounts", test_full_flow_refcounts },
    { "trace_pm", test_trace_pm },
    { "mapping_getters", test_mapping_getters },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv)
{
    rtcpm_test_set_fixtures(suite_init, NULL);
    return rtcpm_test_main("host", tests, argc, argv);
}
