/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_stress.c — everything at once, for a bounded time (STRESS_MS): threads hammering one
 * static port manager with GetMappingEx / UpdateRemoteAddressEx2 / ReleaseMappingEx (and
 * calls naming unknown mappings), threads registering on one shared profile and placing calls
 * on one shared session, and a thread swapping SetPortManager on that profile and session
 * between two port managers (a static one, and a tracing wrapper around another) while the
 * calls run. Under the tsan preset this is a data-race check of the port managers, the
 * mapping table, the tracing wrapper and the host objects.
 *
 * Checked: every result is one the contracts allow; no port is ever handed out twice at once
 * (each thread marks what it holds in a shared table of flags); what a GetMappingEx returns
 * names one of the port manager's rules; afterwards every mapping table is empty and every
 * refcount is back to its value before the threads started.
 *
 * CUnit is not thread-safe: worker threads only count; the main thread asserts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "test_thread.h"
#include "com/com.h"
#include "com/bstr_util.h"
#include "net/addr.h"

#define STRESS_MS  1500 /* how long the threads run */
#define MIN_ROUNDS 20   /* each thread's minimum, so the work really overlapped */
#define MAPPERS    2
#define HOLD       4 /* mappings a mapper holds at once */

static LONG load(LONG volatile *v) { return InterlockedCompareExchange(v, 0, 0); }

/* Rules: external 198.51.100.7 for pm_a, 198.51.100.8 for pm_b. Ranges small enough that
 * the mappers sometimes exhaust them (RTC_E_PORT_MAPPING_UNAVAILABLE is then an answer). */
static const char config_a[] =
    "[mapping sip]\ntransport = udp, tcp, tls\ninternal = 192.168.1.10:5060-5069\nexternal = 198.51.100.7:5060-5069\n"
    "[mapping any]\ninternal = 192.168.1.10:30000-30015\nexternal = 198.51.100.7:40000-40015\n"
    "[mapping any]\ntransport = udp, tcp\ninternal = [fd00::10]:30000-30007\nexternal = [2001:db8::7]:40000-40007\n";
static const char config_b[] =
    "[mapping sip]\ninternal = 192.168.1.10:5060-5069\nexternal = 198.51.100.8:5060-5069\n"
    "[mapping any]\ninternal = 192.168.1.10:30000-30015\nexternal = 198.51.100.8:40000-40015\n";

/* held[family][transport][internal port]: 1 while some thread holds that mapping of pm_a. */
static LONG volatile held[2][3][65536];

static int transport_index(LONG t) { return t == RTCTR_UDP ? 0 : t == RTCTR_TCP ? 1 : 2; }

struct shared
{
    IRTCPortManager3 *pm_a;        /* static: the mappers' and the hosts' */
    IRTCPortManager3 *pm_b_static; /* static behind the tracing wrapper */
    IRTCPortManager *pm_b;         /* tracing wrapper */
    LONG volatile traced;          /* lines the wrapper reported */
    IRTCClientPortManagement *client;
    IRTCProfilePortManagement *profile;
    IRTCSessionPortManagement *session;
    LONG volatile stop;
};

struct worker
{
    struct shared *s;
    unsigned seed;
    LONG volatile rounds, ok, unavailable, wrong;
    LONG volatile ok_session; /* swapper: the session's swaps (ok: the profile's) */
    char first_wrong[160];
};

