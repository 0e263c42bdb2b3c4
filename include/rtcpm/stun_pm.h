/*
 * stun_pm.h — the STUN port manager: discovers the NAT's external address/port for each
 * mapping RTC asks for, by a STUN Binding request (RFC 5389/8489; RFC 3489 servers too)
 * sent from the very internal port it hands out.
 *
 * One object answers IRTCPortManager, IRTCPortManager2 and IRTCPortManager3 (and aggregates
 * the free-threaded marshaler on Windows). Server unreachable / no answer within the
 * configured time -> RTC_E_PORT_MAPPING_FAILED, never a made-up address; a NAT whose
 * mapping depends on the destination (symmetric) -> RTC_E_PORT_MAPPING_FAILED as well, with
 * the reason available from rtcpm_stun_pm_last_error().
 *
 * This header is the contract; the implementation lives in src/pm/stun_pm.c.
 */
#ifndef RTCPM_STUN_PM_H
#define RTCPM_STUN_PM_H

#include "rtcpm/rtcpm.h"

RTCPM_EXTERN_C_BEGIN

/* Creates a STUN port manager with default settings and the given servers:
 * "host[:port][,host[:port]...]" (IP literals, IPv6 as [addr]:port, default port 3478),
 * tried in that order. E_POINTER for NULL out/servers, E_INVALIDARG for an unparsable list
 * (err, when given, says which entry and why). */
HRESULT rtcpm_stun_pm_create(const char *servers, IRTCPortManager3 **out, char *err, size_t errlen);

/* Creates one from an INI file (server list with fallback order, per port type and
 * transport ranges, timeouts, cache/refresh policy); errors name file:line. */
HRESULT rtcpm_stun_pm_create_from_file(const char *path, IRTCPortManager3 **out, char *err, size_t errlen);

/* Text of the last failure of a GetMapping* call on this object (e.g. "no answer from
 * 198.19.1.2:3478 within 3000 ms", "symmetric NAT: 198.19.1.2:3478 saw port 40001,
 * 198.19.1.4:3479 saw 40002"); "" when the last call succeeded. */
HRESULT rtcpm_stun_pm_last_error(IRTCPortManager3 *pm, char *buf, size_t buflen);

/* Live mappings held (-1 when pm is not a STUN port manager). */
LONG rtcpm_stun_pm_live_mappings(IRTCPortManager3 *pm);

RTCPM_EXTERN_C_END

#endif /* RTCPM_STUN_PM_H */
