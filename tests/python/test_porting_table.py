#!/usr/bin/env python3
"""Checks docs/porting.md against Python's list of os names.

    python3 tests/python/test_porting_table.py --module-dir DIR

Every name of names-3.13-linux.tsv must have exactly one row in the table,
with the tsv's kind, a known section and a status of `done` or `planned`; every
`done` name must be an attribute of the oscpp module built in DIR. Names the
module has but the table still calls `planned` are listed as a reminder.
Prints "N passed, M failed" and exits 1 if anything failed.
"""

import argparse
import importlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "porting"))
import porting_table  # noqa: E402
from porting_table import COLUMNS  # noqa: E402

SECTIONS = {
    "error", "path_arg", "process_parameters", "file_objects",
    "file_descriptors", "files",
    "processes", "scheduler", "system_info", "random",
}
STATUSES = {"done", "planned"}


def read_table(path):
    """Rows of the table whose header is exactly COLUMNS: (line number,
    cells without the backticks around them)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    return [(i + 1, [c.strip("`") for c in row])
            for i, row in porting_table.table_rows(lines)]


def read_names(path):
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return {name: kind for name, kind in lines[1:]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module-dir", required=True,
                        help="directory holding the built oscpp extension")
    parser.add_argument("--table", default=os.path.join(ROOT, "docs", "porting.md"))
    parser.add_argument("--names", default=os.path.join(HERE, "names-3.13-linux.tsv"))
    args = parser.parse_args()

    names = read_names(args.names)
    rows = read_table(args.table)
    table = os.path.basename(args.table)
    # One test per name of the tsv, plus one for the table's own shape.
    failures = {name: [] for name in names}
    failures[None] = []
    if not rows:
        failures[None].append("no table with columns %s in %s" % (" | ".join(COLUMNS), args.table))

    seen = {}
    for number, row in rows:
        where = "%s:%d" % (table, number)
        if len(row) != len(COLUMNS):
            failures[None].append("%s: %d cells, expected %d" % (where, len(row), len(COLUMNS)))
            continue
        name, kind, cxx, section, status, _platforms = row
        if name not in names:
            failures[None].append("%s: %r is not a name of %s" % (
                where, name, os.path.basename(args.names)))
            continue
        seen.setdefault(name, []).append(where)
        problems = failures[name]
        if kind != names[name]:
            problems.append("%s: kind %r, the tsv says %r" % (where, kind, names[name]))
        if not cxx:
            problems.append("%s: no C++ spelling" % where)
        if section not in SECTIONS:
            problems.append("%s: unknown section %r" % (where, section))
        if status not in STATUSES:
            problems.append("%s: status %r, expected done or planned" % (where, status))

    for name in names:
        if len(seen.get(name, [])) != 1:
            failures[name].append("%d rows in the table%s" % (
                len(seen.get(name, [])), (": " + ", ".join(seen[name])) if name in seen else ""))

    done = sorted(row[0] for _, row in rows
                  if len(row) == len(COLUMNS) and row[0] in names and row[4] == "done")
    sys.path.insert(0, os.path.abspath(args.module_dir))
    try:
        module = importlib.import_module("oscpp")
        where = os.path.dirname(os.path.abspath(module.__file__))
        if where != os.path.abspath(args.module_dir):
            raise ImportError("found one in %s instead" % where)
    except ImportError as e:
        module = None
        print("note: cannot import oscpp from %s: %s" % (args.module_dir, e))
        for name in done:
            failures[name].append("done, but the oscpp module cannot be imported")
    if module is not None:
        for name in done:
            # A name this Python's os lacks (added later) oscpp leaves out.
            if hasattr(os, name) and not hasattr(module, name):
                failures[name].append("done, but oscpp has no attribute %s" % name)
            if hasattr(module, name) and not hasattr(os, name):
                failures[name].append("oscpp has %s, which this Python's os has not"
                                      % name)
        stale = [name for name in names if name not in done and hasattr(module, name)]
        if stale:
            print("note: oscpp has these names, still planned in the table: " + " ".join(stale))

    failed = 0
    for name, problems in failures.items():
        failed += bool(problems)
        for problem in problems:
            print("FAIL: %s%s" % ("" if name is None else name + ": ", problem))
    print("%d passed, %d failed" % (len(failures) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
