/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_private.h — what rtcdll.dll's objects know of each other (README "RTC Client API").
 *
 * Objects (one per file, Wine's COM-in-C style, vtables typed by mingw-w64's <rtccore.h>):
 *   client.c (+ client_media.c, client_provisioning.c, client_pm.c, connection_point.c)
 *   profile.c, session.c, participant.c, enum.c (enumerators, IRTCCollection), events.c
 * Machinery:
 *   event_window.c  events to the thread that called Initialize (message-only window)
 *   worker.c        the client's worker thread (COM initialised, MTA): every port-manager
 *                   call and every SIP engine call is made there, outside any object lock
 *   registration.c  a profile's registration (port manager -> SIP engine -> events)
 *   call.c          a session's call (port manager -> SIP engine -> media -> events)
 *   (media)         src/media/media_stream.h: RTP/RTCP G.711 from the call's internal ports
 *   typeinfo.c      the DLL's own type library (IDispatch of the event objects)
 *
 * Threads: the application calls every object on the thread it created the client on (RTC is
 * apartment-threaded; the class is registered ThreadingModel=Apartment). The worker and the
 * SIP engine's thread change object state under the object's lock and post events; events
 * reach the application only through its message loop, on the Initialize thread.
 * Lock order: client before profile/session; no lock is held while calling a port manager,
 * an application's sink, or the SIP engine.
 */
#ifndef RTCPM_SRC_RTC_PRIVATE_H
#define RTCPM_SRC_RTC_PRIVATE_H

#include "rtcpm/rtcpm.h"
#include <ocidl.h>
#include <olectl.h>
#include <rtccore.h>
#include <rtcerr.h>
#include "com/com.h"
#include "com/log.h"
#include "host/pm_ref.h"
#include "host/driver.h"
#include "net/addr.h"

struct rtc_client;
struct rtc_profile;
struct rtc_session;
struct rtc_participant;
struct rtc_events;
struct rtc_worker;
struct rtcpm_sip_listener;
struct rtcpm_sip_flow;
struct rtcpm_provision;

/* ---- dll.c ------------------------------------------------------------------------------ */

extern HINSTANCE rtcpm_rtc_instance;
/* The DLL's full path (for the registry and LoadTypeLibEx). */
HRESULT rtcpm_rtc_module_path(WCHAR *buf, DWORD len);

/* ---- typeinfo.c: IDispatch through the DLL's type library -------------------------------- */

HRESULT rtcpm_rtc_typeinfo(REFIID iid, ITypeInfo **out);
/* Drops the cached type library (DllCanUnloadNow, when nothing is alive). */
void rtcpm_rtc_typeinfo_clear(void);
/* IDispatch's four methods for a dual interface `iid` implemented by `iface`. */
HRESULT rtcpm_rtc_dispatch_get_type_info(REFIID iid, UINT index, ITypeInfo **out);
HRESULT rtcpm_rtc_dispatch_get_ids(REFIID iid, LPOLESTR *names, UINT count, DISPID *ids);
HRESULT rtcpm_rtc_dispatch_invoke(REFIID iid, void *iface, DISPID id, WORD flags, DISPPARAMS *params, VARIANT *result,
                                  EXCEPINFO *excep, UINT *arg_err);

/* ---- events.c: the event objects (IDispatch + typed) -------------------------------------- */

HRESULT rtcpm_rtc_client_event_create(IRTCClient *client, RTC_CLIENT_EVENT_TYPE type, IDispatch **out);
HRESULT rtcpm_rtc_registration_event_create(IRTCProfile *profile, RTC_REGISTRATION_STATE state, LONG status,
                                            const char *text, IDispatch **out);
HRESULT rtcpm_rtc_session_event_create(IRTCSession *session, RTC_SESSION_STATE state, LONG status, const char *text,
                                       IDispatch **out);
HRESULT rtcpm_rtc_participant_event_create(IRTCParticipant *participant, RTC_PARTICIPANT_STATE state, LONG status,
                                           IDispatch **out);
/* RTCE_MEDIA: the client as subject; media_type RTCMT_AUDIO_SEND / RTCMT_AUDIO_RECEIVE. */
HRESULT rtcpm_rtc_media_event_create(IRTCClient *client, LONG media_type, RTC_MEDIA_EVENT_TYPE type,
                                     RTC_MEDIA_EVENT_REASON reason, IDispatch **out);

