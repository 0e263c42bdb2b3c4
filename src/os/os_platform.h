/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — the OS services the network code needs besides sockets: a monotonic clock
 * (deadlines, RTT), a cryptographically strong random source (STUN transaction IDs) and a
 * thread (the STUN port manager's background discovery).
 *
 * Like socket.c, os_platform.c is allowed to know Windows from POSIX; nothing above it does.
 *  - clock: CLOCK_MONOTONIC natively, QueryPerformanceCounter on Windows. Never goes back,
 *    unaffected by wall-clock changes.
 *  - random: getrandom(2) natively (falling back to /dev/urandom where the kernel lacks
 *    it), BCryptGenRandom with the system-preferred RNG on Windows. No user-space PRNG:
 *    a STUN transaction ID is what stops an off-path attacker from forging a response.
 */
#ifndef RTCPM_OS_PLATFORM_H
#define RTCPM_OS_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Milliseconds / microseconds since an arbitrary fixed point (boot, process start). */
uint64_t rtcpm_clock_ms(void);
uint64_t rtcpm_clock_us(void);

/* Seconds since the Unix epoch (wall clock), what time(NULL) gives, but cheap everywhere:
 * under Wine, msvcrt's time() asks wineserver for the time zone on every call (~20 us);
 * GetSystemTimeAsFileTime reads shared memory. */
int64_t rtcpm_clock_epoch_s(void);

/* Sleeps at least ms milliseconds. */
void rtcpm_sleep_ms(unsigned ms);

/* A joinable thread: pthreads natively, CreateThread on Windows. */
typedef struct rtcpm_thread rtcpm_thread;
/* Starts fn(arg) on a new thread: 0, or -1 when none could be started (*out NULL). */
int rtcpm_thread_start(rtcpm_thread **out, void (*fn)(void *), void *arg);
/* Waits for the thread to end and frees it (NULL is fine). */
void rtcpm_thread_join(rtcpm_thread *t);
/* 1 when the calling thread is t (a callback asking "am I on the worker?"), else 0. */
int rtcpm_thread_is_current(const rtcpm_thread *t);

/* The directory of the running program's executable, without a trailing separator
 * (/proc/self/exe natively, GetModuleFileNameA on Windows): where an installed program finds
 * its data relative to itself. 0, or -1 when it cannot be found or does not fit (buf ""). */
int rtcpm_exe_dir(char *buf, size_t len);

/* Fills buf with len random bytes from the OS. Returns 0, or -1 when the OS source failed
 * (buf is then zeroed: never use a half-filled ID). */
int rtcpm_random_bytes(void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* RTCPM_OS_PLATFORM_H */
