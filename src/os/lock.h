/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lock.h — a plain mutex for objects that RTC calls from its own threads, and a condition
 * variable to wait on under it.
 *
 * pthread_mutex_t / pthread_cond_t (CLOCK_MONOTONIC) natively, SRWLOCK /
 * CONDITION_VARIABLE on Windows (also under Wine). This pair (lock.h, lock.c) is, besides
 * src/net and the BSTR runtime, the only place allowed an `#ifdef _WIN32`: everything above
 * it takes and drops locks through these calls.
 *
 * Not recursive: a thread that holds a lock must not take it again.
 */
#ifndef RTCPM_SRC_LOCK_H
#define RTCPM_SRC_LOCK_H

#ifdef _WIN32
#include <windows.h>
#else
#include <pthread.h>
#endif

struct rtcpm_lock
{
#ifdef _WIN32
    SRWLOCK srw;
#else
    pthread_mutex_t mutex;
#endif
};

struct rtcpm_cond
{
#ifdef _WIN32
    CONDITION_VARIABLE cv;
#else
    pthread_cond_t cond;
#endif
};

void rtcpm_lock_init(struct rtcpm_lock *lock);
void rtcpm_lock_destroy(struct rtcpm_lock *lock);
void rtcpm_lock_acquire(struct rtcpm_lock *lock);
void rtcpm_lock_release(struct rtcpm_lock *lock);

void rtcpm_cond_init(struct rtcpm_cond *cond);
void rtcpm_cond_destroy(struct rtcpm_cond *cond);
/* Called with `lock` held: drops it, waits for a broadcast or at most timeout_ms (< 0: no
 * limit), takes it again. May wake early (spuriously): callers re-check their condition
 * against their own deadline. */
void rtcpm_cond_wait(struct rtcpm_cond *cond, struct rtcpm_lock *lock, long timeout_ms);
/* Wakes every waiter. */
void rtcpm_cond_broadcast(struct rtcpm_cond *cond);

#endif /* RTCPM_SRC_LOCK_H */
