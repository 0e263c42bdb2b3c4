/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * event_window.c — events reach the application on the thread that called Initialize,
 * through a message-only window, as RTC delivers them: the application pumps messages (every
 * RTC sample does), and its sinks run there, one event at a time, in the order the events
 * happened. Any thread may post; the queue is FIFO.
 */
#include <stdlib.h>
#include "rtc/rtc_private.h"

#define WM_RTCPM_EVENTS (WM_APP + 0x52)

struct rtc_queued_event
{
    RTC_EVENT type;
    IDispatch *event;
    struct rtc_queued_event *next;
};

struct rtc_events
{
    HWND hwnd;
    struct rtc_client *client; /* not referenced: the client destroys us first */
    SRWLOCK lock;
    struct rtc_queued_event *head, *tail;
    int posted; /* a WM_RTCPM_EVENTS is on its way */
};

static const WCHAR class_name[] = L"rtcpm_rtc_events";
static LONG class_registered;

static struct rtc_queued_event *take_all(struct rtc_events *events)
{
    struct rtc_queued_event *head;

    AcquireSRWLockExclusive(&events->lock);
    head = events->head;
    events->head = events->tail = NULL;
    events->posted = 0;
    ReleaseSRWLockExclusive(&events->lock);
    return head;
}

static struct rtc_queued_event *take_one(struct rtc_events *events)
{
    struct rtc_queued_event *q;

    AcquireSRWLockExclusive(&events->lock);
    if ((q = events->head))
    {
        events->head = q->next;
        if (!events->head) events->tail = NULL;
    }
    else
        events->posted = 0;
    ReleaseSRWLockExclusive(&events->lock);
    return q;
}

static void free_list(struct rtc_queued_event *q)
{
    while (q)
    {
        struct rtc_queued_event *next = q->next;
        IDispatch_Release(q->event);
        free(q);
        q = next;
    }
}

static LRESULT CALLBACK events_wndproc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    struct rtc_events *events;
    struct rtc_queued_event *q;
    struct rtc_client *client;

    if (msg != WM_RTCPM_EVENTS) return DefWindowProcW(hwnd, msg, wparam, lparam);
    events = (struct rtc_events *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
    if (!events) return 0;
    /* One event at a time, the queue re-read after each: a sink that pumps messages itself
     * (a modal dialog) gets the next events in order, and one that calls Shutdown (which
     * destroys this window and `events`) ends the loop. The client is held meanwhile. */
    client = events->client;
    IRTCClient2_AddRef(&client->IRTCClient2_iface);
    while ((events = (struct rtc_events *)GetWindowLongPtrW(hwnd, GWLP_USERDATA)) && (q = take_one(events)))
    {
        rtcpm_rtc_client_deliver(client, q->type, q->event);
        IDispatch_Release(q->event);
        free(q);
    }
    IRTCClient2_Release(&client->IRTCClient2_iface);
    return 0;
}

static HRESULT register_class(void)
{
    WNDCLASSEXW wc = { 0 };

    if (InterlockedCompareExchange(&class_registered, 1, 0)) return S_OK;
    wc.cbSize = sizeof(wc);
    wc.lpfnWndProc = events_wndproc;
    wc.hInstance = rtcpm_rtc_instance;
    wc.lpszClassName = class_name;
    if (!RegisterClassExW(&wc) && GetLastError() != ERROR_CLASS_ALREADY_EXISTS)
    {
        InterlockedExchange(&class_registered, 0);
        return HRESULT_FROM_WIN32(GetLastError());
    }
    return S_OK;
}

HRESULT rtcpm_rtc_events_create(struct rtc_client *client, struct rtc_events **out)
{
    struct rtc_events *events;
    HRESULT hr;

    *out = NULL;
    if (FAILED(hr = register_class())) return hr;
    if (!(events = calloc(1, sizeof(*events)))) return E_OUTOFMEMORY;
    InitializeSRWLock(&events->lock);
    events->client = client;
    events->hwnd = CreateWindowExW(0, class_name, L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, rtcpm_rtc_instance, NULL);
    if (!events->hwnd)
    {
        hr = HRESULT_FROM_WIN32(GetLastError());
        free(events);
        return FAILED(hr) ? hr : E_FAIL;
    }
    SetWindowLongPtrW(events->hwnd, GWLP_USERDATA, (LONG_PTR)events);
    *out = events;
    return S_OK;
}

void rtcpm_rtc_events_post(struct rtc_events *events, RTC_EVENT type, IDispatch *event)
{
    struct rtc_queued_event *q = calloc(1, sizeof(*q));
    int wake;

    if (!q)
    {
        IDispatch_Release(event);
        return;
    }
    q->type = type;
    q->event = event;
    AcquireSRWLockExclusive(&events->lock);
    if (events->tail)
        events->tail->next = q;
    else
        events->head = q;
    events->tail = q;
    wake = !events->posted;
    events->posted = 1;
    ReleaseSRWLockExclusive(&events->lock);
    if (wake) PostMessageW(events->hwnd, WM_RTCPM_EVENTS, 0, 0);
}

void rtcpm_rtc_events_destroy(struct rtc_events *events)
{
    if (!events) return;
    SetWindowLongPtrW(events->hwnd, GWLP_USERDATA, 0);
    DestroyWindow(events->hwnd);
    free_list(take_all(events));
    free(events);
}
