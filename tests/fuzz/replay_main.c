/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * replay_main.c — runs a fuzz target without libFuzzer: every file given (directly or inside
 * a directory given) goes once through LLVMFuzzerTestOneInput, in name order.
 *
 *   fuzz_<x>_replay DIR|FILE...
 *
 * A directory that does not exist is skipped (regressions/<target>/ appears with the first
 * kept crash); files whose name starts with '.' are ignored. Exit 0 when at least one input
 * ran; a failing input aborts inside the target.
 * Each input is copied into a heap block of exactly its size, so ASan and valgrind see any
 * read past its end.
 */
/* 64-bit inode numbers and sizes on 32-bit builds too: without this, stat() and readdir()
 * under native32 fail with EOVERFLOW on file systems with large inode numbers. */
#define _FILE_OFFSET_BITS 64

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_check.h"

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
    {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = fuzz_alloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len, f)) > 0)
    {
        len += got;
        if (len == cap)
        {
            uint8_t *bigger = fuzz_alloc(cap * 2);
            memcpy(bigger, buf, len);
            free(buf);
            buf = bigger;
            cap *= 2;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (failed)
    {
        fprintf(stderr, "replay: read error on %s\n", path);
        free(buf);
        return -1;
    }
    uint8_t *exact = fuzz_alloc(len);
    if (len) memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Replays every regular file of dir in name order; returns the count, or -1 on error. */
static long replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
    {
        fprintf(stderr, "replay: cannot open %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL)
    {
        if (e->d_name[0] == '.') continue;
        if (count == cap)
        {
            cap = cap ? cap * 2 : 64;
            char **bigger = fuzz_alloc(cap * sizeof *bigger);
            if (count) memcpy(bigger, names, count * sizeof *names);
            free(names);
            names = bigger;
        }
        size_t n = strlen(dir) + 1 + strlen(e->d_name) + 1;
        names[count] = fuzz_alloc(n);
        snprintf(names[count], n, "%s/%s", dir, e->d_name);
        count++;
        errno = 0;
    }
    int read_error = errno;
    closedir(d);
    if (count) qsort(names, count, sizeof *names, by_name);

    long done = 0;
    if (read_error)
    {
        fprintf(stderr, "replay: reading %s: %s\n", dir, strerror(read_error));
        done = -1;
    }
    for (size_t i = 0; i < count; i++)
    {
        struct stat st;
        if (done >= 0)
        {
            if (stat(names[i], &st) != 0)
            {
                fprintf(stderr, "replay: %s: %s\n", names[i], strerror(errno));
                done = -1;
            }
            else if (S_ISREG(st.st_mode))
            {
                done = replay_file(names[i]) == 0 ? done + 1 : -1;
            }
        }
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv)
{
    long total = 0;

    for (int i = 1; i < argc; i++)
    {
        struct stat st;
        if (stat(argv[i], &st) != 0)
        {
            if (errno == ENOENT)
            {
                printf("replay: %s: not there, skipped\n", argv[i]);
                continue;
            }
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        long n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : (replay_file(argv[i]) == 0 ? 1 : -1);
        if (n < 0) return 1;
        printf("replay: %s: %ld input(s)\n", argv[i], n);
        total += n;
    }
    if (total == 0)
    {
        fprintf(stderr, "replay: no input found\n");
        return 1;
    }
    printf("replay: %ld input(s), all passed\n", total);
    return 0;
}
