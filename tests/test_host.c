/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_host.c — the host objects (client, profile, session) and the driver, against the
 * recording port manager: method semantics, the exact calls RTC makes on a port manager, the
 * 3 -> 2 -> 1 fallback, failures, Contact/SDP text, and refcounts.
 */
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "recording_pm.h"
#include "release_all.h"
#include "sdp_offer.h"
#include "com/com.h"
#include "com/bstr_util.h"

#define PEER      "203.0.113.5"
#define REGISTRAR "198.18.0.1"

/* recording_pm's answer for a mapping (internal port, external port) as its log prints it,
 * and its ReleaseMappingEx of that mapping */
#define ANSWER(ip, ep)     " -> 0x0 192.168.1.10:" ip " 198.51.100.7:" ep "\n"
#define RELEASE_EX(ip, ep) "ReleaseMappingEx(UDP,192.168.1.10:" ip ",198.51.100.7:" ep ")\n"
#define SIP_ANSWER         ANSWER("5060", "45060")
#define ART_ANSWER         ANSWER("5000", "40000")
#define ARC_ANSWER         ANSWER("5001", "40001")
#define VRT_ANSWER         ANSWER("5002", "40002")
#define VRC_ANSWER         ANSWER("5003", "40003")
#define REL_SIP            RELEASE_EX("5060", "45060")
#define REL_ART            RELEASE_EX("5000", "40000")
#define REL_ARC            RELEASE_EX("5001", "40001")
#define REL_VRT            RELEASE_EX("5002", "40002")
#define REL_VRC            RELEASE_EX("5003", "40003")

#define AUDIO_CALL_LOG                                                                                                 \
    "GetMappingEx(" PEER ":5060,UDP,SIP)" SIP_ANSWER "GetMappingEx(" PEER ":0,UDP,AUDIO_RTP)" ART_ANSWER               \
    "GetMappingEx(" PEER ":0,UDP,AUDIO_RTCP)" ARC_ANSWER
#define VIDEO_CALL_LOG                                                                                                 \
    AUDIO_CALL_LOG                                                                                                     \
    "GetMappingEx(" PEER ":0,UDP,VIDEO_RTP)" VRT_ANSWER "GetMappingEx(" PEER ":0,UDP,VIDEO_RTCP)" VRC_ANSWER

#define AUDIO_SDP   SDP_HEAD("alice 1 1", "IP4 198.51.100.7") SDP_AUDIO("40000", "40001 IN IP4 198.51.100.7")
#define CONTACT_UDP "Contact: <sip:alice@198.51.100.7:45060;transport=udp>\r\n"

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
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_session(client, profile, "sip:bob@example.net", PEER, 5060, 0, &session),
                          S_OK);
    if (pm) CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, pm), S_OK);
    return session;
}

static IRTCPortManager *new_pm(int version)
{
    IRTCPortManager *pm = NULL;
    CU_ASSERT_EQUAL_FATAL(recording_pm_create(version, &pm), S_OK);
    return pm;
}

static BSTR b(const char *s) { return rtcpm_bstr_from_cstr(s); }

/* ---- checks of several values at once, reported at the test's line ---------------------- */

static void check_at(int line, int ok, const char *what)
{
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, what, __FILE__, "", CU_FALSE);
}

/* hr is S_OK and the text is `want`. */
static void text_is(int line, const char *call, HRESULT hr, const char *text, const char *want)
{
    char msg[2048];
    snprintf(msg, sizeof(msg), "%s: 0x%08lx \"%s\", expected S_OK \"%s\"", call, (unsigned long)hr,
             hr == S_OK ? text : "", want);
    check_at(line, hr == S_OK && !strcmp(text, want), msg);
}

#define PROFILE_CONTACT_IS(profile, want) profile_contact_is(__LINE__, (profile), (want))
static void profile_contact_is(int line, IRTCProfilePortManagement *profile, const char *want)
{
    char text[256];
    HRESULT hr = rtcpm_host_profile_contact(profile, text, sizeof(text));
    text_is(line, "rtcpm_host_profile_contact", hr, text, want);
}

#define SESSION_CONTACT_IS(session, want) session_contact_is(__LINE__, (session), (want))
static void session_contact_is(int line, IRTCSessionPortManagement *session, const char *want)
{
    char text[256];
    HRESULT hr = rtcpm_host_session_contact(session, text, sizeof(text));
    text_is(line, "rtcpm_host_session_contact", hr, text, want);
}

#define SDP_IS(session, id, version, want) sdp_is(__LINE__, (session), (id), (version), (want))
static void sdp_is(int line, IRTCSessionPortManagement *session, ULONGLONG id, ULONGLONG version, const char *want)
{
    char text[1024];
    HRESULT hr = rtcpm_host_session_sdp(session, id, version, text, sizeof(text));
    text_is(line, "rtcpm_host_session_sdp", hr, text, want);
}

/* The port manager's log is `want`; then it is cleared. */
#define LOG_WAS(pm, want) log_was(__LINE__, (pm), (want))
static void log_was(int line, IRTCPortManager *pm, const char *want)
{
    text_is(line, "recording_pm_log", S_OK, recording_pm_log(pm), want);
    recording_pm_clear_log(pm);
}

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
    CU_ASSERT_EQUAL(rtcpm_com_refcount(unk), 4);
    unk->lpVtbl->Release(unk);
    unk2->lpVtbl->Release(unk2);
    again->lpVtbl->Release(again);
    RELEASE_ALL(live_at_start, client);
}

