/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_vtbl_list.h — the vtable of every RTC interface rtcdll.dll implements or describes, slot
 * by slot, as mingw-w64's <rtccore.h> declares it (the C++ declarations' order, which its C
 * vtables repeat). Written once from that header; the tests hold both <rtccore.h> and widl's
 * header of idl/rtcclient.idl to it (static asserts, one TU each), and the type library's
 * FUNCDESCs (their oVft) at run time.
 *
 * X(interface, slot, C member, kind, type-library name): slot counts from 0 (QueryInterface);
 * kind FUNC / GET / PUT (a plain method, [propget], [propput]).
 */
#ifndef RTCPM_TESTS_RTC_VTBL_LIST_H
#define RTCPM_TESTS_RTC_VTBL_LIST_H

/* IRTCClient : IUnknown, slots 3..44 */
#define RTC_VTBL_IRTCClient(X)                                                                                         \
    X(IRTCClient, 3, Initialize, FUNC, Initialize)                                                                     \
    X(IRTCClient, 4, Shutdown, FUNC, Shutdown)                                                                         \
    X(IRTCClient, 5, PrepareForShutdown, FUNC, PrepareForShutdown)                                                     \
    X(IRTCClient, 6, put_EventFilter, PUT, EventFilter)                                                                \
    X(IRTCClient, 7, get_EventFilter, GET, EventFilter)                                                                \
    X(IRTCClient, 8, SetPreferredMediaTypes, FUNC, SetPreferredMediaTypes)                                             \
    X(IRTCClient, 9, get_PreferredMediaTypes, GET, PreferredMediaTypes)                                                \
    X(IRTCClient, 10, get_MediaCapabilities, GET, MediaCapabilities)                                                   \
    X(IRTCClient, 11, CreateSession, FUNC, CreateSession)                                                              \
    X(IRTCClient, 12, put_ListenForIncomingSessions, PUT, ListenForIncomingSessions)                                   \
    X(IRTCClient, 13, get_ListenForIncomingSessions, GET, ListenForIncomingSessions)                                   \
    X(IRTCClient, 14, get_NetworkAddresses, GET, NetworkAddresses)                                                     \
    X(IRTCClient, 15, put_Volume, PUT, Volume)                                                                         \
    X(IRTCClient, 16, get_Volume, GET, Volume)                                                                         \
    X(IRTCClient, 17, put_AudioMuted, PUT, AudioMuted)                                                                 \
    X(IRTCClient, 18, get_AudioMuted, GET, AudioMuted)                                                                 \
    X(IRTCClient, 19, get_IVideoWindow, GET, IVideoWindow)                                                             \
    X(IRTCClient, 20, put_PreferredAudioDevice, PUT, PreferredAudioDevice)                                             \
    X(IRTCClient, 21, get_PreferredAudioDevice, GET, PreferredAudioDevice)                                             \
    X(IRTCClient, 22, put_PreferredVolume, PUT, PreferredVolume)                                                       \
    X(IRTCClient, 23, get_PreferredVolume, GET, PreferredVolume)                                                       \
    X(IRTCClient, 24, put_PreferredAEC, PUT, PreferredAEC)                                                             \
    X(IRTCClient, 25, get_PreferredAEC, GET, PreferredAEC)                                                             \
    X(IRTCClient, 26, put_PreferredVideoDevice, PUT, PreferredVideoDevice)                                             \
    X(IRTCClient, 27, get_PreferredVideoDevice, GET, PreferredVideoDevice)                                             \
    X(IRTCClient, 28, get_ActiveMedia, GET, ActiveMedia)                                                               \
    X(IRTCClient, 29, put_MaxBitrate, PUT, MaxBitrate)                                                                 \
    X(IRTCClient, 30, get_MaxBitrate, GET, MaxBitrate)                                                                 \
    X(IRTCClient, 31, put_TemporalSpatialTradeOff, PUT, TemporalSpatialTradeOff)                                       \
    X(IRTCClient, 32, get_TemporalSpatialTradeOff, GET, TemporalSpatialTradeOff)                                       \
    X(IRTCClient, 33, get_NetworkQuality, GET, NetworkQuality)                                                         \
    X(IRTCClient, 34, StartT120Applet, FUNC, StartT120Applet)                                                          \
    X(IRTCClient, 35, StopT120Applets, FUNC, StopT120Applets)                                                          \
    X(IRTCClient, 36, get_IsT120AppletRunning, GET, IsT120AppletRunning)                                               \
    X(IRTCClient, 37, get_LocalUserURI, GET, LocalUserURI)                                                             \
    X(IRTCClient, 38, put_LocalUserURI, PUT, LocalUserURI)                                                             \
    X(IRTCClient, 39, get_LocalUserName, GET, LocalUserName)                                                           \
    X(IRTCClient, 40, put_LocalUserName, PUT, LocalUserName)                                                           \
    X(IRTCClient, 41, PlayRing, FUNC, PlayRing)                                                                        \
    X(IRTCClient, 42, SendDTMF, FUNC, SendDTMF)                                                                        \
    X(IRTCClient, 43, InvokeTuningWizard, FUNC, InvokeTuningWizard)                                                    \
    X(IRTCClient, 44, get_IsTuned, GET, IsTuned)

