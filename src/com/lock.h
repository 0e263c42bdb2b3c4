/*
 * lock.h — a plain mutex for objects that RTC calls from its own threads.
 *
 * pthread_mutex_t natively, SRWLOCK on Windows (also under Wine). This pair (lock.h,
 * lock.c) is, besides src/net and the BSTR runtime, the only place allowed an
 * `#ifdef _WIN32`: everything above it takes and drops locks through these four calls.
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

void rtcpm_lock_init(struct rtcpm_lock *lock);
void rtcpm_lock_destroy(struct rtcpm_lock *lock);
void rtcpm_lock_acquire(struct rtcpm_lock *lock);
void rtcpm_lock_release(struct rtcpm_lock *lock);

#endif /* RTCPM_SRC_LOCK_H */