/* Start/StopListenAddressAndPort with each of `calls` in turn (addr NULL: the NULL BSTR). */
struct listen_call
{
    const char *addr;
    LONG port;
    HRESULT hr;
};

static void listen_calls(IRTCClientPortManagement *client, int stop, const struct listen_call *calls, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
    {
        BSTR addr = calls[i].addr ? b(calls[i].addr) : NULL;
        HRESULT hr = stop ? client->lpVtbl->StopListenAddressAndPort(client, addr, calls[i].port)
                          : client->lpVtbl->StartListenAddressAndPort(client, addr, calls[i].port);
        char msg[128];

        snprintf(msg, sizeof(msg), "%sListenAddressAndPort(%s, %ld): 0x%08lx, expected 0x%08lx",
                 stop ? "Stop" : "Start", calls[i].addr ? calls[i].addr : "NULL", (long)calls[i].port,
                 (unsigned long)hr, (unsigned long)calls[i].hr);
        check_at(__LINE__, hr == calls[i].hr, msg);
        SysFreeString(addr);
    }
}

/* The index-th listen address: hr, the address and port it reports. */
#define LISTEN_IS(client, index, hr, addr, port) listen_is(__LINE__, (client), (index), (hr), (addr), (port))
static void listen_is(int line, IRTCClientPortManagement *client, LONG index, HRESULT hr, const char *addr, LONG port)
{
    char got[64], msg[256];
    LONG got_port = -1;
    HRESULT got_hr = rtcpm_host_client_get_listen(client, index, got, sizeof(got), &got_port);

    snprintf(msg, sizeof(msg), "listen %ld: 0x%08lx %s:%ld, expected 0x%08lx %s:%ld", (long)index,
             (unsigned long)got_hr, got, (long)got_port, (unsigned long)hr, addr, (long)port);
    check_at(line, got_hr == hr && !strcmp(got, addr) && got_port == port, msg);
}

static void test_client_listen(void)
{
    static const struct listen_call starts[] = {
        { "192.168.1.10", 5070, S_OK },
        { "fd00::10", 5072, S_OK },
        { "192.168.1.10", 5071, S_OK },
        /* the same pair twice: no second listen socket */
        { "192.168.1.10", 5070, E_FAIL },
        { "not-an-address", 5070, E_INVALIDARG },
        { NULL, 5070, E_INVALIDARG },
        { "192.168.1.10", 0, E_INVALIDARG },
        { "192.168.1.10", 65536, E_INVALIDARG },
    };
    static const struct listen_call stops[] = {
        /* stopping what was never started */
        { "192.168.1.11", 5070, E_INVALIDARG },
        { "192.168.1.10", 5079, E_INVALIDARG },
        { "not-an-address", 5070, E_INVALIDARG },
        /* stopping the first keeps the order of the others */
        { "192.168.1.10", 5070, S_OK },
        { "192.168.1.10", 5070, E_INVALIDARG },
    };
    /* the same address spelt differently is the same listen address */
    static const struct listen_call respelt[] = { { "FD00:0:0::10", 5072, S_OK } };
    IRTCClientPortManagement *client = new_client();

    listen_calls(client, 0, starts, ARRAY_SIZE(starts));
    LISTEN_IS(client, 0, S_OK, "192.168.1.10", 5070);
    LISTEN_IS(client, 1, S_OK, "fd00::10", 5072);
    LISTEN_IS(client, 3, S_FALSE, "", 0);

    listen_calls(client, 1, stops, ARRAY_SIZE(stops));
    LISTEN_IS(client, 0, S_OK, "fd00::10", 5072);
    LISTEN_IS(client, 1, S_OK, "192.168.1.10", 5071);
    LISTEN_IS(client, 2, S_FALSE, "", 0);
    listen_calls(client, 1, respelt, ARRAY_SIZE(respelt));
    RELEASE_ALL(live_at_start, client);
}

/* GetPortRange for a type: hr, min and max. */
#define RANGE_IS(client, type, hr, min, max) range_is(__LINE__, (client), (RTC_PORT_TYPE)(type), (hr), (min), (max))
static void range_is(int line, IRTCClientPortManagement *client, RTC_PORT_TYPE type, HRESULT hr, LONG min, LONG max)
{
    LONG got_min = -1, got_max = -1;
    HRESULT got_hr = client->lpVtbl->GetPortRange(client, type, &got_min, &got_max);
    char msg[160];

    snprintf(msg, sizeof(msg), "GetPortRange(%d): 0x%08lx %ld-%ld, expected 0x%08lx %ld-%ld", (int)type,
             (unsigned long)got_hr, (long)got_min, (long)got_max, (unsigned long)hr, (long)min, (long)max);
    check_at(line, got_hr == hr && got_min == min && got_max == max, msg);
}

