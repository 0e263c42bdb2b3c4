/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtcpm — STUN Binding client (see stun_client.h for the rules it follows).
 */
#include "stun_client.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "com/log.h"
#include "os/os_platform.h"

/* Largest STUN message: 20-byte header + 16-bit length. */
#define STUN_MAX_MESSAGE (STUN_HEADER_SIZE + 0xFFFF)

void rtcpm_stun_config_init(rtcpm_stun_config *cfg)
{
    if (!cfg) return;
    memset(cfg, 0, sizeof *cfg);
    cfg->rto_ms = RTCPM_STUN_DEFAULT_RTO_MS;
    cfg->max_requests = RTCPM_STUN_DEFAULT_MAX_REQUESTS;
    cfg->final_wait_rto = RTCPM_STUN_DEFAULT_FINAL_WAIT;
    cfg->tcp_timeout_ms = RTCPM_STUN_DEFAULT_TCP_TIMEOUT_MS;
}

static int config_valid(const rtcpm_stun_config *cfg)
{
    return cfg->rto_ms > 0 && cfg->max_requests >= 1 && cfg->max_requests <= 32 && cfg->tcp_timeout_ms > 0;
}

/* Offset (ms from the first request) of request i (0-based): RTO * (2^i - 1). */
static uint64_t send_offset_ms(const rtcpm_stun_config *cfg, uint32_t i)
{
    return (uint64_t)cfg->rto_ms * ((UINT64_C(1) << i) - 1);
}

uint64_t rtcpm_stun_config_bound_ms(const rtcpm_stun_config *cfg, enum rtcpm_sock_type type)
{
    rtcpm_stun_config def;
    if (!cfg)
    {
        rtcpm_stun_config_init(&def);
        cfg = &def;
    }
    uint64_t bound = type == RTCPM_SOCK_TCP
                         ? cfg->tcp_timeout_ms
                         : send_offset_ms(cfg, cfg->max_requests - 1) + (uint64_t)cfg->final_wait_rto * cfg->rto_ms;
    if (cfg->deadline_ms && cfg->deadline_ms < bound) bound = cfg->deadline_ms;
    return bound;
}

/* ---- names ---- */

const char *rtcpm_stun_status_name(int status)
{
    switch (status)
    {
    case RTCPM_STUN_OK: return "RTCPM_STUN_OK";
    case RTCPM_STUN_E_INVALID_ARG: return "RTCPM_STUN_E_INVALID_ARG";
    case RTCPM_STUN_E_TIMEOUT: return "RTCPM_STUN_E_TIMEOUT";
    case RTCPM_STUN_E_ERROR_RESPONSE: return "RTCPM_STUN_E_ERROR_RESPONSE";
    case RTCPM_STUN_E_UNKNOWN_ATTRIBUTES: return "RTCPM_STUN_E_UNKNOWN_ATTRIBUTES";
    case RTCPM_STUN_E_MALFORMED: return "RTCPM_STUN_E_MALFORMED";
    case RTCPM_STUN_E_NO_MAPPED_ADDRESS: return "RTCPM_STUN_E_NO_MAPPED_ADDRESS";
    case RTCPM_STUN_E_SOCKET: return "RTCPM_STUN_E_SOCKET";
    case RTCPM_STUN_E_RANDOM: return "RTCPM_STUN_E_RANDOM";
    case RTCPM_STUN_E_CANCELLED: return "RTCPM_STUN_E_CANCELLED";
    }
    return "RTCPM_STUN_E_?";
}

const char *rtcpm_stun_attr_name(uint16_t attr_type)
{
    switch (attr_type)
    {
    case STUN_ATTR_XOR_MAPPED_ADDRESS: return "XOR-MAPPED-ADDRESS";
    case STUN_ATTR_XOR_MAPPED_ADDRESS_OLD: return "XOR-MAPPED-ADDRESS(0x8020)";
    case STUN_ATTR_MAPPED_ADDRESS: return "MAPPED-ADDRESS";
    }
    return "none";
}

