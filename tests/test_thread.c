/*
 * test_thread.c — see test_thread.h.
 */
#include <stdlib.h>
#include "test_thread.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <pthread.h>
#endif

struct test_thread
{
    void (*fn)(void *arg);
    void *arg;
#ifdef _WIN32
    HANDLE handle;
#else
    pthread_t id;
#endif
};

#ifdef _WIN32
static DWORD WINAPI trampoline(void *p)
{
    struct test_thread *t = p;
    t->fn(t->arg);
    return 0;
}
#else
static void *trampoline(void *p)
{
    struct test_thread *t = p;
    t->fn(t->arg);
    return NULL;
}
#endif

struct test_thread *test_thread_start(void (*fn)(void *arg), void *arg)
{
    struct test_thread *t = calloc(1, sizeof(*t));
    if (!t) return NULL;
    t->fn = fn;
    t->arg = arg;
#ifdef _WIN32
    t->handle = CreateThread(NULL, 0, trampoline, t, 0, NULL);
    if (!t->handle)
#else
    if (pthread_create(&t->id, NULL, trampoline, t))
#endif
    {
        free(t);
        return NULL;
    }
    return t;
}

int test_thread_join(struct test_thread *t)
{
    int r;
    if (!t) return -1;
#ifdef _WIN32
    r = WaitForSingleObject(t->handle, INFINITE) == WAIT_OBJECT_0 ? 0 : -1;
    CloseHandle(t->handle);
#else
    r = pthread_join(t->id, NULL) ? -1 : 0;
#endif
    free(t);
    return r;
}
