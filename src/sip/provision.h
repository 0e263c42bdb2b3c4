/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * provision.h — the RTC provisioning document (IRTCClientProvisioning::CreateProfile's XML)
 * parsed into a C struct. Portable: the same parser on every target (src/sip/xml.c, no DTD,
 * no entities beyond the five predefined ones and numeric character references, never any
 * external fetch).
 *
 * Input is UTF-8 (the COM side converts the BSTR). Elements and attributes read:
 *
 *   <provision key="..." name="..." [expires="..."]>
 *     <user uri="sip:alice@example.com" [account] [name] [password] [realm] [allowedauth]/>
 *     <sipsrv addr="host[:port]" protocol="udp|tcp|tls" [auth="basic|digest|ntlm|kerberos"]
 *             role="proxy|registrar">
 *       <session party="first|third" type="pc2pc|pc2ph|ph2ph|im|multiparty|application"/>...
 *     </sipsrv>...
 *     [<client name [banner="true|false"] [minver] [curver] [updateuri]> [<data>...</data>] </client>]
 *     [<provider name [homepage] [helpdesk] [personal] [calldisplay] [idledisplay]>
 *        [<data>...</data>] </provider>]
 *   </provision>
 *
 * Rules (where Microsoft's documentation is silent, what a user expects):
 *  - user@uri may be written with or without "sip:" (Microsoft's own samples omit it although
 *    the documentation requires it): user_uri always holds it with the scheme ("sip:" added
 *    when no scheme was written; "sips:" kept).
 *  - sipsrv@addr: an IPv4 literal, an IPv6 literal in brackets, or a host name, each with an
 *    optional ":port" (1..65535). server_port 0 = none written (RFC 3263: SRV lookup, then 5060).
 *  - protocol, auth, role, party, type, banner and allowedauth names are case-insensitive.
 *    allowedauth: names separated by spaces or commas (basic digest ntlm kerberos
 *    logon), or a decimal/0x number of RTCAU_* bits.
 *  - Unknown elements and attributes are ignored (forward compatibility: Microsoft's samples
 *    carry <accesscontrol>, RTC 1.2 documents <presence>); the text of known ones too.
 *  - Element and attribute names are matched exactly (XML is case-sensitive).
 *
 * Return codes of rtcpm_provision_parse (first applicable, in document order):
 *   S_OK
 *   E_POINTER                             NULL argument
 *   E_OUTOFMEMORY
 *   RTC_E_MALFORMED_XML (0x80EE004C)      not well-formed XML: syntax, bad UTF-8, a NUL byte,
 *                                         a DTD, an unknown entity, a duplicate attribute,
 *                                         deeper than RTCPM_XML_MAX_DEPTH, larger than
 *                                         RTCPM_XML_MAX_SIZE bytes, more than RTCPM_XML_MAX_NODES
 *   RTC_E_PROFILE_NO_PROVISION            the root element is not <provision>
 *   RTC_E_PROFILE_NO_KEY / _NO_NAME       provision@key / provision@name missing or empty
 *   RTC_E_PROFILE_NO_USER                 no <user>
 *   RTC_E_INVALID_PROFILE                 a second <user>, <client> or <provider>; more than
 *                                         RTCPM_PROVISION_MAX_SERVERS <sipsrv> or
 *                                         RTCPM_PROVISION_MAX_SESSIONS <session> in one;
 *                                         client@banner not true/false; allowedauth unknown
 *   RTC_E_PROFILE_NO_USER_URI             user@uri missing or empty
 *   RTC_E_INVALID_SIP_URL                 user@uri not a SIP URI (scheme other than sip/sips,
 *                                         empty host, characters a SIP URI cannot hold)
 *   RTC_E_PROFILE_NO_SERVER               no <sipsrv>
 *   RTC_E_PROFILE_NO_SERVER_ADDRESS       sipsrv@addr missing or empty
 *   RTC_E_INVALID_PROXY_ADDRESS           sipsrv@addr neither IP literal nor host name, or a
 *                                         bad port
 *   RTC_E_PROFILE_NO_SERVER_PROTOCOL      sipsrv@protocol missing
 *   RTC_E_PROFILE_INVALID_SERVER_PROTOCOL protocol not udp/tcp/tls
 *   RTC_E_PROFILE_INVALID_SERVER_AUTHMETHOD auth not basic/digest/ntlm/kerberos
 *   RTC_E_PROFILE_INVALID_SERVER_ROLE     role missing, or not proxy/registrar
 *   RTC_E_PROFILE_MULTIPLE_REGISTRARS     a second sipsrv with role="registrar"
 *   RTC_E_PROFILE_INVALID_SESSION         <session> anywhere but directly under <sipsrv>
 *   RTC_E_PROFILE_INVALID_SESSION_PARTY   party missing or not first/third
 *   RTC_E_PROFILE_INVALID_SESSION_TYPE    type missing or not one of the six names
 * On failure *out is NULL. RTC_E_* come from <rtcerr.h> (mingw-w64) or, natively, from
 * include/rtcpm/compat/rtcerr.h (same names and values).
 */
#ifndef RTCPM_SRC_SIP_PROVISION_H
#define RTCPM_SRC_SIP_PROVISION_H

#include <stddef.h>
#include "rtcpm/rtcpm.h"
#include <rtcerr.h>
#include "net/addr.h"

/* rtccore.h's values, spelled exactly as mingw-w64 spells them (an identical redefinition is
 * allowed, so either header may come first); natively rtccore.h does not exist. */
#ifndef RTCSI_PC_TO_PC
#define RTCSI_PC_TO_PC       0x00000001
#define RTCSI_PC_TO_PHONE    0x00000002
#define RTCSI_PHONE_TO_PHONE 0x00000004
#define RTCSI_IM             0x00000008
#define RTCSI_MULTIPARTY_IM  0x00000010
#define RTCSI_APPLICATION    0x00000020
#endif
#ifndef RTCAU_BASIC
#define RTCAU_BASIC          0x00000001
#define RTCAU_DIGEST         0x00000002
#define RTCAU_NTLM           0x00000004
#define RTCAU_KERBEROS       0x00000008
#define RTCAU_USE_LOGON_CRED 0x00010000
#endif

/* Index of provider_uri[]: the values of rtccore.h's RTC_PROVIDER_URI (RTCPU_*). */
enum rtcpm_provision_provider_uri
{
    RTCPM_PROVISION_URI_HOMEPAGE = 0,    /* provider@homepage    = RTCPU_URIHOMEPAGE */
    RTCPM_PROVISION_URI_HELPDESK = 1,    /* provider@helpdesk    = RTCPU_URIHELPDESK */
    RTCPM_PROVISION_URI_PERSONAL = 2,    /* provider@personal    = RTCPU_URIPERSONALACCOUNT */
    RTCPM_PROVISION_URI_CALLDISPLAY = 3, /* provider@calldisplay = RTCPU_URIDISPLAYDURINGCALL */
    RTCPM_PROVISION_URI_IDLEDISPLAY = 4, /* provider@idledisplay = RTCPU_URIDISPLAYDURINGIDLE */
    RTCPM_PROVISION_URI_COUNT = 5
};

#define RTCPM_PROVISION_MAX_SERVERS  16
#define RTCPM_PROVISION_MAX_SESSIONS 16

enum rtcpm_provision_role
{
    RTCPM_PROVISION_ROLE_PROXY = 1,
    RTCPM_PROVISION_ROLE_REGISTRAR = 2
};

enum rtcpm_provision_party
{
    RTCPM_PROVISION_PARTY_FIRST = 1,
    RTCPM_PROVISION_PARTY_THIRD = 2
};

struct rtcpm_provision_session
{
    enum rtcpm_provision_party party;
    LONG type; /* one RTCSI_* bit: pc2pc RTCSI_PC_TO_PC, pc2ph RTCSI_PC_TO_PHONE, ph2ph
                  RTCSI_PHONE_TO_PHONE, im RTCSI_IM, multiparty RTCSI_MULTIPARTY_IM,
                  application RTCSI_APPLICATION */
};

struct rtcpm_provision_server
{
    char *addr;          /* as written ("sip.example.com:5061", "[2001:db8::1]") */
    char *host;          /* the host part without brackets or port ("2001:db8::1") */
    unsigned short port; /* 0 = none written */
    int is_ip;           /* host is an IP literal: ip holds it (with port) */
    rtcpm_addr ip;       /* valid when is_ip; port = port (0 when none written) */
    LONG transport;      /* RTCTR_UDP, RTCTR_TCP or RTCTR_TLS */
    LONG auth;           /* one RTCAU_* bit, 0 = no auth attribute */
    enum rtcpm_provision_role role;
    size_t session_count;
    struct rtcpm_provision_session sessions[RTCPM_PROVISION_MAX_SESSIONS];
};

/* Strings: NUL-terminated UTF-8 with entities decoded; NULL = the attribute was absent
 * ("" = present and empty). Owned by the struct. */
struct rtcpm_provision
{
    char *key, *name, *expires;
    /* <user> */
    char *user_uri; /* always with scheme: "sip:alice@example.com" */
    char *user_account, *user_name, *user_password, *user_realm;
    LONG allowed_auth; /* RTCAU_* bits from user@allowedauth; 0 when absent */
    int allowed_auth_present;
    /* <sipsrv>, in document order */
    size_t server_count;
    struct rtcpm_provision_server servers[RTCPM_PROVISION_MAX_SERVERS];
    const struct rtcpm_provision_server *registrar; /* the one role="registrar", or NULL */
    const struct rtcpm_provision_server *proxy;     /* the first role="proxy", or NULL */
    LONG session_capabilities;                      /* OR of every <session> type (RTCSI_*) */
    /* <client> (all NULL when absent) */
    int has_client;
    char *client_name, *client_minver, *client_curver, *client_updateuri, *client_data;
    int client_banner; /* 1 for banner="true", 0 otherwise */
    /* <provider> */
    int has_provider;
    char *provider_name, *provider_data;
    char *provider_uri[RTCPM_PROVISION_URI_COUNT]; /* by enum rtcpm_provision_provider_uri */
};

/* Parses len bytes of UTF-8 (no NUL needed; a NUL byte inside is malformed). */
HRESULT rtcpm_provision_parse(const char *xml, size_t len, struct rtcpm_provision **out);

/* Frees the struct and every string (password bytes are zeroed first). NULL is fine. */
void rtcpm_provision_free(struct rtcpm_provision *p);

/* "udp" -> RTCTR_UDP etc. (case-insensitive); 0 when unknown. Shared with the COM side. */
LONG rtcpm_provision_transport_from_name(const char *name);

#endif /* RTCPM_SRC_SIP_PROVISION_H */
