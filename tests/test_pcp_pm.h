/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_pcp_pm.h — what the PCP port manager's test files share: a port manager in front of
 * the fake PCP server, GetMappingEx / ReleaseMappingEx with text, waiting for the worker.
 */
#ifndef RTCPM_TESTS_TEST_PCP_PM_H
#define RTCPM_TESTS_TEST_PCP_PM_H

#define COBJMACROS
#include "harness.h"

#include "fake_pcp_server.h"
#include "loopback.h"
#include "os/os_platform.h"

#define PCP_SLACK_MS       1000
#define PCP_TEST_PORT_BASE 47100

struct pcp_mapping
{
    HRESULT hr;
    char internal[RTCPM_ADDR_TEXT_SIZE], external[RTCPM_ADDR_TEXT_SIZE];
    LONG internal_port, external_port;
    uint64_t ms;
};

/* Starts srv (opt NULL: no fault) on 127.0.0.1 and makes a port manager with "[pcp]",
 * "server = <srv>", "local-address = 127.0.0.1", "announce = off" (unless f sets it), then
 * the INI lines of f, printf-style. Fatal when the config is refused. */
IRTCPortManager3 *pcp_pm_with_server(struct fake_pcp_server *srv, const struct fake_pcp_options *opt, const char *f,
                                     ...);
/* Releases the port manager (its last reference) and stops the server. */
void pcp_pm_done(IRTCPortManager3 *pm, struct fake_pcp_server *srv);

struct pcp_mapping pcp_get(IRTCPortManager3 *pm, LONG transport, int type);
HRESULT pcp_release(IRTCPortManager3 *pm, LONG transport, const struct pcp_mapping *m);

/* Waits up to ms until the counter picked by `which` reaches want; its last value. */
LONG pcp_wait_stat(IRTCPortManager3 *pm, size_t offset, LONG want, unsigned ms);
#define PCP_WAIT(pm, field, want, ms) pcp_wait_stat((pm), offsetof(struct rtcpm_pcp_pm_stats, field), (want), (ms))

/* test_pcp_pm_more.c */
void test_pcp_renewal_at_half_life(void);
void test_pcp_epoch_reset_recreates(void);
void test_pcp_announce_recreates(void);
void test_pcp_recreated_elsewhere(void);
void test_pcp_identity_and_release(void);
void test_pcp_config(void);
void test_pcp_threads(void);
#define PCP_PM_MORE_TESTS                                                                                              \
    { "renewal_at_half_life", test_pcp_renewal_at_half_life },                                                         \
        { "epoch_reset_recreates", test_pcp_epoch_reset_recreates },                                                   \
        { "announce_recreates", test_pcp_announce_recreates },                                                         \
        { "recreated_elsewhere", test_pcp_recreated_elsewhere },                                                       \
        { "identity_and_release", test_pcp_identity_and_release }, { "config", test_pcp_config },                      \
    {                                                                                                                  \
        "threads", test_pcp_threads                                                                                    \
    }

#endif
