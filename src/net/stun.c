/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — STUN message codec. Wire format and validation rules are described in stun.h.
 */
#include "stun.h"

#include <string.h>

#define STUN_FAMILY_IPV4      0x01
#define STUN_FAMILY_IPV6      0x02
#define FINGERPRINT_ATTR_SIZE 8

/* ---- big-endian helpers ---- */

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static size_t padded(size_t len) { return (len + 3) & ~(size_t)3; }

/* ---- names ---- */

const char *rtcpm_stun_error_name(int err)
{
    switch (err)
    {
    case STUN_OK: return "STUN_OK";
    case STUN_DECODE_UNKNOWN_ATTRIBUTES: return "STUN_DECODE_UNKNOWN_ATTRIBUTES";
    case STUN_E_INVALID_ARG: return "STUN_E_INVALID_ARG";
    case STUN_E_BUFFER_TOO_SMALL: return "STUN_E_BUFFER_TOO_SMALL";
    case STUN_E_MESSAGE_TOO_LONG: return "STUN_E_MESSAGE_TOO_LONG";
    case STUN_E_TOO_SHORT: return "STUN_E_TOO_SHORT";
    case STUN_E_NOT_STUN: return "STUN_E_NOT_STUN";
    case STUN_E_LENGTH_NOT_ALIGNED: return "STUN_E_LENGTH_NOT_ALIGNED";
    case STUN_E_LENGTH_MISMATCH: return "STUN_E_LENGTH_MISMATCH";
    case STUN_E_ATTR_OVERRUN: return "STUN_E_ATTR_OVERRUN";
    case STUN_E_ATTR_LENGTH: return "STUN_E_ATTR_LENGTH";
    case STUN_E_ADDRESS_LENGTH: return "STUN_E_ADDRESS_LENGTH";
    case STUN_E_ADDRESS_FAMILY: return "STUN_E_ADDRESS_FAMILY";
    case STUN_E_FINGERPRINT_NOT_LAST: return "STUN_E_FINGERPRINT_NOT_LAST";
    case STUN_E_FINGERPRINT_MISMATCH: return "STUN_E_FINGERPRINT_MISMATCH";
    case STUN_E_ERROR_CODE_INVALID: return "STUN_E_ERROR_CODE_INVALID";
    case STUN_E_ERROR_CODE_MISSING: return "STUN_E_ERROR_CODE_MISSING";
    case STUN_E_REASON_TOO_LONG: return "STUN_E_REASON_TOO_LONG";
    case STUN_E_SOFTWARE_TOO_LONG: return "STUN_E_SOFTWARE_TOO_LONG";
    }
    return "STUN_E_?";
}

/* ---- transaction IDs and message types ---- */

static int txid_valid(const stun_txid *t)
{
    if (!t) return 0;
    if (t->len == 12) return 1;
    /* A 128-bit RFC 3489 ID must not look like cookie + 96-bit ID. */
    return t->len == 16 && get32(t->bytes) != STUN_MAGIC_COOKIE;
}

int rtcpm_stun_txid_init(stun_txid *txid, const uint8_t *bytes, size_t len)
{
    if (!txid) return STUN_E_INVALID_ARG;
    memset(txid, 0, sizeof *txid);
    if (!bytes || (len != 12 && len != 16)) return STUN_E_INVALID_ARG;
    memcpy(txid->bytes, bytes, len);
    txid->len = (uint8_t)len;
    if (!txid_valid(txid))
    {
        memset(txid, 0, sizeof *txid);
        return STUN_E_INVALID_ARG;
    }
    return STUN_OK;
}

int rtcpm_stun_txid_equal(const stun_txid *a, const stun_txid *b)
{
    if (!a || !b || a->len != b->len || a->len > sizeof a->bytes) return 0;
    return memcmp(a->bytes, b->bytes, a->len) == 0;
}

/* Type bits: 0 0 M11..M7 C1 M6..M4 C0 M3..M0. */
uint16_t rtcpm_stun_message_type(uint16_t method, stun_class message_class)
{
    unsigned m = method & 0x0fffu, c = (unsigned)message_class & 3u;
    return (uint16_t)((m & 0x000f) | (m & 0x0070) << 1 | (m & 0x0f80) << 2 | (c & 1) << 4 | (c & 2) << 7);
}

