/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_sample.cpp — see rtc_sample.h: the application's port manager, its event sink, and the
 * client's start and end, as an RTC 1.5 application writes them (plain C++ COM, no ATL).
 */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include "rtc_sample.h"

SampleState sample_state;
static DWORD sink_cookie;
static IConnectionPoint *sink_point;

std::string sample_hresult(HRESULT hr)
{
    char buf[11], text[64];
    const char *name = rtcpm_hresult_name(hr, buf);
    snprintf(text, sizeof(text), "0x%08lX%s%s%s", (unsigned long)(ULONG)hr, name == buf ? "" : " (",
             name == buf ? "" : name, name == buf ? "" : ")");
    return text;
}

BSTR sample_bstr(const std::string &s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s.c_str(), (int)s.size(), NULL, 0);
    BSTR b = SysAllocStringLen(NULL, (UINT)n);
    if (b) MultiByteToWideChar(CP_UTF8, 0, s.c_str(), (int)s.size(), b, n);
    return b;
}

static std::string utf8(BSTR b)
{
    if (!b) return "";
    int n = WideCharToMultiByte(CP_UTF8, 0, b, (int)SysStringLen(b), NULL, 0, NULL, NULL);
    std::string s((size_t)n, '\0');
    WideCharToMultiByte(CP_UTF8, 0, b, (int)SysStringLen(b), &s[0], n, NULL, NULL);
    return s;
}

/* ---- the application's port manager ---------------------------------------------------------- */

class SamplePortManager : public IRTCPortManager3
{
  public:
    SamplePortManager(const SampleOptions &o)
        : ref(1), internal(o.own_internal), external(o.own_external), sip_port(o.sip_port), rtp_port(o.rtp_port)
    {
    }
    virtual ~SamplePortManager() {}

    HRESULT WINAPI QueryInterface(REFIID riid, void **out) override
    {
        if (!out) return E_POINTER;
        if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IRTCPortManager) ||
            IsEqualIID(riid, IID_IRTCPortManager2) || IsEqualIID(riid, IID_IRTCPortManager3))
        {
            *out = static_cast<IRTCPortManager3 *>(this);
            AddRef();
            return S_OK;
        }
        *out = NULL;
        return E_NOINTERFACE;
    }
    ULONG WINAPI AddRef() override { return (ULONG)InterlockedIncrement(&ref); }
    ULONG WINAPI Release() override
    {
        LONG r = InterlockedDecrement(&ref);
        if (!r) delete this;
        return (ULONG)r;
    }

    HRESULT WINAPI GetMapping(BSTR remote, RTC_PORT_TYPE type, BSTR *ia, LONG *ip, BSTR *ea, LONG *ep) override
    {
        return answer("GetMapping(" + utf8(remote) + ", " + rtcpm_port_type_name(type) + ")", type, ia, ip, ea, ep);
    }
    HRESULT WINAPI UpdateRemoteAddress(BSTR remote, BSTR ia, LONG ip, BSTR ea, LONG ep) override
    {
        return note("UpdateRemoteAddress(" + utf8(remote) + ", internal " + pair(ia, ip) + ", external " +
                    pair(ea, ep) + ")");
    }
    HRESULT WINAPI ReleaseMapping(BSTR ia, LONG ip, BSTR ea, LONG ep) override
    {
        return note("ReleaseMapping(internal " + pair(ia, ip) + ", external " + pair(ea, ep) + ")");
    }
    HRESULT WINAPI UpdateRemoteAddressEx(BSTR remote, LONG rport, BSTR ia, LONG ip, BSTR ea, LONG ep) override
    {
        return note("UpdateRemoteAddressEx(" + utf8(remote) + ", " + std::to_string(rport) + ", internal " +
                    pair(ia, ip) + ", external " + pair(ea, ep) + ")");
    }
    HRESULT WINAPI GetMappingEx(BSTR remote, LONG rport, LONG transport, RTC_PORT_TYPE type, BSTR *ia, LONG *ip,
                                BSTR *ea, LONG *ep) override
    {
        return answer("GetMappingEx(" + utf8(remote) + ", " + std::to_string(rport) + ", " +
                          rtcpm_transport_name(transport) + ", " + rtcpm_port_type_name(type) + ")",
                      type, ia, ip, ea, ep);
    }
    HRESULT WINAPI UpdateRemoteAddressEx2(BSTR remote, LONG rport, LONG transport, BSTR ia, LONG ip, BSTR ea,
                                          LONG ep) override
    {
        return note("UpdateRemoteAddressEx2(" + utf8(remote) + ", " + std::to_string(rport) + ", " +
                    rtcpm_transport_name(transport) + ", internal " + pair(ia, ip) + ", external " + pair(ea, ep) +
                    ")");
    }
    HRESULT WINAPI ReleaseMappingEx(LONG transport, BSTR ia, LONG ip, BSTR ea, LONG ep) override
    {
        return note("ReleaseMappingEx(" + std::string(rtcpm_transport_name(transport)) + ", internal " + pair(ia, ip) +
                    ", external " + pair(ea, ep) + ")");
    }

  private:
    LONG ref;
    std::string internal, external;
    long sip_port, rtp_port;

    static std::string pair(BSTR a, LONG port) { return utf8(a) + ":" + std::to_string(port); }
    static HRESULT note(const std::string &call)
    {
        printf("pm %s -> S_OK\n", call.c_str());
        return S_OK;
    }
    /* The DNAT table: the same port outside as inside. */
    HRESULT answer(const std::string &call, RTC_PORT_TYPE type, BSTR *ia, LONG *ip, BSTR *ea, LONG *ep)
    {
        LONG port = type == RTCPT_SIP ? sip_port : rtp_port + (LONG)type; /* RTP, RTCP, video RTP, RTCP */
        if (!ia || !ip || !ea || !ep) return E_POINTER;
        if ((unsigned)type > RTCPT_SIP)
        {
            printf("pm %s -> E_INVALIDARG\n", call.c_str());
            return E_INVALIDARG;
        }
        *ia = sample_bstr(internal);
        *ea = sample_bstr(external);
        *ip = *ep = port;
        printf("pm %s -> S_OK internal %s:%ld external %s:%ld\n", call.c_str(), internal.c_str(), (long)port,
               external.c_str(), (long)port);
        return S_OK;
    }
};

