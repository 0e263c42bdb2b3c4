/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * program.h — what every rtcpm-* program shares: the --version text (the version of CMake's
 * project(), through rtcpm/version.h), the exit code of a usage error, and where an installed
 * program finds the installed sample configs.
 */
#ifndef RTCPM_SAMPLES_PROGRAM_H
#define RTCPM_SAMPLES_PROGRAM_H

#include <stddef.h>
#include <stdio.h>
#include "rtcpm/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* sysexits.h's EX_USAGE (not on Windows): bad command line, also a bad config file. */
#define PROGRAM_EX_USAGE 64

/* GNU style, what help2man reads: "rtcpm-demo (rtcpm) 0.1.0", then the licence. */
static inline void program_print_version(const char *program)
{
    printf("%s (rtcpm) %s\n"
           "Copyright (C) the rtcpm authors.\n"
           "License LGPL-2.1-or-later: GNU Lesser General Public License version 2.1 or later\n"
           "<https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html>.\n"
           "This is free software: you are free to change and redistribute it.\n"
           "There is NO WARRANTY, to the extent permitted by law.\n",
           program, RTCPM_VERSION);
}

/*
 * A config named on the command line (--config NAME): NAME itself when it can be opened or
 * has a directory part; else, for a bare file name, the installed sample of that name
 * (CMake's RTCPM_SAMPLE_CONFIGS: static-nat.ini, stun.ini, pcp-nat.ini, ...) in share/rtcpm
 * beside the program's installation (RTCPM_DATA_FROM_BIN, relative to the executable, so an unpacked zip or a
 * prefix moved elsewhere still works); never the source tree. Returns NAME or buf.
 */
const char *program_config_path(const char *name, char *buf, size_t len);

/* The installed sample config NAME (as above, without looking at the current directory):
 * buf, or NULL when there is none (buf then holds where it was looked for). */
const char *program_installed_config(const char *name, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