uint16_t rtcpm_stun_type_method(uint16_t type)
{
    return (uint16_t)((type & 0x000f) | (type & 0x00e0) >> 1 | (type & 0x3e00) >> 2);
}

stun_class rtcpm_stun_type_class(uint16_t type) { return (stun_class)((type >> 4 & 1) | (type >> 7 & 2)); }

/* ---- CRC-32 (reflected 0xEDB88320), a nibble at a time: a 16-entry const table ---- */

uint32_t rtcpm_stun_crc32(const uint8_t *data, size_t len)
{
    static const uint32_t nibble_table[16] = {
        0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
        0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu, 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
    };
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++)
    {
        crc ^= data[i];
        crc = (crc >> 4) ^ nibble_table[crc & 0x0f];
        crc = (crc >> 4) ^ nibble_table[crc & 0x0f];
    }
    return crc ^ 0xFFFFFFFFu;
}

/* ---- decoding ---- */

/* MAPPED-ADDRESS style value; when xor_key is set (header bytes 4..19) it is XOR'ed. */
static int decode_address(const uint8_t *v, size_t vlen, const uint8_t *xor_key, rtcpm_addr *out)
{
    if (vlen < 4) return STUN_E_ADDRESS_LENGTH;
    uint8_t family = v[1];
    uint16_t port = get16(v + 2);
    if (xor_key) port ^= get16(xor_key);

    if (family == STUN_FAMILY_IPV4)
    {
        if (vlen != 8) return STUN_E_ADDRESS_LENGTH;
        uint8_t bytes[4];
        for (int i = 0; i < 4; i++) bytes[i] = (uint8_t)(v[4 + i] ^ (xor_key ? xor_key[i] : 0));
        rtcpm_addr_set_v4(out, bytes, port);
        return STUN_OK;
    }
    if (family == STUN_FAMILY_IPV6)
    {
        if (vlen != 20) return STUN_E_ADDRESS_LENGTH;
        uint8_t bytes[16];
        for (int i = 0; i < 16; i++) bytes[i] = (uint8_t)(v[4 + i] ^ (xor_key ? xor_key[i] : 0));
        rtcpm_addr_set_v6(out, bytes, 0, port);
        return STUN_OK;
    }
    return STUN_E_ADDRESS_FAMILY;
}

/* Keeps the address when it outranks what we have (first occurrence wins a tie). */
struct ranked_address
{
    rtcpm_addr *addr;
    uint16_t *from;
    int rank;
};

static int take_address(struct ranked_address *slot, int rank, uint16_t type, const uint8_t *v, size_t vlen,
                        const uint8_t *xor_key)
{
    rtcpm_addr parsed;
    int rc = decode_address(v, vlen, xor_key, &parsed);
    if (rc != STUN_OK) return rc; /* every occurrence must be well formed, used or not */
    if (rank > slot->rank)
    {
        *slot->addr = parsed;
        if (slot->from) *slot->from = type;
        slot->rank = rank;
    }
    return STUN_OK;
}

static int decode_error_code(const uint8_t *v, size_t vlen, stun_message *out)
{
    if (vlen < 4) return STUN_E_ERROR_CODE_INVALID;
    int error_class = v[2] & 0x07; /* the 21 bits above are reserved */
    int number = v[3];
    if (error_class < 3 || error_class > 6 || number > 99) return STUN_E_ERROR_CODE_INVALID;
    if (vlen - 4 > STUN_TEXT_MAX) return STUN_E_REASON_TOO_LONG;
    if (out->error_code == 0)
    {
        out->error_code = error_class * 100 + number;
        out->error_reason_len = vlen - 4;
        memcpy(out->error_reason, v + 4, vlen - 4);
        out->error_reason[vlen - 4] = '\0';
    }
    return STUN_OK;
}

