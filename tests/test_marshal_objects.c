/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_marshal_objects.c — rtcpm's own objects across apartments, under Wine.
 *
 * The static port manager, the tracing wrapper (around a free-threaded port manager) and the
 * host objects (client, profile, session) aggregate the free-threaded marshaler: another
 * apartment gets the object itself, no proxy/stub is involved, and a method runs on the
 * thread that calls it. The host objects keep an application's port manager through
 * com_agile_ref: one that lives in a single-threaded apartment (STA) is called in its STA,
 * through rtcpm_ps.dll's proxy, whatever apartment drives the host.
 *
 * The main thread is in the multithreaded apartment (MTA); STAs are apartment.c threads,
 * which pump messages. [out] BSTRs are counted with the IMallocSpy of malloc_spy.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "recording_pm.h"
#include "malloc_spy.h"
#include "marshal_util.h"
#include "com/com.h"
#include "com/bstr_util.h"

#define PEER      "203.0.113.5"
#define REGISTRAR "198.18.0.1"

/* recording_pm's answers, as its log prints them */
#define SIP_ANSWER " -> 0x0 192.168.1.10:5060 198.51.100.7:45060\n"
#define ART_ANSWER " -> 0x0 192.168.1.10:5000 198.51.100.7:40000\n"
#define ARC_ANSWER " -> 0x0 192.168.1.10:5001 198.51.100.7:40001\n"
#define VRT_ANSWER " -> 0x0 192.168.1.10:5002 198.51.100.7:40002\n"
#define VRC_ANSWER " -> 0x0 192.168.1.10:5003 198.51.100.7:40003\n"

/* ---------------------------------------------------------------------------------------- */
/* helpers                                                                                   */

static HRESULT qi(void *itf, const IID *iid, void **out)
{
    IUnknown *unk = itf;
    return unk->lpVtbl->QueryInterface(unk, iid, out);
}

static ULONG release(void *itf)
{
    IUnknown *unk = itf;
    return unk ? unk->lpVtbl->Release(unk) : 0;
}

/* A static port manager forwarding 192.168.1.10:5060-5069 from 198.51.100.7:45060-45069. */
static IRTCPortManager3 *new_static_pm(void)
{
    static const struct rtcpm_static_rule rule = {
        RTCPM_PORT_TYPE_ANY, RTCTR_UDP, "192.168.1.10", 5060, 5069, "198.51.100.7", 45060, 0, NULL
    };
    IRTCPortManager3 *pm = NULL;
    if (rtcpm_static_pm_create(&pm) != S_OK) return NULL;
    if (rtcpm_static_pm_add_rule(pm, &rule) != S_OK)
    {
        release(pm);
        return NULL;
    }
    return pm;
}

/* One GetMappingEx + ReleaseMappingEx on a static port manager; S_OK or the first failure. */
static HRESULT static_round_trip(IRTCPortManager3 *pm, LONG *ext_port)
{
    BSTR remote = rtcpm_bstr_from_cstr(PEER), ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    HRESULT hr = pm->lpVtbl->GetMappingEx(pm, remote, 5060, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep);
    if (ext_port) *ext_port = ep;
    if (SUCCEEDED(hr)) hr = pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, ia, ip, ea, ep);
    SysFreeString(ia);
    SysFreeString(ea);
    SysFreeString(remote);
    return hr;
}

/* What the tracing wrapper reports, and on which thread. */
struct trace_seen
{
    LONG lines;
    DWORD tid;
    char last[256];
};

static void trace_cb(void *ctx, const char *line)
{
    struct trace_seen *t = ctx;
    t->tid = GetCurrentThreadId();
    snprintf(t->last, sizeof(t->last), "%s", line);
    InterlockedIncrement(&t->lines);
}

/* ---------------------------------------------------------------------------------------- */
/* the five FTM objects, made in one apartment                                               */

enum
{
    OBJ_STATIC,
    OBJ_TRACE,
    OBJ_CLIENT,
    OBJ_PROFILE,
    OBJ_SESSION,
    OBJ_COUNT
};
static const char *const obj_name[OBJ_COUNT] = { "static PM", "trace wrapper", "client", "profile", "session" };
static const IID *const obj_iid[OBJ_COUNT] = { &IID_IRTCPortManager3, &IID_IRTCPortManager,
                                               &IID_IRTCClientPortManagement, &IID_IRTCProfilePortManagement,
                                               &IID_IRTCSessionPortManagement };

struct objects
{
    void *obj[OBJ_COUNT];  /* the interfaces of obj_iid */
    ULONG refs[OBJ_COUNT]; /* each one's refcount before it was marshalled */
    IStream *stream[OBJ_COUNT];
    IRTCPortManager *rec; /* recording port manager with the FTM, set on the profile */
    struct trace_seen seen;
    DWORD tid;
    int made;
};

static IRTCPortManager3 *o_static(struct objects *o) { return o->obj[OBJ_STATIC]; }
static IRTCClientPortManagement *o_client(struct objects *o) { return o->obj[OBJ_CLIENT]; }
static IRTCProfilePortManagement *o_profile(struct objects *o) { return o->obj[OBJ_PROFILE]; }

