/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xml.c — the small safe XML parser. See xml.h.
 *
 * One pass over the input after a UTF-8/character check of all of it. Decoded strings
 * (names, attribute values, text) go to one output buffer of twice the input's size (a
 * decoded string is never longer than its source, plus one NUL each); nodes and attribute
 * arrays come from a chunked arena freed with the document. Recursion depth is bounded by
 * RTCPM_XML_MAX_DEPTH.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xml.h"
#include "xml_utf8.h"

struct chunk
{
    struct chunk *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

struct rtcpm_xml_doc
{
    struct chunk *chunks;
    char *strings;
    struct rtcpm_xml_node *root;
};

struct parser
{
    const char *start, *p, *end;
    char *out;
    size_t out_used, out_cap;
    struct rtcpm_xml_doc *doc;
    unsigned depth, nodes;
    const char *line_at; /* line numbers: counted up to here (elements come in order) */
    unsigned line;
    struct rtcpm_xml_error *err;
    int result;
};

static void *arena_alloc(struct parser *P, size_t size)
{
    struct chunk *c = P->doc->chunks;
    size = (size + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
    if (!c || c->cap - c->used < size)
    {
        size_t cap = size > 8192 ? size : 8192;
        c = malloc(sizeof(*c) + cap);
        if (!c) return NULL;
        c->next = P->doc->chunks;
        c->used = 0;
        c->cap = cap;
        P->doc->chunks = c;
    }
    c->used += size;
    return c->data + c->used - size;
}

/* Records the first failure at position `at`; always returns -1. */
static int fail_at(struct parser *P, const char *at, const char *msg)
{
    if (P->result == RTCPM_XML_OK)
    {
        P->result = RTCPM_XML_E_SYNTAX;
        if (P->err) rtcpm_xml_utf8_locate(P->start, (size_t)(at - P->start), msg, P->err);
    }
    return -1;
}

static int fail(struct parser *P, const char *msg) { return fail_at(P, P->p, msg); }

static int nomem(struct parser *P)
{
    if (P->result == RTCPM_XML_OK)
    {
        P->result = RTCPM_XML_E_NOMEM;
        if (P->err) rtcpm_xml_utf8_locate(P->start, (size_t)(P->p - P->start), "out of memory", P->err);
    }
    return -1;
}

/* ---- output strings ---- */

static int put_bytes(struct parser *P, const char *s, size_t n)
{
    if (P->out_cap - P->out_used < n) return fail(P, "internal: output buffer");
    memcpy(P->out + P->out_used, s, n);
    P->out_used += n;
    return 0;
}

static int put_char(struct parser *P, char c) { return put_bytes(P, &c, 1); }

/* ---- lexical helpers ---- */

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static void skip_ws(struct parser *P)
{
    while (P->p < P->end && is_ws(*P->p)) P->p++;
}

static int starts(const struct parser *P, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(P->end - P->p) >= n && !memcmp(P->p, lit, n);
}

static int is_name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

static int is_name_char(unsigned char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

/* Name -> a NUL-terminated copy in the output; *name points at it. */
static int parse_name(struct parser *P, const char **name)
{
    const char *s = P->p;
    if (P->p >= P->end || !is_name_start((unsigned char)*P->p)) return fail(P, "a name was expected");
    while (P->p < P->end && is_name_char((unsigned char)*P->p)) P->p++;
    *name = P->out + P->out_used;
    if (put_bytes(P, s, (size_t)(P->p - s)) || put_char(P, 0)) return -1;
    return 0;
}

/* A reference after '&' (P->p at '&'): its character(s) appended to the output. */
static int parse_reference(struct parser *P)
{
    static const struct
    {
        const char *name;
        char c;
    } predefined[] = { { "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' } };
    size_t i;
    const char *at = P->p++;

    if (P->p < P->end && *P->p == '#')
    {
        char utf8[4];
        size_t n;
        if (rtcpm_xml_utf8_charref(&P->p, P->end, utf8, &n)) return fail_at(P, at, "bad character reference");
        return put_bytes(P, utf8, n);
    }
    for (i = 0; i < sizeof(predefined) / sizeof(predefined[0]); i++)
    {
        if (starts(P, predefined[i].name))
        {
            P->p += strlen(predefined[i].name);
            return put_char(P, predefined[i].c);
        }
    }
    return fail_at(P, at, "unknown entity (only &lt; &gt; &amp; &quot; &apos; and &#...;)");
}

static int parse_attr_value(struct parser *P, const char **value)
{
    char quote;
    if (P->p >= P->end || (*P->p != '"' && *P->p != '\'')) return fail(P, "a quoted attribute value was expected");
    const char *open = P->p;
    quote = *P->p++;
    *value = P->out + P->out_used;
    while (P->p < P->end && *P->p != quote)
    {
        char c = *P->p;
        if (c == '<') return fail(P, "'<' in an attribute value");
        if (c == '&')
        {
            if (parse_reference(P)) return -1;
            continue;
        }
        if (c == '\r' && P->p + 1 < P->end && P->p[1] == '\n') P->p++; /* CRLF is one space */
        if (put_char(P, is_ws(c) ? ' ' : c)) return -1;
        P->p++;
    }
    if (P->p >= P->end) return fail_at(P, open, "unterminated attribute value");
    P->p++;
    return put_char(P, 0);
}

/* P->p after "<!--". */
static int skip_comment(struct parser *P)
{
    const char *open = P->p - 4;
    for (; P->p + 1 < P->end; P->p++)
    {
        if (P->p[0] == '-' && P->p[1] == '-')
        {
            if (P->p + 2 < P->end && P->p[2] == '>')
            {
                P->p += 3;
                return 0;
            }
            return fail(P, "'--' inside a comment");
        }
    }
    return fail_at(P, open, "unterminated comment");
}

/* P->p after "<?". The XML declaration only at the very start (allow_decl). */
static int skip_pi(struct parser *P, int allow_decl)
{
    const char *target = P->p, *name, *open = P->p - 2;
    size_t saved = P->out_used;
    if (parse_name(P, &name)) return -1;
    P->out_used = saved;
    if ((P->p - target) == 3 && (target[0] | 0x20) == 'x' && (target[1] | 0x20) == 'm' && (target[2] | 0x20) == 'l' &&
        !allow_decl)
        return fail_at(P, target, "XML declaration not at the start of the document");
    for (; P->p + 1 < P->end; P->p++)
    {
        if (P->p[0] == '?' && P->p[1] == '>')
        {
            P->p += 2;
            return 0;
        }
    }
    return fail_at(P, open, "unterminated processing instruction");
}

/* Comments, PIs and whitespace (before / after the root element). */
static int skip_misc(struct parser *P)
{
    for (;;)
    {
        skip_ws(P);
        if (starts(P, "<!--"))
        {
            P->p += 4;
            if (skip_comment(P)) return -1;
        }
        else if (starts(P, "<?"))
        {
            P->p += 2;
            if (skip_pi(P, 0)) return -1;
        }
        else if (starts(P, "<!DOCTYPE") || starts(P, "<!doctype"))
            return fail(P, "a DTD (<!DOCTYPE>) is not accepted");
        else
            return 0;
    }
}

/* ---- elements ---- */

static int parse_element(struct parser *P, struct rtcpm_xml_node *parent, struct rtcpm_xml_node **out);

static int parse_attrs(struct parser *P, struct rtcpm_xml_node *node)
{
    struct rtcpm_xml_attr tmp[RTCPM_XML_MAX_ATTRS], *arr;
    size_t n = 0, i;
    for (;;)
    {
        const char *before = P->p;
        skip_ws(P);
        if (P->p >= P->end) return fail(P, "unterminated start tag");
        if (*P->p == '>' || *P->p == '/') break;
        if (P->p == before) return fail(P, "whitespace expected between attributes");
        if (n == RTCPM_XML_MAX_ATTRS) return fail(P, "too many attributes");
        before = P->p;
        if (parse_name(P, &tmp[n].name)) return -1;
        for (i = 0; i < n; i++)
            if (!strcmp(tmp[i].name, tmp[n].name)) return fail_at(P, before, "duplicate attribute");
        skip_ws(P);
        if (P->p >= P->end || *P->p != '=') return fail(P, "'=' expected after an attribute name");
        P->p++;
        skip_ws(P);
        if (parse_attr_value(P, &tmp[n].value)) return -1;
        n++;
    }
    if (!n) return 0;
    if (!(arr = arena_alloc(P, n * sizeof(*arr)))) return nomem(P);
    memcpy(arr, tmp, n * sizeof(*arr));
    node->attrs = arr;
    node->attr_count = n;
    return 0;
}

/* "]]>" inside a CDATA section ends it; P->p after "<![CDATA[". */
static int parse_cdata(struct parser *P, int keep)
{
    const char *s = P->p;
    for (; P->p + 2 < P->end; P->p++)
    {
        if (P->p[0] == ']' && P->p[1] == ']' && P->p[2] == '>')
        {
            size_t n = (size_t)(P->p - s);
            P->p += 3;
            return keep ? put_bytes(P, s, n) : 0;
        }
    }
    return fail_at(P, s - 9, "unterminated CDATA section");
}

/* Character data up to the next '<'; appended while keep (no child element yet). */
static int parse_text(struct parser *P, int keep)
{
    while (P->p < P->end && *P->p != '<')
    {
        char c = *P->p;
        if (c == '&')
        {
            size_t saved = P->out_used;
            if (parse_reference(P)) return -1;
            if (!keep) P->out_used = saved;
            continue;
        }
        if (c == ']' && starts(P, "]]>")) return fail(P, "']]>' in text");
        P->p++;
        if (c == '\r' && P->p < P->end && *P->p == '\n') continue; /* CRLF -> LF */
        if (keep && put_char(P, c == '\r' ? '\n' : c)) return -1;
    }
    return 0;
}

/* Content of node up to and including its end tag. */
static int parse_content(struct parser *P, struct rtcpm_xml_node *node)
{
    struct rtcpm_xml_node **tail = &node->first_child;
    const char *inner = P->p;
    char *text = P->out + P->out_used;
    for (;;)
    {
        int keep = node->first_child == NULL;
        if (P->p >= P->end) return fail(P, "end of document inside an element");
        if (*P->p != '<')
        {
            if (parse_text(P, keep)) return -1;
        }
        else if (starts(P, "</"))
        {
            const char *at = P->p, *name;
            size_t saved;
            node->inner = inner;
            node->inner_len = (size_t)(P->p - inner);
            if (keep)
            {
                if (put_char(P, 0)) return -1;
                node->text = text;
            }
            P->p += 2;
            saved = P->out_used;
            if (parse_name(P, &name)) return -1;
            if (strcmp(name, node->name)) return fail_at(P, at, "end tag does not match the start tag");
            P->out_used = saved;
            skip_ws(P);
            if (P->p >= P->end || *P->p != '>') return fail(P, "'>' expected");
            P->p++;
            return 0;
        }
        else if (starts(P, "<!--"))
        {
            P->p += 4;
            if (skip_comment(P)) return -1;
        }
        else if (starts(P, "<![CDATA["))
        {
            P->p += 9;
            if (parse_cdata(P, keep)) return -1;
        }
        else if (starts(P, "<?"))
        {
            P->p += 2;
            if (skip_pi(P, 0)) return -1;
        }
        else if (starts(P, "<!"))
            return fail(P, "markup declarations are not accepted");
        else
        {
            if (parse_element(P, node, tail)) return -1;
            tail = &(*tail)->next_sibling;
        }
    }
}

static unsigned line_of(struct parser *P, const char *at)
{
    for (; P->line_at < at; P->line_at++)
        if (*P->line_at == '\n') P->line++;
    return P->line;
}

/* P->p at '<' of a start tag. */
static int parse_element(struct parser *P, struct rtcpm_xml_node *parent, struct rtcpm_xml_node **out)
{
    struct rtcpm_xml_node *node;
    int rc;
    if (P->depth >= RTCPM_XML_MAX_DEPTH) return fail(P, "elements nested too deeply");
    if (++P->nodes > RTCPM_XML_MAX_NODES) return fail(P, "too many elements");
    if (!(node = arena_alloc(P, sizeof(*node)))) return nomem(P);
    memset(node, 0, sizeof(*node));
    node->parent = parent;
    node->text = "";
    node->line = line_of(P, P->p);
    *out = node;
    P->p++;
    if (parse_name(P, &node->name) || parse_attrs(P, node)) return -1;
    if (*P->p == '/')
    {
        P->p++;
        if (P->p >= P->end || *P->p != '>') return fail(P, "'>' expected after '/'");
        P->p++;
        node->inner = P->p;
        return 0;
    }
    P->p++; /* '>' */
    P->depth++;
    rc = parse_content(P, node);
    P->depth--;
    return rc;
}

static int parse_document(struct parser *P)
{
    if (starts(P, "\xEF\xBB\xBF")) P->p += 3;
    if (starts(P, "<?xml") && P->p + 5 < P->end && is_ws(P->p[5]))
    {
        P->p += 2;
        if (skip_pi(P, 1)) return -1;
    }
    if (skip_misc(P)) return -1;
    if (P->p >= P->end || *P->p != '<') return fail(P, P->p >= P->end ? "no root element" : "text before the root");
    if (parse_element(P, NULL, &P->doc->root)) return -1;
    if (skip_misc(P)) return -1;
    if (P->p < P->end) return fail(P, "content after the root element");
    return 0;
}

int rtcpm_xml_parse(const char *buf, size_t len, struct rtcpm_xml_doc **out, struct rtcpm_xml_error *err)
{
    struct parser P;
    size_t bad;
    const char *why;

    if (err) memset(err, 0, sizeof(*err));
    if (!out) return RTCPM_XML_E_INVALID;
    *out = NULL;
    if (!buf && len) return RTCPM_XML_E_INVALID;
    memset(&P, 0, sizeof(P));
    P.start = P.p = P.line_at = buf ? buf : "";
    P.line = 1;
    P.end = P.p + len;
    P.err = err;
    if (len > RTCPM_XML_MAX_SIZE) return fail_at(&P, P.start, "document larger than the limit"), RTCPM_XML_E_SYNTAX;
    if ((why = rtcpm_xml_utf8_check(P.start, len, &bad))) return fail_at(&P, P.start + bad, why), RTCPM_XML_E_SYNTAX;
    if (!(P.doc = calloc(1, sizeof(*P.doc)))) return RTCPM_XML_E_NOMEM;
    P.out_cap = 2 * len + 16;
    if (!(P.out = P.doc->strings = malloc(P.out_cap)))
    {
        free(P.doc);
        return RTCPM_XML_E_NOMEM;
    }
    if (parse_document(&P))
    {
        rtcpm_xml_free(P.doc);
        return P.result;
    }
    *out = P.doc;
    return RTCPM_XML_OK;
}

void rtcpm_xml_free(struct rtcpm_xml_doc *doc)
{
    struct chunk *c, *next;
    if (!doc) return;
    for (c = doc->chunks; c; c = next)
    {
        next = c->next;
        free(c);
    }
    free(doc->strings);
    free(doc);
}

const struct rtcpm_xml_node *rtcpm_xml_root(const struct rtcpm_xml_doc *doc) { return doc ? doc->root : NULL; }

const char *rtcpm_xml_attr(const struct rtcpm_xml_node *node, const char *name)
{
    size_t i;
    if (!node || !name) return NULL;
    for (i = 0; i < node->attr_count; i++)
        if (!strcmp(node->attrs[i].name, name)) return node->attrs[i].value;
    return NULL;
}
