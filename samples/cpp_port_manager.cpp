/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpp_port_manager.cpp — see cpp_port_manager.h. Compiled with RTCPM_SAMPLE_NO_MAIN it is
 * just the class (the tests link it); otherwise it is also the sample program, which runs both
 * NAT flows of nat_flows.c with this port manager.
 */
#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include "cpp_port_manager.h"
#include "cpp_port_manager_base.h"
#include "nat_flows.h"

namespace
{

std::atomic<long> instances{ 0 };
std::atomic<long> outstanding{ 0 };

BSTR to_bstr(const std::string &s)
{
    BSTR b = SysAllocStringLen(nullptr, (UINT)s.size());
    if (b)
        for (size_t i = 0; i < s.size(); i++) b[i] = (WCHAR)(unsigned char)s[i];
    return b;
}

std::string from_bstr(BSTR b)
{
    std::string s;
    for (UINT i = 0, n = SysStringLen(b); i < n; i++) s += b[i] < 128 ? (char)b[i] : '?';
    return s;
}

// A spin lock: std::mutex is missing from MinGW's win32 thread model.
class SpinLock
{
  public:
    void lock()
    {
        while (flag.test_and_set(std::memory_order_acquire))
        {
        }
    }
    void unlock() { flag.clear(std::memory_order_release); }

  private:
    std::atomic_flag flag = ATOMIC_FLAG_INIT;
};

struct Mapping
{
    LONG transport;
    LONG internal_port, external_port;
    std::string remote;
    LONG remote_port;
};

// IUnknown comes from PortManagerBase: only the port-manager methods are written here.
class CppPortManager : public rtcpm_samples::PortManagerBase
{
  public:
    CppPortManager(const char *internal, const char *external) : internal_(internal), external_(external)
    {
        instances++;
    }
    virtual ~CppPortManager()
    {
        outstanding -= (long)mappings_.size();
        instances--;
    }

    // IRTCPortManager3
    HRESULT STDMETHODCALLTYPE GetMappingEx(BSTR remote, LONG remote_port, LONG transport, RTC_PORT_TYPE type,
                                           BSTR *internal, LONG *internal_port, BSTR *external,
                                           LONG *external_port) override
    {
        if (!internal || !internal_port || !external || !external_port) return E_POINTER;
        *internal = *external = nullptr;
        *internal_port = *external_port = 0;
        if ((unsigned)type > RTCPT_SIP) return E_INVALIDARG;
        if (transport != RTCTR_UDP && transport != RTCTR_TCP && transport != RTCTR_TLS) return E_INVALIDARG;

        lock_.lock();
        LONG n = 0; // the lowest slot of this type not in use
        for (bool taken = true; taken && n < 10; n += taken)
        {
            taken = false;
            for (const Mapping &m : mappings_)
                if (m.internal_port == 10000 + 10 * (LONG)type + n) taken = true;
        }
        if (n == 10)
        {
            lock_.unlock();
            return RTC_E_PORT_MAPPING_UNAVAILABLE;
        }
        Mapping m{ transport, 10000 + 10 * (LONG)type + n, 60000 + 10 * (LONG)type + n, from_bstr(remote),
                   remote_port };
        mappings_.push_back(m);
        lock_.unlock();
        outstanding++;

        *internal = to_bstr(internal_);
        *external = to_bstr(external_);
        *internal_port = m.internal_port;
        *external_port = m.external_port;
        if (!*internal || !*external)
        {
            ReleaseMappingEx(transport, *internal, m.internal_port, *external, m.external_port);
            SysFreeString(*internal);
            SysFreeString(*external);
            *internal = *external = nullptr;
            *internal_port = *external_port = 0;
            return E_OUTOFMEMORY;
        }
        return S_OK;
    }

