/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_thread.c — test_thread.h over the library's own thread (src/os/os_platform.h), which
 * returns nothing: the wrapper keeps fn's result for test_thread_join. Sleep and yield are
 * the OS's.
 */
#include "test_thread.h"

#include <stdlib.h>

#include "os/os_platform.h"

struct test_thread
{
    rtcpm_thread *thread;
    int (*fn)(void *);
    void *arg;
    int result;
};

static void run(void *p)
{
    test_thread *t = p;
    t->result = t->fn(t->arg);
}

int test_thread_start(test_thread **out, int (*fn)(void *), void *arg)
{
    test_thread *t = calloc(1, sizeof *t);
    *out = NULL;
    if (!t) return -1;
    t->fn = fn;
    t->arg = arg;
    if (rtcpm_thread_start(&t->thread, run, t))
    {
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

int test_thread_join(test_thread *t)
{
    rtcpm_thread_join(t->thread);
    int r = t->result;
    free(t);
    return r;
}

#ifdef _WIN32
#include <windows.h>

void test_sleep_ms(unsigned ms) { Sleep(ms); }

void test_thread_yield(void) { SwitchToThread(); }

#else
#include <errno.h>
#include <sched.h>
#include <time.h>

void test_sleep_ms(unsigned ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

void test_thread_yield(void) { sched_yield(); }
#endif
