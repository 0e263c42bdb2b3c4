/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sample_pm.h — the samples' own port manager: fixed mappings, as an application behind a
 * NAT it configured by hand would answer (the static port manager, loaded from a file, does
 * the same job for real use).
 *
 * Internal address `internal`, external `external`; ports:
 *   SIP 5060 -> 62000, AUDIO_RTP 30000 -> 62002, AUDIO_RTCP 30001 -> 62003,
 *   VIDEO_RTP 30002 -> 62004, VIDEO_RTCP 30003 -> 62005.
 * `version` 1, 2 or 3: the highest interface it answers QueryInterface for, to show the
 * host falling back to what an RTC 1.3 port manager offers.
 */
#ifndef RTCPM_SAMPLES_SAMPLE_PM_H
#define RTCPM_SAMPLES_SAMPLE_PM_H

#include "rtcpm/rtcpm.h"

HRESULT sample_pm_create(int version, const char *internal, const char *external, IRTCPortManager **out);

struct nat_flow_options;

/* The port manager registration_nat and outgoing_call_nat use: the static port manager with
 * the rules of o->config (errors printed with file:line), or sample_pm when o->config is
 * NULL (--sample-pm; --pm-version and --ipv6 apply to it). */
HRESULT sample_flow_pm(const struct nat_flow_options *o, IRTCPortManager **out);

#endif
