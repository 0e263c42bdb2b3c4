/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * client_private.h — the pieces of the client object that live in its other files:
 * IRTCClient2's preference and not-implemented methods (client_media.c) and the end of its
 * life (client_shutdown.c). Only client*.c include this.
 */
#ifndef RTCPM_SRC_RTC_CLIENT_PRIVATE_H
#define RTCPM_SRC_RTC_CLIENT_PRIVATE_H

#include "rtc/rtc_private.h"

/* client_shutdown.c */
/* Shutdown's work (also a release without Shutdown): state SHUT_DOWN, then on the worker:
 * the SIP engine stopped (nothing more is sent), every registration and call ended and its
 * mappings released, the lists emptied; the worker joined, the event window destroyed. */
void rtcpm_rtc_client_teardown(struct rtc_client *client);
/* Under the client's lock: referenced copies of the enabled profiles and the sessions in a
 * call (the caller releases each and frees the arrays). */
HRESULT rtcpm_rtc_client_snapshot(struct rtc_client *client, IUnknown ***profiles, size_t *n_profiles,
                                  IUnknown ***sessions, size_t *n_sessions);

/* client_media.c: IRTCClient2 methods (see there for what each does). */
HRESULT WINAPI rtcpm_rtc_client_SetPreferredMediaTypes(IRTCClient2 *iface, LONG types, VARIANT_BOOL persistent);
HRESULT WINAPI rtcpm_rtc_client_get_PreferredMediaTypes(IRTCClient2 *iface, LONG *types);
HRESULT WINAPI rtcpm_rtc_client_get_MediaCapabilities(IRTCClient2 *iface, LONG *types);
HRESULT WINAPI rtcpm_rtc_client_put_ListenForIncomingSessions(IRTCClient2 *iface, RTC_LISTEN_MODE mode);
HRESULT WINAPI rtcpm_rtc_client_get_ListenForIncomingSessions(IRTCClient2 *iface, RTC_LISTEN_MODE *mode);
HRESULT WINAPI rtcpm_rtc_client_get_NetworkAddresses(IRTCClient2 *iface, VARIANT_BOOL tcp, VARIANT_BOOL external,
                                                     VARIANT *addresses);
HRESULT WINAPI rtcpm_rtc_client_put_Volume(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, LONG volume);
HRESULT WINAPI rtcpm_rtc_client_get_Volume(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, LONG *volume);
HRESULT WINAPI rtcpm_rtc_client_put_AudioMuted(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, VARIANT_BOOL muted);
HRESULT WINAPI rtcpm_rtc_client_get_AudioMuted(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, VARIANT_BOOL *muted);
HRESULT WINAPI rtcpm_rtc_client_get_IVideoWindow(IRTCClient2 *iface, RTC_VIDEO_DEVICE device, IVideoWindow **window);
HRESULT WINAPI rtcpm_rtc_client_put_PreferredAudioDevice(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, BSTR name);
HRESULT WINAPI rtcpm_rtc_client_get_PreferredAudioDevice(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, BSTR *name);
HRESULT WINAPI rtcpm_rtc_client_put_PreferredVolume(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, LONG volume);
HRESULT WINAPI rtcpm_rtc_client_get_PreferredVolume(IRTCClient2 *iface, RTC_AUDIO_DEVICE device, LONG *volume);
HRESULT WINAPI rtcpm_rtc_client_put_PreferredAEC(IRTCClient2 *iface, VARIANT_BOOL enable);
HRESULT WINAPI rtcpm_rtc_client_get_PreferredAEC(IRTCClient2 *iface, VARIANT_BOOL *enabled);
HRESULT WINAPI rtcpm_rtc_client_put_PreferredVideoDevice(IRTCClient2 *iface, BSTR name);
HRESULT WINAPI rtcpm_rtc_client_get_PreferredVideoDevice(IRTCClient2 *iface, BSTR *name);
HRESULT WINAPI rtcpm_rtc_client_get_ActiveMedia(IRTCClient2 *iface, LONG *types);
HRESULT WINAPI rtcpm_rtc_client_put_MaxBitrate(IRTCClient2 *iface, LONG bitrate);
HRESULT WINAPI rtcpm_rtc_client_get_MaxBitrate(IRTCClient2 *iface, LONG *bitrate);
HRESULT WINAPI rtcpm_rtc_client_put_TemporalSpatialTradeOff(IRTCClient2 *iface, LONG value);
HRESULT WINAPI rtcpm_rtc_client_get_TemporalSpatialTradeOff(IRTCClient2 *iface, LONG *value);
HRESULT WINAPI rtcpm_rtc_client_get_NetworkQuality(IRTCClient2 *iface, LONG *quality);
HRESULT WINAPI rtcpm_rtc_client_StartT120Applet(IRTCClient2 *iface, RTC_T120_APPLET applet);
HRESULT WINAPI rtcpm_rtc_client_StopT120Applets(IRTCClient2 *iface);
HRESULT WINAPI rtcpm_rtc_client_get_IsT120AppletRunning(IRTCClient2 *iface, RTC_T120_APPLET applet,
                                                        VARIANT_BOOL *running);
