/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm-pm — one of rtcpm's port managers, driven line by line from stdin the way RTC calls
 * it, for scripts (the e2e harness holds a mapping while it sends packets through the NAT,
 * releases it, restarts the router) and for trying a port manager by hand:
 *
 *   $ rtcpm-pm --pcp
 *   map udp audio-rtp
 *   mapping 1 audio-rtp udp 198.18.1.2:40000 -> 198.19.1.1:40000
 *   release 1
 *   released 1
 *
 * See usage() for the commands. Exit status: 0 after quit / end of input, 64 bad usage or
 * config, 70 the port manager could not be made.
 */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com/bstr_util.h"
#include "pm/config.h"
#include "rtcpm/rtcpm.h"
#include "pm_shell.h"
#include "program.h"

static void usage(FILE *f)
{
    fputs("Usage: rtcpm-pm PORT-MANAGER [--local ADDR] < commands\n"
          "       rtcpm-pm --help | --version\n"
          "Makes one of rtcpm's port managers and calls it as RTC would, one command per line.\n"
          "\n"
          "Port manager (exactly one):\n"
          "  --pcp [SERVER[,SERVER]]  PCP / NAT-PMP (default: the default gateway)\n"
          "  --pcp-config FILE        PCP from an INI file ([pcp], [ports ...])\n"
          "  --upnp [IGD-URL]         UPnP IGD (default: SSDP discovery; Windows: hnetcfg)\n"
          "  --upnp-config FILE       UPnP from an INI file ([upnp], [ports ...])\n"
          "  --upnp-stun SERVER       UPnP: STUN server for the external address\n"
          "  --stun SERVERS           STUN (host[:port],...)\n"
          "  --auto [STUN-SERVERS]    automatic: PCP, NAT-PMP, UPnP, then STUN (when servers\n"
          "                           are given), then local addresses\n"
          "  --auto-config FILE       automatic from an INI file ([auto], [ports ...])\n"
          "  (a FILE named without a directory that is not here: the installed sample of that\n"
          "   name, e.g. pcp-nat.ini, upnp-nat.ini, auto-nat.ini in share/rtcpm)\n"
          "  --local ADDR             the port manager's local address (default: by route)\n"
          "  --lifetime S             PCP: lifetime asked for (default 7200)\n"
          "\n"
          "Commands (stdin) and their answers (stdout):\n"
          "  map TRANSPORT TYPE [REMOTE]  GetMappingEx: \"mapping N TYPE TRANSPORT INT -> EXT\" or\n"
          "                               \"failed HRESULT_NAME: reason\"; TRANSPORT udp|tcp|tls,\n"
          "                               TYPE sip|audio-rtp|audio-rtcp|video-rtp|video-rtcp\n"
          "  release N                    ReleaseMappingEx of mapping N: \"released N\" or \"failed ...\"\n"
          "  list                         the live mappings (\"live ...\" lines), then \"end\"\n"
          "  event                        \"event TEXT\": what the port manager did on its own\n"
          "  igd                          UPnP: \"igd URL\" how the IGD was found\n"
          "  mechanism                    automatic: \"mechanism NAME\" and \"verdict TEXT\" (waits\n"
          "                               for a probe in progress)\n"
          "  stats                        \"stats NAME=VALUE ...\"\n"
          "  wait NAME N SECONDS          until counter NAME reaches N: \"reached NAME V\" or\n"
          "                               \"timeout NAME V\"\n"
          "  sleep MS                     \"slept MS\"\n"
          "  quit                         the last Release (it deletes what is left): \"bye\"\n"
          "Exit status: 0 after quit or end of input, 64 bad usage or config, 70 no port manager.\n",
          f);
}

static int bad(const char *what, const char *value)
{
    fprintf(stderr, "rtcpm-pm: %s%s%s (try --help)\n", what, value ? ": " : "", value ? value : "");
    return -1;
}

