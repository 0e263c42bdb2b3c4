/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_log.c — the trace channels as a user sees them on stderr: every COM method's entry
 * line with its arguments (RTCPM_DEBUG=+pm / +host; the static, STUN, PCP, UPnP and automatic
 * port managers), exactly one line per trace (no blank lines, whole when threads trace at once),
 * nothing when the channel is off; and the argument formatters rtcpm_debugstr_w /
 * rtcpm_debugstr_guid (escaping, bounds, the per-thread ring).
 *
 * stderr is captured by pointing file descriptor 2 at a file for the duration of a case
 * (dup2; _dup2 of the C runtime under Wine): what is checked is what a user would read.
 */
#define COBJMACROS
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <io.h>
#include <process.h>
#define getpid _getpid
#else
#include <unistd.h>
#endif
#include "harness.h"
#include "test_thread.h"
#include "com/log.h"

/* ---- RTCPM_DEBUG and stderr ---- */

struct capture
{
    char path[64];
    int saved_fd;
    char text[65536];
};

/* From here on, stderr goes to a file of this process's own. */
static void capture_start(struct capture *c)
{
    int fd;
    snprintf(c->path, sizeof(c->path), "test_log_%d.txt", (int)getpid());
    fflush(stderr);
    c->saved_fd = dup(2);
    fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CU_ASSERT_FATAL(c->saved_fd >= 0 && fd >= 0);
    CU_ASSERT_FATAL(dup2(fd, 2) != -1); /* 2 with POSIX, 0 with the C runtime of Windows */
    close(fd);
}

/* stderr back where it was; c->text is what went to it (read as text: CRLF is one end of line). */
static void capture_stop(struct capture *c)
{
    FILE *f;
    size_t n = 0;
    fflush(stderr);
    dup2(c->saved_fd, 2);
    close(c->saved_fd);
    c->text[0] = 0;
    if ((f = fopen(c->path, "r")))
    {
        n = fread(c->text, 1, sizeof(c->text) - 1, f);
        fclose(f);
    }
    c->text[n] = 0;
    remove(c->path);
}

/* Every line of text is a trace: none empty, each "rtcpm:", the last one ended. */
static int only_trace_lines(const char *text)
{
    const char *p = text;
    if (!*text) return 0;
    while (*p)
    {
        const char *e = strchr(p, '\n');
        if (!e || strncmp(p, "rtcpm:", 6)) return 0;
        p = e + 1;
    }
    return 1;
}

/* The lines, each a whole line of text, in this order (others may come between). */
static int has_lines_in_order(const char *text, const char *const *lines, size_t count)
{
    const char *p = text;
    size_t i = 0;
    while (i < count && *p)
    {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == strlen(lines[i]) && !strncmp(p, lines[i], len)) i++;
        p += len + (e != NULL);
    }
    return i == count;
}

/* Asserts both of the above; shows the capture when either fails. */
static void check_capture(const struct capture *c, const char *const *lines, size_t count)
{
    int in_order = has_lines_in_order(c->text, lines, count), clean = only_trace_lines(c->text);
    CU_ASSERT_TRUE(in_order);
    CU_ASSERT_TRUE(clean);
    if (!in_order || !clean)
    {
        size_t i;
        printf("\nexpected, in order:\n");
        for (i = 0; i < count; i++) printf("  %s\n", lines[i]);
        printf("captured:\n%s<end>\n", c->text);
    }
}

#define LINE(buf, ...) snprintf((buf), sizeof(buf), __VA_ARGS__)

/* ---- entry lines ---- */

