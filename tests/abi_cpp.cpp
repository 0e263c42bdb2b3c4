/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * abi_cpp.cpp — C++ on both sides of the vtable: a C++ class that C calls through
 * IRTCPortManager3Vtbl, and C++ virtual calls into a C object.
 */
#include <atomic>
#include <cstdio>
#include <cstring>
#include "abi_cpp.h"
#include "cpp_port_manager_base.h"

namespace
{

std::atomic<int> live_pms{ 0 };

BSTR from_ascii(const char *s)
{
    size_t n = std::strlen(s);
    BSTR b = SysAllocStringLen(nullptr, (UINT)n);
    for (size_t i = 0; i < n; i++) b[i] = (WCHAR)s[i];
    return b;
}

void to_ascii(BSTR b, char *out, size_t len)
{
    UINT n = SysStringLen(b), i;
    for (i = 0; i < n && i + 1 < len; i++) out[i] = (char)b[i];
    out[i] = 0;
}

// IUnknown (QI to every level, atomic refcount) is the samples' PortManagerBase.
class CppPortManager : public rtcpm_samples::PortManagerBase
{
  public:
    CppPortManager() { live_pms++; }
    virtual ~CppPortManager() { live_pms--; }

    HRESULT STDMETHODCALLTYPE GetMapping(BSTR remote, RTC_PORT_TYPE type, BSTR *ia, LONG *ip, BSTR *ea,
                                         LONG *ep) override
    {
        return GetMappingEx(remote, 0, RTCTR_UDP, type, ia, ip, ea, ep);
    }
    HRESULT STDMETHODCALLTYPE UpdateRemoteAddress(BSTR, BSTR, LONG, BSTR, LONG) override { return S_OK; }
    HRESULT STDMETHODCALLTYPE ReleaseMapping(BSTR, LONG, BSTR, LONG) override { return S_OK; }
    HRESULT STDMETHODCALLTYPE UpdateRemoteAddressEx(BSTR, LONG, BSTR, LONG, BSTR, LONG) override { return S_OK; }

    HRESULT STDMETHODCALLTYPE GetMappingEx(BSTR remote, LONG rport, LONG transport, RTC_PORT_TYPE type, BSTR *ia,
                                           LONG *ip, BSTR *ea, LONG *ep) override
    {
        if (!ia || !ip || !ea || !ep) return E_POINTER;
        *ia = *ea = nullptr;
        *ip = *ep = 0;
        char r[64];
        to_ascii(remote, r, sizeof(r));
        if (std::strcmp(r, "203.0.113.5") != 0) return RTC_E_PORT_MAPPING_UNAVAILABLE;
        *ia = from_ascii("10.1.2.3");
        *ea = from_ascii("192.0.2.44");
        *ip = 6000 + (LONG)type + rport % 10;
        *ep = 50000 + (LONG)type * 2 + transport;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE UpdateRemoteAddressEx2(BSTR, LONG rport, LONG transport, BSTR, LONG ip, BSTR,
                                                     LONG ep) override
    {
        last_sum = rport + transport + ip + ep;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE ReleaseMappingEx(LONG transport, BSTR ia, LONG ip, BSTR, LONG ep) override
    {
        char a[64];
        to_ascii(ia, a, sizeof(a));
        if (std::strcmp(a, "10.1.2.3") != 0) return E_INVALIDARG;
        last_sum = transport + ip + ep;
        return S_OK;
    }

    long last_sum = 0;
};

} // namespace

extern "C" IRTCPortManager3 *abi_cpp_create_pm(void) { return new CppPortManager(); }
extern "C" int abi_cpp_live_pms(void) { return live_pms.load(); }

extern "C" int abi_cpp_drive_c_object(IRTCPortManager *c_pm, char *report, size_t report_len)
{
    int ok = 0;
    size_t used = 0;
    IRTCPortManager3 *pm3 = nullptr;
    report[0] = 0;

    if (c_pm->QueryInterface(IID_IRTCPortManager3, (void **)&pm3) != S_OK || !pm3) return 0;
    ok++;

    BSTR remote = from_ascii("198.18.0.1");
    BSTR ia = nullptr, ea = nullptr;
    LONG ip = 0, ep = 0;
    HRESULT hr = pm3->GetMappingEx(remote, 5060, RTCTR_TCP, RTCPT_SIP, &ia, &ip, &ea, &ep);
    char a[64], e[64];
    to_ascii(ia, a, sizeof(a));
    to_ascii(ea, e, sizeof(e));
    used += (size_t)std::snprintf(report + used, report_len - used, "GetMappingEx %#lx %s:%ld %s:%ld\n",
                                  (unsigned long)hr, a, (long)ip, e, (long)ep);
    if (hr == S_OK && !std::strcmp(a, "192.168.1.10") && ip == 5060 && !std::strcmp(e, "198.51.100.7") && ep == 45060)
        ok++;
    if (pm3->UpdateRemoteAddressEx2(remote, 5062, RTCTR_TCP, ia, ip, ea, ep) == S_OK) ok++;
    if (pm3->UpdateRemoteAddressEx(remote, 5062, ia, ip, ea, ep) == S_OK) ok++;
    if (pm3->ReleaseMappingEx(RTCTR_TCP, ia, ip, ea, ep) == S_OK) ok++;
    SysFreeString(ia);
    SysFreeString(ea);

    hr = pm3->GetMapping(remote, RTCPT_AUDIO_RTCP, &ia, &ip, &ea, &ep);
    if (hr == S_OK && ip == 5001 && ep == 40001) ok++;
    if (pm3->ReleaseMapping(ia, ip, ea, ep) == S_OK) ok++;
    SysFreeString(ia);
    SysFreeString(ea);
    SysFreeString(remote);
    pm3->Release();
    return ok;
}
