/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_host_text.c — the Contact header and SDP offer text (src/host/sip_text), byte for byte.
 */
#include <string.h>
#include "harness.h"
#include "sip/sip_text.h"
#include "loopback.h"
#include "sdp_offer.h"

static void test_parse_uri(void)
{
    char user[SIP_TEXT_USER_MAX + 1];
    int secure = -1;

    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sip:alice@example.com", &secure, user, sizeof(user)), S_OK);
    CU_ASSERT_STRING_EQUAL(user, "alice");
    CU_ASSERT_EQUAL(secure, 0);
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sips:bob@example.com", &secure, user, sizeof(user)), S_OK);
    CU_ASSERT_STRING_EQUAL(user, "bob");
    CU_ASSERT_EQUAL(secure, 1);
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sip:example.com", &secure, user, sizeof(user)), S_OK);
    CU_ASSERT_STRING_EQUAL(user, "");
    /* RFC 3261 user characters, escapes included */
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sip:+1-555;phone-context=x%20y@example.com", &secure, user, sizeof(user)),
                    S_OK);
    CU_ASSERT_STRING_EQUAL(user, "+1-555;phone-context=x%20y");

    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("tel:+15551234", &secure, user, sizeof(user)), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("SIP:alice@example.com", &secure, user, sizeof(user)), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sip:", &secure, user, sizeof(user)), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sip:@example.com", &secure, user, sizeof(user)), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sip:al ice@example.com", &secure, user, sizeof(user)), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sip:alice\r\nVia: x@example.com", &secure, user, sizeof(user)),
                    E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sip:alice@exa mple.com", &secure, user, sizeof(user)), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sip:alice@example.com>", &secure, user, sizeof(user)), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sip:a%2@example.com", &secure, user, sizeof(user)), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sip:a%zz@example.com", &secure, user, sizeof(user)), E_INVALIDARG);
    CU_ASSERT_STRING_EQUAL(user, "");
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri("sip:alice@example.com", &secure, user, 5), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_parse_uri(NULL, &secure, user, sizeof(user)), E_POINTER);
}

