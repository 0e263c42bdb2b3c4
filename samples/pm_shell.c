/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_shell.c — rtcpm-pm's commands; see pm_shell.h.
 */
#define COBJMACROS
#include "pm_shell.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com/bstr_util.h"
#include "os/os_platform.h"
#include "pm/config.h"

static int is_pcp(const struct pm_shell *sh) { return !strncmp(sh->kind, "pcp", 3); }
static int is_upnp(const struct pm_shell *sh) { return !strncmp(sh->kind, "upnp", 4); }
static int is_auto(const struct pm_shell *sh) { return !strncmp(sh->kind, "auto", 4); }

static void last_error(const struct pm_shell *sh, char *buf, size_t len)
{
    buf[0] = 0;
    if (is_pcp(sh))
        rtcpm_pcp_pm_last_error(sh->pm, buf, len);
    else if (is_upnp(sh))
        rtcpm_upnp_pm_last_error(sh->pm, buf, len);
    else if (is_auto(sh))
        rtcpm_auto_pm_last_error(sh->pm, buf, len);
    else
        rtcpm_stun_pm_last_error(sh->pm, buf, len);
}

static void do_map(struct pm_shell *sh, const char *transport, const char *type, const char *remote)
{
    struct pm_shell_mapping *m;
    LONG tr = !strcmp(transport, "udp") ? RTCTR_UDP : !strcmp(transport, "tcp") ? RTCTR_TCP : RTCTR_TLS;
    BSTR r = remote ? rtcpm_bstr_from_cstr(remote) : NULL;
    char why[300], in[80], ex[80];
    size_t len;
    int t;
    HRESULT hr;
    if (rtcpm_cfg_port_type(type, &t) || t < 0 ||
        (strcmp(transport, "udp") && strcmp(transport, "tcp") && strcmp(transport, "tls")))
    {
        printf("usage: map udp|tcp|tls sip|audio-rtp|audio-rtcp|video-rtp|video-rtcp [REMOTE]\n");
        SysFreeString(r);
        return;
    }
    if (sh->count == PM_SHELL_MAX)
    {
        printf("failed: more than %d mappings in one session\n", PM_SHELL_MAX);
        SysFreeString(r);
        return;
    }
    m = &sh->maps[sh->count + 1];
    memset(m, 0, sizeof(*m));
    hr = IRTCPortManager3_GetMappingEx(sh->pm, r, 0, tr, (RTC_PORT_TYPE)t, &m->internal, &m->internal_port,
                                       &m->external, &m->external_port);
    SysFreeString(r);
    if (FAILED(hr))
    {
        last_error(sh, why, sizeof(why));
        char name[11];
        printf("failed %s: %s\n", rtcpm_hresult_name(hr, name), why);
        return;
    }
    m->live = 1;
    m->transport = tr;
    sh->count++;
    rtcpm_bstr_to_utf8(m->internal, in, sizeof(in), &len);
    rtcpm_bstr_to_utf8(m->external, ex, sizeof(ex), &len);
    printf("mapping %d %s %s %s:%ld -> %s:%ld\n", sh->count, type, transport, in, (long)m->internal_port, ex,
           (long)m->external_port);
}

static void do_release(struct pm_shell *sh, int n)
{
    struct pm_shell_mapping *m = n >= 1 && n <= sh->count ? &sh->maps[n] : NULL;
    HRESULT hr;
    if (!m || !m->live)
    {
        printf("failed: no live mapping %d\n", n);
        return;
    }
    hr = IRTCPortManager3_ReleaseMappingEx(sh->pm, m->transport, m->internal, m->internal_port, m->external,
                                           m->external_port);
    if (FAILED(hr))
    {
        char name[11];
        printf("failed %s\n", rtcpm_hresult_name(hr, name));
        return;
    }
    m->live = 0;
    printf("released %d\n", n);
}

/* The port manager's counters as name/value pairs; how many. */
static int counters(struct pm_shell *sh, const char **names, LONG *values)
{
    static const char *const pcp_names[] = { "requests",  "mappings", "renewals", "recreations", "epoch_resets",
                                             "announces", "deletes",  "failures", "events" };
    int i, n = 0;
    if (is_pcp(sh))
    {
        struct rtcpm_pcp_pm_stats st;
        rtcpm_pcp_pm_get_stats(sh->pm, &st);
        for (i = 0; i < 9; i++) names[n] = pcp_names[i], values[n++] = ((LONG *)&st)[i];
    }
    else if (is_upnp(sh))
    {
        struct rtcpm_upnp_pm_stats st;
        static const char *const upnp_names[] = { "discoveries", "mappings", "renewals", "deletes",
                                                  "stun",        "failures", "events" };
        rtcpm_upnp_pm_get_stats(sh->pm, &st);
        for (i = 0; i < 7; i++) names[n] = upnp_names[i], values[n++] = ((LONG *)&st)[i];
    }
    else if (is_auto(sh))
        names[n] = "probes", values[n++] = rtcpm_auto_pm_probes(sh->pm);
    else
    {
        struct rtcpm_stun_pm_stats st;
        static const char *const stun_names[] = { "transactions",     "requests", "cache_hits",
                                                  "symmetric_checks", "warm_ups", "failures" };
        rtcpm_stun_pm_get_stats(sh->pm, &st);
        for (i = 0; i < 6; i++) names[n] = stun_names[i], values[n++] = ((LONG *)&st)[i];
    }
    return n;
}

