/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_outgoing_call.cpp — the RTC 1.5 documentation's outgoing call behind a NAT, as a
 * legacy application writes it, under Wine through rtcdll.dll:
 *
 *   CoCreateInstance(CLSID_RTCClient) -> Initialize -> put_EventFilter -> Advise(sink)
 *   [CreateProfile(XML) + SetPortManager + EnableProfile(0, or RTCRF_REGISTER_ALL with --register)]
 *   IRTCClient::CreateSession(RTCST_PC_TO_PC, profile)
 *   IRTCSessionPortManagement::SetPortManager(the application's port manager) (--session-pm)
 *   IRTCSession::AddParticipant(peer) -> RTCSS_INPROGRESS -> RTCSS_CONNECTED
 *   (--duration MS) Terminate -> RTCSS_DISCONNECTED
 *   PrepareForShutdown -> RTCCET_ASYNC_CLEANUP_DONE -> Shutdown
 *
 * Every port-manager call and every event is printed (rtc_sample.h). Exit codes: 0 the call
 * connected (and ended), 1 refused or ended with a failure status, 2 error or timeout, 3 the
 * port manager refused, 64 bad command line.
 */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include "rtc_sample.h"

struct CallOptions
{
    std::string peer;
    long duration_ms = 2000;
    long terminate_after_ms = -1; /* Terminate this long after AddParticipant, whatever the state */
    bool do_register = false;
    std::string dtmf;         /* --dtmf DIGITS: SendDTMF each, once connected */
    std::string mic, speaker; /* --mic / --speaker NAME: put_PreferredAudioDevice */
    bool mute = false;        /* --mute: put_AudioMuted(RTCAD_MICROPHONE, TRUE) */
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rtc_outgoing_call --peer URI [options]\n"
            "Places a call through the RTC Client API (rtcdll.dll), then hangs up.\n"
            "  --peer URI            who to call (sip:bob@host[:port]); through --proxy when given\n"
            "  --duration MS         connected time before Terminate (default 2000)\n"
            "  --terminate-after MS  Terminate this long after AddParticipant (e.g. while ringing)\n"
            "  --register            register the profile (--registrar) before calling\n"
            "  --dtmf DIGITS         SendDTMF each of 0-9 * # A-D once connected (300 ms apart)\n"
            "  --mic NAME, --speaker NAME   put_PreferredAudioDevice (a winmm name, #N, file:PATH)\n"
            "  --mute                put_AudioMuted(RTCAD_MICROPHONE, VARIANT_TRUE) before calling\n"
            "%s",
            sample_common_help());
}

static bool call_over(void) { return sample_state.session == RTCSS_DISCONNECTED; }

static bool connected_or_over(void) { return sample_state.session == RTCSS_CONNECTED || call_over(); }

static bool registered_or_failed(void)
{
    return sample_state.reg == RTCRS_REGISTERED || sample_state.reg == RTCRS_REJECTED ||
           sample_state.reg == RTCRS_ERROR;
}

static bool number_arg(int argc, char **argv, int &i, long &out)
{
    char *end = NULL;
    out = i + 1 < argc ? strtol(argv[++i], &end, 10) : -1;
    if (out < 0 || !end || *end)
    {
        fprintf(stderr, "rtc_outgoing_call: %s MS (--help)\n", argv[i - 1]);
        return false;
    }
    return true;
}

