/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_rtc_events.c — events as RTC delivers them, no network:
 *  - IConnectionPointContainer / IConnectionPoint / IEnumConnections / IEnumConnectionPoints
 *    (hand-written: Wine has no server-side helper): find, advise, enumerate, unadvise, errors;
 *    Shutdown lets every sink go;
 *  - delivery on the thread that called Initialize, only through its message loop, in order,
 *    to IRTCEventNotification and to IDispatch (IRTCDispatchEventNotification) sinks;
 *  - put_EventFilter: default 0 = nothing; only the RTCEF_* bits asked for;
 *  - the event objects: typed getters and IDispatch through the DLL's type library.
 */
#define COBJMACROS
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "recording_pm.h"
#include "rtc_test_util.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static IConnectionPoint *find(IRTCClient *client, const IID *iid, HRESULT *hr)
{
    IConnectionPointContainer *cpc;
    IConnectionPoint *cp = (IConnectionPoint *)&cp;

    IRTCClient_QueryInterface(client, &IID_IConnectionPointContainer, (void **)&cpc);
    *hr = IConnectionPointContainer_FindConnectionPoint(cpc, iid, &cp);
    IConnectionPointContainer_Release(cpc);
    return cp;
}

/* Advise / EnumConnections / Unadvise on the IRTCEventNotification point (and one sink on the
 * dispinterface's): a sink must answer the point's interface; the sinks that stay advised are
 * let go by Shutdown. */
static void check_advise(IRTCClient *client, IConnectionPoint *cp)
{
    struct rtc_test_sink *a, *b, *disp;
    IEnumConnections *conns;
    CONNECTDATA cd[3];
    DWORD cookie = 1;
    ULONG n;

    rtc_test_sink_create(0, &a);
    rtc_test_sink_create(0, &b);
    rtc_test_sink_create(1, &disp);
    CU_ASSERT_EQUAL(IConnectionPoint_Advise(cp, rtc_test_sink_unknown(disp), &cookie), CONNECT_E_CANNOTCONNECT);
    CU_ASSERT_EQUAL(cookie, 0);
    CU_ASSERT_EQUAL(IConnectionPoint_Advise(cp, NULL, &cookie), E_POINTER);
    CU_ASSERT_EQUAL(rtc_test_sink_advise(a, client), S_OK);
    CU_ASSERT_EQUAL(rtc_test_sink_advise(b, client), S_OK);
    CU_ASSERT_EQUAL(rtc_test_sink_advise(disp, client), S_OK); /* on the dispinterface's point */
    CU_ASSERT_EQUAL(rtc_test_sink_refcount(a), 2);
    CU_ASSERT_EQUAL(IConnectionPoint_EnumConnections(cp, &conns), S_OK);
    CU_ASSERT_EQUAL(IEnumConnections_Next(conns, 3, cd, &n), S_FALSE);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_PTR_EQUAL(cd[0].pUnk, rtc_test_sink_unknown(a));
    CU_ASSERT_PTR_EQUAL(cd[1].pUnk, rtc_test_sink_unknown(b));
    CU_ASSERT_NOT_EQUAL(cd[0].dwCookie, cd[1].dwCookie);
    IUnknown_Release(cd[0].pUnk);
    IUnknown_Release(cd[1].pUnk);
    IEnumConnections_Release(conns);
    CU_ASSERT_EQUAL(IConnectionPoint_Unadvise(cp, 12345), CONNECT_E_NOCONNECTION);
    CU_ASSERT_EQUAL(rtc_test_sink_unadvise(a, client), S_OK);
    CU_ASSERT_EQUAL(rtc_test_sink_unadvise(a, client), CONNECT_E_NOCONNECTION);
    CU_ASSERT_EQUAL(rtc_test_sink_refcount(a), 1);
    CU_ASSERT_EQUAL(IRTCClient_Initialize(client), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_Shutdown(client), S_OK);
    CU_ASSERT_EQUAL(rtc_test_sink_refcount(b), 1);
    CU_ASSERT_EQUAL(rtc_test_sink_refcount(disp), 1);
    rtc_test_sink_release(a);
    rtc_test_sink_release(b);
    rtc_test_sink_release(disp);
}

