/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_host_threads.c — SetPortManager swaps on a shared profile / session while other
 * threads register and place calls: every operation uses exactly one port manager from
 * beginning to end, gives back all it took, and every refcount comes back.
 *
 * CUnit is not thread-safe: worker threads only count; the main thread asserts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "test_thread.h"
#include "recording_pm.h"
#include "release_all.h"
#include "com/com.h"
#include "com/bstr_util.h"

#define PEER   "203.0.113.5"
#define ROUNDS 300

static LONG load(LONG volatile *v) { return InterlockedCompareExchange(v, 0, 0); }

/* ---- a port manager safe to call from several threads: it counts, it keeps no log ------- */

struct counting_pm
{
    IRTCPortManager3 IRTCPortManager3_iface;
    LONG ref;
    const char *external; /* tells the answers of two instances apart */
    LONG volatile gets, releases, bad_releases;
};

static inline struct counting_pm *impl_from_IRTCPortManager3(IRTCPortManager3 *iface)
{
    return CONTAINING_RECORD(iface, struct counting_pm, IRTCPortManager3_iface);
}

static HRESULT WINAPI cpm_QueryInterface(IRTCPortManager3 *iface, REFIID riid, void **out)
{
    static const struct com_iface_entry table[] = {
        { &IID_IRTCPortManager3, offsetof(struct counting_pm, IRTCPortManager3_iface) },
        { &IID_IRTCPortManager2, offsetof(struct counting_pm, IRTCPortManager3_iface) },
        { &IID_IRTCPortManager, offsetof(struct counting_pm, IRTCPortManager3_iface) },
    };
    return rtcpm_com_query_interface(impl_from_IRTCPortManager3(iface), table, ARRAY_SIZE(table), riid, out);
}

static ULONG WINAPI cpm_AddRef(IRTCPortManager3 *iface)
{
    return (ULONG)com_ref_inc(&impl_from_IRTCPortManager3(iface)->ref);
}

static ULONG WINAPI cpm_Release(IRTCPortManager3 *iface)
{
    struct counting_pm *pm = impl_from_IRTCPortManager3(iface);
    LONG ref = com_ref_dec(&pm->ref);
    if (!ref)
    {
        free(pm);
        rtcpm_com_object_destroyed();
    }
    return (ULONG)ref;
}

static HRESULT WINAPI cpm_GetMappingEx(IRTCPortManager3 *iface, BSTR remote, LONG rport, LONG transport,
                                       RTC_PORT_TYPE type, BSTR *ia, LONG *ip, BSTR *ea, LONG *ep)
{
    struct counting_pm *pm = impl_from_IRTCPortManager3(iface);
    (void)remote;
    (void)rport;
    (void)transport;
    *ia = rtcpm_bstr_from_cstr("192.168.1.10");
    *ea = rtcpm_bstr_from_cstr(pm->external);
    *ip = 5000 + (LONG)type;
    *ep = 40000 + (LONG)type;
    InterlockedIncrement(&pm->gets);
    return S_OK;
}

static HRESULT WINAPI cpm_GetMapping(IRTCPortManager3 *iface, BSTR remote, RTC_PORT_TYPE type, BSTR *ia, LONG *ip,
                                     BSTR *ea, LONG *ep)
{
    return cpm_GetMappingEx(iface, remote, 0, RTCTR_UDP, type, ia, ip, ea, ep);
}

static HRESULT WINAPI cpm_ReleaseMappingEx(IRTCPortManager3 *iface, LONG transport, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    struct counting_pm *pm = impl_from_IRTCPortManager3(iface);
    char ext[64];
    (void)transport;
    (void)ia;
    /* a release must name what this instance handed out */
    if (FAILED(rtcpm_bstr_to_utf8(ea, ext, sizeof(ext), NULL)) || strcmp(ext, pm->external) || ep - 40000 != ip - 5000)
        InterlockedIncrement(&pm->bad_releases);
    InterlockedIncrement(&pm->releases);
    return S_OK;
}