static void test_static_pm_entries(void)
{
    const WCHAR odd[] = { 'a', '"', 'b', 0xE9, 0 };
    char l[7][200];
    const char *const want[] = { l[0], l[1], l[2], l[3], l[4], l[5], l[6] };
    IRTCPortManager3 *pm;
    IRTCPortManager2 *pm2 = NULL;
    struct capture c;
    BSTR remote = SysAllocString(RTCPM_W("198.51.100.1")), v6 = SysAllocString(RTCPM_W("2001:db8::1"));
    BSTR in = SysAllocString(RTCPM_W("192.168.1.10")), ex = SysAllocString(RTCPM_W("198.51.100.7"));
    BSTR bad = SysAllocString(odd), ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;

    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&pm), S_OK);
    rtcpm_test_set_debug("+pm");
    capture_start(&c);
    CU_ASSERT_EQUAL(IRTCPortManager3_QueryInterface(pm, &IID_IRTCPortManager2, (void **)&pm2), S_OK);
    CU_ASSERT_EQUAL(IRTCPortManager3_GetMappingEx(pm, remote, 5060, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(IRTCPortManager2_GetMapping(pm2, v6, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(IRTCPortManager3_ReleaseMappingEx(pm, RTCTR_TCP, in, 5060, ex, 45060),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(IRTCPortManager3_UpdateRemoteAddressEx2(pm, bad, 7078, RTCTR_UDP, in, 5060, ex, 45060),
                    E_INVALIDARG);
    IRTCPortManager2_Release(pm2);
    capture_stop(&c);
    rtcpm_test_set_debug(NULL);

    LINE(l[0], "rtcpm:pm:static_pm_QueryInterface (%p)->({d65119bd-1974-4fa9-874d-3597d094728c}, %p)", (void *)pm,
         (void *)&pm2);
    LINE(l[1], "rtcpm:pm:static_pm_AddRef (%p) ref=2", (void *)pm);
    LINE(l[2], "rtcpm:pm:static_pm_GetMappingEx (%p)->(L\"198.51.100.1\", 5060, 1, 4)", (void *)pm);
    LINE(l[3], "rtcpm:pm:rtcpm_pm_forward_GetMapping (%p)->(L\"2001:db8::1\", 0)", (void *)pm);
    LINE(l[4], "rtcpm:pm:static_pm_ReleaseMappingEx (%p)->(2, L\"192.168.1.10\", 5060, L\"198.51.100.7\", 45060)",
         (void *)pm);
    LINE(l[5],
         "rtcpm:pm:rtcpm_pm_UpdateRemoteAddressEx2 (%p)->(L\"a\\\"b\xC3\xA9\", 7078, 1, L\"192.168.1.10\", 5060, "
         "L\"198.51.100.7\", 45060)",
         (void *)pm);
    LINE(l[6], "rtcpm:pm:static_pm_Release (%p) ref=1", (void *)pm);
    check_capture(&c, want, 7);

    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    SysFreeString(remote);
    SysFreeString(v6);
    SysFreeString(in);
    SysFreeString(ex);
    SysFreeString(bad);
}

/* The STUN port manager: the line of the documentation (README, log.h), from a call that
 * fails fast (nobody answers on 127.0.0.1:9 within 50 ms). */
static void test_stun_pm_entries(void)
{
    struct rtcpm_stun_pm_config cfg;
    char l[3][200];
    const char *const want[] = { l[0], l[1], l[2] };
    IRTCPortManager3 *pm;
    struct capture c;
    BSTR remote = SysAllocString(RTCPM_W("198.51.100.1")), ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    HRESULT hr;

    rtcpm_stun_pm_config_init(&cfg);
    cfg.servers = "127.0.0.1:9";
    cfg.timeout_ms = 50;
    cfg.warm_up = 0;
    CU_ASSERT_EQUAL_FATAL(rtcpm_stun_pm_create_ex(&cfg, &pm, NULL, 0), S_OK);
    rtcpm_test_set_debug("+pm");
    capture_start(&c);
    hr = IRTCPortManager3_GetMappingEx(pm, remote, 5060, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep);
    CU_ASSERT_EQUAL(IRTCPortManager3_GetMappingEx(pm, remote, 5060, 9, RTCPT_SIP, &ia, &ip, &ea, &ep), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCPortManager3_ReleaseMappingEx(pm, RTCTR_UDP, NULL, 5060, NULL, 45060), E_INVALIDARG);
    capture_stop(&c);
    rtcpm_test_set_debug(NULL);
    CU_ASSERT_EQUAL(hr, RTC_E_PORT_MAPPING_FAILED);

    LINE(l[0], "rtcpm:pm:stun_pm_GetMappingEx (%p)->(L\"198.51.100.1\", 5060, 1, 4)", (void *)pm);
    LINE(l[1], "rtcpm:pm:stun_pm_GetMappingEx (%p)->(L\"198.51.100.1\", 5060, 9, 4)", (void *)pm);
    LINE(l[2], "rtcpm:pm:stun_pm_ReleaseMappingEx (%p)->(1, (null), 5060, (null), 45060)", (void *)pm);
    check_capture(&c, want, 3);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    SysFreeString(remote);
}

/* Any port manager: QI (and the AddRef it makes), GetMappingEx and ReleaseMappingEx with
 * arguments refused before any network exchange, the Release; "prefix" names its methods. */
static void check_pm_entries(IRTCPortManager3 *pm, const char *prefix)
{
    char l[5][200];
    const char *const want[] = { l[0], l[1], l[2], l[3], l[4] };
    IRTCPortManager2 *pm2 = NULL;
    struct capture c;
    BSTR remote = SysAllocString(RTCPM_W("198.51.100.1")), ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;

    rtcpm_test_set_debug("+pm");
    capture_start(&c);
    CU_ASSERT_EQUAL(IRTCPortManager3_QueryInterface(pm, &IID_IRTCPortManager2, (void **)&pm2), S_OK);
    CU_ASSERT_EQUAL(IRTCPortManager3_GetMappingEx(pm, remote, 5060, 9, RTCPT_SIP, &ia, &ip, &ea, &ep), E_INVALIDARG);
    CU_ASSERT_EQUAL(IRTCPortManager3_ReleaseMappingEx(pm, RTCTR_UDP, NULL, 5060, NULL, 45060), E_INVALIDARG);
    if (pm2) IRTCPortManager2_Release(pm2);
    capture_stop(&c);
    rtcpm_test_set_debug(NULL);

    LINE(l[0], "rtcpm:pm:%s_QueryInterface (%p)->({d65119bd-1974-4fa9-874d-3597d094728c}, %p)", prefix, (void *)pm,
         (void *)&pm2);
    LINE(l[1], "rtcpm:pm:%s_AddRef (%p) ref=2", prefix, (void *)pm);
    LINE(l[2], "rtcpm:pm:%s_GetMappingEx (%p)->(L\"198.51.100.1\", 5060, 9, 4)", prefix, (void *)pm);
    LINE(l[3], "rtcpm:pm:%s_ReleaseMappingEx (%p)->(1, (null), 5060, (null), 45060)", prefix, (void *)pm);
    LINE(l[4], "rtcpm:pm:%s_Release (%p) ref=1", prefix, (void *)pm);
    check_capture(&c, want, 5);
    SysFreeString(remote);
}

/* PCP (no ANNOUNCE: nothing is sent or listened for), UPnP (an IGD URL nothing answers: nothing
 * is asked before a mapping), automatic (the local mechanism: no probe on the network): their
 * entry lines as static's. */
static void test_nat_pm_entries(void)
{
    static const struct
    {
        const char *prefix;
        HRESULT (*create)(const char *text, const char *name, IRTCPortManager3 **out, char *err, size_t errlen);
        const char *ini;
    } pms[] = {
        { "pcp_pm", rtcpm_pcp_pm_create_from_string,
          "[pcp]\nserver = 127.0.0.1\nlocal-address = 127.0.0.1\nannounce = off\n" },
#ifndef RTCPM_TEST_NO_UPNP /* a native build without libminiupnpc has no UPnP port manager */
        { "upnp_pm", rtcpm_upnp_pm_create_from_string,
          "[upnp]\nigd = http://127.0.0.1:9/rootDesc.xml\nlocal-address = 127.0.0.1\n" },
#endif
        { "auto_pm", rtcpm_auto_pm_create_from_string, "[auto]\nmechanisms = local\nlocal-address = 127.0.0.1\n" },
    };
    size_t i;

    for (i = 0; i < sizeof(pms) / sizeof(pms[0]); i++)
    {
        IRTCPortManager3 *pm = NULL;
        char err[256] = "";
        HRESULT hr = pms[i].create(pms[i].ini, pms[i].prefix, &pm, err, sizeof(err));

        CU_ASSERT_EQUAL(hr, S_OK);
        if (FAILED(hr))
        {
            printf("\n%s not created: %s", pms[i].prefix, err);
            continue;
        }
        /* the automatic one's probe (a worker thread) has traced before the capture starts */
        if (!strcmp(pms[i].prefix, "auto_pm")) CU_ASSERT_EQUAL(rtcpm_auto_pm_wait_ready(pm, 10000), S_OK);
        check_pm_entries(pm, pms[i].prefix);
        CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    }
}

static void trace_sink(void *ctx, const char *line)
{
    (void)ctx;
    (void)line;
}

/* The tracing wrapper and the host objects (+host), and both channels at once. */
static void test_trace_pm_and_host_entries(void)
{
    char l[11][200];
    const char *const want[] = { l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8], l[9], l[10] };
    IRTCPortManager3 *inner;
    IRTCPortManager *wrapper;
    IRTCClientPortManagement *client, *again = NULL;
    IRTCProfilePortManagement *profile;
    struct capture c;
    BSTR local = SysAllocString(RTCPM_W("192.168.1.10")), ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0, lo = 0, hi = 0;

    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&inner), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_trace_pm_create((IRTCPortManager *)inner, trace_sink, NULL, &wrapper), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_client("192.168.1.10", &client), S_OK);
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(client, "sip:alice@example.com", "198.51.100.2", 0, RTCTR_UDP, &profile), S_OK);
    rtcpm_test_set_debug("pm,host");
    capture_start(&c);
    CU_ASSERT_EQUAL(IRTCPortManager_GetMapping(wrapper, local, RTCPT_VIDEO_RTCP, &ia, &ip, &ea, &ep),
                    RTC_E_PORT_MAPPING_UNAVAILABLE);
    CU_ASSERT_EQUAL(IRTCPortManager_AddRef(wrapper), 2);
    CU_ASSERT_EQUAL(IRTCPortManager_Release(wrapper), 1);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_StartListenAddressAndPort(client, local, 5060), S_OK);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_StopListenAddressAndPort(client, local, 5060), S_OK);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_GetPortRange(client, RTCPT_AUDIO_RTP, &lo, &hi), S_OK);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_QueryInterface(client, &IID_IRTCClientPortManagement, (void **)&again),
                    S_OK);
    IRTCClientPortManagement_Release(again); /* the profile holds the client too: 3, then 2 */
    CU_ASSERT_EQUAL(IRTCProfilePortManagement_SetPortManager(profile, wrapper), S_OK);
    capture_stop(&c);
    rtcpm_test_set_debug(NULL);

    LINE(l[0], "rtcpm:pm:trace_GetMapping (%p)->(L\"192.168.1.10\", 3)", (void *)wrapper);
    LINE(l[1], "rtcpm:pm:static_pm_GetMappingEx (%p)->(L\"192.168.1.10\", 0, 1, 3)", (void *)inner);
    LINE(l[2], "rtcpm:pm:trace_AddRef (%p) ref=2", (void *)wrapper);
    LINE(l[3], "rtcpm:pm:trace_Release (%p) ref=1", (void *)wrapper);
    LINE(l[4], "rtcpm:host:client_StartListenAddressAndPort (%p)->(L\"192.168.1.10\", 5060)", (void *)client);
    LINE(l[5], "rtcpm:host:client_StopListenAddressAndPort (%p)->(L\"192.168.1.10\", 5060)", (void *)client);
    LINE(l[6], "rtcpm:host:client_GetPortRange (%p)->(0)", (void *)client);
    LINE(l[7], "rtcpm:host:client_QueryInterface (%p)->({d5df3f03-4bde-4417-aefe-71177bdaea66}, %p)", (void *)client,
         (void *)&again);
    LINE(l[8], "rtcpm:host:client_AddRef (%p) ref=3", (void *)client);
    LINE(l[9], "rtcpm:host:client_Release (%p) ref=2", (void *)client);
    LINE(l[10], "rtcpm:host:profile_SetPortManager (%p)->(%p)", (void *)profile, (void *)wrapper);
    check_capture(&c, want, 11);

    CU_ASSERT_EQUAL(IRTCProfilePortManagement_Release(profile), 0);
    CU_ASSERT_EQUAL(IRTCClientPortManagement_Release(client), 0);
    CU_ASSERT_EQUAL(IRTCPortManager_Release(wrapper), 0);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(inner), 0);
    SysFreeString(local);
}