/* ---- event_window.c: delivery on the Initialize thread ------------------------------------ */

/* Creates the message-only window on the calling thread. */
HRESULT rtcpm_rtc_events_create(struct rtc_client *client, struct rtc_events **out);
/* Any thread: queues (type, event) — the queue takes the reference — and wakes the window. */
void rtcpm_rtc_events_post(struct rtc_events *events, RTC_EVENT type, IDispatch *event);
/* The Initialize thread: destroys the window; queued events are dropped. NULL is fine. */
void rtcpm_rtc_events_destroy(struct rtc_events *events);

/* ---- worker.c: the client's worker thread ------------------------------------------------- */

struct rtc_job
{
    void (*run)(struct rtc_job *job); /* on the worker; frees the job */
    struct rtc_job *next;
};

HRESULT rtcpm_rtc_worker_start(struct rtc_worker **out);
/* Any thread. The job runs after every job posted before it. S_OK, or
 * RTC_E_CLIENT_ALREADY_SHUT_DOWN once the worker is stopping (the job is NOT run: the caller
 * frees it). */
HRESULT rtcpm_rtc_worker_post(struct rtc_worker *worker, struct rtc_job *job);
/* Runs every job already posted, then ends the thread. Waits pumping messages (a port
 * manager in the caller's STA may be called meanwhile). NULL is fine. */
void rtcpm_rtc_worker_stop(struct rtc_worker *worker);
/* 1 on the worker thread itself. */
int rtcpm_rtc_worker_is_current(struct rtc_worker *worker);

/* ---- client ------------------------------------------------------------------------------- */

enum rtc_client_state
{
    RTC_CLIENT_CREATED,
    RTC_CLIENT_INITIALIZED,
    RTC_CLIENT_PREPARING, /* PrepareForShutdown: ending sessions and registrations */
    RTC_CLIENT_SHUT_DOWN
};

struct rtc_prefs
{
    LONG media_types;  /* RTCMT_* */
    LONG volume[2];    /* by RTC_AUDIO_DEVICE */
    int volume_set[2]; /* put_Volume was called: the media applies it (else unity gain) */
    VARIANT_BOOL muted[2];
    BSTR audio_device[2];
    LONG preferred_volume[2];
    VARIANT_BOOL aec;
    BSTR video_device;
    LONG max_bitrate;
    LONG tradeoff;
    RTC_LISTEN_MODE listen;
    RTC_ANSWER_MODE answer[RTCST_APPLICATION + 1];
    RTC_SECURITY_LEVEL security[2];
    RTC_LISTEN_MODE allowed_ports[3]; /* UDP, TCP, TLS */
    BSTR client_name, client_curver;
};

struct rtc_cp
{
    IConnectionPoint IConnectionPoint_iface;
    struct rtc_client *client; /* the container: AddRef/Release go to it */
    const IID *iid;
    struct rtc_sink *sinks; /* cookie order */
    DWORD next_cookie;
};

struct rtc_sink
{
    DWORD cookie;
    IUnknown *sink; /* QI'd to the connection point's IID */
    struct rtc_sink *next;
};

struct rtc_list
{
    IUnknown **items; /* referenced */
    size_t count, cap;
};

struct rtc_client
{
    IRTCClient2 IRTCClient2_iface;
    IRTCClientProvisioning2 IRTCClientProvisioning2_iface;
    IRTCClientPortManagement IRTCClientPortManagement_iface;
    IConnectionPointContainer IConnectionPointContainer_iface;
    LONG ref;
    CRITICAL_SECTION cs;
    enum rtc_client_state state;
    DWORD init_thread;
    LONG event_filter;
    struct rtc_events *events;
    struct rtc_worker *worker;
    struct rtcpm_sip_agent *agent;
    struct rtc_cp cp_notify;        /* IRTCEventNotification */
    struct rtc_cp cp_dispatch;      /* IRTCDispatchEventNotification */
    IRTCClientPortManagement *host; /* rtcpm's host client: listen addresses, port ranges */
    struct rtc_prefs prefs;
    BSTR local_uri, local_name;
    struct rtc_list enabled;                 /* IRTCProfile2 of every enabled profile */
    struct rtc_list active;                  /* IRTCSession of every session in a call */
    LONG busy;                               /* registrations and calls still ending (PrepareForShutdown) */
    struct rtcpm_sip_listener *listeners[8]; /* worker-owned: StartListenAddressAndPort's */
    int n_listeners;
};

