/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * host_objects.h — what the client, profile and session objects know of each other.
 * The application sees only include/rtcpm/host.h.
 */
#ifndef RTCPM_SRC_HOST_OBJECTS_H
#define RTCPM_SRC_HOST_OBJECTS_H

#include "rtcpm/rtcpm.h"
#include "rtcpm/host.h"
#include "net/addr.h"
#include "os/lock.h"
#include "host/driver.h"
#include "sip/sip_text.h"

#define HOST_PORT_TYPES 5 /* RTCPT_AUDIO_RTP .. RTCPT_SIP */
#define HOST_URI_MAX    256

struct host_client;
struct host_profile;

/* The object behind an interface pointer, or NULL when it is not an rtcpm host object (its
 * vtable is not ours: Wine's unsafe_impl_from_IFoo). No reference is taken. */
struct host_client *rtcpm_unsafe_impl_from_IRTCClientPortManagement(IRTCClientPortManagement *iface);
struct host_profile *rtcpm_unsafe_impl_from_IRTCProfilePortManagement(IRTCProfilePortManagement *iface);

void rtcpm_host_client_addref(struct host_client *client);
void rtcpm_host_client_release(struct host_client *client);
void rtcpm_host_profile_addref(struct host_profile *profile);
void rtcpm_host_profile_release(struct host_profile *profile);

/* Local addresses, used when no port manager is set (with ports):
 * SIP: the oldest listen address still started, else the client's address with the first
 * port of the SIP range. Media: the client's address; RTP on an even port of the audio RTP
 * range, RTCP on the next one, video on the two after (RFC 3550's pairing), a new block of
 * four per call so that calls do not share ports. */
void rtcpm_host_client_local_sip(struct host_client *client, rtcpm_addr *out);
void rtcpm_host_client_local_media(struct host_client *client, rtcpm_addr out[4]);

/* The profile's port manager, referenced (NULL when none; rtcpm_host_pm_ref_get gives a pointer
 * valid in the caller's apartment), and its identity. */
struct host_pm_ref *rtcpm_host_profile_port_manager(struct host_profile *profile);
void rtcpm_host_profile_identity(struct host_profile *profile, const char **user, int *secure, LONG *transport);

/* Default SIP port for a transport (RFC 3261 section 19.1.2: 5060, 5061 for TLS). */
LONG rtcpm_host_default_sip_port(LONG transport);
int rtcpm_host_transport_valid(LONG transport);

#endif /* RTCPM_SRC_HOST_OBJECTS_H */