static void test_contact(void)
{
    rtcpm_addr v4 = test_addr("198.51.100.7", 45060), v6 = test_addr("2001:db8::7", 45060),
               zoned = test_addr("fe80::1%3", 5060);
    rtcpm_addr noport = test_addr("198.51.100.7", 0);
    char buf[128];
    size_t n = 0;

    CU_ASSERT_EQUAL(rtcpm_sip_text_contact("alice", 0, &v4, RTCTR_UDP, buf, sizeof(buf), &n), S_OK);
    CU_ASSERT_STRING_EQUAL(buf, "Contact: <sip:alice@198.51.100.7:45060;transport=udp>\r\n");
    CU_ASSERT_EQUAL(n, strlen(buf));
    CU_ASSERT_EQUAL(rtcpm_sip_text_contact("alice", 0, &v6, RTCTR_TCP, buf, sizeof(buf), NULL), S_OK);
    CU_ASSERT_STRING_EQUAL(buf, "Contact: <sip:alice@[2001:db8::7]:45060;transport=tcp>\r\n");
    CU_ASSERT_EQUAL(rtcpm_sip_text_contact("alice", 0, &v4, RTCTR_TLS, buf, sizeof(buf), NULL), S_OK);
    CU_ASSERT_STRING_EQUAL(buf, "Contact: <sip:alice@198.51.100.7:45060;transport=tls>\r\n");
    CU_ASSERT_EQUAL(rtcpm_sip_text_contact("alice", 1, &v6, RTCTR_TLS, buf, sizeof(buf), NULL), S_OK);
    CU_ASSERT_STRING_EQUAL(buf, "Contact: <sips:alice@[2001:db8::7]:45060;transport=tcp>\r\n");
    CU_ASSERT_EQUAL(rtcpm_sip_text_contact("", 0, &v4, RTCTR_UDP, buf, sizeof(buf), NULL), S_OK);
    CU_ASSERT_STRING_EQUAL(buf, "Contact: <sip:198.51.100.7:45060;transport=udp>\r\n");
    CU_ASSERT_EQUAL(rtcpm_sip_text_contact(NULL, 0, &v4, RTCTR_UDP, buf, sizeof(buf), NULL), S_OK);
    CU_ASSERT_STRING_EQUAL(buf, "Contact: <sip:198.51.100.7:45060;transport=udp>\r\n");
    /* a zone means nothing to the peer */
    CU_ASSERT_EQUAL(rtcpm_sip_text_contact("alice", 0, &zoned, RTCTR_UDP, buf, sizeof(buf), NULL), S_OK);
    CU_ASSERT_STRING_EQUAL(buf, "Contact: <sip:alice@[fe80::1]:5060;transport=udp>\r\n");

    /* exactly long enough, one byte short */
    CU_ASSERT_EQUAL(rtcpm_sip_text_contact("alice", 0, &v4, RTCTR_UDP, buf, 56, &n), S_OK);
    CU_ASSERT_EQUAL(n, 55);
    CU_ASSERT_EQUAL(rtcpm_sip_text_contact("alice", 0, &v4, RTCTR_UDP, buf, 55, &n), SIP_TEXT_E_BUFFER);
    CU_ASSERT_STRING_EQUAL(buf, "");
    CU_ASSERT_EQUAL(n, 0);

    CU_ASSERT_EQUAL(rtcpm_sip_text_contact("alice", 0, &noport, RTCTR_UDP, buf, sizeof(buf), NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_contact("alice", 0, &v4, 3, buf, sizeof(buf), NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_contact("alice", 0, NULL, RTCTR_UDP, buf, sizeof(buf), NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_contact("alice", 0, &v4, RTCTR_UDP, NULL, 10, NULL), E_POINTER);
}

static void test_sdp_split_addresses(void)
{
    /* RTCP and video elsewhere than audio RTP: RFC 3605 address on a=rtcp, media-level c= */
    rtcpm_addr origin = test_addr("198.51.100.7", 0), art = test_addr("198.51.100.7", 40000);
    rtcpm_addr arc = test_addr("198.51.100.8", 41111), vrt = test_addr("2001:db8::9", 42000),
               vrc = test_addr("2001:db8::9", 42001);
    struct sip_text_sdp in;
    char buf[1024];
    size_t n = 0;

    memset(&in, 0, sizeof(in));
    in.user = "alice";
    in.session_id = 3;
    in.session_version = 4;
    in.origin = &origin;
    in.audio_rtp = &art;
    in.audio_rtcp = &arc;
    in.video_rtp = &vrt;
    in.video_rtcp = &vrc;
    CU_ASSERT_EQUAL(rtcpm_sip_text_sdp_offer(&in, buf, sizeof(buf), &n), S_OK);
    CU_ASSERT_STRING_EQUAL(buf,
                           SDP_HEAD("alice 3 4", "IP4 198.51.100.7") SDP_AUDIO("40000", "41111 IN IP4 198.51.100.8")
                           /* SDP_VIDEO with a media-level c= */
                           "m=video 42000 RTP/AVP 34\r\n"
                           "c=IN IP6 2001:db8::9\r\n"
                           "a=rtpmap:34 H263/90000\r\n"
                           "a=rtcp:42001 IN IP6 2001:db8::9\r\n");
    CU_ASSERT_EQUAL(n, strlen(buf));
    /* the buffer boundary */
    CU_ASSERT_EQUAL(rtcpm_sip_text_sdp_offer(&in, buf, n + 1, NULL), S_OK);
    CU_ASSERT_EQUAL(rtcpm_sip_text_sdp_offer(&in, buf, n, NULL), SIP_TEXT_E_BUFFER);
    CU_ASSERT_STRING_EQUAL(buf, "");

    /* no user: "-" */
    in.user = NULL;
    in.video_rtp = in.video_rtcp = NULL;
    CU_ASSERT_EQUAL(rtcpm_sip_text_sdp_offer(&in, buf, sizeof(buf), NULL), S_OK);
    CU_ASSERT_EQUAL(strncmp(buf, "v=0\r\no=- 3 4 IN IP4 198.51.100.7\r\n", 34), 0);
    CU_ASSERT_PTR_NULL(strstr(buf, "m=video"));

    /* refused inputs */
    in.user = "al ice";
    CU_ASSERT_EQUAL(rtcpm_sip_text_sdp_offer(&in, buf, sizeof(buf), NULL), E_INVALIDARG);
    in.user = "alice";
    in.video_rtp = &vrt; /* RTP without RTCP */
    CU_ASSERT_EQUAL(rtcpm_sip_text_sdp_offer(&in, buf, sizeof(buf), NULL), E_INVALIDARG);
    in.video_rtp = NULL;
    in.audio_rtp = &origin; /* no port */
    CU_ASSERT_EQUAL(rtcpm_sip_text_sdp_offer(&in, buf, sizeof(buf), NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_sdp_offer(NULL, buf, sizeof(buf), NULL), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_sip_text_sdp_offer(&in, NULL, 10, NULL), E_POINTER);
}

static void test_transport_names(void)
{
    CU_ASSERT_STRING_EQUAL(rtcpm_sip_text_transport_name(RTCTR_UDP), "UDP");
    CU_ASSERT_STRING_EQUAL(rtcpm_sip_text_transport_name(RTCTR_TCP), "TCP");
    CU_ASSERT_STRING_EQUAL(rtcpm_sip_text_transport_name(RTCTR_TLS), "TLS");
    CU_ASSERT_PTR_NULL(rtcpm_sip_text_transport_name(3));
}

static CU_TestInfo tests[] = {
    { "parse_uri", test_parse_uri },
    { "contact", test_contact },
    { "sdp_split_addresses", test_sdp_split_addresses },
    { "transport_names", test_transport_names },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("host_text", tests, argc, argv); }