const char *rtcpm_stun_describe(const rtcpm_stun_result *res, char *buf, size_t cap)
{
    char text[RTCPM_ADDR_HOSTPORT_TEXT_SIZE] = "";
    char os_text[160];
    if (!buf || !cap) return "";
    if (!res)
    {
        snprintf(buf, cap, "no result");
        return buf;
    }
    rtcpm_addr_format_hostport(&res->server, text, sizeof text);
    switch (res->status)
    {
    case RTCPM_STUN_OK:
        rtcpm_addr_format_hostport(&res->mapped, text, sizeof text);
        snprintf(buf, cap, "mapped %s via %s", text, rtcpm_stun_attr_name(res->mapped_from));
        break;
    case RTCPM_STUN_E_TIMEOUT:
        snprintf(buf, cap, "no answer from %s after %u request(s) (%llu ms)", text, (unsigned)res->requests_sent,
                 (unsigned long long)res->elapsed_ms);
        break;
    case RTCPM_STUN_E_ERROR_RESPONSE:
        snprintf(buf, cap, "%s answered error %d %s", text, res->error_code, res->error_reason);
        break;
    case RTCPM_STUN_E_UNKNOWN_ATTRIBUTES:
        snprintf(buf, cap,
                 "%s answered with %u unknown comprehension-required attribute(s),"
                 " first 0x%04X",
                 text, (unsigned)res->unknown_count, res->unknown_count ? res->unknown_attributes[0] : 0);
        break;
    case RTCPM_STUN_E_MALFORMED:
        snprintf(buf, cap, "%s answered only with malformed responses (%s)", text,
                 rtcpm_stun_error_name(res->codec_error));
        break;
    case RTCPM_STUN_E_NO_MAPPED_ADDRESS: snprintf(buf, cap, "%s answered without a mapped address", text); break;
    case RTCPM_STUN_E_SOCKET:
        snprintf(buf, cap, "socket error talking to %s: %s (%s)", text, rtcpm_sock_error_name(res->sock_error),
                 res->os_error ? rtcpm_os_error_text(res->os_error, os_text, sizeof os_text) : "no OS error");
        break;
    case RTCPM_STUN_E_RANDOM: snprintf(buf, cap, "the OS random source failed"); break;
    case RTCPM_STUN_E_CANCELLED: snprintf(buf, cap, "cancelled while asking %s", text); break;
    default: snprintf(buf, cap, "invalid argument"); break;
    }
    return buf;
}

/* ---- one transaction ---- */

struct transaction
{
    rtcpm_socket *sock;
    const rtcpm_stun_config *cfg;
    rtcpm_addr server;
    stun_txid txid;
    uint8_t request[512];
    size_t request_len;
    uint8_t *buf; /* STUN_MAX_MESSAGE bytes */
    uint64_t start_us;
    uint64_t end_us; /* the deadline */
    uint64_t last_send_us;
    int pending_failure; /* MALFORMED / NO_MAPPED_ADDRESS to report instead of TIMEOUT */
    rtcpm_stun_result *res;
};

static int new_txid(struct transaction *t)
{
    uint8_t bytes[16];
    size_t len = t->cfg->classic ? 16 : 12;
    for (int tries = 0; tries < 4; tries++)
    {
        if (rtcpm_random_bytes(bytes, len) != 0) return RTCPM_STUN_E_RANDOM;
        /* a classic ID starting with the cookie would be read as RFC 5389: draw again */
        if (rtcpm_stun_txid_init(&t->txid, bytes, len) == STUN_OK) return RTCPM_STUN_OK;
    }
    return RTCPM_STUN_E_RANDOM;
}