/* Makes the objects on this thread and marshals each into a stream for another apartment. */
static void objects_make_job_run(void *arg)
{
    struct objects *o = arg;
    IRTCPortManager3 *spm;
    int i;

    o->tid = GetCurrentThreadId();
    if (!(spm = new_static_pm())) return;
    o->obj[OBJ_STATIC] = spm;
    if (rtcpm_trace_pm_create((IRTCPortManager *)spm, trace_cb, &o->seen, (IRTCPortManager **)&o->obj[OBJ_TRACE]) !=
            S_OK ||
        rtcpm_host_create_client("192.168.1.10", (IRTCClientPortManagement **)&o->obj[OBJ_CLIENT]) != S_OK ||
        rtcpm_host_create_profile(o_client(o), "sip:alice@example.com", REGISTRAR, 5060, RTCTR_UDP,
                                  (IRTCProfilePortManagement **)&o->obj[OBJ_PROFILE]) != S_OK ||
        rtcpm_host_create_session(o_client(o), o_profile(o), "sip:bob@example.net", PEER, 5060, 0,
                                  (IRTCSessionPortManagement **)&o->obj[OBJ_SESSION]) != S_OK ||
        recording_pm_create_ftm(3, &o->rec) != S_OK ||
        o_profile(o)->lpVtbl->SetPortManager(o_profile(o), o->rec) != S_OK)
        return;
    for (i = 0; i < OBJ_COUNT; i++)
    {
        o->refs[i] = rtcpm_com_refcount(o->obj[i]);
        o->stream[i] = to_stream(obj_iid[i], o->obj[i]);
    }
    o->made = 1;
}

static void objects_release_job_run(void *arg)
{
    struct objects *o = arg;
    int i;
    for (i = OBJ_COUNT - 1; i >= 0; i--) release(o->obj[i]);
    release(o->rec);
}

/* In another apartment: the same pointers, no proxy (IClientSecurity), the FTM's IMarshal,
 * refcounts back where they were once released. */
static void test_objects_cross_as_themselves(void)
{
    struct objects o;
    struct sta sta;
    LONG live = rtcpm_live_objects();
    int ps_loaded = GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")) != NULL;
    int i;

    memset(&o, 0, sizeof(o));
    sta_start_ok(&sta, 0); /* no proxy/stub registered anywhere */
    sta_run(&sta, objects_make_job_run, &o);
    CU_ASSERT_TRUE_FATAL(o.made);
    for (i = 0; i < OBJ_COUNT; i++)
    {
        void *got = from_stream(o.stream[i], obj_iid[i]);
        IUnknown *cs = (IUnknown *)&cs, *marshal = NULL, *unk1 = NULL, *unk2 = NULL;

        CU_ASSERT_PTR_EQUAL(got, o.obj[i]);
        if (got != o.obj[i]) printf("  %s: %p arrived as %p\n", obj_name[i], o.obj[i], got);
        if (!got) continue;
        CU_ASSERT_EQUAL(qi(got, &IID_IClientSecurity, (void **)&cs), E_NOINTERFACE);
        CU_ASSERT_PTR_NULL(cs);
        CU_ASSERT_EQUAL(qi(got, &IID_IMarshal, (void **)&marshal), S_OK);
        release(marshal);
        CU_ASSERT_EQUAL(qi(got, &IID_IUnknown, (void **)&unk1), S_OK);
        CU_ASSERT_EQUAL(qi(o.obj[i], &IID_IUnknown, (void **)&unk2), S_OK);
        CU_ASSERT_PTR_EQUAL(unk1, unk2);
        release(unk1);
        release(unk2);
        release(got);
        CU_ASSERT_EQUAL(rtcpm_com_refcount(o.obj[i]), o.refs[i]);
    }
    sta_run(&sta, objects_release_job_run, &o);
    sta_stop_ok(&sta);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
    if (!ps_loaded) CU_ASSERT_PTR_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));
}

/* The objects' creator STA blocks without pumping messages while a thread of the MTA uses
 * every object: a call that needed the STA could not finish. Each one finishes, on the
 * calling thread. */
struct blocked_use
{
    struct objects *o;
    DWORD tid; /* the MTA thread's */
    uintptr_t token;
    int same[OBJ_COUNT];
    HRESULT init_hr, static_hr, trace_hr, listen_hr, enable_hr, call_hr, hangup_hr, disable_hr, stop_hr;
    LONG static_ext_port, live_mappings_during;
    uintptr_t enable_caller, call_caller;
    char contact[256];
    DWORD wait; /* the STA's WaitForSingleObject result */
};

