/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_shell.h — rtcpm-pm's commands (see rtcpm_pm.c's usage): GetMappingEx / ReleaseMappingEx
 * by number, the port manager's listing, events and counters, waiting for a counter.
 */
#ifndef RTCPM_SAMPLES_PM_SHELL_H
#define RTCPM_SAMPLES_PM_SHELL_H

#include "rtcpm/rtcpm.h"

#define PM_SHELL_MAX 64

struct pm_shell_mapping
{
    int live;
    LONG transport;
    BSTR internal, external;
    LONG internal_port, external_port;
};

struct pm_shell
{
    const char *kind; /* "pcp", "pcp-config", "stun", ... */
    IRTCPortManager3 *pm;
    struct pm_shell_mapping maps[PM_SHELL_MAX + 1]; /* by number, from 1 */
    int count;
};

/* Runs one command line, printing its answer. */
void pm_shell_command(struct pm_shell *sh, const char *line);

#endif