static int decode_software(const uint8_t *v, size_t vlen, stun_message *out)
{
    if (vlen > STUN_TEXT_MAX) return STUN_E_SOFTWARE_TOO_LONG;
    if (!out->has_software)
    {
        out->has_software = true;
        out->software_len = vlen;
        memcpy(out->software, v, vlen);
        out->software[vlen] = '\0';
    }
    return STUN_OK;
}

/* Comprehension-required types (< 0x8000) this decoder knows; all others are unknown. */
static int is_known_required(uint16_t type)
{
    switch (type)
    {
    case STUN_ATTR_MAPPED_ADDRESS:
    case STUN_ATTR_RESPONSE_ADDRESS:
    case STUN_ATTR_CHANGE_REQUEST:
    case STUN_ATTR_SOURCE_ADDRESS:
    case STUN_ATTR_CHANGED_ADDRESS:
    case STUN_ATTR_USERNAME:
    case STUN_ATTR_PASSWORD:
    case STUN_ATTR_MESSAGE_INTEGRITY:
    case STUN_ATTR_ERROR_CODE:
    case STUN_ATTR_UNKNOWN_ATTRIBUTES:
    case STUN_ATTR_REFLECTED_FROM:
    case STUN_ATTR_REALM:
    case STUN_ATTR_NONCE:
    case STUN_ATTR_MESSAGE_INTEGRITY_SHA256:
    case STUN_ATTR_PASSWORD_ALGORITHM:
    case STUN_ATTR_USERHASH:
    case STUN_ATTR_XOR_MAPPED_ADDRESS:
    case STUN_ATTR_PRIORITY:
    case STUN_ATTR_USE_CANDIDATE:
    case STUN_ATTR_PADDING:
    case STUN_ATTR_RESPONSE_PORT: return 1;
    default: return 0;
    }
}

static void note_unknown(stun_message *out, uint16_t type)
{
    for (size_t i = 0; i < out->unknown_count; i++)
        if (out->unknown_attributes[i] == type) return;
    if (out->unknown_count < STUN_MAX_UNKNOWN_ATTRIBUTES)
        out->unknown_attributes[out->unknown_count++] = type;
    else
        out->unknown_truncated = true;
}

struct decode_state
{
    struct ranked_address mapped, other, origin, alternate;
    bool after_integrity; /* past MESSAGE-INTEGRITY(-SHA256): only FINGERPRINT still counts */
};

static int decode_attribute(const uint8_t *msg, size_t pos, uint16_t type, const uint8_t *v, size_t vlen,
                            struct decode_state *st, stun_message *out)
{
    const uint8_t *xor_key = msg + 4;

    if (st->after_integrity && type != STUN_ATTR_MESSAGE_INTEGRITY_SHA256) return STUN_OK;

    switch (type)
    {
    case STUN_ATTR_XOR_MAPPED_ADDRESS: return take_address(&st->mapped, 3, type, v, vlen, xor_key);
    case STUN_ATTR_XOR_MAPPED_ADDRESS_OLD: return take_address(&st->mapped, 2, type, v, vlen, xor_key);
    case STUN_ATTR_MAPPED_ADDRESS: return take_address(&st->mapped, 1, type, v, vlen, NULL);
    case STUN_ATTR_OTHER_ADDRESS: return take_address(&st->other, 2, type, v, vlen, NULL);
    case STUN_ATTR_CHANGED_ADDRESS: return take_address(&st->other, 1, type, v, vlen, NULL);
    case STUN_ATTR_RESPONSE_ORIGIN: return take_address(&st->origin, 2, type, v, vlen, NULL);
    case STUN_ATTR_SOURCE_ADDRESS: return take_address(&st->origin, 1, type, v, vlen, NULL);
    case STUN_ATTR_ALTERNATE_SERVER: return take_address(&st->alternate, 1, type, v, vlen, NULL);
    case STUN_ATTR_ERROR_CODE: return decode_error_code(v, vlen, out);
    case STUN_ATTR_SOFTWARE: return decode_software(v, vlen, out);
    case STUN_ATTR_MESSAGE_INTEGRITY:
        if (vlen != 20) return STUN_E_ATTR_LENGTH;
        out->has_message_integrity = true;
        out->message_integrity_offset = pos;
        st->after_integrity = true;
        return STUN_OK;
    case STUN_ATTR_MESSAGE_INTEGRITY_SHA256:
        if (vlen < 16 || vlen > 32 || vlen % 4) return STUN_E_ATTR_LENGTH;
        if (!out->has_message_integrity_sha256)
        {
            out->has_message_integrity_sha256 = true;
            out->message_integrity_sha256_offset = pos;
        }
        st->after_integrity = true;
        return STUN_OK;
    default:
        if (type < 0x8000 && !is_known_required(type)) note_unknown(out, type);
        return STUN_OK; /* known but unused, or comprehension-optional */
    }
}