static void test_connection_points(void)
{
    IConnectionPointContainer *cpc, *back;
    IEnumConnectionPoints *points;
    IConnectionPoint *cp, *cps[3];
    IRTCClient *client;
    ULONG n;
    IID iid;
    HRESULT hr;

    CU_ASSERT_EQUAL_FATAL(rtc_test_create_client(&client), S_OK);
    cp = find(client, &IID_IRTCClient, &hr);
    CU_ASSERT_EQUAL(hr, CONNECT_E_NOCONNECTION);
    CU_ASSERT_PTR_NULL(cp);
    cp = find(client, &DIID_IRTCDispatchEventNotification, &hr);
    CU_ASSERT_EQUAL(hr, S_OK);
    IConnectionPoint_Release(cp);
    cp = find(client, &IID_IRTCEventNotification, &hr);
    CU_ASSERT_EQUAL_FATAL(hr, S_OK);
    CU_ASSERT_EQUAL(IConnectionPoint_GetConnectionInterface(cp, &iid), S_OK);
    CU_ASSERT_TRUE(IsEqualIID(&iid, &IID_IRTCEventNotification));
    CU_ASSERT_EQUAL(IConnectionPoint_GetConnectionPointContainer(cp, &back), S_OK);
    IRTCClient_QueryInterface(client, &IID_IConnectionPointContainer, (void **)&cpc);
    CU_ASSERT_PTR_EQUAL(back, cpc);
    IConnectionPointContainer_Release(back);
    /* the two points */
    CU_ASSERT_EQUAL(IConnectionPointContainer_EnumConnectionPoints(cpc, &points), S_OK);
    CU_ASSERT_EQUAL(IEnumConnectionPoints_Next(points, 3, cps, &n), S_FALSE);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_PTR_EQUAL(cps[0], cp);
    IConnectionPoint_Release(cps[0]);
    IConnectionPoint_Release(cps[1]);
    IEnumConnectionPoints_Release(points);
    IConnectionPointContainer_Release(cpc);
    check_advise(client, cp);
    IConnectionPoint_Release(cp);
    CU_ASSERT_EQUAL(IRTCClient_Release(client), 0);
    CU_ASSERT_EQUAL(rtc_test_dll_can_unload(), S_OK);
}

static void check_client_event_dispatch(IDispatch *event)
{
    DISPPARAMS none = { NULL, NULL, 0, 0 };
    LPOLESTR name = (LPOLESTR)L"EventType";
    ITypeInfo *ti;
    UINT count = 0;
    DISPID id = 0;
    VARIANT v;

    CU_ASSERT_EQUAL(IDispatch_GetTypeInfoCount(event, &count), S_OK);
    CU_ASSERT_EQUAL(count, 1);
    CU_ASSERT_EQUAL(IDispatch_GetTypeInfo(event, 0, 0, &ti), S_OK);
    ITypeInfo_Release(ti);
    CU_ASSERT_EQUAL(IDispatch_GetTypeInfo(event, 1, 0, &ti), DISP_E_BADINDEX);
    CU_ASSERT_EQUAL(IDispatch_GetIDsOfNames(event, &IID_NULL, &name, 1, 0, &id), S_OK);
    CU_ASSERT_EQUAL(id, 1);
    VariantInit(&v);
    CU_ASSERT_EQUAL(IDispatch_Invoke(event, 1, &IID_NULL, 0, DISPATCH_PROPERTYGET, &none, &v, NULL, NULL), S_OK);
    CU_ASSERT_EQUAL(V_VT(&v), VT_I4);
    CU_ASSERT_EQUAL(V_I4(&v), RTCCET_ASYNC_CLEANUP_DONE);
}