/* 0 made, 1 help/version, -1 usage (printed), -2 creation failed (printed). */
static int make(int argc, char **argv, struct pm_shell *sh)
{
    struct rtcpm_pcp_pm_config pcp;
    struct rtcpm_upnp_pm_config upnp;
    const char *kind = NULL, *arg = NULL, *local = NULL, *upnp_stun = NULL;
    char err[300], found[1024];
    long lifetime = 0;
    HRESULT hr = E_FAIL;
    int i;
    for (i = 1; i < argc; i++)
    {
        const char *a = argv[i], *v = i + 1 < argc && argv[i + 1][0] != '-' ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout), 1;
        if (!strcmp(a, "--version")) return program_print_version("rtcpm-pm"), 1;
        if (!strcmp(a, "--pcp") || !strcmp(a, "--pcp-config") || !strcmp(a, "--stun") || !strcmp(a, "--upnp") ||
            !strcmp(a, "--upnp-config") || !strcmp(a, "--auto") || !strcmp(a, "--auto-config"))
        {
            if (kind) return bad("one port manager only", a);
            kind = a + 2;
            if (v) arg = v, i++;
            if (!arg && strcmp(kind, "pcp") && strcmp(kind, "upnp") && strcmp(kind, "auto"))
                return bad("missing value after", a);
        }
        else if (!strcmp(a, "--upnp-stun") && v)
            upnp_stun = v, i++;
        else if (!strcmp(a, "--local") && v)
            local = v, i++;
        else if (!strcmp(a, "--lifetime") && v && (lifetime = strtol(v, NULL, 10)) > 0)
            i++;
        else
            return bad("unknown option or missing value", a);
    }
    if (!kind) return bad("a port manager is needed (--pcp, --upnp, --auto, --stun, or a --*-config)", NULL);
    /* a config named without a directory may be the installed sample (share/rtcpm) */
    if (strstr(kind, "-config")) arg = program_config_path(arg, found, sizeof(found));
    sh->kind = kind;
    if (!strcmp(kind, "pcp"))
    {
        rtcpm_pcp_pm_config_init(&pcp);
        pcp.server = arg;
        pcp.local_address = local;
        if (lifetime) pcp.lifetime_s = lifetime;
        hr = rtcpm_pcp_pm_create_ex(&pcp, &sh->pm, err, sizeof(err));
    }
    else if (!strcmp(kind, "pcp-config"))
        hr = rtcpm_pcp_pm_create_from_file(arg, &sh->pm, err, sizeof(err));
    else if (!strcmp(kind, "upnp"))
    {
        rtcpm_upnp_pm_config_init(&upnp);
        upnp.igd_url = arg;
        upnp.local_address = local;
        upnp.stun = upnp_stun;
        if (lifetime) upnp.lifetime_s = lifetime;
        hr = rtcpm_upnp_pm_create_ex(&upnp, &sh->pm, err, sizeof(err));
    }
    else if (!strcmp(kind, "upnp-config"))
        hr = rtcpm_upnp_pm_create_from_file(arg, &sh->pm, err, sizeof(err));
    else if (!strcmp(kind, "auto"))
    {
        struct rtcpm_auto_pm_config au;
        rtcpm_auto_pm_config_init(&au);
        au.stun = arg;
        au.local_address = local;
        if (lifetime) au.lifetime_s = lifetime;
        hr = rtcpm_auto_pm_create_ex(&au, &sh->pm, err, sizeof(err));
    }
    else if (!strcmp(kind, "auto-config"))
        hr = rtcpm_auto_pm_create_from_file(arg, &sh->pm, err, sizeof(err));
    else
        hr = rtcpm_stun_pm_create(arg, &sh->pm, err, sizeof(err));
    if (hr == E_INVALIDARG || hr == HRESULT_FROM_WIN32(2L)) return bad(err, NULL);
    if (FAILED(hr)) return fprintf(stderr, "rtcpm-pm: no port manager: 0x%08lx %s\n", (unsigned long)hr, err), -2;
    return 0;
}

int main(int argc, char **argv)
{
    struct pm_shell sh;
    char line[512];
    int rc;
    memset(&sh, 0, sizeof(sh));
    setvbuf(stdout, NULL, _IOLBF, 0);
    rc = make(argc, argv, &sh);
    if (rc) return rc > 0 ? 0 : rc == -1 ? 64 : 70;
    printf("ready %s\n", sh.kind);
    while (sh.pm && fgets(line, sizeof(line), stdin))
    {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (n) pm_shell_command(&sh, line);
    }
    if (sh.pm) pm_shell_command(&sh, "quit");
    return 0;
}