/* Off by default, and off again: the same calls print nothing. */
static void test_channel_off(void)
{
    IRTCPortManager3 *pm;
    IRTCPortManager *unk = NULL;
    struct capture c;

    rtcpm_test_set_debug("host,-pm");
    capture_start(&c);
    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&pm), S_OK);
    CU_ASSERT_EQUAL(IRTCPortManager3_QueryInterface(pm, &IID_IRTCPortManager, (void **)&unk), S_OK);
    IRTCPortManager_Release(unk);
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    capture_stop(&c);
    rtcpm_test_set_debug(NULL);
    CU_ASSERT_STRING_EQUAL(c.text, "");
}

/* Wine-style formats ending in "\n" still make one line each. */
static void test_one_line_per_trace(void)
{
    struct capture c;
    rtcpm_test_set_debug("stun");
    capture_start(&c);
    RTCPM_TRACE(RTCPM_LOG_STUN, "first (%d)\n", 1);
    RTCPM_TRACE(RTCPM_LOG_STUN, "second (%s)", "no newline");
    RTCPM_TRACE(RTCPM_LOG_STUN, "third\n\n");
    RTCPM_TRACE(RTCPM_LOG_PM, "not on");
    capture_stop(&c);
    rtcpm_test_set_debug(NULL);
    CU_ASSERT_STRING_EQUAL(c.text, "rtcpm:stun:test_one_line_per_trace first (1)\n"
                                   "rtcpm:stun:test_one_line_per_trace second (no newline)\n"
                                   "rtcpm:stun:test_one_line_per_trace third\n");
}

