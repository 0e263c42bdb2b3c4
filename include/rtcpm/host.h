/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * host.h — the RTC side, as rtcpm models it: the objects the RTC Client API hands an
 * application (client, profile, session) with their port-management interfaces, driving
 * the application's port manager the way RTC does, and the SIP Contact header / SDP offer
 * RTC would send from the port manager's answers.
 *
 * No sockets are opened and no SIP is sent: these objects are what an application (or a
 * test, or a sample) talks to in place of rtcdll.dll's, so a port manager can be exercised
 * exactly as RTC 1.5 would exercise it.
 *
 *   IRTCClientPortManagement *client;    IRTCProfilePortManagement *profile;
 *   IRTCSessionPortManagement *session;  char text[1024];
 *   rtcpm_host_create_client("192.168.1.10", &client);
 *   rtcpm_host_create_profile(client, "sip:alice@example.com", "198.18.0.1", 5060, RTCTR_UDP, &profile);
 *   IRTCProfilePortManagement_SetPortManager(profile, pm);      // before enabling
 *   rtcpm_host_profile_enable(profile);                         // GetMappingEx(registrar, SIP)
 *   rtcpm_host_profile_contact(profile, text, sizeof(text));    // "Contact: <sip:alice@...>\r\n"
 *   rtcpm_host_create_session(client, profile, "sip:bob@example.net", "203.0.113.5", 5060, 0, &session);
 *   rtcpm_host_session_call(session, RTCPM_HOST_MEDIA_AUDIO);   // SIP, AUDIO_RTP, AUDIO_RTCP
 *   rtcpm_host_session_sdp(session, 1, 1, text, sizeof(text));  // the offer
 *   rtcpm_host_session_hangup(session);                         // every mapping released
 *
 * Every function returns an HRESULT: E_POINTER for a NULL object or out pointer,
 * E_INVALIDARG for a bad value or for an interface pointer that is not an rtcpm host
 * object, 0x8007007A (HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER)) when a text buffer is
 * too small (it then holds ""). Objects are refcounted COM objects: Release what you get.
 * All functions and methods may be called from any thread; on Windows, from a thread with COM
 * initialised (RTC's own rule) once a port manager was set from one. The objects aggregate
 * the free-threaded marshaler (any apartment gets the object itself).
 *
 * Apartments (Windows; README "Marshalling"). A port manager is called in the apartment it
 * was set from, never from a thread outside it:
 *  - used from the apartment that called SetPortManager (the usual STA application), it is
 *    called directly: no proxy/stub, no rtcpm_ps.dll, no registry;
 *  - a free-threaded one (it aggregates the free-threaded marshaler, as rtcpm's own port
 *    managers do) is called directly from every apartment;
 *  - from any other apartment it is called through rtcpm_ps.dll's proxy, which must be
 *    registered (regsvr32 rtcpm_ps.dll, or rtcpm_marshal_register() in each apartment
 *    involved) before SetPortManager. Without it the operation (rtcpm_host_profile_enable,
 *    rtcpm_host_session_call, update, hangup, disable) fails with REGDB_E_IIDNOTREG
 *    (0x80040155) and an "rtcpm:err:com" line on stderr naming rtcpm_ps.dll and
 *    rtcpm_marshal_register. Nothing is asked of the port manager: an enable or a call leaves
 *    the object as it was, a hang-up or disable still ends (its mappings are forgotten
 *    unreleased). A thread without COM gets CO_E_NOTINITIALIZED.
 */
#ifndef RTCPM_HOST_H
#define RTCPM_HOST_H

#include <stddef.h>
#include "rtcpm/platform.h"
#include "rtcpm/rtcpm_idl.h"

RTCPM_EXTERN_C_BEGIN

/* Same value as mingw-w64's <rtcerr.h>: an operation the session's state does not allow. */
#ifndef RTC_E_INVALID_SESSION_STATE
#define RTC_E_INVALID_SESSION_STATE ((HRESULT)0x80EE002A)
#endif

/* ---- client: IRTCClientPortManagement --------------------------------------------------
 *
 * StartListenAddressAndPort(addr, port): records addr:port as a listen address (IP literal,
 *   port 1..65535, else E_INVALIDARG); the same pair twice -> E_FAIL, RTC's code for "unable
 *   to create a listen socket for the address and port specified".
 * StopListenAddressAndPort(addr, port): forgets it; a pair that is not listened on ->
 *   E_INVALIDARG (Microsoft documents no code for this case; the project's convention for a
 *   value that names nothing).
 * GetPortRange(type, &min, &max): the range configured for that port type; E_INVALIDARG for
 *   a type outside RTC_PORT_TYPE, E_POINTER for a NULL out pointer (both outs set to 0 on
 *   failure). Default for every type 1024..65535, RTC's range when its PortRange policy is
 *   not configured.
 */
HRESULT rtcpm_host_create_client(const char *local_address, IRTCClientPortManagement **client);

/* 1024 <= min < max <= 65535, and at least 2 ports for RTCPT_SIP and 4 for a media type
 * (RTC's PortRange policy rules), else E_INVALIDARG. */
HRESULT rtcpm_host_client_set_port_range(IRTCClientPortManagement *client, RTC_PORT_TYPE type, LONG min, LONG max);

/* The index-th listen address/port started and not stopped (oldest first): S_OK, or S_FALSE
 * (address "" and port 0) past the end. */
HRESULT rtcpm_host_client_get_listen(IRTCClientPortManagement *client, LONG index, char *address, size_t address_len,
                                     LONG *port);

/* ---- profile: IRTCProfilePortManagement --------------------------------------------------
 *
 * SetPortManager(pm): E_POINTER for NULL; E_FAIL once the profile is enabled (or being
 *   enabled) — IRTCProfilePortManagement::SetPortManager: "E_FAIL ... the profile has already
 *   been enabled". Otherwise the profile holds a reference to pm and releases the one it
 *   replaces.
 *
 * user_uri: "sip:user@domain" or "sips:..."; registrar_address: IP literal; registrar_port 0 =
 * 5060 (5061 for TLS); transport: RTCTR_UDP, RTCTR_TCP or RTCTR_TLS.
 */
HRESULT rtcpm_host_create_profile(IRTCClientPortManagement *client, const char *user_uri, const char *registrar_address,
                                  LONG registrar_port, LONG transport, IRTCProfilePortManagement **profile);

/* Registers: GetMappingEx(registrar address, registrar port, transport, RTCPT_SIP) on the
 * profile's port manager (local address without one). S_OK: enabled. A port manager failure
 * is returned as is and the profile stays disabled with nothing allocated. E_UNEXPECTED when
 * already enabled or being enabled. */
HRESULT rtcpm_host_profile_enable(IRTCProfilePortManagement *profile);

/* Unregisters: releases the registration's mapping; SetPortManager is allowed again.
 * S_FALSE when not enabled; E_UNEXPECTED while another thread enables it. */
HRESULT rtcpm_host_profile_disable(IRTCProfilePortManagement *profile);

/* The REGISTER's Contact header line, CRLF included. E_UNEXPECTED when not enabled. */
HRESULT rtcpm_host_profile_contact(IRTCProfilePortManagement *profile, char *buf, size_t buflen);

/* ---- session: IRTCSessionPortManagement --------------------------------------------------
 *
 * SetPortManager(pm): allowed while the session is idle (created, or hung up), E_FAIL
 *   otherwise — IRTCSessionPortManagement::SetPortManager: "can be called multiple times
 *   when the session is idle ... Each successful call ... overwrites the previous
 *   IRTCPortManager callback interface. The method returns an error if it is called when the
 *   session is not idle." NULL is allowed ("A null pointer is allowed"): rtcpm reads it as
 *   "this session has no port manager of its own" — the session then uses its profile's
 *   port manager, and with no profile (or a profile without one) its local addresses, what
 *   RTC does when SetPortManager was never called.
 *
 * profile may be NULL (RTC 1.3's "machines behind a NAT cannot register": no profile).
 * peer_uri: the callee, "sip:" / "sips:" / "tel:" URI; peer_address: IP literal SIP goes to
 * (the peer or its proxy); peer_port 0 = 5060 (5061 for TLS); transport 0 = the profile's,
 * or RTCTR_UDP without a profile.
 */
HRESULT rtcpm_host_create_session(IRTCClientPortManagement *client, IRTCProfilePortManagement *profile,
                                  const char *peer_uri, const char *peer_address, LONG peer_port, LONG transport,
                                  IRTCSessionPortManagement **session);

#define RTCPM_HOST_MEDIA_AUDIO 0x1
#define RTCPM_HOST_MEDIA_VIDEO 0x2

/* Places the call (RTC's AddParticipant): the session's port manager, else the profile's,
 * is asked, in this order, for RTCPT_SIP (peer address, peer port, session transport) and
 * RTCPT_AUDIO_RTP, RTCPT_AUDIO_RTCP (+ RTCPT_VIDEO_RTP, RTCPT_VIDEO_RTCP with
 * RTCPM_HOST_MEDIA_VIDEO) for the peer address over UDP, with remote port 0: the peer's media
 * port is not known before its answer (rtcpm_host_session_update_remote then tells it).
 * media must include RTCPM_HOST_MEDIA_AUDIO. On a port manager failure the mappings already
 * obtained are released, the session is idle again and that HRESULT is returned.
 * RTC_E_INVALID_SESSION_STATE when the session is not idle. */
HRESULT rtcpm_host_session_call(IRTCSessionPortManagement *session, unsigned media);

enum rtcpm_host_stream
{
    RTCPM_HOST_STREAM_SIP = 0,
    RTCPM_HOST_STREAM_AUDIO = 1,
    RTCPM_HOST_STREAM_VIDEO = 2
};

/* The remote end moved (the answer's c=/m= lines, or the peer's Contact for SIP): the port
 * manager is told with UpdateRemoteAddressEx2 (Ex for a version 2, plain for a version 1 port
 * manager). For AUDIO/VIDEO the RTP mapping gets address:port and the RTCP mapping
 * address:rtcp_port (rtcp_port 0 = port + 1, RFC 3550's convention when the answer has no
 * a=rtcp); rtcp_port is ignored for SIP. A port manager failure is returned as is; the call
 * keeps its mappings. RTC_E_INVALID_SESSION_STATE when no call is up; E_INVALIDARG for a
 * stream the call does not have, or an address of the other family than the stream's
 * mappings (an IPv4 call cannot send to an IPv6 peer: no port manager is told). */
HRESULT rtcpm_host_session_update_remote(IRTCSessionPortManagement *session, enum rtcpm_host_stream stream,
                                         const char *address, LONG port, LONG rtcp_port);

/* Ends the call: every mapping is released (ReleaseMappingEx, or ReleaseMapping for a version
 * 1/2 port manager), the session is idle again. S_FALSE when no call is up. Releasing the
 * last reference of a session in a call hangs up first. */
HRESULT rtcpm_host_session_hangup(IRTCSessionPortManagement *session);

/* The INVITE's Contact header line (the session's SIP mapping), CRLF included. */
HRESULT rtcpm_host_session_contact(IRTCSessionPortManagement *session, char *buf, size_t buflen);

/* The SDP offer of the call (see sip_text: v/o/s/c/t, m=audio 0 8 101, a=rtcp, m=video 34),
 * CRLF line endings; session_id and version go into o=, so the text is reproducible. */
HRESULT rtcpm_host_session_sdp(IRTCSessionPortManagement *session, ULONGLONG session_id, ULONGLONG version, char *buf,
                               size_t buflen);

/* Which port-manager interface the current call talks to: 3, 2, 1, or 0 (no port manager,
 * local addresses). RTC_E_INVALID_SESSION_STATE when no call is up. */
HRESULT rtcpm_host_session_pm_level(IRTCSessionPortManagement *session, LONG *level);

/* ---- the mappings held, for an application that opens the sockets itself -----------------
 *
 * What the port manager answered for one mapping of an enabled profile (its SIP mapping) or of
 * the call in progress: addresses in canonical text (RFC 5952 for IPv6, no brackets), the
 * internal side to bind, the external side that went into Contact/SDP. rtcpm-demo binds its
 * SIP and RTP sockets to the internal sides.
 */
struct rtcpm_host_mapping
{
    LONG type;      /* RTC_PORT_TYPE */
    LONG transport; /* RTCTR_* */
    char internal_address[64];
    LONG internal_port;
    char external_address[64];
    LONG external_port;
};

/* E_UNEXPECTED when the profile is not enabled (out is zeroed on every failure). */
HRESULT rtcpm_host_profile_mapping(IRTCProfilePortManagement *profile, struct rtcpm_host_mapping *out);

/* RTC_E_INVALID_SESSION_STATE when no call is up, E_INVALIDARG when the call has no mapping
 * of that type (video of an audio call, a type outside RTC_PORT_TYPE). */
HRESULT rtcpm_host_session_mapping(IRTCSessionPortManagement *session, RTC_PORT_TYPE type,
                                   struct rtcpm_host_mapping *out);

/* The tracing port manager that samples and rtcpm-demo wrap around a port manager is
 * rtcpm_trace_pm_create() in rtcpm/trace_pm.h; HRESULT names: rtcpm_hresult_name() in rtcpm/diag.h. */

RTCPM_EXTERN_C_END

#endif /* RTCPM_HOST_H */
