/*
 * test_thread.c — pthreads / Win32 threads behind test_thread.h.
 */
#include "test_thread.h"

#include <stdlib.h>

struct test_thread_start_args {
    int (*fn)(void *);
    void *arg;
    int result;
};

#ifdef _WIN32
#include <windows.h>

struct test_thread {
    HANDLE handle;
    struct test_thread_start_args args;
};

static DWORD WINAPI trampoline(LPVOID p)
{
    struct test_thread_start_args *a = p;
    a->result = a->fn(a->arg);
    return 0;
}

int test_thread_start(test_thread **out, int (*fn)(void *), void *arg)
{
    test_thread *t = calloc(1, sizeof *t);
    *out = NULL;
    if (!t)
        return -1;
    t->args.fn = fn;
    t->args.arg = arg;
    t->handle = CreateThread(NULL, 0, trampoline, &t->args, 0, NULL);
    if (!t->handle) {
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

int test_thread_join(test_thread *t)
{
    WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
    int r = t->args.result;
    free(t);
    return r;
}

void test_sleep_ms(unsigned ms)
{
    Sleep(ms);
}

void test_thread_yield(void)
{
    SwitchToThread();
}

#else
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>

struct test_thread {
    pthread_t handle;
    struct test_thread_start_args args;
};

static void *trampoline(void *p)
{
    struct test_thread_start_args *a = p;
    a->result = a->fn(a->arg);
    return NULL;
}

int test_thread_start(test_thread **out, int (*fn)(void *), void *arg)
{
    test_thread *t = calloc(1, sizeof *t);
    *out = NULL;
    if (!t)
        return -1;
    t->args.fn = fn;
    t->args.arg = arg;
    if (pthread_create(&t->handle, NULL, trampoline, &t->args) != 0) {
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

int test_thread_join(test_thread *t)
{
    pthread_join(t->handle, NULL);
    int r = t->args.result;
    free(t);
    return r;
}

void test_sleep_ms(unsigned ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

void test_thread_yield(void)
{
    sched_yield();
}
#endif
