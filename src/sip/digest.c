/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * digest.c — digest challenges read and answers written. See digest.h.
 *
 * Challenge grammar (RFC 2617 section 1.2, 3.2.1): "Digest" 1*SP auth-param *("," auth-param),
 * auth-param = token "=" ( token / quoted-string ), with optional whitespace around '=' and
 * ','. Unknown parameters are skipped; a parameter given twice keeps its first value.
 */
#include <stdio.h>
#include <string.h>
#include "digest.h"
#include "md5.h"
#include "text_out.h"

const char *rtcpm_digest_error_name(int err)
{
    static const char *const names[] = {
        "RTCPM_DIGEST_OK",       "RTCPM_DIGEST_E_INVALID",     "RTCPM_DIGEST_E_NOT_DIGEST",
        "RTCPM_DIGEST_E_SYNTAX", "RTCPM_DIGEST_E_UNSUPPORTED", "RTCPM_DIGEST_E_TOO_LONG",
        "RTCPM_DIGEST_E_BUFFER"
    };
    return err <= 0 && -err < (int)(sizeof(names) / sizeof(names[0])) ? names[-err] : "RTCPM_DIGEST_E_?";
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static int ieqn(const char *a, size_t n, const char *lit)
{
    size_t i;
    if (strlen(lit) != n) return 0;
    for (i = 0; i < n; i++)
        if (lower(a[i]) != lower(lit[i])) return 0;
    return 1;
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int is_token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("-.!%*_+`'~", c));
}

struct cursor
{
    const char *p, *end;
};

static void skip_ws(struct cursor *c)
{
    while (c->p < c->end && is_ws(*c->p)) c->p++;
}

/* A token or quoted-string value, unescaped into out[RTCPM_DIGEST_VALUE_MAX + 1]. */
static int read_value(struct cursor *c, char *out)
{
    size_t n = 0;
    if (c->p < c->end && *c->p == '"')
    {
        for (c->p++; c->p < c->end && *c->p != '"'; c->p++)
        {
            if (*c->p == '\\' && ++c->p == c->end) return RTCPM_DIGEST_E_SYNTAX;
            if ((unsigned char)*c->p < 0x20 && *c->p != '\t') return RTCPM_DIGEST_E_SYNTAX;
            if (n == RTCPM_DIGEST_VALUE_MAX) return RTCPM_DIGEST_E_TOO_LONG;
            out[n++] = *c->p;
        }
        if (c->p == c->end) return RTCPM_DIGEST_E_SYNTAX;
        c->p++;
    }
    else
    {
        for (; c->p < c->end && is_token_char(*c->p); c->p++)
        {
            if (n == RTCPM_DIGEST_VALUE_MAX) return RTCPM_DIGEST_E_TOO_LONG;
            out[n++] = *c->p;
        }
        if (!n) return RTCPM_DIGEST_E_SYNTAX;
    }
    out[n] = 0;
    return RTCPM_DIGEST_OK;
}

/* qop-options: a comma-separated list inside the quoted value. */
static void read_qop(const char *v, struct rtcpm_digest_challenge *out)
{
    while (*v)
    {
        size_t n;
        while (*v == ',' || is_ws(*v)) v++;
        n = strcspn(v, ", \t");
        if (ieqn(v, n, "auth")) out->qop_auth = 1;
        v += n;
    }
}

/* Stores one parameter; seen bits keep the first value of each. */
static int apply_param(const char *name, size_t n, const char *v, unsigned *seen, struct rtcpm_digest_challenge *out,
                       int *qop_present)
{
    static const char *const known[] = { "realm", "nonce", "opaque", "algorithm", "qop", "stale" };
    unsigned i;
    for (i = 0; i < sizeof(known) / sizeof(known[0]) && !ieqn(name, n, known[i]); i++)
    {
    }
    if (i == sizeof(known) / sizeof(known[0]) || (*seen & (1u << i))) return RTCPM_DIGEST_OK;
    *seen |= 1u << i;
    switch (i)
    {
    case 0: strcpy(out->realm, v); break;
    case 1: strcpy(out->nonce, v); break;
    case 2:
        strcpy(out->opaque, v);
        out->has_opaque = 1;
        break;
    case 3:
        out->has_algorithm = 1;
        if (ieqn(v, strlen(v), "MD5-sess"))
            out->md5_sess = 1;
        else if (!ieqn(v, strlen(v), "MD5"))
            return RTCPM_DIGEST_E_UNSUPPORTED;
        break;
    case 4:
        *qop_present = 1;
        read_qop(v, out);
        break;
    default: out->stale = ieqn(v, strlen(v), "true"); break;
    }
    return RTCPM_DIGEST_OK;
}

static int parse_params(struct cursor *c, struct rtcpm_digest_challenge *out)
{
    char value[RTCPM_DIGEST_VALUE_MAX + 1];
    unsigned seen = 0;
    int qop_present = 0, rc;
    for (;;)
    {
        const char *name;
        skip_ws(c);
        if (c->p == c->end) break;
        for (name = c->p; c->p < c->end && is_token_char(*c->p); c->p++)
        {
        }
        if (c->p == name) return RTCPM_DIGEST_E_SYNTAX;
        {
            size_t n = (size_t)(c->p - name);
            skip_ws(c);
            if (c->p == c->end || *c->p != '=') return RTCPM_DIGEST_E_SYNTAX;
            c->p++;
            skip_ws(c);
            if ((rc = read_value(c, value))) return rc;
            if ((rc = apply_param(name, n, value, &seen, out, &qop_present))) return rc;
        }
        skip_ws(c);
        if (c->p == c->end) break;
        if (*c->p != ',') return RTCPM_DIGEST_E_SYNTAX;
        c->p++;
    }
    if (!(seen & 1u) || !(seen & 2u) || !out->nonce[0]) return RTCPM_DIGEST_E_SYNTAX;
    if (qop_present && !out->qop_auth) return RTCPM_DIGEST_E_UNSUPPORTED; /* auth-int only */
    return RTCPM_DIGEST_OK;
}

