/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_media_sdp.c — codec negotiation (rtcpm_media_sdp_negotiate) on arbitrary bytes, and
 * the answer writer on what it negotiated.
 *
 * Beyond "no crash, no read past the input" (an exact-size heap block, no NUL terminator):
 *  - the result is S_OK, E_INVALIDARG or RTCPM_MEDIA_E_CODECS_NO_MATCH; on failure the codecs
 *    are the defaults (PCMU, telephone-event 101, sendrecv);
 *  - on success the audio PT is 0..127 with codec PCMU or PCMA, the telephone-event PT -1 or
 *    0..127 and never the audio PT;
 *  - the answer written for it negotiates back to the same payload types and codec, with the
 *    directions swapped (our send is the peer's receive);
 *  - the same input gives the same result twice.
 */
#include <string.h>

#include "fuzz_check.h"
#include "media/media_sdp.h"

static int same(const struct rtcpm_media_codecs *a, const struct rtcpm_media_codecs *b)
{
    return a->audio_pt == b->audio_pt && a->codec == b->codec && a->dtmf_pt == b->dtmf_pt &&
           a->ptime_ms == b->ptime_ms && a->send == b->send && a->receive == b->receive;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rtcpm_media_codecs c, again, back;
    struct rtcpm_media_config defaults;
    char answer[512];
    char *text = fuzz_alloc(size);
    if (size) memcpy(text, data, size);
    rtcpm_media_config_init(&defaults);

    HRESULT hr = rtcpm_media_sdp_negotiate(text, size, &c);
    FUZZ_CHECK(rtcpm_media_sdp_negotiate(text, size, &again) == hr && same(&c, &again));
    if (FAILED(hr))
    {
        FUZZ_CHECK(hr == E_INVALIDARG || hr == RTCPM_MEDIA_E_CODECS_NO_MATCH);
        FUZZ_CHECK(same(&c, &defaults.codecs));
        free(text);
        return 0;
    }
    FUZZ_CHECK(hr == S_OK);
    FUZZ_CHECK(c.audio_pt >= 0 && c.audio_pt <= 127);
    FUZZ_CHECK(c.codec == RTCPM_MEDIA_PCMU || c.codec == RTCPM_MEDIA_PCMA);
    FUZZ_CHECK(c.dtmf_pt == -1 || (c.dtmf_pt >= 0 && c.dtmf_pt <= 127 && c.dtmf_pt != c.audio_pt));
    FUZZ_CHECK(c.send == 0 || c.send == 1);
    FUZZ_CHECK(c.receive == 0 || c.receive == 1);

    int n = rtcpm_media_sdp_write_answer(&c, 4000, answer, sizeof(answer));
    FUZZ_CHECK(n > 0 && (size_t)n == strlen(answer));
    FUZZ_CHECK(rtcpm_media_sdp_negotiate(answer, (size_t)n, &back) == S_OK);
    FUZZ_CHECK(back.audio_pt == c.audio_pt && back.codec == c.codec && back.dtmf_pt == c.dtmf_pt);
    FUZZ_CHECK(back.send == c.receive && back.receive == c.send);
    free(text);
    return 0;
}
