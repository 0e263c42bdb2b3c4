/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_media_sdp.c — codec negotiation from SDP (payload types, rtpmap, preference order,
 * directions, refusals, malformed text), the answer's media lines, the WAV reader/writer and
 * the test-hook file devices.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#include "media/audio_device.h"
#include "media/media_sdp.h"
#include "media/wav.h"

static HRESULT nego(const char *sdp, struct rtcpm_media_codecs *c)
{
    return rtcpm_media_sdp_negotiate(sdp, strlen(sdp), c);
}

#define HEAD "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"

static void test_static_and_dynamic(void)
{
    struct rtcpm_media_codecs c;
    /* what sipp's uac answers: PCMU, no telephone-event */
    CU_ASSERT_EQUAL(nego(HEAD "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n", &c), S_OK);
    CU_ASSERT_EQUAL(c.audio_pt, 0);
    CU_ASSERT_EQUAL(c.codec, RTCPM_MEDIA_PCMU);
    CU_ASSERT_EQUAL(c.dtmf_pt, -1);
    CU_ASSERT_EQUAL(c.ptime_ms, 20);
    CU_ASSERT_TRUE(c.send && c.receive);
    /* PCMA with telephone-event, static PT without rtpmap */
    CU_ASSERT_EQUAL(nego(HEAD "m=audio 6000 RTP/AVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\n"
                              "a=fmtp:101 0-15\r\na=ptime:30\r\n",
                         &c),
                    S_OK);
    CU_ASSERT_EQUAL(c.audio_pt, 8);
    CU_ASSERT_EQUAL(c.codec, RTCPM_MEDIA_PCMA);
    CU_ASSERT_EQUAL(c.dtmf_pt, 101);
    CU_ASSERT_EQUAL(c.ptime_ms, 30);
    /* dynamic payload types, names in any case, LF line ends */
    CU_ASSERT_EQUAL(nego("v=0\nm=audio 5 RTP/AVP 96 97\na=rtpmap:96 pcmu/8000\na=rtpmap:97 TELEPHONE-EVENT/8000\n", &c),
                    S_OK);
    CU_ASSERT_EQUAL(c.audio_pt, 96);
    CU_ASSERT_EQUAL(c.codec, RTCPM_MEDIA_PCMU);
    CU_ASSERT_EQUAL(c.dtmf_pt, 97);
}

static void test_preference_and_refusals(void)
{
    struct rtcpm_media_codecs c;
    CU_ASSERT_EQUAL(nego(HEAD "m=audio 5 RTP/AVP 18 8 0\r\n", &c), S_OK);
    CU_ASSERT_EQUAL(c.audio_pt, 8); /* the peer's order */
    CU_ASSERT_EQUAL(nego(HEAD "m=audio 5 RTP/AVP 18 4\r\n", &c), RTCPM_MEDIA_E_CODECS_NO_MATCH);
    CU_ASSERT_EQUAL(c.audio_pt, 0); /* the defaults on failure */
    CU_ASSERT_EQUAL(c.dtmf_pt, 101);
    CU_ASSERT_EQUAL(nego(HEAD "m=audio 0 RTP/AVP 0\r\n", &c), RTCPM_MEDIA_E_CODECS_NO_MATCH);
    CU_ASSERT_EQUAL(nego(HEAD "m=audio 5 RTP/SAVP 0\r\n", &c), RTCPM_MEDIA_E_CODECS_NO_MATCH);
    CU_ASSERT_EQUAL(nego(HEAD "m=video 5 RTP/AVP 34\r\n", &c), RTCPM_MEDIA_E_CODECS_NO_MATCH);
    CU_ASSERT_EQUAL(nego("", &c), RTCPM_MEDIA_E_CODECS_NO_MATCH);
    /* PCMU at another rate or in stereo is not ours; 0 remapped to it neither */
    CU_ASSERT_EQUAL(nego(HEAD "m=audio 5 RTP/AVP 0 96\r\na=rtpmap:0 PCMU/16000\r\na=rtpmap:96 PCMA/8000/2\r\n", &c),
                    RTCPM_MEDIA_E_CODECS_NO_MATCH);
    /* telephone-event alone is no audio codec */
    CU_ASSERT_EQUAL(nego(HEAD "m=audio 5 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n", &c),
                    RTCPM_MEDIA_E_CODECS_NO_MATCH);
    /* malformed */
    CU_ASSERT_EQUAL(nego(HEAD "m=audio x RTP/AVP 0\r\n", &c), E_INVALIDARG);
    CU_ASSERT_EQUAL(nego(HEAD "m=audio 5 RTP/AVP 0 128\r\n", &c), E_INVALIDARG);
    CU_ASSERT_EQUAL(nego(HEAD "m=audio 70000 RTP/AVP 0\r\n", &c), E_INVALIDARG);
    CU_ASSERT_EQUAL(nego(HEAD "m=audio 5\r\n", &c), E_INVALIDARG);
    CU_ASSERT_EQUAL(rtcpm_media_sdp_negotiate(NULL, 0, &c), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_media_sdp_negotiate("", 0, NULL), E_POINTER);
}

