/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_sample_configs.c — every sample config installed into share/rtcpm (RTCPM_SAMPLE_CONFIGS,
 * the list samples/CMakeLists.txt installs) loads without error through the loader of its port
 * manager, picked by the file's first section: [mapping] the static port manager's
 * (rtcpm_static_pm_load_file, as `rtcpm-demo --config`), [stun] / [pcp] / [upnp] / [auto] what
 * rtcpm_*_pm_create_from_file runs (as `rtcpm-pm --*-config`) short of making the object, which
 * would ask this machine's router: the file's parse, then create_ex's checks (settings_make).
 * The values the new samples show are the ones loaded, and every .ini in samples/ is installed.
 */
#define COBJMACROS
/* 64-bit inode numbers and offsets for readdir on 32-bit builds: without it, glibc's readdir
 * fails with EOVERFLOW on a file system with large ones (native32 under qemu-user) */
#define _FILE_OFFSET_BITS 64
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pm/auto_pm_private.h"
#include "pm/config.h"
#include "pm/pcp_pm_private.h"
#include "pm/stun_pm_private.h"
#include "pm/upnp_pm_private.h"

#if !defined(RTCPM_SAMPLES_DIR) || !defined(RTCPM_SAMPLE_CONFIGS)
#error "RTCPM_SAMPLES_DIR and RTCPM_SAMPLE_CONFIGS (comma-separated names) must be defined"
#endif

#define STORAGE (8 * 1025)

static char storage[STORAGE];

/* The name of the file's first section ("mapping", "stun", ...) into buf; 0, or -1. */
static int first_section(const char *path, char *buf, size_t buflen)
{
    char *text, err[300], *p;
    size_t len, n;
    if (FAILED(rtcpm_config_read_file(path, &text, &len, err, sizeof(err)))) return printf("\n    %s\n", err), -1;
    for (p = text; p && *p != '['; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
    {
    }
    n = p ? strcspn(p + 1, " ]\r\n") : 0;
    if (p && n < buflen) memcpy(buf, p + 1, n), buf[n] = 0;
    free(text);
    return p && n < buflen ? 0 : -1;
}

static void load_static(const char *path)
{
    IRTCPortManager3 *pm = NULL;
    char err[300] = "";
    HRESULT hr;
    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&pm), S_OK);
    hr = rtcpm_static_pm_load_file(pm, path, err, sizeof(err));
    if (hr != S_OK) printf("\n    %s\n", err);
    CU_ASSERT_EQUAL(hr, S_OK);
    CU_ASSERT_TRUE(rtcpm_static_pm_rule_count(pm) > 0);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
}

