#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""check_traces.py SOURCE_DIR — every COM method of rtcpm's objects traces its entry.

Finds every function named in a `const <Interface>Vtbl name = { ... };` table under src/
(static or not), finds its definition (a plain one, or one a macro defines with `##` from an
invocation of that macro) and checks that its body's first statement after the declarations
is a trace: RTC_TRACE(...) or RTCPM_TRACE(...), as Wine's methods begin with TRACE(...).
(AddRef and Release may compute the new count in a declaration first: "(%p) ref=%ld".)
Fails on a method without an entry trace and on a table entry whose definition it cannot find.
"""
import os
import re
import sys

TRACE = re.compile(r"(?:RTC_TRACE|RTCPM_TRACE)\s*\(")
KEYWORDS = {"return", "goto", "case", "else", "do", "if", "while", "for", "switch", "break", "continue"}
# A declaration: a type (qualifiers, struct/enum/union tag, a name, pointers) then a name.
DECL = re.compile(
    r"(?:(?:const|volatile|static|unsigned|signed|struct|enum|union|long|short)\s+)*"
    r"([A-Za-z_]\w*)\s*[\s*]\s*(?:const\s+)?\**\s*([A-Za-z_]\w*)\s*(?:=|;|,|\[)"
)
VTBL = re.compile(r"\bconst\s+(\w+Vtbl)\s+(\w+)\s*=\s*\{(.*?)\};", re.S)


def strip_comments(text):
    """Comments and string/char literals blanked (same length, newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (j - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def body_at(text, brace):
    """The text between the brace at `brace` and its match."""
    depth = 0
    for k in range(brace, len(text)):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return text[brace + 1 : k]
    return None


def first_statement_traces(body):
    """True when the first statement that is no declaration is a trace."""
    rest = body
    while True:
        rest = rest.lstrip()
        if not rest:
            return False  # an empty body traces nothing
        if TRACE.match(rest):
            return True
        m = DECL.match(rest)
        if not m or m.group(1) in KEYWORDS:
            return False
        # skip the declaration up to its ';' at depth 0
        depth = 0
        for k, c in enumerate(rest):
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            elif c == ";" and depth == 0:
                rest = rest[k + 1 :]
                break
        else:
            return False


def main():
    src_dir = os.path.join(sys.argv[1] if len(sys.argv) > 1 else ".", "src")
    files = {}
    for root, _, names in os.walk(src_dir):
        for name in names:
            if name.endswith((".c", ".h")):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    files[os.path.relpath(path, os.path.dirname(src_dir))] = strip_comments(f.read())
    if not files:
        print("check_traces: no sources under %s" % src_dir)
        return 1

    # functions a macro defines from its parameters (#define M(prefix, ...) ... WINAPI prefix##_Name(...) {...}),
    # named as each invocation M(arg, ...) makes them
    generated = {}
    for mpath, mtext in files.items():
        for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)\(([^)]*)\)((?:[^\n]*\\\n)*[^\n]*)", mtext, re.M):
            mname, params = m.group(1), [p.strip() for p in m.group(2).split(",")]
            mbody = m.group(3).replace("\\\n", "\n")
            funcs = [(f.group(1), body_at(mbody, f.end() - 1))
                     for f in re.finditer(r"\bWINAPI\s+([\w#\s]*?)\s*\([^;{}]*\)\s*\{", mbody)]
            if not funcs:
                continue
            for path, text in files.items():
                for inv in re.finditer(r"^[ \t]*%s\(([^)]*)\)" % re.escape(mname), text, re.M):
                    args = dict(zip(params, [a.strip() for a in inv.group(1).split(",")]))
                    for template, fbody in funcs:
                        parts = [args.get(t.strip(), t.strip()) for t in template.split("##")]
                        generated["".join(parts)] = ("%s (by %s)" % (path, mname), fbody)

    # every function definition of src/, by name (the first one)
    defined = {}
    for path, text in files.items():
        for m in re.finditer(r"\b(\w+)\s*\((?:[^;{}()]|\([^()]*\))*\)\s*\{", text):
            head = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
            if m.group(1) in KEYWORDS or "=" in head or "return" in head or "#" in head:
                continue
            defined.setdefault(m.group(1), (path, m.end() - 1))

    def definition(name):
        if name in defined:
            path, brace = defined[name]
            return path, body_at(files[path], brace)
        return generated.get(name, (None, None))

    bad, methods, tables = [], set(), 0
    for path, text in sorted(files.items()):
        for m in VTBL.finditer(text):
            tables += 1
            entries = [re.sub(r"^\([^)]*\)\s*", "", e.strip()) for e in m.group(3).split(",")]
            for entry in filter(None, entries):
                if entry in methods:
                    continue
                methods.add(entry)
                where, body = definition(entry)
                if body is None:
                    bad.append("%s: %s (in %s) has no definition the check can find" % (path, entry, m.group(2)))
                elif not first_statement_traces(body):
                    bad.append("%s: %s (in %s) does not trace its entry" % (where, entry, m.group(2)))
    for line in bad:
        print("check_traces: " + line)
    if bad:
        print("check_traces: %d of %d COM methods (%d tables) lack an entry trace "
              "(RTC_TRACE / RTCPM_TRACE(channel, \"(%%p)->(...)\", iface, ...) first)" % (len(bad), len(methods), tables))
        return 1
    if tables == 0:
        print("check_traces: no vtables found (wrong source dir?)")
        return 1
    print("check_traces: %d COM methods of %d tables trace their entry" % (len(methods), tables))
    return 0


if __name__ == "__main__":
    sys.exit(main())
