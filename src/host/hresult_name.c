/*
 * hresult_name.c — readable names for the HRESULTs port managers and the host return.
 */
#include <stdio.h>
#include "rtcpm/host.h"

const char *rtcpm_host_hresult_name(HRESULT hr, char buf[24])
{
    switch ((ULONG)hr)
    {
    case 0x00000000: return "S_OK";
    case 0x00000001: return "S_FALSE";
    case 0x80004001: return "E_NOTIMPL";
    case 0x80004002: return "E_NOINTERFACE";
    case 0x80004003: return "E_POINTER";
    case 0x80004005: return "E_FAIL";
    case 0x8000FFFF: return "E_UNEXPECTED";
    case 0x8007000E: return "E_OUTOFMEMORY";
    case 0x80070057: return "E_INVALIDARG";
    case 0x8007007A: return "ERROR_INSUFFICIENT_BUFFER";
    case 0x80EE002A: return "RTC_E_INVALID_SESSION_STATE";
    case 0x80EE0045: return "RTC_E_PORT_MAPPING_UNAVAILABLE";
    case 0x80EE0046: return "RTC_E_PORT_MAPPING_FAILED";
    }
    snprintf(buf, 24, "0x%08lX", (unsigned long)(ULONG)hr);
    return buf;
}