/* Does the raw header carry our transaction ID (and cookie, for a 96-bit one)? */
static int header_matches(const struct transaction *t, const uint8_t *msg, size_t len)
{
    if (len < STUN_HEADER_SIZE) return 0;
    if (t->txid.len == 12)
    {
        static const uint8_t cookie[4] = { 0x21, 0x12, 0xA4, 0x42 };
        return !memcmp(msg + 4, cookie, 4) && !memcmp(msg + 8, t->txid.bytes, 12);
    }
    return !memcmp(msg + 4, t->txid.bytes, 16);
}

enum verdict
{
    KEEP_WAITING,
    DONE
};

/* Judges one message that came from the server. DONE: *status is final. */
static enum verdict judge(struct transaction *t, const uint8_t *msg, size_t len, int *status)
{
    rtcpm_stun_result *res = t->res;
    if (!header_matches(t, msg, len))
    {
        res->ignored++;
        RTCPM_TRACE(RTCPM_LOG_STUN, "ignoring %u bytes: not our transaction", (unsigned)len);
        return KEEP_WAITING;
    }
    stun_message *m = malloc(sizeof *m);
    if (!m)
    {
        res->ignored++;
        return KEEP_WAITING;
    }
    int rc = rtcpm_stun_decode(msg, len, m);
    enum verdict v = KEEP_WAITING;
    if (rc < 0)
    {
        res->discarded++;
        res->codec_error = rc;
        t->pending_failure = RTCPM_STUN_E_MALFORMED;
        RTCPM_TRACE(RTCPM_LOG_STUN, "discarding malformed answer: %s", rtcpm_stun_error_name(rc));
    }
    else if (m->method != STUN_METHOD_BINDING ||
             (m->message_class != STUN_CLASS_SUCCESS && m->message_class != STUN_CLASS_ERROR))
    {
        res->ignored++;
    }
    else if (m->message_class == STUN_CLASS_ERROR)
    {
        res->error_code = m->error_code;
        size_t n =
            m->error_reason_len < sizeof res->error_reason - 1 ? m->error_reason_len : sizeof res->error_reason - 1;
        memcpy(res->error_reason, m->error_reason, n);
        res->error_reason[n] = '\0';
        res->alternate_server = m->alternate_server;
        *status = RTCPM_STUN_E_ERROR_RESPONSE;
        v = DONE;
    }
    else if (rc == STUN_DECODE_UNKNOWN_ATTRIBUTES)
    {
        res->unknown_count = m->unknown_count;
        memcpy(res->unknown_attributes, m->unknown_attributes, sizeof res->unknown_attributes);
        *status = RTCPM_STUN_E_UNKNOWN_ATTRIBUTES;
        v = DONE;
    }
    else if (m->mapped_from == 0)
    {
        res->discarded++;
        if (t->pending_failure != RTCPM_STUN_E_MALFORMED) t->pending_failure = RTCPM_STUN_E_NO_MAPPED_ADDRESS;
    }
    else
    {
        res->mapped = m->mapped;
        res->mapped_from = m->mapped_from;
        res->other_address = m->other_address;
        *status = RTCPM_STUN_OK;
        v = DONE;
    }
    free(m);
    return v;
}

/* The server address as the OS reports a datagram's source: a configured scope-less
 * address matches any scope (the OS fills in the interface for link-local sources). */
static int from_server(const struct transaction *t, const rtcpm_addr *from)
{
    rtcpm_addr f = *from;
    if (t->server.family == RTCPM_AF_INET6 && t->server.scope_id == 0) f.scope_id = 0;
    return rtcpm_addr_equal(&f, &t->server);
}

static int socket_failure(struct transaction *t, int sock_rc)
{
    t->res->sock_error = sock_rc;
    t->res->os_error = rtcpm_socket_os_error(t->sock);
    return RTCPM_STUN_E_SOCKET;
}