static int parse(int argc, char **argv, SampleOptions &o, CallOptions &c)
{
    for (int i = 1; i < argc; i++)
    {
        int r = sample_common_option(o, argc, argv, i);
        if (r < 0) return SAMPLE_USAGE;
        if (r > 0) continue;
        std::string a = argv[i];
        if (a == "--help")
        {
            usage(stdout);
            return 0;
        }
        if (a == "--version")
        {
            printf("rtc_outgoing_call (rtcpm) %s\n", RTCPM_VERSION);
            return 0;
        }
        if (a == "--peer" && i + 1 < argc)
            c.peer = argv[++i];
        else if (a == "--duration" || a == "--terminate-after")
        {
            if (!number_arg(argc, argv, i, a == "--duration" ? c.duration_ms : c.terminate_after_ms))
                return SAMPLE_USAGE;
        }
        else if (a == "--register")
            c.do_register = true;
        else if ((a == "--dtmf" || a == "--mic" || a == "--speaker") && i + 1 < argc)
            (a == "--dtmf" ? c.dtmf : a == "--mic" ? c.mic : c.speaker) = argv[++i];
        else if (a == "--mute")
            c.mute = true;
        else
        {
            fprintf(stderr, "rtc_outgoing_call: unknown option %s (--help)\n", a.c_str());
            return SAMPLE_USAGE;
        }
    }
    if (c.peer.empty() || (c.do_register && o.registrar.empty()))
    {
        fprintf(stderr, "rtc_outgoing_call: --peer is required, --register needs --registrar (--help)\n");
        return SAMPLE_USAGE;
    }
    return sample_finish_options(o, "rtc_outgoing_call");
}

static int outcome(bool connected)
{
    LONG s = sample_state.session_status;
    if (connected) return SAMPLE_OK;
    if (s == RTC_E_PORT_MAPPING_UNAVAILABLE || s == RTC_E_PORT_MAPPING_FAILED) return SAMPLE_PM;
    if (((ULONG)s & 0xFFFF0000u) == 0x80EF0000u) return SAMPLE_REFUSED; /* a SIP 3xx-6xx */
    return SAMPLE_ERROR;
}

/* The profile (when there are servers) with the port manager on it, enabled. */
static HRESULT enable_profile(IRTCClient *client, const SampleOptions &o, const CallOptions &c, IRTCPortManager *pm,
                              IRTCProfile **profile)
{
    IRTCClientProvisioning *prov;
    IRTCProfilePortManagement *ppm;
    HRESULT hr;

    *profile = NULL;
    if (o.registrar.empty() && o.proxy.empty()) return S_OK;
    if (FAILED(hr = sample_create_profile(client, o, profile))) return hr;
    if (pm && !o.session_pm)
    {
        (*profile)->QueryInterface(IID_IRTCProfilePortManagement, (void **)&ppm);
        hr = ppm->SetPortManager(pm);
        printf("profile SetPortManager -> %s\n", sample_hresult(hr).c_str());
        ppm->Release();
    }
    client->QueryInterface(IID_IRTCClientProvisioning, (void **)&prov);
    hr = prov->EnableProfile(*profile, c.do_register ? RTCRF_REGISTER_ALL : 0);
    printf("EnableProfile -> %s\n", sample_hresult(hr).c_str());
    prov->Release();
    if (SUCCEEDED(hr) && c.do_register &&
        (!sample_pump_until(registered_or_failed, o.timeout_ms) || sample_state.reg != RTCRS_REGISTERED))
        hr = E_FAIL;
    return hr;
}

/* The media preferences of the options, before the call. */
static void media_prefs(IRTCClient *client, const CallOptions &c)
{
    if (!c.mic.empty() || !c.speaker.empty())
    {
        BSTR mic = sample_bstr(c.mic), speaker = sample_bstr(c.speaker);
        if (!c.mic.empty())
            printf("put_PreferredAudioDevice(mic) -> %s\n",
                   sample_hresult(client->put_PreferredAudioDevice(RTCAD_MICROPHONE, mic)).c_str());
        if (!c.speaker.empty())
            printf("put_PreferredAudioDevice(speaker) -> %s\n",
                   sample_hresult(client->put_PreferredAudioDevice(RTCAD_SPEAKER, speaker)).c_str());
        SysFreeString(mic);
        SysFreeString(speaker);
    }
    if (c.mute)
        printf("put_AudioMuted -> %s\n",
               sample_hresult(client->put_AudioMuted(RTCAD_MICROPHONE, VARIANT_TRUE)).c_str());
}

