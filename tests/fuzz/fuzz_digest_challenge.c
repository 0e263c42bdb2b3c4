/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_digest_challenge.c — rtcpm_digest_parse_challenge (src/sip/digest.c) on arbitrary
 * bytes, and the Authorization answer written from what it accepted.
 *
 * Beyond "no crash, no read past the input":
 *  - a failure is a known code and a zeroed challenge;
 *  - a success has a nonce, and realm/nonce/opaque are NUL-terminated within their arrays;
 *  - the answer (qop=auth when offered) is written for any challenge without control
 *    characters, exactly as long as *written says, and it reads back: the text after
 *    "Authorization: " parses as a digest parameter list with the same realm and nonce
 *    (quoting and escaping are each other's inverse), and its response= is the one
 *    rtcpm_digest_response computes.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_check.h"
#include "sip/digest.h"

static int all_zero(const struct rtcpm_digest_challenge *c)
{
    static const struct rtcpm_digest_challenge zero;
    return !memcmp(c, &zero, sizeof(zero));
}

static int has_controls(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return 1;
    return 0;
}

static void check_answer(const struct rtcpm_digest_challenge *c)
{
    static const char prefix[] = "Authorization: ";
    struct rtcpm_digest_answer a = { 0, "us\"er\\", "pw", "REGISTER", "sip:example.com", 7, "0a4f113b" };
    struct rtcpm_digest_challenge back;
    char line[4096], response[33], want[64];
    size_t n;
    int rc = rtcpm_digest_authorization(c, &a, line, sizeof(line), &n);
    if (has_controls(c->realm) || has_controls(c->nonce) || has_controls(c->opaque))
    {
        FUZZ_CHECK(rc == RTCPM_DIGEST_E_INVALID);
        return;
    }
    FUZZ_CHECK(rc == RTCPM_DIGEST_OK && n == strlen(line));
    FUZZ_CHECK(!strncmp(line, prefix, sizeof(prefix) - 1));
    FUZZ_CHECK(rtcpm_digest_parse_challenge(line + sizeof(prefix) - 1, n - sizeof(prefix) + 1, &back) ==
               RTCPM_DIGEST_OK);
    FUZZ_CHECK(!strcmp(back.realm, c->realm) && !strcmp(back.nonce, c->nonce));
    FUZZ_CHECK(rtcpm_digest_response(c, &a, response) == RTCPM_DIGEST_OK);
    /* the parameter itself, not a realm or nonce that happens to hold ", response=\"" */
    snprintf(want, sizeof(want), ", response=\"%s\", algorithm=", response);
    FUZZ_CHECK(strstr(line, want) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rtcpm_digest_challenge c;
    int rc = rtcpm_digest_parse_challenge((const char *)data, size, &c);
    if (rc != RTCPM_DIGEST_OK)
    {
        FUZZ_CHECK(strcmp(rtcpm_digest_error_name(rc), "RTCPM_DIGEST_E_?") != 0);
        FUZZ_CHECK(all_zero(&c));
        return 0;
    }
    FUZZ_CHECK(c.nonce[0]);
    FUZZ_CHECK(memchr(c.realm, 0, sizeof(c.realm)) && memchr(c.nonce, 0, sizeof(c.nonce)) &&
               memchr(c.opaque, 0, sizeof(c.opaque)));
    check_answer(&c);
    return 0;
}