static void test_client_port_range(void)
{
    /* PortRange policy rules */
    static const struct
    {
        int type;
        LONG min, max;
    } refused[] = {
        { RTCPT_SIP, 1023, 2000 }, { RTCPT_SIP, 2000, 65536 },      { RTCPT_SIP, 2000, 2000 },
        { RTCPT_SIP, 3000, 2000 }, { RTCPT_AUDIO_RTP, 3000, 3002 }, { 5, 3000, 4000 },
    };
    IRTCClientPortManagement *client = new_client();
    LONG min = -1, max = -1;
    size_t i;
    int t;

    for (t = RTCPT_AUDIO_RTP; t <= RTCPT_SIP; t++) RANGE_IS(client, t, S_OK, 1024, 65535);
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_SIP, 5060, 5061), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_VIDEO_RTP, 30000, 30003), S_OK);
    RANGE_IS(client, RTCPT_SIP, S_OK, 5060, 5061);
    RANGE_IS(client, RTCPT_VIDEO_RTP, S_OK, 30000, 30003);
    RANGE_IS(client, RTCPT_AUDIO_RTP, S_OK, 1024, 65535);

    /* bad type: E_INVALIDARG, outs zeroed */
    RANGE_IS(client, 5, E_INVALIDARG, 0, 0);
    RANGE_IS(client, -1, E_INVALIDARG, 0, 0);
    max = 7;
    CU_ASSERT_EQUAL(client->lpVtbl->GetPortRange(client, RTCPT_SIP, NULL, &max), E_POINTER);
    CU_ASSERT_EQUAL(max, 0);
    CU_ASSERT_EQUAL(client->lpVtbl->GetPortRange(client, RTCPT_SIP, &min, NULL), E_POINTER);

    for (i = 0; i < ARRAY_SIZE(refused); i++)
        CU_ASSERT_EQUAL(
            rtcpm_host_client_set_port_range(client, (RTC_PORT_TYPE)refused[i].type, refused[i].min, refused[i].max),
            E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(NULL, RTCPT_SIP, 3000, 4000), E_POINTER);
    RANGE_IS(client, RTCPT_SIP, S_OK, 5060, 5061); /* unchanged by the refused calls */
    RELEASE_ALL(live_at_start, client);
}

static void test_create_bad_args(void)
{
    static const struct
    {
        const char *uri, *registrar;
        LONG port, transport;
    } bad_profiles[] = {
        { "http://alice", REGISTRAR, 5060, RTCTR_UDP },
        { "sip:al ice@example.com", REGISTRAR, 0, RTCTR_UDP },
        { "sip:alice@", REGISTRAR, 0, RTCTR_UDP },
        { "sip:a<b@x", REGISTRAR, 0, RTCTR_UDP },
        { "sip:alice@example.com", "registrar.example.com", 0, RTCTR_UDP },
        { "sip:alice@example.com", REGISTRAR, 0, 3 },
        { "sip:alice@example.com", REGISTRAR, 65536, RTCTR_UDP },
    };
    static const struct
    {
        const char *uri, *peer;
        LONG port, transport;
    } bad_sessions[] = {
        { "mailto:bob@example.net", PEER, 0, 0 },
        { "sip:bob@example.net", "example.net", 0, 0 },
        { "sip:bob@example.net", PEER, 0, 8 },
        { "sip:bob@example.net", PEER, -1, 0 },
    };
    IRTCClientPortManagement *client = new_client();
    IRTCProfilePortManagement *profile;
    IRTCSessionPortManagement *session;
    IRTCClientPortManagement *c2 = (IRTCClientPortManagement *)&c2;
    IRTCPortManager *pm = new_pm(3);
    size_t i;

    CU_ASSERT_EQUAL(rtcpm_host_create_client("192.168.1.10", NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_host_create_client("192.168.1", &c2), E_INVALIDARG);
    CU_ASSERT_PTR_NULL(c2);
    CU_ASSERT_EQUAL(rtcpm_host_create_client(NULL, &c2), E_INVALIDARG);

    for (i = 0; i < ARRAY_SIZE(bad_profiles); i++)
    {
        profile = (IRTCProfilePortManagement *)&profile;
        CU_ASSERT_EQUAL(rtcpm_host_create_profile(client, bad_profiles[i].uri, bad_profiles[i].registrar,
                                                  bad_profiles[i].port, bad_profiles[i].transport, &profile),
                        E_INVALIDARG);
        CU_ASSERT_PTR_NULL(profile);
    }
    CU_ASSERT_EQUAL(rtcpm_host_create_profile(client, "sip:alice@example.com", REGISTRAR, 0, RTCTR_UDP, NULL),
                    E_POINTER);
    /* an interface pointer that is not an rtcpm host object */
    CU_ASSERT_EQUAL(rtcpm_host_create_profile((IRTCClientPortManagement *)pm, "sip:alice@example.com", REGISTRAR, 0,
                                              RTCTR_UDP, &profile),
                    E_INVALIDARG);

    for (i = 0; i < ARRAY_SIZE(bad_sessions); i++)
    {
        session = (IRTCSessionPortManagement *)&session;
        CU_ASSERT_EQUAL(rtcpm_host_create_session(client, NULL, bad_sessions[i].uri, bad_sessions[i].peer,
                                                  bad_sessions[i].port, bad_sessions[i].transport, &session),
                        E_INVALIDARG);
        CU_ASSERT_PTR_NULL(session);
    }
    CU_ASSERT_EQUAL(
        rtcpm_host_create_session(client, (IRTCProfilePortManagement *)pm, "sip:bob@example.net", PEER, 0, 0, &session),
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

    RELEASE_ALL(live_at_start, pm, client);
}

/* ---- profile --------------------------------------------------------------------------- */

static void test_profile_identity(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCProfilePortManagement *profile = new_profile(client, NULL);
    IUnknown *unk;
    void *out = &out;

    CU_ASSERT_EQUAL(rtcpm_com_refcount((IUnknown *)client), 2); /* the profile holds the client */
    CU_ASSERT_EQUAL(profile->lpVtbl->QueryInterface(profile, &IID_IUnknown, (void **)&unk), S_OK);
    CU_ASSERT_PTR_EQUAL(unk, profile);
    unk->lpVtbl->Release(unk);
    CU_ASSERT_EQUAL(profile->lpVtbl->QueryInterface(profile, &IID_IRTCSessionPortManagement, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(rtcpm_com_refcount((IUnknown *)client), 1);
    RELEASE_ALL(live_at_start, client);
}

/* The two port managers' refcounts. */
#define REFS_ARE(pm1, n1, pm2, n2) refs_are(__LINE__, (pm1), (n1), (pm2), (n2))
static void refs_are(int line, IRTCPortManager *pm1, LONG n1, IRTCPortManager *pm2, LONG n2)
{
    char msg[96];
    snprintf(msg, sizeof(msg), "refcounts %ld and %ld, expected %ld and %ld", (long)recording_pm_refcount(pm1),
             (long)recording_pm_refcount(pm2), (long)n1, (long)n2);
    check_at(line, recording_pm_refcount(pm1) == n1 && recording_pm_refcount(pm2) == n2, msg);
}

static void test_profile_set_port_manager(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCProfilePortManagement *profile = new_profile(client, NULL);
    IRTCPortManager *pm1 = new_pm(3), *pm2 = new_pm(3);

    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, NULL), E_POINTER);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm1), S_OK);
    REFS_ARE(pm1, 2, pm2, 1);
    /* replaced: the old one is released, the new one held */
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm2), S_OK);
    REFS_ARE(pm1, 1, pm2, 2);
    /* the same one again: still one reference */
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm2), S_OK);
    REFS_ARE(pm1, 1, pm2, 2);

    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    REFS_ARE(pm1, 1, pm2, 3); /* pm2: ours, the profile's, the registration's */
    /* enabled: E_FAIL, nothing changes */
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm1), E_FAIL);
    REFS_ARE(pm1, 1, pm2, 3);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, NULL), E_POINTER);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm1), "");

    /* disabled again: allowed again */
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_OK);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm1), S_OK);
    REFS_ARE(pm1, 2, pm2, 1);

    RELEASE_ALL(live_at_start, profile, pm1, pm2, client);
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
    PROFILE_CONTACT_IS(profile, CONTACT_UDP);
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, 20), (HRESULT)0x8007007A);
    CU_ASSERT_STRING_EQUAL(text, "");
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, NULL, 20), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), E_UNEXPECTED);
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "GetMappingEx(" REGISTRAR ":5060,UDP,SIP)" SIP_ANSWER REL_SIP);
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), E_UNEXPECTED);

    RELEASE_ALL(live_at_start, profile, pm, client);
}