static void test_sections_and_directions(void)
{
    struct rtcpm_media_codecs c;
    /* a video section's attributes do not leak; a second audio stream does not count */
    CU_ASSERT_EQUAL(nego(HEAD "m=video 7 RTP/AVP 0\r\na=rtpmap:0 H261/90000\r\na=sendonly\r\n"
                              "m=audio 5 RTP/AVP 0\r\nm=audio 9 RTP/AVP 8\r\na=rtpmap:0 X/8000\r\n",
                         &c),
                    S_OK);
    CU_ASSERT_EQUAL(c.audio_pt, 0);
    CU_ASSERT_EQUAL(c.codec, RTCPM_MEDIA_PCMU);
    CU_ASSERT_TRUE(c.send && c.receive);
    /* the peer's direction, turned round; media level wins over session level */
    CU_ASSERT_EQUAL(nego(HEAD "a=sendonly\r\nm=audio 5 RTP/AVP 0\r\n", &c), S_OK);
    CU_ASSERT_TRUE(!c.send && c.receive);
    CU_ASSERT_EQUAL(nego(HEAD "a=sendonly\r\nm=audio 5 RTP/AVP 0\r\na=recvonly\r\n", &c), S_OK);
    CU_ASSERT_TRUE(c.send && !c.receive);
    CU_ASSERT_EQUAL(nego(HEAD "m=audio 5 RTP/AVP 0\r\na=inactive\r\n", &c), S_OK);
    CU_ASSERT_TRUE(!c.send && !c.receive);
    /* only the first len bytes count (the body need not be NUL-terminated) */
    const char *two = HEAD "m=audio 5 RTP/AVP 8\r\n";
    CU_ASSERT_EQUAL(rtcpm_media_sdp_negotiate(two, strlen(HEAD), &c), RTCPM_MEDIA_E_CODECS_NO_MATCH);
}

static void test_write_answer(void)
{
    char buf[300];
    struct rtcpm_media_codecs c = { 8, RTCPM_MEDIA_PCMA, 101, 20, 1, 1 };
    static const char want[] = "m=audio 4000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
                               "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";
    CU_ASSERT_EQUAL(rtcpm_media_sdp_write_answer(&c, 4000, buf, sizeof(buf)), (int)strlen(want));
    CU_ASSERT_STRING_EQUAL(buf, want);
    /* and it negotiates back to the same thing */
    struct rtcpm_media_codecs back;
    CU_ASSERT_EQUAL(rtcpm_media_sdp_negotiate(buf, strlen(buf), &back), S_OK);
    CU_ASSERT_EQUAL(back.audio_pt, 8);
    CU_ASSERT_EQUAL(back.dtmf_pt, 101);
    c.dtmf_pt = -1;
    c.send = 0;
    CU_ASSERT_TRUE(rtcpm_media_sdp_write_answer(&c, 4000, buf, sizeof(buf)) > 0);
    CU_ASSERT_STRING_EQUAL(buf, "m=audio 4000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=ptime:20\r\na=recvonly\r\n");
    CU_ASSERT_EQUAL(rtcpm_media_sdp_write_answer(&c, 4000, buf, 20), -1);
    CU_ASSERT_STRING_EQUAL(buf, "");
    c.codec = 3;
    CU_ASSERT_EQUAL(rtcpm_media_sdp_write_answer(&c, 4000, buf, sizeof(buf)), -1);
}