static HRESULT WINAPI cpm_ReleaseMapping(IRTCPortManager3 *iface, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    return cpm_ReleaseMappingEx(iface, RTCTR_UDP, ia, ip, ea, ep);
}

static HRESULT WINAPI cpm_UpdateRemoteAddress(IRTCPortManager3 *iface, BSTR r, BSTR ia, LONG ip, BSTR ea, LONG ep)
{
    (void)iface;
    (void)r;
    (void)ia;
    (void)ip;
    (void)ea;
    (void)ep;
    return S_OK;
}

static HRESULT WINAPI cpm_UpdateRemoteAddressEx(IRTCPortManager3 *iface, BSTR r, LONG rp, BSTR ia, LONG ip, BSTR ea,
                                                LONG ep)
{
    (void)rp;
    return cpm_UpdateRemoteAddress(iface, r, ia, ip, ea, ep);
}

static HRESULT WINAPI cpm_UpdateRemoteAddressEx2(IRTCPortManager3 *iface, BSTR r, LONG rp, LONG t, BSTR ia, LONG ip,
                                                 BSTR ea, LONG ep)
{
    (void)rp;
    (void)t;
    return cpm_UpdateRemoteAddress(iface, r, ia, ip, ea, ep);
}

static const IRTCPortManager3Vtbl counting_pm_vtbl = {
    cpm_QueryInterface,
    cpm_AddRef,
    cpm_Release,
    cpm_GetMapping,
    cpm_UpdateRemoteAddress,
    cpm_ReleaseMapping,
    cpm_UpdateRemoteAddressEx,
    cpm_GetMappingEx,
    cpm_UpdateRemoteAddressEx2,
    cpm_ReleaseMappingEx,
};

static struct counting_pm *counting_pm_create(const char *external)
{
    struct counting_pm *pm = calloc(1, sizeof(*pm));
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    pm->IRTCPortManager3_iface.lpVtbl = &counting_pm_vtbl;
    pm->ref = 1;
    pm->external = external;
    rtcpm_com_object_created();
    return pm;
}

static IRTCPortManager *as_pm(struct counting_pm *pm) { return (IRTCPortManager *)&pm->IRTCPortManager3_iface; }

/* ---- a swapper thread ------------------------------------------------------------------- */

struct swapper
{
    IRTCProfilePortManagement *profile; /* one of the two */
    IRTCSessionPortManagement *session;
    IRTCPortManager *pms[3];
    int npms;
    LONG volatile stop;
    LONG volatile set_ok, set_fail, set_other;
};

static int swap_loop(void *arg);

static LONG attempts(struct swapper *s) { return load(&s->set_ok) + load(&s->set_fail) + load(&s->set_other); }

/* Starts a swapper of the profile's or the session's port manager among pms[0..n-1] and
 * returns once it is running, so the rounds overlap its swaps. */
static void start_swapper(struct swapper *s, IRTCProfilePortManagement *profile, IRTCSessionPortManagement *session,
                          IRTCPortManager *const *pms, int n, test_thread **thread)
{
    memset(s, 0, sizeof(*s));
    s->profile = profile;
    s->session = session;
    memcpy(s->pms, pms, (size_t)n * sizeof(*pms));
    s->npms = n;
    CU_ASSERT_EQUAL_FATAL(test_thread_start(thread, swap_loop, s), 0);
    while (!attempts(s)) test_thread_yield();
}

static void stop_swapper(struct swapper *s, test_thread *thread)
{
    InterlockedExchange(&s->stop, 1);
    (void)test_thread_join(thread);
}

/* After the rounds: none went wrong, each used one port manager, and the swapper, stopped,
 * swapped at least ROUNDS times since `from`, with S_OK or E_FAIL only. */
