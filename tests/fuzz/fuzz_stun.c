/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_stun.c — rtcpm_stun_decode on arbitrary datagrams.
 *
 * Beyond "no crash, no read past the datagram" (the input is an exact-size heap block):
 *  - a failure returns a known negative stun_error and a zeroed message;
 *  - a success agrees with the header bytes (type, method/class, cookie, transaction ID,
 *    FINGERPRINT) and keeps the documented field ranges; decoding twice gives the same bytes;
 *  - re-encode: what was decoded (type, transaction ID, SOFTWARE, ERROR-CODE, the chosen
 *    address of each kind under the attribute type it came from, unknown comprehension-
 *    required types, FINGERPRINT or not) written again with stun_writer decodes to the same
 *    message; the writer needs exactly that many bytes (one less: STUN_E_BUFFER_TOO_SMALL);
 *  - for Binding messages, the whole-message encoders (request, success, error) fed with
 *    the decoded values produce messages that decode to those values.
 */
#include <string.h>

#include "fuzz_check.h"
#include "net/stun.h"

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

static int text_equal(size_t alen, const char *a, size_t blen, const char *b)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

/* An address slot: set exactly when its "from" type is, and with a type of its kind. */
static void check_slot(const rtcpm_addr *a, uint16_t from, const uint16_t *types, size_t ntypes)
{
    if (!from)
    {
        FUZZ_CHECK(a->family == RTCPM_AF_NONE);
        return;
    }
    int known = 0;
    for (size_t i = 0; i < ntypes; i++) known |= from == types[i];
    FUZZ_CHECK(known);
    FUZZ_CHECK(a->family == RTCPM_AF_INET || a->family == RTCPM_AF_INET6);
    FUZZ_CHECK(a->scope_id == 0); /* the wire has no zones */
}

static void check_decoded(const uint8_t *data, size_t size, const stun_message *m, int rc)
{
    FUZZ_CHECK(size >= STUN_HEADER_SIZE && size % 4 == 0);
    FUZZ_CHECK(get16(data + 2) == size - STUN_HEADER_SIZE);
    FUZZ_CHECK(m->type == get16(data) && (m->type & 0xC000) == 0);
    FUZZ_CHECK(m->method == rtcpm_stun_type_method(m->type));
    FUZZ_CHECK(m->message_class == rtcpm_stun_type_class(m->type));
    FUZZ_CHECK(rtcpm_stun_message_type(m->method, m->message_class) == m->type);
    FUZZ_CHECK(m->rfc5389 == (get32(data + 4) == STUN_MAGIC_COOKIE));
    FUZZ_CHECK(m->txid.len == (m->rfc5389 ? 12 : 16));
    FUZZ_CHECK(memcmp(m->txid.bytes, data + STUN_HEADER_SIZE - m->txid.len, m->txid.len) == 0);

    static const uint16_t mapped_types[] = { STUN_ATTR_XOR_MAPPED_ADDRESS, STUN_ATTR_XOR_MAPPED_ADDRESS_OLD,
                                             STUN_ATTR_MAPPED_ADDRESS };
    static const uint16_t other_types[] = { STUN_ATTR_OTHER_ADDRESS, STUN_ATTR_CHANGED_ADDRESS };
    static const uint16_t origin_types[] = { STUN_ATTR_RESPONSE_ORIGIN, STUN_ATTR_SOURCE_ADDRESS };
    check_slot(&m->mapped, m->mapped_from, mapped_types, 3);
    check_slot(&m->other_address, m->other_address_from, other_types, 2);
    check_slot(&m->response_origin, m->response_origin_from, origin_types, 2);
    if (m->alternate_server.family != RTCPM_AF_NONE)
        check_slot(&m->alternate_server, STUN_ATTR_ALTERNATE_SERVER, (const uint16_t[]){ STUN_ATTR_ALTERNATE_SERVER },
                   1);

    if (m->error_code)
    {
        FUZZ_CHECK(m->error_code >= 300 && m->error_code <= 699);
        FUZZ_CHECK(m->error_reason_len <= STUN_TEXT_MAX && m->error_reason[m->error_reason_len] == 0);
    }
    else
    {
        FUZZ_CHECK(m->error_reason_len == 0);
        FUZZ_CHECK(m->message_class != STUN_CLASS_ERROR);
    }
    if (m->has_software)
        FUZZ_CHECK(m->software_len <= STUN_TEXT_MAX && m->software[m->software_len] == 0);
    else
        FUZZ_CHECK(m->software_len == 0);

    if (m->has_message_integrity)
    {
        size_t at = m->message_integrity_offset;
        FUZZ_CHECK(at >= STUN_HEADER_SIZE && at + 24 <= size);
        FUZZ_CHECK(get16(data + at) == STUN_ATTR_MESSAGE_INTEGRITY && get16(data + at + 2) == 20);
    }
    if (m->has_message_integrity_sha256)
    {
        size_t at = m->message_integrity_sha256_offset;
        FUZZ_CHECK(at >= STUN_HEADER_SIZE && at + 4 + 16 <= size);
        FUZZ_CHECK(get16(data + at) == STUN_ATTR_MESSAGE_INTEGRITY_SHA256);
    }
    if (m->has_fingerprint)
    {
        FUZZ_CHECK(size >= STUN_HEADER_SIZE + 8);
        FUZZ_CHECK(get16(data + size - 8) == STUN_ATTR_FINGERPRINT && get16(data + size - 6) == 4);
        FUZZ_CHECK(get32(data + size - 4) == (rtcpm_stun_crc32(data, size - 8) ^ STUN_FINGERPRINT_XOR));
    }

    FUZZ_CHECK((rc == STUN_DECODE_UNKNOWN_ATTRIBUTES) == (m->unknown_count > 0));
    FUZZ_CHECK(m->unknown_count <= STUN_MAX_UNKNOWN_ATTRIBUTES);
    FUZZ_CHECK(!m->unknown_truncated || m->unknown_count == STUN_MAX_UNKNOWN_ATTRIBUTES);
    for (size_t i = 0; i < m->unknown_count; i++)
    {
        FUZZ_CHECK(m->unknown_attributes[i] < 0x8000);
        for (size_t j = 0; j < i; j++) FUZZ_CHECK(m->unknown_attributes[i] != m->unknown_attributes[j]);
    }
}

