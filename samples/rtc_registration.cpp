/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_registration.cpp — the RTC 1.5 documentation's registration flow behind a NAT, as a
 * legacy application writes it, under Wine through rtcdll.dll:
 *
 *   CoCreateInstance(CLSID_RTCClient) -> Initialize -> put_EventFilter -> Advise(sink)
 *   IRTCClientProvisioning::CreateProfile(XML)
 *   IRTCProfilePortManagement::SetPortManager(the application's port manager)
 *   EnableProfile(RTCRF_REGISTER_ALL) -> RTCRS_REGISTERING -> RTCRS_REGISTERED
 *   (--hold MS) DisableProfile -> RTCRS_UNREGISTERING -> RTCRS_NOT_REGISTERED
 *   PrepareForShutdown -> RTCCET_ASYNC_CLEANUP_DONE -> Shutdown
 *
 * Every port-manager call and every event is printed (rtc_sample.h). Exit codes: 0
 * registered (and unregistered), 1 rejected, 2 error or timeout, 3 the port manager refused,
 * 64 bad command line.
 */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include "rtc_sample.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rtc_registration --registrar HOST[:PORT] [options]\n"
            "Registers a user through the RTC Client API (rtcdll.dll) and unregisters again.\n"
            "  --hold MS             stay registered this long before DisableProfile (default 0)\n"
            "%s",
            sample_common_help());
}

static bool reg_final(void)
{
    return sample_state.reg == RTCRS_REGISTERED || sample_state.reg == RTCRS_REJECTED ||
           sample_state.reg == RTCRS_ERROR;
}

static bool reg_gone(void)
{
    return sample_state.reg == RTCRS_NOT_REGISTERED || sample_state.reg == RTCRS_ERROR ||
           sample_state.reg == RTCRS_REJECTED;
}

static bool forever(void) { return false; }

static int outcome(void)
{
    LONG s = sample_state.reg_status;
    if (sample_state.reg == RTCRS_REGISTERED) return SAMPLE_OK;
    if (sample_state.reg == RTCRS_REJECTED) return SAMPLE_REFUSED;
    if (s == RTC_E_PORT_MAPPING_UNAVAILABLE || s == RTC_E_PORT_MAPPING_FAILED) return SAMPLE_PM;
    return SAMPLE_ERROR;
}

static int parse(int argc, char **argv, SampleOptions &o, long &hold)
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
            printf("rtc_registration (rtcpm) %s\n", RTCPM_VERSION);
            return 0;
        }
        if (!strcmp(argv[i], "--hold"))
        {
            char *end = NULL;
            hold = i + 1 < argc ? strtol(argv[++i], &end, 10) : -1;
            if (hold < 0 || !end || *end)
            {
                fprintf(stderr, "rtc_registration: --hold MS (--help)\n");
                return SAMPLE_USAGE;
            }
            continue;
        }
        fprintf(stderr, "rtc_registration: unknown option %s (--help)\n", argv[i]);
        return SAMPLE_USAGE;
    }
    if (o.registrar.empty())
    {
        fprintf(stderr, "rtc_registration: --registrar is required (--help)\n");
        return SAMPLE_USAGE;
    }
    return sample_finish_options(o, "rtc_registration");
}

static int run(const SampleOptions &o, long hold, IRTCClient *client)
{
    IRTCClientProvisioning *prov = NULL;
    IRTCProfilePortManagement *ppm = NULL;
    IRTCProfile *profile = NULL;
    IRTCPortManager *pm = NULL;
    HRESULT hr;
    int rc;

    if (FAILED(hr = sample_create_profile(client, o, &profile))) return SAMPLE_ERROR;
    if (FAILED(hr = sample_port_manager(o, &pm))) return SAMPLE_USAGE;
    if (pm)
    {
        profile->QueryInterface(IID_IRTCProfilePortManagement, (void **)&ppm);
        hr = ppm->SetPortManager(pm);
        printf("SetPortManager -> %s\n", sample_hresult(hr).c_str());
        ppm->Release();
        pm->Release();
    }
    client->QueryInterface(IID_IRTCClientProvisioning, (void **)&prov);
    hr = prov->EnableProfile(profile, RTCRF_REGISTER_ALL);
    printf("EnableProfile -> %s\n", sample_hresult(hr).c_str());
    fflush(stdout);
    if (!sample_pump_until(reg_final, o.timeout_ms)) printf("timeout: no final registration state\n");
    rc = outcome();
    if (rc == SAMPLE_OK)
    {
        sample_pump_until(forever, hold);
        hr = prov->DisableProfile(profile);
        printf("DisableProfile -> %s\n", sample_hresult(hr).c_str());
        fflush(stdout);
        if (!sample_pump_until(reg_gone, o.timeout_ms)) rc = SAMPLE_ERROR;
    }
    prov->Release();
    profile->Release();
    return rc;
}

int main(int argc, char **argv)
{
    SampleOptions o;
    IRTCClient *client = NULL;
    long hold = 0;
    int rc;

    setvbuf(stdout, NULL, _IONBF, 0);
    if ((rc = parse(argc, argv, o, hold)) >= 0) return rc;
    if (FAILED(sample_start(o, &client)))
        rc = SAMPLE_ERROR;
    else
        rc = run(o, hold, client);
    sample_stop(client);
    printf("exit %d\n", rc);
    return rc;
}
