#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The messages dax_kmem can log, and whether the admin guide quotes them.

  scripts/kernel-messages.py list        every format string, one a line
  scripts/kernel-messages.py check GUIDE TAP: each one is quoted word for
                                         word in GUIDE's "Kernel messages"
                                         section, and the section quotes
                                         nothing the code does not log

A format string is what a range_crit/err/warn/info(), pr_*() or dev_*()
call in drivers/ or arch/ passes, with adjacent literals joined, string
macros (#define NAME "...") expanded and the trailing newline dropped.
The guide quotes each as a literal ``...`` line starting with "| " inside
that section, conversions (%s, %llu, %pR...) as the code has them.
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE_DIRS = ("drivers", "arch", "include")
CALL = re.compile(r"\b(range_(?:crit|err|warn|info)|pr_(?:emerg|alert|crit|err|"
                  r"warn|notice|info|debug|cont)(?:_once|_ratelimited)?|"
                  r"dev_(?:emerg|alert|crit|err|warn|notice|info|dbg)"
                  r"(?:_once|_ratelimited)?|dev_err_probe)\s*\(")
TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z_]\w*|\S')
# The printing helpers themselves pass a format they were given.
SKIP_FILES = {"drivers/dax_kmem/range_log.c"}


def sources():
    for d in SOURCE_DIRS:
        for root, _, files in os.walk(os.path.join(TOP, d)):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.join(root, f)


def strip_comments(text):
    # Newlines stay, so line numbers do.
    return re.sub(r"/\*.*?\*/|//[^\n]*",
                  lambda m: " " + "\n" * m.group(0).count("\n"), text, flags=re.S)


def string_macros(texts):
    macros = {}
    for text in texts:
        for m in re.finditer(r"^#define\s+(\w+)\s+((?:\"(?:[^\"\\]|\\.)*\"|\s|\w)+)$",
                             text, flags=re.M):
            if '"' in m.group(2):
                macros[m.group(1)] = m.group(2)
    return macros


def unquote(tok):
    return bytes(tok[1:-1], "utf-8").decode("unicode_escape")


def expand(tokens, macros, depth=0):
    out = []
    for t in tokens:
        if t.startswith('"'):
            out.append(unquote(t))
        elif t in macros and depth < 5:
            out.append(expand(TOKEN.findall(macros[t]), macros, depth + 1))
        elif t == "KBUILD_MODNAME":
            out.append("dax_kmem")
        else:
            return None
    return "".join(out)


def call_args(text, start):
    """The top-level arguments of the call whose '(' is at text[start-1]."""
    depth, args, cur = 1, [], []
    for tok in TOKEN.finditer(text, start):
        t = tok.group(0)
        if t in "([{":
            depth += 1
        elif t in ")]}":
            depth -= 1
            if depth == 0:
                args.append(cur)
                return args
        if t == "," and depth == 1:
            args.append(cur)
            cur = []
        else:
            cur.append(t)
    return args


def messages():
    files = {p: strip_comments(open(p).read()) for p in sources()}
    macros = string_macros(files.values())
    found = []
    for path, text in files.items():
        rel = os.path.relpath(path, TOP)
        if rel in SKIP_FILES or rel.startswith("include/"):
            continue
        for m in CALL.finditer(text):
            before = text[:m.start()].rstrip()
            if before.endswith(("#define", "void")):
                continue  # a helper's definition or declaration
            args = call_args(text, m.end())
            # The format is the first argument made only of literals/macros.
            fmt = None
            for a in args:
                if any(t.startswith('"') for t in a):
                    fmt = expand(a, macros)
                    break
            line = text.count("\n", 0, m.start()) + 1
            if fmt is None:
                raise ValueError(f"{rel}:{line}: {m.group(1)}: cannot read the format")
            found.append((fmt.rstrip("\n"), f"{rel}:{line}", m.group(1)))
    return found


def guide_quotes(guide):
    text = open(guide).read()
    m = re.search(r"^Kernel messages\n=+\n(.*?)(?=^\S[^\n]*\n=+\n|\Z)", text,
                  flags=re.S | re.M)
    if not m:
        return None
    quotes = []
    for line in m.group(1).splitlines():
        q = re.match(r"^\| ``(.*)``$", line.strip())
        if q:
            quotes.append(q.group(1))
    return quotes


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "list":
        seen = set()
        for fmt, where, fn in messages():
            if fmt not in seen:
                seen.add(fmt)
                print(f"{where}\t{fn}\t{fmt}")
        return 0
    if len(sys.argv) != 3 or sys.argv[1] != "check":
        sys.exit(__doc__)
    quotes = guide_quotes(sys.argv[2])
    if quotes is None:
        print("not ok - messages: the guide has a \"Kernel messages\" section")
        return 0
    try:
        code = messages()
    except ValueError as e:
        print(f"not ok - messages: every format string in the code can be read ({e})")
        return 0
    fmts = {f for f, _, _ in code}
    missing = [(f, w) for f, w, _ in code if f not in quotes]
    stale = [q for q in quotes if q not in fmts]
    rel = os.path.relpath(sys.argv[2], TOP)
    if missing:
        print(f"not ok - messages: {rel} quotes all {len(fmts)} format strings "
              f"({len(missing)} missing)")
        for f, w in missing:
            print(f"# missing: {w}: {f}")
    else:
        print(f"ok - messages: {rel} quotes all {len(fmts)} format strings word for word")
    if stale:
        print(f"not ok - messages: {rel} quotes only messages the code logs "
              f"({len(stale)} not in the code)")
        for q in stale:
            print(f"# not in the code: {q}")
    else:
        print(f"ok - messages: {rel} quotes only messages the code logs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