static DWORD WINAPI blocked_use_thread(void *arg)
{
    struct blocked_use *u = arg;
    struct objects *o = u->o;
    void *got[OBJ_COUNT];
    BSTR addr = SysAllocString(RTCPM_W("192.168.1.10")), remote = rtcpm_bstr_from_cstr(PEER), ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    int i;

    u->tid = GetCurrentThreadId();
    u->token = recording_pm_thread_token();
    u->init_hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    for (i = 0; i < OBJ_COUNT; i++)
    {
        got[i] = NULL;
        CoGetInterfaceAndReleaseStream(o->stream[i], obj_iid[i], &got[i]);
        o->stream[i] = NULL;
        u->same[i] = got[i] && got[i] == o->obj[i];
    }
    if (u->same[OBJ_STATIC])
    {
        IRTCPortManager3 *pm = got[OBJ_STATIC];
        /* the effect shows at once, with the STA not answering */
        u->static_hr = pm->lpVtbl->GetMappingEx(pm, remote, 5060, RTCTR_UDP, RTCPT_SIP, &ia, &ip, &ea, &ep);
        u->static_ext_port = ep;
        u->live_mappings_during = rtcpm_static_pm_live_mappings(pm);
        if (SUCCEEDED(u->static_hr)) u->static_hr = pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, ia, ip, ea, ep);
        SysFreeString(ia);
        SysFreeString(ea);
        ia = ea = NULL;
    }
    if (u->same[OBJ_TRACE])
    {
        IRTCPortManager *pm = got[OBJ_TRACE];
        u->trace_hr = pm->lpVtbl->GetMapping(pm, remote, RTCPT_AUDIO_RTP, &ia, &ip, &ea, &ep);
        if (SUCCEEDED(u->trace_hr)) u->trace_hr = pm->lpVtbl->ReleaseMapping(pm, ia, ip, ea, ep);
        SysFreeString(ia);
        SysFreeString(ea);
    }
    if (u->same[OBJ_CLIENT])
    {
        IRTCClientPortManagement *client = got[OBJ_CLIENT];
        u->listen_hr = client->lpVtbl->StartListenAddressAndPort(client, addr, 5070);
    }
    if (u->same[OBJ_PROFILE])
    {
        u->enable_hr = rtcpm_host_profile_enable(got[OBJ_PROFILE]);
        u->enable_caller = recording_pm_last_caller(o->rec);
        rtcpm_host_profile_contact(got[OBJ_PROFILE], u->contact, sizeof(u->contact));
    }
    if (u->same[OBJ_SESSION])
    {
        u->call_hr = rtcpm_host_session_call(got[OBJ_SESSION], RTCPM_HOST_MEDIA_AUDIO);
        u->call_caller = recording_pm_last_caller(o->rec);
        u->hangup_hr = rtcpm_host_session_hangup(got[OBJ_SESSION]);
    }
    if (u->same[OBJ_PROFILE]) u->disable_hr = rtcpm_host_profile_disable(got[OBJ_PROFILE]);
    if (u->same[OBJ_CLIENT])
    {
        IRTCClientPortManagement *client = got[OBJ_CLIENT];
        u->stop_hr = client->lpVtbl->StopListenAddressAndPort(client, addr, 5070);
    }
    for (i = 0; i < OBJ_COUNT; i++) release(got[i]);
    SysFreeString(addr);
    SysFreeString(remote);
    if (SUCCEEDED(u->init_hr)) CoUninitialize();
    return 0;
}

static void blocked_use_job_run(void *arg)
{
    struct blocked_use *u = arg;
    HANDLE thread = CreateThread(NULL, 0, blocked_use_thread, u, 0, NULL);
    MSG msg;

    if (!thread) return;
    /* no message pumping here: the STA is deaf while it waits */
    u->wait = WaitForSingleObject(thread, 20000);
    /* had it needed the STA, let it finish now so the failure is reported, not hung */
    while (u->wait != WAIT_OBJECT_0 &&
           MsgWaitForMultipleObjects(1, &thread, FALSE, INFINITE, QS_ALLINPUT) != WAIT_OBJECT_0)
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) DispatchMessageW(&msg);
    CloseHandle(thread);
}

static void test_methods_run_on_calling_thread(void)
{
    struct objects o;
    struct blocked_use u;
    struct sta sta;
    LONG live = rtcpm_live_objects();
    int i;

    memset(&o, 0, sizeof(o));
    memset(&u, 0, sizeof(u));
    u.o = &o;
    sta_start_ok(&sta, 0);
    sta_run(&sta, objects_make_job_run, &o);
    CU_ASSERT_TRUE_FATAL(o.made);
    sta_run(&sta, blocked_use_job_run, &u);

    CU_ASSERT_EQUAL(u.wait, WAIT_OBJECT_0);
    CU_ASSERT_EQUAL(u.init_hr, S_OK);
    for (i = 0; i < OBJ_COUNT; i++)
    {
        CU_ASSERT_TRUE(u.same[i]);
        if (!u.same[i]) printf("  %s did not arrive as itself\n", obj_name[i]);
    }
    /* static PM: its effect, with the creator's STA blocked */
    CU_ASSERT_EQUAL(u.static_hr, S_OK);
    CU_ASSERT_EQUAL(u.static_ext_port, 45060);
    CU_ASSERT_EQUAL(u.live_mappings_during, 1);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(o_static(&o)), 0);
    /* trace wrapper: reported on the calling thread */
    CU_ASSERT_EQUAL(u.trace_hr, S_OK);
    CU_ASSERT_EQUAL(o.seen.lines, 2);
    CU_ASSERT_EQUAL(o.seen.tid, u.tid);
    CU_ASSERT_NOT_EQUAL(o.seen.tid, sta.tid);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.seen.last, "ReleaseMapping(internal 192.168.1.10:"));
    /* client, profile, session: the recording port manager (FTM) behind them was called on
     * the calling thread, not in the STA that created everything */
    CU_ASSERT_EQUAL(u.listen_hr, S_OK);
    CU_ASSERT_EQUAL(u.stop_hr, S_OK);
    CU_ASSERT_EQUAL(u.enable_hr, S_OK);
    CU_ASSERT_EQUAL(u.enable_caller, u.token);
    CU_ASSERT_STRING_EQUAL(u.contact, "Contact: <sip:alice@198.51.100.7:45060;transport=udp>\r\n");
    CU_ASSERT_EQUAL(u.call_hr, S_OK);
    CU_ASSERT_EQUAL(u.call_caller, u.token);
    CU_ASSERT_EQUAL(u.hangup_hr, S_OK);
    CU_ASSERT_EQUAL(u.disable_hr, S_OK);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(o.rec),
                           "GetMappingEx(" REGISTRAR ":5060,UDP,SIP)" SIP_ANSWER "GetMappingEx(" PEER
                           ":5060,UDP,SIP)" SIP_ANSWER "GetMappingEx(" PEER ":0,UDP,AUDIO_RTP)" ART_ANSWER
                           "GetMappingEx(" PEER ":0,UDP,AUDIO_RTCP)" ARC_ANSWER
                           "ReleaseMappingEx(UDP,192.168.1.10:5001,198.51.100.7:40001)\n"
                           "ReleaseMappingEx(UDP,192.168.1.10:5000,198.51.100.7:40000)\n"
                           "ReleaseMappingEx(UDP,192.168.1.10:5060,198.51.100.7:45060)\n"
                           "ReleaseMappingEx(UDP,192.168.1.10:5060,198.51.100.7:45060)\n");
    for (i = 0; i < OBJ_COUNT; i++) CU_ASSERT_EQUAL(rtcpm_com_refcount(o.obj[i]), o.refs[i]);
    sta_run(&sta, objects_release_job_run, &o);
    sta_stop_ok(&sta);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
}

