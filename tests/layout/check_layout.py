#!/usr/bin/env python3
"""One name per family in every tree (CONTRIBUTING.md, "Families and topics").

    python3 tests/layout/check_layout.py [--root DIR]

The families and topics are the rows of the table in CONTRIBUTING.md. Checks:
- every src/*.cpp, include/oscpp/*.hpp, python/bind_*.cpp, tests/*_test.cpp
  and tests/python/test_*.py is named after a family or family_topic of the
  table (tests may add an _<aspect>), or is vocabulary / cross-cutting;
- every topic has its source, its binding, its C++ test and its Python test
  under the same name, unless EXCEPTIONS says why not.
Prints each problem and exits 1 if there is any.
"""

import argparse
import os
import re
import sys

# Shared by every family, not a section of the docs.
VOCABULARY = {"error", "fd", "path_arg", "size_arg", "bytes_view", "platform",
              "os"}
# python/: the module and its shared machinery.
BINDING_SUPPORT = {"module.cpp", "argspec.cpp", "argspec.hpp", "convert.cpp",
                   "convert.hpp", "bind_constants.cpp"}
# Tests that cut across families.
CROSS_CUTTING = {"cloexec_audit", "eintr_storm", "bad_input", "signatures",
                 "module", "porting_table"}
# (tree, name) -> why that tree has no file of that name.
EXCEPTIONS = {
    ("binding", "parallel_walk"): "not in Python's os: no binding",
    ("python test", "parallel_walk"): "not in Python's os: no binding",
    ("C++ test", "path_fs"): "path_test.cpp tests the whole os::path "
                             "(its split waits for path_test.cpp's owner)",
    ("python test", "path_fs"): "test_path.py tests the whole oscpp.path "
                                "(its split waits for path_test.cpp's owner)",
    ("python test", "processes_args"): "argv/env conversion has no Python "
                                       "name: tested through exec* "
                                       "(BAD_ARGVS, BAD_ENVS)",
}


def families_and_topics(contributing):
    """{name}: family and family_topic names from the table's rows."""
    names, families = set(), set()
    in_table = False
    with open(contributing) as f:
        for line in f:
            if line.startswith("| family (docs section) | topic |"):
                in_table = True
                continue
            if in_table and not line.startswith("|"):
                break
            if not in_table or line.startswith("|---"):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            family = cells[0].split()[0]
            topic = cells[1]
            families.add(family)
            names.add(family + "_" + topic if topic else family)
    return names, families


def stems(directory, pattern):
    """The names in directory matching pattern (a regex with one group)."""
    out = {}
    for entry in sorted(os.listdir(directory)):
        m = re.fullmatch(pattern, entry)
        if m:
            out[m.group(1)] = entry
    return out


def known_with_aspect(stem, names):
    """True if stem is a known name, or a known name + '_' + an aspect."""
    return any(stem == n or stem.startswith(n + "_") for n in names)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))))
    root = parser.parse_args().root
    names, families = families_and_topics(os.path.join(root,
                                                       "CONTRIBUTING.md"))
    problems = []
    if not names:
        problems.append("CONTRIBUTING.md: no family table found")

    src = stems(os.path.join(root, "src"), r"(.+)\.cpp")
    headers = stems(os.path.join(root, "include", "oscpp"), r"(.+)\.hpp")
    python_dir = os.path.join(root, "python")
    bindings = stems(python_dir, r"bind_(.+)\.cpp")
    cpp_tests = stems(os.path.join(root, "tests"), r"(.+)_test\.cpp")
    py_tests = stems(os.path.join(root, "tests", "python"), r"test_(.+)\.py")

    for stem, entry in src.items():
        if stem not in names and stem not in VOCABULARY:
            problems.append("src/%s: no family/topic %r in the table"
                            % (entry, stem))
    for stem, entry in headers.items():
        if stem not in families and stem not in names and \
                stem not in VOCABULARY:
            problems.append("include/oscpp/%s: not a family's header" % entry)
    for entry in sorted(os.listdir(python_dir)):
        if not entry.endswith((".cpp", ".hpp")) or entry in BINDING_SUPPORT:
            continue
        m = re.fullmatch(r"bind_(.+)\.(cpp|hpp)", entry)
        stem = m.group(1) if m else None
        ok = stem is not None and (
            stem in names or stem in VOCABULARY or
            (m.group(2) == "hpp" and stem in families))
        if not ok:
            problems.append("python/%s: not bind_<family>[_<topic>]" % entry)
    for what, found, fmt in [("C++ test", cpp_tests, "tests/%s"),
                             ("python test", py_tests, "tests/python/%s")]:
        for stem, entry in found.items():
            if stem in CROSS_CUTTING or stem in VOCABULARY:
                continue
            if not known_with_aspect(stem, names):
                problems.append((fmt + ": not <family>[_<topic>][_<aspect>]")
                                % entry)

    # Every topic in every tree.
    for name in sorted(names):
        for tree, found, fmt in [
                ("source", src, "src/%s.cpp"),
                ("binding", bindings, "python/bind_%s.cpp"),
                ("C++ test", cpp_tests, "tests/%s_test.cpp"),
                ("python test", py_tests, "tests/python/test_%s.py")]:
            if (tree, name) in EXCEPTIONS:
                if name in found:
                    problems.append("%s exists: drop its exception"
                                    % (fmt % name))
                continue
            if name not in found:
                problems.append("missing %s" % (fmt % name))

    for problem in problems:
        print(problem)
    print("%d families, %d topics, %d files checked, %d exceptions, "
          "%d problems" % (len(families), len(names),
                           len(src) + len(headers) + len(bindings) +
                           len(cpp_tests) + len(py_tests),
                           len(EXCEPTIONS), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
