/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apartment.c — see apartment.h.
 */
#include <string.h>
#include "apartment.h"

struct job
{
    void (*fn)(void *arg);
    void *arg;
    HANDLE done;
};

static DWORD WINAPI sta_main(void *arg)
{
    struct sta *sta = arg;
    MSG msg;

    sta->init_hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    /* make the thread's message queue before anyone posts to it */
    PeekMessageW(&msg, NULL, WM_USER, WM_USER, PM_NOREMOVE);
    if (sta->register_ps) sta->register_hr = rtcpm_marshal_register(NULL, &sta->ps);
    SetEvent(sta->ready);

    while (GetMessageW(&msg, NULL, 0, 0) > 0)
    {
        if (!msg.hwnd && msg.message == WM_APP)
        {
            struct job *job = (struct job *)msg.lParam;
            job->fn(job->arg);
            SetEvent(job->done);
            continue;
        }
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }

    sta->revoke_hr = rtcpm_marshal_revoke(sta->ps);
    sta->ps = NULL;
    if (SUCCEEDED(sta->init_hr)) CoUninitialize();
    return 0;
}

int sta_start(struct sta *sta, int register_ps)
{
    memset(sta, 0, sizeof(*sta));
    sta->register_ps = register_ps;
    sta->register_hr = S_FALSE;
    sta->ready = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!sta->ready) return -1;
    sta->thread = CreateThread(NULL, 0, sta_main, sta, 0, &sta->tid);
    if (!sta->thread) return -1;
    WaitForSingleObject(sta->ready, INFINITE);
    return 0;
}

void sta_run(struct sta *sta, void (*fn)(void *arg), void *arg)
{
    struct job job = { fn, arg, CreateEventW(NULL, FALSE, FALSE, NULL) };
    PostThreadMessageW(sta->tid, WM_APP, 0, (LPARAM)&job);
    WaitForSingleObject(job.done, INFINITE);
    CloseHandle(job.done);
}

void sta_stop(struct sta *sta)
{
    PostThreadMessageW(sta->tid, WM_QUIT, 0, 0);
    WaitForSingleObject(sta->thread, INFINITE);
    CloseHandle(sta->thread);
    CloseHandle(sta->ready);
    sta->thread = sta->ready = NULL;
}