static inline struct rtc_client *rtc_client_from_IRTCClient2(IRTCClient2 *iface)
{
    return CONTAINING_RECORD(iface, struct rtc_client, IRTCClient2_iface);
}

HRESULT rtcpm_rtc_client_create(REFIID riid, void **out);
extern const IRTCClient2Vtbl rtcpm_rtc_client_vtbl;
/* Wine's vtable-checking cast, for an IRTCClient the application passes in: the client behind
 * it when it is ours, NULL when it is NULL or another implementation; no reference taken. */
static inline struct rtc_client *unsafe_impl_from_IRTCClient(IRTCClient *iface)
{
    return iface && iface->lpVtbl == (const IRTCClientVtbl *)&rtcpm_rtc_client_vtbl
               ? rtc_client_from_IRTCClient2((IRTCClient2 *)iface)
               : NULL;
}
IRTCClient *rtcpm_rtc_client_iface(struct rtc_client *client);
/* RTC_E_CLIENT_NOT_INITIALIZED / RTC_E_CLIENT_ALREADY_SHUT_DOWN / S_OK (caller holds cs or not). */
HRESULT rtcpm_rtc_client_check_running(struct rtc_client *client);
/* Any thread: hands an event (created by events.c) to the application. Consumes the reference. */
void rtcpm_rtc_client_post_event(struct rtc_client *client, RTC_EVENT type, IDispatch *event);
/* Any thread: posts a job to the client's worker. RTC_E_CLIENT_ALREADY_SHUT_DOWN (job not
 * run, the caller frees it) once the client is shutting down. */
HRESULT rtcpm_rtc_client_post_job(struct rtc_client *client, struct rtc_job *job);
/* The Initialize thread (event_window.c): filter, then every sink of both connection points. */
void rtcpm_rtc_client_deliver(struct rtc_client *client, RTC_EVENT type, IDispatch *event);
/* A registration or call started / ended (PrepareForShutdown waits for busy to reach 0). */
void rtcpm_rtc_client_busy(struct rtc_client *client, int delta);
/* Preferences (client_media.c): defaults, and freeing. */
void rtcpm_rtc_prefs_init(struct rtc_prefs *prefs);
void rtcpm_rtc_prefs_clear(struct rtc_prefs *prefs);

/* The vtables of the client's other interfaces (their files). */
extern const IRTCClientProvisioning2Vtbl rtcpm_rtc_client_provisioning_vtbl;
extern const IRTCClientPortManagementVtbl rtcpm_rtc_client_pm_vtbl;
extern const IConnectionPointContainerVtbl rtcpm_rtc_cp_container_vtbl;

/* connection_point.c */
void rtcpm_rtc_cp_init(struct rtc_cp *cp, struct rtc_client *client, const IID *iid);
/* Unadvises every sink (Shutdown, destruction). Call without the client's lock. */
void rtcpm_rtc_cp_clear(struct rtc_cp *cp);
/* The sinks, each AddRef'ed (caller releases them and frees the array). S_OK / E_OUTOFMEMORY. */
HRESULT rtcpm_rtc_cp_snapshot(struct rtc_cp *cp, IUnknown ***sinks, size_t *count);

/* rtc_list: a referenced list of interface pointers (callers lock). */
HRESULT rtcpm_rtc_list_add(struct rtc_list *list, IUnknown *unk);
/* 1 when removed (the list's reference is returned to the caller, who releases it). */
int rtcpm_rtc_list_remove(struct rtc_list *list, IUnknown *unk);
int rtcpm_rtc_list_contains(const struct rtc_list *list, IUnknown *unk);
/* Moves the items out (the caller releases each and frees the array). */
void rtcpm_rtc_list_take(struct rtc_list *list, IUnknown ***items, size_t *count);

/* ---- profile ------------------------------------------------------------------------------ */

