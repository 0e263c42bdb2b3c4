/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_check.h — what every fuzz target shares.
 *
 * A target is one LLVMFuzzerTestOneInput() per parser. It is linked two ways: with libFuzzer
 * (preset fuzz) and with replay_main.c (every native preset), so the same checks run on the
 * seed corpus and the kept regressions under gcc, -m32, ASan, TSan and valgrind.
 * FUZZ_CHECK aborts: libFuzzer turns that into a crash with the input saved, the replay
 * program into a failed test.
 */
#ifndef RTCPM_TESTS_FUZZ_CHECK_H
#define RTCPM_TESTS_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                                               \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
        {                                                                                                              \
            fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond);                              \
            abort();                                                                                                   \
        }                                                                                                              \
    } while (0)

/* malloc that never returns NULL (a fuzz target has nothing sensible to do without memory). */
static inline void *fuzz_alloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
    {
        fprintf(stderr, "fuzz: out of memory (%zu bytes)\n", size);
        abort();
    }
    return p;
}

#endif
