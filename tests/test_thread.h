/*
 * test_thread.h — start and join a thread in a test: pthreads natively, CreateThread under
 * Windows/Wine (the one `#ifdef _WIN32` of the test tree lives in test_thread.c).
 */
#ifndef RTCPM_TESTS_TEST_THREAD_H
#define RTCPM_TESTS_TEST_THREAD_H

struct test_thread;

/* Runs fn(arg) on a new thread; NULL when it could not be started. */
struct test_thread *test_thread_start(void (*fn)(void *arg), void *arg);
/* Waits for the thread to end and frees it; 0 on success. */
int test_thread_join(struct test_thread *t);

#endif