static unsigned next_random(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

static void wrong(struct worker *w, const char *what, HRESULT hr)
{
    if (InterlockedIncrement(&w->wrong) == 1)
        snprintf(w->first_wrong, sizeof(w->first_wrong), "%s -> 0x%08lx", what, (unsigned long)(ULONG)hr);
}

static void trace_line(void *ctx, const char *line)
{
    (void)line;
    InterlockedIncrement(&((struct shared *)ctx)->traced);
}

/* ---- mappers: the static port manager directly ------------------------------------------ */

struct held_mapping
{
    BSTR ia, ea;
    LONG ip, ep, transport;
    int family;
};

static int family_of(BSTR b)
{
    char text[RTCPM_ADDR_TEXT_SIZE];
    rtcpm_addr a;
    size_t n;
    if (FAILED(rtcpm_bstr_to_utf8(b, text, sizeof(text), &n)) || rtcpm_addr_parse(text, n, &a)) return -1;
    return a.family == RTCPM_AF_INET ? 0 : 1;
}

static int mapper(void *arg)
{
    struct worker *w = arg;
    IRTCPortManager3 *pm = w->s->pm_a;
    struct held_mapping h[HOLD];
    BSTR v4 = rtcpm_bstr_from_cstr("203.0.113.5"), v6 = rtcpm_bstr_from_cstr("2001:db8:2::5"),
         moved = rtcpm_bstr_from_cstr("203.0.113.77");
    BSTR unknown = rtcpm_bstr_from_cstr("192.0.2.99");
    int n = 0, i;

    while (!load(&w->s->stop) || n)
    {
        unsigned r = next_random(&w->seed);
        InterlockedIncrement(&w->rounds);
        if (n < HOLD && !load(&w->s->stop) && r % 3)
        {
            static const LONG transports[] = { RTCTR_UDP, RTCTR_TCP, RTCTR_TLS };
            struct held_mapping *m = &h[n];
            LONG transport = transports[(r >> 4) % 3];
            RTC_PORT_TYPE type = (RTC_PORT_TYPE)((r >> 6) % 5);
            BSTR remote = (r >> 9) % 4 ? v4 : v6;
            HRESULT hr = pm->lpVtbl->GetMappingEx(pm, remote, 5060, transport, type, &m->ia, &m->ip, &m->ea, &m->ep);
            if (hr == RTC_E_PORT_MAPPING_UNAVAILABLE)
            {
                InterlockedIncrement(&w->unavailable);
                if (m->ia || m->ea || m->ip || m->ep) wrong(w, "outs set on failure", hr);
                continue;
            }
            if (hr != S_OK)
            {
                wrong(w, "GetMappingEx", hr);
                continue;
            }
            m->transport = transport;
            m->family = family_of(m->ia);
            if (m->family < 0 || family_of(m->ea) != m->family || m->ip < 5060 || m->ip > 30015 || m->ep < 5060 ||
                m->ep > 40015)
                wrong(w, "GetMappingEx answer outside the rules", hr);
            else if (InterlockedExchange(&held[m->family][transport_index(transport)][m->ip], 1) != 0)
                wrong(w, "a port handed out twice", hr);
            n++;
            InterlockedIncrement(&w->ok);
        }
        else if (n)
        {
            struct held_mapping *m = &h[--n];
            HRESULT hr = pm->lpVtbl->UpdateRemoteAddressEx2(pm, m->family ? v6 : moved, 7000, m->transport, m->ia,
                                                            m->ip, m->ea, m->ep);
            if (hr != S_OK) wrong(w, "UpdateRemoteAddressEx2", hr);
            /* cleared before the release: once released, another thread may get it */
            if (m->family >= 0) InterlockedExchange(&held[m->family][transport_index(m->transport)][m->ip], 0);
            hr = pm->lpVtbl->ReleaseMappingEx(pm, m->transport, m->ia, m->ip, m->ea, m->ep);
            if (hr != S_OK) wrong(w, "ReleaseMappingEx", hr);
            SysFreeString(m->ia);
            SysFreeString(m->ea);
            InterlockedIncrement(&w->ok);
        }
        else
        {
            /* mappings nobody has: refused whatever the others do */
            HRESULT hr = pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, unknown, 1234, unknown, 1234);
            if (hr != RTC_E_PORT_MAPPING_UNAVAILABLE) wrong(w, "release of an unknown mapping", hr);
            hr = pm->lpVtbl->UpdateRemoteAddressEx2(pm, v4, 0, RTCTR_TCP, unknown, 1234, unknown, 1234);
            if (hr != RTC_E_PORT_MAPPING_UNAVAILABLE) wrong(w, "update of an unknown mapping", hr);
        }
        if (!(r % 16)) test_thread_yield();
    }
    for (i = 0; i < n; i++) SysFreeString(h[i].ia), SysFreeString(h[i].ea);
    SysFreeString(v4);
    SysFreeString(v6);
    SysFreeString(moved);
    SysFreeString(unknown);
    return 0;
}

/* ---- host threads: the shared profile and session ----------------------------------------- */

static int external_is_ours(const char *text)
{
    return strstr(text, "198.51.100.7") || strstr(text, "198.51.100.8") || strstr(text, "192.168.1.10");
}