/* ---------------------------------------------------------------------------------------- */
/* the tracing wrapper around an apartment-bound port manager                                */

struct trace_sta_job
{
    IRTCPortManager *inner, *wrapper;
    struct trace_seen seen;
    IStream *stream;
    uintptr_t token;
    int wrapper_has_marshal;
};

static void trace_sta_make_job_run(void *arg)
{
    struct trace_sta_job *j = arg;
    IUnknown *marshal = NULL;
    j->token = recording_pm_thread_token();
    if (recording_pm_create(3, &j->inner) != S_OK) return;
    if (rtcpm_trace_pm_create(j->inner, trace_cb, &j->seen, &j->wrapper) != S_OK) return;
    j->wrapper_has_marshal = qi(j->wrapper, &IID_IMarshal, (void **)&marshal) == S_OK;
    release(marshal);
    j->stream = to_stream(&IID_IRTCPortManager, j->wrapper);
}

static void trace_sta_release_job_run(void *arg)
{
    struct trace_sta_job *j = arg;
    release(j->wrapper);
    release(j->inner);
}

/* Around a port manager bound to its STA the wrapper is as bound as it: no FTM, another
 * apartment gets a proxy, and wrapper and inner object run in their STA. */
static void test_trace_wrapper_stays_with_bound_inner(void)
{
    rtcpm_marshal_registration *reg = NULL;
    struct trace_sta_job j;
    IRTCPortManager *pm, *pm3 = NULL;
    BSTR remote = rtcpm_bstr_from_cstr(PEER), ia = NULL, ea = NULL;
    LONG ip = 0, ep = 0;
    struct sta sta;
    LONG live = rtcpm_live_objects();

    memset(&j, 0, sizeof(j));
    mta_register(&reg);
    sta_start_ok(&sta, 1);
    sta_run(&sta, trace_sta_make_job_run, &j);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j.wrapper);
    CU_ASSERT_FALSE(j.wrapper_has_marshal);
    pm = from_stream(j.stream, &IID_IRTCPortManager);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    CU_ASSERT_PTR_NOT_EQUAL(pm, j.wrapper);
    CU_ASSERT_TRUE(is_proxy(pm));
    /* the wrapper answers IRTCPortManager3 because the inner one does: also through the proxy */
    CU_ASSERT_EQUAL(qi(pm, &IID_IRTCPortManager3, (void **)&pm3), S_OK);
    release(pm3);
    CU_ASSERT_EQUAL(pm->lpVtbl->GetMapping(pm, remote, RTCPT_SIP, &ia, &ip, &ea, &ep), S_OK);
    CU_ASSERT_BSTR_EQUAL(ea, RTCPM_W("198.51.100.7"));
    CU_ASSERT_EQUAL(ep, 45060);
    CU_ASSERT_EQUAL(recording_pm_last_caller(j.inner), j.token);
    CU_ASSERT_EQUAL(j.seen.tid, sta.tid);
    CU_ASSERT_STRING_EQUAL(j.seen.last, "GetMapping(" PEER ", SIP) -> S_OK internal 192.168.1.10:5060 "
                                        "external 198.51.100.7:45060");
    SysFreeString(ia);
    SysFreeString(ea);
    SysFreeString(remote);
    CU_ASSERT_EQUAL(release(pm), 0);
    sta_run(&sta, trace_sta_release_job_run, &j);
    sta_stop_ok(&sta);
    CU_ASSERT_EQUAL(rtcpm_marshal_revoke(reg), S_OK);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
}

/* ---------------------------------------------------------------------------------------- */
/* host objects driving a port manager that lives in an STA                                  */

struct set_job
{
    IStream *stream; /* the host object, from the MTA; NULL: take `expect` as it is */
    int session;     /* 0: profile, 1: session */
    int version;     /* of the recording port manager made here */
    void *expect;    /* the host object arrives as itself */
    int arrived_as_itself;
    IRTCPortManager *pm; /* made here, without the FTM; the STA keeps this reference */
    uintptr_t token;
    HRESULT hr;
};

static void set_job_run(void *arg)
{
    struct set_job *s = arg;
    const IID *iid = s->session ? &IID_IRTCSessionPortManagement : &IID_IRTCProfilePortManagement;
    void *host = NULL;

    if (s->stream)
        host = from_stream(s->stream, iid);
    else
        qi(s->expect, iid, &host);
    s->token = recording_pm_thread_token();
    s->hr = E_FAIL;
    if (!host) return;
    s->arrived_as_itself = host == s->expect;
    if (!s->pm && recording_pm_create(s->version, &s->pm) != S_OK) s->pm = NULL;
    if (s->pm)
    {
        if (s->session)
            s->hr = ((IRTCSessionPortManagement *)host)->lpVtbl->SetPortManager(host, s->pm);
        else
            s->hr = ((IRTCProfilePortManagement *)host)->lpVtbl->SetPortManager(host, s->pm);
    }
    release(host);
}

/* Host operations run on another STA thread. */
struct op_job
{
    void *host;
    int op;
    HRESULT hr;
};
enum
{
    OP_PROFILE_DISABLE,
    OP_SESSION_CALL,
    OP_SESSION_UPDATE_AUDIO,
    OP_SESSION_HANGUP
};