static void check_rounds(struct swapper *s, test_thread *thread, int wrong, int used, int rounds, LONG from)
{
    stop_swapper(s, thread);
    CU_ASSERT_EQUAL(wrong, 0);
    CU_ASSERT_EQUAL(used, rounds);
    CU_ASSERT_EQUAL(load(&s->set_other), 0);
    CU_ASSERT_TRUE(load(&s->set_ok) > 0);
    CU_ASSERT_TRUE(attempts(s) - from >= ROUNDS);
}

/* More rounds until the swapper has tried at least ROUNDS times since `from`. Each round
 * yields, so a swapper parked on a lock gets its turn; the bound only stops a runaway. */
static int more_rounds(struct swapper *s, int round, LONG from)
{
    test_thread_yield();
    if (round < ROUNDS) return 1;
    return attempts(s) - from < ROUNDS && round < 5000 * ROUNDS;
}

static int swap_loop(void *arg)
{
    struct swapper *s = arg;
    unsigned i = 0;

    while (!load(&s->stop))
    {
        IRTCPortManager *pm = s->pms[i++ % (unsigned)s->npms];
        HRESULT hr = s->profile ? s->profile->lpVtbl->SetPortManager(s->profile, pm)
                                : s->session->lpVtbl->SetPortManager(s->session, pm);
        if (hr == S_OK)
            InterlockedIncrement(&s->set_ok);
        else if (hr == E_FAIL)
            InterlockedIncrement(&s->set_fail);
        else
            InterlockedIncrement(&s->set_other);
        if (!(i % 8)) test_thread_yield();
    }
    return 0;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void new_client_and_profile(IRTCClientPortManagement **client, IRTCProfilePortManagement **profile)
{
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_client("192.168.1.10", client), S_OK);
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(*client, "sip:alice@example.com", "198.18.0.1", 5060, RTCTR_UDP, profile), S_OK);
}

static int count_of(const char *text, const char *what)
{
    const char *p;
    int n = 0;
    for (p = text; (p = strstr(p, what)); p++) n++;
    return n;
}

/* Which of the logs is not empty: its index, or -1 when none or more than one is. */
static int the_one_used(IRTCPortManager **pms, int n)
{
    int i, used = -1;
    for (i = 0; i < n; i++)
    {
        if (!pms[i] || !recording_pm_log(pms[i])[0]) continue;
        if (used >= 0) return -1;
        used = i;
    }
    return used;
}

static void test_profile_swaps_while_enabling(void)
{
    IRTCClientPortManagement *client;
    IRTCProfilePortManagement *profile;
    IRTCPortManager *pms[2];
    struct swapper sw;
    test_thread *thread;
    int round, i, wrong = 0, used_count[2] = { 0, 0 };
    LONG live = rtcpm_live_objects(), from;

    new_client_and_profile(&client, &profile);
    for (i = 0; i < 2; i++) CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &pms[i]), S_OK);
    recording_pm_set_addresses(pms[1], "192.168.1.10", "198.51.100.99");

    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pms[0]), S_OK);
    start_swapper(&sw, profile, NULL, pms, 2, &thread);
    from = attempts(&sw);

    /* Only this thread calls the port managers' methods; the swapper only AddRefs/Releases. */
    for (round = 0; more_rounds(&sw, round, from); round++)
    {
        char contact[128], want[128];
        int used;

        recording_pm_clear_log(pms[0]);
        recording_pm_clear_log(pms[1]);
        if (rtcpm_host_profile_enable(profile) != S_OK)
        {
            wrong++;
            continue;
        }
        used = the_one_used(pms, 2);
        if (used < 0)
        {
            wrong++;
            continue;
        }
        used_count[used]++;
        snprintf(want, sizeof(want), "Contact: <sip:alice@%s:45060;transport=udp>\r\n",
                 used ? "198.51.100.99" : "198.51.100.7");
        if (rtcpm_host_profile_contact(profile, contact, sizeof(contact)) != S_OK || strcmp(contact, want)) wrong++;
        if (rtcpm_host_profile_disable(profile) != S_OK) wrong++;
        /* the registration was released to the port manager it came from */
        if (!strstr(recording_pm_log(pms[used]), "ReleaseMappingEx(UDP,192.168.1.10:5060,") ||
            recording_pm_log(pms[!used])[0])
            wrong++;
    }
    check_rounds(&sw, thread, wrong, used_count[0] + used_count[1], round, from);
    /* the profile holds one of them, nothing else does */
    CU_ASSERT_EQUAL(recording_pm_refcount(pms[0]) + recording_pm_refcount(pms[1]), 3);
    RELEASE_ALL(live, profile, pms[0], pms[1], client);
}