static void test_profile_transports(void)
{
    static const struct
    {
        const char *uri;
        LONG port, transport;
        const char *contact, *log;
    } cases[] = {
        { "sip:alice@example.com", 0, RTCTR_TCP, "Contact: <sip:alice@198.51.100.7:45060;transport=tcp>\r\n",
          "GetMappingEx(" REGISTRAR ":5060,TCP,SIP)" SIP_ANSWER
          "ReleaseMappingEx(TCP,192.168.1.10:5060,198.51.100.7:45060)\n" },
        /* TLS: default port 5061 */
        { "sip:alice@example.com", 0, RTCTR_TLS, "Contact: <sip:alice@198.51.100.7:45060;transport=tls>\r\n",
          "GetMappingEx(" REGISTRAR ":5061,TLS,SIP)" SIP_ANSWER
          "ReleaseMappingEx(TLS,192.168.1.10:5060,198.51.100.7:45060)\n" },
        /* a sips: identity: sips Contact, TLS implied, transport=tcp */
        { "sips:alice@example.com", 5071, RTCTR_TLS, "Contact: <sips:alice@198.51.100.7:45060;transport=tcp>\r\n",
          "GetMappingEx(" REGISTRAR ":5071,TLS,SIP)" SIP_ANSWER
          "ReleaseMappingEx(TLS,192.168.1.10:5060,198.51.100.7:45060)\n" },
    };
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++)
    {
        IRTCProfilePortManagement *profile;

        CU_ASSERT_EQUAL_FATAL(
            rtcpm_host_create_profile(client, cases[i].uri, REGISTRAR, cases[i].port, cases[i].transport, &profile),
            S_OK);
        CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm), S_OK);
        CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
        PROFILE_CONTACT_IS(profile, cases[i].contact);
        CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0); /* enabled: the release unregisters */
        LOG_WAS(pm, cases[i].log);
    }
    RELEASE_ALL(live_at_start, pm, client);
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

    RELEASE_ALL(live_at_start, profile, pm, pm2, client);
}

