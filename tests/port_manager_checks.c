/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * port_manager_checks.c — see port_manager_checks.h.
 */
#include "harness.h"
#include "port_manager_checks.h"
#include "com/com.h"

void check_port_manager_identity_and_release(IRTCPortManager3 *pm3)
{
    IRTCPortManager *pm1;
    IRTCPortManager2 *pm2;
    IRTCPortManager3 *again;
    IUnknown *unk1, *unk3;
    void *out = &out;
    LONG live = rtcpm_live_objects();

    CU_ASSERT_EQUAL(rtcpm_com_refcount((IUnknown *)pm3), 1);
    CU_ASSERT_EQUAL(pm3->lpVtbl->QueryInterface(pm3, &IID_IRTCPortManager, (void **)&pm1), S_OK);
    CU_ASSERT_EQUAL(pm1->lpVtbl->QueryInterface(pm1, &IID_IRTCPortManager2, (void **)&pm2), S_OK);
    CU_ASSERT_EQUAL(pm2->lpVtbl->QueryInterface(pm2, &IID_IRTCPortManager3, (void **)&again), S_OK);
    CU_ASSERT_PTR_EQUAL(again, pm3);
    CU_ASSERT_EQUAL(rtcpm_com_refcount((IUnknown *)pm3), 4);
    CU_ASSERT_EQUAL(pm1->lpVtbl->QueryInterface(pm1, &IID_IUnknown, (void **)&unk1), S_OK);
    CU_ASSERT_EQUAL(pm3->lpVtbl->QueryInterface(pm3, &IID_IUnknown, (void **)&unk3), S_OK);
    CU_ASSERT_PTR_EQUAL(unk1, unk3);
    CU_ASSERT_PTR_EQUAL((void *)unk1, (void *)pm1);
    CU_ASSERT_EQUAL(rtcpm_com_refcount(unk1), 6);

    /* not a session/client/profile object */
    CU_ASSERT_EQUAL(pm3->lpVtbl->QueryInterface(pm3, &IID_IRTCSessionPortManagement, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    out = &out;
    CU_ASSERT_EQUAL(pm3->lpVtbl->QueryInterface(pm3, &IID_IRTCClientPortManagement, &out), E_NOINTERFACE);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(pm3->lpVtbl->QueryInterface(pm3, &IID_IRTCPortManager, NULL), E_POINTER);
    CU_ASSERT_EQUAL(rtcpm_com_refcount(unk1), 6);
#ifdef _WIN32
    {
        /* the aggregated free-threaded marshaler answers IMarshal and keeps the identity */
        IMarshal *marshal = NULL;
        IUnknown *unk;
        CU_ASSERT_EQUAL(pm3->lpVtbl->QueryInterface(pm3, &IID_IMarshal, (void **)&marshal), S_OK);
        CU_ASSERT_PTR_NOT_NULL_FATAL(marshal);
        CU_ASSERT_EQUAL(marshal->lpVtbl->QueryInterface(marshal, &IID_IUnknown, (void **)&unk), S_OK);
        CU_ASSERT_PTR_EQUAL(unk, unk1);
        CU_ASSERT_EQUAL(rtcpm_com_refcount(unk1), 8);
        unk->lpVtbl->Release(unk);
        marshal->lpVtbl->Release(marshal);
    }
    CU_ASSERT_EQUAL(rtcpm_com_refcount(unk1), 6);
#endif

    unk1->lpVtbl->Release(unk1);
    unk3->lpVtbl->Release(unk3);
    again->lpVtbl->Release(again);
    pm2->lpVtbl->Release(pm2);
    CU_ASSERT_EQUAL(pm1->lpVtbl->Release(pm1), 1);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live);
    CU_ASSERT_EQUAL(pm3->lpVtbl->Release(pm3), 0);
    CU_ASSERT_EQUAL(rtcpm_live_objects(), live - 1);
}
