/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xml.h — a small, safe XML 1.0 parser for documents we are handed (the RTC provisioning
 * profile): UTF-8 in, a read-only element tree out. The same code on every target.
 *
 * What it refuses (each is a parse error with line, column and a short message):
 *  - bytes that are not UTF-8 (overlong forms, surrogates, > U+10FFFF), NUL and the other
 *    control characters XML 1.0 does not allow, U+FFFE / U+FFFF;
 *  - any DTD (<!DOCTYPE ...>): so no entity declarations, no external subset, nothing is
 *    ever fetched; references other than &lt; &gt; &amp; &quot; &apos; and numeric
 *    character references (&#N; &#xH;) of allowed characters;
 *  - everything XML 1.0 calls not well-formed that this parser meets: unbalanced tags, a
 *    duplicate attribute, '<' in an attribute value, "]]>" in text, "--" in a comment, text
 *    or a second element after the root, a second XML declaration;
 *  - more than RTCPM_XML_MAX_SIZE bytes, nesting deeper than RTCPM_XML_MAX_DEPTH, more than
 *    RTCPM_XML_MAX_NODES elements or RTCPM_XML_MAX_ATTRS attributes on one element.
 * Accepted and skipped: a UTF-8 byte order mark, the XML declaration (its encoding label is
 * not checked: the caller converted the text to UTF-8 already, as MSXML's loadXML ignores it
 * for a BSTR), comments, processing instructions. Namespaces are not interpreted: a name
 * is compared as written ("a:b").
 *
 * Element text: an element with no child elements gets its character data (CDATA included,
 * references decoded, CRLF as LF) in `text`; an element with children gets "" there, and
 * `inner` / `inner_len` point at its raw inner markup in the caller's buffer either way.
 * Attribute values are decoded and whitespace-normalised (TAB, CR, LF -> space), as XML
 * 1.0 section 3.3.3 says for CDATA attributes.
 */
#ifndef RTCPM_SRC_SIP_XML_H
#define RTCPM_SRC_SIP_XML_H

#include <stddef.h>

#define RTCPM_XML_MAX_SIZE  (1024u * 1024u)
#define RTCPM_XML_MAX_DEPTH 32
#define RTCPM_XML_MAX_NODES 4096
#define RTCPM_XML_MAX_ATTRS 64

struct rtcpm_xml_attr
{
    const char *name;
    const char *value;
};

struct rtcpm_xml_node
{
    const char *name;
    const struct rtcpm_xml_attr *attrs;
    size_t attr_count;
    const char *text;  /* see above; never NULL */
    const char *inner; /* raw inner markup, in the parsed buffer */
    size_t inner_len;
    unsigned line; /* where the start tag begins (1-based) */
    struct rtcpm_xml_node *parent, *first_child, *next_sibling;
};

struct rtcpm_xml_error
{
    unsigned line, column; /* 1-based; column counts bytes */
    char message[96];
};

struct rtcpm_xml_doc;

enum rtcpm_xml_result
{
    RTCPM_XML_OK = 0,
    RTCPM_XML_E_SYNTAX = -1, /* not well-formed or over a limit: see the error */
    RTCPM_XML_E_NOMEM = -2,
    RTCPM_XML_E_INVALID = -3 /* NULL argument */
};

/* Parses len bytes. On success *out is the document (free it with rtcpm_xml_free); the
 * tree points into buf for `inner` only, so buf must outlive the document if inner is
 * used. err (optional) says what and where on failure. */
int rtcpm_xml_parse(const char *buf, size_t len, struct rtcpm_xml_doc **out, struct rtcpm_xml_error *err);
void rtcpm_xml_free(struct rtcpm_xml_doc *doc);

const struct rtcpm_xml_node *rtcpm_xml_root(const struct rtcpm_xml_doc *doc);
/* The value of the attribute, NULL when absent. */
const char *rtcpm_xml_attr(const struct rtcpm_xml_node *node, const char *name);

#endif /* RTCPM_SRC_SIP_XML_H */