static void test_profile_without_port_manager(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCProfilePortManagement *profile = new_profile(client, NULL);
    BSTR addr = b("192.168.1.10");

    /* RTC without a port manager: its own address, a port of the SIP range */
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_SIP, 5062, 5070), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    PROFILE_CONTACT_IS(profile, "Contact: <sip:alice@192.168.1.10:5062;transport=udp>\r\n");
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_OK);
    /* with a listen address started, that one */
    CU_ASSERT_EQUAL(client->lpVtbl->StartListenAddressAndPort(client, addr, 5080), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    PROFILE_CONTACT_IS(profile, "Contact: <sip:alice@192.168.1.10:5080;transport=udp>\r\n");

    SysFreeString(addr);
    RELEASE_ALL(live_at_start, profile, client);
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
    REFS_ARE(pm1, 2, pm2, 1);
    CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, pm2), S_OK);
    REFS_ARE(pm1, 1, pm2, 2);

    /* not idle: E_FAIL, nothing changes */
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    REFS_ARE(pm1, 1, pm2, 3); /* pm2: ours, the session's and the call's */
    CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, pm1), E_FAIL);
    CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, NULL), E_FAIL);
    REFS_ARE(pm1, 1, pm2, 3);
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

    RELEASE_ALL(live_at_start, session, profile, pm1, pm2, ppm, client);
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
    SESSION_CONTACT_IS(session, CONTACT_UDP);
    SDP_IS(session, 1, 1, AUDIO_SDP);
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

    RELEASE_ALL(live_at_start, session, profile, pm, client);
}

static void test_video_call(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    IRTCProfilePortManagement *profile = new_profile(client, NULL);
    IRTCSessionPortManagement *session = new_session(client, profile, pm);

    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO), S_OK);
    LOG_WAS(pm, VIDEO_CALL_LOG);
    SDP_IS(session, 7, 8,
           SDP_HEAD("alice 7 8", "IP4 198.51.100.7") SDP_AUDIO("40000", "40001 IN IP4 198.51.100.7")
               SDP_VIDEO("40002", "40003 IN IP4 198.51.100.7"));
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), REL_VRC REL_VRT REL_ARC REL_ART REL_SIP);

    RELEASE_ALL(live_at_start, session, profile, pm, client);
}

/* update_remote: S_OK, and exactly these calls on the port manager (cleared after). */
#define RETARGET_LOGS(session, pm, stream, addr, port, rtcp, log)                                                      \
    retarget_logs(__LINE__, (session), (pm), (stream), (addr), (port), (rtcp), (log))
static void retarget_logs(int line, IRTCSessionPortManagement *session, IRTCPortManager *pm,
                          enum rtcpm_host_stream stream, const char *addr, LONG port, LONG rtcp, const char *log)
{
    HRESULT hr = rtcpm_host_session_update_remote(session, stream, addr, port, rtcp);
    check_at(line, hr == S_OK, "rtcpm_host_session_update_remote() == S_OK");
    log_was(line, pm, log);
}

static void test_retarget(void)
{
    /* bad requests reach nobody */
    static const struct
    {
        int stream;
        const char *addr;
        LONG port;
        HRESULT hr;
    } bad[] = {
        { RTCPM_HOST_STREAM_VIDEO, "203.0.113.99", 30000, E_INVALIDARG },
        { RTCPM_HOST_STREAM_AUDIO, "peer.example", 30000, E_INVALIDARG },
        { RTCPM_HOST_STREAM_AUDIO, "203.0.113.99", 0, E_INVALIDARG },
        { RTCPM_HOST_STREAM_AUDIO, "203.0.113.99", 65535, E_INVALIDARG },
        { 7, "203.0.113.99", 3000, E_INVALIDARG },
        { RTCPM_HOST_STREAM_AUDIO, NULL, 3000, E_POINTER },
        /* an IPv4 call cannot reach an IPv6 peer: no port manager is told it can */
        { RTCPM_HOST_STREAM_AUDIO, "2001:db8::99", 30010, E_INVALIDARG },
        { RTCPM_HOST_STREAM_SIP, "fe80::6%3", 5070, E_INVALIDARG },
    };
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    IRTCSessionPortManagement *session = new_session(client, NULL, pm);
    char before[1024];
    size_t i;

    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, "203.0.113.99", 30000, 0),
                    RTC_E_INVALID_SESSION_STATE);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(session, 1, 1, before, sizeof(before)), S_OK);
    recording_pm_clear_log(pm);

    /* the answer's media address: RTP to its port, RTCP to port + 1 */
    RETARGET_LOGS(session, pm, RTCPM_HOST_STREAM_AUDIO, "203.0.113.99", 30000, 0,
                  "UpdateRemoteAddressEx2(203.0.113.99:30000,UDP,192.168.1.10:5000,198.51.100.7:40000)\n"
                  "UpdateRemoteAddressEx2(203.0.113.99:30001,UDP,192.168.1.10:5001,198.51.100.7:40001)\n");
    /* with an a=rtcp in the answer; an IPv4-mapped address is the IPv4 peer */
    RETARGET_LOGS(session, pm, RTCPM_HOST_STREAM_AUDIO, "::ffff:203.0.113.98", 30010, 30555,
                  "UpdateRemoteAddressEx2(::ffff:203.0.113.98:30010,UDP,192.168.1.10:5000,198.51.100.7:40000)\n"
                  "UpdateRemoteAddressEx2(::ffff:203.0.113.98:30555,UDP,192.168.1.10:5001,198.51.100.7:40001)\n");
    /* the peer's Contact moved */
    RETARGET_LOGS(session, pm, RTCPM_HOST_STREAM_SIP, "203.0.113.6", 5070, 0,
                  "UpdateRemoteAddressEx2(203.0.113.6:5070,UDP,192.168.1.10:5060,198.51.100.7:45060)\n");
    for (i = 0; i < ARRAY_SIZE(bad); i++)
        CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(session, (enum rtcpm_host_stream)bad[i].stream, bad[i].addr,
                                                         bad[i].port, 0),
                        bad[i].hr);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "");
    /* our own side did not move */
    SDP_IS(session, 1, 1, before);

    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), REL_ARC REL_ART REL_SIP);
    RELEASE_ALL(live_at_start, session, pm, client);
}

