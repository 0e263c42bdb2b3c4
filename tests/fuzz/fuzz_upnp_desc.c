/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_upnp_desc.c — the UPnP XML the native UPnP IGD port manager reads from the network.
 * The XML parsing itself is libminiupnpc's (parserootdesc, and its SOAP answer parser inside
 * UPNP_GetExternalIPAddress): not ours, not instrumented here. What is fuzzed is our entry
 * point that feeds it and decides what to use: rtcpm_upnp_igd_parse_desc (a root description
 * -> the connection service's absolute control URL and type) and
 * rtcpm_upnp_igd_parse_external (the external address text an IGD answers).
 *
 * Checks besides "no crash, no read past the input":
 *  - a success gives a control URL that is http://host..., printable, shorter than
 *    RTCPM_UPNP_URL_MAX, and a WANIPConnection or WANPPPConnection service type; a failure
 *    leaves the result zeroed and says why;
 *  - the same bytes give the same answer again, and under another description URL the
 *    control URL either follows that URL (relative) or stays as it was (absolute);
 *  - an accepted external address is a unicast IPv4/IPv6 literal that formats and parses
 *    back to itself.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_check.h"
#include "pm/upnp_igd.h"

static int zeroed(const void *p, size_t n)
{
    const unsigned char *b = p;
    size_t i;
    for (i = 0; i < n; i++)
        if (b[i]) return 0;
    return 1;
}

static void check_desc(const char *xml, size_t len)
{
    struct rtcpm_upnp_igd_desc a, b;
    char why[256] = "", why2[256] = "";
    const char *p;
    int ra = rtcpm_upnp_igd_parse_desc(xml, len, "http://198.18.1.1:5000/rootDesc.xml", &a, why, sizeof(why));
    int rb = rtcpm_upnp_igd_parse_desc(xml, len, "http://198.18.1.1:5000/rootDesc.xml", &b, why2, sizeof(why2));
    FUZZ_CHECK(ra == rb && !memcmp(&a, &b, sizeof(a)));
    if (ra)
    {
        FUZZ_CHECK(ra == -1 && zeroed(&a, sizeof(a)) && why[0]);
        return;
    }
    FUZZ_CHECK(!strncmp(a.control_url, "http://", 7) && strlen(a.control_url) < RTCPM_UPNP_URL_MAX);
    for (p = a.control_url; *p; p++) FUZZ_CHECK(*p > ' ' && *p <= '~');
    FUZZ_CHECK(!strncmp(a.service_type, "urn:schemas-upnp-org:service:WANIPConnection:", 45) ||
               !strncmp(a.service_type, "urn:schemas-upnp-org:service:WANPPPConnection:", 46));
    /* under another description URL a relative control URL follows it; an absolute one stays */
    if (rtcpm_upnp_igd_parse_desc(xml, len, "http://10.0.0.1/d.xml", &b, why2, sizeof(why2)) == 0)
        FUZZ_CHECK(strstr(b.control_url, "http://10.0.0.1") == b.control_url || !strcmp(a.control_url, b.control_url));
}

static void check_external(const char *text)
{
    rtcpm_addr a, back;
    char buf[RTCPM_ADDR_TEXT_SIZE];
    if (rtcpm_upnp_igd_parse_external(text, &a))
    {
        FUZZ_CHECK(zeroed(&a, sizeof(a)));
        return;
    }
    FUZZ_CHECK(a.family == RTCPM_AF_INET || a.family == RTCPM_AF_INET6);
    FUZZ_CHECK(rtcpm_addr_format(&a, buf, sizeof(buf)) > 0);
    FUZZ_CHECK(!rtcpm_upnp_igd_parse_external(buf, &back) && rtcpm_addr_equal(&a, &back));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_alloc(size + 1), line[128];
    size_t n = 0;
    if (size) memcpy(text, data, size);
    text[size] = 0;
    check_desc(text, size);
    while (n < size && n + 1 < sizeof(line) && text[n] != '\n' && text[n]) line[n] = text[n], n++;
    line[n] = 0;
    check_external(line);
    free(text);
    return 0;
}