struct rtc_profile
{
    IRTCProfile2 IRTCProfile2_iface;
    IRTCProfilePortManagement IRTCProfilePortManagement_iface;
    LONG ref;
    CRITICAL_SECTION cs;
    const struct rtc_client *owner; /* identity only: the client that created it */
    struct rtc_client *client;      /* referenced while enabled (EnableProfile .. disabled) */
    BSTR xml;
    struct rtcpm_provision *prov;
    char *user_uri, *account, *password, *realm; /* SetCredentials / put_Realm overrides */
    LONG allowed_auth;
    struct host_pm_ref *pm;
    RTC_REGISTRATION_STATE state;
    int enabled; /* between EnableProfile and the end of its unregistration */
    LONG flags;  /* EnableProfile's RTCRF_* */
    /* the registration, worker-owned (registration.c) */
    struct driver_set mapping;
    struct rtcpm_sip_reg *reg;
    int disable_requested;               /* DisableProfile called; cleared when it has finished */
    int reg_busy;                        /* the registration counts in client->busy */
    struct rtcpm_sip_listener *listener; /* incoming calls on the registration's socket */
};

static inline struct rtc_profile *rtc_profile_from_IRTCProfile2(IRTCProfile2 *iface)
{
    return CONTAINING_RECORD(iface, struct rtc_profile, IRTCProfile2_iface);
}

/* Takes ownership of prov and a copy of xml. */
HRESULT rtcpm_rtc_profile_create(const struct rtc_client *owner, BSTR xml, struct rtcpm_provision *prov,
                                 IRTCProfile2 **out);
extern const IRTCProfile2Vtbl rtcpm_rtc_profile_vtbl;
/* Wine's vtable-checking cast, for an IRTCProfile the application passes in: the profile behind
 * it when it is ours, NULL when it is NULL or another implementation (callers answer
 * E_INVALIDARG); no reference taken. */
static inline struct rtc_profile *unsafe_impl_from_IRTCProfile(IRTCProfile *iface)
{
    return iface && iface->lpVtbl == (const IRTCProfileVtbl *)&rtcpm_rtc_profile_vtbl
               ? rtc_profile_from_IRTCProfile2((IRTCProfile2 *)iface)
               : NULL;
}
/* Under the profile's lock: the registration state; returns the previous one. */
RTC_REGISTRATION_STATE rtcpm_rtc_profile_set_state(struct rtc_profile *profile, RTC_REGISTRATION_STATE state);
/* Sets the state and posts RTCE_REGISTRATION_STATE_CHANGE to client. */
void rtcpm_rtc_profile_report(struct rtc_profile *profile, struct rtc_client *client, RTC_REGISTRATION_STATE state,
                              LONG status, const char *text);
/* The port manager for its registration or its sessions (referenced; NULL = none). */
struct host_pm_ref *rtcpm_rtc_profile_pm(struct rtc_profile *profile);

/* ---- session and participant ------------------------------------------------------------ */

struct rtc_session
{
    IRTCSession IRTCSession_iface;
    IRTCSessionPortManagement IRTCSessionPortManagement_iface;
    LONG ref;
    CRITICAL_SECTION cs;
    struct rtc_client *client;   /* referenced */
    struct rtc_profile *profile; /* referenced; NULL = none */
    RTC_SESSION_TYPE type;
    char *local_phone_uri; /* CreateSession's bstrLocalPhoneURI (UTF-8), may be NULL */
    RTC_SESSION_STATE state;
    struct host_pm_ref *pm;
    struct rtc_list participants; /* IRTCParticipant */
    /* the call, worker-owned (call.c) */
    struct rtc_call *call;
};

static inline struct rtc_session *rtc_session_from_IRTCSession(IRTCSession *iface)
{
    return CONTAINING_RECORD(iface, struct rtc_session, IRTCSession_iface);
}

HRESULT rtcpm_rtc_session_create(struct rtc_client *client, RTC_SESSION_TYPE type, BSTR local_phone_uri,
                                 struct rtc_profile *profile, IRTCSession **out);
void rtcpm_rtc_session_report(struct rtc_session *session, RTC_SESSION_STATE state, LONG status, const char *text);
/* The port manager a session's call uses, referenced (rtcpm_host_pm_ref_release): its own, else
 * its profile's (RTC 1.5 "Address Mapping"); NULL for none. */
struct host_pm_ref *rtcpm_rtc_session_pm(struct rtc_session *session);

struct rtc_participant;
HRESULT rtcpm_rtc_participant_create(struct rtc_session *session, BSTR uri, BSTR name, IRTCParticipant **out);
/* The session forgets its participants when it goes (participants do not keep it alive). */
void rtcpm_rtc_participant_detach(IRTCParticipant *iface);
void rtcpm_rtc_participant_report(IRTCParticipant *iface, struct rtc_client *client, RTC_PARTICIPANT_STATE state,
                                  LONG status);
