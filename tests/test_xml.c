/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_xml.c — the safe XML parser (src/sip/xml.c): the tree, text and attribute decoding,
 * every refusal (DTD, entities, bad UTF-8, NUL, control characters, structure) with its
 * line/column, and the limits (size, depth, nodes, attributes).
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/xml.h"

static struct rtcpm_xml_doc *parse_ok(const char *text)
{
    struct rtcpm_xml_doc *doc = NULL;
    struct rtcpm_xml_error err;
    int rc = rtcpm_xml_parse(text, strlen(text), &doc, &err);
    if (rc != RTCPM_XML_OK)
        printf("\n  unexpected failure %d:%d %s for:\n%s\n", err.line, err.column, err.message, text);
    CU_ASSERT_EQUAL(rc, RTCPM_XML_OK);
    CU_ASSERT_PTR_NOT_NULL(doc);
    return doc;
}

/* Parses len bytes expecting a syntax error at line:column whose message contains `what`. */
static void expect_error_n(const char *text, size_t len, unsigned line, unsigned column, const char *what)
{
    struct rtcpm_xml_doc *doc = (struct rtcpm_xml_doc *)1;
    struct rtcpm_xml_error err;
    int rc = rtcpm_xml_parse(text, len, &doc, &err);
    CU_ASSERT_EQUAL(rc, RTCPM_XML_E_SYNTAX);
    CU_ASSERT_PTR_NULL(doc);
    if (rc != RTCPM_XML_E_SYNTAX || err.line != line || err.column != column || !strstr(err.message, what))
        printf("\n  %.*s: got %d at %u:%u '%s', want %u:%u '%s'\n", (int)(len > 60 ? 60 : len), text, rc, err.line,
               err.column, err.message, line, column, what);
    CU_ASSERT_EQUAL(err.line, line);
    CU_ASSERT_EQUAL(err.column, column);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.message, what));
    rtcpm_xml_free(doc == (struct rtcpm_xml_doc *)1 ? NULL : doc);
}

static void expect_error(const char *text, unsigned line, unsigned column, const char *what)
{
    expect_error_n(text, strlen(text), line, column, what);
}

static void test_tree(void)
{
    struct rtcpm_xml_doc *doc = parse_ok("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
                                         "<!-- a comment -->\n"
                                         "<a x='1' y=\"two\">\n"
                                         "  <b>text</b><?pi data?>\n"
                                         "  <c/>\n"
                                         "  <d z = 'q'>more<!-- c -->text<![CDATA[<raw>&amp;]]></d>\n"
                                         "</a>\n<!-- trailing -->\n");
    const struct rtcpm_xml_node *a = rtcpm_xml_root(doc), *b, *c, *d;
    if (!a) return;
    CU_ASSERT_STRING_EQUAL(a->name, "a");
    CU_ASSERT_EQUAL(a->line, 3);
    CU_ASSERT_EQUAL(a->attr_count, 2);
    CU_ASSERT_STRING_EQUAL(rtcpm_xml_attr(a, "x"), "1");
    CU_ASSERT_STRING_EQUAL(rtcpm_xml_attr(a, "y"), "two");
    CU_ASSERT_PTR_NULL(rtcpm_xml_attr(a, "Y"));
    CU_ASSERT_STRING_EQUAL(a->text, ""); /* has children */
    b = a->first_child;
    c = b->next_sibling;
    d = c->next_sibling;
    CU_ASSERT_STRING_EQUAL(b->name, "b");
    CU_ASSERT_STRING_EQUAL(b->text, "text");
    CU_ASSERT_EQUAL(b->inner_len, 4);
    CU_ASSERT_PTR_EQUAL(b->parent, a);
    CU_ASSERT_STRING_EQUAL(c->name, "c");
    CU_ASSERT_STRING_EQUAL(c->text, "");
    CU_ASSERT_EQUAL(c->attr_count, 0);
    CU_ASSERT_EQUAL(c->line, 5);
    CU_ASSERT_STRING_EQUAL(d->name, "d");
    CU_ASSERT_STRING_EQUAL(rtcpm_xml_attr(d, "z"), "q");
    CU_ASSERT_STRING_EQUAL(d->text, "moretext<raw>&amp;");
    CU_ASSERT_PTR_NULL(d->next_sibling);
    CU_ASSERT_PTR_NULL(d->first_child);
    rtcpm_xml_free(doc);
}

