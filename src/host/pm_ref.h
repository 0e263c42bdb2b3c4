/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pm_ref.h — an application's port manager as the host objects keep it.
 *
 * The host objects aggregate the free-threaded marshaler: their methods run on whatever
 * thread calls them, in whatever apartment, and a port manager handed to SetPortManager
 * arrives as a pointer valid only in the caller's apartment (an application's STA object
 * itself, or a proxy). So the host keeps it in a com_agile_ref (src/com/ftm.h) made in that
 * apartment, and every operation asks for a pointer valid where it runs: at home (and for a
 * free-threaded port manager, and natively) the port manager itself, with no proxy/stub, no
 * DLL and no registry involved; from another apartment a proxy when rtcpm_ps.dll is
 * registered, else REGDB_E_IIDNOTREG and an error line that says how to register it.
 *
 * Shared and refcounted, so that an owner can replace its port manager while another thread
 * is still getting a pointer from the one it had: an owner swaps its host_pm_ref under its
 * lock, a user takes a reference under that lock, and creation, lookup and release all
 * happen outside it (each may call into the port manager's apartment, which may be waiting
 * for the same lock).
 *
 * Windows: get needs COM on the calling thread when the port manager was set from a thread
 * with COM (RTC's own rule: call it from a thread with COM initialised); the last release
 * works on any thread.
 */
#ifndef RTCPM_SRC_HOST_PM_REF_H
#define RTCPM_SRC_HOST_PM_REF_H

#include "rtcpm/rtcpm.h"

struct host_pm_ref;

/* Keeps pm (valid in the calling apartment, its home); *out holds the one reference. E_POINTER
 * for a NULL pm or out, E_OUTOFMEMORY (*out NULL). */
HRESULT rtcpm_host_pm_ref_create(IRTCPortManager *pm, struct host_pm_ref **out);
/* NULL is allowed in both (does nothing). The last release lets go of the port manager. */
void rtcpm_host_pm_ref_addref(struct host_pm_ref *ref);
void rtcpm_host_pm_ref_release(struct host_pm_ref *ref);
/* The port manager, AddRef'ed, valid in the calling apartment (the object itself in its own
 * apartment or when free-threaded, a proxy elsewhere): S_OK, or (*out NULL) REGDB_E_IIDNOTREG
 * when it lives in another apartment and rtcpm_ps.dll is registered in neither, CO_E_NOTINITIALIZED
 * on a thread without COM, or COM's error. */
HRESULT rtcpm_host_pm_ref_get(struct host_pm_ref *ref, IRTCPortManager **out);

#endif /* RTCPM_SRC_HOST_PM_REF_H */