/* UTF-8 copy of the participant's URI (the caller frees it). */
char *rtcpm_rtc_participant_uri(IRTCParticipant *iface);

/* ---- enum.c ------------------------------------------------------------------------------- */

/* IRTCEnumProfiles / IRTCEnumParticipants over a snapshot of items (each AddRef'ed). */
HRESULT rtcpm_rtc_enum_profiles_create(IUnknown **items, size_t count, IRTCEnumProfiles **out);
HRESULT rtcpm_rtc_enum_participants_create(IUnknown **items, size_t count, IRTCEnumParticipants **out);
/* IRTCCollection (1-based Item, VT_UNKNOWN items; _NewEnum gives an IEnumVARIANT). */
HRESULT rtcpm_rtc_collection_create(IUnknown **items, size_t count, IRTCCollection **out);

/* ---- registration.c / call.c: the work behind EnableProfile, AddParticipant ----------------- */

/* EnableProfile: the profile joins the enabled list; with registration flags and a registrar it
 * is REGISTERING (reported) and the worker does the rest. */
HRESULT rtcpm_rtc_registration_start(struct rtc_client *client, struct rtc_profile *profile, LONG flags);
/* DisableProfile: UNREGISTERING (reported) then NOT_REGISTERED once the Expires: 0 is done. */
HRESULT rtcpm_rtc_registration_stop(struct rtc_client *client, struct rtc_profile *profile);
/* AddParticipant: INPROGRESS (reported) then the worker places the call. */
HRESULT rtcpm_rtc_call_start(struct rtc_session *session, IRTCParticipant *participant);
/* Terminate: BYE / CANCEL (incoming, not answered: 603 / 486 / 480 by reason), then
 * DISCONNECTED. */
HRESULT rtcpm_rtc_call_terminate(struct rtc_session *session, RTC_TERMINATE_REASON reason);
/* Answer (session INCOMING, ANSWERING reported by the caller): the worker does the rest. */
HRESULT rtcpm_rtc_call_answer(struct rtc_session *session);
/* call_media.c, any thread: SendDTMF to every call whose media runs; the client's mute,
 * volume preferences to every call's media (the worker does it). */
HRESULT rtcpm_rtc_media_send_dtmf(struct rtc_client *client, RTC_DTMF dtmf);
HRESULT rtcpm_rtc_media_apply_prefs(struct rtc_client *client);
/* call_in.c: (re)starts the listeners for put_ListenForIncomingSessions (the worker does
 * it); _stop_all on the worker before the engine stops. */
HRESULT rtcpm_rtc_listen_update(struct rtc_client *client);
void rtcpm_rtc_listen_stop_all(struct rtc_client *client);
/* A registration's flow is listened on too (the port manager's SIP mapping), when the
 * client listens; NULL when not. */
struct rtcpm_sip_listener *rtcpm_rtc_listen_flow(struct rtc_client *client, const struct rtcpm_sip_flow *flow,
                                                 const char *local_uri);
/* Shutdown, on the worker, after the SIP engine stopped: ends the registration / call without
 * sending anything, releases its port mappings and the engine's handle, no event. */
void rtcpm_rtc_registration_abort(struct rtc_client *client, struct rtc_profile *profile);
void rtcpm_rtc_call_abort(struct rtc_session *session);
/* Frees the session's call state (session destruction; the call has ended). */
void rtcpm_rtc_call_free(struct rtc_call *call);

/* UTF-8 <-> BSTR helpers */
char *rtcpm_rtc_strdup_bstr(BSTR b);                  /* NULL on failure / NULL BSTR gives "" */
HRESULT rtcpm_rtc_bstr_out(const char *s, BSTR *out); /* E_POINTER, E_OUTOFMEMORY; NULL s = "" */

/* A millisecond knob from the environment (RTCPM_SIP_T1_MS, RTCPM_MEDIA_WAIT_FOR_REMOTE_MS):
 * its value when set to 1..max, else dflt. */
long rtcpm_rtc_env_ms(const char *name, long max, long dflt);

#define RTC_TRACE(...) RTCPM_TRACE(RTCPM_LOG_RTC, __VA_ARGS__)

#endif /* RTCPM_SRC_RTC_PRIVATE_H */