static void print_trace(void *ctx, const char *line)
{
    (void)ctx;
    printf("pm %s\n", line);
}

HRESULT sample_port_manager(const SampleOptions &o, IRTCPortManager **out)
{
    IRTCPortManager3 *pm = NULL;
    char err[512] = "";
    HRESULT hr = S_OK;

    *out = NULL;
    if (!o.own_internal.empty())
    {
        *out = new SamplePortManager(o);
        return S_OK;
    }
    if (!o.static_ini.empty())
    {
        if (SUCCEEDED(hr = rtcpm_static_pm_create(&pm)))
            hr = rtcpm_static_pm_load_file(pm, o.static_ini.c_str(), err, sizeof(err));
    }
    else if (!o.stun.empty())
        hr = rtcpm_stun_pm_create(o.stun.c_str(), &pm, err, sizeof(err));
    else if (!o.pcp.empty())
        hr = rtcpm_pcp_pm_create(o.pcp == "gateway" ? NULL : o.pcp.c_str(), &pm, err, sizeof(err));
    else
        return S_OK; /* no port manager: RTC uses local addresses */
    if (FAILED(hr))
    {
        fprintf(stderr, "port manager: %s %s\n", sample_hresult(hr).c_str(), err);
        if (pm) pm->Release();
        return hr;
    }
    hr = rtcpm_trace_pm_create(static_cast<IRTCPortManager *>(pm), print_trace, NULL, out);
    pm->Release();
    return hr;
}

/* ---- the event sink ---------------------------------------------------------------------------- */

static const char *const reg_names[] = { "RTCRS_NOT_REGISTERED",      "RTCRS_REGISTERING",
                                         "RTCRS_REGISTERED",          "RTCRS_REJECTED",
                                         "RTCRS_UNREGISTERING",       "RTCRS_ERROR",
                                         "RTCRS_LOGGED_OFF",          "RTCRS_LOCAL_PA_LOGGED_OFF",
                                         "RTCRS_REMOTE_PA_LOGGED_OFF" };