static void test_client_event_both_sinks(void)
{
    struct rtc_test_sink *typed, *disp;
    IRTCClientEvent *ce;
    IRTCClient *client, *back;
    IDispatch *event;

    CU_ASSERT_EQUAL_FATAL(rtc_test_start_client(RTCEF_CLIENT, &client, &typed), S_OK);
    rtc_test_sink_create(1, &disp);
    CU_ASSERT_EQUAL(rtc_test_sink_advise(disp, client), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_PrepareForShutdown(client), S_OK);
    CU_ASSERT_TRUE(rtc_test_pump_until(typed, "client", 5000));
    rtc_test_pump(100);
    CU_ASSERT_STRING_EQUAL(rtc_test_sink_log(typed), "client RTCCET_ASYNC_CLEANUP_DONE\n");
    CU_ASSERT_STRING_EQUAL(rtc_test_sink_log(disp), "client RTCCET_ASYNC_CLEANUP_DONE\n");
    CU_ASSERT_EQUAL(rtc_test_sink_thread(typed), GetCurrentThreadId());
    CU_ASSERT_EQUAL(rtc_test_sink_thread(disp), GetCurrentThreadId());
    event = rtc_test_sink_last(typed);
    CU_ASSERT_PTR_NOT_NULL_FATAL(event);
    CU_ASSERT_EQUAL(IDispatch_QueryInterface(event, &IID_IRTCClientEvent, (void **)&ce), S_OK);
    CU_ASSERT_EQUAL(IRTCClientEvent_get_Client(ce, &back), S_OK);
    CU_ASSERT_PTR_EQUAL(back, client);
    IRTCClient_Release(back);
    IRTCClientEvent_Release(ce);
    check_client_event_dispatch(event);
    IDispatch_Release(event);
    /* after PrepareForShutdown only Shutdown is left */
    CU_ASSERT_EQUAL(IRTCClient_put_EventFilter(client, RTCEF_ALL), RTC_E_CLIENT_ALREADY_SHUT_DOWN);
    rtc_test_stop_client(client, typed);
    rtc_test_sink_release(disp);
    CU_ASSERT_EQUAL(rtc_test_dll_can_unload(), S_OK);
}

static void test_filter_zero(void)
{
    struct rtc_test_sink *sink;
    IRTCClient *client;

    CU_ASSERT_EQUAL_FATAL(rtc_test_start_client(0, &client, &sink), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_PrepareForShutdown(client), S_OK);
    rtc_test_pump(500);
    CU_ASSERT_STRING_EQUAL(rtc_test_sink_log(sink), "");
    rtc_test_stop_client(client, sink);
}

/* Registration events off, client events on: only these, and only when pumped. */
static void test_filter_and_message_loop(void)
{
    IRTCClientProvisioning *prov;
    IRTCProfilePortManagement *ppm;
    struct rtc_test_sink *sink;
    IRTCProfile *profile;
    IRTCPortManager *pm;
    IRTCClient *client;
    LONG filter;

    CU_ASSERT_EQUAL_FATAL(rtc_test_start_client(RTCEF_ALL & ~RTCEF_REGISTRATION_STATE_CHANGE, &client, &sink), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_get_EventFilter(client, &filter), S_OK);
    CU_ASSERT_EQUAL(filter, RTCEF_ALL & ~RTCEF_REGISTRATION_STATE_CHANGE);
    CU_ASSERT_EQUAL_FATAL(rtc_test_create_profile(client,
                                                  "<provision key=\"k\" name=\"n\"><user uri=\"sip:a@b.c\"/>"
                                                  "<sipsrv addr=\"127.0.0.1:9\" protocol=\"udp\" role=\"registrar\"/>"
                                                  "</provision>",
                                                  &profile),
                          S_OK);
    recording_pm_create_ftm(3, &pm);
    recording_pm_refuse(pm, RTCPT_SIP);
    IRTCProfile_QueryInterface(profile, &IID_IRTCProfilePortManagement, (void **)&ppm);
    IRTCProfilePortManagement_SetPortManager(ppm, pm);
    IRTCClient_QueryInterface(client, &IID_IRTCClientProvisioning, (void **)&prov);
    CU_ASSERT_EQUAL(IRTCClientProvisioning_EnableProfile(prov, profile, RTCRF_REGISTER_ALL), S_OK);
    CU_ASSERT_EQUAL(IRTCClient_PrepareForShutdown(client), S_OK);
    Sleep(500); /* not pumping: nothing may arrive */
    CU_ASSERT_STRING_EQUAL(rtc_test_sink_log(sink), "");
    CU_ASSERT_TRUE(rtc_test_pump_until(sink, "client", 5000));
    rtc_test_pump(200);
    /* the registration ended (REGISTERING, ERROR, NOT_REGISTERED): filtered out */
    CU_ASSERT_STRING_EQUAL(rtc_test_sink_log(sink), "client RTCCET_ASYNC_CLEANUP_DONE\n");
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "GetMappingEx(127.0.0.1:9,UDP,SIP) -> 0x80ee0045\n");
    IRTCClientProvisioning_Release(prov);
    IRTCProfilePortManagement_Release(ppm);
    rtc_test_stop_client(client, sink);
    CU_ASSERT_EQUAL(IRTCProfile_Release(profile), 0);
    CU_ASSERT_EQUAL(IRTCPortManager_Release(pm), 0);
}

