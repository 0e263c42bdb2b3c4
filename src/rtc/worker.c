/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * worker.c — the client's worker thread: jobs run one at a time, in the order they were
 * posted, on a thread with COM initialised (the multithreaded apartment). Every call into a
 * port manager is made from here (RTC 1.5: "from a thread with COM initialised"), so the
 * application's thread never blocks on a port manager or a DNS lookup, and a port manager
 * living in the application's STA is reached through its proxy (host/pm_ref.h) while the
 * application pumps messages.
 */
#include <stdlib.h>
#include "rtc/rtc_private.h"

struct rtc_worker
{
    HANDLE thread;
    DWORD thread_id;
    HANDLE wake; /* auto-reset: a job was posted, or stop */
    SRWLOCK lock;
    struct rtc_job *head, *tail;
    int stopping;
};

static struct rtc_job *take(struct rtc_worker *w, int *stop)
{
    struct rtc_job *job;

    AcquireSRWLockExclusive(&w->lock);
    if ((job = w->head))
    {
        w->head = job->next;
        if (!w->head) w->tail = NULL;
    }
    *stop = !job && w->stopping;
    ReleaseSRWLockExclusive(&w->lock);
    return job;
}

static DWORD WINAPI worker_main(void *arg)
{
    struct rtc_worker *w = arg;
    struct rtc_job *job;
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    int stop = 0;

    RTC_TRACE("worker %lu up (COM %#lx)", (unsigned long)GetCurrentThreadId(), (unsigned long)hr);
    while (!stop)
    {
        if ((job = take(w, &stop)))
            job->run(job);
        else if (!stop)
            WaitForSingleObject(w->wake, INFINITE);
    }
    if (SUCCEEDED(hr)) CoUninitialize();
    return 0;
}

HRESULT rtcpm_rtc_worker_start(struct rtc_worker **out)
{
    struct rtc_worker *w = calloc(1, sizeof(*w));

    *out = NULL;
    if (!w) return E_OUTOFMEMORY;
    InitializeSRWLock(&w->lock);
    if (!(w->wake = CreateEventW(NULL, FALSE, FALSE, NULL)))
    {
        free(w);
        return HRESULT_FROM_WIN32(GetLastError());
    }
    if (!(w->thread = CreateThread(NULL, 0, worker_main, w, 0, &w->thread_id)))
    {
        CloseHandle(w->wake);
        free(w);
        return HRESULT_FROM_WIN32(GetLastError());
    }
    *out = w;
    return S_OK;
}

HRESULT rtcpm_rtc_worker_post(struct rtc_worker *w, struct rtc_job *job)
{
    HRESULT hr = S_OK;

    job->next = NULL;
    AcquireSRWLockExclusive(&w->lock);
    if (w->stopping)
        hr = RTC_E_CLIENT_ALREADY_SHUT_DOWN;
    else
    {
        if (w->tail)
            w->tail->next = job;
        else
            w->head = job;
        w->tail = job;
    }
    ReleaseSRWLockExclusive(&w->lock);
    if (SUCCEEDED(hr)) SetEvent(w->wake);
    return hr;
}

int rtcpm_rtc_worker_is_current(struct rtc_worker *w) { return w && GetCurrentThreadId() == w->thread_id; }

void rtcpm_rtc_worker_stop(struct rtc_worker *w)
{
    DWORD index;

    if (!w) return;
    AcquireSRWLockExclusive(&w->lock);
    w->stopping = 1;
    ReleaseSRWLockExclusive(&w->lock);
    SetEvent(w->wake);
    /* Pumping: the jobs still queued may call a port manager that lives in this STA. */
    if (FAILED(CoWaitForMultipleHandles(0, INFINITE, 1, &w->thread, &index)))
        WaitForSingleObject(w->thread, INFINITE); /* no COM on this thread: nothing to pump */
    CloseHandle(w->thread);
    CloseHandle(w->wake);
    free(w);
}