/* IRTCClient2 : IRTCClient, slots 45..57 */
#define RTC_VTBL_IRTCClient2(X)                                                                                        \
    X(IRTCClient2, 45, put_AnswerMode, PUT, AnswerMode)                                                                \
    X(IRTCClient2, 46, get_AnswerMode, GET, AnswerMode)                                                                \
    X(IRTCClient2, 47, InvokeTuningWizardEx, FUNC, InvokeTuningWizardEx)                                               \
    X(IRTCClient2, 48, get_Version, GET, Version)                                                                      \
    X(IRTCClient2, 49, put_ClientName, PUT, ClientName)                                                                \
    X(IRTCClient2, 50, put_ClientCurVer, PUT, ClientCurVer)                                                            \
    X(IRTCClient2, 51, InitializeEx, FUNC, InitializeEx)                                                               \
    X(IRTCClient2, 52, CreateSessionWithDescription, FUNC, CreateSessionWithDescription)                               \
    X(IRTCClient2, 53, SetSessionDescriptionManager, FUNC, SetSessionDescriptionManager)                               \
    X(IRTCClient2, 54, put_PreferredSecurityLevel, PUT, PreferredSecurityLevel)                                        \
    X(IRTCClient2, 55, get_PreferredSecurityLevel, GET, PreferredSecurityLevel)                                        \
    X(IRTCClient2, 56, put_AllowedPorts, PUT, AllowedPorts)                                                            \
    X(IRTCClient2, 57, get_AllowedPorts, GET, AllowedPorts)

/* IRTCClientProvisioning : IUnknown, slots 3..9 */
#define RTC_VTBL_IRTCClientProvisioning(X)                                                                             \
    X(IRTCClientProvisioning, 3, CreateProfile, FUNC, CreateProfile)                                                   \
    X(IRTCClientProvisioning, 4, EnableProfile, FUNC, EnableProfile)                                                   \
    X(IRTCClientProvisioning, 5, DisableProfile, FUNC, DisableProfile)                                                 \
    X(IRTCClientProvisioning, 6, EnumerateProfiles, FUNC, EnumerateProfiles)                                           \
    X(IRTCClientProvisioning, 7, get_Profiles, GET, Profiles)                                                          \
    X(IRTCClientProvisioning, 8, GetProfile, FUNC, GetProfile)                                                         \
    X(IRTCClientProvisioning, 9, get_SessionCapabilities, GET, SessionCapabilities)

/* IRTCClientProvisioning2 : IRTCClientProvisioning, slots 10..10 */
#define RTC_VTBL_IRTCClientProvisioning2(X) X(IRTCClientProvisioning2, 10, EnableProfileEx, FUNC, EnableProfileEx)

/* IRTCProfile : IUnknown, slots 3..20 */
#define RTC_VTBL_IRTCProfile(X)                                                                                        \
    X(IRTCProfile, 3, get_Key, GET, Key)                                                                               \
    X(IRTCProfile, 4, get_Name, GET, Name)                                                                             \
    X(IRTCProfile, 5, get_XML, GET, XML)                                                                               \
    X(IRTCProfile, 6, get_ProviderName, GET, ProviderName)                                                             \
    X(IRTCProfile, 7, get_ProviderURI, GET, ProviderURI)                                                               \
    X(IRTCProfile, 8, get_ProviderData, GET, ProviderData)                                                             \
    X(IRTCProfile, 9, get_ClientName, GET, ClientName)                                                                 \
    X(IRTCProfile, 10, get_ClientBanner, GET, ClientBanner)                                                            \
    X(IRTCProfile, 11, get_ClientMinVer, GET, ClientMinVer)                                                            \
    X(IRTCProfile, 12, get_ClientCurVer, GET, ClientCurVer)                                                            \
    X(IRTCProfile, 13, get_ClientUpdateURI, GET, ClientUpdateURI)                                                      \
    X(IRTCProfile, 14, get_ClientData, GET, ClientData)                                                                \
    X(IRTCProfile, 15, get_UserURI, GET, UserURI)                                                                      \
    X(IRTCProfile, 16, get_UserName, GET, UserName)                                                                    \
    X(IRTCProfile, 17, get_UserAccount, GET, UserAccount)                                                              \
    X(IRTCProfile, 18, SetCredentials, FUNC, SetCredentials)                                                           \
    X(IRTCProfile, 19, get_SessionCapabilities, GET, SessionCapabilities)                                              \
    X(IRTCProfile, 20, get_State, GET, State)

