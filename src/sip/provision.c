/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * provision.c — the RTC provisioning document into struct rtcpm_provision. See provision.h.
 *
 * The XML tree comes from xml.c; this file only knows the RTC schema. Each element has its
 * own reader returning S_OK or the RTC_E_* code that names what is wrong.
 */
#include <stdlib.h>
#include <string.h>
#include "provision.h"
#include "sip_host.h"
#include "sip_text.h"
#include "xml.h"

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static int ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b)) return 0;
    return *a == *b;
}

/* a[0..n) equals the lowercase word b, in any case. */
static int ieqn(const char *a, size_t n, const char *b)
{
    size_t i;
    if (strlen(b) != n) return 0;
    for (i = 0; i < n; i++)
        if (lower(a[i]) != b[i]) return 0;
    return 1;
}

/* Copies an attribute (NULL stays NULL). -1 when out of memory. */
static int dup_attr(const struct rtcpm_xml_node *n, const char *name, char **out)
{
    const char *v = rtcpm_xml_attr(n, name);
    *out = NULL;
    if (!v) return 0;
    *out = malloc(strlen(v) + 1);
    if (!*out) return -1;
    strcpy(*out, v);
    return 0;
}

static char *dup_str(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d)
    {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

LONG rtcpm_provision_transport_from_name(const char *name)
{
    if (!name) return 0;
    if (ieq(name, "udp")) return RTCTR_UDP;
    if (ieq(name, "tcp")) return RTCTR_TCP;
    if (ieq(name, "tls")) return RTCTR_TLS;
    return 0;
}

static LONG auth_from_name(const char *name, size_t n)
{
    static const struct
    {
        const char *name;
        LONG bit;
    } names[] = { { "basic", RTCAU_BASIC },
                  { "digest", RTCAU_DIGEST },
                  { "ntlm", RTCAU_NTLM },
                  { "kerberos", RTCAU_KERBEROS },
                  { "logon", RTCAU_USE_LOGON_CRED } };
    size_t i;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (ieqn(name, n, names[i].name)) return names[i].bit;
    return 0;
}

/* "digest ntlm", "basic,digest", "2", "0x6". -1 when a word is unknown or nothing is there. */
static int parse_allowed_auth(const char *text, LONG *out)
{
    const char *p = text;
    char *end;
    *out = 0;
    if ((text[0] >= '0' && text[0] <= '9'))
    {
        unsigned long v = strtoul(text, &end, 0);
        if (*end || v > 0x7fffffffUL ||
            (v & ~(unsigned long)(RTCAU_BASIC | RTCAU_DIGEST | RTCAU_NTLM | RTCAU_KERBEROS | RTCAU_USE_LOGON_CRED)))
            return -1;
        *out = (LONG)v;
        return 0;
    }
    while (*p)
    {
        size_t n = strcspn(p, " ,");
        if (n)
        {
            LONG bit = auth_from_name(p, n);
            if (!bit) return -1;
            *out |= bit;
        }
        p += n;
        p += strspn(p, " ,");
    }
    return *out ? 0 : -1;
}

/* user@uri with or without "sip:"; "sip:"/"sips:" in any case is written in lowercase. */
static HRESULT read_user_uri(const char *uri, char **out)
{
    const char *rest = uri;
    const char *scheme = "sip:";
    int secure;
    char user[SIP_TEXT_USER_MAX + 1];
    size_t n;

    if (!uri || !*uri) return RTC_E_PROFILE_NO_USER_URI;
    n = strcspn(uri, ":@");
    if (uri[n] == ':')
    {
        if (ieqn(uri, n, "sip"))
            rest = uri + 4;
        else if (ieqn(uri, n, "sips"))
        {
            rest = uri + 5;
            scheme = "sips:";
        }
        else if (!strchr(uri, '@'))
            return RTC_E_INVALID_SIP_URL; /* tel:..., or a host:port without user: not a user URI */
    }
    if (!(*out = malloc(strlen(scheme) + strlen(rest) + 1))) return E_OUTOFMEMORY;
    strcpy(*out, scheme);
    strcat(*out, rest);
    if (FAILED(rtcpm_sip_text_parse_uri(*out, &secure, user, sizeof(user)))) return RTC_E_INVALID_SIP_URL;
    return S_OK;
}

static HRESULT read_user(const struct rtcpm_xml_node *n, struct rtcpm_provision *p)
{
    const char *auth;
    HRESULT hr;
    if (p->user_uri) return RTC_E_INVALID_PROFILE; /* a second <user> */
    if (FAILED(hr = read_user_uri(rtcpm_xml_attr(n, "uri"), &p->user_uri))) return hr;
    if (dup_attr(n, "account", &p->user_account) || dup_attr(n, "name", &p->user_name) ||
        dup_attr(n, "password", &p->user_password) || dup_attr(n, "realm", &p->user_realm))
        return E_OUTOFMEMORY;
    if ((auth = rtcpm_xml_attr(n, "allowedauth")))
    {
        if (parse_allowed_auth(auth, &p->allowed_auth)) return RTC_E_INVALID_PROFILE;
        p->allowed_auth_present = 1;
    }
    return S_OK;
}

static HRESULT read_session(const struct rtcpm_xml_node *n, struct rtcpm_provision_server *s)
{
    static const struct
    {
        const char *name;
        LONG type;
    } types[] = { { "pc2pc", RTCSI_PC_TO_PC },           { "pc2ph", RTCSI_PC_TO_PHONE },
                  { "ph2ph", RTCSI_PHONE_TO_PHONE },     { "im", RTCSI_IM },
                  { "multiparty", RTCSI_MULTIPARTY_IM }, { "application", RTCSI_APPLICATION } };
    const char *party = rtcpm_xml_attr(n, "party"), *type = rtcpm_xml_attr(n, "type");
    struct rtcpm_provision_session *out;
    size_t i;

    if (s->session_count == RTCPM_PROVISION_MAX_SESSIONS) return RTC_E_INVALID_PROFILE;
    out = &s->sessions[s->session_count];
    if (party && ieq(party, "first"))
        out->party = RTCPM_PROVISION_PARTY_FIRST;
    else if (party && ieq(party, "third"))
        out->party = RTCPM_PROVISION_PARTY_THIRD;
    else
        return RTC_E_PROFILE_INVALID_SESSION_PARTY;
    out->type = 0;
    for (i = 0; type && i < sizeof(types) / sizeof(types[0]); i++)
        if (ieq(type, types[i].name)) out->type = types[i].type;
    if (!out->type) return RTC_E_PROFILE_INVALID_SESSION_TYPE;
    s->session_count++;
    return S_OK;
}

static HRESULT read_server_attrs(const struct rtcpm_xml_node *n, struct rtcpm_provision_server *s)
{
    const char *addr = rtcpm_xml_attr(n, "addr"), *proto = rtcpm_xml_attr(n, "protocol");
    const char *auth = rtcpm_xml_attr(n, "auth"), *role = rtcpm_xml_attr(n, "role");
    struct rtcpm_sip_host host;

    if (!addr || !*addr) return RTC_E_PROFILE_NO_SERVER_ADDRESS;
    if (rtcpm_sip_host_parse(addr, strlen(addr), &host)) return RTC_E_INVALID_PROXY_ADDRESS;
    if (!(s->addr = dup_str(addr, strlen(addr))) || !(s->host = dup_str(host.host, strlen(host.host))))
        return E_OUTOFMEMORY;
    s->port = host.port;
    s->is_ip = host.is_ip;
    s->ip = host.ip;
    if (!proto) return RTC_E_PROFILE_NO_SERVER_PROTOCOL;
    if (!(s->transport = rtcpm_provision_transport_from_name(proto))) return RTC_E_PROFILE_INVALID_SERVER_PROTOCOL;
    if (auth && (!*auth || !(s->auth = auth_from_name(auth, strlen(auth))) || s->auth == RTCAU_USE_LOGON_CRED))
        return RTC_E_PROFILE_INVALID_SERVER_AUTHMETHOD;
    if (role && ieq(role, "proxy"))
        s->role = RTCPM_PROVISION_ROLE_PROXY;
    else if (role && ieq(role, "registrar"))
        s->role = RTCPM_PROVISION_ROLE_REGISTRAR;
    else
        return RTC_E_PROFILE_INVALID_SERVER_ROLE;
    return S_OK;
}

static HRESULT read_server(const struct rtcpm_xml_node *n, struct rtcpm_provision *p)
{
    struct rtcpm_provision_server *s;
    const struct rtcpm_xml_node *c;
    HRESULT hr;

    if (p->server_count == RTCPM_PROVISION_MAX_SERVERS) return RTC_E_INVALID_PROFILE;
    s = &p->servers[p->server_count++];
    if (FAILED(hr = read_server_attrs(n, s))) return hr;
    if (s->role == RTCPM_PROVISION_ROLE_REGISTRAR)
    {
        if (p->registrar) return RTC_E_PROFILE_MULTIPLE_REGISTRARS;
        p->registrar = s;
    }
    else if (!p->proxy)
        p->proxy = s;
    for (c = n->first_child; c; c = c->next_sibling)
    {
        if (strcmp(c->name, "session")) continue;
        if (FAILED(hr = read_session(c, s))) return hr;
        p->session_capabilities |= s->sessions[s->session_count - 1].type;
    }
    return S_OK;
}

/* <data> child: its text, or its raw inner markup when it holds elements. */
static int read_data(const struct rtcpm_xml_node *n, char **out)
{
    const struct rtcpm_xml_node *c;
    for (c = n->first_child; c; c = c->next_sibling)
    {
        if (strcmp(c->name, "data")) continue;
        *out = c->first_child ? dup_str(c->inner, c->inner_len) : dup_str(c->text, strlen(c->text));
        return *out ? 0 : -1;
    }
    return 0;
}

static HRESULT read_client(const struct rtcpm_xml_node *n, struct rtcpm_provision *p)
{
    const char *banner = rtcpm_xml_attr(n, "banner");
    if (p->has_client) return RTC_E_INVALID_PROFILE;
    p->has_client = 1;
    if (banner && !ieq(banner, "true") && !ieq(banner, "false")) return RTC_E_INVALID_PROFILE;
    p->client_banner = banner && ieq(banner, "true");
    if (dup_attr(n, "name", &p->client_name) || dup_attr(n, "minver", &p->client_minver) ||
        dup_attr(n, "curver", &p->client_curver) || dup_attr(n, "updateuri", &p->client_updateuri) ||
        read_data(n, &p->client_data))
        return E_OUTOFMEMORY;
    return S_OK;
}

static HRESULT read_provider(const struct rtcpm_xml_node *n, struct rtcpm_provision *p)
{
    static const char *const uri_names[RTCPM_PROVISION_URI_COUNT] = { "homepage", "helpdesk", "personal", "calldisplay",
                                                                      "idledisplay" };
    int i;
    if (p->has_provider) return RTC_E_INVALID_PROFILE;
    p->has_provider = 1;
    if (dup_attr(n, "name", &p->provider_name) || read_data(n, &p->provider_data)) return E_OUTOFMEMORY;
    for (i = 0; i < RTCPM_PROVISION_URI_COUNT; i++)
        if (dup_attr(n, uri_names[i], &p->provider_uri[i])) return E_OUTOFMEMORY;
    return S_OK;
}

/* <session> is only valid directly under <sipsrv>. */
static int misplaced_session(const struct rtcpm_xml_node *n)
{
    const struct rtcpm_xml_node *c;
    for (c = n->first_child; c; c = c->next_sibling)
    {
        if (!strcmp(c->name, "session") && strcmp(n->name, "sipsrv")) return 1;
        if (misplaced_session(c)) return 1;
    }
    return 0;
}

static HRESULT read_provision(const struct rtcpm_xml_node *root, struct rtcpm_provision *p)
{
    const struct rtcpm_xml_node *c;
    HRESULT hr = S_OK;

    if (strcmp(root->name, "provision")) return RTC_E_PROFILE_NO_PROVISION;
    if (dup_attr(root, "key", &p->key) || dup_attr(root, "name", &p->name) || dup_attr(root, "expires", &p->expires))
        return E_OUTOFMEMORY;
    if (!p->key || !*p->key) return RTC_E_PROFILE_NO_KEY;
    if (!p->name || !*p->name) return RTC_E_PROFILE_NO_NAME;
    for (c = root->first_child; c && SUCCEEDED(hr); c = c->next_sibling)
    {
        if (!strcmp(c->name, "user"))
            hr = read_user(c, p);
        else if (!strcmp(c->name, "sipsrv"))
            hr = read_server(c, p);
        else if (!strcmp(c->name, "client"))
            hr = read_client(c, p);
        else if (!strcmp(c->name, "provider"))
            hr = read_provider(c, p);
    }
    if (FAILED(hr)) return hr;
    if (misplaced_session(root)) return RTC_E_PROFILE_INVALID_SESSION;
    if (!p->user_uri) return RTC_E_PROFILE_NO_USER;
    if (!p->server_count) return RTC_E_PROFILE_NO_SERVER;
    return S_OK;
}

HRESULT rtcpm_provision_parse(const char *xml, size_t len, struct rtcpm_provision **out)
{
    struct rtcpm_xml_doc *doc;
    struct rtcpm_provision *p;
    HRESULT hr;
    int rc;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!xml && len) return E_POINTER;
    rc = rtcpm_xml_parse(xml ? xml : "", len, &doc, NULL);
    if (rc == RTCPM_XML_E_NOMEM) return E_OUTOFMEMORY;
    if (rc != RTCPM_XML_OK) return RTC_E_MALFORMED_XML;
    if (!(p = calloc(1, sizeof(*p))))
    {
        rtcpm_xml_free(doc);
        return E_OUTOFMEMORY;
    }
    hr = read_provision(rtcpm_xml_root(doc), p);
    rtcpm_xml_free(doc);
    if (FAILED(hr))
    {
        rtcpm_provision_free(p);
        return hr;
    }
    *out = p;
    return S_OK;
}

void rtcpm_provision_free(struct rtcpm_provision *p)
{
    size_t i;
    if (!p) return;
    if (p->user_password)
    {
        volatile char *v = p->user_password;
        while (*v) *v++ = 0;
    }
    free(p->key), free(p->name), free(p->expires);
    free(p->user_uri), free(p->user_account), free(p->user_name), free(p->user_password), free(p->user_realm);
    for (i = 0; i < p->server_count; i++) free(p->servers[i].addr), free(p->servers[i].host);
    free(p->client_name), free(p->client_minver), free(p->client_curver), free(p->client_updateuri);
    free(p->client_data), free(p->provider_name), free(p->provider_data);
    for (i = 0; i < RTCPM_PROVISION_URI_COUNT; i++) free(p->provider_uri[i]);
    free(p);
}
