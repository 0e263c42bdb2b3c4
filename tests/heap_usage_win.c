/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * heap_usage_win.c — heap_usage.h with the CRT's _heapwalk(): the sizes of the blocks in use
 * on the heap malloc draws from (msvcrt's, under Windows and Wine).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include "heap_usage.h"

size_t heap_in_use(void)
{
    _HEAPINFO info;
    size_t used = 0;
    info._pentry = NULL;
    while (_heapwalk(&info) == _HEAPOK)
        if (info._useflag == _USEDENTRY) used += info._size;
    return used;
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
    snprintf(why, len, "_heapwalk does not see the CRT heap's blocks (4 MiB showed as %ld bytes, 64 KiB as %ld)",
             (long)big_seen, (long)small_seen);
    return 0;
}
