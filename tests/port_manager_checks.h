/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * port_manager_checks.h — checks every rtcpm port manager (static, STUN) must pass, shared
 * by their suites.
 */
#ifndef RTCPM_TESTS_PORT_MANAGER_CHECKS_H
#define RTCPM_TESTS_PORT_MANAGER_CHECKS_H

#include "rtcpm/rtcpm.h"

/*
 * pm3: a fresh port manager, held once. QueryInterface: IRTCPortManager, 2 and 3 are one
 * object with one IUnknown (the IRTCPortManager3 pointer itself), each QI adds one reference;
 * E_NOINTERFACE with a NULL out for the host-side interfaces, E_POINTER for a NULL out; on
 * Windows IMarshal from the aggregated free-threaded marshaler, with the same identity.
 * Then releases all of it, pm3 too: the object must be gone (one live object less).
 */
void check_port_manager_identity_and_release(IRTCPortManager3 *pm3);

#endif /* RTCPM_TESTS_PORT_MANAGER_CHECKS_H */