/* A registration event read through IDispatch (the DLL's type library). */
static void test_registration_event_dispatch(void)
{
    IRTCClientProvisioning *prov;
    IRTCProfilePortManagement *ppm;
    IRTCRegistrationStateChangeEvent *reg;
    struct rtc_test_sink *sink;
    DISPPARAMS none = { NULL, NULL, 0, 0 };
    IRTCProfile *profile, *back;
    IRTCPortManager *pm;
    IRTCClient *client;
    IDispatch *event;
    VARIANT v;

    CU_ASSERT_EQUAL_FATAL(rtc_test_start_client(RTCEF_REGISTRATION_STATE_CHANGE, &client, &sink), S_OK);
    CU_ASSERT_EQUAL_FATAL(rtc_test_create_profile(client,
                                                  "<provision key=\"k\" name=\"n\"><user uri=\"sip:a@b.c\"/>"
                                                  "<sipsrv addr=\"127.0.0.1:9\" protocol=\"udp\" role=\"registrar\"/>"
                                                  "</provision>",
                                                  &profile),
                          S_OK);
    recording_pm_create_ftm(1, &pm); /* RTC 1.3: GetMapping */
    recording_pm_refuse(pm, RTCPT_SIP);
    IRTCProfile_QueryInterface(profile, &IID_IRTCProfilePortManagement, (void **)&ppm);
    IRTCProfilePortManagement_SetPortManager(ppm, pm);
    IRTCClient_QueryInterface(client, &IID_IRTCClientProvisioning, (void **)&prov);
    CU_ASSERT_EQUAL(IRTCClientProvisioning_EnableProfile(prov, profile, RTCRF_REGISTER_ALL), S_OK);
    CU_ASSERT_TRUE(rtc_test_pump_until(sink, "RTCRS_ERROR", 5000));
    CU_ASSERT_STRING_EQUAL(recording_pm_log(pm), "GetMapping(127.0.0.1,SIP) -> 0x80ee0045\n");
    event = rtc_test_sink_last(sink);
    CU_ASSERT_PTR_NOT_NULL_FATAL(event);
    VariantInit(&v);
    CU_ASSERT_EQUAL(IDispatch_Invoke(event, 2, &IID_NULL, 0, DISPATCH_PROPERTYGET, &none, &v, NULL, NULL), S_OK);
    CU_ASSERT_EQUAL(V_I4(&v), RTCRS_ERROR);
    CU_ASSERT_EQUAL(IDispatch_Invoke(event, 3, &IID_NULL, 0, DISPATCH_PROPERTYGET, &none, &v, NULL, NULL), S_OK);
    CU_ASSERT_EQUAL((ULONG)V_I4(&v), 0x80EE0045u);
    CU_ASSERT_EQUAL(IDispatch_Invoke(event, 4, &IID_NULL, 0, DISPATCH_PROPERTYGET, &none, &v, NULL, NULL), S_OK);
    CU_ASSERT_EQUAL(V_VT(&v), VT_BSTR);
    CU_ASSERT_TRUE(SysStringLen(V_BSTR(&v)) > 0);
    VariantClear(&v);
    CU_ASSERT_EQUAL(IDispatch_QueryInterface(event, &IID_IRTCRegistrationStateChangeEvent, (void **)&reg), S_OK);
    CU_ASSERT_EQUAL(IRTCRegistrationStateChangeEvent_get_Profile(reg, &back), S_OK);
    CU_ASSERT_PTR_EQUAL(back, profile);
    IRTCProfile_Release(back);
    IRTCRegistrationStateChangeEvent_Release(reg);
    IDispatch_Release(event);
    IRTCClientProvisioning_Release(prov);
    IRTCProfilePortManagement_Release(ppm);
    rtc_test_stop_client(client, sink);
    CU_ASSERT_EQUAL(IRTCProfile_Release(profile), 0);
    CU_ASSERT_EQUAL(IRTCPortManager_Release(pm), 0);
    CU_ASSERT_EQUAL(rtc_test_dll_can_unload(), S_OK);
}

static CU_TestInfo tests[] = {
    { "connection_points", test_connection_points },
    { "client_event_both_sinks", test_client_event_both_sinks },
    { "filter_zero", test_filter_zero },
    { "filter_and_message_loop", test_filter_and_message_loop },
    { "registration_event_dispatch", test_registration_event_dispatch },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv)
{
    int rc;
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    rc = rtcpm_test_main("rtc_events", tests, argc, argv);
    CoUninitialize();
    return rc;
}
