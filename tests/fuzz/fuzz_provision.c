/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_provision.c — the safe XML parser (src/sip/xml.c) and the provisioning document on
 * top of it (src/sip/provision.c) on arbitrary bytes.
 *
 * Beyond "no crash, no read past the input, no unbounded recursion":
 *  - the XML parser returns OK or a syntax error with a line/column inside the input and a
 *    message; a tree keeps the limits (depth, elements, attributes per element) and every
 *    string it hands out (names, attribute values, text) is valid UTF-8 made of XML
 *    characters, without NUL — whatever references the input used;
 *  - attribute names are unique per element;
 *  - the profile parser returns one of provision.h's codes; RTC_E_MALFORMED_XML exactly when
 *    the XML parser refuses the bytes; a profile keeps its invariants (a user URI with its
 *    scheme, at least one server, every enum in range, registrar/proxy pointing into the
 *    server array, session capabilities = the OR of the sessions' types).
 */
#include <string.h>

#include "fuzz_check.h"
#include "sip/provision.h"
#include "sip/xml.h"
#include "sip/xml_utf8.h"

static void check_string(const char *s)
{
    size_t bad;
    FUZZ_CHECK(s != NULL);
    FUZZ_CHECK(rtcpm_xml_utf8_check(s, strlen(s), &bad) == NULL);
}

static size_t walk(const struct rtcpm_xml_node *n, unsigned depth)
{
    size_t count = 0, i, j;
    FUZZ_CHECK(depth <= RTCPM_XML_MAX_DEPTH);
    for (; n; n = n->next_sibling)
    {
        count++;
        FUZZ_CHECK(n->name[0]);
        check_string(n->name);
        check_string(n->text);
        FUZZ_CHECK(n->attr_count <= RTCPM_XML_MAX_ATTRS);
        for (i = 0; i < n->attr_count; i++)
        {
            check_string(n->attrs[i].name);
            check_string(n->attrs[i].value);
            for (j = 0; j < i; j++) FUZZ_CHECK(strcmp(n->attrs[i].name, n->attrs[j].name));
        }
        if (n->first_child) FUZZ_CHECK(!n->text[0]);
        count += walk(n->first_child, depth + 1);
    }
    return count;
}

static int known_code(HRESULT hr)
{
    static const HRESULT codes[] = { S_OK,
                                     RTC_E_MALFORMED_XML,
                                     RTC_E_PROFILE_NO_PROVISION,
                                     RTC_E_PROFILE_NO_KEY,
                                     RTC_E_PROFILE_NO_NAME,
                                     RTC_E_PROFILE_NO_USER,
                                     RTC_E_INVALID_PROFILE,
                                     RTC_E_PROFILE_NO_USER_URI,
                                     RTC_E_INVALID_SIP_URL,
                                     RTC_E_PROFILE_NO_SERVER,
                                     RTC_E_PROFILE_NO_SERVER_ADDRESS,
                                     RTC_E_INVALID_PROXY_ADDRESS,
                                     RTC_E_PROFILE_NO_SERVER_PROTOCOL,
                                     RTC_E_PROFILE_INVALID_SERVER_PROTOCOL,
                                     RTC_E_PROFILE_INVALID_SERVER_AUTHMETHOD,
                                     RTC_E_PROFILE_INVALID_SERVER_ROLE,
                                     RTC_E_PROFILE_MULTIPLE_REGISTRARS,
                                     RTC_E_PROFILE_INVALID_SESSION,
                                     RTC_E_PROFILE_INVALID_SESSION_PARTY,
                                     RTC_E_PROFILE_INVALID_SESSION_TYPE };
    size_t i;
    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (hr == codes[i]) return 1;
    return 0;
}

static void check_profile(const struct rtcpm_provision *p)
{
    LONG caps = 0;
    size_t i, j;
    FUZZ_CHECK(!strncmp(p->user_uri, "sip:", 4) || !strncmp(p->user_uri, "sips:", 5));
    FUZZ_CHECK(p->key && p->key[0] && p->name && p->name[0]);
    FUZZ_CHECK(p->server_count >= 1 && p->server_count <= RTCPM_PROVISION_MAX_SERVERS);
    FUZZ_CHECK(!p->registrar || (p->registrar >= p->servers && p->registrar < p->servers + p->server_count));
    FUZZ_CHECK(!p->proxy || (p->proxy >= p->servers && p->proxy < p->servers + p->server_count));
    for (i = 0; i < p->server_count; i++)
    {
        const struct rtcpm_provision_server *s = &p->servers[i];
        FUZZ_CHECK(s->transport == RTCTR_UDP || s->transport == RTCTR_TCP || s->transport == RTCTR_TLS);
        FUZZ_CHECK(s->role == RTCPM_PROVISION_ROLE_PROXY || s->role == RTCPM_PROVISION_ROLE_REGISTRAR);
        FUZZ_CHECK(s->host && s->host[0] && s->session_count <= RTCPM_PROVISION_MAX_SESSIONS);
        FUZZ_CHECK(!s->is_ip || s->ip.port == s->port);
        for (j = 0; j < s->session_count; j++) caps |= s->sessions[j].type;
    }
    FUZZ_CHECK(caps == p->session_capabilities);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rtcpm_xml_doc *doc;
    struct rtcpm_xml_error err;
    struct rtcpm_provision *p;
    HRESULT hr;
    int rc = rtcpm_xml_parse((const char *)data, size, &doc, &err);

    FUZZ_CHECK(rc == RTCPM_XML_OK || rc == RTCPM_XML_E_SYNTAX);
    if (rc == RTCPM_XML_OK)
    {
        FUZZ_CHECK(walk(rtcpm_xml_root(doc), 1) <= RTCPM_XML_MAX_NODES);
        rtcpm_xml_free(doc);
    }
    else
        FUZZ_CHECK(err.line >= 1 && err.column >= 1 && err.message[0] && err.line <= size + 1);

    hr = rtcpm_provision_parse((const char *)data, size, &p);
    FUZZ_CHECK(known_code(hr));
    FUZZ_CHECK((hr == RTC_E_MALFORMED_XML) == (rc != RTCPM_XML_OK));
    FUZZ_CHECK((hr == S_OK) == (p != NULL));
    if (p) check_profile(p);
    rtcpm_provision_free(p);
    return 0;
}
