/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * heap_usage_glibc.c — heap_usage.h with glibc's mallinfo2(): uordblks (allocated bytes in
 * every arena) + hblkhd (chunks glibc mmapped for large requests, such as a table's arrays).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include "heap_usage.h"

size_t heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

int heap_usage_available(char *why, size_t len)
{
    long long before = (long long)heap_in_use(), big_seen, small_seen;
    void *big = malloc(4u << 20), *small;
    big_seen = (long long)heap_in_use() - before;
    small = malloc(64u << 10);
    small_seen = (long long)heap_in_use() - before - big_seen;
    free(small);
    free(big);
    if (big && small && big_seen >= (4ll << 20) && small_seen >= (64ll << 10)) return 1;
    snprintf(why, len,
             "mallinfo2 does not see this process's allocations (a 4 MiB block showed as %lld bytes, "
             "64 KiB as %lld): malloc is not glibc's here (a sanitizer or valgrind replaces it)",
             big_seen, small_seen);
    return 0;
}
