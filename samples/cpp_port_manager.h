/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpp_port_manager.h — a port manager written in C++ (a class deriving from the widl
 * generated IRTCPortManager3), handed to the C host like any other. Built natively with g++
 * and with x86_64-w64-mingw32-g++.
 *
 * It hands out mappings from a small table: internal `internal`:(10000 + 10*type + n),
 * external `external`:(60000 + 10*type + n), n counting up per port type, so two calls at once
 * get different ports; it remembers every mapping it handed out and refuses (E_INVALIDARG) an
 * update or release of one it does not know.
 */
#ifndef RTCPM_SAMPLES_CPP_PORT_MANAGER_H
#define RTCPM_SAMPLES_CPP_PORT_MANAGER_H

#include "rtcpm/rtcpm.h"

#ifdef __cplusplus
extern "C" {
#endif

HRESULT cpp_port_manager_create(const char *internal, const char *external, IRTCPortManager **out);
/* Instances alive, and mappings handed out and not released (all instances). */
long cpp_port_manager_instances(void);
long cpp_port_manager_outstanding(void);

#ifdef __cplusplus
}
#endif

#endif
