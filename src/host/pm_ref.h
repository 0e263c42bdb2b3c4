/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_ref.h — an application's port manager as the host objects keep it.
 *
 * The host objects aggregate the free-threaded marshaler: their methods run on whatever
 * thread calls them, in whatever apartment, and a port manager handed to SetPortManager
 * arrives as a pointer valid only in the caller's apartment (an application's STA object
 * itself, or a proxy). So the host never keeps that pointer: it registers it once in a
 * com_agile_ref (src/com/ftm.h; the Global Interface Table on Windows, the plain counted
 * pointer natively) and every operation asks for a pointer valid where it runs.
 *
 * Shared and refcounted, so that an owner can replace its port manager while another thread
 * is still getting a pointer from the one it had: an owner swaps its host_pm_ref under its
 * lock, a user takes a reference under that lock, and registration, lookup and release all
 * happen outside it (each may call into the port manager's apartment, which may be waiting
 * for the same lock).
 *
 * Windows: create and get need COM on the calling thread when the port manager was set
 * from a thread with COM (RTC's own rule: call it from a thread with COM initialised); the
 * last release works on any thread.
 */
#ifndef RTCPM_SRC_HOST_PM_REF_H
#define RTCPM_SRC_HOST_PM_REF_H

#include "rtcpm/rtcpm.h"

struct host_pm_ref;

/* Registers pm (valid in the calling apartment); *out holds the one reference. E_POINTER for
 * a NULL pm or out, E_OUTOFMEMORY, or COM's error from the registration (*out NULL). */
HRESULT rtcpm_host_pm_ref_create(IRTCPortManager *pm, struct host_pm_ref **out);
/* NULL is allowed in both (does nothing). The last release revokes the registration. */
void rtcpm_host_pm_ref_addref(struct host_pm_ref *ref);
void rtcpm_host_pm_ref_release(struct host_pm_ref *ref);
/* The port manager, AddRef'ed, valid in the calling apartment (the object itself in its own
 * apartment or when free-threaded, a proxy elsewhere): S_OK, or COM's error (*out NULL), e.g.
 * CO_E_NOTINITIALIZED, or the proxy/stub not registered in this apartment. */
HRESULT rtcpm_host_pm_ref_get(struct host_pm_ref *ref, IRTCPortManager **out);

#endif /* RTCPM_SRC_HOST_PM_REF_H */