static void op_job_run(void *arg)
{
    struct op_job *j = arg;
    switch (j->op)
    {
    case OP_PROFILE_DISABLE: j->hr = rtcpm_host_profile_disable(j->host); break;
    case OP_SESSION_CALL: j->hr = rtcpm_host_session_call(j->host, RTCPM_HOST_MEDIA_AUDIO); break;
    case OP_SESSION_UPDATE_AUDIO:
        j->hr = rtcpm_host_session_update_remote(j->host, RTCPM_HOST_STREAM_AUDIO, "203.0.113.9", 7000, 0);
        break;
    case OP_SESSION_HANGUP: j->hr = rtcpm_host_session_hangup(j->host); break;
    }
}

static int count_lines(const char *text)
{
    int n = 0;
    for (; *text; text++) n += *text == '\n';
    return n;
}

static HRESULT run_op(struct sta *sta, void *host, int op)
{
    struct op_job j = { host, op, E_FAIL };
    sta_run(sta, op_job_run, &j);
    return j.hr;
}

/* The profile, made in the MTA, is given an STA's port manager by that STA; the MTA enables
 * it, another STA disables it: every call arrives in the port manager's STA, through the
 * proxy (without rtcpm_ps.dll registered in the MTA the host cannot reach it at all). */
static void test_profile_drives_sta_port_manager(void)
{
    rtcpm_marshal_registration *reg = NULL;
    IRTCClientPortManagement *client = NULL;
    IRTCProfilePortManagement *profile = NULL;
    struct set_job s;
    struct sta sta, other;
    char text[256];
    LONG live = rtcpm_live_objects(), spy;
    HRESULT hr;
    int round;

    memset(&s, 0, sizeof(s));
    sta_start_ok(&sta, 1);
    sta_start_ok(&other, 1);
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_client("192.168.1.10", &client), S_OK);
    CU_ASSERT_EQUAL_FATAL(
        rtcpm_host_create_profile(client, "sip:alice@example.com", REGISTRAR, 5060, RTCTR_UDP, &profile), S_OK);
    s.stream = to_stream(&IID_IRTCProfilePortManagement, profile);
    s.expect = profile;
    s.version = 3;
    sta_run(&sta, set_job_run, &s);
    CU_ASSERT_TRUE(s.arrived_as_itself);
    CU_ASSERT_EQUAL(s.hr, S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s.pm);
    CU_ASSERT_EQUAL(rtcpm_com_refcount((IUnknown *)profile), 1); /* the STA kept nothing of the host */

    /* no proxy/stub in the MTA: the host gets no pointer to the port manager here */
    hr = rtcpm_host_profile_enable(profile);
    CU_ASSERT_TRUE(FAILED(hr));
    printf("  enable from an MTA without rtcpm_ps.dll: 0x%08lx\n", (unsigned long)hr);
    CU_ASSERT_STRING_EQUAL(recording_pm_log(s.pm), "");
    CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), E_UNEXPECTED);

    mta_register(&reg);
    for (round = 0; round < 2; round++)
    {
        /* round 0 warms the proxy machinery up; round 1 is counted */
        spy = malloc_spy_live();
        recording_pm_clear_log(s.pm);
        CU_ASSERT_EQUAL(rtcpm_host_profile_enable(profile), S_OK);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(s.pm), "GetMappingEx(" REGISTRAR ":5060,UDP,SIP)" SIP_ANSWER);
        CU_ASSERT_EQUAL(recording_pm_last_caller(s.pm), s.token);
        CU_ASSERT_NOT_EQUAL(recording_pm_last_caller(s.pm), recording_pm_thread_token());
        CU_ASSERT_EQUAL(rtcpm_host_profile_contact(profile, text, sizeof(text)), S_OK);
        CU_ASSERT_STRING_EQUAL(text, "Contact: <sip:alice@198.51.100.7:45060;transport=udp>\r\n");
        /* disabled from a third apartment: the release too arrives in the port manager's STA */
        CU_ASSERT_EQUAL(run_op(&other, profile, OP_PROFILE_DISABLE), S_OK);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(s.pm), "GetMappingEx(" REGISTRAR ":5060,UDP,SIP)" SIP_ANSWER
                                                       "ReleaseMappingEx(UDP,192.168.1.10:5060,198.51.100.7:45060)\n");
        CU_ASSERT_EQUAL(recording_pm_last_caller(s.pm), s.token);
        if (round) CU_ASSERT_EQUAL(malloc_spy_live(), spy); /* every [out] BSTR freed once */
    }
    CU_ASSERT_PTR_NOT_NULL(GetModuleHandleW(RTCPM_W("rtcpm_ps.dll")));

    /* a session without a port manager of its own uses the profile's: placed from the MTA,
     * hung up from the other STA, all of it in the port manager's STA */
    {
        IRTCSessionPortManagement *session = NULL;
        CU_ASSERT_EQUAL_FATAL(
            rtcpm_host_create_session(client, profile, "sip:bob@example.net", PEER, 5060, 0, &session), S_OK);
        recording_pm_clear_log(s.pm);
        CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO), S_OK);
        CU_ASSERT_EQUAL(recording_pm_last_caller(s.pm), s.token);
        CU_ASSERT_EQUAL(run_op(&other, session, OP_SESSION_HANGUP), S_OK);
        CU_ASSERT_EQUAL(recording_pm_last_caller(s.pm), s.token);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(s.pm),
                               "GetMappingEx(" PEER ":5060,UDP,SIP)" SIP_ANSWER "GetMappingEx(" PEER
                               ":0,UDP,AUDIO_RTP)" ART_ANSWER "GetMappingEx(" PEER ":0,UDP,AUDIO_RTCP)" ARC_ANSWER
                               "ReleaseMappingEx(UDP,192.168.1.10:5001,198.51.100.7:40001)\n"
                               "ReleaseMappingEx(UDP,192.168.1.10:5000,198.51.100.7:40000)\n"
                               "ReleaseMappingEx(UDP,192.168.1.10:5060,198.51.100.7:45060)\n");
        CU_ASSERT_EQUAL(release(session), 0);
    }

    /* both sides balance: the host's release leaves the STA its one reference */
    CU_ASSERT(recording_pm_refcount(s.pm) > 1); /* the host's registration */
    CU_ASSERT_EQUAL(release(profile), 0);
    CU_ASSERT_EQUAL(release(client), 0);
    CU_ASSERT_EQUAL(recording_pm_refcount(s.pm), 1);
    sta_run(&sta, release_job_run, s.pm);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
    sta_stop_ok(&other);
    sta_stop_ok(&sta);
    CU_ASSERT_EQUAL(rtcpm_marshal_revoke(reg), S_OK);
}