/* Traces from several threads at once: each still one whole line (a line written in pieces
 * could be cut by another thread's, or by a redirection of stderr between the pieces). */
#define TRACE_WRITERS 4
#define TRACES_EACH   100

static int trace_many(void *arg)
{
    int i;
    for (i = 0; i < TRACES_EACH; i++)
        RTCPM_TRACE(RTCPM_LOG_STUN, "writer %c line %03d %s", *(const char *)arg, i,
                    "......................................................................");
    return 0;
}

static void test_lines_whole_across_threads(void)
{
    static const char names[TRACE_WRITERS] = { 'a', 'b', 'c', 'd' };
    int seen[TRACE_WRITERS] = { 0 }, bad = 0, i;
    test_thread *t[TRACE_WRITERS];
    struct capture c;
    const char *p;

    rtcpm_test_set_debug("stun");
    capture_start(&c);
    for (i = 0; i < TRACE_WRITERS; i++)
        CU_ASSERT_EQUAL_FATAL(test_thread_start(&t[i], trace_many, (void *)&names[i]), 0);
    for (i = 0; i < TRACE_WRITERS; i++) CU_ASSERT_EQUAL(test_thread_join(t[i]), 0);
    capture_stop(&c);
    rtcpm_test_set_debug(NULL);

    for (p = c.text; *p;)
    {
        const char *e = strchr(p, '\n');
        char want[200];
        int w, n;
        size_t len = e ? (size_t)(e - p) : strlen(p);
        /* "rtcpm:stun:trace_many writer X line NNN ...", with X the next line of writer X */
        for (w = 0; w < TRACE_WRITERS; w++)
            if (len > 29 && p[29] == names[w]) break;
        n = w < TRACE_WRITERS ? seen[w] : -1;
        if (n >= 0)
            snprintf(want, sizeof(want), "rtcpm:stun:trace_many writer %c line %03d %s", names[w], n,
                     "......................................................................");
        if (n < 0 || len != strlen(want) || strncmp(p, want, len) || !e)
        {
            if (!bad++) printf("\nfirst line not whole: \"%.*s\"\n", (int)len, p);
        }
        else
            seen[w]++;
        p += len + (e != NULL);
    }
    CU_ASSERT_EQUAL(bad, 0);
    for (i = 0; i < TRACE_WRITERS; i++) CU_ASSERT_EQUAL(seen[i], TRACES_EACH);
}