/* Version 1 and 2 port managers: the mappings of an audio + video call, released last first */
#define V1_GETS                                                                                                        \
    "GetMapping(" PEER ",SIP)" SIP_ANSWER "GetMapping(" PEER ",AUDIO_RTP)" ART_ANSWER "GetMapping(" PEER               \
    ",AUDIO_RTCP)" ARC_ANSWER "GetMapping(" PEER ",VIDEO_RTP)" VRT_ANSWER "GetMapping(" PEER ",VIDEO_RTCP)" VRC_ANSWER
#define V1_RELEASES                                                                                                    \
    "ReleaseMapping(192.168.1.10:5003,198.51.100.7:40003)\n"                                                           \
    "ReleaseMapping(192.168.1.10:5002,198.51.100.7:40002)\n"                                                           \
    "ReleaseMapping(192.168.1.10:5001,198.51.100.7:40001)\n"                                                           \
    "ReleaseMapping(192.168.1.10:5000,198.51.100.7:40000)\n"                                                           \
    "ReleaseMapping(192.168.1.10:5060,198.51.100.7:45060)\n"

/* The same call on an RTC 1.5 "version 2" and an RTC 1.3 port manager. */
static void test_fallback(void)
{
    static const char *const expected[] = {
        NULL,
        /* version 1: GetMapping, UpdateRemoteAddress, ReleaseMapping */
        V1_GETS "UpdateRemoteAddress(203.0.113.99,192.168.1.10:5002,198.51.100.7:40002)\n"
                "UpdateRemoteAddress(203.0.113.99,192.168.1.10:5003,198.51.100.7:40003)\n" V1_RELEASES,
        /* version 2: UpdateRemoteAddressEx */
        V1_GETS "UpdateRemoteAddressEx(203.0.113.99:32000,192.168.1.10:5002,198.51.100.7:40002)\n"
                "UpdateRemoteAddressEx(203.0.113.99:32001,192.168.1.10:5003,198.51.100.7:40003)\n" V1_RELEASES,
        /* version 3 */
        VIDEO_CALL_LOG
        "UpdateRemoteAddressEx2(203.0.113.99:32000,UDP,192.168.1.10:5002,198.51.100.7:40002)\n"
        "UpdateRemoteAddressEx2(203.0.113.99:32001,UDP,192.168.1.10:5003,198.51.100.7:40003)\n" REL_VRC REL_VRT REL_ARC
            REL_ART REL_SIP,
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
        /* the QI'd interfaces were released too */
        RELEASE_ALL(live_at_start + 1, session, pm);
    }
    RELEASE_ALL(live_at_start, client);
}

/* A profile registered by an RTC 1.3 port manager: GetMapping for SIP, ReleaseMapping. */
static void test_fallback_profile(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(1);
    IRTCProfilePortManagement *profile = new_profile(client, pm);

    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    PROFILE_CONTACT_IS(profile, CONTACT_UDP);
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "GetMapping(" REGISTRAR ",SIP)" SIP_ANSWER
                                                 "ReleaseMapping(192.168.1.10:5060,198.51.100.7:45060)\n");
    RELEASE_ALL(live_at_start, profile, pm, client);
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
          "GetMappingEx(" PEER ":5060,UDP,SIP)" SIP_ANSWER "GetMappingEx(" PEER
          ":0,UDP,AUDIO_RTP) -> 0x80ee0045\n" REL_SIP },
        { RTCPT_AUDIO_RTCP, RTCPM_HOST_MEDIA_AUDIO,
          "GetMappingEx(" PEER ":5060,UDP,SIP)" SIP_ANSWER "GetMappingEx(" PEER ":0,UDP,AUDIO_RTP)" ART_ANSWER
          "GetMappingEx(" PEER ":0,UDP,AUDIO_RTCP) -> 0x80ee0045\n" REL_ART REL_SIP },
        { RTCPT_VIDEO_RTCP, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO,
          AUDIO_CALL_LOG "GetMappingEx(" PEER ":0,UDP,VIDEO_RTP)" VRT_ANSWER "GetMappingEx(" PEER
                         ":0,UDP,VIDEO_RTCP) -> 0x80ee0045\n" REL_VRT REL_ARC REL_ART REL_SIP },
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
        RELEASE_ALL(live_at_start + 1, session, pm, other);
    }
    RELEASE_ALL(live_at_start, client);
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
    RELEASE_ALL(live_at_start, session, pm, client);
}