/* IRTCProfile2 : IRTCProfile, slots 21..24 */
#define RTC_VTBL_IRTCProfile2(X)                                                                                       \
    X(IRTCProfile2, 21, get_Realm, GET, Realm)                                                                         \
    X(IRTCProfile2, 22, put_Realm, PUT, Realm)                                                                         \
    X(IRTCProfile2, 23, get_AllowedAuth, GET, AllowedAuth)                                                             \
    X(IRTCProfile2, 24, put_AllowedAuth, PUT, AllowedAuth)

/* IRTCSession : IUnknown, slots 3..22 */
#define RTC_VTBL_IRTCSession(X)                                                                                        \
    X(IRTCSession, 3, get_Client, GET, Client)                                                                         \
    X(IRTCSession, 4, get_State, GET, State)                                                                           \
    X(IRTCSession, 5, get_Type, GET, Type)                                                                             \
    X(IRTCSession, 6, get_Profile, GET, Profile)                                                                       \
    X(IRTCSession, 7, get_Participants, GET, Participants)                                                             \
    X(IRTCSession, 8, Answer, FUNC, Answer)                                                                            \
    X(IRTCSession, 9, Terminate, FUNC, Terminate)                                                                      \
    X(IRTCSession, 10, Redirect, FUNC, Redirect)                                                                       \
    X(IRTCSession, 11, AddParticipant, FUNC, AddParticipant)                                                           \
    X(IRTCSession, 12, RemoveParticipant, FUNC, RemoveParticipant)                                                     \
    X(IRTCSession, 13, EnumerateParticipants, FUNC, EnumerateParticipants)                                             \
    X(IRTCSession, 14, get_CanAddParticipants, GET, CanAddParticipants)                                                \
    X(IRTCSession, 15, get_RedirectedUserURI, GET, RedirectedUserURI)                                                  \
    X(IRTCSession, 16, get_RedirectedUserName, GET, RedirectedUserName)                                                \
    X(IRTCSession, 17, NextRedirectedUser, FUNC, NextRedirectedUser)                                                   \
    X(IRTCSession, 18, SendMessage, FUNC, SendMessage)                                                                 \
    X(IRTCSession, 19, SendMessageStatus, FUNC, SendMessageStatus)                                                     \
    X(IRTCSession, 20, AddStream, FUNC, AddStream)                                                                     \
    X(IRTCSession, 21, RemoveStream, FUNC, RemoveStream)                                                               \
    X(IRTCSession, 22, put_EncryptionKey, PUT, EncryptionKey)

/* IRTCSession2 : IRTCSession, slots 23..28 */
#define RTC_VTBL_IRTCSession2(X)                                                                                       \
    X(IRTCSession2, 23, SendInfo, FUNC, SendInfo)                                                                      \
    X(IRTCSession2, 24, put_PreferredSecurityLevel, PUT, PreferredSecurityLevel)                                       \
    X(IRTCSession2, 25, get_PreferredSecurityLevel, GET, PreferredSecurityLevel)                                       \
    X(IRTCSession2, 26, IsSecurityEnabled, FUNC, IsSecurityEnabled)                                                    \
    X(IRTCSession2, 27, AnswerWithSessionDescription, FUNC, AnswerWithSessionDescription)                              \
    X(IRTCSession2, 28, ReInviteWithSessionDescription, FUNC, ReInviteWithSessionDescription)

/* IRTCSessionDescriptionManager : IUnknown, slots 3..3 */
#define RTC_VTBL_IRTCSessionDescriptionManager(X)                                                                      \
    X(IRTCSessionDescriptionManager, 3, EvaluateSessionDescription, FUNC, EvaluateSessionDescription)

