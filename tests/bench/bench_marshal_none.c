/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_marshal_none.c — row 7 off Windows: there is no COM runtime, so no proxy to measure.
 */
#include <stdio.h>
#include "bench.h"

void bench_row_marshal(void)
{
    fprintf(stderr, "bench: row 7 (marshalling proxy) needs a Windows target: run the mingw64 build under wine64\n");
}
