/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * trace_pm.h — a port manager that wraps another and reports every call.
 *
 * The wrapper answers exactly the interface levels the wrapped port manager answers
 * (IRTCPortManager, and IRTCPortManager2/3 only if the inner object QIs to them), so a host
 * that falls back from v3 to v1 behaves the same with and without the wrapper. Each call is
 * forwarded unchanged; the line reported afterwards names the method, its arguments, the
 * HRESULT and the [out] values, e.g.
 *   GetMappingEx(198.18.0.1, 5060, UDP, SIP) -> S_OK internal 192.168.1.10:5060 external 198.51.100.7:5060
 * rtcpm-demo and the samples use it to show what RTC asks a port manager.
 *
 * Apartments (Windows): the wrapper keeps the inner pointer, so it is exactly as agile as the
 * inner object: it aggregates the free-threaded marshaler when the inner object does (an rtcpm
 * port manager), and then runs, and calls fn, on whatever thread calls it; around an
 * apartment-bound port manager it belongs to its creator's apartment like that object, and
 * other apartments reach it through a proxy (rtcpm_ps.dll), fn then running in that apartment.
 */
#ifndef RTCPM_TRACE_PM_H
#define RTCPM_TRACE_PM_H

#include "rtcpm/rtcpm.h"

RTCPM_EXTERN_C_BEGIN

typedef void (*rtcpm_trace_fn)(void *ctx, const char *line);

/* E_POINTER for NULL inner/out, E_INVALIDARG for a NULL fn; *out gets IRTCPortManager. */
RTCPM_API HRESULT rtcpm_trace_pm_create(IRTCPortManager *inner, rtcpm_trace_fn fn, void *ctx, IRTCPortManager **out);

RTCPM_EXTERN_C_END

#endif
