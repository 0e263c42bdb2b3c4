/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_thread.h — the one thread wrapper the tests need (over the library's rtcpm_thread:
 * pthreads natively, CreateThread on Windows), so a test can run an in-process server next to
 * the code under test.
 */
#ifndef RTCPM_TESTS_TEST_THREAD_H
#define RTCPM_TESTS_TEST_THREAD_H

typedef struct test_thread test_thread;

/* Starts fn(arg) on a new thread. Returns 0, or -1 (nothing started). */
int test_thread_start(test_thread **out, int (*fn)(void *), void *arg);
/* Waits for the thread, frees it, returns fn's result. */
int test_thread_join(test_thread *t);
/* Sleeps at least ms milliseconds. */
void test_sleep_ms(unsigned ms);
/* Gives the processor to another ready thread. */
void test_thread_yield(void);

#endif
