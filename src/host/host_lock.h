/*
 * host_lock.h — a plain mutex for the host objects (RTC calls its objects from several
 * threads: the application's, and the ones its port manager answers on).
 *
 * Minimal on purpose: src/com/lock.{c,h} is being written on another branch; the lead
 * unifies the two when merging. Windows: SRWLOCK (no destroy needed); elsewhere: pthreads.
 */
#ifndef RTCPM_SRC_HOST_LOCK_H
#define RTCPM_SRC_HOST_LOCK_H

#ifdef _WIN32
#include <windows.h>
typedef struct host_lock { SRWLOCK srw; } host_lock;
#else
#include <pthread.h>
typedef struct host_lock { pthread_mutex_t mutex; } host_lock;
#endif

void host_lock_init(host_lock *lock);
void host_lock_destroy(host_lock *lock);
void host_lock_enter(host_lock *lock);
void host_lock_leave(host_lock *lock);

#endif /* RTCPM_SRC_HOST_LOCK_H */