/* IRTCParticipant : IUnknown, slots 3..7 */
#define RTC_VTBL_IRTCParticipant(X)                                                                                    \
    X(IRTCParticipant, 3, get_UserURI, GET, UserURI)                                                                   \
    X(IRTCParticipant, 4, get_Name, GET, Name)                                                                         \
    X(IRTCParticipant, 5, get_Removable, GET, Removable)                                                               \
    X(IRTCParticipant, 6, get_State, GET, State)                                                                       \
    X(IRTCParticipant, 7, get_Session, GET, Session)

/* IRTCCollection : IDispatch, slots 7..9 */
#define RTC_VTBL_IRTCCollection(X)                                                                                     \
    X(IRTCCollection, 7, get_Count, GET, Count)                                                                        \
    X(IRTCCollection, 8, get_Item, GET, Item)                                                                          \
    X(IRTCCollection, 9, get__NewEnum, GET, _NewEnum)

/* IRTCEnumParticipants : IUnknown, slots 3..6 */
#define RTC_VTBL_IRTCEnumParticipants(X)                                                                               \
    X(IRTCEnumParticipants, 3, Next, FUNC, Next)                                                                       \
    X(IRTCEnumParticipants, 4, Reset, FUNC, Reset)                                                                     \
    X(IRTCEnumParticipants, 5, Skip, FUNC, Skip)                                                                       \
    X(IRTCEnumParticipants, 6, Clone, FUNC, Clone)

/* IRTCEnumProfiles : IUnknown, slots 3..6 */
#define RTC_VTBL_IRTCEnumProfiles(X)                                                                                   \
    X(IRTCEnumProfiles, 3, Next, FUNC, Next)                                                                           \
    X(IRTCEnumProfiles, 4, Reset, FUNC, Reset)                                                                         \
    X(IRTCEnumProfiles, 5, Skip, FUNC, Skip)                                                                           \
    X(IRTCEnumProfiles, 6, Clone, FUNC, Clone)

/* IRTCEventNotification : IUnknown, slots 3..3 */
#define RTC_VTBL_IRTCEventNotification(X) X(IRTCEventNotification, 3, Event, FUNC, Event)

/* IRTCClientEvent : IDispatch, slots 7..8 */
#define RTC_VTBL_IRTCClientEvent(X)                                                                                    \
    X(IRTCClientEvent, 7, get_EventType, GET, EventType)                                                               \
    X(IRTCClientEvent, 8, get_Client, GET, Client)

/* IRTCRegistrationStateChangeEvent : IDispatch, slots 7..10 */
#define RTC_VTBL_IRTCRegistrationStateChangeEvent(X)                                                                   \
    X(IRTCRegistrationStateChangeEvent, 7, get_Profile, GET, Profile)                                                  \
    X(IRTCRegistrationStateChangeEvent, 8, get_State, GET, State)                                                      \
    X(IRTCRegistrationStateChangeEvent, 9, get_StatusCode, GET, StatusCode)                                            \
    X(IRTCRegistrationStateChangeEvent, 10, get_StatusText, GET, StatusText)

/* IRTCSessionStateChangeEvent : IDispatch, slots 7..10 */
#define RTC_VTBL_IRTCSessionStateChangeEvent(X)                                                                        \
    X(IRTCSessionStateChangeEvent, 7, get_Session, GET, Session)                                                       \
    X(IRTCSessionStateChangeEvent, 8, get_State, GET, State)                                                           \
    X(IRTCSessionStateChangeEvent, 9, get_StatusCode, GET, StatusCode)                                                 \
    X(IRTCSessionStateChangeEvent, 10, get_StatusText, GET, StatusText)

/* IRTCParticipantStateChangeEvent : IDispatch, slots 7..9 */
#define RTC_VTBL_IRTCParticipantStateChangeEvent(X)                                                                    \
    X(IRTCParticipantStateChangeEvent, 7, get_Participant, GET, Participant)                                           \
    X(IRTCParticipantStateChangeEvent, 8, get_State, GET, State)                                                       \
    X(IRTCParticipantStateChangeEvent, 9, get_StatusCode, GET, StatusCode)

/* IRTCMediaEvent : IDispatch, slots 7..9 */
#define RTC_VTBL_IRTCMediaEvent(X)                                                                                     \
    X(IRTCMediaEvent, 7, get_MediaType, GET, MediaType)                                                                \
    X(IRTCMediaEvent, 8, get_EventType, GET, EventType)                                                                \
    X(IRTCMediaEvent, 9, get_EventReason, GET, EventReason)

