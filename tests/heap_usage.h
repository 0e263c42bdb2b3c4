/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * heap_usage.h — bytes the C heap has handed out, for tests that check what a data structure
 * really costs (not only what it computes about itself). One implementation is linked per
 * target: heap_usage_glibc.c (mallinfo2: arenas + mmapped chunks) or heap_usage_win.c
 * (_heapwalk over the CRT heap, as Wine's msvcrt and Windows' have it).
 */
#ifndef RTCPM_TESTS_HEAP_USAGE_H
#define RTCPM_TESTS_HEAP_USAGE_H

#include <stddef.h>

/* 1 when heap_in_use() sees this process's malloc: a probe allocation of 4 MiB and one of
 * 64 KiB must show. 0 (why in why[]) where another allocator took malloc over (ASan, TSan and
 * valgrind replace it) or the heap cannot be read. */
int heap_usage_available(char *why, size_t len);
/* Bytes in allocated blocks now. */
size_t heap_in_use(void);

#endif