static bool never(void) { return false; }

/* SendDTMF for each digit, 300 ms apart (events still delivered meanwhile). */
static void send_digits(IRTCClient *client, const std::string &digits)
{
    for (char d : digits)
    {
        const char *table = "0123456789*#ABCD";
        const char *at = strchr(table, d);
        RTC_DTMF v = at && d ? (RTC_DTMF)(at - table) : RTC_DTMF_FLASH;
        printf("SendDTMF(%c) -> %s\n", d, sample_hresult(client->SendDTMF(v)).c_str());
        sample_pump_until(never, 300);
    }
}

static int call(IRTCClient *client, const SampleOptions &o, const CallOptions &c, IRTCPortManager *pm,
                IRTCProfile *profile)
{
    IRTCSessionPortManagement *spm;
    IRTCParticipant *participant = NULL;
    IRTCSession *session;
    bool connected = false;
    HRESULT hr;
    BSTR peer;

    hr = client->CreateSession(RTCST_PC_TO_PC, NULL, profile, 0, &session);
    printf("CreateSession -> %s\n", sample_hresult(hr).c_str());
    if (FAILED(hr)) return SAMPLE_ERROR;
    if (pm && (o.session_pm || !profile))
    {
        session->QueryInterface(IID_IRTCSessionPortManagement, (void **)&spm);
        hr = spm->SetPortManager(pm);
        printf("session SetPortManager -> %s\n", sample_hresult(hr).c_str());
        spm->Release();
    }
    media_prefs(client, c);
    peer = sample_bstr(c.peer);
    hr = session->AddParticipant(peer, NULL, &participant);
    SysFreeString(peer);
    printf("AddParticipant -> %s\n", sample_hresult(hr).c_str());
    if (SUCCEEDED(hr))
    {
        if (c.terminate_after_ms >= 0)
        {
            sample_pump_until(call_over, c.terminate_after_ms);
            connected = sample_state.session == RTCSS_CONNECTED;
        }
        else if (sample_pump_until(connected_or_over, o.timeout_ms) && sample_state.session == RTCSS_CONNECTED)
        {
            connected = true;
            send_digits(client, c.dtmf);
            sample_pump_until(call_over, c.duration_ms);
        }
        if (!call_over())
        {
            hr = session->Terminate(RTCTR_NORMAL);
            printf("Terminate -> %s\n", sample_hresult(hr).c_str());
        }
        if (!sample_pump_until(call_over, o.timeout_ms)) printf("timeout: the call did not end\n");
        participant->Release();
    }
    session->Release();
    /* ended by our own Terminate, as asked, before it connected: that is a success too */
    if (c.terminate_after_ms >= 0 && !connected && call_over() && sample_state.session_status >= 0) return SAMPLE_OK;
    return outcome(connected && sample_state.session_status >= 0);
}

int main(int argc, char **argv)
{
    SampleOptions o;
    CallOptions c;
    IRTCClient *client = NULL;
    IRTCPortManager *pm = NULL;
    IRTCProfile *profile = NULL;
    int rc;

    setvbuf(stdout, NULL, _IONBF, 0);
    if ((rc = parse(argc, argv, o, c)) >= 0) return rc;
    if (FAILED(sample_start(o, &client)))
        rc = SAMPLE_ERROR;
    else if (FAILED(sample_port_manager(o, &pm)))
        rc = SAMPLE_USAGE;
    else if (FAILED(enable_profile(client, o, c, pm, &profile)))
        rc = outcome(false) == SAMPLE_PM ? SAMPLE_PM : SAMPLE_ERROR;
    else
        rc = call(client, o, c, pm, profile);
    if (profile) profile->Release();
    if (pm) pm->Release();
    sample_stop(client);
    printf("exit %d\n", rc);
    return rc;
}
