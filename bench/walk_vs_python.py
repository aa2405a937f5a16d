#!/usr/bin/env python3
"""oscpp.walk / oscpp.fwalk next to CPython's os.walk / os.fwalk, in one run.

    python3 bench/walk_vs_python.py --module-dir BUILD/python [--tree /usr]

Walks the tree (top down, every name counted) with each, and prints the CPU
time (user + system, the fastest of --repeat runs: a busy machine only ever
adds time) and the ratio to CPython's. When the module has them, also the
native step iterators alone (without the Python generator around them), so
the generator's own cost shows as a ratio in the same run.
"""

import argparse
import os
import sys

from files_vs_peers import in_process  # fastest CPU time of fn()


def counter(walk, *args):
    def run():
        n = 0
        for step in walk(*args):
            n += len(step[1]) + len(step[2])
        return n
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module-dir", required=True)
    parser.add_argument("--tree", default="/usr")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, args.module_dir)
    import oscpp

    tree = args.tree
    native = getattr(oscpp.walk, "__globals__", {})
    cases = [
        ("walk", [
            ("os.walk", counter(os.walk, tree)),
            ("oscpp.walk", counter(oscpp.walk, tree)),
        ]),
        ("fwalk", [
            ("os.fwalk", counter(os.fwalk, tree)),
            ("oscpp.fwalk", counter(oscpp.fwalk, tree)),
        ]),
    ]
    if "_walk_steps" in native:
        cases[0][1].append(("native steps alone", counter(
            native["_walk_steps"], tree, True, None, False)))
        cases[1][1].append(("native steps alone", counter(
            native["_fwalk_steps"], tree, True, None, False, None)))
    print("tree %s: %d names; Python %s; load %.1f" % (
        tree, counter(os.walk, tree)(), sys.version.split()[0],
        os.getloadavg()[0]))
    for _, runs in cases:
        base = None
        for label, fn in runs:
            t = in_process(fn, args.repeat)
            base = base or t
            print("%-22s %8.1f ms  %.2fx" % (label, t * 1e3, t / base))


if __name__ == "__main__":
    main()