/* ---- the argument formatters ---- */

static void test_debugstr_w(void)
{
    const WCHAR escapes[] = { 'a', '"', 'b', '\\', 'c', '\n', '\r', '\t', 1, 0x7F, 0 };
    const WCHAR utf[] = { 0xE9, 0x20AC, 0xD83D, 0xDE00, 0 };      /* é, €, U+1F600 */
    const WCHAR lone[] = { 'x', 0xD800, 'y', 0xDC00, 0xD83D, 0 }; /* unpaired surrogates */
    WCHAR longer[RTCPM_DEBUGSTR_CHARS + 2];
    char want[RTCPM_DEBUGSTR_CHARS + 8];
    BSTR b = SysAllocString(RTCPM_W("198.51.100.1"));
    size_t i;

    CU_ASSERT_STRING_EQUAL(rtcpm_debugstr_w(NULL), "(null)");
    CU_ASSERT_STRING_EQUAL(rtcpm_debugstr_w(RTCPM_W("")), "L\"\"");
    CU_ASSERT_STRING_EQUAL(rtcpm_debugstr_w(b), "L\"198.51.100.1\"");
    CU_ASSERT_STRING_EQUAL(rtcpm_debugstr_w(escapes), "L\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u007f\"");
    CU_ASSERT_STRING_EQUAL(rtcpm_debugstr_w(utf), "L\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
    CU_ASSERT_STRING_EQUAL(rtcpm_debugstr_w(lone), "L\"x\\ud800y\\udc00\\ud83d\"");

    /* exactly the bound: all of it; one more: cut, with "..." after the quote */
    for (i = 0; i < RTCPM_DEBUGSTR_CHARS; i++) longer[i] = (WCHAR)('0' + i % 10);
    longer[RTCPM_DEBUGSTR_CHARS] = 0;
    snprintf(want, sizeof(want), "L\"%.*s\"", RTCPM_DEBUGSTR_CHARS,
             "0123456789012345678901234567890123456789"
             "0123456789012345678901234567890123456789");
    CU_ASSERT_STRING_EQUAL(rtcpm_debugstr_w(longer), want);
    longer[RTCPM_DEBUGSTR_CHARS] = 'z';
    longer[RTCPM_DEBUGSTR_CHARS + 1] = 0;
    strcat(want, "...");
    CU_ASSERT_STRING_EQUAL(rtcpm_debugstr_w(longer), want);
    SysFreeString(b);
}

static void test_debugstr_guid(void)
{
    CU_ASSERT_STRING_EQUAL(rtcpm_debugstr_guid(NULL), "(null)");
    CU_ASSERT_STRING_EQUAL(rtcpm_debugstr_guid(&IID_IRTCPortManager), "{da77c14b-6208-43ca-8ddf-5b60a0a69fac}");
    CU_ASSERT_STRING_EQUAL(rtcpm_debugstr_guid(&IID_IUnknown), "{00000000-0000-0000-c000-000000000046}");
}

/* RTCPM_DEBUGSTR_RING results stay valid together (the arguments of one trace line). */
static void test_debugstr_ring(void)
{
    const char *r[RTCPM_DEBUGSTR_RING];
    WCHAR text[2] = { 'A', 0 };
    size_t i;
    for (i = 0; i < RTCPM_DEBUGSTR_RING; i++)
    {
        text[0] = (WCHAR)('A' + i);
        r[i] = rtcpm_debugstr_w(text);
    }
    for (i = 0; i < RTCPM_DEBUGSTR_RING; i++)
    {
        char want[8];
        snprintf(want, sizeof(want), "L\"%c\"", (char)('A' + i));
        CU_ASSERT_STRING_EQUAL(r[i], want);
    }
}

/* Each thread has its own ring: two threads formatting at once never see each other's text. */
static int format_many(void *arg)
{
    const WCHAR *mine = arg;
    char want[16];
    int i, bad = 0;
    snprintf(want, sizeof(want), "L\"%c%c%c\"", (char)mine[0], (char)mine[1], (char)mine[2]);
    for (i = 0; i < 20000; i++)
    {
        const char *a = rtcpm_debugstr_w(mine), *g = rtcpm_debugstr_guid(&IID_IRTCPortManager3);
        if (strcmp(a, want) || strcmp(g, "{95832724-4221-480c-9d15-b376d28e9e3d}")) bad++;
    }
    return bad;
}

static void test_debugstr_threads(void)
{
    static const WCHAR one[] = { 'o', 'n', 'e', 0 }, two[] = { 't', 'w', 'o', 0 };
    test_thread *t1, *t2;
    CU_ASSERT_EQUAL_FATAL(test_thread_start(&t1, format_many, (void *)one), 0);
    CU_ASSERT_EQUAL_FATAL(test_thread_start(&t2, format_many, (void *)two), 0);
    CU_ASSERT_EQUAL(test_thread_join(t1), 0);
    CU_ASSERT_EQUAL(test_thread_join(t2), 0);
}

static CU_TestInfo tests[] = {
    { "static_pm_entries", test_static_pm_entries },
    { "stun_pm_entries", test_stun_pm_entries },
    { "nat_pm_entries", test_nat_pm_entries },
    { "trace_pm_and_host_entries", test_trace_pm_and_host_entries },
    { "channel_off", test_channel_off },
    { "one_line_per_trace", test_one_line_per_trace },
    { "lines_whole_across_threads", test_lines_whole_across_threads },
    { "debugstr_w", test_debugstr_w },
    { "debugstr_guid", test_debugstr_guid },
    { "debugstr_ring", test_debugstr_ring },
    { "debugstr_threads", test_debugstr_threads },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("log", tests, argc, argv); }