static int decode_message(const uint8_t *buf, size_t len, stun_message *out)
{
    if (len < STUN_HEADER_SIZE) return STUN_E_TOO_SHORT;
    uint16_t type = get16(buf);
    if (type & 0xC000) return STUN_E_NOT_STUN;
    size_t body_len = get16(buf + 2);
    if (body_len % 4) return STUN_E_LENGTH_NOT_ALIGNED;
    if (body_len != len - STUN_HEADER_SIZE) return STUN_E_LENGTH_MISMATCH;

    out->type = type;
    out->method = rtcpm_stun_type_method(type);
    out->message_class = rtcpm_stun_type_class(type);
    out->rfc5389 = get32(buf + 4) == STUN_MAGIC_COOKIE;
    out->txid.len = out->rfc5389 ? 12 : 16;
    memcpy(out->txid.bytes, buf + STUN_HEADER_SIZE - out->txid.len, out->txid.len);

    struct decode_state st = {
        .mapped = { &out->mapped, &out->mapped_from, 0 },
        .other = { &out->other_address, &out->other_address_from, 0 },
        .origin = { &out->response_origin, &out->response_origin_from, 0 },
        .alternate = { &out->alternate_server, NULL, 0 },
        .after_integrity = false,
    };

    size_t pos = STUN_HEADER_SIZE;
    while (pos < len)
    {
        if (len - pos < 4) return STUN_E_ATTR_OVERRUN; /* unreachable while len is 4-aligned; cheap insurance */
        uint16_t attr_type = get16(buf + pos);
        size_t vlen = get16(buf + pos + 2);
        if (padded(vlen) > len - pos - 4) return STUN_E_ATTR_OVERRUN;
        const uint8_t *value = buf + pos + 4;

        if (attr_type == STUN_ATTR_FINGERPRINT)
        {
            if (vlen != 4) return STUN_E_ATTR_LENGTH;
            if (pos + FINGERPRINT_ATTR_SIZE != len)
                return STUN_E_FINGERPRINT_NOT_LAST; /* so it is also the last iteration */
            if (get32(value) != (rtcpm_stun_crc32(buf, pos) ^ STUN_FINGERPRINT_XOR)) return STUN_E_FINGERPRINT_MISMATCH;
            out->has_fingerprint = true;
        }
        else
        {
            int rc = decode_attribute(buf, pos, attr_type, value, vlen, &st, out);
            if (rc != STUN_OK) return rc;
        }
        pos += 4 + padded(vlen);
    }

    if (out->message_class == STUN_CLASS_ERROR && out->error_code == 0) return STUN_E_ERROR_CODE_MISSING;
    return out->unknown_count ? STUN_DECODE_UNKNOWN_ATTRIBUTES : STUN_OK;
}

int rtcpm_stun_decode(const uint8_t *buf, size_t len, stun_message *out)
{
    if (!out) return STUN_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (!buf) return STUN_E_INVALID_ARG;
    int rc = decode_message(buf, len, out);
    if (rc < 0) memset(out, 0, sizeof *out); /* all or nothing */
    return rc;
}

/* ---- encoding ---- */

static int writer_fail(stun_writer *w, int err)
{
    if (w->error == STUN_OK) w->error = err;
    return w->error;
}

/* Reserves 4 + padded(vlen) bytes for an attribute and writes its header and padding;
 * returns a pointer to the value or NULL (error recorded). */
