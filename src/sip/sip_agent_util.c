/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sip_agent_util.c — what registrations and calls both need: random identifiers, the
 * Contact URI, flow checks, digest answers. See sip_agent_private.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sip_agent_private.h"
#include "sip_build.h"
#include "sip_text.h"

int rtcpm_sip_random_token(char *buf, size_t hex_digits)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char bytes[32];
    size_t i;
    if (hex_digits > 2 * sizeof(bytes) || rtcpm_random_bytes(bytes, (hex_digits + 1) / 2))
    {
        buf[0] = 0;
        return -1;
    }
    for (i = 0; i < hex_digits; i++) buf[i] = hex[(bytes[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
    buf[hex_digits] = 0;
    return 0;
}

int rtcpm_sip_new_branch(char *buf, size_t cap)
{
    char rnd[25];
    if (cap < sizeof(RTCPM_SIP_BRANCH_COOKIE) + 24 || rtcpm_sip_random_token(rnd, 24)) return -1;
    snprintf(buf, cap, "%s%s", RTCPM_SIP_BRANCH_COOKIE, rnd);
    return 0;
}

char *rtcpm_sip_strdup(const char *s)
{
    char *d;
    if (!s) return NULL;
    if ((d = malloc(strlen(s) + 1))) strcpy(d, s);
    return d;
}

void rtcpm_sip_free_secret(char *s)
{
    if (s)
    {
        volatile char *v = s;
        while (*v) *v++ = 0;
    }
    free(s);
}

int rtcpm_sip_valid_value(const char *s)
{
    if (!s) return 1;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return 0;
    return 1;
}

HRESULT rtcpm_sip_contact_uri(const char *local_uri, const rtcpm_addr *contact, LONG transport, char *buf, size_t cap)
{
    char user[SIP_TEXT_USER_MAX + 1], host[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    rtcpm_addr pub = *contact;
    int secure, n;
    if (FAILED(rtcpm_sip_text_parse_uri(local_uri, &secure, user, sizeof(user)))) return E_INVALIDARG;
    pub.scope_id = 0;
    if (rtcpm_addr_format_hostport(&pub, host, sizeof(host)) < 0) return E_INVALIDARG;
    n = snprintf(buf, cap, "sip:%s%s%s;transport=%s", user, *user ? "@" : "", host,
                 transport == RTCTR_TCP ? "tcp" : "udp");
    return n > 0 && (size_t)n < cap ? S_OK : E_INVALIDARG;
}

HRESULT rtcpm_sip_flow_check(const struct rtcpm_sip_flow *flow)
{
    if (flow->transport == RTCTR_TLS) return RTC_E_SIP_TRANSPORT_NOT_SUPPORTED;
    if (flow->transport != RTCTR_UDP && flow->transport != RTCTR_TCP) return RTC_E_SIP_TRANSPORT_NOT_SUPPORTED;
    if ((flow->local.family != RTCPM_AF_INET && flow->local.family != RTCPM_AF_INET6) ||
        flow->next_hop.family != flow->local.family || !flow->next_hop.port)
        return E_INVALIDARG;
    if (flow->external.family != RTCPM_AF_NONE &&
        (flow->external.family != RTCPM_AF_INET && flow->external.family != RTCPM_AF_INET6))
        return E_INVALIDARG;
    return S_OK;
}

static int is_any(const rtcpm_addr *a)
{
    static const uint8_t zero[16];
    return !memcmp(a->bytes, zero, a->family == RTCPM_AF_INET ? 4 : 16);
}

void rtcpm_sip_flow_contact(const struct rtcpm_sip_flow *flow, const struct sip_tp *tp, rtcpm_addr *contact)
{
    if (flow->external.family != RTCPM_AF_NONE)
    {
        *contact = flow->external;
        if (!contact->port) contact->port = tp->bound.port;
        return;
    }
    *contact = tp->bound;
    /* bound to the any-address: announce the address the OS routes to the next hop from */
    if (is_any(contact))
    {
        rtcpm_addr route;
        if (rtcpm_route_local_addr(&flow->next_hop, &route, NULL) == RTCPM_SOCK_OK)
        {
            route.port = contact->port;
            *contact = route;
        }
    }
}

int rtcpm_sip_auth_line(const struct rtcpm_digest_challenge *ch, int proxy, const char *username, const char *password,
                        const char *local_uri, const char *method, const char *uri, uint32_t *nc, char *buf, size_t cap)
{
    char user[SIP_TEXT_USER_MAX + 1], cnonce[17];
    struct rtcpm_digest_answer ans;
    int secure;
    if (!username || !*username)
    {
        if (FAILED(rtcpm_sip_text_parse_uri(local_uri, &secure, user, sizeof(user)))) return -1;
        username = user;
    }
    if (rtcpm_sip_random_token(cnonce, 16)) return -1;
    memset(&ans, 0, sizeof(ans));
    ans.proxy = proxy;
    ans.username = username;
    ans.password = password;
    ans.method = method;
    ans.uri = uri;
    ans.nc = ++*nc;
    ans.cnonce = cnonce;
    return rtcpm_digest_authorization(ch, &ans, buf, cap, NULL) == RTCPM_DIGEST_OK ? 0 : -1;
}

int rtcpm_sip_pick_challenge(const struct rtcpm_sip_msg *resp, const char *realm, struct rtcpm_digest_challenge *ch,
                             int *proxy)
{
    enum rtcpm_sip_hdr kind = resp->status == 407 ? RTCPM_SIP_HDR_PROXY_AUTHENTICATE : RTCPM_SIP_HDR_WWW_AUTHENTICATE;
    size_t i = 0;
    int h;
    *proxy = resp->status == 407;
    while ((h = rtcpm_sip_msg_find(resp, kind, &i)) >= 0)
    {
        const struct rtcpm_sip_span *v = &resp->headers[h].value;
        if (rtcpm_digest_parse_challenge(v->p, v->n, ch) != RTCPM_DIGEST_OK) continue;
        if (realm && *realm && strcmp(realm, ch->realm)) continue; /* not the realm we were given */
        return 0;
    }
    memset(ch, 0, sizeof(*ch));
    return -1;
}

void rtcpm_sip_trace(struct rtcpm_sip_agent *a, int sent, int dropped, const char *why, const char *msg, size_t len,
                     const rtcpm_addr *peer)
{
    if (a->trace) a->trace(a->trace_ctx, sent, dropped, why ? why : "", msg, len, peer);
}