/* The session, made in the MTA, gets its port manager from an STA; the MTA places the call
 * (the 3 -> 2 -> 1 QIs go through the proxy too), another STA updates the remote, the MTA
 * hangs up: everything arrives in the port manager's STA. */
static void session_drives_sta_port_manager(int version)
{
    rtcpm_marshal_registration *reg = NULL;
    IRTCClientPortManagement *client = NULL;
    IRTCSessionPortManagement *session = NULL;
    struct set_job s;
    struct sta sta, other;
    LONG live = rtcpm_live_objects(), level = -1, spy;
    char expect[2048];
    int round;

    memset(&s, 0, sizeof(s));
    mta_register(&reg);
    sta_start_ok(&sta, 1);
    sta_start_ok(&other, 1);
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_client("192.168.1.10", &client), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtcpm_host_create_session(client, NULL, "sip:bob@example.net", PEER, 5060, 0, &session),
                          S_OK);
    s.stream = to_stream(&IID_IRTCSessionPortManagement, session);
    s.expect = session;
    s.session = 1;
    s.version = version;
    sta_run(&sta, set_job_run, &s);
    CU_ASSERT_TRUE(s.arrived_as_itself);
    CU_ASSERT_EQUAL(s.hr, S_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s.pm);

    if (version == 3)
        snprintf(expect, sizeof(expect), "%s",
                 "GetMappingEx(" PEER ":5060,UDP,SIP)" SIP_ANSWER "GetMappingEx(" PEER ":0,UDP,AUDIO_RTP)" ART_ANSWER
                 "GetMappingEx(" PEER ":0,UDP,AUDIO_RTCP)" ARC_ANSWER "GetMappingEx(" PEER
                 ":0,UDP,VIDEO_RTP)" VRT_ANSWER "GetMappingEx(" PEER ":0,UDP,VIDEO_RTCP)" VRC_ANSWER
                 "UpdateRemoteAddressEx2(203.0.113.9:7000,UDP,192.168.1.10:5000,198.51.100.7:40000)\n"
                 "UpdateRemoteAddressEx2(203.0.113.9:7001,UDP,192.168.1.10:5001,198.51.100.7:40001)\n"
                 "ReleaseMappingEx(UDP,192.168.1.10:5003,198.51.100.7:40003)\n"
                 "ReleaseMappingEx(UDP,192.168.1.10:5002,198.51.100.7:40002)\n"
                 "ReleaseMappingEx(UDP,192.168.1.10:5001,198.51.100.7:40001)\n"
                 "ReleaseMappingEx(UDP,192.168.1.10:5000,198.51.100.7:40000)\n"
                 "ReleaseMappingEx(UDP,192.168.1.10:5060,198.51.100.7:45060)\n");
    else
        snprintf(expect, sizeof(expect), "%s",
                 "GetMapping(" PEER ",SIP)" SIP_ANSWER "GetMapping(" PEER ",AUDIO_RTP)" ART_ANSWER "GetMapping(" PEER
                 ",AUDIO_RTCP)" ARC_ANSWER "GetMapping(" PEER ",VIDEO_RTP)" VRT_ANSWER "GetMapping(" PEER
                 ",VIDEO_RTCP)" VRC_ANSWER "UpdateRemoteAddress(203.0.113.9,192.168.1.10:5000,198.51.100.7:40000)\n"
                 "UpdateRemoteAddress(203.0.113.9,192.168.1.10:5001,198.51.100.7:40001)\n"
                 "ReleaseMapping(192.168.1.10:5003,198.51.100.7:40003)\n"
                 "ReleaseMapping(192.168.1.10:5002,198.51.100.7:40002)\n"
                 "ReleaseMapping(192.168.1.10:5001,198.51.100.7:40001)\n"
                 "ReleaseMapping(192.168.1.10:5000,198.51.100.7:40000)\n"
                 "ReleaseMapping(192.168.1.10:5060,198.51.100.7:45060)\n");

    for (round = 0; round < 2; round++)
    {
        spy = malloc_spy_live();
        recording_pm_clear_log(s.pm);
        CU_ASSERT_EQUAL(rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO | RTCPM_HOST_MEDIA_VIDEO), S_OK);
        CU_ASSERT_EQUAL(recording_pm_last_caller(s.pm), s.token);
        CU_ASSERT_EQUAL(rtcpm_host_session_pm_level(session, &level), S_OK);
        CU_ASSERT_EQUAL(level, version);
        /* the call holds its own registration: the session's port manager is fixed now */
        CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, NULL), E_FAIL);
        CU_ASSERT_EQUAL(run_op(&other, session, OP_SESSION_UPDATE_AUDIO), S_OK);
        CU_ASSERT_EQUAL(recording_pm_last_caller(s.pm), s.token);
        CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
        CU_ASSERT_EQUAL(recording_pm_last_caller(s.pm), s.token);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(s.pm), expect);
        if (round) CU_ASSERT_EQUAL(malloc_spy_live(), spy);
    }

    /* a call placed from another STA and hung up from the MTA */
    recording_pm_clear_log(s.pm);
    CU_ASSERT_EQUAL(run_op(&other, session, OP_SESSION_CALL), S_OK);
    CU_ASSERT_EQUAL(recording_pm_last_caller(s.pm), s.token);
    CU_ASSERT_EQUAL(rtcpm_host_session_hangup(session), S_OK);
    CU_ASSERT_EQUAL(recording_pm_last_caller(s.pm), s.token);
    CU_ASSERT_EQUAL(count_lines(recording_pm_log(s.pm)), 6); /* three mappings, three releases */

    /* both sides balance */
    CU_ASSERT(recording_pm_refcount(s.pm) > 1);
    CU_ASSERT_EQUAL(session->lpVtbl->SetPortManager(session, NULL), S_OK); /* the host lets go */
    CU_ASSERT_EQUAL(recording_pm_refcount(s.pm), 1);
    CU_ASSERT_EQUAL(release(session), 0);
    CU_ASSERT_EQUAL(release(client), 0);
    sta_run(&sta, release_job_run, s.pm);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
    sta_stop_ok(&other);
    sta_stop_ok(&sta);
    CU_ASSERT_EQUAL(rtcpm_marshal_revoke(reg), S_OK);
}

