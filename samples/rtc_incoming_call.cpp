/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_incoming_call.cpp — an RTC 1.5 application that takes a call, under Wine through
 * rtcdll.dll:
 *
 *   CoCreateInstance(CLSID_RTCClient) -> Initialize -> put_EventFilter -> Advise(sink)
 *   IRTCClientPortManagement::StartListenAddressAndPort(--listen IP:PORT)
 *   [CreateProfile + SetPortManager + EnableProfile(RTCRF_REGISTER_ALL) with --registrar]
 *   [put_AnswerMode(RTCST_PC_TO_PC, RTCAM_AUTOMATICALLY_ACCEPT) with --auto]
 *   put_ListenForIncomingSessions(RTCLM_BOTH)
 *   RTCSS_INCOMING (the caller as participant) -> [session SetPortManager] -> Answer
 *     (or Terminate(RTCTR_REJECT | RTCTR_BUSY | RTCTR_DND) with --reject/--busy/--dnd)
 *   RTCSS_CONNECTED -> --duration MS -> Terminate (or the caller's BYE) -> RTCSS_DISCONNECTED
 *
 * Output as rtc_sample.h says, plus "incoming from <uri> "<name>"", "session get_Profile ->
 * <hr> none|the registered profile|another profile", "Answer -> <hr>", "Terminate -> <hr>". Exit codes: 0 the call connected (or was refused as asked) and ended,
 * 1 it ended before it connected (CANCEL), 2 no call / error / timeout, 64 bad command line.
 */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include "rtc_sample.h"

struct InOptions
{
    std::string listen;    /* IP:PORT */
    long duration_ms = -1; /* -1: wait for the caller's BYE */
    long ring_ms = 0;      /* wait this long before Answer / Terminate */
    RTC_TERMINATE_REASON refuse = RTCTR_NORMAL;
    bool refusing = false, automatic = false, answer_twice = false;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rtc_incoming_call --listen IP:PORT [options]\n"
            "Waits for one call through the RTC Client API (rtcdll.dll) and answers or refuses it.\n"
            "  --listen IP:PORT   StartListenAddressAndPort (UDP) before listening\n"
            "  --duration MS      connected time before Terminate (default: until the caller hangs up)\n"
            "  --ring MS          let it ring this long before Answer / Terminate (the caller may CANCEL)\n"
            "  --reject | --busy | --dnd   Terminate(RTCTR_REJECT | RTCTR_BUSY | RTCTR_DND) instead of Answer\n"
            "  --auto             put_AnswerMode(RTCAM_AUTOMATICALLY_ACCEPT): no Answer call\n"
            "  --answer-twice     call Answer a second time (prints its HRESULT)\n"
            "  --register         register the profile (--registrar) too; calls also come on its port\n"
            "%s",
            sample_common_help());
}

static bool got_call(void) { return sample_state.incoming != NULL; }
static bool call_over(void) { return sample_state.session == RTCSS_DISCONNECTED; }
static bool connected_or_over(void) { return sample_state.session == RTCSS_CONNECTED || call_over(); }
static bool registered_or_failed(void)
{
    return sample_state.reg == RTCRS_REGISTERED || sample_state.reg == RTCRS_REJECTED ||
           sample_state.reg == RTCRS_ERROR;
}

static int option(int argc, char **argv, int &i, InOptions &c, bool &do_register)
{
    std::string a = argv[i];
    if (a == "--listen" && i + 1 < argc)
        c.listen = argv[++i];
    else if (a == "--duration" && i + 1 < argc)
        c.duration_ms = strtol(argv[++i], NULL, 10);
    else if (a == "--ring" && i + 1 < argc)
        c.ring_ms = strtol(argv[++i], NULL, 10);
    else if (a == "--reject" || a == "--busy" || a == "--dnd")
    {
        c.refusing = true;
        c.refuse = a == "--reject" ? RTCTR_REJECT : a == "--busy" ? RTCTR_BUSY : RTCTR_DND;
    }
    else if (a == "--auto")
        c.automatic = true;
    else if (a == "--answer-twice")
        c.answer_twice = true;
    else if (a == "--register")
        do_register = true;
    else
    {
        fprintf(stderr, "rtc_incoming_call: unknown option %s (--help)\n", a.c_str());
        return SAMPLE_USAGE;
    }
    return -1;
}