static void test_ipv6_text(void)
{
    IRTCClientPortManagement *client;
    IRTCPortManager *pm = new_pm(3);
    IRTCProfilePortManagement *profile;
    IRTCSessionPortManagement *session;

    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_client("fd00::10", &client), S_OK);
    recording_pm_set_ipv6(pm);
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(client, "sip:alice@example.com", "2001:db8::1", 0, RTCTR_UDP, &profile), S_OK);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    LOG_WAS(pm, "GetMappingEx(2001:db8::1:5060,UDP,SIP) -> 0x0 fd00::10:5060 2001:db8::7:45060\n");
    PROFILE_CONTACT_IS(profile, "Contact: <sip:alice@[2001:db8::7]:45060;transport=udp>\r\n");

    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_session(client, profile, "sip:bob@example.net", "[2001:db8::5]", 0, 0, &session), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO), S_OK);
    SESSION_CONTACT_IS(session, "Contact: <sip:alice@[2001:db8::7]:45060;transport=udp>\r\n");
    SDP_IS(session, 42, 1,
           SDP_HEAD("alice 42 1", "IP6 2001:db8::7") SDP_AUDIO("40000", "40001 IN IP6 2001:db8::7")
               SDP_VIDEO("40002", "40003 IN IP6 2001:db8::7"));
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
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "ReleaseMappingEx(UDP,fd00::10:5003,2001:db8::7:40003)\n"
                                                 "ReleaseMappingEx(UDP,fd00::10:5002,2001:db8::7:40002)\n"
                                                 "ReleaseMappingEx(UDP,fd00::10:5001,2001:db8::7:40001)\n"
                                                 "ReleaseMappingEx(UDP,fd00::10:5000,2001:db8::7:40000)\n"
                                                 "ReleaseMappingEx(UDP,fd00::10:5060,2001:db8::7:45060)\n");
    RELEASE_ALL(live_at_start, profile, pm, client);
}

/* The SDP has each of the lines. */
#define SDP_HAS(session, ...) sdp_has(__LINE__, (session), (const char *const[]){ __VA_ARGS__, NULL })
static void sdp_has(int line, IRTCSessionPortManagement *session, const char *const *lines)
{
    char text[1024];
    HRESULT hr = rtcpm_host_session_sdp(session, 1, 1, text, sizeof(text));

    check_at(line, hr == S_OK, "rtcpm_host_session_sdp() == S_OK");
    for (; *lines; lines++) check_at(line, hr == S_OK && strstr(text, *lines) != NULL, *lines);
}