static void test_references(void)
{
    struct rtcpm_xml_doc *doc = parse_ok("<r a='&lt;&gt;&amp;&quot;&apos;' b='&#65;&#x42;&#xe9;&#x20AC;&#x1F600;'"
                                         " c=\"x\ty\r\nz\">&lt;p&gt;\r\n&#10;</r>");
    const struct rtcpm_xml_node *r = rtcpm_xml_root(doc);
    if (!r) return;
    CU_ASSERT_STRING_EQUAL(rtcpm_xml_attr(r, "a"), "<>&\"'");
    CU_ASSERT_STRING_EQUAL(rtcpm_xml_attr(r, "b"), "AB\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    CU_ASSERT_STRING_EQUAL(rtcpm_xml_attr(r, "c"), "x y z"); /* TAB and CRLF normalised */
    CU_ASSERT_STRING_EQUAL(r->text, "<p>\n\n");
    rtcpm_xml_free(doc);
}

static void test_utf8_names(void)
{
    struct rtcpm_xml_doc *doc =
        parse_ok("<\xC3\xA9l\xC3\xA9ment n:s='\xE2\x82\xAC'>caf\xC3\xA9</\xC3\xA9l\xC3\xA9ment>");
    const struct rtcpm_xml_node *r = rtcpm_xml_root(doc);
    if (!r) return;
    CU_ASSERT_STRING_EQUAL(r->name, "\xC3\xA9l\xC3\xA9ment");
    CU_ASSERT_STRING_EQUAL(rtcpm_xml_attr(r, "n:s"), "\xE2\x82\xAC");
    CU_ASSERT_STRING_EQUAL(r->text, "caf\xC3\xA9");
    rtcpm_xml_free(doc);
}

static void test_refusals(void)
{
    expect_error("<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", 1, 1, "DTD");
    expect_error("<?xml version='1.0'?>\n<!DOCTYPE a SYSTEM 'http://example.com/a.dtd'><a/>", 2, 1, "DTD");
    expect_error("<a>&x;</a>", 1, 4, "unknown entity");
    expect_error("<a b='&ext;'/>", 1, 7, "unknown entity");
    expect_error("<a>&amp</a>", 1, 4, "unknown entity");
    expect_error("<a>&#0;</a>", 1, 4, "character reference");
    expect_error("<a>&#xD800;</a>", 1, 4, "character reference");
    expect_error("<a>&#x110000;</a>", 1, 4, "character reference");
    expect_error("<a>&#123456789;</a>", 1, 4, "character reference");
    expect_error("<a>&#;</a>", 1, 4, "character reference");
    expect_error("<a>&#x;</a>", 1, 4, "character reference");
    expect_error_n("<a>\0</a>", 8, 1, 4, "NUL");
    expect_error("<a>\x01</a>", 1, 4, "not allowed");
    expect_error("<a>\xEF\xBF\xBE</a>", 1, 4, "not allowed"); /* U+FFFE */
    expect_error("<a>\xC3</a>", 1, 4, "not UTF-8");
    expect_error("<a>\xC0\xAF</a>", 1, 4, "not UTF-8");         /* overlong '/' */
    expect_error("<a>\xED\xA0\x80</a>", 1, 4, "not UTF-8");     /* surrogate */
    expect_error("<a>\xF4\x90\x80\x80</a>", 1, 4, "not UTF-8"); /* > U+10FFFF */
    expect_error("<a>\xFF</a>", 1, 4, "not UTF-8");
    expect_error("<a>caf\xE9</a>", 1, 7, "not UTF-8"); /* Latin-1 */
    expect_error("\n\n<a x='1' x='2'/>", 3, 10, "duplicate attribute");
    expect_error("<a x='<'/>", 1, 7, "'<' in an attribute value");
    expect_error("<a x=1/>", 1, 6, "quoted");
    expect_error("<a x='1'y='2'/>", 1, 9, "whitespace expected");
    expect_error("<a x/>", 1, 5, "'='");
    expect_error("<a>]]></a>", 1, 4, "']]>'");
    expect_error("<a><!-- x -- y --></a>", 1, 11, "'--'");
    expect_error("<a></b>", 1, 4, "does not match");
    expect_error("<a><b></a></b>", 1, 7, "does not match");
    expect_error("<a>", 1, 4, "end of document");
    expect_error("<a/><b/>", 1, 5, "after the root");
    expect_error("<a/>text", 1, 5, "after the root");
    expect_error("text<a/>", 1, 1, "text before the root");
    expect_error("", 1, 1, "no root");
    expect_error("   \n", 2, 1, "no root");
    expect_error("<a/><?xml version='1.0'?>", 1, 7, "XML declaration");
    expect_error("<a><!ELEMENT a ANY></a>", 1, 4, "markup declarations");
    expect_error("<1a/>", 1, 2, "name");
    expect_error("<a><![CDATA[x</a>", 1, 4, "unterminated CDATA");
    expect_error("<a x='1", 1, 6, "unterminated attribute");
    expect_error("<a><!-- x", 1, 4, "unterminated comment");
    expect_error("<a><?pi x", 1, 4, "unterminated processing");
    expect_error("<a x='1'", 1, 9, "unterminated start tag");
    expect_error("<a/ >", 1, 4, "'>' expected");
    expect_error("<a></a x>", 1, 8, "'>' expected");
}

/* Every prefix of a valid document fails cleanly (and the whole succeeds). */
static void test_prefixes(void)
{
    static const char doc[] = "<?xml version='1.0'?><p k='v'><u a=\"&amp;\"/><s><t>x<![CDATA[y]]></t></s></p>";
    size_t n;
    for (n = 0; n < sizeof(doc) - 1; n++)
    {
        struct rtcpm_xml_doc *d = NULL;
        CU_ASSERT_EQUAL(rtcpm_xml_parse(doc, n, &d, NULL), RTCPM_XML_E_SYNTAX);
        CU_ASSERT_PTR_NULL(d);
    }
    rtcpm_xml_free(parse_ok(doc));
}

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
    char *s = malloc(hl + ul * times + tl + 1), *p = s;
    memcpy(p, head, hl), p += hl;
    for (i = 0; i < times; i++) memcpy(p, unit, ul), p += ul;
    memcpy(p, tail, tl + 1);
    return s;
}