/* Writes the decoded content of m again. Returns the length or a negative stun_error. */
static int reencode(const stun_message *m, uint8_t *buf, size_t cap)
{
    stun_writer w;
    rtcpm_stun_writer_init(&w, buf, cap, m->type, &m->txid);
    if (m->has_software) rtcpm_stun_writer_add_software(&w, m->software, m->software_len);
    if (m->error_code) rtcpm_stun_writer_add_error_code(&w, m->error_code, m->error_reason, m->error_reason_len);
    if (m->mapped_from == STUN_ATTR_MAPPED_ADDRESS)
        rtcpm_stun_writer_add_address(&w, m->mapped_from, &m->mapped);
    else if (m->mapped_from)
        rtcpm_stun_writer_add_xor_address(&w, m->mapped_from, &m->mapped);
    if (m->other_address_from) rtcpm_stun_writer_add_address(&w, m->other_address_from, &m->other_address);
    if (m->response_origin_from) rtcpm_stun_writer_add_address(&w, m->response_origin_from, &m->response_origin);
    if (m->alternate_server.family != RTCPM_AF_NONE)
        rtcpm_stun_writer_add_address(&w, STUN_ATTR_ALTERNATE_SERVER, &m->alternate_server);
    for (size_t i = 0; i < m->unknown_count; i++) rtcpm_stun_writer_add(&w, m->unknown_attributes[i], NULL, 0);
    return rtcpm_stun_writer_finish(&w, m->has_fingerprint);
}

/* What decoding the re-encoded message must give back. */
static void check_same_content(const stun_message *m, const stun_message *r)
{
    FUZZ_CHECK(r->type == m->type && r->method == m->method);
    FUZZ_CHECK(r->message_class == m->message_class && r->rfc5389 == m->rfc5389);
    FUZZ_CHECK(rtcpm_stun_txid_equal(&r->txid, &m->txid));
    FUZZ_CHECK(r->mapped_from == m->mapped_from && rtcpm_addr_equal(&r->mapped, &m->mapped));
    FUZZ_CHECK(r->other_address_from == m->other_address_from &&
               rtcpm_addr_equal(&r->other_address, &m->other_address));
    FUZZ_CHECK(r->response_origin_from == m->response_origin_from &&
               rtcpm_addr_equal(&r->response_origin, &m->response_origin));
    FUZZ_CHECK(rtcpm_addr_equal(&r->alternate_server, &m->alternate_server));
    FUZZ_CHECK(r->error_code == m->error_code);
    FUZZ_CHECK(text_equal(r->error_reason_len, r->error_reason, m->error_reason_len, m->error_reason));
    FUZZ_CHECK(r->has_software == m->has_software);
    FUZZ_CHECK(text_equal(r->software_len, r->software, m->software_len, m->software));
    FUZZ_CHECK(r->unknown_count == m->unknown_count && !r->unknown_truncated);
    FUZZ_CHECK(
        memcmp(r->unknown_attributes, m->unknown_attributes, m->unknown_count * sizeof m->unknown_attributes[0]) == 0);
    FUZZ_CHECK(r->has_fingerprint == m->has_fingerprint);
    FUZZ_CHECK(!r->has_message_integrity && !r->has_message_integrity_sha256);
}

