/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_stun_mutator.c — libFuzzer custom mutator for fuzz_stun (linked only with libFuzzer).
 *
 * Nearly every random mutation of a STUN datagram breaks the header length field or the
 * FINGERPRINT CRC, and rtcpm_stun_decode stops there: the attribute checks behind them would get
 * little of the fuzzing time. So half of the mutations are repaired afterwards: the size is
 * cut to a multiple of 4, the length field set to match, and a FINGERPRINT in last place gets
 * its CRC recomputed. The other half stay raw, so the header checks keep being fuzzed too.
 */
#include <stddef.h>
#include <stdint.h>

#include "net/stun.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    size = LLVMFuzzerMutate(data, size, max_size);
    if ((seed & 1) || size < STUN_HEADER_SIZE) return size;

    size &= ~(size_t)3;
    if (size - STUN_HEADER_SIZE > STUN_MAX_ATTRIBUTES_SIZE) size = STUN_HEADER_SIZE + STUN_MAX_ATTRIBUTES_SIZE;
    data[0] &= 0x3f; /* a STUN message type */
    put16(data + 2, (uint16_t)(size - STUN_HEADER_SIZE));

    size_t fp = size - 8;
    if (size >= STUN_HEADER_SIZE + 8 && data[fp] == 0x80 && data[fp + 1] == 0x28 && data[fp + 2] == 0 &&
        data[fp + 3] == 4)
    {
        uint32_t crc = rtcpm_stun_crc32(data, fp) ^ STUN_FINGERPRINT_XOR;
        put16(data + fp + 4, (uint16_t)(crc >> 16));
        put16(data + fp + 6, (uint16_t)crc);
    }
    return size;
}
