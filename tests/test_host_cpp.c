/*
 * test_host_cpp.c — the C++ port manager of samples/cpp_port_manager.cpp driven by the C
 * host, and the samples' NAT flows (samples/nat_flows.c) run end to end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "cpp_port_manager.h"
#include "nat_flows.h"
#include "sample_pm.h"
#include "com/bstr_util.h"

static void test_cpp_pm_driven_by_host(void)
{
    IRTCClientPortManagement *client;
    IRTCProfilePortManagement *profile;
    IRTCSessionPortManagement *s1, *s2;
    IRTCPortManager *pm;
    char text[1024];
    LONG level = 0;
    LONG live = rtcpm_live_objects();

    CU_ASSERT_EQUAL_FATAL(cpp_port_manager_create("10.0.0.2", "192.0.2.44", &pm), S_OK);
    CU_ASSERT_EQUAL(cpp_port_manager_instances(), 1);
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_client("10.0.0.2", &client), S_OK);
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(client, "sip:carol@example.org", "198.18.0.1", 0, RTCTR_TCP, &profile), S_OK);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
    CU_ASSERT_EQUAL(cpp_port_manager_outstanding(), 1);
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:carol@192.0.2.44:60040;transport=tcp>\r\n");

    /* a video call through the profile's port manager: the C++ object's answers, its level */
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_session(client, profile, "sip:dave@example.org", "198.18.0.2", 0, 0, &s1), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(s1, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_pm_level(s1, &level), S_OK);
    CU_ASSERT_EQUAL(level, 3);
    CU_ASSERT_EQUAL(cpp_port_manager_outstanding(), 6);
    CU_ASSERT_EQUAL(rtcpm_host_session_contact(s1, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:carol@192.0.2.44:60041;transport=tcp>\r\n");
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(s1, 5, 6, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text,
                           "v=0\r\n"
                           "o=carol 5 6 IN IP4 192.0.2.44\r\n"
                           "s=-\r\n"
                           "c=IN IP4 192.0.2.44\r\n"
                           "t=0 0\r\n"
                           "m=audio 60000 RTP/AVP 0 8 101\r\n"
                           "a=rtpmap:0 PCMU/8000\r\n"
                           "a=rtpmap:8 PCMA/8000\r\n"
                           "a=rtpmap:101 telephone-event/8000\r\n"
                           "a=fmtp:101 0-15\r\n"
                           "a=rtcp:60010 IN IP4 192.0.2.44\r\n"
                           "m=video 60020 RTP/AVP 34\r\n"
                           "a=rtpmap:34 H263/90000\r\n"
                           "a=rtcp:60030 IN IP4 192.0.2.44\r\n");

    /* a second call at the same time: the C++ port manager hands out the next ports */
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_session(client, NULL, "sip:erin@example.org", "198.18.0.3", 0, RTCTR_UDP, &s2), S_OK);
    CU_ASSERT_EQUAL(s2->lpVtbl->SetPortManager(s2, pm), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(s2, RTCPM_HOST_MEDIA_AUDIO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(s2, 1, 1, text, sizeof(text)), S_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "m=audio 60001 RTP/AVP 0 8 101\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "a=rtcp:60011 IN IP4 192.0.2.44\r\n"));
    CU_ASSERT_EQUAL(cpp_port_manager_outstanding(), 9);

    /* it knows its mappings: an update of one it handed out works */
    CU_ASSERT_EQUAL(rtcpm_host_session_update_remote(s2, RTCPM_HOST_STREAM_AUDIO, "198.18.0.9", 40000, 0), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(s1), S_OK);
    CU_ASSERT_EQUAL(cpp_port_manager_outstanding(), 4);
    CU_ASSERT_EQUAL(s2->lpVtbl->Release(s2), 0); /* hangs up */
    CU_ASSERT_EQUAL(cpp_port_manager_outstanding(), 1);
    CU_ASSERT_EQUAL(s1->lpVtbl->Release(s1), 0);
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(profile), S_OK);
    CU_ASSERT_EQUAL(cpp_port_manager_outstanding(), 0);

    CU_ASSERT_EQUAL(profile->lpVtbl->Release(profile), 0);
    CU_ASSERT_EQUAL(client->lpVtbl->Release(client), 0);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(cpp_port_manager_instances(), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
}

static void test_cpp_pm_refuses_unknown(void)
{
    IRTCPortManager *pm;
    IRTCPortManager3 *pm3 = NULL;
    BSTR a = bstr_from_cstr("10.0.0.2"), e = bstr_from_cstr("192.0.2.44");

    CU_ASSERT_EQUAL_FATAL(cpp_port_manager_create("10.0.0.2", "192.0.2.44", &pm), S_OK);
    CU_ASSERT_EQUAL_FATAL(pm->lpVtbl->QueryInterface(pm, &IID_IRTCPortManager3, (void **)&pm3), S_OK);
    CU_ASSERT_EQUAL(pm3->lpVtbl->ReleaseMappingEx(pm3, RTCTR_UDP, a, 10000, e, 60000), E_INVALIDARG);
    CU_ASSERT_EQUAL(pm3->lpVtbl->UpdateRemoteAddressEx2(pm3, a, 1, RTCTR_UDP, a, 10000, e, 60000), E_INVALIDARG);
    CU_ASSERT_EQUAL(pm3->lpVtbl->GetMappingEx(pm3, a, 1, RTCTR_UDP, RTCPT_SIP, NULL, NULL, NULL, NULL), E_POINTER);
    pm3->lpVtbl->Release(pm3);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    SysFreeString(a);
    SysFreeString(e);
    CU_ASSERT_EQUAL(cpp_port_manager_outstanding(), 0);
}

/* Runs a flow into a temporary file and returns what it printed (malloc'ed). */
static char *run_flow(int (*flow)(IRTCPortManager *, const struct nat_flow_options *), IRTCPortManager *pm,
                      struct nat_flow_options *o, int *result)
{
    FILE *f = tmpfile();
    char *text;
    long n;

    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    o->out = f;
    *result = flow(pm, o);
    n = ftell(f);
    rewind(f);
    text = calloc(1, (size_t)n + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_EQUAL(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return text;
}

static void test_sample_flows(void)
{
    struct nat_flow_options o;
    IRTCPortManager *pm;
    char *text, *argv[] = { "x", "--video", "--answer", "[2001:db8::42]:7000", "--pm-version", "1", NULL };
    int result = -1;
    LONG live = rtcpm_live_objects();

    nat_flow_defaults(&o);
    CU_ASSERT_EQUAL(nat_flow_parse_args(&o, 6, argv, "x", "test"), 0);
    CU_ASSERT_EQUAL(o.video, 1);
    CU_ASSERT_EQUAL(o.pm_version, 1);
    CU_ASSERT_STRING_EQUAL(o.answer_address, "2001:db8::42");
    CU_ASSERT_EQUAL(o.answer_port, 7000);

    /* the outgoing call with an RTC 1.3 sample port manager: an IPv4 call, whose IPv6 answer
     * the host refuses before the port manager hears of it (the mappings are still released) */
    CU_ASSERT_EQUAL_FATAL(sample_pm_create(o.pm_version, "192.168.1.10", "203.0.113.7", &pm), S_OK);
    text = run_flow(nat_flow_outgoing_call, pm, &o, &result);
    CU_ASSERT_NOT_EQUAL(result, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "200 OK: the answer puts audio at 2001:db8::42 port 7000 (video 2 above)\n"
                                        "  -> E_INVALIDARG\n"));
    CU_ASSERT_PTR_NULL(strstr(text, "UpdateRemoteAddress"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "    port manager: ReleaseMapping(internal 192.168.1.10:5060, external "
                                        "203.0.113.7:62000) -> S_OK\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "outgoing call flow FAILED\n"));
    free(text);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    /* the same with an IPv4 answer */
    o.answer_address = "198.18.0.42";
    CU_ASSERT_EQUAL_FATAL(sample_pm_create(o.pm_version, "192.168.1.10", "203.0.113.7", &pm), S_OK);
    text = run_flow(nat_flow_outgoing_call, pm, &o, &result);
    CU_ASSERT_EQUAL(result, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "    port manager: GetMapping(198.18.0.1, SIP) -> S_OK internal "
                                        "192.168.1.10:5060 external 203.0.113.7:62000\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "    | Contact: <sip:alice@203.0.113.7:62000;transport=udp>\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "    | m=video 62004 RTP/AVP 34\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "    port manager: UpdateRemoteAddress(198.18.0.42, internal "
                                        "192.168.1.10:30002, external 203.0.113.7:62004) -> S_OK\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "    port manager: ReleaseMapping(internal 192.168.1.10:5060, external "
                                        "203.0.113.7:62000) -> S_OK\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "outgoing call flow done\n"));
    free(text);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);

    /* registration with the C++ port manager */
    CU_ASSERT_EQUAL_FATAL(cpp_port_manager_create("192.168.1.10", "203.0.113.8", &pm), S_OK);
    text = run_flow(nat_flow_registration, pm, &o, &result);
    CU_ASSERT_EQUAL(result, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "GetMappingEx(198.18.0.1, 5060, UDP, SIP) -> S_OK internal "
                                        "192.168.1.10:10040 external 203.0.113.8:60040\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "    | Contact: <sip:alice@203.0.113.8:60040;transport=udp>\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "registration flow done\n"));
    free(text);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(cpp_port_manager_outstanding(), 0);

    /* no port manager at all: RTC's own addresses */
    o.video = 0;
    text = run_flow(nat_flow_outgoing_call, NULL, &o, &result);
    CU_ASSERT_EQUAL(result, 0);
    CU_ASSERT_PTR_NULL(strstr(text, "    port manager: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "    | Contact: <sip:alice@192.168.1.10:1024;transport=udp>\n"));
    free(text);

    /* a profile the registrar address makes invalid: the flow reports failure */
    o.registrar = "registrar.example.com";
    CU_ASSERT_EQUAL_FATAL(sample_pm_create(3, "192.168.1.10", "203.0.113.7", &pm), S_OK);
    text = run_flow(nat_flow_registration, pm, &o, &result);
    CU_ASSERT_EQUAL(result, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "registration flow FAILED\n"));
    free(text);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
}

static CU_TestInfo tests[] = {
    { "cpp_pm_driven_by_host", test_cpp_pm_driven_by_host },
    { "cpp_pm_refuses_unknown", test_cpp_pm_refuses_unknown },
    { "sample_flows", test_sample_flows },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("host_cpp", tests, argc, argv); }
