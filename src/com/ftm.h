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
 * An FTM object must therefore never call an interface pointer it was given (a port manager
 * passed to SetPortManager, a callback) from just any thread: a pointer is only valid in the
 * apartment it was obtained in, and for an application's STA object the caller would run it
 * on the wrong thread with no proxy at all. Keep such pointers in a struct com_agile_ref
 * (below): each rtcpm_com_agile_ref_get hands out a pointer valid in the caller's apartment
 * (the object itself at home, a proxy elsewhere), or says why there is none.
 *
 * ftm.c (Windows: CoCreateFreeThreadedMarshaler, apartments, the GIT) or ftm_none.c (elsewhere:
 * no COM runtime, nothing to aggregate, the agile reference is a plain counted pointer) is
 * picked by CMake, so object code has no #ifdef.
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
 *                       rtcpm_com_agile_ref_clear(&old);                         (COM work outside it)
 *   using it:           hr = rtcpm_com_agile_ref_get(&thing->pm, (void **)&pm);
 *                       if (hr == S_OK) { ...call pm...; IRTCPortManager_Release(pm); }
 *                       (while nothing can clear thing->pm, e.g. a state SetPortManager refuses
 *                       in; src/host/pm_ref.h shares one between threads with a refcount)
 *   destructor:         rtcpm_com_agile_ref_clear(&thing->pm);
 *
 * Zero-initialised (calloc) it is empty. Not locked itself: the object serialises set/clear
 * against get; get only reads. The struct may be moved by value (no pointers into itself).
 *
 * Apartments (Windows). set runs in the apartment the pointer came from (its home) and keeps
 * it the cheapest way that stays correct:
 *  - a free-threaded object (it aggregates the FTM, as rtcpm's own port managers do), or set
 *    on a thread where COM was never initialised (and no MTA exists: there is no apartment to
 *    respect): the plain counted pointer, handed to every apartment as it is;
 *  - an apartment-bound object (an application's STA port manager, or a proxy) whose
 *    interface has a proxy/stub (CoGetPSClsid: rtcpm_ps.dll registered by regsvr32 or by
 *    rtcpm_marshal_register): registered in COM's Global Interface Table, from which every
 *    apartment gets a pointer valid there (at home the object itself, elsewhere a proxy that
 *    runs the call in the home apartment);
 *  - an apartment-bound object without a proxy/stub: the plain counted pointer and its home
 *    (the STA's thread, or the MTA). Its own apartment calls it directly and needs nothing
 *    else (no DLL, no registry); from any other apartment get fails with REGDB_E_IIDNOTREG
 *    and an error line naming rtcpm_ps.dll and rtcpm_marshal_register. Nothing is marshalled
 *    later: a pointer can only be marshalled in its own apartment, and set is the one moment
 *    rtcpm is sure to be there, so register the proxy/stub before set when another apartment
 *    will call. (Asking for a proxy/stub prints nothing; Wine's err:ole:CoMarshalInterface
 *    line appears only when one is registered but cannot be loaded in this apartment, and
 *    then the pointer is kept for its home alone.)
 * get needs COM on the calling thread for an apartment-bound pointer (CO_E_NOTINITIALIZED
 * otherwise) and may call into the home apartment (a proxy's first reference): never call
 * it, nor set or clear, with a lock held that the home apartment might wait for. clear works
 * on any thread: without COM it enters the MTA just for the GIT revoke, so a last Release on
 * a thread without COM leaks nothing; a plain pointer of an STA object released from another
 * apartment is released on that thread (there is no way back into its STA without a proxy).
 */
struct com_agile_ref
{
    const IID *iid;
    IUnknown *raw;  /* the pointer itself, AddRef'ed (no GIT entry); valid in its home */
    DWORD cookie;   /* Global Interface Table cookie (Windows); 0 when not registered */
    int home;       /* where raw may be called (ftm.c's enum home); 0: any apartment */
    DWORD home_tid; /* the STA's thread, when home is an STA */
};

/* Keeps itf (AddRef'ed, as iid) in place of what was there; itf NULL just clears. S_OK, or
 * E_INVALIDARG (itf without iid, nothing changed). Never fails for want of a proxy/stub. */
HRESULT rtcpm_com_agile_ref_set(struct com_agile_ref *ref, const IID *iid, IUnknown *itf);
/* The kept interface, AddRef'ed and valid in the calling apartment: S_OK; S_FALSE and *out
 * NULL when empty; E_POINTER; REGDB_E_IIDNOTREG (with an error line) when it lives in another
 * apartment and no proxy/stub for iid can be had here or at home; CO_E_NOTINITIALIZED; or
 * COM's error (e.g. RPC_E_DISCONNECTED once the home apartment has ended). */
HRESULT rtcpm_com_agile_ref_get(const struct com_agile_ref *ref, void **out);
/* Releases the kept interface (any apartment, see above). */
void rtcpm_com_agile_ref_clear(struct com_agile_ref *ref);

#endif /* RTCPM_SRC_COM_FTM_H */