static void test_call_without_port_manager(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCSessionPortManagement *s1 = new_session(client, NULL, NULL), *s2 = new_session(client, NULL, NULL);
    LONG level = -1;

    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_AUDIO_RTP, 7001, 7010), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_client_set_port_range(client, RTCPT_SIP, 5062, 5063), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(s1, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_pm_level(s1, &level), S_OK);
    CU_ASSERT_EQUAL(level, 0);
    /* no profile: no user part */
    SESSION_CONTACT_IS(s1, "Contact: <sip:192.168.1.10:5062;transport=udp>\r\n");
    /* RTP on an even port of the range, RTCP next, video after */
    SDP_HAS(s1, "o=- 1 1 IN IP4 192.168.1.10\r\n", "c=IN IP4 192.168.1.10\r\n", "m=audio 7002 RTP/AVP",
            "a=rtcp:7003 IN IP4 192.168.1.10\r\n", "m=video 7004 RTP/AVP", "a=rtcp:7005 IN IP4 192.168.1.10\r\n");
    /* a second call at the same time gets its own ports; a third wraps around */
    CU_ASSERT_EQUAL(rtcpm_host_session_call(s2, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    SDP_HAS(s2, "m=audio 7006 RTP/AVP");
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(s2, RTCPM_HOST_STREAM_AUDIO, "203.0.113.9", 4000, 0), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(s1), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(s1, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    SDP_HAS(s1, "m=audio 7002 RTP/AVP");

    RELEASE_ALL(live_at_start, s1, s2, client);
}

static int count_of(const char *text, const char *what)
{
    const char *p;
    int n = 0;
    for (p = text; (p = strstr(p, what)); p++) n++;
    return n;
}

/* Registration, two calls, a re-target, every object released in an awkward order: every
 * refcount back where it started, nothing alive, the log balanced. */
static void test_full_flow_refcounts(void)
{
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    IRTCProfilePortManagement *profile = new_profile(client, pm);
    IRTCSessionPortManagement *s1 = new_session(client, profile, NULL), *s2 = new_session(client, profile, NULL);

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
    RELEASE_ALL(live_at_start + 1, s1, s2);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);

    CU_ASSERT_EQUAL(count_of(recording_pm_log(pm), "GetMappingEx("), 9);
    CU_ASSERT_EQUAL(count_of(recording_pm_log(pm), "ReleaseMappingEx("), 9);
    RELEASE_ALL(live_at_start, pm);
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
    CU_ASSERT_STRING_EQUAL(
        lines.text,
        "GetMappingEx(203.0.113.5, 5060, UDP, SIP) -> S_OK internal 192.168.1.10:5060 external 198.51.100.7:45060\n"
        "GetMappingEx(203.0.113.5, 0, UDP, AUDIO_RTP) -> S_OK internal 192.168.1.10:5000 external 198.51.100.7:40000\n"
        "GetMappingEx(203.0.113.5, 0, UDP, AUDIO_RTCP) -> S_OK internal 192.168.1.10:5001 external 198.51.100.7:40001\n"
        "UpdateRemoteAddressEx2(203.0.113.9, 30000, UDP, internal 192.168.1.10:5000, external 198.51.100.7:40000) -> "
        "S_OK\n"
        "UpdateRemoteAddressEx2(203.0.113.9, 30001, UDP, internal 192.168.1.10:5001, external 198.51.100.7:40001) -> "
        "S_OK\n"
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
    CU_ASSERT_STRING_EQUAL(
        lines.text,
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
    CU_ASSERT_STRING_EQUAL(
        lines.text,
        "GetMapping(203.0.113.5, SIP) -> S_OK internal 192.168.1.10:5060 external 198.51.100.7:45060\n"
        "GetMapping(203.0.113.5, AUDIO_RTP) -> S_OK internal 192.168.1.10:5000 external 198.51.100.7:40000\n"
        "GetMapping(203.0.113.5, AUDIO_RTCP) -> S_OK internal 192.168.1.10:5001 external 198.51.100.7:40001\n"
        "ReleaseMapping(internal 192.168.1.10:5001, external 198.51.100.7:40001) -> S_OK\n"
        "ReleaseMapping(internal 192.168.1.10:5000, external 198.51.100.7:40000) -> S_OK\n"
        "ReleaseMapping(internal 192.168.1.10:5060, external 198.51.100.7:45060) -> S_OK\n");

    RELEASE_ALL(live_at_start, traced, traced1, inner, inner1, client);
}

/* A mapping as the getters return it. */
#define MAPPING_IS(m, type, ia, ip, ea, ep) mapping_is(__LINE__, (m), (type), (ia), (ip), (ea), (ep))
static void mapping_is(int line, const struct rtcpm_host_mapping *m, LONG type, const char *ia, LONG ip, const char *ea,
                       LONG ep)
{
    char msg[256];
    snprintf(msg, sizeof(msg), "mapping %ld/%ld %s:%ld %s:%ld, expected %ld/%d %s:%ld %s:%ld", (long)m->type,
             (long)m->transport, m->internal_address, (long)m->internal_port, m->external_address,
             (long)m->external_port, (long)type, RTCTR_UDP, ia, (long)ip, ea, (long)ep);
    check_at(line,
             m->type == type && m->transport == RTCTR_UDP && !strcmp(m->internal_address, ia) &&
                 m->internal_port == ip && !strcmp(m->external_address, ea) && m->external_port == ep,
             msg);
}

/* rtcpm_host_profile_mapping / rtcpm_host_session_mapping: exactly the port manager's answer,
 * canonical text, only while the registration / call holds it. */
static void test_mapping_getters(void)
{
    static const struct rtcpm_host_mapping zero;
    IRTCClientPortManagement *client = new_client();
    IRTCPortManager *pm = new_pm(3);
    IRTCProfilePortManagement *profile = new_profile(client, pm);
    IRTCSessionPortManagement *session = new_session(client, NULL, pm);
    struct rtcpm_host_mapping m;

    memset(&m, 0x5a, sizeof(m));
    CU_ASSERT_EQUAL(rtcpm_host_profile_mapping(profile, &m), E_UNEXPECTED);
    CU_ASSERT_EQUAL(memcmp(&m, &zero, sizeof(m)), 0);
    CU_ASSERT_EQUAL(rtcpm_host_profile_mapping(profile, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_host_profile_mapping(NULL, &m), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_host_profile_mapping((IRTCProfilePortManagement *)session, &m), E_INVALIDARG);

    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_mapping(profile, &m), S_OK);
    MAPPING_IS(&m, RTCPT_SIP, "192.168.1.10", 5060, "198.51.100.7", 45060);
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_mapping(profile, &m), E_UNEXPECTED);

    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_SIP, &m), RTC_E_INVALID_SESSION_STATE);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_SIP, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping((IRTCSessionPortManagement *)profile, RTCPT_SIP, &m), E_INVALIDARG);
    /* IPv6 answers come back in RFC 5952 text, without brackets */
    recording_pm_set_ipv6(pm);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_AUDIO_RTP, &m), S_OK);
    MAPPING_IS(&m, RTCPT_AUDIO_RTP, "fd00::10", 5000, "2001:db8::7", 40000);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_AUDIO_RTCP, &m), S_OK);
    MAPPING_IS(&m, RTCPT_AUDIO_RTCP, "fd00::10", 5001, "2001:db8::7", 40001);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_SIP, &m), S_OK);
    MAPPING_IS(&m, RTCPT_SIP, "fd00::10", 5060, "2001:db8::7", 45060);
    memset(&m, 0x5a, sizeof(m));
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_VIDEO_RTP, &m), E_INVALIDARG);
    CU_ASSERT_EQUAL(memcmp(&m, &zero, sizeof(m)), 0);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, (RTC_PORT_TYPE)99, &m), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_mapping(session, RTCPT_AUDIO_RTP, &m), RTC_E_INVALID_SESSION_STATE);

    RELEASE_ALL(live_at_start, session, profile, pm, client);
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