static void test_session_swaps_while_calling(void)
{
    IRTCClientPortManagement *client;
    IRTCProfilePortManagement *profile;
    IRTCSessionPortManagement *session;
    IRTCPortManager *pms[3]; /* two for the session, [2] the profile's */
    struct swapper sw;
    test_thread *thread;
    int round, i, wrong = 0, used_count[3] = { 0, 0, 0 };
    LONG live = rtcpm_live_objects(), from;

    new_client_and_profile(&client, &profile);
    for (i = 0; i < 3; i++) CU_ASSERT_EQUAL_FATAL(recording_pm_create(3, &pms[i]), S_OK);
    recording_pm_set_addresses(pms[1], "192.168.1.10", "198.51.100.98");
    recording_pm_set_addresses(pms[2], "192.168.1.10", "198.51.100.99");
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, pms[2]), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_session(client, profile, "sip:bob@example.net", PEER, 5060, 0, &session),
                          S_OK);

    {
        IRTCPortManager *swapped[3] = { pms[0], pms[1], NULL }; /* NULL: the profile's */
        start_swapper(&sw, NULL, session, swapped, 3, &thread);
    }
    from = attempts(&sw);

    for (round = 0; more_rounds(&sw, round, from); round++)
    {
        static const char *const ext[3] = { "198.51.100.7", "198.51.100.98", "198.51.100.99" };
        char sdp[1024], want[64];
        LONG level = 0;
        int used;

        for (i = 0; i < 3; i++) recording_pm_clear_log(pms[i]);
        if (rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO) != S_OK)
        {
            wrong++;
            continue;
        }
        used = the_one_used(pms, 3);
        if (used < 0)
        {
            wrong++;
            rtcpm_host_session_hangup(session);
            continue;
        }
        used_count[used]++;
        /* the whole call on that one port manager: its answers in the SDP, its releases */
        snprintf(want, sizeof(want), "c=IN IP4 %s\r\n", ext[used]);
        if (rtcpm_host_session_sdp(session, 1, 1, sdp, sizeof(sdp)) != S_OK || !strstr(sdp, want)) wrong++;
        if (rtcpm_host_session_pm_level(session, &level) != S_OK || level != 3) wrong++;
        if (rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, "203.0.113.77", 20000, 0) != S_OK)
            wrong++;
        if (rtcpm_host_session_hangup(session) != S_OK) wrong++;
        if (the_one_used(pms, 3) != used) wrong++;
        if (count_of(recording_pm_log(pms[used]), "GetMappingEx(") != 3 ||
            count_of(recording_pm_log(pms[used]), "UpdateRemoteAddressEx2(") != 2 ||
            count_of(recording_pm_log(pms[used]), "ReleaseMappingEx(") != 3)
            wrong++;
    }
    check_rounds(&sw, thread, wrong, used_count[0] + used_count[1] + used_count[2], round, from);
    RELEASE_ALL(live, session, profile, pms[0], pms[1], pms[2], client);
}

/* Two threads placing calls on their own sessions of one profile, whose port manager a third
 * thread keeps replacing. */
struct caller
{
    IRTCClientPortManagement *client;
    IRTCProfilePortManagement *profile;
    LONG volatile calls, wrong;
};