static const char *const session_names[] = { "RTCSS_IDLE",       "RTCSS_INCOMING",  "RTCSS_ANSWERING",
                                             "RTCSS_INPROGRESS", "RTCSS_CONNECTED", "RTCSS_DISCONNECTED",
                                             "RTCSS_HOLD",       "RTCSS_REFER" };
static const char *const participant_names[] = { "RTCPS_IDLE",      "RTCPS_PENDING",       "RTCPS_INCOMING",
                                                 "RTCPS_ANSWERING", "RTCPS_INPROGRESS",    "RTCPS_ALERTING",
                                                 "RTCPS_CONNECTED", "RTCPS_DISCONNECTING", "RTCPS_DISCONNECTED" };
static const char *const client_names[] = { "RTCCET_VOLUME_CHANGE", "RTCCET_DEVICE_CHANGE",
                                            "RTCCET_NETWORK_QUALITY_CHANGE", "RTCCET_ASYNC_CLEANUP_DONE" };

template <size_t N> static const char *name_of(const char *const (&table)[N], LONG v)
{
    return v >= 0 && (size_t)v < N ? table[v] : "?";
}

class EventSink : public IRTCEventNotification
{
  public:
    EventSink() : ref(1) {}
    virtual ~EventSink() {}
    HRESULT WINAPI QueryInterface(REFIID riid, void **out) override
    {
        if (!out) return E_POINTER;
        if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IRTCEventNotification))
        {
            *out = static_cast<IRTCEventNotification *>(this);
            AddRef();
            return S_OK;
        }
        *out = NULL;
        return E_NOINTERFACE;
    }
    ULONG WINAPI AddRef() override { return (ULONG)InterlockedIncrement(&ref); }
    ULONG WINAPI Release() override
    {
        LONG r = InterlockedDecrement(&ref);
        if (!r) delete this;
        return (ULONG)r;
    }
    HRESULT WINAPI Event(RTC_EVENT type, IDispatch *event) override
    {
        switch (type)
        {
        case RTCE_REGISTRATION_STATE_CHANGE: registration(event); break;
        case RTCE_SESSION_STATE_CHANGE: session(event); break;
        case RTCE_PARTICIPANT_STATE_CHANGE: participant(event); break;
        case RTCE_CLIENT: client(event); break;
        case RTCE_MEDIA: media(event); break;
        default: printf("event %d\n", (int)type); break;
        }
        fflush(stdout);
        return S_OK;
    }

  private:
    LONG ref;

    static void registration(IDispatch *event)
    {
        IRTCRegistrationStateChangeEvent *e;
        RTC_REGISTRATION_STATE state = RTCRS_NOT_REGISTERED;
        LONG status = 0;
        BSTR text = NULL;
        if (FAILED(event->QueryInterface(IID_IRTCRegistrationStateChangeEvent, (void **)&e))) return;
        e->get_State(&state);
        e->get_StatusCode(&status);
        e->get_StatusText(&text);
        e->Release();
        printf("event registration %s 0x%08lX \"%s\"\n", name_of(reg_names, state), (unsigned long)status,
               utf8(text).c_str());
        SysFreeString(text);
        sample_state.reg = state;
        sample_state.reg_status = status;
        sample_state.reg_events++;
    }
    static void session(IDispatch *event)
    {
        IRTCSessionStateChangeEvent *e;
        RTC_SESSION_STATE state = RTCSS_IDLE;
        LONG status = 0;
        BSTR text = NULL;
        if (FAILED(event->QueryInterface(IID_IRTCSessionStateChangeEvent, (void **)&e))) return;
        e->get_State(&state);
        e->get_StatusCode(&status);
        e->get_StatusText(&text);
        if (state == RTCSS_INCOMING && !sample_state.incoming) e->get_Session(&sample_state.incoming);
        e->Release();
        printf("event session %s 0x%08lX \"%s\"\n", name_of(session_names, state), (unsigned long)status,
               utf8(text).c_str());
        SysFreeString(text);
        sample_state.session = state;
        sample_state.session_status = status;
    }
    static void participant(IDispatch *event)
    {
        IRTCParticipantStateChangeEvent *e;
        RTC_PARTICIPANT_STATE state = RTCPS_IDLE;
        LONG status = 0;
        if (FAILED(event->QueryInterface(IID_IRTCParticipantStateChangeEvent, (void **)&e))) return;
        e->get_State(&state);
        e->get_StatusCode(&status);
        e->Release();
        printf("event participant %s 0x%08lX\n", name_of(participant_names, state), (unsigned long)status);
        sample_state.participant = state;
    }
    /* "media AUDIO_SEND|AUDIO_RECEIVE STOPPED|STARTED|FAILED <RTCMER_ number>" (not "event":
     * the state sequences the tests compare stay as they were) */
    static void media(IDispatch *event)
    {
        static const char *const types[] = { "STOPPED", "STARTED", "FAILED" };
        IRTCMediaEvent *e;
        LONG media_type = 0;
        RTC_MEDIA_EVENT_TYPE t = RTCMET_STOPPED;
        RTC_MEDIA_EVENT_REASON r = RTCMER_NORMAL;
        if (FAILED(event->QueryInterface(IID_IRTCMediaEvent, (void **)&e))) return;
        e->get_MediaType(&media_type);
        e->get_EventType(&t);
        e->get_EventReason(&r);
        e->Release();
        printf("media %s %s %d\n", media_type == RTCMT_AUDIO_SEND ? "AUDIO_SEND" : "AUDIO_RECEIVE",
               (unsigned)t < 3 ? types[t] : "?", (int)r);
    }
    static void client(IDispatch *event)
    {
        IRTCClientEvent *e;
        RTC_CLIENT_EVENT_TYPE t = RTCCET_VOLUME_CHANGE;
        if (FAILED(event->QueryInterface(IID_IRTCClientEvent, (void **)&e))) return;
        e->get_EventType(&t);
        e->Release();
        printf("event client %s\n", name_of(client_names, t));
        if (t == RTCCET_ASYNC_CLEANUP_DONE) sample_state.cleanup_done = true;
    }
};