int rtcpm_digest_parse_challenge(const char *value, size_t len, struct rtcpm_digest_challenge *out)
{
    struct cursor c;
    int rc;
    if (!out) return RTCPM_DIGEST_E_INVALID;
    memset(out, 0, sizeof(*out));
    if (!value) return RTCPM_DIGEST_E_INVALID;
    c.p = value;
    c.end = value + len;
    skip_ws(&c);
    if ((size_t)(c.end - c.p) < 6 || !ieqn(c.p, 6, "Digest")) return RTCPM_DIGEST_E_NOT_DIGEST;
    c.p += 6;
    if (c.p < c.end && !is_ws(*c.p)) return RTCPM_DIGEST_E_NOT_DIGEST; /* "DigestX" */
    if ((rc = parse_params(&c, out))) memset(out, 0, sizeof(*out));
    return rc;
}

/* ---- the answer ---- */

static void md5_join(char hex[33], const char *const *parts, size_t count)
{
    struct rtcpm_md5 m;
    unsigned char d[16];
    size_t i;
    rtcpm_md5_init(&m);
    for (i = 0; i < count; i++)
    {
        if (i) rtcpm_md5_update(&m, ":", 1);
        rtcpm_md5_update(&m, parts[i], strlen(parts[i]));
    }
    rtcpm_md5_final(&m, d);
    for (i = 0; i < 16; i++) sprintf(hex + 2 * i, "%02x", d[i]);
}

static int valid_text(const char *s)
{
    if (!s) return 0;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return 0;
    return 1;
}

int rtcpm_digest_response(const struct rtcpm_digest_challenge *c, const struct rtcpm_digest_answer *a, char out[33])
{
    char ha1[33], ha2[33], nc[9];
    if (!c || !a || !out || !valid_text(a->username) || !a->password || !valid_text(a->method) || !valid_text(a->uri))
        return RTCPM_DIGEST_E_INVALID;
    if ((c->qop_auth || c->md5_sess) && (!a->cnonce || !*a->cnonce || !valid_text(a->cnonce) || strchr(a->cnonce, '"')))
        return RTCPM_DIGEST_E_INVALID;
    snprintf(nc, sizeof(nc), "%08x", (unsigned)a->nc);
    md5_join(ha1, (const char *const[]){ a->username, c->realm, a->password }, 3);
    if (c->md5_sess) md5_join(ha1, (const char *const[]){ ha1, c->nonce, a->cnonce }, 3);
    md5_join(ha2, (const char *const[]){ a->method, a->uri }, 2);
    if (c->qop_auth)
        md5_join(out, (const char *const[]){ ha1, c->nonce, nc, a->cnonce, "auth", ha2 }, 6);
    else
        md5_join(out, (const char *const[]){ ha1, c->nonce, ha2 }, 3);
    return RTCPM_DIGEST_OK;
}

/* A quoted-string with '"' and '\' escaped. */
static void put_quoted(struct text_out *o, const char *name, const char *v)
{
    rtcpm_text_out_put(o, ", %s=\"", name);
    for (; *v; v++) rtcpm_text_out_put(o, "%s%c", (*v == '"' || *v == '\\') ? "\\" : "", *v);
    rtcpm_text_out_put(o, "\"");
}

int rtcpm_digest_authorization(const struct rtcpm_digest_challenge *c, const struct rtcpm_digest_answer *a, char *buf,
                               size_t buflen, size_t *written)
{
    char response[33];
    struct text_out o;
    int rc;

    if (written) *written = 0;
    if (!buf || !buflen) return RTCPM_DIGEST_E_INVALID;
    buf[0] = 0;
    if ((rc = rtcpm_digest_response(c, a, response))) return rc;
    if (!valid_text(c->realm) || !valid_text(c->nonce) || !valid_text(c->opaque)) return RTCPM_DIGEST_E_INVALID;
    rtcpm_text_out_init(&o, buf, buflen);
    rtcpm_text_out_put(&o, "%s: Digest username=\"", a->proxy ? "Proxy-Authorization" : "Authorization");
    for (const char *u = a->username; *u; u++)
        rtcpm_text_out_put(&o, "%s%c", (*u == '"' || *u == '\\') ? "\\" : "", *u);
    rtcpm_text_out_put(&o, "\"");
    put_quoted(&o, "realm", c->realm);
    put_quoted(&o, "nonce", c->nonce);
    put_quoted(&o, "uri", a->uri);
    rtcpm_text_out_put(&o, ", response=\"%s\", algorithm=%s", response, c->md5_sess ? "MD5-sess" : "MD5");
    if (c->has_opaque) put_quoted(&o, "opaque", c->opaque);
    if (c->qop_auth) rtcpm_text_out_put(&o, ", qop=auth, nc=%08x, cnonce=\"%s\"", (unsigned)a->nc, a->cnonce);
    return rtcpm_text_out_finish(&o, written) ? RTCPM_DIGEST_E_BUFFER : RTCPM_DIGEST_OK;
}