static int call_loop(void *arg)
{
    struct caller *c = arg;
    int round;

    for (round = 0; round < ROUNDS; round++)
    {
        IRTCSessionPortManagement *session;
        char contact[128];
        unsigned media = round % 2 ? RTCPM_HOST_MEDIA_AUDIO : RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO;

        if (rtcpm_host_create_session(c->client, c->profile, "sip:bob@example.net", PEER, 0, 0, &session) != S_OK)
        {
            InterlockedIncrement(&c->wrong);
            continue;
        }
        if (rtcpm_host_session_call(session, media) != S_OK)
            InterlockedIncrement(&c->wrong);
        else
        {
            InterlockedIncrement(&c->calls);
            if (rtcpm_host_session_contact(session, contact, sizeof(contact)) != S_OK ||
                (!strstr(contact, "@198.51.100.1:40004;") && !strstr(contact, "@198.51.100.2:40004;")))
                InterlockedIncrement(&c->wrong);
            /* every other call is left to the final Release to hang up */
            if (round % 4 < 2 && rtcpm_host_session_hangup(session) != S_OK) InterlockedIncrement(&c->wrong);
        }
        if (session->lpVtbl->Release(session) != 0) InterlockedIncrement(&c->wrong);
    }
    return 0;
}

static void test_concurrent_calls_on_shared_profile(void)
{
    LONG live = rtcpm_live_objects(), calls, gets;
    struct counting_pm *a = counting_pm_create("198.51.100.1"), *b = counting_pm_create("198.51.100.2");
    struct caller callers[2];
    struct swapper sw;
    test_thread *threads[3];
    IRTCClientPortManagement *client;
    IRTCProfilePortManagement *profile;
    int i;

    new_client_and_profile(&client, &profile);
    CU_ASSERT_EQUAL(profile->lpVtbl->SetPortManager(profile, as_pm(a)), S_OK);

    memset(callers, 0, sizeof(callers));
    for (i = 0; i < 2; i++)
    {
        callers[i].client = client;
        callers[i].profile = profile;
        CU_ASSERT_EQUAL_FATAL(test_thread_start(&threads[i], call_loop, &callers[i]), 0);
    }
    {
        IRTCPortManager *swapped[2] = { as_pm(a), as_pm(b) };
        start_swapper(&sw, profile, NULL, swapped, 2, &threads[2]);
    }
    (void)test_thread_join(threads[0]);
    (void)test_thread_join(threads[1]);
    stop_swapper(&sw, threads[2]);

    calls = load(&callers[0].calls) + load(&callers[1].calls);
    gets = load(&a->gets) + load(&b->gets);
    CU_ASSERT_EQUAL(load(&callers[0].wrong) + load(&callers[1].wrong), 0);
    CU_ASSERT_EQUAL(calls, 2 * ROUNDS);
    /* half the calls with video (5 mappings), half audio only (3) */
    CU_ASSERT_EQUAL(gets, 2 * (ROUNDS / 2) * 5 + 2 * (ROUNDS / 2) * 3);
    CU_ASSERT_EQUAL(load(&a->releases), load(&a->gets));
    CU_ASSERT_EQUAL(load(&b->releases), load(&b->gets));
    CU_ASSERT_EQUAL(load(&a->bad_releases) + load(&b->bad_releases), 0);
    CU_ASSERT_EQUAL(load(&sw.set_fail) + load(&sw.set_other), 0); /* never enabled: always allowed */
    CU_ASSERT_EQUAL(a->ref + b->ref, 3);                          /* ours, and the profile's */
    RELEASE_ALL(live, profile, client, as_pm(a), as_pm(b));
}

static CU_TestInfo tests[] = {
    { "profile_swaps_while_enabling", test_profile_swaps_while_enabling },
    { "session_swaps_while_calling", test_session_swaps_while_calling },
    { "concurrent_calls_on_shared_profile", test_concurrent_calls_on_shared_profile },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("host_threads", tests, argc, argv); }
