#!/usr/bin/env python3
"""Checks the `platforms` column of docs/porting.md against what each build
actually declares.

    python3 check_platforms.py --build glibc=g++ \\
        --build "musl=zig c++ -target x86_64-linux-musl" \\
        --build "macOS=zig c++ -target aarch64-macos" [--write]

For each build, one translation unit that includes <oscpp/os.hpp> and probes
every name of the table is preprocessed with that build's compiler (-E):
a C++ spelling `os::NAME` is declared when NAME occurs in the preprocessed
text that comes from include/oscpp/ (declarations guarded out on a platform
are gone); a C name (macro or enumerator) when it is #defined or occurs in
the preprocessed text. A row passes when its column lists exactly the builds
that declare it. --write rewrites the column from what the builds declare.
Prints "N passed, M failed"; exits 1 if anything failed.
"""

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "porting"))
from porting_table import COLUMNS, table_rows  # noqa: E402

PLATFORM_COLUMN = COLUMNS.index("platforms")
CXX_COLUMN = COLUMNS.index("C++")


def spelling(cxx):
    """('os', NAME) or ('c', NAME) from the C++ column's first code span."""
    m = re.match(r"`([^`]*)`", cxx)
    if not m:
        return None
    code = m.group(1)
    if code.startswith("os::"):
        return ("os", re.match(r"os::(\w+)", code).group(1))
    return ("c", re.match(r"(\w+)", code).group(1))


def headers(cxx):
    """The C headers that the C++ column names (`<sys/timerfd.h>`)."""
    return re.findall(r"`<([\w/.]+)>`", cxx)


def declared(compiler, include_dir, spellings, c_headers):
    """The spellings that the build with this compiler declares."""
    c_names = sorted({n for kind, n in spellings if kind == "c"})
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, "probe.cpp")
        with open(probe, "w") as f:
            f.write("#include <oscpp/os.hpp>\n")
            # The table's C names need their own header where os.hpp does
            # not bring it in (dlfcn.h, sys/timerfd.h ...).
            for h in sorted(c_headers):
                f.write("#if __has_include(<%s>)\n#include <%s>\n#endif\n" % (h, h))
            for n in c_names:
                f.write('#ifdef %s\n"oscpp-probe %s"\n#endif\n' % (n, n))
        cmd = shlex.split(compiler) + ["-std=c++20", "-E", "-I", include_dir, probe]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    ours, everything, current = [], [], ""
    for line in out.splitlines():
        m = re.match(r'# \d+ "([^"]*)"', line)
        if m:
            current = m.group(1)
            continue
        everything.append(line)
        if os.path.realpath(current).startswith(os.path.realpath(include_dir) + os.sep):
            ours.append(line)
    our_words = set(re.findall(r"\w+", "\n".join(ours)))
    all_text = "\n".join(everything)
    all_words = set(re.findall(r"\w+", all_text))
    defined = set(re.findall(r'"oscpp-probe (\w+)"', all_text))
    result = set()
    for kind, n in spellings:
        if (kind == "os" and n in our_words) or (kind == "c" and (n in defined or n in all_words)):
            result.add((kind, n))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", default=os.path.join(ROOT, "docs", "porting.md"))
    parser.add_argument("--include", default=os.path.join(ROOT, "include"))
    parser.add_argument("--build", action="append", required=True,
                        help="PLATFORM=COMPILER COMMAND, in column order")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    with open(args.table, encoding="utf-8") as f:
        lines = f.read().split("\n")
    rows = table_rows(lines)
    if not rows:
        print("no table with columns %s in %s" % (" | ".join(COLUMNS), args.table))
        print("0 passed, 1 failed")
        return 1
    spellings, c_headers = {}, set()
    for i, row in rows:
        if len(row) == len(COLUMNS) or (args.write and len(row) == len(COLUMNS) - 1):
            spellings[i] = spelling(row[CXX_COLUMN])
            c_headers.update(headers(row[CXX_COLUMN]))
    builds = []
    for b in args.build:
        platform, compiler = b.split("=", 1)
        builds.append((platform, declared(compiler, args.include,
                                          [s for s in spellings.values() if s],
                                          c_headers)))

    passed, failed = 0, 0
    for i, row in rows:
        s = spellings.get(i)
        if s is None:
            print("%s:%d: malformed row" % (os.path.basename(args.table), i + 1))
            failed += 1
            continue
        want = " ".join(p for p, names in builds if s in names) or "none"
        if args.write:
            row = row[:PLATFORM_COLUMN] + [want]
            lines[i] = "| " + " | ".join(row) + " |"
            passed += 1
        elif row[PLATFORM_COLUMN] == want:
            passed += 1
        else:
            print("%s:%d: %s: table says %r, the builds declare it on %r" % (
                os.path.basename(args.table), i + 1, row[0], row[PLATFORM_COLUMN], want))
            failed += 1
    if args.write:
        with open(args.table, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
