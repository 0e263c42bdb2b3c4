/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * demo_pms.c — rtcpm-demo's negotiating port managers; see demo_pms.h.
 */
#include "demo_pms.h"

#include <stdio.h>
#include <string.h>

#include "demo_net.h"

static void pcp_reason(void *ctx, char *buf, size_t len) { rtcpm_pcp_pm_last_error(ctx, buf, len); }
static void upnp_reason(void *ctx, char *buf, size_t len) { rtcpm_upnp_pm_last_error(ctx, buf, len); }
static void auto_reason(void *ctx, char *buf, size_t len) { rtcpm_auto_pm_last_error(ctx, buf, len); }

const char *demo_pm_kind_name(enum demo_pm_kind kind)
{
    return kind == DEMO_PM_PCP ? "PCP" : kind == DEMO_PM_UPNP ? "UPnP" : "automatic";
}

/* --local-port / --rtp-port as ranges: SIP on that port, RTP/RTCP and video on the four from
 * the (even) RTP port. */
static int ranges(const struct demo_pm_request *rq, struct rtcpm_port_range *r, LONG *n)
{
    *n = 0;
    if (rq->sip_port) r[(*n)++] = (struct rtcpm_port_range){ RTCPT_SIP, 0, rq->sip_port, rq->sip_port };
    if (rq->rtp_port % 2)
    {
        fprintf(stderr, "rtcpm-demo: --rtp-port %ld: RTP goes on an even port\n", (long)rq->rtp_port);
        return DEMO_EXIT_USAGE;
    }
    if (rq->rtp_port)
    {
        r[(*n)++] = (struct rtcpm_port_range){ RTCPT_AUDIO_RTP, 0, rq->rtp_port, rq->rtp_port + 1 };
        r[(*n)++] = (struct rtcpm_port_range){ RTCPT_VIDEO_RTP, 0, rq->rtp_port + 2, rq->rtp_port + 3 };
    }
    return 0;
}

static HRESULT make(const struct demo_pm_request *rq, IRTCPortManager3 **out, char *err, size_t errlen)
{
    if (rq->kind == DEMO_PM_PCP)
    {
        struct rtcpm_pcp_pm_config c;
        rtcpm_pcp_pm_config_init(&c);
        c.server = rq->arg;
        c.local_address = rq->local;
        if (ranges(rq, c.ranges, &c.range_count)) return E_INVALIDARG;
        return rtcpm_pcp_pm_create_ex(&c, out, err, errlen);
    }
    if (rq->kind == DEMO_PM_UPNP)
    {
        struct rtcpm_upnp_pm_config c;
        char first[64] = "";
        rtcpm_upnp_pm_config_init(&c);
        if (rq->stun) snprintf(first, sizeof(first), "%.*s", (int)strcspn(rq->stun, ","), rq->stun);
        c.igd_url = rq->arg;
        c.stun = rq->stun ? first : NULL;
        c.local_address = rq->local;
        if (ranges(rq, c.ranges, &c.range_count)) return E_INVALIDARG;
        return rtcpm_upnp_pm_create_ex(&c, out, err, errlen);
    }
    {
        struct rtcpm_auto_pm_config c;
        rtcpm_auto_pm_config_init(&c);
        c.stun = rq->stun;
        c.local_address = rq->local;
        if (ranges(rq, c.ranges, &c.range_count)) return E_INVALIDARG;
        return rtcpm_auto_pm_create_ex(&c, out, err, errlen);
    }
}

int demo_make_negotiating_pm(const struct demo_pm_request *rq, IRTCPortManager3 **out,
                             void (**reason)(void *ctx, char *buf, size_t len))
{
    char err[512] = "", name[11];
    HRESULT hr = make(rq, out, err, sizeof(err));
    if (FAILED(hr))
    {
        if (err[0] || hr != E_INVALIDARG)
            fprintf(stderr, "rtcpm-demo: %s port manager: %s\n", demo_pm_kind_name(rq->kind),
                    err[0] ? err : rtcpm_hresult_name(hr, name));
        return hr == E_INVALIDARG ? DEMO_EXIT_USAGE : DEMO_EXIT_INTERNAL;
    }
    *reason = rq->kind == DEMO_PM_PCP ? pcp_reason : rq->kind == DEMO_PM_UPNP ? upnp_reason : auto_reason;
    return 0;
}
