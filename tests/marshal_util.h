/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * marshal_util.h — what the marshalling suites (test_marshal.c, test_marshal_objects.c) share
 * (Windows/Wine only): moving an interface between apartments through a stream, telling a
 * proxy from the object, checked STA start/stop (apartment.h), the MTA's own registration of
 * rtcpm_ps.dll, and the suite fixture (main thread in the MTA, IMallocSpy installed).
 */
#ifndef RTCPM_TESTS_MARSHAL_UTIL_H
#define RTCPM_TESTS_MARSHAL_UTIL_H

#include "rtcpm/rtcpm.h"
#include "apartment.h"

/* In the current apartment: the interface marshalled into a stream for another thread
 * (asserts S_OK; NULL on failure). */
IStream *to_stream(const IID *iid, void *itf);
/* In the receiving apartment: the interface out of to_stream's stream, which is released
 * (asserts S_OK; NULL for a NULL stream or on failure). */
void *from_stream(IStream *stream, const IID *iid);
/* 1 when itf is a standard proxy (it answers IClientSecurity). */
int is_proxy(void *itf);

/* sta_start / sta_stop, asserting that COM and rtcpm_ps.dll's registration (when asked for)
 * came up and went away in the STA. */
void sta_start_ok(struct sta *sta, int register_ps);
void sta_stop_ok(struct sta *sta);
/* STA job: Release(arg), the reference its creator held there (arg may be NULL). */
void release_job_run(void *arg);

/* rtcpm_marshal_register(NULL, reg) in the calling apartment, asserted S_OK. */
HRESULT mta_register(rtcpm_marshal_registration **reg);

/* CUnit suite fixture: the main thread enters the MTA, the IMallocSpy is installed (non-zero
 * when either fails); and the reverse. */
int marshal_suite_init(void);
int marshal_suite_cleanup(void);

#endif