/* every interface above, and how many slots each has in all */
#define RTC_VTBL_ALL(X)                                                                                                \
    RTC_VTBL_IRTCClient(X) RTC_VTBL_IRTCClient2(X) RTC_VTBL_IRTCClientProvisioning(X)                                  \
        RTC_VTBL_IRTCClientProvisioning2(X) RTC_VTBL_IRTCProfile(X) RTC_VTBL_IRTCProfile2(X) RTC_VTBL_IRTCSession(X)   \
            RTC_VTBL_IRTCSession2(X) RTC_VTBL_IRTCSessionDescriptionManager(X) RTC_VTBL_IRTCParticipant(X)             \
                RTC_VTBL_IRTCCollection(X) RTC_VTBL_IRTCEnumParticipants(X) RTC_VTBL_IRTCEnumProfiles(X)               \
                    RTC_VTBL_IRTCEventNotification(X) RTC_VTBL_IRTCClientEvent(X)                                      \
                        RTC_VTBL_IRTCRegistrationStateChangeEvent(X) RTC_VTBL_IRTCSessionStateChangeEvent(X)           \
                            RTC_VTBL_IRTCParticipantStateChangeEvent(X) RTC_VTBL_IRTCMediaEvent(X)

#define RTC_VTBL_SIZES(S)                                                                                              \
    S(IRTCClient, 45)                                                                                                  \
    S(IRTCClient2, 58)                                                                                                 \
    S(IRTCClientProvisioning, 10)                                                                                      \
    S(IRTCClientProvisioning2, 11)                                                                                     \
    S(IRTCProfile, 21)                                                                                                 \
    S(IRTCProfile2, 25)                                                                                                \
    S(IRTCSession, 23)                                                                                                 \
    S(IRTCSession2, 29)                                                                                                \
    S(IRTCSessionDescriptionManager, 4)                                                                                \
    S(IRTCParticipant, 8)                                                                                              \
    S(IRTCCollection, 10)                                                                                              \
    S(IRTCEnumParticipants, 7)                                                                                         \
    S(IRTCEnumProfiles, 7)                                                                                             \
    S(IRTCEventNotification, 4)                                                                                        \
    S(IRTCClientEvent, 9)                                                                                              \
    S(IRTCRegistrationStateChangeEvent, 11)                                                                            \
    S(IRTCSessionStateChangeEvent, 11)                                                                                 \
    S(IRTCParticipantStateChangeEvent, 10)                                                                             \
    S(IRTCMediaEvent, 10)

/* Outside the type library (RTC_VTBL_ALL is what it describes): the port-management
 * interfaces of idl/rtcpm.idl (<rtccore.h> declares the client's and the session's, not the
 * profile's: RTC 1.5) and IConnectionPointContainer (<ocidl.h>), which rtcdll.dll's objects
 * implement too. */
#define RTC_VTBL_IRTCClientPortManagement(X)                                                                           \
    X(IRTCClientPortManagement, 3, StartListenAddressAndPort, FUNC, StartListenAddressAndPort)                         \
    X(IRTCClientPortManagement, 4, StopListenAddressAndPort, FUNC, StopListenAddressAndPort)                           \
    X(IRTCClientPortManagement, 5, GetPortRange, FUNC, GetPortRange)
#define RTC_VTBL_IRTCSessionPortManagement(X) X(IRTCSessionPortManagement, 3, SetPortManager, FUNC, SetPortManager)
#define RTC_VTBL_IRTCProfilePortManagement(X) X(IRTCProfilePortManagement, 3, SetPortManager, FUNC, SetPortManager)
#define RTC_VTBL_IConnectionPointContainer(X)                                                                          \
    X(IConnectionPointContainer, 3, EnumConnectionPoints, FUNC, EnumConnectionPoints)                                  \
    X(IConnectionPointContainer, 4, FindConnectionPoint, FUNC, FindConnectionPoint)

#define RTC_VTBL_RTCCORE_PM(X)       RTC_VTBL_IRTCClientPortManagement(X) RTC_VTBL_IRTCSessionPortManagement(X)
#define RTC_VTBL_RTCCORE_PM_SIZES(S) S(IRTCClientPortManagement, 6) S(IRTCSessionPortManagement, 4)
#define RTC_VTBL_PROFILE_PM(X)       RTC_VTBL_IRTCProfilePortManagement(X)
#define RTC_VTBL_PROFILE_PM_SIZES(S) S(IRTCProfilePortManagement, 4)
#define RTC_VTBL_OCIDL(X)            RTC_VTBL_IConnectionPointContainer(X)
#define RTC_VTBL_OCIDL_SIZES(S)      S(IConnectionPointContainer, 5)

#endif /* RTCPM_TESTS_RTC_VTBL_LIST_H */
