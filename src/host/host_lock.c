/*
 * host_lock.c — see host_lock.h. The one platform split of src/host.
 */
#include "host_lock.h"

#ifdef _WIN32

void host_lock_init(host_lock *lock) { InitializeSRWLock(&lock->srw); }
void host_lock_destroy(host_lock *lock) { (void)lock; }
void host_lock_enter(host_lock *lock) { AcquireSRWLockExclusive(&lock->srw); }
void host_lock_leave(host_lock *lock) { ReleaseSRWLockExclusive(&lock->srw); }

#else

void host_lock_init(host_lock *lock) { pthread_mutex_init(&lock->mutex, NULL); }
void host_lock_destroy(host_lock *lock) { pthread_mutex_destroy(&lock->mutex); }
void host_lock_enter(host_lock *lock) { pthread_mutex_lock(&lock->mutex); }
void host_lock_leave(host_lock *lock) { pthread_mutex_unlock(&lock->mutex); }

#endif