static void load_stun(const char *path)
{
    struct rtcpm_stun_pm_config cfg;
    struct stun_pm_settings *set = malloc(sizeof(*set));
    char *text = NULL, err[300] = "";
    size_t len;
    HRESULT hr = rtcpm_config_read_file(path, &text, &len, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(set);
    if (SUCCEEDED(hr))
        hr = rtcpm_stun_pm_parse_config(text, len, path, &cfg, storage, sizeof(storage), err, sizeof(err));
    if (SUCCEEDED(hr)) hr = rtcpm_stun_pm_settings_make(&cfg, set, err, sizeof(err));
    if (hr != S_OK) printf("\n    %s\n", err);
    CU_ASSERT_EQUAL(hr, S_OK);
    free(text);
    free(set);
}

static void load_pcp(const char *path)
{
    struct rtcpm_pcp_pm_config cfg;
    struct pcp_pm_settings set;
    char err[300] = "";
    HRESULT hr;
    rtcpm_pcp_pm_config_init(&cfg);
    hr = rtcpm_pmc_parse_file(&rtcpm_pcp_pm_schema, path, &cfg, storage, sizeof(storage), err, sizeof(err));
    if (SUCCEEDED(hr)) hr = rtcpm_pcp_pm_settings_make(&cfg, &set, err, sizeof(err));
    if (hr != S_OK) printf("\n    %s\n", err);
    CU_ASSERT_EQUAL_FATAL(hr, S_OK);
    if (!strstr(path, "pcp-nat.ini")) return;
    CU_ASSERT_EQUAL(set.server_count, 0); /* the default gateway */
    CU_ASSERT_EQUAL(set.protocol, RTCPM_PCP_PM_AUTO);
    CU_ASSERT_EQUAL(set.lifetime_s, 7200);
    CU_ASSERT_EQUAL(set.timeout_ms, 3000);
    CU_ASSERT_EQUAL(set.rto_ms, 250);
    CU_ASSERT_EQUAL(set.announce, 1);
    CU_ASSERT_EQUAL(set.announce_port, 5350);
    CU_ASSERT_EQUAL(set.range_count, 3);
}

static void load_upnp(const char *path)
{
    struct rtcpm_upnp_pm_config cfg;
    struct upnp_pm_settings set;
    char err[300] = "";
    HRESULT hr;
    rtcpm_upnp_pm_config_init(&cfg);
    hr = rtcpm_pmc_parse_file(&rtcpm_upnp_pm_schema, path, &cfg, storage, sizeof(storage), err, sizeof(err));
    if (SUCCEEDED(hr)) hr = rtcpm_upnp_pm_settings_make(&cfg, &set, err, sizeof(err));
    if (hr != S_OK) printf("\n    %s\n", err);
    CU_ASSERT_EQUAL_FATAL(hr, S_OK);
    if (!strstr(path, "upnp-nat.ini")) return;
    CU_ASSERT_STRING_EQUAL(set.igd_url, ""); /* discover */
    CU_ASSERT_STRING_EQUAL(set.stun, "");
    CU_ASSERT_STRING_EQUAL(set.description, "rtcpm");
    CU_ASSERT_EQUAL(set.lifetime_s, 3600);
    CU_ASSERT_EQUAL(set.timeout_ms, 3000);
    CU_ASSERT_EQUAL(set.discover_ms, 2000);
    CU_ASSERT_EQUAL(set.range_count, 3);
}

static void load_auto(const char *path)
{
    struct rtcpm_auto_pm_config cfg;
    struct auto_pm_settings set;
    char err[300] = "";
    HRESULT hr;
    rtcpm_auto_pm_config_init(&cfg);
    hr = rtcpm_pmc_parse_file(&rtcpm_auto_pm_schema, path, &cfg, storage, sizeof(storage), err, sizeof(err));
    if (SUCCEEDED(hr)) hr = rtcpm_auto_pm_settings_make(&cfg, &set, err, sizeof(err));
    if (hr != S_OK) printf("\n    %s\n", err);
    CU_ASSERT_EQUAL_FATAL(hr, S_OK);
    if (!strstr(path, "auto-nat.ini")) return;
    CU_ASSERT_EQUAL(set.order_count, 5);
    CU_ASSERT_EQUAL(set.order[0], MECH_PCP);
    CU_ASSERT_EQUAL(set.order[4], MECH_LOCAL);
    CU_ASSERT_STRING_EQUAL(set.stun, ""); /* then "local" is the last resort */
    CU_ASSERT_EQUAL(set.lifetime_s, 7200);
    CU_ASSERT_EQUAL(set.timeout_ms, 3000);
    CU_ASSERT_EQUAL(set.probe_timeout_ms, 8000);
    CU_ASSERT_EQUAL(set.range_count, 3);
}

/* The next name of the comma-separated list at *p into buf; 0 at the end. */
static int next_name(const char **p, char *buf, size_t buflen)
{
    size_t n = strcspn(*p, ",");
    if (!n || n >= buflen) return 0;
    memcpy(buf, *p, n);
    buf[n] = 0;
    *p += n;
    if (**p == ',') (*p)++;
    return 1;
}

static void test_installed_load(void)
{
    const char *p = RTCPM_SAMPLE_CONFIGS;
    char name[128], path[512], section[32];
    int count = 0, news = 0;
    while (next_name(&p, name, sizeof(name)))
    {
        snprintf(path, sizeof(path), "%s/%s", RTCPM_SAMPLES_DIR, name);
        printf("\n    %s", name);
        CU_ASSERT_EQUAL_FATAL(first_section(path, section, sizeof(section)), 0);
        if (!strcmp(section, "mapping"))
            load_static(path);
        else if (!strcmp(section, "stun"))
            load_stun(path);
        else if (!strcmp(section, "pcp"))
            load_pcp(path);
        else if (!strcmp(section, "upnp"))
            load_upnp(path);
        else if (!strcmp(section, "auto"))
            load_auto(path);
        else
            CU_FAIL("a sample whose first section names no port manager");
        news += !strcmp(name, "pcp-nat.ini") || !strcmp(name, "upnp-nat.ini") || !strcmp(name, "auto-nat.ini");
        count++;
    }
    printf("\n    ");
    CU_ASSERT_TRUE(count >= 6);
    CU_ASSERT_EQUAL(news, 3);
}

static int installed(const char *file)
{
    const char *p = RTCPM_SAMPLE_CONFIGS;
    char name[128];
    while (next_name(&p, name, sizeof(name)))
        if (!strcmp(name, file)) return 1;
    return 0;
}

/* A sample in samples/ that is not installed is one a user never gets. */
static void test_every_sample_installed(void)
{
    DIR *d = opendir(RTCPM_SAMPLES_DIR);
    struct dirent *e;
    int seen = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    errno = 0;
    while ((e = readdir(d)))
    {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".ini")) continue;
        if (!installed(e->d_name)) printf("\n    samples/%s is not in RTCPM_SAMPLE_CONFIGS\n", e->d_name);
        CU_ASSERT_TRUE(installed(e->d_name));
        seen++;
        errno = 0;
    }
    if (errno) printf("\n    readdir %s: %s\n", RTCPM_SAMPLES_DIR, strerror(errno));
    CU_ASSERT_EQUAL(errno, 0);
    closedir(d);
    CU_ASSERT_TRUE(seen >= 6);
}

int main(int argc, char **argv)
{
    static CU_TestInfo tests[] = {
        { "installed_load", test_installed_load },
        { "every_sample_installed", test_every_sample_installed },
        CU_TEST_INFO_NULL,
    };
    return rtcpm_test_main("sample_configs", tests, argc, argv);
}
