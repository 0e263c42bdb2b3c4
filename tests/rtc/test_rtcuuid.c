/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_rtcuuid.c — librtcuuid.a: every IID, CLSID, LIBID and DIID mingw-w64's <rtccore.h>
 * declares has the Windows SDK's value, and rtcpm's port-management IIDs are there too.
 *
 * The expected values are written here, from Microsoft's public Win32 metadata
 * (RecompiledIdlHeaders/um/rtccore.idl) and the learn.microsoft.com pages, which agree on
 * each; the three project-assigned IIDs from idl/rtcpm.idl (README "Interfaces").
 * Linked with -lrtcuuid -lole32 -loleaut32 -luuid and nothing else of rtcpm: that an
 * application needs no more is part of what this test shows (a plain C main, no harness).
 */
#define COBJMACROS
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <rtccore.h>
#include "rtcpm/rtcpm_idl.h"

struct expected
{
    const char *name;
    const GUID *guid;
    const char *value;
};

static const struct expected table[] = {
    { "CLSID_RTCClient", &CLSID_RTCClient, "{7A42EA29-A2B7-40C4-B091-F6F024AA89BE}" },
    { "DIID_IRTCDispatchEventNotification", &DIID_IRTCDispatchEventNotification,
      "{176DDFBE-FEC0-4D55-BC87-84CFF1EF7F91}" },
    { "IID_IRTCBuddy", &IID_IRTCBuddy, "{FCB136C8-7B90-4E0C-BEFE-56EDF0BA6F1C}" },
    { "IID_IRTCBuddy2", &IID_IRTCBuddy2, "{102F9588-23E7-40E3-954D-CD7A1D5C0361}" },
    { "IID_IRTCBuddyEvent", &IID_IRTCBuddyEvent, "{F36D755D-17E6-404E-954F-0FC07574C78D}" },
    { "IID_IRTCBuddyEvent2", &IID_IRTCBuddyEvent2, "{484A7F1E-73F0-4990-BFC2-60BC3978A720}" },
    { "IID_IRTCBuddyGroup", &IID_IRTCBuddyGroup, "{60361E68-9164-4389-A4C6-D0B3925BDA5E}" },
    { "IID_IRTCBuddyGroupEvent", &IID_IRTCBuddyGroupEvent, "{3A79E1D1-B736-4414-96F8-BBC7F08863E4}" },
    { "IID_IRTCClient", &IID_IRTCClient, "{07829E45-9A34-408E-A011-BDDF13487CD1}" },
    { "IID_IRTCClient2", &IID_IRTCClient2, "{0C91D71D-1064-42DA-BFA5-572BEB8EEA84}" },
    { "IID_IRTCClientEvent", &IID_IRTCClientEvent, "{2B493B7A-3CBA-4170-9C8B-76A9DACDD644}" },
    { "IID_IRTCClientPortManagement", &IID_IRTCClientPortManagement, "{D5DF3F03-4BDE-4417-AEFE-71177BDAEA66}" },
    { "IID_IRTCClientPresence", &IID_IRTCClientPresence, "{11C3CBCC-0744-42D1-968A-51AA1BB274C6}" },
    { "IID_IRTCClientPresence2", &IID_IRTCClientPresence2, "{AD1809E8-62F7-4783-909A-29C9D2CB1D34}" },
    { "IID_IRTCClientProvisioning", &IID_IRTCClientProvisioning, "{B9F5CF06-65B9-4A80-A0E6-73CAE3EF3822}" },
    { "IID_IRTCClientProvisioning2", &IID_IRTCClientProvisioning2, "{A70909B5-F40E-4587-BB75-E6BC0845023E}" },
    { "IID_IRTCCollection", &IID_IRTCCollection, "{EC7C8096-B918-4044-94F1-E4FBA0361D5C}" },
    { "IID_IRTCEnumBuddies", &IID_IRTCEnumBuddies, "{F7296917-5569-4B3B-B3AF-98D1144B2B87}" },
    { "IID_IRTCEnumGroups", &IID_IRTCEnumGroups, "{742378D6-A141-4415-8F27-35D99076CF5D}" },
    { "IID_IRTCEnumParticipants", &IID_IRTCEnumParticipants, "{FCD56F29-4A4F-41B2-BA5C-F5BCCC060BF6}" },
    { "IID_IRTCEnumPresenceDevices", &IID_IRTCEnumPresenceDevices, "{708C2AB7-8BF8-42F8-8C7D-635197AD5539}" },
    { "IID_IRTCEnumProfiles", &IID_IRTCEnumProfiles, "{29B7C41C-ED82-4BCA-84AD-39D5101B58E3}" },
    { "IID_IRTCEnumUserSearchResults", &IID_IRTCEnumUserSearchResults, "{83D4D877-AA5D-4A5B-8D0E-002A8067E0E8}" },
    { "IID_IRTCEnumWatchers", &IID_IRTCEnumWatchers, "{A87D55D7-DB74-4ED1-9CA4-77A0E41B413E}" },
    { "IID_IRTCEventNotification", &IID_IRTCEventNotification, "{13FA24C7-5748-4B21-91F5-7397609CE747}" },
    { "IID_IRTCInfoEvent", &IID_IRTCInfoEvent, "{4E1D68AE-1912-4F49-B2C3-594FADFD425F}" },
    { "IID_IRTCIntensityEvent", &IID_IRTCIntensityEvent, "{4C23BF51-390C-4992-A41D-41EEC05B2A4B}" },
    { "IID_IRTCMediaEvent", &IID_IRTCMediaEvent, "{099944FB-BCDA-453E-8C41-E13DA2ADF7F3}" },
    { "IID_IRTCMediaRequestEvent", &IID_IRTCMediaRequestEvent, "{52572D15-148C-4D97-A36C-2DA55C289D63}" },
    { "IID_IRTCMessagingEvent", &IID_IRTCMessagingEvent, "{D3609541-1B29-4DE5-A4AD-5AEBAF319512}" },
    { "IID_IRTCParticipant", &IID_IRTCParticipant, "{AE86ADD5-26B1-4414-AF1D-B94CD938D739}" },
    { "IID_IRTCParticipantStateChangeEvent", &IID_IRTCParticipantStateChangeEvent,
      "{09BCB597-F0FA-48F9-B420-468CEA7FDE04}" },
    { "IID_IRTCPortManager", &IID_IRTCPortManager, "{DA77C14B-6208-43CA-8DDF-5B60A0A69FAC}" },
    { "IID_IRTCPresenceContact", &IID_IRTCPresenceContact, "{8B22F92C-CD90-42DB-A733-212205C3E3DF}" },
    { "IID_IRTCPresenceDataEvent", &IID_IRTCPresenceDataEvent, "{38F0E78C-8B87-4C04-A82D-AEDD83C909BB}" },
    { "IID_IRTCPresenceDevice", &IID_IRTCPresenceDevice, "{BC6A90DD-AD9A-48DA-9B0C-2515E38521AD}" },
    { "IID_IRTCPresencePropertyEvent", &IID_IRTCPresencePropertyEvent, "{F777F570-A820-49D5-86BD-E099493F1518}" },
    { "IID_IRTCPresenceStatusEvent", &IID_IRTCPresenceStatusEvent, "{78673F32-4A0F-462C-89AA-EE7706707678}" },
    { "IID_IRTCProfile", &IID_IRTCProfile, "{D07ECA9E-4062-4DD4-9E7D-722A49BA7303}" },
    { "IID_IRTCProfile2", &IID_IRTCProfile2, "{4B81F84E-BDC7-4184-9154-3CB2DD7917FB}" },
    { "IID_IRTCProfileEvent", &IID_IRTCProfileEvent, "{D6D5AB3B-770E-43E8-800A-79B062395FCA}" },
    { "IID_IRTCProfileEvent2", &IID_IRTCProfileEvent2, "{62E56EDC-03FA-4121-94FB-23493FD0AE64}" },
    { "IID_IRTCReInviteEvent", &IID_IRTCReInviteEvent, "{11558D84-204C-43E7-99B0-2034E9417F7D}" },
    { "IID_IRTCRegistrationStateChangeEvent", &IID_IRTCRegistrationStateChangeEvent,
      "{62D0991B-50AB-4F02-B948-CA94F26F8F95}" },
    { "IID_IRTCRoamingEvent", &IID_IRTCRoamingEvent, "{79960A6B-0CB1-4DC8-A805-7318E99902E8}" },
    { "IID_IRTCSession", &IID_IRTCSession, "{387C8086-99BE-42FB-9973-7C0FC0CA9FA8}" },
    { "IID_IRTCSession2", &IID_IRTCSession2, "{17D7CDFC-B007-484C-99D2-86A8A820991D}" },
    { "IID_IRTCSessionCallControl", &IID_IRTCSessionCallControl, "{E9A50D94-190B-4F82-9530-3B8EBF60758A}" },
    { "IID_IRTCSessionDescriptionManager", &IID_IRTCSessionDescriptionManager,
      "{BA7F518E-D336-4070-93A6-865395C843F9}" },
    { "IID_IRTCSessionOperationCompleteEvent", &IID_IRTCSessionOperationCompleteEvent,
      "{A6BFF4C0-F7C8-4D3C-9A41-3550F78A95B0}" },
    { "IID_IRTCSessionOperationCompleteEvent2", &IID_IRTCSessionOperationCompleteEvent2,
      "{F6FC2A9B-D5BC-4241-B436-1B8460C13832}" },
    { "IID_IRTCSessionPortManagement", &IID_IRTCSessionPortManagement, "{A072F1D6-0286-4E1F-85F2-17A2948456EC}" },
    { "IID_IRTCSessionReferStatusEvent", &IID_IRTCSessionReferStatusEvent, "{3D8FC2CD-5D76-44AB-BB68-2A80353B34A2}" },
    { "IID_IRTCSessionReferredEvent", &IID_IRTCSessionReferredEvent, "{176A6828-4FCC-4F28-A862-04597A6CF1C4}" },
    { "IID_IRTCSessionStateChangeEvent", &IID_IRTCSessionStateChangeEvent, "{B5BAD703-5952-48B3-9321-7F4500521506}" },
    { "IID_IRTCSessionStateChangeEvent2", &IID_IRTCSessionStateChangeEvent2, "{4F933171-6F95-4880-80D9-2EC8D495D261}" },
    { "IID_IRTCUserSearch", &IID_IRTCUserSearch, "{B619882B-860C-4DB4-BE1B-693B6505BBE5}" },
    { "IID_IRTCUserSearchQuery", &IID_IRTCUserSearchQuery, "{288300F5-D23A-4365-9A73-9985C98C2881}" },
    { "IID_IRTCUserSearchResult", &IID_IRTCUserSearchResult, "{851278B2-9592-480F-8DB5-2DE86B26B54D}" },
    { "IID_IRTCUserSearchResultsEvent", &IID_IRTCUserSearchResultsEvent, "{D8C8C3CD-7FAC-4088-81C5-C24CBC0938E3}" },
    { "IID_IRTCWatcher", &IID_IRTCWatcher, "{C7CEDAD8-346B-4D1B-AC02-A2088DF9BE4F}" },
    { "IID_IRTCWatcher2", &IID_IRTCWatcher2, "{D4D9967F-D011-4B1D-91E3-ABA78F96393D}" },
    { "IID_IRTCWatcherEvent", &IID_IRTCWatcherEvent, "{F30D7261-587A-424F-822C-312788F43548}" },
    { "IID_IRTCWatcherEvent2", &IID_IRTCWatcherEvent2, "{E52891E8-188C-49AF-B005-98ED13F83F9C}" },
    { "LIBID_RTCCORELib", &LIBID_RTCCORELib, "{CD260094-DE10-4AEE-AC73-EF87F6E12683}" },
    /* rtcpm's port-management interfaces (idl/rtcpm.idl; the last three project-assigned) */
    { "IID_IRTCPortManager2", &IID_IRTCPortManager2, "{D65119BD-1974-4FA9-874D-3597D094728C}" },
    { "IID_IRTCPortManager3", &IID_IRTCPortManager3, "{95832724-4221-480C-9D15-B376D28E9E3D}" },
    { "IID_IRTCProfilePortManagement", &IID_IRTCProfilePortManagement, "{320C52E5-19F6-4735-9054-8EE6C8553507}" },
};

int main(void)
{
    WCHAR wide[64];
    char text[64];
    size_t i, j;
    int failed = 0;

    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
    {
        if (!StringFromGUID2(table[i].guid, wide, 64) ||
            !WideCharToMultiByte(CP_ACP, 0, wide, -1, text, sizeof(text), NULL, NULL))
        {
            printf("FAILED: %s: cannot format\n", table[i].name);
            failed++;
            continue;
        }
        if (strcmp(text, table[i].value))
        {
            printf("FAILED: %s is %s, the SDK says %s\n", table[i].name, text, table[i].value);
            failed++;
        }
        /* no two names share a value */
        for (j = 0; j < i; j++)
            if (IsEqualGUID(table[i].guid, table[j].guid))
            {
                printf("FAILED: %s and %s have the same value\n", table[i].name, table[j].name);
                failed++;
            }
    }
    printf("rtcuuid: %u GUIDs checked, %d failed\n", (unsigned)(sizeof(table) / sizeof(table[0])), failed);
    return failed ? 1 : 0;
}