static uint8_t *writer_reserve(stun_writer *w, uint16_t attr_type, size_t vlen)
{
    if (w->error != STUN_OK) return NULL;
    if (w->finished)
    {
        writer_fail(w, STUN_E_INVALID_ARG);
        return NULL;
    }
    if (vlen > 0xFFFF || w->len - STUN_HEADER_SIZE + 4 + padded(vlen) > STUN_MAX_ATTRIBUTES_SIZE)
    {
        writer_fail(w, STUN_E_MESSAGE_TOO_LONG);
        return NULL;
    }
    size_t need = 4 + padded(vlen);
    if (need > w->cap - w->len)
    {
        writer_fail(w, STUN_E_BUFFER_TOO_SMALL);
        return NULL;
    }
    uint8_t *attr = w->buf + w->len;
    put16(attr, attr_type);
    put16(attr + 2, (uint16_t)vlen);
    memset(attr + 4 + vlen, 0, padded(vlen) - vlen);
    w->len += need;
    put16(w->buf + 2, (uint16_t)(w->len - STUN_HEADER_SIZE));
    return attr + 4;
}

int rtcpm_stun_writer_init(stun_writer *w, uint8_t *buf, size_t cap, uint16_t type, const stun_txid *txid)
{
    if (!w) return STUN_E_INVALID_ARG;
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = buf ? cap : 0;
    if (!buf || !txid_valid(txid)) return writer_fail(w, STUN_E_INVALID_ARG);
    if (cap < STUN_HEADER_SIZE) return writer_fail(w, STUN_E_BUFFER_TOO_SMALL);
    put16(buf, type);
    put16(buf + 2, 0);
    if (txid->len == 12)
    {
        put32(buf + 4, STUN_MAGIC_COOKIE);
        memcpy(buf + 8, txid->bytes, 12);
    }
    else
    {
        memcpy(buf + 4, txid->bytes, 16);
    }
    w->len = STUN_HEADER_SIZE;
    return STUN_OK;
}

int rtcpm_stun_writer_add(stun_writer *w, uint16_t attr_type, const void *value, size_t len)
{
    if (!w) return STUN_E_INVALID_ARG;
    if (!value && len) return writer_fail(w, STUN_E_INVALID_ARG);
    uint8_t *v = writer_reserve(w, attr_type, len);
    if (!v) return w->error;
    if (len) memcpy(v, value, len);
    return STUN_OK;
}

static int writer_add_address(stun_writer *w, uint16_t attr_type, const rtcpm_addr *a, int xored)
{
    if (!w) return STUN_E_INVALID_ARG;
    if (!a || (a->family != RTCPM_AF_INET && a->family != RTCPM_AF_INET6)) return writer_fail(w, STUN_E_INVALID_ARG);
    size_t addr_len = a->family == RTCPM_AF_INET ? 4 : 16;
    uint8_t *v = writer_reserve(w, attr_type, 4 + addr_len);
    if (!v) return w->error;
    const uint8_t *key = w->buf + 4; /* cookie (+ transaction ID), or the RFC 3489 ID */
    v[0] = 0;
    v[1] = a->family == RTCPM_AF_INET ? STUN_FAMILY_IPV4 : STUN_FAMILY_IPV6;
    put16(v + 2, (uint16_t)(a->port ^ (xored ? get16(key) : 0)));
    for (size_t i = 0; i < addr_len; i++) v[4 + i] = (uint8_t)(a->bytes[i] ^ (xored ? key[i] : 0));
    return STUN_OK;
}

int rtcpm_stun_writer_add_address(stun_writer *w, uint16_t attr_type, const rtcpm_addr *a)
{
    return writer_add_address(w, attr_type, a, 0);
}

int rtcpm_stun_writer_add_xor_address(stun_writer *w, uint16_t attr_type, const rtcpm_addr *a)
{
    return writer_add_address(w, attr_type, a, 1);
}

int rtcpm_stun_writer_add_software(stun_writer *w, const char *text, size_t len)
{
    if (!w) return STUN_E_INVALID_ARG;
    if (len > STUN_TEXT_MAX) return writer_fail(w, STUN_E_SOFTWARE_TOO_LONG);
    return rtcpm_stun_writer_add(w, STUN_ATTR_SOFTWARE, text, len);
}