    HRESULT STDMETHODCALLTYPE UpdateRemoteAddressEx2(BSTR remote, LONG remote_port, LONG, BSTR, LONG internal_port,
                                                     BSTR, LONG external_port) override
    {
        HRESULT hr = E_INVALIDARG;
        lock_.lock();
        for (Mapping &m : mappings_)
            if (m.internal_port == internal_port && m.external_port == external_port)
            {
                m.remote = from_bstr(remote);
                m.remote_port = remote_port;
                hr = S_OK;
            }
        lock_.unlock();
        return hr;
    }

    HRESULT STDMETHODCALLTYPE ReleaseMappingEx(LONG, BSTR, LONG internal_port, BSTR, LONG external_port) override
    {
        HRESULT hr = E_INVALIDARG;
        lock_.lock();
        for (size_t i = 0; i < mappings_.size(); i++)
            if (mappings_[i].internal_port == internal_port && mappings_[i].external_port == external_port)
            {
                mappings_.erase(mappings_.begin() + (long)i);
                hr = S_OK;
                break;
            }
        lock_.unlock();
        if (hr == S_OK) outstanding--;
        return hr;
    }

    // IRTCPortManager2 / IRTCPortManager: the same, without the newer arguments.
    HRESULT STDMETHODCALLTYPE UpdateRemoteAddressEx(BSTR remote, LONG remote_port, BSTR ia, LONG ip, BSTR ea,
                                                    LONG ep) override
    {
        return UpdateRemoteAddressEx2(remote, remote_port, RTCTR_UDP, ia, ip, ea, ep);
    }
    HRESULT STDMETHODCALLTYPE GetMapping(BSTR remote, RTC_PORT_TYPE type, BSTR *ia, LONG *ip, BSTR *ea,
                                         LONG *ep) override
    {
        return GetMappingEx(remote, 0, RTCTR_UDP, type, ia, ip, ea, ep);
    }
    HRESULT STDMETHODCALLTYPE UpdateRemoteAddress(BSTR remote, BSTR ia, LONG ip, BSTR ea, LONG ep) override
    {
        return UpdateRemoteAddressEx2(remote, 0, RTCTR_UDP, ia, ip, ea, ep);
    }
    HRESULT STDMETHODCALLTYPE ReleaseMapping(BSTR ia, LONG ip, BSTR ea, LONG ep) override
    {
        return ReleaseMappingEx(RTCTR_UDP, ia, ip, ea, ep);
    }

  private:
    std::string internal_, external_;
    SpinLock lock_;
    std::vector<Mapping> mappings_;
};

} // namespace

extern "C" HRESULT cpp_port_manager_create(const char *internal, const char *external, IRTCPortManager **out)
{
    if (!out) return E_POINTER;
    *out = nullptr;
    if (!internal || !external) return E_INVALIDARG;
    CppPortManager *pm = new (std::nothrow) CppPortManager(internal, external);
    if (!pm) return E_OUTOFMEMORY;
    *out = static_cast<IRTCPortManager3 *>(pm);
    return S_OK;
}

extern "C" long cpp_port_manager_instances(void) { return instances.load(); }
extern "C" long cpp_port_manager_outstanding(void) { return outstanding.load(); }

#ifndef RTCPM_SAMPLE_NO_MAIN
int main(int argc, char **argv)
{
    nat_flow_options o;
    IRTCPortManager *pm = nullptr;

    nat_flow_defaults(&o);
    int r = nat_flow_parse_args(&o, argc, argv, "cpp_port_manager",
                                "Runs both NAT flows with a port manager written in C++.");
    if (r) return r > 0 ? 0 : 2;
    if (FAILED(cpp_port_manager_create(o.ipv6 ? "fd00::10" : o.local_address, o.ipv6 ? "2001:db8::7" : "203.0.113.7",
                                       &pm)))
        return 1;
    r = nat_flow_registration(pm, &o);
    r |= nat_flow_outgoing_call(pm, &o);
    pm->Release();
    std::printf("C++ port manager: %ld instance(s) alive, %ld mapping(s) outstanding\n", cpp_port_manager_instances(),
                cpp_port_manager_outstanding());
    return r || cpp_port_manager_outstanding() ? 1 : 0;
}
#endif