static void test_wav(void)
{
    uint8_t file[128];
    struct rtcpm_wav_info w;
    rtcpm_wav_header(file, 8);
    memset(file + 44, 0x11, 8);
    CU_ASSERT_EQUAL(rtcpm_wav_parse(file, 52, &w), 0);
    CU_ASSERT_EQUAL(w.data_offset, 44);
    CU_ASSERT_EQUAL(w.data_len, 8);
    CU_ASSERT_EQUAL(w.rate, 8000);
    CU_ASSERT_EQUAL(rtcpm_wav_parse(file, 48, &w), 0); /* a cut-off data chunk: what is there */
    CU_ASSERT_EQUAL(w.data_len, 4);
    /* an odd-sized LIST chunk before the data: skipped with its pad byte */
    uint8_t with_list[140];
    memcpy(with_list, file, 36);
    memcpy(with_list + 36, "LIST\x03\0\0\0abc\0", 12);
    memcpy(with_list + 48, file + 36, 16);
    CU_ASSERT_EQUAL(rtcpm_wav_parse(with_list, 64, &w), 0);
    CU_ASSERT_EQUAL(w.data_offset, 56);
    /* refusals */
    file[24] = 0x44, file[25] = 0xAC; /* 44100 Hz */
    CU_ASSERT_EQUAL(rtcpm_wav_parse(file, 52, &w), RTCPM_WAV_E_FORMAT);
    CU_ASSERT_EQUAL(w.rate, 44100);
    CU_ASSERT_EQUAL(rtcpm_wav_parse(file, 11, &w), RTCPM_WAV_E_NOT_WAV);
    CU_ASSERT_EQUAL(rtcpm_wav_parse(file, 36, &w), RTCPM_WAV_E_NO_DATA);
    CU_ASSERT_EQUAL(rtcpm_wav_parse(file, 30, &w), RTCPM_WAV_E_TRUNCATED);
    memcpy(file, "RIFX", 4);
    CU_ASSERT_EQUAL(rtcpm_wav_parse(file, 52, &w), RTCPM_WAV_E_NOT_WAV);
    CU_ASSERT_STRING_EQUAL(rtcpm_wav_error_text(RTCPM_WAV_E_FORMAT), "not 16-bit mono 8000 Hz PCM");
}

/* file:X records what is played; file:X as capture plays it back, then silence. */
static void round_trip(const char *path)
{
    rtcpm_audio_device *d = NULL;
    char why[200], name[300];
    int16_t pcm[480], got[160];
    for (int i = 0; i < 480; i++) pcm[i] = (int16_t)(i * 131 - 30000);
    snprintf(name, sizeof(name), "file:%s", path);
    CU_ASSERT_EQUAL_FATAL(rtcpm_audio_device_open(&d, RTCPM_AUDIO_PLAYBACK, name, why, sizeof(why)), S_OK);
    rtcpm_audio_device_write(d, pcm, 300);
    rtcpm_audio_device_write(d, pcm + 300, 180);
    rtcpm_audio_device_close(d);
    CU_ASSERT_EQUAL_FATAL(rtcpm_audio_device_open(&d, RTCPM_AUDIO_CAPTURE, name, why, sizeof(why)), S_OK);
    for (int f = 0; f < 3; f++)
    {
        CU_ASSERT_EQUAL(rtcpm_audio_device_read(d, got, 160), 160);
        CU_ASSERT_EQUAL(memcmp(got, pcm + 160 * f, sizeof(got)), 0);
    }
    CU_ASSERT_EQUAL(rtcpm_audio_device_read(d, got, 160), 160);
    CU_ASSERT_EQUAL(got[0], 0);
    CU_ASSERT_EQUAL(got[159], 0);
    rtcpm_audio_device_close(d);
    remove(path);
}

static void test_file_devices(void)
{
    rtcpm_audio_device *d = (void *)1;
    char why[200];
    round_trip("test_media_sdp_device.wav");
    round_trip("test_media_sdp_device.raw");
    CU_ASSERT_EQUAL(rtcpm_audio_device_open(&d, RTCPM_AUDIO_CAPTURE, "none", why, sizeof(why)), S_FALSE);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_EQUAL(rtcpm_audio_device_open(&d, RTCPM_AUDIO_CAPTURE, "file:no-such-file.wav", why, sizeof(why)),
                    RTCPM_MEDIA_E_NO_DEVICE);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "no-such-file.wav"));
    /* a file that is not 8 kHz mono 16-bit: refused, with the reason */
    FILE *f = fopen("test_media_sdp_bad.wav", "wb");
    uint8_t hdr[44];
    rtcpm_wav_header(hdr, 0);
    hdr[22] = 2; /* stereo */
    fwrite(hdr, 1, sizeof(hdr), f);
    fclose(f);
    CU_ASSERT_EQUAL(rtcpm_audio_device_open(&d, RTCPM_AUDIO_CAPTURE, "file:test_media_sdp_bad.wav", why, sizeof(why)),
                    RTCPM_MEDIA_E_NO_DEVICE);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "not 16-bit mono 8000 Hz PCM"));
    remove("test_media_sdp_bad.wav");
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "static_and_dynamic", test_static_and_dynamic },
        { "preference_and_refusals", test_preference_and_refusals },
        { "sections_and_directions", test_sections_and_directions },
        { "write_answer", test_write_answer },
        { "wav", test_wav },
        { "file_devices", test_file_devices },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("media_sdp", tests, argc, argv);
}
