/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — STUN message codec: RFC 5389 / RFC 8489 messages and classic RFC 3489 ones.
 *
 * Pure C11 on byte buffers: no sockets, no clock, no randomness (the caller supplies the
 * transaction ID), no global state. The STUN port manager uses it as a client (Binding
 * request out, response in); the in-process test server uses the writer to answer, and to
 * answer wrongly on purpose.
 *
 * Two dialects, told apart by the 32 bits after the length field:
 *  - RFC 5389/8489: those bits are the magic cookie 0x2112A442, the transaction ID is the
 *    96 bits that follow (stun_txid.len == 12).
 *  - RFC 3489: no cookie, the transaction ID is the whole 128 bits (stun_txid.len == 16);
 *    servers answer with MAPPED-ADDRESS.
 * XOR'ed addresses are XOR'ed with header bytes 4..19 (port with bytes 4..5, IPv4 with
 * 4..7, IPv6 with 4..19). For RFC 5389 that is exactly "cookie, then cookie + transaction
 * ID"; for an RFC 3489 message it is what the pre-cookie drafts did with attribute 0x8020.
 *
 * Decoding is all-or-nothing: a malformed message gives a negative stun_error and a zeroed
 * stun_message. Text fields are copied out, so the message does not point into the buffer.
 */
#ifndef RTCPM_NET_STUN_H
#define RTCPM_NET_STUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#ifdef __cplusplus
extern "C" {
#endif

#define STUN_HEADER_SIZE            20
#define STUN_MAGIC_COOKIE           0x2112A442u
#define STUN_FINGERPRINT_XOR        0x5354554Eu
/* SOFTWARE and ERROR-CODE reason phrase: fewer than 128 characters, at most 763 bytes. */
#define STUN_TEXT_MAX               763
/* Largest attribute section the 16-bit length field can describe (multiple of 4). */
#define STUN_MAX_ATTRIBUTES_SIZE    65532u
/* Unknown comprehension-required attribute types kept by the decoder (the rest is counted
 * only through unknown_truncated). Eight is plenty for a 420 error response. */
#define STUN_MAX_UNKNOWN_ATTRIBUTES 8

typedef enum stun_class
{
    STUN_CLASS_REQUEST = 0,
    STUN_CLASS_INDICATION = 1,
    STUN_CLASS_SUCCESS = 2,
    STUN_CLASS_ERROR = 3
} stun_class;

enum stun_method
{
    STUN_METHOD_BINDING = 0x001
};

/* Attribute types the decoder knows (RFC 8489, RFC 3489, RFC 5780, RFC 8445). Types below
 * 0x8000 are comprehension-required; one not in this list is reported as unknown. */
enum stun_attribute_type
{
    STUN_ATTR_MAPPED_ADDRESS = 0x0001,
    STUN_ATTR_RESPONSE_ADDRESS = 0x0002, /* RFC 3489 */
    STUN_ATTR_CHANGE_REQUEST = 0x0003,   /* RFC 3489, RFC 5780 */
    STUN_ATTR_SOURCE_ADDRESS = 0x0004,   /* RFC 3489 */
    STUN_ATTR_CHANGED_ADDRESS = 0x0005,  /* RFC 3489 */
    STUN_ATTR_USERNAME = 0x0006,
    STUN_ATTR_PASSWORD = 0x0007, /* RFC 3489 */
    STUN_ATTR_MESSAGE_INTEGRITY = 0x0008,
    STUN_ATTR_ERROR_CODE = 0x0009,
    STUN_ATTR_UNKNOWN_ATTRIBUTES = 0x000A,
    STUN_ATTR_REFLECTED_FROM = 0x000B, /* RFC 3489 */
    STUN_ATTR_REALM = 0x0014,
    STUN_ATTR_NONCE = 0x0015,
    STUN_ATTR_MESSAGE_INTEGRITY_SHA256 = 0x001C,
    STUN_ATTR_PASSWORD_ALGORITHM = 0x001D,
    STUN_ATTR_USERHASH = 0x001E,
    STUN_ATTR_XOR_MAPPED_ADDRESS = 0x0020,
    STUN_ATTR_PRIORITY = 0x0024,      /* ICE */
    STUN_ATTR_USE_CANDIDATE = 0x0025, /* ICE */
    STUN_ATTR_PADDING = 0x0026,       /* RFC 5780 */
    STUN_ATTR_RESPONSE_PORT = 0x0027, /* RFC 5780 */
    STUN_ATTR_PASSWORD_ALGORITHMS = 0x8002,
    STUN_ATTR_ALTERNATE_DOMAIN = 0x8003,
    STUN_ATTR_XOR_MAPPED_ADDRESS_OLD = 0x8020, /* pre-RFC 5389 drafts */
    STUN_ATTR_SOFTWARE = 0x8022,
    STUN_ATTR_ALTERNATE_SERVER = 0x8023,
    STUN_ATTR_FINGERPRINT = 0x8028,
    STUN_ATTR_ICE_CONTROLLED = 0x8029,  /* ICE */
    STUN_ATTR_ICE_CONTROLLING = 0x802A, /* ICE */
    STUN_ATTR_RESPONSE_ORIGIN = 0x802B, /* RFC 5780 */
    STUN_ATTR_OTHER_ADDRESS = 0x802C    /* RFC 5780 */
};

/* Results: 0 success, 1 decoded-but-unknown-attributes, negative errors. */
typedef enum stun_error
{
    STUN_OK = 0,
    /* rtcpm_stun_decode filled the message, but it carries comprehension-required attributes we
     * do not know (listed in unknown_attributes). RFC 8489 section 7.3: a request gets a 420
     * error response, a response fails the transaction. */
    STUN_DECODE_UNKNOWN_ATTRIBUTES = 1,

    STUN_E_INVALID_ARG = -1,        /* NULL pointer, bad transaction ID, writer misuse */
    STUN_E_BUFFER_TOO_SMALL = -2,   /* encoder: output buffer too small */
    STUN_E_MESSAGE_TOO_LONG = -3,   /* encoder: attributes beyond 65532 bytes */
    STUN_E_TOO_SHORT = -4,          /* fewer than 20 bytes */
    STUN_E_NOT_STUN = -5,           /* top two bits of the message type not zero */
    STUN_E_LENGTH_NOT_ALIGNED = -6, /* length field not a multiple of 4 */
    STUN_E_LENGTH_MISMATCH = -7,    /* length field != datagram length - 20 */
    STUN_E_ATTR_OVERRUN = -8,       /* an attribute (with padding) runs past the end */
    STUN_E_ATTR_LENGTH = -9,        /* fixed-size attribute (FINGERPRINT, MESSAGE-INTEGRITY,
                                         MESSAGE-INTEGRITY-SHA256) with the wrong length */
    STUN_E_ADDRESS_LENGTH = -10,    /* address attribute length wrong for its family */
    STUN_E_ADDRESS_FAMILY = -11,    /* address family neither 0x01 nor 0x02 */
    STUN_E_FINGERPRINT_NOT_LAST = -12,
    STUN_E_FINGERPRINT_MISMATCH = -13,
    STUN_E_ERROR_CODE_INVALID = -14, /* shorter than 4 bytes, class not 3..6, number > 99 */
    STUN_E_ERROR_CODE_MISSING = -15, /* error response without ERROR-CODE */
    STUN_E_REASON_TOO_LONG = -16,    /* reason phrase over 763 bytes */
    STUN_E_SOFTWARE_TOO_LONG = -17   /* SOFTWARE over 763 bytes */
} stun_error;

/* "STUN_E_TOO_SHORT" etc.; "STUN_E_?" for a value outside the enum. */
const char *rtcpm_stun_error_name(int err);

/* Transaction ID: 12 bytes after the cookie (RFC 5389), or all 16 bytes (RFC 3489). */
typedef struct stun_txid
{
    uint8_t bytes[16];
    uint8_t len; /* 12 or 16 */
} stun_txid;

/* Fills *txid from 12 bytes (RFC 5389) or 16 bytes (RFC 3489). A 16-byte ID that starts
 * with the magic cookie is refused (STUN_E_INVALID_ARG): peers would read it as RFC 5389. */
int rtcpm_stun_txid_init(stun_txid *txid, const uint8_t *bytes, size_t len);

/* 1 when both have the same length and bytes, else 0 (NULLs are never equal). */
int rtcpm_stun_txid_equal(const stun_txid *a, const stun_txid *b);

/* Message type <-> method and class (RFC 8489 section 5 bit interleaving). */
uint16_t rtcpm_stun_message_type(uint16_t method, stun_class message_class);
uint16_t rtcpm_stun_type_method(uint16_t type);
stun_class rtcpm_stun_type_class(uint16_t type);

/* CRC-32 of ISO 3309 / ITU-T V.42 (the zlib one): reflected 0x04C11DB7, init and final
 * XOR 0xFFFFFFFF. FINGERPRINT is rtcpm_stun_crc32(message up to the attribute) ^ 0x5354554E. */
uint32_t rtcpm_stun_crc32(const uint8_t *data, size_t len);

/* ---- decoding ---- */

typedef struct stun_message
{
    uint16_t type;   /* raw message type */
    uint16_t method; /* 12-bit method, STUN_METHOD_BINDING = 1 */
    stun_class message_class;
    bool rfc5389; /* magic cookie present; false = RFC 3489 */
    stun_txid txid;

    /* The reflexive address. Taken from XOR-MAPPED-ADDRESS (0x0020), else the old 0x8020,
     * else MAPPED-ADDRESS; the first occurrence of the best one. mapped_from is the
     * attribute type it came from, 0 (and family RTCPM_AF_NONE) when there is none. */
    rtcpm_addr mapped;
    uint16_t mapped_from;
    /* RFC 5780 OTHER-ADDRESS, else RFC 3489 CHANGED-ADDRESS. */
    rtcpm_addr other_address;
    uint16_t other_address_from;
    /* RFC 5780 RESPONSE-ORIGIN, else RFC 3489 SOURCE-ADDRESS. */
    rtcpm_addr response_origin;
    uint16_t response_origin_from;
    /* ALTERNATE-SERVER (with a 300 Try Alternate). */
    rtcpm_addr alternate_server;

    int error_code; /* class * 100 + number (300..699); 0 when absent */
    size_t error_reason_len;
    char error_reason[STUN_TEXT_MAX + 1]; /* NUL-terminated copy */

    bool has_software;
    size_t software_len;
    char software[STUN_TEXT_MAX + 1]; /* NUL-terminated copy */

    /* MESSAGE-INTEGRITY is not checked here (no key); its offset lets a caller that has
     * the key run the HMAC over buf[0 .. offset) with the length field adjusted. */
    bool has_message_integrity;
    size_t message_integrity_offset;
    bool has_message_integrity_sha256;
    size_t message_integrity_sha256_offset;
    bool has_fingerprint; /* present, last, and correct */

    /* Unknown comprehension-required attribute types, in order, without duplicates. */
    size_t unknown_count;
    uint16_t unknown_attributes[STUN_MAX_UNKNOWN_ATTRIBUTES];
    bool unknown_truncated; /* more than STUN_MAX_UNKNOWN_ATTRIBUTES distinct ones */
} stun_message;

/*
 * Decodes one whole datagram. Checks: len >= 20; top two type bits zero; length field a
 * multiple of 4 and exactly len - 20; every attribute inside the message with its padding
 * to 4 bytes (padding bytes may hold anything); FINGERPRINT, if present, 4 bytes long, last
 * and correct; address attributes of family 0x01 with length 8 or 0x02 with length 20;
 * ERROR-CODE well formed and present in error responses; SOFTWARE and reason <= 763 bytes.
 * Attributes after MESSAGE-INTEGRITY(-SHA256), other than FINGERPRINT and
 * MESSAGE-INTEGRITY-SHA256, are bounds-checked but otherwise ignored (RFC 8489 14.5).
 * Unknown comprehension-optional attributes (>= 0x8000) are ignored.
 * Returns STUN_OK, STUN_DECODE_UNKNOWN_ATTRIBUTES (message filled), or a negative
 * stun_error with *out zeroed.
 */
int rtcpm_stun_decode(const uint8_t *buf, size_t len, stun_message *out);

/* ---- encoding ---- */

/*
 * A writer appends attributes to a message in a caller-provided buffer, keeping the
 * length field current. Errors are sticky: after the first failure every call returns it
 * and rtcpm_stun_writer_finish reports it, so a sequence of adds needs one check at the end.
 * Padding is written as zero bytes.
 */
typedef struct stun_writer
{
    uint8_t *buf;
    size_t cap;
    size_t len;
    int error;
    bool finished;
} stun_writer;

/* Starts a message of the given raw type (see rtcpm_stun_message_type; any 16-bit value is
 * written as is, so a test server can send malformed types). */
int rtcpm_stun_writer_init(stun_writer *w, uint8_t *buf, size_t cap, uint16_t type, const stun_txid *txid);
/* Any attribute, value copied verbatim then padded. */
int rtcpm_stun_writer_add(stun_writer *w, uint16_t attr_type, const void *value, size_t len);
/* MAPPED-ADDRESS style value (also for OTHER-ADDRESS, RESPONSE-ORIGIN, ...). */
int rtcpm_stun_writer_add_address(stun_writer *w, uint16_t attr_type, const rtcpm_addr *a);
/* XOR-MAPPED-ADDRESS style value (XOR'ed with header bytes 4..19). */
int rtcpm_stun_writer_add_xor_address(stun_writer *w, uint16_t attr_type, const rtcpm_addr *a);
/* SOFTWARE, at most STUN_TEXT_MAX bytes. */
int rtcpm_stun_writer_add_software(stun_writer *w, const char *text, size_t len);
/* ERROR-CODE with code 300..699 and a reason of at most STUN_TEXT_MAX bytes. */
int rtcpm_stun_writer_add_error_code(stun_writer *w, int code, const char *reason, size_t len);
/* Optionally appends FINGERPRINT (length field counting it first), then returns the total
 * message length, or the first error. No add is accepted afterwards. */
int rtcpm_stun_writer_finish(stun_writer *w, bool fingerprint);

/*
 * Whole messages. software: NUL-terminated, NULL for none. Each returns the message length
 * or a negative stun_error. A 16-byte txid gives an RFC 3489 message (no cookie).
 */
int rtcpm_stun_encode_binding_request(uint8_t *buf, size_t cap, const stun_txid *txid, const char *software,
                                      bool fingerprint);

/* Which address attributes a success response carries (both may be set). */
enum stun_mapped_encoding
{
    STUN_ENCODE_XOR_MAPPED = 1, /* XOR-MAPPED-ADDRESS 0x0020 */
    STUN_ENCODE_MAPPED = 2      /* MAPPED-ADDRESS 0x0001, what RFC 3489 clients read */
};

/* Binding success: SOFTWARE, then XOR-MAPPED-ADDRESS and/or MAPPED-ADDRESS (mapped must
 * carry the port), then FINGERPRINT — the attribute order of RFC 5769. */
int rtcpm_stun_encode_binding_success(uint8_t *buf, size_t cap, const stun_txid *txid, const rtcpm_addr *mapped,
                                      unsigned mapped_encoding, const char *software, bool fingerprint);

/* Binding error response: SOFTWARE, ERROR-CODE (reason NUL-terminated, NULL = empty),
 * FINGERPRINT. */
int rtcpm_stun_encode_binding_error(uint8_t *buf, size_t cap, const stun_txid *txid, int error_code, const char *reason,
                                    const char *software, bool fingerprint);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_NET_STUN_H */
