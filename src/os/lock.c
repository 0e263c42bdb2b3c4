/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lock.c — see lock.h (one of the few files allowed an `#ifdef _WIN32`).
 */
#include <stdlib.h>
#include <time.h>
#include "lock.h"

#ifdef _WIN32

void rtcpm_lock_init(struct rtcpm_lock *lock) { InitializeSRWLock(&lock->srw); }
/* An SRWLOCK owns no resources. */
void rtcpm_lock_destroy(struct rtcpm_lock *lock) { (void)lock; }
void rtcpm_lock_acquire(struct rtcpm_lock *lock) { AcquireSRWLockExclusive(&lock->srw); }
void rtcpm_lock_release(struct rtcpm_lock *lock) { ReleaseSRWLockExclusive(&lock->srw); }

void rtcpm_cond_init(struct rtcpm_cond *cond) { InitializeConditionVariable(&cond->cv); }
void rtcpm_cond_destroy(struct rtcpm_cond *cond) { (void)cond; }
void rtcpm_cond_wait(struct rtcpm_cond *cond, struct rtcpm_lock *lock, long timeout_ms)
{
    SleepConditionVariableSRW(&cond->cv, &lock->srw, timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms, 0);
}
void rtcpm_cond_broadcast(struct rtcpm_cond *cond) { WakeAllConditionVariable(&cond->cv); }

#else

/* A mutex that cannot be made or taken leaves the object unusable: fail loudly, not silently. */
void rtcpm_lock_init(struct rtcpm_lock *lock)
{
    if (pthread_mutex_init(&lock->mutex, NULL)) abort();
}
void rtcpm_lock_destroy(struct rtcpm_lock *lock) { pthread_mutex_destroy(&lock->mutex); }
void rtcpm_lock_acquire(struct rtcpm_lock *lock)
{
    if (pthread_mutex_lock(&lock->mutex)) abort();
}
void rtcpm_lock_release(struct rtcpm_lock *lock) { pthread_mutex_unlock(&lock->mutex); }

/* Timed waits measure against CLOCK_MONOTONIC: a wall-clock step must not stretch them. */
void rtcpm_cond_init(struct rtcpm_cond *cond)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) || pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) ||
        pthread_cond_init(&cond->cond, &attr))
        abort();
    pthread_condattr_destroy(&attr);
}
void rtcpm_cond_destroy(struct rtcpm_cond *cond) { pthread_cond_destroy(&cond->cond); }
void rtcpm_cond_wait(struct rtcpm_cond *cond, struct rtcpm_lock *lock, long timeout_ms)
{
    struct timespec ts;
    if (timeout_ms < 0)
    {
        pthread_cond_wait(&cond->cond, &lock->mutex);
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L)
    {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&cond->cond, &lock->mutex, &ts); /* ETIMEDOUT is a normal wake */
}
void rtcpm_cond_broadcast(struct rtcpm_cond *cond) { pthread_cond_broadcast(&cond->cond); }

#endif
