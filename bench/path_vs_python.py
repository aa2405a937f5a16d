#!/usr/bin/env python3
"""oscpp.path next to CPython's posixpath, per call, in the same run.

    python3 bench/path_vs_python.py --module-dir BUILD/python

Times join, normpath, splitext, realpath and relpath over a set of
inputs (str and bytes; realpath over a tree with a 12-component path
through an absolute symlink, and over missing tails) and prints the CPU
time (user + system of this process) per call in nanoseconds, the fastest
of several repetitions (a busy machine only ever adds time), and the ratio
oscpp.path / posixpath. The issue's target is <= 0.5x.
"""

import argparse
import collections
import itertools
import os
import posixpath
import shutil
import sys
import tempfile
import time
import timeit


def per_call(fn, inputs, repeat, number):
    # starmap drained by a zero-length deque: the least Python-level
    # overhead per call, so that the ratio is the functions'.
    def loop():
        collections.deque(itertools.starmap(fn, inputs), maxlen=0)
    best = min(timeit.repeat(loop, repeat=repeat, number=number,
                             timer=time.process_time))
    return best / number / len(inputs) * 1e9


def make_tree(top):
    """top/tree/a/b/c/d/e/f/g/h/file and top/tree/lnk -> top/tree/a/b."""
    deep = os.path.join(top, "tree", "a", "b", "c", "d", "e", "f", "g", "h")
    os.makedirs(deep)
    with open(os.path.join(deep, "file"), "w"):
        pass
    os.symlink(os.path.join(top, "tree", "a", "b"),
               os.path.join(top, "tree", "lnk"))
    return os.path.join(top, "tree", "lnk", "c", "d", "e", "f", "g", "h",
                        "file")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module-dir", required=True)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=300)
    args = parser.parse_args()
    sys.path.insert(0, args.module_dir)
    import oscpp.path

    top = os.path.realpath(tempfile.mkdtemp(prefix="oscpp-path-bench-"))
    try:
        deep = make_tree(top)
        os.chdir(top)
        words = ["usr", "lib", "python3", "site-packages", "oscpp", "a.b"]
        strs = ["/usr/lib/python3/./site-packages/../x.tar.gz",
                "a//b/./c/../d/", "//server/share", "relative/path.txt",
                ".bashrc", "../../up/and/down/../file.cpp", "/"]
        paths = strs + [os.fsencode(s) for s in strs]
        cases = [
            ("join", [("/usr", "lib", "python3"), ("a", "b"),
                      ("/usr/lib", "/etc", "x"), (b"/usr", b"lib"),
                      tuple(words)]),
            ("normpath", [(p,) for p in paths]),
            ("splitext", [(p,) for p in paths]),
            ("relpath", [("/usr/lib/python3", "/usr/share/doc"),
                         ("a/b/c", "a/d"), (b"/x/y", b"/x"),
                         ("/usr/lib", None)]),
            ("realpath", [(deep,), (os.fsencode(deep),),
                          ("tree/lnk/c/missing/x",), ("tree/a/b/c/d",)]),
        ]
        print("Python %s; CPU ns per call (fastest of %d)" % (
            sys.version.split()[0], args.repeat))
        print("%-10s %12s %12s %8s" % ("function", "posixpath", "oscpp.path",
                                       "ratio"))
        for name, inputs in cases:
            inputs = [tuple(a for a in call if a is not None)
                      for call in inputs]
            theirs = per_call(getattr(posixpath, name), inputs, args.repeat,
                              args.number)
            ours = per_call(getattr(oscpp.path, name), inputs, args.repeat,
                            args.number)
            print("%-10s %12.0f %12.0f %7.2fx" % (name, theirs, ours,
                                                   ours / theirs))
    finally:
        shutil.rmtree(top)


if __name__ == "__main__":
    main()
