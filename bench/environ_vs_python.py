#!/usr/bin/env python3
"""CPython's os.environ lookups next to oscpp's, for context to environ_bench.

    python3 bench/environ_vs_python.py --module-dir BUILD/python

Looks up every variable of the environment in turn, as environ_bench does,
and prints nanoseconds per lookup (the fastest of several repetitions: a busy
machine only ever adds time) and the ratio oscpp / os.
"""

import argparse
import os
import sys
import timeit


def per_lookup(stmt, env, keys, repeat, number):
    timer = timeit.Timer(stmt, globals={"env": env, "keys": keys})
    best = min(timer.repeat(repeat=repeat, number=number))
    return best / number / len(keys) * 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module-dir", required=True)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args()
    sys.path.insert(0, args.module_dir)
    import oscpp

    keys = list(os.environ)
    print("environment: %d variables; Python %s" % (len(keys),
                                                    sys.version.split()[0]))
    cases = [
        ("environ[k]", "for k in keys: env.environ[k]"),
        ("environ.get(k)", "for k in keys: env.environ.get(k)"),
        ("k in environ", "for k in keys: k in env.environ"),
        ("getenv(k)", "for k in keys: env.getenv(k)"),
    ]
    print("%-16s %12s %12s %8s" % ("ns per lookup", "os", "oscpp", "ratio"))
    for name, stmt in cases:
        theirs = per_lookup(stmt, os, keys, args.repeat, args.number)
        ours = per_lookup(stmt, oscpp, keys, args.repeat, args.number)
        print("%-16s %12.1f %12.1f %7.2fx" % (name, theirs, ours,
                                               ours / theirs))


if __name__ == "__main__":
    main()