static void test_limits(void)
{
    struct rtcpm_xml_doc *doc;
    char *s, *t;
    size_t i;

    /* depth: RTCPM_XML_MAX_DEPTH levels parse, one more does not */
    s = repeat("", "<a>", RTCPM_XML_MAX_DEPTH, "");
    t = repeat(s, "</a>", RTCPM_XML_MAX_DEPTH, "");
    rtcpm_xml_free(parse_ok(t));
    free(s), free(t);
    s = repeat("", "<a>", RTCPM_XML_MAX_DEPTH + 1, "");
    t = repeat(s, "</a>", RTCPM_XML_MAX_DEPTH + 1, "");
    expect_error(t, 1, 3 * RTCPM_XML_MAX_DEPTH + 1, "nested too deeply");
    free(s), free(t);
    /* nodes */
    s = repeat("<r>", "<e/>", RTCPM_XML_MAX_NODES - 1, "</r>");
    rtcpm_xml_free(parse_ok(s));
    free(s);
    s = repeat("<r>", "<e/>", RTCPM_XML_MAX_NODES, "</r>");
    expect_error(s, 1, 4 + 4 * (RTCPM_XML_MAX_NODES - 1), "too many elements");
    free(s);
    /* attributes */
    s = malloc(32 + 16 * (RTCPM_XML_MAX_ATTRS + 1));
    strcpy(s, "<r");
    for (i = 0; i < RTCPM_XML_MAX_ATTRS; i++) sprintf(s + strlen(s), " a%zu='v'", i);
    strcat(s, "/>");
    rtcpm_xml_free(parse_ok(s));
    s[strlen(s) - 2] = 0;
    strcat(s, " z='v'/>");
    expect_error(s, 1, (unsigned)strlen(s) - 6, "too many attributes");
    free(s);
    /* size: a document of exactly the limit parses, one byte more is refused at once */
    s = malloc(RTCPM_XML_MAX_SIZE + 2);
    memset(s, ' ', RTCPM_XML_MAX_SIZE + 1);
    memcpy(s, "<r>", 3);
    memcpy(s + RTCPM_XML_MAX_SIZE - 4, "</r>", 4);
    CU_ASSERT_EQUAL(rtcpm_xml_parse(s, RTCPM_XML_MAX_SIZE, &doc, NULL), RTCPM_XML_OK);
    rtcpm_xml_free(doc);
    expect_error_n(s, RTCPM_XML_MAX_SIZE + 1, 1, 1, "larger than the limit");
    free(s);
}

static void test_bad_args(void)
{
    struct rtcpm_xml_doc *doc;
    CU_ASSERT_EQUAL(rtcpm_xml_parse("<a/>", 4, NULL, NULL), RTCPM_XML_E_INVALID);
    CU_ASSERT_EQUAL(rtcpm_xml_parse(NULL, 4, &doc, NULL), RTCPM_XML_E_INVALID);
    CU_ASSERT_PTR_NULL(doc);
    CU_ASSERT_EQUAL(rtcpm_xml_parse(NULL, 0, &doc, NULL), RTCPM_XML_E_SYNTAX);
    CU_ASSERT_PTR_NULL(rtcpm_xml_root(NULL));
    CU_ASSERT_PTR_NULL(rtcpm_xml_attr(NULL, "a"));
    rtcpm_xml_free(NULL);
}

static CU_TestInfo tests[] = {
    { "tree", test_tree },
    { "references", test_references },
    { "utf8_names", test_utf8_names },
    { "refusals", test_refusals },
    { "prefixes", test_prefixes },
    { "limits", test_limits },
    { "bad_args", test_bad_args },
    CU_TEST_INFO_NULL,
};

int main(int argc, char **argv) { return rtcpm_test_main("xml", tests, argc, argv); }
