/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm-info — lists the RTC 1.5 port-management interfaces this build provides: IID
 * (published or project-assigned) and number of vtable slots. A smoke test of the headers,
 * the IID definitions and the BSTR runtime, natively and under Wine.
 */
#include <stdio.h>
#include <string.h>
#include "rtcpm/rtcpm.h"
#include "program.h"

struct iface_row
{
    const char *name;
    const IID *iid;
    size_t vtbl_size;
    int project_assigned;
};

int main(int argc, char **argv)
{
    static const struct iface_row rows[] = {
        { "IRTCPortManager", &IID_IRTCPortManager, sizeof(IRTCPortManagerVtbl), 0 },
        { "IRTCPortManager2", &IID_IRTCPortManager2, sizeof(IRTCPortManager2Vtbl), 1 },
        { "IRTCPortManager3", &IID_IRTCPortManager3, sizeof(IRTCPortManager3Vtbl), 1 },
        { "IRTCSessionPortManagement", &IID_IRTCSessionPortManagement, sizeof(IRTCSessionPortManagementVtbl), 0 },
        { "IRTCClientPortManagement", &IID_IRTCClientPortManagement, sizeof(IRTCClientPortManagementVtbl), 0 },
        { "IRTCProfilePortManagement", &IID_IRTCProfilePortManagement, sizeof(IRTCProfilePortManagementVtbl), 1 },
    };
    BSTR probe;
    size_t i;

    if (argc > 1)
    {
        int help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
        if (!strcmp(argv[1], "--version"))
        {
            program_print_version("rtcpm-info");
            return 0;
        }
        if (!help) fprintf(stderr, "rtcpm-info: unexpected argument: %s\n\n", argv[1]);
        fprintf(help ? stdout : stderr, "Usage: rtcpm-info [--help | --version]\n"
                                        "Lists the RTC port-management interfaces of this build with their IIDs\n"
                                        "(project-assigned ones marked) and vtable slot counts, and the versions of\n"
                                        "rtcpm's headers and library.\n"
                                        "\n"
                                        "  --help     this text\n"
                                        "  --version  the version of rtcpm\n"
                                        "\n"
                                        "Exit status: 0, or 64 for a bad command line.\n");
        return help ? 0 : PROGRAM_EX_USAGE;
    }
    /* only rtcpm's own BSTR runtime counts live strings: that tells which one is in use */
    printf("rtcpm %s (headers %s), %d-bit, BSTR from %s\n", rtcpm_version(), RTCPM_VERSION, (int)(8 * sizeof(void *)),
           rtcpm_live_bstrs() >= 0 ? "rtcpm's native runtime" : "oleaut32");
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
    {
        char iid[39];
        rtcpm_guid_to_string(rows[i].iid, iid);
        printf("%-26s %s %2u slots%s\n", rows[i].name, iid, (unsigned)(rows[i].vtbl_size / sizeof(void *)),
               rows[i].project_assigned ? "  (project-assigned IID)" : "");
    }
    probe = SysAllocString(RTCPM_W("198.51.100.7"));
    printf("BSTR probe: %u characters, %u bytes\n", SysStringLen(probe), SysStringByteLen(probe));
    SysFreeString(probe);
    return 0;
}
