/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — monotonic clock, OS random bytes and a thread, Windows and POSIX (see os_platform.h).
 */
#include "os/os_platform.h"

#include <stdlib.h>
#include <string.h>

struct thread_start
{
    void (*fn)(void *);
    void *arg;
};

#ifdef _WIN32
#include <windows.h>
#include <bcrypt.h>

uint64_t rtcpm_clock_us(void)
{
    static LARGE_INTEGER freq; /* constant after boot: a benign race sets the same value */
    LARGE_INTEGER now;
    if (!freq.QuadPart) QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&now);
    /* split to avoid overflowing now * 1e6 */
    uint64_t q = (uint64_t)now.QuadPart / (uint64_t)freq.QuadPart;
    uint64_t r = (uint64_t)now.QuadPart % (uint64_t)freq.QuadPart;
    return q * 1000000u + r * 1000000u / (uint64_t)freq.QuadPart;
}

int64_t rtcpm_clock_epoch_s(void)
{
    FILETIME ft;
    ULARGE_INTEGER t;
    GetSystemTimeAsFileTime(&ft);
    t.LowPart = ft.dwLowDateTime;
    t.HighPart = ft.dwHighDateTime;
    /* 100 ns units since 1601-01-01; 11644473600 s from there to 1970-01-01 */
    return (int64_t)(t.QuadPart / 10000000u) - INT64_C(11644473600);
}

int rtcpm_random_bytes(void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len)
    {
        ULONG chunk = len > 0x10000000u ? 0x10000000u : (ULONG)len;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, p, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
        {
            memset(buf, 0, (size_t)(p - (unsigned char *)buf) + len);
            return -1;
        }
        p += chunk;
        len -= chunk;
    }
    return 0;
}

struct rtcpm_thread
{
    HANDLE handle;
    struct thread_start start;
};

static DWORD WINAPI thread_main(LPVOID p)
{
    struct thread_start *s = p;
    s->fn(s->arg);
    return 0;
}

static int os_thread_create(rtcpm_thread *t)
{
    t->handle = CreateThread(NULL, 0, thread_main, &t->start, 0, NULL);
    return t->handle ? 0 : -1;
}

void rtcpm_sleep_ms(unsigned ms) { Sleep(ms); }

static void os_thread_wait(rtcpm_thread *t)
{
    WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
}

int rtcpm_thread_is_current(const rtcpm_thread *t) { return t && GetThreadId(t->handle) == GetCurrentThreadId(); }

/* GetModuleFileNameA: the ANSI code page, what fopen() takes (src/pm/config.c). */
static size_t os_exe_path(char *buf, size_t len)
{
    DWORD n = GetModuleFileNameA(NULL, buf, (DWORD)len);
    return n && n < len ? (size_t)n : 0;
}

#else /* POSIX */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

struct rtcpm_thread
{
    pthread_t id;
    struct thread_start start;
};

static void *thread_main(void *p)
{
    struct thread_start *s = p;
    s->fn(s->arg);
    return NULL;
}

static int os_thread_create(rtcpm_thread *t) { return pthread_create(&t->id, NULL, thread_main, &t->start) ? -1 : 0; }

static void os_thread_wait(rtcpm_thread *t) { pthread_join(t->id, NULL); }

void rtcpm_sleep_ms(unsigned ms)
{
    struct timespec ts = { (time_t)(ms / 1000u), (long)(ms % 1000u) * 1000000L };
    while (nanosleep(&ts, &ts) && errno == EINTR)
    {
    }
}
int rtcpm_thread_is_current(const rtcpm_thread *t) { return t && pthread_equal(t->id, pthread_self()); }

static size_t os_exe_path(char *buf, size_t len)
{
    ssize_t n = len ? readlink("/proc/self/exe", buf, len - 1) : -1;
    if (n <= 0 || (size_t)n >= len - 1) return 0; /* may have been cut short */
    buf[n] = 0;
    return (size_t)n;
}

uint64_t rtcpm_clock_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int64_t rtcpm_clock_epoch_s(void) { return (int64_t)time(NULL); }

static int urandom_bytes(unsigned char *p, size_t len)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    while (len)
    {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
        {
            close(fd);
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    close(fd);
    return 0;
}

int rtcpm_random_bytes(void *buf, size_t len)
{
    unsigned char *p = buf;
    size_t left = len;
    while (left)
    {
        ssize_t n = getrandom(p, left, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
        {
            if (errno == ENOSYS && urandom_bytes(p, left) == 0) return 0;
            memset(buf, 0, len);
            return -1;
        }
        p += n;
        left -= (size_t)n;
    }
    return 0;
}
#endif

/* ---- written once over the OS parts above ---- */

int rtcpm_thread_start(rtcpm_thread **out, void (*fn)(void *), void *arg)
{
    rtcpm_thread *t = calloc(1, sizeof *t);
    *out = NULL;
    if (!t) return -1;
    t->start.fn = fn;
    t->start.arg = arg;
    if (os_thread_create(t))
    {
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

void rtcpm_thread_join(rtcpm_thread *t)
{
    if (!t) return;
    os_thread_wait(t);
    free(t);
}

uint64_t rtcpm_clock_ms(void) { return rtcpm_clock_us() / 1000u; }

int rtcpm_exe_dir(char *buf, size_t len)
{
    size_t n = len ? os_exe_path(buf, len) : 0;
    while (n && buf[n - 1] != '/' && buf[n - 1] != '\\') n--;
    if (n < 2)
    {
        if (len) buf[0] = 0;
        return -1;
    }
    buf[n - 1] = 0; /* drop the separator (and the file name after it) */
    return 0;
}
