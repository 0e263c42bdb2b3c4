/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_threads.c — objects and BSTRs used from several threads at once.
 *
 * COM objects handed to an RTC client are AddRef'ed/Released on whatever thread the client
 * runs, and the last Release may come from any of them. These tests give ThreadSanitizer
 * (preset tsan) something real to check and assert the counts come out exact: a refcount or
 * live count that is not atomic loses updates here.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "recording_pm.h"
#include "com/bstr_util.h"

#define THREADS    4
#define ITERATIONS 5000

struct worker
{
    pthread_t thread;
    IRTCPortManager *pm;
    int index;
    int failures; /* checks that went wrong inside the thread */
};

static int run_workers(struct worker *w, void *(*fn)(void *))
{
    int started = 0;
    for (int i = 0; i < THREADS; i++)
    {
        w[i].index = i;
        w[i].failures = 0;
        if (pthread_create(&w[i].thread, NULL, fn, &w[i]) == 0)
            started++;
        else
            w[i].failures = -1;
    }
    for (int i = 0; i < THREADS; i++)
        if (w[i].failures != -1) pthread_join(w[i].thread, NULL);
    return started;
}

static int total_failures(const struct worker *w)
{
    int n = 0;
    for (int i = 0; i < THREADS; i++) n += w[i].failures;
    return n;
}

/* AddRef/Release and QueryInterface round trips on one shared object. */
static void *refcount_worker(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < ITERATIONS; i++)
    {
        IRTCPortManager3 *pm3 = NULL;
        IUnknown *unk = NULL;
        if (w->pm->lpVtbl->QueryInterface(w->pm, &IID_IRTCPortManager3, (void **)&pm3) != S_OK) w->failures++;
        if (w->pm->lpVtbl->QueryInterface(w->pm, &IID_IUnknown, (void **)&unk) != S_OK) w->failures++;
        if (w->pm->lpVtbl->AddRef(w->pm) < 2) w->failures++;
        w->pm->lpVtbl->Release(w->pm);
        if (unk) unk->lpVtbl->Release(unk);
        if (pm3) pm3->lpVtbl->Release(pm3);
    }
    return NULL;
}

static void test_refcount_from_threads(void)
{
    struct worker w[THREADS];
    IRTCPortManager *pm;
    LONG live = rtcpm_live_objects();

    CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &pm), S_OK);
    for (int i = 0; i < THREADS; i++) w[i].pm = pm;
    CU_ASSERT_EQUAL(run_workers(w, refcount_worker), THREADS);
    CU_ASSERT_EQUAL(total_failures(w), 0);
    CU_ASSERT_EQUAL(recording_pm_refcount(pm), 1);
    CU_ASSERT_EQUAL(pm->lpVtbl->Release(pm), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
}

/* Each thread owns one reference and drops it: whichever Release is last frees the object,
 * on that thread, after every other thread's use of it. */
static void *release_worker(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < ITERATIONS / 10; i++)
    {
        w->pm->lpVtbl->AddRef(w->pm);
        w->pm->lpVtbl->Release(w->pm);
    }
    if (strcmp(recording_pm_log(w->pm), "") != 0) w->failures++; /* nobody called a method: the log is untouched */
    w->pm->lpVtbl->Release(w->pm);
    return NULL;
}

static void test_last_release_on_any_thread(void)
{
    struct worker w[THREADS];
    LONG live = rtcpm_live_objects();

    for (int round = 0; round < 20; round++)
    {
        IRTCPortManager *pm;
        CU_ASSERT_EQUAL_FATAL(recording_pm_create(1, &pm), S_OK);
        for (int i = 0; i < THREADS; i++)
        {
            w[i].pm = pm;
            pm->lpVtbl->AddRef(pm); /* the thread's reference */
        }
        pm->lpVtbl->Release(pm); /* ours: from here on the threads hold it alive */
        CU_ASSERT_EQUAL(run_workers(w, release_worker), THREADS);
        CU_ASSERT_EQUAL(total_failures(w), 0);
        CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
    }
}

/* BSTR allocation, reallocation and UTF-8 conversion, each thread with its own text. */
static void *bstr_worker(void *arg)
{
    struct worker *w = arg;
    char text[64], back[64];

    for (int i = 0; i < ITERATIONS / 5; i++)
    {
        int n = snprintf(text, sizeof text, "thread %d item %d \xc3\xa9", w->index, i);
        BSTR b = rtcpm_bstr_from_utf8(text, (size_t)n);
        size_t len = 0;
        if (!b || FAILED(rtcpm_bstr_to_utf8(b, back, sizeof back, &len)) || len != (size_t)n ||
            memcmp(back, text, len) != 0)
            w->failures++;
        if (!SysReAllocStringLen(&b, b, 6) || SysStringLen(b) != 6 || !rtcpm_test_bstr_is(b, RTCPM_W("thread")))
            w->failures++;
        SysFreeString(b);
    }
    return NULL;
}

static void test_bstrs_from_threads(void)
{
    struct worker w[THREADS];
    LONG bstrs = rtcpm_live_bstrs();

    CU_ASSERT_EQUAL(run_workers(w, bstr_worker), THREADS);
    CU_ASSERT_EQUAL(total_failures(w), 0);
    if (rtcpm_test_counts_bstrs()) CU_ASSERT_EQUAL(rtcpm_live_bstrs(), bstrs);
}

/* A BSTR made on one thread and freed on another (an [out] BSTR crossing threads). */
static void *make_bstr(void *arg)
{
    BSTR *out = arg;
    *out = SysAllocString(RTCPM_W("made elsewhere"));
    return NULL;
}

static void *free_bstr(void *arg)
{
    SysFreeString(*(BSTR *)arg);
    return NULL;
}

static void test_bstr_freed_on_other_thread(void)
{
    LONG bstrs = rtcpm_live_bstrs();
    BSTR b = NULL;
    pthread_t t;

    CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, make_bstr, &b), 0);
    pthread_join(t, NULL);
    CU_ASSERT_BSTR_EQUAL(b, RTCPM_W("made elsewhere"));
    CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, free_bstr, &b), 0);
    pthread_join(t, NULL);
    if (rtcpm_test_counts_bstrs()) CU_ASSERT_EQUAL(rtcpm_live_bstrs(), bstrs);
}

static CU_TestInfo tests[] = {
    { "refcount_from_threads", test_refcount_from_threads },
    { "last_release_on_any_thread", test_last_release_on_any_thread },
    { "bstrs_from_threads", test_bstrs_from_threads },
    { "bstr_freed_on_other_thread", test_bstr_freed_on_other_thread },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("threads", tests, argc, argv); }
