/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_pcp_pm_util.c — the helpers of test_pcp_pm.h.
 */
#include "test_pcp_pm.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "com/bstr_util.h"
#include "os/socket.h"
#include "test_thread.h"

IRTCPortManager3 *pcp_pm_with_server(struct fake_pcp_server *srv, const struct fake_pcp_options *opt, const char *f,
                                     ...)
{
    struct fake_pcp_options none;
    rtcpm_addr lo = test_addr("127.0.0.1", 0);
    char rest[1024], text[1400], err[300], server[RTCPM_ADDR_HOSTPORT_TEXT_SIZE];
    IRTCPortManager3 *pm = NULL;
    va_list ap;
    HRESULT hr;
    memset(&none, 0, sizeof(none));
    CU_ASSERT_EQUAL_FATAL(fake_pcp_start(srv, &lo, opt ? opt : &none, NULL), RTCPM_SOCK_OK);
    va_start(ap, f);
    vsnprintf(rest, sizeof(rest), f, ap);
    va_end(ap);
    rtcpm_addr_format_hostport(&srv->addr, server, sizeof(server));
    snprintf(text, sizeof(text), "[pcp]\nserver = %s\nlocal-address = 127.0.0.1\n%s%s", server,
             strstr(rest, "announce") ? "" : "announce = off\n", rest);
    hr = rtcpm_pcp_pm_create_from_string(text, "test.ini", &pm, err, sizeof(err));
    if (hr != S_OK) printf("\n    config rejected: %s\n%s\n", err, text);
    CU_ASSERT_EQUAL_FATAL(hr, S_OK);
    return pm;
}

void pcp_pm_done(IRTCPortManager3 *pm, struct fake_pcp_server *srv)
{
    CU_ASSERT_EQUAL(IRTCPortManager3_Release(pm), 0);
    fake_pcp_stop(srv);
}

struct pcp_mapping pcp_get(IRTCPortManager3 *pm, LONG transport, int type)
{
    struct pcp_mapping m;
    BSTR ia = NULL, ea = NULL;
    uint64_t t0 = rtcpm_clock_ms();
    size_t len;
    memset(&m, 0, sizeof(m));
    m.hr = IRTCPortManager3_GetMappingEx(pm, NULL, 0, transport, (RTC_PORT_TYPE)type, &ia, &m.internal_port, &ea,
                                         &m.external_port);
    m.ms = rtcpm_clock_ms() - t0;
    if (FAILED(m.hr))
    {
        CU_ASSERT_PTR_NULL(ia);
        CU_ASSERT_PTR_NULL(ea);
        CU_ASSERT_EQUAL(m.internal_port, 0);
        CU_ASSERT_EQUAL(m.external_port, 0);
        return m;
    }
    CU_ASSERT_EQUAL(rtcpm_bstr_to_utf8(ia, m.internal, sizeof(m.internal), &len), S_OK);
    CU_ASSERT_EQUAL(rtcpm_bstr_to_utf8(ea, m.external, sizeof(m.external), &len), S_OK);
    SysFreeString(ia);
    SysFreeString(ea);
    return m;
}

HRESULT pcp_release(IRTCPortManager3 *pm, LONG transport, const struct pcp_mapping *m)
{
    BSTR ia = rtcpm_bstr_from_cstr(m->internal), ea = rtcpm_bstr_from_cstr(m->external);
    HRESULT hr = IRTCPortManager3_ReleaseMappingEx(pm, transport, ia, m->internal_port, ea, m->external_port);
    SysFreeString(ia);
    SysFreeString(ea);
    return hr;
}

LONG pcp_wait_stat(IRTCPortManager3 *pm, size_t offset, LONG want, unsigned ms)
{
    uint64_t end = rtcpm_clock_ms() + ms;
    struct rtcpm_pcp_pm_stats st;
    LONG v;
    for (;;)
    {
        rtcpm_pcp_pm_get_stats(pm, &st);
        v = *(const LONG *)((const char *)&st + offset);
        if (v >= want || rtcpm_clock_ms() >= end) return v;
        test_sleep_ms(20);
    }
}
