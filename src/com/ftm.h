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
 *   create:  hr = com_ftm_aggregate(&thing->ftm, (IUnknown *)&thing->IRTCPortManager3_iface);
 *            (after lpVtbl and ref are set; on failure free the object and return hr)
 *   QI:      hr = com_query_interface(thing, table, n, riid, out);
 *            if (hr == E_NOINTERFACE) hr = com_ftm_query_interface(&thing->ftm, riid, out);
 *   destroy: com_ftm_release(&thing->ftm);
 *
 * ftm.c (Windows: CoCreateFreeThreadedMarshaler) or ftm_none.c (elsewhere: no COM runtime,
 * nothing to aggregate, every call a no-op) is picked by CMake, so object code has no #ifdef.
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
HRESULT com_ftm_aggregate(struct com_ftm *ftm, IUnknown *outer);

/* For the object's QueryInterface: IID_IMarshal goes to the FTM (the returned interface
 * AddRefs the outer object). Anything else, or no FTM: E_NOINTERFACE and *out = NULL. */
HRESULT com_ftm_query_interface(const struct com_ftm *ftm, const IID *riid, void **out);

/* Releases the FTM (the object's destructor); ftm->inner is NULL afterwards. */
void com_ftm_release(struct com_ftm *ftm);

#endif /* RTCPM_SRC_COM_FTM_H */
