/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * release_all.h — the end of a test that made COM objects:
 *
 *   RELEASE_ALL(live, session, profile, pm, client);
 *
 * releases each object once, in the order given, and asserts that each Release returned 0
 * (it was the last reference), then that rtcpm_live_objects() is back to `live`. A failure
 * names the caller's line and which object kept a reference.
 */
#ifndef RTCPM_TESTS_RELEASE_ALL_H
#define RTCPM_TESTS_RELEASE_ALL_H

#include <stdio.h>
#include "harness.h"

#define RELEASE_ALL(live, ...)                                                                                         \
    release_all_at(__FILE__, __LINE__, #__VA_ARGS__, (live), (void *[]){ __VA_ARGS__ },                                \
                   sizeof((void *[]){ __VA_ARGS__ }) / sizeof(void *))

static inline void release_all_at(const char *file, int line, const char *names, LONG live, void *const *objects,
                                  size_t n)
{
    char msg[256];
    size_t i;

    for (i = 0; i < n; i++)
    {
        IUnknown *unk = objects[i];
        ULONG left = unk->lpVtbl->Release(unk);
        snprintf(msg, sizeof(msg), "RELEASE_ALL(%s): object %u still has %lu references", names, (unsigned)i + 1,
                 (unsigned long)left);
        CU_assertImplementation(left == 0, (unsigned)line, msg, file, "", CU_FALSE);
    }
    snprintf(msg, sizeof(msg), "RELEASE_ALL(%s): %ld rtcpm objects alive, %ld expected", names,
             (long)rtcpm_live_objects(), (long)live);
    CU_assertImplementation(rtcpm_live_objects() == live, (unsigned)line, msg, file, "", CU_FALSE);
}

#endif
