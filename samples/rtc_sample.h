/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_sample.h — what the two C++ RTC samples (rtc_registration.cpp, rtc_outgoing_call.cpp)
 * share. Written against mingw-w64's <rtccore.h> and rtcpm/rtcpm.h only, as a legacy RTC
 * application is: the client from CoCreateInstance(CLSID_RTCClient) (or, with --dll, from the
 * DLL's own DllGetClassObject, for a prefix where regsvr32 was not run), events through a
 * connection point and the message loop, the port manager handed to SetPortManager.
 *
 * The application's port manager (SamplePortManager) is a plain C++ COM class (MinGW has no
 * ATL): IRTCPortManager3 and its two bases, every call printed. Its table is what a router's
 * DNAT rules say: internal address:port <-> external address:same port, the SIP port for
 * RTCPT_SIP, an even RTP port and the next one for RTCP.
 *
 * Output (stdout, one line each, for people and for tests/e2e):
 *   pm <Method>(<arguments>) -> <HRESULT> [<internal> <external>]
 *   event registration|session|participant <STATE> 0x<status> "<text>"
 *   event client <RTCCET_*>
 */
#ifndef RTCPM_SAMPLES_RTC_SAMPLE_H
#define RTCPM_SAMPLES_RTC_SAMPLE_H

#include <string>
#include <rtccore.h>
#include <rtcerr.h>
#include "rtcpm/rtcpm.h"

/* Exit codes shared by both samples (README "RTC Client API"). */
enum
{
    SAMPLE_OK = 0,      /* registered / call connected and ended */
    SAMPLE_REFUSED = 1, /* REJECTED, or the call ended with a failure status */
    SAMPLE_ERROR = 2,   /* ERROR, a timeout, or anything else that went wrong */
    SAMPLE_PM = 3,      /* the port manager refused: RTC_E_PORT_MAPPING_* as the status */
    SAMPLE_USAGE = 64   /* bad command line */
};

struct SampleOptions
{
    std::string dll; /* --dll PATH */
    std::string user = "sip:alice@example.com";
    std::string account, password, realm;
    std::string registrar, proxy; /* host[:port] */
    std::string transport = "udp";
    /* port manager: exactly one of these, or none (local addresses) */
    std::string own_internal, own_external; /* --own-pm INTERNAL_IP,EXTERNAL_IP */
    long sip_port = 5060, rtp_port = 30000;
    std::string static_ini;  /* --static FILE */
    std::string stun;        /* --stun SERVER[:PORT][,...] */
    std::string pcp;         /* --pcp SERVER[:PORT] or "gateway" */
    bool session_pm = false; /* --session-pm: the session's SetPortManager, not the profile's */
    long timeout_ms = 20000;
};

/* Parses the options both samples take (argv[i], advancing i past a value). 1 when it was
 * one of them, 0 when not, -1 after printing a usage error. */
int sample_common_option(SampleOptions &o, int argc, char **argv, int &i);
const char *sample_common_help(void);
/* "--help"/"--version" handling and the final checks: -1 continue, else the exit code. */
int sample_finish_options(const SampleOptions &o, const char *prog);

/* COM, the client (Initialize, filter, sink advised), and the reverse. */
HRESULT sample_start(const SampleOptions &o, IRTCClient **client);
void sample_stop(IRTCClient *client);

/* The port manager the options ask for (NULL for none), wrapped so that every call is printed. */
HRESULT sample_port_manager(const SampleOptions &o, IRTCPortManager **out);

/* The provisioning XML for the options (a registrar and/or a proxy sipsrv). */
std::string sample_profile_xml(const SampleOptions &o);
HRESULT sample_create_profile(IRTCClient *client, const SampleOptions &o, IRTCProfile **out);

/* The last states the sink saw; pumps messages until pred() or timeout: true if pred() held. */
struct SampleState
{
    RTC_REGISTRATION_STATE reg = RTCRS_NOT_REGISTERED;
    LONG reg_status = 0;
    int reg_events = 0;
    RTC_SESSION_STATE session = RTCSS_IDLE;
    LONG session_status = 0;
    RTC_PARTICIPANT_STATE participant = RTCPS_IDLE;
    bool cleanup_done = false;
    IRTCSession *incoming = NULL; /* the first RTCSS_INCOMING's session (referenced) */
};
extern SampleState sample_state;
bool sample_pump_until(bool (*pred)(void), long timeout_ms);

/* "0x80EE0045 (RTC_E_PORT_MAPPING_UNAVAILABLE)" etc. */
std::string sample_hresult(HRESULT hr);
BSTR sample_bstr(const std::string &s);

#endif /* RTCPM_SAMPLES_RTC_SAMPLE_H */