/* ---- the client ------------------------------------------------------------------------------ */

static HRESULT create_client(const SampleOptions &o, IRTCClient **client)
{
    typedef HRESULT(WINAPI * get_class_fn)(REFCLSID, REFIID, void **);
    IClassFactory *factory;
    HMODULE dll;
    HRESULT hr;

    if (o.dll.empty())
        return CoCreateInstance(CLSID_RTCClient, NULL, CLSCTX_INPROC_SERVER, IID_IRTCClient, (void **)client);
    /* --dll: what CoCreateInstance does for an in-process server, without the registry */
    if (!(dll = LoadLibraryA(o.dll.c_str()))) return HRESULT_FROM_WIN32(GetLastError());
    get_class_fn get_class = (get_class_fn)(void *)GetProcAddress(dll, "DllGetClassObject");
    if (!get_class) return E_FAIL;
    if (FAILED(hr = get_class(CLSID_RTCClient, IID_IClassFactory, (void **)&factory))) return hr;
    hr = factory->CreateInstance(NULL, IID_IRTCClient, (void **)client);
    factory->Release();
    return hr;
}

HRESULT sample_start(const SampleOptions &o, IRTCClient **client)
{
    IConnectionPointContainer *cpc;
    EventSink *sink;
    HRESULT hr;

    if (FAILED(hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED))) return hr;
    if (FAILED(hr = create_client(o, client)))
    {
        fprintf(stderr, "CoCreateInstance(CLSID_RTCClient): %s%s\n", sample_hresult(hr).c_str(),
                hr == REGDB_E_CLASSNOTREG ? " (run: wine regsvr32 rtcdll.dll, or pass --dll PATH)" : "");
        return hr;
    }
    if (FAILED(hr = (*client)->Initialize())) return hr;
    hr = (*client)->put_EventFilter(RTCEF_CLIENT | RTCEF_REGISTRATION_STATE_CHANGE | RTCEF_SESSION_STATE_CHANGE |
                                    RTCEF_PARTICIPANT_STATE_CHANGE | RTCEF_MEDIA);
    if (FAILED(hr)) return hr;
    if (FAILED(hr = (*client)->QueryInterface(IID_IConnectionPointContainer, (void **)&cpc))) return hr;
    hr = cpc->FindConnectionPoint(IID_IRTCEventNotification, &sink_point);
    cpc->Release();
    if (FAILED(hr)) return hr;
    sink = new EventSink();
    hr = sink_point->Advise(static_cast<IRTCEventNotification *>(sink), &sink_cookie);
    sink->Release();
    return hr;
}

