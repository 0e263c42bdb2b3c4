/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_wav.c — the WAV reader of the test-hook capture device (rtcpm_wav_parse) on arbitrary
 * bytes.
 *
 * Beyond "no crash, no read past the input" (an exact-size heap block):
 *  - the result is one of the rtcpm_wav_error values, with a text for it;
 *  - on success the format is the one accepted (PCM, mono, 8000 Hz, 16-bit) and the samples
 *    lie inside the file: data_offset + data_len <= size, data_len even;
 *  - the samples copied under a header of our own (rtcpm_wav_header) parse back to exactly
 *    those samples.
 */
#include <string.h>

#include "fuzz_check.h"
#include "media/wav.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rtcpm_wav_info w, again;
    uint8_t *copy = fuzz_alloc(size);
    if (size) memcpy(copy, data, size);
    int rc = rtcpm_wav_parse(copy, size, &w);
    FUZZ_CHECK(rc <= 0 && rc >= RTCPM_WAV_E_TRUNCATED);
    FUZZ_CHECK(strcmp(rtcpm_wav_error_text(rc), "unknown WAV error") != 0);
    if (rc == 0)
    {
        FUZZ_CHECK(w.format == 1 && w.channels == 1 && w.rate == 8000 && w.bits == 16);
        FUZZ_CHECK(w.data_offset <= size && w.data_len <= size - w.data_offset && w.data_len % 2 == 0);
        uint8_t *own = fuzz_alloc(44 + w.data_len);
        rtcpm_wav_header(own, (uint32_t)w.data_len);
        if (w.data_len) memcpy(own + 44, copy + w.data_offset, w.data_len);
        FUZZ_CHECK(rtcpm_wav_parse(own, 44 + w.data_len, &again) == 0);
        FUZZ_CHECK(again.data_offset == 44 && again.data_len == w.data_len);
        free(own);
    }
    free(copy);
    return 0;
}
