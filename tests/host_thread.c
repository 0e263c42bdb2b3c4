/*
 * host_thread.c — see host_thread.h.
 */
#include <stdlib.h>
#include "host_thread.h"

#ifdef _WIN32
#include <windows.h>

struct host_thread
{
    HANDLE handle;
    host_thread_fn fn;
    void *arg;
};

static DWORD WINAPI trampoline(void *p)
{
    struct host_thread *t = p;
    t->fn(t->arg);
    return 0;
}

int host_thread_start(host_thread **out, host_thread_fn fn, void *arg)
{
    struct host_thread *t = calloc(1, sizeof(*t));
    if (!t) return -1;
    t->fn = fn;
    t->arg = arg;
    t->handle = CreateThread(NULL, 0, trampoline, t, 0, NULL);
    if (!t->handle)
    {
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

void host_thread_join(host_thread *t)
{
    WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
    free(t);
}

void host_thread_yield(void) { SwitchToThread(); }

#else
#include <pthread.h>
#include <sched.h>

struct host_thread
{
    pthread_t id;
    host_thread_fn fn;
    void *arg;
};

static void *trampoline(void *p)
{
    struct host_thread *t = p;
    t->fn(t->arg);
    return NULL;
}

int host_thread_start(host_thread **out, host_thread_fn fn, void *arg)
{
    struct host_thread *t = calloc(1, sizeof(*t));
    if (!t) return -1;
    t->fn = fn;
    t->arg = arg;
    if (pthread_create(&t->id, NULL, trampoline, t))
    {
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

void host_thread_join(host_thread *t)
{
    pthread_join(t->id, NULL);
    free(t);
}

void host_thread_yield(void) { sched_yield(); }

#endif