static void check_reencode(const stun_message *m, int rc)
{
    enum
    {
        CAP = STUN_HEADER_SIZE + 4096
    }; /* text 2 x 767, addresses 4 x 24, 8 unknowns, FP */
    uint8_t big[CAP];
    int len = reencode(m, big, sizeof big);
    if (len < 0) fprintf(stderr, "fuzz_stun: re-encoding failed: %s\n", rtcpm_stun_error_name(len));
    FUZZ_CHECK(len >= STUN_HEADER_SIZE && len % 4 == 0);

    /* Exactly len bytes suffice, len - 1 do not (heap blocks: ASan sees any overrun). */
    uint8_t *exact = fuzz_alloc((size_t)len);
    FUZZ_CHECK(reencode(m, exact, (size_t)len) == len);
    FUZZ_CHECK(memcmp(exact, big, (size_t)len) == 0);
    uint8_t *short_buf = fuzz_alloc((size_t)len - 1);
    FUZZ_CHECK(reencode(m, short_buf, (size_t)len - 1) == STUN_E_BUFFER_TOO_SMALL);
    free(short_buf);

    stun_message *r = fuzz_alloc(sizeof *r);
    int rrc = rtcpm_stun_decode(exact, (size_t)len, r);
    if (rrc != rc)
        fprintf(stderr, "fuzz_stun: re-encoded message decodes to %s, not %s\n", rtcpm_stun_error_name(rrc),
                rtcpm_stun_error_name(rc));
    FUZZ_CHECK(rrc == rc);
    check_decoded(exact, (size_t)len, r, rrc);
    check_same_content(m, r);
    free(r);
    free(exact);
}

/* The whole-message encoders take NUL-terminated text: only for text without a NUL. */
static const char *as_c_text(const char *text, size_t len) { return strlen(text) == len ? text : NULL; }

static void check_binding_encoders(const stun_message *m)
{
    if (m->method != STUN_METHOD_BINDING) return;
    const char *software = m->has_software ? as_c_text(m->software, m->software_len) : NULL;
    uint8_t buf[STUN_HEADER_SIZE + 2048];
    stun_message *r = fuzz_alloc(sizeof *r);
    int len = -1;

    switch (m->message_class)
    {
    case STUN_CLASS_REQUEST:
        len = rtcpm_stun_encode_binding_request(buf, sizeof buf, &m->txid, software, m->has_fingerprint);
        break;
    case STUN_CLASS_SUCCESS:
        if (m->mapped.family == RTCPM_AF_NONE) goto done;
        len = rtcpm_stun_encode_binding_success(buf, sizeof buf, &m->txid, &m->mapped,
                                                STUN_ENCODE_XOR_MAPPED | STUN_ENCODE_MAPPED, software,
                                                m->has_fingerprint);
        break;
    case STUN_CLASS_ERROR:
    {
        const char *reason = as_c_text(m->error_reason, m->error_reason_len);
        if (!reason) goto done;
        len = rtcpm_stun_encode_binding_error(buf, sizeof buf, &m->txid, m->error_code, reason, software,
                                              m->has_fingerprint);
        break;
    }
    default: goto done;
    }
    if (len < 0) fprintf(stderr, "fuzz_stun: Binding encoder failed: %s\n", rtcpm_stun_error_name(len));
    FUZZ_CHECK(len >= STUN_HEADER_SIZE);
    FUZZ_CHECK(rtcpm_stun_decode(buf, (size_t)len, r) == STUN_OK);
    check_decoded(buf, (size_t)len, r, STUN_OK);
    FUZZ_CHECK(r->method == STUN_METHOD_BINDING && r->message_class == m->message_class);
    FUZZ_CHECK(rtcpm_stun_txid_equal(&r->txid, &m->txid));
    FUZZ_CHECK(r->has_fingerprint == m->has_fingerprint);
    FUZZ_CHECK(r->has_software == (software != NULL));
    if (software) FUZZ_CHECK(text_equal(r->software_len, r->software, m->software_len, m->software));
    if (m->message_class == STUN_CLASS_SUCCESS)
    {
        FUZZ_CHECK(r->mapped_from == STUN_ATTR_XOR_MAPPED_ADDRESS);
        FUZZ_CHECK(rtcpm_addr_equal(&r->mapped, &m->mapped));
    }
    if (m->message_class == STUN_CLASS_ERROR)
    {
        FUZZ_CHECK(r->error_code == m->error_code);
        FUZZ_CHECK(text_equal(r->error_reason_len, r->error_reason, m->error_reason_len, m->error_reason));
    }
done:
    free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stun_message *m = fuzz_alloc(sizeof *m);
    int rc = rtcpm_stun_decode(data, size, m);

    if (rc < 0)
    {
        FUZZ_CHECK(strcmp(rtcpm_stun_error_name(rc), "STUN_E_?") != 0);
        FUZZ_CHECK(rc != STUN_E_INVALID_ARG && rc != STUN_E_BUFFER_TOO_SMALL && rc != STUN_E_MESSAGE_TOO_LONG);
        FUZZ_CHECK(all_zero(m, sizeof *m));
        free(m);
        return 0;
    }
    FUZZ_CHECK(rc == STUN_OK || rc == STUN_DECODE_UNKNOWN_ATTRIBUTES);
    check_decoded(data, size, m, rc);

    stun_message *again = fuzz_alloc(sizeof *again);
    FUZZ_CHECK(rtcpm_stun_decode(data, size, again) == rc);
    FUZZ_CHECK(memcmp(m, again, sizeof *m) == 0);
    free(again);

    check_reencode(m, rc);
    check_binding_encoders(m);
    free(m);
    return 0;
}
