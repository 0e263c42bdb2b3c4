/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xml_utf8.h — the character-level half of the XML parser (xml.c): UTF-8 validation against
 * XML 1.0's Char production, numeric character references, error positions.
 */
#ifndef RTCPM_SRC_SIP_XML_UTF8_H
#define RTCPM_SRC_SIP_XML_UTF8_H

#include <stddef.h>
#include "xml.h"

/* NULL when buf[0..len) is UTF-8 made only of XML 1.0 characters (#x9 #xA #xD #x20-#xD7FF
 * #xE000-#xFFFD #x10000-#x10FFFF); otherwise a short reason and *bad = the offending
 * byte's offset. */
const char *rtcpm_xml_utf8_check(const char *buf, size_t len, size_t *bad);

/* *p at '#' of "&#...;": parses "#123;" or "#x1F;" (at most 8 digits), advances *p past ';'
 * and writes the character's UTF-8 (1..4 bytes) to utf8, *n its length. -1 when malformed or
 * not an XML character (then *p is unspecified). */
int rtcpm_xml_utf8_charref(const char **p, const char *end, char utf8[4], size_t *n);

/* Fills err with the 1-based line and byte column of start[offset] and msg. */
void rtcpm_xml_utf8_locate(const char *start, size_t offset, const char *msg, struct rtcpm_xml_error *err);

#endif /* RTCPM_SRC_SIP_XML_UTF8_H */