static void do_stats(struct pm_shell *sh)
{
    const char *names[16];
    LONG values[16];
    int i, n = counters(sh, names, values);
    printf("stats");
    for (i = 0; i < n; i++) printf(" %s=%ld", names[i], (long)values[i]);
    printf("\n");
}

static void do_wait(struct pm_shell *sh, const char *name, long want, long seconds)
{
    uint64_t end = rtcpm_clock_ms() + (uint64_t)seconds * 1000u;
    for (;;)
    {
        const char *names[16];
        LONG values[16];
        int i, n = counters(sh, names, values);
        for (i = 0; i < n && strcmp(names[i], name); i++)
        {
        }
        if (i == n)
        {
            printf("failed: no counter '%s'\n", name);
            return;
        }
        if (values[i] >= want || rtcpm_clock_ms() >= end)
        {
            printf("%s %s %ld\n", values[i] >= want ? "reached" : "timeout", name, (long)values[i]);
            return;
        }
        rtcpm_sleep_ms(20);
    }
}

static void do_list(struct pm_shell *sh)
{
    char buf[8192], *line, *next;
    LONG n = is_pcp(sh)    ? rtcpm_pcp_pm_format_mappings(sh->pm, buf, sizeof(buf))
             : is_upnp(sh) ? rtcpm_upnp_pm_format_mappings(sh->pm, buf, sizeof(buf))
             : is_auto(sh) ? rtcpm_auto_pm_format_mappings(sh->pm, buf, sizeof(buf))
                           : rtcpm_stun_pm_format_mappings(sh->pm, buf, sizeof(buf));
    if (n < 0) buf[0] = 0;
    for (line = buf; *line; line = next)
    {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        else
            next = line + strlen(line);
        printf("live %s\n", line);
    }
    printf("end\n");
}

static void do_quit(struct pm_shell *sh)
{
    int i;
    for (i = 1; i <= sh->count; i++)
    {
        SysFreeString(sh->maps[i].internal);
        SysFreeString(sh->maps[i].external);
    }
    IRTCPortManager3_Release(sh->pm);
    sh->pm = NULL;
    printf("bye\n");
}

void pm_shell_command(struct pm_shell *sh, const char *line)
{
    char cmd[32] = "", a[64] = "", b[64] = "", c[80] = "";
    int n = sscanf(line, "%31s %63s %63s %79s", cmd, a, b, c);
    char text[300];
    if (n >= 3 && !strcmp(cmd, "map"))
        do_map(sh, a, b, n == 4 ? c : NULL);
    else if (n == 2 && !strcmp(cmd, "release"))
        do_release(sh, atoi(a));
    else if (n == 1 && !strcmp(cmd, "list"))
        do_list(sh);
    else if (n == 1 && !strcmp(cmd, "event"))
    {
        text[0] = 0;
        if (is_pcp(sh)) rtcpm_pcp_pm_last_event(sh->pm, text, sizeof(text));
        if (is_upnp(sh)) rtcpm_upnp_pm_last_event(sh->pm, text, sizeof(text));
        printf("event %s\n", text);
    }
    else if (n == 1 && !strcmp(cmd, "igd") && is_upnp(sh))
    {
        rtcpm_upnp_pm_igd(sh->pm, text, sizeof(text));
        printf("igd %s\n", text);
    }
    else if (n == 1 && !strcmp(cmd, "mechanism") && is_auto(sh))
    {
        rtcpm_auto_pm_wait_ready(sh->pm, -1);
        rtcpm_auto_pm_verdict(sh->pm, text, sizeof(text));
        printf("mechanism %s\nverdict %s\n", rtcpm_auto_pm_mechanism(sh->pm), text);
    }
    else if (n == 1 && !strcmp(cmd, "stats"))
        do_stats(sh);
    else if (n == 4 && !strcmp(cmd, "wait"))
        do_wait(sh, a, atol(b), atol(c));
    else if (n == 2 && !strcmp(cmd, "sleep"))
    {
        rtcpm_sleep_ms((unsigned)atol(a));
        printf("slept %s\n", a);
    }
    else if (n == 1 && !strcmp(cmd, "quit"))
        do_quit(sh);
    else
        printf("unknown command: %s (map, release, list, event, stats, wait, sleep, quit)\n", line);
}