static int registrar(void *arg)
{
    struct worker *w = arg;
    IRTCProfilePortManagement *profile = w->s->profile;
    char contact[256];

    while (!load(&w->s->stop))
    {
        HRESULT hr = rtcpm_host_profile_enable(profile);
        InterlockedIncrement(&w->rounds);
        if (hr == S_OK)
        {
            InterlockedIncrement(&w->ok);
            /* another registrar thread may disable it in between: then E_UNEXPECTED */
            hr = rtcpm_host_profile_contact(profile, contact, sizeof(contact));
            if (hr == S_OK && !external_is_ours(contact))
                wrong(w, "Contact names no rule's address", hr);
            else if (hr != S_OK && hr != E_UNEXPECTED)
                wrong(w, "profile contact", hr);
            hr = rtcpm_host_profile_disable(profile);
            if (hr != S_OK && hr != S_FALSE && hr != E_UNEXPECTED) wrong(w, "profile disable", hr);
        }
        else if (hr == RTC_E_PORT_MAPPING_UNAVAILABLE)
            InterlockedIncrement(&w->unavailable);
        else if (hr != E_UNEXPECTED)
            wrong(w, "profile enable", hr);
        /* idle now and then, so that the swapper's SetPortManager also gets through */
        test_thread_yield();
    }
    return 0;
}

static int caller(void *arg)
{
    struct worker *w = arg;
    IRTCSessionPortManagement *session = w->s->session;
    char contact[256];

    while (!load(&w->s->stop))
    {
        unsigned r = next_random(&w->seed);
        unsigned media = r % 2 ? RTCPM_HOST_MEDIA_AUDIO : RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO;
        HRESULT hr = rtcpm_host_session_call(session, media);
        InterlockedIncrement(&w->rounds);
        if (hr == S_OK)
        {
            InterlockedIncrement(&w->ok);
            hr = rtcpm_host_session_contact(session, contact, sizeof(contact));
            if (hr == S_OK && !external_is_ours(contact))
                wrong(w, "Contact names no rule's address", hr);
            else if (hr != S_OK && hr != RTC_E_INVALID_SESSION_STATE)
                wrong(w, "session contact", hr);
            hr = rtcpm_host_session_update_remote(session, RTCPM_HOST_STREAM_AUDIO, "203.0.113.77", 20000, 0);
            if (hr != S_OK && hr != RTC_E_INVALID_SESSION_STATE) wrong(w, "session update", hr);
            hr = rtcpm_host_session_hangup(session);
            if (hr != S_OK && hr != S_FALSE && hr != RTC_E_INVALID_SESSION_STATE) wrong(w, "hangup", hr);
        }
        else if (hr == RTC_E_PORT_MAPPING_UNAVAILABLE)
            InterlockedIncrement(&w->unavailable);
        else if (hr != RTC_E_INVALID_SESSION_STATE)
            wrong(w, "session call", hr);
        test_thread_yield();
    }
    return 0;
}

/* ---- the swapper ---------------------------------------------------------------------------- */

static int swapper(void *arg)
{
    struct worker *w = arg;
    struct shared *s = w->s;

    while (!load(&s->stop))
    {
        unsigned r = next_random(&w->seed);
        IRTCPortManager *pm = r % 2 ? s->pm_b : (IRTCPortManager *)s->pm_a;
        HRESULT hr;

        InterlockedIncrement(&w->rounds);
        hr = s->profile->lpVtbl->SetPortManager(s->profile, pm);
        if (hr == S_OK)
            InterlockedIncrement(&w->ok);
        else if (hr != E_FAIL)
            wrong(w, "profile SetPortManager", hr);
        /* the session also gets NULL: "no port manager of its own", the profile's is used */
        hr = s->session->lpVtbl->SetPortManager(s->session, r % 3 ? pm : NULL);
        if (hr == S_OK)
            InterlockedIncrement(&w->ok_session);
        else if (hr != E_FAIL)
            wrong(w, "session SetPortManager", hr);
        if (!(r % 8)) test_thread_yield();
    }
    return 0;
}

/* ---- the test ----------------------------------------------------------------------------- */

static ULONG refs(void *unk) { return rtcpm_com_refcount((IUnknown *)unk); }

