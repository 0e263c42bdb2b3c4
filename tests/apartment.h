/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * apartment.h — a single-threaded apartment (STA) on its own thread, for marshalling tests
 * (Windows/Wine only).
 *
 * The thread enters an STA, optionally registers rtcpm_ps.dll in it (rtcpm_marshal_register),
 * then pumps messages until sta_stop(): COM delivers calls into an STA as window messages,
 * so an STA that waits without pumping never answers its callers. sta_run() executes a
 * function on that thread (posted as a thread message) and waits for it.
 */
#ifndef RTCPM_TESTS_APARTMENT_H
#define RTCPM_TESTS_APARTMENT_H

#include "rtcpm/rtcpm.h"

struct sta
{
    HANDLE thread;
    DWORD tid;
    HANDLE ready;
    int register_ps;
    HRESULT init_hr;     /* CoInitializeEx */
    HRESULT register_hr; /* rtcpm_marshal_register, when asked for */
    HRESULT revoke_hr;   /* rtcpm_marshal_revoke at the end */
    rtcpm_marshal_registration *ps;
};

/* Starts the thread and waits until its apartment is ready. 0 on success. */
int sta_start(struct sta *sta, int register_ps);
/* Runs fn(arg) on the STA thread; returns when it has returned. */
void sta_run(struct sta *sta, void (*fn)(void *arg), void *arg);
/* Ends the message loop (revoke, CoUninitialize) and joins the thread. */
void sta_stop(struct sta *sta);

#endif
