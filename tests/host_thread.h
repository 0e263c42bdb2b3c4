/*
 * host_thread.h — the smallest thread wrapper the multi-threaded host tests need:
 * pthreads natively, CreateThread on Windows (and so under Wine).
 */
#ifndef RTCPM_TESTS_HOST_THREAD_H
#define RTCPM_TESTS_HOST_THREAD_H

typedef struct host_thread host_thread;
typedef void (*host_thread_fn)(void *arg);

/* 0 on success. */
int host_thread_start(host_thread **out, host_thread_fn fn, void *arg);
/* Waits for the thread and frees it. */
void host_thread_join(host_thread *thread);
void host_thread_yield(void);

#endif