static void test_stress(void)
{
    struct shared s;
    struct worker w[MAPPERS + 5];
    test_thread *t[MAPPERS + 5];
    int (*fn[MAPPERS + 5])(void *);
    ULONG refs_before[6];
    LONG objects = rtcpm_live_objects();
    char err[256];
    int i, n = 0;

    memset(&s, 0, sizeof(s));
    memset(w, 0, sizeof(w));
    memset((void *)held, 0, sizeof(held));
    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&s.pm_a), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_load_string(s.pm_a, config_a, "a", err, sizeof(err)), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_create(&s.pm_b_static), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_static_pm_load_string(s.pm_b_static, config_b, "b", err, sizeof(err)), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_trace_pm_create((IRTCPortManager *)s.pm_b_static, trace_line, &s, &s.pm_b), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_client("192.168.1.10", &s.client), S_OK);
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(s.client, "sip:alice@example.com", "198.18.0.1", 5060, RTCTR_UDP, &s.profile), S_OK);
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_session(s.client, s.profile, "sip:bob@example.net", "203.0.113.5", 5060, 0, &s.session),
        S_OK);
    CU_ASSERT_EQUAL(s.profile->lpVtbl->SetPortManager(s.profile, (IRTCPortManager *)s.pm_a), S_OK);
    CU_ASSERT_EQUAL(s.session->lpVtbl->SetPortManager(s.session, s.pm_b), S_OK);
    refs_before[0] = refs(s.pm_a);
    refs_before[1] = refs(s.pm_b);
    refs_before[2] = refs(s.client);
    refs_before[3] = refs(s.profile);
    refs_before[4] = refs(s.session);
    refs_before[5] = refs(s.pm_b_static);

    for (i = 0; i < MAPPERS; i++) fn[n++] = mapper;
    fn[n++] = registrar;
    fn[n++] = registrar;
    fn[n++] = caller;
    fn[n++] = caller;
    fn[n++] = swapper;
    for (i = 0; i < n; i++)
    {
        w[i].s = &s;
        w[i].seed = 0x9e3779b9u * (unsigned)(i + 1);
        CU_ASSERT_EQUAL_FATAL(test_thread_start(&t[i], fn[i], &w[i]), 0);
    }
    test_sleep_ms(STRESS_MS);
    /* keep going until every thread has done its minimum (a slow start under valgrind) */
    for (i = 0; i < n; i++)
        while (load(&w[i].rounds) < MIN_ROUNDS) test_sleep_ms(10);
    /* and until a call went through the wrapped port manager: under a heavy load the callers
     * can run only while the swapper left pm_a in place (bounded: the assertion below decides) */
    for (i = 0; i < 3000 && !load(&s.traced); i++) test_sleep_ms(10);
    InterlockedExchange(&s.stop, 1);
    for (i = 0; i < n; i++) (void)test_thread_join(t[i]);

    for (i = 0; i < n; i++)
    {
        printf("\n    thread %d: %ld rounds, %ld ok, %ld unavailable, %ld wrong%s%s", i, (long)w[i].rounds,
               (long)w[i].ok, (long)w[i].unavailable, (long)w[i].wrong, w[i].wrong ? ": first " : "", w[i].first_wrong);
        CU_ASSERT_EQUAL(w[i].wrong, 0);
        CU_ASSERT(w[i].rounds >= MIN_ROUNDS);
        CU_ASSERT(w[i].ok > 0);
    }
    /* swaps got through on both objects, and calls ran on the wrapped port manager */
    printf("\n    swaps that took: profile %ld, session %ld; wrapper reported %ld calls", (long)w[n - 1].ok,
           (long)w[n - 1].ok_session, (long)load(&s.traced));
    CU_ASSERT(w[n - 1].ok_session > 0);
    CU_ASSERT(load(&s.traced) > 0);

    /* nothing left behind: the hosts are idle, every mapping is back */
    CU_ASSERT_EQUAL(rtcpm_host_profile_disable(s.profile), S_FALSE);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(s.session), S_FALSE);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(s.pm_a), 0);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(s.pm_b_static), 0);
    /* the port managers where they started: every refcount as before the threads */
    CU_ASSERT_EQUAL(s.profile->lpVtbl->SetPortManager(s.profile, (IRTCPortManager *)s.pm_a), S_OK);
    CU_ASSERT_EQUAL(s.session->lpVtbl->SetPortManager(s.session, s.pm_b), S_OK);
    CU_ASSERT_EQUAL(refs(s.pm_a), refs_before[0]);
    CU_ASSERT_EQUAL(refs(s.pm_b), refs_before[1]);
    CU_ASSERT_EQUAL(refs(s.client), refs_before[2]);
    CU_ASSERT_EQUAL(refs(s.profile), refs_before[3]);
    CU_ASSERT_EQUAL(refs(s.session), refs_before[4]);
    CU_ASSERT_EQUAL(refs(s.pm_b_static), refs_before[5]);

    CU_ASSERT_EQUAL(s.session->lpVtbl->Release(s.session), 0);
    CU_ASSERT_EQUAL(s.profile->lpVtbl->Release(s.profile), 0);
    CU_ASSERT_EQUAL(s.client->lpVtbl->Release(s.client), 0);
    CU_ASSERT_EQUAL(s.pm_b->lpVtbl->Release(s.pm_b), 0);
    CU_ASSERT_EQUAL(s.pm_b_static->lpVtbl->Release(s.pm_b_static), 0);
    CU_ASSERT_EQUAL(s.pm_a->lpVtbl->Release(s.pm_a), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), objects);
}

static CU_TestInfo tests[] = {
    { "stress", test_stress },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("stress", tests, argc, argv); }
