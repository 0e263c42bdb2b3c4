/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * names.c — text for HRESULTs, port types and transports, for traces and messages.
 */
#include <stdio.h>
#include "rtcpm/rtcpm.h"

const char *rtcpm_hresult_name(HRESULT hr, char buf[11])
{
    switch ((ULONG)hr)
    {
    case 0x00000000u: return "S_OK";
    case 0x00000001u: return "S_FALSE";
    case 0x80004001u: return "E_NOTIMPL";
    case 0x80004002u: return "E_NOINTERFACE";
    case 0x80004003u: return "E_POINTER";
    case 0x80004004u: return "E_ABORT";
    case 0x80004005u: return "E_FAIL";
    case 0x8000FFFFu: return "E_UNEXPECTED";
    case 0x8007000Eu: return "E_OUTOFMEMORY";
    case 0x80070057u: return "E_INVALIDARG";
    case 0x80EE0045u: return "RTC_E_PORT_MAPPING_UNAVAILABLE";
    case 0x80EE0046u: return "RTC_E_PORT_MAPPING_FAILED";
    }
    snprintf(buf, 11, "0x%08lX", (unsigned long)(ULONG)hr);
    return buf;
}

const char *rtcpm_port_type_name(LONG type)
{
    switch (type)
    {
    case RTCPT_AUDIO_RTP: return "AUDIO_RTP";
    case RTCPT_AUDIO_RTCP: return "AUDIO_RTCP";
    case RTCPT_VIDEO_RTP: return "VIDEO_RTP";
    case RTCPT_VIDEO_RTCP: return "VIDEO_RTCP";
    case RTCPT_SIP: return "SIP";
    }
    return "?";
}

const char *rtcpm_transport_name(LONG transport)
{
    switch (transport)
    {
    case RTCTR_UDP: return "UDP";
    case RTCTR_TCP: return "TCP";
    case RTCTR_TLS: return "TLS";
    }
    return "?";
}