/* ms to wait from now_us until until_us, rounded up so we never spin; 0 when due. */
static int wait_ms(uint64_t now_us, uint64_t until_us)
{
    if (until_us <= now_us) return 0;
    uint64_t ms = (until_us - now_us + 999) / 1000;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

static int run_udp(struct transaction *t)
{
    const rtcpm_stun_config *cfg = t->cfg;
    uint32_t sent = 0;
    for (;;)
    {
        uint64_t now = rtcpm_clock_us();
        if (cfg->cancelled && cfg->cancelled(cfg->cancel_ctx)) return RTCPM_STUN_E_CANCELLED;
        if (now >= t->end_us) return t->pending_failure ? t->pending_failure : RTCPM_STUN_E_TIMEOUT;
        uint64_t next_send = sent < cfg->max_requests ? t->start_us + send_offset_ms(cfg, sent) * 1000u : UINT64_MAX;
        if (now >= next_send)
        {
            int rc = rtcpm_socket_sendto(t->sock, t->request, t->request_len, &t->server);
            if (rc != RTCPM_SOCK_OK) return socket_failure(t, rc);
            t->last_send_us = now;
            t->res->requests_sent++;
            sent++;
            RTCPM_TRACE(RTCPM_LOG_STUN, "request %u sent at %llu ms", (unsigned)sent,
                        (unsigned long long)((now - t->start_us) / 1000u));
            continue;
        }
        uint64_t wake = next_send < t->end_us ? next_send : t->end_us;
        if (cfg->cancelled && wake > now + RTCPM_STUN_CANCEL_POLL_MS * 1000u)
            wake = now + RTCPM_STUN_CANCEL_POLL_MS * 1000u;
        size_t got = 0;
        rtcpm_addr from;
        int rc = rtcpm_socket_recvfrom(t->sock, t->buf, STUN_MAX_MESSAGE, &got, &from, wait_ms(now, wake));
        if (rc == RTCPM_SOCK_E_TIMEOUT) continue;
        if (rc == RTCPM_SOCK_E_TRUNCATED)
        {
            t->res->ignored++; /* cannot be STUN: larger than any STUN message */
            continue;
        }
        if (rc != RTCPM_SOCK_OK) return socket_failure(t, rc);
        uint64_t arrived = rtcpm_clock_us();
        if (!from_server(t, &from))
        {
            t->res->ignored++;
            continue;
        }
        int status;
        if (judge(t, t->buf, got, &status) == DONE)
        {
            t->res->rtt_us = arrived - t->last_send_us;
            return status;
        }
    }
}

/* ms left before the deadline, at least 0. */
static int left_ms(const struct transaction *t) { return wait_ms(rtcpm_clock_us(), t->end_us); }

static int run_tcp(struct transaction *t)
{
    int rc = rtcpm_socket_connect(t->sock, &t->server, left_ms(t));
    if (rc == RTCPM_SOCK_E_TIMEOUT) return RTCPM_STUN_E_TIMEOUT;
    if (rc != RTCPM_SOCK_OK) return socket_failure(t, rc);
    t->last_send_us = rtcpm_clock_us();
    rc = rtcpm_socket_send_all(t->sock, t->request, t->request_len, left_ms(t));
    if (rc == RTCPM_SOCK_E_TIMEOUT) return RTCPM_STUN_E_TIMEOUT;
    if (rc != RTCPM_SOCK_OK) return socket_failure(t, rc);
    t->res->requests_sent = 1;

    /* Stream framing (RFC 5389 7.2.2): a 20-byte header, then its length field's bytes. */
    for (;;)
    {
        rc = rtcpm_socket_recv_exact(t->sock, t->buf, STUN_HEADER_SIZE, left_ms(t));
        if (rc == RTCPM_SOCK_OK)
        {
            size_t body = (size_t)t->buf[2] << 8 | t->buf[3];
            if ((t->buf[0] & 0xC0) || body % 4)
            {
                /* not STUN framing: the stream cannot be resynchronised */
                t->res->discarded++;
                t->res->codec_error = (t->buf[0] & 0xC0) ? STUN_E_NOT_STUN : STUN_E_LENGTH_NOT_ALIGNED;
                return RTCPM_STUN_E_MALFORMED;
            }
            rc = rtcpm_socket_recv_exact(t->sock, t->buf + STUN_HEADER_SIZE, body, left_ms(t));
            if (rc == RTCPM_SOCK_OK)
            {
                uint64_t arrived = rtcpm_clock_us();
                int status;
                if (judge(t, t->buf, STUN_HEADER_SIZE + body, &status) == DONE)
                {
                    t->res->rtt_us = arrived - t->last_send_us;
                    return status;
                }
                continue;
            }
        }
        if (rc == RTCPM_SOCK_E_TIMEOUT) return t->pending_failure ? t->pending_failure : RTCPM_STUN_E_TIMEOUT;
        if (rc == RTCPM_SOCK_E_CLOSED && t->pending_failure) return t->pending_failure;
        return socket_failure(t, rc);
    }
}

static void result_reset(rtcpm_stun_result *res) { memset(res, 0, sizeof *res); }

static int binding_once(rtcpm_socket *s, const rtcpm_addr *server, const rtcpm_stun_config *cfg, uint64_t cap_ms,
                        rtcpm_stun_result *res)
{
    struct transaction t;
    memset(&t, 0, sizeof t);
    t.sock = s;
    t.cfg = cfg;
    t.server = *server;
    t.res = res;
    res->server = *server;
    rtcpm_socket_local_addr(s, &res->local);

    int status = new_txid(&t);
    if (status != RTCPM_STUN_OK) return status;
    int len = rtcpm_stun_encode_binding_request(t.request, sizeof t.request, &t.txid, cfg->software, cfg->fingerprint);
    if (len < 0) return RTCPM_STUN_E_INVALID_ARG; /* SOFTWARE too long */
    t.request_len = (size_t)len;
    t.buf = malloc(STUN_MAX_MESSAGE);
    if (!t.buf)
    {
        res->sock_error = RTCPM_SOCK_E_OTHER;
        return RTCPM_STUN_E_SOCKET;
    }

    enum rtcpm_sock_type type = rtcpm_socket_type(s);
    uint64_t bound = rtcpm_stun_config_bound_ms(cfg, type);
    if (cap_ms && cap_ms < bound) bound = cap_ms;
    t.start_us = rtcpm_clock_us();
    t.end_us = t.start_us + bound * 1000u;

    if (rtcpm_log_enabled(RTCPM_LOG_STUN))
    {
        char text[RTCPM_ADDR_HOSTPORT_TEXT_SIZE] = "";
        rtcpm_addr_format_hostport(server, text, sizeof text);
        RTCPM_TRACE(RTCPM_LOG_STUN, "%s Binding to %s, %s request, bound %llu ms",
                    type == RTCPM_SOCK_TCP ? "TCP" : "UDP", text, cfg->classic ? "RFC 3489" : "RFC 5389",
                    (unsigned long long)bound);
    }
    status = type == RTCPM_SOCK_TCP ? run_tcp(&t) : run_udp(&t);
    free(t.buf);
    return status;
}

/* The start of a public call: its result goes to res, else to *dummy (reset either way); it
 * runs with cfg, else with the defaults in *def. Returns where the result goes. */
static rtcpm_stun_result *call_begin(rtcpm_stun_result *res, rtcpm_stun_result *dummy, const rtcpm_stun_config **cfg,
                                     rtcpm_stun_config *def)
{
    if (!res) res = dummy;
    result_reset(res);
    if (!*cfg)
    {
        rtcpm_stun_config_init(def);
        *cfg = def;
    }
    return res;
}

int rtcpm_stun_binding(rtcpm_socket *s, const rtcpm_addr *server, const rtcpm_stun_config *cfg, rtcpm_stun_result *res)
{
    rtcpm_stun_result dummy;
    rtcpm_stun_config def;
    res = call_begin(res, &dummy, &cfg, &def);
    uint64_t start = rtcpm_clock_ms();
    int status;
    if (!s || !server || !config_valid(cfg) || server->family != rtcpm_socket_family(s) || server->port == 0)
    {
        status = RTCPM_STUN_E_INVALID_ARG;
        if (server) res->server = *server;
    }
    else
    {
        status = binding_once(s, server, cfg, 0, res);
    }
    res->elapsed_ms = rtcpm_clock_ms() - start;
    res->status = status;
    if (rtcpm_log_enabled(RTCPM_LOG_STUN))
    {
        char text[256];
        RTCPM_TRACE(RTCPM_LOG_STUN, "%s: %s", rtcpm_stun_status_name(status),
                    rtcpm_stun_describe(res, text, sizeof text));
    }
    return status;
}

int rtcpm_stun_binding_list(rtcpm_socket *s, const rtcpm_addr *servers, size_t count, const rtcpm_stun_config *cfg,
                            uint32_t total_deadline_ms, rtcpm_stun_result *res)
{
    rtcpm_stun_result dummy;
    rtcpm_stun_config def;
    res = call_begin(res, &dummy, &cfg, &def);
    uint64_t start = rtcpm_clock_ms();
    if (!s || (!servers && count) || !config_valid(cfg) || rtcpm_socket_type(s) != RTCPM_SOCK_UDP)
    {
        res->status = RTCPM_STUN_E_INVALID_ARG;
        return res->status;
    }
    int status = RTCPM_STUN_E_INVALID_ARG;
    uint32_t requests = 0, ignored = 0, discarded = 0;
    for (size_t i = 0; i < count; i++)
    {
        if (servers[i].family != rtcpm_socket_family(s) || servers[i].port == 0) continue;
        uint64_t cap = 0;
        if (total_deadline_ms)
        {
            uint64_t used = rtcpm_clock_ms() - start;
            if (used >= total_deadline_ms)
            {
                status = RTCPM_STUN_E_TIMEOUT;
                break;
            }
            cap = total_deadline_ms - used;
        }
        result_reset(res);
        status = binding_once(s, &servers[i], cfg, cap, res);
        res->server_index = i;
        requests += res->requests_sent;
        ignored += res->ignored;
        discarded += res->discarded;
        if (status == RTCPM_STUN_OK || status == RTCPM_STUN_E_RANDOM || status == RTCPM_STUN_E_CANCELLED) break;
        if (rtcpm_log_enabled(RTCPM_LOG_STUN))
        {
            char text[256];
            res->status = status;
            RTCPM_TRACE(RTCPM_LOG_STUN, "server %u failed (%s), trying the next", (unsigned)i,
                        rtcpm_stun_describe(res, text, sizeof text));
        }
    }
    res->requests_sent = requests;
    res->ignored = ignored;
    res->discarded = discarded;
    res->elapsed_ms = rtcpm_clock_ms() - start;
    res->status = status;
    return status;
}

/* ---- server list text ---- */

int rtcpm_stun_parse_servers(const char *text, rtcpm_addr *out, size_t cap)
{
    if (!text || (!out && cap)) return -1;
    size_t n = 0;
    const char *p = text;
    for (;;)
    {
        while (*p == ' ' || *p == '\t') p++;
        const char *e = p;
        while (*e && *e != ',') e++;
        const char *end = e;
        while (end > p && (end[-1] == ' ' || end[-1] == '\t')) end--;
        if (end == p || n == cap) return -1;
        if (rtcpm_addr_parse_hostport(p, (size_t)(end - p), &out[n], RTCPM_STUN_DEFAULT_PORT) != 0) return -1;
        n++;
        if (!*e) break;
        p = e + 1;
    }
    return (int)n;
}