int rtcpm_stun_writer_add_error_code(stun_writer *w, int code, const char *reason, size_t len)
{
    if (!w) return STUN_E_INVALID_ARG;
    if (code < 300 || code > 699) return writer_fail(w, STUN_E_ERROR_CODE_INVALID);
    if (len > STUN_TEXT_MAX) return writer_fail(w, STUN_E_REASON_TOO_LONG);
    if (!reason && len) return writer_fail(w, STUN_E_INVALID_ARG);
    uint8_t *v = writer_reserve(w, STUN_ATTR_ERROR_CODE, 4 + len);
    if (!v) return w->error;
    v[0] = 0;
    v[1] = 0;
    v[2] = (uint8_t)(code / 100);
    v[3] = (uint8_t)(code % 100);
    if (len) memcpy(v + 4, reason, len);
    return STUN_OK;
}

int rtcpm_stun_writer_finish(stun_writer *w, bool fingerprint)
{
    if (!w) return STUN_E_INVALID_ARG;
    if (w->error == STUN_OK && w->finished) writer_fail(w, STUN_E_INVALID_ARG);
    if (w->error == STUN_OK && fingerprint)
    {
        /* Reserving updates the length field to count the FINGERPRINT before the CRC. */
        size_t at = w->len;
        uint8_t *v = writer_reserve(w, STUN_ATTR_FINGERPRINT, 4);
        if (v) put32(v, rtcpm_stun_crc32(w->buf, at) ^ STUN_FINGERPRINT_XOR);
    }
    if (w->error != STUN_OK) return w->error;
    w->finished = true;
    return (int)w->len;
}

/* ---- whole messages ---- */

static void add_software_text(stun_writer *w, const char *software)
{
    if (software) rtcpm_stun_writer_add_software(w, software, strlen(software));
}

int rtcpm_stun_encode_binding_request(uint8_t *buf, size_t cap, const stun_txid *txid, const char *software,
                                      bool fingerprint)
{
    stun_writer w;
    rtcpm_stun_writer_init(&w, buf, cap, rtcpm_stun_message_type(STUN_METHOD_BINDING, STUN_CLASS_REQUEST), txid);
    add_software_text(&w, software);
    return rtcpm_stun_writer_finish(&w, fingerprint);
}

int rtcpm_stun_encode_binding_success(uint8_t *buf, size_t cap, const stun_txid *txid, const rtcpm_addr *mapped,
                                      unsigned mapped_encoding, const char *software, bool fingerprint)
{
    stun_writer w;
    rtcpm_stun_writer_init(&w, buf, cap, rtcpm_stun_message_type(STUN_METHOD_BINDING, STUN_CLASS_SUCCESS), txid);
    add_software_text(&w, software);
    if (mapped_encoding & ~(unsigned)(STUN_ENCODE_XOR_MAPPED | STUN_ENCODE_MAPPED)) writer_fail(&w, STUN_E_INVALID_ARG);
    if (mapped_encoding & STUN_ENCODE_XOR_MAPPED)
        rtcpm_stun_writer_add_xor_address(&w, STUN_ATTR_XOR_MAPPED_ADDRESS, mapped);
    if (mapped_encoding & STUN_ENCODE_MAPPED) rtcpm_stun_writer_add_address(&w, STUN_ATTR_MAPPED_ADDRESS, mapped);
    return rtcpm_stun_writer_finish(&w, fingerprint);
}

int rtcpm_stun_encode_binding_error(uint8_t *buf, size_t cap, const stun_txid *txid, int error_code, const char *reason,
                                    const char *software, bool fingerprint)
{
    stun_writer w;
    rtcpm_stun_writer_init(&w, buf, cap, rtcpm_stun_message_type(STUN_METHOD_BINDING, STUN_CLASS_ERROR), txid);
    add_software_text(&w, software);
    rtcpm_stun_writer_add_error_code(&w, error_code, reason, reason ? strlen(reason) : 0);
    return rtcpm_stun_writer_finish(&w, fingerprint);
}