static void test_session_drives_sta_port_manager_v3(void) { session_drives_sta_port_manager(3); }
static void test_session_drives_sta_port_manager_v1(void) { session_drives_sta_port_manager(1); }

/* A thread where COM was never initialised, with no MTA in the process: the host cannot get
 * an STA's port manager there (CO_E_NOTINITIALIZED: RTC's rule, call it from a thread with
 * COM initialised), but the host object's last Release there still revokes its registration
 * and gives the port manager's reference back. */
static void test_last_release_without_com(void)
{
    IRTCClientPortManagement *client = NULL;
    IRTCProfilePortManagement *profile = NULL;
    struct set_job s;
    struct sta sta;
    LONG live = rtcpm_live_objects();
    HRESULT hr;

    CoUninitialize(); /* the main thread leaves the MTA: the process has none now */
    memset(&s, 0, sizeof(s));
    sta_start_ok(&sta, 1);
    CU_ASSERT_EQUAL(rtcpm_host_create_client("192.168.1.10", &client), S_OK);
    CU_ASSERT_EQUAL(rtcpm_host_create_profile(client, "sip:alice@example.com", REGISTRAR, 5060, RTCTR_UDP, &profile),
                    S_OK);
    if (profile)
    {
        /* no COM here to marshal with: the STA takes the (free-threaded) profile as it is */
        s.expect = profile;
        s.version = 3;
        sta_run(&sta, set_job_run, &s);
        CU_ASSERT_EQUAL(s.hr, S_OK);
        CU_ASSERT_PTR_NOT_NULL(s.pm);
    }
    if (s.pm)
    {
        hr = rtcpm_host_profile_enable(profile);
        CU_ASSERT_EQUAL(hr, CO_E_NOTINITIALIZED);
        CU_ASSERT_STRING_EQUAL(recording_pm_log(s.pm), "");
        CU_ASSERT(recording_pm_refcount(s.pm) > 1); /* the host's registration */
        CU_ASSERT_EQUAL(release(profile), 0);       /* revoked from here, without COM */
        profile = NULL;
        CU_ASSERT_EQUAL(recording_pm_refcount(s.pm), 1);
        CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED), S_OK); /* still none here */
        CoUninitialize();
        sta_run(&sta, release_job_run, s.pm);
    }
    release(profile);
    release(client);
    sta_stop_ok(&sta);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
    CU_ASSERT_EQUAL(CoInitializeEx(NULL, COINIT_MULTITHREADED), S_OK); /* back, for the rest */
}

/* ---------------------------------------------------------------------------------------- */
/* what a call on the static port manager costs                                              */

/* In the STA: the static port manager made there, marshalled twice: as COM does it (the FTM:
 * the object itself) and through the standard marshaler (a stub here, a proxy there), which
 * is what it would cost without the FTM. */
struct cost_job
{
    IRTCPortManager3 *pm;
    IStream *ftm_stream, *std_stream;
    HRESULT std_hr;
};

static void cost_make_job_run(void *arg)
{
    struct cost_job *j = arg;
    IMarshal *std = NULL;
    LARGE_INTEGER zero;

    if (!(j->pm = new_static_pm())) return;
    j->ftm_stream = to_stream(&IID_IRTCPortManager3, j->pm);
    j->std_hr =
        CoGetStandardMarshal(&IID_IRTCPortManager3, (IUnknown *)j->pm, MSHCTX_INPROC, NULL, MSHLFLAGS_NORMAL, &std);
    if (SUCCEEDED(j->std_hr)) j->std_hr = CreateStreamOnHGlobal(NULL, TRUE, &j->std_stream);
    if (SUCCEEDED(j->std_hr))
        j->std_hr = std->lpVtbl->MarshalInterface(std, j->std_stream, &IID_IRTCPortManager3, j->pm, MSHCTX_INPROC, NULL,
                                                  MSHLFLAGS_NORMAL);
    zero.QuadPart = 0;
    if (SUCCEEDED(j->std_hr)) j->std_hr = j->std_stream->lpVtbl->Seek(j->std_stream, zero, STREAM_SEEK_SET, NULL);
    if (std) std->lpVtbl->Release(std);
}

