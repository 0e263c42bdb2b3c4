/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_host_cpp.c — the C++ port manager of samples/cpp_port_manager.cpp driven by the C
 * host, and the samples' NAT flows (samples/nat_flows.c) run end to end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "release_all.h"
#include "sdp_offer.h"
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
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_session(client, profile, "sip:dave@example.org", "198.18.0.2", 0, 0, &s1),
                          S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_call(s1, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_session_pm_level(s1, &level), S_OK);
    CU_ASSERT_EQUAL(level, 3);
    CU_ASSERT_EQUAL(cpp_port_manager_outstanding(), 6);
    CU_ASSERT_EQUAL(rtcpm_host_session_contact(s1, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:carol@192.0.2.44:60041;transport=tcp>\r\n");
    CU_ASSERT_EQUAL(rtcpm_host_session_sdp(s1, 5, 6, text, sizeof(text)), S_OK);
    CU_ASSERT_STRING_EQUAL(text, SDP_HEAD("carol 5 6", "IP4 192.0.2.44") SDP_AUDIO("60000", "60010 IN IP4 192.0.2.44")
                                     SDP_VIDEO("60020", "60030 IN IP4 192.0.2.44"));

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

    RELEASE_ALL(live, profile, client, pm);
    CU_ASSERT_EQUAL(cpp_port_manager_instances(), 0);
}

static void test_cpp_pm_refuses_unknown(void)
{
    IRTCPortManager *pm;
    IRTCPortManager3 *pm3 = NULL;
    BSTR a = rtcpm_bstr_from_cstr("10.0.0.2"), e = rtcpm_bstr_from_cstr("192.0.2.44");

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

/* Runs a flow into a temporary file: it must return `result` and print each of the lines.
 * Returns what it printed (malloc'ed). */
#define RUN_FLOW(flow, pm, o, result, ...)                                                                             \
    run_flow(__LINE__, (flow), (pm), (o), (result), (const char *const[]){ __VA_ARGS__, NULL })
static char *run_flow(int line, int (*flow)(IRTCPortManager *, const struct nat_flow_options *), IRTCPortManager *pm,
                      struct nat_flow_options *o, int result, const char *const *lines)
{
    FILE *f = tmpfile();
    char *text;
    long n;
    int got;

    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    o->out = f;
    got = flow(pm, o);
    CU_assertImplementation(got == result, (unsigned)line, "the flow's result", __FILE__, "", CU_FALSE);
    n = ftell(f);
    rewind(f);
    text = calloc(1, (size_t)n + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_EQUAL(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    for (; *lines; lines++)
        CU_assertImplementation(strstr(text, *lines) != NULL, (unsigned)line, *lines, __FILE__, "", CU_FALSE);
    return text;
}

static void test_sample_flows(void)
{
    struct nat_flow_options o;
    IRTCPortManager *pm;
    char *text, *argv[] = { "x", "--video", "--answer", "[2001:db8::42]:7000", "--pm-version", "1", NULL };
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
    text =
        RUN_FLOW(nat_flow_outgoing_call, pm, &o, 1,
                 "200 OK: the answer puts audio at 2001:db8::42 port 7000 (video 2 above)\n"
                 "  -> E_INVALIDARG\n",
                 "    port manager: ReleaseMapping(internal 192.168.1.10:5060, external 203.0.113.7:62000) -> S_OK\n",
                 "outgoing call flow FAILED\n");
    CU_ASSERT_PTR_NULL(strstr(text, "UpdateRemoteAddress"));
    free(text);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    /* the same with an IPv4 answer */
    o.answer_address = "198.18.0.42";
    CU_ASSERT_EQUAL_FATAL(sample_pm_create(o.pm_version, "192.168.1.10", "203.0.113.7", &pm), S_OK);
    free(RUN_FLOW(nat_flow_outgoing_call, pm, &o, 0,
                  "    port manager: GetMapping(198.18.0.1, SIP) -> S_OK internal 192.168.1.10:5060 external "
                  "203.0.113.7:62000\n",
                  "    | Contact: <sip:alice@203.0.113.7:62000;transport=udp>\n", "    | m=video 62004 RTP/AVP 34\n",
                  "    port manager: UpdateRemoteAddress(198.18.0.42, internal 192.168.1.10:30002, external "
                  "203.0.113.7:62004) -> S_OK\n",
                  "    port manager: ReleaseMapping(internal 192.168.1.10:5060, external 203.0.113.7:62000) -> S_OK\n",
                  "outgoing call flow done\n"));
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);

    /* registration with the C++ port manager */
    CU_ASSERT_EQUAL_FATAL(cpp_port_manager_create("192.168.1.10", "203.0.113.8", &pm), S_OK);
    free(RUN_FLOW(nat_flow_registration, pm, &o, 0,
                  "GetMappingEx(198.18.0.1, 5060, UDP, SIP) -> S_OK internal 192.168.1.10:10040 external "
                  "203.0.113.8:60040\n",
                  "    | Contact: <sip:alice@203.0.113.8:60040;transport=udp>\n", "registration flow done\n"));
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(cpp_port_manager_outstanding(), 0);

    /* no port manager at all: RTC's own addresses */
    o.video = 0;
    text =
        RUN_FLOW(nat_flow_outgoing_call, NULL, &o, 0, "    | Contact: <sip:alice@192.168.1.10:1024;transport=udp>\n");
    CU_ASSERT_PTR_NULL(strstr(text, "    port manager: "));
    free(text);

    /* a profile the registrar address makes invalid: the flow reports failure */
    o.registrar = "registrar.example.com";
    CU_ASSERT_EQUAL_FATAL(sample_pm_create(3, "192.168.1.10", "203.0.113.7", &pm), S_OK);
    free(RUN_FLOW(nat_flow_registration, pm, &o, 1, "registration flow FAILED\n"));
    RELEASE_ALL(live, pm);
}

static CU_TestInfo tests[] = {
    { "cpp_pm_driven_by_host", test_cpp_pm_driven_by_host },
    { "cpp_pm_refuses_unknown", test_cpp_pm_refuses_unknown },
    { "sample_flows", test_sample_flows },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("host_cpp", tests, argc, argv); }
