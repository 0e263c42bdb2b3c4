/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * program.c — see program.h: the installed sample configs, found relative to the program.
 */
#include <stdio.h>
#include <string.h>
#include "program.h"
#include "os/os_platform.h"

#ifndef RTCPM_DATA_FROM_BIN
#error "RTCPM_DATA_FROM_BIN (share/rtcpm relative to the programs' directory) comes from samples/CMakeLists.txt"
#endif

static int readable(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    fclose(f);
    return 1;
}

const char *program_installed_config(const char *name, char *buf, size_t len)
{
    char dir[1024];
    int n;

    if (!len) return NULL;
    buf[0] = 0;
    if (rtcpm_exe_dir(dir, sizeof(dir)) != 0) return NULL;
    n = snprintf(buf, len, "%s/%s/%s", dir, RTCPM_DATA_FROM_BIN, name);
    if (n < 0 || (size_t)n >= len) return NULL;
    return readable(buf) ? buf : NULL;
}

const char *program_config_path(const char *name, char *buf, size_t len)
{
    if (!name || readable(name) || strchr(name, '/') || strchr(name, '\\')) return name;
    return program_installed_config(name, buf, len) ? buf : name;
}
