/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_test_util.h — what the rtcdll.dll suites share: the client made through the DLL's
 * class factory (rtcdll.dll next to the test, no registration needed), a message pump, and
 * an event sink (IRTCEventNotification, or a bare IDispatch for the dispinterface) that
 * writes every event it gets to a log the tests compare.
 *
 * Log lines, one per event, in arrival order:
 *   client <RTCCET_*>
 *   registration <RTCRS_*> 0x<status>
 *   session <RTCSS_*> 0x<status>
 *   participant <RTCPS_*> 0x<status>
 *   event <n> (any other RTC_EVENT)
 */
#ifndef RTCPM_TESTS_RTC_TEST_UTIL_H
#define RTCPM_TESTS_RTC_TEST_UTIL_H

#include <rtccore.h>
#include <rtcerr.h>
#include <olectl.h>
#include "rtcpm/rtcpm.h"

struct rtc_test_sink;

/* Loads rtcdll.dll (once) and creates a client through its factory. */
HRESULT rtc_test_create_client(IRTCClient **out);
/* Initialize + put_EventFilter(filter) + a sink advised; *sink may be NULL. */
HRESULT rtc_test_start_client(LONG filter, IRTCClient **client, struct rtc_test_sink **sink);
/* Shutdown, unadvise, release: the refcounts must reach zero. */
void rtc_test_stop_client(IRTCClient *client, struct rtc_test_sink *sink);
/* rtcdll.dll's DllCanUnloadNow: S_OK once none of its objects is alive. */
HRESULT rtc_test_dll_can_unload(void);
/* The DLL's module handle (GetProcAddress on its exports). */
HMODULE rtc_test_dll(void);

/* Pumps messages until the log contains `text` or timeout_ms passes: 1 when found. */
int rtc_test_pump_until(struct rtc_test_sink *sink, const char *text, int timeout_ms);
/* Pumps messages until unk's refcount is `count` (AddRef/Release probe): 1 when it got there. */
int rtc_test_wait_refcount(IUnknown *unk, ULONG count, int timeout_ms);
/* Pumps messages for ms milliseconds. */
void rtc_test_pump(int ms);

/* dispatch: a bare IDispatch sink (for IRTCDispatchEventNotification), else a typed one. */
HRESULT rtc_test_sink_create(int dispatch, struct rtc_test_sink **out);
IUnknown *rtc_test_sink_unknown(struct rtc_test_sink *sink);
HRESULT rtc_test_sink_advise(struct rtc_test_sink *sink, IRTCClient *client);
HRESULT rtc_test_sink_unadvise(struct rtc_test_sink *sink, IRTCClient *client);
const char *rtc_test_sink_log(struct rtc_test_sink *sink);
/* Empties the log and lets the last event (and so its subject) go. */
void rtc_test_sink_clear(struct rtc_test_sink *sink);
/* The last event object received (AddRef'ed), or NULL. */
IDispatch *rtc_test_sink_last(struct rtc_test_sink *sink);
/* Thread of the last delivery. */
DWORD rtc_test_sink_thread(struct rtc_test_sink *sink);
LONG rtc_test_sink_refcount(struct rtc_test_sink *sink);
void rtc_test_sink_release(struct rtc_test_sink *sink);

/* A provisioning document: registrar/proxy "addr" (NULL = none), transport "udp". */
BSTR rtc_test_profile_xml(const char *user_uri, const char *registrar, const char *proxy);
/* CreateProfile from a UTF-8 text. */
HRESULT rtc_test_create_profile(IRTCClient *client, const char *xml, IRTCProfile **out);

#endif /* RTCPM_TESTS_RTC_TEST_UTIL_H */