void sample_stop(IRTCClient *client)
{
    if (client && SUCCEEDED(client->PrepareForShutdown()))
        sample_pump_until([]() { return sample_state.cleanup_done; }, 35000);
    if (sink_point)
    {
        sink_point->Unadvise(sink_cookie);
        sink_point->Release();
        sink_point = NULL;
    }
    if (client)
    {
        client->Shutdown();
        client->Release();
    }
    CoUninitialize();
}

bool sample_pump_until(bool (*pred)(void), long timeout_ms)
{
    DWORD end = GetTickCount() + (DWORD)timeout_ms;
    MSG msg;

    for (;;)
    {
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE))
        {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
        if (pred()) return true;
        if ((LONG)(end - GetTickCount()) <= 0) return false;
        MsgWaitForMultipleObjects(0, NULL, FALSE, 20, QS_ALLINPUT);
    }
}

/* ---- the profile ------------------------------------------------------------------------------ */

static std::string xml_escape(const std::string &s)
{
    std::string out;
    for (char c : s)
    {
        switch (c)
        {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string sample_profile_xml(const SampleOptions &o)
{
    std::string x = "<provision key=\"{rtcpm-sample}\" name=\"rtcpm sample\">";
    x += "<user uri=\"" + xml_escape(o.user) + "\"";
    if (!o.account.empty()) x += " account=\"" + xml_escape(o.account) + "\"";
    if (!o.password.empty()) x += " password=\"" + xml_escape(o.password) + "\"";
    if (!o.realm.empty()) x += " realm=\"" + xml_escape(o.realm) + "\"";
    x += "/>";
    if (!o.registrar.empty())
        x += "<sipsrv addr=\"" + xml_escape(o.registrar) + "\" protocol=\"" + o.transport +
             "\" role=\"registrar\"><session party=\"first\" type=\"pc2pc\"/></sipsrv>";
    if (!o.proxy.empty())
        x += "<sipsrv addr=\"" + xml_escape(o.proxy) + "\" protocol=\"" + o.transport +
             "\" role=\"proxy\"><session party=\"first\" type=\"pc2pc\"/></sipsrv>";
    return x + "</provision>";
}

HRESULT sample_create_profile(IRTCClient *client, const SampleOptions &o, IRTCProfile **out)
{
    IRTCClientProvisioning *prov;
    BSTR xml = sample_bstr(sample_profile_xml(o));
    HRESULT hr;

    *out = NULL;
    if (FAILED(hr = client->QueryInterface(IID_IRTCClientProvisioning, (void **)&prov)))
    {
        SysFreeString(xml);
        return hr;
    }
    hr = prov->CreateProfile(xml, out);
    if (FAILED(hr)) fprintf(stderr, "CreateProfile: %s\n", sample_hresult(hr).c_str());
    prov->Release();
    SysFreeString(xml);
    return hr;
}

/* ---- command line ------------------------------------------------------------------------------ */

const char *sample_common_help(void)
{
    return "  --dll PATH            rtcdll.dll to load instead of CoCreateInstance (no regsvr32 needed)\n"
           "  --user URI            the user (default sip:alice@example.com)\n"
           "  --account NAME, --password PW, --realm REALM   credentials (digest)\n"
           "  --registrar HOST[:PORT], --proxy HOST[:PORT]    the profile's servers\n"
           "  --transport udp|tcp   (default udp)\n"
           "  port manager, one of (default: none, local addresses):\n"
           "  --own-pm INTERNAL_IP,EXTERNAL_IP   this program's C++ port manager: internal:port <->\n"
           "                        external:same port, SIP --sip-port (5060), RTP --rtp-port (30000) +1 RTCP\n"
           "  --static FILE.ini     rtcpm's static port manager\n"
           "  --stun SERVER[:PORT][,...]         rtcpm's STUN port manager\n"
           "  --pcp SERVER[:PORT]|gateway        rtcpm's PCP port manager (NAT-PMP when the NAT speaks\n"
           "                        only that), asking SERVER or the default gateway\n"
           "  --session-pm          SetPortManager on the session, not on the profile\n"
           "  --timeout MS          how long to wait for each outcome (default 20000)\n"
           "  --help, --version\n";
}

static bool take_value(int argc, char **argv, int &i, std::string &out)
{
    if (i + 1 >= argc)
    {
        fprintf(stderr, "%s needs a value (--help)\n", argv[i]);
        return false;
    }
    out = argv[++i];
    return true;
}

static bool take_number(int argc, char **argv, int &i, long &out, long min, long max)
{
    std::string v;
    char *end;
    if (!take_value(argc, argv, i, v)) return false;
    out = strtol(v.c_str(), &end, 10);
    if (v.empty() || *end || out < min || out > max)
    {
        fprintf(stderr, "%s: %s is not a number in %ld..%ld (--help)\n", argv[i - 1], v.c_str(), min, max);
        return false;
    }
    return true;
}

int sample_common_option(SampleOptions &o, int argc, char **argv, int &i)
{
    std::string a = argv[i], v;
    bool ok = true;

    if (a == "--dll")
        ok = take_value(argc, argv, i, o.dll);
    else if (a == "--user")
        ok = take_value(argc, argv, i, o.user);
    else if (a == "--account")
        ok = take_value(argc, argv, i, o.account);
    else if (a == "--password")
        ok = take_value(argc, argv, i, o.password);
    else if (a == "--realm")
        ok = take_value(argc, argv, i, o.realm);
    else if (a == "--registrar")
        ok = take_value(argc, argv, i, o.registrar);
    else if (a == "--proxy")
        ok = take_value(argc, argv, i, o.proxy);
    else if (a == "--transport")
    {
        ok = take_value(argc, argv, i, o.transport) && (o.transport == "udp" || o.transport == "tcp");
        if (!ok) fprintf(stderr, "--transport: udp or tcp (--help)\n");
    }
    else if (a == "--own-pm")
    {
        size_t comma;
        ok = take_value(argc, argv, i, v) && (comma = v.find(',')) != std::string::npos && comma > 0 &&
             comma + 1 < v.size();
        if (ok)
        {
            o.own_internal = v.substr(0, comma);
            o.own_external = v.substr(comma + 1);
        }
        else
            fprintf(stderr, "--own-pm INTERNAL_IP,EXTERNAL_IP (--help)\n");
    }
    else if (a == "--sip-port")
        ok = take_number(argc, argv, i, o.sip_port, 1, 65535);
    else if (a == "--rtp-port")
    {
        ok = take_number(argc, argv, i, o.rtp_port, 1024, 65532) && !(o.rtp_port & 1);
        if (!ok) fprintf(stderr, "--rtp-port: an even port 1024..65532 (--help)\n");
    }
    else if (a == "--static")
        ok = take_value(argc, argv, i, o.static_ini);
    else if (a == "--stun")
        ok = take_value(argc, argv, i, o.stun);
    else if (a == "--pcp")
        ok = take_value(argc, argv, i, o.pcp);
    else if (a == "--session-pm")
        o.session_pm = true;
    else if (a == "--timeout")
        ok = take_number(argc, argv, i, o.timeout_ms, 100, 3600000);
    else
        return 0;
    return ok ? 1 : -1;
}

int sample_finish_options(const SampleOptions &o, const char *prog)
{
    int pms = !o.own_internal.empty() + !o.static_ini.empty() + !o.stun.empty() + !o.pcp.empty();
    if (pms > 1)
    {
        fprintf(stderr, "%s: --own-pm, --static, --stun and --pcp exclude each other (--help)\n", prog);
        return SAMPLE_USAGE;
    }
    return -1;
}
