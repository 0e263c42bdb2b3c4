/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ftm.h — aggregating COM's free-threaded marshaler (FTM) into an rtcpm object.
 *
 * rtcpm's objects are thread-safe, so within one process they can cross apartments as the
 * raw pointer: an object that aggregates the FTM answers QI(IID_IMarshal) with the FTM's
 * IMarshal, and CoMarshalInterface / CoMarshalInterThreadInterfaceInStream then hand the
 * other apartment the object itself instead of a proxy (no proxy/stub DLL, no message
 * pumping, a call costs a direct call).
 *
 *   struct thing { IRTCPortManager3 IRTCPortManager3_iface; LONG ref; struct com_ftm ftm; ... };
 *   create:  hr = rtcpm_com_ftm_aggregate(&thing->ftm, (IUnknown *)&thing->IRTCPortManager3_iface);
 *            (after lpVtbl and ref are set; on failure free the object and return hr)
 *   QI:      hr = rtcpm_com_query_interface(thing, table, n, riid, out);
 *            if (hr == E_NOINTERFACE) hr = rtcpm_com_ftm_query_interface(&thing->ftm, riid, out);
 *   destroy: rtcpm_com_ftm_release(&thing->ftm);
 *
 * `outer` is the object's controlling IUnknown: the interface its QueryInterface returns for
 * IID_IUnknown (with rtcpm_com_query_interface, the first entry of its table).
 *
 * The FTM's price: every method then runs on whatever thread calls it, in whatever apartment.
 * An FTM object must therefore never keep an interface pointer it was given (a port manager
 * passed to SetPortManager, a callback) and call it later from another thread: a pointer is
 * only valid in the apartment it was obtained in, and for an application's STA object the
 * caller would run it on the wrong thread with no proxy at all. Keep such pointers in a
 * struct com_agile_ref (below): it registers them in COM's Global Interface Table, and each
 * rtcpm_com_agile_ref_get hands out a pointer valid in the caller's apartment (a proxy where
 * needed, the object itself where not).
 *
 * ftm.c (Windows: CoCreateFreeThreadedMarshaler, the GIT) or ftm_none.c (elsewhere: no COM
 * runtime, nothing to aggregate, the agile reference is a plain counted pointer) is picked by
 * CMake, so object code has no #ifdef.
 */
#ifndef RTCPM_SRC_COM_FTM_H
#define RTCPM_SRC_COM_FTM_H

#include "rtcpm/rtcpm.h"

struct com_ftm
{
    IUnknown *inner; /* the FTM's non-delegating IUnknown; NULL when none is aggregated */
};

/* Creates the FTM aggregated by `outer` (the object's controlling IUnknown; the FTM keeps it
 * without a reference, as aggregation requires). S_OK, or the failure with ftm->inner NULL. */
HRESULT rtcpm_com_ftm_aggregate(struct com_ftm *ftm, IUnknown *outer);

/* For the object's QueryInterface: IID_IMarshal goes to the FTM (the returned interface
 * AddRefs the outer object). Anything else, or no FTM: E_NOINTERFACE and *out = NULL. */
HRESULT rtcpm_com_ftm_query_interface(const struct com_ftm *ftm, const IID *riid, void **out);

/* Releases the FTM (the object's destructor); ftm->inner is NULL afterwards. */
void rtcpm_com_ftm_release(struct com_ftm *ftm);

/* 1 when itf may be called from any thread of the process: natively always (no
 * apartments); on Windows when it aggregates the FTM (its IMarshal's in-process unmarshal
 * class is CLSID_InProcFreeMarshaler). 0 for a proxy, an apartment-bound object, NULL. A
 * wrapper that keeps itf raw may aggregate the FTM itself only when this says 1. */
int rtcpm_com_ftm_is_free_threaded(IUnknown *itf);

/*
 * An interface pointer an FTM object can keep and use from any apartment.
 *
 *   struct thing { ...; struct com_ftm ftm; struct com_agile_ref pm; struct rtcpm_lock lock; };
 *   SetPortManager(pm): struct com_agile_ref fresh = { 0 }, old;
 *                       hr = rtcpm_com_agile_ref_set(&fresh, &IID_IRTCPortManager, (IUnknown *)pm);
 *                       if (FAILED(hr)) return hr;
 *                       lock; old = thing->pm; thing->pm = fresh; unlock;   (stored under the lock)
 *                       rtcpm_com_agile_ref_clear(&old);                         (GIT work outside it)
 *   using it:           hr = rtcpm_com_agile_ref_get(&thing->pm, (void **)&pm);
 *                       if (hr == S_OK) { ...call pm...; pm->lpVtbl->Release(pm); }
 *                       (while nothing can clear thing->pm, e.g. a state SetPortManager refuses
 *                       in; src/host/pm_ref.h shares one between threads with a refcount)
 *   destructor:         rtcpm_com_agile_ref_clear(&thing->pm);
 *
 * Zero-initialised (calloc) it is empty. Not locked itself: the object serialises set/clear
 * against get. The struct may be moved by value (no pointers into itself).
 *
 * Threads and COM (Windows):
 *  - set on a thread with COM (an STA, the MTA, or the MTA implicitly because one exists)
 *    registers itf in the Global Interface Table; get then needs COM on its thread too
 *    (CO_E_NOTINITIALIZED otherwise) and may call into itf's apartment (a proxy's first
 *    reference): never call it, nor set or clear, with a lock held that itf's apartment
 *    might wait for;
 *  - set on a thread where COM was never initialised (and no MTA exists): there is no
 *    apartment to respect, so itf is kept as the plain counted pointer, as natively;
 *  - clear works on any thread: without COM it enters the MTA just for the revoke, so a last
 *    Release on a thread without COM leaks nothing.
 */
struct com_agile_ref
{
    const IID *iid;
    DWORD cookie;  /* Global Interface Table cookie (Windows); 0 when not registered */
    IUnknown *raw; /* the pointer itself: native builds, or set where COM was not initialised */
};

/* Keeps itf (AddRef'ed, as iid) in place of what was there; itf NULL just clears. */
HRESULT rtcpm_com_agile_ref_set(struct com_agile_ref *ref, const IID *iid, IUnknown *itf);
/* The kept interface, AddRef'ed and valid in the calling apartment: S_OK; S_FALSE and
 * *out NULL when empty; E_POINTER; or COM's error (e.g. the proxy/stub is not registered). */
HRESULT rtcpm_com_agile_ref_get(const struct com_agile_ref *ref, void **out);
/* Releases the kept interface (any apartment). */
void rtcpm_com_agile_ref_clear(struct com_agile_ref *ref);

#endif /* RTCPM_SRC_COM_FTM_H */