HRESULT WINAPI rtcpm_rtc_client_PlayRing(IRTCClient2 *iface, RTC_RING_TYPE type, VARIANT_BOOL play);
HRESULT WINAPI rtcpm_rtc_client_SendDTMF(IRTCClient2 *iface, RTC_DTMF dtmf);
HRESULT WINAPI rtcpm_rtc_client_InvokeTuningWizard(IRTCClient2 *iface, OAHWND parent);
HRESULT WINAPI rtcpm_rtc_client_get_IsTuned(IRTCClient2 *iface, VARIANT_BOOL *tuned);
HRESULT WINAPI rtcpm_rtc_client_put_AnswerMode(IRTCClient2 *iface, RTC_SESSION_TYPE type, RTC_ANSWER_MODE mode);
HRESULT WINAPI rtcpm_rtc_client_get_AnswerMode(IRTCClient2 *iface, RTC_SESSION_TYPE type, RTC_ANSWER_MODE *mode);
HRESULT WINAPI rtcpm_rtc_client_InvokeTuningWizardEx(IRTCClient2 *iface, OAHWND parent, VARIANT_BOOL audio,
                                                     VARIANT_BOOL video);
HRESULT WINAPI rtcpm_rtc_client_get_Version(IRTCClient2 *iface, LONG *version);
HRESULT WINAPI rtcpm_rtc_client_put_ClientName(IRTCClient2 *iface, BSTR name);
HRESULT WINAPI rtcpm_rtc_client_put_ClientCurVer(IRTCClient2 *iface, BSTR version);
HRESULT WINAPI rtcpm_rtc_client_CreateSessionWithDescription(IRTCClient2 *iface, BSTR content_type, BSTR description,
                                                             IRTCProfile *profile, LONG flags, IRTCSession2 **out);
HRESULT WINAPI rtcpm_rtc_client_SetSessionDescriptionManager(IRTCClient2 *iface,
                                                             IRTCSessionDescriptionManager *manager);
HRESULT WINAPI rtcpm_rtc_client_put_PreferredSecurityLevel(IRTCClient2 *iface, RTC_SECURITY_TYPE type,
                                                           RTC_SECURITY_LEVEL level);
HRESULT WINAPI rtcpm_rtc_client_get_PreferredSecurityLevel(IRTCClient2 *iface, RTC_SECURITY_TYPE type,
                                                           RTC_SECURITY_LEVEL *level);
HRESULT WINAPI rtcpm_rtc_client_put_AllowedPorts(IRTCClient2 *iface, LONG transport, RTC_LISTEN_MODE mode);
HRESULT WINAPI rtcpm_rtc_client_get_AllowedPorts(IRTCClient2 *iface, LONG transport, RTC_LISTEN_MODE *mode);

#endif /* RTCPM_SRC_RTC_CLIENT_PRIVATE_H */
