/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpp_port_manager_base.h — what every C++ port manager repeats, once: IUnknown for a class
 * that implements IRTCPortManager3. QueryInterface answers IUnknown and all three
 * port-manager levels with the one interface pointer (each level derives from the one
 * before), the refcount is atomic (RTC calls from several threads) and starts at 1, the last
 * Release deletes. samples/cpp_port_manager.cpp and tests/abi_cpp.cpp derive from it and
 * write only the port-manager methods.
 */
#ifndef RTCPM_SAMPLES_CPP_PORT_MANAGER_BASE_H
#define RTCPM_SAMPLES_CPP_PORT_MANAGER_BASE_H

#include <atomic>
#include "rtcpm/rtcpm.h"

namespace rtcpm_samples
{

class PortManagerBase : public IRTCPortManager3
{
  public:
    virtual ~PortManagerBase() = default;

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **out) override
    {
        if (!out) return E_POINTER;
        if (IsEqualGUID(riid, IID_IUnknown) || IsEqualGUID(riid, IID_IRTCPortManager) ||
            IsEqualGUID(riid, IID_IRTCPortManager2) || IsEqualGUID(riid, IID_IRTCPortManager3))
        {
            *out = static_cast<IRTCPortManager3 *>(this);
            AddRef();
            return S_OK;
        }
        *out = nullptr;
        return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return ++ref_; }
    ULONG STDMETHODCALLTYPE Release() override
    {
        ULONG r = --ref_;
        if (!r) delete this;
        return r;
    }

  private:
    std::atomic<ULONG> ref_{ 1 };
};

} // namespace rtcpm_samples

#endif