static int parse(int argc, char **argv, SampleOptions &o, InOptions &c, bool &do_register)
{
    for (int i = 1; i < argc; i++)
    {
        int r = sample_common_option(o, argc, argv, i);
        if (r < 0) return SAMPLE_USAGE;
        if (r > 0) continue;
        if (!strcmp(argv[i], "--help"))
        {
            usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--version"))
        {
            printf("rtc_incoming_call (rtcpm) %s\n", RTCPM_VERSION);
            return 0;
        }
        if ((r = option(argc, argv, i, c, do_register)) >= 0) return r;
    }
    if (c.listen.empty() && !do_register)
    {
        fprintf(stderr, "rtc_incoming_call: --listen IP:PORT or --register is required (--help)\n");
        return SAMPLE_USAGE;
    }
    return sample_finish_options(o, "rtc_incoming_call");
}

/* StartListenAddressAndPort, the answer mode, the profile, then listening. */
static HRESULT prepare(IRTCClient *client, const SampleOptions &o, const InOptions &c, bool do_register,
                       IRTCPortManager *pm, IRTCProfile **profile)
{
    IRTCClientPortManagement *cpm;
    IRTCClient2 *client2;
    HRESULT hr = S_OK;

    if (!c.listen.empty())
    {
        size_t colon = c.listen.rfind(':');
        BSTR addr = sample_bstr(c.listen.substr(0, colon));
        client->QueryInterface(IID_IRTCClientPortManagement, (void **)&cpm);
        hr = cpm->StartListenAddressAndPort(addr, strtol(c.listen.c_str() + colon + 1, NULL, 10));
        printf("StartListenAddressAndPort -> %s\n", sample_hresult(hr).c_str());
        cpm->Release();
        SysFreeString(addr);
        if (FAILED(hr)) return hr;
    }
    client->QueryInterface(IID_IRTCClient2, (void **)&client2);
    if (c.automatic)
    {
        hr = client2->put_AnswerMode(RTCST_PC_TO_PC, RTCAM_AUTOMATICALLY_ACCEPT);
        printf("put_AnswerMode -> %s\n", sample_hresult(hr).c_str());
    }
    client2->Release();
    hr = client->put_ListenForIncomingSessions(RTCLM_BOTH);
    printf("put_ListenForIncomingSessions -> %s\n", sample_hresult(hr).c_str());
    if (FAILED(hr) || !do_register) return hr;
    if (FAILED(hr = sample_create_profile(client, o, profile))) return hr;
    if (pm)
    {
        IRTCProfilePortManagement *ppm;
        (*profile)->QueryInterface(IID_IRTCProfilePortManagement, (void **)&ppm);
        printf("profile SetPortManager -> %s\n", sample_hresult(ppm->SetPortManager(pm)).c_str());
        ppm->Release();
    }
    IRTCClientProvisioning *prov;
    client->QueryInterface(IID_IRTCClientProvisioning, (void **)&prov);
    hr = prov->EnableProfile(*profile, RTCRF_REGISTER_ALL);
    prov->Release();
    if (SUCCEEDED(hr) &&
        (!sample_pump_until(registered_or_failed, o.timeout_ms) || sample_state.reg != RTCRS_REGISTERED))
        hr = E_FAIL;
    return hr;
}

static void print_caller(IRTCSession *s)
{
    IRTCEnumParticipants *e;
    IRTCParticipant *p;
    BSTR uri = NULL, name = NULL;
    if (FAILED(s->EnumerateParticipants(&e))) return;
    if (e->Next(1, &p, NULL) == S_OK)
    {
        p->get_UserURI(&uri);
        p->get_Name(&name);
        printf("incoming from %ls \"%ls\"\n", uri ? (wchar_t *)uri : L"", name ? (wchar_t *)name : L"");
        SysFreeString(uri);
        SysFreeString(name);
        p->Release();
    }
    e->Release();
}

/* get_Profile: the registered profile for a call on its port, none for a listen address. */
static void print_profile(IRTCSession *s, IRTCProfile *registered)
{
    IRTCProfile *p = NULL;
    HRESULT hr = s->get_Profile(&p);
    printf("session get_Profile -> %s %s\n", sample_hresult(hr).c_str(),
           !p                ? "none"
           : p == registered ? "the registered profile"
                             : "another profile");
    if (p) p->Release();
}

static int take_call(const SampleOptions &o, const InOptions &c, IRTCPortManager *pm, IRTCProfile *profile)
{
    IRTCSession *s = sample_state.incoming;
    HRESULT hr;
    bool connected = false;

    print_caller(s);
    print_profile(s, profile);
    if (pm)
    {
        IRTCSessionPortManagement *spm;
        s->QueryInterface(IID_IRTCSessionPortManagement, (void **)&spm);
        printf("session SetPortManager -> %s\n", sample_hresult(spm->SetPortManager(pm)).c_str());
        spm->Release();
    }
    if (c.ring_ms > 0 && sample_pump_until(call_over, c.ring_ms))
    {
        printf("Answer -> %s\n", sample_hresult(s->Answer()).c_str()); /* too late: the caller gave up */
        return SAMPLE_REFUSED;
    }
    if (c.refusing)
    {
        printf("Terminate -> %s\n", sample_hresult(s->Terminate(c.refuse)).c_str());
        sample_pump_until(call_over, o.timeout_ms);
        printf("Terminate -> %s\n", sample_hresult(s->Terminate(c.refuse)).c_str()); /* twice: over */
        return call_over() ? SAMPLE_OK : SAMPLE_ERROR;
    }
    if (!c.automatic)
    {
        printf("Answer -> %s\n", sample_hresult(s->Answer()).c_str());
        if (c.answer_twice) printf("Answer -> %s\n", sample_hresult(s->Answer()).c_str());
    }
    if (sample_pump_until(connected_or_over, o.timeout_ms) && sample_state.session == RTCSS_CONNECTED)
    {
        connected = true;
        if (c.answer_twice) printf("Answer -> %s\n", sample_hresult(s->Answer()).c_str());
        sample_pump_until(call_over, c.duration_ms >= 0 ? c.duration_ms : o.timeout_ms);
    }
    if (!call_over())
    {
        hr = s->Terminate(RTCTR_NORMAL);
        printf("Terminate -> %s\n", sample_hresult(hr).c_str());
        sample_pump_until(call_over, o.timeout_ms);
    }
    if (call_over()) printf("Terminate -> %s\n", sample_hresult(s->Terminate(RTCTR_NORMAL)).c_str());
    return connected ? SAMPLE_OK : call_over() ? SAMPLE_REFUSED : SAMPLE_ERROR;
}

int main(int argc, char **argv)
{
    SampleOptions o;
    InOptions c;
    bool do_register = false;
    IRTCClient *client = NULL;
    IRTCPortManager *pm = NULL;
    IRTCProfile *profile = NULL;
    int rc;

    setvbuf(stdout, NULL, _IONBF, 0);
    if ((rc = parse(argc, argv, o, c, do_register)) >= 0) return rc;
    if (FAILED(sample_start(o, &client)))
        rc = SAMPLE_ERROR;
    else if (FAILED(sample_port_manager(o, &pm)))
        rc = SAMPLE_USAGE;
    else if (FAILED(prepare(client, o, c, do_register, pm, &profile)))
        rc = SAMPLE_ERROR;
    else
    {
        printf("listening\n");
        rc = sample_pump_until(got_call, o.timeout_ms) ? take_call(o, c, pm, profile) : SAMPLE_ERROR;
    }
    if (sample_state.incoming) sample_state.incoming->Release();
    if (profile) profile->Release();
    if (pm) pm->Release();
    sample_stop(client);
    printf("exit %d\n", rc);
    return rc;
}
