/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * recording_pm.h — a test port manager that answers with fixed mappings and writes every
 * call it receives, with its arguments, to a text log the test compares exactly.
 *
 * `version` picks the highest interface it answers QI for: 1 (an RTC 1.3 port manager:
 * IRTCPortManager only), 2 (also IRTCPortManager2) or 3 (also IRTCPortManager3).
 * Mappings: internal 192.168.1.10 / external 198.51.100.7, port 5000+type / 40000+type
 * (SIP: 5060 / 45060); RTC_E_PORT_MAPPING_UNAVAILABLE for a port type set with
 * recording_pm_refuse().
 */
#ifndef RTCPM_TESTS_RECORDING_PM_H
#define RTCPM_TESTS_RECORDING_PM_H

#include <stdint.h>
#include "rtcpm/rtcpm.h"

#ifdef __cplusplus
extern "C" {
#endif

HRESULT recording_pm_create(int version, IRTCPortManager **out);
/* The same, aggregating the free-threaded marshaler (src/com/ftm.h): on Windows it crosses
 * apartments as the raw pointer; natively it is recording_pm_create's object. */
HRESULT recording_pm_create_ftm(int version, IRTCPortManager **out);
/* The log so far ("GetMappingEx(198.18.0.1,5060,UDP,SIP) -> 0x0 192.168.1.10:5060 198.51.100.7:45060\n..."). */
const char *recording_pm_log(IRTCPortManager *pm);
void recording_pm_clear_log(IRTCPortManager *pm);
void recording_pm_refuse(IRTCPortManager *pm, int port_type);
/* Refcount as seen by the object itself (no AddRef/Release). */
LONG recording_pm_refcount(IRTCPortManager *pm);
/* Answer these address texts instead of 192.168.1.10 / 198.51.100.7 (any text, even one that
 * is not an address: for testing what a host does with a bad answer). Ports unchanged. */
void recording_pm_set_addresses(IRTCPortManager *pm, const char *internal, const char *external);
/* IPv6 mode: internal fd00::10, external 2001:db8::7. */
void recording_pm_set_ipv6(IRTCPortManager *pm);
/* Which thread made the last logged call: compare with recording_pm_thread_token() there. */
uintptr_t recording_pm_last_caller(IRTCPortManager *pm);
uintptr_t recording_pm_thread_token(void);

#ifdef __cplusplus
}
#endif

#endif