/* ns per GetMappingEx + ReleaseMappingEx pair; *failures counts the pairs that failed */
static double ns_per_pair(IRTCPortManager3 *pm, int n, int *failures)
{
    LARGE_INTEGER f, t0, t1;
    int i;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t0);
    for (i = 0; i < n; i++)
        if (static_round_trip(pm, NULL) != S_OK) (*failures)++;
    QueryPerformanceCounter(&t1);
    return (double)(t1.QuadPart - t0.QuadPart) * 1e9 / (double)f.QuadPart / n;
}

/* ns per ReleaseMappingEx of a mapping that does not exist (no allocation: the call itself,
 * argument checks and a table lookup); *failures counts answers other than UNAVAILABLE */
static double ns_per_miss(IRTCPortManager3 *pm, int n, int *failures)
{
    BSTR ia = SysAllocString(RTCPM_W("192.168.1.10")), ea = SysAllocString(RTCPM_W("198.51.100.7"));
    LARGE_INTEGER f, t0, t1;
    int i;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t0);
    for (i = 0; i < n; i++)
        if (pm->lpVtbl->ReleaseMappingEx(pm, RTCTR_UDP, ia, 5060, ea, 45060) != RTC_E_PORT_MAPPING_UNAVAILABLE)
            (*failures)++;
    QueryPerformanceCounter(&t1);
    SysFreeString(ia);
    SysFreeString(ea);
    return (double)(t1.QuadPart - t0.QuadPart) * 1e9 / (double)f.QuadPart / n;
}

static double min_d(double a, double b) { return a < b ? a : b; }

/* Measured and printed, not asserted (a shared machine): direct, across apartments through
 * the FTM, and through a proxy. */
static void test_static_pm_call_cost(void)
{
    rtcpm_marshal_registration *reg = NULL;
    struct cost_job j;
    IRTCPortManager3 *direct, *ftm, *proxy = NULL;
    struct sta sta;
    double d, f, p;
    int failures = 0;
    LONG live = rtcpm_live_objects();

    memset(&j, 0, sizeof(j));
    mta_register(&reg);
    sta_start_ok(&sta, 1);
    direct = new_static_pm();
    CU_ASSERT_PTR_NOT_NULL_FATAL(direct);
    sta_run(&sta, cost_make_job_run, &j);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j.pm);
    CU_ASSERT_EQUAL(j.std_hr, S_OK);
    ftm = from_stream(j.ftm_stream, &IID_IRTCPortManager3);
    CU_ASSERT_PTR_EQUAL(ftm, j.pm);
    if (j.std_stream)
    {
        CU_ASSERT_EQUAL(CoUnmarshalInterface(j.std_stream, &IID_IRTCPortManager3, (void **)&proxy), S_OK);
        j.std_stream->lpVtbl->Release(j.std_stream);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(ftm);
    CU_ASSERT_PTR_NOT_NULL_FATAL(proxy);
    CU_ASSERT_PTR_NOT_EQUAL(proxy, j.pm);
    CU_ASSERT_TRUE(is_proxy(proxy));

    /* two rounds, the faster counts (the first pays for caches and page faults) */
    d = ns_per_pair(direct, 20000, &failures);
    f = ns_per_pair(ftm, 20000, &failures);
    p = ns_per_pair(proxy, 200, &failures);
    d = min_d(d, ns_per_pair(direct, 20000, &failures));
    f = min_d(f, ns_per_pair(ftm, 20000, &failures));
    p = min_d(p, ns_per_pair(proxy, 200, &failures));
    printf("  static PM, GetMappingEx + ReleaseMappingEx: direct %.0f ns, from another apartment through the "
           "FTM %.0f ns, through a proxy %.0f ns\n",
           d, f, p);
    d = min_d(ns_per_miss(direct, 50000, &failures), ns_per_miss(direct, 50000, &failures));
    f = min_d(ns_per_miss(ftm, 50000, &failures), ns_per_miss(ftm, 50000, &failures));
    p = min_d(ns_per_miss(proxy, 500, &failures), ns_per_miss(proxy, 500, &failures));
    printf("  static PM, ReleaseMappingEx of no mapping: direct %.0f ns, through the FTM %.0f ns, through a "
           "proxy %.0f ns\n",
           d, f, p);
    CU_ASSERT_EQUAL(failures, 0);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(direct), 0);
    CU_ASSERT_EQUAL(rtcpm_static_pm_live_mappings(j.pm), 0);

    CU_ASSERT_EQUAL(release(proxy), 0);
    release(ftm);
    CU_ASSERT_EQUAL(release(direct), 0);
    CU_ASSERT_EQUAL(rtcpm_com_refcount((IUnknown *)j.pm), 1);
    sta_run(&sta, release_job_run, j.pm);
    sta_stop_ok(&sta);
    CU_ASSERT_EQUAL(rtcpm_marshal_revoke(reg), S_OK);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
}

/* ---------------------------------------------------------------------------------------- */

static CU_TestInfo tests[] = {
    { "objects_cross_as_themselves", test_objects_cross_as_themselves },
    { "methods_run_on_calling_thread", test_methods_run_on_calling_thread },
    { "trace_wrapper_stays_with_bound_inner", test_trace_wrapper_stays_with_bound_inner },
    { "profile_drives_sta_port_manager", test_profile_drives_sta_port_manager },
    { "session_drives_sta_port_manager_v3", test_session_drives_sta_port_manager_v3 },
    { "session_drives_sta_port_manager_v1", test_session_drives_sta_port_manager_v1 },
    { "last_release_without_com", test_last_release_without_com },
    { "static_pm_call_cost", test_static_pm_call_cost },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv)
{
    rtcpm_test_set_fixtures(marshal_suite_init, marshal_suite_cleanup);
    return rtcpm_test_main("marshal_objects", tests, argc, argv);
}
