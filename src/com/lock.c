/*
 * lock.c — see lock.h (one of the few files allowed an `#ifdef _WIN32`).
 */
#include <stdlib.h>
#include "lock.h"

#ifdef _WIN32

void rtcpm_lock_init(struct rtcpm_lock *lock) { InitializeSRWLock(&lock->srw); }
/* An SRWLOCK owns no resources. */
void rtcpm_lock_destroy(struct rtcpm_lock *lock) { (void)lock; }
void rtcpm_lock_acquire(struct rtcpm_lock *lock) { AcquireSRWLockExclusive(&lock->srw); }
void rtcpm_lock_release(struct rtcpm_lock *lock) { ReleaseSRWLockExclusive(&lock->srw); }

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

#endif
